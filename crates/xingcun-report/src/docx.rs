//! The report as a Word document (.docx): OOXML written by hand into a zip, the smallest set of
//! parts Word, WPS and LibreOffice all open. Fonts follow the habits of government reports
//! (GB/T 9704): body 仿宋 三号 (16 pt) on 28 pt lines with a two-character first-line indent,
//! the title 黑体 二号, first-level headings 黑体, second-level 楷体, tables 宋体 小四; Latin text
//! in Times New Roman. Fonts are declared with `w:eastAsia`, so each program picks the Chinese
//! face the machine has. Figures link to their records when the document has a link base.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;

use crate::RenderError;
use crate::model::{Block, Document, Span, Table};

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const HYPERLINK_REL: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink";

/// Escapes XML text and drops the characters XML 1.0 cannot carry.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || ('\u{FFFE}'..='\u{FFFF}').contains(&c) => {}
            c => out.push(c),
        }
    }
    out
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"#;

const APP: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>兴村</Application></Properties>"#;

const SETTINGS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#;

/// Run fonts: Latin in Times New Roman, Chinese in `east_asia`.
fn fonts(east_asia: &str) -> String {
    format!(
        r#"<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="{east_asia}" w:cs="Times New Roman"/>"#
    )
}

fn styles() -> String {
    let para = |id: &str, name: &str, ppr: &str, font: &str, size: u32, extra: &str| {
        format!(
            r#"<w:style w:type="paragraph" w:styleId="{id}"><w:name w:val="{name}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{}{extra}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr></w:style>"#,
            fonts(font)
        )
    };
    let mut s = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W_NS}"><w:docDefaults><w:rPrDefault><w:rPr>{}<w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="560" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>"#,
        fonts("仿宋")
    );
    s.push_str(&format!(
        r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/></w:pPr><w:rPr>{}</w:rPr></w:style>"#,
        fonts("仿宋")
    ));
    s.push_str(&para(
        "Title",
        "Title",
        r#"<w:spacing w:before="240" w:after="480" w:line="720" w:lineRule="exact"/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/><w:outlineLvl w:val="0"/>"#,
        "黑体",
        44,
        "",
    ));
    s.push_str(&para(
        "Heading1",
        "heading 1",
        r#"<w:keepNext/><w:outlineLvl w:val="0"/>"#,
        "黑体",
        32,
        "",
    ));
    s.push_str(&para(
        "Heading2",
        "heading 2",
        r#"<w:keepNext/><w:outlineLvl w:val="1"/>"#,
        "楷体",
        32,
        "",
    ));
    s.push_str(&para(
        "TableText",
        "Table Text",
        r#"<w:spacing w:before="40" w:after="40" w:line="300" w:lineRule="auto"/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/>"#,
        "宋体",
        24,
        "",
    ));
    s.push_str(&para(
        "TableHeader",
        "Table Header",
        r#"<w:keepNext/><w:spacing w:before="40" w:after="40" w:line="300" w:lineRule="auto"/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/>"#,
        "黑体",
        24,
        "",
    ));
    s.push_str(&para(
        "Footer",
        "footer",
        r#"<w:spacing w:line="240" w:lineRule="auto"/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/>"#,
        "宋体",
        28,
        "",
    ));
    s.push_str(r#"<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:rPr><w:color w:val="B3261E"/></w:rPr></w:style>"#);
    s.push_str(r#"<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>"#);
    s.push_str("</w:styles>");
    s
}

const FOOTER: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr><w:r><w:t xml:space="preserve">— </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>"#;

/// The hyperlink relationships collected while writing the body.
struct Links(Vec<String>);

impl Links {
    /// A relationship id for `target`; ids from rId10 up (rId1–3 are styles, settings, footer).
    fn id(&mut self, target: String) -> String {
        let pos = self.0.iter().position(|t| *t == target).unwrap_or_else(|| {
            self.0.push(target);
            self.0.len() - 1
        });
        format!("rId{}", pos + 10)
    }
}

fn run(text: &str, rpr: &str) -> String {
    format!(
        r#"<w:r>{rpr}<w:t xml:space="preserve">{}</w:t></w:r>"#,
        xml_escape(text)
    )
}

fn spans_xml(out: &mut String, doc: &Document, spans: &[Span], links: &mut Links, rpr: &str) {
    for s in spans {
        match s {
            Span::Text { text } => out.push_str(&run(text, rpr)),
            Span::Figure { text, href } => match doc.absolute(href) {
                Some(url) => {
                    let id = links.id(url);
                    let inner = if rpr.is_empty() {
                        r#"<w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr>"#.to_string()
                    } else {
                        rpr.replace("<w:rPr>", r#"<w:rPr><w:rStyle w:val="Hyperlink"/>"#)
                    };
                    out.push_str(&format!(
                        r#"<w:hyperlink r:id="{id}" w:history="1">{}</w:hyperlink>"#,
                        run(text, &inner)
                    ));
                }
                None => out.push_str(&run(text, rpr)),
            },
        }
    }
}

fn paragraph(out: &mut String, style: Option<&str>, body: &str) {
    out.push_str("<w:p>");
    if let Some(s) = style {
        out.push_str(&format!(r#"<w:pPr><w:pStyle w:val="{s}"/></w:pPr>"#));
    }
    out.push_str(body);
    out.push_str("</w:p>");
}

/// Text width in half-character units (a Chinese character counts two), for column widths.
fn width_units(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// Column widths in twips over the text width (A4 less margins: 8844 twips): each column at least
/// as wide as its widest cell (figures and names do not wrap, at 小四 a Chinese character is 240
/// twips, plus the cell margins), the room left shared by how much more the headers would like.
fn column_widths(t: &Table) -> Vec<u32> {
    const TEXT: f64 = 8844.0;
    const UNIT: f64 = 120.0;
    const PAD: f64 = 260.0;
    let n = t
        .header
        .len()
        .max(t.rows.iter().map(Vec::len).max().unwrap_or(0))
        .max(1);
    let mut min = vec![4.0 * UNIT + PAD; n];
    for row in &t.rows {
        for (i, c) in row.iter().enumerate() {
            min[i] = min[i].max(width_units(&crate::model::plain(c)) as f64 * UNIT + PAD);
        }
    }
    let mut extra: Vec<f64> = (0..n)
        .map(|i| {
            let h = t
                .header
                .get(i)
                .map_or(0.0, |h| width_units(h) as f64 * UNIT + PAD);
            (h - min[i]).max(0.0)
        })
        .collect();
    let floor: f64 = min.iter().sum();
    let widths: Vec<f64> = if floor >= TEXT {
        min.iter().map(|w| w / floor * TEXT).collect()
    } else {
        let room = TEXT - floor;
        let wanted: f64 = extra.iter().sum();
        if wanted <= room {
            let even = (room - wanted) / n as f64;
            extra.iter_mut().for_each(|e| *e += even);
        } else {
            extra.iter_mut().for_each(|e| *e *= room / wanted);
        }
        min.iter().zip(&extra).map(|(m, e)| m + e).collect()
    };
    widths.iter().map(|w| *w as u32).collect()
}

fn table_xml(out: &mut String, doc: &Document, t: &Table, links: &mut Links) {
    let widths = column_widths(t);
    if let Some(c) = &t.caption {
        paragraph(out, Some("TableHeader"), &run(c, ""));
    }
    out.push_str(
        r#"<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:jc w:val="center"/><w:tblBorders>"#,
    );
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
        out.push_str(&format!(
            r#"<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#
        ));
    }
    out.push_str(r#"</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>"#);
    for w in &widths {
        out.push_str(&format!(r#"<w:gridCol w:w="{w}"/>"#));
    }
    out.push_str("</w:tblGrid>");
    let cell = |out: &mut String, i: usize, style: &str, body: &str| {
        let w = widths.get(i).copied().unwrap_or(1000);
        out.push_str(&format!(
            r#"<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>"#
        ));
        paragraph(out, Some(style), body);
        out.push_str("</w:tc>");
    };
    out.push_str(r#"<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>"#);
    for (i, h) in t.header.iter().enumerate() {
        cell(out, i, "TableHeader", &run(h, ""));
    }
    out.push_str("</w:tr>");
    for row in &t.rows {
        out.push_str(r#"<w:tr><w:trPr><w:cantSplit/></w:trPr>"#);
        for (i, c) in row.iter().enumerate() {
            let mut body = String::new();
            spans_xml(&mut body, doc, c, links, "");
            cell(out, i, "TableText", &body);
        }
        // A short row still fills the grid.
        for i in row.len()..t.header.len() {
            cell(out, i, "TableText", "");
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    // Word needs a paragraph between two tables and after a table ending a cell or body.
    paragraph(out, Some("TableText"), "");
}

/// `word/document.xml`, with the hyperlink targets it refers to (public for the tests, which
/// read the text of this part).
pub fn document_xml(doc: &Document) -> (String, Vec<String>) {
    let mut links = Links(Vec::new());
    let mut body = String::new();
    for b in &doc.blocks {
        match b {
            Block::Heading { level, spans } => {
                let style = match level {
                    1 => "Title",
                    2 => "Heading1",
                    _ => "Heading2",
                };
                let mut inner = String::new();
                spans_xml(&mut inner, doc, spans, &mut links, "");
                paragraph(&mut body, Some(style), &inner);
            }
            Block::Paragraph { spans } => {
                let mut inner = String::new();
                spans_xml(&mut inner, doc, spans, &mut links, "");
                paragraph(&mut body, None, &inner);
            }
            Block::Table(t) => table_xml(&mut body, doc, t, &mut links),
        }
    }
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>{body}<w:sectPr><w:footerReference w:type="default" r:id="rId3"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="1304" w:gutter="0"/><w:docGrid w:type="lines" w:linePitch="579"/></w:sectPr></w:body></w:document>"#
    );
    (xml, links.0)
}

fn document_rels(links: &[String]) -> String {
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>"#,
    );
    for (i, url) in links.iter().enumerate() {
        s.push_str(&format!(
            r#"<Relationship Id="rId{}" Type="{HYPERLINK_REL}" Target="{}" TargetMode="External"/>"#,
            i + 10,
            xml_escape(url)
        ));
    }
    s.push_str("</Relationships>");
    s
}

fn core(doc: &Document) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:creator>兴村</dc:creator><dc:language>zh-CN</dc:language></cp:coreProperties>"#,
        xml_escape(&doc.title)
    )
}

/// The .docx bytes. The same document gives the same bytes (entries carry no clock time).
pub fn render(doc: &Document) -> Result<Vec<u8>, RenderError> {
    let (document, links) = document_xml(doc);
    let parts: [(&str, String); 9] = [
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", ROOT_RELS.to_string()),
        ("docProps/core.xml", core(doc)),
        ("docProps/app.xml", APP.to_string()),
        ("word/document.xml", document),
        ("word/styles.xml", styles()),
        ("word/settings.xml", SETTINGS.to_string()),
        ("word/footer1.xml", FOOTER.to_string()),
        ("word/_rels/document.xml.rels", document_rels(&links)),
    ];
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let err = |e: &dyn std::fmt::Display| RenderError::Docx(e.to_string());
    for (name, text) in parts {
        zip.start_file(name, options).map_err(|e| err(&e))?;
        zip.write_all(text.as_bytes()).map_err(|e| err(&e))?;
    }
    Ok(zip.finish().map_err(|e| err(&e))?.into_inner())
}

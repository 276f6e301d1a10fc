//! Snapshot-style tests of the three renderings of one small document.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use xingcun_report::markup::{figure_marker, parse, table_marker};
use xingcun_report::model::{Document, Span, Table};
use xingcun_report::{docx, html, pdf};

const HREF: &str = "/indicators/outreach.work_teams?org=990101000000&as_of=2026-06-30&from=2026-01-01&to=2026-06-30";

fn fixture() -> Document {
    let text = format!(
        "# 兴和区工作报告\n\n## 一、筑先锋堡垒\n\n全区现有工作队{}个，覆盖率{}。\n\n{}### （一）附表 <&>\n",
        figure_marker("70", HREF),
        figure_marker(
            "97.14%",
            "/indicators/talent.college_cadre_coverage?org=990101000000"
        ),
        table_marker(0),
    );
    let table = Table {
        caption: Some("分单位情况".into()),
        header: vec!["单位".into(), "工作队数（个）".into()],
        rows: vec![
            vec![
                vec![Span::Text {
                    text: "青山镇".into(),
                }],
                vec![Span::Figure {
                    text: "14".into(),
                    href: "/indicators/outreach.work_teams?org=990101001000".into(),
                }],
            ],
            vec![
                vec![Span::Text {
                    text: "合计".into(),
                }],
                vec![Span::Figure {
                    text: "70".into(),
                    href: HREF.into(),
                }],
            ],
        ],
    };
    parse(&text, vec![Some(table)])
}

fn zip_part(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// The text of every `<w:t>` of a part, paragraph by paragraph.
fn docx_text(xml: &str) -> Vec<String> {
    xml.split("</w:p>")
        .map(|p| {
            p.split("<w:t")
                .skip(1)
                .filter_map(|t| t.split_once('>').map(|(_, rest)| rest))
                .filter_map(|t| t.split_once("</w:t>").map(|(x, _)| x))
                .collect::<String>()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

#[test]
fn docx_holds_the_text_the_styles_the_fonts_and_the_links() {
    let mut doc = fixture();
    let bytes = docx::render(&doc).unwrap();
    assert_eq!(&bytes[..2], b"PK");
    let xml = zip_part(&bytes, "word/document.xml");
    assert_eq!(
        docx_text(&xml),
        vec![
            "兴和区工作报告",
            "一、筑先锋堡垒",
            "全区现有工作队70个，覆盖率97.14%。",
            "分单位情况",
            "单位",
            "工作队数（个）",
            "青山镇",
            "14",
            "合计",
            "70",
            "（一）附表 &lt;&amp;&gt;",
        ]
    );
    assert!(xml.contains(r#"<w:pStyle w:val="Title"/>"#));
    assert!(xml.contains(r#"<w:pStyle w:val="Heading1"/>"#));
    assert!(xml.contains(r#"<w:pStyle w:val="Heading2"/>"#));
    assert!(xml.contains(r#"<w:tblHeader/>"#));
    assert!(xml.contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#), "A4");
    // Without a link base, figures are plain text.
    assert!(!xml.contains("w:hyperlink"));
    let styles = zip_part(&bytes, "word/styles.xml");
    for font in ["仿宋", "黑体", "楷体", "宋体"] {
        assert!(
            styles.contains(&format!(r#"w:eastAsia="{font}""#)),
            "{font} declared"
        );
    }
    assert!(zip_part(&bytes, "docProps/core.xml").contains("<dc:title>兴和区工作报告</dc:title>"));
    // The same document gives the same bytes.
    assert_eq!(docx::render(&doc).unwrap(), bytes);

    doc.link_base = Some("https://xc.example.gov.cn/".into());
    let bytes = docx::render(&doc).unwrap();
    let xml = zip_part(&bytes, "word/document.xml");
    assert_eq!(
        xml.matches("<w:hyperlink ").count(),
        4,
        "every figure linked"
    );
    let rels = zip_part(&bytes, "word/_rels/document.xml.rels");
    assert!(rels.contains(&format!(
        r#"Target="https://xc.example.gov.cn{}" TargetMode="External""#,
        HREF.replace('&', "&amp;")
    )));
    // One relationship per address: the 70 of the text and of the table share one.
    assert_eq!(rels.matches("TargetMode=\"External\"").count(), 3);
    let types = zip_part(&bytes, "[Content_Types].xml");
    for part in [
        "/word/document.xml",
        "/word/styles.xml",
        "/word/footer1.xml",
    ] {
        assert!(types.contains(part), "{part}");
    }
}

#[test]
fn html_links_every_figure_to_its_records_and_escapes_text() {
    let out = String::from_utf8(html::render(&fixture())).unwrap();
    assert!(out.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    assert!(out.contains("<title>兴和区工作报告</title>"));
    let body = out.split("<body>\n").nth(1).unwrap();
    assert_eq!(
        body,
        format!(
            "<h1>兴和区工作报告</h1>\n<h2>一、筑先锋堡垒</h2>\n<p>全区现有工作队<a class=\"figure\" href=\"{h}\">70</a>个，覆盖率<a class=\"figure\" href=\"/indicators/talent.college_cadre_coverage?org=990101000000\">97.14%</a>。</p>\n<table>\n<caption>分单位情况</caption>\n<thead><tr><th>单位</th><th>工作队数（个）</th></tr></thead>\n<tbody>\n<tr><td>青山镇</td><td class=\"num\"><a class=\"figure\" href=\"/indicators/outreach.work_teams?org=990101001000\">14</a></td></tr>\n<tr><td>合计</td><td class=\"num\"><a class=\"figure\" href=\"{h}\">70</a></td></tr>\n</tbody>\n</table>\n<h3>（一）附表 &lt;&amp;&gt;</h3>\n</body>\n</html>\n",
            h = HREF.replace('&', "&amp;")
        )
    );
}

/// The objects of a PDF with their dictionaries and (inflated) streams.
fn pdf_streams(b: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(p) = find(&b[i..], b"stream\n") {
        let start = i + p + b"stream\n".len();
        let dict_start = rfind(&b[..i + p], b" obj").unwrap_or(0);
        let dict = String::from_utf8_lossy(&b[dict_start..i + p]).to_string();
        let end = start + find(&b[start..], b"endstream").unwrap();
        let raw = &b[start..end];
        let data = if dict.contains("/FlateDecode") {
            let mut d = Vec::new();
            flate2::read::ZlibDecoder::new(raw)
                .read_to_end(&mut d)
                .map(|_| d)
                .unwrap_or_default()
        } else {
            raw.to_vec()
        };
        out.push((dict, data));
        i = end + b"endstream".len();
    }
    out
}

fn find(h: &[u8], n: &[u8]) -> Option<usize> {
    h.windows(n.len()).position(|w| w == n)
}

fn rfind(h: &[u8], n: &[u8]) -> Option<usize> {
    h.windows(n.len()).rposition(|w| w == n)
}

/// The text a PDF shows: glyph ids of the content streams mapped through the ToUnicode CMap.
fn pdf_text(b: &[u8]) -> String {
    let streams = pdf_streams(b);
    let mut map: HashMap<u16, String> = HashMap::new();
    for (_, data) in &streams {
        let s = String::from_utf8_lossy(data);
        if !s.contains("begincmap") {
            continue;
        }
        let hex = |h: &str| u32::from_str_radix(h, 16).unwrap();
        let utf16 = |h: &str| {
            let units: Vec<u16> = (0..h.len() / 4)
                .map(|k| hex(&h[k * 4..k * 4 + 4]) as u16)
                .collect();
            String::from_utf16_lossy(&units)
        };
        for block in s.split("beginbfchar").skip(1) {
            let block = block.split("endbfchar").next().unwrap();
            let toks: Vec<&str> = block
                .split(['<', '>', ' ', '\n'])
                .filter(|t| !t.is_empty())
                .collect();
            for pair in toks.chunks(2) {
                map.insert(hex(pair[0]) as u16, utf16(pair[1]));
            }
        }
        for block in s.split("beginbfrange").skip(1) {
            let block = block.split("endbfrange").next().unwrap();
            let toks: Vec<&str> = block
                .split(['<', '>', ' ', '\n'])
                .filter(|t| !t.is_empty())
                .collect();
            for tri in toks.chunks(3) {
                let (lo, hi, first) = (hex(tri[0]), hex(tri[1]), utf16(tri[2]));
                let base = first.chars().next().unwrap() as u32;
                for (k, g) in (lo..=hi).enumerate() {
                    let c = char::from_u32(base + k as u32).unwrap();
                    map.insert(g as u16, c.to_string());
                }
            }
        }
    }
    assert!(!map.is_empty(), "a ToUnicode CMap");
    let mut text = String::new();
    for (_, data) in &streams {
        let s = data.as_slice();
        if find(s, b"BT\n").is_none() {
            continue;
        }
        // Strings of two-byte glyph ids: <hex> or (literal with escapes).
        let mut k = 0;
        while k < s.len() {
            match s[k] {
                b'<' if s.get(k + 1) != Some(&b'<') => {
                    let end = k + s[k..].iter().position(|&c| c == b'>').unwrap();
                    let h = String::from_utf8_lossy(&s[k + 1..end]).to_string();
                    for g in (0..h.len() / 4)
                        .map(|j| u16::from_str_radix(&h[j * 4..j * 4 + 4], 16).unwrap())
                    {
                        text.push_str(map.get(&g).map_or("?", String::as_str));
                    }
                    k = end + 1;
                }
                b'(' => {
                    let mut bytes = Vec::new();
                    k += 1;
                    // Balanced parentheses may stand unescaped inside a literal string.
                    let mut depth = 0;
                    while s[k] != b')' || depth > 0 {
                        if s[k] == b'(' {
                            depth += 1;
                        } else if s[k] == b')' {
                            depth -= 1;
                        }
                        if s[k] == b'\\' {
                            k += 1;
                            if s[k].is_ascii_digit() {
                                let oct = String::from_utf8_lossy(&s[k..k + 3]).to_string();
                                bytes.push(u8::from_str_radix(&oct, 8).unwrap());
                                k += 3;
                                continue;
                            }
                            bytes.push(match s[k] {
                                b'n' => b'\n',
                                b'r' => b'\r',
                                b't' => b'\t',
                                b'b' => 8,
                                b'f' => 12,
                                c => c,
                            });
                        } else {
                            bytes.push(s[k]);
                        }
                        k += 1;
                    }
                    for pair in bytes.chunks(2) {
                        let g = u16::from_be_bytes([pair[0], pair[1]]);
                        text.push_str(map.get(&g).map_or("?", String::as_str));
                    }
                    k += 1;
                }
                b'E' if s[k..].starts_with(b"ET") => {
                    text.push('\n');
                    k += 2;
                }
                _ => k += 1,
            }
        }
    }
    text
}

#[test]
fn pdf_embeds_a_subset_of_the_chinese_font_and_shows_the_figures() {
    let mut doc = fixture();
    let bytes = pdf::render(&doc).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let raw = String::from_utf8_lossy(&bytes);
    assert!(raw.contains("/FontFile2"), "the font is embedded");
    assert!(raw.contains("+WenQuanYiMicroHei"), "as a subset");
    assert_eq!(
        raw.matches("/Type /Page\n").count() + raw.matches("/Type /Page ").count(),
        1
    );
    assert!(raw.contains("/Count 1"));
    // Subset: far smaller than the 5 MB font.
    assert!(bytes.len() < 200_000, "{} bytes", bytes.len());
    let text: String = pdf_text(&bytes).split_whitespace().collect();
    for want in [
        "兴和区工作报告",
        "一、筑先锋堡垒",
        "70",
        "97.14%",
        "青山镇",
        "14",
        "合计",
        "—1—",
    ] {
        assert!(text.contains(want), "{want} in {text}");
    }
    // No link base: no link annotations; with one, each figure is a link.
    assert!(!raw.contains("/Subtype /Link"));
    doc.link_base = Some("https://xc.example.gov.cn".into());
    let raw = String::from_utf8_lossy(&pdf::render(&doc).unwrap()).to_string();
    assert_eq!(raw.matches("/Subtype /Link").count(), 4);
    assert!(
        raw.contains("(https://xc.example.gov.cn/indicators/outreach.work_teams?org=990101001000)")
    );
}

#[test]
fn a_long_report_breaks_into_pages_and_a_long_table_repeats_its_header() {
    let para = "党建引领乡村振兴，".repeat(40);
    let mut text = String::from("# 长报告\n\n");
    for _ in 0..30 {
        text.push_str(&para);
        text.push_str("\n\n");
    }
    text.push_str(&table_marker(0));
    let table = Table {
        caption: None,
        header: vec!["单位".into(), "数".into()],
        rows: (0..80)
            .map(|i| {
                vec![
                    vec![Span::Text {
                        text: format!("第{i}村"),
                    }],
                    vec![Span::Text {
                        text: i.to_string(),
                    }],
                ]
            })
            .collect(),
    };
    let doc = parse(&text, vec![Some(table)]);
    let pages = pdf::layout(&doc).unwrap();
    assert!(pages.len() >= 6, "{} pages", pages.len());
    let headers = pages
        .iter()
        .flatten()
        .filter(|op| matches!(op, pdf::Op::Text { text, .. } if text == "单位"))
        .count();
    let table_pages = pages
        .iter()
        .filter(|p| p.iter().any(|op| matches!(op, pdf::Op::Text { text, .. } if text.starts_with("第") && text.ends_with("村"))))
        .count();
    assert_eq!(
        headers, table_pages,
        "the header heads every page of the table"
    );
    assert!(table_pages >= 2);
    let bytes = pdf::render(&doc).unwrap();
    let raw = String::from_utf8_lossy(&bytes);
    assert!(raw.contains(&format!("/Count {}", pages.len())));
}

//! The report as one self-contained HTML page; every figure is a link to its records.

use crate::model::{Block, Document, Span};

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn spans_html(out: &mut String, spans: &[Span]) {
    for s in spans {
        match s {
            Span::Text { text } => out.push_str(&escape(text)),
            Span::Figure { text, href } => {
                out.push_str(&format!(
                    "<a class=\"figure\" href=\"{}\">{}</a>",
                    escape(href),
                    escape(text)
                ));
            }
        }
    }
}

const STYLE: &str = "body{max-width:46em;margin:2em auto;padding:0 1em;font-family:\"FangSong\",\"仿宋\",\"STFangsong\",serif;font-size:16pt;line-height:1.8;color:#222}\
h1{text-align:center;font-family:\"SimHei\",\"黑体\",sans-serif;font-size:22pt;font-weight:normal}\
h2{font-family:\"SimHei\",\"黑体\",sans-serif;font-size:16pt;font-weight:normal;margin:1em 0 .3em}\
h3{font-family:\"KaiTi\",\"楷体\",serif;font-size:16pt;font-weight:normal;margin:.8em 0 .3em}\
p{text-indent:2em;margin:0 0 .4em}\
a.figure{color:#b3261e;text-decoration:none;border-bottom:1px dotted #b3261e}\
table{border-collapse:collapse;margin:.6em 0;font-size:12pt;width:100%}\
th,td{border:1px solid #555;padding:.2em .5em}th{background:#f2f2f2;font-family:\"SimHei\",\"黑体\",sans-serif;font-weight:normal}\
td.num{text-align:right}caption{font-family:\"SimHei\",\"黑体\",sans-serif;padding:.3em}\
@media (max-width:600px){body{font-size:13pt}table{display:block;overflow-x:auto}}";

/// The page's bytes (UTF-8).
pub fn render(doc: &Document) -> Vec<u8> {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{}</title>\n", escape(&doc.title)));
    out.push_str(&format!("<style>{STYLE}</style>\n</head>\n<body>\n"));
    body(&mut out, doc);
    out.push_str("</body>\n</html>\n");
    out.into_bytes()
}

/// The body's blocks alone, as HTML (the preview embeds this).
pub fn body_html(doc: &Document) -> String {
    let mut out = String::new();
    body(&mut out, doc);
    out
}

fn body(out: &mut String, doc: &Document) {
    for b in &doc.blocks {
        match b {
            Block::Heading { level, spans } => {
                let l = (*level).clamp(1, 3);
                out.push_str(&format!("<h{l}>"));
                spans_html(out, spans);
                out.push_str(&format!("</h{l}>\n"));
            }
            Block::Paragraph { spans } => {
                out.push_str("<p>");
                spans_html(out, spans);
                out.push_str("</p>\n");
            }
            Block::Table(t) => {
                out.push_str("<table>\n");
                if let Some(c) = &t.caption {
                    out.push_str(&format!("<caption>{}</caption>\n", escape(c)));
                }
                out.push_str("<thead><tr>");
                for h in &t.header {
                    out.push_str(&format!("<th>{}</th>", escape(h)));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for row in &t.rows {
                    out.push_str("<tr>");
                    for (i, cell) in row.iter().enumerate() {
                        out.push_str(if i == 0 { "<td>" } else { "<td class=\"num\">" });
                        spans_html(out, cell);
                        out.push_str("</td>");
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table>\n");
            }
        }
    }
}

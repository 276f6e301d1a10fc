//! The report's light markup, as a template renders it:
//!
//! - `# 标题` the title, `## 一、…` a first-level heading, `### （一）…` a second-level one;
//! - paragraphs separated by blank lines (lines of one paragraph are joined);
//! - a figure is the marker [`figure_marker`] (text and drill-down address), a table the marker
//!   [`table_marker`] (an index into the tables the template built); a table stands alone,
//!   ending the paragraph it appears in.
//!
//! The markers are characters of Unicode's private use area, which no report text needs; they
//! are stripped from any text they are not part of.

use crate::model::{Block, Document, Span, Table};

const FIG_START: char = '\u{E000}';
const FIG_MID: char = '\u{E001}';
const FIG_END: char = '\u{E002}';
const TABLE_START: char = '\u{E003}';
const TABLE_END: char = '\u{E004}';

fn is_marker(c: char) -> bool {
    ('\u{E000}'..='\u{E004}').contains(&c)
}

/// Removes marker characters, so text typed or stored cannot forge a figure.
pub fn strip_markers(s: &str) -> String {
    s.chars().filter(|c| !is_marker(*c)).collect()
}

/// A figure as it stands in rendered template text.
pub fn figure_marker(text: &str, href: &str) -> String {
    format!(
        "{FIG_START}{}{FIG_MID}{}{FIG_END}",
        strip_markers(href),
        strip_markers(text)
    )
}

/// The `index`-th table of the report, standing alone.
pub fn table_marker(index: usize) -> String {
    format!("\n\n{TABLE_START}{index}{TABLE_END}\n\n")
}

/// The figure inside `s` when `s` is exactly one figure marker: (text, address).
pub fn as_figure(s: &str) -> Option<(&str, &str)> {
    let inner = s.strip_prefix(FIG_START)?.strip_suffix(FIG_END)?;
    let (href, text) = inner.split_once(FIG_MID)?;
    (!text.contains(is_marker) && !href.contains(is_marker)).then_some((text, href))
}

/// Splits text into spans at figure markers (stray markers dropped).
pub fn spans(s: &str) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    let mut text = String::new();
    let mut rest = s;
    while let Some(i) = rest.find(FIG_START) {
        text.push_str(&rest[..i]);
        let after = &rest[i + FIG_START.len_utf8()..];
        match after.find(FIG_END) {
            Some(j) if after[..j].contains(FIG_MID) => {
                let (href, t) = after[..j].split_once(FIG_MID).unwrap_or_default();
                if !text.is_empty() {
                    out.push(Span::Text {
                        text: strip_markers(&std::mem::take(&mut text)),
                    });
                }
                out.push(Span::Figure {
                    text: strip_markers(t),
                    href: strip_markers(href),
                });
                rest = &after[j + FIG_END.len_utf8()..];
            }
            _ => rest = after,
        }
    }
    text.push_str(rest);
    let text = strip_markers(&text);
    if !text.is_empty() {
        out.push(Span::Text { text });
    }
    out
}

/// Joins the lines of one paragraph: no space between Chinese text, one between Latin words.
fn join_line(para: &mut String, line: &str) {
    let (Some(a), Some(b)) = (para.chars().last(), line.chars().next()) else {
        para.push_str(line);
        return;
    };
    if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() {
        para.push(' ');
    }
    para.push_str(line);
}

fn flush(blocks: &mut Vec<Block>, para: &mut String) {
    let text = std::mem::take(para);
    let text = text.trim();
    if !text.is_empty() {
        blocks.push(Block::Paragraph { spans: spans(text) });
    }
}

/// The document a template rendered, with the tables its markers point to; a marker without
/// its table is dropped.
pub fn parse(text: &str, mut tables: Vec<Option<Table>>) -> Document {
    let mut doc = Document::default();
    let mut para = String::new();
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() {
            flush(&mut doc.blocks, &mut para);
            continue;
        }
        if let Some(inner) = line
            .strip_prefix(TABLE_START)
            .and_then(|r| r.strip_suffix(TABLE_END))
        {
            flush(&mut doc.blocks, &mut para);
            if let Some(t) = inner
                .parse::<usize>()
                .ok()
                .and_then(|i| tables.get_mut(i))
                .and_then(Option::take)
            {
                doc.blocks.push(Block::Table(t));
            }
            continue;
        }
        let hashes = line.chars().take_while(|&c| c == '#').count();
        if (1..=3).contains(&hashes) && line[hashes..].starts_with(' ') {
            flush(&mut doc.blocks, &mut para);
            let spans = spans(line[hashes..].trim());
            if hashes == 1 && doc.title.is_empty() {
                doc.title = crate::model::plain(&spans);
            }
            doc.blocks.push(Block::Heading {
                level: hashes as u8,
                spans,
            });
            continue;
        }
        join_line(&mut para, line);
    }
    flush(&mut doc.blocks, &mut para);
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_paragraphs_figures_and_tables_are_read() {
        let fig = figure_marker("70", "/indicators/k?org=1");
        let text = format!(
            "# 年度报告\n\n## 一、堡垒\n全区共有{fig}个\n工作队。\n\nEnglish\nwords{}尾\n",
            table_marker(0)
        );
        let table = Table {
            caption: None,
            header: vec!["单位".into()],
            rows: vec![],
        };
        let doc = parse(&text, vec![Some(table.clone())]);
        assert_eq!(doc.title, "年度报告");
        assert_eq!(
            doc.blocks,
            vec![
                Block::Heading {
                    level: 1,
                    spans: vec![Span::Text {
                        text: "年度报告".into()
                    }]
                },
                Block::Heading {
                    level: 2,
                    spans: vec![Span::Text {
                        text: "一、堡垒".into()
                    }]
                },
                Block::Paragraph {
                    spans: vec![
                        Span::Text {
                            text: "全区共有".into()
                        },
                        Span::Figure {
                            text: "70".into(),
                            href: "/indicators/k?org=1".into()
                        },
                        Span::Text {
                            text: "个工作队。".into()
                        },
                    ]
                },
                Block::Paragraph {
                    spans: vec![Span::Text {
                        text: "English words".into()
                    }]
                },
                Block::Table(table),
                Block::Paragraph {
                    spans: vec![Span::Text { text: "尾".into() }]
                },
            ]
        );
    }

    #[test]
    fn stray_markers_are_dropped_and_cannot_forge_a_figure() {
        let s = format!("a{FIG_START}b{FIG_END}c{TABLE_END}");
        assert_eq!(spans(&s), vec![Span::Text { text: "abc".into() }]);
        let forged = figure_marker(&figure_marker("1", "/x"), "/y");
        assert_eq!(
            spans(&forged),
            vec![Span::Figure {
                text: "/x1".into(),
                href: "/y".into()
            }]
        );
        assert_eq!(as_figure(&figure_marker("3", "/z")), Some(("3", "/z")));
        assert_eq!(as_figure("3"), None);
    }
}

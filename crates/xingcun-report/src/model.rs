//! The document model: a title, then headings, paragraphs and tables; every figure keeps the
//! address of its drill-down list.

use serde::Serialize;

/// A report ready to render.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Document {
    /// The title (the first `#` line), also the file's metadata title.
    pub title: String,
    pub blocks: Vec<Block>,
    /// Prefixed to a figure's address in DOCX and PDF, where a link must be absolute (e.g.
    /// `https://xingcun.example.gov.cn`); without it those formats show figures as plain text.
    /// HTML keeps the addresses relative to the site.
    pub link_base: Option<String>,
}

/// One block of the body.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// `level` 1 is the title (centred), 2 a first-level heading (一、…), 3 a second-level one.
    Heading {
        level: u8,
        spans: Vec<Span>,
    },
    Paragraph {
        spans: Vec<Span>,
    },
    Table(Table),
}

/// A table of figures: a header row, then rows of cells.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Table {
    pub caption: Option<String>,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Vec<Span>>>,
}

/// Running text, or a figure with the address of the records behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Span {
    Text { text: String },
    Figure { text: String, href: String },
}

impl Span {
    pub fn text(&self) -> &str {
        match self {
            Span::Text { text } | Span::Figure { text, .. } => text,
        }
    }
}

/// The plain text of some spans.
pub fn plain(spans: &[Span]) -> String {
    spans.iter().map(Span::text).collect()
}

impl Document {
    /// Every figure of the document, in order: (text, address).
    pub fn figures(&self) -> Vec<(&str, &str)> {
        fn take<'a>(out: &mut Vec<(&'a str, &'a str)>, spans: &'a [Span]) {
            for s in spans {
                if let Span::Figure { text, href } = s {
                    out.push((text.as_str(), href.as_str()));
                }
            }
        }
        let mut out = Vec::new();
        for b in &self.blocks {
            match b {
                Block::Heading { spans, .. } | Block::Paragraph { spans } => take(&mut out, spans),
                Block::Table(t) => t.rows.iter().flatten().for_each(|c| take(&mut out, c)),
            }
        }
        out
    }

    /// A figure's address as DOCX and PDF link it: absolute with [`Document::link_base`], else
    /// none.
    pub fn absolute(&self, href: &str) -> Option<String> {
        if href.starts_with("http://") || href.starts_with("https://") {
            return Some(href.to_string());
        }
        self.link_base
            .as_deref()
            .filter(|b| !b.is_empty())
            .map(|b| format!("{}{href}", b.trim_end_matches('/')))
    }
}

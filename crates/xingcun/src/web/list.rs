//! The list-page pattern, built once: filters above, a paginated table, an export button and an
//! empty state. A module fills a [`ListView`]; `pages/list.html` shows it, and [`Table::to_xlsx`]
//! exports the same table, so every list can be exported to Excel.

use serde::{Deserialize, Serialize};
use xingcun_xlsx::{OutCell, SheetSpec, WorkbookWriter};

/// Page numbers from the query string: `page` (from 1) and `per_page` (10–200, default 20).
#[derive(Debug, Clone, Copy, Deserialize, Default)]
pub struct PageParams {
    #[serde(default, deserialize_with = "lenient_i64")]
    pub page: Option<i64>,
    #[serde(default, deserialize_with = "lenient_i64")]
    pub per_page: Option<i64>,
}

/// Query strings arrive as text, also through `#[serde(flatten)]` (which loses the type
/// hints): accept a number or a numeric string; anything else counts as absent.
pub fn lenient_i64<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Int(i64),
        Text(String),
    }
    Ok(match Option::<Raw>::deserialize(d)? {
        Some(Raw::Int(i)) => Some(i),
        Some(Raw::Text(s)) => s.trim().parse().ok(),
        None => None,
    })
}

/// Where a list page stands.
#[derive(Debug, Clone, Serialize)]
pub struct Pagination {
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
    pub pages: i64,
}

impl Pagination {
    pub fn new(p: PageParams, total: i64) -> Pagination {
        let per_page = p.per_page.unwrap_or(20).clamp(10, 200);
        let pages = ((total + per_page - 1) / per_page).max(1);
        let page = p.page.unwrap_or(1).clamp(1, pages);
        Pagination {
            page,
            per_page,
            total,
            pages,
        }
    }
    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }
    pub fn limit(&self) -> i64 {
        self.per_page
    }
}

/// One table cell.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "t", content = "v", rename_all = "snake_case")]
pub enum Cell {
    Text(String),
    Int(i64),
    Link { text: String, href: String },
    Badge { text: String, tone: &'static str },
    Empty,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }
    pub fn opt(s: Option<String>) -> Cell {
        s.map(Cell::Text).unwrap_or(Cell::Empty)
    }
    pub fn link(text: impl Into<String>, href: impl Into<String>) -> Cell {
        Cell::Link {
            text: text.into(),
            href: href.into(),
        }
    }
    fn export(&self) -> OutCell {
        match self {
            Cell::Text(s) | Cell::Link { text: s, .. } | Cell::Badge { text: s, .. } => {
                OutCell::Text(s.clone())
            }
            Cell::Int(i) => OutCell::Int(*i),
            Cell::Empty => OutCell::Empty,
        }
    }
}

/// A table of rows under column headings.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new(columns: &[&str]) -> Table {
        Table {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }

    /// The table as a one-sheet workbook; every cell as text or number, as shown.
    /// The table with a last column linking each record (keyed by its first column) to its
    /// photos and scans (附件) of `kind` (`attachments::OWNERS`).
    pub fn with_attachment_links(mut self, kind: &str) -> Table {
        self.columns.push("附件".into());
        for row in &mut self.rows {
            let key = match row.first() {
                Some(Cell::Text(k)) | Some(Cell::Link { text: k, .. }) => k.clone(),
                _ => continue,
            };
            row.push(Cell::link(
                "照片/材料",
                format!(
                    "/attachments?kind={kind}&key={}",
                    crate::web::urlencode(&key)
                ),
            ));
        }
        self
    }

    pub fn to_xlsx(&self, sheet: &str) -> anyhow::Result<Vec<u8>> {
        let headers: Vec<&str> = self.columns.iter().map(String::as_str).collect();
        let required = vec![false; headers.len()];
        let mut w = WorkbookWriter::new();
        let spec = SheetSpec {
            name: sheet,
            headers: &headers,
            required: &required,
            notes: None,
            dropdowns: &[],
            text_columns: &[],
        };
        let h = w.add_sheet(&spec)?;
        for row in &self.rows {
            let cells: Vec<OutCell> = row.iter().map(Cell::export).collect();
            w.write_row(h, &cells)?;
        }
        Ok(w.save_to_bytes()?)
    }
}

/// One filter above the table.
#[derive(Debug, Clone, Serialize)]
pub struct Filter {
    pub name: &'static str,
    pub label: String,
    pub value: String,
    /// Empty for a text box; else a drop-down of (value, label).
    pub options: Vec<(String, String)>,
    /// A drop-down that always has a value: no 全部 choice.
    pub required: bool,
}

impl Filter {
    pub fn text(name: &'static str, label: &str, value: Option<&str>) -> Filter {
        Filter {
            name,
            label: label.into(),
            value: value.unwrap_or_default().into(),
            options: Vec::new(),
            required: false,
        }
    }
    pub fn select(
        name: &'static str,
        label: &str,
        value: Option<&str>,
        options: Vec<(String, String)>,
    ) -> Filter {
        Filter {
            name,
            label: label.into(),
            value: value.unwrap_or_default().into(),
            options,
            required: false,
        }
    }

    /// A drop-down without the 全部 choice (e.g. the unit a figure is computed for).
    pub fn required(mut self) -> Filter {
        self.required = true;
        self
    }
}

/// A breadcrumb step.
#[derive(Debug, Clone, Serialize)]
pub struct Crumb {
    pub label: String,
    pub href: Option<String>,
}

/// Everything `pages/list.html` shows.
#[derive(Debug, Clone, Serialize)]
pub struct ListView {
    pub title: String,
    pub breadcrumb: Vec<Crumb>,
    pub filters: Vec<Filter>,
    pub table: Table,
    pub pagination: Pagination,
    /// The current query string without `page`, for page links and the export link.
    pub query: String,
    pub new_href: Option<String>,
    pub export: bool,
}

/// The query string of the filters, for links that keep them.
pub fn query_of(filters: &[Filter]) -> String {
    let pairs: Vec<(&str, &str)> = filters
        .iter()
        .filter(|f| !f.value.is_empty())
        .map(|f| (f.name, f.value.as_str()))
        .collect();
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_clamps_pages_and_sizes() {
        let p = Pagination::new(
            PageParams {
                page: Some(9),
                per_page: Some(5),
            },
            25,
        );
        assert_eq!((p.page, p.per_page, p.pages, p.offset()), (3, 10, 3, 20));
        let empty = Pagination::new(PageParams::default(), 0);
        assert_eq!((empty.page, empty.pages, empty.offset()), (1, 1, 0));
    }

    #[test]
    fn filter_query_keeps_only_filled_filters() {
        let f = vec![
            Filter::text("q", "关键字", Some("张 三")),
            Filter::text("kind", "类型", None),
        ];
        assert_eq!(query_of(&f), "q=%E5%BC%A0+%E4%B8%89");
    }
}

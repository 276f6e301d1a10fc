//! The clerk's own workbook given back with the problems marked: each bad cell filled pink
//! with a comment (批注) holding the message, and a first sheet listing every problem.
//!
//! The copy is rebuilt from the values: calamine reads every sheet row by row and
//! rust_xlsxwriter writes it again in constant-memory mode, so a large file is copied in
//! flat memory. Values are kept with their kind (text stays text, dates stay dates, numbers
//! and logical values stay so); other formatting, drop-down lists, merged cells and
//! formulas (only their last results are kept) are not carried over.

use std::collections::{BTreeMap, HashMap};

use rust_xlsxwriter::{Color, Format, FormatBorder, Note, Workbook, Worksheet};

use crate::read::Rows;
use crate::write::{col, column_width, display_width};
use crate::{Cell, WorkbookReader, XlsxError, column_letter};

/// The sheet listing every problem, put first in a marked copy. Its name begins with 说明,
/// so the import ignores it when the clerk sends the corrected file back; a list left from
/// an earlier round is replaced.
pub const PROBLEMS_SHEET: &str = "说明_问题清单";

/// Comments are put on this many cells at most. rust_xlsxwriter keeps each comment and its
/// drawing in memory (about 13 KB each), and Excel grows slow with many more; past this the
/// cells are still filled and the problems sheet lists every message.
pub const MAX_COMMENTS: usize = 2_000;

/// Column widths are fitted to the longest text in the first rows only.
const WIDTH_SAMPLE_ROWS: u32 = 200;

/// A problem to mark: a cell, or a whole row when `col` is `None` (then the message goes on
/// the row's first cell).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellMark {
    pub sheet: String,
    /// 1-based, as Excel shows it.
    pub row: u32,
    /// 0-based; `None` for a problem with the row as a whole.
    pub col: Option<u32>,
    pub message: String,
}

/// Messages per cell, (0-based row, 0-based column) in sheet order.
type SheetMarks<'a> = BTreeMap<(u32, u32), Vec<&'a str>>;

/// Returns a copy of the workbook `original` with each mark's cell filled and commented.
///
/// Several marks on one cell share one comment, a line each. A mark on a cell the clerk
/// left empty (a missing required value) fills the empty cell. When there are marks, a
/// first sheet [`PROBLEMS_SHEET`] lists them all (sheet, row, column, column name,
/// message); comments go on the first [`MAX_COMMENTS`] marked cells. Every sheet of the
/// original is kept, hidden ones hidden. A mark naming a sheet the workbook lacks, or row 0,
/// is an error.
pub fn mark_errors(original: &[u8], marks: &[CellMark]) -> Result<Vec<u8>, XlsxError> {
    let mut reader = WorkbookReader::open_bytes(original.to_vec())?;
    let names: Vec<String> = reader
        .sheet_names()
        .into_iter()
        .filter(|n| n != PROBLEMS_SHEET)
        .collect();
    let hidden = reader.hidden_sheet_names();

    let mut by_sheet: HashMap<&str, SheetMarks<'_>> = HashMap::new();
    for mark in marks {
        if !names.contains(&mark.sheet) {
            return Err(XlsxError::SheetNotFound(mark.sheet.clone()));
        }
        let Some(row) = mark.row.checked_sub(1) else {
            return Err(XlsxError::InvalidSpec(format!(
                "工作表「{}」的标注行号须从 1 起",
                mark.sheet
            )));
        };
        by_sheet
            .entry(mark.sheet.as_str())
            .or_default()
            .entry((row, mark.col.unwrap_or(0)))
            .or_default()
            .push(&mark.message);
    }

    let mut marker = Marker::new();
    let mut workbook = Workbook::new();
    if !marks.is_empty() {
        let list = problem_list(&mut reader, &names, marks)?;
        write_problems_sheet(
            &mut workbook,
            &list,
            by_sheet.values().map(BTreeMap::len).sum(),
        )?;
    }
    let first_visible = names.iter().position(|n| !hidden.contains(n));
    for (index, name) in names.iter().enumerate() {
        let werr = |e| XlsxError::from_writer(name, e);
        let ws = workbook
            .add_worksheet_with_constant_memory()
            .map_err(werr)?;
        ws.set_name(name).map_err(werr)?;
        let sheet_marks = by_sheet.remove(name.as_str()).unwrap_or_default();
        // Chart sheets and the like have no cells to carry over; they come back empty.
        match reader.rows(name) {
            Ok(rows) => marker.copy_sheet(ws, name, rows, &sheet_marks)?,
            Err(e) if is_not_a_worksheet(&e) => marker.copy_marks_only(ws, name, &sheet_marks)?,
            Err(e) => return Err(e),
        }
        if hidden.contains(name) {
            ws.set_hidden(true);
        } else if marks.is_empty() && Some(index) == first_visible {
            ws.set_active(true);
        }
    }
    workbook.save_to_buffer().map_err(XlsxError::Write)
}

/// A chart sheet or the like: no cells, but not a damaged file either.
fn is_not_a_worksheet(error: &XlsxError) -> bool {
    matches!(
        error,
        XlsxError::ReadSheet {
            source: calamine::XlsxError::NotAWorksheet(_),
            ..
        }
    )
}

/// One line of the problems sheet.
struct Problem<'a> {
    sheet: &'a str,
    row: u32,
    col: Option<u32>,
    header: String,
    message: &'a str,
}

/// The marks in workbook order, each with its column's header text from row 1.
fn problem_list<'a>(
    reader: &mut WorkbookReader,
    names: &'a [String],
    marks: &'a [CellMark],
) -> Result<Vec<Problem<'a>>, XlsxError> {
    let mut headers: HashMap<&str, Vec<Cell>> = HashMap::new();
    for mark in marks {
        if headers.contains_key(mark.sheet.as_str()) {
            continue;
        }
        // Only row 1 is read: the stream stops there.
        let first = match reader.rows(&mark.sheet) {
            Ok(mut rows) => rows.next().transpose()?,
            Err(e) if is_not_a_worksheet(&e) => None,
            Err(e) => return Err(e),
        };
        let row1 = first
            .filter(|(n, _)| *n == 1)
            .map(|(_, c)| c)
            .unwrap_or_default();
        headers.insert(&mark.sheet, row1);
    }
    let position = |sheet: &str| names.iter().position(|n| n == sheet).unwrap_or(usize::MAX);
    let mut list: Vec<Problem<'a>> = marks
        .iter()
        .map(|m| Problem {
            sheet: &m.sheet,
            row: m.row,
            col: m.col,
            header: m
                .col
                .and_then(|c| headers.get(m.sheet.as_str())?.get(c as usize)?.as_text())
                .unwrap_or_default(),
            message: &m.message,
        })
        .collect();
    list.sort_by_key(|p| (position(p.sheet), p.row, p.col));
    Ok(list)
}

fn write_problems_sheet(
    workbook: &mut Workbook,
    list: &[Problem<'_>],
    marked_cells: usize,
) -> Result<(), XlsxError> {
    let werr = |e| XlsxError::from_writer(PROBLEMS_SHEET, e);
    let ws = workbook
        .add_worksheet_with_constant_memory()
        .map_err(werr)?;
    ws.set_name(PROBLEMS_SHEET).map_err(werr)?;
    let comments = if marked_cells > MAX_COMMENTS {
        format!("前 {MAX_COMMENTS} 个单元格附有批注（鼠标移到单元格上可看），其余请看本表")
    } else {
        "鼠标移到单元格上可看批注".to_owned()
    };
    let summary = format!(
        "共 {} 个问题。出错的单元格已标为粉红色，{comments}。改正后重新提交即可：以“说明”开头的工作表不会被导入。",
        list.len()
    );
    let bold = Format::new().set_bold();
    ws.write_string_with_format(0, 0, summary, &bold)
        .map_err(werr)?;
    let headers = ["工作表", "行", "列", "列名", "问题"];
    let header_format = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_border(FormatBorder::Thin);
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(1, col(c), *h, &header_format)
            .map_err(werr)?;
    }
    for (i, p) in list.iter().enumerate() {
        let row = u32::try_from(i + 2).map_err(|_| XlsxError::TooManyRows {
            sheet: PROBLEMS_SHEET.to_owned(),
        })?;
        ws.write_string(row, 0, p.sheet).map_err(werr)?;
        ws.write_number(row, 1, p.row).map_err(werr)?;
        if let Some(c) = p.col {
            ws.write_string(row, 2, column_letter(c)).map_err(werr)?;
        }
        if !p.header.is_empty() {
            ws.write_string(row, 3, &p.header).map_err(werr)?;
        }
        ws.write_string(row, 4, p.message).map_err(werr)?;
    }
    for (c, width) in [12.0, 8.0, 6.0, 16.0, 80.0].into_iter().enumerate() {
        ws.set_column_width(col(c), width).map_err(werr)?;
    }
    ws.set_freeze_panes(2, 0).map_err(werr)?;
    Ok(())
}

/// Writes the copied sheets: formats of plain and marked cells, and the comment budget.
struct Marker {
    text: Format,
    date: Format,
    datetime: Format,
    marked_plain: Format,
    marked_text: Format,
    marked_date: Format,
    marked_datetime: Format,
    comments_left: usize,
}

impl Marker {
    fn new() -> Self {
        // Excel's own "bad" look: pink fill, dark red text, plus a red border to stand out.
        let mark = |f: Format| {
            f.set_background_color(Color::RGB(0xFFC7CE))
                .set_font_color(Color::RGB(0x9C0006))
                .set_border(FormatBorder::Thin)
                .set_border_color(Color::RGB(0xFF0000))
        };
        // Text cells get the text format (@), so an ID number retyped there stays text.
        let text = Format::new().set_num_format_index(49);
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let datetime = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
        Self {
            marked_plain: mark(Format::new()),
            marked_text: mark(text.clone()),
            marked_date: mark(date.clone()),
            marked_datetime: mark(datetime.clone()),
            text,
            date,
            datetime,
            comments_left: MAX_COMMENTS,
        }
    }

    fn copy_sheet(
        &mut self,
        ws: &mut Worksheet,
        name: &str,
        rows: Rows<'_>,
        marks: &SheetMarks<'_>,
    ) -> Result<(), XlsxError> {
        let werr = |e| XlsxError::from_writer(name, e);
        let mut pending = marks.iter().peekable();
        let mut widths: Vec<usize> = Vec::new();
        for item in rows {
            let (row_number, cells) = item?;
            let row = row_number - 1;
            // Marks on rows the original leaves empty come first, to keep rows in order.
            while let Some(((r, c), messages)) = pending.next_if(|((r, _), _)| *r < row) {
                self.write_mark(ws, *r, *c, &Cell::Empty, messages)
                    .map_err(werr)?;
            }
            let mut row_marks = BTreeMap::new();
            while let Some(((_, c), messages)) = pending.next_if(|((r, _), _)| *r == row) {
                row_marks.insert(*c, messages);
            }
            for (c, cell) in cells.iter().enumerate() {
                let c32 = u32::try_from(c).unwrap_or(u32::MAX);
                if let Some(messages) = row_marks.remove(&c32) {
                    self.write_mark(ws, row, c32, cell, messages)
                        .map_err(werr)?;
                } else {
                    self.write_value(ws, row, col(c), cell).map_err(werr)?;
                }
                if row < WIDTH_SAMPLE_ROWS {
                    let w = cell.as_text().map_or(0, |t| display_width(&t));
                    if widths.len() <= c {
                        widths.resize(c + 1, 0);
                    }
                    widths[c] = widths[c].max(w);
                }
            }
            for (c, messages) in row_marks {
                self.write_mark(ws, row, c, &Cell::Empty, messages)
                    .map_err(werr)?;
            }
        }
        for ((r, c), messages) in pending {
            self.write_mark(ws, *r, *c, &Cell::Empty, messages)
                .map_err(werr)?;
        }
        for (c, w) in widths.into_iter().enumerate() {
            ws.set_column_width(col(c), column_width(w)).map_err(werr)?;
        }
        if marks.keys().any(|(r, _)| *r > 0) {
            ws.set_freeze_panes(1, 0).map_err(werr)?;
        }
        Ok(())
    }

    fn copy_marks_only(
        &mut self,
        ws: &mut Worksheet,
        name: &str,
        marks: &SheetMarks<'_>,
    ) -> Result<(), XlsxError> {
        for ((r, c), messages) in marks {
            self.write_mark(ws, *r, *c, &Cell::Empty, messages)
                .map_err(|e| XlsxError::from_writer(name, e))?;
        }
        Ok(())
    }

    /// Writes a value as it was read, keeping its kind.
    fn write_value(
        &self,
        ws: &mut Worksheet,
        row: u32,
        column: u16,
        cell: &Cell,
    ) -> Result<(), rust_xlsxwriter::XlsxError> {
        match cell {
            Cell::Empty => {}
            Cell::Text(s) => {
                ws.write_string_with_format(row, column, s, &self.text)?;
            }
            Cell::Number(n) => {
                ws.write_number(row, column, *n)?;
            }
            Cell::Bool(b) => {
                ws.write_boolean(row, column, *b)?;
            }
            Cell::Date(d) => {
                ws.write_datetime_with_format(row, column, d, &self.date)?;
            }
            Cell::DateTime(dt) => {
                ws.write_datetime_with_format(row, column, dt, &self.datetime)?;
            }
            // rust_xlsxwriter writes no bare error values; the code is kept as text.
            Cell::Error(code) => {
                ws.write_string(row, column, code)?;
            }
        }
        Ok(())
    }

    /// Writes a marked cell: its value (or nothing) with the mark's fill, and the comment
    /// while the budget lasts.
    fn write_mark(
        &mut self,
        ws: &mut Worksheet,
        row: u32,
        c: u32,
        cell: &Cell,
        messages: &[&str],
    ) -> Result<(), rust_xlsxwriter::XlsxError> {
        let column = u16::try_from(c).unwrap_or(u16::MAX);
        match cell {
            Cell::Empty => ws.write_blank(row, column, &self.marked_plain)?,
            Cell::Text(s) => ws.write_string_with_format(row, column, s, &self.marked_text)?,
            Cell::Number(n) => ws.write_number_with_format(row, column, *n, &self.marked_plain)?,
            Cell::Bool(b) => ws.write_boolean_with_format(row, column, *b, &self.marked_plain)?,
            Cell::Date(d) => ws.write_datetime_with_format(row, column, d, &self.marked_date)?,
            Cell::DateTime(dt) => {
                ws.write_datetime_with_format(row, column, dt, &self.marked_datetime)?
            }
            Cell::Error(code) => {
                ws.write_string_with_format(row, column, code, &self.marked_plain)?
            }
        };
        if self.comments_left == 0 {
            return Ok(());
        }
        self.comments_left -= 1;
        let lines: usize = messages
            .iter()
            .map(|m| display_width(m).div_ceil(34).max(1))
            .sum();
        let note = Note::new(messages.join("\n"))
            .set_author("校验")
            .add_author_prefix(false)
            .set_width(260)
            .set_height(u32::try_from(20 + 18 * lines.min(20)).unwrap_or(380));
        ws.insert_note(row, column, &note)?;
        Ok(())
    }
}

//! Writing workbooks in the district format: a header row, an optional notes row, drop-down
//! lists, then data rows. Templates and exports are both made here.
//!
//! Every sheet is written in rust_xlsxwriter's "constant memory" mode: each row goes to a
//! temporary file as soon as the next one starts, and texts are stored inline rather than in
//! a shared-strings table. An export of a million rows thus needs little memory to write,
//! and reading it back needs no shared-strings table either.

use std::path::Path;

use chrono::NaiveDate;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, Format, FormatAlign, FormatBorder, Formula,
    Workbook, Worksheet,
};

use crate::{XlsxError, column_letter};

/// The hidden sheet holding drop-down lists too long to write inline. Its name begins with
/// 说明, which the import accepts and ignores.
pub const OPTIONS_SHEET: &str = "说明_选项";

/// How the first cell of a notes row begins; the import skips a row 2 that starts so.
pub const NOTES_MARKER: &str = "【填写说明】";

/// The number of columns Excel has.
const EXCEL_MAX_COLUMNS: usize = 16_384;

/// Excel's limit for an inline drop-down list, in UTF-16 units, commas included.
const INLINE_LIST_LIMIT: usize = 255;

/// What a sheet looks like before its data.
#[derive(Debug, Clone, Copy)]
pub struct SheetSpec<'a> {
    pub name: &'a str,
    /// Row 1, exactly as the import expects the column names.
    pub headers: &'a [&'a str],
    /// Per column, whether it is required (marked *). Shorter than `headers` means the rest
    /// are optional. Required headers are written in red on a yellow fill; the header text
    /// itself is left exactly as given, without a `*`.
    pub required: &'a [bool],
    /// Row 2, one note per column (may be shorter than `headers`). The first cell is made to
    /// begin with 【填写说明】, and when any column is required it also says that red headers
    /// are required.
    pub notes: Option<&'a [&'a str]>,
    /// Drop-down lists: (column, allowed words). Applied from the first data row down to
    /// Excel's last row. Typing another word only warns, so aliases can still be entered.
    pub dropdowns: &'a [(usize, &'a [&'a str])],
    /// Columns formatted as text (`@`), so Excel keeps leading zeros and all 18 digits of an
    /// ID number typed by hand. Text written to these columns carries the same format.
    pub text_columns: &'a [usize],
}

/// A sheet added to a [`WorkbookWriter`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SheetHandle(usize);

/// A value to write.
#[derive(Debug, Clone, PartialEq)]
pub enum OutCell {
    Empty,
    /// Always a text cell, even for digit strings like ID numbers; empty text is an empty cell.
    Text(String),
    /// A number cell. Above 2^53 (and for display, above 15 digits) Excel loses digits:
    /// identifiers go in [`OutCell::Text`].
    Int(i64),
    Number(f64),
    /// A date cell shown as `yyyy-mm-dd`.
    Date(NaiveDate),
    /// Written as the text 是 or 否.
    Bool(bool),
}

/// The formats every sheet shares.
struct Formats {
    header: Format,
    required_header: Format,
    notes: Format,
    text: Format,
    date: Format,
}

impl Formats {
    fn new() -> Self {
        let header = Format::new()
            .set_bold()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_background_color(Color::RGB(0xD9E1F2))
            .set_border(FormatBorder::Thin);
        let required_header = header
            .clone()
            .set_font_color(Color::RGB(0xC00000))
            .set_background_color(Color::RGB(0xFFF2CC));
        let notes = Format::new()
            .set_italic()
            .set_font_color(Color::RGB(0x595959))
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_num_format_index(49);
        Self {
            header,
            required_header,
            notes,
            text: Format::new().set_num_format_index(49),
            date: Format::new().set_num_format("yyyy-mm-dd"),
        }
    }
}

/// What the writer remembers of each sheet.
struct SheetState {
    name: String,
    /// 0-based index of the next row [`WorkbookWriter::write_row`] writes.
    next_row: u32,
    has_notes: bool,
    /// Whether any cell was written below the header and notes rows.
    has_data: bool,
    text_columns: Vec<bool>,
}

/// Builds one workbook, sheet by sheet and row by row.
pub struct WorkbookWriter {
    workbook: Workbook,
    formats: Formats,
    sheets: Vec<SheetState>,
    /// Long drop-down lists, each a column of [`OPTIONS_SHEET`], written when saving.
    option_lists: Vec<Vec<String>>,
}

impl std::fmt::Debug for WorkbookWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.sheets.iter().map(|s| s.name.as_str()).collect();
        f.debug_struct("WorkbookWriter")
            .field("sheets", &names)
            .finish_non_exhaustive()
    }
}

impl Default for WorkbookWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl WorkbookWriter {
    pub fn new() -> Self {
        Self {
            workbook: Workbook::new(),
            formats: Formats::new(),
            sheets: Vec::new(),
            option_lists: Vec::new(),
        }
    }

    /// Adds a sheet and writes what precedes its data: the header row (bold, frozen,
    /// required columns marked), the notes row if any, column widths fitted to Chinese
    /// text, text formats and drop-down lists. Data rows follow with
    /// [`WorkbookWriter::write_row`].
    pub fn add_sheet(&mut self, spec: &SheetSpec<'_>) -> Result<SheetHandle, XlsxError> {
        self.check_spec(spec)?;
        let name = spec.name;
        let werr = |e| XlsxError::from_writer(name, e);
        let index = self.sheets.len();
        let dropdowns = self.dropdown_validations(spec)?;
        let formats = &self.formats;
        let ws = self
            .workbook
            .add_worksheet_with_constant_memory()
            .map_err(werr)?;
        ws.set_name(name).map_err(werr)?;

        let mut text_columns = vec![false; spec.headers.len()];
        for &c in spec.text_columns {
            text_columns[c] = true;
            ws.set_column_format(col(c), &formats.text).map_err(werr)?;
        }

        let widths: Vec<usize> = (0..spec.headers.len())
            .map(|c| fitted_width(spec, c))
            .collect();
        for (c, header) in spec.headers.iter().enumerate() {
            let format = if spec.required.get(c).copied().unwrap_or(false) {
                &formats.required_header
            } else {
                &formats.header
            };
            ws.write_string_with_format(0, col(c), *header, format)
                .map_err(werr)?;
            ws.set_column_width(col(c), widths[c] as f64)
                .map_err(werr)?;
        }
        ws.set_freeze_panes(1, 0).map_err(werr)?;

        let mut next_row = 1;
        if let Some(notes) = spec.notes {
            write_notes_row(ws, spec, notes, &widths, formats).map_err(werr)?;
            next_row = 2;
        }

        for (c, validation) in dropdowns {
            ws.add_data_validation(next_row, col(c), crate::MAX_ROWS - 1, col(c), &validation)
                .map_err(werr)?;
        }

        self.sheets.push(SheetState {
            name: name.to_owned(),
            next_row,
            has_notes: spec.notes.is_some(),
            has_data: false,
            text_columns,
        });
        Ok(SheetHandle(index))
    }

    /// Appends one data row to the sheet, below the rows written so far.
    pub fn write_row(&mut self, sheet: SheetHandle, cells: &[OutCell]) -> Result<(), XlsxError> {
        let state = self
            .sheets
            .get_mut(sheet.0)
            .ok_or_else(|| XlsxError::InvalidSpec(format!("没有第 {} 个工作表", sheet.0 + 1)))?;
        let name = state.name.as_str();
        let werr = |e| XlsxError::from_writer(name, e);
        let row = state.next_row;
        if row >= crate::MAX_ROWS {
            return Err(XlsxError::TooManyRows {
                sheet: name.to_owned(),
            });
        }
        let ws = self.workbook.worksheet_from_index(sheet.0).map_err(werr)?;
        for (c, cell) in cells.iter().enumerate() {
            let column = col(c);
            match cell {
                OutCell::Empty => {}
                OutCell::Text(s) if s.is_empty() => {}
                OutCell::Text(s) => {
                    if state.text_columns.get(c).copied().unwrap_or(false) {
                        ws.write_string_with_format(row, column, s, &self.formats.text)
                    } else {
                        ws.write_string(row, column, s)
                    }
                    .map_err(werr)?;
                }
                OutCell::Int(i) => {
                    // Excel numbers are f64; identifiers belong in Text (see OutCell::Int).
                    ws.write_number(row, column, *i as f64).map_err(werr)?;
                }
                OutCell::Number(n) => {
                    ws.write_number(row, column, *n).map_err(werr)?;
                }
                OutCell::Date(d) => {
                    ws.write_datetime_with_format(row, column, d, &self.formats.date)
                        .map_err(|e| match e {
                            rust_xlsxwriter::XlsxError::DateTimeRangeError(_) => {
                                XlsxError::DateOutOfRange(*d)
                            }
                            e => werr(e),
                        })?;
                }
                OutCell::Bool(b) => {
                    ws.write_string(row, column, if *b { "是" } else { "否" })
                        .map_err(werr)?;
                }
            }
        }
        let empty = |cell: &OutCell| match cell {
            OutCell::Empty => true,
            OutCell::Text(s) => s.is_empty(),
            _ => false,
        };
        state.has_data |= !cells.iter().all(empty);
        state.next_row += 1;
        Ok(())
    }

    /// Saves the workbook to a file.
    pub fn save_to_path(self, path: &Path) -> Result<(), XlsxError> {
        let mut workbook = self.finish()?;
        workbook.save(path).map_err(XlsxError::Write)
    }

    /// Returns the workbook's bytes, e.g. for a download.
    pub fn save_to_bytes(self) -> Result<Vec<u8>, XlsxError> {
        let mut workbook = self.finish()?;
        workbook.save_to_buffer().map_err(XlsxError::Write)
    }

    /// Closes the sheets and writes the hidden sheet of long drop-down lists, if any.
    fn finish(mut self) -> Result<Workbook, XlsxError> {
        for (index, state) in self.sheets.iter().enumerate() {
            if state.has_notes && !state.has_data {
                // A template: no data below the notes row. rust_xlsxwriter 0.102 writes the
                // last row of a constant-memory sheet twice when it has a height of its own
                // (Excel then calls the file damaged), so an empty cell closes the sheet.
                let werr = |e| XlsxError::from_writer(&state.name, e);
                let ws = self.workbook.worksheet_from_index(index).map_err(werr)?;
                ws.write_blank(2, 0, &Format::new()).map_err(werr)?;
            }
        }
        if !self.option_lists.is_empty() {
            let werr = |e| XlsxError::from_writer(OPTIONS_SHEET, e);
            let ws = self.workbook.add_worksheet();
            ws.set_name(OPTIONS_SHEET).map_err(werr)?;
            for (c, words) in self.option_lists.iter().enumerate() {
                for (r, word) in words.iter().enumerate() {
                    ws.write_string(row(r), col(c), word).map_err(werr)?;
                }
            }
            ws.set_hidden(true);
        }
        Ok(self.workbook)
    }

    /// Refuses specs that would write a broken sheet; these are programming errors.
    fn check_spec(&self, spec: &SheetSpec<'_>) -> Result<(), XlsxError> {
        let name = spec.name;
        let clash = self
            .sheets
            .iter()
            .any(|s| s.name.to_lowercase() == name.to_lowercase());
        if clash || name == OPTIONS_SHEET {
            return Err(XlsxError::SheetName {
                name: name.to_owned(),
                source: None,
            });
        }
        let width = spec.headers.len();
        if width == 0 || width > EXCEL_MAX_COLUMNS {
            return Err(XlsxError::InvalidSpec(format!(
                "工作表「{name}」有 {width} 列，应为 1 至 {EXCEL_MAX_COLUMNS} 列"
            )));
        }
        let out_of_range = |what: &str, c: usize| {
            XlsxError::InvalidSpec(format!(
                "工作表「{name}」的{what}列 {} 超出表头范围（共 {width} 列）",
                column_letter(col(c).into())
            ))
        };
        if spec.required.len() > width {
            return Err(out_of_range("必填", spec.required.len() - 1));
        }
        if let Some(notes) = spec.notes
            && notes.len() > width
        {
            return Err(out_of_range("说明", notes.len() - 1));
        }
        if let Some(&c) = spec.text_columns.iter().find(|&&c| c >= width) {
            return Err(out_of_range("文本", c));
        }
        if let Some((c, _)) = spec.dropdowns.iter().find(|(c, _)| *c >= width) {
            return Err(out_of_range("下拉", *c));
        }
        Ok(())
    }

    /// One validation per drop-down column: inline when the list fits Excel's 255-character
    /// limit, otherwise a reference to a column of the hidden options sheet.
    fn dropdown_validations(
        &mut self,
        spec: &SheetSpec<'_>,
    ) -> Result<Vec<(usize, DataValidation)>, XlsxError> {
        let werr = |e| XlsxError::from_writer(spec.name, e);
        let mut out = Vec::new();
        for &(c, words) in spec.dropdowns {
            if words.is_empty() {
                continue;
            }
            let inline_len: usize = words
                .iter()
                .map(|w| w.encode_utf16().count())
                .sum::<usize>()
                + words.len()
                - 1;
            let inline_ok =
                inline_len <= INLINE_LIST_LIMIT && !words.iter().any(|w| w.contains([',', '"']));
            let validation = if inline_ok {
                DataValidation::new()
                    .allow_list_strings(words)
                    .map_err(werr)?
            } else {
                let list: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
                let index = match self.option_lists.iter().position(|l| *l == list) {
                    Some(i) => i,
                    None => {
                        self.option_lists.push(list);
                        self.option_lists.len() - 1
                    }
                };
                let letter = column_letter(col(index).into());
                DataValidation::new().allow_list_formula(Formula::new(format!(
                    "='{OPTIONS_SHEET}'!${letter}$1:${letter}${}",
                    words.len()
                )))
            };
            let validation = validation
                .set_error_style(DataValidationErrorStyle::Warning)
                .set_error_title("不在下拉列表中")
                .map_err(werr)?
                .set_error_message("请从下拉列表中选择。确定要保留输入的内容吗？")
                .map_err(werr)?;
            out.push((c, validation));
        }
        Ok(out)
    }
}

/// Row 2: the notes, the first beginning with 【填写说明】, wrapped in a row tall enough to
/// show them (Excel fits wrapped rows itself, LibreOffice does not).
fn write_notes_row(
    ws: &mut Worksheet,
    spec: &SheetSpec<'_>,
    notes: &[&str],
    widths: &[usize],
    formats: &Formats,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let mut lines = 1;
    for (c, &width) in widths.iter().enumerate() {
        let note = notes.get(c).copied().unwrap_or("");
        let text = if c == 0 {
            let rest = note.strip_prefix(NOTES_MARKER).unwrap_or(note);
            let required = if spec.required.contains(&true) {
                "红色表头的列必填。"
            } else {
                ""
            };
            format!("{NOTES_MARKER}{required}{rest}")
        } else {
            note.to_owned()
        };
        if text.is_empty() {
            continue;
        }
        let wrapped: usize = text
            .split('\n')
            .map(|line| {
                display_width(line)
                    .div_ceil(width.saturating_sub(1).max(1))
                    .max(1)
            })
            .sum();
        lines = lines.max(wrapped);
        ws.write_string_with_format(1, col(c), text, &formats.notes)?;
    }
    // 15 points a line of 11-point text; Excel allows at most 409.
    ws.set_row_height(1, (15 * lines.min(27)) as f64)?;
    Ok(())
}

/// The width of column `c` in characters: its header, its longest drop-down word, and room
/// for an 18-digit ID number in a text column.
fn fitted_width(spec: &SheetSpec<'_>, c: usize) -> usize {
    let header = display_width(spec.headers[c]) + 2;
    let options = spec
        .dropdowns
        .iter()
        .filter(|(dc, _)| *dc == c)
        .flat_map(|(_, words)| words.iter().map(|w| display_width(w)))
        .max()
        .unwrap_or(0);
    let text = if spec.text_columns.contains(&c) {
        20
    } else {
        0
    };
    column_width(header.max(options).max(text)) as usize
}

/// Width of text in Excel's character units: CJK and full-width characters count two.
pub(crate) fn display_width(s: &str) -> usize {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
}

/// A column width for content of `chars` units: a little padding, within 8..=40.
pub(crate) fn column_width(chars: usize) -> f64 {
    (chars + 2).clamp(8, 40) as f64
}

/// A 0-based column index as rust_xlsxwriter's type; callers checked it against the header.
pub(crate) fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// A 0-based row index as rust_xlsxwriter's type.
fn row(r: usize) -> u32 {
    u32::try_from(r).unwrap_or(u32::MAX)
}

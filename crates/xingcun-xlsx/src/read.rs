//! Reading a workbook one row at a time, so memory stays flat however long a sheet is.
//!
//! Built on calamine's `worksheet_cells_reader`, which decompresses and parses the sheet's
//! XML as it goes. What calamine holds for the whole file is the shared-strings table
//! (every distinct text of the workbook, loaded when the file is opened) and the styles; the
//! cells themselves are never collected.

use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek};
use std::path::Path;

use calamine::{DataRef, Reader, Xlsx, XlsxCellReader};
use chrono::NaiveDateTime;

use crate::{Cell, XlsxError};

/// Where the bytes of the workbook come from: a file or memory.
trait Source: Read + Seek + Send {}
impl<T: Read + Seek + Send> Source for T {}

type Workbook = Xlsx<Box<dyn Source>>;

/// An opened .xlsx workbook.
pub struct WorkbookReader {
    workbook: Workbook,
}

impl std::fmt::Debug for WorkbookReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkbookReader")
            .field("sheets", &self.sheet_names())
            .finish_non_exhaustive()
    }
}

impl WorkbookReader {
    /// Opens a workbook file. Reads the workbook's index, styles and shared strings; sheets
    /// are read only when [`WorkbookReader::rows`] asks for them.
    pub fn open_path(path: &Path) -> Result<Self, XlsxError> {
        let file = File::open(path).map_err(|source| XlsxError::Open {
            path: path.to_owned(),
            source,
        })?;
        Self::open(Box::new(BufReader::new(file)))
    }

    /// Opens a workbook held in memory, e.g. an upload.
    pub fn open_bytes(bytes: Vec<u8>) -> Result<Self, XlsxError> {
        Self::open(Box::new(Cursor::new(bytes)))
    }

    fn open(source: Box<dyn Source>) -> Result<Self, XlsxError> {
        let workbook = Xlsx::new(source).map_err(|e| match e {
            calamine::XlsxError::Password => XlsxError::Password,
            other => XlsxError::NotXlsx(other),
        })?;
        Ok(Self { workbook })
    }

    /// The names of all sheets in workbook order, hidden ones included, exactly as stored
    /// (untrimmed).
    pub fn sheet_names(&self) -> Vec<String> {
        self.workbook.sheet_names()
    }

    /// The names of the sheets Excel hides from the clerk (e.g. a template's option lists).
    pub fn hidden_sheet_names(&self) -> Vec<String> {
        self.workbook
            .sheets_metadata()
            .iter()
            .filter(|s| s.visible != calamine::SheetVisible::Visible)
            .map(|s| s.name.clone())
            .collect()
    }

    /// Whether the workbook counts dates from 1904 (old Mac Excel). Date cells are already
    /// converted accordingly; this is for information.
    pub fn is_1904(&self) -> bool {
        self.workbook.has_1904_epoch()
    }

    /// Streams the rows of the sheet named exactly `sheet`, in file order.
    ///
    /// Each item is `(row_number, cells)`: the row number is 1-based, as Excel shows it, and
    /// `cells` is as wide as the header row (row 1) or, when this row reaches further right,
    /// up to its last non-empty cell. Rows without any value, whether absent from the file
    /// or only formatted, are **skipped**, so row numbers can jump; a row whose cells hold
    /// only white space is yielded (see [`Cell::is_blank`]). After an error the iterator ends.
    pub fn rows(&mut self, sheet: &str) -> Result<Rows<'_>, XlsxError> {
        let cells = self
            .workbook
            .worksheet_cells_reader(sheet)
            .map_err(|e| match e {
                calamine::XlsxError::WorksheetNotFound(name) => XlsxError::SheetNotFound(name),
                source => XlsxError::ReadSheet {
                    sheet: sheet.to_owned(),
                    source,
                },
            })?;
        Ok(Rows {
            cells,
            sheet: sheet.to_owned(),
            pending: None,
            header_width: 0,
            done: false,
        })
    }
}

/// A row's 0-based number and its non-empty cells by 0-based column.
type SparseRow = (u32, Vec<(u32, Cell)>);

/// The rows of one sheet; see [`WorkbookReader::rows`].
pub struct Rows<'a> {
    cells: XlsxCellReader<'a, Box<dyn Source>>,
    sheet: String,
    /// The first cell of the next row, read while finishing the previous one.
    pending: Option<(u32, u32, Cell)>,
    header_width: usize,
    done: bool,
}

impl std::fmt::Debug for Rows<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rows")
            .field("sheet", &self.sheet)
            .finish_non_exhaustive()
    }
}

impl Rows<'_> {
    /// The next cell as (row, column, value), 0-based; `None` at the end of the sheet.
    fn next_cell(&mut self) -> Result<Option<(u32, u32, Cell)>, XlsxError> {
        match self.cells.next_cell() {
            Ok(Some(cell)) => {
                let (row, col) = cell.get_position();
                Ok(Some((row, col, convert(cell.get_value()))))
            }
            Ok(None) => Ok(None),
            Err(source) => Err(XlsxError::ReadSheet {
                sheet: self.sheet.clone(),
                source,
            }),
        }
    }

    /// Collects the non-empty cells of the next row that has any.
    fn next_row(&mut self) -> Result<Option<SparseRow>, XlsxError> {
        loop {
            let first = match self.pending.take() {
                Some(cell) => Some(cell),
                None => self.next_cell()?,
            };
            let Some((row, col, cell)) = first else {
                return Ok(None);
            };
            let mut cells = Vec::new();
            if cell != Cell::Empty {
                cells.push((col, cell));
            }
            loop {
                match self.next_cell()? {
                    None => {
                        self.done = true;
                        break;
                    }
                    Some((r, c, v)) if r == row => {
                        if v != Cell::Empty {
                            cells.push((c, v));
                        }
                    }
                    Some(next) => {
                        self.pending = Some(next);
                        break;
                    }
                }
            }
            if !cells.is_empty() {
                return Ok(Some((row, cells)));
            }
            if self.done {
                return Ok(None);
            }
        }
    }
}

impl Iterator for Rows<'_> {
    type Item = Result<(u32, Vec<Cell>), XlsxError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done && self.pending.is_none() {
            return None;
        }
        match self.next_row() {
            Ok(Some((row, _))) if row >= crate::MAX_ROWS => {
                self.done = true;
                self.pending = None;
                Some(Err(XlsxError::TooManyRows {
                    sheet: self.sheet.clone(),
                }))
            }
            Ok(Some((row, cells))) => {
                let reach = cells
                    .iter()
                    .map(|(c, _)| *c as usize + 1)
                    .max()
                    .unwrap_or(0);
                let width = reach.max(self.header_width);
                if row == 0 {
                    self.header_width = width;
                }
                let mut out = vec![Cell::Empty; width];
                for (c, v) in cells {
                    out[c as usize] = v;
                }
                Some(Ok((row + 1, out)))
            }
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                self.pending = None;
                Some(Err(e))
            }
        }
    }
}

/// calamine's value to ours. Date cells carry the workbook's 1900/1904 system already.
fn convert(value: &DataRef<'_>) -> Cell {
    match value {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => text(s),
        DataRef::SharedString(s) => text(s),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) if dt.is_datetime() => match dt.as_datetime() {
            Some(value) => date_or_datetime(value),
            None => Cell::Number(dt.as_f64()),
        },
        // A duration such as `[h]:mm`: no date, keep the number of days.
        DataRef::DateTime(dt) => Cell::Number(dt.as_f64()),
        DataRef::DateTimeIso(s) => iso_datetime(s).map_or_else(|| text(s), date_or_datetime),
        DataRef::DurationIso(s) => text(s),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    }
}

fn text(s: &str) -> Cell {
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s.to_owned())
    }
}

fn date_or_datetime(value: NaiveDateTime) -> Cell {
    if value.time() == chrono::NaiveTime::MIN {
        Cell::Date(value.date())
    } else {
        Cell::DateTime(value)
    }
}

/// A `t="d"` cell (ISO 8601 text), written by some tools instead of a serial number.
fn iso_datetime(s: &str) -> Option<NaiveDateTime> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(|d| d.and_time(chrono::NaiveTime::MIN))
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f"))
        .ok()
}

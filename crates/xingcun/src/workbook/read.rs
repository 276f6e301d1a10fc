//! Reading an uploaded workbook into canonical rows: every cell checked by its column's kind,
//! every problem collected with its sheet, row and column.

use xingcun_domain::text::{has_line_break, normalize_name, trim_all};
use xingcun_xlsx::{Cell, CellError, WorkbookReader};

use super::Problem;
use super::sheets::{Kind, SHEETS, Sheet};

/// One row in canonical form: a value per sheet column (in the sheet's column order); `None`
/// for an empty cell or an absent column.
#[derive(Debug, Clone)]
pub struct Row {
    pub row: u32,
    pub values: Vec<Option<String>>,
}

impl Row {
    pub fn get(&self, i: usize) -> Option<&str> {
        self.values[i].as_deref()
    }
}

/// A sheet as read: which columns the file has, and its rows.
#[derive(Debug)]
pub struct SheetData {
    pub sheet: &'static Sheet,
    /// Per sheet column: is it in the file?
    pub present: Vec<bool>,
    /// Per sheet column: its 0-based column in the file (for marking cells).
    pub file_col: Vec<Option<u32>>,
    pub rows: Vec<Row>,
}

impl SheetData {
    pub fn problem(
        &self,
        row: u32,
        col: Option<usize>,
        value: Option<&str>,
        message: impl Into<String>,
    ) -> Problem {
        Problem {
            sheet: self.sheet.name.to_string(),
            row,
            column: col.map(|c| self.sheet.columns[c].header.to_string()),
            file_col: col.and_then(|c| self.file_col[c]),
            value: value.map(str::to_string),
            message: message.into(),
        }
    }
}

/// Told the sheet and the rows read so far, every 50,000 rows and at each sheet's end.
pub type Progress = fn(&str, u64);

/// Rows per piece of a streamed sheet (see [`super::check::streamed`]).
pub const CHUNK_ROWS: usize = 10_000;

/// What reading hands on: a sheet, or a chunk of a streamed sheet's rows, and the problems
/// found while reading it (a piece without a sheet carries the workbook's own problems).
#[derive(Debug)]
pub struct Piece {
    pub data: Option<SheetData>,
    pub problems: Vec<Problem>,
}

/// Reads every sheet of ours present in the workbook, in import order, handing each sheet (a
/// streamed sheet chunk by chunk) to `send` as soon as it is read, so no more than a chunk of a
/// large sheet is held. Stops when `send` returns false (nobody is listening any more).
pub fn read_pieces(
    reader: &mut WorkbookReader,
    progress: Progress,
    send: &mut dyn FnMut(Piece) -> bool,
) {
    let names = reader.sheet_names();
    let hidden = reader.hidden_sheet_names();
    let mut problems = Vec::new();
    for name in &names {
        let n = trim_all(name);
        if super::sheets::by_name(n).is_none() && !n.starts_with("说明") && !hidden.contains(name)
        {
            problems.push(Problem {
                sheet: n.to_string(),
                row: 0,
                column: None,
                file_col: None,
                value: None,
                message: format!(
                    "未知的工作表「{n}」：只能包含 {} 或以“说明”开头的工作表",
                    sheet_list()
                ),
            });
        }
    }
    if !problems.is_empty()
        && !send(Piece {
            data: None,
            problems,
        })
    {
        return;
    }
    for sheet in SHEETS {
        let Some(actual) = names.iter().find(|n| trim_all(n) == sheet.name) else {
            continue;
        };
        let go_on = match read_sheet(reader, actual, sheet, progress, send) {
            Ok(go_on) => go_on,
            Err(e) => send(Piece {
                data: None,
                problems: vec![Problem {
                    sheet: sheet.name.into(),
                    row: 0,
                    column: None,
                    file_col: None,
                    value: None,
                    message: format!("无法读取工作表：{e}"),
                }],
            }),
        };
        if !go_on {
            return;
        }
    }
}

fn sheet_list() -> String {
    SHEETS.iter().map(|s| s.name).collect::<Vec<_>>().join("、")
}

fn read_sheet(
    reader: &mut WorkbookReader,
    actual_name: &str,
    sheet: &'static Sheet,
    progress: Progress,
    send: &mut dyn FnMut(Piece) -> bool,
) -> Result<bool, xingcun_xlsx::XlsxError> {
    let mut rows = reader.rows(actual_name)?;
    let Some(header) = rows.next() else {
        return Ok(true);
    };
    let mut problems = Vec::new();
    let problems = &mut problems;
    let (_, header) = header?;
    let mut data = SheetData {
        sheet,
        present: vec![false; sheet.columns.len()],
        file_col: vec![None; sheet.columns.len()],
        rows: Vec::new(),
    };
    // file column → sheet column (None: ignored 序号/备注 or empty header)
    let mut map: Vec<Option<usize>> = Vec::with_capacity(header.len());
    let mut header_ok = true;
    for (fc, cell) in header.iter().enumerate() {
        let name = cell
            .as_text()
            .map(|t| trim_all(&t).to_string())
            .unwrap_or_default();
        if name.is_empty() || name == "序号" || name == "备注" {
            map.push(None);
            continue;
        }
        match sheet.columns.iter().position(|c| c.header == name) {
            Some(i) if data.present[i] => {
                problems.push(data.problem(1, None, Some(&name), format!("列「{name}」重复出现")));
                header_ok = false;
                map.push(None);
            }
            Some(i) => {
                data.present[i] = true;
                data.file_col[i] = Some(fc as u32);
                map.push(Some(i));
            }
            None => {
                let mut p = data.problem(1, None, Some(&name), format!("未知的列「{name}」"));
                p.file_col = Some(fc as u32);
                problems.push(p);
                header_ok = false;
                map.push(None);
            }
        }
    }
    for (i, c) in sheet.columns.iter().enumerate() {
        if c.required && !data.present[i] {
            problems.push(data.problem(1, None, None, format!("缺少必填列「{}」", c.header)));
            header_ok = false;
        }
    }
    if !header_ok {
        return Ok(send(Piece {
            data: Some(data),
            problems: std::mem::take(problems),
        }));
    }
    let chunked = super::check::streamed(sheet.id);
    let mut count = 0u64;
    for item in rows {
        let (row_no, cells) = item?;
        if cells.iter().all(Cell::is_blank) {
            continue;
        }
        if row_no == 2
            && cells
                .first()
                .and_then(Cell::as_text)
                .is_some_and(|t| t.starts_with(xingcun_xlsx::NOTES_MARKER))
        {
            continue;
        }
        let mut values = vec![None; sheet.columns.len()];
        for (fc, cell) in cells.iter().enumerate() {
            let Some(Some(i)) = map.get(fc) else {
                continue;
            };
            match canonical(sheet.columns[*i].kind, cell) {
                Ok(v) => values[*i] = v,
                Err(msg) => {
                    problems.push(data.problem(row_no, Some(*i), cell.as_text().as_deref(), msg))
                }
            }
        }
        for (i, c) in sheet.columns.iter().enumerate() {
            if c.required && values[i].is_none() {
                problems.push(data.problem(
                    row_no,
                    Some(i),
                    None,
                    format!("「{}」为必填项", c.header),
                ));
            }
        }
        normalize_row(sheet, &mut values);
        count += 1;
        if count.is_multiple_of(50_000) {
            progress(sheet.name, count);
        }
        data.rows.push(Row {
            row: row_no,
            values,
        });
        if chunked && data.rows.len() == CHUNK_ROWS {
            let chunk = SheetData {
                sheet,
                present: data.present.clone(),
                file_col: data.file_col.clone(),
                rows: std::mem::replace(&mut data.rows, Vec::with_capacity(CHUNK_ROWS)),
            };
            if !send(Piece {
                data: Some(chunk),
                problems: std::mem::take(problems),
            }) {
                return Ok(false);
            }
        }
    }
    progress(sheet.name, count);
    Ok(send(Piece {
        data: Some(data),
        problems: std::mem::take(problems),
    }))
}

/// A cell's canonical value for its column kind: text trimmed, dates ISO, booleans 1/0, enums by
/// code; `None` for an empty cell.
pub fn canonical(kind: Kind, cell: &Cell) -> Result<Option<String>, String> {
    let text = |c: &Cell| {
        c.as_text()
            .map(|t| trim_all(&t).to_string())
            .filter(|t| !t.is_empty())
    };
    match kind {
        Kind::Text | Kind::Multiline | Kind::Name => {
            let Some(t) = text(cell) else { return Ok(None) };
            if kind != Kind::Multiline && has_line_break(&t) {
                return Err("单元格内不能换行".into());
            }
            Ok(Some(if kind == Kind::Name {
                normalize_name(&t)
            } else {
                t
            }))
        }
        Kind::Ident => cell
            .identifier_text()
            .map(|v| {
                v.map(|s| trim_all(&s).to_string())
                    .filter(|s| !s.is_empty())
            })
            .map_err(cell_message),
        Kind::IdNumber => match cell {
            Cell::Number(_) => Err("身份证号须设置为文本格式后重新填写".into()),
            _ => cell
                .identifier_text()
                .map(|v| {
                    v.map(|s| trim_all(&s).to_uppercase())
                        .filter(|s| !s.is_empty())
                })
                .map_err(cell_message),
        },
        Kind::Date => cell
            .as_date()
            .map(|d| d.map(|d| d.to_string()))
            .map_err(cell_message),
        Kind::Bool => cell
            .as_bool()
            .map(|b| b.map(|b| if b { "1".to_string() } else { "0".to_string() }))
            .map_err(cell_message),
        Kind::Enum(e) => {
            let Some(t) = text(cell) else { return Ok(None) };
            e.parse(&t).map(|c| Some(c.to_string()))
        }
    }
}

fn cell_message(e: CellError) -> String {
    e.to_string()
}

/// Sheet-specific canonical forms that depend on another cell: a 村干部's 职务 is one of the
/// listed posts and is stored by its code (it is part of the sheet's key).
pub fn normalize_row(sheet: &Sheet, values: &mut [Option<String>]) {
    use xingcun_domain::enums::{CadreCategory, VillagePost};
    // 性别 and 出生日期 are read off the ID number when left empty (a filled cell is checked
    // against it), so the stored values always agree with the ID.
    if sheet.id == super::sheets::SheetId::People {
        if let Some(id) = values[0]
            .as_deref()
            .and_then(|v| xingcun_domain::IdNumber::parse(v, chrono::NaiveDate::MAX).ok())
        {
            let (sex_i, birth_i) = (sheet.index("性别"), sheet.index("出生日期"));
            values[sex_i].get_or_insert_with(|| id.sex().code().to_string());
            values[birth_i].get_or_insert_with(|| id.birth_date().to_string());
        }
        return;
    }
    if sheet.id != super::sheets::SheetId::Cadres {
        return;
    }
    let (cat_i, post_i) = (sheet.index("干部类别"), sheet.index("职务"));
    if values[cat_i].as_deref() == Some(CadreCategory::VillageCadre.code())
        && let Some(post) = values[post_i].as_deref()
        && let Ok(p) = VillagePost::parse(post)
    {
        values[post_i] = Some(p.code().to_string());
    }
}

//! Errors of the workbook layer, with messages a district clerk can act on.
//!
//! Policy: [`CellError`] is about one cell's value and is mapped by the caller to a
//! `sheet, row, column: message` line (the caller also knows which column it is, e.g. that a
//! numeric 身份证号 gets its own message). [`XlsxError`] is about the file as a whole: it cannot
//! be opened, a sheet is missing, or writing failed. Display texts are Chinese; the library
//! error underneath stays reachable through `source()` for logs.

use std::path::PathBuf;

use chrono::NaiveDate;

/// A cell whose value does not have the form its column needs.
///
/// Each variant keeps the cell's text as read ([`CellError::value`]), so the caller can show
/// the bad value next to the message without it being repeated in the message itself.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CellError {
    /// An identifier column holds a number that is not an integer of at most 15 digits
    /// (Excel keeps only 15 significant digits, so longer numbers have already lost digits).
    #[error("编号须为文本（数字单元格最多 15 位整数）")]
    NumericIdentifier { value: String },
    /// An identifier column holds a date, date-time or logical value.
    #[error("编号须为文本，不能是日期或逻辑值")]
    IdentifierNotText { value: String },
    /// Neither a date-formatted cell nor text `YYYY-MM-DD`.
    #[error("日期格式不正确，应为 YYYY-MM-DD 或日期格式单元格")]
    InvalidDate { value: String },
    /// A date-time cell with a time of day where only a date is wanted.
    #[error("日期不应包含时间，应为 YYYY-MM-DD 或日期格式单元格")]
    DateHasTime { value: String },
    /// A yes/no column holding something other than 是, 否 or a logical value.
    #[error("应填“是”或“否”")]
    InvalidBool { value: String },
    /// The cell shows a formula error such as `#N/A` instead of a value.
    #[error("单元格为公式错误值 {value}，请改为实际内容")]
    ExcelError { value: String },
}

impl CellError {
    /// The cell's text as read, for showing next to the message.
    pub fn value(&self) -> &str {
        match self {
            Self::NumericIdentifier { value }
            | Self::IdentifierNotText { value }
            | Self::InvalidDate { value }
            | Self::DateHasTime { value }
            | Self::InvalidBool { value }
            | Self::ExcelError { value } => value,
        }
    }
}

/// A workbook that cannot be read or written.
#[derive(Debug, thiserror::Error)]
pub enum XlsxError {
    #[error("无法打开文件 {}", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("文件设有打开密码，请在 Excel 中取消密码后重新提交")]
    Password,
    #[error("文件不是有效的 .xlsx 工作簿（.xls、.et、.csv 等请先在 Excel 或 WPS 中另存为 .xlsx）")]
    NotXlsx(#[source] calamine::XlsxError),
    #[error("找不到工作表「{0}」")]
    SheetNotFound(String),
    #[error("工作表「{sheet}」无法读取，文件可能已损坏")]
    ReadSheet {
        sheet: String,
        #[source]
        source: calamine::XlsxError,
    },
    #[error("工作表「{sheet}」超过 Excel 的行数上限（1048576 行）")]
    TooManyRows { sheet: String },
    #[error(
        "工作表名「{name}」不可用：最多 31 个字符，不能含 [ ] : * ? / \\ ，不能以 ' 开头或结尾，且不能重名"
    )]
    SheetName {
        name: String,
        #[source]
        source: Option<rust_xlsxwriter::XlsxError>,
    },
    #[error("单元格内容过长（Excel 单元格最多 32767 个字符）")]
    TextTooLong,
    #[error("日期 {0} 超出 Excel 支持的范围（1900-01-01 至 9999-12-31）")]
    DateOutOfRange(NaiveDate),
    #[error("生成 Excel 文件失败")]
    Write(#[source] rust_xlsxwriter::XlsxError),
    /// The caller passed an inconsistent sheet spec, handle or mark: a programming error.
    #[error("表格定义有误：{0}")]
    InvalidSpec(String),
}

impl XlsxError {
    /// Maps a writer error, naming the sheet for the errors that concern it.
    pub(crate) fn from_writer(sheet: &str, error: rust_xlsxwriter::XlsxError) -> Self {
        use rust_xlsxwriter::XlsxError as W;
        match error {
            W::RowColumnLimitError => Self::TooManyRows {
                sheet: sheet.to_owned(),
            },
            W::MaxStringLengthExceeded => Self::TextTooLong,
            W::SheetnameCannotBeBlank(_)
            | W::SheetnameLengthExceeded(_)
            | W::SheetnameReused(_)
            | W::SheetnameContainsInvalidCharacter(_)
            | W::SheetnameStartsOrEndsWithApostrophe(_) => Self::SheetName {
                name: sheet.to_owned(),
                source: Some(error),
            },
            other => Self::Write(other),
        }
    }
}

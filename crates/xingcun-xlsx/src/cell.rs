//! One cell's value as read from a workbook, and the readings the workbook rules allow.
//!
//! The reader does not guess what a column means: a number stays a [`Cell::Number`] until
//! the caller asks for it as an identifier, a date or text. The helpers apply the "Cells"
//! rules of the workbook spec: trimming of Unicode white space, identifiers as text, dates
//! as date cells or `YYYY-MM-DD`, booleans as 是/否.

use chrono::{NaiveDate, NaiveDateTime};

use crate::CellError;

/// Largest number an identifier may arrive as: an integer of at most 15 digits, the most
/// Excel stores exactly.
const MAX_NUMERIC_IDENTIFIER: f64 = 1e15;

/// A cell's value.
///
/// Date-formatted cells arrive already converted with the workbook's date system (1900 or
/// 1904); one with no time of day is a [`Cell::Date`]. An empty string is [`Cell::Empty`].
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    /// A formula error shown in the cell, such as `#N/A` or `#REF!`.
    Error(String),
}

impl Cell {
    /// The cell as an identifier (身份证号, 编码, 编号, 联系电话).
    ///
    /// Text is trimmed and kept as it is; blank is `None`. A number is accepted only when it
    /// is a non-negative integer of at most 15 digits, rendered without ".0". A 身份证号 in a
    /// numeric cell is always wrong: callers check for [`Cell::Number`] first and use their
    /// own message for it.
    pub fn identifier_text(&self) -> Result<Option<String>, CellError> {
        match self {
            Cell::Empty => Ok(None),
            Cell::Text(s) => Ok(non_blank(s)),
            Cell::Number(n) => {
                if n.fract() == 0.0 && *n >= 0.0 && *n < MAX_NUMERIC_IDENTIFIER {
                    // Exact: below 1e15 every integer is representable and fits in u64.
                    Ok(Some(format!("{}", *n as u64)))
                } else {
                    Err(CellError::NumericIdentifier {
                        value: number_text(*n),
                    })
                }
            }
            Cell::Bool(_) | Cell::Date(_) | Cell::DateTime(_) => {
                Err(CellError::IdentifierNotText {
                    value: self.display(),
                })
            }
            Cell::Error(code) => Err(CellError::ExcelError {
                value: code.clone(),
            }),
        }
    }

    /// The cell as a date: a date-formatted cell, or text of exactly the form `YYYY-MM-DD`
    /// naming a real day. Blank is `None`. A date-time with a time of day, a plain number,
    /// or text of any other form (`2026-6-1`, `2026/06/01`, `2026-02-30`) is an error.
    pub fn as_date(&self) -> Result<Option<NaiveDate>, CellError> {
        match self {
            Cell::Empty => Ok(None),
            Cell::Date(d) => Ok(Some(*d)),
            Cell::Text(s) => match non_blank(s) {
                None => Ok(None),
                Some(t) => parse_iso_date(&t)
                    .map(Some)
                    .ok_or(CellError::InvalidDate { value: t }),
            },
            Cell::DateTime(_) => Err(CellError::DateHasTime {
                value: self.display(),
            }),
            Cell::Number(_) | Cell::Bool(_) => Err(CellError::InvalidDate {
                value: self.display(),
            }),
            Cell::Error(code) => Err(CellError::ExcelError {
                value: code.clone(),
            }),
        }
    }

    /// The cell as 是/否: a logical cell, or the text 是 or 否. Blank is `None`.
    pub fn as_bool(&self) -> Result<Option<bool>, CellError> {
        match self {
            Cell::Empty => Ok(None),
            Cell::Bool(b) => Ok(Some(*b)),
            Cell::Text(s) => match non_blank(s).as_deref() {
                None => Ok(None),
                Some("是") => Ok(Some(true)),
                Some("否") => Ok(Some(false)),
                Some(other) => Err(CellError::InvalidBool {
                    value: other.to_owned(),
                }),
            },
            Cell::Error(code) => Err(CellError::ExcelError {
                value: code.clone(),
            }),
            Cell::Number(_) | Cell::Date(_) | Cell::DateTime(_) => Err(CellError::InvalidBool {
                value: self.display(),
            }),
        }
    }

    /// The text the cell shows, trimmed of Unicode white space; `None` when blank.
    ///
    /// Numbers show as Excel's General format would (at most 15 significant digits, no
    /// ".0"), dates as `YYYY-MM-DD`, logical values as 是/否, errors as their code.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Cell::Text(s) => non_blank(s),
            Cell::Empty => None,
            _ => Some(self.display()),
        }
    }

    /// Empty, or text of only white space (including U+3000 and U+00A0).
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The untrimmed text the cell shows, for messages.
    fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => number_text(*n),
            Cell::Bool(true) => "是".to_owned(),
            Cell::Bool(false) => "否".to_owned(),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::DateTime(dt) => dt.format("%Y-%m-%d %H:%M:%S").to_string(),
            Cell::Error(code) => code.clone(),
        }
    }
}

/// Trimmed text, or `None` when nothing is left. `str::trim` removes every character with
/// the Unicode White_Space property, which includes U+3000 and U+00A0.
fn non_blank(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// A number as Excel's General format shows it: integers without ".0", others rounded to 15
/// significant digits (so 0.1 + 0.2 shows as 0.3).
fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < MAX_NUMERIC_IDENTIFIER {
        return format!("{}", n as i64);
    }
    let rounded: f64 = format!("{n:.14e}").parse().unwrap_or(n);
    format!("{rounded}")
}

/// `YYYY-MM-DD` exactly: four, two and two ASCII digits naming a real day.
fn parse_iso_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return None;
    }
    let year = s[0..4].parse().ok()?;
    let month = s[5..7].parse().ok()?;
    let day = s[8..10].parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[rstest]
    #[case::text_kept_as_is(Cell::Text("0012".into()), Some("0012"))]
    #[case::text_trimmed(Cell::Text("\u{3000}110101\u{a0}".into()), Some("110101"))]
    #[case::twelve_digit_number_without_point_zero(
        Cell::Number(110101001001.0),
        Some("110101001001")
    )]
    #[case::fifteen_digit_number(Cell::Number(999_999_999_999_999.0), Some("999999999999999"))]
    #[case::blank_text(Cell::Text(" \u{3000} ".into()), None)]
    #[case::empty(Cell::Empty, None)]
    fn identifier_text_accepts(#[case] cell: Cell, #[case] expected: Option<&str>) {
        assert_eq!(cell.identifier_text().unwrap().as_deref(), expected);
    }

    #[rstest]
    #[case::sixteen_digits(Cell::Number(1_000_000_000_000_000.0))]
    #[case::fraction(Cell::Number(12.5))]
    #[case::negative(Cell::Number(-3.0))]
    fn identifier_text_refuses_numbers_that_lost_or_never_had_digits(#[case] cell: Cell) {
        assert!(matches!(
            cell.identifier_text(),
            Err(CellError::NumericIdentifier { .. })
        ));
    }

    #[test]
    fn identifier_text_refuses_dates_and_logical_values() {
        let err = Cell::Date(date(2026, 1, 2)).identifier_text().unwrap_err();
        assert_eq!(
            err,
            CellError::IdentifierNotText {
                value: "2026-01-02".into()
            }
        );
        assert!(Cell::Bool(true).identifier_text().is_err());
        assert!(matches!(
            Cell::Error("#N/A".into()).identifier_text(),
            Err(CellError::ExcelError { .. })
        ));
    }

    #[rstest]
    #[case::date_cell(Cell::Date(date(2026, 6, 1)), Some(date(2026, 6, 1)))]
    #[case::iso_text(Cell::Text(" 2026-06-01 ".into()), Some(date(2026, 6, 1)))]
    #[case::leap_day(Cell::Text("2024-02-29".into()), Some(date(2024, 2, 29)))]
    #[case::blank(Cell::Text("\u{3000}".into()), None)]
    #[case::empty(Cell::Empty, None)]
    fn as_date_accepts(#[case] cell: Cell, #[case] expected: Option<NaiveDate>) {
        assert_eq!(cell.as_date().unwrap(), expected);
    }

    #[rstest]
    #[case::impossible_day("2026-02-30")]
    #[case::unpadded("2026-6-1")]
    #[case::slashes("2026/06/01")]
    #[case::chinese("2026年6月1日")]
    #[case::compact("20260601")]
    #[case::full_width_digits("２０２６-０６-０１")]
    fn as_date_refuses_text_not_of_the_form_yyyy_mm_dd(#[case] text: &str) {
        let err = Cell::Text(text.into()).as_date().unwrap_err();
        assert_eq!(err, CellError::InvalidDate { value: text.into() });
        assert!(err.to_string().contains("YYYY-MM-DD"), "{err}");
    }

    #[test]
    fn as_date_refuses_plain_numbers_and_times_of_day() {
        assert!(matches!(
            Cell::Number(46174.0).as_date(),
            Err(CellError::InvalidDate { .. })
        ));
        let dt = date(2026, 6, 1).and_hms_opt(8, 30, 0).unwrap();
        assert_eq!(
            Cell::DateTime(dt).as_date(),
            Err(CellError::DateHasTime {
                value: "2026-06-01 08:30:00".into()
            })
        );
    }

    #[rstest]
    #[case::yes(Cell::Text("是".into()), Some(true))]
    #[case::no_padded(Cell::Text(" 否 ".into()), Some(false))]
    #[case::logical(Cell::Bool(true), Some(true))]
    #[case::blank(Cell::Empty, None)]
    fn as_bool_accepts(#[case] cell: Cell, #[case] expected: Option<bool>) {
        assert_eq!(cell.as_bool().unwrap(), expected);
    }

    #[test]
    fn as_bool_refuses_other_words() {
        assert_eq!(
            Cell::Text("对".into()).as_bool(),
            Err(CellError::InvalidBool {
                value: "对".into()
            })
        );
    }

    #[rstest]
    #[case::integer(Cell::Number(42.0), Some("42"))]
    #[case::float_noise(Cell::Number(0.1 + 0.2), Some("0.3"))]
    #[case::fraction(Cell::Number(2.5), Some("2.5"))]
    #[case::logical(Cell::Bool(false), Some("否"))]
    #[case::date(Cell::Date(date(2026, 1, 5)), Some("2026-01-05"))]
    #[case::trimmed_text(Cell::Text("\u{a0}张三\u{3000}".into()), Some("张三"))]
    #[case::blank_text(Cell::Text("\u{3000}\u{a0} \t".into()), None)]
    #[case::error(Cell::Error("#DIV/0!".into()), Some("#DIV/0!"))]
    fn as_text_shows_what_the_cell_shows(#[case] cell: Cell, #[case] expected: Option<&str>) {
        assert_eq!(cell.as_text().as_deref(), expected);
    }

    #[rstest]
    #[case::empty(Cell::Empty, true)]
    #[case::ideographic_space(Cell::Text("\u{3000}".into()), true)]
    #[case::no_break_space(Cell::Text("\u{a0}\n".into()), true)]
    #[case::text(Cell::Text(" x ".into()), false)]
    #[case::zero(Cell::Number(0.0), false)]
    fn is_blank_counts_unicode_white_space(#[case] cell: Cell, #[case] expected: bool) {
        assert_eq!(cell.is_blank(), expected);
    }
}

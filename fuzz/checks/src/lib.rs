//! The properties the fuzz targets check, one function per target: the parsers never panic,
//! and what they accept is normalised, round-trips and masks as documented. The fuzz targets
//! call these with libFuzzer's inputs; `tests/corpus.rs` calls them with the corpus and a
//! generated sweep, on stable Rust.

use chrono::NaiveDate;
use xingcun_domain::{IdNumber, OrgCode, Phone};

fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// `IdNumber::parse`: an accepted number is 18 characters, digits and a final digit or `X`,
/// parses again to itself, and masks to the first 4 and last 4 with 10 `*` between.
pub fn id_number(data: &[u8]) {
    let Some(s) = text(data) else { return };
    let today = NaiveDate::from_ymd_opt(2026, 11, 29).expect("a date");
    if let Ok(id) = IdNumber::parse(s, today) {
        let v = id.as_str();
        assert_eq!(v.len(), 18, "{v}");
        assert!(v[..17].bytes().all(|b| b.is_ascii_digit()), "{v}");
        assert!(v.ends_with(|c: char| c.is_ascii_digit() || c == 'X'), "{v}");
        let again = IdNumber::parse(v, today).expect("an accepted number parses again");
        assert_eq!(again.as_str(), v);
        let m = id.masked();
        assert_eq!(m.chars().filter(|c| *c == '*').count(), 10, "{m}");
        assert_eq!((&m[..4], &m[14..]), (&v[..4], &v[14..]));
    }
}

/// `OrgCode::parse`: an accepted code is 12 or 15 ASCII digits and parses again to itself.
pub fn org_code(data: &[u8]) {
    let Some(s) = text(data) else { return };
    if let Ok(code) = OrgCode::parse(s) {
        let v = code.as_str();
        assert!(matches!(v.len(), 12 | 15), "{v}");
        assert!(v.bytes().all(|b| b.is_ascii_digit()), "{v}");
        assert_eq!(OrgCode::parse(v).expect("parses again").as_str(), v);
    }
}

/// `Phone::parse`: an accepted number normalises to a form that parses to itself, and its mask
/// hides digits.
pub fn phone(data: &[u8]) {
    let Some(s) = text(data) else { return };
    if let Ok(p) = Phone::parse(s) {
        let n = p.normalized();
        assert!(!n.is_empty());
        let again = Phone::parse(n).expect("a normalised number parses again");
        assert_eq!(again.normalized(), n);
        let m = p.masked();
        assert!(m.contains('*'), "{m}");
        assert_ne!(m, n);
    }
}

/// `WorkbookReader`: any bytes give a workbook or an error, never a panic; every sheet of an
/// accepted one reads to its end (or to an error), rows in order.
pub fn xlsx_reader(data: &[u8]) {
    let Ok(mut book) = xingcun_xlsx::WorkbookReader::open_bytes(data.to_vec()) else {
        return;
    };
    for name in book.sheet_names() {
        let Ok(rows) = book.rows(&name) else { continue };
        for row in rows.take(100_000) {
            if row.is_err() {
                break;
            }
        }
    }
}

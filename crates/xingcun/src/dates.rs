//! Dates as the district counts them: today is the date in Asia/Shanghai (UTC+8, no daylight
//! saving since 1991, so a fixed offset is exact).

use chrono::{FixedOffset, NaiveDate, Utc};

/// Today's date in Asia/Shanghai.
pub fn today() -> NaiveDate {
    let cst = FixedOffset::east_opt(8 * 3600).expect("valid offset");
    Utc::now().with_timezone(&cst).date_naive()
}

/// Machine time (Unix ms) as Asia/Shanghai local time, `YYYY-MM-DD HH:MM`.
pub fn local_minute(ms: i64) -> String {
    let cst = FixedOffset::east_opt(8 * 3600).expect("valid offset");
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.with_timezone(&cst).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// Machine time (Unix ms) as RFC 3339 with the +08:00 offset (Open311's datetimes).
pub fn rfc3339_cst(ms: i64) -> String {
    let cst = FixedOffset::east_opt(8 * 3600).expect("valid offset");
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| {
            t.with_timezone(&cst)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
        })
        .unwrap_or_default()
}

//! Dates as the district counts them: today is the date in Asia/Shanghai (UTC+8, no daylight
//! saving since 1991, so a fixed offset is exact).

use chrono::{FixedOffset, NaiveDate, Utc};

/// Today's date in Asia/Shanghai.
pub fn today() -> NaiveDate {
    let cst = FixedOffset::east_opt(8 * 3600).expect("valid offset");
    Utc::now().with_timezone(&cst).date_naive()
}

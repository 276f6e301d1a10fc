//! Pure domain rules of the platform: identifiers parsed at the boundary, the workbook's
//! enumerations, the division tree's code rules, counting and rounding, Chinese numerals,
//! the holiday calendar and pinyin search keys. No I/O, no async.
//!
//! Error policy: every parser returns `Result` with a `thiserror` error whose `Display` is a
//! Chinese message a township clerk can act on; past the parser, a value of the type is valid.

pub mod branches;
pub mod calc;
pub mod calendar;
pub mod credit_code;
pub mod demand;
pub mod division;
pub mod enums;
pub mod id_number;
pub mod numerals;
pub mod phone;
pub mod pinyin_keys;
pub mod text;

pub use calc::{Ratio, age_at, mean_1dp};
pub use calendar::{DayKind, HolidayCalendar};
pub use credit_code::CreditCode;
pub use division::{OrgCode, OrgKind};
pub use id_number::IdNumber;
pub use phone::Phone;
pub use pinyin_keys::{NameKeys, name_keys};

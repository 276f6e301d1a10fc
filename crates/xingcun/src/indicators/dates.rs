//! The dates a figure is computed for: D (时点) and the period F–T (时期), resolved from what
//! was given by the rules of indicators.md ("Dates").

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use crate::error::AppError;

/// What the command line, the API and the pages were given.
#[derive(Debug, Clone, Default, PartialEq, Eq, clap::Args)]
pub struct DateArgs {
    /// The org unit (区划编码) whose subtree is counted; default the root (CLI) or the user's own unit.
    #[arg(long)]
    pub org: Option<String>,
    /// D, the date of 时点 figures (YYYY-MM-DD).
    #[arg(long)]
    pub as_of: Option<NaiveDate>,
    /// F, the first day of 时期 figures (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<NaiveDate>,
    /// T, the last day of 时期 figures (YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<NaiveDate>,
}

/// Resolved dates: F ≤ T always.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dates {
    pub as_of: NaiveDate,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The period would end before it starts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("统计时期的开始日期 {from} 晚于结束日期 {to}，请调整后重试")]
pub struct FromAfterTo {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

fn new_year(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), 1, 1).unwrap_or(d)
}

impl DateArgs {
    /// The spec's rules: no dates → D = today, F = 1 January of D's year, T = D; only D →
    /// T = D, F = 1 January; only F/T → D = T; F without T → T = today (or D when D is given,
    /// as with D alone); T without F → F = 1 January of T's year. F > T is an error.
    pub fn resolve(&self, today: NaiveDate) -> Result<Dates, FromAfterTo> {
        let to = self.to.or(self.as_of).unwrap_or(today);
        let as_of = self.as_of.unwrap_or(to);
        let from = self.from.unwrap_or_else(|| new_year(to));
        if from > to {
            return Err(FromAfterTo { from, to });
        }
        Ok(Dates { as_of, from, to })
    }
}

/// The same, as query-string text (`?org=&as_of=&from=&to=`); an empty field counts as absent.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DateParams {
    pub org: Option<String>,
    pub as_of: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn parse_date(name: &str, label: &str, v: &Option<String>) -> Result<Option<NaiveDate>, AppError> {
    given(v)
        .map(|s| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
                AppError::BadRequest(format!(
                    "{label}（{name}）“{s}”不是有效日期，应为 YYYY-MM-DD，如 2026-06-30"
                ))
            })
        })
        .transpose()
}

impl DateParams {
    /// Reads the text fields; a bad date is a 400 naming the field.
    pub fn to_args(&self) -> Result<DateArgs, AppError> {
        Ok(DateArgs {
            org: given(&self.org).map(str::to_string),
            as_of: parse_date("as_of", "统计时点", &self.as_of)?,
            from: parse_date("from", "开始日期", &self.from)?,
            to: parse_date("to", "结束日期", &self.to)?,
        })
    }

    /// Reads and resolves; F > T is a 400 with the reason.
    pub fn resolve(&self, today: NaiveDate) -> Result<(DateArgs, Dates), AppError> {
        let args = self.to_args()?;
        let dates = args
            .resolve(today)
            .map_err(|e| AppError::BadRequest(e.to_string()))?;
        Ok((args, dates))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn args(as_of: Option<&str>, from: Option<&str>, to: Option<&str>) -> DateArgs {
        DateArgs {
            org: None,
            as_of: as_of.map(d),
            from: from.map(d),
            to: to.map(d),
        }
    }

    #[rstest]
    #[case::nothing(None, None, None, "2026-06-30", "2026-01-01", "2026-06-30")]
    #[case::only_d(
        Some("2025-09-15"),
        None,
        None,
        "2025-09-15",
        "2025-01-01",
        "2025-09-15"
    )]
    #[case::only_f_and_t(
        None,
        Some("2025-03-01"),
        Some("2025-05-31"),
        "2025-05-31",
        "2025-03-01",
        "2025-05-31"
    )]
    #[case::f_without_t(
        None,
        Some("2026-02-01"),
        None,
        "2026-06-30",
        "2026-02-01",
        "2026-06-30"
    )]
    #[case::t_without_f(
        None,
        None,
        Some("2025-08-31"),
        "2025-08-31",
        "2025-01-01",
        "2025-08-31"
    )]
    #[case::all_three(
        Some("2026-03-31"),
        Some("2025-01-01"),
        Some("2025-12-31"),
        "2026-03-31",
        "2025-01-01",
        "2025-12-31"
    )]
    #[case::d_and_f(
        Some("2026-03-31"),
        Some("2026-02-01"),
        None,
        "2026-03-31",
        "2026-02-01",
        "2026-03-31"
    )]
    fn dates_default_by_the_spec(
        #[case] as_of: Option<&str>,
        #[case] from: Option<&str>,
        #[case] to: Option<&str>,
        #[case] want_d: &str,
        #[case] want_f: &str,
        #[case] want_t: &str,
    ) {
        let today = d("2026-06-30");
        let got = args(as_of, from, to).resolve(today).unwrap();
        assert_eq!(
            got,
            Dates {
                as_of: d(want_d),
                from: d(want_f),
                to: d(want_t)
            }
        );
    }

    #[test]
    fn a_period_ending_before_it_starts_is_refused_in_chinese() {
        let e = args(None, Some("2026-05-01"), Some("2026-04-30"))
            .resolve(d("2026-06-30"))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "统计时期的开始日期 2026-05-01 晚于结束日期 2026-04-30，请调整后重试"
        );
        // F after today with no T: T = today, so also refused.
        assert!(
            args(None, Some("2026-07-01"), None)
                .resolve(d("2026-06-30"))
                .is_err()
        );
    }

    #[test]
    fn query_text_reads_empty_as_absent_and_names_a_bad_date() {
        let p = DateParams {
            org: Some(" ".into()),
            as_of: Some(String::new()),
            from: None,
            to: Some("2026-02-30".into()),
        };
        let AppError::BadRequest(msg) = p.to_args().unwrap_err() else {
            panic!("a bad date is a bad request")
        };
        assert!(msg.contains("to") && msg.contains("2026-02-30"), "{msg}");
        let ok = DateParams { to: None, ..p };
        assert_eq!(ok.to_args().unwrap(), DateArgs::default());
    }
}

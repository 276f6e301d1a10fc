//! 办理时限: the deadline rule (working days per 类别) and the holiday calendar it counts on.
//! Both are kept in the database by administrators: the rule in `app_setting`
//! (`demand_deadline_days`), each edited year of the calendar in `holiday_year`, replacing the
//! schedule shipped in `xingcun_domain::calendar` for that year.

use chrono::{Datelike, NaiveDate};
use sqlx::{AnyPool, Row};
use xingcun_domain::HolidayCalendar;
use xingcun_domain::demand::DeadlineRule;
use xingcun_domain::enums::DemandCategory;

/// The `app_setting` key of the deadline rule.
pub const RULE_KEY: &str = "demand_deadline_days";

/// The rule and the calendar in force.
#[derive(Debug, Clone)]
pub struct Deadlines {
    pub rule: DeadlineRule,
    pub calendar: HolidayCalendar,
}

impl Deadlines {
    pub fn deadline(&self, registered: NaiveDate, category: Option<DemandCategory>) -> NaiveDate {
        self.rule.deadline(registered, category, &self.calendar)
    }
}

/// The shipped schedule with every edited year put in its place.
pub async fn calendar(pool: &AnyPool) -> Result<HolidayCalendar, sqlx::Error> {
    let edited = edited_years(pool).await?;
    let mut entries: Vec<_> = HolidayCalendar::official()
        .entries()
        .filter(|(d, _)| !edited.iter().any(|(y, _)| *y == d.year()))
        .collect();
    for (_, lines) in &edited {
        // Stored text was parsed before it was stored.
        if let Ok(cal) = HolidayCalendar::parse_lines(lines) {
            entries.extend(cal.entries());
        }
    }
    Ok(HolidayCalendar::new(entries))
}

/// Years whose calendar administrators have edited, with their text.
pub async fn edited_years(pool: &AnyPool) -> Result<Vec<(i32, String)>, sqlx::Error> {
    sqlx::query("SELECT year, lines FROM holiday_year ORDER BY year")
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get::<i64, _>(0)? as i32, r.try_get(1)?)))
        .collect()
}

/// The deadline rule: the stored one, else the default.
pub async fn rule(pool: &AnyPool) -> Result<DeadlineRule, sqlx::Error> {
    let stored: Option<String> = sqlx::query("SELECT value FROM app_setting WHERE key = $1")
        .bind(RULE_KEY)
        .fetch_optional(pool)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?;
    Ok(stored
        .and_then(|s| DeadlineRule::parse(&s).ok())
        .unwrap_or_default())
}

/// The rule and calendar in force.
pub async fn load(pool: &AnyPool) -> Result<Deadlines, sqlx::Error> {
    Ok(Deadlines {
        rule: rule(pool).await?,
        calendar: calendar(pool).await?,
    })
}

/// The rule as its text form, for the settings page.
pub fn rule_text(r: &DeadlineRule) -> String {
    format!(
        "urgent={},hard={},worrying={},hoped_for={},other={}",
        r.urgent, r.hard, r.worrying, r.hoped_for, r.other
    )
}

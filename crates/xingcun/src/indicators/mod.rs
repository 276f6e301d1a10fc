//! Indicators (指标): every figure the platform shows, computed from records by the definitions
//! of `shared/spec/indicators.md`, for one org unit's subtree at a date or over a period.
//!
//! **One registry.** [`registry::INDICATORS`] lists every key once. An entry says the key, the
//! Chinese name, the line of work, and a [`Measure`] over one or two [`Population`]s. A
//! population is one SQL text that lists what a figure counts, one row per (counted thing,
//! record behind it); the figure is the number of distinct things (or their mean age), and the
//! drill-down lists the same things. So the figure and the length of its drill-down list come
//! from the same query, and the command line, the API, the overview page and the drill-down
//! pages all walk that one list.
//!
//! **Adding a key** (a module that brings new records, e.g. outreach): write its population's
//! SQL beside the module's other queries (as `talent.rs` does for 抓队伍建设), reusing a
//! [`Unit`] and [`Records`] from `units.rs` or adding one there when the drill-down row is a new
//! kind of thing (a household, a work team), then add one [`Indicator`] entry to
//! [`registry::INDICATORS`]. Nothing else changes: the CLI, `/api/v1/indicators`, `/indicators`
//! and `/indicators/{key}` pick it up, and the list-length test covers it.
//!
//! **Parameters.** An `as_of` population's SQL uses `$1`, `$2` (the scope's code range) and
//! `$3` (D); a `period` population's uses `$1`, `$2`, `$3` (F) and `$4` (T). Each must use all
//! of its parameters (PostgreSQL infers each parameter's type from its use).

pub mod api;
pub mod branches;
pub mod command;
pub mod conduct;
pub mod dates;
pub mod demands;
pub mod drill;
pub mod events;
pub mod governance;
pub mod industry;
pub mod industry_more;
pub mod outreach;
pub mod pages;
pub mod registry;
pub mod talent;
pub mod units;

use chrono::NaiveDate;
use serde::Serialize;
use serde::ser::SerializeMap;
use sqlx::{AnyPool, Row};
use xingcun_domain::{Ratio, age_at, mean_1dp};

pub use dates::{DateArgs, Dates};
pub use registry::{INDICATORS, find};
pub use units::{Records, RowCtx, SubjectKey, Unit};

use crate::error::AppResult;
use crate::org::OrgUnit;
use crate::scope::Scope;

/// The five lines of work (五项工作) the indicators are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Line {
    /// 一、筑先锋堡垒: outreach, demands, branches, honours.
    Bastions,
    /// 二、抓队伍建设: the cadre pipeline.
    Cadres,
    /// 三、做强产业支撑.
    Industry,
    /// 四、深化社会治理.
    Governance,
    /// 五、强化作风建设.
    Conduct,
}

impl Line {
    pub const ALL: [Line; 5] = [
        Line::Bastions,
        Line::Cadres,
        Line::Industry,
        Line::Governance,
        Line::Conduct,
    ];

    /// 1–5, as the spec numbers them.
    pub fn number(self) -> u8 {
        match self {
            Line::Bastions => 1,
            Line::Cadres => 2,
            Line::Industry => 3,
            Line::Governance => 4,
            Line::Conduct => 5,
        }
    }

    /// The heading, e.g. 二、抓队伍建设.
    pub fn label(self) -> &'static str {
        match self {
            Line::Bastions => "一、筑先锋堡垒",
            Line::Cadres => "二、抓队伍建设",
            Line::Industry => "三、做强产业支撑",
            Line::Governance => "四、深化社会治理",
            Line::Conduct => "五、强化作风建设",
        }
    }
}

/// 时点 or 时期: which dates a population's SQL takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timing {
    /// The state at the end of D: `$3` = D.
    AsOf,
    /// What happened from F to T, both included: `$3` = F, `$4` = T.
    Period,
}

impl Timing {
    pub fn label(self) -> &'static str {
        match self {
            Timing::AsOf => "时点",
            Timing::Period => "时期",
        }
    }

    /// How many parameters the population's SQL takes.
    pub fn params(self) -> usize {
        match self {
            Timing::AsOf => 3,
            Timing::Period => 4,
        }
    }
}

/// What a figure counts: the SQL that lists it, `SELECT <subject> AS subject, <record> AS record
/// FROM …`, one row per counted thing and record behind it (the record may be NULL), scoped and
/// dated by the parameters of its [`Timing`].
#[derive(Debug)]
pub struct Population {
    /// What the list is, e.g. 两委成员.
    pub caption: &'static str,
    pub timing: Timing,
    /// What one counted thing (one drill-down row) is.
    pub unit: &'static Unit,
    /// How to show the records behind each thing, if the rows carry any.
    pub records: Option<&'static Records>,
    pub sql: &'static str,
}

/// How an indicator is computed from its populations.
#[derive(Debug)]
pub enum Measure {
    /// The number of distinct things.
    Count(&'static Population),
    /// Distinct things of the numerator ÷ those of the denominator (the numerator's things are
    /// among the denominator's).
    Ratio {
        numerator: &'static Population,
        denominator: &'static Population,
    },
    /// The mean age (周岁 at D) of a population of people, rounded half-up to one decimal.
    MeanAge(&'static Population),
}

/// One indicator of the registry.
#[derive(Debug)]
pub struct Indicator {
    pub key: &'static str,
    /// 名称, exactly as in indicators.md.
    pub name: &'static str,
    pub line: Line,
    pub measure: Measure,
    /// The word after a count or mean: 人, 个, 岁.
    pub unit_word: &'static str,
    /// 口径, for the people reading the figure.
    pub definition: &'static str,
}

impl Indicator {
    pub fn timing(&self) -> Timing {
        self.populations()[0].timing
    }

    /// 比率, 计数 or 平均值.
    pub fn kind_label(&self) -> &'static str {
        match self.measure {
            Measure::Count(_) => "计数",
            Measure::Ratio { .. } => "比率",
            Measure::MeanAge(_) => "平均值",
        }
    }

    pub fn is_ratio(&self) -> bool {
        matches!(self.measure, Measure::Ratio { .. })
    }

    /// The populations the figure is computed from: one, or numerator then denominator.
    pub fn populations(&self) -> Vec<&'static Population> {
        match self.measure {
            Measure::Count(p) | Measure::MeanAge(p) => vec![p],
            Measure::Ratio {
                numerator,
                denominator,
            } => vec![numerator, denominator],
        }
    }
}

/// A computed figure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Figure {
    Count(i64),
    Ratio(Ratio),
    Mean(Option<f64>),
}

impl Figure {
    /// As screens show it: 12, 97.14%, 45.3, or — for a null value.
    pub fn text(&self) -> String {
        match self {
            Figure::Count(n) => n.to_string(),
            Figure::Ratio(r) => r.percent_text().unwrap_or_else(|| "—".into()),
            Figure::Mean(m) => m.map_or_else(|| "—".into(), |v| format!("{v:.1}")),
        }
    }
}

/// `{"value": n}`, or for a ratio `{"value": v, "numerator": n, "denominator": d}`; a null value
/// is `null`.
impl Serialize for Figure {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Figure::Count(n) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("value", n)?;
                m.end()
            }
            Figure::Ratio(r) => {
                let mut m = s.serialize_map(Some(3))?;
                m.serialize_entry("value", &r.value())?;
                m.serialize_entry("numerator", &r.numerator)?;
                m.serialize_entry("denominator", &r.denominator)?;
                m.end()
            }
            Figure::Mean(v) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("value", v)?;
                m.end()
            }
        }
    }
}

/// Every indicator's figure, keyed, in the registry's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures(pub Vec<(&'static Indicator, Figure)>);

impl Serialize for Figures {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (ind, figure) in &self.0 {
            m.serialize_entry(ind.key, figure)?;
        }
        m.end()
    }
}

impl PartialEq for Indicator {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

/// The machine-readable form the command line and the API both give.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub org: String,
    pub as_of: NaiveDate,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub indicators: Figures,
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

/// Binds a population's parameters: the scope's code range, then D or F and T.
fn bind_population<'q>(
    q: AnyQuery<'q>,
    timing: Timing,
    scope: &Scope,
    dates: &Dates,
) -> AnyQuery<'q> {
    let (lo, hi) = scope.bounds();
    let q = q.bind(lo).bind(hi);
    match timing {
        Timing::AsOf => q.bind(dates.as_of.to_string()),
        Timing::Period => q.bind(dates.from.to_string()).bind(dates.to.to_string()),
    }
}

/// The number of distinct things in a population.
pub async fn count(
    pool: &AnyPool,
    pop: &Population,
    scope: &Scope,
    dates: &Dates,
) -> AppResult<i64> {
    let sql = format!("SELECT COUNT(DISTINCT s.subject) FROM ({}) s", pop.sql);
    let q = bind_population(
        sqlx::query(sqlx::AssertSqlSafe(sql)),
        pop.timing,
        scope,
        dates,
    );
    Ok(q.fetch_one(pool).await?.try_get(0)?)
}

/// The ages at D of the distinct people of a population, in no particular order.
pub async fn ages(
    pool: &AnyPool,
    pop: &Population,
    scope: &Scope,
    dates: &Dates,
) -> AppResult<Vec<u32>> {
    let sql = format!(
        "SELECT p.birth_date FROM person p WHERE p.id IN (SELECT s.subject FROM ({}) s)",
        pop.sql
    );
    let q = bind_population(
        sqlx::query(sqlx::AssertSqlSafe(sql)),
        pop.timing,
        scope,
        dates,
    );
    let rows = q.fetch_all(pool).await?;
    rows.iter()
        .map(|r| {
            let birth: String = r.try_get(0)?;
            let birth = NaiveDate::parse_from_str(&birth, "%Y-%m-%d").map_err(|e| {
                crate::error::AppError::Internal(anyhow::anyhow!("出生日期 {birth}: {e}"))
            })?;
            Ok(age_at(birth, dates.as_of))
        })
        .collect()
}

/// One indicator's figure for a scope and dates.
pub async fn figure(
    pool: &AnyPool,
    ind: &Indicator,
    scope: &Scope,
    dates: &Dates,
) -> AppResult<Figure> {
    Ok(match ind.measure {
        Measure::Count(p) => Figure::Count(count(pool, p, scope, dates).await?),
        Measure::Ratio {
            numerator,
            denominator,
        } => Figure::Ratio(Ratio::new(
            count(pool, numerator, scope, dates).await?,
            count(pool, denominator, scope, dates).await?,
        )),
        Measure::MeanAge(p) => Figure::Mean(mean_1dp(&ages(pool, p, scope, dates).await?)),
    })
}

/// Every indicator's figure for the subtree of `unit`.
pub async fn report(pool: &AnyPool, unit: &OrgUnit, dates: &Dates) -> AppResult<Report> {
    let scope = unit.scope();
    let mut figures = Vec::with_capacity(INDICATORS.len());
    for ind in INDICATORS {
        figures.push((ind, figure(pool, ind, &scope, dates).await?));
    }
    Ok(Report {
        org: unit.code.clone(),
        as_of: dates.as_of,
        from: dates.from,
        to: dates.to,
        indicators: Figures(figures),
    })
}

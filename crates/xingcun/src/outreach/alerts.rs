//! Alerts (预警): one list per org unit, gathered from [`SOURCES`]. A source is a function
//! `(pool, scope, date) → Vec<Alert>`; each alert says what is wrong, where, how serious, and
//! links to the place it is fixed. Adding a source is one line in [`SOURCES`]:
//!
//! ```ignore
//! source!("demands.overdue", crate::demands::alerts::overdue),
//! ```
//!
//! where `overdue` is `async fn(&AnyPool, &Scope, NaiveDate) -> AppResult<Vec<Alert>>`.

use std::future::Future;
use std::pin::Pin;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use minijinja::context;
use serde::{Deserialize, Serialize};
use sqlx::{AnyPool, Row};

use super::coverage::{self, Gap};
use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::indicators::talent::ADMIN_VILLAGES;
use crate::org::pages::xlsx_download;
use crate::scope::Scope;
use crate::web::list::{Cell, Crumb, Filter, ListView, PageParams, Pagination, Table, query_of};
use crate::web::{Ctx, render, urlencode};

/// How serious an alert is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    High,
    Medium,
    Low,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::High => "高",
            Severity::Medium => "中",
            Severity::Low => "低",
        }
    }
    fn tone(self) -> &'static str {
        match self {
            Severity::High => "err",
            Severity::Medium => "warn",
            Severity::Low => "muted",
        }
    }
}

/// One alert.
#[derive(Debug, Clone, Serialize)]
pub struct Alert {
    /// What kind of alert, in words (e.g. 无乡镇领导包村的村(社区)).
    pub kind: &'static str,
    pub severity: Severity,
    /// The org unit it concerns: code and name.
    pub unit_code: String,
    pub unit: String,
    pub text: String,
    /// Where it is fixed.
    pub link: String,
}

/// What a source returns.
pub type SourceFuture<'a> = Pin<Box<dyn Future<Output = AppResult<Vec<Alert>>> + Send + 'a>>;

/// An alert source: its name and its function.
pub struct Source {
    pub name: &'static str,
    pub run: for<'a> fn(&'a AnyPool, &'a Scope, NaiveDate) -> SourceFuture<'a>,
}

/// Registers an `async fn(&AnyPool, &Scope, NaiveDate) -> AppResult<Vec<Alert>>` as a source.
macro_rules! source {
    ($name:literal, $f:path) => {
        Source {
            name: $name,
            run: |pool, scope, at| Box::pin($f(pool, scope, at)),
        }
    };
}

/// Every alert source, in the order the list shows them. Add a source here, one line.
pub static SOURCES: &[Source] = &[
    source!("outreach.coverage", coverage_alerts),
    source!("talent.college_cadre", college_cadre_alerts),
    source!("talent.succession", crate::talent::succession::risk_alerts),
    source!("demands.overdue", crate::demands::jobs::overdue_alerts),
    source!(
        "branches.overdue_problems",
        crate::branches::overdue_problems
    ),
    source!(
        "governance.high_risk_disputes",
        crate::governance::disputes::high_risk_alerts
    ),
    source!("conduct.overdue_findings", crate::conduct::overdue_findings),
];

/// Every alert in `scope` at `at`, source by source.
pub async fn alerts(pool: &AnyPool, scope: &Scope, at: NaiveDate) -> AppResult<Vec<Alert>> {
    let mut out = Vec::new();
    for s in SOURCES {
        out.extend((s.run)(pool, scope, at).await?);
    }
    Ok(out)
}

/// How many alerts there are in `scope` at `at` (the dashboard's badge).
pub async fn count_alerts(pool: &AnyPool, scope: &Scope, at: NaiveDate) -> AppResult<usize> {
    Ok(alerts(pool, scope, at).await?.len())
}

/// The coverage gaps of `outreach/coverage.rs`, one alert per line.
pub async fn coverage_alerts(
    pool: &AnyPool,
    scope: &Scope,
    at: NaiveDate,
) -> AppResult<Vec<Alert>> {
    let mut out = Vec::new();
    for (gap, lines) in coverage::all_gaps(pool, scope, at).await? {
        let severity = match gap {
            Gap::NoContact | Gap::NoStationed => Severity::High,
            Gap::NoGridCadre => Severity::Medium,
            Gap::NoLink => Severity::Low,
        };
        for l in lines {
            let place = match (&l.parent_name, gap) {
                (Some(p), Gap::NoLink) => format!("{p}{}", l.org_name),
                (Some(p), _) => format!("{p}{}", l.name),
                (None, _) => l.name.clone(),
            };
            let text = match gap {
                Gap::NoContact => format!("{place}没有乡镇领导包村"),
                Gap::NoStationed => format!("{place}没有专职驻村干部"),
                Gap::NoGridCadre => format!("{place}没有村干部入网"),
                Gap::NoLink => format!("农户 {}（{place}）没有党员联系", l.name),
            };
            out.push(Alert {
                kind: gap.title(),
                severity,
                unit_code: l.org_code.clone(),
                unit: l.org_name.clone(),
                text,
                link: l.fix_href.clone(),
            });
        }
    }
    Ok(out)
}

/// 行政村 without a college-educated 村干部 at D: the villages of the denominator of
/// `talent.college_cadre_coverage` that are not in its numerator.
pub async fn college_cadre_alerts(
    pool: &AnyPool,
    scope: &Scope,
    at: NaiveDate,
) -> AppResult<Vec<Alert>> {
    let (lo, hi) = scope.bounds();
    let sql = format!(
        "SELECT v.code, v.name, t.name FROM org_unit v LEFT JOIN org_unit t ON t.code = v.parent_code
         WHERE v.code IN (SELECT s.subject FROM ({}) s WHERE s.record IS NULL)
         ORDER BY v.code",
        ADMIN_VILLAGES.sql
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(lo)
        .bind(hi)
        .bind(at.to_string())
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| {
            let code: String = r.try_get(0)?;
            let name: String = r.try_get(1)?;
            let township: Option<String> = r.try_get(2)?;
            Ok(Alert {
                kind: "缺少大学生村干部的行政村",
                severity: Severity::Medium,
                text: format!(
                    "{}{name}没有大专以上学历的村干部",
                    township.unwrap_or_default()
                ),
                link: format!(
                    "/cadres?org={}&category=village_cadre&standing=in_office",
                    urlencode(&code)
                ),
                unit_code: code,
                unit: name,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

#[derive(Debug, Deserialize, Default)]
pub struct AlertParams {
    pub org: Option<String>,
    pub kind: Option<String>,
    #[serde(flatten)]
    pub page: PageParams,
    pub export: Option<String>,
}

fn alert_table(alerts: &[Alert]) -> Table {
    let mut t = Table::new(&["类型", "级别", "单位", "说明", "处理"]);
    for a in alerts {
        t.push(vec![
            Cell::text(a.kind),
            Cell::Badge {
                text: a.severity.label().into(),
                tone: a.severity.tone(),
            },
            Cell::text(&a.unit),
            Cell::text(&a.text),
            Cell::link("去处理", &a.link),
        ]);
    }
    t
}

/// `GET /alerts?org=…`: the unit's alerts, most serious first, filtered by kind, exportable.
pub async fn show_alerts(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<AlertParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let unit_code = p
        .org
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .unwrap_or(&user.org_code)
        .to_string();
    let unit = crate::org::find(pool, &user.scope, &unit_code)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = crate::dates::today();
    let mut all = alerts(pool, &unit.scope(), today).await?;
    all.sort_by_key(|a| a.severity);
    let kinds: Vec<&'static str> = {
        let mut k: Vec<&'static str> = all.iter().map(|a| a.kind).collect();
        k.dedup();
        k.sort();
        k.dedup();
        k
    };
    if let Some(kind) = p.kind.as_deref().filter(|k| !k.is_empty()) {
        all.retain(|a| a.kind == kind);
    }
    if p.export.as_deref() == Some("xlsx") {
        return Ok(xlsx_download(
            alert_table(&all).to_xlsx("预警")?,
            "预警.xlsx",
        ));
    }
    let pagination = Pagination::new(p.page, all.len() as i64);
    let page: Vec<Alert> = all
        .iter()
        .skip(pagination.offset() as usize)
        .take(pagination.limit() as usize)
        .cloned()
        .collect();
    let filters = vec![
        Filter::select(
            "org",
            "单位",
            Some(&unit.code),
            super::pages::unit_options(pool, &user.scope).await?,
        )
        .required(),
        Filter::select(
            "kind",
            "类型",
            p.kind.as_deref(),
            kinds
                .iter()
                .map(|k| (k.to_string(), k.to_string()))
                .collect(),
        ),
    ];
    let view = ListView {
        title: format!("预警 · {}", unit.name),
        breadcrumb: vec![Crumb {
            label: "预警".into(),
            href: None,
        }],
        query: query_of(&filters),
        filters,
        table: alert_table(&page),
        pagination,
        new_href: None,
        export: true,
    };
    Ok(render(&state, &ctx, "pages/list.html", context! { view => view })?.into_response())
}

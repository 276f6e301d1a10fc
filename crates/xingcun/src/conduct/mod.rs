//! 五、强化作风建设: study sessions of party orgs (理论学习), supervision findings (监督检查发现问题)
//! with their rectification, and exemplars (先进典型) with their stories. Records come in
//! through the workbook's 理论学习, 监督检查发现问题 and 先进典型 sheets
//! (`workbook/sheets/more.rs`, rules in `workbook/check/more.rs`) or their forms; the figures
//! are the `conduct.*` indicators (`indicators/conduct.rs`). This module holds the lists and an
//! exemplar's page (pages.rs), and the alert for findings unrectified past their deadline.

pub mod pages;

use chrono::NaiveDate;
use sqlx::{AnyPool, Row};

use crate::error::AppResult;
use crate::outreach::alerts::{Alert, Severity};
use crate::scope::Scope;

/// 预警: supervision findings in scope not rectified by their 整改时限 (a deadline before `at`
/// with no 整改完成日期).
pub async fn overdue_findings(
    pool: &AnyPool,
    scope: &Scope,
    at: NaiveDate,
) -> AppResult<Vec<Alert>> {
    let (lo, hi) = scope.bounds();
    let rows = sqlx::query(
        "SELECT f.finding_no, f.description, f.deadline_on, f.org_code, o.name
           FROM supervision_finding f JOIN org_unit o ON o.code = f.org_code
          WHERE f.org_code >= $1 AND f.org_code < $2
            AND f.rectified_on IS NULL AND f.deadline_on < $3
          ORDER BY f.deadline_on, f.finding_no",
    )
    .bind(lo)
    .bind(hi)
    .bind(at.to_string())
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            let no: String = r.try_get(0)?;
            let what: String = r.try_get(1)?;
            let due: String = r.try_get(2)?;
            Ok(Alert {
                kind: "超期未整改的监督检查问题",
                severity: Severity::High,
                unit_code: r.try_get(3)?,
                unit: r.try_get(4)?,
                text: format!("监督检查问题 {no}（{what}）整改时限 {due}，已超期"),
                link: format!("/conduct/findings?status=overdue&q={no}"),
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

/// An exemplar as its page shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Exemplar {
    pub id: i64,
    pub exemplar_no: String,
    pub title: String,
    /// The person's name, when the exemplar is a person of the registry.
    pub person: Option<String>,
    pub person_id: Option<i64>,
    pub org_name: String,
    pub published_on: String,
    /// The story, one paragraph per line.
    pub paragraphs: Vec<String>,
}

/// The exemplar `id`, if it lies in `scope`.
pub async fn exemplar(
    pool: &AnyPool,
    scope: &Scope,
    id: i64,
) -> Result<Option<Exemplar>, sqlx::Error> {
    let (lo, hi) = scope.bounds();
    let Some(r) = sqlx::query(
        "SELECT t.id, t.exemplar_no, t.title, p.name, t.person_id, o.name, t.published_on, t.story
           FROM exemplar t JOIN org_unit o ON o.code = t.org_code
           LEFT JOIN person p ON p.id = t.person_id
          WHERE t.id = $1 AND t.org_code >= $2 AND t.org_code < $3",
    )
    .bind(id)
    .bind(lo)
    .bind(hi)
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let story: Option<String> = r.try_get(7)?;
    Ok(Some(Exemplar {
        id: r.try_get(0)?,
        exemplar_no: r.try_get(1)?,
        title: r.try_get(2)?,
        person: r.try_get(3)?,
        person_id: r.try_get(4)?,
        org_name: r.try_get(5)?,
        published_on: r.try_get(6)?,
        paragraphs: story
            .unwrap_or_default()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
    }))
}

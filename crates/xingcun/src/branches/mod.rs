//! Branch work of 一、筑先锋堡垒: practical projects (实事), rectification of weak party orgs
//! (软弱涣散 → 整顿 with its problems → 验收销号), honours (好支书, 带富致富先锋: 提名 → 审核 →
//! 公示 → 授予), demonstration sites (示范点) and branch standardisation assessments (达标评定).
//! Records come in through the workbook (`workbook::sheets` 实事, 整顿, 整顿问题, 荣誉, 示范点,
//! 达标评定; rules in `workbook/check/branches.rs`,
//! states by `xingcun_domain::branches`); their figures are the `branches.*` and `honors.*`
//! indicators (`indicators/branches.rs`). This module holds the lists (pages.rs) and the alert
//! for rectification problems past their deadline.

pub mod contests;
pub mod pages;
pub mod records;

use axum::Router;
use axum::routing::{get, post};
use chrono::NaiveDate;
use sqlx::{AnyPool, Row};

use crate::app::AppState;

use crate::error::AppResult;
use crate::outreach::alerts::{Alert, Severity};
use crate::scope::Scope;

/// The record pages and steps (listed in `router::ROUTES`).
pub fn routes() -> Router<AppState> {
    use contests as c;
    use records as r;
    Router::new()
        .route("/branches/projects/{no}", get(r::show_project))
        .route("/branches/projects/{no}/step", post(r::step_project))
        .route("/branches/rectifications/{no}", get(r::show_case))
        .route("/branches/rectifications/{no}/accept", post(r::accept_case))
        .route("/branches/honors/{no}", get(r::show_honor))
        .route("/branches/honors/{no}/step", post(r::step_honor))
        .route("/branches/honors/{no}/objections", post(r::save_objection))
        .route("/branches/roll", get(r::show_roll))
        .route("/branches/roll/{id}", get(r::show_person_roll))
        .route("/branches/assessments/{no}", get(r::show_assessment))
        .route("/branches/standards", get(r::show_standards))
        .route("/branches/due", get(r::show_due))
        .route("/branches/contests", get(pages::list_contests))
        .route("/branches/contests/{no}", get(c::show_contest))
        .route("/branches/contests/{no}/step", post(c::step_contest))
        .route("/branches/contests/{no}/scores", post(c::save_scores))
}

/// 预警: problems of open rectification cases in scope, unsolved past their 整改时限.
pub async fn overdue_problems(
    pool: &AnyPool,
    scope: &Scope,
    at: NaiveDate,
) -> AppResult<Vec<Alert>> {
    let (lo, hi) = scope.bounds();
    let rows = sqlx::query(
        "SELECT r.case_no, p.problem_no, p.description, p.deadline_on, p.org_code, o.name
           FROM rectification_problem p JOIN rectification r ON r.id = p.case_id
           JOIN org_unit o ON o.code = p.org_code
          WHERE p.org_code >= $1 AND p.org_code < $2
            AND p.solved_on IS NULL AND p.deadline_on < $3
          ORDER BY p.deadline_on, r.case_no, p.problem_no",
    )
    .bind(lo)
    .bind(hi)
    .bind(at.to_string())
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            let case: String = r.try_get(0)?;
            let no: String = r.try_get(1)?;
            let what: String = r.try_get(2)?;
            let due: String = r.try_get(3)?;
            Ok(Alert {
                kind: "超期未整改的软弱涣散问题",
                severity: Severity::High,
                unit_code: r.try_get(4)?,
                unit: r.try_get(5)?,
                text: format!("整顿 {case} 问题 {no}（{what}）整改时限 {due}，已超期"),
                link: format!("/branches/problems?status=overdue&q={case}"),
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

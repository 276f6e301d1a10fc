//! The demand jobs, run by the server every minute and by `xingcun jobs run`: escalate demands
//! whose deadline has passed (to the level above; again after a further number of working
//! days), announce deadlines that fall on the next working day, and deliver the outbox. Each
//! step is idempotent: running it twice on one day changes nothing the second time.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;
use xingcun_domain::demand::Action;

use super::{DEMAND_SELECT, Step, apply_step, deadlines, demand_from_row, notify};
use crate::audit::Actor;
use crate::db::Db;
use crate::scope::Scope;

/// What a run did.
#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct JobReport {
    pub escalated: usize,
    pub deadline_notices: usize,
    pub delivered: usize,
}

/// How the jobs run.
#[derive(Debug, Clone)]
pub struct JobSettings {
    /// Working days after the deadline before a second escalation (township → district).
    pub escalate_after_days: u32,
    pub webhook: Option<notify::Webhook>,
    /// This process's name in the outbox claims.
    pub worker: String,
}

/// Runs every pending job for `today`.
pub async fn run_pending(db: &Db, today: NaiveDate, s: &JobSettings) -> anyhow::Result<JobReport> {
    let escalated = escalate_overdue(db, today, s.escalate_after_days).await?;
    let deadline_notices = announce_deadlines(db, today).await?;
    let delivered = notify::run_pending(db, s.webhook.as_ref(), &s.worker).await?;
    Ok(JobReport {
        escalated,
        deadline_notices,
        delivered,
    })
}

/// Escalates open demands past their deadline: once when the deadline has passed, a second
/// time `after` working days later. Returns how many steps were taken.
pub async fn escalate_overdue(db: &Db, today: NaiveDate, after: u32) -> anyhow::Result<usize> {
    let d = deadlines::load(&db.pool).await?;
    let sql = format!(
        "{DEMAND_SELECT} WHERE d.status IN ('pending', 'in_progress') AND d.deadline_on < $1
            AND d.escalation < 2 ORDER BY d.id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(today.to_string())
        .fetch_all(&db.pool)
        .await?;
    let actor = Actor {
        user_id: None,
        name: "系统".into(),
    };
    let mut done = 0;
    let candidates: Vec<_> = rows
        .iter()
        .map(demand_from_row)
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .filter(|dm| {
            let Some(due) = dm
                .deadline_on
                .as_deref()
                .and_then(|s| s.parse::<NaiveDate>().ok())
            else {
                return false;
            };
            dm.escalation == 0 || d.calendar.add_working_days(due, after) < today
        })
        .collect();
    for chunk in candidates.chunks(200) {
        let mut tx = db.pool.begin().await?;
        for dm in chunk {
            let comment = format!(
                "超过办理时限（{}）未办结，自动升级",
                dm.deadline_on.as_deref().unwrap_or_default()
            );
            let step = Step {
                action: Action::Escalate,
                comment: Some(comment),
                to_org: None,
                version: Some(dm.version),
            };
            // A demand already at the district has nowhere to go: it stays on the alert list.
            match apply_step(&mut tx, dm, &step, today, &d, &actor).await {
                Ok(()) => done += 1,
                Err(crate::error::AppError::BadRequest(_)) => {
                    sqlx::query("UPDATE demand SET escalation = 2 WHERE id = $1 AND version = $2")
                        .bind(dm.id)
                        .bind(dm.version)
                        .execute(&mut *tx)
                        .await?;
                }
                Err(e) => return Err(anyhow::anyhow!(e.to_string())),
            }
        }
        tx.commit().await?;
    }
    Ok(done)
}

/// Announces, once, each open demand whose deadline is the next working day (or today).
pub async fn announce_deadlines(db: &Db, today: NaiveDate) -> anyhow::Result<usize> {
    let d = deadlines::load(&db.pool).await?;
    let next = d.calendar.add_working_days(today, 1);
    let sql = format!(
        "{DEMAND_SELECT} WHERE d.status IN ('pending', 'in_progress')
            AND d.deadline_on >= $1 AND d.deadline_on <= $2
            AND NOT EXISTS (SELECT 1 FROM notification n
                             WHERE n.demand_id = d.id AND n.kind = 'deadline_near')
          ORDER BY d.id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(today.to_string())
        .bind(next.to_string())
        .fetch_all(&db.pool)
        .await?;
    let list: Vec<_> = rows.iter().map(demand_from_row).collect::<Result<_, _>>()?;
    for chunk in list.chunks(500) {
        let mut tx = db.pool.begin().await?;
        for dm in chunk {
            notify::enqueue(&mut tx, notify::Kind::DeadlineNear, dm, None).await?;
        }
        tx.commit().await?;
    }
    Ok(list.len())
}

/// The alert source of overdue demands: one alert per open demand past its deadline, concerning
/// or handled by a unit in scope, linking to the demand.
pub async fn overdue_alerts(
    pool: &sqlx::AnyPool,
    scope: &Scope,
    at: NaiveDate,
) -> crate::error::AppResult<Vec<crate::outreach::alerts::Alert>> {
    use crate::outreach::alerts::{Alert, Severity};
    let (lo, hi) = scope.bounds();
    let rows = sqlx::query(
        "SELECT d.id, d.demand_no, d.org_code, o.name, d.deadline_on, d.category, d.escalation
           FROM demand d JOIN org_unit o ON o.code = d.org_code
          WHERE d.status IN ('pending', 'in_progress') AND d.deadline_on < $3
            AND ((d.org_code >= $1 AND d.org_code < $2)
                 OR (d.handler_org_code >= $1 AND d.handler_org_code < $2))
          ORDER BY d.deadline_on, d.id",
    )
    .bind(lo)
    .bind(hi)
    .bind(at.to_string())
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            let id: i64 = r.try_get(0)?;
            let no: String = r.try_get(1)?;
            let due: String = r.try_get(4)?;
            let urgent = r.try_get::<Option<String>, _>(5)?.as_deref() == Some("urgent");
            let escalated: i64 = r.try_get(6)?;
            Ok(Alert {
                kind: "超期未办结的诉求",
                severity: if urgent || escalated > 0 {
                    Severity::High
                } else {
                    Severity::Medium
                },
                unit_code: r.try_get(2)?,
                unit: r.try_get(3)?,
                text: format!("诉求 {no} 办理时限 {due}，已超期"),
                link: format!("/demands/{id}"),
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

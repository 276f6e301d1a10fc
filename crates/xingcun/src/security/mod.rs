//! Security records beside the audit trail: the personal-data access log (who saw which field
//! of whom unmasked, and why), read-only queries of the audit trail for the audit
//! administrator, and the retention job that purges what may go.

pub mod pages;

use chrono::{FixedOffset, NaiveDate, TimeZone};
use sqlx::{AnyPool, Row};

use crate::accounts::CurrentUser;
use crate::config::Config;
use crate::db::{Db, now_ms};
use crate::error::{AppError, AppResult};
use crate::scope::Scope;

/// The shortest retention the access log may be given (等保: logs kept at least 180 days).
pub const MIN_LOG_RETENTION_DAYS: i64 = 180;

/// One personal field seen unmasked.
#[derive(Debug, Clone)]
pub struct Access<'a> {
    /// The kind of record: `person`, `household`…
    pub subject: &'a str,
    pub subject_key: &'a str,
    pub subject_name: &'a str,
    /// `id_number`, `phone`…
    pub field: &'a str,
    pub reason: &'a str,
    pub org_code: Option<&'a str>,
}

/// Checks a reason given for unmasking: 2–200 characters after trimming.
pub fn check_reason(reason: &str) -> AppResult<String> {
    let r = reason.trim();
    let n = r.chars().count();
    if !(2..=200).contains(&n) {
        return Err(AppError::invalid("请填写查看原因（2–200 字）"));
    }
    Ok(r.to_string())
}

/// Writes an access-log row. Call before showing the value.
pub async fn record_access(db: &Db, user: &CurrentUser, a: &Access<'_>) -> AppResult<()> {
    let reason = check_reason(a.reason)?;
    sqlx::query(
        "INSERT INTO access_log (at, user_id, username, subject, subject_key, subject_name, field, reason, org_code)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(now_ms())
    .bind(user.id)
    .bind(user.username.clone())
    .bind(a.subject.to_string())
    .bind(a.subject_key.to_string())
    .bind(a.subject_name.to_string())
    .bind(a.field.to_string())
    .bind(reason)
    .bind(a.org_code.map(str::to_string))
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// A day in Asia/Shanghai as Unix milliseconds at its start.
pub fn day_start_ms(d: NaiveDate) -> i64 {
    let cst = FixedOffset::east_opt(8 * 3600).expect("valid offset");
    cst.from_local_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight"))
        .single()
        .map_or(0, |t| t.timestamp_millis())
}

/// Unix milliseconds as `YYYY-MM-DD HH:MM:SS` in Asia/Shanghai.
pub fn format_ms(ms: i64) -> String {
    let cst = FixedOffset::east_opt(8 * 3600).expect("valid offset");
    cst.timestamp_millis_opt(ms)
        .single()
        .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_default()
}

/// Filters of the audit-trail and access-log pages.
#[derive(Debug, Clone, Default)]
pub struct LogFilter {
    /// User name (exact).
    pub who: Option<String>,
    /// Action code (audit) or field (access log), exact.
    pub what: Option<String>,
    /// Entity (audit) or subject (access log), exact.
    pub entity: Option<String>,
    /// From this day on (inclusive), Asia/Shanghai.
    pub from: Option<NaiveDate>,
    /// Up to this day (inclusive).
    pub to: Option<NaiveDate>,
}

impl LogFilter {
    fn bounds(&self) -> (i64, i64) {
        (
            self.from.map_or(0, day_start_ms),
            self.to
                .and_then(|d| d.succ_opt())
                .map_or(i64::MAX, day_start_ms),
        )
    }
}

/// One audit row as the audit administrator reads it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AuditRow {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_key: String,
    pub org_code: Option<String>,
    pub changes: String,
}

const AUDIT_WHERE: &str = "(a.org_code IS NULL OR (a.org_code >= $1 AND a.org_code < $2))
    AND a.at >= $3 AND a.at < $4
    AND ($5 = '' OR a.actor_name = $5) AND ($6 = '' OR a.action = $6) AND ($7 = '' OR a.entity = $7)";

fn bind_filter<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    scope: &Scope,
    f: &LogFilter,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    let (lo, hi) = scope.bounds();
    let (from, to) = f.bounds();
    q.bind(lo)
        .bind(hi)
        .bind(from)
        .bind(to)
        .bind(f.who.clone().unwrap_or_default())
        .bind(f.what.clone().unwrap_or_default())
        .bind(f.entity.clone().unwrap_or_default())
}

/// How many audit rows in scope match (rows without a unit, e.g. sign-ins, are in every scope).
pub async fn count_audit(pool: &AnyPool, scope: &Scope, f: &LogFilter) -> AppResult<i64> {
    let sql = format!("SELECT COUNT(*) FROM audit_log a WHERE {AUDIT_WHERE}");
    Ok(bind_filter(sqlx::query(sqlx::AssertSqlSafe(sql)), scope, f)
        .fetch_one(pool)
        .await?
        .try_get(0)?)
}

/// Audit rows in scope, newest first.
pub async fn list_audit(
    pool: &AnyPool,
    scope: &Scope,
    f: &LogFilter,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<AuditRow>> {
    let sql = format!(
        "SELECT a.id, a.at, a.actor_name, a.action, a.entity, a.entity_key, a.org_code, a.changes
         FROM audit_log a WHERE {AUDIT_WHERE} ORDER BY a.id DESC LIMIT $8 OFFSET $9"
    );
    let rows = bind_filter(sqlx::query(sqlx::AssertSqlSafe(sql)), scope, f)
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(AuditRow {
                seq: r.try_get(0)?,
                at: format_ms(r.try_get(1)?),
                actor: r.try_get(2)?,
                action: r.try_get(3)?,
                entity: r.try_get(4)?,
                entity_key: r.try_get(5)?,
                org_code: r.try_get(6)?,
                changes: r.try_get(7)?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

/// One access-log row.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AccessRow {
    pub at: String,
    pub username: String,
    pub subject: String,
    pub subject_key: String,
    pub subject_name: String,
    pub field: String,
    pub reason: String,
    pub org_code: Option<String>,
}

const ACCESS_WHERE: &str = "(a.org_code IS NULL OR (a.org_code >= $1 AND a.org_code < $2))
    AND a.at >= $3 AND a.at < $4
    AND ($5 = '' OR a.username = $5) AND ($6 = '' OR a.field = $6) AND ($7 = '' OR a.subject = $7)";

pub async fn count_access(pool: &AnyPool, scope: &Scope, f: &LogFilter) -> AppResult<i64> {
    let sql = format!("SELECT COUNT(*) FROM access_log a WHERE {ACCESS_WHERE}");
    Ok(bind_filter(sqlx::query(sqlx::AssertSqlSafe(sql)), scope, f)
        .fetch_one(pool)
        .await?
        .try_get(0)?)
}

/// Access-log rows in scope, newest first.
pub async fn list_access(
    pool: &AnyPool,
    scope: &Scope,
    f: &LogFilter,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<AccessRow>> {
    let sql = format!(
        "SELECT a.at, a.username, a.subject, a.subject_key, a.subject_name, a.field, a.reason, a.org_code
         FROM access_log a WHERE {ACCESS_WHERE} ORDER BY a.id DESC LIMIT $8 OFFSET $9"
    );
    let rows = bind_filter(sqlx::query(sqlx::AssertSqlSafe(sql)), scope, f)
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(AccessRow {
                at: format_ms(r.try_get(0)?),
                username: r.try_get(1)?,
                subject: r.try_get(2)?,
                subject_key: r.try_get(3)?,
                subject_name: r.try_get(4)?,
                field: r.try_get(5)?,
                reason: r.try_get(6)?,
                org_code: r.try_get(7)?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

/// What one run of the retention job deleted.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Purged {
    pub sessions: u64,
    pub access_rows: u64,
    pub uploads: u64,
}

/// The retention job: deletes expired or idle sessions, access-log rows older than the
/// configured days (never fewer than [`MIN_LOG_RETENTION_DAYS`]) and uploaded workbooks older
/// than the configured hours. The audit trail is never purged. `now` is Unix ms.
pub async fn run_pending(db: &Db, config: &Config, now: i64) -> AppResult<Purged> {
    let idle_cutoff = now - config.session_idle_minutes * 60_000;
    let sessions =
        sqlx::query("DELETE FROM user_session WHERE expires_at <= $1 OR last_seen_at < $2")
            .bind(now)
            .bind(idle_cutoff)
            .execute(&db.pool)
            .await?
            .rows_affected();
    let days = config.access_log_retention_days.max(MIN_LOG_RETENTION_DAYS);
    let access_rows = sqlx::query("DELETE FROM access_log WHERE at < $1")
        .bind(now - days * 86_400_000)
        .execute(&db.pool)
        .await?
        .rows_affected();
    let uploads = sqlx::query("DELETE FROM import_upload WHERE created_at < $1")
        .bind(now - config.upload_retention_hours.max(0) * 3_600_000)
        .execute(&db.pool)
        .await?
        .rows_affected();
    Ok(Purged {
        sessions,
        access_rows,
        uploads,
    })
}

//! Stored report templates: each save is a new version (older versions stay readable); every
//! write is audited. A template belongs to the org unit of the user who created it and is seen
//! by users whose scope covers that unit.

use serde::Serialize;
use sqlx::{AnyPool, Row};

use crate::audit::{self, Action, Actor, Change, Entry};
use crate::db::{Db, now_ms};
use crate::error::{AppError, AppResult};
use crate::scope::Scope;

/// A template as listed: its latest version.
#[derive(Debug, Clone, Serialize)]
pub struct TemplateSummary {
    pub id: i64,
    pub name: String,
    pub org_code: String,
    pub org_name: String,
    pub latest_version: i64,
    pub updated_at: i64,
}

/// One saved version.
#[derive(Debug, Clone, Serialize)]
pub struct Version {
    pub version: i64,
    pub name: String,
    pub body: String,
    pub created_at: i64,
    /// `created_at` as 2026-06-30 14:05 (Asia/Shanghai).
    pub saved_at: String,
    pub created_by: String,
}

fn beijing_time(ms: i64) -> String {
    let cst = chrono::FixedOffset::east_opt(8 * 3600).expect("valid offset");
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.with_timezone(&cst).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

const SUMMARY: &str = "SELECT t.id, t.name, t.org_code, o.name, t.latest_version, t.updated_at
     FROM report_template t JOIN org_unit o ON o.code = t.org_code";

fn summary(r: &sqlx::any::AnyRow) -> Result<TemplateSummary, sqlx::Error> {
    Ok(TemplateSummary {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        org_code: r.try_get(2)?,
        org_name: r.try_get(3)?,
        latest_version: r.try_get(4)?,
        updated_at: r.try_get(5)?,
    })
}

/// The templates in scope, most recently saved first.
pub async fn list(pool: &AnyPool, scope: &Scope) -> AppResult<Vec<TemplateSummary>> {
    let (lo, hi) = scope.bounds();
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SUMMARY} WHERE t.org_code >= $1 AND t.org_code < $2 ORDER BY t.updated_at DESC, t.id DESC"
    )))
    .bind(lo)
    .bind(hi)
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().map(summary).collect::<Result<_, _>>()?)
}

/// One template in scope, or `NotFound`.
pub async fn get(pool: &AnyPool, scope: &Scope, id: i64) -> AppResult<TemplateSummary> {
    let (lo, hi) = scope.bounds();
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SUMMARY} WHERE t.id = $1 AND t.org_code >= $2 AND t.org_code < $3"
    )))
    .bind(id)
    .bind(lo)
    .bind(hi)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(summary(&row)?)
}

/// A version of a template in scope (`None`: the latest), or `NotFound`.
pub async fn version(
    pool: &AnyPool,
    scope: &Scope,
    id: i64,
    version: Option<i64>,
) -> AppResult<Version> {
    let t = get(pool, scope, id).await?;
    let v = version.unwrap_or(t.latest_version);
    let row = sqlx::query(
        "SELECT version, name, body, created_at, created_by FROM report_template_version
         WHERE template_id = $1 AND version = $2",
    )
    .bind(id)
    .bind(v)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(Version {
        version: row.try_get(0)?,
        name: row.try_get(1)?,
        body: row.try_get(2)?,
        created_at: row.try_get(3)?,
        saved_at: beijing_time(row.try_get(3)?),
        created_by: row.try_get(4)?,
    })
}

/// Every version of a template in scope, newest first (bodies left out).
pub async fn versions(pool: &AnyPool, scope: &Scope, id: i64) -> AppResult<Vec<Version>> {
    get(pool, scope, id).await?;
    let rows = sqlx::query(
        "SELECT version, name, created_at, created_by FROM report_template_version
         WHERE template_id = $1 ORDER BY version DESC",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Version {
                version: r.try_get(0)?,
                name: r.try_get(1)?,
                body: String::new(),
                created_at: r.try_get(2)?,
                saved_at: beijing_time(r.try_get(2)?),
                created_by: r.try_get(3)?,
            })
        })
        .collect()
}

fn check(name: &str, body: &str) -> AppResult<()> {
    if name.trim().is_empty() || name.chars().count() > 100 {
        return Err(AppError::invalid("请填写模板名称（不超过 100 字）"));
    }
    if body.trim().is_empty() {
        return Err(AppError::invalid("模板内容不能为空"));
    }
    Ok(())
}

/// Creates a template (version 1) for `org_code`, which must be in scope.
pub async fn create(
    db: &Db,
    scope: &Scope,
    actor: &Actor,
    org_code: &str,
    name: &str,
    body: &str,
) -> AppResult<i64> {
    check(name, body)?;
    if !scope.contains(org_code) {
        return Err(AppError::NotFound);
    }
    let now = now_ms();
    let mut tx = db.pool.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO report_template (name, org_code, latest_version, created_at, updated_at)
         VALUES ($1, $2, 1, $3, $3) RETURNING id",
    )
    .bind(name.trim().to_string())
    .bind(org_code.to_string())
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    insert_version(&mut tx, id, 1, name, body, now, actor).await?;
    audit::record(
        &mut tx,
        Entry {
            actor,
            action: Action::Create,
            entity: "report_template",
            entity_key: &id.to_string(),
            org_code: Some(org_code),
            changes: &[
                Change {
                    field: "name",
                    old: None,
                    new: Some(name.trim().to_string()),
                },
                Change {
                    field: "version",
                    old: None,
                    new: Some("1".into()),
                },
            ],
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

async fn insert_version(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    version: i64,
    name: &str,
    body: &str,
    now: i64,
    actor: &Actor,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO report_template_version (template_id, version, name, body, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(version)
    .bind(name.trim().to_string())
    .bind(body.to_string())
    .bind(now)
    .bind(actor.name.clone())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Saves a new version of a template in scope; returns its number. `base` is the version the
/// editor started from: if another save came in between, nothing is saved.
pub async fn save(
    db: &Db,
    scope: &Scope,
    actor: &Actor,
    id: i64,
    base: i64,
    name: &str,
    body: &str,
) -> AppResult<i64> {
    check(name, body)?;
    let t = get(&db.pool, scope, id).await?;
    let now = now_ms();
    let next = t.latest_version + 1;
    let mut tx = db.pool.begin().await?;
    let done = sqlx::query(
        "UPDATE report_template SET name = $1, latest_version = $2, updated_at = $3
         WHERE id = $4 AND latest_version = $5",
    )
    .bind(name.trim().to_string())
    .bind(next)
    .bind(now)
    .bind(id)
    .bind(base)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done != 1 {
        return Err(AppError::invalid(format!(
            "模板已被他人保存为第 {} 版，请在最新版本上修改后再保存",
            t.latest_version
        )));
    }
    insert_version(&mut tx, id, next, name, body, now, actor).await?;
    audit::record(
        &mut tx,
        Entry {
            actor,
            action: Action::Update,
            entity: "report_template",
            entity_key: &id.to_string(),
            org_code: Some(&t.org_code),
            changes: &[
                Change {
                    field: "name",
                    old: Some(t.name.clone()),
                    new: Some(name.trim().to_string()),
                },
                Change {
                    field: "version",
                    old: Some(t.latest_version.to_string()),
                    new: Some(next.to_string()),
                },
            ],
        },
    )
    .await?;
    tx.commit().await?;
    Ok(next)
}

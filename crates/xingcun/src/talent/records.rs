//! The degree-upgrade and reserve-pool lists: one query text per list, filtered, within a
//! [`Scope`] (a record is in scope by its own 所属区划编码).

use chrono::NaiveDate;
use sqlx::{AnyPool, Row};

use crate::error::AppResult;
use crate::scope::Scope;

/// Filters of the degree-upgrade list; every field optional.
#[derive(Debug, Clone, Default)]
pub struct UpgradeFilter {
    /// An Education code.
    pub level: Option<String>,
    /// Still studying (no graduation yet) or graduated.
    pub graduated: Option<bool>,
    /// 入学日期 from, to (both included).
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// One enrolment as listed.
#[derive(Debug, Clone)]
pub struct UpgradeRow {
    /// The enrolment's row id (its edit form's key).
    pub id: i64,
    pub person_id: i64,
    pub name: String,
    pub id_masked: String,
    pub org_code: String,
    pub org_name: String,
    pub school: String,
    pub level: String,
    pub starts_on: String,
    pub expected_on: Option<String>,
    pub graduated_on: Option<String>,
}

/// Filters of the reserve-pool list.
#[derive(Debug, Clone, Default)]
pub struct ReserveFilter {
    pub source: Option<String>,
    pub readiness: Option<String>,
    /// In the pool at this date (entered by it, not left by it).
    pub in_pool_at: Option<NaiveDate>,
}

/// One pool entry as listed.
#[derive(Debug, Clone)]
pub struct ReserveRow {
    /// The pool entry's row id (its page is `/talent/reserve/{id}`).
    pub id: i64,
    pub person_id: i64,
    pub name: String,
    pub id_masked: String,
    pub birth_date: Option<String>,
    pub edu_full_time: Option<String>,
    pub edu_in_service: Option<String>,
    pub org_code: String,
    pub org_name: String,
    pub source: String,
    pub skills: Option<String>,
    pub mentor: Option<String>,
    pub readiness: String,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub exit_reason: Option<String>,
}

/// `WHERE` text and its binds after the scope's `$1`, `$2`.
fn upgrade_where(f: &UpgradeFilter) -> (String, Vec<String>) {
    let mut sql = String::from(" WHERE u.org_code >= $1 AND u.org_code < $2");
    let mut binds = Vec::new();
    let mut add = |clause: &str, v: String| {
        binds.push(v);
        sql.push_str(&clause.replace('?', &format!("${}", binds.len() + 2)));
    };
    if let Some(l) = &f.level {
        add(" AND u.level = ?", l.clone());
    }
    if let Some(from) = f.from {
        add(" AND u.starts_on >= ?", from.to_string());
    }
    if let Some(to) = f.to {
        add(" AND u.starts_on <= ?", to.to_string());
    }
    match f.graduated {
        Some(true) => sql.push_str(" AND u.graduated_on IS NOT NULL"),
        Some(false) => sql.push_str(" AND u.graduated_on IS NULL"),
        None => {}
    }
    (sql, binds)
}

/// How many enrolments match.
pub async fn count_upgrades(pool: &AnyPool, scope: &Scope, f: &UpgradeFilter) -> AppResult<i64> {
    let (lo, hi) = scope.bounds();
    let (w, binds) = upgrade_where(f);
    let sql = format!("SELECT COUNT(*) FROM degree_upgrade u{w}");
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(lo).bind(hi);
    for b in binds {
        q = q.bind(b);
    }
    Ok(q.fetch_one(pool).await?.try_get(0)?)
}

/// A page of enrolments, newest first.
pub async fn list_upgrades(
    pool: &AnyPool,
    scope: &Scope,
    f: &UpgradeFilter,
    limit: i64,
    offset: i64,
) -> AppResult<Vec<UpgradeRow>> {
    let (lo, hi) = scope.bounds();
    let (w, binds) = upgrade_where(f);
    let sql = format!(
        "SELECT p.id, p.name, p.id_masked, u.org_code, o.name, u.school, u.level, u.starts_on,
                u.expected_on, u.graduated_on, u.id
         FROM degree_upgrade u JOIN person p ON p.id = u.person_id
         JOIN org_unit o ON o.code = u.org_code{w}
         ORDER BY u.starts_on DESC, u.id DESC LIMIT {limit} OFFSET {offset}"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(lo).bind(hi);
    for b in binds {
        q = q.bind(b);
    }
    q.fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            Ok(UpgradeRow {
                person_id: r.try_get(0)?,
                name: r.try_get(1)?,
                id_masked: r.try_get(2)?,
                org_code: r.try_get(3)?,
                org_name: r.try_get(4)?,
                school: r.try_get(5)?,
                level: r.try_get(6)?,
                starts_on: r.try_get(7)?,
                expected_on: r.try_get(8)?,
                graduated_on: r.try_get(9)?,
                id: r.try_get(10)?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

fn reserve_where(f: &ReserveFilter) -> (String, Vec<String>) {
    let mut sql = String::from(" WHERE t.org_code >= $1 AND t.org_code < $2");
    let mut binds = Vec::new();
    let mut add = |clause: &str, v: String| {
        binds.push(v);
        sql.push_str(&clause.replace('?', &format!("${}", binds.len() + 2)));
    };
    if let Some(s) = &f.source {
        add(" AND t.source = ?", s.clone());
    }
    if let Some(r) = &f.readiness {
        add(" AND t.readiness = ?", r.clone());
    }
    if let Some(at) = f.in_pool_at {
        add(" AND t.starts_on <= ?", at.to_string());
        add(" AND (t.ends_on IS NULL OR t.ends_on > ?)", at.to_string());
    }
    (sql, binds)
}

/// How many pool entries match.
pub async fn count_reserve(pool: &AnyPool, scope: &Scope, f: &ReserveFilter) -> AppResult<i64> {
    let (lo, hi) = scope.bounds();
    let (w, binds) = reserve_where(f);
    let sql = format!("SELECT COUNT(*) FROM reserve_talent t{w}");
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(lo).bind(hi);
    for b in binds {
        q = q.bind(b);
    }
    Ok(q.fetch_one(pool).await?.try_get(0)?)
}

/// A page of pool entries, by unit and entry date.
pub async fn list_reserve(
    pool: &AnyPool,
    scope: &Scope,
    f: &ReserveFilter,
    limit: i64,
    offset: i64,
) -> AppResult<Vec<ReserveRow>> {
    let (lo, hi) = scope.bounds();
    let (w, binds) = reserve_where(f);
    let sql = format!(
        "SELECT p.id, p.name, p.id_masked, p.birth_date, p.edu_full_time, p.edu_in_service,
                t.org_code, o.name, t.source, t.skills, m.name, t.readiness, t.starts_on,
                t.ends_on, t.id, t.exit_reason
         FROM reserve_talent t JOIN person p ON p.id = t.person_id
         JOIN org_unit o ON o.code = t.org_code
         LEFT JOIN person m ON m.id = t.mentor_id{w}
         ORDER BY t.org_code, t.starts_on, t.id LIMIT {limit} OFFSET {offset}"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(lo).bind(hi);
    for b in binds {
        q = q.bind(b);
    }
    q.fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            Ok(ReserveRow {
                person_id: r.try_get(0)?,
                name: r.try_get(1)?,
                id_masked: r.try_get(2)?,
                birth_date: r.try_get(3)?,
                edu_full_time: r.try_get(4)?,
                edu_in_service: r.try_get(5)?,
                org_code: r.try_get(6)?,
                org_name: r.try_get(7)?,
                source: r.try_get(8)?,
                skills: r.try_get(9)?,
                mentor: r.try_get(10)?,
                readiness: r.try_get(11)?,
                starts_on: r.try_get(12)?,
                ends_on: r.try_get(13)?,
                id: r.try_get(14)?,
                exit_reason: r.try_get(15)?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

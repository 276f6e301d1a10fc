//! The org tree (区划): district → township/sub-district → village/community → grid.
//! Every domain record hangs off one org unit, and the scope rule is written in its codes.

pub mod api;
pub mod pages;

use serde::Serialize;
use sqlx::{Any, AnyPool, Row, Transaction};
use xingcun_domain::division::{OrgCode, OrgKind, check_parent};

use crate::audit::{self, Action, Actor, Change, Entry};
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::scope::Scope;

/// One org unit as stored.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OrgUnit {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub kind_label: &'static str,
    pub parent_code: Option<String>,
    pub scope_prefix: String,
    pub revoked_on: Option<String>,
    pub merged_into: Option<String>,
}

impl OrgUnit {
    pub fn kind(&self) -> OrgKind {
        OrgKind::from_code(&self.kind).unwrap_or(OrgKind::Grid)
    }
    /// The scope of this unit's subtree.
    pub fn scope(&self) -> Scope {
        Scope::with_prefix(self.scope_prefix.clone())
    }
}

/// A unit to insert or update, already checked against the code rules.
#[derive(Debug, Clone)]
pub struct NewOrgUnit {
    pub code: OrgCode,
    pub name: String,
    pub kind: OrgKind,
    pub parent_code: Option<OrgCode>,
    pub revoked_on: Option<chrono::NaiveDate>,
    pub merged_into: Option<OrgCode>,
}

const COLUMNS: &str = "code, name, kind, parent_code, scope_prefix, revoked_on, merged_into";

fn from_row(r: &sqlx::any::AnyRow) -> Result<OrgUnit, sqlx::Error> {
    let kind: String = r.try_get(2)?;
    let kind_label = OrgKind::from_code(&kind).map(OrgKind::label).unwrap_or("?");
    Ok(OrgUnit {
        code: r.try_get(0)?,
        name: r.try_get(1)?,
        kind,
        kind_label,
        parent_code: r.try_get(3)?,
        scope_prefix: r.try_get(4)?,
        revoked_on: r.try_get(5)?,
        merged_into: r.try_get(6)?,
    })
}

/// The unit with this code, if it lies in `scope`.
pub async fn find(pool: &AnyPool, scope: &Scope, code: &str) -> AppResult<Option<OrgUnit>> {
    if !scope.contains(code) {
        return Ok(None);
    }
    let sql = format!("SELECT {COLUMNS} FROM org_unit WHERE code = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(code.to_string())
        .fetch_optional(pool)
        .await?;
    Ok(row.as_ref().map(from_row).transpose()?)
}

/// The unit with this code, or `NotFound` (also when outside `scope`).
pub async fn get(pool: &AnyPool, scope: &Scope, code: &str) -> AppResult<OrgUnit> {
    find(pool, scope, code).await?.ok_or(AppError::NotFound)
}

/// The top of the tree (the district), if any.
pub async fn root(pool: &AnyPool) -> AppResult<Option<OrgUnit>> {
    let sql =
        format!("SELECT {COLUMNS} FROM org_unit WHERE parent_code IS NULL ORDER BY code LIMIT 1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_optional(pool)
        .await?;
    Ok(row.as_ref().map(from_row).transpose()?)
}

/// Direct children of a unit, by code.
pub async fn children(pool: &AnyPool, scope: &Scope, parent: &str) -> AppResult<Vec<OrgUnit>> {
    let (lo, hi) = scope.bounds();
    let sql = format!(
        "SELECT {COLUMNS} FROM org_unit WHERE parent_code = $1 AND code >= $2 AND code < $3 ORDER BY code"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(parent.to_string())
        .bind(lo)
        .bind(hi)
        .fetch_all(pool)
        .await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}

/// The unit's ancestors from the root down, the unit itself last. Ancestors are shown in
/// breadcrumbs even above the user's scope: their names are not protected.
pub async fn lineage(pool: &AnyPool, code: &str) -> AppResult<Vec<OrgUnit>> {
    let mut chain = Vec::new();
    let mut next = Some(code.to_string());
    let sql = format!("SELECT {COLUMNS} FROM org_unit WHERE code = $1");
    while let Some(c) = next.take() {
        let Some(r) = sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
            .bind(c)
            .fetch_optional(pool)
            .await?
        else {
            break;
        };
        let unit = from_row(&r)?;
        next = unit.parent_code.clone();
        chain.push(unit);
        if chain.len() > 8 {
            break;
        }
    }
    chain.reverse();
    Ok(chain)
}

/// Filters of the org-unit list.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct OrgFilter {
    pub kind: Option<String>,
    pub q: Option<String>,
    pub parent: Option<String>,
}

/// The binds of an [`OrgFilter`] within a scope, in the order of `FILTER_SQL`'s `$1`…`$5`.
fn filter_binds(
    scope: &Scope,
    f: &OrgFilter,
) -> (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
) {
    let (lo, hi) = scope.bounds();
    let kind = f.kind.clone().filter(|k| !k.is_empty());
    let q =
        f.q.as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(|q| format!("%{q}%"));
    let parent = f.parent.clone().filter(|p| !p.is_empty());
    (lo, hi, kind, q, parent)
}

const FILTER_SQL: &str = "code >= $1 AND code < $2 AND ($3 IS NULL OR kind = $3) AND ($4 IS NULL OR name LIKE $4 OR code LIKE $4)
                  AND ($5 IS NULL OR parent_code = $5)";

/// How many units in scope match the filter.
pub async fn count(pool: &AnyPool, scope: &Scope, f: &OrgFilter) -> AppResult<i64> {
    let (lo, hi, kind, q, parent) = filter_binds(scope, f);
    Ok(sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM org_unit WHERE {FILTER_SQL}"
    )))
    .bind(lo)
    .bind(hi)
    .bind(kind)
    .bind(q)
    .bind(parent)
    .fetch_one(pool)
    .await?
    .try_get(0)?)
}

/// The units of `scope` for a drop-down, as (code, name indented by depth): down to villages,
/// and the grids too when `grids` is asked and the scope is one village (else they would be
/// hundreds).
pub async fn options(
    pool: &AnyPool,
    scope: &Scope,
    grids: bool,
) -> AppResult<Vec<(String, String)>> {
    let units = list(pool, scope, &OrgFilter::default(), 0, 100_000).await?;
    let top = units.iter().map(|u| u.kind().level()).min().unwrap_or(0);
    let with_grids = grids && top >= 2;
    Ok(units
        .iter()
        .filter(|u| with_grids || u.kind().level() <= 2)
        .map(|u| {
            let indent = "　".repeat(usize::from(u.kind().level().saturating_sub(top)));
            (u.code.clone(), format!("{indent}{}", u.name))
        })
        .collect())
}

/// Units in scope matching the filter, by code.
pub async fn list(
    pool: &AnyPool,
    scope: &Scope,
    f: &OrgFilter,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<OrgUnit>> {
    let (lo, hi, kind, q, parent) = filter_binds(scope, f);
    let sql = format!(
        "SELECT {COLUMNS} FROM org_unit WHERE {FILTER_SQL} ORDER BY code LIMIT $6 OFFSET $7"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(lo)
        .bind(hi)
        .bind(kind)
        .bind(q)
        .bind(parent)
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await?;
    Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
}

/// Counts of units in scope by kind, for summaries.
pub async fn count_by_kind(pool: &AnyPool, scope: &Scope) -> AppResult<Vec<(String, i64)>> {
    let (lo, hi) = scope.bounds();
    let rows = sqlx::query(
        "SELECT kind, COUNT(*) FROM org_unit WHERE code >= $1 AND code < $2 AND revoked_on IS NULL GROUP BY kind",
    )
    .bind(lo)
    .bind(hi)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

/// Checks a unit against its parent (kind and code prefix); the parent must exist already or be
/// given in `pending` (units of the same workbook).
pub fn check_against_parent(
    unit: &NewOrgUnit,
    parent: Option<(&OrgCode, OrgKind)>,
) -> Result<(), String> {
    unit.code.check_kind(unit.kind).map_err(|e| e.to_string())?;
    match (unit.kind, parent) {
        (OrgKind::District, None) => Ok(()),
        (OrgKind::District, Some(_)) => Err("区县不应有上级编码".into()),
        (_, None) => Err("上级编码不能为空（只有区县没有上级）".into()),
        (k, Some((pcode, pkind))) => {
            check_parent(&unit.code, k, pcode, pkind).map_err(|e| e.to_string())
        }
    }
}

/// Inserts or updates a unit by code inside the caller's transaction, with an audit row.
/// Returns true when something changed.
pub async fn upsert(
    tx: &mut Transaction<'static, Any>,
    actor: &Actor,
    u: &NewOrgUnit,
) -> AppResult<bool> {
    let code = u.code.as_str().to_string();
    let prefix = u.code.scope_prefix(u.kind).to_string();
    let parent = u.parent_code.as_ref().map(|c| c.as_str().to_string());
    let revoked = u.revoked_on.map(|d| d.to_string());
    let merged = u.merged_into.as_ref().map(|c| c.as_str().to_string());
    let sql = format!("SELECT {COLUMNS} FROM org_unit WHERE code = $1");
    let old = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(code.clone())
        .fetch_optional(&mut **tx)
        .await?;
    let old = old.as_ref().map(from_row).transpose()?;
    let now = now_ms();
    let changes: Vec<Change> = {
        let pairs: [(&'static str, Option<String>, Option<String>); 5] = [
            (
                "name",
                old.as_ref().map(|o| o.name.clone()),
                Some(u.name.clone()),
            ),
            (
                "kind",
                old.as_ref().map(|o| o.kind.clone()),
                Some(u.kind.code().to_string()),
            ),
            (
                "parent_code",
                old.as_ref().and_then(|o| o.parent_code.clone()),
                parent.clone(),
            ),
            (
                "revoked_on",
                old.as_ref().and_then(|o| o.revoked_on.clone()),
                revoked.clone(),
            ),
            (
                "merged_into",
                old.as_ref().and_then(|o| o.merged_into.clone()),
                merged.clone(),
            ),
        ];
        pairs
            .into_iter()
            .filter(|(_, a, b)| a != b)
            .map(|(field, old, new)| Change { field, old, new })
            .collect()
    };
    if changes.is_empty() {
        return Ok(false);
    }
    let action = if old.is_some() {
        sqlx::query(
            "UPDATE org_unit SET name = $1, kind = $2, parent_code = $3, scope_prefix = $4, revoked_on = $5,
                merged_into = $6, version = version + 1, updated_at = $7 WHERE code = $8",
        )
        .bind(u.name.clone())
        .bind(u.kind.code())
        .bind(parent)
        .bind(prefix)
        .bind(revoked)
        .bind(merged)
        .bind(now)
        .bind(code.clone())
        .execute(&mut **tx)
        .await?;
        Action::Update
    } else {
        sqlx::query(
            "INSERT INTO org_unit (code, name, kind, parent_code, scope_prefix, revoked_on, merged_into, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        )
        .bind(code.clone())
        .bind(u.name.clone())
        .bind(u.kind.code())
        .bind(parent)
        .bind(prefix)
        .bind(revoked)
        .bind(merged)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        Action::Create
    };
    audit::record(
        tx,
        Entry {
            actor,
            action,
            entity: "org_unit",
            entity_key: &code,
            org_code: Some(&code),
            changes: &changes,
        },
    )
    .await?;
    Ok(true)
}

//! Cadre posts (干部): one row per post held, with its history. A post is in scope by its
//! `org_code` (任职单位), so a village sees its village cadres, a township also its own
//! township leaders and cadres.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sqlx::{AnyPool, Row};
use xingcun_domain::enums::{CadreCategory, VillagePost};

use super::search::{AnyQuery, Search, bind_search, person_condition};
use super::{PersonId, given, label_of};
use crate::error::AppResult;
use crate::scope::Scope;

/// Filters of the cadre list; `org` narrows the scope before storage sees it, and the caller
/// reads `q` into a [`Search`].
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CadreFilter {
    pub org: Option<String>,
    /// A [`CadreCategory`] code.
    pub category: Option<String>,
    /// A [`VillagePost`] code, or the free text of a township post.
    pub post: Option<String>,
    /// `in_office` (在任 on the day asked about) or `left` (离任).
    pub standing: Option<String>,
    /// `1` for posts under 专业化管理, `0` for the others.
    pub professional: Option<String>,
    pub q: Option<String>,
}

/// A post as lists, detail pages and the API show it: the ID number masked.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CadrePostItem {
    pub id: i64,
    pub person_id: PersonId,
    pub name: String,
    pub id_masked: String,
    pub category: String,
    pub category_label: String,
    /// A [`VillagePost`] code for 村干部, free text otherwise.
    pub post: String,
    pub post_label: String,
    pub post_title: Option<String>,
    pub org_code: String,
    pub org_name: String,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub professional: bool,
    /// Held on the day asked about: started on or before it, not ended on or before it.
    pub active: bool,
}

const COLUMNS: &str = "c.id, p.id, p.name, p.id_masked, c.category, c.post, c.post_title,
    c.org_code, o.name, c.starts_on, c.ends_on, c.professional";

const FROM: &str = "cadre_post c JOIN person p ON p.id = c.person_id
    JOIN org_unit o ON o.code = c.org_code";

fn from_row(r: &sqlx::any::AnyRow, today: &str) -> Result<CadrePostItem, sqlx::Error> {
    let category: String = r.try_get(4)?;
    let post: String = r.try_get(5)?;
    let starts_on: String = r.try_get(9)?;
    let ends_on: Option<String> = r.try_get(10)?;
    Ok(CadrePostItem {
        id: r.try_get(0)?,
        person_id: PersonId(r.try_get(1)?),
        name: r.try_get(2)?,
        id_masked: r.try_get(3)?,
        category_label: label_of(Some(&category), |c| {
            CadreCategory::from_code(c).map(CadreCategory::label)
        }),
        category,
        post_label: VillagePost::from_code(&post)
            .map(|p| p.label().to_string())
            .unwrap_or_else(|| post.clone()),
        post,
        post_title: r.try_get(6)?,
        org_code: r.try_get(7)?,
        org_name: r.try_get(8)?,
        active: starts_on.as_str() <= today && ends_on.as_deref().is_none_or(|e| e > today),
        starts_on,
        ends_on,
        professional: r.try_get::<i64, _>(11)? != 0,
    })
}

/// The filter as SQL: scope `$1..$2`, today `$3`, category `$4`, post `$5`, standing `$6`,
/// 专业化管理 `$7`, the search `$8..$12`.
fn filter_sql() -> String {
    let search = person_condition("p", 8, "p.name");
    format!(
        "c.org_code >= $1 AND c.org_code < $2
         AND ($4 IS NULL OR c.category = $4)
         AND ($5 IS NULL OR c.post = $5)
         AND ($6 IS NULL
           OR ($6 = 'in_office' AND c.starts_on <= $3 AND (c.ends_on IS NULL OR c.ends_on > $3))
           OR ($6 = 'left' AND c.ends_on IS NOT NULL AND c.ends_on <= $3))
         AND ($7 IS NULL OR c.professional = $7)
         AND {search}"
    )
}

fn bind_filter<'q>(
    query: AnyQuery<'q>,
    scope: &Scope,
    f: &CadreFilter,
    search: &Search,
    today: NaiveDate,
) -> AnyQuery<'q> {
    let (lo, hi) = scope.bounds();
    let professional: Option<i64> = match given(&f.professional).as_deref() {
        Some("1") => Some(1),
        Some("0") => Some(0),
        _ => None,
    };
    let query = query
        .bind(lo)
        .bind(hi)
        .bind(today.to_string())
        .bind(given(&f.category))
        .bind(given(&f.post))
        .bind(given(&f.standing))
        .bind(professional);
    bind_search(query, search)
}

/// How many posts in `scope` match the filter and the search.
pub async fn count(
    pool: &AnyPool,
    scope: &Scope,
    f: &CadreFilter,
    search: &Search,
    today: NaiveDate,
) -> AppResult<i64> {
    let sql = format!("SELECT COUNT(*) FROM {FROM} WHERE {}", filter_sql());
    let q = bind_filter(
        sqlx::query(sqlx::AssertSqlSafe(sql)),
        scope,
        f,
        search,
        today,
    );
    Ok(q.fetch_one(pool).await?.try_get(0)?)
}

/// A page of the posts in `scope` matching the filter and the search: by unit, category,
/// then the latest appointment first.
pub async fn list(
    pool: &AnyPool,
    scope: &Scope,
    f: &CadreFilter,
    search: &Search,
    today: NaiveDate,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<CadrePostItem>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE {}
         ORDER BY c.org_code, c.category, c.starts_on DESC, c.id LIMIT $13 OFFSET $14",
        filter_sql()
    );
    let q = bind_filter(
        sqlx::query(sqlx::AssertSqlSafe(sql)),
        scope,
        f,
        search,
        today,
    );
    let rows = q.bind(limit).bind(offset).fetch_all(pool).await?;
    let today = today.to_string();
    Ok(rows
        .iter()
        .map(|r| from_row(r, &today))
        .collect::<Result<_, _>>()?)
}

/// Every post of a person that lies in `scope`, the latest appointment first.
pub async fn posts_of(
    pool: &AnyPool,
    scope: &Scope,
    person: PersonId,
    today: NaiveDate,
) -> AppResult<Vec<CadrePostItem>> {
    let (lo, hi) = scope.bounds();
    let sql = format!(
        "SELECT {COLUMNS} FROM {FROM}
         WHERE c.person_id = $1 AND c.org_code >= $2 AND c.org_code < $3
         ORDER BY c.starts_on DESC, c.id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(person.0)
        .bind(lo)
        .bind(hi)
        .fetch_all(pool)
        .await?;
    let today = today.to_string();
    Ok(rows
        .iter()
        .map(|r| from_row(r, &today))
        .collect::<Result<_, _>>()?)
}

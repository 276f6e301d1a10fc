//! Households (户): the list with its filters, one household, and its members. A household is
//! in scope by its `org_code` (the village or grid it is registered in).

use serde::{Deserialize, Serialize};
use sqlx::{AnyPool, Row};
use xingcun_domain::enums::{MonitorType, Relation, ResidenceStatus, Sex};

use super::search::like_escape;
use super::{HouseholdId, PersonId, given};
use crate::error::{AppError, AppResult};
use crate::scope::Scope;

/// The 户类型 filter: one of the flags, or 一般户 (none of them).
pub const KINDS: &[(&str, &str)] = &[
    ("lifted_out", "脱贫户"),
    ("monitored", "监测对象"),
    ("dibao", "低保户"),
    ("destitute", "特困供养户"),
    ("general", "一般户"),
];

/// Filters of the household list. `org` narrows the scope (see `narrow_to_org`) before the
/// storage functions see it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct HouseholdFilter {
    pub org: Option<String>,
    /// One of [`KINDS`].
    pub kind: Option<String>,
    /// A [`ResidenceStatus`] code.
    pub residence: Option<String>,
    /// 户编号 (from its start) or the head's name (part of it, or its pinyin or initials).
    pub q: Option<String>,
}

/// A household as lists and the API show it: personal fields masked.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct HouseholdItem {
    pub id: HouseholdId,
    pub household_no: String,
    pub org_code: String,
    pub org_name: String,
    pub group_name: Option<String>,
    pub head_name: Option<String>,
    /// People registered in the household and not deregistered.
    pub member_count: i64,
    pub residence: String,
    pub residence_label: String,
    pub lifted_out: bool,
    pub monitored: bool,
    pub monitor_type: Option<String>,
    pub monitor_type_label: Option<String>,
    pub dibao: bool,
    pub destitute: bool,
    /// 脱贫户, 监测对象, 低保户, 特困供养户 as set, or 一般户.
    pub kind_labels: Vec<&'static str>,
    pub phone_masked: Option<String>,
    pub deregistered_on: Option<String>,
}

/// One household with what only its own page shows. Not serialisable: it holds the sealed
/// phone number, which only [`HouseholdDetail::phone_enc`] hands out, for `personal::open`.
#[derive(Debug, Clone)]
pub struct HouseholdDetail {
    pub item: HouseholdItem,
    pub address: Option<String>,
    phone_enc: Option<String>,
}

impl HouseholdDetail {
    pub fn phone_enc(&self) -> Option<&str> {
        self.phone_enc.as_deref()
    }
}

/// A member on the household's page.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct HouseholdMember {
    pub id: PersonId,
    pub name: String,
    pub relation: Option<String>,
    pub relation_label: String,
    pub sex_label: String,
    pub birth_date: String,
    pub id_masked: String,
    pub deregistered_on: Option<String>,
}

const COLUMNS: &str = "h.id, h.household_no, h.org_code, o.name, h.group_name, h.residence,
    h.lifted_out, h.monitored, h.monitor_type, h.dibao, h.destitute, h.phone_masked, h.deregistered_on,
    (SELECT p.name FROM person p WHERE p.household_id = h.id AND p.relation = 'household_head'
      ORDER BY p.id LIMIT 1),
    (SELECT COUNT(*) FROM person p WHERE p.household_id = h.id AND p.deregistered_on IS NULL)";

/// The filter as SQL: scope `$1..$2`, 户类型 `$3`, 常住状态 `$4`, search `$5` (household number
/// prefix), `$6` (name part), `$7` (pinyin prefix).
const FILTER: &str = "h.org_code >= $1 AND h.org_code < $2
    AND ($3 IS NULL
      OR ($3 = 'lifted_out' AND h.lifted_out = 1)
      OR ($3 = 'monitored' AND h.monitored = 1)
      OR ($3 = 'dibao' AND h.dibao = 1)
      OR ($3 = 'destitute' AND h.destitute = 1)
      OR ($3 = 'general' AND h.lifted_out = 0 AND h.monitored = 0 AND h.dibao = 0 AND h.destitute = 0))
    AND ($4 IS NULL OR h.residence = $4)
    AND ($5 IS NULL OR h.household_no LIKE $5 ESCAPE '\\'
      OR EXISTS (SELECT 1 FROM person hp WHERE hp.household_id = h.id AND hp.relation = 'household_head'
        AND (hp.name LIKE $6 ESCAPE '\\' OR hp.name_pinyin LIKE $7 ESCAPE '\\' OR hp.name_initials LIKE $7 ESCAPE '\\')))";

/// The filter's parameters `$3..$7`.
struct Binds {
    kind: Option<String>,
    residence: Option<String>,
    no_prefix: Option<String>,
    name_like: Option<String>,
    pinyin_prefix: Option<String>,
}

impl Binds {
    fn of(f: &HouseholdFilter) -> Binds {
        let q = given(&f.q).map(|q| xingcun_domain::text::normalize_name(&q));
        let ascii = q
            .as_deref()
            .filter(|q| q.chars().all(|c| c.is_ascii_alphanumeric()));
        Binds {
            kind: given(&f.kind),
            residence: given(&f.residence),
            no_prefix: q.as_deref().map(|q| format!("{}%", like_escape(q))),
            name_like: q.as_deref().map(|q| format!("%{}%", like_escape(q))),
            pinyin_prefix: ascii.map(|q| format!("{}%", like_escape(&q.to_ascii_lowercase()))),
        }
    }
}

fn flag(r: &sqlx::any::AnyRow, i: usize) -> Result<bool, sqlx::Error> {
    Ok(r.try_get::<i64, _>(i)? != 0)
}

fn item_from_row(r: &sqlx::any::AnyRow) -> Result<HouseholdItem, sqlx::Error> {
    let residence: String = r.try_get(5)?;
    let monitor_type: Option<String> = r.try_get(8)?;
    let (lifted_out, monitored, dibao, destitute) =
        (flag(r, 6)?, flag(r, 7)?, flag(r, 9)?, flag(r, 10)?);
    let mut kind_labels: Vec<&'static str> = [lifted_out, monitored, dibao, destitute]
        .iter()
        .zip(KINDS)
        .filter(|(set, _)| **set)
        .map(|(_, (_, label))| *label)
        .collect();
    if kind_labels.is_empty() {
        kind_labels.push("一般户");
    }
    Ok(HouseholdItem {
        id: HouseholdId(r.try_get(0)?),
        household_no: r.try_get(1)?,
        org_code: r.try_get(2)?,
        org_name: r.try_get(3)?,
        group_name: r.try_get(4)?,
        residence_label: super::label_of(Some(&residence), |c| {
            ResidenceStatus::from_code(c).map(ResidenceStatus::label)
        }),
        residence,
        lifted_out,
        monitored,
        monitor_type_label: monitor_type.as_deref().map(|m| {
            super::label_of(Some(m), |c| {
                MonitorType::from_code(c).map(MonitorType::label)
            })
        }),
        monitor_type,
        dibao,
        destitute,
        kind_labels,
        phone_masked: r.try_get(11)?,
        deregistered_on: r.try_get(12)?,
        head_name: r.try_get(13)?,
        member_count: r.try_get(14)?,
    })
}

/// How many households in `scope` match the filter.
pub async fn count(pool: &AnyPool, scope: &Scope, f: &HouseholdFilter) -> AppResult<i64> {
    let (lo, hi) = scope.bounds();
    let b = Binds::of(f);
    let sql = format!("SELECT COUNT(*) FROM household h WHERE {FILTER}");
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(lo)
        .bind(hi)
        .bind(b.kind)
        .bind(b.residence)
        .bind(b.no_prefix)
        .bind(b.name_like)
        .bind(b.pinyin_prefix)
        .fetch_one(pool)
        .await?
        .try_get(0)?)
}

/// A page of the households in `scope` matching the filter, by household number.
pub async fn list(
    pool: &AnyPool,
    scope: &Scope,
    f: &HouseholdFilter,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<HouseholdItem>> {
    let (lo, hi) = scope.bounds();
    let b = Binds::of(f);
    let sql = format!(
        "SELECT {COLUMNS} FROM household h JOIN org_unit o ON o.code = h.org_code
         WHERE {FILTER} ORDER BY h.household_no LIMIT $8 OFFSET $9"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(lo)
        .bind(hi)
        .bind(b.kind)
        .bind(b.residence)
        .bind(b.no_prefix)
        .bind(b.name_like)
        .bind(b.pinyin_prefix)
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await?;
    Ok(rows.iter().map(item_from_row).collect::<Result<_, _>>()?)
}

/// One household, or `NotFound` (also when outside `scope`).
pub async fn get(pool: &AnyPool, scope: &Scope, id: HouseholdId) -> AppResult<HouseholdDetail> {
    let (lo, hi) = scope.bounds();
    let sql = format!(
        "SELECT {COLUMNS}, h.address, h.phone_enc FROM household h JOIN org_unit o ON o.code = h.org_code
         WHERE h.id = $1 AND h.org_code >= $2 AND h.org_code < $3"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.0)
        .bind(lo)
        .bind(hi)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(HouseholdDetail {
        item: item_from_row(&row)?,
        address: row.try_get(15)?,
        phone_enc: row.try_get(16)?,
    })
}

/// The people of a household that lie in `scope`: the head first, then by relation and birth.
pub async fn members(
    pool: &AnyPool,
    scope: &Scope,
    id: HouseholdId,
) -> AppResult<Vec<HouseholdMember>> {
    let (lo, hi) = scope.bounds();
    let rows = sqlx::query(
        "SELECT id, name, relation, sex, birth_date, id_masked, deregistered_on FROM person
         WHERE household_id = $1 AND org_code >= $2 AND org_code < $3
         ORDER BY CASE WHEN relation = 'household_head' THEN 0 ELSE 1 END, birth_date, id",
    )
    .bind(id.0)
    .bind(lo)
    .bind(hi)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            let relation: Option<String> = r.try_get(2)?;
            let sex: String = r.try_get(3)?;
            Ok(HouseholdMember {
                id: PersonId(r.try_get(0)?),
                name: r.try_get(1)?,
                relation_label: super::label_of(relation.as_deref(), |c| {
                    Relation::from_code(c).map(Relation::label)
                }),
                relation,
                sex_label: super::label_of(Some(&sex), |c| Sex::from_code(c).map(Sex::label)),
                birth_date: r.try_get(4)?,
                id_masked: r.try_get(5)?,
                deregistered_on: r.try_get(6)?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(AppError::from)
}

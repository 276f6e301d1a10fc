//! People (人员): the list with its filters and search, and one person. A person is in scope by
//! `person.org_code`.

use serde::{Deserialize, Serialize};
use sqlx::{AnyPool, Row};
use xingcun_domain::enums::{
    DeregistrationReason, Education, Ethnicity, PoliticalStatus, Relation, Sex,
};

use super::search::{AnyQuery, Search, bind_search, person_condition};
use super::{HouseholdId, PersonId, given, label_of};
use crate::error::{AppError, AppResult};
use crate::scope::Scope;

/// The 最高学历 filter value for 大专以上 (大学专科 or higher, 大专 included).
pub const COLLEGE: &str = "college";

/// Filters of the people list; the search box (`q`) is read into a [`Search`] by the caller,
/// which needs the key and today's date.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PersonFilter {
    pub org: Option<String>,
    /// A [`Sex`] code.
    pub sex: Option<String>,
    /// A [`PoliticalStatus`] code.
    pub political_status: Option<String>,
    /// An [`Education`] code (the person's 最高学历) or [`COLLEGE`].
    pub education: Option<String>,
    pub q: Option<String>,
}

/// A person as lists and the API show them: ID and phone masked.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PersonItem {
    pub id: PersonId,
    pub name: String,
    pub sex: String,
    pub sex_label: String,
    pub birth_date: String,
    pub id_masked: String,
    pub phone_masked: Option<String>,
    pub political_status: Option<String>,
    pub political_status_label: String,
    /// 最高学历: the higher of 全日制学历 and 在职学历.
    pub highest_education: Option<String>,
    pub highest_education_label: String,
    pub org_code: String,
    pub org_name: String,
    pub household_id: Option<HouseholdId>,
    pub household_no: Option<String>,
    pub relation: Option<String>,
    pub relation_label: String,
    pub deregistered_on: Option<String>,
}

/// One person with what only their own page shows. Not serialisable: it holds the sealed ID
/// and phone numbers, handed out only for `personal::open`.
#[derive(Debug, Clone)]
pub struct PersonDetail {
    pub item: PersonItem,
    pub ethnicity_label: String,
    pub edu_full_time_label: String,
    pub edu_in_service_label: String,
    pub dereg_reason_label: String,
    id_enc: String,
    phone_enc: Option<String>,
}

impl PersonDetail {
    pub fn id_enc(&self) -> &str {
        &self.id_enc
    }
    pub fn phone_enc(&self) -> Option<&str> {
        self.phone_enc.as_deref()
    }
}

const COLUMNS: &str = "p.id, p.name, p.sex, p.birth_date, p.id_masked, p.phone_masked,
    p.political_status, p.edu_full_time, p.edu_in_service, p.org_code, o.name, p.household_id,
    h.household_no, p.relation, p.deregistered_on";

const FROM: &str = "person p JOIN org_unit o ON o.code = p.org_code
    LEFT JOIN household h ON h.id = p.household_id";

/// The rank of an education column ([`Education::rank`]), NULL when the column is.
fn rank_sql(column: &str) -> String {
    let whens: String = Education::ALL
        .iter()
        .map(|e| format!(" WHEN '{}' THEN {}", e.code(), e.rank()))
        .collect();
    format!("(CASE {column}{whens} END)")
}

/// The filter as SQL: scope `$1..$2`, sex `$3`, political status `$4`, the search `$5..$9`
/// (see `person_condition`), 最高学历 rank range `$10..$11`. The highest of two ranks lies in
/// `[lo, hi]` when either reaches `lo` and neither passes `hi`.
fn filter_sql() -> String {
    let ft = rank_sql("p.edu_full_time");
    let is = rank_sql("p.edu_in_service");
    let search = person_condition("p", 5, "h.household_no");
    format!(
        "p.org_code >= $1 AND p.org_code < $2
        AND ($3 IS NULL OR p.sex = $3)
        AND ($4 IS NULL OR p.political_status = $4)
        AND {search}
        AND ($10 IS NULL OR (({ft} >= $10 OR {is} >= $10)
             AND COALESCE({ft}, -1) <= $11 AND COALESCE({is}, -1) <= $11))"
    )
}

/// The 最高学历 filter as a rank range; an unknown value matches nothing.
fn education_range(f: &PersonFilter) -> (Option<i64>, Option<i64>) {
    match given(&f.education).as_deref() {
        None => (None, None),
        Some(COLLEGE) => (
            Some(Education::JuniorCollege.rank().into()),
            Some(Education::Postgraduate.rank().into()),
        ),
        Some(code) => match Education::from_code(code) {
            Some(e) => (Some(e.rank().into()), Some(e.rank().into())),
            None => (Some(99), Some(99)),
        },
    }
}

/// Binds the filter's parameters `$1..$11` in order.
fn bind_filter<'q>(
    query: AnyQuery<'q>,
    scope: &Scope,
    f: &PersonFilter,
    search: &Search,
) -> AnyQuery<'q> {
    let (lo, hi) = scope.bounds();
    let (edu_lo, edu_hi) = education_range(f);
    let query = query
        .bind(lo)
        .bind(hi)
        .bind(given(&f.sex))
        .bind(given(&f.political_status));
    bind_search(query, search).bind(edu_lo).bind(edu_hi)
}

fn item_from_row(r: &sqlx::any::AnyRow) -> Result<PersonItem, sqlx::Error> {
    let sex: String = r.try_get(2)?;
    let political_status: Option<String> = r.try_get(6)?;
    let edu = |i: usize| -> Result<Option<Education>, sqlx::Error> {
        Ok(r.try_get::<Option<String>, _>(i)?
            .as_deref()
            .and_then(Education::from_code))
    };
    let highest = Education::highest(edu(7)?, edu(8)?);
    let relation: Option<String> = r.try_get(13)?;
    Ok(PersonItem {
        id: PersonId(r.try_get(0)?),
        name: r.try_get(1)?,
        sex_label: label_of(Some(&sex), |c| Sex::from_code(c).map(Sex::label)),
        sex,
        birth_date: r.try_get(3)?,
        id_masked: r.try_get(4)?,
        phone_masked: r.try_get(5)?,
        political_status_label: label_of(political_status.as_deref(), |c| {
            PoliticalStatus::from_code(c).map(PoliticalStatus::label)
        }),
        political_status,
        highest_education: highest.map(|e| e.code().to_string()),
        highest_education_label: highest.map(|e| e.label().to_string()).unwrap_or_default(),
        org_code: r.try_get(9)?,
        org_name: r.try_get(10)?,
        household_id: r.try_get::<Option<i64>, _>(11)?.map(HouseholdId),
        household_no: r.try_get(12)?,
        relation_label: label_of(relation.as_deref(), |c| {
            Relation::from_code(c).map(Relation::label)
        }),
        relation,
        deregistered_on: r.try_get(14)?,
    })
}

/// How many people in `scope` match the filter and the search.
pub async fn count(
    pool: &AnyPool,
    scope: &Scope,
    f: &PersonFilter,
    search: &Search,
) -> AppResult<i64> {
    let sql = format!("SELECT COUNT(*) FROM {FROM} WHERE {}", filter_sql());
    let q = bind_filter(sqlx::query(sqlx::AssertSqlSafe(sql)), scope, f, search);
    Ok(q.fetch_one(pool).await?.try_get(0)?)
}

/// A page of the people in `scope` matching the filter and the search, by unit and name.
pub async fn list(
    pool: &AnyPool,
    scope: &Scope,
    f: &PersonFilter,
    search: &Search,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<PersonItem>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE {} ORDER BY p.org_code, p.name, p.id LIMIT $12 OFFSET $13",
        filter_sql()
    );
    let q = bind_filter(sqlx::query(sqlx::AssertSqlSafe(sql)), scope, f, search);
    let rows = q.bind(limit).bind(offset).fetch_all(pool).await?;
    Ok(rows.iter().map(item_from_row).collect::<Result<_, _>>()?)
}

/// One person, or `NotFound` (also when outside `scope`).
pub async fn get(pool: &AnyPool, scope: &Scope, id: PersonId) -> AppResult<PersonDetail> {
    let (lo, hi) = scope.bounds();
    let sql = format!(
        "SELECT {COLUMNS}, p.ethnicity, p.dereg_reason, p.id_enc, p.phone_enc FROM {FROM}
         WHERE p.id = $1 AND p.org_code >= $2 AND p.org_code < $3"
    );
    let r = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.0)
        .bind(lo)
        .bind(hi)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)?;
    let edu_label = |i: usize| -> Result<String, sqlx::Error> {
        let code: Option<String> = r.try_get(i)?;
        Ok(label_of(code.as_deref(), |c| {
            Education::from_code(c).map(Education::label)
        }))
    };
    let ethnicity: Option<String> = r.try_get(15)?;
    let reason: Option<String> = r.try_get(16)?;
    Ok(PersonDetail {
        item: item_from_row(&r)?,
        ethnicity_label: label_of(ethnicity.as_deref(), |c| {
            Ethnicity::from_code(c).map(Ethnicity::label)
        }),
        edu_full_time_label: edu_label(7)?,
        edu_in_service_label: edu_label(8)?,
        dereg_reason_label: label_of(reason.as_deref(), |c| {
            DeregistrationReason::from_code(c).map(DeregistrationReason::label)
        }),
        id_enc: r.try_get(17)?,
        phone_enc: r.try_get(18)?,
    })
}

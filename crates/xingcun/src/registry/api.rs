//! Registry JSON API under `/api/v1`. Like the lists, it returns only masked ID and phone
//! numbers, whatever the caller's role: unmasked values are for a person reading a detail
//! page, not for machines.

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::{Deserialize, Serialize};

use super::cadres::{self, CadreFilter, CadrePostItem};
use super::households::{self, HouseholdFilter, HouseholdItem, HouseholdMember};
use super::party::{self, PartyMemberFilter, PartyMemberItem, PartyOrgFilter, PartyOrgItem};
use super::people::{self, PersonFilter, PersonItem};
use super::search::Search;
use super::{HouseholdId, PersonId, narrow_to_org};
use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::dates;
use crate::error::AppResult;
use crate::web::list::{PageParams, Pagination};

/// A page of records, shaped like `/api/v1/org-units`.
#[derive(Debug, Serialize)]
pub struct Page<T: Serialize> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl<T: Serialize> Page<T> {
    fn new(items: Vec<T>, total: i64, pg: &Pagination) -> Page<T> {
        Page {
            items,
            total,
            page: pg.page,
            per_page: pg.per_page,
        }
    }
}

/// Filters and page numbers of a list call.
#[derive(Debug, Deserialize, Default)]
pub struct ApiParams<F> {
    #[serde(flatten)]
    pub filter: F,
    #[serde(flatten)]
    pub page: PageParams,
}

/// `GET /api/v1/households`
pub async fn api_list_households(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(p): Query<ApiParams<HouseholdFilter>>,
) -> AppResult<Json<Page<HouseholdItem>>> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let Some(scope) = narrow_to_org(pool, &user.scope, p.filter.org.as_deref()).await? else {
        return Ok(Json(Page::new(Vec::new(), 0, &Pagination::new(p.page, 0))));
    };
    let total = households::count(pool, &scope, &p.filter).await?;
    let pg = Pagination::new(p.page, total);
    let items = households::list(pool, &scope, &p.filter, pg.offset(), pg.limit()).await?;
    Ok(Json(Page::new(items, total, &pg)))
}

/// One household with its members, masked.
#[derive(Debug, Serialize)]
pub struct HouseholdRecord {
    #[serde(flatten)]
    pub household: HouseholdItem,
    pub address: Option<String>,
    pub members: Vec<HouseholdMember>,
}

/// `GET /api/v1/households/{id}`
pub async fn api_get_household(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<HouseholdId>,
) -> AppResult<Json<HouseholdRecord>> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let household = households::get(pool, &user.scope, id).await?;
    let members = households::members(pool, &user.scope, id).await?;
    Ok(Json(HouseholdRecord {
        household: household.item,
        address: household.address,
        members,
    }))
}

/// `GET /api/v1/people`: `q` takes a name, pinyin, initials, household number, or a whole ID
/// or phone number (found by its blind index; the request log never records query strings).
pub async fn api_list_people(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(p): Query<ApiParams<PersonFilter>>,
) -> AppResult<Json<Page<PersonItem>>> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let search = Search::parse(p.filter.q.as_deref(), state.crypto(), dates::today());
    let Some(scope) = narrow_to_org(pool, &user.scope, p.filter.org.as_deref()).await? else {
        return Ok(Json(Page::new(Vec::new(), 0, &Pagination::new(p.page, 0))));
    };
    let total = people::count(pool, &scope, &p.filter, &search).await?;
    let pg = Pagination::new(p.page, total);
    let items = people::list(pool, &scope, &p.filter, &search, pg.offset(), pg.limit()).await?;
    Ok(Json(Page::new(items, total, &pg)))
}

/// One person, masked, with their party membership and posts in scope.
#[derive(Debug, Serialize)]
pub struct PersonRecord {
    #[serde(flatten)]
    pub person: PersonItem,
    pub ethnicity_label: String,
    pub edu_full_time_label: String,
    pub edu_in_service_label: String,
    pub dereg_reason_label: String,
    pub party_membership: Option<PartyMemberItem>,
    pub posts: Vec<CadrePostItem>,
}

/// `GET /api/v1/people/{id}`
pub async fn api_get_person(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<PersonId>,
) -> AppResult<Json<PersonRecord>> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let today = dates::today();
    let person = people::get(pool, &user.scope, id).await?;
    let party_membership = party::membership_of(pool, &user.scope, id, today).await?;
    let posts = cadres::posts_of(pool, &user.scope, id, today).await?;
    Ok(Json(PersonRecord {
        person: person.item,
        ethnicity_label: person.ethnicity_label,
        edu_full_time_label: person.edu_full_time_label,
        edu_in_service_label: person.edu_in_service_label,
        dereg_reason_label: person.dereg_reason_label,
        party_membership,
        posts,
    }))
}

/// `GET /api/v1/party-orgs`: by code.
pub async fn api_list_party_orgs(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(p): Query<ApiParams<PartyOrgFilter>>,
) -> AppResult<Json<Page<PartyOrgItem>>> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let all = match narrow_to_org(pool, &user.scope, p.filter.org.as_deref()).await? {
        Some(scope) => party::list_orgs(pool, &scope, &p.filter, dates::today()).await?,
        None => Vec::new(),
    };
    let total = all.len() as i64;
    let pg = Pagination::new(p.page, total);
    let items = all
        .into_iter()
        .skip(usize::try_from(pg.offset()).unwrap_or(0))
        .take(usize::try_from(pg.limit()).unwrap_or(0))
        .collect();
    Ok(Json(Page::new(items, total, &pg)))
}

/// `GET /api/v1/party-members`
pub async fn api_list_party_members(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(p): Query<ApiParams<PartyMemberFilter>>,
) -> AppResult<Json<Page<PartyMemberItem>>> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let today = dates::today();
    let search = Search::parse(p.filter.q.as_deref(), state.crypto(), today);
    let Some(scope) = narrow_to_org(pool, &user.scope, p.filter.org.as_deref()).await? else {
        return Ok(Json(Page::new(Vec::new(), 0, &Pagination::new(p.page, 0))));
    };
    let total = party::count_members(pool, &scope, &p.filter, &search, today).await?;
    let pg = Pagination::new(p.page, total);
    let items = party::list_members(
        pool,
        &scope,
        &p.filter,
        &search,
        today,
        pg.offset(),
        pg.limit(),
    )
    .await?;
    Ok(Json(Page::new(items, total, &pg)))
}

/// `GET /api/v1/cadres`
pub async fn api_list_cadres(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(p): Query<ApiParams<CadreFilter>>,
) -> AppResult<Json<Page<CadrePostItem>>> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let today = dates::today();
    let search = Search::parse(p.filter.q.as_deref(), state.crypto(), today);
    let Some(scope) = narrow_to_org(pool, &user.scope, p.filter.org.as_deref()).await? else {
        return Ok(Json(Page::new(Vec::new(), 0, &Pagination::new(p.page, 0))));
    };
    let total = cadres::count(pool, &scope, &p.filter, &search, today).await?;
    let pg = Pagination::new(p.page, total);
    let items = cadres::list(
        pool,
        &scope,
        &p.filter,
        &search,
        today,
        pg.offset(),
        pg.limit(),
    )
    .await?;
    Ok(Json(Page::new(items, total, &pg)))
}

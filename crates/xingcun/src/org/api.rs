//! Org-tree JSON API.

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Serialize;

use super::{OrgFilter, OrgUnit};
use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::error::AppResult;
use crate::web::list::{PageParams, Pagination};

/// A page of org units.
#[derive(Debug, Serialize)]
pub struct OrgUnitPage {
    pub items: Vec<OrgUnit>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Debug, serde::Deserialize, Default)]
pub struct OrgApiParams {
    #[serde(flatten)]
    pub filter: OrgFilter,
    #[serde(flatten)]
    pub page: PageParams,
}

/// `GET /api/v1/org-units`
pub async fn api_list_org_units(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(p): Query<OrgApiParams>,
) -> AppResult<Json<OrgUnitPage>> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let total = super::count(pool, &user.scope, &p.filter).await?;
    let pg = Pagination::new(p.page, total);
    let items = super::list(pool, &user.scope, &p.filter, pg.offset(), pg.limit()).await?;
    Ok(Json(OrgUnitPage {
        items,
        total,
        page: pg.page,
        per_page: pg.per_page,
    }))
}

/// `GET /api/v1/org-units/{code}`
pub async fn api_get_org_unit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Json<OrgUnit>> {
    user.require(Permission::ReadData)?;
    Ok(Json(
        super::get(&state.db().pool, &user.scope, &code).await?,
    ))
}

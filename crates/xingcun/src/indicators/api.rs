//! `GET /api/v1/indicators`: every figure for one org unit in the caller's scope, in the JSON
//! the command line also prints.

use axum::Json;
use axum::extract::{Query, State};

use super::Report;
use super::dates::DateParams;
use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::dates;
use crate::error::AppResult;

/// `GET /api/v1/indicators?org=&as_of=&from=&to=`: `org` defaults to the caller's own unit; a
/// unit outside the caller's scope is 404.
pub async fn api_get_indicators(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(p): Query<DateParams>,
) -> AppResult<Json<Report>> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let (args, dates) = p.resolve(dates::today())?;
    let code = args.org.as_deref().unwrap_or(&user.org_code);
    let unit = crate::org::get(pool, &user.scope, code).await?;
    Ok(Json(super::report(pool, &unit, &dates).await?))
}

//! Pages that belong to no one module: home, dashboard, about, language switch, health checks.

use axum::extract::{Path, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use xingcun_domain::division::OrgKind;

use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::db::Backend;
use crate::error::AppResult;
use crate::web::{Ctx, cookies, render};

/// `GET /`: the dashboard when signed in, else the sign-in page.
pub async fn home(ctx: Ctx) -> Redirect {
    if ctx.user.is_some() {
        Redirect::to("/dashboard")
    } else {
        Redirect::to("/login")
    }
}

/// `GET /healthz`: the process is up.
pub async fn healthz() -> &'static str {
    "ok"
}

/// `GET /readyz`: the database answers.
pub async fn readyz(State(state): State<AppState>) -> Response {
    if state.db().ping().await {
        (StatusCode::OK, "ready").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
    }
}

/// `GET /lang/{zh|en}`: remembers the language and goes back.
pub async fn switch_lang(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(lang): Path<String>,
) -> Response {
    let lang = if lang == "en" { "en" } else { "zh" };
    let back = headers
        .get(axum::http::header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| {
            r.find("://")
                .and_then(|i| r[i + 3..].find('/').map(|j| r[i + 3 + j..].to_string()))
        })
        .unwrap_or_else(|| "/".into());
    let cookie = cookies::set(
        cookies::LANG,
        lang,
        Some(365 * 86_400),
        state.config().secure_cookies,
    );
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let (Ok(c), Ok(l)) = (cookie.parse(), back.parse()) {
        res.headers_mut().insert(SET_COOKIE, c);
        res.headers_mut().insert(LOCATION, l);
    }
    res
}

/// `GET /dashboard`: the user's unit at a glance.
pub async fn dashboard(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let unit = crate::org::get(pool, &user.scope, &user.org_code).await?;
    let counts = crate::org::count_by_kind(pool, &user.scope).await?;
    let count = |k: OrgKind| {
        counts
            .iter()
            .find(|(c, _)| c == k.code())
            .map(|(_, n)| *n)
            .unwrap_or(0)
    };
    let registry = registry_counts(&state.db().pool, &user.scope).await?;
    let summary = vec![
        (
            "乡镇（街道）",
            count(OrgKind::Township) + count(OrgKind::Subdistrict),
            "/org-units?kind=township",
        ),
        (
            "行政村",
            count(OrgKind::AdminVillage),
            "/org-units?kind=admin_village",
        ),
        (
            "社区",
            count(OrgKind::Community),
            "/org-units?kind=community",
        ),
        ("网格", count(OrgKind::Grid), "/org-units?kind=grid"),
        ("农户", registry[0], "/households"),
        ("人员", registry[1], "/people"),
        ("党员", registry[2], "/party-members"),
        ("在任干部", registry[3], "/cadres"),
    ];
    let (_, dates) =
        crate::indicators::dates::DateParams::default().resolve(crate::dates::today())?;
    let sections = crate::indicators::pages::sections_for(&state, &unit, &dates).await?;
    Ok(render(
        &state,
        &ctx,
        "pages/dashboard.html",
        context! { unit => unit, summary => summary, sections => sections },
    )?
    .into_response())
}

/// Households, people, party members and serving cadres in scope (not deregistered, left or
/// ended), for the dashboard.
async fn registry_counts(pool: &sqlx::AnyPool, scope: &crate::scope::Scope) -> AppResult<[i64; 4]> {
    use sqlx::Row;
    let (lo, hi) = scope.bounds();
    let row = sqlx::query(
        "SELECT
            (SELECT COUNT(*) FROM household WHERE org_code >= $1 AND org_code < $2 AND deregistered_on IS NULL),
            (SELECT COUNT(*) FROM person WHERE org_code >= $1 AND org_code < $2 AND deregistered_on IS NULL),
            (SELECT COUNT(*) FROM party_member WHERE org_code >= $1 AND org_code < $2 AND left_on IS NULL),
            (SELECT COUNT(DISTINCT person_id) FROM cadre_post WHERE org_code >= $1 AND org_code < $2 AND ends_on IS NULL)",
    )
    .bind(lo)
    .bind(hi)
    .fetch_one(pool)
    .await?;
    Ok([
        row.try_get(0)?,
        row.try_get(1)?,
        row.try_get(2)?,
        row.try_get(3)?,
    ])
}

/// `GET /about`: version and storage.
pub async fn about(
    State(state): State<AppState>,
    ctx: Ctx,
    _user: CurrentUser,
) -> AppResult<Response> {
    let backend = match state.db().backend {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    };
    Ok(render(
        &state,
        &ctx,
        "pages/about.html",
        context! { backend => backend },
    )?
    .into_response())
}

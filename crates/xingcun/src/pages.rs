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
    let summary = vec![
        (
            "乡镇（街道）",
            count(OrgKind::Township) + count(OrgKind::Subdistrict),
        ),
        ("行政村", count(OrgKind::AdminVillage)),
        ("社区", count(OrgKind::Community)),
        ("网格", count(OrgKind::Grid)),
    ];
    Ok(render(
        &state,
        &ctx,
        "pages/dashboard.html",
        context! { unit => unit, summary => summary },
    )?
    .into_response())
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

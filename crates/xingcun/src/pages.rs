//! Pages that belong to no one module: home, dashboard (in `crate::dashboard`), about, language
//! switch, health checks.

use axum::extract::{Path, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;

use crate::accounts::CurrentUser;
use crate::app::AppState;
use crate::db::Backend;
use crate::error::AppResult;
use crate::web::{Ctx, cookies, render};

/// `GET /`: the role's home page when signed in (the dashboard, or an administrator's own
/// page), else the sign-in page.
pub async fn home(ctx: Ctx) -> Redirect {
    match &ctx.user {
        Some(u) => Redirect::to(u.role.home()),
        None => Redirect::to("/login"),
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

/// `GET /dashboard`: the dashboard of an org unit (see [`crate::dashboard`]).
pub use crate::dashboard::pages::show as dashboard;

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

//! The web shell: page context, rendering, the middleware every request passes through
//! (session, CSRF, security headers, error pages, request log) and the embedded static assets.

pub mod cookies;
pub mod i18n;
pub mod list;
pub mod qr;
pub mod rate_limit;
pub mod records;
pub mod static_files;
pub mod templates;

use axum::body::{Body, to_bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::{Value, context};

use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::error::{AppError, AppResult};
use i18n::Lang;

/// What every page knows about its request: who, in which language, the CSRF token, the path.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub user: Option<CurrentUser>,
    pub lang: Lang,
    pub csrf: String,
    pub path: String,
}

impl Ctx {
    /// The signed-in user, or `Unauthenticated`.
    pub fn user(&self) -> AppResult<&CurrentUser> {
        self.user.as_ref().ok_or(AppError::Unauthenticated)
    }
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = AppError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let user = parts.extensions.get::<CurrentUser>().cloned();
        let lang = Lang::from_cookie(cookies::get(&parts.headers, cookies::LANG).as_deref());
        let csrf = csrf_token(state, &parts.headers).unwrap_or_default();
        Ok(Ctx {
            user,
            lang,
            csrf,
            path: parts.uri.path().to_string(),
        })
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;
    async fn from_request_parts(
        parts: &mut Parts,
        _state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .ok_or(AppError::Unauthenticated)
    }
}

/// Renders a page of the app layout with the request's context merged in.
pub fn render(state: &AppState, ctx: &Ctx, template: &str, page: Value) -> AppResult<Html<String>> {
    let user = ctx.user.as_ref().map(|u| {
        context! {
            username => u.username, display_name => u.display_name, role => u.role.label(),
            org_name => u.org_name, org_code => u.org_code,
            manage_users => u.can(Permission::ListUsers),
            second_factor => u.role.needs_second_factor(),
            read_audit => u.can(Permission::ReadAudit),
            district_records => u.can(Permission::WriteData) && u.scope.prefix().len() <= 6,
        }
    });
    let full = context! {
        ..page,
        ..context! {
            user => user, lang => ctx.lang.code(), csrf => ctx.csrf, path => ctx.path,
            version => env!("CARGO_PKG_VERSION"),
        }
    };
    let tmpl = state
        .templates()
        .get_template(template)
        .map_err(|e| AppError::Internal(e.into()))?;
    let html = tmpl
        .render(full)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("render {template}: {e:#}")))?;
    Ok(Html(html))
}

/// The CSRF token bound to this browser: derived from its session cookie (or, before sign-in,
/// its anonymous cookie) with the platform's MAC key, so no lookup is needed to check it.
pub fn csrf_token(state: &AppState, headers: &axum::http::HeaderMap) -> Option<String> {
    let basis =
        cookies::get(headers, cookies::SESSION).or_else(|| cookies::get(headers, cookies::ANON))?;
    Some(csrf_for(state, &basis))
}

pub fn csrf_for(state: &AppState, cookie_value: &str) -> String {
    let mac = state.crypto().mac("csrf", cookie_value.as_bytes());
    xingcun_crypto::hex_encode(&mac[..16])
}

/// Loads the signed-in user (browser session or bearer token) into the request's extensions.
pub async fn load_user(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_string);
    let user = if let Some(token) = bearer {
        crate::accounts::token_user(state.db(), state.crypto(), state.config(), token.trim()).await
    } else if let Some(token) = cookies::get(req.headers(), cookies::SESSION) {
        crate::accounts::session_user(state.db(), state.crypto(), state.config(), &token).await
    } else {
        Ok(None)
    };
    match user {
        Ok(Some(u)) => {
            req.extensions_mut().insert(u);
        }
        Ok(None) => {}
        Err(e) => return e.into_response(),
    }
    next.run(req).await
}

/// Refuses state-changing requests without the right CSRF token (form field `_csrf`, header
/// `X-CSRF-Token`, or for multipart uploads the `_csrf` query parameter). Requests that carry a
/// bearer token are machine calls without cookies and are exempt.
pub async fn check_csrf(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let machine = req.headers().contains_key(header::AUTHORIZATION)
        || req.uri().path().starts_with("/open311/")
        || req.uri().path().starts_with("/api/");
    if safe || machine {
        return next.run(req).await;
    }
    let Some(expected) = csrf_token(&state, req.headers()) else {
        return AppError::Csrf.into_response();
    };
    let from_header = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let from_query = req
        .uri()
        .query()
        .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
        .and_then(|pairs| {
            pairs
                .into_iter()
                .find(|(k, _)| k == "_csrf")
                .map(|(_, v)| v)
        });
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    let (req, from_form) = if is_form && from_header.is_none() {
        let (parts, body) = req.into_parts();
        let limit = state.config().upload_limit_mb * 1024 * 1024;
        let Ok(bytes) = to_bytes(body, limit).await else {
            return AppError::PayloadTooLarge.into_response();
        };
        let token = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
            .ok()
            .and_then(|pairs| {
                pairs
                    .into_iter()
                    .find(|(k, _)| k == "_csrf")
                    .map(|(_, v)| v)
            });
        (Request::from_parts(parts, Body::from(bytes)), token)
    } else {
        (req, None)
    };
    let given = from_header.or(from_form).or(from_query).unwrap_or_default();
    if !xingcun_crypto::constant_time_eq(given.as_bytes(), expected.as_bytes()) {
        return AppError::Csrf.into_response();
    }
    next.run(req).await
}

/// Security headers on every response; `no-store` on every page that is not a static asset.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let is_static = req.uri().path().starts_with("/static/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    // A handler that set a stricter policy (a served attachment: `sandbox`) keeps it.
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                 object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            ),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !is_static {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.config().secure_cookies {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    res
}

/// Marks a response as carrying an [`AppError`], for [`render_errors`] to dress.
#[derive(Debug, Clone)]
pub struct ErrorMark {
    pub code: &'static str,
    pub message: String,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(e) = &self {
            tracing::error!(error = format!("{e:#}"), "internal error");
        }
        let status = self.status();
        let mark = ErrorMark {
            code: self.code(),
            message: self.public_message(),
        };
        let mut res = (status, mark.message.clone()).into_response();
        res.extensions_mut().insert(mark);
        res
    }
}

/// The JSON error envelope of the API.
#[derive(Debug, serde::Serialize)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[derive(Debug, serde::Serialize)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
}

/// Turns marked errors into the JSON envelope under `/api/` and `/open311/`, a sign-in redirect
/// for pages that need a session, and a Chinese error page otherwise.
pub async fn render_errors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let query = req.uri().query().map(str::to_string);
    let user = req.extensions().get::<CurrentUser>().cloned();
    let lang = Lang::from_cookie(cookies::get(req.headers(), cookies::LANG).as_deref());
    let csrf = csrf_token(&state, req.headers()).unwrap_or_default();
    let res = next.run(req).await;
    let status = res.status();
    let mark = res.extensions().get::<ErrorMark>().cloned().or_else(|| {
        // Errors raised by axum's own extractors (a bad form, a body too large).
        (status.is_client_error()
            && res
                .headers()
                .get(header::CONTENT_TYPE)
                .is_none_or(|v| v.as_bytes().starts_with(b"text/plain")))
        .then(|| ErrorMark {
            code: code_for_status(status),
            message: message_for_status(status),
        })
    });
    let Some(mark) = mark else { return res };
    if path.starts_with("/api/") || path.starts_with("/open311/") {
        let body = ErrorEnvelope {
            error: ErrorBody {
                code: mark.code.into(),
                message: mark.message,
            },
        };
        return (status, axum::Json(body)).into_response();
    }
    if status == StatusCode::UNAUTHORIZED {
        let next_url = match query {
            Some(q) => format!("{path}?{q}"),
            None => path,
        };
        let target = format!("/login?next={}", urlencode(&next_url));
        return Redirect::to(&target).into_response();
    }
    let ctx = Ctx {
        user,
        lang,
        csrf,
        path,
    };
    let page = context! { status => status.as_u16(), message => mark.message, title => i18n::translate(lang, "error.title") };
    match render(&state, &ctx, "pages/error.html", page) {
        Ok(html) => (status, html).into_response(),
        Err(_) => (status, mark.message).into_response(),
    }
}

fn code_for_status(s: StatusCode) -> &'static str {
    match s {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::UNPROCESSABLE_ENTITY => "invalid",
        _ => "bad_request",
    }
}

fn message_for_status(s: StatusCode) -> String {
    match s {
        StatusCode::NOT_FOUND => "页面不存在".into(),
        StatusCode::METHOD_NOT_ALLOWED => "不支持该请求方法".into(),
        StatusCode::PAYLOAD_TOO_LARGE => "请求内容过大".into(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "请求格式不受支持".into(),
        _ => "请求有误，请检查填写的内容".into(),
    }
}

/// Percent-encodes a string for a query parameter.
pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .unwrap_or_default()
        .trim_start_matches('=')
        .to_string()
}

/// Logs each request: method, path (never the query string, which may hold a searched name or
/// number), status and duration. No personal data.
pub async fn log_requests(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let started = std::time::Instant::now();
    let res = next.run(req).await;
    tracing::info!(
        method = %method,
        path = %path,
        status = res.status().as_u16(),
        ms = started.elapsed().as_millis() as u64,
        "request"
    );
    res
}

/// A fallback for unknown paths.
pub async fn not_found() -> AppError {
    AppError::NotFound
}

/// Sends a browser whose password must change (first sign-in, or too old) to the change page
/// before anything else.
pub async fn require_fresh_password(req: Request, next: Next) -> Response {
    let must = req
        .extensions()
        .get::<CurrentUser>()
        .is_some_and(|u| u.must_change_password && !u.via_token);
    let path = req.uri().path();
    let allowed = path == "/account/password"
        || path == "/logout"
        || path == "/login/totp"
        || path == "/account/totp"
        || path.starts_with("/static/")
        || path.starts_with("/lang/")
        || path.starts_with("/api/");
    if must && !allowed {
        return Redirect::to("/account/password").into_response();
    }
    next.run(req).await
}

/// Keeps a session whose TOTP code is still due (administrator roles, see
/// [`crate::accounts::Role::needs_second_factor`]) on the code or enrolment page: any other
/// page redirects there, and the API answers 401.
pub async fn require_second_factor(req: Request, next: Next) -> Response {
    let pending = req
        .extensions()
        .get::<CurrentUser>()
        .is_some_and(|u| u.second_factor_pending && !u.via_token);
    let path = req.uri().path();
    let allowed = path == "/login/totp"
        || path == "/account/totp"
        || path == "/logout"
        || path.starts_with("/static/")
        || path.starts_with("/lang/");
    if pending && !allowed {
        if path.starts_with("/api/") {
            return AppError::Unauthenticated.into_response();
        }
        return Redirect::to("/login/totp").into_response();
    }
    next.run(req).await
}

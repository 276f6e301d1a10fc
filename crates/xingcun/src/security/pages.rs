//! Pages of the security controls: the TOTP code at sign-in and its enrolment, the audit
//! trail and the access log (audit administrator), password and second-factor resets (system
//! and security administrators), and unmasking a person's ID or phone number with a reason.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use minijinja::context;
use serde::Deserialize;

use super::LogFilter;
use crate::accounts::{CurrentUser, Permission, totp};
use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::web::list::{Cell, Crumb, Filter, ListView, PageParams, Pagination, Table, query_of};
use crate::web::{Ctx, cookies, render};

/// Only local paths are followed after sign-in.
pub fn safe_next(next: Option<&str>, fallback: &str) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") => {
            n.to_string()
        }
        _ => fallback.to_string(),
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct NextQuery {
    pub next: Option<String>,
}

/// `GET /login/totp`: the code asked after the password of an administrator role.
pub async fn totp_page(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(q): Query<NextQuery>,
) -> AppResult<Response> {
    if !user.second_factor_pending {
        return Ok(Redirect::to(&safe_next(q.next.as_deref(), user.role.home())).into_response());
    }
    if !totp::is_enrolled(state.db(), user.id).await? {
        return Ok(Redirect::to("/account/totp").into_response());
    }
    let page = context! { next => q.next, error => None::<String> };
    Ok(render(&state, &ctx, "pages/totp_code.html", page)?.into_response())
}

#[derive(Debug, Deserialize)]
pub struct CodeForm {
    pub code: String,
    pub next: Option<String>,
}

/// `POST /login/totp`
pub async fn totp_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    headers: HeaderMap,
    Form(f): Form<CodeForm>,
) -> AppResult<Response> {
    if !user.second_factor_pending {
        return Ok(Redirect::to(user.role.home()).into_response());
    }
    let per_minute = state.config().sign_in_per_minute;
    if !state
        .limiter()
        .allow(&format!("totp:{}", user.username), per_minute, per_minute)
    {
        return Err(AppError::TooManyRequests);
    }
    match totp::check_code(state.db(), state.crypto(), user.id, &f.code).await? {
        totp::CodeOutcome::Accepted => {
            let token =
                cookies::get(&headers, cookies::SESSION).ok_or(AppError::Unauthenticated)?;
            totp::mark_session_done(state.db(), &token).await?;
            Ok(Redirect::to(&safe_next(f.next.as_deref(), user.role.home())).into_response())
        }
        totp::CodeOutcome::Locked => Ok(Redirect::to("/login").into_response()),
        totp::CodeOutcome::Wrong => {
            let page = context! { next => f.next, error => "动态口令不正确或已使用，请输入认证器上的新口令" };
            Ok((
                StatusCode::UNAUTHORIZED,
                render(&state, &ctx, "pages/totp_code.html", page)?,
            )
                .into_response())
        }
    }
}

async fn enrol_page(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    error: Option<&str>,
) -> AppResult<axum::response::Html<String>> {
    let enrolled = totp::is_enrolled(state.db(), user.id).await?;
    if enrolled && !user.second_factor_pending {
        return render(
            state,
            ctx,
            "pages/totp_enrol.html",
            context! { enrolled => true },
        );
    }
    let secret = totp::pending_secret(state.db(), state.crypto(), user.id).await?;
    let uri = xingcun_crypto::totp::otpauth_uri(totp::ISSUER, &user.username, &secret);
    let qr = crate::web::qr::qr_svg(&uri);
    // Groups of four, as authenticator apps show them.
    let grouped: Vec<String> = secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    render(
        state,
        ctx,
        "pages/totp_enrol.html",
        context! {
            enrolled => false, uri => uri, secret => grouped.join(" "),
            qr => minijinja::Value::from_safe_string(qr), error => error,
        },
    )
}

/// `GET /account/totp`: enrolment (secret as QR code, `otpauth://` URI and text), or the state
/// of an enrolled second factor.
pub async fn enrol_show(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
) -> AppResult<Response> {
    if !user.role.needs_second_factor() {
        return Ok(Redirect::to(user.role.home()).into_response());
    }
    if user.second_factor_pending && totp::is_enrolled(state.db(), user.id).await? {
        return Ok(Redirect::to("/login/totp").into_response());
    }
    Ok(enrol_page(&state, &ctx, &user, None).await?.into_response())
}

/// `POST /account/totp`: confirms enrolment with a first code.
pub async fn enrol_confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    headers: HeaderMap,
    Form(f): Form<CodeForm>,
) -> AppResult<Response> {
    if !user.role.needs_second_factor() || totp::is_enrolled(state.db(), user.id).await? {
        return Err(AppError::NotFound);
    }
    if totp::finish_enrolment(state.db(), state.crypto(), &user.actor(), user.id, &f.code).await? {
        if let Some(token) = cookies::get(&headers, cookies::SESSION) {
            totp::mark_session_done(state.db(), &token).await?;
        }
        return Ok(Redirect::to(user.role.home()).into_response());
    }
    let page = enrol_page(
        &state,
        &ctx,
        &user,
        Some("动态口令不正确，请核对认证器后重试"),
    )
    .await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// `POST /admin/users/{id}/totp-reset` (security administrator): the account enrols again.
pub async fn reset_totp(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    user.require(Permission::ResetSecondFactor)?;
    totp::reset(state.db(), &user.scope, &user.actor(), id).await?;
    Ok(Redirect::to(&format!("/admin/users/{id}/edit")).into_response())
}

#[derive(Debug, Deserialize)]
pub struct ResetPasswordForm {
    pub password: String,
}

/// `POST /admin/users/{id}/password` (system administrator): a temporary password that must be
/// changed at the next sign-in; the account's sessions end.
pub async fn reset_password(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<ResetPasswordForm>,
) -> AppResult<Response> {
    user.require(Permission::ManageAccounts)?;
    let target = crate::accounts::get_user(&state.db().pool, &user.scope, id).await?;
    if target.id == user.id {
        return Err(AppError::invalid("请在“修改密码”页修改自己的密码"));
    }
    crate::accounts::set_password(
        state.db(),
        &user.actor(),
        target.id,
        &target.username,
        &f.password,
        true,
    )
    .await?;
    sqlx::query("DELETE FROM user_session WHERE user_id = $1")
        .bind(target.id)
        .execute(&state.db().pool)
        .await?;
    Ok(Redirect::to(&format!("/admin/users/{id}/edit")).into_response())
}

#[derive(Debug, Deserialize, Default)]
pub struct LogParams {
    pub who: Option<String>,
    pub what: Option<String>,
    pub entity: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    #[serde(flatten)]
    pub page: PageParams,
    pub export: Option<String>,
}

fn parse_day(s: Option<&str>) -> Option<NaiveDate> {
    s.and_then(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
}

fn nonempty(s: Option<&String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

impl LogParams {
    fn filter(&self) -> LogFilter {
        LogFilter {
            who: nonempty(self.who.as_ref()),
            what: nonempty(self.what.as_ref()),
            entity: nonempty(self.entity.as_ref()),
            from: parse_day(self.from.as_deref()),
            to: parse_day(self.to.as_deref()),
        }
    }
}

const AUDIT_ACTIONS: &[(&str, &str)] = &[
    ("create", "新增"),
    ("update", "修改"),
    ("delete", "删除"),
    ("import", "导入"),
    ("sign_in", "登录"),
    ("sign_in_failed", "登录失败"),
    ("sign_out", "退出"),
];

fn action_label(code: &str) -> String {
    AUDIT_ACTIONS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| code.to_string(), |(_, l)| (*l).to_string())
}

fn crumbs(title: &str) -> Vec<Crumb> {
    vec![
        Crumb {
            label: "安全审计".into(),
            href: None,
        },
        Crumb {
            label: title.into(),
            href: None,
        },
    ]
}

fn date_filters(p: &LogParams) -> [Filter; 2] {
    [
        Filter::text("from", "起始日期（YYYY-MM-DD）", p.from.as_deref()),
        Filter::text("to", "截止日期（YYYY-MM-DD）", p.to.as_deref()),
    ]
}

/// `GET /admin/audit`: the audit trail, newest first, filtered and paginated, with export.
/// Only the audit administrator reads it; nothing here or anywhere changes it.
pub async fn audit_trail(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<LogParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadAudit)?;
    let pool = &state.db().pool;
    let f = p.filter();
    let table_of = |rows: &[super::AuditRow]| {
        let mut t = Table::new(&[
            "序号",
            "时间",
            "操作人",
            "操作",
            "对象",
            "对象标识",
            "单位",
            "变更内容",
        ]);
        for r in rows {
            t.push(vec![
                Cell::text(r.seq.to_string()),
                Cell::text(&r.at),
                Cell::text(&r.actor),
                Cell::text(action_label(&r.action)),
                Cell::text(&r.entity),
                Cell::text(&r.entity_key),
                Cell::opt(r.org_code.clone()),
                Cell::text(&r.changes),
            ]);
        }
        t
    };
    if p.export.as_deref() == Some("xlsx") {
        let rows = super::list_audit(pool, &user.scope, &f, 0, 100_000).await?;
        return Ok(crate::org::pages::xlsx_download(
            table_of(&rows).to_xlsx("审计日志")?,
            "审计日志.xlsx",
        ));
    }
    let total = super::count_audit(pool, &user.scope, &f).await?;
    let pagination = Pagination::new(p.page, total);
    let rows = super::list_audit(
        pool,
        &user.scope,
        &f,
        pagination.offset(),
        pagination.limit(),
    )
    .await?;
    let actions = AUDIT_ACTIONS
        .iter()
        .map(|(c, l)| ((*c).to_string(), (*l).to_string()))
        .collect();
    let [from, to] = date_filters(&p);
    let filters = vec![
        Filter::text("who", "操作人（用户名）", p.who.as_deref()),
        Filter::select("what", "操作", p.what.as_deref(), actions),
        Filter::text("entity", "对象（如 user、person）", p.entity.as_deref()),
        from,
        to,
    ];
    let view = ListView {
        title: "审计日志".into(),
        breadcrumb: crumbs("审计日志"),
        query: query_of(&filters),
        filters,
        table: table_of(&rows),
        pagination,
        new_href: None,
        export: true,
    };
    Ok(render(&state, &ctx, "pages/list.html", context! { view => view })?.into_response())
}

/// `GET /admin/access-log`: who saw which personal field of whom unmasked, and why.
pub async fn access_log(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<LogParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadAudit)?;
    let pool = &state.db().pool;
    let f = p.filter();
    let table_of = |rows: &[super::AccessRow]| {
        let mut t = Table::new(&["时间", "查看人", "对象", "姓名", "字段", "原因", "单位"]);
        for r in rows {
            t.push(vec![
                Cell::text(&r.at),
                Cell::text(&r.username),
                Cell::text(format!("{} {}", r.subject, r.subject_key)),
                Cell::text(&r.subject_name),
                Cell::text(field_label(&r.field)),
                Cell::text(&r.reason),
                Cell::opt(r.org_code.clone()),
            ]);
        }
        t
    };
    if p.export.as_deref() == Some("xlsx") {
        let rows = super::list_access(pool, &user.scope, &f, 0, 100_000).await?;
        return Ok(crate::org::pages::xlsx_download(
            table_of(&rows).to_xlsx("查看记录")?,
            "个人信息查看记录.xlsx",
        ));
    }
    let total = super::count_access(pool, &user.scope, &f).await?;
    let pagination = Pagination::new(p.page, total);
    let rows = super::list_access(
        pool,
        &user.scope,
        &f,
        pagination.offset(),
        pagination.limit(),
    )
    .await?;
    let fields = FIELDS
        .iter()
        .map(|(c, l)| ((*c).to_string(), (*l).to_string()))
        .collect();
    let [from, to] = date_filters(&p);
    let filters = vec![
        Filter::text("who", "查看人（用户名）", p.who.as_deref()),
        Filter::select("what", "字段", p.what.as_deref(), fields),
        from,
        to,
    ];
    let view = ListView {
        title: "个人信息查看记录".into(),
        breadcrumb: crumbs("个人信息查看记录"),
        query: query_of(&filters),
        filters,
        table: table_of(&rows),
        pagination,
        new_href: None,
        export: true,
    };
    Ok(render(&state, &ctx, "pages/list.html", context! { view => view })?.into_response())
}

/// The personal fields that can be unmasked, by code.
pub const FIELDS: &[(&str, &str)] = &[("id_number", "身份证号"), ("phone", "联系电话")];

fn field_label(code: &str) -> String {
    FIELDS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| code.to_string(), |(_, l)| (*l).to_string())
}

#[derive(Debug, Deserialize)]
pub struct RevealForm {
    pub field: String,
    pub reason: String,
}

/// `POST /people/{id}/reveal`: shows one of the person's ID or phone number unmasked once the
/// reason is given, and records it in the access log.
pub async fn reveal_person_field(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<RevealForm>,
) -> AppResult<Response> {
    user.require(Permission::SeePersonalData)?;
    if !FIELDS.iter().any(|(c, _)| *c == f.field) {
        return Err(AppError::BadRequest("未知字段".into()));
    }
    crate::registry::pages::people::person_page(
        &state,
        &ctx,
        &user,
        id,
        Some((&f.field, &f.reason)),
    )
    .await
}

#[derive(Debug, Deserialize)]
pub struct ApiRevealBody {
    pub field: String,
    pub reason: String,
}

/// `POST /api/v1/people/{id}/reveal`: the same for API callers; answers `{field, value}`.
pub async fn api_reveal_person_field(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    axum::Json(b): axum::Json<ApiRevealBody>,
) -> AppResult<axum::Json<serde_json::Value>> {
    user.require(Permission::SeePersonalData)?;
    if !FIELDS.iter().any(|(c, _)| *c == b.field) {
        return Err(AppError::invalid("field 须为 id_number 或 phone"));
    }
    let value =
        crate::registry::pages::people::reveal(&state, &user, id, &b.field, &b.reason).await?;
    Ok(axum::Json(
        serde_json::json!({ "field": b.field, "value": value }),
    ))
}

/// The sign-in rate limits: one token bucket per address and one per user name, each
/// `--sign-in-per-minute`. False when either is spent.
pub fn sign_in_allowed(
    state: &AppState,
    headers: &HeaderMap,
    extensions: &axum::http::Extensions,
    username: &str,
) -> bool {
    let config = state.config();
    let peer = extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0);
    let ip = crate::web::rate_limit::client_ip(headers, peer, config.trust_forwarded_for);
    let n = config.sign_in_per_minute;
    let limiter = state.limiter();
    // Both buckets are charged, so a stream of guesses at many names still spends the address's.
    let by_ip = limiter.allow(&format!("sign-in-ip:{ip}"), n, n);
    let by_name = limiter.allow(&format!("sign-in-user:{}", username.to_lowercase()), n, n);
    by_ip && by_name
}

/// Where a browser goes once the password is right: the TOTP code (or its enrolment) for an
/// administrator role, else `next` or the role's home page.
pub async fn after_password(
    state: &AppState,
    user_id: i64,
    next: Option<&str>,
) -> AppResult<String> {
    use sqlx::Row;
    let row = sqlx::query("SELECT role, totp_secret FROM app_user WHERE id = $1")
        .bind(user_id)
        .fetch_one(&state.db().pool)
        .await?;
    let role = crate::accounts::Role::from_code(&row.try_get::<String, _>(0)?)
        .unwrap_or(crate::accounts::Role::Unassigned);
    let enrolled = row.try_get::<Option<String>, _>(1)?.is_some();
    if role.needs_second_factor() {
        return Ok(match (enrolled, next) {
            (false, _) => "/account/totp".into(),
            (true, Some(n)) => format!(
                "/login/totp?next={}",
                crate::web::urlencode(&safe_next(Some(n), role.home()))
            ),
            (true, None) => "/login/totp".into(),
        });
    }
    Ok(safe_next(next, role.home()))
}

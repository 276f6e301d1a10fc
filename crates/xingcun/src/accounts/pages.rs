//! Sign-in, sign-out, password change and user administration pages, and `/api/v1/me`.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::{CurrentUser, LoginError, NewUser, Permission, Role, UserChanges};
use crate::app::AppState;
use crate::audit::Actor;
use crate::error::{AppError, AppResult};
use crate::web::list::{Cell, Crumb, Filter, ListView, PageParams, Pagination, Table, query_of};
use crate::web::{Ctx, cookies, csrf_for, render};

#[derive(Debug, Deserialize, Default)]
pub struct LoginQuery {
    pub next: Option<String>,
}

/// `GET /login`: sets the anonymous cookie that binds the form's CSRF token.
pub async fn login_page(
    State(state): State<AppState>,
    mut ctx: Ctx,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> AppResult<Response> {
    if let Some(u) = &ctx.user {
        return Ok(Redirect::to(&crate::security::pages::safe_next(
            q.next.as_deref(),
            u.role.home(),
        ))
        .into_response());
    }
    let mut set_cookie = None;
    if cookies::get(&headers, cookies::ANON).is_none() {
        let anon = xingcun_crypto::random_token(24);
        ctx.csrf = csrf_for(&state, &anon);
        set_cookie = Some(cookies::set(
            cookies::ANON,
            &anon,
            None,
            state.config().secure_cookies,
        ));
    }
    let page = render(
        &state,
        &ctx,
        "pages/login.html",
        context! { next => q.next, error => None::<String> },
    )?;
    let mut res = page.into_response();
    if let Some(c) = set_cookie {
        res.headers_mut().insert(
            SET_COOKIE,
            c.parse()
                .map_err(|e: axum::http::header::InvalidHeaderValue| {
                    AppError::Internal(e.into())
                })?,
        );
    }
    Ok(res)
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    pub username: String,
    pub password: String,
    pub next: Option<String>,
}

/// `POST /login`: a new session id at every sign-in; failures counted and locked; attempts
/// rate-limited per address and per user name; administrators go on to their TOTP code.
pub async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
    Form(f): Form<LoginForm>,
) -> AppResult<Response> {
    let username = f.username.trim().to_string();
    if !crate::security::pages::sign_in_allowed(&state, &headers, &extensions, &username) {
        let page = render(
            &state,
            &ctx,
            "pages/login.html",
            context! { next => f.next, error => "登录尝试过于频繁，请稍后再试", username => username },
        )?;
        return Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response());
    }
    let outcome = super::authenticate(state.db(), &username, &f.password).await?;
    let user_id = match outcome {
        Ok(id) => id,
        Err(e) => {
            let msg = match e {
                LoginError::WrongCredentials => "用户名或密码错误".to_string(),
                LoginError::Locked { minutes_left } => {
                    format!("连续登录失败次数过多，账号已锁定，请 {minutes_left} 分钟后再试")
                }
            };
            let actor = Actor {
                user_id: None,
                name: username.clone(),
            };
            record_sign_in(&state, &actor, crate::audit::Action::SignInFailed).await?;
            let page = render(
                &state,
                &ctx,
                "pages/login.html",
                context! { next => f.next, error => msg, username => username },
            )?;
            return Ok((StatusCode::UNAUTHORIZED, page).into_response());
        }
    };
    let token = super::create_session(state.db(), state.config(), user_id).await?;
    record_sign_in(
        &state,
        &Actor {
            user_id: Some(user_id),
            name: username,
        },
        crate::audit::Action::SignIn,
    )
    .await?;
    let cookie = cookies::set(
        cookies::SESSION,
        &token,
        None,
        state.config().secure_cookies,
    );
    let target = crate::security::pages::after_password(&state, user_id, f.next.as_deref()).await?;
    let mut res = Redirect::to(&target).into_response();
    res.headers_mut().insert(
        SET_COOKIE,
        cookie
            .parse()
            .map_err(|e: axum::http::header::InvalidHeaderValue| AppError::Internal(e.into()))?,
    );
    Ok(res)
}

async fn record_sign_in(
    state: &AppState,
    actor: &Actor,
    action: crate::audit::Action,
) -> AppResult<()> {
    let mut tx = state.db().pool.begin().await?;
    crate::audit::record(
        &mut tx,
        crate::audit::Entry {
            actor,
            action,
            entity: "session",
            entity_key: &actor.name,
            org_code: None,
            changes: &[],
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// `POST /logout`: ends the session in the database and clears the cookie.
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    ctx: Ctx,
) -> AppResult<Response> {
    if let Some(token) = cookies::get(&headers, cookies::SESSION) {
        super::end_session(state.db(), &token).await?;
    }
    if let Some(u) = ctx.user {
        record_sign_in(&state, &u.actor(), crate::audit::Action::SignOut).await?;
    }
    let mut res = Redirect::to("/login").into_response();
    let cookie = cookies::set(cookies::SESSION, "", Some(0), state.config().secure_cookies);
    res.headers_mut().insert(
        SET_COOKIE,
        cookie
            .parse()
            .map_err(|e: axum::http::header::InvalidHeaderValue| AppError::Internal(e.into()))?,
    );
    Ok(res)
}

/// `GET /account/password`
pub async fn password_page(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
) -> AppResult<Response> {
    let page = context! { must => user.must_change_password, errors => context!{}, saved => false };
    Ok(render(&state, &ctx, "pages/password.html", page)?.into_response())
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    pub current: String,
    pub new: String,
    pub confirm: String,
}

/// `POST /account/password`
pub async fn change_password(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Form(f): Form<PasswordForm>,
) -> AppResult<Response> {
    let mut errors = std::collections::BTreeMap::new();
    match super::authenticate(state.db(), &user.username, &f.current).await? {
        Ok(_) => {}
        Err(_) => {
            errors.insert("current", "当前密码不正确".to_string());
        }
    }
    if f.new != f.confirm {
        errors.insert("confirm", "两次输入的新密码不一致".to_string());
    }
    if f.new == f.current {
        errors.insert("new", "新密码不能与当前密码相同".to_string());
    } else if let Err(e) = super::password::check_rules(&f.new, &user.username) {
        errors.insert("new", e);
    }
    if !errors.is_empty() {
        let page = context! { must => user.must_change_password, errors => errors, saved => false };
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&state, &ctx, "pages/password.html", page)?,
        )
            .into_response());
    }
    super::set_password(
        state.db(),
        &user.actor(),
        user.id,
        &user.username,
        &f.new,
        false,
    )
    .await?;
    Ok(Redirect::to("/dashboard").into_response())
}

#[derive(Debug, Deserialize, Default)]
pub struct UserListParams {
    pub q: Option<String>,
    #[serde(flatten)]
    pub page: PageParams,
    pub export: Option<String>,
}

fn user_table(users: &[super::User]) -> Table {
    let mut t = Table::new(&["用户名", "姓名", "角色", "所属单位", "状态"]);
    for u in users {
        t.push(vec![
            Cell::link(&u.username, format!("/admin/users/{}/edit", u.id)),
            Cell::text(&u.display_name),
            Cell::text(u.role_label),
            Cell::text(format!("{}（{}）", u.org_name, u.org_code)),
            if u.disabled {
                Cell::Badge {
                    text: "已停用".into(),
                    tone: "muted",
                }
            } else {
                Cell::Badge {
                    text: "正常".into(),
                    tone: "ok",
                }
            },
        ]);
    }
    t
}

/// `GET /admin/users`
pub async fn list_users(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<UserListParams>,
) -> AppResult<Response> {
    user.require(Permission::ListUsers)?;
    let pool = &state.db().pool;
    let q = p.q.clone().unwrap_or_default();
    if p.export.as_deref() == Some("xlsx") {
        let users = super::list_users(pool, &user.scope, &q, 0, 100_000).await?;
        return Ok(crate::org::pages::xlsx_download(
            user_table(&users).to_xlsx("用户")?,
            "用户.xlsx",
        ));
    }
    let total = super::count_users(pool, &user.scope, &q).await?;
    let pagination = Pagination::new(p.page, total);
    let users = super::list_users(
        pool,
        &user.scope,
        &q,
        pagination.offset(),
        pagination.limit(),
    )
    .await?;
    let filters = vec![Filter::text("q", "用户名或姓名", p.q.as_deref())];
    let view = ListView {
        title: "用户管理".into(),
        breadcrumb: vec![
            Crumb {
                label: "系统管理".into(),
                href: None,
            },
            Crumb {
                label: "用户管理".into(),
                href: None,
            },
        ],
        query: query_of(&filters),
        filters,
        table: user_table(&users),
        pagination,
        new_href: Some("/admin/users/new".into()),
        export: true,
    };
    Ok(render(&state, &ctx, "pages/list.html", context! { view => view })?.into_response())
}

/// The user form's fields, as typed.
#[derive(Debug, Deserialize, Serialize, Default, Clone)]
pub struct UserForm {
    pub username: Option<String>,
    pub display_name: String,
    pub role: String,
    pub org_code: String,
    pub password: Option<String>,
    pub disabled: Option<String>,
    pub version: Option<i64>,
    /// 关联人员身份证号: the person record behind the account (a party member's own), or empty.
    pub person_id_number: Option<String>,
}

/// The person an account form names by ID number (`None` when the field is empty); a number
/// that is malformed or names no person in scope is a message for the form.
async fn person_of_form(
    state: &AppState,
    scope: &crate::scope::Scope,
    f: &UserForm,
) -> AppResult<Option<i64>> {
    let text = f.person_id_number.as_deref().unwrap_or_default().trim();
    if text.is_empty() {
        return Ok(None);
    }
    let id = xingcun_domain::id_number::IdNumber::parse(text, crate::dates::today())
        .map_err(|e| AppError::invalid(format!("关联人员身份证号：{e}")))?;
    let (lo, hi) = scope.bounds();
    let row = sqlx::query(
        "SELECT id FROM person WHERE id_bidx = $1 AND org_code >= $2 AND org_code < $3",
    )
    .bind(crate::registry::personal::id_bidx(
        state.crypto(),
        id.as_str(),
    ))
    .bind(lo)
    .bind(hi)
    .fetch_optional(&state.db().pool)
    .await?
    .ok_or_else(|| {
        AppError::invalid("关联人员身份证号：人员台账中没有此人，或不在您的管辖范围内")
    })?;
    Ok(Some(sqlx::Row::try_get(&row, 0)?))
}

/// The ID number of the person an account is linked to, for the edit form.
async fn linked_id_number(state: &AppState, person: Option<i64>) -> AppResult<Option<String>> {
    let Some(p) = person else { return Ok(None) };
    let row = sqlx::query("SELECT id_enc FROM person WHERE id = $1")
        .bind(p)
        .fetch_optional(&state.db().pool)
        .await?;
    Ok(match row {
        Some(r) => crate::registry::personal::open(
            state.crypto(),
            &sqlx::Row::try_get::<String, _>(&r, 0)?,
            crate::registry::personal::AAD_PERSON_ID,
        ),
        None => None,
    })
}

fn role_options() -> Vec<(&'static str, &'static str)> {
    Role::ALL.iter().map(|r| (r.code(), r.label())).collect()
}

fn user_form_page(
    state: &AppState,
    ctx: &Ctx,
    id: Option<i64>,
    form: &UserForm,
    error: Option<String>,
) -> AppResult<axum::response::Html<String>> {
    // 三员分立: the system administrator edits the account (name, state, password), the
    // security administrator its role, unit and linked person and its second factor.
    let can = |p| ctx.user.as_ref().is_some_and(|u| u.can(p));
    let target_needs_totp = Role::from_code(&form.role).is_some_and(Role::needs_second_factor);
    render(
        state,
        ctx,
        "pages/user_form.html",
        context! {
            id => id, form => form, error => error, roles => role_options(),
            can_accounts => can(Permission::ManageAccounts),
            can_roles => can(Permission::AssignRoles),
            can_reset_totp => can(Permission::ResetSecondFactor) && target_needs_totp,
            role_label => Role::from_code(&form.role).map(Role::label),
        },
    )
}

/// `GET /admin/users/new`
pub async fn new_user_page(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
) -> AppResult<Response> {
    user.require(Permission::ManageAccounts)?;
    let form = UserForm {
        org_code: user.org_code.clone(),
        role: Role::Unassigned.code().into(),
        ..Default::default()
    };
    Ok(user_form_page(&state, &ctx, None, &form, None)?.into_response())
}

/// `POST /admin/users/new`
pub async fn create_user(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Form(f): Form<UserForm>,
) -> AppResult<Response> {
    user.require(Permission::ManageAccounts)?;
    // A new account has no rights until the security administrator assigns its role.
    let role = Role::Unassigned;
    let new = NewUser {
        username: f.username.clone().unwrap_or_default().trim().to_string(),
        display_name: f.display_name.clone(),
        role,
        org_code: f.org_code.trim().to_string(),
        password: f.password.clone().unwrap_or_default(),
        must_change_password: true,
    };
    let created = async {
        let person = if user.can(Permission::AssignRoles) {
            person_of_form(&state, &user.scope, &f).await?
        } else {
            None
        };
        let id = super::create_user(state.db(), state.crypto(), &user.scope, &user.actor(), &new)
            .await?;
        if person.is_some() {
            let db = state.db();
            super::link_person(db, state.crypto(), &user.scope, &user.actor(), id, person).await?;
        }
        Ok::<_, AppError>(id)
    };
    match created.await {
        Ok(_) => Ok(Redirect::to("/admin/users").into_response()),
        Err(AppError::Invalid(msg)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            user_form_page(&state, &ctx, None, &f, Some(msg))?,
        )
            .into_response()),
        Err(e) => Err(e),
    }
}

/// `GET /admin/users/{id}/edit`
pub async fn edit_user_page(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    user.require(Permission::ListUsers)?;
    let u = super::get_user(&state.db().pool, &user.scope, id).await?;
    let form = UserForm {
        username: Some(u.username),
        display_name: u.display_name,
        role: u.role.code().into(),
        org_code: u.org_code,
        password: None,
        disabled: u.disabled.then(|| "1".into()),
        version: Some(u.version),
        person_id_number: linked_id_number(&state, u.person_id).await?,
    };
    Ok(user_form_page(&state, &ctx, Some(id), &form, None)?.into_response())
}

/// `POST /admin/users/{id}/edit`
pub async fn update_user(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<UserForm>,
) -> AppResult<Response> {
    user.require(Permission::ListUsers)?;
    let old = super::get_user(&state.db().pool, &user.scope, id).await?;
    // Each administrator changes only the fields that are theirs; the rest keep stored values.
    let roles = user.can(Permission::AssignRoles);
    let accounts = user.can(Permission::ManageAccounts);
    let role = if roles {
        Role::from_code(&f.role).ok_or_else(|| AppError::invalid("请选择角色"))?
    } else {
        old.role
    };
    let changes = UserChanges {
        display_name: if accounts {
            f.display_name.clone()
        } else {
            old.display_name.clone()
        },
        role,
        org_code: if roles {
            f.org_code.trim().to_string()
        } else {
            old.org_code.clone()
        },
        disabled: if accounts {
            f.disabled.as_deref() == Some("1")
        } else {
            old.disabled
        },
        version: f.version.unwrap_or(0),
    };
    let updated = async {
        let person = if roles {
            person_of_form(&state, &user.scope, &f).await?
        } else {
            old.person_id
        };
        super::update_user(
            state.db(),
            state.crypto(),
            &user.scope,
            &user.actor(),
            id,
            &changes,
        )
        .await?;
        super::link_person(
            state.db(),
            state.crypto(),
            &user.scope,
            &user.actor(),
            id,
            person,
        )
        .await
    };
    match updated.await {
        Ok(()) => Ok(Redirect::to("/admin/users").into_response()),
        Err(AppError::Invalid(msg)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            user_form_page(&state, &ctx, Some(id), &f, Some(msg))?,
        )
            .into_response()),
        Err(e) => Err(e),
    }
}

/// What `/api/v1/me` says about the caller.
#[derive(Debug, Serialize)]
pub struct Me {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub org_code: String,
    pub org_name: String,
}

/// `GET /api/v1/me`
pub async fn api_me(user: CurrentUser) -> axum::Json<Me> {
    axum::Json(Me {
        username: user.username,
        display_name: user.display_name,
        role: user.role,
        org_code: user.org_code,
        org_name: user.org_name,
    })
}

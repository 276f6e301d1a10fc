//! Accounts: users bound to one org unit with one role, server-side sessions, API tokens.

pub mod pages;
pub mod password;
pub mod role;
pub mod totp;

use sqlx::{AnyPool, Row};
use xingcun_crypto::CryptoProvider;

use crate::audit::{self, Action, Actor, Change, Entry};
use crate::config::Config;
use crate::db::{Db, now_ms};
use crate::error::{AppError, AppResult};
use crate::scope::Scope;
pub use role::{Permission, Role};

/// Failures allowed before an account is locked, and for how long.
pub const MAX_FAILED_LOGINS: i64 = 5;
pub const LOCK_MINUTES: i64 = 15;

/// The signed-in user of a request, with the scope every query of the request is bound to.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub org_code: String,
    pub org_name: String,
    pub scope: Scope,
    pub must_change_password: bool,
    /// Signed in with an API token rather than a browser session.
    pub via_token: bool,
    /// The person record behind the account (a party member's own record), if linked.
    pub person_id: Option<i64>,
    /// The password was right but the role's TOTP code is still to come: the session reaches
    /// only the code and enrolment pages.
    pub second_factor_pending: bool,
}

impl CurrentUser {
    pub fn can(&self, p: Permission) -> bool {
        self.role.can(p)
    }

    /// Refuses the request unless the role allows `p`.
    pub fn require(&self, p: Permission) -> AppResult<()> {
        if self.can(p) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.id),
            name: self.username.clone(),
        }
    }
}

/// A user as listed and edited.
#[derive(Debug, Clone, serde::Serialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub role_label: &'static str,
    pub org_code: String,
    pub org_name: String,
    pub disabled: bool,
    pub must_change_password: bool,
    pub version: i64,
    /// The linked person record (see [`link_person`]).
    pub person_id: Option<i64>,
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub org_code: String,
    pub password: String,
    /// Must the password be changed at first sign-in? True for every account an administrator
    /// makes; false only for accounts whose owner chose the password.
    pub must_change_password: bool,
}

/// Why a sign-in failed. The user is told only "wrong name or password" or "locked".
#[derive(Debug, PartialEq, Eq)]
pub enum LoginError {
    WrongCredentials,
    Locked { minutes_left: i64 },
}

fn row_mac(
    crypto: &dyn CryptoProvider,
    username: &str,
    role: &str,
    org: &str,
    disabled: bool,
    person: Option<i64>,
) -> String {
    let mut data = format!("{username}\n{role}\n{org}\n{}", i64::from(disabled));
    // The linked person (what a party member may see of the households) is covered too; an
    // unlinked row keeps the MAC it always had.
    if let Some(p) = person {
        data.push_str(&format!("\n{p}"));
    }
    xingcun_crypto::hex_encode(&crypto.mac("app_user", data.as_bytes()))
}

/// Checks a user name is sensible: 3–32 letters, digits, `_`, `-` or `.`.
pub fn check_username(s: &str) -> Result<(), String> {
    let ok = (3..=32).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if ok {
        Ok(())
    } else {
        Err("用户名须为 3–32 位字母、数字、下划线、短横线或点".into())
    }
}

/// Creates an account. The org unit must lie in `scope`.
pub async fn create_user(
    db: &Db,
    crypto: &dyn CryptoProvider,
    scope: &Scope,
    actor: &Actor,
    new: &NewUser,
) -> AppResult<i64> {
    check_username(&new.username).map_err(AppError::Invalid)?;
    if new.display_name.trim().is_empty() {
        return Err(AppError::invalid("姓名不能为空"));
    }
    password::check_rules(&new.password, &new.username).map_err(AppError::Invalid)?;
    if !scope.contains(&new.org_code)
        || crate::org::find(&db.pool, scope, &new.org_code)
            .await?
            .is_none()
    {
        return Err(AppError::invalid(format!(
            "所属单位 {} 不存在或不在您的管辖范围内",
            new.org_code
        )));
    }
    let now = now_ms();
    // Checked before the transaction: on SQLite a transaction that reads first and then writes
    // cannot wait for a concurrent writer (its snapshot is stale) and fails at once. The
    // UNIQUE constraint still stops a name taken in between.
    let exists: i64 = sqlx::query("SELECT COUNT(*) FROM app_user WHERE username = $1")
        .bind(new.username.clone())
        .fetch_one(&db.pool)
        .await?
        .try_get(0)?;
    if exists > 0 {
        return Err(AppError::invalid(format!("用户名 {} 已存在", new.username)));
    }
    let mut tx = db.pool.begin().await?;
    let mac = row_mac(
        crypto,
        &new.username,
        new.role.code(),
        &new.org_code,
        false,
        None,
    );
    let id: i64 = sqlx::query(
        "INSERT INTO app_user (username, display_name, password_hash, role, org_code, must_change_password,
            password_changed_at, row_mac, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $7) RETURNING id",
    )
    .bind(new.username.clone())
    .bind(new.display_name.trim().to_string())
    .bind(password::hash(&new.password))
    .bind(new.role.code())
    .bind(new.org_code.clone())
    .bind(i64::from(new.must_change_password))
    .bind(now)
    .bind(mac)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    let changes = [
        Change {
            field: "username",
            old: None,
            new: Some(new.username.clone()),
        },
        Change {
            field: "role",
            old: None,
            new: Some(new.role.code().into()),
        },
        Change {
            field: "org_code",
            old: None,
            new: Some(new.org_code.clone()),
        },
    ];
    audit::record(
        &mut tx,
        Entry {
            actor,
            action: Action::Create,
            entity: "user",
            entity_key: &id.to_string(),
            org_code: Some(&new.org_code),
            changes: &changes,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

const USER_COLUMNS: &str = "u.id, u.username, u.display_name, u.role, u.org_code, o.name, u.disabled, \
     u.must_change_password, u.version, u.person_id";

fn user_from_row(r: &sqlx::any::AnyRow) -> Result<User, sqlx::Error> {
    let role_code: String = r.try_get(3)?;
    let role = Role::from_code(&role_code).unwrap_or(Role::Viewer);
    Ok(User {
        id: r.try_get(0)?,
        username: r.try_get(1)?,
        display_name: r.try_get(2)?,
        role,
        role_label: role.label(),
        org_code: r.try_get(4)?,
        org_name: r.try_get(5)?,
        disabled: r.try_get::<i64, _>(6)? != 0,
        must_change_password: r.try_get::<i64, _>(7)? != 0,
        version: r.try_get(8)?,
        person_id: r.try_get(9)?,
    })
}

/// How many users in scope match a text filter.
pub async fn count_users(pool: &AnyPool, scope: &Scope, q: &str) -> AppResult<i64> {
    let (lo, hi) = scope.bounds();
    Ok(sqlx::query(
        "SELECT COUNT(*) FROM app_user u WHERE u.org_code >= $1 AND u.org_code < $2
           AND (u.username LIKE $3 OR u.display_name LIKE $3)",
    )
    .bind(lo)
    .bind(hi)
    .bind(format!("%{}%", q.trim()))
    .fetch_one(pool)
    .await?
    .try_get(0)?)
}

/// Users whose org unit lies in `scope`, by user name, with an optional text filter.
pub async fn list_users(
    pool: &AnyPool,
    scope: &Scope,
    q: &str,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<User>> {
    let (lo, hi) = scope.bounds();
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM app_user u JOIN org_unit o ON o.code = u.org_code
         WHERE u.org_code >= $1 AND u.org_code < $2 AND (u.username LIKE $3 OR u.display_name LIKE $3)
         ORDER BY u.username LIMIT $4 OFFSET $5"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(lo)
        .bind(hi)
        .bind(format!("%{}%", q.trim()))
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await?;
    Ok(rows.iter().map(user_from_row).collect::<Result<_, _>>()?)
}

/// One user, if in scope; else `NotFound`.
pub async fn get_user(pool: &AnyPool, scope: &Scope, id: i64) -> AppResult<User> {
    let (lo, hi) = scope.bounds();
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM app_user u JOIN org_unit o ON o.code = u.org_code
         WHERE u.id = $1 AND u.org_code >= $2 AND u.org_code < $3"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(lo)
        .bind(hi)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(user_from_row(&row)?)
}

/// What an administrator may change about an account.
#[derive(Debug, Clone)]
pub struct UserChanges {
    pub display_name: String,
    pub role: Role,
    pub org_code: String,
    pub disabled: bool,
    /// The version the form was opened at; a stale edit gets `Conflict`.
    pub version: i64,
}

/// Edits an account in scope; the new org unit must be in scope too.
pub async fn update_user(
    db: &Db,
    crypto: &dyn CryptoProvider,
    scope: &Scope,
    actor: &Actor,
    id: i64,
    ch: &UserChanges,
) -> AppResult<()> {
    let old = get_user(&db.pool, scope, id).await?;
    if ch.display_name.trim().is_empty() {
        return Err(AppError::invalid("姓名不能为空"));
    }
    if !scope.contains(&ch.org_code)
        || crate::org::find(&db.pool, scope, &ch.org_code)
            .await?
            .is_none()
    {
        return Err(AppError::invalid(format!(
            "所属单位 {} 不存在或不在您的管辖范围内",
            ch.org_code
        )));
    }
    if actor.user_id == Some(id)
        && (ch.role != old.role || ch.org_code != old.org_code || ch.disabled)
    {
        return Err(AppError::invalid(
            "不能修改自己的角色、所属单位或停用自己的账号",
        ));
    }
    let mac = row_mac(
        crypto,
        &old.username,
        ch.role.code(),
        &ch.org_code,
        ch.disabled,
        old.person_id,
    );
    let mut tx = db.pool.begin().await?;
    let done = sqlx::query(
        "UPDATE app_user SET display_name = $1, role = $2, org_code = $3, disabled = $4, row_mac = $5,
            version = version + 1, updated_at = $6
         WHERE id = $7 AND version = $8",
    )
    .bind(ch.display_name.trim().to_string())
    .bind(ch.role.code())
    .bind(ch.org_code.clone())
    .bind(i64::from(ch.disabled))
    .bind(mac)
    .bind(now_ms())
    .bind(id)
    .bind(ch.version)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::Conflict);
    }
    if ch.disabled {
        sqlx::query("DELETE FROM user_session WHERE user_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    let changes: Vec<Change> = [
        (
            "display_name",
            old.display_name.clone(),
            ch.display_name.trim().to_string(),
        ),
        (
            "role",
            old.role.code().to_string(),
            ch.role.code().to_string(),
        ),
        ("org_code", old.org_code.clone(), ch.org_code.clone()),
        (
            "disabled",
            old.disabled.to_string(),
            ch.disabled.to_string(),
        ),
    ]
    .into_iter()
    .filter(|(_, a, b)| a != b)
    .map(|(f, a, b)| Change {
        field: f,
        old: Some(a),
        new: Some(b),
    })
    .collect();
    audit::record(
        &mut tx,
        Entry {
            actor,
            action: Action::Update,
            entity: "user",
            entity_key: &id.to_string(),
            org_code: Some(&ch.org_code),
            changes: &changes,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Links an account to its person record (or unlinks it with `None`): a party member's
/// 我的联系户 are the households linked to that person. The person must be in `scope`.
pub async fn link_person(
    db: &Db,
    crypto: &dyn CryptoProvider,
    scope: &Scope,
    actor: &Actor,
    user_id: i64,
    person: Option<i64>,
) -> AppResult<()> {
    let old = get_user(&db.pool, scope, user_id).await?;
    if old.person_id == person {
        return Ok(());
    }
    if let Some(p) = person {
        let (lo, hi) = scope.bounds();
        sqlx::query("SELECT id FROM person WHERE id = $1 AND org_code >= $2 AND org_code < $3")
            .bind(p)
            .bind(lo)
            .bind(hi)
            .fetch_optional(&db.pool)
            .await?
            .ok_or_else(|| AppError::invalid("关联的人员不存在或不在您的管辖范围内"))?;
    }
    let mac = row_mac(
        crypto,
        &old.username,
        old.role.code(),
        &old.org_code,
        old.disabled,
        person,
    );
    let mut tx = db.pool.begin().await?;
    sqlx::query(
        "UPDATE app_user SET person_id = $1, row_mac = $2, version = version + 1, updated_at = $3
         WHERE id = $4",
    )
    .bind(person)
    .bind(mac)
    .bind(now_ms())
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    let changes = [Change {
        field: "person_id",
        old: old.person_id.map(|p| p.to_string()),
        new: person.map(|p| p.to_string()),
    }];
    audit::record(
        &mut tx,
        Entry {
            actor,
            action: Action::Update,
            entity: "user",
            entity_key: &user_id.to_string(),
            org_code: Some(&old.org_code),
            changes: &changes,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a new password (rules checked) and ends the user's other sessions.
pub async fn set_password(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    username: &str,
    new_password: &str,
    must_change: bool,
) -> AppResult<()> {
    password::check_rules(new_password, username).map_err(AppError::Invalid)?;
    let mut tx = db.pool.begin().await?;
    sqlx::query(
        "UPDATE app_user SET password_hash = $1, must_change_password = $2, password_changed_at = $3,
            failed_logins = 0, locked_until = NULL, updated_at = $3 WHERE id = $4",
    )
    .bind(password::hash(new_password))
    .bind(i64::from(must_change))
    .bind(now_ms())
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    let changes = [Change {
        field: "password",
        old: None,
        new: Some("******".into()),
    }];
    audit::record(
        &mut tx,
        Entry {
            actor,
            action: Action::Update,
            entity: "user",
            entity_key: &user_id.to_string(),
            org_code: None,
            changes: &changes,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Checks a user name and password, counting failures and locking after [`MAX_FAILED_LOGINS`].
pub async fn authenticate(
    db: &Db,
    username: &str,
    password_text: &str,
) -> AppResult<Result<i64, LoginError>> {
    let row = sqlx::query("SELECT id, password_hash, disabled, failed_logins, locked_until FROM app_user WHERE username = $1")
        .bind(username.to_string())
        .fetch_optional(&db.pool)
        .await?;
    let now = now_ms();
    let Some(row) = row else {
        // Hash anyway so that timing does not tell whether the name exists.
        let _ = password::verify(
            password_text,
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$8Qo1r0XeRzxQ0Dwv5d6cWg0S7fz2mZ6v1Q2Zs3o7x5E",
        );
        return Ok(Err(LoginError::WrongCredentials));
    };
    let id: i64 = row.try_get(0)?;
    let hash: String = row.try_get(1)?;
    let disabled = row.try_get::<i64, _>(2)? != 0;
    let failed: i64 = row.try_get(3)?;
    let locked_until: Option<i64> = row.try_get(4)?;
    if let Some(until) = locked_until.filter(|u| *u > now) {
        return Ok(Err(LoginError::Locked {
            minutes_left: (until - now + 59_999) / 60_000,
        }));
    }
    if disabled || !password::verify(password_text, &hash) {
        let failed = failed + 1;
        let lock = (failed >= MAX_FAILED_LOGINS).then_some(now + LOCK_MINUTES * 60_000);
        sqlx::query("UPDATE app_user SET failed_logins = $1, locked_until = $2 WHERE id = $3")
            .bind(if lock.is_some() { 0 } else { failed })
            .bind(lock)
            .bind(id)
            .execute(&db.pool)
            .await?;
        return Ok(Err(match lock {
            Some(_) => LoginError::Locked {
                minutes_left: LOCK_MINUTES,
            },
            None => LoginError::WrongCredentials,
        }));
    }
    sqlx::query("UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = $1")
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(Ok(id))
}

/// Starts a session and returns the cookie value; only its SM3 hash is stored. A user whose
/// role needs a second factor starts with it pending (`mfa_done = 0`).
pub async fn create_session(db: &Db, config: &Config, user_id: i64) -> AppResult<String> {
    let token = xingcun_crypto::random_token(32);
    let now = now_ms();
    let role: String = sqlx::query("SELECT role FROM app_user WHERE id = $1")
        .bind(user_id)
        .fetch_one(&db.pool)
        .await?
        .try_get(0)?;
    let mfa_done = !Role::from_code(&role).is_some_and(Role::needs_second_factor);
    sqlx::query(
        "INSERT INTO user_session (id_hash, user_id, created_at, last_seen_at, expires_at, mfa_done)
         VALUES ($1, $2, $3, $3, $4, $5)",
    )
    .bind(xingcun_crypto::sm3_hex(token.as_bytes()))
    .bind(user_id)
    .bind(now)
    .bind(now + config.session_max_hours * 3_600_000)
    .bind(i64::from(mfa_done))
    .execute(&db.pool)
    .await?;
    Ok(token)
}

/// Ends a session (sign-out).
pub async fn end_session(db: &Db, token: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM user_session WHERE id_hash = $1")
        .bind(xingcun_crypto::sm3_hex(token.as_bytes()))
        .execute(&db.pool)
        .await?;
    Ok(())
}

const CURRENT_USER_SQL: &str =
    "SELECT u.id, u.username, u.display_name, u.role, u.org_code, o.name, o.scope_prefix,
        u.must_change_password, u.password_changed_at, u.disabled, u.row_mac, u.person_id";

fn current_user_from_row(
    r: &sqlx::any::AnyRow,
    crypto: &dyn CryptoProvider,
    config: &Config,
    via_token: bool,
) -> Result<Option<CurrentUser>, sqlx::Error> {
    let username: String = r.try_get(1)?;
    let role_code: String = r.try_get(3)?;
    let org_code: String = r.try_get(4)?;
    let disabled = r.try_get::<i64, _>(9)? != 0;
    let mac: String = r.try_get(10)?;
    let person_id: Option<i64> = r.try_get(11)?;
    // A role or scope row changed outside the platform fails its MAC: refuse it.
    if disabled
        || mac
            != row_mac(
                crypto, &username, &role_code, &org_code, disabled, person_id,
            )
    {
        return Ok(None);
    }
    let Some(role) = Role::from_code(&role_code) else {
        return Ok(None);
    };
    let changed_at: i64 = r.try_get(8)?;
    let expired = now_ms() - changed_at > config.password_max_age_days * 86_400_000;
    Ok(Some(CurrentUser {
        id: r.try_get(0)?,
        username,
        display_name: r.try_get(2)?,
        role,
        org_code,
        org_name: r.try_get(5)?,
        scope: Scope::with_prefix(r.try_get::<String, _>(6)?),
        must_change_password: r.try_get::<i64, _>(7)? != 0 || expired,
        via_token,
        person_id,
        second_factor_pending: false,
    }))
}

/// The user of a live session, refreshing its idle timer; `None` when missing or expired.
pub async fn session_user(
    db: &Db,
    crypto: &dyn CryptoProvider,
    config: &Config,
    token: &str,
) -> AppResult<Option<CurrentUser>> {
    let hash = xingcun_crypto::sm3_hex(token.as_bytes());
    let now = now_ms();
    let sql = format!(
        "{CURRENT_USER_SQL}, s.last_seen_at, s.expires_at, s.mfa_done FROM user_session s
         JOIN app_user u ON u.id = s.user_id JOIN org_unit o ON o.code = u.org_code WHERE s.id_hash = $1"
    );
    let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(hash.clone())
        .fetch_optional(&db.pool)
        .await?
    else {
        return Ok(None);
    };
    let last_seen: i64 = row.try_get(12)?;
    let expires: i64 = row.try_get(13)?;
    if now >= expires || now - last_seen > config.session_idle_minutes * 60_000 {
        sqlx::query("DELETE FROM user_session WHERE id_hash = $1")
            .bind(hash)
            .execute(&db.pool)
            .await?;
        return Ok(None);
    }
    // Refresh at most once a minute so reads do not turn into writes.
    if now - last_seen > 60_000 {
        sqlx::query("UPDATE user_session SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(now)
            .bind(hash)
            .execute(&db.pool)
            .await?;
    }
    let mfa_done = row.try_get::<i64, _>(14)? != 0;
    let mut user = current_user_from_row(&row, crypto, config, false)?;
    if let Some(u) = user.as_mut() {
        u.second_factor_pending = !mfa_done && u.role.needs_second_factor();
    }
    Ok(user)
}

/// Creates an API token for a user; returns the token, shown once. Only its hash is stored.
pub async fn create_token(db: &Db, user_id: i64, name: &str) -> AppResult<(i64, String)> {
    let token = format!("xc_{}", xingcun_crypto::random_token(32));
    let id: i64 = sqlx::query(
        "INSERT INTO api_token (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(user_id)
    .bind(name.to_string())
    .bind(xingcun_crypto::sm3_hex(token.as_bytes()))
    .bind(now_ms())
    .fetch_one(&db.pool)
    .await?
    .try_get(0)?;
    Ok((id, token))
}

/// Revokes a token by id; false when no live token has that id.
pub async fn revoke_token(db: &Db, id: i64) -> AppResult<bool> {
    let done =
        sqlx::query("UPDATE api_token SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now_ms())
            .bind(id)
            .execute(&db.pool)
            .await?;
    Ok(done.rows_affected() > 0)
}

/// The user behind a bearer token, if the token is live.
pub async fn token_user(
    db: &Db,
    crypto: &dyn CryptoProvider,
    config: &Config,
    token: &str,
) -> AppResult<Option<CurrentUser>> {
    let sql = format!(
        "{CURRENT_USER_SQL} FROM api_token t JOIN app_user u ON u.id = t.user_id
         JOIN org_unit o ON o.code = u.org_code WHERE t.token_hash = $1 AND t.revoked_at IS NULL"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(xingcun_crypto::sm3_hex(token.as_bytes()))
        .fetch_optional(&db.pool)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let mut user = current_user_from_row(&row, crypto, config, true)?;
    // A token is for machines: it never stops at the password-change page.
    if let Some(u) = user.as_mut() {
        u.must_change_password = false;
    }
    Ok(user)
}

/// The account row by user name, for the command line.
pub async fn find_user_id(pool: &AnyPool, username: &str) -> AppResult<Option<i64>> {
    Ok(sqlx::query("SELECT id FROM app_user WHERE username = $1")
        .bind(username.to_string())
        .fetch_optional(pool)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?)
}

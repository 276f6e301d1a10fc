//! The TOTP second factor of the administrator roles ([`super::Role::needs_second_factor`]):
//! enrolment, the code asked at sign-in (no replay, failures counted with the password's), and
//! recovery by the security administrator.
//!
//! Secrets are sealed with the platform's SM4-GCM key (the column name as associated data), so
//! the database alone does not yield codes.

use sqlx::Row;
use xingcun_crypto::CryptoProvider;

use super::{LOCK_MINUTES, MAX_FAILED_LOGINS};
use crate::audit::{self, Action, Actor, Change, Entry};
use crate::db::{Db, now_ms};
use crate::error::{AppError, AppResult};
use crate::scope::Scope;

const AAD_SECRET: &[u8] = b"app_user.totp_secret";
const AAD_PENDING: &[u8] = b"app_user.totp_pending";

/// The issuer shown in authenticator apps.
pub const ISSUER: &str = "兴村平台";

fn seal(crypto: &dyn CryptoProvider, secret: &str, aad: &[u8]) -> String {
    xingcun_crypto::hex_encode(&crypto.encrypt(secret.as_bytes(), aad))
}

fn open(crypto: &dyn CryptoProvider, sealed: &str, aad: &[u8]) -> Option<String> {
    let bytes = xingcun_crypto::hex_decode(sealed).ok()?;
    String::from_utf8(crypto.decrypt(&bytes, aad).ok()?).ok()
}

fn unix_now() -> u64 {
    u64::try_from(now_ms() / 1000).unwrap_or(0)
}

/// Has the user an enrolled second factor?
pub async fn is_enrolled(db: &Db, user_id: i64) -> AppResult<bool> {
    let row = sqlx::query("SELECT totp_secret FROM app_user WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row
        .map(|r| r.try_get::<Option<String>, _>(0))
        .transpose()?
        .flatten()
        .is_some())
}

/// The secret being enrolled: the pending one if any, else a new one (stored sealed).
pub async fn pending_secret(
    db: &Db,
    crypto: &dyn CryptoProvider,
    user_id: i64,
) -> AppResult<String> {
    let row = sqlx::query("SELECT totp_pending FROM app_user WHERE id = $1")
        .bind(user_id)
        .fetch_one(&db.pool)
        .await?;
    if let Some(s) = row
        .try_get::<Option<String>, _>(0)?
        .and_then(|s| open(crypto, &s, AAD_PENDING))
    {
        return Ok(s);
    }
    let secret = xingcun_crypto::totp::generate_secret();
    sqlx::query("UPDATE app_user SET totp_pending = $1 WHERE id = $2")
        .bind(seal(crypto, &secret, AAD_PENDING))
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(secret)
}

/// Counts a failed code like a failed password; true when the account is now locked.
async fn count_failure(db: &Db, user_id: i64) -> AppResult<bool> {
    let failed: i64 = sqlx::query("SELECT failed_logins FROM app_user WHERE id = $1")
        .bind(user_id)
        .fetch_one(&db.pool)
        .await?
        .try_get(0)?;
    let failed = failed + 1;
    let lock = (failed >= MAX_FAILED_LOGINS).then_some(now_ms() + LOCK_MINUTES * 60_000);
    sqlx::query("UPDATE app_user SET failed_logins = $1, locked_until = $2 WHERE id = $3")
        .bind(if lock.is_some() { 0 } else { failed })
        .bind(lock)
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    if lock.is_some() {
        sqlx::query("DELETE FROM user_session WHERE user_id = $1")
            .bind(user_id)
            .execute(&db.pool)
            .await?;
    }
    Ok(lock.is_some())
}

/// What became of a code.
#[derive(Debug, PartialEq, Eq)]
pub enum CodeOutcome {
    Accepted,
    Wrong,
    /// Too many failures: the account is locked and its sessions ended.
    Locked,
}

/// Checks a sign-in code against the enrolled secret. A code is accepted once: its time step
/// must be later than the last accepted one. Failures count towards the lockout.
pub async fn check_code(
    db: &Db,
    crypto: &dyn CryptoProvider,
    user_id: i64,
    code: &str,
) -> AppResult<CodeOutcome> {
    let row = sqlx::query("SELECT totp_secret, totp_last_step FROM app_user WHERE id = $1")
        .bind(user_id)
        .fetch_one(&db.pool)
        .await?;
    let secret = row
        .try_get::<Option<String>, _>(0)?
        .and_then(|s| open(crypto, &s, AAD_SECRET));
    let last: i64 = row.try_get(1)?;
    let step = secret
        .as_deref()
        .and_then(|s| xingcun_crypto::totp::matching_step(s, code, unix_now()))
        .and_then(|s| i64::try_from(s).ok())
        .filter(|s| *s > last);
    let Some(step) = step else {
        return Ok(if count_failure(db, user_id).await? {
            CodeOutcome::Locked
        } else {
            CodeOutcome::Wrong
        });
    };
    // The step only moves forward, even between two requests racing with the same code.
    let done = sqlx::query(
        "UPDATE app_user SET totp_last_step = $1, failed_logins = 0 WHERE id = $2 AND totp_last_step < $1",
    )
    .bind(step)
    .bind(user_id)
    .execute(&db.pool)
    .await?;
    Ok(if done.rows_affected() == 1 {
        CodeOutcome::Accepted
    } else {
        CodeOutcome::Wrong
    })
}

/// Completes enrolment with a code from the pending secret; false when the code is wrong.
pub async fn finish_enrolment(
    db: &Db,
    crypto: &dyn CryptoProvider,
    actor: &Actor,
    user_id: i64,
    code: &str,
) -> AppResult<bool> {
    let row = sqlx::query("SELECT totp_pending FROM app_user WHERE id = $1")
        .bind(user_id)
        .fetch_one(&db.pool)
        .await?;
    let Some(secret) = row
        .try_get::<Option<String>, _>(0)?
        .and_then(|s| open(crypto, &s, AAD_PENDING))
    else {
        return Ok(false);
    };
    let Some(step) = xingcun_crypto::totp::matching_step(&secret, code, unix_now()) else {
        count_failure(db, user_id).await?;
        return Ok(false);
    };
    let mut tx = db.pool.begin().await?;
    sqlx::query(
        "UPDATE app_user SET totp_secret = $1, totp_pending = NULL, totp_last_step = $2,
            failed_logins = 0 WHERE id = $3",
    )
    .bind(seal(crypto, &secret, AAD_SECRET))
    .bind(i64::try_from(step).unwrap_or(i64::MAX))
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    record(&mut tx, actor, user_id, "enrolled").await?;
    tx.commit().await?;
    Ok(true)
}

async fn record(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor: &Actor,
    user_id: i64,
    what: &str,
) -> AppResult<()> {
    let changes = [Change {
        field: "second_factor",
        old: None,
        new: Some(what.into()),
    }];
    audit::record(
        tx,
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
    Ok(())
}

/// Marks a session as having passed the second factor.
pub async fn mark_session_done(db: &Db, session_token: &str) -> AppResult<()> {
    sqlx::query("UPDATE user_session SET mfa_done = 1 WHERE id_hash = $1")
        .bind(xingcun_crypto::sm3_hex(session_token.as_bytes()))
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Recovery: clears another account's second factor (it enrols again at next sign-in) and ends
/// its sessions. Nobody resets their own.
pub async fn reset(db: &Db, scope: &Scope, actor: &Actor, user_id: i64) -> AppResult<()> {
    if actor.user_id == Some(user_id) {
        return Err(AppError::invalid("不能重置自己的动态口令"));
    }
    let user = super::get_user(&db.pool, scope, user_id).await?;
    let mut tx = db.pool.begin().await?;
    sqlx::query(
        "UPDATE app_user SET totp_secret = NULL, totp_pending = NULL, updated_at = $1 WHERE id = $2",
    )
    .bind(now_ms())
    .bind(user.id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM user_session WHERE user_id = $1")
        .bind(user.id)
        .execute(&mut *tx)
        .await?;
    record(&mut tx, actor, user.id, "reset").await?;
    tx.commit().await?;
    Ok(())
}

/// Sets an enrolled secret directly: the demo's fixed, documented secret.
pub async fn set_secret(
    db: &Db,
    crypto: &dyn CryptoProvider,
    user_id: i64,
    secret: &str,
) -> AppResult<()> {
    sqlx::query("UPDATE app_user SET totp_secret = $1 WHERE id = $2")
        .bind(seal(crypto, secret, AAD_SECRET))
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

//! The audit trail: every write records who, when, which record and what changed.
//!
//! Rows are append-only and hash-chained with SM3: each row's `hash` covers the previous row's
//! hash and the row's own content, so removing or editing a row breaks the chain at that row.
//! The chain head lives in `audit_head` (one row), updated in the writer's transaction, which
//! serialises concurrent writers on PostgreSQL as SQLite's single writer does.

use serde::Serialize;
use sqlx::{Any, Row, Transaction};

use crate::db::now_ms;
use crate::db::pipe::Pipe;

/// Who did it: a signed-in user, or the operator at the command line.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub name: String,
}

impl Actor {
    pub fn cli() -> Actor {
        let who = std::env::var("USER").unwrap_or_else(|_| "operator".into());
        Actor {
            user_id: None,
            name: format!("命令行:{who}"),
        }
    }
    pub fn system() -> Actor {
        Actor {
            user_id: None,
            name: "系统".into(),
        }
    }
}

/// One field's change: `None` is an absent value. Personal fields are recorded masked.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub field: &'static str,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// The action recorded.
#[derive(Debug, Clone, Copy)]
pub enum Action {
    Create,
    Update,
    Delete,
    SignIn,
    SignInFailed,
    SignOut,
    Import,
}

impl Action {
    fn code(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
            Action::SignIn => "sign_in",
            Action::SignInFailed => "sign_in_failed",
            Action::SignOut => "sign_out",
            Action::Import => "import",
        }
    }
}

/// A row to append.
#[derive(Debug)]
pub struct Entry<'a> {
    pub actor: &'a Actor,
    pub action: Action,
    pub entity: &'a str,
    pub entity_key: &'a str,
    pub org_code: Option<&'a str>,
    pub changes: &'a [Change],
}

/// The changes as stored, one JSON object in the order given: `{"field": new}` for a record
/// created (no field had a value before), `{"field": [old, new]}` otherwise. A field without a
/// value on either side changed nothing and is left out, so an imported record's row holds just
/// the values it was given.
pub fn changes_json(changes: &[Change]) -> String {
    let text = |v: &Option<String>| serde_json::to_string(v).expect("text serialises");
    let created = changes.iter().all(|c| c.old.is_none());
    let mut out = String::from("{");
    for c in changes
        .iter()
        .filter(|c| c.old.is_some() || c.new.is_some())
    {
        if out.len() > 1 {
            out.push(',');
        }
        out.push_str(&text(&Some(c.field.to_string())));
        out.push(':');
        if created {
            out.push_str(&text(&c.new));
        } else {
            out.push('[');
            out.push_str(&text(&c.old));
            out.push(',');
            out.push_str(&text(&c.new));
            out.push(']');
        }
    }
    out.push('}');
    out
}

/// The SM3 of a row's content chained to the previous row's hash.
#[allow(clippy::too_many_arguments)]
fn chain_hash(
    prev: &str,
    at: i64,
    actor_id: Option<i64>,
    actor_name: &str,
    action: &str,
    entity: &str,
    key: &str,
    org: Option<&str>,
    changes: &str,
) -> String {
    let actor_id = actor_id.map(|i| i.to_string()).unwrap_or_default();
    let org = org.unwrap_or_default();
    let material = format!(
        "{prev}\n{at}\n{actor_id}\n{actor_name}\n{action}\n{entity}\n{key}\n{org}\n{changes}"
    );
    xingcun_crypto::sm3_hex(material.as_bytes())
}

/// Appends an entry inside the caller's transaction.
pub async fn record(tx: &mut Transaction<'static, Any>, e: Entry<'_>) -> Result<(), sqlx::Error> {
    let at = now_ms();
    let changes = changes_json(e.changes);
    let prev: String =
        sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING hash")
            .fetch_one(&mut **tx)
            .await?
            .try_get(0)?;
    let hash = chain_hash(
        &prev,
        at,
        e.actor.user_id,
        &e.actor.name,
        e.action.code(),
        e.entity,
        e.entity_key,
        e.org_code,
        &changes,
    );
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, actor_name, action, entity, entity_key, org_code, changes, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(at)
    .bind(e.actor.user_id)
    .bind(e.actor.name.clone())
    .bind(e.action.code())
    .bind(e.entity.to_string())
    .bind(e.entity_key.to_string())
    .bind(e.org_code.map(str::to_string))
    .bind(changes)
    .bind(prev)
    .bind(hash.clone())
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(hash)
        .execute(&mut **tx)
        .await?;
    bump_versions(tx, vec![e.entity.to_string()]).await
}

/// Counts one more write of each kind of record in `entities` (a sign-in or sign-out changes no
/// record and is not counted). The dashboard keeps a figure while none of the kinds it reads has
/// moved (`dashboard::compute`).
async fn bump_versions(
    tx: &mut Transaction<'static, Any>,
    entities: Vec<String>,
) -> Result<(), sqlx::Error> {
    let mut entities = entities;
    entities.sort();
    entities.dedup();
    for entity in entities {
        if entity == "session" {
            continue;
        }
        sqlx::query(
            "INSERT INTO data_version (entity, seq) VALUES ($1, 1)
             ON CONFLICT (entity) DO UPDATE SET seq = data_version.seq + 1",
        )
        .bind(entity)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Appends many entries at once (an import): one read of the chain head, the chain computed in
/// memory, multi-row inserts, one update of the head.
pub async fn record_many(
    tx: &mut Transaction<'static, Any>,
    entries: &[Entry<'_>],
) -> Result<(), sqlx::Error> {
    let rows: Box<dyn Iterator<Item = Stored> + Send> = Box::new(entries.iter().map(|e| Stored {
        actor: e.actor,
        action: e.action,
        entity: e.entity,
        entity_key: e.entity_key.to_string(),
        org_code: e.org_code.map(str::to_string),
        changes: changes_json(e.changes),
    }));
    record_stored(tx, entries.len(), rows).await
}

/// An entry with its changes already in stored form ([`changes_json`]).
#[derive(Debug)]
pub struct Stored<'a> {
    pub actor: &'a Actor,
    pub action: Action,
    pub entity: &'a str,
    pub entity_key: String,
    pub org_code: Option<String>,
    pub changes: String,
}

/// [`record_many`] for `count` entries taken from `rows` as each insert is built, so whatever
/// the iterator computes (the changes' JSON) and the chain's hashes are computed while the
/// database writes the insert before (see [`Pipe`]). `rows` must yield exactly `count` entries.
pub async fn record_stored<'a>(
    tx: &mut Transaction<'static, Any>,
    count: usize,
    rows: impl Iterator<Item = Stored<'a>>,
) -> Result<(), sqlx::Error> {
    if count == 0 {
        return Ok(());
    }
    let at = now_ms();
    let mut prev: String =
        sqlx::query("UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING hash")
            .bind(count as i64)
            .fetch_one(&mut **tx)
            .await?
            .try_get(0)?;
    let groups = crate::workbook::load::RowGroups::new(tx, 10);
    let per = groups.rows_per_insert();
    let mut entities: Vec<&str> = Vec::new();
    let mut written = 0;
    let mut rows = rows.peekable();
    let mut pipe = Pipe::new(tx);
    while rows.peek().is_some() {
        let mut sql = String::from(
            "INSERT INTO audit_log (at, actor_id, actor_name, action, entity, entity_key, org_code, changes, prev_hash, hash) VALUES ",
        );
        let mut chunk = Vec::new();
        for (n, e) in rows.by_ref().take(per).enumerate() {
            let hash = chain_hash(
                &prev,
                at,
                e.actor.user_id,
                &e.actor.name,
                e.action.code(),
                e.entity,
                &e.entity_key,
                e.org_code.as_deref(),
                &e.changes,
            );
            groups.push(&mut sql, n);
            if !entities.contains(&e.entity) {
                entities.push(e.entity);
            }
            chunk.push((e, std::mem::replace(&mut prev, hash.clone()), hash));
        }
        written += chunk.len();
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (e, prev_hash, hash) in chunk {
            q = q
                .bind(at)
                .bind(e.actor.user_id)
                .bind(e.actor.name.clone())
                .bind(e.action.code())
                .bind(e.entity.to_string())
                .bind(e.entity_key)
                .bind(e.org_code)
                .bind(e.changes)
                .bind(prev_hash)
                .bind(hash);
        }
        pipe.send(q).await?;
    }
    pipe.finish().await?;
    if written != count {
        // The head's sequence was advanced by `count`; the transaction must not commit.
        return Err(sqlx::Error::Protocol(format!(
            "审计记录数不符：应为 {count}，实为 {written}"
        )));
    }
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(prev)
        .execute(&mut **tx)
        .await?;
    bump_versions(tx, entities.iter().map(|e| e.to_string()).collect()).await
}

/// The outcome of checking the chain.
#[derive(Debug, PartialEq, Eq)]
pub enum Verification {
    Intact { rows: i64 },
    Broken { first_bad_id: i64 },
}

/// Walks the whole chain in id order and reports the first row whose hash does not follow.
pub async fn verify(db: &crate::db::Db) -> Result<Verification, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, at, actor_id, actor_name, action, entity, entity_key, org_code, changes, prev_hash, hash
         FROM audit_log ORDER BY id",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut prev = String::new();
    let mut n = 0;
    for r in rows {
        let id: i64 = r.try_get(0)?;
        let actor_id: Option<i64> = r.try_get(2)?;
        let actor_name: String = r.try_get(3)?;
        let action: String = r.try_get(4)?;
        let entity: String = r.try_get(5)?;
        let key: String = r.try_get(6)?;
        let org: Option<String> = r.try_get(7)?;
        let changes: String = r.try_get(8)?;
        let prev_hash: String = r.try_get(9)?;
        let hash: String = r.try_get(10)?;
        let expected = chain_hash(
            &prev,
            r.try_get(1)?,
            actor_id,
            &actor_name,
            &action,
            &entity,
            &key,
            org.as_deref(),
            &changes,
        );
        if prev_hash != prev || expected != hash {
            return Ok(Verification::Broken { first_bad_id: id });
        }
        prev = hash;
        n += 1;
    }
    Ok(Verification::Intact { rows: n })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(field: &'static str, old: Option<&str>, new: Option<&str>) -> Change {
        Change {
            field,
            old: old.map(str::to_string),
            new: new.map(str::to_string),
        }
    }

    #[test]
    fn a_created_record_is_stored_as_its_values_and_empty_fields_are_left_out() {
        let json = changes_json(&[
            change("姓名", None, Some("张宇")),
            change("在职学历", None, None),
            change("联系电话", None, Some("139****6324")),
        ]);
        assert_eq!(json, r#"{"姓名":"张宇","联系电话":"139****6324"}"#);
    }

    #[test]
    fn an_update_is_stored_as_old_and_new_values_in_the_given_order() {
        let json = changes_json(&[
            change("村民小组", Some("第一村民小组"), Some("第三村民小组")),
            change("注销日期", None, Some("2026-01-02")),
            change("地址", Some("王家庄村1号"), None),
        ]);
        assert_eq!(
            json,
            r#"{"村民小组":["第一村民小组","第三村民小组"],"注销日期":[null,"2026-01-02"],"地址":["王家庄村1号",null]}"#
        );
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["地址"][1], serde_json::Value::Null);
        assert_eq!(changes_json(&[]), "{}");
    }
}

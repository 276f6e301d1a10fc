//! Notifications about demands: an outbox row is written in the transaction of the change it
//! announces (assigned, deadline near, escalated, resolved, verdict given), and [`run_pending`]
//! delivers due rows to the configured webhook — plain JSON, or the WeCom or DingTalk robot
//! formats — retrying with back-off until the receiver takes them, each attempt logged.
//!
//! Two server processes may share one PostgreSQL database: a row is claimed with a lease by a
//! single `UPDATE … WHERE claimed_until < now RETURNING` (a row lock on PostgreSQL, the one
//! writer on SQLite), so only one process posts it, and it is marked delivered only by the
//! claimant. Messages carry no personal data: the number, the unit, the kind and the state.

use std::time::Duration;

use serde::Serialize;
use sqlx::{Any, Row, Transaction};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use xingcun_domain::enums::{DemandCategory, DemandField};

use super::Demand;
use crate::db::{Db, now_ms};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Assigned,
    DeadlineNear,
    Escalated,
    Resolved,
    Verdict,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Assigned => "assigned",
            Kind::DeadlineNear => "deadline_near",
            Kind::Escalated => "escalated",
            Kind::Resolved => "resolved",
            Kind::Verdict => "verdict",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Assigned => "诉求交办",
            Kind::DeadlineNear => "诉求即将到期",
            Kind::Escalated => "诉求超期升级",
            Kind::Resolved => "诉求已办结",
            Kind::Verdict => "群众已评价",
        }
    }
}

/// The message as the JSON format posts it.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Message {
    pub kind: String,
    pub title: String,
    pub demand_no: String,
    pub org_code: String,
    pub org_name: String,
    pub handler_org_code: Option<String>,
    pub handler_org_name: Option<String>,
    pub status: String,
    pub deadline_on: Option<String>,
    pub text: String,
}

/// The message announcing `kind` about a demand.
pub fn message(kind: Kind, d: &Demand, note: Option<&str>) -> Message {
    let what = [
        d.field
            .as_deref()
            .and_then(DemandField::from_code)
            .map(|f| f.label()),
        d.category
            .as_deref()
            .and_then(DemandCategory::from_code)
            .map(|c| c.label()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("·");
    let handler = d
        .handler_org_name
        .clone()
        .or(d.handler_org_code.clone())
        .unwrap_or_default();
    let place = if d.org_name.is_empty() {
        &d.org_code
    } else {
        &d.org_name
    };
    let mut text = format!("【{}】{} {place}（{what}）", kind.label(), d.demand_no);
    if !handler.is_empty() {
        text.push_str(&format!("，承办单位：{handler}"));
    }
    if let Some(due) = &d.deadline_on {
        text.push_str(&format!("，办理时限：{due}"));
    }
    if let Some(n) = note {
        text.push_str(&format!("。{n}"));
    }
    Message {
        kind: kind.code().into(),
        title: kind.label().into(),
        demand_no: d.demand_no.clone(),
        org_code: d.org_code.clone(),
        org_name: d.org_name.clone(),
        handler_org_code: d.handler_org_code.clone(),
        handler_org_name: d.handler_org_name.clone(),
        status: d.status.clone(),
        deadline_on: d.deadline_on.clone(),
        text,
    }
}

/// Adds a message to the outbox inside the caller's transaction.
pub async fn enqueue(
    tx: &mut Transaction<'static, Any>,
    kind: Kind,
    d: &Demand,
    note: Option<&str>,
) -> Result<(), sqlx::Error> {
    let msg = message(kind, d, note);
    let now = now_ms();
    sqlx::query(
        "INSERT INTO notification (kind, demand_id, org_code, payload, created_at, next_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(kind.code())
    .bind(d.id)
    .bind(d.handler_org_code.clone().unwrap_or(d.org_code.clone()))
    .bind(serde_json::to_string(&msg).expect("message serialises"))
    .bind(now)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The body a webhook gets, in the configured format.
pub fn body(format: &str, m: &Message) -> String {
    let v = match format {
        "wecom" => serde_json::json!({
            "msgtype": "markdown",
            "markdown": { "content": format!("**{}**\n{}", m.title, m.text) },
        }),
        "dingtalk" => serde_json::json!({
            "msgtype": "markdown",
            "markdown": { "title": m.title, "text": format!("#### {}\n{}", m.title, m.text) },
        }),
        _ => serde_json::to_value(m).expect("message serialises"),
    };
    v.to_string()
}

/// Where and how to deliver.
#[derive(Debug, Clone)]
pub struct Webhook {
    pub url: String,
    pub format: String,
}

/// The wait before attempt `n + 1`: 30 s doubling, at most an hour.
pub fn backoff_ms(attempts: i64) -> i64 {
    let secs = 30i64.saturating_mul(1 << attempts.clamp(0, 7));
    secs.min(3600) * 1000
}

/// Delivers due messages; returns how many were delivered. Without a webhook nothing is
/// claimed and messages wait in the outbox.
pub async fn run_pending(db: &Db, hook: Option<&Webhook>, worker: &str) -> anyhow::Result<usize> {
    let Some(hook) = hook else { return Ok(0) };
    let now = now_ms();
    let lease = now + 60_000;
    let rows = sqlx::query(
        "UPDATE notification SET claimed_by = $1, claimed_until = $2
          WHERE id IN (SELECT id FROM notification
                        WHERE delivered_at IS NULL AND next_at <= $3
                          AND (claimed_until IS NULL OR claimed_until < $3)
                        ORDER BY id LIMIT 50)
            AND delivered_at IS NULL AND (claimed_until IS NULL OR claimed_until < $3)
         RETURNING id, payload, attempts",
    )
    .bind(worker.to_string())
    .bind(lease)
    .bind(now)
    .fetch_all(&db.pool)
    .await?;
    let mut delivered = 0;
    let mut claimed: Vec<(i64, String, i64)> = rows
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .collect::<Result<_, sqlx::Error>>()?;
    claimed.sort_by_key(|c| c.0);
    for (id, payload, attempts) in claimed {
        let msg: Message = serde_json::from_str(&payload)?;
        let result = post(&hook.url, &body(&hook.format, &msg), id).await;
        let at = now_ms();
        let (status, error) = match &result {
            Ok(s) if (200..300).contains(s) => (Some(*s as i64), None),
            Ok(s) => (Some(*s as i64), Some(format!("HTTP {s}"))),
            Err(e) => (None, Some(e.to_string())),
        };
        sqlx::query(
            "INSERT INTO notification_attempt (notification_id, at, worker, status, error)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(at)
        .bind(worker.to_string())
        .bind(status)
        .bind(error.clone())
        .execute(&db.pool)
        .await?;
        if error.is_none() {
            sqlx::query(
                "UPDATE notification SET delivered_at = $1, attempts = attempts + 1,
                        claimed_until = NULL, last_error = NULL
                  WHERE id = $2 AND claimed_by = $3",
            )
            .bind(at)
            .bind(id)
            .bind(worker.to_string())
            .execute(&db.pool)
            .await?;
            delivered += 1;
        } else {
            sqlx::query(
                "UPDATE notification SET attempts = attempts + 1, next_at = $1,
                        claimed_until = NULL, last_error = $2
                  WHERE id = $3 AND claimed_by = $4",
            )
            .bind(at + backoff_ms(attempts))
            .bind(error)
            .bind(id)
            .bind(worker.to_string())
            .execute(&db.pool)
            .await?;
        }
    }
    Ok(delivered)
}

/// POSTs a JSON body over HTTP/1.1 and returns the status code. `Idempotency-Key` carries the
/// message id so a receiver can drop a repeat after a crash between its reply and our record.
async fn post(url: &str, body: &str, id: i64) -> anyhow::Result<u16> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| anyhow::anyhow!("只支持 http:// 地址的 webhook（https 请经内网转发）"))?;
    let (hostport, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let addr = if hostport.contains(':') {
        hostport.to_string()
    } else {
        format!("{hostport}:80")
    };
    let fut = async {
        let mut s = tokio::net::TcpStream::connect(&addr).await?;
        let req = format!(
            "POST {path} HTTP/1.1\r\nHost: {hostport}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nIdempotency-Key: xingcun-{id}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        s.write_all(req.as_bytes()).await?;
        let mut buf = Vec::new();
        let mut chunk = [0u8; 1024];
        while !buf.windows(2).any(|w| w == b"\r\n") {
            let n = s.read(&mut chunk).await?;
            if n == 0 {
                break;
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        let line = String::from_utf8_lossy(&buf);
        let code = line
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse::<u16>().ok())
            .ok_or_else(|| anyhow::anyhow!("webhook 返回的不是 HTTP 响应"))?;
        anyhow::Ok(code)
    };
    tokio::time::timeout(Duration::from_secs(10), fut)
        .await
        .map_err(|_| anyhow::anyhow!("webhook 10 秒内无响应"))?
}

/// Outbox rows for a page: (id, kind, demand number, created, attempts, delivered, last error).
#[derive(Debug, Clone, Serialize)]
pub struct OutboxRow {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub text: String,
    pub created_at: i64,
    pub attempts: i64,
    pub delivered_at: Option<i64>,
    pub last_error: Option<String>,
}

/// The latest outbox rows of a scope.
pub async fn recent(
    db: &Db,
    scope: &crate::scope::Scope,
    limit: i64,
) -> anyhow::Result<Vec<OutboxRow>> {
    let (lo, hi) = scope.bounds();
    let rows = sqlx::query(
        "SELECT id, kind, payload, created_at, attempts, delivered_at, last_error
           FROM notification WHERE org_code >= $1 AND org_code < $2
          ORDER BY id DESC LIMIT $3",
    )
    .bind(lo)
    .bind(hi)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let payload: String = r.try_get(2)?;
            let m: Message = serde_json::from_str(&payload)?;
            Ok(OutboxRow {
                id: r.try_get(0)?,
                kind: r.try_get(1)?,
                title: m.title,
                text: m.text,
                created_at: r.try_get(3)?,
                attempts: r.try_get(4)?,
                delivered_at: r.try_get(5)?,
                last_error: r.try_get(6)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg() -> Message {
        Message {
            kind: "assigned".into(),
            title: "诉求交办".into(),
            demand_no: "SQ20261129ABCDEF".into(),
            org_code: "990101001001".into(),
            org_name: "一村".into(),
            handler_org_code: None,
            handler_org_name: None,
            status: "pending".into(),
            deadline_on: None,
            text: "【诉求交办】SQ20261129ABCDEF".into(),
        }
    }

    #[test]
    fn robot_formats_wrap_the_text_as_their_apis_expect() {
        let wecom: serde_json::Value = serde_json::from_str(&body("wecom", &msg())).unwrap();
        assert_eq!(wecom["msgtype"], "markdown");
        assert!(
            wecom["markdown"]["content"]
                .as_str()
                .unwrap()
                .contains("SQ20261129ABCDEF")
        );
        let ding: serde_json::Value = serde_json::from_str(&body("dingtalk", &msg())).unwrap();
        assert_eq!(ding["markdown"]["title"], "诉求交办");
        let json: serde_json::Value = serde_json::from_str(&body("json", &msg())).unwrap();
        assert_eq!(json["demand_no"], "SQ20261129ABCDEF");
    }

    #[test]
    fn backoff_doubles_from_thirty_seconds_to_an_hour() {
        assert_eq!(backoff_ms(0), 30_000);
        assert_eq!(backoff_ms(1), 60_000);
        assert_eq!(backoff_ms(6), 1_920_000);
        assert_eq!(backoff_ms(7), 3_600_000);
        assert_eq!(backoff_ms(40), 3_600_000);
    }
}

//! Filing new demands with a durable commit, in groups. Each filing waits until the
//! transaction holding it has committed (SQLite `synchronous=FULL`, PostgreSQL's commit), but
//! filings that arrive together share one transaction and one sync: one writer task takes
//! whatever is queued (up to [`BATCH`]), writes it, commits and answers everyone. A filing
//! that fails on its own (an unknown unit) is retried alone so it cannot fail its neighbours.

use sqlx::{Any, Row, Transaction};
use tokio::sync::{mpsc, oneshot};

use super::{DemandId, Filed, NewDemand, deadlines, handling_unit, log_event, new_demand_no};
use crate::audit::{self, Actor, Change};
use crate::db::{Db, now_ms};
use crate::error::{AppError, AppResult};
use crate::workbook::apply::{Val, insert_many};

/// The most filings one transaction takes.
pub const BATCH: usize = 256;

struct Job {
    new: NewDemand,
    actor: Actor,
    reply: oneshot::Sender<AppResult<Filed>>,
}

/// The handle to the writer task.
#[derive(Debug, Clone)]
pub struct Intake {
    tx: mpsc::Sender<Job>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Job")
    }
}

impl Intake {
    /// Starts the writer task on the current runtime.
    pub fn start(db: Db) -> Intake {
        let (tx, mut rx) = mpsc::channel::<Job>(BATCH * 8);
        tokio::spawn(async move {
            while let Some(first) = rx.recv().await {
                let mut jobs = vec![first];
                while jobs.len() < BATCH {
                    match rx.try_recv() {
                        Ok(j) => jobs.push(j),
                        Err(_) => break,
                    }
                }
                write_batch(&db, jobs).await;
            }
        });
        Intake { tx }
    }

    /// Files a demand; returns once it is committed.
    pub async fn file(&self, new: NewDemand, actor: Actor) -> AppResult<Filed> {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send(Job { new, actor, reply })
            .await
            .map_err(|_| AppError::Internal(anyhow::anyhow!("demand intake stopped")))?;
        rx.await
            .map_err(|_| AppError::Internal(anyhow::anyhow!("demand intake dropped a filing")))?
    }
}

async fn write_batch(db: &Db, jobs: Vec<Job>) {
    let deadlines = match deadlines::load(&db.pool).await {
        Ok(d) => d,
        Err(e) => {
            let msg = e.to_string();
            for j in jobs {
                let _ = j
                    .reply
                    .send(Err(AppError::Internal(anyhow::anyhow!(msg.clone()))));
            }
            return;
        }
    };
    let together: Vec<(&NewDemand, &Actor)> = jobs.iter().map(|j| (&j.new, &j.actor)).collect();
    match insert_all(db, &together, &deadlines).await {
        Ok(filed) => {
            for (j, f) in jobs.into_iter().zip(filed) {
                let _ = j.reply.send(Ok(f));
            }
        }
        Err(_) if jobs.len() > 1 => {
            for j in jobs {
                let one = insert_all(db, &[(&j.new, &j.actor)], &deadlines).await;
                let _ = j.reply.send(one.map(|mut v| v.remove(0)));
            }
        }
        Err(e) => {
            for j in jobs {
                let _ = j
                    .reply
                    .send(Err(AppError::Internal(anyhow::anyhow!(e.to_string()))));
            }
        }
    }
}

/// Writes a group of filings in one transaction with a handful of statements whatever its size:
/// one look-up of the units, one multi-row insert each for the demands, their first log rows
/// and their outbox messages, one for their audit rows. A clash of demand numbers fails the
/// group, which is then filed one by one (each retrying its number).
async fn insert_all(
    db: &Db,
    jobs: &[(&NewDemand, &Actor)],
    deadlines: &deadlines::Deadlines,
) -> AppResult<Vec<Filed>> {
    if jobs.len() == 1 {
        let mut tx = db.pool.begin().await?;
        let f = insert_one(&mut tx, jobs[0].0, jobs[0].1, deadlines).await?;
        audit_filed(&mut tx, jobs, std::slice::from_ref(&f)).await?;
        tx.commit().await?;
        return Ok(vec![f]);
    }
    let mut tx = db.pool.begin().await?;
    // The handling unit of each unit named: a grid's demand goes to its village.
    let mut codes: Vec<String> = jobs.iter().map(|(n, _)| n.org_code.clone()).collect();
    codes.sort();
    codes.dedup();
    let mut handler_of = std::collections::HashMap::new();
    for r in crate::workbook::load::select_in_on(
        &mut tx,
        "SELECT code, kind, parent_code FROM org_unit WHERE code IN",
        &codes,
    )
    .await?
    {
        let (code, kind, parent): (String, String, Option<String>) =
            (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
        let handler = match (kind.as_str(), parent) {
            ("grid", Some(p)) => p,
            _ => code.clone(),
        };
        handler_of.insert(code, handler);
    }
    let now = now_ms();
    let mut rows = Vec::with_capacity(jobs.len());
    let mut numbers = Vec::with_capacity(jobs.len());
    let mut facts = Vec::with_capacity(jobs.len());
    for (new, _) in jobs {
        let handler = handler_of
            .get(&new.org_code)
            .cloned()
            .ok_or_else(|| AppError::BadRequest(format!("区划编码 {} 不存在", new.org_code)))?;
        let deadline = deadlines
            .deadline(new.registered_on, new.category)
            .to_string();
        let no = new_demand_no(new.registered_on);
        let t = |v: Option<String>| Val::T(v);
        rows.push(vec![
            t(Some(no.clone())),
            t(Some(new.org_code.clone())),
            Val::I(new.household_id),
            Val::I(new.reporter_id),
            t(new.contact_name_enc.clone()),
            t(new.contact_phone.as_ref().map(|p| p.enc.clone())),
            t(new.contact_phone.as_ref().map(|p| p.masked.clone())),
            t(new.source.map(|s| s.code().to_string())),
            t(new.category.map(|s| s.code().to_string())),
            t(new.field.map(|s| s.code().to_string())),
            t(Some(new.content.clone())),
            t(new.address.clone()),
            t(new.lat.clone()),
            t(new.lon.clone()),
            t(Some(new.registered_on.to_string())),
            t(Some(deadline.clone())),
            t(Some("pending".into())),
            t(Some(handler.clone())),
            t(Some(new.channel.code().to_string())),
            Val::I(new.visit_id),
            Val::I(Some(now)),
            Val::I(Some(now)),
        ]);
        numbers.push(no);
        facts.push((handler, deadline));
    }
    insert_many(
        &mut tx,
        "demand",
        &[
            "demand_no",
            "org_code",
            "household_id",
            "reporter_id",
            "contact_name_enc",
            "contact_phone_enc",
            "contact_phone_masked",
            "source",
            "category",
            "field",
            "content",
            "address",
            "lat",
            "lon",
            "registered_on",
            "deadline_on",
            "status",
            "handler_org_code",
            "channel",
            "visit_id",
            "created_at",
            "updated_at",
        ],
        rows,
    )
    .await?;
    let mut id_of = std::collections::HashMap::new();
    for r in crate::workbook::load::select_in_on(
        &mut tx,
        "SELECT demand_no, id FROM demand WHERE demand_no IN",
        &numbers,
    )
    .await?
    {
        id_of.insert(r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?);
    }
    let mut events = Vec::with_capacity(jobs.len());
    let mut outbox = Vec::with_capacity(jobs.len());
    let mut filed = Vec::with_capacity(jobs.len());
    for (((new, actor), no), (handler, deadline)) in jobs.iter().zip(&numbers).zip(&facts) {
        let id = *id_of
            .get(no)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("filed demand not found")))?;
        events.push(vec![
            Val::I(Some(id)),
            Val::I(Some(now)),
            Val::I(actor.user_id),
            Val::T(Some(actor.name.clone())),
            Val::T(Some("file".into())),
            Val::T(Some("pending".into())),
            Val::T(Some(handler.clone())),
            Val::T(Some(super::Channel::label(new.channel.code()).into())),
            Val::I(Some(1)),
        ]);
        let d = filed_demand(id, no, new, handler, deadline, now);
        let msg = super::notify::message(super::notify::Kind::Assigned, &d, None);
        outbox.push(vec![
            Val::T(Some("assigned".into())),
            Val::I(Some(id)),
            Val::T(Some(handler.clone())),
            Val::T(Some(
                serde_json::to_string(&msg).expect("message serialises"),
            )),
            Val::I(Some(now)),
            Val::I(Some(now)),
        ]);
        filed.push(Filed {
            id: DemandId(id),
            demand_no: no.clone(),
        });
    }
    insert_many(
        &mut tx,
        "demand_event",
        &[
            "demand_id",
            "at",
            "user_id",
            "actor",
            "action",
            "to_status",
            "to_org",
            "comment",
            "public",
        ],
        events,
    )
    .await?;
    insert_many(
        &mut tx,
        "notification",
        &[
            "kind",
            "demand_id",
            "org_code",
            "payload",
            "created_at",
            "next_at",
        ],
        outbox,
    )
    .await?;
    audit_filed(&mut tx, jobs, &filed).await?;
    tx.commit().await?;
    Ok(filed)
}

/// The audit rows of filed demands.
async fn audit_filed(
    tx: &mut Transaction<'static, Any>,
    jobs: &[(&NewDemand, &Actor)],
    filed: &[Filed],
) -> AppResult<()> {
    let changes: Vec<Vec<Change>> = jobs
        .iter()
        .map(|(n, _)| {
            vec![
                Change {
                    field: "状态",
                    old: None,
                    new: Some("pending".into()),
                },
                Change {
                    field: "所属区划编码",
                    old: None,
                    new: Some(n.org_code.clone()),
                },
            ]
        })
        .collect();
    let entries: Vec<audit::Entry> = jobs
        .iter()
        .zip(filed)
        .zip(&changes)
        .map(|(((new, actor), f), ch)| audit::Entry {
            actor,
            action: audit::Action::Create,
            entity: "demand",
            entity_key: &f.demand_no,
            org_code: Some(&new.org_code),
            changes: ch,
        })
        .collect();
    audit::record_many(tx, &entries).await?;
    Ok(())
}

/// A just-filed demand as the outbox message needs it.
fn filed_demand(
    id: i64,
    no: &str,
    new: &NewDemand,
    handler: &str,
    deadline: &str,
    now: i64,
) -> super::Demand {
    super::Demand {
        id,
        demand_no: no.to_string(),
        org_code: new.org_code.clone(),
        org_name: String::new(),
        household_id: new.household_id,
        household_no: None,
        contact_phone_masked: None,
        source: None,
        category: new.category.map(|c| c.code().into()),
        field: new.field.map(|c| c.code().into()),
        content: String::new(),
        address: None,
        lat: None,
        lon: None,
        registered_on: new.registered_on.to_string(),
        accepted_on: None,
        deadline_on: Some(deadline.to_string()),
        status: "pending".into(),
        concluded_on: None,
        outcome: None,
        satisfaction: None,
        handler_org_code: Some(handler.to_string()),
        handler_org_name: None,
        channel: new.channel.code().into(),
        escalation: 0,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

/// Inserts one demand (待受理 at its handling unit), its first log row and the outbox message.
pub(crate) async fn insert_one(
    tx: &mut Transaction<'static, Any>,
    new: &NewDemand,
    actor: &Actor,
    deadlines: &deadlines::Deadlines,
) -> AppResult<Filed> {
    let handler = handling_unit(tx, &new.org_code).await?;
    let deadline = deadlines.deadline(new.registered_on, new.category);
    let now = now_ms();
    // A clash of random numbers is retried with a fresh one.
    let mut attempt = 0;
    let (id, demand_no) = loop {
        let demand_no = new_demand_no(new.registered_on);
        let row = sqlx::query(
            "INSERT INTO demand (demand_no, org_code, household_id, reporter_id, contact_name_enc,
                    contact_phone_enc, contact_phone_masked, source, category, field, content,
                    address, lat, lon, registered_on, deadline_on, status, handler_org_code,
                    channel, visit_id, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
                     'pending', $17, $18, $19, $20, $20)
             ON CONFLICT (demand_no) DO NOTHING
             RETURNING id",
        )
        .bind(demand_no.clone())
        .bind(new.org_code.clone())
        .bind(new.household_id)
        .bind(new.reporter_id)
        .bind(new.contact_name_enc.clone())
        .bind(new.contact_phone.as_ref().map(|p| p.enc.clone()))
        .bind(new.contact_phone.as_ref().map(|p| p.masked.clone()))
        .bind(new.source.map(|s| s.code().to_string()))
        .bind(new.category.map(|s| s.code().to_string()))
        .bind(new.field.map(|s| s.code().to_string()))
        .bind(new.content.clone())
        .bind(new.address.clone())
        .bind(new.lat.clone())
        .bind(new.lon.clone())
        .bind(new.registered_on.to_string())
        .bind(deadline.to_string())
        .bind(handler.clone())
        .bind(new.channel.code())
        .bind(new.visit_id)
        .bind(now)
        .fetch_optional(&mut **tx)
        .await?;
        match row {
            Some(r) => break (r.try_get::<i64, _>(0)?, demand_no),
            None if attempt < 5 => attempt += 1,
            None => {
                return Err(AppError::Internal(anyhow::anyhow!(
                    "could not draw a free demand number"
                )));
            }
        }
    };
    log_event(
        tx,
        DemandId(id),
        actor,
        "file",
        None,
        Some(xingcun_domain::enums::DemandStatus::Pending),
        (None, Some(handler.as_str())),
        Some(super::Channel::label(new.channel.code())),
        true,
    )
    .await?;
    let d = filed_demand(id, &demand_no, new, &handler, &deadline.to_string(), now);
    super::notify::enqueue(tx, super::notify::Kind::Assigned, &d, None).await?;
    Ok(Filed {
        id: DemandId(id),
        demand_no,
    })
}

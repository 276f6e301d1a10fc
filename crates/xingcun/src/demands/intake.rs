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

async fn insert_all(
    db: &Db,
    jobs: &[(&NewDemand, &Actor)],
    deadlines: &deadlines::Deadlines,
) -> AppResult<Vec<Filed>> {
    let mut tx = db.pool.begin().await?;
    let mut filed = Vec::with_capacity(jobs.len());
    let mut audit_keys = Vec::with_capacity(jobs.len());
    for (new, actor) in jobs {
        let f = insert_one(&mut tx, new, actor, deadlines).await?;
        audit_keys.push((f.demand_no.clone(), new.org_code.clone(), *actor));
        filed.push(f);
    }
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
    let entries: Vec<audit::Entry> = audit_keys
        .iter()
        .zip(&changes)
        .map(|((no, org, actor), ch)| audit::Entry {
            actor,
            action: audit::Action::Create,
            entity: "demand",
            entity_key: no,
            org_code: Some(org),
            changes: ch,
        })
        .collect();
    audit::record_many(&mut tx, &entries).await?;
    tx.commit().await?;
    Ok(filed)
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
    let d = super::Demand {
        id,
        demand_no: demand_no.clone(),
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
        handler_org_code: Some(handler.clone()),
        handler_org_name: None,
        channel: new.channel.code().into(),
        escalation: 0,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    super::notify::enqueue(tx, super::notify::Kind::Assigned, &d, None).await?;
    Ok(Filed {
        id: DemandId(id),
        demand_no,
    })
}

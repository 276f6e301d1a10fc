//! 诉求 (demands): residents' urgent problems (急难愁盼) collected on visits, at a desk, on a
//! village's public page or through Open311, handled in a closed loop — accepted, transferred,
//! returned, escalated, concluded — and closed by the resident's own verdict.
//!
//! Every change goes through [`act`], which asks `xingcun_domain::demand::transition` whether
//! the step is legal, writes the demand with a version check, appends a `demand_event` row
//! (who, when, what, why), an audit row and, where someone must hear of it, a notification,
//! all in one transaction. New demands come in through [`intake`], which commits them in
//! groups so a busy day's filings each get a durable commit without each paying for a sync.

pub mod deadlines;
pub mod intake;
pub mod jobs;
pub mod notify;
pub mod open311;
pub mod pages;
pub mod public;

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, AnyPool, Row, Transaction};
use xingcun_crypto::CryptoProvider;
use xingcun_domain::demand::{Action, transition};
use xingcun_domain::division::OrgKind;
use xingcun_domain::enums::{
    DemandCategory, DemandField, DemandSource, DemandStatus, Outcome, Satisfaction,
};

use crate::audit::{self, Actor, Change};
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::scope::Scope;

/// Associated data of the sealed contact fields of a demand.
pub const AAD_CONTACT_NAME: &[u8] = b"demand.contact_name";
pub const AAD_CONTACT_PHONE: &[u8] = b"demand.contact_phone";

/// A demand's row id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct DemandId(pub i64);

/// How a demand came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Workbook,
    Desk,
    Visit,
    Public,
    Open311,
}

impl Channel {
    pub fn code(self) -> &'static str {
        match self {
            Channel::Workbook => "workbook",
            Channel::Desk => "desk",
            Channel::Visit => "visit",
            Channel::Public => "public",
            Channel::Open311 => "open311",
        }
    }

    pub fn label(code: &str) -> &'static str {
        match code {
            "workbook" => "工作簿导入",
            "desk" => "窗口登记",
            "visit" => "走访收集",
            "public" => "村务公开页",
            "open311" => "Open311",
            _ => "其他",
        }
    }
}

/// A demand to file. The deadline, number and handling unit are worked out on filing.
#[derive(Debug, Clone)]
pub struct NewDemand {
    /// The village, community or grid it concerns.
    pub org_code: String,
    pub household_id: Option<i64>,
    pub reporter_id: Option<i64>,
    /// Name and phone given by a villager without an account, already sealed (see [`seal_contact`]).
    pub contact_name_enc: Option<String>,
    pub contact_phone: Option<crate::registry::personal::Sealed>,
    pub source: Option<DemandSource>,
    pub category: Option<DemandCategory>,
    pub field: Option<DemandField>,
    pub content: String,
    pub address: Option<String>,
    pub lat: Option<String>,
    pub lon: Option<String>,
    pub registered_on: NaiveDate,
    pub channel: Channel,
    pub visit_id: Option<i64>,
}

/// Seals a villager's name and phone number for [`NewDemand`].
pub fn seal_contact(
    crypto: &dyn CryptoProvider,
    name: Option<&str>,
    phone: Option<&xingcun_domain::Phone>,
) -> (Option<String>, Option<crate::registry::personal::Sealed>) {
    let name = name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| xingcun_crypto::hex_encode(&crypto.encrypt(n.as_bytes(), AAD_CONTACT_NAME)));
    let phone = phone.map(|p| crate::registry::personal::seal_phone(crypto, p, AAD_CONTACT_PHONE));
    (name, phone)
}

/// A filed demand's number and row id.
#[derive(Debug, Clone, Serialize)]
pub struct Filed {
    pub id: DemandId,
    pub demand_no: String,
}

/// A demand as the pages and APIs show it.
#[derive(Debug, Clone, Serialize)]
pub struct Demand {
    pub id: i64,
    pub demand_no: String,
    pub org_code: String,
    pub org_name: String,
    pub household_id: Option<i64>,
    pub household_no: Option<String>,
    pub contact_phone_masked: Option<String>,
    pub source: Option<String>,
    pub category: Option<String>,
    pub field: Option<String>,
    pub content: String,
    pub address: Option<String>,
    pub lat: Option<String>,
    pub lon: Option<String>,
    pub registered_on: String,
    pub accepted_on: Option<String>,
    pub deadline_on: Option<String>,
    pub status: String,
    pub concluded_on: Option<String>,
    pub outcome: Option<String>,
    pub satisfaction: Option<String>,
    pub handler_org_code: Option<String>,
    pub handler_org_name: Option<String>,
    pub channel: String,
    pub escalation: i64,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Demand {
    pub fn status(&self) -> DemandStatus {
        DemandStatus::from_code(&self.status).unwrap_or(DemandStatus::Pending)
    }

    /// Whether it is open and past its deadline on `today`.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        xingcun_domain::demand::is_open(self.status())
            && self
                .deadline_on
                .as_deref()
                .is_some_and(|d| d < today.to_string().as_str())
    }
}

/// The columns [`Demand`] is read from, `d` being `demand`.
pub const DEMAND_SELECT: &str =
    "SELECT d.id, d.demand_no, d.org_code, o.name, d.household_id, h.household_no,
       d.contact_phone_masked, d.source, d.category, d.field, d.content, d.address, d.lat, d.lon,
       d.registered_on, d.accepted_on, d.deadline_on, d.status, d.concluded_on, d.outcome,
       d.satisfaction, d.handler_org_code, ho.name, d.channel, d.escalation, d.version,
       d.created_at, d.updated_at
  FROM demand d
  JOIN org_unit o ON o.code = d.org_code
  LEFT JOIN household h ON h.id = d.household_id
  LEFT JOIN org_unit ho ON ho.code = d.handler_org_code";

pub fn demand_from_row(r: &AnyRow) -> Result<Demand, sqlx::Error> {
    Ok(Demand {
        id: r.try_get(0)?,
        demand_no: r.try_get(1)?,
        org_code: r.try_get(2)?,
        org_name: r.try_get(3)?,
        household_id: r.try_get(4)?,
        household_no: r.try_get(5)?,
        contact_phone_masked: r.try_get(6)?,
        source: r.try_get(7)?,
        category: r.try_get(8)?,
        field: r.try_get(9)?,
        content: r.try_get(10)?,
        address: r.try_get(11)?,
        lat: r.try_get(12)?,
        lon: r.try_get(13)?,
        registered_on: r.try_get(14)?,
        accepted_on: r.try_get(15)?,
        deadline_on: r.try_get(16)?,
        status: r.try_get(17)?,
        concluded_on: r.try_get(18)?,
        outcome: r.try_get(19)?,
        satisfaction: r.try_get(20)?,
        handler_org_code: r.try_get(21)?,
        handler_org_name: r.try_get(22)?,
        channel: r.try_get(23)?,
        escalation: r.try_get(24)?,
        version: r.try_get(25)?,
        created_at: r.try_get(26)?,
        updated_at: r.try_get(27)?,
    })
}

/// The scope condition on a demand: the unit it concerns or the unit handling it lies in the
/// scope (a township sees its villages' demands, and those transferred or escalated to it).
const IN_SCOPE: &str = "((d.org_code >= $1 AND d.org_code < $2)
     OR (d.handler_org_code >= $1 AND d.handler_org_code < $2))";

/// One demand in scope.
pub async fn get(pool: &AnyPool, scope: &Scope, id: DemandId) -> AppResult<Demand> {
    let (lo, hi) = scope.bounds();
    let sql = format!("{DEMAND_SELECT} WHERE d.id = $3 AND {IN_SCOPE}");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(lo)
        .bind(hi)
        .bind(id.0)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(demand_from_row(&row)?)
}

/// The row id of a household in a scope, by its number.
pub async fn household_in(pool: &AnyPool, scope: &Scope, no: &str) -> AppResult<Option<i64>> {
    let (lo, hi) = scope.bounds();
    Ok(sqlx::query_scalar::<_, i64>(
        "SELECT id FROM household WHERE household_no = $1 AND org_code >= $2 AND org_code < $3",
    )
    .bind(no.to_string())
    .bind(lo)
    .bind(hi)
    .fetch_optional(pool)
    .await?)
}

/// One demand by its number, whatever the scope (the public tracking page and Open311,
/// which show no personal details).
pub async fn get_by_no(pool: &AnyPool, demand_no: &str) -> AppResult<Demand> {
    let sql = format!("{DEMAND_SELECT} WHERE d.demand_no = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(demand_no.to_string())
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(demand_from_row(&row)?)
}

/// Filters of the demand list.
#[derive(Debug, Clone, Default)]
pub struct DemandFilter {
    /// Only demands concerning this unit's subtree (within the scope).
    pub org: Option<Scope>,
    /// Only demands handled by units in this subtree.
    pub handler: Option<Scope>,
    pub status: Option<DemandStatus>,
    pub category: Option<DemandCategory>,
    pub field: Option<DemandField>,
    pub registered_from: Option<NaiveDate>,
    pub registered_to: Option<NaiveDate>,
    /// Open and past the deadline on this day.
    pub overdue_on: Option<NaiveDate>,
    /// Number or content contains.
    pub text: Option<String>,
    /// Only this household's demands.
    pub household: Option<i64>,
}

/// The list's WHERE clause. A list is of the demands *concerning* a subtree (所属单位, by
/// `org_code`) or, with [`DemandFilter::handler`], of those *handled* in one (承办单位, which
/// also finds demands transferred in from elsewhere); never an OR of both, so each uses its
/// index (`demand_status_org`, `demand_status_cat_org`, `demand_handler`).
fn filter_sql(scope: &Scope, f: &DemandFilter) -> (String, Vec<String>) {
    let (col, wanted) = match (&f.handler, &f.org) {
        (Some(h), _) => ("d.handler_org_code", h),
        (None, Some(o)) => ("d.org_code", o),
        (None, None) => ("d.org_code", scope),
    };
    // Never wider than the caller's scope; a subtree outside it matches nothing.
    let (lo, hi) = match scope.narrow(wanted) {
        Some(s) => s.bounds(),
        None => (":".to_string(), ":".to_string()),
    };
    let mut args = vec![lo, hi];
    let mut sql = format!(" WHERE {col} >= $1 AND {col} < $2");
    let mut push = |cond: &str, vals: Vec<String>, args: &mut Vec<String>| {
        let mut c = cond.to_string();
        for v in vals {
            args.push(v);
            c = c.replacen('?', &format!("${}", args.len()), 1);
        }
        sql.push_str(" AND ");
        sql.push_str(&c);
    };
    if let Some(s) = f.status {
        push("d.status = ?", vec![s.code().into()], &mut args);
    }
    if let Some(c) = f.category {
        push("d.category = ?", vec![c.code().into()], &mut args);
    }
    if let Some(c) = f.field {
        push("d.field = ?", vec![c.code().into()], &mut args);
    }
    if let Some(d) = f.registered_from {
        push("d.registered_on >= ?", vec![d.to_string()], &mut args);
    }
    if let Some(d) = f.registered_to {
        push("d.registered_on <= ?", vec![d.to_string()], &mut args);
    }
    if let Some(d) = f.overdue_on {
        push(
            "d.status IN ('pending', 'in_progress') AND d.deadline_on < ?",
            vec![d.to_string()],
            &mut args,
        );
    }
    if let Some(h) = f.household {
        push(
            "d.household_id = CAST(? AS BIGINT)",
            vec![h.to_string()],
            &mut args,
        );
    }
    if let Some(t) = f.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let like = format!("%{}%", t.replace(['%', '_'], ""));
        push(
            "(d.demand_no LIKE ? OR d.content LIKE ?)",
            vec![like.clone(), like],
            &mut args,
        );
    }
    (sql, args)
}

/// How many demands in scope pass the filter.
pub async fn count(pool: &AnyPool, scope: &Scope, f: &DemandFilter) -> AppResult<i64> {
    let (cond, args) = filter_sql(scope, f);
    let sql = format!("SELECT COUNT(*) FROM demand d{cond}");
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for a in args {
        q = q.bind(a);
    }
    Ok(q.fetch_one(pool).await?.try_get(0)?)
}

/// A page of demands in scope, newest first.
pub async fn list(
    pool: &AnyPool,
    scope: &Scope,
    f: &DemandFilter,
    limit: i64,
    offset: i64,
) -> AppResult<Vec<Demand>> {
    let (cond, args) = filter_sql(scope, f);
    let n = args.len();
    // The page's ids first, from the index alone; then their rows.
    let sql = format!(
        "{DEMAND_SELECT}
          WHERE d.id IN (SELECT d.id FROM demand d{cond}
                          ORDER BY d.registered_on DESC, d.id DESC LIMIT ${} OFFSET ${})
          ORDER BY d.registered_on DESC, d.id DESC",
        n + 1,
        n + 2
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for a in args {
        q = q.bind(a);
    }
    let rows = q.bind(limit).bind(offset).fetch_all(pool).await?;
    Ok(rows.iter().map(demand_from_row).collect::<Result<_, _>>()?)
}

/// One line of a demand's log.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub at: i64,
    /// `at` as local time, for pages.
    pub at_text: String,
    pub actor: String,
    pub action: String,
    pub action_label: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub from_org: Option<String>,
    pub to_org: Option<String>,
    pub to_org_name: Option<String>,
    pub to_status_label: Option<&'static str>,
    pub comment: Option<String>,
    pub public: bool,
}

/// A demand's log, oldest first; `public_only` for the villager's tracking page.
pub async fn events(pool: &AnyPool, id: DemandId, public_only: bool) -> AppResult<Vec<Event>> {
    let rows = sqlx::query(
        "SELECT e.at, e.actor, e.action, e.from_status, e.to_status, e.from_org, e.to_org,
                e.comment, e.public, o.name
           FROM demand_event e LEFT JOIN org_unit o ON o.code = e.to_org
          WHERE e.demand_id = $1 ORDER BY e.id",
    )
    .bind(id.0)
    .fetch_all(pool)
    .await?;
    let mut out = Vec::new();
    for r in rows {
        let public: i64 = r.try_get(8)?;
        if public_only && public == 0 {
            continue;
        }
        let action: String = r.try_get(2)?;
        let at: i64 = r.try_get(0)?;
        out.push(Event {
            at,
            at_text: crate::dates::local_minute(at),
            actor: r.try_get(1)?,
            action_label: action_label(&action).to_string(),
            action,
            from_status: r.try_get(3)?,
            to_status: r.try_get(4)?,
            from_org: r.try_get(5)?,
            to_org: r.try_get(6)?,
            to_org_name: r.try_get(9)?,
            to_status_label: r
                .try_get::<Option<String>, _>(4)?
                .as_deref()
                .and_then(DemandStatus::from_code)
                .map(|s| s.label()),
            comment: r.try_get(7)?,
            public: public != 0,
        });
    }
    Ok(out)
}

fn action_label(code: &str) -> &'static str {
    match code {
        "file" => "登记",
        "import" => "导入",
        "accept" => "受理",
        "transfer" => "转办",
        "return" => "退回",
        "escalate" => "升级",
        "conclude" => "办结",
        "verdict" => "评价",
        "reopen" => "重新办理",
        "comment" => "进展说明",
        _ => "其他",
    }
}

/// Appends a log row.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn log_event(
    tx: &mut Transaction<'static, Any>,
    id: DemandId,
    actor: &Actor,
    action: &str,
    from: Option<DemandStatus>,
    to: Option<DemandStatus>,
    orgs: (Option<&str>, Option<&str>),
    comment: Option<&str>,
    public: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO demand_event (demand_id, at, user_id, actor, action, from_status, to_status,
                                   from_org, to_org, comment, public)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(id.0)
    .bind(now_ms())
    .bind(actor.user_id)
    .bind(actor.name.clone())
    .bind(action.to_string())
    .bind(from.map(|s| s.code().to_string()))
    .bind(to.map(|s| s.code().to_string()))
    .bind(orgs.0.map(str::to_string))
    .bind(orgs.1.map(str::to_string))
    .bind(comment.map(str::to_string))
    .bind(i64::from(public))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A step asked for by a user.
#[derive(Debug, Clone)]
pub struct Step {
    pub action: Action,
    pub comment: Option<String>,
    /// 转办: the unit to hand it to.
    pub to_org: Option<String>,
    /// The version the user saw (stale edits are refused).
    pub version: Option<i64>,
}

/// A unit's kind and parent, for escalation and transfers.
async fn unit_of(
    tx: &mut Transaction<'static, Any>,
    code: &str,
) -> Result<Option<(OrgKind, Option<String>)>, sqlx::Error> {
    let r = sqlx::query("SELECT kind, parent_code FROM org_unit WHERE code = $1")
        .bind(code.to_string())
        .fetch_optional(&mut **tx)
        .await?;
    r.map(|r| {
        let kind = OrgKind::from_code(&r.try_get::<String, _>(0)?).unwrap_or(OrgKind::Grid);
        Ok((kind, r.try_get(1)?))
    })
    .transpose()
}

/// The unit that handles a demand of `org`: a grid's demand goes to its village.
pub(crate) async fn handling_unit(
    tx: &mut Transaction<'static, Any>,
    org: &str,
) -> Result<String, sqlx::Error> {
    match unit_of(tx, org).await? {
        Some((OrgKind::Grid, Some(parent))) => Ok(parent),
        _ => Ok(org.to_string()),
    }
}

/// The level above a handling unit (village → township → district), if any.
pub(crate) async fn level_above(
    tx: &mut Transaction<'static, Any>,
    org: &str,
) -> Result<Option<String>, sqlx::Error> {
    Ok(unit_of(tx, org).await?.and_then(|(_, parent)| parent))
}

/// Takes a step on a demand the user's scope reaches, in one transaction: the transition is
/// checked, the record updated with a version check, the log, the audit trail and the outbox
/// written. Returns the demand as it now is.
pub async fn act(
    db: &crate::db::Db,
    scope: &Scope,
    actor: &Actor,
    id: DemandId,
    step: Step,
    today: NaiveDate,
) -> AppResult<Demand> {
    let before = get(&db.pool, scope, id).await?;
    // Only the unit handling it (or a unit above it) acts on it.
    let handler = before
        .handler_org_code
        .clone()
        .unwrap_or(before.org_code.clone());
    if !scope.contains(&handler) && !matches!(step.action, Action::Comment) {
        return Err(AppError::Forbidden);
    }
    if let Some(v) = step.version
        && v != before.version
    {
        return Err(AppError::Conflict);
    }
    commit_step(db, &before, &step, today, actor).await?;
    get(&db.pool, &Scope::everything(), id).await
}

/// The resident's verdict from the tracking page: no account, the demand number is the key.
pub async fn give_verdict(
    db: &crate::db::Db,
    demand_no: &str,
    verdict: Satisfaction,
    comment: Option<String>,
    today: NaiveDate,
) -> AppResult<Demand> {
    let before = get_by_no(&db.pool, demand_no).await?;
    let actor = Actor {
        user_id: None,
        name: "群众".into(),
    };
    let step = Step {
        action: Action::Verdict(verdict),
        comment,
        to_org: None,
        version: None,
    };
    commit_step(db, &before, &step, today, &actor).await?;
    get_by_no(&db.pool, demand_no).await
}

/// One step in a transaction of its own.
async fn commit_step(
    db: &crate::db::Db,
    before: &Demand,
    step: &Step,
    today: NaiveDate,
    actor: &Actor,
) -> AppResult<()> {
    let deadlines = deadlines::load(&db.pool).await?;
    let mut tx = db.pool.begin().await?;
    apply_step(&mut tx, before, step, today, &deadlines, actor).await?;
    tx.commit().await?;
    Ok(())
}

/// Writes one step inside a transaction: the demand, its log row, its audit row and, where
/// someone must hear of it, its outbox message.
pub(crate) async fn apply_step(
    tx: &mut Transaction<'static, Any>,
    d: &Demand,
    step: &Step,
    today: NaiveDate,
    deadlines: &deadlines::Deadlines,
    actor: &Actor,
) -> AppResult<()> {
    let from = d.status();
    let to = transition(from, step.action).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let today_s = today.to_string();
    let handler = d.handler_org_code.clone().unwrap_or(d.org_code.clone());
    let mut new = d.clone();
    new.status = to.code().into();
    let mut new_handler = handler.clone();
    let mut action_code = step.action.code();
    let comment = step
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    match step.action {
        Action::Accept => {
            if new.accepted_on.is_none() {
                new.accepted_on = Some(today_s.clone());
            }
        }
        Action::Transfer => {
            let target = step
                .to_org
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .ok_or_else(|| AppError::BadRequest("转办须选择承办单位".into()))?;
            match unit_of(tx, target).await? {
                None => {
                    return Err(AppError::BadRequest(format!(
                        "承办单位编码 {target} 不存在"
                    )));
                }
                Some((OrgKind::Grid, _)) => {
                    return Err(AppError::BadRequest(
                        "不能转办给网格，请选择村或乡镇".into(),
                    ));
                }
                Some(_) if target == handler => {
                    return Err(AppError::BadRequest("该单位已是承办单位".into()));
                }
                Some(_) => new_handler = target.to_string(),
            }
            if comment.is_none() {
                return Err(AppError::BadRequest("转办须说明理由".into()));
            }
        }
        Action::Return => {
            if comment.is_none() {
                return Err(AppError::BadRequest("退回须说明理由".into()));
            }
            let prev: Option<String> = sqlx::query(
                "SELECT from_org FROM demand_event
                  WHERE demand_id = $1 AND action IN ('transfer', 'escalate') AND to_org = $2
                  ORDER BY id DESC LIMIT 1",
            )
            .bind(d.id)
            .bind(handler.clone())
            .fetch_optional(&mut **tx)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?
            .flatten();
            new_handler = prev
                .ok_or_else(|| AppError::BadRequest("该诉求没有转办来源单位，无法退回".into()))?;
        }
        Action::Escalate => {
            new_handler = level_above(tx, &handler)
                .await?
                .ok_or_else(|| AppError::BadRequest("已是区级办理，无法再升级".into()))?;
            new.escalation += 1;
        }
        Action::Conclude(outcome) => {
            if new.accepted_on.is_none() {
                new.accepted_on = Some(today_s.clone());
            }
            new.concluded_on = Some(today_s.clone());
            new.outcome = Some(outcome.code().into());
        }
        Action::Verdict(v) => {
            if v == Satisfaction::Dissatisfied {
                // Reopened: the conclusion is withdrawn (kept in the log) and the demand gets a
                // fresh handling period from today.
                action_code = "reopen";
                new.concluded_on = None;
                new.outcome = None;
                new.satisfaction = None;
                let category = d.category.as_deref().and_then(DemandCategory::from_code);
                new.deadline_on = Some(deadlines.deadline(today, category).to_string());
                new.escalation = 0;
            } else {
                new.satisfaction = Some(v.code().into());
            }
        }
        Action::Comment => {
            if comment.is_none() {
                return Err(AppError::BadRequest("请填写进展说明".into()));
            }
        }
    }
    new.handler_org_code = Some(new_handler.clone());
    let now = now_ms();
    let done = sqlx::query(
        "UPDATE demand SET status = $1, accepted_on = $2, concluded_on = $3, outcome = $4,
                satisfaction = $5, handler_org_code = $6, escalation = $7, deadline_on = $8,
                version = version + 1, updated_at = $9
          WHERE id = $10 AND version = $11",
    )
    .bind(new.status.clone())
    .bind(new.accepted_on.clone())
    .bind(new.concluded_on.clone())
    .bind(new.outcome.clone())
    .bind(new.satisfaction.clone())
    .bind(new.handler_org_code.clone())
    .bind(new.escalation)
    .bind(new.deadline_on.clone())
    .bind(now)
    .bind(d.id)
    .bind(d.version)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict);
    }
    let verdict_note;
    let log_comment = match step.action {
        Action::Verdict(v) => {
            verdict_note = match comment {
                Some(c) => format!("{}：{c}", v.label()),
                None => v.label().to_string(),
            };
            Some(verdict_note.as_str())
        }
        Action::Conclude(o) => {
            verdict_note = match comment {
                Some(c) => format!("{}：{c}", o.label()),
                None => o.label().to_string(),
            };
            Some(verdict_note.as_str())
        }
        _ => comment,
    };
    let moved = (new_handler != handler).then_some((handler.as_str(), new_handler.as_str()));
    log_event(
        tx,
        DemandId(d.id),
        actor,
        action_code,
        Some(from),
        Some(to),
        moved.map_or((None, None), |(a, b)| (Some(a), Some(b))),
        log_comment,
        true,
    )
    .await?;
    let kind = match step.action {
        Action::Transfer | Action::Return => Some(notify::Kind::Assigned),
        Action::Escalate => Some(notify::Kind::Escalated),
        Action::Conclude(_) => Some(notify::Kind::Resolved),
        Action::Verdict(_) => Some(notify::Kind::Verdict),
        _ => None,
    };
    if let Some(kind) = kind {
        notify::enqueue(tx, kind, &new, log_comment).await?;
    }
    audit::record(
        tx,
        audit::Entry {
            actor,
            action: audit::Action::Update,
            entity: "demand",
            entity_key: &d.demand_no,
            org_code: Some(&d.org_code),
            changes: &changes(d, &new),
        },
    )
    .await?;
    Ok(())
}

fn changes(old: &Demand, new: &Demand) -> Vec<Change> {
    let pairs: [(&'static str, &Option<String>, &Option<String>); 6] = [
        ("受理日期", &old.accepted_on, &new.accepted_on),
        ("办理时限", &old.deadline_on, &new.deadline_on),
        ("办结日期", &old.concluded_on, &new.concluded_on),
        ("办理结果", &old.outcome, &new.outcome),
        ("满意度", &old.satisfaction, &new.satisfaction),
        ("承办单位编码", &old.handler_org_code, &new.handler_org_code),
    ];
    let mut out: Vec<Change> = pairs
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(field, a, b)| Change {
            field,
            old: a.clone(),
            new: b.clone(),
        })
        .collect();
    if old.status != new.status {
        out.insert(
            0,
            Change {
                field: "状态",
                old: Some(old.status.clone()),
                new: Some(new.status.clone()),
            },
        );
    }
    out
}

/// A new demand number: `SQ`, the filing date, and six characters chosen at random, so the
/// number is the tracking key a villager holds and cannot be guessed from another.
pub fn new_demand_no(today: NaiveDate) -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let raw = xingcun_crypto::random_token(6);
    let suffix: String = raw
        .bytes()
        .take(6)
        .map(|b| ALPHABET[(b as usize) % ALPHABET.len()] as char)
        .collect();
    format!("SQ{}{suffix}", today.format("%Y%m%d"))
}

/// Labels for a template: the Chinese words of a demand's codes.
pub fn labels(d: &Demand) -> serde_json::Value {
    serde_json::json!({
        "status": d.status().label(),
        "category": d.category.as_deref().and_then(DemandCategory::from_code).map(|c| c.label()),
        "field": d.field.as_deref().and_then(DemandField::from_code).map(|c| c.label()),
        "source": d.source.as_deref().and_then(DemandSource::from_code).map(|c| c.label()),
        "outcome": d.outcome.as_deref().and_then(Outcome::from_code).map(|c| c.label()),
        "satisfaction": d.satisfaction.as_deref().and_then(Satisfaction::from_code).map(|c| c.label()),
        "channel": Channel::label(&d.channel),
    })
}

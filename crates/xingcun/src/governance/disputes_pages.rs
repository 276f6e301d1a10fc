//! The dispute pages: `/governance/disputes` (filters above a paginated table, export), a
//! dispute's page (`/governance/disputes/{id}`: parties masked, sessions, outcome) and its
//! printable mediation agreement (`/governance/disputes/{id}/agreement`, 调解协议书).
//!
//! A party's ID and phone numbers are shown masked everywhere. The agreement shows them whole
//! only when the reader may see personal data, gives a reason (POSTed, so nothing lands in a
//! URL), and an access-log row is written for each number first.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::disputes::{
    self, AAD_PARTY_ID, AAD_PARTY_PHONE, Dispute, DisputeFilter, KINDS, OUTCOMES, RISKS, STATUSES,
};
use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::org::pages::xlsx_download;
use crate::registry::narrow_to_org;
use crate::registry::pages::{options, org_options};
use crate::web::list::{Cell, Crumb, Filter, ListView, PageParams, Pagination, Table, query_of};
use crate::web::{Ctx, render};
use crate::workbook::sheets::{SheetId, Words};

fn crumbs(last: Option<(&str, String)>) -> Vec<Crumb> {
    let mut c = vec![
        Crumb {
            label: "深化社会治理".into(),
            href: None,
        },
        Crumb {
            label: "矛盾纠纷排查化解".into(),
            href: last.as_ref().map(|_| "/governance/disputes".to_string()),
        },
    ];
    if let Some((label, href)) = last {
        c.push(Crumb {
            label: label.into(),
            href: Some(href),
        });
    }
    c
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A filter value that is one of the list's codes, else nothing.
fn code_in<'a>(w: &Words, v: Option<&'a str>) -> Option<&'a str> {
    v.filter(|v| w.label(v).is_some())
}

/// The filters of `/governance/disputes`.
#[derive(Debug, Deserialize, Default)]
pub struct DisputeListParams {
    pub org: Option<String>,
    pub kind: Option<String>,
    pub risk: Option<String>,
    pub status: Option<String>,
    pub q: Option<String>,
    #[serde(flatten)]
    pub page: PageParams,
    pub export: Option<String>,
}

fn dispute_table(items: &[Dispute]) -> Table {
    let mut t = Table::new(&[
        "纠纷编号",
        "所在村",
        "发现日期",
        "纠纷类型",
        "风险等级",
        "简要情况",
        "调解员",
        "状态",
        "办结日期",
        "调处结果",
    ]);
    for d in items {
        t.push(vec![
            Cell::link(&d.dispute_no, format!("/governance/disputes/{}", d.id)),
            Cell::text(&d.org_name),
            Cell::text(&d.found_on),
            Cell::text(d.kind_label()),
            Cell::text(d.risk_label()),
            Cell::text(&d.summary),
            Cell::opt(d.mediator.clone()),
            Cell::text(d.status_label()),
            Cell::opt(d.concluded_on.clone()),
            Cell::opt(d.outcome_label().map(str::to_string)),
        ]);
    }
    t
}

fn word_options(w: &Words) -> Vec<(String, String)> {
    options(w.words.iter().copied())
}

/// `GET /governance/disputes`: disputes in the user's scope.
pub async fn list_disputes(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<DisputeListParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let (kind, risk, status) = (
        code_in(&KINDS, nonempty(&p.kind)),
        code_in(&RISKS, nonempty(&p.risk)),
        code_in(&STATUSES, nonempty(&p.status)),
    );
    let filter = DisputeFilter {
        kind: kind.map(str::to_string),
        risk: risk.map(str::to_string),
        status: status.map(str::to_string),
        q: nonempty(&p.q).map(str::to_string),
    };
    let export = p.export.as_deref() == Some("xlsx");
    let narrowed = narrow_to_org(pool, &user.scope, nonempty(&p.org)).await?;
    let (items, pagination) = match &narrowed {
        Some(scope) => {
            let total = disputes::count_disputes(pool, scope, &filter).await?;
            let pagination = Pagination::new(p.page, total);
            let (limit, offset) = if export {
                (100_000, 0)
            } else {
                (pagination.limit(), pagination.offset())
            };
            let items = disputes::list_disputes(pool, scope, &filter, limit, offset).await?;
            (items, pagination)
        }
        None => (Vec::new(), Pagination::new(p.page, 0)),
    };
    if export {
        return Ok(xlsx_download(
            dispute_table(&items).to_xlsx("矛盾纠纷")?,
            "矛盾纠纷.xlsx",
        ));
    }
    let filters = vec![
        Filter::select(
            "org",
            "所在单位",
            nonempty(&p.org),
            org_options(pool, &user.scope).await?,
        ),
        Filter::select("kind", "纠纷类型", kind, word_options(&KINDS)),
        Filter::select("risk", "风险等级", risk, word_options(&RISKS)),
        Filter::select("status", "状态", status, word_options(&STATUSES)),
        Filter::text("q", "纠纷编号或简要情况", nonempty(&p.q)),
    ];
    let view = ListView {
        title: "矛盾纠纷排查化解".into(),
        breadcrumb: crumbs(None),
        query: query_of(&filters),
        filters,
        table: dispute_table(&items),
        pagination,
        new_href: user
            .can(Permission::WriteData)
            .then(|| crate::registry::forms::form_of(SheetId::Disputes).new_href()),
        export: true,
    };
    Ok(render(
        &state,
        &ctx,
        "pages/list.html",
        context! { view => view, extra_link => "/governance/rounds", extra_label => "排查记录" },
    )?
    .into_response())
}

/// The filters of `/governance/rounds`.
#[derive(Debug, Deserialize, Default)]
pub struct RoundListParams {
    pub org: Option<String>,
    pub q: Option<String>,
    #[serde(flatten)]
    pub page: PageParams,
    pub export: Option<String>,
}

fn round_table(items: &[disputes::Round]) -> Table {
    let mut t = Table::new(&[
        "排查编号",
        "排查单位",
        "排查日期",
        "牵头人",
        "情况记录",
        "发现纠纷数",
    ]);
    for r in items {
        t.push(vec![
            Cell::text(&r.round_no),
            Cell::text(&r.org_name),
            Cell::text(&r.held_on),
            Cell::opt(r.led_by.clone()),
            Cell::opt(r.notes.clone()),
            Cell::Int(r.disputes),
        ]);
    }
    t
}

/// `GET /governance/rounds`: canvassing rounds held by units in the user's scope.
pub async fn list_rounds(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<RoundListParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let export = p.export.as_deref() == Some("xlsx");
    let narrowed = narrow_to_org(pool, &user.scope, nonempty(&p.org)).await?;
    let mut pagination = Pagination::new(p.page, 0);
    let items = match &narrowed {
        Some(scope) => {
            let (limit, offset) = if export {
                (100_000, 0)
            } else {
                (pagination.limit(), pagination.offset())
            };
            let (mut items, total) =
                disputes::list_rounds(pool, scope, nonempty(&p.q), limit, offset).await?;
            pagination = Pagination::new(p.page, total);
            if !export && pagination.offset() != offset {
                // The page asked for was past the end: show the last one.
                items = disputes::list_rounds(
                    pool,
                    scope,
                    nonempty(&p.q),
                    pagination.limit(),
                    pagination.offset(),
                )
                .await?
                .0;
            }
            items
        }
        None => Vec::new(),
    };
    if export {
        return Ok(xlsx_download(
            round_table(&items).to_xlsx("排查")?,
            "矛盾纠纷排查.xlsx",
        ));
    }
    let filters = vec![
        Filter::select(
            "org",
            "所在单位",
            nonempty(&p.org),
            org_options(pool, &user.scope).await?,
        ),
        Filter::text("q", "排查编号或情况记录", nonempty(&p.q)),
    ];
    let view = ListView {
        title: "矛盾纠纷排查".into(),
        breadcrumb: crumbs(Some(("排查记录", "/governance/rounds".to_string()))),
        query: query_of(&filters),
        filters,
        table: round_table(&items),
        pagination,
        new_href: user
            .can(Permission::WriteData)
            .then(|| crate::registry::forms::form_of(SheetId::CanvassRounds).new_href()),
        export: true,
    };
    Ok(render(&state, &ctx, "pages/list.html", context! { view => view })?.into_response())
}

/// A dispute's words, for the templates.
#[derive(Debug, Serialize)]
struct Labels<'a> {
    kind: &'a str,
    risk: &'a str,
    status: &'a str,
    outcome: Option<&'a str>,
}

fn labels(d: &Dispute) -> Labels<'_> {
    Labels {
        kind: d.kind_label(),
        risk: d.risk_label(),
        status: d.status_label(),
        outcome: d.outcome_label(),
    }
}

/// `GET /governance/disputes/{id}`: one dispute in the user's scope (404 elsewhere).
pub async fn show_dispute(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let d = disputes::get_dispute(pool, &user.scope, id).await?;
    let parties = disputes::parties_of(pool, d.id).await?;
    let sessions = disputes::sessions_of(pool, d.id).await?;
    let write = user.can(Permission::WriteData);
    let (next_party, next_session) = (parties.len() + 1, sessions.len() + 1);
    let forms = [
        SheetId::Disputes,
        SheetId::DisputeParties,
        SheetId::MediationSessions,
    ]
    .map(crate::registry::forms::form_of);
    let html = render(
        &state,
        &ctx,
        "pages/dispute.html",
        context! {
            d => &d,
            lab => labels(&d),
            parties => parties,
            sessions => sessions,
            crumbs => crumbs(Some((d.dispute_no.as_str(), format!("/governance/disputes/{}", d.id)))),
            edit_href => write.then(|| forms[0].edit_href(&d.dispute_no)),
            new_party_href => write.then(|| format!(
                "{}?{}",
                forms[1].new_href(),
                prefill(&d.dispute_no, "当事人序号", next_party)
            )),
            new_session_href => write.then(|| format!(
                "{}?{}",
                forms[2].new_href(),
                prefill(&d.dispute_no, "调解序号", next_session)
            )),
            // A party is addressed by its row id: the link ends with it.
            party_edit => write.then(|| forms[1].edit_href("")),
            agreement => d.outcome.as_deref() == Some("mediated"),
        },
    )?;
    Ok(html.into_response())
}

/// The query string that opens a new party or session form on this dispute.
fn prefill(dispute_no: &str, seq_header: &str, next: usize) -> String {
    serde_urlencoded::to_string([
        ("纠纷编号", dispute_no.to_string()),
        (seq_header, next.to_string()),
    ])
    .unwrap_or_default()
}

/// A party as the agreement prints it.
#[derive(Debug, Serialize)]
struct PrintedParty {
    name: String,
    role: String,
    id_number: Option<String>,
    phone: Option<String>,
}

/// The 调解协议书 of a dispute; `reason` opens the numbers (access-logged first).
async fn agreement_page(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    id: i64,
    reason: Option<&str>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let d = disputes::get_dispute(pool, &user.scope, id).await?;
    if d.outcome.as_deref() != Some("mediated") {
        return Err(AppError::NotFound);
    }
    let parties = disputes::parties_of(pool, d.id).await?;
    let mut printed = Vec::with_capacity(parties.len());
    if let Some(reason) = reason {
        user.require(Permission::SeePersonalData)?;
        crate::security::check_reason(reason)?;
    }
    for p in parties {
        let (mut id_number, mut phone) = (p.id_masked.clone(), p.phone_masked.clone());
        if let Some(reason) = reason {
            let key = format!("{}|{}", d.dispute_no, p.party_no);
            for (field, enc, aad) in [
                ("id_number", &p.id_enc, AAD_PARTY_ID),
                ("phone", &p.phone_enc, AAD_PARTY_PHONE),
            ] {
                let Some(enc) = enc else { continue };
                crate::security::record_access(
                    state.db(),
                    user,
                    &crate::security::Access {
                        subject: "dispute_party",
                        subject_key: &key,
                        subject_name: &p.name,
                        field,
                        reason,
                        org_code: Some(&d.org_code),
                    },
                )
                .await?;
                let open = crate::registry::personal::open(state.crypto(), enc, aad);
                match field {
                    "id_number" => id_number = open.or(id_number),
                    _ => phone = open.or(phone),
                }
            }
        }
        printed.push(PrintedParty {
            name: p.name,
            role: p.role_label,
            id_number,
            phone,
        });
    }
    let html = render(
        state,
        ctx,
        "pages/dispute_agreement.html",
        context! {
            d => &d,
            lab => labels(&d),
            parties => printed,
            unmasked => reason.is_some(),
            may_unmask => user.can(Permission::SeePersonalData),
            outcome => OUTCOMES.word("mediated"),
        },
    )?;
    Ok(html.into_response())
}

/// `GET /governance/disputes/{id}/agreement`: the agreement, numbers masked.
pub async fn show_agreement(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    agreement_page(&state, &ctx, &user, id, None).await
}

/// The reason given for printing the numbers whole.
#[derive(Debug, Deserialize)]
pub struct RevealForm {
    pub reason: String,
}

/// `POST /governance/disputes/{id}/agreement`: the agreement with the parties' numbers whole,
/// for a role that may see personal data, after the reason is logged.
pub async fn reveal_agreement(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<RevealForm>,
) -> AppResult<Response> {
    agreement_page(&state, &ctx, &user, id, Some(&f.reason)).await
}

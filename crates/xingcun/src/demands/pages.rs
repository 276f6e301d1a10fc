//! The staff's demand pages: the list with filters and export (`/demands`), a desk intake form
//! (`/demands/new`), a demand with its log and the steps its state allows (`/demands/{id}`),
//! the to-do list of the user's units (`/todo`), and the deadline settings — rule and holiday
//! calendar — for district administrators (`/admin/deadlines`).

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};
use xingcun_domain::demand::{Action, DeadlineRule, transition};
use xingcun_domain::enums::{
    DemandCategory, DemandField, DemandSource, DemandStatus, Outcome, Satisfaction,
};
use xingcun_domain::{HolidayCalendar, OrgKind, Phone};

use super::{Channel, Demand, DemandFilter, DemandId, NewDemand, Step, deadlines};
use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::audit::{self, Actor, Change};
use crate::dates;
use crate::error::{AppError, AppResult};
use crate::org::pages::xlsx_download;
use crate::registry::narrow_to_org;
use crate::registry::pages::{options, org_options};
use crate::web::list::{Cell, Crumb, Filter, ListView, PageParams, Pagination, Table, query_of};
use crate::web::{Ctx, render};

fn crumbs(last: Option<(&str, Option<&str>)>) -> Vec<Crumb> {
    let mut c = vec![
        Crumb {
            label: "筑先锋堡垒".into(),
            href: None,
        },
        Crumb {
            label: "群众诉求".into(),
            href: last.is_some().then(|| "/demands".to_string()),
        },
    ];
    if let Some((label, href)) = last {
        c.push(Crumb {
            label: label.into(),
            href: href.map(str::to_string),
        });
    }
    c
}

pub(crate) fn actor_of(user: &CurrentUser) -> Actor {
    Actor {
        user_id: Some(user.id),
        name: user.display_name.clone(),
    }
}

/// The filters of `/demands`, as the query string carries them.
#[derive(Debug, Deserialize, Default)]
pub struct DemandListParams {
    pub org: Option<String>,
    pub status: Option<String>,
    pub category: Option<String>,
    pub field: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub overdue: Option<String>,
    pub q: Option<String>,
    /// `handler`: the demands handled in the unit (承办), not those concerning it (所属).
    pub by: Option<String>,
    #[serde(flatten)]
    pub page: PageParams,
    pub export: Option<String>,
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn status_badge(d: &Demand, today: chrono::NaiveDate) -> Cell {
    let s = d.status();
    let tone = if d.overdue(today) {
        "danger"
    } else {
        match s {
            DemandStatus::Pending => "warn",
            DemandStatus::InProgress => "info",
            DemandStatus::Concluded => "ok",
            DemandStatus::Closed => "muted",
        }
    };
    let text = if d.overdue(today) {
        format!("{}·已超期", s.label())
    } else {
        s.label().to_string()
    };
    Cell::Badge { text, tone }
}

fn demand_table(items: &[Demand], today: chrono::NaiveDate) -> Table {
    let mut t = Table::new(&[
        "诉求编号",
        "所属单位",
        "类别",
        "领域",
        "内容",
        "登记日期",
        "办理时限",
        "承办单位",
        "状态",
        "办结日期",
        "满意度",
    ]);
    for d in items {
        let l = super::labels(d);
        let word = |k: &str| l[k].as_str().map(str::to_string);
        let summary: String = d.content.chars().take(40).collect();
        t.push(vec![
            Cell::link(&d.demand_no, format!("/demands/{}", d.id)),
            Cell::text(&d.org_name),
            Cell::opt(word("category")),
            Cell::opt(word("field")),
            Cell::text(summary),
            Cell::text(&d.registered_on),
            Cell::opt(d.deadline_on.clone()),
            Cell::opt(d.handler_org_name.clone()),
            status_badge(d, today),
            Cell::opt(d.concluded_on.clone()),
            Cell::opt(word("satisfaction")),
        ]);
    }
    t
}

fn parse_filter(p: &DemandListParams, today: chrono::NaiveDate) -> AppResult<DemandFilter> {
    let date = |s: &Option<String>, what: &str| -> AppResult<Option<chrono::NaiveDate>> {
        nonempty(s)
            .map(|v| {
                v.parse()
                    .map_err(|_| AppError::BadRequest(format!("{what}应为 YYYY-MM-DD 格式的日期")))
            })
            .transpose()
    };
    Ok(DemandFilter {
        org: None,
        handler: None,
        status: nonempty(&p.status).and_then(DemandStatus::from_code),
        category: nonempty(&p.category).and_then(DemandCategory::from_code),
        field: nonempty(&p.field).and_then(DemandField::from_code),
        registered_from: date(&p.from, "登记日期起")?,
        registered_to: date(&p.to, "登记日期止")?,
        overdue_on: (nonempty(&p.overdue) == Some("1")).then_some(today),
        text: nonempty(&p.q).map(str::to_string),
        household: None,
    })
}

/// `GET /demands`: every demand in scope, filtered, paginated, exportable.
pub async fn list_demands(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<DemandListParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let today = dates::today();
    let mut filter = parse_filter(&p, today)?;
    let narrowed = narrow_to_org(pool, &user.scope, nonempty(&p.org)).await?;
    if nonempty(&p.by) == Some("handler") {
        filter.handler = narrowed.clone();
    } else {
        filter.org = narrowed.clone();
    }
    if p.export.as_deref() == Some("xlsx") {
        let items = match &narrowed {
            Some(_) => super::list(pool, &user.scope, &filter, 100_000, 0).await?,
            None => Vec::new(),
        };
        return Ok(xlsx_download(
            demand_table(&items, today).to_xlsx("诉求")?,
            "诉求.xlsx",
        ));
    }
    let total = match &narrowed {
        Some(_) => super::count(pool, &user.scope, &filter).await?,
        None => 0,
    };
    let pagination = Pagination::new(p.page, total);
    let items = match &narrowed {
        Some(_) => {
            super::list(
                pool,
                &user.scope,
                &filter,
                pagination.limit(),
                pagination.offset(),
            )
            .await?
        }
        None => Vec::new(),
    };
    let filters = vec![
        Filter::select(
            "org",
            "所属单位",
            nonempty(&p.org),
            org_options(pool, &user.scope).await?,
        ),
        Filter::select(
            "by",
            "范围",
            nonempty(&p.by),
            options([("handler", "本单位承办（含转入）")]),
        ),
        Filter::select(
            "status",
            "状态",
            nonempty(&p.status),
            options(DemandStatus::ALL.iter().map(|s| (s.code(), s.label()))),
        ),
        Filter::select(
            "category",
            "类别",
            nonempty(&p.category),
            options(DemandCategory::ALL.iter().map(|s| (s.code(), s.label()))),
        ),
        Filter::select(
            "field",
            "领域",
            nonempty(&p.field),
            options(DemandField::ALL.iter().map(|s| (s.code(), s.label()))),
        ),
        Filter::text("from", "登记日期起", nonempty(&p.from)),
        Filter::text("to", "登记日期止", nonempty(&p.to)),
        Filter::select(
            "overdue",
            "是否超期",
            nonempty(&p.overdue),
            options([("1", "已超期")]),
        ),
        Filter::text("q", "编号或内容", nonempty(&p.q)),
    ];
    let view = ListView {
        title: "群众诉求".into(),
        breadcrumb: crumbs(None),
        query: query_of(&filters),
        filters,
        table: demand_table(&items, today),
        pagination,
        new_href: user
            .can(Permission::WriteData)
            .then(|| "/demands/new".to_string()),
        export: true,
    };
    Ok(render(
        &state,
        &ctx,
        "pages/list.html",
        context! { view => view, extra_link => "/todo", extra_label => "我的待办" },
    )?
    .into_response())
}

/// A household's demands, for its page.
pub async fn household_table(
    pool: &sqlx::AnyPool,
    scope: &crate::scope::Scope,
    household_id: i64,
) -> AppResult<Table> {
    let f = DemandFilter {
        household: Some(household_id),
        ..Default::default()
    };
    let items = super::list(pool, scope, &f, 200, 0).await?;
    Ok(demand_table(&items, dates::today()))
}

/// The desk intake form.
#[derive(Debug, Deserialize, Serialize, Default, Clone)]
pub struct DemandForm {
    pub org: Option<String>,
    pub household_no: Option<String>,
    pub source: Option<String>,
    pub category: Option<String>,
    pub field: Option<String>,
    pub content: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
}

async fn intake_options(state: &AppState, user: &CurrentUser) -> AppResult<Vec<(String, String)>> {
    // Villages, communities and grids only: a demand concerns a place where people live.
    let units = crate::org::list(
        &state.db().pool,
        &user.scope,
        &crate::org::OrgFilter::default(),
        0,
        100_000,
    )
    .await?;
    Ok(units
        .iter()
        .filter(|u| u.kind().is_village() || u.kind() == OrgKind::Grid)
        .map(|u| {
            let indent = if u.kind() == OrgKind::Grid { "　" } else { "" };
            (u.code.clone(), format!("{indent}{}", u.name))
        })
        .collect())
}

fn form_page(
    state: &AppState,
    ctx: &Ctx,
    form: &DemandForm,
    units: Vec<(String, String)>,
    errors: std::collections::BTreeMap<&'static str, String>,
) -> AppResult<Response> {
    let choice = |all: Vec<(String, String)>| {
        let mut v = vec![(String::new(), "—".to_string())];
        v.extend(all);
        v
    };
    Ok(render(
        state,
        ctx,
        "pages/demand_form.html",
        context! {
            crumbs => crumbs(Some(("登记诉求", None))),
            form => form,
            errors => errors,
            units => units,
            sources => choice(options(DemandSource::ALL.iter().map(|s| (s.code(), s.label())))),
            categories => choice(options(DemandCategory::ALL.iter().map(|s| (s.code(), s.label())))),
            fields => choice(options(DemandField::ALL.iter().map(|s| (s.code(), s.label())))),
        },
    )?
    .into_response())
}

/// `GET /demands/new`.
pub async fn new_demand_page(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(form): Query<DemandForm>,
) -> AppResult<Response> {
    user.require(Permission::WriteData)?;
    let units = intake_options(&state, &user).await?;
    let form = DemandForm {
        source: form.source.or(Some("walk_in".into())),
        ..form
    };
    form_page(&state, &ctx, &form, units, Default::default())
}

/// What a demand form says, checked: the new demand, or each field's problem in Chinese.
pub(crate) async fn parse_form(
    state: &AppState,
    scope: &crate::scope::Scope,
    form: &DemandForm,
    channel: Channel,
) -> Result<NewDemand, std::collections::BTreeMap<&'static str, String>> {
    parse_form_at(state, scope, form, channel, None).await
}

/// As [`parse_form`]; `known` is a unit the caller has already read (a village's public page),
/// used instead of reading it again when the form names it.
pub(crate) async fn parse_form_at(
    state: &AppState,
    scope: &crate::scope::Scope,
    form: &DemandForm,
    channel: Channel,
    known: Option<&crate::org::OrgUnit>,
) -> Result<NewDemand, std::collections::BTreeMap<&'static str, String>> {
    let mut errors = std::collections::BTreeMap::new();
    let pool = &state.db().pool;
    let org = nonempty(&form.org).map(str::to_string);
    let unit = match &org {
        None => {
            errors.insert("org", "请选择诉求所属的村(社区)或网格".to_string());
            None
        }
        Some(code) if known.is_some_and(|k| &k.code == code && scope.contains(code)) => known
            .cloned()
            .filter(|u| u.kind().is_village() || u.kind() == OrgKind::Grid),
        Some(code) => match crate::org::find(pool, scope, code).await {
            Ok(Some(u)) if u.kind().is_village() || u.kind() == OrgKind::Grid => Some(u),
            Ok(Some(_)) => {
                errors.insert("org", format!("{code} 不是村(社区)或网格"));
                None
            }
            _ => {
                errors.insert("org", format!("区划编码 {code} 不存在或不在您的管辖范围内"));
                None
            }
        },
    };
    let mut household_id = None;
    if let (Some(no), Some(u)) = (nonempty(&form.household_no), &unit) {
        match super::household_in(pool, &u.scope(), no).await {
            Ok(Some(id)) => household_id = Some(id),
            _ => {
                errors.insert("household_no", format!("户编号 {no} 不在 {} 内", u.name));
            }
        }
    }
    let content = nonempty(&form.content).map(str::to_string);
    match &content {
        None => {
            errors.insert("content", "请填写诉求内容".to_string());
        }
        Some(c) if c.chars().count() > 2000 => {
            errors.insert("content", "诉求内容不超过2000字".to_string());
        }
        _ => {}
    }
    let phone = match nonempty(&form.contact_phone) {
        None => None,
        Some(p) => match Phone::parse(p) {
            Ok(p) => Some(p),
            Err(e) => {
                errors.insert("contact_phone", e.to_string());
                None
            }
        },
    };
    let parse_enum =
        |v: &Option<String>, f: fn(&str) -> Option<&'static str>| nonempty(v).and_then(f);
    let source = parse_enum(&form.source, |c| {
        DemandSource::from_code(c).map(|s| s.code())
    })
    .and_then(DemandSource::from_code);
    let category = parse_enum(&form.category, |c| {
        DemandCategory::from_code(c).map(|s| s.code())
    })
    .and_then(DemandCategory::from_code);
    let field = parse_enum(&form.field, |c| DemandField::from_code(c).map(|s| s.code()))
        .and_then(DemandField::from_code);
    if !errors.is_empty() {
        return Err(errors);
    }
    let (contact_name_enc, contact_phone) =
        super::seal_contact(state.crypto(), nonempty(&form.contact_name), phone.as_ref());
    Ok(NewDemand {
        org_code: org.unwrap_or_default(),
        household_id,
        reporter_id: None,
        contact_name_enc,
        contact_phone,
        source,
        category,
        field,
        content: content.unwrap_or_default(),
        address: None,
        lat: None,
        lon: None,
        registered_on: dates::today(),
        channel,
        visit_id: None,
    })
}

/// `POST /demands/new`: files it and opens it.
pub async fn create_demand(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Form(form): Form<DemandForm>,
) -> AppResult<Response> {
    user.require(Permission::WriteData)?;
    match parse_form(&state, &user.scope, &form, Channel::Desk).await {
        Ok(new) => {
            let filed = state.intake().file(new, actor_of(&user)).await?;
            Ok(Redirect::to(&format!("/demands/{}?filed=1", filed.id.0)).into_response())
        }
        Err(errors) => {
            let units = intake_options(&state, &user).await?;
            let mut resp = form_page(&state, &ctx, &form, units, errors)?;
            *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(resp)
        }
    }
}

/// The steps a demand's state allows, for its page.
fn steps_for(status: DemandStatus) -> Vec<(&'static str, &'static str)> {
    let all: [(&str, &str, Action); 7] = [
        ("accept", "受理", Action::Accept),
        ("transfer", "转办", Action::Transfer),
        ("return", "退回", Action::Return),
        ("escalate", "升级", Action::Escalate),
        ("conclude", "办结", Action::Conclude(Outcome::Solved)),
        ("reject", "不予受理", Action::Conclude(Outcome::Rejected)),
        (
            "verdict",
            "录入回访评价",
            Action::Verdict(Satisfaction::Satisfied),
        ),
    ];
    all.into_iter()
        .filter(|(_, _, a)| transition(status, *a).is_ok())
        .filter(|(code, _, _)| !(status == DemandStatus::InProgress && *code == "reject"))
        .map(|(c, l, _)| (c, l))
        .collect()
}

#[derive(Debug, Deserialize, Default)]
pub struct ShowParams {
    pub filed: Option<String>,
}

/// `GET /demands/{id}`.
pub async fn show_demand(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<ShowParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    show(&state, &ctx, &user, DemandId(id), None, q.filed.is_some()).await
}

async fn show(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    id: DemandId,
    error: Option<String>,
    filed: bool,
) -> AppResult<Response> {
    let pool = &state.db().pool;
    let d = super::get(pool, &user.scope, id).await?;
    let events = super::events(pool, id, false).await?;
    let handler = d.handler_org_code.clone().unwrap_or(d.org_code.clone());
    let may_act = user.can(Permission::WriteData) && user.scope.contains(&handler);
    let steps = if may_act {
        steps_for(d.status())
    } else {
        Vec::new()
    };
    let contact_name = if user.can(Permission::SeePersonalData) {
        sqlx::query_scalar::<_, Option<String>>("SELECT contact_name_enc FROM demand WHERE id = $1")
            .bind(d.id)
            .fetch_one(pool)
            .await?
            .and_then(|enc| {
                crate::registry::personal::open(state.crypto(), &enc, super::AAD_CONTACT_NAME)
            })
    } else {
        None
    };
    let transfer_units = if steps.iter().any(|(c, _)| *c == "transfer") {
        let all = crate::org::list(
            pool,
            &crate::scope::Scope::everything(),
            &crate::org::OrgFilter::default(),
            0,
            100_000,
        )
        .await?;
        all.iter()
            .filter(|u| u.kind() != OrgKind::Grid && u.code != handler)
            .map(|u| (u.code.clone(), u.name.clone()))
            .collect()
    } else {
        Vec::new()
    };
    let today = dates::today();
    let mut resp = render(
        state,
        ctx,
        "pages/demand.html",
        context! {
            crumbs => crumbs(Some((d.demand_no.as_str(), None))),
            d => &d,
            lab => super::labels(&d),
            overdue => d.overdue(today),
            events => events,
            steps => steps,
            error => error,
            filed => filed,
            contact_name => contact_name,
            transfer_units => transfer_units,
            outcomes => options(Outcome::ALL.iter().filter(|o| **o != Outcome::Rejected).map(|s| (s.code(), s.label()))),
            verdicts => options(Satisfaction::ALL.iter().map(|s| (s.code(), s.label()))),
            track_href => format!("/t/{}", d.demand_no),
        },
    )?
    .into_response();
    if ctx.path.ends_with("/act") {
        *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}

/// A step posted from a demand's page.
#[derive(Debug, Deserialize)]
pub struct StepForm {
    pub step: String,
    pub comment: Option<String>,
    pub to_org: Option<String>,
    pub outcome: Option<String>,
    pub verdict: Option<String>,
    pub version: Option<i64>,
}

fn parse_step(f: &StepForm) -> Result<Action, String> {
    Ok(match f.step.as_str() {
        "accept" => Action::Accept,
        "transfer" => Action::Transfer,
        "return" => Action::Return,
        "escalate" => Action::Escalate,
        "comment" => Action::Comment,
        "reject" => Action::Conclude(Outcome::Rejected),
        "conclude" => Action::Conclude(
            nonempty(&f.outcome)
                .and_then(Outcome::from_code)
                .ok_or("办结须选择办理结果")?,
        ),
        "verdict" => Action::Verdict(
            nonempty(&f.verdict)
                .and_then(Satisfaction::from_code)
                .ok_or("请选择群众评价")?,
        ),
        _ => return Err("未知的操作".into()),
    })
}

/// `POST /demands/{id}/act`: one step; on a refused step the page comes back with the reason.
pub async fn act_on_demand(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(f): Form<StepForm>,
) -> AppResult<Response> {
    user.require(Permission::WriteData)?;
    let id = DemandId(id);
    let action = match parse_step(&f) {
        Ok(a) => a,
        Err(msg) => return show(&state, &ctx, &user, id, Some(msg), false).await,
    };
    let step = Step {
        action,
        comment: f.comment.clone(),
        to_org: f.to_org.clone(),
        version: f.version,
    };
    match super::act(
        state.db(),
        &user.scope,
        &actor_of(&user),
        id,
        step,
        dates::today(),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/demands/{}", id.0)).into_response()),
        Err(AppError::BadRequest(msg)) => show(&state, &ctx, &user, id, Some(msg), false).await,
        Err(AppError::Conflict) => {
            show(
                &state,
                &ctx,
                &user,
                id,
                Some("该诉求已被他人更新，页面已刷新，请确认后重试".into()),
                false,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

/// `GET /todo`: 待办 — the open demands handled by the user's units, most urgent first, and
/// concluded ones awaiting the return visit.
pub async fn show_todo(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let today = dates::today();
    let handler = Some(user.scope.clone());
    let mut open = Vec::new();
    for status in [DemandStatus::Pending, DemandStatus::InProgress] {
        let f = DemandFilter {
            handler: handler.clone(),
            status: Some(status),
            ..Default::default()
        };
        open.extend(super::list(pool, &user.scope, &f, 200, 0).await?);
    }
    open.sort_by(|a, b| {
        (a.deadline_on.as_deref().unwrap_or("9999"), a.id)
            .cmp(&(b.deadline_on.as_deref().unwrap_or("9999"), b.id))
    });
    let awaiting = super::list(
        pool,
        &user.scope,
        &DemandFilter {
            handler,
            status: Some(DemandStatus::Concluded),
            ..Default::default()
        },
        100,
        0,
    )
    .await?;
    let card = |d: &Demand| {
        context! {
            d => d,
            l => super::labels(d),
            overdue => d.overdue(today),
        }
    };
    let open: Vec<_> = open.iter().map(card).collect();
    let awaiting: Vec<_> = awaiting.iter().map(card).collect();
    Ok(render(
        &state,
        &ctx,
        "pages/todo.html",
        context! {
            crumbs => vec![Crumb { label: "我的待办".into(), href: None }],
            open => open,
            awaiting => awaiting,
        },
    )?
    .into_response())
}

/// Only an administrator of the district's records keeps the deadline settings.
async fn require_district(state: &AppState, user: &CurrentUser) -> AppResult<()> {
    user.require(Permission::WriteData)?;
    let unit = crate::org::get(&state.db().pool, &user.scope, &user.org_code).await?;
    if unit.kind() != OrgKind::District {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

#[derive(Debug, Deserialize, Default)]
pub struct DeadlineParams {
    pub year: Option<i32>,
}

/// `GET /admin/deadlines`: the deadline rule and a year of the holiday calendar.
pub async fn show_deadlines(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(q): Query<DeadlineParams>,
) -> AppResult<Response> {
    require_district(&state, &user).await?;
    let year = q
        .year
        .unwrap_or_else(|| chrono::Datelike::year(&dates::today()));
    deadlines_page(&state, &ctx, year, None, None, None).await
}

async fn deadlines_page(
    state: &AppState,
    ctx: &Ctx,
    year: i32,
    rule_text: Option<String>,
    lines: Option<String>,
    errors: Option<Vec<String>>,
) -> AppResult<Response> {
    let pool = &state.db().pool;
    let rule = deadlines::rule(pool).await?;
    let edited = deadlines::edited_years(pool).await?;
    let current = match edited.iter().find(|(y, _)| *y == year) {
        Some((_, l)) => l.clone(),
        None => HolidayCalendar::official()
            .to_lines()
            .lines()
            .filter(|l| l.starts_with(&year.to_string()))
            .map(|l| format!("{l}\n"))
            .collect(),
    };
    let this_year = chrono::Datelike::year(&dates::today());
    let mut resp = render(
        state,
        ctx,
        "pages/deadlines.html",
        context! {
            crumbs => vec![Crumb { label: "系统".into(), href: None }, Crumb { label: "办理时限与节假日".into(), href: None }],
            rule => rule,
            rule_text => rule_text.unwrap_or_else(|| deadlines::rule_text(&rule)),
            year => year,
            years => vec![this_year - 1, this_year, this_year + 1],
            edited => edited.iter().any(|(y, _)| *y == year),
            lines => lines.unwrap_or(current),
            errors => errors,
        },
    )?
    .into_response();
    if ctx.path.ends_with("/save") {
        *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}

#[derive(Debug, Deserialize)]
pub struct DeadlineForm {
    pub year: i32,
    pub rule: String,
    pub lines: String,
}

/// `POST /admin/deadlines`: saves the rule and the year's calendar, both checked first.
pub async fn save_deadlines(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Form(f): Form<DeadlineForm>,
) -> AppResult<Response> {
    require_district(&state, &user).await?;
    let mut errors = Vec::new();
    let rule = DeadlineRule::parse(&f.rule).map_err(|e| errors.push(e.to_string()));
    let cal = HolidayCalendar::parse_lines(&f.lines)
        .map_err(|es| errors.extend(es.iter().map(|e| e.to_string())));
    if let Ok(cal) = &cal
        && let Some((d, _)) = cal
            .entries()
            .find(|(d, _)| chrono::Datelike::year(d) != f.year)
    {
        errors.push(format!("{d} 不在 {} 年内", f.year));
    }
    if !errors.is_empty() {
        let mut resp = deadlines_page(
            &state,
            &ctx,
            f.year,
            Some(f.rule.clone()),
            Some(f.lines.clone()),
            Some(errors),
        )
        .await?;
        *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(resp);
    }
    let (Ok(rule), Ok(cal)) = (rule, cal) else {
        return Err(AppError::BadRequest("办理时限设置有误".into()));
    };
    let pool = &state.db().pool;
    let old_rule = deadlines::rule(pool).await?;
    let old_lines = deadlines::edited_years(pool)
        .await?
        .into_iter()
        .find(|(y, _)| *y == f.year)
        .map(|(_, l)| l);
    let new_rule = deadlines::rule_text(&rule);
    let new_lines = cal.to_lines();
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM app_setting WHERE key = $1")
        .bind(deadlines::RULE_KEY)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO app_setting (key, value) VALUES ($1, $2)")
        .bind(deadlines::RULE_KEY)
        .bind(new_rule.clone())
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM holiday_year WHERE year = $1")
        .bind(i64::from(f.year))
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO holiday_year (year, lines, updated_at, updated_by) VALUES ($1, $2, $3, $4)",
    )
    .bind(i64::from(f.year))
    .bind(new_lines.clone())
    .bind(crate::db::now_ms())
    .bind(user.id)
    .execute(&mut *tx)
    .await?;
    let changes = vec![
        Change {
            field: "办理时限规则",
            old: Some(deadlines::rule_text(&old_rule)),
            new: Some(new_rule),
        },
        Change {
            field: "节假日",
            old: old_lines,
            new: Some(new_lines),
        },
    ];
    audit::record(
        &mut tx,
        audit::Entry {
            actor: &actor_of(&user),
            action: audit::Action::Update,
            entity: "holiday_calendar",
            entity_key: &f.year.to_string(),
            org_code: Some(&user.org_code),
            changes: &changes,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/admin/deadlines?year={}", f.year)).into_response())
}

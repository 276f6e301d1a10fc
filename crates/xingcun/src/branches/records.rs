//! One record of branch work and its steps: a practical project (开工 → 完成), a rectification
//! case (验收销号), an honour (审核 → 公示 → 授予 or 不予通过, with its objections), an
//! assessment with its scores per section of the standard, the standard itself, the branches
//! due for reassessment and the honours roll.
//!
//! Every step is a scoped, audited POST with CSRF that writes a one-row sheet through
//! `outreach::import_row` (the import's rules: states forward only by `xingcun_domain::branches`,
//! 验收销号 only with every problem solved, an award only after the notice with every objection
//! handled). A record outside the user's subtree is 404.
//!
//! Attachments (photos, evidence files) belong on these pages — a project's acceptance, a case's
//! problems, an honour's materials, an assessment's evidence — once `attachments` offers them.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use sqlx::{AnyPool, Row};
use xingcun_domain::branches::{
    HonorAction, ProjectAction, award_refusal, honor_transition, project_transition,
};
use xingcun_domain::enums::{AssessmentResult, HonorKind, HonorStatus, ProjectStatus};

use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::dates;
use crate::error::{AppError, AppResult};
use crate::outreach::{import_row, messages};
use crate::registry::narrow_to_org;
use crate::scope::Scope;
use crate::web::list::{Cell, Crumb, Table};
use crate::web::{Ctx, render, urlencode};
use crate::workbook::outreach::{existing, records_with_keys};
use crate::workbook::sheets::{self, Sheet};

/// A fact of the record.
#[derive(Debug, Serialize)]
pub struct Fact {
    pub label: String,
    pub value: Option<String>,
    pub href: Option<String>,
}

pub fn fact(label: &str, value: Option<String>) -> Fact {
    Fact {
        label: label.into(),
        value,
        href: None,
    }
}

pub fn fact_link(label: &str, value: String, href: String) -> Fact {
    Fact {
        label: label.into(),
        value: Some(value),
        href: Some(href),
    }
}

/// A field of a step's form.
#[derive(Debug, Serialize)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    /// date, text, textarea, number, hidden
    pub kind: &'static str,
    pub value: String,
}

pub fn field(
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    value: impl Into<String>,
) -> Field {
    Field {
        name,
        label,
        kind,
        value: value.into(),
    }
}

/// A step the user may take: a small form posting to `href`.
#[derive(Debug, Serialize)]
pub struct Action {
    pub href: String,
    pub label: String,
    pub fields: Vec<Field>,
    pub primary: bool,
}

/// A table under a caption.
#[derive(Serialize)]
pub struct Block {
    pub caption: String,
    pub note: Option<String>,
    pub table: Table,
}

/// What `pages/branches_record.html` shows.
#[derive(Serialize, Default)]
pub struct Page {
    pub title: String,
    pub crumbs: Vec<Crumb>,
    pub badge: Option<(String, &'static str)>,
    pub facts: Vec<Fact>,
    pub actions: Vec<Action>,
    pub blocks: Vec<Block>,
    pub grid: Option<serde_json::Value>,
    pub errors: Vec<String>,
    pub done: Option<String>,
}

pub fn crumbs(list: (&str, &str), here: &str) -> Vec<Crumb> {
    vec![
        Crumb {
            label: "筑先锋堡垒".into(),
            href: None,
        },
        Crumb {
            label: list.0.into(),
            href: Some(list.1.into()),
        },
        Crumb {
            label: here.into(),
            href: None,
        },
    ]
}

/// Adds the line that leads to the record's photos and scanned documents (附件).
pub async fn with_attachments(
    state: &AppState,
    page: &mut Page,
    kind: &str,
    no: &str,
) -> AppResult<()> {
    let (text, href) = crate::attachments::summary(&state.db().pool, kind, no).await?;
    page.facts.push(fact_link("附件", text, href));
    Ok(())
}

pub fn show(state: &AppState, ctx: &Ctx, page: Page, status: StatusCode) -> AppResult<Response> {
    Ok((
        status,
        render(
            state,
            ctx,
            "pages/branches_record.html",
            minijinja::Value::from_serialize(&page),
        )?,
    )
        .into_response())
}

/// The row id of a record numbered `no` in `table`, if its unit is in `scope`; 404 otherwise.
pub async fn locate(
    pool: &AnyPool,
    scope: &Scope,
    table: &str,
    key: &str,
    no: &str,
) -> AppResult<i64> {
    let (lo, hi) = scope.bounds();
    let sql =
        format!("SELECT id FROM {table} WHERE {key} = $1 AND org_code >= $2 AND org_code < $3");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(no)
        .bind(lo)
        .bind(hi)
        .fetch_optional(pool)
        .await?
        .map(|r| r.try_get::<i64, _>(0))
        .transpose()?
        .ok_or(AppError::NotFound)
}

/// The stored canonical values of a record keyed by one text column.
async fn values_of(
    state: &AppState,
    sheet: &'static Sheet,
    no: &str,
) -> AppResult<Vec<Option<String>>> {
    let keys = vec![no.to_string()];
    let found = records_with_keys(&state.db().pool, state.crypto(), sheet, &keys).await?;
    found
        .into_iter()
        .next()
        .map(|r| r.values)
        .ok_or(AppError::NotFound)
}

/// Writes a one-row sheet as the user; the refusal's messages when a rule says no.
pub async fn write(
    state: &AppState,
    user: &CurrentUser,
    sheet: &'static Sheet,
    values: Vec<Option<String>>,
) -> AppResult<Result<(), Vec<String>>> {
    Ok(import_row(state, user, sheet, values)
        .await?
        .map_err(|p| messages(&p)))
}

fn date_or_today(s: &Option<String>) -> AppResult<String> {
    match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(dates::today().to_string()),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(|d| d.to_string())
            .map_err(|_| AppError::Invalid(format!("日期“{s}”应为 YYYY-MM-DD"))),
    }
}

fn today() -> String {
    dates::today().to_string()
}

/// The form of a step.
#[derive(Debug, Deserialize, Default)]
pub struct StepForm {
    #[serde(default)]
    pub action: String,
    pub on: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

// ---------------------------------------------------------------- 实事

async fn project_page(
    state: &AppState,
    user: &CurrentUser,
    no: &str,
    errors: Vec<String>,
) -> AppResult<Page> {
    let pool = &state.db().pool;
    let id = locate(pool, &user.scope, "practical_project", "project_no", no).await?;
    let r = sqlx::query(
        "SELECT t.name, o.name, t.cost, t.beneficiaries, t.status, t.started_on, t.completed_on,
                t.org_code
           FROM practical_project t JOIN org_unit o ON o.code = t.org_code WHERE t.id = $1",
    )
    .bind(id)
    .fetch_one(pool)
    .await?;
    let status: String = r.try_get(4)?;
    let state_ = ProjectStatus::from_code(&status);
    let mut actions = Vec::new();
    if user.can(Permission::WriteData) {
        for a in ProjectAction::ALL {
            if state_.is_some_and(|s| project_transition(s, *a).is_ok()) {
                let code = match a {
                    ProjectAction::Start => "start",
                    ProjectAction::Complete => "complete",
                };
                actions.push(Action {
                    href: format!("/branches/projects/{}/step", urlencode(no)),
                    label: a.label().into(),
                    fields: vec![
                        field("action", "", "hidden", code),
                        field(
                            "on",
                            if code == "start" {
                                "开工日期"
                            } else {
                                "完成日期"
                            },
                            "date",
                            today(),
                        ),
                    ],
                    primary: true,
                });
            }
        }
    }
    let name: String = r.try_get(0)?;
    Ok(Page {
        title: format!("实事 {no}"),
        crumbs: crumbs(("兴办实事", "/branches/projects"), no),
        badge: state_.map(|s| {
            (
                s.label().to_string(),
                match s {
                    ProjectStatus::Completed => "ok",
                    ProjectStatus::InProgress => "warn",
                    ProjectStatus::Planned => "muted",
                },
            )
        }),
        facts: vec![
            fact("名称", Some(name)),
            fact_link(
                "村(社区)",
                r.try_get(1)?,
                format!("/org-units/{}", r.try_get::<String, _>(7)?),
            ),
            fact("投资金额（万元）", r.try_get(2)?),
            fact("受益人数", r.try_get(3)?),
            fact("开工日期", r.try_get(5)?),
            fact("完成日期", r.try_get(6)?),
        ],
        actions,
        errors,
        ..Page::default()
    })
}

/// `GET /branches/projects/{no}`.
pub async fn show_project(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(no): Path<String>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let mut page = project_page(&state, &user, &no, Vec::new()).await?;
    with_attachments(&state, &mut page, "project", &no).await?;
    show(&state, &ctx, page, StatusCode::OK)
}

/// `POST /branches/projects/{no}/step`: 开工 or 完成, by the domain's steps.
pub async fn step_project(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(no): Path<String>,
    Form(f): Form<StepForm>,
) -> AppResult<Response> {
    user.require(Permission::WriteData)?;
    locate(
        &state.db().pool,
        &user.scope,
        "practical_project",
        "project_no",
        &no,
    )
    .await?;
    let s = &sheets::PRACTICAL_PROJECTS;
    let mut v = values_of(&state, s, &no).await?;
    let action = match f.action.as_str() {
        "start" => ProjectAction::Start,
        "complete" => ProjectAction::Complete,
        _ => return Err(AppError::BadRequest("未知的操作".into())),
    };
    let from = v[s.index("状态")]
        .as_deref()
        .and_then(ProjectStatus::from_code)
        .ok_or(AppError::NotFound)?;
    let outcome = match project_transition(from, action) {
        Err(e) => Err(vec![e.to_string()]),
        Ok(to) => {
            let on = date_or_today(&f.on)?;
            v[s.index("状态")] = Some(to.code().into());
            match action {
                ProjectAction::Start => v[s.index("开工日期")] = Some(on),
                ProjectAction::Complete => v[s.index("完成日期")] = Some(on),
            }
            write(&state, &user, s, v).await?
        }
    };
    match outcome {
        Ok(()) => {
            Ok(Redirect::to(&format!("/branches/projects/{}", urlencode(&no))).into_response())
        }
        Err(errors) => {
            let page = project_page(&state, &user, &no, Vec::new()).await?;
            refused(&state, &ctx, page, errors)
        }
    }
}

/// The record's page again, with the refusal's messages.
fn refused(
    state: &AppState,
    ctx: &Ctx,
    mut page: Page,
    errors: Vec<String>,
) -> AppResult<Response> {
    page.errors = errors;
    show(state, ctx, page, StatusCode::UNPROCESSABLE_ENTITY)
}

// ---------------------------------------------------------------- 整顿

async fn case_page(state: &AppState, user: &CurrentUser, no: &str) -> AppResult<Page> {
    let pool = &state.db().pool;
    let id = locate(pool, &user.scope, "rectification", "case_no", no).await?;
    let r = sqlx::query(
        "SELECT po.name, o.name, t.found_on, t.reasons, t.accepted_on, t.org_code
           FROM rectification t JOIN party_org po ON po.id = t.party_org_id
           JOIN org_unit o ON o.code = t.org_code WHERE t.id = $1",
    )
    .bind(id)
    .fetch_one(pool)
    .await?;
    let accepted: Option<String> = r.try_get(4)?;
    let mut problems = Table::new(&[
        "问题序号",
        "问题",
        "整改措施",
        "责任人",
        "整改时限",
        "解决日期",
    ]);
    let mut open = 0;
    let rows = sqlx::query(
        "SELECT problem_no, description, measure, responsible, deadline_on, solved_on
           FROM rectification_problem WHERE case_id = $1 ORDER BY problem_no",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let mut rows: Vec<_> = rows
        .iter()
        .map(|p| {
            Ok::<_, sqlx::Error>((
                p.try_get::<String, _>(0)?,
                p.try_get::<String, _>(1)?,
                p.try_get::<Option<String>, _>(2)?,
                p.try_get::<Option<String>, _>(3)?,
                p.try_get::<Option<String>, _>(4)?,
                p.try_get::<Option<String>, _>(5)?,
            ))
        })
        .collect::<Result<_, _>>()?;
    rows.sort_by_key(|p| (p.0.parse::<u64>().unwrap_or(u64::MAX), p.0.clone()));
    for (no, what, how, who, due, solved) in rows {
        if solved.is_none() {
            open += 1;
        }
        problems.push(vec![
            Cell::Text(no),
            Cell::Text(what),
            Cell::opt(how),
            Cell::opt(who),
            Cell::opt(due),
            match solved {
                Some(s) => Cell::Text(s),
                None => Cell::Badge {
                    text: "未解决".into(),
                    tone: "warn",
                },
            },
        ]);
    }
    let mut actions = Vec::new();
    if accepted.is_none() && user.can(Permission::WriteData) {
        actions.push(Action {
            href: format!("/branches/rectifications/{}/accept", urlencode(no)),
            label: "验收销号".into(),
            fields: vec![field("on", "验收销号日期", "date", today())],
            primary: true,
        });
    }
    Ok(Page {
        title: format!("整顿 {no}"),
        crumbs: crumbs(("软弱涣散党组织整顿", "/branches/rectifications"), no),
        badge: Some(match &accepted {
            Some(_) => ("已验收销号".into(), "ok"),
            None => ("整顿中".into(), "warn"),
        }),
        facts: vec![
            fact("党组织", r.try_get(0)?),
            fact_link(
                "所在区划",
                r.try_get(1)?,
                format!("/org-units/{}", r.try_get::<String, _>(5)?),
            ),
            fact("认定日期", r.try_get(2)?),
            fact("软弱涣散原因", r.try_get(3)?),
            fact("未解决问题", Some(open.to_string())),
            fact("验收销号日期", accepted),
        ],
        actions,
        blocks: vec![Block {
            caption: "突出问题".into(),
            note: Some("每个问题都已解决后才能验收销号。".into()),
            table: problems,
        }],
        ..Page::default()
    })
}

/// `GET /branches/rectifications/{no}`.
pub async fn show_case(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(no): Path<String>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let mut page = case_page(&state, &user, &no).await?;
    with_attachments(&state, &mut page, "rectification", &no).await?;
    show(&state, &ctx, page, StatusCode::OK)
}

/// `POST /branches/rectifications/{no}/accept`: 验收销号 (refused while a problem is unsolved).
pub async fn accept_case(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(no): Path<String>,
    Form(f): Form<StepForm>,
) -> AppResult<Response> {
    user.require(Permission::WriteData)?;
    locate(
        &state.db().pool,
        &user.scope,
        "rectification",
        "case_no",
        &no,
    )
    .await?;
    let s = &sheets::RECTIFICATIONS;
    let mut v = values_of(&state, s, &no).await?;
    let outcome = if v[s.index("验收销号日期")].is_some() {
        Err(vec![format!("整顿 {no} 已验收销号")])
    } else {
        v[s.index("验收销号日期")] = Some(date_or_today(&f.on)?);
        write(&state, &user, s, v).await?
    };
    match outcome {
        Ok(()) => Ok(
            Redirect::to(&format!("/branches/rectifications/{}", urlencode(&no))).into_response(),
        ),
        Err(errors) => {
            let page = case_page(&state, &user, &no).await?;
            refused(&state, &ctx, page, errors)
        }
    }
}

// ---------------------------------------------------------------- 荣誉

fn honor_action_code(a: HonorAction) -> &'static str {
    match a {
        HonorAction::Review => "review",
        HonorAction::Publish => "publish",
        HonorAction::Award => "award",
        HonorAction::Reject => "reject",
    }
}

async fn honor_page(state: &AppState, user: &CurrentUser, no: &str) -> AppResult<Page> {
    let pool = &state.db().pool;
    let id = locate(pool, &user.scope, "honor", "honor_no", no).await?;
    let r = sqlx::query(
        "SELECT t.kind, p.name, p.id, o.name, t.org_code, t.status, t.nominated_on,
                t.notice_starts_on, t.notice_ends_on, t.awarded_on
           FROM honor t JOIN person p ON p.id = t.person_id
           JOIN org_unit o ON o.code = t.org_code WHERE t.id = $1",
    )
    .bind(id)
    .fetch_one(pool)
    .await?;
    let kind: String = r.try_get(0)?;
    let status: String = r.try_get(5)?;
    let st = HonorStatus::from_code(&status);
    let (from, to): (Option<String>, Option<String>) = (r.try_get(7)?, r.try_get(8)?);
    let mut objections =
        Table::new(&["序号", "提出日期", "提出人", "内容", "处理结果", "处理日期"]);
    let mut unhandled = Vec::new();
    for o in sqlx::query(
        "SELECT objection_no, lodged_on, lodged_by, content, result, handled_on
           FROM honor_objection WHERE honor_id = $1 ORDER BY lodged_on, objection_no",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    {
        let n: String = o.try_get(0)?;
        let handled: Option<String> = o.try_get(5)?;
        if handled.is_none() {
            unhandled.push(n.clone());
        }
        objections.push(vec![
            Cell::Text(n),
            Cell::Text(o.try_get(1)?),
            Cell::Text(o.try_get(2)?),
            Cell::Text(o.try_get(3)?),
            Cell::opt(o.try_get(4)?),
            match handled {
                Some(h) => Cell::Text(h),
                None => Cell::Badge {
                    text: "未处理".into(),
                    tone: "warn",
                },
            },
        ]);
    }
    let href = format!("/branches/honors/{}", urlencode(no));
    let mut actions = Vec::new();
    if user.can(Permission::WriteData)
        && let Some(st) = st
    {
        for a in HonorAction::ALL {
            if honor_transition(st, *a).is_err() {
                continue;
            }
            let code = honor_action_code(*a);
            let mut fields = vec![field("action", "", "hidden", code)];
            match a {
                HonorAction::Publish => {
                    let t = dates::today();
                    fields.push(field("from", "公示开始日期", "date", t.to_string()));
                    fields.push(field(
                        "to",
                        "公示结束日期",
                        "date",
                        (t + chrono::Days::new(7)).to_string(),
                    ));
                }
                HonorAction::Award => fields.push(field("on", "授予日期", "date", today())),
                _ => {}
            }
            actions.push(Action {
                href: format!("{href}/step"),
                label: a.label().into(),
                fields,
                primary: *a != HonorAction::Reject,
            });
        }
        if st == HonorStatus::Notice {
            actions.push(Action {
                href: format!("{href}/objections"),
                label: "登记异议".into(),
                fields: vec![
                    field("lodged_on", "提出日期", "date", today()),
                    field("lodged_by", "提出人", "text", ""),
                    field("content", "异议内容", "textarea", ""),
                ],
                primary: false,
            });
        }
        for n in &unhandled {
            actions.push(Action {
                href: format!("{href}/objections"),
                label: format!("处理异议 {n}"),
                fields: vec![
                    field("objection_no", "", "hidden", n.clone()),
                    field("result", "处理结果", "text", ""),
                    field("handled_on", "处理日期", "date", today()),
                ],
                primary: false,
            });
        }
    }
    let notice = match (&from, &to) {
        (Some(a), Some(b)) => Some(format!("{a} 至 {b}")),
        _ => None,
    };
    let person: i64 = r.try_get(2)?;
    Ok(Page {
        title: format!("荣誉 {no}"),
        crumbs: crumbs(("好支书与带富致富先锋", "/branches/honors"), no),
        badge: st.map(|s| {
            (
                s.label().to_string(),
                match s {
                    HonorStatus::Awarded => "ok",
                    HonorStatus::Rejected => "err",
                    HonorStatus::Notice => "warn",
                    _ => "muted",
                },
            )
        }),
        facts: vec![
            fact(
                "荣誉类型",
                Some(HonorKind::from_code(&kind).map_or(kind.clone(), |k| k.label().into())),
            ),
            fact_link("姓名", r.try_get(1)?, format!("/branches/roll/{person}")),
            fact_link(
                "所属区划",
                r.try_get(3)?,
                format!("/branches/roll?org={}", r.try_get::<String, _>(4)?),
            ),
            fact("提名日期", r.try_get(6)?),
            fact("公示期", notice),
            fact("授予日期", r.try_get(9)?),
        ],
        actions,
        blocks: vec![Block {
            caption: "异议".into(),
            note: Some("公示期内可提出异议；有未处理的异议或公示期未满时不能授予。".into()),
            table: objections,
        }],
        ..Page::default()
    })
}

/// `GET /branches/honors/{no}`.
pub async fn show_honor(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(no): Path<String>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let mut page = honor_page(&state, &user, &no).await?;
    with_attachments(&state, &mut page, "honor", &no).await?;
    show(&state, &ctx, page, StatusCode::OK)
}

/// `POST /branches/honors/{no}/step`: 审核通过, 公示 (with its period), 授予 or 不予通过.
pub async fn step_honor(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(no): Path<String>,
    Form(f): Form<StepForm>,
) -> AppResult<Response> {
    user.require(Permission::WriteData)?;
    let pool = &state.db().pool;
    let id = locate(pool, &user.scope, "honor", "honor_no", &no).await?;
    let s = &sheets::HONORS;
    let mut v = values_of(&state, s, &no).await?;
    let action = HonorAction::ALL
        .iter()
        .copied()
        .find(|a| honor_action_code(*a) == f.action)
        .ok_or_else(|| AppError::BadRequest("未知的操作".into()))?;
    let from = v[s.index("状态")]
        .as_deref()
        .and_then(HonorStatus::from_code)
        .ok_or(AppError::NotFound)?;
    let outcome = match honor_transition(from, action) {
        Err(e) => Err(vec![e.to_string()]),
        Ok(to) => {
            v[s.index("状态")] = Some(to.code().into());
            let mut refused = None;
            match action {
                HonorAction::Publish => {
                    v[s.index("公示开始日期")] = Some(date_or_today(&f.from)?);
                    v[s.index("公示结束日期")] = Some(date_or_today(&f.to)?);
                }
                HonorAction::Award => {
                    let on = date_or_today(&f.on)?;
                    let open: i64 = sqlx::query(
                        "SELECT COUNT(*) FROM honor_objection WHERE honor_id = $1 AND handled_on IS NULL",
                    )
                    .bind(id)
                    .fetch_one(pool)
                    .await?
                    .try_get(0)?;
                    let day = |i: usize| {
                        v[i].as_deref()
                            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                    };
                    let notice = day(s.index("公示开始日期")).zip(day(s.index("公示结束日期")));
                    let on_day = NaiveDate::parse_from_str(&on, "%Y-%m-%d")
                        .map_err(|_| AppError::Invalid("授予日期无效".into()))?;
                    refused = award_refusal(notice, on_day, open as usize);
                    v[s.index("授予日期")] = Some(on);
                }
                _ => {}
            }
            match refused {
                Some(why) => Err(vec![why]),
                None => write(&state, &user, s, v).await?,
            }
        }
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/branches/honors/{}", urlencode(&no))).into_response()),
        Err(errors) => {
            let page = honor_page(&state, &user, &no).await?;
            refused(&state, &ctx, page, errors)
        }
    }
}

/// The objection form: a new one (no `objection_no`) or the handling of one.
#[derive(Debug, Deserialize)]
pub struct ObjectionForm {
    pub objection_no: Option<String>,
    pub lodged_on: Option<String>,
    pub lodged_by: Option<String>,
    pub content: Option<String>,
    pub result: Option<String>,
    pub handled_on: Option<String>,
}

fn nonempty(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// `POST /branches/honors/{no}/objections`: lodges an objection, or records how one was handled.
pub async fn save_objection(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(no): Path<String>,
    Form(f): Form<ObjectionForm>,
) -> AppResult<Response> {
    user.require(Permission::WriteData)?;
    let pool = &state.db().pool;
    let id = locate(pool, &user.scope, "honor", "honor_no", &no).await?;
    let s = &sheets::HONOR_OBJECTIONS;
    let outcome = match nonempty(&f.objection_no) {
        Some(n) => {
            let all = existing(pool, state.crypto(), s, &[]).await?;
            let Some((_, mut v)) = all.get(&format!("{no}|{n}")).cloned() else {
                return Err(AppError::NotFound);
            };
            v[s.index("处理结果")] = nonempty(&f.result);
            v[s.index("处理日期")] = Some(date_or_today(&f.handled_on)?);
            if v[s.index("处理结果")].is_none() {
                Err(vec!["请填写处理结果".to_string()])
            } else {
                write(&state, &user, s, v).await?
            }
        }
        None => {
            let count: i64 =
                sqlx::query("SELECT COUNT(*) FROM honor_objection WHERE honor_id = $1")
                    .bind(id)
                    .fetch_one(pool)
                    .await?
                    .try_get(0)?;
            let (by, content) = (nonempty(&f.lodged_by), nonempty(&f.content));
            if by.is_none() || content.is_none() {
                Err(vec!["请填写提出人和异议内容".to_string()])
            } else {
                write(
                    &state,
                    &user,
                    s,
                    vec![
                        Some(no.clone()),
                        Some((count + 1).to_string()),
                        Some(date_or_today(&f.lodged_on)?),
                        by,
                        content,
                        None,
                        None,
                    ],
                )
                .await?
            }
        }
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/branches/honors/{}", urlencode(&no))).into_response()),
        Err(errors) => {
            let page = honor_page(&state, &user, &no).await?;
            refused(&state, &ctx, page, errors)
        }
    }
}

/// The filters of the roll.
#[derive(Debug, Deserialize, Default)]
pub struct RollParams {
    pub org: Option<String>,
}

/// `GET /branches/roll`: the honours roll (光荣榜) — awarded honours in scope by village.
pub async fn show_roll(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<RollParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let Some(scope) = narrow_to_org(pool, &user.scope, p.org.as_deref()).await? else {
        return Err(AppError::NotFound);
    };
    let (lo, hi) = scope.bounds();
    let mut blocks: Vec<Block> = Vec::new();
    for r in sqlx::query(
        "SELECT o.name, t.kind, p.name, p.id, t.awarded_on, t.honor_no
           FROM honor t JOIN person p ON p.id = t.person_id JOIN org_unit o ON o.code = t.org_code
          WHERE t.org_code >= $1 AND t.org_code < $2 AND t.status = 'awarded'
          ORDER BY t.org_code, t.awarded_on DESC, t.honor_no",
    )
    .bind(lo)
    .bind(hi)
    .fetch_all(pool)
    .await?
    {
        let unit: String = r.try_get(0)?;
        if blocks.last().is_none_or(|b| b.caption != unit) {
            blocks.push(Block {
                caption: unit,
                note: None,
                table: Table::new(&["姓名", "荣誉", "授予日期", "荣誉编号"]),
            });
        }
        let kind: String = r.try_get(1)?;
        let no: String = r.try_get(5)?;
        let person: i64 = r.try_get(3)?;
        if let Some(b) = blocks.last_mut() {
            b.table.push(vec![
                Cell::link(
                    r.try_get::<String, _>(2)?,
                    format!("/branches/roll/{person}"),
                ),
                Cell::text(HonorKind::from_code(&kind).map_or(kind.clone(), |k| k.label().into())),
                Cell::opt(r.try_get(4)?),
                Cell::link(no.clone(), format!("/branches/honors/{}", urlencode(&no))),
            ]);
        }
    }
    let page = Page {
        title: "光荣榜".into(),
        crumbs: crumbs(("好支书与带富致富先锋", "/branches/honors"), "光荣榜"),
        facts: vec![fact("村(社区)数", Some(blocks.len().to_string()))],
        blocks,
        ..Page::default()
    };
    show(&state, &ctx, page, StatusCode::OK)
}

/// `GET /branches/roll/{person}`: one person's honours in scope.
pub async fn show_person_roll(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(person): Path<i64>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let (lo, hi) = user.scope.bounds();
    let rows = sqlx::query(
        "SELECT p.name, t.kind, t.status, t.nominated_on, t.awarded_on, t.honor_no, o.name
           FROM honor t JOIN person p ON p.id = t.person_id JOIN org_unit o ON o.code = t.org_code
          WHERE t.person_id = $1 AND t.org_code >= $2 AND t.org_code < $3
          ORDER BY t.nominated_on DESC, t.honor_no",
    )
    .bind(person)
    .bind(lo)
    .bind(hi)
    .fetch_all(pool)
    .await?;
    let Some(first) = rows.first() else {
        return Err(AppError::NotFound);
    };
    let name: String = first.try_get(0)?;
    let mut table = Table::new(&[
        "荣誉编号",
        "荣誉",
        "所属区划",
        "状态",
        "提名日期",
        "授予日期",
    ]);
    let mut awarded = 0;
    for r in &rows {
        let (kind, status): (String, String) = (r.try_get(1)?, r.try_get(2)?);
        if status == HonorStatus::Awarded.code() {
            awarded += 1;
        }
        let no: String = r.try_get(5)?;
        table.push(vec![
            Cell::link(no.clone(), format!("/branches/honors/{}", urlencode(&no))),
            Cell::text(HonorKind::from_code(&kind).map_or(kind.clone(), |k| k.label().into())),
            Cell::Text(r.try_get(6)?),
            Cell::text(
                HonorStatus::from_code(&status).map_or(status.clone(), |s| s.label().into()),
            ),
            Cell::Text(r.try_get(3)?),
            Cell::opt(r.try_get(4)?),
        ]);
    }
    let page = Page {
        title: format!("{name}的荣誉"),
        crumbs: crumbs(("光荣榜", "/branches/roll"), &name),
        facts: vec![
            fact_link("人员", name.clone(), format!("/people/{person}")),
            fact("已授予", Some(awarded.to_string())),
        ],
        blocks: vec![Block {
            caption: "荣誉记录".into(),
            note: None,
            table,
        }],
        ..Page::default()
    };
    show(&state, &ctx, page, StatusCode::OK)
}

// ---------------------------------------------------------------- 达标评定 and the standard

/// A standard: number, name, effective date, pass mark, model mark, interval in months.
#[derive(Debug, Clone)]
pub struct Standard {
    pub no: String,
    pub name: String,
    pub effective_on: String,
    pub pass_mark: String,
    pub model_mark: Option<String>,
    pub interval_months: u32,
}

/// Every standard, oldest first.
pub async fn standards(pool: &AnyPool) -> AppResult<Vec<Standard>> {
    sqlx::query(
        "SELECT standard_no, name, effective_on, pass_mark, model_mark, interval_months
           FROM branch_standard ORDER BY effective_on, standard_no",
    )
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        let months: String = r.try_get(5)?;
        Ok(Standard {
            no: r.try_get(0)?,
            name: r.try_get(1)?,
            effective_on: r.try_get(2)?,
            pass_mark: r.try_get(3)?,
            model_mark: r.try_get(4)?,
            interval_months: months.parse().unwrap_or(24),
        })
    })
    .collect::<Result<_, sqlx::Error>>()
    .map_err(Into::into)
}

/// The standard in force on `on`: the latest effective on or before it.
pub fn in_force<'a>(all: &'a [Standard], on: &str) -> Option<&'a Standard> {
    all.iter().rev().find(|s| s.effective_on.as_str() <= on)
}

/// (section code, section name, criteria: (code, seq, content, points, evidence)).
type Sections = Vec<(
    String,
    String,
    Vec<(String, String, String, String, Option<String>)>,
)>;

async fn sections_of(pool: &AnyPool, standard: &str) -> AppResult<Sections> {
    let mut out: Sections = Vec::new();
    let rows = sqlx::query(
        "SELECT s.section_code, s.seq, s.name, c.criterion_code, c.seq, c.content, c.points,
                c.evidence
           FROM standard_section s LEFT JOIN standard_criterion c ON c.section_code = s.section_code
          WHERE s.standard_no = $1",
    )
    .bind(standard)
    .fetch_all(pool)
    .await?;
    let num = |s: &str| s.parse::<u64>().unwrap_or(u64::MAX);
    let mut rows: Vec<_> = rows
        .iter()
        .map(|r| {
            Ok::<_, sqlx::Error>((
                r.try_get::<String, _>(0)?,
                r.try_get::<String, _>(1)?,
                r.try_get::<String, _>(2)?,
                r.try_get::<Option<String>, _>(3)?,
                r.try_get::<Option<String>, _>(4)?,
                r.try_get::<Option<String>, _>(5)?,
                r.try_get::<Option<String>, _>(6)?,
                r.try_get::<Option<String>, _>(7)?,
            ))
        })
        .collect::<Result<_, _>>()?;
    rows.sort_by_key(|r| (num(&r.1), r.0.clone(), r.4.as_deref().map_or(0, num)));
    for (code, _, name, crit, seq, content, points, evidence) in rows {
        if out.last().is_none_or(|s| s.0 != code) {
            out.push((code.clone(), name, Vec::new()));
        }
        if let (Some(c), Some(last)) = (crit, out.last_mut()) {
            last.2.push((
                c,
                seq.unwrap_or_default(),
                content.unwrap_or_default(),
                points.unwrap_or_default(),
                evidence,
            ));
        }
    }
    Ok(out)
}

fn cents(v: &str) -> i64 {
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    int.parse::<i64>().unwrap_or(0) * 100 + format!("{frac:0<2}")[..2].parse::<i64>().unwrap_or(0)
}

fn show_cents(c: i64) -> String {
    let s = format!("{}.{:02}", c / 100, c % 100);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

async fn assessment_page(state: &AppState, user: &CurrentUser, no: &str) -> AppResult<Page> {
    let pool = &state.db().pool;
    let id = locate(pool, &user.scope, "branch_assessment", "assessment_no", no).await?;
    let r = sqlx::query(
        "SELECT po.name, o.name, t.assessed_on, t.result, t.score, t.assessor, t.party_org_id,
                po.code, t.org_code
           FROM branch_assessment t JOIN party_org po ON po.id = t.party_org_id
           JOIN org_unit o ON o.code = t.org_code WHERE t.id = $1",
    )
    .bind(id)
    .fetch_one(pool)
    .await?;
    let on: String = r.try_get(2)?;
    let result: String = r.try_get(3)?;
    let all = standards(pool).await?;
    let standard = in_force(&all, &on).cloned();
    let mut scores: std::collections::HashMap<String, (String, Option<String>)> =
        std::collections::HashMap::new();
    for s in sqlx::query(
        "SELECT criterion_code, score, evidence FROM assessment_score WHERE assessment_id = $1",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    {
        scores.insert(s.try_get(0)?, (s.try_get(1)?, s.try_get(2)?));
    }
    let mut blocks = Vec::new();
    let mut total = 0i64;
    let mut full = 0i64;
    if let Some(std) = &standard {
        for (_, name, criteria) in sections_of(pool, &std.no).await? {
            let mut t = Table::new(&["序号", "指标", "分值", "佐证要求", "得分", "佐证"]);
            let (mut got, mut max) = (0i64, 0i64);
            for (code, seq, content, points, evidence) in criteria {
                max += cents(&points);
                let (score, seen) = scores.remove(&code).unzip();
                if let Some(s) = &score {
                    got += cents(s);
                }
                t.push(vec![
                    Cell::Text(seq),
                    Cell::Text(content),
                    Cell::Text(points),
                    Cell::opt(evidence),
                    Cell::opt(score),
                    Cell::opt(seen.flatten()),
                ]);
            }
            total += got;
            full += max;
            blocks.push(Block {
                caption: format!(
                    "{name}（得分 {}，满分 {}）",
                    show_cents(got),
                    show_cents(max)
                ),
                note: None,
                table: t,
            });
        }
    }
    let scored = full > 0 && total > 0;
    let verdict = standard.as_ref().filter(|_| scored).map(|s| {
        let model = s.model_mark.as_deref().is_some_and(|m| total >= cents(m));
        if model {
            "示范"
        } else if total >= cents(&s.pass_mark) {
            "达标"
        } else {
            "未达标"
        }
    });
    // The branch's history of assessments.
    let mut history = Table::new(&["评定编号", "评定日期", "结果", "得分", "评定人"]);
    for h in sqlx::query(
        "SELECT assessment_no, assessed_on, result, score, assessor FROM branch_assessment
          WHERE party_org_id = $1 ORDER BY assessed_on DESC, id DESC",
    )
    .bind(r.try_get::<i64, _>(6)?)
    .fetch_all(pool)
    .await?
    {
        let hno: String = h.try_get(0)?;
        let res: String = h.try_get(2)?;
        history.push(vec![
            Cell::link(
                hno.clone(),
                format!("/branches/assessments/{}", urlencode(&hno)),
            ),
            Cell::Text(h.try_get(1)?),
            Cell::text(AssessmentResult::from_code(&res).map_or(res.clone(), |x| x.label().into())),
            Cell::opt(h.try_get(3)?),
            Cell::opt(h.try_get(4)?),
        ]);
    }
    blocks.push(Block {
        caption: "该党组织的历次评定".into(),
        note: None,
        table: history,
    });
    let label = AssessmentResult::from_code(&result);
    Ok(Page {
        title: format!("达标评定 {no}"),
        crumbs: crumbs(("党支部达标评定", "/branches/assessments"), no),
        badge: label.map(|l| {
            (
                l.label().to_string(),
                if l == AssessmentResult::Failed {
                    "err"
                } else {
                    "ok"
                },
            )
        }),
        facts: vec![
            fact("党组织", r.try_get(0)?),
            fact_link(
                "所在区划",
                r.try_get(1)?,
                format!("/org-units/{}", r.try_get::<String, _>(8)?),
            ),
            fact("评定日期", Some(on)),
            fact("评定人", r.try_get(5)?),
            fact("登记得分", r.try_get(4)?),
            match &standard {
                Some(s) => fact_link(
                    "适用标准",
                    format!(
                        "{} {}（达标 {} 分{}）",
                        s.no,
                        s.name,
                        s.pass_mark,
                        s.model_mark
                            .as_ref()
                            .map_or(String::new(), |m| format!("，示范 {m} 分"))
                    ),
                    "/branches/standards".into(),
                ),
                None => fact("适用标准", None),
            },
            fact(
                "逐项得分合计",
                scored.then(|| format!("{} 分（满分 {}）", show_cents(total), show_cents(full))),
            ),
            fact("按标准判定", verdict.map(str::to_string)),
        ],
        blocks,
        ..Page::default()
    })
}

/// `GET /branches/assessments/{no}`: the scores per section, the verdict by the standard, and
/// the branch's history.
pub async fn show_assessment(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(no): Path<String>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let mut page = assessment_page(&state, &user, &no).await?;
    with_attachments(&state, &mut page, "assessment", &no).await?;
    show(&state, &ctx, page, StatusCode::OK)
}

/// `GET /branches/standards`: every standard with its sections and criteria.
pub async fn show_standards(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let all = standards(pool).await?;
    let current = in_force(&all, &today()).map(|s| s.no.clone());
    let mut facts = Vec::new();
    let mut blocks = Vec::new();
    for s in all.iter().rev() {
        facts.push(fact(
            &format!("{} {}", s.no, s.name),
            Some(format!(
                "{} 起施行；达标 {} 分{}；复评周期 {} 个月{}",
                s.effective_on,
                s.pass_mark,
                s.model_mark
                    .as_ref()
                    .map_or(String::new(), |m| format!("，示范 {m} 分")),
                s.interval_months,
                if current.as_deref() == Some(s.no.as_str()) {
                    "（现行）"
                } else {
                    ""
                }
            )),
        ));
        for (code, name, criteria) in sections_of(pool, &s.no).await? {
            let mut t = Table::new(&["指标编码", "序号", "指标", "分值", "佐证要求"]);
            let mut sum = 0;
            for (c, seq, content, points, evidence) in criteria {
                sum += cents(&points);
                t.push(vec![
                    Cell::Text(c),
                    Cell::Text(seq),
                    Cell::Text(content),
                    Cell::Text(points),
                    Cell::opt(evidence),
                ]);
            }
            blocks.push(Block {
                caption: format!("{} · {name}（{} 分）", s.no, show_cents(sum)),
                note: Some(format!("分项编码 {code}")),
                table: t,
            });
        }
    }
    let page = Page {
        title: "党支部标准化建设标准".into(),
        crumbs: crumbs(("党支部达标评定", "/branches/assessments"), "达标标准"),
        facts,
        blocks,
        ..Page::default()
    };
    show(&state, &ctx, page, StatusCode::OK)
}

/// `GET /branches/due`: village-level party orgs in scope never assessed, or whose latest
/// assessment is older than the interval of the standard it was made under (the village-level
/// orgs of `branches.standardized`).
pub async fn show_due(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<RollParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let Some(scope) = narrow_to_org(pool, &user.scope, p.org.as_deref()).await? else {
        return Err(AppError::NotFound);
    };
    let rows = due_rows(pool, &scope, dates::today()).await?;
    let mut table = Table::new(&["党组织", "所在区划", "最近评定", "结果", "应复评日期"]);
    for d in &rows {
        table.push(vec![
            Cell::Text(d.party_org.clone()),
            Cell::Text(d.unit.clone()),
            match &d.latest {
                Some((no, on, _)) => Cell::link(
                    format!("{no}（{on}）"),
                    format!("/branches/assessments/{}", urlencode(no)),
                ),
                None => Cell::Badge {
                    text: "从未评定".into(),
                    tone: "warn",
                },
            },
            Cell::opt(d.latest.as_ref().map(|l| {
                AssessmentResult::from_code(&l.2).map_or(l.2.clone(), |x| x.label().into())
            })),
            Cell::opt(d.due_on.map(|d| d.to_string())),
        ]);
    }
    let page = Page {
        title: "应复评的党组织".into(),
        crumbs: crumbs(("党支部达标评定", "/branches/assessments"), "应复评"),
        facts: vec![
            fact("应复评", Some(rows.len().to_string())),
            fact_link(
                "复评周期",
                "按所用达标标准".into(),
                "/branches/standards".into(),
            ),
        ],
        blocks: vec![Block {
            caption: "名单".into(),
            note: Some("村级党组织中从未评定，或最近一次评定已超过所用标准的复评周期的。".into()),
            table,
        }],
        ..Page::default()
    };
    show(&state, &ctx, page, StatusCode::OK)
}

/// A party org due for reassessment.
#[derive(Debug)]
pub struct Due {
    pub code: String,
    pub party_org: String,
    pub unit: String,
    /// (number, date, result) of the latest assessment
    pub latest: Option<(String, String, String)>,
    pub due_on: Option<NaiveDate>,
}

/// The village-level party orgs in scope due for reassessment on `at`.
pub async fn due_rows(pool: &AnyPool, scope: &Scope, at: NaiveDate) -> AppResult<Vec<Due>> {
    let all = standards(pool).await?;
    let (lo, hi) = scope.bounds();
    let rows = sqlx::query(
        "SELECT po.code, po.name, o.name,
                (SELECT a.assessment_no FROM branch_assessment a WHERE a.party_org_id = po.id
                   AND a.assessed_on <= $3 ORDER BY a.assessed_on DESC, a.id DESC LIMIT 1)
           FROM party_org po JOIN org_unit o ON o.code = po.org_code
           LEFT JOIN party_org pp ON pp.code = po.parent_code
          WHERE po.org_code >= $1 AND po.org_code < $2
            AND o.kind IN ('admin_village', 'community')
            AND (o.revoked_on IS NULL OR o.revoked_on > $3)
            AND (pp.id IS NULL OR pp.org_code <> po.org_code)
          ORDER BY po.org_code, po.code",
    )
    .bind(lo)
    .bind(hi)
    .bind(at.to_string())
    .fetch_all(pool)
    .await?;
    let mut latest: std::collections::HashMap<String, (String, String)> =
        std::collections::HashMap::new();
    let nos: Vec<String> = rows
        .iter()
        .filter_map(|r| r.try_get::<Option<String>, _>(3).ok().flatten())
        .collect();
    for r in crate::workbook::load::select_in(
        pool,
        "SELECT assessment_no, assessed_on, result FROM branch_assessment WHERE assessment_no IN",
        &nos,
    )
    .await?
    {
        latest.insert(r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?));
    }
    let mut out = Vec::new();
    for r in &rows {
        let no: Option<String> = r.try_get(3)?;
        let last = no.and_then(|n| {
            latest
                .get(&n)
                .map(|(on, res)| (n.clone(), on.clone(), res.clone()))
        });
        let due_on = match &last {
            None => None,
            Some((_, on, _)) => {
                let months = in_force(&all, on)
                    .or(all.last())
                    .map_or(24, |s| s.interval_months);
                NaiveDate::parse_from_str(on, "%Y-%m-%d")
                    .ok()
                    .and_then(|d| d.checked_add_months(Months::new(months)))
            }
        };
        if last.is_none() || due_on.is_some_and(|d| d <= at) {
            out.push(Due {
                code: r.try_get(0)?,
                party_org: r.try_get(1)?,
                unit: r.try_get(2)?,
                latest: last,
                due_on,
            });
        }
    }
    Ok(out)
}

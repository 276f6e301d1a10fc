//! The branch-work lists (`/branches/projects`, `/branches/rectifications`,
//! `/branches/problems`, `/branches/honors`, `/branches/sites`, `/branches/assessments`,
//! `/branches/contests`): one [`ListKind`] per list, served by the table-driven list of
//! `web/records.rs` with filters (所在单位, 状态, text) above a paginated table and an export.
//! Lists are in scope by the record's org unit; a record's number links to its page.

use axum::extract::{Query, State};
use axum::response::Response;
use sqlx::Row;
use sqlx::any::AnyRow;
use xingcun_domain::enums::{
    AssessmentResult, ContestStatus, HonorKind, HonorStatus, ProjectStatus,
};

use crate::accounts::CurrentUser;
use crate::app::AppState;
use crate::error::AppResult;
use crate::web::Ctx;
use crate::web::list::Cell;
use crate::web::records::{ListKind, ListParams, list, o, t};
use crate::workbook::sheets;

const LINE: &str = "筑先锋堡垒";

/// The record's number, linking to its page under `base`.
fn linked(r: &AnyRow, i: usize, base: &str) -> Result<Cell, sqlx::Error> {
    let no: String = r.try_get(i)?;
    Ok(Cell::link(
        no.clone(),
        format!("{base}/{}", crate::web::urlencode(&no)),
    ))
}

fn word(code: String, label: Option<&'static str>) -> Cell {
    Cell::text(label.map_or(code, str::to_string))
}

pub static PROJECTS: ListKind = ListKind {
    path: "/branches/projects",
    title: "兴办实事",
    line: LINE,
    sheet: &sheets::PRACTICAL_PROJECTS,
    columns: &[
        "实事编号",
        "村(社区)",
        "名称",
        "投资金额（万元）",
        "受益人数",
        "状态",
        "开工日期",
        "完成日期",
    ],
    select: "t.project_no, o.name, t.name, t.cost, t.beneficiaries, t.status, t.started_on,
             t.completed_on",
    from: "practical_project t JOIN org_unit o ON o.code = t.org_code",
    org: "t.org_code",
    text: &["t.project_no", "t.name"],
    states: &[
        ("planned", "计划", "t.status = 'planned'"),
        ("in_progress", "实施中", "t.status = 'in_progress'"),
        ("completed", "已完成", "t.status = 'completed'"),
    ],
    order: "t.project_no",
    date: None,
    edit_links: false,
    titled_export: true,
    attachments: None,
    extra: None,
    cells: |r| {
        let status: String = r.try_get(5)?;
        let label = ProjectStatus::from_code(&status).map(ProjectStatus::label);
        Ok(vec![
            linked(r, 0, "/branches/projects")?,
            t(r, 1)?,
            t(r, 2)?,
            o(r, 3)?,
            o(r, 4)?,
            word(status, label),
            o(r, 6)?,
            o(r, 7)?,
        ])
    },
};

pub static RECTIFICATIONS: ListKind = ListKind {
    path: "/branches/rectifications",
    title: "软弱涣散党组织整顿",
    line: LINE,
    sheet: &sheets::RECTIFICATIONS,
    columns: &[
        "整顿编号",
        "党组织",
        "所在区划",
        "认定日期",
        "软弱涣散原因",
        "问题数",
        "已解决",
        "验收销号日期",
    ],
    select: "t.case_no, po.name, o.name, t.found_on, t.reasons,
             (SELECT COUNT(*) FROM rectification_problem p WHERE p.case_id = t.id),
             (SELECT COUNT(*) FROM rectification_problem p
               WHERE p.case_id = t.id AND p.solved_on IS NOT NULL),
             t.accepted_on",
    from: "rectification t JOIN party_org po ON po.id = t.party_org_id
           JOIN org_unit o ON o.code = t.org_code",
    org: "t.org_code",
    text: &["t.case_no", "po.name"],
    states: &[
        ("open", "整顿中", "t.accepted_on IS NULL"),
        ("accepted", "已验收销号", "t.accepted_on IS NOT NULL"),
    ],
    order: "t.case_no",
    date: None,
    edit_links: false,
    titled_export: true,
    attachments: None,
    extra: None,
    cells: |r| {
        Ok(vec![
            linked(r, 0, "/branches/rectifications")?,
            t(r, 1)?,
            t(r, 2)?,
            t(r, 3)?,
            t(r, 4)?,
            Cell::Int(r.try_get(5)?),
            Cell::Int(r.try_get(6)?),
            o(r, 7)?,
        ])
    },
};

pub static PROBLEMS: ListKind = ListKind {
    path: "/branches/problems",
    title: "整顿问题",
    line: LINE,
    sheet: &sheets::RECTIFICATION_PROBLEMS,
    columns: &[
        "整顿编号",
        "问题序号",
        "党组织",
        "问题",
        "整改措施",
        "责任人",
        "整改时限",
        "解决日期",
    ],
    select: "r.case_no, t.problem_no, po.name, t.description, t.measure, t.responsible,
             t.deadline_on, t.solved_on",
    from: "rectification_problem t JOIN rectification r ON r.id = t.case_id
           JOIN party_org po ON po.id = r.party_org_id",
    org: "t.org_code",
    text: &["r.case_no", "t.description"],
    states: &[
        ("open", "未解决", "t.solved_on IS NULL"),
        (
            "overdue",
            "超期未解决",
            "t.solved_on IS NULL AND t.deadline_on < {today}",
        ),
        ("solved", "已解决", "t.solved_on IS NOT NULL"),
    ],
    order: "r.case_no, t.problem_no",
    date: None,
    edit_links: false,
    titled_export: true,
    attachments: None,
    extra: None,
    cells: |r| {
        Ok(vec![
            t(r, 0)?,
            t(r, 1)?,
            t(r, 2)?,
            t(r, 3)?,
            o(r, 4)?,
            o(r, 5)?,
            o(r, 6)?,
            o(r, 7)?,
        ])
    },
};

pub static HONORS: ListKind = ListKind {
    path: "/branches/honors",
    title: "好支书与带富致富先锋",
    line: LINE,
    sheet: &sheets::HONORS,
    columns: &[
        "荣誉编号",
        "荣誉类型",
        "姓名",
        "所属区划",
        "状态",
        "提名日期",
        "公示期",
        "授予日期",
    ],
    select: "t.honor_no, t.kind, p.name, o.name, t.status, t.nominated_on, t.notice_starts_on,
             t.notice_ends_on, t.awarded_on",
    from: "honor t JOIN person p ON p.id = t.person_id JOIN org_unit o ON o.code = t.org_code",
    org: "t.org_code",
    text: &["t.honor_no", "p.name"],
    states: &[
        ("nominated", "提名", "t.status = 'nominated'"),
        ("reviewed", "审核通过", "t.status = 'reviewed'"),
        ("notice", "公示", "t.status = 'notice'"),
        ("awarded", "已授予", "t.status = 'awarded'"),
        ("rejected", "未通过", "t.status = 'rejected'"),
    ],
    order: "t.honor_no",
    date: None,
    edit_links: false,
    titled_export: true,
    attachments: None,
    extra: Some(("/branches/roll", "光荣榜")),
    cells: |r| {
        let kind: String = r.try_get(1)?;
        let kind_label = HonorKind::from_code(&kind).map(HonorKind::label);
        let status: String = r.try_get(4)?;
        let status_label = HonorStatus::from_code(&status).map(HonorStatus::label);
        let from: Option<String> = r.try_get(6)?;
        let to: Option<String> = r.try_get(7)?;
        let notice = match (from, to) {
            (Some(a), Some(b)) => Cell::text(format!("{a} 至 {b}")),
            _ => Cell::Empty,
        };
        Ok(vec![
            linked(r, 0, "/branches/honors")?,
            word(kind, kind_label),
            t(r, 2)?,
            t(r, 3)?,
            word(status, status_label),
            t(r, 5)?,
            notice,
            o(r, 8)?,
        ])
    },
};

pub static SITES: ListKind = ListKind {
    path: "/branches/sites",
    title: "党建示范点",
    line: LINE,
    sheet: &sheets::MODEL_SITES,
    columns: &["示范点编号", "名称", "所属区划", "命名日期", "撤销日期"],
    select: "t.site_no, t.name, o.name, t.starts_on, t.ends_on",
    from: "model_site t JOIN org_unit o ON o.code = t.org_code",
    org: "t.org_code",
    text: &["t.site_no", "t.name"],
    states: &[
        (
            "active",
            "有效",
            "t.starts_on <= {today} AND (t.ends_on IS NULL OR t.ends_on > {today})",
        ),
        (
            "ended",
            "已撤销或期满",
            "t.ends_on IS NOT NULL AND t.ends_on <= {today}",
        ),
    ],
    order: "t.site_no",
    date: None,
    edit_links: false,
    titled_export: true,
    attachments: Some("site"),
    extra: None,
    cells: |r| Ok(vec![t(r, 0)?, t(r, 1)?, t(r, 2)?, t(r, 3)?, o(r, 4)?]),
};

pub static ASSESSMENTS: ListKind = ListKind {
    path: "/branches/assessments",
    title: "党支部达标评定",
    line: LINE,
    sheet: &sheets::ASSESSMENTS,
    columns: &[
        "评定编号",
        "党组织",
        "所在区划",
        "评定日期",
        "结果",
        "得分",
        "评定人",
    ],
    select: "t.assessment_no, po.name, o.name, t.assessed_on, t.result, t.score, t.assessor",
    from: "branch_assessment t JOIN party_org po ON po.id = t.party_org_id
           JOIN org_unit o ON o.code = t.org_code",
    org: "t.org_code",
    text: &["t.assessment_no", "po.name"],
    states: &[
        ("model", "示范", "t.result = 'model'"),
        ("passed", "达标", "t.result = 'passed'"),
        ("failed", "未达标", "t.result = 'failed'"),
    ],
    order: "t.assessed_on DESC, t.assessment_no",
    date: None,
    edit_links: false,
    titled_export: true,
    attachments: None,
    extra: Some(("/branches/due", "应复评名单")),
    cells: |r| {
        let result: String = r.try_get(4)?;
        let label = AssessmentResult::from_code(&result).map(AssessmentResult::label);
        Ok(vec![
            linked(r, 0, "/branches/assessments")?,
            t(r, 1)?,
            t(r, 2)?,
            t(r, 3)?,
            word(result, label),
            o(r, 5)?,
            o(r, 6)?,
        ])
    },
};

pub static CONTESTS: ListKind = ListKind {
    path: "/branches/contests",
    title: "擂台赛",
    line: LINE,
    sheet: &sheets::CONTESTS,
    columns: &[
        "赛事编号",
        "名称",
        "比赛日期",
        "主办单位",
        "选手数",
        "评委数",
        "状态",
    ],
    select: "t.contest_no, t.title, t.held_on, o.name,
             (SELECT COUNT(*) FROM contestant c WHERE c.contest_id = t.id),
             (SELECT COUNT(*) FROM contest_judge j WHERE j.contest_id = t.id), t.status",
    from: "contest t JOIN org_unit o ON o.code = t.org_code",
    org: "t.org_code",
    text: &["t.contest_no", "t.title"],
    states: &[
        ("draft", "筹备", "t.status = 'draft'"),
        ("scoring", "评分中", "t.status = 'scoring'"),
        ("published", "已公布", "t.status = 'published'"),
    ],
    order: "t.held_on DESC, t.contest_no",
    date: None,
    edit_links: false,
    titled_export: true,
    attachments: None,
    extra: None,
    cells: |r| {
        let status: String = r.try_get(6)?;
        let label = ContestStatus::from_code(&status).map(ContestStatus::label);
        Ok(vec![
            linked(r, 0, "/branches/contests")?,
            t(r, 1)?,
            t(r, 2)?,
            t(r, 3)?,
            Cell::Int(r.try_get(4)?),
            Cell::Int(r.try_get(5)?),
            word(status, label),
        ])
    },
};

/// Every list, in the order of the left menu.
pub static LISTS: &[&ListKind] = &[
    &PROJECTS,
    &RECTIFICATIONS,
    &PROBLEMS,
    &HONORS,
    &SITES,
    &ASSESSMENTS,
    &CONTESTS,
];

/// `GET /branches/projects`.
pub async fn list_projects(
    State(s): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    list(&PROJECTS, s, ctx, user, p).await
}

/// `GET /branches/rectifications`.
pub async fn list_rectifications(
    State(s): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    list(&RECTIFICATIONS, s, ctx, user, p).await
}

/// `GET /branches/problems`.
pub async fn list_problems(
    State(s): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    list(&PROBLEMS, s, ctx, user, p).await
}

/// `GET /branches/honors`.
pub async fn list_honors(
    State(s): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    list(&HONORS, s, ctx, user, p).await
}

/// `GET /branches/assessments`.
pub async fn list_assessments(
    State(s): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    list(&ASSESSMENTS, s, ctx, user, p).await
}

/// `GET /branches/sites`.
pub async fn list_sites(
    State(s): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    list(&SITES, s, ctx, user, p).await
}

/// `GET /branches/contests`.
pub async fn list_contests(
    State(s): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    list(&CONTESTS, s, ctx, user, p).await
}

//! The conduct lists (`/conduct/study-sessions`, `/conduct/findings`, `/conduct/exemplars`)
//! and an exemplar's page with its story (`/conduct/exemplars/{id}`).

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use minijinja::context;

use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::registry::forms::form_of;
use crate::web::list::{Cell, Crumb};
use crate::web::records::{ListKind, ListParams, list, o, t};
use crate::web::{Ctx, render};
use crate::workbook::sheets::{self, SheetId};

const LINE: &str = "强化作风建设";

pub static STUDY_SESSIONS: ListKind = ListKind {
    path: "/conduct/study-sessions",
    title: "理论学习",
    line: LINE,
    sheet: &sheets::STUDY_SESSIONS,
    columns: &[
        "学习编号",
        "学习日期",
        "党组织",
        "所在区划",
        "地点",
        "主题",
        "参加人数",
        "参加人员",
    ],
    select: "t.session_no, t.held_on, po.name, o.name, t.place, t.topic, t.attendance,
             t.attendees",
    from: "study_session t JOIN party_org po ON po.id = t.party_org_id
           JOIN org_unit o ON o.code = t.org_code",
    org: "t.org_code",
    text: &["t.session_no", "t.topic", "po.name"],
    states: &[],
    date: Some("t.held_on"),
    edit_links: true,
    titled_export: false,
    attachments: Some("study_session"),
    extra: None,
    order: "t.held_on DESC, t.session_no",
    cells: |r| {
        Ok(vec![
            t(r, 0)?,
            t(r, 1)?,
            t(r, 2)?,
            t(r, 3)?,
            o(r, 4)?,
            t(r, 5)?,
            o(r, 6)?,
            o(r, 7)?,
        ])
    },
};

pub static FINDINGS: ListKind = ListKind {
    path: "/conduct/findings",
    title: "监督检查发现问题",
    line: LINE,
    sheet: &sheets::SUPERVISION_FINDINGS,
    columns: &[
        "问题编号",
        "所属区划",
        "发现日期",
        "检查来源",
        "问题描述",
        "整改措施",
        "整改时限",
        "整改完成日期",
    ],
    select: "t.finding_no, o.name, t.found_on, t.source, t.description, t.measures,
             t.deadline_on, t.rectified_on",
    from: "supervision_finding t JOIN org_unit o ON o.code = t.org_code",
    org: "t.org_code",
    text: &["t.finding_no", "t.description", "t.source"],
    states: &[
        ("open", "未整改", "t.rectified_on IS NULL"),
        (
            "overdue",
            "超期未整改",
            "t.rectified_on IS NULL AND t.deadline_on < {today}",
        ),
        ("rectified", "已整改", "t.rectified_on IS NOT NULL"),
    ],
    date: Some("t.found_on"),
    edit_links: true,
    titled_export: false,
    attachments: Some("finding"),
    extra: None,
    order: "t.found_on DESC, t.finding_no",
    cells: |r| {
        Ok(vec![
            t(r, 0)?,
            t(r, 1)?,
            t(r, 2)?,
            o(r, 3)?,
            t(r, 4)?,
            o(r, 5)?,
            o(r, 6)?,
            o(r, 7)?,
        ])
    },
};

pub static EXEMPLARS: ListKind = ListKind {
    path: "/conduct/exemplars",
    title: "先进典型",
    line: LINE,
    sheet: &sheets::EXEMPLARS,
    columns: &["典型编号", "事迹标题", "姓名", "所属区划", "发布日期"],
    select: "t.exemplar_no, t.title, p.name, o.name, t.published_on, t.id",
    from: "exemplar t JOIN org_unit o ON o.code = t.org_code
           LEFT JOIN person p ON p.id = t.person_id",
    org: "t.org_code",
    text: &["t.exemplar_no", "t.title", "p.name"],
    states: &[],
    date: Some("t.published_on"),
    edit_links: true,
    titled_export: false,
    attachments: None,
    extra: None,
    order: "t.published_on DESC, t.exemplar_no",
    cells: |r| {
        let id: i64 = sqlx::Row::try_get(r, 5)?;
        let title: String = sqlx::Row::try_get(r, 1)?;
        Ok(vec![
            t(r, 0)?,
            Cell::link(title, format!("/conduct/exemplars/{id}")),
            o(r, 2)?,
            t(r, 3)?,
            t(r, 4)?,
        ])
    },
};

/// `GET /conduct/study-sessions`.
pub async fn list_study_sessions(
    State(s): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    list(&STUDY_SESSIONS, s, ctx, user, p).await
}

/// `GET /conduct/findings`.
pub async fn list_findings(
    State(s): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    list(&FINDINGS, s, ctx, user, p).await
}

/// `GET /conduct/exemplars`.
pub async fn list_exemplars(
    State(s): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    list(&EXEMPLARS, s, ctx, user, p).await
}

/// `GET /conduct/exemplars/{id}`: an exemplar and its story; outside the scope, 404.
pub async fn show_exemplar(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let e = super::exemplar(&state.db().pool, &user.scope, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let crumbs = vec![
        Crumb {
            label: LINE.into(),
            href: None,
        },
        Crumb {
            label: "先进典型".into(),
            href: Some(EXEMPLARS.path.into()),
        },
        Crumb {
            label: e.title.clone(),
            href: None,
        },
    ];
    let edit_href = user
        .can(Permission::WriteData)
        .then(|| form_of(SheetId::Exemplars).edit_href(&e.exemplar_no));
    Ok(render(
        &state,
        &ctx,
        "pages/exemplar.html",
        context! { e => e, crumbs => crumbs, edit_href => edit_href },
    )?
    .into_response())
}

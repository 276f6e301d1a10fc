//! The event lists: `/events/law-outreach` (法律进农村) and `/events/civility` (移风易俗).

use axum::extract::{Query, State};
use axum::response::Response;

use crate::accounts::CurrentUser;
use crate::app::AppState;
use crate::error::AppResult;
use crate::web::Ctx;
use crate::web::records::{ListKind, ListParams, list, o, t};
use crate::workbook::sheets;

const EVENT_COLUMNS: &[&str] = &[
    "活动编号",
    "活动日期",
    "所属区划",
    "地点",
    "主办单位",
    "主题",
    "参加人数",
    "参加人员",
];

const EVENT_SELECT: &str =
    "t.event_no, t.held_on, o.name, t.place, t.organizer, t.topic, t.attendance, t.attendees";

fn event_cells(r: &sqlx::any::AnyRow) -> Result<Vec<crate::web::list::Cell>, sqlx::Error> {
    Ok(vec![
        t(r, 0)?,
        t(r, 1)?,
        t(r, 2)?,
        o(r, 3)?,
        o(r, 4)?,
        t(r, 5)?,
        o(r, 6)?,
        o(r, 7)?,
    ])
}

pub static LAW_OUTREACH: ListKind = ListKind {
    path: "/events/law-outreach",
    title: "法律进农村活动",
    line: "深化社会治理",
    sheet: &sheets::LAW_OUTREACH_EVENTS,
    columns: EVENT_COLUMNS,
    select: EVENT_SELECT,
    from: "law_outreach_event t JOIN org_unit o ON o.code = t.org_code",
    org: "t.org_code",
    text: &["t.event_no", "t.topic", "t.place"],
    states: &[],
    date: Some("t.held_on"),
    edit_links: true,
    titled_export: false,
    attachments: Some("law_event"),
    extra: None,
    order: "t.held_on DESC, t.event_no",
    cells: event_cells,
};

pub static CIVILITY: ListKind = ListKind {
    path: "/events/civility",
    title: "移风易俗活动",
    line: "深化社会治理",
    sheet: &sheets::CIVILITY_EVENTS,
    columns: EVENT_COLUMNS,
    select: EVENT_SELECT,
    from: "civility_event t JOIN org_unit o ON o.code = t.org_code",
    org: "t.org_code",
    text: &["t.event_no", "t.topic", "t.place"],
    states: &[],
    date: Some("t.held_on"),
    edit_links: true,
    titled_export: false,
    attachments: Some("civility_event"),
    extra: None,
    order: "t.held_on DESC, t.event_no",
    cells: event_cells,
};

/// `GET /events/law-outreach`.
pub async fn list_law_outreach(
    State(s): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    list(&LAW_OUTREACH, s, ctx, user, p).await
}

/// `GET /events/civility`.
pub async fn list_civility(
    State(s): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    list(&CIVILITY, s, ctx, user, p).await
}

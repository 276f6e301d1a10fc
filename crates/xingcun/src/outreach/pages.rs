//! The outreach list pages (`/outreach/{kind}`), the end action of an assignment
//! (`/outreach/{kind}/end`), and coverage at a glance (`/outreach/coverage`).

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use minijinja::context;
use serde::{Deserialize, Serialize};
use sqlx::AnyPool;

use super::coverage::{self, Gap, GapLine};
use super::records::{self, ListKind, RecordFilter};
use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::org::OrgFilter;
use crate::org::pages::xlsx_download;
use crate::registry::forms::form_of;
use crate::registry::narrow_to_org;
use crate::scope::Scope;
use crate::web::list::{Crumb, Filter, ListView, PageParams, Pagination, query_of};
use crate::web::{Ctx, render, urlencode};

/// The group every outreach page sits in.
const GROUP: &str = "筑先锋堡垒";

fn crumbs(list: (&str, &str), here: Option<&str>) -> Vec<Crumb> {
    let mut c = vec![
        Crumb {
            label: GROUP.into(),
            href: None,
        },
        Crumb {
            label: list.0.into(),
            href: here.is_some().then(|| list.1.to_string()),
        },
    ];
    if let Some(h) = here {
        c.push(Crumb {
            label: h.into(),
            href: None,
        });
    }
    c
}

/// The units a page can be asked about: the user's subtree down to villages, indented.
pub async fn unit_options(pool: &AnyPool, scope: &Scope) -> AppResult<Vec<(String, String)>> {
    let units = crate::org::list(pool, scope, &OrgFilter::default(), 0, 100_000).await?;
    let top = units.iter().map(|u| u.kind().level()).min().unwrap_or(0);
    Ok(units
        .iter()
        .filter(|u| u.kind().level() < 3 || u.kind().level() == top)
        .map(|u| {
            let indent = "　".repeat(usize::from(u.kind().level() - top));
            (u.code.clone(), format!("{indent}{}", u.name))
        })
        .collect())
}

#[derive(Debug, Deserialize, Default)]
pub struct ListParams {
    #[serde(flatten)]
    pub filter: RecordFilter,
    #[serde(flatten)]
    pub page: PageParams,
    pub export: Option<String>,
}

/// `GET /outreach/{kind}`: filters (所属区划, text, 当前有效/已结束), a paginated table with
/// edit and end actions, export to .xlsx.
pub async fn list_records(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(slug): Path<String>,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let kind = records::list_kind(&slug).ok_or(AppError::NotFound)?;
    let pool = &state.db().pool;
    let today = crate::dates::today();
    let scope = narrow_to_org(pool, &user.scope, p.filter.org.as_deref()).await?;
    if p.export.as_deref() == Some("xlsx") {
        let rows = match &scope {
            Some(s) => kind.rows(pool, s, &p.filter, today, 0, 100_000).await?,
            None => Vec::new(),
        };
        return Ok(xlsx_download(
            kind.table(&rows, false).to_xlsx(kind.sheet.name)?,
            &format!("{}.xlsx", kind.title),
        ));
    }
    let total = match &scope {
        Some(s) => kind.count(pool, s, &p.filter, today).await?,
        None => 0,
    };
    let pagination = Pagination::new(p.page, total);
    let rows = match &scope {
        Some(s) => {
            kind.rows(
                pool,
                s,
                &p.filter,
                today,
                pagination.offset(),
                pagination.limit(),
            )
            .await?
        }
        None => Vec::new(),
    };
    let writer = user.can(Permission::WriteData);
    let f = &p.filter;
    let mut filters = vec![
        Filter::select(
            "org",
            "所属区划",
            f.org.as_deref(),
            unit_options(pool, &user.scope).await?,
        ),
        Filter::text("q", "关键字", f.q.as_deref()),
    ];
    if kind.endable() {
        filters.push(Filter::select(
            "status",
            "状态",
            f.status.as_deref(),
            vec![
                ("current".into(), "当前有效".into()),
                ("ended".into(), "已结束".into()),
            ],
        ));
    }
    let view = ListView {
        title: kind.title.into(),
        breadcrumb: crumbs((kind.title, &kind.href()), None),
        query: query_of(&filters),
        filters,
        table: kind.table(&rows, writer),
        pagination,
        new_href: writer.then(|| form_of(kind.sheet.id).new_href()),
        export: true,
    };
    let (extra_link, extra_label) = match kind.slug {
        "teams" => (Some("/outreach/team-members"), Some("工作队成员")),
        _ => (None, None),
    };
    Ok(render(
        &state,
        &ctx,
        "pages/list.html",
        context! { view => view, extra_link => extra_link, extra_label => extra_label },
    )?
    .into_response())
}

/// A stored record of an endable list, in the user's scope: its canonical values.
async fn endable_record(
    state: &AppState,
    user: &CurrentUser,
    kind: &ListKind,
    id: i64,
) -> AppResult<Vec<Option<String>>> {
    if !kind.endable() {
        return Err(AppError::NotFound);
    }
    let rec = crate::workbook::outreach::records(&state.db().pool, state.crypto(), kind.sheet)
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or(AppError::NotFound)?;
    match rec.org.as_deref() {
        Some(org) if user.scope.contains(org) => Ok(rec.values),
        _ => Err(AppError::NotFound),
    }
}

/// What the end page says about the record: its values by column, ID numbers left out.
fn describe(kind: &ListKind, values: &[Option<String>]) -> Vec<(String, String)> {
    kind.sheet
        .columns
        .iter()
        .zip(values)
        .filter(|(c, _)| c.kind != crate::workbook::sheets::Kind::IdNumber)
        .filter_map(|(c, v)| {
            v.as_ref().map(|v| {
                let shown = match c.kind {
                    crate::workbook::sheets::Kind::Enum(e) => e.label(v).unwrap_or(v).to_string(),
                    crate::workbook::sheets::Kind::Bool => {
                        if v == "1" { "是" } else { "否" }.to_string()
                    }
                    _ => v.clone(),
                };
                (c.header.to_string(), shown)
            })
        })
        .collect()
}

#[derive(Debug, Deserialize, Serialize, Default)]
pub struct EndParams {
    pub id: Option<String>,
    #[serde(default)]
    pub ends_on: String,
}

fn parse_id(s: Option<&str>) -> AppResult<i64> {
    s.and_then(|s| s.trim().parse().ok())
        .ok_or(AppError::NotFound)
}

fn end_page(
    state: &AppState,
    ctx: &Ctx,
    kind: &ListKind,
    id: i64,
    values: &[Option<String>],
    ends_on: &str,
    errors: Vec<String>,
) -> AppResult<Html<String>> {
    let end_col = kind.end_column().unwrap_or_default();
    render(
        state,
        ctx,
        "pages/outreach_end.html",
        context! {
            crumbs => crumbs((kind.title, &kind.href()), Some("结束")),
            title => kind.title,
            action => format!("{}/end", kind.href()),
            cancel_href => kind.href(),
            id => id,
            fields => describe(kind, values),
            end_label => kind.sheet.columns[end_col].header,
            ends_on => ends_on,
            errors => errors,
        },
    )
}

/// `GET /outreach/{kind}/end?id=…`: ending an assignment (or revoking a team) asks one date.
pub async fn end_record_page(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(slug): Path<String>,
    Query(p): Query<EndParams>,
) -> AppResult<Response> {
    user.require(Permission::WriteData)?;
    let kind = records::list_kind(&slug).ok_or(AppError::NotFound)?;
    let Ok(id) = parse_id(p.id.as_deref()) else {
        return Ok(Redirect::to(&kind.href()).into_response());
    };
    let values = endable_record(&state, &user, kind, id).await?;
    let today = crate::dates::today().to_string();
    Ok(end_page(&state, &ctx, kind, id, &values, &today, Vec::new())?.into_response())
}

/// `POST /outreach/{kind}/end`: writes the end date through the import; the record stays.
pub async fn end_record(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(slug): Path<String>,
    Form(p): Form<EndParams>,
) -> AppResult<Response> {
    user.require(Permission::WriteData)?;
    let kind = records::list_kind(&slug).ok_or(AppError::NotFound)?;
    let id = parse_id(p.id.as_deref())?;
    let mut values = endable_record(&state, &user, kind, id).await?;
    let end_col = kind.end_column().ok_or(AppError::NotFound)?;
    let refuse = |values: &[Option<String>], errors: Vec<String>| -> AppResult<Response> {
        Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            end_page(&state, &ctx, kind, id, values, &p.ends_on, errors)?,
        )
            .into_response())
    };
    let Ok(on) = NaiveDate::parse_from_str(p.ends_on.trim(), "%Y-%m-%d") else {
        return refuse(&values, vec!["请填写日期（YYYY-MM-DD）".into()]);
    };
    values[end_col] = Some(on.to_string());
    match super::import_row(&state, &user, kind.sheet, values.clone()).await? {
        Ok(()) => Ok(Redirect::to(&kind.href()).into_response()),
        Err(problems) => refuse(&values, super::messages(&problems)),
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct CoverageParams {
    pub org: Option<String>,
    pub date: Option<String>,
}

/// One gap of the coverage page.
#[derive(Debug, Serialize)]
struct GapView {
    gap: Gap,
    title: &'static str,
    fix_label: &'static str,
    count: usize,
    lines: Vec<GapLine>,
    more: usize,
}

/// A child unit's counts.
#[derive(Debug, Serialize)]
struct ChildRow {
    name: String,
    href: String,
    counts: Vec<usize>,
}

/// Lines shown per gap; the rest are counted (and listed on the unit below, or in 预警).
const SHOWN: usize = 200;

/// `GET /outreach/coverage?org=…&date=…`: the four gaps of the unit at the date, counted and
/// listed, each line with the link to the form that closes it; the counts of each unit below.
pub async fn show_coverage(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<CoverageParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let code = p
        .org
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .unwrap_or(&user.org_code)
        .to_string();
    let unit = crate::org::find(pool, &user.scope, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = crate::dates::today();
    let date_error = p
        .date
        .as_deref()
        .filter(|d| !d.trim().is_empty())
        .is_some_and(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").is_err());
    let at = p
        .date
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
        .unwrap_or(today);
    let gaps = coverage::all_gaps(pool, &unit.scope(), at).await?;
    let children = crate::org::children(pool, &user.scope, &unit.code).await?;
    let mut child_rows = Vec::new();
    for c in children.iter().filter(|c| c.kind().level() < 3) {
        let counts = gaps
            .iter()
            .map(|(_, lines)| {
                lines
                    .iter()
                    .filter(|l| l.org_code.starts_with(&c.scope_prefix))
                    .count()
            })
            .collect();
        child_rows.push(ChildRow {
            name: c.name.clone(),
            href: format!("/outreach/coverage?org={}&date={}", urlencode(&c.code), at),
            counts,
        });
    }
    let views: Vec<GapView> = gaps
        .into_iter()
        .map(|(gap, lines)| {
            let count = lines.len();
            GapView {
                gap,
                title: gap.title(),
                fix_label: gap.fix_label(),
                count,
                more: count.saturating_sub(SHOWN),
                lines: lines.into_iter().take(SHOWN).collect(),
            }
        })
        .collect();
    Ok(render(
        &state,
        &ctx,
        "pages/outreach_coverage.html",
        context! {
            crumbs => crumbs(("覆盖情况", "/outreach/coverage"), Some(&unit.name)),
            unit => unit,
            units => unit_options(pool, &user.scope).await?,
            date => at.to_string(),
            date_error => date_error,
            gaps => views,
            children => child_rows,
            shown => SHOWN,
        },
    )?
    .into_response())
}

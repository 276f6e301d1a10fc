//! The industry lists: cooperatives and family farms (`/industry/businesses`) and rural tourism
//! projects (`/industry/tourism`), each with filters above a paginated table and an export.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use minijinja::context;
use serde::Deserialize;

use super::{Business, BusinessFilter, TourismProject};
use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::dates;
use crate::error::{AppError, AppResult};
use crate::org::pages::xlsx_download;
use crate::registry::narrow_to_org;
use crate::registry::pages::{options, org_options};
use crate::web::list::{Cell, Crumb, Filter, ListView, PageParams, Pagination, Table, query_of};
use crate::web::{Ctx, render};
use crate::workbook::sheets::BUSINESS_KINDS;

fn crumbs(label: &str) -> Vec<Crumb> {
    vec![
        Crumb {
            label: "做强产业支撑".into(),
            href: None,
        },
        Crumb {
            label: label.into(),
            href: None,
        },
    ]
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A YYYY-MM-DD date from the query string, or today.
fn date_or_today(s: Option<&str>) -> AppResult<String> {
    match s {
        None => Ok(dates::today().to_string()),
        Some(s) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(|d| d.to_string())
            .map_err(|_| AppError::BadRequest(format!("日期“{s}”应为 YYYY-MM-DD"))),
    }
}

/// The filters of `/industry/businesses`.
#[derive(Debug, Deserialize, Default)]
pub struct BusinessListParams {
    pub org: Option<String>,
    pub kind: Option<String>,
    pub standing: Option<String>,
    pub on: Option<String>,
    pub q: Option<String>,
    #[serde(default, deserialize_with = "crate::web::list::lenient_i64")]
    pub id: Option<i64>,
    #[serde(flatten)]
    pub page: PageParams,
    pub export: Option<String>,
}

fn business_table(items: &[Business]) -> Table {
    let mut t = Table::new(&[
        "统一社会信用代码",
        "名称",
        "主体类型",
        "所在村",
        "法定代表人",
        "登记日期",
        "注销日期",
        "主要产品",
        "成员数",
        "带动农户数",
    ]);
    for b in items {
        t.push(vec![
            Cell::text(&b.credit_code),
            Cell::text(&b.name),
            Cell::text(b.kind_label()),
            Cell::text(&b.org_name),
            Cell::opt(b.legal_rep.clone()),
            Cell::text(&b.registered_on),
            Cell::opt(b.deregistered_on.clone()),
            Cell::opt(b.products.clone()),
            Cell::opt(b.members.clone()),
            Cell::Int(b.households),
        ]);
    }
    t
}

/// `GET /industry/businesses`: cooperatives and family farms in the user's scope.
pub async fn list_businesses(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<BusinessListParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let on = date_or_today(nonempty(&p.on))?;
    let kind = nonempty(&p.kind)
        .filter(|k| *k == "cooperative" || BUSINESS_KINDS.iter().any(|(c, _)| c == k));
    let filter = BusinessFilter {
        kind: kind.map(str::to_string),
        standing: nonempty(&p.standing).map(str::to_string),
        on: on.clone(),
        q: nonempty(&p.q).map(str::to_string),
        id: p.id,
    };
    let narrowed = narrow_to_org(pool, &user.scope, nonempty(&p.org)).await?;
    let (items, pagination) = match &narrowed {
        Some(scope) => {
            let total = super::count_businesses(pool, scope, &filter).await?;
            let pagination = Pagination::new(p.page, total);
            let (limit, offset) = if p.export.is_some() {
                (100_000, 0)
            } else {
                (pagination.limit(), pagination.offset())
            };
            let items = super::list_businesses(pool, scope, &filter, limit, offset).await?;
            (items, pagination)
        }
        None => (Vec::new(), Pagination::new(p.page, 0)),
    };
    if p.export.as_deref() == Some("xlsx") {
        return Ok(xlsx_download(
            business_table(&items).to_xlsx("经营主体")?,
            "合作社与家庭农场.xlsx",
        ));
    }
    let filters = vec![
        Filter::select(
            "org",
            "所在单位",
            nonempty(&p.org),
            org_options(pool, &user.scope).await?,
        ),
        Filter::select(
            "kind",
            "主体类型",
            kind,
            options([
                ("cooperative", "农民专业合作社（含联合社）"),
                ("federation", "农民专业合作社联合社"),
                ("family_farm", "家庭农场"),
            ]),
        ),
        Filter::select(
            "standing",
            "状态",
            nonempty(&p.standing),
            options([("active", "存续"), ("deregistered", "已注销")]),
        ),
        Filter::text("on", "日期（默认今天）", nonempty(&p.on)),
        Filter::text("q", "名称或信用代码", nonempty(&p.q)),
    ];
    let view = ListView {
        title: "合作社与家庭农场".into(),
        breadcrumb: crumbs("合作社与家庭农场"),
        query: query_of(&filters),
        filters,
        table: business_table(&items),
        pagination,
        new_href: user
            .can(Permission::WriteData)
            .then(|| "/registry/businesses/new".to_string()),
        export: true,
    };
    Ok(render(&state, &ctx, "pages/list.html", context! { view => view })?.into_response())
}

/// The filters of `/industry/tourism`.
#[derive(Debug, Deserialize, Default)]
pub struct TourismListParams {
    pub org: Option<String>,
    /// `active`: only those operating today.
    pub standing: Option<String>,
    pub q: Option<String>,
    #[serde(flatten)]
    pub page: PageParams,
    pub export: Option<String>,
}

fn tourism_table(items: &[TourismProject]) -> Table {
    let mut t = Table::new(&["项目编号", "名称", "所在村", "开始日期", "结束日期", "简介"]);
    for p in items {
        t.push(vec![
            Cell::text(&p.project_no),
            Cell::text(&p.name),
            Cell::text(&p.org_name),
            Cell::text(&p.starts_on),
            Cell::opt(p.ends_on.clone()),
            Cell::opt(p.notes.clone()),
        ]);
    }
    t
}

/// `GET /industry/tourism`: rural tourism projects in the user's scope.
pub async fn list_tourism(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<TourismListParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let today = dates::today().to_string();
    let active_on = (nonempty(&p.standing) == Some("active")).then_some(today.as_str());
    let narrowed = narrow_to_org(pool, &user.scope, nonempty(&p.org)).await?;
    let export = p.export.as_deref() == Some("xlsx");
    let mut pagination = Pagination::new(p.page, 0);
    let items = match &narrowed {
        Some(scope) => {
            let (limit, offset) = if export {
                (100_000, 0)
            } else {
                (pagination.limit(), pagination.offset())
            };
            let (mut items, total) =
                super::list_tourism(pool, scope, active_on, nonempty(&p.q), limit, offset).await?;
            pagination = Pagination::new(p.page, total);
            if !export && pagination.offset() != offset {
                // The page asked for was past the end: show the last one.
                items = super::list_tourism(
                    pool,
                    scope,
                    active_on,
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
            tourism_table(&items).to_xlsx("乡村旅游项目")?,
            "乡村旅游项目.xlsx",
        ));
    }
    let filters = vec![
        Filter::select(
            "org",
            "所在单位",
            nonempty(&p.org),
            org_options(pool, &user.scope).await?,
        ),
        Filter::select(
            "standing",
            "状态",
            nonempty(&p.standing),
            options([("active", "运营中")]),
        ),
        Filter::text("q", "名称或项目编号", nonempty(&p.q)),
    ];
    let view = ListView {
        title: "乡村旅游项目".into(),
        breadcrumb: crumbs("乡村旅游项目"),
        query: query_of(&filters),
        filters,
        table: tourism_table(&items).with_attachment_links("tourism"),
        pagination,
        new_href: user
            .can(Permission::WriteData)
            .then(|| "/registry/tourism-projects/new".to_string()),
        export: true,
    };
    Ok(render(&state, &ctx, "pages/list.html", context! { view => view })?.into_response())
}

//! `/cadres`: cadre posts, current and past.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use minijinja::context;
use serde::Deserialize;
use xingcun_domain::enums::{CadreCategory, VillagePost, bool_cn};

use super::{crumbs, link_query, options, org_options};
use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::dates;
use crate::error::AppResult;
use crate::org::pages::xlsx_download;
use crate::registry::cadres::{self, CadreFilter, CadrePostItem};
use crate::registry::forms::form_of;
use crate::registry::narrow_to_org;
use crate::registry::search::Search;
use crate::web::list::{Cell, Filter, ListView, PageParams, Pagination, Table};
use crate::web::{Ctx, render};
use crate::workbook::sheets::SheetId;

#[derive(Debug, Deserialize, Default)]
pub struct CadreListParams {
    #[serde(flatten)]
    pub filter: CadreFilter,
    #[serde(flatten)]
    pub page: PageParams,
    pub export: Option<String>,
}

/// 在任 / 离任 as a badge.
pub(super) fn standing_badge(active: bool) -> Cell {
    if active {
        Cell::Badge {
            text: "在任".into(),
            tone: "ok",
        }
    } else {
        Cell::Badge {
            text: "离任".into(),
            tone: "muted",
        }
    }
}

fn cadre_table(items: &[CadrePostItem]) -> Table {
    let mut t = Table::new(&[
        "姓名",
        "身份证号",
        "干部类别",
        "职务",
        "职务全称",
        "任职单位",
        "任职日期",
        "离任日期",
        "专业化管理",
        "状态",
    ]);
    for c in items {
        t.push(vec![
            Cell::link(&c.name, format!("/people/{}", c.person_id.0)),
            Cell::text(&c.id_masked),
            Cell::text(&c.category_label),
            Cell::text(&c.post_label),
            Cell::opt(c.post_title.clone()),
            Cell::text(&c.org_name),
            Cell::text(&c.starts_on),
            Cell::opt(c.ends_on.clone()),
            Cell::text(bool_cn(c.professional)),
            standing_badge(c.active),
        ]);
    }
    t
}

/// `GET /cadres`: filters (区划, 干部类别, 职务, 在任/离任 today, 专业化管理, 姓名或拼音),
/// paginated, exportable.
pub async fn list_cadres(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<CadreListParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let today = dates::today();
    let search = Search::parse(p.filter.q.as_deref(), state.crypto(), today);
    let scope = narrow_to_org(pool, &user.scope, p.filter.org.as_deref()).await?;
    if p.export.as_deref() == Some("xlsx") {
        let items = match &scope {
            Some(s) => cadres::list(pool, s, &p.filter, &search, today, 0, 100_000).await?,
            None => Vec::new(),
        };
        return Ok(xlsx_download(
            cadre_table(&items).to_xlsx("干部")?,
            "干部.xlsx",
        ));
    }
    let total = match &scope {
        Some(s) => cadres::count(pool, s, &p.filter, &search, today).await?,
        None => 0,
    };
    let pagination = Pagination::new(p.page, total);
    let items = match &scope {
        Some(s) => {
            cadres::list(
                pool,
                s,
                &p.filter,
                &search,
                today,
                pagination.offset(),
                pagination.limit(),
            )
            .await?
        }
        None => Vec::new(),
    };
    let f = &p.filter;
    let filters = vec![
        Filter::select(
            "org",
            "任职单位",
            f.org.as_deref(),
            org_options(pool, &user.scope).await?,
        ),
        Filter::select(
            "category",
            "干部类别",
            f.category.as_deref(),
            options(CadreCategory::ALL.iter().map(|c| (c.code(), c.label()))),
        ),
        Filter::select(
            "post",
            "职务",
            f.post.as_deref(),
            options(VillagePost::ALL.iter().map(|v| (v.code(), v.label()))),
        ),
        Filter::select(
            "standing",
            "任职状态",
            f.standing.as_deref(),
            options([("in_office", "在任"), ("left", "离任")]),
        ),
        Filter::select(
            "professional",
            "专业化管理",
            f.professional.as_deref(),
            options([("1", "是"), ("0", "否")]),
        ),
        Filter::text("q", "姓名或拼音", f.q.as_deref()),
    ];
    let view = ListView {
        title: "干部".into(),
        breadcrumb: crumbs(("干部", "/cadres"), None),
        query: link_query(&filters, &search),
        filters,
        table: cadre_table(&items),
        pagination,
        new_href: user
            .can(Permission::WriteData)
            .then(|| form_of(SheetId::Cadres).new_href()),
        export: !search.is_identifier(),
    };
    Ok(render(&state, &ctx, "pages/list.html", context! { view => view })?.into_response())
}

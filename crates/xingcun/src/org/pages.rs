//! Org-tree pages: the tree, the filtered list, one unit's page.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use minijinja::context;
use serde::Deserialize;
use xingcun_domain::division::OrgKind;

use super::OrgFilter;
use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::error::AppResult;
use crate::web::list::{Cell, Crumb, Filter, ListView, PageParams, Pagination, Table, query_of};
use crate::web::{Ctx, render};

#[derive(Debug, Deserialize, Default)]
pub struct OrgListParams {
    #[serde(flatten)]
    pub filter: OrgFilter,
    #[serde(flatten)]
    pub page: PageParams,
    pub export: Option<String>,
}

/// Serves an xlsx download.
pub fn xlsx_download(bytes: Vec<u8>, filename: &str) -> Response {
    let disposition = format!(
        "attachment; filename=\"export.xlsx\"; filename*=UTF-8''{}",
        crate::web::urlencode(filename)
    );
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

fn org_table(units: &[super::OrgUnit]) -> Table {
    let mut t = Table::new(&["区划代码", "名称", "类型", "上级编码", "撤销日期"]);
    for u in units {
        t.push(vec![
            Cell::text(&u.code),
            Cell::link(&u.name, format!("/org-units/{}", u.code)),
            Cell::text(u.kind_label),
            Cell::opt(u.parent_code.clone()),
            Cell::opt(u.revoked_on.clone()),
        ]);
    }
    t
}

/// `GET /org-units`: the list with filters, paginated, exportable.
pub async fn list_org_units(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<OrgListParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    if p.export.as_deref() == Some("xlsx") {
        let units = super::list(pool, &user.scope, &p.filter, 0, 100_000).await?;
        return Ok(xlsx_download(
            org_table(&units).to_xlsx("区划")?,
            "区划.xlsx",
        ));
    }
    let total = super::count(pool, &user.scope, &p.filter).await?;
    let pagination = Pagination::new(p.page, total);
    let units = super::list(
        pool,
        &user.scope,
        &p.filter,
        pagination.offset(),
        pagination.limit(),
    )
    .await?;
    let kinds = OrgKind::ALL
        .iter()
        .map(|k| (k.code().to_string(), k.label().to_string()))
        .collect();
    let filters = vec![
        Filter::select("kind", "类型", p.filter.kind.as_deref(), kinds),
        Filter::text("q", "名称或代码", p.filter.q.as_deref()),
        Filter::text("parent", "上级编码", p.filter.parent.as_deref()),
    ];
    let view = ListView {
        title: "行政区划".into(),
        breadcrumb: vec![
            Crumb {
                label: "基础台账".into(),
                href: None,
            },
            Crumb {
                label: "行政区划".into(),
                href: None,
            },
        ],
        query: query_of(&filters),
        filters,
        table: org_table(&units),
        pagination,
        new_href: user
            .can(Permission::WriteData)
            .then(|| "/registry/org-units/new".to_string()),
        export: true,
    };
    let tree_link = "/org-units/tree";
    Ok(render(
        &state,
        &ctx,
        "pages/list.html",
        context! { view => view, extra_link => tree_link, extra_label => "区划树" },
    )?
    .into_response())
}

/// A node of the tree page.
#[derive(Debug, serde::Serialize)]
struct TreeNode {
    unit: super::OrgUnit,
    children: Vec<TreeNode>,
}

/// `GET /org-units/tree`: the user's subtree down to villages (grids are on each village's page).
pub async fn org_tree(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let top = super::get(pool, &user.scope, &user.org_code).await?;
    let all = super::list(pool, &user.scope, &OrgFilter::default(), 0, 50_000).await?;
    fn build(unit: super::OrgUnit, all: &[super::OrgUnit]) -> TreeNode {
        let children = all
            .iter()
            .filter(|c| {
                c.parent_code.as_deref() == Some(unit.code.as_str()) && c.kind() != OrgKind::Grid
            })
            .cloned()
            .map(|c| build(c, all))
            .collect();
        TreeNode { unit, children }
    }
    let tree = build(top, &all);
    Ok(render(
        &state,
        &ctx,
        "pages/org_units.html",
        context! { tree => tree },
    )?
    .into_response())
}

/// `GET /org-units/{code}`: one unit with its lineage and children.
pub async fn show_org_unit(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let unit = super::get(pool, &user.scope, &code).await?;
    let lineage = super::lineage(pool, &code).await?;
    let children = super::children(pool, &user.scope, &code).await?;
    let counts = super::count_by_kind(pool, &unit.scope()).await?;
    let crumbs: Vec<Crumb> = lineage
        .iter()
        .map(|u| Crumb {
            label: u.name.clone(),
            href: user
                .scope
                .contains(&u.code)
                .then(|| format!("/org-units/{}", u.code)),
        })
        .collect();
    let counts: Vec<(String, i64)> = counts
        .into_iter()
        .filter(|(k, _)| *k != unit.kind)
        .map(|(k, n)| {
            (
                OrgKind::from_code(&k)
                    .map(OrgKind::label)
                    .unwrap_or("?")
                    .to_string(),
                n,
            )
        })
        .collect();
    Ok(render(
        &state,
        &ctx,
        "pages/org_unit.html",
        context! {
            unit => unit, crumbs => crumbs, children => org_table(&children), counts => counts,
            can_write => user.can(Permission::WriteData),
        },
    )?
    .into_response())
}

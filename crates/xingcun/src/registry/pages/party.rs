//! `/party-orgs` and `/party-members`: the party organisations as a tree-ish list, one
//! organisation with its members, and the member list.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use minijinja::context;
use serde::Deserialize;
use xingcun_domain::enums::{MemberCategory, MemberStatus, PartyOrgKind};

use super::{crumbs, link_query, options, org_options};
use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::dates;
use crate::error::AppResult;
use crate::org::pages::xlsx_download;
use crate::registry::forms::form_of;
use crate::registry::party::{
    self, PartyMemberFilter, PartyMemberItem, PartyOrgFilter, PartyOrgItem, arrange,
};
use crate::registry::search::Search;
use crate::registry::{PartyOrgId, narrow_to_org};
use crate::web::list::{Cell, Filter, ListView, PageParams, Pagination, Table, query_of};
use crate::web::{Ctx, render};
use crate::workbook::sheets::SheetId;

#[derive(Debug, Deserialize, Default)]
pub struct PartyOrgListParams {
    #[serde(flatten)]
    pub filter: PartyOrgFilter,
    #[serde(flatten)]
    pub page: PageParams,
    pub export: Option<String>,
}

/// The party orgs with their depth; on screen a child is indented under its parent, in the
/// export the name stays plain.
fn party_org_table(rows: &[(usize, PartyOrgItem)], indent: bool) -> Table {
    let mut t = Table::new(&[
        "组织编码",
        "名称",
        "类型",
        "上级组织",
        "所在区划",
        "党员数",
        "其中预备党员",
    ]);
    for (depth, o) in rows {
        let name = if indent && *depth > 0 {
            format!("{}└ {}", "　".repeat(depth - 1), o.name)
        } else {
            o.name.clone()
        };
        t.push(vec![
            Cell::text(&o.code),
            Cell::link(name, format!("/party-orgs/{}", o.id.0)),
            Cell::text(&o.kind_label),
            match (&o.parent_id, &o.parent_name) {
                (Some(pid), Some(pname)) => Cell::link(pname, format!("/party-orgs/{}", pid.0)),
                (None, pname) => Cell::opt(pname.clone()),
                _ => Cell::Empty,
            },
            Cell::text(&o.org_name),
            Cell::Int(o.members),
            Cell::Int(o.probationary_members),
        ]);
    }
    t
}

/// `GET /party-orgs`: every party org in scope, each under its parent, paginated.
pub async fn list_party_orgs(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<PartyOrgListParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let today = dates::today();
    let scope = narrow_to_org(pool, &user.scope, p.filter.org.as_deref()).await?;
    let rows = match &scope {
        Some(s) => arrange(party::list_orgs(pool, s, &p.filter, today).await?),
        None => Vec::new(),
    };
    if p.export.as_deref() == Some("xlsx") {
        return Ok(xlsx_download(
            party_org_table(&rows, false).to_xlsx("党组织")?,
            "党组织.xlsx",
        ));
    }
    let pagination = Pagination::new(p.page, rows.len() as i64);
    let start = usize::try_from(pagination.offset()).unwrap_or(0);
    let end = (start + usize::try_from(pagination.limit()).unwrap_or(0)).min(rows.len());
    let f = &p.filter;
    let filters = vec![
        Filter::select(
            "org",
            "所在区划",
            f.org.as_deref(),
            org_options(pool, &user.scope).await?,
        ),
        Filter::select(
            "kind",
            "类型",
            f.kind.as_deref(),
            options(PartyOrgKind::ALL.iter().map(|k| (k.code(), k.label()))),
        ),
        Filter::text("q", "名称或编码", f.q.as_deref()),
    ];
    let view = ListView {
        title: "党组织".into(),
        breadcrumb: crumbs(("党组织", "/party-orgs"), None),
        query: query_of(&filters),
        filters,
        table: party_org_table(rows.get(start..end).unwrap_or_default(), true),
        pagination,
        new_href: user
            .can(Permission::WriteData)
            .then(|| form_of(SheetId::PartyOrgs).new_href()),
        export: true,
    };
    Ok(render(&state, &ctx, "pages/list.html", context! { view => view })?.into_response())
}

fn member_table(members: &[PartyMemberItem], with_org: bool) -> Table {
    let mut columns = vec!["姓名", "性别", "身份证号"];
    if with_org {
        columns.push("所在党组织");
    }
    columns.extend([
        "党员类别",
        "入党日期",
        "转正日期",
        "党员状态",
        "所属区划",
        "离开日期",
    ]);
    let mut t = Table::new(&columns);
    for m in members {
        let mut row = vec![
            Cell::link(&m.name, format!("/people/{}", m.person_id.0)),
            Cell::text(&m.sex_label),
            Cell::text(&m.id_masked),
        ];
        if with_org {
            row.push(Cell::link(
                &m.party_org_name,
                format!("/party-orgs/{}", m.party_org_id.0),
            ));
        }
        row.extend([
            Cell::text(&m.category_label),
            Cell::opt(m.joined_on.clone()),
            Cell::opt(m.confirmed_on.clone()),
            Cell::text(&m.status_label),
            Cell::text(&m.org_name),
            match &m.left_on {
                Some(d) if !m.current => Cell::Badge {
                    text: format!("{d} {}", m.leave_reason_label).trim().to_string(),
                    tone: "muted",
                },
                other => Cell::opt(other.clone()),
            },
        ]);
        t.push(row);
    }
    t
}

/// `GET /party-orgs/{id}`: one party org, the orgs under it and its members.
pub async fn show_party_org(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<PartyOrgId>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let today = dates::today();
    let org = party::get_org(pool, &user.scope, id, today).await?;
    let children = party::child_orgs(pool, &user.scope, &org.code, today).await?;
    let filter = PartyMemberFilter {
        party_org: Some(org.code.clone()),
        ..PartyMemberFilter::default()
    };
    let members =
        party::list_members(pool, &user.scope, &filter, &Search::All, today, 0, 100_000).await?;
    let children: Vec<(usize, PartyOrgItem)> = children.into_iter().map(|c| (0, c)).collect();
    let crumbs = crumbs(("党组织", "/party-orgs"), Some(&org.name));
    let edit_href = user
        .can(Permission::WriteData)
        .then(|| form_of(SheetId::PartyOrgs).edit_href(&org.code));
    Ok(render(
        &state,
        &ctx,
        "pages/registry_party_org.html",
        context! {
            org => org,
            crumbs => crumbs,
            edit_href => edit_href,
            children => party_org_table(&children, false),
            members => member_table(&members, false),
        },
    )?
    .into_response())
}

#[derive(Debug, Deserialize, Default)]
pub struct PartyMemberListParams {
    #[serde(flatten)]
    pub filter: PartyMemberFilter,
    #[serde(flatten)]
    pub page: PageParams,
    pub export: Option<String>,
}

/// `GET /party-members`: filters (区划, 党组织, 党员类别, 党员状态, 在册, 姓名或拼音), paginated,
/// exportable.
pub async fn list_party_members(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<PartyMemberListParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let today = dates::today();
    let search = Search::parse(p.filter.q.as_deref(), state.crypto(), today);
    let scope = narrow_to_org(pool, &user.scope, p.filter.org.as_deref()).await?;
    if p.export.as_deref() == Some("xlsx") {
        let items = match &scope {
            Some(s) => party::list_members(pool, s, &p.filter, &search, today, 0, 100_000).await?,
            None => Vec::new(),
        };
        return Ok(xlsx_download(
            member_table(&items, true).to_xlsx("党员")?,
            "党员.xlsx",
        ));
    }
    let total = match &scope {
        Some(s) => party::count_members(pool, s, &p.filter, &search, today).await?,
        None => 0,
    };
    let pagination = Pagination::new(p.page, total);
    let items = match &scope {
        Some(s) => {
            party::list_members(
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
    let party_orgs = party::list_orgs(pool, &user.scope, &PartyOrgFilter::default(), today)
        .await?
        .into_iter()
        .map(|o| (o.code, o.name))
        .collect();
    let f = &p.filter;
    let filters = vec![
        Filter::select(
            "org",
            "所属区划",
            f.org.as_deref(),
            org_options(pool, &user.scope).await?,
        ),
        Filter::select(
            "party_org",
            "所在党组织",
            f.party_org.as_deref(),
            party_orgs,
        ),
        Filter::select(
            "category",
            "党员类别",
            f.category.as_deref(),
            options(MemberCategory::ALL.iter().map(|c| (c.code(), c.label()))),
        ),
        Filter::select(
            "status",
            "党员状态",
            f.status.as_deref(),
            options(MemberStatus::ALL.iter().map(|s| (s.code(), s.label()))),
        ),
        Filter::select(
            "standing",
            "在册情况",
            f.standing.as_deref(),
            options([("current", "在册"), ("left", "已离开")]),
        ),
        Filter::text("q", "姓名或拼音", f.q.as_deref()),
    ];
    let view = ListView {
        title: "党员".into(),
        breadcrumb: crumbs(("党员", "/party-members"), None),
        query: link_query(&filters, &search),
        filters,
        table: member_table(&items, true),
        pagination,
        new_href: user
            .can(Permission::WriteData)
            .then(|| form_of(SheetId::PartyMembers).new_href()),
        export: !search.is_identifier(),
    };
    Ok(render(&state, &ctx, "pages/list.html", context! { view => view })?.into_response())
}

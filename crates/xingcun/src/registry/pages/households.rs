//! `/households`: the household list and one household's page.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use minijinja::context;
use serde::Deserialize;
use xingcun_domain::enums::ResidenceStatus;

use super::{crumbs, options, org_options};
use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::org::pages::xlsx_download;
use crate::registry::forms::form_of;
use crate::registry::households::{self, HouseholdFilter, HouseholdItem, HouseholdMember, KINDS};
use crate::registry::personal::AAD_HOUSEHOLD_PHONE;
use crate::registry::{HouseholdId, narrow_to_org};
use crate::web::list::{Cell, Filter, ListView, PageParams, Pagination, Table, query_of};
use crate::web::{Ctx, render};
use crate::workbook::sheets::SheetId;

#[derive(Debug, Deserialize, Default)]
pub struct HouseholdListParams {
    #[serde(flatten)]
    pub filter: HouseholdFilter,
    #[serde(flatten)]
    pub page: PageParams,
    pub export: Option<String>,
}

fn household_table(items: &[HouseholdItem]) -> Table {
    let mut t = Table::new(&[
        "户编号",
        "户主",
        "人口",
        "户类型",
        "常住状态",
        "所属区划",
        "村民小组",
        "联系电话",
        "注销日期",
    ]);
    for h in items {
        t.push(vec![
            Cell::link(&h.household_no, format!("/households/{}", h.id.0)),
            Cell::opt(h.head_name.clone()),
            Cell::Int(h.member_count),
            Cell::text(h.kind_labels.join("、")),
            Cell::text(&h.residence_label),
            Cell::text(&h.org_name),
            Cell::opt(h.group_name.clone()),
            Cell::opt(h.phone_masked.clone()),
            Cell::opt(h.deregistered_on.clone()),
        ]);
    }
    t
}

/// `GET /households`: filters (区划, 户类型, 常住状态, 户编号或户主), paginated, exportable.
pub async fn list_households(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<HouseholdListParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    // A unit outside the user's scope narrows to nothing: an empty list, not an error.
    let scope = narrow_to_org(pool, &user.scope, p.filter.org.as_deref()).await?;
    if p.export.as_deref() == Some("xlsx") {
        let items = match &scope {
            Some(s) => households::list(pool, s, &p.filter, 0, 100_000).await?,
            None => Vec::new(),
        };
        return Ok(xlsx_download(
            household_table(&items).to_xlsx("户")?,
            "农户.xlsx",
        ));
    }
    let total = match &scope {
        Some(s) => households::count(pool, s, &p.filter).await?,
        None => 0,
    };
    let pagination = Pagination::new(p.page, total);
    let items = match &scope {
        Some(s) => {
            households::list(pool, s, &p.filter, pagination.offset(), pagination.limit()).await?
        }
        None => Vec::new(),
    };
    let f = &p.filter;
    let filters = vec![
        Filter::select(
            "org",
            "所属区划",
            f.org.as_deref(),
            org_options(pool, &user.scope).await?,
        ),
        Filter::select(
            "kind",
            "户类型",
            f.kind.as_deref(),
            options(KINDS.iter().copied()),
        ),
        Filter::select(
            "residence",
            "常住状态",
            f.residence.as_deref(),
            options(ResidenceStatus::ALL.iter().map(|r| (r.code(), r.label()))),
        ),
        Filter::text("q", "户编号或户主", f.q.as_deref()),
    ];
    let view = ListView {
        title: "农户".into(),
        breadcrumb: crumbs(("农户", "/households"), None),
        query: query_of(&filters),
        filters,
        table: household_table(&items),
        pagination,
        new_href: user
            .can(Permission::WriteData)
            .then(|| form_of(SheetId::Households).new_href()),
        export: true,
    };
    Ok(render(&state, &ctx, "pages/list.html", context! { view => view })?.into_response())
}

fn member_table(members: &[HouseholdMember]) -> Table {
    let mut t = Table::new(&[
        "姓名",
        "与户主关系",
        "性别",
        "出生日期",
        "身份证号",
        "注销日期",
    ]);
    for m in members {
        t.push(vec![
            Cell::link(&m.name, format!("/people/{}", m.id.0)),
            Cell::text(&m.relation_label),
            Cell::text(&m.sex_label),
            Cell::text(&m.birth_date),
            Cell::text(&m.id_masked),
            Cell::opt(m.deregistered_on.clone()),
        ]);
    }
    t
}

/// `GET /households/{id}`: the household's fields and its members.
///
/// Extension point: each module adds one storage call here and one `<section>` in
/// `registry_household.html` — the outreach part (linked party members and visits) is there;
/// demands (诉求) join it when they land.
pub async fn show_household(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<HouseholdId>,
) -> AppResult<Response> {
    household_page(&state, &ctx, &user, id, None).await
}

/// The reason given for seeing a household's phone number.
#[derive(Debug, Deserialize)]
pub struct RevealForm {
    pub reason: String,
}

/// `POST /households/{id}/reveal`: the household page with its phone number unmasked once a
/// reason is given, the access-log row written first.
pub async fn reveal_household_phone(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<HouseholdId>,
    Form(f): Form<RevealForm>,
) -> AppResult<Response> {
    user.require(Permission::SeePersonalData)?;
    household_page(&state, &ctx, &user, id, Some(&f.reason)).await
}

/// The household page; with `reveal_reason`, the phone number is shown unmasked (access-logged).
async fn household_page(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    id: HouseholdId,
    reveal_reason: Option<&str>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let household = households::get(pool, &user.scope, id).await?;
    let members = households::members(pool, &user.scope, id).await?;
    let (links, visits) = crate::outreach::records::household_outreach(
        pool,
        &user.scope,
        id.0,
        crate::dates::today(),
    )
    .await?;
    // Masked for everyone; opened only with a reason, after the access-log row is written.
    let mut phone = household.item.phone_masked.clone();
    let mut revealed = false;
    let mut reveal_error = None;
    if let (Some(reason), Some(enc)) = (reveal_reason, household.phone_enc()) {
        let logged = crate::security::record_access(
            state.db(),
            user,
            &crate::security::Access {
                subject: "household",
                subject_key: &id.0.to_string(),
                subject_name: &household.item.household_no,
                field: "phone",
                reason,
                org_code: Some(&household.item.org_code),
            },
        )
        .await;
        match logged {
            Ok(()) => {
                phone = crate::registry::personal::open(state.crypto(), enc, AAD_HOUSEHOLD_PHONE)
                    .or(phone);
                revealed = true;
            }
            Err(AppError::Invalid(msg)) => reveal_error = Some(msg),
            Err(e) => return Err(e),
        }
    }
    let crumbs = crumbs(("农户", "/households"), Some(&household.item.household_no));
    let link_href = user.can(Permission::WriteData).then(|| {
        format!(
            "{}?{}={}",
            form_of(SheetId::HouseholdLinks).new_href(),
            crate::web::urlencode("户编号"),
            crate::web::urlencode(&household.item.household_no)
        )
    });
    let edit_href = user
        .can(Permission::WriteData)
        .then(|| form_of(SheetId::Households).edit_href(&household.item.household_no));
    let can_reveal = user.can(Permission::SeePersonalData) && household.phone_enc().is_some();
    Ok(render(
        state,
        ctx,
        "pages/registry_household.html",
        context! {
            household => household.item,
            address => household.address,
            phone => phone,
            can_reveal => can_reveal,
            revealed => revealed,
            reveal_error => reveal_error,
            crumbs => crumbs,
            edit_href => edit_href,
            members => member_table(&members),
            links => links,
            visits => visits,
            link_href => link_href,
            demands => crate::demands::pages::household_table(pool, &user.scope, id.0).await?,
            demand_href => user.can(Permission::WriteData).then(|| format!(
                "/demands/new?org={}&household_no={}",
                household.item.org_code,
                crate::web::urlencode(&household.item.household_no)
            )),
        },
    )?
    .into_response())
}

//! `/people`: the people list with its search, and one person's page.
//!
//! The search box takes names and pinyin, but also whole ID and phone numbers. A form sent by
//! GET would put such a number in the URL — and so in the browser's history, the address bar,
//! proxies' logs and the `Referer` of the next request. So the list's form is sent by POST to
//! `/people/search`, which renders the same page (the CSRF field rides along like on every
//! form). `GET /people?q=` still works for names and pinyin, which the page and export links
//! keep; a searched number is left out of every link (see `link_query`).

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use minijinja::context;
use serde::Deserialize;
use xingcun_domain::enums::{Education, PoliticalStatus, Sex};

use super::{crumbs, link_query, options, org_options};
use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::dates;
use crate::error::AppResult;
use crate::org::pages::xlsx_download;
use crate::registry::cadres::{self, CadrePostItem};
use crate::registry::forms::form_of;
use crate::registry::people::{self, COLLEGE, PersonFilter, PersonItem};
use crate::registry::personal::{AAD_PERSON_ID, AAD_PERSON_PHONE};
use crate::registry::search::Search;
use crate::registry::{PersonId, narrow_to_org, party};
use crate::web::list::{Cell, Filter, ListView, PageParams, Pagination, Table};
use crate::web::{Ctx, render};
use crate::workbook::sheets::SheetId;

#[derive(Debug, Deserialize, Default)]
pub struct PersonListParams {
    #[serde(flatten)]
    pub filter: PersonFilter,
    #[serde(flatten)]
    pub page: PageParams,
    pub export: Option<String>,
}

fn people_table(items: &[PersonItem]) -> Table {
    let mut t = Table::new(&[
        "姓名",
        "性别",
        "出生日期",
        "身份证号",
        "联系电话",
        "政治面貌",
        "最高学历",
        "所属区划",
        "户编号",
        "与户主关系",
        "注销日期",
    ]);
    for p in items {
        t.push(vec![
            Cell::link(&p.name, format!("/people/{}", p.id.0)),
            Cell::text(&p.sex_label),
            Cell::text(&p.birth_date),
            Cell::text(&p.id_masked),
            Cell::opt(p.phone_masked.clone()),
            Cell::text(&p.political_status_label),
            Cell::text(&p.highest_education_label),
            Cell::text(&p.org_name),
            match (&p.household_id, &p.household_no) {
                (Some(id), Some(no)) => Cell::link(no, format!("/households/{}", id.0)),
                _ => Cell::Empty,
            },
            Cell::text(&p.relation_label),
            Cell::opt(p.deregistered_on.clone()),
        ]);
    }
    t
}

/// `GET /people`: the list, filtered by query string (names and pinyin only belong there).
pub async fn list_people(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<PersonListParams>,
) -> AppResult<Response> {
    people_page(state, ctx, user, p).await
}

/// `POST /people/search`: the same list, its filters sent in the body so that a searched ID
/// or phone number stays out of the URL.
pub async fn search_people(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Form(p): Form<PersonListParams>,
) -> AppResult<Response> {
    people_page(state, ctx, user, p).await
}

async fn people_page(
    state: AppState,
    ctx: Ctx,
    user: CurrentUser,
    p: PersonListParams,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let search = Search::parse(p.filter.q.as_deref(), state.crypto(), dates::today());
    let scope = narrow_to_org(pool, &user.scope, p.filter.org.as_deref()).await?;
    if p.export.as_deref() == Some("xlsx") {
        let items = match &scope {
            Some(s) => people::list(pool, s, &p.filter, &search, 0, 100_000).await?,
            None => Vec::new(),
        };
        return Ok(xlsx_download(
            people_table(&items).to_xlsx("人员")?,
            "人员.xlsx",
        ));
    }
    let total = match &scope {
        Some(s) => people::count(pool, s, &p.filter, &search).await?,
        None => 0,
    };
    let pagination = Pagination::new(p.page, total);
    let items = match &scope {
        Some(s) => {
            people::list(
                pool,
                s,
                &p.filter,
                &search,
                pagination.offset(),
                pagination.limit(),
            )
            .await?
        }
        None => Vec::new(),
    };
    let f = &p.filter;
    let mut education = options(Education::ALL.iter().map(|e| (e.code(), e.label())));
    education.push((COLLEGE.into(), "大专以上（含大专）".into()));
    let filters = vec![
        Filter::select(
            "org",
            "所属区划",
            f.org.as_deref(),
            org_options(pool, &user.scope).await?,
        ),
        Filter::select(
            "sex",
            "性别",
            f.sex.as_deref(),
            options(Sex::ALL.iter().map(|s| (s.code(), s.label()))),
        ),
        Filter::select(
            "political_status",
            "政治面貌",
            f.political_status.as_deref(),
            options(PoliticalStatus::ALL.iter().map(|s| (s.code(), s.label()))),
        ),
        Filter::select("education", "最高学历", f.education.as_deref(), education),
        Filter::text("q", "姓名、拼音、户编号、身份证号或电话", f.q.as_deref()),
    ];
    let view = ListView {
        title: "人员".into(),
        breadcrumb: crumbs(("人员", "/people"), None),
        query: link_query(&filters, &search),
        filters,
        table: people_table(&items),
        pagination,
        new_href: user
            .can(Permission::WriteData)
            .then(|| form_of(SheetId::People).new_href()),
        // An export link would drop a searched number and so export another list.
        export: !search.is_identifier(),
    };
    Ok(render(
        &state,
        &ctx,
        "pages/registry_people.html",
        context! { view => view },
    )?
    .into_response())
}

/// The person's posts; with `editable`, each with a link to its edit form (by the post's row
/// id, never the ID number).
fn posts_table(posts: &[CadrePostItem], editable: bool) -> Table {
    let mut columns = vec![
        "干部类别",
        "职务",
        "职务全称",
        "任职单位",
        "任职日期",
        "离任日期",
        "专业化管理",
        "状态",
    ];
    if editable {
        columns.push("操作");
    }
    let mut t = Table::new(&columns);
    for c in posts {
        let mut row = vec![
            Cell::text(&c.category_label),
            Cell::text(&c.post_label),
            Cell::opt(c.post_title.clone()),
            Cell::text(&c.org_name),
            Cell::text(&c.starts_on),
            Cell::opt(c.ends_on.clone()),
            Cell::text(xingcun_domain::enums::bool_cn(c.professional)),
            super::cadres::standing_badge(c.active),
        ];
        if editable {
            row.push(Cell::link(
                "编辑",
                form_of(SheetId::Cadres).edit_href(&c.id.to_string()),
            ));
        }
        t.push(row);
    }
    t
}

/// `GET /people/{id}`: the person's fields (ID and phone masked; a role with
/// `SeePersonalData` may unmask one with a reason, see [`person_page`]), household, party
/// membership and posts, past ones included.
pub async fn show_person(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<PersonId>,
) -> AppResult<Response> {
    person_page(&state, &ctx, &user, id.0, None).await
}

/// One personal field of a person in scope, unmasked, after writing the access-log row that
/// names who, whose, which field and why. `None` when the person has no such value.
pub async fn reveal(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    field: &str,
    reason: &str,
) -> AppResult<Option<String>> {
    user.require(Permission::SeePersonalData)?;
    let person = people::get(&state.db().pool, &user.scope, PersonId(id)).await?;
    let (enc, aad) = match field {
        "id_number" => (Some(person.id_enc()), AAD_PERSON_ID),
        "phone" => (person.phone_enc(), AAD_PERSON_PHONE),
        _ => return Err(crate::error::AppError::BadRequest("未知字段".into())),
    };
    let Some(enc) = enc else { return Ok(None) };
    crate::security::record_access(
        state.db(),
        user,
        &crate::security::Access {
            subject: "person",
            subject_key: &id.to_string(),
            subject_name: &person.item.name,
            field,
            reason,
            org_code: Some(&person.item.org_code),
        },
    )
    .await?;
    Ok(crate::registry::personal::open(state.crypto(), enc, aad))
}

/// The person page; `reveal` = (field, reason) unmasks that one field (access-logged).
pub async fn person_page(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    id: i64,
    reveal_field: Option<(&str, &str)>,
) -> AppResult<Response> {
    let id = PersonId(id);
    let (state, ctx, user) = (state, ctx, user);
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let today = dates::today();
    let person = people::get(pool, &user.scope, id).await?;
    let membership = party::membership_of(pool, &user.scope, id, today).await?;
    let posts = cadres::posts_of(pool, &user.scope, id, today).await?;
    // Masked for everyone; one field is opened below when a reason was given.
    let mut id_number = Some(person.item.id_masked.clone());
    let mut phone = person.item.phone_masked.clone();
    let mut reveal_error = None;
    let mut revealed = None;
    if let Some((field, reason)) = reveal_field {
        match reveal(state, user, id.0, field, reason).await {
            Ok(value) => {
                revealed = Some(field.to_string());
                match field {
                    "id_number" => id_number = value.or(id_number),
                    _ => phone = value.or(phone),
                }
            }
            Err(crate::error::AppError::Invalid(msg)) => reveal_error = Some(msg),
            Err(e) => return Err(e),
        }
    }
    let crumbs = crumbs(("人员", "/people"), Some(&person.item.name));
    // Edit links name the person, the membership and the posts by row id: an ID number never
    // goes into a URL.
    let can_write = user.can(Permission::WriteData);
    let edit_href = can_write.then(|| form_of(SheetId::People).edit_href(&id.0.to_string()));
    let membership_edit_href = membership
        .as_ref()
        .filter(|_| can_write)
        .map(|m| form_of(SheetId::PartyMembers).edit_href(&m.id.to_string()));
    Ok(render(
        state,
        ctx,
        "pages/registry_person.html",
        context! {
            person => person.item,
            ethnicity => person.ethnicity_label,
            edu_full_time => person.edu_full_time_label,
            edu_in_service => person.edu_in_service_label,
            dereg_reason => person.dereg_reason_label,
            id_number => id_number,
            phone => phone,
            membership => membership,
            posts => posts_table(&posts, can_write),
            crumbs => crumbs,
            edit_href => edit_href,
            membership_edit_href => membership_edit_href,
            can_reveal => user.can(Permission::SeePersonalData),
            revealed => revealed,
            reveal_error => reveal_error,
            has_phone => person.phone_enc().is_some(),
        },
    )?
    .into_response())
}

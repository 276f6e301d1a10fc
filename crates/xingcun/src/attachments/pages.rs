//! The attachment pages: a record's attachments with the upload form
//! (`GET /attachments?kind=…&key=…`), the upload (`POST`, multipart, CSRF token in the query),
//! one file (`GET /attachments/{id}`) and its removal (`POST /attachments/{id}/delete`).

use axum::body::Body;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;

use super::{Download, OwnerRecord, Store};
use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::config::Config;
use crate::error::{AppError, AppResult};
use crate::org::pages::xlsx_download;
use crate::web::list::{Cell, Crumb, Filter, ListView, PageParams, Pagination, Table, query_of};
use crate::web::{Ctx, render, urlencode};
use crate::workbook::pages::multipart_error;

/// Where the configuration says the bytes go.
pub fn store(config: &Config) -> Store {
    match &config.attachments_dir {
        Some(dir) => Store::Directory(dir.clone()),
        None => Store::Database,
    }
}

/// The record whose attachments a request is about.
#[derive(Debug, Deserialize)]
pub struct OwnerParams {
    pub kind: String,
    pub key: String,
}

/// `GET /attachments`: one record's attachments (`kind` and `key`), or without `key` the list
/// of every attachment in the user's scope (filters `kind`, `q`; paginated; export).
#[derive(Debug, Deserialize, Default)]
pub struct ShowParams {
    pub kind: Option<String>,
    pub key: Option<String>,
    pub q: Option<String>,
    #[serde(flatten)]
    pub page: PageParams,
    pub export: Option<String>,
}

async fn owner_of(state: &AppState, user: &CurrentUser, p: &OwnerParams) -> AppResult<OwnerRecord> {
    let owner = super::owner(&p.kind)?;
    super::find_owner(&state.db().pool, &user.scope, owner, p.key.trim()).await
}

fn page_href(o: &OwnerRecord) -> String {
    format!(
        "/attachments?kind={}&key={}",
        urlencode(o.kind),
        urlencode(&o.key)
    )
}

async fn render_page(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    owner: &OwnerRecord,
    error: Option<String>,
) -> AppResult<Response> {
    let items = super::list(&state.db().pool, owner).await?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let html = render(
        state,
        ctx,
        "pages/attachments.html",
        context! {
            owner => owner,
            files => items,
            error => error,
            can_write => user.can(Permission::WriteData),
            limit_mb => state.config().attachment_max_mb,
            upload_action => format!(
                "/attachments?kind={}&key={}&_csrf={}",
                urlencode(owner.kind),
                urlencode(&owner.key),
                urlencode(&ctx.csrf)
            ),
        },
    )?;
    Ok((status, html).into_response())
}

/// `GET /attachments`: see [`ShowParams`].
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<ShowParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let nonempty = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    match (nonempty(&p.kind), nonempty(&p.key)) {
        (Some(kind), Some(key)) => {
            let owner = owner_of(&state, &user, &OwnerParams { kind, key }).await?;
            render_page(&state, &ctx, &user, &owner, None).await
        }
        (kind, _) => overview(&state, &ctx, &user, kind, nonempty(&p.q), p).await,
    }
}

fn overview_table(items: &[super::Listed]) -> Table {
    let mut t = Table::new(&[
        "文件",
        "类型",
        "所属记录",
        "所属单位",
        "大小",
        "上传人",
        "上传时间",
    ]);
    for a in items {
        let label = super::OWNERS
            .iter()
            .find(|o| o.kind == a.owner_kind)
            .map_or(a.owner_kind.as_str(), |o| o.label);
        t.push(vec![
            Cell::link(&a.file.file_name, format!("/attachments/{}", a.file.id)),
            Cell::text(&a.file.content_type),
            Cell::link(
                format!("{label} {}", a.owner_key),
                format!(
                    "/attachments?kind={}&key={}",
                    urlencode(&a.owner_kind),
                    urlencode(&a.owner_key)
                ),
            ),
            Cell::text(&a.org_name),
            Cell::text(&a.file.size_text),
            Cell::opt(a.file.created_by.clone()),
            Cell::text(crate::security::format_ms(a.file.created_at)),
        ]);
    }
    t
}

async fn overview(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    kind: Option<String>,
    q: Option<String>,
    p: ShowParams,
) -> AppResult<Response> {
    let pool = &state.db().pool;
    let kind = kind.filter(|k| super::OWNERS.iter().any(|o| o.kind == k));
    let filter = super::ListFilter {
        kind: kind.clone(),
        q: q.clone(),
    };
    let total = super::count_in(pool, &user.scope, &filter).await?;
    let pagination = Pagination::new(p.page, total);
    if p.export.as_deref() == Some("xlsx") {
        let items = super::list_in(pool, &user.scope, &filter, 100_000, 0).await?;
        return Ok(xlsx_download(
            overview_table(&items).to_xlsx("附件")?,
            "附件.xlsx",
        ));
    }
    let items = super::list_in(
        pool,
        &user.scope,
        &filter,
        pagination.limit(),
        pagination.offset(),
    )
    .await?;
    let filters = vec![
        Filter::select(
            "kind",
            "所属记录类型",
            kind.as_deref(),
            super::OWNERS
                .iter()
                .map(|o| (o.kind.to_string(), o.label.to_string()))
                .collect(),
        ),
        Filter::text("q", "文件名或记录编号", q.as_deref()),
    ];
    let view = ListView {
        title: "附件".into(),
        breadcrumb: vec![Crumb {
            label: "附件".into(),
            href: None,
        }],
        query: query_of(&filters),
        filters,
        table: overview_table(&items),
        pagination,
        new_href: None,
        export: true,
    };
    Ok(render(state, ctx, "pages/list.html", context! { view => view })?.into_response())
}

/// `POST /attachments?kind=…&key=…&_csrf=…` (multipart, field `file`): keeps the file, or shows
/// the page again saying why not.
pub async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<OwnerParams>,
    form: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    user.require(Permission::WriteData)?;
    let owner = owner_of(&state, &user, &p).await?;
    let mut mp = form.map_err(|_| AppError::BadRequest("请用上传表单提交文件".into()))?;
    let mut file = None;
    while let Some(field) = mp.next_field().await.map_err(multipart_error)? {
        if field.name() == Some("file") {
            let name = base_name(field.file_name().unwrap_or_default());
            let bytes = field.bytes().await.map_err(multipart_error)?.to_vec();
            file = Some((name, bytes));
        }
    }
    let (name, bytes) = file.unwrap_or_default();
    let limit = state.config().attachment_max_mb;
    match super::check(&name, &bytes, limit) {
        Err(refusal) => render_page(&state, &ctx, &user, &owner, Some(refusal.to_string())).await,
        Ok(kind) => {
            let pool = &state.db().pool;
            super::add(
                pool,
                &store(state.config()),
                &user,
                &owner,
                &name,
                kind,
                bytes,
            )
            .await?;
            Ok(Redirect::to(&page_href(&owner)).into_response())
        }
    }
}

/// The file's own name (as a workbook upload takes it), without control characters; 附件 when
/// nothing is left.
fn base_name(name: &str) -> String {
    let base: String = crate::workbook::pages::base_name(name)
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    if base.is_empty() {
        "附件".into()
    } else {
        base
    }
}

/// `GET /attachments/{id}`: the file, as the type its bytes showed; images inline, everything
/// else as a download; never interpreted by the browser as a page.
pub async fn file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let d = super::fetch(&state.db().pool, &store(state.config()), &user.scope, id).await?;
    Ok(file_response(d))
}

fn file_response(d: Download) -> Response {
    let inline = d.content_type.starts_with("image/");
    let disposition = format!(
        "{}; filename*=UTF-8''{}",
        if inline { "inline" } else { "attachment" },
        urlencode(&d.file_name)
    );
    let mut res = Response::new(Body::from(d.bytes));
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&d.content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; img-src 'self'; frame-ancestors 'none'; sandbox",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    res
}

/// `POST /attachments/{id}/delete`: removes one file, back to its record's attachments.
pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    user.require(Permission::WriteData)?;
    let (kind, key) = super::remove(&state.db().pool, &store(state.config()), &user, id).await?;
    Ok(Redirect::to(&format!(
        "/attachments?kind={}&key={}",
        urlencode(&kind),
        urlencode(&key)
    ))
    .into_response())
}

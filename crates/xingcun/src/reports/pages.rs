//! `/reports`: the templates (the built-in annual report and those saved here), the download of
//! a report for an org unit in scope and a period in DOCX, PDF or HTML, and the template editor
//! with a preview and versions. Reading and downloading need ReadData; editing needs WriteData.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::engine::needs_children;
use super::{DEFAULT_TEMPLATE, Format, TemplateError, build_document, gather, render_bytes, store};
use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::dates;
use crate::error::{AppError, AppResult};
use crate::indicators::Dates;
use crate::indicators::dates::DateParams;
use crate::org::OrgUnit;
use crate::scope::Scope;
use crate::web::{Ctx, render};

/// The built-in template's id in forms and links.
const BUILTIN: &str = "default";

/// The org units a report can be made for: the user's subtree down to villages, indented.
async fn org_options(state: &AppState, scope: &Scope) -> AppResult<Vec<(String, String)>> {
    crate::org::options(&state.db().pool, scope, false).await
}

async fn unit_of(state: &AppState, user: &CurrentUser, org: Option<&str>) -> AppResult<OrgUnit> {
    crate::org::get(&state.db().pool, &user.scope, org.unwrap_or(&user.org_code)).await
}

/// `https://host` of the request, so DOCX and PDF figures link back to this platform.
fn link_base(state: &AppState, headers: &HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c));
    let scheme = if state.config().secure_cookies {
        "https"
    } else {
        "http"
    };
    ok.then(|| format!("{scheme}://{host}"))
}

fn date_text(d: &Dates) -> (String, String, String) {
    (d.as_of.to_string(), d.from.to_string(), d.to.to_string())
}

/// `GET /reports`
pub async fn list_reports(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<DateParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let (args, d) = p.resolve(dates::today())?;
    let unit = unit_of(&state, &user, args.org.as_deref()).await?;
    let templates = store::list(&state.db().pool, &user.scope).await?;
    let (as_of, from, to) = date_text(&d);
    Ok(render(
        &state,
        &ctx,
        "pages/reports.html",
        context! {
            templates => templates, unit => unit, builtin => BUILTIN,
            orgs => org_options(&state, &user.scope).await?,
            as_of => as_of, from => from, to => to,
            can_edit => user.can(Permission::WriteData),
        },
    )?
    .into_response())
}

/// The query string of a download.
#[derive(Debug, Default, Deserialize)]
pub struct DownloadParams {
    #[serde(flatten)]
    pub dates: DateParams,
    pub template: Option<String>,
    pub format: Option<String>,
}

/// The source of a template by its form id: the built-in one or a stored one in scope.
async fn source_of(
    state: &AppState,
    user: &CurrentUser,
    id: Option<&str>,
) -> AppResult<(String, String)> {
    match id.filter(|s| !s.is_empty()).unwrap_or(BUILTIN) {
        BUILTIN => Ok(("年度工作报告".into(), DEFAULT_TEMPLATE.to_string())),
        other => {
            let id: i64 = other.parse().map_err(|_| AppError::NotFound)?;
            let v = store::version(&state.db().pool, &user.scope, id, None).await?;
            Ok((v.name, v.body))
        }
    }
}

/// `GET /reports/download?template=&org=&from=&to=&format=docx|pdf|html|xlsx`
pub async fn download_report(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Query(p): Query<DownloadParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let format = Format::parse(p.format.as_deref().unwrap_or("docx"))
        .ok_or_else(|| AppError::BadRequest("格式应为 docx、pdf、html 或 xlsx".into()))?;
    let (args, d) = p.dates.resolve(dates::today())?;
    let unit = unit_of(&state, &user, args.org.as_deref()).await?;
    let (name, source) = source_of(&state, &user, p.template.as_deref()).await?;
    let data = gather(&state.db().pool, &unit, &d, needs_children(&source)).await?;
    let mut doc = build_document(&data, &source).map_err(|e| AppError::BadRequest(e.text()))?;
    if format != Format::Html {
        doc.link_base = link_base(&state, &headers);
    }
    let bytes = render_bytes(&doc, format).map_err(|e| AppError::Internal(e.into()))?;
    let filename = format!("{}-{}-{}.{}", unit.name, name, d.to, format.extension());
    let disposition = format!(
        "attachment; filename=\"report.{}\"; filename*=UTF-8''{}",
        format.extension(),
        crate::web::urlencode(&filename)
    );
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// The editor's fields.
#[derive(Debug, Default, Deserialize, Serialize, Clone)]
pub struct TemplateForm {
    pub name: String,
    pub body: String,
    /// `preview` or `save`.
    pub action: Option<String>,
    /// The version the editor started from (stored templates).
    pub base: Option<i64>,
    /// The unit and period the preview is computed for.
    pub org: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// What the editor shows besides the form.
#[derive(Debug, Default, Serialize)]
struct Editor {
    id: Option<i64>,
    versions: Vec<store::Version>,
    /// The version shown, when it is not the latest.
    viewing: Option<i64>,
    latest: Option<i64>,
    error: Option<String>,
    preview: Option<xingcun_report::Document>,
    figures: usize,
}

async fn editor_page(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    form: &TemplateForm,
    editor: Editor,
) -> AppResult<axum::response::Html<String>> {
    render(
        state,
        ctx,
        "pages/report_form.html",
        context! {
            form => form, editor => editor, orgs => org_options(state, &user.scope).await?,
            can_edit => user.can(Permission::WriteData),
        },
    )
}

/// Renders the form's template for the chosen unit and period: the document, or why not.
async fn try_render(
    state: &AppState,
    user: &CurrentUser,
    f: &TemplateForm,
) -> AppResult<Result<xingcun_report::Document, TemplateError>> {
    let p = DateParams {
        org: f.org.clone(),
        as_of: None,
        from: f.from.clone(),
        to: f.to.clone(),
    };
    let (args, d) = p.resolve(dates::today())?;
    let unit = unit_of(state, user, args.org.as_deref()).await?;
    let data = gather(&state.db().pool, &unit, &d, needs_children(&f.body)).await?;
    Ok(build_document(&data, &f.body))
}

fn default_form(user: &CurrentUser) -> TemplateForm {
    let d = DateParams::default()
        .resolve(dates::today())
        .map(|(_, d)| d)
        .ok();
    TemplateForm {
        name: String::new(),
        body: DEFAULT_TEMPLATE.to_string(),
        action: None,
        base: None,
        org: Some(user.org_code.clone()),
        from: d.map(|d| d.from.to_string()),
        to: d.map(|d| d.to.to_string()),
    }
}

/// `GET /reports/new`: a new template, starting from the built-in one.
pub async fn new_template_page(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
) -> AppResult<Response> {
    user.require(Permission::WriteData)?;
    let mut form = default_form(&user);
    form.name = "年度工作报告（本单位）".into();
    Ok(editor_page(&state, &ctx, &user, &form, Editor::default())
        .await?
        .into_response())
}

/// Previews, or saves when the template renders; a template that does not render is shown
/// again with the error (422) and nothing is saved.
async fn preview_or_save(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    id: Option<i64>,
    f: TemplateForm,
) -> AppResult<Response> {
    let mut editor = Editor {
        id,
        ..Editor::default()
    };
    if let Some(id) = id {
        editor.versions = store::versions(&state.db().pool, &user.scope, id).await?;
        editor.latest = editor.versions.first().map(|v| v.version);
    }
    let rendered = try_render(state, user, &f).await?;
    let doc = match rendered {
        Ok(doc) => doc,
        Err(e) => {
            editor.error = Some(e.text());
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                editor_page(state, ctx, user, &f, editor).await?,
            )
                .into_response());
        }
    };
    if f.action.as_deref() == Some("save") {
        let saved = match id {
            None => {
                store::create(
                    state.db(),
                    &user.scope,
                    &user.actor(),
                    &user.org_code,
                    &f.name,
                    &f.body,
                )
                .await
            }
            Some(id) => store::save(
                state.db(),
                &user.scope,
                &user.actor(),
                id,
                f.base.unwrap_or(0),
                &f.name,
                &f.body,
            )
            .await
            .map(|_| id),
        };
        match saved {
            Ok(id) => return Ok(Redirect::to(&format!("/reports/{id}")).into_response()),
            Err(AppError::Invalid(msg)) => {
                editor.error = Some(msg);
                return Ok((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    editor_page(state, ctx, user, &f, editor).await?,
                )
                    .into_response());
            }
            Err(e) => return Err(e),
        }
    }
    editor.figures = doc.figures().len();
    editor.preview = Some(doc);
    Ok(editor_page(state, ctx, user, &f, editor)
        .await?
        .into_response())
}

/// `POST /reports/new`
pub async fn create_template(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Form(f): Form<TemplateForm>,
) -> AppResult<Response> {
    user.require(Permission::WriteData)?;
    preview_or_save(&state, &ctx, &user, None, f).await
}

fn parse_id(id: &str) -> AppResult<i64> {
    id.parse().map_err(|_| AppError::NotFound)
}

/// Which version to show.
#[derive(Debug, Default, Deserialize)]
pub struct VersionParams {
    pub version: Option<String>,
}

/// `GET /reports/{id}?version=N`: a stored template (its latest version, or an older one),
/// with its versions; editable with WriteData.
pub async fn show_template(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(p): Query<VersionParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let id = parse_id(&id)?;
    let pool = &state.db().pool;
    let asked = match p.version.as_deref().filter(|s| !s.is_empty()) {
        Some(v) => Some(v.parse::<i64>().map_err(|_| AppError::NotFound)?),
        None => None,
    };
    let v = store::version(pool, &user.scope, id, asked).await?;
    let versions = store::versions(pool, &user.scope, id).await?;
    let latest = versions.first().map(|v| v.version);
    let mut form = default_form(&user);
    form.name = v.name.clone();
    form.body = v.body.clone();
    form.base = latest;
    let editor = Editor {
        id: Some(id),
        viewing: (Some(v.version) != latest).then_some(v.version),
        latest,
        versions,
        ..Editor::default()
    };
    Ok(editor_page(&state, &ctx, &user, &form, editor)
        .await?
        .into_response())
}

/// `POST /reports/{id}`: preview, or save as a new version.
pub async fn update_template(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<TemplateForm>,
) -> AppResult<Response> {
    user.require(Permission::WriteData)?;
    let id = parse_id(&id)?;
    store::get(&state.db().pool, &user.scope, id).await?;
    preview_or_save(&state, &ctx, &user, Some(id), f).await
}

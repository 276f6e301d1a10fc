//! The 台账导入导出 pages: the empty template, an export of the user's subtree, and the upload
//! that checks a workbook, shows every problem (with a marked copy to download) or a preview of
//! what would change, and writes only when the clerk confirms.
//!
//! Between the check and the confirmation the file waits in `import_upload`, sealed with the
//! platform key (it holds ID numbers) and bound to the user who uploaded it: anyone else gets
//! 404. A user keeps at most one waiting upload, and none for longer than [`UPLOAD_TTL_MS`].

use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Serialize;
use sqlx::{AnyPool, Row};

use super::{ImportOptions, ImportOutcome, Problem};
use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::org::pages::xlsx_download;
use crate::web::list::{Cell, Table};
use crate::web::{Ctx, render};

/// How long an uploaded workbook waits for its confirmation.
pub const UPLOAD_TTL_MS: i64 = 60 * 60 * 1000;

/// The associated data that binds a sealed upload to its row.
fn upload_aad(token: &str) -> Vec<u8> {
    format!("import_upload.body:{token}").into_bytes()
}

/// An uploaded workbook waiting for confirmation.
struct Upload {
    filename: String,
    bytes: Vec<u8>,
}

/// Forgets uploads older than the time limit, and the user's earlier upload.
async fn delete_stale_uploads(pool: &AnyPool, user_id: i64) -> AppResult<()> {
    sqlx::query("DELETE FROM import_upload WHERE created_at < $1 OR user_id = $2")
        .bind(now_ms() - UPLOAD_TTL_MS)
        .bind(user_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Keeps an upload for the user; returns its token.
async fn save_upload(state: &AppState, user_id: i64, upload: &Upload) -> AppResult<String> {
    let token = xingcun_crypto::random_token(24);
    let sealed = state.crypto().encrypt(&upload.bytes, &upload_aad(&token));
    sqlx::query(
        "INSERT INTO import_upload (token, user_id, created_at, filename, body) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token.clone())
    .bind(user_id)
    .bind(now_ms())
    .bind(upload.filename.clone())
    .bind(xingcun_crypto::hex_encode(&sealed))
    .execute(&state.db().pool)
    .await?;
    Ok(token)
}

/// The user's own upload under `token`, if it has not expired; anyone else's is `NotFound`.
async fn find_upload(state: &AppState, user_id: i64, token: &str) -> AppResult<Upload> {
    let row = sqlx::query(
        "SELECT filename, body FROM import_upload WHERE token = $1 AND user_id = $2 AND created_at >= $3",
    )
    .bind(token.to_string())
    .bind(user_id)
    .bind(now_ms() - UPLOAD_TTL_MS)
    .fetch_optional(&state.db().pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let body: String = row.try_get(1)?;
    let sealed = xingcun_crypto::hex_decode(&body)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("import_upload body: {e}")))?;
    let bytes = state
        .crypto()
        .decrypt(&sealed, &upload_aad(token))
        .map_err(|e| AppError::Internal(anyhow::anyhow!("import_upload body: {e}")))?;
    Ok(Upload {
        filename: row.try_get(0)?,
        bytes,
    })
}

/// Forgets the user's upload under `token`.
async fn delete_upload(pool: &AnyPool, user_id: i64, token: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM import_upload WHERE token = $1 AND user_id = $2")
        .bind(token.to_string())
        .bind(user_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// The subtree the user may import into: their org unit's scope prefix (the CLI's `--org`).
fn within(user: &CurrentUser) -> Option<String> {
    let prefix = user.scope.prefix();
    (!prefix.is_empty()).then(|| prefix.to_string())
}

fn options(user: &CurrentUser, dry_run: bool) -> ImportOptions {
    ImportOptions {
        dry_run,
        within: within(user),
        today: crate::dates::today(),
    }
}

/// `GET /imports`: template, export and upload.
pub async fn show_imports(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    Ok(imports_page(&state, &ctx, &user, None, None)?.into_response())
}

fn imports_page(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    error: Option<String>,
    export_error: Option<String>,
) -> AppResult<axum::response::Html<String>> {
    render(
        state,
        ctx,
        "pages/imports.html",
        context! {
            can_export => can_export(user),
            can_import => user.can(Permission::WriteData),
            limit_mb => state.config().upload_limit_mb,
            error => error,
            export_error => export_error,
        },
    )
}

/// The export holds whole ID and phone numbers (it must import again), so it needs the right
/// to see them as well as to read.
fn can_export(user: &CurrentUser) -> bool {
    user.can(Permission::ReadData) && user.can(Permission::SeePersonalData)
}

/// `GET /imports/template`: the empty workbook with headers, notes and drop-down lists.
pub async fn download_template(user: CurrentUser) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let bytes = super::export::template()?;
    Ok(xlsx_download(bytes, "台账模板.xlsx"))
}

/// Workbook exports one account may download a minute (a burst of as many).
const EXPORTS_PER_MINUTE: u32 = 6;

/// The reason given for a workbook export.
#[derive(Debug, serde::Deserialize)]
pub struct ExportForm {
    pub reason: String,
}

/// `POST /imports/export` (with a reason): every sheet of the user's subtree, e.g.
/// `台账_王家庄村_2026-06-30.xlsx`. The workbook holds whole ID and phone numbers, so the
/// reason is required and an access-log row is written before a byte is sent; the export is
/// rate-limited per account.
pub async fn export_workbook(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    axum::Form(f): axum::Form<ExportForm>,
) -> AppResult<Response> {
    if !can_export(&user) {
        return Err(AppError::Forbidden);
    }
    if let Err(AppError::Invalid(msg)) = crate::security::check_reason(&f.reason) {
        let page = imports_page(&state, &ctx, &user, None, Some(msg))?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    if !state.limiter().allow(
        &format!("export:{}", user.id),
        EXPORTS_PER_MINUTE,
        EXPORTS_PER_MINUTE,
    ) {
        return Err(AppError::TooManyRequests);
    }
    crate::security::record_access(
        state.db(),
        &user,
        &crate::security::Access {
            subject: "workbook",
            subject_key: &user.org_code,
            subject_name: &user.org_name,
            field: "id_number,phone",
            reason: &f.reason,
            org_code: Some(&user.org_code),
        },
    )
    .await?;
    let bytes = super::export::export(
        &state.db().pool,
        state.crypto(),
        &user.scope,
        Some(&user.org_code),
    )
    .await?;
    let filename = format!("台账_{}_{}.xlsx", user.org_name, crate::dates::today());
    Ok(xlsx_download(bytes, &filename))
}

/// What the upload form sent.
struct UploadForm {
    upload: Upload,
    check_only: bool,
}

/// A multipart upload that could not be read: too large (413) or broken (400). Also used by
/// the attachment upload.
pub(crate) fn multipart_error(e: MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge
    } else {
        AppError::BadRequest("上传的内容无法读取，请重新选择文件后提交".into())
    }
}

/// Only the file's own name: some browsers send the whole path.
pub(crate) fn base_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    base.chars().take(100).collect()
}

/// Reads the form; `Err(message)` when the file is missing or not an .xlsx workbook.
async fn read_upload_form(mut mp: Multipart) -> AppResult<Result<UploadForm, String>> {
    let mut file = None;
    let mut check_only = false;
    while let Some(field) = mp.next_field().await.map_err(multipart_error)? {
        match field.name() {
            Some("file") => {
                let filename = base_name(field.file_name().unwrap_or_default());
                let bytes = field.bytes().await.map_err(multipart_error)?.to_vec();
                file = Some(Upload { filename, bytes });
            }
            Some("check_only") => {
                check_only = field.text().await.map_err(multipart_error)? == "1";
            }
            _ => {}
        }
    }
    let Some(upload) = file.filter(|f| !f.bytes.is_empty()) else {
        return Ok(Err("请选择要导入的 .xlsx 工作簿".into()));
    };
    if let Err(message) = check_xlsx(&upload).await? {
        return Ok(Err(message));
    }
    Ok(Ok(UploadForm { upload, check_only }))
}

/// Refuses anything but an .xlsx workbook that opens, with a message the clerk can act on.
async fn check_xlsx(upload: &Upload) -> AppResult<Result<(), String>> {
    let lower = upload.filename.to_lowercase();
    if lower.ends_with(".xls") || lower.ends_with(".et") {
        return Ok(Err(format!(
            "「{}」是旧版 Excel/WPS 格式，请在 Excel 或 WPS 中另存为 .xlsx 后重新上传",
            upload.filename
        )));
    }
    if !lower.ends_with(".xlsx") || !upload.bytes.starts_with(b"PK\x03\x04") {
        return Ok(Err(format!(
            "「{}」不是 .xlsx 工作簿：只能上传 Excel 工作簿（.xlsx）；.xls、.et、.csv 等请先在 Excel 或 WPS 中另存为 .xlsx",
            upload.filename
        )));
    }
    let bytes = upload.bytes.clone();
    let opened = tokio::task::spawn_blocking(move || {
        xingcun_xlsx::WorkbookReader::open_bytes(bytes).map(|_| ())
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))?;
    Ok(opened.map_err(|e| format!("「{}」无法打开：{e}", upload.filename)))
}

/// One problem as a table row: 工作表, 行, 列, 值, 问题.
fn problem_table(problems: &[Problem]) -> Table {
    let mut t = Table::new(&["工作表", "行", "列", "值", "问题"]);
    for p in problems {
        t.push(vec![
            Cell::text(&p.sheet),
            if p.row > 0 {
                Cell::Int(i64::from(p.row))
            } else {
                Cell::Empty
            },
            Cell::opt(p.column.clone()),
            Cell::opt(p.value.clone()),
            Cell::text(&p.message),
        ]);
    }
    t
}

/// Per sheet: 工作表, 新增, 更新, 未变.
#[derive(Debug, Serialize)]
struct SheetCount {
    sheet: &'static str,
    inserted: usize,
    updated: usize,
    unchanged: usize,
}

fn sheet_counts(counts: &super::apply::Counts) -> Vec<SheetCount> {
    counts
        .iter()
        .map(|&(sheet, inserted, updated, unchanged)| SheetCount {
            sheet,
            inserted,
            updated,
            unchanged,
        })
        .collect()
}

/// What the result page shows.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "snake_case")]
enum Stage {
    /// The check found problems; nothing was written.
    Refused,
    /// The check passed (仅检查); nothing was written and nothing waits.
    Checked,
    /// The check passed; the upload waits for 确认导入.
    Preview,
    /// Written.
    Done,
}

fn result_page(
    state: &AppState,
    ctx: &Ctx,
    stage: Stage,
    filename: &str,
    token: Option<&str>,
    outcome: &ImportOutcome,
) -> AppResult<Response> {
    let (problems, counts) = match outcome {
        ImportOutcome::Refused(p) => (problem_table(p), Vec::new()),
        ImportOutcome::Done { counts, .. } => (Table::default(), sheet_counts(counts)),
    };
    let status = match stage {
        Stage::Refused => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::OK,
    };
    let page = render(
        state,
        ctx,
        "pages/imports_result.html",
        context! {
            stage => stage,
            filename => filename,
            token => token,
            problem_count => problems.rows.len(),
            problems => problems,
            counts => counts,
        },
    )?;
    Ok((status, page).into_response())
}

/// `POST /imports` (multipart, CSRF token in the query): checks the workbook without writing.
pub async fn upload_workbook(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    form: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    user.require(Permission::WriteData)?;
    let form = match form {
        Ok(mp) => read_upload_form(mp).await?,
        Err(_) => Err("请选择要导入的 .xlsx 工作簿".to_string()),
    };
    let UploadForm { upload, check_only } = match form {
        Ok(f) => f,
        Err(message) => {
            let page = imports_page(&state, &ctx, &user, Some(message), None)?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let outcome = super::import(
        state.db(),
        state.crypto(),
        &user.actor(),
        upload.bytes.clone(),
        &options(&user, true),
    )
    .await?;
    let keep = matches!(outcome, ImportOutcome::Refused(_)) || !check_only;
    let token = if keep {
        delete_stale_uploads(&state.db().pool, user.id).await?;
        Some(save_upload(&state, user.id, &upload).await?)
    } else {
        None
    };
    let stage = match (&outcome, check_only) {
        (ImportOutcome::Refused(_), _) => Stage::Refused,
        (ImportOutcome::Done { .. }, true) => Stage::Checked,
        (ImportOutcome::Done { .. }, false) => Stage::Preview,
    };
    result_page(
        &state,
        &ctx,
        stage,
        &upload.filename,
        token.as_deref(),
        &outcome,
    )
}

/// `POST /imports/{token}/confirm`: imports the waiting workbook, checked again, all or nothing.
pub async fn confirm_import(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(token): Path<String>,
) -> AppResult<Response> {
    user.require(Permission::WriteData)?;
    let upload = find_upload(&state, user.id, &token).await?;
    let outcome = super::import(
        state.db(),
        state.crypto(),
        &user.actor(),
        upload.bytes,
        &options(&user, false),
    )
    .await?;
    let stage = match outcome {
        // The records changed since the check: the upload stays for its marked copy.
        ImportOutcome::Refused(_) => Stage::Refused,
        ImportOutcome::Done { .. } => {
            delete_upload(&state.db().pool, user.id, &token).await?;
            Stage::Done
        }
    };
    let token = matches!(stage, Stage::Refused).then_some(token.as_str());
    result_page(&state, &ctx, stage, &upload.filename, token, &outcome)
}

/// `POST /imports/{token}/cancel`: forgets the waiting workbook.
pub async fn cancel_import(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(token): Path<String>,
) -> AppResult<Response> {
    delete_upload(&state.db().pool, user.id, &token).await?;
    Ok(Redirect::to("/imports").into_response())
}

/// `GET /imports/{token}/marked`: the uploaded file with each problem's cell marked and commented.
pub async fn download_marked_copy(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(token): Path<String>,
) -> AppResult<Response> {
    user.require(Permission::WriteData)?;
    let upload = find_upload(&state, user.id, &token).await?;
    let outcome = super::import(
        state.db(),
        state.crypto(),
        &user.actor(),
        upload.bytes.clone(),
        &options(&user, true),
    )
    .await?;
    let problems = match outcome {
        ImportOutcome::Refused(p) => p,
        ImportOutcome::Done { .. } => Vec::new(),
    };
    let bytes = tokio::task::spawn_blocking(move || super::marked_copy(&upload.bytes, &problems))
        .await
        .map_err(|e| AppError::Internal(e.into()))??;
    let stem = upload
        .filename
        .strip_suffix(".xlsx")
        .or_else(|| upload.filename.strip_suffix(".XLSX"))
        .unwrap_or(&upload.filename);
    Ok(xlsx_download(bytes, &format!("{stem}_问题标注.xlsx")))
}

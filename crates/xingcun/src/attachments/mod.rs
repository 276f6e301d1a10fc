//! Attachments (附件): photos and scanned documents kept with a record — a practical project's
//! photos, an assessment's evidence, a rectification's acceptance scan.
//!
//! - A record that takes attachments is an [`Owner`] of [`OWNERS`]: its kind, the SQL that finds
//!   its unit and title by key, and where the record is shown. Adding a kind is one entry there.
//! - The scope rule holds as everywhere: the owner is looked up inside the user's scope, and an
//!   attachment outside it is `NotFound`.
//! - The type of a file is decided from its first bytes ([`sniff`]), never from the name or what
//!   the browser said; only images, PDF and Office documents are kept, so nothing is ever served
//!   as HTML or script. Files are served with that type, `nosniff`, a sandboxing CSP, and as a
//!   download unless they are images.
//! - The bytes live in the database, or in the directory `--attachments-dir` names (the row then
//!   holds the file's name, the SM3 digest of its content); the size limit is
//!   `--attachment-max-mb`.
//! - Adding and removing are audited, in the same transaction as the row.

pub mod pages;

use std::path::{Path, PathBuf};

use serde::Serialize;
use sqlx::{AnyPool, Row};

use crate::accounts::CurrentUser;
use crate::audit::{self, Action, Change, Entry};
use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::scope::Scope;

/// A kind of record that takes attachments.
#[derive(Debug)]
pub struct Owner {
    /// The `kind` of the URL and of `attachment.owner_kind`.
    pub kind: &'static str,
    /// What the record is called on the page.
    pub label: &'static str,
    /// `SELECT org_code, title, ref FROM … WHERE key = $1`; `ref` is what [`Owner::href`] takes
    /// (the key, or the row id for records addressed by id).
    pub sql: &'static str,
    /// Where the record is shown, given its `ref`.
    pub href: fn(&str) -> String,
}

fn listed(path: &str, key: &str) -> String {
    format!("{path}?q={}", crate::web::urlencode(key))
}

fn page(path: &str, key: &str) -> String {
    format!("{path}/{}", crate::web::urlencode(key))
}

/// Every kind of record that takes attachments.
pub static OWNERS: &[Owner] = &[
    Owner {
        kind: "project",
        label: "实事项目",
        sql: "SELECT org_code, name, project_no FROM practical_project WHERE project_no = $1",
        href: |k| page("/branches/projects", k),
    },
    Owner {
        kind: "rectification",
        label: "整顿",
        sql: "SELECT org_code, case_no, case_no FROM rectification WHERE case_no = $1",
        href: |k| page("/branches/rectifications", k),
    },
    Owner {
        kind: "honor",
        label: "荣誉",
        sql: "SELECT org_code, honor_no, honor_no FROM honor WHERE honor_no = $1",
        href: |k| page("/branches/honors", k),
    },
    Owner {
        kind: "site",
        label: "示范点",
        sql: "SELECT org_code, name, site_no FROM model_site WHERE site_no = $1",
        href: |k| listed("/branches/sites", k),
    },
    Owner {
        kind: "assessment",
        label: "达标评定",
        sql: "SELECT org_code, assessment_no, assessment_no FROM branch_assessment
              WHERE assessment_no = $1",
        href: |k| page("/branches/assessments", k),
    },
    Owner {
        kind: "contest",
        label: "擂台赛",
        sql: "SELECT org_code, title, contest_no FROM contest WHERE contest_no = $1",
        href: |k| page("/branches/contests", k),
    },
    Owner {
        kind: "tourism",
        label: "乡村旅游项目",
        sql: "SELECT org_code, name, project_no FROM tourism_project WHERE project_no = $1",
        href: |k| listed("/industry/tourism", k),
    },
    Owner {
        kind: "park",
        label: "现代农业园区",
        sql: "SELECT org_code, name, park_no FROM agri_park WHERE park_no = $1",
        href: |k| listed("/industry/parks", k),
    },
    Owner {
        kind: "brand",
        label: "农产品品牌",
        sql: "SELECT org_code, name, brand_no FROM brand WHERE brand_no = $1",
        href: |k| listed("/industry/brands", k),
    },
    Owner {
        kind: "dispute",
        label: "矛盾纠纷",
        sql: "SELECT org_code, dispute_no, CAST(id AS TEXT) FROM dispute WHERE dispute_no = $1",
        href: |id| page("/governance/disputes", id),
    },
    Owner {
        kind: "law_event",
        label: "法律进农村活动",
        sql: "SELECT org_code, topic, event_no FROM law_outreach_event WHERE event_no = $1",
        href: |k| listed("/events/law-outreach", k),
    },
    Owner {
        kind: "civility_event",
        label: "移风易俗活动",
        sql: "SELECT org_code, topic, event_no FROM civility_event WHERE event_no = $1",
        href: |k| listed("/events/civility", k),
    },
    Owner {
        kind: "study_session",
        label: "理论学习",
        sql: "SELECT org_code, topic, session_no FROM study_session WHERE session_no = $1",
        href: |k| listed("/conduct/study-sessions", k),
    },
    Owner {
        kind: "finding",
        label: "监督检查发现问题",
        sql: "SELECT org_code, finding_no, finding_no FROM supervision_finding
              WHERE finding_no = $1",
        href: |k| listed("/conduct/findings", k),
    },
    Owner {
        kind: "exemplar",
        label: "先进典型",
        sql: "SELECT org_code, title, CAST(id AS TEXT) FROM exemplar WHERE exemplar_no = $1",
        href: |id| page("/conduct/exemplars", id),
    },
];

/// The owner kind `kind`, or a 404.
pub fn owner(kind: &str) -> AppResult<&'static Owner> {
    OWNERS
        .iter()
        .find(|o| o.kind == kind)
        .ok_or(AppError::NotFound)
}

/// A record that takes attachments, found inside a scope.
#[derive(Debug, Clone, Serialize)]
pub struct OwnerRecord {
    pub kind: &'static str,
    pub label: &'static str,
    pub key: String,
    pub org_code: String,
    pub title: String,
    pub href: String,
}

/// The record `key` of kind `owner` if it lies in `scope`; otherwise `NotFound`.
pub async fn find_owner(
    pool: &AnyPool,
    scope: &Scope,
    owner: &'static Owner,
    key: &str,
) -> AppResult<OwnerRecord> {
    let row = sqlx::query(owner.sql)
        .bind(key.to_string())
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)?;
    let org_code: String = row.try_get(0)?;
    if !scope.contains(&org_code) {
        return Err(AppError::NotFound);
    }
    let reference: String = row.try_get(2)?;
    Ok(OwnerRecord {
        kind: owner.kind,
        label: owner.label,
        key: key.to_string(),
        org_code,
        title: row.try_get(1)?,
        href: (owner.href)(&reference),
    })
}

/// A record page's line about its attachments: ("3 个附件", the attachments page), or an
/// invitation to add some. The caller has already found the record in the user's scope.
pub async fn summary(pool: &AnyPool, kind: &str, key: &str) -> AppResult<(String, String)> {
    let n: i64 =
        sqlx::query("SELECT COUNT(*) FROM attachment WHERE owner_kind = $1 AND owner_key = $2")
            .bind(kind.to_string())
            .bind(key.to_string())
            .fetch_one(pool)
            .await?
            .try_get(0)?;
    let text = if n == 0 {
        "暂无（照片、扫描件可在此上传）".to_string()
    } else {
        format!("{n} 个")
    };
    Ok((
        text,
        format!(
            "/attachments?kind={}&key={}",
            crate::web::urlencode(kind),
            crate::web::urlencode(key)
        ),
    ))
}

/// The kinds of file kept, as decided by [`sniff`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Jpeg,
    Png,
    Gif,
    Webp,
    Pdf,
    /// .docx, .xlsx, .pptx: a zip whose name says which.
    Office(&'static str),
}

impl FileType {
    pub fn content_type(self) -> &'static str {
        match self {
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::Gif => "image/gif",
            FileType::Webp => "image/webp",
            FileType::Pdf => "application/pdf",
            FileType::Office(ct) => ct,
        }
    }

    pub fn is_image(self) -> bool {
        matches!(
            self,
            FileType::Jpeg | FileType::Png | FileType::Gif | FileType::Webp
        )
    }
}

/// What a file is, from its first bytes (and, for an Office zip, its name); `None` for anything
/// not kept (HTML, SVG, scripts, executables, unknown).
pub fn sniff(name: &str, bytes: &[u8]) -> Option<FileType> {
    let lower = name.to_lowercase();
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileType::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(FileType::Png)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(FileType::Gif)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(FileType::Webp)
    } else if bytes.starts_with(b"%PDF-") {
        Some(FileType::Pdf)
    } else if bytes.starts_with(b"PK\x03\x04") {
        let ct = if lower.ends_with(".docx") {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        } else if lower.ends_with(".xlsx") {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        } else if lower.ends_with(".pptx") {
            "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        } else {
            return None;
        };
        Some(FileType::Office(ct))
    } else {
        None
    }
}

/// One attachment as lists show it (no content).
#[derive(Debug, Clone, Serialize)]
pub struct Attachment {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub byte_size: i64,
    /// The size in KB or MB, as people read it.
    pub size_text: String,
    pub is_image: bool,
    pub created_by: Option<String>,
    pub created_at: i64,
}

/// The attachments of one record, oldest first.
pub async fn list(pool: &AnyPool, owner: &OwnerRecord) -> AppResult<Vec<Attachment>> {
    let rows = sqlx::query(
        "SELECT a.id, a.file_name, a.content_type, a.byte_size, u.display_name, a.created_at
         FROM attachment a LEFT JOIN app_user u ON u.id = a.created_by
         WHERE a.owner_kind = $1 AND a.owner_key = $2
         ORDER BY a.id",
    )
    .bind(owner.kind)
    .bind(owner.key.clone())
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            let content_type: String = r.try_get(2)?;
            let byte_size: i64 = r.try_get(3)?;
            Ok(Attachment {
                id: r.try_get(0)?,
                file_name: r.try_get(1)?,
                is_image: content_type.starts_with("image/"),
                content_type,
                byte_size,
                size_text: size_text(byte_size),
                created_by: r.try_get(4)?,
                created_at: r.try_get(5)?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

/// 12.3 KB, 4.5 MB.
pub fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    }
}

/// One attachment in the overview list of a scope.
#[derive(Debug, Clone)]
pub struct Listed {
    pub file: Attachment,
    pub owner_kind: String,
    pub owner_key: String,
    pub org_name: String,
}

/// The filters of the overview list.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub kind: Option<String>,
    /// Part of a file name or of the record's key.
    pub q: Option<String>,
}

fn filter_sql(f: &ListFilter) -> (String, Vec<String>) {
    let mut sql = String::from("a.org_code >= $1 AND a.org_code < $2");
    let mut binds = Vec::new();
    if let Some(k) = &f.kind {
        binds.push(k.clone());
        sql.push_str(&format!(" AND a.owner_kind = ${}", binds.len() + 2));
    }
    if let Some(q) = &f.q {
        binds.push(format!("%{q}%"));
        let n = binds.len() + 2;
        sql.push_str(&format!(
            " AND (a.file_name LIKE ${n} OR a.owner_key LIKE ${n})"
        ));
    }
    (sql, binds)
}

/// How many attachments lie in `scope` and match `f`.
pub async fn count_in(pool: &AnyPool, scope: &Scope, f: &ListFilter) -> AppResult<i64> {
    let (cond, binds) = filter_sql(f);
    let sql = format!("SELECT COUNT(*) FROM attachment a WHERE {cond}");
    let (lo, hi) = scope.bounds();
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(lo).bind(hi);
    for b in binds {
        q = q.bind(b);
    }
    Ok(q.fetch_one(pool).await?.try_get(0)?)
}

/// A page of the attachments in `scope` matching `f`, newest first.
pub async fn list_in(
    pool: &AnyPool,
    scope: &Scope,
    f: &ListFilter,
    limit: i64,
    offset: i64,
) -> AppResult<Vec<Listed>> {
    let (cond, binds) = filter_sql(f);
    let n = binds.len() + 2;
    let sql = format!(
        "SELECT a.id, a.file_name, a.content_type, a.byte_size, u.display_name, a.created_at,
                a.owner_kind, a.owner_key, o.name
         FROM attachment a JOIN org_unit o ON o.code = a.org_code
         LEFT JOIN app_user u ON u.id = a.created_by
         WHERE {cond} ORDER BY a.id DESC LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    let (lo, hi) = scope.bounds();
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(lo).bind(hi);
    for b in binds {
        q = q.bind(b);
    }
    let rows = q.bind(limit).bind(offset).fetch_all(pool).await?;
    rows.iter()
        .map(|r| {
            let content_type: String = r.try_get(2)?;
            let byte_size: i64 = r.try_get(3)?;
            Ok(Listed {
                file: Attachment {
                    id: r.try_get(0)?,
                    file_name: r.try_get(1)?,
                    is_image: content_type.starts_with("image/"),
                    content_type,
                    byte_size,
                    size_text: size_text(byte_size),
                    created_by: r.try_get(4)?,
                    created_at: r.try_get(5)?,
                },
                owner_kind: r.try_get(6)?,
                owner_key: r.try_get(7)?,
                org_name: r.try_get(8)?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

/// Where the bytes go.
#[derive(Debug, Clone)]
pub enum Store {
    Database,
    Directory(PathBuf),
}

/// Why a file was refused, in words for the user.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    Empty,
    TooLarge { limit_mb: usize },
    Type { name: String },
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Empty => write!(f, "请选择要上传的文件"),
            Refusal::TooLarge { limit_mb } => write!(f, "文件超过 {limit_mb} MB，请压缩后再上传"),
            Refusal::Type { name } => write!(
                f,
                "「{name}」不是可接受的文件：只能上传照片（JPEG、PNG、GIF、WebP）、PDF 或 Word/Excel/PowerPoint 文档（.docx、.xlsx、.pptx）"
            ),
        }
    }
}

/// Checks a file before it is kept: not empty, within the limit, of a kept type.
pub fn check(name: &str, bytes: &[u8], limit_mb: usize) -> Result<FileType, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::Empty);
    }
    if bytes.len() > limit_mb * 1024 * 1024 {
        return Err(Refusal::TooLarge { limit_mb });
    }
    sniff(name, bytes).ok_or_else(|| Refusal::Type {
        name: name.to_string(),
    })
}

/// Keeps `bytes` as an attachment of `owner`, audited; returns its id. The file must have
/// passed [`check`].
pub async fn add(
    pool: &AnyPool,
    store: &Store,
    user: &CurrentUser,
    owner: &OwnerRecord,
    name: &str,
    kind: FileType,
    bytes: Vec<u8>,
) -> AppResult<i64> {
    let digest = xingcun_crypto::sm3_hex(&bytes);
    let size = bytes.len() as i64;
    let (content, stored_name) = match store {
        Store::Database => (Some(bytes), None),
        Store::Directory(dir) => {
            let stored = format!("{digest}.bin");
            write_file(dir, &stored, bytes).await?;
            (None, Some(stored))
        }
    };
    let mut tx = pool.begin().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO attachment (owner_kind, owner_key, org_code, file_name, content_type,
             byte_size, digest, content, stored_name, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(owner.kind)
    .bind(owner.key.clone())
    .bind(owner.org_code.clone())
    .bind(name.to_string())
    .bind(kind.content_type())
    .bind(size)
    .bind(digest.clone())
    .bind(content)
    .bind(stored_name)
    .bind(user.id)
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    let key = format!("{}:{}#{id}", owner.kind, owner.key);
    audit::record(
        &mut tx,
        Entry {
            actor: &user.actor(),
            action: Action::Create,
            entity: "attachment",
            entity_key: &key,
            org_code: Some(&owner.org_code),
            changes: &[
                Change {
                    field: "file_name",
                    old: None,
                    new: Some(name.to_string()),
                },
                Change {
                    field: "digest",
                    old: None,
                    new: Some(digest),
                },
            ],
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Writes a file under `dir` through a temporary name, so a reader never sees half a file. The
/// name is the content's digest: the same file twice is stored once.
async fn write_file(dir: &Path, stored: &str, bytes: Vec<u8>) -> AppResult<()> {
    let dir = dir.to_path_buf();
    let stored = stored.to_string();
    tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        use std::io::Write;
        std::fs::create_dir_all(&dir)?;
        let target = dir.join(&stored);
        if target.exists() {
            return Ok(());
        }
        let tmp = dir.join(format!("{stored}.{}.tmp", std::process::id()));
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &target)
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))?
    .map_err(|e| AppError::Internal(e.into()))
}

/// An attachment with its content, for download.
#[derive(Debug)]
pub struct Download {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// The attachment `id` with its content, if it lies in `scope`.
pub async fn fetch(pool: &AnyPool, store: &Store, scope: &Scope, id: i64) -> AppResult<Download> {
    let row = sqlx::query(
        "SELECT org_code, file_name, content_type, content, stored_name, digest
         FROM attachment WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let org: String = row.try_get(0)?;
    if !scope.contains(&org) {
        return Err(AppError::NotFound);
    }
    let content: Option<Vec<u8>> = row.try_get(3)?;
    let stored: Option<String> = row.try_get(4)?;
    let bytes = match (content, stored, store) {
        (Some(b), _, _) => b,
        (None, Some(name), Store::Directory(dir)) => {
            let path = dir.join(&name);
            tokio::fs::read(&path)
                .await
                .map_err(|e| AppError::Internal(e.into()))?
        }
        _ => {
            return Err(AppError::Internal(anyhow::anyhow!(
                "attachment {id} is kept in a directory, but no --attachments-dir is set"
            )));
        }
    };
    let digest: String = row.try_get(5)?;
    if xingcun_crypto::sm3_hex(&bytes) != digest {
        return Err(AppError::Internal(anyhow::anyhow!(
            "attachment {id}: content does not match its digest"
        )));
    }
    Ok(Download {
        file_name: row.try_get(1)?,
        content_type: row.try_get(2)?,
        bytes,
    })
}

/// Removes the attachment `id` (in scope), audited; returns the owner it belonged to. A file in
/// the directory stays while another row names the same content.
pub async fn remove(
    pool: &AnyPool,
    store: &Store,
    user: &CurrentUser,
    id: i64,
) -> AppResult<(String, String)> {
    let mut tx = pool.begin().await?;
    let row = sqlx::query(
        "SELECT org_code, owner_kind, owner_key, file_name, stored_name FROM attachment WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let org: String = row.try_get(0)?;
    if !user.scope.contains(&org) {
        return Err(AppError::NotFound);
    }
    let kind: String = row.try_get(1)?;
    let key: String = row.try_get(2)?;
    let name: String = row.try_get(3)?;
    let stored: Option<String> = row.try_get(4)?;
    sqlx::query("DELETE FROM attachment WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let entity_key = format!("{kind}:{key}#{id}");
    audit::record(
        &mut tx,
        Entry {
            actor: &user.actor(),
            action: Action::Delete,
            entity: "attachment",
            entity_key: &entity_key,
            org_code: Some(&org),
            changes: &[Change {
                field: "file_name",
                old: Some(name),
                new: None,
            }],
        },
    )
    .await?;
    let still_named = match &stored {
        Some(s) => sqlx::query("SELECT 1 FROM attachment WHERE stored_name = $1")
            .bind(s.clone())
            .fetch_optional(&mut *tx)
            .await?
            .is_some(),
        None => true,
    };
    tx.commit().await?;
    if let (false, Some(s), Store::Directory(dir)) = (still_named, stored, store) {
        let _ = tokio::fs::remove_file(dir.join(s)).await;
    }
    Ok((kind, key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_bytes_not_the_name() {
        let cases: &[(&str, &[u8], Option<&str>)] = &[
            ("a.jpg", b"\xFF\xD8\xFF\xE0rest", Some("image/jpeg")),
            ("a.txt", b"\x89PNG\r\n\x1a\nrest", Some("image/png")),
            ("a.gif", b"GIF89a...", Some("image/gif")),
            ("a.webp", b"RIFF\0\0\0\0WEBPVP8 ", Some("image/webp")),
            ("scan.pdf", b"%PDF-1.7\n", Some("application/pdf")),
            (
                "方案.DOCX",
                b"PK\x03\x04....",
                Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ),
            // A zip that does not say it is an Office document.
            ("a.zip", b"PK\x03\x04....", None),
            // HTML, SVG and scripts are never kept, whatever they are called.
            ("photo.jpg", b"<html><script>alert(1)</script>", None),
            (
                "a.svg",
                b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
                None,
            ),
            ("a.png", b"MZ\x90\0", None),
            ("a.jpg", b"", None),
        ];
        for (name, bytes, want) in cases {
            assert_eq!(
                sniff(name, bytes).map(FileType::content_type),
                *want,
                "{name}"
            );
        }
    }

    #[test]
    fn check_refuses_empty_large_and_unknown_files() {
        assert_eq!(check("a.jpg", b"", 1), Err(Refusal::Empty));
        let big = vec![0xFFu8; 1024 * 1024 + 1];
        assert_eq!(
            check("a.jpg", &big, 1),
            Err(Refusal::TooLarge { limit_mb: 1 })
        );
        assert!(matches!(
            check("a.html", b"<!doctype html>", 1),
            Err(Refusal::Type { .. })
        ));
        assert_eq!(check("a.png", b"\x89PNG\r\n\x1a\n", 1), Ok(FileType::Png));
    }
}

//! The storage handle: one connection pool over SQLite or PostgreSQL, chosen once from the URL.
//!
//! All queries use sqlx's `Any` driver with `$N` placeholders, plain portable SQL, dates as ISO
//! `YYYY-MM-DD` text, booleans as integers 0/1 and machine times as Unix milliseconds (BIGINT),
//! so one query text serves both backends. Where the backends differ, the one function that
//! needs it branches on [`Backend`].

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, ConnectOptions, Executor};

pub mod pipe;

static MIGRATOR_SQLITE: Migrator = sqlx::migrate!("migrations/sqlite");
static MIGRATOR_POSTGRES: Migrator = sqlx::migrate!("migrations/postgres");

/// The page cache of each SQLite connection, in KiB.
pub const SQLITE_CACHE_KIB: u32 = 64 * 1024;

/// Which database server stands behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The shared database handle, cheap to clone.
#[derive(Debug, Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

/// Parses the backend from a database URL's scheme.
pub fn backend_of(url: &str) -> anyhow::Result<Backend> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else {
        anyhow::bail!(
            "不支持的数据库地址（应以 sqlite:// 或 postgres:// 开头）: {}",
            redact_url(url)
        )
    }
}

/// Hides a password in a database URL before it is logged or shown.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// For SQLite: the file path of a `sqlite://PATH` URL (relative or absolute), without options.
pub fn sqlite_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    if path.is_empty() || path == ":memory:" {
        None
    } else {
        Some(path.to_string())
    }
}

impl Db {
    /// Connects (creating a SQLite file when missing) and applies the pragmas the platform relies on.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let backend = backend_of(url)?;
        let url = match backend {
            Backend::Sqlite if !url.contains('?') => format!("{url}?mode=rwc"),
            _ => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)
            .with_context(|| format!("数据库地址无效: {}", redact_url(&url)))?
            .disable_statement_logging();
        let pool_options = match backend {
            Backend::Sqlite => AnyPoolOptions::new()
                .max_connections(8)
                .min_connections(1)
                .after_connect(|conn, _meta| {
                    Box::pin(async move {
                        // WAL for concurrent readers; FULL so a write the user is told is saved
                        // survives a power cut; foreign keys on (SQLite leaves them off by default).
                        conn.execute(sqlx::AssertSqlSafe(format!(
                            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; \
                             PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000; \
                             PRAGMA cache_size=-{SQLITE_CACHE_KIB}; PRAGMA temp_store=MEMORY;"
                        )))
                        .await?;
                        Ok(())
                    })
                }),
            Backend::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(16)
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            // Plan every execution of a prepared statement for its values and the
                            // table as it is now: a generic plan cached while a table was small
                            // (a fresh district, or early in an import's transaction) would keep
                            // scanning it whole once it holds a million rows.
                            conn.execute("SET plan_cache_mode = force_custom_plan")
                                .await?;
                            Ok(())
                        })
                    })
            }
        };
        let pool = pool_options
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await
            .with_context(|| format!("无法连接数据库: {}", redact_url(&url)))?;
        Ok(Db { pool, backend })
    }

    /// Applies the embedded migrations of this backend.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &MIGRATOR_SQLITE,
            Backend::Postgres => &MIGRATOR_POSTGRES,
        };
        migrator.run(&self.pool).await.context("数据库迁移失败")?;
        Ok(())
    }

    /// Is the database answering? Used by `/readyz`.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}

/// Current time in Unix milliseconds, the form every machine timestamp is stored in.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_is_chosen_from_the_url_scheme() {
        assert_eq!(backend_of("sqlite://x.db").unwrap(), Backend::Sqlite);
        assert_eq!(backend_of("postgres://u@h/db").unwrap(), Backend::Postgres);
        assert!(backend_of("mysql://h/db").is_err());
    }

    #[test]
    fn passwords_never_appear_in_a_redacted_url() {
        assert_eq!(
            redact_url("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
    }

    #[test]
    fn sqlite_paths_may_be_relative_or_absolute() {
        assert_eq!(sqlite_path("sqlite://demo.db").as_deref(), Some("demo.db"));
        assert_eq!(
            sqlite_path("sqlite:///var/x.db?mode=rwc").as_deref(),
            Some("/var/x.db")
        );
    }
}

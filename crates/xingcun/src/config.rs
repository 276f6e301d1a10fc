//! Every configuration option, in one place: a command-line flag and an environment variable
//! each, with the defaults the platform runs with. `docs/configuration.md` documents the same
//! list, and a test keeps the two in step.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

/// Options shared by every subcommand.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Database URL: `sqlite://PATH` (relative or absolute; created if missing) or `postgres://…`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://xingcun.db",
        global = true
    )]
    pub database_url: String,

    /// File holding the 64-hex-digit master key for personal-data encryption. Created with a
    /// fresh key when missing. Default: the SQLite file's path + `.key`, or `xingcun.key`.
    #[arg(long, env = "XINGCUN_KEY_FILE", global = true)]
    pub key_file: Option<PathBuf>,

    /// The master key itself (64 hex digits); takes precedence over `--key-file`.
    #[arg(long, env = "XINGCUN_KEY", global = true, hide_env_values = true)]
    pub key: Option<String>,

    /// Log format: `text` or `json`.
    #[arg(
        long,
        env = "XINGCUN_LOG_FORMAT",
        default_value = "text",
        global = true
    )]
    pub log_format: String,

    /// Mark cookies `Secure` and send HSTS: set when the platform is served behind TLS.
    #[arg(
        long,
        env = "XINGCUN_SECURE_COOKIES",
        default_value_t = false,
        global = true
    )]
    pub secure_cookies: bool,

    /// Minutes of inactivity after which a signed-in session ends.
    #[arg(
        long,
        env = "XINGCUN_SESSION_IDLE_MINUTES",
        default_value_t = 15,
        global = true
    )]
    pub session_idle_minutes: i64,

    /// Hours after sign-in at which a session ends however active it is.
    #[arg(
        long,
        env = "XINGCUN_SESSION_MAX_HOURS",
        default_value_t = 12,
        global = true
    )]
    pub session_max_hours: i64,

    /// Days after which a password must be changed.
    #[arg(
        long,
        env = "XINGCUN_PASSWORD_MAX_AGE_DAYS",
        default_value_t = 90,
        global = true
    )]
    pub password_max_age_days: i64,

    /// Largest accepted request body (workbook uploads included), in megabytes.
    #[arg(
        long,
        env = "XINGCUN_UPLOAD_LIMIT_MB",
        default_value_t = 64,
        global = true
    )]
    pub upload_limit_mb: usize,
}

/// Where the server listens.
#[derive(Debug, Clone, Args)]
pub struct ListenArgs {
    /// Address and port to listen on.
    #[arg(long, env = "XINGCUN_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
}

impl Config {
    /// A configuration for tests and tools: defaults everywhere but the database.
    pub fn for_database(url: &str) -> Config {
        Config {
            database_url: url.to_string(),
            key_file: None,
            key: None,
            log_format: "text".into(),
            secure_cookies: false,
            session_idle_minutes: 15,
            session_max_hours: 12,
            password_max_age_days: 90,
            upload_limit_mb: 64,
        }
    }

    /// The key file used when none is configured: beside the SQLite database, else in the
    /// working directory. Never inside the database.
    pub fn effective_key_file(&self) -> PathBuf {
        if let Some(p) = &self.key_file {
            return p.clone();
        }
        match crate::db::sqlite_path(&self.database_url) {
            Some(p) => PathBuf::from(format!("{p}.key")),
            None => PathBuf::from("xingcun.key"),
        }
    }
}

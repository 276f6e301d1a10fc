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

    /// Sign-in attempts allowed per minute from one address, and for one user name (a token
    /// bucket each, burst of the same size); 0 turns the limit off.
    #[arg(
        long,
        env = "XINGCUN_SIGN_IN_PER_MINUTE",
        default_value_t = 10,
        global = true
    )]
    pub sign_in_per_minute: u32,

    /// Take the caller's address for rate limits from the first `X-Forwarded-For` hop: set only
    /// behind a reverse proxy that overwrites that header.
    #[arg(
        long,
        env = "XINGCUN_TRUST_FORWARDED_FOR",
        default_value_t = false,
        global = true
    )]
    pub trust_forwarded_for: bool,

    /// Days the personal-data access log is kept before the purge job deletes it (at least 180).
    #[arg(
        long,
        env = "XINGCUN_ACCESS_LOG_RETENTION_DAYS",
        default_value_t = 365,
        global = true
    )]
    pub access_log_retention_days: i64,

    /// Hours an uploaded workbook waiting for confirmation is kept before the purge job deletes it.
    #[arg(
        long,
        env = "XINGCUN_UPLOAD_RETENTION_HOURS",
        default_value_t = 24,
        global = true
    )]
    pub upload_retention_hours: i64,

    /// Largest attachment (a photo, a scanned document), in megabytes.
    #[arg(
        long,
        env = "XINGCUN_ATTACHMENT_MAX_MB",
        default_value_t = 10,
        global = true
    )]
    pub attachment_max_mb: usize,

    /// A directory for attachments' bytes; without it they are kept in the database.
    #[arg(long, env = "XINGCUN_ATTACHMENTS_DIR", global = true)]
    pub attachments_dir: Option<std::path::PathBuf>,

    /// The platform's address as villagers reach it (e.g. `https://xingcun.example.gov.cn`),
    /// for the QR code on a village's poster. Default: the address the request came in on.
    #[arg(long, env = "XINGCUN_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// Problems one address may file an hour on the villages' public pages; 0 turns the limit off.
    #[arg(
        long,
        env = "XINGCUN_PUBLIC_FILINGS_PER_HOUR",
        default_value_t = 20,
        global = true
    )]
    pub public_filings_per_hour: u32,

    /// Where demand notifications are posted (`http://…`); without it they wait in the outbox.
    #[arg(long, env = "XINGCUN_WEBHOOK_URL", global = true)]
    pub webhook_url: Option<String>,

    /// The webhook's message format: `json`, `wecom` (企业微信群机器人) or `dingtalk` (钉钉).
    #[arg(
        long,
        env = "XINGCUN_WEBHOOK_FORMAT",
        default_value = "json",
        global = true
    )]
    pub webhook_format: String,

    /// Working days after a demand's deadline before it is escalated a second time.
    #[arg(
        long,
        env = "XINGCUN_ESCALATE_AFTER_DAYS",
        default_value_t = 3,
        global = true
    )]
    pub escalate_after_days: u32,

    /// Seconds between runs of the background jobs (escalation, deadline notices, delivery)
    /// in `serve`; 0 turns them off (run them with `xingcun jobs run`).
    #[arg(
        long,
        env = "XINGCUN_JOBS_INTERVAL_SECONDS",
        default_value_t = 60,
        global = true
    )]
    pub jobs_interval_seconds: u64,
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
            sign_in_per_minute: 10,
            trust_forwarded_for: false,
            access_log_retention_days: 365,
            upload_retention_hours: 24,
            attachment_max_mb: 10,
            attachments_dir: None,
            public_url: None,
            public_filings_per_hour: 20,
            webhook_url: None,
            webhook_format: "json".into(),
            escalate_after_days: 3,
            jobs_interval_seconds: 60,
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

//! Start-up you can test: [`App::build`] connects, migrates and loads the key; [`serve`] runs the
//! router on a listener until the shutdown future resolves.

use std::future::Future;
use std::sync::Arc;

use anyhow::Context;
use minijinja::Environment;
use tokio::net::TcpListener;
use xingcun_crypto::{CryptoProvider, SoftwareCrypto};

use crate::config::Config;
use crate::db::Db;

/// Everything a handler needs, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    config: Config,
    templates: Environment<'static>,
    crypto: Box<dyn CryptoProvider>,
    limiter: crate::web::rate_limit::RateLimiter,
    /// The demand intake's writer, started on first use.
    intake: std::sync::OnceLock<crate::demands::intake::Intake>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("backend", &self.inner.db.backend)
            .finish()
    }
}

impl AppState {
    pub fn db(&self) -> &Db {
        &self.inner.db
    }
    pub fn config(&self) -> &Config {
        &self.inner.config
    }
    pub fn templates(&self) -> &Environment<'static> {
        &self.inner.templates
    }
    pub fn crypto(&self) -> &dyn CryptoProvider {
        self.inner.crypto.as_ref()
    }
    /// The in-process rate limiter (see [`crate::web::rate_limit`]).
    pub fn limiter(&self) -> &crate::web::rate_limit::RateLimiter {
        &self.inner.limiter
    }
    /// The demand intake (group commit; see [`crate::demands::intake`]).
    pub fn intake(&self) -> &crate::demands::intake::Intake {
        self.inner
            .intake
            .get_or_init(|| crate::demands::intake::Intake::start(self.inner.db.clone()))
    }
}

/// Loads the personal-data key: `--key` wins, else the key file (created when missing).
pub fn load_crypto(config: &Config) -> anyhow::Result<SoftwareCrypto> {
    match &config.key {
        Some(hex) => SoftwareCrypto::from_hex(hex.trim()).context("XINGCUN_KEY 须为 64 位十六进制"),
        None => {
            let path = config.effective_key_file();
            SoftwareCrypto::load_or_create_key_file(&path)
                .with_context(|| format!("无法读取或创建密钥文件 {}", path.display()))
        }
    }
}

pub struct App;

impl App {
    /// Connects to the database, applies migrations and loads the key.
    pub async fn build(config: Config) -> anyhow::Result<AppState> {
        let db = Db::connect(&config.database_url).await?;
        db.migrate().await?;
        let crypto = load_crypto(&config)?;
        Ok(App::with_parts(config, db, Box::new(crypto)))
    }

    /// Assembles the state from parts already made (tests pass their own database and key).
    pub fn with_parts(config: Config, db: Db, crypto: Box<dyn CryptoProvider>) -> AppState {
        AppState {
            inner: Arc::new(Inner {
                db,
                config,
                templates: crate::web::templates::environment(),
                crypto,
                limiter: crate::web::rate_limit::RateLimiter::new(),
                intake: std::sync::OnceLock::new(),
            }),
        }
    }
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let router = crate::router::router(state);
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .context("服务异常退出")
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}

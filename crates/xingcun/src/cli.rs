//! The command line: one binary, subcommands. `main` only calls [`run`].

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::accounts::{self, NewUser, Role};
use crate::app::{App, AppState, serve, shutdown_signal};
use crate::audit::Actor;
use crate::config::{Config, ListenArgs};
use crate::scope::Scope;

#[derive(Debug, Parser)]
#[command(name = "xingcun", version, about = "兴村：党建引领乡村振兴工作平台")]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// Run every pending job once.
    Run {
        /// The day to run for (default today): escalation compares deadlines with it.
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
    },
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the platform.
    Serve(ListenArgs),
    /// Build (or reuse) the demo district's database and serve it.
    Demo(DemoArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens (also the `api_key` of Open311 clients).
    #[command(subcommand)]
    Token(TokenCommand),
    /// Check the audit trail's hash chain.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Run the retention job once: delete expired sessions, access-log rows past their
    /// retention and stale uploaded workbooks (`serve` runs it every hour).
    Purge,
    /// Run the demand jobs once: escalate overdue demands, announce deadlines, deliver the
    /// notification outbox (`serve` runs them every `--jobs-interval-seconds`).
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// Import a district workbook (.xlsx): all or nothing, every problem listed.
    Import {
        /// The workbook to import.
        file: std::path::PathBuf,
        /// Only check; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Only insert or update records in this org unit's subtree.
        #[arg(long)]
        org: Option<String>,
    },
    /// Export the registry to a workbook (.xlsx): the whole database or one subtree.
    Export {
        /// The file to write.
        file: std::path::PathBuf,
        /// Export only this org unit's subtree (with its ancestors and referenced people).
        #[arg(long)]
        org: Option<String>,
    },
    /// Write an empty workbook: headers, a notes row, drop-down lists.
    Template {
        /// The file to write.
        file: std::path::PathBuf,
    },
    /// Print every indicator for one org unit (default the root) at a date and over a period.
    Indicators(crate::indicators::command::IndicatorsArgs),
    /// Write the work report of one org unit (default the root) for a period as DOCX, PDF or
    /// HTML, from the built-in annual report or a template file.
    Report(crate::reports::command::ReportArgs),
    /// Back up the database: a SQLite snapshot taken while the server runs (for PostgreSQL,
    /// print the pg_dump command). The master key is not included.
    Backup {
        /// The backup file to write; never overwritten.
        file: std::path::PathBuf,
    },
    /// Restore a SQLite backup as the configured database (stop the server first; for
    /// PostgreSQL, print the pg_restore command).
    Restore {
        /// The backup file made by `xingcun backup`.
        file: std::path::PathBuf,
        /// Replace an existing database.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub listen: ListenArgs,
    /// Only build the database, do not serve.
    #[arg(long)]
    pub no_serve: bool,
    /// The generation date G (YYYY-MM-DD); default today in Asia/Shanghai.
    #[arg(long)]
    pub date: Option<chrono::NaiveDate>,
    /// Rebuild even when the database already holds the demo.
    #[arg(long)]
    pub fresh: bool,
    /// Villages of the generated district (70 in the demo; more for a synthetic district to
    /// benchmark with, e.g. 750 for about 300,000 households and 960,000 people).
    #[arg(long, default_value_t = 70)]
    pub villages: usize,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account; it must change its password at first sign-in.
    Add {
        #[arg(long)]
        username: String,
        /// The person's name as shown.
        #[arg(long)]
        name: String,
        /// district_admin, township_user, village_user, party_member, viewer, or one of the
        /// three administrators: system_admin, security_admin, audit_admin (they enrol a TOTP
        /// second factor at first sign-in).
        #[arg(long)]
        role: String,
        /// The org unit code the account is bound to.
        #[arg(long)]
        org: String,
        /// Initial password; a random one is generated and printed when omitted.
        #[arg(long, env = "XINGCUN_NEW_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Set a new password (to be changed at next sign-in).
    Passwd {
        #[arg(long)]
        username: String,
        #[arg(long, env = "XINGCUN_NEW_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// List accounts.
    List,
    /// Disable an account and end its sessions.
    Disable {
        #[arg(long)]
        username: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token for a user; printed once.
    Create {
        #[arg(long)]
        username: String,
        #[arg(long, default_value = "api")]
        name: String,
    },
    /// Revoke a token by its id.
    Revoke {
        #[arg(long)]
        id: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Report the first broken link of the hash chain, if any.
    Verify,
}

/// A random password that meets the rules.
fn generated_password() -> String {
    format!("Xc-{}-9a", xingcun_crypto::random_token(9))
}

fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if config.log_format == "json" {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

/// Parses the command line and runs it.
pub async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    init_logging(&cli.config);
    match cli.command {
        Command::Serve(l) => {
            let state = App::build(cli.config).await?;
            serve_on(state, l).await
        }
        Command::Demo(args) => {
            let mut config = cli.config;
            if std::env::var_os("DATABASE_URL").is_none()
                && config.database_url == "sqlite://xingcun.db"
            {
                config.database_url = "sqlite://demo.db".into();
            }
            let state = App::build(config).await?;
            let date = args.date.unwrap_or_else(crate::dates::today);
            crate::demo::ensure(&state, date, args.fresh, args.villages).await?;
            crate::demo::print_accounts(&state);
            if args.no_serve {
                Ok(())
            } else {
                serve_on(state, args.listen).await
            }
        }
        Command::Migrate => {
            App::build(cli.config).await?;
            println!("数据库迁移完成");
            Ok(())
        }
        Command::User(cmd) => user_command(App::build(cli.config).await?, cmd).await,
        Command::Token(cmd) => token_command(App::build(cli.config).await?, cmd).await,
        Command::Import { file, dry_run, org } => {
            import_command(App::build(cli.config).await?, &file, dry_run, org).await
        }
        Command::Export { file, org } => {
            let state = App::build(cli.config).await?;
            let (scope, top) = match org {
                Some(code) => {
                    let unit = crate::org::get(&state.db().pool, &Scope::everything(), &code)
                        .await
                        .map_err(|_| anyhow::anyhow!("区划编码 {code} 不存在"))?;
                    (unit.scope(), Some(code))
                }
                None => (Scope::everything(), None),
            };
            let bytes = crate::workbook::export::export(
                &state.db().pool,
                state.crypto(),
                &scope,
                top.as_deref(),
            )
            .await?;
            std::fs::write(&file, bytes).with_context(|| format!("无法写入 {}", file.display()))?;
            println!("已导出到 {}", file.display());
            Ok(())
        }
        Command::Template { file } => {
            let bytes = crate::workbook::export::template()?;
            std::fs::write(&file, bytes).with_context(|| format!("无法写入 {}", file.display()))?;
            println!("已生成模板 {}", file.display());
            Ok(())
        }
        Command::Report(args) => {
            let state = App::build(cli.config).await?;
            crate::reports::command::run(&state.db().pool, &args, crate::dates::today()).await
        }
        Command::Indicators(args) => {
            let state = App::build(cli.config).await?;
            let out =
                crate::indicators::command::output(&state.db().pool, &args, crate::dates::today())
                    .await?;
            print!("{out}");
            Ok(())
        }
        Command::Backup { file } => {
            let url = &cli.config.database_url;
            if crate::db::backend_of(url)? == crate::db::Backend::Postgres {
                println!("{}", crate::backup::pg_dump_command(url, &file));
                eprintln!("{}", crate::backup::key_reminder(&cli.config));
                anyhow::bail!(
                    "PostgreSQL 数据库请用上面的 pg_dump 命令备份（自定义格式，用 pg_restore 恢复；密码由 PGPASSWORD 或 ~/.pgpass 提供），本程序不自行导出"
                );
            }
            match crate::db::sqlite_path(url) {
                Some(p) if std::path::Path::new(&p).is_file() => {}
                _ => anyhow::bail!("数据库文件不存在：{}", crate::db::redact_url(url)),
            }
            let db = crate::db::Db::connect(url).await?;
            crate::backup::backup(&db, &file).await?;
            db.pool.close().await;
            println!("已备份到 {}", file.display());
            eprintln!("{}", crate::backup::key_reminder(&cli.config));
            Ok(())
        }
        Command::Restore { file, force } => {
            let url = &cli.config.database_url;
            if crate::db::backend_of(url)? == crate::db::Backend::Postgres {
                println!("{}", crate::backup::pg_restore_command(url, &file));
                anyhow::bail!(
                    "PostgreSQL 数据库请用上面的 pg_restore 命令恢复（--clean 会先删除库中同名对象），本程序不自行恢复"
                );
            }
            crate::backup::restore(&file, url, force).await?;
            println!("已从 {} 恢复数据库并完成迁移", file.display());
            eprintln!("{}", crate::backup::restored_key_reminder(&cli.config));
            Ok(())
        }
        Command::Jobs(JobsCommand::Run { date }) => {
            let state = App::build(cli.config).await?;
            let today = date.unwrap_or_else(crate::dates::today);
            let r =
                crate::demands::jobs::run_pending(state.db(), today, &job_settings(&state)).await?;
            println!(
                "诉求升级 {} 件，到期提醒 {} 件，通知送达 {} 条",
                r.escalated, r.deadline_notices, r.delivered
            );
            Ok(())
        }
        Command::Purge => {
            let state = App::build(cli.config).await?;
            let p = crate::security::run_pending(state.db(), state.config(), crate::db::now_ms())
                .await?;
            println!(
                "已清理：过期会话 {} 个，超期查看记录 {} 条，过期上传文件 {} 个",
                p.sessions, p.access_rows, p.uploads
            );
            Ok(())
        }
        Command::Audit(AuditCommand::Verify) => {
            let state = App::build(cli.config).await?;
            match crate::audit::verify(state.db()).await? {
                crate::audit::Verification::Intact { rows } => {
                    println!("审计日志完整：{rows} 条记录，哈希链无断点");
                    Ok(())
                }
                crate::audit::Verification::Broken { first_bad_id } => {
                    anyhow::bail!("审计日志在第 {first_bad_id} 条记录处断链（记录被修改或删除）")
                }
            }
        }
    }
}

async fn import_command(
    state: AppState,
    file: &std::path::Path,
    dry_run: bool,
    org: Option<String>,
) -> anyhow::Result<()> {
    use crate::workbook::{ImportOptions, ImportOutcome, Input};
    std::fs::metadata(file).with_context(|| format!("无法读取 {}", file.display()))?;
    let within = match org {
        Some(code) => Some(
            crate::org::get(&state.db().pool, &Scope::everything(), &code)
                .await
                .map_err(|_| anyhow::anyhow!("区划编码 {code} 不存在"))?
                .scope_prefix,
        ),
        None => None,
    };
    let opts = ImportOptions {
        dry_run,
        within,
        today: crate::dates::today(),
    };
    let started = std::time::Instant::now();
    eprintln!("正在检查 {} …", file.display());
    fn report(sheet: &str, rows: u64) {
        eprintln!("  已读取并检查 {sheet}：{rows} 行");
    }
    let outcome = crate::workbook::import_reporting(
        state.db(),
        state.crypto(),
        &Actor::cli(),
        Input::Path(file.to_path_buf()),
        &opts,
        report,
    )
    .await?;
    match outcome {
        ImportOutcome::Refused(problems) => {
            for p in &problems {
                eprintln!("{p}");
            }
            anyhow::bail!("导入被拒绝：发现 {} 个问题，未写入任何数据", problems.len())
        }
        ImportOutcome::Done { written, counts } => {
            for (sheet, ins, upd, same) in counts {
                println!("{sheet}: 新增 {ins}，更新 {upd}，未变 {same}");
            }
            let verb = if written {
                "导入完成"
            } else {
                "检查通过（--dry-run，未写入）"
            };
            println!("{verb}，用时 {:.1} 秒", started.elapsed().as_secs_f64());
            Ok(())
        }
    }
}

async fn serve_on(state: AppState, l: ListenArgs) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(l.listen)
        .await
        .with_context(|| format!("无法监听 {}", l.listen))?;
    let addr = listener.local_addr()?;
    println!("兴村已启动：http://{addr}/");
    tracing::info!(%addr, "listening");
    // The retention job, hourly (first run at start-up).
    let purge_state = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            let (db, config) = (purge_state.db(), purge_state.config());
            if let Err(e) = crate::security::run_pending(db, config, crate::db::now_ms()).await {
                tracing::warn!(error = %e, "retention job failed");
            }
        }
    });
    // The district's and townships' dashboards, computed once in the background.
    let warm_state = state.clone();
    tokio::spawn(async move {
        let started = std::time::Instant::now();
        match crate::dashboard::pages::warm_up(&warm_state).await {
            Ok(n) => tracing::info!(
                units = n,
                ms = started.elapsed().as_millis() as u64,
                "dashboards warmed up"
            ),
            Err(e) => tracing::warn!(error = %e, "dashboard warm-up failed"),
        }
    });
    // The demand jobs: escalation, deadline notices, webhook delivery.
    let interval = state.config().jobs_interval_seconds;
    if interval > 0 {
        let job_state = state.clone();
        tokio::spawn(async move {
            let settings = job_settings(&job_state);
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(interval));
            loop {
                tick.tick().await;
                let today = crate::dates::today();
                if let Err(e) =
                    crate::demands::jobs::run_pending(job_state.db(), today, &settings).await
                {
                    tracing::warn!(error = %e, "demand jobs failed");
                }
            }
        });
    }
    serve(state, listener, shutdown_signal()).await
}

/// The demand jobs' settings from the configuration; the worker name tells processes apart.
fn job_settings(state: &AppState) -> crate::demands::jobs::JobSettings {
    let c = state.config();
    crate::demands::jobs::JobSettings {
        escalate_after_days: c.escalate_after_days,
        webhook: c
            .webhook_url
            .clone()
            .map(|url| crate::demands::notify::Webhook {
                url,
                format: c.webhook_format.clone(),
            }),
        worker: format!("{}-{}", std::process::id(), xingcun_crypto::random_token(4)),
    }
}

async fn user_command(state: AppState, cmd: UserCommand) -> anyhow::Result<()> {
    let db = state.db();
    let actor = Actor::cli();
    match cmd {
        UserCommand::Add {
            username,
            name,
            role,
            org,
            password,
        } => {
            let role = Role::from_code(&role).with_context(|| {
                format!(
                    "未知角色 {role}；可选: {}",
                    Role::ALL
                        .iter()
                        .map(|r| r.code())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
            let (password, shown) = match password {
                Some(p) => (p, false),
                None => (generated_password(), true),
            };
            let new = NewUser {
                username: username.clone(),
                display_name: name,
                role,
                org_code: org,
                password: password.clone(),
                must_change_password: true,
            };
            accounts::create_user(db, state.crypto(), &Scope::everything(), &actor, &new)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "已创建用户 {username}（{}），首次登录须修改密码",
                role.label()
            );
            if shown {
                println!("初始密码：{password}");
            }
        }
        UserCommand::Passwd { username, password } => {
            let id = accounts::find_user_id(&db.pool, &username)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?
                .with_context(|| format!("用户 {username} 不存在"))?;
            let (password, shown) = match password {
                Some(p) => (p, false),
                None => (generated_password(), true),
            };
            accounts::set_password(db, &actor, id, &username, &password, true)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("已重置 {username} 的密码，下次登录须修改");
            if shown {
                println!("新密码：{password}");
            }
        }
        UserCommand::List => {
            let users = accounts::list_users(&db.pool, &Scope::everything(), "", 0, 100_000)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            for u in users {
                let status = if u.disabled { "已停用" } else { "正常" };
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    u.username, u.display_name, u.role_label, u.org_code, status
                );
            }
        }
        UserCommand::Disable { username } => {
            let id = accounts::find_user_id(&db.pool, &username)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?
                .with_context(|| format!("用户 {username} 不存在"))?;
            let u = accounts::get_user(&db.pool, &Scope::everything(), id)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let ch = accounts::UserChanges {
                display_name: u.display_name,
                role: u.role,
                org_code: u.org_code,
                disabled: true,
                version: u.version,
            };
            accounts::update_user(db, state.crypto(), &Scope::everything(), &actor, id, &ch)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("已停用 {username}");
        }
    }
    Ok(())
}

async fn token_command(state: AppState, cmd: TokenCommand) -> anyhow::Result<()> {
    let db = state.db();
    match cmd {
        TokenCommand::Create { username, name } => {
            let id = accounts::find_user_id(&db.pool, &username)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?
                .with_context(|| format!("用户 {username} 不存在"))?;
            let (tid, token) = accounts::create_token(db, id, &name)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("令牌 #{tid}（仅显示一次）：{token}");
        }
        TokenCommand::Revoke { id } => {
            if accounts::revoke_token(db, id)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?
            {
                println!("已吊销令牌 #{id}");
            } else {
                anyhow::bail!("没有编号为 {id} 的有效令牌");
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cli_definition_is_valid() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn generated_passwords_meet_the_rules() {
        for _ in 0..20 {
            let p = generated_password();
            assert!(
                accounts::password::check_rules(&p, "someone").is_ok(),
                "{p}"
            );
        }
    }
}

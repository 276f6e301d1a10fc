//! Backup and restore of the database.
//!
//! SQLite: [`backup`] writes a consistent snapshot with `VACUUM INTO` while the server runs;
//! [`restore`] checks a backup is a SQLite database of this platform, then puts it in place of
//! the configured database and applies the migrations. PostgreSQL uses its own tools
//! (`pg_dump` / `pg_restore`); this module only builds the exact commands ([`pg_dump_command`],
//! [`pg_restore_command`]) — a second, home-made dump format would be one more thing to trust.
//!
//! The master key is never in a backup (it is never in the database): see [`key_reminder`].

use std::path::{Path, PathBuf};

use anyhow::Context;
use sqlx::Row;

use crate::config::Config;
use crate::db::{Backend, Db, backend_of, sqlite_path};

/// Writes a consistent online snapshot of a SQLite database to `path`, which must not exist.
pub async fn backup(db: &Db, path: &Path) -> anyhow::Result<()> {
    if db.backend != Backend::Sqlite {
        anyhow::bail!(
            "PostgreSQL 数据库请用 pg_dump 备份（xingcun backup 会打印完整命令），本程序不自行导出"
        );
    }
    if path.exists() {
        anyhow::bail!(
            "备份文件 {} 已存在，不会覆盖；请换一个文件名",
            path.display()
        );
    }
    let target = path
        .to_str()
        .with_context(|| format!("备份文件路径须为 UTF-8：{}", path.display()))?;
    // The file name is bound as a parameter (VACUUM INTO takes an expression), so no quoting is
    // needed. SQLite itself also refuses an existing output file, which closes the gap between
    // the check above and this statement.
    sqlx::query("VACUUM INTO $1")
        .bind(target)
        .execute(&db.pool)
        .await
        .with_context(|| format!("无法写入备份文件 {}", path.display()))?;
    Ok(())
}

/// Replaces the SQLite database of `target_url` with the backup `src`, then applies the
/// migrations. `src` is checked (it opens, `PRAGMA integrity_check` is `ok`, it has the
/// platform's `_sqlx_migrations` table, and this version's migrations apply to it) on a copy
/// beside the target before the target is touched; an existing target is replaced only with
/// `force`. Stop the server first: a running server keeps the old file open.
pub async fn restore(src: &Path, target_url: &str, force: bool) -> anyhow::Result<()> {
    if backend_of(target_url)? == Backend::Postgres {
        anyhow::bail!(
            "PostgreSQL 数据库请用 pg_restore 恢复，本程序不自行恢复：{}",
            pg_restore_command(target_url, src)
        );
    }
    let target = PathBuf::from(
        sqlite_path(target_url).context("目标数据库须为 sqlite://文件路径（不能是内存数据库）")?,
    );
    if !src.is_file() {
        anyhow::bail!("备份文件 {} 不存在或不是文件", src.display());
    }
    if target.exists() {
        if !force {
            anyhow::bail!(
                "目标数据库 {} 已存在；确认要用备份替换它时加 --force（先停止服务）",
                target.display()
            );
        }
        if same_file(src, &target) {
            anyhow::bail!("备份文件就是目标数据库 {}，无需恢复", target.display());
        }
    }

    // Check on a copy in the target's directory, so the rename into place is atomic and a bad
    // backup leaves nothing behind.
    let name = target
        .file_name()
        .context("目标数据库路径无文件名")?
        .to_string_lossy();
    let tmp = target.with_file_name(format!(".{name}.restoring"));
    remove_with_sidecars(&tmp)?;
    std::fs::copy(src, &tmp)
        .with_context(|| format!("无法复制 {} 到 {}", src.display(), tmp.display()))?;
    if let Err(e) = check_and_migrate(&tmp).await {
        let _ = remove_with_sidecars(&tmp);
        return Err(e.context(format!(
            "{} 不是本平台的 SQLite 数据库备份，未做任何改动",
            src.display()
        )));
    }
    // A stale -wal of the old database would otherwise be replayed into the restored one.
    for sidecar in sidecars(&target) {
        remove_if_present(&sidecar)?;
    }
    for sidecar in sidecars(&tmp) {
        remove_if_present(&sidecar)?;
    }
    std::fs::rename(&tmp, &target)
        .with_context(|| format!("无法把恢复的数据库放到 {}", target.display()))?;

    let db = Db::connect(target_url).await?;
    let migrated = db.migrate().await;
    db.pool.close().await;
    migrated
}

/// Opens the copy, checks it is an intact database of this platform and applies the migrations.
async fn check_and_migrate(path: &Path) -> anyhow::Result<()> {
    use sqlx::Connection;
    let mut header = [0u8; 16];
    let is_sqlite = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut header))
        .is_ok()
        && &header == b"SQLite format 3\0";
    if !is_sqlite {
        anyhow::bail!("文件头不是 SQLite 数据库");
    }
    // One plain connection, not a pool: a pool retries a failing connection until its timeout.
    sqlx::any::install_default_drivers();
    let url = format!("sqlite://{}?mode=rw", path.display());
    let mut conn = sqlx::AnyConnection::connect(&url)
        .await
        .context("无法作为 SQLite 数据库打开")?;
    let checked = async {
        let ok: String = sqlx::query("PRAGMA integrity_check")
            .fetch_one(&mut conn)
            .await
            .context("完整性检查失败")?
            .try_get(0)?;
        if ok != "ok" {
            anyhow::bail!("完整性检查未通过：{ok}");
        }
        let n: i64 = sqlx::query(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
        )
        .fetch_one(&mut conn)
        .await?
        .try_get(0)?;
        if n == 0 {
            anyhow::bail!("缺少迁移记录表 _sqlx_migrations");
        }
        Ok(())
    }
    .await;
    let _ = conn.close().await;
    checked?;
    let db = Db::connect(&url).await?;
    let migrated = db.migrate().await;
    db.pool.close().await;
    migrated
}

fn sidecars(path: &Path) -> [PathBuf; 2] {
    let p = path.display();
    [
        PathBuf::from(format!("{p}-wal")),
        PathBuf::from(format!("{p}-shm")),
    ]
}

fn remove_if_present(path: &Path) -> anyhow::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("无法删除 {}", path.display()))
        }
        _ => Ok(()),
    }
}

fn remove_with_sidecars(path: &Path) -> anyhow::Result<()> {
    remove_if_present(path)?;
    for s in sidecars(path) {
        remove_if_present(&s)?;
    }
    Ok(())
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// A PostgreSQL URL without its password (pg_dump takes it from `PGPASSWORD` or `~/.pgpass`).
pub fn url_without_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Quotes a word for a POSIX shell.
fn sh(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// The exact command that backs up a PostgreSQL database to `file`.
pub fn pg_dump_command(url: &str, file: &Path) -> String {
    format!(
        "pg_dump --format=custom --file {} {}",
        sh(&file.to_string_lossy()),
        sh(&url_without_password(url))
    )
}

/// The exact command that restores `file` (made by [`pg_dump_command`]) into a PostgreSQL database.
pub fn pg_restore_command(url: &str, file: &Path) -> String {
    format!(
        "pg_restore --clean --if-exists --no-owner --dbname {} {}",
        sh(&url_without_password(url)),
        sh(&file.to_string_lossy())
    )
}

/// After a restore: the restored data can only be read with the key it was sealed with.
pub fn restored_key_reminder(config: &Config) -> String {
    match config.key {
        Some(_) => {
            "提醒：XINGCUN_KEY 须是备份时的主密钥，否则加密的身份证号和手机号无法读取。".to_string()
        }
        None => format!(
            "提醒：启动前把备份时的主密钥文件放到 {}（或用 --key-file 指定）；该文件缺失时会生成新密钥，加密的身份证号和手机号将无法读取。",
            config.effective_key_file().display()
        ),
    }
}

/// The reminder that the master key is not in the backup.
pub fn key_reminder(config: &Config) -> String {
    let key = match config.key {
        Some(_) => "主密钥（XINGCUN_KEY 的值）".to_string(),
        None => format!("主密钥文件 {} ", config.effective_key_file().display()),
    };
    format!("提醒：{key}不在备份中，须另行妥善备份；没有它，库中加密的身份证号和手机号无法读取。")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_commands_carry_no_password_and_quote_their_words() {
        let url = "postgres://u:secret@h:5432/xc";
        assert_eq!(
            pg_dump_command(url, Path::new("it's.dump")),
            r"pg_dump --format=custom --file 'it'\''s.dump' 'postgres://u@h:5432/xc'"
        );
        assert_eq!(
            pg_restore_command(url, Path::new("b.dump")),
            "pg_restore --clean --if-exists --no-owner --dbname 'postgres://u@h:5432/xc' 'b.dump'"
        );
        assert_eq!(
            url_without_password("postgres://u@h/db"),
            "postgres://u@h/db"
        );
    }
}

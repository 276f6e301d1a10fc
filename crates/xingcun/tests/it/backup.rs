//! Backup and restore (SQLite): a backup restored into a new place holds every row unchanged
//! and an intact audit chain; a file that is not a database of this platform is refused and
//! changes nothing; a backup never overwrites a file.
//!
//! SQLite only: PostgreSQL is backed up with pg_dump, which the platform does not wrap, so each
//! test returns early when `XINGCUN_TEST_PG` names a server.

use std::path::Path;

use sqlx::Row;
use xingcun::backup::{backup, restore};
use xingcun::db::Db;
use xingcun::workbook::ImportOutcome;

use crate::harness::TestApp;
use crate::workbook::{opts, run, valid_book};

const TABLES: [&str; 8] = [
    "org_unit",
    "household",
    "person",
    "party_org",
    "party_member",
    "cadre_post",
    "app_user",
    "audit_log",
];

fn on_postgres() -> bool {
    std::env::var("XINGCUN_TEST_PG").is_ok_and(|v| !v.is_empty())
}

/// The demo org tree with a small workbook imported.
async fn app_with_records() -> TestApp {
    let app = TestApp::new().await;
    match run(&app, valid_book(), &opts()).await {
        ImportOutcome::Done { written: true, .. } => {}
        other => panic!("import should write: {other:?}"),
    }
    app
}

/// Every row of `table` ordered by primary key, each column as SQLite's `quote()` text.
async fn table_rows(db: &Db, table: &str) -> Vec<Vec<String>> {
    let columns: Vec<String> = sqlx::query("SELECT name FROM pragma_table_info($1) ORDER BY cid")
        .bind(table)
        .fetch_all(&db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<String, _>(0))
        .collect();
    assert!(!columns.is_empty(), "table {table} has columns");
    let select = columns
        .iter()
        .map(|c| format!("quote(\"{c}\")"))
        .collect::<Vec<_>>()
        .join(", ");
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {select} FROM {table} ORDER BY id"
    )))
    .fetch_all(&db.pool)
    .await
    .unwrap()
    .iter()
    .map(|r| (0..columns.len()).map(|i| r.get::<String, _>(i)).collect())
    .collect()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn a_backup_restored_into_a_new_place_has_every_row_unchanged_and_an_intact_audit_chain() {
    if on_postgres() {
        return;
    }
    let app = app_with_records().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("xingcun-backup.db");
    // Taken while the app's pool is open, as a running server's would be.
    backup(app.db(), &file).await.expect("backup");

    let target = dir.path().join("restored").join("xingcun.db");
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    let url = format!("sqlite://{}", target.display());
    restore(&file, &url, false).await.expect("restore");

    let restored = Db::connect(&url).await.unwrap();
    for table in TABLES {
        let before = table_rows(app.db(), table).await;
        let after = table_rows(&restored, table).await;
        assert!(!before.is_empty(), "{table} has rows to compare");
        assert_eq!(before, after, "table {table}");
    }
    let persons = table_rows(&restored, "person").await.len();
    assert!(persons >= 3, "the workbook's people are there: {persons}");
    match xingcun::audit::verify(&restored).await.unwrap() {
        xingcun::audit::Verification::Intact { rows } => assert!(rows > 0),
        broken => panic!("restored chain: {broken:?}"),
    }
    restored.pool.close().await;

    // Restoring over the now existing database needs --force.
    let err = restore(&file, &url, false).await.unwrap_err();
    assert!(format!("{err:#}").contains("--force"), "{err:#}");
    restore(&file, &url, true).await.expect("restore --force");
}

#[tokio::test]
async fn restoring_a_file_that_is_not_a_database_of_this_platform_is_refused_and_changes_nothing() {
    if on_postgres() {
        return;
    }
    let app = app_with_records().await;
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.db");
    backup(app.db(), &good).await.unwrap();
    let target = dir.path().join("live.db");
    std::fs::copy(&good, &target).unwrap();
    let target_bytes = std::fs::read(&target).unwrap();
    let url = format!("sqlite://{}", target.display());

    // Not a database; an empty file (which SQLite reads as an empty database); and a SQLite
    // database of some other program.
    let garbage = dir.path().join("notes.db");
    std::fs::write(&garbage, "这不是数据库，只是一段文字。".repeat(100)).unwrap();
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    let other = dir.path().join("other.db");
    let other_db = Db::connect(&format!("sqlite://{}", other.display()))
        .await
        .unwrap();
    sqlx::query("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        .execute(&other_db.pool)
        .await
        .unwrap();
    other_db.pool.close().await;

    // A backup damaged inside (its header intact).
    let damaged = dir.path().join("damaged.db");
    let mut bytes = target_bytes.clone();
    let len = bytes.len();
    assert!(len > 8192, "backup has several pages: {len}");
    bytes[4096..len].fill(0xAB);
    std::fs::write(&damaged, bytes).unwrap();

    let files = files_in(dir.path());
    for bad in [&garbage, &empty, &other, &damaged] {
        let err = restore(bad, &url, true).await.unwrap_err();
        let msg = format!("{err:#}");
        assert!(msg.contains("不是本平台的 SQLite 数据库备份"), "{msg}");
        assert!(msg.contains("未做任何改动"), "{msg}");
        assert_eq!(std::fs::read(&target).unwrap(), target_bytes, "{msg}");
        assert_eq!(files_in(dir.path()), files, "no file left behind: {msg}");
    }

    // A missing target stays missing.
    let absent = dir.path().join("absent.db");
    let absent_url = format!("sqlite://{}", absent.display());
    assert!(restore(&garbage, &absent_url, false).await.is_err());
    assert!(!absent.exists());
    assert_eq!(files_in(dir.path()), files);
}

#[tokio::test]
async fn a_backup_never_overwrites_an_existing_file() {
    if on_postgres() {
        return;
    }
    let app = app_with_records().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("taken.db");
    std::fs::write(&file, b"an earlier backup").unwrap();
    let err = backup(app.db(), &file).await.unwrap_err();
    assert!(format!("{err:#}").contains("已存在，不会覆盖"), "{err:#}");
    assert_eq!(std::fs::read(&file).unwrap(), b"an earlier backup");
}

#[tokio::test]
async fn a_file_name_with_quotes_is_backed_up_as_named() {
    if on_postgres() {
        return;
    }
    let app = TestApp::new().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("it's a 'backup'.db");
    backup(app.db(), &file).await.expect("backup");
    assert!(file.is_file());
    assert_eq!(files_in(dir.path()), vec!["it's a 'backup'.db".to_string()]);
}

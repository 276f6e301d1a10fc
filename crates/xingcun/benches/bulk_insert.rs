//! The baseline for the import benchmark: the same workbook's rows inserted as plain text into
//! one scratch table, in one transaction, with the same driver and the same multi-row INSERTs,
//! but no validation, no encryption and no audit. `scripts/bench-import` runs it.
//!
//! Usage: bulk_insert FILE.xlsx DATABASE_URL

use xingcun::db::Db;
use xingcun_xlsx::WorkbookReader;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 || args[1] == "--bench" {
        eprintln!("usage: bulk_insert FILE.xlsx DATABASE_URL");
        return Ok(());
    }
    let db = Db::connect(&args[2]).await?;
    sqlx::query("CREATE TABLE bench_rows (sheet TEXT, c0 TEXT, c1 TEXT, c2 TEXT, c3 TEXT, c4 TEXT, c5 TEXT, c6 TEXT, c7 TEXT, c8 TEXT, c9 TEXT, c10 TEXT, c11 TEXT, c12 TEXT)")
        .execute(&db.pool)
        .await?;
    let mut reader = WorkbookReader::open_path(std::path::Path::new(&args[1]))?;
    let mut tx = db.pool.begin().await?;
    let mut total = 0usize;
    for sheet in reader.sheet_names() {
        let mut batch: Vec<Vec<Option<String>>> = Vec::new();
        for item in reader.rows(&sheet)?.skip(1) {
            let (_, cells) = item?;
            let mut row: Vec<Option<String>> = cells.iter().map(|c| c.as_text()).collect();
            row.resize(13, None);
            batch.push(row);
            if batch.len() == xingcun::workbook::load::MAX_PARAMS / 14 {
                total += flush(&mut tx, &sheet, &mut batch).await?;
            }
        }
        total += flush(&mut tx, &sheet, &mut batch).await?;
    }
    tx.commit().await?;
    println!("{total} rows");
    Ok(())
}

async fn flush(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    sheet: &str,
    batch: &mut Vec<Vec<Option<String>>>,
) -> anyhow::Result<usize> {
    if batch.is_empty() {
        return Ok(0);
    }
    let groups: Vec<String> = (0..batch.len())
        .map(|i| {
            format!(
                "({})",
                xingcun::workbook::load::ordered_placeholders(tx, i * 14 + 1, 14)
            )
        })
        .collect();
    let sql = format!("INSERT INTO bench_rows VALUES {}", groups.join(", "));
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for row in batch.iter() {
        q = q.bind(sheet.to_string());
        for v in row.iter().take(13) {
            q = q.bind(v.clone());
        }
    }
    q.execute(&mut **tx).await?;
    let n = batch.len();
    batch.clear();
    Ok(n)
}

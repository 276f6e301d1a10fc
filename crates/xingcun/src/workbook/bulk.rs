//! Loading a district's first records on SQLite: while an import fills a nearly empty table
//! with many new rows, that table's secondary indexes (and the audit trail's) are dropped inside
//! the import's transaction and built again, by sorting, just before it commits.
//!
//! Maintaining an index row by row inserts into a B-tree in random key order (names, blind
//! indexes); once the tree outgrows the page cache every insert reads and spills pages. Building
//! it once from the finished table is a sort. The indexes are dropped and rebuilt in the same
//! transaction as the rows: a refused or failed import rolls back to the indexes as they were,
//! and readers, who see the last committed state, never see a table without them. Unique
//! constraints are never dropped (their indexes are the constraints, and the import's own
//! look-ups by key go through them).
//!
//! PostgreSQL is left alone: there `DROP INDEX` would lock the table against every reader
//! until the import commits.

use sqlx::{Any, Row, Transaction};

use super::check::SheetPlan;
use super::read::CHUNK_ROWS;
use super::sheets::SheetId;
use crate::db::Backend;

/// A table holding fewer rows than this has its indexes rebuilt rather than maintained.
const SMALL_TABLE: i64 = 100_000;
/// The audit trail is rebuilt only while it is young: rebuilding sorts all of it.
const SMALL_AUDIT: i64 = 1_000_000;

/// The page cache of the importing connection during a bulk load, in KiB: the unique indexes
/// still maintained row by row (blind indexes, household numbers) stay in memory instead of
/// being spilled and read back. A fixed bound, whatever the size of the workbook.
const BULK_CACHE_KIB: u32 = 256 * 1024;

/// Whether a sheet's piece is worth loading in bulk: a full chunk's worth of new rows into a
/// small table.
fn worth_it(new_rows: usize, stored: i64) -> bool {
    new_rows >= CHUNK_ROWS / 2 && stored < SMALL_TABLE
}

/// The import's bulk-loading state: which tables were decided, and the indexes to rebuild.
#[derive(Debug)]
pub struct BulkLoad {
    enabled: bool,
    decided: Vec<&'static str>,
    /// The `CREATE INDEX …` of every index dropped, in the order dropped.
    dropped: Vec<String>,
    /// Whether the connection's page cache was raised to [`BULK_CACHE_KIB`].
    cache_raised: bool,
    /// Whether the connection's sorter was given a helper thread.
    threads_raised: bool,
}

impl BulkLoad {
    pub fn new(backend: Backend) -> BulkLoad {
        BulkLoad {
            enabled: backend == Backend::Sqlite,
            decided: Vec::new(),
            dropped: Vec::new(),
            cache_raised: false,
            threads_raised: false,
        }
    }

    /// Before a piece is written: on its table's first piece, decides whether to load that
    /// table in bulk, and if so drops its secondary indexes (and, once, the audit trail's).
    pub async fn before_write(
        &mut self,
        tx: &mut Transaction<'static, Any>,
        plan: &SheetPlan,
    ) -> Result<(), sqlx::Error> {
        let table = match plan.sheet.id {
            SheetId::Households => "household",
            SheetId::People => "person",
            SheetId::HouseholdLinks => "household_link",
            _ => return Ok(()),
        };
        if !self.enabled || self.decided.contains(&table) {
            return Ok(());
        }
        self.decided.push(table);
        let new_rows = plan
            .items
            .iter()
            .filter(|it| it.changed() && it.existing.is_none())
            .count();
        if !worth_it(new_rows, stored(tx, table, SMALL_TABLE).await?) {
            return Ok(());
        }
        if !self.cache_raised {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "PRAGMA cache_size = -{BULK_CACHE_KIB}"
            )))
            .execute(&mut **tx)
            .await?;
            self.cache_raised = true;
        }
        self.drop_indexes(tx, table).await?;
        if !self.decided.contains(&"audit_log") {
            self.decided.push("audit_log");
            if stored(tx, "audit_log", SMALL_AUDIT).await? < SMALL_AUDIT {
                self.drop_indexes(tx, "audit_log").await?;
            }
        }
        Ok(())
    }

    async fn drop_indexes(
        &mut self,
        tx: &mut Transaction<'static, Any>,
        table: &str,
    ) -> Result<(), sqlx::Error> {
        // `sql IS NULL` marks the indexes SQLite made for UNIQUE and PRIMARY KEY constraints.
        let indexes = sqlx::query(
            "SELECT name, sql FROM sqlite_master
             WHERE type = 'index' AND tbl_name = $1 AND sql IS NOT NULL ORDER BY name",
        )
        .bind(table.to_string())
        .fetch_all(&mut **tx)
        .await?;
        for r in indexes {
            let (name, sql): (String, String) = (r.try_get(0)?, r.try_get(1)?);
            sqlx::query(sqlx::AssertSqlSafe(format!("DROP INDEX \"{name}\"")))
                .execute(&mut **tx)
                .await?;
            tracing::info!(index = %name, "bulk load: index dropped until the import commits");
            self.dropped.push(sql);
        }
        Ok(())
    }

    /// Rebuilds every index dropped, in the import's transaction, before it commits.
    /// Each index is sorted with a helper thread beside the connection's own (`PRAGMA threads`).
    pub async fn finish(&mut self, tx: &mut Transaction<'static, Any>) -> Result<(), sqlx::Error> {
        if !self.dropped.is_empty() {
            sqlx::query("PRAGMA threads = 1").execute(&mut **tx).await?;
            self.threads_raised = true;
        }
        for sql in self.dropped.drain(..) {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut **tx)
                .await?;
        }
        self.release(tx).await
    }

    /// Gives the connection back its usual page cache (from `db::Db::connect`) and sorter before it
    /// returns to the pool, whether the import commits or rolls back.
    pub async fn release(&mut self, tx: &mut Transaction<'static, Any>) -> Result<(), sqlx::Error> {
        if std::mem::take(&mut self.threads_raised) {
            sqlx::query("PRAGMA threads = 0").execute(&mut **tx).await?;
        }
        if std::mem::take(&mut self.cache_raised) {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "PRAGMA cache_size = -{}",
                crate::db::SQLITE_CACHE_KIB
            )))
            .execute(&mut **tx)
            .await?;
        }
        Ok(())
    }
}

/// The rows of `table` as seen in the transaction, counted up to `cap`.
async fn stored(
    tx: &mut Transaction<'static, Any>,
    table: &str,
    cap: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM (SELECT 1 FROM {table} LIMIT {cap}) t"
    )))
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_many_new_rows_into_a_small_table_are_loaded_in_bulk() {
        assert!(worth_it(CHUNK_ROWS, 0));
        assert!(worth_it(CHUNK_ROWS / 2, SMALL_TABLE - 1));
        assert!(!worth_it(CHUNK_ROWS / 2 - 1, 0), "a small import");
        assert!(!worth_it(CHUNK_ROWS, SMALL_TABLE), "a large stored table");
    }
}

//! The district workbook (台账工作簿) of `shared/spec/workbook.md`: import (all or nothing,
//! every problem listed by sheet, row and column, idempotent), export and templates.
//!
//! Import runs in three steps: [`read`] turns cells into canonical values, [`check`] merges them
//! with the stored records and checks every rule and reference, [`apply`] writes the plan in one
//! transaction. A refused import writes nothing.

pub mod apply;
pub mod check;
pub mod export;
pub mod load;
pub mod read;
pub mod sheets;

use std::fmt;

use chrono::NaiveDate;
use xingcun_crypto::CryptoProvider;
use xingcun_xlsx::{CellMark, WorkbookReader};

use crate::audit::Actor;
use crate::db::Db;

/// One problem of an import, at its place in the workbook.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub sheet: String,
    /// 1-based row; 0 for the workbook as a whole.
    pub row: u32,
    pub column: Option<String>,
    /// The column's 0-based position in the file, for marking the cell.
    #[serde(skip)]
    pub file_col: Option<u32>,
    pub value: Option<String>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.sheet)?;
        if self.row > 0 {
            write!(f, ", 第{}行", self.row)?;
        }
        if let Some(c) = &self.column {
            write!(f, ", {c}")?;
        }
        if let Some(v) = &self.value {
            write!(f, "「{v}」")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// How to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Only check; write nothing.
    pub dry_run: bool,
    /// `--org`: the scope prefix of the unit every written record must lie in.
    pub within: Option<String>,
    /// Today (ID numbers may not be born after it).
    pub today: NaiveDate,
}

/// What an import did or would do.
#[derive(Debug)]
pub enum ImportOutcome {
    /// Refused: every problem, nothing written.
    Refused(Vec<Problem>),
    /// Checked (dry run) or written: per sheet (name, inserted, updated, unchanged).
    Done {
        written: bool,
        counts: apply::Counts,
    },
}

/// Reads, checks and (unless a dry run) writes a workbook, all or nothing.
pub async fn import(
    db: &Db,
    crypto: &dyn CryptoProvider,
    actor: &Actor,
    bytes: Vec<u8>,
    opts: &ImportOptions,
) -> anyhow::Result<ImportOutcome> {
    let mut problems = Vec::new();
    let data = tokio::task::spawn_blocking(
        move || -> anyhow::Result<(Vec<read::SheetData>, Vec<Problem>)> {
            let mut reader = WorkbookReader::open_bytes(bytes)
                .map_err(|e| anyhow::anyhow!("无法打开工作簿：{e}"))?;
            let mut problems = Vec::new();
            let data = read::read_workbook(&mut reader, &mut problems);
            Ok((data, problems))
        },
    )
    .await??;
    let (data, read_problems) = data;
    problems.extend(read_problems);
    let check_opts = check::Options {
        today: opts.today,
        within: opts.within.clone(),
    };
    let plans = check::plan(&db.pool, crypto, &data, &check_opts, &mut problems).await?;
    if !problems.is_empty() {
        problems.sort_by(|a, b| {
            (sheet_order(&a.sheet), a.row, &a.column).cmp(&(
                sheet_order(&b.sheet),
                b.row,
                &b.column,
            ))
        });
        problems.dedup();
        return Ok(ImportOutcome::Refused(problems));
    }
    if opts.dry_run {
        let counts = plans
            .iter()
            .map(|p| {
                let changed: Vec<_> = p.items.iter().filter(|i| i.changed()).collect();
                let ins = changed.iter().filter(|i| i.existing.is_none()).count();
                (
                    p.sheet.name,
                    ins,
                    changed.len() - ins,
                    p.items.len() - changed.len(),
                )
            })
            .collect();
        return Ok(ImportOutcome::Done {
            written: false,
            counts,
        });
    }
    let mut tx = db.pool.begin().await?;
    let counts = apply::apply(&mut tx, crypto, actor, &plans).await?;
    tx.commit().await?;
    Ok(ImportOutcome::Done {
        written: true,
        counts,
    })
}

fn sheet_order(name: &str) -> usize {
    sheets::SHEETS
        .iter()
        .position(|s| s.name == name)
        .unwrap_or(usize::MAX)
}

/// The uploaded workbook with each problem's cell marked and commented.
pub fn marked_copy(original: &[u8], problems: &[Problem]) -> anyhow::Result<Vec<u8>> {
    let marks: Vec<CellMark> = problems
        .iter()
        .filter(|p| p.row > 0)
        .map(|p| CellMark {
            sheet: p.sheet.clone(),
            row: p.row,
            col: p.file_col,
            message: p.to_string(),
        })
        .collect();
    Ok(xingcun_xlsx::mark_errors(original, &marks)?)
}

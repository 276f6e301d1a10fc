//! 「一亲三心」 outreach pages: the record lists (工作队, 工作队成员, 包村, 驻村, 入网, 联户, 走访)
//! with their end action, coverage at a glance, a party member's 我的联系户 with the quick visit
//! form, and the alerts (预警) list with its pluggable sources.
//!
//! Every write goes through [`workbook::import_sheets`] as a one-row sheet (see [`import_row`]),
//! so the outreach rules live once, in `workbook/check.rs`; records are never deleted here —
//! an assignment ends by getting its end date.
//!
//! - `records.rs`: the list queries, one table-driven [`records::ListKind`] per sheet, and the
//!   outreach part of a household's page.
//! - `coverage.rs`: the four coverage gaps, defined once on the `outreach.*` populations.
//! - `my.rs`: `/my/households` and the visit form (a phone page).
//! - `alerts.rs`: [`alerts::SOURCES`], the alert sources, and the `/alerts` page.
//! - `pages.rs`: the list, end and coverage pages.

pub mod alerts;
pub mod coverage;
pub mod my;
pub mod pages;
pub mod records;

use crate::accounts::CurrentUser;
use crate::app::AppState;
use crate::error::AppResult;
use crate::workbook::read::{Row, SheetData};
use crate::workbook::sheets::Sheet;
use crate::workbook::{self, ImportOptions, ImportOutcome, Problem};

/// Writes one record of `sheet` (canonical values in column order) through the import, limited
/// to the user's subtree: `Ok(Err(problems))` when a rule refuses it, nothing written.
pub async fn import_row(
    state: &AppState,
    user: &CurrentUser,
    sheet: &'static Sheet,
    values: Vec<Option<String>>,
) -> AppResult<Result<(), Vec<Problem>>> {
    let n = sheet.columns.len();
    let data = SheetData {
        sheet,
        present: vec![true; n],
        file_col: vec![None; n],
        rows: vec![Row { row: 2, values }],
    };
    let opts = ImportOptions {
        dry_run: false,
        within: Some(user.scope.prefix().to_string()).filter(|p| !p.is_empty()),
        today: crate::dates::today(),
    };
    let outcome = workbook::import_sheets(
        state.db(),
        state.crypto(),
        &user.actor(),
        vec![data],
        Vec::new(),
        &opts,
    )
    .await?;
    Ok(match outcome {
        ImportOutcome::Done { .. } => Ok(()),
        ImportOutcome::Refused(p) => Err(p),
    })
}

/// The messages of refused problems, each once, for a form's alert.
pub fn messages(problems: &[Problem]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in problems {
        let m = match &p.column {
            Some(c) => format!("{c}：{}", p.message),
            None => p.message.clone(),
        };
        if !out.contains(&m) {
            out.push(m);
        }
    }
    out
}

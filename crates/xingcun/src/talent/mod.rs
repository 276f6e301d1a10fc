//! The cadre pipeline (头雁工程): degree upgrades (学历提升) and the reserve talent pool
//! (后备人才). Records arrive through the workbook sheets 学历提升 and 后备人才
//! (`workbook::outreach` stores them, `workbook::check::check_talent` checks them); a recorded
//! graduation raises the person's 在职学历 here, in the import's transaction, audited. The
//! figures are `indicators::talent`. `committees` gives the make-up of the village committees
//! (村"两委") at a date; `succession` each village's secretary and possible successors;
//! `records` the list queries and `pages` the pages.

pub mod appoint;
pub mod committees;
pub mod lists;
pub mod pages;
pub mod records;
pub mod succession;

use sqlx::{Any, Row, Transaction};
use xingcun_domain::enums::Education;

use crate::audit::{self, Action, Actor, Change, Entry};
use crate::db::now_ms;
use crate::registry::PersonId;

/// A graduation: raises the person's 在职学历 to `level` when that is higher than the stored
/// one, audited as an update of the person. Returns whether it changed anything.
pub async fn raise_education(
    tx: &mut Transaction<'static, Any>,
    actor: &Actor,
    person: PersonId,
    level: Education,
) -> Result<bool, sqlx::Error> {
    let row = sqlx::query("SELECT edu_in_service, id_masked, org_code FROM person WHERE id = $1")
        .bind(person.0)
        .fetch_one(&mut **tx)
        .await?;
    let old: Option<String> = row.try_get(0)?;
    let current = old.as_deref().and_then(Education::from_code);
    if current.is_some_and(|c| c >= level) {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE person SET edu_in_service = $1, version = version + 1, updated_at = $2
         WHERE id = $3",
    )
    .bind(level.code())
    .bind(now_ms())
    .bind(person.0)
    .execute(&mut **tx)
    .await?;
    let key: String = row.try_get(1)?;
    let org: Option<String> = row.try_get(2)?;
    audit::record(
        tx,
        Entry {
            actor,
            action: Action::Update,
            entity: "person",
            entity_key: &key,
            org_code: org.as_deref(),
            changes: &[Change {
                field: "在职学历",
                old,
                new: Some(level.code().to_string()),
            }],
        },
    )
    .await?;
    Ok(true)
}

/// Export: an exported 培训参训 row names its training, which may have been organised above the
/// exported unit (by the district, say); that training is exported too, so the workbook imports
/// on its own. `trainings` and `attendances` are the rows exported so far.
pub async fn add_referenced_trainings(
    pool: &sqlx::AnyPool,
    crypto: &dyn xingcun_crypto::CryptoProvider,
    trainings: &mut Vec<Vec<Option<String>>>,
    attendances: &[Vec<Option<String>>],
) -> Result<(), sqlx::Error> {
    use std::collections::BTreeSet;
    let have: BTreeSet<String> = trainings.iter().filter_map(|r| r[0].clone()).collect();
    let wanted: Vec<String> = attendances
        .iter()
        .filter_map(|r| r[0].clone())
        .filter(|no| !have.contains(no))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let sheet = &crate::workbook::sheets::TRAININGS;
    for r in crate::workbook::outreach::records_with_keys(pool, crypto, sheet, &wanted).await? {
        trainings.push(r.values);
    }
    trainings.sort_by(|a, b| a[0].cmp(&b[0]));
    Ok(())
}

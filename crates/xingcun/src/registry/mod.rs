//! The registry (基础台账): households, people, party organisations, party members and cadre
//! posts. Writes arrive through the workbook import (`crate::workbook`), the demo, and the
//! create and edit forms in `forms` (which write through the same import); reads and pages live
//! here: the SQL per entity in `households`, `people`, `party` and `cadres` (every function
//! takes a [`Scope`] and reads one query), the people search in `search`, the HTML pages in
//! `pages` and the JSON API in `api`.
//!
//! Personal identifiers: lists and the API show only the stored masks; a detail page opens
//! the ciphertext (see `personal`) for a role with `SeePersonalData`.

pub mod api;
pub mod cadres;
pub mod forms;
pub mod households;
pub mod pages;
pub mod party;
pub mod people;
pub mod personal;
pub mod search;

use serde::{Deserialize, Serialize};
use sqlx::AnyPool;

use crate::error::AppResult;
use crate::scope::Scope;

/// A household's row id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct HouseholdId(pub i64);

/// A person's row id (never the ID number, which stays out of URLs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PersonId(pub i64);

/// A party organisation's row id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PartyOrgId(pub i64);

/// A filter value as given, trimmed; empty counts as absent.
pub(crate) fn given(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The label of a stored enum code, or the code itself when it is not one the domain knows
/// (so an unexpected value shows rather than vanishes).
pub(crate) fn label_of(code: Option<&str>, label: impl Fn(&str) -> Option<&'static str>) -> String {
    match code {
        Some(c) => label(c)
            .map(str::to_string)
            .unwrap_or_else(|| c.to_string()),
        None => String::new(),
    }
}

/// The user's scope narrowed to the subtree of the org unit a list is filtered by. `None`
/// when that unit is not in the scope: then nothing matches (and nothing is revealed).
pub async fn narrow_to_org(
    pool: &AnyPool,
    scope: &Scope,
    org: Option<&str>,
) -> AppResult<Option<Scope>> {
    match org.map(str::trim).filter(|o| !o.is_empty()) {
        None => Ok(Some(scope.clone())),
        Some(code) => Ok(crate::org::find(pool, scope, code)
            .await?
            .and_then(|unit| scope.narrow(&unit.scope()))),
    }
}

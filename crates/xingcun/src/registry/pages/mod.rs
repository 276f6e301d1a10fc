//! Registry pages: lists in the list-page pattern (`web::list`) with filters, pagination and
//! Excel export, and a detail page per household, person and party org.
//!
//! Lists show only the stored masks of ID and phone numbers. Detail pages open the sealed value
//! for a role with `SeePersonalData` and show the mask to everyone else. No ID or phone number
//! is ever put into a URL: records are addressed by row id, and a search by number goes by
//! POST (see `people::search_people`) and is left out of every link the result page builds.

pub mod cadres;
pub mod households;
pub mod party;
pub mod people;

use sqlx::AnyPool;

use super::search::Search;
use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::error::AppResult;
use crate::org::OrgFilter;
use crate::scope::Scope;
use crate::web::list::{Crumb, Filter, query_of};

/// The breadcrumb of a registry page: 基础台账 / the list / (the record).
fn crumbs(list: (&str, &str), record: Option<&str>) -> Vec<Crumb> {
    let mut c = vec![
        Crumb {
            label: "基础台账".into(),
            href: None,
        },
        Crumb {
            label: list.0.into(),
            href: record.is_some().then(|| list.1.to_string()),
        },
    ];
    if let Some(r) = record {
        c.push(Crumb {
            label: r.into(),
            href: None,
        });
    }
    c
}

/// The org units a list can be narrowed to: the user's subtree down to villages, and the grids
/// too when the subtree is one village (else they would be hundreds). Indented by depth.
pub(crate) async fn org_options(pool: &AnyPool, scope: &Scope) -> AppResult<Vec<(String, String)>> {
    let units = crate::org::list(pool, scope, &OrgFilter::default(), 0, 100_000).await?;
    let top = units.iter().map(|u| u.kind().level()).min().unwrap_or(0);
    let with_grids = top >= 2;
    Ok(units
        .iter()
        .filter(|u| with_grids || u.kind().level() < 3)
        .map(|u| {
            let indent = "　".repeat(usize::from(u.kind().level() - top));
            (u.code.clone(), format!("{indent}{}", u.name))
        })
        .collect())
}

/// (code, label) pairs for a drop-down.
pub(crate) fn options<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<(String, String)> {
    pairs
        .into_iter()
        .map(|(c, l)| (c.to_string(), l.to_string()))
        .collect()
}

/// The query string that page and export links keep: the filters, but not a searched ID or
/// phone number, which must never land in a URL.
fn link_query(filters: &[Filter], search: &Search) -> String {
    if search.is_identifier() {
        let kept: Vec<Filter> = filters.iter().filter(|f| f.name != "q").cloned().collect();
        query_of(&kept)
    } else {
        query_of(filters)
    }
}

/// A personal identifier as the household page shows it: opened for a role with
/// `SeePersonalData`, otherwise (or if it does not open) the stored mask. The person page shows
/// the mask to everyone and unmasks one field with a reason (`people::reveal`, access-logged).
fn personal_value(
    state: &AppState,
    user: &CurrentUser,
    enc: Option<&str>,
    masked: Option<&str>,
    aad: &[u8],
) -> Option<String> {
    if user.can(Permission::SeePersonalData)
        && let Some(plain) = enc.and_then(|e| super::personal::open(state.crypto(), e, aad))
    {
        return Some(plain);
    }
    masked.map(str::to_string)
}

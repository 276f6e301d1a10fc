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
use crate::error::AppResult;
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
/// too when the subtree is one village. Indented by depth.
pub(crate) async fn org_options(pool: &AnyPool, scope: &Scope) -> AppResult<Vec<(String, String)>> {
    crate::org::options(pool, scope, true).await
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

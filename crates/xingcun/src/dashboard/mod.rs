//! The dashboard (工作台) of one org unit: every indicator of the registry for the period F–T,
//! its change against the previous period, its monthly trend and the ranking of the unit's
//! child units — all computed by the indicator engine ([`crate::indicators::figure`]), nothing
//! stored. [`pages`] renders it (SVG charts from templates) and exports it to Excel.
//!
//! **Dates.** The dashboard takes F and T; D is T. The previous period of a 时期 indicator is
//! the period of the same length just before F; a 时点 indicator is compared at F−1 day and at
//! T. A month of the trend is the part of a calendar month inside F–T: a 时期 indicator counts
//! within it, a 时点 indicator is taken at its last day.
//!
//! **Speed.** A district dashboard is hundreds of figures (indicators × (2 + months + child
//! units)). They are computed concurrently on the pool, and the result is kept in a small cache
//! keyed by (database, data version, what was asked). The data version is the newest audit entry
//! that is not a sign-in or sign-out ([`data_version`]): every write of a record appends to the
//! audit chain in its own transaction, so a cached result is served only while no write has been
//! committed since it was computed. The version is read before and after computing, and a result
//! computed while it moved is not kept; misses are computed one at a time.

pub mod pages;

use std::any::Any;
use std::future::Future;
use std::sync::{Arc, Mutex};

use chrono::{Datelike, Days, NaiveDate};
use sqlx::AnyPool;
use tokio::task::JoinSet;

use crate::error::{AppError, AppResult};
use crate::indicators::{Dates, Figure, INDICATORS, Indicator};
use crate::org::OrgUnit;
use crate::scope::Scope;

/// The trend shows at most this many months (the last ones of a longer period).
pub const MAX_MONTHS: usize = 24;

/// The previous period of `d`: the same number of days just before F, and D = F − 1 day.
pub fn previous(d: &Dates) -> Dates {
    let days = (d.to - d.from).num_days().max(0) as u64 + 1;
    let to = d.from.pred_opt().unwrap_or(d.from);
    let from = d
        .from
        .checked_sub_days(Days::new(days))
        .unwrap_or(NaiveDate::MIN);
    Dates {
        as_of: to,
        from,
        to,
    }
}

fn month_end(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|n| n.pred_opt())
        .unwrap_or(d)
}

/// The months of F–T, each clipped to F–T, with D at its last day; the last [`MAX_MONTHS`].
pub fn months(d: &Dates) -> Vec<Dates> {
    let mut out = Vec::new();
    let mut start = d.from;
    while start <= d.to {
        let end = month_end(start).min(d.to);
        out.push(Dates {
            as_of: end,
            from: start,
            to: end,
        });
        match end.succ_opt() {
            Some(n) => start = n,
            None => break,
        }
    }
    let skip = out.len().saturating_sub(MAX_MONTHS);
    out.split_off(skip)
}

/// A figure as a number for charts and comparison: a count, a ratio in percent (two decimals),
/// a mean; `None` when there is no value (a ratio over 0, a mean of nobody).
pub fn number(f: &Figure) -> Option<f64> {
    match f {
        Figure::Count(n) => Some(*n as f64),
        Figure::Ratio(r) => r.ten_thousandths().map(|q| q as f64 / 100.0),
        Figure::Mean(m) => *m,
    }
}

/// A child unit in a ranking.
#[derive(Debug, Clone)]
pub struct Child {
    pub code: String,
    pub name: String,
}

/// One indicator on the dashboard.
#[derive(Debug, Clone)]
pub struct Row {
    pub ind: &'static Indicator,
    pub current: Figure,
    pub previous: Figure,
    /// One figure per month of [`Data::months`].
    pub trend: Vec<Figure>,
    /// (index into [`Data::children`], figure), best first: by value descending, a unit
    /// without a value last, ties by code ascending.
    pub ranking: Vec<(usize, Figure)>,
}

/// Everything the dashboard of one unit shows, as computed.
#[derive(Debug, Clone)]
pub struct Data {
    pub unit: OrgUnit,
    pub dates: Dates,
    pub previous: Dates,
    pub months: Vec<Dates>,
    pub children: Vec<Child>,
    pub rows: Vec<Row>,
}

/// Orders a ranking: value descending, no value last, then code ascending.
pub fn rank(children: &[Child], figures: Vec<(usize, Figure)>) -> Vec<(usize, Figure)> {
    let mut v = figures;
    v.sort_by(|(a, fa), (b, fb)| {
        let (va, vb) = (number(fa), number(fb));
        match (va, vb) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then_with(|| children[*a].code.cmp(&children[*b].code))
    });
    v
}

#[derive(Debug, Clone, Copy)]
enum Slot {
    Current,
    Previous,
    Month(usize),
    Child(usize),
}

/// Computes the dashboard of `unit` for `dates` (D = T), every figure from the engine.
pub async fn compute(pool: &AnyPool, unit: &OrgUnit, dates: &Dates) -> AppResult<Data> {
    let dates = Dates {
        as_of: dates.to,
        ..*dates
    };
    let prev = previous(&dates);
    let months = months(&dates);
    let to = dates.to.to_string();
    let units: Vec<OrgUnit> = crate::org::children(pool, &unit.scope(), &unit.code)
        .await?
        .into_iter()
        .filter(|c| c.revoked_on.as_deref().is_none_or(|r| r > to.as_str()))
        .collect();
    let child_scopes: Vec<Scope> = units.iter().map(OrgUnit::scope).collect();
    let children: Vec<Child> = units
        .into_iter()
        .map(|c| Child {
            code: c.code,
            name: c.name,
        })
        .collect();

    let mut jobs: JoinSet<AppResult<(usize, Slot, Figure)>> = JoinSet::new();
    for (i, ind) in INDICATORS.iter().enumerate() {
        let mut asks = vec![
            (Slot::Current, unit.scope(), dates),
            (Slot::Previous, unit.scope(), prev),
        ];
        asks.extend(
            months
                .iter()
                .enumerate()
                .map(|(m, d)| (Slot::Month(m), unit.scope(), *d)),
        );
        asks.extend(
            child_scopes
                .iter()
                .enumerate()
                .map(|(c, s)| (Slot::Child(c), s.clone(), dates)),
        );
        for (slot, scope, d) in asks {
            let pool = pool.clone();
            jobs.spawn(async move {
                let f = crate::indicators::figure(&pool, ind, &scope, &d).await?;
                Ok((i, slot, f))
            });
        }
    }

    let empty = Figure::Count(0);
    let mut rows: Vec<Row> = INDICATORS
        .iter()
        .map(|ind| Row {
            ind,
            current: empty,
            previous: empty,
            trend: vec![empty; months.len()],
            ranking: Vec::with_capacity(children.len()),
        })
        .collect();
    while let Some(done) = jobs.join_next().await {
        let (i, slot, f) = done.map_err(|e| AppError::Internal(e.into()))??;
        let row = &mut rows[i];
        match slot {
            Slot::Current => row.current = f,
            Slot::Previous => row.previous = f,
            Slot::Month(m) => row.trend[m] = f,
            Slot::Child(c) => row.ranking.push((c, f)),
        }
    }
    for row in &mut rows {
        row.ranking = rank(&children, std::mem::take(&mut row.ranking));
    }
    Ok(Data {
        unit: unit.clone(),
        dates,
        previous: prev,
        months,
        children,
        rows,
    })
}

// ---- the cache ------------------------------------------------------------------------------

/// What the cache's entries are valid for: the database, and its audit chain head.
type Version = (String, i64, String);

struct Entry {
    version: Version,
    key: String,
    value: Arc<dyn Any + Send + Sync>,
}

/// At most this many results are kept (per process, over all databases).
const CAPACITY: usize = 64;

static CACHE: Mutex<Vec<Entry>> = Mutex::new(Vec::new());

/// The data version: the newest entry of the audit chain other than a sign-in or sign-out
/// (`entity = 'session'`, which changes no record), as (id, hash); (0, "") when there is none.
/// Every write of a record appends an entry in its own transaction, after taking the chain
/// head, so entries are numbered in commit order and any committed write changes the version.
pub async fn data_version(pool: &AnyPool) -> AppResult<(i64, String)> {
    let row = sqlx::query(
        "SELECT id, hash FROM audit_log WHERE entity <> 'session' ORDER BY id DESC LIMIT 1",
    )
    .fetch_optional(pool)
    .await?;
    Ok(match row {
        Some(r) => (sqlx::Row::try_get(&r, 0)?, sqlx::Row::try_get(&r, 1)?),
        None => (0, String::new()),
    })
}

/// Cache misses are computed one at a time, so that many requests arriving after a write
/// compute the figures once and not once each.
static COMPUTING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The value cached under `key` for the database's current data version, or `compute`'s,
/// kept when no write was committed while it was computed.
pub async fn cached<T, F, Fut>(
    database: &str,
    pool: &AnyPool,
    key: String,
    compute: F,
) -> AppResult<Arc<T>>
where
    T: Send + Sync + 'static,
    F: FnOnce() -> Fut,
    Fut: Future<Output = AppResult<T>>,
{
    let (seq, hash) = data_version(pool).await?;
    let version: Version = (database.to_string(), seq, hash);
    if let Some(hit) = lookup(&version, &key)
        && let Ok(v) = hit.downcast::<T>()
    {
        return Ok(v);
    }
    let _turn = COMPUTING.lock().await;
    if let Some(hit) = lookup(&version, &key)
        && let Ok(v) = hit.downcast::<T>()
    {
        return Ok(v);
    }
    let value = Arc::new(compute().await?);
    let (seq2, hash2) = data_version(pool).await?;
    if (seq2, hash2.as_str()) == (version.1, version.2.as_str()) {
        store(version, key, value.clone());
    }
    Ok(value)
}

fn lookup(version: &Version, key: &str) -> Option<Arc<dyn Any + Send + Sync>> {
    let cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    cache
        .iter()
        .find(|e| &e.version == version && e.key == key)
        .map(|e| e.value.clone())
}

fn store(version: Version, key: String, value: Arc<dyn Any + Send + Sync>) {
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    // Entries of an older head of the same database can never be served again.
    cache.retain(|e| e.version.0 != version.0 || e.version == version);
    cache.retain(|e| !(e.version == version && e.key == key));
    if cache.len() >= CAPACITY {
        cache.remove(0);
    }
    cache.push(Entry {
        version,
        key,
        value,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn dates(f: &str, t: &str) -> Dates {
        Dates {
            as_of: d(t),
            from: d(f),
            to: d(t),
        }
    }

    #[test]
    fn the_previous_period_has_the_same_length_and_ends_the_day_before_f() {
        let p = previous(&dates("2026-01-01", "2026-06-30"));
        assert_eq!(
            (p.from, p.to, p.as_of),
            (d("2025-07-04"), d("2025-12-31"), d("2025-12-31"))
        );
        assert_eq!(
            (p.to - p.from).num_days(),
            (d("2026-06-30") - d("2026-01-01")).num_days()
        );
        let one = previous(&dates("2026-03-01", "2026-03-01"));
        assert_eq!((one.from, one.to), (d("2026-02-28"), d("2026-02-28")));
    }

    #[test]
    fn months_are_clipped_to_the_period_and_taken_at_their_last_day() {
        let m = months(&dates("2026-01-15", "2026-03-10"));
        let got: Vec<_> = m.iter().map(|x| (x.from, x.to, x.as_of)).collect();
        assert_eq!(
            got,
            vec![
                (d("2026-01-15"), d("2026-01-31"), d("2026-01-31")),
                (d("2026-02-01"), d("2026-02-28"), d("2026-02-28")),
                (d("2026-03-01"), d("2026-03-10"), d("2026-03-10")),
            ]
        );
        let long = months(&dates("2020-01-01", "2026-12-31"));
        assert_eq!(long.len(), MAX_MONTHS);
        assert_eq!(long.last().unwrap().to, d("2026-12-31"));
        assert_eq!(long[0].from, d("2025-01-01"));
    }

    #[test]
    fn rankings_go_by_value_descending_then_code_and_no_value_last() {
        use xingcun_domain::Ratio;
        let children: Vec<Child> = ["b", "a", "c", "d"]
            .iter()
            .map(|c| Child {
                code: c.to_string(),
                name: c.to_string(),
            })
            .collect();
        let r = rank(
            &children,
            vec![
                (0, Figure::Ratio(Ratio::new(1, 2))),
                (1, Figure::Ratio(Ratio::new(2, 4))),
                (2, Figure::Ratio(Ratio::new(0, 0))),
                (3, Figure::Ratio(Ratio::new(3, 4))),
            ],
        );
        let order: Vec<&str> = r.iter().map(|(i, _)| children[*i].code.as_str()).collect();
        assert_eq!(order, ["d", "a", "b", "c"]);
    }
}

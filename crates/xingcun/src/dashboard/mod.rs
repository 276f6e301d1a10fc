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
    /// How many indicators were computed afresh (the others came from the row cache).
    pub computed: usize,
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
    compute_with(pool, None, unit, dates).await
}

/// As [`compute`], but an indicator whose rows were computed for the same unit, dates and
/// child units while none of the kinds of record it reads has been written since (see
/// [`reads`]) is taken from the row cache of `database`; [`Data::computed`] says how many were
/// computed afresh. After a villager files a demand, only the demand figures are computed again.
pub async fn compute_cached(
    database: &str,
    pool: &AnyPool,
    unit: &OrgUnit,
    dates: &Dates,
) -> AppResult<Data> {
    compute_with(pool, Some(database), unit, dates).await
}

async fn compute_with(
    pool: &AnyPool,
    database: Option<&str>,
    unit: &OrgUnit,
    dates: &Dates,
) -> AppResult<Data> {
    // Read before computing: a row is labelled with the versions it was computed at or after.
    let versions = match database {
        Some(_) => entity_versions(pool).await?,
        None => Vec::new(),
    };
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

    let child_codes: Vec<&str> = children.iter().map(|c| c.code.as_str()).collect();
    let row_key = |ind: &Indicator, db: &str| {
        format!(
            "{db}|{}|{}|{}|{}|{}",
            unit.code,
            dates.from,
            dates.to,
            ind.key,
            child_codes.join(",")
        )
    };
    let mut cached_rows: Vec<Option<Row>> = vec![None; INDICATORS.len()];
    let stamps: Vec<u64> = match database {
        Some(_) => (0..INDICATORS.len()).map(|n| stamp(n, &versions)).collect(),
        None => Vec::new(),
    };
    if let Some(db) = database {
        let rows = ROWS.lock().unwrap_or_else(|e| e.into_inner());
        for (i, ind) in INDICATORS.iter().enumerate() {
            cached_rows[i] = rows
                .get(&row_key(ind, db))
                .filter(|(s, _)| *s == stamps[i])
                .map(|(_, r)| r.clone());
        }
    }
    let computed = cached_rows.iter().filter(|r| r.is_none()).count();

    let mut jobs: JoinSet<AppResult<(usize, Slot, Figure)>> = JoinSet::new();
    for (i, ind) in INDICATORS.iter().enumerate() {
        if cached_rows[i].is_some() {
            continue;
        }
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
    for (i, row) in rows.iter_mut().enumerate() {
        match cached_rows[i].take() {
            Some(hit) => *row = hit,
            None => row.ranking = rank(&children, std::mem::take(&mut row.ranking)),
        }
    }
    if let Some(db) = database {
        let mut cache = ROWS.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() + rows.len() > ROW_CAPACITY {
            cache.clear();
        }
        for (row, stamp) in rows.iter().zip(&stamps) {
            cache.insert(row_key(row.ind, db), (*stamp, row.clone()));
        }
    }
    Ok(Data {
        unit: unit.clone(),
        dates,
        previous: prev,
        months,
        children,
        rows,
        computed,
    })
}

// ---- which writes change which figures -------------------------------------------------------

/// The rows of dashboards computed, by (database, unit, F, T, key, child units), with the
/// [`stamp`] of the versions they were computed at.
static ROWS: std::sync::LazyLock<Mutex<std::collections::HashMap<String, (u64, Row)>>> =
    std::sync::LazyLock::new(Default::default);

/// Rows kept at most (a row is an indicator's figures for one dashboard).
const ROW_CAPACITY: usize = 20_000;

/// How many times each kind of record has been written (`data_version`, kept by the audit
/// trail in the transaction of each write).
pub async fn entity_versions(pool: &AnyPool) -> AppResult<Vec<(String, i64)>> {
    let rows = sqlx::query("SELECT entity, seq FROM data_version ORDER BY entity")
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| Ok((sqlx::Row::try_get(r, 0)?, sqlx::Row::try_get(r, 1)?)))
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

/// [`reads`] of every indicator, by its place in [`INDICATORS`], worked out once.
fn all_reads() -> &'static [Vec<String>] {
    static READS: std::sync::OnceLock<Vec<Vec<String>>> = std::sync::OnceLock::new();
    READS.get_or_init(|| INDICATORS.iter().map(reads).collect())
}

/// The versions of the kinds of record the `n`-th indicator of [`INDICATORS`] reads, folded
/// into one number.
fn stamp(n: usize, versions: &[(String, i64)]) -> u64 {
    use std::hash::{Hash, Hasher};
    let tables = &all_reads()[n];
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for (entity, seq) in versions {
        if affects(entity, tables) {
            (entity, seq).hash(&mut h);
        }
    }
    h.finish()
}

/// Every table named after `FROM` or `JOIN` in `sql` (lower case, each once).
pub fn tables_in(sql: &str) -> Vec<String> {
    let words: Vec<&str> = sql
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '('))
        .filter(|w| !w.is_empty())
        .collect();
    let mut out: Vec<String> = Vec::new();
    for pair in words.windows(2) {
        let (kw, name) = (pair[0], pair[1]);
        if (kw.eq_ignore_ascii_case("from") || kw.eq_ignore_ascii_case("join"))
            && name.starts_with(|c: char| c.is_ascii_alphabetic())
        {
            let name = name.to_ascii_lowercase();
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

/// The tables an indicator's figure reads: those of its populations' SQL, and `person` for a
/// mean age (read by [`crate::indicators::ages`]); the org tree always, for the child units.
pub fn reads(ind: &Indicator) -> Vec<String> {
    let mut tables: Vec<String> = ind
        .populations()
        .iter()
        .flat_map(|p| tables_in(p.sql))
        .collect();
    if matches!(ind.measure, crate::indicators::Measure::MeanAge(_)) {
        tables.push("person".into());
    }
    tables.push("org_unit".into());
    tables.sort();
    tables.dedup();
    tables
}

/// Kinds of record whose writes never change a figure.
const NOT_COUNTED: &[&str] = &["user", "report_template", "attachment", "work_phone"];

/// Whether a write of `entity` (an audit entity: the kind of record, named as its main table)
/// can change a figure that reads `tables`. A kind is related to a table when one's name is the
/// other's or begins with it and `_` (a demand's steps are written with the demand:
/// `demand_event`). A kind related to no table any indicator reads, and not known to change no
/// figure, is taken to change every figure: an unforeseen kind of write costs time, never a
/// stale figure.
pub fn affects(entity: &str, tables: &[String]) -> bool {
    if NOT_COUNTED.contains(&entity) {
        return false;
    }
    let related = |t: &str| {
        t == entity
            || t.strip_prefix(entity).is_some_and(|r| r.starts_with('_'))
            || entity.strip_prefix(t).is_some_and(|r| r.starts_with('_'))
    };
    if tables.iter().any(|t| related(t)) {
        return true;
    }
    !all_reads().iter().flatten().any(|t| related(t))
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
    fn the_tables_a_figure_reads_come_from_its_sql() {
        assert_eq!(
            tables_in(
                "SELECT h.id FROM household h LEFT JOIN (SELECT l.id FROM household_link l
                 JOIN person p ON p.id = l.person_id) ll ON ll.household_id = h.id
                 WHERE EXISTS (SELECT 1 FROM Party_Member m)"
            ),
            ["household", "household_link", "person", "party_member"]
        );
        let coverage = crate::indicators::find("outreach.household_link_coverage").unwrap();
        let t = reads(coverage);
        for want in [
            "household",
            "household_link",
            "person",
            "party_member",
            "org_unit",
        ] {
            assert!(t.iter().any(|x| x == want), "{want} in {t:?}");
        }
        // Every indicator reads some record, and only tables the migrations create: a name
        // read wrongly from the SQL would leave its figure stale.
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite");
        let mut schema = String::new();
        for f in std::fs::read_dir(dir).unwrap() {
            schema += &std::fs::read_to_string(f.unwrap().path()).unwrap();
        }
        for ind in INDICATORS {
            let t = reads(ind);
            assert!(t.len() > 1, "{} reads {t:?}", ind.key);
            for table in &t {
                assert!(
                    schema.contains(&format!("CREATE TABLE {table} (")),
                    "{} reads {table}, which no migration creates",
                    ind.key
                );
            }
        }
    }

    #[test]
    fn a_write_changes_the_figures_that_read_its_kind_of_record_and_unknown_kinds_change_all() {
        let t = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let demands = t(&["demand", "org_unit"]);
        let links = t(&[
            "household",
            "household_link",
            "org_unit",
            "party_member",
            "person",
        ]);
        assert!(affects("demand", &demands));
        // A demand's steps are written with it.
        assert!(affects("demand_event", &demands));
        assert!(!affects("demand", &links));
        assert!(affects("household_link", &links));
        assert!(!affects("visit", &links));
        // An account or a report template changes no figure.
        assert!(!affects("user", &links) && !affects("report_template", &demands));
        // A kind of record no indicator reads is taken to change everything.
        assert!(affects("something_new", &demands) && affects("something_new", &links));
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

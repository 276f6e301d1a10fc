//! Drill-down: the list of what a figure counts, one row per counted thing with the records
//! behind it, read from the same population SQL the figure is computed from.

use std::collections::HashMap;

use serde::Deserialize;
use sqlx::AnyPool;

use super::units::{RowCtx, SubjectKey};
use super::{Dates, Indicator, Measure, Population, bind_population};
use crate::error::AppResult;
use crate::scope::Scope;
use crate::web::list::{Cell, Table};

/// Which list of a ratio: its numerator's things or its denominator's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    #[default]
    Numerator,
    Denominator,
}

impl Side {
    pub fn code(self) -> &'static str {
        match self {
            Side::Numerator => "numerator",
            Side::Denominator => "denominator",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Side::Numerator => "分子",
            Side::Denominator => "分母",
        }
    }

    /// Reads `?list=`; anything but `denominator` is the numerator (the list a ratio opens on).
    pub fn parse(s: Option<&str>) -> Side {
        match s {
            Some("denominator") => Side::Denominator,
            _ => Side::Numerator,
        }
    }
}

/// The population a drill-down lists: a ratio's numerator or denominator, else the one there is.
pub fn population(ind: &Indicator, side: Side) -> &'static Population {
    match (&ind.measure, side) {
        (Measure::Count(p) | Measure::MeanAge(p), _) => p,
        (Measure::Ratio { numerator, .. }, Side::Numerator) => numerator,
        (Measure::Ratio { denominator, .. }, Side::Denominator) => denominator,
    }
}

fn bind_key<'q>(q: super::AnyQuery<'q>, key: &SubjectKey) -> super::AnyQuery<'q> {
    match key {
        SubjectKey::Id(i) => q.bind(*i),
        SubjectKey::Code(c) => q.bind(c.clone()),
    }
}

/// `offset`/`limit` rows of a population's list, in the unit's order, with the records behind
/// each in the last column.
pub async fn table(
    pool: &AnyPool,
    pop: &Population,
    scope: &Scope,
    dates: &Dates,
    ctx: &RowCtx,
    offset: i64,
    limit: i64,
) -> AppResult<Table> {
    let n = pop.timing.params();
    let sql = format!(
        "{} LIMIT ${} OFFSET ${}",
        pop.unit.sql.replace("{population}", pop.sql),
        n + 1,
        n + 2
    );
    let rows = bind_population(
        sqlx::query(sqlx::AssertSqlSafe(sql)),
        pop.timing,
        scope,
        dates,
    )
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    let keys: Vec<SubjectKey> = rows
        .iter()
        .map(|r| (pop.unit.key)(r))
        .collect::<Result<_, _>>()?;

    let mut behind: HashMap<SubjectKey, Vec<String>> = HashMap::new();
    if let Some(records) = pop.records
        && !keys.is_empty()
    {
        let marks: Vec<String> = (1..=keys.len()).map(|i| format!("${}", n + i)).collect();
        let sql = format!(
            "{} WHERE s.subject IN ({}) ORDER BY {}",
            records.sql.replace("{population}", pop.sql),
            marks.join(", "),
            records.order
        );
        let mut q = bind_population(
            sqlx::query(sqlx::AssertSqlSafe(sql)),
            pop.timing,
            scope,
            dates,
        );
        for k in &keys {
            q = bind_key(q, k);
        }
        for r in q.fetch_all(pool).await? {
            let key = (pop.unit.key)(&r)?;
            behind.entry(key).or_default().push((records.describe)(&r)?);
        }
    }

    let mut columns: Vec<&str> = pop.unit.columns.to_vec();
    if let Some(records) = pop.records {
        columns.push(records.heading);
    }
    let mut table = Table::new(&columns);
    for (r, key) in rows.iter().zip(&keys) {
        let mut cells = (pop.unit.row)(r, ctx)?;
        if pop.records.is_some() {
            cells.push(match behind.remove(key) {
                Some(list) => Cell::Text(list.join("；")),
                None => Cell::Empty,
            });
        }
        table.push(cells);
    }
    Ok(table)
}

//! What the database already holds, in the workbook's canonical form, for the keys an import
//! touches. Queries go in chunks so a million-row workbook never builds one huge statement.

use std::collections::HashMap;

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};
use xingcun_crypto::CryptoProvider;

use crate::registry::personal::{self, AAD_HOUSEHOLD_PHONE, AAD_PERSON_PHONE};

/// Parameters per statement: SQLite's classic limit.
pub const MAX_PARAMS: usize = 990;
/// Parameters per multi-row insert on PostgreSQL (its limit is 65,535): each statement is a
/// round trip to the server, so fewer, larger ones cost less per row (an import of a million
/// people took 154 s instead of 190 s). On SQLite, which runs in the process, larger statements
/// gained nothing and held more memory, so inserts there keep [`MAX_PARAMS`].
pub const INSERT_PARAMS_PG: usize = 9_990;
const _: () = assert!(
    INSERT_PARAMS_PG < 65_535,
    "PostgreSQL's limit of parameters"
);
/// Keys per `IN (…)` look-up.
pub const CHUNK: usize = 250;

/// `$from, $from+1, …` for `n` placeholders.
pub fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Placeholders for generated statements with many parameters, each used once and in order:
/// `$N` on PostgreSQL, anonymous `?` on SQLite. (sqlx's SQLite driver asks SQLite for the name
/// of every numbered parameter, a linear search, so binding `$N` costs grow with the square of
/// their count; anonymous ones have no name to look up.)
pub fn ordered_placeholders(conn: &sqlx::AnyConnection, from: usize, n: usize) -> String {
    if conn.backend_name().eq_ignore_ascii_case("sqlite") {
        vec!["?"; n].join(", ")
    } else {
        placeholders(from, n)
    }
}

/// The row groups `(…)` of a multi-row statement, `width` placeholders each, the `i`-th group
/// numbered from `i * width + 1` ([`ordered_placeholders`]).
pub struct RowGroups {
    width: usize,
    /// On SQLite every group reads the same.
    anonymous: Option<String>,
}

impl RowGroups {
    pub fn new(conn: &sqlx::AnyConnection, width: usize) -> RowGroups {
        RowGroups::on(conn.backend_name().eq_ignore_ascii_case("sqlite"), width)
    }

    fn on(sqlite: bool, width: usize) -> RowGroups {
        RowGroups {
            width,
            anonymous: sqlite.then(|| format!("({})", vec!["?"; width].join(", "))),
        }
    }

    /// How many rows of this width one multi-row insert takes on this backend.
    pub fn rows_per_insert(&self) -> usize {
        let params = match self.anonymous {
            Some(_) => MAX_PARAMS,
            None => INSERT_PARAMS_PG,
        };
        (params / self.width).max(1)
    }

    /// Appends the `i`-th group, preceded by a comma unless it is the first.
    pub fn push(&self, sql: &mut String, i: usize) {
        if i > 0 {
            sql.push_str(", ");
        }
        match &self.anonymous {
            Some(g) => sql.push_str(g),
            None => {
                sql.push('(');
                sql.push_str(&placeholders(i * self.width + 1, self.width));
                sql.push(')');
            }
        }
    }
}

/// Runs `SELECT … WHERE col IN (chunk)` over all keys, chunk by chunk.
pub async fn select_in(
    pool: &AnyPool,
    sql_head: &str,
    keys: &[String],
) -> Result<Vec<AnyRow>, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    select_in_on(&mut conn, sql_head, keys).await
}

/// [`select_in`] on one connection (or inside a transaction: `&mut **tx`).
pub async fn select_in_on(
    conn: &mut sqlx::AnyConnection,
    sql_head: &str,
    keys: &[String],
) -> Result<Vec<AnyRow>, sqlx::Error> {
    let mut out = Vec::new();
    for chunk in keys.chunks(CHUNK) {
        let sql = format!(
            "{sql_head} ({})",
            ordered_placeholders(conn, 1, chunk.len())
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for k in chunk {
            q = q.bind(k.clone());
        }
        out.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(out)
}

fn flag(r: &AnyRow, i: usize) -> Result<Option<String>, sqlx::Error> {
    Ok(Some(r.try_get::<i64, _>(i)?.to_string()))
}

/// An existing record: its row id and canonical values in the sheet's column order.
pub type Existing = HashMap<String, (i64, Vec<Option<String>>)>;

pub async fn org_units(pool: &AnyPool, codes: &[String]) -> Result<Existing, sqlx::Error> {
    let rows = select_in(pool, "SELECT id, code, name, kind, parent_code, revoked_on, merged_into FROM org_unit WHERE code IN", codes).await?;
    rows.iter()
        .map(|r| {
            let code: String = r.try_get(1)?;
            let v = vec![
                Some(code.clone()),
                r.try_get(2)?,
                r.try_get(3)?,
                r.try_get(4)?,
                r.try_get(5)?,
                r.try_get(6)?,
            ];
            Ok((code, (r.try_get(0)?, v)))
        })
        .collect()
}

pub async fn households(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    nos: &[String],
) -> Result<Existing, sqlx::Error> {
    let rows = select_in(
        pool,
        "SELECT id, household_no, org_code, group_name, address, phone_enc, residence, lifted_out, monitored,
                monitor_type, dibao, destitute, deregistered_on FROM household WHERE household_no IN",
        nos,
    )
    .await?;
    rows.iter()
        .map(|r| {
            let no: String = r.try_get(1)?;
            let phone = r
                .try_get::<Option<String>, _>(5)?
                .and_then(|e| personal::open(crypto, &e, AAD_HOUSEHOLD_PHONE));
            let v = vec![
                Some(no.clone()),
                r.try_get(2)?,
                r.try_get(3)?,
                r.try_get(4)?,
                phone,
                r.try_get(6)?,
                flag(r, 7)?,
                flag(r, 8)?,
                r.try_get(9)?,
                flag(r, 10)?,
                flag(r, 11)?,
                r.try_get(12)?,
            ];
            Ok((no, (r.try_get(0)?, v)))
        })
        .collect()
}

/// The rows of `sql_head (…)` for these ID numbers, queried by blind index (the query's
/// second column), each with the ID number it stands for.
async fn rows_by_id(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    ids: &[String],
    sql_head: &str,
) -> Result<Vec<(String, AnyRow)>, sqlx::Error> {
    let by_bidx: HashMap<String, &String> = ids
        .iter()
        .map(|id| (personal::id_bidx(crypto, id), id))
        .collect();
    let bidx: Vec<String> = by_bidx.keys().cloned().collect();
    let mut out = Vec::new();
    for r in select_in(pool, sql_head, &bidx).await? {
        let b: String = r.try_get(1)?;
        if let Some(id) = by_bidx.get(&b) {
            out.push(((*id).clone(), r));
        }
    }
    Ok(out)
}

/// People by ID number (the keys are the plain IDs; the query goes by blind index).
pub async fn people(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    ids: &[String],
) -> Result<Existing, sqlx::Error> {
    let rows = rows_by_id(
        pool,
        crypto,
        ids,
        "SELECT p.id, p.id_bidx, p.name, p.sex, p.birth_date, p.ethnicity, p.edu_full_time, p.edu_in_service,
                p.political_status, p.phone_enc, h.household_no, p.relation, p.deregistered_on, p.dereg_reason
         FROM person p LEFT JOIN household h ON h.id = p.household_id WHERE p.id_bidx IN",
    )
    .await?;
    let mut out = HashMap::new();
    for (id, r) in &rows {
        let phone = r
            .try_get::<Option<String>, _>(9)?
            .and_then(|e| personal::open(crypto, &e, AAD_PERSON_PHONE));
        let v = vec![
            Some((*id).clone()),
            r.try_get(2)?,
            r.try_get(3)?,
            r.try_get(4)?,
            r.try_get(5)?,
            r.try_get(6)?,
            r.try_get(7)?,
            r.try_get(8)?,
            phone,
            r.try_get(10)?,
            r.try_get(11)?,
            r.try_get(12)?,
            r.try_get(13)?,
        ];
        out.insert((*id).clone(), (r.try_get(0)?, v));
    }
    Ok(out)
}

pub async fn party_orgs(pool: &AnyPool, codes: &[String]) -> Result<Existing, sqlx::Error> {
    let rows = select_in(
        pool,
        "SELECT id, code, name, kind, parent_code, org_code FROM party_org WHERE code IN",
        codes,
    )
    .await?;
    rows.iter()
        .map(|r| {
            let code: String = r.try_get(1)?;
            let v = vec![
                Some(code.clone()),
                r.try_get(2)?,
                r.try_get(3)?,
                r.try_get(4)?,
                r.try_get(5)?,
            ];
            Ok((code, (r.try_get(0)?, v)))
        })
        .collect()
}

pub async fn party_members(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    ids: &[String],
) -> Result<Existing, sqlx::Error> {
    let rows = rows_by_id(
        pool,
        crypto,
        ids,
        "SELECT m.id, p.id_bidx, m.party_org_code, m.category, m.joined_on, m.confirmed_on, m.status, m.left_on, m.leave_reason
         FROM party_member m JOIN person p ON p.id = m.person_id WHERE p.id_bidx IN",
    )
    .await?;
    let mut out = HashMap::new();
    for (id, r) in &rows {
        let v = vec![
            Some((*id).clone()),
            r.try_get(2)?,
            r.try_get(3)?,
            r.try_get(4)?,
            r.try_get(5)?,
            r.try_get(6)?,
            r.try_get(7)?,
            r.try_get(8)?,
        ];
        out.insert((*id).clone(), (r.try_get(0)?, v));
    }
    Ok(out)
}

/// Posts of these people, keyed `ID|任职单位编码|职务|任职日期`.
pub async fn cadre_posts(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    ids: &[String],
) -> Result<Existing, sqlx::Error> {
    let rows = rows_by_id(
        pool,
        crypto,
        ids,
        "SELECT c.id, p.id_bidx, c.category, c.post, c.post_title, c.org_code, c.starts_on, c.ends_on, c.professional
         FROM cadre_post c JOIN person p ON p.id = c.person_id WHERE p.id_bidx IN",
    )
    .await?;
    let mut out = HashMap::new();
    for (id, r) in &rows {
        let v = vec![
            Some((*id).clone()),
            r.try_get(2)?,
            r.try_get(3)?,
            r.try_get(4)?,
            r.try_get(5)?,
            r.try_get(6)?,
            r.try_get(7)?,
            flag(r, 8)?,
        ];
        let key = super::check::key_of(&super::sheets::CADRES, &v);
        out.insert(key, (r.try_get(0)?, v));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_groups_number_on_postgres_and_stay_anonymous_on_sqlite() {
        let mut sql = String::new();
        let pg = RowGroups::on(false, 2);
        (0..3).for_each(|i| pg.push(&mut sql, i));
        assert_eq!(sql, "($1, $2), ($3, $4), ($5, $6)");
        let mut sql = String::new();
        let lite = RowGroups::on(true, 2);
        (0..2).for_each(|i| lite.push(&mut sql, i));
        assert_eq!(sql, "(?, ?), (?, ?)");
    }

    #[test]
    fn an_insert_takes_more_rows_on_postgres_and_at_least_one() {
        assert_eq!(RowGroups::on(true, 22).rows_per_insert(), MAX_PARAMS / 22);
        assert_eq!(
            RowGroups::on(false, 22).rows_per_insert(),
            INSERT_PARAMS_PG / 22
        );
        assert_eq!(RowGroups::on(true, MAX_PARAMS + 1).rows_per_insert(), 1);
    }
}

//! 三、做强产业支撑: cooperatives (农民专业合作社, 联合社) and family farms (家庭农场) keyed by
//! their unified social credit code, the households whose income they lift (带动农户), and rural
//! tourism projects (乡村旅游项目). Records come in through the workbook's 经营主体, 带动农户 and
//! 乡村旅游项目 sheets (docs/workbook-modules.md); the lists here read them within a scope.

pub mod more;
pub mod pages;

use sqlx::{AnyPool, Row};

use crate::scope::Scope;
use crate::workbook::sheets::BUSINESS_KINDS;

/// A cooperative or family farm as its list shows it.
#[derive(Debug, Clone)]
pub struct Business {
    pub id: i64,
    pub credit_code: String,
    pub name: String,
    pub kind: String,
    pub org_code: String,
    pub org_name: String,
    /// The registry person's name when linked, else the name given.
    pub legal_rep: Option<String>,
    pub registered_on: String,
    pub deregistered_on: Option<String>,
    pub products: Option<String>,
    pub members: Option<String>,
    /// Households with a link active on the list's date.
    pub households: i64,
}

impl Business {
    /// The kind's word (农民专业合作社, …).
    pub fn kind_label(&self) -> &str {
        kind_label(&self.kind)
    }
}

/// The word of a business kind code.
pub fn kind_label(code: &str) -> &str {
    BUSINESS_KINDS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, l)| l)
}

/// What a business list is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct BusinessFilter {
    /// `cooperative` (federations included), `family_farm`, or a kind code.
    pub kind: Option<String>,
    /// Active (`active`) or deregistered (`deregistered`) on `on`.
    pub standing: Option<String>,
    /// The date standing and household counts are taken at (YYYY-MM-DD).
    pub on: String,
    /// Part of the name or the credit code.
    pub q: Option<String>,
    pub id: Option<i64>,
}

/// The WHERE clause and its binds after `$1` `$2` (scope) and `$3` (the date).
fn business_where(f: &BusinessFilter) -> (String, Vec<String>) {
    let mut sql = String::from("b.org_code >= $1 AND b.org_code < $2");
    let mut binds = Vec::new();
    fn next(sql: &mut String, binds: &mut Vec<String>, clause: &str, v: String) {
        binds.push(v);
        sql.push_str(&clause.replace('?', &format!("${}", binds.len() + 3)));
    }
    match f.kind.as_deref() {
        Some("cooperative") => sql.push_str(" AND b.kind IN ('cooperative', 'federation')"),
        Some(k) => next(&mut sql, &mut binds, " AND b.kind = ?", k.to_string()),
        None => {}
    }
    match f.standing.as_deref() {
        Some("active") => sql.push_str(
            " AND b.registered_on <= $3 AND (b.deregistered_on IS NULL OR b.deregistered_on > $3)",
        ),
        Some("deregistered") => {
            sql.push_str(" AND b.deregistered_on IS NOT NULL AND b.deregistered_on <= $3")
        }
        _ => sql.push_str(" AND $3 = $3"),
    }
    if let Some(q) = &f.q {
        binds.push(format!("%{q}%"));
        let n = binds.len() + 3;
        sql.push_str(&format!(
            " AND (b.name LIKE ${n} OR b.credit_code LIKE ${n})"
        ));
    }
    if let Some(id) = f.id {
        next(
            &mut sql,
            &mut binds,
            " AND CAST(b.id AS TEXT) = ?",
            id.to_string(),
        );
    }
    (sql, binds)
}

/// How many businesses match.
pub async fn count_businesses(
    pool: &AnyPool,
    scope: &Scope,
    f: &BusinessFilter,
) -> Result<i64, sqlx::Error> {
    let (lo, hi) = scope.bounds();
    let (w, binds) = business_where(f);
    let sql = format!("SELECT COUNT(*) FROM business b WHERE {w}");
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(lo)
        .bind(hi)
        .bind(f.on.clone());
    for b in binds {
        q = q.bind(b);
    }
    q.fetch_one(pool).await?.try_get(0)
}

/// A page of businesses, by village then credit code.
pub async fn list_businesses(
    pool: &AnyPool,
    scope: &Scope,
    f: &BusinessFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<Business>, sqlx::Error> {
    let (lo, hi) = scope.bounds();
    let (w, binds) = business_where(f);
    let sql = format!(
        "SELECT b.id, b.credit_code, b.name, b.kind, b.org_code, o.name,
                COALESCE(p.name, b.legal_rep_name), b.registered_on, b.deregistered_on,
                b.products, b.members,
                (SELECT COUNT(DISTINCT l.household_id) FROM business_household l
                 WHERE l.credit_code = b.credit_code AND l.starts_on <= $3
                   AND (l.ends_on IS NULL OR l.ends_on > $3))
         FROM business b JOIN org_unit o ON o.code = b.org_code
         LEFT JOIN person p ON p.id = b.legal_rep_id
         WHERE {w} ORDER BY b.org_code, b.credit_code LIMIT {limit} OFFSET {offset}"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(lo)
        .bind(hi)
        .bind(f.on.clone());
    for b in binds {
        q = q.bind(b);
    }
    q.fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            Ok(Business {
                id: r.try_get(0)?,
                credit_code: r.try_get(1)?,
                name: r.try_get(2)?,
                kind: r.try_get(3)?,
                org_code: r.try_get(4)?,
                org_name: r.try_get(5)?,
                legal_rep: r.try_get(6)?,
                registered_on: r.try_get(7)?,
                deregistered_on: r.try_get(8)?,
                products: r.try_get(9)?,
                members: r.try_get(10)?,
                households: r.try_get(11)?,
            })
        })
        .collect()
}

/// A rural tourism project.
#[derive(Debug, Clone)]
pub struct TourismProject {
    pub id: i64,
    pub project_no: String,
    pub name: String,
    pub org_name: String,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub notes: Option<String>,
}

/// Tourism projects in the scope, optionally only those operating on `active_on`, with a name
/// or number containing `q`; by village then number. Returns the page and the total.
pub async fn list_tourism(
    pool: &AnyPool,
    scope: &Scope,
    active_on: Option<&str>,
    q: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<TourismProject>, i64), sqlx::Error> {
    let (lo, hi) = scope.bounds();
    let mut w = String::from("t.org_code >= $1 AND t.org_code < $2");
    let mut binds: Vec<String> = Vec::new();
    if let Some(d) = active_on {
        binds.push(d.to_string());
        w.push_str(" AND t.starts_on <= $3 AND (t.ends_on IS NULL OR t.ends_on > $3)");
    }
    if let Some(q) = q {
        binds.push(format!("%{q}%"));
        let n = binds.len() + 2;
        w.push_str(&format!(
            " AND (t.name LIKE ${n} OR t.project_no LIKE ${n})"
        ));
    }
    let bind_all = |sql: String| {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(lo.clone())
            .bind(hi.clone());
        for b in &binds {
            q = q.bind(b.clone());
        }
        q
    };
    let total: i64 = bind_all(format!("SELECT COUNT(*) FROM tourism_project t WHERE {w}"))
        .fetch_one(pool)
        .await?
        .try_get(0)?;
    let rows = bind_all(format!(
        "SELECT t.id, t.project_no, t.name, o.name, t.starts_on, t.ends_on, t.notes
         FROM tourism_project t JOIN org_unit o ON o.code = t.org_code
         WHERE {w} ORDER BY t.org_code, t.project_no LIMIT {limit} OFFSET {offset}"
    ))
    .fetch_all(pool)
    .await?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(TourismProject {
                id: r.try_get(0)?,
                project_no: r.try_get(1)?,
                name: r.try_get(2)?,
                org_name: r.try_get(3)?,
                starts_on: r.try_get(4)?,
                ends_on: r.try_get(5)?,
                notes: r.try_get(6)?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok((items, total))
}

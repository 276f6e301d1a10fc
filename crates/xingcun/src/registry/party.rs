//! Party organisations (党组织) and party members (党员). Both are in scope by their own
//! `org_code` (the org unit a party org serves; the unit a member is registered in).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sqlx::{AnyPool, Row};
use xingcun_domain::enums::{LeaveReason, MemberCategory, MemberStatus, PartyOrgKind, Sex};

use super::search::{AnyQuery, Search, bind_search, like_escape, person_condition};
use super::{PartyOrgId, PersonId, given, label_of};
use crate::error::{AppError, AppResult};
use crate::scope::Scope;

/// Filters of the party-org list; `org` narrows the scope before storage sees it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PartyOrgFilter {
    pub org: Option<String>,
    /// A [`PartyOrgKind`] code.
    pub kind: Option<String>,
    /// Part of the name or the code.
    pub q: Option<String>,
}

/// A party organisation with its current members counted.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PartyOrgItem {
    pub id: PartyOrgId,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub parent_code: Option<String>,
    pub parent_name: Option<String>,
    /// The parent's id when the parent lies in the same scope (so it can be linked).
    pub parent_id: Option<PartyOrgId>,
    pub org_code: String,
    pub org_name: String,
    /// Members of this org itself (not of the orgs under it) on the day asked about.
    pub members: i64,
    pub probationary_members: i64,
}

/// Depth-first order for the tree-ish list: each org followed by the orgs under it, with its
/// depth (0 for an org whose parent is not among `items`). Siblings keep their order.
pub fn arrange(items: Vec<PartyOrgItem>) -> Vec<(usize, PartyOrgItem)> {
    let codes: std::collections::HashSet<String> = items.iter().map(|i| i.code.clone()).collect();
    let mut out = Vec::with_capacity(items.len());
    let mut placed = vec![false; items.len()];
    fn visit(
        i: usize,
        depth: usize,
        items: &[PartyOrgItem],
        placed: &mut [bool],
        out: &mut Vec<(usize, PartyOrgItem)>,
    ) {
        if placed[i] {
            return;
        }
        placed[i] = true;
        out.push((depth, items[i].clone()));
        for (j, child) in items.iter().enumerate() {
            if child.parent_code.as_deref() == Some(items[i].code.as_str()) {
                visit(j, depth + 1, items, placed, out);
            }
        }
    }
    for i in 0..items.len() {
        let is_root = items[i]
            .parent_code
            .as_ref()
            .is_none_or(|p| !codes.contains(p));
        if is_root {
            visit(i, 0, &items, &mut placed, &mut out);
        }
    }
    // A cycle in bad data has no root: show its orgs flat rather than lose them.
    for i in 0..items.len() {
        visit(i, 0, &items, &mut placed, &mut out);
    }
    out
}

/// Columns of a party org; `$1..$2` is the scope and `$3` today (for the member counts).
const ORG_COLUMNS: &str = "po.id, po.code, po.name, po.kind, po.parent_code, pp.name,
    CASE WHEN pp.org_code >= $1 AND pp.org_code < $2 THEN pp.id END, po.org_code, o.name,
    (SELECT COUNT(*) FROM party_member m WHERE m.party_org_code = po.code
      AND m.org_code >= $1 AND m.org_code < $2 AND (m.left_on IS NULL OR m.left_on > $3)),
    (SELECT COUNT(*) FROM party_member m WHERE m.party_org_code = po.code AND m.category = 'probationary'
      AND m.org_code >= $1 AND m.org_code < $2 AND (m.left_on IS NULL OR m.left_on > $3))";

const ORG_FROM: &str = "party_org po JOIN org_unit o ON o.code = po.org_code
    LEFT JOIN party_org pp ON pp.code = po.parent_code";

fn org_from_row(r: &sqlx::any::AnyRow) -> Result<PartyOrgItem, sqlx::Error> {
    let kind: String = r.try_get(3)?;
    Ok(PartyOrgItem {
        id: PartyOrgId(r.try_get(0)?),
        code: r.try_get(1)?,
        name: r.try_get(2)?,
        kind_label: label_of(Some(&kind), |c| {
            PartyOrgKind::from_code(c).map(PartyOrgKind::label)
        }),
        kind,
        parent_code: r.try_get(4)?,
        parent_name: r.try_get(5)?,
        parent_id: r.try_get::<Option<i64>, _>(6)?.map(PartyOrgId),
        org_code: r.try_get(7)?,
        org_name: r.try_get(8)?,
        members: r.try_get(9)?,
        probationary_members: r.try_get(10)?,
    })
}

/// Every party org in `scope` matching the filter, by code. Party orgs number a few per
/// village, so the list is whole: the page arranges it as a tree before paginating.
pub async fn list_orgs(
    pool: &AnyPool,
    scope: &Scope,
    f: &PartyOrgFilter,
    today: NaiveDate,
) -> AppResult<Vec<PartyOrgItem>> {
    let (lo, hi) = scope.bounds();
    let q = given(&f.q).map(|q| format!("%{}%", like_escape(&q)));
    let sql = format!(
        "SELECT {ORG_COLUMNS} FROM {ORG_FROM}
         WHERE po.org_code >= $1 AND po.org_code < $2 AND ($4 IS NULL OR po.kind = $4)
           AND ($5 IS NULL OR po.name LIKE $5 ESCAPE '\\' OR po.code LIKE $5 ESCAPE '\\')
         ORDER BY po.code"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(lo)
        .bind(hi)
        .bind(today.to_string())
        .bind(given(&f.kind))
        .bind(q)
        .fetch_all(pool)
        .await?;
    Ok(rows.iter().map(org_from_row).collect::<Result<_, _>>()?)
}

/// One party org, or `NotFound` (also when outside `scope`).
pub async fn get_org(
    pool: &AnyPool,
    scope: &Scope,
    id: PartyOrgId,
    today: NaiveDate,
) -> AppResult<PartyOrgItem> {
    let (lo, hi) = scope.bounds();
    let sql = format!(
        "SELECT {ORG_COLUMNS} FROM {ORG_FROM}
         WHERE po.id = $4 AND po.org_code >= $1 AND po.org_code < $2"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(lo)
        .bind(hi)
        .bind(today.to_string())
        .bind(id.0)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(org_from_row(&row)?)
}

/// The party orgs directly under `code` that lie in `scope`, by code.
pub async fn child_orgs(
    pool: &AnyPool,
    scope: &Scope,
    code: &str,
    today: NaiveDate,
) -> AppResult<Vec<PartyOrgItem>> {
    let (lo, hi) = scope.bounds();
    let sql = format!(
        "SELECT {ORG_COLUMNS} FROM {ORG_FROM}
         WHERE po.parent_code = $4 AND po.org_code >= $1 AND po.org_code < $2 ORDER BY po.code"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(lo)
        .bind(hi)
        .bind(today.to_string())
        .bind(code.to_string())
        .fetch_all(pool)
        .await?;
    Ok(rows.iter().map(org_from_row).collect::<Result<_, _>>()?)
}

/// Filters of the party-member list; `org` narrows the scope before storage sees it, and the
/// caller reads `q` into a [`Search`].
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PartyMemberFilter {
    pub org: Option<String>,
    /// The code of the party org (党支部) the members belong to.
    pub party_org: Option<String>,
    /// A [`MemberCategory`] code.
    pub category: Option<String>,
    /// A [`MemberStatus`] code.
    pub status: Option<String>,
    /// `current` (在册 on the day asked about) or `left` (已离开).
    pub standing: Option<String>,
    pub q: Option<String>,
}

/// A party membership as lists and the API show it: the ID number masked.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PartyMemberItem {
    pub id: i64,
    pub person_id: PersonId,
    pub name: String,
    pub sex_label: String,
    pub id_masked: String,
    pub party_org_id: PartyOrgId,
    pub party_org_code: String,
    pub party_org_name: String,
    pub org_code: String,
    pub org_name: String,
    pub category: String,
    pub category_label: String,
    pub joined_on: Option<String>,
    pub confirmed_on: Option<String>,
    pub status: String,
    pub status_label: String,
    pub left_on: Option<String>,
    pub leave_reason_label: String,
    /// Still a member on the day asked about (no 离开日期, or one after it).
    pub current: bool,
}

const MEMBER_COLUMNS: &str = "m.id, p.id, p.name, p.sex, p.id_masked, po.id, po.code, po.name,
    m.org_code, o.name, m.category, m.joined_on, m.confirmed_on, m.status, m.left_on, m.leave_reason";

const MEMBER_FROM: &str = "party_member m JOIN person p ON p.id = m.person_id
    JOIN party_org po ON po.code = m.party_org_code JOIN org_unit o ON o.code = m.org_code";

fn member_from_row(r: &sqlx::any::AnyRow, today: &str) -> Result<PartyMemberItem, sqlx::Error> {
    let sex: String = r.try_get(3)?;
    let category: String = r.try_get(10)?;
    let status: String = r.try_get(13)?;
    let left_on: Option<String> = r.try_get(14)?;
    let reason: Option<String> = r.try_get(15)?;
    Ok(PartyMemberItem {
        id: r.try_get(0)?,
        person_id: PersonId(r.try_get(1)?),
        name: r.try_get(2)?,
        sex_label: label_of(Some(&sex), |c| Sex::from_code(c).map(Sex::label)),
        id_masked: r.try_get(4)?,
        party_org_id: PartyOrgId(r.try_get(5)?),
        party_org_code: r.try_get(6)?,
        party_org_name: r.try_get(7)?,
        org_code: r.try_get(8)?,
        org_name: r.try_get(9)?,
        category_label: label_of(Some(&category), |c| {
            MemberCategory::from_code(c).map(MemberCategory::label)
        }),
        category,
        joined_on: r.try_get(11)?,
        confirmed_on: r.try_get(12)?,
        status_label: label_of(Some(&status), |c| {
            MemberStatus::from_code(c).map(MemberStatus::label)
        }),
        status,
        current: left_on.as_deref().is_none_or(|l| l > today),
        left_on,
        leave_reason_label: label_of(reason.as_deref(), |c| {
            LeaveReason::from_code(c).map(LeaveReason::label)
        }),
    })
}

/// The member filter as SQL: scope `$1..$2`, today `$3`, party org `$4`, category `$5`,
/// status `$6`, standing `$7`, the search `$8..$12`.
fn member_filter_sql() -> String {
    let search = person_condition("p", 8, "p.name");
    format!(
        "m.org_code >= $1 AND m.org_code < $2
         AND ($4 IS NULL OR m.party_org_code = $4)
         AND ($5 IS NULL OR m.category = $5)
         AND ($6 IS NULL OR m.status = $6)
         AND ($7 IS NULL
           OR ($7 = 'current' AND (m.left_on IS NULL OR m.left_on > $3))
           OR ($7 = 'left' AND m.left_on IS NOT NULL AND m.left_on <= $3))
         AND {search}"
    )
}

fn bind_member_filter<'q>(
    query: AnyQuery<'q>,
    scope: &Scope,
    f: &PartyMemberFilter,
    search: &Search,
    today: NaiveDate,
) -> AnyQuery<'q> {
    let (lo, hi) = scope.bounds();
    let query = query
        .bind(lo)
        .bind(hi)
        .bind(today.to_string())
        .bind(given(&f.party_org))
        .bind(given(&f.category))
        .bind(given(&f.status))
        .bind(given(&f.standing));
    bind_search(query, search)
}

/// How many memberships in `scope` match the filter and the search.
pub async fn count_members(
    pool: &AnyPool,
    scope: &Scope,
    f: &PartyMemberFilter,
    search: &Search,
    today: NaiveDate,
) -> AppResult<i64> {
    let sql = format!(
        "SELECT COUNT(*) FROM {MEMBER_FROM} WHERE {}",
        member_filter_sql()
    );
    let q = bind_member_filter(
        sqlx::query(sqlx::AssertSqlSafe(sql)),
        scope,
        f,
        search,
        today,
    );
    Ok(q.fetch_one(pool).await?.try_get(0)?)
}

/// A page of the memberships in `scope` matching the filter and the search: by party org,
/// current members before those who left, then by name.
pub async fn list_members(
    pool: &AnyPool,
    scope: &Scope,
    f: &PartyMemberFilter,
    search: &Search,
    today: NaiveDate,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<PartyMemberItem>> {
    let sql = format!(
        "SELECT {MEMBER_COLUMNS} FROM {MEMBER_FROM} WHERE {}
         ORDER BY po.code, CASE WHEN m.left_on IS NULL OR m.left_on > $3 THEN 0 ELSE 1 END, p.name, m.id
         LIMIT $13 OFFSET $14",
        member_filter_sql()
    );
    let q = bind_member_filter(
        sqlx::query(sqlx::AssertSqlSafe(sql)),
        scope,
        f,
        search,
        today,
    );
    let rows = q.bind(limit).bind(offset).fetch_all(pool).await?;
    let today = today.to_string();
    Ok(rows
        .iter()
        .map(|r| member_from_row(r, &today))
        .collect::<Result<_, _>>()?)
}

/// A person's party membership, if they have one in `scope`.
pub async fn membership_of(
    pool: &AnyPool,
    scope: &Scope,
    person: PersonId,
    today: NaiveDate,
) -> AppResult<Option<PartyMemberItem>> {
    let (lo, hi) = scope.bounds();
    let sql = format!(
        "SELECT {MEMBER_COLUMNS} FROM {MEMBER_FROM}
         WHERE m.person_id = $1 AND m.org_code >= $2 AND m.org_code < $3"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(person.0)
        .bind(lo)
        .bind(hi)
        .fetch_optional(pool)
        .await?;
    let today = today.to_string();
    Ok(row
        .as_ref()
        .map(|r| member_from_row(r, &today))
        .transpose()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(code: &str, parent: Option<&str>) -> PartyOrgItem {
        PartyOrgItem {
            id: PartyOrgId(0),
            code: code.into(),
            name: code.into(),
            kind: "branch".into(),
            kind_label: "党支部".into(),
            parent_code: parent.map(str::to_string),
            parent_name: None,
            parent_id: None,
            org_code: String::new(),
            org_name: String::new(),
            members: 0,
            probationary_members: 0,
        }
    }

    #[test]
    fn arranging_puts_each_org_under_its_parent_and_keeps_orphans_and_cycles() {
        let items = vec![
            org("A", None),
            org("B1", Some("B")),
            org("A1", Some("A")),
            org("B", Some("outside")),
            org("A11", Some("A1")),
            org("X", Some("Y")),
            org("Y", Some("X")),
        ];
        let got: Vec<(usize, String)> = arrange(items)
            .into_iter()
            .map(|(d, o)| (d, o.code))
            .collect();
        let want: Vec<(usize, String)> = [
            (0, "A"),
            (1, "A1"),
            (2, "A11"),
            (0, "B"),
            (1, "B1"),
            (0, "X"),
            (1, "Y"),
        ]
        .into_iter()
        .map(|(d, c)| (d, c.to_string()))
        .collect();
        assert_eq!(got, want);
    }
}

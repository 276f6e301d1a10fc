//! The outreach record lists: one [`ListKind`] per sheet says where its rows come from, how the
//! filters apply (所属区划, text, 当前有效/已结束 as of today) and how a row is shown. Lists are
//! in scope by the record's org unit (the village, grid, or household's unit).

use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use crate::error::AppResult;
use crate::registry::forms::form_of;
use crate::scope::Scope;
use crate::web::list::{Cell, Table};
use crate::workbook::sheets::{self, EnumKind, Sheet};

/// One outreach list.
pub struct ListKind {
    /// The `{kind}` of `/outreach/{kind}`.
    pub slug: &'static str,
    pub title: &'static str,
    pub sheet: &'static Sheet,
    pub columns: &'static [&'static str],
    select: &'static str,
    from: &'static str,
    /// The column the scope and the 所属区划 filter apply to.
    org: &'static str,
    /// Columns the text filter searches.
    text: &'static [&'static str],
    /// Start and end columns of an assignment (None: no end, e.g. a visit).
    span: Option<(&'static str, &'static str)>,
    order: &'static str,
    /// The row's cells (without the actions); column 0 of the query is the row id.
    cells: fn(&AnyRow) -> Result<Vec<Cell>, sqlx::Error>,
    /// What the edit form addresses the record by: its row id, or a code column of the query.
    key_col: Option<usize>,
    /// The query column of the end date, for the status and the end action.
    end_col: Option<usize>,
}

fn person_link(r: &AnyRow, id: usize, name: usize) -> Result<Cell, sqlx::Error> {
    let pid: i64 = r.try_get(id)?;
    Ok(Cell::link(
        r.try_get::<String, _>(name)?,
        format!("/people/{pid}"),
    ))
}

pub static LISTS: &[ListKind] = &[
    ListKind {
        slug: "teams",
        title: "「一亲三心」工作队",
        sheet: &sheets::WORK_TEAMS,
        columns: &["工作队编号", "名称", "联系村", "成立日期", "撤销日期", "成员"],
        select: "t.id, t.team_no, t.name, o.name, t.founded_on, t.revoked_on",
        from: "work_team t JOIN org_unit o ON o.code = t.org_code",
        org: "t.org_code",
        text: &["t.team_no", "t.name", "o.name"],
        span: Some(("t.founded_on", "t.revoked_on")),
        order: "t.team_no",
        cells: |r| {
            Ok(vec![
                Cell::Text(r.try_get(1)?),
                Cell::Text(r.try_get(2)?),
                Cell::Text(r.try_get(3)?),
                Cell::Text(r.try_get(4)?),
                Cell::opt(r.try_get(5)?),
                // The members, filled in by `team_members`.
                Cell::Empty,
            ])
        },
        key_col: Some(1),
        end_col: Some(5),
    },
    ListKind {
        slug: "team-members",
        title: "工作队成员",
        sheet: &sheets::TEAM_MEMBERS,
        columns: &["工作队编号", "工作队", "姓名", "角色", "联系村"],
        select: "t.id, w.team_no, w.name, p.id, p.name, t.role, o.name",
        from: "work_team_member t JOIN work_team w ON w.id = t.team_id
               JOIN person p ON p.id = t.person_id JOIN org_unit o ON o.code = w.org_code",
        org: "w.org_code",
        text: &["w.team_no", "w.name", "p.name"],
        span: None,
        order: "w.team_no, t.role, t.id",
        cells: |r| {
            let role: String = r.try_get(5)?;
            Ok(vec![
                Cell::Text(r.try_get(1)?),
                Cell::Text(r.try_get(2)?),
                person_link(r, 3, 4)?,
                Cell::text(EnumKind::TeamRole.label(&role).unwrap_or(&role)),
                Cell::Text(r.try_get(6)?),
            ])
        },
        key_col: None,
        end_col: None,
    },
    ListKind {
        slug: "contacts",
        title: "乡镇领导包村",
        sheet: &sheets::VILLAGE_CONTACTS,
        columns: &["包村领导", "村(社区)", "村编码", "开始日期", "结束日期"],
        select: "t.id, p.id, p.name, o.name, t.org_code, t.starts_on, t.ends_on",
        from: "village_contact t JOIN person p ON p.id = t.person_id
               JOIN org_unit o ON o.code = t.org_code",
        org: "t.org_code",
        text: &["p.name", "o.name", "t.org_code"],
        span: Some(("t.starts_on", "t.ends_on")),
        order: "t.org_code, t.starts_on, t.id",
        cells: |r| {
            Ok(vec![
                person_link(r, 1, 2)?,
                Cell::Text(r.try_get(3)?),
                Cell::Text(r.try_get(4)?),
                Cell::Text(r.try_get(5)?),
                Cell::opt(r.try_get(6)?),
            ])
        },
        key_col: None,
        end_col: Some(6),
    },
    ListKind {
        slug: "stationings",
        title: "干部驻村",
        sheet: &sheets::STATIONINGS,
        columns: &[
            "驻村干部",
            "村(社区)",
            "驻村身份",
            "专职",
            "派出单位",
            "开始日期",
            "结束日期",
        ],
        select: "t.id, p.id, p.name, o.name, t.role, t.full_time, t.sent_by, t.starts_on, t.ends_on",
        from: "stationing t JOIN person p ON p.id = t.person_id
               JOIN org_unit o ON o.code = t.org_code",
        org: "t.org_code",
        text: &["p.name", "o.name", "t.sent_by"],
        span: Some(("t.starts_on", "t.ends_on")),
        order: "t.org_code, t.starts_on, t.id",
        cells: |r| {
            let role: String = r.try_get(4)?;
            let full: i64 = r.try_get(5)?;
            Ok(vec![
                person_link(r, 1, 2)?,
                Cell::Text(r.try_get(3)?),
                Cell::text(EnumKind::StationRole.label(&role).unwrap_or(&role)),
                Cell::text(if full == 1 { "是" } else { "否" }),
                Cell::opt(r.try_get(6)?),
                Cell::Text(r.try_get(7)?),
                Cell::opt(r.try_get(8)?),
            ])
        },
        key_col: None,
        end_col: Some(8),
    },
    ListKind {
        slug: "grid-duties",
        title: "村干部入网",
        sheet: &sheets::GRID_DUTIES,
        columns: &["入网干部", "网格", "所在村", "开始日期", "结束日期"],
        select: "t.id, p.id, p.name, o.name, v.name, t.starts_on, t.ends_on",
        from: "grid_duty t JOIN person p ON p.id = t.person_id
               JOIN org_unit o ON o.code = t.org_code LEFT JOIN org_unit v ON v.code = o.parent_code",
        org: "t.org_code",
        text: &["p.name", "o.name", "v.name"],
        span: Some(("t.starts_on", "t.ends_on")),
        order: "t.org_code, t.starts_on, t.id",
        cells: |r| {
            Ok(vec![
                person_link(r, 1, 2)?,
                Cell::Text(r.try_get(3)?),
                Cell::opt(r.try_get(4)?),
                Cell::Text(r.try_get(5)?),
                Cell::opt(r.try_get(6)?),
            ])
        },
        key_col: None,
        end_col: Some(6),
    },
    ListKind {
        slug: "links",
        title: "党员联户",
        sheet: &sheets::HOUSEHOLD_LINKS,
        columns: &["联户党员", "户编号", "所属区划", "开始日期", "结束日期"],
        select: "t.id, p.id, p.name, h.id, h.household_no, o.name, t.starts_on, t.ends_on",
        from: "household_link t JOIN person p ON p.id = t.person_id
               JOIN household h ON h.id = t.household_id JOIN org_unit o ON o.code = h.org_code",
        org: "t.org_code",
        text: &["p.name", "h.household_no", "o.name"],
        span: Some(("t.starts_on", "t.ends_on")),
        order: "h.household_no, t.starts_on, t.id",
        cells: |r| {
            let hid: i64 = r.try_get(3)?;
            Ok(vec![
                person_link(r, 1, 2)?,
                Cell::link(
                    r.try_get::<String, _>(4)?,
                    format!("/households/{hid}"),
                ),
                Cell::Text(r.try_get(5)?),
                Cell::Text(r.try_get(6)?),
                Cell::opt(r.try_get(7)?),
            ])
        },
        key_col: None,
        end_col: Some(7),
    },
    ListKind {
        slug: "visits",
        title: "走访记录",
        sheet: &sheets::VISITS,
        columns: &["走访编号", "户编号", "所属区划", "走访人", "走访日期", "情况记录"],
        select: "t.id, t.visit_no, h.id, h.household_no, o.name, p.id, p.name, t.visited_on, t.notes",
        from: "visit t JOIN person p ON p.id = t.person_id
               JOIN household h ON h.id = t.household_id JOIN org_unit o ON o.code = h.org_code",
        org: "t.org_code",
        text: &["t.visit_no", "h.household_no", "p.name", "t.notes"],
        span: None,
        order: "t.visited_on DESC, t.id DESC",
        cells: |r| {
            let hid: i64 = r.try_get(2)?;
            Ok(vec![
                Cell::Text(r.try_get(1)?),
                Cell::link(
                    r.try_get::<String, _>(3)?,
                    format!("/households/{hid}"),
                ),
                Cell::Text(r.try_get(4)?),
                person_link(r, 5, 6)?,
                Cell::Text(r.try_get(7)?),
                Cell::opt(r.try_get(8)?),
            ])
        },
        key_col: Some(1),
        end_col: None,
    },
];

/// The list of this `{kind}`.
pub fn list_kind(slug: &str) -> Option<&'static ListKind> {
    LISTS.iter().find(|k| k.slug == slug)
}

/// The list of a sheet's records.
pub fn list_of(sheet: &Sheet) -> Option<&'static ListKind> {
    LISTS.iter().find(|k| k.sheet.id == sheet.id)
}

/// The filters of a list.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RecordFilter {
    pub org: Option<String>,
    pub q: Option<String>,
    /// `current` (active today) or `ended` (end date on or before today); else all.
    pub status: Option<String>,
}

/// A row: its record id, the cells, whether it is still open (no end date) and its edit key.
pub struct RecordRow {
    pub id: i64,
    pub cells: Vec<Cell>,
    pub ended: bool,
    pub key: String,
}

impl ListKind {
    /// Whether a record ends by an end date (an assignment or a team).
    pub fn endable(&self) -> bool {
        self.span.is_some()
    }

    pub fn href(&self) -> String {
        format!("/outreach/{}", self.slug)
    }

    /// The sheet column that holds the end date (结束日期, or 撤销日期 of a team).
    pub fn end_column(&self) -> Option<usize> {
        self.span?;
        self.sheet
            .columns
            .iter()
            .position(|c| c.header == "结束日期" || c.header == "撤销日期")
    }

    fn filter_sql(&self, status: Option<&str>) -> String {
        let text = if self.text.is_empty() {
            "1 = 1".to_string()
        } else {
            self.text
                .iter()
                .map(|c| format!("{c} LIKE $3 ESCAPE '\\'"))
                .collect::<Vec<_>>()
                .join(" OR ")
        };
        let status = match (self.span, status) {
            (Some((start, end)), Some("current")) => {
                format!("{start} <= $4 AND ({end} IS NULL OR {end} > $4)")
            }
            (Some((_, end)), Some("ended")) => format!("{end} IS NOT NULL AND {end} <= $4"),
            // `$4` is bound whatever the filter; PostgreSQL wants every parameter used.
            _ => "($4 IS NULL OR 1 = 1)".to_string(),
        };
        format!(
            "{org} >= $1 AND {org} < $2 AND ($3 IS NULL OR {text}) AND {status}",
            org = self.org
        )
    }

    fn binds(scope: &Scope, f: &RecordFilter) -> (String, String, Option<String>) {
        let (lo, hi) = scope.bounds();
        let q =
            f.q.as_deref()
                .map(str::trim)
                .filter(|q| !q.is_empty())
                .map(|q| format!("%{}%", crate::registry::search::like_escape(q)));
        (lo, hi, q)
    }

    /// How many records in scope match.
    pub async fn count(
        &self,
        pool: &AnyPool,
        scope: &Scope,
        f: &RecordFilter,
        today: NaiveDate,
    ) -> AppResult<i64> {
        let (lo, hi, q) = Self::binds(scope, f);
        let sql = format!(
            "SELECT COUNT(*) FROM {} WHERE {}",
            self.from,
            self.filter_sql(f.status.as_deref())
        );
        Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(lo)
            .bind(hi)
            .bind(q)
            .bind(today.to_string())
            .fetch_one(pool)
            .await?
            .try_get(0)?)
    }

    /// A page of the records in scope that match.
    pub async fn rows(
        &self,
        pool: &AnyPool,
        scope: &Scope,
        f: &RecordFilter,
        today: NaiveDate,
        offset: i64,
        limit: i64,
    ) -> AppResult<Vec<RecordRow>> {
        let (lo, hi, q) = Self::binds(scope, f);
        let sql = format!(
            "SELECT {} FROM {} WHERE {} ORDER BY {} LIMIT $5 OFFSET $6",
            self.select,
            self.from,
            self.filter_sql(f.status.as_deref()),
            self.order
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(lo)
            .bind(hi)
            .bind(q)
            .bind(today.to_string())
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?;
        let today = today.to_string();
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: i64 = r.try_get(0)?;
            let end: Option<String> = match self.end_col {
                Some(i) => r.try_get(i)?,
                None => None,
            };
            let key = match self.key_col {
                Some(i) => r.try_get(i)?,
                None => id.to_string(),
            };
            out.push(RecordRow {
                id,
                cells: (self.cells)(r)?,
                ended: end.is_some_and(|e| e <= today),
                key,
            });
        }
        if self.slug == "teams" {
            team_members(pool, &mut out).await?;
        }
        Ok(out)
    }

    /// The table of these rows; with `actions`, the status, edit and end cells a page shows.
    pub fn table(&self, rows: &[RecordRow], actions: bool) -> Table {
        let mut cols: Vec<&str> = self.columns.to_vec();
        if self.endable() {
            cols.push("状态");
        }
        if actions {
            cols.push("操作");
            if self.endable() {
                cols.push("结束");
            }
        }
        let mut t = Table::new(&cols);
        let form = form_of(self.sheet.id);
        for r in rows {
            let mut cells = r.cells.clone();
            if self.endable() {
                cells.push(if r.ended {
                    Cell::Badge {
                        text: "已结束".into(),
                        tone: "muted",
                    }
                } else {
                    Cell::Badge {
                        text: "有效".into(),
                        tone: "ok",
                    }
                });
            }
            if actions {
                cells.push(Cell::link("编辑", form.edit_href(&r.key)));
                if self.endable() {
                    cells.push(if r.ended {
                        Cell::Empty
                    } else {
                        Cell::link("结束", format!("{}/end?id={}", self.href(), r.id))
                    });
                }
            }
            t.push(cells);
        }
        t
    }
}

/// Fills the 成员 cell of work-team rows: 姓名（队长）、姓名.
async fn team_members(pool: &AnyPool, rows: &mut [RecordRow]) -> AppResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let ids: Vec<String> = rows.iter().map(|r| r.id.to_string()).collect();
    // Row ids are integers from the database: safe to inline.
    let sql = format!(
        "SELECT m.team_id, p.name, m.role FROM work_team_member m JOIN person p ON p.id = m.person_id
         WHERE m.team_id IN ({}) ORDER BY m.team_id, m.role, m.id",
        ids.join(", ")
    );
    let found = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(pool)
        .await?;
    for r in rows.iter_mut() {
        let mut names = Vec::new();
        for m in &found {
            if m.try_get::<i64, _>(0)? == r.id {
                let name: String = m.try_get(1)?;
                let role: String = m.try_get(2)?;
                names.push(if role == "leader" {
                    format!("{name}（队长）")
                } else {
                    name
                });
            }
        }
        if let Some(c) = r.cells.get_mut(5) {
            *c = if names.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(names.join("、"))
            };
        }
    }
    Ok(())
}

/// The outreach part of a household's page: its 联户 (every link, ended ones with their end
/// date) and its latest visits.
pub async fn household_outreach(
    pool: &AnyPool,
    scope: &Scope,
    household: i64,
    today: NaiveDate,
) -> AppResult<(Table, Table)> {
    let (lo, hi) = scope.bounds();
    let rows = sqlx::query(
        "SELECT p.id, p.name, l.starts_on, l.ends_on FROM household_link l
         JOIN person p ON p.id = l.person_id JOIN household h ON h.id = l.household_id
         WHERE l.household_id = $1 AND h.org_code >= $2 AND h.org_code < $3
         ORDER BY l.starts_on DESC, l.id DESC",
    )
    .bind(household)
    .bind(lo.clone())
    .bind(hi.clone())
    .fetch_all(pool)
    .await?;
    let today = today.to_string();
    let mut links = Table::new(&["联户党员", "开始日期", "结束日期", "状态"]);
    for r in &rows {
        let end: Option<String> = r.try_get(3)?;
        let ended = end.as_deref().is_some_and(|e| e <= today.as_str());
        links.push(vec![
            person_link(r, 0, 1)?,
            Cell::Text(r.try_get(2)?),
            Cell::opt(end),
            Cell::Badge {
                text: if ended { "已结束" } else { "有效" }.into(),
                tone: if ended { "muted" } else { "ok" },
            },
        ]);
    }
    let rows = sqlx::query(
        "SELECT v.visit_no, v.visited_on, p.id, p.name, v.notes FROM visit v
         JOIN person p ON p.id = v.person_id JOIN household h ON h.id = v.household_id
         WHERE v.household_id = $1 AND h.org_code >= $2 AND h.org_code < $3
         ORDER BY v.visited_on DESC, v.id DESC LIMIT 50",
    )
    .bind(household)
    .bind(lo)
    .bind(hi)
    .fetch_all(pool)
    .await?;
    let mut visits = Table::new(&["走访编号", "走访日期", "走访人", "情况记录"]);
    for r in &rows {
        visits.push(vec![
            Cell::Text(r.try_get(0)?),
            Cell::Text(r.try_get(1)?),
            person_link(r, 2, 3)?,
            Cell::opt(r.try_get(4)?),
        ]);
    }
    Ok((links, visits))
}

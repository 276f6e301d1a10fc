//! The table-driven record lists: one [`ListKind`] per list says where its rows come from,
//! which states the 状态 filter offers, which date the 开始日期/结束日期 filters narrow, how a
//! row is shown and what it links to. One handler, [`list`], serves them all: filters
//! (所在单位, 状态, dates, text) above a paginated table, an export of what the filters select,
//! 新增 for writers, and records' attachments. Lists are in scope by the record's org unit; a
//! list leaves out what it does not use (no states, `date: None`).
//!
//! Used by the branch-work lists (`branches/pages.rs`), the events (`events/pages.rs`),
//! conduct's lists (`conduct/pages.rs`) and industry's simpler registries (`industry/more.rs`).
//! It lives in `web/` because it serves several lines of work (it began as `events/list.rs`, a
//! copy of the branch lists' handler). The cadre-pipeline lists (`talent/lists.rs`) have
//! filters and an 操作 column of their own and share only [`fetch_page`], the count and the
//! page query.

use axum::response::{IntoResponse, Response};
use minijinja::context;
use serde::Deserialize;
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::dates;
use crate::error::{AppError, AppResult};
use crate::org::pages::xlsx_download;
use crate::registry::forms::form_of;
use crate::registry::narrow_to_org;
use crate::registry::pages::org_options;
use crate::web::list::{Cell, Crumb, Filter, ListView, PageParams, Pagination, Table, query_of};
use crate::web::{Ctx, render};
use crate::workbook::sheets::Sheet;

/// One list.
pub struct ListKind {
    pub path: &'static str,
    pub title: &'static str,
    /// The line of work, the breadcrumb's first step (筑先锋堡垒, 深化社会治理, …).
    pub line: &'static str,
    /// The sheet its records come in by (for 新增 and the edit links).
    pub sheet: &'static Sheet,
    pub columns: &'static [&'static str],
    /// The selected columns; the first is the record's number (its key).
    pub select: &'static str,
    pub from: &'static str,
    /// The org-unit column the scope and the 所在单位 filter apply to.
    pub org: &'static str,
    /// Columns the text filter searches.
    pub text: &'static [&'static str],
    /// The 状态 filter (none: not shown): (value, label, condition); `{today}` in a condition
    /// is today's date.
    pub states: &'static [(&'static str, &'static str, &'static str)],
    /// The date column the 开始日期/结束日期 filters narrow, if any.
    pub date: Option<&'static str>,
    pub order: &'static str,
    pub cells: fn(&AnyRow) -> Result<Vec<Cell>, sqlx::Error>,
    /// For writers, the record's number (a text first cell) links to its edit form; lists
    /// whose `cells` link the number to a record page say `false`.
    pub edit_links: bool,
    /// The export's sheet is named by the list's title instead of by `sheet`.
    pub titled_export: bool,
    /// The kind of attachments (`attachments::OWNERS`) the records keep: each row links to
    /// them (not in the export).
    pub attachments: Option<&'static str>,
    /// A button after the title: (href, label).
    pub extra: Option<(&'static str, &'static str)>,
}

/// A text column.
pub fn t(r: &AnyRow, i: usize) -> Result<Cell, sqlx::Error> {
    Ok(Cell::Text(r.try_get(i)?))
}

/// An optional text column.
pub fn o(r: &AnyRow, i: usize) -> Result<Cell, sqlx::Error> {
    Ok(Cell::opt(r.try_get(i)?))
}

/// The filters of a list.
#[derive(Debug, Deserialize, Default)]
pub struct ListParams {
    pub org: Option<String>,
    pub status: Option<String>,
    pub q: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    #[serde(flatten)]
    pub page: PageParams,
    pub export: Option<String>,
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn date_param(s: Option<&str>) -> AppResult<Option<String>> {
    s.map(|s| {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(|d| d.to_string())
            .map_err(|_| AppError::BadRequest(format!("日期“{s}”应为 YYYY-MM-DD")))
    })
    .transpose()
}

/// What the filters narrow a list to.
struct Narrowing<'a> {
    state: Option<&'a str>,
    q: Option<&'a str>,
    from: Option<String>,
    to: Option<String>,
}

/// `WHERE …` of a list for a scope and the filters, with its parameters in order.
fn where_of(
    k: &ListKind,
    bounds: (String, String),
    n: &Narrowing<'_>,
    today: &str,
) -> (String, Vec<String>) {
    let mut binds = vec![bounds.0, bounds.1];
    let mut sql = format!(" WHERE {o} >= $1 AND {o} < $2", o = k.org);
    if let Some((_, _, cond)) = k.states.iter().find(|s| Some(s.0) == n.state) {
        let mut cond = cond.to_string();
        if cond.contains("{today}") {
            binds.push(today.to_string());
            cond = cond.replace("{today}", &format!("${}", binds.len()));
        }
        sql.push_str(&format!(" AND ({cond})"));
    }
    if let Some(col) = k.date {
        for (v, op) in [(&n.from, ">="), (&n.to, "<=")] {
            if let Some(v) = v {
                binds.push(v.clone());
                sql.push_str(&format!(" AND {col} {op} ${}", binds.len()));
            }
        }
    }
    if let Some(q) = n.q {
        binds.push(format!("%{q}%"));
        let i = binds.len();
        let any: Vec<String> = k.text.iter().map(|c| format!("{c} LIKE ${i}")).collect();
        sql.push_str(&format!(" AND ({})", any.join(" OR ")));
    }
    (sql, binds)
}

/// One page of `SELECT {columns}{tail} ORDER BY {order}` (for an export, every row up to
/// 100,000) and the pagination over all its rows. `tail` is ` FROM … WHERE …`, its `$n` are
/// `binds` in order.
pub async fn fetch_page(
    pool: &AnyPool,
    columns: &str,
    tail: &str,
    order: &str,
    binds: &[String],
    page: PageParams,
    export: bool,
) -> AppResult<(Vec<AnyRow>, Pagination)> {
    let mut q = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT COUNT(*){tail}")));
    for b in binds {
        q = q.bind(b.clone());
    }
    let total: i64 = q.fetch_one(pool).await?.try_get(0)?;
    let pagination = Pagination::new(page, total);
    let (limit, offset) = if export {
        (100_000, 0)
    } else {
        (pagination.limit(), pagination.offset())
    };
    let sql = format!("SELECT {columns}{tail} ORDER BY {order} LIMIT {limit} OFFSET {offset}");
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for b in binds {
        q = q.bind(b.clone());
    }
    Ok((q.fetch_all(pool).await?, pagination))
}

/// Serves the list `k`.
pub async fn list(
    k: &'static ListKind,
    state: AppState,
    ctx: Ctx,
    user: CurrentUser,
    p: ListParams,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let today = dates::today().to_string();
    // A list without a date filter does not read 开始日期/结束日期 (a stray one is no error).
    let narrowing = Narrowing {
        state: nonempty(&p.status).filter(|s| k.states.iter().any(|x| x.0 == *s)),
        q: nonempty(&p.q),
        from: date_param(nonempty(&p.from).filter(|_| k.date.is_some()))?,
        to: date_param(nonempty(&p.to).filter(|_| k.date.is_some()))?,
    };
    let narrowed = narrow_to_org(pool, &user.scope, nonempty(&p.org)).await?;
    let export = p.export.as_deref() == Some("xlsx");
    let writer = user.can(Permission::WriteData);
    let form = form_of(k.sheet.id);
    let mut table = Table::new(k.columns);
    let mut pagination = Pagination::new(p.page, 0);
    if let Some(scope) = &narrowed {
        let (wh, binds) = where_of(k, scope.bounds(), &narrowing, &today);
        let tail = format!(" FROM {}{wh}", k.from);
        let (rows, paged) =
            fetch_page(pool, k.select, &tail, k.order, &binds, p.page, export).await?;
        pagination = paged;
        for r in rows {
            let mut cells = (k.cells)(&r)?;
            if writer
                && k.edit_links
                && !export
                && let Some(Cell::Text(no)) = cells.first()
            {
                let href = form.edit_href(no);
                cells[0] = Cell::link(no.clone(), href);
            }
            table.push(cells);
        }
    }
    // Records that keep photos or scans get a link to them (not in the export).
    if let Some(kind) = k.attachments.filter(|_| !export) {
        table = table.with_attachment_links(kind);
    }
    if export {
        return Ok(xlsx_download(
            table.to_xlsx(if k.titled_export {
                k.title
            } else {
                k.sheet.name
            })?,
            &format!("{}.xlsx", k.title),
        ));
    }
    let states: Vec<(String, String)> = k
        .states
        .iter()
        .map(|(v, l, _)| (v.to_string(), l.to_string()))
        .collect();
    let mut filters = vec![Filter::select(
        "org",
        "所在单位",
        nonempty(&p.org),
        org_options(pool, &user.scope).await?,
    )];
    if !states.is_empty() {
        filters.push(Filter::select("status", "状态", narrowing.state, states));
    }
    if k.date.is_some() {
        filters.push(Filter::text("from", "开始日期", nonempty(&p.from)));
        filters.push(Filter::text("to", "结束日期", nonempty(&p.to)));
    }
    filters.push(Filter::text("q", "编号或名称", nonempty(&p.q)));
    let view = ListView {
        title: k.title.into(),
        breadcrumb: vec![
            Crumb {
                label: k.line.into(),
                href: None,
            },
            Crumb {
                label: k.title.into(),
                href: None,
            },
        ],
        query: query_of(&filters),
        filters,
        table,
        pagination,
        new_href: writer.then(|| form.new_href()),
        export: true,
    };
    let (extra_link, extra_label) = k.extra.unzip();
    Ok(render(
        &state,
        &ctx,
        "pages/list.html",
        context! { view => view, extra_link => extra_link, extra_label => extra_label },
    )?
    .into_response())
}

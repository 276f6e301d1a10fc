//! The later cadre-pipeline lists: trainings (`/talent/trainings`) and a training's attendees
//! (`/talent/trainings/{no}`), practice postings (`/talent/practice`), advisors
//! (`/talent/advisors`), their advice (`/talent/advice`) and the secretaries' annual reviews
//! (`/talent/reviews`). Each is one [`Spec`]: a query within the scope (a record is in scope by
//! its own unit), filters that add clauses, and how a row is shown; every list is paginated
//! and exportable. ID numbers are shown masked.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};
use xingcun_domain::enums::{AdvisorKind, ReviewResult};

use super::pages::{crumbs, date_param, nonempty, respond};
use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::dates;
use crate::error::{AppError, AppResult};
use crate::registry::forms::form_of;
use crate::registry::pages::{options, org_options};
use crate::registry::{label_of, narrow_to_org};
use crate::scope::Scope;
use crate::web::list::{Cell, Crumb, Filter, ListView, PageParams, Pagination, Table, query_of};
use crate::web::records::fetch_page;
use crate::web::{Ctx, urlencode};
use crate::workbook::sheets::SheetId;

/// One list: `select` and `from` (whose WHERE holds the scope as `$1`, `$2`), the order, the
/// columns and how a row becomes cells.
struct Spec {
    /// The sheet whose form creates and edits these records.
    sheet: SheetId,
    /// The SQL text of the record's form ident (its number, or its row id as text).
    ident: &'static str,
    select: &'static str,
    from: &'static str,
    order: &'static str,
    columns: &'static [&'static str],
    row: fn(&AnyRow, &Scope) -> Result<Vec<Cell>, sqlx::Error>,
}

/// A filter's clause, `?` standing for its one bind.
type Clause = (&'static str, String);

fn where_of(spec: &Spec, clauses: &[Clause]) -> String {
    let mut sql = format!(" {}", spec.from);
    for (i, (c, _)) in clauses.iter().enumerate() {
        sql.push_str(" AND ");
        sql.push_str(&c.replace('?', &format!("${}", i + 3)));
    }
    sql
}

/// Runs a list within `scope` (none: nothing), a page or, for export, every row (counted and
/// paged by `web/records.rs`'s `fetch_page`).
#[allow(clippy::too_many_arguments)]
async fn run(
    pool: &AnyPool,
    scope: Option<&Scope>,
    viewer: &Scope,
    writer: bool,
    spec: &Spec,
    clauses: &[Clause],
    page: PageParams,
    export: bool,
) -> AppResult<(Table, Pagination)> {
    let form = writer.then(|| form_of(spec.sheet));
    let mut columns = spec.columns.to_vec();
    if form.is_some() {
        columns.push("操作");
    }
    let mut table = Table::new(&columns);
    let Some(scope) = scope else {
        return Ok((table, Pagination::new(page, 0)));
    };
    let (lo, hi) = scope.bounds();
    let binds: Vec<String> = [lo, hi]
        .into_iter()
        .chain(clauses.iter().map(|(_, b)| b.clone()))
        .collect();
    let columns = format!("{}, {} AS ident", spec.select, spec.ident);
    let tail = where_of(spec, clauses);
    let (rows, pagination) =
        fetch_page(pool, &columns, &tail, spec.order, &binds, page, export).await?;
    for r in rows {
        let mut cells = (spec.row)(&r, viewer)?;
        if let Some(f) = form {
            let ident: String = r.try_get("ident")?;
            cells.push(Cell::link("编辑", f.edit_href(&ident)));
        }
        table.push(cells);
    }
    Ok((table, pagination))
}

fn person(
    r: &AnyRow,
    id: usize,
    name: usize,
    org: usize,
    scope: &Scope,
) -> Result<Cell, sqlx::Error> {
    let pid: i64 = r.try_get(id)?;
    let name: String = r.try_get(name)?;
    let org: String = r.try_get(org)?;
    Ok(if scope.contains(&org) {
        Cell::link(name, format!("/people/{pid}"))
    } else {
        Cell::Text(name)
    })
}

fn opt(r: &AnyRow, i: usize) -> Result<Cell, sqlx::Error> {
    Ok(Cell::opt(r.try_get(i)?))
}

#[derive(Debug, Deserialize, Default)]
pub struct TalentListParams {
    pub org: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// `active` (today) or empty.
    pub standing: Option<String>,
    pub kind: Option<String>,
    pub adopted: Option<String>,
    pub year: Option<String>,
    pub result: Option<String>,
    #[serde(flatten)]
    pub page: PageParams,
    pub export: Option<String>,
}

impl TalentListParams {
    fn export(&self) -> bool {
        self.export.as_deref() == Some("xlsx")
    }
}

/// Renders a list page (or its export) with the common 单位 filter first.
#[allow(clippy::too_many_arguments)]
async fn page(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    p: TalentListParams,
    spec: &Spec,
    clauses: Vec<Clause>,
    mut filters: Vec<Filter>,
    title: &str,
) -> AppResult<Response> {
    let pool = &state.db().pool;
    let narrowed = narrow_to_org(pool, &user.scope, nonempty(&p.org)).await?;
    let export = p.export();
    let writer = user.can(Permission::WriteData) && !export;
    let (table, pagination) = run(
        pool,
        narrowed.as_ref(),
        &user.scope,
        writer,
        spec,
        &clauses,
        p.page,
        export,
    )
    .await?;
    filters.insert(
        0,
        Filter::select(
            "org",
            "所属单位",
            nonempty(&p.org),
            org_options(pool, &user.scope).await?,
        ),
    );
    let view = ListView {
        title: title.into(),
        breadcrumb: crumbs(title),
        query: query_of(&filters),
        filters,
        table,
        pagination,
        new_href: writer.then(|| form_of(spec.sheet).new_href()),
        export: true,
    };
    respond(state, ctx, view, export, title)
}

/// A training is listed when its organiser or one of its attendances is in scope.
static TRAININGS: Spec = Spec {
    sheet: SheetId::Trainings,
    ident: "t.training_no",
    select: "t.training_no, t.title, o.name, t.starts_on, t.ends_on, t.place, t.hours,
             (SELECT COUNT(*) FROM training_attendance a
              WHERE a.training_id = t.id AND a.org_code >= $1 AND a.org_code < $2)",
    from: "FROM training t JOIN org_unit o ON o.code = t.org_code
           WHERE ((t.org_code >= $1 AND t.org_code < $2)
                  OR EXISTS (SELECT 1 FROM training_attendance x WHERE x.training_id = t.id
                             AND x.org_code >= $1 AND x.org_code < $2))",
    order: "t.starts_on DESC, t.training_no",
    columns: &[
        "培训编号",
        "名称",
        "主办单位",
        "开始日期",
        "结束日期",
        "地点",
        "学时",
        "本级参训人次",
    ],
    row: |r, _| {
        let no: String = r.try_get(0)?;
        Ok(vec![
            Cell::link(no.clone(), format!("/talent/trainings/{}", urlencode(&no))),
            Cell::Text(r.try_get(1)?),
            Cell::Text(r.try_get(2)?),
            Cell::Text(r.try_get(3)?),
            opt(r, 4)?,
            opt(r, 5)?,
            opt(r, 6)?,
            Cell::Int(r.try_get(7)?),
        ])
    },
};

/// `GET /talent/trainings`: trainings, filtered by start date.
pub async fn list_trainings(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<TalentListParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let mut clauses = Vec::new();
    if let Some(f) = date_param(&p.from, "开始日期起")? {
        clauses.push(("t.starts_on >= ?", f.to_string()));
    }
    if let Some(t) = date_param(&p.to, "开始日期止")? {
        clauses.push(("t.starts_on <= ?", t.to_string()));
    }
    let filters = vec![
        Filter::text("from", "开始日期起", nonempty(&p.from)),
        Filter::text("to", "开始日期止", nonempty(&p.to)),
    ];
    page(
        &state,
        &ctx,
        &user,
        p,
        &TRAININGS,
        clauses,
        filters,
        "培训班",
    )
    .await
}

/// A training's attendances in scope.
static ATTENDEES: Spec = Spec {
    sheet: SheetId::TrainingAttendances,
    ident: "CAST(a.id AS TEXT)",
    select: "p.id, p.name, p.id_masked, a.org_code, o.name, p.edu_full_time, p.edu_in_service",
    from: "FROM training_attendance a JOIN person p ON p.id = a.person_id
           JOIN org_unit o ON o.code = a.org_code
           JOIN training t ON t.id = a.training_id
           WHERE a.org_code >= $1 AND a.org_code < $2",
    order: "a.org_code, p.name_pinyin, a.id",
    columns: &["姓名", "身份证号", "所属单位", "最高学历"],
    row: |r, scope| {
        let highest = xingcun_domain::enums::Education::highest(
            r.try_get::<Option<String>, _>(5)?
                .as_deref()
                .and_then(xingcun_domain::enums::Education::from_code),
            r.try_get::<Option<String>, _>(6)?
                .as_deref()
                .and_then(xingcun_domain::enums::Education::from_code),
        );
        Ok(vec![
            person(r, 0, 1, 3, scope)?,
            Cell::Text(r.try_get(2)?),
            Cell::Text(r.try_get(4)?),
            Cell::opt(highest.map(|e| e.label().to_string())),
        ])
    },
};

/// `GET /talent/trainings/{no}`: one training and its attendees in scope; a training neither
/// organised nor attended in scope is 404.
pub async fn show_training(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(no): Path<String>,
    Query(p): Query<TalentListParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let (lo, hi) = user.scope.bounds();
    let row = sqlx::query(
        "SELECT t.title, o.name, t.starts_on, t.ends_on, t.place, t.hours FROM training t
         JOIN org_unit o ON o.code = t.org_code
         WHERE t.training_no = $1
           AND ((t.org_code >= $2 AND t.org_code < $3)
                OR EXISTS (SELECT 1 FROM training_attendance x WHERE x.training_id = t.id
                           AND x.org_code >= $2 AND x.org_code < $3))",
    )
    .bind(no.clone())
    .bind(lo)
    .bind(hi)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let title: String = row.try_get(0)?;
    let organiser: String = row.try_get(1)?;
    let starts: String = row.try_get(2)?;
    let ends: Option<String> = row.try_get(3)?;
    let place: Option<String> = row.try_get(4)?;
    let hours: Option<String> = row.try_get(5)?;
    let export = p.export();
    let writer = user.can(Permission::WriteData) && !export;
    let (table, pagination) = run(
        pool,
        Some(&user.scope),
        &user.scope,
        writer,
        &ATTENDEES,
        &[("t.training_no = ?", no.clone())],
        p.page,
        export,
    )
    .await?;
    let mut heading = format!("{title}（{no}，{organiser}主办，{starts}");
    if let Some(e) = ends.filter(|e| *e != starts) {
        heading.push_str(&format!(" 至 {e}"));
    }
    if let Some(pl) = place {
        heading.push_str(&format!("，{pl}"));
    }
    if let Some(h) = hours {
        heading.push_str(&format!("，{h} 学时"));
    }
    heading.push('）');
    let mut breadcrumb = crumbs("培训班");
    breadcrumb[1].href = Some("/talent/trainings".into());
    breadcrumb.push(Crumb {
        label: no.clone(),
        href: None,
    });
    // A sheet name holds at most 31 characters: the export is named by the number alone.
    let view = ListView {
        title: if export {
            format!("培训参训{no}")
        } else {
            heading
        },
        breadcrumb,
        query: String::new(),
        filters: Vec::new(),
        table,
        pagination,
        new_href: writer.then(|| form_of(SheetId::TrainingAttendances).new_href()),
        export: true,
    };
    respond(&state, &ctx, view, export, &format!("培训参训-{no}"))
}

static PRACTICE: Spec = Spec {
    sheet: SheetId::PracticePostings,
    ident: "CAST(w.id AS TEXT)",
    select: "p.id, p.name, p.id_masked, w.org_code, o.name, w.host_unit, w.post, w.starts_on,
             w.ends_on",
    from: "FROM practice_posting w JOIN person p ON p.id = w.person_id
           JOIN org_unit o ON o.code = w.org_code
           WHERE w.org_code >= $1 AND w.org_code < $2",
    order: "w.starts_on DESC, w.org_code, w.id",
    columns: &[
        "姓名",
        "身份证号",
        "所属单位",
        "锻炼单位",
        "岗位",
        "开始日期",
        "结束日期",
    ],
    row: |r, scope| {
        Ok(vec![
            person(r, 0, 1, 3, scope)?,
            Cell::Text(r.try_get(2)?),
            Cell::Text(r.try_get(4)?),
            Cell::Text(r.try_get(5)?),
            Cell::Text(r.try_get(6)?),
            Cell::Text(r.try_get(7)?),
            opt(r, 8)?,
        ])
    },
};

fn standing_clauses(
    p: &TalentListParams,
    alias: &'static str,
    today: NaiveDate,
) -> Vec<(&'static str, String)> {
    if nonempty(&p.standing) != Some("active") {
        return Vec::new();
    }
    let (start, end) = match alias {
        "w" => ("w.starts_on <= ?", "(w.ends_on IS NULL OR w.ends_on > ?)"),
        _ => ("a.starts_on <= ?", "(a.ends_on IS NULL OR a.ends_on > ?)"),
    };
    vec![(start, today.to_string()), (end, today.to_string())]
}

/// `GET /talent/practice`: practice postings of reserve talents.
pub async fn list_practice(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<TalentListParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let clauses = standing_clauses(&p, "w", dates::today());
    let filters = vec![Filter::select(
        "standing",
        "状态",
        nonempty(&p.standing),
        options([("active", "锻炼中")]),
    )];
    page(
        &state,
        &ctx,
        &user,
        p,
        &PRACTICE,
        clauses,
        filters,
        "实践锻炼",
    )
    .await
}

static ADVISORS: Spec = Spec {
    sheet: SheetId::Advisors,
    ident: "CAST(a.id AS TEXT)",
    select: "p.id, p.name, p.id_masked, a.org_code, o.name, a.kind, a.starts_on, a.ends_on,
             (SELECT COUNT(*) FROM advice v WHERE v.person_id = a.person_id
              AND v.org_code = a.org_code)",
    from: "FROM advisor a JOIN person p ON p.id = a.person_id
           JOIN org_unit o ON o.code = a.org_code
           WHERE a.org_code >= $1 AND a.org_code < $2",
    order: "a.org_code, a.starts_on, a.id",
    columns: &[
        "姓名",
        "身份证号",
        "村(社区)",
        "类型",
        "开始日期",
        "结束日期",
        "建议条数",
    ],
    row: |r, scope| {
        let kind: String = r.try_get(5)?;
        Ok(vec![
            person(r, 0, 1, 3, scope)?,
            Cell::Text(r.try_get(2)?),
            Cell::Text(r.try_get(4)?),
            Cell::text(label_of(Some(&kind), |c| {
                AdvisorKind::from_code(c).map(AdvisorKind::label)
            })),
            Cell::Text(r.try_get(6)?),
            opt(r, 7)?,
            Cell::Int(r.try_get(8)?),
        ])
    },
};

/// `GET /talent/advisors`: village advisors (村务顾问).
pub async fn list_advisors(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<TalentListParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let mut clauses = standing_clauses(&p, "a", dates::today());
    if let Some(k) = nonempty(&p.kind) {
        clauses.push(("a.kind = ?", k.to_string()));
    }
    let filters = vec![
        Filter::select(
            "kind",
            "类型",
            nonempty(&p.kind),
            options(AdvisorKind::ALL.iter().map(|k| (k.code(), k.label()))),
        ),
        Filter::select(
            "standing",
            "状态",
            nonempty(&p.standing),
            options([("active", "在任")]),
        ),
    ];
    page(
        &state,
        &ctx,
        &user,
        p,
        &ADVISORS,
        clauses,
        filters,
        "村务顾问",
    )
    .await
}

static ADVICE: Spec = Spec {
    sheet: SheetId::Advice,
    ident: "v.advice_no",
    select: "v.advice_no, v.given_on, o.name, p.id, p.name, v.org_code, v.subject, v.content,
             v.adopted",
    from: "FROM advice v JOIN person p ON p.id = v.person_id
           JOIN org_unit o ON o.code = v.org_code
           WHERE v.org_code >= $1 AND v.org_code < $2",
    order: "v.given_on DESC, v.advice_no",
    columns: &[
        "建议编号",
        "提出日期",
        "村(社区)",
        "顾问",
        "事项",
        "内容",
        "是否采纳",
    ],
    row: |r, scope| {
        let adopted = r.try_get::<i64, _>(8)? != 0;
        Ok(vec![
            Cell::Text(r.try_get(0)?),
            Cell::Text(r.try_get(1)?),
            Cell::Text(r.try_get(2)?),
            person(r, 3, 4, 5, scope)?,
            Cell::Text(r.try_get(6)?),
            opt(r, 7)?,
            if adopted {
                Cell::Badge {
                    text: "已采纳".into(),
                    tone: "ok",
                }
            } else {
                Cell::text("未采纳")
            },
        ])
    },
};

/// `GET /talent/advice`: the advisors' advice, filtered by date and adoption.
pub async fn list_advice(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<TalentListParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let mut clauses = Vec::new();
    if let Some(f) = date_param(&p.from, "提出日期起")? {
        clauses.push(("v.given_on >= ?", f.to_string()));
    }
    if let Some(t) = date_param(&p.to, "提出日期止")? {
        clauses.push(("v.given_on <= ?", t.to_string()));
    }
    if let Some(a) = nonempty(&p.adopted).filter(|a| matches!(*a, "0" | "1")) {
        clauses.push(("CAST(v.adopted AS TEXT) = ?", a.to_string()));
    }
    let filters = vec![
        Filter::text("from", "提出日期起", nonempty(&p.from)),
        Filter::text("to", "提出日期止", nonempty(&p.to)),
        Filter::select(
            "adopted",
            "是否采纳",
            nonempty(&p.adopted),
            options([("1", "已采纳"), ("0", "未采纳")]),
        ),
    ];
    page(
        &state,
        &ctx,
        &user,
        p,
        &ADVICE,
        clauses,
        filters,
        "顾问建议",
    )
    .await
}

static REVIEWS: Spec = Spec {
    sheet: SheetId::SecretaryReviews,
    ident: "CAST(r.id AS TEXT)",
    select: "r.year, o.name, p.id, p.name, r.org_code, p.id_masked, r.result, r.pay_grade,
             (SELECT MAX(c.professional) FROM cadre_post c WHERE c.person_id = r.person_id
              AND c.org_code = r.org_code AND c.post = 'branch_secretary')",
    from: "FROM secretary_review r JOIN person p ON p.id = r.person_id
           JOIN org_unit o ON o.code = r.org_code
           WHERE r.org_code >= $1 AND r.org_code < $2",
    order: "r.year DESC, r.org_code, r.id",
    columns: &[
        "年度",
        "村(社区)",
        "党组织书记",
        "身份证号",
        "考核结果",
        "报酬等级",
        "专业化管理",
    ],
    row: |r, scope| {
        let result: String = r.try_get(6)?;
        let professional = r.try_get::<Option<i64>, _>(8)?.unwrap_or(0) != 0;
        Ok(vec![
            Cell::Text(r.try_get(0)?),
            Cell::Text(r.try_get(1)?),
            person(r, 2, 3, 4, scope)?,
            Cell::Text(r.try_get(5)?),
            Cell::text(label_of(Some(&result), |c| {
                ReviewResult::from_code(c).map(ReviewResult::label)
            })),
            opt(r, 7)?,
            Cell::text(if professional { "是" } else { "否" }),
        ])
    },
};

/// `GET /talent/reviews`: the annual reviews and pay grades of village secretaries.
pub async fn list_reviews(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<TalentListParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let mut clauses = Vec::new();
    if let Some(y) = nonempty(&p.year) {
        clauses.push(("r.year = ?", y.to_string()));
    }
    if let Some(res) = nonempty(&p.result) {
        clauses.push(("r.result = ?", res.to_string()));
    }
    let filters = vec![
        Filter::text("year", "年度", nonempty(&p.year)),
        Filter::select(
            "result",
            "考核结果",
            nonempty(&p.result),
            options(ReviewResult::ALL.iter().map(|k| (k.code(), k.label()))),
        ),
    ];
    page(
        &state,
        &ctx,
        &user,
        p,
        &REVIEWS,
        clauses,
        filters,
        "书记年度考核",
    )
    .await
}

//! The cadre-pipeline pages under 二、抓队伍建设: the committees' make-up (`/talent/committees`),
//! succession (`/talent/succession`), degree upgrades (`/talent/degree-upgrades`) and the reserve
//! pool (`/talent/reserve`). Each is a filtered, paginated, exportable `pages/list.html`.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use minijinja::context;
use serde::Deserialize;
use xingcun_domain::age_at;
use xingcun_domain::enums::{Education, PoolExit, Readiness, TalentSource};

use super::committees::{self, Makeup};
use super::records::{self, ReserveFilter, UpgradeFilter};
use super::succession;
use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::dates;
use crate::error::{AppError, AppResult};
use crate::org::pages::xlsx_download;
use crate::registry::forms::form_of;
use crate::registry::pages::{options, org_options};
use crate::registry::{label_of, narrow_to_org};
use crate::scope::Scope;
use crate::web::list::{Cell, Crumb, Filter, ListView, PageParams, Pagination, Table, query_of};
use crate::web::{Ctx, render};
use crate::workbook::sheets::SheetId;

pub(super) fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

pub(super) fn date_param(s: &Option<String>, what: &str) -> AppResult<Option<NaiveDate>> {
    nonempty(s)
        .map(|v| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map_err(|_| AppError::BadRequest(format!("{what}应为 YYYY-MM-DD 格式的日期")))
        })
        .transpose()
}

pub(super) fn crumbs(title: &str) -> Vec<Crumb> {
    vec![
        Crumb {
            label: "抓队伍建设".into(),
            href: None,
        },
        Crumb {
            label: title.into(),
            href: None,
        },
    ]
}

fn person_cell(name: String, id: i64, org: &str, scope: &Scope) -> Cell {
    if scope.contains(org) {
        Cell::link(name, format!("/people/{id}"))
    } else {
        Cell::Text(name)
    }
}

fn edu_label(code: &str) -> Option<&'static str> {
    Education::from_code(code).map(Education::label)
}

/// Renders a list view, or its table as an Excel download.
pub(super) fn respond(
    state: &AppState,
    ctx: &Ctx,
    view: ListView,
    export: bool,
    file: &str,
) -> AppResult<Response> {
    if export {
        return Ok(xlsx_download(
            view.table.to_xlsx(&view.title)?,
            &format!("{file}.xlsx"),
        ));
    }
    Ok(render(state, ctx, "pages/list.html", context! { view => view })?.into_response())
}

/// A whole table, paginated in memory (for views computed per village).
fn page_of(table: Table, p: PageParams, export: bool) -> (Table, Pagination) {
    let pagination = Pagination::new(p, table.rows.len() as i64);
    if export {
        return (table, pagination);
    }
    let rows = table
        .rows
        .iter()
        .skip(pagination.offset() as usize)
        .take(pagination.limit() as usize)
        .cloned()
        .collect();
    (Table { rows, ..table }, pagination)
}

#[derive(Debug, Deserialize, Default)]
pub struct MakeupParams {
    pub org: Option<String>,
    pub as_of: Option<String>,
    /// A second date to compare with.
    pub compare: Option<String>,
    #[serde(flatten)]
    pub page: PageParams,
    pub export: Option<String>,
}

fn share(n: usize, of: usize) -> String {
    if of == 0 {
        String::new()
    } else {
        format!("{:.2}%", n as f64 * 100.0 / of as f64)
    }
}

fn makeup_rows(m: &Makeup) -> Vec<(String, usize, String)> {
    let mut v = vec![
        ("“两委”成员".to_string(), m.members, String::new()),
        ("35岁以下".into(), m.under_35, share(m.under_35, m.members)),
        (
            "35至50岁".into(),
            m.from_35_to_50,
            share(m.from_35_to_50, m.members),
        ),
        ("50岁以上".into(), m.over_50, share(m.over_50, m.members)),
        (
            "大专以上学历".into(),
            m.college,
            share(m.college, m.members),
        ),
        ("女性".into(), m.women, share(m.women, m.members)),
        (
            "中共党员".into(),
            m.party_members,
            share(m.party_members, m.members),
        ),
        (
            "书记主任“一肩挑”的村(社区)".into(),
            m.one_shoulder_villages,
            String::new(),
        ),
    ];
    for (label, n) in &m.education {
        v.push((format!("学历：{label}"), *n, share(*n, m.members)));
    }
    v
}

/// `GET /talent/committees`: the make-up of the 两委 of a unit at a date, optionally beside a
/// second date.
pub async fn show_committees(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<MakeupParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let at = date_param(&p.as_of, "时点")?.unwrap_or_else(dates::today);
    let compare = date_param(&p.compare, "对比时点")?;
    let narrowed = narrow_to_org(pool, &user.scope, nonempty(&p.org)).await?;
    let empty = Makeup::default();
    let now = match &narrowed {
        Some(s) => committees::makeup(pool, s, at).await?,
        None => empty.clone(),
    };
    let then = match (&narrowed, compare) {
        (Some(s), Some(c)) => Some(committees::makeup(pool, s, c).await?),
        (None, Some(_)) => Some(empty),
        _ => None,
    };
    let at_label = format!("{at} 人数");
    let mut columns = vec!["项目", at_label.as_str(), "占比"];
    let then_label = compare.map(|c| format!("{c} 人数"));
    if let Some(l) = &then_label {
        columns.extend([l.as_str(), "增减"]);
    }
    let mut table = Table::new(&columns);
    let before = then.as_ref().map(makeup_rows);
    for (i, (label, n, pct)) in makeup_rows(&now).into_iter().enumerate() {
        let mut row = vec![Cell::Text(label), Cell::Int(n as i64), Cell::text(pct)];
        if let Some(b) = &before {
            let old = b.get(i).map_or(0, |x| x.1);
            row.push(Cell::Int(old as i64));
            row.push(Cell::Int(n as i64 - old as i64));
        }
        table.push(row);
    }
    let export = p.export.as_deref() == Some("xlsx");
    let (table, pagination) = page_of(table, p.page, export);
    let filters = vec![
        Filter::select(
            "org",
            "单位",
            nonempty(&p.org),
            org_options(pool, &user.scope).await?,
        ),
        Filter::text("as_of", "时点", Some(&at.to_string())),
        Filter::text("compare", "对比时点", nonempty(&p.compare)),
    ];
    let view = ListView {
        title: "村(社区)“两委”班子结构".into(),
        breadcrumb: crumbs("“两委”班子结构"),
        query: query_of(&filters),
        filters,
        table,
        pagination,
        new_href: None,
        export: true,
    };
    respond(&state, &ctx, view, export, "两委班子结构")
}

#[derive(Debug, Deserialize, Default)]
pub struct SuccessionParams {
    pub org: Option<String>,
    pub as_of: Option<String>,
    /// `1`: only the villages at risk.
    pub risk: Option<String>,
    #[serde(flatten)]
    pub page: PageParams,
    pub export: Option<String>,
}

/// `GET /talent/succession`: each village's secretary and possible successors; villages at
/// risk flagged.
pub async fn show_succession(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<SuccessionParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let at = date_param(&p.as_of, "时点")?.unwrap_or_else(dates::today);
    let narrowed = narrow_to_org(pool, &user.scope, nonempty(&p.org)).await?;
    let lines = match &narrowed {
        Some(s) => succession::lines(pool, s, at).await?,
        None => Vec::new(),
    };
    let only_risk = nonempty(&p.risk) == Some("1");
    let mut table = Table::new(&[
        "乡镇（街道）",
        "村(社区)",
        "党组织书记",
        "年龄",
        "专业化管理",
        "最近年度考核",
        "报酬等级",
        "后备人才",
        "可接任人数",
        "状态",
    ]);
    for l in lines.into_iter().filter(|l| !only_risk || l.at_risk) {
        let has_secretary = l.secretary.is_some();
        table.push(vec![
            Cell::opt(l.township),
            Cell::Text(l.name),
            Cell::opt(l.secretary),
            l.secretary_age
                .map_or(Cell::Empty, |a| Cell::Int(i64::from(a))),
            if !has_secretary {
                Cell::Empty
            } else {
                Cell::text(if l.professional { "是" } else { "否" })
            },
            Cell::opt(l.review.as_ref().map(|(y, r, _)| format!("{y}年 {r}"))),
            Cell::opt(l.review.and_then(|(_, _, g)| g)),
            Cell::text(l.successors.join("、")),
            Cell::Int(l.ready as i64),
            if l.at_risk {
                Cell::Badge {
                    text: "接班风险".into(),
                    tone: "err",
                }
            } else {
                Cell::Empty
            },
        ]);
    }
    let export = p.export.as_deref() == Some("xlsx");
    let (table, pagination) = page_of(table, p.page, export);
    let filters = vec![
        Filter::select(
            "org",
            "单位",
            nonempty(&p.org),
            org_options(pool, &user.scope).await?,
        ),
        Filter::text("as_of", "时点", Some(&at.to_string())),
        Filter::select(
            "risk",
            "状态",
            nonempty(&p.risk),
            options([("1", "书记60岁以上且无可接任后备人才")]),
        ),
    ];
    let view = ListView {
        title: "老中青梯队".into(),
        breadcrumb: crumbs("老中青梯队"),
        query: query_of(&filters),
        filters,
        table,
        pagination,
        new_href: None,
        export: true,
    };
    respond(&state, &ctx, view, export, "老中青梯队")
}

#[derive(Debug, Deserialize, Default)]
pub struct UpgradeParams {
    pub org: Option<String>,
    pub level: Option<String>,
    /// `studying` or `graduated`.
    pub state: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    #[serde(flatten)]
    pub page: PageParams,
    pub export: Option<String>,
}

/// `GET /talent/degree-upgrades`: enrolments in scope, filtered, paginated, exportable.
pub async fn list_degree_upgrades(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<UpgradeParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let filter = UpgradeFilter {
        level: nonempty(&p.level).map(str::to_string),
        graduated: match nonempty(&p.state) {
            Some("graduated") => Some(true),
            Some("studying") => Some(false),
            _ => None,
        },
        from: date_param(&p.from, "入学日期起")?,
        to: date_param(&p.to, "入学日期止")?,
    };
    let narrowed = narrow_to_org(pool, &user.scope, nonempty(&p.org)).await?;
    let export = p.export.as_deref() == Some("xlsx");
    let total = match &narrowed {
        Some(s) => records::count_upgrades(pool, s, &filter).await?,
        None => 0,
    };
    let pagination = Pagination::new(p.page, total);
    let (limit, offset) = if export {
        (100_000, 0)
    } else {
        (pagination.limit(), pagination.offset())
    };
    let items = match &narrowed {
        Some(s) => records::list_upgrades(pool, s, &filter, limit, offset).await?,
        None => Vec::new(),
    };
    let mut table = Table::new(&[
        "姓名",
        "身份证号",
        "所属单位",
        "学校",
        "层次",
        "入学日期",
        "预计毕业日期",
        "毕业日期",
    ]);
    let form =
        (user.can(Permission::WriteData) && !export).then(|| form_of(SheetId::DegreeUpgrades));
    if form.is_some() {
        table.columns.push("操作".into());
    }
    for u in items {
        let edit = form.map(|f| Cell::link("编辑", f.edit_href(&u.id.to_string())));
        table.push(vec![
            person_cell(u.name, u.person_id, &u.org_code, &user.scope),
            Cell::Text(u.id_masked),
            Cell::Text(u.org_name),
            Cell::Text(u.school),
            Cell::text(label_of(Some(&u.level), edu_label)),
            Cell::Text(u.starts_on),
            Cell::opt(u.expected_on),
            Cell::opt(u.graduated_on),
        ]);
        if let (Some(e), Some(row)) = (edit, table.rows.last_mut()) {
            row.push(e);
        }
    }
    let filters = vec![
        Filter::select(
            "org",
            "所属单位",
            nonempty(&p.org),
            org_options(pool, &user.scope).await?,
        ),
        Filter::select(
            "level",
            "层次",
            nonempty(&p.level),
            options(Education::ALL.iter().map(|e| (e.code(), e.label()))),
        ),
        Filter::select(
            "state",
            "状态",
            nonempty(&p.state),
            options([("studying", "在读"), ("graduated", "已毕业")]),
        ),
        Filter::text("from", "入学日期起", nonempty(&p.from)),
        Filter::text("to", "入学日期止", nonempty(&p.to)),
    ];
    let view = ListView {
        title: "学历提升".into(),
        breadcrumb: crumbs("学历提升"),
        query: query_of(&filters),
        filters,
        table,
        pagination,
        new_href: form.map(|f| f.new_href()),
        export: true,
    };
    respond(&state, &ctx, view, export, "学历提升")
}

#[derive(Debug, Deserialize, Default)]
pub struct ReserveParams {
    pub org: Option<String>,
    pub source: Option<String>,
    pub readiness: Option<String>,
    /// `in_pool` (today) or empty for every entry, past ones included.
    pub standing: Option<String>,
    #[serde(flatten)]
    pub page: PageParams,
    pub export: Option<String>,
}

/// `GET /talent/reserve`: the reserve pool in scope, filtered, paginated, exportable.
pub async fn list_reserve(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<ReserveParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let pool = &state.db().pool;
    let today = dates::today();
    let filter = ReserveFilter {
        source: nonempty(&p.source).map(str::to_string),
        readiness: nonempty(&p.readiness).map(str::to_string),
        in_pool_at: (nonempty(&p.standing) == Some("in_pool")).then_some(today),
    };
    let narrowed = narrow_to_org(pool, &user.scope, nonempty(&p.org)).await?;
    let export = p.export.as_deref() == Some("xlsx");
    let total = match &narrowed {
        Some(s) => records::count_reserve(pool, s, &filter).await?,
        None => 0,
    };
    let pagination = Pagination::new(p.page, total);
    let (limit, offset) = if export {
        (100_000, 0)
    } else {
        (pagination.limit(), pagination.offset())
    };
    let items = match &narrowed {
        Some(s) => records::list_reserve(pool, s, &filter, limit, offset).await?,
        None => Vec::new(),
    };
    let mut table = Table::new(&[
        "姓名",
        "身份证号",
        "年龄",
        "最高学历",
        "所属单位",
        "来源",
        "专长",
        "培养联系人",
        "成熟度",
        "入库日期",
        "出库日期",
        "出库原因",
        "详情",
    ]);
    let form =
        (user.can(Permission::WriteData) && !export).then(|| form_of(SheetId::ReserveTalents));
    if form.is_some() {
        table.columns.push("操作".into());
    }
    for r in items {
        let age = r
            .birth_date
            .as_deref()
            .and_then(|b| NaiveDate::parse_from_str(b, "%Y-%m-%d").ok())
            .map_or(Cell::Empty, |b| Cell::Int(i64::from(age_at(b, today))));
        let highest = Education::highest(
            r.edu_full_time.as_deref().and_then(Education::from_code),
            r.edu_in_service.as_deref().and_then(Education::from_code),
        );
        table.push(vec![
            person_cell(r.name, r.person_id, &r.org_code, &user.scope),
            Cell::Text(r.id_masked),
            age,
            Cell::opt(highest.map(|e| e.label().to_string())),
            Cell::Text(r.org_name),
            Cell::text(label_of(Some(&r.source), |c| {
                TalentSource::from_code(c).map(TalentSource::label)
            })),
            Cell::opt(r.skills),
            Cell::opt(r.mentor),
            Cell::text(label_of(Some(&r.readiness), |c| {
                Readiness::from_code(c).map(Readiness::label)
            })),
            Cell::Text(r.starts_on),
            Cell::opt(r.ends_on),
            Cell::opt(
                r.exit_reason
                    .map(|c| label_of(Some(&c), |c| PoolExit::from_code(c).map(PoolExit::label))),
            ),
            Cell::link("查看", format!("/talent/reserve/{}", r.id)),
        ]);
        if let (Some(f), Some(row)) = (form, table.rows.last_mut()) {
            row.push(Cell::link("编辑", f.edit_href(&r.id.to_string())));
        }
    }
    let filters = vec![
        Filter::select(
            "org",
            "所属单位",
            nonempty(&p.org),
            org_options(pool, &user.scope).await?,
        ),
        Filter::select(
            "source",
            "来源",
            nonempty(&p.source),
            options(TalentSource::ALL.iter().map(|e| (e.code(), e.label()))),
        ),
        Filter::select(
            "readiness",
            "成熟度",
            nonempty(&p.readiness),
            options(Readiness::ALL.iter().map(|e| (e.code(), e.label()))),
        ),
        Filter::select(
            "standing",
            "在库情况",
            nonempty(&p.standing),
            options([("in_pool", "在库")]),
        ),
    ];
    let view = ListView {
        title: "后备人才".into(),
        breadcrumb: crumbs("后备人才"),
        query: query_of(&filters),
        filters,
        table,
        pagination,
        new_href: form.map(|f| f.new_href()),
        export: true,
    };
    respond(&state, &ctx, view, export, "后备人才")
}

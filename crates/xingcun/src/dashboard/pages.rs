//! `GET /dashboard`: the dashboard of the user's unit (or `?org=` within the user's scope) for
//! `?from=&to=`, with SVG charts rendered by `pages/dashboard.html` and
//! `partials/charts.html` from the geometry computed here; `&export=xlsx` downloads its tables of
//! figures.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use minijinja::context;
use serde::{Deserialize, Serialize};
use sqlx::AnyPool;
use xingcun_domain::division::OrgKind;
use xingcun_xlsx::{OutCell, SheetSpec, WorkbookWriter};

use super::{Data, cached, number};
use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::indicators::dates::DateParams;
use crate::indicators::{Dates, Figure, Indicator, Line, Timing};
use crate::org::OrgUnit;
use crate::org::pages::xlsx_download;
use crate::scope::Scope;
use crate::web::list::{Crumb, Filter, query_of};
use crate::web::{Ctx, render};

/// The query string: the unit, the period, and `export=xlsx`.
#[derive(Debug, Default, Deserialize)]
pub struct DashboardParams {
    pub org: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub export: Option<String>,
}

/// The change of a figure against the previous period.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Change {
    /// up, down, flat, or none (a side without a value).
    pub dir: &'static str,
    /// ▲, ▼ or empty.
    pub arrow: &'static str,
    /// The size of the change: "3", "1.25 个百分点", "0.4"; "—" without a value.
    pub text: String,
}

/// One bar or point of a chart, linking to its records.
#[derive(Debug, Clone, Serialize)]
pub struct Mark {
    pub label: String,
    pub text: String,
    pub href: String,
    pub has_value: bool,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    /// Where the label and the value are written.
    pub lx: f64,
    pub vx: f64,
}

/// A chart: its size (the SVG's viewBox), marks, and the scale's top.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub id: String,
    pub width: f64,
    pub height: f64,
    /// The plot's left edge, top and baseline, and the width of one month's slot.
    pub left: f64,
    pub top: f64,
    pub base: f64,
    pub slot: f64,
    pub top_text: String,
    /// Bars (a 时期 count per month, a ranking) or a line through points (a 时点 trend).
    pub line: bool,
    pub marks: Vec<Mark>,
}

/// One indicator on the page.
#[derive(Debug, Clone, Serialize)]
pub struct RowView {
    pub key: &'static str,
    pub name: &'static str,
    pub kind: String,
    pub unit_word: &'static str,
    pub value: String,
    pub href: String,
    pub previous: String,
    pub previous_href: String,
    pub change: Change,
    pub trend: Chart,
    pub ranking: Chart,
    /// The ranking as a table: (名次, unit code, unit name, value, drill-down, dashboard link).
    pub ranks: Vec<(usize, String, String, String, String, String)>,
}

/// One line of work.
#[derive(Debug, Clone, Serialize)]
pub struct LineView {
    pub label: &'static str,
    pub rows: Vec<RowView>,
}

/// The page's data, the same for every user who may see the unit.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    pub from: String,
    pub to: String,
    pub previous_from: String,
    pub previous_to: String,
    pub previous_as_of: String,
    pub months_capped: bool,
    pub children_label: &'static str,
    pub has_children: bool,
    pub summary: Vec<(&'static str, i64, String)>,
    pub lines: Vec<LineView>,
}

/// What is cached per (unit, F, T): the computed figures and the page made of them.
pub struct Board {
    pub data: Data,
    pub view: View,
}

const WIDTH: f64 = 420.0;

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// `org=…&as_of=…&from=…&to=…`, so a link opens the records of the figure it came from.
fn drill_href(key: &str, org: &str, d: &Dates) -> String {
    let q = serde_urlencoded::to_string([
        ("org", org.to_string()),
        ("as_of", d.as_of.to_string()),
        ("from", d.from.to_string()),
        ("to", d.to.to_string()),
    ])
    .unwrap_or_default();
    format!("/indicators/{key}?{q}")
}

fn dashboard_href(org: &str, d: &Dates) -> String {
    let q = serde_urlencoded::to_string([
        ("org", org.to_string()),
        ("from", d.from.to_string()),
        ("to", d.to.to_string()),
    ])
    .unwrap_or_default();
    format!("/dashboard?{q}")
}

/// The change from `prev` to `cur`: counts by their difference, ratios in percentage points
/// (from the values rounded to 0.01%), means by their difference at one decimal.
pub fn change(cur: &Figure, prev: &Figure) -> Change {
    let (diff, text): (i64, Box<dyn Fn(u64) -> String>) = match (cur, prev) {
        (Figure::Count(a), Figure::Count(b)) => (a - b, Box::new(|d| d.to_string())),
        (Figure::Ratio(a), Figure::Ratio(b)) => match (a.ten_thousandths(), b.ten_thousandths()) {
            (Some(x), Some(y)) => (
                x - y,
                Box::new(|d| format!("{}.{:02} 个百分点", d / 100, d % 100)),
            ),
            _ => return no_change(),
        },
        (Figure::Mean(Some(a)), Figure::Mean(Some(b))) => (
            (a * 10.0).round() as i64 - (b * 10.0).round() as i64,
            Box::new(|d| format!("{}.{}", d / 10, d % 10)),
        ),
        _ => return no_change(),
    };
    let (dir, arrow) = match diff.signum() {
        1 => ("up", "▲"),
        -1 => ("down", "▼"),
        _ => ("flat", ""),
    };
    Change {
        dir,
        arrow,
        text: text(diff.unsigned_abs()),
    }
}

fn no_change() -> Change {
    Change {
        dir: "none",
        arrow: "",
        text: "—".into(),
    }
}

fn scale_top(ind: &Indicator, values: &[Option<f64>]) -> f64 {
    if ind.is_ratio() {
        return 100.0;
    }
    let max = values.iter().flatten().copied().fold(0.0_f64, f64::max);
    if max > 0.0 { max } else { 1.0 }
}

fn top_text(ind: &Indicator, top: f64) -> String {
    if ind.is_ratio() {
        "100%".into()
    } else if matches!(ind.measure, crate::indicators::Measure::Count(_)) {
        format!("{top:.0}")
    } else {
        format!("{top:.1}")
    }
}

/// The monthly trend: bars for a 时期 count, a line for a 时点 value.
fn trend_chart(data: &Data, row: &super::Row) -> Chart {
    let (left, right, top, bottom) = (44.0, 8.0, 14.0, 26.0);
    let height = 190.0;
    let plot = height - top - bottom;
    let n = data.months.len().max(1) as f64;
    let slot = (WIDTH - left - right) / n;
    let values: Vec<Option<f64>> = row.trend.iter().map(number).collect();
    let max = scale_top(row.ind, &values);
    let line = row.ind.timing() == Timing::AsOf;
    let marks = data
        .months
        .iter()
        .zip(&row.trend)
        .enumerate()
        .map(|(i, (m, f))| {
            let v = number(f);
            let h = round1(v.unwrap_or(0.0) / max * plot);
            let x0 = left + i as f64 * slot;
            let (x, w) = if line {
                (round1(x0 + slot / 2.0), 0.0)
            } else {
                (round1(x0 + slot * 0.15), round1(slot * 0.7))
            };
            Mark {
                label: m.from.format("%Y-%m").to_string(),
                text: f.text(),
                href: drill_href(row.ind.key, &data.unit.code, m),
                has_value: v.is_some(),
                x,
                y: round1(top + plot - h),
                w,
                h,
                lx: round1(x0 + slot / 2.0),
                vx: 0.0,
            }
        })
        .collect();
    Chart {
        id: format!("trend-{}", row.ind.key.replace('.', "-")),
        width: WIDTH,
        height,
        left,
        top,
        base: top + plot,
        slot: round1(slot),
        top_text: top_text(row.ind, max),
        line,
        marks,
    }
}

/// The ranking of child units: one horizontal bar each, best first.
fn ranking_chart(data: &Data, row: &super::Row) -> Chart {
    let (label_w, value_w, row_h) = (96.0, 78.0, 26.0);
    let values: Vec<Option<f64>> = row.ranking.iter().map(|(_, f)| number(f)).collect();
    let max = scale_top(row.ind, &values);
    let span = WIDTH - label_w - value_w;
    let marks = row
        .ranking
        .iter()
        .enumerate()
        .map(|(i, (c, f))| {
            let child = &data.children[*c];
            let v = number(f);
            let w = round1(v.unwrap_or(0.0) / max * span);
            Mark {
                label: child.name.clone(),
                text: f.text(),
                href: drill_href(row.ind.key, &child.code, &data.dates),
                has_value: v.is_some(),
                x: label_w,
                y: round1(4.0 + i as f64 * row_h),
                w,
                h: row_h - 8.0,
                lx: label_w - 6.0,
                vx: round1(label_w + w + 6.0),
            }
        })
        .collect();
    Chart {
        id: format!("rank-{}", row.ind.key.replace('.', "-")),
        width: WIDTH,
        height: round1(row.ranking.len() as f64 * row_h + 8.0),
        left: label_w,
        top: 0.0,
        base: 0.0,
        slot: row_h,
        top_text: top_text(row.ind, max),
        line: false,
        marks,
    }
}

fn with_unit(f: &Figure, ind: &Indicator) -> String {
    match f {
        Figure::Count(_) | Figure::Mean(Some(_)) if !ind.unit_word.is_empty() => {
            format!("{} {}", f.text(), ind.unit_word)
        }
        _ => f.text(),
    }
}

/// The page made of the computed figures.
pub fn view(data: &Data, summary: Vec<(&'static str, i64, String)>) -> View {
    let children_label = match data.unit.kind().level() {
        0 => "乡镇（街道）",
        1 => "村（社区）",
        _ => "网格",
    };
    let lines = Line::ALL
        .iter()
        .map(|&line| LineView {
            label: line.label(),
            rows: data
                .rows
                .iter()
                .filter(|r| r.ind.line == line)
                .map(|r| RowView {
                    key: r.ind.key,
                    name: r.ind.name,
                    kind: format!("{}·{}", r.ind.timing().label(), r.ind.kind_label()),
                    unit_word: r.ind.unit_word,
                    value: with_unit(&r.current, r.ind),
                    href: drill_href(r.ind.key, &data.unit.code, &data.dates),
                    previous: with_unit(&r.previous, r.ind),
                    previous_href: drill_href(r.ind.key, &data.unit.code, &data.previous),
                    change: change(&r.current, &r.previous),
                    trend: trend_chart(data, r),
                    ranking: ranking_chart(data, r),
                    ranks: r
                        .ranking
                        .iter()
                        .enumerate()
                        .map(|(i, (c, f))| {
                            let child = &data.children[*c];
                            (
                                i + 1,
                                child.code.clone(),
                                child.name.clone(),
                                f.text(),
                                drill_href(r.ind.key, &child.code, &data.dates),
                                dashboard_href(&child.code, &data.dates),
                            )
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    View {
        from: data.dates.from.to_string(),
        to: data.dates.to.to_string(),
        previous_from: data.previous.from.to_string(),
        previous_to: data.previous.to.to_string(),
        previous_as_of: data.previous.as_of.to_string(),
        months_capped: data.months.first().map(|m| m.from) != Some(data.dates.from),
        children_label,
        has_children: !data.children.is_empty(),
        summary,
        lines,
    }
}

/// Org units, households, people, party members and serving cadres of the unit's subtree, and
/// its alerts (预警) at T.
async fn summary(
    pool: &AnyPool,
    unit_code: &str,
    scope: &Scope,
    at: NaiveDate,
) -> AppResult<Vec<(&'static str, i64, String)>> {
    use sqlx::Row;
    let counts = crate::org::count_by_kind(pool, scope).await?;
    let count = |k: OrgKind| {
        counts
            .iter()
            .find(|(c, _)| c == k.code())
            .map(|(_, n)| *n)
            .unwrap_or(0)
    };
    let (lo, hi) = scope.bounds();
    let row = sqlx::query(
        "SELECT
            (SELECT COUNT(*) FROM household WHERE org_code >= $1 AND org_code < $2 AND deregistered_on IS NULL),
            (SELECT COUNT(*) FROM person WHERE org_code >= $1 AND org_code < $2 AND deregistered_on IS NULL),
            (SELECT COUNT(*) FROM party_member WHERE org_code >= $1 AND org_code < $2 AND left_on IS NULL),
            (SELECT COUNT(DISTINCT person_id) FROM cadre_post WHERE org_code >= $1 AND org_code < $2 AND ends_on IS NULL)",
    )
    .bind(lo)
    .bind(hi)
    .fetch_one(pool)
    .await?;
    Ok(vec![
        (
            "乡镇（街道）",
            count(OrgKind::Township) + count(OrgKind::Subdistrict),
            "/org-units?kind=township".into(),
        ),
        (
            "行政村",
            count(OrgKind::AdminVillage),
            "/org-units?kind=admin_village".into(),
        ),
        (
            "社区",
            count(OrgKind::Community),
            "/org-units?kind=community".into(),
        ),
        ("网格", count(OrgKind::Grid), "/org-units?kind=grid".into()),
        ("农户", row.try_get(0)?, "/households".into()),
        ("人员", row.try_get(1)?, "/people".into()),
        ("党员", row.try_get(2)?, "/party-members".into()),
        ("在任干部", row.try_get(3)?, "/cadres".into()),
        (
            "预警",
            i64::try_from(crate::outreach::alerts::count_alerts(pool, scope, at).await?)
                .unwrap_or(i64::MAX),
            format!("/alerts?org={}", unit_code),
        ),
    ])
}

/// The dashboard of `unit` for `dates`, from the cache while no write has happened.
pub async fn board(
    state: &AppState,
    unit: &OrgUnit,
    dates: &Dates,
) -> AppResult<std::sync::Arc<Board>> {
    let pool = &state.db().pool;
    let key = format!("dashboard|{}|{}|{}", unit.code, dates.from, dates.to);
    cached(&state.config().database_url, pool, key, || async {
        let data = super::compute_cached(&state.config().database_url, pool, unit, dates).await?;
        let summary = summary(pool, &unit.code, &unit.scope(), dates.to).await?;
        let view = view(&data, summary);
        Ok(Board { data, view })
    })
    .await
}

/// Computes the dashboards users open first — the district's and each township's, for the
/// default period — so that the first view after a start comes from the cache. Run in the
/// background by `serve`; a failure is only logged.
pub async fn warm_up(state: &AppState) -> AppResult<usize> {
    let pool = &state.db().pool;
    let Some(root) = crate::org::root(pool).await? else {
        return Ok(0);
    };
    let (_, d) = DateParams {
        org: None,
        as_of: None,
        from: None,
        to: None,
    }
    .resolve(crate::dates::today())?;
    let mut units = vec![root.clone()];
    units.extend(crate::org::children(pool, &root.scope(), &root.code).await?);
    for unit in &units {
        board(state, unit, &d).await?;
    }
    Ok(units.len())
}

/// The units a dashboard can be asked for: the user's subtree down to villages, indented.
async fn org_options(
    state: &AppState,
    scope: &Scope,
) -> AppResult<std::sync::Arc<Vec<(String, String)>>> {
    let pool = &state.db().pool;
    let key = format!("dashboard-orgs|{}", scope.prefix());
    cached(&state.config().database_url, pool, key, || {
        crate::org::options(pool, scope, false)
    })
    .await
}

/// `GET /dashboard`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<DashboardParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let params = DateParams {
        org: p.org.clone(),
        as_of: None,
        from: p.from.clone(),
        to: p.to.clone(),
    };
    let (args, d) = params.resolve(crate::dates::today())?;
    let pool = &state.db().pool;
    let code = args.org.unwrap_or_else(|| user.org_code.clone());
    let unit = crate::org::get(pool, &user.scope, &code).await?;
    let board = board(&state, &unit, &d).await?;
    if p.export.as_deref() == Some("xlsx") {
        let bytes = to_xlsx(&board.data).map_err(AppError::Internal)?;
        return Ok(xlsx_download(
            bytes,
            &format!("工作台-{}-{}至{}.xlsx", unit.name, d.from, d.to),
        ));
    }
    let mut crumbs: Vec<Crumb> = crate::org::lineage(pool, &unit.code)
        .await?
        .into_iter()
        .filter(|u| user.scope.contains(&u.code))
        .map(|u| Crumb {
            href: (u.code != unit.code).then(|| dashboard_href(&u.code, &d)),
            label: u.name,
        })
        .collect();
    if crumbs.is_empty() {
        crumbs.push(Crumb {
            label: unit.name.clone(),
            href: None,
        });
    }
    let (from, to) = (d.from.to_string(), d.to.to_string());
    let filters = vec![
        Filter::select(
            "org",
            "统计单位",
            Some(&unit.code),
            org_options(&state, &user.scope).await?.to_vec(),
        )
        .required(),
        Filter::text("from", "时期开始（F）", Some(&from)),
        Filter::text("to", "时期结束（T）", Some(&to)),
    ];
    let form = context! { filters => filters, export => true, query => query_of(&filters) };
    Ok(render(
        &state,
        &ctx,
        "pages/dashboard.html",
        context! { unit => unit, v => &board.view, crumbs => crumbs, form => form },
    )?
    .into_response())
}

fn figure_cell(f: &Figure) -> OutCell {
    match f {
        Figure::Count(n) => OutCell::Int(*n),
        _ => number(f).map_or(OutCell::Empty, OutCell::Number),
    }
}

fn sheet(
    w: &mut WorkbookWriter,
    name: &str,
    headers: &[&str],
    rows: Vec<Vec<OutCell>>,
) -> anyhow::Result<()> {
    let required = vec![false; headers.len()];
    let h = w.add_sheet(&SheetSpec {
        name,
        headers,
        required: &required,
        notes: None,
        dropdowns: &[],
        text_columns: &[],
    })?;
    for r in &rows {
        w.write_row(h, r)?;
    }
    Ok(())
}

/// The dashboard's tables of figures as a workbook: 指标 (value, previous, change), 排名 and
/// 月度趋势. Ratios are in percent.
pub fn to_xlsx(data: &Data) -> anyhow::Result<Vec<u8>> {
    let text = |s: &str| OutCell::Text(s.to_string());
    let mut w = WorkbookWriter::new();
    let period = format!("{} 至 {}", data.dates.from, data.dates.to);
    let previous = format!("{} 至 {}", data.previous.from, data.previous.to);
    let figures = data
        .rows
        .iter()
        .map(|r| {
            let c = change(&r.current, &r.previous);
            vec![
                text(r.ind.line.label()),
                text(r.ind.key),
                text(r.ind.name),
                text(&format!(
                    "{}·{}",
                    r.ind.timing().label(),
                    r.ind.kind_label()
                )),
                figure_cell(&r.current),
                text(&r.current.text()),
                figure_cell(&r.previous),
                text(&r.previous.text()),
                text(&format!("{}{}", c.arrow, c.text)),
                text(if r.ind.is_ratio() {
                    "%"
                } else {
                    r.ind.unit_word
                }),
                text(&period),
                text(&previous),
            ]
        })
        .collect();
    sheet(
        &mut w,
        "指标",
        &[
            "工作",
            "指标键",
            "指标",
            "类型",
            "本期值",
            "本期",
            "上期值",
            "上期",
            "变化",
            "单位",
            "本期时期",
            "上期时期",
        ],
        figures,
    )?;
    let mut ranks = Vec::new();
    for r in &data.rows {
        for (i, (c, f)) in r.ranking.iter().enumerate() {
            let child = &data.children[*c];
            ranks.push(vec![
                text(r.ind.key),
                text(r.ind.name),
                OutCell::Int(i as i64 + 1),
                text(&child.code),
                text(&child.name),
                figure_cell(f),
                text(&f.text()),
            ]);
        }
    }
    sheet(
        &mut w,
        "排名",
        &["指标键", "指标", "名次", "区划代码", "单位", "值", "显示值"],
        ranks,
    )?;
    let mut trend = Vec::new();
    for r in &data.rows {
        for (m, f) in data.months.iter().zip(&r.trend) {
            trend.push(vec![
                text(r.ind.key),
                text(r.ind.name),
                text(&m.from.format("%Y-%m").to_string()),
                OutCell::Date(m.from),
                OutCell::Date(m.to),
                figure_cell(f),
                text(&f.text()),
            ]);
        }
    }
    sheet(
        &mut w,
        "月度趋势",
        &[
            "指标键",
            "指标",
            "月份",
            "开始日期",
            "结束日期",
            "值",
            "显示值",
        ],
        trend,
    )?;
    Ok(w.save_to_bytes()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use xingcun_domain::Ratio;

    #[test]
    fn a_change_is_a_difference_with_its_direction_and_ratios_move_in_points() {
        let c = change(&Figure::Count(7), &Figure::Count(4));
        assert_eq!((c.dir, c.arrow, c.text.as_str()), ("up", "▲", "3"));
        let c = change(&Figure::Count(2), &Figure::Count(4));
        assert_eq!((c.dir, c.arrow, c.text.as_str()), ("down", "▼", "2"));
        // 68/70 = 97.14%, 1/2 = 50.00%: 47.14 points.
        let c = change(
            &Figure::Ratio(Ratio::new(68, 70)),
            &Figure::Ratio(Ratio::new(1, 2)),
        );
        assert_eq!((c.arrow, c.text.as_str()), ("▲", "47.14 个百分点"));
        let c = change(
            &Figure::Ratio(Ratio::new(1, 3)),
            &Figure::Ratio(Ratio::new(1, 0)),
        );
        assert_eq!((c.dir, c.text.as_str()), ("none", "—"));
        let c = change(&Figure::Mean(Some(45.3)), &Figure::Mean(Some(46.0)));
        assert_eq!((c.arrow, c.text.as_str()), ("▼", "0.7"));
        assert_eq!(change(&Figure::Count(3), &Figure::Count(3)).dir, "flat");
    }
}

//! `/indicators`: the figures of one unit grouped by line of work, each a link; and
//! `/indicators/{key}`: the list behind a figure (a ratio's numerator or denominator), in the
//! list-page pattern with Excel export.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::dates::DateParams;
use super::drill::{self, Side};
use super::{Dates, Figure, INDICATORS, Indicator, Line, RowCtx, Timing};
use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::dates;
use crate::error::{AppError, AppResult};
use crate::org::OrgUnit;
use crate::org::pages::xlsx_download;
use crate::scope::Scope;
use crate::web::list::{Crumb, Filter, ListView, PageParams, Pagination, query_of};
use crate::web::{Ctx, render};

/// The query string of a drill-down page: the unit, the dates, which list, which page.
#[derive(Debug, Default, Deserialize)]
pub struct IndicatorListParams {
    #[serde(flatten)]
    pub dates: DateParams,
    pub list: Option<String>,
    #[serde(flatten)]
    pub page: PageParams,
    pub export: Option<String>,
}

/// One figure on the overview.
#[derive(Debug, Serialize)]
pub struct Tile {
    name: &'static str,
    kind: String,
    text: String,
    unit_word: &'static str,
    href: String,
    /// A ratio's parts, each linking to its list.
    numerator: Option<(i64, String)>,
    denominator: Option<(i64, String)>,
}

/// One line of work on the overview.
#[derive(Debug, Serialize)]
pub struct Section {
    label: &'static str,
    tiles: Vec<Tile>,
}

/// The org units a figure can be asked for: the user's subtree down to villages, indented.
async fn org_options(state: &AppState, scope: &Scope) -> AppResult<Vec<(String, String)>> {
    crate::org::options(&state.db().pool, scope, false).await
}

/// The unit asked for (`org=`, default the user's own), or 404 outside the user's scope.
async fn unit_of(state: &AppState, user: &CurrentUser, org: Option<&str>) -> AppResult<OrgUnit> {
    let code = org.unwrap_or(&user.org_code);
    crate::org::get(&state.db().pool, &user.scope, code).await
}

/// `org=…&as_of=…&from=…&to=…` with the resolved dates, so a link shows the figure it came from.
fn dates_query(unit: &OrgUnit, d: &Dates, side: Option<Side>) -> String {
    let mut pairs = vec![
        ("org", unit.code.clone()),
        ("as_of", d.as_of.to_string()),
        ("from", d.from.to_string()),
        ("to", d.to.to_string()),
    ];
    if let Some(s) = side {
        pairs.push(("list", s.code().to_string()));
    }
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

/// The filters above both pages: unit and dates (the period only where some figure uses it).
async fn date_filters(
    state: &AppState,
    user: &CurrentUser,
    unit: &OrgUnit,
    d: &Dates,
    with_period: bool,
) -> AppResult<Vec<Filter>> {
    let as_of = d.as_of.to_string();
    let mut filters = vec![
        Filter::select(
            "org",
            "统计单位",
            Some(&unit.code),
            org_options(state, &user.scope).await?,
        )
        .required(),
        Filter::text("as_of", "统计时点（D）", Some(&as_of)),
    ];
    if with_period {
        let (from, to) = (d.from.to_string(), d.to.to_string());
        filters.push(Filter::text("from", "时期开始（F）", Some(&from)));
        filters.push(Filter::text("to", "时期结束（T）", Some(&to)));
    }
    Ok(filters)
}

fn kind_text(ind: &Indicator) -> String {
    format!("{}·{}", ind.timing().label(), ind.kind_label())
}

/// `GET /indicators`: every figure of the user's unit (or `?org=` within scope), by line of work.
pub async fn show_indicators(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<DateParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let (args, d) = p.resolve(dates::today())?;
    let unit = unit_of(&state, &user, args.org.as_deref()).await?;
    let sections = sections_for(&state, &unit, &d).await?;
    let with_period = INDICATORS.iter().any(|i| i.timing() == Timing::Period);
    let filters = date_filters(&state, &user, &unit, &d, with_period).await?;
    let form = context! { filters => filters, export => false };
    Ok(render(
        &state,
        &ctx,
        "pages/indicators.html",
        context! {
            unit => unit, sections => sections, form => form, with_period => with_period,
            as_of => d.as_of.to_string(), from => d.from.to_string(), to => d.to.to_string(),
        },
    )?
    .into_response())
}

/// The figures of a unit grouped by line of work (lines without figures left out): the
/// overview and the dashboard show the same tiles.
pub async fn sections_for(state: &AppState, unit: &OrgUnit, d: &Dates) -> AppResult<Vec<Section>> {
    let report = super::report(&state.db().pool, unit, d).await?;
    Ok(Line::ALL
        .iter()
        .map(|&line| Section {
            label: line.label(),
            tiles: report
                .indicators
                .0
                .iter()
                .filter(|(i, _)| i.line == line)
                .map(|(ind, figure)| {
                    let href =
                        |side| format!("/indicators/{}?{}", ind.key, dates_query(unit, d, side));
                    let (numerator, denominator) = match figure {
                        Figure::Ratio(r) => (
                            Some((r.numerator, href(Some(Side::Numerator)))),
                            Some((r.denominator, href(Some(Side::Denominator)))),
                        ),
                        _ => (None, None),
                    };
                    Tile {
                        name: ind.name,
                        kind: kind_text(ind),
                        text: figure.text(),
                        unit_word: ind.unit_word,
                        href: href(None),
                        numerator,
                        denominator,
                    }
                })
                .collect(),
        })
        .filter(|s| !s.tiles.is_empty())
        .collect())
}

/// `GET /indicators/{key}`: the list behind a figure; `list=numerator|denominator` for a ratio,
/// `export=xlsx` for the whole list as a workbook.
pub async fn show_indicator(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(key): Path<String>,
    Query(p): Query<IndicatorListParams>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let ind = super::find(&key).ok_or(AppError::NotFound)?;
    let (args, d) = p.dates.resolve(dates::today())?;
    let unit = unit_of(&state, &user, args.org.as_deref()).await?;
    let pool = &state.db().pool;
    let scope = unit.scope();
    let side = Side::parse(p.list.as_deref());
    let pop = drill::population(ind, side);
    let row_ctx = RowCtx {
        as_of: d.as_of,
        scope: user.scope.clone(),
    };
    let list_name = if ind.is_ratio() {
        format!("{}（{}）", ind.name, side.label())
    } else {
        ind.name.to_string()
    };
    if p.export.as_deref() == Some("xlsx") {
        let table = drill::table(pool, pop, &scope, &d, &row_ctx, 0, i64::from(i32::MAX)).await?;
        let sheet = if ind.is_ratio() {
            format!("{}名单", side.label())
        } else {
            "名单".to_string()
        };
        return Ok(xlsx_download(
            table.to_xlsx(&sheet)?,
            &format!("{}-{}.xlsx", list_name, unit.name),
        ));
    }
    let figure = super::figure(pool, ind, &scope, &d).await?;
    let total = super::count(pool, pop, &scope, &d).await?;
    let pagination = Pagination::new(p.page, total);
    let table = drill::table(
        pool,
        pop,
        &scope,
        &d,
        &row_ctx,
        pagination.offset(),
        pagination.limit(),
    )
    .await?;
    let mut filters =
        date_filters(&state, &user, &unit, &d, ind.timing() == Timing::Period).await?;
    if ind.is_ratio() {
        filters.push(
            Filter::select(
                "list",
                "名单",
                Some(side.code()),
                [Side::Numerator, Side::Denominator]
                    .iter()
                    .map(|s| (s.code().to_string(), s.label().to_string()))
                    .collect(),
            )
            .required(),
        );
    }
    let sides: Vec<(String, i64, String, bool)> = match figure {
        Figure::Ratio(r) => [
            (Side::Numerator, r.numerator),
            (Side::Denominator, r.denominator),
        ]
        .into_iter()
        .map(|(s, n)| {
            let caption = drill::population(ind, s).caption;
            let href = format!(
                "/indicators/{}?{}",
                ind.key,
                dates_query(&unit, &d, Some(s))
            );
            (format!("{}：{caption}", s.label()), n, href, s == side)
        })
        .collect(),
        _ => Vec::new(),
    };
    let view = ListView {
        title: list_name,
        breadcrumb: vec![
            Crumb {
                label: "指标总览".into(),
                href: Some(format!("/indicators?{}", dates_query(&unit, &d, None))),
            },
            Crumb {
                label: ind.name.into(),
                href: None,
            },
        ],
        query: query_of(&filters),
        filters,
        table,
        pagination,
        new_href: None,
        export: true,
    };
    Ok(render(
        &state,
        &ctx,
        "pages/indicators_detail.html",
        context! {
            view => view, unit => unit, name => ind.name, key => ind.key,
            kind => kind_text(ind), definition => ind.definition,
            figure => figure.text(), unit_word => ind.unit_word, sides => sides,
            caption => pop.caption, noun => pop.unit.noun,
            as_of => d.as_of.to_string(), from => d.from.to_string(), to => d.to.to_string(),
            with_period => ind.timing() == Timing::Period,
        },
    )?
    .into_response())
}

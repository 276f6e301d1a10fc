//! The dashboard: its figures are the engine's, the change against the previous period is right
//! for a 时期 and a 时点 key, a trend point links to exactly the records it counts, rankings go
//! by value then code, a township user sees only their township, and the export holds the
//! figures.
//!
//! The fixture (imported, so audited) puts work teams and visits on both sides of F = 2026-04-01
//! (T = 2026-06-30; the previous period is 2025-12-31 – 2026-03-31, D = 2026-03-31):
//!
//! | team | village (township) | founded | revoked | at 03-31 | at 04-30 | at 06-30 |
//! |---|---|---|---|---|---|---|
//! | A | 990101001001 (001) | 2025-01-01 | | ✓ | ✓ | ✓ |
//! | B | 990101001002 (001) | 2026-05-01 | | | | ✓ |
//! | C | 990101002001 (002) | 2025-06-01 | 2026-04-15 | ✓ | | |
//! | E | 990101003001 (003) | 2025-06-01 | 2026-05-01 | ✓ | ✓ | |
//! | G | 990101004001 (004) | 2025-01-01 | | ✓ | ✓ | ✓ |
//! | H | 990101005001 (005) | 2025-01-01 | | ✓ | ✓ | ✓ |
//!
//! Visits of H1 (in 990101001001): 02-10 and 03-15 (previous period), 05-05, 06-01, 06-02.

use axum::http::StatusCode;
use chrono::NaiveDate;
use xingcun::indicators::{Dates, Figure, INDICATORS};
use xingcun::scope::Scope;
use xingcun::workbook::ImportOutcome;
use xingcun_xlsx::{Cell, WorkbookReader};

use crate::harness::TestApp;
use crate::workbook::{book, id, opts, rows, run, village_branch};

const DISTRICT: &str = "990101000000";
const QUERY: &str = "from=2026-04-01&to=2026-06-30";

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn fixture() -> Vec<u8> {
    let member = id("19650404", 17);
    let [orgs, party_members] = village_branch(&[&member]);
    book(&[
        (
            "户",
            rows(&[&["户编号", "所属区划编码"], &["H1", "990101001001"]]),
        ),
        (
            "人员",
            rows(&[
                &["身份证号", "姓名", "政治面貌"],
                &[&member, "赵党", "中共党员"],
            ]),
        ),
        orgs,
        party_members,
        (
            "工作队",
            rows(&[
                &["工作队编号", "名称", "联系村编码", "成立日期", "撤销日期"],
                &["A", "甲队", "990101001001", "2025-01-01", ""],
                &["B", "乙队", "990101001002", "2026-05-01", ""],
                &["C", "丙队", "990101002001", "2025-06-01", "2026-04-15"],
                &["E", "戊队", "990101003001", "2025-06-01", "2026-05-01"],
                &["G", "庚队", "990101004001", "2025-01-01", ""],
                &["H", "辛队", "990101005001", "2025-01-01", ""],
            ]),
        ),
        (
            "走访",
            rows(&[
                &["走访编号", "户编号", "走访人身份证号", "走访日期"],
                &["V1", "H1", &member, "2026-02-10"],
                &["V2", "H1", &member, "2026-03-15"],
                &["V3", "H1", &member, "2026-05-05"],
                &["V4", "H1", &member, "2026-06-01"],
                &["V5", "H1", &member, "2026-06-02"],
            ]),
        ),
    ])
}

async fn app() -> TestApp {
    let app = TestApp::new().await;
    match run(&app, fixture(), &opts()).await {
        ImportOutcome::Done { written: true, .. } => {}
        other => panic!("fixture refused: {other:?}"),
    }
    app
}

/// The page's HTML with the escapes of attribute values undone.
fn plain(html: &str) -> String {
    html.replace("&#x2f;", "/").replace("&amp;", "&")
}

/// The row of the table of figures for `key`.
fn figure_row<'a>(html: &'a str, key: &str) -> &'a str {
    let start = html
        .find(&format!("<tr data-key=\"{key}\">"))
        .unwrap_or_else(|| panic!("no row for {key}"));
    let end = start + html[start..].find("</tr>").unwrap();
    &html[start..end]
}

/// The text of the link in the cell of class `class` of a row.
fn linked(row: &str, class: &str) -> (String, String) {
    let at = row.find(&format!("class=\"{class}\"")).unwrap();
    let rest = &row[at..];
    let href_at = rest.find("href=\"").unwrap() + 6;
    let href_end = href_at + rest[href_at..].find('"').unwrap();
    let text_end = href_end + rest[href_end..].find("</a>").unwrap();
    (
        rest[href_at..href_end].to_string(),
        rest[href_end + 2..text_end].to_string(),
    )
}

fn change_of(row: &str) -> String {
    let at = row.find("class=\"change change-").unwrap();
    let rest = &row[at..];
    let start = rest.find('>').unwrap() + 1;
    rest[start..rest.find("</td>").unwrap()].to_string()
}

/// How the page writes a figure: its text and, after a count or a mean, the unit word.
fn shown(f: &Figure, unit_word: &str) -> String {
    match f {
        Figure::Count(_) | Figure::Mean(Some(_)) if !unit_word.is_empty() => {
            format!("{} {unit_word}", f.text())
        }
        _ => f.text(),
    }
}

/// The marks of a chart: (href, title text) of each `<a class="mark">`.
fn marks(html: &str, chart_id: &str) -> Vec<(String, String)> {
    let start = html
        .find(&format!("aria-labelledby=\"{chart_id}-t"))
        .unwrap_or_else(|| panic!("no chart {chart_id}"));
    let end = start + html[start..].find("</svg>").unwrap();
    let svg = &html[start..end];
    svg.split("<a href=\"")
        .skip(1)
        .map(|part| {
            let href = part[..part.find('"').unwrap()].to_string();
            let t = part.find("<title>").unwrap() + 7;
            let title = part[t..t + part[t..].find("</title>").unwrap()].to_string();
            (href, title)
        })
        .collect()
}

async fn drill_total(c: &mut crate::harness::Client, href: &str) -> i64 {
    let page = c.get(href).await;
    assert_eq!(page.status, StatusCode::OK, "{href}");
    let at = page.text.find("共 ").expect("a total");
    let rest = &page.text[at + "共 ".len()..];
    rest[..rest.find(' ').unwrap()].parse().unwrap()
}

#[tokio::test]
async fn the_dashboard_shows_the_engines_figure_for_every_key() {
    let app = app().await;
    let mut admin = app.signed_in("admin").await;
    let page = admin.get(&format!("/dashboard?{QUERY}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let html = plain(&page.text);
    let dates = Dates {
        as_of: d("2026-06-30"),
        from: d("2026-04-01"),
        to: d("2026-06-30"),
    };
    let prev = Dates {
        as_of: d("2026-03-31"),
        from: d("2025-12-31"),
        to: d("2026-03-31"),
    };
    let pool = &app.db().pool;
    let scope = Scope::with_prefix("990101");
    for ind in INDICATORS {
        let row = figure_row(&html, ind.key);
        let now = xingcun::indicators::figure(pool, ind, &scope, &dates)
            .await
            .unwrap();
        let before = xingcun::indicators::figure(pool, ind, &scope, &prev)
            .await
            .unwrap();
        let (href, text) = linked(row, "dash-value");
        assert_eq!(text, shown(&now, ind.unit_word), "{}", ind.key);
        assert!(
            href.starts_with(&format!("/indicators/{}?org={DISTRICT}&", ind.key))
                && href.contains("as_of=2026-06-30&from=2026-04-01&to=2026-06-30"),
            "{href}"
        );
        let (_, text) = linked(row, "dash-previous");
        assert_eq!(text, shown(&before, ind.unit_word), "{}", ind.key);
        // Each indicator has its trend chart and its ranking of the five townships.
        let id = ind.key.replace('.', "-");
        assert_eq!(marks(&html, &format!("trend-{id}")).len(), 3, "{}", ind.key);
        assert_eq!(marks(&html, &format!("rank-{id}")).len(), 5, "{}", ind.key);
    }
    assert!(html.contains("<title id=\"trend-outreach-visits-t\">"));
    assert!(html.contains("<desc id=\"trend-outreach-visits-d\">"));
}

#[tokio::test]
async fn the_change_against_the_previous_period_for_a_period_and_an_as_of_key() {
    let app = app().await;
    let mut admin = app.signed_in("admin").await;
    let html = plain(&admin.get(&format!("/dashboard?{QUERY}")).await.text);
    // 走访户次: 3 in 04-01..06-30, 2 in 2025-12-31..03-31.
    let visits = figure_row(&html, "outreach.visits");
    assert_eq!(linked(visits, "dash-value").1, "3 户次");
    let (href, text) = linked(visits, "dash-previous");
    assert_eq!(text, "2 户次");
    assert!(href.contains("from=2025-12-31&to=2026-03-31"), "{href}");
    assert_eq!(change_of(visits), "▲1");
    // 工作队数: A, B, G, H at T; A, C, E, G, H at F − 1 day.
    let teams = figure_row(&html, "outreach.work_teams");
    assert_eq!(linked(teams, "dash-value").1, "4 个");
    let (href, text) = linked(teams, "dash-previous");
    assert_eq!(text, "5 个");
    assert!(href.contains("as_of=2026-03-31"), "{href}");
    assert_eq!(drill_total(&mut admin, &href).await, 5);
    assert_eq!(change_of(teams), "▼1");
    // The same period as a single month: the previous one is the month before.
    let html = plain(
        &admin
            .get("/dashboard?from=2026-06-01&to=2026-06-30")
            .await
            .text,
    );
    let visits = figure_row(&html, "outreach.visits");
    assert_eq!(linked(visits, "dash-value").1, "2 户次");
    assert_eq!(linked(visits, "dash-previous").1, "1 户次");
    assert_eq!(change_of(visits), "▲1");
}

#[tokio::test]
async fn a_trend_point_links_to_its_months_records_and_their_number_is_its_value() {
    let app = app().await;
    let mut admin = app.signed_in("admin").await;
    let html = plain(&admin.get(&format!("/dashboard?{QUERY}")).await.text);
    let visits = marks(&html, "trend-outreach-visits");
    let months: Vec<&str> = visits.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(months, ["2026-04：0", "2026-05：1", "2026-06：2"]);
    let (may, _) = &visits[1];
    assert!(
        may.contains("from=2026-05-01&to=2026-05-31"),
        "a month's link carries its dates: {may}"
    );
    for (href, title) in &visits {
        let value: i64 = title.rsplit('：').next().unwrap().parse().unwrap();
        assert_eq!(drill_total(&mut admin, href).await, value, "{href}");
    }
    // A 时点 key: the value at each month's end (04-30: A, E, G, H).
    let teams = marks(&html, "trend-outreach-work_teams");
    let (april, title) = &teams[0];
    assert_eq!(title, "2026-04：4");
    assert!(april.contains("as_of=2026-04-30"), "{april}");
    assert_eq!(drill_total(&mut admin, april).await, 4);
}

#[tokio::test]
async fn rankings_go_by_value_descending_then_by_code() {
    let app = app().await;
    let mut admin = app.signed_in("admin").await;
    let html = plain(&admin.get(&format!("/dashboard?{QUERY}")).await.text);
    let ranking = marks(&html, "rank-outreach-work_teams");
    let titles: Vec<String> = ranking.iter().map(|(_, t)| t.clone()).collect();
    // 001: A, B; 004: G; 005: H; 002 and 003: none left at T.
    let codes: Vec<String> = ranking
        .iter()
        .map(|(h, _)| h.split("org=").nth(1).unwrap()[..12].to_string())
        .collect();
    assert_eq!(
        codes,
        [
            "990101001000",
            "990101004000",
            "990101005000",
            "990101002000",
            "990101003000"
        ],
        "{titles:?}"
    );
    let values: Vec<&str> = titles
        .iter()
        .map(|t| t.rsplit('：').next().unwrap())
        .collect();
    assert_eq!(values, ["2", "1", "1", "0", "0"]);
    // The table holds the same order.
    let card = html.find("id=\"trend-outreach-work_teams-card\"").unwrap();
    let table_at = card + html[card..].find("class=\"data dash-ranking\"").unwrap();
    let table = &html[table_at..table_at + html[table_at..].find("</table>").unwrap()];
    let in_table: Vec<&str> = table
        .split("data-code=\"")
        .skip(1)
        .map(|p| &p[..12])
        .collect();
    assert_eq!(in_table.len(), 5);
    assert_eq!(
        in_table,
        codes.iter().map(String::as_str).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn a_township_user_sees_their_township_and_not_another() {
    let app = app().await;
    let mut township = app.signed_in("xiangzhen").await;
    let own = township.get(&format!("/dashboard?{QUERY}")).await;
    assert_eq!(own.status, StatusCode::OK);
    let html = plain(&own.text);
    // Teams A and B are this township's; villages are ranked.
    assert_eq!(
        linked(figure_row(&html, "outreach.work_teams"), "dash-value").1,
        "2 个"
    );
    assert!(html.contains("data-code=\"990101001001\""));
    let village = township
        .get(&format!("/dashboard?org=990101001001&{QUERY}"))
        .await;
    assert_eq!(village.status, StatusCode::OK);
    for other in ["990101002000", DISTRICT] {
        let res = township
            .get(&format!("/dashboard?org={other}&{QUERY}"))
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{other}");
        let res = township
            .get(&format!("/dashboard?org={other}&{QUERY}&export=xlsx"))
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{other} export");
    }
}

#[tokio::test]
async fn the_export_holds_the_figures_and_the_ranking() {
    let app = app().await;
    let mut admin = app.signed_in("admin").await;
    let html = plain(&admin.get(&format!("/dashboard?{QUERY}")).await.text);
    assert!(
        html.contains(&format!(
            "href=\"/dashboard?org={DISTRICT}&{QUERY}&export=xlsx\""
        )),
        "an export button"
    );
    let res = admin
        .get(&format!("/dashboard?org={DISTRICT}&{QUERY}&export=xlsx"))
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let mut reader = WorkbookReader::open_bytes(res.bytes.to_vec()).expect("an .xlsx workbook");
    let text = |c: &Cell| match c {
        Cell::Text(s) => s.clone(),
        Cell::Number(n) => n.to_string(),
        other => format!("{other:?}"),
    };
    let sheet = |reader: &mut WorkbookReader, name: &str| -> Vec<Vec<String>> {
        reader
            .rows(name)
            .unwrap()
            .map(|r| r.unwrap().1.iter().map(text).collect())
            .collect()
    };
    let figures = sheet(&mut reader, "指标");
    assert_eq!(
        figures.len(),
        INDICATORS.len() + 1,
        "a header and a row per key"
    );
    let visits = figures
        .iter()
        .find(|r| r.get(1).map(String::as_str) == Some("outreach.visits"))
        .expect("a row for outreach.visits");
    assert_eq!(
        (&visits[4][..], &visits[6][..], &visits[8][..]),
        ("3", "2", "▲1")
    );
    let ranks = sheet(&mut reader, "排名");
    let teams: Vec<(&str, &str)> = ranks
        .iter()
        .filter(|r| r[0] == "outreach.work_teams")
        .map(|r| (r[3].as_str(), r[5].as_str()))
        .collect();
    assert_eq!(
        teams,
        [
            ("990101001000", "2"),
            ("990101004000", "1"),
            ("990101005000", "1"),
            ("990101002000", "0"),
            ("990101003000", "0")
        ]
    );
}

#[tokio::test]
async fn a_write_after_a_view_shows_in_the_next_view() {
    let app = app().await;
    let mut admin = app.signed_in("admin").await;
    let before = plain(&admin.get(&format!("/dashboard?{QUERY}")).await.text);
    assert_eq!(
        linked(figure_row(&before, "outreach.visits"), "dash-value").1,
        "3 户次"
    );
    // One more visit, written through the (audited) import.
    let member = id("19650404", 17);
    let more = book(&[(
        "走访",
        rows(&[
            &["走访编号", "户编号", "走访人身份证号", "走访日期"],
            &["V6", "H1", &member, "2026-06-20"],
        ]),
    )]);
    match run(&app, more, &opts()).await {
        ImportOutcome::Done { written: true, .. } => {}
        other => panic!("refused: {other:?}"),
    }
    let after = plain(&admin.get(&format!("/dashboard?{QUERY}")).await.text);
    assert_eq!(
        linked(figure_row(&after, "outreach.visits"), "dash-value").1,
        "4 户次"
    );
    assert_eq!(change_of(figure_row(&after, "outreach.visits")), "▲2");
}

#[tokio::test]
async fn after_a_write_only_the_figures_reading_that_kind_of_record_are_computed_again() {
    let app = app().await;
    let pool = &app.db().pool;
    let district = xingcun::org::get(pool, &Scope::everything(), DISTRICT)
        .await
        .unwrap();
    let dates = Dates {
        as_of: d("2026-06-30"),
        from: d("2026-04-01"),
        to: d("2026-06-30"),
    };
    let db = "after-a-write";
    let first = xingcun::dashboard::compute_cached(db, pool, &district, &dates)
        .await
        .unwrap();
    assert_eq!(first.computed, INDICATORS.len());
    let again = xingcun::dashboard::compute_cached(db, pool, &district, &dates)
        .await
        .unwrap();
    assert_eq!(
        again.computed, 0,
        "nothing written: every row from the cache"
    );

    // One more visit: the figures that read visits are computed again, the others are not.
    let member = id("19650404", 17);
    let more = book(&[(
        "走访",
        rows(&[
            &["走访编号", "户编号", "走访人身份证号", "走访日期"],
            &["V6", "H1", &member, "2026-06-20"],
        ]),
    )]);
    match run(&app, more, &opts()).await {
        ImportOutcome::Done { written: true, .. } => {}
        other => panic!("refused: {other:?}"),
    }
    let after = xingcun::dashboard::compute_cached(db, pool, &district, &dates)
        .await
        .unwrap();
    let reading_visits = INDICATORS
        .iter()
        .filter(|i| xingcun::dashboard::reads(i).iter().any(|t| t == "visit"))
        .count();
    assert!(reading_visits >= 1);
    assert_eq!(after.computed, reading_visits);
    assert!(after.computed < INDICATORS.len());
    // And every figure, cached or not, is the one computed from nothing.
    let fresh = xingcun::dashboard::compute(pool, &district, &dates)
        .await
        .unwrap();
    for (a, b) in after.rows.iter().zip(&fresh.rows) {
        assert_eq!(a.ind.key, b.ind.key);
        assert_eq!(
            (a.current.text(), a.previous.text()),
            (b.current.text(), b.previous.text()),
            "{}",
            a.ind.key
        );
        let texts = |r: &xingcun::dashboard::Row| -> Vec<String> {
            r.trend
                .iter()
                .map(Figure::text)
                .chain(r.ranking.iter().map(|(i, f)| format!("{i}:{}", f.text())))
                .collect()
        };
        assert_eq!(texts(a), texts(b), "{}", a.ind.key);
    }
    let visits = after
        .rows
        .iter()
        .find(|r| r.ind.key == "outreach.visits")
        .unwrap();
    assert_eq!(visits.current, Figure::Count(4));
}

#[tokio::test]
async fn the_warm_up_computes_the_district_and_township_dashboards_before_anyone_asks() {
    let app = app().await;
    let n = xingcun::dashboard::pages::warm_up(&app.state)
        .await
        .unwrap();
    assert_eq!(n, 6, "the district and its 5 townships");
    // The district's default dashboard now comes from the cache: no indicator is computed.
    let pool = &app.db().pool;
    let district = xingcun::org::get(pool, &Scope::everything(), DISTRICT)
        .await
        .unwrap();
    let (_, d) = xingcun::indicators::dates::DateParams {
        org: None,
        as_of: None,
        from: None,
        to: None,
    }
    .resolve(xingcun::dates::today())
    .unwrap();
    let data =
        xingcun::dashboard::compute_cached(&app.state.config().database_url, pool, &district, &d)
            .await
            .unwrap();
    assert_eq!(data.computed, 0);
}

//! Work reports: the default template for a unit and period in the three formats, every figure
//! the indicator engine's and linked to its drill-down; templates saved in versions, audited,
//! refused with their line when they do not render; permissions and scope; the CLI.

use std::io::{Cursor, Read};

use axum::http::StatusCode;
use chrono::NaiveDate;
use sqlx::Row;
use xingcun::indicators::{DateArgs, Dates, Figure};
use xingcun::reports::command::ReportArgs;
use xingcun::reports::{DEFAULT_TEMPLATE, Format, build_document, gather};
use xingcun::scope::Scope;

use crate::harness::TestApp;
use crate::registry_fixture;

const TOWNSHIP: &str = "990101001000";
const OTHER_TOWNSHIP: &str = "990101002000";
const QUERY: &str = "from=2026-01-01&to=2026-06-30";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn dates() -> Dates {
    Dates {
        as_of: d("2026-06-30"),
        from: d("2026-01-01"),
        to: d("2026-06-30"),
    }
}

async fn app() -> TestApp {
    let app = TestApp::new().await;
    registry_fixture::load(&app).await;
    app
}

/// The engine's figure of `key` for `org`, as the report must show it.
async fn engine_text(app: &TestApp, key: &str, org: &str) -> String {
    let pool = &app.db().pool;
    let unit = xingcun::org::get(pool, &Scope::everything(), org)
        .await
        .unwrap();
    let ind = xingcun::indicators::find(key).unwrap();
    xingcun::indicators::figure(pool, ind, &unit.scope(), &dates())
        .await
        .unwrap()
        .text()
}

fn drill(key: &str, org: &str) -> String {
    format!(
        "/indicators/{key}?org={org}&amp;as_of=2026-06-30&amp;from=2026-01-01&amp;to=2026-06-30"
    )
}

fn audit_rows(entity: &str) -> String {
    format!("SELECT COUNT(*) FROM audit_log WHERE entity = '{entity}'")
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&app.db().pool)
        .await
        .unwrap()
        .try_get(0)
        .unwrap()
}

#[tokio::test]
async fn the_default_report_shows_the_engines_figures_each_linked_to_its_records() {
    let app = app().await;
    let pool = &app.db().pool;
    let unit = xingcun::org::get(pool, &Scope::everything(), TOWNSHIP)
        .await
        .unwrap();
    let data = gather(pool, &unit, &dates(), true).await.unwrap();
    let doc = build_document(&data, DEFAULT_TEMPLATE).unwrap();
    assert_eq!(
        doc.title,
        format!("{}2026年党建引领乡村振兴工作报告", unit.name)
    );
    // Every figure of the document is some indicator's figure for the unit or a child, with the
    // drill-down address of that unit and period.
    let figures = doc.figures();
    assert!(figures.len() > 20, "{} figures", figures.len());
    for (text, href) in &figures {
        let (path, query) = href.split_once('?').unwrap();
        let key = path.strip_prefix("/indicators/").unwrap();
        let org = query
            .split('&')
            .find_map(|p| p.strip_prefix("org="))
            .unwrap();
        assert!(query.ends_with("as_of=2026-06-30&from=2026-01-01&to=2026-06-30"));
        assert_eq!(*text, engine_text(&app, key, org).await, "{href}");
    }
    // The villages of the township are the rows of its tables.
    let villages = xingcun::org::children(pool, &Scope::everything(), TOWNSHIP)
        .await
        .unwrap();
    assert_eq!(data.children.len(), villages.len());
    let coverage = xingcun::indicators::find("talent.college_cadre_coverage").unwrap();
    let f = xingcun::indicators::figure(pool, coverage, &unit.scope(), &dates())
        .await
        .unwrap();
    let Figure::Ratio(r) = f else {
        panic!("a ratio")
    };
    let text = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            xingcun_report::Block::Paragraph { spans } => Some(xingcun_report::model::plain(spans)),
            _ => None,
        })
        .find(|p| p.contains("一村一名大学生村干部"))
        .unwrap();
    assert!(
        text.contains(&format!(
            "覆盖率为{}（{}个行政村已有，共{}个行政村）",
            f.text(),
            r.numerator,
            r.denominator
        )),
        "{text}"
    );
}

#[tokio::test]
async fn a_report_downloads_in_the_three_formats_and_its_tables_in_excel_for_a_unit_in_scope() {
    let app = app().await;
    let mut c = app.signed_in("xiangzhen").await;
    let page = c.get("/reports").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("年度工作报告（内置）") && page.text.contains("/reports/new"));

    let coverage = engine_text(&app, "talent.college_cadre_coverage", TOWNSHIP).await;
    let html = c
        .get(&format!(
            "/reports/download?template=default&org={TOWNSHIP}&{QUERY}&format=html"
        ))
        .await;
    assert_eq!(html.status, StatusCode::OK);
    assert_eq!(html.headers["content-type"], "text/html; charset=utf-8");
    assert!(
        html.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains(".html")
    );
    assert!(
        html.text.contains(&format!(
            "<a class=\"figure\" href=\"{}\">{coverage}</a>",
            drill("talent.college_cadre_coverage", TOWNSHIP)
        )),
        "{}",
        html.text
    );
    assert!(
        html.text
            .contains(&drill("outreach.work_teams", "990101001001")),
        "a village row"
    );

    let docx = c
        .get(&format!(
            "/reports/download?org={TOWNSHIP}&{QUERY}&format=docx"
        ))
        .await;
    assert_eq!(docx.status, StatusCode::OK);
    assert_eq!(
        docx.headers["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    let mut zip = zip::ZipArchive::new(Cursor::new(docx.bytes.clone())).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains("覆盖率为"));
    assert!(
        xml.contains(&format!(">{coverage}</w:t>")),
        "the figure in the Word text"
    );

    let pdf = c
        .get(&format!(
            "/reports/download?org={TOWNSHIP}&{QUERY}&format=pdf"
        ))
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    assert!(pdf.bytes.starts_with(b"%PDF-"));
    assert!(String::from_utf8_lossy(&pdf.bytes).contains("/FontFile2"));

    // The tables of figures alone, as a workbook: one sheet per table, the same cells.
    let xlsx = c
        .get(&format!(
            "/reports/download?org={TOWNSHIP}&{QUERY}&format=xlsx"
        ))
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert_eq!(
        xlsx.headers["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let pool = &app.db().pool;
    let unit = xingcun::org::get(pool, &Scope::everything(), TOWNSHIP)
        .await
        .unwrap();
    let data = gather(pool, &unit, &dates(), true).await.unwrap();
    let doc = build_document(&data, DEFAULT_TEMPLATE).unwrap();
    let tables: Vec<&xingcun_report::Table> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            xingcun_report::Block::Table(t) => Some(t),
            _ => None,
        })
        .collect();
    assert!(!tables.is_empty());
    let mut book = xingcun_xlsx::WorkbookReader::open_bytes(xlsx.bytes.clone()).unwrap();
    let names = book.sheet_names();
    assert_eq!(names.len(), tables.len(), "{names:?}");
    for (name, table) in names.iter().zip(&tables) {
        let got: Vec<Vec<String>> = book
            .rows(name)
            .unwrap()
            .map(|r| {
                r.unwrap()
                    .1
                    .into_iter()
                    .map(|c| match c {
                        xingcun_xlsx::Cell::Text(s) => s,
                        xingcun_xlsx::Cell::Number(n) => format!("{n}"),
                        xingcun_xlsx::Cell::Empty => String::new(),
                        other => format!("{other:?}"),
                    })
                    .collect()
            })
            .collect();
        let mut want = vec![table.header.clone()];
        want.extend(table.rows.iter().map(|r| {
            r.iter()
                .map(|spans| xingcun_report::model::plain(spans).replace(',', ""))
                .collect::<Vec<_>>()
        }));
        let trim = |rows: Vec<Vec<String>>| -> Vec<Vec<String>> {
            rows.into_iter()
                .map(|mut r| {
                    while r.last().is_some_and(String::is_empty) {
                        r.pop();
                    }
                    r
                })
                .collect()
        };
        assert_eq!(trim(got), trim(want), "sheet {name}");
    }

    // Outside the user's scope: not found; a bad format: refused.
    let other = c
        .get(&format!(
            "/reports/download?org={OTHER_TOWNSHIP}&{QUERY}&format=html"
        ))
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let bad = c
        .get(&format!("/reports/download?{QUERY}&format=odt"))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let bad = c
        .get("/reports/download?from=2026-07-01&to=2026-06-30")
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn templates_are_kept_in_versions_and_every_save_is_audited() {
    let app = app().await;
    let mut c = app.signed_in("xiangzhen").await;
    let body1 = "# {{ org.name }}简报\n\n工作队{{ v(\"outreach.work_teams\") }}个。\n";
    let res = c
        .post_form(
            "/reports/new",
            &[
                ("name", "简报"),
                ("body", body1),
                ("action", "save"),
                ("org", TOWNSHIP),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    let loc = res.location();
    let id = loc.strip_prefix("/reports/").unwrap().to_string();
    assert_eq!(count(&app, &audit_rows("report_template")).await, 1);

    // A preview renders for the chosen unit and saves nothing.
    let body2 = "# 简报\n\n覆盖率{{ pct(\"talent.college_cadre_coverage\") }}，共{{ v(\"outreach.work_teams\") | cn }}个工作队。\n\n{{ table([\"outreach.work_teams\"]) }}\n";
    let res = c
        .post_form(
            &loc,
            &[
                ("name", "简报"),
                ("body", body2),
                ("action", "preview"),
                ("base", "1"),
                ("org", TOWNSHIP),
                ("from", "2026-01-01"),
                ("to", "2026-06-30"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    let coverage = engine_text(&app, "talent.college_cadre_coverage", TOWNSHIP).await;
    // Page templates escape '/' too.
    assert!(
        res.text.replace("&#x2f;", "/").contains(&format!(
            "<a class=\"report-figure\" href=\"{}\">{coverage}</a>",
            drill("talent.college_cadre_coverage", TOWNSHIP)
        )),
        "{}",
        res.text.split("report-doc").nth(1).unwrap_or(&res.text)
    );
    assert!(res.text.contains("<td>合计</td>"), "the table is previewed");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM report_template_version").await,
        1
    );

    let res = c
        .post_form(
            &loc,
            &[
                ("name", "简报（修订）"),
                ("body", body2),
                ("action", "save"),
                ("base", "1"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    assert_eq!(count(&app, &audit_rows("report_template")).await, 2);
    let latest = c.get(&loc).await;
    assert!(latest.text.contains("简报（修订）") && latest.text.contains("table("));
    let old = c.get(&format!("{loc}?version=1")).await;
    assert_eq!(old.status, StatusCode::OK);
    assert!(old.text.contains("正在查看历史版本 1"), "{}", old.text);
    assert!(
        old.text
            .contains("工作队{{ v(&quot;outreach.work_teams&quot;) }}个")
    );
    assert_eq!(
        c.get(&format!("{loc}?version=9")).await.status,
        StatusCode::NOT_FOUND
    );

    // Saving from a stale version is refused.
    let res = c
        .post_form(
            &loc,
            &[
                ("name", "x"),
                ("body", body1),
                ("action", "save"),
                ("base", "1"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text.contains("已被他人保存为第 2 版"));

    // The saved template downloads; the district's user sees it, another township's does not.
    let html = c
        .get(&format!(
            "/reports/download?template={id}&org={TOWNSHIP}&{QUERY}&format=html"
        ))
        .await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(html.text.contains("<h1>简报</h1>"));
    let mut admin = app.signed_in("admin").await;
    assert_eq!(admin.get(&loc).await.status, StatusCode::OK);
    assert!(admin.get("/reports").await.text.contains("简报（修订）"));
    let other = xingcun::reports::store::list(&app.db().pool, &Scope::with_prefix("990101002"))
        .await
        .unwrap();
    assert!(other.is_empty());
}

#[tokio::test]
async fn a_template_that_does_not_render_is_refused_with_its_line_and_nothing_is_saved() {
    let app = app().await;
    let mut c = app.signed_in("xiangzhen").await;
    let cases = [
        (
            "# 报告\n\n{{ v(\"outreach.no_such\") }}\n",
            "模板第 3 行",
            "未知的指标“outreach.no_such”",
        ),
        ("# 报告\n{% if %}\n", "模板第 2 行", "语法错误"),
        (
            "正文\n\n\n{{ to | no_filter }}",
            "模板第 4 行",
            "未知的过滤器",
        ),
        (
            "{{ pct(\"outreach.work_teams\") }}",
            "模板第 1 行",
            "不是比率",
        ),
        ("{{ nothing_here }}", "模板第 1 行", "未定义"),
        ("{{ table(9) }}", "模板第 1 行", "工作条线应为 1–5"),
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
            "模板",
            "步骤过多",
        ),
    ];
    for (body, line, why) in cases {
        let res = c
            .post_form(
                "/reports/new",
                &[("name", "坏模板"), ("body", body), ("action", "save")],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            res.text.contains(line) && res.text.contains(why),
            "{body}: {}",
            res.text
        );
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM report_template").await, 0);
    assert_eq!(count(&app, &audit_rows("report_template")).await, 0);
}

#[tokio::test]
async fn reading_downloads_and_only_writers_edit() {
    let app = app().await;
    let mut viewer = app.signed_in("chakan").await;
    let page = viewer.get("/reports").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.text.contains("href=\"/reports/new\""));
    let html = viewer
        .get(&format!("/reports/download?{QUERY}&format=html"))
        .await;
    assert_eq!(html.status, StatusCode::OK);
    assert_eq!(
        viewer.get("/reports/new").await.status,
        StatusCode::FORBIDDEN
    );
    let res = viewer
        .post_form(
            "/reports/new",
            &[("name", "x"), ("body", "x"), ("action", "save")],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(
        viewer.get("/reports/abc").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(viewer.get("/reports/1").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_command_line_writes_each_format_and_reads_a_template_file() {
    let app = app().await;
    let pool = &app.db().pool;
    let dir = tempfile::tempdir().unwrap();
    let tpl = dir.path().join("t.md");
    std::fs::write(
        &tpl,
        "# {{ org.name }}\n\n截至{{ as_of | cn_date_upper }}，工作队{{ v(\"outreach.work_teams\") }}个。\n",
    )
    .unwrap();
    let args = |format, template: Option<std::path::PathBuf>| ReportArgs {
        dates: DateArgs {
            org: Some(TOWNSHIP.into()),
            as_of: None,
            from: Some(d("2026-01-01")),
            to: Some(d("2026-06-30")),
        },
        template,
        format,
        output: dir.path().join("out"),
        link_base: Some("https://xc.example.gov.cn".into()),
    };
    let today = d("2026-07-15");
    let teams = engine_text(&app, "outreach.work_teams", TOWNSHIP).await;
    let html =
        xingcun::reports::command::bytes(pool, &args(Format::Html, Some(tpl.clone())), today)
            .await
            .unwrap();
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("截至二〇二六年六月三十日"), "{html}");
    assert!(html.contains(&format!(
        "<a class=\"figure\" href=\"{}\">{teams}</a>",
        drill("outreach.work_teams", TOWNSHIP)
    )));
    let docx = xingcun::reports::command::bytes(pool, &args(Format::Docx, None), today)
        .await
        .unwrap();
    assert!(docx.starts_with(b"PK"));
    let pdf = xingcun::reports::command::bytes(pool, &args(Format::Pdf, None), today)
        .await
        .unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(String::from_utf8_lossy(&pdf).contains("(https://xc.example.gov.cn/indicators/"));

    std::fs::write(&tpl, "# x\n\n{{ v(\"nope.key\") }}\n").unwrap();
    let err = xingcun::reports::command::bytes(pool, &args(Format::Html, Some(tpl)), today)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("模板第 3 行"), "{err}");
    let mut bad = args(Format::Html, None);
    bad.dates.org = Some("990101999000".into());
    let err = xingcun::reports::command::bytes(pool, &bad, today)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("不存在"));
}

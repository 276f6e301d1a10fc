//! The outreach sheets (工作队 … 走访) import, refuse bad references at their place, and feed
//! the outreach.* indicators: each figure is checked against a count made by hand from the
//! fixture, and each drill-down list is as long as its figure. An assignment ending on D is not
//! counted at D; one starting on D is.

use xingcun::indicators::drill::{self, Side};
use xingcun::indicators::{Dates, Figure, RowCtx};
use xingcun::scope::Scope;
use xingcun::workbook::ImportOutcome;

use crate::harness::TestApp;
use crate::workbook::{book, id, opts, rows, run};

const TOWNSHIP: &str = "990101006000";
const EAST: &str = "990101006001";
const WEST: &str = "990101006002";
const EAST_GRID: &str = "990101006001001";

struct Ids {
    leader: String,
    staff: String,
    cadre: String,
    member: String,
    member2: String,
}

fn ids() -> Ids {
    Ids {
        leader: id("19700101", 11),
        staff: id("19800202", 13),
        cadre: id("19750303", 15),
        member: id("19650404", 17),
        member2: id("19660505", 19),
    }
}

/// The registry part plus the given outreach sheets.
fn fixture(outreach: Vec<(&'static str, Vec<Vec<String>>)>) -> Vec<u8> {
    let p = ids();
    let mut sheets: Vec<(&str, Vec<Vec<String>>)> = vec![
        (
            "区划",
            rows(&[
                &["编码", "名称", "类型", "上级编码"],
                &[TOWNSHIP, "石门乡", "乡镇", "990101000000"],
                &[EAST, "东村", "行政村", TOWNSHIP],
                &[WEST, "西村", "行政村", TOWNSHIP],
                &[EAST_GRID, "东村一网格", "网格", EAST],
            ]),
        ),
        (
            "户",
            rows(&[
                &["户编号", "所属区划编码"],
                &["H1", EAST_GRID],
                &["H2", EAST],
                &["H3", WEST],
            ]),
        ),
        (
            "人员",
            rows(&[
                &["身份证号", "姓名", "政治面貌"],
                &[&p.leader, "张乡", "群众"],
                &[&p.staff, "李干", "群众"],
                &[&p.cadre, "王村", "群众"],
                &[&p.member, "赵党", "中共党员"],
                &[&p.member2, "钱党", "中共党员"],
            ]),
        ),
        (
            "党组织",
            rows(&[
                &["组织编码", "名称", "类型", "所在区划编码"],
                &["D990101006001", "东村党支部", "党支部", EAST],
            ]),
        ),
        (
            "党员",
            rows(&[
                &["身份证号", "所在党组织编码", "党员类别"],
                &[&p.member, "D990101006001", "正式党员"],
                &[&p.member2, "D990101006001", "正式党员"],
            ]),
        ),
        (
            "干部",
            rows(&[
                &["身份证号", "干部类别", "职务", "任职单位编码", "任职日期"],
                &[&p.leader, "乡镇领导", "乡长", TOWNSHIP, "2021-01-01"],
                &[&p.staff, "乡镇干部", "科员", TOWNSHIP, "2021-01-01"],
                &[&p.cadre, "村干部", "党组织委员", EAST, "2021-01-01"],
            ]),
        ),
    ];
    sheets.extend(outreach);
    book(&sheets)
}

fn outreach_sheets() -> Vec<(&'static str, Vec<Vec<String>>)> {
    let p = ids();
    vec![
        (
            "工作队",
            rows(&[
                &["工作队编号", "名称", "联系村编码", "成立日期", "撤销日期"],
                &["T1", "东村工作队", EAST, "2025-01-01", ""],
                &["T2", "西村工作队", WEST, "2025-01-01", "2026-06-30"],
            ]),
        ),
        (
            "工作队成员",
            rows(&[
                &["工作队编号", "身份证号", "角色"],
                &["T1", &p.staff, "队长"],
                &["T1", &p.cadre, ""],
            ]),
        ),
        (
            "包村",
            rows(&[
                &["身份证号", "村编码", "开始日期", "结束日期"],
                &[&p.leader, EAST, "2025-01-01", "2026-06-30"],
                &[&p.leader, WEST, "2026-06-30", ""],
            ]),
        ),
        (
            "驻村",
            rows(&[
                &["身份证号", "村编码", "开始日期", "专职", "派出单位"],
                &[&p.staff, EAST, "2025-01-01", "", ""],
                &[&p.cadre, WEST, "2025-01-01", "否", "区农业农村局"],
            ]),
        ),
        (
            "入网",
            rows(&[
                &["身份证号", "网格编码", "开始日期"],
                &[&p.cadre, EAST_GRID, "2026-06-30"],
            ]),
        ),
        (
            "联户",
            rows(&[
                &["党员身份证号", "户编号", "开始日期", "结束日期"],
                &[&p.member, "H1", "2025-01-01", ""],
                &[&p.member2, "H2", "2025-01-01", "2026-06-30"],
                &[&p.member2, "H3", "2026-06-30", ""],
            ]),
        ),
        (
            "走访",
            rows(&[
                &["走访编号", "户编号", "走访人身份证号", "走访日期"],
                &["V1", "H1", &p.member, "2026-03-01"],
                &["V2", "H1", &p.member2, "2026-03-01"],
                &["V3", "H2", &p.member, "2026-05-01"],
            ]),
        ),
    ]
}

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::Row::get(
        &sqlx::query(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
            .fetch_one(&app.db().pool)
            .await
            .unwrap(),
        0,
    )
}

async fn app_with_outreach() -> TestApp {
    let app = TestApp::new().await;
    match run(&app, fixture(outreach_sheets()), &opts()).await {
        ImportOutcome::Done { written: true, .. } => {}
        other => panic!("fixture refused: {other:?}"),
    }
    app
}

#[tokio::test]
async fn every_outreach_sheet_imports_and_a_second_import_changes_nothing() {
    let app = app_with_outreach().await;
    for (table, n) in [
        ("work_team", 2),
        ("work_team_member", 2),
        ("village_contact", 2),
        ("stationing", 2),
        ("grid_duty", 1),
        ("household_link", 3),
        ("visit", 3),
    ] {
        assert_eq!(count(&app, table).await, n, "{table}");
    }
    let role: String = sqlx::Row::get(
        &sqlx::query("SELECT role FROM work_team_member ORDER BY id DESC LIMIT 1")
            .fetch_one(&app.db().pool)
            .await
            .unwrap(),
        0,
    );
    assert_eq!(role, "member", "角色 defaults to 队员");
    let audit = count(&app, "audit_log").await;
    match run(&app, fixture(outreach_sheets()), &opts()).await {
        ImportOutcome::Done { .. } => {}
        other => panic!("second import refused: {other:?}"),
    }
    assert_eq!(count(&app, "audit_log").await, audit);
}

#[tokio::test]
async fn a_bad_reference_or_a_missing_post_is_refused_at_its_row_and_column() {
    let app = TestApp::new().await;
    let p = ids();
    let bad = vec![
        (
            "包村",
            rows(&[
                &["身份证号", "村编码", "开始日期"],
                &[&p.leader, "990101006009", "2025-01-01"],
                &[&p.cadre, EAST, "2025-01-01"],
            ]),
        ),
        (
            "联户",
            rows(&[
                &["党员身份证号", "户编号", "开始日期"],
                &[&p.member, "H9", "2025-01-01"],
            ]),
        ),
    ];
    let problems = match run(&app, fixture(bad), &opts()).await {
        ImportOutcome::Refused(p) => p,
        other => panic!("expected refusal, got {other:?}"),
    };
    let places: Vec<(String, u32, Option<String>)> = problems
        .iter()
        .map(|p| (p.sheet.clone(), p.row, p.column.clone()))
        .collect();
    assert!(
        places.contains(&("包村".into(), 2, Some("村编码".into()))),
        "{problems:?}"
    );
    assert!(
        places.contains(&("包村".into(), 3, Some("身份证号".into()))),
        "{problems:?}"
    );
    assert!(
        places.contains(&("联户".into(), 2, Some("户编号".into()))),
        "{problems:?}"
    );
    assert_eq!(count(&app, "household").await, 0, "nothing written");
}

fn dates(at: &str) -> Dates {
    let at: chrono::NaiveDate = at.parse().unwrap();
    Dates {
        as_of: at,
        from: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        to: at,
    }
}

#[tokio::test]
async fn outreach_figures_match_hand_counts_and_their_lists() {
    let app = app_with_outreach().await;
    let pool = &app.db().pool;
    let unit = xingcun::org::get(pool, &Scope::everything(), "990101000000")
        .await
        .unwrap();
    // Villages in the district: the harness's 70 demo villages and 东村, 西村.
    let villages = 72;
    // (key, at D-1 = 2026-06-29, at D = 2026-06-30); a ratio as (numerator, denominator).
    type Want = (&'static str, (i64, i64), (i64, i64));
    let want: [Want; 8] = [
        // T2 is revoked on D.
        ("outreach.work_teams", (2, 0), (1, 0)),
        // 包村 of 东村 ends on D; that of 西村 starts on D.
        ("outreach.contact_leaders", (1, 0), (1, 0)),
        (
            "outreach.village_contact_coverage",
            (1, villages),
            (1, villages),
        ),
        // The cadre's stationing is not full-time.
        ("outreach.stationed_cadres", (1, 0), (1, 0)),
        // The grid duty starts on D.
        ("outreach.grid_cadres", (0, 0), (1, 0)),
        // 钱党 links H2 until D and H3 from D.
        ("outreach.linking_members", (2, 0), (2, 0)),
        ("outreach.household_link_coverage", (2, 3), (2, 3)),
        // (H1, 03-01) twice counts once.
        ("outreach.visits", (2, 0), (2, 0)),
    ];
    for (key, before, on) in want {
        let ind = xingcun::indicators::find(key).unwrap();
        for (at, (n, den)) in [("2026-06-29", before), ("2026-06-30", on)] {
            let figure = xingcun::indicators::figure(pool, ind, &unit.scope(), &dates(at))
                .await
                .unwrap();
            let (got_n, got_den) = match figure {
                Figure::Count(c) => (c, 0),
                Figure::Ratio(r) => (r.numerator, r.denominator),
                Figure::Mean(_) => panic!("{key}: a mean"),
            };
            assert_eq!((got_n, got_den), (n, den), "{key} at {at}");
            let ctx = RowCtx {
                as_of: dates(at).as_of,
                scope: Scope::everything(),
            };
            let len = |side| {
                let ctx = ctx.clone();
                async move {
                    drill::table(
                        pool,
                        drill::population(ind, side),
                        &Scope::with_prefix("990101"),
                        &dates(at),
                        &ctx,
                        0,
                        100_000,
                    )
                    .await
                    .unwrap()
                    .rows
                    .len() as i64
                }
            };
            assert_eq!(len(Side::Numerator).await, n, "{key} list at {at}");
            if den > 0 {
                assert_eq!(len(Side::Denominator).await, den, "{key} list at {at}");
            }
        }
    }
}

#[tokio::test]
async fn a_village_export_with_outreach_rows_imports_into_an_empty_database_and_exports_the_same() {
    use xingcun::scope::Scope;
    use xingcun::workbook::export::export;
    let app = app_with_outreach().await;
    let village = xingcun::org::get(&app.db().pool, &Scope::everything(), EAST)
        .await
        .unwrap();
    let first = export(
        &app.db().pool,
        app.state.crypto(),
        &village.scope(),
        Some(EAST),
    )
    .await
    .unwrap();
    let empty = TestApp::empty().await;
    match crate::workbook::run(&empty, first.clone(), &crate::workbook::opts()).await {
        xingcun::workbook::ImportOutcome::Done { written: true, .. } => {}
        other => panic!("the village's export is refused: {other:#?}"),
    }
    let again = xingcun::org::get(&empty.db().pool, &Scope::everything(), EAST)
        .await
        .unwrap();
    let second = export(
        &empty.db().pool,
        empty.state.crypto(),
        &again.scope(),
        Some(EAST),
    )
    .await
    .unwrap();
    let (a, b) = (
        crate::workbook::cells(&first),
        crate::workbook::cells(&second),
    );
    assert_eq!(a, b);
    assert!(
        a.iter().any(|(s, rows)| s == "包村" && rows.len() > 1),
        "the export holds 包村 rows"
    );
    assert!(
        a.iter().any(|(s, rows)| s == "驻村" && rows.len() > 1),
        "and 驻村 rows"
    );
}

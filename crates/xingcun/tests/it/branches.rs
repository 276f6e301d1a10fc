//! Branch work (实事, 整顿 and its problems, 示范点, 荣誉): the sheets refuse bad rows at their
//! place — above all an acceptance (验收销号) before every problem is solved —, and the
//! branches.* and honors.* figures equal counts made here from the fixture's own records (dates
//! on the edges of F, T and D), with drill-down lists as long as the figures.

use chrono::NaiveDate;
use xingcun::indicators::drill::{self, Side};
use xingcun::indicators::{Dates, Figure, RowCtx};
use xingcun::scope::Scope;
use xingcun::workbook::{ImportOptions, ImportOutcome, Problem};

use crate::harness::TestApp;
use crate::workbook::{book, id, opts, run};

const VILLAGE: &str = "990101001001";
const TOWNSHIP: &str = "990101001000";
const OTHER_VILLAGE: &str = "990101002001";
const VILLAGE2: &str = "990101001002";
const DISTRICT: &str = "990101000000";
const D: &str = "2026-06-30";
const NEXT: &str = "2026-07-01";

/// (party org code, type, parent, unit)
const ORGS: &[(&str, &str, &str, &str)] = &[
    ("P0", "党委", "", DISTRICT),
    ("P1", "党支部", "P0", VILLAGE),
    ("P2", "党支部", "P0", OTHER_VILLAGE),
    // A township's org: its problems count, its acceptance does not (not a village's org).
    ("P3", "党委", "P0", TOWNSHIP),
    // A village whose top org is a 党总支 with a branch under it: only the 党总支 is village-level.
    ("P5", "党总支", "P0", VILLAGE2),
    ("P6", "党支部", "P5", VILLAGE2),
];

/// (assessment, party org, date, result), in the order recorded.
const ASSESSMENTS: &[(&str, &str, &str, &str)] = &[
    ("PD1", "P1", "2025-05-01", "未达标"),
    // Passed on D: counts from D.
    ("PD2", "P1", D, "达标"),
    ("PD3", "P2", "2025-01-01", "示范"),
    // Failed the day after D: counts at D, not after.
    ("PD4", "P2", NEXT, "未达标"),
    // Not the village's top org: never counts.
    ("PD5", "P6", "2025-01-01", "达标"),
    // Two on one day: the last recorded decides.
    ("PD6", "P5", "2025-03-01", "达标"),
    ("PD7", "P5", "2025-03-01", "未达标"),
    // A township's org: not village-level.
    ("PD8", "P3", "2025-01-01", "达标"),
];

/// (case, party org, found, accepted)
const CASES: &[(&str, &str, &str, &str)] = &[
    ("ZD1", "P1", "2025-10-01", D),
    // The same org accepted twice in the period counts once.
    ("ZD2", "P1", "2025-11-01", "2026-03-01"),
    ("ZD3", "P2", "2025-12-01", NEXT),
    ("ZD4", "P3", "2025-12-01", "2026-02-01"),
    ("ZD5", "P1", "2026-01-05", ""),
    // Accepted the day before F.
    ("ZD6", "P2", "2025-05-01", "2025-12-31"),
];

/// (case, problem number, solved)
const PROBLEMS: &[(&str, &str, &str)] = &[
    ("ZD1", "1", "2026-01-01"),
    ("ZD1", "2", D),
    ("ZD2", "1", "2026-02-01"),
    ("ZD3", "1", NEXT),
    ("ZD4", "1", "2026-01-15"),
    ("ZD5", "1", ""),
    ("ZD5", "2", "2026-06-01"),
    ("ZD6", "1", "2025-12-31"),
];

/// (number, village, status, started, completed)
const PROJECTS: &[(&str, &str, &str, &str, &str)] = &[
    ("SS1", VILLAGE, "已完成", "2025-12-01", "2026-01-01"),
    ("SS2", VILLAGE, "已完成", "2026-02-01", D),
    ("SS3", VILLAGE, "已完成", "2026-02-01", NEXT),
    ("SS4", OTHER_VILLAGE, "已完成", "2026-01-01", "2026-03-03"),
    ("SS5", VILLAGE, "实施中", "2026-02-02", ""),
    ("SS6", VILLAGE, "已完成", "2025-06-01", "2025-12-31"),
    ("SS7", VILLAGE, "计划", "", ""),
];

/// (number, unit, named, ends)
const SITES: &[(&str, &str, &str, &str)] = &[
    ("SF1", VILLAGE, "2025-01-01", ""),
    ("SF2", VILLAGE, "2024-01-01", D),
    ("SF3", OTHER_VILLAGE, NEXT, ""),
    ("SF4", TOWNSHIP, "2020-01-01", NEXT),
];

/// (number, kind, person, unit, status, nominated, notice from, notice to, awarded)
type HonorRow = (
    &'static str,
    &'static str,
    u32,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);
const HONORS: &[HonorRow] = &[
    (
        "RY1",
        "好支书",
        1,
        VILLAGE,
        "已授予",
        "2025-12-01",
        "2025-12-20",
        "2025-12-27",
        "2026-01-01",
    ),
    // The same person again in the period counts once.
    (
        "RY2",
        "好支书",
        1,
        VILLAGE,
        "已授予",
        "2026-05-01",
        "2026-06-01",
        "2026-06-08",
        D,
    ),
    (
        "RY3",
        "好支书",
        2,
        OTHER_VILLAGE,
        "公示",
        "2026-05-01",
        "2026-06-20",
        "2026-06-27",
        "",
    ),
    (
        "RY4",
        "带富致富先锋",
        2,
        OTHER_VILLAGE,
        "已授予",
        "2026-05-01",
        "2026-06-01",
        "2026-06-08",
        NEXT,
    ),
    (
        "RY5",
        "带富致富先锋",
        3,
        VILLAGE,
        "已授予",
        "2026-04-01",
        "2026-05-01",
        "2026-05-08",
        "2026-06-01",
    ),
    (
        "RY6",
        "带富致富先锋",
        1,
        VILLAGE,
        "未通过",
        "2026-04-01",
        "",
        "",
        "",
    ),
    (
        "RY7",
        "好支书",
        3,
        TOWNSHIP,
        "已授予",
        "2025-10-01",
        "2025-11-01",
        "2025-11-08",
        "2025-12-31",
    ),
];

fn person(n: u32) -> String {
    id("19800101", n * 2 + 1)
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

fn org_unit(code: &str) -> &'static str {
    ORGS.iter().find(|o| o.0 == code).unwrap().3
}

fn party_sheets() -> Vec<(&'static str, Vec<Vec<String>>)> {
    let mut orgs = vec![s(&[
        "组织编码",
        "名称",
        "类型",
        "上级组织编码",
        "所在区划编码",
    ])];
    for (code, kind, parent, unit) in ORGS {
        orgs.push(s(&[code, &format!("{code}党组织"), kind, parent, unit]));
    }
    let mut people = vec![s(&["身份证号", "姓名"])];
    for n in 1..=3 {
        people.push(vec![person(n), format!("王{n}")]);
    }
    vec![("党组织", orgs), ("人员", people)]
}

fn fixture_book() -> Vec<u8> {
    let mut sheets = party_sheets();
    let mut cases = vec![s(&[
        "整顿编号",
        "组织编码",
        "认定日期",
        "软弱涣散原因",
        "验收销号日期",
    ])];
    for (no, org, found, acc) in CASES {
        cases.push(s(&[no, org, found, "班子不团结", acc]));
    }
    let mut probs = vec![s(&[
        "整顿编号",
        "问题序号",
        "问题",
        "整改措施",
        "责任人",
        "解决日期",
    ])];
    for (case, no, solved) in PROBLEMS {
        probs.push(s(&[case, no, "制度不落实", "建立制度", "李四", solved]));
    }
    let mut projects = vec![s(&[
        "实事编号",
        "村编码",
        "名称",
        "投资金额",
        "受益人数",
        "状态",
        "开工日期",
        "完成日期",
    ])];
    for (no, v, st, a, b) in PROJECTS {
        projects.push(s(&[no, v, "修建路灯", "12.5", "300", st, a, b]));
    }
    let mut sites = vec![s(&[
        "示范点编号",
        "名称",
        "所属区划编码",
        "命名日期",
        "撤销日期",
    ])];
    for (no, u, a, b) in SITES {
        sites.push(s(&[no, "示范点", u, a, b]));
    }
    let mut honors = vec![s(&[
        "荣誉编号",
        "荣誉类型",
        "身份证号",
        "所属区划编码",
        "状态",
        "提名日期",
        "公示开始日期",
        "公示结束日期",
        "授予日期",
    ])];
    for (no, k, p, u, st, n, a, b, w) in HONORS {
        honors.push(s(&[no, k, &person(*p), u, st, n, a, b, w]));
    }
    let mut assessments = vec![s(&["评定编号", "组织编码", "评定日期", "结果", "得分"])];
    for (no, org, on, result) in ASSESSMENTS {
        assessments.push(s(&[no, org, on, result, "92.5"]));
    }
    sheets.extend([
        ("达标评定", assessments),
        ("整顿", cases),
        ("整顿问题", probs),
        ("实事", projects),
        ("示范点", sites),
        ("荣誉", honors),
    ]);
    book(&sheets)
}

/// Import options whose today lies after every date of the fixture.
fn late() -> ImportOptions {
    let mut o = opts();
    o.today = date("2026-12-31");
    o
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn within(d: &str, from: &str, to: &str) -> bool {
    !d.is_empty() && from <= d && d <= to
}

/// The figures counted here from the constants above, for an org prefix, F and T (= D).
fn by_hand(prefix: &str, from: &str, at: &str) -> [(&'static str, i64); 7] {
    let village_org = |o: &str| ["P1", "P2"].contains(&o);
    let mut weak: Vec<&str> = CASES
        .iter()
        .filter(|(_, o, _, acc)| {
            org_unit(o).starts_with(prefix) && village_org(o) && within(acc, from, at)
        })
        .map(|c| c.1)
        .collect();
    weak.sort();
    weak.dedup();
    let solved = PROBLEMS
        .iter()
        .filter(|(case, _, on)| {
            let org = CASES.iter().find(|c| c.0 == *case).unwrap().1;
            org_unit(org).starts_with(prefix) && within(on, from, at)
        })
        .count();
    let projects = PROJECTS
        .iter()
        .filter(|p| p.1.starts_with(prefix) && p.2 == "已完成" && within(p.4, from, at))
        .count();
    let standardized = ["P1", "P2", "P5"]
        .iter()
        .filter(|o| org_unit(o).starts_with(prefix))
        .filter(|o| {
            // The last recorded of those dated latest on or before `at`.
            // (date, order recorded, result)
            let mut mine: Vec<(&str, usize, &str)> = ASSESSMENTS
                .iter()
                .enumerate()
                .filter(|(_, a)| a.1 == **o && a.2 <= at)
                .map(|(i, a)| (a.2, i, a.3))
                .collect();
            mine.sort();
            mine.last().is_some_and(|a| a.2 != "未达标")
        })
        .count();
    let sites = SITES
        .iter()
        .filter(|x| x.1.starts_with(prefix) && x.2 <= at && (x.3.is_empty() || x.3 > at))
        .count();
    let honored = |kind: &str| {
        let mut p: Vec<u32> = HONORS
            .iter()
            .filter(|h| h.1 == kind && h.3.starts_with(prefix) && h.4 == "已授予")
            .filter(|h| within(h.8, from, at))
            .map(|h| h.2)
            .collect();
        p.sort();
        p.dedup();
        p.len() as i64
    };
    [
        ("branches.weak_rectified", weak.len() as i64),
        ("branches.problems_solved", solved as i64),
        ("branches.practical_projects", projects as i64),
        ("branches.standardized", standardized as i64),
        ("branches.model_sites", sites as i64),
        ("honors.good_secretaries", honored("好支书")),
        ("honors.prosperity_pioneers", honored("带富致富先锋")),
    ]
}

async fn import_ok(app: &TestApp, bytes: Vec<u8>) {
    match run(app, bytes, &late()).await {
        ImportOutcome::Done { written: true, .. } => {}
        other => panic!("refused: {other:?}"),
    }
}

async fn refused(app: &TestApp, bytes: Vec<u8>) -> Vec<Problem> {
    match run(app, bytes, &late()).await {
        ImportOutcome::Refused(p) => p,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn branch_figures_equal_counts_made_by_hand_and_their_drill_downs() {
    let app = TestApp::new().await;
    import_ok(&app, fixture_book()).await;
    let pool = &app.db().pool;
    let mut seen_nonzero = 0;
    for (org, prefix) in [(TOWNSHIP, "990101001"), (DISTRICT, "990101")] {
        let unit = xingcun::org::get(pool, &Scope::everything(), org)
            .await
            .unwrap()
            .scope();
        for (from, at) in [("2026-01-01", D), ("2026-01-01", NEXT), ("2026-01-02", D)] {
            let dates = Dates {
                as_of: date(at),
                from: date(from),
                to: date(at),
            };
            let ctx = RowCtx {
                as_of: date(at),
                scope: Scope::everything(),
            };
            for (key, want) in by_hand(prefix, from, at) {
                let ind = xingcun::indicators::registry::find(key).unwrap();
                let got = xingcun::indicators::figure(pool, ind, &unit, &dates)
                    .await
                    .unwrap();
                assert_eq!(got, Figure::Count(want), "{key} for {org} {from}..{at}");
                seen_nonzero += usize::from(want > 0);
                let table = drill::table(
                    pool,
                    drill::population(ind, Side::Numerator),
                    &unit,
                    &dates,
                    &ctx,
                    0,
                    1000,
                )
                .await
                .unwrap();
                assert_eq!(
                    table.rows.len() as i64,
                    want,
                    "{key} list for {org} at {at}"
                );
            }
        }
    }
    assert!(seen_nonzero >= 20, "the fixture exercises the figures");
    // The edges, spelled out for the district from F to D: P1 (ZD1 on D, ZD2; not the township's
    // P3, not ZD3 after D); problems ZD1-1 (on F), ZD1-2 (on D), ZD2-1, ZD4-1, ZD5-2; SS1 (on F),
    // SS2 (on D), SS4; P1 (passed on D), P2 (failed only after D); SF1, SF4 (SF2 ends on D); 王1 (twice); 王3.
    assert_eq!(
        by_hand("990101", "2026-01-01", D).map(|(_, n)| n),
        [1, 5, 3, 2, 2, 1, 1]
    );
    // Importing the same workbook again changes nothing.
    match run(&app, fixture_book(), &late()).await {
        ImportOutcome::Done { counts, .. } => {
            let changed: usize = counts.iter().map(|c| c.1 + c.2).sum();
            assert_eq!(changed, 0, "{counts:?}");
        }
        other => panic!("{other:?}"),
    }
}

fn one_case(accepted: &str, problems: &[(&str, &str)]) -> Vec<u8> {
    let mut sheets = party_sheets();
    sheets.push((
        "整顿",
        vec![
            s(&[
                "整顿编号",
                "组织编码",
                "认定日期",
                "软弱涣散原因",
                "验收销号日期",
            ]),
            s(&["ZD9", "P1", "2026-01-01", "软弱涣散", accepted]),
        ],
    ));
    if !problems.is_empty() {
        let mut rows = vec![s(&["整顿编号", "问题序号", "问题", "解决日期"])];
        for (no, on) in problems {
            rows.push(s(&["ZD9", no, "问题", on]));
        }
        sheets.push(("整顿问题", rows));
    }
    book(&sheets)
}

fn has(problems: &[Problem], sheet: &str, row: u32, column: &str, words: &str) -> bool {
    problems.iter().any(|p| {
        p.sheet == sheet
            && p.row == row
            && p.column.as_deref() == Some(column)
            && p.message.contains(words)
    })
}

#[tokio::test]
async fn acceptance_waits_until_every_problem_is_solved() {
    let app = TestApp::new().await;
    // A problem still open.
    let p = refused(&app, one_case(D, &[("1", "2026-03-01"), ("2", "")])).await;
    assert!(has(&p, "整顿", 2, "验收销号日期", "问题 2"), "{p:?}");
    // A problem solved after the acceptance date.
    let p = refused(&app, one_case("2026-03-01", &[("1", "2026-03-02")])).await;
    assert!(has(&p, "整顿", 2, "验收销号日期", "未解决"), "{p:?}");
    // No problem at all.
    let p = refused(&app, one_case(D, &[])).await;
    assert!(has(&p, "整顿", 2, "验收销号日期", "没有登记问题"), "{p:?}");
    // Nothing was written by the refusals.
    let n: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) FROM rectification")
            .fetch_one(&app.db().pool)
            .await
            .unwrap(),
        0,
    );
    assert_eq!(n, 0);
    // Open, with one problem unsolved: stored.
    import_ok(&app, one_case("", &[("1", "")])).await;
    // Accepting the stored case while its stored problem is open: refused.
    let p = refused(&app, one_case(D, &[])).await;
    assert!(has(&p, "整顿", 2, "验收销号日期", "问题 1"), "{p:?}");
    // Solving it in a later workbook, alone, then accepting: both pass.
    let mut sheets = party_sheets();
    sheets.push((
        "整顿问题",
        vec![
            s(&["整顿编号", "问题序号", "问题", "解决日期"]),
            s(&["ZD9", "1", "问题", "2026-05-05"]),
        ],
    ));
    import_ok(&app, book(&sheets)).await;
    import_ok(&app, one_case(D, &[])).await;
    // Reopening a problem of an accepted case is refused on the problem's row.
    let mut sheets = party_sheets();
    sheets.push((
        "整顿问题",
        vec![
            s(&["整顿编号", "问题序号", "问题", "解决日期"]),
            s(&["ZD9", "1", "问题", ""]),
        ],
    ));
    let p = refused(&app, book(&sheets)).await;
    assert!(has(&p, "整顿问题", 2, "解决日期", "不能验收销号"), "{p:?}");
}

#[tokio::test]
async fn bad_branch_rows_are_refused_at_their_place() {
    let app = TestApp::new().await;
    let mut sheets = party_sheets();
    sheets.push((
        "整顿",
        vec![
            s(&["整顿编号", "组织编码", "认定日期", "软弱涣散原因"]),
            s(&["ZD1", "PX", "2026-01-01", "软弱涣散"]),
        ],
    ));
    sheets.push((
        "整顿问题",
        vec![
            s(&["整顿编号", "问题序号", "问题", "整改时限"]),
            s(&["ZDX", "1", "问题", ""]),
        ],
    ));
    sheets.push((
        "实事",
        vec![
            s(&[
                "实事编号",
                "村编码",
                "名称",
                "投资金额",
                "受益人数",
                "状态",
                "开工日期",
                "完成日期",
            ]),
            s(&[
                "S1",
                VILLAGE,
                "路灯",
                "1.234",
                "-3",
                "已完成",
                "2026-02-01",
                "",
            ]),
            s(&["S2", VILLAGE, "路灯", "", "", "计划", "", "2026-02-01"]),
            s(&["S3", TOWNSHIP, "路灯", "", "", "实施中", "", ""]),
        ],
    ));
    sheets.push((
        "荣誉",
        vec![
            s(&[
                "荣誉编号",
                "荣誉类型",
                "身份证号",
                "所属区划编码",
                "状态",
                "提名日期",
                "公示开始日期",
                "公示结束日期",
                "授予日期",
            ]),
            s(&[
                "R1",
                "好支书",
                &person(1),
                VILLAGE,
                "已授予",
                "2026-01-01",
                "",
                "",
                "2026-02-01",
            ]),
            s(&[
                "R2",
                "好支书",
                &person(1),
                VILLAGE,
                "已授予",
                "2026-01-01",
                "2026-01-10",
                "2026-01-17",
                "2026-01-16",
            ]),
            s(&[
                "R3",
                "带富致富先锋",
                &person(9),
                VILLAGE,
                "提名",
                "2026-01-01",
                "",
                "",
                "",
            ]),
        ],
    ));
    sheets.push((
        "达标评定",
        vec![
            s(&["评定编号", "组织编码", "评定日期", "结果", "得分"]),
            s(&["PD1", "PX", "2026-01-01", "达标", "100.5"]),
            s(&["PD2", "P1", "2027-01-01", "达标", "90"]),
        ],
    ));
    let p = refused(&app, book(&sheets)).await;
    for (sheet, row, col, words) in [
        ("达标评定", 2, "组织编码", "不存在"),
        ("达标评定", 2, "得分", "0至100"),
        ("达标评定", 3, "评定日期", "不能晚于今天"),
        ("整顿", 2, "组织编码", "不存在"),
        ("整顿问题", 2, "整顿编号", "不存在"),
        ("实事", 2, "投资金额", "两位小数"),
        ("实事", 2, "受益人数", "整数"),
        ("实事", 2, "完成日期", "须填写完成日期"),
        ("实事", 3, "完成日期", "应为空"),
        ("实事", 4, "村编码", "不是行政村"),
        ("实事", 4, "开工日期", "须填写开工日期"),
        ("荣誉", 2, "公示开始日期", "公示起止日期"),
        ("荣誉", 3, "授予日期", "不能早于公示结束日期"),
        ("荣誉", 4, "身份证号", "不存在"),
    ] {
        assert!(
            has(&p, sheet, row, col, words),
            "{sheet} {row} {col}: {p:?}"
        );
    }
}

#[tokio::test]
async fn states_only_move_forward() {
    let app = TestApp::new().await;
    import_ok(&app, fixture_book()).await;
    let head = s(&["实事编号", "村编码", "名称", "状态", "开工日期", "完成日期"]);
    // A completed project cannot go back to 实施中.
    let p = refused(
        &app,
        book(&[(
            "实事",
            vec![
                head.clone(),
                s(&["SS1", VILLAGE, "修建路灯", "实施中", "2025-12-01", ""]),
            ],
        )]),
    )
    .await;
    assert!(has(&p, "实事", 2, "状态", "不能改回"), "{p:?}");
    // A project in progress may be completed.
    import_ok(
        &app,
        book(&[(
            "实事",
            vec![
                head,
                s(&[
                    "SS5",
                    VILLAGE,
                    "修建路灯",
                    "已完成",
                    "2026-02-02",
                    "2026-06-15",
                ]),
            ],
        )]),
    )
    .await;
    // An honour refused (未通过) cannot be awarded later.
    let mut sheets = party_sheets();
    sheets.push((
        "荣誉",
        vec![
            s(&[
                "荣誉编号",
                "荣誉类型",
                "身份证号",
                "所属区划编码",
                "状态",
                "提名日期",
                "公示开始日期",
                "公示结束日期",
                "授予日期",
            ]),
            s(&[
                "RY6",
                "带富致富先锋",
                &person(1),
                VILLAGE,
                "已授予",
                "2026-04-01",
                "2026-05-01",
                "2026-05-08",
                "2026-05-09",
            ]),
        ],
    ));
    let p = refused(&app, book(&sheets)).await;
    assert!(has(&p, "荣誉", 2, "状态", "不能改为"), "{p:?}");
}

#[tokio::test]
async fn lists_filter_by_state_and_an_overdue_problem_raises_an_alert() {
    let app = TestApp::new().await;
    import_ok(&app, fixture_book()).await;
    let mut sheets = party_sheets();
    sheets.push((
        "整顿",
        vec![
            s(&["整顿编号", "组织编码", "认定日期", "软弱涣散原因"]),
            s(&["ZD8", "P1", "2026-01-01", "软弱涣散"]),
        ],
    ));
    sheets.push((
        "整顿问题",
        vec![
            s(&["整顿编号", "问题序号", "问题", "整改时限", "解决日期"]),
            // Due on D, still open: overdue from the day after.
            s(&["ZD8", "1", "村务不公开", D, ""]),
            // Due on D and solved: no alert.
            s(&["ZD8", "2", "制度不落实", D, "2026-06-01"]),
        ],
    ));
    import_ok(&app, book(&sheets)).await;
    let mut c = app.signed_in("admin").await;
    let page = c.get("/branches/projects?status=completed").await;
    assert_eq!(page.status, 200);
    for p in PROJECTS {
        assert_eq!(
            page.text.contains(&format!(">{}<", p.0)),
            p.2 == "已完成",
            "{}",
            p.0
        );
    }
    let page = c.get("/branches/rectifications?status=accepted&q=ZD").await;
    for (no, _, _, acc) in CASES {
        assert_eq!(
            page.text.contains(&format!(">{no}<")),
            !acc.is_empty(),
            "{no}"
        );
    }
    let page = c.get("/branches/assessments?status=failed").await;
    for (no, _, _, result) in ASSESSMENTS {
        assert_eq!(
            page.text.contains(&format!(">{no}<")),
            *result == "未达标",
            "{no}"
        );
    }
    let page = c.get("/branches/honors?status=awarded").await;
    assert!(page.text.contains(">RY1<") && !page.text.contains(">RY3<"));
    for path in ["/branches/problems", "/branches/sites"] {
        let res = c.get(&format!("{path}?export=xlsx")).await;
        assert_eq!(res.status, 200, "{path}");
        assert!(res.bytes.starts_with(b"PK"), "{path} exports a workbook");
    }
    let pool = &app.db().pool;
    let kind = "超期未整改的软弱涣散问题";
    let on = |d: &str| {
        let d = date(d);
        async move {
            xingcun::outreach::alerts::alerts(pool, &Scope::everything(), d)
                .await
                .unwrap()
                .into_iter()
                .filter(|a| a.kind == kind)
                .map(|a| a.text)
                .collect::<Vec<_>>()
        }
    };
    assert!(on(D).await.is_empty(), "not overdue on its deadline");
    let next = on(NEXT).await;
    assert_eq!(next.len(), 1, "{next:?}");
    assert!(next[0].contains("ZD8") && next[0].contains("问题 1"));
}

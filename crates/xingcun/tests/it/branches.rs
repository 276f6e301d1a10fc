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
    // The branch lists' export sheet is named by the list's title, not by the import sheet,
    // and the file by the title.
    let res = c.get("/branches/sites?export=xlsx").await;
    let names = xingcun_xlsx::WorkbookReader::open_bytes(res.bytes.clone())
        .unwrap()
        .sheet_names();
    assert_eq!(names, vec!["党建示范点".to_string()]);
    let disposition = res.headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.ends_with(&xingcun::web::urlencode("党建示范点.xlsx")),
        "{disposition}"
    );
    // Sites link to their photos; a number links to the record's page, never to its edit
    // form; 新增 opens the sheet's form; honours and assessments carry their extra button.
    let mut page = async |path: &str| {
        let res = c.get(path).await;
        assert_eq!(res.status, 200, "{path}");
        res.text.replace("&#x2f;", "/").replace("&amp;", "&")
    };
    let sites = page("/branches/sites").await;
    assert!(sites.contains("href=\"/attachments?kind=site&key=SF1\""));
    assert!(sites.contains("href=\"/registry/model-sites/new\""));
    assert!(!sites.contains("/registry/model-sites/edit"));
    let problems = page("/branches/problems").await;
    assert!(!problems.contains("/registry/rectification-problems/edit"));
    assert!(!problems.contains("/attachments?"));
    let projects = page("/branches/projects").await;
    assert!(projects.contains("href=\"/branches/projects/SS1\""));
    assert!(!projects.contains("/registry/practical-projects/edit"));
    assert!(!projects.contains("开始日期"));
    let honors = page("/branches/honors").await;
    assert!(honors.contains("href=\"/branches/roll\"") && honors.contains("光荣榜"));
    let assessments = page("/branches/assessments").await;
    assert!(assessments.contains("href=\"/branches/due\""));
    // The branch lists have no date filters: a date there is not read.
    assert_eq!(c.get("/branches/projects?from=bad").await.status, 200);
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

// ------------------------------------------------------------------ steps, standard, contests

fn days_ago(n: i64) -> String {
    (xingcun::dates::today() - chrono::Duration::days(n)).to_string()
}

async fn one(app: &TestApp, sql: &str, key: &str) -> Option<String> {
    use sqlx::Row;
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(key.to_string())
        .fetch_optional(&app.db().pool)
        .await
        .unwrap()
        .and_then(|r| r.try_get::<Option<String>, _>(0).unwrap())
}

fn extra_records() -> Vec<u8> {
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
            ]),
            s(&[
                "RY9",
                "带富致富先锋",
                &person(1),
                VILLAGE,
                "提名",
                &days_ago(60),
            ]),
            s(&[
                "RY10",
                "带富致富先锋",
                &person(3),
                VILLAGE,
                "审核通过",
                &days_ago(60),
            ]),
        ],
    ));
    sheets.push((
        "实事",
        vec![
            s(&["实事编号", "村编码", "名称", "状态"]),
            s(&["SS9", VILLAGE, "修缮村级活动场所", "计划"]),
        ],
    ));
    book(&sheets)
}

#[tokio::test]
async fn honours_go_through_notice_and_objections_before_the_award() {
    let app = TestApp::new().await;
    import_ok(&app, fixture_book()).await;
    import_ok(&app, extra_records()).await;
    let mut c = app.signed_in("admin").await;
    let status = |no: &'static str| {
        let app = &app;
        async move { one(app, "SELECT status FROM honor WHERE honor_no = $1", no).await }
    };
    let step = |fields: Vec<(&'static str, String)>| fields;
    let post =
        async |c: &mut crate::harness::Client, path: &str, f: Vec<(&'static str, String)>| {
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            c.post_form(path, &f).await
        };
    // 提名 → 审核通过 → 公示 (a period that has ended) → an objection blocks the award.
    let r = post(
        &mut c,
        "/branches/honors/RY9/step",
        step(vec![("action", "review".into())]),
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.text);
    let r = post(
        &mut c,
        "/branches/honors/RY9/step",
        vec![
            ("action", "publish".into()),
            ("from", days_ago(20)),
            ("to", days_ago(10)),
        ],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.text);
    assert_eq!(status("RY9").await.as_deref(), Some("notice"));
    let r = post(
        &mut c,
        "/branches/honors/RY9/objections",
        vec![
            ("lodged_on", days_ago(15)),
            ("lodged_by", "村民甲".into()),
            ("content", "带富成效有夸大".into()),
        ],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.text);
    let r = post(
        &mut c,
        "/branches/honors/RY9/step",
        vec![("action", "award".into()), ("on", days_ago(0))],
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(r.text.contains("异议尚未处理"), "{}", r.text);
    assert_eq!(status("RY9").await.as_deref(), Some("notice"));
    // Handled: now the award goes through.
    let r = post(
        &mut c,
        "/branches/honors/RY9/objections",
        vec![
            ("objection_no", "1".into()),
            ("result", "经核实，异议不成立".into()),
            ("handled_on", days_ago(5)),
        ],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.text);
    let r = post(
        &mut c,
        "/branches/honors/RY9/step",
        vec![("action", "award".into()), ("on", days_ago(0))],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.text);
    assert_eq!(status("RY9").await.as_deref(), Some("awarded"));
    let page = c.get("/branches/honors/RY9").await;
    assert!(page.text.contains("经核实，异议不成立") && page.text.contains("已授予"));
    let roll = c.get(&format!("/branches/roll?org={VILLAGE}")).await;
    assert!(
        roll.text.contains(">RY9<") && !roll.text.contains(">RY3<"),
        "{}",
        roll.text
    );
    // Before the notice ends: refused, nothing written.
    let r = post(
        &mut c,
        "/branches/honors/RY10/step",
        vec![
            ("action", "publish".into()),
            ("from", days_ago(1)),
            (
                "to",
                (xingcun::dates::today() + chrono::Duration::days(5)).to_string(),
            ),
        ],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.text);
    let r = post(
        &mut c,
        "/branches/honors/RY10/step",
        vec![("action", "award".into()), ("on", days_ago(0))],
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(r.text.contains("结束前不能授予"), "{}", r.text);
    // A step the table does not allow is refused.
    let r = post(
        &mut c,
        "/branches/honors/RY1/step",
        step(vec![("action", "reject".into())]),
    )
    .await;
    assert_eq!(r.status, 422);
    assert_eq!(status("RY1").await.as_deref(), Some("awarded"));
    // Through the workbook: awarding RY3 with an open objection of the same workbook is refused.
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
                "RY3",
                "好支书",
                &person(2),
                OTHER_VILLAGE,
                "已授予",
                "2026-05-01",
                "2026-06-20",
                "2026-06-27",
                "2026-07-01",
            ]),
        ],
    ));
    sheets.push((
        "荣誉异议",
        vec![
            s(&["荣誉编号", "异议序号", "提出日期", "提出人", "内容"]),
            s(&["RY3", "1", "2026-06-21", "村民乙", "不符合条件"]),
        ],
    ));
    let p = refused(&app, book(&sheets)).await;
    assert!(
        p.iter()
            .any(|p| p.sheet == "荣誉" && p.message.contains("异议尚未处理")),
        "{p:?}"
    );
    assert!(has(&p, "荣誉异议", 2, "处理日期", "异议尚未处理"), "{p:?}");
}

#[tokio::test]
async fn steps_are_scoped_and_acceptance_needs_every_problem_solved() {
    let app = TestApp::new().await;
    import_ok(&app, fixture_book()).await;
    import_ok(&app, extra_records()).await;
    let mut c = app.signed_in("admin").await;
    // ZD5 has an unsolved problem: 验收销号 is refused, nothing written.
    let r = c
        .post_form(
            "/branches/rectifications/ZD5/accept",
            &[("on", &days_ago(0))],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.text.contains("未解决"), "{}", r.text);
    let accepted = one(
        &app,
        "SELECT accepted_on FROM rectification WHERE case_no = $1",
        "ZD5",
    )
    .await;
    assert_eq!(accepted, None);
    // A project: 完成 before 开工 is refused; 开工 then 完成 go through.
    let r = c
        .post_form("/branches/projects/SS9/step", &[("action", "complete")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.text.contains("不能完成"), "{}", r.text);
    for (action, on) in [("start", days_ago(3)), ("complete", days_ago(0))] {
        let r = c
            .post_form(
                "/branches/projects/SS9/step",
                &[("action", action), ("on", &on)],
            )
            .await;
        assert_eq!(r.status, 303, "{action}: {}", r.text);
    }
    let st = one(
        &app,
        "SELECT status FROM practical_project WHERE project_no = $1",
        "SS9",
    )
    .await;
    assert_eq!(st.as_deref(), Some("completed"));
    // Every step is audited.
    let audited = one(
        &app,
        "SELECT CAST(COUNT(*) AS TEXT) FROM audit_log WHERE entity = 'practical_project' AND entity_key = $1",
        "SS9",
    )
    .await;
    assert_eq!(audited.as_deref(), Some("3"), "insert, start, complete");
    // The township's user: its records are there, another township's are 404, read or write.
    let mut t = app.signed_in("xiangzhen").await;
    assert_eq!(t.get("/branches/honors/RY1").await.status, 200);
    assert_eq!(t.get("/branches/rectifications/ZD1").await.status, 200);
    for path in [
        "/branches/honors/RY3",
        "/branches/rectifications/ZD3",
        "/branches/projects/SS4",
        "/branches/assessments/PD3",
    ] {
        assert_eq!(t.get(path).await.status, 404, "{path}");
    }
    for (path, action) in [
        ("/branches/honors/RY3/step", "reject"),
        ("/branches/projects/SS4/step", "start"),
        ("/branches/rectifications/ZD3/accept", ""),
    ] {
        let r = t.post_form(path, &[("action", action)]).await;
        assert_eq!(r.status, 404, "{path}");
    }
    assert_eq!(
        one(&app, "SELECT status FROM honor WHERE honor_no = $1", "RY3")
            .await
            .as_deref(),
        Some("notice")
    );
}

#[tokio::test]
async fn assessments_are_scored_on_the_standard_in_force_and_the_figures_stay() {
    let app = TestApp::new().await;
    import_ok(&app, fixture_book()).await;
    let mut sheets = party_sheets();
    sheets.push((
        "达标标准",
        vec![
            s(&[
                "标准编号",
                "名称",
                "启用日期",
                "达标分",
                "示范分",
                "复评周期",
            ]),
            s(&["BZ2026", "新标准", NEXT, "60", "80", "1"]),
        ],
    ));
    sheets.push((
        "标准分项",
        vec![
            s(&["分项编码", "标准编号", "分项序号", "名称"]),
            s(&["BZ2026-1", "BZ2026", "1", "五个精准"]),
        ],
    ));
    sheets.push((
        "标准指标",
        vec![
            s(&[
                "指标编码",
                "分项编码",
                "指标序号",
                "内容",
                "分值",
                "佐证要求",
            ]),
            s(&["BZ2026-1-1", "BZ2026-1", "1", "精准识别", "10", "台账"]),
        ],
    ));
    let scores_head = s(&["评定编号", "指标编码", "得分", "佐证"]);
    let mut bad = sheets.clone();
    bad.push((
        "达标评分",
        vec![
            scores_head.clone(),
            // Above the criterion's 5 points.
            s(&["PD2", "BZ2024-1-1", "6", ""]),
            // PD2 (on D) is under BZ2024, not the standard starting the day after.
            s(&["PD2", "BZ2026-1-1", "8", ""]),
            s(&["PD2", "BZ9999-1-1", "1", ""]),
        ],
    ));
    let p = refused(&app, book(&bad)).await;
    assert!(has(&p, "达标评分", 2, "得分", "不能超过5"), "{p:?}");
    assert!(
        has(&p, "达标评分", 3, "指标编码", "适用的是标准 BZ2024"),
        "{p:?}"
    );
    assert!(has(&p, "达标评分", 4, "指标编码", "不存在"), "{p:?}");
    sheets.push((
        "达标评分",
        vec![
            scores_head,
            s(&["PD2", "BZ2024-2-1", "4.5", "查阅党员花名册"]),
            s(&["PD2", "BZ2024-3-1", "5", ""]),
            s(&["PD4", "BZ2026-1-1", "8", ""]),
        ],
    ));
    import_ok(&app, book(&sheets)).await;
    let mut c = app.signed_in("admin").await;
    let page = c.get("/branches/assessments/PD2").await;
    assert_eq!(page.status, 200);
    for want in [
        "五个精准（得分 4.5，满分 25）",
        "四个一（得分 5，满分 20）",
        "查阅党员花名册",
        "BZ2024",
        ">PD1<",
    ] {
        assert!(page.text.contains(want), "{want}: {}", page.text);
    }
    let page = c.get("/branches/standards").await;
    assert!(page.text.contains("BZ2026") && page.text.contains("四个一"));
    // P2's latest (PD4, under BZ2026: every month) is due; P1's (PD2, BZ2024: two years) is not.
    let due = c.get("/branches/due").await;
    assert!(
        due.text.contains("P2党组织") && !due.text.contains("P1党组织"),
        "{}",
        due.text
    );
    // The figures are the counts made by hand, scores and standards notwithstanding.
    let pool = &app.db().pool;
    let unit = xingcun::org::get(pool, &Scope::everything(), DISTRICT)
        .await
        .unwrap()
        .scope();
    for at in [D, NEXT] {
        let dates = Dates {
            as_of: date(at),
            from: date("2026-01-01"),
            to: date(at),
        };
        for (key, want) in by_hand("990101", "2026-01-01", at) {
            let ind = xingcun::indicators::registry::find(key).unwrap();
            let got = xingcun::indicators::figure(pool, ind, &unit, &dates)
                .await
                .unwrap();
            assert_eq!(got, Figure::Count(want), "{key} at {at}");
        }
    }
}

#[tokio::test]
async fn judges_score_a_contest_and_the_ranking_follows_the_rule() {
    let app = TestApp::new().await;
    import_ok(&app, fixture_book()).await;
    let mut sheets = party_sheets();
    sheets.push((
        "擂台赛",
        vec![
            s(&[
                "赛事编号",
                "名称",
                "比赛日期",
                "主办单位编码",
                "去掉最高最低分",
                "状态",
            ]),
            s(&[
                "LT1",
                "青山镇书记擂台赛",
                "2026-06-01",
                TOWNSHIP,
                "是",
                "评分中",
            ]),
        ],
    ));
    sheets.push((
        "擂台赛指标",
        vec![
            s(&["赛事编号", "指标序号", "名称", "满分"]),
            s(&["LT1", "1", "述职", "60"]),
            s(&["LT1", "2", "答辩", "40"]),
        ],
    ));
    sheets.push((
        "擂台赛选手",
        vec![
            s(&["赛事编号", "身份证号", "村编码"]),
            vec!["LT1".into(), person(1), VILLAGE.into()],
            vec!["LT1".into(), person(2), OTHER_VILLAGE.into()],
            vec!["LT1".into(), person(3), VILLAGE2.into()],
        ],
    ));
    sheets.push((
        "擂台赛评委",
        vec![
            s(&["赛事编号", "评委账号", "姓名"]),
            s(&["LT1", "admin", "评委甲"]),
            s(&["LT1", "xiangzhen", "评委乙"]),
            s(&["LT1", "cungan", "评委丙"]),
            // No such account (yet): taken, marked on the page, and scoring nothing.
            s(&["LT1", "laowang", "评委丁"]),
        ],
    ));
    // 评委丙's scores come in a workbook: 王1 70, 王2 75, 王3 65.
    let mut marks = vec![s(&[
        "赛事编号",
        "评委账号",
        "选手身份证号",
        "指标序号",
        "得分",
    ])];
    for (p, a, b) in [(1, "42", "28"), (2, "45", "30"), (3, "39", "26")] {
        marks.push(vec![
            "LT1".into(),
            "cungan".into(),
            person(p),
            "1".into(),
            a.into(),
        ]);
        marks.push(vec![
            "LT1".into(),
            "cungan".into(),
            person(p),
            "2".into(),
            b.into(),
        ]);
    }
    sheets.push(("擂台赛评分", marks));
    import_ok(&app, book(&sheets)).await;
    let pid = |n: u32| {
        let app = &app;
        async move {
            use sqlx::Row;
            sqlx::query("SELECT id FROM person WHERE name = $1")
                .bind(format!("王{n}"))
                .fetch_one(&app.db().pool)
                .await
                .unwrap()
                .try_get::<i64, _>(0)
                .unwrap()
        }
    };
    let ids = [pid(1).await, pid(2).await, pid(3).await];
    // 评委甲: 90, 85, 60; 评委乙: 80, 80, 95 — entered on the contest's page.
    for (user, marks) in [
        ("admin", [("54", "36"), ("51", "34"), ("36", "24")]),
        ("xiangzhen", [("48", "32"), ("48", "32"), ("57", "38")]),
    ] {
        let mut c = app.signed_in(user).await;
        let page = c.get("/branches/contests/LT1").await;
        assert!(page.text.contains("保存评分"), "{user} sees the score form");
        let mut fields: Vec<(String, String)> = Vec::new();
        for (id, (a, b)) in ids.iter().zip(marks) {
            fields.push((format!("s.{id}.1"), a.into()));
            fields.push((format!("s.{id}.2"), b.into()));
        }
        let f: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let r = c.post_form("/branches/contests/LT1/scores", &f).await;
        assert_eq!(r.status, 303, "{user}: {}", r.text);
    }
    // Above the maximum: refused.
    let mut c = app.signed_in("admin").await;
    let over = format!("s.{}.2", ids[0]);
    let r = c
        .post_form("/branches/contests/LT1/scores", &[(&over, "50")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.text.contains("不能超过40"), "{}", r.text);
    // Not a judge: no form, and a post is refused.
    let mut reader = app.signed_in("chakan").await;
    let page = reader.get("/branches/contests/LT1").await;
    assert!(!page.text.contains("保存评分"));
    let r = reader
        .post_form("/branches/contests/LT1/scores", &[(&over, "30")])
        .await;
    assert_eq!(r.status, 403);
    // Drop one highest and one lowest judge total: 王1 80, 王2 80, 王3 65. 王1 and 王2 have one
    // first place each and the same lowest counted total: they share first place.
    let page = c.get("/branches/contests/LT1").await;
    let rank_of = |name: &str| {
        let at = page
            .text
            .find(&format!("data-label=\"选手\">{name}<"))
            .unwrap();
        let head = &page.text[..at];
        let cell = head.rfind("data-label=\"名次\">").unwrap();
        head[cell + "data-label=\"名次\">".len()..]
            .split('<')
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        [rank_of("王1"), rank_of("王2"), rank_of("王3")],
        ["1", "1", "3"]
    );
    assert!(page.text.contains("80.00") && page.text.contains("65.00"));
    assert!(
        page.text.contains("评委丁（账号不存在）") && !page.text.contains("评委甲（账号不存在）")
    );
    // Published: the scores are frozen, on the page and in a workbook.
    let r = c
        .post_form("/branches/contests/LT1/step", &[("action", "publish")])
        .await;
    assert_eq!(r.status, 303, "{}", r.text);
    let again = format!("s.{}.1", ids[0]);
    let r = c
        .post_form("/branches/contests/LT1/scores", &[(&again, "10")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.text.contains("已公布"), "{}", r.text);
    let list = c.get("/branches/contests?status=published").await;
    assert!(list.text.contains(">LT1<"));
    // The other township's user cannot see it.
    let mut other = app.signed_in("cungan").await;
    assert_eq!(other.get("/branches/contests/LT1").await.status, 404);
}

#[tokio::test]
async fn branch_records_have_create_and_edit_forms() {
    let app = TestApp::new().await;
    import_ok(&app, fixture_book()).await;
    let mut c = app.signed_in("admin").await;
    for slug in [
        "practical-projects",
        "rectifications",
        "rectification-problems",
        "honors",
        "honor-objections",
        "model-sites",
        "assessments",
        "assessment-scores",
        "branch-standards",
        "standard-sections",
        "standard-criteria",
        "contests",
        "contest-criteria",
        "contestants",
        "contest-judges",
    ] {
        let page = c.get(&format!("/registry/{slug}/new")).await;
        assert_eq!(page.status, 200, "{slug}");
    }
    let r = c
        .post_form(
            "/registry/practical-projects/new",
            &[
                ("实事编号", "SS20"),
                ("村编码", VILLAGE),
                ("名称", "安装太阳能路灯"),
                ("状态", "计划"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.text);
    let st = one(
        &app,
        "SELECT status FROM practical_project WHERE project_no = $1",
        "SS20",
    )
    .await;
    assert_eq!(st.as_deref(), Some("planned"));
    let page = c.get("/registry/practical-projects/edit?key=SS1").await;
    assert_eq!(page.status, 200);
    // A problem is addressed by its row id; another township's user gets 404.
    let id = one(
        &app,
        "SELECT CAST(p.id AS TEXT) FROM rectification_problem p JOIN rectification r ON r.id = p.case_id
          WHERE r.case_no = $1 AND p.problem_no = '1'",
        "ZD3",
    )
    .await
    .unwrap();
    let path = format!("/registry/rectification-problems/edit?key={id}");
    assert_eq!(c.get(&path).await.status, 200);
    let mut t = app.signed_in("xiangzhen").await;
    assert_eq!(t.get(&path).await.status, 404);
    // The standard is the district's: a township's user cannot open it.
    assert_eq!(
        t.get("/registry/branch-standards/edit?key=BZ2024")
            .await
            .status,
        404
    );
    assert_eq!(
        c.get("/registry/branch-standards/edit?key=BZ2024")
            .await
            .status,
        200
    );
}

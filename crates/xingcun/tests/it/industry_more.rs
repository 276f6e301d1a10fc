//! Industry, continued (现代农业园区, 科技合作, 农产品品牌, 地理标志产品, 地理标志登记): the sheets
//! refuse bad rows at their place, and industry.agri_parks, industry.tech_partnerships,
//! industry.brands and industry.geo_indications equal counts made here from the fixture's own
//! records (dates on the edge of D), with drill-down lists as long as the figures.

use axum::http::StatusCode;
use chrono::NaiveDate;
use xingcun::indicators::drill::{self, Side};
use xingcun::indicators::{Dates, Figure, RowCtx};
use xingcun::scope::Scope;
use xingcun::workbook::{ImportOutcome, export};

use crate::harness::TestApp;
use crate::workbook::{book, cells, opts, run};

const VILLAGE: &str = "990101001001";
const GRID: &str = "990101001001001";
const TOWNSHIP: &str = "990101001000";
const OTHER_VILLAGE: &str = "990101002001";
const DISTRICT: &str = "990101000000";
/// The import's today.
const D: &str = "2026-06-30";

/// A GB 32100 code computed here (as in tests/it/industry.rs).
fn credit(seq: u32) -> String {
    const SET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    let first17 = format!("93990101MA{seq:07}");
    let mut w = 1u32;
    let mut sum = 0u32;
    for c in first17.chars() {
        sum += SET.find(c).unwrap() as u32 * w;
        w = w * 3 % 31;
    }
    let check = SET.as_bytes()[((31 - sum % 31) % 31) as usize] as char;
    format!("{first17}{check}")
}

/// (number, unit, level, start, end)
const PARKS: &[(&str, &str, &str, &str, &str)] = &[
    ("YQ1", VILLAGE, "国家级", D, ""),
    ("YQ2", TOWNSHIP, "省级", "2020-01-01", D),
    ("YQ3", TOWNSHIP, "区级", "2020-01-01", "2026-07-01"),
    ("YQ4", OTHER_VILLAGE, "市级", "2021-01-01", ""),
];
/// (number, village, with the business, start, end)
const PARTNERSHIPS: &[(&str, &str, bool, &str, &str)] = &[
    ("KJ1", VILLAGE, true, D, ""),
    ("KJ2", VILLAGE, false, "2022-01-01", D),
    ("KJ3", VILLAGE, true, "2023-01-01", "2026-07-01"),
    ("KJ4", OTHER_VILLAGE, false, "2023-01-01", ""),
];
/// (number, village, status, applied, certified)
const BRANDS: &[(&str, &str, &str, &str, &str)] = &[
    ("PP1", VILLAGE, "已认定", "2026-01-05", D),
    ("PP2", VILLAGE, "申请中", "2026-01-05", ""),
    ("PP3", VILLAGE, "已认定", "2019-01-05", "2019-12-31"),
    ("PP4", OTHER_VILLAGE, "已认定", "2020-01-05", "2020-06-01"),
];
/// Products: (number, village).
const PRODUCTS: &[(&str, &str)] = &[
    ("DL1", VILLAGE),
    ("DL2", VILLAGE),
    ("DL3", OTHER_VILLAGE),
    ("DL4", VILLAGE),
];
/// Registrations: (number, product, kind, status, applied, registered).
const REGISTRATIONS: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "DJ1",
        "DL1",
        "农产品地理标志",
        "已登记",
        "2019-03-01",
        "2019-12-31",
    ),
    ("DJ2", "DL1", "地理标志商标", "已登记", "2025-03-01", D),
    ("DJ3", "DL2", "地理标志保护产品", "申请中", "2026-03-01", ""),
    (
        "DJ4",
        "DL3",
        "农产品地理标志",
        "已登记",
        "2020-03-01",
        "2021-01-01",
    ),
    ("DJ5", "DL4", "地理标志商标", "已登记", "2025-03-01", D),
];

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

fn business_sheet() -> (&'static str, Vec<Vec<String>>) {
    (
        "经营主体",
        vec![
            s(&[
                "统一社会信用代码",
                "名称",
                "主体类型",
                "所在村编码",
                "法定代表人姓名",
                "登记日期",
            ]),
            s(&[
                &credit(1),
                "甲合作社",
                "合作社",
                VILLAGE,
                "李四",
                "2020-01-01",
            ]),
        ],
    )
}

fn fixture() -> Vec<(&'static str, Vec<Vec<String>>)> {
    let mut parks = vec![s(&[
        "园区编号",
        "名称",
        "所在区划编码",
        "级别",
        "面积",
        "开始日期",
        "结束日期",
    ])];
    for (no, u, l, a, b) in PARKS {
        parks.push(s(&[no, &format!("园区{no}"), u, l, "1200.5", a, b]));
    }
    let mut partnerships = vec![s(&[
        "合作编号",
        "科研院所",
        "合作内容",
        "所在村编码",
        "统一社会信用代码",
        "开始日期",
        "结束日期",
    ])];
    for (no, v, with, a, b) in PARTNERSHIPS {
        let code = if *with { credit(1) } else { String::new() };
        partnerships.push(s(&[no, "省农业科学院", "优质稻示范", v, &code, a, b]));
    }
    let mut brands = vec![s(&[
        "品牌编号",
        "品牌名称",
        "所在村编码",
        "统一社会信用代码",
        "所有者名称",
        "状态",
        "申请日期",
        "认定日期",
    ])];
    for (i, (no, v, st, a, c)) in BRANDS.iter().enumerate() {
        let (code, owner) = if i % 2 == 0 && *v == VILLAGE {
            (credit(1), String::new())
        } else {
            (String::new(), "村股份经济合作社".to_string())
        };
        brands.push(s(&[no, &format!("品牌{no}"), v, &code, &owner, st, a, c]));
    }
    let mut products = vec![s(&["产品编号", "产品名称", "所在村编码"])];
    for (no, v) in PRODUCTS {
        products.push(s(&[no, &format!("产品{no}"), v]));
    }
    let mut regs = vec![s(&[
        "登记编号",
        "产品编号",
        "登记类型",
        "状态",
        "申请日期",
        "登记日期",
    ])];
    for (no, p, k, st, a, r) in REGISTRATIONS {
        regs.push(s(&[no, p, k, st, a, r]));
    }
    vec![
        business_sheet(),
        ("现代农业园区", parks),
        ("科技合作", partnerships),
        ("农产品品牌", brands),
        ("地理标志产品", products),
        ("地理标志登记", regs),
    ]
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn active(start: &str, end: &str, at: &str) -> bool {
    start <= at && (end.is_empty() || end > at)
}

/// The figures counted here from the constants above, for an org prefix at D.
fn by_hand(prefix: &str, at: &str) -> [(&'static str, i64); 4] {
    let parks = PARKS
        .iter()
        .filter(|p| p.1.starts_with(prefix) && active(p.3, p.4, at))
        .count();
    let partnerships = PARTNERSHIPS
        .iter()
        .filter(|p| p.1.starts_with(prefix) && active(p.3, p.4, at))
        .count();
    let brands = BRANDS
        .iter()
        .filter(|b| b.1.starts_with(prefix) && b.2 == "已认定" && b.4 <= at)
        .count();
    let mut geo: Vec<&str> = REGISTRATIONS
        .iter()
        .filter(|r| r.3 == "已登记" && r.5 <= at)
        .map(|r| r.1)
        .filter(|p| {
            PRODUCTS
                .iter()
                .any(|x| x.0 == *p && x.1.starts_with(prefix))
        })
        .collect();
    geo.sort();
    geo.dedup();
    [
        ("industry.agri_parks", parks as i64),
        ("industry.brands", brands as i64),
        ("industry.geo_indications", geo.len() as i64),
        ("industry.tech_partnerships", partnerships as i64),
    ]
}

async fn import_ok(app: &TestApp) {
    match run(app, book(&fixture()), &opts()).await {
        ImportOutcome::Done { written: true, .. } => {}
        other => panic!("refused: {other:?}"),
    }
}

#[tokio::test]
async fn more_industry_figures_equal_counts_made_by_hand_and_their_drill_downs() {
    let app = TestApp::new().await;
    import_ok(&app).await;
    let pool = &app.db().pool;
    let ctx = RowCtx {
        as_of: date(D),
        scope: Scope::everything(),
    };
    let mut nonzero = 0;
    for (org, prefix) in [
        (VILLAGE, VILLAGE),
        (TOWNSHIP, "990101001"),
        (DISTRICT, "990101"),
    ] {
        let unit = xingcun::org::get(pool, &Scope::everything(), org)
            .await
            .unwrap()
            .scope();
        for at in [D, "2026-06-29", "2019-12-31", "2019-12-30"] {
            let dates = Dates {
                as_of: date(at),
                from: date(&format!("{}-01-01", &at[..4])),
                to: date(at),
            };
            for (key, want) in by_hand(prefix, at) {
                let ind = xingcun::indicators::registry::find(key).unwrap();
                let got = xingcun::indicators::figure(pool, ind, &unit, &dates)
                    .await
                    .unwrap();
                assert_eq!(got, Figure::Count(want), "{key} for {org} at {at}");
                nonzero += usize::from(want > 0);
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
    assert!(nonzero >= 20, "the fixture exercises the figures");
    // The edges, for the township at D: YQ1 (starts D), YQ3 (ends the day after; YQ2 ended on
    // D); PP1 (certified D), PP3; DL1 (two registrations, once), DL4 (registered D); KJ1, KJ3.
    assert_eq!(by_hand("990101001", D).map(|(_, n)| n), [2, 2, 2, 2]);
    assert_eq!(
        by_hand("990101001", "2026-06-29").map(|(_, n)| n),
        [2, 1, 1, 2]
    );
}

/// Imports the business and one `sheet` row (after `before`), expecting a problem at that row.
async fn refused_at(
    before: Vec<(&'static str, Vec<Vec<String>>)>,
    sheet: &'static str,
    head: &[&str],
    line: &[&str],
    column: &str,
    words: &str,
) {
    let app = TestApp::new().await;
    let mut sheets = vec![business_sheet()];
    sheets.extend(before);
    sheets.push((sheet, vec![s(head), s(line)]));
    match run(&app, book(&sheets), &opts()).await {
        ImportOutcome::Refused(problems) => assert!(
            problems.iter().any(|p| p.sheet == sheet
                && p.column.as_deref() == Some(column)
                && p.message.contains(words)),
            "expected {sheet} {column} 「{words}」, got {problems:?}"
        ),
        other => panic!("{line:?} was accepted: {other:?}"),
    }
}

#[tokio::test]
async fn sheet_rules_refuse_bad_industry_rows_at_their_place() {
    let park = [
        "园区编号",
        "名称",
        "所在区划编码",
        "级别",
        "面积",
        "开始日期",
        "结束日期",
    ];
    refused_at(
        vec![],
        "现代农业园区",
        &park,
        &["YQ9", "园区", GRID, "省级", "10", "2020-01-01", ""],
        "所在区划编码",
        "不是乡镇",
    )
    .await;
    refused_at(
        vec![],
        "现代农业园区",
        &park,
        &[
            "YQ9",
            "园区",
            "990101009001",
            "省级",
            "10",
            "2020-01-01",
            "",
        ],
        "所在区划编码",
        "不存在",
    )
    .await;
    refused_at(
        vec![],
        "现代农业园区",
        &park,
        &["YQ9", "园区", VILLAGE, "部级", "10", "2020-01-01", ""],
        "级别",
        "不是园区级别",
    )
    .await;
    refused_at(
        vec![],
        "现代农业园区",
        &park,
        &["YQ9", "园区", VILLAGE, "省级", "-3", "2020-01-01", ""],
        "面积",
        "两位小数",
    )
    .await;
    refused_at(
        vec![],
        "现代农业园区",
        &park,
        &[
            "YQ9",
            "园区",
            VILLAGE,
            "省级",
            "10",
            "2020-01-02",
            "2020-01-01",
        ],
        "结束日期",
        "不能早于",
    )
    .await;
    let tp = [
        "合作编号",
        "科研院所",
        "合作内容",
        "所在村编码",
        "统一社会信用代码",
        "开始日期",
    ];
    let mut bad = credit(1);
    bad.replace_range(17.., if bad.ends_with('0') { "1" } else { "0" });
    refused_at(
        vec![],
        "科技合作",
        &tp,
        &["KJ9", "院", "内容", VILLAGE, &bad, "2020-01-01"],
        "统一社会信用代码",
        "校验位",
    )
    .await;
    refused_at(
        vec![],
        "科技合作",
        &tp,
        &["KJ9", "院", "内容", VILLAGE, &credit(2), "2020-01-01"],
        "统一社会信用代码",
        "不存在",
    )
    .await;
    refused_at(
        vec![],
        "科技合作",
        &tp,
        &["KJ9", "院", "内容", TOWNSHIP, "", "2020-01-01"],
        "所在村编码",
        "不是行政村",
    )
    .await;
    let br = [
        "品牌编号",
        "品牌名称",
        "所在村编码",
        "统一社会信用代码",
        "所有者名称",
        "状态",
        "申请日期",
        "认定日期",
    ];
    refused_at(
        vec![],
        "农产品品牌",
        &br,
        &["PP9", "品牌", VILLAGE, "", "", "申请中", "2026-01-01", ""],
        "所有者名称",
        "须填写",
    )
    .await;
    refused_at(
        vec![],
        "农产品品牌",
        &br,
        &[
            "PP9",
            "品牌",
            VILLAGE,
            "",
            "某社",
            "已认定",
            "2026-01-01",
            "",
        ],
        "认定日期",
        "须填写",
    )
    .await;
    refused_at(
        vec![],
        "农产品品牌",
        &br,
        &[
            "PP9",
            "品牌",
            VILLAGE,
            "",
            "某社",
            "申请中",
            "2026-01-01",
            "2026-02-01",
        ],
        "认定日期",
        "应为空",
    )
    .await;
    refused_at(
        vec![],
        "农产品品牌",
        &br,
        &[
            "PP9",
            "品牌",
            VILLAGE,
            "",
            "某社",
            "已认定",
            "2026-02-01",
            "2026-01-01",
        ],
        "认定日期",
        "不能早于",
    )
    .await;
    refused_at(
        vec![],
        "农产品品牌",
        &br,
        &[
            "PP9",
            "品牌",
            VILLAGE,
            "",
            "某社",
            "已认定",
            "2026-02-01",
            "2026-07-01",
        ],
        "认定日期",
        "不能晚于今天",
    )
    .await;
    let reg = [
        "登记编号",
        "产品编号",
        "登记类型",
        "状态",
        "申请日期",
        "登记日期",
    ];
    refused_at(
        vec![],
        "地理标志登记",
        &reg,
        &[
            "DJ9",
            "DL404",
            "地理标志商标",
            "已登记",
            "2020-01-01",
            "2020-05-01",
        ],
        "产品编号",
        "不存在",
    )
    .await;
    let product = vec![(
        "地理标志产品",
        vec![
            s(&["产品编号", "产品名称", "所在村编码"]),
            s(&["DL9", "贡米", VILLAGE]),
        ],
    )];
    refused_at(
        product,
        "地理标志登记",
        &reg,
        &["DJ9", "DL9", "商标", "已登记", "2020-01-01", "2020-05-01"],
        "登记类型",
        "不是地理标志登记类型",
    )
    .await;
}

#[tokio::test]
async fn a_certified_brand_does_not_go_back_to_an_application() {
    let app = TestApp::new().await;
    import_ok(&app).await;
    let head = [
        "品牌编号",
        "品牌名称",
        "所在村编码",
        "所有者名称",
        "状态",
        "申请日期",
        "认定日期",
    ];
    let back = vec![
        s(&head),
        s(&[
            "PP3",
            "品牌PP3",
            VILLAGE,
            "某社",
            "申请中",
            "2019-01-05",
            "",
        ]),
    ];
    match run(&app, book(&[("农产品品牌", back)]), &opts()).await {
        ImportOutcome::Refused(p) => assert!(
            p.iter()
                .any(|p| p.column.as_deref() == Some("状态") && p.message.contains("不能退回")),
            "{p:?}"
        ),
        other => panic!("accepted: {other:?}"),
    }
    // An application is certified later.
    let forward = vec![
        s(&head),
        s(&[
            "PP2",
            "品牌PP2",
            VILLAGE,
            "某社",
            "已认定",
            "2026-01-05",
            "2026-06-01",
        ]),
    ];
    assert!(matches!(
        run(&app, book(&[("农产品品牌", forward)]), &opts()).await,
        ImportOutcome::Done { written: true, .. }
    ));
}

fn firsts(bytes: &[u8], sheet: &str) -> Vec<String> {
    let mut r = xingcun_xlsx::WorkbookReader::open_bytes(bytes.to_vec()).unwrap();
    let rows: Vec<_> = r.rows(sheet).unwrap().collect::<Result<_, _>>().unwrap();
    let mut v: Vec<String> = rows
        .iter()
        .skip(1)
        .map(|(_, c)| match &c[0] {
            xingcun_xlsx::Cell::Text(s) => s.clone(),
            other => format!("{other:?}"),
        })
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn the_industry_lists_filter_within_the_scope_and_the_records_round_trip() {
    let app = TestApp::new().await;
    import_ok(&app).await;
    let mut village = app.signed_in("cungan").await;
    for path in [
        "/industry/parks",
        "/industry/partnerships",
        "/industry/brands",
        "/industry/geo-products",
        "/industry/geo-registrations",
    ] {
        let page = village.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(page.text.contains("export=xlsx"), "{path}");
    }
    let parks = village.get("/industry/parks?export=xlsx").await;
    assert_eq!(firsts(&parks.bytes, "现代农业园区"), ["YQ1"]);
    let mut town = app.signed_in("xiangzhen").await;
    let parks = town.get("/industry/parks?status=active&export=xlsx").await;
    // Today is after the fixture's dates: YQ1 only (YQ2, YQ3 have ended).
    assert_eq!(firsts(&parks.bytes, "现代农业园区"), ["YQ1"]);
    let certified = town
        .get("/industry/brands?status=certified&export=xlsx")
        .await;
    assert_eq!(firsts(&certified.bytes, "农产品品牌"), ["PP1", "PP3"]);
    let geo = town
        .get("/industry/geo-products?status=registered&export=xlsx")
        .await;
    assert_eq!(firsts(&geo.bytes, "地理标志产品"), ["DL1", "DL4"]);
    let mine = [
        "现代农业园区",
        "科技合作",
        "农产品品牌",
        "地理标志产品",
        "地理标志登记",
    ];
    let total = round_trip(&app, &mine, &[None, Some(VILLAGE)]).await;
    assert_eq!(
        total[0],
        PARKS.len() + PARTNERSHIPS.len() + BRANDS.len() + PRODUCTS.len() + REGISTRATIONS.len()
    );
    // The village's own: YQ1; KJ1–KJ3; PP1–PP3; DL1, DL2, DL4 and their DJ1, DJ2, DJ3, DJ5.
    assert_eq!(total[1], 1 + 3 + 3 + 3 + 4);
    // A park through its form.
    let res = village
        .post_form(
            "/registry/agri-parks/new",
            &[
                ("园区编号", "YQ100"),
                ("名称", "新园区"),
                ("所在区划编码", VILLAGE),
                ("级别", "市级"),
                ("开始日期", "2025-01-01"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    let list = village.get("/industry/parks").await;
    assert!(list.text.contains("YQ100") && list.text.contains("新园区"));
}

/// Exports `app` (everything, or a unit's subtree), loads the registry sheets and `sheets` of
/// that export into an empty database, exports again the same way, and checks that `sheets` hold
/// the same cells; returns the records of `sheets` per export. Only these sheets and those they
/// refer to are carried over, so another module's sheets do not enter this module's test.
pub async fn round_trip(app: &TestApp, sheets: &[&str], orgs: &[Option<&str>]) -> Vec<usize> {
    const BASE: [&str; 5] = ["区划", "户", "人员", "党组织", "经营主体"];
    let scope_of = |app: &TestApp, org: Option<&str>| {
        let pool = app.db().pool.clone();
        let org = org.map(str::to_string);
        async move {
            match org {
                Some(code) => xingcun::org::get(&pool, &Scope::everything(), &code)
                    .await
                    .unwrap()
                    .scope(),
                None => Scope::everything(),
            }
        }
    };
    let mut totals = Vec::new();
    for org in orgs {
        let scope = scope_of(app, *org).await;
        let first = export::export(&app.db().pool, app.state.crypto(), &scope, *org)
            .await
            .unwrap();
        let keep: Vec<&str> = BASE.iter().chain(sheets).copied().collect();
        let empty = TestApp::empty().await;
        match run(&empty, only(&first, &keep), &opts()).await {
            ImportOutcome::Done { written: true, .. } => {}
            other => panic!("{org:?}: re-import failed: {other:?}"),
        }
        let scope2 = scope_of(&empty, *org).await;
        let second = export::export(&empty.db().pool, empty.state.crypto(), &scope2, *org)
            .await
            .unwrap();
        let pick = |b: &[u8]| -> Vec<(String, Vec<Vec<String>>)> {
            cells(b)
                .into_iter()
                .filter(|(n, _)| sheets.contains(&n.as_str()))
                .collect()
        };
        assert_eq!(pick(&first), pick(&second), "{org:?}");
        // Each sheet: a header row, then its records.
        totals.push(pick(&first).iter().map(|(_, r)| r.len() - 1).sum());
    }
    totals
}

/// The sheets `keep` of a workbook, cells as they are (text, numbers, dates).
pub fn only(bytes: &[u8], keep: &[&str]) -> Vec<u8> {
    let mut r = xingcun_xlsx::WorkbookReader::open_bytes(bytes.to_vec()).unwrap();
    let mut out: Vec<(&str, Vec<Vec<String>>)> = Vec::new();
    for name in keep {
        if !r.sheet_names().iter().any(|n| n == name) {
            continue;
        }
        let rows = r
            .rows(name)
            .unwrap()
            .map(|x| {
                x.unwrap()
                    .1
                    .iter()
                    .map(|c| match c {
                        xingcun_xlsx::Cell::Text(s) => s.clone(),
                        xingcun_xlsx::Cell::Number(n) => format!("=n{n}"),
                        xingcun_xlsx::Cell::Date(d) => format!("=d{d}"),
                        xingcun_xlsx::Cell::Bool(b) => if *b { "是" } else { "否" }.to_string(),
                        _ => String::new(),
                    })
                    .collect()
            })
            .collect();
        out.push((name, rows));
    }
    book(&out)
}

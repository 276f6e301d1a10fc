//! Industry (产业): the 经营主体, 带动农户 and 乡村旅游项目 sheets refuse bad rows at their place,
//! and the industry.* figures equal counts made here from the fixture's own records (dates on
//! the edge of D), with drill-down lists as long as the figures.

use chrono::NaiveDate;
use xingcun::indicators::drill::{self, Side};
use xingcun::indicators::{Dates, Figure, RowCtx};
use xingcun::scope::Scope;
use xingcun::workbook::ImportOutcome;

use crate::harness::TestApp;
use crate::workbook::{book, opts, rows, run};

const VILLAGE: &str = "990101001001";
const GRID: &str = "990101001001001";
const TOWNSHIP: &str = "990101001000";
const OTHER_VILLAGE: &str = "990101002001";
const DISTRICT: &str = "990101000000";
const D: &str = "2026-06-30";

/// A GB 32100 code computed here: the check character is 31 − (Σ value·3^i mod 31) mod 31.
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

/// A business of the fixture.
struct Biz {
    seq: u32,
    kind: &'static str,
    village: &'static str,
    registered: &'static str,
    deregistered: &'static str,
}

const BIZ: &[Biz] = &[
    // Registered exactly on D: counts.
    Biz {
        seq: 1,
        kind: "农民专业合作社",
        village: VILLAGE,
        registered: D,
        deregistered: "",
    },
    // Registered the day after D: does not.
    Biz {
        seq: 2,
        kind: "农民专业合作社",
        village: VILLAGE,
        registered: "2026-07-01",
        deregistered: "",
    },
    // Deregistered on D: does not.
    Biz {
        seq: 3,
        kind: "农民专业合作社",
        village: VILLAGE,
        registered: "2020-01-01",
        deregistered: D,
    },
    // Deregistered the day after D: counts.
    Biz {
        seq: 4,
        kind: "农民专业合作社",
        village: VILLAGE,
        registered: "2020-01-01",
        deregistered: "2026-07-01",
    },
    // A federation counts as a cooperative.
    Biz {
        seq: 5,
        kind: "农民专业合作社联合社",
        village: VILLAGE,
        registered: "2019-05-05",
        deregistered: "",
    },
    Biz {
        seq: 6,
        kind: "家庭农场",
        village: VILLAGE,
        registered: "2018-03-03",
        deregistered: "",
    },
    Biz {
        seq: 7,
        kind: "家庭农场",
        village: VILLAGE,
        registered: "2018-03-03",
        deregistered: D,
    },
    // Another township's cooperative.
    Biz {
        seq: 8,
        kind: "农民专业合作社",
        village: OTHER_VILLAGE,
        registered: "2021-01-01",
        deregistered: "",
    },
];

/// (business seq, household, start, end)
const LINKS: &[(u32, &str, &str, &str)] = &[
    (1, "H1", "2026-01-01", ""),
    // The same household through a second business counts once.
    (5, "H1", "2025-01-01", ""),
    // A household of another township, linked to a business in scope, counts; its start is D.
    (6, "H2", D, ""),
    // Through a business deregistered on D: does not.
    (3, "H3", "2024-01-01", ""),
    // The link ended on D: does not.
    (5, "H4", "2024-01-01", D),
    // The link starts after D: does not.
    (5, "H5", "2026-07-01", ""),
    // Through another township's business.
    (8, "H6", "2024-01-01", ""),
];

/// (number, village, start, end)
const TOURISM: &[(&str, &str, &str, &str)] = &[
    ("LY1", VILLAGE, D, ""),
    ("LY2", VILLAGE, "2020-01-01", D),
    ("LY3", VILLAGE, "2026-07-01", ""),
    ("LY4", OTHER_VILLAGE, "2020-01-01", ""),
];

fn households() -> (&'static str, Vec<Vec<String>>) {
    let mut all = vec![vec!["户编号".to_string(), "所属区划编码".to_string()]];
    for (i, h) in ["H1", "H2", "H3", "H4", "H5", "H6"].iter().enumerate() {
        let org = if i == 1 || i == 5 {
            OTHER_VILLAGE
        } else {
            GRID
        };
        all.push(vec![h.to_string(), org.to_string()]);
    }
    ("户", all)
}

fn fixture_book() -> Vec<u8> {
    let mut biz = vec![
        [
            "统一社会信用代码",
            "名称",
            "主体类型",
            "所在村编码",
            "法定代表人姓名",
            "登记日期",
            "注销日期",
            "成员数",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for b in BIZ {
        biz.push(vec![
            credit(b.seq),
            format!("主体{}", b.seq),
            b.kind.into(),
            b.village.into(),
            "张三".into(),
            b.registered.into(),
            b.deregistered.into(),
            "12".into(),
        ]);
    }
    let mut links = vec![
        ["统一社会信用代码", "户编号", "开始日期", "结束日期"]
            .map(String::from)
            .to_vec(),
    ];
    for (seq, h, s, e) in LINKS {
        links.push(vec![
            credit(*seq),
            h.to_string(),
            s.to_string(),
            e.to_string(),
        ]);
    }
    let mut tour = vec![
        ["项目编号", "名称", "所在村编码", "开始日期", "结束日期"]
            .map(String::from)
            .to_vec(),
    ];
    for (no, v, s, e) in TOURISM {
        tour.push(vec![
            no.to_string(),
            format!("项目{no}"),
            v.to_string(),
            s.to_string(),
            e.to_string(),
        ]);
    }
    book(&[
        households(),
        ("经营主体", biz),
        ("带动农户", links),
        ("乡村旅游项目", tour),
    ])
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn active(start: &str, end: &str, at: &str) -> bool {
    start <= at && (end.is_empty() || end > at)
}

/// The figures counted here from the constants above, for an org prefix.
fn by_hand(prefix: &str, at: &str) -> [(&'static str, i64); 4] {
    let live = |b: &&Biz| b.village.starts_with(prefix) && active(b.registered, b.deregistered, at);
    let coops = BIZ
        .iter()
        .filter(live)
        .filter(|b| b.kind.starts_with("农民专业合作社"))
        .count();
    let farms = BIZ
        .iter()
        .filter(live)
        .filter(|b| b.kind == "家庭农场")
        .count();
    let mut driven: Vec<&str> = LINKS
        .iter()
        .filter(|(seq, _, s, e)| active(s, e, at) && BIZ.iter().filter(live).any(|b| b.seq == *seq))
        .map(|(_, h, _, _)| *h)
        .collect();
    driven.sort();
    driven.dedup();
    let tourism = TOURISM
        .iter()
        .filter(|(_, v, s, e)| v.starts_with(prefix) && active(s, e, at))
        .count();
    [
        ("industry.cooperatives", coops as i64),
        ("industry.family_farms", farms as i64),
        ("industry.households_driven", driven.len() as i64),
        ("industry.tourism_projects", tourism as i64),
    ]
}

async fn import_ok(app: &TestApp, bytes: Vec<u8>) {
    match run(app, bytes, &opts()).await {
        ImportOutcome::Done { written: true, .. } => {}
        other => panic!("refused: {other:?}"),
    }
}

#[tokio::test]
async fn industry_figures_equal_counts_made_by_hand_and_their_drill_downs() {
    let app = TestApp::new().await;
    import_ok(&app, fixture_book()).await;
    let pool = &app.db().pool;
    let ctx = RowCtx {
        as_of: date(D),
        scope: Scope::everything(),
    };
    let mut seen_nonzero = 0;
    for (org, prefix) in [(TOWNSHIP, "990101001"), (DISTRICT, "990101")] {
        let unit = xingcun::org::get(pool, &Scope::everything(), org)
            .await
            .unwrap()
            .scope();
        for at in [D, "2026-07-01", "2019-12-31"] {
            let dates = Dates {
                as_of: date(at),
                from: date("2026-01-01"),
                to: date(at),
            };
            for (key, want) in by_hand(prefix, at) {
                let ind = xingcun::indicators::registry::find(key).unwrap();
                let got = xingcun::indicators::figure(pool, ind, &unit, &dates)
                    .await
                    .unwrap();
                assert_eq!(got, Figure::Count(want), "{key} for {org} at {at}");
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
    assert!(seen_nonzero >= 10, "the fixture exercises the figures");
    // The edges, spelled out for the township at D: B1 (registered on D), B4, B5; B6; H1, H2;
    // LY1.
    assert_eq!(by_hand("990101001", D).map(|(_, n)| n), [3, 1, 2, 1]);
}

/// Loads `sheet` with one data row after the fixture's, expecting a problem at that row.
async fn refused_at(sheet: &str, head: &[&str], line: &[String], column: &str, words: &str) {
    let app = TestApp::new().await;
    let mut all = vec![head.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
    all.push(line.to_vec());
    let mut sheets = vec![households()];
    if sheet == "带动农户" {
        sheets.push((
            "经营主体",
            rows(&[
                &[
                    "统一社会信用代码",
                    "名称",
                    "主体类型",
                    "所在村编码",
                    "法定代表人姓名",
                    "登记日期",
                ],
                &[
                    &credit(1),
                    "甲合作社",
                    "合作社",
                    VILLAGE,
                    "李四",
                    "2020-01-01",
                ],
            ]),
        ));
    }
    let name: &'static str = match sheet {
        "经营主体" => "经营主体",
        "带动农户" => "带动农户",
        _ => "乡村旅游项目",
    };
    sheets.push((name, all));
    match run(&app, book(&sheets), &opts()).await {
        ImportOutcome::Refused(problems) => assert!(
            problems.iter().any(|p| p.sheet == sheet
                && p.row == 2
                && p.column.as_deref() == Some(column)
                && p.message.contains(words)),
            "expected {sheet} row 2 {column} 「{words}」, got {problems:?}"
        ),
        other => panic!("{line:?} was accepted: {other:?}"),
    }
}

#[tokio::test]
async fn sheet_rules_refuse_bad_rows_at_their_place() {
    let head = [
        "统一社会信用代码",
        "名称",
        "主体类型",
        "所在村编码",
        "法定代表人姓名",
        "登记日期",
        "注销日期",
    ];
    let good = credit(9);
    let mut bad_check = good.clone();
    let last = bad_check.pop().unwrap();
    bad_check.push(if last == '0' { '1' } else { '0' });
    let row = |code: &str, village: &str, reg: &str, dereg: &str| -> Vec<String> {
        [code, "乙合作社", "合作社", village, "王五", reg, dereg]
            .map(String::from)
            .to_vec()
    };
    refused_at(
        "经营主体",
        &head,
        &row(&bad_check, VILLAGE, "2020-01-01", ""),
        "统一社会信用代码",
        "校验位",
    )
    .await;
    refused_at(
        "经营主体",
        &head,
        &row("12345", VILLAGE, "2020-01-01", ""),
        "统一社会信用代码",
        "18位",
    )
    .await;
    refused_at(
        "经营主体",
        &head,
        &row(&good, "990101009001", "2020-01-01", ""),
        "所在村编码",
        "不存在",
    )
    .await;
    refused_at(
        "经营主体",
        &head,
        &row(&good, TOWNSHIP, "2020-01-01", ""),
        "所在村编码",
        "不是行政村",
    )
    .await;
    refused_at(
        "经营主体",
        &head,
        &row(&good, VILLAGE, "2020-01-02", "2020-01-01"),
        "注销日期",
        "不能早于",
    )
    .await;
    let link_head = ["统一社会信用代码", "户编号", "开始日期", "结束日期"];
    let link = |code: &str, hh: &str, s: &str, e: &str| -> Vec<String> {
        [code, hh, s, e].map(String::from).to_vec()
    };
    refused_at(
        "带动农户",
        &link_head,
        &link(&credit(2), "H1", "2024-01-01", ""),
        "统一社会信用代码",
        "不存在",
    )
    .await;
    refused_at(
        "带动农户",
        &link_head,
        &link(&credit(1), "H99", "2024-01-01", ""),
        "户编号",
        "不存在",
    )
    .await;
    refused_at(
        "带动农户",
        &link_head,
        &link(&credit(1), "H1", "2024-01-02", "2024-01-01"),
        "结束日期",
        "不能早于",
    )
    .await;
    let t_head = ["项目编号", "名称", "所在村编码", "开始日期", "结束日期"];
    let t = |v: &str, s: &str, e: &str| -> Vec<String> {
        ["LY9", "丙项目", v, s, e].map(String::from).to_vec()
    };
    refused_at(
        "乡村旅游项目",
        &t_head,
        &t("990101009001", "2024-01-01", ""),
        "所在村编码",
        "不存在",
    )
    .await;
    refused_at(
        "乡村旅游项目",
        &t_head,
        &t(VILLAGE, "2024-01-02", "2024-01-01"),
        "结束日期",
        "不能早于",
    )
    .await;
}

#[tokio::test]
async fn importing_the_same_industry_sheets_again_changes_nothing() {
    let app = TestApp::new().await;
    import_ok(&app, fixture_book()).await;
    match run(&app, fixture_book(), &opts()).await {
        ImportOutcome::Done { counts, .. } => {
            for (sheet, n) in [
                ("经营主体", BIZ.len()),
                ("带动农户", LINKS.len()),
                ("乡村旅游项目", TOURISM.len()),
            ] {
                let c = counts.iter().find(|c| c.0 == sheet).unwrap();
                assert_eq!((c.1, c.2, c.3), (0, 0, n), "{sheet}");
            }
        }
        other => panic!("refused on re-import: {other:?}"),
    }
    let n: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) FROM business_household")
            .fetch_one(&app.db().pool)
            .await
            .unwrap(),
        0,
    );
    assert_eq!(n, LINKS.len() as i64);
}

/// The data rows of an exported list (its header dropped), each as text cells.
fn exported(bytes: &[u8], sheet: &str) -> Vec<Vec<String>> {
    let mut reader = xingcun_xlsx::WorkbookReader::open_bytes(bytes.to_vec()).unwrap();
    let rows: Vec<_> = reader
        .rows(sheet)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    rows.iter()
        .skip(1)
        .map(|(_, cells)| {
            cells
                .iter()
                .map(|c| match c {
                    xingcun_xlsx::Cell::Text(s) => s.clone(),
                    other => format!("{other:?}"),
                })
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn the_lists_filter_within_the_users_scope_and_export_what_they_show() {
    use axum::http::StatusCode;
    let app = TestApp::new().await;
    import_ok(&app, fixture_book()).await;
    let mut town = app.signed_in("xiangzhen").await;
    let page = town.get("/industry/businesses").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains(&credit(1)) && !page.text.contains(&credit(8)));
    assert!(page.text.contains("export=xlsx"), "the export link");
    let codes = |rows: &[Vec<String>]| -> Vec<String> {
        let mut v: Vec<String> = rows.iter().map(|r| r[0].clone()).collect();
        v.sort();
        v
    };
    let want = |pick: &dyn Fn(&Biz) -> bool| -> Vec<String> {
        let mut v: Vec<String> = BIZ
            .iter()
            .filter(|b| b.village != OTHER_VILLAGE && pick(b))
            .map(|b| credit(b.seq))
            .collect();
        v.sort();
        v
    };
    let all = town.get("/industry/businesses?export=xlsx").await;
    assert_eq!(codes(&exported(&all.bytes, "经营主体")), want(&|_| true));
    let farms = town
        .get("/industry/businesses?kind=family_farm&export=xlsx")
        .await;
    assert_eq!(
        codes(&exported(&farms.bytes, "经营主体")),
        want(&|b| b.kind == "家庭农场")
    );
    let live = town
        .get(&format!(
            "/industry/businesses?standing=active&on={D}&export=xlsx"
        ))
        .await;
    assert_eq!(
        codes(&exported(&live.bytes, "经营主体")),
        want(&|b| active(b.registered, b.deregistered, D))
    );
    // The households each lifts on D: B5 has H1 (H4's link ended on D, H5's starts later).
    let b5 = exported(&live.bytes, "经营主体")
        .into_iter()
        .find(|r| r[0] == credit(5))
        .unwrap();
    assert_eq!(b5.last().map(String::as_str), Some("Number(1.0)"));
    // Another township's unit is not the township's to filter by: nothing shows.
    let other = town
        .get(&format!(
            "/industry/businesses?org={OTHER_VILLAGE}&export=xlsx"
        ))
        .await;
    assert!(exported(&other.bytes, "经营主体").is_empty());
    let mut admin = app.signed_in("admin").await;
    let tour = admin.get("/industry/tourism?export=xlsx").await;
    assert_eq!(exported(&tour.bytes, "乡村旅游项目").len(), TOURISM.len());
    let mut village = app.signed_in("cungan").await;
    let page = village.get("/industry/tourism").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("LY1") && !page.text.contains("LY4"));
    let bad = village.get("/industry/businesses?on=2026-13-01").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_business_is_recorded_through_its_form_with_the_sheets_rules() {
    use axum::http::StatusCode;
    let app = TestApp::new().await;
    let mut c = app.signed_in("cungan").await;
    let list = c.get("/industry/businesses").await;
    assert!(
        list.text
            .replace("&#x2f;", "/")
            .contains("/registry/businesses/new"),
        "the 新增 link"
    );
    let page = c.get("/registry/businesses/new").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("统一社会信用代码"));
    let code = credit(42);
    let mut bad = code.clone();
    bad.replace_range(17.., if code.ends_with('0') { "1" } else { "0" });
    let fields = |code: &str| {
        vec![
            ("统一社会信用代码", code.to_string()),
            ("名称", "丁合作社".to_string()),
            ("主体类型", "cooperative".to_string()),
            ("所在村编码", VILLAGE.to_string()),
            ("法定代表人姓名", "赵六".to_string()),
            ("登记日期", "2020-05-01".to_string()),
        ]
    };
    let post = |f: Vec<(&'static str, String)>| f;
    let send = post(fields(&bad));
    let pairs: Vec<(&str, &str)> = send.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = c.post_form("/registry/businesses/new", &pairs).await;
    assert_ne!(
        res.status,
        StatusCode::SEE_OTHER,
        "a bad check character is refused"
    );
    assert!(res.text.contains("校验位"), "{}", res.text);
    let send = post(fields(&code));
    let pairs: Vec<(&str, &str)> = send.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = c.post_form("/registry/businesses/new", &pairs).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    let list = c.get("/industry/businesses").await;
    assert!(list.text.contains(&code) && list.text.contains("丁合作社"));
    // The write is audited.
    let audited: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) FROM audit_log WHERE entity = 'business'")
            .fetch_one(&app.db().pool)
            .await
            .unwrap(),
        0,
    );
    assert_eq!(audited, 1);
}

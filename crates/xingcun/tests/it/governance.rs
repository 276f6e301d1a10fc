//! 矛盾纠纷排查化解: the 排查, 矛盾纠纷, 纠纷当事人 and 调解记录 sheets refuse bad rows at their
//! place; a party's numbers are sealed at rest and masked on the pages; another township's
//! dispute is 404; the governance.dispute* figures equal counts made here from the fixture
//! (dates on the edges of F and T) with drill-downs as long as the figures; a 高 risk dispute is
//! escalated to its township (alert and outbox message); export and import give the same cells.

use axum::http::StatusCode;
use chrono::NaiveDate;
use xingcun::indicators::drill::{self, Side};
use xingcun::indicators::{Dates, Figure, RowCtx};
use xingcun::scope::Scope;
use xingcun::workbook::ImportOutcome;

use crate::harness::TestApp;
use crate::workbook::{book, opts, rows, run};

const VILLAGE: &str = "990101001001";
const TOWNSHIP: &str = "990101001000";
const OTHER_VILLAGE: &str = "990101002001";
const OTHER_TOWNSHIP: &str = "990101002000";
const DISTRICT: &str = "990101000000";
const D: &str = "2026-06-30";

/// A valid ID number computed here (GB 11643 check character).
fn id(birth: &str, seq: u32) -> String {
    let first17 = format!("990101{}{seq:03}", birth.replace('-', ""));
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .bytes()
        .zip(W)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{first17}{check}")
}

fn mediator() -> String {
    id("1975-04-03", 11)
}
fn party_a() -> String {
    id("1980-02-29", 123)
}
const PHONE_A: &str = "13900001234";

/// A dispute of the fixture: number, village, found, status, concluded, outcome, risk.
struct J {
    no: &'static str,
    village: &'static str,
    found: &'static str,
    status: &'static str,
    concluded: &'static str,
    outcome: &'static str,
    risk: &'static str,
}

const DISPUTES: &[J] = &[
    // Found on F, resolved on T.
    J {
        no: "J1",
        village: VILLAGE,
        found: "2026-01-01",
        status: "已办结",
        concluded: D,
        outcome: "调解成功",
        risk: "中",
    },
    // Found the day before F, resolved on F.
    J {
        no: "J2",
        village: VILLAGE,
        found: "2025-12-31",
        status: "已办结",
        concluded: "2026-01-01",
        outcome: "调解成功",
        risk: "低",
    },
    // Found on T, open, 高 risk: the township's alert.
    J {
        no: "J3",
        village: VILLAGE,
        found: D,
        status: "待调解",
        concluded: "",
        outcome: "",
        risk: "高",
    },
    // Concluded but referred to a court: not resolved.
    J {
        no: "J4",
        village: VILLAGE,
        found: "2026-03-01",
        status: "已办结",
        concluded: "2026-03-05",
        outcome: "转诉讼",
        risk: "低",
    },
    // Resolved on 2026-03-05: not yet at T = 2026-03-04.
    J {
        no: "J5",
        village: VILLAGE,
        found: "2026-02-01",
        status: "已办结",
        concluded: "2026-03-05",
        outcome: "调解成功",
        risk: "低",
    },
    // Another township: 高 but concluded (no alert), resolved.
    J {
        no: "J6",
        village: OTHER_VILLAGE,
        found: "2026-02-02",
        status: "已办结",
        concluded: "2026-02-10",
        outcome: "调解成功",
        risk: "高",
    },
    // Another township: 高 and open.
    J {
        no: "J7",
        village: OTHER_VILLAGE,
        found: "2026-04-04",
        status: "调解中",
        concluded: "",
        outcome: "",
        risk: "高",
    },
];

fn s(v: &str) -> String {
    v.to_string()
}

fn registry_sheets() -> Vec<(&'static str, Vec<Vec<String>>)> {
    vec![
        ("户", rows(&[&["户编号", "所属区划编码"], &["H1", VILLAGE]])),
        (
            "人员",
            vec![
                vec![s("身份证号"), s("姓名"), s("户编号"), s("与户主关系")],
                vec![mediator(), s("调解员甲"), s("H1"), s("户主")],
            ],
        ),
        (
            "排查",
            rows(&[
                &["排查编号", "排查单位编码", "排查日期", "牵头人"],
                &["PC1", TOWNSHIP, "2025-12-01", "王五"],
                &["PC2", OTHER_TOWNSHIP, "2026-01-10", "赵六"],
            ]),
        ),
    ]
}

const DISPUTE_HEAD: [&str; 11] = [
    "纠纷编号",
    "村编码",
    "发现日期",
    "排查编号",
    "纠纷类型",
    "风险等级",
    "简要情况",
    "调解员身份证号",
    "状态",
    "办结日期",
    "调处结果",
];

fn fixture_book() -> Vec<u8> {
    let mut sheets = registry_sheets();
    let mut all = vec![DISPUTE_HEAD.map(String::from).to_vec()];
    all[0].push(s("协议内容"));
    for j in DISPUTES {
        let round = if j.village == VILLAGE { "PC1" } else { "PC2" };
        let round = if j.found < "2026-01-10" && j.village != VILLAGE {
            ""
        } else {
            round
        };
        all.push(vec![
            s(j.no),
            s(j.village),
            s(j.found),
            s(round),
            s("宅基地纠纷"),
            s(j.risk),
            format!("{}的纠纷", j.no),
            mediator(),
            s(j.status),
            s(j.concluded),
            s(j.outcome),
            if j.outcome == "调解成功" {
                s("一、双方和解；\n二、互不追究。")
            } else {
                String::new()
            },
        ]);
    }
    sheets.push(("矛盾纠纷", all));
    sheets.push((
        "纠纷当事人",
        vec![
            vec![
                s("纠纷编号"),
                s("当事人序号"),
                s("姓名"),
                s("身份证号"),
                s("联系电话"),
                s("当事人类型"),
            ],
            vec![
                s("J1"),
                s("1"),
                s("张甲"),
                party_a(),
                s(PHONE_A),
                s("申请人"),
            ],
            vec![s("J1"), s("2"), s("李乙"), s(""), s(""), s("被申请方")],
            vec![
                s("J7"),
                s("1"),
                s("王丙"),
                id("1990-01-01", 77),
                s(""),
                s("申请方"),
            ],
        ],
    ));
    sheets.push((
        "调解记录",
        vec![
            vec![
                s("纠纷编号"),
                s("调解序号"),
                s("调解日期"),
                s("调解地点"),
                s("调解员身份证号"),
                s("情况记录"),
            ],
            vec![
                s("J1"),
                s("1"),
                s("2026-01-05"),
                s("村调解室"),
                mediator(),
                s("听取双方陈述"),
            ],
        ],
    ));
    book(&sheets)
}

async fn import_ok(app: &TestApp, bytes: Vec<u8>) {
    match run(app, bytes, &opts()).await {
        ImportOutcome::Done { written: true, .. } => {}
        other => panic!("refused: {other:?}"),
    }
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// (found in [F, T], resolved in [F, T], found in [F, T] and resolved by T), counted here.
fn by_hand(prefix: &str, from: &str, to: &str) -> (i64, i64, i64) {
    let mine = || DISPUTES.iter().filter(|j| j.village.starts_with(prefix));
    let in_period = |d: &str| from <= d && d <= to;
    let found = mine().filter(|j| in_period(j.found)).count();
    let resolved = mine()
        .filter(|j| j.outcome == "调解成功" && in_period(j.concluded))
        .count();
    let both = mine()
        .filter(|j| in_period(j.found) && j.outcome == "调解成功" && j.concluded <= to)
        .count();
    (found as i64, resolved as i64, both as i64)
}

async fn dispute_id(app: &TestApp, no: &str) -> i64 {
    sqlx::Row::get(
        &sqlx::query("SELECT id FROM dispute WHERE dispute_no = $1")
            .bind(no.to_string())
            .fetch_one(&app.db().pool)
            .await
            .unwrap(),
        0,
    )
}

#[tokio::test]
async fn dispute_figures_equal_counts_made_by_hand_and_their_drill_downs() {
    let app = TestApp::new().await;
    import_ok(&app, fixture_book()).await;
    let pool = &app.db().pool;
    let ctx = RowCtx {
        as_of: date(D),
        scope: Scope::everything(),
    };
    let mut nonzero = 0;
    for (org, prefix) in [(TOWNSHIP, "990101001"), (DISTRICT, "990101")] {
        let unit = xingcun::org::get(pool, &Scope::everything(), org)
            .await
            .unwrap()
            .scope();
        for (from, to) in [
            ("2026-01-01", D),
            ("2026-01-01", "2026-03-04"),
            ("2026-01-01", "2026-03-05"),
            ("2026-01-01", "2026-01-01"),
            ("2026-03-05", D),
        ] {
            let dates = Dates {
                as_of: date(to),
                from: date(from),
                to: date(to),
            };
            let (found, resolved, both) = by_hand(prefix, from, to);
            nonzero += usize::from(found > 0) + usize::from(resolved > 0) + usize::from(both > 0);
            let fig = |key: &str| {
                let ind = xingcun::indicators::registry::find(key).unwrap();
                let unit = unit.clone();
                async move {
                    xingcun::indicators::figure(pool, ind, &unit, &dates)
                        .await
                        .unwrap()
                }
            };
            let list_len = |key: &str, side: Side| {
                let ind = xingcun::indicators::registry::find(key).unwrap();
                let unit = unit.clone();
                let ctx = ctx.clone();
                async move {
                    drill::table(
                        pool,
                        drill::population(ind, side),
                        &unit,
                        &dates,
                        &ctx,
                        0,
                        1000,
                    )
                    .await
                    .unwrap()
                    .rows
                    .len() as i64
                }
            };
            let at = format!("{org} {from}..{to}");
            assert_eq!(
                fig("governance.disputes_found").await,
                Figure::Count(found),
                "found {at}"
            );
            assert_eq!(
                list_len("governance.disputes_found", Side::Numerator).await,
                found
            );
            assert_eq!(
                fig("governance.disputes_resolved").await,
                Figure::Count(resolved),
                "resolved {at}"
            );
            assert_eq!(
                list_len("governance.disputes_resolved", Side::Numerator).await,
                resolved
            );
            match fig("governance.dispute_resolution_rate").await {
                Figure::Ratio(r) => {
                    assert_eq!((r.numerator, r.denominator), (both, found), "rate {at}")
                }
                other => panic!("{other:?}"),
            }
            assert_eq!(
                list_len("governance.dispute_resolution_rate", Side::Numerator).await,
                both
            );
            assert_eq!(
                list_len("governance.dispute_resolution_rate", Side::Denominator).await,
                found
            );
        }
    }
    assert!(nonzero >= 12, "the fixture exercises the figures");
    // Spelled out for the township over the year to D: J1, J3, J4, J5 found; J1, J2, J5
    // resolved; J1 and J5 of those found.
    assert_eq!(by_hand("990101001", "2026-01-01", D), (4, 3, 2));
}

/// Loads the registry sheets and J1, then `sheet` with one more data row, expecting a problem at
/// that row (row 2 of a one-row sheet, row 3 of 矛盾纠纷 after J1).
async fn refused_at(
    sheet: &'static str,
    head: &[&str],
    line: &[String],
    column: &str,
    words: &str,
) {
    let app = TestApp::new().await;
    let mut sheets = registry_sheets();
    let j1 = &DISPUTES[0];
    let mut disputes = vec![DISPUTE_HEAD.map(String::from).to_vec()];
    disputes.push(vec![
        s(j1.no),
        s(j1.village),
        s(j1.found),
        s("PC1"),
        s("邻里"),
        s("低"),
        s("纠纷"),
        mediator(),
        s(j1.status),
        s(j1.concluded),
        s(j1.outcome),
    ]);
    let mut all = vec![head.iter().map(|h| s(h)).collect::<Vec<_>>()];
    all.push(line.to_vec());
    let row = if sheet == "矛盾纠纷" {
        disputes.push(line.to_vec());
        3
    } else {
        2
    };
    sheets.push(("矛盾纠纷", disputes));
    if sheet != "矛盾纠纷" {
        sheets.retain(|(n, _)| *n != sheet);
        sheets.push((sheet, all));
    }
    match run(&app, book(&sheets), &opts()).await {
        ImportOutcome::Refused(problems) => assert!(
            problems.iter().any(|p| p.sheet == sheet
                && p.row == row
                && p.column.as_deref() == Some(column)
                && p.message.contains(words)),
            "expected {sheet} row {row} {column} 「{words}」, got {problems:?}"
        ),
        other => panic!("{line:?} was accepted: {other:?}"),
    }
}

#[tokio::test]
async fn sheet_rules_refuse_bad_rows_at_their_place() {
    let row = |village: &str,
               found: &str,
               round: &str,
               status: &str,
               done: &str,
               outcome: &str|
     -> Vec<String> {
        [
            "J9", village, found, round, "邻里", "低", "纠纷", "", status, done, outcome,
        ]
        .map(String::from)
        .to_vec()
    };
    let h = &DISPUTE_HEAD;
    refused_at(
        "矛盾纠纷",
        h,
        &row("990101009001", "2026-02-01", "", "待调解", "", ""),
        "村编码",
        "不存在",
    )
    .await;
    refused_at(
        "矛盾纠纷",
        h,
        &row(TOWNSHIP, "2026-02-01", "", "待调解", "", ""),
        "村编码",
        "不是行政村",
    )
    .await;
    refused_at(
        "矛盾纠纷",
        h,
        &row(
            VILLAGE,
            "2026-02-01",
            "",
            "已办结",
            "2026-01-31",
            "调解成功",
        ),
        "办结日期",
        "不能早于发现日期",
    )
    .await;
    refused_at(
        "矛盾纠纷",
        h,
        &row(VILLAGE, "2026-02-01", "", "调解中", "", "调解成功"),
        "调处结果",
        "须与办结日期同填",
    )
    .await;
    refused_at(
        "矛盾纠纷",
        h,
        &row(VILLAGE, "2026-02-01", "", "已办结", "", ""),
        "办结日期",
        "须填写办结日期",
    )
    .await;
    refused_at(
        "矛盾纠纷",
        h,
        &row(VILLAGE, "2026-02-01", "PC2", "待调解", "", ""),
        "排查编号",
        "不包含村",
    )
    .await;
    refused_at(
        "矛盾纠纷",
        h,
        &row(VILLAGE, "2026-02-01", "PC9", "待调解", "", ""),
        "排查编号",
        "不存在",
    )
    .await;
    refused_at(
        "矛盾纠纷",
        h,
        &row(VILLAGE, "2026-07-01", "", "待调解", "", ""),
        "发现日期",
        "不能晚于今天",
    )
    .await;
    let mut bad_type = row(VILLAGE, "2026-02-01", "", "待调解", "", "");
    bad_type[4] = s("吵架");
    refused_at("矛盾纠纷", h, &bad_type, "纠纷类型", "不是纠纷类型").await;
    let p_head = [
        "纠纷编号",
        "当事人序号",
        "姓名",
        "身份证号",
        "联系电话",
        "当事人类型",
    ];
    let mut bad_id = party_a();
    let last = bad_id.pop().unwrap();
    bad_id.push(if last == '0' { '1' } else { '0' });
    refused_at(
        "纠纷当事人",
        &p_head,
        &[s("J1"), s("1"), s("张甲"), bad_id, s(""), s("申请方")],
        "身份证号",
        "校验",
    )
    .await;
    refused_at(
        "纠纷当事人",
        &p_head,
        &[s("J1"), s("1"), s("张甲"), s(""), s("12345"), s("申请方")],
        "联系电话",
        "",
    )
    .await;
    refused_at(
        "纠纷当事人",
        &p_head,
        &[s("J99"), s("1"), s("张甲"), s(""), s(""), s("申请方")],
        "纠纷编号",
        "不存在",
    )
    .await;
    let s_head = ["纠纷编号", "调解序号", "调解日期", "调解员身份证号"];
    refused_at(
        "调解记录",
        &s_head,
        &[s("J1"), s("1"), s("2025-12-31"), s("")],
        "调解日期",
        "不能早于纠纷的发现日期",
    )
    .await;
    refused_at(
        "调解记录",
        &s_head,
        &[s("J1"), s("1"), s("2026-01-02"), id("1970-01-01", 99)],
        "调解员身份证号",
        "不存在",
    )
    .await;
    let r_head = ["排查编号", "排查单位编码", "排查日期"];
    refused_at(
        "排查",
        &r_head,
        &[s("PC5"), s(GRID_OF_VILLAGE), s("2026-01-01")],
        "排查单位编码",
        "不是乡镇",
    )
    .await;
}

const GRID_OF_VILLAGE: &str = "990101001001001";

#[tokio::test]
async fn a_partys_numbers_are_sealed_at_rest_and_the_same_workbook_twice_changes_nothing() {
    let app = TestApp::new().await;
    import_ok(&app, fixture_book()).await;
    let pool = &app.db().pool;
    let rows = sqlx::query(
        "SELECT id_enc, id_bidx, id_masked, phone_enc, phone_bidx, phone_masked, name
           FROM dispute_party ORDER BY id",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    assert_eq!(rows.len(), 3);
    let first = &rows[0];
    let get = |i: usize| -> Option<String> { sqlx::Row::get(first, i) };
    for i in 0..6 {
        let v = get(i).unwrap();
        assert!(
            !v.contains(&party_a()) && !v.contains(PHONE_A),
            "column {i} holds a plain number: {v}"
        );
    }
    assert_eq!(
        get(2).unwrap(),
        format!("{}**********{}", &party_a()[..4], &party_a()[14..])
    );
    assert_eq!(get(5).unwrap(), "139****1234");
    // The blind index finds the party by its number, as the registry's does.
    assert_eq!(
        get(1).unwrap(),
        xingcun::registry::personal::id_bidx(app.state.crypto(), &party_a())
    );
    // The party without numbers stores none.
    let second: Option<String> = sqlx::Row::get(&rows[1], 0);
    assert!(second.is_none());
    // No plain number anywhere in the audit trail either.
    let audit: Vec<String> =
        sqlx::query("SELECT changes FROM audit_log WHERE entity = 'dispute_party'")
            .fetch_all(pool)
            .await
            .unwrap()
            .iter()
            .map(|r| sqlx::Row::get::<String, _>(r, 0))
            .collect();
    assert!(!audit.is_empty());
    assert!(
        audit
            .iter()
            .all(|c| !c.contains(&party_a()) && !c.contains(PHONE_A))
    );
    match run(&app, fixture_book(), &opts()).await {
        ImportOutcome::Done { counts, .. } => {
            for (sheet, n) in [
                ("排查", 2),
                ("矛盾纠纷", DISPUTES.len()),
                ("纠纷当事人", 3),
                ("调解记录", 1),
            ] {
                let c = counts.iter().find(|c| c.0 == sheet).unwrap();
                assert_eq!((c.1, c.2, c.3), (0, 0, n), "{sheet}");
            }
        }
        other => panic!("refused on re-import: {other:?}"),
    }
}

#[tokio::test]
async fn pages_mask_a_partys_numbers_and_another_townships_dispute_is_not_found() {
    let app = TestApp::new().await;
    import_ok(&app, fixture_book()).await;
    let j1 = dispute_id(&app, "J1").await;
    let j7 = dispute_id(&app, "J7").await;
    let masked = format!("{}**********{}", &party_a()[..4], &party_a()[14..]);
    // A read-only account: masked on the dispute and on the agreement, and no way to unmask.
    let mut viewer = app.signed_in("chakan").await;
    let page = viewer.get(&format!("/governance/disputes/{j1}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains(&masked) && page.text.contains("139****1234"));
    assert!(!page.text.contains(&party_a()) && !page.text.contains(PHONE_A));
    assert!(page.text.contains("听取双方陈述"), "the sessions show");
    let agreement = viewer
        .get(&format!("/governance/disputes/{j1}/agreement"))
        .await;
    assert_eq!(agreement.status, StatusCode::OK);
    assert!(agreement.text.contains("人民调解协议书") && agreement.text.contains(&masked));
    assert!(!agreement.text.contains(&party_a()));
    assert!(
        !agreement.text.contains("reason"),
        "no unmask form for a viewer"
    );
    let refused = viewer
        .post_form(
            &format!("/governance/disputes/{j1}/agreement"),
            &[("reason", "打印协议")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // A township user may print the numbers whole with a reason, logged first.
    let mut town = app.signed_in("xiangzhen").await;
    let whole = town
        .post_form(
            &format!("/governance/disputes/{j1}/agreement"),
            &[("reason", "打印调解协议书")],
        )
        .await;
    assert_eq!(whole.status, StatusCode::OK, "{}", whole.text);
    assert!(whole.text.contains(&party_a()) && whole.text.contains(PHONE_A));
    let logged: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) FROM access_log WHERE subject = 'dispute_party'")
            .fetch_one(&app.db().pool)
            .await
            .unwrap(),
        0,
    );
    assert_eq!(
        logged, 2,
        "the ID and the phone of the one party that has them"
    );
    // Scope: another township's dispute is 404 on every page; the list leaves it out.
    for path in [
        format!("/governance/disputes/{j7}"),
        format!("/governance/disputes/{j7}/agreement"),
    ] {
        assert_eq!(
            town.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let list = town.get("/governance/disputes").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.text.contains("J1") && !list.text.contains("J7"));
    let high = town.get("/governance/disputes?risk=high&export=xlsx").await;
    assert_eq!(high.status, StatusCode::OK);
    assert!(high.bytes.starts_with(b"PK"), "an .xlsx");
    let rounds = town.get("/governance/rounds").await;
    assert_eq!(rounds.status, StatusCode::OK);
    assert!(rounds.text.contains("PC1") && !rounds.text.contains("PC2"));
    let filtered = town.get("/governance/disputes?risk=high").await;
    assert!(filtered.text.contains("J3") && !filtered.text.contains("J1<"));
}

#[tokio::test]
async fn a_high_risk_dispute_is_escalated_to_its_township() {
    let app = TestApp::new().await;
    import_ok(&app, fixture_book()).await;
    let pool = &app.db().pool;
    let township = xingcun::org::get(pool, &Scope::everything(), TOWNSHIP)
        .await
        .unwrap()
        .scope();
    let alerts = xingcun::outreach::alerts::alerts(pool, &township, date(D))
        .await
        .unwrap();
    let mine: Vec<_> = alerts
        .iter()
        .filter(|a| a.link.starts_with("/governance/disputes/"))
        .collect();
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(mine[0].unit_code, TOWNSHIP);
    assert!(mine[0].text.contains("J3"));
    let j3 = dispute_id(&app, "J3").await;
    assert_eq!(mine[0].link, format!("/governance/disputes/{j3}"));
    // The district sees J3 and J7 (J6 is concluded).
    let district = xingcun::org::get(pool, &Scope::everything(), DISTRICT)
        .await
        .unwrap()
        .scope();
    let all = xingcun::outreach::alerts::alerts(pool, &district, date(D))
        .await
        .unwrap();
    let units: Vec<&str> = all
        .iter()
        .filter(|a| a.link.starts_with("/governance/disputes/"))
        .map(|a| a.unit_code.as_str())
        .collect();
    assert_eq!(units, [OTHER_TOWNSHIP, TOWNSHIP]);
    // The outbox holds one message per escalation, addressed to the township, without numbers.
    let rows = sqlx::query(
        "SELECT org_code, payload FROM notification WHERE kind = 'dispute_high_risk' ORDER BY org_code",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let got: Vec<(String, String)> = rows
        .iter()
        .map(|r| (sqlx::Row::get(r, 0), sqlx::Row::get(r, 1)))
        .collect();
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].0, TOWNSHIP);
    assert!(got[0].1.contains("J3"));
    assert_eq!(got[1].0, OTHER_TOWNSHIP);
    assert!(got.iter().all(|(_, p)| !p.contains(&party_a())));
    // Importing again queues nothing more.
    import_again(&app).await;
    let n: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) FROM notification WHERE kind = 'dispute_high_risk'")
            .fetch_one(pool)
            .await
            .unwrap(),
        0,
    );
    assert_eq!(n, 2);
    // The township's alert page shows it.
    let mut town = app.signed_in("xiangzhen").await;
    let page = town.get("/alerts").await;
    assert!(page.text.contains("高风险矛盾纠纷"), "{}", page.text);
}

async fn import_again(app: &TestApp) {
    match run(app, fixture_book(), &opts()).await {
        ImportOutcome::Done { .. } => {}
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_township_export_with_disputes_imports_into_an_empty_database_and_exports_the_same() {
    use xingcun::workbook::export::export;
    let app = TestApp::new().await;
    import_ok(&app, fixture_book()).await;
    let unit = xingcun::org::get(&app.db().pool, &Scope::everything(), TOWNSHIP)
        .await
        .unwrap();
    let first = export(
        &app.db().pool,
        app.state.crypto(),
        &unit.scope(),
        Some(TOWNSHIP),
    )
    .await
    .unwrap();
    let empty = TestApp::empty().await;
    match run(&empty, first.clone(), &opts()).await {
        ImportOutcome::Done { written: true, .. } => {}
        other => panic!("the township's export is refused: {other:#?}"),
    }
    let again = xingcun::org::get(&empty.db().pool, &Scope::everything(), TOWNSHIP)
        .await
        .unwrap();
    let second = export(
        &empty.db().pool,
        empty.state.crypto(),
        &again.scope(),
        Some(TOWNSHIP),
    )
    .await
    .unwrap();
    let (a, b) = (
        crate::workbook::cells(&first),
        crate::workbook::cells(&second),
    );
    assert_eq!(a, b);
    let sheet = |name: &str| a.iter().find(|(s, _)| s == name).map(|(_, r)| r.len());
    // Header plus J1–J5; J1's two parties; one session; the township's round.
    assert_eq!(sheet("矛盾纠纷"), Some(6));
    assert_eq!(sheet("纠纷当事人"), Some(3));
    assert_eq!(sheet("调解记录"), Some(2));
    assert_eq!(sheet("排查"), Some(2));
}

#[tokio::test]
async fn a_dispute_is_recorded_through_its_form_with_the_sheets_rules() {
    let app = TestApp::new().await;
    import_ok(&app, fixture_book()).await;
    let mut c = app.signed_in("cungan").await;
    let page = c.get("/registry/disputes/new").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("纠纷类型"));
    let fields = |done: &'static str| {
        vec![
            ("纠纷编号", "J20"),
            ("村编码", VILLAGE),
            ("发现日期", "2026-02-01"),
            ("纠纷类型", "邻里"),
            ("风险等级", "高"),
            ("简要情况", "因排水沟发生争执"),
            ("状态", "已办结"),
            ("办结日期", done),
            ("调处结果", "调解成功"),
        ]
    };
    let res = c
        .post_form("/registry/disputes/new", &fields("2026-01-31"))
        .await;
    assert_ne!(res.status, StatusCode::SEE_OTHER);
    assert!(res.text.contains("不能早于发现日期"), "{}", res.text);
    let res = c
        .post_form("/registry/disputes/new", &fields("2026-02-03"))
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    let list = c.get("/governance/disputes?q=J20").await;
    assert!(list.text.contains("J20"));
}

//! Demands (诉求): the 诉求 sheet's rules and deadline rule, the demands.* indicators against
//! counts made by hand (dates on the edges of the period), and the closed loop over HTTP — a
//! villager files on the public page, the village accepts and concludes, the villager's
//! 不满意 reopens it, 满意 closes it — with transfers, returns, escalation, stale edits, scope,
//! rate limits and the notification outbox delivered once to a webhook.

use axum::http::StatusCode;
use chrono::NaiveDate;
use sqlx::Row;
use xingcun::demands::{self, DemandId, jobs, notify};
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

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Households for the demand rows.
fn households() -> (&'static str, Vec<Vec<String>>) {
    (
        "户",
        rows(&[
            &["户编号", "所属区划编码"],
            &["H1", GRID],
            &["H2", OTHER_VILLAGE],
        ]),
    )
}

const HEAD: &[&str] = &[
    "诉求编号",
    "所属区划编码",
    "户编号",
    "类别",
    "内容",
    "登记日期",
    "受理日期",
    "办理时限",
    "状态",
    "办结日期",
    "办理结果",
    "满意度",
];

fn demand_book(lines: &[&[&str]]) -> Vec<u8> {
    let mut all: Vec<&[&str]> = vec![HEAD];
    all.extend_from_slice(lines);
    book(&[households(), ("诉求", rows(&all))])
}

async fn import_ok(app: &TestApp, bytes: Vec<u8>) {
    match run(app, bytes, &opts()).await {
        ImportOutcome::Done { written: true, .. } => {}
        other => panic!("refused: {other:?}"),
    }
}

async fn stored(app: &TestApp, no: &str, col: &str) -> Option<String> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {col} FROM demand WHERE demand_no = $1"
    )))
    .bind(no.to_string())
    .fetch_one(&app.db().pool)
    .await
    .unwrap()
    .get(0)
}

#[tokio::test]
async fn an_empty_deadline_is_filled_by_working_days_once_and_kept_when_the_category_changes() {
    let app = TestApp::new().await;
    // Registered Wednesday 30 Sep 2026: 急 has 3 working days, which skip the National Day
    // holiday (1–7 Oct) and reach the make-up Saturday, 10 Oct.
    import_ok(
        &app,
        demand_book(&[&[
            "Q1",
            VILLAGE,
            "H1",
            "急",
            "停水",
            "2026-09-30",
            "",
            "",
            "待受理",
            "",
            "",
            "",
        ]]),
    )
    .await;
    assert_eq!(
        stored(&app, "Q1", "deadline_on").await.as_deref(),
        Some("2026-10-10")
    );
    // A change of 类别 with 办理时限 still empty does not move it.
    import_ok(
        &app,
        demand_book(&[&[
            "Q1",
            VILLAGE,
            "H1",
            "盼",
            "停水",
            "2026-09-30",
            "",
            "",
            "待受理",
            "",
            "",
            "",
        ]]),
    )
    .await;
    assert_eq!(
        stored(&app, "Q1", "category").await.as_deref(),
        Some("hoped_for")
    );
    assert_eq!(
        stored(&app, "Q1", "deadline_on").await.as_deref(),
        Some("2026-10-10")
    );
    // An edited holiday calendar moves the deadlines filled after it.
    let mut admin = app.signed_in("admin").await;
    let res = admin
        .post_form(
            "/admin/deadlines",
            &[
                ("year", "2026"),
                ("rule", "urgent=3,hard=15,worrying=10,hoped_for=20,other=10"),
                ("lines", "2026-10-08 holiday # 加放一天\n"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    import_ok(
        &app,
        demand_book(&[&[
            "Q2",
            VILLAGE,
            "H1",
            "急",
            "停水",
            "2026-09-30",
            "",
            "",
            "待受理",
            "",
            "",
            "",
        ]]),
    )
    .await;
    // The stored 2026 replaces the shipped one: 1–7 Oct are ordinary days now, 8 Oct is off.
    assert_eq!(
        stored(&app, "Q2", "deadline_on").await.as_deref(),
        Some("2026-10-05")
    );
}

#[tokio::test]
async fn the_demand_sheet_refuses_each_broken_rule_at_its_row_and_column() {
    let app = TestApp::new().await;
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &[
                "B1",
                "990199001001",
                "",
                "",
                "x",
                "2026-05-01",
                "",
                "",
                "待受理",
                "",
                "",
                "",
            ],
            "所属区划编码",
            "不存在",
        ),
        (
            &[
                "B2",
                TOWNSHIP,
                "",
                "",
                "x",
                "2026-05-01",
                "",
                "",
                "待受理",
                "",
                "",
                "",
            ],
            "所属区划编码",
            "不是行政村、社区或网格",
        ),
        (
            &[
                "B3",
                VILLAGE,
                "H2",
                "",
                "x",
                "2026-05-01",
                "",
                "",
                "待受理",
                "",
                "",
                "",
            ],
            "户编号",
            "不在",
        ),
        (
            &[
                "B4",
                VILLAGE,
                "",
                "",
                "x",
                "2026-05-01",
                "",
                "",
                "办理中",
                "",
                "",
                "",
            ],
            "受理日期",
            "须填写受理日期",
        ),
        (
            &[
                "B5",
                VILLAGE,
                "",
                "",
                "x",
                "2026-05-01",
                "2026-05-02",
                "",
                "办理中",
                "2026-05-03",
                "已解决",
                "",
            ],
            "办结日期",
            "办结日期应为空",
        ),
        (
            &[
                "B6",
                VILLAGE,
                "",
                "",
                "x",
                "2026-05-01",
                "2026-05-02",
                "",
                "已办结",
                "2026-05-03",
                "",
                "",
            ],
            "办理结果",
            "须填写办理结果",
        ),
        (
            &[
                "B7",
                VILLAGE,
                "",
                "",
                "x",
                "2026-05-01",
                "",
                "",
                "待受理",
                "",
                "",
                "满意",
            ],
            "满意度",
            "只随办结日期",
        ),
        (
            &[
                "B8",
                VILLAGE,
                "",
                "",
                "x",
                "2026-05-01",
                "2026-05-02",
                "",
                "已关闭",
                "2026-05-03",
                "已解决",
                "",
            ],
            "满意度",
            "须填写满意度",
        ),
        (
            &[
                "B9",
                VILLAGE,
                "",
                "",
                "x",
                "2026-05-01",
                "2026-05-02",
                "",
                "已关闭",
                "2026-05-03",
                "已解决",
                "不满意",
            ],
            "满意度",
            "不能关闭",
        ),
        (
            &[
                "B10",
                VILLAGE,
                "",
                "",
                "x",
                "2026-05-01",
                "2026-04-30",
                "",
                "办理中",
                "",
                "",
                "",
            ],
            "受理日期",
            "不能早于登记日期",
        ),
        (
            &[
                "B11",
                VILLAGE,
                "",
                "",
                "x",
                "2026-05-01",
                "2026-05-02",
                "",
                "已办结",
                "2026-05-01",
                "已解决",
                "",
            ],
            "办结日期",
            "不能早于受理日期",
        ),
    ];
    for (line, column, words) in cases {
        match run(&app, demand_book(&[line]), &opts()).await {
            ImportOutcome::Refused(problems) => {
                assert!(
                    problems.iter().any(|p| p.sheet == "诉求"
                        && p.row == 2
                        && p.column.as_deref() == Some(*column)
                        && p.message.contains(words)),
                    "{}: expected {column} 「{words}」, got {problems:?}",
                    line[0]
                );
            }
            other => panic!("{} was accepted: {other:?}", line[0]),
        }
    }
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM demand")
        .fetch_one(&app.db().pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 0, "nothing half-written");
}

/// Six demands around a period of 1 March – 31 March 2026, with the counts of each indicator
/// worked out by hand below.
fn period_book() -> Vec<u8> {
    demand_book(&[
        // Registered the day before F, concluded on F, on time, 满意 → closed.
        &[
            "P1",
            VILLAGE,
            "H1",
            "难",
            "a",
            "2026-02-28",
            "2026-02-28",
            "2026-03-10",
            "已关闭",
            "2026-03-01",
            "已解决",
            "满意",
        ],
        // Registered on F, concluded on T after its deadline, 不满意.
        &[
            "P2",
            GRID,
            "",
            "难",
            "b",
            "2026-03-01",
            "2026-03-01",
            "2026-03-20",
            "已办结",
            "2026-03-31",
            "已解决",
            "不满意",
        ],
        // Registered on T, concluded the day after T.
        &[
            "P3",
            VILLAGE,
            "",
            "难",
            "c",
            "2026-03-31",
            "2026-03-31",
            "2026-04-20",
            "已关闭",
            "2026-04-01",
            "已解决",
            "基本满意",
        ],
        // Concluded in the period as 解释说明, no verdict yet.
        &[
            "P4",
            VILLAGE,
            "",
            "盼",
            "d",
            "2026-03-05",
            "2026-03-05",
            "2026-03-30",
            "已办结",
            "2026-03-30",
            "解释说明",
            "",
        ],
        // Still being handled; registered in the period.
        &[
            "P5",
            VILLAGE,
            "",
            "愁",
            "e",
            "2026-03-15",
            "2026-03-16",
            "2026-04-01",
            "办理中",
            "",
            "",
            "",
        ],
        // Another township's village: outside the township scope below.
        &[
            "P6",
            OTHER_VILLAGE,
            "",
            "难",
            "f",
            "2026-03-10",
            "2026-03-10",
            "2026-03-30",
            "已办结",
            "2026-03-12",
            "已解决",
            "",
        ],
    ])
}

#[tokio::test]
async fn demand_figures_equal_counts_made_by_hand_and_their_drill_downs() {
    let app = TestApp::new().await;
    import_ok(&app, period_book()).await;
    let pool = &app.db().pool;
    let dates = Dates {
        as_of: date("2026-03-31"),
        from: date("2026-03-01"),
        to: date("2026-03-31"),
    };
    let township = xingcun::org::get(pool, &Scope::everything(), TOWNSHIP)
        .await
        .unwrap()
        .scope();
    let district = xingcun::org::get(pool, &Scope::everything(), "990101000000")
        .await
        .unwrap()
        .scope();
    // By hand, for the township (P1–P5):
    // received in [F,T]: P2, P3, P4, P5 = 4 (P1 is before F)
    // concluded in [F,T]: P1 (on F), P2 (on T), P4 = 3 (P3 is after T)
    // resolved: P1, P2 = 2 (P4 is 解释说明)
    // open at D = 31 Mar: P3 (concluded 1 Apr), P5 = 2
    // on time: P1 (3-01 ≤ 3-10), P4 (3-30 ≤ 3-30) of 3 concluded = 2/3
    // satisfaction: judged among concluded in [F,T]: P1 满意, P2 不满意 = 1/2
    let want_township: &[(&str, Figure)] = &[
        ("demands.received", Figure::Count(4)),
        ("demands.concluded", Figure::Count(3)),
        ("demands.resolved", Figure::Count(2)),
        ("demands.open", Figure::Count(2)),
    ];
    for (unit, extra) in [(&township, 0), (&district, 1)] {
        for (key, want) in want_township {
            let ind = xingcun::indicators::registry::find(key).unwrap();
            let got = xingcun::indicators::figure(pool, ind, unit, &dates)
                .await
                .unwrap();
            let want = match want {
                // P6 adds one received and one concluded, resolved demand for the district.
                Figure::Count(n) if *key != "demands.open" => Figure::Count(n + extra),
                other => *other,
            };
            assert_eq!(got, want, "{key} for {}", unit.prefix());
        }
    }
    let ratio = |key: &str| xingcun::indicators::registry::find(key).unwrap();
    match xingcun::indicators::figure(pool, ratio("demands.on_time_rate"), &township, &dates)
        .await
        .unwrap()
    {
        Figure::Ratio(r) => assert_eq!((r.numerator, r.denominator), (2, 3)),
        other => panic!("{other:?}"),
    }
    match xingcun::indicators::figure(pool, ratio("demands.satisfaction_rate"), &township, &dates)
        .await
        .unwrap()
    {
        Figure::Ratio(r) => assert_eq!((r.numerator, r.denominator), (1, 2)),
        other => panic!("{other:?}"),
    }
    // A period with nothing judged: the ratio has an empty denominator and no value.
    let empty = Dates {
        as_of: date("2026-01-31"),
        from: date("2026-01-01"),
        to: date("2026-01-31"),
    };
    match xingcun::indicators::figure(pool, ratio("demands.satisfaction_rate"), &township, &empty)
        .await
        .unwrap()
    {
        Figure::Ratio(r) => {
            assert_eq!((r.numerator, r.denominator), (0, 0));
            assert_eq!(r.value(), None);
        }
        other => panic!("{other:?}"),
    }
    // Every drill-down list is as long as its figure.
    let ctx = RowCtx {
        as_of: dates.as_of,
        scope: Scope::everything(),
    };
    for ind in xingcun::indicators::registry::INDICATORS
        .iter()
        .filter(|i| i.key.starts_with("demands."))
    {
        let fig = xingcun::indicators::figure(pool, ind, &township, &dates)
            .await
            .unwrap();
        let sides: Vec<(Side, i64)> = match fig {
            Figure::Count(n) => vec![(Side::Numerator, n)],
            Figure::Ratio(r) => {
                vec![
                    (Side::Numerator, r.numerator),
                    (Side::Denominator, r.denominator),
                ]
            }
            Figure::Mean(_) => unreachable!(),
        };
        for (side, n) in &sides {
            let pop = drill::population(ind, *side);
            let table = drill::table(pool, pop, &township, &dates, &ctx, 0, 1000)
                .await
                .unwrap();
            assert_eq!(table.rows.len() as i64, *n, "{} {:?}", ind.key, side);
        }
    }
}

/// The tracking number a public filing redirected to.
fn tracking_no(location: &str) -> String {
    location
        .trim_start_matches("/t/")
        .split('?')
        .next()
        .unwrap()
        .to_string()
}

async fn id_of(app: &TestApp, no: &str) -> i64 {
    sqlx::query("SELECT id FROM demand WHERE demand_no = $1")
        .bind(no.to_string())
        .fetch_one(&app.db().pool)
        .await
        .unwrap()
        .get(0)
}

async fn status(app: &TestApp, no: &str) -> String {
    stored(app, no, "status").await.unwrap()
}

/// A villager's browser: opens the village's page (which gives it its cookie and the form's
/// token) and posts the form as it stands.
async fn post_public(
    villager: &mut crate::harness::Client,
    fields: &[(&str, &str)],
) -> crate::harness::Res {
    let page = villager.get(&format!("/v/{VILLAGE}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let token = crate::harness::extract_csrf(&page.text).expect("the form carries a token");
    assert!(!token.is_empty());
    let mut all = vec![("_csrf", token.as_str())];
    all.extend_from_slice(fields);
    villager
        .post_form_raw(&format!("/v/{VILLAGE}/file"), &all)
        .await
}

async fn file_public(app: &TestApp, content: &str) -> String {
    let res = post_public(
        &mut app.client(),
        &[
            ("grid", GRID),
            ("category", "urgent"),
            ("field", "drinking_water"),
            ("content", content),
            ("contact_name", "刘大爷"),
            ("contact_phone", "13900001234"),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    assert!(res.location().ends_with("?new=1"), "{}", res.location());
    tracking_no(&res.location())
}

#[tokio::test]
async fn a_villagers_problem_goes_from_the_public_page_to_a_verdict_and_dissatisfaction_reopens_it()
{
    let app = TestApp::new().await;
    let page = app.client().get(&format!("/v/{VILLAGE}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("有事找谁"), "{}", page.text);
    let no = file_public(&app, "自来水停了两天").await;
    assert!(no.starts_with("SQ"), "{no}");
    let track = app.client().get(&format!("/t/{no}?new=1")).await;
    assert_eq!(track.status, StatusCode::OK);
    assert!(track.text.contains(&no) && track.text.contains("待受理"));
    // Neither the phone number nor the name is stored in the clear or shown on tracking.
    assert!(!track.text.contains("13900001234") && !track.text.contains("刘大爷"));
    assert_eq!(
        stored(&app, &no, "contact_phone_masked").await.as_deref(),
        Some("139****1234")
    );
    let id = id_of(&app, &no).await;
    // The village handles it (a grid's demand goes to its village).
    assert_eq!(
        stored(&app, &no, "handler_org_code").await.as_deref(),
        Some(VILLAGE)
    );
    let mut cungan = app.signed_in("cungan").await;
    let todo = cungan.get("/todo").await;
    assert!(todo.text.contains(&no), "to-do lists it");
    let act = |step: &'static str, extra: Vec<(&'static str, &'static str)>| {
        let mut f = vec![("step", step)];
        f.extend(extra);
        f
    };
    let res = cungan
        .post_form(&format!("/demands/{id}/act"), &act("accept", vec![]))
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    assert_eq!(status(&app, &no).await, "in_progress");
    // The demand's page shows its state and words, not codes.
    let page = cungan.get(&format!("/demands/{id}")).await;
    assert!(
        page.text.contains("data-testid=\"demand-status\">办理中"),
        "{}",
        page.text
    );
    assert!(page.text.contains("饮水安全") && page.text.contains("村务公开页"));
    // Accepting again is refused with the reason, and nothing changes.
    let res = cungan
        .post_form(&format!("/demands/{id}/act"), &act("accept", vec![]))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text.contains("不能受理"), "{}", res.text);
    let res = cungan
        .post_form(
            &format!("/demands/{id}/act"),
            &act(
                "conclude",
                vec![("outcome", "solved"), ("comment", "已更换水管")],
            ),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    assert_eq!(status(&app, &no).await, "concluded");
    // The villager is not satisfied: the demand is reopened with a fresh deadline.
    let mut villager = app.client();
    villager.get(&format!("/t/{no}")).await;
    let res = villager
        .post_form(
            &format!("/t/{no}/verdict"),
            &[("verdict", "dissatisfied"), ("comment", "水压还是不够")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    assert_eq!(status(&app, &no).await, "in_progress");
    assert_eq!(stored(&app, &no, "concluded_on").await, None);
    assert_eq!(stored(&app, &no, "satisfaction").await, None);
    let res = cungan
        .post_form(
            &format!("/demands/{id}/act"),
            &act(
                "conclude",
                vec![("outcome", "solved"), ("comment", "加装增压泵")],
            ),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    let res = villager
        .post_form(&format!("/t/{no}/verdict"), &[("verdict", "satisfied")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(status(&app, &no).await, "closed");
    assert_eq!(
        stored(&app, &no, "satisfaction").await.as_deref(),
        Some("satisfied")
    );
    // A closed demand takes no verdict any more.
    let res = villager
        .post_form(&format!("/t/{no}/verdict"), &[("verdict", "dissatisfied")])
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The log has every step, the tracking page shows them, the audit chain holds.
    let log = demands::events(&app.db().pool, DemandId(id), false)
        .await
        .unwrap();
    let steps: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        steps,
        [
            "file", "accept", "conclude", "reopen", "conclude", "verdict"
        ]
    );
    let track = app.client().get(&format!("/t/{no}")).await;
    assert!(track.text.contains("加装增压泵") && track.text.contains("已关闭"));
    assert!(matches!(
        xingcun::audit::verify(app.db()).await.unwrap(),
        xingcun::audit::Verification::Intact { .. }
    ));
    // The public page lists it as solved without its content.
    let page = app.client().get(&format!("/v/{VILLAGE}")).await;
    assert!(page.text.contains("饮水安全") && !page.text.contains("自来水停了两天"));
}

#[tokio::test]
async fn transfer_hands_a_demand_to_the_township_and_return_sends_it_back() {
    let app = TestApp::new().await;
    let no = file_public(&app, "村道塌陷需要乡里协调").await;
    let id = id_of(&app, &no).await;
    let mut cungan = app.signed_in("cungan").await;
    // A transfer needs a reason.
    let res = cungan
        .post_form(
            &format!("/demands/{id}/act"),
            &[("step", "transfer"), ("to_org", TOWNSHIP)],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text.contains("转办须说明理由"));
    let res = cungan
        .post_form(
            &format!("/demands/{id}/act"),
            &[
                ("step", "transfer"),
                ("to_org", TOWNSHIP),
                ("comment", "需乡镇统筹资金"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    assert_eq!(
        stored(&app, &no, "handler_org_code").await.as_deref(),
        Some(TOWNSHIP)
    );
    // The village can still read it, but no longer act on it.
    assert_eq!(
        cungan.get(&format!("/demands/{id}")).await.status,
        StatusCode::OK
    );
    let res = cungan
        .post_form(&format!("/demands/{id}/act"), &[("step", "accept")])
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let mut xiangzhen = app.signed_in("xiangzhen").await;
    assert!(xiangzhen.get("/todo").await.text.contains(&no));
    let res = xiangzhen
        .post_form(
            &format!("/demands/{id}/act"),
            &[("step", "return"), ("comment", "属村内事务，请村里先办")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    assert_eq!(
        stored(&app, &no, "handler_org_code").await.as_deref(),
        Some(VILLAGE)
    );
    assert_eq!(status(&app, &no).await, "pending");
    // A stale form (an old version) is refused.
    let res = cungan
        .post_form(
            &format!("/demands/{id}/act"),
            &[("step", "accept"), ("version", "1")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text.contains("已被他人更新"), "{}", res.text);
    assert_eq!(status(&app, &no).await, "pending");
}

#[tokio::test]
async fn a_demand_is_invisible_outside_the_scope_of_its_units() {
    let app = TestApp::new().await;
    let no = file_public(&app, "路灯坏了").await;
    let id = id_of(&app, &no).await;
    // A township user of township 002 (created here) sees nothing of township 001's demand.
    let other = xingcun::accounts::NewUser {
        username: "other".into(),
        display_name: "二号乡镇".into(),
        role: xingcun::accounts::Role::TownshipUser,
        org_code: "990101002000".into(),
        password: crate::harness::PASSWORD.into(),
        must_change_password: false,
    };
    xingcun::accounts::create_user(
        app.db(),
        app.state.crypto(),
        &Scope::everything(),
        &xingcun::audit::Actor::cli(),
        &other,
    )
    .await
    .unwrap();
    let mut c = app.signed_in("other").await;
    assert_eq!(
        c.get(&format!("/demands/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(!c.get("/demands").await.text.contains(&no));
    let res = c
        .post_form(&format!("/demands/{id}/act"), &[("step", "accept")])
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    // A party member may read but not act.
    let mut dangyuan = app.signed_in("dangyuan").await;
    let res = dangyuan
        .post_form(&format!("/demands/{id}/act"), &[("step", "accept")])
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_overdue_demand_escalates_to_the_township_then_to_the_district_once_each() {
    let app = TestApp::new().await;
    import_ok(
        &app,
        demand_book(&[&[
            "E1",
            VILLAGE,
            "",
            "急",
            "桥面破损",
            "2026-03-02",
            "",
            "",
            "待受理",
            "",
            "",
            "",
        ]]),
    )
    .await;
    sqlx::query("UPDATE demand SET handler_org_code = $1 WHERE demand_no = 'E1'")
        .bind(VILLAGE)
        .execute(&app.db().pool)
        .await
        .unwrap();
    // 急: 3 working days → Thursday 5 March.
    assert_eq!(
        stored(&app, "E1", "deadline_on").await.as_deref(),
        Some("2026-03-05")
    );
    let db = app.db();
    assert_eq!(
        jobs::escalate_overdue(db, date("2026-03-05"), 3)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        jobs::escalate_overdue(db, date("2026-03-06"), 3)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        stored(&app, "E1", "handler_org_code").await.as_deref(),
        Some(TOWNSHIP)
    );
    // Again the same day: nothing more.
    assert_eq!(
        jobs::escalate_overdue(db, date("2026-03-06"), 3)
            .await
            .unwrap(),
        0
    );
    // Three working days after the deadline is Tuesday 10 March; the day after, the district.
    assert_eq!(
        jobs::escalate_overdue(db, date("2026-03-10"), 3)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        jobs::escalate_overdue(db, date("2026-03-11"), 3)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        stored(&app, "E1", "handler_org_code").await.as_deref(),
        Some("990101000000")
    );
    assert_eq!(
        jobs::escalate_overdue(db, date("2026-04-30"), 3)
            .await
            .unwrap(),
        0
    );
    let kinds: Vec<String> = sqlx::query("SELECT kind FROM notification ORDER BY id")
        .fetch_all(&db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(kinds, ["escalated", "escalated"]);
}

#[tokio::test]
async fn public_filing_is_rate_limited_per_address() {
    let app = TestApp::with_config(|c| c.public_filings_per_hour = 2).await;
    file_public(&app, "一").await;
    file_public(&app, "二").await;
    let res = post_public(&mut app.client(), &[("content", "三")]).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    // A bad filing says which field is wrong and files nothing.
    let app = TestApp::new().await;
    let res = post_public(
        &mut app.client(),
        &[("content", ""), ("contact_phone", "12345")],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text.contains("请填写诉求内容"), "{}", res.text);
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM demand")
        .fetch_one(&app.db().pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 0);
}

/// A webhook receiver on a local port: answers 500 to the first `fail` requests, then 200,
/// and records the bodies of the ones it accepted.
async fn receiver(fail: usize) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let got = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = got.clone();
    tokio::spawn(async move {
        let mut n = 0;
        loop {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            loop {
                let k = s.read(&mut chunk).await.unwrap_or(0);
                if k == 0 {
                    break;
                }
                buf.extend_from_slice(&chunk[..k]);
                let text = String::from_utf8_lossy(&buf);
                if let Some((head, body)) = text.split_once("\r\n\r\n") {
                    let len: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("Content-Length: "))
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0);
                    if body.len() >= len {
                        break;
                    }
                }
            }
            n += 1;
            let text = String::from_utf8_lossy(&buf).to_string();
            let code = if n <= fail {
                "500 Internal Server Error"
            } else {
                "200 OK"
            };
            if n > fail {
                seen.lock()
                    .unwrap()
                    .push(text.split_once("\r\n\r\n").unwrap().1.to_string());
            }
            let _ = s
                .write_all(format!("HTTP/1.1 {code}\r\nContent-Length: 0\r\n\r\n").as_bytes())
                .await;
        }
    });
    (url, got)
}

#[tokio::test]
async fn notifications_wait_while_the_receiver_is_down_and_are_delivered_once() {
    let app = TestApp::new().await;
    let no = file_public(&app, "水井水质浑浊").await;
    let db = app.db();
    // Without a webhook the message waits.
    assert_eq!(notify::run_pending(db, None, "a").await.unwrap(), 0);
    let (url, got) = receiver(1).await;
    let hook = notify::Webhook {
        url,
        format: "json".into(),
    };
    // First attempt: the receiver fails; the message is kept and retried later.
    assert_eq!(notify::run_pending(db, Some(&hook), "a").await.unwrap(), 0);
    let (attempts, delivered): (i64, Option<i64>) = {
        let r = sqlx::query("SELECT attempts, delivered_at FROM notification")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        (r.get(0), r.get(1))
    };
    assert_eq!((attempts, delivered), (1, None));
    // Not due yet: nothing is sent.
    assert_eq!(notify::run_pending(db, Some(&hook), "a").await.unwrap(), 0);
    sqlx::query("UPDATE notification SET next_at = 0")
        .execute(&db.pool)
        .await
        .unwrap();
    // Two workers at once: the message goes out once.
    let (a, b) = tokio::join!(
        notify::run_pending(db, Some(&hook), "a"),
        notify::run_pending(db, Some(&hook), "b")
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    assert_eq!(notify::run_pending(db, Some(&hook), "a").await.unwrap(), 0);
    let bodies = got.lock().unwrap().clone();
    assert_eq!(bodies.len(), 1);
    let msg: serde_json::Value = serde_json::from_str(&bodies[0]).unwrap();
    assert_eq!(msg["demand_no"], no.as_str());
    assert_eq!(msg["kind"], "assigned");
    // No personal data in the message.
    assert!(!bodies[0].contains("13900001234") && !bodies[0].contains("刘大爷"));
    let log: i64 = sqlx::query("SELECT COUNT(*) FROM notification_attempt")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(log, 2, "each attempt is in the delivery log");
}

#[tokio::test]
async fn filings_arriving_together_are_committed_together_each_with_its_log_and_message() {
    let app = TestApp::new().await;
    let new = |i: usize| demands::NewDemand {
        org_code: if i.is_multiple_of(2) { GRID } else { VILLAGE }.into(),
        household_id: None,
        reporter_id: None,
        contact_name_enc: None,
        contact_phone: None,
        source: None,
        category: None,
        field: None,
        content: format!("第{i}件"),
        address: None,
        lat: None,
        lon: None,
        registered_on: date("2026-06-01"),
        channel: demands::Channel::Desk,
        visit_id: None,
    };
    let intake = app.state.intake().clone();
    let handles: Vec<_> = (0..60)
        .map(|i| {
            let intake = intake.clone();
            let n = new(i);
            tokio::spawn(async move { intake.file(n, xingcun::audit::Actor::system()).await })
        })
        .collect();
    let mut numbers = Vec::new();
    for h in handles {
        numbers.push(h.await.unwrap().unwrap().demand_no);
    }
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 60, "every filing has its own number");
    // A filing naming an unknown unit is refused, and the next one goes through.
    let mut bad = new(0);
    bad.org_code = "990101009999".into();
    let a = intake.file(bad, xingcun::audit::Actor::system()).await;
    let b = intake.file(new(1), xingcun::audit::Actor::system()).await;
    assert!(a.is_err() && b.is_ok(), "{a:?} {b:?}");
    let pool = &app.db().pool;
    for (table, n) in [("demand", 61), ("demand_event", 61), ("notification", 61)] {
        let got: i64 = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
            .fetch_one(pool)
            .await
            .unwrap()
            .get(0);
        assert_eq!(got, n, "{table}");
    }
    // A grid's demands are handled by its village; the deadline is filled by the rule.
    let handlers: i64 = sqlx::query(
        "SELECT COUNT(*) FROM demand WHERE handler_org_code = $1 AND deadline_on = '2026-06-15'",
    )
    .bind(VILLAGE)
    .fetch_one(pool)
    .await
    .unwrap()
    .get(0);
    assert_eq!(handlers, 61);
    assert!(matches!(
        xingcun::audit::verify(app.db()).await.unwrap(),
        xingcun::audit::Verification::Intact { .. }
    ));
}

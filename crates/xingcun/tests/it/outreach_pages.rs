//! Outreach pages: coverage gaps equal counts made independently from the stored rows (an
//! assignment ending on D does not cover, one starting on D does, a unit revoked by D is left
//! out), ending an assignment keeps its row, a party member sees and visits only their own
//! households, and the alerts list the fixture's gaps with links that open.

use axum::http::StatusCode;
use chrono::NaiveDate;
use sqlx::Row;
use xingcun::indicators::{Dates, Figure};
use xingcun::outreach::coverage::{self, Gap};
use xingcun::scope::Scope;
use xingcun::workbook::ImportOutcome;

use crate::harness::{PASSWORD, TestApp};
use crate::workbook::{book, id, opts, rows, run};

const TOWNSHIP: &str = "990101006000";
const EAST: &str = "990101006001";
const WEST: &str = "990101006002";
const SOUTH: &str = "990101006003";
const NORTH: &str = "990101006004";
const EAST_G1: &str = "990101006001001";
const EAST_G2: &str = "990101006001002";
const WEST_G1: &str = "990101006002001";
const D: &str = "2026-06-30";
const BEFORE_D: &str = "2026-06-29";

struct Ids {
    leader: String,
    staff: String,
    cadre: String,
    member: String,
    member2: String,
}

fn ids() -> Ids {
    Ids {
        leader: id("19700101", 21),
        staff: id("19800202", 23),
        cadre: id("19750303", 25),
        member: id("19650404", 27),
        member2: id("19660505", 29),
    }
}

/// 石门乡: 东村 and 西村 (行政村), 南村 (行政村, revoked on D), 北社区 (社区); 东村 has two
/// grids, 西村 one (revoked before D). Households H1 (东村一网格), H2 (东村), H3 (西村), H4
/// (西村, 注销 before D).
fn fixture() -> Vec<u8> {
    let p = ids();
    book(&[
        (
            "区划",
            rows(&[
                &["编码", "名称", "类型", "上级编码", "撤销日期"],
                &[TOWNSHIP, "石门乡", "乡镇", "990101000000", ""],
                &[EAST, "东村", "行政村", TOWNSHIP, ""],
                &[WEST, "西村", "行政村", TOWNSHIP, ""],
                &[SOUTH, "南村", "行政村", TOWNSHIP, D],
                &[NORTH, "北社区", "社区", TOWNSHIP, ""],
                &[EAST_G1, "东村一网格", "网格", EAST, ""],
                &[EAST_G2, "东村二网格", "网格", EAST, ""],
                &[WEST_G1, "西村一网格", "网格", WEST, "2026-01-01"],
            ]),
        ),
        (
            "户",
            rows(&[
                &["户编号", "所属区划编码", "注销日期"],
                &["H1", EAST_G1, ""],
                &["H2", EAST, ""],
                &["H3", WEST, ""],
                &["H4", WEST, "2026-03-01"],
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
        (
            "包村",
            rows(&[
                &["身份证号", "村编码", "开始日期", "结束日期"],
                // Ends on D: does not cover at D.
                &[&p.leader, EAST, "2025-01-01", D],
                // Starts on D: covers at D.
                &[&p.leader, WEST, D, ""],
            ]),
        ),
        (
            "驻村",
            rows(&[
                &["身份证号", "村编码", "开始日期", "专职", "派出单位"],
                &[&p.staff, EAST, "2025-01-01", "", ""],
                // Not full-time: no 专职驻村干部.
                &[&p.cadre, WEST, "2025-01-01", "否", "区农业农村局"],
            ]),
        ),
        (
            "入网",
            rows(&[
                &["身份证号", "网格编码", "开始日期"],
                &[&p.cadre, EAST_G1, D],
            ]),
        ),
        (
            "联户",
            rows(&[
                &["党员身份证号", "户编号", "开始日期", "结束日期"],
                &[&p.member, "H1", "2025-01-01", ""],
                &[&p.member2, "H2", "2025-01-01", D],
                &[&p.member2, "H3", D, ""],
            ]),
        ),
    ])
}

async fn app_with_fixture() -> TestApp {
    let app = TestApp::new().await;
    match run(&app, fixture(), &opts()).await {
        ImportOutcome::Done { written: true, .. } => {}
        other => panic!("fixture refused: {other:?}"),
    }
    app
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn township() -> Scope {
    Scope::with_prefix("990101006")
}

/// Active at `at`: started on or before it, not ended on or before it.
fn active(start: &str, end: Option<&str>, at: &str) -> bool {
    start <= at && end.is_none_or(|e| e > at)
}

fn alive(revoked: Option<&str>, at: &str) -> bool {
    revoked.is_none_or(|r| r > at)
}

/// Rows of `sql` as text columns (NULL as None).
async fn texts(app: &TestApp, sql: &str) -> Vec<Vec<Option<String>>> {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_all(&app.db().pool)
        .await
        .unwrap()
        .iter()
        .map(|r| {
            (0..r.len())
                .map(|i| r.get::<Option<String>, _>(i))
                .collect()
        })
        .collect()
}

/// The gaps counted here from plain reads of the tables and the date rules (the fixture's posts
/// and memberships hold throughout, so they are not looked at).
async fn independent(app: &TestApp, gap: Gap, at: &str) -> Vec<String> {
    let covered = |rows: &[Vec<Option<String>>]| -> Vec<String> {
        rows.iter()
            .filter(|r| active(r[1].as_deref().unwrap(), r[2].as_deref(), at))
            .map(|r| r[0].clone().unwrap())
            .collect()
    };
    let units = |kinds: &'static [&'static str]| async move {
        texts(
            app,
            "SELECT code, kind, revoked_on FROM org_unit WHERE code LIKE '990101006%' ORDER BY code",
        )
        .await
        .into_iter()
        .filter(|r| kinds.contains(&r[1].as_deref().unwrap()) && alive(r[2].as_deref(), at))
        .map(|r| r[0].clone().unwrap())
        .collect::<Vec<_>>()
    };
    let (all, cover) = match gap {
        Gap::NoContact => (
            units(&["admin_village", "community"]).await,
            covered(&texts(app, "SELECT org_code, starts_on, ends_on FROM village_contact").await),
        ),
        Gap::NoStationed => (
            units(&["admin_village", "community"]).await,
            covered(
                &texts(
                    app,
                    "SELECT org_code, starts_on, ends_on FROM stationing WHERE full_time = 1",
                )
                .await,
            ),
        ),
        Gap::NoGridCadre => (
            units(&["grid"]).await,
            covered(&texts(app, "SELECT org_code, starts_on, ends_on FROM grid_duty").await),
        ),
        Gap::NoLink => (
            texts(
                app,
                "SELECT household_no, deregistered_on FROM household WHERE org_code LIKE '990101006%'",
            )
            .await
            .into_iter()
            .filter(|r| alive(r[1].as_deref(), at))
            .map(|r| r[0].clone().unwrap())
            .collect(),
            covered(
                &texts(
                    app,
                    "SELECT h.household_no, l.starts_on, l.ends_on FROM household_link l
                     JOIN household h ON h.id = l.household_id",
                )
                .await,
            ),
        ),
    };
    let mut gaps: Vec<String> = all.into_iter().filter(|c| !cover.contains(c)).collect();
    gaps.sort();
    gaps
}

#[tokio::test]
async fn every_gap_list_equals_an_independent_count_including_the_edges() {
    let app = app_with_fixture().await;
    let pool = &app.db().pool;
    for at in [BEFORE_D, D] {
        for gap in Gap::ALL {
            let mut got: Vec<String> = coverage::gap_lines(pool, &township(), gap, day(at))
                .await
                .unwrap()
                .into_iter()
                .map(|l| l.code)
                .collect();
            got.sort();
            assert_eq!(got, independent(&app, gap, at).await, "{gap:?} at {at}");
        }
    }
    // The edges, by hand: at D 东村's 包村 has ended and 西村's has begun; 南村 is revoked on D.
    let at_d = |gap| async move {
        coverage::gap_lines(pool, &township(), gap, day(D))
            .await
            .unwrap()
            .into_iter()
            .map(|l| l.code)
            .collect::<Vec<_>>()
    };
    assert_eq!(at_d(Gap::NoContact).await, [EAST, NORTH]);
    assert_eq!(at_d(Gap::NoStationed).await, [WEST, NORTH]);
    assert_eq!(at_d(Gap::NoGridCadre).await, [EAST_G2]);
    assert_eq!(at_d(Gap::NoLink).await, ["H2"]);
    let before: Vec<String> = coverage::gap_lines(pool, &township(), Gap::NoContact, day(BEFORE_D))
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.code)
        .collect();
    assert_eq!(before, [WEST, SOUTH, NORTH]);
    // The gap of 包村 is the complement of the indicator's numerator within its denominator.
    let unit = xingcun::org::get(pool, &Scope::everything(), TOWNSHIP)
        .await
        .unwrap();
    let ind = xingcun::indicators::find("outreach.village_contact_coverage").unwrap();
    let dates = Dates {
        as_of: day(D),
        from: day(D),
        to: day(D),
    };
    match xingcun::indicators::figure(pool, ind, &unit.scope(), &dates)
        .await
        .unwrap()
    {
        Figure::Ratio(r) => assert_eq!(
            r.denominator - r.numerator,
            at_d(Gap::NoContact).await.len() as i64
        ),
        other => panic!("not a ratio: {other:?}"),
    }
}

#[tokio::test]
async fn the_coverage_page_counts_and_links_each_gap_to_its_form() {
    let app = app_with_fixture().await;
    let mut admin = app.signed_in("admin").await;
    let res = admin
        .get(&format!("/outreach/coverage?org={TOWNSHIP}&date={D}"))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    for (gap, n) in [
        ("no_contact", 2),
        ("no_stationed", 2),
        ("no_grid_cadre", 1),
        ("no_link", 1),
    ] {
        assert!(
            res.text.contains(&format!("data-gap=\"{gap}\">{n}</div>")),
            "{gap} {n}"
        );
    }
    // The prefilled form that closes a gap.
    let form = admin
        .get(&format!(
            "/registry/village-contacts/new?{}={NORTH}",
            xingcun::web::urlencode("村编码")
        ))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text.contains(&format!("value=\"{NORTH}\"")));
    // A unit outside the user's scope is not found.
    let mut cungan = app.signed_in("cungan").await;
    let res = cungan
        .get(&format!("/outreach/coverage?org={TOWNSHIP}"))
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_list_shows_its_records_and_exports_them() {
    let app = app_with_fixture().await;
    let mut admin = app.signed_in("admin").await;
    for (slug, needle) in [
        ("teams", None),
        ("team-members", None),
        ("contacts", Some("张乡")),
        ("stationings", Some("区农业农村局")),
        ("grid-duties", Some("东村一网格")),
        ("links", Some("钱党")),
        ("visits", None),
    ] {
        let res = admin.get(&format!("/outreach/{slug}?org={TOWNSHIP}")).await;
        assert_eq!(res.status, StatusCode::OK, "{slug}");
        if let Some(n) = needle {
            assert!(res.text.contains(n), "{slug} shows {n}");
        }
        let x = admin
            .get(&format!("/outreach/{slug}?org={TOWNSHIP}&export=xlsx"))
            .await;
        assert_eq!(x.status, StatusCode::OK, "{slug} export");
        assert!(x.bytes.starts_with(b"PK"), "{slug} export is a workbook");
    }
    // Current vs ended: 钱党's link to H2 ended on D (before today).
    let ended = admin.get("/outreach/links?status=ended").await;
    assert!(ended.text.contains("H2") && !ended.text.contains(">H1<"));
    let current = admin.get("/outreach/links?status=current").await;
    assert!(current.text.contains(">H1<") && !current.text.contains(">H2<"));
}

#[tokio::test]
async fn ending_an_assignment_keeps_the_row_with_its_end_date() {
    let app = app_with_fixture().await;
    let pool = &app.db().pool;
    let (id, before): (i64, i64) = {
        let r = sqlx::query(
            "SELECT id, (SELECT COUNT(*) FROM village_contact) FROM village_contact
             WHERE org_code = $1",
        )
        .bind(WEST)
        .fetch_one(pool)
        .await
        .unwrap();
        (r.get(0), r.get(1))
    };
    let mut admin = app.signed_in("admin").await;
    let page = admin.get(&format!("/outreach/contacts/end?id={id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    // An end date on or before the start is refused by the import's rule, nothing written.
    let bad = admin
        .post_form(
            "/outreach/contacts/end",
            &[("id", &id.to_string()), ("ends_on", "2026-01-01")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = admin
        .post_form(
            "/outreach/contacts/end",
            &[("id", &id.to_string()), ("ends_on", "2026-09-01")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    let r = sqlx::query(
        "SELECT ends_on, (SELECT COUNT(*) FROM village_contact) FROM village_contact WHERE id = $1",
    )
    .bind(id)
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(r.get::<Option<String>, _>(0).as_deref(), Some("2026-09-01"));
    assert_eq!(r.get::<i64, _>(1), before, "no row deleted");
    let audited: i64 = sqlx::query(
        "SELECT COUNT(*) FROM audit_log WHERE entity = 'village_contact' AND action = 'update'",
    )
    .fetch_one(pool)
    .await
    .unwrap()
    .get(0);
    assert!(audited >= 1, "the end is audited");
    // A record outside the user's scope is not found.
    let mut cungan = app.signed_in("cungan").await;
    let res = cungan.get(&format!("/outreach/contacts/end?id={id}")).await;
    assert_ne!(res.status, StatusCode::OK);
    // The edit form opens the record by its row id.
    let edit = admin
        .get(&format!("/registry/village-contacts/edit?key={id}"))
        .await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.text.contains("2026-09-01"));
}

/// A party-member account at 东村 linked to the person with this ID number.
async fn party_member(app: &TestApp, username: &str, id_number: &str) -> crate::harness::Client {
    let db = app.db();
    let crypto = app.state.crypto();
    let actor = xingcun::audit::Actor::system();
    let user = xingcun::accounts::create_user(
        db,
        crypto,
        &Scope::everything(),
        &actor,
        &xingcun::accounts::NewUser {
            username: username.into(),
            display_name: username.into(),
            role: xingcun::accounts::Role::PartyMember,
            org_code: TOWNSHIP.into(),
            password: PASSWORD.into(),
            must_change_password: false,
        },
    )
    .await
    .unwrap();
    let bidx = xingcun::registry::personal::id_bidx(crypto, id_number);
    let person: i64 = sqlx::query("SELECT id FROM person WHERE id_bidx = $1")
        .bind(bidx)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get(0);
    xingcun::accounts::link_person(db, crypto, &Scope::everything(), &actor, user, Some(person))
        .await
        .unwrap();
    app.signed_in(username).await
}

async fn household_id(app: &TestApp, no: &str) -> i64 {
    sqlx::query("SELECT id FROM household WHERE household_no = $1")
        .bind(no.to_string())
        .fetch_one(&app.db().pool)
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn a_party_member_sees_only_their_households_and_logs_a_visit() {
    let app = app_with_fixture().await;
    let p = ids();
    let mut zhao = party_member(&app, "zhaodang", &p.member).await;
    let mut qian = party_member(&app, "qiandang", &p.member2).await;
    let (h1, h2, h3) = (
        household_id(&app, "H1").await,
        household_id(&app, "H2").await,
        household_id(&app, "H3").await,
    );
    let list = zhao.get("/my/households").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.text.contains(&format!("/my/households/{h1}")));
    assert!(!list.text.contains(&format!("/my/households/{h3}")));
    let list = qian.get("/my/households").await;
    // 钱党's link to H2 ended on D; that to H3 is today's.
    assert!(list.text.contains(&format!("/my/households/{h3}")));
    assert!(!list.text.contains(&format!("/my/households/{h2}")));
    // Another member's household is not found, to look at or to visit.
    assert_eq!(
        zhao.get(&format!("/my/households/{h3}")).await.status,
        StatusCode::NOT_FOUND
    );
    let res = zhao
        .post_form(
            &format!("/my/households/{h3}/visits"),
            &[("visited_on", ""), ("notes", "x")],
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    // A visit logged today counts in outreach.visits for today.
    let pool = &app.db().pool;
    let today = xingcun::dates::today();
    let dates = Dates {
        as_of: today,
        from: today,
        to: today,
    };
    let ind = xingcun::indicators::find("outreach.visits").unwrap();
    let visits = || async {
        match xingcun::indicators::figure(pool, ind, &township(), &dates)
            .await
            .unwrap()
        {
            Figure::Count(n) => n,
            other => panic!("not a count: {other:?}"),
        }
    };
    let before = visits().await;
    let form = zhao.get(&format!("/my/households/{h1}")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.text.contains(&today.to_string()),
        "date defaults to today"
    );
    let res = zhao
        .post_form(
            &format!("/my/households/{h1}/visits"),
            &[
                ("visited_on", &today.to_string()),
                ("notes", "门前路灯坏了"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    assert!(res.location().starts_with("/my/households?logged=ZF"));
    assert_eq!(visits().await, before + 1);
    let row = sqlx::query(
        "SELECT v.notes, v.visited_on, v.org_code FROM visit v WHERE v.household_id = $1",
    )
    .bind(h1)
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(
        row.get::<Option<String>, _>(0).as_deref(),
        Some("门前路灯坏了")
    );
    assert_eq!(row.get::<String, _>(1), today.to_string());
    assert_eq!(row.get::<String, _>(2), EAST_G1);
    // The list shows the visit as the household's last.
    let list = zhao.get("/my/households").await;
    assert!(list.text.contains(&today.to_string()));
    // A date after today is refused, nothing written.
    let tomorrow = today.succ_opt().unwrap().to_string();
    let res = zhao
        .post_form(
            &format!("/my/households/{h1}/visits"),
            &[("visited_on", &tomorrow), ("notes", "")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(visits().await, before + 1);
    // An account not linked to a person has no households: back to the list, which says so.
    let mut dangyuan = app.signed_in("dangyuan").await;
    let res = dangyuan.get("/my/households").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(!res.text.contains("/my/households/"));
    let res = dangyuan.get(&format!("/my/households/{h1}")).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location(), "/my/households");
    let res = dangyuan
        .post_form(&format!("/my/households/{h1}/visits"), &[("notes", "x")])
        .await;
    assert_eq!(res.location(), "/my/households");
    assert_eq!(visits().await, before + 1, "nothing written");
}

#[tokio::test]
async fn the_household_page_shows_its_linked_members_and_visits() {
    let app = app_with_fixture().await;
    let mut admin = app.signed_in("admin").await;
    let h2 = household_id(&app, "H2").await;
    let res = admin.get(&format!("/households/{h2}")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.text.contains("钱党"), "ended link still listed");
    assert!(res.text.contains(D));
}

#[tokio::test]
async fn alerts_list_the_fixtures_gaps_with_links_that_open() {
    let app = app_with_fixture().await;
    let pool = &app.db().pool;
    let alerts = xingcun::outreach::alerts::alerts(pool, &township(), day(D))
        .await
        .unwrap();
    let mut gap_lines = 0;
    for gap in Gap::ALL {
        gap_lines += coverage::gap_lines(pool, &township(), gap, day(D))
            .await
            .unwrap()
            .len();
    }
    // No village of the fixture has a college-educated cadre: 东村 and 西村 (南村 is revoked,
    // 北社区 is a community).
    let college: Vec<&str> = alerts
        .iter()
        .filter(|a| a.kind.contains("大学生"))
        .map(|a| a.unit_code.as_str())
        .collect();
    assert_eq!(college, [EAST, WEST]);
    assert_eq!(alerts.len(), gap_lines + college.len());
    assert_eq!(
        xingcun::outreach::alerts::count_alerts(pool, &township(), day(D))
            .await
            .unwrap(),
        alerts.len()
    );
    let mut admin = app.signed_in("admin").await;
    for a in &alerts {
        let res = admin.get(&a.link).await;
        assert_eq!(res.status, StatusCode::OK, "{} → {}", a.text, a.link);
    }
    let page = admin
        .get(&format!("/alerts?org={TOWNSHIP}&per_page=200"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    for a in &alerts {
        assert!(page.text.contains(&a.text), "{}", a.text);
    }
    let x = admin
        .get(&format!("/alerts?org={TOWNSHIP}&export=xlsx"))
        .await;
    assert!(x.bytes.starts_with(b"PK"));
}

//! 四、深化社会治理's events and 五、强化作风建设 (法律进农村, 移风易俗, 理论学习, 监督检查发现问题,
//! 先进典型): the sheets refuse bad rows at their place; the governance.law_outreach_events,
//! governance.civility_events and conduct.* figures equal counts made here from the fixture's
//! own records (dates on the edges of F and T), with drill-down lists as long as the figures;
//! the overdue-finding alert, the lists, an exemplar's page, a form and the export round trip.

use axum::http::StatusCode;
use chrono::NaiveDate;
use xingcun::indicators::drill::{self, Side};
use xingcun::indicators::{Dates, Figure, RowCtx};
use xingcun::scope::Scope;
use xingcun::workbook::ImportOutcome;

use crate::harness::TestApp;
use crate::workbook::{book, opts, run};

const VILLAGE: &str = "990101001001";
const GRID: &str = "990101001001001";
const TOWNSHIP: &str = "990101001000";
const OTHER_VILLAGE: &str = "990101002001";
const DISTRICT: &str = "990101000000";
/// The import's today, and T.
const D: &str = "2026-06-30";

/// (number, unit, date)
const LAW: &[(&str, &str, &str)] = &[
    ("FZ1", VILLAGE, "2026-01-01"),
    ("FZ2", GRID, D),
    ("FZ3", VILLAGE, "2025-12-31"),
    ("FZ4", OTHER_VILLAGE, "2026-03-01"),
    ("FZ5", TOWNSHIP, "2026-02-01"),
];
const CIVILITY: &[(&str, &str, &str)] = &[
    ("YF1", GRID, "2026-01-01"),
    ("YF2", OTHER_VILLAGE, D),
    ("YF3", VILLAGE, "2026-06-29"),
];
/// Party orgs: (code, kind, parent, unit).
const ORGS: &[(&str, &str, &str, &str)] = &[
    ("PT", "党委", "", TOWNSHIP),
    ("PV", "党支部", "PT", VILLAGE),
    ("PO", "党支部", "PT", OTHER_VILLAGE),
];
/// (number, party org, date); the session lies in the org's unit.
const SESSIONS: &[(&str, &str, &str)] = &[
    ("XX1", "PV", "2026-01-01"),
    ("XX2", "PT", D),
    ("XX3", "PO", "2026-02-02"),
    ("XX4", "PV", "2025-12-31"),
    ("XX5", "PV", "2026-01-02"),
];
/// (number, unit, found, deadline, rectified)
const FINDINGS: &[(&str, &str, &str, &str, &str)] = &[
    ("JD1", VILLAGE, "2026-01-01", "2026-02-01", ""),
    ("JD2", VILLAGE, D, "2026-07-30", D),
    ("JD3", OTHER_VILLAGE, "2026-03-01", "2026-04-01", ""),
    ("JD4", GRID, "2025-12-31", "2026-01-10", "2026-01-05"),
    ("JD5", TOWNSHIP, "2026-06-29", D, ""),
];
/// The person DX1 names.
const PERSON: &str = "11010519491231002X";
/// (number, unit, published)
const EXEMPLARS: &[(&str, &str, &str)] = &[
    ("DX1", VILLAGE, "2026-01-01"),
    ("DX2", OTHER_VILLAGE, D),
    ("DX3", TOWNSHIP, "2025-12-31"),
];

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

fn unit_of_org(code: &str) -> &'static str {
    ORGS.iter().find(|o| o.0 == code).unwrap().3
}

fn fixture() -> Vec<(&'static str, Vec<Vec<String>>)> {
    let mut orgs = vec![s(&[
        "组织编码",
        "名称",
        "类型",
        "上级组织编码",
        "所在区划编码",
    ])];
    for (c, k, p, u) in ORGS {
        orgs.push(s(&[c, &format!("组织{c}"), k, p, u]));
    }
    let events = |rows: &[(&str, &str, &str)]| {
        let mut all = vec![s(&[
            "活动编号",
            "所属区划编码",
            "活动日期",
            "地点",
            "主题",
            "参加人数",
        ])];
        for (no, u, d) in rows {
            all.push(s(&[no, u, d, "党群服务中心", &format!("主题{no}"), "40"]));
        }
        all
    };
    let mut sessions = vec![s(&["学习编号", "组织编码", "学习日期", "主题", "参加人数"])];
    for (no, o, d) in SESSIONS {
        sessions.push(s(&[no, o, d, "党纪学习", "15"]));
    }
    let mut findings = vec![s(&[
        "问题编号",
        "所属区划编码",
        "发现日期",
        "检查来源",
        "问题描述",
        "整改时限",
        "整改完成日期",
    ])];
    for (no, u, f, dl, r) in FINDINGS {
        findings.push(s(&[no, u, f, "专项督查", &format!("问题{no}"), dl, r]));
    }
    let mut exemplars = vec![s(&[
        "典型编号",
        "所属区划编码",
        "事迹标题",
        "发布日期",
        "事迹",
        "身份证号",
    ])];
    for (no, u, d) in EXEMPLARS {
        // DX1 is a person whose household lies in another village.
        let person = if *no == "DX1" { PERSON } else { "" };
        exemplars.push(s(&[
            no,
            u,
            &format!("典型{no}"),
            d,
            &format!("{no}第一段事迹。\n{no}第二段事迹。"),
            person,
        ]));
    }
    vec![
        ("党组织", orgs),
        (
            "户",
            vec![s(&["户编号", "所属区划编码"]), s(&["H9", OTHER_VILLAGE])],
        ),
        (
            "人员",
            vec![
                s(&["身份证号", "姓名", "户编号", "与户主关系"]),
                s(&[PERSON, "王芳", "H9", "户主"]),
            ],
        ),
        ("法律进农村", events(LAW)),
        ("移风易俗", events(CIVILITY)),
        ("理论学习", sessions),
        ("监督检查发现问题", findings),
        ("先进典型", exemplars),
    ]
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn within(d: &str, from: &str, to: &str) -> bool {
    from <= d && d <= to
}

/// The figures counted here from the constants above, for an org prefix and [F, T].
fn by_hand(prefix: &str, from: &str, to: &str) -> [(&'static str, i64); 5] {
    let n = |rows: &[(&str, &str, &str)]| {
        rows.iter()
            .filter(|(_, u, d)| u.starts_with(prefix) && within(d, from, to))
            .count() as i64
    };
    let sessions = SESSIONS
        .iter()
        .filter(|(_, o, d)| unit_of_org(o).starts_with(prefix) && within(d, from, to))
        .count() as i64;
    let findings = FINDINGS
        .iter()
        .filter(|f| f.1.starts_with(prefix) && within(f.2, from, to))
        .count() as i64;
    [
        ("governance.law_outreach_events", n(LAW)),
        ("governance.civility_events", n(CIVILITY)),
        ("conduct.study_sessions", sessions),
        ("conduct.supervision_findings", findings),
        ("conduct.exemplars", n(EXEMPLARS)),
    ]
}

async fn import_ok(app: &TestApp) {
    match run(app, book(&fixture()), &opts()).await {
        ImportOutcome::Done { written: true, .. } => {}
        other => panic!("refused: {other:?}"),
    }
}

#[tokio::test]
async fn event_and_conduct_figures_equal_counts_made_by_hand_and_their_drill_downs() {
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
        for (from, to) in [("2026-01-01", D), ("2026-01-02", "2026-06-29")] {
            let dates = Dates {
                as_of: date(to),
                from: date(from),
                to: date(to),
            };
            for (key, want) in by_hand(prefix, from, to) {
                let ind = xingcun::indicators::registry::find(key).unwrap();
                let got = xingcun::indicators::figure(pool, ind, &unit, &dates)
                    .await
                    .unwrap();
                assert_eq!(got, Figure::Count(want), "{key} for {org} in {from}..{to}");
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
                assert_eq!(table.rows.len() as i64, want, "{key} list for {org}");
            }
        }
    }
    assert!(nonzero >= 20, "the fixture exercises the figures");
    // The edges, spelled out for the township over the half year: FZ1 (F), FZ2 (T), FZ5; YF1,
    // YF3; XX1, XX2, XX5 (XX4 before F, XX3 elsewhere); JD1, JD2, JD5; DX1.
    assert_eq!(
        by_hand("990101001", "2026-01-01", D).map(|(_, n)| n),
        [3, 2, 3, 3, 1]
    );
}

/// Imports the fixture's party orgs and one `sheet` row, expecting a problem at that row.
async fn refused_at(sheet: &str, head: &[&str], line: &[&str], column: &str, words: &str) {
    let app = TestApp::new().await;
    let orgs = fixture().remove(0);
    let all = vec![s(head), s(line)];
    let name: &'static str = match sheet {
        "法律进农村" => "法律进农村",
        "移风易俗" => "移风易俗",
        "理论学习" => "理论学习",
        "监督检查发现问题" => "监督检查发现问题",
        _ => "先进典型",
    };
    match run(&app, book(&[orgs, (name, all)]), &opts()).await {
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
async fn sheet_rules_refuse_bad_event_and_conduct_rows_at_their_place() {
    let ev = ["活动编号", "所属区划编码", "活动日期", "主题", "参加人数"];
    refused_at(
        "法律进农村",
        &ev,
        &["FZ9", "990101009001", "2026-01-05", "讲座", "10"],
        "所属区划编码",
        "不存在",
    )
    .await;
    refused_at(
        "移风易俗",
        &ev,
        &["YF9", VILLAGE, "2026-07-01", "倡议", "10"],
        "活动日期",
        "不能晚于今天",
    )
    .await;
    refused_at(
        "法律进农村",
        &ev,
        &["FZ9", VILLAGE, "2026-01-05", "讲座", "十人"],
        "参加人数",
        "非负整数",
    )
    .await;
    refused_at(
        "理论学习",
        &["学习编号", "组织编码", "学习日期", "主题"],
        &["XX9", "P404", "2026-01-05", "党纪学习"],
        "组织编码",
        "不存在",
    )
    .await;
    let fi = [
        "问题编号",
        "所属区划编码",
        "发现日期",
        "问题描述",
        "整改时限",
        "整改完成日期",
    ];
    refused_at(
        "监督检查发现问题",
        &fi,
        &[
            "JD9",
            VILLAGE,
            "2026-03-01",
            "问题",
            "2026-04-01",
            "2026-02-28",
        ],
        "整改完成日期",
        "不能早于发现日期",
    )
    .await;
    refused_at(
        "监督检查发现问题",
        &fi,
        &["JD9", VILLAGE, "2026-03-01", "问题", "2026-02-01", ""],
        "整改时限",
        "不能早于发现日期",
    )
    .await;
    refused_at(
        "先进典型",
        &[
            "典型编号",
            "所属区划编码",
            "身份证号",
            "事迹标题",
            "发布日期",
        ],
        &["DX9", VILLAGE, "11010519491231002X", "标题", "2026-01-05"],
        "身份证号",
        "不存在",
    )
    .await;
}

#[tokio::test]
async fn a_finding_open_past_its_deadline_is_an_alert_until_rectified() {
    let app = TestApp::new().await;
    import_ok(&app).await;
    let pool = &app.db().pool;
    let township = xingcun::org::get(pool, &Scope::everything(), TOWNSHIP)
        .await
        .unwrap()
        .scope();
    let texts = |alerts: Vec<xingcun::outreach::alerts::Alert>| -> Vec<String> {
        alerts
            .into_iter()
            .filter(|a| a.kind == "超期未整改的监督检查问题")
            .map(|a| a.text)
            .collect()
    };
    // At D: JD1 (deadline 2026-02-01) only; JD5's deadline is D itself, JD3 is elsewhere.
    let at_d = texts(
        xingcun::outreach::alerts::alerts(pool, &township, date(D))
            .await
            .unwrap(),
    );
    assert_eq!(at_d.len(), 1, "{at_d:?}");
    assert!(at_d[0].contains("JD1"));
    // The day after, JD5 too.
    let later = texts(
        xingcun::outreach::alerts::alerts(pool, &township, date("2026-07-01"))
            .await
            .unwrap(),
    );
    assert_eq!(later.len(), 2, "{later:?}");
    // Rectifying JD1 through the import clears it.
    let fix = vec![
        s(&[
            "问题编号",
            "所属区划编码",
            "发现日期",
            "问题描述",
            "整改完成日期",
        ]),
        s(&["JD1", VILLAGE, "2026-01-01", "问题JD1", "2026-06-01"]),
    ];
    assert!(matches!(
        run(&app, book(&[("监督检查发现问题", fix)]), &opts()).await,
        ImportOutcome::Done { written: true, .. }
    ));
    let after = texts(
        xingcun::outreach::alerts::alerts(pool, &township, date(D))
            .await
            .unwrap(),
    );
    assert!(after.is_empty(), "{after:?}");
}

fn exported(bytes: &[u8], sheet: &str) -> Vec<String> {
    let mut r = xingcun_xlsx::WorkbookReader::open_bytes(bytes.to_vec()).unwrap();
    let rows: Vec<_> = r.rows(sheet).unwrap().collect::<Result<_, _>>().unwrap();
    let mut firsts: Vec<String> = rows
        .iter()
        .skip(1)
        .map(|(_, c)| match &c[0] {
            xingcun_xlsx::Cell::Text(s) => s.clone(),
            other => format!("{other:?}"),
        })
        .collect();
    firsts.sort();
    firsts
}

#[tokio::test]
async fn the_lists_filter_within_the_users_scope_and_an_exemplar_shows_its_story() {
    let app = TestApp::new().await;
    import_ok(&app).await;
    let mut village = app.signed_in("cungan").await;
    let page = village.get("/events/law-outreach").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("FZ1") && !page.text.contains("FZ4"));
    assert!(page.text.contains("export=xlsx"));
    let all = village.get("/events/law-outreach?export=xlsx").await;
    assert_eq!(exported(&all.bytes, "法律进农村"), ["FZ1", "FZ2", "FZ3"]);
    let range = village
        .get("/events/law-outreach?from=2026-01-01&to=2026-06-29&export=xlsx")
        .await;
    assert_eq!(exported(&range.bytes, "法律进农村"), ["FZ1"]);
    let mut town = app.signed_in("xiangzhen").await;
    let overdue = town
        .get("/conduct/findings?status=overdue&export=xlsx")
        .await;
    // Open past the deadline by today (after the fixture's dates): JD1 and JD5.
    assert_eq!(exported(&overdue.bytes, "监督检查发现问题"), ["JD1", "JD5"]);
    let sessions = town.get("/conduct/study-sessions?export=xlsx").await;
    assert_eq!(
        exported(&sessions.bytes, "理论学习"),
        ["XX1", "XX2", "XX4", "XX5"]
    );
    let civ = town.get("/events/civility").await;
    assert_eq!(civ.status, StatusCode::OK);
    // For a writer, a record's number opens its edit form, 新增 its create form, and the
    // records that keep photos link to them; the export is named by the list, its sheet by
    // the import sheet.
    let mut admin = app.signed_in("admin").await;
    for (path, slug, no, photos, sheet, title) in [
        (
            "/events/law-outreach",
            "law-outreach-events",
            "FZ1",
            Some("law_event"),
            "法律进农村",
            "法律进农村活动",
        ),
        (
            "/conduct/findings",
            "supervision-findings",
            "JD1",
            Some("finding"),
            "监督检查发现问题",
            "监督检查发现问题",
        ),
        (
            "/conduct/exemplars",
            "exemplars",
            "DX1",
            None,
            "先进典型",
            "先进典型",
        ),
    ] {
        let res = admin.get(path).await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
        let html = res.text.replace("&#x2f;", "/").replace("&amp;", "&");
        assert!(
            html.contains(&format!("/registry/{slug}/edit?key={no}\"")),
            "{path}"
        );
        assert!(html.contains(&format!("/registry/{slug}/new\"")), "{path}");
        match photos {
            Some(kind) => assert!(html.contains(&format!("/attachments?kind={kind}&key={no}\""))),
            None => assert!(!html.contains("/attachments?"), "{path}"),
        }
        let res = admin.get(&format!("{path}?export=xlsx")).await;
        let names = xingcun_xlsx::WorkbookReader::open_bytes(res.bytes.clone())
            .unwrap()
            .sheet_names();
        assert_eq!(names, vec![sheet.to_string()], "{path}");
        let disposition = res.headers["content-disposition"].to_str().unwrap();
        let file = xingcun::web::urlencode(&format!("{title}.xlsx"));
        assert!(disposition.ends_with(&file), "{disposition}");
    }
    let id = |no: &str| {
        let app = &app;
        let no = no.to_string();
        async move {
            let r = sqlx::query("SELECT id FROM exemplar WHERE exemplar_no = $1")
                .bind(no)
                .fetch_one(&app.db().pool)
                .await
                .unwrap();
            sqlx::Row::get::<i64, _>(&r, 0)
        }
    };
    let dx1 = village
        .get(&format!("/conduct/exemplars/{}", id("DX1").await))
        .await;
    assert_eq!(dx1.status, StatusCode::OK);
    assert!(dx1.text.contains("DX1第一段事迹。") && dx1.text.contains("DX1第二段事迹。"));
    assert!(dx1.text.contains("王芳"), "the exemplar's person");
    let dx2 = village
        .get(&format!("/conduct/exemplars/{}", id("DX2").await))
        .await;
    assert_eq!(
        dx2.status,
        StatusCode::NOT_FOUND,
        "another village's exemplar"
    );
    let list = village.get("/conduct/exemplars").await;
    assert!(list.text.contains("典型DX1") && !list.text.contains("典型DX2"));
    let bad = village.get("/conduct/findings?from=2026-13-01").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_event_is_recorded_through_its_form_with_the_sheets_rules() {
    let app = TestApp::new().await;
    let mut c = app.signed_in("cungan").await;
    let page = c.get("/registry/law-outreach-events/new").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("活动编号"));
    let fields = |unit: &'static str| {
        vec![
            ("活动编号", "FZ100"),
            ("所属区划编码", unit),
            ("活动日期", "2026-03-03"),
            ("主题", "民法典宣讲"),
            ("参加人数", "56"),
        ]
    };
    let res = c
        .post_form("/registry/law-outreach-events/new", &fields("990101009001"))
        .await;
    assert_ne!(res.status, StatusCode::SEE_OTHER);
    assert!(res.text.contains("不存在"), "{}", res.text);
    let res = c
        .post_form("/registry/law-outreach-events/new", &fields(VILLAGE))
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    let list = c.get("/events/law-outreach").await;
    assert!(list.text.contains("FZ100") && list.text.contains("民法典宣讲"));
    let audited: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) FROM audit_log WHERE entity = 'law_outreach_event'")
            .fetch_one(&app.db().pool)
            .await
            .unwrap(),
        0,
    );
    assert_eq!(audited, 1);
    // The edit form opens on the stored record.
    let edit = c.get("/registry/law-outreach-events/edit?key=FZ100").await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.text.contains("民法典宣讲"));
}

#[tokio::test]
async fn events_and_conduct_records_export_and_import_again_to_the_same_cells() {
    let app = TestApp::new().await;
    import_ok(&app).await;
    // The same sheets again change nothing.
    match run(&app, book(&fixture()), &opts()).await {
        ImportOutcome::Done { counts, .. } => {
            for c in &counts {
                assert_eq!((c.1, c.2), (0, 0), "{}", c.0);
            }
        }
        other => panic!("refused on re-import: {other:?}"),
    }
    let mine = [
        "法律进农村",
        "移风易俗",
        "理论学习",
        "监督检查发现问题",
        "先进典型",
    ];
    let total = crate::industry_more::round_trip(&app, &mine, &[None, Some(VILLAGE)]).await;
    assert_eq!(
        total[0],
        LAW.len() + CIVILITY.len() + SESSIONS.len() + FINDINGS.len() + EXEMPLARS.len()
    );
    // The village's own: FZ1, FZ2, FZ3; YF1, YF3; XX1, XX4, XX5; JD1, JD2, JD4; DX1.
    assert_eq!(total[1], 3 + 2 + 3 + 3 + 1);
}

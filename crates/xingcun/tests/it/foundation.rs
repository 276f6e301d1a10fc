//! The platform's frame: health, pages, the API envelope, OpenAPI, the audit chain, config docs.

use axum::http::StatusCode;
use xingcun::router::ROUTES;

use crate::harness::TestApp;

#[tokio::test]
async fn health_and_readiness_answer_without_sign_in() {
    let app = TestApp::empty().await;
    let mut c = app.client();
    assert_eq!(c.get("/healthz").await.text, "ok");
    assert_eq!(c.get("/readyz").await.status, StatusCode::OK);
}

#[tokio::test]
async fn pages_need_a_session_and_redirect_to_sign_in() {
    let app = TestApp::new().await;
    let mut c = app.client();
    let res = c.get("/org-units?kind=grid").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location(), "/login?next=%2Forg-units%3Fkind%3Dgrid");
    let login = c.get("/login").await;
    assert!(login.text.contains("用户登录"), "{}", login.text);
}

#[tokio::test]
async fn the_demo_administrator_signs_in_and_sees_the_chinese_shell() {
    let app = TestApp::new().await;
    let mut c = app.signed_in("admin").await;
    let res = c.get("/dashboard").await;
    assert_eq!(res.status, StatusCode::OK);
    for word in [
        "兴和区",
        "筑先锋堡垒",
        "抓队伍建设",
        "做强产业支撑",
        "深化社会治理",
        "强化作风建设",
        "退出登录",
    ] {
        assert!(res.text.contains(word), "dashboard lacks {word}");
    }
    assert!(res.text.contains(">70<"), "70 villages shown");
    let en = {
        c.cookies.insert("xc_lang".into(), "en".into());
        c.get("/dashboard").await
    };
    assert!(en.text.contains("Strong party branches") && en.text.contains("Sign out"));
}

#[tokio::test]
async fn every_page_carries_the_security_headers_and_no_store() {
    let app = TestApp::new().await;
    let mut c = app.signed_in("admin").await;
    let res = c.get("/org-units").await;
    let h = |k: &str| {
        res.headers
            .get(k)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    assert!(h("content-security-policy").contains("frame-ancestors 'none'"));
    assert!(!h("content-security-policy").contains("unsafe-inline"));
    assert_eq!(h("x-content-type-options"), "nosniff");
    assert_eq!(h("cache-control"), "no-store");
    assert_eq!(h("referrer-policy"), "same-origin");
}

#[tokio::test]
async fn the_org_tree_page_lists_townships_and_villages() {
    let app = TestApp::new().await;
    let mut c = app.signed_in("admin").await;
    let res = c.get("/org-units/tree").await;
    assert_eq!(res.status, StatusCode::OK);
    for name in ["青山镇", "东湖乡", "王家庄村", "孟家屯村"] {
        assert!(res.text.contains(name), "tree lacks {name}");
    }
    let village = c.get("/org-units/990101001001").await;
    assert!(village.text.contains("第四网格") && village.text.contains("青山镇"));
}

#[tokio::test]
async fn the_org_list_filters_paginates_and_exports() {
    let app = TestApp::new().await;
    let mut c = app.signed_in("admin").await;
    let res = c.get("/org-units?kind=admin_village&per_page=10").await;
    assert!(res.text.contains("共 70 条"), "{}", res.text);
    assert!(res.text.contains("1 / 7"));
    let grids = c.get("/org-units?kind=grid&parent=990101002003").await;
    assert!(grids.text.contains("共 4 条"));
    let empty = c.get("/org-units?q=不存在的村").await;
    assert!(empty.text.contains("暂无数据"));
    let xlsx = c.get("/org-units?kind=township&export=xlsx").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert_eq!(&xlsx.bytes[..2], b"PK");
    let mut reader = xingcun_xlsx::WorkbookReader::open_bytes(xlsx.bytes.clone()).unwrap();
    let rows: Vec<_> = reader
        .rows("区划")
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), 6, "header + 5 townships");
}

#[tokio::test]
async fn api_errors_use_the_one_envelope() {
    let app = TestApp::new().await;
    let mut c = app.client();
    let res = c.get("/api/v1/me").await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.json()["error"]["code"], "unauthenticated");
    c.bearer = Some("xc_wrong".into());
    assert_eq!(
        c.get("/api/v1/org-units").await.json()["error"]["code"],
        "unauthenticated"
    );
    let mut admin = app.signed_in("admin").await;
    let missing = admin.get("/api/v1/org-units/990101009001").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["error"]["code"], "not_found");
    let unknown = admin.get("/api/v1/nothing-here").await;
    assert_eq!(unknown.json()["error"]["code"], "not_found");
}

#[tokio::test]
async fn api_tokens_authenticate_and_revoked_tokens_do_not() {
    let app = TestApp::new().await;
    let uid = xingcun::accounts::find_user_id(&app.db().pool, "xiangzhen")
        .await
        .unwrap()
        .unwrap();
    let (id, token) = xingcun::accounts::create_token(app.db(), uid, "test")
        .await
        .unwrap();
    let mut c = app.client();
    c.bearer = Some(token);
    let me = c.get("/api/v1/me").await;
    assert_eq!(me.json()["org_code"], "990101001000");
    assert_eq!(me.json()["role"], "township_user");
    let page = c.get("/api/v1/org-units?kind=admin_village").await.json();
    assert_eq!(page["total"], 14);
    assert!(xingcun::accounts::revoke_token(app.db(), id).await.unwrap());
    assert_eq!(c.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn every_api_route_is_in_the_openapi_document() {
    let doc: serde_json::Value = serde_json::from_str(xingcun::api::OPENAPI).unwrap();
    let paths = doc["paths"].as_object().unwrap();
    for (method, path) in ROUTES
        .iter()
        .filter(|(_, p)| p.starts_with("/api/v1/") && *p != "/api/v1/openapi.json")
    {
        let op = paths.get(*path).and_then(|p| p.get(method.to_lowercase()));
        assert!(op.is_some(), "{method} {path} missing from openapi.json");
    }
    let app = TestApp::new().await;
    let served = app.client().get("/api/v1/openapi.json").await.json();
    assert_eq!(served["openapi"], "3.1.0");
    let mut c = app.signed_in("admin").await;
    let docs = c.get("/api/docs").await.text;
    assert!(
        docs.contains("org-units") && docs.contains("{code}") && docs.contains("单个区划"),
        "{docs}"
    );
}

#[tokio::test]
async fn every_listed_get_route_answers_the_administrator() {
    let app = TestApp::new().await;
    // Detail routes take `{id}` = 1: the registry fixture's first household, person and org.
    crate::registry_fixture::load(&app).await;
    let mut c = app.signed_in("admin").await;
    // `{token}`: a workbook the administrator uploaded, waiting for confirmation.
    let template = xingcun::workbook::export::template().unwrap();
    let upload = c
        .post_multipart("/imports", &[], &[("file", "t.xlsx", &template)])
        .await;
    let token = crate::imports::token_in(&upload.text);
    // `/reports/{id}`: a report template with id 1.
    xingcun::reports::store::create(
        app.db(),
        &xingcun::scope::Scope::everything(),
        &xingcun::audit::Actor::system(),
        "990101000000",
        "模板",
        "# 报告",
    )
    .await
    .unwrap();
    // `/demands/{id}` and `/t/{no}`: a demand with id 1.
    let filed = app
        .state
        .intake()
        .file(
            xingcun::demands::NewDemand {
                org_code: "990101001001".into(),
                household_id: None,
                reporter_id: None,
                contact_name_enc: None,
                contact_phone: None,
                source: None,
                category: None,
                field: None,
                content: "路灯不亮".into(),
                address: None,
                lat: None,
                lon: None,
                registered_on: xingcun::dates::today(),
                channel: xingcun::demands::Channel::Desk,
                visit_id: None,
            },
            xingcun::audit::Actor::system(),
        )
        .await
        .unwrap();
    assert_eq!(filed.id.0, 1);
    // `/attachments/{id}`: a photo of a tourism project, with id 1.
    sqlx::query(
        "INSERT INTO tourism_project (project_no, name, org_code, starts_on, created_at, updated_at)
         VALUES ('LY1', '农家乐', '990101001001', '2025-01-01', 0, 0)",
    )
    .execute(&app.db().pool)
    .await
    .unwrap();
    let photo = c
        .post_multipart(
            "/attachments?kind=tourism&key=LY1",
            &[],
            &[("file", "a.png", b"\x89PNG\r\n\x1a\n")],
        )
        .await;
    assert_eq!(
        photo.status,
        axum::http::StatusCode::SEE_OTHER,
        "{}",
        photo.text
    );
    // `/talent/reserve/{id}`: a pool entry with id 1; `/talent/trainings/{no}`: a training
    // numbered like the demand.
    sqlx::query(
        "INSERT INTO reserve_talent (person_id, org_code, source, readiness, starts_on, created_at, updated_at)
         VALUES (1, '990101001001', 'select', 'ready', '2025-01-01', 0, 0)",
    )
    .execute(&app.db().pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO training (training_no, org_code, title, starts_on, created_at, updated_at)
         VALUES ($1, '990101001000', '培训班', '2026-01-01', 0, 0)",
    )
    .bind(filed.demand_no.clone())
    .execute(&app.db().pool)
    .await
    .unwrap();
    // `/branches/…/{no}`: a project, a case, an honour (of person 1, for `/branches/roll/{id}`),
    // an assessment and a contest numbered like the demand.
    for sql in [
        "INSERT INTO practical_project (project_no, org_code, name, status, created_at, updated_at)
         VALUES ($1, '990101001001', '路灯', 'planned', 0, 0)",
        "INSERT INTO rectification (case_no, party_org_id, org_code, found_on, reasons, created_at, updated_at)
         SELECT $1, MIN(id), '990101001001', '2025-01-01', '软弱涣散', 0, 0 FROM party_org",
        "INSERT INTO honor (honor_no, kind, person_id, org_code, status, nominated_on, created_at, updated_at)
         VALUES ($1, 'good_secretary', 1, '990101001001', 'nominated', '2025-01-01', 0, 0)",
        "INSERT INTO branch_assessment (assessment_no, party_org_id, org_code, assessed_on, result, created_at, updated_at)
         SELECT $1, MIN(id), '990101001001', '2025-01-01', 'passed', 0, 0 FROM party_org",
        "INSERT INTO contest (contest_no, title, held_on, org_code, status, created_at, updated_at)
         VALUES ($1, '擂台赛', '2025-01-01', '990101000000', 'draft', 0, 0)",
    ] {
        sqlx::query(sql)
            .bind(filed.demand_no.clone())
            .execute(&app.db().pool)
            .await
            .unwrap();
    }
    // `/conduct/exemplars/{id}`: an exemplar with id 1.
    sqlx::query(
        "INSERT INTO exemplar (exemplar_no, org_code, title, published_on, story, created_at, updated_at)
         VALUES ('DX1', '990101001001', '带富能手', '2026-01-01', '事迹', 0, 0)",
    )
    .execute(&app.db().pool)
    .await
    .unwrap();
    // `/governance/disputes/{id}` and its agreement: a mediated dispute with id 1.
    sqlx::query(
        "INSERT INTO dispute (dispute_no, org_code, found_on, kind, risk, summary, status, outcome,
                              concluded_on, agreement, created_at, updated_at)
         VALUES ('JF1', '990101001001', '2026-01-01', 'neighbours', 'low', '邻里纠纷', 'concluded',
                 'mediated', '2026-01-05', '双方和解', 0, 0)",
    )
    .execute(&app.db().pool)
    .await
    .unwrap();
    // The district's data manager: the administrators' own pages are walked by
    // `security::every_route_answers_every_role_as_declared`.
    let admin_may = |m: &str, p: &str| match xingcun::router::route_access(m, p) {
        Some(xingcun::router::Access::Needs(perm)) => {
            xingcun::accounts::Role::DistrictAdmin.can(perm)
        }
        _ => true,
    };
    for (method, path) in ROUTES
        .iter()
        .filter(|(m, p)| *m == "GET" && admin_may(m, p))
    {
        let concrete = path
            .replace("{token}", &token)
            .replace("{code}", "990101001001")
            .replace("{file}", "app.css")
            .replace("{lang}", "zh")
            .replace("{key}", "talent.committee_avg_age")
            .replace("{id}", "1")
            .replace("{no}", &filed.demand_no);
        let res = c.get(&concrete).await;
        assert!(
            res.status.is_success() || res.status.is_redirection(),
            "{method} {path} → {}",
            res.status
        );
    }
}

#[tokio::test]
async fn writes_leave_an_intact_audit_chain_and_tampering_breaks_it() {
    let app = TestApp::new().await;
    let mut c = app.signed_in("xitong").await;
    let res = c
        .post_form(
            "/admin/users/new",
            &[
                ("username", "lisi"),
                ("display_name", "李四"),
                ("role", "village_user"),
                ("org_code", "990101002003"),
                ("password", "Good-pass-2026"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    let v = xingcun::audit::verify(app.db()).await.unwrap();
    let xingcun::audit::Verification::Intact { rows } = v else {
        panic!("chain broken: {v:?}")
    };
    assert!(
        rows > 300,
        "org units, accounts, sign-in and the new user are audited: {rows}"
    );
    let n: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) FROM audit_log WHERE entity = 'user' AND changes LIKE '%990101002003%'")
            .fetch_one(&app.db().pool)
            .await
            .unwrap(),
        0,
    );
    assert_eq!(n, 1);
    sqlx::query("UPDATE audit_log SET actor_name = 'someone else' WHERE id = 5")
        .execute(&app.db().pool)
        .await
        .unwrap();
    assert_eq!(
        xingcun::audit::verify(app.db()).await.unwrap(),
        xingcun::audit::Verification::Broken { first_bad_id: 5 }
    );
}

#[tokio::test]
async fn every_configuration_option_is_documented() {
    use clap::CommandFactory;
    let doc = include_str!("../../../../docs/configuration.md");
    let cmd = xingcun::cli::Cli::command();
    let mut missing = Vec::new();
    let mut check = |arg: &clap::Arg| {
        if let Some(env) = arg.get_env() {
            let env = env.to_string_lossy().to_string();
            if !doc.contains(&format!("`{env}`")) {
                missing.push(env);
            }
        }
    };
    cmd.get_arguments().for_each(&mut check);
    for sub in cmd.get_subcommands() {
        sub.get_arguments().for_each(&mut check);
        for subsub in sub.get_subcommands() {
            subsub.get_arguments().for_each(&mut check);
        }
    }
    assert!(
        missing.is_empty(),
        "undocumented in docs/configuration.md: {missing:?}"
    );
}

#[tokio::test]
async fn the_dashboard_shows_registry_counts_and_the_units_figures_linking_to_their_records() {
    let app = TestApp::new().await;
    crate::workbook::run(
        &app,
        crate::workbook::valid_book(),
        &crate::workbook::opts(),
    )
    .await;
    let mut c = app.signed_in("cungan").await;
    let res = c.get("/dashboard").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.text.contains("王家庄村"), "the village user's own unit");
    // 2 households and 3 people of the workbook live in the village (the fourth person has no household).
    assert!(
        res.text
            .contains(r#"<div class="stat-value">2</div><div class="stat-label">农户</div>"#),
        "{}",
        res.text
    );
    assert!(
        res.text
            .contains(r#"<div class="stat-value">3</div><div class="stat-label">人员</div>"#)
    );
    assert!(res.text.contains("专业化管理村(社区)党组织书记数"));
    // Links are HTML-escaped (`/` → `&#x2f;`); the key is in the figure's link.
    assert!(
        res.text
            .contains("indicators&#x2f;talent.professional_secretaries?"),
        "{}",
        res.text
    );
}

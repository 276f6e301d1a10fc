//! The security controls: 三员分立, the TOTP second factor, masking with an access log, sign-in
//! rate limits, the authorisation matrix over every route, retention, and no plaintext personal
//! numbers in the database files.

use axum::http::StatusCode;
use xingcun::accounts::{NewUser, Role};
use xingcun::audit::Actor;
use xingcun::router::{Access, ROUTES, route_access};
use xingcun::scope::Scope;

use crate::harness::{Client, PASSWORD, TestApp, demo_totp_code};

async fn user_id(app: &TestApp, username: &str) -> i64 {
    xingcun::accounts::find_user_id(&app.db().pool, username)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no account {username}"))
}

async fn version_of(app: &TestApp, id: i64) -> i64 {
    sqlx::Row::get(
        &sqlx::query("SELECT version FROM app_user WHERE id = $1")
            .bind(id)
            .fetch_one(&app.db().pool)
            .await
            .unwrap(),
        0,
    )
}

async fn role_of(app: &TestApp, username: &str) -> String {
    sqlx::Row::get(
        &sqlx::query("SELECT role FROM app_user WHERE username = $1")
            .bind(username.to_string())
            .fetch_one(&app.db().pool)
            .await
            .unwrap(),
        0,
    )
}

/// The security administrator (`anquan`) gives `username` a role and unit through the page.
pub async fn assign_role(app: &TestApp, username: &str, role: &str, org: &str) {
    let id = user_id(app, username).await;
    let version = version_of(app, id).await.to_string();
    let mut anquan = app.signed_in("anquan").await;
    let res = anquan
        .post_form(
            &format!("/admin/users/{id}/edit"),
            &[
                ("display_name", "ignored"),
                ("role", role),
                ("org_code", org),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    assert_eq!(role_of(app, username).await, role);
}

#[tokio::test]
async fn the_three_administrators_each_do_only_their_part() {
    let app = TestApp::new().await;
    let mut xitong = app.signed_in("xitong").await;
    // The system administrator creates an account; whatever role the form names, it starts
    // with none.
    let made = xitong
        .post_form(
            "/admin/users/new",
            &[
                ("username", "zhouqi"),
                ("display_name", "周七"),
                ("role", "district_admin"),
                ("org_code", "990101001000"),
                ("password", "First-pass-26"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.text);
    assert_eq!(role_of(&app, "zhouqi").await, "unassigned");
    let id = user_id(&app, "zhouqi").await;
    // …and cannot give it a role by editing it either.
    let v = version_of(&app, id).await.to_string();
    let edit = xitong
        .post_form(
            &format!("/admin/users/{id}/edit"),
            &[
                ("display_name", "周七七"),
                ("role", "district_admin"),
                ("org_code", "990101000000"),
                ("version", &v),
            ],
        )
        .await;
    assert_eq!(edit.status, StatusCode::SEE_OTHER, "{}", edit.text);
    let u = xingcun::accounts::get_user(&app.db().pool, &Scope::everything(), id)
        .await
        .unwrap();
    assert_eq!(
        (u.display_name.as_str(), u.role),
        ("周七七", Role::Unassigned)
    );
    assert_eq!(u.org_code, "990101001000");
    // An unassigned account may do nothing with the records.
    let mut zhouqi = app.client();
    zhouqi.login("zhouqi", "First-pass-26").await;
    zhouqi
        .post_form(
            "/account/password",
            &[
                ("current", "First-pass-26"),
                ("new", "Second-pass-26"),
                ("confirm", "Second-pass-26"),
            ],
        )
        .await;
    assert_eq!(
        zhouqi.get("/households").await.status,
        StatusCode::FORBIDDEN
    );
    // The security administrator assigns role and unit; the name stays the system
    // administrator's business.
    assign_role(&app, "zhouqi", "township_user", "990101001000").await;
    let u = xingcun::accounts::get_user(&app.db().pool, &Scope::everything(), id)
        .await
        .unwrap();
    assert_eq!(u.display_name, "周七七");
    assert_eq!(zhouqi.get("/households").await.status, StatusCode::OK);
    // The security administrator cannot create accounts, nor change its own role.
    let mut anquan = app.signed_in("anquan").await;
    assert_eq!(
        anquan.get("/admin/users/new").await.status,
        StatusCode::FORBIDDEN
    );
    let me = user_id(&app, "anquan").await;
    let v = version_of(&app, me).await.to_string();
    let own = anquan
        .post_form(
            &format!("/admin/users/{me}/edit"),
            &[
                ("display_name", "安全管理员"),
                ("role", "audit_admin"),
                ("org_code", "990101000000"),
                ("version", &v),
            ],
        )
        .await;
    assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(own.text.contains("不能修改自己的角色"), "{}", own.text);
    assert_eq!(role_of(&app, "anquan").await, "security_admin");
    // Only the audit administrator reads the trail; it sees the role change, by whom.
    for who in ["xitong", "anquan", "admin", "chakan"] {
        let mut c = app.signed_in(who).await;
        assert_eq!(
            c.get("/admin/audit").await.status,
            StatusCode::FORBIDDEN,
            "{who}"
        );
        assert_eq!(
            c.get("/admin/access-log").await.status,
            StatusCode::FORBIDDEN,
            "{who}"
        );
    }
    let mut shenji = app.signed_in("shenji").await;
    let trail = shenji.get("/admin/audit?who=anquan&what=update").await;
    assert_eq!(trail.status, StatusCode::OK);
    assert!(trail.text.contains("township_user"), "{}", trail.text);
    assert!(
        !trail.text.contains("周七七"),
        "filtered to anquan's updates"
    );
    let export = shenji.get("/admin/audit?who=xitong&export=xlsx").await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(export.bytes.starts_with(b"PK"), "an xlsx file");
    // The audit administrator reads no records and manages no accounts.
    assert_eq!(
        shenji.get("/households").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        shenji.get("/admin/users").await.status,
        StatusCode::FORBIDDEN
    );
    // The district's data manager is not an account administrator.
    let mut admin = app.signed_in("admin").await;
    assert_eq!(
        admin.get("/admin/users").await.status,
        StatusCode::FORBIDDEN
    );
    // The audit trail is still intact after all of it.
    assert!(matches!(
        xingcun::audit::verify(app.db()).await.unwrap(),
        xingcun::audit::Verification::Intact { .. }
    ));
}

#[tokio::test]
async fn the_audit_trail_pages_through_its_rows() {
    let app = TestApp::new().await;
    let mut shenji = app.signed_in("shenji").await;
    let total: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) FROM audit_log")
            .fetch_one(&app.db().pool)
            .await
            .unwrap(),
        0,
    );
    assert!(total > 50, "{total}");
    let first = shenji.get("/admin/audit?per_page=20").await.text;
    let second = shenji.get("/admin/audit?per_page=20&page=2").await.text;
    // Newest first: the first page starts with the last row, the second page does not.
    let top = format!("data-label=\"序号\">{total}</td>");
    assert!(first.contains(&top), "{first}");
    assert!(!second.contains(&top));
    assert!(second.contains(&format!("data-label=\"序号\">{}</td>", total - 20)));
}

#[tokio::test]
async fn administrators_need_their_totp_code_and_a_code_works_once() {
    let app = TestApp::new().await;
    let mut c = app.client();
    let res = c.login("xitong", PASSWORD).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(
        res.location().starts_with("/login/totp"),
        "{}",
        res.location()
    );
    // Nothing but the code page until the code is given.
    let blocked = c.get("/admin/users").await;
    assert_eq!(blocked.location(), "/login/totp");
    let api = c.get("/api/v1/me").await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
    let wrong = c.post_form("/login/totp", &[("code", "000000")]).await;
    // (a one-in-a-million chance the real code is 000000 is not worth a retry loop)
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.text.contains("动态口令不正确"));
    let code = demo_totp_code();
    sqlx::query("UPDATE app_user SET totp_last_step = 0 WHERE username = 'xitong'")
        .execute(&app.db().pool)
        .await
        .unwrap();
    let ok = c.post_form("/login/totp", &[("code", &code)]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text);
    assert_eq!(ok.location(), "/admin/users");
    assert_eq!(c.get("/admin/users").await.status, StatusCode::OK);
    // The same code cannot sign in a second session (replay).
    let mut other = app.client();
    other.login("xitong", PASSWORD).await;
    let replay = other.post_form("/login/totp", &[("code", &code)]).await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    assert_eq!(other.get("/admin/users").await.location(), "/login/totp");
    // Data roles are not asked.
    let mut admin = app.client();
    assert_eq!(
        admin.login("admin", PASSWORD).await.location(),
        "/dashboard"
    );
}

#[tokio::test]
async fn a_reset_second_factor_is_enrolled_again_from_the_qr_page() {
    let app = TestApp::new().await;
    let id = user_id(&app, "shenji").await;
    let mut anquan = app.signed_in("anquan").await;
    let me = user_id(&app, "anquan").await;
    let own = anquan
        .post_form(&format!("/admin/users/{me}/totp-reset"), &[])
        .await;
    assert_eq!(
        own.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not one's own"
    );
    let mut xitong = app.signed_in("xitong").await;
    assert_eq!(
        xitong
            .post_form(&format!("/admin/users/{id}/totp-reset"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN,
        "the system administrator cannot reset a second factor"
    );
    let edit = anquan.get(&format!("/admin/users/{id}/edit")).await;
    assert!(
        edit.text.contains("/totp-reset"),
        "the reset button is offered"
    );
    let reset = anquan
        .post_form(&format!("/admin/users/{id}/totp-reset"), &[])
        .await;
    assert_eq!(reset.status, StatusCode::SEE_OTHER, "{}", reset.text);
    // At the next sign-in, shenji enrols a new secret: QR code, URI and text.
    let mut c = app.client();
    let res = c.login("shenji", PASSWORD).await;
    assert_eq!(res.location(), "/account/totp");
    assert_eq!(c.get("/admin/audit").await.location(), "/login/totp");
    let page = c.get("/account/totp").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("<svg"), "QR code drawn inline");
    // The URI (auto-escaped in the page: `/` is `&#x2f;`).
    let uri_at = page.text.find("otpauth:").expect("otpauth URI");
    let secret: String = page.text[uri_at..]
        .split("secret=")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    assert_eq!(secret.len(), 32);
    assert_ne!(secret, xingcun::demo::DEMO_TOTP_SECRET);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let code = xingcun_crypto::totp::code_at(&secret, now).unwrap();
    let done = c.post_form("/account/totp", &[("code", &code)]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    assert_eq!(c.get("/admin/audit").await.status, StatusCode::OK);
    // The secret is stored sealed, never as its base32 text.
    let stored: String = sqlx::Row::get(
        &sqlx::query("SELECT totp_secret FROM app_user WHERE id = $1")
            .bind(id)
            .fetch_one(&app.db().pool)
            .await
            .unwrap(),
        0,
    );
    assert!(!stored.contains(&secret));
}

#[tokio::test]
async fn unmasking_asks_a_reason_and_the_audit_administrator_reads_the_access_log() {
    let app = TestApp::new().await;
    let reg = crate::registry_fixture::load(&app).await;
    let zs = &reg.zhang_san;
    let mut cungan = app.signed_in("cungan").await;
    let url = format!("/people/{}/reveal", zs.id);
    let no_reason = cungan
        .post_form(&url, &[("field", "id_number"), ("reason", " ")])
        .await;
    assert_eq!(no_reason.status, StatusCode::OK);
    assert!(no_reason.text.contains("请填写查看原因"));
    assert!(!no_reason.text.contains(&zs.id_number));
    let shown = cungan
        .post_form(
            &url,
            &[("field", "id_number"), ("reason", "核对医保参保信息")],
        )
        .await;
    assert!(shown.text.contains(&zs.id_number));
    // The API does the same with JSON.
    let mut api = app.client();
    let (_, token) = xingcun::accounts::create_token(app.db(), user_id(&app, "cungan").await, "t")
        .await
        .unwrap();
    api.bearer = Some(token);
    let res = api
        .post_json(
            &format!("/api/v1/people/{}/reveal", zs.id),
            &serde_json::json!({"field": "phone", "reason": "电话回访"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(res.json()["value"], "13900000001");
    let masked = api.get(&format!("/api/v1/people/{}", zs.id)).await;
    assert!(
        !masked.text.contains(&zs.id_number),
        "the record itself stays masked"
    );
    // A role without the right gets no value and leaves no row.
    let mut chakan = app.signed_in("chakan").await;
    let refused = chakan
        .post_form(&url, &[("field", "id_number"), ("reason", "好奇")])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // Someone else's village is not found at all.
    let other = cungan
        .post_form(
            &format!("/people/{}/reveal", reg.zhang_sanfeng.id),
            &[("field", "id_number"), ("reason", "核对")],
        )
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let mut shenji = app.signed_in("shenji").await;
    let log = shenji.get("/admin/access-log?who=cungan").await;
    assert_eq!(log.status, StatusCode::OK);
    assert!(log.text.contains("核对医保参保信息") && log.text.contains("电话回访"));
    assert!(log.text.contains(zs.name) && log.text.contains("身份证号"));
    assert!(!log.text.contains("好奇"));
    assert!(
        !log.text.contains(&zs.id_number),
        "the log never holds the number"
    );
    let rows: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) FROM access_log")
            .fetch_one(&app.db().pool)
            .await
            .unwrap(),
        0,
    );
    assert_eq!(rows, 2);
}

#[tokio::test]
async fn sign_in_attempts_are_rate_limited_per_user_name_and_address() {
    let app = TestApp::with_config(|c| c.sign_in_per_minute = 3).await;
    let mut c = app.client();
    for i in 0..3 {
        let res = c.login("chakan", "Wrong-pass-1").await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let limited = c.login("chakan", PASSWORD).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.text.contains("过于频繁"));
    // The address's bucket is spent too (tests share one address), whatever the name.
    let other = c.login("cungan", PASSWORD).await;
    assert_eq!(other.status, StatusCode::TOO_MANY_REQUESTS);
    // The limiter is usable by any form: buckets are per key.
    let l = app.state.limiter();
    assert!(l.allow("demand-form:198.51.100.1", 2, 2));
    assert!(l.allow("demand-form:198.51.100.1", 2, 2));
    assert!(!l.allow("demand-form:198.51.100.1", 2, 2));
    assert!(l.allow("demand-form:198.51.100.2", 2, 2));
}

/// Is this answer a refusal (the caller got nothing done)?
fn refused(status: StatusCode, location: &str) -> bool {
    status.is_client_error() || (status.is_redirection() && location.starts_with("/login"))
}

/// Did the caller reach the handler with its rights (not refused for who it is)?
fn reached(status: StatusCode, location: &str) -> bool {
    !matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN)
        && !(status.is_redirection() && (location.starts_with("/login?") || location == "/login"))
        && !status.is_server_error()
}

#[tokio::test]
async fn every_route_answers_every_role_as_declared() {
    let undeclared: Vec<String> = ROUTES
        .iter()
        .filter(|(m, p)| route_access(m, p).is_none())
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    let app = TestApp::new().await;
    let reg = crate::registry_fixture::load(&app).await;
    // An unassigned account, and a spare account for the account administrators' routes.
    let actor = Actor::system();
    for (name, role) in [("daifenpei", Role::Unassigned), ("spare", Role::Viewer)] {
        let id = xingcun::accounts::create_user(
            app.db(),
            app.state.crypto(),
            &Scope::everything(),
            &actor,
            &NewUser {
                username: name.into(),
                display_name: name.into(),
                role,
                org_code: "990101001001".into(),
                password: PASSWORD.into(),
                must_change_password: false,
            },
        )
        .await
        .unwrap();
        let _ = id;
    }
    let spare = user_id(&app, "spare").await;
    let roles: Vec<(Role, &str)> = Role::ALL
        .iter()
        .map(|r| {
            let who = match r {
                Role::DistrictAdmin => "admin",
                Role::TownshipUser => "xiangzhen",
                Role::VillageUser => "cungan",
                Role::PartyMember => "dangyuan",
                Role::Viewer => "chakan",
                Role::SystemAdmin => "xitong",
                Role::SecurityAdmin => "anquan",
                Role::AuditAdmin => "shenji",
                Role::Unassigned => "daifenpei",
            };
            (*r, who)
        })
        .collect();
    let concrete = |path: &str| {
        let id = if path.starts_with("/admin/users/") {
            spare.to_string()
        } else {
            reg.zhang_san.id.to_string()
        };
        path.replace("{token}", "no-such-upload")
            .replace("{code}", "990101001001")
            .replace("{file}", "app.css")
            .replace("{lang}", "zh")
            .replace("{key}", "talent.committee_avg_age")
            .replace("{id}", &id)
    };
    // Sign-out last, so each client keeps its session through the walk.
    let mut routes: Vec<&(&str, &str)> = ROUTES
        .iter()
        .filter(|(m, p)| route_access(m, p).is_some())
        .collect();
    routes.sort_by_key(|(_, p)| *p == "/logout");
    let mut failures = Vec::new();
    let mut callers: Vec<(Option<Role>, Client)> = vec![(None, app.client())];
    for (role, who) in &roles {
        callers.push((Some(*role), app.signed_in(who).await));
    }
    for (role, client) in &mut callers {
        let role = *role;
        for (method, path) in &routes {
            let access = route_access(method, path).unwrap();
            let url = concrete(path);
            let res = if *method == "GET" {
                client.get(&url).await
            } else {
                client.post_form(&url, &[]).await
            };
            let loc = res.location();
            let at_district = role.is_some_and(|r| {
                roles.iter().any(|(rr, who)| {
                    *rr == r
                        && xingcun::demo::DEMO_ACCOUNTS
                            .iter()
                            .any(|(u, _, _, org)| u == who && *org == xingcun::demo::DISTRICT_CODE)
                })
            });
            let allowed = match (access, role) {
                (Access::Public, _) => true,
                (_, None) => false,
                (Access::SignedIn, Some(_)) => true,
                (Access::Needs(p), Some(r)) => r.can(p),
                (Access::NeedsAtDistrict(p), Some(r)) => r.can(p) && at_district,
            };
            let ok = if access == Access::Public {
                // Anyone gets an answer (which may be the sign-in page, as `/` gives).
                !res.status.is_server_error()
                    && !matches!(res.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN)
            } else if allowed {
                reached(res.status, &loc)
            } else {
                refused(res.status, &loc)
            };
            if !ok {
                failures.push(format!(
                    "{method} {path} as {}: {} {loc} (expected {})",
                    role.map_or("anonymous", Role::code),
                    res.status,
                    if allowed { "access" } else { "refusal" }
                ));
            }
        }
    }
    assert!(
        undeclared.is_empty() && failures.is_empty(),
        "routes with no declared access (add them to router::route_access): {undeclared:#?}\n\
         {} unexpected answers:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn the_retention_job_purges_old_sessions_access_rows_and_uploads() {
    let app = TestApp::new().await;
    let pool = &app.db().pool;
    let now = xingcun::db::now_ms();
    let day = 86_400_000i64;
    let uid = user_id(&app, "cungan").await;
    for (at, who) in [(now - 400 * day, "old"), (now - 10 * day, "recent")] {
        sqlx::query(
            "INSERT INTO access_log (at, user_id, username, subject, subject_key, subject_name, field, reason)
             VALUES ($1, $2, $3, 'person', '1', '张三', 'id_number', '核对')",
        )
        .bind(at)
        .bind(uid)
        .bind(who.to_string())
        .execute(pool)
        .await
        .unwrap();
    }
    let _live = app.signed_in("cungan").await;
    sqlx::query(
        "INSERT INTO user_session (id_hash, user_id, created_at, last_seen_at, expires_at)
         VALUES ('expired', $1, $2, $2, $3)",
    )
    .bind(uid)
    .bind(now - 2 * day)
    .bind(now - day)
    .execute(pool)
    .await
    .unwrap();
    for (token, at) in [("old-upload", now - 2 * day), ("new-upload", now)] {
        sqlx::query(
            "INSERT INTO import_upload (token, user_id, created_at, filename, body) VALUES ($1, $2, $3, 'a.xlsx', '')",
        )
        .bind(token)
        .bind(uid)
        .bind(at)
        .execute(pool)
        .await
        .unwrap();
    }
    let mut config = app.state.config().clone();
    let purged = xingcun::security::run_pending(app.db(), &config, now)
        .await
        .unwrap();
    assert_eq!(
        purged,
        xingcun::security::Purged {
            sessions: 1,
            access_rows: 1,
            uploads: 1
        }
    );
    let left: Vec<String> = sqlx::query("SELECT username FROM access_log")
        .fetch_all(pool)
        .await
        .unwrap()
        .iter()
        .map(|r| sqlx::Row::get(r, 0))
        .collect();
    assert_eq!(left, ["recent"]);
    // A retention below 180 days is raised to 180: the recent row (10 days) stays, and a
    // second run has nothing left to do.
    config.access_log_retention_days = 1;
    let again = xingcun::security::run_pending(app.db(), &config, now)
        .await
        .unwrap();
    assert_eq!(again, xingcun::security::Purged::default());
}

/// Every place in `haystack` where `needle` occurs, as byte offsets.
fn occurrences(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

#[tokio::test]
async fn no_plaintext_id_or_phone_number_lands_in_the_database_files_or_a_backup() {
    if std::env::var("XINGCUN_TEST_PG").is_ok_and(|v| !v.is_empty()) {
        return; // The files scanned are SQLite's.
    }
    let app = TestApp::new().await;
    // Through the import path (a workbook) and the registry fixture, then a reveal and a
    // search by number, so the audit trail, access log and search paths have had the numbers.
    let outcome = crate::workbook::run(
        &app,
        crate::workbook::valid_book(),
        &crate::workbook::opts(),
    )
    .await;
    assert!(
        matches!(outcome, xingcun::workbook::ImportOutcome::Done { .. }),
        "{outcome:?}"
    );
    let reg = crate::registry_fixture::load(&app).await;
    let mut numbers: Vec<String> = vec![
        crate::workbook::id("19650301", 11),
        crate::workbook::id("19680512", 22),
        crate::workbook::id("19801130", 31),
        crate::workbook::id("19750606", 41),
        "13900000001".into(),
    ];
    for p in [
        &reg.zhang_san,
        &reg.li_si,
        &reg.zhou_su,
        &reg.zhang_sanfeng,
        &reg.wang_wu,
    ] {
        numbers.push(p.id_number.clone());
        numbers.extend(p.phone.clone());
    }
    for h in [
        &reg.own_household,
        &reg.sibling_household,
        &reg.other_household,
    ] {
        numbers.extend(h.phone.clone());
    }
    let mut cungan = app.signed_in("cungan").await;
    let shown = cungan
        .post_form(
            &format!("/people/{}/reveal", reg.zhang_san.id),
            &[("field", "id_number"), ("reason", "核对")],
        )
        .await;
    assert!(
        shown.text.contains(&reg.zhang_san.id_number),
        "the reveal worked"
    );
    cungan
        .post_form("/people/search", &[("q", &reg.zhang_san.id_number)])
        .await;
    let url = &app.state.config().database_url;
    let path = xingcun::db::sqlite_path(url).expect("a SQLite file");
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("backup.db");
    xingcun::backup::backup(app.db(), &backup).await.unwrap();
    let files = [
        std::path::PathBuf::from(&path),
        std::path::PathBuf::from(format!("{path}-wal")),
        std::path::PathBuf::from(format!("{path}-shm")),
        backup,
    ];
    let mut scanned = 0;
    let mut found = Vec::new();
    for f in &files {
        let Ok(bytes) = std::fs::read(f) else {
            continue;
        };
        scanned += bytes.len();
        for n in &numbers {
            // Also the ID with a lower-case x, and the number as UTF-16 (a stray text encoding).
            let utf16: Vec<u8> = n.encode_utf16().flat_map(u16::to_le_bytes).collect();
            for needle in [n.as_bytes(), n.to_lowercase().as_bytes(), &utf16] {
                if occurrences(&bytes, needle) > 0 {
                    found.push(format!("{n} in {}", f.display()));
                }
            }
        }
    }
    assert!(scanned > 100_000, "the files were read: {scanned} bytes");
    assert!(numbers.len() >= 12, "{numbers:?}");
    assert!(
        found.is_empty(),
        "plaintext personal numbers found: {found:#?}"
    );
}

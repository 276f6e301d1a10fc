//! Sign-in, sessions, CSRF, lockout, password changes and user administration.

use axum::http::StatusCode;

use crate::harness::{PASSWORD, TestApp};

#[tokio::test]
async fn a_wrong_password_is_refused_in_chinese() {
    let app = TestApp::new().await;
    let mut c = app.client();
    let res = c.login("admin", "Wrong-pass-1").await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert!(res.text.contains("用户名或密码错误"));
    assert!(!c.cookies.contains_key("xc_session"));
}

#[tokio::test]
async fn five_failures_lock_the_account_even_for_the_right_password() {
    let app = TestApp::new().await;
    let mut c = app.client();
    for _ in 0..5 {
        c.login("cungan", "Wrong-pass-1").await;
    }
    let res = c.login("cungan", PASSWORD).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert!(res.text.contains("已锁定"), "{}", res.text);
}

#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused() {
    let app = TestApp::new().await;
    let mut c = app.client();
    c.get("/login").await;
    let res = c
        .post_form_raw("/login", &[("username", "admin"), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(res.text.contains("表单已失效"));
    let mut admin = app.signed_in("xitong").await;
    let forged = admin
        .post_form_raw(
            "/admin/users/new",
            &[
                ("_csrf", "0000"),
                ("username", "x1x"),
                ("display_name", "x"),
                ("role", "viewer"),
                ("org_code", "990101000000"),
                ("password", "Good-pass-2026"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn sign_out_ends_the_session_on_the_server() {
    let app = TestApp::new().await;
    let mut c = app.signed_in("admin").await;
    let session = c.cookies.get("xc_session").cloned().unwrap();
    let res = c.post_form("/logout", &[]).await;
    assert_eq!(res.location(), "/login");
    // Even a copy of the old cookie no longer works.
    c.cookies.insert("xc_session".into(), session);
    assert_eq!(c.get("/dashboard").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn each_sign_in_gets_a_new_session_id() {
    let app = TestApp::new().await;
    let mut c = app.signed_in("admin").await;
    let first = c.cookies.get("xc_session").cloned();
    c.login("admin", PASSWORD).await;
    assert_ne!(first, c.cookies.get("xc_session").cloned());
}

#[tokio::test]
async fn an_idle_session_expires() {
    let app = TestApp::with_config(|c| c.session_idle_minutes = 0).await;
    let mut c = app.signed_in("admin").await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    assert_eq!(c.get("/dashboard").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_new_account_must_change_its_password_first() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in("xitong").await;
    let made = admin
        .post_form(
            "/admin/users/new",
            &[
                ("username", "wangwu"),
                ("display_name", "王五"),
                ("role", "township_user"),
                ("org_code", "990101003000"),
                ("password", "First-pass-26"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.text);
    // The system administrator's account has no rights until the security administrator
    // assigns its role.
    crate::security::assign_role(&app, "wangwu", "township_user", "990101003000").await;
    let mut c = app.client();
    assert_eq!(
        c.login("wangwu", "First-pass-26").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(c.get("/org-units").await.location(), "/account/password");
    let weak = c
        .post_form(
            "/account/password",
            &[
                ("current", "First-pass-26"),
                ("new", "password"),
                ("confirm", "password"),
            ],
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        weak.text.contains("至少三类") || weak.text.contains("至少 8 位"),
        "{}",
        weak.text
    );
    let ok = c
        .post_form(
            "/account/password",
            &[
                ("current", "First-pass-26"),
                ("new", "Second-pass-26"),
                ("confirm", "Second-pass-26"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(c.get("/org-units").await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_user_form_shows_errors_inline_and_keeps_input() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in("xitong").await;
    let res = admin
        .post_form(
            "/admin/users/new",
            &[
                ("username", "zhaoliu"),
                ("display_name", "赵六"),
                ("role", "village_user"),
                ("org_code", "990101009009"),
                ("password", "Good-pass-2026"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text.contains("不存在或不在您的管辖范围内"));
    assert!(res.text.contains("value=\"赵六\""), "input kept");
}

#[tokio::test]
async fn a_stale_user_edit_gets_a_conflict() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in("xitong").await;
    let id = xingcun::accounts::find_user_id(&app.db().pool, "chakan")
        .await
        .unwrap()
        .unwrap();
    let path = format!("/admin/users/{id}/edit");
    let fields = [
        ("display_name", "新名字"),
        ("role", "viewer"),
        ("org_code", "990101000000"),
        ("version", "1"),
    ];
    assert_eq!(
        admin.post_form(&path, &fields).await.status,
        StatusCode::SEE_OTHER
    );
    let stale = admin.post_form(&path, &fields).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_role_row_changed_outside_the_platform_is_refused() {
    let app = TestApp::new().await;
    sqlx::query("UPDATE app_user SET role = 'district_admin' WHERE username = 'chakan'")
        .execute(&app.db().pool)
        .await
        .unwrap();
    let mut c = app.client();
    c.login("chakan", PASSWORD).await;
    assert_eq!(
        c.get("/dashboard").await.status,
        StatusCode::SEE_OTHER,
        "tampered row does not yield a session"
    );
}

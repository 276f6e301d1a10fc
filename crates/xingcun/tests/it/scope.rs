//! The scope rule across village, township and district boundaries, for pages and the API,
//! for reads and writes.

use axum::http::StatusCode;
use xingcun::accounts::{self, UserChanges};
use xingcun::scope::Scope;

use crate::harness::TestApp;

const OWN_VILLAGE: &str = "990101001001";
const SIBLING_VILLAGE: &str = "990101001002";
const OTHER_TOWNSHIP_VILLAGE: &str = "990101002001";

#[tokio::test]
async fn a_village_user_reads_only_their_village_on_pages_and_api() {
    let app = TestApp::new().await;
    let mut c = app.signed_in("cungan").await;
    assert_eq!(
        c.get(&format!("/org-units/{OWN_VILLAGE}")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        c.get(&format!("/org-units/{OWN_VILLAGE}001")).await.status,
        StatusCode::OK,
        "own grid"
    );
    for other in [
        SIBLING_VILLAGE,
        OTHER_TOWNSHIP_VILLAGE,
        "990101001000",
        "990101000000",
    ] {
        assert_eq!(
            c.get(&format!("/org-units/{other}")).await.status,
            StatusCode::NOT_FOUND,
            "page {other}"
        );
        assert_eq!(
            c.get(&format!("/api/v1/org-units/{other}")).await.status,
            StatusCode::NOT_FOUND,
            "api {other}"
        );
    }
    let list = c.get("/api/v1/org-units?per_page=200").await.json();
    assert_eq!(list["total"], 5, "the village and its 4 grids");
}

#[tokio::test]
async fn a_township_user_reads_their_township_but_not_another() {
    let app = TestApp::new().await;
    let mut c = app.signed_in("xiangzhen").await;
    assert_eq!(
        c.get(&format!("/org-units/{SIBLING_VILLAGE}")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        c.get(&format!("/api/v1/org-units/{OTHER_TOWNSHIP_VILLAGE}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.get(&format!("/org-units/{OTHER_TOWNSHIP_VILLAGE}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let list = c.get("/org-units?kind=admin_village").await;
    assert!(list.text.contains("共 14 条"));
    assert!(!list.text.contains(OTHER_TOWNSHIP_VILLAGE));
}

#[tokio::test]
async fn the_district_reads_everything() {
    let app = TestApp::new().await;
    let mut c = app.signed_in("chakan").await;
    let list = c.get("/api/v1/org-units?kind=grid").await.json();
    assert_eq!(list["total"], 280);
    assert_eq!(
        c.get(&format!("/api/v1/org-units/{OTHER_TOWNSHIP_VILLAGE}"))
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn roles_without_the_right_get_403_on_user_administration() {
    let app = TestApp::new().await;
    for who in ["xiangzhen", "cungan", "dangyuan", "chakan"] {
        let mut c = app.signed_in(who).await;
        assert_eq!(
            c.get("/admin/users").await.status,
            StatusCode::FORBIDDEN,
            "{who}"
        );
        let res = c
            .post_form(
                "/admin/users/new",
                &[
                    ("username", "abc"),
                    ("display_name", "x"),
                    ("role", "viewer"),
                    ("org_code", OWN_VILLAGE),
                    ("password", "Good-pass-2026"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{who}");
    }
}

#[tokio::test]
async fn writes_outside_the_scope_are_refused_in_the_data_layer() {
    let app = TestApp::new().await;
    let db = app.db();
    let township = Scope::with_prefix("990101001");
    let actor = xingcun::audit::Actor::system();
    // A user of another township is invisible to a township scope: edits get NotFound.
    let other = accounts::NewUser {
        username: "other01".into(),
        display_name: "外乡镇".into(),
        role: accounts::Role::VillageUser,
        org_code: OTHER_TOWNSHIP_VILLAGE.into(),
        password: "Good-pass-2026".into(),
        must_change_password: true,
    };
    let id = accounts::create_user(db, app.state.crypto(), &Scope::everything(), &actor, &other)
        .await
        .unwrap();
    let change = UserChanges {
        display_name: "改".into(),
        role: accounts::Role::Viewer,
        org_code: OTHER_TOWNSHIP_VILLAGE.into(),
        disabled: false,
        version: 1,
    };
    let res = accounts::update_user(db, app.state.crypto(), &township, &actor, id, &change).await;
    assert!(
        matches!(res, Err(xingcun::error::AppError::NotFound)),
        "{res:?}"
    );
    // Nor can a township scope create or move an account into another township.
    let mut into_other = other.clone();
    into_other.username = "other02".into();
    assert!(
        accounts::create_user(db, app.state.crypto(), &township, &actor, &into_other)
            .await
            .is_err()
    );
    let village = Scope::with_prefix(OWN_VILLAGE);
    assert!(accounts::get_user(&db.pool, &village, id).await.is_err());
    let users = accounts::list_users(&db.pool, &village, "", 0, 100)
        .await
        .unwrap();
    let total = accounts::count_users(&db.pool, &village, "").await.unwrap();
    assert_eq!(total as usize, users.len());
    assert!(users.iter().all(|u| u.org_code.starts_with(OWN_VILLAGE)));
}

//! Attachments (附件): kept in the database or in a directory, typed by their bytes, refused
//! with a reason when empty, too large or not a photo/PDF/Office file, served so a browser never
//! runs them, audited, and bound to the scope of the record they belong to.

use axum::http::StatusCode;
use sqlx::Row;

use crate::harness::TestApp;

const VILLAGE: &str = "990101001001";
const OTHER_TOWNSHIP_VILLAGE: &str = "990101002001";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR-not-a-real-image-but-a-png-by-its-magic";

async fn tourism(app: &TestApp, no: &str, org: &str) {
    sqlx::query(
        "INSERT INTO tourism_project (project_no, name, org_code, starts_on, created_at, updated_at)
         VALUES ($1, $2, $3, '2025-01-01', 0, 0)",
    )
    .bind(no.to_string())
    .bind(format!("{no} 农家乐"))
    .bind(org.to_string())
    .execute(&app.db().pool)
    .await
    .unwrap();
}

async fn count(app: &TestApp) -> i64 {
    sqlx::query("SELECT COUNT(*) FROM attachment")
        .fetch_one(&app.db().pool)
        .await
        .unwrap()
        .try_get(0)
        .unwrap()
}

#[tokio::test]
async fn a_photo_is_kept_served_safely_and_audited() {
    let app = TestApp::new().await;
    tourism(&app, "LY1", VILLAGE).await;
    let mut c = app.signed_in("cungan").await;
    let page = "/attachments?kind=tourism&key=LY1";
    let res = c
        .post_multipart(page, &[], &[("file", "门头照片.png", PNG)])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    assert_eq!(res.location(), page);

    let row = sqlx::query(
        "SELECT id, content_type, byte_size, content, stored_name, org_code, file_name FROM attachment",
    )
    .fetch_one(&app.db().pool)
    .await
    .unwrap();
    let id: i64 = row.try_get(0).unwrap();
    assert_eq!(row.try_get::<String, _>(1).unwrap(), "image/png");
    assert_eq!(row.try_get::<i64, _>(2).unwrap(), PNG.len() as i64);
    assert_eq!(
        row.try_get::<Option<Vec<u8>>, _>(3).unwrap().as_deref(),
        Some(PNG)
    );
    assert_eq!(row.try_get::<Option<String>, _>(4).unwrap(), None);
    assert_eq!(row.try_get::<String, _>(5).unwrap(), VILLAGE);
    // A browser sends a Chinese file name as raw UTF-8: it is kept as written.
    assert_eq!(row.try_get::<String, _>(6).unwrap(), "门头照片.png");

    // The overview lists it too, within the scope.
    let all = c.get("/attachments").await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.text);
    assert!(all.text.contains("门头照片.png") && all.text.contains("乡村旅游项目 LY1"));
    let listing = c.get(page).await;
    assert_eq!(listing.status, StatusCode::OK, "{}", listing.text);
    assert!(listing.text.contains("门头照片.png"), "{}", listing.text);
    assert!(listing.text.contains(&format!("/attachments/{id}")));

    let file = c.get(&format!("/attachments/{id}")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.bytes, PNG);
    let h = |n: &str| file.headers.get(n).unwrap().to_str().unwrap().to_string();
    assert_eq!(h("content-type"), "image/png");
    assert_eq!(h("x-content-type-options"), "nosniff");
    assert!(h("content-security-policy").contains("sandbox"));
    assert!(h("content-disposition").starts_with("inline"));

    let audited: i64 = sqlx::query(
        "SELECT COUNT(*) FROM audit_log WHERE entity = 'attachment' AND action = 'create' AND org_code = $1",
    )
    .bind(VILLAGE)
    .fetch_one(&app.db().pool)
    .await
    .unwrap()
    .try_get(0)
    .unwrap();
    assert_eq!(audited, 1);

    // A PDF is a download, not a page.
    let res = c
        .post_multipart(page, &[], &[("file", "验收单.pdf", b"%PDF-1.7\n%%EOF")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    let pdf_id: i64 = sqlx::query("SELECT MAX(id) FROM attachment")
        .fetch_one(&app.db().pool)
        .await
        .unwrap()
        .try_get(0)
        .unwrap();
    let pdf = c.get(&format!("/attachments/{pdf_id}")).await;
    assert_eq!(pdf.headers.get("content-type").unwrap(), "application/pdf");
    assert!(
        pdf.headers
            .get("content-disposition")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );

    // Removed: gone, and audited.
    let token = c.csrf_token().await;
    let res = c
        .post_form_raw(&format!("/attachments/{id}/delete"), &[("_csrf", &token)])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    assert_eq!(count(&app).await, 1);
    assert_eq!(
        c.get(&format!("/attachments/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn html_empty_and_oversized_files_are_refused_with_a_reason() {
    let app = TestApp::with_config(|c| c.attachment_max_mb = 1).await;
    tourism(&app, "LY1", VILLAGE).await;
    let mut c = app.signed_in("cungan").await;
    let page = "/attachments?kind=tourism&key=LY1";

    let res = c
        .post_multipart(
            page,
            &[],
            &[(
                "file",
                "photo.jpg",
                b"<html><script>alert(1)</script></html>",
            )],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text.contains("「photo.jpg」不是可接受的文件"),
        "{}",
        res.text
    );

    let big = [PNG, &vec![0u8; 1024 * 1024][..]].concat();
    let res = c
        .post_multipart(page, &[], &[("file", "big.png", &big)])
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text.contains("文件超过 1 MB"), "{}", res.text);

    let res = c.post_multipart(page, &[], &[("file", "", b"")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text.contains("请选择要上传的文件"), "{}", res.text);

    assert_eq!(count(&app).await, 0);
}

#[tokio::test]
async fn attachments_stay_inside_the_scope_and_readers_cannot_upload() {
    let app = TestApp::new().await;
    tourism(&app, "LY1", VILLAGE).await;
    tourism(&app, "LY2", OTHER_TOWNSHIP_VILLAGE).await;
    let mut admin = app.signed_in("admin").await;
    let res = admin
        .post_multipart(
            "/attachments?kind=tourism&key=LY2",
            &[],
            &[("file", "a.png", PNG)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    let other_id: i64 = sqlx::query("SELECT id FROM attachment")
        .fetch_one(&app.db().pool)
        .await
        .unwrap()
        .try_get(0)
        .unwrap();

    // The village's secretary sees neither the other township's record nor its file.
    let mut village = app.signed_in("cungan").await;
    for path in [
        "/attachments?kind=tourism&key=LY2".to_string(),
        format!("/attachments/{other_id}"),
    ] {
        assert_eq!(
            village.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let token = village.csrf_token().await;
    let res = village
        .post_form_raw(
            &format!("/attachments/{other_id}/delete"),
            &[("_csrf", &token)],
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(!village.get("/attachments").await.text.contains("a.png"));
    // An unknown kind is not a record.
    assert_eq!(
        village
            .get("/attachments?kind=nothing&key=LY1")
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // The read-only account may look, not upload.
    let mut viewer = app.signed_in("chakan").await;
    assert_eq!(
        viewer.get("/attachments?kind=tourism&key=LY1").await.status,
        StatusCode::OK
    );
    let res = viewer
        .post_multipart(
            "/attachments?kind=tourism&key=LY1",
            &[],
            &[("file", "a.png", PNG)],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(count(&app).await, 1);
}

#[tokio::test]
async fn a_directory_store_keeps_only_the_name_in_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let app = TestApp::with_config(|c| c.attachments_dir = Some(path.clone())).await;
    tourism(&app, "LY1", VILLAGE).await;
    let mut c = app.signed_in("cungan").await;
    let res = c
        .post_multipart(
            "/attachments?kind=tourism&key=LY1",
            &[],
            &[("file", "a.png", PNG)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    let row = sqlx::query("SELECT id, content, stored_name FROM attachment")
        .fetch_one(&app.db().pool)
        .await
        .unwrap();
    let id: i64 = row.try_get(0).unwrap();
    assert_eq!(row.try_get::<Option<Vec<u8>>, _>(1).unwrap(), None);
    let stored: String = row.try_get(2).unwrap();
    assert_eq!(std::fs::read(path.join(&stored)).unwrap(), PNG);
    assert_eq!(c.get(&format!("/attachments/{id}")).await.bytes, PNG);

    let token = c.csrf_token().await;
    let res = c
        .post_form_raw(&format!("/attachments/{id}/delete"), &[("_csrf", &token)])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(!path.join(&stored).exists());
}

#[tokio::test]
async fn every_kind_of_record_that_takes_attachments_is_looked_up_by_its_key() {
    let app = TestApp::new().await;
    tourism(&app, "LY1", VILLAGE).await;
    let pool = &app.db().pool;
    let everything = xingcun::scope::Scope::everything();
    for owner in xingcun::attachments::OWNERS {
        // Each query names real tables and columns: an unknown key is simply not found.
        match xingcun::attachments::find_owner(pool, &everything, owner, "没有这个编号").await
        {
            Err(xingcun::error::AppError::NotFound) => {}
            other => panic!("{}: {other:?}", owner.kind),
        }
    }
    let found = xingcun::attachments::find_owner(
        pool,
        &everything,
        xingcun::attachments::owner("tourism").unwrap(),
        "LY1",
    )
    .await
    .unwrap();
    assert_eq!(
        (
            found.org_code.as_str(),
            found.title.as_str(),
            found.href.as_str()
        ),
        (VILLAGE, "LY1 农家乐", "/industry/tourism?q=LY1")
    );
}

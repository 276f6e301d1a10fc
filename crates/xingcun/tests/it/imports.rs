//! The 台账导入导出 pages: downloads are workbooks of the user's own subtree; an upload is
//! checked first, lists every problem (with a marked copy) or previews the changes, and writes
//! only on confirmation by the user who uploaded it, inside that user's scope.

use axum::http::StatusCode;
use xingcun_xlsx::{Cell, WorkbookReader};

use crate::harness::{Client, Res, TestApp};
use crate::workbook::{book, opts, rows, run, valid_book};

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::Row::get(
        &sqlx::query(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
            .fetch_one(&app.db().pool)
            .await
            .unwrap(),
        0,
    )
}

/// Uploads a workbook through the page's form.
async fn upload(c: &mut Client, filename: &str, bytes: &[u8], check_only: bool) -> Res {
    let fields: &[(&str, &str)] = if check_only {
        &[("check_only", "1")]
    } else {
        &[]
    };
    c.post_multipart("/imports", fields, &[("file", filename, bytes)])
        .await
}

/// The upload token in a result page's links (`/imports/{token}/confirm` or `…/marked`).
pub fn token_in(html: &str) -> String {
    for suffix in ["/confirm", "/marked"] {
        if let Some(end) = html.find(suffix) {
            let start = html[..end]
                .rfind("/imports/")
                .expect("a link under /imports/")
                + 9;
            return html[start..end].to_string();
        }
    }
    panic!("no upload link in {html}")
}

/// Every sheet's cells as text.
fn sheets(bytes: &[u8]) -> Vec<(String, Vec<Vec<String>>)> {
    let mut r = WorkbookReader::open_bytes(bytes.to_vec()).expect("an .xlsx workbook");
    r.sheet_names()
        .into_iter()
        .map(|name| {
            let rows = r
                .rows(&name)
                .unwrap()
                .map(|row| {
                    row.unwrap()
                        .1
                        .into_iter()
                        .map(|c| match c {
                            Cell::Text(s) => s,
                            Cell::Empty => String::new(),
                            other => format!("{other:?}"),
                        })
                        .collect()
                })
                .collect();
            (name, rows)
        })
        .collect()
}

fn sheet<'a>(book: &'a [(String, Vec<Vec<String>>)], name: &str) -> &'a [Vec<String>] {
    &book
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no sheet {name}"))
        .1
}

fn disposition(res: &Res) -> String {
    res.headers
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// Households in two villages of one township and in a village of another township.
fn households_elsewhere() -> Vec<u8> {
    book(&[(
        "户",
        rows(&[
            &["户编号", "所属区划编码"],
            &["990101001002H0001", "990101001002"],
            &["990101002001H0001", "990101002001"],
        ]),
    )])
}

/// A workbook with three problems on two rows.
fn bad_book() -> Vec<u8> {
    book(&[(
        "户",
        rows(&[
            &["户编号", "所属区划编码", "脱贫户"],
            &["H1", "990101009009", "也许"],
            &["H2", "", "是"],
        ]),
    )])
}

#[tokio::test]
async fn the_template_and_the_export_download_as_workbooks_and_a_village_exports_only_its_village()
{
    let app = TestApp::new().await;
    run(&app, valid_book(), &opts()).await;
    run(&app, households_elsewhere(), &opts()).await;
    let mut c = app.signed_in("cungan").await;

    let page = c.get("/imports").await;
    assert_eq!(page.status, StatusCode::OK);
    for words in [
        "下载模板",
        "导出",
        "上传并检查",
        "仅检查",
        "action=\"/imports?_csrf=",
    ] {
        assert!(page.text.contains(words), "page lacks {words}");
    }

    let template = c.get("/imports/template").await;
    assert_eq!(template.status, StatusCode::OK);
    assert!(template.bytes.starts_with(b"PK"));
    assert!(disposition(&template).contains(".xlsx"));
    let t = sheets(&template.bytes);
    assert!(sheet(&t, "户")[1][0].contains("【填写说明】"));

    // The export holds whole numbers: without a reason nothing is sent.
    let refused = c.post_form("/imports/export", &[("reason", "")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("请填写查看原因"), "{}", refused.text);
    let export = c
        .post_form("/imports/export", &[("reason", "报送区委组织部年度台账")])
        .await;
    assert_eq!(export.status, StatusCode::OK);
    let logged: Vec<(String, String)> = sqlx::query_as(
        "SELECT subject_key, field FROM access_log WHERE subject = 'workbook' AND reason = $1",
    )
    .bind("报送区委组织部年度台账")
    .fetch_all(&app.db().pool)
    .await
    .unwrap();
    assert_eq!(
        logged,
        vec![("990101001001".to_string(), "id_number,phone".to_string())]
    );
    assert!(export.bytes.starts_with(b"PK"));
    let name = disposition(&export);
    assert!(
        name.contains(&xingcun::web::urlencode("台账_王家庄村_")),
        "{name}"
    );
    let e = sheets(&export.bytes);
    let households: Vec<&Vec<String>> = sheet(&e, "户").iter().skip(1).collect();
    assert_eq!(households.len(), 2, "{households:?}");
    assert!(
        households
            .iter()
            .all(|r| r.iter().any(|v| v.starts_with("990101001001H"))),
        "{households:?}"
    );
    let all: String = format!("{e:?}");
    assert!(!all.contains("990101001002H0001") && !all.contains("990101002001H0001"));
}

#[tokio::test]
async fn the_export_holds_whole_id_numbers_so_viewers_cannot_download_it() {
    let app = TestApp::new().await;
    for who in ["chakan", "dangyuan"] {
        let mut c = app.signed_in(who).await;
        let page = c.get("/imports").await;
        assert_eq!(page.status, StatusCode::OK, "{who}");
        assert!(page.text.contains("不能导出"), "{who}");
        assert_eq!(
            c.post_form("/imports/export", &[("reason", "核对")])
                .await
                .status,
            StatusCode::FORBIDDEN,
            "{who}"
        );
        assert!(c.get("/imports/template").await.bytes.starts_with(b"PK"));
    }
}

#[tokio::test]
async fn a_bad_workbook_lists_every_problem_in_chinese_writes_nothing_and_its_marked_copy_downloads()
 {
    let app = TestApp::new().await;
    let audit_before = count(&app, "audit_log").await;
    let mut c = app.signed_in("admin").await;
    let res = upload(&mut c, "青山镇台账.xlsx", &bad_book(), false).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
    let xingcun::workbook::ImportOutcome::Refused(problems) = run(&app, bad_book(), &opts()).await
    else {
        panic!("the engine refuses the bad book")
    };
    assert!(problems.len() >= 3);
    assert!(
        res.text
            .contains(&format!("发现 {} 个问题，未写入任何数据", problems.len())),
        "{}",
        res.text
    );
    for heading in ["工作表", "行", "列", "值", "问题"] {
        assert!(
            res.text
                .contains(&format!("<th scope=\"col\">{heading}</th>")),
            "{heading}"
        );
    }
    for p in &problems {
        let row = format!(
            "<td data-label=\"工作表\">{}</td><td data-label=\"行\">{}</td><td data-label=\"列\">{}</td>",
            p.sheet,
            p.row,
            p.column
                .as_deref()
                .unwrap_or("<span class=\"muted\">—</span>")
        );
        assert!(res.text.contains(&row), "{row} not in {}", res.text);
        assert!(res.text.contains(&p.message), "{}", p.message);
    }
    assert!(res.text.contains("也许") && res.text.contains("青山镇台账.xlsx"));
    assert_eq!(count(&app, "household").await, 0);
    assert_eq!(
        count(&app, "audit_log").await,
        audit_before + 1,
        "only the sign-in"
    );

    let marked = c
        .get(&format!("/imports/{}/marked", token_in(&res.text)))
        .await;
    assert_eq!(marked.status, StatusCode::OK);
    assert!(marked.bytes.starts_with(b"PK"));
    assert!(disposition(&marked).contains(&xingcun::web::urlencode("青山镇台账_问题标注.xlsx")));
    let names = WorkbookReader::open_bytes(marked.bytes.clone())
        .unwrap()
        .sheet_names();
    assert!(names.iter().any(|n| n.starts_with("说明")), "{names:?}");
    assert!(names.contains(&"户".to_string()));
}

#[tokio::test]
async fn a_good_workbook_shows_the_changes_and_writes_nothing_until_confirmed() {
    let app = TestApp::new().await;
    let mut c = app.signed_in("admin").await;
    let res = upload(&mut c, "valid.xlsx", &valid_book(), false).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert!(res.text.contains("确认导入") && res.text.contains("取消"));
    for (sheet, inserted, updated, unchanged) in
        [("区划", 1, 0, 1), ("户", 2, 0, 0), ("人员", 4, 0, 0)]
    {
        let row = format!(
            "<td data-label=\"工作表\">{sheet}</td><td data-label=\"新增\">{inserted}</td><td data-label=\"更新\">{updated}</td><td data-label=\"未变\">{unchanged}</td>"
        );
        assert!(res.text.contains(&row), "{row} not in {}", res.text);
    }
    assert_eq!(count(&app, "household").await, 0, "nothing written yet");
    assert_eq!(count(&app, "person").await, 0);

    let token = token_in(&res.text);
    let done = c.post_form(&format!("/imports/{token}/confirm"), &[]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    assert!(done.text.contains("导入完成"));
    assert_eq!(count(&app, "household").await, 2);
    assert_eq!(count(&app, "person").await, 4);
    let audited: i64 = sqlx::Row::get(
        &sqlx::query(
            "SELECT COUNT(*) FROM audit_log WHERE actor_name = 'admin' AND entity = 'household'",
        )
        .fetch_one(&app.db().pool)
        .await
        .unwrap(),
        0,
    );
    assert_eq!(
        audited, 2,
        "each written household is audited under the user"
    );
    assert_eq!(
        count(&app, "import_upload").await,
        0,
        "the upload is forgotten"
    );
    assert_eq!(
        c.post_form(&format!("/imports/{token}/confirm"), &[])
            .await
            .status,
        StatusCode::NOT_FOUND,
        "a confirmation is used once"
    );
}

#[tokio::test]
async fn check_only_reports_the_changes_without_offering_to_import() {
    let app = TestApp::new().await;
    let mut c = app.signed_in("admin").await;
    let res = upload(&mut c, "valid.xlsx", &valid_book(), true).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert!(res.text.contains("检查通过") && !res.text.contains("确认导入"));
    assert_eq!(count(&app, "import_upload").await, 0);
    assert_eq!(count(&app, "household").await, 0);
}

#[tokio::test]
async fn cancel_forgets_the_upload() {
    let app = TestApp::new().await;
    let mut c = app.signed_in("admin").await;
    let res = upload(&mut c, "valid.xlsx", &valid_book(), false).await;
    let token = token_in(&res.text);
    let cancel = c.post_form(&format!("/imports/{token}/cancel"), &[]).await;
    assert_eq!(cancel.status, StatusCode::SEE_OTHER);
    assert_eq!(cancel.location(), "/imports");
    assert_eq!(count(&app, "import_upload").await, 0);
    assert_eq!(
        c.post_form(&format!("/imports/{token}/confirm"), &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(count(&app, "household").await, 0);
}

#[tokio::test]
async fn another_user_can_neither_confirm_nor_download_someone_elses_upload() {
    let app = TestApp::new().await;
    let mut admin = app.signed_in("admin").await;
    let mut other = app.signed_in("xiangzhen").await;

    let bad = upload(&mut admin, "bad.xlsx", &bad_book(), false).await;
    let bad_token = token_in(&bad.text);
    assert_eq!(
        other
            .get(&format!("/imports/{bad_token}/marked"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        admin
            .get(&format!("/imports/{bad_token}/marked"))
            .await
            .status,
        StatusCode::OK
    );

    let good = upload(&mut admin, "valid.xlsx", &valid_book(), false).await;
    let token = token_in(&good.text);
    for path in [
        format!("/imports/{token}/confirm"),
        format!("/imports/{token}/cancel"),
    ] {
        let res = other.post_form(&path, &[]).await;
        assert!(
            matches!(res.status, StatusCode::NOT_FOUND | StatusCode::SEE_OTHER),
            "{path}: {}",
            res.status
        );
    }
    assert_eq!(
        other
            .post_form(&format!("/imports/{token}/confirm"), &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        other.get(&format!("/imports/{token}/marked")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(count(&app, "household").await, 0);
    assert_eq!(
        admin
            .post_form(&format!("/imports/{token}/confirm"), &[])
            .await
            .status,
        StatusCode::OK,
        "another user's cancel left the upload alone"
    );
    assert_eq!(count(&app, "household").await, 2);
}

#[tokio::test]
async fn viewers_and_party_members_get_403_on_upload() {
    let app = TestApp::new().await;
    for who in ["chakan", "dangyuan"] {
        let mut c = app.signed_in(who).await;
        let page = c.get("/imports").await;
        assert!(
            !page.text.contains("type=\"file\"") && page.text.contains("不能导入"),
            "{who}"
        );
        let res = upload(&mut c, "valid.xlsx", &valid_book(), false).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{who}");
    }
    assert_eq!(count(&app, "import_upload").await, 0);
    assert_eq!(count(&app, "household").await, 0);
}

#[tokio::test]
async fn an_upload_without_the_csrf_query_parameter_gets_403() {
    let app = TestApp::new().await;
    let mut c = app.signed_in("admin").await;
    let file = valid_book();
    let files: &[(&str, &str, &[u8])] = &[("file", "valid.xlsx", &file)];
    let res = c.post_multipart_raw("/imports", &[], files).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let token = c.csrf_token().await;
    let in_body = c
        .post_multipart_raw("/imports", &[("_csrf", &token)], files)
        .await;
    assert_eq!(
        in_body.status,
        StatusCode::FORBIDDEN,
        "a multipart body is not read for the token"
    );
    let wrong = c
        .post_multipart_raw("/imports?_csrf=0123456789abcdef", &[], files)
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert_eq!(count(&app, "import_upload").await, 0);
}

#[tokio::test]
async fn a_township_user_cannot_import_a_record_of_another_township() {
    let app = TestApp::new().await;
    let mut c = app.signed_in("xiangzhen").await;
    let foreign = book(&[(
        "户",
        rows(&[
            &["户编号", "所属区划编码"],
            &["990101001001H0100", "990101001001"],
            &["990101002001H0100", "990101002001"],
        ]),
    )]);
    let res = upload(&mut c, "foreign.xlsx", &foreign, false).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text.contains("不在导入范围内"), "{}", res.text);
    assert!(res.text.contains("990101002001"));
    assert!(res.text.contains("发现 1 个问题"), "only the foreign row");
    assert_eq!(count(&app, "household").await, 0);

    let own = book(&[(
        "户",
        rows(&[
            &["户编号", "所属区划编码"],
            &["990101001001H0100", "990101001001"],
        ]),
    )]);
    let res = upload(&mut c, "own.xlsx", &own, false).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    let done = c
        .post_form(&format!("/imports/{}/confirm", token_in(&res.text)), &[])
        .await;
    assert!(done.text.contains("导入完成"));
    assert_eq!(count(&app, "household").await, 1);
}

#[tokio::test]
async fn a_file_that_is_not_an_xlsx_workbook_is_refused_with_a_chinese_message() {
    let app = TestApp::new().await;
    let mut c = app.signed_in("cungan").await;
    let cases: &[(&str, &[u8], &str)] = &[
        (
            "名单.csv",
            "户编号,所属区划编码\n".as_bytes(),
            "不是 .xlsx 工作簿",
        ),
        (
            "名单.xls",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
            "另存为 .xlsx",
        ),
        ("坏文件.xlsx", b"PK\x03\x04 not really a zip", "无法打开"),
        ("空.xlsx", b"", "请选择要导入的 .xlsx 工作簿"),
    ];
    for (name, bytes, words) in cases {
        let res = upload(&mut c, name, bytes, false).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(res.text.contains(words), "{name}: {}", res.text);
        assert!(res.text.contains("type=\"file\""), "{name}: the form again");
    }
    assert_eq!(count(&app, "import_upload").await, 0);
}

#[tokio::test]
async fn an_upload_over_the_size_limit_is_refused() {
    let app = TestApp::with_config(|c| c.upload_limit_mb = 1).await;
    let mut c = app.signed_in("admin").await;
    let big = vec![b'x'; 1024 * 1024 + 1];
    let res = upload(&mut c, "big.xlsx", &big, false).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(res.text.contains("请求内容过大"), "{}", res.text);
}

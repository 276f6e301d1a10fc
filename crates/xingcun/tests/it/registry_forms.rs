//! The registry's create and edit forms: one generic form per workbook sheet that writes
//! through the import (every rule, all or nothing, audited), with inline errors, the user's
//! scope, the stale-edit guard, and no ID number in any URL.

use axum::http::StatusCode;
use sqlx::Row;

use crate::harness::{Client, Res, TestApp};
use crate::workbook::{book, id, opts, rows, run, valid_book};

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
        .fetch_one(&app.db().pool)
        .await
        .unwrap()
        .get(0)
}

async fn one_text(app: &TestApp, sql: &str) -> String {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&app.db().pool)
        .await
        .unwrap()
        .get(0)
}

async fn one_int(app: &TestApp, sql: &str) -> i64 {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&app.db().pool)
        .await
        .unwrap()
        .get(0)
}

/// The valid workbook of the workbook tests: village 990101001001 with households
/// 990101001001H0001 (a phone, 第一村民小组) and H0002, four people, party orgs, posts.
async fn app_with_valid_book() -> TestApp {
    let app = TestApp::new().await;
    let outcome = run(&app, valid_book(), &opts()).await;
    assert!(
        matches!(outcome, xingcun::workbook::ImportOutcome::Done { .. }),
        "{outcome:?}"
    );
    app
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}

/// The value of attribute `name` in one tag's text.
fn attr(tag: &str, name: &str) -> Option<String> {
    let pat = format!(" {name}=\"");
    let i = tag.find(&pat)? + pat.len();
    let rest = &tag[i..];
    Some(unescape(&rest[..rest.find('"')?]))
}

/// What a browser would send for a form page: every named input, the selected option of every
/// select, every textarea (the CSRF token included).
fn form_fields(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, _) in html.match_indices("<input ") {
        let tag = &html[i..i + html[i..].find('>').unwrap()];
        if let Some(name) = attr(tag, "name") {
            out.push((name, attr(tag, "value").unwrap_or_default()));
        }
    }
    for (i, _) in html.match_indices("<select ") {
        let block = &html[i..i + html[i..].find("</select>").unwrap()];
        let tag = &block[..block.find('>').unwrap()];
        let name = attr(tag, "name").unwrap();
        let selected = block
            .match_indices("<option ")
            .map(|(j, _)| &block[j..j + block[j..].find('>').unwrap()])
            .find(|t| t.contains(" selected"))
            .and_then(|t| attr(t, "value"))
            .unwrap_or_default();
        out.push((name, selected));
    }
    for (i, _) in html.match_indices("<textarea ") {
        let open_end = i + html[i..].find('>').unwrap();
        let tag = &html[i..open_end];
        let close = open_end + html[open_end..].find("</textarea>").unwrap();
        out.push((
            attr(tag, "name").unwrap(),
            unescape(&html[open_end + 1..close]),
        ));
    }
    out
}

fn set(fields: &mut [(String, String)], name: &str, value: &str) {
    let f = fields
        .iter_mut()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no field {name}"));
    f.1 = value.to_string();
}

/// Posts the fields exactly as given (they carry their own CSRF token).
async fn submit(c: &mut Client, path: &str, fields: &[(String, String)]) -> Res {
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    c.post_form_raw(path, &pairs).await
}

/// The inline error shown under a field, if any.
fn field_error(html: &str, field: &str) -> Option<String> {
    let pat = format!("id=\"err-{field}\">");
    let i = html.find(&pat)? + pat.len();
    Some(unescape(&html[i..i + html[i..].find('<')?]))
}

/// Opens the new-record form of `slug`, fills `values` in and submits it.
async fn create(c: &mut Client, slug: &str, values: &[(&str, &str)]) -> Res {
    let page = c.get(&format!("/registry/{slug}/new")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let mut fields = form_fields(&page.text);
    for (k, v) in values {
        set(&mut fields, k, v);
    }
    submit(c, &format!("/registry/{slug}/new"), &fields).await
}

fn household<'a>(no: &'a str, org: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("户编号", no), ("所属区划编码", org)]
}

#[tokio::test]
async fn a_household_created_through_the_form_shows_on_its_detail_page() {
    let app = TestApp::new().await;
    let mut c = app.signed_in("admin").await;
    let list = c.get("/households").await;
    assert!(unescape(&list.text).contains("href=\"/registry/households/new\""));
    let form = c.get("/registry/households/new").await;
    for word in [
        "户编号",
        "所属区划编码",
        "全区唯一，建议为村代码+顺序号",
        "<textarea",
    ] {
        assert!(form.text.contains(word), "form lacks {word}");
    }
    assert!(
        form.text.contains("type=\"date\""),
        "注销日期 is a date input"
    );
    let mut values = household("990101001001H0100", "990101001001002");
    values.extend([
        ("村民小组", "第二村民小组"),
        ("地址", "王家庄村\n东街 8 号"),
        ("联系电话", "13900000099"),
        ("脱贫户", "是"),
    ]);
    let res = create(&mut c, "households", &values).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    let id = one_int(
        &app,
        "SELECT id FROM household WHERE household_no = '990101001001H0100'",
    )
    .await;
    assert_eq!(res.location(), format!("/households/{id}"));
    let page = c.get(&res.location()).await;
    assert_eq!(page.status, StatusCode::OK);
    for word in [
        "990101001001H0100",
        "第二村民小组",
        "东街 8 号",
        // Masked on the page; opened only with a reason.
        "139****0099",
        "脱贫户",
    ] {
        assert!(page.text.contains(word), "detail lacks {word}");
    }
    let opened = c
        .post_form(
            &format!("/households/{id}/reveal"),
            &[("reason", "核对联系电话")],
        )
        .await;
    assert!(
        opened.text.contains("13900000099"),
        "the phone was saved whole"
    );
    assert!(unescape(&page.text).contains("/registry/households/edit?key=990101001001H0100"));
    let created = one_int(
        &app,
        "SELECT COUNT(*) FROM audit_log WHERE entity = 'household' AND action = 'create' AND actor_name = 'admin'",
    )
    .await;
    assert_eq!(created, 1);
}

#[tokio::test]
async fn a_bad_phone_and_an_unknown_org_code_are_shown_at_their_fields_and_nothing_is_written() {
    let app = TestApp::new().await;
    let mut c = app.signed_in("admin").await;
    let mut values = household("990101001001H0101", "990101001099");
    values.extend([("联系电话", "12345"), ("村民小组", "第九村民小组")]);
    let res = create(&mut c, "households", &values).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
    let phone = field_error(&res.text, "联系电话").expect("an error at 联系电话");
    assert!(!phone.is_empty());
    let org = field_error(&res.text, "所属区划编码").expect("an error at 所属区划编码");
    assert!(
        org.contains("990101001099") && org.contains("不存在"),
        "{org}"
    );
    assert!(field_error(&res.text, "户编号").is_none());
    assert!(res.text.contains("请修改标出的错误后重新提交"));
    for kept in [
        "value=\"12345\"",
        "value=\"990101001099\"",
        "value=\"第九村民小组\"",
    ] {
        assert!(res.text.contains(kept), "input kept: {kept}");
    }
    assert_eq!(count(&app, "household").await, 0);
    assert_eq!(
        one_int(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'household'"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn a_person_whose_sex_disagrees_with_the_id_number_is_refused_at_the_sex_field() {
    let app = TestApp::new().await;
    let mut c = app.signed_in("admin").await;
    let male = id("19900101", 13);
    let res = create(
        &mut c,
        "people",
        &[("身份证号", &male), ("姓名", "孙七"), ("性别", "女")],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
    let sex = field_error(&res.text, "性别").expect("an error at 性别");
    assert!(sex.contains("性别与身份证号不符"), "{sex}");
    assert_eq!(count(&app, "person").await, 0);
    // The same person with the sex left empty takes it from the ID number.
    let res = create(&mut c, "people", &[("身份证号", &male), ("姓名", "孙七")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    assert_eq!(
        one_text(&app, "SELECT sex FROM person WHERE name = '孙七'").await,
        "male"
    );
    assert!(!res.location().contains(&male[6..14]), "{}", res.location());
}

#[tokio::test]
async fn a_new_record_may_not_reuse_an_existing_key() {
    let app = app_with_valid_book().await;
    let mut c = app.signed_in("admin").await;
    let res = create(
        &mut c,
        "households",
        &household("990101001001H0001", "990101001001"),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
    let err = field_error(&res.text, "户编号").expect("an error at 户编号");
    assert!(err.contains("不能重复新增"), "{err}");
    assert_eq!(
        one_text(
            &app,
            "SELECT group_name FROM household WHERE household_no = '990101001001H0001'"
        )
        .await,
        "第一村民小组",
        "the stored household is untouched"
    );
}

#[tokio::test]
async fn editing_a_household_changes_its_villagers_group_and_leaves_an_audit_row() {
    let app = app_with_valid_book().await;
    let mut c = app.signed_in("admin").await;
    let id = one_int(
        &app,
        "SELECT id FROM household WHERE household_no = '990101001001H0001'",
    )
    .await;
    let detail = c.get(&format!("/households/{id}")).await;
    let edit = "/registry/households/edit?key=990101001001H0001";
    assert!(
        unescape(&detail.text).contains(edit),
        "an edit button on the detail page"
    );
    let form = c.get(edit).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.text);
    assert!(form.text.contains("value=\"第一村民小组\""), "prefilled");
    // Personal numbers are masked in the form too; sent back unchanged, the stored one is kept.
    assert!(
        form.text.contains("value=\"139****0001\""),
        "prefilled phone, masked"
    );
    assert!(!form.text.contains("13900000001"), "never the whole number");
    assert!(
        form.text.contains("value=\"990101001001H0001\" readonly"),
        "the key is read-only"
    );
    let mut fields = form_fields(&form.text);
    assert!(
        !fields.iter().any(|(n, _)| n == "户编号"),
        "the key is not sent back"
    );
    set(&mut fields, "村民小组", "第三村民小组");
    let res = submit(&mut c, "/registry/households/edit", &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    assert_eq!(res.location(), format!("/households/{id}"));
    let page = c.get(&res.location()).await;
    assert!(page.text.contains("第三村民小组"));
    assert!(page.text.contains("139****0001"), "other fields kept");
    let opened = c
        .post_form(
            &format!("/households/{id}/reveal"),
            &[("reason", "核对联系电话")],
        )
        .await;
    assert!(opened.text.contains("13900000001"), "the phone kept whole");
    let audit = sqlx::query(
        "SELECT actor_name, changes FROM audit_log WHERE entity = 'household' AND action = 'update'
         AND entity_key = '990101001001H0001'",
    )
    .fetch_all(&app.db().pool)
    .await
    .unwrap();
    assert_eq!(audit.len(), 1);
    let (actor, changes): (String, String) = (audit[0].get(0), audit[0].get(1));
    assert_eq!(actor, "admin");
    assert!(
        changes.contains("第一村民小组") && changes.contains("第三村民小组"),
        "{changes}"
    );
    assert!(
        !changes.contains("联系电话"),
        "only the changed field: {changes}"
    );
    // Saving the unchanged form writes nothing more.
    let form = c.get(edit).await;
    let res = submit(
        &mut c,
        "/registry/households/edit",
        &form_fields(&form.text),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    assert_eq!(
        one_int(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'household' AND action = 'update'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_village_user_cannot_create_in_another_village_and_gets_404_editing_there() {
    let app = TestApp::new().await;
    let other = book(&[(
        "户",
        rows(&[
            &["户编号", "所属区划编码"],
            &["990101002001H0001", "990101002001"],
        ]),
    )]);
    run(&app, other, &opts()).await;
    let mut c = app.signed_in("cungan").await;
    let res = create(
        &mut c,
        "households",
        &household("990101001002H0001", "990101001002"),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
    assert!(
        res.text.contains("不在导入范围内"),
        "the scope problem is shown: {}",
        res.text
    );
    assert_eq!(count(&app, "household").await, 1, "nothing written");
    let edit = c
        .get("/registry/households/edit?key=990101002001H0001")
        .await;
    assert_eq!(edit.status, StatusCode::NOT_FOUND);
    let token = c.csrf_token().await;
    let post = c
        .post_form_raw(
            "/registry/households/edit",
            &[
                ("_csrf", token.as_str()),
                ("key", "990101002001H0001"),
                ("version", "1"),
                ("所属区划编码", "990101001001"),
            ],
        )
        .await;
    assert_eq!(post.status, StatusCode::NOT_FOUND);
    // In the village itself the same user creates.
    let res = create(
        &mut c,
        "households",
        &household("990101001001H0009", "990101001001"),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
}

#[tokio::test]
async fn a_viewer_may_not_open_or_submit_the_forms() {
    let app = app_with_valid_book().await;
    let mut c = app.signed_in("chakan").await;
    assert_eq!(
        c.get("/registry/households/new").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        c.get("/registry/households/edit?key=990101001001H0001")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let post = c
        .post_form(
            "/registry/households/new",
            &[
                ("户编号", "990101001001H0200"),
                ("所属区划编码", "990101001001"),
            ],
        )
        .await;
    assert_eq!(post.status, StatusCode::FORBIDDEN);
    assert_eq!(count(&app, "household").await, 2);
    let list = c.get("/households").await;
    assert!(
        !unescape(&list.text).contains("/registry/households/new"),
        "no 新增 button"
    );
}

#[tokio::test]
async fn a_stale_edit_is_refused_with_409_and_writes_nothing() {
    let app = app_with_valid_book().await;
    let edit = "/registry/households/edit?key=990101001001H0001";
    let mut first = app.signed_in("admin").await;
    let mut second = app.signed_in("xiangzhen").await;
    let mut stale = form_fields(&first.get(edit).await.text);
    let mut fresh = form_fields(&second.get(edit).await.text);
    set(&mut fresh, "村民小组", "第四村民小组");
    let res = submit(&mut second, "/registry/households/edit", &fresh).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    set(&mut stale, "村民小组", "第五村民小组");
    let res = submit(&mut first, "/registry/households/edit", &stale).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text);
    assert!(res.text.contains("已被他人修改"), "{}", res.text);
    assert!(res.text.contains("value=\"第五村民小组\""), "input kept");
    assert_eq!(
        one_text(
            &app,
            "SELECT group_name FROM household WHERE household_no = '990101001001H0001'"
        )
        .await,
        "第四村民小组"
    );
}

#[tokio::test]
async fn person_edit_urls_carry_row_ids_and_never_an_id_number() {
    let app = app_with_valid_book().await;
    let head1 = id("19650301", 11);
    let mut c = app.signed_in("admin").await;
    let pid = one_int(&app, "SELECT id FROM person WHERE name = '张三'").await;
    let page = c.get(&format!("/people/{pid}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let page = unescape(&page.text);
    let edit = format!("/registry/people/edit?key={pid}");
    assert!(page.contains(&edit), "{}", page);
    let member = one_int(
        &app,
        &format!("SELECT id FROM party_member WHERE person_id = {pid}"),
    )
    .await;
    assert!(page.contains(&format!("/registry/party-members/edit?key={member}")));
    let post = one_int(
        &app,
        &format!("SELECT MIN(id) FROM cadre_post WHERE person_id = {pid}"),
    )
    .await;
    assert!(page.contains(&format!("/registry/cadres/edit?key={post}")));
    for (i, _) in page.match_indices("href=\"") {
        let url = &page[i + 6..i + 6 + page[i + 6..].find('"').unwrap()];
        assert!(!url.contains(&head1), "ID number in a link: {url}");
    }
    let form = c.get(&edit).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.text);
    let head1_masked = xingcun_domain::IdNumber::parse(&head1, chrono::NaiveDate::MAX)
        .unwrap()
        .masked();
    assert!(
        form.text
            .contains(&format!("value=\"{head1_masked}\" readonly"))
    );
    assert!(
        !form.text.contains(&head1),
        "the form never holds the whole ID number"
    );
    assert!(form.text.contains("编辑人员 · 张三"));
    let mut fields = form_fields(&form.text);
    assert!(
        fields.iter().all(|(_, v)| *v != head1),
        "the ID is not sent back"
    );
    set(&mut fields, "在职学历", "大学本科");
    let res = submit(&mut c, "/registry/people/edit", &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    assert_eq!(res.location(), format!("/people/{pid}"));
    assert_eq!(
        one_text(
            &app,
            &format!("SELECT edu_in_service FROM person WHERE id = {pid}")
        )
        .await,
        "bachelor"
    );
}

#[tokio::test]
async fn a_village_cadre_post_chosen_by_its_word_is_stored_by_its_code() {
    let app = app_with_valid_book().await;
    let wife1 = id("19680512", 22);
    let mut c = app.signed_in("admin").await;
    let res = create(
        &mut c,
        "cadres",
        &[
            ("身份证号", &wife1),
            ("干部类别", "村干部"),
            ("职务", "党组织委员"),
            ("任职单位编码", "990101001001"),
            ("任职日期", "2022-01-01"),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    assert_eq!(res.location(), "/cadres");
    let post = one_int(
        &app,
        "SELECT id FROM cadre_post WHERE post = 'branch_committee_member' AND starts_on = '2022-01-01'",
    )
    .await;
    // Its edit form shows the word, and ending the post is one field.
    let edit = format!("/registry/cadres/edit?key={post}");
    let form = c.get(&edit).await;
    assert!(
        form.text.contains("value=\"党组织委员\" readonly"),
        "{}",
        form.text
    );
    let mut fields = form_fields(&form.text);
    set(&mut fields, "离任日期", "2025-12-31");
    let res = submit(&mut c, "/registry/cadres/edit", &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    assert_eq!(
        one_text(
            &app,
            &format!("SELECT ends_on FROM cadre_post WHERE id = {post}")
        )
        .await,
        "2025-12-31"
    );
}

#[tokio::test]
async fn an_org_unit_created_through_the_form_opens_its_page() {
    let app = TestApp::new().await;
    let mut c = app.signed_in("admin").await;
    let res = create(
        &mut c,
        "org-units",
        &[
            ("编码", "990101001001005"),
            ("名称", "第五网格"),
            ("类型", "网格"),
            ("上级编码", "990101001001"),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text);
    assert_eq!(res.location(), "/org-units/990101001001005");
    assert!(c.get(&res.location()).await.text.contains("第五网格"));
}

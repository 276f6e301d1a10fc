//! The registry's read side: lists, detail pages, search and the JSON API, with the scope
//! rule and the masking of ID and phone numbers.

use axum::http::StatusCode;
use serde_json::Value;

use crate::harness::{Client, TestApp};
use crate::registry_fixture::{self, OWN_VILLAGE, Registry, SIBLING_VILLAGE};

async fn app_with_registry() -> (TestApp, Registry) {
    let app = TestApp::new().await;
    let reg = registry_fixture::load(&app).await;
    (app, reg)
}

/// The names in a JSON page of people (or anything with a `name`).
fn names(page: &Value) -> Vec<String> {
    let mut n: Vec<String> = page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("a page: {page}"))
        .iter()
        .map(|i| i["name"].as_str().unwrap_or_default().to_string())
        .collect();
    n.sort();
    n
}

async fn people_named(c: &mut Client, q: &str) -> Vec<String> {
    let url = format!("/api/v1/people?q={}", xingcun::web::urlencode(q));
    names(&c.get(&url).await.json())
}

/// Every URL in a page: `href`, `action` and `src` attributes.
fn urls(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "action=\"", "src=\""] {
        for (i, _) in html.match_indices(attr) {
            let rest = &html[i + attr.len()..];
            out.push(rest[..rest.find('"').unwrap_or(rest.len())].to_string());
        }
    }
    out
}

#[tokio::test]
async fn lists_show_masked_ids_and_phones_and_never_the_plain_numbers() {
    let (app, reg) = app_with_registry().await;
    let mut c = app.signed_in("admin").await;
    let people = c.get("/people").await;
    assert_eq!(people.status, StatusCode::OK);
    for p in [&reg.zhang_san, &reg.li_si, &reg.zhou_su, &reg.zhang_sanfeng] {
        assert!(people.text.contains(&p.id_masked), "{} masked", p.name);
        assert!(!people.text.contains(&p.id_number), "{} plain ID", p.name);
        let phone = p.phone.as_deref().unwrap();
        assert!(people.text.contains(p.phone_masked.as_deref().unwrap()));
        assert!(!people.text.contains(phone), "{} plain phone", p.name);
    }
    assert!(reg.zhang_san.id_masked.ends_with('X') && reg.zhang_san.id_masked.contains("****"));
    let households = c.get("/households").await;
    assert!(households.text.contains("139****0011"));
    assert!(
        !households
            .text
            .contains(reg.own_household.phone.as_deref().unwrap())
    );
    let branch = format!("/party-orgs/{}", reg.own_branch_id);
    for list in ["/party-members", "/cadres", branch.as_str()] {
        let res = c.get(list).await;
        assert_eq!(res.status, StatusCode::OK, "{list}");
        assert!(res.text.contains(&reg.zhang_san.id_masked), "{list}");
        assert!(!res.text.contains(&reg.zhang_san.id_number), "{list}");
    }
}

#[tokio::test]
async fn the_api_returns_only_masked_identifiers_even_to_the_administrator() {
    let (app, reg) = app_with_registry().await;
    let mut c = app.signed_in("admin").await;
    let zs = &reg.zhang_san;
    for url in [
        format!("/api/v1/people/{}", zs.id),
        format!("/api/v1/households/{}", reg.own_household.id),
        "/api/v1/people".to_string(),
        "/api/v1/households".to_string(),
        "/api/v1/party-members".to_string(),
        "/api/v1/cadres".to_string(),
    ] {
        let res = c.get(&url).await;
        assert_eq!(res.status, StatusCode::OK, "{url}");
        assert!(!res.text.contains(&zs.id_number), "{url} has the plain ID");
        assert!(
            !res.text.contains("13900000001"),
            "{url} has the plain phone"
        );
        assert!(
            !res.text.contains("13900000011"),
            "{url} has the plain phone"
        );
        assert!(!res.text.contains("_enc"), "{url} has a ciphertext field");
    }
    let person = c.get(&format!("/api/v1/people/{}", zs.id)).await.json();
    assert_eq!(person["id_masked"], zs.id_masked.as_str());
    assert_eq!(person["phone_masked"], "139****0001");
    assert_eq!(person["highest_education"], "junior_college");
    assert_eq!(person["party_membership"]["category"], "full");
    assert_eq!(person["posts"].as_array().unwrap().len(), 2);
    let household = c
        .get(&format!("/api/v1/households/{}", reg.own_household.id))
        .await
        .json();
    assert_eq!(household["head_name"], "张三");
    assert_eq!(household["members"].as_array().unwrap().len(), 2);
    assert_eq!(household["members"][0]["relation"], "household_head");
}

#[tokio::test]
async fn a_village_user_gets_404_for_another_villages_records_on_pages_and_api() {
    let (app, reg) = app_with_registry().await;
    let mut c = app.signed_in("cungan").await;
    for own in [
        format!("/households/{}", reg.own_household.id),
        format!("/people/{}", reg.zhang_san.id),
        format!("/people/{}", reg.wang_wu.id),
        format!("/party-orgs/{}", reg.own_branch_id),
        format!("/api/v1/households/{}", reg.own_household.id),
        format!("/api/v1/people/{}", reg.zhang_san.id),
    ] {
        assert_eq!(c.get(&own).await.status, StatusCode::OK, "{own}");
    }
    for other in [
        format!("/households/{}", reg.sibling_household.id),
        format!("/households/{}", reg.other_household.id),
        format!("/people/{}", reg.zhou_su.id),
        format!("/people/{}", reg.zhang_sanfeng.id),
        format!("/party-orgs/{}", reg.sibling_branch_id),
        format!("/party-orgs/{}", reg.committee_id),
        format!("/api/v1/households/{}", reg.sibling_household.id),
        format!("/api/v1/people/{}", reg.zhou_su.id),
        format!("/api/v1/people/{}", reg.zhang_sanfeng.id),
        "/households/99999".to_string(),
    ] {
        let res = c.get(&other).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{other}");
        assert!(
            !res.text.contains("周苏") && !res.text.contains("张三丰"),
            "{other}"
        );
    }
    let api = c.get(&format!("/api/v1/people/{}", reg.zhou_su.id)).await;
    assert_eq!(api.json()["error"]["code"], "not_found");
}

#[tokio::test]
async fn a_village_users_lists_hold_only_their_village() {
    let (app, reg) = app_with_registry().await;
    let mut c = app.signed_in("cungan").await;
    let in_village = |page: &Value, field: &str| {
        let items = page["items"].as_array().unwrap();
        assert!(!items.is_empty(), "{page}");
        for i in items {
            let code = i[field].as_str().unwrap();
            assert!(code.starts_with(OWN_VILLAGE), "{code} outside: {page}");
        }
        page["total"].as_i64().unwrap()
    };
    assert_eq!(
        in_village(&c.get("/api/v1/households").await.json(), "org_code"),
        1
    );
    assert_eq!(
        in_village(&c.get("/api/v1/people").await.json(), "org_code"),
        3
    );
    assert_eq!(
        in_village(&c.get("/api/v1/party-members").await.json(), "org_code"),
        2
    );
    assert_eq!(
        in_village(&c.get("/api/v1/cadres").await.json(), "org_code"),
        2
    );
    assert_eq!(
        in_village(&c.get("/api/v1/party-orgs").await.json(), "org_code"),
        1
    );
    for page in [
        "/households",
        "/people",
        "/party-orgs",
        "/party-members",
        "/cadres",
    ] {
        let res = c.get(page).await;
        assert_eq!(res.status, StatusCode::OK, "{page}");
        for outside in [
            "周苏",
            "张三丰",
            reg.sibling_household.no,
            reg.other_household.no,
            "李家洼村支部",
        ] {
            assert!(!res.text.contains(outside), "{page} shows {outside}");
        }
    }
    // Narrowing to a unit outside the scope finds nothing rather than something.
    let narrowed = c
        .get(&format!("/api/v1/people?org={SIBLING_VILLAGE}"))
        .await
        .json();
    assert_eq!(narrowed["total"], 0);
    let page = c.get(&format!("/people?org={SIBLING_VILLAGE}")).await;
    assert!(page.text.contains("暂无数据"));
}

#[tokio::test]
async fn people_are_found_by_name_full_pinyin_and_initials_within_scope() {
    let (app, _reg) = app_with_registry().await;
    let mut village = app.signed_in("cungan").await;
    assert_eq!(people_named(&mut village, "zhangsan").await, ["张三"]);
    assert_eq!(people_named(&mut village, "zhang").await, ["张三"]);
    assert_eq!(people_named(&mut village, "ZS").await, ["张三"]);
    assert_eq!(people_named(&mut village, "张").await, ["张三"]);
    assert_eq!(people_named(&mut village, "三").await, ["张三"]);
    assert!(people_named(&mut village, "周苏").await.is_empty());
    assert!(people_named(&mut village, "zhou").await.is_empty());
    let mut district = app.signed_in("admin").await;
    assert_eq!(
        people_named(&mut district, "zs").await,
        ["周苏", "张三", "张三丰"]
    );
    assert_eq!(
        people_named(&mut district, "zhangsan").await,
        ["张三", "张三丰"]
    );
    assert!(
        people_named(&mut district, "hangsan").await.is_empty(),
        "a prefix, not any part"
    );
    assert!(
        people_named(&mut district, "%").await.is_empty(),
        "wildcards are literal"
    );
    // The page's GET search finds by pinyin too.
    let page = village.get("/people?q=zs").await;
    assert!(
        page.text.contains("张三") && page.text.contains("共 1 条"),
        "{}",
        page.text
    );
}

#[tokio::test]
async fn people_are_found_by_exact_id_number_in_either_case_and_by_phone_within_scope() {
    let (app, reg) = app_with_registry().await;
    let mut village = app.signed_in("cungan").await;
    let id = &reg.zhang_san.id_number;
    assert!(id.ends_with('X'));
    assert_eq!(people_named(&mut village, id).await, ["张三"]);
    assert_eq!(
        people_named(&mut village, &id.to_lowercase()).await,
        ["张三"]
    );
    assert_eq!(people_named(&mut village, "13900000001").await, ["张三"]);
    assert!(
        people_named(&mut village, &id[..17]).await.is_empty(),
        "a part finds no one"
    );
    assert!(people_named(&mut village, "1390000000").await.is_empty());
    // Out of scope: the number exists but the village user does not find it.
    assert!(
        people_named(&mut village, &reg.zhou_su.id_number)
            .await
            .is_empty()
    );
    assert!(people_named(&mut village, "13900000003").await.is_empty());
    let mut district = app.signed_in("admin").await;
    assert_eq!(
        people_named(&mut district, &reg.zhou_su.id_number).await,
        ["周苏"]
    );
    assert_eq!(people_named(&mut district, "13900000005").await, ["张三丰"]);
    // The household number finds its members.
    assert_eq!(
        people_named(&mut village, reg.own_household.no).await,
        ["张三", "李四"]
    );
}

#[tokio::test]
async fn the_people_search_posts_and_puts_no_searched_number_in_any_url() {
    let (app, reg) = app_with_registry().await;
    let mut c = app.signed_in("cungan").await;
    let list = c.get("/people").await;
    assert!(
        list.text
            .contains(r#"<form method="post" action="/people/search""#),
        "{}",
        list.text
    );
    assert!(list.text.contains(r#"name="_csrf""#));
    let id = reg.zhang_san.id_number.to_lowercase();
    for q in [id.as_str(), "13900000001"] {
        let res = c.post_form("/people/search", &[("q", q)]).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        assert!(res.location().is_empty());
        assert!(res.text.contains("张三") && res.text.contains("共 1 条"));
        assert!(res.text.contains(&reg.zhang_san.id_masked));
        assert!(!res.text.contains("李四"));
        for url in urls(&res.text) {
            let lower = url.to_lowercase();
            assert!(
                !lower.contains(&id) && !url.contains("13900000001"),
                "number in a URL: {url}"
            );
        }
    }
    // Without the CSRF field the search is refused like any other form.
    let refused = c.post_form_raw("/people/search", &[("q", "zs")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // A name search by POST keeps its query in the page links, with the other filters.
    let by_name = c
        .post_form("/people/search", &[("q", "zs"), ("sex", "male")])
        .await;
    assert!(by_name.text.contains("q=zs") && by_name.text.contains("sex=male"));
}

#[tokio::test]
async fn the_detail_page_shows_the_plain_id_to_a_village_user_only_with_a_reason() {
    let (app, reg) = app_with_registry().await;
    let zs = &reg.zhang_san;
    let url = format!("/people/{}", zs.id);
    let mut village = app.signed_in("cungan").await;
    let page = village.get(&url).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains(&zs.id_masked), "{}", page.text);
    assert!(
        !page.text.contains(&zs.id_number),
        "masked until a reason is given"
    );
    assert!(!page.text.contains("13900000001"));
    let shown = village
        .post_form(
            &format!("{url}/reveal"),
            &[("field", "id_number"), ("reason", "核对低保申请材料")],
        )
        .await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.text.contains(&zs.id_number), "{}", shown.text);
    assert!(
        !shown.text.contains("13900000001"),
        "only the field asked for"
    );
    let phone = village
        .post_form(
            &format!("{url}/reveal"),
            &[("field", "phone"), ("reason", "电话回访")],
        )
        .await;
    assert!(phone.text.contains("13900000001"));
    // The household's phone number too: masked on its page, opened with a reason, logged.
    let household_url = format!("/households/{}", reg.own_household.id);
    let household = village.get(&household_url).await;
    assert!(
        !household.text.contains("13900000011"),
        "masked until a reason is given"
    );
    assert!(household.text.contains("139****0011"), "{}", household.text);
    assert!(
        !household.text.contains(&zs.id_number),
        "members are listed masked"
    );
    let no_reason = village
        .post_form(&format!("{household_url}/reveal"), &[("reason", " ")])
        .await;
    assert!(no_reason.text.contains("请填写查看原因"));
    assert!(!no_reason.text.contains("13900000011"));
    let opened = village
        .post_form(
            &format!("{household_url}/reveal"),
            &[("reason", "通知领取补贴")],
        )
        .await;
    assert_eq!(opened.status, StatusCode::OK);
    assert!(opened.text.contains("13900000011"), "{}", opened.text);
    let logged: i64 = sqlx::Row::get(
        &sqlx::query(
            "SELECT COUNT(*) FROM access_log WHERE subject = 'household' AND field = 'phone'
               AND reason = '通知领取补贴'",
        )
        .fetch_one(&app.db().pool)
        .await
        .unwrap(),
        0,
    );
    assert_eq!(logged, 1);
    for who in ["chakan", "dangyuan"] {
        let mut c = app.signed_in(who).await;
        let page = c.get(&url).await;
        assert_eq!(page.status, StatusCode::OK, "{who}");
        assert!(page.text.contains(&zs.id_masked), "{who}");
        assert!(
            !page.text.contains(&zs.id_number),
            "{who} sees the plain ID"
        );
        assert!(
            !page.text.contains("13900000001"),
            "{who} sees the plain phone"
        );
        let household = c
            .get(&format!("/households/{}", reg.own_household.id))
            .await;
        assert!(household.text.contains("139****0011"), "{who}");
        assert!(!household.text.contains("13900000011"), "{who}");
    }
}

#[tokio::test]
async fn the_person_page_shows_household_membership_and_posts_with_the_active_one_marked() {
    let (app, reg) = app_with_registry().await;
    let mut c = app.signed_in("cungan").await;
    let page = c.get(&format!("/people/{}", reg.zhang_san.id)).await.text;
    assert!(page.contains(&format!(r#"href="/households/{}""#, reg.own_household.id)));
    assert!(page.contains(reg.own_household.no) && page.contains("户主"));
    assert!(page.contains("中共王家庄村支部委员会") && page.contains("正式党员"));
    assert!(
        page.contains("大学专科"),
        "最高学历 is the higher of the two"
    );
    let secretary = page.find("党组织书记").expect("current post");
    let chair = page.find("村(居)委会主任").expect("past post");
    assert!(secretary < chair, "the latest appointment first");
    let active = &page[secretary..chair];
    assert!(active.contains("在任"), "{active}");
    assert!(page[chair..].contains("离任"));
    let wang = c.get(&format!("/people/{}", reg.wang_wu.id)).await.text;
    assert!(wang.contains("无党员记录") && wang.contains("暂无数据"));
}

#[tokio::test]
async fn the_household_list_filters_by_type_residence_unit_and_number_or_head() {
    let (app, reg) = app_with_registry().await;
    let mut c = app.signed_in("admin").await;
    let mut nos = async |q: &str| -> Vec<String> {
        let page = c.get(&format!("/api/v1/households?{q}")).await.json();
        let mut v: Vec<String> = page["items"]
            .as_array()
            .unwrap_or_else(|| panic!("{q}: {page}"))
            .iter()
            .map(|i| i["household_no"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v
    };
    let (own, sibling, other) = (
        reg.own_household.no,
        reg.sibling_household.no,
        reg.other_household.no,
    );
    assert_eq!(nos("kind=dibao").await, [own]);
    assert_eq!(nos("kind=lifted_out").await, [own]);
    assert_eq!(nos("kind=monitored").await, [other]);
    assert_eq!(nos("kind=general").await, [sibling]);
    assert!(nos("kind=destitute").await.is_empty());
    assert_eq!(nos("residence=in_residence").await.len(), 3);
    assert!(nos("residence=all_away").await.is_empty());
    assert_eq!(nos("org=990101001000").await, [own, sibling]);
    assert_eq!(nos(&format!("org={OWN_VILLAGE}")).await, [own]);
    assert_eq!(nos("q=99010100100").await, [own, sibling], "number prefix");
    assert_eq!(
        nos(&format!("q={}", xingcun::web::urlencode("张三"))).await,
        [own, other],
        "head's name"
    );
    assert_eq!(nos("q=zs").await, [own, sibling, other], "head's initials");
    let page = c.get("/households?kind=monitored").await;
    assert!(page.text.contains("监测对象") && page.text.contains("共 1 条"));
    let empty = c.get("/households?q=nobody").await;
    assert!(empty.text.contains("暂无数据"));
}

#[tokio::test]
async fn the_people_list_filters_by_sex_political_status_and_highest_education() {
    let (app, _reg) = app_with_registry().await;
    let mut c = app.signed_in("admin").await;
    let mut people = async |q: &str| names(&c.get(&format!("/api/v1/people?{q}")).await.json());
    assert_eq!(people("sex=female").await, ["李四"]);
    assert_eq!(
        people("political_status=cpc_probationary_member").await,
        ["李四"]
    );
    assert_eq!(people("political_status=masses").await, ["王五"]);
    assert_eq!(people("education=junior_college").await, ["张三"]);
    assert!(
        people("education=high_school").await.is_empty(),
        "in-service counts"
    );
    assert_eq!(people("education=college").await, ["周苏", "张三"]);
    assert_eq!(people("education=primary_or_below").await, ["王五"]);
    assert!(people("education=unknown").await.is_empty());
    assert_eq!(
        people(&format!("org={OWN_VILLAGE}&education=college")).await,
        ["张三"]
    );
}

#[tokio::test]
async fn party_orgs_nest_under_their_parent_and_count_current_members() {
    let (app, reg) = app_with_registry().await;
    let mut c = app.signed_in("admin").await;
    let orgs = c.get("/api/v1/party-orgs").await.json();
    assert_eq!(orgs["total"], 5);
    let own = orgs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["code"] == "P001001")
        .unwrap();
    assert_eq!(
        (
            own["members"].as_i64(),
            own["probationary_members"].as_i64()
        ),
        (Some(2), Some(1))
    );
    assert_eq!(own["parent_code"], "P001");
    let page = c.get("/party-orgs").await.text;
    let committee = page.find("中共青山镇委员会").unwrap();
    let branch = page
        .find("└ 中共王家庄村支部委员会")
        .expect("indented under its parent");
    let other = page.find("中共柳河镇委员会").unwrap();
    assert!(committee < branch && branch < other, "depth-first order");
    let detail = c
        .get(&format!("/party-orgs/{}", reg.committee_id))
        .await
        .text;
    assert!(detail.contains("中共王家庄村支部委员会") && detail.contains("中共李家洼村支部委员会"));
    let branch_page = c
        .get(&format!("/party-orgs/{}", reg.own_branch_id))
        .await
        .text;
    assert!(branch_page.contains("张三") && branch_page.contains("李四"));
    assert!(branch_page.contains("预备党员"));
    assert!(!branch_page.contains("周苏"));
    let kinds = c.get("/api/v1/party-orgs?kind=committee").await.json();
    assert_eq!(kinds["total"], 2);
}

#[tokio::test]
async fn party_members_filter_by_party_org_category_and_name() {
    let (app, _reg) = app_with_registry().await;
    let mut c = app.signed_in("admin").await;
    let mut members =
        async |q: &str| names(&c.get(&format!("/api/v1/party-members?{q}")).await.json());
    assert_eq!(members("party_org=P001001").await, ["张三", "李四"]);
    assert_eq!(members("category=probationary").await, ["李四"]);
    assert_eq!(members("status=normal").await.len(), 4);
    assert!(members("status=lost_contact").await.is_empty());
    assert_eq!(members("standing=current").await.len(), 4);
    assert!(members("standing=left").await.is_empty());
    assert_eq!(members("q=zs").await, ["周苏", "张三", "张三丰"]);
    let page = c.get("/party-members?party_org=P001001").await;
    assert!(page.text.contains("共 2 条"));
}

#[tokio::test]
async fn cadre_filters_tell_current_from_past_posts_as_of_today() {
    let (app, _reg) = app_with_registry().await;
    let mut c = app.signed_in("cungan").await;
    let mut posts = async |q: &str| -> Vec<String> {
        let page = c.get(&format!("/api/v1/cadres?{q}")).await.json();
        page["items"]
            .as_array()
            .unwrap_or_else(|| panic!("{q}: {page}"))
            .iter()
            .map(|i| i["post"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(posts("standing=in_office").await, ["branch_secretary"]);
    assert_eq!(posts("standing=left").await, ["villagers_committee_chair"]);
    assert_eq!(posts("professional=1").await, ["branch_secretary"]);
    assert_eq!(
        posts("post=villagers_committee_chair").await,
        ["villagers_committee_chair"]
    );
    assert!(
        posts("category=township_leader").await.is_empty(),
        "not in the village"
    );
    let page = c.get("/cadres?standing=in_office").await;
    assert!(page.text.contains("党组织书记") && page.text.contains("在任"));
    let mut township = app.signed_in("admin").await;
    let leaders = township
        .get("/api/v1/cadres?category=township_leader")
        .await
        .json();
    assert_eq!(leaders["items"][0]["post_label"], "镇长");
}

#[tokio::test]
async fn exporting_the_people_list_gives_an_xlsx_with_masked_ids() {
    let (app, reg) = app_with_registry().await;
    let mut c = app.signed_in("cungan").await;
    let list = c.get("/people").await;
    assert!(list.text.contains("/people?export=xlsx"), "the export link");
    let res = c.get("/people?export=xlsx").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(&res.bytes[..2], b"PK");
    let disposition = res.headers["content-disposition"].to_str().unwrap();
    assert!(disposition.contains("attachment") && disposition.contains(".xlsx"));
    let mut reader = xingcun_xlsx::WorkbookReader::open_bytes(res.bytes.clone()).unwrap();
    let rows: Vec<_> = reader
        .rows("人员")
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), 4, "header + the village's 3 people");
    let text = |c: &xingcun_xlsx::Cell| match c {
        xingcun_xlsx::Cell::Text(s) => s.clone(),
        other => format!("{other:?}"),
    };
    let header: Vec<String> = rows[0].1.iter().map(text).collect();
    let id_col = header.iter().position(|h| h == "身份证号").unwrap();
    let zhang = rows
        .iter()
        .find(|(_, cells)| cells.first().map(text).as_deref() == Some("张三"))
        .expect("张三 exported");
    assert_eq!(text(&zhang.1[id_col]), reg.zhang_san.id_masked);
    for (_, cells) in &rows {
        for cell in cells {
            let t = text(cell);
            assert!(!t.contains(&reg.zhang_san.id_number) && !t.contains("13900000001"));
        }
    }
}

#[tokio::test]
async fn the_registry_api_answers_in_the_shapes_openapi_documents() {
    let (app, reg) = app_with_registry().await;
    let doc: Value = serde_json::from_str(xingcun::api::OPENAPI).unwrap();
    let documented = |schema: &str| -> Vec<String> {
        let mut keys: Vec<String> = doc["components"]["schemas"][schema]["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("schema {schema}"))
            .keys()
            .cloned()
            .collect();
        keys.sort();
        keys
    };
    let keys = |v: &Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    let mut c = app.signed_in("admin").await;
    for (url, page, item) in [
        ("/api/v1/households", "HouseholdPage", "Household"),
        ("/api/v1/people", "PersonPage", "Person"),
        ("/api/v1/party-orgs", "PartyOrgPage", "PartyOrg"),
        ("/api/v1/party-members", "PartyMemberPage", "PartyMember"),
        ("/api/v1/cadres", "CadrePostPage", "CadrePost"),
    ] {
        let res = c.get(url).await.json();
        assert_eq!(keys(&res), documented(page), "{url}");
        assert_eq!(keys(&res["items"][0]), documented(item), "{url} item");
    }
    let household = c
        .get(&format!("/api/v1/households/{}", reg.own_household.id))
        .await
        .json();
    assert_eq!(keys(&household), documented("HouseholdRecord"));
    assert_eq!(
        keys(&household["members"][0]),
        documented("HouseholdMember")
    );
    let person = c
        .get(&format!("/api/v1/people/{}", reg.zhang_san.id))
        .await
        .json();
    assert_eq!(keys(&person), documented("PersonRecord"));
    assert_eq!(keys(&person["party_membership"]), documented("PartyMember"));
    assert_eq!(keys(&person["posts"][0]), documented("CadrePost"));
}

//! Open311 GeoReport v2 conformance, written from the specification
//! (<http://wiki.open311.org/GeoReport_v2>): discovery, services, service definitions, POST
//! requests (form-encoded, `api_key`, `attribute[code]` and `attribute[code][]`), GET requests
//! with its filters, default window and limit, GET requests/{id}, tokens, both formats, the
//! spec's errors, datetimes with a timezone, and what an anonymous caller may not see.

use axum::http::StatusCode;
use sqlx::Row;
use xingcun_domain::enums::{DemandCategory, DemandField};

use crate::harness::{Client, Res, TestApp};

const BASE: &str = "/open311/v2";
const VILLAGE: &str = "990101001001";
const GRID: &str = "990101001001001";
const OTHER_TOWNSHIP_VILLAGE: &str = "990101002001";
const DAY_MS: i64 = 86_400_000;

/// A parsed XML element: name, text and children (enough to read the spec's documents).
#[derive(Debug, Clone, Default)]
struct El {
    name: String,
    text: String,
    children: Vec<El>,
}

impl El {
    fn child(&self, name: &str) -> &El {
        self.children
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("<{}> has no <{name}>: {self:?}", self.name))
    }
    fn all(&self, name: &str) -> Vec<&El> {
        self.children.iter().filter(|c| c.name == name).collect()
    }
    fn text_of(&self, name: &str) -> String {
        self.child(name).text.clone()
    }
}

/// Parses an XML document strictly (a malformed document fails the test).
fn xml(doc: &str) -> El {
    use quick_xml::events::Event;
    assert!(
        doc.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"),
        "XML declaration first: {doc}"
    );
    let mut reader = quick_xml::Reader::from_str(doc);
    let mut stack: Vec<El> = vec![El::default()];
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => stack.push(El {
                name: e.name().as_ref().to_string(),
                ..El::default()
            }),
            Event::Empty(e) => {
                let el = El {
                    name: e.name().as_ref().to_string(),
                    ..El::default()
                };
                stack.last_mut().unwrap().children.push(el);
            }
            Event::Text(t) => {
                let s = t.into_inner().into_owned();
                stack.last_mut().unwrap().text.push_str(&s);
            }
            Event::GeneralRef(r) => {
                let name = r.into_inner().into_owned();
                let s = quick_xml::escape::unescape(&format!("&{name};"))
                    .unwrap()
                    .into_owned();
                stack.last_mut().unwrap().text.push_str(&s);
            }
            Event::End(_) => {
                let el = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(el);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut top = stack.pop().unwrap();
    assert_eq!(top.children.len(), 1, "one root element");
    top.children.remove(0)
}

fn content_type(r: &Res) -> String {
    r.headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// Asserts a response is the spec's JSON error list with this HTTP status; returns the
/// descriptions.
fn json_errors(r: &Res, status: StatusCode) -> Vec<(i64, String)> {
    assert_eq!(r.status, status, "{}", r.text);
    assert!(content_type(r).starts_with("application/json"), "{r:?}");
    r.json()
        .as_array()
        .unwrap_or_else(|| panic!("an error list: {}", r.text))
        .iter()
        .map(|e| {
            (
                e["code"].as_i64().expect("numeric code"),
                e["description"].as_str().expect("description").to_string(),
            )
        })
        .collect()
}

async fn token_for(app: &TestApp, username: &str) -> String {
    let uid = xingcun::accounts::find_user_id(&app.db().pool, username)
        .await
        .unwrap()
        .unwrap();
    xingcun::accounts::create_token(app.db(), uid, "open311")
        .await
        .unwrap()
        .1
}

/// A complete filing form for the village, with the given extra fields.
fn filing<'a>(key: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("api_key", key),
        ("service_code", "drinking_water"),
        ("description", "村东头自来水管破裂，停水两天"),
        ("lat", "30.123456"),
        ("long", "114.654321"),
        ("address_string", "王家庄村东头"),
        ("attribute[category]", "urgent"),
        ("attribute[org_code]", VILLAGE),
    ];
    f.extend_from_slice(extra);
    f
}

async fn file(c: &mut Client, key: &str, extra: &[(&str, &str)]) -> String {
    let res = c
        .post_form_raw(&format!("{BASE}/requests.json"), &filing(key, extra))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    let v = res.json();
    assert_eq!(v.as_array().map(Vec::len), Some(1), "{v}");
    v[0]["service_request_id"]
        .as_str()
        .expect("service_request_id")
        .to_string()
}

/// Inserts a demand directly, recorded `age_days` ago, in `status`; returns its number.
async fn insert_demand(app: &TestApp, no: &str, field: &str, status: &str, age_days: i64) {
    let at = xingcun::db::now_ms() - age_days * DAY_MS;
    sqlx::query(
        "INSERT INTO demand (demand_no, org_code, content, registered_on, status, field, category,
                             handler_org_code, channel, created_at, updated_at, deadline_on)
         VALUES ($1, $2, '内部内容', '2026-01-01', $3, $4, 'hard', $2, 'desk', $5, $5, '2026-01-20')",
    )
    .bind(no.to_string())
    .bind(VILLAGE.to_string())
    .bind(status.to_string())
    .bind(field.to_string())
    .bind(at)
    .execute(&app.db().pool)
    .await
    .unwrap();
}

fn ids(v: &serde_json::Value) -> Vec<String> {
    let mut out: Vec<String> = v
        .as_array()
        .unwrap_or_else(|| panic!("a list: {v}"))
        .iter()
        .map(|r| r["service_request_id"].as_str().unwrap().to_string())
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn discovery_names_the_v2_endpoint_in_json_and_xml() {
    let app = TestApp::new().await;
    let mut c = app.client();
    let j = c.get(&format!("{BASE}/discovery.json")).await;
    assert_eq!(j.status, StatusCode::OK);
    assert!(content_type(&j).starts_with("application/json; charset=utf-8"));
    let v = j.json();
    let ep = &v["endpoints"][0];
    assert_eq!(ep["specification"], "http://wiki.open311.org/GeoReport_v2");
    assert!(ep["url"].as_str().unwrap().ends_with("/open311/v2"), "{v}");
    assert_eq!(ep["type"], "production");
    assert_eq!(
        ep["formats"],
        serde_json::json!(["text/xml", "application/json"])
    );
    assert!(v["changeset"].as_str().unwrap().ends_with("+08:00"));

    let x = c.get(&format!("{BASE}/discovery.xml")).await;
    assert_eq!(x.status, StatusCode::OK);
    assert!(content_type(&x).starts_with("text/xml; charset=utf-8"));
    let d = xml(&x.text);
    assert_eq!(d.name, "discovery");
    let ep = d.child("endpoints").child("endpoint");
    assert_eq!(
        ep.text_of("specification"),
        "http://wiki.open311.org/GeoReport_v2"
    );
    let formats: Vec<String> = ep
        .child("formats")
        .all("format")
        .iter()
        .map(|f| f.text.clone())
        .collect();
    assert_eq!(formats, ["text/xml", "application/json"]);
}

#[tokio::test]
async fn the_services_are_the_demand_fields() {
    let app = TestApp::new().await;
    let mut c = app.client();
    let v = c.get(&format!("{BASE}/services.json")).await.json();
    let list = v.as_array().unwrap();
    let want: Vec<(String, String)> = DemandField::ALL
        .iter()
        .map(|f| (f.code().to_string(), f.label().to_string()))
        .collect();
    let got: Vec<(String, String)> = list
        .iter()
        .map(|s| {
            (
                s["service_code"].as_str().unwrap().to_string(),
                s["service_name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(got, want);
    for s in list {
        assert_eq!(s["metadata"], true);
        assert_eq!(s["type"], "realtime");
        assert!(!s["group"].as_str().unwrap().is_empty(), "{s}");
        assert!(!s["description"].as_str().unwrap().is_empty(), "{s}");
    }
    let x = xml(&c.get(&format!("{BASE}/services.xml")).await.text);
    assert_eq!(x.name, "services");
    let codes: Vec<String> = x
        .all("service")
        .iter()
        .map(|s| s.text_of("service_code"))
        .collect();
    assert_eq!(codes, want.iter().map(|w| w.0.clone()).collect::<Vec<_>>());
    assert_eq!(x.all("service")[1].text_of("metadata"), "true");
}

#[tokio::test]
async fn a_service_definition_asks_for_category_unit_and_contact() {
    let app = TestApp::new().await;
    let mut c = app.client();
    let v = c
        .get(&format!("{BASE}/services/drinking_water.json"))
        .await
        .json();
    assert_eq!(v["service_code"], "drinking_water");
    let attrs = v["attributes"].as_array().unwrap();
    let summary: Vec<(String, String, bool, i64)> = attrs
        .iter()
        .map(|a| {
            assert_eq!(a["variable"], true);
            (
                a["code"].as_str().unwrap().to_string(),
                a["datatype"].as_str().unwrap().to_string(),
                a["required"].as_bool().unwrap(),
                a["order"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("category".into(), "singlevaluelist".into(), true, 1),
            ("org_code".into(), "string".into(), true, 2),
            ("contact_name".into(), "string".into(), false, 3),
        ]
    );
    let values: Vec<(String, String)> = attrs[0]["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["key"].as_str().unwrap().to_string(),
                v["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = DemandCategory::ALL
        .iter()
        .map(|c| (c.code().to_string(), c.label().to_string()))
        .collect();
    assert_eq!(values, want);

    let x = xml(&c.get(&format!("{BASE}/services/farming.xml")).await.text);
    assert_eq!(x.name, "service_definition");
    assert_eq!(x.text_of("service_code"), "farming");
    let a = x.child("attributes").all("attribute");
    assert_eq!(a.len(), 3);
    let keys: Vec<String> = a[0]
        .child("values")
        .all("value")
        .iter()
        .map(|v| v.text_of("key"))
        .collect();
    assert_eq!(keys, ["urgent", "hard", "worrying", "hoped_for"]);

    let missing = c.get(&format!("{BASE}/services/potholes.json")).await;
    let errs = json_errors(&missing, StatusCode::NOT_FOUND);
    assert_eq!(errs[0].0, 404);
    assert!(errs[0].1.contains("potholes"), "{errs:?}");
    let x = c.get(&format!("{BASE}/services/potholes.xml")).await;
    assert_eq!(x.status, StatusCode::NOT_FOUND);
    let e = xml(&x.text);
    assert_eq!(e.name, "errors");
    assert_eq!(e.child("error").text_of("code"), "404");
}

#[tokio::test]
async fn unknown_formats_and_resources_are_404() {
    let app = TestApp::new().await;
    let mut c = app.client();
    for path in [
        "services.html",
        "services",
        "services/drinking_water.csv",
        "potholes.json",
        "requests/SQ1.yaml",
    ] {
        let r = c.get(&format!("{BASE}/{path}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.text);
        assert_eq!(json_errors(&r, StatusCode::NOT_FOUND)[0].0, 404);
    }
    let r = c.post_form_raw(&format!("{BASE}/requests.txt"), &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn filing_needs_a_valid_api_key_in_the_spec_error_format() {
    let app = TestApp::new().await;
    let mut c = app.client();
    // No key at all: 403 (JSON and XML).
    let form: Vec<(&str, &str)> = filing("", &[])
        .into_iter()
        .filter(|(k, _)| *k != "api_key")
        .collect();
    let r = c
        .post_form_raw(&format!("{BASE}/requests.json"), &form)
        .await;
    let errs = json_errors(&r, StatusCode::FORBIDDEN);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].0, 403);
    assert!(errs[0].1.contains("api_key"), "{errs:?}");
    let r = c
        .post_form_raw(&format!("{BASE}/requests.xml"), &form)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(content_type(&r).starts_with("text/xml"));
    let e = xml(&r.text);
    assert_eq!(e.name, "errors");
    assert_eq!(e.child("error").text_of("code"), "403");
    assert!(e.child("error").text_of("description").contains("api_key"));
    // A made-up key and a revoked one: 403.
    let r = c
        .post_form_raw(&format!("{BASE}/requests.json"), &filing("xc_nope", &[]))
        .await;
    assert_eq!(json_errors(&r, StatusCode::FORBIDDEN)[0].0, 403);
    let uid = xingcun::accounts::find_user_id(&app.db().pool, "cungan")
        .await
        .unwrap()
        .unwrap();
    let (tid, key) = xingcun::accounts::create_token(app.db(), uid, "t")
        .await
        .unwrap();
    xingcun::accounts::revoke_token(app.db(), tid)
        .await
        .unwrap();
    let r = c
        .post_form_raw(&format!("{BASE}/requests.json"), &filing(&key, &[]))
        .await;
    assert_eq!(json_errors(&r, StatusCode::FORBIDDEN)[0].0, 403);
    // A key whose account may only read: 403.
    let viewer = token_for(&app, "chakan").await;
    let r = c
        .post_form_raw(&format!("{BASE}/requests.json"), &filing(&viewer, &[]))
        .await;
    assert_eq!(json_errors(&r, StatusCode::FORBIDDEN)[0].0, 403);
    // An empty request: every missing parameter at once, 400.
    let r = c.post_form_raw(&format!("{BASE}/requests.json"), &[]).await;
    let errs = json_errors(&r, StatusCode::BAD_REQUEST);
    let text = format!("{errs:?}");
    for word in ["service_code", "description", "lat", "api_key"] {
        assert!(text.contains(word), "{word} in {text}");
    }
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM demand")
        .fetch_one(&app.db().pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 0, "nothing filed");
}

#[tokio::test]
async fn a_filed_request_is_a_durable_demand_with_sealed_contact() {
    let app = TestApp::new().await;
    let key = token_for(&app, "cungan").await;
    let mut c = app.client();
    let phone = "13912345678";
    let res = c
        .post_form_raw(
            &format!("{BASE}/requests.xml"),
            &filing(
                &key,
                &[
                    ("first_name", "三"),
                    ("last_name", "张"),
                    ("phone", phone),
                    ("email", "zs@example.com"),
                    ("jurisdiction_id", "ignored.example"),
                ],
            ),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    let x = xml(&res.text);
    assert_eq!(x.name, "service_requests");
    let req = x.child("request");
    let no = req.text_of("service_request_id");
    assert!(no.starts_with("SQ"), "{no}");
    assert!(req.text_of("service_notice").contains(&no));
    assert!(req.all("account_id").len() == 1 && req.all("token").is_empty());
    assert!(!res.text.contains(phone) && !res.text.contains("张三"));

    let row = sqlx::query(
        "SELECT org_code, category, field, channel, status, content, address, lat, lon,
                contact_phone_enc, contact_phone_masked, contact_name_enc, handler_org_code
           FROM demand WHERE demand_no = $1",
    )
    .bind(no.clone())
    .fetch_one(&app.db().pool)
    .await
    .unwrap();
    let s = |i: usize| row.get::<Option<String>, _>(i).unwrap_or_default();
    assert_eq!(
        (s(0), s(1), s(2), s(3), s(4)),
        (
            VILLAGE.to_string(),
            "urgent".to_string(),
            "drinking_water".to_string(),
            "open311".to_string(),
            "pending".to_string()
        )
    );
    assert_eq!(s(5), "村东头自来水管破裂，停水两天");
    assert_eq!(
        (s(6), s(7), s(8)),
        (
            "王家庄村东头".into(),
            "30.123456".into(),
            "114.654321".into()
        )
    );
    assert!(!s(9).is_empty() && !s(9).contains(phone), "phone sealed");
    assert!(
        !s(10).contains(phone) && s(10).ends_with("5678"),
        "masked: {}",
        s(10)
    );
    assert!(!s(11).is_empty() && !s(11).contains('张'), "name sealed");
    assert_eq!(s(12), VILLAGE);
    let opened = xingcun::registry::personal::open(
        app.state.crypto(),
        &s(11),
        xingcun::demands::AAD_CONTACT_NAME,
    );
    assert_eq!(opened.as_deref(), Some("张三"));
    // Audited in its transaction.
    let audited: i64 =
        sqlx::query("SELECT COUNT(*) FROM audit_log WHERE entity = 'demand' AND entity_key = $1")
            .bind(no.clone())
            .fetch_one(&app.db().pool)
            .await
            .unwrap()
            .get(0);
    assert_eq!(audited, 1);
    // A grid of the village is a unit too.
    let on_grid = file(&mut c, &key, &[]).await;
    assert_ne!(on_grid, no);
    let r = c
        .post_form_raw(
            &format!("{BASE}/requests.json"),
            &[
                ("api_key", key.as_str()),
                ("service_code", "transport"),
                ("description", "网格内路灯不亮"),
                ("address_string", "一组"),
                ("attribute[category]", "hoped_for"),
                ("attribute[org_code]", GRID),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}

#[tokio::test]
async fn attributes_are_read_in_both_forms() {
    let app = TestApp::new().await;
    let key = token_for(&app, "cungan").await;
    let mut c = app.client();
    let url = format!("{BASE}/requests.json");
    let without_category: Vec<(&str, &str)> = filing(&key, &[])
        .into_iter()
        .filter(|(k, _)| *k != "attribute[category]")
        .collect();
    // `attribute[category][]` with one value is that value.
    let mut f = without_category.clone();
    f.push(("attribute[category][]", "worrying"));
    let r = c.post_form_raw(&url, &f).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let no = r.json()[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_string();
    let cat: String = sqlx::query("SELECT category FROM demand WHERE demand_no = $1")
        .bind(no)
        .fetch_one(&app.db().pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(cat, "worrying");
    // Two values for a singlevaluelist: 400 naming both.
    let mut f = without_category.clone();
    f.push(("attribute[category][]", "urgent"));
    f.push(("attribute[category][]", "hard"));
    let errs = json_errors(&c.post_form_raw(&url, &f).await, StatusCode::BAD_REQUEST);
    let text = format!("{errs:?}");
    assert!(
        text.contains("category") && text.contains("urgent") && text.contains("hard"),
        "{text}"
    );
    // A list attribute the service does not have: 400 naming it and its values.
    let f = filing(&key, &[("attribute[x][]", "a"), ("attribute[x][]", "b")]);
    let errs = json_errors(&c.post_form_raw(&url, &f).await, StatusCode::BAD_REQUEST);
    let text = format!("{errs:?}");
    assert!(
        text.contains("attribute[x]") && text.contains("2") && text.contains("a、b"),
        "{text}"
    );
    // A category outside the list, and none at all.
    let f = filing(&key, &[("attribute[category]", "someday")]);
    let f: Vec<_> = f
        .into_iter()
        .filter(|p| *p != ("attribute[category]", "urgent"))
        .collect();
    let errs = json_errors(&c.post_form_raw(&url, &f).await, StatusCode::BAD_REQUEST);
    assert!(format!("{errs:?}").contains("someday"));
    let errs = json_errors(
        &c.post_form_raw(&url, &without_category).await,
        StatusCode::BAD_REQUEST,
    );
    assert!(format!("{errs:?}").contains("attribute[category]"));
}

#[tokio::test]
async fn filing_outside_the_keys_scope_is_refused_like_an_unknown_unit() {
    let app = TestApp::new().await;
    let key = token_for(&app, "xiangzhen").await;
    let mut c = app.client();
    let url = format!("{BASE}/requests.json");
    let with_org = |org: &'static str| -> Vec<(&str, &str)> {
        filing(&key, &[])
            .into_iter()
            .map(|(k, v)| {
                if k == "attribute[org_code]" {
                    (k, org)
                } else {
                    (k, v)
                }
            })
            .collect()
    };
    let outside = json_errors(
        &c.post_form_raw(&url, &with_org(OTHER_TOWNSHIP_VILLAGE))
            .await,
        StatusCode::BAD_REQUEST,
    );
    let unknown = json_errors(
        &c.post_form_raw(&url, &with_org("990101001099")).await,
        StatusCode::BAD_REQUEST,
    );
    let strip = |e: &[(i64, String)], code: &str| e[0].1.replace(code, "CODE");
    assert_eq!(
        strip(&outside, OTHER_TOWNSHIP_VILLAGE),
        strip(&unknown, "990101001099")
    );
    let township = json_errors(
        &c.post_form_raw(&url, &with_org("990101001000")).await,
        StatusCode::BAD_REQUEST,
    );
    assert!(township[0].1.contains("不是村"), "{township:?}");
    // The township's own village is in scope.
    assert_eq!(
        c.post_form_raw(&url, &with_org(VILLAGE)).await.status,
        StatusCode::OK
    );
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM demand")
        .fetch_one(&app.db().pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 1);
}

#[tokio::test]
async fn get_requests_keeps_to_the_default_window_unless_asked() {
    let app = TestApp::new().await;
    let key = token_for(&app, "cungan").await;
    insert_demand(&app, "SQOLD", "farming", "pending", 100).await;
    insert_demand(&app, "SQRECENT", "farming", "pending", 10).await;
    let mut c = app.client();
    let list = |q: String| format!("{BASE}/requests.json?api_key={key}{q}");
    let v = c.get(&list(String::new())).await.json();
    assert_eq!(ids(&v), ["SQRECENT"]);
    // start_date 120 days back: a 90-day window from there holds the old one only.
    let start = xingcun::dates::rfc3339_cst(xingcun::db::now_ms() - 120 * DAY_MS);
    let v = c
        .get(&list(format!(
            "&start_date={}",
            xingcun::web::urlencode(&start)
        )))
        .await
        .json();
    assert_eq!(ids(&v), ["SQOLD"]);
    // end_date 50 days back: the 90 days before it.
    let end = xingcun::dates::rfc3339_cst(xingcun::db::now_ms() - 50 * DAY_MS);
    let v = c
        .get(&list(format!(
            "&end_date={}",
            xingcun::web::urlencode(&end)
        )))
        .await
        .json();
    assert_eq!(ids(&v), ["SQOLD"]);
    // Both, spanning 91 days: 400; an unparseable date: 400.
    let a = xingcun::dates::rfc3339_cst(xingcun::db::now_ms() - 101 * DAY_MS);
    let b = xingcun::dates::rfc3339_cst(xingcun::db::now_ms() - 10 * DAY_MS);
    let r = c
        .get(&list(format!(
            "&start_date={}&end_date={}",
            xingcun::web::urlencode(&a),
            xingcun::web::urlencode(&b)
        )))
        .await;
    assert_eq!(json_errors(&r, StatusCode::BAD_REQUEST)[0].0, 400);
    let r = c.get(&list("&start_date=last-week".into())).await;
    assert_eq!(json_errors(&r, StatusCode::BAD_REQUEST)[0].0, 400);
    // A `+` the client did not encode (decoded as a space) still reads.
    let start = xingcun::dates::rfc3339_cst(xingcun::db::now_ms() - 120 * DAY_MS);
    let v = c.get(&list(format!("&start_date={start}"))).await.json();
    assert_eq!(ids(&v), ["SQOLD"]);
}

#[tokio::test]
async fn get_requests_returns_at_most_1000() {
    let app = TestApp::new().await;
    let key = token_for(&app, "admin").await;
    let pool = &app.db().pool;
    let now = xingcun::db::now_ms();
    let mut tx = pool.begin().await.unwrap();
    for i in 0..1005i64 {
        sqlx::query(
            "INSERT INTO demand (demand_no, org_code, content, registered_on, status, channel,
                                 created_at, updated_at)
             VALUES ($1, $2, 'x', '2026-01-01', 'pending', 'desk', $3, $3)",
        )
        .bind(format!("SQBULK{i:05}"))
        .bind(VILLAGE.to_string())
        .bind(now - i * 1000)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let mut c = app.client();
    let v = c
        .get(&format!("{BASE}/requests.json?api_key={key}"))
        .await
        .json();
    let got = ids(&v);
    assert_eq!(got.len(), 1000);
    // The newest thousand: the five oldest are left out.
    assert!(!got.contains(&"SQBULK01004".to_string()) && got.contains(&"SQBULK00000".to_string()));
}

#[tokio::test]
async fn status_maps_to_open_and_closed_with_notes_from_the_public_log() {
    let app = TestApp::new().await;
    let key = token_for(&app, "cungan").await;
    for (no, status) in [
        ("SQP", "pending"),
        ("SQI", "in_progress"),
        ("SQC", "concluded"),
        ("SQX", "closed"),
    ] {
        insert_demand(&app, no, "health", status, 1).await;
    }
    insert_demand(&app, "SQW", "education", "pending", 1).await;
    let pool = &app.db().pool;
    let id: i64 = sqlx::query("SELECT id FROM demand WHERE demand_no = 'SQC'")
        .fetch_one(pool)
        .await
        .unwrap()
        .get(0);
    for (comment, public) in [("已解决：水管已修复", 1i64), ("内部：费用走村集体", 0)]
    {
        sqlx::query(
            "INSERT INTO demand_event (demand_id, at, actor, action, comment, public)
             VALUES ($1, $2, '村干部', 'conclude', $3, $4)",
        )
        .bind(id)
        .bind(xingcun::db::now_ms())
        .bind(comment)
        .bind(public)
        .execute(pool)
        .await
        .unwrap();
    }
    let mut c = app.client();
    let get = |q: &str| format!("{BASE}/requests.json?api_key={key}&service_code=health{q}");
    assert_eq!(
        ids(&c.get(&get("&status=open")).await.json()),
        ["SQI", "SQP"]
    );
    assert_eq!(
        ids(&c.get(&get("&status=closed")).await.json()),
        ["SQC", "SQX"]
    );
    assert_eq!(
        ids(&c.get(&get("&status=open,closed")).await.json()).len(),
        4
    );
    assert_eq!(ids(&c.get(&get("")).await.json()).len(), 4);
    let r = c.get(&get("&status=resolved")).await;
    assert_eq!(json_errors(&r, StatusCode::BAD_REQUEST)[0].0, 400);
    // service_code lists, comma-delimited.
    let v = c
        .get(&format!(
            "{BASE}/requests.json?api_key={key}&service_code=health,education"
        ))
        .await
        .json();
    assert_eq!(ids(&v).len(), 5);
    let all = c.get(&get("")).await.json();
    for r in all.as_array().unwrap() {
        let (no, status) = (
            r["service_request_id"].as_str().unwrap(),
            r["status"].as_str().unwrap(),
        );
        let want = if matches!(no, "SQP" | "SQI") {
            "open"
        } else {
            "closed"
        };
        assert_eq!(status, want, "{no}");
        match no {
            "SQC" => assert_eq!(r["status_notes"], "已解决：水管已修复"),
            "SQP" => assert_eq!(r["status_notes"], "待受理"),
            _ => {}
        }
        assert_eq!(r["service_name"], "医疗卫生");
    }
}

#[tokio::test]
async fn service_request_id_lists_override_the_other_filters() {
    let app = TestApp::new().await;
    let key = token_for(&app, "cungan").await;
    insert_demand(&app, "SQA", "farming", "pending", 1).await;
    insert_demand(&app, "SQB", "health", "closed", 200).await;
    insert_demand(&app, "SQC", "health", "pending", 1).await;
    let mut c = app.client();
    let v = c
        .get(&format!(
            "{BASE}/requests.json?api_key={key}&service_request_id=SQA,SQB,SQNONE&status=open&service_code=health"
        ))
        .await
        .json();
    assert_eq!(ids(&v), ["SQA", "SQB"]);
    // The numbers alone, without a key: the holder of a number may read its status.
    let v = c
        .get(&format!("{BASE}/requests.json?service_request_id=SQA,SQC"))
        .await
        .json();
    assert_eq!(ids(&v), ["SQA", "SQC"]);
}

#[tokio::test]
async fn one_request_in_xml_with_datetimes_in_cst() {
    let app = TestApp::new().await;
    let key = token_for(&app, "cungan").await;
    let mut c = app.client();
    let no = file(&mut c, &key, &[]).await;
    let r = c
        .get(&format!("{BASE}/requests/{no}.xml?api_key={key}"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let x = xml(&r.text);
    assert_eq!(x.name, "service_requests");
    let req = x.child("request");
    assert_eq!(req.text_of("service_request_id"), no);
    assert_eq!(req.text_of("status"), "open");
    assert_eq!(req.text_of("service_code"), "drinking_water");
    assert_eq!(req.text_of("service_name"), "饮水安全");
    assert_eq!(req.text_of("description"), "村东头自来水管破裂，停水两天");
    assert_eq!(req.text_of("lat"), "30.123456");
    assert_eq!(req.text_of("long"), "114.654321");
    assert!(!req.text_of("agency_responsible").is_empty());
    for f in [
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
    ] {
        let t = req.text_of(f);
        assert!(t.ends_with("+08:00"), "{f}: {t}");
        chrono::DateTime::parse_from_rfc3339(&t).unwrap_or_else(|e| panic!("{f} {t}: {e}"));
    }
    // JSON: coordinates as numbers, same datetimes.
    let j = c
        .get(&format!("{BASE}/requests/{no}.json?api_key={key}"))
        .await
        .json();
    assert_eq!(j[0]["lat"], 30.123456);
    assert_eq!(
        j[0]["requested_datetime"].as_str(),
        Some(req.text_of("requested_datetime").as_str())
    );
    // Unknown number: 404 in the spec's format.
    let r = c.get(&format!("{BASE}/requests/SQNOSUCH.xml")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(xml(&r.text).child("error").text_of("code"), "404");
    // The token resolves to the same number at once.
    let t = c.get(&format!("{BASE}/tokens/{no}.json")).await.json();
    assert_eq!(t[0]["service_request_id"], no.as_str());
    assert_eq!(t[0]["token"], no.as_str());
    let t = xml(&c.get(&format!("{BASE}/tokens/{no}.xml")).await.text);
    assert_eq!(t.child("request").text_of("service_request_id"), no);
    assert_eq!(
        c.get(&format!("{BASE}/tokens/SQNOSUCH.json")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn nothing_personal_without_a_key_that_covers_the_demand() {
    let app = TestApp::new().await;
    let key = token_for(&app, "cungan").await;
    let other = token_for(&app, "admin").await;
    let mut c = app.client();
    let no = file(
        &mut c,
        &key,
        &[
            ("first_name", "三"),
            ("last_name", "张"),
            ("phone", "13912345678"),
        ],
    )
    .await;
    let secrets = [
        "张三",
        "13912345678",
        "5678",
        "村东头自来水管",
        "王家庄村东头",
        "30.123456",
    ];
    // Anonymous: the number's status, nothing else.
    for path in [
        format!("{BASE}/requests/{no}.json"),
        format!("{BASE}/requests/{no}.xml"),
        format!("{BASE}/requests.json?service_request_id={no}"),
        format!("{BASE}/tokens/{no}.json"),
    ] {
        let r = c.get(&path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        for s in secrets {
            assert!(!r.text.contains(s), "{path} shows {s}: {}", r.text);
        }
    }
    let j = c.get(&format!("{BASE}/requests/{no}.json")).await.json();
    assert_eq!(j[0]["status"], "open");
    assert!(j[0]["description"].is_null() && j[0]["address"].is_null() && j[0]["lat"].is_null());
    // Listing without a key is refused: the numbers are the residents' keys.
    let r = c.get(&format!("{BASE}/requests.json")).await;
    assert_eq!(json_errors(&r, StatusCode::FORBIDDEN)[0].0, 403);
    let r = c.get(&format!("{BASE}/requests.xml")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(xml(&r.text).child("error").text_of("code"), "403");
    // The district's key covers it: description and location, never the contact.
    let r = c
        .get(&format!("{BASE}/requests/{no}.json?api_key={other}"))
        .await;
    assert!(r.text.contains("村东头自来水管破裂"), "{}", r.text);
    for s in ["张三", "13912345678"] {
        assert!(!r.text.contains(s), "{s}");
    }
    let r = c
        .get(&format!("{BASE}/requests.json?api_key={other}"))
        .await;
    assert_eq!(ids(&r.json()), std::slice::from_ref(&no));
    for s in ["张三", "13912345678"] {
        assert!(!r.text.contains(s), "{s}");
    }
    // A bad key on a read is an error, not a silent anonymous answer.
    let r = c
        .get(&format!("{BASE}/requests/{no}.json?api_key=xc_nope"))
        .await;
    assert_eq!(json_errors(&r, StatusCode::FORBIDDEN)[0].0, 403);
}

#[tokio::test]
async fn a_key_lists_only_its_scope_and_a_session_may_read_too() {
    let app = TestApp::new().await;
    let village_key = token_for(&app, "cungan").await;
    insert_demand(&app, "SQMINE", "farming", "pending", 1).await;
    sqlx::query(
        "INSERT INTO demand (demand_no, org_code, content, registered_on, status, channel,
                             created_at, updated_at, handler_org_code)
         VALUES ('SQFAR', $1, '别村的事', '2026-01-01', 'pending', 'desk', $2, $2, $1)",
    )
    .bind(OTHER_TOWNSHIP_VILLAGE)
    .bind(xingcun::db::now_ms())
    .execute(&app.db().pool)
    .await
    .unwrap();
    let mut c = app.client();
    let v = c
        .get(&format!("{BASE}/requests.json?api_key={village_key}"))
        .await
        .json();
    assert_eq!(ids(&v), ["SQMINE"]);
    // By number, the far one shows its status but not its content.
    let r = c
        .get(&format!("{BASE}/requests/SQFAR.json?api_key={village_key}"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.text.contains("别村的事"));
    // A signed-in township user reads its township's demands in a browser.
    let mut s = app.signed_in("xiangzhen").await;
    let v = s.get(&format!("{BASE}/requests.json")).await.json();
    assert_eq!(ids(&v), ["SQMINE"]);
    // An account that may not read data is refused.
    let mut a = app.signed_in("xitong").await;
    let r = a.get(&format!("{BASE}/requests.json")).await;
    assert_eq!(json_errors(&r, StatusCode::FORBIDDEN)[0].0, 403);
}

#[tokio::test]
async fn a_browser_session_cannot_file_without_a_key() {
    // `/open311/` is exempt from CSRF because filing is authorised by `api_key` only: a signed-in
    // browser posting without a key files nothing.
    let app = TestApp::new().await;
    let mut s = app.signed_in("admin").await;
    let form: Vec<(&str, &str)> = filing("", &[])
        .into_iter()
        .filter(|(k, _)| *k != "api_key")
        .collect();
    let r = s
        .post_form_raw(&format!("{BASE}/requests.json"), &form)
        .await;
    assert_eq!(json_errors(&r, StatusCode::FORBIDDEN)[0].0, 403);
}

#[tokio::test]
async fn every_listed_open311_route_answers_on_an_empty_database() {
    // The route walkers stop at their first failure elsewhere; this one covers `/open311/`.
    let app = TestApp::new().await;
    let mut admin = app.signed_in("admin").await;
    let mut anonymous = app.client();
    let routes: Vec<&(&str, &str)> = xingcun::router::ROUTES
        .iter()
        .filter(|(_, p)| p.starts_with("/open311/"))
        .collect();
    assert_eq!(routes.len(), 10, "{routes:?}");
    for (method, path) in routes {
        let access = xingcun::router::route_access(method, path).expect("declared");
        if *method == "GET" {
            let r = admin.get(path).await;
            assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text);
            let r = anonymous.get(path).await;
            let want = if access == xingcun::router::Access::Public {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(r.status, want, "anonymous {path}: {}", r.text);
        } else {
            let r = anonymous.post_form_raw(path, &[]).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}: {}", r.text);
        }
    }
}

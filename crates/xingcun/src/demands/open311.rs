//! Open311 GeoReport v2 under `/open311/v2/`, so existing civic-issue clients can file and follow
//! demands. Every resource answers in XML (`.xml`) and JSON (`.json`); any other extension is 404.
//!
//! How the platform maps onto the specification:
//! - **Services** are the 18 demand fields (领域): `service_code` is the field's code (e.g.
//!   `drinking_water`), `service_name` its Chinese label; `type` is `realtime`, `metadata` true.
//! - **Service definition**: three attributes — `category` (急/难/愁/盼, required
//!   singlevaluelist), `org_code` (the village, community or grid the demand concerns, required
//!   string: a 12-digit village or 15-digit grid division code) and `contact_name` (optional).
//!   The spec's location parameter (`lat`+`long`, `address_string` or `address_id`) is required
//!   as well; `address_string` (else `address_id`) is kept as the demand's address.
//! - **POST requests** needs `api_key`, an API token made with `xingcun token create`, whose
//!   account may write data and whose scope holds `org_code`. A malformed request (no
//!   `service_code`, no `description`, no location) is refused with 400 and every problem listed
//!   before the key is looked at; then a missing or unknown key is 403, an unknown service 404.
//!   `phone` is sealed like every personal number; `first_name`/`last_name` (or
//!   `attribute[contact_name]`) are sealed as the contact name; neither is ever returned.
//!   `email`, `device_id`, `account_id` and `media_url` are not kept.
//! - **service_request_id** is the demand number (e.g. `SQ20261129ABC2EF`). Filing is
//!   synchronous (durable commit before the answer), so no token is returned; `tokens/{id}`
//!   still answers for a demand number, with `token` = `service_request_id`.
//! - **Status**: 待受理/办理中 are `open`, 已办结/已关闭 `closed`; `status_notes` is the latest
//!   public comment of the demand's log (else the Chinese status).
//! - **Privacy**: a demand number is the resident's key to the tracking page and its verdict, so
//!   numbers are never listed to an anonymous caller: `GET requests` without `service_request_id`
//!   needs an `api_key` (or a signed-in session) whose account may read data, and lists only
//!   demands in its scope. Anyone holding a number may read that demand's status as on the
//!   tracking page; `description`, `address`, `lat` and `long` only when the caller's scope
//!   covers the demand. A contact's name or phone is never output.
//! - Datetimes are RFC 3339 with `+08:00`: `requested_datetime` is when the demand was recorded
//!   (`created_at`), `expected_datetime` the end of its deadline day.
//!
//! The handlers never act on a browser session's behalf for writes: POST identifies its caller
//! by `api_key` only, which is why `/open311/` is exempt from the CSRF check.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use sqlx::Row;
use xingcun_domain::enums::{DemandCategory, DemandField, DemandSource, DemandStatus};

use super::{Channel, DEMAND_SELECT, Demand, NewDemand, demand_from_row};
use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::audit::Actor;
use crate::db::now_ms;
use crate::error::AppError;

/// The specification the discovery document points to.
pub const SPECIFICATION: &str = "http://wiki.open311.org/GeoReport_v2";
/// The default window of `GET requests`, and the longest one a caller may ask for.
pub const WINDOW_DAYS: i64 = 90;
/// The most requests one `GET requests` returns.
pub const MAX_RESULTS: usize = 1000;
/// The longest description accepted (the demand form's limit).
pub const MAX_DESCRIPTION: usize = 2000;
const DAY_MS: i64 = 86_400_000;

/// A response format, from the resource's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

/// Splits `requests.json` into (`requests`, JSON); `None` for any other extension.
pub fn split_format(file: &str) -> Option<(&str, Format)> {
    let (stem, ext) = file.rsplit_once('.')?;
    let format = match ext {
        "json" => Format::Json,
        "xml" => Format::Xml,
        _ => return None,
    };
    Some((stem, format))
}

// ---------------------------------------------------------------------------------------------
// One tree, two serialisations (the spec's JSON is a mapping of its XML).

/// A value of a response: JSON and XML are both written from it, so they cannot disagree.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Int(i64),
    /// A number kept as written (coordinates).
    Num(String),
    Text(String),
    /// A list whose XML items are named by the first field.
    List(&'static str, Vec<Node>),
    Obj(Vec<(&'static str, Node)>),
}

fn text(s: impl Into<String>) -> Node {
    Node::Text(s.into())
}

fn opt_text(s: Option<impl Into<String>>) -> Node {
    s.map_or(Node::Null, |s| Node::Text(s.into()))
}

impl Node {
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Int(i) => Value::from(*i),
            Node::Num(n) => n
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map_or(Value::Null, Value::Number),
            Node::Text(t) => Value::String(t.clone()),
            Node::List(_, items) => Value::Array(items.iter().map(Node::to_json).collect()),
            Node::Obj(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| ((*k).to_string(), v.to_json()))
                    .collect(),
            ),
        }
    }

    fn write_xml(&self, name: &str, out: &mut String) {
        match self {
            Node::Null => {
                out.push('<');
                out.push_str(name);
                out.push_str("/>");
            }
            Node::Bool(b) => element(out, name, if *b { "true" } else { "false" }),
            Node::Int(i) => element(out, name, &i.to_string()),
            Node::Num(n) => element(out, name, n),
            Node::Text(t) => element(out, name, &xml_escape(t)),
            Node::List(item, items) => {
                out.push_str(&format!("<{name}>"));
                for i in items {
                    i.write_xml(item, out);
                }
                out.push_str(&format!("</{name}>"));
            }
            Node::Obj(fields) => {
                out.push_str(&format!("<{name}>"));
                for (k, v) in fields {
                    v.write_xml(k, out);
                }
                out.push_str(&format!("</{name}>"));
            }
        }
    }

    /// The XML document with this node as its root element.
    pub fn to_xml(&self, root: &str) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        self.write_xml(root, &mut out);
        out.push('\n');
        out
    }
}

fn element(out: &mut String, name: &str, body: &str) {
    out.push_str(&format!("<{name}>{body}</{name}>"));
}

/// Escapes text for XML, dropping the control characters XML 1.0 cannot carry.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A response in the asked format: `root` names the XML root element.
fn reply(format: Format, status: StatusCode, root: &str, node: &Node) -> Response {
    match format {
        Format::Json => (
            status,
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            node.to_json().to_string(),
        )
            .into_response(),
        Format::Xml => (
            status,
            [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
            node.to_xml(root),
        )
            .into_response(),
    }
}

/// An error as the spec writes it: a list of (code, description), with an HTTP status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Errors {
    pub status: StatusCode,
    pub errors: Vec<(u16, String)>,
}

impl Errors {
    fn one(status: StatusCode, description: impl Into<String>) -> Errors {
        Errors {
            status,
            errors: vec![(status.as_u16(), description.into())],
        }
    }
    fn bad(description: impl Into<String>) -> Errors {
        Self::one(StatusCode::BAD_REQUEST, description)
    }
    fn forbidden(description: impl Into<String>) -> Errors {
        Self::one(StatusCode::FORBIDDEN, description)
    }
    fn not_found(description: impl Into<String>) -> Errors {
        Self::one(StatusCode::NOT_FOUND, description)
    }

    fn render(&self, format: Format) -> Response {
        let node = Node::List(
            "error",
            self.errors
                .iter()
                .map(|(code, d)| {
                    Node::Obj(vec![
                        ("code", Node::Int(i64::from(*code))),
                        ("description", text(d.clone())),
                    ])
                })
                .collect(),
        );
        reply(format, self.status, "errors", &node)
    }
}

impl From<AppError> for Errors {
    fn from(e: AppError) -> Errors {
        if let AppError::Internal(err) = &e {
            tracing::error!(error = format!("{err:#}"), "open311 internal error");
        }
        let status = e.status();
        let description = e.public_message();
        if status.is_server_error() {
            // The spec's "general service error".
            Errors::one(StatusCode::INTERNAL_SERVER_ERROR, description)
        } else {
            Errors::one(status, description)
        }
    }
}

impl From<sqlx::Error> for Errors {
    fn from(e: sqlx::Error) -> Errors {
        Errors::from(AppError::from(e))
    }
}

type Answer = Result<Response, Errors>;

fn finish(format: Format, answer: Answer) -> Response {
    answer.unwrap_or_else(|e| e.render(format))
}

fn unknown_resource() -> Response {
    Errors::not_found("资源不存在（格式须为 .json 或 .xml）").render(Format::Json)
}

// ---------------------------------------------------------------------------------------------
// Parameters.

/// The parameters of a request: query string and form body, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

/// One `attribute[code]` of a POST, with every value given (`attribute[code][]` repeats).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub code: String,
    pub values: Vec<String>,
    /// Given as `attribute[code][]`.
    pub list: bool,
}

impl Params {
    /// Parses `application/x-www-form-urlencoded` text.
    pub fn parse(raw: &str) -> Result<Params, Errors> {
        serde_urlencoded::from_str::<Vec<(String, String)>>(raw)
            .map(|pairs| Params { pairs })
            .map_err(|_| Errors::bad("参数编码有误（应为 application/x-www-form-urlencoded）"))
    }

    fn extend(&mut self, other: Params) {
        self.pairs.extend(other.pairs);
    }

    /// The first non-empty value of a parameter, trimmed ("optional" in the spec's sense: empty
    /// is the same as absent).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .find(|v| !v.is_empty())
    }

    /// Every value of a comma-delimited parameter (given once or several times).
    pub fn list(&self, name: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// The `attribute[code]` and `attribute[code][]` parameters, in first-seen order.
    pub fn attributes(&self) -> Vec<Attribute> {
        let mut out: Vec<Attribute> = Vec::new();
        for (k, v) in &self.pairs {
            let Some(inner) = k.strip_prefix("attribute[") else {
                continue;
            };
            let (code, list) = match inner.strip_suffix("][]") {
                Some(code) => (code, true),
                None => match inner.strip_suffix(']') {
                    Some(code) => (code, false),
                    None => continue,
                },
            };
            if code.is_empty() || code.contains(['[', ']']) {
                continue;
            }
            let value = v.trim().to_string();
            match out.iter_mut().find(|a| a.code == code) {
                Some(a) => {
                    a.list |= list;
                    if !value.is_empty() {
                        a.values.push(value);
                    }
                }
                None => out.push(Attribute {
                    code: code.to_string(),
                    values: if value.is_empty() {
                        Vec::new()
                    } else {
                        vec![value]
                    },
                    list,
                }),
            }
        }
        out
    }
}

fn query_params(raw: Option<String>) -> Result<Params, Errors> {
    Params::parse(raw.as_deref().unwrap_or(""))
}

/// A datetime in the w3 subset of ISO 8601 (`2026-01-01T00:00:00Z`, `…+08:00`), or a bare date
/// (midnight in Asia/Shanghai), as Unix ms. A `+` decoded to a space by a client that did not
/// encode it is read back as `+`.
pub fn parse_w3(s: &str) -> Option<i64> {
    let s = s.trim();
    let cst = FixedOffset::east_opt(8 * 3600)?;
    for candidate in [s.to_string(), s.replace(' ', "+")] {
        if let Ok(t) = DateTime::parse_from_rfc3339(&candidate) {
            return Some(t.timestamp_millis());
        }
        if let Ok(t) = NaiveDateTime::parse_from_str(&candidate, "%Y-%m-%dT%H:%M:%S") {
            return cst
                .from_local_datetime(&t)
                .single()
                .map(|t| t.timestamp_millis());
        }
    }
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    cst.from_local_datetime(&d.and_time(NaiveTime::MIN))
        .single()
        .map(|t| t.timestamp_millis())
}

// ---------------------------------------------------------------------------------------------
// Who is asking.

/// The account behind an `api_key`; 403 for an unknown or revoked key.
async fn key_user(state: &AppState, key: &str) -> Result<CurrentUser, Errors> {
    crate::accounts::token_user(state.db(), state.crypto(), state.config(), key)
        .await
        .map_err(Errors::from)?
        .ok_or_else(|| Errors::forbidden("api_key 无效或已吊销"))
}

/// The reader of a GET: the `api_key`'s account, else the signed-in user, else nobody.
async fn reader(
    state: &AppState,
    params: &Params,
    ext: &axum::http::Extensions,
) -> Result<Option<CurrentUser>, Errors> {
    match params.get("api_key") {
        Some(key) => key_user(state, key).await.map(Some),
        None => Ok(ext.get::<CurrentUser>().cloned()),
    }
}

// ---------------------------------------------------------------------------------------------
// Discovery and services.

fn public_base(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(u) = &state.config().public_url {
        return u.trim_end_matches('/').to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// The service discovery document.
pub fn discovery(base: &str) -> Node {
    let changeset = text("2026-11-29T00:00:00+08:00");
    Node::Obj(vec![
        ("changeset", changeset.clone()),
        (
            "contact",
            text("兴村平台 诉求办理（所在乡镇（街道）党建办）"),
        ),
        (
            "key_service",
            text("api_key 由平台管理员以 `xingcun token create` 签发"),
        ),
        (
            "endpoints",
            Node::List(
                "endpoint",
                vec![Node::Obj(vec![
                    ("specification", text(SPECIFICATION)),
                    ("url", text(format!("{base}/open311/v2"))),
                    ("changeset", changeset),
                    ("type", text("production")),
                    (
                        "formats",
                        Node::List("format", vec![text("text/xml"), text("application/json")]),
                    ),
                ])],
            ),
        ),
    ])
}

/// The group a demand field belongs to in the service list.
pub fn group_of(field: DemandField) -> &'static str {
    use DemandField::*;
    match field {
        Infrastructure | DrinkingWater | Transport => "基础设施",
        LandAndHomestead | Farming | FarmSubsidy | Employment => "产业就业",
        SocialSecurity | Health | Education | ElderlyCare | Housing => "民生保障",
        LivingEnvironment | Ecology => "生态环境",
        Dispute | PublicSecurity => "平安法治",
        PolicyInquiry | Other => "政策咨询及其他",
    }
}

/// The service list: one service per demand field.
pub fn services() -> Node {
    Node::List(
        "service",
        DemandField::ALL
            .iter()
            .map(|f| {
                Node::Obj(vec![
                    ("service_code", text(f.code())),
                    ("service_name", text(f.label())),
                    (
                        "description",
                        text(format!("{}方面的急难愁盼诉求", f.label())),
                    ),
                    ("metadata", Node::Bool(true)),
                    ("type", text("realtime")),
                    ("keywords", text(format!("{}, {}", f.label(), f.code()))),
                    ("group", text(group_of(*f))),
                ])
            })
            .collect(),
    )
}

/// The attribute codes of every service definition.
pub const ATTR_CATEGORY: &str = "category";
pub const ATTR_ORG: &str = "org_code";
pub const ATTR_CONTACT: &str = "contact_name";

/// A service's definition: its attributes.
pub fn service_definition(field: DemandField) -> Node {
    let attr = |code: &'static str,
                datatype: &'static str,
                required: bool,
                dd: &'static str,
                order: i64,
                description: &'static str,
                values: Option<Node>| {
        let mut f = vec![
            ("variable", Node::Bool(true)),
            ("code", text(code)),
            ("datatype", text(datatype)),
            ("required", Node::Bool(required)),
            ("datatype_description", text(dd)),
            ("order", Node::Int(order)),
            ("description", text(description)),
        ];
        if let Some(v) = values {
            f.push(("values", v));
        }
        Node::Obj(f)
    };
    let categories = Node::List(
        "value",
        DemandCategory::ALL
            .iter()
            .map(|c| Node::Obj(vec![("key", text(c.code())), ("name", text(c.label()))]))
            .collect(),
    );
    Node::Obj(vec![
        ("service_code", text(field.code())),
        (
            "attributes",
            Node::List(
                "attribute",
                vec![
                    attr(
                        ATTR_CATEGORY,
                        "singlevaluelist",
                        true,
                        "急、难、愁、盼之一",
                        1,
                        "诉求类别：急（急事）、难（难事）、愁（愁事）、盼（期盼）",
                        Some(categories),
                    ),
                    attr(
                        ATTR_ORG,
                        "string",
                        true,
                        "12位村（社区）或15位网格区划代码",
                        2,
                        "诉求所属的村（社区）或网格",
                        None,
                    ),
                    attr(
                        ATTR_CONTACT,
                        "string",
                        false,
                        "",
                        3,
                        "反映人姓名（加密保存，不对外显示）",
                        None,
                    ),
                ],
            ),
        ),
    ])
}

// ---------------------------------------------------------------------------------------------
// Requests as the spec shows them.

/// How much of a demand a caller may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    /// Someone holding the number: what the tracking page shows.
    Public,
    /// A reader whose scope covers the demand: with description and location.
    Full,
}

fn spec_status(d: &Demand) -> &'static str {
    match d.status() {
        DemandStatus::Pending | DemandStatus::InProgress => "open",
        DemandStatus::Concluded | DemandStatus::Closed => "closed",
    }
}

fn deadline_end(deadline: &str) -> Option<String> {
    let d = NaiveDate::parse_from_str(deadline, "%Y-%m-%d").ok()?;
    Some(format!("{}T23:59:59+08:00", d.format("%Y-%m-%d")))
}

fn notice(d: &Demand) -> Option<String> {
    if !xingcun_domain::demand::is_open(d.status()) {
        return None;
    }
    let handler = d.handler_org_name.as_deref().unwrap_or(&d.org_name);
    Some(match &d.deadline_on {
        Some(deadline) => format!(
            "由{handler}办理，办理时限至{deadline}；可凭编号 {} 在本平台“诉求查询”页查看进度并评价",
            d.demand_no
        ),
        None => format!(
            "由{handler}办理；可凭编号 {} 在本平台“诉求查询”页查看进度并评价",
            d.demand_no
        ),
    })
}

fn coordinate(v: &Option<String>) -> Node {
    match v.as_deref().map(str::trim) {
        Some(s) if s.parse::<f64>().is_ok_and(f64::is_finite) => Node::Num(s.to_string()),
        _ => Node::Null,
    }
}

fn request_node(d: &Demand, notes: Option<&str>, view: View) -> Node {
    let field = d.field.as_deref().and_then(DemandField::from_code);
    let full = view == View::Full;
    let notes = notes
        .map(str::to_string)
        .unwrap_or_else(|| d.status().label().to_string());
    Node::Obj(vec![
        ("service_request_id", text(d.demand_no.clone())),
        ("status", text(spec_status(d))),
        ("status_notes", text(notes)),
        ("service_name", opt_text(field.map(|f| f.label()))),
        ("service_code", opt_text(field.map(|f| f.code()))),
        (
            "description",
            if full {
                text(d.content.clone())
            } else {
                Node::Null
            },
        ),
        (
            "agency_responsible",
            opt_text(d.handler_org_name.clone().or(Some(d.org_name.clone()))),
        ),
        ("service_notice", opt_text(notice(d))),
        (
            "requested_datetime",
            text(crate::dates::rfc3339_cst(d.created_at)),
        ),
        (
            "updated_datetime",
            text(crate::dates::rfc3339_cst(d.updated_at)),
        ),
        (
            "expected_datetime",
            opt_text(d.deadline_on.as_deref().and_then(deadline_end)),
        ),
        (
            "address",
            if full {
                opt_text(d.address.clone())
            } else {
                Node::Null
            },
        ),
        ("address_id", Node::Null),
        ("zipcode", Node::Null),
        ("lat", if full { coordinate(&d.lat) } else { Node::Null }),
        ("long", if full { coordinate(&d.lon) } else { Node::Null }),
        ("media_url", Node::Null),
    ])
}

/// The latest public comment of each demand's log (filing rows aside), by demand id.
async fn latest_notes(
    pool: &sqlx::AnyPool,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, String>, Errors> {
    let mut out = std::collections::HashMap::new();
    for chunk in ids.chunks(250) {
        let list = (1..=chunk.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT demand_id, comment FROM demand_event
              WHERE demand_id IN ({list}) AND public = 1 AND comment IS NOT NULL
                AND comment <> '' AND action NOT IN ('file', 'import')
              ORDER BY id"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(*id);
        }
        for r in q.fetch_all(pool).await? {
            out.insert(r.try_get::<i64, _>(0)?, r.try_get::<String, _>(1)?);
        }
    }
    Ok(out)
}

async fn request_list(
    state: &AppState,
    demands: &[Demand],
    reader: Option<&CurrentUser>,
) -> Result<Node, Errors> {
    let ids: Vec<i64> = demands.iter().map(|d| d.id).collect();
    let notes = latest_notes(&state.db().pool, &ids).await?;
    Ok(Node::List(
        "request",
        demands
            .iter()
            .map(|d| {
                let view = if reader.is_some_and(|u| covers(u, d)) {
                    View::Full
                } else {
                    View::Public
                };
                request_node(d, notes.get(&d.id).map(String::as_str), view)
            })
            .collect(),
    ))
}

/// Whether a reader sees a demand whole: they may read data and the demand (its unit or the
/// unit handling it) lies in their scope.
fn covers(user: &CurrentUser, d: &Demand) -> bool {
    user.can(Permission::ReadData)
        && (user.scope.contains(&d.org_code)
            || d.handler_org_code
                .as_deref()
                .is_some_and(|h| user.scope.contains(h)))
}

// ---------------------------------------------------------------------------------------------
// GET requests: the filters.

/// The filters of `GET requests`, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestFilter {
    /// Demand numbers asked for; when given, every other filter is ignored (as the spec says).
    pub ids: Vec<String>,
    pub fields: Vec<&'static str>,
    /// Internal states matching the `status` filter (empty: all).
    pub states: Vec<&'static str>,
    /// `requested_datetime` (Unix ms) from, inclusive.
    pub from_ms: i64,
    /// `requested_datetime` (Unix ms) to, inclusive; `None` is up to now.
    pub to_ms: Option<i64>,
}

impl RequestFilter {
    pub fn from_params(p: &Params, now: i64) -> Result<RequestFilter, Errors> {
        let ids: Vec<String> = p.list("service_request_id");
        if ids.len() > MAX_RESULTS {
            return Err(Errors::bad(format!(
                "service_request_id 一次最多 {MAX_RESULTS} 个"
            )));
        }
        let mut errors = Vec::new();
        let mut fields = Vec::new();
        for code in p.list("service_code") {
            match DemandField::from_code(&code) {
                Some(f) => fields.push(f.code()),
                None => errors.push(format!("service_code {code} 不存在")),
            }
        }
        let mut states = Vec::new();
        for s in p.list("status") {
            match s.as_str() {
                "open" => states.extend(["pending", "in_progress"]),
                "closed" => states.extend(["concluded", "closed"]),
                _ => errors.push(format!("status 只能是 open 或 closed，收到 {s}")),
            }
        }
        let mut date = |name: &str| match p.get(name) {
            None => None,
            Some(v) => {
                let t = parse_w3(v);
                if t.is_none() {
                    errors.push(format!(
                        "{name} 应为带时区的日期时间，如 2026-01-01T00:00:00+08:00"
                    ));
                }
                t
            }
        };
        let start = date("start_date");
        let end = date("end_date");
        let window = WINDOW_DAYS * DAY_MS;
        let (from_ms, to_ms) = match (start, end) {
            (None, None) => (now - window, None),
            (Some(s), None) => (s, Some(s + window)),
            (None, Some(e)) => (e - window, Some(e)),
            (Some(s), Some(e)) => {
                if e < s {
                    errors.push("end_date 早于 start_date".into());
                } else if e - s > window {
                    errors.push(format!(
                        "start_date 与 end_date 相距不得超过 {WINDOW_DAYS} 天"
                    ));
                }
                (s, Some(e))
            }
        };
        if !errors.is_empty() && ids.is_empty() {
            return Err(Errors {
                status: StatusCode::BAD_REQUEST,
                errors: errors.into_iter().map(|e| (400, e)).collect(),
            });
        }
        Ok(RequestFilter {
            ids,
            fields,
            states,
            from_ms,
            to_ms,
        })
    }
}

/// The demands a `GET requests` returns, newest first, at most [`MAX_RESULTS`]. With numbers,
/// those demands wherever they are; without, those in `reader`'s scope passing the filters.
async fn find_requests(
    state: &AppState,
    f: &RequestFilter,
    reader: Option<&CurrentUser>,
) -> Result<Vec<Demand>, Errors> {
    let mut args: Vec<String> = Vec::new();
    let mut conds: Vec<String> = Vec::new();
    let mut ms: Vec<i64> = Vec::new();
    let push = |vals: Vec<String>, args: &mut Vec<String>| -> Vec<String> {
        vals.into_iter()
            .map(|v| {
                args.push(v);
                format!("${}", args.len())
            })
            .collect()
    };
    if !f.ids.is_empty() {
        let ph = push(f.ids.clone(), &mut args);
        conds.push(format!("d.demand_no IN ({})", ph.join(", ")));
    } else {
        let Some(user) = reader else {
            return Ok(Vec::new());
        };
        let (lo, hi) = user.scope.bounds();
        let ph = push(vec![lo, hi], &mut args);
        conds.push(format!(
            "((d.org_code >= {a} AND d.org_code < {b}) OR (d.handler_org_code >= {a} AND d.handler_org_code < {b}))",
            a = ph[0],
            b = ph[1]
        ));
        if !f.fields.is_empty() {
            let ph = push(f.fields.iter().map(|s| s.to_string()).collect(), &mut args);
            conds.push(format!("d.field IN ({})", ph.join(", ")));
        }
        if !f.states.is_empty() {
            let ph = push(f.states.iter().map(|s| s.to_string()).collect(), &mut args);
            conds.push(format!("d.status IN ({})", ph.join(", ")));
        }
        ms.push(f.from_ms);
        conds.push(format!("d.created_at >= ${}", args.len() + ms.len()));
        if let Some(to) = f.to_ms {
            ms.push(to);
            conds.push(format!("d.created_at <= ${}", args.len() + ms.len()));
        }
    }
    let sql = format!(
        "{DEMAND_SELECT} WHERE {} ORDER BY d.created_at DESC, d.id DESC LIMIT {MAX_RESULTS}",
        conds.join(" AND ")
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for a in args {
        q = q.bind(a);
    }
    for m in ms {
        q = q.bind(m);
    }
    let rows = q.fetch_all(&state.db().pool).await?;
    Ok(rows.iter().map(demand_from_row).collect::<Result<_, _>>()?)
}

// ---------------------------------------------------------------------------------------------
// POST requests.

/// A checked POST: the demand to file and who files it.
async fn parse_post(state: &AppState, p: &Params) -> Result<(NewDemand, CurrentUser), Errors> {
    // 1. The shape of the request, every problem at once.
    let mut shape = Vec::new();
    let service_code = p.get("service_code");
    if service_code.is_none() {
        shape.push("service_code 未提供".to_string());
    }
    let description = p.get("description");
    match description {
        None => shape.push("description 未提供：请写明诉求内容".to_string()),
        Some(d) if d.chars().count() > MAX_DESCRIPTION => {
            shape.push(format!("description 不超过 {MAX_DESCRIPTION} 字"))
        }
        _ => {}
    }
    let (lat, long) = (p.get("lat"), p.get("long"));
    let address_string = p.get("address_string");
    let address_id = p.get("address_id");
    match (lat, long) {
        (Some(a), Some(b)) => {
            let ok = |v: &str, max: f64| {
                v.parse::<f64>()
                    .is_ok_and(|x| x.is_finite() && x.abs() <= max)
            };
            if !ok(a, 90.0) || !ok(b, 180.0) {
                shape.push("lat/long 应为 WGS84 经纬度".to_string());
            }
        }
        (Some(_), None) | (None, Some(_)) => shape.push("lat 与 long 须同时提供".to_string()),
        (None, None) if address_string.is_none() && address_id.is_none() => {
            shape.push("须提供位置：lat 与 long，或 address_string，或 address_id".to_string())
        }
        _ => {}
    }
    if !shape.is_empty() {
        let mut errors: Vec<(u16, String)> = shape.into_iter().map(|e| (400, e)).collect();
        if p.get("api_key").is_none() {
            errors.push((403, "api_key 未提供".into()));
        }
        return Err(Errors {
            status: StatusCode::BAD_REQUEST,
            errors,
        });
    }
    // 2. The key.
    let Some(key) = p.get("api_key") else {
        return Err(Errors::forbidden(
            "api_key 未提供：提交诉求须使用平台签发的 api_key",
        ));
    };
    let user = key_user(state, key).await?;
    if !user.can(Permission::WriteData) {
        return Err(Errors::forbidden("该 api_key 的账号无权登记诉求"));
    }
    // 3. The service.
    let code = service_code.unwrap_or_default();
    let field = DemandField::from_code(code)
        .ok_or_else(|| Errors::not_found(format!("service_code {code} 不存在")))?;
    // 4. The attributes.
    let mut errors = Vec::new();
    let mut category = None;
    let mut org_code = None;
    let mut contact = None;
    for a in p.attributes() {
        let single = |a: &Attribute, errors: &mut Vec<String>| -> Option<String> {
            match a.values.as_slice() {
                [] => None,
                [v] => Some(v.clone()),
                many => {
                    errors.push(format!(
                        "attribute[{}] 只能有一个值，收到 {} 个：{}",
                        a.code,
                        many.len(),
                        many.join("、")
                    ));
                    None
                }
            }
        };
        match a.code.as_str() {
            ATTR_CATEGORY => {
                if let Some(v) = single(&a, &mut errors) {
                    match DemandCategory::from_code(&v).or_else(|| DemandCategory::parse(&v).ok())
                    {
                        Some(c) => category = Some(c),
                        None => errors.push(format!(
                            "attribute[category] 应为 urgent、hard、worrying、hoped_for 之一，收到 {v}"
                        )),
                    }
                }
            }
            ATTR_ORG => org_code = single(&a, &mut errors),
            ATTR_CONTACT => contact = single(&a, &mut errors),
            other => errors.push(format!(
                "attribute[{other}] 不是该服务的属性（{} 个值：{}）",
                a.values.len(),
                a.values.join("、")
            )),
        }
    }
    if category.is_none() && !errors.iter().any(|e| e.contains("[category]")) {
        errors.push(
            "attribute[category] 未提供（急 urgent、难 hard、愁 worrying、盼 hoped_for）".into(),
        );
    }
    let phone = match p.get("phone") {
        None => None,
        Some(v) => match xingcun_domain::Phone::parse(v) {
            Ok(ph) => Some(ph),
            Err(e) => {
                errors.push(format!("phone：{e}"));
                None
            }
        },
    };
    // 5. The unit, which the key's scope must hold (an unknown code and one outside the scope
    // get the same answer, so the scope reveals nothing).
    match &org_code {
        None => {
            errors.push("attribute[org_code] 未提供：诉求所属的村（社区）或网格区划代码".into())
        }
        Some(code) => match crate::org::find(&state.db().pool, &user.scope, code).await {
            Ok(Some(u))
                if u.kind().is_village() || u.kind() == xingcun_domain::division::OrgKind::Grid => {
            }
            Ok(Some(_)) => errors.push(format!("org_code {code} 不是村（社区）或网格")),
            Ok(None) => errors.push(format!(
                "org_code {code} 不存在或不在该 api_key 的管辖范围内"
            )),
            Err(e) => return Err(e.into()),
        },
    }
    if !errors.is_empty() {
        return Err(Errors {
            status: StatusCode::BAD_REQUEST,
            errors: errors.into_iter().map(|e| (400, e)).collect(),
        });
    }
    let name = contact.or_else(|| {
        let n = format!(
            "{}{}",
            p.get("last_name").unwrap_or(""),
            p.get("first_name").unwrap_or("")
        );
        (!n.is_empty()).then_some(n)
    });
    let (contact_name_enc, contact_phone) =
        super::seal_contact(state.crypto(), name.as_deref(), phone.as_ref());
    let new = NewDemand {
        org_code: org_code.unwrap_or_default(),
        household_id: None,
        reporter_id: None,
        contact_name_enc,
        contact_phone,
        source: Some(DemandSource::Other),
        category,
        field: Some(field),
        content: description.unwrap_or_default().to_string(),
        address: address_string.or(address_id).map(str::to_string),
        lat: lat.map(str::to_string),
        lon: long.map(str::to_string),
        registered_on: crate::dates::today(),
        channel: Channel::Open311,
        visit_id: None,
    };
    Ok((new, user))
}

async fn post_request(state: &AppState, p: &Params) -> Result<Node, Errors> {
    let (new, user) = parse_post(state, p).await?;
    let actor = Actor {
        user_id: Some(user.id),
        name: user.display_name.clone(),
    };
    let filed = state.intake().file(new, actor).await?;
    let d = super::get_by_no(&state.db().pool, &filed.demand_no).await?;
    Ok(Node::List(
        "request",
        vec![Node::Obj(vec![
            ("service_request_id", text(filed.demand_no)),
            ("service_notice", opt_text(notice(&d))),
            ("account_id", Node::Null),
        ])],
    ))
}

fn reply_ok(format: Format, root: &str, node: &Node) -> Response {
    reply(format, StatusCode::OK, root, node)
}

// ---------------------------------------------------------------------------------------------
// Handlers.

/// `GET /open311/v2/{file}`: `discovery`, `services` and `requests`, `.json` or `.xml`.
pub async fn get_top(
    State(state): State<AppState>,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    ext: axum::http::Extensions,
) -> Response {
    let Some((stem, format)) = split_format(&file) else {
        return unknown_resource();
    };
    let answer: Answer = async {
        let params = query_params(query)?;
        match stem {
            "discovery" => Ok(reply_ok(
                format,
                "discovery",
                &discovery(&public_base(&state, &headers)),
            )),
            "services" => Ok(reply_ok(format, "services", &services())),
            "requests" => {
                let reader = reader(&state, &params, &ext).await?;
                let filter = RequestFilter::from_params(&params, now_ms())?;
                if filter.ids.is_empty() {
                    match &reader {
                        None => {
                            return Err(Errors::forbidden(
                                "列出诉求须提供 api_key（诉求编号是群众查询和评价的凭据，不公开列出）；凭编号查询请用 service_request_id",
                            ));
                        }
                        Some(u) if !u.can(Permission::ReadData) => {
                            return Err(Errors::forbidden("该账号无权查看诉求"));
                        }
                        _ => {}
                    }
                }
                let demands = find_requests(&state, &filter, reader.as_ref()).await?;
                let node = request_list(&state, &demands, reader.as_ref()).await?;
                Ok(reply_ok(format, "service_requests", &node))
            }
            _ => Err(Errors::not_found(format!("资源 {stem} 不存在"))),
        }
    }
    .await;
    finish(format, answer)
}

/// `POST /open311/v2/requests.{json,xml}`: files a demand.
pub async fn post_top(
    State(state): State<AppState>,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let Some((stem, format)) = split_format(&file) else {
        return unknown_resource();
    };
    if stem != "requests" {
        return Errors::not_found(format!("资源 {stem} 不接受 POST")).render(format);
    }
    let answer: Answer = async {
        // Form body first, then the query string (some clients send api_key there).
        let body =
            std::str::from_utf8(&body).map_err(|_| Errors::bad("请求内容须为 UTF-8 编码"))?;
        let mut params = Params::parse(body)?;
        params.extend(query_params(query)?);
        let node = post_request(&state, &params).await?;
        Ok(reply_ok(format, "service_requests", &node))
    }
    .await;
    finish(format, answer)
}

/// `GET /open311/v2/services/{code}.{json,xml}`: a service definition.
pub async fn get_service(Path(file): Path<String>) -> Response {
    let Some((code, format)) = split_format(&file) else {
        return unknown_resource();
    };
    let answer = match DemandField::from_code(code) {
        Some(f) => Ok(reply_ok(
            format,
            "service_definition",
            &service_definition(f),
        )),
        None => Err(Errors::not_found(format!("service_code {code} 不存在"))),
    };
    finish(format, answer)
}

/// `GET /open311/v2/requests/{id}.{json,xml}`: one demand by its number.
pub async fn get_request(
    State(state): State<AppState>,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    ext: axum::http::Extensions,
) -> Response {
    let Some((no, format)) = split_format(&file) else {
        return unknown_resource();
    };
    let answer: Answer = async {
        let params = query_params(query)?;
        let reader = reader(&state, &params, &ext).await?;
        let d = one_demand(&state, no).await?;
        let node = request_list(&state, std::slice::from_ref(&d), reader.as_ref()).await?;
        Ok(reply_ok(format, "service_requests", &node))
    }
    .await;
    finish(format, answer)
}

/// `GET /open311/v2/tokens/{token}.{json,xml}`: filing is synchronous, so a token is the demand
/// number itself and resolves to it at once.
pub async fn get_token(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some((token, format)) = split_format(&file) else {
        return unknown_resource();
    };
    let answer: Answer = async {
        let d = one_demand(&state, token).await?;
        let node = Node::List(
            "request",
            vec![Node::Obj(vec![
                ("service_request_id", text(d.demand_no.clone())),
                ("token", text(d.demand_no)),
            ])],
        );
        Ok(reply_ok(format, "service_requests", &node))
    }
    .await;
    finish(format, answer)
}

async fn one_demand(state: &AppState, no: &str) -> Result<Demand, Errors> {
    match super::get_by_no(&state.db().pool, no).await {
        Ok(d) => Ok(d),
        Err(AppError::NotFound) => {
            Err(Errors::not_found(format!("service_request_id {no} 不存在")))
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_read_single_and_repeated_list_values() {
        let p = Params::parse(
            "attribute%5Bcategory%5D=urgent&attribute[x][]=a&attribute[x][]=b&attribute[y]=&x=1",
        )
        .unwrap();
        assert_eq!(
            p.attributes(),
            vec![
                Attribute {
                    code: "category".into(),
                    values: vec!["urgent".into()],
                    list: false
                },
                Attribute {
                    code: "x".into(),
                    values: vec!["a".into(), "b".into()],
                    list: true
                },
                Attribute {
                    code: "y".into(),
                    values: vec![],
                    list: false
                },
            ]
        );
    }

    #[test]
    fn empty_parameters_count_as_absent_and_lists_split_on_commas() {
        let p = Params::parse("a=&a=%20x%20&s=open,closed&s=open").unwrap();
        assert_eq!(p.get("a"), Some("x"));
        assert_eq!(p.get("b"), None);
        assert_eq!(p.list("s"), vec!["open", "closed", "open"]);
    }

    #[test]
    fn w3_datetimes_need_no_encoding_of_plus() {
        let utc = parse_w3("2026-01-01T00:00:00Z").unwrap();
        assert_eq!(parse_w3("2026-01-01T08:00:00+08:00"), Some(utc));
        assert_eq!(parse_w3("2026-01-01T08:00:00 08:00"), Some(utc));
        assert_eq!(parse_w3("2026-01-01"), Some(utc - 8 * 3_600_000));
        assert_eq!(parse_w3("yesterday"), None);
    }

    #[test]
    fn xml_and_json_come_from_one_tree() {
        let n = Node::List(
            "request",
            vec![Node::Obj(vec![
                ("service_request_id", text("SQ1")),
                ("description", text("a<b & \"c\"\u{1}")),
                ("lat", Node::Num("30.5".into())),
                ("media_url", Node::Null),
            ])],
        );
        assert_eq!(
            n.to_xml("service_requests"),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<service_requests><request>\
             <service_request_id>SQ1</service_request_id>\
             <description>a&lt;b &amp; &quot;c&quot;</description><lat>30.5</lat>\
             <media_url/></request></service_requests>\n"
        );
        assert_eq!(
            n.to_json(),
            serde_json::json!([{"service_request_id": "SQ1", "description": "a<b & \"c\"\u{1}",
                                "lat": 30.5, "media_url": null}])
        );
    }

    #[test]
    fn formats_are_json_and_xml_only() {
        assert_eq!(
            split_format("services.json"),
            Some(("services", Format::Json))
        );
        assert_eq!(split_format("a.b.xml"), Some(("a.b", Format::Xml)));
        assert_eq!(split_format("services.html"), None);
        assert_eq!(split_format("services"), None);
    }

    #[test]
    fn every_field_has_a_group() {
        for f in DemandField::ALL {
            assert!(!group_of(*f).is_empty());
        }
    }
}

//! `TestApp`: a fresh database with the demo org tree and accounts, the real router, and a
//! cookie-keeping client that calls it in-process.

use std::collections::HashMap;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;
use xingcun::app::{App, AppState};
use xingcun::config::Config;
use xingcun::db::Db;
use xingcun_crypto::SoftwareCrypto;

pub const PASSWORD: &str = xingcun::demo::DEMO_PASSWORD;

pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    _dir: Option<tempfile::TempDir>,
}

/// A database URL of its own for this test.
pub async fn fresh_database_url() -> (String, Option<tempfile::TempDir>) {
    match std::env::var("XINGCUN_TEST_PG") {
        Ok(base) if !base.is_empty() => {
            let name = format!(
                "xc_test_{}",
                xingcun_crypto::random_token(8)
                    .to_lowercase()
                    .replace('-', "_")
            );
            let admin = Db::connect(&format!("{}/postgres", base.trim_end_matches('/')))
                .await
                .expect("PostgreSQL named in XINGCUN_TEST_PG must be reachable");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&admin.pool)
                .await
                .expect("create test database");
            admin.pool.close().await;
            (format!("{}/{name}", base.trim_end_matches('/')), None)
        }
        _ => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}/test.db", dir.path().display());
            (url, Some(dir))
        }
    }
}

impl TestApp {
    /// A fresh database with migrations applied and nothing else.
    pub async fn empty() -> TestApp {
        Self::empty_with(|_| {}).await
    }

    pub async fn empty_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let (url, dir) = fresh_database_url().await;
        let mut config = Config::for_database(&url);
        adjust(&mut config);
        let db = Db::connect(&url).await.expect("connect");
        db.migrate().await.expect("migrate");
        let crypto = SoftwareCrypto::from_master_key(&[7u8; 32]);
        let state = App::with_parts(config, db, Box::new(crypto));
        let router = xingcun::router::router(state.clone());
        TestApp {
            state,
            router,
            _dir: dir,
        }
    }

    /// The demo org tree and demo accounts (no registry records).
    pub async fn new() -> TestApp {
        Self::with_config(|_| {}).await
    }

    pub async fn with_config(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let app = Self::empty_with(adjust).await;
        let date = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        xingcun::demo::build_base(&app.state, date)
            .await
            .expect("demo base");
        app
    }

    pub fn client(&self) -> Client {
        Client {
            router: self.router.clone(),
            cookies: HashMap::new(),
            bearer: None,
        }
    }

    /// A client signed in as a demo account (administrators: with the demo TOTP code too).
    pub async fn signed_in(&self, username: &str) -> Client {
        let mut c = self.client();
        let res = c.login(username, PASSWORD).await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "sign-in of {username}: {}",
            res.text
        );
        if res.location().starts_with("/login/totp") {
            let res = self.pass_second_factor(&mut c, username).await;
            assert_eq!(
                res.status,
                StatusCode::SEE_OTHER,
                "TOTP of {username}: {}",
                res.text
            );
        }
        c
    }

    /// Posts the current demo TOTP code for `username`. A code is accepted once, so the stored
    /// last-used step is cleared first: tests sign the same account in many times a minute.
    pub async fn pass_second_factor(&self, c: &mut Client, username: &str) -> Res {
        sqlx::query("UPDATE app_user SET totp_last_step = 0 WHERE username = $1")
            .bind(username.to_string())
            .execute(&self.db().pool)
            .await
            .expect("clear the last TOTP step");
        c.post_form("/login/totp", &[("code", &demo_totp_code())])
            .await
    }

    pub fn db(&self) -> &Db {
        self.state.db()
    }
}

/// A response, read whole.
#[derive(Debug)]
pub struct Res {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub text: String,
    pub bytes: Vec<u8>,
}

impl Res {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
    pub fn location(&self) -> String {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }
}

/// A browser-like client: keeps cookies, finds CSRF tokens in pages.
pub struct Client {
    router: Router,
    pub cookies: HashMap<String, String>,
    pub bearer: Option<String>,
}

impl Client {
    async fn send(&mut self, req: Request<Body>) -> Res {
        let res = self
            .router
            .clone()
            .oneshot(req)
            .await
            .expect("router answers");
        for v in res.headers().get_all(header::SET_COOKIE) {
            let v = v.to_str().unwrap_or_default();
            let pair = v.split(';').next().unwrap_or_default();
            if let Some((k, val)) = pair.split_once('=') {
                if val.is_empty() || v.contains("Max-Age=0") {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_string(), val.to_string());
                }
            }
        }
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        Res {
            status,
            headers,
            text: String::from_utf8_lossy(&bytes).to_string(),
            bytes,
        }
    }

    fn request(&self, method: &str, path: &str) -> axum::http::request::Builder {
        let mut b = Request::builder().method(method).uri(path);
        if !self.cookies.is_empty() {
            let c: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            b = b.header(header::COOKIE, c.join("; "));
        }
        if let Some(t) = &self.bearer {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        b
    }

    pub async fn get(&mut self, path: &str) -> Res {
        let req = self.request("GET", path).body(Body::empty()).unwrap();
        self.send(req).await
    }

    /// Posts a form as a browser would, CSRF token included (taken from `csrf_page`).
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Res {
        let token = self.csrf_token().await;
        let mut all: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form_raw(path, &all).await
    }

    /// Posts a form exactly as given (no CSRF token added).
    pub async fn post_form_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Res {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let req = self
            .request("POST", path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    #[allow(dead_code)]
    pub async fn post_json(&mut self, path: &str, body: &serde_json::Value) -> Res {
        let req = self
            .request("POST", path)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(req).await
    }

    /// Posts `multipart/form-data` exactly as given (no CSRF token added): text `fields` and
    /// `files` as (field name, file name, bytes).
    pub async fn post_multipart_raw(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Res {
        let boundary = format!("xc-boundary-{}", xingcun_crypto::random_token(12));
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        for (name, filename, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n\
                     Content-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let req = self
            .request("POST", path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// Uploads as a browser would: multipart, with the CSRF token as the `_csrf` query parameter.
    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> Res {
        let token = self.csrf_token().await;
        let sep = if path.contains('?') { '&' } else { '?' };
        self.post_multipart_raw(&format!("{path}{sep}_csrf={token}"), fields, files)
            .await
    }

    /// The CSRF token this browser's pages carry.
    pub async fn csrf_token(&mut self) -> String {
        let page = if self.cookies.contains_key("xc_session") {
            "/account/password"
        } else {
            "/login"
        };
        let mut res = self.get(page).await;
        // A session still waiting for its TOTP code, or one being enrolled, is sent on.
        for _ in 0..3 {
            if !res.status.is_redirection() {
                break;
            }
            res = self.get(&res.location()).await;
        }
        extract_csrf(&res.text).unwrap_or_default()
    }

    pub async fn login(&mut self, username: &str, password: &str) -> Res {
        self.cookies.remove("xc_session");
        self.post_form("/login", &[("username", username), ("password", password)])
            .await
    }
}

/// The demo administrators' TOTP code now.
pub fn demo_totp_code() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs();
    xingcun_crypto::totp::code_at(xingcun::demo::DEMO_TOTP_SECRET, now).expect("demo secret")
}

pub fn extract_csrf(html: &str) -> Option<String> {
    let i = html.find("name=\"_csrf\" value=\"")?;
    let rest = &html[i + 20..];
    Some(rest[..rest.find('"')?].to_string())
}

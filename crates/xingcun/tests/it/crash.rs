//! The crash test: the real binary is killed with SIGKILL while a client creates accounts over
//! HTTP; after every restart, every creation the server acknowledged (303) must be there, the
//! database must pass its integrity check and the audit chain must verify.
//!
//! Cycles: `XINGCUN_CRASH_CYCLES` (default 8; the release check runs 50). On SQLite the file
//! must also pass `PRAGMA integrity_check`; on PostgreSQL (`XINGCUN_TEST_PG`) the platform's
//! process is killed, not the database server, which is not the platform's to kill.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use xingcun::app::App;
use xingcun::config::Config;

use crate::harness::{PASSWORD, demo_totp_code, extract_csrf};

const KEY: &str = "0707070707070707070707070707070707070707070707070707070707070707";

struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    fn cookie(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let v = l
                .strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))?;
            let pair = v.split(';').next()?;
            let (k, val) = pair.split_once('=')?;
            (k == name && !val.is_empty()).then(|| val.to_string())
        })
    }
    fn location(&self) -> String {
        self.head
            .lines()
            .find_map(|l| {
                l.strip_prefix("location: ")
                    .or_else(|| l.strip_prefix("Location: "))
            })
            .unwrap_or_default()
            .trim()
            .to_string()
    }
}

/// One HTTP/1.1 request on its own connection; `Err` when the server is gone.
async fn http(
    addr: &str,
    method: &str,
    path: &str,
    cookie: &str,
    form: Option<&[(&str, &str)]>,
) -> std::io::Result<Reply> {
    let mut s = tokio::net::TcpStream::connect(addr).await?;
    let body = form
        .map(|f| serde_urlencoded::to_string(f).unwrap())
        .unwrap_or_default();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if !cookie.is_empty() {
        req.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    if form.is_some() {
        req.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    req.push_str("\r\n");
    req.push_str(&body);
    s.write_all(req.as_bytes()).await?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await?;
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("truncated reply"))?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    Ok(Reply {
        status,
        head: head.to_string(),
        body: body.to_string(),
    })
}

/// Starts `xingcun serve` on a free port; returns the child and its address.
fn start(db_url: &str) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xingcun"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("DATABASE_URL", db_url)
        .env("XINGCUN_KEY", KEY)
        .env("RUST_LOG", "warn")
        .env("XINGCUN_SIGN_IN_PER_MINUTE", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the binary");
    let out = child.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(out).read_line(&mut line).unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .trim()
        .trim_end_matches('/')
        .to_string();
    (child, addr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_sigkill() {
    let cycles: usize = std::env::var("XINGCUN_CRASH_CYCLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8);
    let (url, _dir) = crate::harness::fresh_database_url().await;
    let sqlite = url.starts_with("sqlite:");
    let mut config = Config::for_database(&url);
    config.key = Some(KEY.into());
    {
        let state = App::build(config.clone()).await.unwrap();
        let date = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        xingcun::demo::build_base(&state, date).await.unwrap();
        state.db().pool.close().await;
    }
    // Sign in once as the system administrator: the session lives in the database, so the
    // same cookie works after every restart.
    let started = Instant::now();
    let (child, addr) = start(&url);
    let login = http(&addr, "GET", "/login", "", None).await.unwrap();
    let anon = format!("xc_anon={}", login.cookie("xc_anon").unwrap());
    let csrf = extract_csrf(&login.body).unwrap();
    let signed = http(
        &addr,
        "POST",
        "/login",
        &anon,
        Some(&[
            ("_csrf", &csrf),
            ("username", "xitong"),
            ("password", PASSWORD),
        ]),
    )
    .await
    .unwrap();
    assert_eq!(signed.status, 303, "{}", signed.head);
    let session = format!("xc_session={}", signed.cookie("xc_session").unwrap());
    let page = http(&addr, "GET", "/login/totp", &session, None)
        .await
        .unwrap();
    let csrf = extract_csrf(&page.body).unwrap();
    let code = demo_totp_code();
    let passed = http(
        &addr,
        "POST",
        "/login/totp",
        &session,
        Some(&[("_csrf", &csrf), ("code", &code)]),
    )
    .await
    .unwrap();
    assert_eq!(passed.location(), "/admin/users", "{}", passed.head);

    let mut acknowledged: Vec<String> = Vec::new();
    let mut attempted = 0usize;
    let mut server = Some((child, addr));
    for cycle in 0..cycles {
        let (mut child, addr) = server.take().unwrap_or_else(|| start(&url));
        // Kill after 0.4–1.1 s of writing, at a different moment each cycle.
        let kill_after = Duration::from_millis(400 + (cycle as u64 * 173) % 700);
        let killer = std::thread::spawn(move || {
            std::thread::sleep(kill_after);
            child.kill().expect("SIGKILL"); // std sends SIGKILL on Unix
            child.wait().expect("reaped");
        });
        // Two clients write at once until the server is gone.
        let mut writers = Vec::new();
        for w in 0..2 {
            let (addr, session, csrf) = (addr.clone(), session.clone(), csrf.clone());
            writers.push(tokio::spawn(async move {
                let mut acked = Vec::new();
                let mut tried = 0;
                for i in 0.. {
                    let name = format!("c{cycle}w{w}n{i}");
                    tried += 1;
                    let reply = http(
                        &addr,
                        "POST",
                        "/admin/users/new",
                        &session,
                        Some(&[
                            ("_csrf", &csrf),
                            ("username", &name),
                            ("display_name", "崩溃测试"),
                            ("role", "unassigned"),
                            ("org_code", "990101001001"),
                            ("password", "Crash-pass-2026"),
                        ]),
                    )
                    .await;
                    match reply {
                        Ok(r) if r.status == 303 && r.location() == "/admin/users" => {
                            acked.push(name)
                        }
                        Ok(r) => panic!("{name}: unexpected answer {}", r.head),
                        Err(_) => break, // killed: this one was not acknowledged
                    }
                }
                (acked, tried)
            }));
        }
        for w in writers {
            let (acked, tried) = w.await.unwrap();
            acknowledged.extend(acked);
            attempted += tried;
        }
        killer.join().unwrap();
    }
    assert!(
        acknowledged.len() >= cycles,
        "writes were acknowledged: {} of {attempted}",
        acknowledged.len()
    );
    // After the last kill: every acknowledged account is there, the file is sound, the audit
    // chain verifies.
    let db = xingcun::db::Db::connect(&url).await.unwrap();
    let stored: std::collections::HashSet<String> =
        sqlx::query("SELECT username FROM app_user WHERE username LIKE 'c%w%n%'")
            .fetch_all(&db.pool)
            .await
            .unwrap()
            .iter()
            .map(|r| sqlx::Row::get(r, 0))
            .collect();
    let lost: Vec<&String> = acknowledged
        .iter()
        .filter(|n| !stored.contains(*n))
        .collect();
    assert!(
        lost.is_empty(),
        "acknowledged but lost after SIGKILL: {lost:?}"
    );
    if sqlite {
        let integrity: String = sqlx::Row::get(
            &sqlx::query("PRAGMA integrity_check")
                .fetch_one(&db.pool)
                .await
                .unwrap(),
            0,
        );
        assert_eq!(integrity, "ok");
    }
    let chain = xingcun::audit::verify(&db).await.unwrap();
    assert!(
        matches!(chain, xingcun::audit::Verification::Intact { .. }),
        "{chain:?}"
    );
    // Every stored account has its audit row (no write without its audit, even mid-crash).
    let audited: i64 = sqlx::Row::get(
        &sqlx::query(
            "SELECT COUNT(*) FROM app_user u WHERE u.username LIKE 'c%w%n%'
               AND EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'user'
                           AND a.entity_key = CAST(u.id AS TEXT) AND a.action = 'create')",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap(),
        0,
    );
    assert_eq!(audited as usize, stored.len());
    eprintln!(
        "crash test: {cycles} SIGKILL cycles, {} acknowledged of {attempted} attempted writes, \
         {} stored, none lost, in {:.1} s",
        acknowledged.len(),
        stored.len(),
        started.elapsed().as_secs_f64()
    );
}

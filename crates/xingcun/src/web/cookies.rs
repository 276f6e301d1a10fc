//! Reading the `Cookie` header and writing `Set-Cookie` values, with the platform's flags.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;

pub const SESSION: &str = "xc_session";
/// A random value for visitors without a session, to bind CSRF tokens on the sign-in and public
/// forms (double submit).
pub const ANON: &str = "xc_anon";
pub const LANG: &str = "xc_lang";

/// The value of one cookie of the request, if sent.
pub fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A `Set-Cookie` value: `HttpOnly`, `SameSite=Lax`, path `/`, and `Secure` behind TLS.
/// `max_age` of `None` makes a browser-session cookie; `Some(0)` deletes it.
pub fn set(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_one_cookie_among_several() {
        let mut h = HeaderMap::new();
        h.insert(COOKIE, "a=1; xc_session=abc; b=2".parse().unwrap());
        assert_eq!(get(&h, SESSION).as_deref(), Some("abc"));
        assert_eq!(get(&h, "c"), None);
    }

    #[test]
    fn cookies_are_http_only_and_secure_behind_tls() {
        let c = set(SESSION, "v", None, true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Secure"));
        assert!(!set(SESSION, "v", Some(0), false).contains("Secure"));
    }
}

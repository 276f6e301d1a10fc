//! A small in-process rate limiter: one token bucket per key (an IP address, a user name, a
//! form's name plus an IP…). Each bucket holds up to `burst` tokens and refills at
//! `per_minute` tokens a minute; a request spends one token or is refused.
//!
//! Use it for any endpoint an anonymous caller can hammer:
//!
//! ```ignore
//! // in a handler, with `state: AppState` and the caller's address:
//! if !state.limiter().allow(&format!("demand-form:{ip}"), 5, 5) {
//!     return Err(AppError::TooManyRequests);
//! }
//! ```
//!
//! [`client_ip`] picks the caller's address (the first `X-Forwarded-For` hop when the platform
//! sits behind a proxy the operator trusts, see `--trust-forwarded-for`). The buckets live in
//! memory: a restart forgets them, and several server processes each limit on their own.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Buckets idle this long are dropped when the map is swept.
const IDLE_SECONDS: f64 = 600.0;
/// Sweep the map when it has grown past this many keys.
const SWEEP_AT: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Token buckets by key. Cheap to share: put one in the application state.
#[derive(Debug, Default)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl RateLimiter {
    pub fn new() -> RateLimiter {
        RateLimiter::default()
    }

    /// Spends a token from `key`'s bucket (up to `burst` tokens, refilled at `per_minute` a
    /// minute); false when the bucket is empty. A `per_minute` of 0 disables the limit.
    pub fn allow(&self, key: &str, per_minute: u32, burst: u32) -> bool {
        self.allow_at(key, per_minute, burst, Instant::now())
    }

    /// [`RateLimiter::allow`] at a given instant (for tests).
    pub fn allow_at(&self, key: &str, per_minute: u32, burst: u32, now: Instant) -> bool {
        if per_minute == 0 {
            return true;
        }
        let burst = f64::from(burst.max(1));
        let rate = f64::from(per_minute) / 60.0;
        let mut map = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() > SWEEP_AT {
            map.retain(|_, b| now.saturating_duration_since(b.at).as_secs_f64() < IDLE_SECONDS);
        }
        let b = map.entry(key.to_string()).or_insert(Bucket {
            tokens: burst,
            at: now,
        });
        let elapsed = now.saturating_duration_since(b.at).as_secs_f64();
        b.tokens = (b.tokens + elapsed * rate).min(burst);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// The caller's address for rate limiting: the first `X-Forwarded-For` hop when `trust_forwarded`
/// (the platform is behind a reverse proxy that sets it), else the socket's peer address.
pub fn client_ip(
    headers: &axum::http::HeaderMap,
    peer: Option<std::net::SocketAddr>,
    trust_forwarded: bool,
) -> String {
    if trust_forwarded
        && let Some(first) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    {
        return first.to_string();
    }
    peer.map(|p| p.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_bucket_allows_its_burst_then_refills_at_its_rate() {
        let l = RateLimiter::new();
        let t0 = Instant::now();
        for i in 0..5 {
            assert!(l.allow_at("ip:1", 6, 5, t0), "request {i}");
        }
        assert!(!l.allow_at("ip:1", 6, 5, t0), "the sixth is refused");
        assert!(
            l.allow_at("ip:2", 6, 5, t0),
            "another key has its own bucket"
        );
        // 6 a minute: one token every 10 s; a refused request spends nothing.
        assert!(!l.allow_at("ip:1", 6, 5, t0 + Duration::from_secs(9)));
        let at20 = t0 + Duration::from_secs(20);
        let allowed = (0..5).filter(|_| l.allow_at("ip:1", 6, 5, at20)).count();
        assert_eq!(allowed, 2, "20 s refill two tokens");
        // Never more than the burst, however long the wait.
        let later = t0 + Duration::from_secs(3600);
        let allowed = (0..10).filter(|_| l.allow_at("ip:1", 6, 5, later)).count();
        assert_eq!(allowed, 5);
    }

    #[test]
    fn zero_per_minute_means_no_limit() {
        let l = RateLimiter::new();
        assert!((0..100).all(|_| l.allow("k", 0, 1)));
    }

    #[test]
    fn the_forwarded_address_counts_only_when_trusted() {
        let mut h = axum::http::HeaderMap::new();
        h.insert("x-forwarded-for", "203.0.113.7, 10.0.0.1".parse().unwrap());
        let peer: std::net::SocketAddr = "10.0.0.1:5555".parse().unwrap();
        assert_eq!(client_ip(&h, Some(peer), true), "203.0.113.7");
        assert_eq!(client_ip(&h, Some(peer), false), "10.0.0.1");
        assert_eq!(client_ip(&h, None, false), "unknown");
    }
}

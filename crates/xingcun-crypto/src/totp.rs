//! Time-based one-time passwords (RFC 6238), the second factor required for administrators.
//!
//! HMAC-SHA1, 6 digits, 30-second steps: the parameters every authenticator app supports.
//! SHA-1 is acceptable here because HMAC-SHA1 remains a sound PRF and the code lives 30 s; it
//! never protects personal data. Secrets are base32 text, as shown in `otpauth://` QR codes.

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use zeroize::Zeroizing;

use crate::CryptoError;
use crate::encoding::{base32_decode, base32_encode};
use crate::hash::constant_time_eq;
use crate::random::fill_random;

/// Digits in a code.
pub const DIGITS: u32 = 6;
/// Seconds per time step.
pub const STEP_SECONDS: u64 = 30;
/// Steps accepted either side of the current one, for clock drift and typing time.
const WINDOW_STEPS: u64 = 1;
/// 160 bits, the HMAC-SHA1 output size that RFC 4226 §4 recommends for shared secrets.
const SECRET_BYTES: usize = 20;

/// A new random shared secret as 32 base32 characters (160 bits).
///
/// # Panics
/// If the OS random number generator is unavailable.
pub fn generate_secret() -> String {
    let mut secret = Zeroizing::new([0u8; SECRET_BYTES]);
    fill_random(&mut secret[..]);
    base32_encode(&secret[..])
}

/// The 6-digit code for `secret_b32` at `unix_time` (seconds since 1970-01-01 UTC).
pub fn code_at(secret_b32: &str, unix_time: u64) -> Result<String, CryptoError> {
    let key = decode_secret(secret_b32)?;
    Ok(hotp(&key, unix_time / STEP_SECONDS, DIGITS))
}

/// Whether `code` is valid for `secret_b32` at `unix_time`, allowing one step of drift either
/// way. Spaces in the code are ignored; a malformed code or secret is simply not valid.
///
/// This does not stop the same code being used twice within its window: callers that must
/// (等保 replay protection) use [`matching_step`] and refuse a step not after the last one used.
pub fn verify(secret_b32: &str, code: &str, unix_time: u64) -> bool {
    matching_step(secret_b32, code, unix_time).is_some()
}

/// The time step (`unix_time / 30`, give or take one) whose code equals `code`, if any.
pub fn matching_step(secret_b32: &str, code: &str, unix_time: u64) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let key = decode_secret(secret_b32).ok()?;
    let now = unix_time / STEP_SECONDS;
    (now.saturating_sub(WINDOW_STEPS)..=now.saturating_add(WINDOW_STEPS))
        .find(|&step| constant_time_eq(hotp(&key, step, DIGITS).as_bytes(), code.as_bytes()))
}

/// The `otpauth://` URI that authenticator apps read from a QR code at enrolment.
pub fn otpauth_uri(issuer: &str, account: &str, secret_b32: &str) -> String {
    let issuer = percent_encode(issuer);
    format!(
        "otpauth://totp/{issuer}:{account}?secret={secret_b32}&issuer={issuer}\
         &algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        account = percent_encode(account),
    )
}

fn decode_secret(secret_b32: &str) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    let key = Zeroizing::new(base32_decode(secret_b32)?);
    if key.is_empty() {
        return Err(CryptoError::InvalidBase32);
    }
    Ok(key)
}

/// HOTP (RFC 4226 §5.3): HMAC-SHA1 of the big-endian counter, dynamically truncated.
fn hotp(key: &[u8], counter: u64, digits: u32) -> String {
    let digest = <Hmac<Sha1> as KeyInit>::new_from_slice(key)
        .expect("HMAC accepts keys of any length")
        .chain_update(counter.to_be_bytes())
        .finalize()
        .into_bytes();
    let offset = usize::from(digest[19] & 0x0f);
    let bytes: [u8; 4] = digest[offset..offset + 4].try_into().expect("four bytes");
    let value = u32::from_be_bytes(bytes) & 0x7fff_ffff;
    format!(
        "{:0width$}",
        value % 10u32.pow(digits),
        width = digits as usize
    )
}

/// Percent-encodes everything but RFC 3986 unreserved characters (UTF-8 bytes for Chinese).
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    /// The RFC 6238 / RFC 4226 SHA-1 test secret, ASCII "12345678901234567890", in base32.
    const RFC_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn rfc_secret_constant_is_the_ascii_test_key() {
        assert_eq!(base32_decode(RFC_SECRET).unwrap(), b"12345678901234567890");
    }

    // RFC 6238 Appendix B, SHA1 column (8 digits).
    #[rstest]
    #[case(59, "94287082")]
    #[case(1_111_111_109, "07081804")]
    #[case(1_111_111_111, "14050471")]
    #[case(1_234_567_890, "89005924")]
    #[case(2_000_000_000, "69279037")]
    #[case(20_000_000_000, "65353130")]
    fn eight_digit_totp_matches_rfc_6238_vectors(#[case] unix_time: u64, #[case] code: &str) {
        assert_eq!(
            hotp(b"12345678901234567890", unix_time / STEP_SECONDS, 8),
            code
        );
    }

    // The same vectors cut to 6 digits, as the platform uses them.
    #[rstest]
    #[case(59, "287082")]
    #[case(1_111_111_109, "081804")]
    #[case(1_111_111_111, "050471")]
    #[case(1_234_567_890, "005924")]
    #[case(2_000_000_000, "279037")]
    #[case(20_000_000_000, "353130")]
    fn six_digit_code_is_the_suffix_of_the_rfc_6238_vector(
        #[case] unix_time: u64,
        #[case] code: &str,
    ) {
        assert_eq!(code_at(RFC_SECRET, unix_time).unwrap(), code);
    }

    // RFC 4226 Appendix D.
    #[rstest]
    #[case(0, "755224")]
    #[case(1, "287082")]
    #[case(2, "359152")]
    #[case(3, "969429")]
    #[case(4, "338314")]
    #[case(5, "254676")]
    #[case(6, "287922")]
    #[case(7, "162583")]
    #[case(8, "399871")]
    #[case(9, "520489")]
    fn hotp_matches_rfc_4226_vectors(#[case] counter: u64, #[case] code: &str) {
        assert_eq!(hotp(b"12345678901234567890", counter, 6), code);
    }

    #[rstest]
    #[case::previous_step(-30, true)]
    #[case::same_step(0, true)]
    #[case::next_step(30, true)]
    #[case::two_steps_behind(-60, false)]
    #[case::two_steps_ahead(60, false)]
    fn verify_accepts_codes_within_one_step_of_drift(
        #[case] code_offset_seconds: i64,
        #[case] accepted: bool,
    ) {
        let now: u64 = 1_700_000_010;
        let code = code_at(
            RFC_SECRET,
            now.checked_add_signed(code_offset_seconds).unwrap(),
        )
        .unwrap();
        assert_eq!(verify(RFC_SECRET, &code, now), accepted);
    }

    #[rstest]
    #[case::empty("")]
    #[case::too_short("28708")]
    #[case::too_long("2870820")]
    #[case::letters("28708a")]
    #[case::wrong_digits("287083")]
    #[case::full_width_digits("２８７０８２")]
    fn verify_rejects_malformed_or_wrong_codes(#[case] code: &str) {
        assert!(!verify(RFC_SECRET, code, 59));
    }

    #[test]
    fn verify_ignores_spaces_typed_inside_the_code() {
        assert!(verify(RFC_SECRET, " 287 082 ", 59));
    }

    #[test]
    fn verify_handles_the_first_step_without_underflow() {
        let code = code_at(RFC_SECRET, 0).unwrap();
        assert!(verify(RFC_SECRET, &code, 0));
    }

    #[test]
    fn matching_step_reports_the_step_so_callers_can_refuse_replays() {
        let code = code_at(RFC_SECRET, 59).unwrap();
        assert_eq!(matching_step(RFC_SECRET, &code, 59 + 30), Some(1));
    }

    #[rstest]
    #[case::not_base32("not base32!")]
    #[case::empty("")]
    fn invalid_secret_gives_no_code_and_verifies_nothing(#[case] secret: &str) {
        assert!(matches!(
            code_at(secret, 59),
            Err(CryptoError::InvalidBase32)
        ));
        assert!(!verify(secret, "287082", 59));
    }

    #[test]
    fn generated_secret_is_160_bits_of_base32_and_differs_each_time() {
        let secret = generate_secret();
        assert_eq!(secret.len(), 32);
        assert_eq!(base32_decode(&secret).unwrap().len(), SECRET_BYTES);
        assert_ne!(secret, generate_secret());
        let code = code_at(&secret, 1_700_000_000).unwrap();
        assert!(verify(&secret, &code, 1_700_000_000));
    }

    #[test]
    fn otpauth_uri_percent_encodes_issuer_and_account() {
        assert_eq!(
            otpauth_uri("兴村", "admin@x", "JBSWY3DPEHPK3PXP"),
            "otpauth://totp/%E5%85%B4%E6%9D%91:admin%40x?secret=JBSWY3DPEHPK3PXP\
             &issuer=%E5%85%B4%E6%9D%91&algorithm=SHA1&digits=6&period=30"
        );
    }
}

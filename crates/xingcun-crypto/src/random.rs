//! Randomness from the operating system's CSPRNG, for keys, nonces and tokens.

use crate::encoding::base64url_encode;

/// Fills `buf` from the OS random number generator.
///
/// # Panics
/// If the OS generator is unavailable. On the Linux servers this platform runs on that means
/// the machine is broken, and carrying on with weak nonces or keys would be worse than stopping.
pub(crate) fn fill_random(buf: &mut [u8]) {
    getrandom::fill(buf)
        .expect("操作系统随机数发生器不可用 (OS random number generator unavailable)");
}

/// A URL-safe (unpadded base64url) string of `bytes` random bytes from the OS generator, for
/// session ids, CSRF tokens and API tokens. Use at least 16 bytes; 32 is a good default.
///
/// # Panics
/// If the OS random number generator is unavailable.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    fill_random(&mut buf);
    base64url_encode(&buf)
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case(16, 22)]
    #[case(32, 43)]
    fn random_token_is_url_safe_with_the_expected_length(
        #[case] bytes: usize,
        #[case] chars: usize,
    ) {
        let token = random_token(bytes);
        assert_eq!(token.len(), chars);
        assert!(
            token
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
    }

    #[test]
    fn random_tokens_differ_between_calls() {
        assert_ne!(random_token(32), random_token(32));
    }
}

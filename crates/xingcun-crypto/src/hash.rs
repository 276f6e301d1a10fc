//! Plain SM3 hashing (for the audit hash chain) and constant-time comparison.

use sm3::{Digest, Sm3};
use subtle::ConstantTimeEq;

use crate::encoding::hex_encode;

/// SM3 (GB/T 32905) digest of `data`.
pub fn sm3(data: &[u8]) -> [u8; 32] {
    Sm3::digest(data).into()
}

/// SM3 digest of `data` as 64 lowercase hex characters.
pub fn sm3_hex(data: &[u8]) -> String {
    hex_encode(&sm3(data))
}

/// Compares two byte strings without leaking, through timing, where they first differ.
///
/// Lengths are not secret: slices of different lengths compare unequal at once.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case::abc(b"abc".as_slice(), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")]
    #[case::abcd_times_16(
        b"abcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcd".as_slice(),
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    )]
    fn sm3_matches_gb_t_32905_known_answers(#[case] input: &[u8], #[case] expected: &str) {
        assert_eq!(sm3_hex(input), expected);
    }

    #[rstest]
    #[case::equal(b"token".as_slice(), b"token".as_slice(), true)]
    #[case::last_byte_differs(b"token".as_slice(), b"tokem".as_slice(), false)]
    #[case::prefix(b"tok".as_slice(), b"token".as_slice(), false)]
    #[case::both_empty(b"".as_slice(), b"".as_slice(), true)]
    fn constant_time_eq_is_true_only_for_identical_bytes(
        #[case] a: &[u8],
        #[case] b: &[u8],
        #[case] expected: bool,
    ) {
        assert_eq!(constant_time_eq(a, b), expected);
    }
}

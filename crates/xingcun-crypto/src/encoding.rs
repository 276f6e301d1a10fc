//! Small binary-to-text codecs: hex (keys, digests), RFC 4648 base32 (TOTP secrets) and
//! unpadded base64url (random tokens).
//!
//! Written out here rather than pulled in as crates because each is a few lines and fully
//! covered by the RFC 4648 test vectors below.

use crate::CryptoError;

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";
const BASE32_ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BASE64URL_ALPHABET: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Lowercase hex encoding of `bytes`.
pub fn hex_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        out.push(char::from(HEX_DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(HEX_DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

/// Decodes hex text, upper- or lowercase. The error never echoes the input, which may be a key.
pub fn hex_decode(s: &str) -> Result<Vec<u8>, CryptoError> {
    let digits = s.as_bytes();
    if !digits.len().is_multiple_of(2) {
        return Err(CryptoError::InvalidHex);
    }
    digits
        .chunks_exact(2)
        .map(|pair| Ok((hex_value(pair[0])? << 4) | hex_value(pair[1])?))
        .collect()
}

fn hex_value(digit: u8) -> Result<u8, CryptoError> {
    match digit {
        b'0'..=b'9' => Ok(digit - b'0'),
        b'a'..=b'f' => Ok(digit - b'a' + 10),
        b'A'..=b'F' => Ok(digit - b'A' + 10),
        _ => Err(CryptoError::InvalidHex),
    }
}

/// RFC 4648 base32 without `=` padding, as authenticator apps expect in `otpauth://` URIs.
pub(crate) fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let mut buffer: u16 = 0;
    let mut bits = 0;
    for &byte in bytes {
        buffer = (buffer << 8) | u16::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(
                BASE32_ALPHABET[usize::from((buffer >> bits) & 0x1f)],
            ));
        }
    }
    if bits > 0 {
        out.push(char::from(
            BASE32_ALPHABET[usize::from((buffer << (5 - bits)) & 0x1f)],
        ));
    }
    out
}

/// Decodes base32 as people type it: case-insensitive, ignoring spaces, hyphens and `=` padding.
pub(crate) fn base32_decode(s: &str) -> Result<Vec<u8>, CryptoError> {
    let mut out = Vec::with_capacity(s.len() * 5 / 8);
    let mut buffer: u16 = 0;
    let mut bits = 0;
    for c in s.bytes() {
        let value = match c.to_ascii_uppercase() {
            c @ b'A'..=b'Z' => c - b'A',
            c @ b'2'..=b'7' => c - b'2' + 26,
            b' ' | b'-' | b'=' => continue,
            _ => return Err(CryptoError::InvalidBase32),
        };
        buffer = (buffer << 5) | u16::from(value);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Ok(out)
}

/// Unpadded base64url (RFC 4648 §5): safe in URLs, cookies and HTML attributes unescaped.
pub(crate) fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let group = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
        // n input bytes carry n + 1 output characters of six bits each.
        for i in 0..=chunk.len() {
            let sextet = (group >> (18 - 6 * i)) & 0x3f;
            out.push(char::from(BASE64URL_ALPHABET[sextet as usize]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case(&[], "")]
    #[case(&[0x00, 0x7f, 0xff], "007fff")]
    #[case(&[0xde, 0xad, 0xbe, 0xef], "deadbeef")]
    fn hex_round_trips_lowercase(#[case] bytes: &[u8], #[case] text: &str) {
        assert_eq!(hex_encode(bytes), text);
        assert_eq!(hex_decode(text).unwrap(), bytes);
    }

    #[test]
    fn hex_decode_accepts_uppercase() {
        assert_eq!(hex_decode("DEADBEEF").unwrap(), [0xde, 0xad, 0xbe, 0xef]);
    }

    #[rstest]
    #[case::odd_length("abc")]
    #[case::non_hex_character("zz")]
    #[case::sign("+1")]
    #[case::non_ascii("é0")]
    fn hex_decode_rejects_non_hex(#[case] text: &str) {
        assert!(matches!(hex_decode(text), Err(CryptoError::InvalidHex)));
    }

    // RFC 4648 §10 test vectors, padding removed.
    #[rstest]
    #[case("", "")]
    #[case("f", "MY")]
    #[case("fo", "MZXQ")]
    #[case("foo", "MZXW6")]
    #[case("foob", "MZXW6YQ")]
    #[case("fooba", "MZXW6YTB")]
    #[case("foobar", "MZXW6YTBOI")]
    fn base32_matches_rfc_4648_vectors(#[case] plain: &str, #[case] encoded: &str) {
        assert_eq!(base32_encode(plain.as_bytes()), encoded);
        assert_eq!(base32_decode(encoded).unwrap(), plain.as_bytes());
    }

    #[test]
    fn base32_decode_ignores_case_spaces_and_padding() {
        assert_eq!(base32_decode("mzxw 6ytb oi======").unwrap(), b"foobar");
    }

    #[rstest]
    #[case::digit_one("MZXW1")]
    #[case::punctuation("MZ.W6")]
    fn base32_decode_rejects_characters_outside_the_alphabet(#[case] text: &str) {
        assert!(matches!(
            base32_decode(text),
            Err(CryptoError::InvalidBase32)
        ));
    }

    // RFC 4648 §10 test vectors, padding removed (the URL-safe alphabet only differs in 62 and 63).
    #[rstest]
    #[case(b"".as_slice(), "")]
    #[case(b"f".as_slice(), "Zg")]
    #[case(b"fo".as_slice(), "Zm8")]
    #[case(b"foo".as_slice(), "Zm9v")]
    #[case(b"foob".as_slice(), "Zm9vYg")]
    #[case(b"fooba".as_slice(), "Zm9vYmE")]
    #[case(b"foobar".as_slice(), "Zm9vYmFy")]
    #[case(&[0xfb, 0xff], "-_8")]
    fn base64url_matches_rfc_4648_vectors(#[case] bytes: &[u8], #[case] encoded: &str) {
        assert_eq!(base64url_encode(bytes), encoded);
    }
}

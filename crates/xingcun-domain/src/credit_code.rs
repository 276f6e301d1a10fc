//! 统一社会信用代码 (GB 32100): 18 characters from a 31-character set, the last a check
//! character computed mod 31.

use std::fmt;

use crate::text::trim_all;

/// The characters GB 32100 allows, in value order (I, O, S, V and Z are never used).
const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weights of the first 17 characters (3^i mod 31).
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A valid unified social credit code, upper-case.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

/// Why a text is not a valid unified social credit code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    #[error("统一社会信用代码不能为空")]
    Empty,
    #[error("统一社会信用代码应为18位，实际为{0}位")]
    WrongLength(usize),
    #[error(
        "统一社会信用代码第{position}位“{found}”不是允许的字符（数字或除I、O、S、V、Z以外的大写字母）"
    )]
    BadChar { position: usize, found: char },
    #[error("统一社会信用代码校验位错误：应为{expected}")]
    BadCheckChar { expected: char, found: char },
}

fn value_of(c: char) -> Option<u32> {
    CHARSET.find(c).map(|i| i as u32)
}

/// The GB 32100 check character for the first 17 characters.
///
/// # Panics
/// If `first17` is not 17 characters of the GB 32100 set (upper-case).
pub fn credit_check_char(first17: &str) -> char {
    let values: Vec<u32> = first17
        .chars()
        .map(|c| value_of(c).unwrap_or_else(|| panic!("{c:?} is not a GB 32100 character")))
        .collect();
    assert_eq!(values.len(), 17, "credit_check_char needs 17 characters");
    let sum: u32 = values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    let check = (31 - sum % 31) % 31;
    CHARSET.as_bytes()[check as usize] as char
}

impl CreditCode {
    /// Reads a trimmed code of 18 characters from the GB 32100 set (lower-case read as
    /// upper-case) whose last character is the right check character.
    pub fn parse(s: &str) -> Result<Self, CreditCodeError> {
        let s = trim_all(s);
        let upper: Vec<char> = s.chars().map(|c| c.to_ascii_uppercase()).collect();
        match upper.len() {
            0 => return Err(CreditCodeError::Empty),
            18 => {}
            n => return Err(CreditCodeError::WrongLength(n)),
        }
        if let Some((i, _)) = upper
            .iter()
            .enumerate()
            .find(|(_, c)| value_of(**c).is_none())
        {
            return Err(CreditCodeError::BadChar {
                position: i + 1,
                found: s.chars().nth(i).unwrap_or(upper[i]),
            });
        }
        let code: String = upper.iter().collect();
        let expected = credit_check_char(&code[..17]);
        if upper[17] != expected {
            return Err(CreditCodeError::BadCheckChar {
                expected,
                found: upper[17],
            });
        }
        Ok(Self(code))
    }

    /// The 18 characters, upper-case.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CreditCode {
    type Error = CreditCodeError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<CreditCode> for String {
    fn from(c: CreditCode) -> Self {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::commonly_cited("91350100M000100Y4", '3')]
    #[case::farmer_cooperative("93990101MA3C8K2L1", 'H')]
    #[case::check_value_zero("93990101MA3C8K2LG", '0')]
    fn credit_check_char_follows_gb_32100(#[case] first17: &str, #[case] want: char) {
        assert_eq!(credit_check_char(first17), want);
    }

    #[rstest]
    #[case::commonly_cited("91350100M000100Y43", "91350100M000100Y43")]
    #[case::cooperative("93990101MA3C8K2L1H", "93990101MA3C8K2L1H")]
    #[case::lower_case("91350100m000100y43", "91350100M000100Y43")]
    #[case::padded("\u{3000}93990101MA3C8K2LG0 ", "93990101MA3C8K2LG0")]
    fn parse_accepts_valid_codes(#[case] input: &str, #[case] want: &str) {
        assert_eq!(
            CreditCode::parse(input).map(|c| c.as_str().to_owned()),
            Ok(want.to_owned())
        );
    }

    #[rstest]
    #[case::empty("", CreditCodeError::Empty)]
    #[case::seventeen("91350100M000100Y4", CreditCodeError::WrongLength(17))]
    #[case::organisation_code_only("M000100Y4", CreditCodeError::WrongLength(9))]
    #[case::letter_o("91350100O000100Y43", CreditCodeError::BadChar { position: 9, found: 'O' })]
    #[case::letter_i_lower_case("91350100i000100Y43", CreditCodeError::BadChar { position: 9, found: 'i' })]
    #[case::dash("91350100-000100Y43", CreditCodeError::BadChar { position: 9, found: '-' })]
    #[case::wrong_check("91350100M000100Y44", CreditCodeError::BadCheckChar { expected: '3', found: '4' })]
    #[case::transposed("91351000M000100Y43", CreditCodeError::BadCheckChar { expected: 'A', found: '3' })]
    fn parse_rejects_invalid_codes(#[case] input: &str, #[case] want: CreditCodeError) {
        assert_eq!(CreditCode::parse(input), Err(want));
    }

    #[test]
    fn check_char_error_message_says_what_it_should_be() {
        let err = CreditCode::parse("91350100M000100Y44").unwrap_err();
        assert_eq!(err.to_string(), "统一社会信用代码校验位错误：应为3");
    }
}

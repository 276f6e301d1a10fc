//! 联系电话: a mainland mobile number or a landline with its area code.

use std::fmt;

use crate::text::trim_all;

/// Whether a number is a mobile or a landline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PhoneKind {
    /// `1[3-9]` followed by 9 digits.
    Mobile,
    /// `0` + a 2–3 digit area code + `-` + 7–8 digits.
    Landline,
}

/// A valid phone number, stored exactly as written (trimmed).
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

/// Why a text is not a valid phone number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("联系电话不能为空")]
    Empty,
    #[error(
        "联系电话“{0}”格式不正确，应为11位手机号（如13800000000）或“区号-号码”形式的固定电话（如0531-12345678）"
    )]
    Invalid(String),
}

impl Phone {
    /// Reads a trimmed mobile number (`1[3-9]` + 9 digits) or landline
    /// (`0` + 2–3 digit area code + `-` + 7–8 digits).
    pub fn parse(s: &str) -> Result<Self, PhoneError> {
        let s = trim_all(s);
        if s.is_empty() {
            return Err(PhoneError::Empty);
        }
        if kind_of(s).is_none() {
            return Err(PhoneError::Invalid(s.to_owned()));
        }
        Ok(Self(s.to_owned()))
    }

    /// The number as stored.
    pub fn normalized(&self) -> &str {
        &self.0
    }

    /// Mobile or landline.
    pub fn kind(&self) -> PhoneKind {
        kind_of(&self.0).expect("a parsed Phone has a kind")
    }

    /// For screens: `138****5678` for a mobile; for a landline the area code and the last
    /// 4 digits with four asterisks between, `0531-****5678`, whatever the local length.
    pub fn masked(&self) -> String {
        let s = self.0.as_str();
        match self.kind() {
            PhoneKind::Mobile => format!("{}****{}", &s[..3], &s[7..]),
            PhoneKind::Landline => {
                let (area, local) = s.split_once('-').expect("a landline has a dash");
                format!("{area}-****{}", &local[local.len() - 4..])
            }
        }
    }
}

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

fn kind_of(s: &str) -> Option<PhoneKind> {
    let b = s.as_bytes();
    if b.len() == 11 && all_digits(s) && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) {
        return Some(PhoneKind::Mobile);
    }
    let (area, local) = s.split_once('-')?;
    let area_ok = matches!(area.len(), 3 | 4) && area.starts_with('0') && all_digits(area);
    let local_ok = matches!(local.len(), 7 | 8) && all_digits(local);
    (area_ok && local_ok).then_some(PhoneKind::Landline)
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Phone {
    type Error = PhoneError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Phone> for String {
    fn from(p: Phone) -> Self {
        p.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::mobile_138("13812345678", PhoneKind::Mobile, "138****5678")]
    #[case::mobile_199("19900001234", PhoneKind::Mobile, "199****1234")]
    #[case::demo_mobile("13900000001", PhoneKind::Mobile, "139****0001")]
    #[case::padded_mobile(" 13812345678\u{3000}", PhoneKind::Mobile, "138****5678")]
    #[case::landline_4_digit_area_8_digit_local(
        "0531-12345678",
        PhoneKind::Landline,
        "0531-****5678"
    )]
    #[case::landline_3_digit_area("010-87654321", PhoneKind::Landline, "010-****4321")]
    #[case::landline_7_digit_local("0635-8123456", PhoneKind::Landline, "0635-****3456")]
    fn parse_accepts_mobiles_and_landlines_and_masks_them(
        #[case] input: &str,
        #[case] kind: PhoneKind,
        #[case] masked: &str,
    ) {
        let p = Phone::parse(input).unwrap();
        assert_eq!(p.normalized(), trim_all(input));
        assert_eq!(p.kind(), kind);
        assert_eq!(p.masked(), masked);
    }

    #[rstest]
    #[case::starts_12("12812345678")]
    #[case::ten_digits("1381234567")]
    #[case::twelve_digits("138123456789")]
    #[case::country_code("+8613812345678")]
    #[case::inner_space("138 1234 5678")]
    #[case::full_width_digits("１３８１２３４５６７８")]
    #[case::landline_without_dash("053112345678")]
    #[case::landline_without_leading_zero("531-12345678")]
    #[case::area_code_too_long("05311-1234567")]
    #[case::local_too_short("0531-123456")]
    #[case::local_too_long("0531-123456789")]
    #[case::extension("0531-12345678-801")]
    fn parse_rejects_other_forms(#[case] input: &str) {
        assert_eq!(
            Phone::parse(input),
            Err(PhoneError::Invalid(input.to_owned()))
        );
    }

    #[test]
    fn parse_rejects_an_empty_cell() {
        assert_eq!(Phone::parse(" "), Err(PhoneError::Empty));
    }
}

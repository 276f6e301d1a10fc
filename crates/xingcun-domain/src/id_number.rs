//! 公民身份号码 (GB 11643): 17 digits of region, birth date and sequence, plus a check
//! character computed by ISO 7064 MOD 11-2.

use chrono::NaiveDate;

use crate::enums::Sex;
use crate::text::trim_all;

/// Weights of the first 17 digits (2^(17-i) mod 11).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for each remainder of the weighted sum mod 11.
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// A valid citizen ID number: 18 characters, check character upper-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct IdNumber(String);

/// Why a text is not a valid ID number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    #[error("身份证号不能为空")]
    Empty,
    #[error("身份证号应为18位，实际为{0}位")]
    WrongLength(usize),
    #[error("身份证号前17位应为数字，第{position}位是“{found}”")]
    NonDigit { position: usize, found: char },
    #[error("身份证号第18位应为数字或X，实际是“{0}”")]
    BadLastChar(char),
    #[error("身份证号中的出生日期{0}不存在")]
    ImpossibleDate(String),
    #[error("身份证号中的出生日期{0}晚于今天")]
    FutureDate(NaiveDate),
    #[error("身份证号校验位错误：应为{expected}")]
    BadCheckChar { expected: char, found: char },
}

/// The GB 11643 check character for the first 17 digits.
///
/// # Panics
/// If `first17` is not exactly 17 ASCII digits.
pub fn check_char(first17: &str) -> char {
    assert!(
        first17.len() == 17 && first17.bytes().all(|b| b.is_ascii_digit()),
        "check_char needs 17 ASCII digits, got {first17:?}"
    );
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    CHECK_CHARS[(sum % 11) as usize]
}

impl IdNumber {
    /// Parses an ID number as the 人员 sheet requires: trimmed, 18 characters, 17 digits and
    /// a check character (x read as X), digits 7–14 a real date not after `today`.
    /// The region code (first 6 digits) is not checked.
    pub fn parse(s: &str, today: NaiveDate) -> Result<Self, IdNumberError> {
        let s = trim_all(s);
        let chars: Vec<char> = s.chars().collect();
        match chars.len() {
            0 => return Err(IdNumberError::Empty),
            18 => {}
            n => return Err(IdNumberError::WrongLength(n)),
        }
        if let Some((i, &c)) = chars[..17]
            .iter()
            .enumerate()
            .find(|(_, c)| !c.is_ascii_digit())
        {
            return Err(IdNumberError::NonDigit {
                position: i + 1,
                found: c,
            });
        }
        let last = chars[17].to_ascii_uppercase();
        if !(last.is_ascii_digit() || last == 'X') {
            return Err(IdNumberError::BadLastChar(chars[17]));
        }
        // All 17 leading characters are ASCII, so byte slicing is safe from here on.
        let birth = birth_date_of(&s[6..14])?;
        if birth > today {
            return Err(IdNumberError::FutureDate(birth));
        }
        let expected = check_char(&s[..17]);
        if last != expected {
            return Err(IdNumberError::BadCheckChar {
                expected,
                found: chars[17],
            });
        }
        Ok(Self(format!("{}{last}", &s[..17])))
    }

    /// The 18 characters, check character upper-case.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The birth date in digits 7–14.
    pub fn birth_date(&self) -> NaiveDate {
        birth_date_of(&self.0[6..14]).expect("a parsed IdNumber holds a valid date")
    }

    /// The sex given by the 17th digit: odd = 男.
    pub fn sex(&self) -> Sex {
        if (self.0.as_bytes()[16] - b'0') % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// The first 4 and last 4 characters with 10 asterisks between, e.g. `3701**********123X`.
    pub fn masked(&self) -> String {
        format!("{}**********{}", &self.0[..4], &self.0[14..])
    }
}

impl AsRef<str> for IdNumber {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

fn birth_date_of(yyyymmdd: &str) -> Result<NaiveDate, IdNumberError> {
    let impossible = || IdNumberError::ImpossibleDate(yyyymmdd.to_owned());
    let year: i32 = yyyymmdd[..4].parse().map_err(|_| impossible())?;
    let month: u32 = yyyymmdd[4..6].parse().map_err(|_| impossible())?;
    let day: u32 = yyyymmdd[6..8].parse().map_err(|_| impossible())?;
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(impossible)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()
    }

    #[rstest]
    #[case::beijing("11010519491231002", 'X')]
    #[case::shenzhen("44030819990101002", '0')]
    #[case::jinan("37010219900307123", '8')]
    #[case::dongcheng("11010119900307123", '3')]
    #[case::demo_district("99010119800101001", '4')]
    fn check_char_follows_iso_7064_mod_11_2(#[case] first17: &str, #[case] want: char) {
        assert_eq!(check_char(first17), want);
    }

    #[rstest]
    #[case::x_check_char("11010519491231002X", "11010519491231002X")]
    #[case::lower_case_x("11010519491231002x", "11010519491231002X")]
    #[case::digit_check_char("440308199901010020", "440308199901010020")]
    #[case::padded("\u{3000}110101199003071233 ", "110101199003071233")]
    #[case::born_today("990101202606300013", "990101202606300013")]
    #[case::born_on_leap_day("990101200002290011", "990101200002290011")]
    fn parse_accepts_valid_id_numbers(#[case] input: &str, #[case] want: &str) {
        assert_eq!(
            IdNumber::parse(input, today()).map(|id| id.as_str().to_owned()),
            Ok(want.to_owned())
        );
    }

    #[rstest]
    #[case::empty("", IdNumberError::Empty)]
    #[case::seventeen_digits("11010519491231002", IdNumberError::WrongLength(17))]
    #[case::nineteen_digits("11010519491231002X1", IdNumberError::WrongLength(19))]
    #[case::fifteen_digit_old_style("110105491231002", IdNumberError::WrongLength(15))]
    #[case::letter_inside("1101051949123100AX", IdNumberError::NonDigit { position: 17, found: 'A' })]
    #[case::full_width_digit("１10105194912310028", IdNumberError::NonDigit { position: 1, found: '１' })]
    #[case::bad_last_char("11010519491231002Y", IdNumberError::BadLastChar('Y'))]
    #[case::wrong_check("110105194912310021", IdNumberError::BadCheckChar { expected: 'X', found: '1' })]
    #[case::one_digit_mistyped("370102199003071248", IdNumberError::BadCheckChar { expected: '6', found: '8' })]
    // The date cases below carry their correct check characters: only the date is wrong.
    #[case::february_30("990101199002300018", IdNumberError::ImpossibleDate("19900230".into()))]
    #[case::month_13("990101199013010016", IdNumberError::ImpossibleDate("19901301".into()))]
    #[case::february_29_common_year("990101200102290019", IdNumberError::ImpossibleDate("20010229".into()))]
    #[case::tomorrow("990101202607010018", IdNumberError::FutureDate(NaiveDate::from_ymd_opt(2026, 7, 1).unwrap()))]
    fn parse_rejects_invalid_id_numbers(#[case] input: &str, #[case] want: IdNumberError) {
        assert_eq!(IdNumber::parse(input, today()), Err(want));
    }

    #[test]
    fn check_char_error_message_says_what_it_should_be() {
        let err = IdNumber::parse("110105194912310021", today()).unwrap_err();
        assert_eq!(err.to_string(), "身份证号校验位错误：应为X");
    }

    #[rstest]
    #[case::odd_is_male("370102199003071238", Sex::Male)]
    #[case::even_is_female("440308199901010020", Sex::Female)]
    #[case::zero_is_female("11010519491231002X", Sex::Female)]
    fn sex_comes_from_the_17th_digit(#[case] input: &str, #[case] want: Sex) {
        let id = IdNumber::parse(input, today()).unwrap();
        assert_eq!(id.sex(), want);
    }

    #[test]
    fn birth_date_comes_from_digits_7_to_14() {
        let id = IdNumber::parse("370102199003071238", today()).unwrap();
        assert_eq!(
            id.birth_date(),
            NaiveDate::from_ymd_opt(1990, 3, 7).unwrap()
        );
    }

    #[test]
    fn masked_keeps_first_and_last_four() {
        let id = IdNumber::parse("37010219900319123X", today()).unwrap();
        assert_eq!(id.masked(), "3701**********123X");
        let x = IdNumber::parse("11010519491231002x", today()).unwrap();
        assert_eq!(x.masked(), "1101**********002X");
    }
}

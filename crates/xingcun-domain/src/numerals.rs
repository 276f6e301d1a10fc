//! Chinese numerals and dates for the narrative work report (七十个行政村, 二〇二六年六月三十日).
//!
//! Numbers use the formal reading: 二 (never 两) before 千, 万 and 亿 (2155 → 二千一百五十五),
//! a leading 一十 is read 十 (15 → 十五, 100000 → 十万), and a single 零 stands for a run of
//! zeros before a digit, while zeros ending a 4-digit group are not read (105 → 一百零五,
//! 10050 → 一万零五十, 10001000 → 一千万一千). Dates in upper form spell
//! the year digit by digit with 〇, as in official documents (GB/T 9704).

use chrono::{Datelike, NaiveDate};

const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const YEAR_DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/// Units of the 4-digit groups, from the lowest.
const GROUP_UNITS: [&str; 5] = ["", "万", "亿", "万亿", "亿亿"];
const PLACE_UNITS: [&str; 4] = ["", "十", "百", "千"];

/// The number in Chinese numerals: 10 → 十, 70 → 七十, 105 → 一百零五, 2155 → 二千一百五十五,
/// −3 → 负三.
pub fn chinese_number(n: i64) -> String {
    if n == 0 {
        return "零".to_owned();
    }
    let mut out = String::new();
    if n < 0 {
        out.push('负');
    }
    let mut rest = n.unsigned_abs();
    let mut groups = Vec::new();
    while rest > 0 {
        groups.push((rest % 10_000) as usize);
        rest /= 10_000;
    }
    // Whether a zero has been skipped since the last digit written.
    let mut zero_pending = false;
    let mut started = false;
    for (g, &group) in groups.iter().enumerate().rev() {
        if group == 0 {
            zero_pending |= started;
            continue;
        }
        for place in (0..4).rev() {
            let digit = group / 10_usize.pow(place as u32) % 10;
            if digit == 0 {
                zero_pending |= started;
                continue;
            }
            if zero_pending {
                out.push('零');
                zero_pending = false;
            }
            // 一十 at the very start is read 十 (十五, 十万); elsewhere 一十 (一百一十).
            if !(digit == 1 && place == 1 && !started) {
                out.push(DIGITS[digit]);
            }
            out.push_str(PLACE_UNITS[place]);
            started = true;
        }
        out.push_str(GROUP_UNITS[g]);
        // Zeros at the end of a group are not read (一千万一千), only those before a digit.
        zero_pending = false;
    }
    out
}

/// A date as 2026年6月30日.
pub fn chinese_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// A date in Chinese numerals as official documents write it: 二〇二六年六月三十日.
pub fn chinese_date_upper(d: NaiveDate) -> String {
    let year: String = d
        .year()
        .to_string()
        .chars()
        .map(|c| c.to_digit(10).map_or(c, |v| YEAR_DIGITS[v as usize]))
        .collect();
    format!(
        "{year}年{}月{}日",
        chinese_number(i64::from(d.month())),
        chinese_number(i64::from(d.day()))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::zero(0, "零")]
    #[case::one(1, "一")]
    #[case::ten(10, "十")]
    #[case::fifteen(15, "十五")]
    #[case::twenty(20, "二十")]
    #[case::seventy(70, "七十")]
    #[case::hundred(100, "一百")]
    #[case::hundred_five(105, "一百零五")]
    #[case::hundred_ten(110, "一百一十")]
    #[case::hundred_fifteen(115, "一百一十五")]
    #[case::thousand_ten(1010, "一千零一十")]
    #[case::thousand_one(1001, "一千零一")]
    #[case::linking_members(2155, "二千一百五十五")]
    #[case::ten_thousand(10_000, "一万")]
    #[case::ten_thousand_fifty(10_050, "一万零五十")]
    #[case::twenty_eight_thousand(28_000, "二万八千")]
    #[case::ninety_thousand(90_000, "九万")]
    #[case::hundred_thousand(100_000, "十万")]
    #[case::hundred_thousand_ten(100_010, "十万零一十")]
    #[case::one_million_one(1_000_001, "一百万零一")]
    #[case::group_trailing_zeros_not_read(10_001_000, "一千万一千")]
    #[case::zero_group_read_once(100_001_000, "一亿零一千")]
    #[case::hundred_million(100_000_000, "一亿")]
    #[case::hundred_million_ten_thousand(100_010_000, "一亿零一万")]
    #[case::hundred_million_one(100_000_001, "一亿零一")]
    #[case::negative(-3, "负三")]
    fn chinese_number_reads_like_a_report(#[case] n: i64, #[case] want: &str) {
        assert_eq!(chinese_number(n), want);
    }

    #[test]
    fn chinese_number_handles_the_extremes_of_i64() {
        assert!(chinese_number(i64::MAX).starts_with("九百二十二亿亿"));
        assert!(chinese_number(i64::MIN).starts_with("负九百二十二亿亿"));
    }

    #[rstest]
    #[case::mid_year(2026, 6, 30, "2026年6月30日", "二〇二六年六月三十日")]
    #[case::new_year(2027, 1, 1, "2027年1月1日", "二〇二七年一月一日")]
    #[case::teens(2030, 11, 15, "2030年11月15日", "二〇三〇年十一月十五日")]
    #[case::twenties(2026, 12, 21, "2026年12月21日", "二〇二六年十二月二十一日")]
    fn chinese_dates_in_both_forms(
        #[case] y: i32,
        #[case] m: u32,
        #[case] d: u32,
        #[case] plain: &str,
        #[case] upper: &str,
    ) {
        let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(chinese_date(date), plain);
        assert_eq!(chinese_date_upper(date), upper);
    }
}

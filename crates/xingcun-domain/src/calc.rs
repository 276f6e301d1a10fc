//! Counting rules shared by every indicator: ages in completed years, ratios and means
//! rounded half-up in exact integer arithmetic (indicators.md, "Common rules").

use chrono::{Datelike, NaiveDate};

/// Completed years (周岁) at `d` of someone born on `birth`; 0 if `d` is before `birth`.
///
/// Someone born on 29 February has a birthday on 1 March in common years: comparing
/// (month, day) pairs gives exactly that, as (2, 28) < (2, 29) ≤ (3, 1).
pub fn age_at(birth: NaiveDate, d: NaiveDate) -> u32 {
    if d < birth {
        return 0;
    }
    let years = d.year() - birth.year();
    let before_birthday = (d.month(), d.day()) < (birth.month(), birth.day());
    u32::try_from(years - i32::from(before_birthday)).unwrap_or(0)
}

/// `n / d` rounded half-up (halves away from zero) to an integer, exactly.
/// `d` must not be 0.
fn div_round_half_up(n: i128, d: i128) -> i128 {
    let (n, d) = if d < 0 { (-n, -d) } else { (n, d) };
    let sign = if n < 0 { -1 } else { 1 };
    let n = n.abs();
    sign * ((2 * n + d) / (2 * d))
}

/// An indicator ratio: numerator and denominator are always given; the value may be null.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Ratio {
    pub numerator: i64,
    pub denominator: i64,
}

impl Ratio {
    /// A ratio of `numerator` over `denominator`.
    pub fn new(numerator: i64, denominator: i64) -> Self {
        Self {
            numerator,
            denominator,
        }
    }

    /// The value in ten-thousandths, rounded half-up exactly (68/70 → 9714); `None` when the
    /// denominator is 0. This is the exact quantity behind [`Ratio::value`].
    pub fn ten_thousandths(&self) -> Option<i64> {
        if self.denominator == 0 {
            return None;
        }
        let q = div_round_half_up(
            i128::from(self.numerator) * 10_000,
            i128::from(self.denominator),
        );
        // |numerator × 10 000 / denominator| ≤ |numerator| × 10 000, so this only fails for
        // numerators beyond ±9.2 × 10^14, which no count reaches.
        i64::try_from(q).ok()
    }

    /// numerator ÷ denominator rounded half-up to 4 decimals (68/70 → 0.9714); `None` when
    /// the denominator is 0.
    pub fn value(&self) -> Option<f64> {
        self.ten_thousandths().map(|q| q as f64 / 10_000.0)
    }

    /// The value as a percentage with two decimals, as screens show it: "97.14%".
    pub fn percent_text(&self) -> Option<String> {
        let q = self.ten_thousandths()?;
        let sign = if q < 0 { "-" } else { "" };
        let q = q.unsigned_abs();
        Some(format!("{sign}{}.{:02}%", q / 100, q % 100))
    }
}

/// The mean of `values` rounded half-up to one decimal, exactly; `None` for no values.
pub fn mean_1dp(values: &[u32]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let sum: i128 = values.iter().map(|&v| i128::from(v)).sum();
    let tenths = div_round_half_up(sum * 10, values.len() as i128);
    Some(tenths as f64 / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[rstest]
    #[case::day_before_birthday(date(1990, 3, 7), date(2026, 3, 6), 35)]
    #[case::on_birthday(date(1990, 3, 7), date(2026, 3, 7), 36)]
    #[case::born_today(date(2026, 6, 30), date(2026, 6, 30), 0)]
    #[case::before_birth(date(2026, 6, 30), date(2026, 6, 1), 0)]
    #[case::leap_born_feb_28_common_year(date(2000, 2, 29), date(2026, 2, 28), 25)]
    #[case::leap_born_mar_1_common_year(date(2000, 2, 29), date(2026, 3, 1), 26)]
    #[case::leap_born_feb_28_leap_year(date(2000, 2, 29), date(2028, 2, 28), 27)]
    #[case::leap_born_feb_29_leap_year(date(2000, 2, 29), date(2028, 2, 29), 28)]
    #[case::born_mar_1_on_feb_29(date(2000, 3, 1), date(2028, 2, 29), 27)]
    #[case::year_end(date(1966, 12, 31), date(2026, 12, 30), 59)]
    fn age_at_counts_completed_years(
        #[case] birth: NaiveDate,
        #[case] d: NaiveDate,
        #[case] want: u32,
    ) {
        assert_eq!(age_at(birth, d), want);
    }

    #[rstest]
    #[case::college_cadre_coverage(68, 70, Some(0.9714), Some("97.14%"))]
    #[case::two_thirds(2, 3, Some(0.6667), Some("66.67%"))]
    #[case::one_third(1, 3, Some(0.3333), Some("33.33%"))]
    #[case::one_eighth_exact(1, 8, Some(0.125), Some("12.50%"))]
    #[case::full(70, 70, Some(1.0), Some("100.00%"))]
    #[case::zero_over_some(0, 70, Some(0.0), Some("0.00%"))]
    #[case::zero_over_zero(0, 0, None, None)]
    #[case::some_over_zero(5, 0, None, None)]
    // 1/32 = 0.03125: an exact half at the 5th decimal goes up (banker's rounding would
    // give 0.0312, and so would formatting the f64 with {:.4}).
    #[case::exact_half_goes_up(1, 32, Some(0.0313), Some("3.13%"))]
    #[case::exact_half_goes_up_again(3, 32, Some(0.0938), Some("9.38%"))]
    // 1/20000 = 0.00005 exactly: half → 0.0001. 1/80000 = 0.0000125: below half → 0.
    #[case::smallest_half(1, 20000, Some(0.0001), Some("0.01%"))]
    #[case::below_half(1, 80000, Some(0.0), Some("0.00%"))]
    #[case::just_below_half(4999, 100_000_000, Some(0.0), Some("0.00%"))]
    #[case::just_above_half(5001, 100_000_000, Some(0.0001), Some("0.01%"))]
    // 0.00625 is not exact in binary; the integer rule still rounds its half up.
    #[case::non_dyadic_half(1, 160, Some(0.0063), Some("0.63%"))]
    #[case::more_than_one(3, 2, Some(1.5), Some("150.00%"))]
    fn ratio_value_rounds_half_up_to_four_decimals(
        #[case] numerator: i64,
        #[case] denominator: i64,
        #[case] value: Option<f64>,
        #[case] percent: Option<&str>,
    ) {
        let r = Ratio::new(numerator, denominator);
        assert_eq!(r.value(), value);
        assert_eq!(r.percent_text().as_deref(), percent);
    }

    #[test]
    fn ratio_keeps_its_parts_when_the_value_is_null() {
        let r = Ratio::new(0, 0);
        assert_eq!((r.numerator, r.denominator, r.value()), (0, 0, None));
    }

    #[rstest]
    #[case::empty(&[], None)]
    #[case::one(&[42], Some(42.0))]
    #[case::exact(&[40, 41], Some(40.5))]
    #[case::thirds_down(&[40, 40, 41], Some(40.3))]
    #[case::thirds_up(&[40, 41, 41], Some(40.7))]
    // 45.25 is an exact half at the second decimal: it goes up to 45.3.
    #[case::exact_half_goes_up(&[45, 45, 45, 46], Some(45.3))]
    #[case::below_half(&[45, 45, 45, 45, 45, 45, 45, 46], Some(45.1))]
    fn mean_1dp_rounds_half_up_to_one_decimal(#[case] values: &[u32], #[case] want: Option<f64>) {
        assert_eq!(mean_1dp(values), want);
    }
}

//! The holiday calendar: which days are working days, for deadlines counted in working days
//! (办理时限). Ships the State Council's schedule as data; administrators keep it current as
//! text in the `YYYY-MM-DD holiday|workday # note` format.

use std::collections::{BTreeMap, btree_map};
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate, Weekday};

/// What the schedule says about one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// 放假: a day off, even on a weekday.
    Holiday,
    /// 调休上班: a Saturday or Sunday worked in exchange for a day off.
    MakeUpWorkday,
}

impl DayKind {
    /// The word used in the text format: `holiday` or `workday`.
    pub fn word(self) -> &'static str {
        match self {
            Self::Holiday => "holiday",
            Self::MakeUpWorkday => "workday",
        }
    }
}

/// A run of days sharing a kind, as the State Council's notice lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScheduleSpan {
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub kind: DayKind,
    pub note: &'static str,
}

const fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => panic!("invalid date in the holiday schedule"),
    }
}

const fn off(first: NaiveDate, last: NaiveDate, note: &'static str) -> ScheduleSpan {
    ScheduleSpan {
        first,
        last,
        kind: DayKind::Holiday,
        note,
    }
}

const fn work(day: NaiveDate, note: &'static str) -> ScheduleSpan {
    ScheduleSpan {
        first: day,
        last: day,
        kind: DayKind::MakeUpWorkday,
        note,
    }
}

/// The schedule shipped with the platform.
///
/// 2026 is the State Council's published arrangement (国务院办公厅关于2026年部分节假日安排的通知).
///
/// 2027 is PROVISIONAL until the State Council publishes its notice (usually in November of
/// the year before): it lists only what 《全国年节及纪念日放假办法》 fixes by itself — each
/// statutory day, and a weekday off (补休) for each statutory day that falls on a Saturday or
/// Sunday — for 除夕 5 Feb (春节 6 Feb), 清明 5 Apr, 端午 9 Jun and 中秋 15 Sep.
/// The extra bridge days and make-up workdays (调休) are decided each year and are not
/// guessed here. Administrators replace it in the platform once the notice is out.
pub const OFFICIAL_SCHEDULE: &[ScheduleSpan] = &[
    // 2026 — published.
    off(ymd(2026, 1, 1), ymd(2026, 1, 3), "元旦"),
    work(ymd(2026, 1, 4), "元旦调休上班"),
    work(ymd(2026, 2, 14), "春节调休上班"),
    off(ymd(2026, 2, 15), ymd(2026, 2, 23), "春节"),
    work(ymd(2026, 2, 28), "春节调休上班"),
    off(ymd(2026, 4, 4), ymd(2026, 4, 6), "清明节"),
    off(ymd(2026, 5, 1), ymd(2026, 5, 5), "劳动节"),
    work(ymd(2026, 5, 9), "劳动节调休上班"),
    off(ymd(2026, 6, 19), ymd(2026, 6, 21), "端午节"),
    work(ymd(2026, 9, 20), "国庆节调休上班"),
    off(ymd(2026, 9, 25), ymd(2026, 9, 27), "中秋节"),
    off(ymd(2026, 10, 1), ymd(2026, 10, 7), "国庆节"),
    work(ymd(2026, 10, 10), "国庆节调休上班"),
    // 2027 — PROVISIONAL (see above): statutory days and their 补休 only.
    off(ymd(2027, 1, 1), ymd(2027, 1, 3), "元旦（暂定）"),
    off(
        ymd(2027, 2, 5),
        ymd(2027, 2, 10),
        "春节（暂定，除夕至初三及补休）",
    ),
    off(ymd(2027, 4, 3), ymd(2027, 4, 5), "清明节（暂定）"),
    off(ymd(2027, 5, 1), ymd(2027, 5, 4), "劳动节（暂定，含补休）"),
    off(ymd(2027, 6, 9), ymd(2027, 6, 9), "端午节（暂定）"),
    off(ymd(2027, 9, 15), ymd(2027, 9, 15), "中秋节（暂定）"),
    off(ymd(2027, 10, 1), ymd(2027, 10, 5), "国庆节（暂定，含补休）"),
];

/// One listed day.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    kind: DayKind,
    note: String,
}

/// Why a line of the schedule text is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("节假日表第{line}行：日期“{text}”应为YYYY-MM-DD格式，如2026-10-01")]
    BadDate { line: usize, text: String },
    #[error("节假日表第{line}行：类型“{text}”应为holiday（放假）或workday（调休上班）")]
    BadKind { line: usize, text: String },
    #[error("节假日表第{line}行：缺少类型，应写为“2026-10-01 holiday # 国庆节”")]
    MissingKind { line: usize },
    #[error("节假日表第{line}行：“{text}”是多余的内容，说明请写在 # 之后")]
    Extra { line: usize, text: String },
    #[error("节假日表第{line}行：{date}已在前面列出")]
    Duplicate { line: usize, date: NaiveDate },
    #[error("节假日表第{line}行：{date}不是周六或周日，不能作为调休上班日")]
    WorkdayNotWeekend { line: usize, date: NaiveDate },
}

/// Holidays and make-up workdays. Every other day is a working day from Monday to Friday
/// and a day off on Saturday and Sunday.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HolidayCalendar {
    entries: BTreeMap<NaiveDate, Entry>,
}

impl HolidayCalendar {
    /// A calendar from listed days; a later entry for the same date replaces an earlier one.
    pub fn new(entries: impl IntoIterator<Item = (NaiveDate, DayKind)>) -> Self {
        let entries = entries
            .into_iter()
            .map(|(d, kind)| {
                (
                    d,
                    Entry {
                        kind,
                        note: String::new(),
                    },
                )
            })
            .collect();
        Self { entries }
    }

    /// The schedule shipped with the platform, [`OFFICIAL_SCHEDULE`].
    pub fn official() -> Self {
        let mut entries = BTreeMap::new();
        for span in OFFICIAL_SCHEDULE {
            for d in span.first.iter_days().take_while(|d| *d <= span.last) {
                entries.insert(
                    d,
                    Entry {
                        kind: span.kind,
                        note: span.note.to_owned(),
                    },
                );
            }
        }
        Self { entries }
    }

    /// Reads the text format, one day a line: `YYYY-MM-DD holiday|workday # note`.
    /// Blank lines and lines starting with `#` are ignored; 放假 and 上班 are accepted for
    /// holiday and workday. A date may be listed once; a workday must be a Saturday or Sunday.
    /// Every wrong line is reported, not only the first.
    pub fn parse_lines(text: &str) -> Result<Self, Vec<CalendarError>> {
        let mut entries = BTreeMap::new();
        let mut errors = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            match parse_line(i + 1, raw) {
                Ok(None) => {}
                Ok(Some((date, entry))) => {
                    if let btree_map::Entry::Vacant(slot) = entries.entry(date) {
                        slot.insert(entry);
                    } else {
                        errors.push(CalendarError::Duplicate { line: i + 1, date });
                    }
                }
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(Self { entries })
        } else {
            Err(errors)
        }
    }

    /// The text format of this calendar, one day a line, in date order;
    /// [`HolidayCalendar::parse_lines`] reads it back unchanged.
    pub fn to_lines(&self) -> String {
        let mut out = String::new();
        for (date, entry) in &self.entries {
            let _ = write!(out, "{date} {}", entry.kind.word());
            if !entry.note.is_empty() {
                let _ = write!(out, " # {}", entry.note);
            }
            out.push('\n');
        }
        out
    }

    /// What the schedule lists for `d`, if anything.
    pub fn kind_of(&self, d: NaiveDate) -> Option<DayKind> {
        self.entries.get(&d).map(|e| e.kind)
    }

    /// Whether the schedule lists any day of `year` (to warn when next year's is missing).
    pub fn has_year(&self, year: i32) -> bool {
        let first = NaiveDate::from_ymd_opt(year, 1, 1);
        let last = NaiveDate::from_ymd_opt(year, 12, 31);
        match (first, last) {
            (Some(first), Some(last)) => self.entries.range(first..=last).next().is_some(),
            _ => false,
        }
    }

    /// Listed days in date order, with their kind.
    pub fn entries(&self) -> impl Iterator<Item = (NaiveDate, DayKind)> + '_ {
        self.entries.iter().map(|(d, e)| (*d, e.kind))
    }

    /// Weekdays are working days unless a holiday; Saturdays and Sundays are not, unless a
    /// make-up workday.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        match self.kind_of(d) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::MakeUpWorkday) => true,
            None => !matches!(d.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The `n`-th working day after `start` (`start` itself not counted); `start` when n = 0.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut d = start;
        let mut left = n;
        while left > 0 {
            d = d.succ_opt().expect("date within chrono's range");
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days in (`from`, `to`]: after `from`, up to and including `to`; 0 when `to`
    /// is not after `from`. So `working_days_between(s, add_working_days(s, n)) == n`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days()
            .skip(1)
            .take_while(|d| *d <= to)
            .filter(|d| self.is_working_day(*d))
            .count() as u32
    }
}

fn parse_line(line: usize, raw: &str) -> Result<Option<(NaiveDate, Entry)>, CalendarError> {
    let (body, note) = match raw.split_once('#') {
        Some((body, note)) => (body, crate::text::trim_all(note)),
        None => (raw, ""),
    };
    let mut words = body.split_whitespace();
    let Some(date_text) = words.next() else {
        return Ok(None);
    };
    let date = NaiveDate::parse_from_str(date_text, "%Y-%m-%d")
        .ok()
        .filter(|_| date_text.len() == 10)
        .ok_or_else(|| CalendarError::BadDate {
            line,
            text: date_text.to_owned(),
        })?;
    let kind = match words.next() {
        None => return Err(CalendarError::MissingKind { line }),
        Some("holiday" | "放假") => DayKind::Holiday,
        Some("workday" | "上班") => DayKind::MakeUpWorkday,
        Some(other) => {
            return Err(CalendarError::BadKind {
                line,
                text: other.to_owned(),
            });
        }
    };
    if let Some(extra) = words.next() {
        return Err(CalendarError::Extra {
            line,
            text: extra.to_owned(),
        });
    }
    if kind == DayKind::MakeUpWorkday && !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
        return Err(CalendarError::WorkdayNotWeekend { line, date });
    }
    Ok(Some((
        date,
        Entry {
            kind,
            note: note.to_owned(),
        },
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[rstest]
    #[case::ordinary_monday(date(2026, 3, 2), true)]
    #[case::ordinary_saturday(date(2026, 3, 7), false)]
    #[case::new_year_thursday(date(2026, 1, 1), false)]
    #[case::new_year_make_up_sunday(date(2026, 1, 4), true)]
    #[case::spring_festival_make_up_saturday_before(date(2026, 2, 14), true)]
    #[case::spring_festival_monday(date(2026, 2, 23), false)]
    #[case::spring_festival_make_up_saturday_after(date(2026, 2, 28), true)]
    #[case::qingming_monday(date(2026, 4, 6), false)]
    #[case::labour_day_tuesday(date(2026, 5, 5), false)]
    #[case::labour_day_make_up_saturday(date(2026, 5, 9), true)]
    #[case::dragon_boat_friday(date(2026, 6, 19), false)]
    #[case::national_day_make_up_sunday(date(2026, 9, 20), true)]
    #[case::mid_autumn_friday(date(2026, 9, 25), false)]
    #[case::national_day_wednesday(date(2026, 10, 7), false)]
    #[case::day_after_national_day(date(2026, 10, 8), true)]
    #[case::national_day_make_up_saturday(date(2026, 10, 10), true)]
    #[case::provisional_2027_spring_festival_bu_xiu(date(2027, 2, 10), false)]
    #[case::provisional_2027_national_day_bu_xiu(date(2027, 10, 5), false)]
    fn official_calendar_knows_the_2026_arrangement(#[case] d: NaiveDate, #[case] working: bool) {
        assert_eq!(HolidayCalendar::official().is_working_day(d), working);
    }

    #[test]
    fn official_2026_has_the_published_number_of_days_off_and_make_up_days() {
        let cal = HolidayCalendar::official();
        let in_2026 = |k| {
            cal.entries()
                .filter(|(d, kind)| d.year() == 2026 && *kind == k)
                .count()
        };
        assert_eq!(in_2026(DayKind::Holiday), 3 + 9 + 3 + 5 + 3 + 3 + 7);
        assert_eq!(in_2026(DayKind::MakeUpWorkday), 6);
        assert!(
            cal.entries()
                .filter(|(_, k)| *k == DayKind::MakeUpWorkday)
                .all(|(d, _)| { matches!(d.weekday(), Weekday::Sat | Weekday::Sun) })
        );
    }

    #[rstest]
    #[case::zero_days_is_start(date(2026, 3, 4), 0, date(2026, 3, 4))]
    #[case::plain_week(date(2026, 3, 2), 5, date(2026, 3, 9))]
    #[case::from_friday_skips_weekend(date(2026, 3, 6), 1, date(2026, 3, 9))]
    // Tue 29 Sep + 1 → Wed 30 Sep; + 2 → Thu 8 Oct, across 国庆 (1–7 Oct).
    #[case::into_national_day(date(2026, 9, 29), 1, date(2026, 9, 30))]
    #[case::across_national_day(date(2026, 9, 29), 2, date(2026, 10, 8))]
    // Thu 8 Oct, Fri 9 Oct, then the make-up Saturday 10 Oct counts.
    #[case::across_national_day_to_make_up_saturday(date(2026, 9, 29), 4, date(2026, 10, 10))]
    #[case::across_national_day_and_make_up(date(2026, 9, 29), 5, date(2026, 10, 12))]
    // Fri 18 Sep → the make-up Sunday 20 Sep is the first working day after it.
    #[case::make_up_sunday_counts(date(2026, 9, 18), 1, date(2026, 9, 20))]
    #[case::start_on_a_holiday(date(2026, 10, 3), 1, date(2026, 10, 8))]
    #[case::across_spring_festival(date(2026, 2, 13), 2, date(2026, 2, 24))]
    #[case::ten_working_days_over_national_day(date(2026, 9, 28), 10, date(2026, 10, 16))]
    fn add_working_days_skips_holidays_and_counts_make_up_days(
        #[case] start: NaiveDate,
        #[case] n: u32,
        #[case] want: NaiveDate,
    ) {
        let cal = HolidayCalendar::official();
        assert_eq!(cal.add_working_days(start, n), want);
        assert_eq!(cal.working_days_between(start, want), n);
    }

    #[rstest]
    #[case::same_day(date(2026, 10, 8), date(2026, 10, 8), 0)]
    #[case::backwards(date(2026, 10, 9), date(2026, 10, 8), 0)]
    #[case::whole_national_day_week(date(2026, 9, 30), date(2026, 10, 7), 0)]
    // 22 weekdays, less 中秋 (Fri 25 Sep), plus the make-up Sunday 20 Sep.
    #[case::september(date(2026, 8, 31), date(2026, 9, 30), 22)]
    fn working_days_between_counts_after_from_up_to_to(
        #[case] from: NaiveDate,
        #[case] to: NaiveDate,
        #[case] want: u32,
    ) {
        assert_eq!(
            HolidayCalendar::official().working_days_between(from, to),
            want
        );
    }

    #[test]
    fn parse_lines_reads_the_text_format() {
        let cal = HolidayCalendar::parse_lines(
            "# 2028 草稿\n\n2028-01-01 holiday # 元旦\n  2028-01-02 放假\n2028-01-08 workday\n",
        )
        .unwrap();
        assert_eq!(
            cal.entries().collect::<Vec<_>>(),
            [
                (date(2028, 1, 1), DayKind::Holiday),
                (date(2028, 1, 2), DayKind::Holiday),
                (date(2028, 1, 8), DayKind::MakeUpWorkday),
            ]
        );
    }

    #[test]
    fn to_lines_round_trips_through_parse_lines() {
        let official = HolidayCalendar::official();
        let text = official.to_lines();
        assert!(text.starts_with("2026-01-01 holiday # 元旦\n"));
        assert_eq!(HolidayCalendar::parse_lines(&text), Ok(official));
    }

    #[rstest]
    #[case::bad_date("2026-13-01 holiday", CalendarError::BadDate { line: 1, text: "2026-13-01".into() })]
    #[case::short_date("2026-1-1 holiday", CalendarError::BadDate { line: 1, text: "2026-1-1".into() })]
    #[case::bad_kind("2026-10-01 off", CalendarError::BadKind { line: 1, text: "off".into() })]
    #[case::missing_kind("2026-10-01", CalendarError::MissingKind { line: 1 })]
    #[case::note_without_hash("2026-10-01 holiday 国庆", CalendarError::Extra { line: 1, text: "国庆".into() })]
    #[case::workday_on_a_weekday("2026-10-09 workday", CalendarError::WorkdayNotWeekend { line: 1, date: date(2026, 10, 9) })]
    fn parse_lines_rejects_wrong_lines(#[case] text: &str, #[case] want: CalendarError) {
        assert_eq!(HolidayCalendar::parse_lines(text), Err(vec![want]));
    }

    #[test]
    fn parse_lines_reports_every_wrong_line_including_duplicates() {
        let errors = HolidayCalendar::parse_lines(
            "2026-10-01 holiday\n2026-10-01 holiday\nbad\n2026-10-02 holiday\n",
        )
        .unwrap_err();
        assert_eq!(
            errors,
            [
                CalendarError::Duplicate {
                    line: 2,
                    date: date(2026, 10, 1)
                },
                CalendarError::BadDate {
                    line: 3,
                    text: "bad".into()
                },
            ]
        );
        assert_eq!(
            errors[0].to_string(),
            "节假日表第2行：2026-10-01已在前面列出"
        );
    }

    #[test]
    fn has_year_tells_whether_a_schedule_is_loaded() {
        let cal = HolidayCalendar::official();
        assert!(cal.has_year(2026));
        assert!(cal.has_year(2027));
        assert!(!cal.has_year(2028));
    }

    #[test]
    fn an_empty_calendar_has_only_weekends_off() {
        let cal = HolidayCalendar::default();
        assert!(cal.is_working_day(date(2026, 10, 1)));
        assert!(!cal.is_working_day(date(2026, 10, 10)));
        let custom = HolidayCalendar::new([(date(2026, 3, 7), DayKind::MakeUpWorkday)]);
        assert!(custom.is_working_day(date(2026, 3, 7)));
    }
}

//! The later cadre-pipeline part of the demo: trainings and their attendances, practice
//! postings of ready reserve talents, village advisors and their advice, and the annual reviews
//! of every village secretary. Deterministic for a generation date G, written through the
//! import with the rest of the registry (`demo::registry::generate` chains these sheets after
//! 后备人才), and dated by the demo-district rule: the i-th of n dated records falls on
//! 1 January + ⌊i·d/n⌋; advisors and postings start before 1 January, with no end.

use chrono::{Datelike, Days, NaiveDate};
use xingcun_domain::enums::{AdvisorKind, Readiness, ReviewResult};

use super::registry::TalentVillage;
use crate::workbook::read::{Row, SheetData};
use crate::workbook::sheets::{self, Sheet};

/// Training sessions in the demo year.
pub const TRAININGS: usize = 40;
/// Advisor pieces of advice per advisor, dated in the demo year.
pub const ADVICE_PER_ADVISOR: usize = 2;
/// Years of annual reviews of each secretary (the years before the demo year).
pub const REVIEW_YEARS: i32 = 3;

const TITLES: [&str; 8] = [
    "村党组织书记履职能力提升培训班",
    "村“两委”干部乡村振兴专题培训班",
    "农村电子商务实务培训班",
    "后备人才“青苗”培训班",
    "村级财务管理培训班",
    "矛盾纠纷排查化解培训班",
    "现代农业技术培训班",
    "基层党建业务培训班",
];
const PLACES: [&str; 3] = ["区委党校", "乡镇党群服务中心", "乡村振兴实训基地"];
const HOSTS: [(&str, &str); 4] = [
    ("乡镇党政综合办公室", "综合文秘岗"),
    ("乡镇农业农村办公室", "农业服务岗"),
    ("村党群服务中心", "村务助理"),
    ("乡镇便民服务中心", "代办服务岗"),
];
const SUBJECTS: [&str; 6] = [
    "村集体经济项目选址",
    "人居环境整治长效管护",
    "老年食堂运营",
    "村规民约修订",
    "产业路建设",
    "留守儿童关爱",
];
const GRADES: [&str; 3] = ["一级", "二级", "三级"];

/// Rows of one sheet.
struct Rows {
    sheet: &'static Sheet,
    rows: Vec<Row>,
}

impl Rows {
    fn new(sheet: &'static Sheet) -> Rows {
        Rows {
            sheet,
            rows: Vec::new(),
        }
    }
    fn push(&mut self, cells: &[(&str, Option<String>)]) {
        let mut values = vec![None; self.sheet.columns.len()];
        for (h, v) in cells {
            values[self.sheet.index(h)] = v.clone();
        }
        let row = self.rows.len() as u32 + 2;
        self.rows.push(Row { row, values });
    }
    fn finish(self) -> SheetData {
        let n = self.sheet.columns.len();
        SheetData {
            sheet: self.sheet,
            present: vec![true; n],
            file_col: vec![None; n],
            rows: self.rows,
        }
    }
}

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

/// The day of the i-th of n records dated in [1 January, G].
fn nth_day(jan1: NaiveDate, d: u64, i: usize, n: usize) -> NaiveDate {
    jan1 + Days::new(i as u64 * d / n.max(1) as u64)
}

/// The 培训班, 培训参训, 实践锻炼, 村务顾问, 顾问建议 and 书记年度考核 sheets, in import order.
/// `reserve` is the demo's 后备人才 sheet (its people attend the pool's trainings and do the
/// practice postings).
pub(super) fn generate(
    villages: &[TalentVillage],
    reserve: &SheetData,
    townships: &[String],
    date: NaiveDate,
) -> Vec<SheetData> {
    let year = date.year();
    let jan1 = NaiveDate::from_ymd_opt(year, 1, 1).expect("valid date");
    let d = (date - jan1).num_days().max(0) as u64;
    let district = villages
        .first()
        .map(|v| format!("{}000000", &v.code[..6]))
        .unwrap_or_default();
    let rs = &sheets::RESERVE_TALENTS;
    let (id_i, org_i, ready_i, since_i) = (
        rs.index("身份证号"),
        rs.index("所属区划编码"),
        rs.index("成熟度"),
        rs.index("入库日期"),
    );
    let pool: Vec<(&str, &str, bool, &str)> = reserve
        .rows
        .iter()
        .filter_map(|r| {
            Some((
                r.values[id_i].as_deref()?,
                r.values[org_i].as_deref()?,
                r.values[ready_i].as_deref() == Some(Readiness::Ready.code()),
                r.values[since_i].as_deref()?,
            ))
        })
        .collect();
    let township_of = |code: &str| {
        villages
            .iter()
            .find(|v| v.code == code)
            .map_or(0, |v| v.township)
    };

    // Trainings: a quarter by the district (every secretary), a quarter for the pool of one
    // township, the rest by a township for two cadres of each of its villages.
    let mut trainings = Rows::new(&sheets::TRAININGS);
    let mut attendances = Rows::new(&sheets::TRAINING_ATTENDANCES);
    for i in 0..TRAININGS {
        let no = format!("PX{year}{:03}", i + 1);
        let t = i % townships.len().max(1);
        let (organiser, title) = match i % 4 {
            0 => (district.clone(), TITLES[(i / 4) % 2]),
            3 => (townships[t].clone(), TITLES[3]),
            _ => (townships[t].clone(), TITLES[[1, 2, 4, 5, 6, 7][i % 6]]),
        };
        let on = nth_day(jan1, d, i, TRAININGS).to_string();
        trainings.push(&[
            ("培训编号", s(&no)),
            ("主办单位编码", s(&organiser)),
            ("名称", s(title)),
            ("开始日期", s(&on)),
            ("结束日期", s(&on)),
            ("地点", s(PLACES[i % PLACES.len()])),
            ("学时", s(if i % 4 == 0 { "16" } else { "8" })),
        ]);
        let mut attend = |id: &str, org: &str| {
            attendances.push(&[
                ("培训编号", s(&no)),
                ("身份证号", s(id)),
                ("所属区划编码", s(org)),
            ]);
        };
        match i % 4 {
            0 => {
                for v in villages.iter().filter(|v| !v.cadres.is_empty()) {
                    attend(&v.cadres[0], &v.code);
                }
            }
            3 => {
                for (id, org, _, _) in pool.iter().filter(|p| township_of(p.1) == t) {
                    attend(id, org);
                }
            }
            _ => {
                for v in villages.iter().filter(|v| v.township == t) {
                    let n = v.cadres.len();
                    if n < 2 {
                        continue;
                    }
                    // Two cadres other than the secretary, rotating over the sessions.
                    for c in 0..2 {
                        let k = 1 + (i / 5 + c) % (n - 1);
                        attend(&v.cadres[k], &v.code);
                    }
                }
            }
        }
    }

    // Practice postings: every ready talent, from a month after entering the pool (at the
    // latest on 31 December before the demo year).
    let mut postings = Rows::new(&sheets::PRACTICE_POSTINGS);
    let last_dec = NaiveDate::from_ymd_opt(year - 1, 12, 31).expect("valid date");
    for (k, (id, org, _, since)) in pool.iter().filter(|p| p.2).enumerate() {
        let since = NaiveDate::parse_from_str(since, "%Y-%m-%d").unwrap_or(last_dec);
        let from = (since + Days::new(30)).min(last_dec);
        let (host, post) = HOSTS[k % HOSTS.len()];
        postings.push(&[
            ("身份证号", s(id)),
            ("所属区划编码", s(org)),
            ("锻炼单位", s(host)),
            ("岗位", s(post)),
            ("开始日期", s(&from.to_string())),
        ]);
    }

    // Advisors since the year before last; each gives advice in the demo year.
    let mut advisors = Rows::new(&sheets::ADVISORS);
    let mut given: Vec<(&str, &str)> = Vec::new();
    let two_years_ago = NaiveDate::from_ymd_opt(year - 2, 1, 1).expect("valid date");
    for (vi, v) in villages.iter().enumerate() {
        let take = if vi % 2 == 0 { 2 } else { 1 };
        for (j, elder) in v.elders.iter().take(take).enumerate() {
            let kind = if j == 0 {
                AdvisorKind::VeteranMember
            } else {
                AdvisorKind::RetiredCadre
            };
            advisors.push(&[
                ("身份证号", s(elder)),
                ("村编码", s(&v.code)),
                ("类型", s(kind.code())),
                (
                    "开始日期",
                    s(&(two_years_ago + Days::new((vi as u64 * 11) % 360)).to_string()),
                ),
            ]);
            given.push((elder, &v.code));
        }
    }
    let mut advice = Rows::new(&sheets::ADVICE);
    let n = given.len() * ADVICE_PER_ADVISOR;
    for i in 0..n {
        let (who, village) = given[i % given.len()];
        advice.push(&[
            ("建议编号", s(&format!("JY{year}{:04}", i + 1))),
            ("村编码", s(village)),
            ("顾问身份证号", s(who)),
            ("提出日期", s(&nth_day(jan1, d, i, n).to_string())),
            ("事项", s(SUBJECTS[i % SUBJECTS.len()])),
            ("是否采纳", s(if i % 3 == 2 { "0" } else { "1" })),
        ]);
    }

    // Annual reviews of every secretary for the years before the demo year (all held the post
    // since five years before it); pay grades for those under professional management.
    let mut reviews = Rows::new(&sheets::SECRETARY_REVIEWS);
    for (vi, v) in villages.iter().enumerate() {
        let Some(secretary) = v.cadres.first() else {
            continue;
        };
        for y in 1..=REVIEW_YEARS {
            let k = vi * 3 + y as usize;
            let result = match k % 10 {
                0 | 4 => ReviewResult::Excellent,
                7 if k % 20 == 7 => ReviewResult::BasicallyCompetent,
                _ => ReviewResult::Competent,
            };
            let grade = (vi < super::registry::PROFESSIONAL_SECRETARIES).then(|| {
                match result {
                    ReviewResult::Excellent => GRADES[0],
                    ReviewResult::Competent => GRADES[1],
                    _ => GRADES[2],
                }
                .to_string()
            });
            reviews.push(&[
                ("身份证号", s(secretary)),
                ("村编码", s(&v.code)),
                ("年度", s(&(year - y).to_string())),
                ("考核结果", s(result.code())),
                ("报酬等级", grade),
            ]);
        }
    }

    vec![
        trainings.finish(),
        attendances.finish(),
        postings.finish(),
        advisors.finish(),
        advice.finish(),
        reviews.finish(),
    ]
}

//! The demo's standard scores, objections and contests (docs/workbook-modules.md): every
//! 达标评定 of the registry gets a score per criterion of the seeded standard BZ2024 adding up to
//! its 得分 (so 示范 ≥ 90, 达标 ≥ 80, 未达标 below, as the standard says); the first awarded
//! 带富致富先锋 had an objection during its notice, handled before the award, and the first still
//! in notice has one open; two contests of village secretaries: the district's, published
//! (three judges, extremes dropped), and 青山镇's, still being scored (two judges, one done).
//! Nothing here feeds a figure of the spec's table: scores and objections change no result,
//! contests have no indicator.

use chrono::{Datelike, Days, NaiveDate};
use xingcun_domain::enums::VillagePost;

use crate::workbook::read::{Row, SheetData};
use crate::workbook::sheets::{self, Sheet, SheetId};

/// The seeded standard's criteria: (code, points in hundredths), in order.
const CRITERIA: &[(&str, i64)] = &[
    ("BZ2024-1-1", 500),
    ("BZ2024-1-2", 500),
    ("BZ2024-1-3", 500),
    ("BZ2024-1-4", 500),
    ("BZ2024-2-1", 500),
    ("BZ2024-2-2", 500),
    ("BZ2024-2-3", 500),
    ("BZ2024-2-4", 500),
    ("BZ2024-2-5", 500),
    ("BZ2024-3-1", 500),
    ("BZ2024-3-2", 500),
    ("BZ2024-3-3", 500),
    ("BZ2024-3-4", 500),
    ("BZ2024-4-1", 500),
    ("BZ2024-4-2", 500),
    ("BZ2024-4-3", 500),
    ("BZ2024-5-1", 700),
    ("BZ2024-5-2", 700),
    ("BZ2024-5-3", 600),
];

/// A demo contest: number, title, unit, drop extremes, status, judges (account, name), the
/// contestants (indexes into the unit's secretaries), how many judges have scored.
type ContestPlan = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    std::ops::Range<usize>,
    usize,
);

const EVIDENCE: [&str; 4] = ["查阅台账", "现场查看", "查阅会议记录", "走访群众"];

struct Builder {
    sheet: &'static Sheet,
    rows: Vec<Row>,
}

impl Builder {
    fn new(sheet: &'static Sheet) -> Self {
        Builder {
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

fn cents(v: &str) -> i64 {
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    int.parse::<i64>().unwrap_or(0) * 100
        + format!("{frac:0<2}")
            .get(..2)
            .and_then(|f| f.parse().ok())
            .unwrap_or(0)
}

fn show(c: i64) -> String {
    let s = format!("{}.{:02}", c / 100, c % 100);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Scores per criterion adding up to `total` (hundredths): the shortfall is taken in half
/// points from the criteria in turn, starting at a place that depends on `seed`, at most
/// 60 % of a criterion's points from each.
pub fn split(total: i64, seed: usize) -> Vec<i64> {
    let mut scores: Vec<i64> = CRITERIA.iter().map(|c| c.1).collect();
    let mut short = (CRITERIA.iter().map(|c| c.1).sum::<i64>() - total).max(0);
    let n = scores.len();
    let mut i = seed % n;
    let mut guard = 0;
    while short > 0 && guard < 10_000 {
        let floor = CRITERIA[i].1 * 4 / 10;
        let step = short.min(50);
        if scores[i] - step >= floor {
            scores[i] -= step;
            short -= step;
        }
        i = (i + 7) % n;
        guard += 1;
    }
    scores
}

fn rows_of(sheets: &[SheetData], id: SheetId) -> impl Iterator<Item = &Row> {
    sheets
        .iter()
        .filter(move |s| s.sheet.id == id)
        .flat_map(|s| s.rows.iter())
}

/// The demo's rows of the sheets of this module, from the registry's sheets.
pub fn generate(registry: &[SheetData], date: NaiveDate) -> Vec<SheetData> {
    let year = date.year();
    let mut out = Vec::new();

    // 达标评分: each assessment's 得分 spread over the criteria.
    let a = &sheets::ASSESSMENTS;
    let mut scores = Builder::new(&sheets::ASSESSMENT_SCORES);
    for (k, r) in rows_of(registry, SheetId::Assessments).enumerate() {
        let (Some(no), Some(score)) = (&r.values[0], &r.values[a.index("得分")]) else {
            continue;
        };
        for (j, (c, got)) in CRITERIA.iter().zip(split(cents(score), k)).enumerate() {
            scores.push(&[
                ("评定编号", Some(no.clone())),
                ("指标编码", Some(c.0.to_string())),
                ("得分", Some(show(got))),
                ("佐证", Some(EVIDENCE[(j + k) % EVIDENCE.len()].to_string())),
            ]);
        }
    }
    out.push(scores.finish());

    // 荣誉异议: one handled before an award, one open on an honour in its notice.
    let h = &sheets::HONORS;
    let mut objections = Builder::new(&sheets::HONOR_OBJECTIONS);
    let honors: Vec<&Row> = rows_of(registry, SheetId::Honors).collect();
    let first = |status: &str| {
        honors.iter().find(|r| {
            r.values[h.index("状态")].as_deref() == Some(status)
                && r.values[h.index("荣誉类型")].as_deref() == Some("prosperity_pioneer")
        })
    };
    if let Some(r) = first("awarded")
        && let (Some(no), Some(from), Some(to)) = (
            &r.values[0],
            &r.values[h.index("公示开始日期")],
            &r.values[h.index("公示结束日期")],
        )
    {
        let handled = NaiveDate::parse_from_str(from, "%Y-%m-%d")
            .ok()
            .map(|d| (d + Days::new(2)).to_string())
            .filter(|d| d <= to)
            .unwrap_or_else(|| to.clone());
        objections.push(&[
            ("荣誉编号", Some(no.clone())),
            ("异议序号", Some("1".into())),
            ("提出日期", Some(from.clone())),
            ("提出人", Some("村民（匿名）".into())),
            (
                "内容",
                Some("反映其合作社带动农户数量与公示材料不一致。".into()),
            ),
            (
                "处理结果",
                Some("经乡镇党委核实，带动农户数以合作社台账为准，异议不成立。".into()),
            ),
            ("处理日期", Some(handled)),
        ]);
    }
    if let Some(r) = first("notice")
        && let (Some(no), Some(from)) = (&r.values[0], &r.values[h.index("公示开始日期")])
    {
        objections.push(&[
            ("荣誉编号", Some(no.clone())),
            ("异议序号", Some("1".into())),
            ("提出日期", Some(from.clone())),
            ("提出人", Some("本村党员".into())),
            ("内容", Some("建议补充其近三年带富成效的佐证材料。".into())),
        ]);
    }
    out.push(objections.finish());

    // 擂台赛: the village secretaries of the demo, from the 干部 sheet.
    let c = &sheets::CADRES;
    let secretaries: Vec<(String, String)> = rows_of(registry, SheetId::Cadres)
        .filter(|r| {
            r.values[c.index("职务")].as_deref() == Some(VillagePost::BranchSecretary.code())
                && r.values[c.index("离任日期")].is_none()
        })
        .filter_map(|r| {
            Some((
                r.values[0].clone()?,
                r.values[c.index("任职单位编码")].clone()?,
            ))
        })
        .collect();
    if secretaries.len() < 14 {
        return out;
    }
    let held = |m: u32| {
        NaiveDate::from_ymd_opt(year - 1, m, 20)
            .expect("valid date")
            .to_string()
    };
    let mut contests = Builder::new(&sheets::CONTESTS);
    let mut criteria = Builder::new(&sheets::CONTEST_CRITERIA);
    let mut contestants = Builder::new(&sheets::CONTESTANTS);
    let mut judges = Builder::new(&sheets::CONTEST_JUDGES);
    let mut marks = Builder::new(&sheets::CONTEST_SCORES);
    const ITEMS: [(&str, i64); 3] = [("述职演讲", 40), ("现场答辩", 30), ("实绩评议", 30)];
    let plan: [ContestPlan; 2] = [
        (
            "01",
            "全区村党组织书记“晒比拼”擂台赛",
            "990101000000",
            "1",
            "published",
            &[
                ("admin", "区委组织部评委"),
                ("xiangzhen", "乡镇评委"),
                ("cungan", "村书记代表评委"),
            ],
            0..8,
            3,
        ),
        (
            "02",
            "青山镇村党组织书记比武",
            "990101001000",
            "0",
            "scoring",
            &[("admin", "区委组织部评委"), ("xiangzhen", "青山镇评委")],
            0..6,
            1,
        ),
    ];
    for (k, (n, title, unit, drop, status, js, range, scored)) in plan.iter().enumerate() {
        let no = format!("LTS{}{n}", year - 1);
        // The township's contest takes the secretaries of its own villages.
        let mine: Vec<&(String, String)> = secretaries
            .iter()
            .filter(|(_, v)| v.starts_with(&unit[..if k == 0 { 6 } else { 9 }]))
            .collect();
        contests.push(&[
            ("赛事编号", Some(no.clone())),
            ("名称", Some(title.to_string())),
            ("比赛日期", Some(held(if k == 0 { 10 } else { 11 }))),
            ("主办单位编码", Some(unit.to_string())),
            ("去掉最高最低分", Some(drop.to_string())),
            ("状态", Some(status.to_string())),
        ]);
        for (i, (name, max)) in ITEMS.iter().enumerate() {
            criteria.push(&[
                ("赛事编号", Some(no.clone())),
                ("指标序号", Some((i + 1).to_string())),
                ("名称", Some(name.to_string())),
                ("满分", Some(max.to_string())),
            ]);
        }
        for (user, name) in js.iter() {
            judges.push(&[
                ("赛事编号", Some(no.clone())),
                ("评委账号", Some(user.to_string())),
                ("姓名", Some(name.to_string())),
            ]);
        }
        let picked: Vec<&&(String, String)> = range
            .clone()
            .filter_map(|i| mine.get(i * if k == 0 { 7 } else { 1 } % mine.len().max(1)))
            .collect();
        let mut seen = std::collections::HashSet::new();
        for (p, (id, village)) in picked.iter().map(|x| (**x).clone()).enumerate() {
            if !seen.insert(id.clone()) {
                continue;
            }
            contestants.push(&[
                ("赛事编号", Some(no.clone())),
                ("身份证号", Some(id.clone())),
                ("村编码", Some(village.clone())),
            ]);
            for (j, (user, _)) in js.iter().enumerate().take(*scored) {
                for (i, (_, max)) in ITEMS.iter().enumerate() {
                    // 70 %–98 % of the maximum, in half points, varied by contestant and judge.
                    let pct = 70 + ((p * 7 + j * 5 + i * 3) % 29) as i64;
                    let got = (max * 100 * pct / 100) / 50 * 50;
                    marks.push(&[
                        ("赛事编号", Some(no.clone())),
                        ("评委账号", Some(user.to_string())),
                        ("选手身份证号", Some(id.clone())),
                        ("指标序号", Some((i + 1).to_string())),
                        ("得分", Some(show(got))),
                    ]);
                }
            }
        }
    }
    out.extend([
        contests.finish(),
        criteria.finish(),
        contestants.finish(),
        judges.finish(),
    ]);
    out.push(marks.finish());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn criterion_scores_add_up_to_the_assessment_score_within_their_points() {
        for (total, seed) in [(9500, 0), (8650, 3), (6850, 11), (7100, 5), (10000, 1)] {
            let s = split(total, seed);
            assert_eq!(s.iter().sum::<i64>(), total, "{total}");
            for (x, c) in s.iter().zip(CRITERIA) {
                assert!(*x >= 0 && *x <= c.1);
            }
        }
        assert_eq!(CRITERIA.iter().map(|c| c.1).sum::<i64>(), 10000);
    }
}

//! The demo's disputes (矛盾纠纷排查化解): three canvassing rounds per township, three disputes
//! per village (210), two parties each, mediation sessions, about six in ten resolved and a few
//! of 高 risk still open (the township's alerts). The i-th of the n disputes is found on
//! 1 January + ⌊i·d/n⌋ (the dates rule); a round is held on 1 January + ⌊r·d/3⌋, so the round
//! that found a dispute is the township's latest on or before its found date, and every
//! session and conclusion falls between the found date and G.

use chrono::{Datelike, Days, NaiveDate};
use xingcun_domain::enums::CadreCategory;

use super::names;
use super::registry::Village;
use crate::governance::disputes::KINDS;
use crate::workbook::read::{Row, SheetData};
use crate::workbook::sheets::{self, Sheet};

/// Disputes per village, and so 210 for the 70 villages.
const PER_VILLAGE: usize = 3;
/// Rounds per township.
const ROUNDS: u64 = 3;

const SUMMARIES: [&str; 8] = [
    "夫妻因家庭琐事及子女抚养问题产生矛盾",
    "相邻两户因排水沟走向发生争执",
    "承包地边界不清引发争议",
    "宅基地界址及围墙修建发生纠纷",
    "山林权属及灌溉用水分配产生争议",
    "务工人员与包工头因工资结算发生纠纷",
    "征地补偿款分配存在异议",
    "因牲畜损坏庄稼引发赔偿争议",
];

struct Sheetful {
    sheet: &'static Sheet,
    rows: Vec<Row>,
}

impl Sheetful {
    fn new(sheet: &'static Sheet) -> Self {
        Sheetful {
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

/// A fictional ID number of the demo district: 990101, a birth date, a sequence, the
/// GB 11643 check character.
fn party_id(birth: NaiveDate, seq: usize, male: bool) -> String {
    let seq = 500 + (seq % 250) * 2 + usize::from(male);
    let first17 = format!("990101{}{:03}", birth.format("%Y%m%d"), seq);
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .bytes()
        .zip(W)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{first17}{check}")
}

fn s(v: impl Into<String>) -> Option<String> {
    Some(v.into())
}

/// The first 村干部 post's holder of each village, from the demo's 干部 sheet: the mediator.
fn mediators(registry: &[SheetData]) -> std::collections::HashMap<String, String> {
    let c = &sheets::CADRES;
    let (cat, unit) = (c.index("干部类别"), c.index("任职单位编码"));
    let mut out = std::collections::HashMap::new();
    for d in registry.iter().filter(|d| d.sheet.name == c.name) {
        for r in &d.rows {
            if r.values[cat].as_deref() == Some(CadreCategory::VillageCadre.code())
                && let (Some(id), Some(u)) = (&r.values[0], &r.values[unit])
            {
                out.entry(u.clone()).or_insert_with(|| id.clone());
            }
        }
    }
    out
}

/// The 排查, 矛盾纠纷, 纠纷当事人 and 调解记录 sheets; `registry` holds the demo's sheets so far
/// (the mediators are village cadres of its 干部 sheet).
pub fn generate(
    villages: &[Village],
    townships: &[String],
    registry: &[SheetData],
    date: NaiveDate,
) -> Vec<SheetData> {
    let jan1 = NaiveDate::from_ymd_opt(date.year(), 1, 1).expect("valid date");
    let d = (date - jan1).num_days().max(0) as u64;
    let day = |i: u64, n: u64| jan1 + Days::new(i * d / n);
    let mediator = mediators(registry);
    let mut rounds = Sheetful::new(&sheets::CANVASS_ROUNDS);
    for (t, code) in townships.iter().enumerate() {
        for r in 0..ROUNDS {
            rounds.push(&[
                (
                    "排查编号",
                    s(format!("PC{}{:02}{}", date.year(), t + 1, r + 1)),
                ),
                ("排查单位编码", s(code.as_str())),
                ("排查日期", s(day(r, ROUNDS).to_string())),
                (
                    "牵头人",
                    s(format!(
                        "{}{}",
                        names::SURNAMES[(t * 3 + r as usize) % names::SURNAMES.len()],
                        names::MALE_NAMES[(t * 7 + r as usize) % names::MALE_NAMES.len()]
                    )),
                ),
                (
                    "情况记录",
                    s("乡镇综治中心牵头，逐村逐户开展矛盾纠纷拉网式排查"),
                ),
            ]);
        }
    }
    let mut disputes = Sheetful::new(&sheets::DISPUTES);
    let mut parties = Sheetful::new(&sheets::DISPUTE_PARTIES);
    let mut sessions = Sheetful::new(&sheets::MEDIATION_SESSIONS);
    let n = (villages.len() * PER_VILLAGE) as u64;
    for i in 0..n as usize {
        // Spread each village's disputes over the year.
        let v = &villages[i % villages.len()];
        let found = day(i as u64, n);
        let t = v.township;
        let round = (0..ROUNDS)
            .rev()
            .find(|r| day(*r, ROUNDS) <= found)
            .unwrap_or(0);
        let no = format!("JF{}{:04}", date.year(), i + 1);
        let kind = KINDS.words[i % KINDS.words.len()].0;
        let risk = match i % 23 {
            5 => "high",
            0..=4 => "medium",
            _ => "low",
        };
        // 0–5 of every 10: resolved; 6: referred to a court; 7–8: in mediation; 9: pending.
        let k = (i * 7) % 10;
        let concluded = (found + Days::new(3 + (i % 20) as u64)).min(date);
        let (status, outcome) = match k {
            0..=5 => ("concluded", Some("mediated")),
            6 => ("concluded", Some("litigation")),
            7 | 8 => ("mediating", None),
            _ => ("pending", None),
        };
        let med = mediator.get(&v.code).cloned();
        let (a, b) = (
            format!(
                "{}{}",
                names::SURNAMES[(i * 3) % names::SURNAMES.len()],
                names::MALE_NAMES[(i * 11) % names::MALE_NAMES.len()]
            ),
            format!(
                "{}{}",
                names::SURNAMES[(i * 5 + 7) % names::SURNAMES.len()],
                names::FEMALE_NAMES[(i * 13) % names::FEMALE_NAMES.len()]
            ),
        );
        disputes.push(&[
            ("纠纷编号", s(no.as_str())),
            ("村编码", s(v.code.as_str())),
            ("发现日期", s(found.to_string())),
            (
                "排查编号",
                s(format!("PC{}{:02}{}", date.year(), t + 1, round + 1)),
            ),
            ("纠纷类型", s(kind)),
            ("风险等级", s(risk)),
            ("简要情况", s(SUMMARIES[i % SUMMARIES.len()])),
            ("调解员身份证号", med.clone()),
            ("状态", s(status)),
            (
                "办结日期",
                (status == "concluded").then(|| concluded.to_string()),
            ),
            ("调处结果", outcome.map(str::to_string)),
            (
                "协议内容",
                (outcome == Some("mediated")).then(|| {
                    format!(
                        "一、双方对{}一事达成谅解；\n二、{a}于协议签订之日起十日内履行约定义务；\n三、双方今后互不追究，本纠纷就此了结。",
                        SUMMARIES[i % SUMMARIES.len()]
                    )
                }),
            ),
        ]);
        for (p, (name, male)) in [(a, true), (b, false)].into_iter().enumerate() {
            let birth = NaiveDate::from_ymd_opt(
                1960 + (i % 35) as i32,
                1 + (i % 12) as u32,
                1 + (p * 9 + i % 19) as u32,
            )
            .expect("valid date");
            parties.push(&[
                ("纠纷编号", s(no.as_str())),
                ("当事人序号", s((p + 1).to_string())),
                ("姓名", s(name)),
                ("身份证号", s(party_id(birth, i, male))),
                (
                    "联系电话",
                    s(format!("1390000{:04}", 9999 - (i * 2 + p) % 10_000)),
                ),
                (
                    "当事人类型",
                    s(if p == 0 { "applicant" } else { "respondent" }),
                ),
            ]);
        }
        if status != "pending" {
            let last = if status == "concluded" {
                concluded
            } else {
                date
            };
            let held = [found + Days::new(1), last];
            for (j, on) in held.iter().enumerate() {
                let on = (*on).min(date).max(found);
                sessions.push(&[
                    ("纠纷编号", s(no.as_str())),
                    ("调解序号", s((j + 1).to_string())),
                    ("调解日期", s(on.to_string())),
                    ("调解地点", s("村人民调解室")),
                    ("调解员身份证号", med.clone()),
                    (
                        "情况记录",
                        s(if j == 0 {
                            "分别听取双方陈述，释法说理"
                        } else {
                            "组织双方面对面协商"
                        }),
                    ),
                ]);
            }
        }
    }
    vec![
        rounds.finish(),
        disputes.finish(),
        parties.finish(),
        sessions.finish(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn party_ids_pass_the_id_number_checks() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        for i in 0..600 {
            let birth = NaiveDate::from_ymd_opt(1960 + (i % 35) as i32, 2, 28).unwrap();
            let id = party_id(birth, i, i % 2 == 0);
            assert!(xingcun_domain::IdNumber::parse(&id, today).is_ok(), "{id}");
        }
    }
}

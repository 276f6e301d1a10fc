//! The demo's industry: per village three cooperatives, two or three family farms and now and
//! then a tourism project (210, 150 and 22 for 70 villages), each lifting households of its
//! village. Every registration and start date is before 1 January of the demo year and no end
//! date is set, so the as_of figures hold on G and every later day of G's year.

use chrono::{Datelike, NaiveDate};
use xingcun_domain::credit_code::credit_check_char;

use super::names;
use super::registry::{HOUSEHOLDS_PER_VILLAGE, Village};
use crate::workbook::read::{Row, SheetData};
use crate::workbook::sheets::{self, Sheet};

/// Cooperatives, family farms and tourism projects of the 70-village demo.
pub const COOPERATIVES: usize = 210;
pub const FAMILY_FARMS: usize = 150;
pub const TOURISM_PROJECTS: usize = 22;
/// Households each cooperative and each family farm lifts.
const COOP_HOUSEHOLDS: usize = 8;
const FARM_HOUSEHOLDS: usize = 3;
const PRODUCTS: [&str; 8] = [
    "水稻、油菜",
    "茶叶",
    "柑橘",
    "生猪",
    "食用菌",
    "蔬菜",
    "中药材",
    "淡水鱼",
];

/// The share of `total` (per 70 villages) that village `v` gets: ⌊(v+1)·t/70⌋ − ⌊v·t/70⌋.
fn share(v: usize, total: usize) -> usize {
    (v + 1) * total / 70 - v * total / 70
}

/// A valid fictional credit code: `prefix` (登记管理部门 and 机构类别), region 990101, then a
/// sequence, then the GB 32100 check character.
pub fn credit_code(prefix: &str, seq: usize) -> String {
    let first17 = format!("{prefix}990101MA{:07}", seq);
    format!("{first17}{}", credit_check_char(&first17))
}

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
    fn push(&mut self, cells: &[(&str, String)]) {
        let mut values = vec![None; self.sheet.columns.len()];
        for (h, v) in cells {
            values[self.sheet.index(h)] = Some(v.clone());
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

/// A date in one of the eight years before the demo year.
fn before(year: i32, k: usize) -> String {
    NaiveDate::from_ymd_opt(
        year - 1 - (k % 8) as i32,
        1 + (k % 12) as u32,
        1 + (k % 28) as u32,
    )
    .expect("valid date")
    .to_string()
}

/// The 经营主体, 带动农户 and 乡村旅游项目 sheets.
pub fn generate(villages: &[Village], date: NaiveDate) -> Vec<SheetData> {
    let year = date.year();
    let mut businesses = Sheetful::new(&sheets::BUSINESSES);
    let mut links = Sheetful::new(&sheets::BUSINESS_HOUSEHOLDS);
    let mut tourism = Sheetful::new(&sheets::TOURISM_PROJECTS);
    let (mut coop_seq, mut farm_seq, mut k) = (0, 0, 0);
    for (vi, v) in villages.iter().enumerate() {
        let vname = names::VILLAGES[vi % names::VILLAGES.len()];
        let hh = |h: usize| format!("{}{:04}", v.code, h % HOUSEHOLDS_PER_VILLAGE + 1);
        let mut next_hh = 0;
        let coops = share(vi % 70, COOPERATIVES);
        let farms = share(vi % 70, FAMILY_FARMS);
        for b in 0..coops + farms {
            k += 1;
            let coop = b < coops;
            let (code, name, kind, lifted) = if coop {
                coop_seq += 1;
                let product = PRODUCTS[k % PRODUCTS.len()];
                let word = product.split('、').next().unwrap_or(product);
                (
                    credit_code("93", coop_seq),
                    format!("{vname}{word}种养专业合作社第{}社", b + 1),
                    "cooperative",
                    COOP_HOUSEHOLDS,
                )
            } else {
                farm_seq += 1;
                (
                    credit_code("92", farm_seq),
                    format!(
                        "{vname}{}家庭农场",
                        names::SURNAMES[k % names::SURNAMES.len()]
                    ),
                    "family_farm",
                    FARM_HOUSEHOLDS,
                )
            };
            let registered = before(year, k);
            let rep = format!(
                "{}{}",
                names::SURNAMES[(k * 7) % names::SURNAMES.len()],
                names::MALE_NAMES[(k * 11) % names::MALE_NAMES.len()]
            );
            businesses.push(&[
                ("统一社会信用代码", code.clone()),
                ("名称", name),
                ("主体类型", kind.to_string()),
                ("所在村编码", v.code.clone()),
                ("法定代表人姓名", rep),
                ("登记日期", registered.clone()),
                ("主要产品", PRODUCTS[k % PRODUCTS.len()].to_string()),
                ("成员数", (5 + k % 40).to_string()),
            ]);
            for _ in 0..lifted {
                links.push(&[
                    ("统一社会信用代码", code.clone()),
                    ("户编号", hh(next_hh)),
                    ("开始日期", registered.clone()),
                ]);
                next_hh += 1;
            }
        }
        for t in 0..share(vi % 70, TOURISM_PROJECTS) {
            tourism.push(&[
                ("项目编号", format!("LY{}{:02}", v.code, t + 1)),
                ("名称", format!("{vname}乡村旅游示范点")),
                ("所在村编码", v.code.clone()),
                ("开始日期", before(year, vi + t)),
                ("简介", "农家乐、采摘体验与民宿".to_string()),
            ]);
        }
    }
    vec![businesses.finish(), links.finish(), tourism.finish()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_add_up_to_the_demo_figures() {
        for total in [COOPERATIVES, FAMILY_FARMS, TOURISM_PROJECTS] {
            assert_eq!((0..70).map(|v| share(v, total)).sum::<usize>(), total);
        }
    }

    #[test]
    fn seventy_villages_give_the_demo_figures_with_valid_codes_dated_before_the_year() {
        let villages: Vec<Village> = (0..70)
            .map(|i| Village {
                code: format!("990101{:03}{:03}", i / 14 + 1, i % 14 + 1),
                township: i / 14,
                grids: Vec::new(),
            })
            .collect();
        let date = NaiveDate::from_ymd_opt(2026, 3, 15).unwrap();
        let sheets = generate(&villages, date);
        let col = |s: &SheetData, h: &str| -> Vec<String> {
            let i = s.sheet.index(h);
            s.rows.iter().filter_map(|r| r.values[i].clone()).collect()
        };
        let kinds = col(&sheets[0], "主体类型");
        let count = |k: &str| kinds.iter().filter(|x| *x == k).count();
        assert_eq!(
            (count("cooperative"), count("family_farm")),
            (COOPERATIVES, FAMILY_FARMS)
        );
        assert_eq!(sheets[2].rows.len(), TOURISM_PROJECTS);
        let mut codes = col(&sheets[0], "统一社会信用代码");
        assert!(
            codes
                .iter()
                .all(|c| xingcun_domain::CreditCode::parse(c).is_ok())
        );
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), COOPERATIVES + FAMILY_FARMS);
        for (s, h) in [
            (&sheets[0], "登记日期"),
            (&sheets[1], "开始日期"),
            (&sheets[2], "开始日期"),
        ] {
            assert!(col(s, h).iter().all(|d| d.as_str() < "2026-01-01"), "{h}");
        }
        assert!(col(&sheets[0], "注销日期").is_empty());
    }

    #[test]
    fn credit_codes_are_valid_and_distinct() {
        let a = credit_code("93", 1);
        let b = credit_code("92", 1);
        assert!(xingcun_domain::CreditCode::parse(&a).is_ok(), "{a}");
        assert!(xingcun_domain::CreditCode::parse(&b).is_ok(), "{b}");
        assert_ne!(a, b);
    }
}

//! The demo's simpler registries: 8 agricultural parks, 12 research partnerships, 15 certified
//! brands (and 3 applications), 6 geographic-indication products with 8 registrations (and one
//! application); 60 law-outreach and 50 civility events, 300 study sessions, 40 supervision
//! findings and 25 exemplars. Start, certification and registration dates are before 1
//! January of the demo year with no end date (the as_of figures hold all year); the i-th of n
//! events, sessions, findings and exemplars is dated 1 January + ⌊i·d/n⌋ days, d the days from
//! 1 January to G. Some findings are left open past their deadline, so the alert has work.

use chrono::{Datelike, Days, NaiveDate};

use super::industry::credit_code;
use super::names;
use super::registry::Village;
use crate::workbook::read::{Row, SheetData};
use crate::workbook::sheets::{self, Sheet, SheetId};

pub const AGRI_PARKS: usize = 8;
pub const TECH_PARTNERSHIPS: usize = 12;
pub const BRANDS: usize = 15;
pub const GEO_INDICATIONS: usize = 6;
pub const LAW_OUTREACH_EVENTS: usize = 60;
pub const CIVILITY_EVENTS: usize = 50;
pub const STUDY_SESSIONS: usize = 300;
pub const SUPERVISION_FINDINGS: usize = 40;
pub const EXEMPLARS: usize = 25;

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

/// A date in one of the six years before the demo year.
fn before(year: i32, k: usize) -> NaiveDate {
    NaiveDate::from_ymd_opt(
        year - 1 - (k % 6) as i32,
        1 + (k * 5 % 12) as u32,
        1 + (k * 7 % 28) as u32,
    )
    .expect("valid date")
}

/// The i-th of n dates in [1 January, G].
fn nth(jan1: NaiveDate, d: u64, i: usize, n: usize) -> NaiveDate {
    jan1 + Days::new(i as u64 * d / n as u64)
}

/// The village the k-th record of a kind lies in: spread over the district.
fn village(villages: &[Village], k: usize, step: usize) -> (usize, &Village) {
    let i = (k * step) % villages.len();
    (i, &villages[i])
}

fn vname(i: usize) -> &'static str {
    names::VILLAGES[i % names::VILLAGES.len()]
}

/// The sheets, in import order. `registry` is the registry's sheets (the exemplars name some of
/// its people).
pub fn generate(villages: &[Village], registry: &[SheetData], date: NaiveDate) -> Vec<SheetData> {
    if villages.is_empty() {
        return Vec::new();
    }
    let year = date.year();
    let jan1 = NaiveDate::from_ymd_opt(year, 1, 1).expect("valid date");
    let d = (date - jan1).num_days().max(0) as u64;
    let mut out = Vec::new();

    const LEVELS: [&str; 8] = [
        "national", "province", "province", "city", "city", "city", "district", "district",
    ];
    const PARK_THEMES: [&str; 8] = [
        "优质稻",
        "茶叶",
        "柑橘",
        "生态养殖",
        "食用菌",
        "设施蔬菜",
        "中药材",
        "稻渔综合种养",
    ];
    let mut parks = Builder::new(&sheets::AGRI_PARKS);
    for k in 0..AGRI_PARKS {
        let (vi, v) = village(villages, k, 9);
        // Every other park is a township's.
        let unit = if k % 2 == 0 {
            v.code.clone()
        } else {
            format!("{}000", &v.code[..9])
        };
        parks.push(&[
            ("园区编号", format!("YQ{:03}", k + 1)),
            (
                "名称",
                format!("{}{}现代农业园区", vname(vi), PARK_THEMES[k]),
            ),
            ("所在区划编码", unit),
            ("级别", LEVELS[k].to_string()),
            ("面积", format!("{}", 1200 + k * 350)),
            ("开始日期", before(year, k).to_string()),
        ]);
    }
    out.push(parks.finish());

    const INSTITUTES: [(&str, &str, &str); 6] = [
        (
            "省农业科学院",
            "优质稻新品种示范推广",
            "兴稻18号、稻田测土配方施肥",
        ),
        ("农业大学园艺学院", "柑橘提质增效", "沃柑、水肥一体化"),
        ("省茶叶研究所", "茶园标准化管理", "黄金茶、绿色防控"),
        ("市农技推广中心", "食用菌工厂化栽培", "香菇菌棒、智能温控"),
        ("省畜牧兽医研究所", "生态养殖", "种养循环、粪污资源化"),
        ("中药材研究中心", "道地药材种植", "黄精、林下种植"),
    ];
    let mut partnerships = Builder::new(&sheets::TECH_PARTNERSHIPS);
    for k in 0..TECH_PARTNERSHIPS {
        let (vi, v) = village(villages, k, 5);
        let (inst, topic, intro) = INSTITUTES[k % INSTITUTES.len()];
        let mut row = vec![
            ("合作编号", format!("KJ{:03}", k + 1)),
            ("科研院所", inst.to_string()),
            ("合作内容", topic.to_string()),
            ("引进品种技术", intro.to_string()),
            ("所在村编码", v.code.clone()),
            ("开始日期", before(year, k + 3).to_string()),
        ];
        // A cooperative of the same village takes part in two of three (each village has
        // three cooperatives, numbered 3·v + 1 …).
        if k % 3 != 2 && villages.len() == 70 {
            row.push(("统一社会信用代码", credit_code("93", 3 * vi + 1)));
        }
        partnerships.push(&row);
    }
    out.push(partnerships.finish());

    const BRAND_PRODUCTS: [&str; 5] = ["大米", "茶叶", "柑橘", "香菇", "土蜂蜜"];
    let mut brands = Builder::new(&sheets::BRANDS);
    for k in 0..BRANDS + 3 {
        let (vi, v) = village(villages, k, 4);
        let product = BRAND_PRODUCTS[k % BRAND_PRODUCTS.len()];
        let applied = before(year, k + 1);
        let certified = k < BRANDS;
        let mut row = vec![
            ("品牌编号", format!("PP{:03}", k + 1)),
            (
                "品牌名称",
                format!("{}{product}", vname(vi).trim_end_matches('村')),
            ),
            ("所在村编码", v.code.clone()),
            ("产品", product.to_string()),
            ("申请日期", applied.to_string()),
        ];
        if villages.len() == 70 && k % 2 == 0 {
            row.push(("统一社会信用代码", credit_code("93", 3 * vi + 2)));
        } else {
            row.push(("所有者名称", format!("{}村股份经济合作社", vname(vi))));
        }
        if certified {
            // Certified within the year of the application, still before the demo year.
            let on = (applied + Days::new(90)).min(jan1 - Days::new(1));
            row.push(("状态", "certified".to_string()));
            row.push(("认定日期", on.to_string()));
        } else {
            row.push(("状态", "applied".to_string()));
        }
        brands.push(&row);
    }
    out.push(brands.finish());

    const GEO: [&str; 6] = [
        "兴和贡米",
        "青山云雾茶",
        "柳河柑橘",
        "石桥香菇",
        "白云黄精",
        "东湖莲藕",
    ];
    let mut products = Builder::new(&sheets::GEO_PRODUCTS);
    let mut registrations = Builder::new(&sheets::GEO_REGISTRATIONS);
    let mut reg = 0;
    for (k, name) in GEO.iter().enumerate() {
        let (_, v) = village(villages, k, 11);
        let no = format!("DL{:03}", k + 1);
        products.push(&[
            ("产品编号", no.clone()),
            ("产品名称", name.to_string()),
            ("所在村编码", v.code.clone()),
            ("简介", format!("{name}，产地环境独特，品质优良。")),
        ]);
        // Two products hold two registrations each; the last has one more in application.
        let kinds: &[&str] = match k {
            0 => &["agri_gi", "gi_trademark"],
            1 => &["gi_protected", "gi_trademark"],
            _ => &["agri_gi"],
        };
        for kind in kinds {
            reg += 1;
            let applied = before(year, reg);
            registrations.push(&[
                ("登记编号", format!("DJ{:03}", reg)),
                ("产品编号", no.clone()),
                ("登记类型", kind.to_string()),
                ("状态", "registered".to_string()),
                ("申请日期", applied.to_string()),
                (
                    "登记日期",
                    (applied + Days::new(120))
                        .min(jan1 - Days::new(1))
                        .to_string(),
                ),
            ]);
        }
        if k == GEO.len() - 1 {
            reg += 1;
            registrations.push(&[
                ("登记编号", format!("DJ{:03}", reg)),
                ("产品编号", no.clone()),
                ("登记类型", "gi_trademark".to_string()),
                ("状态", "applied".to_string()),
                ("申请日期", before(year, reg).to_string()),
            ]);
        }
    }
    out.push(products.finish());
    out.push(registrations.finish());

    const LAW_TOPICS: [&str; 5] = [
        "民法典进农家",
        "防范电信网络诈骗",
        "土地承包法律知识讲座",
        "农民工工资权益维护",
        "反家庭暴力法宣传",
    ];
    const CIVILITY_TOPICS: [&str; 5] = [
        "红白喜事简办倡议",
        "抵制高价彩礼",
        "文明家庭评选",
        "移风易俗文艺演出",
        "孝老爱亲主题活动",
    ];
    for (sheet, n, prefix, topics, step) in [
        (
            &sheets::LAW_OUTREACH_EVENTS,
            LAW_OUTREACH_EVENTS,
            "FZ",
            LAW_TOPICS,
            7,
        ),
        (
            &sheets::CIVILITY_EVENTS,
            CIVILITY_EVENTS,
            "YF",
            CIVILITY_TOPICS,
            3,
        ),
    ] {
        let mut b = Builder::new(sheet);
        for i in 0..n {
            let (vi, v) = village(villages, i, step);
            b.push(&[
                ("活动编号", format!("{prefix}{year}{:04}", i + 1)),
                ("所属区划编码", v.code.clone()),
                ("活动日期", nth(jan1, d, i, n).to_string()),
                ("地点", format!("{}党群服务中心", vname(vi))),
                (
                    "主办单位",
                    if sheet.id == SheetId::LawOutreachEvents {
                        "区司法局".to_string()
                    } else {
                        format!("{}村民委员会", vname(vi))
                    },
                ),
                ("主题", topics[i % topics.len()].to_string()),
                ("参加人数", (30 + i * 7 % 90).to_string()),
            ]);
        }
        out.push(b.finish());
    }

    const STUDY_TOPICS: [&str; 5] = [
        "学习党的二十届三中全会精神",
        "学习《中国共产党农村基层组织工作条例》",
        "党纪学习教育专题学习",
        "乡村振兴政策解读",
        "习近平总书记关于\"三农\"工作的重要论述",
    ];
    let mut sessions = Builder::new(&sheets::STUDY_SESSIONS);
    for i in 0..STUDY_SESSIONS {
        // Most by village branches (D + village code), every sixth by a township committee.
        let (vi, v) = village(villages, i, 1);
        let org = if i % 6 == 5 {
            format!("D{}", &v.code[..9])
        } else {
            format!("D{}", v.code)
        };
        sessions.push(&[
            ("学习编号", format!("XX{year}{:04}", i + 1)),
            ("组织编码", org),
            ("学习日期", nth(jan1, d, i, STUDY_SESSIONS).to_string()),
            ("地点", format!("{}党员活动室", vname(vi))),
            ("主题", STUDY_TOPICS[i % STUDY_TOPICS.len()].to_string()),
            ("参加人数", (12 + i % 25).to_string()),
        ]);
    }
    out.push(sessions.finish());

    const FINDINGS: [(&str, &str, &str); 4] = [
        (
            "区委巡察",
            "村务公开栏内容未按月更新",
            "落实村务按月公开，乡镇纪委每月检查",
        ),
        (
            "专项督查",
            "惠农补贴发放台账不完整",
            "补齐台账，逐户核对发放记录",
        ),
        (
            "日常监督",
            "村级工程项目未履行民主决策程序",
            "补充召开村民代表会议，完善决策记录",
        ),
        (
            "群众举报核查",
            "村干部值班制度落实不到位",
            "建立值班签到制度，公开值班电话",
        ),
    ];
    let mut findings = Builder::new(&sheets::SUPERVISION_FINDINGS);
    for i in 0..SUPERVISION_FINDINGS {
        let (_, v) = village(villages, i, 13);
        let found = nth(jan1, d, i, SUPERVISION_FINDINGS);
        let (source, what, how) = FINDINGS[i % FINDINGS.len()];
        let mut row = vec![
            ("问题编号", format!("JD{year}{:03}", i + 1)),
            ("所属区划编码", v.code.clone()),
            ("发现日期", found.to_string()),
            ("检查来源", source.to_string()),
            ("问题描述", what.to_string()),
            ("整改措施", how.to_string()),
            ("整改时限", (found + Days::new(30)).min(date).to_string()),
        ];
        // Every fifth stays open; the rest are rectified within twenty days (not after G).
        if i % 5 != 4 {
            row.push((
                "整改完成日期",
                (found + Days::new(20)).min(date).to_string(),
            ));
        }
        findings.push(&row);
    }
    out.push(findings.finish());

    // People of the registry with a household, by their village code.
    let people: Vec<(String, String)> = registry
        .iter()
        .find(|s| s.sheet.id == SheetId::People)
        .map(|s| {
            let hh = s.sheet.index("户编号");
            s.rows
                .iter()
                .filter_map(|r| Some((r.values[0].clone()?, r.values[hh].clone()?)))
                .collect()
        })
        .unwrap_or_default();
    const DEEDS: [&str; 5] = [
        "扎根基层二十年的带富能手",
        "带领乡亲发展特色产业",
        "义务调解邻里纠纷的老党员",
        "孝老爱亲好媳妇",
        "返乡创业的大学生",
    ];
    let mut exemplars = Builder::new(&sheets::EXEMPLARS);
    for i in 0..EXEMPLARS {
        let (vi, v) = village(villages, i, 17);
        let deed = DEEDS[i % DEEDS.len()];
        let mut row = vec![
            ("典型编号", format!("DX{year}{:03}", i + 1)),
            ("所属区划编码", v.code.clone()),
            ("事迹标题", format!("{}：{deed}", vname(vi))),
            ("发布日期", nth(jan1, d, i, EXEMPLARS).to_string()),
            (
                "事迹",
                format!(
                    "{deed}的事迹在{}广为传颂。\n多年来坚持为群众办实事、解难题，带动身边群众共同致富。\n其事迹经村党组织推荐、乡镇党委审核后宣传发布。",
                    vname(vi)
                ),
            ),
        ];
        // Three in five name a person of the village (the household number begins with the
        // village code).
        if i % 5 < 3
            && let Some((id, _)) = people
                .iter()
                .filter(|(_, hh)| hh.starts_with(&v.code))
                .nth(i * 7 % 50)
        {
            row.push(("身份证号", id.clone()));
        }
        exemplars.push(&row);
    }
    out.push(exemplars.finish());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn villages() -> Vec<Village> {
        (0..70)
            .map(|i| Village {
                code: format!("990101{:03}{:03}", i / 14 + 1, i % 14 + 1),
                township: i / 14,
                grids: Vec::new(),
            })
            .collect()
    }

    #[test]
    fn the_demo_counts_and_dates_follow_the_rule() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 15).unwrap();
        let sheets = generate(&villages(), &[], date);
        let rows = |id: SheetId| {
            sheets
                .iter()
                .find(|s| s.sheet.id == id)
                .map_or(0, |s| s.rows.len())
        };
        assert_eq!(rows(SheetId::AgriParks), AGRI_PARKS);
        assert_eq!(rows(SheetId::TechPartnerships), TECH_PARTNERSHIPS);
        assert_eq!(rows(SheetId::Brands), BRANDS + 3);
        assert_eq!(rows(SheetId::GeoProducts), GEO_INDICATIONS);
        assert_eq!(rows(SheetId::LawOutreachEvents), LAW_OUTREACH_EVENTS);
        assert_eq!(rows(SheetId::StudySessions), STUDY_SESSIONS);
        for s in &sheets {
            for (i, c) in s.sheet.columns.iter().enumerate() {
                if c.kind != crate::workbook::sheets::Kind::Date {
                    continue;
                }
                for r in &s.rows {
                    if let Some(v) = &r.values[i] {
                        assert!(
                            v.as_str() <= "2026-03-15",
                            "{} {} {v}",
                            s.sheet.name,
                            c.header
                        );
                        let as_of = matches!(c.header, "开始日期" | "认定日期" | "登记日期");
                        assert!(!as_of || v.as_str() < "2026-01-01", "{} {v}", s.sheet.name);
                    }
                }
            }
        }
        // Same date, same rows.
        let again = generate(&villages(), &[], date);
        assert_eq!(
            format!("{:?}", sheets[5].rows),
            format!("{:?}", again[5].rows)
        );
    }
}

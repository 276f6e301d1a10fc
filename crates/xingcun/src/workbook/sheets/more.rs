//! The sheets of the simpler registries (docs/workbook-modules.md): 现代农业园区, 科技合作,
//! 农产品品牌, 地理标志产品, 地理标志登记 (三、做强产业支撑), 法律进农村, 移风易俗 (四、深化社会治理),
//! 理论学习, 监督检查发现问题, 先进典型 (五、强化作风建设), and the word lists their
//! enumerations take ([`Words`]).

use super::Kind::*;
use super::{Column, EnumKind, Kind, Sheet, SheetId, col};

/// A fixed list of words stored by code, with the other spellings read as one of them.
#[derive(Debug, PartialEq, Eq)]
pub struct Words {
    /// What the column holds, for the message: 级别.
    pub what: &'static str,
    /// (code, word) in the order the template lists them.
    pub words: &'static [(&'static str, &'static str)],
    /// (other spelling, word).
    pub aliases: &'static [(&'static str, &'static str)],
    /// The words alone (for drop-down lists).
    pub labels: &'static [&'static str],
}

impl Words {
    /// The code of a word, an alias or a code.
    pub fn parse(&self, s: &str) -> Result<&'static str, String> {
        let s = s.trim();
        let word = self
            .aliases
            .iter()
            .find(|(a, _)| *a == s)
            .map_or(s, |(_, w)| *w);
        self.words
            .iter()
            .find(|(c, w)| *w == word || *c == word)
            .map(|(c, _)| *c)
            .ok_or_else(|| format!("“{s}”不是{}（{}）", self.what, self.labels.join("/")))
    }

    /// The word of a code.
    pub fn label(&self, code: &str) -> Option<&'static str> {
        self.words.iter().find(|(c, _)| *c == code).map(|(_, w)| *w)
    }

    /// The word of a code, or the code itself when it is none of ours.
    pub fn word<'a>(&self, code: &'a str) -> &'a str {
        self.label(code).unwrap_or(code)
    }
}

/// 现代农业园区 级别.
pub static PARK_LEVELS: Words = Words {
    what: "园区级别",
    words: &[
        ("district", "区级"),
        ("city", "市级"),
        ("province", "省级"),
        ("national", "国家级"),
    ],
    aliases: &[("县级", "区级"), ("区县级", "区级"), ("国家", "国家级")],
    labels: &["区级", "市级", "省级", "国家级"],
};

/// 农产品品牌 状态: an application, then certified (认定).
pub static BRAND_STATUSES: Words = Words {
    what: "品牌状态",
    words: &[("applied", "申请中"), ("certified", "已认定")],
    aliases: &[("申请", "申请中"), ("认定", "已认定")],
    labels: &["申请中", "已认定"],
};

/// 地理标志登记 登记类型.
pub static GEO_KINDS: Words = Words {
    what: "地理标志登记类型",
    words: &[
        ("agri_gi", "农产品地理标志"),
        ("gi_trademark", "地理标志商标"),
        ("gi_protected", "地理标志保护产品"),
    ],
    aliases: &[("地理标志证明商标", "地理标志商标")],
    labels: &["农产品地理标志", "地理标志商标", "地理标志保护产品"],
};

/// 地理标志登记 状态: an application, then registered (登记).
pub static GEO_STATUSES: Words = Words {
    what: "登记状态",
    words: &[("applied", "申请中"), ("registered", "已登记")],
    aliases: &[("申请", "申请中"), ("登记", "已登记"), ("已认定", "已登记")],
    labels: &["申请中", "已登记"],
};

const fn words(w: &'static Words) -> Kind {
    Enum(EnumKind::Words(w))
}

/// 现代农业园区 (modern agricultural parks).
pub static AGRI_PARKS: Sheet = Sheet {
    id: SheetId::AgriParks,
    name: "现代农业园区",
    columns: &[
        col("园区编号", true, Ident, "全区唯一"),
        col("名称", true, Text, ""),
        col("所在区划编码", true, Ident, "行政村、社区或乡镇"),
        col("级别", true, words(&PARK_LEVELS), "区级/市级/省级/国家级"),
        col("面积", false, Text, "亩，最多两位小数"),
        col("开始日期", true, Date, "认定或建成日期"),
        col(
            "结束日期",
            false,
            Date,
            "撤销或不再运营的第一天；不早于开始日期",
        ),
    ],
    key: &[0],
};

/// 科技合作 (partnerships with research institutes).
pub static TECH_PARTNERSHIPS: Sheet = Sheet {
    id: SheetId::TechPartnerships,
    name: "科技合作",
    columns: &[
        col("合作编号", true, Ident, "全区唯一"),
        col("科研院所", true, Text, "如 省农业科学院"),
        col("合作内容", true, Text, ""),
        col("引进品种技术", false, Text, "多个以、分隔"),
        col("所在村编码", true, Ident, "行政村或社区"),
        col(
            "统一社会信用代码",
            false,
            Ident,
            "参与的经营主体，须在经营主体表或系统中",
        ),
        col("开始日期", true, Date, ""),
        col("结束日期", false, Date, "合作结束的第一天；不早于开始日期"),
    ],
    key: &[0],
};

/// 农产品品牌 (product brands).
pub static BRANDS: Sheet = Sheet {
    id: SheetId::Brands,
    name: "农产品品牌",
    columns: &[
        col("品牌编号", true, Ident, "全区唯一"),
        col("品牌名称", true, Text, ""),
        col("所在村编码", true, Ident, "行政村或社区"),
        col(
            "统一社会信用代码",
            false,
            Ident,
            "品牌所有者为经营主体时填写",
        ),
        col(
            "所有者名称",
            false,
            Text,
            "所有者不是经营主体时填写；两者至少填一项",
        ),
        col("状态", true, words(&BRAND_STATUSES), "申请中/已认定"),
        col("申请日期", true, Date, "不晚于今天"),
        col(
            "认定日期",
            false,
            Date,
            "已认定时必填，申请中为空；不早于申请日期",
        ),
        col("产品", false, Text, "多个以、分隔"),
    ],
    key: &[0],
};

/// 地理标志产品 (geographic-indication products).
pub static GEO_PRODUCTS: Sheet = Sheet {
    id: SheetId::GeoProducts,
    name: "地理标志产品",
    columns: &[
        col("产品编号", true, Ident, "全区唯一"),
        col("产品名称", true, Text, "如 兴和贡米"),
        col("所在村编码", true, Ident, "行政村或社区"),
        col("简介", false, Multiline, ""),
    ],
    key: &[0],
};

/// 地理标志登记 (a product's registrations; a product may have several).
pub static GEO_REGISTRATIONS: Sheet = Sheet {
    id: SheetId::GeoRegistrations,
    name: "地理标志登记",
    columns: &[
        col("登记编号", true, Ident, "全区唯一，如证书编号或申请编号"),
        col("产品编号", true, Ident, "地理标志产品表或系统中的编号"),
        col(
            "登记类型",
            true,
            words(&GEO_KINDS),
            "农产品地理标志/地理标志商标/地理标志保护产品",
        ),
        col("状态", true, words(&GEO_STATUSES), "申请中/已登记"),
        col("申请日期", true, Date, "不晚于今天"),
        col(
            "登记日期",
            false,
            Date,
            "已登记时必填，申请中为空；不早于申请日期",
        ),
    ],
    key: &[0],
};

/// The columns of an event sheet (法律进农村, 移风易俗).
const EVENT_COLUMNS: &[Column] = &[
    col("活动编号", true, Ident, "全区唯一"),
    col(
        "所属区划编码",
        true,
        Ident,
        "举办活动的单位（乡镇、村、网格）",
    ),
    col("活动日期", true, Date, "不晚于今天"),
    col("地点", false, Text, ""),
    col("主办单位", false, Text, ""),
    col("主题", true, Text, ""),
    col("参加人数", false, Text, "非负整数"),
    col("参加人员", false, Text, "姓名，以、分隔"),
    col("内容", false, Multiline, ""),
];

/// 法律进农村 (law-outreach events).
pub static LAW_OUTREACH_EVENTS: Sheet = Sheet {
    id: SheetId::LawOutreachEvents,
    name: "法律进农村",
    columns: EVENT_COLUMNS,
    key: &[0],
};

/// 移风易俗 (civility events).
pub static CIVILITY_EVENTS: Sheet = Sheet {
    id: SheetId::CivilityEvents,
    name: "移风易俗",
    columns: EVENT_COLUMNS,
    key: &[0],
};

/// 理论学习 (study sessions held by party orgs).
pub static STUDY_SESSIONS: Sheet = Sheet {
    id: SheetId::StudySessions,
    name: "理论学习",
    columns: &[
        col("学习编号", true, Ident, "全区唯一"),
        col("组织编码", true, Ident, "举办学习的党组织"),
        col("学习日期", true, Date, "不晚于今天"),
        col("地点", false, Text, ""),
        col("主题", true, Text, ""),
        col("参加人数", false, Text, "非负整数"),
        col("参加人员", false, Text, "姓名，以、分隔"),
    ],
    key: &[0],
};

/// 监督检查发现问题 (supervision findings).
pub static SUPERVISION_FINDINGS: Sheet = Sheet {
    id: SheetId::SupervisionFindings,
    name: "监督检查发现问题",
    columns: &[
        col("问题编号", true, Ident, "全区唯一"),
        col("所属区划编码", true, Ident, "问题所在单位"),
        col("发现日期", true, Date, "不晚于今天"),
        col("检查来源", false, Text, "如 区委巡察、专项督查"),
        col("问题描述", true, Text, ""),
        col("整改措施", false, Text, ""),
        col(
            "整改时限",
            false,
            Date,
            "不早于发现日期；超期未整改的列入预警",
        ),
        col("整改完成日期", false, Date, "不早于发现日期，不晚于今天"),
    ],
    key: &[0],
};

/// 先进典型 (exemplars).
pub static EXEMPLARS: Sheet = Sheet {
    id: SheetId::Exemplars,
    name: "先进典型",
    columns: &[
        col("典型编号", true, Ident, "全区唯一"),
        col("所属区划编码", true, Ident, "典型所在单位"),
        col(
            "身份证号",
            false,
            IdNumber,
            "典型为个人时填写，须在人员表或系统中",
        ),
        col("事迹标题", true, Text, ""),
        col("发布日期", true, Date, "宣传发布的日期，不晚于今天"),
        col("事迹", false, Multiline, "简要事迹，可分段"),
    ],
    key: &[0],
};

/// How a form finds a stored record of these sheets by its number, within a scope:
/// `SELECT id, <number>, version … WHERE <number> = $1 AND org_code >= $2 AND org_code < $3`.
pub fn more_key_lookup(id: SheetId) -> Option<&'static str> {
    Some(match id {
        SheetId::AgriParks => {
            "SELECT id, park_no, version FROM agri_park
             WHERE park_no = $1 AND org_code >= $2 AND org_code < $3"
        }
        SheetId::TechPartnerships => {
            "SELECT id, partnership_no, version FROM tech_partnership
             WHERE partnership_no = $1 AND org_code >= $2 AND org_code < $3"
        }
        SheetId::Brands => {
            "SELECT id, brand_no, version FROM brand
             WHERE brand_no = $1 AND org_code >= $2 AND org_code < $3"
        }
        SheetId::GeoProducts => {
            "SELECT id, product_no, version FROM geo_product
             WHERE product_no = $1 AND org_code >= $2 AND org_code < $3"
        }
        SheetId::GeoRegistrations => {
            "SELECT id, registration_no, version FROM geo_registration
             WHERE registration_no = $1 AND org_code >= $2 AND org_code < $3"
        }
        SheetId::LawOutreachEvents => {
            "SELECT id, event_no, version FROM law_outreach_event
             WHERE event_no = $1 AND org_code >= $2 AND org_code < $3"
        }
        SheetId::CivilityEvents => {
            "SELECT id, event_no, version FROM civility_event
             WHERE event_no = $1 AND org_code >= $2 AND org_code < $3"
        }
        SheetId::StudySessions => {
            "SELECT id, session_no, version FROM study_session
             WHERE session_no = $1 AND org_code >= $2 AND org_code < $3"
        }
        SheetId::SupervisionFindings => {
            "SELECT id, finding_no, version FROM supervision_finding
             WHERE finding_no = $1 AND org_code >= $2 AND org_code < $3"
        }
        SheetId::Exemplars => {
            "SELECT id, exemplar_no, version FROM exemplar
             WHERE exemplar_no = $1 AND org_code >= $2 AND org_code < $3"
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_and_alias_reads_as_its_code_and_codes_read_back_as_words() {
        for w in [&PARK_LEVELS, &BRAND_STATUSES, &GEO_KINDS, &GEO_STATUSES] {
            assert_eq!(w.labels.len(), w.words.len(), "{}", w.what);
            for (code, word) in w.words {
                assert_eq!(w.parse(word), Ok(*code));
                assert_eq!(w.parse(code), Ok(*code), "a form may send the code");
                assert_eq!(w.label(code), Some(*word));
            }
            for (alias, word) in w.aliases {
                assert_eq!(w.label(w.parse(alias).unwrap()), Some(*word));
            }
        }
        let e = PARK_LEVELS.parse("部级").unwrap_err();
        assert!(e.contains("园区级别") && e.contains("国家级"), "{e}");
    }

    #[test]
    fn every_sheet_here_is_found_by_its_number_within_a_scope() {
        for s in [
            &AGRI_PARKS,
            &TECH_PARTNERSHIPS,
            &BRANDS,
            &GEO_PRODUCTS,
            &GEO_REGISTRATIONS,
            &LAW_OUTREACH_EVENTS,
            &CIVILITY_EVENTS,
            &STUDY_SESSIONS,
            &SUPERVISION_FINDINGS,
            &EXEMPLARS,
        ] {
            let sql = more_key_lookup(s.id).unwrap_or_else(|| panic!("{}", s.name));
            assert!(
                sql.contains("org_code >= $2 AND org_code < $3"),
                "{}",
                s.name
            );
            assert_eq!(s.key, &[0]);
        }
    }
}

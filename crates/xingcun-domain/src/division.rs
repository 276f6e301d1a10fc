//! 区划: org-unit kinds and codes (12-digit statistical division codes, 15 for a grid), and
//! the rules that tie a code to its kind and to its parent.

use std::fmt;

use crate::enums::word_enum;
use crate::text::trim_all;

word_enum! {
    /// 区划类型: a node of the territorial tree district → township → village → grid.
    OrgKind "区划类型" {
        District "district" => "区县",
        Township "township" => "乡镇",
        Subdistrict "subdistrict" => "街道",
        AdminVillage "admin_village" => "行政村",
        Community "community" => "社区",
        Grid "grid" => "网格",
    }
}

impl OrgKind {
    /// A village in the glossary's sense: 行政村 or 社区.
    pub fn is_village(self) -> bool {
        matches!(self, Self::AdminVillage | Self::Community)
    }

    /// 乡镇 or 街道.
    pub fn is_township_level(self) -> bool {
        matches!(self, Self::Township | Self::Subdistrict)
    }

    /// Depth in the tree: 0 区县, 1 乡镇/街道, 2 行政村/社区, 3 网格.
    pub fn level(self) -> u8 {
        match self {
            Self::District => 0,
            Self::Township | Self::Subdistrict => 1,
            Self::AdminVillage | Self::Community => 2,
            Self::Grid => 3,
        }
    }

    /// Digits every descendant's code shares with this kind's code: 6, 9, 12 or 15.
    pub fn prefix_len(self) -> usize {
        match self.level() {
            0 => 6,
            1 => 9,
            2 => 12,
            _ => 15,
        }
    }

    /// What a parent of this kind must be, in words, or `None` for the root (区县).
    fn parent_words(self) -> Option<&'static str> {
        match self.level() {
            0 => None,
            1 => Some("区县"),
            2 => Some("乡镇或街道"),
            _ => Some("行政村或社区"),
        }
    }
}

/// Why a code, or a code with its kind or parent, is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DivisionError {
    #[error("区划编码不能为空")]
    Empty,
    #[error("区划编码“{0}”应为12位数字（网格为15位）")]
    BadShape(String),
    #[error("编码“{code}”不是有效的{kind}编码：{rule}")]
    KindMismatch {
        code: String,
        kind: &'static str,
        rule: &'static str,
    },
    #[error("区县是最高一级区划，不能有上级")]
    RootHasParent,
    #[error("{child}的上级应为{expected}，不能是{parent}")]
    WrongParentKind {
        child: &'static str,
        expected: &'static str,
        parent: &'static str,
    },
    #[error("编码“{child}”应以上级编码的前{len}位“{prefix}”开头")]
    NotUnderParent {
        child: String,
        prefix: String,
        len: usize,
    },
}

/// A code of 12 or 15 ASCII digits. Whether it fits a kind is [`OrgCode::check_kind`].
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct OrgCode(String);

impl OrgCode {
    /// Reads a trimmed code of 12 or 15 ASCII digits.
    pub fn parse(s: &str) -> Result<Self, DivisionError> {
        let s = trim_all(s);
        if s.is_empty() {
            return Err(DivisionError::Empty);
        }
        if !matches!(s.len(), 12 | 15) || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DivisionError::BadShape(s.to_owned()));
        }
        Ok(Self(s.to_owned()))
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Checks the shape that `kind` requires:
    /// 区县 12 digits, last 6 zero; 乡镇/街道 12 digits, digits 7–9 not 000, last 3 zero;
    /// 行政村/社区 12 digits, digits 10–12 not 000; 网格 15 digits, last 3 not 000.
    pub fn check_kind(&self, kind: OrgKind) -> Result<(), DivisionError> {
        let c = self.0.as_str();
        let (ok, rule) = match kind.level() {
            0 => (c.len() == 12 && &c[6..] == "000000", "应为12位且后6位为0"),
            1 => (
                c.len() == 12 && &c[6..9] != "000" && &c[9..] == "000",
                "应为12位，第7–9位不为000，后3位为000",
            ),
            2 => (
                c.len() == 12 && &c[9..] != "000",
                "应为12位，第10–12位不为000",
            ),
            _ => (
                c.len() == 15 && &c[12..] != "000",
                "应为15位（所属村的12位编码加3位），后3位不为000",
            ),
        };
        if ok {
            Ok(())
        } else {
            Err(DivisionError::KindMismatch {
                code: self.0.clone(),
                kind: kind.label(),
                rule,
            })
        }
    }

    /// The digits every descendant's code begins with: the first 6 (区县), 9 (乡镇/街道),
    /// 12 (village) or 15 (网格). Meant for a code that passed `check_kind(kind)`; a shorter
    /// code yields all its digits.
    pub fn scope_prefix(&self, kind: OrgKind) -> &str {
        &self.0[..kind.prefix_len().min(self.0.len())]
    }

    /// Whether `other` lies in the subtree of this code read as `kind` (itself included).
    pub fn contains(&self, kind: OrgKind, other: &OrgCode) -> bool {
        other.0.starts_with(self.scope_prefix(kind))
    }

    /// The level the code's shape suggests, for a first guess in forms:
    /// 15 digits → 3 (网格); last 6 zero → 0 (区县); last 3 zero → 1 (乡镇/街道); else 2 (village).
    /// 乡镇 vs 街道 and 行政村 vs 社区 cannot be told from the code.
    pub fn inferred_level(&self) -> u8 {
        let c = self.0.as_str();
        if c.len() == 15 {
            3
        } else if &c[6..] == "000000" {
            0
        } else if &c[9..] == "000" {
            1
        } else {
            2
        }
    }

    /// For a grid code, its village's 12-digit code; `None` for a 12-digit code.
    pub fn village_of_grid(&self) -> Option<OrgCode> {
        (self.0.len() == 15).then(|| Self(self.0[..12].to_owned()))
    }
}

impl fmt::Display for OrgCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for OrgCode {
    type Error = DivisionError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<OrgCode> for String {
    fn from(c: OrgCode) -> Self {
        c.0
    }
}

/// Checks a 上级编码: a 乡镇/街道's parent is a 区县, a village's a 乡镇/街道, a 网格's a
/// village, and the child's code begins with the parent's scope prefix (6, 9 or 12 digits).
/// A 区县 has no parent. The codes' own shapes are checked with [`OrgCode::check_kind`].
pub fn check_parent(
    child: &OrgCode,
    child_kind: OrgKind,
    parent: &OrgCode,
    parent_kind: OrgKind,
) -> Result<(), DivisionError> {
    let Some(expected) = child_kind.parent_words() else {
        return Err(DivisionError::RootHasParent);
    };
    if parent_kind.level() + 1 != child_kind.level() {
        return Err(DivisionError::WrongParentKind {
            child: child_kind.label(),
            expected,
            parent: parent_kind.label(),
        });
    }
    let prefix = parent.scope_prefix(parent_kind);
    if !child.as_str().starts_with(prefix) {
        return Err(DivisionError::NotUnderParent {
            child: child.0.clone(),
            prefix: prefix.to_owned(),
            len: parent_kind.prefix_len(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn code(s: &str) -> OrgCode {
        OrgCode::parse(s).unwrap()
    }

    #[rstest]
    #[case::district("990101000000")]
    #[case::grid("990101001001002")]
    #[case::trimmed(" 990101001000\u{3000}")]
    fn parse_accepts_12_or_15_digits(#[case] input: &str) {
        assert_eq!(OrgCode::parse(input).unwrap().as_str(), trim_all(input));
    }

    #[rstest]
    #[case::empty("", DivisionError::Empty)]
    #[case::eleven_digits("99010100000", DivisionError::BadShape("99010100000".into()))]
    #[case::thirteen_digits("9901010010010", DivisionError::BadShape("9901010010010".into()))]
    #[case::letter("99010100100A", DivisionError::BadShape("99010100100A".into()))]
    #[case::full_width_digit("９90101000000", DivisionError::BadShape("９90101000000".into()))]
    fn parse_rejects_other_shapes(#[case] input: &str, #[case] want: DivisionError) {
        assert_eq!(OrgCode::parse(input), Err(want));
    }

    #[rstest]
    #[case::district("990101000000", OrgKind::District, true)]
    #[case::district_with_township_digits("990101001000", OrgKind::District, false)]
    #[case::township("990101001000", OrgKind::Township, true)]
    #[case::subdistrict("990101002000", OrgKind::Subdistrict, true)]
    #[case::township_with_000("990101000000", OrgKind::Township, false)]
    #[case::township_with_village_digits("990101001001", OrgKind::Township, false)]
    #[case::admin_village("990101001001", OrgKind::AdminVillage, true)]
    #[case::community("990101002201", OrgKind::Community, true)]
    #[case::village_with_000("990101001000", OrgKind::AdminVillage, false)]
    #[case::village_of_15_digits("990101001001001", OrgKind::AdminVillage, false)]
    #[case::grid("990101001001001", OrgKind::Grid, true)]
    #[case::grid_with_000("990101001001000", OrgKind::Grid, false)]
    #[case::grid_of_12_digits("990101001001", OrgKind::Grid, false)]
    fn check_kind_enforces_each_kinds_shape(
        #[case] input: &str,
        #[case] kind: OrgKind,
        #[case] ok: bool,
    ) {
        assert_eq!(code(input).check_kind(kind).is_ok(), ok);
    }

    #[test]
    fn check_kind_error_names_the_code_and_the_rule() {
        let err = code("990101001001")
            .check_kind(OrgKind::Township)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "编码“990101001001”不是有效的乡镇编码：应为12位，第7–9位不为000，后3位为000"
        );
    }

    #[rstest]
    #[case::district("990101000000", OrgKind::District, "990101")]
    #[case::township("990101001000", OrgKind::Township, "990101001")]
    #[case::subdistrict("990101002000", OrgKind::Subdistrict, "990101002")]
    #[case::village("990101001001", OrgKind::AdminVillage, "990101001001")]
    #[case::community("990101002201", OrgKind::Community, "990101002201")]
    #[case::grid("990101001001003", OrgKind::Grid, "990101001001003")]
    fn scope_prefix_is_what_every_descendant_begins_with(
        #[case] input: &str,
        #[case] kind: OrgKind,
        #[case] want: &str,
    ) {
        assert_eq!(code(input).scope_prefix(kind), want);
    }

    #[test]
    fn contains_tells_whether_a_code_is_in_the_subtree() {
        let township = code("990101001000");
        assert!(township.contains(OrgKind::Township, &code("990101001014")));
        assert!(township.contains(OrgKind::Township, &code("990101001014002")));
        assert!(township.contains(OrgKind::Township, &township));
        assert!(!township.contains(OrgKind::Township, &code("990101002001")));
    }

    #[rstest]
    #[case::township_under_district(
        "990101001000",
        OrgKind::Township,
        "990101000000",
        OrgKind::District
    )]
    #[case::subdistrict_under_district(
        "990101002000",
        OrgKind::Subdistrict,
        "990101000000",
        OrgKind::District
    )]
    #[case::village_under_township(
        "990101001007",
        OrgKind::AdminVillage,
        "990101001000",
        OrgKind::Township
    )]
    #[case::community_under_subdistrict(
        "990101002201",
        OrgKind::Community,
        "990101002000",
        OrgKind::Subdistrict
    )]
    #[case::grid_under_village(
        "990101001007004",
        OrgKind::Grid,
        "990101001007",
        OrgKind::AdminVillage
    )]
    #[case::grid_under_community(
        "990101002201001",
        OrgKind::Grid,
        "990101002201",
        OrgKind::Community
    )]
    fn check_parent_accepts_the_next_level_up_with_a_matching_prefix(
        #[case] child: &str,
        #[case] child_kind: OrgKind,
        #[case] parent: &str,
        #[case] parent_kind: OrgKind,
    ) {
        assert_eq!(
            check_parent(&code(child), child_kind, &code(parent), parent_kind),
            Ok(())
        );
    }

    #[rstest]
    #[case::district_has_no_parent(
        "990101000000",
        OrgKind::District,
        "990100000000",
        OrgKind::District,
        DivisionError::RootHasParent
    )]
    #[case::village_under_district(
        "990101001007", OrgKind::AdminVillage, "990101000000", OrgKind::District,
        DivisionError::WrongParentKind { child: "行政村", expected: "乡镇或街道", parent: "区县" }
    )]
    #[case::grid_under_township(
        "990101001007004", OrgKind::Grid, "990101001000", OrgKind::Township,
        DivisionError::WrongParentKind { child: "网格", expected: "行政村或社区", parent: "乡镇" }
    )]
    #[case::township_in_another_district(
        "990102001000", OrgKind::Township, "990101000000", OrgKind::District,
        DivisionError::NotUnderParent { child: "990102001000".into(), prefix: "990101".into(), len: 6 }
    )]
    #[case::village_in_another_township(
        "990101002007", OrgKind::AdminVillage, "990101001000", OrgKind::Township,
        DivisionError::NotUnderParent { child: "990101002007".into(), prefix: "990101001".into(), len: 9 }
    )]
    #[case::grid_of_another_village(
        "990101001008004", OrgKind::Grid, "990101001007", OrgKind::AdminVillage,
        DivisionError::NotUnderParent { child: "990101001008004".into(), prefix: "990101001007".into(), len: 12 }
    )]
    fn check_parent_rejects_wrong_kinds_and_foreign_codes(
        #[case] child: &str,
        #[case] child_kind: OrgKind,
        #[case] parent: &str,
        #[case] parent_kind: OrgKind,
        #[case] want: DivisionError,
    ) {
        assert_eq!(
            check_parent(&code(child), child_kind, &code(parent), parent_kind),
            Err(want)
        );
    }

    #[rstest]
    #[case::district("990101000000", 0)]
    #[case::township("990101001000", 1)]
    #[case::village("990101001001", 2)]
    #[case::grid("990101001001001", 3)]
    fn inferred_level_reads_the_codes_shape(#[case] input: &str, #[case] want: u8) {
        assert_eq!(code(input).inferred_level(), want);
    }

    #[rstest]
    #[case::district("区县", OrgKind::District, 0, false, false)]
    #[case::township("乡镇", OrgKind::Township, 1, true, false)]
    #[case::subdistrict("街道", OrgKind::Subdistrict, 1, true, false)]
    #[case::admin_village("行政村", OrgKind::AdminVillage, 2, false, true)]
    #[case::community("社区", OrgKind::Community, 2, false, true)]
    #[case::grid("网格", OrgKind::Grid, 3, false, false)]
    fn org_kind_parses_and_knows_its_level(
        #[case] word: &str,
        #[case] kind: OrgKind,
        #[case] level: u8,
        #[case] township_level: bool,
        #[case] village: bool,
    ) {
        assert_eq!(OrgKind::parse(word), Ok(kind));
        assert_eq!(kind.label(), word);
        assert_eq!(kind.level(), level);
        assert_eq!(kind.is_township_level(), township_level);
        assert_eq!(kind.is_village(), village);
    }

    #[test]
    fn village_of_grid_is_its_first_12_digits() {
        assert_eq!(
            code("990101001007004").village_of_grid(),
            Some(code("990101001007"))
        );
        assert_eq!(code("990101001007").village_of_grid(), None);
    }
}

//! The enumerations of the workbook (workbook.md), each with its Chinese words and a stable
//! ASCII code for storage.
//!
//! Every enum is declared with `word_enum!`, which writes out, in one place, each variant's
//! storage code, its canonical Chinese word and its aliases, e.g.
//! `JuniorCollege "junior_college" => "大学专科" | "大专"`. The macro generates the same
//! small set of items for every enum: `ALL`, `LABELS`, `FIELD`, `label`, `code`, `from_code`,
//! `parse`, `Display`, `FromStr`, and serde (de)serialisation as the storage code.

use std::cmp::Ordering;

use crate::text::{to_half_width, trim_all};

/// A cell that is not one of an enumeration's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnumError {
    /// The cell is empty where a value is needed.
    #[error("{field}不能为空，应为：{}", .allowed.join("、"))]
    Empty {
        field: &'static str,
        allowed: &'static [&'static str],
    },
    /// The cell holds a word that is not in the list.
    #[error("{field}“{value}”不在可选范围内，应为：{}", .allowed.join("、"))]
    Unknown {
        field: &'static str,
        value: String,
        allowed: &'static [&'static str],
    },
}

/// Cleans an enumeration cell as the workbook says: full-width letters, digits and （） read as
/// half-width, then trimmed.
pub(crate) fn clean_word(s: &str) -> String {
    trim_all(&to_half_width(s)).to_owned()
}

/// Declares an enumeration of workbook words. Syntax, one line per variant:
/// `Variant "storage_code" => "规范词" | "别名" | …,`
macro_rules! word_enum {
    (
        $(#[$meta:meta])*
        $name:ident $field:literal {
            $(
                $(#[$vmeta:meta])*
                $variant:ident $code:literal => $label:literal $(| $alias:literal)*
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $(
                $(#[$vmeta])*
                #[doc = $label]
                #[serde(rename = $code)]
                $variant,
            )+
        }

        impl $name {
            /// Every value, in the workbook's order (for drop-down lists).
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];
            /// The canonical Chinese words, in the order of `ALL`.
            pub const LABELS: &'static [&'static str] = &[$($label),+];
            /// The Chinese name of this enumeration, used in error messages.
            pub const FIELD: &'static str = $field;

            /// The canonical Chinese word.
            pub fn label(self) -> &'static str {
                match self {
                    $(Self::$variant => $label,)+
                }
            }

            /// The stable ASCII name used in storage and the JSON API.
            pub fn code(self) -> &'static str {
                match self {
                    $(Self::$variant => $code,)+
                }
            }

            /// The value stored under `code`, if any.
            pub fn from_code(code: &str) -> Option<Self> {
                match code {
                    $($code => Some(Self::$variant),)+
                    _ => None,
                }
            }

            /// Reads a cell: full-width letters, digits and （） as half-width, trimmed, then
            /// exactly one of the listed words or aliases.
            pub fn parse(s: &str) -> Result<Self, $crate::enums::EnumError> {
                let word = $crate::enums::clean_word(s);
                match word.as_str() {
                    "" => Err($crate::enums::EnumError::Empty {
                        field: $field,
                        allowed: Self::LABELS,
                    }),
                    $($label $(| $alias)* => Ok(Self::$variant),)+
                    _ => Err($crate::enums::EnumError::Unknown {
                        field: $field,
                        value: word,
                        allowed: Self::LABELS,
                    }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::enums::EnumError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }
    };
}
pub(crate) use word_enum;

/// Reads a 是/否 cell.
pub fn parse_bool_cn(s: &str) -> Result<bool, EnumError> {
    const ALLOWED: &[&str] = &["是", "否"];
    match clean_word(s).as_str() {
        "是" => Ok(true),
        "否" => Ok(false),
        "" => Err(EnumError::Empty {
            field: "是否",
            allowed: ALLOWED,
        }),
        other => Err(EnumError::Unknown {
            field: "是否",
            value: other.to_owned(),
            allowed: ALLOWED,
        }),
    }
}

/// The word written for a boolean on export: 是 or 否.
pub fn bool_cn(b: bool) -> &'static str {
    if b { "是" } else { "否" }
}

word_enum! {
    /// 性别. On an ID number the 17th digit decides it (odd = 男).
    Sex "性别" {
        Male "male" => "男",
        Female "female" => "女",
    }
}

word_enum! {
    /// 民族: the 56 names of GB/T 3304 in its code order, then 其他.
    /// Storage codes are GB/T 3304's romanised names. 汉 is read as 汉族.
    Ethnicity "民族" {
        Han "han" => "汉族" | "汉",
        Mongol "mongol" => "蒙古族",
        Hui "hui" => "回族",
        Zang "zang" => "藏族",
        Uygur "uygur" => "维吾尔族",
        Miao "miao" => "苗族",
        Yi "yi" => "彝族",
        Zhuang "zhuang" => "壮族",
        Buyei "buyei" => "布依族",
        Chosen "chosen" => "朝鲜族",
        Man "man" => "满族",
        Dong "dong" => "侗族",
        Yao "yao" => "瑶族",
        Bai "bai" => "白族",
        Tujia "tujia" => "土家族",
        Hani "hani" => "哈尼族",
        Kazak "kazak" => "哈萨克族",
        Dai "dai" => "傣族",
        Li "li" => "黎族",
        Lisu "lisu" => "傈僳族",
        Va "va" => "佤族",
        She "she" => "畲族",
        Gaoshan "gaoshan" => "高山族",
        Lahu "lahu" => "拉祜族",
        Sui "sui" => "水族",
        Dongxiang "dongxiang" => "东乡族",
        Naxi "naxi" => "纳西族",
        Jingpo "jingpo" => "景颇族",
        Kirgiz "kirgiz" => "柯尔克孜族",
        Tu "tu" => "土族",
        Daur "daur" => "达斡尔族",
        Mulao "mulao" => "仫佬族",
        Qiang "qiang" => "羌族",
        Blang "blang" => "布朗族",
        Salar "salar" => "撒拉族",
        Maonan "maonan" => "毛南族",
        Gelao "gelao" => "仡佬族",
        Xibe "xibe" => "锡伯族",
        Achang "achang" => "阿昌族",
        Pumi "pumi" => "普米族",
        Tajik "tajik" => "塔吉克族",
        Nu "nu" => "怒族",
        Uzbek "uzbek" => "乌孜别克族",
        Russ "russ" => "俄罗斯族",
        Ewenki "ewenki" => "鄂温克族",
        Deang "deang" => "德昂族",
        Bonan "bonan" => "保安族",
        Yugur "yugur" => "裕固族",
        Gin "gin" => "京族",
        Tatar "tatar" => "塔塔尔族",
        Derung "derung" => "独龙族",
        Oroqen "oroqen" => "鄂伦春族",
        Hezhen "hezhen" => "赫哲族",
        Monba "monba" => "门巴族",
        Lhoba "lhoba" => "珞巴族",
        Jino "jino" => "基诺族",
        Other "other" => "其他",
    }
}

impl Ethnicity {
    /// The two-digit GB/T 3304 code: "01" (汉族) … "56" (基诺族), "97" for 其他.
    pub fn gb_code(self) -> String {
        match self {
            Self::Other => "97".to_owned(),
            _ => {
                let index = Self::ALL.iter().position(|&e| e == self).unwrap_or(0);
                format!("{:02}", index + 1)
            }
        }
    }
}

word_enum! {
    /// 学历 (全日制学历, 在职学历). `ALL` keeps the workbook's order (highest first);
    /// comparison follows [`Education::rank`], so `max` gives 最高学历.
    Education "学历" {
        Postgraduate "postgraduate" => "研究生" | "硕士" | "博士",
        Bachelor "bachelor" => "大学本科" | "本科",
        JuniorCollege "junior_college" => "大学专科" | "大专",
        SecondarySpecialized "secondary_specialized" => "中专",
        TechnicalSchool "technical_school" => "技工学校",
        HighSchool "high_school" => "高中",
        VocationalHighSchool "vocational_high_school" => "职业高中",
        JuniorHigh "junior_high" => "初中",
        PrimaryOrBelow "primary_or_below" => "小学及以下",
    }
}

impl Education {
    /// Position on the ladder used for 最高学历, 0 = 小学及以下 … 8 = 研究生.
    ///
    /// 中专, 技工学校, 高中 and 职业高中 are all upper-secondary (高中阶段): each is above 初中
    /// and below 大学专科, which is all any definition relies on. Among themselves they follow
    /// the code order of GB/T 4658 (中专 40 > 技工学校 50 > 高中 60, 职业高中 read within the
    /// 高中 group, after 普通高中), so that `max` is a total, stable choice.
    pub fn rank(self) -> u8 {
        match self {
            Self::PrimaryOrBelow => 0,
            Self::JuniorHigh => 1,
            Self::VocationalHighSchool => 2,
            Self::HighSchool => 3,
            Self::TechnicalSchool => 4,
            Self::SecondarySpecialized => 5,
            Self::JuniorCollege => 6,
            Self::Bachelor => 7,
            Self::Postgraduate => 8,
        }
    }

    /// 大专以上: 大学专科 or higher ("大专以上" always includes 大专).
    pub fn is_college(self) -> bool {
        self >= Self::JuniorCollege
    }

    /// 最高学历: the higher of 全日制学历 and 在职学历, either of which may be absent.
    pub fn highest(full_time: Option<Self>, in_service: Option<Self>) -> Option<Self> {
        full_time.max(in_service)
    }
}

impl PartialOrd for Education {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Education {
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank().cmp(&other.rank())
    }
}

word_enum! {
    /// 政治面貌. The 党员 record, not this value, is the source of truth for membership.
    PoliticalStatus "政治面貌" {
        CpcMember "cpc_member" => "中共党员",
        CpcProbationaryMember "cpc_probationary_member" => "中共预备党员",
        LeagueMember "league_member" => "共青团员",
        DemocraticPartyMember "democratic_party_member" => "民主党派",
        NonParty "non_party" => "无党派人士",
        Masses "masses" => "群众",
    }
}

impl PoliticalStatus {
    /// The 党员类别 this status implies: 中共党员 ↔ 正式党员, 中共预备党员 ↔ 预备党员.
    pub fn member_category(self) -> Option<MemberCategory> {
        match self {
            Self::CpcMember => Some(MemberCategory::Full),
            Self::CpcProbationaryMember => Some(MemberCategory::Probationary),
            _ => None,
        }
    }
}

word_enum! {
    /// 与户主关系. "Maternal" marks the 外 line: 外孙子女 are a daughter's children,
    /// 外祖父母 the mother's parents.
    Relation "与户主关系" {
        HouseholdHead "household_head" => "户主",
        Spouse "spouse" => "配偶",
        Child "child" => "子女",
        DaughterInLaw "daughter_in_law" => "儿媳",
        SonInLaw "son_in_law" => "女婿",
        Grandchild "grandchild" => "孙子女",
        MaternalGrandchild "maternal_grandchild" => "外孙子女",
        Parent "parent" => "父母",
        Grandparent "grandparent" => "祖父母",
        MaternalGrandparent "maternal_grandparent" => "外祖父母",
        Sibling "sibling" => "兄弟姐妹",
        Other "other" => "其他",
    }
}

word_enum! {
    /// 常住状态 of a household.
    ResidenceStatus "常住状态" {
        InResidence "in_residence" => "常住",
        AllAway "all_away" => "全户外出",
    }
}

word_enum! {
    /// 监测对象类型 (防返贫监测对象).
    MonitorType "监测对象类型" {
        UnstableLiftedOut "unstable_lifted_out" => "脱贫不稳定户",
        MarginalAtRisk "marginal_at_risk" => "边缘易致贫户",
        SuddenHardship "sudden_hardship" => "突发严重困难户",
    }
}

word_enum! {
    /// 注销原因 of a person.
    DeregistrationReason "注销原因" {
        Death "death" => "死亡",
        MovedOut "moved_out" => "迁出",
        Other "other" => "其他",
    }
}

word_enum! {
    /// 党组织类型.
    PartyOrgKind "党组织类型" {
        Committee "committee" => "党委",
        GeneralBranch "general_branch" => "党总支",
        Branch "branch" => "党支部",
    }
}

word_enum! {
    /// 党员类别.
    MemberCategory "党员类别" {
        Full "full" => "正式党员",
        Probationary "probationary" => "预备党员",
    }
}

impl MemberCategory {
    /// The 政治面貌 that agrees with this category.
    pub fn political_status(self) -> PoliticalStatus {
        match self {
            Self::Full => PoliticalStatus::CpcMember,
            Self::Probationary => PoliticalStatus::CpcProbationaryMember,
        }
    }
}

word_enum! {
    /// 党员状态.
    MemberStatus "党员状态" {
        Normal "normal" => "正常",
        Migrant "migrant" => "流动党员",
        LostContact "lost_contact" => "失联党员",
    }
}

word_enum! {
    /// 离开原因 of a party membership.
    LeaveReason "离开原因" {
        TransferredOut "transferred_out" => "转出",
        Death "death" => "死亡",
        LeftParty "left_party" => "出党",
        MembershipStopped "membership_stopped" => "停止党籍",
    }
}

word_enum! {
    /// 干部类别. 村干部 includes community cadres.
    CadreCategory "干部类别" {
        TownshipLeader "township_leader" => "乡镇领导",
        TownshipCadre "township_cadre" => "乡镇干部",
        VillageCadre "village_cadre" => "村干部",
    }
}

word_enum! {
    /// 职务 of a 村干部. Input 村（居）委会主任 with full-width parentheses reads the same.
    VillagePost "村干部职务" {
        BranchSecretary "branch_secretary" => "党组织书记",
        BranchDeputySecretary "branch_deputy_secretary" => "党组织副书记",
        BranchCommitteeMember "branch_committee_member" => "党组织委员",
        VillagersCommitteeChair "villagers_committee_chair" => "村(居)委会主任",
        VillagersCommitteeViceChair "villagers_committee_vice_chair" => "村(居)委会副主任",
        VillagersCommitteeMember "villagers_committee_member" => "村(居)委会委员",
        SupervisionChair "supervision_chair" => "村务监督委员会主任",
        SupervisionMember "supervision_member" => "村务监督委员会委员",
        OtherVillageCadre "other_village_cadre" => "其他村干部",
    }
}

impl VillagePost {
    /// Whether the post makes its holder a 两委成员 (the six party-org and 村(居)委会 posts).
    pub fn is_committee_member(self) -> bool {
        matches!(
            self,
            Self::BranchSecretary
                | Self::BranchDeputySecretary
                | Self::BranchCommitteeMember
                | Self::VillagersCommitteeChair
                | Self::VillagersCommitteeViceChair
                | Self::VillagersCommitteeMember
        )
    }
}

word_enum! {
    /// 工作队成员角色.
    TeamRole "角色" {
        Leader "leader" => "队长",
        Member "member" => "队员",
    }
}

word_enum! {
    /// 驻村身份.
    StationRole "驻村身份" {
        FirstSecretary "first_secretary" => "第一书记",
        TeamLeader "team_leader" => "工作队队长",
        TeamMember "team_member" => "工作队队员",
        StationedCadre "stationed_cadre" => "驻村干部",
    }
}

word_enum! {
    /// 后备人才来源 (选招引培).
    TalentSource "来源" {
        Select "select" => "选",
        Recruit "recruit" => "招",
        Attract "attract" => "引",
        Train "train" => "培",
    }
}

word_enum! {
    /// 后备人才成熟度: ready to take a post now, or still being trained.
    Readiness "成熟度" {
        Ready "ready" => "可接任",
        Developing "developing" => "培养中",
    }
}

word_enum! {
    /// 后备人才出库原因: appointed to a post (任职) or left for another reason.
    PoolExit "出库原因" {
        Appointed "appointed" => "任职",
        Other "other" => "其他",
    }
}

word_enum! {
    /// 村务顾问类型: who advises a village.
    AdvisorKind "顾问类型" {
        VeteranMember "veteran_member" => "老党员",
        RetiredCadre "retired_cadre" => "退休干部",
        Sage "sage" => "乡贤",
        Other "other" => "其他",
    }
}

word_enum! {
    /// 年度考核结果 of a village secretary under professional management (专业化管理).
    ReviewResult "考核结果" {
        Excellent "excellent" => "优秀",
        Competent "competent" => "称职",
        BasicallyCompetent "basically_competent" => "基本称职",
        Incompetent "incompetent" => "不称职",
    }
}

word_enum! {
    /// 诉求来源.
    DemandSource "来源" {
        Visit "visit" => "走访收集",
        PhoneCall "phone_call" => "来电",
        WalkIn "walk_in" => "来访",
        GridReport "grid_report" => "网格上报",
        Hotline12345 "hotline_12345" => "12345转办",
        Other "other" => "其他",
    }
}

word_enum! {
    /// 诉求类别: 急难愁盼.
    DemandCategory "类别" {
        Urgent "urgent" => "急",
        Hard "hard" => "难",
        Worrying "worrying" => "愁",
        HopedFor "hoped_for" => "盼",
    }
}

word_enum! {
    /// 诉求领域.
    DemandField "领域" {
        Infrastructure "infrastructure" => "基础设施",
        DrinkingWater "drinking_water" => "饮水安全",
        Transport "transport" => "交通出行",
        LandAndHomestead "land_and_homestead" => "土地宅基地",
        Farming "farming" => "农业生产",
        FarmSubsidy "farm_subsidy" => "惠农补贴",
        Employment "employment" => "就业增收",
        SocialSecurity "social_security" => "社会保障",
        Health "health" => "医疗卫生",
        Education "education" => "教育",
        ElderlyCare "elderly_care" => "养老",
        Housing "housing" => "住房",
        LivingEnvironment "living_environment" => "人居环境",
        Ecology "ecology" => "生态环境",
        Dispute "dispute" => "矛盾纠纷",
        PublicSecurity "public_security" => "社会治安",
        PolicyInquiry "policy_inquiry" => "政策咨询",
        Other "other" => "其他",
    }
}

word_enum! {
    /// 诉求状态. The legal transitions belong to the demand module.
    DemandStatus "状态" {
        Pending "pending" => "待受理",
        InProgress "in_progress" => "办理中",
        Concluded "concluded" => "已办结",
        Closed "closed" => "已关闭",
    }
}

word_enum! {
    /// 办理结果 of a concluded demand.
    Outcome "办理结果" {
        Solved "solved" => "已解决",
        PartlySolved "partly_solved" => "部分解决",
        Explained "explained" => "解释说明",
        Rejected "rejected" => "不予受理",
    }
}

word_enum! {
    /// 满意度 recorded at the return visit.
    Satisfaction "满意度" {
        Satisfied "satisfied" => "满意",
        FairlySatisfied "fairly_satisfied" => "基本满意",
        Dissatisfied "dissatisfied" => "不满意",
    }
}

word_enum! {
    /// 实事状态. The legal transitions are in `crate::branches`.
    ProjectStatus "状态" {
        Planned "planned" => "计划",
        InProgress "in_progress" => "实施中",
        Completed "completed" => "已完成",
    }
}

word_enum! {
    /// 荣誉类型.
    HonorKind "荣誉类型" {
        GoodSecretary "good_secretary" => "好支书" | "担当作为好支书",
        ProsperityPioneer "prosperity_pioneer" => "带富致富先锋",
    }
}

word_enum! {
    /// 荣誉状态: 提名 → 审核通过 → 公示 → 已授予, or 未通过 at any step before the award.
    HonorStatus "状态" {
        Nominated "nominated" => "提名",
        Reviewed "reviewed" => "审核通过",
        Notice "notice" => "公示",
        Awarded "awarded" => "已授予",
        Rejected "rejected" => "未通过",
    }
}

word_enum! {
    /// 党支部标准化 评定结果: 示范 and 达标 make a 标准化党支部.
    AssessmentResult "评定结果" {
        Model "model" => "示范",
        Passed "passed" => "达标",
        Failed "failed" => "未达标",
    }
}

word_enum! {
    /// 擂台赛状态: 筹备 → 评分中 → 已公布. The legal steps are in `crate::branches`.
    ContestStatus "状态" {
        Draft "draft" => "筹备",
        Scoring "scoring" => "评分中",
        Published "published" => "已公布",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::canonical("汉族", Ethnicity::Han)]
    #[case::alias_han("汉", Ethnicity::Han)]
    #[case::padded("\u{3000}回族 ", Ethnicity::Hui)]
    #[case::long_name("柯尔克孜族", Ethnicity::Kirgiz)]
    #[case::last_gb_name("基诺族", Ethnicity::Jino)]
    #[case::other("其他", Ethnicity::Other)]
    fn ethnicity_parse_accepts_gb_names_and_han_alias(
        #[case] input: &str,
        #[case] want: Ethnicity,
    ) {
        assert_eq!(Ethnicity::parse(input), Ok(want));
    }

    #[rstest]
    #[case::bare_name_other_than_han("回")]
    #[case::han_people("汉人")]
    #[case::foreign("外国血统")]
    fn ethnicity_parse_rejects_words_outside_the_list(#[case] input: &str) {
        assert!(Ethnicity::parse(input).is_err());
    }

    #[test]
    fn ethnicity_lists_56_nationalities_and_other() {
        assert_eq!(Ethnicity::ALL.len(), 57);
        assert!(Ethnicity::LABELS[..56].iter().all(|w| w.ends_with('族')));
        assert_eq!(Ethnicity::Han.gb_code(), "01");
        assert_eq!(Ethnicity::Jino.gb_code(), "56");
        assert_eq!(Ethnicity::Other.gb_code(), "97");
    }

    #[rstest]
    #[case::canonical("大学专科", Education::JuniorCollege)]
    #[case::alias_dazhuan("大专", Education::JuniorCollege)]
    #[case::alias_benke("本科", Education::Bachelor)]
    #[case::alias_master("硕士", Education::Postgraduate)]
    #[case::alias_doctor("博士", Education::Postgraduate)]
    #[case::primary("小学及以下", Education::PrimaryOrBelow)]
    #[case::vocational("职业高中", Education::VocationalHighSchool)]
    fn education_parse_accepts_words_and_aliases(#[case] input: &str, #[case] want: Education) {
        assert_eq!(Education::parse(input), Ok(want));
    }

    #[rstest]
    #[case::dazhuan_vs_gaozhong(
        Education::HighSchool,
        Education::JuniorCollege,
        Education::JuniorCollege
    )]
    #[case::zhongzhuan_vs_gaozhong(
        Education::SecondarySpecialized,
        Education::HighSchool,
        Education::SecondarySpecialized
    )]
    #[case::postgraduate_wins(
        Education::Postgraduate,
        Education::Bachelor,
        Education::Postgraduate
    )]
    #[case::vocational_above_junior_high(
        Education::JuniorHigh,
        Education::VocationalHighSchool,
        Education::VocationalHighSchool
    )]
    fn education_max_is_the_highest_education(
        #[case] a: Education,
        #[case] b: Education,
        #[case] want: Education,
    ) {
        assert_eq!(a.max(b), want);
        assert_eq!(b.max(a), want);
    }

    #[test]
    fn education_highest_takes_whichever_is_given() {
        use Education::*;
        assert_eq!(
            Education::highest(Some(HighSchool), Some(JuniorCollege)),
            Some(JuniorCollege)
        );
        assert_eq!(Education::highest(None, Some(Bachelor)), Some(Bachelor));
        assert_eq!(Education::highest(Some(JuniorHigh), None), Some(JuniorHigh));
        assert_eq!(Education::highest(None, None), None);
    }

    #[test]
    fn education_is_college_from_junior_college_up() {
        let college: Vec<_> = Education::ALL.iter().filter(|e| e.is_college()).collect();
        assert_eq!(
            college,
            [
                &Education::Postgraduate,
                &Education::Bachelor,
                &Education::JuniorCollege
            ]
        );
    }

    #[test]
    fn every_secondary_education_sits_between_junior_high_and_junior_college() {
        for e in [
            Education::SecondarySpecialized,
            Education::TechnicalSchool,
            Education::HighSchool,
            Education::VocationalHighSchool,
        ] {
            assert!(
                e > Education::JuniorHigh && e < Education::JuniorCollege,
                "{e}"
            );
        }
    }

    #[rstest]
    #[case::half_width("村(居)委会主任", VillagePost::VillagersCommitteeChair)]
    #[case::full_width_parentheses("村（居）委会主任", VillagePost::VillagersCommitteeChair)]
    #[case::full_width_deputy("村（居）委会副主任", VillagePost::VillagersCommitteeViceChair)]
    #[case::secretary(" 党组织书记 ", VillagePost::BranchSecretary)]
    fn village_post_parse_reads_full_width_parentheses(
        #[case] input: &str,
        #[case] want: VillagePost,
    ) {
        assert_eq!(VillagePost::parse(input), Ok(want));
    }

    #[test]
    fn village_post_committee_members_are_the_six_two_committee_posts() {
        let members: Vec<_> = VillagePost::ALL
            .iter()
            .filter(|p| p.is_committee_member())
            .map(|p| p.label())
            .collect();
        assert_eq!(
            members,
            [
                "党组织书记",
                "党组织副书记",
                "党组织委员",
                "村(居)委会主任",
                "村(居)委会副主任",
                "村(居)委会委员"
            ]
        );
    }

    #[rstest]
    #[case::half_width("12345转办", DemandSource::Hotline12345)]
    #[case::full_width_digits("１２３４５转办", DemandSource::Hotline12345)]
    #[case::visit("走访收集", DemandSource::Visit)]
    fn demand_source_parse_reads_full_width_digits(
        #[case] input: &str,
        #[case] want: DemandSource,
    ) {
        assert_eq!(DemandSource::parse(input), Ok(want));
    }

    #[rstest]
    #[case::sex(Sex::parse("男"), "male")]
    #[case::political(PoliticalStatus::parse("中共预备党员"), "cpc_probationary_member")]
    #[case::relation(Relation::parse("外孙子女"), "maternal_grandchild")]
    #[case::residence(ResidenceStatus::parse("全户外出"), "all_away")]
    #[case::monitor(MonitorType::parse("边缘易致贫户"), "marginal_at_risk")]
    #[case::deregistration(DeregistrationReason::parse("迁出"), "moved_out")]
    #[case::party_org(PartyOrgKind::parse("党总支"), "general_branch")]
    #[case::member_category(MemberCategory::parse("预备党员"), "probationary")]
    #[case::member_status(MemberStatus::parse("失联党员"), "lost_contact")]
    #[case::leave(LeaveReason::parse("停止党籍"), "membership_stopped")]
    #[case::cadre(CadreCategory::parse("乡镇领导"), "township_leader")]
    #[case::team_role(TeamRole::parse("队长"), "leader")]
    #[case::station_role(StationRole::parse("第一书记"), "first_secretary")]
    #[case::category(DemandCategory::parse("盼"), "hoped_for")]
    #[case::field(DemandField::parse("土地宅基地"), "land_and_homestead")]
    #[case::status(DemandStatus::parse("已办结"), "concluded")]
    #[case::outcome(Outcome::parse("部分解决"), "partly_solved")]
    #[case::satisfaction(Satisfaction::parse("基本满意"), "fairly_satisfied")]
    fn parse_maps_each_word_to_its_storage_code(
        #[case] parsed: Result<impl WordCode, EnumError>,
        #[case] want: &str,
    ) {
        assert_eq!(parsed.map(|v| v.word_code()), Ok(want));
    }

    /// Lets one table test cover enums of different types.
    trait WordCode {
        fn word_code(&self) -> &'static str;
    }
    macro_rules! impl_word_code {
        ($($t:ty),+) => {$(impl WordCode for $t { fn word_code(&self) -> &'static str { self.code() } })+};
    }
    impl_word_code!(
        Sex,
        PoliticalStatus,
        Relation,
        ResidenceStatus,
        MonitorType,
        DeregistrationReason,
        PartyOrgKind,
        MemberCategory,
        MemberStatus,
        LeaveReason,
        CadreCategory,
        TeamRole,
        StationRole,
        TalentSource,
        Readiness,
        PoolExit,
        AdvisorKind,
        ReviewResult,
        DemandCategory,
        DemandField,
        DemandStatus,
        Outcome,
        Satisfaction
    );

    #[test]
    fn every_enum_round_trips_through_label_and_code() {
        fn check<T>(all: &[T], label: fn(T) -> &'static str, code: fn(T) -> &'static str)
        where
            T: Copy + PartialEq + std::fmt::Debug + std::str::FromStr,
            T::Err: std::fmt::Debug,
        {
            for &v in all {
                assert_eq!(label(v).parse::<T>().ok(), Some(v), "{}", label(v));
                let c = code(v);
                assert!(
                    c.chars()
                        .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_'),
                    "{c}"
                );
                assert_eq!(all.iter().filter(|&&w| code(w) == c).count(), 1, "{c}");
            }
        }
        check(Sex::ALL, Sex::label, Sex::code);
        check(Ethnicity::ALL, Ethnicity::label, Ethnicity::code);
        check(Education::ALL, Education::label, Education::code);
        check(
            PoliticalStatus::ALL,
            PoliticalStatus::label,
            PoliticalStatus::code,
        );
        check(Relation::ALL, Relation::label, Relation::code);
        check(
            ResidenceStatus::ALL,
            ResidenceStatus::label,
            ResidenceStatus::code,
        );
        check(MonitorType::ALL, MonitorType::label, MonitorType::code);
        check(
            DeregistrationReason::ALL,
            DeregistrationReason::label,
            DeregistrationReason::code,
        );
        check(PartyOrgKind::ALL, PartyOrgKind::label, PartyOrgKind::code);
        check(
            MemberCategory::ALL,
            MemberCategory::label,
            MemberCategory::code,
        );
        check(MemberStatus::ALL, MemberStatus::label, MemberStatus::code);
        check(LeaveReason::ALL, LeaveReason::label, LeaveReason::code);
        check(
            CadreCategory::ALL,
            CadreCategory::label,
            CadreCategory::code,
        );
        check(VillagePost::ALL, VillagePost::label, VillagePost::code);
        check(TeamRole::ALL, TeamRole::label, TeamRole::code);
        check(StationRole::ALL, StationRole::label, StationRole::code);
        check(DemandSource::ALL, DemandSource::label, DemandSource::code);
        check(
            DemandCategory::ALL,
            DemandCategory::label,
            DemandCategory::code,
        );
        check(DemandField::ALL, DemandField::label, DemandField::code);
        check(DemandStatus::ALL, DemandStatus::label, DemandStatus::code);
        check(Outcome::ALL, Outcome::label, Outcome::code);
        check(Satisfaction::ALL, Satisfaction::label, Satisfaction::code);
        assert_eq!(DemandField::ALL.len(), 18);
    }

    #[test]
    fn from_code_reads_back_the_storage_code() {
        assert_eq!(
            Satisfaction::from_code("dissatisfied"),
            Some(Satisfaction::Dissatisfied)
        );
        assert_eq!(Outcome::from_code("rejected"), Some(Outcome::Rejected));
        assert_eq!(Outcome::from_code("已解决"), None);
    }

    #[test]
    fn serde_uses_the_storage_code() {
        // serde_json is not a dependency; the derive is checked through the value serde sees.
        use serde::de::IntoDeserializer;
        use serde::de::value::{Error, StrDeserializer};
        let de: StrDeserializer<'_, Error> = "fairly_satisfied".into_deserializer();
        let v: Satisfaction = serde::Deserialize::deserialize(de).unwrap();
        assert_eq!(v, Satisfaction::FairlySatisfied);
    }

    #[test]
    fn unknown_word_error_names_the_value_and_lists_the_words() {
        let err = Satisfaction::parse("很满意").unwrap_err();
        assert_eq!(
            err.to_string(),
            "满意度“很满意”不在可选范围内，应为：满意、基本满意、不满意"
        );
    }

    #[test]
    fn empty_cell_error_says_it_is_empty() {
        let err = Sex::parse("\u{3000}").unwrap_err();
        assert_eq!(err.to_string(), "性别不能为空，应为：男、女");
    }

    #[rstest]
    #[case::not_an_alias("大学")]
    #[case::latin_word("male")]
    #[case::storage_code_is_not_a_word("urgent")]
    fn parse_accepts_only_listed_words(#[case] input: &str) {
        assert!(Education::parse(input).is_err());
        assert!(Sex::parse(input).is_err());
        assert!(DemandCategory::parse(input).is_err());
    }

    #[rstest]
    #[case::yes("是", Ok(true))]
    #[case::no("否", Ok(false))]
    #[case::padded(" 是\u{3000}", Ok(true))]
    fn parse_bool_cn_reads_shi_and_fou(#[case] input: &str, #[case] want: Result<bool, ()>) {
        assert_eq!(parse_bool_cn(input).map_err(|_| ()), want);
    }

    #[rstest]
    #[case::true_word("true")]
    #[case::yes_variant("对")]
    #[case::empty("")]
    fn parse_bool_cn_rejects_other_words(#[case] input: &str) {
        assert!(parse_bool_cn(input).is_err());
    }

    #[test]
    fn political_status_agrees_with_member_category() {
        for &c in MemberCategory::ALL {
            assert_eq!(c.political_status().member_category(), Some(c));
        }
        assert_eq!(PoliticalStatus::Masses.member_category(), None);
    }
}

//! The sheets of the workbook and their columns, exactly as `shared/spec/workbook.md` lists
//! them. Import, export and templates all read these definitions.

use xingcun_domain::division::OrgKind;
use xingcun_domain::enums::ContestStatus;
use xingcun_domain::enums::{AdvisorKind, PoolExit, ReviewResult};
use xingcun_domain::enums::{AssessmentResult, HonorKind, HonorStatus, ProjectStatus};
use xingcun_domain::enums::{
    CadreCategory, DemandCategory, DemandField, DemandSource, DemandStatus, DeregistrationReason,
    Education, Ethnicity, LeaveReason, MemberCategory, MemberStatus, MonitorType, Outcome,
    PartyOrgKind, PoliticalStatus, Relation, ResidenceStatus, Satisfaction, Sex, StationRole,
    TeamRole,
};
use xingcun_domain::enums::{Readiness, TalentSource};

/// How a column's cells are read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text on one line.
    Text,
    /// Free text where line breaks are allowed (地址, 内容, 情况记录).
    Multiline,
    /// A person's name: inner white space removed, middle dots unified.
    Name,
    /// An identifier read as text (编码, 编号, 身份证号, 联系电话); a numeric cell only for an
    /// integer of at most 15 digits.
    Ident,
    /// 身份证号: an identifier that must never come from a numeric cell.
    IdNumber,
    Date,
    Bool,
    /// One of a fixed list of words; stored by the enum's code.
    Enum(EnumKind),
}

/// The enumerations a column can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumKind {
    OrgKind,
    ResidenceStatus,
    MonitorType,
    Sex,
    Ethnicity,
    Education,
    PoliticalStatus,
    Relation,
    DeregistrationReason,
    PartyOrgKind,
    MemberCategory,
    MemberStatus,
    LeaveReason,
    CadreCategory,
    TeamRole,
    StationRole,
    DemandSource,
    DemandCategory,
    DemandField,
    DemandStatus,
    Outcome,
    Satisfaction,
    ProjectStatus,
    HonorKind,
    HonorStatus,
    AssessmentResult,
    ContestStatus,
    TalentSource,
    Readiness,
    BusinessKind,
    PoolExit,
    AdvisorKind,
    ReviewResult,
    /// A word list of the simpler registries (`sheets/more.rs`).
    Words(&'static Words),
}

impl EnumKind {
    /// Parses a cell into the enum's storage code, or a Chinese message.
    pub fn parse(self, s: &str) -> Result<&'static str, String> {
        fn p<T, E: std::fmt::Display>(
            r: Result<T, E>,
            code: impl Fn(T) -> &'static str,
        ) -> Result<&'static str, String> {
            r.map(code).map_err(|e| e.to_string())
        }
        match self {
            EnumKind::OrgKind => p(OrgKind::parse(s), OrgKind::code),
            EnumKind::ResidenceStatus => p(ResidenceStatus::parse(s), ResidenceStatus::code),
            EnumKind::MonitorType => p(MonitorType::parse(s), MonitorType::code),
            EnumKind::Sex => p(Sex::parse(s), Sex::code),
            EnumKind::Ethnicity => p(Ethnicity::parse(s), Ethnicity::code),
            EnumKind::Education => p(Education::parse(s), Education::code),
            EnumKind::PoliticalStatus => p(PoliticalStatus::parse(s), PoliticalStatus::code),
            EnumKind::Relation => p(Relation::parse(s), Relation::code),
            EnumKind::DeregistrationReason => {
                p(DeregistrationReason::parse(s), DeregistrationReason::code)
            }
            EnumKind::PartyOrgKind => p(PartyOrgKind::parse(s), PartyOrgKind::code),
            EnumKind::MemberCategory => p(MemberCategory::parse(s), MemberCategory::code),
            EnumKind::MemberStatus => p(MemberStatus::parse(s), MemberStatus::code),
            EnumKind::LeaveReason => p(LeaveReason::parse(s), LeaveReason::code),
            EnumKind::CadreCategory => p(CadreCategory::parse(s), CadreCategory::code),
            EnumKind::TeamRole => p(TeamRole::parse(s), TeamRole::code),
            EnumKind::StationRole => p(StationRole::parse(s), StationRole::code),
            EnumKind::DemandSource => p(DemandSource::parse(s), DemandSource::code),
            EnumKind::DemandCategory => p(DemandCategory::parse(s), DemandCategory::code),
            EnumKind::DemandField => p(DemandField::parse(s), DemandField::code),
            EnumKind::DemandStatus => p(DemandStatus::parse(s), DemandStatus::code),
            EnumKind::BusinessKind => business_kind_parse(s),
            EnumKind::Outcome => p(Outcome::parse(s), Outcome::code),
            EnumKind::Satisfaction => p(Satisfaction::parse(s), Satisfaction::code),
            EnumKind::ProjectStatus => p(ProjectStatus::parse(s), ProjectStatus::code),
            EnumKind::HonorKind => p(HonorKind::parse(s), HonorKind::code),
            EnumKind::HonorStatus => p(HonorStatus::parse(s), HonorStatus::code),
            EnumKind::AssessmentResult => p(AssessmentResult::parse(s), AssessmentResult::code),
            EnumKind::ContestStatus => p(ContestStatus::parse(s), ContestStatus::code),
            EnumKind::TalentSource => p(TalentSource::parse(s), TalentSource::code),
            EnumKind::Readiness => p(Readiness::parse(s), Readiness::code),
            EnumKind::PoolExit => p(PoolExit::parse(s), PoolExit::code),
            EnumKind::AdvisorKind => p(AdvisorKind::parse(s), AdvisorKind::code),
            EnumKind::ReviewResult => p(ReviewResult::parse(s), ReviewResult::code),
            EnumKind::Words(w) => w.parse(s),
        }
    }

    /// The Chinese word for a storage code (for export).
    pub fn label(self, code: &str) -> Option<&'static str> {
        match self {
            EnumKind::OrgKind => OrgKind::from_code(code).map(OrgKind::label),
            EnumKind::ResidenceStatus => {
                ResidenceStatus::from_code(code).map(ResidenceStatus::label)
            }
            EnumKind::MonitorType => MonitorType::from_code(code).map(MonitorType::label),
            EnumKind::Sex => Sex::from_code(code).map(Sex::label),
            EnumKind::Ethnicity => Ethnicity::from_code(code).map(Ethnicity::label),
            EnumKind::Education => Education::from_code(code).map(Education::label),
            EnumKind::PoliticalStatus => {
                PoliticalStatus::from_code(code).map(PoliticalStatus::label)
            }
            EnumKind::Relation => Relation::from_code(code).map(Relation::label),
            EnumKind::DeregistrationReason => {
                DeregistrationReason::from_code(code).map(DeregistrationReason::label)
            }
            EnumKind::PartyOrgKind => PartyOrgKind::from_code(code).map(PartyOrgKind::label),
            EnumKind::MemberCategory => MemberCategory::from_code(code).map(MemberCategory::label),
            EnumKind::MemberStatus => MemberStatus::from_code(code).map(MemberStatus::label),
            EnumKind::LeaveReason => LeaveReason::from_code(code).map(LeaveReason::label),
            EnumKind::CadreCategory => CadreCategory::from_code(code).map(CadreCategory::label),
            EnumKind::TeamRole => TeamRole::from_code(code).map(TeamRole::label),
            EnumKind::StationRole => StationRole::from_code(code).map(StationRole::label),
            EnumKind::DemandSource => DemandSource::from_code(code).map(DemandSource::label),
            EnumKind::DemandCategory => DemandCategory::from_code(code).map(DemandCategory::label),
            EnumKind::DemandField => DemandField::from_code(code).map(DemandField::label),
            EnumKind::DemandStatus => DemandStatus::from_code(code).map(DemandStatus::label),
            EnumKind::BusinessKind => BUSINESS_KINDS
                .iter()
                .find(|(c, _)| *c == code)
                .map(|(_, l)| *l),
            EnumKind::Outcome => Outcome::from_code(code).map(Outcome::label),
            EnumKind::Satisfaction => Satisfaction::from_code(code).map(Satisfaction::label),
            EnumKind::ProjectStatus => ProjectStatus::from_code(code).map(ProjectStatus::label),
            EnumKind::HonorKind => HonorKind::from_code(code).map(HonorKind::label),
            EnumKind::HonorStatus => HonorStatus::from_code(code).map(HonorStatus::label),
            EnumKind::AssessmentResult => {
                AssessmentResult::from_code(code).map(AssessmentResult::label)
            }
            EnumKind::ContestStatus => ContestStatus::from_code(code).map(ContestStatus::label),
            EnumKind::TalentSource => TalentSource::from_code(code).map(TalentSource::label),
            EnumKind::Readiness => Readiness::from_code(code).map(Readiness::label),
            EnumKind::PoolExit => PoolExit::from_code(code).map(PoolExit::label),
            EnumKind::AdvisorKind => AdvisorKind::from_code(code).map(AdvisorKind::label),
            EnumKind::ReviewResult => ReviewResult::from_code(code).map(ReviewResult::label),
            EnumKind::Words(w) => w.label(code),
        }
    }

    /// Every word, for the template's drop-down lists.
    pub fn labels(self) -> &'static [&'static str] {
        match self {
            EnumKind::OrgKind => OrgKind::LABELS,
            EnumKind::ResidenceStatus => ResidenceStatus::LABELS,
            EnumKind::MonitorType => MonitorType::LABELS,
            EnumKind::Sex => Sex::LABELS,
            EnumKind::Ethnicity => Ethnicity::LABELS,
            EnumKind::Education => Education::LABELS,
            EnumKind::PoliticalStatus => PoliticalStatus::LABELS,
            EnumKind::Relation => Relation::LABELS,
            EnumKind::DeregistrationReason => DeregistrationReason::LABELS,
            EnumKind::PartyOrgKind => PartyOrgKind::LABELS,
            EnumKind::MemberCategory => MemberCategory::LABELS,
            EnumKind::MemberStatus => MemberStatus::LABELS,
            EnumKind::LeaveReason => LeaveReason::LABELS,
            EnumKind::CadreCategory => CadreCategory::LABELS,
            EnumKind::TeamRole => TeamRole::LABELS,
            EnumKind::StationRole => StationRole::LABELS,
            EnumKind::DemandSource => DemandSource::LABELS,
            EnumKind::DemandCategory => DemandCategory::LABELS,
            EnumKind::DemandField => DemandField::LABELS,
            EnumKind::DemandStatus => DemandStatus::LABELS,
            EnumKind::BusinessKind => BUSINESS_KIND_LABELS,
            EnumKind::Outcome => Outcome::LABELS,
            EnumKind::Satisfaction => Satisfaction::LABELS,
            EnumKind::ProjectStatus => ProjectStatus::LABELS,
            EnumKind::HonorKind => HonorKind::LABELS,
            EnumKind::HonorStatus => HonorStatus::LABELS,
            EnumKind::AssessmentResult => AssessmentResult::LABELS,
            EnumKind::ContestStatus => ContestStatus::LABELS,
            EnumKind::TalentSource => TalentSource::LABELS,
            EnumKind::Readiness => Readiness::LABELS,
            EnumKind::PoolExit => PoolExit::LABELS,
            EnumKind::AdvisorKind => AdvisorKind::LABELS,
            EnumKind::ReviewResult => ReviewResult::LABELS,
            EnumKind::Words(w) => w.labels,
        }
    }
}

/// One column of a sheet.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub header: &'static str,
    pub required: bool,
    pub kind: Kind,
    /// The stored value an empty cell takes on insert (canonical form).
    pub default: Option<&'static str>,
    /// A line of the template's notes row.
    pub note: &'static str,
}

const fn col(header: &'static str, required: bool, kind: Kind, note: &'static str) -> Column {
    Column {
        header,
        required,
        kind,
        default: None,
        note,
    }
}

const fn with_default(
    header: &'static str,
    kind: Kind,
    default: &'static str,
    note: &'static str,
) -> Column {
    Column {
        header,
        required: false,
        kind,
        default: Some(default),
        note,
    }
}

/// Which sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SheetId {
    OrgUnits,
    Households,
    People,
    PartyOrgs,
    PartyMembers,
    Cadres,
    WorkTeams,
    TeamMembers,
    VillageContacts,
    Stationings,
    GridDuties,
    HouseholdLinks,
    Visits,
    Demands,
    PracticalProjects,
    Rectifications,
    RectificationProblems,
    Honors,
    ModelSites,
    Assessments,
    BranchStandards,
    StandardSections,
    StandardCriteria,
    AssessmentScores,
    HonorObjections,
    Contests,
    ContestCriteria,
    Contestants,
    ContestJudges,
    ContestScores,
    DegreeUpgrades,
    ReserveTalents,
    Trainings,
    TrainingAttendances,
    PracticePostings,
    Advisors,
    Advice,
    SecretaryReviews,
    Businesses,
    BusinessHouseholds,
    TourismProjects,
    AgriParks,
    TechPartnerships,
    Brands,
    GeoProducts,
    GeoRegistrations,
    LawOutreachEvents,
    CivilityEvents,
    CanvassRounds,
    Disputes,
    DisputeParties,
    MediationSessions,
    StudySessions,
    SupervisionFindings,
    Exemplars,
}

/// A sheet: its name, its columns (the key's columns first) and how many columns form the key.
#[derive(Debug)]
pub struct Sheet {
    pub id: SheetId,
    pub name: &'static str,
    pub columns: &'static [Column],
    /// Indexes of the key columns.
    pub key: &'static [usize],
}

impl Sheet {
    pub fn index(&self, header: &str) -> usize {
        self.columns
            .iter()
            .position(|c| c.header == header)
            .unwrap_or_else(|| panic!("{}: no column {header}", self.name))
    }
}

use EnumKind as E;
use Kind::*;

mod more;
pub use more::*;
mod branches;
pub use crate::governance::disputes_sheets::{
    CANVASS_ROUNDS, DISPUTE_PARTIES, DISPUTES, MEDIATION_SESSIONS,
};
pub use branches::*;

pub static ORG_UNITS: Sheet = Sheet {
    id: SheetId::OrgUnits,
    name: "区划",
    columns: &[
        col("编码", true, Ident, "12位统计用区划代码，网格15位"),
        col("名称", true, Text, ""),
        col(
            "类型",
            true,
            Enum(E::OrgKind),
            "区县/乡镇/街道/行政村/社区/网格",
        ),
        col("上级编码", false, Ident, "只有区县为空"),
        col("撤销日期", false, Date, "合村并居等撤销的日期"),
        col("并入编码", false, Ident, "与撤销日期同填"),
    ],
    key: &[0],
};

pub static HOUSEHOLDS: Sheet = Sheet {
    id: SheetId::Households,
    name: "户",
    columns: &[
        col("户编号", true, Ident, "全区唯一，建议为村代码+顺序号"),
        col("所属区划编码", true, Ident, "行政村、社区或网格"),
        col("村民小组", false, Text, "如 第三村民小组"),
        col("地址", false, Multiline, ""),
        col("联系电话", false, Ident, "手机或 区号-号码"),
        with_default(
            "常住状态",
            Enum(E::ResidenceStatus),
            "in_residence",
            "默认 常住",
        ),
        with_default("脱贫户", Bool, "0", "是/否"),
        with_default("监测对象", Bool, "0", "是/否（防返贫监测对象）"),
        col(
            "监测对象类型",
            false,
            Enum(E::MonitorType),
            "监测对象为是时必填",
        ),
        with_default("低保户", Bool, "0", "是/否"),
        with_default("特困供养户", Bool, "0", "是/否"),
        col("注销日期", false, Date, ""),
    ],
    key: &[0],
};

pub static PEOPLE: Sheet = Sheet {
    id: SheetId::People,
    name: "人员",
    columns: &[
        col("身份证号", true, IdNumber, "18位，单元格须为文本格式"),
        col("姓名", true, Name, ""),
        col("性别", false, Enum(E::Sex), "须与身份证号一致"),
        col("出生日期", false, Date, "须与身份证号一致"),
        col("民族", false, Enum(E::Ethnicity), "如 汉族"),
        col("全日制学历", false, Enum(E::Education), ""),
        col("在职学历", false, Enum(E::Education), ""),
        col(
            "政治面貌",
            false,
            Enum(E::PoliticalStatus),
            "党员以党员表为准",
        ),
        col("联系电话", false, Ident, ""),
        col("户编号", false, Ident, ""),
        col(
            "与户主关系",
            false,
            Enum(E::Relation),
            "填户编号时必填；每户一名户主",
        ),
        col("注销日期", false, Date, ""),
        col(
            "注销原因",
            false,
            Enum(E::DeregistrationReason),
            "与注销日期同填",
        ),
    ],
    key: &[0],
};

pub static PARTY_ORGS: Sheet = Sheet {
    id: SheetId::PartyOrgs,
    name: "党组织",
    columns: &[
        col("组织编码", true, Ident, "唯一"),
        col("名称", true, Text, ""),
        col("类型", true, Enum(E::PartyOrgKind), "党委/党总支/党支部"),
        col("上级组织编码", false, Ident, "只有最上级组织为空"),
        col("所在区划编码", true, Ident, ""),
    ],
    key: &[0],
};

pub static PARTY_MEMBERS: Sheet = Sheet {
    id: SheetId::PartyMembers,
    name: "党员",
    columns: &[
        col("身份证号", true, IdNumber, "须在人员表或系统中"),
        col("所在党组织编码", true, Ident, "须为党支部"),
        col(
            "党员类别",
            true,
            Enum(E::MemberCategory),
            "正式党员/预备党员",
        ),
        col("入党日期", false, Date, ""),
        col(
            "转正日期",
            false,
            Date,
            "正式党员填入党日期时必填，至少晚一年",
        ),
        with_default("党员状态", Enum(E::MemberStatus), "normal", "默认 正常"),
        col("离开日期", false, Date, ""),
        col("离开原因", false, Enum(E::LeaveReason), "与离开日期同填"),
    ],
    key: &[0],
};

pub static CADRES: Sheet = Sheet {
    id: SheetId::Cadres,
    name: "干部",
    columns: &[
        col("身份证号", true, IdNumber, ""),
        col(
            "干部类别",
            true,
            Enum(E::CadreCategory),
            "乡镇领导/乡镇干部/村干部",
        ),
        col("职务", true, Text, "村干部填规定职务；乡镇填实际职务"),
        col("职务全称", false, Text, "如 党总支书记"),
        col(
            "任职单位编码",
            true,
            Ident,
            "乡镇填乡镇代码，村干部填村代码",
        ),
        col("任职日期", true, Date, ""),
        col("离任日期", false, Date, "免职决定日期"),
        with_default("专业化管理", Bool, "0", "仅党组织书记可为是"),
    ],
    key: &[0, 4, 2, 5],
};

pub static WORK_TEAMS: Sheet = Sheet {
    id: SheetId::WorkTeams,
    name: "工作队",
    columns: &[
        col("工作队编号", true, Ident, "全区唯一"),
        col("名称", true, Text, ""),
        col("联系村编码", true, Ident, "行政村或社区"),
        col("成立日期", true, Date, ""),
        col("撤销日期", false, Date, "不再存在的第一天"),
    ],
    key: &[0],
};

pub static TEAM_MEMBERS: Sheet = Sheet {
    id: SheetId::TeamMembers,
    name: "工作队成员",
    columns: &[
        col("工作队编号", true, Ident, ""),
        col("身份证号", true, IdNumber, ""),
        with_default(
            "角色",
            Enum(E::TeamRole),
            "member",
            "队长/队员，默认 队员；每队至多一名队长",
        ),
    ],
    key: &[0, 1],
};

pub static VILLAGE_CONTACTS: Sheet = Sheet {
    id: SheetId::VillageContacts,
    name: "包村",
    columns: &[
        col(
            "身份证号",
            true,
            IdNumber,
            "开始日期须在该村所属乡镇任乡镇领导",
        ),
        col("村编码", true, Ident, ""),
        col("开始日期", true, Date, ""),
        col("结束日期", false, Date, "不再包村的第一天"),
    ],
    key: &[0, 1, 2],
};

pub static STATIONINGS: Sheet = Sheet {
    id: SheetId::Stationings,
    name: "驻村",
    columns: &[
        col("身份证号", true, IdNumber, ""),
        col("村编码", true, Ident, ""),
        col("开始日期", true, Date, ""),
        col("结束日期", false, Date, "不再驻村的第一天"),
        with_default("专职", Bool, "1", "是/否，默认 是"),
        with_default(
            "驻村身份",
            Enum(E::StationRole),
            "stationed_cadre",
            "第一书记/工作队队长/工作队队员/驻村干部，默认 驻村干部",
        ),
        col(
            "派出单位",
            false,
            Text,
            "为空时须在开始日期任乡镇领导或乡镇干部",
        ),
    ],
    key: &[0, 1, 2],
};

pub static GRID_DUTIES: Sheet = Sheet {
    id: SheetId::GridDuties,
    name: "入网",
    columns: &[
        col("身份证号", true, IdNumber, "开始日期须在网格所在村任村干部"),
        col("网格编码", true, Ident, ""),
        col("开始日期", true, Date, ""),
        col("结束日期", false, Date, ""),
    ],
    key: &[0, 1, 2],
};

pub static HOUSEHOLD_LINKS: Sheet = Sheet {
    id: SheetId::HouseholdLinks,
    name: "联户",
    columns: &[
        col("党员身份证号", true, IdNumber, "开始日期须为党员"),
        col("户编号", true, Ident, ""),
        col("开始日期", true, Date, ""),
        col("结束日期", false, Date, ""),
    ],
    key: &[0, 1, 2],
};

pub static VISITS: Sheet = Sheet {
    id: SheetId::Visits,
    name: "走访",
    columns: &[
        col("走访编号", true, Ident, "全区唯一"),
        col("户编号", true, Ident, ""),
        col("走访人身份证号", true, IdNumber, ""),
        col("走访日期", true, Date, ""),
        col("情况记录", false, Multiline, ""),
    ],
    key: &[0],
};

pub static DEMANDS: Sheet = Sheet {
    id: SheetId::Demands,
    name: "诉求",
    columns: &[
        col("诉求编号", true, Ident, "全区唯一"),
        col(
            "所属区划编码",
            true,
            Ident,
            "行政村、社区或网格；填户编号时须为该户所在单位或其上级",
        ),
        col("户编号", false, Ident, ""),
        col("反映人身份证号", false, IdNumber, ""),
        col(
            "来源",
            false,
            Enum(E::DemandSource),
            "走访收集/来电/来访/网格上报/12345转办/其他",
        ),
        col("类别", false, Enum(E::DemandCategory), "急/难/愁/盼"),
        col("领域", false, Enum(E::DemandField), ""),
        col("内容", true, Multiline, ""),
        col("登记日期", true, Date, ""),
        col(
            "受理日期",
            false,
            Date,
            "状态为待受理以外时必填；不早于登记日期",
        ),
        col("办理时限", false, Date, "为空时按类别的工作日数自动填写"),
        col(
            "状态",
            true,
            Enum(E::DemandStatus),
            "待受理/办理中/已办结/已关闭",
        ),
        col(
            "办结日期",
            false,
            Date,
            "已办结、已关闭时必填，其他状态为空",
        ),
        col("办理结果", false, Enum(E::Outcome), "与办结日期同填"),
        col(
            "满意度",
            false,
            Enum(E::Satisfaction),
            "只随办结日期填写；已关闭时必填且不能为不满意",
        ),
        col("承办单位编码", false, Ident, ""),
        col("承办人身份证号", false, IdNumber, ""),
    ],
    key: &[0],
};

/// The kinds of 经营主体: code and word.
pub const BUSINESS_KINDS: &[(&str, &str)] = &[
    ("cooperative", "农民专业合作社"),
    ("federation", "农民专业合作社联合社"),
    ("family_farm", "家庭农场"),
];
const BUSINESS_KIND_LABELS: &[&str] = &["农民专业合作社", "农民专业合作社联合社", "家庭农场"];

fn business_kind_parse(s: &str) -> Result<&'static str, String> {
    let s = s.trim();
    let word = match s {
        "合作社" | "专业合作社" => "农民专业合作社",
        "联合社" | "合作社联合社" => "农民专业合作社联合社",
        other => other,
    };
    BUSINESS_KINDS
        .iter()
        .find(|(c, l)| *l == word || *c == word)
        .map(|(c, _)| *c)
        .ok_or_else(|| format!("“{s}”不是主体类型（农民专业合作社/农民专业合作社联合社/家庭农场）"))
}

pub static BUSINESSES: Sheet = Sheet {
    id: SheetId::Businesses,
    name: "经营主体",
    columns: &[
        col("统一社会信用代码", true, Ident, "18位，GB 32100，含校验位"),
        col("名称", true, Text, ""),
        col(
            "主体类型",
            true,
            Enum(E::BusinessKind),
            "农民专业合作社/农民专业合作社联合社/家庭农场",
        ),
        col("所在村编码", true, Ident, "行政村或社区"),
        col("法定代表人身份证号", false, IdNumber, "在人员库中时填写"),
        col("法定代表人姓名", false, Name, "不在人员库中时填写"),
        col("登记日期", true, Date, ""),
        col("注销日期", false, Date, "不早于登记日期"),
        col("主要产品", false, Text, "多个以、分隔"),
        col("成员数", false, Ident, "非负整数"),
    ],
    key: &[0],
};

pub static BUSINESS_HOUSEHOLDS: Sheet = Sheet {
    id: SheetId::BusinessHouseholds,
    name: "带动农户",
    columns: &[
        col("统一社会信用代码", true, Ident, "经营主体表或系统中已有"),
        col("户编号", true, Ident, "农户可在任何村"),
        col("开始日期", true, Date, ""),
        col("结束日期", false, Date, "不早于开始日期"),
    ],
    key: &[0, 1, 2],
};

pub static TOURISM_PROJECTS: Sheet = Sheet {
    id: SheetId::TourismProjects,
    name: "乡村旅游项目",
    columns: &[
        col("项目编号", true, Ident, "全区唯一"),
        col("名称", true, Text, ""),
        col("所在村编码", true, Ident, "行政村或社区"),
        col("开始日期", true, Date, "开业或运营开始日期"),
        col("结束日期", false, Date, "停止运营的日期；不早于开始日期"),
        col("简介", false, Multiline, ""),
    ],
    key: &[0],
};

pub static DEGREE_UPGRADES: Sheet = Sheet {
    id: SheetId::DegreeUpgrades,
    name: "学历提升",
    columns: &[
        col("身份证号", true, IdNumber, ""),
        col("所属区划编码", true, Ident, "登记单位，一般为所在村"),
        col("学校", true, Text, ""),
        col("层次", true, Enum(E::Education), "目标学历，如 大学专科"),
        col("入学日期", true, Date, ""),
        col("预计毕业日期", false, Date, "不早于入学日期"),
        col(
            "毕业日期",
            false,
            Date,
            "实际毕业日期；不早于入学日期，填写后在职学历按层次提升",
        ),
    ],
    key: &[0, 2, 4],
};

pub static RESERVE_TALENTS: Sheet = Sheet {
    id: SheetId::ReserveTalents,
    name: "后备人才",
    columns: &[
        col("身份证号", true, IdNumber, ""),
        col("所属区划编码", true, Ident, "储备的村(社区)或乡镇"),
        col("来源", true, Enum(E::TalentSource), "选/招/引/培"),
        col("专长", false, Text, ""),
        col("培养联系人身份证号", false, IdNumber, "导师"),
        with_default(
            "成熟度",
            Enum(E::Readiness),
            "developing",
            "可接任/培养中，默认 培养中",
        ),
        col("入库日期", true, Date, ""),
        col(
            "出库日期",
            false,
            Date,
            "不再在库的第一天（如任职），晚于入库日期",
        ),
        col(
            "出库原因",
            false,
            Enum(E::PoolExit),
            "任职/其他，只随出库日期填写",
        ),
    ],
    key: &[0, 6],
};

/// 培训班 (trainings): docs/workbook-modules.md.
pub static TRAININGS: Sheet = Sheet {
    id: SheetId::Trainings,
    name: "培训班",
    columns: &[
        col("培训编号", true, Ident, "全区唯一"),
        col("主办单位编码", true, Ident, "区、乡镇或村(社区)"),
        col("名称", true, Text, ""),
        col("开始日期", true, Date, "培训人次按开始日期计入时期"),
        col("结束日期", false, Date, "不早于开始日期"),
        col("地点", false, Text, ""),
        col("学时", false, Text, "非负数，最多一位小数"),
    ],
    key: &[0],
};

/// 培训参训 (who attended a training).
pub static TRAINING_ATTENDANCES: Sheet = Sheet {
    id: SheetId::TrainingAttendances,
    name: "培训参训",
    columns: &[
        col("培训编号", true, Ident, "培训班表或系统中的编号"),
        col("身份证号", true, IdNumber, ""),
        col(
            "所属区划编码",
            true,
            Ident,
            "参训记录所属单位，一般为所在村",
        ),
    ],
    key: &[0, 1],
};

/// 实践锻炼 (practice postings of reserve talents).
pub static PRACTICE_POSTINGS: Sheet = Sheet {
    id: SheetId::PracticePostings,
    name: "实践锻炼",
    columns: &[
        col("身份证号", true, IdNumber, "须为后备人才"),
        col("所属区划编码", true, Ident, "记录所属单位，一般为所在村"),
        col("锻炼单位", true, Text, "如 镇党政办"),
        col("岗位", true, Text, ""),
        col("开始日期", true, Date, ""),
        col("结束日期", false, Date, "不早于开始日期"),
    ],
    key: &[0, 2, 4],
};

/// 村务顾问 (advisors attached to a village).
pub static ADVISORS: Sheet = Sheet {
    id: SheetId::Advisors,
    name: "村务顾问",
    columns: &[
        col("身份证号", true, IdNumber, ""),
        col("村编码", true, Ident, "行政村或社区"),
        col(
            "类型",
            true,
            Enum(E::AdvisorKind),
            "老党员/退休干部/乡贤/其他",
        ),
        col("开始日期", true, Date, ""),
        col("结束日期", false, Date, "不再担任的第一天，晚于开始日期"),
    ],
    key: &[0, 1, 3],
};

/// 顾问建议 (advice given by an advisor).
pub static ADVICE: Sheet = Sheet {
    id: SheetId::Advice,
    name: "顾问建议",
    columns: &[
        col("建议编号", true, Ident, "全区唯一"),
        col("村编码", true, Ident, ""),
        col(
            "顾问身份证号",
            true,
            IdNumber,
            "提出日期须为该村在任村务顾问",
        ),
        col("提出日期", true, Date, "不晚于今天"),
        col("事项", true, Text, ""),
        col("内容", false, Multiline, ""),
        with_default("是否采纳", Bool, "0", "是/否，默认 否"),
    ],
    key: &[0],
};

/// 书记年度考核 (annual reviews and pay grades of village secretaries, 专业化管理).
pub static SECRETARY_REVIEWS: Sheet = Sheet {
    id: SheetId::SecretaryReviews,
    name: "书记年度考核",
    columns: &[
        col("身份证号", true, IdNumber, "当年曾任该村党组织书记"),
        col("村编码", true, Ident, ""),
        col("年度", true, Ident, "四位年份，不晚于今年"),
        col(
            "考核结果",
            true,
            Enum(E::ReviewResult),
            "优秀/称职/基本称职/不称职",
        ),
        col("报酬等级", false, Text, "如 二级"),
    ],
    key: &[0, 2],
};

/// 实事 (practical projects): docs/workbook-modules.md.
pub static PRACTICAL_PROJECTS: Sheet = Sheet {
    id: SheetId::PracticalProjects,
    name: "实事",
    columns: &[
        col("实事编号", true, Ident, "全区唯一"),
        col("村编码", true, Ident, "行政村或社区"),
        col("名称", true, Text, ""),
        col("投资金额", false, Text, "万元，最多两位小数"),
        col("受益人数", false, Text, "非负整数"),
        col("状态", true, Enum(E::ProjectStatus), "计划/实施中/已完成"),
        col("开工日期", false, Date, "实施中、已完成时必填"),
        col("完成日期", false, Date, "已完成时必填，其他状态为空"),
    ],
    key: &[0],
};

/// 整顿 (rectification cases of weak party orgs, 软弱涣散).
pub static RECTIFICATIONS: Sheet = Sheet {
    id: SheetId::Rectifications,
    name: "整顿",
    columns: &[
        col("整顿编号", true, Ident, "全区唯一"),
        col("组织编码", true, Ident, "被认定为软弱涣散的党组织"),
        col("认定日期", true, Date, ""),
        col("软弱涣散原因", true, Text, ""),
        col("验收销号日期", false, Date, "所有问题均已解决后才能填写"),
    ],
    key: &[0],
};

/// 整顿问题 (the problems of a rectification case).
pub static RECTIFICATION_PROBLEMS: Sheet = Sheet {
    id: SheetId::RectificationProblems,
    name: "整顿问题",
    columns: &[
        col("整顿编号", true, Ident, "整顿表或系统中的编号"),
        col("问题序号", true, Ident, "案内唯一，如 1"),
        col("问题", true, Text, ""),
        col("整改措施", false, Text, ""),
        col("责任人", false, Name, ""),
        col("整改时限", false, Date, "不早于认定日期"),
        col("解决日期", false, Date, "不早于认定日期，不晚于今天"),
    ],
    key: &[0, 1],
};

/// 荣誉 (honours: 好支书, 带富致富先锋).
pub static HONORS: Sheet = Sheet {
    id: SheetId::Honors,
    name: "荣誉",
    columns: &[
        col("荣誉编号", true, Ident, "全区唯一"),
        col("荣誉类型", true, Enum(E::HonorKind), "好支书/带富致富先锋"),
        col("身份证号", true, IdNumber, ""),
        col("所属区划编码", true, Ident, "记录所属单位"),
        col(
            "状态",
            true,
            Enum(E::HonorStatus),
            "提名/审核通过/公示/已授予/未通过",
        ),
        col("提名日期", true, Date, ""),
        col("公示开始日期", false, Date, "公示、已授予时必填"),
        col(
            "公示结束日期",
            false,
            Date,
            "与公示开始日期同填，不早于开始日期",
        ),
        col("授予日期", false, Date, "已授予时必填，不早于公示结束日期"),
    ],
    key: &[0],
};

/// 示范点 (party-building demonstration sites).
pub static MODEL_SITES: Sheet = Sheet {
    id: SheetId::ModelSites,
    name: "示范点",
    columns: &[
        col("示范点编号", true, Ident, "全区唯一"),
        col("名称", true, Text, ""),
        col("所属区划编码", true, Ident, "乡镇、村(社区)"),
        col("命名日期", true, Date, ""),
        col("撤销日期", false, Date, "有效期满或撤销后的第一天"),
    ],
    key: &[0],
};

/// 达标评定 (assessments of a party org against the branch standard, 党支部标准化).
pub static ASSESSMENTS: Sheet = Sheet {
    id: SheetId::Assessments,
    name: "达标评定",
    columns: &[
        col("评定编号", true, Ident, "全区唯一"),
        col("组织编码", true, Ident, "被评定的党组织"),
        col("评定日期", true, Date, "不晚于今天"),
        col("结果", true, Enum(E::AssessmentResult), "示范/达标/未达标"),
        col("得分", false, Text, "0至100，最多两位小数"),
        col("评定人", false, Text, ""),
    ],
    key: &[0],
};

/// Every sheet in the order they are imported (references point backwards).
pub static SHEETS: &[&Sheet] = &[
    &ORG_UNITS,
    &HOUSEHOLDS,
    &PEOPLE,
    &PARTY_ORGS,
    &PARTY_MEMBERS,
    &CADRES,
    &WORK_TEAMS,
    &TEAM_MEMBERS,
    &VILLAGE_CONTACTS,
    &STATIONINGS,
    &GRID_DUTIES,
    &HOUSEHOLD_LINKS,
    &VISITS,
    &DEMANDS,
    &PRACTICAL_PROJECTS,
    &RECTIFICATIONS,
    &RECTIFICATION_PROBLEMS,
    &HONORS,
    &MODEL_SITES,
    &ASSESSMENTS,
    &BRANCH_STANDARDS,
    &STANDARD_SECTIONS,
    &STANDARD_CRITERIA,
    &ASSESSMENT_SCORES,
    &HONOR_OBJECTIONS,
    &CONTESTS,
    &CONTEST_CRITERIA,
    &CONTESTANTS,
    &CONTEST_JUDGES,
    &CONTEST_SCORES,
    &DEGREE_UPGRADES,
    &RESERVE_TALENTS,
    &TRAININGS,
    &TRAINING_ATTENDANCES,
    &PRACTICE_POSTINGS,
    &ADVISORS,
    &ADVICE,
    &SECRETARY_REVIEWS,
    &BUSINESSES,
    &BUSINESS_HOUSEHOLDS,
    &TOURISM_PROJECTS,
    &AGRI_PARKS,
    &TECH_PARTNERSHIPS,
    &BRANDS,
    &GEO_PRODUCTS,
    &GEO_REGISTRATIONS,
    &LAW_OUTREACH_EVENTS,
    &CIVILITY_EVENTS,
    &CANVASS_ROUNDS,
    &DISPUTES,
    &DISPUTE_PARTIES,
    &MEDIATION_SESSIONS,
    &STUDY_SESSIONS,
    &SUPERVISION_FINDINGS,
    &EXEMPLARS,
];

/// The sheet with this name, if it is one of ours.
pub fn by_name(name: &str) -> Option<&'static Sheet> {
    SHEETS.iter().copied().find(|s| s.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sheet_has_its_key_columns_required_and_unique_headers() {
        for s in SHEETS {
            for k in s.key {
                assert!(
                    s.columns[*k].required,
                    "{} key column {}",
                    s.name, s.columns[*k].header
                );
            }
            let mut h: Vec<_> = s.columns.iter().map(|c| c.header).collect();
            h.sort();
            h.dedup();
            assert_eq!(h.len(), s.columns.len(), "{}", s.name);
        }
    }

    #[test]
    fn enum_words_round_trip_through_codes() {
        for kind in [
            E::OrgKind,
            E::Education,
            E::Relation,
            E::CadreCategory,
            E::Ethnicity,
        ] {
            for word in kind.labels() {
                let code = kind.parse(word).unwrap();
                assert_eq!(kind.label(code), Some(*word));
            }
        }
        assert_eq!(E::Education.parse("大专"), Ok("junior_college"));
    }
}

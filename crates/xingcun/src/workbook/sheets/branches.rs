//! The sheets of branch work added to 实事 … 达标评定 (docs/workbook-modules.md): the configurable
//! branch standard (达标标准, 标准分项, 标准指标) and the scores of an assessment (达标评分),
//! objections to an honour (荣誉异议), and contests of branch secretaries (擂台赛, 擂台赛指标,
//! 擂台赛选手, 擂台赛评委, 擂台赛评分). Their rules are in `workbook/check/branches.rs`.

use super::EnumKind as E;
use super::Kind::*;
use super::{Column, Sheet, SheetId, col, with_default};

const fn sheet(
    id: SheetId,
    name: &'static str,
    columns: &'static [Column],
    key: &'static [usize],
) -> Sheet {
    Sheet {
        id,
        name,
        columns,
        key,
    }
}

/// 达标标准: a version of the branch standard.
pub static BRANCH_STANDARDS: Sheet = sheet(
    SheetId::BranchStandards,
    "达标标准",
    &[
        col("标准编号", true, Ident, "全区唯一，如 BZ2024"),
        col("名称", true, Text, ""),
        col(
            "启用日期",
            true,
            Date,
            "此日及以后的评定按本标准（取启用日期最晚者）",
        ),
        col("达标分", true, Text, "总分不低于此分为达标"),
        col("示范分", false, Text, "总分不低于此分为示范"),
        col(
            "复评周期",
            true,
            Ident,
            "月数：最近一次评定满此月数后应复评",
        ),
    ],
    &[0],
);

/// 标准分项: a section of a standard (e.g. 五个精准, 四个一).
pub static STANDARD_SECTIONS: Sheet = sheet(
    SheetId::StandardSections,
    "标准分项",
    &[
        col("分项编码", true, Ident, "全区唯一，如 BZ2024-2"),
        col("标准编号", true, Ident, "达标标准表或系统中已有"),
        col("分项序号", true, Ident, "标准内的顺序"),
        col("名称", true, Text, "如 五个精准、四个一"),
        col("说明", false, Text, ""),
    ],
    &[0],
);

/// 标准指标: a criterion of a section, with its points and the evidence it needs.
pub static STANDARD_CRITERIA: Sheet = sheet(
    SheetId::StandardCriteria,
    "标准指标",
    &[
        col("指标编码", true, Ident, "全区唯一，如 BZ2024-2-1"),
        col("分项编码", true, Ident, "标准分项表或系统中已有"),
        col("指标序号", true, Ident, "分项内的顺序"),
        col("内容", true, Text, ""),
        col("分值", true, Text, "大于0，最多两位小数"),
        col("佐证要求", false, Text, "评定时应查看的材料"),
    ],
    &[0],
);

/// 达标评分: the score of one criterion in one assessment.
pub static ASSESSMENT_SCORES: Sheet = sheet(
    SheetId::AssessmentScores,
    "达标评分",
    &[
        col("评定编号", true, Ident, "达标评定表或系统中已有"),
        col("指标编码", true, Ident, "评定日期适用的标准中的指标"),
        col("得分", true, Text, "0至该指标分值，最多两位小数"),
        col("佐证", false, Text, "查看的材料"),
    ],
    &[0, 1],
);

/// 荣誉异议: an objection lodged during an honour's public notice.
pub static HONOR_OBJECTIONS: Sheet = sheet(
    SheetId::HonorObjections,
    "荣誉异议",
    &[
        col("荣誉编号", true, Ident, "荣誉表或系统中已有"),
        col("异议序号", true, Ident, "荣誉内唯一，如 1"),
        col("提出日期", true, Date, "在公示期内，不晚于今天"),
        col("提出人", true, Text, "姓名或单位"),
        col("内容", true, Multiline, ""),
        col("处理结果", false, Text, "与处理日期同填"),
        col(
            "处理日期",
            false,
            Date,
            "不早于提出日期；未处理的异议使荣誉不能授予",
        ),
    ],
    &[0, 1],
);

/// 擂台赛: a contest of branch secretaries.
pub static CONTESTS: Sheet = sheet(
    SheetId::Contests,
    "擂台赛",
    &[
        col("赛事编号", true, Ident, "全区唯一"),
        col("名称", true, Text, ""),
        col("比赛日期", true, Date, ""),
        col("主办单位编码", true, Ident, "区或乡镇"),
        with_default(
            "去掉最高最低分",
            Bool,
            "0",
            "是/否，默认 否；是：评委不少于3人时去掉一个最高和一个最低总分",
        ),
        col("状态", true, Enum(E::ContestStatus), "筹备/评分中/已公布"),
    ],
    &[0],
);

/// 擂台赛指标: a criterion of a contest with its maximum.
pub static CONTEST_CRITERIA: Sheet = sheet(
    SheetId::ContestCriteria,
    "擂台赛指标",
    &[
        col("赛事编号", true, Ident, "擂台赛表或系统中已有"),
        col("指标序号", true, Ident, "赛事内唯一，如 1"),
        col("名称", true, Text, "如 述职演讲"),
        col("满分", true, Text, "大于0，最多两位小数"),
    ],
    &[0, 1],
);

/// 擂台赛选手: a branch secretary competing, with the village of the branch.
pub static CONTESTANTS: Sheet = sheet(
    SheetId::Contestants,
    "擂台赛选手",
    &[
        col("赛事编号", true, Ident, "擂台赛表或系统中已有"),
        col("身份证号", true, IdNumber, "人员库中已有"),
        col("村编码", true, Ident, "选手任书记的行政村或社区"),
    ],
    &[0, 1],
);

/// 擂台赛评委: a judge, by the account that enters the scores.
pub static CONTEST_JUDGES: Sheet = sheet(
    SheetId::ContestJudges,
    "擂台赛评委",
    &[
        col("赛事编号", true, Ident, "擂台赛表或系统中已有"),
        col("评委账号", true, Ident, "系统中的用户名"),
        col("姓名", true, Name, ""),
    ],
    &[0, 1],
);

/// 擂台赛评分: one judge's score of one contestant on one criterion.
pub static CONTEST_SCORES: Sheet = sheet(
    SheetId::ContestScores,
    "擂台赛评分",
    &[
        col("赛事编号", true, Ident, "状态为评分中的赛事"),
        col("评委账号", true, Ident, "该赛事的评委"),
        col("选手身份证号", true, IdNumber, "该赛事的选手"),
        col("指标序号", true, Ident, "该赛事的指标"),
        col("得分", true, Text, "0至满分，最多两位小数"),
    ],
    &[0, 1, 2, 3],
);

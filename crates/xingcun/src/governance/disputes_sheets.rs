//! The workbook sheets of 矛盾纠纷排查化解 (docs/workbook-modules.md): 排查, 矛盾纠纷, 纠纷当事人,
//! 调解记录. `workbook::sheets::SHEETS` lists them; their rules are in
//! `workbook/check/disputes.rs`, their storage in `workbook/outreach.rs`.

use super::disputes::{KINDS, OUTCOMES, RISKS, ROLES, STATUSES};
use crate::workbook::sheets::{Column, EnumKind, Kind, Sheet, SheetId};

const fn col(header: &'static str, required: bool, kind: Kind, note: &'static str) -> Column {
    Column {
        header,
        required,
        kind,
        default: None,
        note,
    }
}

use Kind::*;

/// 排查 (canvassing rounds).
pub static CANVASS_ROUNDS: Sheet = Sheet {
    id: SheetId::CanvassRounds,
    name: "排查",
    columns: &[
        col("排查编号", true, Ident, "全区唯一"),
        col("排查单位编码", true, Ident, "乡镇(街道)或村(社区)"),
        col("排查日期", true, Date, "不晚于今天"),
        col("牵头人", false, Name, ""),
        col("情况记录", false, Multiline, ""),
    ],
    key: &[0],
};

/// 矛盾纠纷 (disputes).
pub static DISPUTES: Sheet = Sheet {
    id: SheetId::Disputes,
    name: "矛盾纠纷",
    columns: &[
        col("纠纷编号", true, Ident, "全区唯一"),
        col("村编码", true, Ident, "行政村或社区"),
        col("发现日期", true, Date, "不晚于今天"),
        col(
            "排查编号",
            false,
            Ident,
            "发现该纠纷的排查；其单位须包含本村，日期不晚于发现日期",
        ),
        col(
            "纠纷类型",
            true,
            Enum(EnumKind::Words(&KINDS)),
            "婚姻家庭/邻里/土地承包/宅基地/山林水利/劳资/征地拆迁/其他",
        ),
        col(
            "风险等级",
            true,
            Enum(EnumKind::Words(&RISKS)),
            "低/中/高；高风险即时上报乡镇",
        ),
        col("简要情况", true, Multiline, ""),
        col("调解员身份证号", false, IdNumber, "人员表或系统中的人员"),
        col(
            "状态",
            true,
            Enum(EnumKind::Words(&STATUSES)),
            "待调解/调解中/已办结",
        ),
        col(
            "办结日期",
            false,
            Date,
            "已办结时必填，其他状态为空；不早于发现日期",
        ),
        col(
            "调处结果",
            false,
            Enum(EnumKind::Words(&OUTCOMES)),
            "与办结日期同填：调解成功/调解不成/转诉讼/转仲裁/转信访/其他",
        ),
        col("协议内容", false, Multiline, "仅调解成功时填写调解协议"),
    ],
    key: &[0],
};

/// 纠纷当事人 (parties; 身份证号 and 联系电话 are sealed at rest).
pub static DISPUTE_PARTIES: Sheet = Sheet {
    id: SheetId::DisputeParties,
    name: "纠纷当事人",
    columns: &[
        col("纠纷编号", true, Ident, "矛盾纠纷表或系统中的编号"),
        col("当事人序号", true, Ident, "纠纷内唯一，如 1"),
        col("姓名", true, Name, ""),
        col("身份证号", false, IdNumber, "18位，单元格须为文本格式"),
        col("联系电话", false, Ident, "手机或 区号-号码"),
        col(
            "当事人类型",
            true,
            Enum(EnumKind::Words(&ROLES)),
            "申请方/被申请方",
        ),
    ],
    key: &[0, 1],
};

/// 调解记录 (mediation sessions).
pub static MEDIATION_SESSIONS: Sheet = Sheet {
    id: SheetId::MediationSessions,
    name: "调解记录",
    columns: &[
        col("纠纷编号", true, Ident, "矛盾纠纷表或系统中的编号"),
        col("调解序号", true, Ident, "纠纷内唯一，如 1"),
        col("调解日期", true, Date, "不早于发现日期，不晚于今天"),
        col("调解地点", false, Text, ""),
        col("调解员身份证号", false, IdNumber, "人员表或系统中的人员"),
        col("情况记录", false, Multiline, ""),
    ],
    key: &[0, 1],
};

//! The interface's words in Chinese (the default) and English. Templates call `t("key")`;
//! a missing key shows the key itself, and a test checks every key used in a template exists.

/// The interface language, from the `xc_lang` cookie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn from_cookie(v: Option<&str>) -> Lang {
        match v {
            Some("en") => Lang::En,
            _ => Lang::Zh,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

/// (key, Chinese, English)
pub const MESSAGES: &[(&str, &str, &str)] = &[
    ("app.name", "兴村", "Xingcun"),
    (
        "app.title",
        "党建引领乡村振兴工作平台",
        "Party-building-led Rural Revitalisation Platform",
    ),
    ("nav.home", "首页", "Home"),
    ("nav.registry", "基础台账", "Registry"),
    ("nav.org_units", "行政区划", "Org units"),
    ("nav.households", "农户", "Households"),
    ("nav.people", "人员", "People"),
    ("nav.party_orgs", "党组织", "Party organisations"),
    ("nav.party_members", "党员", "Party members"),
    ("nav.cadres", "干部", "Cadres"),
    ("nav.imports", "台账导入导出", "Workbook import / export"),
    ("nav.line1", "筑先锋堡垒", "Strong party branches"),
    ("nav.line2", "抓队伍建设", "Cadre pipeline"),
    ("nav.line3", "做强产业支撑", "Industry"),
    ("nav.line4", "深化社会治理", "Social governance"),
    ("nav.line5", "强化作风建设", "Work style"),
    ("nav.indicators", "指标总览", "Indicators"),
    ("nav.village_cadres", "村干部队伍", "Village cadres"),
    ("nav.secretaries", "村党组织书记", "Village secretaries"),
    ("nav.system", "系统管理", "System"),
    ("nav.users", "用户管理", "Users"),
    ("nav.audit", "操作审计", "Audit trail"),
    ("nav.api", "接口文档", "API"),
    ("nav.about", "关于", "About"),
    ("nav.password", "修改密码", "Change password"),
    ("nav.logout", "退出登录", "Sign out"),
    ("nav.menu", "菜单", "Menu"),
    ("nav.lang_switch", "English", "中文"),
    ("login.title", "用户登录", "Sign in"),
    ("login.username", "用户名", "Username"),
    ("login.password", "密码", "Password"),
    ("login.submit", "登录", "Sign in"),
    (
        "login.failed",
        "用户名或密码错误",
        "Wrong username or password",
    ),
    ("common.search", "查询", "Search"),
    ("common.reset", "重置", "Reset"),
    ("common.export", "导出Excel", "Export to Excel"),
    ("common.save", "保存", "Save"),
    ("common.cancel", "取消", "Cancel"),
    ("common.edit", "编辑", "Edit"),
    ("common.view", "查看", "View"),
    ("common.new", "新增", "New"),
    ("common.actions", "操作", "Actions"),
    ("common.empty", "暂无数据", "No records"),
    ("common.total", "共", "Total"),
    ("common.items", "条", "records"),
    ("common.page", "页", "page"),
    ("common.prev", "上一页", "Previous"),
    ("common.next", "下一页", "Next"),
    ("common.keyword", "关键字", "Keyword"),
    ("common.all", "全部", "All"),
    ("common.yes", "是", "Yes"),
    ("common.no", "否", "No"),
    ("common.back", "返回", "Back"),
    ("common.detail", "详情", "Details"),
    ("common.saved", "已保存", "Saved"),
    (
        "common.form_errors",
        "请修改标出的错误后重新提交",
        "Please correct the marked fields",
    ),
    ("org.code", "区划代码", "Code"),
    ("org.name", "名称", "Name"),
    ("org.kind", "类型", "Type"),
    ("org.parent", "上级", "Parent"),
    ("org.children", "下级单位", "Sub-units"),
    ("org.revoked_on", "撤销日期", "Revoked on"),
    ("org.tree", "区划树", "Org tree"),
    ("registry.household_no", "户编号", "Household no."),
    ("registry.head", "户主", "Head of household"),
    ("registry.org", "所属区划", "Org unit"),
    ("registry.group", "村民小组", "Villagers' group"),
    ("registry.address", "地址", "Address"),
    ("registry.phone", "联系电话", "Phone"),
    ("registry.residence", "常住状态", "Residence"),
    ("registry.household_kind", "户类型", "Household type"),
    ("registry.monitor_type", "监测对象类型", "Monitoring type"),
    ("registry.member_count", "人口", "Members"),
    ("registry.members", "家庭成员", "Household members"),
    ("registry.deregistered_on", "注销日期", "Deregistered on"),
    (
        "registry.form_note",
        "带 * 的为必填项。保存时按台账导入的全部规则检查，有问题时不写入任何数据。",
        "Fields marked * are required. Saving checks every rule of the workbook import; with any problem nothing is written.",
    ),
    (
        "registry.form_key_locked",
        "编号类字段不能在此修改，如需更改请使用专门的命令。",
        "Key fields cannot be changed here; a dedicated command changes them.",
    ),
    (
        "registry.form_stale",
        "该记录在您编辑期间已被他人修改，本次修改未保存。请重新打开编辑页，在最新内容上修改。",
        "Someone changed this record while you were editing it; your changes were not saved. Reopen the form and edit the current version.",
    ),
    ("registry.form_reload", "重新打开编辑页", "Reopen the form"),
    ("person.id_number", "身份证号", "ID number"),
    ("person.sex", "性别", "Sex"),
    ("person.birth_date", "出生日期", "Date of birth"),
    ("person.ethnicity", "民族", "Ethnicity"),
    ("person.political_status", "政治面貌", "Political status"),
    ("person.edu_full_time", "全日制学历", "Full-time education"),
    ("person.edu_in_service", "在职学历", "In-service education"),
    ("person.highest_education", "最高学历", "Highest education"),
    ("person.household", "所在户", "Household"),
    ("person.deregistered", "已注销", "Deregistered"),
    ("person.party", "党员信息", "Party membership"),
    ("person.no_membership", "无党员记录", "No party membership"),
    ("person.posts", "任职情况", "Posts"),
    (
        "people.search_note",
        "可按姓名、全拼（如 zhangsan）、首字母（如 zs）、户编号查询，也可输入完整的身份证号或联系电话精确查找；号码不会出现在网址中。",
        "Search by name, full pinyin (zhangsan), initials (zs) or household number, or find a person by a whole ID or phone number; numbers never appear in the address.",
    ),
    ("party.code", "组织编码", "Code"),
    ("party.kind", "类型", "Type"),
    ("party.parent", "上级组织", "Parent organisation"),
    ("party.org", "所在区划", "Org unit"),
    ("party.org_name", "所在党组织", "Party organisation"),
    ("party.children", "下级党组织", "Subordinate organisations"),
    ("party.members", "党员", "Members"),
    ("party.member_count", "党员数", "Members"),
    ("party.probationary", "其中预备党员", "Of whom probationary"),
    ("party.category", "党员类别", "Category"),
    ("party.joined_on", "入党日期", "Joined on"),
    ("party.confirmed_on", "转正日期", "Full membership on"),
    ("party.status", "党员状态", "Status"),
    ("party.left_on", "离开日期", "Left on"),
    ("user.username", "用户名", "Username"),
    ("user.display_name", "姓名", "Name"),
    ("user.role", "角色", "Role"),
    ("user.org", "所属单位", "Org unit"),
    ("user.status", "状态", "Status"),
    ("user.active", "正常", "Active"),
    ("user.disabled", "已停用", "Disabled"),
    ("user.disable", "停用", "Disable"),
    ("user.enable", "启用", "Enable"),
    ("user.password", "初始密码", "Initial password"),
    ("user.new", "新增用户", "New user"),
    ("user.edit", "编辑用户", "Edit user"),
    ("password.current", "当前密码", "Current password"),
    ("password.new", "新密码", "New password"),
    ("password.confirm", "确认新密码", "Confirm new password"),
    (
        "password.must_change",
        "首次登录或密码已过期，请先修改密码",
        "Please change your password before continuing",
    ),
    (
        "password.rules",
        "至少8位，包含大写字母、小写字母、数字、符号中的至少三类",
        "At least 8 characters from 3 of: upper case, lower case, digits, symbols",
    ),
    ("imports.template", "下载模板", "Download the template"),
    (
        "imports.template_note",
        "空白工作簿：每个工作表的列名、填写说明和下拉选项。",
        "An empty workbook: every sheet's columns, notes and drop-down lists.",
    ),
    ("imports.export", "导出", "Export"),
    (
        "imports.export_note",
        "导出本单位及下级单位的全部台账，可修改后再导入。文件含完整身份证号和联系电话，请妥善保管。",
        "Every sheet of your unit and the units below it, ready to edit and import again. The file holds whole ID and phone numbers: keep it safe.",
    ),
    (
        "imports.export_forbidden",
        "导出的台账含完整身份证号，您的角色不能导出。",
        "The export holds whole ID numbers; your role cannot export.",
    ),
    ("imports.upload", "上传导入", "Upload and import"),
    ("imports.file", "工作簿文件（.xlsx）", "Workbook (.xlsx)"),
    (
        "imports.check_only",
        "仅检查，不导入",
        "Check only, do not import",
    ),
    ("imports.submit", "上传并检查", "Upload and check"),
    (
        "imports.upload_note",
        "上传后先检查全部内容：有问题时列出每一个问题，不写入任何数据；没有问题时显示将新增、更新的记录数，确认后才导入。只能导入本单位及下级单位的记录。",
        "The whole workbook is checked first: every problem is listed and nothing is written; without problems you see what would be added and updated, and nothing is written until you confirm. Only records of your unit and the units below it can be imported.",
    ),
    ("imports.scope", "导入范围", "Import scope"),
    ("imports.limit", "文件大小上限", "Size limit"),
    (
        "imports.read_only",
        "您的角色只能查看，不能导入台账。",
        "Your role can read but not import.",
    ),
    ("imports.found", "发现", "Found"),
    (
        "imports.nothing_written",
        "个问题，未写入任何数据。",
        "problems; nothing was written.",
    ),
    (
        "imports.fix_and_retry",
        "请按下表逐一修改后重新上传。也可下载文件副本，其中有问题的单元格已标出并附批注。",
        "Correct each problem below and upload again. The copy of your file has each problem's cell marked and commented.",
    ),
    (
        "imports.marked",
        "下载标注问题的文件",
        "Download the marked copy",
    ),
    (
        "imports.checked",
        "检查通过，没有发现问题（仅检查，未写入任何数据）。",
        "Checked: no problems (check only; nothing was written).",
    ),
    (
        "imports.preview",
        "检查通过，没有发现问题。确认导入后将写入以下变更（全部写入或全部不写入）：",
        "Checked: no problems. Confirming writes these changes, all or nothing:",
    ),
    ("imports.confirm", "确认导入", "Import"),
    ("imports.done", "导入完成。", "Imported."),
    ("imports.sheet", "工作表", "Sheet"),
    ("imports.inserted", "新增", "Added"),
    ("imports.updated", "更新", "Updated"),
    ("imports.unchanged", "未变", "Unchanged"),
    (
        "imports.back",
        "返回台账导入导出",
        "Back to import / export",
    ),
    ("imports.file_name", "文件", "File"),
    ("about.version", "版本", "Version"),
    ("about.database", "数据库", "Database"),
    ("dashboard.title", "工作台", "Dashboard"),
    ("dashboard.welcome", "欢迎使用", "Welcome to"),
    ("indicators.as_of", "统计时点", "As of"),
    ("indicators.period", "统计时期", "Period"),
    (
        "indicators.scope_note",
        "统计范围为本单位及全部下级单位。点击数字查看名单。",
        "Counts cover this unit and every unit under it. Click a figure for its list.",
    ),
    ("indicators.numerator", "分子", "Numerator"),
    ("indicators.denominator", "分母", "Denominator"),
    ("indicators.value", "指标值", "Value"),
    ("indicators.kind", "类型", "Kind"),
    ("indicators.definition", "口径", "Definition"),
    ("error.title", "出错了", "Something went wrong"),
    ("error.back_home", "返回首页", "Back to home"),
];

/// Looks a key up in the given language.
pub fn translate(lang: Lang, key: &str) -> String {
    MESSAGES
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, zh, en)| match lang {
            Lang::Zh => *zh,
            Lang::En => *en,
        })
        .unwrap_or(key)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_the_default_and_english_is_a_switch() {
        assert_eq!(Lang::from_cookie(None), Lang::Zh);
        assert_eq!(translate(Lang::Zh, "login.submit"), "登录");
        assert_eq!(
            translate(Lang::from_cookie(Some("en")), "login.submit"),
            "Sign in"
        );
    }

    #[test]
    fn message_keys_are_unique() {
        let mut keys: Vec<_> = MESSAGES.iter().map(|m| m.0).collect();
        keys.sort();
        let n = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), n);
    }
}

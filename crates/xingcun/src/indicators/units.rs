//! What a drill-down row is ([`Unit`]: a person, a village) and how the records behind it are
//! shown ([`Records`]: posts, college-educated cadres). A population names one of each; a new
//! kind of row (a household, a work team) is one more constant here.

use chrono::NaiveDate;
use sqlx::Row;
use sqlx::any::AnyRow;
use xingcun_domain::age_at;
use xingcun_domain::division::OrgKind;
use xingcun_domain::enums::{Education, Sex, VillagePost};

use crate::scope::Scope;
use crate::web::list::Cell;

/// The key of a counted thing: a row id (people) or a code (org units).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SubjectKey {
    Id(i64),
    Code(String),
}

/// What a row needs besides its columns: D for ages, the viewer's scope for links.
#[derive(Debug, Clone)]
pub struct RowCtx {
    pub as_of: NaiveDate,
    pub scope: Scope,
}

/// A kind of drill-down row.
#[derive(Debug)]
pub struct Unit {
    /// The counting word: 人, 个.
    pub noun: &'static str,
    pub columns: &'static [&'static str],
    /// `SELECT <key>, … WHERE <key> IN (SELECT s.subject FROM ({population}) s) ORDER BY …`; the
    /// key is column 0, `{population}` is replaced by the population's SQL.
    pub sql: &'static str,
    pub key: fn(&AnyRow) -> Result<SubjectKey, sqlx::Error>,
    pub row: fn(&AnyRow, &RowCtx) -> Result<Vec<Cell>, sqlx::Error>,
}

/// The records behind each counted thing, shown in one column of its row.
#[derive(Debug)]
pub struct Records {
    pub heading: &'static str,
    /// `SELECT s.subject, … FROM ({population}) s JOIN … ON … = s.record` with no WHERE: the
    /// drill-down adds the page's subjects and `ORDER BY` [`Records::order`].
    pub sql: &'static str,
    pub order: &'static str,
    /// One record as text, from columns 1 onwards.
    pub describe: fn(&AnyRow) -> Result<String, sqlx::Error>,
}

fn post_label(code: &str) -> String {
    VillagePost::from_code(code)
        .map(|p| p.label().to_string())
        .unwrap_or_else(|| code.to_string())
}

fn highest_education(full_time: Option<String>, in_service: Option<String>) -> Option<Education> {
    Education::highest(
        full_time.as_deref().and_then(Education::from_code),
        in_service.as_deref().and_then(Education::from_code),
    )
}

/// People: one row per person, with their age at D (the value a mean age is taken over).
pub static PERSON: Unit = Unit {
    noun: "人",
    columns: &[
        "姓名",
        "身份证号",
        "性别",
        "出生日期",
        "年龄（周岁）",
        "最高学历",
    ],
    sql: "SELECT p.id, p.name, p.id_masked, p.sex, p.birth_date, p.edu_full_time, p.edu_in_service,
                 p.org_code
          FROM person p WHERE p.id IN (SELECT s.subject FROM ({population}) s)
          ORDER BY p.org_code, p.name_pinyin, p.id",
    key: |r| Ok(SubjectKey::Id(r.try_get(0)?)),
    row: |r, ctx| {
        let id: i64 = r.try_get(0)?;
        let name: String = r.try_get(1)?;
        let sex: String = r.try_get(3)?;
        let birth: String = r.try_get(4)?;
        let org: String = r.try_get(7)?;
        let age = NaiveDate::parse_from_str(&birth, "%Y-%m-%d")
            .map(|b| Cell::Int(i64::from(age_at(b, ctx.as_of))))
            .unwrap_or(Cell::Empty);
        let name = if ctx.scope.contains(&org) {
            Cell::link(name, format!("/people/{id}"))
        } else {
            Cell::Text(name)
        };
        Ok(vec![
            name,
            Cell::Text(r.try_get(2)?),
            Cell::text(Sex::from_code(&sex).map_or(sex.clone(), |s| s.label().to_string())),
            Cell::Text(birth),
            age,
            Cell::opt(highest_education(r.try_get(5)?, r.try_get(6)?).map(|e| e.label().into())),
        ])
    },
};

/// Villages (行政村 and 社区): one row per village.
pub static VILLAGE: Unit = Unit {
    noun: "个",
    columns: &["区划代码", "名称", "类型", "所属乡镇（街道）"],
    sql: "SELECT o.code, o.name, o.kind, t.name
          FROM org_unit o LEFT JOIN org_unit t ON t.code = o.parent_code
          WHERE o.code IN (SELECT s.subject FROM ({population}) s)
          ORDER BY o.code",
    key: |r| Ok(SubjectKey::Code(r.try_get(0)?)),
    row: |r, ctx| {
        let code: String = r.try_get(0)?;
        let name: String = r.try_get(1)?;
        let kind: String = r.try_get(2)?;
        let name = if ctx.scope.contains(&code) {
            Cell::link(name, format!("/org-units/{code}"))
        } else {
            Cell::Text(name)
        };
        Ok(vec![
            Cell::Text(code),
            name,
            Cell::text(OrgKind::from_code(&kind).map_or(kind.clone(), |k| k.label().to_string())),
            Cell::opt(r.try_get(3)?),
        ])
    },
};

/// A person's posts behind the figure: 王家庄村 党组织书记（2021-01-05 起）.
pub static POSTS: Records = Records {
    heading: "在任职务",
    sql: "SELECT s.subject, o.name, c.post, c.starts_on, c.professional
          FROM ({population}) s
          JOIN cadre_post c ON c.id = s.record
          JOIN org_unit o ON o.code = c.org_code",
    order: "c.org_code, c.starts_on, c.id",
    describe: |r| {
        let village: String = r.try_get(1)?;
        let post: String = r.try_get(2)?;
        let since: String = r.try_get(3)?;
        let professional = r.try_get::<i64, _>(4)? != 0;
        let extra = if professional {
            "，专业化管理"
        } else {
            ""
        };
        Ok(format!(
            "{village} {}（{since} 起{extra}）",
            post_label(&post)
        ))
    },
};

/// A village's cadres behind the figure: 张三 党组织书记（大学本科）.
pub static COLLEGE_CADRES: Records = Records {
    heading: "大学生村干部",
    sql: "SELECT s.subject, p.name, c.post, p.edu_full_time, p.edu_in_service
          FROM ({population}) s
          JOIN cadre_post c ON c.id = s.record
          JOIN person p ON p.id = c.person_id",
    order: "p.name_pinyin, c.id",
    describe: |r| {
        let name: String = r.try_get(1)?;
        let post: String = r.try_get(2)?;
        let edu = highest_education(r.try_get(3)?, r.try_get(4)?)
            .map(Education::label)
            .unwrap_or("");
        Ok(format!("{name} {}（{edu}）", post_label(&post)))
    },
};

//! 一、筑先锋堡垒: the branch-work populations (实事, 整顿 and its problems, 示范点, 荣誉).
//! A practical project, a demonstration site and an honour are in scope by their own unit; a
//! rectification case and its problems by the party org's 所在区划. Period populations take
//! `$3` F and `$4` T, `branches.model_sites` takes `$3` D.

use sqlx::Row;
use xingcun_domain::enums::{AssessmentResult, HonorKind, ProjectStatus};

use super::units::{PERSON, Records, SubjectKey, Unit};
use super::{Population, Timing};
use crate::web::list::Cell;

fn opt(v: Option<String>) -> Cell {
    v.map_or(Cell::Empty, Cell::Text)
}

/// Practical projects: one row per project.
pub static PROJECT: Unit = Unit {
    noun: "件",
    columns: &[
        "实事编号",
        "村(社区)",
        "名称",
        "状态",
        "开工日期",
        "完成日期",
    ],
    sql: "SELECT t.id, t.project_no, o.name, t.name, t.status, t.started_on, t.completed_on
          FROM practical_project t JOIN org_unit o ON o.code = t.org_code
          WHERE t.id IN (SELECT s.subject FROM ({population}) s)
          ORDER BY t.completed_on, t.project_no",
    key: |r| Ok(SubjectKey::Id(r.try_get(0)?)),
    row: |r, _| {
        let status: String = r.try_get(4)?;
        Ok(vec![
            Cell::Text(r.try_get(1)?),
            Cell::Text(r.try_get(2)?),
            Cell::Text(r.try_get(3)?),
            Cell::text(
                ProjectStatus::from_code(&status).map_or(status.clone(), |s| s.label().into()),
            ),
            opt(r.try_get(5)?),
            opt(r.try_get(6)?),
        ])
    },
};

/// Party orgs: one row per org.
pub static PARTY_ORG: Unit = Unit {
    noun: "个",
    columns: &["组织编码", "名称", "所在区划"],
    sql: "SELECT po.id, po.code, po.name, o.name
          FROM party_org po JOIN org_unit o ON o.code = po.org_code
          WHERE po.id IN (SELECT s.subject FROM ({population}) s)
          ORDER BY po.org_code, po.code",
    key: |r| Ok(SubjectKey::Id(r.try_get(0)?)),
    row: |r, _| {
        Ok(vec![
            Cell::Text(r.try_get(1)?),
            Cell::Text(r.try_get(2)?),
            Cell::Text(r.try_get(3)?),
        ])
    },
};

/// The accepted cases behind a party org: ZD2026001（验收销号 2026-05-01）.
pub static CASES: Records = Records {
    heading: "整顿",
    sql: "SELECT s.subject, r.case_no, r.accepted_on
          FROM ({population}) s JOIN rectification r ON r.id = s.record",
    order: "r.accepted_on, r.case_no",
    describe: |r| {
        let no: String = r.try_get(1)?;
        let on: Option<String> = r.try_get(2)?;
        Ok(format!("{no}（验收销号 {}）", on.unwrap_or_default()))
    },
};

/// Problems of rectification cases: one row per problem.
pub static PROBLEM: Unit = Unit {
    noun: "个",
    columns: &[
        "整顿编号",
        "问题序号",
        "党组织",
        "问题",
        "责任人",
        "解决日期",
    ],
    sql: "SELECT p.id, r.case_no, p.problem_no, po.name, p.description, p.responsible, p.solved_on
          FROM rectification_problem p JOIN rectification r ON r.id = p.case_id
          JOIN party_org po ON po.id = r.party_org_id
          WHERE p.id IN (SELECT s.subject FROM ({population}) s)
          ORDER BY p.solved_on, r.case_no, p.problem_no",
    key: |r| Ok(SubjectKey::Id(r.try_get(0)?)),
    row: |r, _| {
        Ok(vec![
            Cell::Text(r.try_get(1)?),
            Cell::Text(r.try_get(2)?),
            Cell::Text(r.try_get(3)?),
            Cell::Text(r.try_get(4)?),
            opt(r.try_get(5)?),
            opt(r.try_get(6)?),
        ])
    },
};

/// Demonstration sites: one row per site.
pub static SITE: Unit = Unit {
    noun: "个",
    columns: &["示范点编号", "名称", "所属区划", "命名日期", "撤销日期"],
    sql: "SELECT t.id, t.site_no, t.name, o.name, t.starts_on, t.ends_on
          FROM model_site t JOIN org_unit o ON o.code = t.org_code
          WHERE t.id IN (SELECT s.subject FROM ({population}) s)
          ORDER BY t.org_code, t.site_no",
    key: |r| Ok(SubjectKey::Id(r.try_get(0)?)),
    row: |r, _| {
        Ok(vec![
            Cell::Text(r.try_get(1)?),
            Cell::Text(r.try_get(2)?),
            Cell::Text(r.try_get(3)?),
            Cell::Text(r.try_get(4)?),
            opt(r.try_get(5)?),
        ])
    },
};

/// The honours behind a person: 好支书（授予 2026-03-01，RY001）.
pub static HONORS: Records = Records {
    heading: "荣誉",
    sql: "SELECT s.subject, h.honor_no, h.kind, h.awarded_on
          FROM ({population}) s JOIN honor h ON h.id = s.record",
    order: "h.awarded_on, h.honor_no",
    describe: |r| {
        let no: String = r.try_get(1)?;
        let kind: String = r.try_get(2)?;
        let on: Option<String> = r.try_get(3)?;
        let kind = HonorKind::from_code(&kind).map_or(kind.clone(), |k| k.label().into());
        Ok(format!("{kind}（授予 {}，{no}）", on.unwrap_or_default()))
    },
};

/// Village party orgs with a rectification case accepted (验收销号) in [F, T].
pub static WEAK_RECTIFIED: Population = Population {
    caption: "整顿提升的软弱涣散村(社区)党组织",
    timing: Timing::Period,
    unit: &PARTY_ORG,
    records: Some(&CASES),
    sql: "SELECT po.id AS subject, r.id AS record FROM rectification r
          JOIN party_org po ON po.id = r.party_org_id
          JOIN org_unit o ON o.code = po.org_code
          WHERE po.org_code >= $1 AND po.org_code < $2
            AND o.kind IN ('admin_village', 'community')
            AND r.accepted_on >= $3 AND r.accepted_on <= $4",
};

/// Problems of rectification cases of party orgs in scope solved in [F, T].
pub static PROBLEMS_SOLVED: Population = Population {
    caption: "解决的突出问题",
    timing: Timing::Period,
    unit: &PROBLEM,
    records: None,
    sql: "SELECT p.id AS subject, p.id AS record FROM rectification_problem p
          JOIN rectification r ON r.id = p.case_id
          JOIN party_org po ON po.id = r.party_org_id
          WHERE po.org_code >= $1 AND po.org_code < $2
            AND p.solved_on >= $3 AND p.solved_on <= $4",
};

/// Practical projects in scope completed in [F, T].
pub static PROJECTS_COMPLETED: Population = Population {
    caption: "完成的实事",
    timing: Timing::Period,
    unit: &PROJECT,
    records: None,
    sql: "SELECT t.id AS subject, t.id AS record FROM practical_project t
          WHERE t.org_code >= $1 AND t.org_code < $2
            AND t.status = 'completed' AND t.completed_on >= $3 AND t.completed_on <= $4",
};

/// Demonstration sites in scope active at D.
pub static MODEL_SITES: Population = Population {
    caption: "党建示范点",
    timing: Timing::AsOf,
    unit: &SITE,
    records: None,
    sql: "SELECT t.id AS subject, t.id AS record FROM model_site t
          WHERE t.org_code >= $1 AND t.org_code < $2
            AND t.starts_on <= $3 AND (t.ends_on IS NULL OR t.ends_on > $3)",
};

/// People with an honour of kind 好支书 awarded in [F, T], the honour in scope.
pub static GOOD_SECRETARIES: Population = Population {
    caption: "担当作为好支书",
    timing: Timing::Period,
    unit: &PERSON,
    records: Some(&HONORS),
    sql: "SELECT h.person_id AS subject, h.id AS record FROM honor h
          WHERE h.org_code >= $1 AND h.org_code < $2
            AND h.kind = 'good_secretary' AND h.status = 'awarded'
            AND h.awarded_on >= $3 AND h.awarded_on <= $4",
};

/// People with an honour of kind 带富致富先锋 awarded in [F, T], the honour in scope.
pub static PROSPERITY_PIONEERS: Population = Population {
    caption: "带富致富先锋",
    timing: Timing::Period,
    unit: &PERSON,
    records: Some(&HONORS),
    sql: "SELECT h.person_id AS subject, h.id AS record FROM honor h
          WHERE h.org_code >= $1 AND h.org_code < $2
            AND h.kind = 'prosperity_pioneer' AND h.status = 'awarded'
            AND h.awarded_on >= $3 AND h.awarded_on <= $4",
};

/// The assessment behind a party org: 2025-11-20 达标（PD001）.
pub static ASSESSMENT: Records = Records {
    heading: "最近一次评定",
    sql: "SELECT s.subject, a.assessment_no, a.assessed_on, a.result
          FROM ({population}) s JOIN branch_assessment a ON a.id = s.record",
    order: "a.assessed_on, a.id",
    describe: |r| {
        let no: String = r.try_get(1)?;
        let on: String = r.try_get(2)?;
        let result: String = r.try_get(3)?;
        let result =
            AssessmentResult::from_code(&result).map_or(result.clone(), |x| x.label().into());
        Ok(format!("{on} {result}（{no}）"))
    },
};

/// Village-level party orgs (a village's top party org, of any type) in scope, the village not
/// revoked by D, whose latest assessment dated ≤ D (on equal dates, the last recorded) is 示范
/// or 达标.
pub static STANDARDIZED: Population = Population {
    caption: "标准化村(社区)党组织",
    timing: Timing::AsOf,
    unit: &PARTY_ORG,
    records: Some(&ASSESSMENT),
    sql: "SELECT po.id AS subject, a.id AS record FROM party_org po
          JOIN org_unit o ON o.code = po.org_code
          LEFT JOIN party_org pp ON pp.code = po.parent_code
          JOIN branch_assessment a ON a.party_org_id = po.id
          WHERE po.org_code >= $1 AND po.org_code < $2
            AND o.kind IN ('admin_village', 'community')
            AND (o.revoked_on IS NULL OR o.revoked_on > $3)
            AND (pp.id IS NULL OR pp.org_code <> po.org_code)
            AND a.id = (SELECT a2.id FROM branch_assessment a2
                         WHERE a2.party_org_id = po.id AND a2.assessed_on <= $3
                         ORDER BY a2.assessed_on DESC, a2.id DESC LIMIT 1)
            AND a.result IN ('model', 'passed')",
};

//! 五、强化作风建设: study sessions of party orgs (in scope by the org's 所在区划), supervision
//! findings and exemplars (by their own unit), each counted when dated in [F, T] (`$3` F,
//! `$4` T).

use sqlx::Row;

use super::units::{SubjectKey, Unit};
use super::{Population, Timing};
use crate::web::list::Cell;

/// Study sessions: one row each.
pub static SESSION: Unit = Unit {
    noun: "场",
    columns: &["学习编号", "学习日期", "党组织", "主题", "参加人数"],
    sql: "SELECT t.id, t.session_no, t.held_on, po.name, t.topic, t.attendance
          FROM study_session t JOIN party_org po ON po.id = t.party_org_id
          WHERE t.id IN (SELECT s.subject FROM ({population}) s)
          ORDER BY t.held_on, t.session_no",
    key: |r| Ok(SubjectKey::Id(r.try_get(0)?)),
    row: |r, _| {
        let no: String = r.try_get(1)?;
        Ok(vec![
            Cell::link(no.clone(), format!("/conduct/study-sessions?q={no}")),
            Cell::Text(r.try_get(2)?),
            Cell::Text(r.try_get(3)?),
            Cell::Text(r.try_get(4)?),
            Cell::opt(r.try_get(5)?),
        ])
    },
};

/// Supervision findings: one row each.
pub static FINDING: Unit = Unit {
    noun: "个",
    columns: &[
        "问题编号",
        "发现日期",
        "所属区划",
        "问题描述",
        "整改完成日期",
    ],
    sql: "SELECT t.id, t.finding_no, t.found_on, o.name, t.description, t.rectified_on
          FROM supervision_finding t JOIN org_unit o ON o.code = t.org_code
          WHERE t.id IN (SELECT s.subject FROM ({population}) s)
          ORDER BY t.found_on, t.finding_no",
    key: |r| Ok(SubjectKey::Id(r.try_get(0)?)),
    row: |r, _| {
        let no: String = r.try_get(1)?;
        Ok(vec![
            Cell::link(no.clone(), format!("/conduct/findings?q={no}")),
            Cell::Text(r.try_get(2)?),
            Cell::Text(r.try_get(3)?),
            Cell::Text(r.try_get(4)?),
            Cell::opt(r.try_get(5)?),
        ])
    },
};

/// Exemplars: one row each, linking to the exemplar's story.
pub static EXEMPLAR: Unit = Unit {
    noun: "个",
    columns: &["典型编号", "事迹标题", "姓名", "所属区划", "发布日期"],
    sql: "SELECT t.id, t.exemplar_no, t.title, p.name, o.name, t.published_on
          FROM exemplar t JOIN org_unit o ON o.code = t.org_code
          LEFT JOIN person p ON p.id = t.person_id
          WHERE t.id IN (SELECT s.subject FROM ({population}) s)
          ORDER BY t.published_on, t.exemplar_no",
    key: |r| Ok(SubjectKey::Id(r.try_get(0)?)),
    row: |r, _| {
        let id: i64 = r.try_get(0)?;
        Ok(vec![
            Cell::Text(r.try_get(1)?),
            Cell::link(
                r.try_get::<String, _>(2)?,
                format!("/conduct/exemplars/{id}"),
            ),
            Cell::opt(r.try_get(3)?),
            Cell::Text(r.try_get(4)?),
            Cell::Text(r.try_get(5)?),
        ])
    },
};

/// Study sessions held by party orgs in scope in [F, T].
pub static STUDY_SESSIONS: Population = Population {
    caption: "党组织理论学习",
    timing: Timing::Period,
    unit: &SESSION,
    records: None,
    sql: "SELECT t.id AS subject, t.id AS record FROM study_session t
          WHERE t.org_code >= $1 AND t.org_code < $2 AND t.held_on >= $3 AND t.held_on <= $4",
};

/// Supervision findings dated in [F, T].
pub static SUPERVISION_FINDINGS: Population = Population {
    caption: "监督检查发现的问题",
    timing: Timing::Period,
    unit: &FINDING,
    records: None,
    sql: "SELECT t.id AS subject, t.id AS record FROM supervision_finding t
          WHERE t.org_code >= $1 AND t.org_code < $2 AND t.found_on >= $3 AND t.found_on <= $4",
};

/// Exemplars published in [F, T].
pub static EXEMPLARS: Population = Population {
    caption: "宣传的先进典型",
    timing: Timing::Period,
    unit: &EXEMPLAR,
    records: None,
    sql: "SELECT t.id AS subject, t.id AS record FROM exemplar t
          WHERE t.org_code >= $1 AND t.org_code < $2
            AND t.published_on >= $3 AND t.published_on <= $4",
};

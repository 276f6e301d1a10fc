//! 一、筑先锋堡垒: the outreach populations (工作队, 包村, 驻村, 入网, 联户, 走访).
//!
//! `as_of` ones take `$1..$2` the scope's code range and `$3` D; 走访 is a period (`$3` F,
//! `$4` T). An assignment is active at D when 开始日期 ≤ D < 结束日期, and it rests on a post:
//! 包村 on an active 乡镇领导 post, 入网 on an active 村干部 post, 驻村 without 派出单位 on an
//! active 乡镇领导 or 乡镇干部 post, 联户 on party membership at D. Villages revoked, people
//! and households deregistered by D drop out.

use sqlx::Row;

use super::units::{PERSON, Records, SubjectKey, Unit, VILLAGE};
use super::{Population, Timing};
use crate::web::list::Cell;

/// An active post of `$cats` held at D by the person of `$who`.
macro_rules! post_at_d {
    ($who:literal, $cats:literal) => {
        concat!(
            "EXISTS (SELECT 1 FROM cadre_post c WHERE c.person_id = ",
            $who,
            " AND c.category IN (",
            $cats,
            ") AND c.starts_on <= $3 AND (c.ends_on IS NULL OR c.ends_on > $3))"
        )
    };
}

/// Active 包村 `vc` of a village `o` in scope, by `p`, resting on a 乡镇领导 post.
macro_rules! contacts_at_d {
    () => {
        concat!(
            "
        FROM village_contact vc
        JOIN person p ON p.id = vc.person_id
        JOIN org_unit o ON o.code = vc.org_code
        WHERE vc.org_code >= $1 AND vc.org_code < $2
          AND vc.starts_on <= $3 AND (vc.ends_on IS NULL OR vc.ends_on > $3)
          AND (o.revoked_on IS NULL OR o.revoked_on > $3)
          AND (p.deregistered_on IS NULL OR p.deregistered_on > $3)
          AND ",
            post_at_d!("vc.person_id", "'township_leader'")
        )
    };
}

/// Active 联户 `l` of a household `h` in scope, by a party member `p` at D.
macro_rules! links_at_d {
    () => {
        "
        FROM household_link l
        JOIN person p ON p.id = l.person_id
        JOIN household h ON h.id = l.household_id
        JOIN party_member m ON m.person_id = l.person_id
        WHERE l.org_code >= $1 AND l.org_code < $2
          AND l.starts_on <= $3 AND (l.ends_on IS NULL OR l.ends_on > $3)
          AND (m.joined_on IS NULL OR m.joined_on <= $3)
          AND (m.left_on IS NULL OR m.left_on > $3)
          AND (h.deregistered_on IS NULL OR h.deregistered_on > $3)
          AND (p.deregistered_on IS NULL OR p.deregistered_on > $3)"
    };
}

/// Work teams: one row per team.
pub static WORK_TEAM: Unit = Unit {
    noun: "个",
    columns: &["工作队编号", "名称", "联系村", "成立日期", "成员数"],
    sql: "SELECT w.id, w.team_no, w.name, o.name, w.founded_on,
                 (SELECT COUNT(*) FROM work_team_member m WHERE m.team_id = w.id)
          FROM work_team w JOIN org_unit o ON o.code = w.org_code
          WHERE w.id IN (SELECT s.subject FROM ({population}) s)
          ORDER BY w.team_no",
    key: |r| Ok(SubjectKey::Id(r.try_get(0)?)),
    row: |r, _| {
        Ok(vec![
            Cell::Text(r.try_get(1)?),
            Cell::Text(r.try_get(2)?),
            Cell::Text(r.try_get(3)?),
            Cell::Text(r.try_get(4)?),
            Cell::Int(r.try_get(5)?),
        ])
    },
};

/// Households: one row per household.
pub static HOUSEHOLD: Unit = Unit {
    noun: "户",
    columns: &["户编号", "所属区划", "村民小组"],
    sql: "SELECT h.id, h.household_no, o.name, h.group_name, h.org_code
          FROM household h JOIN org_unit o ON o.code = h.org_code
          WHERE h.id IN (SELECT s.subject FROM ({population}) s)
          ORDER BY h.household_no",
    key: |r| Ok(SubjectKey::Id(r.try_get(0)?)),
    row: |r, ctx| {
        let id: i64 = r.try_get(0)?;
        let no: String = r.try_get(1)?;
        let org: String = r.try_get(4)?;
        let no = if ctx.scope.contains(&org) {
            Cell::link(no, format!("/households/{id}"))
        } else {
            Cell::Text(no)
        };
        Ok(vec![
            no,
            Cell::Text(r.try_get(2)?),
            Cell::opt(r.try_get(3)?),
        ])
    },
};

/// Visits counted as 户次: one row per (户编号, 走访日期).
pub static VISIT_DAY: Unit = Unit {
    noun: "户次",
    columns: &["户编号", "走访日期", "所属区划"],
    sql: "SELECT x.k, x.household_no, x.visited_on, x.name FROM (
            SELECT DISTINCT h.household_no || '|' || v.visited_on AS k, h.household_no,
                   v.visited_on, o.name
            FROM visit v JOIN household h ON h.id = v.household_id
            JOIN org_unit o ON o.code = h.org_code) x
          WHERE x.k IN (SELECT s.subject FROM ({population}) s)
          ORDER BY x.household_no, x.visited_on",
    key: |r| Ok(SubjectKey::Code(r.try_get(0)?)),
    row: |r, _| {
        Ok(vec![
            Cell::Text(r.try_get(1)?),
            Cell::Text(r.try_get(2)?),
            Cell::Text(r.try_get(3)?),
        ])
    },
};

/// 包村 behind a figure: 张三 包 王家庄村（2025-03-01 起）.
pub static CONTACTS: Records = Records {
    heading: "包村",
    sql: "SELECT s.subject, p.name, o.name, vc.starts_on
          FROM ({population}) s
          JOIN village_contact vc ON vc.id = s.record
          JOIN person p ON p.id = vc.person_id
          JOIN org_unit o ON o.code = vc.org_code",
    order: "vc.org_code, vc.starts_on, vc.id",
    describe: |r| {
        let (who, village, since): (String, String, String) =
            (r.try_get(1)?, r.try_get(2)?, r.try_get(3)?);
        Ok(format!("{who} 包 {village}（{since} 起）"))
    },
};

/// 驻村 behind a figure.
pub static STATIONINGS: Records = Records {
    heading: "驻村",
    sql: "SELECT s.subject, o.name, st.starts_on, st.sent_by
          FROM ({population}) s
          JOIN stationing st ON st.id = s.record
          JOIN org_unit o ON o.code = st.org_code",
    order: "st.org_code, st.starts_on, st.id",
    describe: |r| {
        let (village, since): (String, String) = (r.try_get(1)?, r.try_get(2)?);
        let by: Option<String> = r.try_get(3)?;
        let by = by.map(|b| format!("，{b}派出")).unwrap_or_default();
        Ok(format!("驻 {village}（{since} 起{by}）"))
    },
};

/// 入网 behind a figure.
pub static GRID_DUTIES: Records = Records {
    heading: "入网",
    sql: "SELECT s.subject, o.name, g.starts_on
          FROM ({population}) s
          JOIN grid_duty g ON g.id = s.record
          JOIN org_unit o ON o.code = g.org_code",
    order: "g.org_code, g.starts_on, g.id",
    describe: |r| {
        let (grid, since): (String, String) = (r.try_get(1)?, r.try_get(2)?);
        Ok(format!("{grid}（{since} 起）"))
    },
};

/// 联户 behind a figure: 张三 联系 990101001001-0001（2025-03-01 起）.
pub static LINKS: Records = Records {
    heading: "联户",
    sql: "SELECT s.subject, p.name, h.household_no, l.starts_on
          FROM ({population}) s
          JOIN household_link l ON l.id = s.record
          JOIN person p ON p.id = l.person_id
          JOIN household h ON h.id = l.household_id",
    order: "h.household_no, l.starts_on, l.id",
    describe: |r| {
        let (who, no, since): (String, String, String) =
            (r.try_get(1)?, r.try_get(2)?, r.try_get(3)?);
        Ok(format!("{who} 联系 {no}（{since} 起）"))
    },
};

/// 走访 behind a figure: the visitor.
pub static VISITS_BY: Records = Records {
    heading: "走访人",
    sql: "SELECT s.subject, p.name, v.visit_no
          FROM ({population}) s
          JOIN visit v ON v.id = s.record
          JOIN person p ON p.id = v.person_id",
    order: "v.visit_no, v.id",
    describe: |r| {
        let (who, no): (String, String) = (r.try_get(1)?, r.try_get(2)?);
        Ok(format!("{who}（{no}）"))
    },
};

/// Work teams of villages in scope active at D.
pub static WORK_TEAMS: Population = Population {
    caption: "「一亲三心」工作队",
    timing: Timing::AsOf,
    unit: &WORK_TEAM,
    records: None,
    sql: "SELECT w.id AS subject, w.id AS record
        FROM work_team w
        JOIN org_unit o ON o.code = w.org_code
        WHERE w.org_code >= $1 AND w.org_code < $2
          AND w.founded_on <= $3 AND (w.revoked_on IS NULL OR w.revoked_on > $3)
          AND (o.revoked_on IS NULL OR o.revoked_on > $3)",
};

/// People with an active 包村 of a village in scope.
pub static CONTACT_LEADERS: Population = Population {
    caption: "包村乡镇领导",
    timing: Timing::AsOf,
    unit: &PERSON,
    records: Some(&CONTACTS),
    sql: concat!("SELECT p.id AS subject, vc.id AS record", contacts_at_d!()),
};

/// Villages in scope with at least one active 包村.
pub static CONTACTED_VILLAGES: Population = Population {
    caption: "有乡镇领导包村的村(社区)",
    timing: Timing::AsOf,
    unit: &VILLAGE,
    records: Some(&CONTACTS),
    sql: concat!(
        "SELECT o.code AS subject, vc.id AS record",
        contacts_at_d!()
    ),
};

/// Villages (行政村 and 社区) in scope not revoked by D, with their active 包村.
pub static VILLAGES: Population = Population {
    caption: "村(社区)",
    timing: Timing::AsOf,
    unit: &VILLAGE,
    records: Some(&CONTACTS),
    sql: concat!(
        "SELECT v.code AS subject, cc.id AS record
        FROM org_unit v
        LEFT JOIN (SELECT vc.id, vc.org_code",
        contacts_at_d!(),
        "
        ) cc ON cc.org_code = v.code
        WHERE v.code >= $1 AND v.code < $2
          AND v.kind IN ('admin_village', 'community')
          AND (v.revoked_on IS NULL OR v.revoked_on > $3)"
    ),
};

/// People with an active full-time 驻村 in a village in scope.
pub static STATIONED_CADRES: Population = Population {
    caption: "专职驻村干部",
    timing: Timing::AsOf,
    unit: &PERSON,
    records: Some(&STATIONINGS),
    sql: concat!(
        "SELECT p.id AS subject, st.id AS record
        FROM stationing st
        JOIN person p ON p.id = st.person_id
        JOIN org_unit o ON o.code = st.org_code
        WHERE st.org_code >= $1 AND st.org_code < $2
          AND st.starts_on <= $3 AND (st.ends_on IS NULL OR st.ends_on > $3)
          AND st.full_time = 1
          AND (o.revoked_on IS NULL OR o.revoked_on > $3)
          AND (p.deregistered_on IS NULL OR p.deregistered_on > $3)
          AND (st.sent_by IS NOT NULL OR ",
        post_at_d!("st.person_id", "'township_leader', 'township_cadre'"),
        ")"
    ),
};

/// People with an active 入网 on a grid in scope.
pub static GRID_CADRES: Population = Population {
    caption: "入网村(社区)干部",
    timing: Timing::AsOf,
    unit: &PERSON,
    records: Some(&GRID_DUTIES),
    sql: concat!(
        "SELECT p.id AS subject, g.id AS record
        FROM grid_duty g
        JOIN person p ON p.id = g.person_id
        JOIN org_unit o ON o.code = g.org_code
        WHERE g.org_code >= $1 AND g.org_code < $2
          AND g.starts_on <= $3 AND (g.ends_on IS NULL OR g.ends_on > $3)
          AND (o.revoked_on IS NULL OR o.revoked_on > $3)
          AND (p.deregistered_on IS NULL OR p.deregistered_on > $3)
          AND ",
        post_at_d!("g.person_id", "'village_cadre'")
    ),
};

/// Party members with an active 联户 to a household in scope.
pub static LINKING_MEMBERS: Population = Population {
    caption: "联户党员",
    timing: Timing::AsOf,
    unit: &PERSON,
    records: Some(&LINKS),
    sql: concat!("SELECT p.id AS subject, l.id AS record", links_at_d!()),
};

/// Households in scope with at least one active 联户.
pub static LINKED_HOUSEHOLDS: Population = Population {
    caption: "有党员联系的农户",
    timing: Timing::AsOf,
    unit: &HOUSEHOLD,
    records: Some(&LINKS),
    sql: concat!("SELECT h.id AS subject, l.id AS record", links_at_d!()),
};

/// Households in scope not deregistered by D, with their active 联户.
pub static HOUSEHOLDS: Population = Population {
    caption: "农户",
    timing: Timing::AsOf,
    unit: &HOUSEHOLD,
    records: Some(&LINKS),
    sql: concat!(
        "SELECT hh.id AS subject, ll.id AS record
        FROM household hh
        LEFT JOIN (SELECT l.id, l.household_id",
        links_at_d!(),
        "
        ) ll ON ll.household_id = hh.id
        WHERE hh.org_code >= $1 AND hh.org_code < $2
          AND (hh.deregistered_on IS NULL OR hh.deregistered_on > $3)"
    ),
};

/// Distinct (户编号, 走访日期) among visits to households in scope dated in [F, T].
pub static VISITS: Population = Population {
    caption: "走访户次",
    timing: Timing::Period,
    unit: &VISIT_DAY,
    records: Some(&VISITS_BY),
    sql: "SELECT h.household_no || '|' || v.visited_on AS subject, v.id AS record
        FROM visit v
        JOIN household h ON h.id = v.household_id
        WHERE v.org_code >= $1 AND v.org_code < $2
          AND v.visited_on >= $3 AND v.visited_on <= $4",
};

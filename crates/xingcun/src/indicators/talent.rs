//! 二、抓队伍建设: the populations behind the cadre-pipeline indicators, from cadre posts.
//!
//! Every one is `as_of`: `$1..$2` the scope's code range, `$3` D. A post is in scope by its
//! 任职单位; it counts at D when it is a 村干部 post held at D (任职日期 ≤ D < 离任日期), in a
//! village (行政村 or 社区) not revoked by D, held by a person not deregistered by D.

use sqlx::Row;
use xingcun_domain::enums::{AdvisorKind, Education, Readiness, TalentSource};

use super::units::{COLLEGE_CADRES, PERSON, POSTS, SubjectKey, Unit, VILLAGE};
use super::{Population, Records, Timing};
use crate::web::list::Cell;
use crate::web::urlencode;

/// The FROM and WHERE of 村干部 posts `c` held at D in a village `o` in scope, by a person `p`:
/// the common part of every population here.
macro_rules! village_cadre_posts_at_d {
    () => {
        "
        FROM cadre_post c
        JOIN person p ON p.id = c.person_id
        JOIN org_unit o ON o.code = c.org_code
        WHERE c.org_code >= $1 AND c.org_code < $2
          AND c.category = 'village_cadre'
          AND c.starts_on <= $3 AND (c.ends_on IS NULL OR c.ends_on > $3)
          AND o.kind IN ('admin_village', 'community')
          AND (o.revoked_on IS NULL OR o.revoked_on > $3)
          AND (p.deregistered_on IS NULL OR p.deregistered_on > $3)"
    };
}

/// The six posts that make a 两委成员 (`VillagePost::is_committee_member`).
macro_rules! committee_post {
    () => {
        "
          AND c.post IN ('branch_secretary', 'branch_deputy_secretary', 'branch_committee_member',
                         'villagers_committee_chair', 'villagers_committee_vice_chair',
                         'villagers_committee_member')"
    };
}

/// 最高学历 大学专科 or higher: the higher of the two degrees is a college degree exactly when
/// either is (`Education::is_college`).
macro_rules! college_educated {
    () => {
        "
          AND (p.edu_full_time IN ('junior_college', 'bachelor', 'postgraduate')
               OR p.edu_in_service IN ('junior_college', 'bachelor', 'postgraduate'))"
    };
}

/// People holding an active 党组织书记 post marked 专业化管理 in a village in scope.
pub static PROFESSIONAL_SECRETARIES: Population = Population {
    caption: "专业化管理的村(社区)党组织书记",
    timing: Timing::AsOf,
    unit: &PERSON,
    records: Some(&POSTS),
    sql: concat!(
        "SELECT p.id AS subject, c.id AS record",
        village_cadre_posts_at_d!(),
        "
          AND c.post = 'branch_secretary' AND c.professional = 1"
    ),
};

/// 两委成员 in scope: each person once, with their committee posts.
pub static COMMITTEE_MEMBERS: Population = Population {
    caption: "村(社区)“两委”成员",
    timing: Timing::AsOf,
    unit: &PERSON,
    records: Some(&POSTS),
    sql: concat!(
        "SELECT p.id AS subject, c.id AS record",
        village_cadre_posts_at_d!(),
        committee_post!()
    ),
};

/// 两委成员 in scope whose 最高学历 is 大学专科 or higher.
pub static COLLEGE_COMMITTEE_MEMBERS: Population = Population {
    caption: "大专以上学历的“两委”成员",
    timing: Timing::AsOf,
    unit: &PERSON,
    records: Some(&POSTS),
    sql: concat!(
        "SELECT p.id AS subject, c.id AS record",
        village_cadre_posts_at_d!(),
        committee_post!(),
        college_educated!()
    ),
};

/// 两委成员 in scope who are women.
pub static FEMALE_COMMITTEE_MEMBERS: Population = Population {
    caption: "女性“两委”成员",
    timing: Timing::AsOf,
    unit: &PERSON,
    records: Some(&POSTS),
    sql: concat!(
        "SELECT p.id AS subject, c.id AS record",
        village_cadre_posts_at_d!(),
        committee_post!(),
        "
          AND p.sex = 'female'"
    ),
};

/// 行政村 in scope with at least one 大学生村干部 (any 村干部 post, 最高学历 大专以上) at D.
pub static COLLEGE_COVERED_VILLAGES: Population = Population {
    caption: "有大学生村干部的行政村",
    timing: Timing::AsOf,
    unit: &VILLAGE,
    records: Some(&COLLEGE_CADRES),
    sql: concat!(
        "SELECT o.code AS subject, c.id AS record",
        village_cadre_posts_at_d!(),
        "
          AND o.kind = 'admin_village'",
        college_educated!()
    ),
};

/// 行政村 in scope, not revoked by D (社区 excluded), each with its 大学生村干部 if any.
pub static ADMIN_VILLAGES: Population = Population {
    caption: "行政村",
    timing: Timing::AsOf,
    unit: &VILLAGE,
    records: Some(&COLLEGE_CADRES),
    sql: concat!(
        "SELECT v.code AS subject, cc.id AS record
        FROM org_unit v
        LEFT JOIN (SELECT c.id, c.org_code",
        village_cadre_posts_at_d!(),
        college_educated!(),
        "
        ) cc ON cc.org_code = v.code
        WHERE v.code >= $1 AND v.code < $2
          AND v.kind = 'admin_village'
          AND (v.revoked_on IS NULL OR v.revoked_on > $3)"
    ),
};

/// A person's degree-upgrade enrolments behind the figure: 某某学院 大学专科（2026-03-01 入学）.
pub static ENROLMENTS: Records = Records {
    heading: "学历提升",
    sql: "SELECT s.subject, u.school, u.level, u.starts_on, u.graduated_on
          FROM ({population}) s
          JOIN degree_upgrade u ON u.id = s.record",
    order: "u.starts_on, u.id",
    describe: |r| {
        let school: String = r.try_get(1)?;
        let level: String = r.try_get(2)?;
        let since: String = r.try_get(3)?;
        let done: Option<String> = r.try_get(4)?;
        let level = Education::from_code(&level).map_or(level.clone(), |e| e.label().into());
        let done = done.map(|d| format!("，{d} 毕业")).unwrap_or_default();
        Ok(format!("{school} {level}（{since} 入学{done}）"))
    },
};

/// A person's pool entries behind the figure: 选 可接任（2025-06-01 入库）.
pub static POOL_ENTRIES: Records = Records {
    heading: "后备人才",
    sql: "SELECT s.subject, t.source, t.readiness, t.starts_on
          FROM ({population}) s
          JOIN reserve_talent t ON t.id = s.record",
    order: "t.starts_on, t.id",
    describe: |r| {
        let source: String = r.try_get(1)?;
        let ready: String = r.try_get(2)?;
        let since: String = r.try_get(3)?;
        let source = TalentSource::from_code(&source).map_or(source.clone(), |e| e.label().into());
        let ready = Readiness::from_code(&ready).map_or(ready.clone(), |e| e.label().into());
        Ok(format!("{source} {ready}（{since} 入库）"))
    },
};

/// People with a degree-upgrade enrolment in scope (target 大学专科 or higher) starting in
/// [F, T], who held an active 村干部 post (anywhere) on its start date.
pub static DEGREE_UPGRADES: Population = Population {
    caption: "参加学历提升的村干部",
    timing: Timing::Period,
    unit: &PERSON,
    records: Some(&ENROLMENTS),
    sql: "SELECT p.id AS subject, u.id AS record
        FROM degree_upgrade u
        JOIN person p ON p.id = u.person_id
        WHERE u.org_code >= $1 AND u.org_code < $2
          AND u.starts_on >= $3 AND u.starts_on <= $4
          AND u.level IN ('junior_college', 'bachelor', 'postgraduate')
          AND (p.deregistered_on IS NULL OR p.deregistered_on > $4)
          AND EXISTS (SELECT 1 FROM cadre_post c
                      WHERE c.person_id = u.person_id AND c.category = 'village_cadre'
                        AND c.starts_on <= u.starts_on
                        AND (c.ends_on IS NULL OR c.ends_on > u.starts_on))",
};

/// People with a reserve-talent entry in scope active at D.
pub static RESERVE_POOL: Population = Population {
    caption: "后备人才",
    timing: Timing::AsOf,
    unit: &PERSON,
    records: Some(&POOL_ENTRIES),
    sql: "SELECT p.id AS subject, t.id AS record
        FROM reserve_talent t
        JOIN person p ON p.id = t.person_id
        WHERE t.org_code >= $1 AND t.org_code < $2
          AND t.starts_on <= $3 AND (t.ends_on IS NULL OR t.ends_on > $3)
          AND (p.deregistered_on IS NULL OR p.deregistered_on > $3)",
};

/// A person's advisor records behind the figure: 王家庄村 老党员（2024-03-01 起）.
pub static ADVISOR_POSTS: Records = Records {
    heading: "村务顾问",
    sql: "SELECT s.subject, o.name, a.kind, a.starts_on
          FROM ({population}) s
          JOIN advisor a ON a.id = s.record
          JOIN org_unit o ON o.code = a.org_code",
    order: "a.org_code, a.starts_on, a.id",
    describe: |r| {
        let village: String = r.try_get(1)?;
        let kind: String = r.try_get(2)?;
        let since: String = r.try_get(3)?;
        let kind = AdvisorKind::from_code(&kind).map_or(kind.clone(), |k| k.label().into());
        Ok(format!("{village} {kind}（{since} 起）"))
    },
};

/// People with an advisor record in scope (by its village) active at D.
pub static ADVISORS: Population = Population {
    caption: "村务顾问",
    timing: Timing::AsOf,
    unit: &PERSON,
    records: Some(&ADVISOR_POSTS),
    sql: "SELECT p.id AS subject, a.id AS record
        FROM advisor a
        JOIN person p ON p.id = a.person_id
        WHERE a.org_code >= $1 AND a.org_code < $2
          AND a.starts_on <= $3 AND (a.ends_on IS NULL OR a.ends_on > $3)
          AND (p.deregistered_on IS NULL OR p.deregistered_on > $3)",
};

/// Attendances: one row per attendance (培训人次 counts person-times).
pub static ATTENDANCE: Unit = Unit {
    noun: "人次",
    columns: &[
        "培训编号",
        "培训名称",
        "开始日期",
        "姓名",
        "身份证号",
        "所属单位",
    ],
    sql: "SELECT a.id, t.training_no, t.title, t.starts_on, p.name, p.id_masked, o.name,
                 p.id, p.org_code
          FROM training_attendance a
          JOIN training t ON t.id = a.training_id
          JOIN person p ON p.id = a.person_id
          JOIN org_unit o ON o.code = a.org_code
          WHERE a.id IN (SELECT s.subject FROM ({population}) s)
          ORDER BY t.starts_on, t.training_no, a.org_code, p.name_pinyin, a.id",
    key: |r| Ok(SubjectKey::Id(r.try_get(0)?)),
    row: |r, ctx| {
        let no: String = r.try_get(1)?;
        let name: String = r.try_get(4)?;
        let pid: i64 = r.try_get(7)?;
        let org: String = r.try_get(8)?;
        let name = if ctx.scope.contains(&org) {
            Cell::link(name, format!("/people/{pid}"))
        } else {
            Cell::Text(name)
        };
        Ok(vec![
            Cell::link(no.clone(), format!("/talent/trainings/{}", urlencode(&no))),
            Cell::Text(r.try_get(2)?),
            Cell::Text(r.try_get(3)?),
            name,
            Cell::Text(r.try_get(5)?),
            Cell::Text(r.try_get(6)?),
        ])
    },
};

/// Attendances in scope (by the attendance's own unit) at trainings starting in [F, T].
pub static TRAINING_ATTENDANCES: Population = Population {
    caption: "培训参训",
    timing: Timing::Period,
    unit: &ATTENDANCE,
    records: None,
    sql: "SELECT a.id AS subject, a.id AS record
        FROM training_attendance a
        JOIN training t ON t.id = a.training_id
        JOIN person p ON p.id = a.person_id
        WHERE a.org_code >= $1 AND a.org_code < $2
          AND t.starts_on >= $3 AND t.starts_on <= $4
          AND (p.deregistered_on IS NULL OR p.deregistered_on > $4)",
};

#[cfg(test)]
mod tests {
    use super::*;
    use xingcun_domain::enums::VillagePost;

    fn quoted(code: &str) -> String {
        format!("'{code}'")
    }

    #[test]
    fn the_committee_posts_are_exactly_the_domains_committee_posts() {
        for p in VillagePost::ALL {
            assert_eq!(
                COMMITTEE_MEMBERS.sql.contains(&quoted(p.code())),
                p.is_committee_member(),
                "{p:?}"
            );
        }
    }

    #[test]
    fn college_means_the_domains_college_degrees() {
        for e in Education::ALL {
            assert_eq!(
                COLLEGE_COMMITTEE_MEMBERS.sql.contains(&quoted(e.code())),
                e.is_college(),
                "{e:?}"
            );
            assert_eq!(
                DEGREE_UPGRADES.sql.contains(&quoted(e.code())),
                e.is_college(),
                "{e:?}"
            );
        }
    }
}

//! 一、筑先锋堡垒: the demand populations (诉求). A demand is in scope when the unit it concerns
//! (所属区划) lies in the scope; period ones take `$3` F and `$4` T, `demands.open` takes `$3` D.

use sqlx::Row;

use super::units::{SubjectKey, Unit};
use super::{Population, Timing};
use crate::web::list::Cell;

/// Demands: one row per demand, linked to its page.
pub static DEMAND: Unit = Unit {
    noun: "件",
    columns: &[
        "诉求编号",
        "所属区划",
        "登记日期",
        "办理时限",
        "办结日期",
        "状态",
    ],
    sql: "SELECT d.id, d.demand_no, o.name, d.registered_on, d.deadline_on, d.concluded_on,
                 d.status
          FROM demand d JOIN org_unit o ON o.code = d.org_code
          WHERE d.id IN (SELECT s.subject FROM ({population}) s)
          ORDER BY d.registered_on, d.demand_no",
    key: |r| Ok(SubjectKey::Id(r.try_get(0)?)),
    row: |r, _| {
        let id: i64 = r.try_get(0)?;
        let status: String = r.try_get(6)?;
        let opt = |v: Option<String>| v.map_or(Cell::Empty, Cell::Text);
        Ok(vec![
            Cell::link(r.try_get::<String, _>(1)?, format!("/demands/{id}")),
            Cell::Text(r.try_get(2)?),
            Cell::Text(r.try_get(3)?),
            opt(r.try_get(4)?),
            opt(r.try_get(5)?),
            Cell::Text(
                xingcun_domain::enums::DemandStatus::from_code(&status)
                    .map_or(status.clone(), |s| s.label().to_string()),
            ),
        ])
    },
};

#[cfg(test)]
const IN_SCOPE: &str = "d.org_code >= $1 AND d.org_code < $2";

/// Demands registered in [F, T].
pub static RECEIVED: Population = Population {
    caption: "登记的诉求",
    timing: Timing::Period,
    unit: &DEMAND,
    records: None,
    sql: "SELECT d.id AS subject, d.id AS record FROM demand d
          WHERE d.org_code >= $1 AND d.org_code < $2
            AND d.registered_on >= $3 AND d.registered_on <= $4",
};

/// Demands concluded in [F, T].
pub static CONCLUDED: Population = Population {
    caption: "办结的诉求",
    timing: Timing::Period,
    unit: &DEMAND,
    records: None,
    sql: "SELECT d.id AS subject, d.id AS record FROM demand d
          WHERE d.org_code >= $1 AND d.org_code < $2
            AND d.concluded_on >= $3 AND d.concluded_on <= $4",
};

/// Demands concluded in [F, T] as 已解决.
pub static RESOLVED: Population = Population {
    caption: "已解决的诉求",
    timing: Timing::Period,
    unit: &DEMAND,
    records: None,
    sql: "SELECT d.id AS subject, d.id AS record FROM demand d
          WHERE d.org_code >= $1 AND d.org_code < $2
            AND d.concluded_on >= $3 AND d.concluded_on <= $4 AND d.outcome = 'solved'",
};

/// Demands concluded in [F, T] by their deadline.
pub static CONCLUDED_ON_TIME: Population = Population {
    caption: "按时办结的诉求",
    timing: Timing::Period,
    unit: &DEMAND,
    records: None,
    sql: "SELECT d.id AS subject, d.id AS record FROM demand d
          WHERE d.org_code >= $1 AND d.org_code < $2
            AND d.concluded_on >= $3 AND d.concluded_on <= $4
            AND d.deadline_on IS NOT NULL AND d.concluded_on <= d.deadline_on",
};

/// Demands concluded in [F, T] with a verdict.
pub static JUDGED: Population = Population {
    caption: "已评价的办结诉求",
    timing: Timing::Period,
    unit: &DEMAND,
    records: None,
    sql: "SELECT d.id AS subject, d.id AS record FROM demand d
          WHERE d.org_code >= $1 AND d.org_code < $2
            AND d.concluded_on >= $3 AND d.concluded_on <= $4 AND d.satisfaction IS NOT NULL",
};

/// Demands concluded in [F, T] judged 满意 or 基本满意.
pub static SATISFIED: Population = Population {
    caption: "群众满意或基本满意的诉求",
    timing: Timing::Period,
    unit: &DEMAND,
    records: None,
    sql: "SELECT d.id AS subject, d.id AS record FROM demand d
          WHERE d.org_code >= $1 AND d.org_code < $2
            AND d.concluded_on >= $3 AND d.concluded_on <= $4
            AND d.satisfaction IN ('satisfied', 'fairly_satisfied')",
};

/// Demands registered by D and not concluded by D.
pub static OPEN: Population = Population {
    caption: "在办的诉求",
    timing: Timing::AsOf,
    unit: &DEMAND,
    records: None,
    sql: "SELECT d.id AS subject, d.id AS record FROM demand d
          WHERE d.org_code >= $1 AND d.org_code < $2
            AND d.registered_on <= $3 AND (d.concluded_on IS NULL OR d.concluded_on > $3)",
};

#[cfg(test)]
mod tests {
    #[test]
    fn every_population_filters_on_the_unit_it_concerns() {
        for p in [
            &super::RECEIVED,
            &super::CONCLUDED,
            &super::RESOLVED,
            &super::CONCLUDED_ON_TIME,
            &super::JUDGED,
            &super::SATISFIED,
            &super::OPEN,
        ] {
            assert!(p.sql.contains(super::IN_SCOPE), "{}", p.caption);
        }
    }
}

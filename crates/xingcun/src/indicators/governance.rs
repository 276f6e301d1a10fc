//! 四、深化社会治理: the dispute populations (矛盾纠纷排查化解). A dispute is in scope when its
//! village lies in the scope; all take `$3` F and `$4` T. A dispute is found on its 发现日期 and
//! resolved (化解) on its 办结日期 when its 调处结果 is 调解成功; any other outcome concludes it
//! unresolved.

use sqlx::Row;

use super::units::{SubjectKey, Unit};
use super::{Population, Timing};
use crate::governance::disputes::{KINDS, OUTCOMES, RISKS};
use crate::web::list::Cell;

/// Disputes: one row each.
pub static DISPUTE: Unit = Unit {
    noun: "件",
    columns: &[
        "纠纷编号",
        "所在村",
        "纠纷类型",
        "风险等级",
        "发现日期",
        "办结日期",
        "调处结果",
    ],
    sql: "SELECT d.id, d.dispute_no, o.name, d.kind, d.risk, d.found_on, d.concluded_on, d.outcome
          FROM dispute d JOIN org_unit o ON o.code = d.org_code
          WHERE d.id IN (SELECT s.subject FROM ({population}) s)
          ORDER BY d.found_on, d.dispute_no",
    key: |r| Ok(SubjectKey::Id(r.try_get(0)?)),
    row: |r, _| {
        let id: i64 = r.try_get(0)?;
        let kind: String = r.try_get(3)?;
        let risk: String = r.try_get(4)?;
        let outcome: Option<String> = r.try_get(7)?;
        Ok(vec![
            Cell::link(
                r.try_get::<String, _>(1)?,
                format!("/governance/disputes/{id}"),
            ),
            Cell::Text(r.try_get(2)?),
            Cell::Text(KINDS.word(&kind).to_string()),
            Cell::Text(RISKS.word(&risk).to_string()),
            Cell::Text(r.try_get(5)?),
            Cell::opt(r.try_get(6)?),
            Cell::opt(outcome.map(|o| OUTCOMES.word(&o).to_string())),
        ])
    },
};

#[cfg(test)]
const IN_SCOPE: &str = "d.org_code >= $1 AND d.org_code < $2";

/// Disputes in scope found in [F, T].
pub static FOUND: Population = Population {
    caption: "排查发现的矛盾纠纷",
    timing: Timing::Period,
    unit: &DISPUTE,
    records: None,
    sql: "SELECT d.id AS subject, d.id AS record FROM dispute d
          WHERE d.org_code >= $1 AND d.org_code < $2
            AND d.found_on >= $3 AND d.found_on <= $4",
};

/// Disputes in scope resolved (调解成功) in [F, T].
pub static RESOLVED: Population = Population {
    caption: "化解的矛盾纠纷",
    timing: Timing::Period,
    unit: &DISPUTE,
    records: None,
    sql: "SELECT d.id AS subject, d.id AS record FROM dispute d
          WHERE d.org_code >= $1 AND d.org_code < $2 AND d.outcome = 'mediated'
            AND d.concluded_on >= $3 AND d.concluded_on <= $4",
};

/// Disputes in scope found in [F, T] and resolved by T (the rate's numerator).
pub static FOUND_AND_RESOLVED: Population = Population {
    caption: "期内发现且已化解的矛盾纠纷",
    timing: Timing::Period,
    unit: &DISPUTE,
    records: None,
    sql: "SELECT d.id AS subject, d.id AS record FROM dispute d
          WHERE d.org_code >= $1 AND d.org_code < $2
            AND d.found_on >= $3 AND d.found_on <= $4
            AND d.outcome = 'mediated' AND d.concluded_on <= $4",
};

#[cfg(test)]
mod tests {
    #[test]
    fn every_population_filters_on_the_disputes_unit() {
        for p in [&super::FOUND, &super::RESOLVED, &super::FOUND_AND_RESOLVED] {
            assert!(p.sql.contains(super::IN_SCOPE), "{}", p.caption);
        }
    }
}

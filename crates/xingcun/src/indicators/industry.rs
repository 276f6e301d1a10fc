//! 三、做强产业支撑: the industry populations. A cooperative, family farm or tourism project is
//! in scope when its village lies in the scope; all take `$3` D. Active at D: registered (or
//! started) on or before D and not deregistered (ended) on or before D.

use sqlx::Row;

use super::units::{SubjectKey, Unit};
use super::{Population, Timing};
use crate::web::list::Cell;
use crate::workbook::sheets::BUSINESS_KINDS;

fn kind_label(code: &str) -> String {
    BUSINESS_KINDS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code.to_string(), |(_, l)| (*l).to_string())
}

/// Businesses (cooperatives, federations, family farms): one row each.
pub static BUSINESS: Unit = Unit {
    noun: "个",
    columns: &[
        "统一社会信用代码",
        "名称",
        "主体类型",
        "所在村",
        "登记日期",
        "注销日期",
    ],
    sql: "SELECT b.id, b.credit_code, b.name, b.kind, o.name, b.registered_on, b.deregistered_on
          FROM business b JOIN org_unit o ON o.code = b.org_code
          WHERE b.id IN (SELECT s.subject FROM ({population}) s)
          ORDER BY b.org_code, b.credit_code",
    key: |r| Ok(SubjectKey::Id(r.try_get(0)?)),
    row: |r, _| {
        let id: i64 = r.try_get(0)?;
        let kind: String = r.try_get(3)?;
        Ok(vec![
            Cell::Text(r.try_get(1)?),
            Cell::link(
                r.try_get::<String, _>(2)?,
                format!("/industry/businesses?id={id}"),
            ),
            Cell::Text(kind_label(&kind)),
            Cell::Text(r.try_get(4)?),
            Cell::Text(r.try_get(5)?),
            Cell::opt(r.try_get(6)?),
        ])
    },
};

/// Households: one row each (the household may lie outside the viewer's scope).
pub static HOUSEHOLD: Unit = Unit {
    noun: "户",
    columns: &["户编号", "所属区划"],
    sql: "SELECT h.id, h.household_no, o.name, h.org_code
          FROM household h JOIN org_unit o ON o.code = h.org_code
          WHERE h.id IN (SELECT s.subject FROM ({population}) s)
          ORDER BY h.household_no",
    key: |r| Ok(SubjectKey::Id(r.try_get(0)?)),
    row: |r, ctx| {
        let id: i64 = r.try_get(0)?;
        let no: String = r.try_get(1)?;
        let org: String = r.try_get(3)?;
        let no = if ctx.scope.contains(&org) {
            Cell::link(no, format!("/households/{id}"))
        } else {
            Cell::Text(no)
        };
        Ok(vec![no, Cell::Text(r.try_get(2)?)])
    },
};

/// Rural tourism projects: one row each.
pub static TOURISM: Unit = Unit {
    noun: "个",
    columns: &["项目编号", "名称", "所在村", "开始日期", "结束日期"],
    sql: "SELECT t.id, t.project_no, t.name, o.name, t.starts_on, t.ends_on
          FROM tourism_project t JOIN org_unit o ON o.code = t.org_code
          WHERE t.id IN (SELECT s.subject FROM ({population}) s)
          ORDER BY t.org_code, t.project_no",
    key: |r| Ok(SubjectKey::Id(r.try_get(0)?)),
    row: |r, _| {
        Ok(vec![
            Cell::Text(r.try_get(1)?),
            Cell::Text(r.try_get(2)?),
            Cell::Text(r.try_get(3)?),
            Cell::Text(r.try_get(4)?),
            Cell::opt(r.try_get(5)?),
        ])
    },
};

#[cfg(test)]
const IN_SCOPE: &str = "b.org_code >= $1 AND b.org_code < $2";

/// Cooperatives (federations included) active at D.
pub static COOPERATIVES: Population = Population {
    caption: "存续的农民专业合作社",
    timing: Timing::AsOf,
    unit: &BUSINESS,
    records: None,
    sql: "SELECT b.id AS subject, b.id AS record FROM business b
          WHERE b.org_code >= $1 AND b.org_code < $2 AND b.kind IN ('cooperative', 'federation')
            AND b.registered_on <= $3 AND (b.deregistered_on IS NULL OR b.deregistered_on > $3)",
};

/// Family farms active at D.
pub static FAMILY_FARMS: Population = Population {
    caption: "存续的家庭农场",
    timing: Timing::AsOf,
    unit: &BUSINESS,
    records: None,
    sql: "SELECT b.id AS subject, b.id AS record FROM business b
          WHERE b.org_code >= $1 AND b.org_code < $2 AND b.kind = 'family_farm'
            AND b.registered_on <= $3 AND (b.deregistered_on IS NULL OR b.deregistered_on > $3)",
};

/// Households with a link active at D to a cooperative or family farm in scope active at D.
pub static HOUSEHOLDS_DRIVEN: Population = Population {
    caption: "合作社、家庭农场带动的农户",
    timing: Timing::AsOf,
    unit: &HOUSEHOLD,
    records: None,
    sql: "SELECT DISTINCT l.household_id AS subject, l.household_id AS record
          FROM business_household l JOIN business b ON b.credit_code = l.credit_code
          WHERE b.org_code >= $1 AND b.org_code < $2
            AND b.registered_on <= $3 AND (b.deregistered_on IS NULL OR b.deregistered_on > $3)
            AND l.starts_on <= $3 AND (l.ends_on IS NULL OR l.ends_on > $3)",
};

/// Rural tourism projects active at D.
pub static TOURISM_PROJECTS: Population = Population {
    caption: "运营中的乡村旅游项目",
    timing: Timing::AsOf,
    unit: &TOURISM,
    records: None,
    sql: "SELECT t.id AS subject, t.id AS record FROM tourism_project t
          WHERE t.org_code >= $1 AND t.org_code < $2
            AND t.starts_on <= $3 AND (t.ends_on IS NULL OR t.ends_on > $3)",
};

#[cfg(test)]
mod tests {
    #[test]
    fn every_population_filters_on_the_unit_it_concerns() {
        for p in [
            &super::COOPERATIVES,
            &super::FAMILY_FARMS,
            &super::HOUSEHOLDS_DRIVEN,
        ] {
            assert!(p.sql.contains(super::IN_SCOPE), "{}", p.caption);
        }
        assert!(
            super::TOURISM_PROJECTS
                .sql
                .contains("t.org_code >= $1 AND t.org_code < $2")
        );
    }
}

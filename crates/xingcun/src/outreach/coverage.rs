//! Coverage gaps, defined once: villages with no leader responsible (包村), villages with no
//! stationed cadre (驻村), grids without a cadre (入网), households without a linked party member
//! (联户). Each gap is written on the `outreach.*` populations of `indicators/outreach.rs`, so a
//! gap list and the indicator it complements cannot disagree: an assignment covers at D when it
//! starts on or before D and has no end date or one after D; a village, grid or household
//! revoked (注销) on or before D is not counted.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::{AnyPool, Row};

use crate::error::AppResult;
use crate::indicators::outreach::{GRID_CADRES, HOUSEHOLDS, STATIONED_CADRES, VILLAGES};
use crate::scope::Scope;
use crate::web::urlencode;

/// A kind of coverage gap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Gap {
    /// 行政村/社区 without an active 包村 resting on a 乡镇领导 post
    /// (`outreach.village_contact_coverage`: a village of the denominator not in the numerator).
    NoContact,
    /// 行政村/社区 without an active full-time 驻村 (`outreach.stationed_cadres`).
    NoStationed,
    /// 网格 without an active 入网 resting on a 村干部 post (`outreach.grid_cadres`).
    NoGridCadre,
    /// 农户 without an active 联户 by a party member (`outreach.household_link_coverage`).
    NoLink,
}

impl Gap {
    pub const ALL: [Gap; 4] = [
        Gap::NoContact,
        Gap::NoStationed,
        Gap::NoGridCadre,
        Gap::NoLink,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Gap::NoContact => "无乡镇领导包村的村(社区)",
            Gap::NoStationed => "无专职驻村干部的村(社区)",
            Gap::NoGridCadre => "无入网干部的网格",
            Gap::NoLink => "无党员联系的农户",
        }
    }

    /// What the fix link says.
    pub fn fix_label(self) -> &'static str {
        match self {
            Gap::NoContact => "安排包村",
            Gap::NoStationed => "安排驻村",
            Gap::NoGridCadre => "安排入网",
            Gap::NoLink => "安排联户",
        }
    }

    /// The form that closes the gap, prefilled with the place (never with a person).
    fn fix_href(self, code: &str) -> String {
        let (slug, field) = match self {
            Gap::NoContact => ("village-contacts", "村编码"),
            Gap::NoStationed => ("stationings", "村编码"),
            Gap::NoGridCadre => ("grid-duties", "网格编码"),
            Gap::NoLink => ("household-links", "户编号"),
        };
        format!(
            "/registry/{slug}/new?{}={}",
            urlencode(field),
            urlencode(code)
        )
    }

    /// `$1..$2` the scope's range, `$3` D; columns: code, name, org code, place (the unit's name),
    /// parent's name, detail link.
    fn sql(self) -> String {
        let village = |cond: String| {
            format!(
                "SELECT v.code, v.name, v.code, v.name, t.name, CAST(NULL AS TEXT)
                 FROM org_unit v LEFT JOIN org_unit t ON t.code = v.parent_code
                 WHERE v.code IN ({cond}) ORDER BY v.code"
            )
        };
        match self {
            // A village of the denominator has one row per active 包村, or one with no record.
            Gap::NoContact => village(format!(
                "SELECT s.subject FROM ({}) s WHERE s.record IS NULL",
                VILLAGES.sql
            )),
            Gap::NoStationed => village(format!(
                "SELECT s.subject FROM ({}) s
                 WHERE s.subject NOT IN (
                    SELECT st.org_code FROM stationing st
                    WHERE st.id IN (SELECT c.record FROM ({}) c))",
                VILLAGES.sql, STATIONED_CADRES.sql
            )),
            Gap::NoGridCadre => format!(
                "SELECT g.code, g.name, g.code, g.name, v.name, CAST(NULL AS TEXT)
                 FROM org_unit g LEFT JOIN org_unit v ON v.code = g.parent_code
                 WHERE g.code >= $1 AND g.code < $2 AND g.kind = 'grid'
                   AND (g.revoked_on IS NULL OR g.revoked_on > $3)
                   AND g.code NOT IN (
                    SELECT gd.org_code FROM grid_duty gd
                    WHERE gd.id IN (SELECT c.record FROM ({}) c))
                 ORDER BY g.code",
                GRID_CADRES.sql
            ),
            Gap::NoLink => format!(
                "SELECT h.household_no, h.household_no, h.org_code, o.name, po.name,
                        '/households/' || CAST(h.id AS TEXT)
                 FROM household h JOIN org_unit o ON o.code = h.org_code
                 LEFT JOIN org_unit po ON po.code = o.parent_code
                 WHERE h.id IN (SELECT s.subject FROM ({}) s WHERE s.record IS NULL)
                 ORDER BY h.household_no",
                HOUSEHOLDS.sql
            ),
        }
    }
}

/// One line of a gap list.
#[derive(Debug, Clone, Serialize)]
pub struct GapLine {
    pub gap: Gap,
    /// The village or grid code, or the 户编号.
    pub code: String,
    /// What is uncovered: the unit's name, or the 户编号.
    pub name: String,
    /// The org unit it lies in (the unit itself for a village or grid).
    pub org_code: String,
    pub org_name: String,
    /// The unit above (the township of a village, the village of a grid or household's unit).
    pub parent_name: Option<String>,
    /// The record's own page (a household), if any.
    pub detail_href: Option<String>,
    /// The prefilled form that closes the gap.
    pub fix_href: String,
}

/// Every line of one gap in `scope` at D.
pub async fn gap_lines(
    pool: &AnyPool,
    scope: &Scope,
    gap: Gap,
    at: NaiveDate,
) -> AppResult<Vec<GapLine>> {
    let (lo, hi) = scope.bounds();
    let rows = sqlx::query(sqlx::AssertSqlSafe(gap.sql()))
        .bind(lo)
        .bind(hi)
        .bind(at.to_string())
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| {
            let code: String = r.try_get(0)?;
            Ok(GapLine {
                gap,
                fix_href: gap.fix_href(&code),
                code,
                name: r.try_get(1)?,
                org_code: r.try_get(2)?,
                org_name: r.try_get(3)?,
                parent_name: r.try_get(4)?,
                detail_href: r.try_get(5)?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

/// The four gaps in `scope` at D, in [`Gap::ALL`] order.
pub async fn all_gaps(
    pool: &AnyPool,
    scope: &Scope,
    at: NaiveDate,
) -> AppResult<Vec<(Gap, Vec<GapLine>)>> {
    let mut out = Vec::with_capacity(Gap::ALL.len());
    for gap in Gap::ALL {
        out.push((gap, gap_lines(pool, scope, gap, at).await?));
    }
    Ok(out)
}

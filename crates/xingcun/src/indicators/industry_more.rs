//! 三、做强产业支撑, continued: agricultural parks, partnerships with research institutes, brands
//! and geographic-indication products. Each is in scope by its own unit (a registration by its
//! product's); all take `$3` D. A brand counts from its 认定日期 (the spec's "registered"), a
//! product from its first registration dated ≤ D, once however many it has.

use sqlx::Row;

use super::units::{Records, SubjectKey, Unit};
use super::{Population, Timing};
use crate::web::list::Cell;
use crate::workbook::sheets::{GEO_KINDS, PARK_LEVELS};

/// Agricultural parks: one row each.
pub static PARK: Unit = Unit {
    noun: "个",
    columns: &[
        "园区编号",
        "名称",
        "所在区划",
        "级别",
        "开始日期",
        "结束日期",
    ],
    sql: "SELECT t.id, t.park_no, t.name, o.name, t.level, t.starts_on, t.ends_on
          FROM agri_park t JOIN org_unit o ON o.code = t.org_code
          WHERE t.id IN (SELECT s.subject FROM ({population}) s)
          ORDER BY t.org_code, t.park_no",
    key: |r| Ok(SubjectKey::Id(r.try_get(0)?)),
    row: |r, _| {
        let no: String = r.try_get(1)?;
        let level: String = r.try_get(4)?;
        Ok(vec![
            Cell::link(no.clone(), format!("/industry/parks?q={no}")),
            Cell::Text(r.try_get(2)?),
            Cell::Text(r.try_get(3)?),
            Cell::text(PARK_LEVELS.word(&level)),
            Cell::Text(r.try_get(5)?),
            Cell::opt(r.try_get(6)?),
        ])
    },
};

/// Partnerships with research institutes: one row each.
pub static PARTNERSHIP: Unit = Unit {
    noun: "个",
    columns: &[
        "合作编号",
        "科研院所",
        "合作内容",
        "所在村",
        "开始日期",
        "结束日期",
    ],
    sql: "SELECT t.id, t.partnership_no, t.institute, t.topic, o.name, t.starts_on, t.ends_on
          FROM tech_partnership t JOIN org_unit o ON o.code = t.org_code
          WHERE t.id IN (SELECT s.subject FROM ({population}) s)
          ORDER BY t.org_code, t.partnership_no",
    key: |r| Ok(SubjectKey::Id(r.try_get(0)?)),
    row: |r, _| {
        let no: String = r.try_get(1)?;
        Ok(vec![
            Cell::link(no.clone(), format!("/industry/partnerships?q={no}")),
            Cell::Text(r.try_get(2)?),
            Cell::Text(r.try_get(3)?),
            Cell::Text(r.try_get(4)?),
            Cell::Text(r.try_get(5)?),
            Cell::opt(r.try_get(6)?),
        ])
    },
};

/// Brands: one row each.
pub static BRAND: Unit = Unit {
    noun: "个",
    columns: &["品牌编号", "品牌名称", "所在村", "所有者", "认定日期"],
    sql: "SELECT t.id, t.brand_no, t.name, o.name, COALESCE(b.name, t.owner_name), t.certified_on
          FROM brand t JOIN org_unit o ON o.code = t.org_code
          LEFT JOIN business b ON b.credit_code = t.credit_code
          WHERE t.id IN (SELECT s.subject FROM ({population}) s)
          ORDER BY t.org_code, t.brand_no",
    key: |r| Ok(SubjectKey::Id(r.try_get(0)?)),
    row: |r, _| {
        let no: String = r.try_get(1)?;
        Ok(vec![
            Cell::link(no.clone(), format!("/industry/brands?q={no}")),
            Cell::Text(r.try_get(2)?),
            Cell::Text(r.try_get(3)?),
            Cell::opt(r.try_get(4)?),
            Cell::opt(r.try_get(5)?),
        ])
    },
};

/// Geographic-indication products: one row each.
pub static GEO_PRODUCT: Unit = Unit {
    noun: "个",
    columns: &["产品编号", "产品名称", "所在村"],
    sql: "SELECT t.id, t.product_no, t.name, o.name
          FROM geo_product t JOIN org_unit o ON o.code = t.org_code
          WHERE t.id IN (SELECT s.subject FROM ({population}) s)
          ORDER BY t.org_code, t.product_no",
    key: |r| Ok(SubjectKey::Id(r.try_get(0)?)),
    row: |r, _| {
        let no: String = r.try_get(1)?;
        Ok(vec![
            Cell::link(no.clone(), format!("/industry/geo-products?q={no}")),
            Cell::Text(r.try_get(2)?),
            Cell::Text(r.try_get(3)?),
        ])
    },
};

/// The registrations behind a product: 农产品地理标志 DL001（2021-05-01）.
pub static REGISTRATIONS: Records = Records {
    heading: "地理标志登记",
    sql: "SELECT s.subject, g.kind, g.registration_no, g.registered_on
          FROM ({population}) s JOIN geo_registration g ON g.id = s.record",
    order: "g.registered_on, g.registration_no",
    describe: |r| {
        let kind: String = r.try_get(1)?;
        let no: String = r.try_get(2)?;
        let on: Option<String> = r.try_get(3)?;
        Ok(format!(
            "{} {no}（{}）",
            GEO_KINDS.word(&kind),
            on.unwrap_or_default()
        ))
    },
};

/// Agricultural parks active at D.
pub static AGRI_PARKS: Population = Population {
    caption: "在运营的现代农业园区",
    timing: Timing::AsOf,
    unit: &PARK,
    records: None,
    sql: "SELECT t.id AS subject, t.id AS record FROM agri_park t
          WHERE t.org_code >= $1 AND t.org_code < $2
            AND t.starts_on <= $3 AND (t.ends_on IS NULL OR t.ends_on > $3)",
};

/// Brands certified on or before D.
pub static BRANDS: Population = Population {
    caption: "已认定的农产品品牌",
    timing: Timing::AsOf,
    unit: &BRAND,
    records: None,
    sql: "SELECT t.id AS subject, t.id AS record FROM brand t
          WHERE t.org_code >= $1 AND t.org_code < $2
            AND t.status = 'certified' AND t.certified_on <= $3",
};

/// Products with a registration dated on or before D (one row per registration).
pub static GEO_INDICATIONS: Population = Population {
    caption: "已登记的地理标志产品",
    timing: Timing::AsOf,
    unit: &GEO_PRODUCT,
    records: Some(&REGISTRATIONS),
    sql: "SELECT g.product_id AS subject, g.id AS record FROM geo_registration g
          WHERE g.org_code >= $1 AND g.org_code < $2
            AND g.status = 'registered' AND g.registered_on <= $3",
};

/// Partnerships with research institutes active at D.
pub static TECH_PARTNERSHIPS: Population = Population {
    caption: "在合作期内的科技合作项目",
    timing: Timing::AsOf,
    unit: &PARTNERSHIP,
    records: None,
    sql: "SELECT t.id AS subject, t.id AS record FROM tech_partnership t
          WHERE t.org_code >= $1 AND t.org_code < $2
            AND t.starts_on <= $3 AND (t.ends_on IS NULL OR t.ends_on > $3)",
};

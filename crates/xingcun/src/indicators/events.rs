//! 四、深化社会治理: law-outreach (法律进农村) and civility (移风易俗) events, each in scope by
//! its own 所属区划编码 and counted when dated in [F, T] (`$3` F, `$4` T).

use sqlx::Row;

use super::units::{SubjectKey, Unit};
use super::{Population, Timing};
use crate::web::list::Cell;

/// Law-outreach events: one row each.
pub static LAW_EVENT: Unit = Unit {
    noun: "场",
    columns: &["活动编号", "活动日期", "所属区划", "主题", "参加人数"],
    sql: "SELECT t.id, t.event_no, t.held_on, o.name, t.topic, t.attendance
          FROM law_outreach_event t JOIN org_unit o ON o.code = t.org_code
          WHERE t.id IN (SELECT s.subject FROM ({population}) s)
          ORDER BY t.held_on, t.event_no",
    key: |r| Ok(SubjectKey::Id(r.try_get(0)?)),
    row: |r, _| event_row(r, "/events/law-outreach"),
};

/// Civility events: one row each.
pub static CIVILITY_EVENT: Unit = Unit {
    noun: "场",
    columns: &["活动编号", "活动日期", "所属区划", "主题", "参加人数"],
    sql: "SELECT t.id, t.event_no, t.held_on, o.name, t.topic, t.attendance
          FROM civility_event t JOIN org_unit o ON o.code = t.org_code
          WHERE t.id IN (SELECT s.subject FROM ({population}) s)
          ORDER BY t.held_on, t.event_no",
    key: |r| Ok(SubjectKey::Id(r.try_get(0)?)),
    row: |r, _| event_row(r, "/events/civility"),
};

fn event_row(r: &sqlx::any::AnyRow, list: &str) -> Result<Vec<Cell>, sqlx::Error> {
    let no: String = r.try_get(1)?;
    Ok(vec![
        Cell::link(no.clone(), format!("{list}?q={no}")),
        Cell::Text(r.try_get(2)?),
        Cell::Text(r.try_get(3)?),
        Cell::Text(r.try_get(4)?),
        Cell::opt(r.try_get(5)?),
    ])
}

/// Law-outreach events dated in [F, T].
pub static LAW_OUTREACH_EVENTS: Population = Population {
    caption: "法律进农村活动",
    timing: Timing::Period,
    unit: &LAW_EVENT,
    records: None,
    sql: "SELECT t.id AS subject, t.id AS record FROM law_outreach_event t
          WHERE t.org_code >= $1 AND t.org_code < $2 AND t.held_on >= $3 AND t.held_on <= $4",
};

/// Civility events dated in [F, T].
pub static CIVILITY_EVENTS: Population = Population {
    caption: "移风易俗活动",
    timing: Timing::Period,
    unit: &CIVILITY_EVENT,
    records: None,
    sql: "SELECT t.id AS subject, t.id AS record FROM civility_event t
          WHERE t.org_code >= $1 AND t.org_code < $2 AND t.held_on >= $3 AND t.held_on <= $4",
};

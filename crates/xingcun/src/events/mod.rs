//! 四、深化社会治理's events: law-outreach events (法律进农村) and civility events (移风易俗),
//! dated, placed in an org unit, with topic and attendance. Records come in through the
//! workbook's 法律进农村 and 移风易俗 sheets (`workbook/sheets/more.rs`, rules in
//! `workbook/check/more.rs`) or their forms; the figures are `governance.law_outreach_events`
//! and `governance.civility_events` (`indicators/events.rs`). The lists are table-driven
//! (`web/records.rs`).

pub mod pages;

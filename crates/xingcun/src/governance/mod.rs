//! 四、深化社会治理: 矛盾纠纷排查化解 — canvassing rounds (排查), the disputes they find (纠纷),
//! the parties (当事人, their numbers sealed like a registry person's) and the mediation sessions
//! (调解记录) that lead to an outcome. Records come in through the workbook's 排查, 矛盾纠纷,
//! 纠纷当事人 and 调解记录 sheets (docs/workbook-modules.md, rules in
//! `workbook/check/disputes.rs`); the `governance.dispute*` figures are in
//! `indicators/governance.rs`.
//!
//! - `disputes.rs`: the words of the enumerations, scoped reads, the high-risk alert source and
//!   the escalation message queued when a dispute is written as 高 risk;
//! - `disputes_pages.rs`: `/governance/disputes` (list, export), a dispute's page and its
//!   printable agreement (调解协议书).

pub mod disputes;
pub mod disputes_pages;
pub mod disputes_sheets;

//! The life of a demand (诉求): its states and the one function that says which step may
//! follow which. The platform asks [`transition`] before every change and writes nothing it
//! refuses.
//!
//! ```text
//! 待受理 ──受理──▶ 办理中 ──办结──▶ 已办结 ──满意/基本满意──▶ 已关闭
//!   │  ▲            │  ▲               │
//!   │  └──转办/退回──┘  └────不满意──────┘ (reopened)
//!   └──不予受理────────────────────────▶ 已办结
//! ```
//! 转办 (transfer) and 退回 (return) hand the demand to another unit, which must accept it
//! again; 升级 (escalation) moves it up a level without changing its state; a comment
//! (进展说明) changes nothing but the log.

use chrono::NaiveDate;

use crate::HolidayCalendar;
use crate::enums::{DemandCategory, DemandStatus, Outcome, Satisfaction};

/// One step in a demand's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// 受理: the handling unit takes the demand on.
    Accept,
    /// 转办: handed to another unit, which must accept it.
    Transfer,
    /// 退回: sent back to the unit that handed it over (or the intake unit), with a reason.
    Return,
    /// 升级: moved to the level above, by hand or when its deadline passes.
    Escalate,
    /// 办结: concluded with an outcome. From 待受理 only as 不予受理.
    Conclude(Outcome),
    /// The resident's verdict at the return visit (回访).
    Verdict(Satisfaction),
    /// 进展说明: a note in the log.
    Comment,
}

impl Action {
    /// The storage code of the step, as the event log keeps it.
    pub fn code(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::Transfer => "transfer",
            Action::Return => "return",
            Action::Escalate => "escalate",
            Action::Conclude(_) => "conclude",
            Action::Verdict(_) => "verdict",
            Action::Comment => "comment",
        }
    }

    /// The Chinese word shown in the log.
    pub fn label(self) -> &'static str {
        match self {
            Action::Accept => "受理",
            Action::Transfer => "转办",
            Action::Return => "退回",
            Action::Escalate => "升级",
            Action::Conclude(Outcome::Rejected) => "不予受理",
            Action::Conclude(_) => "办结",
            Action::Verdict(_) => "评价",
            Action::Comment => "进展说明",
        }
    }
}

/// A step the current state does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("诉求当前为“{}”，不能{}", .from.label(), .action.label())]
pub struct IllegalTransition {
    pub from: DemandStatus,
    pub action: Action,
}

/// The state after `action` from `from`, or why it is not allowed. The only place that knows
/// the legal transitions.
pub fn transition(from: DemandStatus, action: Action) -> Result<DemandStatus, IllegalTransition> {
    use DemandStatus::*;
    let to = match (from, action) {
        (Pending, Action::Accept) => InProgress,
        (Pending | InProgress, Action::Transfer | Action::Return) => Pending,
        (Pending | InProgress, Action::Escalate) => from,
        (Pending, Action::Conclude(Outcome::Rejected)) => Concluded,
        (InProgress, Action::Conclude(_)) => Concluded,
        (Concluded, Action::Verdict(Satisfaction::Dissatisfied)) => InProgress,
        (Concluded, Action::Verdict(_)) => Closed,
        (_, Action::Comment) => from,
        _ => return Err(IllegalTransition { from, action }),
    };
    Ok(to)
}

/// Whether the demand is still being handled (its deadline and escalation apply).
pub fn is_open(s: DemandStatus) -> bool {
    matches!(s, DemandStatus::Pending | DemandStatus::InProgress)
}

/// How many working days a demand of each 类别 has (办理时限), counted from its 登记日期 on the
/// holiday calendar. Configurable; [`DeadlineRule::default`] is the platform's default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct DeadlineRule {
    pub urgent: u32,
    pub hard: u32,
    pub worrying: u32,
    pub hoped_for: u32,
    /// A demand with no 类别.
    pub other: u32,
}

impl Default for DeadlineRule {
    fn default() -> Self {
        Self {
            urgent: 3,
            hard: 15,
            worrying: 10,
            hoped_for: 20,
            other: 10,
        }
    }
}

/// A deadline rule that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "办理时限规则“{0}”应写为 urgent=3,hard=15,worrying=10,hoped_for=20,other=10（工作日数，1至365）"
)]
pub struct BadDeadlineRule(pub String);

impl DeadlineRule {
    /// Reads `urgent=3,hard=15,…`; a category left out keeps its default.
    pub fn parse(s: &str) -> Result<Self, BadDeadlineRule> {
        let bad = || BadDeadlineRule(s.to_string());
        let mut rule = Self::default();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').ok_or_else(bad)?;
            let n: u32 = v.trim().parse().map_err(|_| bad())?;
            if !(1..=365).contains(&n) {
                return Err(bad());
            }
            let slot = match k.trim() {
                "urgent" => &mut rule.urgent,
                "hard" => &mut rule.hard,
                "worrying" => &mut rule.worrying,
                "hoped_for" => &mut rule.hoped_for,
                "other" => &mut rule.other,
                _ => return Err(bad()),
            };
            *slot = n;
        }
        Ok(rule)
    }

    /// Working days for a category.
    pub fn days(&self, category: Option<DemandCategory>) -> u32 {
        match category {
            Some(DemandCategory::Urgent) => self.urgent,
            Some(DemandCategory::Hard) => self.hard,
            Some(DemandCategory::Worrying) => self.worrying,
            Some(DemandCategory::HopedFor) => self.hoped_for,
            None => self.other,
        }
    }

    /// 办理时限 of a demand registered on `registered`: the n-th working day after it.
    pub fn deadline(
        &self,
        registered: NaiveDate,
        category: Option<DemandCategory>,
        calendar: &HolidayCalendar,
    ) -> NaiveDate {
        calendar.add_working_days(registered, self.days(category))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DemandStatus::*;
    use rstest::rstest;

    const SOLVED: Action = Action::Conclude(Outcome::Solved);
    const REJECTED: Action = Action::Conclude(Outcome::Rejected);
    const HAPPY: Action = Action::Verdict(Satisfaction::Satisfied);
    const FAIR: Action = Action::Verdict(Satisfaction::FairlySatisfied);
    const UNHAPPY: Action = Action::Verdict(Satisfaction::Dissatisfied);

    /// Every state × every action: the whole table, so a change to it is a visible change here.
    #[rstest]
    #[case(Pending, Action::Accept, Some(InProgress))]
    #[case(Pending, Action::Transfer, Some(Pending))]
    #[case(Pending, Action::Return, Some(Pending))]
    #[case(Pending, Action::Escalate, Some(Pending))]
    #[case(Pending, SOLVED, None)]
    #[case(Pending, REJECTED, Some(Concluded))]
    #[case(Pending, HAPPY, None)]
    #[case(Pending, UNHAPPY, None)]
    #[case(Pending, Action::Comment, Some(Pending))]
    #[case(InProgress, Action::Accept, None)]
    #[case(InProgress, Action::Transfer, Some(Pending))]
    #[case(InProgress, Action::Return, Some(Pending))]
    #[case(InProgress, Action::Escalate, Some(InProgress))]
    #[case(InProgress, SOLVED, Some(Concluded))]
    #[case(InProgress, REJECTED, Some(Concluded))]
    #[case(InProgress, HAPPY, None)]
    #[case(InProgress, Action::Comment, Some(InProgress))]
    #[case(Concluded, Action::Accept, None)]
    #[case(Concluded, Action::Transfer, None)]
    #[case(Concluded, Action::Return, None)]
    #[case(Concluded, Action::Escalate, None)]
    #[case(Concluded, SOLVED, None)]
    #[case(Concluded, HAPPY, Some(Closed))]
    #[case(Concluded, FAIR, Some(Closed))]
    #[case(Concluded, UNHAPPY, Some(InProgress))]
    #[case(Concluded, Action::Comment, Some(Concluded))]
    #[case(Closed, Action::Accept, None)]
    #[case(Closed, Action::Transfer, None)]
    #[case(Closed, Action::Escalate, None)]
    #[case(Closed, SOLVED, None)]
    #[case(Closed, HAPPY, None)]
    #[case(Closed, UNHAPPY, None)]
    #[case(Closed, Action::Comment, Some(Closed))]
    fn transition_table(
        #[case] from: DemandStatus,
        #[case] action: Action,
        #[case] want: Option<DemandStatus>,
    ) {
        assert_eq!(transition(from, action).ok(), want);
    }

    #[test]
    fn a_refused_step_says_the_state_and_the_step_in_chinese() {
        let e = transition(Closed, Action::Accept).unwrap_err();
        assert_eq!(e.to_string(), "诉求当前为“已关闭”，不能受理");
    }

    #[test]
    fn only_pending_and_in_progress_are_open() {
        assert!(is_open(Pending) && is_open(InProgress));
        assert!(!is_open(Concluded) && !is_open(Closed));
    }

    #[test]
    fn deadline_counts_working_days_over_the_national_day_holiday() {
        let cal = HolidayCalendar::official();
        let rule = DeadlineRule::default();
        // Registered Wednesday 30 Sep 2026; 1–7 Oct are off; Thu 8, Fri 9 and the make-up
        // Saturday 10 Oct are the three working days.
        let reg = NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
        let d = rule.deadline(reg, Some(DemandCategory::Urgent), &cal);
        assert_eq!(d, NaiveDate::from_ymd_opt(2026, 10, 10).unwrap());
        assert_eq!(cal.working_days_between(reg, d), 3);
    }

    #[rstest]
    #[case("urgent=2", Some(DeadlineRule { urgent: 2, ..DeadlineRule::default() }))]
    #[case("urgent=2, other=5", Some(DeadlineRule { urgent: 2, other: 5, ..DeadlineRule::default() }))]
    #[case("", Some(DeadlineRule::default()))]
    #[case("urgent=0", None)]
    #[case("fast=2", None)]
    #[case("urgent", None)]
    #[case("urgent=x", None)]
    fn deadline_rule_parses(#[case] text: &str, #[case] want: Option<DeadlineRule>) {
        assert_eq!(DeadlineRule::parse(text).ok(), want);
    }
}

//! The lives of a practical project (实事) and of an honour (荣誉): their states and the one
//! function for each that says which step may follow which. The workbook asks [`reachable`]
//! and [`honor_reachable`] before it moves a stored record to another state, so a completed
//! project never goes back to 计划 and an awarded honour never back to 公示.
//!
//! ```text
//! 实事:  计划 ──开工──▶ 实施中 ──完成──▶ 已完成
//! 荣誉:  提名 ──审核──▶ 审核通过 ──公示──▶ 公示 ──授予──▶ 已授予
//!          └──────────────┴──────────────┴──不予通过──▶ 未通过
//! ```

use crate::enums::{HonorStatus, ProjectStatus};

/// One step in a practical project's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectAction {
    /// 开工: work starts.
    Start,
    /// 完成: the project is done.
    Complete,
}

impl ProjectAction {
    pub const ALL: &'static [Self] = &[Self::Start, Self::Complete];

    pub fn label(self) -> &'static str {
        match self {
            Self::Start => "开工",
            Self::Complete => "完成",
        }
    }
}

/// One step in an honour's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HonorAction {
    /// 审核通过.
    Review,
    /// 公示: the public notice starts.
    Publish,
    /// 授予: awarded after the notice.
    Award,
    /// 不予通过: refused at review, or an objection upheld during the notice.
    Reject,
}

impl HonorAction {
    pub const ALL: &'static [Self] = &[Self::Review, Self::Publish, Self::Award, Self::Reject];

    pub fn label(self) -> &'static str {
        match self {
            Self::Review => "审核通过",
            Self::Publish => "公示",
            Self::Award => "授予",
            Self::Reject => "不予通过",
        }
    }
}

/// A step the current state does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("当前为“{from}”，不能{action}")]
pub struct IllegalStep {
    pub from: &'static str,
    pub action: &'static str,
}

/// The state after `action` from `from`: the only place that knows a project's legal steps.
pub fn project_transition(
    from: ProjectStatus,
    action: ProjectAction,
) -> Result<ProjectStatus, IllegalStep> {
    use ProjectStatus::*;
    match (from, action) {
        (Planned, ProjectAction::Start) => Ok(InProgress),
        (InProgress, ProjectAction::Complete) => Ok(Completed),
        _ => Err(IllegalStep {
            from: from.label(),
            action: action.label(),
        }),
    }
}

/// The state after `action` from `from`: the only place that knows an honour's legal steps.
pub fn honor_transition(
    from: HonorStatus,
    action: HonorAction,
) -> Result<HonorStatus, IllegalStep> {
    use HonorStatus::*;
    match (from, action) {
        (Nominated, HonorAction::Review) => Ok(Reviewed),
        (Reviewed, HonorAction::Publish) => Ok(Notice),
        (Notice, HonorAction::Award) => Ok(Awarded),
        (Nominated | Reviewed | Notice, HonorAction::Reject) => Ok(Rejected),
        _ => Err(IllegalStep {
            from: from.label(),
            action: action.label(),
        }),
    }
}

/// Whether a project may go from `from` to `to` by zero or more legal steps (an import may
/// record several steps at once, never one backwards).
pub fn reachable(from: ProjectStatus, to: ProjectStatus) -> bool {
    closure(from, to, |s| {
        ProjectAction::ALL
            .iter()
            .filter_map(|a| project_transition(s, *a).ok())
            .collect()
    })
}

/// Whether an honour may go from `from` to `to` by zero or more legal steps.
pub fn honor_reachable(from: HonorStatus, to: HonorStatus) -> bool {
    closure(from, to, |s| {
        HonorAction::ALL
            .iter()
            .filter_map(|a| honor_transition(s, *a).ok())
            .collect()
    })
}

fn closure<S: Copy + PartialEq>(from: S, to: S, next: impl Fn(S) -> Vec<S>) -> bool {
    let mut seen = vec![from];
    let mut i = 0;
    while i < seen.len() {
        if seen[i] == to {
            return true;
        }
        for n in next(seen[i]) {
            if !seen.contains(&n) {
                seen.push(n);
            }
        }
        i += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use HonorStatus as H;
    use ProjectStatus as P;
    use rstest::rstest;

    #[rstest]
    #[case(P::Planned, ProjectAction::Start, Some(P::InProgress))]
    #[case(P::Planned, ProjectAction::Complete, None)]
    #[case(P::InProgress, ProjectAction::Start, None)]
    #[case(P::InProgress, ProjectAction::Complete, Some(P::Completed))]
    #[case(P::Completed, ProjectAction::Start, None)]
    #[case(P::Completed, ProjectAction::Complete, None)]
    fn project_steps(#[case] from: P, #[case] a: ProjectAction, #[case] want: Option<P>) {
        assert_eq!(project_transition(from, a).ok(), want);
    }

    #[rstest]
    #[case(H::Nominated, HonorAction::Review, Some(H::Reviewed))]
    #[case(H::Nominated, HonorAction::Publish, None)]
    #[case(H::Nominated, HonorAction::Award, None)]
    #[case(H::Nominated, HonorAction::Reject, Some(H::Rejected))]
    #[case(H::Reviewed, HonorAction::Review, None)]
    #[case(H::Reviewed, HonorAction::Publish, Some(H::Notice))]
    #[case(H::Reviewed, HonorAction::Award, None)]
    #[case(H::Reviewed, HonorAction::Reject, Some(H::Rejected))]
    #[case(H::Notice, HonorAction::Review, None)]
    #[case(H::Notice, HonorAction::Publish, None)]
    #[case(H::Notice, HonorAction::Award, Some(H::Awarded))]
    #[case(H::Notice, HonorAction::Reject, Some(H::Rejected))]
    #[case(H::Awarded, HonorAction::Reject, None)]
    #[case(H::Awarded, HonorAction::Award, None)]
    #[case(H::Rejected, HonorAction::Review, None)]
    fn honor_steps(#[case] from: H, #[case] a: HonorAction, #[case] want: Option<H>) {
        assert_eq!(honor_transition(from, a).ok(), want);
    }

    #[test]
    fn reachability_follows_the_steps_forward_only() {
        assert!(reachable(P::Planned, P::Completed));
        assert!(reachable(P::Completed, P::Completed));
        assert!(!reachable(P::Completed, P::InProgress));
        assert!(!reachable(P::InProgress, P::Planned));
        assert!(honor_reachable(H::Nominated, H::Awarded));
        assert!(honor_reachable(H::Notice, H::Rejected));
        assert!(!honor_reachable(H::Awarded, H::Notice));
        assert!(!honor_reachable(H::Rejected, H::Nominated));
        assert!(!honor_reachable(H::Awarded, H::Rejected));
    }

    #[test]
    fn a_refused_step_names_the_state_and_the_step() {
        let e = project_transition(P::Completed, ProjectAction::Start).unwrap_err();
        assert_eq!(e.to_string(), "当前为“已完成”，不能开工");
    }
}

//! The lives of a practical project (实事) and of an honour (荣誉): their states and the one
//! function for each that says which step may follow which. The workbook asks [`reachable`]
//! and [`honor_reachable`] before it moves a stored record to another state, so a completed
//! project never goes back to 计划 and an awarded honour never back to 公示.
//!
//! ```text
//! 实事:  计划 ──开工──▶ 实施中 ──完成──▶ 已完成
//! 荣誉:  提名 ──审核──▶ 审核通过 ──公示──▶ 公示 ──授予──▶ 已授予
//!          └──────────────┴──────────────┴──不予通过──▶ 未通过
//! 擂台赛: 筹备 ──开始评分──▶ 评分中 ──公布──▶ 已公布
//! ```
//!
//! An honour is awarded only after its public notice has ended and with no objection left
//! unhandled ([`award_refusal`]); a contest's ranking is [`rank`].

use chrono::NaiveDate;

use crate::enums::{ContestStatus, HonorStatus, ProjectStatus};

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

/// One step in a contest's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContestAction {
    /// 开始评分: the judges may enter scores.
    OpenScoring,
    /// 公布: the ranking is published and scores are frozen.
    Publish,
}

impl ContestAction {
    pub const ALL: &'static [Self] = &[Self::OpenScoring, Self::Publish];

    pub fn label(self) -> &'static str {
        match self {
            Self::OpenScoring => "开始评分",
            Self::Publish => "公布结果",
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

/// The state after `action` from `from`: the only place that knows a contest's legal steps.
pub fn contest_transition(
    from: ContestStatus,
    action: ContestAction,
) -> Result<ContestStatus, IllegalStep> {
    use ContestStatus::*;
    match (from, action) {
        (Draft, ContestAction::OpenScoring) => Ok(Scoring),
        (Scoring, ContestAction::Publish) => Ok(Published),
        _ => Err(IllegalStep {
            from: from.label(),
            action: action.label(),
        }),
    }
}

/// Whether a contest may go from `from` to `to` by zero or more legal steps.
pub fn contest_reachable(from: ContestStatus, to: ContestStatus) -> bool {
    closure(from, to, |s| {
        ContestAction::ALL
            .iter()
            .filter_map(|a| contest_transition(s, *a).ok())
            .collect()
    })
}

/// Why an honour may not be awarded on `on`: its public notice (公示) has not been held or has
/// not ended by then, or `unhandled` objections (异议) lodged against it are still open.
pub fn award_refusal(
    notice: Option<(NaiveDate, NaiveDate)>,
    on: NaiveDate,
    unhandled: usize,
) -> Option<String> {
    match notice {
        None => Some("未经公示，不能授予".to_string()),
        Some((_, end)) if on < end => Some(format!("公示期至 {end} 结束，结束前不能授予")),
        _ if unhandled > 0 => Some(format!("有 {unhandled} 条异议尚未处理，不能授予")),
        _ => None,
    }
}

/// One contestant's judge totals, in hundredths of a point, by judge (`None`: that judge has
/// not scored every criterion for the contestant, so the sheet does not count).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scorecard {
    pub totals: Vec<Option<i64>>,
}

/// A contestant's place in the ranking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    /// Index of the contestant in the input.
    pub index: usize,
    /// 1-based rank; equal for contestants still tied after every tie-break; `None` for a
    /// contestant no judge has fully scored (listed last).
    pub rank: Option<usize>,
    /// The final score in hundredths: the mean of the counted judge totals, rounded half up.
    pub score: Option<i64>,
    /// Judge totals counted (after dropping the extremes).
    pub counted: usize,
    /// Judges who gave this contestant their highest total (ties for first count for each).
    pub firsts: usize,
    /// The lowest counted judge total.
    pub lowest: Option<i64>,
}

/// The ranking of a contest (擂台赛排名). For each contestant, the judge totals of the complete
/// score sheets are taken; with `drop_extremes` and three or more of them, one highest and one
/// lowest are dropped; the final score is the mean of the rest, rounded half up to 0.01.
/// Higher final score ranks first; on equal final scores, more judges giving the contestant
/// their highest total ranks first, then the higher lowest counted total; contestants still
/// equal share the rank (1, 2, 2, 4), listed in input order (the caller passes them by name).
pub fn rank(cards: &[Scorecard], drop_extremes: bool) -> Vec<Standing> {
    let judges = cards.iter().map(|c| c.totals.len()).max().unwrap_or(0);
    let best: Vec<Option<i64>> = (0..judges)
        .map(|j| {
            cards
                .iter()
                .filter_map(|c| c.totals.get(j).copied().flatten())
                .max()
        })
        .collect();
    let mut out: Vec<Standing> = cards
        .iter()
        .enumerate()
        .map(|(index, c)| {
            let mut kept: Vec<i64> = c.totals.iter().filter_map(|t| *t).collect();
            kept.sort_unstable();
            if drop_extremes && kept.len() >= 3 {
                kept.pop();
                kept.remove(0);
            }
            let score = (!kept.is_empty()).then(|| {
                let (sum, n) = (kept.iter().sum::<i64>(), kept.len() as i64);
                (2 * sum + n).div_euclid(2 * n)
            });
            let firsts = c
                .totals
                .iter()
                .zip(&best)
                .filter(|(t, b)| t.is_some() && *t == *b)
                .count();
            Standing {
                index,
                rank: None,
                score,
                counted: kept.len(),
                firsts,
                lowest: kept.first().copied(),
            }
        })
        .collect();
    let order = |s: &Standing| {
        (
            s.score.is_none(),
            -s.score.unwrap_or(0),
            -(s.firsts as i64),
            -s.lowest.unwrap_or(0),
        )
    };
    out.sort_by_key(|s| (order(s), s.index));
    for i in 0..out.len() {
        if out[i].score.is_none() {
            break;
        }
        out[i].rank = Some(if i > 0 && order(&out[i - 1]) == order(&out[i]) {
            out[i - 1].rank.unwrap_or(i + 1)
        } else {
            i + 1
        });
    }
    out
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

    fn card(t: &[Option<i64>]) -> Scorecard {
        Scorecard { totals: t.to_vec() }
    }

    /// (judge totals of each contestant, drop extremes) → (rank, score) in input order.
    #[rstest]
    // The mean of every judge, rounded half up: 85.005 → 85.01.
    #[case(vec![vec![Some(8500), Some(8501)], vec![Some(9000), Some(8000)]], false,
           vec![(Some(1), Some(8501)), (Some(2), Some(8500))])]
    // Dropping one highest and one lowest with three judges or more.
    #[case(vec![vec![Some(9900), Some(8000), Some(8100)], vec![Some(8300), Some(8200), Some(8400)]], true,
           vec![(Some(2), Some(8100)), (Some(1), Some(8300))])]
    // Without the flag the same totals keep every judge.
    #[case(vec![vec![Some(9900), Some(8000), Some(8100)], vec![Some(8300), Some(8200), Some(8400)]], false,
           vec![(Some(1), Some(8667)), (Some(2), Some(8300))])]
    // Two judges only: nothing is dropped even with the flag; one first place each, so the
    // higher lowest total (80 against 70) decides.
    #[case(vec![vec![Some(9000), Some(7000)], vec![Some(8000), Some(8000)]], true,
           vec![(Some(2), Some(8000)), (Some(1), Some(8000))])]
    // Equal scores: more first places wins (judge 3 gives all three his top total, so the
    // first and the third have two each, the second one); the first and third stay equal.
    #[case(vec![vec![Some(9000), Some(7000), Some(8000)], vec![Some(8000), Some(8000), Some(8000)],
             vec![Some(7000), Some(9000), Some(8000)]], false,
           vec![(Some(1), Some(8000)), (Some(3), Some(8000)), (Some(1), Some(8000))])]
    // Equal scores and first places: the higher lowest total wins.
    #[case(vec![vec![Some(9000), Some(7000)], vec![Some(8500), Some(7500)], vec![Some(6000), Some(6000)]], false,
           vec![(Some(2), Some(8000)), (Some(1), Some(8000)), (Some(3), Some(6000))])]
    // An incomplete sheet does not count (nor earns a first place); a contestant with none is
    // unranked.
    #[case(vec![vec![None, Some(7000)], vec![None, None], vec![Some(6000), Some(8000)]], false,
           vec![(Some(2), Some(7000)), (None, None), (Some(1), Some(7000))])]
    fn contest_ranking(
        #[case] totals: Vec<Vec<Option<i64>>>,
        #[case] drop: bool,
        #[case] want: Vec<(Option<usize>, Option<i64>)>,
    ) {
        let cards: Vec<Scorecard> = totals.iter().map(|t| card(t)).collect();
        let mut got = rank(&cards, drop);
        got.sort_by_key(|s| s.index);
        let got: Vec<_> = got.iter().map(|s| (s.rank, s.score)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn ties_share_a_rank_and_the_next_rank_skips() {
        let cards = [
            card(&[Some(9000)]),
            card(&[Some(8000)]),
            card(&[Some(8000)]),
            card(&[Some(7000)]),
        ];
        let got: Vec<_> = rank(&cards, false)
            .iter()
            .map(|s| (s.index, s.rank))
            .collect();
        assert_eq!(
            got,
            [(0, Some(1)), (1, Some(2)), (2, Some(2)), (3, Some(4))]
        );
    }

    #[rstest]
    #[case(
        ContestStatus::Draft,
        ContestAction::OpenScoring,
        Some(ContestStatus::Scoring)
    )]
    #[case(ContestStatus::Draft, ContestAction::Publish, None)]
    #[case(
        ContestStatus::Scoring,
        ContestAction::Publish,
        Some(ContestStatus::Published)
    )]
    #[case(ContestStatus::Scoring, ContestAction::OpenScoring, None)]
    #[case(ContestStatus::Published, ContestAction::OpenScoring, None)]
    #[case(ContestStatus::Published, ContestAction::Publish, None)]
    fn contest_steps(
        #[case] from: ContestStatus,
        #[case] a: ContestAction,
        #[case] want: Option<ContestStatus>,
    ) {
        assert_eq!(contest_transition(from, a).ok(), want);
    }

    #[test]
    fn an_award_waits_for_the_notice_to_end_and_every_objection_to_be_handled() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let notice = Some((d("2026-03-01"), d("2026-03-07")));
        assert!(award_refusal(None, d("2026-03-08"), 0).is_some());
        assert!(award_refusal(notice, d("2026-03-06"), 0).is_some());
        assert_eq!(award_refusal(notice, d("2026-03-07"), 0), None);
        assert_eq!(
            award_refusal(notice, d("2026-03-09"), 1).as_deref(),
            Some("有 1 条异议尚未处理，不能授予")
        );
    }

    #[test]
    fn a_refused_step_names_the_state_and_the_step() {
        let e = project_transition(P::Completed, ProjectAction::Start).unwrap_err();
        assert_eq!(e.to_string(), "当前为“已完成”，不能开工");
    }
}

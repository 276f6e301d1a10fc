//! The sheets of 一、筑先锋堡垒's branch work (实事, 整顿, 整顿问题, 荣誉, 示范点, 达标评定, the
//! standard 达标标准/标准分项/标准指标 with 达标评分, 荣誉异议, and the contest sheets 擂台赛,
//! 擂台赛指标, 擂台赛选手, 擂台赛评委, 擂台赛评分): units and references, the dates each state
//! requires, states moving only forward (by the steps of `xingcun_domain::branches`), 验收销号
//! only when every problem of the case is solved, an award only after the notice and with every
//! objection handled, scores within their criterion's points and only while a contest is 评分中
//! (docs/workbook-modules.md).

use std::collections::{BTreeMap, HashMap, HashSet};

use sqlx::{AnyPool, Row};
use xingcun_crypto::CryptoProvider;
use xingcun_domain::branches::{award_refusal, contest_reachable, honor_reachable, reachable};
use xingcun_domain::enums::{ContestStatus, HonorStatus, ProjectStatus};

use super::{
    Item, Options, SheetPlan, World, check_person_ref_at, ix, load, resolve_people_at, sheets,
};
use crate::workbook::Problem;
use crate::workbook::read::SheetData;
use crate::workbook::sheets::SheetId;

/// Whether a sheet is one of the branch-work sheets.
pub(super) fn is_branches(id: SheetId) -> bool {
    matches!(
        id,
        SheetId::PracticalProjects
            | SheetId::Rectifications
            | SheetId::RectificationProblems
            | SheetId::Honors
            | SheetId::ModelSites
            | SheetId::Assessments
            | SheetId::BranchStandards
            | SheetId::StandardSections
            | SheetId::StandardCriteria
            | SheetId::AssessmentScores
            | SheetId::HonorObjections
            | SheetId::Contests
            | SheetId::ContestCriteria
            | SheetId::Contestants
            | SheetId::ContestJudges
            | SheetId::ContestScores
    )
}

/// Whether a branch sheet names people by ID number (checked in [`check_honor_people`]).
pub(super) fn names_people(id: SheetId) -> bool {
    matches!(
        id,
        SheetId::Honors | SheetId::Contestants | SheetId::ContestScores
    )
}

/// The unit a record lies in (for `--org`).
pub(super) fn unit_of(id: SheetId, values: &[Option<String>], world: &World) -> Option<String> {
    match id {
        SheetId::PracticalProjects => values[1].clone(),
        SheetId::Rectifications | SheetId::Assessments => values[1]
            .as_ref()
            .and_then(|o| world.party_orgs.get(o).map(|x| x.1.clone())),
        SheetId::RectificationProblems => {
            values[0].as_ref().and_then(|c| world.cases.get(c).cloned())
        }
        SheetId::Honors => values[3].clone(),
        SheetId::ModelSites => values[2].clone(),
        // The standard is the district's: only an import for the whole district changes it.
        SheetId::BranchStandards | SheetId::StandardSections | SheetId::StandardCriteria => {
            world.root.clone()
        }
        SheetId::AssessmentScores => unit_by(world, "评定", values),
        SheetId::HonorObjections => unit_by(world, "荣誉", values),
        SheetId::Contests => values[3].clone(),
        SheetId::ContestCriteria
        | SheetId::Contestants
        | SheetId::ContestJudges
        | SheetId::ContestScores => unit_by(world, "赛事", values),
        _ => None,
    }
}

fn unit_by(world: &World, kind: &str, values: &[Option<String>]) -> Option<String> {
    let no = values[0].as_deref()?;
    world.branch_units.get(&format!("{kind}:{no}")).cloned()
}

/// Checks the rows of one branch-work sheet; `plans` holds the sheets checked before it.
pub(super) async fn check(
    pool: &AnyPool,
    d: &SheetData,
    items: &[Item],
    plans: &[SheetPlan],
    world: &mut World,
    opts: &Options,
    problems: &mut Vec<Problem>,
) -> Result<(), sqlx::Error> {
    let today = opts.today.format("%Y-%m-%d").to_string();
    match d.sheet.id {
        SheetId::PracticalProjects => {
            for it in items {
                project(d, it, world, &today, problems);
            }
        }
        SheetId::Rectifications => {
            let s = &sheets::RECTIFICATIONS;
            let (org, found, accepted) =
                (ix(s, "组织编码"), ix(s, "认定日期"), ix(s, "验收销号日期"));
            for it in items {
                let code = it.get(org).unwrap_or_default();
                match world.party_orgs.get(code) {
                    Some((_, unit)) => {
                        world.cases.insert(it.key.clone(), unit.clone());
                    }
                    None => problems.push(d.problem(
                        it.row,
                        Some(org),
                        Some(code),
                        format!("组织编码 {code} 不存在（党组织表和系统中都没有）"),
                    )),
                }
                dates_in_order(d, it, found, accepted, problems);
                not_after_today(d, it, accepted, &today, problems);
            }
        }
        SheetId::RectificationProblems => {
            let s = &sheets::RECTIFICATION_PROBLEMS;
            let found = cases_found_on(pool, items, plans, world).await?;
            let (deadline, solved) = (ix(s, "整改时限"), ix(s, "解决日期"));
            for it in items {
                let case = it.get(0).unwrap_or_default();
                let Some(found_on) = found.get(case) else {
                    problems.push(d.problem(
                        it.row,
                        Some(0),
                        Some(case),
                        format!("整顿编号 {case} 不存在（整顿表和系统中都没有）"),
                    ));
                    continue;
                };
                for col in [deadline, solved] {
                    if let Some(v) = it.get(col)
                        && v < found_on.as_str()
                    {
                        problems.push(d.problem(
                            it.row,
                            Some(col),
                            Some(v),
                            format!(
                                "{}不能早于整顿的认定日期（{found_on}）",
                                s.columns[col].header
                            ),
                        ));
                    }
                }
                not_after_today(d, it, solved, &today, problems);
            }
        }
        SheetId::Honors => honors(d, items, world, &today, problems),
        SheetId::Assessments => {
            let s = &sheets::ASSESSMENTS;
            let [org, on, score] = ["组织编码", "评定日期", "得分"].map(|h| ix(s, h));
            for it in items {
                let code = it.get(org).unwrap_or_default();
                if !world.party_orgs.contains_key(code) {
                    problems.push(d.problem(
                        it.row,
                        Some(org),
                        Some(code),
                        format!("组织编码 {code} 不存在（党组织表和系统中都没有）"),
                    ));
                }
                not_after_today(d, it, on, &today, problems);
                if let Some(v) = it.get(score)
                    && !(is_amount(v) && v.parse::<f64>().is_ok_and(|x| x <= 100.0))
                {
                    problems.push(d.problem(
                        it.row,
                        Some(score),
                        Some(v),
                        "得分应为0至100的数，最多两位小数",
                    ));
                }
            }
        }
        SheetId::BranchStandards
        | SheetId::StandardSections
        | SheetId::StandardCriteria
        | SheetId::AssessmentScores
        | SheetId::HonorObjections
        | SheetId::Contests
        | SheetId::ContestCriteria
        | SheetId::Contestants
        | SheetId::ContestJudges
        | SheetId::ContestScores => {
            more::check(pool, d, items, plans, world, &today, problems).await?;
        }
        SheetId::ModelSites => {
            let s = &sheets::MODEL_SITES;
            let org = ix(s, "所属区划编码");
            for it in items {
                unit_exists(d, it, org, world, problems);
                dates_in_order(d, it, ix(s, "命名日期"), ix(s, "撤销日期"), problems);
            }
        }
        _ => {}
    }
    Ok(())
}

/// The people an honour, a contestant or a contest score names must exist (人员 sheet or the
/// database); a score's contestant must be one of its contest's.
#[allow(clippy::too_many_arguments)]
pub(super) async fn check_honor_people(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    d: &SheetData,
    items: &[Item],
    plans: &[SheetPlan],
    world: &mut World,
    opts: &Options,
    problems: &mut Vec<Problem>,
) -> Result<(), sqlx::Error> {
    let col = match d.sheet.id {
        SheetId::Honors => ix(&sheets::HONORS, "身份证号"),
        SheetId::Contestants => 1,
        _ => 2,
    };
    resolve_people_at(pool, crypto, items, col, world, opts).await?;
    let mut ok = Vec::new();
    for it in items {
        ok.push(check_person_ref_at(d, it, col, world, opts, problems));
    }
    if d.sheet.id == SheetId::ContestScores {
        more::check_score_contestants(pool, crypto, d, items, plans, &ok, problems).await?;
    }
    Ok(())
}

/// 认定日期 of the cases the problems name, from this workbook or the database; fills
/// `world.cases` (case → unit) for the database ones.
async fn cases_found_on(
    pool: &AnyPool,
    items: &[Item],
    plans: &[SheetPlan],
    world: &mut World,
) -> Result<HashMap<String, String>, sqlx::Error> {
    let mut found = HashMap::new();
    let found_i = ix(&sheets::RECTIFICATIONS, "认定日期");
    for p in plans
        .iter()
        .filter(|p| p.sheet.id == SheetId::Rectifications)
    {
        for it in &p.items {
            if let Some(f) = it.get(found_i) {
                found.insert(it.key.clone(), f.to_string());
            }
        }
    }
    let wanted: Vec<String> = items
        .iter()
        .filter_map(|it| it.get(0))
        .filter(|c| !found.contains_key(*c))
        .map(str::to_string)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    for r in load::select_in(
        pool,
        "SELECT case_no, found_on, org_code FROM rectification WHERE case_no IN",
        &wanted,
    )
    .await?
    {
        let case: String = r.try_get(0)?;
        found.insert(case.clone(), r.try_get(1)?);
        world.cases.insert(case, r.try_get(2)?);
    }
    Ok(found)
}

fn project(d: &SheetData, it: &Item, world: &World, today: &str, problems: &mut Vec<Problem>) {
    let s = &sheets::PRACTICAL_PROJECTS;
    let [village, cost, people, status, started, completed] = [
        "村编码",
        "投资金额",
        "受益人数",
        "状态",
        "开工日期",
        "完成日期",
    ]
    .map(|h| ix(s, h));
    if let Some(code) = it.get(village) {
        match world.orgs.get(code) {
            Some((k, _)) if k.is_village() => {}
            Some(_) => problems.push(d.problem(
                it.row,
                Some(village),
                Some(code),
                format!("{code} 不是行政村或社区"),
            )),
            None => problems.push(d.problem(
                it.row,
                Some(village),
                Some(code),
                format!("区划编码 {code} 不存在"),
            )),
        }
    }
    if let Some(v) = it.get(cost)
        && !is_amount(v)
    {
        problems.push(d.problem(
            it.row,
            Some(cost),
            Some(v),
            "投资金额应为不小于0的数（万元，最多两位小数），如 12.5",
        ));
    }
    if let Some(v) = it.get(people)
        && !(v.len() <= 9 && !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
    {
        problems.push(d.problem(it.row, Some(people), Some(v), "受益人数应为不小于0的整数"));
    }
    dates_in_order(d, it, started, completed, problems);
    not_after_today(d, it, started, today, problems);
    not_after_today(d, it, completed, today, problems);
    let Some(state) = it.get(status).and_then(ProjectStatus::from_code) else {
        return;
    };
    if state != ProjectStatus::Planned && it.get(started).is_none() {
        problems.push(d.problem(
            it.row,
            Some(started),
            None,
            format!("状态为{}时须填写开工日期", state.label()),
        ));
    }
    match (
        state == ProjectStatus::Completed,
        it.get(completed).is_some(),
    ) {
        (true, false) => problems.push(d.problem(
            it.row,
            Some(completed),
            None,
            "状态为已完成时须填写完成日期",
        )),
        (false, true) => problems.push(d.problem(
            it.row,
            Some(completed),
            it.get(completed),
            format!("状态为{}时完成日期应为空", state.label()),
        )),
        _ => {}
    }
    if let Some((_, old)) = &it.existing
        && let Some(from) = old[status].as_deref().and_then(ProjectStatus::from_code)
        && !reachable(from, state)
    {
        problems.push(d.problem(
            it.row,
            Some(status),
            Some(state.label()),
            format!("实事已为“{}”，不能改回“{}”", from.label(), state.label()),
        ));
    }
}

fn honors(d: &SheetData, items: &[Item], world: &World, today: &str, problems: &mut Vec<Problem>) {
    let s = &sheets::HONORS;
    let [org, status, nominated, from, to, awarded] = [
        "所属区划编码",
        "状态",
        "提名日期",
        "公示开始日期",
        "公示结束日期",
        "授予日期",
    ]
    .map(|h| ix(s, h));
    for it in items {
        unit_exists(d, it, org, world, problems);
        dates_in_order(d, it, nominated, from, problems);
        dates_in_order(d, it, from, to, problems);
        dates_in_order(d, it, to, awarded, problems);
        not_after_today(d, it, nominated, today, problems);
        not_after_today(d, it, awarded, today, problems);
        if it.get(from).is_some() != it.get(to).is_some() {
            problems.push(d.problem(
                it.row,
                Some(to),
                it.get(to),
                "公示开始日期与公示结束日期须同时填写",
            ));
        }
        let Some(state) = it.get(status).and_then(HonorStatus::from_code) else {
            continue;
        };
        if matches!(state, HonorStatus::Notice | HonorStatus::Awarded) && it.get(from).is_none() {
            problems.push(d.problem(
                it.row,
                Some(from),
                None,
                format!("状态为{}时须填写公示起止日期", state.label()),
            ));
        }
        match (state == HonorStatus::Awarded, it.get(awarded).is_some()) {
            (true, false) => problems.push(d.problem(
                it.row,
                Some(awarded),
                None,
                "状态为已授予时须填写授予日期",
            )),
            (false, true) => problems.push(d.problem(
                it.row,
                Some(awarded),
                it.get(awarded),
                format!("状态为{}时授予日期应为空", state.label()),
            )),
            _ => {}
        }
        if let Some((_, old)) = &it.existing
            && let Some(was) = old[status].as_deref().and_then(HonorStatus::from_code)
            && !honor_reachable(was, state)
        {
            problems.push(d.problem(
                it.row,
                Some(status),
                Some(state.label()),
                format!("荣誉已为“{}”，不能改为“{}”", was.label(), state.label()),
            ));
        }
    }
}

/// 验收销号: a case may carry an acceptance date only when it has problems and every one of
/// them was solved on or before that date — with the workbook's rows merged over the stored ones.
pub(super) async fn check_acceptance(
    pool: &AnyPool,
    data: &[SheetData],
    plans: &[SheetPlan],
    problems: &mut Vec<Problem>,
) -> Result<(), sqlx::Error> {
    let plan_of = |id: SheetId| plans.iter().find(|p| p.sheet.id == id);
    let data_of = |id: SheetId| data.iter().find(|d| d.sheet.id == id);
    let (cases_plan, probs_plan) = (
        plan_of(SheetId::Rectifications),
        plan_of(SheetId::RectificationProblems),
    );
    if cases_plan.is_none() && probs_plan.is_none() {
        return Ok(());
    }
    let accepted_i = ix(&sheets::RECTIFICATIONS, "验收销号日期");
    let solved_i = ix(&sheets::RECTIFICATION_PROBLEMS, "解决日期");
    let mut keys: HashSet<String> = HashSet::new();
    keys.extend(
        cases_plan
            .iter()
            .flat_map(|p| p.items.iter().map(|i| i.key.clone())),
    );
    keys.extend(
        probs_plan
            .iter()
            .flat_map(|p| p.items.iter().filter_map(|i| i.get(0).map(str::to_string))),
    );
    let keys: Vec<String> = keys.into_iter().collect();
    // case → (acceptance date, row of the 整顿 sheet)
    let mut accepted: HashMap<String, (Option<String>, Option<u32>)> = HashMap::new();
    for r in load::select_in(
        pool,
        "SELECT case_no, accepted_on FROM rectification WHERE case_no IN",
        &keys,
    )
    .await?
    {
        accepted.insert(r.try_get(0)?, (r.try_get(1)?, None));
    }
    // (case, problem) → (solved date, row of the 整顿问题 sheet)
    let mut solved: BTreeMap<(String, String), (Option<String>, Option<u32>)> = BTreeMap::new();
    for r in load::select_in(
        pool,
        "SELECT r.case_no, p.problem_no, p.solved_on FROM rectification_problem p
         JOIN rectification r ON r.id = p.case_id WHERE r.case_no IN",
        &keys,
    )
    .await?
    {
        solved.insert((r.try_get(0)?, r.try_get(1)?), (r.try_get(2)?, None));
    }
    for it in cases_plan.iter().flat_map(|p| &p.items) {
        accepted.insert(
            it.key.clone(),
            (it.get(accepted_i).map(str::to_string), Some(it.row)),
        );
    }
    for it in probs_plan.iter().flat_map(|p| &p.items) {
        let case = it.get(0).unwrap_or_default().to_string();
        let no = it.get(1).unwrap_or_default().to_string();
        solved.insert(
            (case, no),
            (it.get(solved_i).map(str::to_string), Some(it.row)),
        );
    }
    for (case, (on, case_row)) in &accepted {
        let Some(on) = on else { continue };
        let mine: Vec<_> = solved
            .iter()
            .filter(|((c, _), _)| c == case)
            .map(|((_, n), v)| (n, v))
            .collect();
        let open: Vec<_> = mine
            .iter()
            .filter(|(_, (s, _))| s.as_deref().is_none_or(|s| s > on.as_str()))
            .collect();
        if !mine.is_empty() && open.is_empty() {
            continue;
        }
        let why = if mine.is_empty() {
            format!("整顿 {case} 没有登记问题，不能验收销号")
        } else {
            let nos: Vec<&str> = open.iter().map(|(n, _)| n.as_str()).collect();
            format!(
                "整顿 {case} 的问题 {} 在验收销号日期（{on}）前未解决，不能验收销号",
                nos.join("、")
            )
        };
        if let (Some(row), Some(d)) = (case_row, data_of(SheetId::Rectifications)) {
            problems.push(d.problem(*row, Some(accepted_i), Some(on), why));
        } else if let Some(d) = data_of(SheetId::RectificationProblems) {
            for (_, (s, row)) in &open {
                if let Some(row) = row {
                    problems.push(d.problem(*row, Some(solved_i), s.as_deref(), why.clone()));
                }
            }
        }
    }
    Ok(())
}

mod more;
pub(super) use more::check_awards;

/// A non-negative amount with at most two decimals.
fn is_amount(v: &str) -> bool {
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    !int.is_empty()
        && int.len() <= 12
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.len() <= 2
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !(v.contains('.') && frac.is_empty())
}

fn unit_exists(d: &SheetData, it: &Item, col: usize, world: &World, problems: &mut Vec<Problem>) {
    if let Some(code) = it.get(col)
        && !world.orgs.contains_key(code)
    {
        problems.push(d.problem(
            it.row,
            Some(col),
            Some(code),
            format!("区划编码 {code} 不存在"),
        ));
    }
}

fn dates_in_order(d: &SheetData, it: &Item, start: usize, end: usize, problems: &mut Vec<Problem>) {
    if let (Some(a), Some(b)) = (it.get(start), it.get(end))
        && b < a
    {
        let h = |c: usize| d.sheet.columns[c].header;
        problems.push(d.problem(
            it.row,
            Some(end),
            Some(b),
            format!("{}不能早于{}（{a}）", h(end), h(start)),
        ));
    }
}

fn not_after_today(d: &SheetData, it: &Item, col: usize, today: &str, problems: &mut Vec<Problem>) {
    if let Some(v) = it.get(col)
        && v > today
    {
        problems.push(d.problem(
            it.row,
            Some(col),
            Some(v),
            format!("{}不能晚于今天（{today}）", d.sheet.columns[col].header),
        ));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn amounts_take_at_most_two_decimals() {
        for ok in ["0", "12", "12.5", "3.25"] {
            assert!(super::is_amount(ok), "{ok}");
        }
        for bad in ["", "-1", "1.234", "1.", ".5", "1e3", "一百"] {
            assert!(!super::is_amount(bad), "{bad}");
        }
    }
}

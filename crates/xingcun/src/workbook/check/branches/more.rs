//! The rules of the branch standard (达标标准, 标准分项, 标准指标), assessment scores (达标评分),
//! objections to an honour (荣誉异议) and the contest sheets (擂台赛 …): references to records
//! of this workbook or the database, points and scores as amounts within their maximum, and
//! the states that allow a write (a score only while its contest is 评分中).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sqlx::{AnyPool, Row};
use xingcun_crypto::CryptoProvider;

use super::super::{Item, SheetPlan, World, ix, load, sheets};
use super::{
    ContestStatus, HonorStatus, award_refusal, contest_reachable, dates_in_order, is_amount,
    not_after_today, unit_exists,
};
use crate::registry::personal;
use crate::workbook::Problem;
use crate::workbook::read::SheetData;
use crate::workbook::sheets::SheetId;

/// An amount with at most two decimals, in hundredths.
pub fn cents(v: &str) -> Option<i64> {
    if !is_amount(v) {
        return None;
    }
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    let frac = format!("{frac:0<2}");
    Some(int.parse::<i64>().ok()? * 100 + frac.parse::<i64>().ok()?)
}

fn items_of(plans: &[SheetPlan], id: SheetId) -> impl Iterator<Item = &Item> {
    plans
        .iter()
        .filter(move |p| p.sheet.id == id)
        .flat_map(|p| p.items.iter())
}

fn wanted(items: &[Item], col: usize) -> Vec<String> {
    items
        .iter()
        .filter_map(|it| it.get(col).map(str::to_string))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect()
}

/// The standards, sections and criteria, stored and of this workbook.
#[derive(Default)]
struct Standards {
    /// standard → (启用日期, 达标分)
    standards: HashMap<String, String>,
    /// section → standard
    sections: HashMap<String, String>,
    /// criterion → (section, points in hundredths)
    criteria: HashMap<String, (String, i64)>,
}

impl Standards {
    async fn load(pool: &AnyPool, plans: &[SheetPlan]) -> Result<Self, sqlx::Error> {
        let mut s = Standards::default();
        for r in sqlx::query("SELECT standard_no, effective_on FROM branch_standard")
            .fetch_all(pool)
            .await?
        {
            s.standards.insert(r.try_get(0)?, r.try_get(1)?);
        }
        for r in sqlx::query("SELECT section_code, standard_no FROM standard_section")
            .fetch_all(pool)
            .await?
        {
            s.sections.insert(r.try_get(0)?, r.try_get(1)?);
        }
        for r in sqlx::query("SELECT criterion_code, section_code, points FROM standard_criterion")
            .fetch_all(pool)
            .await?
        {
            let points: String = r.try_get(2)?;
            s.criteria
                .insert(r.try_get(0)?, (r.try_get(1)?, cents(&points).unwrap_or(0)));
        }
        for it in items_of(plans, SheetId::BranchStandards) {
            s.standards
                .insert(it.key.clone(), it.get(2).unwrap_or_default().to_string());
        }
        for it in items_of(plans, SheetId::StandardSections) {
            s.sections
                .insert(it.key.clone(), it.get(1).unwrap_or_default().to_string());
        }
        for it in items_of(plans, SheetId::StandardCriteria) {
            let points = it.get(4).and_then(cents).unwrap_or(0);
            s.criteria.insert(
                it.key.clone(),
                (it.get(1).unwrap_or_default().to_string(), points),
            );
        }
        Ok(s)
    }

    /// The standard in force on `on`: the latest 启用日期 not after it.
    fn in_force(&self, on: &str) -> Option<&str> {
        self.standards
            .iter()
            .filter(|(_, from)| from.as_str() <= on)
            .max_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(b.0)))
            .map(|(no, _)| no.as_str())
    }

    fn standard_of_criterion(&self, code: &str) -> Option<&str> {
        let (section, _) = self.criteria.get(code)?;
        self.sections.get(section).map(String::as_str)
    }
}

/// An honour as the checks need it: unit, state, notice, award date.
struct HonorFacts {
    org: String,
    status: Option<HonorStatus>,
    notice: Option<(String, String)>,
    awarded: Option<String>,
}

async fn honors_named(
    pool: &AnyPool,
    keys: &[String],
    plans: &[SheetPlan],
) -> Result<HashMap<String, HonorFacts>, sqlx::Error> {
    let mut out = HashMap::new();
    for r in load::select_in(
        pool,
        "SELECT honor_no, org_code, status, notice_starts_on, notice_ends_on, awarded_on
           FROM honor WHERE honor_no IN",
        keys,
    )
    .await?
    {
        let status: String = r.try_get(2)?;
        let (a, b): (Option<String>, Option<String>) = (r.try_get(3)?, r.try_get(4)?);
        out.insert(
            r.try_get(0)?,
            HonorFacts {
                org: r.try_get(1)?,
                status: HonorStatus::from_code(&status),
                notice: a.zip(b),
                awarded: r.try_get(5)?,
            },
        );
    }
    let s = &sheets::HONORS;
    let [org, status, from, to, awarded] = [
        "所属区划编码",
        "状态",
        "公示开始日期",
        "公示结束日期",
        "授予日期",
    ]
    .map(|h| ix(s, h));
    for it in items_of(plans, SheetId::Honors) {
        let get = |i: usize| it.get(i).map(str::to_string);
        out.insert(
            it.key.clone(),
            HonorFacts {
                org: get(org).unwrap_or_default(),
                status: it.get(status).and_then(HonorStatus::from_code),
                notice: get(from).zip(get(to)),
                awarded: get(awarded),
            },
        );
    }
    Ok(out)
}

/// A contest named: unit, state after this workbook, state stored.
type ContestRef = (String, Option<ContestStatus>, Option<ContestStatus>);

/// Contests named: number → (unit, state after this workbook, state stored).
async fn contests_named(
    pool: &AnyPool,
    keys: &[String],
    plans: &[SheetPlan],
) -> Result<HashMap<String, ContestRef>, sqlx::Error> {
    let mut out = HashMap::new();
    for r in load::select_in(
        pool,
        "SELECT contest_no, org_code, status FROM contest WHERE contest_no IN",
        keys,
    )
    .await?
    {
        let status: String = r.try_get(2)?;
        let status = ContestStatus::from_code(&status);
        out.insert(r.try_get(0)?, (r.try_get(1)?, status, status));
    }
    for it in items_of(plans, SheetId::Contests) {
        let stored = out.get(&it.key).and_then(|c| c.2);
        out.insert(
            it.key.clone(),
            (
                it.get(3).unwrap_or_default().to_string(),
                it.get(5).and_then(ContestStatus::from_code),
                stored,
            ),
        );
    }
    Ok(out)
}

fn missing(d: &SheetData, it: &Item, col: usize, what: &str, problems: &mut Vec<Problem>) {
    let v = it.get(col).unwrap_or_default();
    problems.push(d.problem(
        it.row,
        Some(col),
        Some(v),
        format!(
            "{}{v} 不存在（{what}表和系统中都没有）",
            d.sheet.columns[col].header
        ),
    ));
}

fn amount_at_most(
    d: &SheetData,
    it: &Item,
    col: usize,
    max: Option<i64>,
    problems: &mut Vec<Problem>,
) {
    let Some(v) = it.get(col) else { return };
    let header = d.sheet.columns[col].header;
    match (cents(v), max) {
        (None, _) => problems.push(d.problem(
            it.row,
            Some(col),
            Some(v),
            format!("{header}应为不小于0的数，最多两位小数"),
        )),
        (Some(x), Some(m)) if x > m => problems.push(d.problem(
            it.row,
            Some(col),
            Some(v),
            format!("{header}不能超过{}", show_cents(m)),
        )),
        _ => {}
    }
}

/// Hundredths as the shortest decimal: 500 → 5, 750 → 7.5, 1234 → 12.34.
pub fn show_cents(c: i64) -> String {
    let s = format!("{}.{:02}", c / 100, c % 100);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Checks one of the sheets of this module.
pub(super) async fn check(
    pool: &AnyPool,
    d: &SheetData,
    items: &[Item],
    plans: &[SheetPlan],
    world: &mut World,
    today: &str,
    problems: &mut Vec<Problem>,
) -> Result<(), sqlx::Error> {
    match d.sheet.id {
        SheetId::BranchStandards => {
            for it in items {
                let pass = it.get(3).and_then(cents);
                amount_at_most(d, it, 3, None, problems);
                amount_at_most(d, it, 4, None, problems);
                if let (Some(p), Some(m)) = (pass, it.get(4).and_then(cents))
                    && m < p
                {
                    problems.push(d.problem(it.row, Some(4), it.get(4), "示范分不能低于达标分"));
                }
                if let Some(v) = it.get(5)
                    && !v.parse::<u32>().is_ok_and(|m| (1..=120).contains(&m))
                {
                    problems.push(d.problem(
                        it.row,
                        Some(5),
                        Some(v),
                        "复评周期应为1至120的整数（月）",
                    ));
                }
            }
        }
        SheetId::StandardSections | SheetId::StandardCriteria => {
            let std = Standards::load(pool, plans).await?;
            for it in items {
                let parent = it.get(1).unwrap_or_default();
                let (found, what) = if d.sheet.id == SheetId::StandardSections {
                    (std.standards.contains_key(parent), "达标标准")
                } else {
                    (std.sections.contains_key(parent), "标准分项")
                };
                if !found {
                    missing(d, it, 1, what, problems);
                }
                if d.sheet.id == SheetId::StandardCriteria {
                    amount_at_most(d, it, 4, None, problems);
                    if it.get(4).and_then(cents) == Some(0) {
                        problems.push(d.problem(it.row, Some(4), it.get(4), "分值应大于0"));
                    }
                }
            }
        }
        SheetId::AssessmentScores => {
            let std = Standards::load(pool, plans).await?;
            let keys = wanted(items, 0);
            // assessment → (unit, date)
            let mut named: HashMap<String, (String, String)> = HashMap::new();
            for r in load::select_in(
                pool,
                "SELECT assessment_no, org_code, assessed_on FROM branch_assessment
                  WHERE assessment_no IN",
                &keys,
            )
            .await?
            {
                named.insert(r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?));
            }
            for it in items_of(plans, SheetId::Assessments) {
                let unit = it
                    .get(1)
                    .and_then(|o| world.party_orgs.get(o).map(|x| x.1.clone()));
                if let Some(unit) = unit {
                    named.insert(
                        it.key.clone(),
                        (unit, it.get(2).unwrap_or_default().to_string()),
                    );
                }
            }
            for it in items {
                let no = it.get(0).unwrap_or_default();
                let Some((unit, on)) = named.get(no) else {
                    missing(d, it, 0, "达标评定", problems);
                    continue;
                };
                world
                    .branch_units
                    .insert(format!("评定:{no}"), unit.clone());
                let code = it.get(1).unwrap_or_default();
                let Some((_, points)) = std.criteria.get(code) else {
                    missing(d, it, 1, "标准指标", problems);
                    continue;
                };
                let (theirs, due) = (std.standard_of_criterion(code), std.in_force(on));
                if theirs != due {
                    problems.push(d.problem(
                        it.row,
                        Some(1),
                        Some(code),
                        format!(
                            "指标 {code} 属于标准 {}，评定日期（{on}）适用的是标准 {}",
                            theirs.unwrap_or("—"),
                            due.unwrap_or("（无）")
                        ),
                    ));
                }
                amount_at_most(d, it, 2, Some(*points), problems);
            }
        }
        SheetId::HonorObjections => {
            let keys = wanted(items, 0);
            let honors = honors_named(pool, &keys, plans).await?;
            let s = &sheets::HONOR_OBJECTIONS;
            let [lodged, result, handled] = ["提出日期", "处理结果", "处理日期"].map(|h| ix(s, h));
            for it in items {
                let no = it.get(0).unwrap_or_default();
                let Some(h) = honors.get(no) else {
                    missing(d, it, 0, "荣誉", problems);
                    continue;
                };
                world
                    .branch_units
                    .insert(format!("荣誉:{no}"), h.org.clone());
                not_after_today(d, it, lodged, today, problems);
                not_after_today(d, it, handled, today, problems);
                dates_in_order(d, it, lodged, handled, problems);
                if it.get(result).is_some() != it.get(handled).is_some() {
                    problems.push(d.problem(
                        it.row,
                        Some(handled),
                        it.get(handled),
                        "处理结果与处理日期须同时填写",
                    ));
                }
                match (&h.notice, it.get(lodged)) {
                    (None, _) => problems.push(d.problem(
                        it.row,
                        Some(0),
                        Some(no),
                        format!("荣誉 {no} 尚未公示，不能登记异议"),
                    )),
                    (Some((a, b)), Some(on)) if on < a.as_str() || on > b.as_str() => problems
                        .push(d.problem(
                            it.row,
                            Some(lodged),
                            Some(on),
                            format!("提出日期应在公示期（{a} 至 {b}）内"),
                        )),
                    _ => {}
                }
            }
        }
        SheetId::Contests => {
            for it in items {
                unit_exists(d, it, 3, world, problems);
                if let Some(code) = it.get(3)
                    && let Some((kind, _)) = world.orgs.get(code)
                    && (kind.is_village()
                        || matches!(kind, xingcun_domain::division::OrgKind::Grid))
                {
                    problems.push(d.problem(it.row, Some(3), Some(code), "主办单位应为区或乡镇"));
                }
                let to = it.get(5).and_then(ContestStatus::from_code);
                if let (Some((_, old)), Some(to)) = (&it.existing, to)
                    && let Some(from) = old[5].as_deref().and_then(ContestStatus::from_code)
                    && !contest_reachable(from, to)
                {
                    problems.push(d.problem(
                        it.row,
                        Some(5),
                        Some(to.label()),
                        format!("擂台赛已为“{}”，不能改为“{}”", from.label(), to.label()),
                    ));
                }
            }
        }
        SheetId::ContestCriteria
        | SheetId::Contestants
        | SheetId::ContestJudges
        | SheetId::ContestScores => {
            let keys = wanted(items, 0);
            let contests = contests_named(pool, &keys, plans).await?;
            let extra = ContestFacts::load(pool, d.sheet.id, &keys, plans).await?;
            for it in items {
                let no = it.get(0).unwrap_or_default();
                let Some((unit, status, stored)) = contests.get(no) else {
                    missing(d, it, 0, "擂台赛", problems);
                    continue;
                };
                world
                    .branch_units
                    .insert(format!("赛事:{no}"), unit.clone());
                match d.sheet.id {
                    SheetId::ContestCriteria => {
                        amount_at_most(d, it, 3, None, problems);
                        if it.get(3).and_then(cents) == Some(0) {
                            problems.push(d.problem(it.row, Some(3), it.get(3), "满分应大于0"));
                        }
                    }
                    SheetId::Contestants => {
                        if let Some(code) = it.get(2) {
                            match world.orgs.get(code) {
                                Some((k, _)) if k.is_village() => {}
                                _ => problems.push(d.problem(
                                    it.row,
                                    Some(2),
                                    Some(code),
                                    format!("{code} 不是行政村或社区"),
                                )),
                            }
                        }
                    }
                    // A judge's account may be created after the import (moving the district's
                    // records to a new installation brings no accounts): the contest's page
                    // marks a judge whose account does not exist, and nobody scores as one.
                    SheetId::ContestJudges => {}
                    _ => {
                        // Scores are frozen once the stored contest is published, and not
                        // taken before scoring opens; a workbook may bring a finished
                        // contest's results with the contest itself.
                        let frozen = *stored == Some(ContestStatus::Published);
                        if it.changed() && (frozen || *status == Some(ContestStatus::Draft)) {
                            problems.push(d.problem(
                                it.row,
                                Some(0),
                                Some(no),
                                format!(
                                    "擂台赛 {no} 为“{}”，不能录入或修改评分",
                                    if frozen { "已公布" } else { "筹备" }
                                ),
                            ));
                        }
                        let judge = it.get(1).unwrap_or_default();
                        if !extra.judges.contains(&(no.to_string(), judge.to_string())) {
                            problems.push(d.problem(
                                it.row,
                                Some(1),
                                Some(judge),
                                format!("{judge} 不是擂台赛 {no} 的评委"),
                            ));
                        }
                        let crit = it.get(3).unwrap_or_default();
                        match extra.criteria.get(&(no.to_string(), crit.to_string())) {
                            None => problems.push(d.problem(
                                it.row,
                                Some(3),
                                Some(crit),
                                format!("擂台赛 {no} 没有指标 {crit}"),
                            )),
                            Some(max) => amount_at_most(d, it, 4, Some(*max), problems),
                        }
                    }
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// What the contest sheets refer to besides the contest.
#[derive(Default)]
struct ContestFacts {
    judges: HashSet<(String, String)>,
    /// (contest, criterion) → maximum in hundredths
    criteria: HashMap<(String, String), i64>,
}

impl ContestFacts {
    async fn load(
        pool: &AnyPool,
        id: SheetId,
        contests: &[String],
        plans: &[SheetPlan],
    ) -> Result<Self, sqlx::Error> {
        let mut f = ContestFacts::default();
        if id == SheetId::ContestScores {
            for r in load::select_in(
                pool,
                "SELECT c.contest_no, j.username FROM contest_judge j
                       JOIN contest c ON c.id = j.contest_id WHERE c.contest_no IN",
                contests,
            )
            .await?
            {
                f.judges.insert((r.try_get(0)?, r.try_get(1)?));
            }
            for it in items_of(plans, SheetId::ContestJudges) {
                f.judges.insert((
                    it.get(0).unwrap_or_default().to_string(),
                    it.get(1).unwrap_or_default().to_string(),
                ));
            }
            for r in load::select_in(
                pool,
                "SELECT c.contest_no, k.criterion_no, k.max_points FROM contest_criterion k
                       JOIN contest c ON c.id = k.contest_id WHERE c.contest_no IN",
                contests,
            )
            .await?
            {
                let max: String = r.try_get(2)?;
                f.criteria
                    .insert((r.try_get(0)?, r.try_get(1)?), cents(&max).unwrap_or(0));
            }
            for it in items_of(plans, SheetId::ContestCriteria) {
                f.criteria.insert(
                    (
                        it.get(0).unwrap_or_default().to_string(),
                        it.get(1).unwrap_or_default().to_string(),
                    ),
                    it.get(3).and_then(cents).unwrap_or(0),
                );
            }
        }
        Ok(f)
    }
}

/// A score's contestant must be one of the contest's (stored, by blind index, or in this
/// workbook's 擂台赛选手 rows). `ok[i]`: the ID of `items[i]` was valid and known.
pub(super) async fn check_score_contestants(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    d: &SheetData,
    items: &[Item],
    plans: &[SheetPlan],
    ok: &[bool],
    problems: &mut Vec<Problem>,
) -> Result<(), sqlx::Error> {
    let mut entered: HashSet<(String, String)> = HashSet::new();
    let keys = wanted(items, 0);
    for r in load::select_in(
        pool,
        "SELECT c.contest_no, p.id_bidx FROM contestant t JOIN contest c ON c.id = t.contest_id
           JOIN person p ON p.id = t.person_id WHERE c.contest_no IN",
        &keys,
    )
    .await?
    {
        entered.insert((r.try_get(0)?, r.try_get(1)?));
    }
    for it in items_of(plans, SheetId::Contestants) {
        if let (Some(no), Some(id)) = (it.get(0), it.get(1)) {
            entered.insert((no.to_string(), personal::id_bidx(crypto, id)));
        }
    }
    for (it, ok) in items.iter().zip(ok) {
        if !ok {
            continue;
        }
        let (no, id) = (it.get(0).unwrap_or_default(), it.get(2).unwrap_or_default());
        if !entered.contains(&(no.to_string(), personal::id_bidx(crypto, id))) {
            problems.push(d.problem(
                it.row,
                Some(2),
                Some(id),
                format!("该人员不是擂台赛 {no} 的选手"),
            ));
        }
    }
    Ok(())
}

/// An honour is awarded only after its public notice and with every objection handled: for
/// each honour of this workbook moved to 已授予, and each objection row of an awarded honour,
/// the objections — this workbook's rows merged over the stored ones — must all be handled.
pub async fn check_awards(
    pool: &AnyPool,
    data: &[SheetData],
    plans: &[SheetPlan],
    problems: &mut Vec<Problem>,
) -> Result<(), sqlx::Error> {
    let honors_plan = plans.iter().find(|p| p.sheet.id == SheetId::Honors);
    let obj_plan = plans
        .iter()
        .find(|p| p.sheet.id == SheetId::HonorObjections);
    if honors_plan.is_none() && obj_plan.is_none() {
        return Ok(());
    }
    let mut keys: HashSet<String> = HashSet::new();
    keys.extend(
        honors_plan
            .iter()
            .flat_map(|p| p.items.iter().map(|i| i.key.clone())),
    );
    keys.extend(
        obj_plan
            .iter()
            .flat_map(|p| p.items.iter().filter_map(|i| i.get(0).map(str::to_string))),
    );
    let keys: Vec<String> = keys.into_iter().collect();
    let honors = honors_named(pool, &keys, plans).await?;
    // (honour, objection) → (handled date, row of the 荣誉异议 sheet)
    let mut open: HashMap<(String, String), (Option<String>, Option<u32>)> = HashMap::new();
    for r in load::select_in(
        pool,
        "SELECT h.honor_no, o.objection_no, o.handled_on FROM honor_objection o
           JOIN honor h ON h.id = o.honor_id WHERE h.honor_no IN",
        &keys,
    )
    .await?
    {
        open.insert((r.try_get(0)?, r.try_get(1)?), (r.try_get(2)?, None));
    }
    let handled_i = ix(&sheets::HONOR_OBJECTIONS, "处理日期");
    for it in obj_plan.iter().flat_map(|p| &p.items) {
        let key = (
            it.get(0).unwrap_or_default().to_string(),
            it.get(1).unwrap_or_default().to_string(),
        );
        open.insert(key, (it.get(handled_i).map(str::to_string), Some(it.row)));
    }
    let data_of = |id: SheetId| data.iter().find(|d| d.sheet.id == id);
    let awarded_i = ix(&sheets::HONORS, "授予日期");
    for (no, h) in &honors {
        if h.status != Some(HonorStatus::Awarded) {
            continue;
        }
        let unhandled: Vec<(&String, &Option<u32>)> = open
            .iter()
            .filter(|((n, _), (on, _))| n == no && on.is_none())
            .map(|((_, o), (_, row))| (o, row))
            .collect();
        let on = h
            .awarded
            .as_deref()
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok());
        let notice = h.notice.as_ref().and_then(|(a, b)| {
            Some((
                NaiveDate::parse_from_str(a, "%Y-%m-%d").ok()?,
                NaiveDate::parse_from_str(b, "%Y-%m-%d").ok()?,
            ))
        });
        let Some(on) = on else { continue };
        // The date rules of the 荣誉 sheet report a missing notice or an early award already;
        // here only the objections.
        if notice.is_none() || unhandled.is_empty() {
            continue;
        }
        let Some(why) = award_refusal(notice, on, unhandled.len()) else {
            continue;
        };
        let why = format!("荣誉 {no}：{why}");
        let honor_row = honors_plan
            .and_then(|p| p.items.iter().find(|i| &i.key == no && i.changed()))
            .map(|i| i.row);
        if let (Some(row), Some(d)) = (honor_row, data_of(SheetId::Honors)) {
            let awarded = honors_plan
                .and_then(|p| p.items.iter().find(|i| &i.key == no))
                .and_then(|i| i.get(awarded_i));
            problems.push(d.problem(row, Some(awarded_i), awarded, why.clone()));
        }
        if let Some(d) = data_of(SheetId::HonorObjections) {
            for (_, row) in unhandled {
                if let Some(row) = row {
                    problems.push(d.problem(*row, Some(handled_i), None, why.clone()));
                }
            }
        }
    }
    Ok(())
}

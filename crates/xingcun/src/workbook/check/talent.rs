//! The later cadre-pipeline sheets (培训班, 培训参训, 实践锻炼, 村务顾问, 顾问建议, 书记年度考核)
//! and the 出库原因 of 后备人才: the records they name exist (in this workbook or the database),
//! units are what the sheet asks for, dates are in order (docs/workbook-modules.md, 二).

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use sqlx::{AnyPool, Row};
use xingcun_crypto::CryptoProvider;
use xingcun_domain::enums::{CadreCategory, VillagePost};

use super::{Item, Options, SheetPlan, World, check_person_ref_at, ix, resolve_people_at, sheets};
use crate::registry::personal;
use crate::workbook::Problem;
use crate::workbook::load;
use crate::workbook::read::SheetData;
use crate::workbook::sheets::SheetId;

/// Whether a sheet is one of the sheets checked here (besides 后备人才's 出库原因).
pub(super) fn is_talent(id: SheetId) -> bool {
    matches!(
        id,
        SheetId::Trainings
            | SheetId::TrainingAttendances
            | SheetId::PracticePostings
            | SheetId::Advisors
            | SheetId::Advice
            | SheetId::SecretaryReviews
    )
}

/// The unit a record lies in (for `--org`): its own 所属区划编码, 村编码 or 主办单位编码.
pub(super) fn unit_of(id: SheetId, values: &[Option<String>]) -> Option<String> {
    let col = match id {
        SheetId::TrainingAttendances => 2,
        _ => 1,
    };
    values.get(col).cloned().flatten()
}

/// Checks the rows of one sheet; `plans` holds the sheets checked before it.
#[allow(clippy::too_many_arguments)]
pub(super) async fn check(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    d: &SheetData,
    items: &[Item],
    plans: &[SheetPlan],
    world: &mut World,
    opts: &Options,
    problems: &mut Vec<Problem>,
) -> Result<(), sqlx::Error> {
    let s = d.sheet;
    match s.id {
        SheetId::ReserveTalents => {
            let (ends, reason) = (ix(s, "出库日期"), ix(s, "出库原因"));
            for it in items {
                if it.get(ends).is_none() && it.get(reason).is_some() {
                    problems.push(d.problem(
                        it.row,
                        Some(reason),
                        it.get(reason),
                        "出库原因只随出库日期填写",
                    ));
                }
            }
        }
        SheetId::Trainings => {
            let (org, start, end, hours) = (
                ix(s, "主办单位编码"),
                ix(s, "开始日期"),
                ix(s, "结束日期"),
                ix(s, "学时"),
            );
            for it in items {
                unit(d, it, org, false, world, problems);
                dates_in_order(d, it, start, end, false, problems);
                if let Some(h) = it.get(hours)
                    && !is_hours(h)
                {
                    problems.push(d.problem(
                        it.row,
                        Some(hours),
                        Some(h),
                        "学时应为非负数，最多一位小数（如 8 或 2.5）",
                    ));
                }
            }
        }
        SheetId::TrainingAttendances => {
            let mut trainings: HashSet<String> = plans
                .iter()
                .filter(|p| p.sheet.id == SheetId::Trainings)
                .flat_map(|p| p.items.iter().map(|it| it.key.clone()))
                .collect();
            let wanted: Vec<String> = items
                .iter()
                .filter_map(|it| it.get(0).map(str::to_string))
                .filter(|t| !trainings.contains(t))
                .collect::<HashSet<_>>()
                .into_iter()
                .collect();
            for r in load::select_in(
                pool,
                "SELECT training_no FROM training WHERE training_no IN",
                &wanted,
            )
            .await?
            {
                trainings.insert(r.try_get(0)?);
            }
            resolve_people_at(pool, crypto, items, 1, world, opts).await?;
            for it in items {
                if let Some(t) = it.get(0)
                    && !trainings.contains(t)
                {
                    problems.push(d.problem(
                        it.row,
                        Some(0),
                        Some(t),
                        format!("培训编号 {t} 不存在（培训班表和系统中都没有）"),
                    ));
                }
                check_person_ref_at(d, it, 1, world, opts, problems);
                unit(d, it, 2, false, world, problems);
            }
        }
        SheetId::PracticePostings => {
            let (start, end) = (ix(s, "开始日期"), ix(s, "结束日期"));
            resolve_people_at(pool, crypto, items, 0, world, opts).await?;
            let in_pool = reserve_people(pool, crypto, items, plans).await?;
            for it in items {
                if check_person_ref_at(d, it, 0, world, opts, problems)
                    && !in_pool.contains(it.get(0).unwrap_or_default())
                {
                    problems.push(d.problem(
                        it.row,
                        Some(0),
                        it.get(0),
                        "该人员不是后备人才（后备人才表和系统中都没有其入库记录），实践锻炼只记录后备人才",
                    ));
                }
                unit(d, it, 1, false, world, problems);
                dates_in_order(d, it, start, end, false, problems);
            }
        }
        SheetId::Advisors => {
            let (start, end) = (ix(s, "开始日期"), ix(s, "结束日期"));
            resolve_people_at(pool, crypto, items, 0, world, opts).await?;
            for it in items {
                check_person_ref_at(d, it, 0, world, opts, problems);
                unit(d, it, 1, true, world, problems);
                dates_in_order(d, it, start, end, true, problems);
            }
        }
        SheetId::Advice => {
            let (village, person, on) = (ix(s, "村编码"), ix(s, "顾问身份证号"), ix(s, "提出日期"));
            resolve_people_at(pool, crypto, items, person, world, opts).await?;
            let spans = advisor_spans(pool, crypto, items, person, plans).await?;
            for it in items {
                unit(d, it, village, true, world, problems);
                if !check_person_ref_at(d, it, person, world, opts, problems) {
                    continue;
                }
                let Some(day) = it.get(on) else { continue };
                if day > opts.today.to_string().as_str() {
                    problems.push(d.problem(it.row, Some(on), Some(day), "提出日期不能晚于今天"));
                    continue;
                }
                let key = (
                    it.get(person).unwrap_or_default().to_string(),
                    it.get(village).unwrap_or_default().to_string(),
                );
                let active = spans.get(&key).is_some_and(|v| {
                    v.iter()
                        .any(|(a, b)| a.as_str() <= day && b.as_deref().is_none_or(|b| day < b))
                });
                if !active {
                    problems.push(d.problem(
                        it.row,
                        Some(person),
                        it.get(person),
                        format!("提出日期（{day}）该人员不是该村在任的村务顾问"),
                    ));
                }
            }
        }
        SheetId::SecretaryReviews => {
            let (village, year) = (ix(s, "村编码"), ix(s, "年度"));
            resolve_people_at(pool, crypto, items, 0, world, opts).await?;
            let posts = secretary_posts(pool, crypto, items, plans).await?;
            for it in items {
                unit(d, it, village, true, world, problems);
                let person_ok = check_person_ref_at(d, it, 0, world, opts, problems);
                let Some(y) = it.get(year) else { continue };
                let Some(y) = y
                    .parse::<i32>()
                    .ok()
                    .filter(|v| y.len() == 4 && (1949..=opts.today.year()).contains(v))
                else {
                    problems.push(d.problem(
                        it.row,
                        Some(year),
                        Some(y),
                        format!("年度应为四位年份，不晚于{}年", opts.today.year()),
                    ));
                    continue;
                };
                if !person_ok {
                    continue;
                }
                let (first, last) = (
                    NaiveDate::from_ymd_opt(y, 1, 1).map(|d| d.to_string()),
                    NaiveDate::from_ymd_opt(y, 12, 31).map(|d| d.to_string()),
                );
                let (Some(first), Some(last)) = (first, last) else {
                    continue;
                };
                let key = (
                    it.get(0).unwrap_or_default().to_string(),
                    it.get(village).unwrap_or_default().to_string(),
                );
                // Held on some day of the year: started by 31 December, not ended by 1 January.
                let held = posts.get(&key).is_some_and(|v| {
                    v.iter().any(|(a, b)| {
                        a.as_str() <= last.as_str()
                            && b.as_deref().is_none_or(|b| b > first.as_str())
                    })
                });
                if !held {
                    problems.push(d.problem(
                        it.row,
                        Some(0),
                        it.get(0),
                        format!("该人员{y}年没有担任该村党组织书记（干部表和系统中都没有）"),
                    ));
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// 学时: a number ≥ 0 with at most one decimal.
fn is_hours(s: &str) -> bool {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    !int.is_empty()
        && int.len() <= 4
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.len() <= 1
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !(s.contains('.') && frac.is_empty())
}

/// The unit in `col` exists and, when `village`, is a 行政村 or 社区.
fn unit(
    d: &SheetData,
    it: &Item,
    col: usize,
    village: bool,
    world: &World,
    problems: &mut Vec<Problem>,
) {
    let Some(code) = it.get(col) else { return };
    match world.orgs.get(code) {
        Some((k, _)) if !village || k.is_village() => {}
        Some(_) => problems.push(d.problem(
            it.row,
            Some(col),
            Some(code),
            format!("{code} 不是行政村或社区"),
        )),
        None => problems.push(d.problem(
            it.row,
            Some(col),
            Some(code),
            format!("区划编码 {code} 不存在"),
        )),
    }
}

/// The end comes after the start (`strict`: an end is the first day no longer held) or not
/// before it.
fn dates_in_order(
    d: &SheetData,
    it: &Item,
    start: usize,
    end: usize,
    strict: bool,
    problems: &mut Vec<Problem>,
) {
    let (Some(a), Some(b)) = (it.get(start), it.get(end)) else {
        return;
    };
    let h = |c: usize| d.sheet.columns[c].header;
    if strict && b <= a {
        problems.push(d.problem(
            it.row,
            Some(end),
            Some(b),
            format!("{}应晚于{}（{a}）", h(end), h(start)),
        ));
    } else if b < a {
        problems.push(d.problem(
            it.row,
            Some(end),
            Some(b),
            format!("{}不能早于{}（{a}）", h(end), h(start)),
        ));
    }
}

/// ID numbers of `items`' column 0 with a 后备人才 entry, in this workbook or stored.
async fn reserve_people(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    items: &[Item],
    plans: &[SheetPlan],
) -> Result<HashSet<String>, sqlx::Error> {
    let mut found: HashSet<String> = plans
        .iter()
        .filter(|p| p.sheet.id == SheetId::ReserveTalents)
        .flat_map(|p| {
            p.items
                .iter()
                .filter_map(|it| it.get(0).map(str::to_string))
        })
        .collect();
    let by_bidx = blind_indexes(crypto, items, 0);
    let keys: Vec<String> = by_bidx.keys().cloned().collect();
    for r in load::select_in(
        pool,
        "SELECT p.id_bidx FROM reserve_talent t JOIN person p ON p.id = t.person_id
         WHERE p.id_bidx IN",
        &keys,
    )
    .await?
    {
        if let Some(id) = by_bidx.get(&r.try_get::<String, _>(0)?) {
            found.insert(id.clone());
        }
    }
    Ok(found)
}

/// The blind index of each ID number in `col` → the ID number.
fn blind_indexes(
    crypto: &dyn CryptoProvider,
    items: &[Item],
    col: usize,
) -> HashMap<String, String> {
    items
        .iter()
        .filter_map(|it| it.get(col))
        .map(|id| (personal::id_bidx(crypto, id), id.to_string()))
        .collect()
}

/// (ID number, unit) → spans (start, end).
type Spans = HashMap<(String, String), Vec<(String, Option<String>)>>;

/// The advisor spans of the people in `col`: this workbook's 村务顾问 rows, and the stored ones
/// the workbook does not restate.
async fn advisor_spans(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    items: &[Item],
    col: usize,
    plans: &[SheetPlan],
) -> Result<Spans, sqlx::Error> {
    let s = &sheets::ADVISORS;
    let (village, start, end) = (ix(s, "村编码"), ix(s, "开始日期"), ix(s, "结束日期"));
    let mut spans = Spans::new();
    let mut restated = HashSet::new();
    for it in plans
        .iter()
        .filter(|p| p.sheet.id == SheetId::Advisors)
        .flat_map(|p| &p.items)
    {
        restated.insert(it.key.clone());
        spans
            .entry((
                it.get(0).unwrap_or_default().to_string(),
                it.get(village).unwrap_or_default().to_string(),
            ))
            .or_default()
            .push((
                it.get(start).unwrap_or_default().to_string(),
                it.get(end).map(str::to_string),
            ));
    }
    let by_bidx = blind_indexes(crypto, items, col);
    let keys: Vec<String> = by_bidx.keys().cloned().collect();
    for r in load::select_in(
        pool,
        "SELECT p.id_bidx, a.org_code, a.starts_on, a.ends_on FROM advisor a
         JOIN person p ON p.id = a.person_id WHERE p.id_bidx IN",
        &keys,
    )
    .await?
    {
        let Some(id) = by_bidx.get(&r.try_get::<String, _>(0)?) else {
            continue;
        };
        let (org, from): (String, String) = (r.try_get(1)?, r.try_get(2)?);
        if restated.contains(&format!("{id}|{org}|{from}")) {
            continue;
        }
        spans
            .entry((id.clone(), org))
            .or_default()
            .push((from, r.try_get(3)?));
    }
    Ok(spans)
}

/// The 党组织书记 posts of the people in column 0: this workbook's 干部 rows, and the stored
/// ones the workbook does not restate.
async fn secretary_posts(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    items: &[Item],
    plans: &[SheetPlan],
) -> Result<Spans, sqlx::Error> {
    let s = &sheets::CADRES;
    let (category, post, org, start, end) = (
        ix(s, "干部类别"),
        ix(s, "职务"),
        ix(s, "任职单位编码"),
        ix(s, "任职日期"),
        ix(s, "离任日期"),
    );
    let secretary = VillagePost::BranchSecretary.code();
    let mut spans = Spans::new();
    let mut restated = HashSet::new();
    for it in plans
        .iter()
        .filter(|p| p.sheet.id == SheetId::Cadres)
        .flat_map(|p| &p.items)
    {
        restated.insert(it.key.clone());
        if it.get(category) == Some(CadreCategory::VillageCadre.code())
            && it.get(post) == Some(secretary)
        {
            spans
                .entry((
                    it.get(0).unwrap_or_default().to_string(),
                    it.get(org).unwrap_or_default().to_string(),
                ))
                .or_default()
                .push((
                    it.get(start).unwrap_or_default().to_string(),
                    it.get(end).map(str::to_string),
                ));
        }
    }
    let by_bidx = blind_indexes(crypto, items, 0);
    let keys: Vec<String> = by_bidx.keys().cloned().collect();
    for r in load::select_in(
        pool,
        "SELECT p.id_bidx, c.org_code, c.starts_on, c.ends_on FROM cadre_post c
         JOIN person p ON p.id = c.person_id
         WHERE c.category = 'village_cadre' AND c.post = 'branch_secretary' AND p.id_bidx IN",
        &keys,
    )
    .await?
    {
        let Some(id) = by_bidx.get(&r.try_get::<String, _>(0)?) else {
            continue;
        };
        let (org, from): (String, String) = (r.try_get(1)?, r.try_get(2)?);
        // The 干部 key: 身份证号 | 任职单位编码 | 职务 | 任职日期.
        if restated.contains(&format!("{id}|{org}|{secretary}|{from}")) {
            continue;
        }
        spans
            .entry((id.clone(), org))
            .or_default()
            .push((from, r.try_get(3)?));
    }
    Ok(spans)
}

#[cfg(test)]
mod tests {
    use super::is_hours;

    #[test]
    fn hours_are_non_negative_with_at_most_one_decimal() {
        for ok in ["0", "8", "2.5", "120"] {
            assert!(is_hours(ok), "{ok}");
        }
        for bad in ["", "-1", "2.55", "2.", ".5", "八", "1e3"] {
            assert!(!is_hours(bad), "{bad}");
        }
    }
}

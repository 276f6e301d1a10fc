//! The dispute sheets (排查, 矛盾纠纷, 纠纷当事人, 调解记录): units, the round that found a
//! dispute, the people named, personal numbers, and dates in order (docs/workbook-modules.md).

use std::collections::HashMap;

use sqlx::{AnyPool, Row};
use xingcun_crypto::CryptoProvider;
use xingcun_domain::{IdNumber, Phone};

use super::{
    Item, Options, SheetPlan, World, check_person_ref_at, ix, load, resolve_people_at, sheets,
};
use crate::workbook::Problem;
use crate::workbook::read::SheetData;
use crate::workbook::sheets::SheetId;

/// What the dispute checks learn: rounds and disputes by number, from the workbook and the
/// database.
#[derive(Debug, Default)]
pub(super) struct Known {
    /// round number → (unit, date)
    rounds: HashMap<String, (String, String)>,
    /// dispute number → (village, found date)
    disputes: HashMap<String, (String, String)>,
}

/// Whether a sheet is one of the dispute sheets.
pub(super) fn is_disputes(id: SheetId) -> bool {
    matches!(
        id,
        SheetId::CanvassRounds
            | SheetId::Disputes
            | SheetId::DisputeParties
            | SheetId::MediationSessions
    )
}

/// The unit a record lies in (for `--org`): a party's or a session's is its dispute's.
pub(super) fn unit_of(id: SheetId, values: &[Option<String>], world: &World) -> Option<String> {
    match id {
        SheetId::CanvassRounds | SheetId::Disputes => values[1].clone(),
        _ => values[0]
            .as_ref()
            .and_then(|no| world.disputes.disputes.get(no))
            .map(|(org, _)| org.clone()),
    }
}

/// Checks the rows of one dispute sheet; `plans` holds the sheets checked before it.
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
    match d.sheet.id {
        SheetId::CanvassRounds => {
            rounds(d, items, world, opts, problems);
            Ok(())
        }
        SheetId::Disputes => disputes(pool, crypto, d, items, world, opts, problems).await,
        SheetId::DisputeParties => {
            known_disputes(pool, items, plans, world).await?;
            parties(d, items, world, opts, problems);
            Ok(())
        }
        SheetId::MediationSessions => {
            known_disputes(pool, items, plans, world).await?;
            sessions(pool, crypto, d, items, world, opts, problems).await
        }
        _ => Ok(()),
    }
}

fn not_after_today(
    d: &SheetData,
    it: &Item,
    col: usize,
    opts: &Options,
    problems: &mut Vec<Problem>,
) {
    if let Some(v) = it.get(col)
        && v > opts.today.to_string().as_str()
    {
        problems.push(d.problem(
            it.row,
            Some(col),
            Some(v),
            format!("{}不能晚于今天", d.sheet.columns[col].header),
        ));
    }
}

fn rounds(
    d: &SheetData,
    items: &[Item],
    world: &mut World,
    opts: &Options,
    problems: &mut Vec<Problem>,
) {
    let s = &sheets::CANVASS_ROUNDS;
    let (org_i, on_i) = (ix(s, "排查单位编码"), ix(s, "排查日期"));
    for it in items {
        let code = it.get(org_i).unwrap_or_default();
        match world.orgs.get(code) {
            Some((k, _)) if k.is_village() || k.is_township_level() => {}
            Some(_) => problems.push(d.problem(
                it.row,
                Some(org_i),
                Some(code),
                format!("{code} 不是乡镇(街道)或村(社区)"),
            )),
            None => problems.push(d.problem(
                it.row,
                Some(org_i),
                Some(code),
                format!("区划编码 {code} 不存在"),
            )),
        }
        not_after_today(d, it, on_i, opts, problems);
        world.disputes.rounds.insert(
            it.key.clone(),
            (
                code.to_string(),
                it.get(on_i).unwrap_or_default().to_string(),
            ),
        );
    }
}

async fn disputes(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    d: &SheetData,
    items: &[Item],
    world: &mut World,
    opts: &Options,
    problems: &mut Vec<Problem>,
) -> Result<(), sqlx::Error> {
    let s = &sheets::DISPUTES;
    let [
        org_i,
        found_i,
        round_i,
        mediator_i,
        status_i,
        done_i,
        outcome_i,
        agreement_i,
    ] = [
        "村编码",
        "发现日期",
        "排查编号",
        "调解员身份证号",
        "状态",
        "办结日期",
        "调处结果",
        "协议内容",
    ]
    .map(|h| ix(s, h));
    // Rounds of this workbook are known already; those named and stored are loaded.
    let wanted: Vec<String> = items
        .iter()
        .filter_map(|it| it.get(round_i))
        .filter(|r| !world.disputes.rounds.contains_key(*r))
        .map(str::to_string)
        .collect::<std::collections::HashSet<_>>()
        .into_iter()
        .collect();
    for r in load::select_in(
        pool,
        "SELECT round_no, org_code, held_on FROM canvass_round WHERE round_no IN",
        &wanted,
    )
    .await?
    {
        world
            .disputes
            .rounds
            .insert(r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?));
    }
    resolve_people_at(pool, crypto, items, mediator_i, world, opts).await?;
    for it in items {
        let code = it.get(org_i).unwrap_or_default();
        match world.orgs.get(code) {
            Some((k, _)) if k.is_village() => {}
            Some(_) => problems.push(d.problem(
                it.row,
                Some(org_i),
                Some(code),
                format!("{code} 不是行政村或社区"),
            )),
            None => problems.push(d.problem(
                it.row,
                Some(org_i),
                Some(code),
                format!("村编码 {code} 不存在"),
            )),
        }
        let found = it.get(found_i).unwrap_or_default();
        not_after_today(d, it, found_i, opts, problems);
        if let Some(round) = it.get(round_i) {
            match world.disputes.rounds.get(round) {
                None => problems.push(d.problem(
                    it.row,
                    Some(round_i),
                    Some(round),
                    format!("排查编号 {round} 不存在（排查表和系统中都没有）"),
                )),
                Some((unit, _)) if !code.starts_with(unit_prefix(unit)) => {
                    problems.push(d.problem(
                        it.row,
                        Some(round_i),
                        Some(round),
                        format!("排查 {round} 的单位 {unit} 不包含村 {code}"),
                    ))
                }
                Some((_, on)) if on.as_str() > found => problems.push(d.problem(
                    it.row,
                    Some(round_i),
                    Some(round),
                    format!("排查日期 {on} 晚于发现日期 {found}"),
                )),
                Some(_) => {}
            }
        }
        if it.get(mediator_i).is_some() {
            check_person_ref_at(d, it, mediator_i, world, opts, problems);
        }
        let concluded = it.get(status_i) == Some("concluded");
        match (it.get(done_i), it.get(outcome_i)) {
            (Some(done), _) if !concluded => problems.push(d.problem(
                it.row,
                Some(done_i),
                Some(done),
                "办结日期只在状态为已办结时填写",
            )),
            (None, _) if concluded => {
                problems.push(d.problem(it.row, Some(done_i), None, "状态为已办结时须填写办结日期"))
            }
            (None, Some(o)) => problems.push(d.problem(
                it.row,
                Some(outcome_i),
                Some(o),
                "调处结果须与办结日期同填",
            )),
            (Some(_), None) => problems.push(d.problem(
                it.row,
                Some(outcome_i),
                None,
                "已办结的纠纷须填写调处结果",
            )),
            _ => {}
        }
        if let Some(done) = it.get(done_i) {
            if done < found {
                problems.push(d.problem(
                    it.row,
                    Some(done_i),
                    Some(done),
                    format!("办结日期不能早于发现日期（{found}）"),
                ));
            }
            not_after_today(d, it, done_i, opts, problems);
        }
        if it.get(agreement_i).is_some() && it.get(outcome_i) != Some("mediated") {
            problems.push(d.problem(
                it.row,
                Some(agreement_i),
                None,
                "只有调解成功的纠纷才有调解协议",
            ));
        }
        world
            .disputes
            .disputes
            .insert(it.key.clone(), (code.to_string(), found.to_string()));
    }
    Ok(())
}

/// The prefix a unit's descendants share (a township's 9 digits, a village's 12).
fn unit_prefix(code: &str) -> &str {
    if code.len() == 12 && code.ends_with("000") {
        &code[..9]
    } else {
        code
    }
}

/// Disputes named by a party or session sheet: those of this workbook, then stored ones.
async fn known_disputes(
    pool: &AnyPool,
    items: &[Item],
    plans: &[SheetPlan],
    world: &mut World,
) -> Result<(), sqlx::Error> {
    let s = &sheets::DISPUTES;
    let (org_i, found_i) = (ix(s, "村编码"), ix(s, "发现日期"));
    for p in plans.iter().filter(|p| p.sheet.id == SheetId::Disputes) {
        for it in &p.items {
            world.disputes.disputes.insert(
                it.key.clone(),
                (
                    it.get(org_i).unwrap_or_default().to_string(),
                    it.get(found_i).unwrap_or_default().to_string(),
                ),
            );
        }
    }
    let wanted: Vec<String> = items
        .iter()
        .filter_map(|it| it.get(0))
        .filter(|n| !world.disputes.disputes.contains_key(*n))
        .map(str::to_string)
        .collect::<std::collections::HashSet<_>>()
        .into_iter()
        .collect();
    for r in load::select_in(
        pool,
        "SELECT dispute_no, org_code, found_on FROM dispute WHERE dispute_no IN",
        &wanted,
    )
    .await?
    {
        world
            .disputes
            .disputes
            .insert(r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?));
    }
    Ok(())
}

fn dispute_ref(d: &SheetData, it: &Item, world: &World, problems: &mut Vec<Problem>) -> bool {
    let no = it.get(0).unwrap_or_default();
    if world.disputes.disputes.contains_key(no) {
        return true;
    }
    problems.push(d.problem(
        it.row,
        Some(0),
        Some(no),
        format!("纠纷编号 {no} 不存在（矛盾纠纷表和系统中都没有）"),
    ));
    false
}

fn parties(
    d: &SheetData,
    items: &[Item],
    world: &World,
    opts: &Options,
    problems: &mut Vec<Problem>,
) {
    let s = &sheets::DISPUTE_PARTIES;
    let (id_i, phone_i) = (ix(s, "身份证号"), ix(s, "联系电话"));
    for it in items {
        dispute_ref(d, it, world, problems);
        if let Some(id) = it.get(id_i)
            && let Err(e) = IdNumber::parse(id, opts.today)
        {
            problems.push(d.problem(it.row, Some(id_i), Some(id), e.to_string()));
        }
        if let Some(p) = it.get(phone_i)
            && let Err(e) = Phone::parse(p)
        {
            problems.push(d.problem(it.row, Some(phone_i), Some(p), e.to_string()));
        }
    }
}

async fn sessions(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    d: &SheetData,
    items: &[Item],
    world: &mut World,
    opts: &Options,
    problems: &mut Vec<Problem>,
) -> Result<(), sqlx::Error> {
    let s = &sheets::MEDIATION_SESSIONS;
    let (on_i, mediator_i) = (ix(s, "调解日期"), ix(s, "调解员身份证号"));
    resolve_people_at(pool, crypto, items, mediator_i, world, opts).await?;
    for it in items {
        if dispute_ref(d, it, world, problems)
            && let (Some(on), Some((_, found))) = (
                it.get(on_i),
                world.disputes.disputes.get(it.get(0).unwrap_or_default()),
            )
            && on < found.as_str()
        {
            problems.push(d.problem(
                it.row,
                Some(on_i),
                Some(on),
                format!("调解日期不能早于纠纷的发现日期（{found}）"),
            ));
        }
        not_after_today(d, it, on_i, opts, problems);
        if it.get(mediator_i).is_some() {
            check_person_ref_at(d, it, mediator_i, world, opts, problems);
        }
    }
    Ok(())
}

//! The industry sheets (经营主体, 带动农户, 乡村旅游项目): credit codes, villages, the people and
//! households named, and dates in order (docs/workbook-modules.md).

use std::collections::HashSet;

use sqlx::{AnyPool, Row};
use xingcun_crypto::CryptoProvider;
use xingcun_domain::CreditCode;

use super::{
    Item, Options, SheetPlan, World, check_person_ref_at, ix, load, resolve_people_at, sheets,
};
use crate::workbook::Problem;
use crate::workbook::read::SheetData;
use crate::workbook::sheets::SheetId;

/// Checks the rows of one industry sheet; `plans` holds the sheets checked before it.
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
        SheetId::Businesses => businesses(pool, crypto, d, items, world, opts, problems).await,
        SheetId::BusinessHouseholds => links(pool, d, items, plans, world, problems).await,
        SheetId::TourismProjects => {
            let s = &sheets::TOURISM_PROJECTS;
            for it in items {
                village(d, it, ix(s, "所在村编码"), world, problems);
                dates_in_order(d, it, ix(s, "开始日期"), ix(s, "结束日期"), problems);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Whether a sheet is one of the industry sheets.
pub(super) fn is_industry(id: SheetId) -> bool {
    matches!(
        id,
        SheetId::Businesses | SheetId::BusinessHouseholds | SheetId::TourismProjects
    )
}

/// The unit a record of an industry sheet lies in (for `--org`).
pub(super) fn unit_of(id: SheetId, values: &[Option<String>], world: &World) -> Option<String> {
    match id {
        SheetId::Businesses => values[sheets::BUSINESSES.index("所在村编码")].clone(),
        SheetId::TourismProjects => values[sheets::TOURISM_PROJECTS.index("所在村编码")].clone(),
        SheetId::BusinessHouseholds => values[1]
            .as_ref()
            .and_then(|h| world.households.get(h).map(str::to_string)),
        _ => None,
    }
}

fn village(d: &SheetData, it: &Item, col: usize, world: &World, problems: &mut Vec<Problem>) {
    let Some(code) = it.get(col) else { return };
    match world.orgs.get(code) {
        Some((k, _)) if k.is_village() => {}
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

async fn businesses(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    d: &SheetData,
    items: &[Item],
    world: &mut World,
    opts: &Options,
    problems: &mut Vec<Problem>,
) -> Result<(), sqlx::Error> {
    let s = &sheets::BUSINESSES;
    let [org, rep_id, rep_name, registered, deregistered, members] = [
        "所在村编码",
        "法定代表人身份证号",
        "法定代表人姓名",
        "登记日期",
        "注销日期",
        "成员数",
    ]
    .map(|h| ix(s, h));
    resolve_people_at(pool, crypto, items, rep_id, world, opts).await?;
    for it in items {
        match CreditCode::parse(&it.key) {
            Err(e) => problems.push(d.problem(it.row, Some(0), Some(&it.key), e.to_string())),
            // Stored as written: the key must already be in its canonical form.
            Ok(c) if c.to_string() != it.key => problems.push(d.problem(
                it.row,
                Some(0),
                Some(&it.key),
                "统一社会信用代码应为大写且不含空格",
            )),
            Ok(_) => {}
        }
        village(d, it, org, world, problems);
        if it.get(rep_id).is_some() {
            check_person_ref_at(d, it, rep_id, world, opts, problems);
        } else if it.get(rep_name).is_none() {
            problems.push(d.problem(
                it.row,
                Some(rep_name),
                None,
                "须填写法定代表人身份证号或姓名",
            ));
        }
        dates_in_order(d, it, registered, deregistered, problems);
        if let Some(m) = it.get(members)
            && m.parse::<u32>().is_err()
        {
            problems.push(d.problem(it.row, Some(members), Some(m), "成员数应为非负整数"));
        }
    }
    Ok(())
}

async fn links(
    pool: &AnyPool,
    d: &SheetData,
    items: &[Item],
    plans: &[SheetPlan],
    world: &mut World,
    problems: &mut Vec<Problem>,
) -> Result<(), sqlx::Error> {
    let s = &sheets::BUSINESS_HOUSEHOLDS;
    let (code_i, hh_i, start_i, end_i) = (0, ix(s, "户编号"), ix(s, "开始日期"), ix(s, "结束日期"));
    // Businesses of this workbook, then those stored.
    let mut known: HashSet<String> = plans
        .iter()
        .filter(|p| p.sheet.id == SheetId::Businesses)
        .flat_map(|p| p.items.iter().map(|it| it.key.clone()))
        .collect();
    let wanted: Vec<String> = items
        .iter()
        .filter_map(|it| it.get(code_i))
        .filter(|c| !known.contains(*c))
        .map(str::to_string)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    for r in load::select_in(
        pool,
        "SELECT credit_code FROM business WHERE credit_code IN",
        &wanted,
    )
    .await?
    {
        known.insert(r.try_get(0)?);
    }
    super::resolve_households(pool, items, hh_i, world).await?;
    for it in items {
        if let Some(c) = it.get(code_i)
            && !known.contains(c)
        {
            problems.push(d.problem(
                it.row,
                Some(code_i),
                Some(c),
                format!("统一社会信用代码 {c} 不存在（经营主体表和系统中都没有）"),
            ));
        }
        if let Some(h) = it.get(hh_i)
            && !world.households.contains_key(h)
        {
            problems.push(d.problem(
                it.row,
                Some(hh_i),
                Some(h),
                format!("户编号 {h} 不存在（户表和系统中都没有）"),
            ));
        }
        dates_in_order(d, it, start_i, end_i, problems);
    }
    Ok(())
}

//! The sheets of the simpler registries (docs/workbook-modules.md): 现代农业园区, 科技合作,
//! 农产品品牌, 地理标志产品, 地理标志登记, 法律进农村, 移风易俗, 理论学习, 监督检查发现问题,
//! 先进典型. Units, party orgs, businesses, products and people must exist; dates come in
//! order and what has happened is not dated after today; a brand or a registration moves
//! from 申请中 to its certified state only, never back.

use std::collections::{HashMap, HashSet};

use sqlx::{AnyPool, Row};
use xingcun_crypto::CryptoProvider;

use super::{
    Item, Options, SheetPlan, World, check_person_ref_at, ix, load, resolve_people_at, sheets,
};
use crate::workbook::Problem;
use crate::workbook::read::SheetData;
use crate::workbook::sheets::SheetId;

/// What the checks of these sheets learn for later sheets.
#[derive(Debug, Default)]
pub(super) struct Known {
    /// 地理标志产品: product number → org code (this workbook's, then those stored).
    products: HashMap<String, String>,
}

/// Whether a sheet is one of these.
pub(super) fn is_more(id: SheetId) -> bool {
    matches!(
        id,
        SheetId::AgriParks
            | SheetId::TechPartnerships
            | SheetId::Brands
            | SheetId::GeoProducts
            | SheetId::GeoRegistrations
            | SheetId::LawOutreachEvents
            | SheetId::CivilityEvents
            | SheetId::StudySessions
            | SheetId::SupervisionFindings
            | SheetId::Exemplars
    )
}

/// The unit a record lies in (for `--org`).
pub(super) fn unit_of(id: SheetId, values: &[Option<String>], world: &World) -> Option<String> {
    let at = |s: &sheets::Sheet, h: &str| values[s.index(h)].clone();
    match id {
        SheetId::AgriParks => at(&sheets::AGRI_PARKS, "所在区划编码"),
        SheetId::TechPartnerships => at(&sheets::TECH_PARTNERSHIPS, "所在村编码"),
        SheetId::Brands => at(&sheets::BRANDS, "所在村编码"),
        SheetId::GeoProducts => at(&sheets::GEO_PRODUCTS, "所在村编码"),
        SheetId::GeoRegistrations => at(&sheets::GEO_REGISTRATIONS, "产品编号")
            .and_then(|p| world.more.products.get(&p).cloned()),
        SheetId::StudySessions => at(&sheets::STUDY_SESSIONS, "组织编码")
            .and_then(|o| world.party_orgs.get(&o).map(|x| x.1.clone())),
        SheetId::LawOutreachEvents
        | SheetId::CivilityEvents
        | SheetId::SupervisionFindings
        | SheetId::Exemplars => values[1].clone(),
        _ => None,
    }
}

/// What [`check`] returns: a boxed future, so the import's own (long) future need not look
/// inside it to prove it `Send`.
pub(super) type Checked<'a> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), sqlx::Error>> + Send + 'a>>;

/// Checks the rows of one of these sheets; `plans` holds the sheets checked before it.
#[allow(clippy::too_many_arguments)]
pub(super) fn check<'a>(
    pool: &'a AnyPool,
    crypto: &'a dyn CryptoProvider,
    d: &'a SheetData,
    items: &'a [Item],
    plans: &'a [SheetPlan],
    world: &'a mut World,
    opts: &'a Options,
    problems: &'a mut Vec<Problem>,
) -> Checked<'a> {
    Box::pin(check_rows(
        pool, crypto, d, items, plans, world, opts, problems,
    ))
}

#[allow(clippy::too_many_arguments)]
async fn check_rows(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    d: &SheetData,
    items: &[Item],
    plans: &[SheetPlan],
    world: &mut World,
    opts: &Options,
    problems: &mut Vec<Problem>,
) -> Result<(), sqlx::Error> {
    let today = opts.today.format("%Y-%m-%d").to_string();
    let s = d.sheet;
    let c = |h: &str| ix(s, h);
    match s.id {
        SheetId::AgriParks => {
            for it in items {
                unit(
                    d,
                    it,
                    c("所在区划编码"),
                    world,
                    Place::VillageOrTownship,
                    problems,
                );
                amount(d, it, c("面积"), problems);
                dates_in_order(d, it, c("开始日期"), c("结束日期"), problems);
            }
        }
        SheetId::TechPartnerships => {
            let known = businesses(pool, items, c("统一社会信用代码"), plans).await?;
            for it in items {
                unit(d, it, c("所在村编码"), world, Place::Village, problems);
                business(d, it, c("统一社会信用代码"), &known, problems);
                dates_in_order(d, it, c("开始日期"), c("结束日期"), problems);
            }
        }
        SheetId::Brands => {
            let known = businesses(pool, items, c("统一社会信用代码"), plans).await?;
            for it in items {
                unit(d, it, c("所在村编码"), world, Place::Village, problems);
                business(d, it, c("统一社会信用代码"), &known, problems);
                if it.get(c("统一社会信用代码")).is_none() && it.get(c("所有者名称")).is_none()
                {
                    problems.push(d.problem(
                        it.row,
                        Some(c("所有者名称")),
                        None,
                        "须填写品牌所有者的统一社会信用代码或所有者名称",
                    ));
                }
                certification(
                    d,
                    it,
                    c("状态"),
                    c("申请日期"),
                    c("认定日期"),
                    &today,
                    problems,
                );
            }
        }
        SheetId::GeoProducts => {
            for it in items {
                unit(d, it, c("所在村编码"), world, Place::Village, problems);
                if let Some(org) = it.get(c("所在村编码")) {
                    world.more.products.insert(it.key.clone(), org.to_string());
                }
            }
        }
        SheetId::GeoRegistrations => {
            products(pool, items, c("产品编号"), world).await?;
            for it in items {
                let p = it.get(c("产品编号")).unwrap_or_default();
                if !world.more.products.contains_key(p) {
                    problems.push(d.problem(
                        it.row,
                        Some(c("产品编号")),
                        Some(p),
                        format!("产品编号 {p} 不存在（地理标志产品表和系统中都没有）"),
                    ));
                }
                certification(
                    d,
                    it,
                    c("状态"),
                    c("申请日期"),
                    c("登记日期"),
                    &today,
                    problems,
                );
            }
        }
        SheetId::LawOutreachEvents | SheetId::CivilityEvents => {
            for it in items {
                unit(d, it, c("所属区划编码"), world, Place::Any, problems);
                not_after_today(d, it, c("活动日期"), &today, problems);
                count(d, it, c("参加人数"), problems);
            }
        }
        SheetId::StudySessions => {
            for it in items {
                let code = it.get(c("组织编码")).unwrap_or_default();
                if !world.party_orgs.contains_key(code) {
                    problems.push(d.problem(
                        it.row,
                        Some(c("组织编码")),
                        Some(code),
                        format!("组织编码 {code} 不存在（党组织表和系统中都没有）"),
                    ));
                }
                not_after_today(d, it, c("学习日期"), &today, problems);
                count(d, it, c("参加人数"), problems);
            }
        }
        SheetId::SupervisionFindings => {
            for it in items {
                unit(d, it, c("所属区划编码"), world, Place::Any, problems);
                let found = c("发现日期");
                not_after_today(d, it, found, &today, problems);
                dates_in_order(d, it, found, c("整改时限"), problems);
                dates_in_order(d, it, found, c("整改完成日期"), problems);
                not_after_today(d, it, c("整改完成日期"), &today, problems);
            }
        }
        SheetId::Exemplars => {
            let person = c("身份证号");
            resolve_people_at(pool, crypto, items, person, world, opts).await?;
            for it in items {
                unit(d, it, c("所属区划编码"), world, Place::Any, problems);
                if it.get(person).is_some() {
                    check_person_ref_at(d, it, person, world, opts, problems);
                }
                not_after_today(d, it, c("发布日期"), &today, problems);
            }
        }
        _ => {}
    }
    Ok(())
}

/// Which units a column accepts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Village,
    VillageOrTownship,
    Any,
}

fn unit(
    d: &SheetData,
    it: &Item,
    col: usize,
    world: &World,
    place: Place,
    problems: &mut Vec<Problem>,
) {
    let Some(code) = it.get(col) else { return };
    let msg = match (world.orgs.get(code), place) {
        (None, _) => format!("区划编码 {code} 不存在"),
        (Some(_), Place::Any) => return,
        (Some((k, _)), Place::Village) if k.is_village() => return,
        (Some((k, _)), Place::VillageOrTownship) if k.is_village() || k.is_township_level() => {
            return;
        }
        (Some(_), Place::Village) => format!("{code} 不是行政村或社区"),
        (Some(_), Place::VillageOrTownship) => format!("{code} 不是乡镇(街道)、行政村或社区"),
    };
    problems.push(d.problem(it.row, Some(col), Some(code), msg));
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

/// A head count: a non-negative integer.
fn count(d: &SheetData, it: &Item, col: usize, problems: &mut Vec<Problem>) {
    if let Some(v) = it.get(col)
        && (v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) || v.len() > 9)
    {
        problems.push(d.problem(
            it.row,
            Some(col),
            Some(v),
            format!("{}应为非负整数", d.sheet.columns[col].header),
        ));
    }
}

/// An area: a number ≥ 0 with at most two decimals.
fn amount(d: &SheetData, it: &Item, col: usize, problems: &mut Vec<Problem>) {
    let Some(v) = it.get(col) else { return };
    let (whole, frac) = v.split_once('.').unwrap_or((v, ""));
    let ok = !whole.is_empty()
        && whole.len() <= 12
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.len() <= 2
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !(v.contains('.') && frac.is_empty());
    if !ok {
        problems.push(d.problem(
            it.row,
            Some(col),
            Some(v),
            format!(
                "{}应为不小于0、最多两位小数的数",
                d.sheet.columns[col].header
            ),
        ));
    }
}

/// The credit codes the rows name that exist: in this workbook's 经营主体 sheet or stored.
async fn businesses(
    pool: &AnyPool,
    items: &[Item],
    col: usize,
    plans: &[SheetPlan],
) -> Result<HashSet<String>, sqlx::Error> {
    let mut known: HashSet<String> = plans
        .iter()
        .filter(|p| p.sheet.id == SheetId::Businesses)
        .flat_map(|p| p.items.iter().map(|it| it.key.clone()))
        .collect();
    let wanted: Vec<String> = items
        .iter()
        .filter_map(|it| it.get(col))
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
    Ok(known)
}

fn business(
    d: &SheetData,
    it: &Item,
    col: usize,
    known: &HashSet<String>,
    problems: &mut Vec<Problem>,
) {
    let Some(code) = it.get(col) else { return };
    let msg = match xingcun_domain::CreditCode::parse(code) {
        Err(e) => e.to_string(),
        Ok(_) if known.contains(code) => return,
        Ok(_) => format!("统一社会信用代码 {code} 不存在（经营主体表和系统中都没有）"),
    };
    problems.push(d.problem(it.row, Some(col), Some(code), msg));
}

/// Stored products the rows name, not already known from this workbook.
async fn products(
    pool: &AnyPool,
    items: &[Item],
    col: usize,
    world: &mut World,
) -> Result<(), sqlx::Error> {
    let wanted: Vec<String> = items
        .iter()
        .filter_map(|it| it.get(col))
        .filter(|p| !world.more.products.contains_key(*p))
        .map(str::to_string)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    for r in load::select_in(
        pool,
        "SELECT product_no, org_code FROM geo_product WHERE product_no IN",
        &wanted,
    )
    .await?
    {
        world.more.products.insert(r.try_get(0)?, r.try_get(1)?);
    }
    Ok(())
}

/// 申请中 → certified (已认定, 已登记): the certified date goes with the certified state only,
/// not before the application nor after today, and a stored certified record does not go back.
fn certification(
    d: &SheetData,
    it: &Item,
    status: usize,
    applied: usize,
    done: usize,
    today: &str,
    problems: &mut Vec<Problem>,
) {
    let h = |c: usize| d.sheet.columns[c].header;
    let applied_only = it.get(status) == Some("applied");
    match (applied_only, it.get(done)) {
        (false, None) => problems.push(d.problem(
            it.row,
            Some(done),
            None,
            format!("状态为已认定或已登记时须填写{}", h(done)),
        )),
        (true, Some(v)) => problems.push(d.problem(
            it.row,
            Some(done),
            Some(v),
            format!("状态为申请中时{}应为空", h(done)),
        )),
        _ => {}
    }
    not_after_today(d, it, applied, today, problems);
    dates_in_order(d, it, applied, done, problems);
    not_after_today(d, it, done, today, problems);
    if applied_only
        && let Some((_, old)) = &it.existing
        && old[status].as_deref().is_some_and(|s| s != "applied")
    {
        problems.push(d.problem(
            it.row,
            Some(status),
            it.get(status),
            "状态只能由申请中变为已认定（已登记），不能退回",
        ));
    }
}

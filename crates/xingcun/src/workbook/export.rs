//! Export (`xingcun export`, the 导出 button) and the empty template. An export of a subtree also
//! writes the 区划 rows of its ancestors, the people its rows name and the parent party
//! organisations, so it imports into an empty database and exports again to the same cells.

use std::collections::{BTreeMap, HashSet};

use sqlx::{AnyPool, Row};
use xingcun_crypto::CryptoProvider;
use xingcun_xlsx::{OutCell, SheetSpec, WorkbookWriter};

use super::sheets::{Kind, SHEETS, Sheet, SheetId};
use crate::registry::personal::{self, AAD_HOUSEHOLD_PHONE, AAD_PERSON_ID, AAD_PERSON_PHONE};
use crate::scope::Scope;

/// Rows of one sheet in canonical form, sorted by key.
type Rows = Vec<Vec<Option<String>>>;

fn out_cell(kind: Kind, v: &Option<String>) -> OutCell {
    let Some(v) = v else { return OutCell::Empty };
    match kind {
        Kind::Date => v
            .parse()
            .map(OutCell::Date)
            .unwrap_or_else(|_| OutCell::Text(v.clone())),
        Kind::Bool => OutCell::Bool(v == "1"),
        Kind::Enum(e) => OutCell::Text(e.label(v).unwrap_or(v).to_string()),
        _ => OutCell::Text(v.clone()),
    }
}

/// The parts of a sheet's [`SheetSpec`].
struct SpecParts {
    headers: Vec<&'static str>,
    required: Vec<bool>,
    notes: Vec<&'static str>,
    dropdowns: Vec<(usize, &'static [&'static str])>,
    text: Vec<usize>,
}

fn spec_parts(sheet: &Sheet) -> SpecParts {
    let mut p = SpecParts {
        headers: sheet.columns.iter().map(|c| c.header).collect(),
        required: sheet.columns.iter().map(|c| c.required).collect(),
        notes: sheet.columns.iter().map(|c| c.note).collect(),
        dropdowns: Vec::new(),
        text: Vec::new(),
    };
    for (i, c) in sheet.columns.iter().enumerate() {
        match c.kind {
            Kind::Enum(e) => p.dropdowns.push((i, e.labels())),
            Kind::Bool => p.dropdowns.push((i, &["是", "否"][..])),
            Kind::Ident | Kind::IdNumber => p.text.push(i),
            _ => {}
        }
    }
    p
}

/// Writes sheets with their rows (an empty template when every sheet has no rows).
pub fn write_workbook(
    sheets: &[(&'static Sheet, Rows)],
    with_notes: bool,
) -> anyhow::Result<Vec<u8>> {
    let mut w = WorkbookWriter::new();
    for (sheet, rows) in sheets {
        let p = spec_parts(sheet);
        let spec = SheetSpec {
            name: sheet.name,
            headers: &p.headers,
            required: &p.required,
            notes: with_notes.then_some(&p.notes[..]),
            dropdowns: &p.dropdowns,
            text_columns: &p.text,
        };
        let h = w.add_sheet(&spec)?;
        for row in rows {
            let cells: Vec<OutCell> = sheet
                .columns
                .iter()
                .zip(row)
                .map(|(c, v)| out_cell(c.kind, v))
                .collect();
            w.write_row(h, &cells)?;
        }
    }
    Ok(w.save_to_bytes()?)
}

/// The empty workbook: headers, a notes row, drop-down lists.
pub fn template() -> anyhow::Result<Vec<u8>> {
    let sheets: Vec<(&'static Sheet, Rows)> = SHEETS.iter().map(|s| (*s, Vec::new())).collect();
    write_workbook(&sheets, true)
}

fn flag(r: &sqlx::any::AnyRow, i: usize) -> Result<Option<String>, sqlx::Error> {
    Ok(Some(r.try_get::<i64, _>(i)?.to_string()))
}

/// Cadre posts with the columns [`add_cadre_row`] reads.
const CADRE_SELECT: &str =
    "SELECT c.person_id, p.id_enc, c.category, c.post, c.post_title, c.org_code, c.starts_on,
        c.ends_on, c.professional FROM cadre_post c JOIN person p ON p.id = c.person_id";

/// One 干部 row from a [`CADRE_SELECT`] row, by its key.
fn add_cadre_row(
    cadres: &mut BTreeMap<String, Vec<Option<String>>>,
    crypto: &dyn CryptoProvider,
    r: &sqlx::any::AnyRow,
) -> Result<(), sqlx::Error> {
    let id = personal::open(crypto, &r.try_get::<String, _>(1)?, AAD_PERSON_ID).unwrap_or_default();
    let v = vec![
        Some(id),
        r.try_get(2)?,
        r.try_get(3)?,
        r.try_get(4)?,
        r.try_get(5)?,
        r.try_get(6)?,
        r.try_get(7)?,
        flag(r, 8)?,
    ];
    cadres.insert(super::check::key_of(&super::sheets::CADRES, &v), v);
    Ok(())
}

/// Everything in `scope` (with the ancestors and referenced records the round trip needs).
pub async fn export(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    scope: &Scope,
    root_code: Option<&str>,
) -> anyhow::Result<Vec<u8>> {
    let (lo, hi) = scope.bounds();
    // 区划: the subtree and its ancestors.
    let mut orgs: BTreeMap<String, Vec<Option<String>>> = BTreeMap::new();
    for r in sqlx::query("SELECT code, name, kind, parent_code, revoked_on, merged_into FROM org_unit WHERE code >= $1 AND code < $2")
        .bind(lo.clone())
        .bind(hi.clone())
        .fetch_all(pool)
        .await?
    {
        let code: String = r.try_get(0)?;
        orgs.insert(code.clone(), vec![Some(code), r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, r.try_get(4)?, r.try_get(5)?]);
    }
    if let Some(top) = root_code {
        for u in crate::org::lineage(pool, top)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?
        {
            orgs.entry(u.code.clone()).or_insert_with(|| {
                vec![
                    Some(u.code.clone()),
                    Some(u.name.clone()),
                    Some(u.kind.clone()),
                    u.parent_code.clone(),
                    u.revoked_on.clone(),
                    u.merged_into.clone(),
                ]
            });
        }
    }
    // 户
    let mut households: BTreeMap<String, Vec<Option<String>>> = BTreeMap::new();
    for r in sqlx::query(
        "SELECT household_no, org_code, group_name, address, phone_enc, residence, lifted_out, monitored, monitor_type,
                dibao, destitute, deregistered_on FROM household WHERE org_code >= $1 AND org_code < $2",
    )
    .bind(lo.clone())
    .bind(hi.clone())
    .fetch_all(pool)
    .await?
    {
        let no: String = r.try_get(0)?;
        let phone = r.try_get::<Option<String>, _>(4)?.and_then(|e| personal::open(crypto, &e, AAD_HOUSEHOLD_PHONE));
        households.insert(
            no.clone(),
            vec![Some(no), r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, phone, r.try_get(5)?, flag(&r, 6)?, flag(&r, 7)?, r.try_get(8)?, flag(&r, 9)?, flag(&r, 10)?, r.try_get(11)?],
        );
    }
    // 党组织: in scope, plus the parents they hang from.
    let mut party_orgs: BTreeMap<String, Vec<Option<String>>> = BTreeMap::new();
    let all_party: Vec<(String, Vec<Option<String>>)> =
        sqlx::query("SELECT code, name, kind, parent_code, org_code FROM party_org")
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| {
                let code: String = r.try_get(0)?;
                Ok((
                    code.clone(),
                    vec![
                        Some(code),
                        r.try_get(1)?,
                        r.try_get(2)?,
                        r.try_get(3)?,
                        r.try_get(4)?,
                    ],
                ))
            })
            .collect::<Result<_, sqlx::Error>>()?;
    let by_code: BTreeMap<&String, &Vec<Option<String>>> =
        all_party.iter().map(|(c, v)| (c, v)).collect();
    for (code, v) in &all_party {
        if v[4].as_deref().is_some_and(|o| scope.contains(o)) {
            let mut cur = Some(code.clone());
            while let Some(c) = cur {
                let Some(row) = by_code.get(&c) else { break };
                if party_orgs.insert(c.clone(), (*row).clone()).is_some() {
                    break;
                }
                cur = row[3].clone();
            }
        }
    }
    // 党员 and 干部 in scope; their people.
    let mut wanted_people: HashSet<i64> = HashSet::new();
    let mut members: BTreeMap<String, Vec<Option<String>>> = BTreeMap::new();
    for r in sqlx::query(
        "SELECT m.person_id, p.id_enc, m.party_org_code, m.category, m.joined_on, m.confirmed_on, m.status, m.left_on, m.leave_reason
         FROM party_member m JOIN person p ON p.id = m.person_id WHERE m.org_code >= $1 AND m.org_code < $2",
    )
    .bind(lo.clone())
    .bind(hi.clone())
    .fetch_all(pool)
    .await?
    {
        let id = personal::open(crypto, &r.try_get::<String, _>(1)?, AAD_PERSON_ID).unwrap_or_default();
        wanted_people.insert(r.try_get(0)?);
        members.insert(id.clone(), vec![Some(id), r.try_get(2)?, r.try_get(3)?, r.try_get(4)?, r.try_get(5)?, r.try_get(6)?, r.try_get(7)?, r.try_get(8)?]);
    }
    let mut cadres: BTreeMap<String, Vec<Option<String>>> = BTreeMap::new();
    for r in sqlx::query(sqlx::AssertSqlSafe(format!(
        "{CADRE_SELECT} WHERE c.org_code >= $1 AND c.org_code < $2"
    )))
    .bind(lo.clone())
    .bind(hi.clone())
    .fetch_all(pool)
    .await?
    {
        wanted_people.insert(r.try_get(0)?);
        add_cadre_row(&mut cadres, crypto, &r)?;
    }
    // 工作队 … 走访: records whose unit is in scope; their people.
    let mut outreach: BTreeMap<SheetId, Rows> = BTreeMap::new();
    let mut outreach_people: HashSet<i64> = HashSet::new();
    for sheet in super::outreach::sheets() {
        let mut rows: BTreeMap<String, Vec<Option<String>>> = BTreeMap::new();
        for rec in super::outreach::records(pool, crypto, sheet).await? {
            if rec.org.as_deref().is_some_and(|o| scope.contains(o)) {
                outreach_people.extend(rec.people.iter().copied());
                wanted_people.extend(rec.people);
                rows.insert(super::check::key_of(sheet, &rec.values), rec.values);
            }
        }
        outreach.insert(sheet.id, rows.into_values().collect());
    }
    // 培训参训 rows name their training, wherever it was organised.
    if let Some(attendances) = outreach.get(&SheetId::TrainingAttendances).cloned() {
        let trainings = outreach.entry(SheetId::Trainings).or_default();
        crate::talent::add_referenced_trainings(pool, crypto, trainings, &attendances).await?;
    }
    // The township posts that exported outreach rows rest on (a 包村 needs its leader's post, a
    // 驻村 without 派出单位 its cadre's), so a unit's export imports on its own.
    let outreach_people: Vec<String> = outreach_people.iter().map(i64::to_string).collect();
    for r in super::load::select_in(
        pool,
        &format!("{CADRE_SELECT} WHERE c.category IN ('township_leader', 'township_cadre') AND CAST(c.person_id AS TEXT) IN"),
        &outreach_people,
    )
    .await?
    {
        add_cadre_row(&mut cadres, crypto, &r)?;
    }
    // 人员: those of exported households, and those the exported rows name.
    let mut people: BTreeMap<String, Vec<Option<String>>> = BTreeMap::new();
    for r in sqlx::query(
        "SELECT p.id, p.id_enc, p.name, p.sex, p.birth_date, p.ethnicity, p.edu_full_time, p.edu_in_service, p.political_status,
                p.phone_enc, h.household_no, p.relation, p.deregistered_on, p.dereg_reason, h.org_code
         FROM person p LEFT JOIN household h ON h.id = p.household_id",
    )
    .fetch_all(pool)
    .await?
    {
        let pid: i64 = r.try_get(0)?;
        let hh_org: Option<String> = r.try_get(14)?;
        let in_household = hh_org.as_deref().is_some_and(|o| scope.contains(o));
        if !in_household && !wanted_people.contains(&pid) {
            continue;
        }
        let id = personal::open(crypto, &r.try_get::<String, _>(1)?, AAD_PERSON_ID).unwrap_or_default();
        let phone = r.try_get::<Option<String>, _>(9)?.and_then(|e| personal::open(crypto, &e, AAD_PERSON_PHONE));
        // A household outside the export is not written, so neither is the link to it.
        let (hh, rel) = if in_household { (r.try_get(10)?, r.try_get(11)?) } else { (None, None) };
        people.insert(
            id.clone(),
            vec![Some(id), r.try_get(2)?, r.try_get(3)?, r.try_get(4)?, r.try_get(5)?, r.try_get(6)?, r.try_get(7)?, r.try_get(8)?, phone, hh, rel, r.try_get(12)?, r.try_get(13)?],
        );
    }
    let sheets: Vec<(&'static Sheet, Rows)> = SHEETS
        .iter()
        .map(|s| {
            let rows = match s.id {
                SheetId::OrgUnits => &orgs,
                SheetId::Households => &households,
                SheetId::People => &people,
                SheetId::PartyOrgs => &party_orgs,
                SheetId::PartyMembers => &members,
                SheetId::Cadres => &cadres,
                other => return (*s, outreach.remove(&other).unwrap_or_default()),
            };
            (*s, rows.values().cloned().collect())
        })
        .collect();
    write_workbook(&sheets, false)
}

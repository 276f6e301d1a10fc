//! Writing a checked plan in one transaction: new records in multi-row inserts, changed ones
//! updated, every change audited (personal values masked), nothing written when nothing changed.

use std::collections::HashMap;

use sqlx::{Any, Row, Transaction};
use xingcun_crypto::CryptoProvider;
use xingcun_domain::division::{OrgCode, OrgKind};
use xingcun_domain::{IdNumber, Phone, name_keys};

use super::check::{Item, SheetPlan};
use super::load::RowGroups;
use super::sheets::{self, SheetId};
use crate::audit::{self, Action, Actor, Change};
use crate::db::now_ms;
use crate::db::pipe::Pipe;
use crate::org::{self, NewOrgUnit};
use crate::registry::personal::{self, AAD_HOUSEHOLD_PHONE, AAD_PERSON_PHONE};

/// A value to bind.
#[derive(Debug, Clone)]
pub enum Val {
    T(Option<String>),
    I(Option<i64>),
}

fn t(v: Option<&str>) -> Val {
    Val::T(v.map(str::to_string))
}

fn flag(v: Option<&str>) -> Val {
    Val::I(Some(i64::from(v == Some("1"))))
}

/// Rows built lazily, as the statements are (a boxed iterator keeps the import's future `Send`).
type Rows<'a> = Box<dyn Iterator<Item = Vec<Val>> + Send + 'a>;

/// Counts of what an import wrote, per sheet: (sheet, inserted, updated, unchanged).
pub type Counts = Vec<(&'static str, usize, usize, usize)>;

/// Inserts rows in chunks: `INSERT INTO table (cols) VALUES (…), (…)`. The rows are taken from
/// `rows` as each statement is built, so whatever work the iterator does (sealing, name keys)
/// runs while the database writes the statement before (see [`Pipe`]).
pub(crate) async fn insert_many(
    tx: &mut Transaction<'static, Any>,
    table: &str,
    cols: &[&str],
    rows: impl IntoIterator<Item = Vec<Val>>,
) -> Result<(), sqlx::Error> {
    let groups = RowGroups::new(tx, cols.len());
    let per = groups.rows_per_insert();
    let head = format!("INSERT INTO {table} ({}) VALUES ", cols.join(", "));
    let mut rows = rows.into_iter().peekable();
    let mut pipe = Pipe::new(tx);
    while rows.peek().is_some() {
        let mut sql = head.clone();
        let mut binds: Vec<Val> = Vec::new();
        for (n, row) in rows.by_ref().take(per).enumerate() {
            groups.push(&mut sql, n);
            binds.extend(row);
        }
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for v in binds {
            q = match v {
                Val::T(s) => q.bind(s),
                Val::I(i) => q.bind(i),
            };
        }
        pipe.send(q).await?;
    }
    pipe.finish().await
}

/// `UPDATE table SET c1 = $1, … WHERE id = $n`.
pub(super) async fn update_one(
    tx: &mut Transaction<'static, Any>,
    table: &str,
    cols: &[&str],
    vals: Vec<Val>,
    id: i64,
) -> Result<(), sqlx::Error> {
    let sets: Vec<String> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ${}", i + 1))
        .collect();
    let n = cols.len();
    let sql = format!(
        "UPDATE {table} SET {}, version = version + 1, updated_at = ${} WHERE id = ${}",
        sets.join(", "),
        n + 1,
        n + 2
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for v in vals {
        q = match v {
            Val::T(s) => q.bind(s),
            Val::I(i) => q.bind(i),
        };
    }
    q.bind(now_ms()).bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// The audit changes of an item, personal columns masked.
fn changes(sheet: &'static sheets::Sheet, it: &Item) -> Vec<Change> {
    let masked = |h: &str, v: &Option<String>| -> Option<String> {
        let v = v.as_ref()?;
        Some(match h {
            h if h.ends_with("身份证号") => IdNumber::parse(v, chrono::NaiveDate::MAX)
                .map(|i| i.masked())
                .unwrap_or_else(|_| "***".into()),
            "联系电话" => Phone::parse(v)
                .map(|p| p.masked())
                .unwrap_or_else(|_| "***".into()),
            _ => v.clone(),
        })
    };
    sheet
        .columns
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            it.existing
                .as_ref()
                .is_none_or(|(_, old)| old[*i] != it.values[*i])
        })
        .map(|(i, c)| Change {
            field: c.header,
            old: it
                .existing
                .as_ref()
                .and_then(|(_, old)| masked(c.header, &old[i])),
            new: masked(c.header, &it.values[i]),
        })
        .collect()
}

/// Writes every sheet's plan; returns what changed.
pub async fn apply(
    tx: &mut Transaction<'static, Any>,
    crypto: &dyn CryptoProvider,
    actor: &Actor,
    plans: &[SheetPlan],
) -> anyhow::Result<Counts> {
    let mut counts = Vec::new();
    let root: Option<String> =
        sqlx::query("SELECT code FROM org_unit WHERE parent_code IS NULL ORDER BY code LIMIT 1")
            .fetch_optional(&mut **tx)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?;
    let mut root = root;
    for plan in plans {
        let changed: Vec<&Item> = plan.items.iter().filter(|it| it.changed()).collect();
        let inserted = changed.iter().filter(|it| it.existing.is_none()).count();
        counts.push((
            plan.sheet.name,
            inserted,
            changed.len() - inserted,
            plan.items.len() - changed.len(),
        ));
        // Every graduation of the sheet raises 在职学历, changed or not: a 人员 row of the same
        // workbook may have just written a lower one. The rows themselves are written first.
        let graduations = plan.sheet.id == SheetId::DegreeUpgrades;
        if changed.is_empty() {
            if graduations {
                graduate(tx, crypto, actor, &plan.items.iter().collect::<Vec<_>>()).await?;
            }
            continue;
        }
        let orgs_of: Vec<Option<String>> = match plan.sheet.id {
            SheetId::OrgUnits => {
                apply_org_units(tx, actor, &changed).await?;
                if root.is_none() {
                    root = changed
                        .iter()
                        .find(|it| it.get(3).is_none())
                        .map(|it| it.key.clone());
                }
                changed.iter().map(|it| Some(it.key.clone())).collect()
            }
            SheetId::Households => apply_households(tx, crypto, &changed).await?,
            SheetId::People => apply_people(tx, crypto, &changed, root.as_deref()).await?,
            SheetId::PartyOrgs => apply_party_orgs(tx, &changed).await?,
            SheetId::PartyMembers => apply_members(tx, crypto, &changed).await?,
            SheetId::Cadres => apply_cadres(tx, crypto, &changed).await?,
            _ => super::outreach::apply(tx, crypto, plan.sheet, &changed).await?,
        };
        // A dispute written as 高 risk is escalated to its township in this transaction.
        if plan.sheet.id == SheetId::Disputes {
            crate::governance::disputes::escalate(tx, &changed).await?;
        }
        if graduations {
            graduate(tx, crypto, actor, &plan.items.iter().collect::<Vec<_>>()).await?;
        }
        if plan.sheet.id == SheetId::OrgUnits {
            continue; // org::upsert audits each unit itself
        }
        // Each entry's JSON is built as its insert is (see `audit::record_stored`).
        let entity = entity_of(plan.sheet.id);
        let stored: Box<dyn Iterator<Item = audit::Stored> + Send> =
            Box::new(changed.iter().zip(orgs_of).map(|(it, org)| audit::Stored {
                actor,
                action: if it.existing.is_some() {
                    Action::Update
                } else {
                    Action::Create
                },
                entity,
                entity_key: audit_key(plan.sheet.id, &it.key),
                org_code: org,
                changes: audit::changes_json(&changes(plan.sheet, it)),
            }));
        audit::record_stored(tx, changed.len(), stored).await?;
    }
    Ok(counts)
}

/// 学历提升 rows with a 毕业日期 raise their person's 在职学历 to the row's 层次 (when higher).
async fn graduate(
    tx: &mut Transaction<'static, Any>,
    crypto: &dyn CryptoProvider,
    actor: &Actor,
    items: &[&Item],
) -> anyhow::Result<()> {
    let s = &sheets::DEGREE_UPGRADES;
    let (level, done) = (s.index("层次"), s.index("毕业日期"));
    let graduated: Vec<&&Item> = items.iter().filter(|it| it.get(done).is_some()).collect();
    let ids: Vec<&str> = graduated.iter().filter_map(|it| it.get(0)).collect();
    let persons = person_ids(tx, crypto, &ids).await?;
    for it in graduated {
        let (Some(person), Some(level)) = (
            it.get(0).and_then(|id| persons.get(id)),
            it.get(level)
                .and_then(xingcun_domain::enums::Education::from_code),
        ) else {
            continue;
        };
        crate::talent::raise_education(tx, actor, crate::registry::PersonId(*person), level)
            .await?;
    }
    Ok(())
}

fn entity_of(id: SheetId) -> &'static str {
    match id {
        SheetId::OrgUnits => "org_unit",
        SheetId::Households => "household",
        SheetId::People => "person",
        SheetId::PartyOrgs => "party_org",
        SheetId::PartyMembers => "party_member",
        SheetId::Cadres => "cadre_post",
        other => super::outreach::entity(other),
    }
}

/// Audit keys never carry a plain ID number.
fn audit_key(id: SheetId, key: &str) -> String {
    match id {
        SheetId::People | SheetId::PartyMembers | SheetId::Cadres => {
            let (first, rest) = key
                .split_once('|')
                .map(|(a, b)| (a, Some(b)))
                .unwrap_or((key, None));
            let masked = IdNumber::parse(first, chrono::NaiveDate::MAX)
                .map(|i| i.masked())
                .unwrap_or_else(|_| "***".into());
            match rest {
                Some(r) => format!("{masked}|{r}"),
                None => masked,
            }
        }
        SheetId::OrgUnits | SheetId::Households | SheetId::PartyOrgs => key.to_string(),
        _ => key
            .split('|')
            .map(|part| {
                IdNumber::parse(part, chrono::NaiveDate::MAX)
                    .map(|i| i.masked())
                    .unwrap_or_else(|_| part.to_string())
            })
            .collect::<Vec<_>>()
            .join("|"),
    }
}

async fn apply_org_units(
    tx: &mut Transaction<'static, Any>,
    actor: &Actor,
    items: &[&Item],
) -> anyhow::Result<()> {
    let mut units: Vec<NewOrgUnit> = Vec::new();
    for it in items {
        let kind = OrgKind::from_code(it.get(2).unwrap_or_default())
            .ok_or_else(|| anyhow::anyhow!("kind"))?;
        let code = |v: Option<&str>| {
            v.map(OrgCode::parse)
                .transpose()
                .map_err(|e| anyhow::anyhow!("{e}"))
        };
        units.push(NewOrgUnit {
            code: OrgCode::parse(&it.key).map_err(|e| anyhow::anyhow!("{e}"))?,
            name: it.get(1).unwrap_or_default().to_string(),
            kind,
            parent_code: code(it.get(3))?,
            revoked_on: it.get(4).and_then(|d| d.parse().ok()),
            merged_into: code(it.get(5))?,
        });
    }
    // Parents before children.
    units.sort_by_key(|u| (u.kind.level(), u.code.as_str().to_string()));
    for u in &units {
        org::upsert(tx, actor, u)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(())
}

const HOUSEHOLD_COLS: &[&str] = &[
    "org_code",
    "group_name",
    "address",
    "phone_enc",
    "phone_bidx",
    "phone_masked",
    "residence",
    "lifted_out",
    "monitored",
    "monitor_type",
    "dibao",
    "destitute",
    "deregistered_on",
];

async fn apply_households(
    tx: &mut Transaction<'static, Any>,
    crypto: &dyn CryptoProvider,
    items: &[&Item],
) -> anyhow::Result<Vec<Option<String>>> {
    let now = now_ms();
    let values = |it: &Item| {
        let phone = it
            .get(4)
            .and_then(|p| Phone::parse(p).ok())
            .map(|p| personal::seal_phone(crypto, &p, AAD_HOUSEHOLD_PHONE));
        let (enc, bidx, masked) = match phone {
            Some(p) => (Some(p.enc), Some(p.bidx), Some(p.masked)),
            None => (None, None, None),
        };
        vec![
            t(it.get(1)),
            t(it.get(2)),
            t(it.get(3)),
            Val::T(enc),
            Val::T(bidx),
            Val::T(masked),
            t(it.get(5)),
            flag(it.get(6)),
            flag(it.get(7)),
            t(it.get(8)),
            flag(it.get(9)),
            flag(it.get(10)),
            t(it.get(11)),
        ]
    };
    for it in items {
        if let Some((id, _)) = &it.existing {
            update_one(tx, "household", HOUSEHOLD_COLS, values(it), *id).await?;
        }
    }
    let mut cols = vec!["household_no"];
    cols.extend_from_slice(HOUSEHOLD_COLS);
    cols.extend_from_slice(&["created_at", "updated_at"]);
    // Sealed as each statement is built (see `insert_many`).
    let inserts: Rows = Box::new(items.iter().filter(|it| it.existing.is_none()).map(|it| {
        let mut vals = vec![Val::T(Some(it.key.clone()))];
        vals.extend(values(it));
        vals.push(Val::I(Some(now)));
        vals.push(Val::I(Some(now)));
        vals
    }));
    insert_many(tx, "household", &cols, inserts).await?;
    Ok(items
        .iter()
        .map(|it| it.get(1).map(str::to_string))
        .collect())
}

const PERSON_COLS: &[&str] = &[
    "name",
    "name_pinyin",
    "name_initials",
    "sex",
    "birth_date",
    "ethnicity",
    "edu_full_time",
    "edu_in_service",
    "political_status",
    "phone_enc",
    "phone_bidx",
    "phone_masked",
    "household_id",
    "relation",
    "org_code",
    "deregistered_on",
    "dereg_reason",
];

async fn apply_people(
    tx: &mut Transaction<'static, Any>,
    crypto: &dyn CryptoProvider,
    items: &[&Item],
    root: Option<&str>,
) -> anyhow::Result<Vec<Option<String>>> {
    let s = &sheets::PEOPLE;
    let hh_i = s.index("户编号");
    let nos: Vec<String> = items
        .iter()
        .filter_map(|it| it.get(hh_i).map(str::to_string))
        .collect::<std::collections::HashSet<_>>()
        .into_iter()
        .collect();
    let mut households: HashMap<String, (i64, String)> = HashMap::new();
    for r in super::load::select_in_on(
        tx,
        "SELECT household_no, id, org_code FROM household WHERE household_no IN",
        &nos,
    )
    .await?
    {
        households.insert(r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?));
    }
    let root = root.unwrap_or_default().to_string();
    let now = now_ms();
    let hh_of = |it: &Item| it.get(hh_i).and_then(|h| households.get(h));
    let org_of = |it: &Item| hh_of(it).map_or_else(|| root.clone(), |h| h.1.clone());
    let values = |it: &Item, id: &IdNumber| {
        let name = it.get(1).unwrap_or_default();
        let keys = name_keys(name);
        let phone = it
            .get(8)
            .and_then(|p| Phone::parse(p).ok())
            .map(|p| personal::seal_phone(crypto, &p, AAD_PERSON_PHONE));
        let (enc, bidx, masked) = match phone {
            Some(p) => (Some(p.enc), Some(p.bidx), Some(p.masked)),
            None => (None, None, None),
        };
        vec![
            t(Some(name)),
            Val::T(Some(keys.full)),
            Val::T(Some(keys.initials)),
            Val::T(Some(id.sex().code().to_string())),
            Val::T(Some(id.birth_date().to_string())),
            t(it.get(4)),
            t(it.get(5)),
            t(it.get(6)),
            t(it.get(7)),
            Val::T(enc),
            Val::T(bidx),
            Val::T(masked),
            Val::I(hh_of(it).map(|h| h.0)),
            t(it.get(10)),
            Val::T(Some(org_of(it))),
            t(it.get(11)),
            t(it.get(12)),
        ]
    };
    let mut new = Vec::new();
    for it in items {
        let id =
            IdNumber::parse(&it.key, chrono::NaiveDate::MAX).map_err(|e| anyhow::anyhow!("{e}"))?;
        match &it.existing {
            Some((pid, _)) => update_one(tx, "person", PERSON_COLS, values(it, &id), *pid).await?,
            None => new.push((*it, id)),
        }
    }
    let mut cols = vec!["id_bidx", "id_enc", "id_masked"];
    cols.extend_from_slice(PERSON_COLS);
    cols.extend_from_slice(&["created_at", "updated_at"]);
    // Sealed as each statement is built (see `insert_many`).
    let inserts: Rows = Box::new(new.iter().map(|(it, id)| {
        let sealed = personal::seal_id(crypto, id);
        let mut row = vec![
            Val::T(Some(sealed.bidx)),
            Val::T(Some(sealed.enc)),
            Val::T(Some(sealed.masked)),
        ];
        row.extend(values(it, id));
        row.push(Val::I(Some(now)));
        row.push(Val::I(Some(now)));
        row
    }));
    insert_many(tx, "person", &cols, inserts).await?;
    Ok(items.iter().map(|it| Some(org_of(it))).collect())
}

async fn apply_party_orgs(
    tx: &mut Transaction<'static, Any>,
    items: &[&Item],
) -> anyhow::Result<Vec<Option<String>>> {
    // Parents before children: repeatedly write those whose parent is stored or written.
    let now = now_ms();
    let mut pending: Vec<&Item> = items.to_vec();
    let mut written: std::collections::HashSet<String> = std::collections::HashSet::new();
    let stored: std::collections::HashSet<String> = sqlx::query("SELECT code FROM party_org")
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
    while !pending.is_empty() {
        let (ready, rest): (Vec<&Item>, Vec<&Item>) = pending.into_iter().partition(|it| {
            it.get(3).is_none_or(|p| {
                written.contains(p)
                    || (stored.contains(p)
                        && !items.iter().any(|x| x.key == p && x.existing.is_none()))
            })
        });
        if ready.is_empty() {
            anyhow::bail!("党组织上级关系无法排序");
        }
        for it in &ready {
            let vals = vec![t(it.get(1)), t(it.get(2)), t(it.get(3)), t(it.get(4))];
            match &it.existing {
                Some((id, _)) => {
                    update_one(
                        tx,
                        "party_org",
                        &["name", "kind", "parent_code", "org_code"],
                        vals,
                        *id,
                    )
                    .await?
                }
                None => {
                    let mut row = vec![t(Some(&it.key))];
                    row.extend(vals);
                    row.push(Val::I(Some(now)));
                    row.push(Val::I(Some(now)));
                    insert_many(
                        tx,
                        "party_org",
                        &[
                            "code",
                            "name",
                            "kind",
                            "parent_code",
                            "org_code",
                            "created_at",
                            "updated_at",
                        ],
                        vec![row],
                    )
                    .await?;
                }
            }
            written.insert(it.key.clone());
        }
        pending = rest;
    }
    Ok(items
        .iter()
        .map(|it| it.get(4).map(str::to_string))
        .collect())
}

/// Person ids by ID number, through the blind index.
pub(super) async fn person_ids(
    tx: &mut Transaction<'static, Any>,
    crypto: &dyn CryptoProvider,
    ids: &[&str],
) -> anyhow::Result<HashMap<String, i64>> {
    let by_bidx: HashMap<String, String> = ids
        .iter()
        .map(|id| (personal::id_bidx(crypto, id), id.to_string()))
        .collect();
    let bidx: Vec<String> = by_bidx.keys().cloned().collect();
    let mut out = HashMap::new();
    for r in super::load::select_in_on(tx, "SELECT id_bidx, id FROM person WHERE id_bidx IN", &bidx)
        .await?
    {
        let b: String = r.try_get(0)?;
        if let Some(id) = by_bidx.get(&b) {
            out.insert(id.clone(), r.try_get(1)?);
        }
    }
    Ok(out)
}

async fn apply_members(
    tx: &mut Transaction<'static, Any>,
    crypto: &dyn CryptoProvider,
    items: &[&Item],
) -> anyhow::Result<Vec<Option<String>>> {
    let ids: Vec<&str> = items.iter().map(|it| it.key.as_str()).collect();
    let persons = person_ids(tx, crypto, &ids).await?;
    let mut party_orgs: HashMap<String, String> = HashMap::new();
    for r in sqlx::query("SELECT code, org_code FROM party_org")
        .fetch_all(&mut **tx)
        .await?
    {
        party_orgs.insert(r.try_get(0)?, r.try_get(1)?);
    }
    let now = now_ms();
    let mut inserts = Vec::new();
    let mut orgs = Vec::new();
    const COLS: &[&str] = &[
        "party_org_code",
        "org_code",
        "category",
        "joined_on",
        "confirmed_on",
        "status",
        "left_on",
        "leave_reason",
    ];
    for it in items {
        let org = it.get(1).and_then(|c| party_orgs.get(c)).cloned();
        orgs.push(org.clone());
        let vals = vec![
            t(it.get(1)),
            Val::T(org),
            t(it.get(2)),
            t(it.get(3)),
            t(it.get(4)),
            t(it.get(5)),
            t(it.get(6)),
            t(it.get(7)),
        ];
        match &it.existing {
            Some((id, _)) => update_one(tx, "party_member", COLS, vals, *id).await?,
            None => {
                let pid = *persons
                    .get(&it.key)
                    .ok_or_else(|| anyhow::anyhow!("person missing"))?;
                let mut row = vec![Val::I(Some(pid))];
                row.extend(vals);
                row.push(Val::I(Some(now)));
                row.push(Val::I(Some(now)));
                inserts.push(row);
            }
        }
    }
    let mut cols = vec!["person_id"];
    cols.extend_from_slice(COLS);
    cols.extend_from_slice(&["created_at", "updated_at"]);
    insert_many(tx, "party_member", &cols, inserts).await?;
    Ok(orgs)
}

async fn apply_cadres(
    tx: &mut Transaction<'static, Any>,
    crypto: &dyn CryptoProvider,
    items: &[&Item],
) -> anyhow::Result<Vec<Option<String>>> {
    let ids: Vec<&str> = items
        .iter()
        .map(|it| it.get(0).unwrap_or_default())
        .collect();
    let persons = person_ids(tx, crypto, &ids).await?;
    let now = now_ms();
    let mut inserts = Vec::new();
    const COLS: &[&str] = &[
        "category",
        "post",
        "post_title",
        "org_code",
        "starts_on",
        "ends_on",
        "professional",
    ];
    for it in items {
        let vals = vec![
            t(it.get(1)),
            t(it.get(2)),
            t(it.get(3)),
            t(it.get(4)),
            t(it.get(5)),
            t(it.get(6)),
            flag(it.get(7)),
        ];
        match &it.existing {
            Some((id, _)) => update_one(tx, "cadre_post", COLS, vals, *id).await?,
            None => {
                let pid = *persons
                    .get(it.get(0).unwrap_or_default())
                    .ok_or_else(|| anyhow::anyhow!("person missing"))?;
                let mut row = vec![Val::I(Some(pid))];
                row.extend(vals);
                row.push(Val::I(Some(now)));
                row.push(Val::I(Some(now)));
                inserts.push(row);
            }
        }
    }
    let mut cols = vec!["person_id"];
    cols.extend_from_slice(COLS);
    cols.extend_from_slice(&["created_at", "updated_at"]);
    insert_many(tx, "cadre_post", &cols, inserts).await?;
    Ok(items
        .iter()
        .map(|it| it.get(4).map(str::to_string))
        .collect())
}

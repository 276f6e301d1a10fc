//! From rows as read to a plan of writes: each row merged with what is stored (an absent column
//! keeps the stored value, an empty cell clears it, a new record takes defaults), then checked
//! against the sheet's rules and its references (within the workbook or the database). Every
//! problem is collected; nothing is written here.

use std::collections::hash_map::{Entry, RandomState};
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;

use chrono::NaiveDate;
use sqlx::{AnyPool, Row};
use xingcun_crypto::CryptoProvider;
use xingcun_domain::division::{OrgCode, OrgKind, check_parent};
use xingcun_domain::enums::{
    CadreCategory, MemberCategory, PartyOrgKind, PoliticalStatus, Relation, VillagePost,
};
use xingcun_domain::{IdNumber, Phone};

use super::Problem;
use super::load::{self, Existing};
use super::read::SheetData;
use super::sheets::{self, Sheet, SheetId};
use crate::registry::personal;

mod branches;
mod disputes;
mod industry;
mod more;
mod talent;

/// One record to write.
#[derive(Debug, Clone)]
pub struct Item {
    pub row: u32,
    pub key: String,
    pub values: Vec<Option<String>>,
    /// The stored record: its id and values.
    pub existing: Option<(i64, Vec<Option<String>>)>,
}

impl Item {
    pub fn get(&self, i: usize) -> Option<&str> {
        self.values[i].as_deref()
    }
    pub fn changed(&self) -> bool {
        self.existing
            .as_ref()
            .is_none_or(|(_, old)| *old != self.values)
    }
}

/// The writes of one sheet.
#[derive(Debug, Clone)]
pub struct SheetPlan {
    pub sheet: &'static Sheet,
    pub items: Vec<Item>,
}

/// Import options that checking needs.
#[derive(Debug, Clone)]
pub struct Options {
    pub today: NaiveDate,
    /// `--org CODE`: the scope prefix every written record must lie in.
    pub within: Option<String>,
}

/// The key text of a row: its key columns joined by `|`.
pub fn key_of(sheet: &Sheet, values: &[Option<String>]) -> String {
    sheet
        .key
        .iter()
        .map(|k| values[*k].as_deref().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("|")
}

/// Column indexes by header, checked once.
fn ix(sheet: &Sheet, h: &str) -> usize {
    sheet.index(h)
}

/// The keys of a sheet seen so far and the first row of each, to refuse duplicates across
/// the chunks of a streamed sheet. A key of an ID number's form takes 8 bytes; any other key
/// (a household number, or an ID, a household and a date) is kept as a 128-bit keyed hash of
/// its text, in 16 bytes whatever its length. Two different keys share a hash with a
/// probability of about 10⁻²⁷ for a million rows; the keys are random for each import, so no
/// text can be made to collide on purpose.
#[derive(Debug, Default)]
struct SeenKeys {
    ids: HashMap<u64, u32>,
    other: HashMap<[[u32; 2]; 2], u32>,
    hashers: (RandomState, RandomState),
}

impl SeenKeys {
    /// Notes `key` at `row`; returns the row it was first seen at, if it was.
    fn first_row(&mut self, key: &str, row: u32) -> Option<u32> {
        match try_pack_id(key) {
            Some(p) => first_seen(&mut self.ids, p, row),
            None => {
                let (a, b) = (self.hashers.0.hash_one(key), self.hashers.1.hash_one(key));
                first_seen(&mut self.other, [halves(a), halves(b)], row)
            }
        }
    }
}

/// Notes `row` under `key` unless a row is there already, and returns that row.
fn first_seen<K: Eq + std::hash::Hash>(map: &mut HashMap<K, u32>, key: K, row: u32) -> Option<u32> {
    match map.entry(key) {
        Entry::Occupied(e) => Some(*e.get()),
        Entry::Vacant(e) => {
            e.insert(row);
            None
        }
    }
}

/// Merges rows with stored records and checks duplicates within the sheet (the keys of the 人员
/// sheet in `people`, others in `seen`). The rows' values
/// move into the items (the sheet keeps no rows afterwards) and the stored records move out of
/// `existing`, so a large workbook is not held twice while it is checked.
fn merge(
    data: &mut SheetData,
    mut existing: Existing,
    seen: &mut SeenKeys,
    mut people: Option<&mut KnownPeople>,
    problems: &mut Vec<Problem>,
) -> Vec<Item> {
    let sheet = data.sheet;
    let rows = std::mem::take(&mut data.rows);
    let mut items = Vec::with_capacity(rows.len());
    for mut r in rows {
        if sheet.key.iter().any(|k| r.values[*k].is_none()) {
            continue; // a required-cell problem is already reported
        }
        let key = key_of(sheet, &r.values);
        let first = match (&mut people, try_pack_id(&key)) {
            (Some(people), Some(packed)) => people.first_row(packed, r.row),
            _ => seen.first_row(&key, r.row),
        };
        if let Some(first) = first {
            problems.push(data.problem(
                r.row,
                Some(sheet.key[0]),
                Some(&key),
                format!("与第 {first} 行重复（同一记录只能出现一次）"),
            ));
            continue;
        }
        let old = existing.remove(&key);
        let values = sheet
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| match (&old, data.present[i]) {
                (_, true) => r.values[i].take().or_else(|| c.default.map(str::to_string)),
                (Some((_, ov)), false) => ov[i].clone(),
                (None, false) => c.default.map(str::to_string),
            })
            .collect();
        items.push(Item {
            row: r.row,
            key,
            values,
            existing: old,
        });
    }
    items
}

/// A post's start, end, holder (blind index) and workbook row.
type Span = (String, Option<String>, String, Option<u32>);

/// Everything known about references, from the workbook and the database.
#[derive(Debug, Default)]
struct World {
    orgs: HashMap<String, (OrgKind, String)>,
    /// household number → org code
    households: Households,
    /// The people known, from the workbook or the database.
    people: KnownPeople,
    /// party org code → (kind, org code)
    party_orgs: HashMap<String, (String, String)>,
    /// ID → member category
    members: HashMap<String, String>,
    root: Option<String>,
    /// team number → village code
    teams: HashMap<String, String>,
    /// rectification case number → org code (filled by the 整顿 checks)
    cases: HashMap<String, String>,
    /// assessment, honour and contest numbers named by later branch sheets → org code (filled
    /// by `check/branches.rs`, keys prefixed by the kind: 评定:, 荣誉:, 赛事:)
    branch_units: HashMap<String, String>,
    /// What the simpler registries' checks learn (check/more.rs).
    more: more::Known,
    /// Rounds and disputes by number (check/disputes.rs).
    disputes: disputes::Known,
}

/// Whether a sheet is checked and written chunk by chunk as it is read. The sheets that grow
/// with the population are: 户, 人员, 联户 (a row per linked household) and 走访 (rows that
/// accumulate visit by visit). Their rules look at one row at a time, or keep compact tallies
/// between chunks (duplicate keys, household heads, political status), and no later sheet's
/// rule reads their plans. Every other sheet is checked whole, and its plan is kept for the
/// rules of later sheets.
pub fn streamed(id: SheetId) -> bool {
    matches!(
        id,
        SheetId::Households | SheetId::People | SheetId::HouseholdLinks | SheetId::Visits
    )
}

/// Checks a workbook piece by piece — each sheet whole, a streamed sheet chunk by chunk —
/// keeping between pieces only what later rules need: the [`World`] of keys and facts, the
/// plans of the sheets checked whole, and compact tallies of the streamed sheets' cross-row
/// rules, which [`Planner::finish`] settles.
pub struct Planner<'a> {
    pool: &'a AnyPool,
    crypto: &'a dyn CryptoProvider,
    opts: &'a Options,
    world: World,
    /// Whether any person was stored before the import (else no stored member can matter).
    stored_people: bool,
    /// The sheets seen, without their rows (to place the problems of the final rules).
    data: Vec<SheetData>,
    /// The plans of the sheets checked whole.
    plans: Vec<SheetPlan>,
    /// The latest chunk of the streamed sheet.
    chunk: Option<SheetPlan>,
    /// The streamed sheet being checked: its id and its keys so far (for duplicates).
    streaming: Option<(SheetId, SeenKeys)>,
    heads: Heads,
}

/// The 户主 rule over the 人员 sheet's chunks: per household touched (by its index in
/// [`Households`]), the members the workbook gives it, and which stored people the workbook
/// restates.
#[derive(Debug, Default)]
struct Heads {
    tallies: Vec<Option<HeadTally>>,
    /// Blind indexes of stored people the workbook restates (they no longer count where stored).
    restated: HashSet<[u8; 32]>,
}

impl Heads {
    /// The tally of the household at `ix`, marking it touched.
    fn touch(&mut self, ix: u32) -> &mut HeadTally {
        let ix = ix as usize;
        if self.tallies.len() <= ix {
            self.tallies.resize(ix + 1, None);
        }
        self.tallies[ix].get_or_insert_default()
    }
}

#[derive(Debug, Default, Clone, Copy)]
struct HeadTally {
    members: u32,
    heads: u32,
    /// The first workbook row of a member (0: none).
    first_row: u32,
    /// The last workbook row of a head (0: none).
    last_head_row: u32,
    /// The last workbook row of a stored member who leaves (0: none).
    left_row: u32,
}

/// The household numbers named, each with an index, and for those known (from the workbook or
/// the database) their unit's code. The codes are interned (a district has a few thousand
/// units), so a household costs its number and eight bytes.
#[derive(Debug, Default)]
struct Households {
    /// household number → its index in `org_of`
    by_no: HashMap<Box<str>, u32>,
    /// household index → its unit's index in `orgs` ([`Households::NAMED`]: named, not known)
    org_of: Vec<u32>,
    orgs: Vec<Box<str>>,
    org_ix: HashMap<Box<str>, u32>,
}

impl Households {
    const NAMED: u32 = u32::MAX;

    /// The index of household `no`, which is added (as named, not known) if new.
    fn index(&mut self, no: &str) -> u32 {
        if let Some(ix) = self.by_no.get(no) {
            return *ix;
        }
        let ix = u32::try_from(self.org_of.len()).expect("fewer than 2^32 households");
        self.org_of.push(Self::NAMED);
        self.by_no.insert(no.into(), ix);
        ix
    }
    /// Knows household `no` to lie in unit `org`.
    fn insert(&mut self, no: &str, org: &str) {
        let unit = match self.org_ix.get(org) {
            Some(ix) => *ix,
            None => {
                let ix = u32::try_from(self.orgs.len()).expect("fewer than 2^32 units");
                self.orgs.push(org.into());
                self.org_ix.insert(org.into(), ix);
                ix
            }
        };
        let ix = self.index(no);
        self.org_of[ix as usize] = unit;
    }
    fn get(&self, no: &str) -> Option<&str> {
        let unit = self.org_of[*self.by_no.get(no)? as usize];
        (unit != Self::NAMED).then(|| &*self.orgs[unit as usize])
    }
    fn contains_key(&self, no: &str) -> bool {
        self.get(no).is_some()
    }
    /// The numbers of the households whose index `pick` selects.
    fn numbers(&self, pick: impl Fn(u32) -> bool) -> Vec<(&str, u32)> {
        self.by_no
            .iter()
            .filter(|(_, ix)| pick(**ix))
            .map(|(no, ix)| (&**no, *ix))
            .collect()
    }
}

/// The ID numbers of the people known, each in 8 bytes, with a 4-byte word (see [`Known`]): the
/// 人员 row that gave the person, that row's 政治面貌 and whether the person was stored before
/// the import. The row doubles as the 人员 sheet's record of keys seen and the status waits for
/// the 党员 sheet, so a person is held once, in 12 bytes and the table's slack (the packed ID
/// is kept as two 4-byte halves, so an entry is not padded to 16 bytes).
#[derive(Debug, Default)]
struct KnownPeople(HashMap<[u32; 2], u32>);

/// A 64-bit value as two 4-byte halves, so a table entry holding it is not padded to 16 bytes.
fn halves(packed: u64) -> [u32; 2] {
    [packed as u32, (packed >> 32) as u32]
}

/// The word [`KnownPeople`] keeps for a person: bits 0–23 the 人员 row (0: known from the
/// database or another sheet; a sheet has at most [`xingcun_xlsx::MAX_ROWS`] rows), bits
/// 24–27 the 政治面貌 on that row (0: none, else its place in [`PoliticalStatus::ALL`] plus
/// one), bit 28 set when the person was stored before the import.
struct Known;

impl Known {
    const ROW: u32 = (1 << 24) - 1;
    const STATUS_SHIFT: u32 = 24;
    const STATUS: u32 = 0xF << Self::STATUS_SHIFT;
    const STORED: u32 = 1 << 28;
}

const _: () = assert!(PoliticalStatus::ALL.len() < 15);
// The reader refuses a row past Excel's last, so every row fits.
const _: () = assert!(xingcun_xlsx::MAX_ROWS <= Known::ROW);

impl KnownPeople {
    /// Adds a person by a valid ID number.
    fn insert(&mut self, id: &str) {
        if let Some(p) = try_pack_id(id) {
            self.0.entry(halves(p)).or_insert(0);
        }
    }
    fn contains_key(&self, id: &str) -> bool {
        try_pack_id(id).is_some_and(|p| self.0.contains_key(&halves(p)))
    }
    /// Notes the 人员 row of `packed`; returns the row it was first given at, if it was.
    fn first_row(&mut self, packed: u64, row: u32) -> Option<u32> {
        let word = self.0.entry(halves(packed)).or_insert(0);
        match *word & Known::ROW {
            0 => {
                *word |= row;
                None
            }
            first => Some(first),
        }
    }
    /// Keeps the 政治面貌 given on the person's 人员 row.
    fn set_status(&mut self, packed: u64, status: PoliticalStatus) {
        let Some(place) = PoliticalStatus::ALL.iter().position(|s| *s == status) else {
            return;
        };
        if let Some(word) = self.0.get_mut(&halves(packed)) {
            *word = (*word & !Known::STATUS) | ((place as u32 + 1) << Known::STATUS_SHIFT);
        }
    }
    /// Marks a person the database held before the import.
    fn set_stored(&mut self, packed: u64) {
        if let Some(word) = self.0.get_mut(&halves(packed)) {
            *word |= Known::STORED;
        }
    }
    /// The people given a 政治面貌 on the 人员 sheet: packed ID, row, status and whether they
    /// were stored before.
    fn statuses(&self) -> impl Iterator<Item = (u64, u32, PoliticalStatus, bool)> + '_ {
        self.0.iter().filter_map(|([lo, hi], word)| {
            let place = (word & Known::STATUS) >> Known::STATUS_SHIFT;
            let status = *PoliticalStatus::ALL.get(place.checked_sub(1)? as usize)?;
            let packed = u64::from(*lo) | (u64::from(*hi) << 32);
            Some((packed, word & Known::ROW, status, word & Known::STORED != 0))
        })
    }
}

/// [`pack_id`] for text of an ID number's form (17 digits and a digit or X), else `None`.
fn try_pack_id(id: &str) -> Option<u64> {
    let b = id.as_bytes();
    (b.len() == 18
        && b[..17].iter().all(u8::is_ascii_digit)
        && (b[17].is_ascii_digit() || b[17] == b'X'))
        .then(|| pack_id(id))
}

/// An ID number of valid form (17 digits and a check character) in 8 bytes.
fn pack_id(id: &str) -> u64 {
    let b = id.as_bytes();
    let digits = b[..17]
        .iter()
        .fold(0u64, |v, c| v * 10 + u64::from(c - b'0'));
    let check = match b[17] {
        b'X' => 10,
        c => u64::from(c - b'0'),
    };
    digits * 11 + check
}

fn unpack_id(p: u64) -> String {
    let check = match p % 11 {
        10 => 'X',
        c => char::from(b'0' + c as u8),
    };
    format!("{:017}{check}", p / 11)
}

impl<'a> Planner<'a> {
    /// Loads what every check needs to know of the stored records: units, party organisations
    /// and work teams.
    pub async fn new(
        pool: &'a AnyPool,
        crypto: &'a dyn CryptoProvider,
        opts: &'a Options,
    ) -> Result<Planner<'a>, sqlx::Error> {
        let mut world = World::default();
        for r in sqlx::query("SELECT code, kind, scope_prefix, parent_code FROM org_unit")
            .fetch_all(pool)
            .await?
        {
            let code: String = r.try_get(0)?;
            let kind = OrgKind::from_code(&r.try_get::<String, _>(1)?).unwrap_or(OrgKind::Grid);
            if r.try_get::<Option<String>, _>(3)?.is_none() {
                world.root = Some(code.clone());
            }
            world.orgs.insert(code, (kind, r.try_get(2)?));
        }
        for r in sqlx::query("SELECT code, kind, org_code FROM party_org")
            .fetch_all(pool)
            .await?
        {
            world
                .party_orgs
                .insert(r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?));
        }
        for r in sqlx::query("SELECT team_no, org_code FROM work_team")
            .fetch_all(pool)
            .await?
        {
            world.teams.insert(r.try_get(0)?, r.try_get(1)?);
        }
        let stored_people = sqlx::query("SELECT id FROM person LIMIT 1")
            .fetch_optional(pool)
            .await?
            .is_some();
        Ok(Planner {
            pool,
            crypto,
            opts,
            world,
            stored_people,
            data: Vec::new(),
            plans: Vec::new(),
            chunk: None,
            streaming: None,
            heads: Heads::default(),
        })
    }

    /// Checks a sheet, or the next chunk of a streamed sheet, and returns its plan (to write
    /// once the import has no problem so far). Sheets come in import order.
    pub async fn add(
        &mut self,
        mut d: SheetData,
        problems: &mut Vec<Problem>,
    ) -> Result<&SheetPlan, sqlx::Error> {
        let (pool, crypto, opts) = (self.pool, self.crypto, self.opts);
        let id = d.sheet.id;
        if self.streaming.as_ref().is_some_and(|(s, _)| *s != id) {
            self.end_stream(problems).await?;
        }
        if streamed(id) && self.streaming.is_none() {
            self.streaming = Some((id, SeenKeys::default()));
        }
        let keys: Vec<String> = d
            .rows
            .iter()
            .filter_map(|r| r.values[d.sheet.key[0]].clone())
            .collect();
        let existing = match id {
            SheetId::OrgUnits => load::org_units(pool, &keys).await?,
            SheetId::Households => load::households(pool, crypto, &keys).await?,
            SheetId::People => load::people(pool, crypto, &valid_ids(&keys, opts)).await?,
            SheetId::PartyOrgs => load::party_orgs(pool, &keys).await?,
            SheetId::PartyMembers => {
                load::party_members(pool, crypto, &valid_ids(&keys, opts)).await?
            }
            SheetId::Cadres => load::cadre_posts(pool, crypto, &valid_ids(&keys, opts)).await?,
            _ => super::outreach::existing(pool, crypto, d.sheet, &keys).await?,
        };
        drop(keys);
        let mut whole = SeenKeys::default();
        let seen = match &mut self.streaming {
            Some((_, seen)) => seen,
            None => &mut whole,
        };
        // The 人员 sheet's keys are kept with the people known.
        let people = (id == SheetId::People).then_some(&mut self.world.people);
        let mut items = merge(&mut d, existing, seen, people, problems);
        let (world, plans) = (&mut self.world, &self.plans);
        let d: &SheetData = &d;
        match id {
            SheetId::OrgUnits => check_org_units(d, &items, world, problems),
            SheetId::Households => check_households(d, &items, world, problems),
            SheetId::People => {
                check_people(pool, d, &items, world, opts, problems).await?;
                self.tally_people(&items);
            }
            SheetId::PartyOrgs => check_party_orgs(d, &items, world, problems),
            SheetId::PartyMembers => {
                check_members(pool, crypto, d, &items, world, opts, problems).await?
            }
            SheetId::Cadres => check_cadres(pool, crypto, d, &items, world, opts, problems).await?,
            SheetId::Demands => {
                let deadlines = crate::demands::deadlines::load(pool).await?;
                fill_deadlines(&mut items, &deadlines);
                check_demands(pool, crypto, d, &items, world, opts, problems).await?
            }
            SheetId::DegreeUpgrades | SheetId::ReserveTalents => {
                check_talent(pool, crypto, d, &items, world, opts, problems).await?;
                talent::check(pool, crypto, d, &items, plans, world, opts, problems).await?
            }
            id if talent::is_talent(id) => {
                talent::check(pool, crypto, d, &items, plans, world, opts, problems).await?
            }
            id if branches::is_branches(id) => {
                branches::check(pool, d, &items, plans, world, opts, problems).await?;
                if branches::names_people(id) {
                    branches::check_honor_people(
                        pool, crypto, d, &items, plans, world, opts, problems,
                    )
                    .await?;
                }
            }
            id if disputes::is_disputes(id) => {
                disputes::check(pool, crypto, d, &items, plans, world, opts, problems).await?
            }
            id if more::is_more(id) => {
                more::check(pool, crypto, d, &items, plans, world, opts, problems).await?
            }
            id if industry::is_industry(id) => {
                industry::check(pool, crypto, d, &items, plans, world, opts, problems).await?
            }
            _ => check_outreach(pool, crypto, d, &items, plans, world, opts, problems).await?,
        }
        if let Some(prefix) = &opts.within {
            check_within(d, &items, &self.world, prefix, problems);
        }
        let plan = SheetPlan {
            sheet: d.sheet,
            items,
        };
        // The sheet's columns, once (its rows have moved into the plan).
        if !self.data.iter().any(|x| x.sheet.id == id) {
            self.data.push(SheetData {
                sheet: d.sheet,
                present: d.present.clone(),
                file_col: d.file_col.clone(),
                rows: Vec::new(),
            });
        }
        if streamed(id) {
            Ok(self.chunk.insert(plan))
        } else {
            self.plans.push(plan);
            Ok(self.plans.last().expect("just pushed"))
        }
    }

    /// Takes the latest chunk of the streamed sheet (its plan, to write elsewhere).
    pub fn take_chunk(&mut self) -> Option<SheetPlan> {
        self.chunk.take()
    }

    /// The 人员 chunk's part of the 户主 and 政治面貌 rules.
    fn tally_people(&mut self, items: &[Item]) {
        let s = &sheets::PEOPLE;
        let (hh_i, rel_i, dereg_i, pol_i) = (
            ix(s, "户编号"),
            ix(s, "与户主关系"),
            ix(s, "注销日期"),
            ix(s, "政治面貌"),
        );
        let head = Relation::HouseholdHead.code();
        for it in items {
            if IdNumber::parse(&it.key, self.opts.today).is_err() {
                continue;
            }
            let packed = pack_id(&it.key);
            if let Some((_, old)) = &it.existing {
                if let Some(h) = &old[hh_i] {
                    let ix = self.world.households.index(h);
                    let t = self.heads.touch(ix);
                    if it.get(hh_i) != Some(h.as_str()) || it.get(dereg_i).is_some() {
                        t.left_row = t.left_row.max(it.row);
                    }
                }
                self.heads
                    .restated
                    .insert(self.crypto.blind_index("id_number", &it.key));
                self.world.people.set_stored(packed);
            }
            if let Some(h) = it.get(hh_i)
                && it.get(dereg_i).is_none()
            {
                let ix = self.world.households.index(h);
                let t = self.heads.touch(ix);
                t.members += 1;
                if t.first_row == 0 || it.row < t.first_row {
                    t.first_row = it.row;
                }
                if it.get(rel_i) == Some(head) {
                    t.heads += 1;
                    t.last_head_row = t.last_head_row.max(it.row);
                }
            }
            if let Some(pol) = it.get(pol_i).and_then(PoliticalStatus::from_code) {
                self.world.people.set_status(packed, pol);
            }
        }
    }

    /// Settles the cross-row rules of the streamed sheet just finished.
    async fn end_stream(&mut self, problems: &mut Vec<Problem>) -> Result<(), sqlx::Error> {
        if let Some((SheetId::People, _)) = self.streaming.take() {
            self.check_household_heads(problems).await?;
        }
        self.chunk = None;
        Ok(())
    }

    /// A household with any person has exactly one 户主, counting the stored members it keeps.
    async fn check_household_heads(
        &mut self,
        problems: &mut Vec<Problem>,
    ) -> Result<(), sqlx::Error> {
        let Some(d) = self.data.iter().find(|d| d.sheet.id == SheetId::People) else {
            return Ok(());
        };
        let mut heads = std::mem::take(&mut self.heads);
        let households = &self.world.households;
        let mut touched =
            households.numbers(|ix| heads.tallies.get(ix as usize).is_some_and(Option::is_some));
        if self.stored_people {
            let names: Vec<String> = touched.iter().map(|(h, _)| h.to_string()).collect();
            let head = Relation::HouseholdHead.code();
            for r in load::select_in(
                self.pool,
                "SELECT h.household_no, p.id_bidx, p.relation FROM person p JOIN household h ON h.id = p.household_id
                 WHERE p.deregistered_on IS NULL AND h.household_no IN",
                &names,
            )
            .await?
            {
                let (h, b, rel): (String, String, Option<String>) =
                    (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
                let restated = xingcun_crypto::hex_decode(&b)
                    .ok()
                    .and_then(|b| <[u8; 32]>::try_from(b).ok())
                    .is_some_and(|b| heads.restated.contains(&b));
                if restated {
                    continue; // the workbook's row says where they are now
                }
                let Some(ix) = households.by_no.get(h.as_str()) else {
                    continue; // not asked for
                };
                let t = heads.touch(*ix);
                t.members += 1;
                t.heads += u32::from(rel.as_deref() == Some(head));
            }
        }
        let rel_i = ix(&sheets::PEOPLE, "与户主关系");
        touched.sort_unstable_by(|a, b| a.0.cmp(b.0));
        for (h, ix) in touched {
            let Some(t) = heads.tallies[ix as usize] else {
                continue;
            };
            if t.members == 0 {
                continue;
            }
            if t.heads == 0 {
                // Placed at the first member's row, or where the last stored member left.
                let row = if t.first_row > 0 {
                    t.first_row
                } else {
                    t.left_row
                };
                problems.push(d.problem(
                    row,
                    Some(rel_i),
                    Some(h),
                    format!("户 {h} 没有户主（每户须有且只有一名户主）"),
                ));
            } else if t.heads > 1 {
                let row = if t.last_head_row > 0 {
                    t.last_head_row
                } else {
                    t.first_row
                };
                problems.push(d.problem(
                    row,
                    Some(rel_i),
                    Some("户主"),
                    format!("户 {h} 有 {} 名户主（每户须有且只有一名户主）", t.heads),
                ));
            }
        }
        Ok(())
    }

    /// Settles the rules that span sheets, once every piece has been added.
    pub async fn finish(&mut self, problems: &mut Vec<Problem>) -> Result<(), sqlx::Error> {
        self.end_stream(problems).await?;
        branches::check_acceptance(self.pool, &self.data, &self.plans, problems).await?;
        branches::check_awards(self.pool, &self.data, &self.plans, problems).await?;
        self.check_political_status(problems).await
    }

    /// 政治面貌 agrees with the 党员 sheet (the source of party membership).
    async fn check_political_status(&self, problems: &mut Vec<Problem>) -> Result<(), sqlx::Error> {
        let Some(d) = self.data.iter().find(|d| d.sheet.id == SheetId::People) else {
            return Ok(());
        };
        let world = &self.world;
        let pol_i = sheets::PEOPLE.index("政治面貌");
        let member_statuses = [
            PoliticalStatus::CpcMember,
            PoliticalStatus::CpcProbationaryMember,
        ];
        // Only people stored before can have a stored membership.
        let needs_lookup: HashMap<String, u64> = world
            .people
            .statuses()
            .filter(|(packed, _, _, stored)| {
                *stored && !world.members.contains_key(&unpack_id(*packed))
            })
            .map(|(packed, ..)| (personal::id_bidx(self.crypto, &unpack_id(packed)), packed))
            .collect();
        let wanted: Vec<String> = needs_lookup.keys().cloned().collect();
        let mut stored: HashMap<u64, String> = HashMap::new();
        for r in load::select_in(
            self.pool,
            "SELECT p.id_bidx, m.category FROM party_member m JOIN person p ON p.id = m.person_id WHERE m.left_on IS NULL AND p.id_bidx IN",
            &wanted,
        )
        .await?
        {
            let b: String = r.try_get(0)?;
            if let Some(packed) = needs_lookup.get(&b) {
                stored.insert(*packed, r.try_get(1)?);
            }
        }
        for (packed, row, pol, _) in world.people.statuses() {
            let id = unpack_id(packed);
            let category = world
                .members
                .get(&id)
                .cloned()
                .or_else(|| stored.get(&packed).cloned());
            let expected = category
                .as_deref()
                .and_then(MemberCategory::from_code)
                .map(|c| c.political_status());
            let word = pol.label();
            match expected {
                Some(e) if e != pol => problems.push(d.problem(
                    row,
                    Some(pol_i),
                    Some(word),
                    format!("政治面貌与党员表不一致（党员表为{}）", e.label()),
                )),
                None if member_statuses.contains(&pol) => problems.push(d.problem(
                    row,
                    Some(pol_i),
                    Some(word),
                    "政治面貌为党员，但党员表和系统中没有该人的党员记录",
                )),
                _ => {}
            }
        }
        Ok(())
    }
}

fn valid_ids(keys: &[String], opts: &Options) -> Vec<String> {
    keys.iter()
        .filter(|k| IdNumber::parse(k, opts.today).is_ok())
        .cloned()
        .collect()
}

fn check_org_units(d: &SheetData, items: &[Item], world: &mut World, problems: &mut Vec<Problem>) {
    let s = &sheets::ORG_UNITS;
    let (code_i, kind_i, parent_i, revoked_i, merged_i) = (
        0,
        ix(s, "类型"),
        ix(s, "上级编码"),
        ix(s, "撤销日期"),
        ix(s, "并入编码"),
    );
    // First pass: every unit of the workbook is known, so parents may come later in the sheet.
    let mut parsed = Vec::new();
    for it in items {
        let code = match OrgCode::parse(&it.key) {
            Ok(c) => c,
            Err(e) => {
                problems.push(d.problem(it.row, Some(code_i), Some(&it.key), e.to_string()));
                continue;
            }
        };
        let Some(kind) = it.get(kind_i).and_then(OrgKind::from_code) else {
            continue;
        };
        if let Err(e) = code.check_kind(kind) {
            problems.push(d.problem(it.row, Some(code_i), Some(&it.key), e.to_string()));
            continue;
        }
        world
            .orgs
            .insert(it.key.clone(), (kind, code.scope_prefix(kind).to_string()));
        parsed.push((it, code, kind));
    }
    for (it, code, kind) in parsed {
        match (kind, it.get(parent_i)) {
            (OrgKind::District, None) => {}
            (OrgKind::District, Some(p)) => {
                problems.push(d.problem(it.row, Some(parent_i), Some(p), "区县不应填写上级编码"))
            }
            (_, None) => problems.push(d.problem(
                it.row,
                Some(parent_i),
                None,
                "上级编码不能为空（只有区县没有上级）",
            )),
            (_, Some(p)) => match (OrgCode::parse(p), world.orgs.get(p)) {
                (Ok(pc), Some((pk, _))) => {
                    if let Err(e) = check_parent(&code, kind, &pc, *pk) {
                        problems.push(d.problem(it.row, Some(parent_i), Some(p), e.to_string()));
                    }
                }
                _ => problems.push(d.problem(
                    it.row,
                    Some(parent_i),
                    Some(p),
                    format!("上级编码 {p} 不存在（工作簿和系统中都没有）"),
                )),
            },
        }
        match (it.get(revoked_i), it.get(merged_i)) {
            (None, Some(m)) => problems.push(d.problem(
                it.row,
                Some(revoked_i),
                Some(m),
                "填写并入编码时须填写撤销日期",
            )),
            (_, Some(m)) if !world.orgs.contains_key(m) => problems.push(d.problem(
                it.row,
                Some(merged_i),
                Some(m),
                format!("并入编码 {m} 不存在"),
            )),
            _ => {}
        }
    }
}

fn is_village_or_grid(k: OrgKind) -> bool {
    k.is_village() || k == OrgKind::Grid
}

fn check_households(d: &SheetData, items: &[Item], world: &mut World, problems: &mut Vec<Problem>) {
    let s = &sheets::HOUSEHOLDS;
    let (org_i, phone_i, mon_i, mtype_i) = (
        ix(s, "所属区划编码"),
        ix(s, "联系电话"),
        ix(s, "监测对象"),
        ix(s, "监测对象类型"),
    );
    for it in items {
        if let Some(o) = it.get(org_i) {
            match world.orgs.get(o) {
                Some((k, _)) if is_village_or_grid(*k) => {}
                Some((k, _)) => problems.push(d.problem(
                    it.row,
                    Some(org_i),
                    Some(o),
                    format!("所属区划须为行政村、社区或网格，{o} 是{}", k.label()),
                )),
                None => problems.push(d.problem(
                    it.row,
                    Some(org_i),
                    Some(o),
                    format!("区划编码 {o} 不存在"),
                )),
            }
        }
        if let Some(p) = it.get(phone_i)
            && let Err(e) = Phone::parse(p)
        {
            problems.push(d.problem(it.row, Some(phone_i), Some(p), e.to_string()));
        }
        if it.get(mon_i) == Some("1") && it.get(mtype_i).is_none() {
            problems.push(d.problem(
                it.row,
                Some(mtype_i),
                None,
                "监测对象为“是”时须填写监测对象类型",
            ));
        }
        if let Some(o) = it.get(org_i) {
            world.households.insert(&it.key, o);
        }
    }
}

async fn check_people(
    pool: &AnyPool,
    d: &SheetData,
    items: &[Item],
    world: &mut World,
    opts: &Options,
    problems: &mut Vec<Problem>,
) -> Result<(), sqlx::Error> {
    let s = &sheets::PEOPLE;
    let (sex_i, birth_i, phone_i, hh_i, rel_i, dereg_i, reason_i) = (
        ix(s, "性别"),
        ix(s, "出生日期"),
        ix(s, "联系电话"),
        ix(s, "户编号"),
        ix(s, "与户主关系"),
        ix(s, "注销日期"),
        ix(s, "注销原因"),
    );
    // Households named here but not in the 户 sheet must exist in the database.
    resolve_households(pool, items, hh_i, world).await?;
    for it in items {
        let id = match IdNumber::parse(&it.key, opts.today) {
            Ok(id) => id,
            Err(e) => {
                problems.push(d.problem(it.row, Some(0), Some(&it.key), e.to_string()));
                continue;
            }
        };
        if let Some(sx) = it.get(sex_i)
            && sx != id.sex().code()
        {
            let word = xingcun_domain::enums::Sex::from_code(sx)
                .map(|s| s.label())
                .unwrap_or(sx);
            problems.push(d.problem(
                it.row,
                Some(sex_i),
                Some(word),
                format!("性别与身份证号不符（身份证号为{}）", id.sex().label()),
            ));
        }
        if let Some(b) = it.get(birth_i)
            && b != id.birth_date().to_string()
        {
            problems.push(d.problem(
                it.row,
                Some(birth_i),
                Some(b),
                format!("出生日期与身份证号不符（身份证号为 {}）", id.birth_date()),
            ));
        }
        if let Some(p) = it.get(phone_i)
            && let Err(e) = Phone::parse(p)
        {
            problems.push(d.problem(it.row, Some(phone_i), Some(p), e.to_string()));
        }
        match (it.get(hh_i), it.get(rel_i)) {
            (Some(h), _) if !world.households.contains_key(h) => problems.push(d.problem(
                it.row,
                Some(hh_i),
                Some(h),
                format!("户编号 {h} 不存在（户表和系统中都没有）"),
            )),
            (Some(_), None) => {
                problems.push(d.problem(it.row, Some(rel_i), None, "填写户编号时须填写与户主关系"))
            }
            (None, Some(r)) => problems.push(d.problem(
                it.row,
                Some(hh_i),
                Some(r),
                "填写与户主关系时须填写户编号",
            )),
            _ => {}
        }
        match (it.get(dereg_i), it.get(reason_i)) {
            (Some(_), None) => problems.push(d.problem(
                it.row,
                Some(reason_i),
                None,
                "填写注销日期时须填写注销原因",
            )),
            (None, Some(r)) => problems.push(d.problem(
                it.row,
                Some(dereg_i),
                Some(r),
                "填写注销原因时须填写注销日期",
            )),
            _ => {}
        }
        world.people.insert(&it.key);
    }
    Ok(())
}

fn check_party_orgs(d: &SheetData, items: &[Item], world: &mut World, problems: &mut Vec<Problem>) {
    let s = &sheets::PARTY_ORGS;
    let (kind_i, parent_i, org_i) = (ix(s, "类型"), ix(s, "上级组织编码"), ix(s, "所在区划编码"));
    for it in items {
        if let (Some(k), Some(o)) = (it.get(kind_i), it.get(org_i)) {
            world
                .party_orgs
                .insert(it.key.clone(), (k.to_string(), o.to_string()));
        }
    }
    for it in items {
        if let Some(o) = it.get(org_i)
            && !world.orgs.contains_key(o)
        {
            problems.push(d.problem(
                it.row,
                Some(org_i),
                Some(o),
                format!("所在区划编码 {o} 不存在"),
            ));
        }
        if let Some(p) = it.get(parent_i) {
            if p == it.key {
                problems.push(d.problem(it.row, Some(parent_i), Some(p), "上级组织不能是本组织"));
            } else if !world.party_orgs.contains_key(p) {
                problems.push(d.problem(
                    it.row,
                    Some(parent_i),
                    Some(p),
                    format!("上级组织编码 {p} 不存在"),
                ));
            }
        }
    }
    // No cycles: walking up from any org ends at a top org.
    for it in items {
        let mut seen = HashSet::new();
        let mut cur = Some(it.key.clone());
        while let Some(c) = cur {
            if !seen.insert(c.clone()) {
                problems.push(d.problem(
                    it.row,
                    Some(parent_i),
                    it.get(parent_i),
                    "上级组织关系形成循环",
                ));
                break;
            }
            cur = items
                .iter()
                .find(|x| x.key == c)
                .and_then(|x| x.get(parent_i).map(str::to_string));
        }
    }
}

/// People named by a sheet but not in the 人员 sheet must be in the database.
/// Households named in column `col` and not yet known: their units, from the database.
async fn resolve_households(
    pool: &AnyPool,
    items: &[Item],
    col: usize,
    world: &mut World,
) -> Result<(), sqlx::Error> {
    let unknown: Vec<String> = items
        .iter()
        .filter_map(|it| it.get(col))
        .filter(|h| !world.households.contains_key(h))
        .map(str::to_string)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    for r in load::select_in(
        pool,
        "SELECT household_no, org_code FROM household WHERE household_no IN",
        &unknown,
    )
    .await?
    {
        let (no, org): (String, String) = (r.try_get(0)?, r.try_get(1)?);
        world.households.insert(&no, &org);
    }
    Ok(())
}

async fn resolve_people(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    items: &[Item],
    world: &mut World,
    opts: &Options,
) -> Result<HashSet<String>, sqlx::Error> {
    resolve_people_at(pool, crypto, items, 0, world, opts).await
}

async fn resolve_people_at(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    items: &[Item],
    col: usize,
    world: &mut World,
    opts: &Options,
) -> Result<HashSet<String>, sqlx::Error> {
    let wanted: Vec<String> = items
        .iter()
        .map(|it| it.get(col).unwrap_or_default().to_string())
        .filter(|id| !world.people.contains_key(id) && IdNumber::parse(id, opts.today).is_ok())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let by_bidx: HashMap<String, String> = wanted
        .iter()
        .map(|id| (personal::id_bidx(crypto, id), id.clone()))
        .collect();
    let bidx: Vec<String> = by_bidx.keys().cloned().collect();
    let mut found = HashSet::new();
    for r in load::select_in(pool, "SELECT id_bidx FROM person WHERE id_bidx IN", &bidx).await? {
        let b: String = r.try_get(0)?;
        if let Some(id) = by_bidx.get(&b) {
            world.people.insert(id);
            found.insert(id.clone());
        }
    }
    Ok(found)
}

fn check_person_ref(
    d: &SheetData,
    it: &Item,
    world: &World,
    opts: &Options,
    problems: &mut Vec<Problem>,
) -> bool {
    check_person_ref_at(d, it, 0, world, opts, problems)
}

fn check_person_ref_at(
    d: &SheetData,
    it: &Item,
    col: usize,
    world: &World,
    opts: &Options,
    problems: &mut Vec<Problem>,
) -> bool {
    let id = it.get(col).unwrap_or_default();
    if let Err(e) = IdNumber::parse(id, opts.today) {
        problems.push(d.problem(it.row, Some(col), Some(id), e.to_string()));
        return false;
    }
    if !world.people.contains_key(id) {
        problems.push(d.problem(
            it.row,
            Some(col),
            Some(id),
            "该身份证号的人员不存在（人员表和系统中都没有）",
        ));
        return false;
    }
    true
}

async fn check_members(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    d: &SheetData,
    items: &[Item],
    world: &mut World,
    opts: &Options,
    problems: &mut Vec<Problem>,
) -> Result<(), sqlx::Error> {
    let s = &sheets::PARTY_MEMBERS;
    let (org_i, cat_i, joined_i, confirmed_i, left_i, reason_i) = (
        ix(s, "所在党组织编码"),
        ix(s, "党员类别"),
        ix(s, "入党日期"),
        ix(s, "转正日期"),
        ix(s, "离开日期"),
        ix(s, "离开原因"),
    );
    resolve_people(pool, crypto, items, world, opts).await?;
    for it in items {
        check_person_ref(d, it, world, opts, problems);
        if let Some(o) = it.get(org_i) {
            match world.party_orgs.get(o) {
                Some((k, _)) if k == PartyOrgKind::Branch.code() => {}
                Some(_) => problems.push(d.problem(
                    it.row,
                    Some(org_i),
                    Some(o),
                    "党员须编入党支部（该组织不是党支部）",
                )),
                None => problems.push(d.problem(
                    it.row,
                    Some(org_i),
                    Some(o),
                    format!("党组织编码 {o} 不存在"),
                )),
            }
        }
        let date = |i: usize| {
            it.get(i)
                .and_then(|v| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok())
        };
        let full = it.get(cat_i) == Some(MemberCategory::Full.code());
        match (full, date(joined_i), date(confirmed_i)) {
            (true, Some(_), None) => problems.push(d.problem(
                it.row,
                Some(confirmed_i),
                None,
                "正式党员填写入党日期时须填写转正日期",
            )),
            (true, Some(j), Some(c))
                if c < j.checked_add_months(chrono::Months::new(12)).unwrap_or(j) =>
            {
                problems.push(d.problem(
                    it.row,
                    Some(confirmed_i),
                    it.get(confirmed_i),
                    format!("转正日期须在入党日期（{j}）满一年之后"),
                ))
            }
            (false, _, Some(c)) => problems.push(d.problem(
                it.row,
                Some(confirmed_i),
                Some(&c.to_string()),
                "预备党员不应填写转正日期",
            )),
            _ => {}
        }
        match (it.get(left_i), it.get(reason_i)) {
            (Some(_), None) => problems.push(d.problem(
                it.row,
                Some(reason_i),
                None,
                "填写离开日期时须填写离开原因",
            )),
            (None, Some(r)) => problems.push(d.problem(
                it.row,
                Some(left_i),
                Some(r),
                "填写离开原因时须填写离开日期",
            )),
            _ => {}
        }
        if let Some(c) = it.get(cat_i) {
            world.members.insert(it.key.clone(), c.to_string());
        }
    }
    Ok(())
}

async fn check_cadres(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    d: &SheetData,
    items: &[Item],
    world: &mut World,
    opts: &Options,
    problems: &mut Vec<Problem>,
) -> Result<(), sqlx::Error> {
    let s = &sheets::CADRES;
    let (cat_i, post_i, org_i, start_i, end_i, pro_i) = (
        ix(s, "干部类别"),
        ix(s, "职务"),
        ix(s, "任职单位编码"),
        ix(s, "任职日期"),
        ix(s, "离任日期"),
        ix(s, "专业化管理"),
    );
    resolve_people(pool, crypto, items, world, opts).await?;
    let mut planned = Vec::new();
    for it in items {
        check_person_ref(d, it, world, opts, problems);
        let cat = it.get(cat_i).and_then(CadreCategory::from_code);
        let post = it.get(post_i).unwrap_or_default();
        if cat == Some(CadreCategory::VillageCadre) && VillagePost::from_code(post).is_none() {
            problems.push(d.problem(
                it.row,
                Some(post_i),
                Some(post),
                format!("村干部的职务须为：{}", VillagePost::LABELS.join("、")),
            ));
        }
        if let (Some(cat), Some(o)) = (cat, it.get(org_i)) {
            match world.orgs.get(o) {
                None => problems.push(d.problem(
                    it.row,
                    Some(org_i),
                    Some(o),
                    format!("任职单位编码 {o} 不存在"),
                )),
                Some((k, _)) if cat == CadreCategory::VillageCadre && !k.is_village() => problems
                    .push(d.problem(
                        it.row,
                        Some(org_i),
                        Some(o),
                        "村干部的任职单位须为行政村或社区",
                    )),
                Some((k, _)) if cat != CadreCategory::VillageCadre && !k.is_township_level() => {
                    problems.push(d.problem(
                        it.row,
                        Some(org_i),
                        Some(o),
                        "乡镇领导和乡镇干部的任职单位须为乡镇或街道",
                    ))
                }
                _ => {}
            }
        }
        if let (Some(a), Some(b)) = (it.get(start_i), it.get(end_i))
            && b <= a
        {
            problems.push(d.problem(it.row, Some(end_i), Some(b), "离任日期须晚于任职日期"));
        }
        if it.get(pro_i) == Some("1") && post != VillagePost::BranchSecretary.code() {
            problems.push(d.problem(
                it.row,
                Some(pro_i),
                Some("是"),
                "专业化管理只能标在党组织书记职务上",
            ));
        }
        if post == VillagePost::BranchSecretary.code()
            || post == VillagePost::VillagersCommitteeChair.code()
        {
            planned.push(it);
        }
    }
    // At most one active 党组织书记 and one 村(居)委会主任 per village on any day.
    let villages: Vec<String> = planned
        .iter()
        .filter_map(|it| it.get(org_i).map(str::to_string))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut spans: HashMap<(String, String), Vec<Span>> = HashMap::new();
    let item_keys: HashSet<String> = items
        .iter()
        .map(|it| {
            personal::id_bidx(crypto, it.get(0).unwrap_or_default())
                + "|"
                + &it.key[it.key.find('|').map(|i| i + 1).unwrap_or(0)..]
        })
        .collect();
    for r in load::select_in(
        pool,
        "SELECT c.org_code, c.post, c.starts_on, c.ends_on, p.id_bidx FROM cadre_post c JOIN person p ON p.id = c.person_id
         WHERE c.post IN ('branch_secretary', 'villagers_committee_chair') AND c.org_code IN",
        &villages,
    )
    .await?
    {
        let (org, post, start, end, b): (String, String, String, Option<String>, String) =
            (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, r.try_get(4)?);
        let stored_key = format!("{b}|{org}|{post}|{start}");
        if item_keys.contains(&stored_key) {
            continue; // replaced by the workbook's row
        }
        spans.entry((org, post)).or_default().push((start, end, b, None));
    }
    for it in &planned {
        let (Some(org), Some(post), Some(start)) = (it.get(org_i), it.get(post_i), it.get(start_i))
        else {
            continue;
        };
        spans
            .entry((org.to_string(), post.to_string()))
            .or_default()
            .push((
                start.to_string(),
                it.get(end_i).map(str::to_string),
                personal::id_bidx(crypto, it.get(0).unwrap_or_default()),
                Some(it.row),
            ));
    }
    for ((org, post), mut list) in spans {
        list.sort();
        for w in list.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            let overlaps = a.1.as_deref().is_none_or(|end| end > b.0.as_str());
            if overlaps {
                let row = b.3.or(a.3).unwrap_or(0);
                let word = VillagePost::from_code(&post)
                    .map(|p| p.label())
                    .unwrap_or("");
                problems.push(d.problem(
                    row,
                    Some(start_i),
                    Some(&b.0),
                    format!("村 {org} 同一时间只能有一名在任{word}（任期与另一条记录重叠）"),
                ));
            }
        }
    }
    Ok(())
}

/// `--org`: every record written lies in the subtree; a key stored elsewhere is refused.
fn check_within(
    d: &SheetData,
    items: &[Item],
    world: &World,
    prefix: &str,
    problems: &mut Vec<Problem>,
) {
    let s = d.sheet;
    let unit_of = |values: &[Option<String>]| -> Option<String> {
        match s.id {
            SheetId::OrgUnits => values[0].clone(),
            SheetId::Households => values[1].clone(),
            SheetId::People => values[sheets::PEOPLE.index("户编号")]
                .as_ref()
                .and_then(|h| world.households.get(h).map(str::to_string))
                .or_else(|| world.root.clone()),
            SheetId::PartyOrgs => values[4].clone(),
            SheetId::PartyMembers => values[1]
                .as_ref()
                .and_then(|o| world.party_orgs.get(o).map(|x| x.1.clone())),
            SheetId::Cadres => values[4].clone(),
            SheetId::WorkTeams => values[2].clone(),
            SheetId::TeamMembers => values[0].as_ref().and_then(|t| world.teams.get(t).cloned()),
            SheetId::VillageContacts | SheetId::Stationings | SheetId::GridDuties => {
                values[1].clone()
            }
            SheetId::HouseholdLinks | SheetId::Visits => values[1]
                .as_ref()
                .and_then(|h| world.households.get(h).map(str::to_string)),
            SheetId::Demands => values[1].clone(),
            SheetId::DegreeUpgrades | SheetId::ReserveTalents => values[1].clone(),
            id if talent::is_talent(id) => talent::unit_of(id, values),
            id if branches::is_branches(id) => branches::unit_of(id, values, world),
            id if more::is_more(id) => more::unit_of(id, values, world),
            id if disputes::is_disputes(id) => disputes::unit_of(id, values, world),
            id => industry::unit_of(id, values, world),
        }
    };
    for it in items {
        // An unchanged row (an ancestor or a referenced person in an export) is not written.
        if !it.changed() {
            continue;
        }
        if let Some((_, old)) = &it.existing
            && unit_of(old).is_some_and(|u| !u.starts_with(prefix))
        {
            problems.push(d.problem(
                it.row,
                Some(s.key[0]),
                Some(&it.key),
                "编号已被其他单位使用",
            ));
            continue;
        }
        if let Some(u) = unit_of(&it.values)
            && !u.starts_with(prefix)
        {
            problems.push(d.problem(
                it.row,
                None,
                Some(&u),
                format!("该记录所属单位 {u} 不在导入范围内"),
            ));
        }
    }
}

/// A post: category, unit, start, end.
type PostSpan = (String, String, String, Option<String>);

/// Posts of these people (workbook rows replace stored ones with the same key).
async fn posts_of(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    ids: &[String],
    plans: &[SheetPlan],
) -> Result<HashMap<String, Vec<PostSpan>>, sqlx::Error> {
    let by_bidx: HashMap<String, String> = ids
        .iter()
        .map(|id| (personal::id_bidx(crypto, id), id.clone()))
        .collect();
    let bidx: Vec<String> = by_bidx.keys().cloned().collect();
    let mut posts: HashMap<String, Vec<PostSpan>> = HashMap::new();
    let wb: Vec<&Item> = plans
        .iter()
        .filter(|p| p.sheet.id == SheetId::Cadres)
        .flat_map(|p| p.items.iter())
        .collect();
    let wb_keys: HashSet<&str> = wb.iter().map(|it| it.key.as_str()).collect();
    for r in load::select_in(
        pool,
        "SELECT p.id_bidx, c.category, c.post, c.org_code, c.starts_on, c.ends_on FROM cadre_post c
         JOIN person p ON p.id = c.person_id WHERE p.id_bidx IN",
        &bidx,
    )
    .await?
    {
        let b: String = r.try_get(0)?;
        let Some(id) = by_bidx.get(&b) else { continue };
        let (cat, post, org, start): (String, String, String, String) =
            (r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, r.try_get(4)?);
        if wb_keys.contains(format!("{id}|{org}|{post}|{start}").as_str()) {
            continue;
        }
        posts
            .entry(id.clone())
            .or_default()
            .push((cat, org, start, r.try_get(5)?));
    }
    for it in wb {
        if let (Some(id), Some(cat), Some(org), Some(start)) =
            (it.get(0), it.get(1), it.get(4), it.get(5))
        {
            posts.entry(id.to_string()).or_default().push((
                cat.to_string(),
                org.to_string(),
                start.to_string(),
                it.get(6).map(str::to_string),
            ));
        }
    }
    Ok(posts)
}

/// Party membership spans (入党日期, 离开日期) of these people.
async fn memberships_of(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    ids: &[String],
    plans: &[SheetPlan],
) -> Result<HashMap<String, (Option<String>, Option<String>)>, sqlx::Error> {
    let by_bidx: HashMap<String, String> = ids
        .iter()
        .map(|id| (personal::id_bidx(crypto, id), id.clone()))
        .collect();
    let bidx: Vec<String> = by_bidx.keys().cloned().collect();
    let mut out = HashMap::new();
    for r in load::select_in(
        pool,
        "SELECT p.id_bidx, m.joined_on, m.left_on FROM party_member m
         JOIN person p ON p.id = m.person_id WHERE p.id_bidx IN",
        &bidx,
    )
    .await?
    {
        let b: String = r.try_get(0)?;
        if let Some(id) = by_bidx.get(&b) {
            out.insert(id.clone(), (r.try_get(1)?, r.try_get(2)?));
        }
    }
    let s = &sheets::PARTY_MEMBERS;
    let (j, l) = (s.index("入党日期"), s.index("离开日期"));
    for p in plans.iter().filter(|p| p.sheet.id == SheetId::PartyMembers) {
        for it in &p.items {
            out.insert(
                it.key.clone(),
                (it.get(j).map(str::to_string), it.get(l).map(str::to_string)),
            );
        }
    }
    Ok(out)
}

fn active(start: &str, end: Option<&str>, d: &str) -> bool {
    start <= d && end.is_none_or(|e| d < e)
}

/// 工作队, 工作队成员, 包村, 驻村, 入网, 联户, 走访.
#[allow(clippy::too_many_arguments)]
async fn check_outreach(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    d: &SheetData,
    items: &[Item],
    plans: &[SheetPlan],
    world: &mut World,
    opts: &Options,
    problems: &mut Vec<Problem>,
) -> Result<(), sqlx::Error> {
    let id = d.sheet.id;
    let person_col = match id {
        SheetId::WorkTeams => None,
        SheetId::TeamMembers => Some(1),
        SheetId::Visits => Some(2),
        _ => Some(0),
    };
    if let Some(c) = person_col {
        resolve_people_at(pool, crypto, items, c, world, opts).await?;
    }
    // Households named here but not in the 户 sheet.
    if matches!(id, SheetId::HouseholdLinks | SheetId::Visits) {
        resolve_households(pool, items, 1, world).await?;
    }
    let ids: Vec<String> = person_col
        .map(|c| {
            items
                .iter()
                .filter_map(|it| it.get(c).map(str::to_string))
                .collect::<HashSet<_>>()
                .into_iter()
                .collect()
        })
        .unwrap_or_default();
    let posts = match id {
        SheetId::VillageContacts | SheetId::Stationings | SheetId::GridDuties => {
            posts_of(pool, crypto, &ids, plans).await?
        }
        _ => HashMap::new(),
    };
    let members = if id == SheetId::HouseholdLinks {
        memberships_of(pool, crypto, &ids, plans).await?
    } else {
        HashMap::new()
    };
    let holds = |pid: &str, at: &str, cats: &[&str], unit: &dyn Fn(&str) -> bool| {
        posts.get(pid).is_some_and(|list| {
            list.iter().any(|(cat, org, start, end)| {
                cats.contains(&cat.as_str()) && active(start, end.as_deref(), at) && unit(org)
            })
        })
    };
    let org_check = |it: &Item, col: usize, ok: fn(OrgKind) -> bool, what: &str| {
        let v = it.get(col)?;
        match world.orgs.get(v) {
            Some((k, _)) if ok(*k) => None,
            Some(_) => Some(d.problem(it.row, Some(col), Some(v), format!("{v} 不是{what}"))),
            None => Some(d.problem(it.row, Some(col), Some(v), format!("区划编码 {v} 不存在"))),
        }
    };
    let mut new_problems = Vec::new();
    let mut leaders: HashMap<String, u32> = HashMap::new();
    if id == SheetId::TeamMembers {
        let wb: HashSet<String> = items
            .iter()
            .map(|it| {
                format!(
                    "{}|{}",
                    it.get(0).unwrap_or_default(),
                    personal::id_bidx(crypto, it.get(1).unwrap_or_default())
                )
            })
            .collect();
        for r in sqlx::query(
            "SELECT w.team_no, p.id_bidx FROM work_team_member m JOIN work_team w ON w.id = m.team_id
             JOIN person p ON p.id = m.person_id WHERE m.role = 'leader'",
        )
        .fetch_all(pool)
        .await?
        {
            let (team, b): (String, String) = (r.try_get(0)?, r.try_get(1)?);
            if !wb.contains(&format!("{team}|{b}")) {
                leaders.insert(team, 0);
            }
        }
    }
    for it in items {
        if let Some(c) = person_col {
            check_person_ref_at(d, it, c, world, opts, &mut new_problems);
        }
        // 结束日期 (or 撤销日期) after the start.
        let span = match id {
            SheetId::WorkTeams => Some((3, 4)),
            SheetId::TeamMembers | SheetId::Visits => None,
            _ => Some((2, 3)),
        };
        if let Some((a, b)) = span
            && let (Some(sa), Some(sb)) = (it.get(a), it.get(b))
            && sb <= sa
        {
            let msg = format!(
                "{}须晚于{}",
                d.sheet.columns[b].header, d.sheet.columns[a].header
            );
            new_problems.push(d.problem(it.row, Some(b), Some(sb), msg));
        }
        let pid = person_col.and_then(|c| it.get(c)).unwrap_or_default();
        match id {
            SheetId::WorkTeams => {
                new_problems.extend(org_check(it, 2, OrgKind::is_village, "行政村或社区"));
                if let Some(o) = it.get(2) {
                    world.teams.insert(it.key.clone(), o.to_string());
                }
            }
            SheetId::TeamMembers => {
                let team = it.get(0).unwrap_or_default();
                if !world.teams.contains_key(team) {
                    new_problems.push(d.problem(
                        it.row,
                        Some(0),
                        Some(team),
                        format!("工作队编号 {team} 不存在"),
                    ));
                }
                if it.get(2) == Some("leader")
                    && let Some(first) = leaders.insert(team.to_string(), it.row)
                {
                    let msg = if first == 0 {
                        "该工作队已有队长（每队至多一名队长）".to_string()
                    } else {
                        format!("与第 {first} 行同为该工作队队长（每队至多一名队长）")
                    };
                    new_problems.push(d.problem(it.row, Some(2), Some("队长"), msg));
                }
            }
            SheetId::VillageContacts => {
                let p = org_check(it, 1, OrgKind::is_village, "行政村或社区");
                let bad_org = p.is_some();
                new_problems.extend(p);
                if let (false, Some(v), Some(at)) = (bad_org, it.get(1), it.get(2)) {
                    let in_township = |org: &str| {
                        world
                            .orgs
                            .get(org)
                            .is_some_and(|(_, prefix)| v.starts_with(prefix.as_str()))
                    };
                    if world.people.contains_key(pid)
                        && !holds(pid, at, &["township_leader"], &in_township)
                    {
                        new_problems.push(d.problem(
                            it.row,
                            Some(0),
                            Some(pid),
                            format!("该人员在 {at} 未在村 {v} 所属乡镇任乡镇领导，不能包村"),
                        ));
                    }
                }
            }
            SheetId::Stationings => {
                new_problems.extend(org_check(it, 1, OrgKind::is_village, "行政村或社区"));
                if let (None, Some(at)) = (it.get(6), it.get(2))
                    && world.people.contains_key(pid)
                    && !holds(
                        pid,
                        at,
                        &["township_leader", "township_cadre"],
                        &|_: &str| true,
                    )
                {
                    new_problems.push(d.problem(
                        it.row,
                        Some(6),
                        None,
                        format!("派出单位为空时，该人员须在 {at} 任乡镇领导或乡镇干部"),
                    ));
                }
            }
            SheetId::GridDuties => {
                let p = org_check(it, 1, |k| k == OrgKind::Grid, "网格");
                let bad_org = p.is_some();
                new_problems.extend(p);
                if let (false, Some(g), Some(at)) = (bad_org, it.get(1), it.get(2)) {
                    let in_village = |org: &str| {
                        world
                            .orgs
                            .get(org)
                            .is_some_and(|(_, prefix)| g.starts_with(prefix.as_str()))
                    };
                    if world.people.contains_key(pid)
                        && !holds(pid, at, &["village_cadre"], &in_village)
                    {
                        new_problems.push(d.problem(
                            it.row,
                            Some(0),
                            Some(pid),
                            format!("该人员在 {at} 未在网格 {g} 所在村任村干部，不能入网"),
                        ));
                    }
                }
            }
            SheetId::HouseholdLinks | SheetId::Visits => {
                let h = it.get(1).unwrap_or_default();
                if !world.households.contains_key(h) {
                    new_problems.push(d.problem(
                        it.row,
                        Some(1),
                        Some(h),
                        format!("户编号 {h} 不存在（户表和系统中都没有）"),
                    ));
                }
                if id == SheetId::HouseholdLinks
                    && world.people.contains_key(pid)
                    && let Some(at) = it.get(2)
                {
                    let member = members.get(pid).is_some_and(|(joined, left)| {
                        joined.as_deref().is_none_or(|j| j <= at)
                            && left.as_deref().is_none_or(|l| l > at)
                    });
                    if !member {
                        new_problems.push(d.problem(
                            it.row,
                            Some(0),
                            Some(pid),
                            format!("该人员在 {at} 不是党员，不能联户"),
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    problems.extend(new_problems);
    Ok(())
}

/// 办理时限 left empty is filled once by the deadline rule; a stored one is kept, so a later
/// change of 类别 does not move it.
fn fill_deadlines(items: &mut [Item], deadlines: &crate::demands::deadlines::Deadlines) {
    use xingcun_domain::enums::DemandCategory;
    let (reg, cat, due) = (8, 5, 10);
    for it in items.iter_mut() {
        if it.values[due].is_some() {
            continue;
        }
        if let Some((_, old)) = &it.existing
            && old[due].is_some()
        {
            it.values[due] = old[due].clone();
            continue;
        }
        let Some(registered) = it.get(reg).and_then(|d| d.parse::<NaiveDate>().ok()) else {
            continue;
        };
        let category = it.get(cat).and_then(DemandCategory::from_code);
        it.values[due] = Some(deadlines.deadline(registered, category).to_string());
    }
}

/// 诉求: the unit and household, the people named, and the dates and results that each state
/// requires (shared/spec/workbook.md).
async fn check_demands(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    d: &SheetData,
    items: &[Item],
    world: &mut World,
    opts: &Options,
    problems: &mut Vec<Problem>,
) -> Result<(), sqlx::Error> {
    use xingcun_domain::enums::{DemandStatus, Satisfaction};
    let s = &sheets::DEMANDS;
    let [
        org,
        hh,
        reporter,
        registered,
        accepted,
        due,
        status,
        concluded,
        outcome,
        verdict,
        handler_org,
        handler,
    ] = [
        "所属区划编码",
        "户编号",
        "反映人身份证号",
        "登记日期",
        "受理日期",
        "办理时限",
        "状态",
        "办结日期",
        "办理结果",
        "满意度",
        "承办单位编码",
        "承办人身份证号",
    ]
    .map(|h| ix(s, h));
    for col in [reporter, handler] {
        resolve_people_at(pool, crypto, items, col, world, opts).await?;
    }
    resolve_households(pool, items, hh, world).await?;
    let header = |c: usize| s.columns[c].header;
    for it in items {
        let p = |col: usize, msg: String| d.problem(it.row, Some(col), it.get(col), msg);
        // The unit: a village, a community or a grid; the household in or under it.
        if let Some(code) = it.get(org) {
            match world.orgs.get(code) {
                Some((k, prefix)) if k.is_village() || *k == OrgKind::Grid => {
                    if let Some(h) = it.get(hh) {
                        match world.households.get(h) {
                            None => problems
                                .push(p(hh, format!("户编号 {h} 不存在（户表和系统中都没有）"))),
                            Some(at) if !at.starts_with(prefix.as_str()) => {
                                problems.push(p(hh, format!("户 {h} 不在 {code} 及其下级网格内")))
                            }
                            Some(_) => {}
                        }
                    }
                }
                Some(_) => problems.push(p(org, format!("{code} 不是行政村、社区或网格"))),
                None => problems.push(p(org, format!("区划编码 {code} 不存在"))),
            }
        }
        for col in [reporter, handler] {
            if it.get(col).is_some() {
                check_person_ref_at(d, it, col, world, opts, problems);
            }
        }
        if let Some(code) = it.get(handler_org)
            && !world.orgs.contains_key(code)
        {
            problems.push(p(handler_org, format!("区划编码 {code} 不存在")));
        }
        let state = it.get(status).and_then(DemandStatus::from_code);
        // Dates in order: 登记 ≤ 受理 ≤ 办结, 登记 ≤ 办理时限.
        for (later, earlier) in [
            (accepted, registered),
            (due, registered),
            (concluded, accepted),
        ] {
            if let (Some(a), Some(b)) = (it.get(later), it.get(earlier))
                && a < b
            {
                problems.push(p(
                    later,
                    format!("{}不能早于{}（{b}）", header(later), header(earlier)),
                ));
            }
        }
        let Some(state) = state else { continue };
        if state != DemandStatus::Pending && it.get(accepted).is_none() {
            problems.push(p(
                accepted,
                format!("状态为{}时须填写受理日期", state.label()),
            ));
        }
        let done = matches!(state, DemandStatus::Concluded | DemandStatus::Closed);
        match (done, it.get(concluded).is_some()) {
            (true, false) => problems.push(p(
                concluded,
                format!("状态为{}时须填写办结日期", state.label()),
            )),
            (false, true) => problems.push(p(
                concluded,
                format!("状态为{}时办结日期应为空", state.label()),
            )),
            _ => {}
        }
        let has_end = it.get(concluded).is_some();
        if has_end && it.get(outcome).is_none() {
            problems.push(p(outcome, "填写办结日期时须填写办理结果".into()));
        }
        if !has_end && it.get(outcome).is_some() {
            problems.push(p(outcome, "办理结果只随办结日期填写".into()));
        }
        if !has_end && it.get(verdict).is_some() {
            problems.push(p(verdict, "满意度只随办结日期填写".into()));
        }
        if state == DemandStatus::Closed {
            match it.get(verdict).and_then(Satisfaction::from_code) {
                None => problems.push(p(verdict, "状态为已关闭时须填写满意度".into())),
                Some(Satisfaction::Dissatisfied) => {
                    problems.push(p(verdict, "群众不满意的诉求不能关闭，应重新办理".into()))
                }
                Some(_) => {}
            }
        }
    }
    Ok(())
}

/// 学历提升 and 后备人才: the person (and mentor) exist, the unit exists, dates in order.
async fn check_talent(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    d: &SheetData,
    items: &[Item],
    world: &mut World,
    opts: &Options,
    problems: &mut Vec<Problem>,
) -> Result<(), sqlx::Error> {
    let s = d.sheet;
    let (people, start, later): (Vec<usize>, usize, Vec<usize>) = match s.id {
        SheetId::DegreeUpgrades => (
            vec![0],
            ix(s, "入学日期"),
            vec![ix(s, "预计毕业日期"), ix(s, "毕业日期")],
        ),
        _ => (
            vec![0, ix(s, "培养联系人身份证号")],
            ix(s, "入库日期"),
            vec![ix(s, "出库日期")],
        ),
    };
    for col in &people {
        resolve_people_at(pool, crypto, items, *col, world, opts).await?;
    }
    let org = ix(s, "所属区划编码");
    for it in items {
        for col in &people {
            if it.get(*col).is_some() {
                check_person_ref_at(d, it, *col, world, opts, problems);
            }
        }
        if let Some(code) = it.get(org)
            && !world.orgs.contains_key(code)
        {
            problems.push(d.problem(
                it.row,
                Some(org),
                Some(code),
                format!("区划编码 {code} 不存在"),
            ));
        }
        let Some(from) = it.get(start) else { continue };
        for col in &later {
            // An exit must come after the entry; a graduation may not come before enrolment.
            let wrong = match (s.id, it.get(*col)) {
                (SheetId::ReserveTalents, Some(to)) => to <= from,
                (_, Some(to)) => to < from,
                _ => false,
            };
            if wrong {
                let word = if s.id == SheetId::ReserveTalents {
                    "应晚于"
                } else {
                    "不能早于"
                };
                problems.push(d.problem(
                    it.row,
                    Some(*col),
                    it.get(*col),
                    format!(
                        "{}{word}{}（{from}）",
                        s.columns[*col].header, s.columns[start].header
                    ),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_numbers_pack_into_eight_bytes_and_back() {
        for id in [
            "11010519491231002X",
            "440524188001010014",
            "000000000000000000",
        ] {
            assert_eq!(try_pack_id(id).map(unpack_id).as_deref(), Some(id));
        }
        assert_eq!(
            try_pack_id("11010519491231002x"),
            None,
            "lower-case x is not canonical"
        );
        assert_eq!(try_pack_id("1101051949123100"), None, "too short");
        assert_ne!(
            try_pack_id("110105194912310020"),
            try_pack_id("11010519491231002X")
        );
    }

    #[test]
    fn a_person_known_elsewhere_is_no_duplicate_of_the_people_sheet() {
        let mut people = KnownPeople::default();
        people.insert("11010519491231002X"); // named by the database, before the 人员 sheet
        let p = pack_id("11010519491231002X");
        assert_eq!(people.first_row(p, 7), None, "first time on the sheet");
        assert_eq!(
            people.first_row(p, 9),
            Some(7),
            "second time: a duplicate of row 7"
        );
        people.insert("11010519491231002X");
        assert_eq!(
            people.first_row(p, 11),
            Some(7),
            "a later reference keeps the row"
        );
        assert!(people.contains_key("11010519491231002X"));
        assert!(!people.contains_key("440524188001010014"));
    }

    #[test]
    fn households_keep_their_unit_and_share_its_code() {
        let mut h = Households::default();
        h.insert("370102001001-0001", "370102001001");
        h.insert("370102001001-0002", "370102001001");
        h.insert("370102001002-0001", "370102001002");
        assert_eq!(h.get("370102001001-0002"), Some("370102001001"));
        assert_eq!(h.get("370102001002-0001"), Some("370102001002"));
        assert_eq!(h.orgs.len(), 2, "each unit's code is held once");
        h.insert("370102001001-0001", "370102001002"); // moved
        assert_eq!(h.get("370102001001-0001"), Some("370102001002"));
        assert!(!h.contains_key("370102001003-0001"));
        assert_eq!(h.get("370102001003-0001"), None);
    }

    #[test]
    fn seen_keys_find_a_repeated_key_of_either_kind_and_no_other() {
        let mut seen = SeenKeys::default();
        let link = "11010519491231002X|990101001001H0001|2024-01-01";
        assert_eq!(seen.first_row(link, 3), None);
        assert_eq!(seen.first_row("11010519491231002X", 4), None, "an ID key");
        for (i, h) in (0..10_000)
            .map(|n| format!("990101001001H{n:05}"))
            .enumerate()
        {
            assert_eq!(seen.first_row(&h, 10 + i as u32), None, "{h} is new");
        }
        assert_eq!(seen.first_row(link, 20_000), Some(3));
        assert_eq!(seen.first_row("11010519491231002X", 20_001), Some(4));
        assert_eq!(seen.first_row("990101001001H09999", 20_002), Some(10_009));
        assert_eq!(
            seen.first_row("11010519491231002X|990101001001H0001|2024-01-02", 20_003),
            None,
            "another date is another key"
        );
        assert_eq!((seen.ids.len(), seen.other.len()), (1, 10_002));
    }

    #[test]
    fn a_household_named_before_it_is_known_keeps_its_index() {
        let mut h = Households::default();
        h.insert("370102001001-0001", "370102001001");
        let ix = h.index("370102001009-0001"); // named by a person, not (yet) known
        assert_ne!(ix, h.index("370102001001-0001"));
        assert!(!h.contains_key("370102001009-0001"), "named is not known");
        assert_eq!(h.get("370102001009-0001"), None);
        h.insert("370102001009-0001", "370102001009"); // found in the database
        assert_eq!(h.index("370102001009-0001"), ix);
        assert_eq!(h.get("370102001009-0001"), Some("370102001009"));
        assert_eq!(h.numbers(|i| i == ix), vec![("370102001009-0001", ix)]);
    }

    #[test]
    fn a_person_keeps_row_status_and_stored_in_one_word() {
        let mut people = KnownPeople::default();
        let (a, b) = (pack_id("11010519491231002X"), pack_id("440524188001010014"));
        people.insert("110105194912310020"); // known elsewhere: no row, no status
        people.set_status(pack_id("370102198001010011"), PoliticalStatus::Masses);
        assert!(
            !people.contains_key("370102198001010011"),
            "a status alone adds no one"
        );
        assert_eq!(
            people.first_row(a, 1_048_576),
            None,
            "the last row a sheet has"
        );
        people.set_status(a, PoliticalStatus::CpcMember);
        people.set_status(a, PoliticalStatus::CpcProbationaryMember); // the row's own value wins
        people.set_stored(a);
        assert_eq!(people.first_row(a, 9), Some(1_048_576), "the row is intact");
        assert_eq!(people.first_row(b, 12), None);
        people.set_status(b, PoliticalStatus::Masses);
        let mut got: Vec<_> = people.statuses().collect();
        got.sort_by_key(|s| s.1);
        assert_eq!(
            got,
            vec![
                (b, 12, PoliticalStatus::Masses, false),
                (a, 1_048_576, PoliticalStatus::CpcProbationaryMember, true),
            ]
        );
    }
}

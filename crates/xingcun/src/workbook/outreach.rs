//! The outreach sheets (工作队, 工作队成员, 包村, 驻村, 入网, 联户, 走访) and the demands they
//! collect (诉求): how each column is stored, so one loader, one writer and one exporter serve
//! all eight.

use std::collections::HashMap;

use sqlx::any::AnyRow;
use sqlx::{Any, AnyPool, Row, Transaction};
use xingcun_crypto::CryptoProvider;

use super::apply::{Val, insert_many, person_ids, update_one};
use super::check::Item;
use super::load::{Existing, select_in_on};
use super::sheets::{self, Sheet, SheetId};
use crate::db::now_ms;
use crate::registry::personal::{self, AAD_PERSON_ID};

/// Where a sheet column is stored.
#[derive(Debug, Clone, Copy)]
enum Src {
    /// A text column of the table.
    Col(&'static str),
    /// A 0/1 column.
    Flag(&'static str),
    /// `person_id` (the cell is an ID number).
    Person,
    /// `household_id` (the cell is a 户编号); the table's `org_code` is the household's.
    Household,
    /// `team_id` (the cell is a 工作队编号).
    Team,
    /// An optional `household_id` column (the cell is a 户编号); the org unit is its own column.
    OptHousehold(&'static str),
    /// An optional person column (the cell is an ID number).
    OptPerson(&'static str),
    /// A required reference to another record by its text key: `fk` holds the row id of
    /// `table` whose `key` is the cell; the record's `org_code` is the referenced record's.
    Parent(&'static Parent),
    /// A required reference like [`Src::Parent`] whose record keeps its own `org_code` column
    /// (an attendance's training).
    Ref(&'static Parent),
    /// A personal number sealed as the registry seals a person's (`registry::personal`): its
    /// ciphertext, blind index and mask columns (a dispute party's ID and phone numbers).
    Sealed(&'static Sealing),
}

/// Where and how a [`Src::Sealed`] number is kept.
#[derive(Debug)]
struct Sealing {
    enc: &'static str,
    bidx: &'static str,
    masked: &'static str,
    aad: &'static [u8],
    /// A phone number (else an ID number).
    phone: bool,
}

const PARTY_ID: Sealing = Sealing {
    enc: "id_enc",
    bidx: "id_bidx",
    masked: "id_masked",
    aad: crate::governance::disputes::AAD_PARTY_ID,
    phone: false,
};
const PARTY_PHONE: Sealing = Sealing {
    enc: "phone_enc",
    bidx: "phone_bidx",
    masked: "phone_masked",
    aad: crate::governance::disputes::AAD_PARTY_PHONE,
    phone: true,
};
const DISPUTE_OF_RECORD: Parent = Parent {
    table: "dispute",
    key: "dispute_no",
    fk: "dispute_id",
};

/// Seals a cell's number; `None` for an empty cell.
fn seal(
    crypto: &dyn CryptoProvider,
    s: &Sealing,
    v: Option<&str>,
) -> anyhow::Result<Option<personal::Sealed>> {
    let Some(v) = v else { return Ok(None) };
    Ok(Some(if s.phone {
        let p = xingcun_domain::Phone::parse(v).map_err(|e| anyhow::anyhow!("{e}"))?;
        personal::seal_phone(crypto, &p, s.aad)
    } else {
        let id = xingcun_domain::IdNumber::parse(v, chrono::NaiveDate::MAX)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let mut sealed = personal::seal_id(crypto, &id);
        // Bound to this column, not to person.id_number.
        sealed.enc = xingcun_crypto::hex_encode(&crypto.encrypt(id.as_str().as_bytes(), s.aad));
        sealed
    }))
}

/// A referenced table (a rectification case's party org, a problem's case).
#[derive(Debug)]
struct Parent {
    table: &'static str,
    key: &'static str,
    fk: &'static str,
}

const PARTY_ORG_OF_CASE: Parent = Parent {
    table: "party_org",
    key: "code",
    fk: "party_org_id",
};
const PRODUCT_OF_REGISTRATION: Parent = Parent {
    table: "geo_product",
    key: "product_no",
    fk: "product_id",
};
const ASSESSMENT_OF_SCORE: Parent = Parent {
    table: "branch_assessment",
    key: "assessment_no",
    fk: "assessment_id",
};
const HONOR_OF_OBJECTION: Parent = Parent {
    table: "honor",
    key: "honor_no",
    fk: "honor_id",
};
const CONTEST_OF_RECORD: Parent = Parent {
    table: "contest",
    key: "contest_no",
    fk: "contest_id",
};
const CASE_OF_PROBLEM: Parent = Parent {
    table: "rectification",
    key: "case_no",
    fk: "case_id",
};
const TRAINING_OF_ATTENDANCE: Parent = Parent {
    table: "training",
    key: "training_no",
    fk: "training_id",
};

struct Table {
    table: &'static str,
    cols: &'static [Src],
    /// Columns set on insert only, with their values.
    on_insert: &'static [(&'static str, &'static str)],
}

fn table_of(id: SheetId) -> Option<Table> {
    use Src::*;
    let mut on_insert: &'static [(&'static str, &'static str)] = &[];
    let (table, cols): (&'static str, &'static [Src]) = match id {
        SheetId::WorkTeams => (
            "work_team",
            &[
                Col("team_no"),
                Col("name"),
                Col("org_code"),
                Col("founded_on"),
                Col("revoked_on"),
            ],
        ),
        SheetId::TeamMembers => ("work_team_member", &[Team, Person, Col("role")]),
        SheetId::VillageContacts => (
            "village_contact",
            &[Person, Col("org_code"), Col("starts_on"), Col("ends_on")],
        ),
        SheetId::Stationings => (
            "stationing",
            &[
                Person,
                Col("org_code"),
                Col("starts_on"),
                Col("ends_on"),
                Flag("full_time"),
                Col("role"),
                Col("sent_by"),
            ],
        ),
        SheetId::GridDuties => (
            "grid_duty",
            &[Person, Col("org_code"), Col("starts_on"), Col("ends_on")],
        ),
        SheetId::HouseholdLinks => (
            "household_link",
            &[Person, Household, Col("starts_on"), Col("ends_on")],
        ),
        SheetId::Visits => (
            "visit",
            &[
                Col("visit_no"),
                Household,
                Person,
                Col("visited_on"),
                Col("notes"),
            ],
        ),
        SheetId::Demands => {
            on_insert = &[("channel", "workbook")];
            (
                "demand",
                &[
                    Col("demand_no"),
                    Col("org_code"),
                    OptHousehold("household_id"),
                    OptPerson("reporter_id"),
                    Col("source"),
                    Col("category"),
                    Col("field"),
                    Col("content"),
                    Col("registered_on"),
                    Col("accepted_on"),
                    Col("deadline_on"),
                    Col("status"),
                    Col("concluded_on"),
                    Col("outcome"),
                    Col("satisfaction"),
                    Col("handler_org_code"),
                    OptPerson("handler_id"),
                ],
            )
        }
        SheetId::Businesses => (
            "business",
            &[
                Col("credit_code"),
                Col("name"),
                Col("kind"),
                Col("org_code"),
                OptPerson("legal_rep_id"),
                Col("legal_rep_name"),
                Col("registered_on"),
                Col("deregistered_on"),
                Col("products"),
                Col("members"),
            ],
        ),
        SheetId::BusinessHouseholds => (
            "business_household",
            &[
                Col("credit_code"),
                Household,
                Col("starts_on"),
                Col("ends_on"),
            ],
        ),
        SheetId::TourismProjects => (
            "tourism_project",
            &[
                Col("project_no"),
                Col("name"),
                Col("org_code"),
                Col("starts_on"),
                Col("ends_on"),
                Col("notes"),
            ],
        ),
        SheetId::DegreeUpgrades => (
            "degree_upgrade",
            &[
                Person,
                Col("org_code"),
                Col("school"),
                Col("level"),
                Col("starts_on"),
                Col("expected_on"),
                Col("graduated_on"),
            ],
        ),
        SheetId::ReserveTalents => (
            "reserve_talent",
            &[
                Person,
                Col("org_code"),
                Col("source"),
                Col("skills"),
                OptPerson("mentor_id"),
                Col("readiness"),
                Col("starts_on"),
                Col("ends_on"),
                Col("exit_reason"),
            ],
        ),
        SheetId::Trainings => (
            "training",
            &[
                Col("training_no"),
                Col("org_code"),
                Col("title"),
                Col("starts_on"),
                Col("ends_on"),
                Col("place"),
                Col("hours"),
            ],
        ),
        SheetId::TrainingAttendances => (
            "training_attendance",
            &[Ref(&TRAINING_OF_ATTENDANCE), Person, Col("org_code")],
        ),
        SheetId::PracticePostings => (
            "practice_posting",
            &[
                Person,
                Col("org_code"),
                Col("host_unit"),
                Col("post"),
                Col("starts_on"),
                Col("ends_on"),
            ],
        ),
        SheetId::Advisors => (
            "advisor",
            &[
                Person,
                Col("org_code"),
                Col("kind"),
                Col("starts_on"),
                Col("ends_on"),
            ],
        ),
        SheetId::Advice => (
            "advice",
            &[
                Col("advice_no"),
                Col("org_code"),
                Person,
                Col("given_on"),
                Col("subject"),
                Col("content"),
                Flag("adopted"),
            ],
        ),
        SheetId::SecretaryReviews => (
            "secretary_review",
            &[
                Person,
                Col("org_code"),
                Col("year"),
                Col("result"),
                Col("pay_grade"),
            ],
        ),
        SheetId::PracticalProjects => (
            "practical_project",
            &[
                Col("project_no"),
                Col("org_code"),
                Col("name"),
                Col("cost"),
                Col("beneficiaries"),
                Col("status"),
                Col("started_on"),
                Col("completed_on"),
            ],
        ),
        SheetId::Rectifications => (
            "rectification",
            &[
                Col("case_no"),
                Parent(&PARTY_ORG_OF_CASE),
                Col("found_on"),
                Col("reasons"),
                Col("accepted_on"),
            ],
        ),
        SheetId::RectificationProblems => (
            "rectification_problem",
            &[
                Parent(&CASE_OF_PROBLEM),
                Col("problem_no"),
                Col("description"),
                Col("measure"),
                Col("responsible"),
                Col("deadline_on"),
                Col("solved_on"),
            ],
        ),
        SheetId::Honors => (
            "honor",
            &[
                Col("honor_no"),
                Col("kind"),
                Person,
                Col("org_code"),
                Col("status"),
                Col("nominated_on"),
                Col("notice_starts_on"),
                Col("notice_ends_on"),
                Col("awarded_on"),
            ],
        ),
        SheetId::Assessments => (
            "branch_assessment",
            &[
                Col("assessment_no"),
                Parent(&PARTY_ORG_OF_CASE),
                Col("assessed_on"),
                Col("result"),
                Col("score"),
                Col("assessor"),
            ],
        ),
        SheetId::ModelSites => (
            "model_site",
            &[
                Col("site_no"),
                Col("name"),
                Col("org_code"),
                Col("starts_on"),
                Col("ends_on"),
            ],
        ),
        // The branch standard, scores, objections and contests (workbook/sheets/branches.rs).
        SheetId::BranchStandards => (
            "branch_standard",
            &[
                Col("standard_no"),
                Col("name"),
                Col("effective_on"),
                Col("pass_mark"),
                Col("model_mark"),
                Col("interval_months"),
            ],
        ),
        SheetId::StandardSections => (
            "standard_section",
            &[
                Col("section_code"),
                Col("standard_no"),
                Col("seq"),
                Col("name"),
                Col("note"),
            ],
        ),
        SheetId::StandardCriteria => (
            "standard_criterion",
            &[
                Col("criterion_code"),
                Col("section_code"),
                Col("seq"),
                Col("content"),
                Col("points"),
                Col("evidence"),
            ],
        ),
        SheetId::AssessmentScores => (
            "assessment_score",
            &[
                Parent(&ASSESSMENT_OF_SCORE),
                Col("criterion_code"),
                Col("score"),
                Col("evidence"),
            ],
        ),
        SheetId::HonorObjections => (
            "honor_objection",
            &[
                Parent(&HONOR_OF_OBJECTION),
                Col("objection_no"),
                Col("lodged_on"),
                Col("lodged_by"),
                Col("content"),
                Col("result"),
                Col("handled_on"),
            ],
        ),
        SheetId::Contests => (
            "contest",
            &[
                Col("contest_no"),
                Col("title"),
                Col("held_on"),
                Col("org_code"),
                Flag("drop_extremes"),
                Col("status"),
            ],
        ),
        SheetId::ContestCriteria => (
            "contest_criterion",
            &[
                Parent(&CONTEST_OF_RECORD),
                Col("criterion_no"),
                Col("name"),
                Col("max_points"),
            ],
        ),
        SheetId::Contestants => (
            "contestant",
            &[Parent(&CONTEST_OF_RECORD), Person, Col("village_code")],
        ),
        SheetId::ContestJudges => (
            "contest_judge",
            &[Parent(&CONTEST_OF_RECORD), Col("username"), Col("name")],
        ),
        SheetId::ContestScores => (
            "contest_score",
            &[
                Parent(&CONTEST_OF_RECORD),
                Col("judge"),
                Person,
                Col("criterion_no"),
                Col("score"),
            ],
        ),
        // The simpler registries (workbook/sheets/more.rs).
        SheetId::AgriParks => (
            "agri_park",
            &[
                Col("park_no"),
                Col("name"),
                Col("org_code"),
                Col("level"),
                Col("area"),
                Col("starts_on"),
                Col("ends_on"),
            ],
        ),
        SheetId::TechPartnerships => (
            "tech_partnership",
            &[
                Col("partnership_no"),
                Col("institute"),
                Col("topic"),
                Col("introduced"),
                Col("org_code"),
                Col("credit_code"),
                Col("starts_on"),
                Col("ends_on"),
            ],
        ),
        SheetId::Brands => (
            "brand",
            &[
                Col("brand_no"),
                Col("name"),
                Col("org_code"),
                Col("credit_code"),
                Col("owner_name"),
                Col("status"),
                Col("applied_on"),
                Col("certified_on"),
                Col("products"),
            ],
        ),
        SheetId::GeoProducts => (
            "geo_product",
            &[
                Col("product_no"),
                Col("name"),
                Col("org_code"),
                Col("notes"),
            ],
        ),
        SheetId::GeoRegistrations => (
            "geo_registration",
            &[
                Col("registration_no"),
                Parent(&PRODUCT_OF_REGISTRATION),
                Col("kind"),
                Col("status"),
                Col("applied_on"),
                Col("registered_on"),
            ],
        ),
        SheetId::LawOutreachEvents | SheetId::CivilityEvents => (
            if id == SheetId::LawOutreachEvents {
                "law_outreach_event"
            } else {
                "civility_event"
            },
            &[
                Col("event_no"),
                Col("org_code"),
                Col("held_on"),
                Col("place"),
                Col("organizer"),
                Col("topic"),
                Col("attendance"),
                Col("attendees"),
                Col("content"),
            ],
        ),
        SheetId::StudySessions => (
            "study_session",
            &[
                Col("session_no"),
                Parent(&PARTY_ORG_OF_CASE),
                Col("held_on"),
                Col("place"),
                Col("topic"),
                Col("attendance"),
                Col("attendees"),
            ],
        ),
        SheetId::SupervisionFindings => (
            "supervision_finding",
            &[
                Col("finding_no"),
                Col("org_code"),
                Col("found_on"),
                Col("source"),
                Col("description"),
                Col("measures"),
                Col("deadline_on"),
                Col("rectified_on"),
            ],
        ),
        SheetId::Exemplars => (
            "exemplar",
            &[
                Col("exemplar_no"),
                Col("org_code"),
                OptPerson("person_id"),
                Col("title"),
                Col("published_on"),
                Col("story"),
            ],
        ),
        SheetId::CanvassRounds => (
            "canvass_round",
            &[
                Col("round_no"),
                Col("org_code"),
                Col("held_on"),
                Col("led_by"),
                Col("notes"),
            ],
        ),
        SheetId::Disputes => (
            "dispute",
            &[
                Col("dispute_no"),
                Col("org_code"),
                Col("found_on"),
                Col("round_no"),
                Col("kind"),
                Col("risk"),
                Col("summary"),
                OptPerson("mediator_id"),
                Col("status"),
                Col("concluded_on"),
                Col("outcome"),
                Col("agreement"),
            ],
        ),
        SheetId::DisputeParties => (
            "dispute_party",
            &[
                Parent(&DISPUTE_OF_RECORD),
                Col("party_no"),
                Col("name"),
                Sealed(&PARTY_ID),
                Sealed(&PARTY_PHONE),
                Col("role"),
            ],
        ),
        SheetId::MediationSessions => (
            "mediation_session",
            &[
                Parent(&DISPUTE_OF_RECORD),
                Col("session_no"),
                Col("held_on"),
                Col("place"),
                OptPerson("mediator_id"),
                Col("notes"),
            ],
        ),
        _ => return None,
    };
    Some(Table {
        table,
        cols,
        on_insert,
    })
}

/// Whether the sheet is one of the outreach sheets.
pub fn is_outreach(id: SheetId) -> bool {
    table_of(id).is_some()
}

/// A stored record: row id, canonical values, org unit, person ids it names.
pub struct Record {
    pub id: i64,
    pub values: Vec<Option<String>>,
    pub org: Option<String>,
    pub people: Vec<i64>,
}

/// Every stored record of an outreach sheet.
pub async fn records(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    sheet: &Sheet,
) -> Result<Vec<Record>, sqlx::Error> {
    records_where(pool, crypto, sheet, None).await
}

/// The stored records of a sheet keyed by one text column, for these keys only (a workbook of
/// ten demands does not load a million).
pub async fn records_with_keys(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    sheet: &Sheet,
    keys: &[String],
) -> Result<Vec<Record>, sqlx::Error> {
    records_where(pool, crypto, sheet, Some(keys)).await
}

/// Whether a sheet's key is one text column, so [`records_with_keys`] serves it.
pub fn keyed_by_text(sheet: &Sheet) -> bool {
    sheet.key.len() == 1
        && table_of(sheet.id).is_some_and(|t| matches!(t.cols[sheet.key[0]], Src::Col(_)))
}

async fn records_where(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    sheet: &Sheet,
    keys: Option<&[String]>,
) -> Result<Vec<Record>, sqlx::Error> {
    let Some(t) = table_of(sheet.id) else {
        return Ok(Vec::new());
    };
    let mut sel = vec!["t.id".to_string()];
    let mut joins = String::new();
    let mut org = None;
    for (i, c) in t.cols.iter().enumerate() {
        match c {
            Src::Col(c) | Src::Flag(c) => {
                sel.push(format!("t.{c}"));
                if *c == "org_code" {
                    org = Some("t.org_code".to_string());
                }
            }
            Src::Person => {
                sel.push(format!("p{i}.id_enc"));
                joins.push_str(&format!(" JOIN person p{i} ON p{i}.id = t.person_id"));
            }
            Src::Household => {
                sel.push(format!("h{i}.household_no"));
                joins.push_str(&format!(" JOIN household h{i} ON h{i}.id = t.household_id"));
                org = Some(format!("h{i}.org_code"));
            }
            Src::Team => {
                sel.push(format!("w{i}.team_no"));
                joins.push_str(&format!(" JOIN work_team w{i} ON w{i}.id = t.team_id"));
                org = Some(format!("w{i}.org_code"));
            }
            Src::OptHousehold(c) => {
                sel.push(format!("h{i}.household_no"));
                joins.push_str(&format!(" LEFT JOIN household h{i} ON h{i}.id = t.{c}"));
            }
            Src::Parent(pr) => {
                sel.push(format!("r{i}.{}", pr.key));
                joins.push_str(&format!(" JOIN {} r{i} ON r{i}.id = t.{}", pr.table, pr.fk));
                org = Some("t.org_code".to_string());
            }
            Src::Ref(pr) => {
                sel.push(format!("r{i}.{}", pr.key));
                joins.push_str(&format!(" JOIN {} r{i} ON r{i}.id = t.{}", pr.table, pr.fk));
            }
            Src::Sealed(s) => sel.push(format!("t.{}", s.enc)),
            Src::OptPerson(c) => {
                sel.push(format!("p{i}.id_enc"));
                joins.push_str(&format!(" LEFT JOIN person p{i} ON p{i}.id = t.{c}"));
            }
        }
    }
    sel.push(org.unwrap_or_else(|| "NULL".into()));
    let has_person = t.cols.iter().any(|c| matches!(c, Src::Person));
    sel.push(if has_person {
        "t.person_id".into()
    } else {
        "CAST(0 AS BIGINT)".into()
    });
    // The people of optional person columns too, so an export carries them (a 先进典型's person).
    let opt_people: Vec<usize> = t
        .cols
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c, Src::OptPerson(_)))
        .map(|(i, _)| i)
        .collect();
    for i in &opt_people {
        sel.push(format!("p{i}.id"));
    }
    let rows: Vec<AnyRow> = match (keys, t.cols[sheet.key[0]]) {
        (Some(keys), Src::Col(key_col)) => {
            let head = format!(
                "SELECT {} FROM {} t{joins} WHERE t.{key_col} IN",
                sel.join(", "),
                t.table
            );
            super::load::select_in(pool, &head, keys).await?
        }
        _ => {
            let sql = format!(
                "SELECT {} FROM {} t{joins} ORDER BY t.id",
                sel.join(", "),
                t.table
            );
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_all(pool)
                .await?
        }
    };
    let n = t.cols.len();
    rows.iter()
        .map(|r| {
            let mut values = Vec::with_capacity(n);
            for (i, c) in t.cols.iter().enumerate() {
                values.push(match c {
                    Src::Flag(_) => Some(r.try_get::<i64, _>(i + 1)?.to_string()),
                    Src::Person => {
                        personal::open(crypto, &r.try_get::<String, _>(i + 1)?, AAD_PERSON_ID)
                    }
                    Src::OptPerson(_) => r
                        .try_get::<Option<String>, _>(i + 1)?
                        .and_then(|enc| personal::open(crypto, &enc, AAD_PERSON_ID)),
                    Src::Sealed(s) => r
                        .try_get::<Option<String>, _>(i + 1)?
                        .and_then(|enc| personal::open(crypto, &enc, s.aad)),
                    _ => r.try_get(i + 1)?,
                });
            }
            let pid: i64 = r.try_get(n + 2)?;
            let mut people = if has_person { vec![pid] } else { Vec::new() };
            for k in 0..opt_people.len() {
                people.extend(r.try_get::<Option<i64>, _>(n + 3 + k)?);
            }
            Ok(Record {
                id: r.try_get(0)?,
                values,
                org: r.try_get(n + 1)?,
                people,
            })
        })
        .collect()
}

/// Stored records keyed as the sheet keys them (those with these keys when the sheet's key is
/// one text column; every record otherwise).
pub async fn existing(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    sheet: &Sheet,
    keys: &[String],
) -> Result<Existing, sqlx::Error> {
    let recs = if keyed_by_text(sheet) {
        records_with_keys(pool, crypto, sheet, keys).await?
    } else {
        records(pool, crypto, sheet).await?
    };
    Ok(recs
        .into_iter()
        .map(|r| (super::check::key_of(sheet, &r.values), (r.id, r.values)))
        .collect())
}

/// Writes changed items of an outreach sheet; returns each item's org unit for the audit.
pub async fn apply(
    tx: &mut Transaction<'static, Any>,
    crypto: &dyn CryptoProvider,
    sheet: &'static Sheet,
    items: &[&Item],
) -> anyhow::Result<Vec<Option<String>>> {
    let t = table_of(sheet.id).ok_or_else(|| anyhow::anyhow!("not an outreach sheet"))?;
    let pos = |want: fn(&Src) -> bool| t.cols.iter().position(want);
    let hh_i = pos(|c| matches!(c, Src::Household));
    let team_i = pos(|c| matches!(c, Src::Team));
    let parent_i = pos(|c| matches!(c, Src::Parent(_) | Src::Ref(_)));
    // Only a Parent gives the record its unit; a Ref's record has its own org_code column.
    let parent_org_i = pos(|c| matches!(c, Src::Parent(_)));
    let org_i = pos(|c| matches!(c, Src::Col("org_code")));
    // Every column that names a person, required or not.
    let person_cols: Vec<usize> = t
        .cols
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c, Src::Person | Src::OptPerson(_)))
        .map(|(i, _)| i)
        .collect();
    let persons = if person_cols.is_empty() {
        HashMap::new()
    } else {
        let ids: Vec<&str> = items
            .iter()
            .flat_map(|it| person_cols.iter().filter_map(|i| it.get(*i)))
            .collect();
        person_ids(tx, crypto, &ids).await?
    };
    let lookup = |col: Option<usize>| -> Vec<String> {
        col.map(|i| {
            let mut v: Vec<String> = items
                .iter()
                .filter_map(|it| it.get(i).map(str::to_string))
                .collect();
            v.sort();
            v.dedup();
            v
        })
        .unwrap_or_default()
    };
    let opt_hh_i = pos(|c| matches!(c, Src::OptHousehold(_)));
    let mut hh_nos = lookup(hh_i);
    hh_nos.extend(lookup(opt_hh_i));
    let mut households: HashMap<String, (i64, String)> = HashMap::new();
    for r in select_in_on(
        tx,
        "SELECT household_no, id, org_code FROM household WHERE household_no IN",
        &hh_nos,
    )
    .await?
    {
        households.insert(r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?));
    }
    let mut teams: HashMap<String, (i64, String)> = HashMap::new();
    for r in select_in_on(
        tx,
        "SELECT team_no, id, org_code FROM work_team WHERE team_no IN",
        &lookup(team_i),
    )
    .await?
    {
        teams.insert(r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?));
    }
    let mut parents: HashMap<String, (i64, String)> = HashMap::new();
    if let Some(Src::Parent(pr) | Src::Ref(pr)) = parent_i.map(|i| t.cols[i]) {
        for r in select_in_on(
            tx,
            &format!(
                "SELECT {key}, id, org_code FROM {table} WHERE {key} IN",
                key = pr.key,
                table = pr.table
            ),
            &lookup(parent_i),
        )
        .await?
        {
            parents.insert(r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?));
        }
    }
    let mut cols: Vec<&str> = t
        .cols
        .iter()
        .map(|c| match c {
            Src::Parent(pr) | Src::Ref(pr) => pr.fk,
            Src::Col(c) | Src::Flag(c) => *c,
            Src::Person => "person_id",
            Src::Household => "household_id",
            Src::Team => "team_id",
            Src::OptHousehold(c) | Src::OptPerson(c) => *c,
            Src::Sealed(s) => s.enc,
        })
        .collect();
    if hh_i.is_some() || parent_org_i.is_some() {
        cols.push("org_code");
    }
    // A sealed number's index and mask follow the other columns.
    let sealed: Vec<(usize, &Sealing)> = t
        .cols
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match c {
            Src::Sealed(s) => Some((i, *s)),
            _ => None,
        })
        .collect();
    for (_, s) in &sealed {
        cols.push(s.bidx);
        cols.push(s.masked);
    }
    let now = now_ms();
    let mut inserts = Vec::new();
    let mut orgs = Vec::new();
    for it in items {
        let mut vals = Vec::with_capacity(cols.len() + 2);
        let mut org = org_i.and_then(|i| it.get(i).map(str::to_string));
        for (i, c) in t.cols.iter().enumerate() {
            let v = it.get(i);
            vals.push(match c {
                Src::Col(_) => Val::T(v.map(str::to_string)),
                Src::Flag(_) => Val::I(Some(i64::from(v == Some("1")))),
                Src::Person => Val::I(Some(
                    *persons
                        .get(v.unwrap_or_default())
                        .ok_or_else(|| anyhow::anyhow!("person missing"))?,
                )),
                Src::Household => {
                    let h = households
                        .get(v.unwrap_or_default())
                        .ok_or_else(|| anyhow::anyhow!("household missing"))?;
                    org = Some(h.1.clone());
                    Val::I(Some(h.0))
                }
                Src::Team => {
                    let w = teams
                        .get(v.unwrap_or_default())
                        .ok_or_else(|| anyhow::anyhow!("team missing"))?;
                    org = Some(w.1.clone());
                    Val::I(Some(w.0))
                }
                Src::Parent(_) => {
                    let r = parents
                        .get(v.unwrap_or_default())
                        .ok_or_else(|| anyhow::anyhow!("referenced record missing"))?;
                    org = Some(r.1.clone());
                    Val::I(Some(r.0))
                }
                Src::Ref(_) => Val::I(Some(
                    parents
                        .get(v.unwrap_or_default())
                        .ok_or_else(|| anyhow::anyhow!("referenced record missing"))?
                        .0,
                )),
                Src::OptHousehold(_) => Val::I(match v {
                    Some(no) => Some(
                        households
                            .get(no)
                            .ok_or_else(|| anyhow::anyhow!("household missing"))?
                            .0,
                    ),
                    None => None,
                }),
                Src::OptPerson(_) => Val::I(match v {
                    Some(id) => Some(
                        *persons
                            .get(id)
                            .ok_or_else(|| anyhow::anyhow!("person missing"))?,
                    ),
                    None => None,
                }),
                Src::Sealed(s) => Val::T(seal(crypto, s, v)?.map(|x| x.enc)),
            });
        }
        if hh_i.is_some() || parent_org_i.is_some() {
            vals.push(Val::T(org.clone()));
        }
        for (i, s) in &sealed {
            let x = seal(crypto, s, it.get(*i))?;
            vals.push(Val::T(x.as_ref().map(|x| x.bidx.clone())));
            vals.push(Val::T(x.map(|x| x.masked)));
        }
        orgs.push(org);
        match &it.existing {
            Some((id, _)) => update_one(tx, t.table, &cols, vals, *id).await?,
            None => {
                vals.push(Val::I(Some(now)));
                vals.push(Val::I(Some(now)));
                for (_, v) in t.on_insert {
                    vals.push(Val::T(Some(v.to_string())));
                }
                inserts.push(vals);
            }
        }
    }
    cols.extend_from_slice(&["created_at", "updated_at"]);
    cols.extend(t.on_insert.iter().map(|(c, _)| *c));
    insert_many(tx, t.table, &cols, inserts).await?;
    Ok(orgs)
}

/// The audit entity of an outreach sheet.
pub fn entity(id: SheetId) -> &'static str {
    table_of(id).map_or("", |t| t.table)
}

/// The outreach sheets, in import order.
pub fn sheets() -> impl Iterator<Item = &'static Sheet> {
    sheets::SHEETS.iter().copied().filter(|s| is_outreach(s.id))
}

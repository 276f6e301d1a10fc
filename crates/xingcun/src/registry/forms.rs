//! Create and edit forms for the registry records (区划, 户, 人员, 党组织, 党员, 干部).
//!
//! One generic form, driven by the workbook's sheet definitions (`workbook::sheets`): its labels,
//! required marks, hints, drop-downs and defaults are the sheet's own. And one write path: a
//! submitted form becomes a one-row sheet that [`workbook::import_sheets`] checks against every
//! rule and reference and writes, all or nothing and audited, exactly like an uploaded workbook
//! limited to the user's subtree. Each problem comes back as an inline error on its field (or at
//! the top when it names no column), the input kept, nothing written.
//!
//! - `/registry/{sheet}/new` and `/registry/{sheet}/edit?key=…`, `{sheet}` a slug of
//!   [`FORM_SHEETS`].
//! - A key is never changed here (only a dedicated command does that, per the workbook spec):
//!   on edit the key fields are read-only and taken from the stored record, not from the form.
//! - A key holding an ID number (人员, 党员, 干部) never goes into a URL: those records are
//!   addressed by their row id, and the key is looked up on the server, within the scope.
//! - Records outside the user's scope are 404 on edit; a stale edit (the record's `version`
//!   moved since the form was opened) is refused with 409.

use std::collections::{BTreeMap, HashMap};

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};
use sqlx::{AnyPool, Row as _};
use xingcun_crypto::CryptoProvider;
use xingcun_domain::enums::VillagePost;
use xingcun_xlsx::Cell;

use super::personal::{self, AAD_PERSON_ID};
use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::scope::Scope;
use crate::web::list::Crumb;
use crate::web::{Ctx, render, urlencode};
use crate::workbook::check::key_of;
use crate::workbook::load::{self, Existing};
use crate::workbook::read::{Row, SheetData, canonical};
use crate::workbook::sheets::{self, Kind, Sheet, SheetId};
use crate::workbook::{self, ImportOptions, ImportOutcome, Problem};

/// A sheet the forms edit, and where its records live on the site.
#[derive(Debug)]
pub struct FormSheet {
    /// The `{sheet}` of the URL.
    pub slug: &'static str,
    pub sheet: &'static Sheet,
    /// What the pages call these records (the list's title).
    pub title: &'static str,
    pub list_href: &'static str,
}

pub static FORM_SHEETS: &[FormSheet] = &[
    FormSheet {
        slug: "org-units",
        sheet: &sheets::ORG_UNITS,
        title: "行政区划",
        list_href: "/org-units",
    },
    FormSheet {
        slug: "households",
        sheet: &sheets::HOUSEHOLDS,
        title: "农户",
        list_href: "/households",
    },
    FormSheet {
        slug: "people",
        sheet: &sheets::PEOPLE,
        title: "人员",
        list_href: "/people",
    },
    FormSheet {
        slug: "party-orgs",
        sheet: &sheets::PARTY_ORGS,
        title: "党组织",
        list_href: "/party-orgs",
    },
    FormSheet {
        slug: "party-members",
        sheet: &sheets::PARTY_MEMBERS,
        title: "党员",
        list_href: "/party-members",
    },
    FormSheet {
        slug: "cadres",
        sheet: &sheets::CADRES,
        title: "干部",
        list_href: "/cadres",
    },
    // The outreach records (lists in `outreach::records`); an assignment ends by its end date.
    FormSheet {
        slug: "work-teams",
        sheet: &sheets::WORK_TEAMS,
        title: "工作队",
        list_href: "/outreach/teams",
    },
    FormSheet {
        slug: "team-members",
        sheet: &sheets::TEAM_MEMBERS,
        title: "工作队成员",
        list_href: "/outreach/team-members",
    },
    FormSheet {
        slug: "village-contacts",
        sheet: &sheets::VILLAGE_CONTACTS,
        title: "包村",
        list_href: "/outreach/contacts",
    },
    FormSheet {
        slug: "stationings",
        sheet: &sheets::STATIONINGS,
        title: "驻村",
        list_href: "/outreach/stationings",
    },
    FormSheet {
        slug: "grid-duties",
        sheet: &sheets::GRID_DUTIES,
        title: "入网",
        list_href: "/outreach/grid-duties",
    },
    FormSheet {
        slug: "household-links",
        sheet: &sheets::HOUSEHOLD_LINKS,
        title: "联户",
        list_href: "/outreach/links",
    },
    FormSheet {
        slug: "visits",
        sheet: &sheets::VISITS,
        title: "走访",
        list_href: "/outreach/visits",
    },
    // The industry records (lists in `industry::pages`).
    FormSheet {
        slug: "businesses",
        sheet: &sheets::BUSINESSES,
        title: "合作社与家庭农场",
        list_href: "/industry/businesses",
    },
    FormSheet {
        slug: "business-households",
        sheet: &sheets::BUSINESS_HOUSEHOLDS,
        title: "带动农户",
        list_href: "/industry/businesses",
    },
    FormSheet {
        slug: "tourism-projects",
        sheet: &sheets::TOURISM_PROJECTS,
        title: "乡村旅游项目",
        list_href: "/industry/tourism",
    },
    // The simpler registries (lists in `industry::more`, `events::pages`, `conduct::pages`).
    FormSheet {
        slug: "agri-parks",
        sheet: &sheets::AGRI_PARKS,
        title: "现代农业园区",
        list_href: "/industry/parks",
    },
    FormSheet {
        slug: "tech-partnerships",
        sheet: &sheets::TECH_PARTNERSHIPS,
        title: "科技合作",
        list_href: "/industry/partnerships",
    },
    FormSheet {
        slug: "brands",
        sheet: &sheets::BRANDS,
        title: "农产品品牌",
        list_href: "/industry/brands",
    },
    FormSheet {
        slug: "geo-products",
        sheet: &sheets::GEO_PRODUCTS,
        title: "地理标志产品",
        list_href: "/industry/geo-products",
    },
    FormSheet {
        slug: "geo-registrations",
        sheet: &sheets::GEO_REGISTRATIONS,
        title: "地理标志登记",
        list_href: "/industry/geo-registrations",
    },
    FormSheet {
        slug: "law-outreach-events",
        sheet: &sheets::LAW_OUTREACH_EVENTS,
        title: "法律进农村活动",
        list_href: "/events/law-outreach",
    },
    FormSheet {
        slug: "civility-events",
        sheet: &sheets::CIVILITY_EVENTS,
        title: "移风易俗活动",
        list_href: "/events/civility",
    },
    FormSheet {
        slug: "study-sessions",
        sheet: &sheets::STUDY_SESSIONS,
        title: "理论学习",
        list_href: "/conduct/study-sessions",
    },
    FormSheet {
        slug: "supervision-findings",
        sheet: &sheets::SUPERVISION_FINDINGS,
        title: "监督检查发现问题",
        list_href: "/conduct/findings",
    },
    FormSheet {
        slug: "exemplars",
        sheet: &sheets::EXEMPLARS,
        title: "先进典型",
        list_href: "/conduct/exemplars",
    },
    // The dispute records (lists in `governance::disputes_pages`).
    FormSheet {
        slug: "canvass-rounds",
        sheet: &sheets::CANVASS_ROUNDS,
        title: "矛盾纠纷排查",
        list_href: "/governance/rounds",
    },
    FormSheet {
        slug: "disputes",
        sheet: &sheets::DISPUTES,
        title: "矛盾纠纷",
        list_href: "/governance/disputes",
    },
    FormSheet {
        slug: "dispute-parties",
        sheet: &sheets::DISPUTE_PARTIES,
        title: "纠纷当事人",
        list_href: "/governance/disputes",
    },
    FormSheet {
        slug: "mediation-sessions",
        sheet: &sheets::MEDIATION_SESSIONS,
        title: "调解记录",
        list_href: "/governance/disputes",
    },
    // The cadre-pipeline records (lists in `talent::pages` and `talent::lists`).
    FormSheet {
        slug: "degree-upgrades",
        sheet: &sheets::DEGREE_UPGRADES,
        title: "学历提升",
        list_href: "/talent/degree-upgrades",
    },
    FormSheet {
        slug: "reserve-talents",
        sheet: &sheets::RESERVE_TALENTS,
        title: "后备人才",
        list_href: "/talent/reserve",
    },
    FormSheet {
        slug: "trainings",
        sheet: &sheets::TRAININGS,
        title: "培训班",
        list_href: "/talent/trainings",
    },
    FormSheet {
        slug: "training-attendances",
        sheet: &sheets::TRAINING_ATTENDANCES,
        title: "培训参训",
        list_href: "/talent/trainings",
    },
    FormSheet {
        slug: "practice-postings",
        sheet: &sheets::PRACTICE_POSTINGS,
        title: "实践锻炼",
        list_href: "/talent/practice",
    },
    FormSheet {
        slug: "advisors",
        sheet: &sheets::ADVISORS,
        title: "村务顾问",
        list_href: "/talent/advisors",
    },
    FormSheet {
        slug: "advice",
        sheet: &sheets::ADVICE,
        title: "顾问建议",
        list_href: "/talent/advice",
    },
    FormSheet {
        slug: "secretary-reviews",
        sheet: &sheets::SECRETARY_REVIEWS,
        title: "书记年度考核",
        list_href: "/talent/reviews",
    },
    // Branch work (lists in `branches::pages`); steps have their own buttons on the record pages.
    FormSheet {
        slug: "practical-projects",
        sheet: &sheets::PRACTICAL_PROJECTS,
        title: "兴办实事",
        list_href: "/branches/projects",
    },
    FormSheet {
        slug: "rectifications",
        sheet: &sheets::RECTIFICATIONS,
        title: "软弱涣散党组织整顿",
        list_href: "/branches/rectifications",
    },
    FormSheet {
        slug: "rectification-problems",
        sheet: &sheets::RECTIFICATION_PROBLEMS,
        title: "整顿问题",
        list_href: "/branches/problems",
    },
    FormSheet {
        slug: "honors",
        sheet: &sheets::HONORS,
        title: "好支书与带富致富先锋",
        list_href: "/branches/honors",
    },
    FormSheet {
        slug: "honor-objections",
        sheet: &sheets::HONOR_OBJECTIONS,
        title: "荣誉异议",
        list_href: "/branches/honors",
    },
    FormSheet {
        slug: "model-sites",
        sheet: &sheets::MODEL_SITES,
        title: "党建示范点",
        list_href: "/branches/sites",
    },
    FormSheet {
        slug: "assessments",
        sheet: &sheets::ASSESSMENTS,
        title: "党支部达标评定",
        list_href: "/branches/assessments",
    },
    FormSheet {
        slug: "assessment-scores",
        sheet: &sheets::ASSESSMENT_SCORES,
        title: "达标评分",
        list_href: "/branches/assessments",
    },
    FormSheet {
        slug: "branch-standards",
        sheet: &sheets::BRANCH_STANDARDS,
        title: "达标标准",
        list_href: "/branches/standards",
    },
    FormSheet {
        slug: "standard-sections",
        sheet: &sheets::STANDARD_SECTIONS,
        title: "标准分项",
        list_href: "/branches/standards",
    },
    FormSheet {
        slug: "standard-criteria",
        sheet: &sheets::STANDARD_CRITERIA,
        title: "标准指标",
        list_href: "/branches/standards",
    },
    FormSheet {
        slug: "contests",
        sheet: &sheets::CONTESTS,
        title: "擂台赛",
        list_href: "/branches/contests",
    },
    FormSheet {
        slug: "contest-criteria",
        sheet: &sheets::CONTEST_CRITERIA,
        title: "擂台赛指标",
        list_href: "/branches/contests",
    },
    FormSheet {
        slug: "contestants",
        sheet: &sheets::CONTESTANTS,
        title: "擂台赛选手",
        list_href: "/branches/contests",
    },
    FormSheet {
        slug: "contest-judges",
        sheet: &sheets::CONTEST_JUDGES,
        title: "擂台赛评委",
        list_href: "/branches/contests",
    },
];

/// The form of a sheet (for the buttons of the list and detail pages).
pub fn form_of(id: SheetId) -> &'static FormSheet {
    FORM_SHEETS
        .iter()
        .find(|f| f.sheet.id == id)
        .expect("every sheet has a form")
}

impl FormSheet {
    fn by_slug(slug: &str) -> AppResult<&'static FormSheet> {
        FORM_SHEETS
            .iter()
            .find(|f| f.slug == slug)
            .ok_or(AppError::NotFound)
    }

    /// A record whose key holds an ID number is addressed by its row id, never by its key; so
    /// is a team member (its first key column, the team, is shared by the team's members).
    fn by_row_id(&self) -> bool {
        self.key_is_id_number()
            || matches!(
                self.sheet.id,
                SheetId::TeamMembers
                    | SheetId::BusinessHouseholds
                    | SheetId::TrainingAttendances
                    | SheetId::DisputeParties
                    | SheetId::MediationSessions
                    | SheetId::RectificationProblems
                    | SheetId::HonorObjections
                    | SheetId::AssessmentScores
                    | SheetId::ContestCriteria
                    | SheetId::Contestants
                    | SheetId::ContestJudges
            )
    }

    fn key_is_id_number(&self) -> bool {
        self.sheet.columns[self.sheet.key[0]].kind == Kind::IdNumber
    }

    pub fn new_href(&self) -> String {
        format!("/registry/{}/new", self.slug)
    }

    /// The edit form of a record: `ident` is its code (区划, 户, 党组织) or its row id.
    pub fn edit_href(&self, ident: &str) -> String {
        format!("/registry/{}/edit?key={}", self.slug, urlencode(ident))
    }

    /// The table the sheet's records are stored in.
    fn table(&self) -> &'static str {
        match self.sheet.id {
            SheetId::OrgUnits => "org_unit",
            SheetId::Households => "household",
            SheetId::People => "person",
            SheetId::PartyOrgs => "party_org",
            SheetId::PartyMembers => "party_member",
            SheetId::Cadres => "cadre_post",
            other => crate::workbook::outreach::entity(other),
        }
    }

    /// Where a record is shown after a write: its detail page where there is one, else the list.
    async fn shown_at(
        &self,
        pool: &AnyPool,
        crypto: &dyn CryptoProvider,
        values: &[Option<String>],
    ) -> AppResult<String> {
        let detail = match self.sheet.id {
            SheetId::OrgUnits => {
                let code = values[0].as_deref().unwrap_or_default();
                return Ok(format!("/org-units/{}", urlencode(code)));
            }
            SheetId::Households => "/households",
            SheetId::People => "/people",
            SheetId::PartyOrgs => "/party-orgs",
            _ => return Ok(self.list_href.to_string()),
        };
        let first = values[self.sheet.key[0]].clone().unwrap_or_default();
        let found = stored(pool, crypto, self.sheet, &[first]).await?;
        Ok(match found.get(&key_of(self.sheet, values)) {
            Some((id, _)) => format!("{detail}/{id}"),
            None => self.list_href.to_string(),
        })
    }
}

/// The stored records of a sheet with these first key values, in canonical form (the import's
/// own loaders, so the form shows exactly what an import compares against).
async fn stored(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    sheet: &Sheet,
    first_keys: &[String],
) -> Result<Existing, sqlx::Error> {
    match sheet.id {
        SheetId::OrgUnits => load::org_units(pool, first_keys).await,
        SheetId::Households => load::households(pool, crypto, first_keys).await,
        SheetId::People => load::people(pool, crypto, first_keys).await,
        SheetId::PartyOrgs => load::party_orgs(pool, first_keys).await,
        SheetId::PartyMembers => load::party_members(pool, crypto, first_keys).await,
        SheetId::Cadres => load::cadre_posts(pool, crypto, first_keys).await,
        _ => crate::workbook::outreach::existing(pool, crypto, sheet, first_keys).await,
    }
}

/// A stored record an edit form works on.
struct Located {
    row_id: i64,
    version: i64,
    /// Canonical values in the sheet's column order.
    values: Vec<Option<String>>,
}

/// The record `ident` names (its code, or for records keyed by an ID number its row id), if it
/// lies in `scope`; `NotFound` otherwise, so a record elsewhere is not revealed.
async fn locate(
    pool: &AnyPool,
    crypto: &dyn CryptoProvider,
    scope: &Scope,
    fs: &FormSheet,
    ident: &str,
) -> AppResult<Located> {
    let (lo, hi) = scope.bounds();
    let sql = match fs.sheet.id {
        SheetId::OrgUnits => {
            "SELECT id, code, version FROM org_unit WHERE code = $1 AND code >= $2 AND code < $3"
        }
        SheetId::Households => {
            "SELECT id, household_no, version FROM household
             WHERE household_no = $1 AND org_code >= $2 AND org_code < $3"
        }
        SheetId::PartyOrgs => {
            "SELECT id, code, version FROM party_org WHERE code = $1 AND org_code >= $2 AND org_code < $3"
        }
        SheetId::People => {
            "SELECT id, id_enc, version FROM person WHERE id = $1 AND org_code >= $2 AND org_code < $3"
        }
        SheetId::PartyMembers => {
            "SELECT m.id, p.id_enc, m.version FROM party_member m JOIN person p ON p.id = m.person_id
             WHERE m.id = $1 AND m.org_code >= $2 AND m.org_code < $3"
        }
        SheetId::Cadres => {
            "SELECT c.id, p.id_enc, c.version FROM cadre_post c JOIN person p ON p.id = c.person_id
             WHERE c.id = $1 AND c.org_code >= $2 AND c.org_code < $3"
        }
        SheetId::WorkTeams => {
            "SELECT id, team_no, version FROM work_team WHERE team_no = $1 AND org_code >= $2 AND org_code < $3"
        }
        SheetId::TeamMembers => {
            "SELECT m.id, w.team_no, m.version FROM work_team_member m JOIN work_team w ON w.id = m.team_id
             WHERE m.id = $1 AND w.org_code >= $2 AND w.org_code < $3"
        }
        SheetId::VillageContacts => {
            "SELECT t.id, p.id_enc, t.version FROM village_contact t JOIN person p ON p.id = t.person_id
             WHERE t.id = $1 AND t.org_code >= $2 AND t.org_code < $3"
        }
        SheetId::Stationings => {
            "SELECT t.id, p.id_enc, t.version FROM stationing t JOIN person p ON p.id = t.person_id
             WHERE t.id = $1 AND t.org_code >= $2 AND t.org_code < $3"
        }
        SheetId::GridDuties => {
            "SELECT t.id, p.id_enc, t.version FROM grid_duty t JOIN person p ON p.id = t.person_id
             WHERE t.id = $1 AND t.org_code >= $2 AND t.org_code < $3"
        }
        SheetId::HouseholdLinks => {
            "SELECT t.id, p.id_enc, t.version FROM household_link t JOIN person p ON p.id = t.person_id
             WHERE t.id = $1 AND t.org_code >= $2 AND t.org_code < $3"
        }
        SheetId::Visits => {
            "SELECT id, visit_no, version FROM visit WHERE visit_no = $1 AND org_code >= $2 AND org_code < $3"
        }
        SheetId::Businesses => {
            "SELECT id, credit_code, version FROM business WHERE credit_code = $1 AND org_code >= $2 AND org_code < $3"
        }
        SheetId::BusinessHouseholds => {
            "SELECT id, credit_code, version FROM business_household WHERE id = $1 AND org_code >= $2 AND org_code < $3"
        }
        SheetId::TourismProjects => {
            "SELECT id, project_no, version FROM tourism_project WHERE project_no = $1 AND org_code >= $2 AND org_code < $3"
        }
        SheetId::CanvassRounds => {
            "SELECT id, round_no, version FROM canvass_round WHERE round_no = $1 AND org_code >= $2 AND org_code < $3"
        }
        SheetId::Disputes => {
            "SELECT id, dispute_no, version FROM dispute WHERE dispute_no = $1 AND org_code >= $2 AND org_code < $3"
        }
        SheetId::DisputeParties => {
            "SELECT t.id, d.dispute_no, t.version FROM dispute_party t JOIN dispute d ON d.id = t.dispute_id
             WHERE t.id = $1 AND t.org_code >= $2 AND t.org_code < $3"
        }
        SheetId::MediationSessions => {
            "SELECT t.id, d.dispute_no, t.version FROM mediation_session t JOIN dispute d ON d.id = t.dispute_id
             WHERE t.id = $1 AND t.org_code >= $2 AND t.org_code < $3"
        }
        SheetId::PracticalProjects => {
            "SELECT id, project_no, version FROM practical_project WHERE project_no = $1 AND org_code >= $2 AND org_code < $3"
        }
        SheetId::Rectifications => {
            "SELECT id, case_no, version FROM rectification WHERE case_no = $1 AND org_code >= $2 AND org_code < $3"
        }
        SheetId::RectificationProblems => {
            "SELECT t.id, r.case_no, t.version FROM rectification_problem t JOIN rectification r ON r.id = t.case_id
             WHERE t.id = $1 AND t.org_code >= $2 AND t.org_code < $3"
        }
        SheetId::Honors => {
            "SELECT id, honor_no, version FROM honor WHERE honor_no = $1 AND org_code >= $2 AND org_code < $3"
        }
        SheetId::HonorObjections => {
            "SELECT t.id, h.honor_no, t.version FROM honor_objection t JOIN honor h ON h.id = t.honor_id
             WHERE t.id = $1 AND t.org_code >= $2 AND t.org_code < $3"
        }
        SheetId::ModelSites => {
            "SELECT id, site_no, version FROM model_site WHERE site_no = $1 AND org_code >= $2 AND org_code < $3"
        }
        SheetId::Assessments => {
            "SELECT id, assessment_no, version FROM branch_assessment WHERE assessment_no = $1 AND org_code >= $2 AND org_code < $3"
        }
        SheetId::AssessmentScores => {
            "SELECT t.id, a.assessment_no, t.version FROM assessment_score t JOIN branch_assessment a ON a.id = t.assessment_id
             WHERE t.id = $1 AND t.org_code >= $2 AND t.org_code < $3"
        }
        // The standard is the district's: only a user whose scope holds the root edits it.
        SheetId::BranchStandards => {
            "SELECT id, standard_no, version FROM branch_standard WHERE standard_no = $1
               AND (SELECT MIN(code) FROM org_unit WHERE parent_code IS NULL) >= $2
               AND (SELECT MIN(code) FROM org_unit WHERE parent_code IS NULL) < $3"
        }
        SheetId::StandardSections => {
            "SELECT id, section_code, version FROM standard_section WHERE section_code = $1
               AND (SELECT MIN(code) FROM org_unit WHERE parent_code IS NULL) >= $2
               AND (SELECT MIN(code) FROM org_unit WHERE parent_code IS NULL) < $3"
        }
        SheetId::StandardCriteria => {
            "SELECT id, criterion_code, version FROM standard_criterion WHERE criterion_code = $1
               AND (SELECT MIN(code) FROM org_unit WHERE parent_code IS NULL) >= $2
               AND (SELECT MIN(code) FROM org_unit WHERE parent_code IS NULL) < $3"
        }
        SheetId::Contests => {
            "SELECT id, contest_no, version FROM contest WHERE contest_no = $1 AND org_code >= $2 AND org_code < $3"
        }
        SheetId::ContestCriteria => {
            "SELECT t.id, c.contest_no, t.version FROM contest_criterion t JOIN contest c ON c.id = t.contest_id
             WHERE t.id = $1 AND t.org_code >= $2 AND t.org_code < $3"
        }
        SheetId::Contestants => {
            "SELECT t.id, c.contest_no, t.version FROM contestant t JOIN contest c ON c.id = t.contest_id
             WHERE t.id = $1 AND t.org_code >= $2 AND t.org_code < $3"
        }
        SheetId::ContestJudges => {
            "SELECT t.id, c.contest_no, t.version FROM contest_judge t JOIN contest c ON c.id = t.contest_id
             WHERE t.id = $1 AND t.org_code >= $2 AND t.org_code < $3"
        }
        SheetId::DegreeUpgrades => {
            "SELECT t.id, p.id_enc, t.version FROM degree_upgrade t JOIN person p ON p.id = t.person_id
             WHERE t.id = $1 AND t.org_code >= $2 AND t.org_code < $3"
        }
        SheetId::ReserveTalents => {
            "SELECT t.id, p.id_enc, t.version FROM reserve_talent t JOIN person p ON p.id = t.person_id
             WHERE t.id = $1 AND t.org_code >= $2 AND t.org_code < $3"
        }
        SheetId::Trainings => {
            "SELECT id, training_no, version FROM training WHERE training_no = $1 AND org_code >= $2 AND org_code < $3"
        }
        SheetId::TrainingAttendances => {
            "SELECT a.id, t.training_no, a.version FROM training_attendance a JOIN training t ON t.id = a.training_id
             WHERE a.id = $1 AND a.org_code >= $2 AND a.org_code < $3"
        }
        SheetId::PracticePostings => {
            "SELECT t.id, p.id_enc, t.version FROM practice_posting t JOIN person p ON p.id = t.person_id
             WHERE t.id = $1 AND t.org_code >= $2 AND t.org_code < $3"
        }
        SheetId::Advisors => {
            "SELECT t.id, p.id_enc, t.version FROM advisor t JOIN person p ON p.id = t.person_id
             WHERE t.id = $1 AND t.org_code >= $2 AND t.org_code < $3"
        }
        SheetId::Advice => {
            "SELECT id, advice_no, version FROM advice WHERE advice_no = $1 AND org_code >= $2 AND org_code < $3"
        }
        SheetId::SecretaryReviews => {
            "SELECT t.id, p.id_enc, t.version FROM secretary_review t JOIN person p ON p.id = t.person_id
             WHERE t.id = $1 AND t.org_code >= $2 AND t.org_code < $3"
        }
        // The simpler registries: keyed by their number (workbook/sheets/more.rs).
        id => match crate::workbook::sheets::more_key_lookup(id) {
            Some(sql) => sql,
            None => return Err(AppError::NotFound),
        },
    };
    let query = sqlx::query(sql);
    let query = if fs.by_row_id() {
        query.bind(
            ident
                .trim()
                .parse::<i64>()
                .map_err(|_| AppError::NotFound)?,
        )
    } else {
        query.bind(ident.trim().to_string())
    };
    let row = query
        .bind(lo)
        .bind(hi)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)?;
    let row_id: i64 = row.try_get(0)?;
    let first: String = row.try_get(1)?;
    let first = if fs.key_is_id_number() {
        personal::open(crypto, &first, AAD_PERSON_ID)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("stored ID number does not open")))?
    } else {
        first
    };
    let values = stored(pool, crypto, fs.sheet, &[first])
        .await?
        .into_values()
        .find(|(id, _)| *id == row_id)
        .map(|(_, v)| v)
        .ok_or(AppError::NotFound)?;
    Ok(Located {
        row_id,
        version: row.try_get(2)?,
        values,
    })
}

/// The record's version as stored now.
async fn version_now(pool: &AnyPool, fs: &FormSheet, row_id: i64) -> AppResult<Option<i64>> {
    let sql = format!("SELECT version FROM {} WHERE id = $1", fs.table());
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(row_id)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|r| r.try_get(0)).transpose()?)
}

/// The form's row number in the one-row sheet (where a workbook's first record would be).
const ROW: u32 = 2;

/// A form as typed (one text per sheet column) and as the import reads it.
struct Typed {
    texts: Vec<String>,
    data: SheetData,
    /// Problems found reading the cells, before the import's checks.
    problems: Vec<Problem>,
}

impl Typed {
    fn values(&self) -> &[Option<String>] {
        &self.data.rows[0].values
    }
}

/// Whether column `i` holds a personal number (an ID number, a phone number): the form shows it
/// masked, like every page, and keeps the stored number when the mask comes back unchanged.
fn is_personal(sheet: &Sheet, i: usize) -> bool {
    let c = &sheet.columns[i];
    matches!(c.kind, Kind::IdNumber) || c.header.contains("电话") || c.header.contains("手机")
}

/// A personal number as forms show it (3701**********123X, 139****5678); a value that does not
/// parse is hidden whole.
fn masked(sheet: &Sheet, i: usize, plain: &str) -> String {
    if matches!(sheet.columns[i].kind, Kind::IdNumber) {
        xingcun_domain::IdNumber::parse(plain, chrono::NaiveDate::MAX)
            .map(|id| id.masked())
            .unwrap_or_else(|_| "*".repeat(plain.chars().count()))
    } else {
        xingcun_domain::Phone::parse(plain)
            .map(|p| p.masked())
            .unwrap_or_else(|_| "*".repeat(plain.chars().count()))
    }
}

/// Reads the submitted fields like a workbook row: every column present, each cell through
/// [`canonical`] as text, required cells checked. On edit (`stored` = the stored record), the
/// key columns are the stored ones, and a personal number sent back as its mask is the stored
/// number: the form never holds a whole number it did not get from the user.
fn read_form(
    sheet: &'static Sheet,
    submitted: &HashMap<String, String>,
    stored_key: Option<&[Option<String>]>,
) -> Typed {
    let n = sheet.columns.len();
    let mut data = SheetData {
        sheet,
        present: vec![true; n],
        file_col: vec![None; n],
        rows: Vec::new(),
    };
    let mut texts = Vec::with_capacity(n);
    let mut values = Vec::with_capacity(n);
    let mut problems = Vec::new();
    for (i, c) in sheet.columns.iter().enumerate() {
        if let Some(stored) = stored_key.filter(|_| sheet.key.contains(&i)) {
            texts.push(shown(sheet, i, stored[i].as_deref()));
            values.push(stored[i].clone());
            continue;
        }
        let text = submitted.get(c.header).cloned().unwrap_or_default();
        if let Some(Some(plain)) = stored_key.map(|s| &s[i])
            && is_personal(sheet, i)
            && text.trim() == masked(sheet, i, plain)
        {
            texts.push(text);
            values.push(Some(plain.clone()));
            continue;
        }
        let value = match canonical(c.kind, &Cell::Text(text.clone())) {
            Ok(v) => v,
            Err(msg) => {
                problems.push(data.problem(ROW, Some(i), Some(&text), msg));
                texts.push(text);
                values.push(None);
                continue;
            }
        };
        if c.required && value.is_none() {
            problems.push(data.problem(ROW, Some(i), None, format!("「{}」为必填项", c.header)));
        }
        texts.push(text);
        values.push(value);
    }
    crate::workbook::read::normalize_row(sheet, &mut values);
    data.rows.push(Row { row: ROW, values });
    Typed {
        texts,
        data,
        problems,
    }
}

/// A stored (canonical) value as the form shows it: enumerations and 是/否 by their words,
/// personal numbers masked.
fn shown(sheet: &Sheet, i: usize, v: Option<&str>) -> String {
    let Some(v) = v else { return String::new() };
    if is_personal(sheet, i) {
        return masked(sheet, i, v);
    }
    match sheet.columns[i].kind {
        Kind::Enum(e) => e.label(v).unwrap_or(v).to_string(),
        Kind::Bool => if v == "1" { "是" } else { "否" }.to_string(),
        _ if sheet.id == SheetId::Cadres && i == sheet.index("职务") => VillagePost::from_code(v)
            .map(VillagePost::label)
            .unwrap_or(v)
            .to_string(),
        _ => v.to_string(),
    }
}

/// One field of the form.
#[derive(Debug, Serialize)]
struct Field {
    /// The column's header: the field's label and its name in the form.
    name: &'static str,
    required: bool,
    hint: &'static str,
    /// `text`, `date`, `textarea` or `select`.
    control: &'static str,
    /// (value, label) of a drop-down.
    options: Vec<(String, String)>,
    /// Words offered while typing (a `<datalist>`).
    suggestions: &'static [&'static str],
    value: String,
    readonly: bool,
    error: Option<String>,
}

fn fields(
    fs: &FormSheet,
    texts: &[String],
    errors: &BTreeMap<usize, Vec<String>>,
    editing: bool,
) -> Vec<Field> {
    let sheet = fs.sheet;
    sheet
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let value = texts[i].clone();
            let words: &[&str] = match c.kind {
                Kind::Enum(e) => e.labels(),
                Kind::Bool => &["是", "否"],
                _ => &[],
            };
            let mut options = Vec::new();
            if !words.is_empty() {
                let blank = if c.required { "请选择" } else { "—" };
                options.push((String::new(), blank.to_string()));
                options.extend(words.iter().map(|w| (w.to_string(), w.to_string())));
                // A value typed elsewhere (an alias, a bad word) stays visible with its error.
                if !value.is_empty() && !words.contains(&value.as_str()) {
                    options.push((value.clone(), value.clone()));
                }
            }
            let control = match c.kind {
                Kind::Enum(_) | Kind::Bool => "select",
                Kind::Date => "date",
                Kind::Multiline => "textarea",
                _ => "text",
            };
            let suggestions: &'static [&'static str] =
                if sheet.id == SheetId::Cadres && c.header == "职务" {
                    VillagePost::LABELS
                } else {
                    &[]
                };
            Field {
                name: c.header,
                required: c.required,
                hint: c.note,
                control,
                options,
                suggestions,
                value,
                readonly: editing && sheet.key.contains(&i),
                error: errors.get(&i).map(|m| m.join("；")),
            }
        })
        .collect()
}

/// Problems by field (column index), and those that name no column.
fn place(sheet: &Sheet, problems: Vec<Problem>) -> (BTreeMap<usize, Vec<String>>, Vec<String>) {
    let mut by_field: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut general = Vec::new();
    for p in problems {
        let at = p
            .column
            .as_deref()
            .and_then(|h| sheet.columns.iter().position(|c| c.header == h));
        let list = match at {
            Some(i) => by_field.entry(i).or_default(),
            None => &mut general,
        };
        if !list.contains(&p.message) {
            list.push(p.message);
        }
    }
    (by_field, general)
}

/// What a form page shows besides its fields.
struct Page<'a> {
    fs: &'static FormSheet,
    /// The edited record: its identity in the URL, its version and (for the title) its name.
    edit: Option<(&'a str, i64, String)>,
    texts: &'a [String],
    errors: BTreeMap<usize, Vec<String>>,
    alerts: Vec<String>,
    stale: bool,
}

fn form_page(state: &AppState, ctx: &Ctx, p: Page<'_>) -> AppResult<Html<String>> {
    let fs = p.fs;
    let verb = if p.edit.is_some() { "编辑" } else { "新增" };
    let heading = match &p.edit {
        Some((_, _, name)) if !name.is_empty() => format!("{verb}{} · {name}", fs.title),
        _ => format!("{verb}{}", fs.title),
    };
    let group = if crate::workbook::outreach::is_outreach(fs.sheet.id) {
        "筑先锋堡垒"
    } else {
        "基础台账"
    };
    let crumbs = vec![
        Crumb {
            label: group.into(),
            href: None,
        },
        Crumb {
            label: fs.title.into(),
            href: Some(fs.list_href.into()),
        },
        Crumb {
            label: verb.into(),
            href: None,
        },
    ];
    let (action, ident, version) = match &p.edit {
        Some((ident, version, _)) => (
            format!("/registry/{}/edit", fs.slug),
            Some(*ident),
            Some(*version),
        ),
        None => (fs.new_href(), None, None),
    };
    render(
        state,
        ctx,
        "pages/registry_form.html",
        context! {
            heading => heading,
            crumbs => crumbs,
            action => action,
            ident => ident,
            version => version,
            reload_href => ident.map(|i| fs.edit_href(i)),
            cancel_href => fs.list_href,
            has_errors => !p.errors.is_empty(),
            alerts => p.alerts,
            stale => p.stale,
            fields => fields(fs, p.texts, &p.errors, p.edit.is_some()),
        },
    )
}

/// The name an edit page is titled with: the code for records keyed by one, the person's name
/// (never the ID number) for a person, nothing for memberships and posts.
fn record_name(fs: &FormSheet, values: &[Option<String>]) -> String {
    match fs.sheet.id {
        SheetId::People => values[fs.sheet.index("姓名")].clone(),
        _ if fs.by_row_id() => None,
        _ => values[fs.sheet.key[0]].clone(),
    }
    .unwrap_or_default()
}

/// `GET /registry/{sheet}/new`: the empty form, defaults preselected. A query parameter named
/// like a column prefills it (`?村编码=…`, the links of the coverage page); never an ID number,
/// which stays out of URLs.
pub async fn new_record_page(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(slug): Path<String>,
    Query(prefill): Query<HashMap<String, String>>,
) -> AppResult<Response> {
    user.require(Permission::WriteData)?;
    let fs = FormSheet::by_slug(&slug)?;
    let texts: Vec<String> = fs
        .sheet
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| match prefill.get(c.header) {
            Some(v) if c.kind != Kind::IdNumber => v.trim().to_string(),
            _ => shown(fs.sheet, i, c.default),
        })
        .collect();
    let page = Page {
        fs,
        edit: None,
        texts: &texts,
        errors: BTreeMap::new(),
        alerts: Vec::new(),
        stale: false,
    };
    Ok(form_page(&state, &ctx, page)?.into_response())
}

#[derive(Debug, Deserialize, Default)]
pub struct EditParams {
    /// The record's code, or for records keyed by an ID number its row id.
    pub key: Option<String>,
}

/// `GET /registry/{sheet}/edit?key=…`: the form filled from the stored record, keys read-only.
/// Without a key there is nothing to edit: back to the list.
pub async fn edit_record_page(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(slug): Path<String>,
    Query(q): Query<EditParams>,
) -> AppResult<Response> {
    user.require(Permission::WriteData)?;
    let fs = FormSheet::by_slug(&slug)?;
    let Some(ident) = super::given(&q.key) else {
        return Ok(Redirect::to(fs.list_href).into_response());
    };
    let rec = locate(&state.db().pool, state.crypto(), &user.scope, fs, &ident).await?;
    let texts: Vec<String> = (0..fs.sheet.columns.len())
        .map(|i| shown(fs.sheet, i, rec.values[i].as_deref()))
        .collect();
    let page = Page {
        fs,
        edit: Some((&ident, rec.version, record_name(fs, &rec.values))),
        texts: &texts,
        errors: BTreeMap::new(),
        alerts: Vec::new(),
        stale: false,
    };
    Ok(form_page(&state, &ctx, page)?.into_response())
}

/// The fields of a submitted form by name (the column headers, `key`, `version`, `_csrf`).
type Submitted = Vec<(String, String)>;

/// `POST /registry/{sheet}/new`
pub async fn create_record(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(slug): Path<String>,
    Form(form): Form<Submitted>,
) -> AppResult<Response> {
    user.require(Permission::WriteData)?;
    let fs = FormSheet::by_slug(&slug)?;
    let submitted: HashMap<String, String> = form.into_iter().collect();
    let mut typed = read_form(fs.sheet, &submitted, None);
    // The import upserts: a key that exists already would update that record. A new record's
    // key must be new.
    let key_col = fs.sheet.key[0];
    if let Some(first) = typed.values()[key_col].clone() {
        let found = stored(&state.db().pool, state.crypto(), fs.sheet, &[first]).await?;
        if found.contains_key(&key_of(fs.sheet, typed.values())) {
            let headers: Vec<&str> = fs
                .sheet
                .key
                .iter()
                .map(|k| fs.sheet.columns[*k].header)
                .collect();
            let msg = format!(
                "已有{}相同的记录，不能重复新增；如需修改，请打开该记录的编辑页",
                headers.join("、")
            );
            let p = typed.data.problem(ROW, Some(key_col), None, msg);
            typed.problems.push(p);
        }
    }
    save(&state, &ctx, &user, fs, typed, None).await
}

/// `POST /registry/{sheet}/edit`: the form's `key` and `version` name the record and the state
/// it was edited from.
pub async fn update_record(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(slug): Path<String>,
    Form(form): Form<Submitted>,
) -> AppResult<Response> {
    user.require(Permission::WriteData)?;
    let fs = FormSheet::by_slug(&slug)?;
    let submitted: HashMap<String, String> = form.into_iter().collect();
    let ident = super::given(&submitted.get("key").cloned()).ok_or(AppError::NotFound)?;
    let rec = locate(&state.db().pool, state.crypto(), &user.scope, fs, &ident).await?;
    let typed = read_form(fs.sheet, &submitted, Some(&rec.values));
    let version = submitted
        .get("version")
        .and_then(|v| v.trim().parse::<i64>().ok());
    let edit = Edit {
        ident: &ident,
        row_id: rec.row_id,
        version,
        name: record_name(fs, &rec.values),
    };
    save(&state, &ctx, &user, fs, typed, Some(edit)).await
}

/// The record an edit writes to, and the version the form was filled from.
struct Edit<'a> {
    ident: &'a str,
    row_id: i64,
    version: Option<i64>,
    name: String,
}

/// Checks and writes the form's row through the import, or shows the form again with every
/// problem at its field (422), or with the stale-edit message (409).
async fn save(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    fs: &'static FormSheet,
    typed: Typed,
    edit: Option<Edit<'_>>,
) -> AppResult<Response> {
    let pool = &state.db().pool;
    if let Some(e) = &edit {
        // The stale-edit guard, read as late as possible: right before the import. A write that
        // lands between this read and the import's commit (its checks run outside the write
        // transaction, and its UPDATE does not test the version) still goes unnoticed and is
        // overwritten; closing that window needs `AND version = $n` in `workbook::apply`.
        let now = version_now(pool, fs, e.row_id).await?;
        if now.is_none() || now != e.version {
            let page = Page {
                fs,
                edit: Some((e.ident, e.version.unwrap_or(0), e.name.clone())),
                texts: &typed.texts,
                errors: BTreeMap::new(),
                alerts: Vec::new(),
                stale: true,
            };
            return Ok((StatusCode::CONFLICT, form_page(state, ctx, page)?).into_response());
        }
    }
    let opts = ImportOptions {
        dry_run: false,
        within: Some(user.scope.prefix().to_string()).filter(|p| !p.is_empty()),
        today: crate::dates::today(),
    };
    let values = typed.values().to_vec();
    let outcome = workbook::import_sheets(
        state.db(),
        state.crypto(),
        &user.actor(),
        vec![typed.data],
        typed.problems,
        &opts,
    )
    .await?;
    match outcome {
        ImportOutcome::Done { .. } => {
            let to = fs.shown_at(pool, state.crypto(), &values).await?;
            Ok(Redirect::to(&to).into_response())
        }
        ImportOutcome::Refused(problems) => {
            let (errors, alerts) = place(fs.sheet, problems);
            let page = Page {
                fs,
                edit: edit
                    .as_ref()
                    .map(|e| (e.ident, e.version.unwrap_or(0), e.name.clone())),
                texts: &typed.texts,
                errors,
                alerts,
                stale: false,
            };
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                form_page(state, ctx, page)?,
            )
                .into_response())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sheet_has_one_form_with_an_ascii_slug() {
        // Demands (诉求) are taken in on their own pages, not through a record form.
        // A contest's scores are entered by its judges on the contest's page.
        let branch_work = [SheetId::ContestScores];
        for s in sheets::SHEETS
            .iter()
            .filter(|s| s.id != SheetId::Demands && !branch_work.contains(&s.id))
        {
            assert_eq!(form_of(s.id).sheet.name, s.name);
        }
        for f in FORM_SHEETS {
            assert!(f.slug.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'));
        }
    }

    #[test]
    fn every_form_route_is_listed_in_routes() {
        for f in FORM_SHEETS {
            for (method, action) in [
                ("GET", "new"),
                ("POST", "new"),
                ("GET", "edit"),
                ("POST", "edit"),
            ] {
                let path = format!("/registry/{}/{action}", f.slug);
                assert!(
                    crate::router::ROUTES.contains(&(method, path.as_str())),
                    "{method} {path} missing from ROUTES"
                );
            }
        }
    }

    #[test]
    fn records_keyed_by_an_id_number_are_addressed_by_row_id() {
        let by_row: Vec<&str> = FORM_SHEETS
            .iter()
            .filter(|f| f.by_row_id())
            .map(|f| f.slug)
            .collect();
        assert_eq!(
            by_row,
            [
                "people",
                "party-members",
                "cadres",
                "team-members",
                "village-contacts",
                "stationings",
                "grid-duties",
                "household-links",
                "business-households",
                "dispute-parties",
                "mediation-sessions",
                "degree-upgrades",
                "reserve-talents",
                "training-attendances",
                "practice-postings",
                "advisors",
                "secretary-reviews",
                "rectification-problems",
                "honor-objections",
                "assessment-scores",
                "contest-criteria",
                "contestants",
                "contest-judges"
            ]
        );
    }

    #[test]
    fn a_form_reads_its_cells_like_a_workbook_row() {
        let sheet = &sheets::CADRES;
        let submitted: HashMap<String, String> = [
            ("身份证号", "11010519491231002x"),
            ("干部类别", "村干部"),
            ("职务", "村（居）委会主任"),
            ("任职单位编码", " 990101001001 "),
            ("任职日期", "2021-01-05"),
            ("专业化管理", "否"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let typed = read_form(sheet, &submitted, None);
        assert!(typed.problems.is_empty(), "{:?}", typed.problems);
        let v = typed.values();
        assert_eq!(v[0].as_deref(), Some("11010519491231002X"));
        assert_eq!(v[1].as_deref(), Some("village_cadre"));
        assert_eq!(v[2].as_deref(), Some("villagers_committee_chair"));
        assert_eq!(v[4].as_deref(), Some("990101001001"));
        assert_eq!(v[7].as_deref(), Some("0"));
        assert_eq!(shown(sheet, 2, v[2].as_deref()), "村(居)委会主任");
    }

    #[test]
    fn an_empty_required_cell_and_a_bad_date_are_problems_on_their_columns() {
        let submitted: HashMap<String, String> = [("户编号", ""), ("注销日期", "2026/1/1")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let typed = read_form(&sheets::HOUSEHOLDS, &submitted, None);
        let cols: Vec<_> = typed
            .problems
            .iter()
            .map(|p| p.column.clone().unwrap_or_default())
            .collect();
        assert_eq!(cols, ["户编号", "所属区划编码", "注销日期"]);
        assert_eq!(typed.texts[11], "2026/1/1");
    }
}

//! Every route of the platform, in one place: the table of contents of the application.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};

use crate::accounts::Permission;
use crate::accounts::pages as accounts;
use crate::app::AppState;
use crate::demands::{open311, pages as demands, public};
use crate::indicators::{api as indicators_api, pages as indicators};
use crate::org::{api as org_api, pages as org};
use crate::outreach::{alerts as outreach_alerts, my as outreach_my, pages as outreach};
use crate::registry::api as registry_api;
use crate::registry::forms as registry_forms;
use crate::registry::pages::{
    cadres as cadre_pages, households as household_pages, party as party_pages,
    people as people_pages,
};
use crate::reports::pages as reports;
use crate::security::pages as security;
use crate::workbook::pages as workbook;
use crate::{api, pages, web};

/// Every route as (method, path): the authorisation tests walk this list, and the OpenAPI test
/// checks every `/api/v1` route is documented.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/static/{file}"),
    ("GET", "/lang/{lang}"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
    ("GET", "/login/totp"),
    ("POST", "/login/totp"),
    ("GET", "/account/totp"),
    ("POST", "/account/totp"),
    ("GET", "/account/password"),
    ("POST", "/account/password"),
    ("GET", "/dashboard"),
    ("GET", "/about"),
    ("GET", "/indicators"),
    ("GET", "/indicators/{key}"),
    ("GET", "/reports"),
    ("GET", "/reports/download"),
    ("GET", "/reports/new"),
    ("POST", "/reports/new"),
    ("GET", "/reports/{id}"),
    ("POST", "/reports/{id}"),
    ("GET", "/org-units"),
    ("GET", "/org-units/tree"),
    ("GET", "/org-units/{code}"),
    ("GET", "/households"),
    ("GET", "/households/{id}"),
    ("POST", "/households/{id}/reveal"),
    ("GET", "/people"),
    ("POST", "/people/search"),
    ("GET", "/people/{id}"),
    ("POST", "/people/{id}/reveal"),
    ("GET", "/party-orgs"),
    ("GET", "/party-orgs/{id}"),
    ("GET", "/party-members"),
    ("GET", "/cadres"),
    // The record forms: one route per action below, `{sheet}` being one of these slugs
    // (`registry::forms::FORM_SHEETS`); listed one by one so the route walkers request each.
    ("GET", "/registry/org-units/new"),
    ("POST", "/registry/org-units/new"),
    ("GET", "/registry/org-units/edit"),
    ("POST", "/registry/org-units/edit"),
    ("GET", "/registry/households/new"),
    ("POST", "/registry/households/new"),
    ("GET", "/registry/households/edit"),
    ("POST", "/registry/households/edit"),
    ("GET", "/registry/people/new"),
    ("POST", "/registry/people/new"),
    ("GET", "/registry/people/edit"),
    ("POST", "/registry/people/edit"),
    ("GET", "/registry/party-orgs/new"),
    ("POST", "/registry/party-orgs/new"),
    ("GET", "/registry/party-orgs/edit"),
    ("POST", "/registry/party-orgs/edit"),
    ("GET", "/registry/party-members/new"),
    ("POST", "/registry/party-members/new"),
    ("GET", "/registry/party-members/edit"),
    ("POST", "/registry/party-members/edit"),
    ("GET", "/registry/cadres/new"),
    ("POST", "/registry/cadres/new"),
    ("GET", "/registry/cadres/edit"),
    ("POST", "/registry/cadres/edit"),
    ("GET", "/registry/work-teams/new"),
    ("POST", "/registry/work-teams/new"),
    ("GET", "/registry/work-teams/edit"),
    ("POST", "/registry/work-teams/edit"),
    ("GET", "/registry/team-members/new"),
    ("POST", "/registry/team-members/new"),
    ("GET", "/registry/team-members/edit"),
    ("POST", "/registry/team-members/edit"),
    ("GET", "/registry/village-contacts/new"),
    ("POST", "/registry/village-contacts/new"),
    ("GET", "/registry/village-contacts/edit"),
    ("POST", "/registry/village-contacts/edit"),
    ("GET", "/registry/stationings/new"),
    ("POST", "/registry/stationings/new"),
    ("GET", "/registry/stationings/edit"),
    ("POST", "/registry/stationings/edit"),
    ("GET", "/registry/grid-duties/new"),
    ("POST", "/registry/grid-duties/new"),
    ("GET", "/registry/grid-duties/edit"),
    ("POST", "/registry/grid-duties/edit"),
    ("GET", "/registry/household-links/new"),
    ("POST", "/registry/household-links/new"),
    ("GET", "/registry/household-links/edit"),
    ("POST", "/registry/household-links/edit"),
    ("GET", "/registry/visits/new"),
    ("POST", "/registry/visits/new"),
    ("GET", "/registry/visits/edit"),
    ("POST", "/registry/visits/edit"),
    ("GET", "/registry/businesses/new"),
    ("POST", "/registry/businesses/new"),
    ("GET", "/registry/businesses/edit"),
    ("POST", "/registry/businesses/edit"),
    ("GET", "/registry/business-households/new"),
    ("POST", "/registry/business-households/new"),
    ("GET", "/registry/business-households/edit"),
    ("POST", "/registry/business-households/edit"),
    ("GET", "/registry/practical-projects/new"),
    ("POST", "/registry/practical-projects/new"),
    ("GET", "/registry/practical-projects/edit"),
    ("POST", "/registry/practical-projects/edit"),
    ("GET", "/registry/rectifications/new"),
    ("POST", "/registry/rectifications/new"),
    ("GET", "/registry/rectifications/edit"),
    ("POST", "/registry/rectifications/edit"),
    ("GET", "/registry/rectification-problems/new"),
    ("POST", "/registry/rectification-problems/new"),
    ("GET", "/registry/rectification-problems/edit"),
    ("POST", "/registry/rectification-problems/edit"),
    ("GET", "/registry/honors/new"),
    ("POST", "/registry/honors/new"),
    ("GET", "/registry/honors/edit"),
    ("POST", "/registry/honors/edit"),
    ("GET", "/registry/honor-objections/new"),
    ("POST", "/registry/honor-objections/new"),
    ("GET", "/registry/honor-objections/edit"),
    ("POST", "/registry/honor-objections/edit"),
    ("GET", "/registry/model-sites/new"),
    ("POST", "/registry/model-sites/new"),
    ("GET", "/registry/model-sites/edit"),
    ("POST", "/registry/model-sites/edit"),
    ("GET", "/registry/assessments/new"),
    ("POST", "/registry/assessments/new"),
    ("GET", "/registry/assessments/edit"),
    ("POST", "/registry/assessments/edit"),
    ("GET", "/registry/assessment-scores/new"),
    ("POST", "/registry/assessment-scores/new"),
    ("GET", "/registry/assessment-scores/edit"),
    ("POST", "/registry/assessment-scores/edit"),
    ("GET", "/registry/branch-standards/new"),
    ("POST", "/registry/branch-standards/new"),
    ("GET", "/registry/branch-standards/edit"),
    ("POST", "/registry/branch-standards/edit"),
    ("GET", "/registry/standard-sections/new"),
    ("POST", "/registry/standard-sections/new"),
    ("GET", "/registry/standard-sections/edit"),
    ("POST", "/registry/standard-sections/edit"),
    ("GET", "/registry/standard-criteria/new"),
    ("POST", "/registry/standard-criteria/new"),
    ("GET", "/registry/standard-criteria/edit"),
    ("POST", "/registry/standard-criteria/edit"),
    ("GET", "/registry/contests/new"),
    ("POST", "/registry/contests/new"),
    ("GET", "/registry/contests/edit"),
    ("POST", "/registry/contests/edit"),
    ("GET", "/registry/contest-criteria/new"),
    ("POST", "/registry/contest-criteria/new"),
    ("GET", "/registry/contest-criteria/edit"),
    ("POST", "/registry/contest-criteria/edit"),
    ("GET", "/registry/contestants/new"),
    ("POST", "/registry/contestants/new"),
    ("GET", "/registry/contestants/edit"),
    ("POST", "/registry/contestants/edit"),
    ("GET", "/registry/contest-judges/new"),
    ("POST", "/registry/contest-judges/new"),
    ("GET", "/registry/contest-judges/edit"),
    ("POST", "/registry/contest-judges/edit"),
    ("GET", "/registry/tourism-projects/new"),
    ("POST", "/registry/tourism-projects/new"),
    ("GET", "/registry/tourism-projects/edit"),
    ("POST", "/registry/tourism-projects/edit"),
    ("GET", "/registry/canvass-rounds/new"),
    ("POST", "/registry/canvass-rounds/new"),
    ("GET", "/registry/canvass-rounds/edit"),
    ("POST", "/registry/canvass-rounds/edit"),
    ("GET", "/registry/disputes/new"),
    ("POST", "/registry/disputes/new"),
    ("GET", "/registry/disputes/edit"),
    ("POST", "/registry/disputes/edit"),
    ("GET", "/registry/dispute-parties/new"),
    ("POST", "/registry/dispute-parties/new"),
    ("GET", "/registry/dispute-parties/edit"),
    ("POST", "/registry/dispute-parties/edit"),
    ("GET", "/registry/mediation-sessions/new"),
    ("POST", "/registry/mediation-sessions/new"),
    ("GET", "/registry/mediation-sessions/edit"),
    ("POST", "/registry/mediation-sessions/edit"),
    ("GET", "/registry/agri-parks/new"),
    ("POST", "/registry/agri-parks/new"),
    ("GET", "/registry/agri-parks/edit"),
    ("POST", "/registry/agri-parks/edit"),
    ("GET", "/registry/tech-partnerships/new"),
    ("POST", "/registry/tech-partnerships/new"),
    ("GET", "/registry/tech-partnerships/edit"),
    ("POST", "/registry/tech-partnerships/edit"),
    ("GET", "/registry/brands/new"),
    ("POST", "/registry/brands/new"),
    ("GET", "/registry/brands/edit"),
    ("POST", "/registry/brands/edit"),
    ("GET", "/registry/geo-products/new"),
    ("POST", "/registry/geo-products/new"),
    ("GET", "/registry/geo-products/edit"),
    ("POST", "/registry/geo-products/edit"),
    ("GET", "/registry/geo-registrations/new"),
    ("POST", "/registry/geo-registrations/new"),
    ("GET", "/registry/geo-registrations/edit"),
    ("POST", "/registry/geo-registrations/edit"),
    ("GET", "/registry/law-outreach-events/new"),
    ("POST", "/registry/law-outreach-events/new"),
    ("GET", "/registry/law-outreach-events/edit"),
    ("POST", "/registry/law-outreach-events/edit"),
    ("GET", "/registry/civility-events/new"),
    ("POST", "/registry/civility-events/new"),
    ("GET", "/registry/civility-events/edit"),
    ("POST", "/registry/civility-events/edit"),
    ("GET", "/registry/study-sessions/new"),
    ("POST", "/registry/study-sessions/new"),
    ("GET", "/registry/study-sessions/edit"),
    ("POST", "/registry/study-sessions/edit"),
    ("GET", "/registry/supervision-findings/new"),
    ("POST", "/registry/supervision-findings/new"),
    ("GET", "/registry/supervision-findings/edit"),
    ("POST", "/registry/supervision-findings/edit"),
    ("GET", "/registry/exemplars/new"),
    ("POST", "/registry/exemplars/new"),
    ("GET", "/registry/exemplars/edit"),
    ("POST", "/registry/exemplars/edit"),
    ("GET", "/registry/degree-upgrades/new"),
    ("POST", "/registry/degree-upgrades/new"),
    ("GET", "/registry/degree-upgrades/edit"),
    ("POST", "/registry/degree-upgrades/edit"),
    ("GET", "/registry/reserve-talents/new"),
    ("POST", "/registry/reserve-talents/new"),
    ("GET", "/registry/reserve-talents/edit"),
    ("POST", "/registry/reserve-talents/edit"),
    ("GET", "/registry/trainings/new"),
    ("POST", "/registry/trainings/new"),
    ("GET", "/registry/trainings/edit"),
    ("POST", "/registry/trainings/edit"),
    ("GET", "/registry/training-attendances/new"),
    ("POST", "/registry/training-attendances/new"),
    ("GET", "/registry/training-attendances/edit"),
    ("POST", "/registry/training-attendances/edit"),
    ("GET", "/registry/practice-postings/new"),
    ("POST", "/registry/practice-postings/new"),
    ("GET", "/registry/practice-postings/edit"),
    ("POST", "/registry/practice-postings/edit"),
    ("GET", "/registry/advisors/new"),
    ("POST", "/registry/advisors/new"),
    ("GET", "/registry/advisors/edit"),
    ("POST", "/registry/advisors/edit"),
    ("GET", "/registry/advice/new"),
    ("POST", "/registry/advice/new"),
    ("GET", "/registry/advice/edit"),
    ("POST", "/registry/advice/edit"),
    ("GET", "/registry/secretary-reviews/new"),
    ("POST", "/registry/secretary-reviews/new"),
    ("GET", "/registry/secretary-reviews/edit"),
    ("POST", "/registry/secretary-reviews/edit"),
    // Outreach: the lists (`outreach::records::LISTS`), the end action of each assignment,
    // coverage, 我的联系户 and alerts.
    ("GET", "/outreach/coverage"),
    ("GET", "/outreach/teams"),
    ("GET", "/outreach/team-members"),
    ("GET", "/outreach/contacts"),
    ("GET", "/outreach/stationings"),
    ("GET", "/outreach/grid-duties"),
    ("GET", "/outreach/links"),
    ("GET", "/outreach/visits"),
    ("GET", "/outreach/teams/end"),
    ("POST", "/outreach/teams/end"),
    ("GET", "/outreach/contacts/end"),
    ("POST", "/outreach/contacts/end"),
    ("GET", "/outreach/stationings/end"),
    ("POST", "/outreach/stationings/end"),
    ("GET", "/outreach/grid-duties/end"),
    ("POST", "/outreach/grid-duties/end"),
    ("GET", "/outreach/links/end"),
    ("POST", "/outreach/links/end"),
    ("GET", "/my/households"),
    ("GET", "/my/households/{id}"),
    ("POST", "/my/households/{id}/visits"),
    ("GET", "/alerts"),
    ("GET", "/attachments"),
    ("POST", "/attachments"),
    ("GET", "/attachments/{id}"),
    ("POST", "/attachments/{id}/delete"),
    ("GET", "/imports"),
    ("POST", "/imports"),
    ("GET", "/imports/template"),
    ("POST", "/imports/export"),
    ("POST", "/imports/{token}/confirm"),
    ("POST", "/imports/{token}/cancel"),
    ("GET", "/imports/{token}/marked"),
    ("GET", "/demands"),
    ("GET", "/demands/new"),
    ("POST", "/demands/new"),
    ("GET", "/demands/{id}"),
    ("POST", "/demands/{id}/act"),
    ("GET", "/todo"),
    ("GET", "/branches/projects"),
    ("GET", "/branches/rectifications"),
    ("GET", "/branches/problems"),
    ("GET", "/branches/honors"),
    ("GET", "/branches/sites"),
    ("GET", "/branches/assessments"),
    ("GET", "/branches/projects/{no}"),
    ("POST", "/branches/projects/{no}/step"),
    ("GET", "/branches/rectifications/{no}"),
    ("POST", "/branches/rectifications/{no}/accept"),
    ("GET", "/branches/honors/{no}"),
    ("POST", "/branches/honors/{no}/step"),
    ("POST", "/branches/honors/{no}/objections"),
    ("GET", "/branches/roll"),
    ("GET", "/branches/roll/{id}"),
    ("GET", "/branches/assessments/{no}"),
    ("GET", "/branches/standards"),
    ("GET", "/branches/due"),
    ("GET", "/branches/contests"),
    ("GET", "/branches/contests/{no}"),
    ("POST", "/branches/contests/{no}/step"),
    ("POST", "/branches/contests/{no}/scores"),
    ("GET", "/industry/businesses"),
    ("GET", "/industry/tourism"),
    ("GET", "/industry/parks"),
    ("GET", "/industry/partnerships"),
    ("GET", "/industry/brands"),
    ("GET", "/industry/geo-products"),
    ("GET", "/industry/geo-registrations"),
    ("GET", "/events/law-outreach"),
    ("GET", "/events/civility"),
    ("GET", "/conduct/study-sessions"),
    ("GET", "/conduct/findings"),
    ("GET", "/conduct/exemplars"),
    ("GET", "/conduct/exemplars/{id}"),
    ("GET", "/governance/disputes"),
    ("GET", "/governance/rounds"),
    ("GET", "/governance/disputes/{id}"),
    ("GET", "/governance/disputes/{id}/agreement"),
    ("POST", "/governance/disputes/{id}/agreement"),
    ("GET", "/talent/committees"),
    ("GET", "/talent/succession"),
    ("GET", "/talent/degree-upgrades"),
    ("GET", "/talent/reserve"),
    ("GET", "/talent/reserve/{id}"),
    ("POST", "/talent/reserve/{id}/appoint"),
    ("GET", "/talent/trainings"),
    ("GET", "/talent/trainings/{no}"),
    ("GET", "/talent/practice"),
    ("GET", "/talent/advisors"),
    ("GET", "/talent/advice"),
    ("GET", "/talent/reviews"),
    ("GET", "/admin/deadlines"),
    ("POST", "/admin/deadlines"),
    ("GET", "/v/{code}"),
    ("POST", "/v/{code}/file"),
    ("GET", "/v/{code}/poster"),
    ("GET", "/v/{code}/phones"),
    ("POST", "/v/{code}/phones"),
    ("GET", "/t"),
    ("GET", "/t/{no}"),
    ("POST", "/t/{no}/verdict"),
    // Open311 GeoReport v2 (`demands::open311`): every resource in `.json` and `.xml`; the
    // service definition listed for one service, `requests/{id}` and `tokens/{id}` (a demand
    // number) not listed, as no demand number exists before a demand is filed.
    ("GET", "/open311/v2/discovery.json"),
    ("GET", "/open311/v2/discovery.xml"),
    ("GET", "/open311/v2/services.json"),
    ("GET", "/open311/v2/services.xml"),
    ("GET", "/open311/v2/services/drinking_water.json"),
    ("GET", "/open311/v2/services/drinking_water.xml"),
    ("GET", "/open311/v2/requests.json"),
    ("GET", "/open311/v2/requests.xml"),
    ("POST", "/open311/v2/requests.json"),
    ("POST", "/open311/v2/requests.xml"),
    ("GET", "/admin/users"),
    ("GET", "/admin/users/new"),
    ("POST", "/admin/users/new"),
    ("GET", "/admin/users/{id}/edit"),
    ("POST", "/admin/users/{id}/edit"),
    ("POST", "/admin/users/{id}/password"),
    ("POST", "/admin/users/{id}/totp-reset"),
    ("GET", "/admin/audit"),
    ("GET", "/admin/access-log"),
    ("GET", "/api/docs"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/api/v1/me"),
    ("GET", "/api/v1/org-units"),
    ("GET", "/api/v1/org-units/{code}"),
    ("GET", "/api/v1/households"),
    ("GET", "/api/v1/households/{id}"),
    ("GET", "/api/v1/people"),
    ("GET", "/api/v1/people/{id}"),
    ("POST", "/api/v1/people/{id}/reveal"),
    ("GET", "/api/v1/party-orgs"),
    ("GET", "/api/v1/party-members"),
    ("GET", "/api/v1/cadres"),
    ("GET", "/api/v1/indicators"),
];

/// Who may use a route: the expected-access table the authorisation-matrix test checks every
/// route of [`ROUTES`] against, for every role and for an anonymous caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in user, whatever the role (the handler decides what they see).
    SignedIn,
    /// A signed-in user whose role has this permission; every other role gets 403 (or another
    /// refusal), an anonymous caller the sign-in page (401 under `/api/`).
    Needs(Permission),
    /// As `Needs`, and the account's unit must be the district itself (district-wide settings).
    NeedsAtDistrict(Permission),
}

/// The declared access of a route of [`ROUTES`]. `None` for a route nobody declared: the
/// authorisation test then fails and names it. **Add a line here with every new route.**
pub fn route_access(method: &str, path: &str) -> Option<Access> {
    use Access::*;
    use Permission::*;
    Some(match (method, path) {
        ("GET", "/" | "/healthz" | "/readyz" | "/static/{file}" | "/lang/{lang}" | "/login")
        | ("POST", "/login" | "/logout") => Public,
        ("GET", "/api/v1/openapi.json" | "/api/docs") => Public,
        ("GET" | "POST", "/login/totp" | "/account/totp" | "/account/password") => SignedIn,
        ("GET", "/about" | "/api/v1/me") => SignedIn,
        // Deletes only the caller's own upload.
        ("POST", "/imports/{token}/cancel") => SignedIn,
        (
            "GET",
            "/dashboard" | "/indicators" | "/indicators/{key}" | "/org-units" | "/org-units/tree"
            | "/org-units/{code}" | "/households" | "/households/{id}" | "/people" | "/people/{id}"
            | "/party-orgs" | "/party-orgs/{id}" | "/party-members" | "/cadres" | "/imports"
            | "/imports/template",
        ) => Needs(ReadData),
        // Attachments: the handlers look the record up within the user's scope.
        ("GET", "/attachments" | "/attachments/{id}") => Needs(ReadData),
        ("POST", "/attachments" | "/attachments/{id}/delete") => Needs(WriteData),
        // The export holds whole ID and phone numbers.
        ("POST", "/imports/export") => Needs(SeePersonalData),
        ("POST", "/people/search") => Needs(ReadData),
        (
            "GET",
            "/api/v1/org-units"
            | "/api/v1/org-units/{code}"
            | "/api/v1/households"
            | "/api/v1/households/{id}"
            | "/api/v1/people"
            | "/api/v1/people/{id}"
            | "/api/v1/party-orgs"
            | "/api/v1/party-members"
            | "/api/v1/cadres"
            | "/api/v1/indicators",
        ) => Needs(ReadData),
        (
            "POST",
            "/people/{id}/reveal" | "/api/v1/people/{id}/reveal" | "/households/{id}/reveal",
        ) => Needs(SeePersonalData),
        ("GET" | "POST", p)
            if p.starts_with("/registry/") && (p.ends_with("/new") || p.ends_with("/edit")) =>
        {
            Needs(WriteData)
        }
        ("POST", "/imports" | "/imports/{token}/confirm") | ("GET", "/imports/{token}/marked") => {
            Needs(WriteData)
        }
        ("GET", "/admin/users") | ("GET" | "POST", "/admin/users/{id}/edit") => Needs(ListUsers),
        ("GET" | "POST", "/admin/users/new") | ("POST", "/admin/users/{id}/password") => {
            Needs(ManageAccounts)
        }
        ("POST", "/admin/users/{id}/totp-reset") => Needs(ResetSecondFactor),
        ("GET", "/admin/audit" | "/admin/access-log") => Needs(ReadAudit),
        // Reports: reading and downloading need ReadData, editing templates WriteData.
        ("GET", "/reports" | "/reports/download" | "/reports/{id}") => Needs(ReadData),
        ("GET" | "POST", "/reports/new") | ("POST", "/reports/{id}") => Needs(WriteData),
        ("GET", "/demands" | "/demands/{id}" | "/todo") => Needs(ReadData),
        ("GET" | "POST", "/demands/new") | ("POST", "/demands/{id}/act") => Needs(WriteData),
        // The handler also requires the user's unit to be the district.
        ("GET" | "POST", "/admin/deadlines") => NeedsAtDistrict(WriteData),
        // Outreach: the lists, coverage and alerts read; the end action writes (through the
        // import); 我的联系户 and its visit form need LogVisits.
        ("GET", "/outreach/coverage" | "/alerts") => Needs(ReadData),
        ("GET" | "POST", p) if p.starts_with("/outreach/") && p.ends_with("/end") => {
            Needs(WriteData)
        }
        ("GET", p) if p.starts_with("/outreach/") => Needs(ReadData),
        ("GET", p) if p.starts_with("/branches/") => Needs(ReadData),
        // Branch-work steps write through the import, scoped; a contest's scores are entered
        // by its judges (the handler checks the account is one of them).
        (
            "POST",
            "/branches/projects/{no}/step"
            | "/branches/rectifications/{no}/accept"
            | "/branches/honors/{no}/step"
            | "/branches/honors/{no}/objections"
            | "/branches/contests/{no}/step",
        ) => Needs(WriteData),
        ("POST", "/branches/contests/{no}/scores") => Needs(ReadData),
        ("GET", "/industry/businesses" | "/industry/tourism") => Needs(ReadData),
        // The simpler registries (industry/more.rs, events/, conduct/): reading.
        ("GET", p)
            if p.starts_with("/industry/")
                || p.starts_with("/events/")
                || p.starts_with("/conduct/") =>
        {
            Needs(ReadData)
        }
        // Disputes: reading; printing the agreement with whole numbers takes SeePersonalData.
        (
            "GET",
            "/governance/disputes"
            | "/governance/rounds"
            | "/governance/disputes/{id}"
            | "/governance/disputes/{id}/agreement",
        ) => Needs(ReadData),
        ("POST", "/governance/disputes/{id}/agreement") => Needs(SeePersonalData),
        (
            "GET",
            "/talent/committees"
            | "/talent/succession"
            | "/talent/degree-upgrades"
            | "/talent/reserve"
            | "/talent/reserve/{id}"
            | "/talent/trainings"
            | "/talent/trainings/{no}"
            | "/talent/practice"
            | "/talent/advisors"
            | "/talent/advice"
            | "/talent/reviews",
        ) => Needs(ReadData),
        // Appointing from the pool writes a post and closes the entry (through the import).
        ("POST", "/talent/reserve/{id}/appoint") => Needs(WriteData),
        ("GET", "/my/households" | "/my/households/{id}")
        | ("POST", "/my/households/{id}/visits") => Needs(LogVisits),
        ("GET" | "POST", "/v/{code}/phones") => Needs(WriteData),
        ("GET", "/v/{code}" | "/v/{code}/poster" | "/t" | "/t/{no}")
        | ("POST", "/v/{code}/file" | "/t/{no}/verdict") => Public,
        // Open311: discovery and services are open to all; filing checks its `api_key` itself
        // (a malformed request is 400 before the key is looked at, a missing or bad key 403).
        (
            "GET",
            "/open311/v2/discovery.json"
            | "/open311/v2/discovery.xml"
            | "/open311/v2/services.json"
            | "/open311/v2/services.xml"
            | "/open311/v2/services/drinking_water.json"
            | "/open311/v2/services/drinking_water.xml",
        )
        | ("POST", "/open311/v2/requests.json" | "/open311/v2/requests.xml") => Public,
        // Listing demands needs an account that may read data (an `api_key`, or a session);
        // with `service_request_id` anyone holding the numbers may read their status.
        ("GET", "/open311/v2/requests.json" | "/open311/v2/requests.xml") => Needs(ReadData),
        _ => return None,
    })
}

/// The application's router with its middleware.
pub fn router(state: AppState) -> Router {
    let limit = state.config().upload_limit_mb * 1024 * 1024;
    Router::new()
        .route("/", get(pages::home))
        .route("/healthz", get(pages::healthz))
        .route("/readyz", get(pages::readyz))
        .route("/static/{file}", get(web::static_files::serve_static))
        .route("/lang/{lang}", get(pages::switch_lang))
        .route("/login", get(accounts::login_page).post(accounts::login))
        .route("/logout", post(accounts::logout))
        .route(
            "/login/totp",
            get(security::totp_page).post(security::totp_submit),
        )
        .route(
            "/account/totp",
            get(security::enrol_show).post(security::enrol_confirm),
        )
        .route(
            "/account/password",
            get(accounts::password_page).post(accounts::change_password),
        )
        .route("/dashboard", get(pages::dashboard))
        .route("/about", get(pages::about))
        .route("/indicators", get(indicators::show_indicators))
        .route("/indicators/{key}", get(indicators::show_indicator))
        .route("/reports", get(reports::list_reports))
        .route("/reports/download", get(reports::download_report))
        .route(
            "/reports/new",
            get(reports::new_template_page).post(reports::create_template),
        )
        .route(
            "/reports/{id}",
            get(reports::show_template).post(reports::update_template),
        )
        .route("/org-units", get(org::list_org_units))
        .route("/org-units/tree", get(org::org_tree))
        .route("/org-units/{code}", get(org::show_org_unit))
        .route("/households", get(household_pages::list_households))
        .route("/households/{id}", get(household_pages::show_household))
        .route(
            "/households/{id}/reveal",
            post(household_pages::reveal_household_phone),
        )
        .route("/people", get(people_pages::list_people))
        .route("/people/search", post(people_pages::search_people))
        .route("/people/{id}", get(people_pages::show_person))
        .route("/people/{id}/reveal", post(security::reveal_person_field))
        .route("/party-orgs", get(party_pages::list_party_orgs))
        .route("/party-orgs/{id}", get(party_pages::show_party_org))
        .route("/party-members", get(party_pages::list_party_members))
        .route("/cadres", get(cadre_pages::list_cadres))
        .route("/outreach/coverage", get(outreach::show_coverage))
        .route("/outreach/{kind}", get(outreach::list_records))
        .route(
            "/outreach/{kind}/end",
            get(outreach::end_record_page).post(outreach::end_record),
        )
        .route("/my/households", get(outreach_my::show_my_households))
        .route("/my/households/{id}", get(outreach_my::show_visit_form))
        .route("/my/households/{id}/visits", post(outreach_my::log_visit))
        .route("/alerts", get(outreach_alerts::show_alerts))
        .route(
            "/registry/{sheet}/new",
            get(registry_forms::new_record_page).post(registry_forms::create_record),
        )
        .route(
            "/registry/{sheet}/edit",
            get(registry_forms::edit_record_page).post(registry_forms::update_record),
        )
        .route(
            "/attachments",
            get(crate::attachments::pages::show).post(crate::attachments::pages::upload),
        )
        .route("/attachments/{id}", get(crate::attachments::pages::file))
        .route(
            "/attachments/{id}/delete",
            post(crate::attachments::pages::delete),
        )
        .route(
            "/imports",
            get(workbook::show_imports).post(workbook::upload_workbook),
        )
        .route("/imports/template", get(workbook::download_template))
        .route(
            "/branches/projects",
            get(crate::branches::pages::list_projects),
        )
        .route(
            "/branches/rectifications",
            get(crate::branches::pages::list_rectifications),
        )
        .route(
            "/branches/problems",
            get(crate::branches::pages::list_problems),
        )
        .route("/branches/honors", get(crate::branches::pages::list_honors))
        .route("/branches/sites", get(crate::branches::pages::list_sites))
        .route(
            "/branches/assessments",
            get(crate::branches::pages::list_assessments),
        )
        .merge(crate::branches::routes())
        .route("/imports/export", post(workbook::export_workbook))
        .route("/imports/{token}/confirm", post(workbook::confirm_import))
        .route("/imports/{token}/cancel", post(workbook::cancel_import))
        .route(
            "/imports/{token}/marked",
            get(workbook::download_marked_copy),
        )
        .route("/demands", get(demands::list_demands))
        .route(
            "/industry/businesses",
            get(crate::industry::pages::list_businesses),
        )
        .route(
            "/governance/disputes",
            get(crate::governance::disputes_pages::list_disputes),
        )
        .route(
            "/governance/rounds",
            get(crate::governance::disputes_pages::list_rounds),
        )
        .route(
            "/governance/disputes/{id}",
            get(crate::governance::disputes_pages::show_dispute),
        )
        .route(
            "/governance/disputes/{id}/agreement",
            get(crate::governance::disputes_pages::show_agreement)
                .post(crate::governance::disputes_pages::reveal_agreement),
        )
        .route(
            "/industry/tourism",
            get(crate::industry::pages::list_tourism),
        )
        .route("/industry/parks", get(crate::industry::more::list_parks))
        .route(
            "/industry/partnerships",
            get(crate::industry::more::list_partnerships),
        )
        .route("/industry/brands", get(crate::industry::more::list_brands))
        .route(
            "/industry/geo-products",
            get(crate::industry::more::list_geo_products),
        )
        .route(
            "/industry/geo-registrations",
            get(crate::industry::more::list_geo_registrations),
        )
        .route(
            "/events/law-outreach",
            get(crate::events::pages::list_law_outreach),
        )
        .route("/events/civility", get(crate::events::pages::list_civility))
        .route(
            "/conduct/study-sessions",
            get(crate::conduct::pages::list_study_sessions),
        )
        .route(
            "/conduct/findings",
            get(crate::conduct::pages::list_findings),
        )
        .route(
            "/conduct/exemplars",
            get(crate::conduct::pages::list_exemplars),
        )
        .route(
            "/conduct/exemplars/{id}",
            get(crate::conduct::pages::show_exemplar),
        )
        .route(
            "/talent/committees",
            get(crate::talent::pages::show_committees),
        )
        .route(
            "/talent/succession",
            get(crate::talent::pages::show_succession),
        )
        .route(
            "/talent/degree-upgrades",
            get(crate::talent::pages::list_degree_upgrades),
        )
        .route("/talent/reserve", get(crate::talent::pages::list_reserve))
        .route(
            "/talent/reserve/{id}",
            get(crate::talent::appoint::show_reserve),
        )
        .route(
            "/talent/reserve/{id}/appoint",
            post(crate::talent::appoint::appoint),
        )
        .route(
            "/talent/trainings",
            get(crate::talent::lists::list_trainings),
        )
        .route(
            "/talent/trainings/{no}",
            get(crate::talent::lists::show_training),
        )
        .route("/talent/practice", get(crate::talent::lists::list_practice))
        .route("/talent/advisors", get(crate::talent::lists::list_advisors))
        .route("/talent/advice", get(crate::talent::lists::list_advice))
        .route("/talent/reviews", get(crate::talent::lists::list_reviews))
        .route(
            "/demands/new",
            get(demands::new_demand_page).post(demands::create_demand),
        )
        .route("/demands/{id}", get(demands::show_demand))
        .route("/demands/{id}/act", post(demands::act_on_demand))
        .route("/todo", get(demands::show_todo))
        .route(
            "/admin/deadlines",
            get(demands::show_deadlines).post(demands::save_deadlines),
        )
        .route("/v/{code}", get(public::show_village))
        .route("/v/{code}/file", post(public::file_public_demand))
        .route("/v/{code}/poster", get(public::show_poster))
        .route(
            "/v/{code}/phones",
            get(public::show_work_phones).post(public::save_work_phones),
        )
        .route("/t", get(public::find_tracking))
        .route("/t/{no}", get(public::show_tracking))
        .route("/t/{no}/verdict", post(public::give_verdict))
        .route(
            "/open311/v2/{file}",
            get(open311::get_top).post(open311::post_top),
        )
        .route("/open311/v2/services/{file}", get(open311::get_service))
        .route("/open311/v2/requests/{file}", get(open311::get_request))
        .route("/open311/v2/tokens/{file}", get(open311::get_token))
        .route("/admin/users", get(accounts::list_users))
        .route(
            "/admin/users/new",
            get(accounts::new_user_page).post(accounts::create_user),
        )
        .route(
            "/admin/users/{id}/edit",
            get(accounts::edit_user_page).post(accounts::update_user),
        )
        .route("/admin/users/{id}/password", post(security::reset_password))
        .route("/admin/users/{id}/totp-reset", post(security::reset_totp))
        .route("/admin/audit", get(security::audit_trail))
        .route("/admin/access-log", get(security::access_log))
        .route("/api/docs", get(api::api_docs))
        .route("/api/v1/openapi.json", get(api::openapi_json))
        .route("/api/v1/me", get(accounts::api_me))
        .route("/api/v1/org-units", get(org_api::api_list_org_units))
        .route("/api/v1/org-units/{code}", get(org_api::api_get_org_unit))
        .route("/api/v1/households", get(registry_api::api_list_households))
        .route(
            "/api/v1/households/{id}",
            get(registry_api::api_get_household),
        )
        .route("/api/v1/people", get(registry_api::api_list_people))
        .route("/api/v1/people/{id}", get(registry_api::api_get_person))
        .route(
            "/api/v1/people/{id}/reveal",
            post(security::api_reveal_person_field),
        )
        .route("/api/v1/party-orgs", get(registry_api::api_list_party_orgs))
        .route(
            "/api/v1/party-members",
            get(registry_api::api_list_party_members),
        )
        .route("/api/v1/cadres", get(registry_api::api_list_cadres))
        .route(
            "/api/v1/indicators",
            get(indicators_api::api_get_indicators),
        )
        .fallback(web::not_found)
        // Layers run bottom-up on the way in: log, headers, user, password gate, errors, CSRF.
        .layer(from_fn_with_state(state.clone(), web::check_csrf))
        .layer(from_fn_with_state(state.clone(), web::render_errors))
        .layer(axum::middleware::from_fn(web::require_fresh_password))
        .layer(axum::middleware::from_fn(web::require_second_factor))
        .layer(from_fn_with_state(state.clone(), web::load_user))
        .layer(from_fn_with_state(state.clone(), web::security_headers))
        .layer(axum::middleware::from_fn(web::log_requests))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}

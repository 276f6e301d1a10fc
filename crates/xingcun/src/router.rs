//! Every route of the platform, in one place: the table of contents of the application.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};

use crate::accounts::pages as accounts;
use crate::app::AppState;
use crate::indicators::{api as indicators_api, pages as indicators};
use crate::org::{api as org_api, pages as org};
use crate::registry::api as registry_api;
use crate::registry::forms as registry_forms;
use crate::registry::pages::{
    cadres as cadre_pages, households as household_pages, party as party_pages,
    people as people_pages,
};
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
    ("GET", "/account/password"),
    ("POST", "/account/password"),
    ("GET", "/dashboard"),
    ("GET", "/about"),
    ("GET", "/indicators"),
    ("GET", "/indicators/{key}"),
    ("GET", "/org-units"),
    ("GET", "/org-units/tree"),
    ("GET", "/org-units/{code}"),
    ("GET", "/households"),
    ("GET", "/households/{id}"),
    ("GET", "/people"),
    ("POST", "/people/search"),
    ("GET", "/people/{id}"),
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
    ("GET", "/imports"),
    ("POST", "/imports"),
    ("GET", "/imports/template"),
    ("GET", "/imports/export"),
    ("POST", "/imports/{token}/confirm"),
    ("POST", "/imports/{token}/cancel"),
    ("GET", "/imports/{token}/marked"),
    ("GET", "/admin/users"),
    ("GET", "/admin/users/new"),
    ("POST", "/admin/users/new"),
    ("GET", "/admin/users/{id}/edit"),
    ("POST", "/admin/users/{id}/edit"),
    ("GET", "/api/docs"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/api/v1/me"),
    ("GET", "/api/v1/org-units"),
    ("GET", "/api/v1/org-units/{code}"),
    ("GET", "/api/v1/households"),
    ("GET", "/api/v1/households/{id}"),
    ("GET", "/api/v1/people"),
    ("GET", "/api/v1/people/{id}"),
    ("GET", "/api/v1/party-orgs"),
    ("GET", "/api/v1/party-members"),
    ("GET", "/api/v1/cadres"),
    ("GET", "/api/v1/indicators"),
];

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
            "/account/password",
            get(accounts::password_page).post(accounts::change_password),
        )
        .route("/dashboard", get(pages::dashboard))
        .route("/about", get(pages::about))
        .route("/indicators", get(indicators::show_indicators))
        .route("/indicators/{key}", get(indicators::show_indicator))
        .route("/org-units", get(org::list_org_units))
        .route("/org-units/tree", get(org::org_tree))
        .route("/org-units/{code}", get(org::show_org_unit))
        .route("/households", get(household_pages::list_households))
        .route("/households/{id}", get(household_pages::show_household))
        .route("/people", get(people_pages::list_people))
        .route("/people/search", post(people_pages::search_people))
        .route("/people/{id}", get(people_pages::show_person))
        .route("/party-orgs", get(party_pages::list_party_orgs))
        .route("/party-orgs/{id}", get(party_pages::show_party_org))
        .route("/party-members", get(party_pages::list_party_members))
        .route("/cadres", get(cadre_pages::list_cadres))
        .route(
            "/registry/{sheet}/new",
            get(registry_forms::new_record_page).post(registry_forms::create_record),
        )
        .route(
            "/registry/{sheet}/edit",
            get(registry_forms::edit_record_page).post(registry_forms::update_record),
        )
        .route(
            "/imports",
            get(workbook::show_imports).post(workbook::upload_workbook),
        )
        .route("/imports/template", get(workbook::download_template))
        .route("/imports/export", get(workbook::export_workbook))
        .route("/imports/{token}/confirm", post(workbook::confirm_import))
        .route("/imports/{token}/cancel", post(workbook::cancel_import))
        .route(
            "/imports/{token}/marked",
            get(workbook::download_marked_copy),
        )
        .route("/admin/users", get(accounts::list_users))
        .route(
            "/admin/users/new",
            get(accounts::new_user_page).post(accounts::create_user),
        )
        .route(
            "/admin/users/{id}/edit",
            get(accounts::edit_user_page).post(accounts::update_user),
        )
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
        .layer(from_fn_with_state(state.clone(), web::load_user))
        .layer(from_fn_with_state(state.clone(), web::security_headers))
        .layer(axum::middleware::from_fn(web::log_requests))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}

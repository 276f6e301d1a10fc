//! The HTML templates, embedded in the binary, and the one minijinja environment that renders
//! them with auto-escaping. Pages are only ever built here, never with `format!`.

use minijinja::{Environment, State, Value};

use super::i18n::{Lang, translate};

/// Every template, by name. Add a new page here.
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "layout/base.html",
        include_str!("../../templates/layout/base.html"),
    ),
    (
        "layout/app.html",
        include_str!("../../templates/layout/app.html"),
    ),
    (
        "partials/list.html",
        include_str!("../../templates/partials/list.html"),
    ),
    (
        "partials/form.html",
        include_str!("../../templates/partials/form.html"),
    ),
    (
        "partials/charts.html",
        include_str!("../../templates/partials/charts.html"),
    ),
    (
        "pages/login.html",
        include_str!("../../templates/pages/login.html"),
    ),
    (
        "pages/error.html",
        include_str!("../../templates/pages/error.html"),
    ),
    (
        "pages/dashboard.html",
        include_str!("../../templates/pages/dashboard.html"),
    ),
    (
        "pages/about.html",
        include_str!("../../templates/pages/about.html"),
    ),
    (
        "pages/api_docs.html",
        include_str!("../../templates/pages/api_docs.html"),
    ),
    (
        "pages/org_units.html",
        include_str!("../../templates/pages/org_units.html"),
    ),
    (
        "pages/org_unit.html",
        include_str!("../../templates/pages/org_unit.html"),
    ),
    (
        "pages/user_form.html",
        include_str!("../../templates/pages/user_form.html"),
    ),
    (
        "pages/totp_code.html",
        include_str!("../../templates/pages/totp_code.html"),
    ),
    (
        "pages/totp_enrol.html",
        include_str!("../../templates/pages/totp_enrol.html"),
    ),
    (
        "pages/password.html",
        include_str!("../../templates/pages/password.html"),
    ),
    (
        "pages/list.html",
        include_str!("../../templates/pages/list.html"),
    ),
    (
        "pages/dispute.html",
        include_str!("../../templates/pages/dispute.html"),
    ),
    (
        "pages/dispute_agreement.html",
        include_str!("../../templates/pages/dispute_agreement.html"),
    ),
    (
        "pages/demand.html",
        include_str!("../../templates/pages/demand.html"),
    ),
    (
        "pages/demand_form.html",
        include_str!("../../templates/pages/demand_form.html"),
    ),
    (
        "pages/todo.html",
        include_str!("../../templates/pages/todo.html"),
    ),
    (
        "pages/work_phones.html",
        include_str!("../../templates/pages/work_phones.html"),
    ),
    (
        "pages/public_village.html",
        include_str!("../../templates/pages/public_village.html"),
    ),
    (
        "pages/public_poster.html",
        include_str!("../../templates/pages/public_poster.html"),
    ),
    (
        "pages/public_track.html",
        include_str!("../../templates/pages/public_track.html"),
    ),
    (
        "pages/deadlines.html",
        include_str!("../../templates/pages/deadlines.html"),
    ),
    (
        "pages/registry_people.html",
        include_str!("../../templates/pages/registry_people.html"),
    ),
    (
        "pages/registry_household.html",
        include_str!("../../templates/pages/registry_household.html"),
    ),
    (
        "pages/registry_person.html",
        include_str!("../../templates/pages/registry_person.html"),
    ),
    (
        "pages/talent_reserve.html",
        include_str!("../../templates/pages/talent_reserve.html"),
    ),
    (
        "pages/exemplar.html",
        include_str!("../../templates/pages/exemplar.html"),
    ),
    (
        "pages/registry_party_org.html",
        include_str!("../../templates/pages/registry_party_org.html"),
    ),
    (
        "pages/registry_form.html",
        include_str!("../../templates/pages/registry_form.html"),
    ),
    (
        "pages/imports.html",
        include_str!("../../templates/pages/imports.html"),
    ),
    (
        "pages/attachments.html",
        include_str!("../../templates/pages/attachments.html"),
    ),
    (
        "pages/imports_result.html",
        include_str!("../../templates/pages/imports_result.html"),
    ),
    (
        "pages/indicators.html",
        include_str!("../../templates/pages/indicators.html"),
    ),
    (
        "pages/indicators_detail.html",
        include_str!("../../templates/pages/indicators_detail.html"),
    ),
    (
        "pages/reports.html",
        include_str!("../../templates/pages/reports.html"),
    ),
    (
        "pages/report_form.html",
        include_str!("../../templates/pages/report_form.html"),
    ),
    (
        "partials/report_document.html",
        include_str!("../../templates/partials/report_document.html"),
    ),
    (
        "pages/outreach_coverage.html",
        include_str!("../../templates/pages/outreach_coverage.html"),
    ),
    (
        "pages/outreach_end.html",
        include_str!("../../templates/pages/outreach_end.html"),
    ),
    (
        "pages/my_households.html",
        include_str!("../../templates/pages/my_households.html"),
    ),
    (
        "pages/my_visit.html",
        include_str!("../../templates/pages/my_visit.html"),
    ),
    (
        "pages/branches_record.html",
        include_str!("../../templates/pages/branches_record.html"),
    ),
];

/// Builds the environment: templates, auto-escaping for `.html`, the `t()` function and the
/// `urlencode` filter (a query-string value).
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .unwrap_or_else(|e| panic!("template {name} does not parse: {e}"));
    }
    env.add_function("t", t);
    env.add_filter("urlencode", |s: String| crate::web::urlencode(&s));
    env
}

/// `{{ t("key") }}`: the key's words in the page's language (the `lang` variable).
fn t(state: &State, key: &str) -> String {
    let lang = state.lookup("lang");
    let lang = Lang::from_cookie(lang.as_ref().and_then(Value::as_str));
    translate(lang, key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::i18n::MESSAGES;

    #[test]
    fn every_template_parses() {
        let env = environment();
        for (name, _) in TEMPLATES {
            assert!(env.get_template(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn every_message_key_used_in_a_template_exists() {
        let mut missing = Vec::new();
        for (name, source) in TEMPLATES {
            for (i, _) in source.match_indices("t(\"") {
                // `t(` as a call of its own, not the end of `select(` or `alert(`.
                if source[..i]
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
                {
                    continue;
                }
                let key = source[i + 3..].split('"').next().unwrap_or_default();
                if !MESSAGES.iter().any(|m| m.0 == key) {
                    missing.push(format!("{name}: {key}"));
                }
            }
        }
        assert!(missing.is_empty(), "missing message keys: {missing:?}");
    }
}

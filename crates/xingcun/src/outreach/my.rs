//! 我的联系户 (`/my/households`): a party member's linked households on a phone, each with its
//! last visit, and the visit form — one tap on a household, an optional note, the date set to
//! today, submit. A visit is written as a 走访 record through the import ([`super::import_row`]).
//!
//! The account's person (`app_user.person_id`, see `accounts::link_person`) decides whose
//! households these are; a household not linked to that person today is 404.
//!
//! [`save_visit`] is the one step that writes: it takes a parsed [`VisitForm`] and returns the
//! [`SavedVisit`], so a further step (raising a problem from the visit) is added after it.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use minijinja::context;
use serde::{Deserialize, Serialize};
use sqlx::{AnyPool, Row};

use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::registry::personal::{self, AAD_PERSON_ID};
use crate::scope::Scope;
use crate::web::list::Crumb;
use crate::web::{Ctx, render};
use crate::workbook::sheets;

/// A household linked to the person today.
#[derive(Debug, Clone, Serialize)]
pub struct MyHousehold {
    pub id: i64,
    pub household_no: String,
    pub head_name: Option<String>,
    pub org_name: String,
    pub group_name: Option<String>,
    /// The latest visit to the household by anyone, if any.
    pub last_visit: Option<String>,
}

/// A link is the person's today when it started on or before today and has not ended; the
/// household is not 注销.
const LINKED_TODAY: &str = "
    FROM household_link l
    JOIN household h ON h.id = l.household_id
    JOIN org_unit o ON o.code = h.org_code
    WHERE l.person_id = $1 AND h.org_code >= $2 AND h.org_code < $3
      AND l.starts_on <= $4 AND (l.ends_on IS NULL OR l.ends_on > $4)
      AND (h.deregistered_on IS NULL OR h.deregistered_on > $4)";

/// The households linked to `person` today, by 户编号.
pub async fn my_households(
    pool: &AnyPool,
    scope: &Scope,
    person: i64,
    today: NaiveDate,
) -> AppResult<Vec<MyHousehold>> {
    let (lo, hi) = scope.bounds();
    let sql = format!(
        "SELECT DISTINCT h.id, h.household_no,
            (SELECT p.name FROM person p WHERE p.household_id = h.id AND p.relation = 'household_head'
             ORDER BY p.id LIMIT 1),
            o.name, h.group_name,
            (SELECT MAX(v.visited_on) FROM visit v WHERE v.household_id = h.id)
         {LINKED_TODAY}
         ORDER BY h.household_no"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(person)
        .bind(lo)
        .bind(hi)
        .bind(today.to_string())
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(MyHousehold {
                id: r.try_get(0)?,
                household_no: r.try_get(1)?,
                head_name: r.try_get(2)?,
                org_name: r.try_get(3)?,
                group_name: r.try_get(4)?,
                last_visit: r.try_get(5)?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

/// One of the person's households today, or `NotFound`.
pub async fn my_household(
    pool: &AnyPool,
    scope: &Scope,
    person: i64,
    household: i64,
    today: NaiveDate,
) -> AppResult<MyHousehold> {
    my_households(pool, scope, person, today)
        .await?
        .into_iter()
        .find(|h| h.id == household)
        .ok_or(AppError::NotFound)
}

/// A visit as submitted, parsed.
#[derive(Debug, Clone)]
pub struct VisitForm {
    pub household_id: i64,
    pub visited_on: NaiveDate,
    pub notes: Option<String>,
}

/// A visit as written.
#[derive(Debug, Clone, Serialize)]
pub struct SavedVisit {
    pub id: i64,
    pub visit_no: String,
    pub household_id: i64,
    pub household_no: String,
    pub visited_on: String,
}

/// The fields of the visit form, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct VisitFields {
    #[serde(default)]
    pub visited_on: String,
    #[serde(default)]
    pub notes: String,
    /// A problem the household raised (诉求), optional: filed with the visit.
    #[serde(default)]
    pub problem: String,
    #[serde(default)]
    pub problem_category: String,
    #[serde(default)]
    pub problem_field: String,
}

/// Reads the visit form: the date (today when empty) may not lie after today; the note is
/// trimmed, at most 2,000 characters.
pub fn parse_visit(
    household_id: i64,
    f: &VisitFields,
    today: NaiveDate,
) -> Result<VisitForm, String> {
    let visited_on = match f.visited_on.trim() {
        "" => today,
        s => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| "走访日期格式应为 YYYY-MM-DD".to_string())?,
    };
    if visited_on > today {
        return Err("走访日期不能晚于今天".into());
    }
    let notes = f.notes.trim();
    if notes.chars().count() > 2000 {
        return Err("情况记录不能超过 2000 字".into());
    }
    Ok(VisitForm {
        household_id,
        visited_on,
        notes: (!notes.is_empty()).then(|| notes.to_string()),
    })
}

/// The account's person, or a 404 page's error for an account without one.
fn person_of(user: &CurrentUser) -> AppResult<i64> {
    user.require(Permission::LogVisits)?;
    user.person_id.ok_or(AppError::NotFound)
}

/// Writes the visit of the user's person to one of their households as a 走访 record through
/// the import, and returns it. `Invalid` when the import refuses it (nothing written).
pub async fn save_visit(
    state: &AppState,
    user: &CurrentUser,
    form: &VisitForm,
) -> AppResult<SavedVisit> {
    let person = person_of(user)?;
    let pool = &state.db().pool;
    let today = crate::dates::today();
    let household = my_household(pool, &user.scope, person, form.household_id, today).await?;
    let id_enc: String = sqlx::query("SELECT id_enc FROM person WHERE id = $1")
        .bind(person)
        .fetch_one(pool)
        .await?
        .try_get(0)?;
    let id_number = personal::open(state.crypto(), &id_enc, AAD_PERSON_ID)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("stored ID number does not open")))?;
    let visit_no = format!(
        "ZF{}{}",
        form.visited_on.format("%Y%m%d"),
        xingcun_crypto::random_token(8)
            .to_uppercase()
            .replace(['-', '_'], "X")
    );
    let sheet = &sheets::VISITS;
    let mut values = vec![None; sheet.columns.len()];
    values[sheet.index("走访编号")] = Some(visit_no.clone());
    values[sheet.index("户编号")] = Some(household.household_no.clone());
    values[sheet.index("走访人身份证号")] = Some(id_number);
    values[sheet.index("走访日期")] = Some(form.visited_on.to_string());
    values[sheet.index("情况记录")] = form.notes.clone();
    if let Err(problems) = super::import_row(state, user, sheet, values).await? {
        return Err(AppError::Invalid(super::messages(&problems).join("；")));
    }
    let id: i64 = sqlx::query("SELECT id FROM visit WHERE visit_no = $1")
        .bind(visit_no.clone())
        .fetch_one(pool)
        .await?
        .try_get(0)?;
    Ok(SavedVisit {
        id,
        visit_no,
        household_id: household.id,
        household_no: household.household_no,
        visited_on: form.visited_on.to_string(),
    })
}

/// Files the problem raised on a visit as a demand (来源 走访收集) of the household's unit.
async fn raise_problem(
    state: &AppState,
    user: &CurrentUser,
    visit: &SavedVisit,
    fields: &VisitFields,
    problem: &str,
) -> AppResult<crate::demands::Filed> {
    use xingcun_domain::enums::{DemandCategory, DemandField, DemandSource};
    let org: String = sqlx::query_scalar("SELECT org_code FROM household WHERE id = $1")
        .bind(visit.household_id)
        .fetch_one(&state.db().pool)
        .await?;
    let new = crate::demands::NewDemand {
        org_code: org,
        household_id: Some(visit.household_id),
        reporter_id: None,
        contact_name_enc: None,
        contact_phone: None,
        source: Some(DemandSource::Visit),
        category: DemandCategory::from_code(fields.problem_category.trim()),
        field: DemandField::from_code(fields.problem_field.trim()),
        content: problem.to_string(),
        address: None,
        lat: None,
        lon: None,
        registered_on: visit
            .visited_on
            .parse()
            .unwrap_or_else(|_| crate::dates::today()),
        channel: crate::demands::Channel::Visit,
        visit_id: Some(visit.id),
    };
    state
        .intake()
        .file(new, crate::demands::pages::actor_of(user))
        .await
}

fn crumbs(household: Option<&str>) -> Vec<Crumb> {
    let mut c = vec![Crumb {
        label: "我的联系户".into(),
        href: household.map(|_| "/my/households".to_string()),
    }];
    if let Some(h) = household {
        c.push(Crumb {
            label: h.into(),
            href: None,
        });
    }
    c
}

#[derive(Debug, Deserialize, Default)]
pub struct MyParams {
    /// The 走访编号 just written, to confirm it.
    pub logged: Option<String>,
    /// The 诉求编号 filed with it, if a problem was raised.
    pub demand: Option<String>,
}

/// `GET /my/households`: the list; one tap on a household opens its visit form.
pub async fn show_my_households(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Query(p): Query<MyParams>,
) -> AppResult<Response> {
    user.require(Permission::LogVisits)?;
    let today = crate::dates::today();
    let households = match user.person_id {
        Some(person) => my_households(&state.db().pool, &user.scope, person, today).await?,
        None => Vec::new(),
    };
    Ok(render(
        &state,
        &ctx,
        "pages/my_households.html",
        context! {
            crumbs => crumbs(None),
            linked => user.person_id.is_some(),
            households => households,
            logged => p.logged,
            demand => p.demand,
            today => today.to_string(),
        },
    )?
    .into_response())
}

fn visit_page(
    state: &AppState,
    ctx: &Ctx,
    household: &MyHousehold,
    fields: &VisitFields,
    error: Option<String>,
) -> AppResult<axum::response::Html<String>> {
    render(
        state,
        ctx,
        "pages/my_visit.html",
        context! {
            crumbs => crumbs(Some(&household.household_no)),
            household => household,
            form => fields,
            error => error,
            today => crate::dates::today().to_string(),
            categories => crate::registry::pages::options(
                xingcun_domain::enums::DemandCategory::ALL.iter().map(|c| (c.code(), c.label()))
            ),
            fields => crate::registry::pages::options(
                xingcun_domain::enums::DemandField::ALL.iter().map(|c| (c.code(), c.label()))
            ),
        },
    )
}

/// `GET /my/households/{id}`: the visit form of one of the user's households. An account not
/// linked to a person goes back to the list, which says so.
pub async fn show_visit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    user.require(Permission::LogVisits)?;
    if user.person_id.is_none() {
        return Ok(Redirect::to("/my/households").into_response());
    }
    let person = person_of(&user)?;
    let today = crate::dates::today();
    let household = my_household(&state.db().pool, &user.scope, person, id, today).await?;
    let fields = VisitFields {
        visited_on: today.to_string(),
        ..Default::default()
    };
    Ok(visit_page(&state, &ctx, &household, &fields, None)?.into_response())
}

/// `POST /my/households/{id}/visits`: logs the visit, back to the list with its number.
pub async fn log_visit(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(fields): Form<VisitFields>,
) -> AppResult<Response> {
    user.require(Permission::LogVisits)?;
    if user.person_id.is_none() {
        return Ok(Redirect::to("/my/households").into_response());
    }
    let person = person_of(&user)?;
    let today = crate::dates::today();
    let household = my_household(&state.db().pool, &user.scope, person, id, today).await?;
    let refused = |msg: String| -> AppResult<Response> {
        Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            visit_page(&state, &ctx, &household, &fields, Some(msg))?,
        )
            .into_response())
    };
    let form = match parse_visit(id, &fields, today) {
        Ok(f) => f,
        Err(msg) => return refused(msg),
    };
    let problem = fields.problem.trim();
    if problem.chars().count() > 2000 {
        return refused("反映的问题不能超过 2000 字".into());
    }
    match save_visit(&state, &user, &form).await {
        Ok(saved) => {
            let mut to = format!(
                "/my/households?logged={}",
                crate::web::urlencode(&saved.visit_no)
            );
            if !problem.is_empty() {
                let filed = raise_problem(&state, &user, &saved, &fields, problem).await?;
                to.push_str(&format!(
                    "&demand={}",
                    crate::web::urlencode(&filed.demand_no)
                ));
            }
            Ok(Redirect::to(&to).into_response())
        }
        Err(AppError::Invalid(msg)) => refused(msg),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_visit_defaults_to_today_and_may_not_lie_ahead() {
        let today = day("2026-06-30");
        let f = parse_visit(7, &VisitFields::default(), today).unwrap();
        assert_eq!((f.household_id, f.visited_on, f.notes), (7, today, None));
        let ahead = VisitFields {
            visited_on: "2026-07-01".into(),
            notes: "  ".into(),
            ..Default::default()
        };
        assert!(parse_visit(7, &ahead, today).is_err());
        let noted = VisitFields {
            visited_on: "2026-06-01".into(),
            notes: " 门前路灯坏了 ".into(),
            ..Default::default()
        };
        let f = parse_visit(7, &noted, today).unwrap();
        assert_eq!(f.notes.as_deref(), Some("门前路灯坏了"));
        assert!(
            parse_visit(
                7,
                &VisitFields {
                    visited_on: "6/1".into(),
                    ..Default::default()
                },
                today
            )
            .is_err()
        );
    }
}

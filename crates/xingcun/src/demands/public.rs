//! The pages villagers use without an account: their village's page (`/v/{code}`) — whom to
//! turn to (有事找谁), the problems solved there (no personal details), and a form to raise a
//! problem, which returns a tracking number — the printable QR poster for the notice board
//! (`/v/{code}/poster`), and the tracking page (`/t/{no}`) where the villager follows progress
//! and gives a verdict. Filing is rate-limited per address.

use axum::Form;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};
use sqlx::{AnyPool, Row};
use xingcun_domain::enums::{DemandCategory, DemandField, DemandStatus, Outcome, Satisfaction};

use super::Channel;
use super::pages::{DemandForm, parse_form_at};
use crate::app::AppState;
use crate::audit::Actor;
use crate::dates;
use crate::error::{AppError, AppResult};
use crate::org::OrgUnit;
use crate::registry::pages::options;
use crate::scope::Scope;
use crate::web::{Ctx, render};

/// The socket's peer address, when the server was started with connect info (tests calling the
/// router directly have none).
fn peer(ext: &axum::http::Extensions) -> Option<std::net::SocketAddr> {
    ext.get::<ConnectInfo<std::net::SocketAddr>>().map(|c| c.0)
}

/// A villager arrives without any cookie: give the browser the anonymous cookie the form's
/// CSRF token is bound to (as the sign-in page does), and the token to this page.
fn anonymous_cookie(state: &AppState, ctx: &mut Ctx) -> Option<String> {
    if !ctx.csrf.is_empty() {
        return None;
    }
    let anon = xingcun_crypto::random_token(24);
    ctx.csrf = crate::web::csrf_for(state, &anon);
    Some(crate::web::cookies::set(
        crate::web::cookies::ANON,
        &anon,
        None,
        state.config().secure_cookies,
    ))
}

fn with_cookie(mut resp: Response, cookie: Option<String>) -> Response {
    if let Some(c) = cookie
        && let Ok(v) = c.parse()
    {
        resp.headers_mut().append(axum::http::header::SET_COOKIE, v);
    }
    resp
}

/// One person to turn to.
#[derive(Debug, Clone, Serialize)]
pub struct Contact {
    pub name: String,
    pub role: String,
    pub phone: Option<String>,
}

/// A grid with its cadres and the party members linked to its households.
#[derive(Debug, Clone, Serialize)]
pub struct GridContacts {
    pub code: String,
    pub name: String,
    pub cadres: Vec<Contact>,
    pub members: Vec<Contact>,
}

/// 有事找谁 for a village on a day.
#[derive(Debug, Clone, Serialize)]
pub struct WhoToAsk {
    pub leaders: Vec<Contact>,
    pub stationed: Vec<Contact>,
    pub grids: Vec<GridContacts>,
}

async fn contacts(
    pool: &AnyPool,
    sql: &str,
    binds: &[String],
    role: &str,
) -> AppResult<Vec<(String, Contact)>> {
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()));
    for b in binds {
        q = q.bind(b.clone());
    }
    let rows = q.fetch_all(pool).await?;
    rows.iter()
        .map(|r| {
            let role_code: Option<String> = r.try_get(3)?;
            let role = role_code
                .as_deref()
                .and_then(xingcun_domain::enums::StationRole::from_code)
                .map(|s| s.label().to_string())
                .unwrap_or_else(|| role.to_string());
            Ok((
                r.try_get::<String, _>(0)?,
                Contact {
                    name: r.try_get(1)?,
                    role,
                    phone: r.try_get(2)?,
                },
            ))
        })
        .collect()
}

/// Whom the villagers of `village` turn to on `day`: the township leader responsible, the
/// cadres stationed there, and for each grid its cadres and linked party members.
pub async fn who_to_ask(pool: &AnyPool, village: &OrgUnit, day: &str) -> AppResult<WhoToAsk> {
    let active = "starts_on <= $2 AND (ends_on IS NULL OR ends_on > $2)";
    let binds = [village.code.clone(), day.to_string()];
    let leaders = contacts(
        pool,
        &format!(
            "SELECT t.org_code, p.name, w.phone, NULL FROM village_contact t
               JOIN person p ON p.id = t.person_id LEFT JOIN work_phone w ON w.person_id = p.id
              WHERE t.org_code = $1 AND {active} ORDER BY p.name"
        ),
        &binds,
        "包村领导",
    )
    .await?;
    let stationed = contacts(
        pool,
        &format!(
            "SELECT t.org_code, p.name, w.phone, t.role FROM stationing t
               JOIN person p ON p.id = t.person_id LEFT JOIN work_phone w ON w.person_id = p.id
              WHERE t.org_code = $1 AND {active} ORDER BY p.name"
        ),
        &binds,
        "驻村干部",
    )
    .await?;
    let (lo, hi) = village.scope().bounds();
    let range = [lo, hi, day.to_string()];
    let grid_rows = sqlx::query(
        "SELECT code, name FROM org_unit WHERE code >= $1 AND code < $2 AND kind = 'grid'
            AND (revoked_on IS NULL OR revoked_on > $3) ORDER BY code",
    )
    .bind(range[0].clone())
    .bind(range[1].clone())
    .bind(day.to_string())
    .fetch_all(pool)
    .await?;
    let active3 = "starts_on <= $3 AND (ends_on IS NULL OR ends_on > $3)";
    let cadres = contacts(
        pool,
        &format!(
            "SELECT t.org_code, p.name, w.phone, NULL FROM grid_duty t
               JOIN person p ON p.id = t.person_id LEFT JOIN work_phone w ON w.person_id = p.id
              WHERE t.org_code >= $1 AND t.org_code < $2 AND {active3} ORDER BY p.name"
        ),
        &range,
        "网格员",
    )
    .await?;
    let members = contacts(
        pool,
        &format!(
            "SELECT DISTINCT h.org_code, p.name, w.phone, NULL FROM household_link t
               JOIN household h ON h.id = t.household_id
               JOIN person p ON p.id = t.person_id LEFT JOIN work_phone w ON w.person_id = p.id
              WHERE t.org_code >= $1 AND t.org_code < $2 AND {active3} ORDER BY p.name"
        ),
        &range,
        "联户党员",
    )
    .await?;
    let mut grids = Vec::new();
    for r in grid_rows {
        let code: String = r.try_get(0)?;
        grids.push(GridContacts {
            name: r.try_get(1)?,
            cadres: cadres
                .iter()
                .filter(|(g, _)| *g == code)
                .map(|(_, c)| c.clone())
                .collect(),
            members: members
                .iter()
                .filter(|(g, _)| *g == code)
                .map(|(_, c)| c.clone())
                .collect(),
            code,
        });
    }
    Ok(WhoToAsk {
        leaders: leaders.into_iter().map(|(_, c)| c).collect(),
        stationed: stationed.into_iter().map(|(_, c)| c).collect(),
        grids,
    })
}

/// A solved problem as the public page lists it: no content, no names.
#[derive(Debug, Clone, Serialize)]
pub struct Solved {
    pub field: Option<&'static str>,
    pub category: Option<&'static str>,
    pub registered_on: String,
    pub concluded_on: String,
    pub outcome: Option<&'static str>,
}

/// The latest demands of a village concluded as solved.
pub async fn solved(pool: &AnyPool, village: &OrgUnit, limit: i64) -> AppResult<Vec<Solved>> {
    let (lo, hi) = village.scope().bounds();
    let rows = sqlx::query(
        "SELECT field, category, registered_on, concluded_on, outcome FROM demand
          WHERE org_code >= $1 AND org_code < $2 AND outcome IN ('solved', 'partly_solved')
            AND status IN ('concluded', 'closed')
          ORDER BY concluded_on DESC, id DESC LIMIT $3",
    )
    .bind(lo)
    .bind(hi)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Solved {
                field: r
                    .try_get::<Option<String>, _>(0)?
                    .as_deref()
                    .and_then(DemandField::from_code)
                    .map(|f| f.label()),
                category: r
                    .try_get::<Option<String>, _>(1)?
                    .as_deref()
                    .and_then(DemandCategory::from_code)
                    .map(|f| f.label()),
                registered_on: r.try_get(2)?,
                concluded_on: r.try_get(3)?,
                outcome: r
                    .try_get::<Option<String>, _>(4)?
                    .as_deref()
                    .and_then(Outcome::from_code)
                    .map(|f| f.label()),
            })
        })
        .collect()
}

/// A village or community by code (the public pages know nothing else).
async fn village(pool: &AnyPool, code: &str) -> AppResult<OrgUnit> {
    let unit = crate::org::get(pool, &Scope::everything(), code).await?;
    if !unit.kind().is_village() {
        return Err(AppError::NotFound);
    }
    Ok(unit)
}

/// The public page's own address, for the poster's QR code: the configured public URL, else
/// the address the request came in on.
fn public_base(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(u) = &state.config().public_url {
        return u.trim_end_matches('/').to_string();
    }
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    format!("http://{host}")
}

async fn village_page(
    state: &AppState,
    ctx: &Ctx,
    unit: &OrgUnit,
    form: &DemandForm,
    errors: std::collections::BTreeMap<&'static str, String>,
) -> AppResult<Response> {
    let pool = &state.db().pool;
    let today = dates::today().to_string();
    let who = who_to_ask(pool, unit, &today).await?;
    let solved = solved(pool, unit, 20).await?;
    let grids: Vec<(String, String)> = who
        .grids
        .iter()
        .map(|g| (g.code.clone(), g.name.clone()))
        .collect();
    let mut resp = render(
        state,
        ctx,
        "pages/public_village.html",
        context! {
            unit => unit,
            who => who,
            solved => solved,
            form => form,
            errors => errors,
            grids => grids,
            categories => options(DemandCategory::ALL.iter().map(|s| (s.code(), s.label()))),
            fields => options(DemandField::ALL.iter().map(|s| (s.code(), s.label()))),
        },
    )?
    .into_response();
    if ctx.path.ends_with("/file") {
        *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}

/// `GET /v/{code}`.
pub async fn show_village(
    State(state): State<AppState>,
    mut ctx: Ctx,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let unit = village(&state.db().pool, &code).await?;
    let cookie = anonymous_cookie(&state, &mut ctx);
    let form = DemandForm::default();
    let page = village_page(&state, &ctx, &unit, &form, Default::default()).await?;
    Ok(with_cookie(page, cookie))
}

/// The public filing form.
#[derive(Debug, Deserialize)]
pub struct PublicForm {
    pub grid: Option<String>,
    pub category: Option<String>,
    pub field: Option<String>,
    pub content: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
}

/// `POST /v/{code}/file`: files the problem and shows its tracking page.
pub async fn file_public_demand(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    ext: axum::http::Extensions,
    headers: HeaderMap,
    Form(f): Form<PublicForm>,
) -> AppResult<Response> {
    let unit = village(&state.db().pool, &code).await?;
    let ip =
        crate::web::rate_limit::client_ip(&headers, peer(&ext), state.config().trust_forwarded_for);
    let per_hour = state.config().public_filings_per_hour;
    // A token bucket refilled per minute: per_hour/60 a minute, a burst of per_hour.
    if per_hour > 0
        && !state.limiter().allow(
            &format!("public-demand:{ip}"),
            per_hour.div_ceil(60),
            per_hour,
        )
    {
        return Err(AppError::TooManyRequests);
    }
    // The grid, if named, must be one of this village's.
    let org = match f.grid.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
        Some(g) if g.starts_with(unit.scope().prefix()) => g.to_string(),
        _ => unit.code.clone(),
    };
    let form = DemandForm {
        org: Some(org),
        household_no: None,
        source: Some("other".into()),
        category: f.category.clone(),
        field: f.field.clone(),
        content: f.content.clone(),
        contact_name: f.contact_name.clone(),
        contact_phone: f.contact_phone.clone(),
    };
    match parse_form_at(&state, &unit.scope(), &form, Channel::Public, Some(&unit)).await {
        Ok(new) => {
            let actor = Actor {
                user_id: None,
                name: "群众".into(),
            };
            let filed = state.intake().file(new, actor).await?;
            Ok(Redirect::to(&format!("/t/{}?new=1", filed.demand_no)).into_response())
        }
        Err(errors) => village_page(&state, &ctx, &unit, &form, errors).await,
    }
}

/// `GET /v/{code}/poster`: the printable poster with the page's QR code.
pub async fn show_poster(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let unit = village(&state.db().pool, &code).await?;
    let url = format!("{}/v/{}", public_base(&state, &headers), unit.code);
    Ok(render(
        &state,
        &ctx,
        "pages/public_poster.html",
        context! {
            unit => unit,
            url => url,
            qr => minijinja::Value::from_safe_string(crate::web::qr::qr_svg(&url)),
        },
    )?
    .into_response())
}

#[derive(Debug, Deserialize, Default)]
pub struct TrackParams {
    pub no: Option<String>,
    pub new: Option<String>,
}

/// `GET /t?no=…`: the look-up form, or straight to the demand.
pub async fn find_tracking(Query(q): Query<TrackParams>) -> Response {
    match q.no.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        Some(no) => Redirect::to(&format!("/t/{}", crate::web::urlencode(&no.to_uppercase())))
            .into_response(),
        None => Redirect::to("/t/-").into_response(),
    }
}

/// `GET /t/{no}`: progress of a demand, its public log, and the verdict form once concluded.
pub async fn show_tracking(
    State(state): State<AppState>,
    mut ctx: Ctx,
    Path(no): Path<String>,
    Query(q): Query<TrackParams>,
) -> AppResult<Response> {
    let cookie = anonymous_cookie(&state, &mut ctx);
    let page = tracking_page(&state, &ctx, &no, q.new.is_some(), None).await?;
    Ok(with_cookie(page, cookie))
}

async fn tracking_page(
    state: &AppState,
    ctx: &Ctx,
    no: &str,
    new: bool,
    error: Option<String>,
) -> AppResult<Response> {
    let pool = &state.db().pool;
    if no == "-" {
        return Ok(
            render(state, ctx, "pages/public_track.html", context! { d => () })?.into_response(),
        );
    }
    let d = match super::get_by_no(pool, no).await {
        Ok(d) => d,
        Err(AppError::NotFound) => {
            let mut resp = render(
                state,
                ctx,
                "pages/public_track.html",
                context! { d => (), not_found => no },
            )?
            .into_response();
            *resp.status_mut() = axum::http::StatusCode::NOT_FOUND;
            return Ok(resp);
        }
        Err(e) => return Err(e),
    };
    let events = super::events(pool, super::DemandId(d.id), true).await?;
    // The villager sees the steps, not the staff's names.
    let steps: Vec<_> = events
        .iter()
        .map(|e| {
            context! {
                at => e.at_text, action => e.action_label, to_org => e.to_org_name,
                status => e.to_status_label, comment => e.comment,
            }
        })
        .collect();
    let mut resp = render(
        state,
        ctx,
        "pages/public_track.html",
        context! {
            d => context! {
                demand_no => d.demand_no, org_name => d.org_name, registered_on => d.registered_on,
                deadline_on => d.deadline_on, handler => d.handler_org_name,
                concluded_on => d.concluded_on, status => d.status,
            },
            l => super::labels(&d),
            steps => steps,
            can_judge => d.status() == DemandStatus::Concluded,
            verdicts => options(Satisfaction::ALL.iter().map(|s| (s.code(), s.label()))),
            new => new,
            error => error,
        },
    )?
    .into_response();
    if error.is_some() {
        *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}

#[derive(Debug, Deserialize)]
pub struct VerdictForm {
    pub verdict: Option<String>,
    pub comment: Option<String>,
}

/// `POST /t/{no}/verdict`: 满意 / 基本满意 closes the demand; 不满意 reopens it.
pub async fn give_verdict(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(no): Path<String>,
    ext: axum::http::Extensions,
    headers: HeaderMap,
    Form(f): Form<VerdictForm>,
) -> AppResult<Response> {
    let ip =
        crate::web::rate_limit::client_ip(&headers, peer(&ext), state.config().trust_forwarded_for);
    if !state.limiter().allow(&format!("verdict:{ip}"), 10, 10) {
        return Err(AppError::TooManyRequests);
    }
    let Some(verdict) = f.verdict.as_deref().and_then(Satisfaction::from_code) else {
        return tracking_page(&state, &ctx, &no, false, Some("请选择您的评价".into())).await;
    };
    let comment = f
        .comment
        .as_deref()
        .map(|c| c.chars().take(500).collect::<String>());
    match super::give_verdict(state.db(), &no, verdict, comment, dates::today()).await {
        Ok(_) => Ok(Redirect::to(&format!("/t/{no}")).into_response()),
        Err(AppError::BadRequest(msg)) => tracking_page(&state, &ctx, &no, false, Some(msg)).await,
        Err(e) => Err(e),
    }
}

/// Sets (or, with `None`, removes) a person's public work phone, audited.
pub async fn set_work_phone(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor: &Actor,
    person_id: i64,
    phone: Option<&str>,
) -> AppResult<()> {
    let old: Option<String> =
        sqlx::query_scalar::<_, String>("SELECT phone FROM work_phone WHERE person_id = $1")
            .bind(person_id)
            .fetch_optional(&mut **tx)
            .await?;
    if old.as_deref() == phone {
        return Ok(());
    }
    sqlx::query("DELETE FROM work_phone WHERE person_id = $1")
        .bind(person_id)
        .execute(&mut **tx)
        .await?;
    if let Some(p) = phone {
        sqlx::query("INSERT INTO work_phone (person_id, phone, updated_at) VALUES ($1, $2, $3)")
            .bind(person_id)
            .bind(p.to_string())
            .bind(crate::db::now_ms())
            .execute(&mut **tx)
            .await?;
    }
    let changes = [crate::audit::Change {
        field: "工作电话",
        old,
        new: phone.map(str::to_string),
    }];
    crate::audit::record(
        tx,
        crate::audit::Entry {
            actor,
            action: crate::audit::Action::Update,
            entity: "work_phone",
            entity_key: &person_id.to_string(),
            org_code: None,
            changes: &changes,
        },
    )
    .await?;
    Ok(())
}

/// A work phone as typed: digits with at most one dash or space between groups, 7 to 20
/// characters (an office line such as 0999-6612345, or a mobile).
pub fn parse_work_phone(s: &str) -> Result<Option<String>, String> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let ok = (7..=20).contains(&t.chars().count())
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == ' ')
        && t.starts_with(|c: char| c.is_ascii_digit());
    if ok {
        Ok(Some(t.to_string()))
    } else {
        Err(format!(
            "工作电话“{t}”应为数字，可用“-”分隔，如 0999-6612345"
        ))
    }
}

/// The people named on a village's page, with their stored work phones: (person id, name,
/// role, phone).
async fn village_people(
    pool: &AnyPool,
    village: &OrgUnit,
    day: &str,
) -> AppResult<Vec<(i64, String, String, Option<String>)>> {
    let (lo, hi) = village.scope().bounds();
    let rows = sqlx::query(
        "SELECT p.id, p.name, '包村领导', w.phone FROM village_contact t JOIN person p ON p.id = t.person_id
           LEFT JOIN work_phone w ON w.person_id = p.id
          WHERE t.org_code = $1 AND t.starts_on <= $4 AND (t.ends_on IS NULL OR t.ends_on > $4)
         UNION
         SELECT p.id, p.name, '驻村干部', w.phone FROM stationing t JOIN person p ON p.id = t.person_id
           LEFT JOIN work_phone w ON w.person_id = p.id
          WHERE t.org_code = $1 AND t.starts_on <= $4 AND (t.ends_on IS NULL OR t.ends_on > $4)
         UNION
         SELECT p.id, p.name, '网格员', w.phone FROM grid_duty t JOIN person p ON p.id = t.person_id
           LEFT JOIN work_phone w ON w.person_id = p.id
          WHERE t.org_code >= $2 AND t.org_code < $3 AND t.starts_on <= $4
            AND (t.ends_on IS NULL OR t.ends_on > $4)
         ORDER BY 3, 2",
    )
    .bind(village.code.clone())
    .bind(lo)
    .bind(hi)
    .bind(day.to_string())
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
        .collect()
}

/// Who may keep a village's work phones: a user who may write data there.
fn may_edit_phones(user: &crate::accounts::CurrentUser, village: &OrgUnit) -> AppResult<()> {
    user.require(crate::accounts::Permission::WriteData)?;
    if !user.scope.contains(&village.code) {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// `GET /v/{code}/phones`: the work phones shown on the village's page, for editing.
pub async fn show_work_phones(
    State(state): State<AppState>,
    ctx: Ctx,
    user: crate::accounts::CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let unit = village(&state.db().pool, &code).await?;
    may_edit_phones(&user, &unit)?;
    phones_page(&state, &ctx, &unit, Vec::new()).await
}

async fn phones_page(
    state: &AppState,
    ctx: &Ctx,
    unit: &OrgUnit,
    errors: Vec<String>,
) -> AppResult<Response> {
    let people = village_people(&state.db().pool, unit, &dates::today().to_string()).await?;
    let rows: Vec<_> = people
        .iter()
        .map(|(id, name, role, phone)| context! { id => id, name => name, role => role, phone => phone })
        .collect();
    let resp = render(
        state,
        ctx,
        "pages/work_phones.html",
        context! {
            unit => unit,
            rows => rows,
            errors => errors,
            crumbs => vec![
                crate::web::list::Crumb { label: "群众诉求".into(), href: Some("/demands".into()) },
                crate::web::list::Crumb { label: format!("{} · 工作电话", unit.name), href: None },
            ],
        },
    )?
    .into_response();
    Ok(resp)
}

/// `POST /v/{code}/phones`: `phone_{person id}` fields; all checked before any is saved.
pub async fn save_work_phones(
    State(state): State<AppState>,
    ctx: Ctx,
    user: crate::accounts::CurrentUser,
    Path(code): Path<String>,
    Form(fields): Form<std::collections::HashMap<String, String>>,
) -> AppResult<Response> {
    let pool = &state.db().pool;
    let unit = village(pool, &code).await?;
    may_edit_phones(&user, &unit)?;
    let people = village_people(pool, &unit, &dates::today().to_string()).await?;
    let mut errors = Vec::new();
    let mut changes = Vec::new();
    for (id, name, _, _) in &people {
        if let Some(v) = fields.get(&format!("phone_{id}")) {
            match parse_work_phone(v) {
                Ok(p) => changes.push((*id, p)),
                Err(e) => errors.push(format!("{name}：{e}")),
            }
        }
    }
    if !errors.is_empty() {
        let mut resp = phones_page(&state, &ctx, &unit, errors).await?;
        *resp.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(resp);
    }
    let actor = super::pages::actor_of(&user);
    let mut tx = pool.begin().await?;
    for (id, phone) in changes {
        set_work_phone(&mut tx, &actor, id, phone.as_deref()).await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/v/{}", unit.code)).into_response())
}

#[cfg(test)]
mod tests {
    use super::parse_work_phone;

    #[test]
    fn work_phones_take_digits_with_dashes_and_refuse_the_rest() {
        assert_eq!(
            parse_work_phone(" 0999-6612345 "),
            Ok(Some("0999-6612345".into()))
        );
        assert_eq!(
            parse_work_phone("13900001234"),
            Ok(Some("13900001234".into()))
        );
        assert_eq!(parse_work_phone(""), Ok(None));
        for bad in ["12345", "0999-66x2345", "-0999661234", "电话0999661234"] {
            assert!(parse_work_phone(bad).is_err(), "{bad}");
        }
    }
}

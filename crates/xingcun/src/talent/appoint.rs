//! A reserve talent's page (`/talent/reserve/{id}`: the pool entry, the person's pool history,
//! trainings, practice postings, degree upgrades and posts) and the appointment from the pool
//! (`POST /talent/reserve/{id}/appoint`).
//!
//! An appointment is one workbook of two one-row sheets through `workbook::import_sheets`, so
//! it is checked by the sheets' own rules, written in one transaction and audited, limited to
//! the user's subtree: a 干部 row (the new 村干部 post) and the pool entry restated with
//! 出库日期 = 任职日期 and 出库原因 任职. The entry stays (history is kept); from that day it no
//! longer counts in `talent.reserve_pool`, whose definition counts entries active at D.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use minijinja::context;
use serde::{Deserialize, Serialize};
use sqlx::{AnyPool, Row};
use xingcun_domain::age_at;
use xingcun_domain::enums::{
    CadreCategory, Education, PoolExit, Readiness, TalentSource, VillagePost,
};

use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::dates;
use crate::error::{AppError, AppResult};
use crate::registry::label_of;
use crate::registry::personal::{self, AAD_PERSON_ID};
use crate::scope::Scope;
use crate::web::list::{Cell, Crumb, Table};
use crate::web::{Ctx, render, urlencode};
use crate::workbook::read::{Row as SheetRow, SheetData, normalize_row};
use crate::workbook::sheets::{self, Sheet};
use crate::workbook::{self, ImportOptions, ImportOutcome};

/// The pool entry as the page shows it.
#[derive(Debug, Serialize)]
struct Entry {
    id: i64,
    person_id: i64,
    name: String,
    id_masked: String,
    age: Option<u32>,
    highest: Option<&'static str>,
    org_code: String,
    org_name: String,
    source: String,
    skills: Option<String>,
    mentor: Option<String>,
    readiness: String,
    starts_on: String,
    ends_on: Option<String>,
    exit_reason: Option<String>,
    /// The stored ID number (sealed), never sent to the page.
    #[serde(skip)]
    id_enc: String,
}

async fn entry(pool: &AnyPool, scope: &Scope, id: i64) -> AppResult<Entry> {
    let (lo, hi) = scope.bounds();
    let r = sqlx::query(
        "SELECT t.id, t.person_id, p.name, p.id_masked, p.birth_date, p.edu_full_time,
                p.edu_in_service, t.org_code, o.name, t.source, t.skills, m.name, t.readiness,
                t.starts_on, t.ends_on, t.exit_reason, p.id_enc
         FROM reserve_talent t JOIN person p ON p.id = t.person_id
         JOIN org_unit o ON o.code = t.org_code
         LEFT JOIN person m ON m.id = t.mentor_id
         WHERE t.id = $1 AND t.org_code >= $2 AND t.org_code < $3",
    )
    .bind(id)
    .bind(lo)
    .bind(hi)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let birth: Option<String> = r.try_get(4)?;
    let edu = |i: usize| -> Result<Option<Education>, sqlx::Error> {
        Ok(r.try_get::<Option<String>, _>(i)?
            .as_deref()
            .and_then(Education::from_code))
    };
    let source: String = r.try_get(9)?;
    let readiness: String = r.try_get(12)?;
    let exit: Option<String> = r.try_get(15)?;
    Ok(Entry {
        id: r.try_get(0)?,
        person_id: r.try_get(1)?,
        name: r.try_get(2)?,
        id_masked: r.try_get(3)?,
        age: birth
            .as_deref()
            .and_then(|b| NaiveDate::parse_from_str(b, "%Y-%m-%d").ok())
            .map(|b| age_at(b, dates::today())),
        highest: Education::highest(edu(5)?, edu(6)?).map(Education::label),
        org_code: r.try_get(7)?,
        org_name: r.try_get(8)?,
        source: label_of(Some(&source), |c| {
            TalentSource::from_code(c).map(TalentSource::label)
        }),
        skills: r.try_get(10)?,
        mentor: r.try_get(11)?,
        readiness: label_of(Some(&readiness), |c| {
            Readiness::from_code(c).map(Readiness::label)
        }),
        starts_on: r.try_get(13)?,
        ends_on: r.try_get(14)?,
        exit_reason: exit
            .map(|c| label_of(Some(&c), |c| PoolExit::from_code(c).map(PoolExit::label))),
        id_enc: r.try_get(16)?,
    })
}

/// One of the page's tables: a query over the person's records in scope (`$1` the person,
/// `$2`, `$3` the scope), each row as text cells.
async fn table(
    pool: &AnyPool,
    scope: &Scope,
    person: i64,
    columns: &[&str],
    sql: &'static str,
    cell: fn(usize, Option<String>) -> Cell,
) -> AppResult<Table> {
    let (lo, hi) = scope.bounds();
    let mut t = Table::new(columns);
    for r in sqlx::query(sql)
        .bind(person)
        .bind(lo)
        .bind(hi)
        .fetch_all(pool)
        .await?
    {
        let mut row = Vec::with_capacity(columns.len());
        for i in 0..columns.len() {
            row.push(cell(i, r.try_get(i)?));
        }
        t.push(row);
    }
    Ok(t)
}

fn plain(_: usize, v: Option<String>) -> Cell {
    Cell::opt(v)
}

/// The villages in scope an appointment may go to: (code, name).
async fn villages(pool: &AnyPool, scope: &Scope) -> AppResult<Vec<(String, String)>> {
    let (lo, hi) = scope.bounds();
    sqlx::query(
        "SELECT code, name FROM org_unit WHERE code >= $1 AND code < $2
           AND kind IN ('admin_village', 'community') AND revoked_on IS NULL ORDER BY code",
    )
    .bind(lo)
    .bind(hi)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
    .collect::<Result<_, sqlx::Error>>()
    .map_err(Into::into)
}

/// What the appointment form was given.
#[derive(Debug, Deserialize, Default, Clone, Serialize)]
pub struct AppointForm {
    #[serde(default)]
    pub post: String,
    #[serde(default)]
    pub org: String,
    #[serde(default)]
    pub starts_on: String,
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    id: i64,
    form: Option<AppointForm>,
    errors: Vec<String>,
) -> AppResult<Response> {
    let pool = &state.db().pool;
    let scope = &user.scope;
    let e = entry(pool, scope, id).await?;
    let history = table(
        pool,
        scope,
        e.person_id,
        &[
            "所属单位",
            "来源",
            "成熟度",
            "入库日期",
            "出库日期",
            "出库原因",
        ],
        "SELECT o.name, t.source, t.readiness, t.starts_on, t.ends_on, t.exit_reason
         FROM reserve_talent t JOIN org_unit o ON o.code = t.org_code
         WHERE t.person_id = $1 AND t.org_code >= $2 AND t.org_code < $3
         ORDER BY t.starts_on, t.id",
        |i, v| {
            let v = v.map(|c| match i {
                1 => label_of(Some(&c), |c| {
                    TalentSource::from_code(c).map(TalentSource::label)
                }),
                2 => label_of(Some(&c), |c| Readiness::from_code(c).map(Readiness::label)),
                5 => label_of(Some(&c), |c| PoolExit::from_code(c).map(PoolExit::label)),
                _ => c,
            });
            Cell::opt(v)
        },
    )
    .await?;
    let trainings = table(
        pool,
        scope,
        e.person_id,
        &["培训编号", "名称", "开始日期", "结束日期", "学时"],
        "SELECT t.training_no, t.title, t.starts_on, t.ends_on, t.hours
         FROM training_attendance a JOIN training t ON t.id = a.training_id
         WHERE a.person_id = $1 AND a.org_code >= $2 AND a.org_code < $3
         ORDER BY t.starts_on, t.training_no",
        |i, v| match (i, v) {
            (0, Some(no)) => {
                Cell::link(no.clone(), format!("/talent/trainings/{}", urlencode(&no)))
            }
            (_, v) => Cell::opt(v),
        },
    )
    .await?;
    let practice = table(
        pool,
        scope,
        e.person_id,
        &["锻炼单位", "岗位", "开始日期", "结束日期"],
        "SELECT host_unit, post, starts_on, ends_on FROM practice_posting
         WHERE person_id = $1 AND org_code >= $2 AND org_code < $3 ORDER BY starts_on, id",
        plain,
    )
    .await?;
    let upgrades = table(
        pool,
        scope,
        e.person_id,
        &["学校", "层次", "入学日期", "毕业日期"],
        "SELECT school, level, starts_on, graduated_on FROM degree_upgrade
         WHERE person_id = $1 AND org_code >= $2 AND org_code < $3 ORDER BY starts_on, id",
        |i, v| match (i, v) {
            (1, Some(c)) => Cell::text(label_of(Some(&c), |c| {
                Education::from_code(c).map(Education::label)
            })),
            (_, v) => Cell::opt(v),
        },
    )
    .await?;
    let posts = table(
        pool,
        scope,
        e.person_id,
        &["任职单位", "职务", "任职日期", "离任日期"],
        "SELECT o.name, c.post, c.starts_on, c.ends_on FROM cadre_post c
         JOIN org_unit o ON o.code = c.org_code
         WHERE c.person_id = $1 AND c.org_code >= $2 AND c.org_code < $3
         ORDER BY c.starts_on, c.id",
        |i, v| match (i, v) {
            (1, Some(c)) => Cell::text(
                VillagePost::from_code(&c)
                    .map(|p| p.label().to_string())
                    .unwrap_or(c),
            ),
            (_, v) => Cell::opt(v),
        },
    )
    .await?;
    let can_appoint = e.ends_on.is_none() && user.can(Permission::WriteData);
    let villages = if can_appoint {
        villages(pool, scope).await?
    } else {
        Vec::new()
    };
    // The village the entry lies in (a grid's village; a township's pool has none).
    let home = villages
        .iter()
        .find(|(c, _)| e.org_code.starts_with(c.as_str()))
        .map(|(c, _)| c.clone())
        .unwrap_or_default();
    let form = form.unwrap_or(AppointForm {
        post: String::new(),
        org: home,
        starts_on: dates::today().to_string(),
    });
    let crumbs = vec![
        Crumb {
            label: "抓队伍建设".into(),
            href: None,
        },
        Crumb {
            label: "后备人才".into(),
            href: Some("/talent/reserve".into()),
        },
        Crumb {
            label: e.name.clone(),
            href: None,
        },
    ];
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let html = render(
        state,
        ctx,
        "pages/talent_reserve.html",
        context! {
            entry => e, crumbs => crumbs, history => history, trainings => trainings,
            practice => practice, upgrades => upgrades, posts => posts,
            can_appoint => can_appoint, villages => villages, form => form, errors => errors,
            post_options => VillagePost::LABELS,
        },
    )?;
    Ok((status, html).into_response())
}

/// `GET /talent/reserve/{id}`: one pool entry and the person's pipeline records in scope.
pub async fn show_reserve(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    page(&state, &ctx, &user, id, None, Vec::new()).await
}

fn sheet_of(sheet: &'static Sheet, values: Vec<Option<String>>) -> SheetData {
    let n = sheet.columns.len();
    SheetData {
        sheet,
        present: vec![true; n],
        file_col: vec![None; n],
        rows: vec![SheetRow { row: 2, values }],
    }
}

/// `POST /talent/reserve/{id}/appoint`: appoints the talent to a 村干部 post and closes the pool
/// entry on that day, in one import. An entry outside the scope is 404; a closed one, or a
/// post the 干部 rules refuse, comes back with the reasons and nothing written.
pub async fn appoint(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<AppointForm>,
) -> AppResult<Response> {
    user.require(Permission::WriteData)?;
    let pool = &state.db().pool;
    let e = entry(pool, &user.scope, id).await?;
    let mut errors = Vec::new();
    if let Some(end) = &e.ends_on {
        errors.push(format!("该后备人才已于 {end} 出库，不能再从库中任职"));
    }
    let post = VillagePost::parse(&form.post).map_err(|err| err.to_string());
    if let Err(m) = &post {
        errors.push(format!("职务：{m}"));
    }
    let day = NaiveDate::parse_from_str(form.starts_on.trim(), "%Y-%m-%d");
    if day.is_err() {
        errors.push("任职日期：应为 YYYY-MM-DD 格式的日期".into());
    }
    let org = form.org.trim().to_string();
    if org.is_empty() {
        errors.push("任职单位：请选择村(社区)".into());
    }
    let (Ok(post), Ok(day), true) = (post, day, errors.is_empty()) else {
        return page(&state, &ctx, &user, id, Some(form), errors).await;
    };
    let id_number = personal::open(state.crypto(), &e.id_enc, AAD_PERSON_ID)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("stored ID number does not open")))?;
    let cadres = &sheets::CADRES;
    let mut post_row = vec![None; cadres.columns.len()];
    for (h, v) in [
        ("身份证号", id_number.clone()),
        ("干部类别", CadreCategory::VillageCadre.code().to_string()),
        ("职务", post.code().to_string()),
        ("任职单位编码", org),
        ("任职日期", day.to_string()),
        ("专业化管理", "0".to_string()),
    ] {
        post_row[cadres.index(h)] = Some(v);
    }
    normalize_row(cadres, &mut post_row);
    // The pool entry as stored, closed on the day of the appointment.
    let pool_sheet = &sheets::RESERVE_TALENTS;
    let stored = workbook::outreach::existing(pool, state.crypto(), pool_sheet, &[id_number])
        .await?
        .into_values()
        .find(|(row_id, _)| *row_id == e.id)
        .map(|(_, v)| v)
        .ok_or(AppError::NotFound)?;
    let mut entry_row = stored;
    entry_row[pool_sheet.index("出库日期")] = Some(day.to_string());
    entry_row[pool_sheet.index("出库原因")] = Some(PoolExit::Appointed.code().to_string());
    let opts = ImportOptions {
        dry_run: false,
        within: Some(user.scope.prefix().to_string()).filter(|p| !p.is_empty()),
        today: dates::today(),
    };
    let outcome = workbook::import_sheets(
        state.db(),
        state.crypto(),
        &user.actor(),
        vec![sheet_of(cadres, post_row), sheet_of(pool_sheet, entry_row)],
        Vec::new(),
        &opts,
    )
    .await?;
    match outcome {
        ImportOutcome::Done { .. } => {
            Ok(Redirect::to(&format!("/talent/reserve/{id}")).into_response())
        }
        ImportOutcome::Refused(problems) => {
            let errors = crate::outreach::messages(&problems);
            page(&state, &ctx, &user, id, Some(form), errors).await
        }
    }
}

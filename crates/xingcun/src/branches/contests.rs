//! 擂台赛, contests of branch secretaries: a contest's page (criteria, contestants, judges, the
//! ranking by `xingcun_domain::branches::rank`), its steps (开始评分, 公布结果) and the score form
//! of its judges. A judge is an account named in 擂台赛评委; the form is theirs alone, and only
//! while the contest is 评分中. Every write goes through the import (擂台赛 and 擂台赛评分
//! sheets), scoped and audited.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;
use sqlx::Row;
use xingcun_domain::branches::{ContestAction, Scorecard, contest_transition, rank};
use xingcun_domain::enums::ContestStatus;

use super::records::{
    Action, Block, Page, StepForm, crumbs, fact, fact_link, field, locate, show, write,
};
use crate::accounts::{CurrentUser, Permission};
use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::web::list::{Cell, Table};
use crate::web::{Ctx, urlencode};
use crate::workbook::outreach::{records, records_with_keys};
use crate::workbook::read::{Row as SheetRow, SheetData};
use crate::workbook::sheets;
use crate::workbook::{self, ImportOptions, ImportOutcome};

/// An amount with at most two decimals, in hundredths (0 when unreadable).
fn cents(v: &str) -> i64 {
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    int.parse::<i64>().unwrap_or(0) * 100
        + format!("{frac:0<2}")
            .get(..2)
            .and_then(|f| f.parse::<i64>().ok())
            .unwrap_or(0)
}

fn show_cents(c: i64) -> String {
    format!("{}.{:02}", c / 100, c % 100)
}

/// A contestant: person id, ID number (for the import only), name, village name.
struct Contestant {
    person: i64,
    id_number: String,
    name: String,
    village: String,
}

/// What a contest's page and ranking need.
pub struct Contest {
    pub no: String,
    pub title: String,
    pub held_on: String,
    pub org_name: String,
    pub drop_extremes: bool,
    pub status: Option<ContestStatus>,
    /// (number, name, maximum)
    criteria: Vec<(String, String, String)>,
    contestants: Vec<Contestant>,
    /// (username, name)
    judges: Vec<(String, String)>,
    /// (judge, person, criterion) → score
    scores: HashMap<(String, i64, String), String>,
}

async fn load(state: &AppState, user: &CurrentUser, no: &str) -> AppResult<Contest> {
    let pool = &state.db().pool;
    let id = locate(pool, &user.scope, "contest", "contest_no", no).await?;
    let r = sqlx::query(
        "SELECT c.title, c.held_on, o.name, c.drop_extremes, c.status
           FROM contest c JOIN org_unit o ON o.code = c.org_code WHERE c.id = $1",
    )
    .bind(id)
    .fetch_one(pool)
    .await?;
    let status: String = r.try_get(4)?;
    let mut criteria: Vec<(String, String, String)> = sqlx::query(
        "SELECT criterion_no, name, max_points FROM contest_criterion WHERE contest_id = $1",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|c| Ok::<_, sqlx::Error>((c.try_get(0)?, c.try_get(1)?, c.try_get(2)?)))
    .collect::<Result<_, _>>()?;
    criteria.sort_by_key(|c| (c.0.parse::<u64>().unwrap_or(u64::MAX), c.0.clone()));
    // Contestants with their ID numbers (the import's canonical values), in name order.
    let mut names: HashMap<i64, (String, String)> = HashMap::new();
    for c in sqlx::query(
        "SELECT t.person_id, p.name, o.name FROM contestant t JOIN person p ON p.id = t.person_id
           LEFT JOIN org_unit o ON o.code = t.village_code WHERE t.contest_id = $1",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    {
        let village: Option<String> = c.try_get(2)?;
        names.insert(c.try_get(0)?, (c.try_get(1)?, village.unwrap_or_default()));
    }
    let mut contestants: Vec<Contestant> = records(pool, state.crypto(), &sheets::CONTESTANTS)
        .await?
        .into_iter()
        .filter(|r| r.values[0].as_deref() == Some(no))
        .filter_map(|r| {
            let person = *r.people.first()?;
            let (name, village) = names.get(&person)?.clone();
            Some(Contestant {
                person,
                id_number: r.values[1].clone().unwrap_or_default(),
                name,
                village,
            })
        })
        .collect();
    contestants.sort_by(|a, b| a.name.cmp(&b.name).then(a.person.cmp(&b.person)));
    let mut judges: Vec<(String, String)> =
        sqlx::query(
            "SELECT j.username, CASE WHEN EXISTS (SELECT 1 FROM app_user u WHERE u.username = j.username)
                    THEN j.name ELSE j.name || '（账号不存在）' END
             FROM contest_judge j WHERE j.contest_id = $1 ORDER BY j.id",
        )
            .bind(id)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|j| Ok::<_, sqlx::Error>((j.try_get(0)?, j.try_get(1)?)))
            .collect::<Result<_, _>>()?;
    judges.dedup();
    let mut scores = HashMap::new();
    for s in sqlx::query(
        "SELECT judge, person_id, criterion_no, score FROM contest_score WHERE contest_id = $1",
    )
    .bind(id)
    .fetch_all(pool)
    .await?
    {
        scores.insert((s.try_get(0)?, s.try_get(1)?, s.try_get(2)?), s.try_get(3)?);
    }
    Ok(Contest {
        no: no.to_string(),
        title: r.try_get(0)?,
        held_on: r.try_get(1)?,
        org_name: r.try_get(2)?,
        drop_extremes: r.try_get::<i64, _>(3)? == 1,
        status: ContestStatus::from_code(&status),
        criteria,
        contestants,
        judges,
        scores,
    })
}

/// The ranking table: one row per contestant, by `xingcun_domain::branches::rank`.
pub fn ranking(c: &Contest) -> Table {
    let cards: Vec<Scorecard> = c
        .contestants
        .iter()
        .map(|p| Scorecard {
            totals: c
                .judges
                .iter()
                .map(|(j, _)| {
                    c.criteria
                        .iter()
                        .map(|(k, _, _)| {
                            c.scores
                                .get(&(j.clone(), p.person, k.clone()))
                                .map(|s| cents(s))
                        })
                        .sum::<Option<i64>>()
                        .filter(|_| !c.criteria.is_empty())
                })
                .collect(),
        })
        .collect();
    let mut cols: Vec<String> = vec!["名次".into(), "选手".into(), "村(社区)".into()];
    cols.extend(c.judges.iter().map(|(_, n)| n.clone()));
    cols.extend(["最后得分".to_string(), "第一名票数".to_string()]);
    let cols: Vec<&str> = cols.iter().map(String::as_str).collect();
    let mut t = Table::new(&cols);
    for s in rank(&cards, c.drop_extremes) {
        let p = &c.contestants[s.index];
        let mut row = vec![
            s.rank.map_or(Cell::Empty, |r| Cell::Int(r as i64)),
            Cell::Text(p.name.clone()),
            Cell::Text(p.village.clone()),
        ];
        row.extend(
            cards[s.index]
                .totals
                .iter()
                .map(|t| t.map_or(Cell::Empty, |t| Cell::text(show_cents(t)))),
        );
        row.push(s.score.map_or(Cell::Empty, |x| Cell::text(show_cents(x))));
        row.push(Cell::Int(s.firsts as i64));
        t.push(row);
    }
    t
}

fn is_judge(c: &Contest, user: &CurrentUser) -> bool {
    c.judges.iter().any(|(j, _)| *j == user.username)
}

async fn contest_page(state: &AppState, user: &CurrentUser, no: &str) -> AppResult<Page> {
    let c = load(state, user, no).await?;
    let href = format!("/branches/contests/{}", urlencode(no));
    let mut actions = Vec::new();
    if user.can(Permission::WriteData)
        && let Some(st) = c.status
    {
        for a in ContestAction::ALL {
            if contest_transition(st, *a).is_ok() {
                let code = match a {
                    ContestAction::OpenScoring => "open",
                    ContestAction::Publish => "publish",
                };
                actions.push(Action {
                    href: format!("{href}/step"),
                    label: a.label().into(),
                    fields: vec![field("action", "", "hidden", code)],
                    primary: true,
                });
            }
        }
    }
    let grid = (c.status == Some(ContestStatus::Scoring) && is_judge(&c, user)).then(|| {
        json!({
            "caption": format!("我的评分（评委 {}）", user.display_name),
            "href": format!("{href}/scores"),
            "criteria": c.criteria.iter().map(|k| (k.1.clone(), k.2.clone())).collect::<Vec<_>>(),
            "rows": c.contestants.iter().map(|p| json!({
                "name": format!("{}（{}）", p.name, p.village),
                "cells": c.criteria.iter().map(|k| (
                    format!("s.{}.{}", p.person, k.0),
                    c.scores.get(&(user.username.clone(), p.person, k.0.clone())).cloned().unwrap_or_default(),
                )).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    });
    let mut criteria = Table::new(&["序号", "指标", "满分"]);
    for (n, name, max) in &c.criteria {
        criteria.push(vec![
            Cell::text(n.clone()),
            Cell::text(name.clone()),
            Cell::text(max.clone()),
        ]);
    }
    let mut judges = Table::new(&["评委", "账号", "已评选手"]);
    for (j, name) in &c.judges {
        let done = c
            .contestants
            .iter()
            .filter(|p| {
                c.criteria
                    .iter()
                    .all(|k| c.scores.contains_key(&(j.clone(), p.person, k.0.clone())))
            })
            .count();
        judges.push(vec![
            Cell::text(name.clone()),
            Cell::text(j.clone()),
            Cell::text(format!("{done} / {}", c.contestants.len())),
        ]);
    }
    let rule = format!(
        "每位评委对选手各项打分相加为该评委的总分（未评完全部指标的不计）；{}其余总分的平均数（四舍五入到0.01）为最后得分。\
         得分相同时，被更多评委评为第一（该评委给出的最高总分）者在前，仍相同时最低计入总分高者在前；再相同则名次并列，按姓名排列。",
        if c.drop_extremes {
            "评委不少于3人时去掉一个最高总分和一个最低总分，"
        } else {
            ""
        }
    );
    let published = c.status == Some(ContestStatus::Published);
    Ok(Page {
        title: format!("擂台赛 {}", c.title),
        crumbs: crumbs(("擂台赛", "/branches/contests"), &c.no),
        badge: c.status.map(|s| {
            (
                s.label().to_string(),
                match s {
                    ContestStatus::Published => "ok",
                    ContestStatus::Scoring => "warn",
                    ContestStatus::Draft => "muted",
                },
            )
        }),
        facts: vec![
            fact("赛事编号", Some(c.no.clone())),
            fact("比赛日期", Some(c.held_on.clone())),
            fact("主办单位", Some(c.org_name.clone())),
            fact(
                "去掉最高最低分",
                Some(if c.drop_extremes { "是" } else { "否" }.into()),
            ),
            fact_link(
                "选手",
                c.contestants.len().to_string(),
                format!("{href}#ranking"),
            ),
        ],
        actions,
        grid,
        blocks: vec![
            Block {
                caption: if published {
                    "比赛结果".into()
                } else {
                    "当前排名（未公布）".into()
                },
                note: Some(rule),
                table: ranking(&c),
            },
            Block {
                caption: "评分指标".into(),
                note: None,
                table: criteria,
            },
            Block {
                caption: "评委".into(),
                note: None,
                table: judges,
            },
        ],
        ..Page::default()
    })
}

/// `GET /branches/contests/{no}`.
pub async fn show_contest(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(no): Path<String>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let mut page = contest_page(&state, &user, &no).await?;
    super::records::with_attachments(&state, &mut page, "contest", &no).await?;
    show(&state, &ctx, page, StatusCode::OK)
}

async fn after(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    no: &str,
    outcome: Result<(), Vec<String>>,
) -> AppResult<Response> {
    match outcome {
        Ok(()) => {
            Ok(Redirect::to(&format!("/branches/contests/{}", urlencode(no))).into_response())
        }
        Err(errors) => {
            let mut p = contest_page(state, user, no).await?;
            p.errors = errors;
            show(state, ctx, p, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

/// `POST /branches/contests/{no}/step`: 开始评分 or 公布结果.
pub async fn step_contest(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(no): Path<String>,
    Form(f): Form<StepForm>,
) -> AppResult<Response> {
    user.require(Permission::WriteData)?;
    locate(&state.db().pool, &user.scope, "contest", "contest_no", &no).await?;
    let s = &sheets::CONTESTS;
    let mut v = records_with_keys(
        &state.db().pool,
        state.crypto(),
        s,
        std::slice::from_ref(&no),
    )
    .await?
    .into_iter()
    .next()
    .map(|r| r.values)
    .ok_or(AppError::NotFound)?;
    let action = match f.action.as_str() {
        "open" => ContestAction::OpenScoring,
        "publish" => ContestAction::Publish,
        _ => return Err(AppError::BadRequest("未知的操作".into())),
    };
    let from = v[s.index("状态")]
        .as_deref()
        .and_then(ContestStatus::from_code)
        .ok_or(AppError::NotFound)?;
    let outcome = match contest_transition(from, action) {
        Err(e) => Err(vec![e.to_string()]),
        Ok(to) => {
            v[s.index("状态")] = Some(to.code().into());
            write(&state, &user, s, v).await?
        }
    };
    after(&state, &ctx, &user, &no, outcome).await
}

/// `POST /branches/contests/{no}/scores`: a judge's scores, fields `s.{person}.{criterion}`;
/// an empty field leaves that score as it is.
pub async fn save_scores(
    State(state): State<AppState>,
    ctx: Ctx,
    user: CurrentUser,
    Path(no): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> AppResult<Response> {
    user.require(Permission::ReadData)?;
    let c = load(&state, &user, &no).await?;
    if !is_judge(&c, &user) {
        return Err(AppError::Forbidden);
    }
    let mut rows = Vec::new();
    for p in &c.contestants {
        for (k, _, _) in &c.criteria {
            let Some(v) = form
                .get(&format!("s.{}.{k}", p.person))
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
            else {
                continue;
            };
            rows.push(SheetRow {
                row: rows.len() as u32 + 2,
                values: vec![
                    Some(no.clone()),
                    Some(user.username.clone()),
                    Some(p.id_number.clone()),
                    Some(k.clone()),
                    Some(v.to_string()),
                ],
            });
        }
    }
    let outcome = if rows.is_empty() {
        Err(vec!["没有填写任何得分".to_string()])
    } else {
        import_rows(&state, &user, rows).await?
    };
    after(&state, &ctx, &user, &no, outcome).await
}

/// Several rows of 擂台赛评分 through the import, as the judge, within the judge's subtree.
async fn import_rows(
    state: &AppState,
    user: &CurrentUser,
    rows: Vec<SheetRow>,
) -> AppResult<Result<(), Vec<String>>> {
    let sheet = &sheets::CONTEST_SCORES;
    let n = sheet.columns.len();
    let data = SheetData {
        sheet,
        present: vec![true; n],
        file_col: vec![None; n],
        rows,
    };
    let opts = ImportOptions {
        dry_run: false,
        within: Some(user.scope.prefix().to_string()).filter(|p| !p.is_empty()),
        today: crate::dates::today(),
    };
    let outcome = workbook::import_sheets(
        state.db(),
        state.crypto(),
        &user.actor(),
        vec![data],
        Vec::new(),
        &opts,
    )
    .await?;
    Ok(match outcome {
        ImportOutcome::Done { .. } => Ok(()),
        ImportOutcome::Refused(p) => Err(crate::outreach::messages(&p)),
    })
}

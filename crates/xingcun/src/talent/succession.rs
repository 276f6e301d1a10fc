//! Succession (老中青梯队): for each village in scope at a date, its 党组织书记 and age, and the
//! possible successors from the reserve pool (entries of the village or its grids active at the
//! date). A village is at risk when its secretary is over 60 and no successor is ready (可接任);
//! those villages are also an alert source.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::{AnyPool, Row};
use xingcun_domain::age_at;
use xingcun_domain::enums::{Readiness, ReviewResult};

use crate::error::AppResult;
use crate::outreach::alerts::{Alert, Severity};
use crate::scope::Scope;
use crate::web::urlencode;

/// The age above which a secretary needs a ready successor.
pub const RISK_AGE: u32 = 60;

/// One village's line.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub code: String,
    pub name: String,
    pub township: Option<String>,
    pub secretary: Option<String>,
    pub secretary_age: Option<u32>,
    /// The secretary's post is under 专业化管理.
    pub professional: bool,
    /// The secretary's latest annual review in this village: (year, result word, pay grade).
    pub review: Option<(String, String, Option<String>)>,
    /// Successors' names, ready ones first.
    pub successors: Vec<String>,
    pub ready: usize,
    pub at_risk: bool,
}

/// Every village (行政村 and 社区) in scope at the end of `at`, by code.
pub async fn lines(pool: &AnyPool, scope: &Scope, at: NaiveDate) -> AppResult<Vec<Line>> {
    let (lo, hi) = scope.bounds();
    let d = at.to_string();
    let villages = sqlx::query(
        "SELECT v.code, v.name, t.name FROM org_unit v
         LEFT JOIN org_unit t ON t.code = v.parent_code
         WHERE v.code >= $1 AND v.code < $2 AND v.kind IN ('admin_village', 'community')
           AND (v.revoked_on IS NULL OR v.revoked_on > $3)
         ORDER BY v.code",
    )
    .bind(&lo)
    .bind(&hi)
    .bind(&d)
    .fetch_all(pool)
    .await?;
    let secretaries = sqlx::query(
        "SELECT c.org_code, p.name, p.birth_date, c.professional, c.person_id FROM cadre_post c
         JOIN person p ON p.id = c.person_id
         WHERE c.org_code >= $1 AND c.org_code < $2
           AND c.category = 'village_cadre' AND c.post = 'branch_secretary'
           AND c.starts_on <= $3 AND (c.ends_on IS NULL OR c.ends_on > $3)
           AND (p.deregistered_on IS NULL OR p.deregistered_on > $3)
         ORDER BY c.org_code, c.starts_on, c.id",
    )
    .bind(&lo)
    .bind(&hi)
    .bind(&d)
    .fetch_all(pool)
    .await?;
    let pool_rows = sqlx::query(
        "SELECT t.org_code, p.name, t.readiness FROM reserve_talent t
         JOIN person p ON p.id = t.person_id
         WHERE t.org_code >= $1 AND t.org_code < $2
           AND t.starts_on <= $3 AND (t.ends_on IS NULL OR t.ends_on > $3)
           AND (p.deregistered_on IS NULL OR p.deregistered_on > $3)
         ORDER BY t.org_code, p.name_pinyin, t.id",
    )
    .bind(&lo)
    .bind(&hi)
    .bind(&d)
    .fetch_all(pool)
    .await?;
    // Latest first, so the first row of a (person, village) is its latest review.
    let reviews = sqlx::query(
        "SELECT r.org_code, r.person_id, r.year, r.result, r.pay_grade FROM secretary_review r
         WHERE r.org_code >= $1 AND r.org_code < $2 ORDER BY r.org_code, r.year DESC, r.id",
    )
    .bind(&lo)
    .bind(&hi)
    .fetch_all(pool)
    .await?;
    let mut out = Vec::with_capacity(villages.len());
    for v in &villages {
        let code: String = v.try_get(0)?;
        let mut line = Line {
            name: v.try_get(1)?,
            township: v.try_get(2)?,
            secretary: None,
            secretary_age: None,
            professional: false,
            review: None,
            successors: Vec::new(),
            ready: 0,
            at_risk: false,
            code,
        };
        for s in &secretaries {
            let org: String = s.try_get(0)?;
            if org == line.code {
                line.secretary = Some(s.try_get(1)?);
                let birth: Option<String> = s.try_get(2)?;
                line.secretary_age = birth
                    .and_then(|b| NaiveDate::parse_from_str(&b, "%Y-%m-%d").ok())
                    .map(|b| age_at(b, at));
                line.professional = s.try_get::<i64, _>(3)? != 0;
                let person: i64 = s.try_get(4)?;
                for r in &reviews {
                    let (org, who): (String, i64) = (r.try_get(0)?, r.try_get(1)?);
                    if org == line.code && who == person {
                        let result: String = r.try_get(3)?;
                        let word = ReviewResult::from_code(&result)
                            .map_or(result.clone(), |e| e.label().to_string());
                        line.review = Some((r.try_get(2)?, word, r.try_get(4)?));
                        break;
                    }
                }
                break;
            }
        }
        let mut developing = Vec::new();
        for t in &pool_rows {
            let org: String = t.try_get(0)?;
            if !org.starts_with(line.code.as_str()) {
                continue;
            }
            let name: String = t.try_get(1)?;
            let readiness: String = t.try_get(2)?;
            if readiness == Readiness::Ready.code() {
                line.ready += 1;
                line.successors.push(name);
            } else {
                developing.push(name);
            }
        }
        line.successors.extend(developing);
        line.at_risk = line.secretary_age.is_some_and(|a| a > RISK_AGE) && line.ready == 0;
        out.push(line);
    }
    Ok(out)
}

/// Villages at succession risk at D, one alert each.
pub async fn risk_alerts(pool: &AnyPool, scope: &Scope, at: NaiveDate) -> AppResult<Vec<Alert>> {
    Ok(lines(pool, scope, at)
        .await?
        .into_iter()
        .filter(|l| l.at_risk)
        .map(|l| Alert {
            kind: "书记接班风险村(社区)",
            severity: Severity::Medium,
            text: format!(
                "{}{}党组织书记{}已{}岁，没有可接任的后备人才",
                l.township.clone().unwrap_or_default(),
                l.name,
                l.secretary.clone().unwrap_or_default(),
                l.secretary_age.unwrap_or_default()
            ),
            link: format!("/talent/succession?org={}", urlencode(&l.code)),
            unit_code: l.code,
            unit: l.name,
        })
        .collect())
}

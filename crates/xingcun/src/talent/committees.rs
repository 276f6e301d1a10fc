//! The make-up of the village committees (村"两委") of a village, a township or the district at
//! a date, from cadre posts: the 两委成员 of `indicators::talent::COMMITTEE_MEMBERS` (each person
//! once) by age band, education, sex and party membership, and the villages whose secretary is
//! also the committee director (书记主任"一肩挑").

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::{AnyPool, Row};
use xingcun_domain::age_at;
use xingcun_domain::enums::{Education, Sex};

use crate::error::AppResult;
use crate::indicators::talent::COMMITTEE_MEMBERS;
use crate::scope::Scope;

/// The counts of one scope at one date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Makeup {
    /// 两委成员, each person once.
    pub members: usize,
    /// Aged under 35, 35 to 50 (both included), over 50 (周岁 at D).
    pub under_35: usize,
    pub from_35_to_50: usize,
    pub over_50: usize,
    /// 最高学历 大学专科 or higher.
    pub college: usize,
    /// Members by 最高学历, in the order of `Education::ALL`; "未填" last when any lack one.
    pub education: Vec<(String, usize)>,
    pub women: usize,
    /// Members who are party members at D (the 党员 record, joined by D and not left).
    pub party_members: usize,
    /// Villages whose active 党组织书记 also holds the active 村(居)委会主任 post.
    pub one_shoulder_villages: usize,
}

/// The make-up of the committees in `scope` at the end of `at`.
pub async fn makeup(pool: &AnyPool, scope: &Scope, at: NaiveDate) -> AppResult<Makeup> {
    let (lo, hi) = scope.bounds();
    let d = at.to_string();
    let sql = format!(
        "SELECT p.birth_date, p.sex, p.edu_full_time, p.edu_in_service,
                CASE WHEN EXISTS (SELECT 1 FROM party_member m WHERE m.person_id = p.id
                                    AND (m.joined_on IS NULL OR m.joined_on <= $3)
                                    AND (m.left_on IS NULL OR m.left_on > $3))
                     THEN 1 ELSE 0 END
         FROM person p WHERE p.id IN (SELECT s.subject FROM ({}) s)",
        COMMITTEE_MEMBERS.sql
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&lo)
        .bind(&hi)
        .bind(&d)
        .fetch_all(pool)
        .await?;
    let mut m = Makeup {
        members: rows.len(),
        ..Makeup::default()
    };
    let mut by_level = vec![0usize; Education::ALL.len()];
    let mut unknown = 0;
    for r in &rows {
        let birth: Option<String> = r.try_get(0)?;
        if let Some(b) = birth.and_then(|b| NaiveDate::parse_from_str(&b, "%Y-%m-%d").ok()) {
            match age_at(b, at) {
                a if a < 35 => m.under_35 += 1,
                a if a <= 50 => m.from_35_to_50 += 1,
                _ => m.over_50 += 1,
            }
        }
        let sex: Option<String> = r.try_get(1)?;
        if sex.as_deref() == Some(Sex::Female.code()) {
            m.women += 1;
        }
        let code = |s: Option<String>| s.as_deref().and_then(Education::from_code);
        match Education::highest(code(r.try_get(2)?), code(r.try_get(3)?)) {
            Some(e) => {
                if e.is_college() {
                    m.college += 1;
                }
                if let Some(i) = Education::ALL.iter().position(|x| *x == e) {
                    by_level[i] += 1;
                }
            }
            None => unknown += 1,
        }
        if r.try_get::<i64, _>(4)? != 0 {
            m.party_members += 1;
        }
    }
    m.education = Education::ALL
        .iter()
        .zip(by_level)
        .map(|(e, n)| (e.label().to_string(), n))
        .collect();
    if unknown > 0 {
        m.education.push(("未填".into(), unknown));
    }
    let one: i64 = sqlx::query(
        "SELECT COUNT(DISTINCT c.org_code)
         FROM cadre_post c
         JOIN cadre_post c2 ON c2.person_id = c.person_id AND c2.org_code = c.org_code
         JOIN person p ON p.id = c.person_id
         JOIN org_unit o ON o.code = c.org_code
         WHERE c.org_code >= $1 AND c.org_code < $2
           AND c.category = 'village_cadre' AND c.post = 'branch_secretary'
           AND c.starts_on <= $3 AND (c.ends_on IS NULL OR c.ends_on > $3)
           AND c2.category = 'village_cadre' AND c2.post = 'villagers_committee_chair'
           AND c2.starts_on <= $3 AND (c2.ends_on IS NULL OR c2.ends_on > $3)
           AND o.kind IN ('admin_village', 'community')
           AND (o.revoked_on IS NULL OR o.revoked_on > $3)
           AND (p.deregistered_on IS NULL OR p.deregistered_on > $3)",
    )
    .bind(&lo)
    .bind(&hi)
    .bind(&d)
    .fetch_one(pool)
    .await?
    .try_get(0)?;
    m.one_shoulder_villages = one as usize;
    Ok(m)
}

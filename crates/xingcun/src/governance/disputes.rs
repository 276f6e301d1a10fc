//! Disputes (矛盾纠纷): the words of their enumerations, the scoped reads of the pages, the alert
//! that escalates a high-risk dispute to its township, and the outbox message queued when an
//! import writes a dispute as 高 risk.

use chrono::NaiveDate;
use sqlx::{Any, AnyPool, Row, Transaction};

use crate::db::now_ms;
use crate::error::{AppError, AppResult};
use crate::outreach::alerts::{Alert, Severity};
use crate::scope::Scope;
use crate::workbook::check::Item;
use crate::workbook::sheets::{self, Words};

/// Associated data binding a party's sealed numbers to their columns.
pub const AAD_PARTY_ID: &[u8] = b"dispute_party.id_number";
pub const AAD_PARTY_PHONE: &[u8] = b"dispute_party.phone";

/// 纠纷类型.
pub static KINDS: Words = Words {
    what: "纠纷类型",
    words: &[
        ("marriage_family", "婚姻家庭"),
        ("neighbours", "邻里"),
        ("land_contract", "土地承包"),
        ("homestead", "宅基地"),
        ("forest_water", "山林水利"),
        ("labour", "劳资"),
        ("expropriation", "征地拆迁"),
        ("other", "其他"),
    ],
    aliases: &[
        ("婚姻家庭纠纷", "婚姻家庭"),
        ("邻里纠纷", "邻里"),
        ("土地承包纠纷", "土地承包"),
        ("宅基地纠纷", "宅基地"),
        ("山林水利纠纷", "山林水利"),
        ("劳资纠纷", "劳资"),
        ("征地拆迁纠纷", "征地拆迁"),
    ],
    labels: &[
        "婚姻家庭",
        "邻里",
        "土地承包",
        "宅基地",
        "山林水利",
        "劳资",
        "征地拆迁",
        "其他",
    ],
};

/// 风险等级.
pub static RISKS: Words = Words {
    what: "风险等级",
    words: &[("low", "低"), ("medium", "中"), ("high", "高")],
    aliases: &[("低风险", "低"), ("中风险", "中"), ("高风险", "高")],
    labels: &["低", "中", "高"],
};

/// 状态.
pub static STATUSES: Words = Words {
    what: "状态",
    words: &[
        ("pending", "待调解"),
        ("mediating", "调解中"),
        ("concluded", "已办结"),
    ],
    aliases: &[],
    labels: &["待调解", "调解中", "已办结"],
};

/// 调处结果. Only 调解成功 is a resolution (化解).
pub static OUTCOMES: Words = Words {
    what: "调处结果",
    words: &[
        ("mediated", "调解成功"),
        ("failed", "调解不成"),
        ("litigation", "转诉讼"),
        ("arbitration", "转仲裁"),
        ("petition", "转信访"),
        ("other", "其他"),
    ],
    aliases: &[("化解", "调解成功"), ("已化解", "调解成功")],
    labels: &["调解成功", "调解不成", "转诉讼", "转仲裁", "转信访", "其他"],
};

/// 当事人类型.
pub static ROLES: Words = Words {
    what: "当事人类型",
    words: &[("applicant", "申请方"), ("respondent", "被申请方")],
    aliases: &[("申请人", "申请方"), ("被申请人", "被申请方")],
    labels: &["申请方", "被申请方"],
};

/// The township a unit lies in (its first 9 digits), as a 12-digit code.
pub fn township_of(code: &str) -> Option<String> {
    (code.len() >= 9 && &code[6..9] != "000").then(|| format!("{}000", &code[..9]))
}

/// A dispute as its pages show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Dispute {
    pub id: i64,
    pub dispute_no: String,
    pub org_code: String,
    pub org_name: String,
    pub found_on: String,
    pub round_no: Option<String>,
    pub kind: String,
    pub risk: String,
    pub summary: String,
    pub mediator: Option<String>,
    pub status: String,
    pub outcome: Option<String>,
    pub concluded_on: Option<String>,
    pub agreement: Option<String>,
}

impl Dispute {
    pub fn kind_label(&self) -> &str {
        KINDS.word(&self.kind)
    }
    pub fn risk_label(&self) -> &str {
        RISKS.word(&self.risk)
    }
    pub fn status_label(&self) -> &str {
        STATUSES.word(&self.status)
    }
    pub fn outcome_label(&self) -> Option<&str> {
        self.outcome.as_deref().map(|o| OUTCOMES.word(o))
    }
}

/// What a dispute list is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct DisputeFilter {
    pub kind: Option<String>,
    pub risk: Option<String>,
    pub status: Option<String>,
    /// Part of the number or of the summary.
    pub q: Option<String>,
}

const SELECT: &str =
    "SELECT d.id, d.dispute_no, d.org_code, o.name, d.found_on, d.round_no, d.kind,
        d.risk, d.summary, p.name, d.status, d.outcome, d.concluded_on, d.agreement
   FROM dispute d JOIN org_unit o ON o.code = d.org_code
   LEFT JOIN person p ON p.id = d.mediator_id";

fn dispute_of(r: &sqlx::any::AnyRow) -> Result<Dispute, sqlx::Error> {
    Ok(Dispute {
        id: r.try_get(0)?,
        dispute_no: r.try_get(1)?,
        org_code: r.try_get(2)?,
        org_name: r.try_get(3)?,
        found_on: r.try_get(4)?,
        round_no: r.try_get(5)?,
        kind: r.try_get(6)?,
        risk: r.try_get(7)?,
        summary: r.try_get(8)?,
        mediator: r.try_get(9)?,
        status: r.try_get(10)?,
        outcome: r.try_get(11)?,
        concluded_on: r.try_get(12)?,
        agreement: r.try_get(13)?,
    })
}

/// The WHERE clause and its binds after `$1` `$2` (scope).
fn filter_where(f: &DisputeFilter) -> (String, Vec<String>) {
    let mut sql = String::from("d.org_code >= $1 AND d.org_code < $2");
    let mut binds = Vec::new();
    for (col, v) in [
        ("d.kind", &f.kind),
        ("d.risk", &f.risk),
        ("d.status", &f.status),
    ] {
        if let Some(v) = v {
            binds.push(v.clone());
            sql.push_str(&format!(" AND {col} = ${}", binds.len() + 2));
        }
    }
    if let Some(q) = &f.q {
        binds.push(format!("%{q}%"));
        let n = binds.len() + 2;
        sql.push_str(&format!(
            " AND (d.dispute_no LIKE ${n} OR d.summary LIKE ${n})"
        ));
    }
    (sql, binds)
}

/// How many disputes match.
pub async fn count_disputes(
    pool: &AnyPool,
    scope: &Scope,
    f: &DisputeFilter,
) -> Result<i64, sqlx::Error> {
    let (lo, hi) = scope.bounds();
    let (w, binds) = filter_where(f);
    let sql = format!("SELECT COUNT(*) FROM dispute d WHERE {w}");
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(lo).bind(hi);
    for b in binds {
        q = q.bind(b);
    }
    q.fetch_one(pool).await?.try_get(0)
}

/// A page of disputes, newest found first.
pub async fn list_disputes(
    pool: &AnyPool,
    scope: &Scope,
    f: &DisputeFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<Dispute>, sqlx::Error> {
    let (lo, hi) = scope.bounds();
    let (w, binds) = filter_where(f);
    let n = binds.len() + 2;
    let sql = format!(
        "{SELECT} WHERE {w} ORDER BY d.found_on DESC, d.dispute_no LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(lo).bind(hi);
    for b in binds {
        q = q.bind(b);
    }
    q.bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await?
        .iter()
        .map(dispute_of)
        .collect()
}

/// One dispute in `scope`; a dispute elsewhere is `NotFound`.
pub async fn get_dispute(pool: &AnyPool, scope: &Scope, id: i64) -> AppResult<Dispute> {
    let (lo, hi) = scope.bounds();
    let sql = format!("{SELECT} WHERE d.id = $1 AND d.org_code >= $2 AND d.org_code < $3");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(lo)
        .bind(hi)
        .fetch_optional(pool)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(dispute_of(&row)?)
}

/// A party of a dispute, its numbers as stored (sealed and masked).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Party {
    pub id: i64,
    pub party_no: String,
    pub name: String,
    pub role: String,
    pub role_label: String,
    pub id_masked: Option<String>,
    pub phone_masked: Option<String>,
    #[serde(skip)]
    pub id_enc: Option<String>,
    #[serde(skip)]
    pub phone_enc: Option<String>,
}

/// The parties of a dispute (already found in scope), by their number.
pub async fn parties_of(pool: &AnyPool, dispute_id: i64) -> Result<Vec<Party>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, party_no, name, role, id_masked, phone_masked, id_enc, phone_enc
           FROM dispute_party WHERE dispute_id = $1 ORDER BY party_no",
    )
    .bind(dispute_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            let role: String = r.try_get(3)?;
            Ok(Party {
                id: r.try_get(0)?,
                party_no: r.try_get(1)?,
                name: r.try_get(2)?,
                role_label: ROLES.word(&role).to_string(),
                role,
                id_masked: r.try_get(4)?,
                phone_masked: r.try_get(5)?,
                id_enc: r.try_get(6)?,
                phone_enc: r.try_get(7)?,
            })
        })
        .collect()
}

/// A mediation session.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Session {
    pub session_no: String,
    pub held_on: String,
    pub place: Option<String>,
    pub mediator: Option<String>,
    pub notes: Option<String>,
}

/// The sessions of a dispute, in date order.
pub async fn sessions_of(pool: &AnyPool, dispute_id: i64) -> Result<Vec<Session>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT s.session_no, s.held_on, s.place, p.name, s.notes
           FROM mediation_session s LEFT JOIN person p ON p.id = s.mediator_id
          WHERE s.dispute_id = $1 ORDER BY s.held_on, s.session_no",
    )
    .bind(dispute_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Session {
                session_no: r.try_get(0)?,
                held_on: r.try_get(1)?,
                place: r.try_get(2)?,
                mediator: r.try_get(3)?,
                notes: r.try_get(4)?,
            })
        })
        .collect()
}

/// A canvassing round as its list shows it.
#[derive(Debug, Clone)]
pub struct Round {
    pub round_no: String,
    pub org_name: String,
    pub held_on: String,
    pub led_by: Option<String>,
    pub notes: Option<String>,
    /// Disputes in scope it found.
    pub disputes: i64,
}

/// Canvassing rounds held by a unit in `scope` (number or notes containing `q`), newest
/// first, and how many match.
pub async fn list_rounds(
    pool: &AnyPool,
    scope: &Scope,
    q: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Round>, i64), sqlx::Error> {
    let (lo, hi) = scope.bounds();
    let like = format!("%{}%", q.unwrap_or_default());
    let filter = "r.org_code >= $1 AND r.org_code < $2 AND (r.round_no LIKE $3 OR r.notes LIKE $3)";
    let total: i64 = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM canvass_round r WHERE {filter}"
    )))
    .bind(lo.clone())
    .bind(hi.clone())
    .bind(like.clone())
    .fetch_one(pool)
    .await?
    .try_get(0)?;
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT r.round_no, o.name, r.held_on, r.led_by, r.notes,
                (SELECT CAST(COUNT(*) AS BIGINT) FROM dispute d
                  WHERE d.round_no = r.round_no AND d.org_code >= $1 AND d.org_code < $2)
           FROM canvass_round r JOIN org_unit o ON o.code = r.org_code
          WHERE {filter} ORDER BY r.held_on DESC, r.round_no LIMIT $4 OFFSET $5"
    )))
    .bind(lo)
    .bind(hi)
    .bind(like)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    let rounds = rows
        .iter()
        .map(|r| {
            Ok(Round {
                round_no: r.try_get(0)?,
                org_name: r.try_get(1)?,
                held_on: r.try_get(2)?,
                led_by: r.try_get(3)?,
                notes: r.try_get(4)?,
                disputes: r.try_get(5)?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok((rounds, total))
}

/// 预警: every dispute in scope of 高 risk found on or before `at` and not concluded by then is
/// escalated to its township at once — the alert names the township as its unit.
pub async fn high_risk_alerts(
    pool: &AnyPool,
    scope: &Scope,
    at: NaiveDate,
) -> AppResult<Vec<Alert>> {
    let (lo, hi) = scope.bounds();
    let rows = sqlx::query(
        "SELECT d.id, d.dispute_no, d.org_code, o.name, d.kind, d.found_on, t.code, t.name
           FROM dispute d JOIN org_unit o ON o.code = d.org_code
           LEFT JOIN org_unit t ON t.code = SUBSTR(d.org_code, 1, 9) || '000'
          WHERE d.org_code >= $1 AND d.org_code < $2 AND d.risk = 'high'
            AND d.found_on <= $3 AND (d.concluded_on IS NULL OR d.concluded_on > $3)
          ORDER BY d.found_on, d.dispute_no",
    )
    .bind(lo)
    .bind(hi)
    .bind(at.to_string())
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            let id: i64 = r.try_get(0)?;
            let no: String = r.try_get(1)?;
            let village_code: String = r.try_get(2)?;
            let village: String = r.try_get(3)?;
            let kind: String = r.try_get(4)?;
            let found: String = r.try_get(5)?;
            let town_code: Option<String> = r.try_get(6)?;
            let town: Option<String> = r.try_get(7)?;
            Ok(Alert {
                kind: "高风险矛盾纠纷（已上报乡镇）",
                severity: Severity::High,
                unit_code: town_code.unwrap_or(village_code),
                unit: town.unwrap_or_else(|| village.clone()),
                text: format!(
                    "{village} 纠纷 {no}（{}）{found} 发现，风险等级高，尚未办结",
                    KINDS.word(&kind)
                ),
                link: format!("/governance/disputes/{id}"),
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

/// In the import's transaction: for each dispute written as 高 risk that was not 高 before (new,
/// or raised), an outbox message to the township (`demands::notify`'s outbox and delivery; the
/// message carries the number, unit, type and risk only — no personal data).
pub async fn escalate(tx: &mut Transaction<'static, Any>, items: &[&Item]) -> anyhow::Result<()> {
    let s = &sheets::DISPUTES;
    let (org_i, kind_i, risk_i) = (s.index("村编码"), s.index("纠纷类型"), s.index("风险等级"));
    let now = now_ms();
    for it in items {
        let raised = it.get(risk_i) == Some("high")
            && it
                .existing
                .as_ref()
                .is_none_or(|(_, old)| old[risk_i].as_deref() != Some("high"));
        if !raised || it.get(s.index("状态")) == Some("concluded") {
            continue;
        }
        let village = it.get(org_i).unwrap_or_default().to_string();
        let town = township_of(&village).unwrap_or_else(|| village.clone());
        let mut names = std::collections::HashMap::new();
        for r in sqlx::query("SELECT code, name FROM org_unit WHERE code = $1 OR code = $2")
            .bind(village.clone())
            .bind(town.clone())
            .fetch_all(&mut **tx)
            .await?
        {
            names.insert(r.try_get::<String, _>(0)?, r.try_get::<String, _>(1)?);
        }
        let vname = names
            .get(&village)
            .cloned()
            .unwrap_or_else(|| village.clone());
        let tname = names.get(&town).cloned().unwrap_or_else(|| town.clone());
        let kind = KINDS.word(it.get(kind_i).unwrap_or_default());
        let msg = crate::demands::notify::Message {
            kind: "dispute_high_risk".into(),
            title: "高风险矛盾纠纷上报".into(),
            demand_no: it.key.clone(),
            org_code: village.clone(),
            org_name: vname.clone(),
            handler_org_code: Some(town.clone()),
            handler_org_name: Some(tname),
            status: it.get(s.index("状态")).unwrap_or_default().to_string(),
            deadline_on: None,
            text: format!(
                "【高风险矛盾纠纷上报】{} {vname}（{kind}），风险等级高，请乡镇立即组织化解",
                it.key
            ),
        };
        sqlx::query(
            "INSERT INTO notification (kind, demand_id, org_code, payload, created_at, next_at)
             VALUES ($1, NULL, $2, $3, $4, $5)",
        )
        .bind("dispute_high_risk")
        .bind(town)
        .bind(serde_json::to_string(&msg)?)
        .bind(now)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_aliases_and_codes_read_as_their_codes() {
        assert_eq!(KINDS.parse("宅基地纠纷"), Ok("homestead"));
        assert_eq!(KINDS.parse("邻里"), Ok("neighbours"));
        assert_eq!(RISKS.parse("高"), Ok("high"));
        assert_eq!(OUTCOMES.parse("调解成功"), Ok("mediated"));
        assert!(RISKS.parse("很高").unwrap_err().contains("风险等级"));
        for w in [&KINDS, &RISKS, &STATUSES, &OUTCOMES, &ROLES] {
            assert_eq!(w.labels.len(), w.words.len());
            for (code, word) in w.words {
                assert_eq!(w.parse(word), Ok(*code));
                assert!(w.labels.contains(word));
            }
        }
        assert_eq!(township_of("990101001002").as_deref(), Some("990101001000"));
        assert_eq!(township_of("990101000000"), None);
    }
}

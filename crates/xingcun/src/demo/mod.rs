//! The demo district (`shared/spec/demo-district.md`): a fictional district, code 990101000000,
//! generated deterministically for a generation date G, through the platform's own domain code.

pub mod branches;
pub mod disputes;
pub mod industry;
pub mod more;
mod names;
pub mod registry;
pub mod talent;

use anyhow::Context;
use chrono::NaiveDate;
use sqlx::Row;
use xingcun_domain::division::{OrgCode, OrgKind};

use crate::accounts::{self, NewUser, Role};
use crate::app::AppState;
use crate::audit::Actor;
use crate::org::{self, NewOrgUnit};
use crate::scope::Scope;

pub const DISTRICT_CODE: &str = "990101000000";
pub const TOWNSHIPS: usize = 5;
pub const VILLAGES_PER_TOWNSHIP: usize = 14;
pub const GRIDS_PER_VILLAGE: usize = 4;
/// The demo accounts' password. The demo database is for trying the platform out; a real
/// database starts with no account at all (`xingcun user add`), and every account made there
/// must change its password at first sign-in.
pub const DEMO_PASSWORD: &str = "Demo@2026xc";

/// The TOTP secret of the demo's administrator accounts (xitong, anquan, shenji): fixed and
/// published so the demo stays easy to try (add it to any authenticator app, or compute codes
/// from it as the browser tests do). A real database has no such secret: each administrator
/// enrols their own at first sign-in.
pub const DEMO_TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// The demo accounts: (user name, name, role, org code). 三员分立: the district's records are
/// managed by `admin` (区级业务管理员), accounts by `xitong`, roles and second factors by
/// `anquan`, and the audit trail is read by `shenji`.
pub const DEMO_ACCOUNTS: &[(&str, &str, Role, &str)] = &[
    (
        "admin",
        "区级业务管理员",
        Role::DistrictAdmin,
        DISTRICT_CODE,
    ),
    ("xitong", "系统管理员", Role::SystemAdmin, DISTRICT_CODE),
    ("anquan", "安全管理员", Role::SecurityAdmin, DISTRICT_CODE),
    ("shenji", "审计管理员", Role::AuditAdmin, DISTRICT_CODE),
    (
        "xiangzhen",
        "青山镇组织委员",
        Role::TownshipUser,
        "990101001000",
    ),
    ("cungan", "王家庄村书记", Role::VillageUser, "990101001001"),
    (
        "dangyuan",
        "王家庄村党员",
        Role::PartyMember,
        "990101001001",
    ),
    ("chakan", "区委组织部（只读）", Role::Viewer, DISTRICT_CODE),
];

fn code(s: String) -> anyhow::Result<OrgCode> {
    OrgCode::parse(&s).map_err(|e| anyhow::anyhow!("demo code {s}: {e}"))
}

/// The org tree of the demo: 1 district, 5 townships, 70 villages, 280 grids.
pub fn org_units() -> anyhow::Result<Vec<NewOrgUnit>> {
    org_units_for(TOWNSHIPS * VILLAGES_PER_TOWNSHIP)
}

/// A district of `villages` villages, 14 to a township (a synthetic district for benchmarks
/// when larger than the demo's 70; names repeat with a number).
pub fn org_units_for(villages: usize) -> anyhow::Result<Vec<NewOrgUnit>> {
    anyhow::ensure!(
        (1..=999 * VILLAGES_PER_TOWNSHIP).contains(&villages),
        "村数须在 1 到 {} 之间",
        999 * VILLAGES_PER_TOWNSHIP
    );
    let townships = villages.div_ceil(VILLAGES_PER_TOWNSHIP);
    let mut units = vec![NewOrgUnit {
        code: code(DISTRICT_CODE.into())?,
        name: names::DISTRICT.into(),
        kind: OrgKind::District,
        parent_code: None,
        revoked_on: None,
        merged_into: None,
    }];
    for t in 0..townships {
        let t_code = format!("990101{:03}000", t + 1);
        let round = t / names::TOWNSHIPS.len();
        let t_name = names::TOWNSHIPS[t % names::TOWNSHIPS.len()];
        units.push(NewOrgUnit {
            code: code(t_code.clone())?,
            name: if round == 0 {
                t_name.into()
            } else {
                format!("{t_name}{}", round + 1)
            },
            kind: OrgKind::Township,
            parent_code: Some(code(DISTRICT_CODE.into())?),
            revoked_on: None,
            merged_into: None,
        });
        for v in 0..VILLAGES_PER_TOWNSHIP.min(villages - t * VILLAGES_PER_TOWNSHIP) {
            let v_code = format!("990101{:03}{:03}", t + 1, v + 1);
            let i = t * VILLAGES_PER_TOWNSHIP + v;
            let v_name = names::VILLAGES[i % names::VILLAGES.len()];
            let round = i / names::VILLAGES.len();
            units.push(NewOrgUnit {
                code: code(v_code.clone())?,
                name: if round == 0 {
                    v_name.into()
                } else {
                    format!("{}{}村", v_name.trim_end_matches('村'), round + 1)
                },
                kind: OrgKind::AdminVillage,
                parent_code: Some(code(t_code.clone())?),
                revoked_on: None,
                merged_into: None,
            });
            for g in 0..GRIDS_PER_VILLAGE {
                units.push(NewOrgUnit {
                    code: code(format!("{v_code}{:03}", g + 1))?,
                    name: names::GRIDS[g].into(),
                    kind: OrgKind::Grid,
                    parent_code: Some(code(v_code.clone())?),
                    revoked_on: None,
                    merged_into: None,
                });
            }
        }
    }
    Ok(units)
}

/// Is the demo already in this database (for this generation date)?
async fn built_for(state: &AppState) -> anyhow::Result<Option<String>> {
    let row = sqlx::query("SELECT value FROM app_setting WHERE key = 'demo_date'")
        .fetch_optional(&state.db().pool)
        .await?;
    Ok(row.map(|r| r.try_get(0)).transpose()?)
}

/// Builds the demo unless it is there already for the same date.
pub async fn ensure(
    state: &AppState,
    date: NaiveDate,
    fresh: bool,
    villages: usize,
) -> anyhow::Result<()> {
    if !fresh && built_for(state).await?.as_deref() == Some(date.to_string().as_str()) {
        println!("演示数据已存在（生成日期 {date}），直接使用");
        return Ok(());
    }
    if built_for(state).await?.is_some() {
        anyhow::bail!(
            "该数据库已有另一生成日期的演示数据；请删除数据库文件后重试，或使用新的 --database-url"
        );
    }
    let started = std::time::Instant::now();
    build_sized(state, date, villages).await?;
    println!(
        "演示数据已生成（生成日期 {date}），用时 {:.1} 秒",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Generates the whole demo district through the domain code.
pub async fn build(state: &AppState, date: NaiveDate) -> anyhow::Result<()> {
    build_sized(state, date, TOWNSHIPS * VILLAGES_PER_TOWNSHIP).await
}

/// The demo, or a synthetic district of `villages` villages with the same make-up per village.
pub async fn build_sized(state: &AppState, date: NaiveDate, villages: usize) -> anyhow::Result<()> {
    build_base_sized(state, villages).await?;
    build_registry(state, date, villages).await?;
    link_party_member_account(state).await?;
    work_phones(state).await?;
    sqlx::query("INSERT INTO app_setting (key, value) VALUES ('demo_date', $1)")
        .bind(date.to_string())
        .execute(&state.db().pool)
        .await?;
    Ok(())
}

/// The org tree and the demo accounts: what every test of the platform starts from.
pub async fn build_base(state: &AppState, _date: NaiveDate) -> anyhow::Result<()> {
    build_base_sized(state, TOWNSHIPS * VILLAGES_PER_TOWNSHIP).await
}

async fn build_base_sized(state: &AppState, villages: usize) -> anyhow::Result<()> {
    let db = state.db();
    let actor = Actor::system();
    let mut tx = db.pool.begin().await?;
    for u in org_units_for(villages)? {
        org::upsert(&mut tx, &actor, &u)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    tx.commit().await?;
    for (username, name, role, org_code) in DEMO_ACCOUNTS {
        let new = NewUser {
            username: (*username).into(),
            display_name: (*name).into(),
            role: *role,
            org_code: (*org_code).into(),
            password: DEMO_PASSWORD.into(),
            must_change_password: false,
        };
        let id = accounts::create_user(db, state.crypto(), &Scope::everything(), &actor, &new)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(|| format!("演示账号 {username}"))?;
        if role.needs_second_factor() {
            accounts::totp::set_secret(db, state.crypto(), id, DEMO_TOTP_SECRET)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
    }
    Ok(())
}

/// The registry part: households, people, party organisations and members, cadre posts,
/// through the workbook import's checks and writes.
pub async fn build_registry(
    state: &AppState,
    date: NaiveDate,
    villages: usize,
) -> anyhow::Result<()> {
    let units = org_units_for(villages)?;
    let townships: Vec<String> = units
        .iter()
        .filter(|u| u.kind == OrgKind::Township)
        .map(|u| u.code.as_str().to_string())
        .collect();
    let villages: Vec<registry::Village> = units
        .iter()
        .filter(|u| u.kind.is_village())
        .map(|v| registry::Village {
            code: v.code.as_str().to_string(),
            township: townships
                .iter()
                .position(|t| v.parent_code.as_ref().is_some_and(|p| p.as_str() == t))
                .unwrap_or(0),
            grids: units
                .iter()
                .filter(|g| {
                    g.parent_code
                        .as_ref()
                        .is_some_and(|p| p.as_str() == v.code.as_str())
                })
                .map(|g| g.code.as_str().to_string())
                .collect(),
        })
        .collect();
    let mut sheets = registry::generate(&villages, &townships, date);
    sheets.extend(industry::generate(&villages, date));
    let more = more::generate(&villages, &sheets, date);
    sheets.extend(more);
    let disputes = disputes::generate(&villages, &townships, &sheets, date);
    sheets.extend(disputes);
    let branch_work = branches::generate(&sheets, date);
    sheets.extend(branch_work);
    let opts = crate::workbook::ImportOptions {
        dry_run: false,
        within: None,
        today: date,
    };
    match crate::workbook::import_sheets(
        state.db(),
        state.crypto(),
        &Actor::system(),
        sheets,
        Vec::new(),
        &opts,
    )
    .await?
    {
        crate::workbook::ImportOutcome::Done { .. } => Ok(()),
        crate::workbook::ImportOutcome::Refused(problems) => {
            let first: Vec<String> = problems.iter().take(10).map(ToString::to_string).collect();
            anyhow::bail!(
                "演示数据未通过台账检查（{} 个问题）：\n{}",
                problems.len(),
                first.join("\n")
            )
        }
    }
}

/// The demo account `dangyuan` is one of 王家庄村's linking party members (the one linked to the
/// village's first 联户), so its 我的联系户 shows real households.
pub async fn link_party_member_account(state: &AppState) -> anyhow::Result<()> {
    let pool = &state.db().pool;
    let person: Option<i64> = sqlx::query(
        "SELECT l.person_id FROM household_link l
         WHERE l.org_code >= '990101001001' AND l.org_code < '990101001002'
         ORDER BY l.id LIMIT 1",
    )
    .fetch_optional(pool)
    .await?
    .map(|r| r.try_get(0))
    .transpose()?;
    let Some(user) = accounts::find_user_id(pool, "dangyuan").await? else {
        return Ok(());
    };
    if person.is_some() {
        accounts::link_person(
            state.db(),
            state.crypto(),
            &Scope::everything(),
            &Actor::system(),
            user,
            person,
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    Ok(())
}

/// Prints the demo accounts for the person who started the demo.
pub fn print_accounts(_state: &AppState) {
    println!("演示账号（密码均为 {DEMO_PASSWORD}；管理员的动态口令密钥为 {DEMO_TOTP_SECRET}）：");
    for (username, name, role, org) in DEMO_ACCOUNTS {
        println!("  {username:<10} {}  {name}（{org}）", role.label());
    }
}

/// Office lines for everyone a village's public page names (包村, 驻村, 入网): 0999-66NNNNN.
async fn work_phones(state: &AppState) -> anyhow::Result<()> {
    let pool = &state.db().pool;
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT person_id FROM village_contact UNION SELECT person_id FROM stationing
         UNION SELECT person_id FROM grid_duty ORDER BY 1",
    )
    .fetch_all(pool)
    .await?;
    let actor = Actor::system();
    let mut tx = pool.begin().await?;
    for (n, id) in ids.iter().enumerate() {
        let phone = format!("0999-66{:05}", n + 1);
        crate::demands::public::set_work_phone(&mut tx, &actor, *id, Some(&phone))
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    tx.commit().await?;
    Ok(())
}

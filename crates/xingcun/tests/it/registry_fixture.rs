//! A small registry in the demo org tree, written with plain SQL (the workbook import is not
//! there yet): three households, five people, party orgs, memberships and posts, spread over
//! the village 990101001001 (王家庄村, the `cungan` account's), its sibling 990101001002 and a
//! village of another township, 990101002001. ID and phone numbers are sealed with the app's
//! own key, as the import will.

use sqlx::Row;
use xingcun::registry::personal;
use xingcun_domain::id_number::check_char;
use xingcun_domain::{IdNumber, Phone, name_keys};

use crate::harness::TestApp;

pub const OWN_VILLAGE: &str = "990101001001";
pub const OWN_GRID: &str = "990101001001001";
pub const SIBLING_VILLAGE: &str = "990101001002";
pub const OTHER_TOWNSHIP_VILLAGE: &str = "990101002001";

/// A person of the fixture, with the numbers tests search for and look for in pages.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: i64,
    pub name: &'static str,
    pub id_number: String,
    pub id_masked: String,
    pub phone: Option<String>,
    pub phone_masked: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Household {
    pub id: i64,
    pub no: &'static str,
    pub phone: Option<String>,
}

/// What the fixture wrote.
#[derive(Debug, Clone)]
pub struct Registry {
    /// 王家庄村 (its first grid): lifted out of poverty and on 低保, head 张三.
    pub own_household: Household,
    /// 李家洼村: a 一般户, head 周苏.
    pub sibling_household: Household,
    /// 柳河镇's first village: monitored, head 张三丰.
    pub other_household: Household,
    /// Head of the own household; ID ends in X; full member; secretary now, chair before.
    pub zhang_san: Person,
    /// His spouse; probationary member.
    pub li_si: Person,
    /// Head in the sibling village: same initials "zs" as 张三.
    pub zhou_su: Person,
    /// In the other township: "zhangsanfeng" starts with "zhangsan".
    pub zhang_sanfeng: Person,
    /// In the own village, no household, no phone.
    pub wang_wu: Person,
    pub own_branch_id: i64,
    pub sibling_branch_id: i64,
    pub committee_id: i64,
}

/// An ID number of the demo region 990101 for this birth date and sequence.
pub fn id_number(birth: &str, seq: u32) -> String {
    let first17 = format!("990101{birth}{seq:03}");
    format!("{first17}{}", check_char(&first17))
}

/// The first ID number for this birth date whose check character is X (and sex male).
pub fn id_number_ending_in_x(birth: &str) -> String {
    (1..1000)
        .filter(|s| s % 2 == 1)
        .map(|s| id_number(birth, s))
        .find(|id| id.ends_with('X'))
        .expect("some sequence gives X")
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()
}

async fn household(
    app: &TestApp,
    no: &'static str,
    org: &str,
    phone: Option<&str>,
    flags: [i64; 4],
    monitor_type: Option<&str>,
) -> Household {
    let sealed = phone.map(|p| {
        personal::seal_phone(
            app.state.crypto(),
            &Phone::parse(p).unwrap(),
            personal::AAD_HOUSEHOLD_PHONE,
        )
    });
    let id: i64 = sqlx::query(
        "INSERT INTO household (household_no, org_code, group_name, address, phone_enc, phone_bidx,
            phone_masked, lifted_out, monitored, monitor_type, dibao, destitute, created_at, updated_at)
         VALUES ($1, $2, '第一村民小组', $3, $4, $5, $6, $7, $8, $9, $10, $11, 0, 0) RETURNING id",
    )
    .bind(no)
    .bind(org.to_string())
    .bind(format!("{no}号院"))
    .bind(sealed.as_ref().map(|s| s.enc.clone()))
    .bind(sealed.as_ref().map(|s| s.bidx.clone()))
    .bind(sealed.as_ref().map(|s| s.masked.clone()))
    .bind(flags[0])
    .bind(flags[1])
    .bind(monitor_type)
    .bind(flags[2])
    .bind(flags[3])
    .fetch_one(&app.db().pool)
    .await
    .expect("insert household")
    .get(0);
    Household {
        id,
        no,
        phone: phone.map(str::to_string),
    }
}

#[allow(clippy::too_many_arguments)]
async fn person(
    app: &TestApp,
    name: &'static str,
    id_number: String,
    phone: Option<&str>,
    org: &str,
    household: Option<(i64, &str)>,
    education: (Option<&str>, Option<&str>),
    political_status: &str,
) -> Person {
    let crypto = app.state.crypto();
    let id = IdNumber::parse(&id_number, today()).expect("valid fixture ID");
    let sealed_id = personal::seal_id(crypto, &id);
    let sealed_phone = phone.map(|p| {
        personal::seal_phone(
            crypto,
            &Phone::parse(p).unwrap(),
            personal::AAD_PERSON_PHONE,
        )
    });
    let keys = name_keys(name);
    let row_id: i64 = sqlx::query(
        "INSERT INTO person (id_bidx, id_enc, id_masked, name, name_pinyin, name_initials, sex,
            birth_date, ethnicity, edu_full_time, edu_in_service, political_status, phone_enc,
            phone_bidx, phone_masked, household_id, relation, org_code, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'han', $9, $10, $11, $12, $13, $14, $15, $16, $17, 0, 0)
         RETURNING id",
    )
    .bind(sealed_id.bidx.clone())
    .bind(sealed_id.enc.clone())
    .bind(sealed_id.masked.clone())
    .bind(name)
    .bind(keys.full)
    .bind(keys.initials)
    .bind(id.sex().code())
    .bind(id.birth_date().to_string())
    .bind(education.0)
    .bind(education.1)
    .bind(political_status)
    .bind(sealed_phone.as_ref().map(|s| s.enc.clone()))
    .bind(sealed_phone.as_ref().map(|s| s.bidx.clone()))
    .bind(sealed_phone.as_ref().map(|s| s.masked.clone()))
    .bind(household.map(|h| h.0))
    .bind(household.map(|h| h.1))
    .bind(org.to_string())
    .fetch_one(&app.db().pool)
    .await
    .expect("insert person")
    .get(0);
    Person {
        id: row_id,
        name,
        id_masked: sealed_id.masked,
        id_number,
        phone: phone.map(str::to_string),
        phone_masked: sealed_phone.map(|s| s.masked),
    }
}

async fn party_org(
    app: &TestApp,
    code: &str,
    name: &str,
    kind: &str,
    parent: Option<&str>,
    org: &str,
) -> i64 {
    sqlx::query(
        "INSERT INTO party_org (code, name, kind, parent_code, org_code, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 0, 0) RETURNING id",
    )
    .bind(code.to_string())
    .bind(name.to_string())
    .bind(kind.to_string())
    .bind(parent.map(str::to_string))
    .bind(org.to_string())
    .fetch_one(&app.db().pool)
    .await
    .expect("insert party org")
    .get(0)
}

async fn member(
    app: &TestApp,
    p: &Person,
    party_org: &str,
    org: &str,
    category: &str,
    joined: &str,
    confirmed: Option<&str>,
) {
    sqlx::query(
        "INSERT INTO party_member (person_id, party_org_code, org_code, category, joined_on,
            confirmed_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 0, 0)",
    )
    .bind(p.id)
    .bind(party_org.to_string())
    .bind(org.to_string())
    .bind(category.to_string())
    .bind(joined.to_string())
    .bind(confirmed.map(str::to_string))
    .execute(&app.db().pool)
    .await
    .expect("insert party member");
}

#[allow(clippy::too_many_arguments)]
async fn post(
    app: &TestApp,
    p: &Person,
    category: &str,
    post: &str,
    org: &str,
    starts: &str,
    ends: Option<&str>,
    professional: i64,
) {
    sqlx::query(
        "INSERT INTO cadre_post (person_id, category, post, org_code, starts_on, ends_on,
            professional, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, 0)",
    )
    .bind(p.id)
    .bind(category.to_string())
    .bind(post.to_string())
    .bind(org.to_string())
    .bind(starts.to_string())
    .bind(ends.map(str::to_string))
    .bind(professional)
    .execute(&app.db().pool)
    .await
    .expect("insert post");
}

/// Writes the fixture. The first household, person and party org get row id 1 on both
/// backends (the route walk relies on it).
pub async fn load(app: &TestApp) -> Registry {
    let own_household = household(
        app,
        "9901010010010001",
        OWN_GRID,
        Some("13900000011"),
        [1, 0, 1, 0],
        None,
    )
    .await;
    let sibling_household =
        household(app, "9901010010020001", SIBLING_VILLAGE, None, [0; 4], None).await;
    let other_household = household(
        app,
        "9901010020010001",
        OTHER_TOWNSHIP_VILLAGE,
        Some("13900000033"),
        [0, 1, 0, 0],
        Some("unstable_lifted_out"),
    )
    .await;
    let zhang_san = person(
        app,
        "张三",
        id_number_ending_in_x("19800101"),
        Some("13900000001"),
        OWN_GRID,
        Some((own_household.id, "household_head")),
        (Some("high_school"), Some("junior_college")),
        "cpc_member",
    )
    .await;
    let li_si = person(
        app,
        "李四",
        id_number("19820202", 2),
        Some("13900000002"),
        OWN_GRID,
        Some((own_household.id, "spouse")),
        (Some("junior_high"), None),
        "cpc_probationary_member",
    )
    .await;
    let zhou_su = person(
        app,
        "周苏",
        id_number("19750505", 3),
        Some("13900000003"),
        SIBLING_VILLAGE,
        Some((sibling_household.id, "household_head")),
        (Some("bachelor"), None),
        "cpc_member",
    )
    .await;
    let zhang_sanfeng = person(
        app,
        "张三丰",
        id_number("19600606", 5),
        Some("13900000005"),
        OTHER_TOWNSHIP_VILLAGE,
        Some((other_household.id, "household_head")),
        (None, None),
        "cpc_member",
    )
    .await;
    let wang_wu = person(
        app,
        "王五",
        id_number("19900909", 9),
        None,
        OWN_VILLAGE,
        None,
        (Some("primary_or_below"), None),
        "masses",
    )
    .await;
    let committee_id = party_org(
        app,
        "P001",
        "中共青山镇委员会",
        "committee",
        None,
        "990101001000",
    )
    .await;
    let own_branch_id = party_org(
        app,
        "P001001",
        "中共王家庄村支部委员会",
        "branch",
        Some("P001"),
        OWN_VILLAGE,
    )
    .await;
    let sibling_branch_id = party_org(
        app,
        "P001002",
        "中共李家洼村支部委员会",
        "branch",
        Some("P001"),
        SIBLING_VILLAGE,
    )
    .await;
    party_org(
        app,
        "P002",
        "中共柳河镇委员会",
        "committee",
        None,
        "990101002000",
    )
    .await;
    party_org(
        app,
        "P002001",
        "中共柳河镇第一村支部委员会",
        "branch",
        Some("P002"),
        OTHER_TOWNSHIP_VILLAGE,
    )
    .await;
    member(
        app,
        &zhang_san,
        "P001001",
        OWN_GRID,
        "full",
        "2005-07-01",
        Some("2006-07-01"),
    )
    .await;
    member(
        app,
        &li_si,
        "P001001",
        OWN_GRID,
        "probationary",
        "2025-07-01",
        None,
    )
    .await;
    member(
        app,
        &zhou_su,
        "P001002",
        SIBLING_VILLAGE,
        "full",
        "2000-07-01",
        Some("2001-07-01"),
    )
    .await;
    member(
        app,
        &zhang_sanfeng,
        "P002001",
        OTHER_TOWNSHIP_VILLAGE,
        "full",
        "1990-07-01",
        Some("1991-07-01"),
    )
    .await;
    post(
        app,
        &zhang_san,
        "village_cadre",
        "branch_secretary",
        OWN_VILLAGE,
        "2021-01-01",
        None,
        1,
    )
    .await;
    post(
        app,
        &zhang_san,
        "village_cadre",
        "villagers_committee_chair",
        OWN_VILLAGE,
        "2018-01-01",
        Some("2021-01-01"),
        0,
    )
    .await;
    post(
        app,
        &zhou_su,
        "village_cadre",
        "villagers_committee_chair",
        SIBLING_VILLAGE,
        "2021-01-01",
        None,
        0,
    )
    .await;
    post(
        app,
        &zhang_sanfeng,
        "township_leader",
        "镇长",
        "990101002000",
        "2020-01-01",
        None,
        0,
    )
    .await;
    Registry {
        own_household,
        sibling_household,
        other_household,
        zhang_san,
        li_si,
        zhou_su,
        zhang_sanfeng,
        wang_wu,
        own_branch_id,
        sibling_branch_id,
        committee_id,
    }
}

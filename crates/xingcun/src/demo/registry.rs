//! The registry part of the demo: households, people, party organisations, party members and
//! cadre posts, generated deterministically and written through the workbook import's own
//! checks and writes (`workbook::import_sheets`), never straight into tables.
//!
//! Shape per village: 400 households of 3 or 4 people (28,000 households and 90,000 people for
//! 70 villages); a village 党支部 with 32 members; 6 or 7 village cadres (437 in all), the
//! secretary also committee director (一肩挑) in every other village; 30 secretaries under
//! professional management; every 行政村 but the last two with a college-educated cadre. Each
//! township has leaders (43 in all, 9/9/9/8/8) and 14 township cadres, with its organ branch.

use std::collections::HashMap;

use chrono::{Datelike, Days, NaiveDate};
use xingcun_domain::enums::{
    CadreCategory, Education, Ethnicity, MemberCategory, MonitorType, PartyOrgKind,
    PoliticalStatus, Relation, VillagePost,
};
use xingcun_domain::enums::{Readiness, TalentSource};
use xingcun_domain::id_number::check_char;

use super::names;
use crate::workbook::read::{Row, SheetData};
use crate::workbook::sheets::{self, Sheet};

pub const HOUSEHOLDS_PER_VILLAGE: usize = 400;
pub const MEMBERS_PER_VILLAGE: usize = 32;
pub const PROFESSIONAL_SECRETARIES: usize = 30;
/// Township leaders per township (43 in all).
pub const LEADERS: [usize; 5] = [9, 9, 9, 8, 8];
pub const TOWNSHIP_CADRES_PER_TOWNSHIP: usize = 14;

/// One village of the tree the demo fills.
#[derive(Debug, Clone)]
pub struct Village {
    pub code: String,
    pub township: usize,
    pub grids: Vec<String>,
}

/// Rows of one sheet under construction.
struct Builder {
    sheet: &'static Sheet,
    rows: Vec<Row>,
}

impl Builder {
    fn new(sheet: &'static Sheet) -> Builder {
        Builder {
            sheet,
            rows: Vec::new(),
        }
    }
    fn push(&mut self, cells: &[(&str, Option<String>)]) {
        let mut values = vec![None; self.sheet.columns.len()];
        for (h, v) in cells {
            values[self.sheet.index(h)] = v.clone();
        }
        let row = self.rows.len() as u32 + 2;
        self.rows.push(Row { row, values });
    }
    fn finish(self) -> SheetData {
        let n = self.sheet.columns.len();
        SheetData {
            sheet: self.sheet,
            present: vec![true; n],
            file_col: vec![None; n],
            rows: self.rows,
        }
    }
}

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

/// Hands out unique, valid ID numbers (region 990101) and phone numbers 1390000NNNN.
struct Ids {
    per_date: HashMap<NaiveDate, u32>,
    phones: u32,
}

impl Ids {
    fn id(&mut self, birth: NaiveDate, male: bool) -> String {
        let n = self.per_date.entry(birth).or_insert(0);
        let seq = *n * 2 + if male { 1 } else { 2 };
        *n += 1;
        let first17 = format!("990101{}{seq:03}", birth.format("%Y%m%d"));
        format!("{first17}{}", check_char(&first17))
    }
    fn phone(&mut self) -> Option<String> {
        (self.phones < 9_999).then(|| {
            self.phones += 1;
            format!("1390000{:04}", self.phones)
        })
    }
}

/// A birth date `age` years before the demo year, spread over the year by `k`.
fn birth(year: i32, age: i32, k: usize) -> NaiveDate {
    let jan1 = NaiveDate::from_ymd_opt(year - age, 1, 1).expect("valid year");
    jan1 + Days::new((k as u64 * 37) % 365)
}

fn education_for(age: i32, k: usize) -> Education {
    match (age, k % 10) {
        (a, _) if a >= 65 => Education::PrimaryOrBelow,
        (a, d) if a >= 50 => {
            if d < 7 {
                Education::JuniorHigh
            } else {
                Education::HighSchool
            }
        }
        (_, d) if d < 4 => Education::JuniorHigh,
        (_, d) if d < 7 => Education::HighSchool,
        (_, d) if d < 9 => Education::JuniorCollege,
        _ => Education::Bachelor,
    }
}

fn name(k: usize, male: bool) -> String {
    // Multipliers prime to the list lengths spread the combinations over the district.
    let surname = names::SURNAMES[(k * 131 + k / 50) % names::SURNAMES.len()];
    let given = if male {
        names::MALE_NAMES[(k * 37 + k / 7) % names::MALE_NAMES.len()]
    } else {
        names::FEMALE_NAMES[(k * 43 + k / 11) % names::FEMALE_NAMES.len()]
    };
    format!("{surname}{given}")
}

/// The generated sheets, in import order.
pub fn generate(villages: &[Village], townships: &[String], date: NaiveDate) -> Vec<SheetData> {
    let year = date.year();
    let term_start = format!("{}-01-05", year - 5);
    let mut ids = Ids {
        per_date: HashMap::new(),
        phones: 0,
    };
    let mut households = Builder::new(&sheets::HOUSEHOLDS);
    let mut people = Builder::new(&sheets::PEOPLE);
    let mut party_orgs = Builder::new(&sheets::PARTY_ORGS);
    let mut members = Builder::new(&sheets::PARTY_MEMBERS);
    let mut cadres = Builder::new(&sheets::CADRES);
    let mut work_teams = Builder::new(&sheets::WORK_TEAMS);
    let mut team_members = Builder::new(&sheets::TEAM_MEMBERS);
    let mut contacts = Builder::new(&sheets::VILLAGE_CONTACTS);
    let mut stationings = Builder::new(&sheets::STATIONINGS);
    let mut grid_duties = Builder::new(&sheets::GRID_DUTIES);
    let mut links = Builder::new(&sheets::HOUSEHOLD_LINKS);
    // (household number, linking member) of every village, for the visits.
    let mut visit_pool: Vec<Vec<(String, String)>> = Vec::new();
    // Per village: its code, its cadres (secretary first) and its young adults who hold no post.
    let mut talent_pool: Vec<TalentVillage> = Vec::new();
    // Outreach assignments start before 1 January of the demo year.
    let assigned_on = format!("{}-12-01", year - 1);
    let mut village_no = 0usize; // villages so far, for the linking-member counts
    let district = "D990101".to_string();
    party_orgs.push(&[
        ("组织编码", s(&district)),
        ("名称", s("中共兴和区委员会")),
        ("类型", s(PartyOrgKind::Committee.code())),
        ("所在区划编码", s(super::DISTRICT_CODE)),
    ]);
    let member_row = |m: &mut Builder, id: &str, org: &str, k: usize| {
        let joined = NaiveDate::from_ymd_opt(year - 3 - (k % 35) as i32, 1 + (k % 12) as u32, 1)
            .expect("valid date");
        let probationary = k.is_multiple_of(25);
        let (joined, confirmed) = if probationary {
            (
                NaiveDate::from_ymd_opt(year - 1, 3 + (k % 9) as u32, 1).expect("valid date"),
                None,
            )
        } else {
            (
                joined,
                Some(joined.with_year(joined.year() + 1).expect("valid date")),
            )
        };
        let cat = if probationary {
            MemberCategory::Probationary
        } else {
            MemberCategory::Full
        };
        m.push(&[
            ("身份证号", s(id)),
            ("所在党组织编码", s(org)),
            ("党员类别", s(cat.code())),
            ("入党日期", Some(joined.to_string())),
            ("转正日期", confirmed.map(|d| d.to_string())),
        ]);
        cat.political_status()
    };
    let mut k = 0usize; // a running counter that varies every generated attribute
    // Household sizes: 3, and 4 for an evenly spread share, so that all people, township staff
    // included, number 90,000 per 70 villages (9,000 per 7).
    let township_people: usize = (0..townships.len())
        .map(|t| LEADERS[t % LEADERS.len()] + TOWNSHIP_CADRES_PER_TOWNSHIP)
        .sum();
    let all_households = villages.len() * HOUSEHOLDS_PER_VILLAGE;
    let target_people = villages.len() * 9_000 / 7;
    let extra = target_people.saturating_sub(3 * all_households + township_people);
    let mut g = 0usize; // household index across the district
    for (t, tcode) in townships.iter().enumerate() {
        let tparty = format!("D990101{:03}", t + 1);
        let organ = format!("{tparty}900");
        party_orgs.push(&[
            ("组织编码", s(&tparty)),
            ("名称", s(&format!("中共{}委员会", names::TOWNSHIPS[t % 5]))),
            ("类型", s(PartyOrgKind::Committee.code())),
            ("上级组织编码", s(&district)),
            ("所在区划编码", s(tcode)),
        ]);
        party_orgs.push(&[
            ("组织编码", s(&organ)),
            ("名称", s(&format!("{}机关党支部", names::TOWNSHIPS[t % 5]))),
            ("类型", s(PartyOrgKind::Branch.code())),
            ("上级组织编码", s(&tparty)),
            ("所在区划编码", s(tcode)),
        ]);
        let leaders = LEADERS[t % LEADERS.len()];
        let mut leader_ids: Vec<String> = Vec::new();
        let mut staff_ids: Vec<String> = Vec::new();
        for i in 0..leaders + TOWNSHIP_CADRES_PER_TOWNSHIP {
            k += 1;
            let leader = i < leaders;
            let male = !k.is_multiple_of(3);
            let age = 32 + (k % 22) as i32;
            let id = ids.id(birth(year, age, k), male);
            let pol = member_row(&mut members, &id, &organ, k);
            people.push(&[
                ("身份证号", s(&id)),
                ("姓名", Some(name(k, male))),
                ("民族", s(Ethnicity::Han.code())),
                (
                    "全日制学历",
                    s(if k.is_multiple_of(3) {
                        Education::Postgraduate.code()
                    } else {
                        Education::Bachelor.code()
                    }),
                ),
                ("政治面貌", s(pol.code())),
                ("联系电话", ids.phone()),
            ]);
            if leader {
                leader_ids.push(id.clone());
            } else {
                staff_ids.push(id.clone());
            }
            let (cat, post) = if leader {
                (
                    CadreCategory::TownshipLeader,
                    [
                        "党委书记",
                        "镇长",
                        "党委副书记",
                        "人大主席",
                        "副镇长",
                        "党委委员",
                        "组织委员",
                        "宣传委员",
                        "纪委书记",
                    ][i % 9],
                )
            } else {
                (
                    CadreCategory::TownshipCadre,
                    [
                        "党政办科员",
                        "经济发展办科员",
                        "社会事务办科员",
                        "综治中心干事",
                    ][i % 4],
                )
            };
            cadres.push(&[
                ("身份证号", s(&id)),
                ("干部类别", s(cat.code())),
                ("职务", s(post)),
                ("任职单位编码", s(tcode)),
                ("任职日期", s(&term_start)),
            ]);
        }
        for (j, (vi, v)) in villages
            .iter()
            .enumerate()
            .filter(|(_, v)| v.township == t)
            .enumerate()
        {
            let branch = format!("{tparty}{}", &v.code[9..12]);
            let vname = names::VILLAGES.get(vi).copied().unwrap_or("村");
            party_orgs.push(&[
                ("组织编码", s(&branch)),
                ("名称", s(&format!("中共{vname}支部委员会"))),
                ("类型", s(PartyOrgKind::Branch.code())),
                ("上级组织编码", s(&tparty)),
                ("所在区划编码", s(&v.code)),
            ]);
            let cadre_count = if vi < 17 { 7 } else { 6 };
            let mut village_people: Vec<(String, i32, bool)> = Vec::new(); // (id, age, is head or spouse)
            let mut village_households: Vec<String> = Vec::new();
            for h in 0..HOUSEHOLDS_PER_VILLAGE {
                k += 1;
                let hh_no = format!("{}{:04}", v.code, h + 1);
                let size =
                    3 + usize::from((g + 1) * extra / all_households > g * extra / all_households);
                g += 1;
                village_households.push(hh_no.clone());
                let monitored = k.is_multiple_of(97);
                households.push(&[
                    ("户编号", s(&hh_no)),
                    ("所属区划编码", s(&v.grids[h % v.grids.len()])),
                    (
                        "村民小组",
                        Some(format!(
                            "第{}村民小组",
                            ["一", "二", "三", "四", "五", "六"][h % 6]
                        )),
                    ),
                    ("地址", Some(format!("{vname}{}号", h + 1))),
                    ("联系电话", None),
                    (
                        "常住状态",
                        s(if k.is_multiple_of(23) {
                            "all_away"
                        } else {
                            "in_residence"
                        }),
                    ),
                    ("脱贫户", s(if k.is_multiple_of(19) { "1" } else { "0" })),
                    ("监测对象", s(if monitored { "1" } else { "0" })),
                    (
                        "监测对象类型",
                        monitored.then(|| MonitorType::ALL[k % 3].code().to_string()),
                    ),
                    ("低保户", s(if k.is_multiple_of(31) { "1" } else { "0" })),
                    (
                        "特困供养户",
                        s(if k.is_multiple_of(211) { "1" } else { "0" }),
                    ),
                ]);
                let head_age = 30 + (k % 45) as i32;
                let head_male = !k.is_multiple_of(7);
                let mut members_of: Vec<(bool, i32, Relation)> = vec![
                    (head_male, head_age, Relation::HouseholdHead),
                    (!head_male, head_age - 2 + (k % 5) as i32, Relation::Spouse),
                ];
                for c in 0..size - 2 {
                    let parent = c == 1 && head_age < 50;
                    if parent {
                        members_of.push((false, head_age + 25, Relation::Parent));
                    } else {
                        members_of.push((
                            (k + c).is_multiple_of(2),
                            (head_age - 24 - 3 * c as i32).max(1),
                            Relation::Child,
                        ));
                    }
                }
                for (m, (male, age, rel)) in members_of.into_iter().enumerate() {
                    k += 1;
                    let id = ids.id(birth(year, age, k), male);
                    let edu = if age >= 18 {
                        Some(education_for(age, k))
                    } else {
                        None
                    };
                    let adult_couple = m < 2 && (25..=60).contains(&age);
                    people.push(&[
                        ("身份证号", s(&id)),
                        ("姓名", Some(name(k, male))),
                        (
                            "民族",
                            s(if k.is_multiple_of(50) {
                                Ethnicity::Hui.code()
                            } else {
                                Ethnicity::Han.code()
                            }),
                        ),
                        ("全日制学历", edu.map(|e| e.code().to_string())),
                        ("政治面貌", s(PoliticalStatus::Masses.code())),
                        ("联系电话", None),
                        ("户编号", s(&hh_no)),
                        ("与户主关系", s(rel.code())),
                    ]);
                    village_people.push((id, age, adult_couple));
                }
            }
            // Cadres: adults of the village; the first is the secretary.
            let candidates: Vec<usize> = village_people
                .iter()
                .enumerate()
                .filter(|(_, p)| p.2)
                .map(|(i, _)| i)
                .collect();
            let cadre_rows: Vec<usize> = (0..cadre_count)
                .map(|c| candidates[(c * 37) % candidates.len()])
                .collect();
            let double_role = vi % 2 == 0; // 一肩挑
            let posts: [VillagePost; 7] = [
                VillagePost::BranchSecretary,
                VillagePost::BranchDeputySecretary,
                VillagePost::BranchCommitteeMember,
                if double_role {
                    VillagePost::VillagersCommitteeMember
                } else {
                    VillagePost::VillagersCommitteeChair
                },
                VillagePost::VillagersCommitteeMember,
                VillagePost::SupervisionChair,
                VillagePost::BranchCommitteeMember,
            ];
            let no_college = vi >= 68 && villages.len() == 70;
            let mut party_people: Vec<usize> = Vec::new();
            for (c, &pi) in cadre_rows.iter().enumerate() {
                let id = village_people[pi].0.clone();
                let post = posts[c];
                let professional =
                    post == VillagePost::BranchSecretary && vi < PROFESSIONAL_SECRETARIES;
                cadres.push(&[
                    ("身份证号", s(&id)),
                    ("干部类别", s(CadreCategory::VillageCadre.code())),
                    ("职务", s(post.code())),
                    ("任职单位编码", s(&v.code)),
                    ("任职日期", s(&term_start)),
                    ("专业化管理", s(if professional { "1" } else { "0" })),
                ]);
                if post == VillagePost::BranchSecretary && double_role {
                    cadres.push(&[
                        ("身份证号", s(&id)),
                        ("干部类别", s(CadreCategory::VillageCadre.code())),
                        ("职务", s(VillagePost::VillagersCommitteeChair.code())),
                        ("任职单位编码", s(&v.code)),
                        ("任职日期", s(&term_start)),
                    ]);
                }
                if matches!(
                    post,
                    VillagePost::BranchSecretary
                        | VillagePost::BranchDeputySecretary
                        | VillagePost::BranchCommitteeMember
                ) {
                    party_people.push(pi);
                }
                // The college-educated cadre of the village (none in the last two villages).
                let edu_i = sheets::PEOPLE.index("全日制学历");
                let base = people.rows.len() - village_people.len();
                let row = &mut people.rows[base + pi];
                let college = c == 1 && !no_college;
                let current = row.values[edu_i].as_deref().and_then(Education::from_code);
                if college {
                    row.values[edu_i] = Some(Education::JuniorCollege.code().to_string());
                } else if no_college || current.is_some_and(Education::is_college) {
                    row.values[edu_i] = Some(Education::HighSchool.code().to_string());
                }
                row.values[sheets::PEOPLE.index("联系电话")] = ids.phone();
            }
            // Party members: the party cadres, then older residents up to 32.
            let mut i = 0;
            while party_people.len() < MEMBERS_PER_VILLAGE && i < village_people.len() {
                let pi = (i * 41 + vi) % village_people.len();
                if village_people[pi].1 >= 25 && !party_people.contains(&pi) {
                    party_people.push(pi);
                }
                i += 1;
            }
            // Advisors come from the village's older people: party members first.
            let mut elders: Vec<String> = party_people
                .iter()
                .filter(|&&pi| village_people[pi].1 >= 60 && !cadre_rows.contains(&pi))
                .map(|&pi| village_people[pi].0.clone())
                .collect();
            for (pi, p) in village_people.iter().enumerate() {
                if elders.len() >= 2 {
                    break;
                }
                if p.1 >= 62 && !cadre_rows.contains(&pi) && !elders.contains(&p.0) {
                    elders.push(p.0.clone());
                }
            }
            elders.truncate(2);
            talent_pool.push(TalentVillage {
                township: v.township,
                elders,
                code: v.code.clone(),
                cadres: cadre_rows
                    .iter()
                    .map(|&pi| village_people[pi].0.clone())
                    .collect(),
                young: village_people
                    .iter()
                    .enumerate()
                    .filter(|(pi, p)| (22..=38).contains(&p.1) && !cadre_rows.contains(pi))
                    .map(|(_, p)| p.0.clone())
                    .collect(),
            });
            outreach_rows(
                &mut OutreachRows {
                    work_teams: &mut work_teams,
                    team_members: &mut team_members,
                    contacts: &mut contacts,
                    stationings: &mut stationings,
                    grid_duties: &mut grid_duties,
                    links: &mut links,
                },
                &OutreachVillage {
                    village: v,
                    name: vname,
                    j,
                    village_no,
                    leaders: &leader_ids,
                    staff: &staff_ids,
                    cadres: &cadre_rows
                        .iter()
                        .map(|&pi| village_people[pi].0.clone())
                        .collect::<Vec<_>>(),
                    members: &party_people
                        .iter()
                        .map(|&pi| village_people[pi].0.clone())
                        .collect::<Vec<_>>(),
                    households: &village_households,
                    since: &assigned_on,
                },
                &mut visit_pool,
            );
            village_no += 1;
            for pi in party_people {
                k += 1;
                let id = village_people[pi].0.clone();
                let pol = member_row(&mut members, &id, &branch, k);
                let base = people.rows.len() - village_people.len();
                people.rows[base + pi].values[sheets::PEOPLE.index("政治面貌")] =
                    Some(pol.code().to_string());
            }
        }
    }
    // Household heads get the phone numbers left (1390000NNNN has 9,999 of them).
    let (rel_i, phone_i) = (
        sheets::PEOPLE.index("与户主关系"),
        sheets::PEOPLE.index("联系电话"),
    );
    for row in people.rows.iter_mut() {
        if row.values[phone_i].is_none()
            && row.values[rel_i].as_deref() == Some(Relation::HouseholdHead.code())
        {
            row.values[phone_i] = ids.phone();
        }
    }
    let visits = visit_rows(&visit_pool, date);
    let demands = demand_rows(&visit_pool, date);
    let (upgrades, reserve) = talent_rows(&talent_pool, date);
    let pipeline = super::talent::generate(&talent_pool, &reserve, townships, date);
    let branch_sheets = branch_rows(villages, &talent_pool, date);
    vec![
        households.finish(),
        people.finish(),
        party_orgs.finish(),
        members.finish(),
        cadres.finish(),
        work_teams.finish(),
        team_members.finish(),
        contacts.finish(),
        stationings.finish(),
        grid_duties.finish(),
        links.finish(),
        visits,
        demands,
        upgrades,
        reserve,
    ]
    .into_iter()
    .chain(pipeline)
    .chain(branch_sheets)
    .collect()
}

/// Linking members in all: 30 per village and one more in the first 55 villages (2,155 for 70).
pub const LINKING_MEMBERS: usize = 2_155;
/// Visits per village.
pub const VISITS_PER_VILLAGE: usize = 20;

struct OutreachRows<'a> {
    work_teams: &'a mut Builder,
    team_members: &'a mut Builder,
    contacts: &'a mut Builder,
    stationings: &'a mut Builder,
    grid_duties: &'a mut Builder,
    links: &'a mut Builder,
}

struct OutreachVillage<'a> {
    village: &'a Village,
    name: &'a str,
    /// The village's place within its township.
    j: usize,
    /// The village's place in the district.
    village_no: usize,
    leaders: &'a [String],
    staff: &'a [String],
    cadres: &'a [String],
    members: &'a [String],
    households: &'a [String],
    since: &'a str,
}

/// A village's work team, 包村, 驻村, 入网 and 联户.
fn outreach_rows(
    b: &mut OutreachRows<'_>,
    v: &OutreachVillage<'_>,
    visit_pool: &mut Vec<Vec<(String, String)>>,
) {
    let code = &v.village.code;
    let team = format!("GZD{code}");
    b.work_teams.push(&[
        ("工作队编号", s(&team)),
        ("名称", Some(format!("{}「一亲三心」工作队", v.name))),
        ("联系村编码", s(code)),
        ("成立日期", s(v.since)),
    ]);
    if !v.staff.is_empty() {
        let size = if v.j.is_multiple_of(2) { 2 } else { 3 };
        let mut seen = Vec::new();
        for m in 0..size {
            let id = &v.staff[(v.j + m) % v.staff.len()];
            if seen.contains(id) {
                continue;
            }
            seen.push(id.clone());
            b.team_members.push(&[
                ("工作队编号", s(&team)),
                ("身份证号", s(id)),
                ("角色", s(if m == 0 { "leader" } else { "member" })),
            ]);
        }
        // The team's leader is the village's full-time stationed cadre.
        b.stationings.push(&[
            ("身份证号", s(&v.staff[v.j % v.staff.len()])),
            ("村编码", s(code)),
            ("开始日期", s(v.since)),
            ("专职", s("1")),
            ("驻村身份", s("team_leader")),
        ]);
    }
    if !v.leaders.is_empty() {
        b.contacts.push(&[
            ("身份证号", s(&v.leaders[v.j % v.leaders.len()])),
            ("村编码", s(code)),
            ("开始日期", s(v.since)),
        ]);
    }
    for (c, id) in v.cadres.iter().enumerate() {
        if v.cadres[..c].contains(id) || v.village.grids.is_empty() {
            continue;
        }
        b.grid_duties.push(&[
            ("身份证号", s(id)),
            ("网格编码", s(&v.village.grids[c % v.village.grids.len()])),
            ("开始日期", s(v.since)),
        ]);
    }
    let n = (30 + usize::from(v.village_no < LINKING_MEMBERS - 30 * 70)).min(v.members.len());
    let mut pool = Vec::new();
    if n > 0 {
        for (h, hh) in v.households.iter().enumerate() {
            let id = &v.members[h % n];
            b.links.push(&[
                ("党员身份证号", s(id)),
                ("户编号", s(hh)),
                ("开始日期", s(v.since)),
            ]);
            if h.is_multiple_of(v.households.len().div_ceil(VISITS_PER_VILLAGE).max(1)) {
                pool.push((hh.clone(), id.clone()));
            }
        }
    }
    visit_pool.push(pool);
}

/// 走访: the i-th of n visits falls on 1 January + ⌊i·d/n⌋ days, d the days up to `date`.
fn visit_rows(pool: &[Vec<(String, String)>], date: NaiveDate) -> SheetData {
    let mut visits = Builder::new(&sheets::VISITS);
    let jan1 = NaiveDate::from_ymd_opt(date.year(), 1, 1).expect("valid date");
    let d = (date - jan1).num_days().max(0) as u64;
    let all: Vec<&(String, String)> = pool.iter().flatten().collect();
    let n = all.len().max(1) as u64;
    for (i, (hh, who)) in all.iter().enumerate() {
        let on = jan1 + Days::new(i as u64 * d / n);
        visits.push(&[
            ("走访编号", Some(format!("ZF{}{:06}", date.year(), i + 1))),
            ("户编号", s(hh)),
            ("走访人身份证号", s(who)),
            ("走访日期", Some(on.to_string())),
            ("情况记录", Some("入户走访，了解生产生活情况".to_string())),
        ]);
    }
    visits.finish()
}

/// Demands received in the demo year.
pub const DEMANDS_RECEIVED: usize = 160;
/// Of them, those concluded as 已解决 (`demands.resolved`); the rest are still being handled.
pub const DEMANDS_RESOLVED: usize = 149;

/// What villagers raise, by 领域.
const DEMAND_TOPICS: &[(&str, &str, &str)] = &[
    (
        "drinking_water",
        "urgent",
        "自来水管道冻裂，家中停水两天，请尽快维修",
    ),
    ("transport", "hard", "村东生产路坑洼积水，雨天农机无法通行"),
    (
        "living_environment",
        "worrying",
        "村口垃圾点清运不及时，气味较大",
    ),
    (
        "farm_subsidy",
        "hoped_for",
        "咨询今年耕地地力保护补贴发放时间和标准",
    ),
    (
        "elderly_care",
        "worrying",
        "独居老人冬季取暖有困难，希望帮助联系",
    ),
    (
        "employment",
        "hoped_for",
        "希望村里组织技能培训，帮助就近务工",
    ),
    ("infrastructure", "hard", "路灯损坏多处，夜间出行不便"),
    ("health", "urgent", "家中老人行动不便，希望家庭医生上门随访"),
    (
        "land_and_homestead",
        "hard",
        "宅基地边界与邻户有分歧，请求协调",
    ),
    (
        "social_security",
        "hoped_for",
        "咨询城乡居民养老保险缴费档次",
    ),
];

/// 诉求 raised on visits: the i-th of n received falls on 1 January + ⌊i·d/n⌋ days; the first
/// 149 are concluded as 已解决, the i-th of them on 1 January + ⌊i·d/149⌋ (never before it was
/// received), most closed with the villager's verdict; the last 11, received in the final weeks,
/// are still pending or in progress. 办理时限 is left to the platform's deadline rule.
fn demand_rows(pool: &[Vec<(String, String)>], date: NaiveDate) -> SheetData {
    let mut demands = Builder::new(&sheets::DEMANDS);
    let jan1 = NaiveDate::from_ymd_opt(date.year(), 1, 1).expect("valid date");
    let d = (date - jan1).num_days().max(0) as u64;
    let households: Vec<&(String, String)> = pool.iter().flatten().collect();
    if households.is_empty() {
        return demands.finish();
    }
    let n = DEMANDS_RECEIVED as u64;
    for i in 0..DEMANDS_RECEIVED {
        // Spread over the villages: the pool is village by village.
        let (hh, _) = households[(i * 37) % households.len()];
        let village = &hh[..12];
        let (field, category, text) = DEMAND_TOPICS[i % DEMAND_TOPICS.len()];
        let registered = jan1 + Days::new(i as u64 * d / n);
        let mut row = vec![
            ("诉求编号", Some(format!("SQ{}D{:05}", date.year(), i + 1))),
            ("所属区划编码", s(village)),
            ("户编号", s(hh)),
            ("来源", s("visit")),
            ("类别", s(category)),
            ("领域", s(field)),
            ("内容", s(text)),
            ("登记日期", Some(registered.to_string())),
            ("承办单位编码", s(village)),
        ];
        if i < DEMANDS_RESOLVED {
            let concluded = jan1 + Days::new(i as u64 * d / DEMANDS_RESOLVED as u64);
            row.push(("受理日期", Some(registered.to_string())));
            row.push(("办结日期", Some(concluded.to_string())));
            row.push(("办理结果", s("solved")));
            // The last few await the return visit; the others carry the verdict.
            if i + 5 < DEMANDS_RESOLVED {
                row.push(("状态", s("closed")));
                row.push((
                    "满意度",
                    s(if i % 9 == 4 {
                        "fairly_satisfied"
                    } else {
                        "satisfied"
                    }),
                ));
            } else {
                row.push(("状态", s("concluded")));
            }
        } else if i % 2 == 0 {
            row.push(("状态", s("in_progress")));
            row.push(("受理日期", Some(registered.to_string())));
        } else {
            row.push(("状态", s("pending")));
        }
        demands.push(&row);
    }
    demands.finish()
}

/// Degree upgrades: one 村干部 in each of the first 57 villages enrolled this year.
pub const DEGREE_UPGRADES: usize = 57;
/// Reserve talents: two in each of the first 53 villages, one in the others (123 for 70).
pub const RESERVE_TALENTS: usize = 123;

/// A village as the cadre-pipeline parts of the demo see it.
pub(super) struct TalentVillage {
    pub(super) code: String,
    /// The village's place among the townships.
    pub(super) township: usize,
    /// The village cadres, the secretary first.
    pub(super) cadres: Vec<String>,
    /// Young adults who hold no post (the reserve pool's candidates).
    pub(super) young: Vec<String>,
    /// Up to two older people (party members first), the village's advisors.
    pub(super) elders: Vec<String>,
}

const SCHOOLS: [&str; 3] = [
    "省广播电视大学",
    "市农业职业技术学院",
    "省农业大学继续教育学院",
];
const SKILLS: [&str; 5] = ["电子商务", "种植技术", "财务会计", "乡村旅游", "养殖技术"];

/// 学历提升 and 后备人才. The i-th of the 57 enrolments (a village's deputy secretary, or its
/// second cadre) starts on 1 January + ⌊i·d/57⌋ days, with no graduation yet (nothing is dated
/// after G, so no expected date either); reserve talents entered the pool in the year before the
/// demo year and have not left it. Each record is placed in its village.
fn talent_rows(villages: &[TalentVillage], date: NaiveDate) -> (SheetData, SheetData) {
    let mut upgrades = Builder::new(&sheets::DEGREE_UPGRADES);
    let mut reserve = Builder::new(&sheets::RESERVE_TALENTS);
    let jan1 = NaiveDate::from_ymd_opt(date.year(), 1, 1).expect("valid date");
    let d = (date - jan1).num_days().max(0) as u64;
    let enrolled: Vec<&TalentVillage> = villages
        .iter()
        .filter(|v| v.cadres.len() > 1)
        .take(DEGREE_UPGRADES)
        .collect();
    let n = enrolled.len().max(1) as u64;
    for (i, v) in enrolled.iter().enumerate() {
        let level = if i % 3 == 2 {
            Education::Bachelor
        } else {
            Education::JuniorCollege
        };
        upgrades.push(&[
            ("身份证号", s(&v.cadres[1])),
            ("所属区划编码", s(&v.code)),
            ("学校", s(SCHOOLS[i % SCHOOLS.len()])),
            ("层次", s(level.code())),
            (
                "入学日期",
                Some((jan1 + Days::new(i as u64 * d / n)).to_string()),
            ),
        ]);
    }
    let last_year = NaiveDate::from_ymd_opt(date.year() - 1, 1, 1).expect("valid date");
    let two_from = RESERVE_TALENTS.saturating_sub(villages.len());
    let mut k = 0usize;
    for (vi, v) in villages.iter().enumerate() {
        let take = if vi < two_from { 2 } else { 1 };
        for young in v.young.iter().take(take) {
            if k >= RESERVE_TALENTS {
                break;
            }
            reserve.push(&[
                ("身份证号", s(young)),
                ("所属区划编码", s(&v.code)),
                (
                    "来源",
                    s(TalentSource::ALL[k % TalentSource::ALL.len()].code()),
                ),
                ("专长", s(SKILLS[k % SKILLS.len()])),
                ("培养联系人身份证号", v.cadres.first().cloned()),
                (
                    "成熟度",
                    s(if k.is_multiple_of(3) {
                        Readiness::Ready.code()
                    } else {
                        Readiness::Developing.code()
                    }),
                ),
                (
                    "入库日期",
                    Some((last_year + Days::new((k as u64 * 7) % 360)).to_string()),
                ),
            ]);
            k += 1;
        }
    }
    (upgrades.finish(), reserve.finish())
}

/// Practical projects completed in the demo year.
pub const PROJECTS_COMPLETED: usize = 124;
/// Rectification problems solved in the demo year.
pub const PROBLEMS_SOLVED: usize = 73;
/// Weak village party orgs whose rectification is accepted in the demo year.
pub const WEAK_RECTIFIED: usize = 2;
/// Demonstration sites in force.
pub const MODEL_SITES: usize = 9;
/// Village branches whose latest assessment is 示范 or 达标.
pub const STANDARDIZED: usize = 27;
/// 好支书 awarded in the demo year (distinct secretaries).
pub const GOOD_SECRETARIES: usize = 7;
/// 带富致富先锋 awarded in the demo year (distinct people).
pub const PROSPERITY_PIONEERS: usize = 87;

/// The day of the i-th of n records dated in [1 January, G]: 1 January + ⌊i·d/n⌋.
fn nth_day(jan1: NaiveDate, d: u64, i: usize, n: usize) -> NaiveDate {
    jan1 + Days::new(i as u64 * d / n as u64)
}

/// 实事, 整顿, 整顿问题, 荣誉 and 示范点. Every completion, solution, acceptance and award is the
/// i-th of its kind's n, dated 1 January + ⌊i·d/n⌋; cases were opened, projects started, sites
/// named and nominations made before or on those days. Two cases (villages 1 and 2) are accepted:
/// the first on 1 January with its other problems solved the year before, the second on day
/// ⌊d/2⌋ with in-year problems 1–10 (all dated by then); four more cases stay open, each with
/// one problem past its deadline.
fn branch_rows(villages: &[Village], people: &[TalentVillage], date: NaiveDate) -> Vec<SheetData> {
    let mut projects = Builder::new(&sheets::PRACTICAL_PROJECTS);
    let mut cases = Builder::new(&sheets::RECTIFICATIONS);
    let mut problems = Builder::new(&sheets::RECTIFICATION_PROBLEMS);
    let mut honors = Builder::new(&sheets::HONORS);
    let mut sites = Builder::new(&sheets::MODEL_SITES);
    let mut assessments = Builder::new(&sheets::ASSESSMENTS);
    let year = date.year();
    let jan1 = NaiveDate::from_ymd_opt(year, 1, 1).expect("valid date");
    let d = (date - jan1).num_days().max(0) as u64;
    let last_year = |m: u32, day: u32| {
        NaiveDate::from_ymd_opt(year - 1, m, day)
            .expect("valid date")
            .to_string()
    };
    if villages.len() < 6 || people.len() < villages.len() {
        return Vec::new();
    }
    const TOPICS: [&str; 6] = [
        "修建村内道路路灯",
        "改造农村饮水管网",
        "硬化村组道路",
        "修缮村级活动场所",
        "建设农产品晾晒场",
        "整治村内排水沟渠",
    ];
    let n_projects = PROJECTS_COMPLETED + 26;
    for i in 0..n_projects {
        let v = &villages[(i * 13) % villages.len()];
        let mut row = vec![
            ("实事编号", Some(format!("SS{year}{:04}", i + 1))),
            ("村编码", s(&v.code)),
            ("名称", s(TOPICS[i % TOPICS.len()])),
            ("投资金额", Some(format!("{}.{}", 5 + i % 40, i % 10))),
            ("受益人数", Some((120 + (i * 37) % 900).to_string())),
        ];
        if i < PROJECTS_COMPLETED {
            row.push(("状态", s("completed")));
            row.push((
                "开工日期",
                Some(last_year(9 + (i % 3) as u32, 1 + (i % 28) as u32)),
            ));
            row.push((
                "完成日期",
                Some(nth_day(jan1, d, i, PROJECTS_COMPLETED).to_string()),
            ));
        } else if i < PROJECTS_COMPLETED + 16 {
            row.push(("状态", s("in_progress")));
            row.push(("开工日期", Some(last_year(12, 1 + (i % 28) as u32))));
        } else {
            row.push(("状态", s("planned")));
        }
        projects.push(&row);
    }
    // Rectification cases of the village branches of villages 1–6.
    let branch = |v: &Village| format!("D990101{:03}{}", v.township + 1, &v.code[9..12]);
    const REASONS: [&str; 3] = [
        "班子不团结、软弱无力",
        "组织生活不经常、不规范",
        "村务管理混乱、群众意见大",
    ];
    const ISSUES: [(&str, &str); 4] = [
        ("三会一课落实不到位", "建立三会一课台账，乡镇党委每月督查"),
        ("村务公开不及时", "按月公开村务财务，设立公开栏"),
        ("党员发展断档", "培养入党积极分子，落实发展计划"),
        ("矛盾纠纷积压", "逐户走访化解，建立销号台账"),
    ];
    let mut solved_i = 0usize; // in-year solved problems so far
    let mut problem = |case: &str, no: usize, solved: Option<String>, deadline: Option<String>| {
        let (what, how) = ISSUES[no % ISSUES.len()];
        problems.push(&[
            ("整顿编号", s(case)),
            ("问题序号", Some(no.to_string())),
            ("问题", s(what)),
            ("整改措施", s(how)),
            ("责任人", Some(name(no + case.len(), no.is_multiple_of(2)))),
            ("整改时限", deadline),
            ("解决日期", solved),
        ]);
    };
    let mut in_year = |count: usize| -> Vec<String> {
        let v: Vec<String> = (solved_i..solved_i + count)
            .map(|i| nth_day(jan1, d, i, PROBLEMS_SOLVED).to_string())
            .collect();
        solved_i += count;
        v
    };
    for c in 0..6 {
        let case = format!("ZD{year}{:03}", c + 1);
        let accepted = match c {
            0 => Some(nth_day(jan1, d, 0, WEAK_RECTIFIED).to_string()),
            1 => Some(nth_day(jan1, d, 1, WEAK_RECTIFIED).to_string()),
            _ => None,
        };
        cases.push(&[
            ("整顿编号", s(&case)),
            ("组织编码", Some(branch(&villages[c + 1]))),
            ("认定日期", Some(last_year(3 + c as u32, 10))),
            ("软弱涣散原因", s(REASONS[c % REASONS.len()])),
            ("验收销号日期", accepted),
        ]);
        let mut no = 0;
        let mut next = || {
            no += 1;
            no
        };
        match c {
            0 => {
                for k in 0..3 {
                    problem(&case, next(), Some(last_year(11, 10 + k)), None);
                }
                for on in in_year(1) {
                    problem(&case, next(), Some(on), None);
                }
            }
            1 => {
                for on in in_year(10) {
                    problem(&case, next(), Some(on), None);
                }
            }
            _ => {
                // The other 62 in-year solutions, spread over the four open cases (16, 16, 15,
                // 15), and one problem each still open past its deadline.
                let share = (PROBLEMS_SOLVED - 11) / 4 + usize::from(c < 4);
                for on in in_year(share) {
                    problem(&case, next(), Some(on), None);
                }
                problem(&case, next(), None, Some(jan1.to_string()));
            }
        }
    }
    // Assessments, all in the year before the demo year: 27 village branches pass (five as 示范,
    // and every third after failing in the spring), ten more fail.
    for i in 0..STANDARDIZED + 10 {
        let v = &villages[(i * 13) % villages.len()];
        let mut add = |no: String, on: String, result: &str, score: &str| {
            assessments.push(&[
                ("评定编号", Some(no)),
                ("组织编码", Some(branch(v))),
                ("评定日期", Some(on)),
                ("结果", s(result)),
                ("得分", s(score)),
                ("评定人", s("区委组织部")),
            ]);
        };
        if i < STANDARDIZED {
            if i % 3 == 2 {
                add(
                    format!("PD{}A{:03}", year - 1, i + 1),
                    last_year(4, 15),
                    "failed",
                    "68.5",
                );
            }
            let result = if i < 5 { "model" } else { "passed" };
            let score = if i < 5 { "95" } else { "86.5" };
            add(
                format!("PD{}{:03}", year - 1, i + 1),
                last_year(11, 1 + (i % 28) as u32),
                result,
                score,
            );
        } else {
            add(
                format!("PD{}{:03}", year - 1, i + 1),
                last_year(11, 1 + (i % 28) as u32),
                "failed",
                "71",
            );
        }
    }
    // Demonstration sites named before the demo year, in force.
    for i in 0..MODEL_SITES {
        let v = &villages[(i * 7 + 3) % villages.len()];
        sites.push(&[
            ("示范点编号", Some(format!("SFD{:03}", i + 1))),
            (
                "名称",
                Some(format!(
                    "{}党建示范点",
                    names::VILLAGES
                        .get((i * 7 + 3) % villages.len())
                        .copied()
                        .unwrap_or("村")
                )),
            ),
            ("所属区划编码", s(&v.code)),
            ("命名日期", Some(last_year(4 + (i % 6) as u32, 1))),
        ]);
    }
    // Honours: the i-th award of a kind on its day, after a week's public notice ending that
    // day and a nomination a month before; five more 带富致富先锋 in their public notice.
    let mut honor = |no: String,
                     kind: &str,
                     id: &str,
                     unit: &str,
                     awarded: Option<NaiveDate>,
                     notice_end: NaiveDate| {
        let start = notice_end - Days::new(7);
        let mut row = vec![
            ("荣誉编号", Some(no)),
            ("荣誉类型", s(kind)),
            ("身份证号", s(id)),
            ("所属区划编码", s(unit)),
            ("提名日期", Some((start - Days::new(23)).to_string())),
            ("公示开始日期", Some(start.to_string())),
            ("公示结束日期", Some(notice_end.to_string())),
        ];
        match awarded {
            Some(on) => {
                row.push(("状态", s("awarded")));
                row.push(("授予日期", Some(on.to_string())));
            }
            None => row.push(("状态", s("notice"))),
        }
        honors.push(&row);
    };
    for i in 0..GOOD_SECRETARIES {
        let vi = (i * 10) % people.len();
        let Some(id) = people[vi].cadres.first() else {
            continue;
        };
        let on = nth_day(jan1, d, i, GOOD_SECRETARIES);
        honor(
            format!("RY{year}G{:03}", i + 1),
            "good_secretary",
            id,
            &people[vi].code,
            Some(on),
            on,
        );
    }
    // Candidates: the first young villager of every village, then the second, …
    let mut candidates: Vec<(&str, &str)> = Vec::new();
    for round in 0..4 {
        for v in people {
            if let Some(id) = v.young.get(round) {
                candidates.push((id, &v.code));
            }
        }
    }
    for (i, (id, unit)) in candidates.iter().take(PROSPERITY_PIONEERS + 5).enumerate() {
        let no = format!("RY{year}P{:03}", i + 1);
        if i < PROSPERITY_PIONEERS {
            let on = nth_day(jan1, d, i, PROSPERITY_PIONEERS);
            honor(no, "prosperity_pioneer", id, unit, Some(on), on);
        } else {
            honor(no, "prosperity_pioneer", id, unit, None, date);
        }
    }
    vec![
        projects.finish(),
        cases.finish(),
        problems.finish(),
        honors.finish(),
        sites.finish(),
        assessments.finish(),
    ]
}

//! The cadre pipeline: degree upgrades (学历提升) and the reserve pool (后备人才) come in through
//! their workbook sheets; the figures `talent.degree_upgrades` and `talent.reserve_pool` equal
//! counts made here in plain Rust over the fixture's rows at edge dates (a post's first and end
//! days, the period's first and last days, a pool exit day); each drill-down list is as long as
//! its figure; a graduation raises 在职学历 (never lowers it) and is audited; the committees'
//! make-up and the succession view count what the fixture says.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde_json::{Value, json};
use xingcun::indicators::drill::{self, Side};
use xingcun::indicators::{Dates, RowCtx};
use xingcun::scope::Scope;
use xingcun::workbook::ImportOutcome;
use xingcun_domain::age_at;

use crate::harness::TestApp;
use crate::workbook::{book, id, opts, rows, run};

const TOWNSHIP: &str = "990101006000";
const EAST: &str = "990101006001";
const WEST: &str = "990101006002";
const DISTRICT: &str = "990101000000";

const COLLEGE: [&str; 3] = ["大学专科", "大学本科", "研究生"];

struct P {
    id: String,
    name: &'static str,
    birth: &'static str,
    female: bool,
    full_time: &'static str,
    in_service: &'static str,
    party: bool,
}

struct Post {
    person: usize,
    post: &'static str,
    org: &'static str,
    start: &'static str,
    end: Option<&'static str>,
}

struct Upgrade {
    person: usize,
    org: &'static str,
    school: &'static str,
    level: &'static str,
    start: &'static str,
    graduated: Option<&'static str>,
}

struct Reserve {
    person: usize,
    org: &'static str,
    source: &'static str,
    ready: bool,
    start: &'static str,
    end: Option<&'static str>,
}

struct Fixture {
    people: Vec<P>,
    posts: Vec<Post>,
    upgrades: Vec<Upgrade>,
    reserve: Vec<Reserve>,
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn p(
    birth: &'static str,
    seq: u32,
    name: &'static str,
    full_time: &'static str,
    in_service: &'static str,
    party: bool,
) -> P {
    P {
        id: id(&birth.replace('-', ""), seq),
        name,
        birth,
        // The 17th digit (the sequence's last) is odd for men.
        female: seq.is_multiple_of(2),
        full_time,
        in_service,
        party,
    }
}

const JIA: usize = 0; // EAST secretary and director (一肩挑)
const YI: usize = 1; // EAST committee member until 2026-05-01; graduates 2026-06-20
const BING: usize = 2; // WEST committee member from 2026-03-10
const DING: usize = 3; // no post; in the pool twice
const WU: usize = 4; // WEST secretary, born 1960
const JI: usize = 5; // WEST vice director, 本科 in service
const GENG: usize = 6; // EAST supervision chair (not 两委)
const XIN: usize = 7; // WEST reserve, ready
const REN: usize = 8; // EAST reserve until 2026-06-30

fn fixture() -> Fixture {
    let people = vec![
        p("1970-05-10", 11, "甲强", "高中", "", true),
        p("1990-03-01", 12, "乙丽", "中专", "中专", false),
        p("1996-07-01", 13, "丙新", "大学专科", "", false),
        p("1980-01-01", 14, "丁芳", "高中", "", false),
        p("1960-01-01", 15, "戊刚", "初中", "", true),
        p("1985-06-30", 16, "己兰", "高中", "大学本科", true),
        p("1975-01-01", 17, "庚明", "初中", "", false),
        p("2000-01-01", 18, "辛静", "高中", "", false),
        p("1998-05-05", 19, "壬伟", "大学本科", "", false),
    ];
    let post = |person, post, org, start, end| Post {
        person,
        post,
        org,
        start,
        end,
    };
    let posts = vec![
        post(JIA, "党组织书记", EAST, "2021-01-01", None),
        post(JIA, "村(居)委会主任", EAST, "2021-01-01", None),
        post(YI, "党组织委员", EAST, "2025-01-01", Some("2026-05-01")),
        post(BING, "村(居)委会委员", WEST, "2026-03-10", None),
        post(WU, "党组织书记", WEST, "2020-01-01", None),
        post(JI, "村(居)委会副主任", WEST, "2021-01-01", None),
        post(GENG, "村务监督委员会主任", EAST, "2021-01-01", None),
    ];
    let up = |person, org, school, level, start, graduated| Upgrade {
        person,
        org,
        school,
        level,
        start,
        graduated,
    };
    let upgrades = vec![
        up(JIA, EAST, "甲学院", "大学专科", "2026-01-01", None),
        up(JIA, EAST, "乙大学", "大学本科", "2026-04-01", None),
        up(BING, WEST, "甲学院", "大学专科", "2026-03-09", None),
        up(BING, WEST, "乙大学", "大学本科", "2026-03-10", None),
        up(DING, EAST, "甲学院", "大学专科", "2026-02-01", None),
        up(GENG, EAST, "丙中学", "高中", "2026-02-01", None),
        up(YI, EAST, "乙大学", "大学本科", "2026-05-01", None),
        up(
            YI,
            EAST,
            "甲学院",
            "大学专科",
            "2026-04-30",
            Some("2026-06-20"),
        ),
        up(JI, WEST, "乙大学", "大学本科", "2026-06-30", None),
        up(
            JI,
            WEST,
            "甲学院",
            "大学专科",
            "2025-09-01",
            Some("2026-06-01"),
        ),
        up(WU, WEST, "甲学院", "大学专科", "2025-12-31", None),
    ];
    let res = |person, org, source, ready, start, end| Reserve {
        person,
        org,
        source,
        ready,
        start,
        end,
    };
    let reserve = vec![
        res(XIN, WEST, "培", true, "2026-01-10", None),
        res(REN, EAST, "引", false, "2025-05-01", Some("2026-06-30")),
        res(DING, WEST, "选", false, "2026-06-30", None),
        res(DING, EAST, "招", false, "2024-01-01", Some("2025-01-01")),
    ];
    Fixture {
        people,
        posts,
        upgrades,
        reserve,
    }
}

fn active(start: &str, end: Option<&str>, at: &str) -> bool {
    start <= at && end.is_none_or(|e| e > at)
}

impl Fixture {
    /// People counted by `talent.degree_upgrades` over [from, to] in the unit with this prefix.
    fn degree_upgrades(&self, prefix: &str, from: &str, to: &str) -> BTreeSet<usize> {
        self.upgrades
            .iter()
            .filter(|u| {
                u.org.starts_with(prefix)
                    && from <= u.start
                    && u.start <= to
                    && COLLEGE.contains(&u.level)
                    && self
                        .posts
                        .iter()
                        .any(|c| c.person == u.person && active(c.start, c.end, u.start))
            })
            .map(|u| u.person)
            .collect()
    }

    /// People counted by `talent.reserve_pool` at `at`.
    fn reserve_pool(&self, prefix: &str, at: &str) -> BTreeSet<usize> {
        self.reserve
            .iter()
            .filter(|r| r.org.starts_with(prefix) && active(r.start, r.end, at))
            .map(|r| r.person)
            .collect()
    }

    /// 两委成员 at `at`: every fixture post but the supervision chair is a committee post.
    fn committee(&self, prefix: &str, at: &str) -> BTreeSet<usize> {
        self.posts
            .iter()
            .filter(|c| {
                c.org.starts_with(prefix)
                    && c.post != "村务监督委员会主任"
                    && active(c.start, c.end, at)
            })
            .map(|c| c.person)
            .collect()
    }

    /// 在职学历 after the import: the highest graduated level when above the given one.
    fn in_service_after(&self, person: usize) -> Option<&'static str> {
        let rank = |e: &str| {
            [
                "小学及以下",
                "初中",
                "职业高中",
                "高中",
                "技工学校",
                "中专",
                "大学专科",
                "大学本科",
                "研究生",
            ]
            .iter()
            .position(|x| *x == e)
        };
        let given = Some(self.people[person].in_service).filter(|s| !s.is_empty());
        self.upgrades
            .iter()
            .filter(|u| u.person == person && u.graduated.is_some())
            .map(|u| u.level)
            .chain(given)
            .max_by_key(|e| rank(e))
    }

    fn workbook(&self) -> Vec<u8> {
        let s = |v: &str| v.to_string();
        let org_rows = rows(&[
            &["编码", "名称", "类型", "上级编码"],
            &[TOWNSHIP, "石门乡", "乡镇", DISTRICT],
            &[EAST, "东村", "行政村", TOWNSHIP],
            &[WEST, "西村", "行政村", TOWNSHIP],
        ]);
        let mut people = vec![
            [
                "身份证号",
                "姓名",
                "性别",
                "出生日期",
                "全日制学历",
                "在职学历",
            ]
            .map(s)
            .to_vec(),
        ];
        for x in &self.people {
            people.push(vec![
                x.id.clone(),
                s(x.name),
                s(if x.female { "女" } else { "男" }),
                s(x.birth),
                s(x.full_time),
                s(x.in_service),
            ]);
        }
        let party_orgs = rows(&[
            &["组织编码", "名称", "类型", "所在区划编码"],
            &["T-DZB-E", "东村党支部", "党支部", EAST],
        ]);
        let mut members = vec![["身份证号", "所在党组织编码", "党员类别"].map(s).to_vec()];
        for x in self.people.iter().filter(|x| x.party) {
            members.push(vec![x.id.clone(), s("T-DZB-E"), s("正式党员")]);
        }
        let mut posts = vec![
            [
                "身份证号",
                "干部类别",
                "职务",
                "任职单位编码",
                "任职日期",
                "离任日期",
            ]
            .map(s)
            .to_vec(),
        ];
        for c in &self.posts {
            posts.push(vec![
                self.people[c.person].id.clone(),
                s("村干部"),
                s(c.post),
                s(c.org),
                s(c.start),
                s(c.end.unwrap_or("")),
            ]);
        }
        let mut upgrades = vec![
            [
                "身份证号",
                "所属区划编码",
                "学校",
                "层次",
                "入学日期",
                "毕业日期",
            ]
            .map(s)
            .to_vec(),
        ];
        for u in &self.upgrades {
            upgrades.push(vec![
                self.people[u.person].id.clone(),
                s(u.org),
                s(u.school),
                s(u.level),
                s(u.start),
                s(u.graduated.unwrap_or("")),
            ]);
        }
        let mut reserve = vec![
            [
                "身份证号",
                "所属区划编码",
                "来源",
                "培养联系人身份证号",
                "成熟度",
                "入库日期",
                "出库日期",
            ]
            .map(s)
            .to_vec(),
        ];
        for r in &self.reserve {
            reserve.push(vec![
                self.people[r.person].id.clone(),
                s(r.org),
                s(r.source),
                self.people[JIA].id.clone(),
                s(if r.ready { "可接任" } else { "培养中" }),
                s(r.start),
                s(r.end.unwrap_or("")),
            ]);
        }
        book(&[
            ("区划", org_rows),
            ("人员", people),
            ("党组织", party_orgs),
            ("党员", members),
            ("干部", posts),
            ("学历提升", upgrades),
            ("后备人才", reserve),
        ])
    }
}

async fn app_with_fixture() -> (TestApp, Fixture) {
    let app = TestApp::new().await;
    let f = fixture();
    match run(&app, f.workbook(), &opts()).await {
        ImportOutcome::Done { written: true, .. } => {}
        other => panic!("fixture refused: {other:?}"),
    }
    (app, f)
}

fn dates(from: &str, at: &str) -> Dates {
    Dates {
        as_of: d(at),
        from: d(from),
        to: d(at),
    }
}

fn prefix_of(code: &str) -> &str {
    if code.ends_with("000000") {
        &code[..6]
    } else if code.ends_with("000") {
        &code[..9]
    } else {
        code
    }
}

async fn engine(app: &TestApp, org: &str, from: &str, at: &str) -> Value {
    let unit = xingcun::org::get(&app.db().pool, &Scope::everything(), org)
        .await
        .unwrap();
    let report = xingcun::indicators::report(&app.db().pool, &unit, &dates(from, at))
        .await
        .unwrap();
    serde_json::to_value(&report).unwrap()["indicators"].clone()
}

async fn list_len(app: &TestApp, key: &str, org: &str, from: &str, at: &str) -> usize {
    let ind = xingcun::indicators::find(key).unwrap();
    let ctx = RowCtx {
        as_of: d(at),
        scope: Scope::everything(),
    };
    drill::table(
        &app.db().pool,
        drill::population(ind, Side::Numerator),
        &Scope::with_prefix(prefix_of(org)),
        &dates(from, at),
        &ctx,
        0,
        100_000,
    )
    .await
    .unwrap()
    .rows
    .len()
}

#[tokio::test]
async fn figures_equal_independent_counts_at_edge_dates_and_drill_downs_are_as_long() {
    let (app, f) = app_with_fixture().await;
    let cases = [
        ("2026-01-01", "2026-06-30"),
        ("2026-01-01", "2026-06-29"),
        ("2026-01-02", "2026-06-30"),
        ("2025-01-01", "2025-12-31"),
        ("2026-03-10", "2026-04-30"),
        ("2026-01-01", "2026-01-09"),
    ];
    let mut seen_upgrades = BTreeSet::new();
    let mut seen_pool = BTreeSet::new();
    for org in [TOWNSHIP, EAST, WEST] {
        for (from, at) in cases {
            let got = engine(&app, org, from, at).await;
            let ups = f.degree_upgrades(prefix_of(org), from, at).len();
            let pool = f.reserve_pool(prefix_of(org), at).len();
            assert_eq!(
                got["talent.degree_upgrades"],
                json!({"value": ups}),
                "{org} {from}..{at}"
            );
            assert_eq!(
                got["talent.reserve_pool"],
                json!({"value": pool}),
                "{org} {at}"
            );
            assert_eq!(
                list_len(&app, "talent.degree_upgrades", org, from, at).await,
                ups
            );
            assert_eq!(
                list_len(&app, "talent.reserve_pool", org, from, at).await,
                pool
            );
            seen_upgrades.insert(ups);
            seen_pool.insert(pool);
        }
    }
    // The cases do tell the edges apart.
    assert!(seen_upgrades.len() >= 3, "{seen_upgrades:?}");
    assert!(seen_pool.len() >= 3, "{seen_pool:?}");
    // The district holds the fixture and nothing else of these records.
    let district = engine(&app, DISTRICT, "2026-01-01", "2026-06-30").await;
    assert_eq!(
        district["talent.degree_upgrades"]["value"],
        json!(f.degree_upgrades("", "2026-01-01", "2026-06-30").len())
    );
}

#[tokio::test]
async fn a_graduation_raises_in_service_education_audited_and_never_lowers_it() {
    let (app, f) = app_with_fixture().await;
    let pool = &app.db().pool;
    for who in [YI, JI, JIA] {
        let bidx = xingcun::registry::personal::id_bidx(app.state.crypto(), &f.people[who].id);
        let stored: Option<String> =
            sqlx::query("SELECT edu_in_service FROM person WHERE id_bidx = $1")
                .bind(bidx)
                .fetch_one(pool)
                .await
                .map(|r| sqlx::Row::get(&r, 0))
                .unwrap();
        let want = f.in_service_after(who).map(|e| {
            xingcun_domain::enums::Education::parse(e)
                .unwrap()
                .code()
                .to_string()
        });
        assert_eq!(stored, want, "{}", f.people[who].name);
    }
    // 乙 went from 中专 to 大学专科; 己 kept 大学本科.
    assert_eq!(f.in_service_after(YI), Some("大学专科"));
    assert_eq!(f.in_service_after(JI), Some("大学本科"));
    let audited: i64 = sqlx::Row::get(
        &sqlx::query(
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'person' AND action = 'update'
             AND changes LIKE '%在职学历%'",
        )
        .fetch_one(pool)
        .await
        .unwrap(),
        0,
    );
    assert_eq!(audited, 1);
    // The college share of the committees sees 乙's new degree (she is in office on 2026-04-30).
    let at = "2026-04-30";
    let committee = f.committee(prefix_of(EAST), at);
    let college = committee
        .iter()
        .filter(|&&x| {
            COLLEGE.contains(&f.people[x].full_time)
                || f.in_service_after(x).is_some_and(|e| COLLEGE.contains(&e))
        })
        .count();
    let got = engine(&app, EAST, "2026-01-01", at).await;
    assert_eq!(
        got["talent.committee_college_share"]["numerator"],
        json!(college)
    );
    assert!(college >= 1);
}

#[tokio::test]
async fn the_sheets_refuse_bad_rows_naming_sheet_and_column() {
    let app = TestApp::new().await;
    let known = id("19900101", 11);
    let stranger = id("19910101", 13);
    let s = |v: &str| v.to_string();
    let bytes = book(&[
        (
            "人员",
            rows(&[&["身份证号", "姓名"], &[known.as_str(), "张三"]]),
        ),
        (
            "学历提升",
            vec![
                [
                    "身份证号",
                    "所属区划编码",
                    "学校",
                    "层次",
                    "入学日期",
                    "毕业日期",
                ]
                .map(s)
                .to_vec(),
                // Unknown person.
                vec![
                    stranger.clone(),
                    s("990101001001"),
                    s("甲学院"),
                    s("大学专科"),
                    s("2026-01-01"),
                    s(""),
                ],
                // Graduation before enrolment, unknown unit.
                vec![
                    known.clone(),
                    s("990101009999"),
                    s("甲学院"),
                    s("大学专科"),
                    s("2026-01-01"),
                    s("2025-12-31"),
                ],
            ],
        ),
        (
            "后备人才",
            vec![
                [
                    "身份证号",
                    "所属区划编码",
                    "来源",
                    "培养联系人身份证号",
                    "入库日期",
                    "出库日期",
                ]
                .map(s)
                .to_vec(),
                // Bad source word, unknown mentor, exit on the entry day.
                vec![
                    known.clone(),
                    s("990101001001"),
                    s("挑"),
                    stranger.clone(),
                    s("2026-01-01"),
                    s("2026-01-01"),
                ],
            ],
        ),
    ]);
    let problems = match run(&app, bytes, &opts()).await {
        ImportOutcome::Refused(p) => p,
        other => panic!("accepted: {other:?}"),
    };
    let at: BTreeSet<(String, u32, String)> = problems
        .iter()
        .map(|p| (p.sheet.clone(), p.row, p.column.clone().unwrap_or_default()))
        .collect();
    for want in [
        ("学历提升", 2, "身份证号"),
        ("学历提升", 3, "毕业日期"),
        ("学历提升", 3, "所属区划编码"),
        ("后备人才", 2, "来源"),
        ("后备人才", 2, "培养联系人身份证号"),
        ("后备人才", 2, "出库日期"),
    ] {
        assert!(
            at.contains(&(want.0.to_string(), want.1, want.2.to_string())),
            "{want:?} not in {problems:?}"
        );
    }
    // All or nothing: not even the person was written.
    let n: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) FROM degree_upgrade")
            .fetch_one(&app.db().pool)
            .await
            .unwrap(),
        0,
    );
    assert_eq!(n, 0);
}

#[tokio::test]
async fn the_committee_makeup_counts_bands_education_women_party_and_one_shoulder() {
    let (app, f) = app_with_fixture().await;
    for org in [TOWNSHIP, EAST, WEST] {
        for at in ["2026-04-30", "2026-05-01", "2026-06-30", "2020-06-30"] {
            let m = xingcun::talent::committees::makeup(
                &app.db().pool,
                &Scope::with_prefix(prefix_of(org)),
                d(at),
            )
            .await
            .unwrap();
            let members = f.committee(prefix_of(org), at);
            let ages: Vec<u32> = members
                .iter()
                .map(|&x| age_at(d(f.people[x].birth), d(at)))
                .collect();
            assert_eq!(m.members, members.len(), "{org} {at}");
            assert_eq!(m.under_35, ages.iter().filter(|a| **a < 35).count());
            assert_eq!(
                m.from_35_to_50,
                ages.iter().filter(|a| (35..=50).contains(*a)).count()
            );
            assert_eq!(m.over_50, ages.iter().filter(|a| **a > 50).count());
            assert_eq!(
                m.women,
                members.iter().filter(|&&x| f.people[x].female).count()
            );
            assert_eq!(
                m.party_members,
                members.iter().filter(|&&x| f.people[x].party).count()
            );
            let college = members
                .iter()
                .filter(|&&x| {
                    COLLEGE.contains(&f.people[x].full_time)
                        || f.in_service_after(x).is_some_and(|e| COLLEGE.contains(&e))
                })
                .count();
            assert_eq!(m.college, college, "{org} {at}");
            assert_eq!(
                m.education.iter().map(|(_, n)| n).sum::<usize>(),
                members.len()
            );
            // 一肩挑: a person holding both the secretary and the director post of one village.
            let one: BTreeSet<&str> = f
                .posts
                .iter()
                .filter(|c| {
                    c.post == "党组织书记"
                        && c.org.starts_with(prefix_of(org))
                        && active(c.start, c.end, at)
                })
                .filter(|c| {
                    f.posts.iter().any(|o| {
                        o.person == c.person
                            && o.org == c.org
                            && o.post == "村(居)委会主任"
                            && active(o.start, o.end, at)
                    })
                })
                .map(|c| c.org)
                .collect();
            assert_eq!(m.one_shoulder_villages, one.len(), "{org} {at}");
        }
    }
}

#[tokio::test]
async fn a_village_whose_old_secretary_has_no_ready_successor_is_at_risk_and_alerted() {
    let (app, f) = app_with_fixture().await;
    let pool = &app.db().pool;
    let scope = Scope::with_prefix(prefix_of(TOWNSHIP));
    for at in ["2026-01-09", "2026-01-10", "2026-06-30"] {
        let lines = xingcun::talent::succession::lines(pool, &scope, d(at))
            .await
            .unwrap();
        for l in &lines {
            let secretary = f
                .posts
                .iter()
                .find(|c| c.org == l.code && c.post == "党组织书记" && active(c.start, c.end, at));
            let age = secretary.map(|c| age_at(d(f.people[c.person].birth), d(at)));
            assert_eq!(l.secretary_age, age, "{} {at}", l.code);
            let ready = f
                .reserve
                .iter()
                .filter(|r| r.org.starts_with(&l.code) && r.ready && active(r.start, r.end, at))
                .count();
            assert_eq!(l.ready, ready);
            assert_eq!(
                l.successors.len(),
                f.reserve
                    .iter()
                    .filter(|r| r.org.starts_with(&l.code) && active(r.start, r.end, at))
                    .count()
            );
            assert_eq!(l.at_risk, age.is_some_and(|a| a > 60) && ready == 0);
        }
        let west = lines.iter().find(|l| l.code == WEST).unwrap();
        let alerts = xingcun::outreach::alerts::alerts(pool, &scope, d(at))
            .await
            .unwrap();
        let flagged = alerts
            .iter()
            .any(|a| a.kind == "书记接班风险村(社区)" && a.unit_code == WEST);
        assert_eq!(flagged, west.at_risk, "{at}");
    }
    // Before 辛 entered the pool, 西村's 66-year-old secretary had no ready successor.
    let before = xingcun::talent::succession::lines(pool, &scope, d("2026-01-09"))
        .await
        .unwrap();
    assert!(before.iter().any(|l| l.code == WEST && l.at_risk));
}

#[tokio::test]
async fn the_pages_list_the_fixture_filter_it_and_export_it() {
    let (app, f) = app_with_fixture().await;
    let mut c = app.signed_in("admin").await;
    let res = c
        .get(&format!(
            "/talent/degree-upgrades?org={WEST}&state=graduated"
        ))
        .await;
    assert_eq!(res.status, axum::http::StatusCode::OK);
    for u in &f.upgrades {
        let shown = res.text.contains(u.start);
        let want = u.org == WEST && u.graduated.is_some();
        // Each WEST graduation row shows its enrolment date; no other row is listed.
        if want {
            assert!(shown, "{}", u.start);
        }
    }
    assert!(res.text.contains(f.people[JI].name));
    assert!(!res.text.contains(f.people[BING].name));
    let res = c.get(&format!("/talent/reserve?org={TOWNSHIP}")).await;
    assert_eq!(res.status, axum::http::StatusCode::OK);
    for r in &f.reserve {
        assert!(res.text.contains(f.people[r.person].name));
    }
    let res = c
        .get(&format!("/talent/reserve?org={TOWNSHIP}&export=xlsx"))
        .await;
    assert_eq!(res.status, axum::http::StatusCode::OK);
    let sheets = crate::workbook::cells(&res.bytes);
    // A header row and one row per entry.
    assert_eq!(sheets[0].1.len(), f.reserve.len() + 1);
    let res = c
        .get(&format!(
            "/talent/succession?org={TOWNSHIP}&as_of=2026-01-09&risk=1&export=xlsx"
        ))
        .await;
    assert_eq!(res.status, axum::http::StatusCode::OK);
    let rows = &crate::workbook::cells(&res.bytes)[0].1;
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1][1], r#"Text("西村")"#);
    let res = c
        .get(&format!(
            "/talent/committees?org={EAST}&as_of=2026-06-30&compare=2026-04-30&export=xlsx"
        ))
        .await;
    assert_eq!(res.status, axum::http::StatusCode::OK);
    let rows = &crate::workbook::cells(&res.bytes)[0].1;
    let members = rows.iter().find(|r| r[0].contains("“两委”成员")).unwrap();
    // A number cell's digits (the reader's cell says its kind around them).
    let num = |c: &str| -> f64 {
        let digits: String = c
            .chars()
            .filter(|x| x.is_ascii_digit() || *x == '.')
            .collect();
        digits.parse().unwrap()
    };
    assert_eq!(
        num(&members[1]),
        f.committee(EAST, "2026-06-30").len() as f64
    );
    assert_eq!(
        num(&members[3]),
        f.committee(EAST, "2026-04-30").len() as f64
    );
    assert_ne!(num(&members[1]), num(&members[3]));
    let res = c.get("/talent/committees?as_of=2026-13-01").await;
    assert_eq!(res.status, axum::http::StatusCode::BAD_REQUEST);
}

// ---------------------------------------------------------------------------------------------
// Trainings, practice postings, advisors and their advice, the secretaries' annual reviews, and
// appointing a talent from the pool.

struct Attendance {
    training: &'static str,
    start: &'static str,
    person: usize,
    org: &'static str,
}

struct Advisor {
    person: usize,
    org: &'static str,
    start: &'static str,
    end: Option<&'static str>,
}

/// (training number, organiser, start, end): 培训人次 counts a training by its start.
const TRAININGS: [(&str, &str, &str, &str); 4] = [
    ("PX1", TOWNSHIP, "2026-01-01", "2026-01-02"),
    ("PX2", DISTRICT, "2026-06-30", ""),
    ("PX3", EAST, "2025-12-31", "2026-01-01"),
    ("PX4", WEST, "2026-07-01", ""),
];

fn attendances() -> Vec<Attendance> {
    let start = |t: &str| TRAININGS.iter().find(|x| x.0 == t).unwrap().2;
    [
        ("PX1", JIA, EAST),
        ("PX1", YI, EAST),
        ("PX1", WU, WEST),
        ("PX1", XIN, WEST),
        ("PX2", JIA, EAST),
        ("PX2", WU, WEST),
        ("PX2", DING, WEST),
        ("PX3", GENG, EAST),
        ("PX3", JIA, EAST),
        ("PX4", BING, WEST),
    ]
    .into_iter()
    .map(|(training, person, org)| Attendance {
        training,
        start: start(training),
        person,
        org,
    })
    .collect()
}

fn advisors() -> Vec<Advisor> {
    vec![
        Advisor {
            person: GENG,
            org: EAST,
            start: "2026-01-10",
            end: None,
        },
        Advisor {
            person: DING,
            org: EAST,
            start: "2025-01-01",
            end: Some("2026-07-01"),
        },
        Advisor {
            person: DING,
            org: WEST,
            start: "2026-06-30",
            end: None,
        },
        Advisor {
            person: YI,
            org: WEST,
            start: "2024-01-01",
            end: Some("2026-01-10"),
        },
    ]
}

fn count_attendances(a: &[Attendance], prefix: &str, from: &str, to: &str) -> usize {
    a.iter()
        .filter(|x| x.org.starts_with(prefix) && from <= x.start && x.start <= to)
        .count()
}

fn count_advisors(a: &[Advisor], prefix: &str, at: &str) -> usize {
    a.iter()
        .filter(|x| x.org.starts_with(prefix) && active(x.start, x.end, at))
        .map(|x| x.person)
        .collect::<BTreeSet<_>>()
        .len()
}

/// The pipeline sheets over the fixture's people and posts.
fn pipeline_book(f: &Fixture) -> Vec<u8> {
    let s = |v: &str| v.to_string();
    let idn = |who: usize| f.people[who].id.clone();
    let mut trainings = vec![
        [
            "培训编号",
            "主办单位编码",
            "名称",
            "开始日期",
            "结束日期",
            "学时",
        ]
        .map(s)
        .to_vec(),
    ];
    for (no, org, start, end) in TRAININGS {
        trainings.push(vec![
            s(no),
            s(org),
            format!("{no}培训班"),
            s(start),
            s(end),
            s("8"),
        ]);
    }
    let mut attend = vec![["培训编号", "身份证号", "所属区划编码"].map(s).to_vec()];
    for a in attendances() {
        attend.push(vec![s(a.training), idn(a.person), s(a.org)]);
    }
    let mut adv = vec![
        ["身份证号", "村编码", "类型", "开始日期", "结束日期"]
            .map(s)
            .to_vec(),
    ];
    for (i, a) in advisors().iter().enumerate() {
        adv.push(vec![
            idn(a.person),
            s(a.org),
            s(["老党员", "退休干部", "乡贤", "其他"][i % 4]),
            s(a.start),
            s(a.end.unwrap_or("")),
        ]);
    }
    book(&[
        ("培训班", trainings),
        ("培训参训", attend),
        (
            "实践锻炼",
            vec![
                ["身份证号", "所属区划编码", "锻炼单位", "岗位", "开始日期"]
                    .map(s)
                    .to_vec(),
                vec![
                    idn(XIN),
                    s(WEST),
                    s("石门乡党政办"),
                    s("村务助理"),
                    s("2026-02-01"),
                ],
            ],
        ),
        ("村务顾问", adv),
        (
            "顾问建议",
            vec![
                [
                    "建议编号",
                    "村编码",
                    "顾问身份证号",
                    "提出日期",
                    "事项",
                    "是否采纳",
                ]
                .map(s)
                .to_vec(),
                vec![
                    s("JY1"),
                    s(EAST),
                    idn(GENG),
                    s("2026-02-01"),
                    s("村道亮化"),
                    s("是"),
                ],
                // 乙 advises 西村 until 2026-01-10 (the first day no longer held).
                vec![
                    s("JY2"),
                    s(WEST),
                    idn(YI),
                    s("2026-01-09"),
                    s("垃圾分类"),
                    s("否"),
                ],
            ],
        ),
        (
            "书记年度考核",
            vec![
                ["身份证号", "村编码", "年度", "考核结果", "报酬等级"]
                    .map(s)
                    .to_vec(),
                vec![idn(JIA), s(EAST), s("2025"), s("优秀"), s("一级")],
                vec![idn(WU), s(WEST), s("2025"), s("称职"), s("")],
                vec![idn(WU), s(WEST), s("2024"), s("基本称职"), s("三级")],
            ],
        ),
    ])
}

async fn app_with_pipeline() -> (TestApp, Fixture) {
    let (app, f) = app_with_fixture().await;
    match run(&app, pipeline_book(&f), &opts()).await {
        ImportOutcome::Done { written: true, .. } => {}
        other => panic!("pipeline refused: {other:?}"),
    }
    (app, f)
}

#[tokio::test]
async fn advisors_and_training_attendances_equal_independent_counts_at_edge_dates() {
    let (app, _f) = app_with_pipeline().await;
    let (att, adv) = (attendances(), advisors());
    let cases = [
        ("2026-01-01", "2026-06-30"),
        ("2026-01-02", "2026-06-29"),
        ("2025-12-31", "2026-01-09"),
        ("2025-01-01", "2025-12-31"),
        ("2026-01-01", "2026-01-10"),
        ("2026-07-01", "2026-07-01"),
    ];
    let mut seen_att = BTreeSet::new();
    let mut seen_adv = BTreeSet::new();
    for org in [DISTRICT, TOWNSHIP, EAST, WEST] {
        for (from, at) in cases {
            let got = engine(&app, org, from, at).await;
            let want_att = count_attendances(&att, prefix_of(org), from, at);
            let want_adv = count_advisors(&adv, prefix_of(org), at);
            assert_eq!(
                got["talent.training_attendances"],
                json!({"value": want_att}),
                "{org} {from}..{at}"
            );
            assert_eq!(
                got["talent.advisors"],
                json!({"value": want_adv}),
                "{org} {at}"
            );
            assert_eq!(
                list_len(&app, "talent.training_attendances", org, from, at).await,
                want_att
            );
            assert_eq!(
                list_len(&app, "talent.advisors", org, from, at).await,
                want_adv
            );
            seen_att.insert(want_att);
            seen_adv.insert(want_adv);
        }
    }
    // The cases tell the edges apart.
    assert!(seen_att.len() >= 4, "{seen_att:?}");
    assert!(seen_adv.len() >= 3, "{seen_adv:?}");
    // On 2026-06-30 丁 advises both villages: three records, two people (庚 and 丁).
    let records = adv
        .iter()
        .filter(|a| active(a.start, a.end, "2026-06-30"))
        .count();
    assert_eq!(records, 3);
    assert_eq!(count_advisors(&adv, prefix_of(TOWNSHIP), "2026-06-30"), 2);
}

#[tokio::test]
async fn the_pipeline_sheets_refuse_bad_rows_with_reasons() {
    let (app, f) = app_with_pipeline().await;
    let s = |v: &str| v.to_string();
    let idn = |who: usize| f.people[who].id.clone();
    let bytes = book(&[
        (
            "培训班",
            vec![
                [
                    "培训编号",
                    "主办单位编码",
                    "名称",
                    "开始日期",
                    "结束日期",
                    "学时",
                ]
                .map(s)
                .to_vec(),
                vec![
                    s("PX9"),
                    s("990101009999"),
                    s("坏培训"),
                    s("2026-03-02"),
                    s("2026-03-01"),
                    s("2.55"),
                ],
            ],
        ),
        (
            "培训参训",
            vec![
                ["培训编号", "身份证号", "所属区划编码"].map(s).to_vec(),
                vec![s("PX404"), idn(JIA), s(EAST)],
            ],
        ),
        (
            "实践锻炼",
            vec![
                ["身份证号", "所属区划编码", "锻炼单位", "岗位", "开始日期"]
                    .map(s)
                    .to_vec(),
                // 甲 was never in the pool.
                vec![idn(JIA), s(EAST), s("镇党政办"), s("助理"), s("2026-02-01")],
            ],
        ),
        (
            "村务顾问",
            vec![
                ["身份证号", "村编码", "类型", "开始日期", "结束日期"]
                    .map(s)
                    .to_vec(),
                vec![
                    idn(GENG),
                    s(TOWNSHIP),
                    s("老干部"),
                    s("2026-01-01"),
                    s("2026-01-01"),
                ],
            ],
        ),
        (
            "顾问建议",
            vec![
                ["建议编号", "村编码", "顾问身份证号", "提出日期", "事项"]
                    .map(s)
                    .to_vec(),
                // 乙's span at 西村 ended on 2026-01-10.
                vec![s("JY8"), s(WEST), idn(YI), s("2026-01-10"), s("事")],
                // 甲 never advised.
                vec![s("JY9"), s(EAST), idn(JIA), s("2026-02-01"), s("事")],
            ],
        ),
        (
            "书记年度考核",
            vec![
                ["身份证号", "村编码", "年度", "考核结果"].map(s).to_vec(),
                // 乙 was never a secretary.
                vec![idn(YI), s(EAST), s("2025"), s("称职")],
                // After the import's today (2026-06-30).
                vec![idn(JIA), s(EAST), s("2027"), s("称职")],
                vec![idn(JIA), s(EAST), s("2024"), s("良好")],
                // 戊 has been 西村's secretary since 2020, not 东村's.
                vec![idn(WU), s(EAST), s("2023"), s("称职")],
            ],
        ),
    ]);
    let problems = match run(&app, bytes, &opts()).await {
        ImportOutcome::Refused(p) => p,
        other => panic!("accepted: {other:?}"),
    };
    let at: BTreeSet<(String, u32, String)> = problems
        .iter()
        .map(|p| (p.sheet.clone(), p.row, p.column.clone().unwrap_or_default()))
        .collect();
    for want in [
        ("培训班", 2, "主办单位编码"),
        ("培训班", 2, "结束日期"),
        ("培训班", 2, "学时"),
        ("培训参训", 2, "培训编号"),
        ("实践锻炼", 2, "身份证号"),
        ("村务顾问", 2, "村编码"),
        ("村务顾问", 2, "类型"),
        ("村务顾问", 2, "结束日期"),
        ("顾问建议", 2, "顾问身份证号"),
        ("顾问建议", 3, "顾问身份证号"),
        ("书记年度考核", 2, "身份证号"),
        ("书记年度考核", 3, "年度"),
        ("书记年度考核", 4, "考核结果"),
        ("书记年度考核", 5, "身份证号"),
    ] {
        assert!(
            at.contains(&(want.0.to_string(), want.1, want.2.to_string())),
            "{want:?} not in {problems:?}"
        );
    }
    let reason = |sheet: &str, row: u32| {
        problems
            .iter()
            .filter(|p| p.sheet == sheet && p.row == row)
            .map(|p| p.message.clone())
            .collect::<Vec<_>>()
            .join("；")
    };
    assert!(reason("实践锻炼", 2).contains("不是后备人才"));
    assert!(reason("顾问建议", 2).contains("不是该村在任的村务顾问"));
    assert!(reason("书记年度考核", 5).contains("没有担任该村党组织书记"));
    // All or nothing: the good rows of other sheets were not written either.
    let n: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) FROM training WHERE training_no = 'PX9'")
            .fetch_one(&app.db().pool)
            .await
            .unwrap(),
        0,
    );
    assert_eq!(n, 0);
}

async fn entry_id(app: &TestApp, f: &Fixture, who: usize) -> i64 {
    let bidx = xingcun::registry::personal::id_bidx(app.state.crypto(), &f.people[who].id);
    sqlx::Row::get(
        &sqlx::query(
            "SELECT t.id FROM reserve_talent t JOIN person p ON p.id = t.person_id
             WHERE p.id_bidx = $1 AND t.ends_on IS NULL",
        )
        .bind(bidx)
        .fetch_one(&app.db().pool)
        .await
        .unwrap(),
        0,
    )
}

#[tokio::test]
async fn appointing_from_the_pool_writes_the_post_and_keeps_the_entry_as_history() {
    let (app, f) = app_with_pipeline().await;
    let pool = &app.db().pool;
    let id = entry_id(&app, &f, XIN).await;
    let entries_before: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) FROM reserve_talent")
            .fetch_one(pool)
            .await
            .unwrap(),
        0,
    );
    // Another township's account does not see the entry, nor can it appoint.
    let mut other = app.signed_in("xiangzhen").await;
    assert_eq!(
        other.get(&format!("/talent/reserve/{id}")).await.status,
        axum::http::StatusCode::NOT_FOUND
    );
    let res = other
        .post_form(
            &format!("/talent/reserve/{id}/appoint"),
            &[
                ("post", "村(居)委会委员"),
                ("org", WEST),
                ("starts_on", "2026-06-01"),
            ],
        )
        .await;
    assert_eq!(res.status, axum::http::StatusCode::NOT_FOUND);
    // The page shows the training record and the practice posting.
    let mut admin = app.signed_in("admin").await;
    let page = admin.get(&format!("/talent/reserve/{id}")).await;
    assert_eq!(page.status, axum::http::StatusCode::OK);
    assert!(page.text.contains("PX1培训班"), "{}", page.text);
    assert!(page.text.contains("石门乡党政办"));
    assert!(page.text.contains("从库中任职"));
    // A day before the entry is refused by the sheets' own rule, nothing written.
    let res = admin
        .post_form(
            &format!("/talent/reserve/{id}/appoint"),
            &[
                ("post", "村(居)委会委员"),
                ("org", WEST),
                ("starts_on", "2026-01-10"),
            ],
        )
        .await;
    assert_eq!(res.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text.contains("出库日期应晚于入库日期"), "{}", res.text);
    let res = admin
        .post_form(
            &format!("/talent/reserve/{id}/appoint"),
            &[
                ("post", "村(居)委会委员"),
                ("org", WEST),
                ("starts_on", "2026-06-01"),
            ],
        )
        .await;
    assert_eq!(
        res.status,
        axum::http::StatusCode::SEE_OTHER,
        "{}",
        res.text
    );
    // The entry stays, closed on the day, marked appointed; the post is a 干部 row of its own.
    let row = sqlx::query("SELECT ends_on, exit_reason FROM reserve_talent WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap();
    let (ends, why): (Option<String>, Option<String>) =
        (sqlx::Row::get(&row, 0), sqlx::Row::get(&row, 1));
    assert_eq!(ends.as_deref(), Some("2026-06-01"));
    assert_eq!(why.as_deref(), Some("appointed"));
    let entries_after: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) FROM reserve_talent")
            .fetch_one(pool)
            .await
            .unwrap(),
        0,
    );
    assert_eq!(entries_after, entries_before);
    let bidx = xingcun::registry::personal::id_bidx(app.state.crypto(), &f.people[XIN].id);
    let post = sqlx::query(
        "SELECT c.post, c.org_code, c.starts_on FROM cadre_post c JOIN person p ON p.id = c.person_id
         WHERE p.id_bidx = $1",
    )
    .bind(bidx)
    .fetch_all(pool)
    .await
    .unwrap();
    assert_eq!(post.len(), 1);
    let (p, org, since): (String, String, String) = (
        sqlx::Row::get(&post[0], 0),
        sqlx::Row::get(&post[0], 1),
        sqlx::Row::get(&post[0], 2),
    );
    assert_eq!(
        (p.as_str(), org.as_str(), since.as_str()),
        ("villagers_committee_member", WEST, "2026-06-01")
    );
    // Both writes are audited.
    for entity in ["cadre_post", "reserve_talent"] {
        let n: i64 = sqlx::Row::get(
            &sqlx::query(
                "SELECT COUNT(*) FROM audit_log WHERE entity = $1 AND actor_name = 'admin'",
            )
            .bind(entity)
            .fetch_one(pool)
            .await
            .unwrap(),
            0,
        );
        assert!(n >= 1, "{entity}");
    }
    // talent.reserve_pool counts entries active at D: 辛 on 2026-05-31, not from 2026-06-01.
    let mut f = f;
    f.reserve[0].end = Some("2026-06-01");
    for at in ["2026-05-31", "2026-06-01"] {
        let got = engine(&app, WEST, "2026-01-01", at).await;
        assert_eq!(
            got["talent.reserve_pool"],
            json!({"value": f.reserve_pool(prefix_of(WEST), at).len()}),
            "{at}"
        );
    }
    assert!(f.reserve_pool(WEST, "2026-05-31").contains(&XIN));
    assert!(!f.reserve_pool(WEST, "2026-06-01").contains(&XIN));
    // A closed entry cannot be appointed again.
    let res = admin
        .post_form(
            &format!("/talent/reserve/{id}/appoint"),
            &[
                ("post", "村(居)委会委员"),
                ("org", WEST),
                ("starts_on", "2026-06-02"),
            ],
        )
        .await;
    assert_eq!(res.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text.contains("已于 2026-06-01 出库"));
}

#[tokio::test]
async fn the_pipeline_pages_list_scoped_records_with_masked_ids_and_export() {
    let (app, f) = app_with_pipeline().await;
    let mut admin = app.signed_in("admin").await;
    let res = admin.get("/talent/trainings").await;
    assert_eq!(res.status, axum::http::StatusCode::OK);
    for (no, ..) in TRAININGS {
        assert!(res.text.contains(no));
    }
    let res = admin.get("/talent/trainings/PX1").await;
    assert_eq!(res.status, axum::http::StatusCode::OK);
    for a in attendances().iter().filter(|a| a.training == "PX1") {
        let who = &f.people[a.person];
        assert!(res.text.contains(who.name));
        // ID numbers only masked.
        assert!(!res.text.contains(&who.id));
    }
    let res = admin.get("/talent/trainings/PX1?export=xlsx").await;
    let rows = &crate::workbook::cells(&res.bytes)[0].1;
    assert_eq!(
        rows.len(),
        1 + attendances().iter().filter(|a| a.training == "PX1").count()
    );
    // Another township sees neither the training nor its attendees.
    let mut other = app.signed_in("xiangzhen").await;
    assert_eq!(
        other.get("/talent/trainings/PX1").await.status,
        axum::http::StatusCode::NOT_FOUND
    );
    assert!(!other.get("/talent/trainings").await.text.contains("PX1"));
    for (path, shown) in [
        ("/talent/practice", f.people[XIN].name),
        ("/talent/advisors?standing=active", f.people[GENG].name),
        ("/talent/advice?adopted=1", "村道亮化"),
        ("/talent/reviews?year=2025", f.people[JIA].name),
    ] {
        let res = admin.get(path).await;
        assert_eq!(res.status, axum::http::StatusCode::OK, "{path}");
        assert!(res.text.contains(shown), "{path}");
    }
    assert!(
        !admin
            .get("/talent/advice?adopted=1")
            .await
            .text
            .contains("垃圾分类")
    );
    // The succession view shows each secretary's latest review and pay grade.
    let res = admin
        .get(&format!(
            "/talent/succession?org={TOWNSHIP}&as_of=2026-06-30&export=xlsx"
        ))
        .await;
    let rows = &crate::workbook::cells(&res.bytes)[0].1;
    let east = rows.iter().find(|r| r[1].contains("东村")).unwrap();
    assert!(east.iter().any(|c| c.contains("2025年 优秀")), "{east:?}");
    assert!(east.iter().any(|c| c.contains("一级")), "{east:?}");
    let west = rows.iter().find(|r| r[1].contains("西村")).unwrap();
    // 戊's latest review is 2025 (称职, no grade), not 2024's.
    assert!(west.iter().any(|c| c.contains("2025年 称职")), "{west:?}");
    assert!(!west.iter().any(|c| c.contains("三级")), "{west:?}");
}

#[tokio::test]
async fn the_talent_forms_create_and_edit_through_the_import() {
    let (app, f) = app_with_pipeline().await;
    let mut admin = app.signed_in("admin").await;
    for slug in [
        "degree-upgrades",
        "reserve-talents",
        "trainings",
        "training-attendances",
        "practice-postings",
        "advisors",
        "advice",
        "secretary-reviews",
    ] {
        let res = admin.get(&format!("/registry/{slug}/new")).await;
        assert_eq!(res.status, axum::http::StatusCode::OK, "{slug}");
    }
    let res = admin
        .post_form(
            "/registry/trainings/new",
            &[
                ("培训编号", "PX7"),
                ("主办单位编码", TOWNSHIP),
                ("名称", "表单培训班"),
                ("开始日期", "2026-05-01"),
                ("学时", "4.5"),
            ],
        )
        .await;
    assert_eq!(
        res.status,
        axum::http::StatusCode::SEE_OTHER,
        "{}",
        res.text
    );
    let res = admin.get("/registry/trainings/edit?key=PX7").await;
    assert_eq!(res.status, axum::http::StatusCode::OK);
    assert!(res.text.contains("表单培训班"));
    // A form's problem comes back on its field, nothing written.
    let res = admin
        .post_form(
            "/registry/training-attendances/new",
            &[
                ("培训编号", "PX404"),
                ("身份证号", f.people[JIA].id.as_str()),
                ("所属区划编码", EAST),
            ],
        )
        .await;
    assert_eq!(res.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text.contains("PX404 不存在"));
    // A record keyed by an ID number opens by its row id; the list links to it.
    let advisor: i64 = sqlx::Row::get(
        &sqlx::query("SELECT MIN(id) FROM advisor")
            .fetch_one(&app.db().pool)
            .await
            .unwrap(),
        0,
    );
    let res = admin
        .get(&format!("/registry/advisors/edit?key={advisor}"))
        .await;
    assert_eq!(res.status, axum::http::StatusCode::OK);
    assert!(res.text.contains("老党员"));
    let list = admin.get("/talent/advisors").await;
    // (Templates escape the slashes of an href.)
    let html = list.text.replace("&#x2f;", "/");
    assert!(html.contains(&format!("/registry/advisors/edit?key={advisor}")));
    // A record of another township is 404 on edit.
    let mut other = app.signed_in("xiangzhen").await;
    assert_eq!(
        other
            .get(&format!("/registry/advisors/edit?key={advisor}"))
            .await
            .status,
        axum::http::StatusCode::NOT_FOUND
    );
    assert_eq!(
        other.get("/registry/trainings/edit?key=PX7").await.status,
        axum::http::StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_villages_export_carries_the_trainings_its_attendances_name_and_imports_again() {
    let (app, _f) = app_with_pipeline().await;
    let pool = &app.db().pool;
    let unit = xingcun::org::get(pool, &Scope::everything(), EAST)
        .await
        .unwrap();
    let first =
        xingcun::workbook::export::export(pool, app.state.crypto(), &unit.scope(), Some(EAST))
            .await
            .unwrap();
    let sheets = crate::workbook::cells(&first);
    let rows_of = |name: &str| {
        sheets
            .iter()
            .find(|(s, _)| s == name)
            .map_or(0, |(_, r)| r.len().saturating_sub(1))
    };
    let east = attendances().into_iter().filter(|a| a.org == EAST).count();
    assert_eq!(rows_of("培训参训"), east);
    // PX1 (the township's), PX2 (the district's) and PX3 (东村's own).
    assert_eq!(rows_of("培训班"), 3);
    assert_eq!(rows_of("村务顾问"), 2);
    assert_eq!(rows_of("书记年度考核"), 1);
    let empty = TestApp::new().await;
    match run(&empty, first.clone(), &opts()).await {
        ImportOutcome::Done { written: true, .. } => {}
        other => panic!("re-import failed: {other:?}"),
    }
    let again = xingcun::workbook::export::export(
        &empty.db().pool,
        empty.state.crypto(),
        &unit.scope(),
        Some(EAST),
    )
    .await
    .unwrap();
    assert_eq!(
        crate::workbook::cells(&first),
        crate::workbook::cells(&again)
    );
}

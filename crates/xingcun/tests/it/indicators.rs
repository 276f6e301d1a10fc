//! Indicators: each figure equals a count made independently, in plain Rust, over the rows the
//! test put in (a township of its own added to the demo tree through the workbook import); the
//! edge cases of the definitions (first and end days of posts, 社区 vs 行政村, people counted
//! once, 最高学历, 29 February, revoked villages, deregistered people, empty scopes); every
//! drill-down list is as long as its figure; the CLI and the API give the same JSON; the scope
//! rule holds.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use chrono::{Datelike, NaiveDate};
use serde_json::{Value, json};
use xingcun::indicators::drill::{self, Side};
use xingcun::indicators::{Dates, Figure, INDICATORS, Measure, RowCtx};
use xingcun::scope::Scope;
use xingcun::web::list::{Cell, Table};
use xingcun::workbook::ImportOutcome;

use crate::harness::TestApp;
use crate::workbook::{book, id, opts, rows, run};

const TOWNSHIP: &str = "990101006000";
const EAST: &str = "990101006001";
const WEST: &str = "990101006002";
const COMMUNITY: &str = "990101006003";
const NORTH: &str = "990101006004";
const SOUTH: &str = "990101006005";
const EMPTY_TOWNSHIP: &str = "990101007000";
const DISTRICT: &str = "990101000000";
/// A township of the demo tree: 14 行政村, no posts.
const DEMO_TOWNSHIP: &str = "990101001000";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// An org unit as the test knows it.
struct Unit {
    code: String,
    name: &'static str,
    /// The workbook's word: 乡镇, 行政村, 社区.
    kind: &'static str,
    parent: &'static str,
    revoked: Option<&'static str>,
    /// Put in by this test's workbook (else by the demo tree the harness builds).
    ours: bool,
}

struct Person {
    id: String,
    name: &'static str,
    female: bool,
    birth: NaiveDate,
    full_time: Option<&'static str>,
    in_service: Option<&'static str>,
    deregistered: Option<&'static str>,
}

struct Post {
    person: usize,
    /// 村干部 or 乡镇领导.
    category: &'static str,
    post: &'static str,
    org: &'static str,
    start: &'static str,
    end: Option<&'static str>,
    professional: bool,
}

/// The rows the test puts in, and the rules of indicators.md over them in plain Rust.
struct Fixture {
    units: Vec<Unit>,
    people: Vec<Person>,
    posts: Vec<Post>,
}

const COMMITTEE_POSTS: [&str; 6] = [
    "党组织书记",
    "党组织副书记",
    "党组织委员",
    "村(居)委会主任",
    "村(居)委会副主任",
    "村(居)委会委员",
];
const COLLEGE_DEGREES: [&str; 3] = ["大学专科", "大学本科", "研究生"];

fn person(
    birth: &str,
    seq: u32,
    name: &'static str,
    full_time: Option<&'static str>,
    in_service: Option<&'static str>,
) -> Person {
    Person {
        id: id(&birth.replace('-', ""), seq),
        name,
        female: seq.is_multiple_of(2),
        birth: d(birth),
        full_time,
        in_service,
        deregistered: None,
    }
}

fn post(person: usize, post: &'static str, org: &'static str, start: &'static str) -> Post {
    Post {
        person,
        category: "村干部",
        post,
        org,
        start,
        end: None,
        professional: false,
    }
}

fn unit(
    code: &str,
    name: &'static str,
    kind: &'static str,
    parent: &'static str,
    revoked: Option<&'static str>,
) -> Unit {
    Unit {
        code: code.into(),
        name,
        kind,
        parent,
        revoked,
        ours: true,
    }
}

// The people of the fixture, by index.
const ZHANG_DONG: usize = 0; // 东村 secretary and chair (一肩挑), professional
const LI_XIU: usize = 1; // born 29 February; 高中 full-time, 大专 in service
const WANG_XIN: usize = 2; // 东村 member from 2026-06-30
const ZHAO_FANG: usize = 3; // 东村 vice chair until 2026-06-30
const SUN_LI: usize = 4; // 社区 secretary, 研究生, professional
const ZHOU_MING: usize = 5; // 西村 supervision chair (not 两委), 本科
const WU_BEI: usize = 6; // secretary of 北村, revoked 2026-03-01
const ZHENG_LAN: usize = 7; // 西村 deputy secretary, deregistered 2026-05-01
const QIAN_QIANG: usize = 8; // posts in 西村 and 东村
const JIANG_JING: usize = 12; // 本科 full-time, 高中 in service

fn fixture() -> Fixture {
    let mut units = vec![
        unit(TOWNSHIP, "石门乡", "乡镇", DISTRICT, None),
        unit(EAST, "东村", "行政村", TOWNSHIP, None),
        unit(WEST, "西村", "行政村", TOWNSHIP, None),
        unit(COMMUNITY, "石门社区", "社区", TOWNSHIP, None),
        unit(NORTH, "北村", "行政村", TOWNSHIP, Some("2026-03-01")),
        unit(SOUTH, "南村", "行政村", TOWNSHIP, None),
        unit(EMPTY_TOWNSHIP, "空白镇", "乡镇", DISTRICT, None),
    ];
    // The demo tree the harness builds: 5 townships of 14 行政村 each.
    for t in 1..=5 {
        for v in 1..=14 {
            units.push(Unit {
                code: format!("990101{t:03}{v:03}"),
                name: "",
                kind: "行政村",
                parent: "",
                revoked: None,
                ours: false,
            });
        }
    }
    let mut people = vec![
        person("1970-05-10", 11, "张东", Some("大学本科"), None),
        person("1976-02-29", 12, "李秀", Some("高中"), Some("大学专科")),
        person("1990-07-01", 13, "王新", Some("初中"), None),
        person("1965-01-01", 14, "赵芳", Some("高中"), None),
        person("1985-03-03", 16, "孙丽", Some("研究生"), None),
        person("1980-08-08", 15, "周明", Some("大学本科"), None),
        person("1975-11-11", 17, "吴北", Some("大学专科"), None),
        person("1960-06-15", 18, "郑兰", Some("大学本科"), None),
        person("1972-12-31", 19, "钱强", Some("中专"), None),
        person("1968-04-04", 21, "冯刚", Some("高中"), None),
        person("1978-09-09", 23, "褚镇", Some("研究生"), None),
        person("1962-02-02", 25, "卫旧", Some("大学专科"), None),
        person("1992-10-10", 26, "蒋静", Some("大学本科"), Some("高中")),
    ];
    people[ZHENG_LAN].deregistered = Some("2026-05-01");
    let posts = vec![
        Post {
            professional: true,
            ..post(ZHANG_DONG, "党组织书记", EAST, "2021-01-01")
        },
        post(ZHANG_DONG, "村(居)委会主任", EAST, "2021-01-01"),
        post(LI_XIU, "党组织委员", EAST, "2021-01-01"),
        post(WANG_XIN, "村(居)委会委员", EAST, "2026-06-30"),
        Post {
            end: Some("2026-06-30"),
            ..post(ZHAO_FANG, "村(居)委会副主任", EAST, "2018-01-01")
        },
        Post {
            professional: true,
            ..post(SUN_LI, "党组织书记", COMMUNITY, "2021-01-01")
        },
        post(ZHOU_MING, "村务监督委员会主任", WEST, "2021-01-01"),
        Post {
            professional: true,
            ..post(WU_BEI, "党组织书记", NORTH, "2020-01-01")
        },
        post(ZHENG_LAN, "党组织副书记", WEST, "2019-01-01"),
        post(QIAN_QIANG, "党组织委员", WEST, "2021-01-01"),
        post(QIAN_QIANG, "村(居)委会委员", EAST, "2022-03-15"),
        post(9, "党组织书记", WEST, "2021-01-01"),
        Post {
            category: "乡镇领导",
            ..post(10, "乡长", TOWNSHIP, "2021-01-01")
        },
        Post {
            end: Some("2021-01-01"),
            professional: true,
            ..post(11, "党组织书记", WEST, "2015-01-01")
        },
        post(JIANG_JING, "村(居)委会委员", WEST, "2021-01-01"),
    ];
    Fixture {
        units,
        people,
        posts,
    }
}

/// Completed years at `at`; a 29 February birthday falls on 1 March in common years.
fn age(birth: NaiveDate, at: NaiveDate) -> i64 {
    let years = i64::from(at.year() - birth.year());
    let before = (at.month(), at.day()) < (birth.month(), birth.day());
    years - i64::from(before)
}

fn ratio_json(n: usize, den: usize) -> Value {
    let (n, den) = (n as i64, den as i64);
    let value = (den != 0).then(|| ((2 * n * 10_000 + den) / (2 * den)) as f64 / 10_000.0);
    json!({"value": value, "numerator": n, "denominator": den})
}

impl Fixture {
    fn unit(&self, code: &str) -> &Unit {
        self.units.iter().find(|u| u.code == code).unwrap()
    }

    fn alive(&self, code: &str, at: NaiveDate) -> bool {
        self.unit(code).revoked.is_none_or(|r| at < d(r))
    }

    fn is_college(&self, p: usize) -> bool {
        let p = &self.people[p];
        [p.full_time, p.in_service]
            .iter()
            .flatten()
            .any(|e| COLLEGE_DEGREES.contains(e))
    }

    /// Posts held at `at` as 村干部 in a living village under `prefix` by a registered person.
    fn held(&self, org: &str, at: NaiveDate) -> Vec<&Post> {
        let prefix = prefix_of(org);
        self.posts
            .iter()
            .filter(|p| {
                let u = self.unit(p.org);
                p.category == "村干部"
                    && p.org.starts_with(prefix)
                    && d(p.start) <= at
                    && p.end.is_none_or(|e| at < d(e))
                    && (u.kind == "行政村" || u.kind == "社区")
                    && self.alive(p.org, at)
                    && self.people[p.person].deregistered.is_none_or(|x| at < d(x))
            })
            .collect()
    }

    fn committee(&self, prefix: &str, at: NaiveDate) -> BTreeSet<usize> {
        self.held(prefix, at)
            .into_iter()
            .filter(|p| COMMITTEE_POSTS.contains(&p.post))
            .map(|p| p.person)
            .collect()
    }

    fn professional_secretaries(&self, prefix: &str, at: NaiveDate) -> BTreeSet<usize> {
        self.held(prefix, at)
            .into_iter()
            .filter(|p| p.post == "党组织书记" && p.professional)
            .map(|p| p.person)
            .collect()
    }

    fn admin_villages(&self, org: &str, at: NaiveDate) -> BTreeSet<&str> {
        let prefix = prefix_of(org);
        self.units
            .iter()
            .filter(|u| u.kind == "行政村" && u.code.starts_with(prefix) && self.alive(&u.code, at))
            .map(|u| u.code.as_str())
            .collect()
    }

    fn covered_villages(&self, prefix: &str, at: NaiveDate) -> BTreeSet<&str> {
        let held = self.held(prefix, at);
        self.admin_villages(prefix, at)
            .into_iter()
            .filter(|v| {
                held.iter()
                    .any(|p| p.org == *v && self.is_college(p.person))
            })
            .collect()
    }

    /// The `indicators` object indicators.md says the engine must give.
    fn expected(&self, prefix: &str, at: NaiveDate) -> Value {
        let committee = self.committee(prefix, at);
        let ages: Vec<i64> = committee
            .iter()
            .map(|&p| age(self.people[p].birth, at))
            .collect();
        let mean = (!ages.is_empty()).then(|| {
            let (sum, n) = (ages.iter().sum::<i64>(), ages.len() as i64);
            ((2 * sum * 10 + n) / (2 * n)) as f64 / 10.0
        });
        let college = committee.iter().filter(|&&p| self.is_college(p)).count();
        let women = committee.iter().filter(|&&p| self.people[p].female).count();
        let villages = self
            .units
            .iter()
            .filter(|u| {
                (u.kind == "行政村" || u.kind == "社区")
                    && u.code.starts_with(prefix_of(prefix))
                    && self.alive(&u.code, at)
            })
            .count();
        // The fixture has no outreach records (tests/it/outreach.rs counts those).
        json!({
            "outreach.work_teams": {"value": 0},
            "outreach.contact_leaders": {"value": 0},
            "outreach.village_contact_coverage": ratio_json(0, villages),
            "outreach.stationed_cadres": {"value": 0},
            "outreach.grid_cadres": {"value": 0},
            "outreach.linking_members": {"value": 0},
            "outreach.household_link_coverage": ratio_json(0, 0),
            "outreach.visits": {"value": 0},
            // Nor demands (tests/it/demands.rs counts those).
            "demands.received": {"value": 0},
            "demands.concluded": {"value": 0},
            "demands.resolved": {"value": 0},
            "demands.open": {"value": 0},
            "demands.on_time_rate": ratio_json(0, 0),
            "demands.satisfaction_rate": ratio_json(0, 0),
            // Nor branch work or honours (tests/it/branches.rs counts those).
            "branches.weak_rectified": {"value": 0},
            "branches.problems_solved": {"value": 0},
            "branches.practical_projects": {"value": 0},
            "branches.standardized": {"value": 0},
            "branches.model_sites": {"value": 0},
            "honors.good_secretaries": {"value": 0},
            "honors.prosperity_pioneers": {"value": 0},
            "talent.professional_secretaries": {"value": self.professional_secretaries(prefix, at).len()},
            // Nor degree upgrades, reserve talents, advisors or trainings (tests/it/talent.rs
            // counts those).
            "talent.degree_upgrades": {"value": 0},
            "talent.reserve_pool": {"value": 0},
            "talent.advisors": {"value": 0},
            "talent.training_attendances": {"value": 0},
            "talent.college_cadre_coverage": ratio_json(
                self.covered_villages(prefix, at).len(),
                self.admin_villages(prefix, at).len(),
            ),
            "talent.committee_avg_age": {"value": mean},
            "talent.committee_college_share": ratio_json(college, committee.len()),
            "talent.committee_female_share": ratio_json(women, committee.len()),
            // Nor businesses or tourism projects (tests/it/industry.rs counts those).
            "industry.cooperatives": {"value": 0},
            "industry.family_farms": {"value": 0},
            "industry.households_driven": {"value": 0},
            "industry.tourism_projects": {"value": 0},
            // Nor the simpler registries (tests/it/industry_more.rs and events.rs count those).
            "industry.agri_parks": {"value": 0},
            "industry.brands": {"value": 0},
            "industry.geo_indications": {"value": 0},
            "industry.tech_partnerships": {"value": 0},
            "governance.disputes_found": {"value": 0},
            "governance.disputes_resolved": {"value": 0},
            "governance.dispute_resolution_rate": {"value": null, "numerator": 0, "denominator": 0},
            "governance.law_outreach_events": {"value": 0},
            "governance.civility_events": {"value": 0},
            "conduct.study_sessions": {"value": 0},
            "conduct.supervision_findings": {"value": 0},
            "conduct.exemplars": {"value": 0},
        })
    }

    fn workbook(&self) -> Vec<u8> {
        let mut org_rows = vec![vec![
            "编码",
            "名称",
            "类型",
            "上级编码",
            "撤销日期",
            "并入编码",
        ]];
        for u in self.units.iter().filter(|u| u.ours) {
            org_rows.push(vec![
                u.code.as_str(),
                u.name,
                u.kind,
                u.parent,
                u.revoked.unwrap_or(""),
                if u.revoked.is_some() { EAST } else { "" },
            ]);
        }
        let mut people_rows = vec![vec![
            "身份证号".to_string(),
            "姓名".into(),
            "性别".into(),
            "全日制学历".into(),
            "在职学历".into(),
            "注销日期".into(),
            "注销原因".into(),
        ]];
        for p in &self.people {
            people_rows.push(vec![
                p.id.clone(),
                p.name.into(),
                if p.female { "女" } else { "男" }.into(),
                p.full_time.unwrap_or("").into(),
                p.in_service.unwrap_or("").into(),
                p.deregistered.unwrap_or("").into(),
                if p.deregistered.is_some() {
                    "迁出"
                } else {
                    ""
                }
                .into(),
            ]);
        }
        let mut post_rows = vec![vec![
            "身份证号".to_string(),
            "干部类别".into(),
            "职务".into(),
            "任职单位编码".into(),
            "任职日期".into(),
            "离任日期".into(),
            "专业化管理".into(),
        ]];
        for p in &self.posts {
            post_rows.push(vec![
                self.people[p.person].id.clone(),
                p.category.into(),
                p.post.into(),
                p.org.into(),
                p.start.into(),
                p.end.unwrap_or("").into(),
                if p.professional { "是" } else { "否" }.into(),
            ]);
        }
        let org_rows: Vec<&[&str]> = org_rows.iter().map(Vec::as_slice).collect();
        book(&[
            ("区划", rows(&org_rows)),
            ("人员", people_rows),
            ("干部", post_rows),
        ])
    }
}

/// The demo tree and accounts, with the fixture imported through the workbook.
async fn app_with_fixture() -> (TestApp, Fixture) {
    let app = TestApp::new().await;
    let f = fixture();
    match run(&app, f.workbook(), &opts()).await {
        ImportOutcome::Done { written: true, .. } => {}
        other => panic!("fixture refused: {other:?}"),
    }
    (app, f)
}

fn dates(at: &str) -> Dates {
    let at = d(at);
    Dates {
        as_of: at,
        from: NaiveDate::from_ymd_opt(at.year(), 1, 1).unwrap(),
        to: at,
    }
}

/// The engine's `indicators` object for one unit and D.
async fn engine(app: &TestApp, org: &str, at: &str) -> Value {
    let unit = xingcun::org::get(&app.db().pool, &Scope::everything(), org)
        .await
        .unwrap();
    let report = xingcun::indicators::report(&app.db().pool, &unit, &dates(at))
        .await
        .unwrap();
    serde_json::to_value(&report).unwrap()["indicators"].clone()
}

/// A whole drill-down list.
async fn list(app: &TestApp, key: &str, side: Side, org: &str, at: &str) -> Table {
    let ind = xingcun::indicators::find(key).unwrap();
    let ctx = RowCtx {
        as_of: d(at),
        scope: Scope::everything(),
    };
    let scope = Scope::with_prefix(prefix_of(org));
    drill::table(
        &app.db().pool,
        drill::population(ind, side),
        &scope,
        &dates(at),
        &ctx,
        0,
        100_000,
    )
    .await
    .unwrap()
}

/// The scope prefix of the codes this test uses: district 6, township 9, village 12 digits.
fn prefix_of(code: &str) -> &str {
    if code.ends_with("000000") {
        &code[..6]
    } else if code.ends_with("000") {
        &code[..9]
    } else {
        code
    }
}

fn text(c: &Cell) -> String {
    match c {
        Cell::Text(s) | Cell::Link { text: s, .. } | Cell::Badge { text: s, .. } => s.clone(),
        Cell::Int(i) => i.to_string(),
        Cell::Empty => String::new(),
    }
}

fn column(t: &Table, heading: &str) -> Vec<String> {
    let i = t.columns.iter().position(|c| c == heading).unwrap();
    t.rows.iter().map(|r| text(&r[i])).collect()
}

const ORGS: [&str; 9] = [
    DISTRICT,
    TOWNSHIP,
    EAST,
    WEST,
    COMMUNITY,
    NORTH,
    SOUTH,
    EMPTY_TOWNSHIP,
    DEMO_TOWNSHIP,
];
const DAYS: [&str; 10] = [
    "2014-12-31",
    "2020-06-30",
    "2021-01-01",
    "2026-02-28",
    "2026-03-01",
    "2026-04-30",
    "2026-05-01",
    "2026-06-29",
    "2026-06-30",
    "2030-01-01",
];

#[tokio::test]
async fn every_figure_matches_an_independent_count_of_the_rows() {
    let (app, f) = app_with_fixture().await;
    for org in ORGS {
        for at in DAYS {
            assert_eq!(
                engine(&app, org, at).await,
                f.expected(prefix_of(org), d(at)),
                "{org} at {at}"
            );
        }
    }
}

#[tokio::test]
async fn only_keys_whose_records_exist_are_listed() {
    let keys: Vec<&str> = INDICATORS.iter().map(|i| i.key).collect();
    assert_eq!(
        keys,
        [
            "outreach.work_teams",
            "outreach.contact_leaders",
            "outreach.village_contact_coverage",
            "outreach.stationed_cadres",
            "outreach.grid_cadres",
            "outreach.linking_members",
            "outreach.household_link_coverage",
            "outreach.visits",
            "demands.received",
            "demands.concluded",
            "demands.resolved",
            "demands.open",
            "demands.on_time_rate",
            "demands.satisfaction_rate",
            "branches.weak_rectified",
            "branches.problems_solved",
            "branches.practical_projects",
            "branches.standardized",
            "branches.model_sites",
            "honors.good_secretaries",
            "honors.prosperity_pioneers",
            "talent.professional_secretaries",
            "talent.degree_upgrades",
            "talent.college_cadre_coverage",
            "talent.reserve_pool",
            "talent.advisors",
            "talent.training_attendances",
            "talent.committee_avg_age",
            "talent.committee_college_share",
            "talent.committee_female_share",
            "industry.cooperatives",
            "industry.family_farms",
            "industry.households_driven",
            "industry.tourism_projects",
            "industry.agri_parks",
            "industry.brands",
            "industry.geo_indications",
            "industry.tech_partnerships",
            // 四、深化社会治理
            "governance.disputes_found",
            "governance.disputes_resolved",
            "governance.dispute_resolution_rate",
            "governance.law_outreach_events",
            "governance.civility_events",
            "conduct.study_sessions",
            "conduct.supervision_findings",
            "conduct.exemplars",
        ]
    );
    let names: Vec<&str> = INDICATORS.iter().map(|i| i.name).collect();
    assert_eq!(
        names,
        [
            "「一亲三心」工作队数",
            "包村乡镇领导数",
            "乡镇领导包村(社区)覆盖率",
            "专职驻村干部数",
            "入网村(社区)干部数",
            "联户党员数",
            "农户联系覆盖率",
            "走访户次",
            "收集群众诉求数",
            "诉求办结数",
            "解决群众\"急难愁盼\"问题数",
            "在办诉求数",
            "按时办结率",
            "群众满意率",
            "整顿提升软弱涣散村(社区)党组织数",
            "解决突出问题数",
            "兴办实事数",
            "标准化村(社区)党组织数",
            "党建示范点数",
            "担当作为好支书数",
            "带富致富先锋数",
            "专业化管理村(社区)党组织书记数",
            "参加学历提升村干部数",
            "\"一村一名大学生村干部\"覆盖率",
            "后备人才数",
            "村务顾问数",
            "培训人次",
            "村(社区)\"两委\"成员平均年龄",
            "村(社区)\"两委\"成员大专以上占比",
            "村(社区)\"两委\"成员女性占比",
            "农民专业合作社数",
            "家庭农场数",
            "带动农户数",
            "乡村旅游项目数",
            "现代农业园区数",
            "农产品品牌数",
            "地理标志产品数",
            "科技合作项目数",
            // 四、深化社会治理
            "排查矛盾纠纷数",
            "化解矛盾纠纷数",
            "矛盾纠纷化解率",
            "\"法律进农村\"活动场次",
            "移风易俗活动场次",
            "理论学习场次",
            "监督检查发现问题数",
            "宣传先进典型数",
        ]
    );
    let app = TestApp::new().await;
    let mut c = app.signed_in("admin").await;
    let json = c.get("/api/v1/indicators").await.json();
    let mut got: Vec<&str> = json["indicators"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    got.sort_unstable();
    let mut want = keys.clone();
    want.sort_unstable();
    assert_eq!(got, want);
}

#[tokio::test]
async fn a_post_counts_from_its_first_day_and_not_from_its_end_date() {
    let (app, f) = app_with_fixture().await;
    // 王新's post starts on 2026-06-30; 赵芳's ends on 2026-06-30.
    let on_the_day = committee_names(&app, EAST, "2026-06-30").await;
    let day_before = committee_names(&app, EAST, "2026-06-29").await;
    assert!(on_the_day.contains(&"王新".to_string()) && !on_the_day.contains(&"赵芳".to_string()));
    assert!(day_before.contains(&"赵芳".to_string()) && !day_before.contains(&"王新".to_string()));
    let at = engine(&app, EAST, "2026-06-30").await;
    assert_eq!(at, f.expected(EAST, d("2026-06-30")));
    assert_eq!(
        at["talent.committee_female_share"],
        json!({"value": 0.25, "numerator": 1, "denominator": 4}),
        "张东, 李秀, 王新, 钱强: one woman"
    );
    let before = engine(&app, EAST, "2026-06-29").await;
    assert_eq!(
        before["talent.committee_female_share"],
        json!({"value": 0.5, "numerator": 2, "denominator": 4}),
        "张东, 李秀, 赵芳, 钱强: two women"
    );
}

/// The names on the 两委成员 list of a unit at a date.
async fn committee_names(app: &TestApp, org: &str, at: &str) -> Vec<String> {
    let t = list(app, "talent.committee_avg_age", Side::Numerator, org, at).await;
    column(&t, "姓名")
}

#[tokio::test]
async fn a_community_counts_for_committee_figures_but_not_for_village_coverage() {
    let (app, f) = app_with_fixture().await;
    let at = "2026-06-30";
    let community = engine(&app, COMMUNITY, at).await;
    assert_eq!(community, f.expected(COMMUNITY, d(at)));
    assert_eq!(
        community["talent.professional_secretaries"],
        json!({"value": 1})
    );
    assert_eq!(
        community["talent.committee_college_share"],
        json!({"value": 1.0, "numerator": 1, "denominator": 1})
    );
    assert_eq!(
        community["talent.college_cadre_coverage"],
        json!({"value": null, "numerator": 0, "denominator": 0}),
        "a 社区 with a 研究生 secretary is in neither part of the 行政村 coverage"
    );
    let township = engine(&app, TOWNSHIP, at).await;
    // 东村 (张东, 李秀 …) and 西村 (周明's supervision post counts: any 村干部) are covered;
    // 南村 is not; 北村 is revoked; 石门社区 is no 行政村.
    assert_eq!(
        township["talent.college_cadre_coverage"],
        json!({"value": 0.6667, "numerator": 2, "denominator": 3})
    );
    let denominator = list(
        &app,
        "talent.college_cadre_coverage",
        Side::Denominator,
        TOWNSHIP,
        at,
    )
    .await;
    assert_eq!(column(&denominator, "区划代码"), [EAST, WEST, SOUTH]);
}

#[tokio::test]
async fn a_person_on_both_committees_counts_once() {
    let (app, f) = app_with_fixture().await;
    let at = "2026-06-30";
    let t = list(&app, "talent.committee_avg_age", Side::Numerator, EAST, at).await;
    let names = column(&t, "姓名");
    assert_eq!(names.iter().filter(|n| *n == "张东").count(), 1);
    let posts = column(&t, "在任职务");
    let zhang = &posts[names.iter().position(|n| n == "张东").unwrap()];
    assert!(
        zhang.contains("党组织书记") && zhang.contains("村(居)委会主任"),
        "both posts behind the one row: {zhang}"
    );
    assert_eq!(names.len(), f.committee(EAST, d(at)).len());
    // 钱强 sits on 西村's party committee and 东村's villagers' committee: once in the township.
    let township = list(
        &app,
        "talent.committee_avg_age",
        Side::Numerator,
        TOWNSHIP,
        at,
    )
    .await;
    let township_names = column(&township, "姓名");
    assert_eq!(township_names.iter().filter(|n| *n == "钱强").count(), 1);
    assert_eq!(township_names.len(), f.committee(TOWNSHIP, d(at)).len());
}

#[tokio::test]
async fn highest_education_is_the_higher_of_full_time_and_in_service() {
    let (app, f) = app_with_fixture().await;
    let at = "2026-06-30";
    let t = list(
        &app,
        "talent.committee_college_share",
        Side::Numerator,
        TOWNSHIP,
        at,
    )
    .await;
    let names = column(&t, "姓名");
    assert!(
        names.contains(&"李秀".to_string()),
        "高中 full-time, 大专 in service"
    );
    assert!(
        names.contains(&"蒋静".to_string()),
        "本科 full-time, 高中 in service"
    );
    assert!(!names.contains(&"钱强".to_string()), "中专");
    let li = column(&t, "最高学历")[names.iter().position(|n| n == "李秀").unwrap()].clone();
    assert_eq!(li, "大学专科");
    assert_eq!(
        engine(&app, TOWNSHIP, at).await["talent.committee_college_share"],
        f.expected(TOWNSHIP, d(at))["talent.committee_college_share"]
    );
}

#[tokio::test]
async fn someone_born_on_29_february_turns_a_year_older_on_1_march_in_common_years() {
    let (app, f) = app_with_fixture().await;
    for (at, want) in [("2026-02-28", "49"), ("2026-03-01", "50")] {
        let t = list(&app, "talent.committee_avg_age", Side::Numerator, EAST, at).await;
        let names = column(&t, "姓名");
        let li = names.iter().position(|n| n == "李秀").unwrap();
        assert_eq!(column(&t, "年龄（周岁）")[li], want, "at {at}");
        assert_eq!(
            engine(&app, EAST, at).await["talent.committee_avg_age"],
            f.expected(EAST, d(at))["talent.committee_avg_age"],
            "at {at}"
        );
    }
    // 东村 at 2026-02-28: 张东 55, 李秀 49, 赵芳 61, 钱强 53 → 54.5; a day later 李秀 is 50 → 54.75 → 54.8.
    assert_eq!(
        engine(&app, EAST, "2026-02-28").await["talent.committee_avg_age"],
        json!({"value": 54.5})
    );
    assert_eq!(
        engine(&app, EAST, "2026-03-01").await["talent.committee_avg_age"],
        json!({"value": 54.8})
    );
}

#[tokio::test]
async fn a_revoked_village_drops_out_from_its_revocation_date() {
    let (app, f) = app_with_fixture().await;
    let before = engine(&app, TOWNSHIP, "2026-02-28").await;
    let after = engine(&app, TOWNSHIP, "2026-03-01").await;
    assert_eq!(before, f.expected(TOWNSHIP, d("2026-02-28")));
    assert_eq!(after, f.expected(TOWNSHIP, d("2026-03-01")));
    // 北村 (吴北, professional secretary, 大专) counts up to the day before its revocation.
    assert_eq!(
        before["talent.college_cadre_coverage"],
        json!({"value": 0.75, "numerator": 3, "denominator": 4})
    );
    assert_eq!(
        before["talent.professional_secretaries"],
        json!({"value": 3})
    );
    assert_eq!(
        after["talent.professional_secretaries"],
        json!({"value": 2})
    );
    for (at, listed) in [("2026-02-28", true), ("2026-03-01", false)] {
        let villages = list(
            &app,
            "talent.college_cadre_coverage",
            Side::Denominator,
            TOWNSHIP,
            at,
        )
        .await;
        assert_eq!(
            column(&villages, "区划代码").contains(&NORTH.to_string()),
            listed,
            "北村 in the denominator at {at}"
        );
        let secretaries = list(
            &app,
            "talent.professional_secretaries",
            Side::Numerator,
            TOWNSHIP,
            at,
        )
        .await;
        let wu_bei = f.people[WU_BEI].name.to_string();
        assert_eq!(
            column(&secretaries, "姓名").contains(&wu_bei),
            listed,
            "{at}"
        );
    }
}

#[tokio::test]
async fn a_deregistered_person_drops_out_from_that_date() {
    let (app, f) = app_with_fixture().await;
    let before = committee_names(&app, WEST, "2026-04-30").await;
    let after = committee_names(&app, WEST, "2026-05-01").await;
    assert!(before.contains(&"郑兰".to_string()));
    assert!(!after.contains(&"郑兰".to_string()));
    assert_eq!(
        engine(&app, WEST, "2026-05-01").await,
        f.expected(WEST, d("2026-05-01"))
    );
    assert_eq!(
        engine(&app, WEST, "2026-04-30").await,
        f.expected(WEST, d("2026-04-30"))
    );
}

#[tokio::test]
async fn an_empty_scope_gives_null_values_with_zero_numerators_and_denominators() {
    let (app, _) = app_with_fixture().await;
    let empty = json!({
        "outreach.work_teams": {"value": 0},
        "outreach.contact_leaders": {"value": 0},
        "outreach.village_contact_coverage": {"value": null, "numerator": 0, "denominator": 0},
        "outreach.stationed_cadres": {"value": 0},
        "outreach.grid_cadres": {"value": 0},
        "outreach.linking_members": {"value": 0},
        "outreach.household_link_coverage": {"value": null, "numerator": 0, "denominator": 0},
        "outreach.visits": {"value": 0},
        "demands.received": {"value": 0},
        "demands.concluded": {"value": 0},
        "demands.resolved": {"value": 0},
        "demands.open": {"value": 0},
        "demands.on_time_rate": {"value": null, "numerator": 0, "denominator": 0},
        "demands.satisfaction_rate": {"value": null, "numerator": 0, "denominator": 0},
        "branches.weak_rectified": {"value": 0},
        "branches.problems_solved": {"value": 0},
        "branches.practical_projects": {"value": 0},
        "branches.standardized": {"value": 0},
        "branches.model_sites": {"value": 0},
        "honors.good_secretaries": {"value": 0},
        "honors.prosperity_pioneers": {"value": 0},
        "talent.professional_secretaries": {"value": 0},
        "talent.degree_upgrades": {"value": 0},
        "talent.college_cadre_coverage": {"value": null, "numerator": 0, "denominator": 0},
        "talent.reserve_pool": {"value": 0},
        "talent.advisors": {"value": 0},
        "talent.training_attendances": {"value": 0},
        "talent.committee_avg_age": {"value": null},
        "talent.committee_college_share": {"value": null, "numerator": 0, "denominator": 0},
        "talent.committee_female_share": {"value": null, "numerator": 0, "denominator": 0},
        "industry.cooperatives": {"value": 0},
        "industry.family_farms": {"value": 0},
        "industry.households_driven": {"value": 0},
        "industry.tourism_projects": {"value": 0},
        "industry.agri_parks": {"value": 0},
        "industry.brands": {"value": 0},
        "industry.geo_indications": {"value": 0},
        "industry.tech_partnerships": {"value": 0},
        "governance.disputes_found": {"value": 0},
        "governance.disputes_resolved": {"value": 0},
        "governance.dispute_resolution_rate": {"value": null, "numerator": 0, "denominator": 0},
        "governance.law_outreach_events": {"value": 0},
        "governance.civility_events": {"value": 0},
        "conduct.study_sessions": {"value": 0},
        "conduct.supervision_findings": {"value": 0},
        "conduct.exemplars": {"value": 0},
    });
    assert_eq!(engine(&app, EMPTY_TOWNSHIP, "2026-06-30").await, empty);
    let mut c = app.signed_in("admin").await;
    let res = c
        .get(&format!(
            "/api/v1/indicators?org={EMPTY_TOWNSHIP}&as_of=2026-06-30"
        ))
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.json()["indicators"], empty);
    // Before anyone took office, the fixture's own township is empty too.
    assert_eq!(
        engine(&app, TOWNSHIP, "2014-12-31").await["talent.committee_avg_age"],
        json!({"value": null})
    );
}

#[tokio::test]
async fn every_drill_down_list_is_as_long_as_its_figure() {
    let (app, _) = app_with_fixture().await;
    for org in [DISTRICT, TOWNSHIP, EAST, WEST, COMMUNITY, EMPTY_TOWNSHIP] {
        for at in ["2026-02-28", "2026-06-30"] {
            let unit = xingcun::org::get(&app.db().pool, &Scope::everything(), org)
                .await
                .unwrap();
            for ind in INDICATORS {
                let figure =
                    xingcun::indicators::figure(&app.db().pool, ind, &unit.scope(), &dates(at))
                        .await
                        .unwrap();
                let numerator = list(&app, ind.key, Side::Numerator, org, at)
                    .await
                    .rows
                    .len() as i64;
                let denominator = list(&app, ind.key, Side::Denominator, org, at)
                    .await
                    .rows
                    .len() as i64;
                let place = format!("{} at {org} on {at}", ind.key);
                match (figure, &ind.measure) {
                    (Figure::Count(n), _) => assert_eq!(numerator, n, "{place}"),
                    (Figure::Ratio(r), _) => {
                        assert_eq!(numerator, r.numerator, "{place} numerator");
                        assert_eq!(denominator, r.denominator, "{place} denominator");
                    }
                    (Figure::Mean(m), Measure::MeanAge(p)) => {
                        let t = list(&app, ind.key, Side::Numerator, org, at).await;
                        let n = xingcun::indicators::count(
                            &app.db().pool,
                            p,
                            &unit.scope(),
                            &dates(at),
                        )
                        .await
                        .unwrap();
                        assert_eq!(t.rows.len() as i64, n, "{place}");
                        let ages: Vec<u32> = column(&t, "年龄（周岁）")
                            .iter()
                            .map(|a| a.parse().unwrap())
                            .collect();
                        assert_eq!(
                            xingcun_domain::mean_1dp(&ages),
                            m,
                            "{place}: the mean of the listed ages"
                        );
                    }
                    (Figure::Mean(_), _) => panic!("{place}: a mean of something else"),
                }
            }
        }
    }
}

#[tokio::test]
async fn the_cli_json_and_the_api_json_are_identical() {
    use clap::Parser;
    let (app, _) = app_with_fixture().await;
    let mut c = app.signed_in("admin").await;
    let today = d("2026-07-15");
    for (cli_args, api_query) in [
        (
            vec!["--org", TOWNSHIP, "--as-of", "2026-06-30"],
            format!("org={TOWNSHIP}&as_of=2026-06-30"),
        ),
        (
            vec![
                "--as-of",
                "2026-03-01",
                "--from",
                "2025-07-01",
                "--to",
                "2026-02-28",
            ],
            "as_of=2026-03-01&from=2025-07-01&to=2026-02-28".to_string(),
        ),
    ] {
        let argv = [vec!["xingcun", "indicators"], cli_args, vec!["--json"]].concat();
        let cli = xingcun::cli::Cli::try_parse_from(&argv).unwrap();
        let xingcun::cli::Command::Indicators(args) = cli.command else {
            panic!("parsed as another command")
        };
        let printed = xingcun::indicators::command::output(&app.db().pool, &args, today)
            .await
            .unwrap();
        let served = c.get(&format!("/api/v1/indicators?{api_query}")).await;
        assert_eq!(served.status, StatusCode::OK);
        assert_eq!(printed.trim_end(), served.text, "{argv:?}");
        let v: Value = serde_json::from_str(&printed).unwrap();
        assert!(v["org"].is_string() && v["as_of"].is_string() && v["indicators"].is_object());
    }
    // Without --org the CLI counts the root; the administrator's own unit is the root too.
    let cli = xingcun::cli::Cli::try_parse_from([
        "xingcun",
        "indicators",
        "--as-of",
        "2026-06-30",
        "--json",
    ])
    .unwrap();
    let xingcun::cli::Command::Indicators(args) = cli.command else {
        panic!()
    };
    let printed = xingcun::indicators::command::output(&app.db().pool, &args, today)
        .await
        .unwrap();
    assert!(printed.starts_with(&format!("{{\"org\":\"{DISTRICT}\",\"as_of\":\"2026-06-30\",\"from\":\"2026-01-01\",\"to\":\"2026-06-30\"")), "{printed}");
    assert_eq!(
        printed.trim_end(),
        c.get("/api/v1/indicators?as_of=2026-06-30").await.text
    );
    // The table form names each figure in Chinese.
    let table = xingcun::indicators::command::IndicatorsArgs {
        json: false,
        ..args
    };
    let out = xingcun::indicators::command::output(&app.db().pool, &table, today)
        .await
        .unwrap();
    assert!(
        out.contains("二、抓队伍建设") && out.contains("\"一村一名大学生村干部\"覆盖率"),
        "{out}"
    );
}

#[tokio::test]
async fn a_village_user_gets_404_for_another_villages_indicators() {
    let (app, _) = app_with_fixture().await;
    let mut c = app.signed_in("cungan").await;
    for path in [
        format!("/api/v1/indicators?org={EAST}"),
        format!("/api/v1/indicators?org={DISTRICT}"),
        "/api/v1/indicators?org=990101001002".to_string(),
        format!("/indicators?org={EAST}"),
        format!("/indicators/talent.committee_avg_age?org={EAST}"),
        format!(
            "/indicators/talent.college_cadre_coverage?org={EAST}&list=denominator&export=xlsx"
        ),
    ] {
        let res = c.get(&path).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!res.text.contains("东村"), "{path} reveals nothing");
    }
    let api = c.get("/api/v1/indicators?org=990101006001").await.json();
    assert_eq!(api["error"]["code"], "not_found");
    let own = c.get("/api/v1/indicators?as_of=2026-06-30").await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(
        own.json()["org"],
        "990101001001",
        "default: the user's own unit"
    );
    assert_eq!(
        own.json()["indicators"]["talent.college_cadre_coverage"],
        json!({"value": 0.0, "numerator": 0, "denominator": 1})
    );
}

#[tokio::test]
async fn a_bad_date_or_a_period_ending_before_it_starts_is_refused_in_chinese() {
    let app = TestApp::new().await;
    let mut c = app.signed_in("admin").await;
    let res = c
        .get("/api/v1/indicators?from=2026-05-01&to=2026-04-30")
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.json()["error"]["code"], "bad_request");
    assert!(
        res.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("晚于结束日期")
    );
    let res = c.get("/api/v1/indicators?as_of=2026-13-01").await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(res.text.contains("YYYY-MM-DD"));
    let page = c.get("/indicators?from=2026-05-01&to=2026-04-30").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.text.contains("晚于结束日期"));
    assert_eq!(
        c.get("/indicators/talent.no_such_key").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_overview_links_each_figure_to_its_list_which_pages_and_exports() {
    let (app, f) = app_with_fixture().await;
    let mut c = app.signed_in("xiangzhen").await;
    // 青山镇's user sees 青山镇 by default (14 行政村, no posts) and cannot open 石门乡.
    let own = c.get("/indicators?as_of=2026-06-30").await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(
        own.text.contains("0.00%") && own.text.contains("二、抓队伍建设"),
        "{}",
        own.text
    );
    assert_eq!(
        c.get(&format!("/indicators?org={TOWNSHIP}")).await.status,
        StatusCode::NOT_FOUND
    );

    let mut admin = app.signed_in("admin").await;
    let page = admin
        .get(&format!("/indicators?org={TOWNSHIP}&as_of=2026-06-30"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let want = f.expected(TOWNSHIP, d("2026-06-30"));
    let share = &want["talent.committee_female_share"];
    let html = page.text.replace("&#x2f;", "/").replace("&amp;", "&");
    for ind in INDICATORS {
        let link = format!(
            "href=\"/indicators/{}?org={TOWNSHIP}&as_of=2026-06-30",
            ind.key
        );
        assert!(html.contains(&link), "{link}");
    }
    let list_link = format!(
        "/indicators/talent.committee_female_share?org={TOWNSHIP}&as_of=2026-06-30&from=2026-01-01&to=2026-06-30&list=denominator"
    );
    assert!(
        html.contains(&list_link),
        "a ratio's parts link to their lists"
    );
    let (n, den) = (
        share["numerator"].as_i64().unwrap(),
        share["denominator"].as_i64().unwrap(),
    );
    let q = (n * 20_000 + den) / (2 * den);
    let percent = format!("{}.{:02}%", q / 100, q % 100);
    assert!(page.text.contains(&percent), "{percent} on the page");
    assert!(page.text.contains("指标总览"));

    let path = format!(
        "/indicators/talent.committee_female_share?org={TOWNSHIP}&as_of=2026-06-30&list=denominator"
    );
    let detail = admin.get(&format!("{path}&per_page=10")).await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(
        detail.text.contains(&format!("共 {den} 条")),
        "{}",
        detail.text
    );
    assert!(detail.text.contains("张东") && detail.text.contains("在任职务"));
    let numerator = admin.get(&path.replace("denominator", "numerator")).await;
    assert!(numerator.text.contains(&format!("共 {n} 条")));
    let xlsx = admin.get(&format!("{path}&export=xlsx")).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert_eq!(&xlsx.bytes[..2], b"PK");
    let mut reader = xingcun_xlsx::WorkbookReader::open_bytes(xlsx.bytes.clone()).unwrap();
    let rows: Vec<_> = reader
        .rows("分母名单")
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len() as i64, den + 1, "header + one row per person");
}

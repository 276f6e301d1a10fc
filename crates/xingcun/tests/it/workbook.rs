//! The workbook exchange: a workbook written by another program imports; every kind of bad row
//! is refused with its place named and nothing written; imports are idempotent; export → import
//! into an empty database → export gives identical cells.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use xingcun::audit::Actor;
use xingcun::workbook::{ImportOptions, ImportOutcome, Problem, export, import};
use xingcun_domain::id_number::check_char;

use crate::harness::TestApp;

/// A valid ID number born on `birth` (YYYYMMDD) with sequence `seq` (odd last digit = male).
pub fn id(birth: &str, seq: u32) -> String {
    let first17 = format!("990101{birth}{seq:03}");
    format!("{first17}{}", check_char(&first17))
}

/// Builds a workbook with rust_xlsxwriter directly (not the platform's writer). A cell "=dYYYY-MM-DD"
/// is a date cell, "=nNUMBER" a numeric cell, anything else text.
pub fn book(sheets: &[(&str, Vec<Vec<String>>)]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                if let Some(d) = v.strip_prefix("=d") {
                    let dt = ExcelDateTime::parse_from_str(d).unwrap();
                    ws.write_datetime_with_format(r, c, &dt, &date_fmt).unwrap();
                } else if let Some(n) = v.strip_prefix("=n") {
                    ws.write_number(r, c, n.parse::<f64>().unwrap()).unwrap();
                } else if !v.is_empty() {
                    ws.write_string(r, c, v).unwrap();
                }
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

pub fn rows(v: &[&[&str]]) -> Vec<Vec<String>> {
    v.iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect())
        .collect()
}

/// The 党组织 and 党员 sheets of 王家庄村's branch (D990101001001), `members` its full members.
pub fn village_branch(members: &[&str]) -> [(&'static str, Vec<Vec<String>>); 2] {
    let mut member_rows = rows(&[&["身份证号", "所在党组织编码", "党员类别"]]);
    for m in members {
        member_rows.push(vec![
            m.to_string(),
            "D990101001001".into(),
            "正式党员".into(),
        ]);
    }
    [
        (
            "党组织",
            rows(&[
                &["组织编码", "名称", "类型", "所在区划编码"],
                &["D990101001001", "王家庄村党支部", "党支部", "990101001001"],
            ]),
        ),
        ("党员", member_rows),
    ]
}

/// A small valid workbook in the style a township clerk's own spreadsheet might have: columns
/// in another order, a 序号 column, numeric codes, date cells and text dates, aliases.
pub fn valid_book() -> Vec<u8> {
    let head1 = id("19650301", 11);
    let wife1 = id("19680512", 22);
    let head2 = id("19801130", 31);
    let leader = id("19750606", 41);
    let head1_lower = head1.to_lowercase();
    book(&[
        (
            "区划",
            rows(&[
                &["序号", "编码", "名称", "类型", "上级编码"],
                &["1", "=n990101001001", "王家庄村", "行政村", "990101001000"],
                &["2", "990101001001005", "第五网格", "网格", "990101001001"],
            ]),
        ),
        (
            "户",
            rows(&[
                &[
                    "户编号",
                    "所属区划编码",
                    "村民小组",
                    "联系电话",
                    "脱贫户",
                    "监测对象",
                    "监测对象类型",
                ],
                &[
                    "990101001001H0001",
                    "990101001001005",
                    "第一村民小组",
                    "13900000001",
                    "是",
                    "否",
                    "",
                ],
                &[
                    "990101001001H0002",
                    "990101001001",
                    "",
                    "0531-88886666",
                    "否",
                    "是",
                    "边缘易致贫户",
                ],
            ]),
        ),
        (
            "人员",
            rows(&[
                &[
                    "身份证号",
                    "姓名",
                    "性别",
                    "出生日期",
                    "民族",
                    "全日制学历",
                    "政治面貌",
                    "户编号",
                    "与户主关系",
                ],
                &[
                    &head1_lower,
                    "张 三",
                    "男",
                    "=d1965-03-01",
                    "汉",
                    "高中",
                    "中共党员",
                    "990101001001H0001",
                    "户主",
                ],
                &[
                    &wife1,
                    "李四",
                    "女",
                    "1968-05-12",
                    "汉族",
                    "初中",
                    "群众",
                    "990101001001H0001",
                    "配偶",
                ],
                &[
                    &head2,
                    "王·五",
                    "",
                    "",
                    "",
                    "大专",
                    "",
                    "990101001001H0002",
                    "户主",
                ],
                &[
                    &leader,
                    "赵六",
                    "男",
                    "",
                    "回族",
                    "本科",
                    "中共党员",
                    "",
                    "",
                ],
            ]),
        ),
        (
            "党组织",
            rows(&[
                &["组织编码", "名称", "类型", "上级组织编码", "所在区划编码"],
                &["D990101", "兴和区委", "党委", "", "990101000000"],
                &[
                    "D990101001",
                    "青山镇党委",
                    "党委",
                    "D990101",
                    "990101001000",
                ],
                &[
                    "D990101001001",
                    "王家庄村党支部",
                    "党支部",
                    "D990101001",
                    "990101001001",
                ],
                &[
                    "D990101001900",
                    "青山镇机关党支部",
                    "党支部",
                    "D990101001",
                    "990101001000",
                ],
            ]),
        ),
        (
            "党员",
            rows(&[
                &[
                    "身份证号",
                    "所在党组织编码",
                    "党员类别",
                    "入党日期",
                    "转正日期",
                ],
                &[
                    &head1,
                    "D990101001001",
                    "正式党员",
                    "=d1990-07-01",
                    "1991-07-01",
                ],
                &[&leader, "D990101001900", "正式党员", "", ""],
            ]),
        ),
        (
            "干部",
            rows(&[
                &[
                    "身份证号",
                    "干部类别",
                    "职务",
                    "职务全称",
                    "任职单位编码",
                    "任职日期",
                    "专业化管理",
                ],
                &[
                    &head1,
                    "村干部",
                    "党组织书记",
                    "党支部书记",
                    "990101001001",
                    "2021-01-05",
                    "是",
                ],
                &[
                    &head1,
                    "村干部",
                    "村（居）委会主任",
                    "",
                    "990101001001",
                    "2021-01-05",
                    "否",
                ],
                &[
                    &head2,
                    "村干部",
                    "村(居)委会委员",
                    "",
                    "990101001001",
                    "2021-01-05",
                    "",
                ],
                &[
                    &leader,
                    "乡镇领导",
                    "党委副书记",
                    "",
                    "990101001000",
                    "2020-09-01",
                    "",
                ],
            ]),
        ),
    ])
}

pub fn opts() -> ImportOptions {
    ImportOptions {
        dry_run: false,
        within: None,
        today: chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
    }
}

pub async fn run(app: &TestApp, bytes: Vec<u8>, o: &ImportOptions) -> ImportOutcome {
    import(app.db(), app.state.crypto(), &Actor::cli(), bytes, o)
        .await
        .expect("import runs")
}

pub async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::Row::get(
        &sqlx::query(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
            .fetch_one(&app.db().pool)
            .await
            .unwrap(),
        0,
    )
}

async fn counts(app: &TestApp) -> Vec<i64> {
    let mut v = Vec::new();
    for t in [
        "org_unit",
        "household",
        "person",
        "party_org",
        "party_member",
        "cadre_post",
        "audit_log",
    ] {
        v.push(count(app, t).await);
    }
    v
}

fn refused(o: ImportOutcome) -> Vec<Problem> {
    match o {
        ImportOutcome::Refused(p) => p,
        ImportOutcome::Done { counts, .. } => panic!("expected refusal, got {counts:?}"),
    }
}

#[tokio::test]
async fn a_workbook_written_by_another_program_imports() {
    let app = TestApp::new().await;
    match run(&app, valid_book(), &opts()).await {
        ImportOutcome::Done {
            written: true,
            counts,
        } => {
            assert_eq!(
                counts.iter().map(|c| (c.0, c.1)).collect::<Vec<_>>(),
                vec![
                    ("区划", 1),
                    ("户", 2),
                    ("人员", 4),
                    ("党组织", 4),
                    ("党员", 2),
                    ("干部", 4)
                ]
            );
        }
        ImportOutcome::Refused(p) => panic!(
            "refused: {:#?}",
            p.iter().map(ToString::to_string).collect::<Vec<_>>()
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(count(&app, "household").await, 2);
    let (name, initials, hh): (String, String, String) = {
        let r = sqlx::query("SELECT p.name, p.name_initials, h.household_no FROM person p JOIN household h ON h.id = p.household_id WHERE p.relation = 'household_head' ORDER BY h.household_no")
            .fetch_all(&app.db().pool)
            .await
            .unwrap();
        (
            sqlx::Row::get(&r[0], 0),
            sqlx::Row::get(&r[0], 1),
            sqlx::Row::get(&r[1], 0),
        )
    };
    assert_eq!(
        (name.as_str(), initials.as_str()),
        ("张三", "zs"),
        "inner space removed from the name"
    );
    let _ = hh;
    let wang: String = sqlx::Row::get(
        &sqlx::query("SELECT name FROM person WHERE name LIKE '王%'")
            .fetch_one(&app.db().pool)
            .await
            .unwrap(),
        0,
    );
    assert_eq!(wang, "王·五");
    let post: String = sqlx::Row::get(&sqlx::query("SELECT post FROM cadre_post WHERE post_title IS NULL AND category = 'village_cadre' ORDER BY post LIMIT 1").fetch_one(&app.db().pool).await.unwrap(), 0);
    assert!(
        ["villagers_committee_chair", "villagers_committee_member"].contains(&post.as_str()),
        "{post}"
    );
}

#[tokio::test]
async fn personal_numbers_are_stored_encrypted_and_masked() {
    let app = TestApp::new().await;
    run(&app, valid_book(), &opts()).await;
    let head1 = id("19650301", 11);
    let rows = sqlx::query("SELECT id_enc, id_masked, id_bidx, phone_masked FROM person")
        .fetch_all(&app.db().pool)
        .await
        .unwrap();
    for r in &rows {
        let enc: String = sqlx::Row::get(r, 0);
        assert!(!enc.contains(&head1[..14]));
    }
    let masks: Vec<String> = rows.iter().map(|r| sqlx::Row::get(r, 1)).collect();
    assert!(masks.contains(&format!("{}**********{}", &head1[..4], &head1[14..])));
    let phone: String = sqlx::Row::get(
        &sqlx::query("SELECT phone_masked FROM household WHERE household_no = '990101001001H0001'")
            .fetch_one(&app.db().pool)
            .await
            .unwrap(),
        0,
    );
    assert_eq!(phone, "139****0001");
}

#[tokio::test]
async fn importing_the_same_workbook_twice_changes_nothing_the_second_time() {
    let app = TestApp::new().await;
    run(&app, valid_book(), &opts()).await;
    let before = counts(&app).await;
    match run(&app, valid_book(), &opts()).await {
        ImportOutcome::Done { counts: c, .. } => assert!(
            c.iter().all(|(_, ins, upd, _)| *ins == 0 && *upd == 0),
            "{c:?}"
        ),
        ImportOutcome::Refused(p) => panic!("{p:?}"),
    }
    assert_eq!(
        counts(&app).await,
        before,
        "no row and no audit entry added"
    );
}

#[tokio::test]
async fn a_dry_run_writes_nothing() {
    let app = TestApp::new().await;
    let before = counts(&app).await;
    let mut o = opts();
    o.dry_run = true;
    assert!(matches!(
        run(&app, valid_book(), &o).await,
        ImportOutcome::Done { written: false, .. }
    ));
    assert_eq!(counts(&app).await, before);
}

#[tokio::test]
async fn an_absent_column_keeps_stored_values_and_an_empty_cell_clears_them() {
    let app = TestApp::new().await;
    run(&app, valid_book(), &opts()).await;
    let update = book(&[(
        "户",
        rows(&[
            &["户编号", "所属区划编码", "村民小组"],
            &["990101001001H0001", "990101001001005", ""],
        ]),
    )]);
    assert!(matches!(
        run(&app, update, &opts()).await,
        ImportOutcome::Done { .. }
    ));
    let r = sqlx::query("SELECT group_name, phone_masked, lifted_out FROM household WHERE household_no = '990101001001H0001'").fetch_one(&app.db().pool).await.unwrap();
    let group: Option<String> = sqlx::Row::get(&r, 0);
    let phone: Option<String> = sqlx::Row::get(&r, 1);
    let lifted: i64 = sqlx::Row::get(&r, 2);
    assert_eq!(group, None, "empty cell in a present column clears");
    assert_eq!(phone.as_deref(), Some("139****0001"), "absent column keeps");
    assert_eq!(lifted, 1, "absent column keeps");
}

/// The rules that span people count the stored ones: a stored member keeps counting in their
/// household until the workbook moves them, and a stored membership decides 政治面貌.
#[tokio::test]
async fn household_heads_and_political_status_count_the_people_stored_before() {
    let app = TestApp::new().await;
    run(&app, valid_book(), &opts()).await;
    let before = counts(&app).await;
    let (head1, wife1, head2) = (id("19650301", 11), id("19680512", 22), id("19801130", 31));
    let moves = |rows_: &[&[&str]]| {
        let mut all: Vec<&[&str]> = vec![&["身份证号", "姓名", "户编号", "与户主关系"]];
        all.extend_from_slice(rows_);
        book(&[("人员", rows(&all))])
    };
    let cases: Vec<(&str, Vec<u8>, u32, &str, &str)> = vec![
        (
            "a stored member's status disagrees with the stored membership",
            book(&[(
                "人员",
                rows(&[&["身份证号", "姓名", "政治面貌"], &[&head1, "张三", "群众"]]),
            )]),
            2,
            "政治面貌",
            "党员表为中共党员",
        ),
        (
            "a second head joins a household whose stored head stays",
            moves(&[&[&wife1, "李四", "990101001001H0002", "户主"]]),
            2,
            "与户主关系",
            "户 990101001001H0002 有 2 名户主",
        ),
        (
            "the head moves out and leaves a stored member without one",
            moves(&[
                &[&head1, "张三", "990101001001H0002", "户主"],
                &[&head2, "王五", "990101001001H0002", "子女"],
            ]),
            2,
            "与户主关系",
            "户 990101001001H0001 没有户主",
        ),
    ];
    for (what, bytes, row, column, words) in cases {
        let problems = refused(run(&app, bytes, &opts()).await);
        assert!(
            problems.iter().any(|p| p.sheet == "人员"
                && p.row == row
                && p.column.as_deref() == Some(column)
                && p.message.contains(words)),
            "{what}: {problems:#?}"
        );
        assert_eq!(
            problems.len(),
            1,
            "{what}: only that problem: {problems:#?}"
        );
        assert_eq!(counts(&app).await, before, "{what}: nothing written");
    }
    // Restated, the stored head no longer counts where stored; the membership agrees.
    let fine = book(&[(
        "人员",
        rows(&[
            &["身份证号", "姓名", "户编号", "与户主关系", "政治面貌"],
            &[&head1, "张三", "990101001001H0002", "户主", "中共党员"],
            &[&head2, "王五", "990101001001H0002", "子女", "群众"],
            &[&wife1, "李四", "990101001001H0001", "户主", "群众"],
        ]),
    )]);
    match run(&app, fine, &opts()).await {
        ImportOutcome::Done { .. } => {}
        ImportOutcome::Refused(p) => panic!("{p:#?}"),
    }
}

/// A bad workbook: what is wrong, its bytes, and where the problem must be named: sheet, row,
/// column, and words of the message.
type BadCase = (
    &'static str,
    Vec<u8>,
    &'static str,
    u32,
    Option<&'static str>,
    &'static str,
);

fn bad_cases() -> Vec<BadCase> {
    let ok_id = id("19900101", 51);
    let mut bad_check = ok_id.clone();
    bad_check.replace_range(17..18, if ok_id.ends_with('0') { "1" } else { "0" });
    let person_head = &["身份证号", "姓名", "户编号", "与户主关系"][..];
    let hh = rows(&[
        &["户编号", "所属区划编码"],
        &["990101001001H0009", "990101001001"],
    ]);
    vec![
        (
            "unknown sheet",
            book(&[("花名册", rows(&[&["姓名"], &["张三"]]))]),
            "花名册",
            0,
            None,
            "未知的工作表",
        ),
        (
            "unknown column",
            book(&[(
                "户",
                rows(&[
                    &["户编号", "所属区划编码", "面积"],
                    &["H1", "990101001001", "3"],
                ]),
            )]),
            "户",
            1,
            None,
            "未知的列「面积」",
        ),
        (
            "missing required column",
            book(&[("户", rows(&[&["户编号"], &["H1"]]))]),
            "户",
            1,
            None,
            "缺少必填列「所属区划编码」",
        ),
        (
            "empty required cell",
            book(&[("户", rows(&[&["户编号", "所属区划编码"], &["H1", ""]]))]),
            "户",
            2,
            Some("所属区划编码"),
            "必填",
        ),
        (
            "ID number in a numeric cell",
            book(&[(
                "人员",
                rows(&[&["身份证号", "姓名"], &["=n990101199001010", "张三"]]),
            )]),
            "人员",
            2,
            Some("身份证号"),
            "身份证号须设置为文本格式后重新填写",
        ),
        (
            "wrong check character",
            book(&[(
                "人员",
                rows(&[&["身份证号", "姓名"], &[&bad_check, "张三"]]),
            )]),
            "人员",
            2,
            Some("身份证号"),
            "校验位",
        ),
        (
            "bad date",
            book(&[(
                "户",
                rows(&[
                    &["户编号", "所属区划编码", "注销日期"],
                    &["H1", "990101001001", "2026/02/30"],
                ]),
            )]),
            "户",
            2,
            Some("注销日期"),
            "YYYY-MM-DD",
        ),
        (
            "unknown enumeration word",
            book(&[(
                "户",
                rows(&[
                    &["户编号", "所属区划编码", "常住状态"],
                    &["H1", "990101001001", "半户外出"],
                ]),
            )]),
            "户",
            2,
            Some("常住状态"),
            "常住",
        ),
        (
            "unknown org code",
            book(&[(
                "户",
                rows(&[&["户编号", "所属区划编码"], &["H1", "990101009009"]]),
            )]),
            "户",
            2,
            Some("所属区划编码"),
            "不存在",
        ),
        (
            "household under a township",
            book(&[(
                "户",
                rows(&[&["户编号", "所属区划编码"], &["H1", "990101001000"]]),
            )]),
            "户",
            2,
            Some("所属区划编码"),
            "行政村、社区或网格",
        ),
        (
            "unknown household",
            book(&[(
                "人员",
                rows(&[person_head, &[&ok_id, "张三", "NOPE", "户主"]]),
            )]),
            "人员",
            2,
            Some("户编号"),
            "不存在",
        ),
        (
            "sex disagrees with the ID",
            book(&[(
                "人员",
                rows(&[&["身份证号", "姓名", "性别"], &[&ok_id, "张三", "女"]]),
            )]),
            "人员",
            2,
            Some("性别"),
            "性别与身份证号不符",
        ),
        (
            "two heads in one household",
            book(&[
                ("户", hh.clone()),
                (
                    "人员",
                    rows(&[
                        person_head,
                        &[&ok_id, "张三", "990101001001H0009", "户主"],
                        &[&id("19920101", 61), "张四", "990101001001H0009", "户主"],
                    ]),
                ),
            ]),
            "人员",
            3,
            Some("与户主关系"),
            "2 名户主",
        ),
        (
            "household without a head",
            book(&[
                ("户", hh.clone()),
                (
                    "人员",
                    rows(&[person_head, &[&ok_id, "张三", "990101001001H0009", "子女"]]),
                ),
            ]),
            "人员",
            2,
            Some("与户主关系"),
            "没有户主",
        ),
        (
            "party member status without a member row",
            book(&[(
                "人员",
                rows(&[
                    &["身份证号", "姓名", "政治面貌"],
                    &[&ok_id, "张三", "中共党员"],
                ]),
            )]),
            "人员",
            2,
            Some("政治面貌"),
            "没有该人的党员记录",
        ),
        (
            "grid code not under its village",
            book(&[(
                "区划",
                rows(&[
                    &["编码", "名称", "类型", "上级编码"],
                    &["990101002001001", "网格", "网格", "990101001001"],
                ]),
            )]),
            "区划",
            2,
            Some("上级编码"),
            "",
        ),
        (
            "duplicate key",
            book(&[(
                "户",
                rows(&[
                    &["户编号", "所属区划编码"],
                    &["H1", "990101001001"],
                    &["H1", "990101001002"],
                ]),
            )]),
            "户",
            3,
            Some("户编号"),
            "重复",
        ),
        (
            "line break in a name",
            book(&[("人员", rows(&[&["身份证号", "姓名"], &[&ok_id, "张\n三"]]))]),
            "人员",
            2,
            Some("姓名"),
            "换行",
        ),
    ]
}

#[tokio::test]
async fn each_kind_of_bad_row_is_refused_with_its_place_and_nothing_is_written() {
    let app = TestApp::new().await;
    let before = counts(&app).await;
    for (what, bytes, sheet, row, column, words) in bad_cases() {
        let problems = refused(run(&app, bytes, &opts()).await);
        let hit = problems
            .iter()
            .find(|p| p.sheet == sheet && p.row == row && p.column.as_deref() == column);
        let hit = hit.unwrap_or_else(|| {
            panic!("{what}: no problem at {sheet} row {row} {column:?}; got {problems:#?}")
        });
        assert!(
            hit.message.contains(words) || hit.to_string().contains(words),
            "{what}: {hit}"
        );
        assert_eq!(counts(&app).await, before, "{what}: nothing written");
    }
}

#[tokio::test]
async fn every_problem_is_listed_not_only_the_first() {
    let app = TestApp::new().await;
    let bytes = book(&[(
        "户",
        rows(&[
            &["户编号", "所属区划编码", "脱贫户"],
            &["H1", "990101009009", "也许"],
            &["H2", "", "是"],
        ]),
    )]);
    let problems = refused(run(&app, bytes, &opts()).await);
    assert!(problems.len() >= 3, "{problems:#?}");
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(
        text.iter()
            .any(|t| t.starts_with("户, 第2行, 脱贫户「也许」")),
        "{text:#?}"
    );
}

#[tokio::test]
async fn import_within_an_org_refuses_records_outside_it() {
    let app = TestApp::new().await;
    run(&app, valid_book(), &opts()).await;
    let mut o = opts();
    o.within = Some("990101002".into());
    let outside = book(&[(
        "户",
        rows(&[
            &["户编号", "所属区划编码"],
            &["990101001001H0001", "990101002001"],
        ]),
    )]);
    let problems = refused(run(&app, outside, &o).await);
    assert!(
        problems
            .iter()
            .any(|p| p.message.contains("编号已被其他单位使用")),
        "{problems:#?}"
    );
    let foreign = book(&[(
        "户",
        rows(&[&["户编号", "所属区划编码"], &["NEW1", "990101001002"]]),
    )]);
    assert!(
        refused(run(&app, foreign, &o).await)
            .iter()
            .any(|p| p.message.contains("不在导入范围内"))
    );
}

#[tokio::test]
async fn export_import_into_an_empty_database_and_export_again_gives_the_same_cells() {
    let app = TestApp::new().await;
    run(&app, valid_book(), &opts()).await;
    for org in [None, Some("990101001001")] {
        let (scope, top) = match org {
            Some(code) => (
                xingcun::org::get(&app.db().pool, &xingcun::scope::Scope::everything(), code)
                    .await
                    .unwrap()
                    .scope(),
                Some(code),
            ),
            None => (xingcun::scope::Scope::everything(), None),
        };
        let first = export::export(&app.db().pool, app.state.crypto(), &scope, top)
            .await
            .unwrap();
        let empty = TestApp::empty().await;
        match run(&empty, first.clone(), &opts()).await {
            ImportOutcome::Done { written: true, .. } => {}
            other => panic!("{org:?}: re-import failed: {other:?}"),
        }
        let scope2 = match org {
            Some(code) => {
                xingcun::org::get(&empty.db().pool, &xingcun::scope::Scope::everything(), code)
                    .await
                    .unwrap()
                    .scope()
            }
            None => xingcun::scope::Scope::everything(),
        };
        let second = export::export(&empty.db().pool, empty.state.crypto(), &scope2, top)
            .await
            .unwrap();
        assert_eq!(cells(&first), cells(&second), "{org:?}");
        assert!(
            cells(&first)
                .iter()
                .any(|(s, rows)| s == "人员" && rows.len() > 1)
        );
    }
}

pub fn cells(bytes: &[u8]) -> Vec<(String, Vec<Vec<String>>)> {
    let mut r = xingcun_xlsx::WorkbookReader::open_bytes(bytes.to_vec()).unwrap();
    let mut out = Vec::new();
    for name in r.sheet_names() {
        let rows: Vec<Vec<String>> = r
            .rows(&name)
            .unwrap()
            .map(|x| x.unwrap().1.iter().map(|c| format!("{c:?}")).collect())
            .collect();
        out.push((name, rows));
    }
    out
}

#[tokio::test]
async fn the_template_has_every_sheet_with_headers_and_a_notes_row_and_imports_as_empty() {
    let bytes = export::template().unwrap();
    let c = cells(&bytes);
    for s in ["区划", "户", "人员", "党组织", "党员", "干部"] {
        let (_, rows) = c
            .iter()
            .find(|(n, _)| n == s)
            .unwrap_or_else(|| panic!("{s}"));
        assert!(rows[1][0].contains("【填写说明】"), "{s}: {:?}", rows[1]);
    }
    let app = TestApp::new().await;
    assert!(matches!(
        run(&app, bytes, &opts()).await,
        ImportOutcome::Done { written: true, .. }
    ));
}

#[tokio::test]
async fn the_marked_copy_flags_the_bad_cells() {
    let app = TestApp::new().await;
    let bytes = book(&[(
        "户",
        rows(&[&["户编号", "所属区划编码"], &["H1", "990101009009"]]),
    )]);
    let problems = refused(run(&app, bytes.clone(), &opts()).await);
    let marked = xingcun::workbook::marked_copy(&bytes, &problems).unwrap();
    let names = xingcun_xlsx::WorkbookReader::open_bytes(marked)
        .unwrap()
        .sheet_names();
    assert!(names.iter().any(|n| n.starts_with("说明")) && names.contains(&"户".to_string()));
}

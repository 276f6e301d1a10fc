//! A workbook larger than one chunk: the 户, 人员 and 联户 sheets are checked and written in
//! chunks of `read::CHUNK_ROWS` rows inside one transaction, and the rules that span rows still
//! see the whole sheet — a duplicate or a second 户主 in a later chunk is refused, and a problem
//! in the last chunk leaves nothing written. Such an import into an empty registry is a bulk
//! load (`workbook::bulk`): the indexes it drops on SQLite are all there again afterwards,
//! whether it committed, was refused or failed in a write.

use xingcun::audit::Actor;
use xingcun::workbook::read::CHUNK_ROWS;
use xingcun::workbook::{ImportOutcome, Problem, import};

use crate::harness::TestApp;
use crate::workbook::{book, count, id, opts, rows, run, village_branch};

/// Households and people: each household a head and a spouse, all heads first, then all
/// spouses, so a household's two members lie in different chunks.
struct Big {
    households: Vec<Vec<String>>,
    people: Vec<Vec<String>>,
}

const HOUSEHOLDS: usize = CHUNK_ROWS / 2 + 250;

fn person_id(i: usize) -> String {
    let day =
        chrono::NaiveDate::from_ymd_opt(1960, 1, 1).unwrap() + chrono::Days::new((i / 900) as u64);
    id(&day.format("%Y%m%d").to_string(), (i % 900) as u32 + 1)
}

fn big() -> Big {
    let hh = |h: usize| format!("990101001001H{h:05}");
    let mut households = vec![vec!["户编号".to_string(), "所属区划编码".into()]];
    let mut people = vec![vec![
        "身份证号".to_string(),
        "姓名".into(),
        "户编号".into(),
        "与户主关系".into(),
        "政治面貌".into(),
    ]];
    for h in 0..HOUSEHOLDS {
        households.push(vec![hh(h), "990101001001".into()]);
    }
    for (relation, offset) in [("户主", 0), ("配偶", HOUSEHOLDS)] {
        for h in 0..HOUSEHOLDS {
            people.push(vec![
                person_id(offset + h),
                "王五".into(),
                hh(h),
                relation.into(),
                "群众".into(),
            ]);
        }
    }
    Big { households, people }
}

/// The 区划 sheet: the one village of the households.
fn village() -> (&'static str, Vec<Vec<String>>) {
    (
        "区划",
        rows(&[
            &["编码", "名称", "类型", "上级编码"],
            &["990101001001", "王家庄村", "行政村", "990101001000"],
        ]),
    )
}

fn workbook(b: &Big) -> Vec<u8> {
    book(&[
        village(),
        ("户", b.households.clone()),
        ("人员", b.people.clone()),
    ])
}

/// The first column of the first row `sql` returns.
async fn first<T>(app: &TestApp, sql: &'static str) -> T
where
    T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    sqlx::Row::get(
        &sqlx::query(sql).fetch_one(&app.db().pool).await.unwrap(),
        0,
    )
}

/// Every index of the database with its definition (on PostgreSQL, of the public schema).
async fn indexes(app: &TestApp) -> Vec<(String, String)> {
    let sql = match app.db().backend {
        xingcun::db::Backend::Sqlite => {
            "SELECT name, COALESCE(sql, '') FROM sqlite_master WHERE type = 'index' ORDER BY name"
        }
        xingcun::db::Backend::Postgres => {
            "SELECT indexname::text, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1"
        }
    };
    sqlx::query(sql)
        .fetch_all(&app.db().pool)
        .await
        .unwrap()
        .iter()
        .map(|r| (sqlx::Row::get(r, 0), sqlx::Row::get(r, 1)))
        .collect()
}

#[tokio::test]
async fn a_sheet_of_several_chunks_imports_whole_with_heads_across_chunks() {
    let app = TestApp::new().await;
    let before = count(&app, "person").await;
    let index_set = indexes(&app).await;
    assert!(
        index_set.iter().any(|(n, _)| n == "person_pinyin"),
        "{index_set:?}"
    );
    let audited_before = count(&app, "audit_log").await;
    let b = big();
    assert!(
        b.people.len() - 1 > CHUNK_ROWS,
        "the people span two chunks"
    );
    match run(&app, workbook(&b), &opts()).await {
        ImportOutcome::Done { written, counts } => {
            assert!(written);
            let people = counts.iter().find(|c| c.0 == "人员").unwrap();
            assert_eq!(
                people.1,
                2 * HOUSEHOLDS,
                "every person inserted once: {counts:?}"
            );
        }
        ImportOutcome::Refused(p) => panic!("refused: {:?}", &p[..p.len().min(5)]),
    }
    assert_eq!(count(&app, "person").await, before + 2 * HOUSEHOLDS as i64);
    assert_eq!(
        indexes(&app).await,
        index_set,
        "every index dropped for the bulk load is rebuilt"
    );
    // The rebuilt indexes find what the import wrote.
    let found: i64 = first(
        &app,
        "SELECT COUNT(*) FROM person WHERE name_pinyin = 'wangwu'",
    )
    .await;
    assert_eq!(found, 2 * HOUSEHOLDS as i64);
    // Every record written is audited once, written while the next rows were prepared, and
    // the chain stays whole across the statements and chunks.
    let audited: i64 = first(
        &app,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'create' AND entity IN ('household', 'person')",
    )
    .await;
    assert_eq!(audited, 3 * HOUSEHOLDS as i64);
    assert!(count(&app, "audit_log").await >= audited_before + audited);
    assert!(matches!(
        xingcun::audit::verify(app.db()).await.unwrap(),
        xingcun::audit::Verification::Intact { .. }
    ));
    // The last person audited is the last row of the sheet, its ID masked.
    let last_key: String = first(
        &app,
        "SELECT entity_key FROM audit_log WHERE entity = 'person' ORDER BY id DESC LIMIT 1",
    )
    .await;
    let last = person_id(2 * HOUSEHOLDS - 1);
    assert_eq!(last_key[..4], last[..4]);
    assert_eq!(last_key[last_key.len() - 4..], last[last.len() - 4..]);
    assert!(last_key.contains('*'), "{last_key}");
    // The same workbook again changes nothing, chunk by chunk.
    match run(&app, workbook(&b), &opts()).await {
        ImportOutcome::Done { counts, .. } => {
            let people = counts.iter().find(|c| c.0 == "人员").unwrap();
            assert_eq!((people.1, people.2, people.3), (0, 0, 2 * HOUSEHOLDS));
        }
        ImportOutcome::Refused(p) => panic!("refused: {:?}", &p[..p.len().min(5)]),
    }
}

#[tokio::test]
async fn problems_in_a_later_chunk_are_all_listed_and_nothing_is_written() {
    let app = TestApp::new().await;
    let before: Vec<i64> = [
        count(&app, "household").await,
        count(&app, "person").await,
        count(&app, "audit_log").await,
    ]
    .to_vec();
    let index_set = indexes(&app).await;
    let mut b = big();
    let last = b.people.len(); // 1-based row of the last person
    // The last row repeats the first person's ID (row 2, in the first chunk).
    b.people[last - 1][0] = b.people[1][0].clone();
    // The spouse of household k, in the second chunk, becomes its second 户主 (the first is in
    // row 2 + k, in the first chunk).
    let k = CHUNK_ROWS - HOUSEHOLDS + 10;
    let spouse_row = 2 + HOUSEHOLDS + k;
    assert!(
        spouse_row > CHUNK_ROWS + 1,
        "the spouse lies in the second chunk"
    );
    b.people[spouse_row - 1][3] = "户主".into();
    // A party member by 政治面貌, but in neither the 党员 sheet nor the system.
    b.people[spouse_row][4] = "中共党员".into();
    let problems: Vec<Problem> = match run(&app, workbook(&b), &opts()).await {
        ImportOutcome::Refused(p) => p,
        ImportOutcome::Done { counts, .. } => panic!("expected refusal, got {counts:?}"),
    };
    let at = |row: usize, text: &str| {
        problems
            .iter()
            .any(|p| p.sheet == "人员" && p.row as usize == row && p.message.contains(text))
    };
    assert!(
        at(last, "与第 2 行重复"),
        "duplicate across chunks: {problems:?}"
    );
    assert!(
        at(spouse_row, "有 2 名户主"),
        "second head in a later chunk: {problems:?}"
    );
    assert!(
        at(spouse_row + 1, "党员表和系统中没有该人的党员记录"),
        "political status after the 党员 sheet: {problems:?}"
    );
    assert_eq!(problems.len(), 3, "{problems:?}");
    // The first chunks were written in the transaction, then rolled back.
    let after = vec![
        count(&app, "household").await,
        count(&app, "person").await,
        count(&app, "audit_log").await,
    ];
    assert_eq!(after, before);
    assert_eq!(
        indexes(&app).await,
        index_set,
        "the rollback keeps every index"
    );
}

/// Two party members (the heads of the first two households) each linked to every household:
/// a 联户 sheet of two chunks.
fn with_links(b: &Big, last_row: Option<Vec<String>>) -> Vec<u8> {
    let mut people = b.people.clone();
    let members = [people[1][0].clone(), people[2][0].clone()];
    people[1][4] = "中共党员".into();
    people[2][4] = "中共党员".into();
    let mut links = vec![vec![
        "党员身份证号".to_string(),
        "户编号".into(),
        "开始日期".into(),
    ]];
    for m in &members {
        for h in b.households.iter().skip(1) {
            links.push(vec![m.clone(), h[0].clone(), "2025-01-01".into()]);
        }
    }
    if let Some(r) = last_row {
        let n = links.len();
        links[n - 1] = r;
    }
    let [orgs, party_members] = village_branch(&[&members[0], &members[1]]);
    book(&[
        village(),
        ("户", b.households.clone()),
        ("人员", people),
        orgs,
        party_members,
        ("联户", links),
    ])
}

#[tokio::test]
async fn household_links_stream_in_chunks_and_a_duplicate_in_the_last_is_refused() {
    let app = TestApp::new().await;
    let people_before = count(&app, "person").await;
    let b = big();
    let links = 2 * HOUSEHOLDS;
    assert!(links > CHUNK_ROWS, "the links span two chunks");
    // The last row repeats the first link (row 2).
    let first = vec![
        b.people[1][0].clone(),
        b.households[1][0].clone(),
        "2025-01-01".into(),
    ];
    let problems = match run(&app, with_links(&b, Some(first)), &opts()).await {
        ImportOutcome::Refused(p) => p,
        ImportOutcome::Done { counts, .. } => panic!("expected refusal, got {counts:?}"),
    };
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(
        (problems[0].sheet.as_str(), problems[0].row as usize),
        ("联户", links + 1)
    );
    assert!(
        problems[0].message.contains("与第 2 行重复"),
        "{problems:?}"
    );
    assert_eq!(count(&app, "household_link").await, 0);
    assert_eq!(count(&app, "person").await, people_before);
    // Without the duplicate, every link is written.
    match run(&app, with_links(&b, None), &opts()).await {
        ImportOutcome::Done { counts, .. } => {
            let l = counts.iter().find(|c| c.0 == "联户").unwrap();
            assert_eq!(l.1, links, "{counts:?}");
        }
        ImportOutcome::Refused(p) => panic!("refused: {:?}", &p[..p.len().min(5)]),
    }
    assert_eq!(count(&app, "household_link").await, links as i64);
}

/// A write that fails in the import's last chunk (a trigger refuses one person) while the
/// checks run ahead: the write's error is the one reported, every chunk written before is rolled
/// back, the indexes dropped for the bulk load are all there, and the next import works.
#[tokio::test]
async fn a_write_failing_in_a_later_chunk_is_reported_and_nothing_is_written() {
    let app = TestApp::new().await;
    let pool = &app.db().pool;
    let sqlite = app.db().backend == xingcun::db::Backend::Sqlite;
    let trigger: &[&str] = if sqlite {
        &[
            "CREATE TRIGGER fail_person BEFORE INSERT ON person WHEN NEW.name = '故障'
           BEGIN SELECT RAISE(ABORT, '写入故障'); END",
        ]
    } else {
        &[
            "CREATE FUNCTION fail_person() RETURNS trigger AS $$ BEGIN
               IF NEW.name = '故障' THEN RAISE EXCEPTION '写入故障'; END IF; RETURN NEW;
             END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER fail_person BEFORE INSERT ON person FOR EACH ROW
             EXECUTE FUNCTION fail_person()",
        ]
    };
    for sql in trigger {
        sqlx::query(*sql).execute(pool).await.unwrap();
    }
    let before = [
        count(&app, "household").await,
        count(&app, "person").await,
        count(&app, "audit_log").await,
    ];
    let index_set = indexes(&app).await;
    let mut b = big();
    let last = b.people.len() - 1;
    b.people[last][1] = "故障".into();
    let failed = import(
        app.db(),
        app.state.crypto(),
        &Actor::cli(),
        workbook(&b),
        &opts(),
    )
    .await;
    let error = format!(
        "{:#}",
        failed.expect_err("the trigger refuses the last person")
    );
    assert!(error.contains("写入故障"), "{error}");
    let after = [
        count(&app, "household").await,
        count(&app, "person").await,
        count(&app, "audit_log").await,
    ];
    assert_eq!(after, before, "the chunks written first are rolled back");
    assert_eq!(indexes(&app).await, index_set);
    let drop_trigger = if sqlite {
        "DROP TRIGGER fail_person"
    } else {
        "DROP TRIGGER fail_person ON person"
    };
    sqlx::query(drop_trigger).execute(pool).await.unwrap();
    match run(&app, workbook(&b), &opts()).await {
        ImportOutcome::Done { written, .. } => assert!(written),
        ImportOutcome::Refused(p) => panic!("refused: {:?}", &p[..p.len().min(5)]),
    }
    assert_eq!(
        count(&app, "person").await,
        before[1] + 2 * HOUSEHOLDS as i64
    );
}

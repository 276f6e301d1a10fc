//! A workbook larger than one chunk: the 户 and 人员 sheets are checked and written in chunks of
//! `read::CHUNK_ROWS` rows inside one transaction, and the rules that span rows still see the
//! whole sheet — a duplicate or a second 户主 in a later chunk is refused, and a problem in the
//! last chunk leaves nothing written.

use xingcun::workbook::read::CHUNK_ROWS;
use xingcun::workbook::{ImportOutcome, Problem};

use crate::harness::TestApp;
use crate::workbook::{book, count, id, opts, rows, run};

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

fn workbook(b: &Big) -> Vec<u8> {
    book(&[
        (
            "区划",
            rows(&[
                &["编码", "名称", "类型", "上级编码"],
                &["990101001001", "王家庄村", "行政村", "990101001000"],
            ]),
        ),
        ("户", b.households.clone()),
        ("人员", b.people.clone()),
    ])
}

#[tokio::test]
async fn a_sheet_of_several_chunks_imports_whole_with_heads_across_chunks() {
    let app = TestApp::new().await;
    let before = count(&app, "person").await;
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
}

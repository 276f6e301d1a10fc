//! Behaviour of the workbook layer through real .xlsx bytes: written, read back, marked.

use std::io::{Cursor, Read, Write};

use chrono::NaiveDate;
use rstest::rstest;
use xingcun_xlsx::{
    Cell, CellError, CellMark, MAX_COMMENTS, NOTES_MARKER, OPTIONS_SHEET, OutCell, PROBLEMS_SHEET,
    SheetSpec, WorkbookReader, WorkbookWriter, XlsxError, mark_errors,
};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_owned())
}

fn out(s: &str) -> OutCell {
    OutCell::Text(s.to_owned())
}

/// Every row of a sheet, collected.
fn read_all(bytes: Vec<u8>, sheet: &str) -> Vec<(u32, Vec<Cell>)> {
    let mut reader = WorkbookReader::open_bytes(bytes).unwrap();
    reader
        .rows(sheet)
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap()
}

/// The text of one part of the .xlsx zip container.
fn zip_part(bytes: &[u8], name: &str) -> Option<String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut file = archive.by_name(name).ok()?;
    let mut s = String::new();
    file.read_to_string(&mut s).unwrap();
    Some(s)
}

const PEOPLE_HEADERS: &[&str] = &["身份证号", "姓名", "出生日期", "人数", "脱贫户", "备注"];

fn people_spec<'a>(notes: Option<&'a [&'a str]>) -> SheetSpec<'a> {
    SheetSpec {
        name: "人员",
        headers: PEOPLE_HEADERS,
        required: &[true, true],
        notes,
        dropdowns: &[(4, &["是", "否"])],
        text_columns: &[0],
    }
}

#[test]
fn round_trip_keeps_text_dates_numbers_and_yes_no() {
    let mut writer = WorkbookWriter::new();
    let sheet = writer.add_sheet(&people_spec(None)).unwrap();
    writer
        .write_row(
            sheet,
            &[
                out("110101199001011234"),
                out("张三"),
                OutCell::Date(date(1990, 1, 1)),
                OutCell::Int(3),
                OutCell::Bool(true),
                out("0012"),
            ],
        )
        .unwrap();
    writer
        .write_row(
            sheet,
            &[
                out("11010119900101123X"),
                out("李四"),
                OutCell::Empty,
                OutCell::Number(2.5),
                OutCell::Bool(false),
                OutCell::Empty,
            ],
        )
        .unwrap();
    let rows = read_all(writer.save_to_bytes().unwrap(), "人员");

    let header: Vec<Cell> = PEOPLE_HEADERS.iter().map(|h| text(h)).collect();
    assert_eq!(
        rows,
        vec![
            (1, header),
            (
                2,
                vec![
                    text("110101199001011234"),
                    text("张三"),
                    Cell::Date(date(1990, 1, 1)),
                    Cell::Number(3.0),
                    text("是"),
                    text("0012"),
                ]
            ),
            (
                3,
                vec![
                    text("11010119900101123X"),
                    text("李四"),
                    Cell::Empty,
                    Cell::Number(2.5),
                    text("否"),
                    Cell::Empty,
                ]
            ),
        ]
    );
}

#[test]
fn template_has_a_notes_row_the_import_can_recognise() {
    let notes: &[&str] = &["填写 18 位身份证号", "", "YYYY-MM-DD"];
    let mut writer = WorkbookWriter::new();
    let sheet = writer.add_sheet(&people_spec(Some(notes))).unwrap();
    writer
        .write_row(sheet, &[out("110101199001011234"), out("张三")])
        .unwrap();
    let rows = read_all(writer.save_to_bytes().unwrap(), "人员");

    let (row_number, notes_row) = &rows[1];
    assert_eq!(*row_number, 2);
    let first = notes_row[0].as_text().unwrap();
    assert!(first.starts_with(NOTES_MARKER), "{first}");
    assert!(first.contains("填写 18 位身份证号"), "{first}");
    assert_eq!(notes_row[2], text("YYYY-MM-DD"));
    assert_eq!(rows[2].0, 3, "data starts below the notes row");
}

#[rstest]
#[case::no_rows(0)]
#[case::only_empty_rows(2)]
fn template_without_data_rows_writes_each_row_once(#[case] empty_rows: usize) {
    let notes: &[&str] = &["【填写说明】日期填 YYYY-MM-DD"];
    let mut writer = WorkbookWriter::new();
    let handle = writer.add_sheet(&people_spec(Some(notes))).unwrap();
    for _ in 0..empty_rows {
        writer
            .write_row(handle, &[OutCell::Empty, out("")])
            .unwrap();
    }
    let bytes = writer.save_to_bytes().unwrap();
    let sheet = zip_part(&bytes, "xl/worksheets/sheet1.xml").unwrap();
    assert_eq!(sheet.matches("<row r=\"1\"").count(), 1, "{sheet}");
    assert_eq!(sheet.matches("<row r=\"2\"").count(), 1, "{sheet}");
    let rows = read_all(bytes, "人员");
    let first = rows[1].1[0].as_text().unwrap();
    assert_eq!(
        first, "【填写说明】红色表头的列必填。日期填 YYYY-MM-DD",
        "marker not doubled"
    );
}

#[test]
fn template_marks_required_headers_freezes_row_1_and_formats_text_columns() {
    let mut writer = WorkbookWriter::new();
    writer.add_sheet(&people_spec(None)).unwrap();
    let bytes = writer.save_to_bytes().unwrap();

    let sheet = zip_part(&bytes, "xl/worksheets/sheet1.xml").unwrap();
    assert!(
        sheet.contains(
            r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
        ),
        "{sheet}"
    );
    assert!(sheet.contains("<cols>"), "column widths are set");
    assert!(sheet.contains(r#"<formula1>"是,否"</formula1>"#), "{sheet}");
    let styles = zip_part(&bytes, "xl/styles.xml").unwrap();
    assert!(
        styles.contains(r#"numFmtId="49""#),
        "text format @ is used: {styles}"
    );
    assert!(
        styles.contains("FFC00000"),
        "required headers are red: {styles}"
    );
}

#[test]
fn long_dropdown_lists_go_to_a_hidden_options_sheet() {
    let nations: Vec<String> = (1..=57).map(|i| format!("民族{i:02}族")).collect();
    let nations: Vec<&str> = nations.iter().map(String::as_str).collect();
    let dropdowns = [(1, nations.as_slice()), (2, &["男", "女"][..])];
    let spec = SheetSpec {
        name: "人员",
        headers: &["身份证号", "民族", "性别"],
        required: &[true],
        notes: None,
        dropdowns: &dropdowns,
        text_columns: &[0],
    };
    let mut writer = WorkbookWriter::new();
    writer.add_sheet(&spec).unwrap();
    let bytes = writer.save_to_bytes().unwrap();

    let sheet = zip_part(&bytes, "xl/worksheets/sheet1.xml").unwrap();
    assert!(
        sheet.contains(&format!(
            "<formula1>'{OPTIONS_SHEET}'!$A$1:$A$57</formula1>"
        )),
        "{sheet}"
    );
    assert!(sheet.contains(r#"<formula1>"男,女"</formula1>"#), "{sheet}");
    let mut reader = WorkbookReader::open_bytes(bytes).unwrap();
    assert_eq!(
        reader.sheet_names(),
        vec!["人员".to_owned(), OPTIONS_SHEET.to_owned()]
    );
    assert_eq!(reader.hidden_sheet_names(), vec![OPTIONS_SHEET.to_owned()]);
    let options: Vec<_> = reader
        .rows(OPTIONS_SHEET)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(options.len(), 57);
    assert_eq!(options[56].1, vec![text("民族57族")]);
}

#[test]
fn sheet_names_come_in_workbook_order() {
    let mut writer = WorkbookWriter::new();
    for name in ["区划", "户", "人员"] {
        let spec = SheetSpec {
            name,
            headers: &["编码"],
            required: &[],
            notes: None,
            dropdowns: &[],
            text_columns: &[],
        };
        writer.add_sheet(&spec).unwrap();
    }
    let reader = WorkbookReader::open_bytes(writer.save_to_bytes().unwrap()).unwrap();
    assert_eq!(reader.sheet_names(), vec!["区划", "户", "人员"]);
    assert!(reader.hidden_sheet_names().is_empty());
    assert!(!reader.is_1904());
}

#[rstest]
#[case::duplicate("户", "户")]
#[case::duplicate_ignoring_case("Sheet", "sheet")]
#[case::too_long(
    "户",
    "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二"
)]
#[case::forbidden_character("户", "户/人员")]
#[case::reserved_options_sheet("户", OPTIONS_SHEET)]
fn unusable_sheet_names_are_refused(#[case] first: &str, #[case] second: &str) {
    let spec = |name| SheetSpec {
        name,
        headers: &["编码"],
        required: &[],
        notes: None,
        dropdowns: &[],
        text_columns: &[],
    };
    let mut writer = WorkbookWriter::new();
    writer.add_sheet(&spec(first)).unwrap();
    let err = writer.add_sheet(&spec(second)).unwrap_err();
    assert!(matches!(err, XlsxError::SheetName { .. }), "{err:?}");
    assert!(err.to_string().starts_with("工作表名"), "{err}");
}

#[test]
fn spec_naming_a_column_past_the_headers_is_refused() {
    let spec = SheetSpec {
        name: "户",
        headers: &["户编号"],
        required: &[],
        notes: None,
        dropdowns: &[(3, &["是", "否"])],
        text_columns: &[],
    };
    let err = WorkbookWriter::new().add_sheet(&spec).unwrap_err();
    assert!(matches!(err, XlsxError::InvalidSpec(_)), "{err:?}");
}

/// A sheet with one header and the given identifier values in column A.
fn identifier_sheet(values: &[OutCell]) -> Vec<(u32, Vec<Cell>)> {
    let spec = SheetSpec {
        name: "户",
        headers: &["户编号"],
        required: &[true],
        notes: None,
        dropdowns: &[],
        text_columns: &[],
    };
    let mut writer = WorkbookWriter::new();
    let sheet = writer.add_sheet(&spec).unwrap();
    for value in values {
        writer
            .write_row(sheet, std::slice::from_ref(value))
            .unwrap();
    }
    read_all(writer.save_to_bytes().unwrap(), "户")
}

#[test]
fn identifier_column_reads_a_12_digit_number_as_text_and_refuses_16_digits() {
    let rows = identifier_sheet(&[
        OutCell::Int(110_101_001_001),
        OutCell::Number(1_234_567_890_123_456.0),
        out("001"),
    ]);
    assert_eq!(rows[1].1[0], Cell::Number(110_101_001_001.0));
    assert_eq!(
        rows[1].1[0].identifier_text().unwrap().as_deref(),
        Some("110101001001")
    );
    let err = rows[2].1[0].identifier_text().unwrap_err();
    assert!(
        matches!(err, CellError::NumericIdentifier { .. }),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "编号须为文本（数字单元格最多 15 位整数）");
    assert_eq!(
        rows[3].1[0].identifier_text().unwrap().as_deref(),
        Some("001")
    );
}

#[rstest]
#[case::impossible_day("2026-02-30")]
#[case::unpadded_month_and_day("2026-6-1")]
fn text_dates_not_of_the_form_yyyy_mm_dd_are_refused(#[case] value: &str) {
    let rows = identifier_sheet(&[out(value)]);
    let err = rows[1].1[0].as_date().unwrap_err();
    assert_eq!(
        err,
        CellError::InvalidDate {
            value: value.to_owned()
        }
    );
    assert_eq!(
        err.to_string(),
        "日期格式不正确，应为 YYYY-MM-DD 或日期格式单元格"
    );
    assert_eq!(err.value(), value);
}

/// A workbook as Excel writes it (shared strings, styles with date formats), assembled from
/// its XML parts, in the 1904 date system when `date1904`.
fn handmade_workbook(date1904: bool, sheet_xml: &str) -> Vec<u8> {
    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const PKG: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
    let ct = "application/vnd.openxmlformats-officedocument.spreadsheetml";
    let workbook_pr = if date1904 {
        r#"<workbookPr date1904="1"/>"#
    } else {
        "<workbookPr/>"
    };
    let parts = [
        (
            "[Content_Types].xml".to_owned(),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/>
</Types>"#
            ),
        ),
        (
            "_rels/.rels".to_owned(),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/workbook.xml".to_owned(),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="{MAIN}" xmlns:r="{REL}">{workbook_pr}<sheets><sheet name="人员" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels".to_owned(),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PKG}">
<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{REL}/styles" Target="styles.xml"/>
<Relationship Id="rId3" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"#
            ),
        ),
        (
            "xl/styles.xml".to_owned(),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN}">
<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\-mm\-dd"/></numFmts>
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="4">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
</cellXfs>
</styleSheet>"#
            ),
        ),
        (
            "xl/sharedStrings.xml".to_owned(),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="{MAIN}" count="4" uniqueCount="4"><si><t>姓名</t></si><si><t>出生日期</t></si><si><t>张三</t></si><si><t>110101199001011234</t></si></sst>"#
            ),
        ),
        (
            "xl/worksheets/sheet1.xml".to_owned(),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="{MAIN}"><sheetData>{sheet_xml}</sheetData></worksheet>"#
            ),
        ),
    ];
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, body) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// Excel's serial day number of `d` in the 1904 system (days since 1904-01-01).
fn serial_1904(d: NaiveDate) -> i64 {
    (d - date(1904, 1, 1)).num_days()
}

#[test]
fn date_cells_read_right_in_a_1904_system_workbook() {
    let born = serial_1904(date(1990, 1, 1));
    let joined = serial_1904(date(2026, 6, 1));
    let sheet = format!(
        r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>入党日期</t></is></c></row>
<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" s="1"><v>{born}</v></c><c r="C2" s="2"><v>{joined}</v></c></row>"#
    );
    let mut reader = WorkbookReader::open_bytes(handmade_workbook(true, &sheet)).unwrap();
    assert!(reader.is_1904());
    let rows: Vec<_> = reader.rows("人员").unwrap().map(Result::unwrap).collect();
    assert_eq!(
        rows[0].1,
        vec![text("姓名"), text("出生日期"), text("入党日期")]
    );
    assert_eq!(
        rows[1].1,
        vec![
            text("张三"),
            Cell::Date(date(1990, 1, 1)),
            Cell::Date(date(2026, 6, 1))
        ]
    );
    assert_eq!(rows[1].1[2].as_date().unwrap(), Some(date(2026, 6, 1)));

    // The same serial numbers in a 1900 workbook are four years and a day earlier: the
    // declared system is what decides.
    let mut reader = WorkbookReader::open_bytes(handmade_workbook(false, &sheet)).unwrap();
    assert!(!reader.is_1904());
    let rows: Vec<_> = reader.rows("人员").unwrap().map(Result::unwrap).collect();
    assert_eq!(rows[1].1[2], Cell::Date(date(2022, 5, 31)));
}

#[test]
fn rows_skip_empty_rows_and_are_as_wide_as_the_header() {
    let sheet = r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>编号</t></is></c></row>
<row r="2"><c r="A2" s="3"/><c r="B2" s="3"/></row>
<row r="4"><c r="A4" t="s"><v>2</v></c></row>
<row r="5"><c r="E5" t="s" s="3"><v>3</v></c></row>
<row r="6"><c r="A6" t="inlineStr"><is><t xml:space="preserve">　</t></is></c></row>"#;
    let rows = read_all(handmade_workbook(false, sheet), "人员");
    let numbers: Vec<u32> = rows.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        numbers,
        vec![1, 4, 5, 6],
        "formatted-only row 2 and absent row 3 are skipped"
    );
    assert_eq!(rows[1].1, vec![text("张三"), Cell::Empty, Cell::Empty]);
    assert_eq!(
        rows[2].1,
        vec![
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            text("110101199001011234")
        ],
        "a row reaching past the header is as wide as its last cell"
    );
    assert!(
        rows[3].1[0].is_blank(),
        "white-space rows are yielded for the caller to judge"
    );
}

#[test]
fn a_row_past_excels_last_is_refused_and_ends_the_sheet() {
    let sheet = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>身份证号</t></is></c></row>
<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>最后一行</t></is></c></row>
<row r="1048577"><c r="A1048577" t="inlineStr"><is><t>越界</t></is></c></row>"#;
    let mut reader = WorkbookReader::open_bytes(handmade_workbook(false, sheet)).unwrap();
    let mut rows = reader.rows("人员").unwrap();
    assert_eq!(rows.next().unwrap().unwrap().0, 1);
    assert_eq!(
        rows.next().unwrap().unwrap(),
        (1_048_576, vec![text("最后一行")]),
        "the last row Excel has is read"
    );
    let err = rows.next().unwrap().unwrap_err();
    assert!(matches!(err, XlsxError::TooManyRows { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "工作表「人员」超过 Excel 的行数上限（1048576 行）"
    );
    assert!(rows.next().is_none(), "nothing is read after the refusal");
}

#[test]
fn opening_something_that_is_not_xlsx_says_so_in_chinese() {
    let err = WorkbookReader::open_bytes(b"not a workbook".to_vec()).unwrap_err();
    assert!(matches!(err, XlsxError::NotXlsx(_)), "{err:?}");
    assert!(err.to_string().contains("另存为 .xlsx"), "{err}");

    let err =
        WorkbookReader::open_path(std::path::Path::new("/nonexistent/台账.xlsx")).unwrap_err();
    assert!(matches!(err, XlsxError::Open { .. }), "{err:?}");
}

#[test]
fn asking_for_an_absent_sheet_names_it() {
    let mut writer = WorkbookWriter::new();
    writer.add_sheet(&people_spec(None)).unwrap();
    let mut reader = WorkbookReader::open_bytes(writer.save_to_bytes().unwrap()).unwrap();
    let err = reader.rows("党员").unwrap_err();
    assert_eq!(err.to_string(), "找不到工作表「党员」");
}

#[test]
fn workbook_saved_to_a_path_opens_from_that_path() {
    let dir = std::env::temp_dir().join(format!("xingcun-xlsx-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("模板.xlsx");
    let mut writer = WorkbookWriter::new();
    let sheet = writer.add_sheet(&people_spec(None)).unwrap();
    writer
        .write_row(sheet, &[out("110101199001011234")])
        .unwrap();
    writer.save_to_path(&path).unwrap();
    let mut reader = WorkbookReader::open_path(&path).unwrap();
    let rows: Vec<_> = reader.rows("人员").unwrap().map(Result::unwrap).collect();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(rows[1].1[0], text("110101199001011234"));
}

fn mark(sheet: &str, row: u32, col: Option<u32>, message: &str) -> CellMark {
    CellMark {
        sheet: sheet.to_owned(),
        row,
        col,
        message: message.to_owned(),
    }
}

/// A clerk's workbook: 人员 with two data rows and a second sheet 户.
fn clerks_workbook() -> Vec<u8> {
    let mut writer = WorkbookWriter::new();
    let people = writer.add_sheet(&people_spec(None)).unwrap();
    writer
        .write_row(
            people,
            &[
                out("110101199001011235"),
                out("张三"),
                OutCell::Date(date(1990, 1, 1)),
                OutCell::Int(3),
                out("是"),
            ],
        )
        .unwrap();
    writer
        .write_row(people, &[OutCell::Empty, out("李四"), out("1990-1-1")])
        .unwrap();
    let households = writer
        .add_sheet(&SheetSpec {
            name: "户",
            headers: &["户编号"],
            required: &[true],
            notes: None,
            dropdowns: &[],
            text_columns: &[0],
        })
        .unwrap();
    writer.write_row(households, &[out("0001")]).unwrap();
    writer.save_to_bytes().unwrap()
}

#[test]
fn marked_copy_reopens_with_comments_and_fills_and_keeps_the_values() {
    let original = clerks_workbook();
    let marks = [
        mark("人员", 2, Some(0), "身份证号校验位不正确"),
        mark("人员", 3, Some(0), "身份证号为必填项"),
        mark(
            "人员",
            3,
            Some(2),
            "日期格式不正确，应为 YYYY-MM-DD 或日期格式单元格",
        ),
        mark("人员", 3, None, "户编号不存在"),
    ];
    let marked = mark_errors(&original, &marks).unwrap();

    let comments = zip_part(&marked, "xl/comments1.xml").expect("the marked sheet has comments");
    assert!(comments.contains("身份证号校验位不正确"), "{comments}");
    assert!(comments.contains("日期格式不正确"), "{comments}");
    assert!(
        comments.contains("身份证号为必填项\n户编号不存在"),
        "a row-wide mark joins the first cell's comment: {comments}"
    );
    assert!(
        zip_part(&marked, "xl/comments2.xml").is_none(),
        "the unmarked sheet has none"
    );
    let styles = zip_part(&marked, "xl/styles.xml").unwrap();
    assert!(
        styles.contains("FFFFC7CE"),
        "marked cells are filled pink: {styles}"
    );
    let sheet = zip_part(&marked, "xl/worksheets/sheet2.xml").unwrap();
    assert!(
        sheet.contains(r#"<c r="A3" s="#),
        "the empty marked cell exists: {sheet}"
    );

    assert_eq!(
        read_all(marked.clone(), "人员"),
        read_all(original.clone(), "人员")
    );
    assert_eq!(read_all(marked.clone(), "户"), read_all(original, "户"));
    assert_eq!(
        read_all(marked, "户")[1].1,
        vec![text("0001")],
        "text stays text"
    );
}

#[test]
fn marked_copy_lists_every_problem_on_a_first_sheet_in_sheet_order() {
    let marks = [
        mark("户", 2, Some(0), "户编号已被其他单位使用"),
        mark("人员", 3, None, "户编号不存在"),
        mark("人员", 2, Some(2), "出生日期与身份证号不符"),
    ];
    let marked = mark_errors(&clerks_workbook(), &marks).unwrap();
    let mut reader = WorkbookReader::open_bytes(marked.clone()).unwrap();
    assert_eq!(reader.sheet_names(), vec![PROBLEMS_SHEET, "人员", "户"]);
    let rows: Vec<_> = reader
        .rows(PROBLEMS_SHEET)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(rows[0].1[0].as_text().unwrap().starts_with("共 3 个问题"));
    let lines: Vec<Vec<Option<String>>> = rows[1..]
        .iter()
        .map(|(_, cells)| cells.iter().map(Cell::as_text).collect())
        .collect();
    let line = |cells: [&str; 5]| {
        cells
            .iter()
            .map(|c| (!c.is_empty()).then(|| (*c).to_owned()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        lines,
        vec![
            line(["工作表", "行", "列", "列名", "问题"]),
            line(["人员", "2", "C", "出生日期", "出生日期与身份证号不符"]),
            line(["人员", "3", "", "", "户编号不存在"]),
            line(["户", "2", "A", "户编号", "户编号已被其他单位使用"]),
        ]
    );

    // Marking the marked copy again replaces the old list instead of keeping two.
    let again = mark_errors(&marked, &marks[..1]).unwrap();
    let reader = WorkbookReader::open_bytes(again.clone()).unwrap();
    assert_eq!(reader.sheet_names(), vec![PROBLEMS_SHEET, "人员", "户"]);
    assert_eq!(read_all(again, PROBLEMS_SHEET).len(), 3);
}

#[test]
fn comments_stop_at_the_cap_while_every_cell_is_still_listed() {
    let marks: Vec<CellMark> = (0..MAX_COMMENTS as u32 + 5)
        .map(|i| mark("户", 2 + i, Some(0), "户编号为必填项"))
        .collect();
    let marked = mark_errors(&clerks_workbook(), &marks).unwrap();
    let comments = zip_part(&marked, "xl/comments1.xml").unwrap();
    assert_eq!(comments.matches("<comment ").count(), MAX_COMMENTS);
    assert_eq!(
        read_all(marked.clone(), PROBLEMS_SHEET).len(),
        marks.len() + 2
    );
    let filled = read_all(marked, "户");
    assert_eq!(
        filled[1].1,
        vec![text("0001")],
        "values survive under the marks"
    );
}

#[test]
fn marked_copy_without_marks_is_a_plain_copy() {
    let original = clerks_workbook();
    let copy = mark_errors(&original, &[]).unwrap();
    let reader = WorkbookReader::open_bytes(copy.clone()).unwrap();
    assert_eq!(reader.sheet_names(), vec!["人员", "户"]);
    assert_eq!(read_all(copy, "人员"), read_all(original, "人员"));
}

#[test]
fn marks_below_the_data_and_on_the_header_are_written_in_order() {
    let marked = mark_errors(
        &clerks_workbook(),
        &[
            mark("户", 10, Some(3), "多出的数据"),
            mark("户", 1, Some(1), "未知列"),
        ],
    )
    .unwrap();
    let comments = zip_part(&marked, "xl/comments1.xml").unwrap();
    assert!(
        comments.contains("多出的数据") && comments.contains("未知列"),
        "{comments}"
    );
    let rows = read_all(marked, "户");
    assert_eq!(rows.iter().map(|(n, _)| *n).collect::<Vec<_>>(), vec![1, 2]);
}

#[test]
fn marked_copy_keeps_hidden_sheets_hidden() {
    let spec = SheetSpec {
        name: "人员",
        headers: &["民族"],
        required: &[],
        notes: None,
        dropdowns: &[(0, &["汉族,其他"])],
        text_columns: &[],
    };
    let mut writer = WorkbookWriter::new();
    writer.add_sheet(&spec).unwrap();
    let original = writer.save_to_bytes().unwrap();
    let marked = mark_errors(&original, &[mark("人员", 1, Some(0), "x")]).unwrap();
    let reader = WorkbookReader::open_bytes(marked).unwrap();
    assert_eq!(reader.hidden_sheet_names(), vec![OPTIONS_SHEET.to_owned()]);
}

#[test]
fn mark_on_an_absent_sheet_is_an_error() {
    let err = mark_errors(&clerks_workbook(), &[mark("党员", 2, None, "x")]).unwrap_err();
    assert_eq!(err.to_string(), "找不到工作表「党员」");
}

/// Streaming read of a generated sheet. Memory and speed for a million rows are measured
/// outside the test suite (figures in the crate docs); this checks order and completeness.
#[rstest]
#[case::small(2_000)]
#[case::two_hundred_thousand_rows(200_000)]
fn streaming_read_yields_every_row_in_order(#[case] rows: u32) {
    let spec = SheetSpec {
        name: "人员",
        headers: &["身份证号", "姓名", "出生日期", "人数", "脱贫户"],
        required: &[true, true],
        notes: None,
        dropdowns: &[],
        text_columns: &[0],
    };
    let mut writer = WorkbookWriter::new();
    let sheet = writer.add_sheet(&spec).unwrap();
    for i in 0..rows {
        writer
            .write_row(
                sheet,
                &[
                    OutCell::Text(format!("110101{i:012}")),
                    OutCell::Text(format!("姓名{i}")),
                    OutCell::Date(date(1990, 1, 1) + chrono::Days::new(u64::from(i % 10_000))),
                    OutCell::Int(i64::from(i % 7)),
                    OutCell::Bool(i % 2 == 0),
                ],
            )
            .unwrap();
    }
    let bytes = writer.save_to_bytes().unwrap();

    let mut reader = WorkbookReader::open_bytes(bytes).unwrap();
    let mut expected_row = 1;
    for item in reader.rows("人员").unwrap() {
        let (row, cells) = item.unwrap();
        assert_eq!(row, expected_row);
        if row > 1 {
            let i = row - 2;
            assert_eq!(
                cells[0].identifier_text().unwrap(),
                Some(format!("110101{i:012}"))
            );
            assert_eq!(cells[3], Cell::Number(f64::from(i % 7)));
        }
        expected_row += 1;
    }
    assert_eq!(expected_row, rows + 2);
}

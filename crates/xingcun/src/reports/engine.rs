//! Gathering the figures, rendering a template into a [`Document`], and the formats.

use std::fmt;
use std::sync::{Arc, Mutex};

use chrono::{Datelike, NaiveDate};
use minijinja::value::{Object, ObjectRepr};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, UndefinedBehavior, Value, context};
use sqlx::AnyPool;
use xingcun_domain::numerals::{chinese_date, chinese_date_upper, chinese_number};
use xingcun_report::markup::{figure_marker, strip_markers, table_marker};
use xingcun_report::{Document, Span, Table};

use crate::error::AppResult;
use crate::indicators::{self, Dates, Figure, Figures, INDICATORS, Indicator, Line};
use crate::org::OrgUnit;

/// The district's annual work report on the five lines of work, shipped in the binary.
pub const DEFAULT_TEMPLATE: &str = include_str!("annual.md.j2");

/// Instructions a template may run before it is stopped (a loop over a huge range).
const FUEL: u64 = 500_000;
/// The longest template accepted, in bytes.
pub const MAX_TEMPLATE_BYTES: usize = 200_000;

/// What a report is computed from: the unit's figures and, for tables, each child unit's.
#[derive(Debug, Clone)]
pub struct ReportData {
    pub unit: OrgUnit,
    pub dates: Dates,
    pub figures: Figures,
    /// The unit's children still in existence at D, with their figures (empty unless gathered
    /// for a template that builds a table).
    pub children: Vec<(OrgUnit, Figures)>,
}

/// Whether a template may build a table (then child units' figures are gathered too).
pub fn needs_children(source: &str) -> bool {
    source.contains("table")
}

/// Computes the figures a template needs, all from the indicator engine.
pub async fn gather(
    pool: &AnyPool,
    unit: &OrgUnit,
    dates: &Dates,
    with_children: bool,
) -> AppResult<ReportData> {
    // The children's figures are computed concurrently, each on a connection of its own.
    let mut tasks = tokio::task::JoinSet::new();
    if with_children {
        let as_of = dates.as_of.to_string();
        for (i, child) in crate::org::children(pool, &unit.scope(), &unit.code)
            .await?
            .into_iter()
            .filter(|c| c.revoked_on.as_deref().is_none_or(|r| *r > *as_of))
            .enumerate()
        {
            let (pool, dates) = (pool.clone(), *dates);
            tasks.spawn(async move {
                let f = indicators::report(&pool, &child, &dates).await?.indicators;
                AppResult::Ok((i, child, f))
            });
        }
    }
    let figures = indicators::report(pool, unit, dates).await?.indicators;
    let mut children = Vec::with_capacity(tasks.len());
    while let Some(done) = tasks.join_next().await {
        children.push(done.map_err(|e| crate::error::AppError::Internal(e.into()))??);
    }
    children.sort_by_key(|(i, _, _)| *i);
    let children = children.into_iter().map(|(_, c, f)| (c, f)).collect();
    Ok(ReportData {
        unit: unit.clone(),
        dates: *dates,
        figures,
        children,
    })
}

/// The drill-down address of a figure, as the overview links it.
pub fn drill_href(key: &str, org: &str, d: &Dates) -> String {
    let q = serde_urlencoded::to_string([
        ("org", org.to_string()),
        ("as_of", d.as_of.to_string()),
        ("from", d.from.to_string()),
        ("to", d.to.to_string()),
    ])
    .unwrap_or_default();
    format!("/indicators/{key}?{q}")
}

/// A template that does not render: where and why, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.text())]
pub struct TemplateError {
    pub line: Option<usize>,
    pub message: String,
}

impl TemplateError {
    /// 第 3 行：未知的指标 “x.y”.
    pub fn text(&self) -> String {
        match self.line {
            Some(l) => format!("模板第 {l} 行：{}", self.message),
            None => format!("模板有误：{}", self.message),
        }
    }
}

fn kind_text(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::SyntaxError => "语法错误",
        ErrorKind::UndefinedError => "使用了未定义的变量或属性",
        ErrorKind::UnknownFunction => "未知的函数",
        ErrorKind::UnknownFilter => "未知的过滤器",
        ErrorKind::UnknownTest => "未知的测试",
        ErrorKind::UnknownMethod => "未知的方法",
        ErrorKind::MissingArgument => "缺少参数",
        ErrorKind::TooManyArguments => "参数过多",
        ErrorKind::InvalidOperation => "无法执行的操作",
        ErrorKind::CannotUnpack => "无法拆分的值",
        ErrorKind::OutOfFuel => "模板运行步骤过多（可能循环次数过大）",
        ErrorKind::BadEscape => "转义字符有误",
        _ => "模板错误",
    }
}

impl From<Error> for TemplateError {
    fn from(e: Error) -> TemplateError {
        // Our own functions' messages are Chinese and complete; minijinja's are English, kept
        // after the Chinese kind for the technically minded.
        let message = match (e.kind(), e.detail()) {
            (ErrorKind::InvalidOperation, Some(d)) if !d.is_ascii() => d.to_string(),
            (k, Some(d)) => format!("{}（{d}）", kind_text(k)),
            (k, None) => kind_text(k).to_string(),
        };
        TemplateError {
            line: e.line(),
            message,
        }
    }
}

fn invalid(msg: String) -> Error {
    Error::new(ErrorKind::InvalidOperation, msg)
}

/// A figure inside a template: renders as itself, linked to its records.
#[derive(Debug)]
struct FigureValue {
    ind: &'static Indicator,
    figure: Figure,
    href: String,
}

impl FigureValue {
    fn number(&self) -> Value {
        match self.figure {
            Figure::Count(n) => Value::from(n),
            Figure::Ratio(r) => r.value().map_or(Value::from(()), Value::from),
            Figure::Mean(m) => m.map_or(Value::from(()), Value::from),
        }
    }

    /// In Chinese numerals: 七十, 百分之九十七点一四, 四十五点三.
    fn chinese(&self) -> String {
        match self.figure {
            Figure::Count(n) => chinese_number(n),
            Figure::Ratio(r) => r.percent_text().map_or_else(
                || "—".into(),
                |p| format!("百分之{}", chinese_decimal(p.trim_end_matches('%'))),
            ),
            Figure::Mean(m) => {
                m.map_or_else(|| "—".into(), |v| chinese_decimal(&format!("{v:.1}")))
            }
        }
    }
}

/// "97.14" → 九十七点一四; "-3" → 负三.
fn chinese_decimal(s: &str) -> String {
    const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let mut out = int
        .parse::<i64>()
        .map(chinese_number)
        .unwrap_or_else(|_| int.to_string());
    if int.starts_with("-0") {
        out = format!("负{out}");
    }
    if !frac.is_empty() {
        out.push('点');
        out.extend(
            frac.chars()
                .map(|c| c.to_digit(10).map_or(c, |d| DIGITS[d as usize])),
        );
    }
    out
}

impl Object for FigureValue {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let (n, d) = match self.figure {
            Figure::Ratio(r) => (Value::from(r.numerator), Value::from(r.denominator)),
            _ => (Value::from(()), Value::from(())),
        };
        Some(match key.as_str()? {
            "value" => self.number(),
            "numerator" => n,
            "denominator" => d,
            "name" => Value::from(self.ind.name),
            "unit" => Value::from(self.ind.unit_word),
            "href" => Value::from(self.href.clone()),
            "text" => Value::from(self.figure.text()),
            "key" => Value::from(self.ind.key),
            _ => return None,
        })
    }

    fn is_true(self: &Arc<Self>) -> bool {
        true
    }

    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&figure_marker(&self.figure.text(), &self.href))
    }
}

fn lookup(figures: &Figures, key: &str) -> Option<(&'static Indicator, Figure)> {
    figures
        .0
        .iter()
        .find(|(i, _)| i.key == key)
        .map(|(i, f)| (*i, *f))
}

fn unknown_key(key: &str) -> Error {
    invalid(format!(
        "未知的指标“{key}”（平台尚无此指标；可先用 has(\"{key}\") 判断）"
    ))
}

fn parse_date(v: &Value) -> Result<NaiveDate, Error> {
    let s = v
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| v.to_string());
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| invalid(format!("“{s}”不是日期（应为 YYYY-MM-DD）")))
}

/// The keys a `table(...)` call asks for: a list of keys or a line number 1–5.
fn table_keys(spec: &Value) -> Result<Vec<&'static Indicator>, Error> {
    if let Some(n) = spec.as_i64() {
        let line = Line::ALL
            .iter()
            .find(|l| i64::from(l.number()) == n)
            .ok_or_else(|| invalid(format!("table 的工作条线应为 1–5，而不是 {n}")))?;
        return Ok(INDICATORS.iter().filter(|i| i.line == *line).collect());
    }
    let mut out = Vec::new();
    for k in spec
        .try_iter()
        .map_err(|_| invalid("table 的参数应为指标键的列表或工作条线序号 1–5".into()))?
    {
        let key = k.as_str().unwrap_or_default().to_string();
        out.push(indicators::find(&key).ok_or_else(|| unknown_key(&key))?);
    }
    Ok(out)
}

fn build_table(data: &ReportData, inds: &[&'static Indicator], caption: Option<String>) -> Table {
    let mut header = vec!["单位".to_string()];
    header.extend(inds.iter().map(|i| {
        if i.unit_word.is_empty() || i.is_ratio() {
            i.name.to_string()
        } else {
            format!("{}（{}）", i.name, i.unit_word)
        }
    }));
    let row = |name: &str, org: &str, figures: &Figures| {
        let mut cells = vec![vec![Span::Text {
            text: name.to_string(),
        }]];
        for ind in inds {
            let text = lookup(figures, ind.key).map_or_else(|| "—".into(), |(_, f)| f.text());
            cells.push(vec![Span::Figure {
                text,
                href: drill_href(ind.key, org, &data.dates),
            }]);
        }
        cells
    };
    let mut rows: Vec<_> = data
        .children
        .iter()
        .map(|(u, f)| row(&u.name, &u.code, f))
        .collect();
    let total = if data.children.is_empty() {
        data.unit.name.clone()
    } else {
        "合计".to_string()
    };
    rows.push(row(&total, &data.unit.code, &data.figures));
    Table {
        caption,
        header,
        rows,
    }
}

/// Renders a template for the gathered figures into a document. Nothing is computed here:
/// every figure comes from `data`.
pub fn build_document(data: &ReportData, source: &str) -> Result<Document, TemplateError> {
    if source.len() > MAX_TEMPLATE_BYTES {
        return Err(TemplateError {
            line: None,
            message: format!("模板过长（不超过 {} KB）", MAX_TEMPLATE_BYTES / 1000),
        });
    }
    let source = strip_markers(source);
    let data = Arc::new(data.clone());
    let tables: Arc<Mutex<Vec<Option<Table>>>> = Arc::default();

    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_fuel(Some(FUEL));
    env.set_keep_trailing_newline(true);

    let d = data.clone();
    let figure = move |key: String| -> Result<Value, Error> {
        let (ind, figure) = lookup(&d.figures, &key).ok_or_else(|| unknown_key(&key))?;
        Ok(Value::from_object(FigureValue {
            ind,
            figure,
            href: drill_href(ind.key, &d.unit.code, &d.dates),
        }))
    };
    env.add_function("v", figure.clone());
    let pct_figure = figure.clone();
    env.add_function("pct", move |key: String| -> Result<Value, Error> {
        match indicators::find(&key) {
            Some(i) if !i.is_ratio() => {
                Err(invalid(format!("指标“{key}”不是比率，请用 v(\"{key}\")")))
            }
            _ => pct_figure(key),
        }
    });
    env.add_function("name", |key: String| -> Result<Value, Error> {
        Ok(Value::from(
            indicators::find(&key)
                .ok_or_else(|| unknown_key(&key))?
                .name,
        ))
    });
    env.add_function("has", |key: String| indicators::find(&key).is_some());
    env.add_test("has", |key: String| indicators::find(&key).is_some());
    let (d, t) = (data.clone(), tables.clone());
    env.add_function(
        "table",
        move |spec: Value, caption: Option<String>| -> Result<Value, Error> {
            let inds = table_keys(&spec)?;
            if inds.is_empty() {
                return Ok(Value::from(""));
            }
            let caption = caption.or_else(|| {
                spec.as_i64()
                    .and_then(|n| Line::ALL.iter().find(|l| i64::from(l.number()) == n))
                    .map(|l| {
                        format!(
                            "{}主要指标（{}）",
                            l.label().split('、').nth(1).unwrap_or(l.label()),
                            if d.children.is_empty() {
                                d.unit.name.clone()
                            } else {
                                "分单位".into()
                            }
                        )
                    })
            });
            let table = build_table(&d, &inds, caption);
            let mut all = t.lock().map_err(|_| invalid("表格生成失败".into()))?;
            all.push(Some(table));
            Ok(Value::from(table_marker(all.len() - 1)))
        },
    );
    env.add_filter("cn", |v: Value| -> Result<Value, Error> {
        if let Some(f) = v.downcast_object_ref::<FigureValue>() {
            return Ok(Value::from(figure_marker(&f.chinese(), &f.href)));
        }
        if let Some(n) = v.as_i64() {
            return Ok(Value::from(chinese_number(n)));
        }
        let s = v.to_string();
        if s.parse::<f64>().is_ok() {
            return Ok(Value::from(chinese_decimal(&s)));
        }
        Err(invalid(format!("cn 只能用于数字或指标，而不是“{s}”")))
    });
    env.add_filter("cn_date", |v: Value| -> Result<String, Error> {
        Ok(chinese_date(parse_date(&v)?))
    });
    env.add_filter("cn_date_upper", |v: Value| -> Result<String, Error> {
        Ok(chinese_date_upper(parse_date(&v)?))
    });

    let lines: Vec<Value> = Line::ALL
        .iter()
        .map(|l| {
            let keys: Vec<&str> = INDICATORS
                .iter()
                .filter(|i| i.line == *l)
                .map(|i| i.key)
                .collect();
            Value::from_serialize(
                context! { number => l.number(), label => l.label(), keys => keys },
            )
        })
        .collect();
    let ctx = context! {
        org => context! {
            name => data.unit.name.clone(),
            code => data.unit.code.clone(),
            kind => data.unit.kind_label,
        },
        as_of => data.dates.as_of.to_string(),
        from => data.dates.from.to_string(),
        to => data.dates.to.to_string(),
        year => data.dates.to.year(),
        lines => lines,
    };
    let tmpl = env.template_from_named_str("报告模板", &source)?;
    let text = tmpl.render(ctx)?;
    let tables = std::mem::take(&mut *tables.lock().map_err(|_| TemplateError {
        line: None,
        message: "表格生成失败".into(),
    })?);
    let mut doc = xingcun_report::markup::parse(&text, tables);
    if doc.title.is_empty() {
        doc.title = format!("{}工作报告", data.unit.name);
    }
    Ok(doc)
}

/// The formats a report is downloaded in: the document (Word, PDF, web page), or its tables of
/// figures alone as an Excel workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Docx,
    Pdf,
    Html,
    Xlsx,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "docx" => Some(Format::Docx),
            "pdf" => Some(Format::Pdf),
            "html" => Some(Format::Html),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Pdf => "pdf",
            Format::Html => "html",
            Format::Xlsx => "xlsx",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Pdf => "application/pdf",
            Format::Html => "text/html; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// The document's bytes in a format.
pub fn render_bytes(
    doc: &Document,
    format: Format,
) -> Result<Vec<u8>, xingcun_report::RenderError> {
    match format {
        Format::Docx => xingcun_report::docx::render(doc),
        Format::Pdf => xingcun_report::pdf::render(doc),
        Format::Html => Ok(xingcun_report::html::render(doc)),
        Format::Xlsx => {
            tables_xlsx(doc).map_err(|e| xingcun_report::RenderError::Xlsx(e.to_string()))
        }
    }
}

/// The report's tables of figures as a workbook: one sheet per table, named by its caption
/// (or 表1, 表2…), the header row, then the rows; a whole number is a number cell, anything else
/// (a percentage, a mean with its unit, a name) text as the report prints it. A report without
/// tables gives one sheet that says so.
pub fn tables_xlsx(doc: &Document) -> Result<Vec<u8>, xingcun_xlsx::XlsxError> {
    use xingcun_report::{Block, Span};
    use xingcun_xlsx::{OutCell, SheetSpec, WorkbookWriter};
    let mut w = WorkbookWriter::new();
    let mut names: Vec<String> = Vec::new();
    let text = |spans: &[Span]| -> String {
        spans
            .iter()
            .map(|s| match s {
                Span::Text { text } | Span::Figure { text, .. } => text.as_str(),
            })
            .collect()
    };
    for (n, table) in doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .enumerate()
    {
        // Excel: at most 31 characters, none of []:*?/\, each name once.
        let base: String = table
            .caption
            .as_deref()
            .unwrap_or_default()
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(28)
            .collect();
        let base = if base.trim().is_empty() {
            format!("表{}", n + 1)
        } else {
            base.trim().to_string()
        };
        let mut name = base.clone();
        let mut k = 2;
        while names.contains(&name) {
            name = format!("{base}{k}");
            k += 1;
        }
        names.push(name.clone());
        let headers: Vec<&str> = table.header.iter().map(String::as_str).collect();
        let required = vec![false; headers.len()];
        let h = w.add_sheet(&SheetSpec {
            name: &name,
            headers: &headers,
            required: &required,
            notes: None,
            dropdowns: &[],
            text_columns: &[],
        })?;
        for row in &table.rows {
            let cells: Vec<OutCell> = row
                .iter()
                .map(|spans| {
                    let t = text(spans);
                    match t.replace(',', "").parse::<i64>() {
                        Ok(i) if !t.is_empty() => OutCell::Int(i),
                        _ => OutCell::Text(t),
                    }
                })
                .collect();
            w.write_row(h, &cells)?;
        }
    }
    if names.is_empty() {
        let h = w.add_sheet(&SheetSpec {
            name: "说明",
            headers: &["说明"],
            required: &[false],
            notes: None,
            dropdowns: &[],
            text_columns: &[],
        })?;
        w.write_row(h, &[OutCell::Text(format!("《{}》没有数据表", doc.title))])?;
    }
    w.save_to_bytes()
}

#[cfg(test)]
mod tests {
    use xingcun_domain::Ratio;
    use xingcun_report::Block;

    use super::*;

    fn unit(code: &str, name: &str) -> OrgUnit {
        OrgUnit {
            code: code.into(),
            name: name.into(),
            kind: "township".into(),
            kind_label: "乡镇",
            parent_code: None,
            scope_prefix: code[..9].into(),
            revoked_on: None,
            merged_into: None,
        }
    }

    /// Figures made up for the template's sake: the engine is not asked here.
    fn figures(teams: i64, covered: i64) -> Figures {
        Figures(
            INDICATORS
                .iter()
                .map(|i| {
                    let f = match i.key {
                        "outreach.work_teams" => Figure::Count(teams),
                        "talent.college_cadre_coverage" => Figure::Ratio(Ratio::new(covered, 14)),
                        "talent.committee_avg_age" => Figure::Mean(Some(45.3)),
                        _ if i.is_ratio() => Figure::Ratio(Ratio::new(0, 0)),
                        _ => Figure::Count(0),
                    };
                    (i, f)
                })
                .collect(),
        )
    }

    fn data() -> ReportData {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        ReportData {
            unit: unit("990101001000", "青山镇"),
            dates: Dates {
                as_of: d("2026-06-30"),
                from: d("2026-01-01"),
                to: d("2026-06-30"),
            },
            figures: figures(14, 13),
            children: vec![
                (unit("990101001001", "王家庄村"), figures(1, 1)),
                (unit("990101001002", "李家村"), figures(2, 0)),
            ],
        }
    }

    fn text(source: &str) -> String {
        let doc = build_document(&data(), source).unwrap();
        xingcun_report::html::body_html(&doc)
    }

    #[test]
    fn figures_filters_and_values() {
        let out = text(
            "{{ v(\"outreach.work_teams\") }}|{{ v(\"outreach.work_teams\") | cn }}|{{ pct(\"talent.college_cadre_coverage\") | cn }}|{{ v(\"talent.committee_avg_age\") | cn }}|{{ 2155 | cn }}|{{ to | cn_date }}|{{ to | cn_date_upper }}|{{ v(\"talent.college_cadre_coverage\").numerator }}/{{ v(\"talent.college_cadre_coverage\").denominator }}|{{ name(\"outreach.work_teams\") }}|{{ year }}|{{ org.name }}",
        );
        let href = "/indicators/outreach.work_teams?org=990101001000&amp;as_of=2026-06-30&amp;from=2026-01-01&amp;to=2026-06-30";
        assert_eq!(
            out,
            format!(
                "<p><a class=\"figure\" href=\"{href}\">14</a>|<a class=\"figure\" href=\"{href}\">十四</a>|<a class=\"figure\" href=\"{}\">百分之九十二点八六</a>|<a class=\"figure\" href=\"{}\">四十五点三</a>|二千一百五十五|2026年6月30日|二〇二六年六月三十日|13/14|「一亲三心」工作队数|2026|青山镇</p>\n",
                href.replace("outreach.work_teams", "talent.college_cadre_coverage"),
                href.replace("outreach.work_teams", "talent.committee_avg_age"),
            )
        );
    }

    #[test]
    fn has_tells_known_keys_so_a_template_can_name_keys_still_to_come() {
        let out = text(
            "{% if has(\"outreach.work_teams\") %}A{% endif %}{% if has(\"industry.no_such_key\") %}B{% else %}C{% endif %}{% if \"talent.committee_avg_age\" is has %}D{% endif %}{% if v(\"outreach.work_teams\").value > 10 %}E{% endif %}",
        );
        assert_eq!(out, "<p>ACDE</p>\n");
    }

    #[test]
    fn a_table_has_a_row_per_child_and_a_total_each_cell_linked() {
        let doc = build_document(
            &data(),
            "{{ table([\"outreach.work_teams\", \"talent.college_cadre_coverage\"], \"表一\") }}",
        )
        .unwrap();
        let [Block::Table(t)] = doc.blocks.as_slice() else {
            panic!("{:?}", doc.blocks)
        };
        assert_eq!(t.caption.as_deref(), Some("表一"));
        assert_eq!(
            t.header,
            [
                "单位",
                "「一亲三心」工作队数（个）",
                "\"一村一名大学生村干部\"覆盖率"
            ]
        );
        let rows: Vec<Vec<String>> = t
            .rows
            .iter()
            .map(|r| r.iter().map(|c| xingcun_report::model::plain(c)).collect())
            .collect();
        assert_eq!(
            rows,
            [
                ["王家庄村", "1", "7.14%"],
                ["李家村", "2", "0.00%"],
                ["合计", "14", "92.86%"]
            ]
        );
        let figures = doc.figures();
        assert_eq!(figures.len(), 6);
        assert!(figures[2].1.contains("org=990101001002"));
        assert!(figures[4].1.contains("org=990101001000"));
        // By line: that line's keys.
        let doc = build_document(&data(), "{{ table(2) }}").unwrap();
        let [Block::Table(t)] = doc.blocks.as_slice() else {
            panic!()
        };
        let line2 = INDICATORS.iter().filter(|i| i.line == Line::Cadres).count();
        assert_eq!(t.header.len(), line2 + 1);
        assert_eq!(t.caption.as_deref(), Some("抓队伍建设主要指标（分单位）"));
    }

    #[test]
    fn errors_name_the_line_in_chinese() {
        let e = build_document(&data(), "a\nb\n{{ v(\"x.y\") }}").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(
            e.text().starts_with("模板第 3 行：未知的指标“x.y”"),
            "{}",
            e.text()
        );
        let e = build_document(&data(), "{% for %}").unwrap_err();
        assert!(
            e.text().starts_with("模板第 1 行：语法错误"),
            "{}",
            e.text()
        );
        let e = build_document(&data(), "{{ \"2026-02-30\" | cn_date }}").unwrap_err();
        assert!(e.text().contains("不是日期"), "{}", e.text());
        let e = build_document(&data(), "{{ \"abc\" | cn }}").unwrap_err();
        assert!(e.text().contains("cn 只能用于数字或指标"), "{}", e.text());
        let e = build_document(&data(), &"x".repeat(MAX_TEMPLATE_BYTES + 1)).unwrap_err();
        assert!(e.text().contains("模板过长"));
    }

    #[test]
    fn the_default_template_renders_and_a_typed_marker_cannot_forge_a_figure() {
        let doc = build_document(&data(), DEFAULT_TEMPLATE).unwrap();
        assert_eq!(doc.title, "青山镇2026年党建引领乡村振兴工作报告");
        let headings: Vec<String> = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { level: 2, spans } => Some(xingcun_report::model::plain(spans)),
                _ => None,
            })
            .collect();
        for line in Line::ALL {
            assert!(
                headings.iter().any(|h| h == line.label()),
                "{}",
                line.label()
            );
        }
        let forged = figure_marker("99", "/evil");
        let doc = build_document(&data(), &forged).unwrap();
        assert!(doc.figures().is_empty());
    }
}

//! `xingcun indicators`: every figure for one org unit (default the root of the tree), as the
//! JSON of indicators.md (`--json`, the same bytes as the API) or as a table to read.

use anyhow::Context;
use chrono::NaiveDate;
use sqlx::AnyPool;

use super::{DateArgs, Figure, Line, Report};
use crate::scope::Scope;

#[derive(Debug, Clone, clap::Args)]
pub struct IndicatorsArgs {
    #[command(flatten)]
    pub dates: DateArgs,
    /// Print the machine-readable JSON (the same as GET /api/v1/indicators).
    #[arg(long)]
    pub json: bool,
}

/// What the command prints, for `today` (Asia/Shanghai when run for real).
pub async fn output(
    pool: &AnyPool,
    args: &IndicatorsArgs,
    today: NaiveDate,
) -> anyhow::Result<String> {
    let dates = args.dates.resolve(today)?;
    let unit = match &args.dates.org {
        Some(code) => crate::org::get(pool, &Scope::everything(), code)
            .await
            .map_err(|_| anyhow::anyhow!("区划编码 {code} 不存在"))?,
        None => crate::org::root(pool)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .context("数据库中还没有区划，请先导入区划")?,
    };
    let report = super::report(pool, &unit, &dates)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if args.json {
        return Ok(serde_json::to_string(&report)? + "\n");
    }
    Ok(table_text(&unit.name, &report))
}

/// Columns of CJK text line up when a Chinese character counts as two.
fn display_width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

fn figure_text(figure: &Figure, unit_word: &str) -> String {
    match figure {
        Figure::Ratio(r) => format!("{}（{}/{}）", figure.text(), r.numerator, r.denominator),
        Figure::Mean(None) => "—".into(),
        _ => format!("{} {unit_word}", figure.text())
            .trim_end()
            .to_string(),
    }
}

/// The report as a table: the unit and dates, then each line of work with its figures.
fn table_text(unit_name: &str, report: &Report) -> String {
    let mut out = format!(
        "{unit_name}（{}）\n时点 {}；时期 {} 至 {}\n",
        report.org, report.as_of, report.from, report.to
    );
    let width = report
        .indicators
        .0
        .iter()
        .map(|(i, _)| display_width(i.name))
        .max()
        .unwrap_or(0);
    for line in Line::ALL {
        let rows: Vec<_> = report
            .indicators
            .0
            .iter()
            .filter(|(i, _)| i.line == line)
            .collect();
        if rows.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{}\n", line.label()));
        for (ind, figure) in rows {
            let pad = " ".repeat(width - display_width(ind.name) + 2);
            out.push_str(&format!(
                "  {}{pad}{}\n",
                ind.name,
                figure_text(figure, ind.unit_word)
            ));
        }
    }
    out
}

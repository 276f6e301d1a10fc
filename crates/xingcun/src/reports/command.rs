//! `xingcun report`: the work report of one org unit (default the root) for a period, written
//! to a file as DOCX, PDF or HTML, from the default template or a template file.

use std::path::PathBuf;

use anyhow::Context;
use chrono::NaiveDate;
use sqlx::AnyPool;

use super::{DEFAULT_TEMPLATE, Format, build_document, gather, render_bytes};
use crate::indicators::DateArgs;
use crate::scope::Scope;

#[derive(Debug, Clone, clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub dates: DateArgs,
    /// A template file (default: the built-in annual work report).
    #[arg(long)]
    pub template: Option<PathBuf>,
    /// docx, pdf or html.
    #[arg(long, value_enum)]
    pub format: Format,
    /// The file to write.
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
    /// The platform's address (e.g. https://xingcun.example.gov.cn), so figures in DOCX and
    /// PDF link to their records; HTML links are relative to the site.
    #[arg(long)]
    pub link_base: Option<String>,
}

/// The report's bytes, for `today` (Asia/Shanghai when run for real).
pub async fn bytes(pool: &AnyPool, args: &ReportArgs, today: NaiveDate) -> anyhow::Result<Vec<u8>> {
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
    let source = match &args.template {
        Some(p) => {
            std::fs::read_to_string(p).with_context(|| format!("无法读取模板 {}", p.display()))?
        }
        None => DEFAULT_TEMPLATE.to_string(),
    };
    let data = gather(pool, &unit, &dates, super::engine::needs_children(&source))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut doc = build_document(&data, &source)?;
    doc.link_base = args.link_base.clone();
    Ok(render_bytes(&doc, args.format)?)
}

/// Runs the command: writes the file and says where.
pub async fn run(pool: &AnyPool, args: &ReportArgs, today: NaiveDate) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let out = bytes(pool, args, today).await?;
    std::fs::write(&args.output, &out)
        .with_context(|| format!("无法写入 {}", args.output.display()))?;
    println!(
        "已生成报告 {}（{} 字节，用时 {:.2} 秒）",
        args.output.display(),
        out.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

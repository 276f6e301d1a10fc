//! The self-writing work report (工作报告): a template of text with placeholders for
//! indicators, rendered for one org unit and period into a [`Document`] that
//! `xingcun-report` turns into DOCX, PDF or HTML.
//!
//! **Every figure comes from the indicator engine.** [`gather`] computes the unit's figures
//! (and, when the template asks for a table, each child unit's) with [`indicators::report`];
//! the template only chooses where they go. Each figure carries the address of its drill-down
//! list, `/indicators/{key}?org=…&as_of=…&from=…&to=…`, the same as the overview's tiles.
//!
//! **The template language** is minijinja in a sandboxed [`Environment`] of its own (no
//! loader, no auto-escaping — the renderers escape —, strict undefined values, a fuel limit):
//!
//! - `v("outreach.work_teams")` a figure as screens show it (70, 97.14%, 45.3), with
//!   attributes `.value`, `.numerator`, `.denominator`, `.name`, `.unit`, `.href`;
//!   `pct(key)` the same for a ratio; `name(key)` an indicator's name;
//! - `has("key")` (function and test) whether the registry has the key yet, so a template may
//!   mention keys that later modules add;
//! - `table([keys…])` or `table(line)` a table of figures by child unit (townships of the
//!   district, villages of a township) with a 合计 row; `line` 1–5 takes that line's keys;
//! - filters `cn` (Chinese numerals: 七十, 百分之九十七点一四), `cn_date` (2026年6月30日) and
//!   `cn_date_upper` (二〇二六年六月三十日);
//! - values `org` (`.name`, `.code`, `.kind`), `as_of`, `from`, `to` (YYYY-MM-DD), `year`,
//!   and `lines` (each with `.number`, `.label`, `.keys`).
//!
//! The text is light markup (see `xingcun_report::markup`): `#` title, `##`/`###` headings,
//! paragraphs separated by blank lines.

pub mod command;
pub mod engine;
pub mod pages;
pub mod store;

pub use engine::{
    DEFAULT_TEMPLATE, Format, ReportData, TemplateError, build_document, gather, render_bytes,
};
pub use xingcun_report::Document;

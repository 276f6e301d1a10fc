//! The one integration-test binary. Every test gets a fresh database: SQLite by default,
//! PostgreSQL when `XINGCUN_TEST_PG` holds a server URL (e.g. `postgres://postgres@127.0.0.1:5432`).

// The indicator tests spell every key out in one `json!` object.
#![recursion_limit = "256"]

mod harness;

mod accounts;
mod attachments;
mod backup;
mod branches;
mod crash;
mod dashboard;
mod demands;
mod events;
mod foundation;
mod governance;
mod imports;
mod indicators;
mod industry;
mod industry_more;
mod open311;
mod outreach;
mod outreach_pages;
mod registry_fixture;
mod registry_forms;
mod registry_pages;
mod reports;
mod scope;
mod security;
mod talent;
mod workbook;
mod workbook_chunks;

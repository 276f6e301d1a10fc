//! The one integration-test binary. Every test gets a fresh database: SQLite by default,
//! PostgreSQL when `XINGCUN_TEST_PG` holds a server URL (e.g. `postgres://postgres@127.0.0.1:5432`).

mod harness;

mod accounts;
mod backup;
mod branches;
mod crash;
mod dashboard;
mod demands;
mod foundation;
mod imports;
mod indicators;
mod industry;
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

//! 兴村 (xingcun): the platform a county-level district runs for its party-building-led rural
//! revitalisation work. See ARCHITECTURE.md for the code map and its invariants.

pub mod accounts;
pub mod api;
pub mod app;
pub mod attachments;
pub mod audit;
pub mod backup;
pub mod branches;
pub mod cli;
pub mod conduct;
pub mod config;
pub mod dashboard;
pub mod dates;
pub mod db;
pub mod demands;
pub mod demo;
pub mod error;
pub mod events;
pub mod governance;
pub mod indicators;
pub mod industry;
pub mod org;
pub mod outreach;
pub mod pages;
pub mod registry;
pub mod reports;
pub mod router;
pub mod scope;
pub mod security;
pub mod talent;
pub mod web;
pub mod workbook;

//! tdesk — a terminal ticket desk for customer problems.
//!
//! Module map (dependencies point up this list, never down):
//! - [`domain`]: pure types — tickets, priorities, customers, users, events, queries.
//! - [`workflow`], [`sla`], [`rules`], [`text`]: pure engines — status changes; business-hours
//!   calendars and SLA clocks; sanitising and CJK widths.
//! - [`metrics`]: pure — report periods and a period's figures from ticket facts.
//! - [`store`]: the only SQL — SQLite pragmas, migrations, typed reads and writes.
//! - [`service`]: the use cases — a [`service::Desk`] joins store and engines;
//!   every write is one transaction with its audit events.
//! - [`config`], [`i18n`]: paths, settings, UI strings in English and Chinese.
//! - [`deskdir`]: the desk directory on disk: team desks' group and modes.
//! - [`hook`]: the member's notify hook, run for each new notification.
//! - [`editor`]: long text in the member's own editor, for both front ends.
//! - [`privilege`]: enforced team mode (setgid): desk paths and child processes.
//! - [`userfile`]: files the member names, opened with the member's own rights.
//! - [`session`]: what a run knows before it opens a desk, and opening it.
//! - [`cli`], [`tui`]: front ends, clients of the service only (never of `store`),
//!   started by `main` with a session; neither uses the other.

pub mod cli;
pub mod config;
pub mod deskdir;
pub mod domain;
pub mod editor;
pub mod error;
pub mod hook;
pub mod i18n;
pub mod interchange;
pub mod mailer;
pub mod metrics;
pub mod present;
pub mod privilege;
pub mod rules;
pub mod service;
pub mod session;
pub mod sla;
pub mod store;
pub mod text;
pub mod tui;
pub mod userfile;
pub mod workflow;

pub use error::{Error, Result};

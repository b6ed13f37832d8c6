//! Integration tests, one binary to keep link time down: the CLI (the real
//! `tdesk` binary), the store on real files, TUI snapshots, and the
//! architecture rule that front ends never touch the store.

mod access;
mod architecture;
mod backup;
mod cli;
mod closure;
mod closure_cli;
mod common;
mod crash;
mod dashboard;
mod export;
mod import;
mod inbox;
mod kills;
mod pty;
mod reports;
mod sla;
mod store;
mod stress;
mod tasks;
mod team;
mod timeline;
mod trust;
mod tui;
mod upgrade;

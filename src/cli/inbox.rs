//! `tdesk inbox`, `tdesk watch N`, `tdesk unwatch N`.

use super::output::{self, Table, line};
use super::{Session, Streams};
use crate::error::Result;
use crate::present::{local_time, notice_text};
use crate::service::Desk;

pub fn list(
    desk: &mut Desk,
    all: bool,
    mark_read: bool,
    json: bool,
    s: &Session,
    io: &mut Streams<'_>,
) -> Result<()> {
    let notices = desk.inbox(!all, 200)?;
    if mark_read {
        let ids: Vec<i64> = notices.iter().map(|n| n.id).collect();
        desk.mark_read(Some(&ids))?;
    }
    if json {
        return output::json(io.out, &notices);
    }
    if notices.is_empty() {
        return line(io.out, s.cat.t("inbox.empty"));
    }
    let tz = chrono::Local::now().offset().to_owned();
    let mut t = Table::new(&["", s.cat.t("col.updated"), s.cat.t("inbox.title")]);
    for n in &notices {
        t.push(vec![
            if n.read { String::new() } else { "•".into() },
            local_time(n.at, &tz),
            notice_text(&s.cat, n),
        ]);
    }
    io.out
        .write_all(t.render(s.width).as_bytes())
        .map_err(output::io)
}

/// `tdesk hook`: one delivery run of the member's notify hook.
pub fn hook(desk: &mut Desk, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let Some(command) = &s.config.notify_hook else {
        let path = crate::config::config_path()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        return line(io.err, &s.cat.f("cli.no_hook", &[("path", &path)]));
    };
    let done = crate::hook::deliver(desk, command, &s.cat)?;
    line(
        io.out,
        &s.cat.f(
            "cli.hook_run",
            &[("sent", &done.sent), ("failed", &done.failed)],
        ),
    )
}

pub fn watch(desk: &mut Desk, id: i64, on: bool, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    desk.watch(id, on)?;
    let key = if on {
        "status.watching"
    } else {
        "status.unwatched"
    };
    line(io.out, &s.cat.f(key, &[("id", &id)]))
}

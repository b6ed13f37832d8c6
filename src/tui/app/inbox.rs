//! The inbox (`i`): notices as a menu, newest first, unread marked; Enter
//! opens the ticket and marks the notice read. Watching (`w`) a ticket puts
//! its changes into the inbox. The unread count sits in the header.

use super::overlay::{Menu, MenuItem, MenuKind, Overlay};
use super::{App, Pane};
use crate::domain::Notification;
use crate::present::{local_time, notice_text};
use crate::tui::action::{Effect, Job};

impl App {
    pub(super) fn inbox_loaded(&mut self, notices: Vec<Notification>) {
        if notices.is_empty() {
            self.info("inbox.empty", &[]);
            return;
        }
        let items = notices
            .iter()
            .map(|n| MenuItem {
                value: format!("{}:{}", n.id, n.ticket.unwrap_or(0)),
                label: format!(
                    "{} {}  {}",
                    if n.read { " " } else { "•" },
                    local_time(n.at, &self.tz),
                    notice_text(&self.cat, n)
                ),
            })
            .collect();
        self.overlay = Some(Overlay::Menu(Menu {
            kind: MenuKind::Inbox,
            items,
            selected: 0,
        }));
    }

    /// Enter on a notice: read it, and open its ticket.
    pub(super) fn open_notice(&mut self, value: &str) -> Vec<Effect> {
        let mut parts = value.split(':').map(|p| p.parse::<i64>().ok());
        let (Some(Some(notice)), Some(Some(ticket))) = (parts.next(), parts.next()) else {
            return Vec::new();
        };
        let mut effects = vec![Effect::MarkRead(vec![notice])];
        if ticket > 0 {
            if self.pane != Pane::Detail {
                self.prev_pane = self.pane;
            }
            self.pane = Pane::Detail;
            self.detail.scroll = 0;
            effects.push(Effect::Background(Job::View(ticket)));
        }
        effects
    }

    /// `Q`: the live queues, one line per team and agent.
    pub(super) fn queues_loaded(&mut self, rows: Vec<(String, Option<String>, i64)>) {
        use crate::text::{pad_right, sanitize_line};
        let nobody = self.cat.t("explain.nobody").to_string();
        let lines: Vec<String> = rows
            .into_iter()
            .map(|(team, agent, n)| {
                let team = if team.is_empty() {
                    "–".to_string()
                } else {
                    team
                };
                let agent = agent.unwrap_or_else(|| nobody.clone());
                // Display widths, not bytes: names may be Chinese.
                format!(
                    "{} {} {n:>6}",
                    pad_right(&sanitize_line(&team), 8),
                    pad_right(&sanitize_line(&agent), 20)
                )
            })
            .collect();
        let title = self.cat.t("menu.queues").to_string();
        self.overlay = Some(Overlay::Summary {
            // A summary's first line is its title.
            lines: std::iter::once(title.clone()).chain(lines).collect(),
            title,
            scroll: 0,
        });
    }

    /// `w`: watch the ticket under the cursor, or stop watching it.
    pub(super) fn toggle_watch(&mut self) -> Vec<Effect> {
        match self.selected() {
            Some(s) => vec![Effect::ToggleWatch(s.id)],
            None => Vec::new(),
        }
    }
}

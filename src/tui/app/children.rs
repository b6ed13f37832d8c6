//! After a problem ticket is solved: the offer to solve its open child
//! tickets the same way, and what that did (who moved, who the workflow
//! refused and why), shown in a summary.

use super::App;
use super::overlay::{Menu, MenuItem, MenuKind, Overlay};
use crate::service::{ChildrenOutcome, MoveOptions};
use crate::tui::action::Effect;

impl App {
    pub(super) fn offer_children(
        &mut self,
        parent: i64,
        to: String,
        opts: MoveOptions,
        count: usize,
    ) {
        // Never over something the member is typing in.
        if self.overlay.is_some() {
            return;
        }
        let state = crate::present::state_label(&self.workflow, &self.cat, &to);
        let items = vec![
            MenuItem {
                value: "yes".into(),
                label: self
                    .cat
                    .f("children.yes", &[("count", &count), ("state", &state)]),
            },
            MenuItem {
                value: "no".into(),
                label: self.cat.t("children.no").to_string(),
            },
        ];
        self.overlay = Some(Overlay::Menu(Menu {
            kind: MenuKind::Children { parent, to, opts },
            items,
            selected: 0,
        }));
    }

    pub(super) fn children_moved(&mut self, parent: i64, out: ChildrenOutcome) -> Vec<Effect> {
        let mut lines = Vec::new();
        if !out.moved.is_empty() {
            let list: Vec<String> = out.moved.iter().map(|id| format!("#{id}")).collect();
            lines.push(self.cat.f("children.moved", &[("list", &list.join(", "))]));
        }
        for (id, e) in &out.refused {
            let why = self.describe(e);
            lines.push(self.cat.f("children.refused", &[("id", id), ("why", &why)]));
        }
        if out.hidden > 0 {
            lines.push(self.cat.f("children.hidden", &[("count", &out.hidden)]));
        }
        if lines.is_empty() {
            lines.push(self.cat.t("children.none").to_string());
        }
        // The first line is the summary's own (the title), as elsewhere.
        let title = self.cat.f("children.title", &[("id", &parent)]);
        lines.insert(0, title.clone());
        self.overlay = Some(Overlay::Summary {
            title,
            lines,
            scroll: 0,
        });
        self.reload(self.shown_ticket())
    }
}

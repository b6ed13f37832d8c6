//! Multi-select (Space, `V` for a range, `*` for everything matching), bulk
//! actions on the selection, and undo (`u`, `U`).

use std::collections::BTreeSet;

use super::overlay::{Menu, MenuItem, MenuKind, Overlay, Prompt, text_input};
use super::{App, Pane};
use crate::domain::{ChangeRecord, Priority};
use crate::present::{local_time, priority_label};
use crate::service::{BulkAction, BulkOutcome, Targets, UndoOutcome};
use crate::tui::action::{Effect, Job};

/// Which tickets are selected.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub ids: BTreeSet<i64>,
    /// Everything the filter matches (however many that is).
    pub all: bool,
    /// Where a `V` range started, while one is being drawn.
    pub anchor: Option<usize>,
}

impl Selection {
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty() && !self.all
    }

    pub fn contains(&self, id: i64) -> bool {
        self.all || self.ids.contains(&id)
    }
}

impl App {
    /// The tickets a bulk action would apply to, when something is selected.
    pub(super) fn targets(&self) -> Option<Targets> {
        if self.selection.all {
            Some(Targets::Query(self.filter.query.clone()))
        } else if !self.selection.ids.is_empty() {
            Some(Targets::Ids(self.selection.ids.iter().copied().collect()))
        } else {
            None
        }
    }

    /// How many tickets are selected (the total when "all").
    pub fn selected_count(&self) -> Option<i64> {
        if self.selection.all {
            self.list.total
        } else {
            i64::try_from(self.selection.ids.len()).ok()
        }
    }

    pub(super) fn toggle_select(&mut self) -> Vec<Effect> {
        if self.pane != Pane::List {
            return Vec::new();
        }
        if let Some(id) = self.list.selected_row().map(|r| r.id) {
            self.selection.all = false;
            if !self.selection.ids.remove(&id) {
                self.selection.ids.insert(id);
            }
        }
        self.navigate(crate::tui::action::Command::Down)
    }

    pub(super) fn range_select(&mut self) {
        self.selection.anchor = match self.selection.anchor {
            Some(_) => None,
            None => Some(self.list.selected),
        };
        self.extend_range();
    }

    /// While a range is open, the selection covers anchor..cursor.
    pub(super) fn extend_range(&mut self) {
        let Some(anchor) = self.selection.anchor else {
            return;
        };
        let (lo, hi) = (
            anchor.min(self.list.selected),
            anchor.max(self.list.selected),
        );
        for i in lo..=hi {
            if let Some(r) = self.list.row(i) {
                self.selection.ids.insert(r.id);
            }
        }
    }

    /// Whether moving the selection to `to` needs a note from some ticket's
    /// current state (states of tickets not in memory count as possible).
    pub(super) fn bulk_move_needs_note(&self, to: &str) -> bool {
        use crate::workflow::Requirement;
        let from: Option<BTreeSet<String>> = if self.selection.all {
            None
        } else {
            self.selection
                .ids
                .iter()
                .map(|id| {
                    self.list
                        .rows
                        .iter()
                        .find(|r| r.id == *id)
                        .map(|r| r.status.clone())
                })
                .collect()
        };
        self.workflow.transitions().iter().any(|t| {
            t.to == to
                && from.as_ref().is_none_or(|f| f.contains(&t.from))
                && t.requires
                    .iter()
                    .any(|r| matches!(r, Requirement::Resolution | Requirement::Reason))
        })
    }

    pub(super) fn select_all(&mut self) {
        self.selection.all = !self.selection.all;
        self.selection.ids.clear();
        self.selection.anchor = None;
    }

    /// Runs a bulk action on the worker (it may touch thousands of tickets).
    pub(super) fn bulk(&mut self, action: BulkAction) -> Vec<Effect> {
        let Some(targets) = self.targets() else {
            return Vec::new();
        };
        self.info("status.working", &[]);
        vec![Effect::Background(Job::Bulk { targets, action })]
    }

    pub(super) fn bulk_done(&mut self, out: BulkOutcome) -> Vec<Effect> {
        self.selection = Selection::default();
        let mut lines: Vec<String> = out
            .refused
            .iter()
            .map(|(id, e)| format!("#{id}  {}", self.describe(e)))
            .collect();
        let cat = &self.cat;
        let summary = cat.f(
            "status.bulk_done",
            &[("done", &out.done.len()), ("refused", &out.refused.len())],
        );
        if lines.is_empty() {
            self.info(
                "status.bulk_done",
                &[("done", &out.done.len()), ("refused", &0)],
            );
        } else {
            lines.insert(0, summary.clone());
            self.overlay = Some(Overlay::Summary {
                title: summary,
                lines,
                scroll: 0,
            });
        }
        self.reload(None)
    }

    pub(super) fn undone(&mut self, out: UndoOutcome) -> Vec<Effect> {
        let summary = self.cat.f(
            "status.undone",
            &[("change", &out.undone.id), ("count", &out.reverted.len())],
        );
        if out.refused.is_empty() {
            self.info(
                "status.undone",
                &[("change", &out.undone.id), ("count", &out.reverted.len())],
            );
        } else {
            let mut lines = vec![summary.clone()];
            for (id, why) in &out.refused {
                lines.push(crate::present::undo_refusal(&self.cat, *id, why, &self.tz));
            }
            self.overlay = Some(Overlay::Summary {
                title: summary,
                lines,
                scroll: 0,
            });
        }
        let detail = self.shown_ticket();
        self.reload(detail)
    }

    /// `U`: the member's recent changes as a menu.
    pub(super) fn changes_loaded(&mut self, changes: Vec<ChangeRecord>) {
        let items: Vec<MenuItem> = changes
            .iter()
            .filter(|c| c.kind != "undo")
            .map(|c| {
                let state = if c.undone_by.is_some() {
                    format!(" · {}", self.cat.t("view.undone"))
                } else {
                    String::new()
                };
                MenuItem {
                    value: c.id.to_string(),
                    label: format!(
                        "{}  {} {}{state}",
                        local_time(c.at, &self.tz),
                        self.cat.t(&format!("change.{}", c.kind)),
                        c.detail
                    ),
                }
            })
            .collect();
        if items.is_empty() {
            self.error("error.nothing_to_undo");
            return;
        }
        self.overlay = Some(Overlay::Menu(Menu {
            kind: MenuKind::Undo,
            items,
            selected: 0,
        }));
    }

    /// `p`: a priority menu for the selection or the ticket under the cursor.
    pub(super) fn open_priority(&mut self) -> Vec<Effect> {
        let single = self.selected().map(|s| (s.id, s.version));
        if self.selection.is_empty() && single.is_none() {
            return Vec::new();
        }
        let items = Priority::ALL
            .iter()
            .map(|p| MenuItem {
                value: p.as_str().to_string(),
                label: format!("{p} {}", priority_label(&self.cat, *p)),
            })
            .collect();
        let kind = match (self.selection.is_empty(), single) {
            (true, Some((id, version))) => MenuKind::Priority {
                ticket: Some((id, version)),
            },
            _ => MenuKind::Priority { ticket: None },
        };
        self.overlay = Some(Overlay::Menu(Menu {
            kind,
            items,
            selected: 2,
        }));
        Vec::new()
    }

    /// `+` / `-`: ask for a tag to add or remove.
    pub(super) fn open_tag_prompt(&mut self, add: bool) -> Vec<Effect> {
        if self.selection.is_empty() && self.selected().is_none() {
            return Vec::new();
        }
        let purpose = if add {
            Prompt::AddTag
        } else {
            Prompt::RemoveTag
        };
        self.overlay = Some(Overlay::Prompt {
            purpose,
            input: text_input(""),
        });
        Vec::new()
    }
}

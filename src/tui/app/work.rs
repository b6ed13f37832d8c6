//! The "my work" pane (`7`): the member's own unsolved tickets and open
//! steps (of any team's tickets) together, soonest due first. Enter opens
//! a ticket; `S` marks a step done (its owner may not see the ticket, so a
//! step of another team's ticket shows its title and no more).

use super::{App, Pane};
use crate::domain::{TicketRow, WorkItem};
use crate::tui::action::{Command, Effect, Job};

/// Most tickets, and most steps, the pane reads.
pub const WORK_LIMIT: usize = 500;

#[derive(Debug, Clone, Default)]
pub struct WorkState {
    pub items: Vec<WorkItem>,
    pub selected: usize,
    pub offset: usize,
    /// A first answer has arrived.
    pub loaded: bool,
    pub generation: u64,
}

impl WorkState {
    pub fn selected_item(&self) -> Option<&WorkItem> {
        self.items.get(self.selected)
    }

    /// The ticket row under the cursor (a step is not a ticket).
    pub fn selected_ticket(&self) -> Option<&TicketRow> {
        match self.selected_item()? {
            WorkItem::Ticket(t) => Some(t),
            WorkItem::Step { .. } => None,
        }
    }
}

impl App {
    pub(super) fn show_work(&mut self) -> Vec<Effect> {
        self.pane = Pane::Work;
        self.load_work()
    }

    fn load_work(&mut self) -> Vec<Effect> {
        self.work.generation += 1;
        vec![Effect::Background(Job::Work {
            generation: self.work.generation,
        })]
    }

    /// The desk changed: read the queue again if it is showing.
    pub(super) fn work_changed(&mut self) -> Vec<Effect> {
        if self.pane == Pane::Work {
            self.load_work()
        } else {
            Vec::new()
        }
    }

    pub(super) fn work_loaded(&mut self, generation: u64, items: Vec<WorkItem>) {
        if generation != self.work.generation {
            return;
        }
        // The cursor stays on its item when the queue reorders.
        let key = |i: &WorkItem| match i {
            WorkItem::Ticket(t) => (t.id, 0),
            WorkItem::Step { step, .. } => (step.ticket, step.id),
        };
        let was = self.work.selected_item().map(key);
        self.work.items = items;
        self.work.loaded = true;
        if let Some(at) = was.and_then(|k| self.work.items.iter().position(|i| key(i) == k)) {
            self.work.selected = at;
        }
        self.work.selected = self
            .work
            .selected
            .min(self.work.items.len().saturating_sub(1));
        let visible = crate::tui::layout::list_visible(self.size);
        self.work.offset = crate::tui::layout::scroll_to(
            self.work.offset.min(self.work.selected),
            self.work.selected,
            visible,
        );
    }

    /// Keys of the pane; `None` leaves the command to the rest of the app.
    pub(super) fn work_command(&mut self, cmd: Command) -> Option<Vec<Effect>> {
        let n = self.work.items.len();
        let page = crate::tui::layout::list_visible(self.size);
        let sel = self.work.selected;
        self.work.selected = match cmd {
            Command::Up => sel.saturating_sub(1),
            Command::Down => (sel + 1).min(n.saturating_sub(1)),
            Command::PageUp => sel.saturating_sub(page),
            Command::PageDown => (sel + page).min(n.saturating_sub(1)),
            Command::Top => 0,
            Command::Bottom => n.saturating_sub(1),
            Command::Refresh => return Some(self.load_work()),
            Command::ToggleStep => return Some(self.mark_work_step()),
            Command::Open => return Some(self.open_work_item()),
            _ => return None,
        };
        self.work.offset =
            crate::tui::layout::scroll_to(self.work.offset, self.work.selected, page);
        Some(Vec::new())
    }

    fn mark_work_step(&mut self) -> Vec<Effect> {
        match self.work.selected_item() {
            Some(WorkItem::Step { step, .. }) => vec![Effect::MarkStep {
                ticket: step.ticket,
                step: step.id,
                done: !step.is_done(),
            }],
            _ => {
                self.info("status.not_a_step", &[]);
                Vec::new()
            }
        }
    }

    /// Enter: the ticket, or the ticket of a step when the member may see it.
    fn open_work_item(&mut self) -> Vec<Effect> {
        let (id, visible) = match self.work.selected_item() {
            Some(WorkItem::Ticket(t)) => (t.id, true),
            Some(WorkItem::Step { step, visible, .. }) => (step.ticket, *visible),
            None => return Vec::new(),
        };
        if !visible {
            self.info("status.step_only", &[("id", &id)]);
            return Vec::new();
        }
        self.prev_pane = Pane::Work;
        self.pane = Pane::Detail;
        if self.detail_id() != Some(id) {
            self.detail.scroll = 0;
        }
        vec![Effect::Background(Job::View(id))]
    }
}

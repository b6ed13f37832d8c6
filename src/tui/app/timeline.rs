//! The timeline pane (`6`): the list's tickets (its filter, sorted by due
//! date) as bars from creation to due date, each ticket's steps beneath it,
//! open milestones pinned above; today as a line. Pages through the list's
//! window like the list, so a desk of a million tickets scrolls as fast.
//! `<` `>` move the due date of the ticket or step under the cursor a day,
//! `H` `L` a week; `a` re-assigns it; `z` zooms days → weeks → months;
//! `h` `l` pan.

use chrono::{DateTime, Duration, Utc};
use std::collections::{HashMap, HashSet};

use super::overlay::{Menu, MenuKind, Overlay};
use super::{App, Pane};
use crate::domain::{MilestoneSummary, SortDir, SortKey, Subtask, SubtaskChanges, TimelineExtras};
use crate::tui::action::{Command, Effect, Job};

/// How much time one column of the chart spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Zoom {
    #[default]
    Days,
    Weeks,
    Months,
}

impl Zoom {
    pub fn days_per_column(self) -> i64 {
        match self {
            Zoom::Days => 1,
            Zoom::Weeks => 7,
            Zoom::Months => 30,
        }
    }

    fn next(self) -> Self {
        match self {
            Zoom::Days => Zoom::Weeks,
            Zoom::Weeks => Zoom::Months,
            Zoom::Months => Zoom::Days,
        }
    }

    /// Catalog key of its name.
    pub fn key(self) -> &'static str {
        match self {
            Zoom::Days => "timeline.days",
            Zoom::Weeks => "timeline.weeks",
            Zoom::Months => "timeline.months",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct TimelineState {
    pub zoom: Zoom,
    /// Columns the chart is moved from where it starts (negative: earlier).
    pub pan: i64,
    /// The cursor is on this step of the selected ticket (else the ticket).
    pub step: Option<usize>,
    /// Steps of the tickets read so far, by ticket.
    pub steps: HashMap<i64, Vec<Subtask>>,
    /// Open tickets blocking a ticket, by ticket.
    pub blocked_by: HashMap<i64, Vec<i64>>,
    /// Tickets whose steps and blockers have been read.
    answered: HashSet<i64>,
    /// The tickets of the last request (a newer request replaces an
    /// unanswered one on the worker, so each asks for all that is missing).
    asked: Vec<i64>,
    pub milestones: Vec<MilestoneSummary>,
    /// A ticket whose date the member just moved, and its new date: the
    /// cursor goes where it sorts now, once the list is read again.
    follow: Option<(i64, Option<DateTime<Utc>>)>,
    /// The ticket whose date is being moved, as last changed here (id,
    /// date, version): until the cursor moves on, presses go to it, not to
    /// whichever row the re-sorted list puts under the cursor meanwhile.
    editing: Option<(i64, Option<DateTime<Utc>>, i64)>,
    /// Steps whose date was moved here and not read back yet: a reading
    /// taken before the last press must not undo it on screen.
    pending: HashMap<i64, DateTime<Utc>>,
}

/// One line of the chart below the milestones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimelineLine {
    /// Row `i` of the list.
    Ticket(usize),
    /// Step `j` of row `i`.
    Step(usize, usize),
}

/// Where time falls on the chart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub start: DateTime<Utc>,
    pub days_per_column: i64,
    pub columns: usize,
}

impl Scale {
    /// The column of `t` (negative before the start; may pass the end).
    pub fn column(&self, t: DateTime<Utc>) -> i64 {
        let span = Duration::days(self.days_per_column).num_seconds();
        (t - self.start).num_seconds().div_euclid(span)
    }

    /// When column `c` begins.
    pub fn at(&self, c: i64) -> DateTime<Utc> {
        self.start + Duration::days(self.days_per_column * c)
    }
}

impl App {
    /// The chart's scale for `columns` columns: today a fifth of the way in
    /// (so what is late shows), moved by the pan; columns start at local
    /// midnight.
    pub fn timeline_scale(&self, columns: usize) -> Scale {
        let per = self.timeline.zoom.days_per_column();
        let lead = i64::try_from(columns / 5).unwrap_or(0) - self.timeline.pan;
        let local = self.now.with_timezone(&self.tz).date_naive();
        let midnight = local
            .and_hms_opt(0, 0, 0)
            .and_then(|d| d.and_local_timezone(self.tz).single())
            .map_or(self.now, |d| d.with_timezone(&Utc));
        Scale {
            start: midnight - Duration::days(per * lead),
            days_per_column: per,
            columns,
        }
    }

    /// The steps shown under row `i` (none until read).
    pub fn timeline_steps(&self, i: usize) -> &[Subtask] {
        self.list
            .row(i)
            .and_then(|r| self.timeline.steps.get(&r.id))
            .map_or(&[], Vec::as_slice)
    }

    /// Chart lines from the list's offset on, `height` of them, scrolled
    /// on so the cursor's line is among them.
    pub fn timeline_lines(&self, height: usize) -> Vec<TimelineLine> {
        let height = height.max(1);
        let mut first = self.list.offset.min(self.list.selected);
        loop {
            let lines = self.lines_from(first, height);
            let cursor = self.timeline_cursor();
            if first >= self.list.selected || lines.contains(&cursor) {
                return lines;
            }
            first += 1;
        }
    }

    fn lines_from(&self, first: usize, height: usize) -> Vec<TimelineLine> {
        let mut lines = Vec::with_capacity(height);
        let mut i = first;
        while lines.len() < height && i < self.list.len() && self.list.row(i).is_some() {
            lines.push(TimelineLine::Ticket(i));
            for j in 0..self.timeline_steps(i).len() {
                lines.push(TimelineLine::Step(i, j));
            }
            i += 1;
        }
        lines.truncate(height);
        lines
    }

    /// The line the cursor is on.
    pub fn timeline_cursor(&self) -> TimelineLine {
        match self.timeline.step {
            Some(j) if j < self.timeline_steps(self.list.selected).len() => {
                TimelineLine::Step(self.list.selected, j)
            }
            _ => TimelineLine::Ticket(self.list.selected),
        }
    }

    /// How many ticket and step lines the pane shows (as the view draws it:
    /// the list's rows less the scale, the milestones and the legend).
    pub fn timeline_height(&self) -> usize {
        let inner = crate::tui::layout::list_visible(self.size) + 1;
        let band = self.timeline_band(u16::try_from(inner).unwrap_or(u16::MAX));
        inner.saturating_sub(2 + band)
    }

    /// The milestones pinned above the tickets: those the filter names
    /// first, then by date.
    pub fn pinned_milestones(&self) -> Vec<&MilestoneSummary> {
        let named = |m: &MilestoneSummary| {
            self.filter.query.clauses.iter().any(|c| match c {
                crate::domain::Clause::Field {
                    field: crate::domain::Field::Milestone,
                    values,
                    negated: false,
                } => values.iter().any(|v| {
                    v.trim_start_matches('#') == m.milestone.id.to_string()
                        || v.eq_ignore_ascii_case(&m.milestone.name)
                }),
                _ => false,
            })
        };
        let mut list: Vec<&MilestoneSummary> = self.timeline.milestones.iter().collect();
        list.sort_by_key(|m| !named(m));
        list
    }

    /// How many open milestones are pinned above the tickets.
    pub fn timeline_band(&self, inner_height: u16) -> usize {
        let most = if inner_height >= 30 { 6 } else { 2 };
        self.timeline.milestones.len().min(most)
    }

    /// Opens the pane (or, pressed again, comes back to now): the list
    /// sorted by due date, the milestones read, the cursor on the first
    /// ticket due from now on — everything late is above it.
    pub(super) fn show_timeline(&mut self) -> Vec<Effect> {
        self.pane = Pane::Timeline;
        self.timeline.pan = 0;
        self.timeline.step = None;
        self.timeline.editing = None;
        let mut effects = vec![Effect::Background(Job::Milestones)];
        if (self.list.sort, self.list.dir) != (SortKey::Due, SortDir::Asc) {
            self.list.sort = SortKey::Due;
            self.list.dir = SortDir::Asc;
            effects.extend(self.load_list());
        }
        effects.push(self.locate(Some(self.now), None));
        effects
    }

    fn locate(&self, due: Option<DateTime<Utc>>, id: Option<i64>) -> Effect {
        Effect::Background(Job::Locate {
            generation: self.list.generation,
            query: self.filter.query.clone(),
            due,
            id,
        })
    }

    /// The cursor to row `index` of list `generation` (a ticket found, or today).
    pub(super) fn located(&mut self, generation: u64, index: usize) -> Vec<Effect> {
        if generation != self.list.generation || self.pane != Pane::Timeline {
            return Vec::new();
        }
        self.list.selected = match self.list.total {
            Some(_) => index.min(self.list.len().saturating_sub(1)),
            None => index,
        };
        self.list.offset = self.list.selected.saturating_sub(2);
        self.timeline.step = None;
        let mut effects = self.ensure_window();
        effects.extend(self.timeline_wants());
        effects
    }

    /// Steps and blockers of the tickets on screen not read yet.
    pub(super) fn timeline_wants(&mut self) -> Option<Effect> {
        if self.pane != Pane::Timeline {
            return None;
        }
        let visible = crate::tui::layout::list_visible(self.size);
        let first = self.list.offset.min(self.list.selected);
        let ids: Vec<i64> = (first..first + visible)
            .filter_map(|i| self.list.row(i).map(|r| r.id))
            .filter(|id| !self.timeline.answered.contains(id))
            .collect();
        if ids.is_empty() || ids == self.timeline.asked {
            return None;
        }
        self.timeline.asked = ids.clone();
        Some(Effect::Background(Job::Timeline(ids)))
    }

    pub(super) fn timeline_loaded(&mut self, extras: TimelineExtras) {
        for id in &extras.tickets {
            self.timeline.steps.remove(id);
            self.timeline.blocked_by.remove(id);
            self.timeline.answered.insert(*id);
        }
        self.timeline.asked.clear();
        for mut step in extras.steps {
            if let Some(&due) = self.timeline.pending.get(&step.id) {
                if step.due == Some(due) {
                    self.timeline.pending.remove(&step.id);
                } else {
                    step.due = Some(due);
                }
            }
            self.timeline
                .steps
                .entry(step.ticket)
                .or_default()
                .push(step);
        }
        for (blocked, blocker) in extras.blocked_by {
            self.timeline
                .blocked_by
                .entry(blocked)
                .or_default()
                .push(blocker);
        }
    }

    /// A write failed: what the screen showed ahead of the desk is read again.
    pub(super) fn timeline_failed(&mut self) {
        self.timeline.pending.clear();
        self.timeline.editing = None;
        self.timeline.answered.clear();
        self.timeline.asked.clear();
    }

    /// The desk changed: steps are read again as they come on screen.
    pub(super) fn timeline_changed(&mut self) -> Vec<Effect> {
        self.timeline.answered.clear();
        self.timeline.asked.clear();
        if self.pane != Pane::Timeline {
            return Vec::new();
        }
        let mut effects = vec![Effect::Background(Job::Milestones)];
        if let Some((id, due)) = self.timeline.follow.take() {
            effects.push(self.locate(due, Some(id)));
        }
        effects
    }

    /// Keys of the pane; `None` leaves the command to the rest of the app.
    pub(super) fn timeline_command(&mut self, cmd: Command) -> Option<Vec<Effect>> {
        let quarter = i64::try_from(usize::from(self.size.0) / 8)
            .unwrap_or(1)
            .max(1);
        if matches!(
            cmd,
            Command::Up
                | Command::Down
                | Command::PageUp
                | Command::PageDown
                | Command::Top
                | Command::Bottom
        ) {
            self.timeline.editing = None;
        }
        match cmd {
            Command::Up => self.timeline_up(),
            Command::Down => self.timeline_down(),
            Command::PageUp | Command::PageDown | Command::Top | Command::Bottom => {
                self.timeline.step = None;
                return None;
            }
            // Ten years either way is as far as a plan goes.
            Command::Left | Command::Right => {
                let most = 3650 / self.timeline.zoom.days_per_column();
                let by = if cmd == Command::Left {
                    -quarter
                } else {
                    quarter
                };
                self.timeline.pan = (self.timeline.pan + by).clamp(-most, most);
            }
            Command::Zoom => {
                self.timeline.zoom = self.timeline.zoom.next();
                self.timeline.pan = 0;
                let name = self.cat.t(self.timeline.zoom.key()).to_string();
                self.info("status.zoom", &[("zoom", &name)]);
            }
            Command::DueEarlier => return Some(self.shift_due(-1)),
            Command::DueLater => return Some(self.shift_due(1)),
            Command::DueEarlierWeek => return Some(self.shift_due(-7)),
            Command::DueLaterWeek => return Some(self.shift_due(7)),
            Command::Assign => return self.assign_step(),
            Command::ToggleTimer => {
                let step = self.cursor_step().map(|s| (s.ticket, s.id));
                let effect = match (step, self.list.selected_row()) {
                    (Some((id, step)), _) => Effect::ToggleTimer {
                        id,
                        step: Some(step),
                    },
                    (None, Some(row)) => Effect::ToggleTimer {
                        id: row.id,
                        step: None,
                    },
                    (None, None) => return Some(Vec::new()),
                };
                return Some(vec![effect]);
            }
            Command::Refresh => {
                self.timeline.answered.clear();
                self.timeline.asked.clear();
                return None;
            }
            _ => return None,
        }
        let mut effects = self.ensure_window();
        effects.extend(self.timeline_wants());
        Some(effects)
    }

    fn timeline_down(&mut self) {
        let steps = self.timeline_steps(self.list.selected).len();
        match self.timeline.step {
            None if steps > 0 => self.timeline.step = Some(0),
            Some(j) if j + 1 < steps => self.timeline.step = Some(j + 1),
            _ if self.list.selected + 1 < self.list.len() => {
                self.list.selected += 1;
                self.timeline.step = None;
            }
            _ => {}
        }
        self.fit_timeline();
    }

    fn timeline_up(&mut self) {
        match self.timeline.step {
            Some(0) => self.timeline.step = None,
            Some(j) => self.timeline.step = Some(j - 1),
            None if self.list.selected > 0 => {
                self.list.selected -= 1;
                let steps = self.timeline_steps(self.list.selected).len();
                self.timeline.step = steps.checked_sub(1);
            }
            None => {}
        }
        self.fit_timeline();
    }

    /// Scrolls the list so the cursor's line is on screen.
    pub(super) fn fit_timeline(&mut self) {
        let height = self.timeline_height();
        if self.list.selected < self.list.offset {
            self.list.offset = self.list.selected;
        }
        if let Some(TimelineLine::Ticket(i) | TimelineLine::Step(i, _)) =
            self.timeline_lines(height).first()
        {
            self.list.offset = *i;
        }
    }

    /// The step under the cursor, if it is on one.
    fn cursor_step(&self) -> Option<&Subtask> {
        match self.timeline_cursor() {
            TimelineLine::Step(i, j) => self.timeline_steps(i).get(j),
            TimelineLine::Ticket(_) => None,
        }
    }

    /// Moves the due date of the ticket or step under the cursor by `days`
    /// (from now, when it has none).
    /// Each press takes effect on screen at once (the date, and a ticket's
    /// version), so presses in quick succession add up rather than
    /// repeating the first or meeting their own change as a conflict.
    fn shift_due(&mut self, days: i64) -> Vec<Effect> {
        let by = Duration::days(days);
        let now = self.now;
        // Dates the desk reads back: year 1970 to 9999.
        let sane = |d: DateTime<Utc>| (1970..=9999).contains(&chrono::Datelike::year(&d));
        if let TimelineLine::Step(i, j) = self.timeline_cursor() {
            let ticket = self.list.row(i).map(|r| r.id);
            let Some(step) = ticket
                .and_then(|t| self.timeline.steps.get_mut(&t))
                .and_then(|steps| steps.get_mut(j))
            else {
                return Vec::new();
            };
            let due = step.due.unwrap_or(now) + by;
            if !sane(due) {
                return Vec::new();
            }
            step.due = Some(due);
            self.timeline.pending.insert(step.id, due);
            return vec![Effect::EditStep {
                ticket: step.ticket,
                step: step.id,
                changes: SubtaskChanges {
                    due: Some(Some(due)),
                    ..SubtaskChanges::default()
                },
            }];
        }
        let at = self.list.selected.wrapping_sub(self.list.window_start);
        let (id, was, version) = match self.timeline.editing {
            Some(editing) => editing,
            None => match self.list.rows.get(at) {
                Some(row) => (row.id, row.due_at, row.version),
                None => return Vec::new(),
            },
        };
        let due = was.unwrap_or(now) + by;
        if !sane(due) {
            return Vec::new();
        }
        if let Some(row) = self.list.rows.get_mut(at).filter(|r| r.id == id) {
            row.due_at = Some(due);
            row.version = version + 1;
        }
        self.timeline.editing = Some((id, Some(due), version + 1));
        self.timeline.follow = Some((id, Some(due)));
        vec![self.edit_effect(id, version, |c| c.due = Some(Some(due)))]
    }

    /// `a` on a step: pick its new owner (any team). On a ticket: `None`,
    /// so the usual assign menu opens.
    fn assign_step(&mut self) -> Option<Vec<Effect>> {
        let step = self.cursor_step()?.clone();
        let mut items = self.assignee_items();
        items.retain(|i| Some(&i.value) != step.assignee.as_ref());
        self.overlay = Some(Overlay::Menu(Menu {
            kind: MenuKind::StepAssign {
                ticket: step.ticket,
                step: step.id,
            },
            items,
            selected: 0,
        }));
        Some(Vec::new())
    }
}

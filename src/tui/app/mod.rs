//! All TUI state and its one transition function, [`App::update`], which does
//! no IO: it returns [`Effect`]s for the runner and gets results back as
//! [`Action`]s. Split by concern: panes (navigation), overlays (menus, forms,
//! editors), mouse.

mod children;
mod commands;
mod customer;
pub mod dashboard;
mod form;
mod inbox;
pub mod kb;
mod list;
mod menu;
mod mouse;
mod overlay;
mod palette;
mod panes;
mod presence;
mod prompt;
pub mod resolve;
mod results;
mod search;
mod select;
pub mod timeline;
mod triage;
mod views;
pub mod work;

use chrono::{DateTime, FixedOffset, Utc};
use std::collections::HashMap;

use super::action::{Action, Command, Effect, Job};
use super::keymap::Keymap;
use super::theme::Theme;
use crate::domain::{Column, GroupBy, ListRequest, Query, TicketDetail, TicketRow, User, View};
use crate::error::{Error, Remedy};
use crate::i18n::Catalog;
use crate::present::{AutomationLabels, state_label};
use crate::service::BoardColumn;
use crate::workflow::Workflow;

pub use form::{CUSTOMER_MATCHES, FieldKind, FormField, FormMode, TicketForm};
pub use list::{ListState, WINDOW};
pub use mouse::{header_me, header_me_short, tab_spans};
pub use overlay::{Menu, MenuItem, MenuKind, NoteKind, Overlay, Prompt, text_of};
pub use palette::{COMMANDS, fuzzy_score};
pub use panes::sort_field;
pub use search::{SEARCH_LIMIT, SearchPopup, SearchState};
pub use select::Selection;
pub use views::{group_key, group_label, view_name};

/// Most cards loaded per kanban column.
pub const BOARD_LIMIT: usize = 200;

/// The three panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    List,
    Board,
    Detail,
    /// One ticket at a time (not a tab; entered with `t`).
    Triage,
    /// The knowledge base (`4`).
    Kb,
    /// Figures for a period (`5`).
    Dashboard,
    /// Tickets, steps and milestones on a time scale (`6`).
    Timeline,
    /// The member's own tickets and steps by date (`7`).
    Work,
}

#[derive(Debug, Clone, Default)]
pub struct BoardState {
    pub columns: Vec<BoardColumn>,
    /// Bumped per request; older boards are dropped.
    pub generation: u64,
    /// A board has arrived.
    pub loaded: bool,
    pub col: usize,
    pub row: usize,
    pub first_col: usize,
}

#[derive(Debug, Clone, Default)]
pub struct DetailState {
    pub ticket: Option<TicketDetail>,
    pub scroll: u16,
    /// The SLA clocks of a ticket, by number.
    pub clocks: Option<(i64, crate::service::SlaClocks)>,
    /// Possible duplicates of a ticket, by number.
    pub similar: Option<(i64, Vec<TicketRow>)>,
    /// A ticket's attachments and the mail state of its replies, by number.
    pub mail: Option<(i64, crate::tui::action::MailInfo)>,
    /// Knowledge-base articles suggested for a ticket, by number.
    pub suggestions: Option<(i64, Vec<crate::service::KbHit>)>,
    /// A ticket's subtasks, by number.
    pub subtasks: Option<(i64, Vec<crate::domain::Subtask>)>,
    /// A ticket's links, by number.
    pub links: Option<(i64, crate::domain::Links)>,
    /// The ticket last asked for: an answer for any other is stale.
    pub wanted: Option<i64>,
    /// A ticket whose reading failed (the status line says why).
    pub failed: Option<i64>,
}

/// The message line at the bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// The applied filter: what the user typed and how it parsed.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub text: String,
    pub query: Query,
}

/// The whole TUI state.
pub struct App {
    pub cat: Catalog,
    pub workflow: Workflow,
    /// The desk's automations' names per language, for the history.
    pub automations: AutomationLabels,
    pub me: User,
    pub users: Vec<User>,
    pub keymap: Keymap,
    pub theme: Theme,
    pub now: DateTime<Utc>,
    pub tz: FixedOffset,
    pub size: (u16, u16),
    pub pane: Pane,
    pub prev_pane: Pane,
    pub list: ListState,
    pub board: BoardState,
    pub detail: DetailState,
    pub kb: kb::KbState,
    pub dashboard: dashboard::DashboardState,
    pub timeline: timeline::TimelineState,
    pub work: work::WorkState,
    pub filter: Filter,
    /// The list's columns (from the view, or the default set).
    pub columns: Vec<Column>,
    /// The list's grouping, if any.
    pub group: Option<GroupBy>,
    /// Every view the member can pick, and the one in use.
    pub views: Vec<View>,
    pub view: Option<View>,
    pub selection: Selection,
    pub overlay: Option<Overlay>,
    pub status: Option<Status>,
    /// Unsent comment text per ticket, kept when the editor closes.
    pub drafts: HashMap<(i64, bool), String>,
    /// Files to send with the reply being written, per ticket (paths as typed).
    pub reply_files: HashMap<i64, Vec<String>>,
    /// The ticket last requested for the wide list's preview.
    preview_requested: Option<i64>,
    /// Search queries sent so far; numbers each one so stale answers are dropped.
    searches: u64,
    /// Unread notifications.
    pub unread: i64,
    /// The member's running timer, shown in the header.
    pub timer: Option<crate::domain::TimeEntry>,
    /// Heartbeats sent and who else is on the open ticket.
    pub presence: presence::PresenceState,
    /// The list generation whose first rows close the filter overlay (the
    /// answer to the filter typed there, not a refresh that came meanwhile).
    filter_answer: Option<u64>,
    pub quit: bool,
}

/// What the app knows about the ticket under the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selected {
    pub id: i64,
    pub status: String,
    pub version: i64,
    pub accepted: bool,
}

/// What a new [`App`] is built from.
pub struct AppInit {
    pub cat: Catalog,
    pub workflow: Workflow,
    pub automations: AutomationLabels,
    pub me: User,
    pub theme: Theme,
    pub keymap: Keymap,
    pub now: DateTime<Utc>,
    pub tz: FixedOffset,
    pub size: (u16, u16),
}

impl App {
    /// An error as this screen words it: state labels and keys, not flags.
    pub(super) fn describe(&self, err: &Error) -> String {
        let accept = self.keymap.first_key(self.pane, Command::Accept);
        let assign = self.keymap.first_key(self.pane, Command::Assign);
        let (wf, cat) = (&self.workflow, &self.cat);
        let remedy = Remedy::Keys {
            assign: &assign,
            accept: &accept,
        };
        err.describe_for(cat, &|id| state_label(wf, cat, id), remedy)
    }

    /// A new app and the loads it needs first.
    pub fn new(init: AppInit) -> (Self, Vec<Effect>) {
        let app = Self {
            cat: init.cat,
            workflow: init.workflow,
            automations: init.automations,
            me: init.me,
            users: Vec::new(),
            keymap: init.keymap,
            theme: init.theme,
            now: init.now,
            tz: init.tz,
            size: init.size,
            pane: Pane::List,
            prev_pane: Pane::List,
            list: ListState::default(),
            board: BoardState::default(),
            kb: kb::KbState::default(),
            dashboard: dashboard::DashboardState::default(),
            timeline: timeline::TimelineState::default(),
            work: work::WorkState::default(),
            detail: DetailState::default(),
            filter: Filter::default(),
            columns: Column::DEFAULT.to_vec(),
            group: None,
            views: Vec::new(),
            view: None,
            selection: Selection::default(),
            overlay: None,
            status: None,
            drafts: HashMap::new(),
            reply_files: HashMap::new(),
            preview_requested: None,
            searches: 0,
            filter_answer: None,
            presence: Default::default(),
            unread: 0,
            timer: None,
            quit: false,
        };
        let mut app = app;
        let mut effects = app.load_list();
        effects.push(app.load_board());
        effects.push(Effect::LoadUsers);
        effects.push(Effect::LoadViews);
        effects.push(Effect::LoadUnread);
        effects.push(Effect::LoadTimer);
        effects.push(Effect::LoadDrafts);
        (app, effects)
    }

    /// The one state transition.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let mut effects = self.apply(action);
        effects.extend(self.preview());
        effects.extend(self.timeline_wants());
        effects.extend(self.beat());
        // The last ticket asked for is the one the detail pane shows.
        if let Some(id) = effects.iter().rev().find_map(|e| match e {
            Effect::Background(Job::View(id)) => Some(*id),
            _ => None,
        }) {
            self.detail.wanted = Some(id);
        }
        effects
    }

    /// On wide screens the list shows the selected ticket beside it: load it.
    fn preview(&mut self) -> Option<Effect> {
        let [_, body, _] =
            super::layout::frame(ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1));
        if self.pane != Pane::List || super::layout::list_split(body).1.is_none() {
            return None;
        }
        let id = self.list.selected_row()?.id;
        if self.detail_id() == Some(id) || self.preview_requested == Some(id) {
            return None;
        }
        self.preview_requested = Some(id);
        Some(Effect::Background(Job::View(id)))
    }

    fn apply(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Key(key) => {
                if self.overlay.is_some() {
                    return self.overlay_key(key);
                }
                match self.keymap.lookup(self.pane, &key) {
                    Some(cmd) => {
                        self.status = None;
                        self.command(cmd)
                    }
                    None => Vec::new(),
                }
            }
            Action::Mouse(ev) => self.mouse(ev),
            Action::Paste(text) => self.paste(&text),
            Action::CustomersFound { generation, found } => {
                if let Some(Overlay::Form(form)) = &mut self.overlay {
                    form.customers_found(generation, found);
                }
                Vec::new()
            }
            Action::SearchLoaded { generation, hits } => {
                self.search_loaded(generation, Ok(hits));
                Vec::new()
            }
            Action::SearchFailed { generation, error } => {
                self.search_loaded(generation, Err(error));
                Vec::new()
            }
            Action::EditorDone(text) => self.editor_done(&text),
            Action::CustomerEdited(profile) => {
                let id = profile.customer.id;
                self.customer_loaded(*profile);
                self.info("cli.customer_edited", &[("id", &id)]);
                Vec::new()
            }
            Action::Resize(w, h) => {
                self.size = (w, h);
                self.clamp();
                Vec::new()
            }
            Action::Tick(now) => {
                self.now = now;
                Vec::new()
            }
            Action::CustomerLoaded(profile) => {
                match profile {
                    Some(p) => self.customer_loaded(*p),
                    None => self.info("customer.none", &[]),
                }
                Vec::new()
            }
            Action::QueuesLoaded(rows) => {
                self.queues_loaded(rows);
                Vec::new()
            }
            Action::InboxLoaded(notices) => {
                self.inbox_loaded(notices);
                vec![Effect::LoadUnread]
            }
            // Steps taken reach inboxes; ours may have grown.
            Action::Swept(n) => {
                if n > 0 {
                    vec![Effect::LoadUnread]
                } else {
                    Vec::new()
                }
            }
            Action::Mailed(sent) => {
                if sent.failed > 0 {
                    self.status = Some(Status {
                        text: self.cat.f("status.mail_failed", &[("count", &sent.failed)]),
                        error: true,
                    });
                }
                Vec::new()
            }
            Action::Delivered(done) => {
                if done.failed > 0 {
                    self.status = Some(Status {
                        text: self.cat.f("status.hook_failed", &[("count", &done.failed)]),
                        error: true,
                    });
                }
                Vec::new()
            }
            Action::Unread(n) => {
                self.unread = n;
                Vec::new()
            }
            Action::Timer { running, said } => {
                self.timer = running;
                if let Some((key, e)) = said {
                    let spent = crate::domain::minutes_text(e.spent(self.now));
                    let text = self.cat.f(key, &[("id", &e.ticket), ("spent", &spent)]);
                    self.status = Some(Status { text, error: false });
                }
                Vec::new()
            }
            Action::Watching { id, on } => {
                let key = if on {
                    "status.watching"
                } else {
                    "status.unwatched"
                };
                self.status = Some(Status {
                    text: self.cat.f(key, &[("id", &id)]),
                    error: false,
                });
                Vec::new()
            }
            Action::ViewersLoaded { ticket, viewers } => {
                self.viewers_loaded(ticket, viewers);
                Vec::new()
            }
            Action::DeskChanged => {
                let mut effects = self.reload(self.shown_ticket());
                effects.extend(self.dashboard_changed());
                effects.push(Effect::LoadUsers);
                effects.push(Effect::LoadUnread);
                // A timer started or stopped elsewhere (the command line).
                effects.push(Effect::LoadTimer);
                effects
            }
            Action::WindowLoaded {
                generation,
                start,
                asked,
                rows,
            } => {
                if self.list.accept(generation, start, rows, asked) {
                    if matches!(self.overlay, Some(Overlay::Filter { .. }))
                        && self.filter_answer == Some(generation)
                    {
                        self.overlay = None;
                    }
                    self.clamp();
                }
                self.ensure_window()
            }
            Action::Counted { generation, total } => {
                if generation == self.list.generation {
                    self.list.total = Some(total);
                    self.clamp();
                }
                self.ensure_window()
            }
            Action::BoardLoaded {
                generation,
                columns,
            } => {
                if generation == self.board.generation {
                    self.board.columns = columns;
                    self.board.loaded = true;
                    self.clamp();
                }
                Vec::new()
            }
            Action::AttachmentsLoaded { id, list } => {
                self.attachments_loaded(id, list);
                Vec::new()
            }
            Action::AttachmentOpened(id) => {
                self.info("attachment.opened", &[("id", &id)]);
                Vec::new()
            }
            Action::RepliesLoaded { id, replies } => {
                self.replies_loaded(id, replies);
                Vec::new()
            }
            Action::ReplyFilled { id, text } => {
                self.reply_filled(id, &text);
                Vec::new()
            }
            Action::DraftsLoaded(drafts) => {
                // What was typed in this session wins over what was kept.
                for (id, internal, body) in drafts {
                    self.drafts.entry((id, internal)).or_insert(body);
                }
                Vec::new()
            }
            Action::DashboardLoaded { generation, report } => {
                self.dashboard_loaded(generation, Some(report))
            }
            Action::DashboardFailed { generation, error } => {
                let mut effects = self.dashboard_loaded(generation, None);
                if generation == self.dashboard.generation {
                    effects.extend(self.failed(error));
                }
                effects
            }
            Action::KbLoaded { generation, hits } => {
                self.kb_loaded(generation, hits);
                Vec::new()
            }
            Action::ArticleDrafted(text) => self.article_drafted(text),
            // The ticket's version moved: read it again.
            Action::ArticleLinked => self.reload(self.shown_ticket()),
            Action::ArticleSaved { slug, lang } => self.article_saved(&slug, &lang),
            Action::ViewLoaded(view) => {
                self.view_loaded(*view);
                Vec::new()
            }
            Action::ViewFailed { id, error } => {
                // A ticket the cursor has left meanwhile says nothing.
                if self.detail.wanted == Some(id) {
                    self.detail.failed = Some(id);
                    return self.apply(Action::Failed(error));
                }
                Vec::new()
            }
            Action::UsersLoaded(users) => {
                // A role or team changed by an admin shows at once.
                if let Some(me) = users.iter().find(|u| u.login == self.me.login) {
                    self.me = me.clone();
                }
                self.users = users;
                Vec::new()
            }
            Action::ViewsLoaded(views) => {
                self.views = views;
                Vec::new()
            }
            Action::BulkDone(out) => self.bulk_done(*out),
            Action::Undone(out) => self.undone(*out),
            Action::ChangesLoaded(changes) => {
                self.changes_loaded(changes);
                Vec::new()
            }
            Action::ViewCounts { generation, counts } => {
                self.view_counts(generation, counts);
                Vec::new()
            }
            Action::Saved { id, kind } => self.saved(id, kind),
            Action::ChildrenOpen {
                parent,
                to,
                opts,
                count,
            } => {
                self.offer_children(parent, to, opts, count);
                Vec::new()
            }
            Action::ChildrenMoved { parent, outcome } => self.children_moved(parent, *outcome),
            Action::TimelineLoaded(extras) => {
                self.timeline_loaded(extras);
                Vec::new()
            }
            Action::MilestonesLoaded(list) => {
                self.timeline.milestones = list;
                Vec::new()
            }
            Action::Located { generation, index } => self.located(generation, index),
            Action::WorkLoaded { generation, items } => {
                self.work_loaded(generation, items);
                Vec::new()
            }
            Action::Failed(err) => self.failed(err),
        }
    }

    /// A window of the list starting at row `start`.
    fn window(&self, start: usize) -> Effect {
        Effect::Background(Job::Window {
            generation: self.list.generation,
            request: ListRequest {
                query: self.filter.query.clone(),
                sort: self.list.sort,
                dir: self.list.dir,
                limit: WINDOW,
                offset: start,
                group: self.group,
                backwards: false,
            },
            total: self.list.total,
        })
    }

    /// Starts the list over for the current filter and sort: first window
    /// now, the count in the background.
    pub fn load_list(&mut self) -> Vec<Effect> {
        let generation = self.list.restart();
        let mut effects = self.ensure_window();
        effects.push(Effect::Background(Job::Count {
            generation,
            query: self.filter.query.clone(),
        }));
        effects
    }

    /// Loads the window the screen needs, if it is not in memory yet.
    pub(super) fn ensure_window(&mut self) -> Vec<Effect> {
        let visible = super::layout::list_visible(self.size);
        match self.list.window_needed(visible) {
            Some(start) => vec![self.window(start)],
            None => Vec::new(),
        }
    }

    /// Asks for the board in the background.
    pub(super) fn load_board(&mut self) -> Effect {
        self.board.generation += 1;
        Effect::Background(Job::Board {
            generation: self.board.generation,
            query: self.filter.query.clone(),
        })
    }

    /// Reloads everything that shows tickets, keeping the cursor where it is.
    fn reload(&mut self, detail: Option<i64>) -> Vec<Effect> {
        let (generation, start) = self.list.refresh();
        let mut effects = vec![
            self.window(start),
            Effect::Background(Job::Count {
                generation,
                query: self.filter.query.clone(),
            }),
            self.load_board(),
        ];
        if let Some(id) = detail {
            effects.push(Effect::Background(Job::View(id)));
        }
        effects.extend(self.timeline_changed());
        effects.extend(self.work_changed());
        effects
    }

    /// The reply or note being typed right now, if its editor is open:
    /// (ticket, internal note?, text) — kept as a draft when the TUI has
    /// to stop (a hang-up).
    pub fn open_draft(&self) -> Option<(i64, bool, String)> {
        match &self.overlay {
            Some(Overlay::Comment {
                id,
                internal,
                input,
            }) => Some((*id, *internal, super::app::overlay::text_of(input)))
                .filter(|(_, _, t)| !t.trim().is_empty()),
            _ => None,
        }
    }

    /// Whether the member has a draft reply (or `internal` note) on `id`.
    pub fn has_draft(&self, id: i64, internal: bool) -> bool {
        self.drafts
            .get(&(id, internal))
            .is_some_and(|d| !d.trim().is_empty())
    }

    /// Whether the detail pane waits for the ticket it asked for.
    /// The dashboard is showing and its figures are being worked out.
    pub fn dashboard_waiting(&self) -> bool {
        self.pane == Pane::Dashboard && self.dashboard.loading
    }

    pub fn detail_waiting(&self) -> bool {
        self.detail.wanted.is_some()
            && self.detail.wanted != self.detail_id()
            && self.detail.failed != self.detail.wanted
    }

    /// The ticket the detail pane is for: the one asked for last, else
    /// the one it holds (a reload must not bring back a ticket the cursor
    /// has moved on from before its answer came).
    pub fn shown_ticket(&self) -> Option<i64> {
        self.detail.wanted.or(self.detail_id())
    }

    pub fn detail_id(&self) -> Option<i64> {
        self.detail.ticket.as_ref().map(|d| d.ticket.id)
    }

    /// The ticket the cursor is on in the current pane.
    pub fn selected(&self) -> Option<Selected> {
        let from_row = |r: &TicketRow| Selected {
            id: r.id,
            status: r.status.clone(),
            version: r.version,
            accepted: r.accepted,
        };
        match self.pane {
            Pane::List | Pane::Triage | Pane::Timeline => self.list.selected_row().map(from_row),
            Pane::Work => self.work.selected_ticket().map(from_row),
            Pane::Board => self
                .board
                .columns
                .get(self.board.col)
                .and_then(|c| c.rows.get(self.board.row))
                .map(from_row),
            Pane::Kb | Pane::Dashboard => None,
            // What the pane shows: the ticket asked for last — from its
            // list row until it arrives — never the one before it.
            Pane::Detail => match self.detail.ticket.as_ref() {
                Some(d) if self.detail.wanted.is_none_or(|w| w == d.ticket.id) => Some(Selected {
                    id: d.ticket.id,
                    status: d.ticket.status.clone(),
                    version: d.ticket.version,
                    accepted: d.ticket.accepted_at.is_some(),
                }),
                _ => self
                    .list
                    .selected_row()
                    .filter(|r| self.detail.wanted == Some(r.id))
                    .map(from_row),
            },
        }
    }

    /// Keeps cursors inside what is loaded and on screen.
    fn clamp(&mut self) {
        let visible = super::layout::list_visible(self.size);
        self.list.clamp(visible);
        // Group headers take lines too: scroll on until the cursor fits.
        if self.group.is_some() {
            while self.list.offset < self.list.selected && self.lines_to_cursor() > visible {
                self.list.offset += 1;
            }
        }
        let cols = self.board.columns.len();
        self.board.col = self.board.col.min(cols.saturating_sub(1));
        let rows = self
            .board
            .columns
            .get(self.board.col)
            .map(|c| c.rows.len())
            .unwrap_or(0);
        self.board.row = self.board.row.min(rows.saturating_sub(1));
        let visible = super::layout::board_visible_columns(self.size.0, cols);
        self.board.first_col =
            super::layout::scroll_to(self.board.first_col, self.board.col, visible);
    }

    /// Screen lines from the top row to the cursor, group headers included.
    fn lines_to_cursor(&self) -> usize {
        let (top, cursor) = (self.list.offset, self.list.selected);
        let mut lines = 0;
        for i in top..=cursor {
            let starts = match (
                i.checked_sub(1).and_then(|p| self.list.row(p)),
                self.list.row(i),
            ) {
                (Some(prev), Some(r)) => group_key(self, prev) != group_key(self, r),
                _ => true,
            };
            lines += 1 + usize::from(starts);
        }
        lines
    }

    /// Shows a localized message.
    fn info(&mut self, key: &str, args: &[(&str, &dyn std::fmt::Display)]) {
        self.status = Some(Status {
            text: self.cat.f(key, args),
            error: false,
        });
    }

    fn error(&mut self, key: &str) {
        self.error_text(self.cat.t(key).to_string());
    }

    fn error_text(&mut self, text: String) {
        self.status = Some(Status { text, error: true });
    }
}

#[cfg(test)]
mod tests;

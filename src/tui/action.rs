//! The TUI's vocabulary: what can happen ([`Action`]), what a key can mean
//! ([`Command`], nameable in a keymap), and what the app asks the runner to do
//! ([`Effect`]). All plain data.

use crossterm::event::{KeyEvent, MouseEvent};

use crate::domain::{
    ChangeRecord, ListRequest, NewTicket, Query, TicketChanges, TicketDetail, TicketRow, User, View,
};
use crate::error::Error;
use crate::service::{BoardColumn, BulkAction, BulkOutcome, MoveOptions, Targets, UndoOutcome};

/// Something that happened: input from the terminal or a result from the runner.
#[derive(Debug, Clone)]
pub enum Action {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Paste(String),
    Resize(u16, u16),
    /// Time passed; carries the current time for ages.
    Tick(chrono::DateTime<chrono::Utc>),
    /// Rows `start..` of the list for `generation`; `asked` rows were requested.
    WindowLoaded {
        generation: u64,
        start: usize,
        asked: usize,
        rows: Vec<TicketRow>,
    },
    /// The number of tickets the list's query matches.
    Counted {
        generation: u64,
        total: i64,
    },
    BoardLoaded {
        generation: u64,
        columns: Vec<BoardColumn>,
    },
    DetailLoaded(Box<TicketDetail>),
    UsersLoaded(Vec<User>),
    ViewsLoaded(Vec<View>),
    /// A bulk action finished.
    BulkDone(Box<BulkOutcome>),
    /// An undo finished.
    Undone(Box<UndoOutcome>),
    /// The member's recent changes, for the undo list.
    ChangesLoaded(Vec<ChangeRecord>),
    /// Ticket counts of the views in the view menu, in menu order.
    ViewCounts {
        generation: u64,
        counts: Vec<i64>,
    },
    /// A write succeeded; `key` is the catalog key of the message.
    Saved {
        id: i64,
        key: &'static str,
    },
    /// A load or write failed.
    Failed(Error),
}

/// What a key press means; the keymap maps keys to these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    Quit,
    Back,
    NextPane,
    ShowList,
    ShowBoard,
    ShowDetail,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Filter,
    NewTicket,
    Comment,
    Assign,
    Move,
    MovePrev,
    MoveNext,
    Edit,
    Accept,
    SortNext,
    SortReverse,
    Refresh,
    Help,
    /// Pick a saved or built-in view.
    Views,
    /// Cycle the list's grouping: none, state, priority, assignee, team.
    Group,
    /// Select or unselect the ticket under the cursor.
    ToggleSelect,
    /// Start or end selecting a range with the cursor.
    RangeSelect,
    /// Select every ticket the filter matches.
    SelectAll,
    /// Add a tag (to the selection, or the ticket under the cursor).
    AddTag,
    /// Remove a tag.
    RemoveTag,
    /// Set the priority.
    SetPriority,
    /// Undo your last change.
    Undo,
    /// Pick one of your recent changes to undo.
    UndoList,
    /// One ticket at a time: take, assign, prioritise, categorise, skip.
    Triage,
    /// Run any command by name.
    Palette,
    /// Triage: take the ticket (assign it to me).
    Take,
    /// Triage: priority P0 … P3.
    Priority0,
    Priority1,
    Priority2,
    Priority3,
    /// Triage: next ticket type.
    CycleType,
    /// Triage: set the category.
    SetCategory,
    /// Triage: mark as spam (tag it and close it with that reason).
    Spam,
    /// Triage: on to the next ticket.
    Skip,
    /// Triage: back to the previous ticket.
    Previous,
    /// Ctrl+Z: hand the terminal back to the shell.
    Suspend,
}

/// Work that may take long at a million tickets: runs off the input path on
/// the worker thread when there is one.
#[derive(Debug, Clone)]
pub enum Job {
    Count {
        generation: u64,
        query: Query,
    },
    Board {
        generation: u64,
        query: Query,
    },
    /// Counts for the view menu.
    ViewCounts {
        generation: u64,
        queries: Vec<Query>,
    },
    /// A bulk action over many tickets.
    Bulk {
        targets: Targets,
        action: BulkAction,
    },
}

/// Work for the runner; results come back as actions.
#[derive(Debug, Clone)]
pub enum Effect {
    /// A window of the list (quick: indexed, one page).
    LoadWindow {
        generation: u64,
        request: ListRequest,
        total: Option<i64>,
    },
    Background(Job),
    LoadDetail(i64),
    LoadUsers,
    LoadViews,
    LoadChanges,
    Undo(Option<i64>),
    Create(Box<NewTicket>),
    Move {
        id: i64,
        to: String,
        opts: MoveOptions,
    },
    Assign {
        id: i64,
        login: Option<String>,
        version: i64,
    },
    Comment {
        id: i64,
        body: String,
        internal: bool,
    },
    Edit {
        id: i64,
        changes: Box<TicketChanges>,
        version: i64,
    },
    Accept {
        id: i64,
        version: i64,
    },
    Suspend,
    Quit,
}

//! The TUI's vocabulary: what can happen ([`Action`]), what a key can mean
//! ([`Command`], nameable in a keymap), and what the app asks the runner to do
//! ([`Effect`]). All plain data.

use crossterm::event::{KeyEvent, MouseEvent};

use crate::domain::{ListRequest, NewTicket, Query, TicketChanges, TicketDetail, User};
use crate::error::Error;
use crate::service::{BoardColumn, ListPage, MoveOptions};

/// Something that happened: input from the terminal or a result from the runner.
#[derive(Debug, Clone)]
pub enum Action {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Paste(String),
    Resize(u16, u16),
    /// Time passed; carries the current time for ages.
    Tick(chrono::DateTime<chrono::Utc>),
    ListLoaded(ListPage),
    BoardLoaded(Vec<BoardColumn>),
    DetailLoaded(Box<TicketDetail>),
    UsersLoaded(Vec<User>),
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
    /// Ctrl+Z: hand the terminal back to the shell.
    Suspend,
}

/// Work for the runner; results come back as actions.
#[derive(Debug, Clone)]
pub enum Effect {
    LoadList(ListRequest),
    LoadBoard(Query),
    LoadDetail(i64),
    LoadUsers,
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

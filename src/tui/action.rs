//! The TUI's vocabulary: what can happen ([`Action`]), what a key can mean
//! ([`Command`], nameable in a keymap), and what the app asks the runner to do
//! ([`Effect`]). All plain data.

use crossterm::event::{KeyEvent, MouseEvent};

use crate::domain::{
    ChangeRecord, ListRequest, NewTicket, Query, TicketChanges, TicketRow, User, View,
};
use crate::error::Error;
use crate::service::{
    BoardColumn, BulkAction, BulkOutcome, MoveOptions, SearchHit, Targets, UndoOutcome,
};

/// Something that happened: input from the terminal or a result from the runner.
#[derive(Debug, Clone)]
pub enum Action {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Paste(String),
    Resize(u16, u16),
    /// Time passed; carries the current time for ages.
    Tick(chrono::DateTime<chrono::Utc>),
    /// The canned replies (name, first line, the variables left unfilled)
    /// to pick from for ticket `id`.
    RepliesLoaded {
        id: i64,
        replies: Vec<(String, String, Vec<String>)>,
    },
    /// Ticket `id`'s attachments, to pick one to open.
    AttachmentsLoaded {
        id: i64,
        list: Vec<crate::domain::Attachment>,
    },
    /// Attachment `id` went to the system's viewer.
    AttachmentOpened(i64),
    /// A canned reply filled in for ticket `id`.
    ReplyFilled {
        id: i64,
        text: String,
    },
    /// The customer of a ticket, if it has one.
    CustomerLoaded(Option<Box<crate::service::CustomerProfile>>),
    /// Open tickets per (team, agent).
    QueuesLoaded(Vec<(String, Option<String>, i64)>),
    /// The member's notifications, newest first.
    InboxLoaded(Vec<crate::domain::Notification>),
    /// How many notifications are unread.
    Unread(i64),
    /// The member's running timer (after a load or a toggle); `said`:
    /// what the toggle did (a catalog key and the stretch), for the status line.
    Timer {
        running: Option<crate::domain::TimeEntry>,
        said: Option<(&'static str, crate::domain::TimeEntry)>,
    },
    /// An escalation sweep took this many steps.
    Swept(usize),
    /// A mail run ended.
    Mailed(crate::mailer::Sent),
    /// A notify-hook run ended.
    Delivered(crate::hook::Delivery),
    /// Watching `id` is now `on`.
    Watching {
        id: i64,
        on: bool,
    },
    /// Who else is on `ticket` right now.
    ViewersLoaded {
        ticket: i64,
        viewers: Vec<crate::service::Viewer>,
    },
    /// Someone else changed the desk: reload what is on screen, keeping the
    /// cursor on its ticket, the selection and anything half-typed.
    DeskChanged,
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
    /// A customer was changed; here is how they are now.
    CustomerEdited(Box<crate::service::CustomerProfile>),
    /// The member's kept drafts: (ticket, text).
    DraftsLoaded(Vec<(i64, bool, String)>),
    /// Everything the detail pane shows of a ticket (dropped when the
    /// cursor has left it meanwhile).
    ViewLoaded(Box<crate::service::TicketView>),
    /// Reading ticket `id` for the detail pane failed.
    ViewFailed {
        id: i64,
        error: crate::Error,
    },
    UsersLoaded(Vec<User>),
    ViewsLoaded(Vec<View>),
    /// A bulk action finished.
    BulkDone(Box<BulkOutcome>),
    /// The external editor returned this text.
    EditorDone(String),
    /// An undo finished.
    Undone(Box<UndoOutcome>),
    /// The member's recent changes, for the undo list.
    ChangesLoaded(Vec<ChangeRecord>),
    /// Ticket counts of the views in the view menu, in menu order.
    ViewCounts {
        generation: u64,
        counts: Vec<i64>,
    },
    /// A write to ticket `id` succeeded.
    Saved {
        id: i64,
        kind: SavedKind,
    },
    /// Customers matching what the form's customer field held at `generation`.
    CustomersFound {
        generation: u64,
        found: Vec<crate::domain::Customer>,
    },
    /// Search results for the popup's query `generation`.
    SearchLoaded {
        generation: u64,
        hits: Vec<SearchHit>,
    },
    /// The popup's query `generation` could not run (an unknown status, …).
    SearchFailed {
        generation: u64,
        error: Error,
    },
    /// The dashboard's figures for its request `generation`.
    DashboardLoaded {
        generation: u64,
        report: Box<crate::service::DeskReport>,
    },
    DashboardFailed {
        generation: u64,
        error: Error,
    },
    /// Knowledge-base articles for the pane's search `generation`.
    KbLoaded {
        generation: u64,
        hits: Vec<crate::service::KbHit>,
    },
    /// A new article's file text, to open in the editor.
    ArticleDrafted(String),
    /// A ticket now records the article put into its reply.
    ArticleLinked,
    /// An article was saved.
    ArticleSaved {
        slug: String,
        lang: String,
    },
    /// Parent `parent` was solved (moved to `to` with `opts`) and has
    /// `count` open child tickets: offer to move them too.
    ChildrenOpen {
        parent: i64,
        to: String,
        opts: MoveOptions,
        count: usize,
    },
    /// What moving a parent's children did.
    ChildrenMoved {
        parent: i64,
        outcome: Box<crate::service::ChildrenOutcome>,
    },
    /// Steps and blockers of tickets on the timeline.
    TimelineLoaded(crate::domain::TimelineExtras),
    /// Open milestones with their progress.
    MilestonesLoaded(Vec<crate::domain::MilestoneSummary>),
    /// The row a [`Job::Locate`] found for list `generation`.
    Located {
        generation: u64,
        index: usize,
    },
    /// The member's own queue for request `generation`.
    WorkLoaded {
        generation: u64,
        items: Vec<crate::domain::WorkItem>,
    },
    /// A load or write failed.
    Failed(Error),
}

/// A ticket's files and the mail state of its replies.
#[derive(Debug, Clone, Default)]
pub struct MailInfo {
    pub attachments: Vec<crate::domain::Attachment>,
    pub outgoing: Vec<crate::domain::OutgoingMail>,
    /// Whether the desk can send mail at all.
    pub ready: bool,
}

/// Which write succeeded: what the status line says, and what follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SavedKind {
    Created,
    Moved,
    Assigned,
    Unassigned,
    /// An internal note.
    Noted,
    /// A reply that does not go by mail.
    Commented,
    /// A reply queued for the desk's mail sender.
    ReplyQueued,
    /// A reply kept in the queue because mail is not set up.
    ReplyWaiting,
    /// A reply on a mail ticket whose customer has no address: not sent.
    ReplyNoAddress,
    Edited,
    Accepted,
    /// A good verdict closed the ticket.
    VerdictClosed,
    /// A verdict recorded for the agent to follow up (a 3).
    VerdictRecorded,
    /// A bad verdict reopened the ticket to a senior member.
    VerdictReopened,
    Merged,
    StepAdded,
    StepDone,
    StepReopened,
    StepEdited,
}

impl SavedKind {
    /// The catalog key of its status message.
    pub fn key(self) -> &'static str {
        match self {
            SavedKind::Created => "status.created",
            SavedKind::Moved => "status.moved",
            SavedKind::Assigned => "status.assigned",
            SavedKind::Unassigned => "status.unassigned",
            SavedKind::Noted | SavedKind::Commented => "status.commented",
            SavedKind::ReplyQueued => "status.reply_queued",
            SavedKind::ReplyWaiting => "status.reply_waiting",
            SavedKind::ReplyNoAddress => "status.reply_no_address",
            SavedKind::Edited => "status.edited",
            SavedKind::Accepted => "status.accepted",
            SavedKind::VerdictClosed => "status.verdict_closed",
            SavedKind::VerdictRecorded => "status.verdict_recorded",
            SavedKind::VerdictReopened => "status.verdict_reopened",
            SavedKind::Merged => "status.merged",
            SavedKind::StepAdded => "status.step_added",
            SavedKind::StepDone => "status.step_done",
            SavedKind::StepReopened => "status.step_reopened",
            SavedKind::StepEdited => "status.step_edited",
        }
    }

    /// Whether it posted a comment (the draft and its files are done with).
    pub fn posted(self) -> bool {
        matches!(
            self,
            SavedKind::Noted
                | SavedKind::Commented
                | SavedKind::ReplyQueued
                | SavedKind::ReplyWaiting
                | SavedKind::ReplyNoAddress
        )
    }
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
    /// A public reply to the customer (mailed on mail tickets).
    Reply,
    /// Pick a canned reply; it opens filled in as a reply.
    CannedReply,
    /// Pick one of the ticket's attachments to open with the system viewer.
    Attachments,
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
    /// Search as you type in a popup.
    Search,
    /// Your notifications: assignments, mentions, watched tickets.
    Inbox,
    /// Open tickets per team and agent (supervisors).
    Queues,
    /// The customer of the ticket under the cursor: profile, local time, tickets.
    Customer,
    /// Merge the ticket under the cursor into another (asks for its number).
    Merge,
    /// Watch the ticket under the cursor (its changes reach your inbox), or stop.
    Watch,
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
    /// The knowledge base: browse, search, read, edit articles.
    ShowKb,
    /// The dashboard pane.
    ShowDashboard,
    /// The dashboard's period before / after / of another length.
    PeriodBack,
    PeriodForward,
    PeriodLength,
    /// Put one of the suggested articles into a reply to the customer.
    InsertArticle,
    /// Write a knowledge-base article from this ticket's resolution.
    DraftArticle,
    /// Add a step (subtask) to the shown ticket.
    AddStep,
    /// Mark a step of the shown ticket done, or open again, by its number.
    ToggleStep,
    /// Start the timer on the shown ticket, or stop it there.
    ToggleTimer,
    /// The timeline pane.
    ShowTimeline,
    /// The member's own tickets and steps by date.
    ShowWork,
    /// Timeline: days, weeks, months per column.
    Zoom,
    /// Timeline: the due date under the cursor a day / a week earlier or later.
    DueEarlier,
    DueLater,
    DueEarlierWeek,
    DueLaterWeek,
}

/// Work that may take long at a million tickets: runs off the input path on
/// the worker thread when there is one.
#[derive(Debug, Clone)]
pub enum Job {
    /// The detail pane's ticket (on its own lane: a cursor move never waits).
    View(i64),
    /// A window of the list (on its own lane: never behind a slow count).
    Window {
        generation: u64,
        request: ListRequest,
        total: Option<i64>,
    },
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
    /// Customers for the ticket form's customer field (`generation` tells
    /// a stale answer from the one for what is typed now).
    Customers {
        generation: u64,
        text: String,
    },
    /// The search popup's first page.
    Search {
        generation: u64,
        query: Query,
    },
    /// A bulk action over many tickets.
    Bulk {
        targets: Targets,
        action: BulkAction,
    },
    /// Take the SLA escalation steps that are due.
    Sweep,
    /// Send due replies, when this account is the desk's mail sender and
    /// has a command (from the configs here).
    SendMail(crate::mailer::MailCommands),
    /// Knowledge-base articles matching `text` (all when empty).
    Kb {
        generation: u64,
        text: String,
    },
    /// The dashboard's figures for `period`.
    Dashboard {
        generation: u64,
        period: crate::metrics::Period,
    },
    /// Steps and blockers of these tickets (the timeline's page).
    Timeline(Vec<i64>),
    /// Open milestones with their progress.
    Milestones,
    /// The row of a place in the list (sorted by due date): ticket `id`
    /// due at `due`, or without `id` the first due at `due` or later.
    Locate {
        generation: u64,
        query: Query,
        due: Option<chrono::DateTime<chrono::Utc>>,
        id: Option<i64>,
    },
    /// The member's own queue.
    Work {
        generation: u64,
    },
    /// Hand pending notices to the member's notify hook.
    Deliver {
        command: String,
        cat: crate::i18n::Catalog,
    },
}

/// Which worker a job runs on: each lane has its own connection, so a
/// cursor move (a list window, the detail pane) never waits behind a count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    Lists,
    Details,
    /// Reports: a dashboard that takes a second on a big desk never holds
    /// up the counts and boards of the other lane.
    Reports,
    Other,
}

impl Job {
    pub fn lane(&self) -> Lane {
        match self {
            // Quick reads a key waits for never queue behind a sweep (on a
            // big desk's first start it works out deadlines for minutes).
            Job::Window { .. } | Job::Locate { .. } => Lane::Lists,
            Job::View(_) | Job::Timeline(_) | Job::Work { .. } | Job::Milestones => Lane::Details,
            Job::Dashboard { .. } => Lane::Reports,
            _ => Lane::Other,
        }
    }
}

/// Work for the runner; results come back as actions.
#[derive(Debug, Clone)]
pub enum Effect {
    /// A read or bulk action that may take a while: on the job's worker
    /// lane (see [`Job::lane`]), never on the input path.
    Background(Job),
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
    /// Save changes to customer `id`.
    EditCustomer {
        id: i64,
        edit: Box<crate::service::CustomerEdit>,
    },
    /// Read the member's drafts.
    LoadDrafts,
    /// Keep `body` as the draft on ticket `id` (empty: drop it).
    SaveDraft {
        id: i64,
        /// A note's draft (else a reply's).
        internal: bool,
        body: String,
    },
    /// Tag as spam and close, in one change.
    Spam {
        id: i64,
        version: i64,
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
        /// Files to send with it, paths as typed (`~/` is the home directory).
        files: Vec<String>,
    },
    Edit {
        id: i64,
        changes: Box<TicketChanges>,
        version: i64,
    },
    /// The customer's verdict, as a member entered it.
    Accept {
        id: i64,
        version: i64,
        verdict: Box<crate::service::VerdictInput>,
    },
    LoadInbox,
    LoadQueues,
    LoadCustomer(i64),
    /// The canned replies, for a menu on ticket `id`.
    LoadReplies(i64),
    /// Ticket `id`'s attachments, for a menu.
    LoadAttachments(i64),
    /// Open attachment `id` with the system's viewer.
    OpenAttachment(i64),
    /// Canned reply `name` filled in for ticket `id`.
    FillReply {
        id: i64,
        name: String,
    },
    Merge {
        src: i64,
        dst: i64,
    },
    /// Move the open children of `parent` to `to` with `opts`.
    MoveChildren {
        parent: i64,
        to: String,
        opts: MoveOptions,
    },
    /// A new step for ticket `id`.
    AddStep {
        id: i64,
        step: crate::domain::NewSubtask,
    },
    /// Step number `step` of ticket `id`, done or open again.
    ToggleStep {
        id: i64,
        position: i64,
    },
    /// Change step `step` of ticket `ticket` (its date, its owner).
    EditStep {
        ticket: i64,
        step: i64,
        changes: crate::domain::SubtaskChanges,
    },
    /// Mark step `step` of ticket `ticket` done (or open again), by its
    /// number alone: its owner may not see the ticket.
    MarkStep {
        ticket: i64,
        step: i64,
        done: bool,
    },
    LoadUnread,
    /// The member's running timer.
    LoadTimer,
    /// Start the timer on ticket `id`, or stop it when it runs there.
    ToggleTimer {
        id: i64,
        /// On this step of the ticket.
        step: Option<i64>,
    },
    MarkRead(Vec<i64>),
    ToggleWatch(i64),
    /// Say where the member is (for the others' collision warnings) and ask
    /// who else is on that ticket.
    Heartbeat {
        ticket: Option<i64>,
        editing: bool,
    },
    Suspend,
    /// Edit `text` in the external editor.
    Editor {
        text: String,
    },
    /// The file text of a new article (drafted from ticket `from`).
    DraftArticle {
        from: Option<i64>,
        /// The article's language; `None`: the language of the ticket.
        lang: Option<String>,
    },
    /// Save an article from its file text: a new one, or article `slug`.
    PutArticle {
        text: String,
        slug: Option<String>,
    },
    /// Article `slug` answered ticket `ticket` (it was put in a reply).
    ArticleUsed {
        ticket: i64,
        slug: String,
    },
    Quit,
}

/// Every command with the name a config file uses for it.
pub const COMMAND_NAMES: &[(Command, &str)] = &[
    (Command::Quit, "quit"),
    (Command::Back, "back"),
    (Command::NextPane, "next_pane"),
    (Command::ShowList, "show_list"),
    (Command::ShowBoard, "show_board"),
    (Command::ShowDetail, "show_detail"),
    (Command::Up, "up"),
    (Command::Down, "down"),
    (Command::Left, "left"),
    (Command::Right, "right"),
    (Command::PageUp, "page_up"),
    (Command::PageDown, "page_down"),
    (Command::Top, "top"),
    (Command::Bottom, "bottom"),
    (Command::Open, "open"),
    (Command::Filter, "filter"),
    (Command::NewTicket, "new_ticket"),
    (Command::Comment, "comment"),
    (Command::Reply, "reply"),
    (Command::CannedReply, "canned_reply"),
    (Command::Attachments, "attachments"),
    (Command::Assign, "assign"),
    (Command::Move, "move"),
    (Command::MovePrev, "move_prev"),
    (Command::MoveNext, "move_next"),
    (Command::Edit, "edit"),
    (Command::Accept, "accept"),
    (Command::SortNext, "sort_next"),
    (Command::SortReverse, "sort_reverse"),
    (Command::Refresh, "refresh"),
    (Command::Help, "help"),
    (Command::Suspend, "suspend"),
    (Command::Views, "views"),
    (Command::Group, "group"),
    (Command::ToggleSelect, "toggle_select"),
    (Command::RangeSelect, "range_select"),
    (Command::SelectAll, "select_all"),
    (Command::AddTag, "add_tag"),
    (Command::RemoveTag, "remove_tag"),
    (Command::SetPriority, "set_priority"),
    (Command::Undo, "undo"),
    (Command::UndoList, "undo_list"),
    (Command::Triage, "triage"),
    (Command::Palette, "palette"),
    (Command::Search, "search"),
    (Command::Inbox, "inbox"),
    (Command::Queues, "queues"),
    (Command::Customer, "customer"),
    (Command::Merge, "merge"),
    (Command::Watch, "watch"),
    (Command::Take, "take"),
    (Command::Priority0, "priority_0"),
    (Command::Priority1, "priority_1"),
    (Command::Priority2, "priority_2"),
    (Command::Priority3, "priority_3"),
    (Command::CycleType, "cycle_type"),
    (Command::SetCategory, "set_category"),
    (Command::Spam, "spam"),
    (Command::Skip, "skip"),
    (Command::Previous, "previous"),
    (Command::ShowKb, "show_kb"),
    (Command::ShowDashboard, "show_dashboard"),
    (Command::PeriodBack, "period_back"),
    (Command::PeriodForward, "period_forward"),
    (Command::PeriodLength, "period_length"),
    (Command::InsertArticle, "insert_article"),
    (Command::DraftArticle, "draft_article"),
    (Command::AddStep, "add_step"),
    (Command::ToggleStep, "toggle_step"),
    (Command::ToggleTimer, "toggle_timer"),
    (Command::ShowTimeline, "show_timeline"),
    (Command::ShowWork, "show_work"),
    (Command::Zoom, "zoom"),
    (Command::DueEarlier, "due_earlier"),
    (Command::DueLater, "due_later"),
    (Command::DueEarlierWeek, "due_earlier_week"),
    (Command::DueLaterWeek, "due_later_week"),
];

impl Command {
    /// The name used in `[keys]` of the config file.
    pub fn name(self) -> &'static str {
        COMMAND_NAMES
            .iter()
            .find(|(c, _)| *c == self)
            .map(|(_, n)| *n)
            .unwrap_or("?")
    }

    pub fn parse(name: &str) -> Option<Self> {
        COMMAND_NAMES
            .iter()
            .find(|(_, n)| *n == name.trim())
            .map(|(c, _)| *c)
    }
}

//! Command-line arguments: the contract scripts rely on.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

use crate::domain::Field;

/// A terminal ticket desk for customer problems.
///
/// Without a subcommand, opens the desk in the terminal UI.
#[derive(Debug, Parser)]
#[command(name = "tdesk", version, about, long_about = None)]
pub struct Cli {
    /// Desk database or desk directory (default: TDESK_DB, then your config,
    /// then /etc/tdesk/config.toml, then the platform data dir).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// UI language: en or zh-CN (default: config, then LC_ALL/LC_MESSAGES/LANG).
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<String>,
    /// The demo desk (created with sample tickets on first use): the TUI on it, or the command.
    #[arg(long)]
    pub demo: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a desk (you become its admin).
    Init {
        /// Create a team desk in this directory: group-owned, setgid and sticky (3770),
        /// the database 0660, so every member of the group can use it.
        #[arg(long, value_name = "DIR")]
        shared: Option<PathBuf>,
        /// The team desk's group (default: your primary group).
        #[arg(long, requires = "shared")]
        group: Option<String>,
    },
    /// Back the desk up (admin): the database through SQLite's online
    /// backup API while others keep working, checked before it takes its
    /// name, and the attachments beside it (each copied once per folder).
    Backup {
        /// A new file, or a folder to put `tdesk-<time>.db` in.
        target: PathBuf,
        /// With a folder: keep only the newest N backups there.
        #[arg(long, value_name = "N")]
        keep: Option<usize>,
    },
    /// Replace the desk with a backup (admin): checked first, an older
    /// schema is brought up to date, a newer one refused; the desk as it
    /// was is kept beside it as desk.db-before-restore-<time>.
    Restore {
        file: PathBuf,
        /// Do it (without: say what would happen).
        #[arg(long)]
        yes: bool,
    },
    /// Check a desk and print every problem with its fix.
    Doctor {
        /// Rebuild the search index from the tickets (admin only), then check.
        #[arg(long)]
        repair_search: bool,
        /// Take changes again after a restore that was stopped before it
        /// ended (admin only; the desk is then whole, as it was or as the
        /// backup), then check.
        #[arg(long)]
        end_restore: bool,
    },
    /// Enforced team mode: print (or, as root, do with --apply) the steps that
    /// make this binary setgid to a data group members are not in, so tdesk
    /// is the only way into the desk.
    InstallSetgid {
        /// The data group (members must not be in it).
        #[arg(long, default_value = "tdesk-data")]
        group: String,
        /// The team desk's directory.
        #[arg(long, value_name = "DIR")]
        desk: PathBuf,
        /// The account that creates the desk and becomes its admin (only
        /// it may run `tdesk init --shared`).
        #[arg(long, value_name = "LOGIN")]
        admin: String,
        /// Do it (needs root) instead of printing the steps.
        #[arg(long)]
        apply: bool,
    },
    /// Create a ticket; prints its number.
    Add(AddArgs),
    /// List tickets matching a query (e.g. `status:open priority:P0..P1 refund`).
    List(ListArgs),
    /// Show one ticket with its conversation.
    Show(ShowArgs),
    /// Move a ticket to another workflow state.
    Move(MoveArgs),
    /// Assign a ticket (`none` unassigns).
    Assign(AssignArgs),
    /// Add a public reply or an internal note.
    Comment(CommentArgs),
    /// Change fields of a ticket.
    Edit(EditArgs),
    /// Record that the customer accepted the fix.
    Accept(AcceptArgs),
    /// Record the customer's satisfaction rating (1–5) and act on it: 4–5
    /// with the customer's words closes, below 3 reopens to a senior agent.
    Csat(CsatArgs),
    /// The knowledge base: articles that answer the next problem faster.
    #[command(subcommand)]
    Kb(KbCommand),
    /// Reports: a ticket's resolution report, the weekly efficiency report,
    /// per-ticket metrics for BI tools.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Show a ticket's audit log.
    History(ShowArgs),
    /// Load demo agents, customers and tickets into the desk (an empty one,
    /// or any with --yes; `tdesk --demo` keeps a separate demo desk).
    Demo(DemoArgs),
    /// Manage desk members.
    #[command(subcommand)]
    User(UserCommand),
    /// Show, check or replace the workflow.
    #[command(subcommand)]
    Workflow(WorkflowCommand),
    /// Saved views: named queries with sort, grouping and columns.
    #[command(subcommand)]
    View(ViewCommand),
    /// Your recent changes (what `tdesk undo` can take back).
    Changes {
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Your notifications: tickets assigned to you, @mentions, watched tickets.
    Inbox {
        /// Include notifications already read.
        #[arg(long)]
        all: bool,
        /// Mark everything shown as read.
        #[arg(long)]
        mark_read: bool,
        #[arg(long)]
        json: bool,
    },
    /// Take every SLA escalation step that is due (for cron or a systemd
    /// timer; open TUIs do it every minute). Each step fires once, however
    /// many run at the same moment.
    Tick {
        #[arg(long)]
        json: bool,
    },
    /// One line for a status bar: breached, at risk, and your open tickets.
    Status {
        /// Your own line: {breached}, {at_risk} and {mine} are replaced.
        #[arg(long)]
        format: Option<String>,
    },
    /// Merge a duplicate: SRC's conversation moves to DST, SRC is closed as a link.
    Merge { src: String, dst: String },
    /// Customers: add, list, show (the customer 360), merge.
    #[command(subcommand)]
    Customer(CustomerCommand),
    /// Export tickets with their customers, conversations and history
    /// (supervisors and admins).
    Export(ExportArgs),
    /// Import tickets: csv (spreadsheets, Zendesk, Freshdesk), json (a tdesk
    /// export), eml, mbox or maildir (e-mail).
    #[command(subcommand)]
    Import(ImportCommand),
    /// A ticket's files: list, save or open one, attach a file.
    #[command(subcommand)]
    Attachment(AttachmentCommand),
    /// A ticket's subtasks: steps with their own owners (any team) and dates.
    #[command(subcommand)]
    Task(TaskCommand),
    /// Time spent: a timer on a ticket, time logged after, totals.
    #[command(subcommand)]
    Time(TimeCommand),
    /// Milestones: a name and a date that group tickets and steps.
    #[command(subcommand)]
    Milestone(MilestoneCommand),
    /// Mail out: the sender and command, the queue, sending now.
    #[command(subcommand)]
    Mail(MailCommand),
    /// Canned replies: show, check, install, or fill one in for a ticket.
    #[command(subcommand)]
    Replies(RepliesCommand),
    /// Routing rules for new tickets.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Automations: event and time triggers.
    #[command(subcommand)]
    Automations(AutomationsCommand),
    /// Open tickets per team and agent: the live queues (supervisors).
    Load,
    /// The SLA policy: targets, overrides and team calendars.
    #[command(subcommand)]
    Sla(SlaCommand),
    /// Hand your new notifications to your notify hook now (for cron; an
    /// open TUI does it every few seconds).
    Hook,
    /// Watch a ticket: its changes reach your inbox.
    Watch { id: i64 },
    /// Stop watching a ticket.
    Unwatch { id: i64 },
    /// Link ticket A to ticket B: --as blocks, blocked-by, duplicate-of,
    /// duplicated-by, related, parent-of or child-of (A's side).
    Link {
        a: i64,
        b: i64,
        #[arg(long = "as", default_value = "related")]
        kind: String,
    },
    /// Remove the link between A and B (of that kind, or any).
    Unlink {
        a: i64,
        b: i64,
        #[arg(long = "as")]
        kind: Option<String>,
    },
    /// Undo your last change, or the change with this number.
    Undo {
        #[arg(long)]
        change: Option<i64>,
    },
    /// Your config file: where it is, what is in effect, whether it is valid.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Print shell completions.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff); e.g. `tdesk man | man -l -`.
    Man,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the config file's path.
    Path,
    /// Print the settings in effect, key bindings included.
    Show,
    /// Check a config file (default: yours) and print every problem with its line.
    Check { file: Option<PathBuf> },
}

#[derive(Debug, Subcommand)]
pub enum ViewCommand {
    /// Built-in, shared and personal views.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Save a view (replaces one of the same name).
    Save {
        name: String,
        /// Query words, as for `tdesk list`.
        query: Vec<String>,
        #[arg(long)]
        sort: Option<String>,
        #[arg(long)]
        reverse: bool,
        /// Group by state, priority, assignee or team.
        #[arg(long)]
        group: Option<String>,
        /// Columns, comma-separated: number,priority,status,title,customer,assignee,team,type,channel,age,due.
        #[arg(long)]
        columns: Option<String>,
        /// Share with the whole desk (supervisors and admins).
        #[arg(long)]
        shared: bool,
    },
    /// Delete a view.
    Rm {
        name: String,
        /// The shared view of that name (supervisors and admins).
        #[arg(long)]
        shared: bool,
    },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    #[arg(long)]
    pub title: String,
    /// Description text, or `-` to read it from standard input.
    #[arg(long)]
    pub body: Option<String>,
    /// P0 (system down) .. P3 (suggestion); default P2.
    #[arg(long)]
    pub priority: Option<String>,
    /// Ticket type (technical, after-sales, inquiry, …).
    #[arg(long = "type")]
    pub kind: Option<String>,
    /// Category path of up to three levels, e.g. product/defect/login.
    #[arg(long)]
    pub category: Option<String>,
    /// email, phone, chat, social, marketplace, web, import or other.
    #[arg(long)]
    pub channel: Option<String>,
    /// The customer: an e-mail address (found or created), or a customer
    /// number or any handle they have (a phone, a buyer id).
    #[arg(long)]
    pub customer: Option<String>,
    #[arg(long)]
    pub assignee: Option<String>,
    #[arg(long)]
    pub team: Option<String>,
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// Deadline: 2d (from now), tomorrow, 2026-11-25 (end of that day) or "2026-11-25 14:00".
    #[arg(long)]
    pub due: Option<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Query words, joined with spaces (`-tag:spam` negates, no `--` needed).
    pub query: Vec<String>,
    /// Sort by number, priority, status, title, customer, assignee, created or updated.
    #[arg(long)]
    pub sort: Option<String>,
    /// Reverse the sort.
    #[arg(long)]
    pub reverse: bool,
    /// Show at most this many tickets.
    #[arg(long, default_value_t = 100)]
    pub limit: usize,
    /// Print how the query was understood instead of the tickets.
    #[arg(long)]
    pub explain: bool,
    /// Start from a saved or built-in view; query words narrow it further.
    #[arg(long)]
    pub view: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Ticket number (`12` or `#12`).
    pub id: TicketNumber,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct MoveArgs {
    pub id: TicketNumber,
    /// Target state id or label (e.g. in_progress or 处理中).
    pub state: String,
    /// Resolution summary or reason, when the step needs one.
    #[arg(long, visible_alias = "resolution")]
    pub note: Option<String>,
    /// Root cause of a resolution (id or label, see `tdesk workflow causes`).
    #[arg(long)]
    pub cause: Option<String>,
    /// What was done so it does not happen again (with a resolution).
    #[arg(long)]
    pub prevention: Option<String>,
    /// Skip the step's requirements (supervisor or admin; needs --note).
    #[arg(long = "override")]
    pub override_requirements: bool,
    /// Refuse if the ticket is no longer at this version.
    #[arg(long, value_name = "VERSION")]
    pub if_version: Option<i64>,
    /// Move its open child tickets (parent-of links) the same way, with the
    /// same resolution, each through the workflow.
    #[arg(long)]
    pub children: bool,
}

#[derive(Debug, Args)]
pub struct AssignArgs {
    pub id: TicketNumber,
    /// A member's login, `me`, or `none`.
    pub login: String,
    #[arg(long, value_name = "VERSION")]
    pub if_version: Option<i64>,
}

#[derive(Debug, Args)]
pub struct CommentArgs {
    pub id: TicketNumber,
    /// An internal note instead of a public reply.
    #[arg(long)]
    pub internal: bool,
    /// The text, or `-` to read it from standard input.
    #[arg(long)]
    pub body: String,
    /// A file to send with the reply (repeatable); kept on the ticket.
    #[arg(long, value_name = "FILE")]
    pub attach: Vec<std::path::PathBuf>,
    /// The reply was given on this channel (phone, chat, …): recorded, not
    /// mailed, and the first response at once.
    #[arg(long, value_name = "CHANNEL", conflicts_with = "internal")]
    pub via: Option<String>,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    pub id: TicketNumber,
    #[arg(long)]
    pub title: Option<String>,
    /// New description, or `-` to read it from standard input.
    #[arg(long)]
    pub body: Option<String>,
    #[arg(long)]
    pub priority: Option<String>,
    #[arg(long = "type")]
    pub kind: Option<String>,
    /// New category path; an empty string clears it.
    #[arg(long)]
    pub category: Option<String>,
    #[arg(long)]
    pub channel: Option<String>,
    /// New team; an empty string clears it.
    #[arg(long)]
    pub team: Option<String>,
    #[arg(long = "tag")]
    pub add_tags: Vec<String>,
    #[arg(long = "untag")]
    pub remove_tags: Vec<String>,
    /// Set a custom field: KEY=VALUE (VALUE is JSON if it parses, else text; empty removes).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub custom: Vec<String>,
    /// New deadline (as for `add --due`); an empty string clears it.
    #[arg(long)]
    pub due: Option<String>,
    #[arg(long, value_name = "VERSION")]
    pub if_version: Option<i64>,
}

#[derive(Debug, Args)]
pub struct AcceptArgs {
    pub id: TicketNumber,
    /// The customer's rating, 1–5.
    #[arg(long)]
    pub rating: Option<u8>,
    /// The customer's own words (a call, a chat); without them, or a
    /// message from the customer since the fix, only a supervisor may
    /// record the acceptance.
    #[arg(long, visible_alias = "comment", value_name = "TEXT")]
    pub words: Option<String>,
}

#[derive(Debug, Args)]
pub struct CsatArgs {
    pub id: TicketNumber,
    /// The customer's rating, 1–5 (also `4/5` or ★★★★).
    pub rating: String,
    /// What the customer said, in their words.
    #[arg(long, value_name = "TEXT")]
    pub comment: Option<String>,
    /// The customer says the problem is solved.
    #[arg(long, conflicts_with = "no")]
    pub yes: bool,
    /// The customer says the problem is not solved.
    #[arg(long)]
    pub no: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many tickets to create.
    #[arg(long, default_value_t = 200)]
    pub tickets: usize,
    /// Seed of the generator (the same seed gives the same desk).
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Mix the samples into a desk that already has tickets (they cannot be
    /// taken out again; `tdesk --demo` opens a separate demo desk instead).
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a member (admin only).
    Add {
        login: String,
        #[arg(long, default_value = "agent")]
        role: String,
        #[arg(long)]
        team: Option<String>,
        /// Display name (default: the account's full name, or the login).
        #[arg(long)]
        name: Option<String>,
    },
    /// List members.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Change a member's role (admin only).
    SetRole { login: String, role: String },
    /// Remove a member (admin only); their tickets and history stay.
    Rm { login: String },
    /// What routing knows of an agent: languages, time zone, shift (admins;
    /// anyone for themselves).
    Set {
        login: String,
        /// Languages spoken, e.g. `zh,en`.
        #[arg(long)]
        languages: Option<String>,
        /// IANA time zone, e.g. `Asia/Shanghai`.
        #[arg(long)]
        timezone: Option<String>,
        /// Working hours, e.g. `mon-fri 09:00-18:00`.
        #[arg(long)]
        shift: Option<String>,
        /// Seniority: junior, regular or senior (admins). A ticket the
        /// customer rated badly goes to a senior member of its team.
        #[arg(long)]
        level: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum CustomerCommand {
    /// Add a customer with every handle they write from.
    Add(Box<CustomerAddArgs>),
    /// Customers whose name, pinyin or any handle contains TEXT.
    List {
        text: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Everything about a customer: by number or any handle.
    Show {
        key: String,
        #[arg(long)]
        json: bool,
    },
    /// Merge customer GONE into KEEP (supervisors and admins).
    Merge { keep: String, gone: String },
    /// Change a customer (by number or any handle): fields, handles, orders, notes.
    Edit(Box<CustomerEditArgs>),
}

#[derive(Debug, Args)]
pub struct CustomerEditArgs {
    /// The customer: a number or any handle.
    pub key: String,
    /// The customer's new name.
    #[arg(long)]
    pub name: Option<String>,
    /// vip, important or normal.
    #[arg(long)]
    pub tier: Option<String>,
    /// ISO country code ("" clears it).
    #[arg(long)]
    pub country: Option<String>,
    /// IANA time zone ("" clears it).
    #[arg(long)]
    pub timezone: Option<String>,
    /// Preferred language ("" clears it).
    #[arg(long)]
    pub language: Option<String>,
    /// E-mail addresses to add (repeat for more).
    #[arg(long)]
    pub email: Vec<String>,
    /// Phone numbers to add.
    #[arg(long)]
    pub phone: Vec<String>,
    /// Marketplace buyer ids to add, e.g. amazon:A1B2C3.
    #[arg(long)]
    pub buyer: Vec<String>,
    /// Social handles to add, e.g. wechat:linmh.
    #[arg(long)]
    pub social: Vec<String>,
    /// A handle to take off, as KIND:VALUE (email:old@example.com).
    #[arg(long = "remove", value_name = "KIND:VALUE")]
    pub remove: Vec<String>,
    /// Order references to add.
    #[arg(long)]
    pub order: Vec<String>,
    /// Order references to take off.
    #[arg(long)]
    pub remove_order: Vec<String>,
    /// New notes (replace the old ones; "-" reads standard input).
    #[arg(long)]
    pub notes: Option<String>,
}

#[derive(Debug, Args)]
pub struct CustomerAddArgs {
    pub name: String,
    /// E-mail addresses (repeat for more).
    #[arg(long)]
    pub email: Vec<String>,
    #[arg(long)]
    pub phone: Vec<String>,
    /// Marketplace buyer ids, e.g. amazon:A1B2C3.
    #[arg(long)]
    pub buyer: Vec<String>,
    /// Social handles, e.g. wechat:linmh.
    #[arg(long)]
    pub social: Vec<String>,
    /// Order references (repeat for more).
    #[arg(long)]
    pub order: Vec<String>,
    /// vip, important or normal.
    #[arg(long, default_value = "normal")]
    pub tier: String,
    /// ISO country code, e.g. DE.
    #[arg(long)]
    pub country: Option<String>,
    /// IANA time zone, e.g. Europe/Berlin.
    #[arg(long)]
    pub timezone: Option<String>,
    /// Preferred language, e.g. zh or de.
    #[arg(long)]
    pub language: Option<String>,
    #[arg(long, default_value = "")]
    pub note: String,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// csv (one row per ticket) or json (everything; what `import json` reads).
    pub format: String,
    /// Only the tickets this query matches (default: every ticket you may see).
    pub query: Vec<String>,
    /// Write to this file (written whole, then put in place) instead of
    /// standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// CSV for Excel: starts with a UTF-8 byte-order mark, so Chinese (and
    /// every other non-ASCII text) opens correctly in Excel on Windows.
    #[arg(long)]
    pub excel: bool,
}

/// What every import takes.
#[derive(Debug, Args, Clone, Copy)]
pub struct ImportFlags {
    /// Check everything and print what would be created; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Import what is good and list what is not, instead of nothing.
    #[arg(long)]
    pub skip_bad: bool,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A CSV file: columns mapped by --map MAP.toml, or recognised from the
    /// header (tdesk, Zendesk, Freshdesk, generic English or Chinese).
    Csv {
        file: PathBuf,
        #[arg(long)]
        map: Option<PathBuf>,
        /// The file's encoding when the guess is wrong: gbk, big5, shift_jis,
        /// windows-1252, utf-8, …
        #[arg(long)]
        encoding: Option<String>,
        /// With --dry-run: print the column map tdesk guessed (or was given),
        /// as a map file to save, edit and pass back with --map; nothing else.
        #[arg(long, requires = "dry_run")]
        print_map: bool,
        /// Ticket types the desk does not have yet are added to its list
        /// (admins; `Billing inquiry` becomes type billing-inquiry) instead
        /// of refusing the rows.
        #[arg(long)]
        add_types: bool,
        #[command(flatten)]
        flags: ImportFlags,
    },
    /// A satisfaction survey (CSV: ticket, rating, and optionally comment
    /// and solved): each answer is the customer's verdict on their ticket.
    Survey {
        file: PathBuf,
        /// The file's encoding when the guess is wrong.
        #[arg(long)]
        encoding: Option<String>,
        /// Say what would be recorded and skipped; record nothing.
        #[arg(long)]
        dry_run: bool,
        /// Record the rows that read and name those that do not (without
        /// it, one bad row stops the import before anything is recorded).
        #[arg(long)]
        skip_bad: bool,
    },
    /// A tdesk JSON export (admins): tickets, comments, history, customers.
    Json {
        file: PathBuf,
        #[command(flatten)]
        flags: ImportFlags,
    },
    /// Messages, one per file.
    Eml {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        flags: ImportFlags,
    },
    /// An mbox mailbox.
    Mbox {
        file: PathBuf,
        #[command(flatten)]
        flags: ImportFlags,
    },
    /// A Maildir: messages in new/ are imported and moved to cur/.
    Maildir {
        dir: PathBuf,
        #[command(flatten)]
        flags: ImportFlags,
    },
}

#[derive(Debug, Subcommand)]
pub enum AttachmentCommand {
    /// A ticket's attachments.
    List {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Copy attachment N to a file (default: its own name here).
    Save {
        id: i64,
        /// Where to save it (default: its name, in the current directory).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace a file that is there already.
        #[arg(long)]
        force: bool,
    },
    /// Open attachment N with the system's opener (xdg-open).
    Open { id: i64 },
    /// Attach FILE to ticket N.
    Add { ticket: i64, file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum TimeCommand {
    /// Start your timer on ticket N (a timer running elsewhere stops first).
    Start {
        ticket: i64,
        /// On this step of the ticket (its owner may, from any team).
        #[arg(long)]
        step: Option<i64>,
    },
    /// Stop your timer.
    Stop,
    /// Log time spent on ticket N, ending now: 25m, 1h, 1h30m.
    Log {
        ticket: i64,
        spent: String,
        #[arg(long)]
        note: Option<String>,
        /// On this step of the ticket.
        #[arg(long)]
        step: Option<i64>,
    },
    /// Ticket N's time entries and total.
    Show {
        ticket: i64,
        #[arg(long)]
        json: bool,
    },
    /// Time spent per ticket, member and category over the last days.
    Report {
        #[arg(long, default_value_t = 7)]
        days: u32,
        #[arg(long)]
        json: bool,
    },
    /// Your running timer, if any.
    Status,
}

#[derive(Debug, Subcommand)]
pub enum MilestoneCommand {
    /// Make a milestone (supervisors and admins).
    Add {
        name: String,
        /// Due: 2w, 2026-12-20 (end of that day) or "2026-12-20 14:00".
        #[arg(long)]
        due: Option<String>,
        /// Who answers for it (they may change and close it too).
        #[arg(long)]
        owner: Option<String>,
        #[arg(long, default_value = "")]
        description: String,
    },
    /// Open milestones by date with progress, at-risk and overdue counts.
    List {
        /// Closed ones too.
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// One milestone (number or name): its progress, tickets and steps.
    Show {
        milestone: String,
        #[arg(long)]
        json: bool,
    },
    /// Change a milestone ("" clears the owner, date or description).
    Edit {
        milestone: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        due: Option<String>,
        #[arg(long)]
        owner: Option<String>,
        #[arg(long)]
        description: Option<String>,
    },
    /// Close a milestone: it leaves the list and takes nothing new.
    Close { milestone: String },
    /// Open a closed milestone again.
    Reopen { milestone: String },
    /// Put tickets (and with --step, steps) into a milestone.
    Attach {
        milestone: String,
        tickets: Vec<i64>,
        #[arg(long = "step")]
        steps: Vec<i64>,
    },
    /// Take tickets (and with --step, steps) out of their milestone.
    Detach {
        tickets: Vec<i64>,
        #[arg(long = "step")]
        steps: Vec<i64>,
    },
}

#[derive(Debug, Subcommand)]
pub enum TaskCommand {
    /// Add a step to ticket N (at the end of its list).
    Add {
        ticket: i64,
        #[arg(long)]
        title: String,
        /// Who does it: any member, from any team.
        #[arg(long)]
        assignee: Option<String>,
        /// Due: 2d (from now), tomorrow, 2026-11-25 (end of that day) or "2026-11-25 14:00".
        #[arg(long)]
        due: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Ticket N's steps, or (without N) your own open steps by due date.
    List {
        ticket: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Mark step ID done.
    Done { id: i64 },
    /// Open step ID again.
    Undo { id: i64 },
    /// Change step ID ("" clears the assignee, due date or note).
    Edit {
        id: i64,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        assignee: Option<String>,
        #[arg(long)]
        due: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Remove step ID.
    Rm { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// The desk's mail settings and the queue.
    Show,
    /// Set the From address, the sending account, the command, the attachment limit (admins).
    Set {
        /// From address, e.g. "Shop Support <support@shop.example>".
        #[arg(long)]
        from: Option<String>,
        /// A sendmail-compatible command reading the message on stdin,
        /// e.g. "msmtp -t" (a personal desk only; a team desk takes it from
        /// mail_command in /etc/tdesk/config.toml or the sender's config).
        #[arg(long)]
        command: Option<String>,
        /// The member whose account sends the desk's mail (its cron runs
        /// `tdesk mail send`); "" clears it.
        #[arg(long)]
        sender: Option<String>,
        /// Largest attachment kept, e.g. 25MB.
        #[arg(long)]
        attachment_limit: Option<String>,
    },
    /// Send the mail that is due now (for cron; an open TUI does it too).
    Send,
    /// Outgoing mail of ticket N, or every unsent message.
    Queue { id: Option<i64> },
    /// Try a failed message again now.
    Retry { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum RepliesCommand {
    /// Print the canned replies the desk uses (TOML).
    Show,
    /// Check a reply file without installing it.
    Check { file: PathBuf },
    /// Install a reply file for this desk (admins).
    Set { file: PathBuf },
    /// Fill reply NAME in for ticket N (in the customer's language) and print it.
    Fill { name: String, id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Print the rules the desk uses (TOML).
    Show,
    /// Check a rule file without installing it.
    Check { file: PathBuf },
    /// Install a rule file for this desk (admin only).
    Set { file: PathBuf },
    /// For ticket N: each rule, whether it matched, and why.
    Explain { id: i64 },
    /// Route history (or synthetic tickets) through a rule file without
    /// writing anything; prints where they would go and how evenly.
    Simulate {
        /// The rule file (default: the desk's rules).
        #[arg(long)]
        file: Option<PathBuf>,
        /// Only tickets created on or after this date (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// N made-up tickets instead of the desk's history.
        #[arg(long)]
        synthetic: Option<usize>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AutomationsCommand {
    /// Print the automations the desk uses (TOML).
    Show,
    /// Check an automation file without installing it.
    Check { file: PathBuf },
    /// Install an automation file for this desk (admin only).
    Set { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum SlaCommand {
    /// Print the policy the desk uses (TOML).
    Show,
    /// Check a policy file without installing it.
    Check { file: PathBuf },
    /// Install a policy file for this desk (admin only).
    Set { file: PathBuf },
    /// Work out every ticket's deadlines and clock outcomes again under the
    /// policy (admin only): after upgrading a desk from before reports.
    Recompute,
}

#[derive(Debug, Subcommand)]
pub enum WorkflowCommand {
    /// Show the desk's workflow: states and transitions.
    Show {
        /// Print the TOML definition instead of tables.
        #[arg(long)]
        toml: bool,
        #[arg(long)]
        json: bool,
    },
    /// Validate a workflow file without installing it.
    Check { file: PathBuf },
    /// Validate and install a workflow file for this desk (admin only).
    Set { file: PathBuf },
    /// Go back to the built-in workflow (admin only).
    Reset,
    /// The root causes a resolution may name (`--cause`, `cause:`).
    Causes {
        #[arg(long)]
        json: bool,
    },
}

/// A ticket number given as `12` or `#12`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketNumber(pub i64);

impl std::str::FromStr for TicketNumber {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.trim()
            .trim_start_matches('#')
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
            .map(TicketNumber)
            .ok_or_else(|| format!("\"{s}\" is not a ticket number (expected e.g. 12 or #12)"))
    }
}

/// Subcommands whose free arguments are query words.
const QUERY_COMMANDS: [&str; 2] = ["list", "save"];
/// Options of those subcommands (and global ones) that take a value.
const VALUE_OPTIONS: [&str; 7] = [
    "--sort",
    "--limit",
    "--db",
    "--lang",
    "--view",
    "--group",
    "--columns",
];
/// What a query word's leading `-` becomes so the argument parser does not
/// take it for an option: the minus sign, which the query parser also reads
/// as negation.
pub const QUERY_MINUS: char = '\u{2212}';

/// Lets `tdesk list -tag:spam` mean a negated clause rather than an unknown
/// option: query words after a query subcommand that start with a single `-`
/// get the minus sign instead.
pub fn protect_negations(args: Vec<String>) -> Vec<String> {
    let mut in_query = false;
    let mut takes_value = false;
    args.into_iter()
        .map(|arg| {
            let protect = in_query
                && !takes_value
                && arg.len() > 2
                && arg.starts_with('-')
                && !arg.starts_with("--");
            takes_value = VALUE_OPTIONS.contains(&arg.as_str());
            if !in_query && QUERY_COMMANDS.contains(&arg.as_str()) {
                in_query = true;
            }
            if protect {
                format!("{QUERY_MINUS}{}", &arg[1..])
            } else {
                arg
            }
        })
        .collect()
}

/// Joins query words back into one query. A word that held spaces is a
/// whole query when it has a field clause after its first word
/// (`'status:open priority:P0'`); otherwise it was a phrase, and is quoted
/// so it survives the shell (`"late parcel"`, `customer:"Zhang Wei"`).
pub fn join_query(words: &[String]) -> String {
    words
        .iter()
        .map(|w| {
            // The minus sign that kept `-tag:x` from the argument parser goes back to `-`.
            let w = &match w.strip_prefix(QUERY_MINUS) {
                Some(rest) => format!("-{rest}"),
                None => w.clone(),
            };
            if !w.chars().any(char::is_whitespace) || w.contains('"') {
                return w.clone();
            }
            if w.split_whitespace().skip(1).any(is_clause) {
                return w.clone();
            }
            match w.split_once(':').map(|(f, v)| (f, field_name(f), v)) {
                // Only names hold spaces; other values end at a space, so it is a query.
                Some((field, Some(Field::Customer | Field::Category), value)) => {
                    format!("{field}:\"{value}\"")
                }
                Some((_, Some(_), _)) => w.clone(),
                _ => format!("\"{w}\""),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The field a clause's name stands for, negation allowed (`-tag`).
fn field_name(name: &str) -> Option<Field> {
    let name = name.strip_prefix(['-', QUERY_MINUS]).unwrap_or(name);
    Field::lookup(name)
}

/// Whether a word is a clause of its own: `field:value` or `#123`.
fn is_clause(word: &str) -> bool {
    match word.split_once(':') {
        Some((name, _)) => field_name(name).is_some(),
        None => word
            .strip_prefix('#')
            .is_some_and(|n| n.parse::<u64>().is_ok()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(args: &[&str]) -> Vec<String> {
        args.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn negated_query_words_are_protected_but_options_are_not() {
        let out = protect_negations(v(&[
            "tdesk",
            "list",
            "-tag:spam",
            "--json",
            "--sort",
            "-x",
            "status:open",
            "-h",
        ]));
        assert_eq!(
            out,
            v(&[
                "tdesk",
                "list",
                "\u{2212}tag:spam",
                "--json",
                "--sort",
                "-x",
                "status:open",
                "-h"
            ])
        );
        let untouched = v(&["tdesk", "add", "--title", "-refund"]);
        assert_eq!(protect_negations(untouched.clone()), untouched);
    }

    #[test]
    fn phrases_keep_their_quotes() {
        assert_eq!(
            join_query(&v(&["late parcel", "status:open", "customer:Zhang Wei"])),
            "\"late parcel\" status:open customer:\"Zhang Wei\""
        );
        // A whole query in one argument stays a query.
        assert_eq!(
            join_query(&v(&["status:open priority:P0..P1 退款", "-tag:spam"])),
            "status:open priority:P0..P1 退款 -tag:spam"
        );
        assert_eq!(join_query(&v(&["refund #12"])), "refund #12");
        assert_eq!(
            join_query(&v(&["status:new|in_progress 退款"])),
            "status:new|in_progress 退款"
        );
        assert_eq!(join_query(&v(&["where is it"])), "\"where is it\"");
    }
}

#[derive(Debug, Subcommand)]
pub enum KbCommand {
    /// Write an article: in your editor (drafted from a resolved ticket
    /// with --from), from a Markdown file (--file), or from flags (--body).
    Add(Box<KbAddArgs>),
    /// List articles, by category.
    List {
        /// Only this category and those under it (e.g. logistics).
        #[arg(long)]
        category: Option<String>,
        /// Only this language (en, zh-CN).
        #[arg(long = "language", id = "article_lang", value_name = "LANG")]
        lang: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Read an article.
    Show {
        /// The article's id.
        id: String,
        /// The language to read it in (default: English, else the first).
        #[arg(long = "language", id = "article_lang", value_name = "LANG")]
        lang: Option<String>,
        /// Print the Markdown file (front matter and body) as stored.
        #[arg(long)]
        raw: bool,
        #[arg(long)]
        json: bool,
    },
    /// Search titles, bodies, categories and tags (Chinese, pinyin, words).
    Search {
        #[arg(required = true)]
        text: Vec<String>,
        #[arg(long = "language", id = "article_lang", value_name = "LANG")]
        lang: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Change an article in your editor, or replace it with a file.
    Edit {
        id: String,
        #[arg(long = "language", id = "article_lang", value_name = "LANG")]
        lang: Option<String>,
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// Remove an article (supervisors and admins): one language, or all.
    Rm {
        id: String,
        #[arg(long = "language", id = "article_lang", value_name = "LANG")]
        lang: Option<String>,
    },
    /// The three articles that best answer a ticket, in its customer's language.
    Suggest {
        id: TicketNumber,
        #[arg(long)]
        json: bool,
    },
    /// Record that an article solved a ticket.
    Solved { ticket: TicketNumber, id: String },
    /// Write every article as `<id>.<lang>.md` into a folder (keep it in git).
    Export { dir: PathBuf },
    /// Read article files or folders of them; an article already there
    /// with the same id and language is updated, an unchanged one skipped.
    Import {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct KbAddArgs {
    #[arg(long)]
    pub title: Option<String>,
    /// The article's language (default: Chinese for a Chinese title, else
    /// English). `--lang` is the interface's language.
    #[arg(long = "language", id = "article_lang", value_name = "LANG")]
    pub lang: Option<String>,
    #[arg(long)]
    pub category: Option<String>,
    /// Tags, separated by commas.
    #[arg(long)]
    pub tags: Option<String>,
    /// May be sent to customers as it is (default: internal).
    #[arg(long)]
    pub shareable: bool,
    /// Draft it from a resolved ticket: title, category, resolution record.
    #[arg(long, value_name = "TICKET")]
    pub from: Option<TicketNumber>,
    /// A Markdown file with TOML front matter (as `kb export` writes).
    #[arg(long, value_name = "FILE", conflicts_with = "body")]
    pub file: Option<PathBuf>,
    /// The body in Markdown, or `-` for standard input (needs --title).
    #[arg(long)]
    pub body: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// A ticket's resolution report: timeline, who did what, first
    /// response and resolution against the SLA, root cause, prevention,
    /// the customer's verdict.
    Ticket {
        id: TicketNumber,
        /// md (Markdown, for chat tools and wikis) or html (one page).
        #[arg(long, default_value = "md")]
        format: String,
        /// Write it to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// The problem-resolution efficiency report: headline figures against
    /// the period before, SLA attainment, Pareto of categories and root
    /// causes, CSAT, per agent and team, the ten worst open tickets. Your
    /// own tickets for an agent, your team for a supervisor, the desk for
    /// an admin. Default period: last week (Monday to Sunday).
    Weekly {
        #[command(flatten)]
        period: PeriodArgs,
        /// md (Markdown), html (one page with charts), csv (one table per
        /// section) or json.
        #[arg(long, default_value = "md")]
        format: String,
        /// Write it to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Per-ticket metrics for BI tools: one row per ticket created or
    /// solved in the period (business seconds to respond and to solve,
    /// SLA misses, replies, reopens, rating, cause).
    Tickets {
        #[command(flatten)]
        period: PeriodArgs,
        /// csv or json (one object per line).
        #[arg(long, default_value = "csv")]
        format: String,
        /// Write it to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

/// Which period a report covers (one of them; default: last week).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PeriodArgs {
    /// An ISO week: 2026-W47.
    #[arg(long, value_name = "YYYY-Www", conflicts_with_all = ["month", "since", "days"])]
    pub week: Option<String>,
    /// A calendar month: 2026-11.
    #[arg(long, value_name = "YYYY-MM", conflicts_with_all = ["since", "days"])]
    pub month: Option<String>,
    /// From this date (YYYY-MM-DD) …
    #[arg(long, value_name = "DATE", conflicts_with = "days")]
    pub since: Option<String>,
    /// … to this date, included (default: now).
    #[arg(long, value_name = "DATE", requires = "since")]
    pub until: Option<String>,
    /// The last N days up to now.
    #[arg(long, value_name = "N")]
    pub days: Option<u32>,
}

//! The use cases of a desk. [`Desk`] combines the store with the workflow
//! engine; every write is one `BEGIN IMMEDIATE` transaction that also appends
//! its audit events, and re-reads the actor's membership and role first, so a
//! demoted or removed user loses rights at their next action.

mod actions;
mod admin;
mod attachments;
mod automate;
mod backup;
mod bulk;
mod children;
mod clock;
mod customers;
mod demo;
mod drafts;
mod escalate;
mod export;
mod identity;
mod import;
mod kb;
mod links;
mod mail_out;
mod merge;
mod milestones;
mod notify;
mod ops;
mod presence;
mod reads;
mod replies;
mod report;
mod report_work;
mod routing;
mod search;
mod simulate;
mod sla;
mod subtasks;
mod survey;
mod time;
mod undo;
mod views;
mod work;

use crate::domain::ChangeKind;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::domain::{Role, User};
use crate::error::{Error, Result};
use crate::store::{OpenMode, Reader, Store, Writer};
use crate::workflow::Workflow;

pub use backup::{BackupOutcome, RestoreOutcome};
pub use bulk::{BulkAction, BulkOutcome, Targets};
pub use children::ChildrenOutcome;
pub use clock::{Clock, FixedClock, SystemClock};
pub use customers::{CustomerEdit, CustomerExtras, CustomerProfile, HANDLE_KINDS};
pub use demo::{DEMO_ARTICLES, DemoSummary};
pub use escalate::Fired;
pub use identity::{Identity, account_exists};
pub use import::{BounceOutcome, CsvInput, ImportOptions, ImportReport, MailOutcome, csv_map};
pub use kb::{KbHit, KbImportReport, SUGGESTIONS, TicketText};
pub use mail_out::{Letter, LetterFile, MailSettings, plain_address};
pub use ops::MoveOptions;
pub use ops::verdict::{VerdictInput, VerdictOutcome, VerdictSource};
pub use presence::{BEAT_EVERY, Viewer};
pub use reads::{BoardColumn, ListPage, TicketView};
pub use report::{DeskReport, ReportScope};
pub use report_work::{StepsRow, TimeRow, WorkFigures};
pub use search::{Interrupter, SearchHit};
pub use simulate::Simulation;
pub use sla::{SlaClocks, StatusSummary};
pub use survey::SurveyReport;
pub use time::TimeSpent;
pub use undo::{UndoOutcome, UndoRefusal};

/// Settings key holding a desk's own workflow definition.
const WORKFLOW_SETTING: &str = "workflow";

/// An open desk, acting as one member.
pub struct Desk {
    store: Store,
    workflow: Workflow,
    login: String,
    clock: Arc<dyn Clock>,
    path: Option<PathBuf>,
    /// The member's time zone, for `today` and dates in queries.
    tz: chrono::FixedOffset,
    /// The SLA policy in force.
    sla: crate::sla::Policy,
    /// The routing rules in force.
    rules: crate::rules::RuleSet,
    /// The automations in force.
    automations: Vec<crate::rules::automation::Automation>,
    /// Heartbeats of who looks at which ticket (opened on first use).
    presence: Option<crate::store::Presence>,
}

/// What the database says about itself, for `tdesk doctor`.
#[derive(Debug, Clone)]
pub struct Checkup {
    /// `ok`, or SQLite's first complaint.
    pub integrity: String,
    pub schema: i64,
    pub expected_schema: i64,
    pub journal: String,
    pub search_ok: bool,
    /// The member running the check.
    pub me: User,
    pub members: Vec<User>,
    /// A restore under way, or stopped before it ended: when it began and
    /// when writes are taken again by themselves.
    pub restore: Option<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)>,
}

/// What opening a desk did besides opening it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    /// The desk had members; the caller is one of them.
    Existing,
    /// The desk had no members; the caller became its admin.
    Bootstrapped,
}

/// How long a chunked job leaves the desk to other writers between chunks.
const CHUNK_PAUSE: std::time::Duration = std::time::Duration::from_millis(5);

impl Desk {
    /// Opens the existing desk at `path` as `who`, a member of it. Never
    /// starts a desk: a file without one is [`Error::EmptyDesk`], so a
    /// truncated or missing team desk is never replaced by a new one whose
    /// admin is whoever came first.
    pub fn open(path: &Path, who: &Identity, clock: Arc<dyn Clock>) -> Result<(Self, Opened)> {
        Self::open_with(path, who, clock, OpenMode::Existing)
    }

    /// Opens the desk at `path`, starting one in an empty or new file with
    /// `who` as its admin (`tdesk init`, a first personal desk).
    pub fn create(path: &Path, who: &Identity, clock: Arc<dyn Clock>) -> Result<(Self, Opened)> {
        Self::open_with(path, who, clock, OpenMode::Create)
    }

    fn open_with(
        path: &Path,
        who: &Identity,
        clock: Arc<dyn Clock>,
        mode: OpenMode,
    ) -> Result<(Self, Opened)> {
        let store = Store::open(path, mode)?;
        let (mut desk, opened) = Self::with_store(store, who, clock).map_err(|e| match e {
            Error::EmptyDesk(_) => Error::EmptyDesk(path.display().to_string()),
            other => other,
        })?;
        desk.path = Some(path.to_path_buf());
        Ok((desk, opened))
    }

    /// A private in-memory desk (tests, dry runs).
    pub fn open_in_memory(who: &Identity, clock: Arc<dyn Clock>) -> Result<Self> {
        Self::with_store(Store::open_in_memory()?, who, clock).map(|(d, _)| d)
    }

    fn with_store(
        mut store: Store,
        who: &Identity,
        clock: Arc<dyn Clock>,
    ) -> Result<(Self, Opened)> {
        let now = clock.now();
        // The common case reads only; the bootstrap below needs the write lock.
        let known = store.reader().user(&who.login)?.is_some();
        let mode = store.mode();
        let opened = if known {
            Opened::Existing
        } else {
            store.write(|w| {
                if w.reader().user(&who.login)?.is_some() {
                    return Ok(Opened::Existing);
                }
                if !w.reader().users()?.is_empty() {
                    return Err(Error::NotMember(who.login.clone()));
                }
                if mode == OpenMode::Existing {
                    return Err(Error::EmptyDesk(String::new()));
                }
                let admin = User {
                    login: who.login.clone(),
                    display_name: who.display_name.clone(),
                    role: Role::Admin,
                    team: None,
                    active: true,
                    level: crate::domain::Level::default(),
                };
                w.insert_user(&admin, now)?;
                ops::log_user_event(w, &who.login, now, &admin.login, None, Some(Role::Admin))?;
                Ok(Opened::Bootstrapped)
            })?
        };
        let workflow = load_workflow(&store.reader())?;
        let sla = sla::load_policy(&store.reader())?;
        let rules = routing::load_rules(&store.reader())?;
        let automations = automate::load_automations(&store.reader())?;
        let desk = Self {
            store,
            workflow,
            login: who.login.clone(),
            clock,
            path: None,
            tz: chrono::Offset::fix(chrono::Local::now().offset()),
            presence: None,
            sla,
            rules,
            automations,
        };
        desk.me()?;
        Ok((desk, opened))
    }

    /// The member this desk acts as, read fresh from the database.
    pub fn me(&self) -> Result<User> {
        current_user(&self.store.reader(), &self.login)
    }

    pub fn login(&self) -> &str {
        &self.login
    }

    /// The active workflow (the desk's own or the embedded default).
    pub fn workflow(&self) -> &Workflow {
        &self.workflow
    }

    /// Rebuilds the search index from the tickets (admin only): the fix
    /// `doctor` names when the index fails its check.
    pub fn rebuild_search(&mut self) -> Result<()> {
        self.require("action.repair_search", Role::Admin)?;
        self.store.rebuild_search_index()
    }

    /// The names of the desk's automations per language, by name.
    pub fn automation_labels(&self) -> std::collections::BTreeMap<String, crate::domain::Label> {
        self.automations
            .iter()
            .filter_map(|a| Some((a.name.clone(), a.label.clone()?)))
            .collect()
    }

    /// Where the desk's database lives, if on disk.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Sets the zone that `today` and dates in queries are read in.
    pub fn set_timezone(&mut self, tz: chrono::FixedOffset) {
        self.tz = tz;
    }

    pub fn timezone(&self) -> chrono::FixedOffset {
        self.tz
    }

    /// The desk's current time.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// Runs a write as the current member: one transaction, fresh role
    /// check, one undoable change (`kind`, `detail`) grouping its events.
    fn write_as<T>(
        &mut self,
        kind: ChangeKind,
        detail: &str,
        f: impl FnOnce(&mut Writer<'_>, &ops::Ctx<'_>) -> Result<T>,
    ) -> Result<T> {
        self.write_in(None, kind, detail, f).map(|(value, _)| value)
    }

    /// One chunk of a bulk action: a transaction that reuses the change row
    /// `change` (or starts it) so all chunks undo together. Returns the change id.
    fn write_chunk<T>(
        &mut self,
        change: Option<i64>,
        kind: ChangeKind,
        detail: &str,
        f: impl FnOnce(&mut Writer<'_>, &ops::Ctx<'_>) -> Result<T>,
    ) -> Result<(T, i64)> {
        self.write_in(change, kind, detail, f).inspect(|_| {
            // Between chunks the lock is free for a moment: a writer waiting
            // in its busy handler (it looks every 2 ms) gets its turn, so a
            // long import never starves the other agents.
            std::thread::sleep(CHUNK_PAUSE);
        })
    }

    /// A transaction in change `change` (started when `None`), followed in
    /// it by automations, deadlines and notices for the events it wrote.
    fn write_in<T>(
        &mut self,
        change: Option<i64>,
        kind: ChangeKind,
        detail: &str,
        f: impl FnOnce(&mut Writer<'_>, &ops::Ctx<'_>) -> Result<T>,
    ) -> Result<(T, i64)> {
        let now = self.clock.now();
        let login = self.login.clone();
        let workflow = &self.workflow;
        let policy = &self.sla;
        let autos = &self.automations;
        self.store.write(|w| {
            let me = current_user(&w.reader(), &login)?;
            let change = match change {
                Some(c) => c,
                None => w.begin_change(&login, now, kind.as_str(), detail)?,
            };
            let ctx = ops::Ctx {
                workflow,
                actor: &me,
                now,
                change: Some(change),
            };
            let after = w.last_event_id()?;
            let value = f(w, &ctx)?;
            let follow = Followers {
                workflow,
                policy,
                autos,
                actor: &me,
            };
            follow.run(w, change, after, kind, now)?;
            Ok((value, change))
        })
    }

    /// Fails with `Forbidden` unless the current member has at least `needs`.
    fn require(&self, action: &'static str, needs: Role) -> Result<User> {
        let me = self.me()?;
        if me.role.at_least(needs) {
            Ok(me)
        } else {
            Err(Error::Forbidden { action, needs })
        }
    }

    /// SQLite's integrity check and the schema version, for diagnostics.
    pub fn health(&self) -> Result<(String, i64)> {
        Ok((self.store.integrity_check()?, self.store.schema_version()?))
    }

    /// Changes when someone else (another process or connection) has
    /// written to the desk since the last call; see [`Store::data_version`].
    pub fn data_version(&self) -> Result<i64> {
        self.store.data_version()
    }

    /// Everything `tdesk doctor` asks the database.
    pub fn checkup(&self) -> Result<Checkup> {
        let me = self.me()?;
        let members = self
            .store
            .reader()
            .users()?
            .into_iter()
            .filter(|u| u.active)
            .collect();
        Ok(Checkup {
            integrity: self.store.integrity_check()?,
            schema: self.store.schema_version()?,
            expected_schema: crate::store::SCHEMA_VERSION,
            journal: self.store.journal_mode()?,
            search_ok: self.store.check_search_index().is_ok(),
            me,
            members,
            restore: self.store.restore_under_way()?,
        })
    }

    /// Fails when the search index does not match the tickets.
    pub fn check_search_index(&self) -> Result<()> {
        self.store.check_search_index()
    }
}

/// What follows every change in its own transaction: the automations it
/// sets off, then the SLA deadlines and notifications of every ticket it
/// (and they) touched — read from the change's events once.
struct Followers<'a> {
    workflow: &'a Workflow,
    policy: &'a crate::sla::Policy,
    autos: &'a [crate::rules::automation::Automation],
    actor: &'a User,
}

impl Followers<'_> {
    /// `after`: only events after this one belong to this part of the
    /// change (a bulk change is written in chunks).
    fn run(
        &self,
        w: &mut Writer<'_>,
        change: i64,
        after: i64,
        kind: ChangeKind,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<()> {
        automate::on_change(w, self.workflow, self.autos, change, after, now)?;
        let events = w.reader().change_events_after(change, after)?;
        let mut touched: Vec<i64> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for t in events.iter().filter_map(|e| e.ticket) {
            if seen.insert(t) {
                touched.push(t);
            }
        }
        // Tickets written with their deadlines already worked out (imports)
        // are left alone unless something after that moved them.
        let stale: Vec<i64> = match w.take_deadlines_current() {
            Some((mark, current)) => {
                let moved: std::collections::HashSet<i64> = events
                    .iter()
                    .filter(|e| e.id > mark)
                    .filter_map(|e| e.ticket)
                    .collect();
                touched
                    .iter()
                    .copied()
                    .filter(|t| !current.contains(t) || moved.contains(t))
                    .collect()
            }
            None => touched.clone(),
        };
        sla::refresh_deadlines(w, self.policy, &stale, now)?;
        notify::notify_change(w, self.actor, change, &events, &touched, kind, now)
    }
}

fn current_user(r: &Reader<'_>, login: &str) -> Result<User> {
    match r.user(login)? {
        Some(u) if u.active => Ok(u),
        _ => Err(Error::NotMember(login.to_string())),
    }
}

fn load_workflow(r: &Reader<'_>) -> Result<Workflow> {
    match r.setting(WORKFLOW_SETTING)? {
        Some(source) => Workflow::parse(&source).map_err(|errors| Error::Workflow {
            file: WORKFLOW_SETTING.into(),
            errors,
        }),
        None => Ok(Workflow::default_workflow()),
    }
}

#[cfg(test)]
mod import_tests;
#[cfg(test)]
mod link_tests;
#[cfg(test)]
mod milestone_tests;
#[cfg(test)]
mod report_tests;
#[cfg(test)]
mod subtask_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod time_tests;
#[cfg(test)]
mod verdict_tests;

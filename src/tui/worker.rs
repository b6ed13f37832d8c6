//! The worker thread: runs [`Job`]s that can take long on a big desk (counts,
//! the board, search) on its own connection, so typing never waits on them.
//! When a newer job of the same kind is queued, the older one is skipped;
//! when a read is already running, its query is interrupted.

use std::mem::{Discriminant, discriminant};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::sync::{Arc, Mutex, PoisonError};

use super::action::{Action, Job};
use super::app::{BOARD_LIMIT, CUSTOMER_MATCHES, SEARCH_LIMIT};
use crate::error::{Error, Result};
use crate::service::{Clock, Desk, Identity, Interrupter};

/// The kind of read the worker is running, if any (bulk writes are never stopped).
type Running = Arc<Mutex<Option<Discriminant<Job>>>>;

/// A running worker; dropping it stops the thread.
pub struct Worker {
    jobs: Sender<Job>,
    /// One message per job sent: its result, or `None` when it was skipped.
    results: Receiver<Option<Action>>,
    outstanding: usize,
    running: Running,
    interrupter: Interrupter,
}

/// Runs one job against a desk.
pub fn run(desk: &mut Desk, job: Job) -> Action {
    match job {
        Job::View(id) => match desk.ticket_view(id) {
            Ok(view) => Action::ViewLoaded(Box::new(view)),
            Err(error) => Action::ViewFailed { id, error },
        },
        Job::Window {
            generation,
            request,
            total,
        } => match desk.list_window(&request, total) {
            Ok(rows) => Action::WindowLoaded {
                generation,
                start: request.offset,
                asked: request.limit,
                rows,
            },
            Err(e) => Action::Failed(e),
        },
        Job::Count { generation, query } => match desk.count(&query) {
            Ok(total) => Action::Counted { generation, total },
            Err(e) => Action::Failed(e),
        },
        Job::Board { generation, query } => match desk.board(&query, BOARD_LIMIT) {
            Ok(columns) => Action::BoardLoaded {
                generation,
                columns,
            },
            Err(e) => Action::Failed(e),
        },
        Job::ViewCounts {
            generation,
            queries,
        } => match desk.counts(&queries) {
            Ok(counts) => Action::ViewCounts { generation, counts },
            Err(e) => Action::Failed(e),
        },
        Job::Customers { generation, text } => {
            match desk.customers(Some(&text), CUSTOMER_MATCHES) {
                Ok(found) => Action::CustomersFound { generation, found },
                Err(e) => Action::Failed(e),
            }
        }
        Job::Search { generation, query } => match desk.search(&query, SEARCH_LIMIT) {
            Ok(hits) => Action::SearchLoaded { generation, hits },
            Err(error) => Action::SearchFailed { generation, error },
        },
        Job::Kb { generation, text } => match desk.kb_search(&text, None) {
            Ok(hits) => Action::KbLoaded { generation, hits },
            Err(e) => Action::Failed(e),
        },
        Job::Dashboard { generation, period } => match desk.report(period) {
            Ok(report) => Action::DashboardLoaded {
                generation,
                report: Box::new(report),
            },
            Err(error) => Action::DashboardFailed { generation, error },
        },
        Job::Timeline(ids) => match desk.timeline_extras(&ids) {
            Ok(extras) => Action::TimelineLoaded(extras),
            Err(e) => Action::Failed(e),
        },
        Job::Locate {
            generation,
            query,
            due,
            id,
        } => match desk.due_rank(&query, due, id) {
            Ok(index) => Action::Located { generation, index },
            Err(e) => Action::Failed(e),
        },
        Job::Milestones => match desk.milestones(false) {
            Ok(list) => Action::MilestonesLoaded(list),
            Err(e) => Action::Failed(e),
        },
        Job::Work { generation } => match desk.my_work(super::app::work::WORK_LIMIT) {
            Ok(items) => Action::WorkLoaded { generation, items },
            Err(e) => Action::Failed(e),
        },
        Job::Sweep => match desk.sweep() {
            Ok(fired) => Action::Swept(fired.len()),
            Err(e) => Action::Failed(e),
        },
        Job::SendMail(commands) => {
            // Only the sender's own TUI sends; everyone else's only queues.
            let sends = desk.require_mail_sender().is_ok()
                && crate::mailer::agreed(desk, &commands)
                && matches!(crate::mailer::command(desk, &commands), Ok(Some(_)));
            if !sends {
                return Action::Mailed(crate::mailer::Sent::default());
            }
            match crate::mailer::send_due(desk, &commands) {
                Ok(sent) => Action::Mailed(sent),
                Err(e) => Action::Failed(e),
            }
        }
        Job::Deliver { command, cat } => match crate::hook::deliver(desk, &command, &cat) {
            Ok(done) => Action::Delivered(done),
            Err(e) => Action::Failed(e),
        },
        Job::Bulk { targets, action } => match desk.bulk(&targets, &action) {
            Ok(out) => Action::BulkDone(Box::new(out)),
            Err(e) => Action::Failed(e),
        },
    }
}

/// Reads can be stopped when a newer one of their kind comes. Writes never
/// are: an interrupted mail run could send a letter without recording it.
fn read_kind(job: &Job) -> Option<Discriminant<Job>> {
    let write = matches!(
        job,
        Job::Bulk { .. } | Job::Sweep | Job::SendMail(_) | Job::Deliver { .. }
    );
    (!write).then(|| discriminant(job))
}

/// Whether `b` makes a queued `a` pointless: reads, and the periodic runs
/// (the newer one does the same work). Bulk actions always run.
fn same_kind(a: &Job, b: &Job) -> bool {
    !matches!(a, Job::Bulk { .. }) && discriminant(a) == discriminant(b)
}

/// Whether a result only says that its query was stopped for a newer one.
fn was_interrupted(action: &Action) -> bool {
    matches!(
        action,
        Action::Failed(Error::Interrupted)
            | Action::ViewFailed {
                error: Error::Interrupted,
                ..
            }
            | Action::SearchFailed {
                error: Error::Interrupted,
                ..
            }
    )
}

impl Worker {
    /// Opens a second connection to the desk at `desk.path()` as the same member.
    /// `None` for in-memory desks, whose jobs then run in line.
    pub fn spawn(desk: &Desk, clock: Arc<dyn Clock>) -> Result<Option<Self>> {
        let Some(path) = desk.path().map(|p| p.to_path_buf()) else {
            return Ok(None);
        };
        let me = desk.me()?;
        let who = Identity {
            login: me.login,
            display_name: me.display_name,
        };
        let (own, _) = Desk::open(&path, &who, clock)?;
        let interrupter = own.interrupter();
        let running: Running = Arc::default();
        let theirs = running.clone();
        let (job_tx, job_rx) = mpsc::channel::<Job>();
        let (result_tx, result_rx) = mpsc::channel::<Option<Action>>();
        std::thread::Builder::new()
            .name("tdesk-worker".into())
            .spawn(move || serve(own, job_rx, result_tx, theirs))
            .map_err(|e| crate::Error::Terminal(e.to_string()))?;
        Ok(Some(Self {
            jobs: job_tx,
            results: result_rx,
            outstanding: 0,
            running,
            interrupter,
        }))
    }

    pub fn send(&mut self, job: Job) {
        // The lock keeps the worker from moving on to another job meanwhile,
        // so the interrupt can only hit the read it was meant for.
        let running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        if running.is_some() && *running == read_kind(&job) {
            self.interrupter.interrupt();
        }
        drop(running);
        // A stopped worker reports nothing; the UI keeps its last data.
        if self.jobs.send(job).is_ok() {
            self.outstanding += 1;
        }
    }

    /// Whether results are still to come.
    pub fn busy(&self) -> bool {
        self.outstanding > 0
    }

    /// A finished result, if any.
    pub fn try_recv(&mut self) -> Option<Action> {
        loop {
            match self.results.try_recv() {
                Ok(message) => {
                    self.outstanding = self.outstanding.saturating_sub(1);
                    if message.is_some() {
                        return message;
                    }
                }
                Err(TryRecvError::Empty) => return None,
                Err(TryRecvError::Disconnected) => {
                    self.outstanding = 0;
                    return None;
                }
            }
        }
    }
}

fn serve(mut desk: Desk, jobs: Receiver<Job>, results: Sender<Option<Action>>, running: Running) {
    while let Ok(first) = jobs.recv() {
        // Take everything queued; run only the newest job of each kind.
        let mut queued = vec![first];
        let mut skipped = 0;
        loop {
            match jobs.try_recv() {
                Ok(job) => {
                    let before = queued.len();
                    queued.retain(|q| !same_kind(q, &job));
                    skipped += before - queued.len();
                    queued.push(job);
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => return,
            }
        }
        for _ in 0..skipped {
            if results.send(None).is_err() {
                return;
            }
        }
        for job in queued {
            *running.lock().unwrap_or_else(PoisonError::into_inner) = read_kind(&job);
            let action = run(&mut desk, job);
            *running.lock().unwrap_or_else(PoisonError::into_inner) = None;
            let message = (!was_interrupted(&action)).then_some(action);
            if results.send(message).is_err() {
                return;
            }
        }
    }
}

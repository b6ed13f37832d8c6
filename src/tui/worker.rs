//! The worker thread: runs [`Job`]s that can take long on a big desk (counts,
//! the board) on its own connection, so typing never waits on them. When a
//! newer job of the same kind is queued, the older one is skipped.

use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};

use super::action::{Action, Job};
use super::app::BOARD_LIMIT;
use crate::error::Result;
use crate::service::{Clock, Desk, Identity};

/// A running worker; dropping it stops the thread.
pub struct Worker {
    jobs: Sender<Job>,
    /// One message per job sent: its result, or `None` when it was skipped.
    results: Receiver<Option<Action>>,
    outstanding: usize,
}

/// Runs one job against a desk.
pub fn run(desk: &mut Desk, job: Job) -> Action {
    match job {
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
        Job::Bulk { targets, action } => match desk.bulk(&targets, &action) {
            Ok(out) => Action::BulkDone(Box::new(out)),
            Err(e) => Action::Failed(e),
        },
    }
}

/// Whether `b` makes a queued `a` pointless (reads only; writes always run).
fn same_kind(a: &Job, b: &Job) -> bool {
    !matches!(a, Job::Bulk { .. }) && std::mem::discriminant(a) == std::mem::discriminant(b)
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
        let (job_tx, job_rx) = mpsc::channel::<Job>();
        let (result_tx, result_rx) = mpsc::channel::<Option<Action>>();
        std::thread::Builder::new()
            .name("tdesk-worker".into())
            .spawn(move || serve(own, job_rx, result_tx))
            .map_err(|e| crate::Error::Terminal(e.to_string()))?;
        Ok(Some(Self {
            jobs: job_tx,
            results: result_rx,
            outstanding: 0,
        }))
    }

    pub fn send(&mut self, job: Job) {
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

fn serve(mut desk: Desk, jobs: Receiver<Job>, results: Sender<Option<Action>>) {
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
            if results.send(Some(run(&mut desk, job))).is_err() {
                return;
            }
        }
    }
}

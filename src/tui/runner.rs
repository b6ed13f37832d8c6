//! Executes [`Effect`]s against the desk and turns results into [`Action`]s.
//! Writes and quick reads run here in line; background jobs go to their
//! lane's worker when there is one ([`super::worker`] runs them), and in
//! line otherwise (tests, in-memory desks). Set-up and tear-down
//! (`tui::run`) talk to the desk directly.

use std::collections::VecDeque;

use super::action::{Action, Effect, Lane, SavedKind};
use super::app::App;
use super::worker::{self, Worker};
use crate::service::{Desk, MoveOptions, VerdictOutcome, VerdictSource};

/// Runs effects, in line or on the workers.
#[derive(Default)]
pub struct Runner {
    /// Counts, boards, searches, bulk actions.
    worker: Option<Worker>,
    /// List windows, so a page never waits behind a count.
    lists: Option<Worker>,
    /// The detail pane's ticket, so a cursor move never waits for it.
    details: Option<Worker>,
    /// The dashboard's figures; started the first time one is asked for.
    reports: Option<Worker>,
    /// The clock the reports worker is started with (none: run in line).
    reports_clock: Option<std::sync::Arc<dyn crate::service::Clock>>,
    /// Text an answer asked to edit in the member's editor (a drafted
    /// article): the event loop hands the terminal over for it.
    editor: Option<String>,
}

impl Runner {
    pub fn new(worker: Option<Worker>, lists: Option<Worker>, details: Option<Worker>) -> Self {
        Self {
            worker,
            lists,
            details,
            reports: None,
            reports_clock: None,
            editor: None,
        }
    }

    /// Reports get their own worker, started with `clock` when first needed.
    pub fn with_reports(mut self, clock: std::sync::Arc<dyn crate::service::Clock>) -> Self {
        self.reports_clock = Some(clock);
        self
    }

    /// From now on, list windows load on `lists`.
    pub fn set_lists(&mut self, lists: Option<Worker>) {
        self.lists = lists;
    }

    /// Text waiting for the member's editor, if an answer asked for it.
    pub fn take_editor(&mut self) -> Option<String> {
        self.editor.take()
    }

    /// Whether a worker still owes results.
    pub fn busy(&self) -> bool {
        self.worker
            .iter()
            .chain(&self.lists)
            .chain(&self.details)
            .chain(&self.reports)
            .any(Worker::busy)
    }

    /// Feeds effects and the actions they produce through the app until
    /// nothing is left. Bounded, so a buggy feedback loop cannot hang the UI.
    pub fn settle(&mut self, desk: &mut Desk, app: &mut App, effects: Vec<Effect>) {
        let mut queue: VecDeque<Effect> = effects.into();
        let mut budget = 64;
        while let Some(effect) = queue.pop_front() {
            if budget == 0 {
                break;
            }
            budget -= 1;
            let actions = match effect {
                Effect::Background(job) => {
                    if job.lane() == Lane::Reports
                        && self.reports.is_none()
                        && let Some(clock) = self.reports_clock.take()
                    {
                        self.reports = Worker::spawn(desk, clock).ok().flatten();
                    }
                    let lane = match job.lane() {
                        Lane::Lists => &mut self.lists,
                        Lane::Details => &mut self.details,
                        Lane::Reports => &mut self.reports,
                        Lane::Other => &mut self.worker,
                    };
                    match lane {
                        Some(worker) => {
                            worker.send(job);
                            Vec::new()
                        }
                        None => vec![worker::run(desk, job)],
                    }
                }
                Effect::Editor { text } => {
                    self.editor = Some(text);
                    Vec::new()
                }
                effect => execute(desk, effect),
            };
            for action in actions {
                queue.extend(app.update(action));
            }
        }
    }

    /// Applies every result the worker has finished; returns whether any did.
    pub fn drain(&mut self, desk: &mut Desk, app: &mut App) -> bool {
        let mut any = false;
        while let Some(action) = self
            .lists
            .as_mut()
            .and_then(Worker::try_recv)
            .or_else(|| self.details.as_mut().and_then(Worker::try_recv))
            .or_else(|| self.reports.as_mut().and_then(Worker::try_recv))
            .or_else(|| self.worker.as_mut().and_then(Worker::try_recv))
        {
            any = true;
            let effects = app.update(action);
            self.settle(desk, app, effects);
        }
        any
    }
}

/// The files a reply sends, paths as typed: `~/` is the home directory.
fn read_files(typed: &[String], desk_limit: u64) -> crate::error::Result<Vec<(String, Vec<u8>)>> {
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    let paths: Vec<std::path::PathBuf> = typed
        .iter()
        .map(|t| match (t.strip_prefix("~/"), &home) {
            (Some(rest), Some(home)) => home.join(rest),
            _ => std::path::PathBuf::from(t),
        })
        .collect();
    crate::userfile::read_files(&paths, desk_limit)
}

/// Runs one effect in line; returns the actions its result produces.
/// A parent just solved with open children: offer to solve them too.
fn children_offer(desk: &Desk, parent: i64, to: String, opts: MoveOptions) -> Option<Action> {
    let solved = desk
        .workflow()
        .states()
        .iter()
        .any(|s| s.id == to && (s.is_resolved || s.is_final));
    let count = desk.open_children(parent).ok()?.len();
    (solved && count > 0).then_some(Action::ChildrenOpen {
        parent,
        to,
        opts,
        count,
    })
}

pub fn execute(desk: &mut Desk, effect: Effect) -> Vec<Action> {
    let saved = |id: i64, kind: SavedKind| Action::Saved { id, kind };
    let result = match effect {
        Effect::Background(job) => Ok(worker::run(desk, job)),
        Effect::LoadUsers => desk.users().map(Action::UsersLoaded),
        Effect::LoadViews => desk.views().map(Action::ViewsLoaded),
        Effect::LoadChanges => desk.recent_changes(30).map(Action::ChangesLoaded),
        Effect::Undo(change) => desk.undo(change).map(|o| Action::Undone(Box::new(o))),
        Effect::Create(new) => desk
            .create_ticket(*new)
            .map(|id| saved(id, SavedKind::Created)),
        Effect::LoadDrafts => desk.drafts().map(Action::DraftsLoaded),
        Effect::EditCustomer { id, edit } => desk
            .edit_customer(id, &edit)
            .map(|p| Action::CustomerEdited(Box::new(p))),
        Effect::SaveDraft { id, internal, body } => {
            return match desk.save_draft(id, internal, &body) {
                Ok(()) => Vec::new(),
                Err(e) => vec![Action::Failed(e)],
            };
        }
        Effect::Spam { id, version } => desk
            .mark_spam(id, Some(version))
            .map(|t| saved(t.id, SavedKind::Moved)),
        Effect::Move { id, to, opts } => {
            return match desk.move_ticket(id, &to, &opts) {
                Ok(t) => {
                    let mut actions = vec![saved(t.id, SavedKind::Moved)];
                    actions.extend(children_offer(desk, t.id, to, opts));
                    actions
                }
                Err(e) => vec![Action::Failed(e)],
            };
        }
        Effect::MoveChildren { parent, to, opts } => {
            desk.move_children(parent, &to, &opts)
                .map(|out| Action::ChildrenMoved {
                    parent,
                    outcome: Box::new(out),
                })
        }
        Effect::Assign { id, login, version } => {
            desk.assign(id, login.as_deref(), Some(version)).map(|t| {
                let key = if t.assignee.is_some() {
                    SavedKind::Assigned
                } else {
                    SavedKind::Unassigned
                };
                saved(t.id, key)
            })
        }
        Effect::Comment {
            id,
            body,
            internal,
            files,
        } => {
            let kind = if internal {
                crate::domain::CommentKind::Note
            } else {
                crate::domain::CommentKind::Reply
            };
            desk.attachment_limit()
                .and_then(|limit| read_files(&files, limit))
                .and_then(|files| desk.post(id, &body, kind, &files))
                .map(|(c, fate)| {
                    // A reply that cannot go out is said so where it was written.
                    let key = match fate {
                        crate::domain::MailFate::WaitingForSetUp => SavedKind::ReplyWaiting,
                        crate::domain::MailFate::NoAddress => SavedKind::ReplyNoAddress,
                        crate::domain::MailFate::Queued => SavedKind::ReplyQueued,
                        crate::domain::MailFate::NotByMail if internal => SavedKind::Noted,
                        crate::domain::MailFate::NotByMail => SavedKind::Commented,
                    };
                    saved(c.ticket, key)
                })
        }
        Effect::Edit {
            id,
            changes,
            version,
        } => desk
            .edit(id, &changes, Some(version))
            .map(|t| saved(t.id, SavedKind::Edited)),
        Effect::DraftArticle { from, lang } => desk
            .kb_draft(None, lang.as_deref(), from)
            .map(Action::ArticleDrafted),
        Effect::PutArticle { text, slug } => match slug {
            Some(slug) => desk.kb_edit(&slug, &text, &slug),
            None => desk.kb_add(&text, "article"),
        }
        .map(|a| Action::ArticleSaved {
            slug: a.slug,
            lang: a.lang,
        }),
        Effect::ArticleUsed { ticket, slug } => desk
            .kb_solved(ticket, &slug)
            .map(|()| Action::ArticleLinked),
        Effect::Accept {
            id,
            version,
            verdict,
        } => desk
            .record_verdict(id, &verdict, VerdictSource::Agent, Some(version))
            .map(|outcome| {
                let kind = match outcome {
                    VerdictOutcome::Closed { .. } => SavedKind::VerdictClosed,
                    VerdictOutcome::Accepted => SavedKind::Accepted,
                    VerdictOutcome::Recorded => SavedKind::VerdictRecorded,
                    VerdictOutcome::Reopened { .. } => SavedKind::VerdictReopened,
                };
                saved(id, kind)
            }),
        Effect::LoadInbox => desk.inbox(false, 100).map(Action::InboxLoaded),
        Effect::LoadQueues => desk.load().map(Action::QueuesLoaded),
        Effect::Merge { src, dst } => desk
            .merge_tickets(src, dst)
            .map(|t| saved(t.id, SavedKind::Merged)),
        Effect::AddStep { id, step } => desk
            .add_subtask(id, step)
            .map(|_| saved(id, SavedKind::StepAdded)),
        Effect::ToggleStep { id, position } => desk
            .subtasks(id)
            .and_then(|steps| {
                steps
                    .into_iter()
                    .find(|s| s.id == position)
                    .ok_or(crate::error::Error::SubtaskNotFound(position))
            })
            .and_then(|step| desk.set_subtask_done(step.id, !step.is_done()))
            .map(|step| {
                let kind = if step.is_done() {
                    SavedKind::StepDone
                } else {
                    SavedKind::StepReopened
                };
                saved(id, kind)
            }),
        Effect::EditStep {
            ticket,
            step,
            changes,
        } => desk
            .edit_subtask(step, changes)
            .map(|_| saved(ticket, SavedKind::StepEdited)),
        Effect::MarkStep { ticket, step, done } => desk.set_subtask_done(step, done).map(|s| {
            let kind = if s.is_done() {
                SavedKind::StepDone
            } else {
                SavedKind::StepReopened
            };
            saved(ticket, kind)
        }),
        Effect::LoadCustomer(id) => desk
            .customer_of_ticket(id)
            .map(|p| Action::CustomerLoaded(p.map(Box::new))),
        // Each reply as it would go out (the customer's language, filled
        // in); the line after the greeting says what it is about.
        Effect::LoadReplies(id) => desk.filled_replies(id).map(|filled| {
            let replies = filled
                .into_iter()
                .map(|(name, text)| {
                    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
                    let greeting = lines.next().unwrap_or("");
                    let gist = lines.next().unwrap_or(greeting).to_string();
                    let gaps = crate::rules::canned::gaps(&text);
                    (name, gist, gaps)
                })
                .collect();
            Action::RepliesLoaded { id, replies }
        }),
        Effect::LoadAttachments(id) => desk
            .attachments(id)
            .map(|list| Action::AttachmentsLoaded { id, list }),
        Effect::OpenAttachment(id) => desk
            .attachment_to_open(id)
            .and_then(|(a, bytes)| crate::hook::open_with_system(&a.name, &bytes))
            .map(|()| Action::AttachmentOpened(id)),
        Effect::FillReply { id, name } => desk
            .fill_reply(&name, id)
            .map(|text| Action::ReplyFilled { id, text }),
        Effect::LoadUnread => desk.unread_count().map(Action::Unread),
        Effect::LoadTimer => desk.running_timer().map(|running| Action::Timer {
            running,
            said: None,
        }),
        Effect::ToggleTimer { id, step } => toggle_timer(desk, id, step),
        Effect::MarkRead(ids) => desk
            .mark_read(Some(&ids))
            .and_then(|_| desk.unread_count())
            .map(Action::Unread),
        Effect::ToggleWatch(id) => desk
            .is_watching(id)
            .and_then(|on| desk.watch(id, !on).map(|()| !on))
            .map(|on| Action::Watching { id, on }),
        // Presence is a courtesy: a presence file this account cannot write
        // must not put an error on screen every few seconds.
        Effect::Heartbeat { ticket, editing } => {
            let viewers = desk
                .heartbeat(ticket, editing)
                .and_then(|()| ticket.map(|t| desk.viewers(t)).transpose());
            return match (ticket, viewers) {
                (Some(ticket), Ok(Some(viewers))) => {
                    vec![Action::ViewersLoaded { ticket, viewers }]
                }
                _ => Vec::new(),
            };
        }
        Effect::Quit | Effect::Suspend | Effect::Editor { .. } => return Vec::new(),
    };
    vec![result.unwrap_or_else(Action::Failed)]
}

/// Stops the member's timer when it runs on ticket `id` (or its step
/// `step`), else starts it there (stopping it elsewhere); says which in
/// the status line.
fn toggle_timer(desk: &mut Desk, id: i64, step: Option<i64>) -> crate::error::Result<Action> {
    if desk
        .running_timer()?
        .is_some_and(|e| e.ticket == id && e.step == step)
    {
        let stopped = desk.stop_timer()?;
        return Ok(Action::Timer {
            running: None,
            said: stopped.map(|e| {
                let nothing =
                    e.spent(e.stopped.unwrap_or(e.started)) < chrono::Duration::minutes(1);
                (
                    if nothing {
                        "time.stopped_nothing"
                    } else {
                        "time.stopped"
                    },
                    e,
                )
            }),
        });
    }
    let (_, started) = match step {
        Some(step) => desk.start_step_timer(id, step)?,
        None => desk.start_timer(id)?,
    };
    Ok(Action::Timer {
        said: Some(("time.started", started.clone())),
        running: Some(started),
    })
}

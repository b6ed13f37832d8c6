//! Executes [`Effect`]s against the desk and turns results into [`Action`]s.
//! The only place the TUI touches the service.

use std::collections::VecDeque;

use super::action::{Action, Effect};
use super::app::{App, BOARD_LIMIT};
use crate::service::Desk;

/// Runs one effect; returns the actions its result produces.
pub fn execute(desk: &mut Desk, effect: Effect) -> Vec<Action> {
    let saved = |id: i64, key: &'static str| Action::Saved { id, key };
    let result = match effect {
        Effect::LoadList(req) => desk.list_page(&req).map(Action::ListLoaded),
        Effect::LoadBoard(query) => desk.board(&query, BOARD_LIMIT).map(Action::BoardLoaded),
        Effect::LoadDetail(id) => desk.detail(id).map(|d| Action::DetailLoaded(Box::new(d))),
        Effect::LoadUsers => desk.users().map(Action::UsersLoaded),
        Effect::Create(new) => desk
            .create_ticket(*new)
            .map(|id| saved(id, "status.created")),
        Effect::Move { id, to, opts } => desk
            .move_ticket(id, &to, &opts)
            .map(|t| saved(t.id, "status.moved")),
        Effect::Assign { id, login, version } => {
            desk.assign(id, login.as_deref(), Some(version)).map(|t| {
                saved(
                    t.id,
                    if t.assignee.is_some() {
                        "status.assigned"
                    } else {
                        "status.unassigned"
                    },
                )
            })
        }
        Effect::Comment { id, body, internal } => desk
            .comment(id, &body, internal)
            .map(|c| saved(c.ticket, "status.commented")),
        Effect::Edit {
            id,
            changes,
            version,
        } => desk
            .edit(id, &changes, Some(version))
            .map(|t| saved(t.id, "status.edited")),
        Effect::Accept { id, version } => desk
            .accept(id, None, Some(version))
            .map(|t| saved(t.id, "status.accepted")),
        Effect::Quit | Effect::Suspend => return Vec::new(),
    };
    vec![result.unwrap_or_else(Action::Failed)]
}

/// Feeds effects and the actions they produce through the app until nothing
/// is left. Bounded, so a buggy feedback loop cannot hang the UI.
pub fn settle(desk: &mut Desk, app: &mut App, effects: Vec<Effect>) {
    let mut queue: VecDeque<Effect> = effects.into();
    let mut budget = 64;
    while let Some(effect) = queue.pop_front() {
        if budget == 0 {
            break;
        }
        budget -= 1;
        for action in execute(desk, effect) {
            queue.extend(app.update(action));
        }
    }
}

//! What each [`Command`] does when no overlay is open.

use super::overlay::{Menu, MenuItem, MenuKind, NoteKind, Overlay, text_input};
use super::{App, Pane, Selected, TicketForm};
use crate::present::state_label;
use crate::tui::action::{Command, Effect};
use crate::workflow::Requirement;

impl App {
    pub(super) fn command(&mut self, cmd: Command) -> Vec<Effect> {
        if self.pane == Pane::Triage
            && let Some(effects) = self.triage(cmd)
        {
            return effects;
        }
        if self.pane == Pane::Kb
            && let Some(effects) = self.kb_command(cmd)
        {
            return effects;
        }
        if self.pane == Pane::Dashboard
            && let Some(effects) = self.dashboard_command(cmd)
        {
            return effects;
        }
        if self.pane == Pane::Timeline
            && let Some(effects) = self.timeline_command(cmd)
        {
            return effects;
        }
        if self.pane == Pane::Work
            && let Some(effects) = self.work_command(cmd)
        {
            return effects;
        }
        match cmd {
            Command::Quit if matches!(self.pane, Pane::Detail | Pane::Triage) => self.back(),
            Command::Quit => {
                self.quit = true;
                vec![Effect::Quit]
            }
            Command::Back => self.back(),
            Command::NextPane => self.next_pane(),
            Command::ShowList => self.show(Pane::List),
            Command::ShowBoard => self.show(Pane::Board),
            Command::ShowDetail => self.show(Pane::Detail),
            Command::ShowKb => self.show_kb(),
            Command::ShowDashboard => self.show_dashboard(),
            Command::ShowTimeline => self.show_timeline(),
            Command::ShowWork => self.show_work(),
            // Keys of the timeline pane, handled there.
            Command::Zoom
            | Command::DueEarlier
            | Command::DueLater
            | Command::DueEarlierWeek
            | Command::DueLaterWeek => Vec::new(),
            Command::InsertArticle => self.open_article_menu(),
            Command::DraftArticle => self.draft_from_ticket(),
            Command::Up
            | Command::Down
            | Command::Left
            | Command::Right
            | Command::PageUp
            | Command::PageDown
            | Command::Top
            | Command::Bottom => self.navigate(cmd),
            Command::Open => self.open_selected(),
            Command::Filter => {
                let mut input = text_input(&self.filter.text);
                input.set_placeholder_text(self.cat.t("filter.placeholder"));
                self.overlay = Some(Overlay::Filter { input, error: None });
                Vec::new()
            }
            Command::NewTicket => {
                self.overlay = Some(Overlay::Form(Box::new(TicketForm::new_ticket(self))));
                Vec::new()
            }
            // `c` writes an internal note, `r` a reply to the customer:
            // what each key says is what it does.
            Command::Comment => self.open_comment(true),
            Command::Reply => self.open_comment(false),
            Command::CannedReply => self
                .selected()
                .map(|s| vec![Effect::LoadReplies(s.id)])
                .unwrap_or_default(),
            Command::Attachments => self
                .selected()
                .map(|s| vec![Effect::LoadAttachments(s.id)])
                .unwrap_or_default(),
            Command::Assign if !self.selection.is_empty() => {
                self.open_bulk_menu(MenuKind::BulkAssign)
            }
            Command::Move if !self.selection.is_empty() => self.open_bulk_menu(MenuKind::BulkMove),
            Command::Assign => self.open_assign(),
            Command::Move => self.open_move_menu(),
            Command::MovePrev => self.step_state(-1),
            Command::MoveNext => self.step_state(1),
            Command::Edit => self.open_edit(),
            Command::Accept => {
                if let Some(sel) = self.selected() {
                    let mut input = text_input("");
                    input.set_placeholder_text(self.cat.t("prompt.verdict_example"));
                    self.overlay = Some(Overlay::Prompt {
                        purpose: super::overlay::Prompt::Verdict {
                            id: sel.id,
                            version: sel.version,
                        },
                        input,
                    });
                }
                Vec::new()
            }
            Command::SortNext | Command::SortReverse if self.pane == Pane::List => {
                self.sort(cmd == Command::SortReverse)
            }
            Command::SortNext | Command::SortReverse => Vec::new(),
            Command::Refresh => {
                let id = self.detail.ticket.as_ref().map(|d| d.ticket.id);
                let mut effects = self.reload(id.filter(|_| self.pane == Pane::Detail));
                effects.push(Effect::LoadUsers);
                effects
            }
            Command::Help => {
                self.overlay = Some(Overlay::Help { scroll: 0 });
                Vec::new()
            }
            Command::Suspend => vec![Effect::Suspend],
            Command::Views => self.open_views(),
            Command::Group => self.cycle_group(),
            Command::ToggleSelect => self.toggle_select(),
            Command::RangeSelect => {
                self.range_select();
                Vec::new()
            }
            Command::SelectAll => {
                self.select_all();
                Vec::new()
            }
            Command::AddTag => self.open_tag_prompt(true),
            Command::RemoveTag => self.open_tag_prompt(false),
            Command::SetPriority => self.open_priority(),
            Command::Undo => vec![Effect::Undo(None)],
            Command::UndoList => vec![Effect::LoadChanges],
            Command::Triage => self.start_triage(),
            Command::Palette => self.open_palette(),
            Command::Search => self.open_search(),
            Command::Inbox => vec![Effect::LoadInbox],
            Command::Queues => vec![Effect::LoadQueues],
            Command::Merge => {
                if let Some(s) = self.selected() {
                    self.overlay = Some(Overlay::Prompt {
                        purpose: super::overlay::Prompt::MergeInto { src: s.id },
                        input: super::overlay::text_input(""),
                    });
                }
                Vec::new()
            }
            Command::Customer => self
                .selected()
                .map(|s| vec![Effect::LoadCustomer(s.id)])
                .unwrap_or_default(),
            Command::Watch => self.toggle_watch(),
            Command::ToggleTimer => self
                .shown_ticket()
                .map(|id| vec![Effect::ToggleTimer { id, step: None }])
                .unwrap_or_default(),
            Command::AddStep | Command::ToggleStep => {
                if let Some(id) = self.shown_ticket() {
                    let purpose = if cmd == Command::AddStep {
                        super::overlay::Prompt::AddStep { id }
                    } else {
                        super::overlay::Prompt::ToggleStep { id }
                    };
                    self.overlay = Some(Overlay::Prompt {
                        purpose,
                        input: super::overlay::text_input(""),
                    });
                }
                Vec::new()
            }
            // Triage keys do nothing elsewhere.
            Command::Take
            | Command::Priority0
            | Command::Priority1
            | Command::Priority2
            | Command::Priority3
            | Command::CycleType
            | Command::SetCategory
            | Command::Spam
            | Command::Skip
            | Command::Previous => Vec::new(),
            // Period keys belong to the dashboard.
            Command::PeriodBack | Command::PeriodForward | Command::PeriodLength => Vec::new(),
        }
    }

    fn back(&mut self) -> Vec<Effect> {
        if !self.selection.is_empty() {
            self.selection = super::Selection::default();
            return Vec::new();
        }
        if self.pane == Pane::Detail || self.pane == Pane::Triage {
            self.pane = self.prev_pane;
            self.clamp();
        } else if matches!(self.pane, Pane::Timeline | Pane::Work) {
            self.pane = Pane::List;
            self.clamp();
        }
        Vec::new()
    }

    /// Opens the reply editor on the ticket under the cursor with its draft.
    fn open_comment(&mut self, internal: bool) -> Vec<Effect> {
        if let Some(sel) = self.selected() {
            self.open_reply(sel.id, "", internal);
        }
        Vec::new()
    }

    /// A canned reply filled in for ticket `id` opens in the editor; a gap
    /// it left (a variable with no value) has the cursor on it and the
    /// status line says what to fill in.
    pub(super) fn reply_filled(&mut self, id: i64, text: &str) {
        self.open_reply(id, text, false);
        let gaps = crate::rules::canned::gaps(text);
        let Some(first) = gaps.first() else {
            return;
        };
        let marker = format!("{{{{{first}}}}}");
        if let Some(Overlay::Comment { input, .. }) = &mut self.overlay {
            let at = input.lines().iter().enumerate().find_map(|(row, line)| {
                line.find(&marker)
                    .map(|byte| (row, line[..byte].chars().count()))
            });
            if let Some((row, col)) = at {
                input.move_cursor(ratatui_textarea::CursorMove::Jump(
                    u16::try_from(row).unwrap_or(u16::MAX),
                    u16::try_from(col).unwrap_or(u16::MAX),
                ));
            }
        }
        let list: Vec<String> = gaps.iter().map(|g| format!("{{{{{g}}}}}")).collect();
        self.error_text(
            self.cat
                .f("replies.fill_gaps", &[("gaps", &list.join(", "))]),
        );
    }

    /// The editor on ticket `id` for a reply (or a note, `internal`): its
    /// draft, then `extra` (a canned reply).
    pub(super) fn open_reply(&mut self, id: i64, extra: &str, internal: bool) {
        let draft = self
            .drafts
            .get(&(id, internal))
            .cloned()
            .unwrap_or_default();
        let text = match (draft.trim().is_empty(), extra.is_empty()) {
            (_, true) => draft,
            (true, false) => extra.to_string(),
            (false, false) => format!("{}\n\n{extra}", draft.trim_end()),
        };
        let mut input = text_input(&text);
        input.set_placeholder_text(self.cat.t("comment.placeholder"));
        self.overlay = Some(Overlay::Comment {
            id,
            internal,
            input,
        });
    }

    /// A ticket's attachments arrived: a menu to pick one to open.
    pub(super) fn attachments_loaded(&mut self, id: i64, list: Vec<crate::domain::Attachment>) {
        if list.is_empty() {
            self.info("attachment.none", &[("id", &id)]);
            return;
        }
        let items = list
            .iter()
            .map(|a| MenuItem {
                value: a.id.to_string(),
                label: crate::present::attachment_line(&self.cat, a),
            })
            .collect();
        self.overlay = Some(Overlay::Menu(Menu {
            kind: MenuKind::Attachment { id },
            items,
            selected: 0,
        }));
    }

    /// The canned replies arrived: a menu to pick one for ticket `id`.
    pub(super) fn replies_loaded(&mut self, id: i64, replies: Vec<(String, String, Vec<String>)>) {
        if replies.is_empty() {
            self.info("replies.none", &[]);
            return;
        }
        let items = replies
            .into_iter()
            .map(|(name, first, gaps)| {
                // A reply with a variable the ticket has no value for says
                // so before it is picked.
                let needs = if gaps.is_empty() {
                    String::new()
                } else {
                    let list: Vec<String> = gaps.iter().map(|g| format!("{{{{{g}}}}}")).collect();
                    format!(
                        "[{}] ",
                        self.cat.f("replies.needs", &[("gaps", &list.join(" "))])
                    )
                };
                MenuItem {
                    label: format!("{needs}{name} · {first}"),
                    value: name,
                }
            })
            .collect();
        self.overlay = Some(Overlay::Menu(Menu {
            kind: MenuKind::Reply { id },
            items,
            selected: 0,
        }));
    }

    fn open_assign(&mut self) -> Vec<Effect> {
        let Some(sel) = self.selected() else {
            return Vec::new();
        };
        let items = self.assignee_items();
        self.overlay = Some(Overlay::Menu(Menu {
            kind: MenuKind::Assign {
                id: sel.id,
                version: sel.version,
            },
            items,
            selected: 0,
        }));
        Vec::new()
    }

    /// Me, every other active member, and nobody: who may take a ticket or a step.
    pub(super) fn assignee_items(&self) -> Vec<MenuItem> {
        let mut items = vec![MenuItem {
            value: self.me.login.clone(),
            label: format!("{} ({})", self.me.display_name, self.cat.t("assign.me")),
        }];
        items.extend(
            self.users
                .iter()
                .filter(|u| u.active && u.login != self.me.login)
                .map(|u| MenuItem {
                    value: u.login.clone(),
                    label: match &u.team {
                        Some(team) => format!("{} · {} · {team}", u.display_name, u.login),
                        None => format!("{} · {}", u.display_name, u.login),
                    },
                }),
        );
        items.push(MenuItem {
            value: String::new(),
            label: self.cat.t("assign.nobody").to_string(),
        });
        items
    }

    /// Assign or move menus for the selection: every member, every state.
    fn open_bulk_menu(&mut self, kind: MenuKind) -> Vec<Effect> {
        let items: Vec<MenuItem> = match kind {
            MenuKind::BulkAssign => {
                let mut items: Vec<MenuItem> = self
                    .users
                    .iter()
                    .filter(|u| u.active)
                    .map(|u| MenuItem {
                        value: u.login.clone(),
                        label: format!("{} · {}", u.display_name, u.login),
                    })
                    .collect();
                items.push(MenuItem {
                    value: String::new(),
                    label: self.cat.t("assign.nobody").to_string(),
                });
                items
            }
            _ => self
                .workflow
                .states()
                .iter()
                .map(|s| MenuItem {
                    value: s.id.clone(),
                    label: state_label(&self.workflow, &self.cat, &s.id),
                })
                .collect(),
        };
        self.overlay = Some(Overlay::Menu(Menu {
            kind,
            items,
            selected: 0,
        }));
        Vec::new()
    }

    fn open_move_menu(&mut self) -> Vec<Effect> {
        let Some(sel) = self.selected() else {
            return Vec::new();
        };
        let items: Vec<MenuItem> = self
            .workflow
            .next_states(&sel.status, self.me.role)
            .into_iter()
            .map(|id| MenuItem {
                value: id.to_string(),
                label: state_label(&self.workflow, &self.cat, id),
            })
            .collect();
        if items.is_empty() {
            self.error("status.no_moves");
            return Vec::new();
        }
        self.overlay = Some(Overlay::Menu(Menu {
            kind: MenuKind::Move {
                id: sel.id,
                version: sel.version,
                from: sel.status,
            },
            items,
            selected: 0,
        }));
        Vec::new()
    }

    /// `<` / `>`: to the previous or next state in workflow order.
    fn step_state(&mut self, delta: isize) -> Vec<Effect> {
        let Some(sel) = self.selected() else {
            return Vec::new();
        };
        let Some(pos) = self.workflow.position(&sel.status) else {
            return Vec::new();
        };
        let target = pos
            .checked_add_signed(delta)
            .and_then(|p| self.workflow.states().get(p));
        let Some(target) = target.map(|s| s.id.clone()) else {
            self.error("status.no_moves");
            return Vec::new();
        };
        self.request_move(&sel, &target)
    }

    /// Moves now, or first asks for the note the step needs.
    pub(super) fn request_move(&mut self, sel: &Selected, to: &str) -> Vec<Effect> {
        let (id, version, from) = (sel.id, sel.version, sel.status.as_str());
        let needs = self.workflow.requirements(from, to).unwrap_or(&[]);
        if needs.iter().any(|r| {
            matches!(
                r,
                Requirement::Resolution | Requirement::Cause | Requirement::Prevention
            )
        }) {
            self.open_resolve(id, version, to);
            return Vec::new();
        }
        let kind = if needs.contains(&Requirement::Reason) {
            Some(NoteKind::Reason)
        } else if needs.contains(&Requirement::Acceptance)
            && !sel.accepted
            && self.may_override(from, to)
        {
            Some(NoteKind::Override)
        } else {
            None
        };
        match kind {
            Some(kind) => {
                self.overlay = Some(Overlay::Note {
                    id,
                    version,
                    to: to.to_string(),
                    kind,
                    input: text_input(""),
                });
                Vec::new()
            }
            None => vec![Effect::Move {
                id,
                to: to.to_string(),
                opts: crate::service::MoveOptions {
                    expected_version: Some(version),
                    ..Default::default()
                },
            }],
        }
    }

    fn may_override(&self, from: &str, to: &str) -> bool {
        self.workflow
            .transitions()
            .iter()
            .find(|t| t.from == from && t.to == to)
            .is_some_and(|t| t.override_roles.iter().any(|r| self.me.role.at_least(*r)))
    }

    fn open_edit(&mut self) -> Vec<Effect> {
        let Some(sel) = self.selected() else {
            return Vec::new();
        };
        match &self.detail.ticket {
            Some(d) if d.ticket.id == sel.id => {
                self.overlay = Some(Overlay::Form(Box::new(TicketForm::edit(
                    self,
                    &d.ticket,
                    d.due_manual,
                ))));
                Vec::new()
            }
            _ => {
                // Load the full ticket first; the detail pane opens with it.
                self.info("status.open_to_edit", &[("id", &sel.id)]);
                self.open_selected()
            }
        }
    }
}

//! The ticket form (`n` new, `e` edit): fields, focus, keys and turning what
//! was typed into a [`NewTicket`] or [`TicketChanges`].

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;

use super::App;
use super::overlay::{Overlay, is_editor_key, paste_into, text_input, text_of};
use crate::domain::{Category, Channel, Customer, NewTicket, Priority, Ticket, TicketChanges};
use crate::error::Error;
use crate::present::priority_label;
use crate::tui::action::{Effect, Job};

/// Which field a form row edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldId {
    Title,
    Description,
    Priority,
    Type,
    Category,
    Channel,
    Customer,
    Assignee,
    Team,
    Tags,
    /// A deadline set by hand (empty: the SLA's).
    Due,
}

impl FieldId {
    /// Catalog key of the label.
    pub fn key(self) -> &'static str {
        match self {
            FieldId::Title => "col.title",
            FieldId::Description => "detail.description",
            FieldId::Priority => "col.priority",
            FieldId::Type => "col.type",
            FieldId::Category => "col.category",
            FieldId::Channel => "col.channel",
            FieldId::Customer => "form.customer",
            FieldId::Assignee => "col.assignee",
            FieldId::Team => "col.team",
            FieldId::Tags => "col.tags",
            FieldId::Due => "form.due",
        }
    }
}

/// How a field is edited.
#[derive(Debug, Clone)]
pub enum FieldKind {
    /// One line of text.
    Line(TextArea<'static>),
    /// Several lines of text.
    Text(TextArea<'static>),
    /// One of fixed options: (value, label).
    Choice {
        options: Vec<(String, String)>,
        selected: usize,
    },
}

#[derive(Debug, Clone)]
pub struct FormField {
    pub id: FieldId,
    pub kind: FieldKind,
}

#[derive(Debug, Clone)]
pub enum FormMode {
    New,
    Edit {
        version: i64,
        original: Box<Ticket>,
        /// The deadline as the form showed it (a hand-set one; else empty).
        due_shown: String,
    },
}

/// An open ticket form.
#[derive(Debug, Clone)]
pub struct TicketForm {
    pub mode: FormMode,
    pub fields: Vec<FormField>,
    pub focus: usize,
    /// The last save hit a conflict; the next save overwrites knowingly.
    pub conflict: bool,
    pub error: Option<String>,
    /// Existing customers matching the customer field, to pick from.
    pub customers: CustomerMatches,
}

/// How many customers the form offers for what is typed.
pub const CUSTOMER_MATCHES: usize = 5;

/// Customers matching what the customer field holds (by name, pinyin or
/// any handle), and which one ↑/↓ point at.
#[derive(Debug, Clone, Default)]
pub struct CustomerMatches {
    /// Bumped on every change of the field: older answers are dropped.
    pub generation: u64,
    pub found: Vec<Customer>,
    pub pick: usize,
}

/// How the form names a picked customer: the e-mail when there is one
/// (read back as that customer), else the number with the name.
fn customer_key(c: &Customer) -> String {
    c.email
        .clone()
        .unwrap_or_else(|| format!("#{} {}", c.id, c.name))
}

/// How the form shows a deadline (local time), as `--due` reads it back.
const DUE_FORMAT: &str = "%Y-%m-%d %H:%M";

fn line(text: &str) -> FieldKind {
    FieldKind::Line(text_input(text))
}

fn choice(options: Vec<(String, String)>, current: &str) -> FieldKind {
    let selected = options.iter().position(|(v, _)| v == current).unwrap_or(0);
    FieldKind::Choice { options, selected }
}

fn priorities(app: &App) -> Vec<(String, String)> {
    Priority::ALL
        .iter()
        .map(|p| {
            (
                p.as_str().to_string(),
                format!("{} {}", p, priority_label(&app.cat, *p)),
            )
        })
        .collect()
}

fn types(app: &App) -> Vec<(String, String)> {
    let lang = app.cat.lang().code();
    app.workflow
        .types()
        .iter()
        .map(|t| (t.id.clone(), t.label.get(lang).to_string()))
        .collect()
}

fn channels(app: &App) -> Vec<(String, String)> {
    Channel::ALL
        .iter()
        .map(|c| {
            (
                c.as_str().to_string(),
                app.cat.t(&format!("channel.{}", c.as_str())).to_string(),
            )
        })
        .collect()
}

fn split_tags(text: &str) -> Vec<String> {
    text.split([',', '\u{ff0c}', ' '])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(String::from)
        .collect()
}

impl TicketForm {
    /// An empty form for a new ticket.
    pub fn new_ticket(app: &App) -> Self {
        let mut assignees = vec![(String::new(), app.cat.t("form.nobody").to_string())];
        assignees.push((
            app.me.login.clone(),
            format!("{} ({})", app.me.display_name, app.cat.t("assign.me")),
        ));
        assignees.extend(
            app.users
                .iter()
                .filter(|u| u.active && u.login != app.me.login)
                .map(|u| (u.login.clone(), format!("{} · {}", u.display_name, u.login))),
        );
        let fields = vec![
            FormField {
                id: FieldId::Title,
                kind: line(""),
            },
            FormField {
                id: FieldId::Description,
                kind: FieldKind::Text(text_input("")),
            },
            FormField {
                id: FieldId::Priority,
                kind: choice(priorities(app), "P2"),
            },
            FormField {
                id: FieldId::Type,
                kind: choice(types(app), ""),
            },
            FormField {
                id: FieldId::Category,
                kind: line(""),
            },
            FormField {
                id: FieldId::Channel,
                kind: choice(channels(app), "other"),
            },
            FormField {
                id: FieldId::Customer,
                kind: line(""),
            },
            FormField {
                id: FieldId::Assignee,
                kind: choice(assignees, ""),
            },
            FormField {
                id: FieldId::Tags,
                kind: line(""),
            },
        ];
        Self {
            mode: FormMode::New,
            fields,
            focus: 0,
            conflict: false,
            error: None,
            customers: CustomerMatches::default(),
        }
    }

    /// A form holding `t`'s current values; `due_manual` when its deadline
    /// was set by hand (shown, and editable; empty means the SLA's).
    pub fn edit(app: &App, t: &Ticket, due_manual: bool) -> Self {
        let due_shown = t
            .due_at
            .filter(|_| due_manual)
            .map(|d| d.with_timezone(&app.tz).format(DUE_FORMAT).to_string())
            .unwrap_or_default();
        let category = t
            .category
            .as_ref()
            .map(|c| c.to_string())
            .unwrap_or_default();
        let fields = vec![
            FormField {
                id: FieldId::Title,
                kind: line(&t.title),
            },
            FormField {
                id: FieldId::Description,
                kind: FieldKind::Text(text_input(&t.description)),
            },
            FormField {
                id: FieldId::Priority,
                kind: choice(priorities(app), t.priority.as_str()),
            },
            FormField {
                id: FieldId::Type,
                kind: choice(types(app), &t.kind),
            },
            FormField {
                id: FieldId::Category,
                kind: line(&category),
            },
            FormField {
                id: FieldId::Channel,
                kind: choice(channels(app), t.channel.as_str()),
            },
            FormField {
                id: FieldId::Team,
                kind: line(t.team.as_deref().unwrap_or("")),
            },
            FormField {
                id: FieldId::Tags,
                kind: line(&t.tags.join(", ")),
            },
            FormField {
                id: FieldId::Due,
                kind: line(&due_shown),
            },
        ];
        let mode = FormMode::Edit {
            version: t.version,
            original: Box::new(t.clone()),
            due_shown,
        };
        Self {
            mode,
            fields,
            focus: 0,
            conflict: false,
            error: None,
            customers: CustomerMatches::default(),
        }
    }

    /// The ticket being edited, if any.
    pub fn ticket_id(&self) -> Option<i64> {
        match &self.mode {
            FormMode::Edit { original, .. } => Some(original.id),
            FormMode::New => None,
        }
    }

    /// After a conflict: keep what was typed, but save over the newer version next time.
    pub fn rebase(&mut self, version: i64) {
        if let FormMode::Edit { version: v, .. } = &mut self.mode {
            *v = version;
        }
    }

    pub(super) fn value(&self, id: FieldId) -> String {
        self.fields
            .iter()
            .find(|f| f.id == id)
            .map(|f| match &f.kind {
                FieldKind::Line(t) | FieldKind::Text(t) => text_of(t),
                FieldKind::Choice { options, selected } => options
                    .get(*selected)
                    .map(|(v, _)| v.clone())
                    .unwrap_or_default(),
            })
            .unwrap_or_default()
    }

    fn category(&self) -> Result<Option<Category>, Error> {
        let text = self.value(FieldId::Category);
        if text.trim().is_empty() {
            Ok(None)
        } else {
            Ok(Some(Category::parse(&text)?))
        }
    }

    /// What a "New" form describes.
    pub fn to_new_ticket(&self) -> Result<NewTicket, Error> {
        let email = self.value(FieldId::Customer);
        let assignee = self.value(FieldId::Assignee);
        Ok(NewTicket {
            title: self.value(FieldId::Title),
            description: self.value(FieldId::Description),
            priority: Some(Priority::parse(&self.value(FieldId::Priority))?),
            kind: Some(self.value(FieldId::Type)).filter(|k| !k.is_empty()),
            category: self.category()?,
            channel: Some(Channel::parse(&self.value(FieldId::Channel))?),
            customer_email: Some(email.trim().to_string()).filter(|e| !e.is_empty()),
            assignee: Some(assignee).filter(|a| !a.is_empty()),
            tags: split_tags(&self.value(FieldId::Tags)),
            ..NewTicket::default()
        })
    }

    /// The deadline typed, as a change: none when it is as shown, cleared
    /// when emptied (the SLA sets it again), else parsed like `--due`.
    fn due_change(
        &self,
        shown: &str,
        now: chrono::DateTime<chrono::Utc>,
        tz: &chrono::FixedOffset,
    ) -> Result<Option<Option<chrono::DateTime<chrono::Utc>>>, Error> {
        let typed = self.value(FieldId::Due).trim().to_string();
        if typed == shown.trim() {
            return Ok(None);
        }
        if typed.is_empty() {
            return Ok(Some(None));
        }
        crate::domain::parse_deadline(&typed, now, tz)
            .map(|d| Some(Some(d)))
            .ok_or_else(|| {
                Error::Invalid(crate::domain::InvalidValue::new(
                    "due",
                    &typed,
                    "2d, tomorrow, 2026-11-25 or 2026-11-25 14:00",
                ))
            })
    }

    /// What an "Edit" form changes compared with the ticket it was opened
    /// on; a deadline typed is read at `now` in `tz`.
    pub fn to_changes_at(
        &self,
        t: &Ticket,
        now: chrono::DateTime<chrono::Utc>,
        tz: &chrono::FixedOffset,
    ) -> Result<TicketChanges, Error> {
        let due = match &self.mode {
            FormMode::Edit { due_shown, .. } => self.due_change(due_shown, now, tz)?,
            FormMode::New => None,
        };
        let title = self.value(FieldId::Title);
        let description = self.value(FieldId::Description);
        let team = self.value(FieldId::Team).trim().to_string();
        let tags = split_tags(&self.value(FieldId::Tags));
        let normalized: Vec<String> = tags
            .iter()
            .filter_map(|x| crate::domain::normalize_tag(x))
            .collect();
        let category = self.category()?;
        let priority = Priority::parse(&self.value(FieldId::Priority))?;
        let channel = Channel::parse(&self.value(FieldId::Channel))?;
        let kind = self.value(FieldId::Type);
        Ok(TicketChanges {
            title: Some(title).filter(|v| *v != t.title),
            description: Some(description).filter(|v| v.trim_end() != t.description),
            priority: Some(priority).filter(|p| *p != t.priority),
            kind: Some(kind).filter(|k| *k != t.kind && !k.is_empty()),
            category: Some(category).filter(|c| *c != t.category),
            channel: Some(channel).filter(|c| *c != t.channel),
            team: Some(Some(team).filter(|t| !t.is_empty())).filter(|v| *v != t.team),
            add_tags: normalized
                .iter()
                .filter(|x| !t.tags.contains(x))
                .cloned()
                .collect(),
            remove_tags: t
                .tags
                .iter()
                .filter(|x| !normalized.contains(x))
                .cloned()
                .collect(),
            custom: Default::default(),
            due,
        })
    }

    fn focused(&mut self) -> Option<&mut FormField> {
        self.fields.get_mut(self.focus)
    }

    /// Pasted text goes into the focused text field.
    pub fn paste(&mut self, text: &str) {
        match self.focused().map(|f| &mut f.kind) {
            Some(FieldKind::Line(t)) => paste_into(t, text, false),
            Some(FieldKind::Text(t)) => paste_into(t, text, true),
            _ => {}
        }
    }

    /// The focused multi-line field's text, if a multi-line field has focus.
    fn long_text(&self) -> Option<String> {
        match self.fields.get(self.focus).map(|f| &f.kind) {
            Some(FieldKind::Text(t)) => Some(text_of(t)),
            _ => None,
        }
    }

    /// Replaces the focused multi-line field (after the editor returns).
    pub fn replace_long_text(&mut self, text: &str) {
        if let Some(FieldKind::Text(t)) = self.focused().map(|f| &mut f.kind) {
            *t = text_input(text);
        }
    }

    fn step(&mut self, delta: isize) {
        let n = self.fields.len() as isize;
        self.focus = ((self.focus as isize + delta).rem_euclid(n.max(1))) as usize;
    }

    /// Whether the customer field has focus.
    pub fn on_customer(&self) -> bool {
        self.fields
            .get(self.focus)
            .is_some_and(|f| f.id == FieldId::Customer)
    }

    /// Whether the customer field has focus and offers customers to pick.
    pub fn picking_customer(&self) -> bool {
        self.on_customer() && !self.customers.found.is_empty()
    }

    /// ↑/↓ choose among the offered customers, Enter takes one.
    fn pick_key(&mut self, key: KeyEvent) -> bool {
        let n = self.customers.found.len();
        match key.code {
            KeyCode::Down => self.customers.pick = (self.customers.pick + 1).min(n - 1),
            KeyCode::Up => self.customers.pick = self.customers.pick.saturating_sub(1),
            KeyCode::Enter => {
                let key = self
                    .customers
                    .found
                    .get(self.customers.pick)
                    .map(customer_key);
                if let (Some(key), Some(FieldKind::Line(t))) =
                    (key, self.focused().map(|f| &mut f.kind))
                {
                    *t = text_input(&key);
                }
                self.customers = CustomerMatches {
                    generation: self.customers.generation + 1,
                    ..CustomerMatches::default()
                };
                self.step(1);
            }
            _ => return false,
        }
        true
    }

    /// The customers found for what the customer field held at `generation`.
    pub fn customers_found(&mut self, generation: u64, found: Vec<Customer>) {
        if generation == self.customers.generation {
            self.customers.found = found;
            self.customers.pick = 0;
        }
    }

    /// Handles a key that is not submit or cancel; returns the search to
    /// run when the customer field's text changed.
    fn key(&mut self, key: KeyEvent) -> Option<Job> {
        if self.picking_customer() && self.pick_key(key) {
            return None;
        }
        let before = self.value(FieldId::Customer);
        self.move_or_type(key);
        let text = self.value(FieldId::Customer);
        if text == before {
            return None;
        }
        self.customers = CustomerMatches {
            generation: self.customers.generation + 1,
            ..CustomerMatches::default()
        };
        let text = text.trim().to_string();
        (!text.is_empty()).then_some(Job::Customers {
            generation: self.customers.generation,
            text,
        })
    }

    fn move_or_type(&mut self, key: KeyEvent) {
        let multiline = matches!(self.focused().map(|f| &f.kind), Some(FieldKind::Text(_)));
        match key.code {
            KeyCode::Tab => self.step(1),
            KeyCode::BackTab => self.step(-1),
            KeyCode::Down | KeyCode::Enter if !multiline => self.step(1),
            KeyCode::Up if !multiline => self.step(-1),
            _ => match self.focused().map(|f| &mut f.kind) {
                Some(FieldKind::Choice { options, selected }) => {
                    let n = options.len().max(1);
                    match key.code {
                        KeyCode::Left | KeyCode::Char('h') => *selected = (*selected + n - 1) % n,
                        KeyCode::Right | KeyCode::Char('l') | KeyCode::Char(' ') => {
                            *selected = (*selected + 1) % n
                        }
                        _ => {}
                    }
                }
                Some(FieldKind::Line(t)) | Some(FieldKind::Text(t)) => {
                    t.input(key);
                }
                None => {}
            },
        }
    }
}

impl App {
    pub(super) fn form_key(
        &mut self,
        mut form: Box<TicketForm>,
        key: KeyEvent,
    ) -> (Option<Overlay>, Vec<Effect>) {
        let submit = (key.code == KeyCode::Char('s')
            && key.modifiers.contains(KeyModifiers::CONTROL))
            || (key.code == KeyCode::Enter && key.modifiers.contains(KeyModifiers::ALT));
        if key.code == KeyCode::Esc {
            return (None, Vec::new());
        }
        if is_editor_key(&key)
            && let Some(text) = form.long_text()
        {
            return (Some(Overlay::Form(form)), vec![Effect::Editor { text }]);
        }
        if !submit {
            let search = form.key(key).map(Effect::Background);
            return (Some(Overlay::Form(form)), search.into_iter().collect());
        }
        let effect = match &form.mode {
            FormMode::New => form.to_new_ticket().map(|n| Effect::Create(Box::new(n))),
            FormMode::Edit {
                version, original, ..
            } => form
                .to_changes_at(original, self.now, &self.tz)
                .map(|changes| Effect::Edit {
                    id: original.id,
                    changes: Box::new(changes),
                    version: *version,
                }),
        };
        match effect {
            Ok(Effect::Edit { changes, .. }) if changes.is_empty() => {
                self.info("status.no_changes", &[]);
                (None, Vec::new())
            }
            Ok(effect) => {
                form.error = None;
                (Some(Overlay::Form(form)), vec![effect])
            }
            Err(e) => {
                form.error = Some(e.message(&self.cat));
                (Some(Overlay::Form(form)), Vec::new())
            }
        }
    }
}

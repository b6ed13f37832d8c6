//! The crate error, its exit codes, and its one-sentence messages.
//!
//! Messages come from the catalogs; [`Error::describe`] renders one in the
//! user's language. Exit codes are a contract scripts rely on:
//! 0 ok, 2 usage, 3 not found, 4 refused, 5 conflict, 1 anything else.

use chrono::{DateTime, Utc};
use std::fmt;

use crate::domain::{InvalidValue, Label, ParseError, Role};
use crate::i18n::{Catalog, Lang};
use crate::workflow::{DefinitionError, MoveRefused, Refusal, Requirement, Workflow};
use std::collections::BTreeMap;

/// Everything that can go wrong in tdesk.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    TicketNotFound(i64),
    /// No subtask has this number (or its ticket is hidden from the member).
    SubtaskNotFound(i64),
    /// No milestone has this number or name.
    MilestoneNotFound(String),
    /// Another milestone already has this name.
    MilestoneExists(String),
    /// A closed milestone takes no new tickets or steps.
    MilestoneClosed(String),
    /// A ticket cannot be linked to itself.
    LinkToItself(i64),
    /// The link would close a loop (a ticket blocking itself through a chain).
    LinkLoop {
        from: i64,
        to: i64,
    },
    /// No knowledge-base article has this id.
    ArticleNotFound(String),
    /// A file (an article, a survey) has a problem on a line.
    FileLine {
        file: String,
        line: usize,
        key: &'static str,
        value: String,
    },
    /// Rows of a file with problems, each on its line.
    FileLines {
        file: String,
        problems: Vec<(usize, &'static str, String)>,
    },
    /// `kb add` with an id and language already taken.
    ArticleExists(String),
    /// `kb edit ID` with a file that is another article.
    ArticleIdChanged {
        from: String,
        to: String,
    },
    /// A problem with a value in a file of an import, named with the file.
    InFile {
        file: String,
        error: Box<Error>,
    },
    /// The editor needs a terminal and there is none (a script, a pipe).
    NoEditorTerminal,
    /// The customer's acceptance of this ticket is recorded already.
    AlreadyAccepted(i64),
    /// Two files of one import hold the same article and language.
    DuplicateArticle {
        id: String,
        files: String,
    },
    UserNotFound(String),
    /// The Unix user is not a member of this desk.
    NotMember(String),
    /// The workflow engine refused a status change.
    Refused(Box<RefusedMove>),
    /// The actor's role may not do this; names the least role that may.
    Forbidden {
        action: &'static str,
        needs: Role,
    },
    /// The ticket changed since the caller read it.
    Conflict {
        ticket: i64,
        by: String,
        at: DateTime<Utc>,
    },
    /// A bad value for a field.
    Invalid(InvalidValue),
    /// A value that must not be empty was empty (catalog key of the field).
    Empty(&'static str),
    /// A value is longer than tdesk stores (catalog key of the field, limit).
    TooLong {
        field: &'static str,
        max: usize,
    },
    /// Acceptance can only be recorded on a resolved, not yet closed ticket.
    NotAwaitingAcceptance(i64),
    /// A query did not parse.
    Query {
        input: String,
        error: ParseError,
    },
    /// A query names a value the desk does not know (status, type).
    UnknownValue {
        field: &'static str,
        value: String,
        known: String,
    },
    /// A workflow file has problems.
    Workflow {
        file: String,
        errors: Vec<DefinitionError>,
    },
    /// A rule file has problems.
    Rules {
        file: String,
        errors: Vec<crate::rules::RuleError>,
    },
    /// A canned-reply file has problems.
    Replies {
        file: String,
        errors: Vec<crate::rules::RuleError>,
    },
    /// An SLA policy file has problems.
    Sla {
        file: String,
        errors: Vec<crate::sla::PolicyError>,
    },
    /// A new workflow lacks a state that tickets are in.
    WorkflowStateInUse {
        state: String,
        tickets: i64,
    },
    /// A login that exists already.
    UserExists(String),
    /// No saved or built-in view has that name.
    ViewNotFound(String),
    /// A built-in view's name cannot be reused.
    ViewExists(String),
    /// The member has no change that can be undone.
    NothingToUndo,
    /// Creating a ticket is not undone; it is closed instead.
    /// Merges are not undone.
    CannotUndoMerge,
    CannotUndoCreate,
    /// Every ticket of the change was changed again since; nothing was undone.
    UndoRefused,
    /// The external editor could not run or failed.
    Editor(String),
    /// The last admin cannot be demoted.
    LastAdmin,
    /// The database was written by a newer tdesk.
    NewerSchema {
        found: i64,
        supported: i64,
    },
    /// SQLite failed; the text is SQLite's.
    Database(String),
    /// A read was stopped because a newer one replaced it.
    Interrupted,
    /// A file could not be read or written.
    Io {
        path: String,
        message: String,
    },
    /// The terminal could not be set up or drawn.
    Terminal(String),
    /// A config file is malformed.
    Config {
        file: String,
        message: String,
    },
    /// The reader of our output went away (`tdesk list | head`); not a failure.
    BrokenPipe,
    /// An explicitly named desk does not exist.
    NoDesk(String),
    /// No home directory, so no default desk path.
    NoHome,
    /// A group named for a team desk does not exist.
    UnknownGroup(String),
    /// The caller's account may not read the desk's directory or file.
    NoAccess(String),
    /// Enforced team mode without a desk in the system config.
    NoSystemDesk,
    /// The command changes system files and must run as root.
    NeedsRoot,
    /// No customer by that number or handle.
    CustomerNotFound(String),
    /// A customer already has this e-mail address or handle.
    CustomerExists(String),
    /// `tdesk doctor` found this many problems (each already printed).
    Unhealthy(usize),
    /// Standard input could not be read.
    Stdin(String),
    /// Input that should be text is not UTF-8; names the source.
    NotUtf8(String),
    /// An import found problems and wrote nothing.
    Import {
        file: String,
        problems: Vec<crate::interchange::Problem>,
    },
    /// Mail cannot go out: the desk has no sender address set.
    MailNotConfigured,
    /// An attachment that could run a program is not handed to the opener.
    UnsafeToOpen {
        id: i64,
        name: String,
    },
    /// Some letters of a mail run failed (they are kept and retried).
    MailUndelivered(usize),
    /// No attachment with that number (or not on a ticket the member may see).
    AttachmentNotFound(i64),
    /// A stored attachment's content no longer matches its checksum.
    AttachmentDamaged(i64),
    /// The disk (or quota) holding the desk is full: the change was not written.
    DiskFull,
    /// The desk cannot be written (a read-only file system or file).
    ReadOnlyDesk,
    /// A backup that does not pass SQLite's checks.
    BackupDamaged {
        path: String,
        problem: String,
    },
    /// A sound SQLite file that is not a desk with an admin.
    NotADeskBackup(String),
    /// A restore is replacing the desk: writes wait for it.
    RestoreUnderWay,
    /// `--keep` rotates the backups of a folder, not a single file.
    KeepNeedsFolder(String),
    /// A file is larger than tdesk reads for this purpose (bytes).
    FileTooLarge {
        path: String,
        max: u64,
    },
    /// Something is at the path a file was to be written to.
    FileExists(String),
    /// A desk file is a link, a special file or has a second name.
    UnsafeDeskFile(String),
    /// The named desk file holds no desk (empty, or no members).
    EmptyDesk(String),
    /// `tdesk demo` on a desk that already has this many tickets, without --yes.
    DemoIntoRealDesk(i64),
    /// Enforced team mode works on the system's desk only.
    OtherDesk(String),
    /// This account is not the desk's mail sender (the one that is, if any).
    NotMailSender(Option<String>),
    /// A team desk keeps no mail command.
    MailCommandNotInDesk,
    /// The desk names this account its mail sender, but the account did
    /// not agree to send in its own (or the system) config.
    SenderNotAgreed(String),
    /// Enforced mode: the system config names another login as the desk's admin.
    NotTheAdmin(String),
    /// A team desk's mail command must name its program by absolute path.
    MailCommandNotAbsolute(String),
    /// No outgoing letter with that number (on a ticket the member may see).
    LetterNotFound(i64),
    /// A path that is not a file to read (a fifo, a socket, a directory).
    NotAFile(String),
    /// A reply still holds `{{variable}}` gaps (a canned reply's empty values).
    ReplyHasGaps(Vec<String>),
    /// A member named one of the desk's own files.
    DeskFileNamed(String),
    /// A member's file would land on the desk's files or in a team desk's directory.
    DeskDirTarget(String),
    /// Enforced mode's desk directory is not as `install-setgid` makes it.
    DeskDirNotReady(String),
}

/// A status change the workflow engine refused, with where it was going.
#[derive(Debug, Clone, PartialEq)]
pub struct RefusedMove {
    pub ticket: i64,
    pub from: String,
    pub to: String,
    pub refused: MoveRefused,
    /// The workflow's labels of the states the message names, so every
    /// front end words them as the member's language does.
    pub labels: BTreeMap<String, Label>,
}

impl RefusedMove {
    /// A refusal of moving `ticket` from `from` to `to`, with the labels of
    /// every state it names.
    pub fn new(wf: &Workflow, ticket: i64, from: &str, to: &str, refused: MoveRefused) -> Self {
        let named = [from, to]
            .into_iter()
            .chain(refused.allowed.iter().map(String::as_str));
        let labels = named
            .filter_map(|id| wf.state(id).map(|s| (id.to_string(), s.label.clone())))
            .collect();
        Self {
            ticket,
            from: from.to_string(),
            to: to.to_string(),
            refused,
            labels,
        }
    }
}

/// Shorthand used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::InFile { error, .. } => error.exit_code(),
            Error::Invalid(_)
            | Error::ViewExists(_)
            | Error::Empty(_)
            | Error::TooLong { .. }
            | Error::Query { .. }
            | Error::NotUtf8(_)
            | Error::FileTooLarge { .. }
            | Error::NotAFile(_)
            | Error::ReplyHasGaps(_)
            | Error::MailCommandNotAbsolute(_)
            | Error::Import { .. }
            | Error::DemoIntoRealDesk(_)
            | Error::FileLine { .. }
            | Error::ArticleExists(_)
            | Error::LinkToItself(_)
            | Error::LinkLoop { .. }
            | Error::MilestoneExists(_)
            | Error::FileLines { .. }
            | Error::NoEditorTerminal
            | Error::ArticleIdChanged { .. }
            | Error::DuplicateArticle { .. }
            | Error::UnknownValue { .. } => 2,
            Error::TicketNotFound(_)
            | Error::SubtaskNotFound(_)
            | Error::MilestoneNotFound(_)
            | Error::ArticleNotFound(_)
            | Error::UserNotFound(_)
            | Error::ViewNotFound(_)
            | Error::CustomerNotFound(_)
            | Error::AttachmentNotFound(_)
            | Error::LetterNotFound(_) => 3,
            Error::NotMember(_)
            | Error::NoAccess(_)
            | Error::NeedsRoot
            | Error::Refused(_)
            | Error::Forbidden { .. }
            | Error::LastAdmin
            | Error::NotAwaitingAcceptance(_)
            | Error::AlreadyAccepted(_)
            | Error::NothingToUndo
            | Error::CannotUndoCreate
            | Error::CannotUndoMerge
            | Error::UndoRefused
            | Error::WorkflowStateInUse { .. }
            | Error::UnsafeToOpen { .. }
            | Error::OtherDesk(_)
            | Error::NotMailSender(_)
            | Error::SenderNotAgreed(_)
            | Error::NotTheAdmin(_)
            | Error::DeskFileNamed(_)
            | Error::DeskDirTarget(_)
            | Error::DeskDirNotReady(_)
            | Error::MailCommandNotInDesk
            | Error::MilestoneClosed(_) => 4,
            Error::Conflict { .. } => 5,
            Error::BrokenPipe => 0,
            Error::NoDesk(_)
            | Error::UnknownGroup(_)
            | Error::NoSystemDesk
            | Error::EmptyDesk(_) => 3,
            _ => 1,
        }
    }

    /// The message in the catalog's language, with state ids as they are.
    pub fn message(&self, cat: &Catalog) -> String {
        self.describe(cat, &|id| id.to_string())
    }

    /// The message as the command line shows it: remedies name flags.
    pub fn describe(&self, cat: &Catalog, state_name: &dyn Fn(&str) -> String) -> String {
        self.describe_for(cat, state_name, Remedy::Flags)
    }

    /// The message in the catalog's language; `state_name` turns state ids
    /// into labels and `remedy` says how the member fixes a refused move.
    pub fn describe_for(
        &self,
        cat: &Catalog,
        state_name: &dyn Fn(&str) -> String,
        remedy: Remedy,
    ) -> String {
        match self {
            Error::TicketNotFound(id) => cat.f("error.ticket_not_found", &[("id", id)]),
            Error::SubtaskNotFound(id) => cat.f("error.subtask_not_found", &[("id", id)]),
            Error::MilestoneNotFound(name) => cat.f(
                "error.milestone_not_found",
                &[("name", &crate::text::sanitize_line(name))],
            ),
            Error::MilestoneExists(name) => cat.f(
                "error.milestone_exists",
                &[("name", &crate::text::sanitize_line(name))],
            ),
            Error::MilestoneClosed(name) => cat.f(
                "error.milestone_closed",
                &[("name", &crate::text::sanitize_line(name))],
            ),
            Error::LinkToItself(id) => cat.f("error.link_to_itself", &[("id", id)]),
            Error::LinkLoop { from, to } => cat.f("error.link_loop", &[("from", from), ("to", to)]),
            Error::ArticleNotFound(id) => cat.f("error.article_not_found", &[("id", id)]),
            Error::FileLine {
                file,
                line,
                key,
                value,
            } => {
                let what = cat.f(key, &[("value", value)]);
                cat.f(
                    "error.workflow_line",
                    &[("file", file), ("line", line), ("problem", &what)],
                )
            }
            Error::FileLines { file, problems } => file_problems(
                cat,
                "error.file_invalid",
                file,
                problems.iter().map(|(l, k, v)| (*l, *k, v.as_str())),
            ),
            Error::NoEditorTerminal => cat.t("error.no_editor_terminal").to_string(),
            Error::AlreadyAccepted(id) => cat.f("error.already_accepted", &[("id", id)]),
            Error::ArticleExists(id) => cat.f("error.article_exists", &[("id", id)]),
            Error::ArticleIdChanged { from, to } => {
                cat.f("error.article_id_changed", &[("from", from), ("to", to)])
            }
            Error::InFile { file, error } => format!("{file}: {}", error.message(cat)),
            Error::DuplicateArticle { id, files } => {
                cat.f("error.duplicate_article", &[("id", id), ("files", files)])
            }
            Error::UserNotFound(login) => cat.f("error.user_not_found", &[("login", login)]),
            Error::NotMember(login) => cat.f("error.not_member", &[("login", login)]),
            Error::Refused(r) => {
                let RefusedMove {
                    ticket,
                    from,
                    to,
                    refused,
                    labels,
                } = r.as_ref();
                let state_name = |id: &str| match labels.get(id) {
                    Some(label) => label.get(cat.lang().code()).to_string(),
                    None => state_name(id),
                };
                let state_name = &state_name;
                let reason = refusal_reason(cat, &refused.refusal, state_name, remedy);
                // The step refused for something it lacks is not offered
                // again as "allowed next" in the same sentence.
                let offered: Vec<&String> = refused
                    .allowed
                    .iter()
                    .filter(|s| !(matches!(refused.refusal, Refusal::Missing { .. }) && *s == to))
                    .collect();
                let allowed = if offered.is_empty() {
                    cat.t("error.no_moves").to_string()
                } else {
                    let names: Vec<String> = offered.iter().map(|s| state_name(s)).collect();
                    cat.f("error.allowed_moves", &[("states", &names.join(", "))])
                };
                cat.f(
                    "error.refused",
                    &[
                        ("id", ticket),
                        ("from", &state_name(from)),
                        ("to", &state_name(to)),
                        ("reason", &reason),
                        ("allowed", &allowed),
                    ],
                )
            }
            Error::Forbidden { action, needs } => cat.f(
                "error.forbidden",
                &[
                    ("action", &cat.t(action)),
                    ("role", &cat.t(&role_with_article_key(*needs))),
                ],
            ),
            Error::Conflict { ticket, by, at } => cat.f(
                "error.conflict",
                &[
                    ("id", ticket),
                    ("by", by),
                    ("at", &at.format("%Y-%m-%d %H:%M UTC")),
                ],
            ),
            Error::Invalid(v) => cat.f(
                "error.invalid_value",
                &[
                    ("field", &cat.t(&format!("field.{}", v.field))),
                    ("value", &v.value),
                    ("expected", &v.expected),
                ],
            ),
            Error::Empty(field) => cat.f("error.empty", &[("field", &cat.t(field))]),
            Error::TooLong { field, max } => {
                cat.f("error.too_long", &[("field", &cat.t(field)), ("max", max)])
            }
            Error::NotAwaitingAcceptance(id) => {
                cat.f("error.not_awaiting_acceptance", &[("id", id)])
            }
            Error::Query { input, error } => query_message(cat, input, error),
            Error::UnknownValue {
                field,
                value,
                known,
            } => cat.f(
                "error.unknown_value",
                &[
                    ("field", &cat.t(&format!("field.{field}"))),
                    ("value", value),
                    ("known", known),
                ],
            ),
            Error::Rules { file, errors } => file_problems(
                cat,
                "error.rules_invalid",
                file,
                errors.iter().map(|e| (e.line, e.key, e.value.as_str())),
            ),
            Error::Replies { file, errors } => file_problems(
                cat,
                "error.replies_invalid",
                file,
                errors.iter().map(|e| (e.line, e.key, e.value.as_str())),
            ),
            Error::Sla { file, errors } => file_problems(
                cat,
                "error.sla_invalid",
                file,
                errors.iter().map(|e| (e.line, e.key, e.value.as_str())),
            ),
            Error::Workflow { file, errors } => {
                let mut lines = vec![cat.f(
                    "error.workflow_invalid",
                    &[("file", file), ("count", &errors.len())],
                )];
                for e in errors {
                    let what = cat.f(e.problem.key(), &[("value", &e.problem.value())]);
                    lines.push(match e.line {
                        Some(line) => cat.f(
                            "error.workflow_line",
                            &[("file", file), ("line", &line), ("problem", &what)],
                        ),
                        None => format!("{file}: {what}"),
                    });
                }
                lines.join("\n")
            }
            Error::WorkflowStateInUse { state, tickets } => cat.f(
                "error.workflow_state_in_use",
                &[("state", state), ("count", tickets)],
            ),
            Error::UserExists(login) => cat.f("error.user_exists", &[("login", login)]),
            Error::ViewNotFound(name) => cat.f("error.view_not_found", &[("name", name)]),
            Error::NothingToUndo => cat.t("error.nothing_to_undo").to_string(),
            Error::CannotUndoCreate => cat.t("error.cannot_undo_create").to_string(),
            Error::CannotUndoMerge => cat.t("error.cannot_undo_merge").to_string(),
            Error::UndoRefused => cat.t("error.undo_refused").to_string(),
            Error::Editor(message) => cat.f("error.editor", &[("message", message)]),
            Error::ViewExists(name) => cat.f("error.view_exists", &[("name", name)]),
            Error::LastAdmin => cat.t("error.last_admin").to_string(),
            Error::NewerSchema { found, supported } => cat.f(
                "error.newer_schema",
                &[("found", found), ("supported", supported)],
            ),
            Error::Database(msg) => cat.f("error.database", &[("message", msg)]),
            Error::Interrupted => cat.t("error.interrupted").to_string(),
            Error::Io { path, message } => {
                cat.f("error.io", &[("path", path), ("message", message)])
            }
            Error::Terminal(msg) => cat.f("error.terminal", &[("message", msg)]),
            Error::Config { file, message } => {
                // TOML's own messages end in a line break (and show the
                // line): no full stop alone on a line after them.
                let message = message.trim_end();
                let key = if message.contains('\n') {
                    "error.config_block"
                } else {
                    "error.config"
                };
                cat.f(key, &[("file", file), ("message", &message)])
            }
            Error::BrokenPipe => String::new(),
            Error::NoDesk(path) => cat.f("error.no_desk", &[("path", path)]),
            Error::NoHome => cat.t("error.no_home").to_string(),
            Error::UnknownGroup(group) => cat.f("error.unknown_group", &[("group", group)]),
            Error::NoSystemDesk => cat.t("error.no_system_desk").to_string(),
            Error::CustomerNotFound(key) => cat.f("error.customer_not_found", &[("key", key)]),
            Error::CustomerExists(key) => {
                // The command it suggests must run as printed.
                let arg = if key.contains(char::is_whitespace) {
                    format!("'{}'", key.replace('\'', "'\\''"))
                } else {
                    key.clone()
                };
                cat.f("error.customer_exists", &[("key", key), ("arg", &arg)])
            }
            Error::NeedsRoot => cat.t("error.needs_root").to_string(),
            Error::NoAccess(path) => cat.f("error.no_access", &[("path", path)]),
            Error::Unhealthy(count) => cat.f("error.unhealthy", &[("count", count)]),
            Error::Stdin(message) => cat.f("error.read_stdin", &[("message", message)]),
            Error::NotUtf8(source) => cat.f("error.not_utf8", &[("source", source)]),
            Error::Import { file, problems } => import_problems(cat, file, problems),
            Error::MailNotConfigured => cat.t("error.mail_not_configured").to_string(),
            Error::UnsafeToOpen { id, name } => cat.f(
                "error.unsafe_to_open",
                &[("id", id), ("name", &crate::text::sanitize_line(name))],
            ),
            Error::MailUndelivered(count) => cat.f("error.mail_undelivered", &[("count", count)]),
            Error::AttachmentNotFound(id) => cat.f("error.attachment_not_found", &[("id", id)]),
            Error::AttachmentDamaged(id) => cat.f("error.attachment_damaged", &[("id", id)]),
            Error::DiskFull => cat.t("error.disk_full").to_string(),
            Error::ReadOnlyDesk => cat.t("error.read_only_desk").to_string(),
            Error::NotADeskBackup(path) => cat.f("error.not_a_desk_backup", &[("path", path)]),
            Error::RestoreUnderWay => cat.t("error.restore_under_way").to_string(),
            Error::KeepNeedsFolder(path) => cat.f("error.keep_needs_folder", &[("path", path)]),
            Error::BackupDamaged { path, problem } => cat.f(
                "error.backup_damaged",
                &[("path", path), ("problem", problem)],
            ),
            Error::FileTooLarge { path, max } => cat.f(
                "error.file_too_large",
                &[("path", path), ("max", &crate::present::human_size(*max))],
            ),
            Error::FileExists(path) => cat.f("error.file_exists", &[("path", path)]),
            Error::UnsafeDeskFile(path) => cat.f("error.unsafe_desk_file", &[("path", path)]),
            Error::EmptyDesk(path) => cat.f("error.empty_desk", &[("path", path)]),
            Error::DemoIntoRealDesk(count) => {
                cat.f("error.demo_into_real_desk", &[("count", count)])
            }
            Error::OtherDesk(path) => cat.f("error.other_desk", &[("path", path)]),
            Error::NotMailSender(Some(login)) => {
                cat.f("error.not_mail_sender", &[("login", login)])
            }
            Error::NotMailSender(None) => cat.t("error.no_mail_sender").to_string(),
            Error::MailCommandNotInDesk => cat.t("error.mail_command_not_in_desk").to_string(),
            Error::SenderNotAgreed(login) => cat.f("error.sender_not_agreed", &[("login", login)]),
            Error::NotTheAdmin(login) => cat.f("error.not_the_admin", &[("login", login)]),
            Error::MailCommandNotAbsolute(command) => {
                cat.f("error.mail_command_not_absolute", &[("command", command)])
            }
            Error::LetterNotFound(id) => cat.f("error.letter_not_found", &[("id", id)]),
            Error::NotAFile(path) => cat.f("error.not_a_file", &[("path", path)]),
            Error::ReplyHasGaps(gaps) => {
                let list: Vec<String> = gaps.iter().map(|g| format!("{{{{{g}}}}}")).collect();
                cat.f("error.reply_gaps", &[("gaps", &list.join(", "))])
            }
            Error::DeskFileNamed(path) => cat.f("error.desk_file_named", &[("path", path)]),
            Error::DeskDirTarget(path) => cat.f("error.desk_dir_target", &[("path", path)]),
            Error::DeskDirNotReady(path) => cat.f("error.desk_dir_not_ready", &[("path", path)]),
        }
    }
}

/// Catalog key of a role's name.
pub fn role_key(role: Role) -> String {
    format!("role.{}", role.as_str())
}

/// Catalog key of a role's name as a sentence uses it ("an admin").
fn role_with_article_key(role: Role) -> String {
    format!("role_a.{}", role.as_str())
}

/// How a refused move tells the member to supply what is missing.
#[derive(Debug, Clone, Copy)]
pub enum Remedy<'a> {
    /// The command line: name the flags (`--note`, `--override`, `tdesk accept`).
    Flags,
    /// The screen asks for notes itself; an assignee and the customer's
    /// acceptance each have a key.
    Keys { assign: &'a str, accept: &'a str },
}

fn refusal_reason(
    cat: &Catalog,
    refusal: &Refusal,
    state_name: &dyn Fn(&str) -> String,
    remedy: Remedy,
) -> String {
    let role = |r: Role| cat.t(&role_with_article_key(r)).to_string();
    let with_how = |reason: String, flags_key: &str| match remedy {
        Remedy::Flags => cat.f(
            "refusal.how",
            &[("reason", &reason), ("how", &cat.t(flags_key))],
        ),
        Remedy::Keys { .. } => reason,
    };
    match refusal {
        Refusal::UnknownState(s) => cat.f("refusal.unknown_state", &[("state", s)]),
        Refusal::SameState(s) => cat.f("refusal.same_state", &[("state", &state_name(s))]),
        Refusal::NoTransition { .. } => cat.t("refusal.no_transition").to_string(),
        Refusal::RoleRequired(r) => cat.f("refusal.role_required", &[("role", &role(*r))]),
        Refusal::Missing {
            requirement,
            override_role,
        } => {
            let key = format!("refusal.needs_{}", requirement.as_str());
            let need = cat.t(&key).to_string();
            let need = match (requirement, remedy) {
                (Requirement::Assignee, Remedy::Keys { assign, .. }) => cat.f(
                    "refusal.how",
                    &[
                        ("reason", &need),
                        ("how", &cat.f("refusal.key_assign", &[("key", &assign)])),
                    ],
                ),
                (Requirement::Assignee, Remedy::Flags) => need,
                (Requirement::Acceptance, Remedy::Keys { accept, .. }) => cat.f(
                    "refusal.how",
                    &[
                        ("reason", &need),
                        ("how", &cat.f("refusal.key_accept", &[("key", &accept)])),
                    ],
                ),
                (Requirement::Acceptance, Remedy::Flags) => with_how(need, "refusal.flags_accept"),
                (Requirement::Resolution, _) => with_how(need, "refusal.flags_resolution"),
                (Requirement::Reason, _) => with_how(need, "refusal.flags_note"),
                (Requirement::Cause, _) => with_how(need, "refusal.flags_cause"),
                (Requirement::Prevention, _) => with_how(need, "refusal.flags_prevention"),
                (Requirement::SubtasksDone, _) => with_how(need, "refusal.flags_subtasks"),
                (Requirement::BlockersDone, _) => with_how(need, "refusal.flags_blockers"),
            };
            match override_role {
                Some(r) => with_how(
                    cat.f(
                        "refusal.or_override",
                        &[("need", &need), ("role", &role(*r))],
                    ),
                    "refusal.flags_override",
                ),
                None => need,
            }
        }
        Refusal::OverrideNotAllowed(Some(r)) => {
            cat.f("refusal.override_role", &[("role", &role(*r))])
        }
        Refusal::OverrideNotAllowed(None) => cat.t("refusal.override_never").to_string(),
        Refusal::OverrideNeedsReason => with_how(
            cat.t("refusal.override_reason").to_string(),
            "refusal.flags_note",
        ),
    }
}

/// A query error as two or three lines: message, the query, a caret under the column.
fn query_message(cat: &Catalog, input: &str, error: &ParseError) -> String {
    let prefix = input.get(..error.offset).unwrap_or(input);
    let column = crate::text::width(prefix);
    let shown = crate::text::sanitize_line(input);
    let msg = cat.f(
        error.key,
        &[("text", &error.text), ("column", &(column + 1))],
    );
    let hint = cat.f("query.hint", &[("hint", &error.hint)]);
    format!("{msg}\n  {shown}\n  {}^\n{hint}", " ".repeat(column))
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(&Catalog::new(Lang::En)))
    }
}

impl std::error::Error for Error {}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::OperationInterrupted) => Error::Interrupted,
            Some(rusqlite::ErrorCode::DiskFull) => Error::DiskFull,
            Some(rusqlite::ErrorCode::ReadOnly) => Error::ReadOnlyDesk,
            _ => Error::Database(e.to_string()),
        }
    }
}

impl From<InvalidValue> for Error {
    fn from(v: InvalidValue) -> Self {
        Error::Invalid(v)
    }
}

/// An import's problems, one line each after a header: `FILE:LINE: problem`.
fn import_problems(cat: &Catalog, file: &str, problems: &[crate::interchange::Problem]) -> String {
    // Problems of the file as a whole (line 0: the map, the encoding)
    // are not rows --skip-bad could leave out.
    let key = if problems.iter().all(|p| p.at == 0) {
        "error.import_unreadable"
    } else {
        "error.import_invalid"
    };
    let mut lines = vec![cat.f(key, &[("file", &file), ("count", &problems.len())])];
    for p in problems {
        // A problem already named after this file is not prefixed twice.
        let issue = match &p.issue {
            crate::interchange::Issue::File(named, inner) if named == file => inner,
            other => other,
        };
        let what = issue_text(cat, issue);
        lines.push(if p.at == 0 {
            format!("{file}: {what}")
        } else {
            cat.f(
                "error.workflow_line",
                &[("file", &file), ("line", &p.at), ("problem", &what)],
            )
        });
    }
    lines.join("\n")
}

/// One import problem in words.
pub fn issue_text(cat: &Catalog, issue: &crate::interchange::Issue) -> String {
    use crate::interchange::Issue;
    use crate::interchange::csv::CsvErrorKind;
    use crate::interchange::json::JsonError;
    use crate::interchange::mail::MailError;
    use crate::interchange::mapping::{MapMessage, TARGETS};
    match issue {
        Issue::Csv(CsvErrorKind::Binary) => cat.t("import.csv_binary").to_string(),
        Issue::Csv(CsvErrorKind::Encoding) => cat.t("import.csv_encoding").to_string(),
        Issue::Csv(CsvErrorKind::Unterminated) => cat.t("import.csv_unterminated").to_string(),
        Issue::Csv(CsvErrorKind::Empty) => cat.t("import.csv_empty").to_string(),
        Issue::Csv(CsvErrorKind::UnknownEncoding) => {
            cat.t("import.csv_unknown_encoding").to_string()
        }
        Issue::Csv(CsvErrorKind::NotInEncoding(name)) => {
            cat.f("import.csv_not_in_encoding", &[("encoding", name)])
        }
        Issue::Map(MapMessage::UnknownTarget(v)) => cat.f(
            "import.map_unknown_target",
            &[("value", v), ("known", &TARGETS.join(", "))],
        ),
        Issue::Map(MapMessage::MissingColumn(v)) => {
            cat.f("import.map_missing_column", &[("value", v)])
        }
        Issue::Map(MapMessage::NoTitle) => cat.t("import.map_no_title").to_string(),
        Issue::Map(MapMessage::ExtraCells { expected, found }) => cat.f(
            "import.row_extra_cells",
            &[("expected", expected), ("found", found)],
        ),
        Issue::Map(MapMessage::EmptyTitle) => cat.t("import.row_empty_title").to_string(),
        Issue::Map(MapMessage::DuplicateColumn(v)) => {
            cat.f("import.map_duplicate_column", &[("value", v)])
        }
        Issue::Map(MapMessage::EmptyCustomName(v)) => {
            cat.f("import.map_empty_custom", &[("value", v)])
        }
        Issue::Map(MapMessage::BadDate { field, value }) => {
            cat.f("import.row_bad_date", &[("field", field), ("value", value)])
        }
        Issue::Json(JsonError::Syntax { message, .. }) => {
            cat.f("import.json_syntax", &[("value", message)])
        }
        Issue::Json(JsonError::NotTdesk) => cat.t("import.json_not_tdesk").to_string(),
        Issue::Json(JsonError::Version(v)) => cat.f("import.json_version", &[("value", v)]),
        Issue::Json(JsonError::Attachment { ticket, name }) => cat.f(
            "import.json_attachment",
            &[
                ("ticket", ticket),
                ("name", &crate::text::sanitize_line(name)),
            ],
        ),
        Issue::Json(JsonError::Work { ticket, key }) => cat.f(key, &[("ticket", ticket)]),
        Issue::Mail(MailError::NotMail) => cat.t("import.mail_not_mail").to_string(),
        Issue::Mail(MailError::NoSender) => cat.t("import.mail_no_sender").to_string(),
        Issue::Desk(e) => e.message(cat),
        Issue::File(file, inner) => format!("{file}: {}", issue_text(cat, inner)),
    }
}

/// A file's problems, one line each after a header: `FILE:LINE: problem`.
fn file_problems<'a>(
    cat: &Catalog,
    header: &str,
    file: &str,
    problems: impl ExactSizeIterator<Item = (usize, &'static str, &'a str)>,
) -> String {
    let mut lines = vec![cat.f(header, &[("file", &file), ("count", &problems.len())])];
    for (line, key, value) in problems {
        let what = cat.f(key, &[("value", &value)]);
        lines.push(cat.f(
            "error.workflow_line",
            &[("file", &file), ("line", &line), ("problem", &what)],
        ));
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::Requirement;

    #[test]
    fn exit_codes_follow_the_contract() {
        assert_eq!(Error::TicketNotFound(1).exit_code(), 3);
        assert_eq!(Error::Empty("field.title").exit_code(), 2);
        assert_eq!(Error::NotMember("x".into()).exit_code(), 4);
        let conflict = Error::Conflict {
            ticket: 1,
            by: "bob".into(),
            at: DateTime::<Utc>::MIN_UTC,
        };
        assert_eq!(conflict.exit_code(), 5);
        assert_eq!(Error::Database("boom".into()).exit_code(), 1);
    }

    #[test]
    fn refusal_lists_allowed_states_and_override_role() {
        let e = Error::Refused(Box::new(RefusedMove {
            ticket: 12,
            from: "pending_acceptance".into(),
            to: "closed".into(),
            refused: MoveRefused {
                refusal: Refusal::Missing {
                    requirement: Requirement::Acceptance,
                    override_role: Some(Role::Supervisor),
                },
                allowed: vec!["closed".into(), "in_progress".into()],
            },
            labels: Default::default(),
        }));
        let msg = e.to_string();
        assert!(msg.contains("#12"), "{msg}");
        assert!(msg.contains("acceptance"), "{msg}");
        assert!(msg.contains("supervisor"), "{msg}");
        assert!(
            msg.contains("Allowed next: in_progress."),
            "the refused step is not offered again: {msg}"
        );
        assert!(
            msg.contains("(tdesk accept)"),
            "the command line names the command: {msg}"
        );
        assert!(msg.contains("(--override --note)"), "{msg}");
        let zh = e.message(&Catalog::new(Lang::ZhCn));
        assert!(zh.contains("#12") && zh.contains("主管"), "{zh}");
    }

    #[test]
    fn a_role_in_a_sentence_takes_its_article() {
        let e = Error::Forbidden {
            action: "action.import",
            needs: Role::Admin,
        };
        assert_eq!(e.to_string(), "Only an admin may import tickets.");
    }

    #[test]
    fn query_error_puts_the_caret_under_the_column_by_display_width() {
        let err = crate::domain::Query::parse("退款 colour:red").expect_err("unknown field");
        let msg = Error::Query {
            input: "退款 colour:red".into(),
            error: err,
        }
        .to_string();
        let lines: Vec<&str> = msg.lines().collect();
        assert_eq!(lines[1], "  退款 colour:red");
        // "退款 " is 5 columns wide, so the caret sits in column 6.
        assert_eq!(lines[2], "       ^");
        assert!(
            lines[0].contains("colour") && lines[0].contains('6'),
            "{}",
            lines[0]
        );
    }
}

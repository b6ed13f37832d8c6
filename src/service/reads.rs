//! Read use cases: queries resolved against the user and workflow, lists,
//! kanban columns, ticket detail and history.

use crate::domain::TimeSpec;
use crate::domain::{
    Clause, Event, Field, ListRequest, Query, Ticket, TicketDetail, TicketRow, User,
};
use crate::error::{Error, Result};

use super::{Desk, ops};

/// One kanban column: a state, how many tickets it holds, and the first few.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardColumn {
    pub state: String,
    pub count: i64,
    pub rows: Vec<TicketRow>,
}

/// A page of a list and the total number of matches.
#[derive(Debug, Clone, PartialEq)]
pub struct ListPage {
    pub rows: Vec<TicketRow>,
    pub total: i64,
}

impl Desk {
    /// Parses a query string and resolves its names (`me`, `open`, state and type labels).
    pub fn parse_query(&self, text: &str) -> Result<Query> {
        let query = Query::parse(text).map_err(|error| Error::Query {
            input: text.to_string(),
            error,
        })?;
        self.resolve(query)
    }

    /// Replaces `me`, `open` and labels with ids, times like `7d` or `today`
    /// with instants, `sla:` with deadline tests; rejects unknown states and types.
    pub fn resolve(&self, query: Query) -> Result<Query> {
        let now = self.clock.now();
        let mut clauses = Vec::with_capacity(query.clauses.len());
        for clause in query.clauses {
            clauses.push(match clause {
                Clause::Field {
                    field,
                    values,
                    negated,
                } if field.is_time() => {
                    let spec = values.first().and_then(|v| TimeSpec::parse(v));
                    let (from, to) = spec
                        .map(|s| s.bounds(now, &self.tz))
                        .unwrap_or((None, None));
                    Clause::Time {
                        field,
                        from,
                        to,
                        negated,
                    }
                }
                Clause::Field {
                    field: Field::Sla,
                    values,
                    negated,
                } => Clause::Sla {
                    states: values,
                    at: now,
                    open: self
                        .workflow
                        .open_states()
                        .into_iter()
                        .map(String::from)
                        .collect(),
                    negated,
                },
                Clause::Field {
                    field,
                    values,
                    negated,
                } => {
                    let mut out = Vec::new();
                    for v in values {
                        out.extend(self.resolve_value(field, &v)?);
                    }
                    out.dedup();
                    Clause::Field {
                        field,
                        values: out,
                        negated,
                    }
                }
                text => text,
            });
        }
        Ok(Query { clauses })
    }

    /// A query resolved and narrowed to what the current member may see
    /// (their role and team read fresh, so a demotion applies at once).
    pub(super) fn scoped(&self, query: Query) -> Result<Query> {
        let scope = self.me()?.scope();
        let mut query = self.resolve(query)?;
        query.clauses.extend(scope.clause());
        Ok(query)
    }

    /// A ticket the current member may see; any other answers "not found",
    /// exactly as a missing one does.
    pub(super) fn visible_ticket(
        &self,
        reader: &crate::store::Reader<'_>,
        id: i64,
    ) -> Result<Ticket> {
        let scope = self.me()?.scope();
        reader
            .ticket(id)?
            .filter(|t| scope.allows(t.assignee.as_deref(), t.team.as_deref()))
            .ok_or(Error::TicketNotFound(id))
    }

    fn resolve_value(&self, field: Field, value: &str) -> Result<Vec<String>> {
        let wf = &self.workflow;
        match field {
            Field::Status if value.eq_ignore_ascii_case("open") => {
                Ok(wf.open_states().into_iter().map(String::from).collect())
            }
            Field::Status => wf
                .states()
                .iter()
                .find(|s| s.id.eq_ignore_ascii_case(value) || s.label.matches(value))
                .map(|s| vec![s.id.clone()])
                .ok_or_else(|| Error::UnknownValue {
                    field: "status",
                    value: value.to_string(),
                    known: format!(
                        "open, {}",
                        wf.states()
                            .iter()
                            .map(|s| s.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                }),
            Field::Type => Ok(vec![ops::resolve_type(wf, value)?]),
            Field::Cause if value.eq_ignore_ascii_case("none") => Ok(vec![value.to_string()]),
            Field::Cause => {
                wf.cause(value)
                    .map(|c| vec![c.id.clone()])
                    .ok_or_else(|| Error::UnknownValue {
                        field: "cause",
                        value: value.to_string(),
                        known: wf
                            .causes()
                            .iter()
                            .map(|c| c.id.as_str())
                            .chain(["none"])
                            .collect::<Vec<_>>()
                            .join(", "),
                    })
            }
            Field::Assignee if value.eq_ignore_ascii_case("me") => Ok(vec![self.login.clone()]),
            Field::Milestone if value.eq_ignore_ascii_case("none") => Ok(vec!["none".into()]),
            Field::Milestone => Ok(vec![self.find_milestone(value)?.id.to_string()]),
            _ => Ok(vec![value.to_string()]),
        }
    }

    fn status_order(&self) -> Vec<&str> {
        self.workflow
            .states()
            .iter()
            .map(|s| s.id.as_str())
            .collect()
    }

    /// One page of tickets; `req.query` may hold unresolved names.
    pub fn list(&self, req: &ListRequest) -> Result<Vec<TicketRow>> {
        let req = ListRequest {
            query: self.scoped(req.query.clone())?,
            ..req.clone()
        };
        self.store.reader().list(&req, &self.status_order())
    }

    /// Rows `[start, start + len)` of a list. With the total known, a window in
    /// the second half is read backwards from the end, so jumping to the last
    /// page of a million tickets costs no more than the first.
    pub fn list_window(&self, req: &ListRequest, total: Option<i64>) -> Result<Vec<TicketRow>> {
        let total = total.and_then(|t| usize::try_from(t).ok());
        match total {
            Some(total) if req.offset > total / 2 && req.offset < total => {
                let end = (req.offset + req.limit).min(total);
                let reversed = ListRequest {
                    backwards: true,
                    offset: total - end,
                    limit: end - req.offset,
                    ..req.clone()
                };
                let mut rows = self.list(&reversed)?;
                rows.reverse();
                Ok(rows)
            }
            _ => self.list(req),
        }
    }

    /// A page and the total number of matches.
    pub fn list_page(&self, req: &ListRequest) -> Result<ListPage> {
        let rows = self.list(req)?;
        let total = self.count(&req.query)?;
        Ok(ListPage { rows, total })
    }

    /// How many tickets match.
    pub fn count(&self, query: &Query) -> Result<i64> {
        self.store.reader().count(&self.scoped(query.clone())?)
    }

    /// Kanban columns in workflow order, each with up to `per_column` tickets,
    /// most urgent first.
    pub fn board(&self, query: &Query, per_column: usize) -> Result<Vec<BoardColumn>> {
        let query = self.scoped(query.clone())?;
        let reader = self.store.reader();
        let counts = reader.count_by_status(&query)?;
        let mut columns = Vec::new();
        for state in self.workflow.states() {
            let count = counts
                .iter()
                .find(|(s, _)| *s == state.id)
                .map(|(_, n)| *n)
                .unwrap_or(0);
            let rows = if count == 0 {
                Vec::new()
            } else {
                reader.board_column(&query, &state.id, per_column)?
            };
            columns.push(BoardColumn {
                state: state.id.clone(),
                count,
                rows,
            });
        }
        Ok(columns)
    }

    /// A ticket with customer, comments and history.
    pub fn detail(&self, id: i64) -> Result<TicketDetail> {
        let reader = self.store.reader();
        let ticket = self.visible_ticket(&reader, id)?;
        let customer = match ticket.customer_id {
            Some(cid) => reader.customer(cid)?,
            None => None,
        };
        Ok(TicketDetail {
            customer,
            comments: reader.comments(id)?,
            events: self.redact_links(&reader, reader.events(id)?)?,
            due_manual: reader.due_manual(id)?,
            ticket,
        })
    }

    /// Everything the detail pane shows of a ticket, in one read: made for
    /// a worker thread, so a cursor move never waits for it.
    pub fn ticket_view(&self, id: i64) -> Result<TicketView> {
        let detail = self.detail(id)?;
        Ok(TicketView {
            // Extras: a ticket shows without them.
            clocks: self.sla_clocks(id).ok(),
            similar: self.similar(id).unwrap_or_default(),
            attachments: self.attachments(id)?,
            outgoing: self.mail_queue(Some(id))?,
            mail_ready: self.mail_ready()?,
            suggestions: self.kb_suggest_for(&detail).unwrap_or_default(),
            subtasks: self.subtasks(id)?,
            links: self.links(id)?,
            detail,
        })
    }

    /// A ticket's audit log, oldest first.
    pub fn history(&self, id: i64) -> Result<Vec<Event>> {
        let reader = self.store.reader();
        self.visible_ticket(&reader, id)?;
        self.redact_links(&reader, reader.events(id)?)
    }

    /// Every current desk member (removed ones keep their history only).
    pub fn users(&self) -> Result<Vec<User>> {
        self.me()?;
        let mut users = self.store.reader().users()?;
        users.retain(|u| u.active);
        Ok(users)
    }

    /// Total number of tickets on the desk.
    pub fn ticket_count(&self) -> Result<i64> {
        self.store.reader().ticket_count()
    }
}

/// What the detail pane shows of one ticket.
#[derive(Debug, Clone)]
pub struct TicketView {
    pub detail: TicketDetail,
    pub clocks: Option<super::SlaClocks>,
    /// Open tickets of the same customer that may be the same problem.
    pub similar: Vec<crate::domain::TicketRow>,
    pub attachments: Vec<crate::domain::Attachment>,
    pub outgoing: Vec<crate::domain::OutgoingMail>,
    /// Whether the desk can send mail (queued replies say so when not).
    pub mail_ready: bool,
    /// Knowledge-base articles that may answer it, best first.
    pub suggestions: Vec<super::KbHit>,
    /// Its subtasks in order.
    pub subtasks: Vec<crate::domain::Subtask>,
    /// Its links to other tickets.
    pub links: crate::domain::Links,
}

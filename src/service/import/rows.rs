//! Rows from a spreadsheet or another helpdesk's export become tickets.
//! States, types and members are checked against this desk before the
//! first write; a ticket arrives in its source's state as an import (not a
//! workflow move, so no automation reacts to history being copied in).

use crate::domain::ChangeKind;
use crate::domain::{Category, Channel, EventKind, NewTicket, Priority};
use crate::error::{Error, Result};
use crate::interchange::Problem;
use crate::interchange::mapping::ImportRow;
use crate::store::{RowExtras, Writer};

use super::super::{Desk, ops, routing, sla};
use super::{CHUNK, CustomerKey, ImportOptions, ImportReport, Progress, resolve_customer};

/// A row checked against the desk, ready to write.
struct Prepared {
    row: ImportRow,
    title: String,
    status: Option<String>,
    priority: Option<Priority>,
    kind: Option<String>,
    category: Option<Category>,
    channel: Channel,
}

impl Desk {
    /// Imports mapped rows. `problems` are those found while reading the
    /// file; with any (or any found here) nothing is written unless
    /// `opts.skip_bad`, which imports the rest and lists them as skipped.
    pub fn import_rows(
        &mut self,
        file: &str,
        rows: Vec<ImportRow>,
        problems: Vec<Problem>,
        opts: ImportOptions,
        progress: Progress<'_>,
    ) -> Result<ImportReport> {
        self.require_import()?;
        let mut report = ImportReport::default();
        // Types the desk lacks: the rows are checked against a workflow that
        // has them, and only those the rows that pass use are added, after
        // every check, so a refused import changes nothing.
        let before = self.workflow.clone();
        let mut added = Vec::new();
        if opts.add_types {
            added = self.types_to_add(&rows);
            if !added.is_empty() {
                self.require("action.add_types", crate::domain::Role::Admin)?;
                self.workflow = extend(&before, &added)?;
            }
        }
        let checked = self.check_rows(file, rows, problems, opts, &mut report);
        self.workflow = before.clone();
        let ready = checked?;
        added.retain(|(id, _)| ready.iter().any(|p| p.kind.as_deref() == Some(id)));
        report.types_added = added.iter().map(|(id, _)| id.clone()).collect();
        if opts.dry_run {
            report.planned = ready
                .iter()
                .map(|p| (p.row.line, p.title.clone()))
                .collect();
            return Ok(report);
        }
        if !added.is_empty() {
            let extended = extend(&before, &added)?;
            self.install_workflow(Some(extended.source()), &extended)?;
            self.workflow = extended;
        }
        self.write_rows(file, ready, report, progress)
    }

    /// Ticket types named by `rows` that the workflow does not know, as
    /// (id, label): `Billing inquiry` → (`billing-inquiry`, `Billing inquiry`).
    fn types_to_add(&self, rows: &[ImportRow]) -> Vec<(String, String)> {
        let mut added: Vec<(String, String)> = Vec::new();
        for kind in rows.iter().filter_map(|r| r.kind.as_deref()) {
            if ops::resolve_type(&self.workflow, kind).is_ok() {
                continue;
            }
            let id = crate::domain::type_slug(kind);
            if !id.is_empty() && !added.iter().any(|(known, _)| *known == id) {
                added.push((id, kind.trim().to_string()));
            }
        }
        added
    }

    /// Checks every row; returns the rows to write (the others are in the
    /// report as skipped, or fail the import).
    fn check_rows(
        &mut self,
        file: &str,
        rows: Vec<ImportRow>,
        mut problems: Vec<Problem>,
        opts: ImportOptions,
        report: &mut ImportReport,
    ) -> Result<Vec<Prepared>> {
        let mut ready = Vec::with_capacity(rows.len());
        let mut seen = std::collections::HashSet::new();
        let known = self
            .store
            .reader()
            .known_external_ids(rows.iter().map(|r| r.external_id.as_str()))?;
        for row in rows {
            if !seen.insert(row.external_id.clone()) || known.contains(&row.external_id) {
                report.unchanged += 1;
                continue;
            }
            match self.prepare(row) {
                Ok(p) => ready.push(p),
                Err(p) => problems.push(p),
            }
        }
        problems.sort_by_key(|p| p.at);
        if !problems.is_empty() && !opts.skip_bad {
            return Err(Error::Import {
                file: file.to_string(),
                problems,
            });
        }
        report.skipped = problems;
        Ok(ready)
    }

    /// Writes checked rows in chunks (one undoable change): each row once,
    /// complete; then the chunk's search entries in one go; then routing
    /// and the initial state's `on_assign` move where they apply.
    fn write_rows(
        &mut self,
        file: &str,
        ready: Vec<Prepared>,
        mut report: ImportReport,
        progress: Progress<'_>,
    ) -> Result<ImportReport> {
        let total = ready.len();
        let rules = self.rules.clone();
        let policy = self.sla.clone();
        let mut change = None;
        let mut done = 0;
        let mut rest = ready.into_iter();
        loop {
            let chunk: Vec<Prepared> = rest.by_ref().take(CHUNK).collect();
            if chunk.is_empty() {
                break;
            }
            let detail = format!("{file} ({total})");
            let ((ids, customers, already), c) =
                self.write_chunk(change, ChangeKind::Import, &detail, |w, ctx| {
                    let mut written = Vec::with_capacity(chunk.len());
                    let mut already = 0;
                    w.defer_search_index()?;
                    for p in chunk {
                        // Imported meanwhile by someone else (the same file
                        // twice at once): there already, not an error.
                        if w.reader().ticket_by_external(&p.row.external_id)?.is_some() {
                            already += 1;
                            continue;
                        }
                        written.push(write_row(w, ctx, &policy, p)?);
                    }
                    let ids: Vec<i64> = written.iter().map(|r| r.id).collect();
                    w.index_new_tickets(&ids)?;
                    w.note_deadlines_current(ids.iter().copied())?;
                    let initial = ctx.workflow.initial().id.clone();
                    let mut customers = 0;
                    for r in &written {
                        if r.status == initial && r.unowned {
                            routing::route_new(w, ctx.workflow, &rules, r.id, ctx.now, ctx.change)?;
                        } else if r.status == initial && r.assigned {
                            ops::follow_on_assign(w, ctx, r.id)?;
                        }
                        customers += usize::from(r.new_customer);
                    }
                    Ok((ids, customers, already))
                })?;
            change = Some(c);
            report.unchanged += already;
            done += ids.len() + already;
            report.created.extend(ids);
            report.customers += customers;
            progress(done, total);
        }
        Ok(report)
    }

    /// Checks a row's values against this desk.
    fn prepare(&self, row: ImportRow) -> std::result::Result<Prepared, Problem> {
        let at = row.line;
        let bad = |e: Error| Problem::desk(at, e);
        let title = ops::clean_title(&row.title).map_err(bad)?;
        ops::check_body("field.description", &row.description).map_err(bad)?;
        let status = match &row.status {
            Some(s) => {
                let id = self.state_id(s);
                if self.workflow.state(&id).is_none() {
                    return Err(bad(Error::UnknownValue {
                        field: "status",
                        value: s.clone(),
                        known: self
                            .workflow
                            .states()
                            .iter()
                            .map(|s| s.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    }));
                }
                Some(id)
            }
            None => None,
        };
        let priority = row
            .priority
            .as_deref()
            .map(Priority::parse)
            .transpose()
            .map_err(|e| bad(e.into()))?;
        let kind = row
            .kind
            .as_deref()
            .map(|k| ops::resolve_type(&self.workflow, k))
            .transpose()
            .map_err(bad)?;
        let category = row
            .category
            .as_deref()
            .map(Category::parse)
            .transpose()
            .map_err(|e| bad(e.into()))?;
        let channel = row
            .channel
            .as_deref()
            .map(Channel::parse)
            .transpose()
            .map_err(|e| bad(e.into()))?
            .unwrap_or(Channel::Import);
        if let Some(login) = &row.assignee {
            match self.store.reader().user(login).map_err(bad)? {
                Some(u) if u.active => {}
                _ => return Err(bad(Error::UserNotFound(login.clone()))),
            }
        }
        Ok(Prepared {
            row,
            title,
            status,
            priority,
            kind,
            category,
            channel,
        })
    }
}

/// The workflow with `added` types (new ids, so it stays valid).
fn extend(
    workflow: &crate::workflow::Workflow,
    added: &[(String, String)],
) -> Result<crate::workflow::Workflow> {
    workflow
        .with_types(added)
        .map_err(|errors| Error::Workflow {
            file: "workflow + --add-types".into(),
            errors,
        })
}

/// What writing one row left to do.
struct Written {
    id: i64,
    status: String,
    /// Neither assignee nor team: routing rules may place it.
    unowned: bool,
    assigned: bool,
    new_customer: bool,
}

/// Writes one checked row as one complete ticket row (in its source's
/// state, with its source's id and times and its SLA columns) and its
/// audit events.
fn write_row(
    w: &mut Writer<'_>,
    ctx: &ops::Ctx<'_>,
    policy: &crate::sla::Policy,
    p: Prepared,
) -> Result<Written> {
    let row = p.row;
    let customer = resolve_customer(
        w,
        &CustomerKey {
            name: row.customer.as_deref(),
            email: row.customer_email.as_deref(),
            phone: row.customer_phone.as_deref(),
            buyer: None,
            language: None,
        },
        ctx.now,
    )?;
    let mut custom = row.custom;
    if !row.orders.is_empty() {
        custom.insert("orders".into(), row.orders.join(" ").into());
    }
    let new = NewTicket {
        title: p.title,
        description: row.description,
        priority: p.priority,
        kind: p.kind,
        category: p.category,
        channel: Some(p.channel),
        customer_email: None,
        customer_id: customer.map(|(id, _)| id),
        assignee: row.assignee,
        team: row.team,
        tags: row.tags,
        custom,
        due: None,
    };
    let mut ticket = ops::new_ticket(w, ctx, new)?;
    let initial = ticket.status.clone();
    if let Some(status) = &p.status {
        place(ctx, &mut ticket, status, row.updated.or(row.created));
    }
    if row.created.is_some() || row.updated.is_some() {
        let created = row.created.unwrap_or(ctx.now);
        ticket.created_at = created;
        ticket.updated_at = row.updated.unwrap_or(created).max(created);
    }
    // The events this row gets, as the clocks will read them back.
    let mut states = vec![(ctx.now, initial.as_str())];
    if ticket.status != initial {
        states.push((ctx.now, ticket.status.as_str()));
    }
    let tier = match ticket.customer_id {
        Some(id) => w.reader().customer(id)?.map(|c| c.tier),
        None => None,
    };
    let clocks = sla::clocks_from(policy, &ticket, tier, &crate::sla::pauses(states), ctx.now);
    (ticket.due_at, ticket.risk_at) = sla::deadline(&clocks);
    let (response_secs, resolve_secs, sla_late) = sla::stored_outcomes(&clocks.outcomes);
    let id = w.insert_imported(
        &ticket,
        &RowExtras {
            external_id: Some(&row.external_id),
            response_secs,
            resolve_secs,
            sla_late,
        },
    )?;
    ctx.log(w, id, EventKind::Created, None, None, Some(&initial))?;
    if let Some(login) = &ticket.assignee {
        ctx.log(w, id, EventKind::Assigned, None, None, Some(login))?;
    }
    if ticket.status != initial {
        // Marked `import`: automations do not react to history copied in.
        ctx.log(
            w,
            id,
            EventKind::Status,
            Some("import"),
            Some(&initial),
            Some(&ticket.status),
        )?;
    }
    if let Some((cid, _)) = customer {
        for o in &row.orders {
            w.add_order(cid, o)?;
        }
    }
    Ok(Written {
        id,
        unowned: ticket.assignee.is_none() && ticket.team.is_none(),
        assigned: ticket.assignee.is_some(),
        status: ticket.status,
        new_customer: customer.is_some_and(|(_, new)| new),
    })
}

/// Puts an imported ticket in its source's state, with the resolved and
/// closed times that state implies (the workflow says which states are
/// resolved: a desk's own may not call any of them "resolved").
fn place(
    ctx: &ops::Ctx<'_>,
    ticket: &mut crate::domain::Ticket,
    status: &str,
    when: Option<chrono::DateTime<chrono::Utc>>,
) {
    let at = when.unwrap_or(ctx.now);
    let state = ctx.workflow.state(status);
    ticket.status = status.to_string();
    if state.is_some_and(|s| s.is_resolved) {
        ticket.resolved_at = Some(at);
    }
    if state.is_some_and(|s| s.is_final) {
        ticket.closed_at = Some(at);
    }
}

//! Customers: every handle a customer writes from, their orders and notes,
//! and their tickets (those the member may see) — the customer 360.

use crate::domain::ChangeKind;
use crate::domain::{Customer, NewCustomer, Role, Scope, TicketRow};
use crate::error::{Error, Result};

use super::Desk;

/// The kinds of handle a customer may have.
pub const HANDLE_KINDS: [&str; 4] = ["email", "phone", "buyer", "social"];

/// A customer with everything known about them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CustomerProfile {
    pub customer: Customer,
    /// (kind, value), e.g. ("buyer", "amazon:A1B2C3").
    pub handles: Vec<(String, String)>,
    pub orders: Vec<String>,
    pub notes: String,
    /// Some of their tickets are hidden from the member: orders and notes,
    /// which may come from those, are withheld.
    pub withheld: bool,
    /// Their tickets the member may see, newest first.
    pub tickets: Vec<TicketRow>,
    pub open: usize,
    /// The last rating they gave, if any.
    pub last_rating: Option<u8>,
    /// Their latest messages on those tickets, newest first.
    pub messages: Vec<crate::domain::Comment>,
}

/// Customers read at a time while picking those a member may see.
const CUSTOMER_PAGE: usize = 200;

/// How a member sees a customer's tickets.
#[derive(Debug, Clone, Copy, Default)]
struct Sight {
    seen: usize,
    hidden: usize,
}

impl Sight {
    /// A customer is the member's to see when one of their tickets is, or
    /// when they have none yet (a contact not tied to any problem).
    fn visible(self) -> bool {
        self.seen > 0 || self.hidden == 0
    }
}

/// At most this many messages in a customer's timeline.
const TIMELINE_MESSAGES: usize = 50;

/// What `customer add` takes besides the customer itself.
#[derive(Debug, Clone, Default)]
pub struct CustomerExtras {
    pub handles: Vec<(String, String)>,
    pub orders: Vec<String>,
    pub notes: String,
}

impl Desk {
    /// Adds a customer; a handle another customer already has is refused.
    pub fn add_customer(&mut self, new: &NewCustomer, extras: &CustomerExtras) -> Result<i64> {
        self.me()?;
        if new.name.trim().is_empty() {
            return Err(Error::Empty("field.customer"));
        }
        for (kind, _) in &extras.handles {
            if !HANDLE_KINDS.contains(&kind.as_str()) {
                return Err(Error::UnknownValue {
                    field: "handle",
                    value: kind.clone(),
                    known: HANDLE_KINDS.join(", "),
                });
            }
        }
        let now = self.clock.now();
        self.store.write(|w| {
            if let Some(email) = &new.email
                && (w.reader().customer_by_handle("email", email)?.is_some()
                    || w.reader().customer_by_email(email)?.is_some())
            {
                return Err(Error::CustomerExists(email.clone()));
            }
            let id = w.insert_customer(new, now)?;
            let mut all = extras.handles.clone();
            all.extend(new.email.iter().map(|e| ("email".to_string(), e.clone())));
            all.extend(new.phone.iter().map(|p| ("phone".to_string(), p.clone())));
            for (kind, value) in &all {
                if !w.add_handle(id, kind, value)? {
                    return Err(Error::CustomerExists(value.clone()));
                }
            }
            for o in &extras.orders {
                w.add_order(id, o)?;
            }
            w.set_customer_notes(id, extras.notes.trim())?;
            Ok(id)
        })
    }

    /// Customers matching `text` in name, pinyin or any handle, that the
    /// member may see (see [`Desk::customer_visible`]).
    pub fn customers(&self, text: Option<&str>, limit: usize) -> Result<Vec<Customer>> {
        let scope = self.me()?.scope();
        let reader = self.store.reader();
        if scope == Scope::All {
            return reader.customers(text, limit, 0);
        }
        let mut out = Vec::new();
        let mut offset = 0;
        loop {
            let page = reader.customers(text, CUSTOMER_PAGE, offset)?;
            offset += page.len();
            let done = page.len() < CUSTOMER_PAGE;
            for c in page {
                if self.customer_sight(&reader, &scope, c.id)?.visible() {
                    out.push(c);
                    if out.len() >= limit {
                        return Ok(out);
                    }
                }
            }
            if done {
                return Ok(out);
            }
        }
    }

    /// Whether some of a customer's tickets are hidden from the member, so
    /// what may come from those (orders, notes, other handles) is withheld.
    pub(super) fn customer_withheld(&self, id: i64) -> Result<bool> {
        let scope = self.me()?.scope();
        Ok(self
            .customer_sight(&self.store.reader(), &scope, id)?
            .hidden
            > 0)
    }

    /// How many of a customer's tickets the member may see, and how many not.
    fn customer_sight(
        &self,
        reader: &crate::store::Reader<'_>,
        scope: &Scope,
        id: i64,
    ) -> Result<Sight> {
        let mut sight = Sight::default();
        for (assignee, team) in reader.customer_ticket_owners(id)? {
            if scope.allows(assignee.as_deref(), team.as_deref()) {
                sight.seen += 1;
            } else {
                sight.hidden += 1;
            }
        }
        Ok(sight)
    }

    /// A customer by number, or by any handle (`li@example.cn`, a phone, a
    /// buyer id), if the member may see them; one they may not answers
    /// exactly like one that does not exist.
    pub fn find_customer(&self, key: &str) -> Result<i64> {
        let id = self.lookup_customer(key)?;
        let scope = self.me()?.scope();
        if self
            .customer_sight(&self.store.reader(), &scope, id)?
            .visible()
        {
            Ok(id)
        } else {
            Err(Error::CustomerNotFound(key.to_string()))
        }
    }

    fn lookup_customer(&self, key: &str) -> Result<i64> {
        let reader = self.store.reader();
        // `12`, `#12`, or `#12 Lena Krüger` as the ticket form writes a pick.
        let number = match key.trim().strip_prefix('#') {
            Some(rest) => rest.split_whitespace().next().unwrap_or(""),
            None => key.trim(),
        };
        if let Ok(id) = number.parse::<i64>()
            && reader.customer(id)?.is_some()
        {
            return Ok(id);
        }
        for kind in HANDLE_KINDS {
            if let Some(id) = reader.customer_by_handle(kind, key)? {
                return Ok(id);
            }
        }
        // Customers made before handles existed, by their address.
        if let Some(c) = reader.customer_by_email(key)? {
            return Ok(c.id);
        }
        Err(Error::CustomerNotFound(key.to_string()))
    }

    /// Everything about a customer; their tickets as far as the member may see.
    pub fn customer_profile(&self, id: i64) -> Result<CustomerProfile> {
        let scope = self.me()?.scope();
        let reader = self.store.reader();
        let customer = reader
            .customer(id)?
            .ok_or_else(|| Error::CustomerNotFound(id.to_string()))?;
        let sight = self.customer_sight(&reader, &scope, id)?;
        if !sight.visible() {
            return Err(Error::CustomerNotFound(id.to_string()));
        }
        let (mut handles, mut orders, mut notes) = reader.customer_extras(id)?;
        let withheld = sight.hidden > 0;
        if withheld {
            // A member who linked a ticket to an address must not learn the
            // customer's other handles, orders or notes through it.
            handles.clear();
            orders.clear();
            notes.clear();
        }
        let mut tickets = Vec::new();
        let mut last_rating = None;
        let open_states = self.workflow.open_states();
        for tid in reader.customer_tickets(id)? {
            let Some(t) = reader.ticket(tid)? else {
                continue;
            };
            if !scope.allows(t.assignee.as_deref(), t.team.as_deref()) {
                continue;
            }
            if last_rating.is_none() {
                last_rating = t.rating;
            }
            tickets.push(TicketRow {
                id: t.id,
                title: t.title,
                status: t.status,
                priority: t.priority,
                kind: t.kind,
                customer: Some(customer.name.clone()),
                assignee: t.assignee,
                team: t.team,
                channel: t.channel,
                created_at: t.created_at,
                updated_at: t.updated_at,
                version: t.version,
                accepted: t.accepted_at.is_some(),
                due_at: t.due_at,
                risk_at: t.risk_at,
                steps: Default::default(),
            });
        }
        let open = tickets
            .iter()
            .filter(|t| open_states.contains(&t.status.as_str()))
            .count();
        let messages = reader
            .customer_messages(id, TIMELINE_MESSAGES)?
            .into_iter()
            .filter(|m| tickets.iter().any(|t| t.id == m.ticket))
            .collect();
        Ok(CustomerProfile {
            messages,
            customer,
            handles,
            orders,
            notes,
            withheld,
            tickets,
            open,
            last_rating,
        })
    }

    /// The customer of a ticket the member may see, if it has one.
    pub fn customer_of_ticket(&self, ticket: i64) -> Result<Option<CustomerProfile>> {
        let reader = self.store.reader();
        match self.visible_ticket(&reader, ticket)?.customer_id {
            Some(id) => self.customer_profile(id).map(Some),
            None => Ok(None),
        }
    }

    /// Merges customer `gone` into `keep` (supervisors and admins): their
    /// tickets, handles, orders and notes; returns the tickets moved.
    pub fn merge_customers(&mut self, keep: i64, gone: i64) -> Result<usize> {
        self.require("action.merge_customers", Role::Supervisor)?;
        if keep == gone {
            return Err(Error::Invalid(crate::domain::InvalidValue::new(
                "customer",
                &gone.to_string(),
                "two different customers",
            )));
        }
        // Moving tickets the member may not see would change other teams'
        // work behind their back: only customers whose tickets are all theirs.
        for id in [keep, gone] {
            if self.customer_withheld(id)? {
                return Err(Error::Forbidden {
                    action: "action.merge_hidden_customers",
                    needs: Role::Admin,
                });
            }
        }
        self.write_as(
            ChangeKind::MergeCustomers,
            &format!("{gone} → {keep}"),
            |w, ctx| {
                for id in [keep, gone] {
                    if w.reader().customer(id)?.is_none() {
                        return Err(Error::CustomerNotFound(id.to_string()));
                    }
                }
                let tickets = w.reader().customer_tickets(gone)?;
                let moved = w.merge_customers(keep, gone)?;
                // Each moved ticket's history says whose it became.
                for t in tickets {
                    ctx.log(
                        w,
                        t,
                        crate::domain::EventKind::Field,
                        Some("customer"),
                        Some(&format!("#{gone}")),
                        Some(&format!("#{keep}")),
                    )?;
                }
                Ok(moved)
            },
        )
    }
}

/// What `customer edit` changes; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct CustomerEdit {
    pub name: Option<String>,
    pub tier: Option<crate::domain::Tier>,
    /// `Some(None)` clears it.
    pub country: Option<Option<String>>,
    pub timezone: Option<Option<String>>,
    pub language: Option<Option<String>>,
    /// (kind, value) handles to add and to take off.
    pub add_handles: Vec<(String, String)>,
    pub remove_handles: Vec<(String, String)>,
    pub add_orders: Vec<String>,
    pub remove_orders: Vec<String>,
    /// New notes, replacing the old ones.
    pub notes: Option<String>,
}

impl Desk {
    /// Changes a customer the member may fully see (all of whose tickets
    /// they may see; admins any): a handle another customer has is refused,
    /// as is an unknown time zone.
    pub fn edit_customer(&mut self, id: i64, edit: &CustomerEdit) -> Result<CustomerProfile> {
        let current = self.customer_profile(id)?;
        if current.withheld {
            return Err(Error::Forbidden {
                action: "action.edit_hidden_customer",
                needs: Role::Admin,
            });
        }
        for (kind, _) in edit.add_handles.iter().chain(&edit.remove_handles) {
            if !HANDLE_KINDS.contains(&kind.as_str()) {
                return Err(Error::UnknownValue {
                    field: "handle",
                    value: kind.clone(),
                    known: HANDLE_KINDS.join(", "),
                });
            }
        }
        if let Some(Some(zone)) = &edit.timezone
            && zone.parse::<chrono_tz::Tz>().is_err()
        {
            return Err(Error::Invalid(crate::domain::InvalidValue::new(
                "timezone",
                zone,
                "an IANA zone like Europe/Berlin or Asia/Shanghai",
            )));
        }
        let c = &current.customer;
        let updated = NewCustomer {
            name: edit.name.clone().unwrap_or_else(|| c.name.clone()),
            email: c.email.clone(),
            phone: None,
            tier: edit.tier.unwrap_or(c.tier),
            country: edit.country.clone().unwrap_or_else(|| c.country.clone()),
            timezone: edit.timezone.clone().unwrap_or_else(|| c.timezone.clone()),
            language: edit.language.clone().unwrap_or_else(|| c.language.clone()),
        };
        if updated.name.trim().is_empty() {
            return Err(Error::Empty("field.customer"));
        }
        self.store.write(|w| {
            w.update_customer(id, &updated)?;
            for (kind, value) in &edit.remove_handles {
                w.remove_handle(id, kind, value)?;
            }
            for (kind, value) in &edit.add_handles {
                if !w.add_handle(id, kind, value)? {
                    return Err(Error::CustomerExists(value.clone()));
                }
            }
            for o in &edit.remove_orders {
                w.remove_order(id, o)?;
            }
            for o in &edit.add_orders {
                w.add_order(id, o)?;
            }
            if let Some(notes) = &edit.notes {
                w.set_customer_notes(id, notes.trim())?;
            }
            w.fill_customer_email(id)
        })?;
        self.customer_profile(id)
    }
}

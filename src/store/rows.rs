//! Conversions between SQLite rows and domain types.

use chrono::{DateTime, Utc};
use rusqlite::Row;

use crate::domain::{
    Channel, Comment, Customer, Event, EventKind, Priority, Role, TicketRow, Tier, User,
};

/// UTC time → stored milliseconds.
pub fn to_ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// Stored milliseconds → UTC time (out-of-range values clamp to the epoch).
pub fn from_ms(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or(DateTime::UNIX_EPOCH)
}

pub fn opt_from_ms(ms: Option<i64>) -> Option<DateTime<Utc>> {
    ms.map(from_ms)
}

/// A column whose stored text does not parse as the domain type.
pub fn bad_value(column: &str, value: &str) -> rusqlite::Error {
    rusqlite::Error::InvalidColumnType(0, format!("{column}={value}"), rusqlite::types::Type::Text)
}

pub fn priority(rank: i64) -> rusqlite::Result<Priority> {
    Priority::from_rank(rank).ok_or_else(|| bad_value("priority", &rank.to_string()))
}

pub fn channel(text: &str) -> rusqlite::Result<Channel> {
    Channel::parse(text).map_err(|_| bad_value("channel", text))
}

/// Columns selected for a [`TicketRow`], in the order [`ticket_row`] reads them.
pub const TICKET_ROW_COLUMNS: &str = "t.id, t.title, t.status, t.priority, t.type, c.name, \
     t.assignee, t.team, t.created_at, t.updated_at, t.version, t.accepted_at IS NOT NULL, t.due_at, t.channel, t.risk_at, \
     t.steps_done, t.steps_total";

pub fn ticket_row(r: &Row) -> rusqlite::Result<TicketRow> {
    Ok(TicketRow {
        id: r.get(0)?,
        title: r.get(1)?,
        status: r.get(2)?,
        priority: priority(r.get(3)?)?,
        kind: r.get(4)?,
        customer: r.get(5)?,
        assignee: r.get(6)?,
        team: r.get(7)?,
        created_at: from_ms(r.get(8)?),
        updated_at: from_ms(r.get(9)?),
        version: r.get(10)?,
        accepted: r.get(11)?,
        due_at: opt_from_ms(r.get(12)?),
        risk_at: opt_from_ms(r.get(14)?),
        channel: channel(&r.get::<_, String>(13)?)?,
        steps: crate::domain::Progress {
            done: usize::try_from(r.get::<_, i64>(15)?).unwrap_or(0),
            total: usize::try_from(r.get::<_, i64>(16)?).unwrap_or(0),
        },
    })
}

pub const COMMENT_COLUMNS: &str = "id, ticket_id, author, body, internal, created_at";

pub fn comment(r: &Row) -> rusqlite::Result<Comment> {
    Ok(Comment {
        id: r.get(0)?,
        ticket: r.get(1)?,
        author: r.get(2)?,
        body: r.get(3)?,
        internal: r.get(4)?,
        created_at: from_ms(r.get(5)?),
    })
}

pub const EVENT_COLUMNS: &str = "id, ticket_id, actor, at, kind, field, old, new";

pub fn event(r: &Row) -> rusqlite::Result<Event> {
    let kind: String = r.get(4)?;
    let ticket: i64 = r.get(1)?;
    Ok(Event {
        id: r.get(0)?,
        ticket: (ticket != 0).then_some(ticket),
        actor: r.get(2)?,
        at: from_ms(r.get(3)?),
        kind: EventKind::parse(&kind).ok_or_else(|| bad_value("kind", &kind))?,
        field: r.get(5)?,
        old: r.get(6)?,
        new: r.get(7)?,
    })
}

pub const USER_COLUMNS: &str = "login, display_name, role, team, active, level";

pub fn user(r: &Row) -> rusqlite::Result<User> {
    let role: String = r.get(2)?;
    Ok(User {
        login: r.get(0)?,
        display_name: r.get(1)?,
        role: Role::parse(&role).map_err(|_| bad_value("role", &role))?,
        team: r.get(3)?,
        active: r.get(4)?,
        level: {
            let level: String = r.get(5)?;
            crate::domain::Level::parse(&level).map_err(|_| bad_value("level", &level))?
        },
    })
}

pub const CUSTOMER_COLUMNS: &str = "id, name, email, phone, tier, country, timezone, language";

pub fn customer(r: &Row) -> rusqlite::Result<Customer> {
    let tier: String = r.get(4)?;
    Ok(Customer {
        id: r.get(0)?,
        name: r.get(1)?,
        email: r.get(2)?,
        phone: r.get(3)?,
        tier: Tier::parse(&tier).map_err(|_| bad_value("tier", &tier))?,
        country: r.get(5)?,
        timezone: r.get(6)?,
        language: r.get(7)?,
    })
}

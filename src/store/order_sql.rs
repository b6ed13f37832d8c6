//! The order of a list, as SQL. Every tie is broken down to the ticket
//! number and a direction applies to the whole key, so `Desc` is exactly
//! `Asc` reversed and a page near the end can be read backwards.
//!
//! An order that starts with the workflow state (grouping by state, sorting
//! by status) or with priority (grouping by priority) is read as one arm per
//! state or priority, in order, each arm from its own index range already in
//! order: sorting a million tickets by a `CASE` expression would take
//! seconds, reading 50 of them from the right arm takes a millisecond.

use rusqlite::types::Value;

use crate::domain::{Clause, Field, GroupBy, ListRequest, Priority, SortDir, SortKey};

/// Reading a list as arms: `column = value` for each value in reading order,
/// and an arm for everything else (states the workflow no longer has) — or,
/// with `nulls`, one arm where the column is set and one where it is not.
#[derive(Debug, Clone, PartialEq)]
pub struct Partition {
    pub column: &'static str,
    pub values: Vec<Value>,
    pub rest: Rest,
    pub nulls: Option<Nulls>,
}

/// Which arm of a set/unset partition is read first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nulls {
    Last,
    First,
}

/// Where the arm for values outside the partition's list is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rest {
    None,
    First,
    Last,
}

/// The partition a request is read by, if its order starts with state or priority.
pub fn partition(req: &ListRequest, status_order: &[&str]) -> Option<Partition> {
    let states = |reversed: bool| {
        let mut values: Vec<Value> = status_order
            .iter()
            .map(|s| Value::Text((*s).to_string()))
            .collect();
        if reversed {
            values.reverse();
        }
        // Unknown states sort after the known ones.
        Partition {
            column: "t.status",
            values,
            rest: if reversed { Rest::First } else { Rest::Last },
            nulls: None,
        }
    };
    let mut p = match (req.group, req.sort) {
        // Groups always come in their natural order.
        (Some(GroupBy::State), _) => states(false),
        (Some(GroupBy::Priority), _) => Partition {
            column: "t.priority",
            values: Priority::ALL
                .iter()
                .map(|p| Value::Integer(p.rank()))
                .collect(),
            rest: Rest::None,
            nulls: None,
        },
        (None, SortKey::Status) => states(req.dir == SortDir::Desc),
        // Tickets with a deadline from its index in order, then those
        // without, by number: sorting a million rows by `due_at IS NULL`
        // took seconds.
        (None, SortKey::Due) => Partition {
            column: "t.due_at",
            values: Vec::new(),
            rest: Rest::None,
            nulls: Some(if req.dir == SortDir::Asc {
                Nulls::Last
            } else {
                Nulls::First
            }),
        },
        _ => return None,
    };
    if req.backwards {
        p.nulls = p.nulls.map(|n| match n {
            Nulls::Last => Nulls::First,
            Nulls::First => Nulls::Last,
        });
        p.values.reverse();
        p.rest = match p.rest {
            Rest::First => Rest::Last,
            Rest::Last => Rest::First,
            Rest::None => Rest::None,
        };
    }
    Some(p)
}

/// The states of a request to read as a merge: one arm per state, each
/// already in order in its `(status, …)` index, merged as they stream. A
/// filter on several states sorted by update time or priority would
/// otherwise sort every open ticket to show the first page (SQLite's planner
/// picks the state index and a temporary sort for `status IN (…)`).
pub fn merged_states(req: &ListRequest) -> Option<Vec<String>> {
    if req.group.is_some() || !matches!(req.sort, SortKey::Updated | SortKey::Priority) {
        return None;
    }
    req.query.clauses.iter().find_map(|c| match c {
        Clause::Field {
            field: Field::Status,
            values,
            negated: false,
        } if values.len() > 1 => Some(values.clone()),
        _ => None,
    })
}

/// ORDER BY terms for a request; with `partitioned`, only the terms that
/// order rows within one arm (the partition column is constant there).
pub fn order_by(
    req: &ListRequest,
    status_order: &[&str],
    params: &mut Vec<Value>,
    partitioned: bool,
) -> String {
    let (with, against) = match req.dir {
        SortDir::Asc => ("ASC", "DESC"),
        SortDir::Desc => ("DESC", "ASC"),
    };
    let status_case = |params: &mut Vec<Value>| {
        let mut case = String::from("CASE t.status");
        for (i, s) in status_order.iter().enumerate() {
            params.push(Value::Text((*s).to_string()));
            case += &format!(" WHEN ?{} THEN {i}", params.len());
        }
        case + &format!(" ELSE {} END", status_order.len())
    };
    // Groups come first and always in their natural order.
    let group_terms: Vec<String> = match (req.group, partitioned) {
        (None, _) | (Some(GroupBy::State | GroupBy::Priority), true) => Vec::new(),
        (Some(GroupBy::State), false) => vec![status_case(params)],
        (Some(GroupBy::Priority), false) => vec!["t.priority".into()],
        (Some(GroupBy::Assignee), _) => vec!["t.assignee IS NULL".into(), "t.assignee".into()],
        (Some(GroupBy::Team), _) => vec!["t.team IS NULL".into(), "t.team".into()],
    };
    // The leading sort term is constant within an arm of its own partition.
    let constant_lead = partitioned
        && matches!(
            (req.group, req.sort),
            (None | Some(GroupBy::State), SortKey::Status)
                | (Some(GroupBy::Priority), SortKey::Priority)
                | (None, SortKey::Due)
        );
    // (expression, follows the primary direction)
    let mut terms: Vec<(String, bool)> = match req.sort {
        SortKey::Number => vec![("t.id".into(), true)],
        // Most urgent first; within a priority, waiting longest first (as on
        // the board), so one index serves the whole order.
        SortKey::Priority => vec![
            ("t.priority".into(), true),
            ("t.updated_at".into(), true),
            ("t.id".into(), true),
        ],
        SortKey::Status => vec![
            (
                if constant_lead {
                    String::new()
                } else {
                    status_case(params)
                },
                true,
            ),
            ("t.updated_at".into(), false),
            ("t.id".into(), false),
        ],
        SortKey::Title => vec![
            ("t.title COLLATE NOCASE".into(), true),
            ("t.id".into(), true),
        ],
        SortKey::Customer => vec![
            ("c.name IS NULL".into(), true),
            ("c.name COLLATE NOCASE".into(), true),
            ("t.id".into(), true),
        ],
        SortKey::Assignee => vec![
            ("t.assignee IS NULL".into(), true),
            ("t.assignee".into(), true),
            ("t.id".into(), true),
        ],
        SortKey::Created => vec![("t.created_at".into(), true), ("t.id".into(), true)],
        SortKey::Updated => vec![("t.updated_at".into(), true), ("t.id".into(), true)],
        SortKey::Due => vec![
            ("t.due_at IS NULL".into(), true),
            ("t.due_at".into(), true),
            ("t.id".into(), true),
        ],
    };
    if constant_lead {
        terms.remove(0);
    }
    let flip = |d: &'static str| match (req.backwards, d) {
        (false, d) => d,
        (true, "ASC") => "DESC",
        (true, _) => "ASC",
    };
    let group = flip("ASC");
    let mut all: Vec<String> = group_terms
        .into_iter()
        .map(|g| format!("{g} {group}"))
        .collect();
    all.extend(
        terms.into_iter().map(|(expr, follows)| {
            format!("{expr} {}", flip(if follows { with } else { against }))
        }),
    );
    all.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Query;

    fn req(sort: SortKey, dir: SortDir, group: Option<GroupBy>) -> ListRequest {
        ListRequest {
            query: Query::default(),
            sort,
            dir,
            limit: 10,
            offset: 0,
            group,
            backwards: false,
        }
    }

    #[test]
    fn state_and_priority_orders_are_partitioned_others_are_not() {
        let states = ["new", "closed"];
        let p = partition(&req(SortKey::Status, SortDir::Desc, None), &states).expect("by state");
        assert_eq!(
            p.values,
            vec![Value::Text("closed".into()), Value::Text("new".into())]
        );
        assert_eq!(p.rest, Rest::First, "unknown states are last ascending");
        let p = partition(
            &req(SortKey::Title, SortDir::Desc, Some(GroupBy::State)),
            &states,
        )
        .expect("grouped by state");
        assert_eq!(
            p.values[0],
            Value::Text("new".into()),
            "groups keep their order"
        );
        let p = partition(
            &req(SortKey::Updated, SortDir::Desc, Some(GroupBy::Priority)),
            &states,
        )
        .expect("grouped by priority");
        assert_eq!(
            (p.column, p.values.len(), p.rest),
            ("t.priority", 4, Rest::None)
        );
        assert!(partition(&req(SortKey::Updated, SortDir::Desc, None), &states).is_none());
        assert!(
            partition(
                &req(SortKey::Status, SortDir::Asc, Some(GroupBy::Team)),
                &states
            )
            .is_none()
        );
    }

    #[test]
    fn within_an_arm_the_constant_lead_is_dropped() {
        let mut params = Vec::new();
        let sql = order_by(
            &req(SortKey::Status, SortDir::Asc, None),
            &["new"],
            &mut params,
            true,
        );
        assert_eq!(sql, "t.updated_at DESC, t.id DESC");
        assert!(params.is_empty());
        let sql = order_by(
            &req(SortKey::Priority, SortDir::Asc, None),
            &["new"],
            &mut params,
            false,
        );
        assert_eq!(sql, "t.priority ASC, t.updated_at ASC, t.id ASC");
    }
}

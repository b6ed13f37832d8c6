//! Saved views ("custom views" in the source articles): a named query with
//! its sort, grouping and visible columns; personal or shared with the desk.

use serde::{Deserialize, Serialize};

use super::{SortDir, SortKey};

/// A list column a view can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Number,
    Priority,
    Status,
    Title,
    Customer,
    Assignee,
    Team,
    Type,
    Channel,
    Age,
    Due,
}

impl Column {
    pub const ALL: [Column; 11] = [
        Column::Number,
        Column::Priority,
        Column::Status,
        Column::Title,
        Column::Customer,
        Column::Assignee,
        Column::Team,
        Column::Type,
        Column::Channel,
        Column::Age,
        Column::Due,
    ];

    /// The columns shown when a view names none.
    pub const DEFAULT: [Column; 8] = [
        Column::Number,
        Column::Priority,
        Column::Status,
        Column::Title,
        Column::Customer,
        Column::Assignee,
        Column::Age,
        Column::Due,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Column::Number => "number",
            Column::Priority => "priority",
            Column::Status => "status",
            Column::Title => "title",
            Column::Customer => "customer",
            Column::Assignee => "assignee",
            Column::Team => "team",
            Column::Type => "type",
            Column::Channel => "channel",
            Column::Age => "age",
            Column::Due => "due",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text.trim())
    }

    /// Parses `number,title,due`; `None` names the first unknown column.
    pub fn parse_list(text: &str) -> Result<Vec<Column>, String> {
        text.split(',')
            .filter(|c| !c.trim().is_empty())
            .map(|c| Column::parse(c).ok_or_else(|| c.trim().to_string()))
            .collect()
    }
}

/// How the list is grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    State,
    Priority,
    Assignee,
    Team,
}

impl GroupBy {
    pub const ALL: [GroupBy; 4] = [
        GroupBy::State,
        GroupBy::Priority,
        GroupBy::Assignee,
        GroupBy::Team,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::State => "state",
            GroupBy::Priority => "priority",
            GroupBy::Assignee => "assignee",
            GroupBy::Team => "team",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        let t = if t == "status" { "state" } else { t };
        Self::ALL.into_iter().find(|g| g.as_str() == t)
    }

    /// none → state → priority → assignee → team → none.
    pub fn cycle(current: Option<GroupBy>) -> Option<GroupBy> {
        match current {
            None => Some(GroupBy::State),
            Some(GroupBy::State) => Some(GroupBy::Priority),
            Some(GroupBy::Priority) => Some(GroupBy::Assignee),
            Some(GroupBy::Assignee) => Some(GroupBy::Team),
            Some(GroupBy::Team) => None,
        }
    }
}

/// A saved or built-in view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct View {
    /// Stored views have an id; built-ins have none.
    pub id: Option<i64>,
    /// The name shown (built-ins are localized from `builtin`).
    pub name: String,
    /// Catalog key of a built-in view's name.
    pub builtin: Option<&'static str>,
    /// Who owns a personal view; `None` = shared with the desk.
    pub owner: Option<String>,
    pub query: String,
    pub sort: SortKey,
    pub dir: SortDir,
    pub columns: Vec<Column>,
    pub group: Option<GroupBy>,
}

impl View {
    fn builtin(key: &'static str, query: &str, sort: SortKey) -> Self {
        Self {
            id: None,
            name: key.trim_start_matches("view.").to_string(),
            builtin: Some(key),
            owner: None,
            query: query.to_string(),
            sort,
            dir: sort.default_dir(),
            columns: Column::DEFAULT.to_vec(),
            group: None,
        }
    }

    /// The views every desk has.
    pub fn builtins() -> Vec<View> {
        vec![
            Self::builtin("view.my_open", "assignee:me status:open", SortKey::Priority),
            Self::builtin(
                "view.unassigned",
                "assignee:none status:open",
                SortKey::Priority,
            ),
            Self::builtin("view.at_risk", "sla:at-risk|breached", SortKey::Updated),
            Self::builtin("view.waiting", "status:waiting_customer", SortKey::Updated),
            Self::builtin("view.vip", "tier:vip status:open", SortKey::Priority),
            Self::builtin("view.all", "", SortKey::Updated),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Query;

    #[test]
    fn builtin_views_have_valid_queries() {
        for v in View::builtins() {
            assert!(Query::parse(&v.query).is_ok(), "{}", v.name);
        }
    }

    #[test]
    fn columns_and_groups_parse() {
        assert_eq!(
            Column::parse_list("number, title,due"),
            Ok(vec![Column::Number, Column::Title, Column::Due])
        );
        assert_eq!(Column::parse_list("number,colour"), Err("colour".into()));
        assert_eq!(GroupBy::parse("status"), Some(GroupBy::State));
        let mut g = None;
        for _ in 0..5 {
            g = GroupBy::cycle(g);
        }
        assert_eq!(g, None);
    }
}

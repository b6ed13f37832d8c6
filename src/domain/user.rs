//! Desk members and their roles.

use serde::{Deserialize, Serialize};
use std::fmt;

use super::InvalidValue;

/// What a member may do. Ordered: agent < supervisor < admin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Agent,
    Supervisor,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Agent, Role::Supervisor, Role::Admin];

    /// Stable id used in storage and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
        }
    }

    /// Parses a role id, case-insensitively.
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let t = text.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == t)
            .ok_or_else(|| InvalidValue::new("role", text, "agent, supervisor, admin"))
    }

    /// True when this role includes everything `needed` may do.
    pub fn at_least(self, needed: Role) -> bool {
        self >= needed
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the login of an automation (a rule, mail intake, escalation) starts
/// with; no Unix login contains a colon.
pub const AUTOMATION_PREFIX: &str = "automation:";

/// Is this login an automation rather than a member?
pub fn is_automation(login: &str) -> bool {
    login.starts_with(AUTOMATION_PREFIX)
}

/// A desk member, identified by their Unix login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub team: Option<String>,
    pub active: bool,
    /// Seniority: who takes a ticket the customer was unhappy with.
    pub level: super::Level,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_by_power() {
        assert!(Role::Admin.at_least(Role::Supervisor));
        assert!(Role::Supervisor.at_least(Role::Agent));
        assert!(!Role::Agent.at_least(Role::Supervisor));
        assert_eq!(Role::parse("Admin"), Ok(Role::Admin));
        assert!(Role::parse("root").is_err());
    }
}

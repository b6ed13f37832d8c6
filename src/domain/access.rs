//! Who may see which tickets. One rule per role, used twice: turned into a
//! query clause for every list, count, board, search and bulk selection, and
//! checked on every action that names a ticket by number — so a ticket an
//! agent may not see answers "not found" exactly like a missing one.

use super::{Clause, Field, Role, User};

/// The tickets a member may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every ticket: admins, and supervisors without a team (they supervise
    /// the whole desk).
    All,
    /// The tickets of one team, and the tickets of no team yet (mail from
    /// an address no rule routes, an import without teams), so they land
    /// where a supervisor sees and routes them: a team's supervisor.
    Team(String),
    /// Tickets assigned to `login`, and unassigned tickets of `team` (with
    /// no team: unassigned tickets without a team): an agent.
    Own { login: String, team: Option<String> },
}

impl User {
    /// What this member may see, by role and team.
    pub fn scope(&self) -> Scope {
        match (self.role, &self.team) {
            (Role::Admin, _) | (Role::Supervisor, None) => Scope::All,
            (Role::Supervisor, Some(team)) => Scope::Team(team.clone()),
            (Role::Agent, team) => Scope::Own {
                login: self.login.clone(),
                team: team.clone(),
            },
        }
    }
}

impl Scope {
    /// Whether a ticket with this assignee and team is visible.
    pub fn allows(&self, assignee: Option<&str>, team: Option<&str>) -> bool {
        match self {
            Scope::All => true,
            Scope::Team(mine) => team.is_none() || team == Some(mine.as_str()),
            Scope::Own { login, team: mine } => match assignee {
                Some(a) => a == login,
                None => team == mine.as_deref(),
            },
        }
    }

    /// The clause that narrows a query to this scope (none for everything).
    pub fn clause(&self) -> Option<Clause> {
        match self {
            Scope::All => None,
            Scope::Team(team) => Some(Clause::Field {
                field: Field::Team,
                values: vec![team.clone(), "none".into()],
                negated: false,
            }),
            Scope::Own { login, team } => Some(Clause::Visible {
                assignee: login.clone(),
                team: team.clone(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, team: Option<&str>) -> User {
        User {
            login: "ann".into(),
            display_name: "Ann".into(),
            role,
            team: team.map(String::from),
            active: true,
            level: crate::domain::Level::default(),
        }
    }

    #[test]
    fn each_role_sees_what_its_row_of_the_table_says() {
        let agent = user(Role::Agent, Some("eu")).scope();
        assert!(
            agent.allows(Some("ann"), Some("cn")),
            "assigned to me anywhere"
        );
        assert!(agent.allows(None, Some("eu")), "unassigned in my team");
        assert!(!agent.allows(None, Some("cn")), "unassigned elsewhere");
        assert!(!agent.allows(None, None), "unassigned without a team");
        assert!(!agent.allows(Some("bob"), Some("eu")), "a teammate's");
        let loner = user(Role::Agent, None).scope();
        assert!(loner.allows(None, None));
        assert!(!loner.allows(None, Some("eu")));
        let lead = user(Role::Supervisor, Some("eu")).scope();
        assert!(lead.allows(Some("bob"), Some("eu")));
        assert!(!lead.allows(Some("ann"), Some("cn")));
        assert!(
            lead.allows(None, None),
            "no team yet: every supervisor routes it"
        );
        assert!(lead.allows(Some("ann"), None));
        assert_eq!(user(Role::Supervisor, None).scope(), Scope::All);
        assert_eq!(user(Role::Admin, Some("eu")).scope(), Scope::All);
    }
}

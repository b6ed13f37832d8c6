//! How a ticket ends: the resolution record (root cause, prevention), how
//! its acceptance was recorded, how often it was reopened, and which
//! knowledge-base article solved it.

use serde::{Deserialize, Serialize};

use super::InvalidValue;

/// Who or what recorded a ticket's acceptance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AcceptedBy {
    /// The customer's own answer: a mail reply, a survey, or their words
    /// entered by an agent.
    Customer,
    /// A supervisor (or admin) recorded it without the customer's words.
    Supervisor,
    /// Nobody answered the satisfaction request in time (an automation).
    Silence,
}

impl AcceptedBy {
    pub const ALL: [AcceptedBy; 3] = [Self::Customer, Self::Supervisor, Self::Silence];

    /// Stable id used in storage, JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::Supervisor => "supervisor",
            Self::Silence => "silence",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == text.trim())
    }
}

/// Seniority of a member; a ticket the customer rated badly goes to a
/// senior member of its team.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Junior,
    #[default]
    Regular,
    Senior,
}

impl Level {
    pub const ALL: [Level; 3] = [Self::Junior, Self::Regular, Self::Senior];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Junior => "junior",
            Self::Regular => "regular",
            Self::Senior => "senior",
        }
    }

    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let t = text.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|l| l.as_str() == t)
            .ok_or_else(|| InvalidValue::new("level", text, "junior, regular, senior"))
    }
}

/// The closing record kept on a ticket beside its resolution summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Closure {
    /// Root cause id from the workflow's `[[cause]]` list.
    pub cause: Option<String>,
    /// What was done so it does not happen again.
    pub prevention: Option<String>,
    /// How the acceptance was recorded (set with `accepted_at`).
    pub accepted_by: Option<AcceptedBy>,
    /// How many times the ticket left a resolved state for an open one.
    pub reopens: u32,
    /// Id of the knowledge-base article that solved it.
    pub solved_by: Option<String>,
}

/// After this many reopens a ticket goes to the team's supervisor (the
/// seed articles' rule: a problem that keeps coming back needs a lead).
pub const REOPENS_TO_SUPERVISOR: u32 = 3;

/// What a customer's verdict does to a ticket awaiting acceptance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Satisfied (4–5, or a yes without a low rating): accept, and close.
    Accept,
    /// Unhappy (below 3, or a no): reopen for another try.
    Reopen,
    /// Neither (a 3 without a word, nothing at all): record what was said.
    Record,
}

/// The rule of the seed articles: a good rating with acceptance closes, a
/// rating below 3 or a "no" reopens, anything else is recorded for the
/// agent to follow up.
pub fn decide(rating: Option<u8>, satisfied: Option<bool>) -> Decision {
    match (rating, satisfied) {
        (Some(r), _) if r < 3 => Decision::Reopen,
        (_, Some(false)) => Decision::Reopen,
        (Some(r), _) if r >= 4 => Decision::Accept,
        (_, Some(true)) => Decision::Accept,
        _ => Decision::Record,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn a_low_rating_or_a_no_never_closes(
            rating in proptest::option::of(1u8..=5),
            satisfied in proptest::option::of(any::<bool>()),
        ) {
            let d = decide(rating, satisfied);
            if rating.is_some_and(|r| r < 3) || satisfied == Some(false) {
                prop_assert_eq!(d, Decision::Reopen);
            } else if rating.is_some_and(|r| r >= 4) || satisfied == Some(true) {
                prop_assert_eq!(d, Decision::Accept);
            } else {
                prop_assert_eq!(d, Decision::Record);
            }
        }
    }

    #[test]
    fn levels_and_acceptance_read_back_their_ids() {
        for l in Level::ALL {
            assert_eq!(Level::parse(l.as_str()), Ok(l));
        }
        assert!(Level::parse("boss").is_err());
        assert!(Level::Senior > Level::Regular);
        for a in AcceptedBy::ALL {
            assert_eq!(AcceptedBy::parse(a.as_str()), Some(a));
        }
    }
}

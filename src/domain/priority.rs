//! Ticket priority P0 (system down) .. P3 (suggestion).

use serde::{Deserialize, Serialize};
use std::fmt;

use super::InvalidValue;

/// How urgent a ticket is. Lower number = more urgent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Priority {
    /// System down, crash, payment broken.
    P0,
    /// Serious problem, no workaround.
    P1,
    /// Normal problem.
    P2,
    /// Question or suggestion.
    P3,
}

impl Priority {
    /// Every priority, most urgent first.
    pub const ALL: [Priority; 4] = [Priority::P0, Priority::P1, Priority::P2, Priority::P3];

    /// The stored integer (0..=3).
    pub fn rank(self) -> i64 {
        self as i64
    }

    /// Inverse of [`Priority::rank`].
    pub fn from_rank(rank: i64) -> Option<Self> {
        Self::ALL.get(usize::try_from(rank).ok()?).copied()
    }

    /// `P0`..`P3`.
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::P0 => "P0",
            Priority::P1 => "P1",
            Priority::P2 => "P2",
            Priority::P3 => "P3",
        }
    }

    /// Parses `P1`, `p1` or `1`.
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let t = text.trim();
        let digits = t.strip_prefix(['P', 'p']).unwrap_or(t);
        digits
            .parse::<i64>()
            .ok()
            .and_then(Self::from_rank)
            .ok_or_else(|| InvalidValue::new("priority", text, "P0, P1, P2, P3"))
    }

    /// One step more urgent, saturating at P0.
    pub fn raised(self) -> Self {
        Self::from_rank(self.rank() - 1).unwrap_or(Priority::P0)
    }

    /// One step less urgent, saturating at P3.
    pub fn lowered(self) -> Self {
        Self::from_rank(self.rank() + 1).unwrap_or(Priority::P3)
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_all_spellings() {
        assert_eq!(Priority::parse("P0"), Ok(Priority::P0));
        assert_eq!(Priority::parse("p2"), Ok(Priority::P2));
        assert_eq!(Priority::parse(" 3 "), Ok(Priority::P3));
        assert!(Priority::parse("P4").is_err());
        assert!(Priority::parse("high").is_err());
        assert!(Priority::parse("-1").is_err());
    }

    #[test]
    fn raise_and_lower_saturate() {
        assert_eq!(Priority::P0.raised(), Priority::P0);
        assert_eq!(Priority::P3.lowered(), Priority::P3);
        assert_eq!(Priority::P2.raised(), Priority::P1);
        assert_eq!(Priority::P1.lowered(), Priority::P2);
    }

    #[test]
    fn rank_round_trips() {
        for p in Priority::ALL {
            assert_eq!(Priority::from_rank(p.rank()), Some(p));
        }
        assert_eq!(Priority::from_rank(9), None);
    }
}

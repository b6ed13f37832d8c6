//! Where a customer problem came in from.

use serde::{Deserialize, Serialize};
use std::fmt;

use super::InvalidValue;

/// Intake channel of a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Phone,
    Chat,
    Social,
    Marketplace,
    Web,
    Import,
    Other,
}

impl Channel {
    /// Every channel in display order.
    pub const ALL: [Channel; 8] = [
        Channel::Email,
        Channel::Phone,
        Channel::Chat,
        Channel::Social,
        Channel::Marketplace,
        Channel::Web,
        Channel::Import,
        Channel::Other,
    ];

    /// Stable id used in storage, CLI and queries.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Phone => "phone",
            Channel::Chat => "chat",
            Channel::Social => "social",
            Channel::Marketplace => "marketplace",
            Channel::Web => "web",
            Channel::Import => "import",
            Channel::Other => "other",
        }
    }

    /// Parses a channel id, case-insensitively.
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let t = text.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == t)
            .ok_or_else(|| {
                let ids: Vec<&str> = Self::ALL.iter().map(|c| c.as_str()).collect();
                InvalidValue::new("channel", text, ids.join(", "))
            })
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_channel_round_trips_through_its_id() {
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Ok(c));
        }
        assert_eq!(Channel::parse("EMAIL"), Ok(Channel::Email));
        let err = Channel::parse("fax").expect_err("fax is not a channel");
        assert!(err.expected.contains("marketplace"));
    }
}

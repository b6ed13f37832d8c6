//! Customers: who raised a ticket, their tier, and where they live.

use serde::{Deserialize, Serialize};
use std::fmt;

use super::InvalidValue;

/// Service tier of a customer; VIPs get faster service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    Vip,
    Important,
    #[default]
    Normal,
}

impl Tier {
    pub const ALL: [Tier; 3] = [Tier::Vip, Tier::Important, Tier::Normal];

    /// Stable id used in storage and queries.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Vip => "vip",
            Tier::Important => "important",
            Tier::Normal => "normal",
        }
    }

    /// Parses a tier id, case-insensitively.
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let t = text.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|x| x.as_str() == t)
            .ok_or_else(|| InvalidValue::new("tier", text, "vip, important, normal"))
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stored customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub tier: Tier,
    /// ISO 3166 alpha-2 country code, e.g. `DE`.
    pub country: Option<String>,
    /// IANA time zone name, e.g. `Europe/Berlin`.
    pub timezone: Option<String>,
    /// BCP 47 language tag, e.g. `de` or `zh-CN`.
    pub language: Option<String>,
}

/// A handle as it is stored and looked up: a phone number by its digits
/// (and a leading `+`), so `+49 170 1234567`, `+49-170-123 45 67` and
/// `+491701234567` are one number; anything else trimmed.
pub fn handle_key(kind: &str, value: &str) -> String {
    let value = value.trim();
    if kind != "phone" {
        return value.to_string();
    }
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 3 {
        return value.to_string();
    }
    if value.starts_with('+') {
        format!("+{digits}")
    } else {
        digits
    }
}

/// A customer about to be created.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewCustomer {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub tier: Tier,
    pub country: Option<String>,
    pub timezone: Option<String>,
    pub language: Option<String>,
}

impl NewCustomer {
    /// A customer known only by an email address; the name is the address's local part.
    pub fn from_email(email: &str) -> Self {
        let email = email.trim();
        let name = email.split('@').next().unwrap_or(email).to_string();
        Self {
            name,
            email: Some(email.to_string()),
            ..Self::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_number_is_one_handle_however_it_is_written() {
        for written in [
            "+49 170 1234567",
            "+49-170-123 45 67",
            " +491701234567 ",
            "+49 (170) 1234567",
        ] {
            assert_eq!(handle_key("phone", written), "+491701234567");
        }
        assert_eq!(handle_key("phone", "0170 1234567"), "01701234567");
        assert_eq!(handle_key("email", " A@b.c "), "A@b.c");
    }

    #[test]
    fn customer_from_email_takes_local_part_as_name() {
        let c = NewCustomer::from_email(" lena.k@example.de ");
        assert_eq!(c.name, "lena.k");
        assert_eq!(c.email.as_deref(), Some("lena.k@example.de"));
        assert_eq!(c.tier, Tier::Normal);
    }

    #[test]
    fn tier_parses_ids() {
        assert_eq!(Tier::parse("VIP"), Ok(Tier::Vip));
        assert!(Tier::parse("gold").is_err());
    }
}

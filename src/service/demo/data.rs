//! The demo templates embedded from `assets/demo/demo.toml`.

use serde::Deserialize;

use crate::error::{Error, Result};

const DEMO: &str = include_str!("../../../assets/demo/demo.toml");

#[derive(Deserialize)]
pub struct DemoData {
    #[serde(rename = "agent")]
    pub agents: Vec<DemoAgent>,
    #[serde(rename = "customer")]
    pub customers: Vec<DemoCustomer>,
    #[serde(rename = "ticket")]
    pub tickets: Vec<DemoTicket>,
    pub notes_en: Vec<String>,
    pub notes_zh: Vec<String>,
    pub extras_en: Vec<String>,
    pub extras_zh: Vec<String>,
    pub first_names_en: Vec<String>,
    pub last_names_en: Vec<String>,
    pub family_names_zh: Vec<String>,
    pub given_names_zh: Vec<String>,
    /// [country, time zone, language]
    pub countries: Vec<[String; 3]>,
    pub countries_zh: Vec<[String; 3]>,
    /// Step plans for open tickets, by language.
    pub work: Vec<DemoWork>,
    #[serde(rename = "milestone")]
    pub milestones: Vec<DemoMilestone>,
}

#[derive(Deserialize)]
pub struct DemoWork {
    pub lang: String,
    pub steps: Vec<String>,
}

#[derive(Deserialize)]
pub struct DemoMilestone {
    pub name: String,
    pub description: String,
    /// Due this many days from now.
    pub days: i64,
}

#[derive(Deserialize)]
pub struct DemoAgent {
    pub login: String,
    pub name: String,
    pub team: String,
    pub role: String,
    /// Seniority (junior, regular, senior); regular when left out.
    #[serde(default)]
    pub level: Option<String>,
}

#[derive(Deserialize)]
pub struct DemoCustomer {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub tier: String,
    pub country: String,
    pub timezone: String,
    pub language: String,
}

#[derive(Deserialize)]
pub struct DemoTicket {
    pub lang: String,
    pub title: String,
    pub body: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub category: String,
    pub priority: String,
    pub channel: String,
    pub tags: Vec<String>,
    pub answer: String,
    pub resolution: String,
}

pub fn parse() -> Result<DemoData> {
    toml::from_str(DEMO).map_err(|e| Error::Config {
        file: "assets/demo/demo.toml".into(),
        message: e.message().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Category, Channel, Priority};

    #[test]
    fn demo_data_parses_and_has_both_languages() {
        let d = parse().expect("demo.toml parses");
        assert!(d.tickets.iter().any(|t| t.lang == "zh"));
        assert!(d.tickets.iter().any(|t| t.lang == "en"));
        assert!(d.agents.len() >= 6);
        for t in &d.tickets {
            assert!(Priority::parse(&t.priority).is_ok(), "{}", t.title);
            assert!(Channel::parse(&t.channel).is_ok(), "{}", t.title);
            assert!(Category::parse(&t.category).is_ok(), "{}", t.title);
        }
    }
}

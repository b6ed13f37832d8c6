//! SLA policies as data: targets per priority, overrides by customer tier,
//! ticket type, channel or priority, team calendars. Parsed from TOML and
//! checked before use; every problem names its line.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;
use serde::Deserialize;
use toml::Spanned;

use super::{Calendar, Opening};
use crate::domain::{Channel, Label, Priority, Tier, parse_duration};

/// The policy embedded in the binary.
pub const DEFAULT_POLICY: &str = include_str!("../../assets/sla.toml");

/// First-response and resolution targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Targets {
    pub response: Duration,
    pub resolve: Duration,
}

/// What an override applies to: every key given must match.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Match {
    pub tier: Option<Tier>,
    pub kind: Option<String>,
    pub channel: Option<Channel>,
    pub priority: Option<Priority>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// A named override also applies to tickets tagged `sla:<name>` (what a
    /// routing rule's `sla = "<name>"` sets), and only to them.
    pub name: Option<String>,
    pub when: Match,
    pub factor: Option<f64>,
    pub response: Option<Duration>,
    pub resolve: Option<Duration>,
    /// The calendar the clocks follow instead of the team's (urgent tickets
    /// round the clock, say).
    pub calendar: Option<String>,
}

/// Who an escalation tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notify {
    Assignee,
    /// The supervisors of the ticket's team (all supervisors without a team).
    Supervisor,
}

/// When an escalation step fires.
#[derive(Debug, Clone, PartialEq)]
pub enum Trigger {
    /// This share of a running clock's target has been spent (1.0: breach).
    Spent(f64),
    /// Nobody touched the ticket for this long (wall-clock time).
    Untouched(Duration),
}

/// One escalation step; fires once per ticket (and clock).
#[derive(Debug, Clone, PartialEq)]
pub struct Escalation {
    pub name: String,
    pub trigger: Trigger,
    /// Only tickets of this type, if given.
    pub kind: Option<String>,
    pub notify: Notify,
    /// Raise the priority one step (P2 → P1).
    pub raise_priority: bool,
    /// Hand the ticket to the least-loaded other agent of its team.
    pub reassign: bool,
}

/// A whole policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub at_risk: f64,
    pub escalations: Vec<Escalation>,
    /// By priority rank (P0 first).
    pub targets: [Targets; 4],
    pub overrides: Vec<Override>,
    pub calendars: BTreeMap<String, Calendar>,
    /// Calendar names per UI language, where the file gives them.
    pub calendar_labels: BTreeMap<String, Label>,
    /// Team → calendar name; others use `default`.
    pub teams: BTreeMap<String, String>,
}

/// The ticket facts a policy reads.
#[derive(Debug, Clone, Copy)]
pub struct TicketFacts<'a> {
    pub priority: Priority,
    pub tier: Option<Tier>,
    pub kind: &'a str,
    pub channel: Channel,
    pub team: Option<&'a str>,
    pub tags: &'a [String],
}

/// One problem of a policy file, with its 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    pub line: usize,
    /// Catalog key of the problem (`sla.*`).
    pub key: &'static str,
    /// The value the message quotes.
    pub value: String,
}

impl Policy {
    pub fn default_policy() -> Self {
        // The embedded file is checked by a test; a broken build would still
        // fall back to round-the-clock defaults rather than stop.
        Self::parse(DEFAULT_POLICY).unwrap_or_else(|_| Self::fallback())
    }

    fn fallback() -> Self {
        let t = |r: i64, s: i64| Targets {
            response: Duration::hours(r),
            resolve: Duration::hours(s),
        };
        Self {
            at_risk: 0.75,
            escalations: Vec::new(),
            targets: [t(1, 4), t(2, 24), t(4, 48), t(24, 72)],
            overrides: Vec::new(),
            calendars: BTreeMap::from([("default".to_string(), Calendar::always())]),
            calendar_labels: BTreeMap::new(),
            teams: BTreeMap::new(),
        }
    }

    /// The targets for a ticket: its priority's, then every matching override.
    /// The overrides that apply to a ticket, in order.
    fn matching<'s>(&'s self, f: &'s TicketFacts<'_>) -> impl Iterator<Item = &'s Override> {
        self.overrides.iter().filter(move |o| {
            let w = &o.when;
            let named = o
                .name
                .as_ref()
                .is_none_or(|n| f.tags.iter().any(|t| *t == format!("sla:{n}")));
            named
                && w.tier.is_none_or(|x| Some(x) == f.tier)
                && w.kind.as_deref().is_none_or(|k| k == f.kind)
                && w.channel.is_none_or(|c| c == f.channel)
                && w.priority.is_none_or(|p| p == f.priority)
        })
    }

    /// The calendar a ticket's clocks follow, and its name: the last
    /// matching override's, else the team's, else `default`.
    /// A calendar's name in `lang` (the file's label, or the name itself).
    pub fn calendar_label<'a>(&'a self, name: &'a str, lang: &str) -> &'a str {
        self.calendar_labels.get(name).map_or(name, |l| l.get(lang))
    }

    pub fn calendar_of(&self, f: &TicketFacts<'_>) -> (String, Calendar) {
        let chosen = self
            .matching(f)
            .filter_map(|o| o.calendar.clone())
            .last()
            .or_else(|| f.team.and_then(|t| self.teams.get(t)).cloned())
            .filter(|name| self.calendars.contains_key(name))
            .unwrap_or_else(|| "default".to_string());
        let calendar = self
            .calendars
            .get(&chosen)
            .cloned()
            .unwrap_or_else(Calendar::always);
        (chosen, calendar)
    }

    pub fn targets_for(&self, f: &TicketFacts<'_>) -> Targets {
        let mut t = self.targets[usize::try_from(f.priority.rank()).unwrap_or(3).min(3)];
        for o in self.matching(f) {
            if let Some(factor) = o.factor {
                t.response = scale(t.response, factor);
                t.resolve = scale(t.resolve, factor);
            }
            t.response = o.response.unwrap_or(t.response);
            t.resolve = o.resolve.unwrap_or(t.resolve);
        }
        t
    }

    /// The calendar of a team (its own, else `default`, else 24/7).
    pub fn calendar_for(&self, team: Option<&str>) -> Calendar {
        team.and_then(|t| self.teams.get(t))
            .and_then(|name| self.calendars.get(name))
            .or_else(|| self.calendars.get("default"))
            .cloned()
            .unwrap_or_else(Calendar::always)
    }

    /// Parses and checks a policy file; every problem found, with its line.
    pub fn parse(source: &str) -> Result<Self, Vec<PolicyError>> {
        let raw: RawPolicy = toml::from_str(source).map_err(|e| {
            vec![PolicyError {
                line: e
                    .span()
                    .map_or(1, |s| crate::config::line_of(source, s.start)),
                key: "sla.syntax",
                value: e.message().to_string(),
            }]
        })?;
        let mut errors = Vec::new();
        let mut err = |span: std::ops::Range<usize>, key: &'static str, value: String| {
            errors.push(PolicyError {
                line: crate::config::line_of(source, span.start),
                key,
                value,
            });
        };
        let at_risk = *raw.at_risk.as_ref().map_or(&0.75, |a| a.get_ref());
        if let Some(a) = &raw.at_risk
            && !(0.0..1.0).contains(a.get_ref())
        {
            err(a.span(), "sla.bad_fraction", a.get_ref().to_string());
        }
        let fallback = Self::fallback();
        let mut targets = fallback.targets;
        for (name, t) in &raw.targets {
            let Ok(p) = Priority::parse(name.get_ref()) else {
                err(name.span(), "sla.unknown_priority", name.get_ref().clone());
                continue;
            };
            let slot = &mut targets[usize::try_from(p.rank()).unwrap_or(3).min(3)];
            match duration(&t.response) {
                Ok(d) => slot.response = d,
                Err(v) => err(t.response.span(), "sla.bad_duration", v),
            }
            match duration(&t.resolve) {
                Ok(d) => slot.resolve = d,
                Err(v) => err(t.resolve.span(), "sla.bad_duration", v),
            }
        }
        let mut overrides = Vec::new();
        for o in &raw.overrides {
            let mut when = Match::default();
            if let Some(t) = &o.tier {
                match Tier::parse(t.get_ref()) {
                    Ok(tier) => when.tier = Some(tier),
                    Err(_) => err(t.span(), "sla.unknown_tier", t.get_ref().clone()),
                }
            }
            if let Some(c) = &o.channel {
                match Channel::parse(c.get_ref()) {
                    Ok(ch) => when.channel = Some(ch),
                    Err(_) => err(c.span(), "sla.unknown_channel", c.get_ref().clone()),
                }
            }
            if let Some(p) = &o.priority {
                match Priority::parse(p.get_ref()) {
                    Ok(pr) => when.priority = Some(pr),
                    Err(_) => err(p.span(), "sla.unknown_priority", p.get_ref().clone()),
                }
            }
            when.kind = o.kind.as_ref().map(|k| k.get_ref().clone());
            if let Some(f) = &o.factor
                && !(*f.get_ref() > 0.0 && *f.get_ref() <= 10.0)
            {
                err(f.span(), "sla.bad_factor", f.get_ref().to_string());
            }
            let mut opt = |d: &Option<Spanned<String>>| match d {
                Some(d) => match duration(d) {
                    Ok(v) => Some(v),
                    Err(v) => {
                        err(d.span(), "sla.bad_duration", v);
                        None
                    }
                },
                None => None,
            };
            let response = opt(&o.response);
            let resolve = opt(&o.resolve);
            if let Some(c) = &o.calendar
                && !raw.calendars.contains_key(c.get_ref())
            {
                err(c.span(), "sla.unknown_calendar", c.get_ref().clone());
            }
            overrides.push(Override {
                name: o.name.clone(),
                when,
                factor: o.factor.as_ref().map(|f| *f.get_ref()),
                response,
                resolve,
                calendar: o.calendar.as_ref().map(|c| c.get_ref().clone()),
            });
        }
        let mut calendars = BTreeMap::new();
        let calendar_labels = raw
            .calendars
            .iter()
            .filter_map(|(name, c)| Some((name.clone(), Label::new(c.label.clone()?))))
            .collect();
        for (name, c) in &raw.calendars {
            match calendar(c, &mut err) {
                Some(cal) => {
                    calendars.insert(name.clone(), cal);
                }
                None => continue,
            }
        }
        let mut teams = BTreeMap::new();
        for (team, cal) in &raw.teams {
            if !raw.calendars.contains_key(cal.get_ref()) {
                err(cal.span(), "sla.unknown_calendar", cal.get_ref().clone());
            }
            teams.insert(team.clone(), cal.get_ref().clone());
        }
        let mut escalations = Vec::new();
        for e in &raw.escalation {
            let trigger = match (&e.at, &e.after) {
                (Some(at), None) if *at.get_ref() > 0.0 && *at.get_ref() <= 1.0 => {
                    Some(Trigger::Spent(*at.get_ref()))
                }
                (Some(at), None) => {
                    err(at.span(), "sla.bad_fraction", at.get_ref().to_string());
                    None
                }
                (None, Some(after)) => match duration(after) {
                    Ok(d) => Some(Trigger::Untouched(d)),
                    Err(v) => {
                        err(after.span(), "sla.bad_duration", v);
                        None
                    }
                },
                _ => {
                    err(
                        e.name.span(),
                        "sla.escalation_trigger",
                        e.name.get_ref().clone(),
                    );
                    None
                }
            };
            let notify = match e.notify.as_ref().map(|n| n.get_ref().as_str()) {
                None | Some("supervisor") => Some(Notify::Supervisor),
                Some("assignee") => Some(Notify::Assignee),
                Some(other) => {
                    let span = e.notify.as_ref().map_or(0..0, |n| n.span());
                    err(span, "sla.unknown_notify", other.to_string());
                    None
                }
            };
            if let (Some(trigger), Some(notify)) = (trigger, notify) {
                escalations.push(Escalation {
                    name: e.name.get_ref().clone(),
                    trigger,
                    kind: e.kind.as_ref().map(|k| k.get_ref().clone()),
                    notify,
                    raise_priority: e.raise_priority.unwrap_or(false),
                    reassign: e.reassign.unwrap_or(false),
                });
            }
        }
        if errors.is_empty() {
            Ok(Self {
                at_risk,
                escalations,
                targets,
                overrides,
                calendars,
                calendar_labels,
                teams,
            })
        } else {
            errors.sort_by_key(|e| e.line);
            Err(errors)
        }
    }
}

fn scale(d: Duration, factor: f64) -> Duration {
    Duration::seconds((d.num_seconds() as f64 * factor).round() as i64)
}

fn duration(text: &Spanned<String>) -> Result<Duration, String> {
    parse_duration(text.get_ref())
        .filter(|s| *s > 0)
        .map(Duration::seconds)
        .ok_or_else(|| text.get_ref().clone())
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn calendar(
    c: &RawCalendar,
    err: &mut impl FnMut(std::ops::Range<usize>, &'static str, String),
) -> Option<Calendar> {
    if c.always.as_ref().is_some_and(|a| *a.get_ref()) {
        return Some(Calendar::always());
    }
    let tz = match &c.timezone {
        Some(z) => match Tz::from_str(z.get_ref()) {
            Ok(tz) => tz,
            Err(_) => {
                err(z.span(), "sla.unknown_timezone", z.get_ref().clone());
                return None;
            }
        },
        None => Tz::UTC,
    };
    let mut week: [Vec<Opening>; 7] = Default::default();
    for (day, hours) in &c.hours {
        let Some(i) = DAYS.iter().position(|d| *d == day.get_ref().to_lowercase()) else {
            err(day.span(), "sla.unknown_day", day.get_ref().clone());
            continue;
        };
        match openings(hours.get_ref()) {
            Some(list) => week[i] = list,
            None => err(hours.span(), "sla.bad_hours", hours.get_ref().clone()),
        }
    }
    let mut holidays = BTreeSet::new();
    for h in &c.holidays {
        match NaiveDate::parse_from_str(h.get_ref(), "%Y-%m-%d") {
            Ok(d) => {
                holidays.insert(d);
            }
            Err(_) => err(h.span(), "sla.bad_date", h.get_ref().clone()),
        }
    }
    Some(Calendar {
        tz,
        week,
        holidays,
        always: false,
    })
}

/// An agent's working hours as a calendar: `mon-fri 09:00-18:00`,
/// `mon,wed,sat 10:00-14:00` or `09:00-17:00` (every day), in `timezone`.
pub fn shift_calendar(timezone: &str, shift: &str) -> Option<Calendar> {
    let tz = Tz::from_str(timezone).ok()?;
    let shift = shift.trim();
    let (days, hours) = match shift.split_once(' ') {
        Some((d, h)) => (d.trim().to_lowercase(), h.trim()),
        None => ("mon-sun".to_string(), shift),
    };
    let open = openings(hours)?;
    let index = |d: &str| DAYS.iter().position(|x| *x == d);
    let mut on = [false; 7];
    for part in days.split(',') {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (index(a)?, index(b)?);
                for (i, day) in on.iter_mut().enumerate() {
                    *day |= if a <= b {
                        i >= a && i <= b
                    } else {
                        i >= a || i <= b
                    };
                }
            }
            None => on[index(part)?] = true,
        }
    }
    let week = std::array::from_fn(|i| if on[i] { open.clone() } else { Vec::new() });
    Some(Calendar {
        tz,
        week,
        holidays: BTreeSet::new(),
        always: false,
    })
}

/// `09:00-12:00,13:00-18:00` → sorted, disjoint minute intervals.
fn openings(text: &str) -> Option<Vec<Opening>> {
    let mut out: Vec<Opening> = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (a, b) = part.split_once('-')?;
        let (a, b) = (minutes(a.trim())?, minutes(b.trim())?);
        if a >= b {
            return None;
        }
        out.push((a, b));
    }
    out.sort_unstable();
    if out.windows(2).any(|w| w[1].0 < w[0].1) {
        return None;
    }
    Some(out)
}

fn minutes(hhmm: &str) -> Option<u32> {
    let (h, m) = hhmm.split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    at_risk: Option<Spanned<f64>>,
    #[serde(default)]
    targets: BTreeMap<Spanned<String>, RawTargets>,
    #[serde(default)]
    overrides: Vec<RawOverride>,
    #[serde(default)]
    calendars: BTreeMap<String, RawCalendar>,
    #[serde(default)]
    teams: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    escalation: Vec<RawEscalation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEscalation {
    name: Spanned<String>,
    at: Option<Spanned<f64>>,
    after: Option<Spanned<String>>,
    #[serde(rename = "type")]
    kind: Option<Spanned<String>>,
    notify: Option<Spanned<String>>,
    raise_priority: Option<bool>,
    reassign: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTargets {
    response: Spanned<String>,
    resolve: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    name: Option<String>,
    tier: Option<Spanned<String>>,
    #[serde(rename = "type")]
    kind: Option<Spanned<String>>,
    channel: Option<Spanned<String>>,
    priority: Option<Spanned<String>>,
    factor: Option<Spanned<f64>>,
    response: Option<Spanned<String>>,
    resolve: Option<Spanned<String>>,
    calendar: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCalendar {
    label: Option<BTreeMap<String, String>>,
    always: Option<Spanned<bool>>,
    timezone: Option<Spanned<String>>,
    #[serde(default)]
    hours: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    holidays: Vec<Spanned<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn facts(priority: Priority, tier: Option<Tier>, channel: Channel) -> TicketFacts<'static> {
        TicketFacts {
            priority,
            tier,
            kind: "technical",
            channel,
            team: Some("cn"),
            tags: &[],
        }
    }

    #[test]
    fn the_default_policy_parses_and_vip_chat_is_fastest() {
        let p = Policy::parse(DEFAULT_POLICY).expect("default policy");
        let normal = p.targets_for(&facts(Priority::P1, None, Channel::Email));
        assert_eq!(normal.response, Duration::hours(2));
        let vip = p.targets_for(&facts(Priority::P1, Some(Tier::Vip), Channel::Email));
        assert_eq!(vip.response, Duration::hours(1));
        assert_eq!(vip.resolve, Duration::hours(12));
        let vip_chat = p.targets_for(&facts(Priority::P1, Some(Tier::Vip), Channel::Chat));
        assert_eq!(vip_chat.response, Duration::minutes(15));
        assert_eq!(p.calendar_for(Some("cn")).tz, Tz::Asia__Shanghai);
        assert!(p.calendar_for(Some("nobody")).always);
    }

    #[test]
    fn a_named_override_applies_only_to_tickets_routed_to_it() {
        let p = Policy::parse("[[overrides]]\nname = \"gold\"\nfactor = 0.25\n").expect("policy");
        let gold = vec!["sla:gold".to_string()];
        let with = TicketFacts {
            tags: &gold,
            ..facts(Priority::P1, None, Channel::Email)
        };
        assert_eq!(p.targets_for(&with).response, Duration::minutes(30));
        let without = facts(Priority::P1, None, Channel::Email);
        assert_eq!(p.targets_for(&without).response, Duration::hours(2));
    }

    #[test]
    fn every_problem_is_named_with_its_line() {
        let src = "at_risk = 1.5\n[targets]\nP9 = { response = \"1h\", resolve = \"2h\" }\nP1 = { response = \"soon\", resolve = \"2h\" }\n[calendars.x]\ntimezone = \"Mars/Olympus\"\n[calendars.y]\nhours = { mon = \"18:00-09:00\", funday = \"09:00-10:00\" }\nholidays = [\"2026-13-01\"]\n[teams]\ncn = \"z\"\n";
        let errors = Policy::parse(src).expect_err("broken");
        let got: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.key)).collect();
        assert_eq!(
            got,
            vec![
                (1, "sla.bad_fraction"),
                (3, "sla.unknown_priority"),
                (4, "sla.bad_duration"),
                (6, "sla.unknown_timezone"),
                (8, "sla.unknown_day"),
                (8, "sla.bad_hours"),
                (9, "sla.bad_date"),
                (11, "sla.unknown_calendar"),
            ]
        );
        let syntax = Policy::parse("[targets\n").expect_err("syntax");
        assert_eq!(syntax[0].key, "sla.syntax");
    }

    proptest! {
        #[test]
        fn arbitrary_policy_text_is_answered_never_panics(
            src in "(\\PC|\n|\\[|\\]|=|\"|targets|calendars|hours|P1|always){0,160}"
        ) {
            if let Err(errors) = Policy::parse(&src) {
                prop_assert!(!errors.is_empty());
                for e in errors {
                    prop_assert!(e.line >= 1);
                }
            }
        }
    }
}

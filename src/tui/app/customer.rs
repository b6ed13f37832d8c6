//! The customer pane (`C`): who the customer is, their tickets to open with
//! `Enter`, and `e` to edit them in the member's editor as plain lines.

use super::overlay::Overlay;
use super::{App, Pane};
use crate::domain::Tier;
use crate::service::{CustomerEdit, CustomerProfile};
use crate::tui::action::{Effect, Job};

/// The handle kinds, as the edit text spells them.
const HANDLES: [&str; 4] = ["email", "phone", "buyer", "social"];

/// A customer as plain `key: value` lines for the editor; several lines
/// of a kind for several values, `notes:` last with the notes under it.
pub fn to_text(p: &CustomerProfile, hint: &str) -> String {
    let c = &p.customer;
    let mut out = vec![format!("# {hint}")];
    out.push(format!("name: {}", c.name));
    out.push(format!("tier: {}", c.tier.as_str()));
    for (key, value) in [
        ("country", &c.country),
        ("timezone", &c.timezone),
        ("language", &c.language),
    ] {
        out.push(format!("{key}: {}", value.as_deref().unwrap_or("")));
    }
    for (kind, value) in &p.handles {
        out.push(format!("{kind}: {value}"));
    }
    for o in &p.orders {
        out.push(format!("order: {o}"));
    }
    out.push("notes:".into());
    out.push(p.notes.clone());
    out.join("\n")
}

/// What the edited text changes compared with `p`; an unknown key or tier
/// is an error naming the line.
pub fn parse(text: &str, p: &CustomerProfile) -> Result<CustomerEdit, String> {
    let c = &p.customer;
    let mut edit = CustomerEdit::default();
    let mut handles: Vec<(String, String)> = Vec::new();
    let mut orders: Vec<String> = Vec::new();
    let mut notes: Option<Vec<&str>> = None;
    for (n, line) in text.lines().enumerate() {
        if let Some(notes) = notes.as_mut() {
            notes.push(line);
            continue;
        }
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (key, value) = line
            .split_once(':')
            .map(|(k, v)| (k.trim(), v.trim()))
            .ok_or_else(|| format!("line {}: {line}", n + 1))?;
        let text = |v: &str| Some(v.to_string()).filter(|v| !v.is_empty());
        match key {
            "name" => edit.name = Some(value.to_string()).filter(|v| *v != c.name),
            "tier" => {
                let tier = Tier::parse(value).map_err(|_| format!("line {}: {value}", n + 1))?;
                edit.tier = (tier != c.tier).then_some(tier);
            }
            "country" => edit.country = Some(text(value)).filter(|v| *v != c.country),
            "timezone" => edit.timezone = Some(text(value)).filter(|v| *v != c.timezone),
            "language" => edit.language = Some(text(value)).filter(|v| *v != c.language),
            "order" if !value.is_empty() => orders.push(value.to_string()),
            kind if HANDLES.contains(&kind) && !value.is_empty() => {
                handles.push((kind.to_string(), value.to_string()));
            }
            "notes" => notes = Some(vec![value]),
            "order" => {}
            kind if HANDLES.contains(&kind) => {}
            _ => return Err(format!("line {}: {key}", n + 1)),
        }
    }
    edit.add_handles = handles
        .iter()
        .filter(|h| !p.handles.contains(h))
        .cloned()
        .collect();
    edit.remove_handles = p
        .handles
        .iter()
        .filter(|h| !handles.contains(h))
        .cloned()
        .collect();
    edit.add_orders = orders
        .iter()
        .filter(|o| !p.orders.contains(o))
        .cloned()
        .collect();
    edit.remove_orders = p
        .orders
        .iter()
        .filter(|o| !orders.contains(o))
        .cloned()
        .collect();
    let notes = notes
        .map(|lines| lines.join("\n").trim().to_string())
        .unwrap_or_default();
    edit.notes = (notes != p.notes.trim()).then_some(notes);
    Ok(edit)
}

impl App {
    /// `C`: the customer of the ticket under the cursor.
    pub(super) fn customer_loaded(&mut self, p: CustomerProfile) {
        self.overlay = Some(Overlay::Customer {
            profile: Box::new(p),
            selected: 0,
            scroll: 0,
        });
    }

    /// A key in the customer pane: move among their tickets, open one,
    /// edit the customer, scroll, or close.
    pub(super) fn customer_key(
        &mut self,
        profile: Box<CustomerProfile>,
        selected: usize,
        scroll: u16,
        key: crossterm::event::KeyEvent,
    ) -> (Option<Overlay>, Vec<Effect>) {
        use crossterm::event::KeyCode;
        let last = profile.tickets.len().saturating_sub(1);
        let keep = |profile, selected, scroll| {
            Some(Overlay::Customer {
                profile,
                selected,
                scroll,
            })
        };
        match key.code {
            KeyCode::Char('j') | KeyCode::Down => {
                (keep(profile, (selected + 1).min(last), scroll), Vec::new())
            }
            KeyCode::Char('k') | KeyCode::Up => (
                keep(profile, selected.saturating_sub(1), scroll),
                Vec::new(),
            ),
            KeyCode::PageDown => (
                keep(profile, selected, scroll.saturating_add(10)),
                Vec::new(),
            ),
            KeyCode::PageUp => (
                keep(profile, selected, scroll.saturating_sub(10)),
                Vec::new(),
            ),
            KeyCode::Enter => match profile.tickets.get(selected) {
                Some(t) => {
                    let id = t.id;
                    if self.pane != Pane::Detail {
                        self.prev_pane = self.pane;
                    }
                    self.pane = Pane::Detail;
                    self.detail.scroll = 0;
                    (None, vec![Effect::Background(Job::View(id))])
                }
                None => (keep(profile, selected, scroll), Vec::new()),
            },
            KeyCode::Char('e') => {
                let text = to_text(&profile, self.cat.t("customer.edit_hint"));
                (
                    keep(profile, selected, scroll),
                    vec![Effect::Editor { text }],
                )
            }
            _ => (None, Vec::new()),
        }
    }

    /// The editor returned the customer's text: the changes to save, or
    /// what is wrong with it (the pane stays open).
    pub(super) fn customer_edited(&mut self, text: &str) -> Vec<Effect> {
        let Some(Overlay::Customer { profile, .. }) = &self.overlay else {
            return Vec::new();
        };
        let id = profile.customer.id;
        match parse(text, profile) {
            Ok(edit) => vec![Effect::EditCustomer {
                id,
                edit: Box::new(edit),
            }],
            Err(problem) => {
                self.error_text(self.cat.f("customer.edit_bad", &[("problem", &problem)]));
                Vec::new()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Customer;

    fn profile() -> CustomerProfile {
        CustomerProfile {
            customer: Customer {
                id: 3,
                name: "王芳".into(),
                email: Some("wf@example.cn".into()),
                phone: None,
                tier: Tier::Normal,
                country: Some("CN".into()),
                timezone: None,
                language: None,
            },
            handles: vec![
                ("email".into(), "wf@example.cn".into()),
                ("buyer".into(), "taobao:wf88".into()),
            ],
            orders: vec!["TB-1".into()],
            notes: "Calls in the morning".into(),
            withheld: false,
            tickets: Vec::new(),
            open: 0,
            last_rating: None,
            messages: Vec::new(),
        }
    }

    #[test]
    fn the_text_reads_back_as_no_change_and_edits_become_changes() {
        let p = profile();
        let text = to_text(&p, "edit");
        let none = parse(&text, &p).expect("parses");
        assert!(none.name.is_none() && none.tier.is_none() && none.notes.is_none());
        assert!(none.add_handles.is_empty() && none.remove_handles.is_empty());
        assert!(none.add_orders.is_empty() && none.remove_orders.is_empty());
        let edited = text
            .replace("tier: normal", "tier: vip")
            .replace("buyer: taobao:wf88\n", "phone: +86 138\n")
            .replace("order: TB-1", "order: TB-2")
            .replace(
                "Calls in the morning",
                "Calls after 18:00\nSpeaks English too",
            );
        let e = parse(&edited, &p).expect("parses");
        assert_eq!(e.tier, Some(Tier::Vip));
        assert_eq!(
            e.add_handles,
            vec![("phone".to_string(), "+86 138".to_string())]
        );
        assert_eq!(
            e.remove_handles,
            vec![("buyer".to_string(), "taobao:wf88".to_string())]
        );
        assert_eq!(
            (e.add_orders, e.remove_orders),
            (vec!["TB-2".into()], vec!["TB-1".into()])
        );
        assert_eq!(
            e.notes.as_deref(),
            Some("Calls after 18:00\nSpeaks English too")
        );
        assert!(parse("colour: red", &p).is_err());
        assert!(parse("tier: gold", &p).is_err());
    }
}

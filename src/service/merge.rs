//! Merging duplicate tickets: the source's conversation, attachments and
//! mail thread move to the target, both histories say so, and the source
//! is closed as a link to the target (through the workflow, as a recorded
//! override).

use crate::domain::ChangeKind;
use crate::domain::{EventKind, Ticket};
use crate::error::{Error, Result};

use super::{Desk, MoveOptions, ops};

/// The state a merged ticket ends in.
const CLOSED: &str = "closed";

impl Desk {
    /// Moves ticket `src`'s comments to `dst`, records the merge on both and
    /// closes `src` as a link to `dst`. Both must be tickets the member may see.
    pub fn merge_tickets(&mut self, src: i64, dst: i64) -> Result<Ticket> {
        if src == dst {
            return Err(Error::Invalid(crate::domain::InvalidValue::new(
                "ticket",
                &format!("#{src}"),
                "two different tickets",
            )));
        }
        let detail = format!("#{src} → #{dst}");
        self.write_as(ChangeKind::Merge, &detail, |w, ctx| {
            let source = ops::load(w, ctx, src, None)?;
            ops::load(w, ctx, dst, None)?;
            // Comments keep their author and time; the search texts follow
            // through the comment triggers.
            for c in w.reader().comments(src)? {
                let id = w.insert_comment(dst, &c.author, &c.body, c.internal, c.created_at)?;
                ctx.log(
                    w,
                    dst,
                    EventKind::Comment,
                    Some("merged"),
                    Some(&format!("#{src}")),
                    Some(&id.to_string()),
                )?;
                // Attachments, mail ids and queued mail follow their comment.
                w.move_comment_links(c.id, id, dst)?;
                w.delete_comment(c.id)?;
            }
            // The rest (the original mail, ticket attachments) follows too,
            // so later replies to the source's thread land on the target.
            w.move_ticket_links(src, dst)?;
            // Its steps are the target's work now (a merge is not undone).
            let steps = w.move_subtasks(src, dst)?;
            if steps > 0 {
                ctx.log(
                    w,
                    dst,
                    EventKind::Field,
                    Some("subtask"),
                    None,
                    Some(&format!("#{src}: {steps}")),
                )?;
            }
            ctx.log(
                w,
                dst,
                EventKind::Field,
                Some("merged_from"),
                None,
                Some(&format!("#{src}")),
            )?;
            ctx.log(
                w,
                src,
                EventKind::Field,
                Some("merged_into"),
                None,
                Some(&format!("#{dst}")),
            )?;
            let changes = crate::domain::TicketChanges {
                add_tags: vec!["merged".into()],
                ..Default::default()
            };
            ops::edit(w, ctx, src, &changes, None)?;
            if !ctx
                .workflow
                .state(&source.status)
                .is_some_and(|s| s.is_final)
            {
                // Closing may need what a merge does not have (acceptance):
                // it is made as an override by the merge itself.
                let robot = super::automate::robot("merge");
                let closer = ops::Ctx {
                    workflow: ctx.workflow,
                    actor: &robot,
                    now: ctx.now,
                    change: ctx.change,
                };
                // With the merge as its reason; where that is not enough
                // (acceptance), as an override. From a state with no way to
                // Closed the source stays open, tagged and linked: the
                // engine refuses before writing anything.
                for override_requirements in [false, true] {
                    let opts = MoveOptions {
                        note: Some(format!("Merged into #{dst}")),
                        override_requirements,
                        ..MoveOptions::default()
                    };
                    match ops::transition(w, &closer, src, CLOSED, &opts) {
                        Ok(_) => break,
                        Err(Error::Refused(_)) => {}
                        Err(e) => return Err(e),
                    }
                }
            }
            ops::reload(w, dst)
        })
    }
}

/// At most this many suggestions.
const SIMILAR: usize = 3;
/// A customer's newest tickets looked at for them (an index range; a
/// customer with thousands of tickets costs no more than one with fifty).
const SIMILAR_CANDIDATES: usize = 50;

impl Desk {
    /// Open tickets that may be the same problem as `id`: the same
    /// customer's, that share the title's most telling word (for Chinese,
    /// its first four characters) or one of the customer's order numbers.
    /// Only tickets the member may see; never a scan of the desk.
    pub fn similar(&self, id: i64) -> Result<Vec<crate::domain::TicketRow>> {
        let reader = self.store.reader();
        let ticket = self.visible_ticket(&reader, id)?;
        let Some(customer) = ticket.customer_id else {
            return Ok(Vec::new());
        };
        let scope = self.me()?.scope();
        let open = self.workflow.open_states();
        let text = format!("{} {}", ticket.title, ticket.description).to_lowercase();
        let word = key_word(&ticket.title);
        let orders: Vec<String> = reader
            .customer_extras(customer)?
            .1
            .into_iter()
            .map(|o| o.to_lowercase())
            .filter(|o| o.len() >= 4 && text.contains(o.as_str()))
            .collect();
        let mut out = Vec::new();
        for (row, description) in reader.customer_recent(customer, id, SIMILAR_CANDIDATES)? {
            if !open.contains(&row.status.as_str())
                || !scope.allows(row.assignee.as_deref(), row.team.as_deref())
            {
                continue;
            }
            let theirs = format!("{} {description}", row.title).to_lowercase();
            let same_word = word.as_deref().is_some_and(|w| theirs.contains(w))
                || key_word(&row.title).is_some_and(|w| text.contains(&w));
            let same_order = orders.iter().any(|o| theirs.contains(o.as_str()));
            if same_word || same_order {
                out.push(row);
                if out.len() == SIMILAR {
                    break;
                }
            }
        }
        Ok(out)
    }
}

/// The word of a title most likely to name its problem: the longest of
/// four letters or more, or the first four characters of a Chinese title.
fn key_word(title: &str) -> Option<String> {
    if title.chars().any(|c| c as u32 >= 0x2E80) {
        let han: String = title
            .chars()
            .filter(|c| *c as u32 >= 0x2E80)
            .take(4)
            .collect();
        return (han.chars().count() >= 3).then_some(han);
    }
    title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .max_by_key(|w| w.chars().count())
        .map(str::to_lowercase)
}

#[cfg(test)]
mod tests {
    use super::key_word;

    #[test]
    fn the_key_word_is_the_longest_or_the_chinese_start() {
        assert_eq!(key_word("Parcel stuck in customs"), Some("customs".into()));
        assert_eq!(key_word("包裹在海关滞留两周"), Some("包裹在海".into()));
        assert_eq!(key_word("Hi"), None);
    }
}

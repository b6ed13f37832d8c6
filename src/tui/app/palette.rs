//! The command palette (`:`): every command by its description, filtered
//! as you type with fuzzy matching, Enter runs it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;

use super::App;
use super::overlay::{Overlay, text_input, text_of};
use crate::tui::action::{Command, Effect};

/// Every command the help and the palette list, with its description's key.
pub const COMMANDS: &[(Command, &str)] = &[
    (Command::Down, "help.down"),
    (Command::Up, "help.up"),
    (Command::Left, "help.left"),
    (Command::Right, "help.right"),
    (Command::PageDown, "help.page_down"),
    (Command::PageUp, "help.page_up"),
    (Command::Top, "help.top"),
    (Command::Bottom, "help.bottom"),
    (Command::Open, "help.open"),
    (Command::NextPane, "help.next_pane"),
    (Command::ShowList, "help.show_list"),
    (Command::ShowBoard, "help.show_board"),
    (Command::ShowDetail, "help.show_detail"),
    (Command::Filter, "help.filter"),
    (Command::Search, "help.search"),
    (Command::Inbox, "help.inbox"),
    (Command::Queues, "help.queues"),
    (Command::Customer, "help.customer"),
    (Command::Merge, "help.merge"),
    (Command::Watch, "help.watch"),
    (Command::Views, "help.views"),
    (Command::Group, "help.group"),
    (Command::SortNext, "help.sort"),
    (Command::SortReverse, "help.sort_reverse"),
    (Command::NewTicket, "help.new"),
    (Command::Comment, "help.comment"),
    (Command::Reply, "help.reply"),
    (Command::CannedReply, "help.canned_reply"),
    (Command::Attachments, "help.attachments"),
    (Command::Assign, "help.assign"),
    (Command::Move, "help.move"),
    (Command::MovePrev, "help.move_prev"),
    (Command::MoveNext, "help.move_next"),
    (Command::Edit, "help.edit"),
    (Command::Accept, "help.accept"),
    (Command::ShowKb, "help.show_kb"),
    (Command::ShowDashboard, "help.show_dashboard"),
    (Command::InsertArticle, "help.insert_article"),
    (Command::DraftArticle, "help.draft_article"),
    (Command::SetPriority, "help.set_priority"),
    (Command::AddTag, "help.add_tag"),
    (Command::RemoveTag, "help.remove_tag"),
    (Command::ToggleSelect, "help.toggle_select"),
    (Command::RangeSelect, "help.range_select"),
    (Command::SelectAll, "help.select_all"),
    (Command::Undo, "help.undo"),
    (Command::UndoList, "help.undo_list"),
    (Command::Triage, "help.triage"),
    (Command::Refresh, "help.refresh"),
    (Command::Palette, "help.palette"),
    (Command::Suspend, "help.suspend"),
    (Command::Back, "help.back"),
    (Command::Quit, "help.quit"),
    (Command::Help, "help.help"),
    (Command::AddStep, "help.add_step"),
    (Command::ToggleStep, "help.toggle_step"),
    (Command::ToggleTimer, "help.toggle_timer"),
    (Command::ShowTimeline, "help.show_timeline"),
    (Command::ShowWork, "help.show_work"),
    (Command::Zoom, "help.zoom"),
    (Command::DueEarlier, "help.due_earlier"),
    (Command::DueLater, "help.due_later"),
    (Command::DueEarlierWeek, "help.due_earlier_week"),
    (Command::DueLaterWeek, "help.due_later_week"),
];

/// A fuzzy score of `query` against `text`: every query character in order,
/// more for consecutive and word-start matches; `None` when it does not match.
pub fn fuzzy_score(query: &str, text: &str) -> Option<i64> {
    let text: Vec<char> = text.to_lowercase().chars().collect();
    let mut score = 0i64;
    let mut pos = 0usize;
    let mut last: Option<usize> = None;
    for q in query.to_lowercase().chars().filter(|c| !c.is_whitespace()) {
        let found = (pos..text.len()).find(|&i| text[i] == q)?;
        score += 1;
        if last.is_some_and(|l| l + 1 == found) {
            score += 3;
        }
        if found == 0
            || text
                .get(found.wrapping_sub(1))
                .is_some_and(|c| !c.is_alphanumeric())
        {
            score += 2;
        }
        score -= i64::try_from(found - pos).unwrap_or(0).min(5);
        last = Some(found);
        pos = found + 1;
    }
    Some(score)
}

impl App {
    /// The palette's commands matching what was typed, best first.
    pub fn palette_matches(&self, typed: &str) -> Vec<(Command, String)> {
        let mut scored: Vec<(i64, Command, String)> = COMMANDS
            .iter()
            .filter_map(|(cmd, key)| {
                let label = self.cat.t(key).to_string();
                // In Chinese, by the label, its pinyin (full or initials,
                // as Chinese users type without switching input method), or
                // the English name.
                let pinyin = crate::text::pinyin_keys(&label);
                let score = [label.as_str(), pinyin.as_str(), self.cat.english(key)]
                    .into_iter()
                    .filter(|text| !text.is_empty())
                    .filter_map(|text| fuzzy_score(typed, text))
                    .max()?;
                Some((score, *cmd, label))
            })
            .collect();
        scored.sort_by_key(|s| std::cmp::Reverse(s.0));
        scored.into_iter().map(|(_, c, l)| (c, l)).collect()
    }

    pub(super) fn open_palette(&mut self) -> Vec<Effect> {
        let mut input = text_input("");
        input.set_placeholder_text(self.cat.t("palette.placeholder"));
        self.overlay = Some(Overlay::Palette { input, selected: 0 });
        Vec::new()
    }

    pub(super) fn palette_key(
        &mut self,
        mut input: TextArea<'static>,
        selected: usize,
        key: KeyEvent,
    ) -> (Option<Overlay>, Vec<Effect>) {
        let n = self.palette_matches(&text_of(&input)).len();
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => (None, Vec::new()),
            KeyCode::Enter => {
                let chosen = self
                    .palette_matches(&text_of(&input))
                    .get(selected)
                    .map(|(c, _)| *c);
                self.overlay = None;
                match chosen {
                    Some(cmd) => (None, self.command(cmd)),
                    None => (None, Vec::new()),
                }
            }
            KeyCode::Down | KeyCode::Tab => (
                Some(Overlay::Palette {
                    input,
                    selected: (selected + 1).min(n.saturating_sub(1)),
                }),
                Vec::new(),
            ),
            KeyCode::Char('n') if ctrl => (
                Some(Overlay::Palette {
                    input,
                    selected: (selected + 1).min(n.saturating_sub(1)),
                }),
                Vec::new(),
            ),
            KeyCode::Up | KeyCode::BackTab => (
                Some(Overlay::Palette {
                    input,
                    selected: selected.saturating_sub(1),
                }),
                Vec::new(),
            ),
            KeyCode::Char('p') if ctrl => (
                Some(Overlay::Palette {
                    input,
                    selected: selected.saturating_sub(1),
                }),
                Vec::new(),
            ),
            _ => {
                input.input(key);
                (Some(Overlay::Palette { input, selected: 0 }), Vec::new())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzzy_prefers_word_starts_and_runs() {
        assert!(fuzzy_score("asg", "Assign").is_some());
        assert!(fuzzy_score("xyz", "Assign").is_none());
        let word = fuzzy_score("nt", "New ticket").unwrap_or(i64::MIN);
        let scattered = fuzzy_score("nt", "Reopen it").unwrap_or(i64::MIN);
        assert!(word > scattered, "{word} > {scattered}");
        assert_eq!(fuzzy_score("", "anything"), Some(0));
        assert!(fuzzy_score("撤销", "撤销你的上一个操作").is_some());
    }
}

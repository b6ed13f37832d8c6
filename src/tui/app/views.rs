//! Picking a view (`v`) and grouping the list (`=`).

use super::overlay::{Menu, MenuItem, MenuKind, Overlay};
use super::{App, Pane};
use crate::domain::{Column, GroupBy, Query, TicketRow, View};
use crate::present::state_label;
use crate::tui::action::{Effect, Job};

impl App {
    /// The view menu; counts fill in when the worker has them.
    pub(super) fn open_views(&mut self) -> Vec<Effect> {
        if self.views.is_empty() {
            return vec![Effect::LoadViews];
        }
        self.board.generation += 1;
        let generation = self.board.generation;
        let items = self
            .views
            .iter()
            .enumerate()
            .map(|(i, v)| MenuItem {
                value: i.to_string(),
                label: format!("{}  …", view_name(self, v)),
            })
            .collect();
        let current = self
            .view
            .as_ref()
            .and_then(|v| self.views.iter().position(|x| x == v))
            .unwrap_or(0);
        self.overlay = Some(Overlay::Menu(Menu {
            kind: MenuKind::View { generation },
            items,
            selected: current,
        }));
        let queries = self
            .views
            .iter()
            .map(|v| Query::parse(&v.query).unwrap_or_default())
            .collect();
        vec![Effect::Background(Job::ViewCounts {
            generation,
            queries,
        })]
    }

    /// Shows counts next to the view names in an open view menu.
    pub(super) fn view_counts(&mut self, generation: u64, counts: Vec<i64>) {
        let names: Vec<String> = self.views.iter().map(|v| view_name(self, v)).collect();
        if let Some(Overlay::Menu(menu)) = &mut self.overlay
            && menu.kind == (MenuKind::View { generation })
        {
            for (item, (name, count)) in menu.items.iter_mut().zip(names.iter().zip(counts)) {
                item.label = format!("{name}  {count}");
            }
        }
    }

    /// Switches the list to view `index`: its query, sort, columns and grouping.
    pub(super) fn apply_view(&mut self, index: usize) -> Vec<Effect> {
        let Some(view) = self.views.get(index).cloned() else {
            return Vec::new();
        };
        let query = match Query::parse(&view.query) {
            Ok(q) => q,
            Err(_) => return Vec::new(),
        };
        self.filter.text = view.query.clone();
        self.filter.query = query;
        self.list.sort = view.sort;
        self.list.dir = view.dir;
        self.columns = if view.columns.is_empty() {
            Column::DEFAULT.to_vec()
        } else {
            view.columns.clone()
        };
        self.group = view.group;
        self.info("status.view", &[("name", &view_name(self, &view))]);
        self.view = Some(view);
        self.pane = Pane::List;
        let mut effects = self.load_list();
        effects.push(self.load_board());
        effects
    }

    /// `=`: none → state → priority → assignee → team → none.
    pub(super) fn cycle_group(&mut self) -> Vec<Effect> {
        self.group = GroupBy::cycle(self.group);
        let name = match self.group {
            Some(g) => self.cat.t(&format!("group.{}", g.as_str())).to_string(),
            None => self.cat.t("group.none").to_string(),
        };
        self.info("status.grouped", &[("group", &name)]);
        self.load_list()
    }
}

/// What a row is grouped by, as a comparable key.
pub fn group_key(app: &App, r: &TicketRow) -> String {
    match app.group {
        None => String::new(),
        Some(GroupBy::State) => r.status.clone(),
        Some(GroupBy::Priority) => r.priority.to_string(),
        Some(GroupBy::Assignee) => r.assignee.clone().unwrap_or_default(),
        Some(GroupBy::Team) => r.team.clone().unwrap_or_default(),
    }
}

/// The header shown above a group.
pub fn group_label(app: &App, r: &TicketRow) -> String {
    let none = || app.cat.t("explain.nobody").to_string();
    match app.group {
        None => String::new(),
        Some(GroupBy::State) => state_label(&app.workflow, &app.cat, &r.status),
        Some(GroupBy::Priority) => format!(
            "{} {}",
            r.priority,
            crate::present::priority_label(&app.cat, r.priority)
        ),
        Some(GroupBy::Assignee) => r.assignee.clone().unwrap_or_else(none),
        Some(GroupBy::Team) => r.team.clone().unwrap_or_else(none),
    }
}

/// A view's name in the UI language.
pub fn view_name(app: &App, v: &View) -> String {
    match v.builtin {
        Some(key) => app.cat.t(key).to_string(),
        None => v.name.clone(),
    }
}

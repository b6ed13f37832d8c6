//! `tdesk view list|save|rm`.

use super::args::{ViewCommand, join_query};
use super::output::{self, Table, line};
use super::{Session, Streams};
use crate::domain::{Column, GroupBy, SortKey, View};
use crate::error::{Error, Result};
use crate::service::Desk;

/// The name a view is shown by: built-ins in the UI language.
pub fn view_name(v: &View, cat: &crate::i18n::Catalog) -> String {
    match v.builtin {
        Some(key) => cat.t(key).to_string(),
        None => v.name.clone(),
    }
}

fn sort_key(name: &str) -> Result<SortKey> {
    SortKey::parse(name).ok_or_else(|| Error::UnknownValue {
        field: "sort",
        value: name.to_string(),
        known: SortKey::ALL
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    })
}

pub fn run(desk: &mut Desk, c: ViewCommand, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let cat = &s.cat;
    match c {
        ViewCommand::List { json } => {
            let views = desk.views()?;
            if json {
                return output::json(io.out, &views);
            }
            let mut t = Table::new(&[
                cat.t("col.name"),
                cat.t("col.kind"),
                cat.t("col.query"),
                cat.t("col.sort"),
            ])
            .flex(2);
            for v in &views {
                let kind = match (&v.builtin, &v.owner) {
                    (Some(_), _) => cat.t("view.builtin"),
                    (None, Some(_)) => cat.t("view.mine"),
                    (None, None) => cat.t("view.shared"),
                };
                let id = v
                    .builtin
                    .map(|b| format!(" ({})", b.trim_start_matches("view.")))
                    .unwrap_or_default();
                t.push(vec![
                    format!("{}{id}", view_name(v, cat)),
                    kind.to_string(),
                    v.query.clone(),
                    v.sort.as_str().to_string(),
                ]);
            }
            io.out
                .write_all(t.render(s.width).as_bytes())
                .map_err(output::io)
        }
        ViewCommand::Save {
            name,
            query,
            sort,
            reverse,
            group,
            columns,
            shared,
        } => {
            let sort = match sort.as_deref() {
                Some(n) => sort_key(n)?,
                None => SortKey::default(),
            };
            let dir = if reverse {
                sort.default_dir().flipped()
            } else {
                sort.default_dir()
            };
            let group = match group.as_deref() {
                Some(g) => Some(GroupBy::parse(g).ok_or_else(|| Error::UnknownValue {
                    field: "group",
                    value: g.to_string(),
                    known: "state, priority, assignee, team".into(),
                })?),
                None => None,
            };
            let columns = match columns.as_deref() {
                Some(c) => Column::parse_list(c).map_err(|bad| Error::UnknownValue {
                    field: "column",
                    value: bad,
                    known: Column::ALL
                        .iter()
                        .map(|c| c.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                })?,
                None => Column::DEFAULT.to_vec(),
            };
            let view = View {
                id: None,
                name,
                builtin: None,
                owner: None,
                query: join_query(&query),
                sort,
                dir,
                columns,
                group,
            };
            let saved = desk.save_view(view, shared)?;
            line(io.out, &cat.f("cli.view_saved", &[("name", &saved.name)]))
        }
        ViewCommand::Rm { name, shared } => {
            desk.delete_view(&name, shared)?;
            line(io.out, &cat.f("cli.view_deleted", &[("name", &name)]))
        }
    }
}

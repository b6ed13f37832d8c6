//! Saved views: the built-in ones, the desk's shared ones, each member's own.

use crate::domain::{Query, Role, View};
use crate::error::{Error, Result};

use super::Desk;

/// Longest view name (characters): it is a menu entry.
const VIEW_NAME_MAX: usize = 80;
/// Longest saved query (bytes).
const VIEW_QUERY_MAX: usize = 4096;

impl Desk {
    /// Built-in views, then shared ones, then the member's own.
    pub fn views(&self) -> Result<Vec<View>> {
        let me = self.me()?;
        let mut views = View::builtins();
        views.extend(self.store.reader().views(&me.login)?);
        Ok(views)
    }

    /// A view by name: a stored name, or a built-in's id (`my_open`, `at_risk`, …).
    pub fn view(&self, name: &str) -> Result<View> {
        let name = name.trim();
        let views = self.views()?;
        // The member's own view wins over a shared one of the same name.
        let mut found: Vec<View> = views.into_iter().filter(|v| v.name == name).collect();
        found.sort_by_key(|v| v.owner.is_none());
        found
            .into_iter()
            .next()
            .ok_or_else(|| Error::ViewNotFound(name.to_string()))
    }

    /// Saves a view for the member, or shared with the desk (supervisors and admins).
    pub fn save_view(&mut self, mut view: View, shared: bool) -> Result<View> {
        let me = if shared {
            self.require("action.share_view", Role::Supervisor)?
        } else {
            self.me()?
        };
        if view.name.trim().is_empty() {
            return Err(Error::Empty("field.view"));
        }
        if view.name.trim().chars().count() > VIEW_NAME_MAX {
            return Err(Error::TooLong {
                field: "field.view",
                max: VIEW_NAME_MAX,
            });
        }
        if view.query.len() > VIEW_QUERY_MAX {
            return Err(Error::TooLong {
                field: "field.query",
                max: VIEW_QUERY_MAX,
            });
        }
        if View::builtins().iter().any(|b| b.name == view.name.trim()) {
            return Err(Error::ViewExists(view.name.clone()));
        }
        // The query must parse and name known states and types.
        self.parse_query(&view.query)?;
        view.name = view.name.trim().to_string();
        view.owner = (!shared).then(|| me.login.clone());
        view.builtin = None;
        let now = self.clock.now();
        let id = self.store.write(|w| w.save_view(&view, now))?;
        view.id = Some(id);
        Ok(view)
    }

    /// Deletes the member's view of that name, or the shared one (supervisors and admins).
    pub fn delete_view(&mut self, name: &str, shared: bool) -> Result<()> {
        let me = if shared {
            self.require("action.share_view", Role::Supervisor)?
        } else {
            self.me()?
        };
        let owner = (!shared).then_some(me.login.as_str());
        let deleted = self.store.write(|w| w.delete_view(owner, name))?;
        if deleted {
            Ok(())
        } else {
            Err(Error::ViewNotFound(name.to_string()))
        }
    }

    /// How many tickets each query matches (for the view menu).
    pub fn counts(&self, queries: &[Query]) -> Result<Vec<i64>> {
        queries.iter().map(|q| self.count(q)).collect()
    }
}

//! Administration: members and roles, and the desk's workflow definition.

use crate::domain::{EventKind, Role, User};
use crate::error::{Error, Result};
use crate::store::{NewEvent, Writer};
use crate::workflow::Workflow;

use super::identity::lookup_login;
use super::{Desk, WORKFLOW_SETTING, load_workflow, ops};

impl Desk {
    /// Adds a member (admin only). The display name defaults to the account's
    /// full name on this machine, or the login.
    pub fn add_user(
        &mut self,
        login: &str,
        display_name: Option<&str>,
        role: Role,
        team: Option<&str>,
    ) -> Result<User> {
        self.require("action.user_add", Role::Admin)?;
        let login = login.trim();
        if login.is_empty() {
            return Err(Error::Empty("field.login"));
        }
        let display_name = display_name
            .map(str::to_string)
            .or_else(|| lookup_login(login).map(|i| i.display_name))
            .unwrap_or_else(|| login.to_string());
        let user = User {
            login: login.to_string(),
            display_name,
            role,
            team: team
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(String::from),
            active: true,
            level: crate::domain::Level::default(),
        };
        let me = self.login.clone();
        let now = self.clock.now();
        self.store.write(|w| match w.reader().user(&user.login)? {
            Some(old) if old.active => Err(Error::UserExists(user.login.clone())),
            // A removed member comes back with the role and team given now.
            Some(_) => {
                w.update_member(&user)?;
                ops::log_user_event(w, &me, now, &user.login, None, Some(role))
            }
            None => {
                w.insert_user(&user, now)?;
                ops::log_user_event(w, &me, now, &user.login, None, Some(role))
            }
        })?;
        Ok(user)
    }

    /// Removes a member (admin only): they can no longer open the desk, at
    /// their very next action even in a session already open. Their
    /// tickets, comments and history stay; the last admin cannot be removed.
    pub fn remove_user(&mut self, login: &str) -> Result<User> {
        self.require("action.user_remove", Role::Admin)?;
        let me = self.login.clone();
        let now = self.clock.now();
        self.store.write(|w| {
            let user = w.reader().user(login)?.filter(|u| u.active);
            let user = user.ok_or_else(|| Error::UserNotFound(login.to_string()))?;
            refuse_last_admin(w, &user, None)?;
            let removed = User {
                active: false,
                ..user.clone()
            };
            w.update_member(&removed)?;
            ops::log_user_event(w, &me, now, login, Some(user.role), None)?;
            Ok(removed)
        })
    }

    /// Changes a member's role (admin only); the last admin cannot step down.
    pub fn set_role(&mut self, login: &str, role: Role) -> Result<User> {
        self.require("action.user_set_role", Role::Admin)?;
        let me = self.login.clone();
        let now = self.clock.now();
        self.store.write(|w| {
            let user = w
                .reader()
                .user(login)?
                .ok_or_else(|| Error::UserNotFound(login.to_string()))?;
            refuse_last_admin(w, &user, Some(role))?;
            w.set_role(login, role)?;
            ops::log_user_event(w, &me, now, login, Some(user.role), Some(role))?;
            Ok(User { role, ..user })
        })
    }

    /// Sets a member's seniority (admin only).
    pub fn set_level(&mut self, login: &str, level: crate::domain::Level) -> Result<User> {
        self.require("action.user_set_role", Role::Admin)?;
        self.store.write(|w| {
            let user = w
                .reader()
                .user(login)?
                .filter(|u| u.active)
                .ok_or_else(|| Error::UserNotFound(login.to_string()))?;
            let changed = User { level, ..user };
            w.update_member(&changed)?;
            Ok(changed)
        })
    }

    /// Validates and installs a workflow definition for this desk (admin only).
    /// Refused when tickets sit in a state the new definition lacks.
    pub fn set_workflow(&mut self, source: &str, file: &str) -> Result<()> {
        self.require("action.workflow_set", Role::Admin)?;
        let workflow = Workflow::parse(source).map_err(|errors| Error::Workflow {
            file: file.to_string(),
            errors,
        })?;
        self.install_workflow(Some(source), &workflow)?;
        self.workflow = workflow;
        Ok(())
    }

    /// Returns the desk to the embedded default workflow (admin only).
    pub fn reset_workflow(&mut self) -> Result<()> {
        self.require("action.workflow_set", Role::Admin)?;
        let workflow = Workflow::default_workflow();
        self.install_workflow(None, &workflow)?;
        self.workflow = workflow;
        Ok(())
    }

    pub(super) fn install_workflow(
        &mut self,
        source: Option<&str>,
        workflow: &Workflow,
    ) -> Result<()> {
        let me = self.login.clone();
        let now = self.clock.now();
        self.store.write(|w| {
            for (state, tickets) in w.reader().statuses_in_use()? {
                if workflow.state(&state).is_none() {
                    return Err(Error::WorkflowStateInUse { state, tickets });
                }
            }
            match source {
                Some(s) => w.set_setting(WORKFLOW_SETTING, s)?,
                None => w.delete_setting(WORKFLOW_SETTING)?,
            }
            w.append_event(&NewEvent {
                ticket: None,
                actor: &me,
                at: now,
                kind: EventKind::Workflow,
                field: None,
                old: None,
                new: Some(if source.is_some() {
                    "custom"
                } else {
                    "default"
                }),
                change: None,
            })?;
            Ok(())
        })?;
        // Re-read to prove what was stored loads.
        load_workflow(&self.store.reader()).map(|_| ())
    }
}

/// The last admin may neither step down (`to` another role) nor be removed
/// (`to` none).
fn refuse_last_admin(w: &Writer<'_>, user: &User, to: Option<Role>) -> Result<()> {
    if user.role == Role::Admin && to != Some(Role::Admin) && w.reader().count_admins()? <= 1 {
        return Err(Error::LastAdmin);
    }
    Ok(())
}

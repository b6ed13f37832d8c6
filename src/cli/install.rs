//! `tdesk install-setgid`: the steps of enforced team mode — a data group
//! members are not in, this binary setgid to it, the desk directory owned
//! by it, the system config naming the desk — printed, or done as root.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use super::output::line;
use super::{Session, Streams};
use crate::config::SYSTEM_CONFIG;
use crate::deskdir::{SHARED_DIR_MODE, group_id};
use crate::error::{Error, Result};

/// Mode of the installed binary: setgid, runnable by everyone.
const SETGID_BIN_MODE: u32 = 0o2755;

pub fn setgid(
    group: &str,
    desk: &Path,
    admin: &str,
    apply: bool,
    s: &Session,
    io: &mut Streams<'_>,
) -> Result<()> {
    let bin = std::env::current_exe().map_err(|e| io_error(Path::new("tdesk"), e))?;
    let steps = [
        format!("groupadd --system {group}"),
        format!(
            "chgrp {group} {} && chmod 2755 {}",
            bin.display(),
            bin.display()
        ),
        format!("install -d -o root -g {group} -m 3770 {}", desk.display()),
        format!(
            "mkdir -p /etc/tdesk && printf 'db = \"{}\"\\nadmin = \"{admin}\"\\n' > {SYSTEM_CONFIG}",
            desk.display()
        ),
    ];
    let next = format!("tdesk init --shared {} --group {group}", desk.display());
    if !apply {
        line(io.out, s.cat.t("install.steps"))?;
        for step in &steps {
            line(io.out, &format!("  {step}"))?;
        }
        line(io.out, &s.cat.f("install.then", &[("command", &next)]))?;
        return line(io.out, s.cat.t("install.warning"));
    }
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        return Err(Error::NeedsRoot);
    }
    if group_id(group).is_none() {
        let status = Command::new("groupadd")
            .args(["--system", group])
            .status()
            .map_err(|e| io_error(Path::new("groupadd"), e))?;
        if !status.success() {
            return Err(Error::UnknownGroup(group.to_string()));
        }
    }
    let gid = group_id(group).ok_or_else(|| Error::UnknownGroup(group.to_string()))?;
    // chgrp first: changing the group clears the setgid bit.
    std::os::unix::fs::chown(&bin, None, Some(gid)).map_err(|e| io_error(&bin, e))?;
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(SETGID_BIN_MODE))
        .map_err(|e| io_error(&bin, e))?;
    std::fs::create_dir_all(desk).map_err(|e| io_error(desk, e))?;
    std::os::unix::fs::chown(desk, Some(0), Some(gid)).map_err(|e| io_error(desk, e))?;
    std::fs::set_permissions(desk, std::fs::Permissions::from_mode(SHARED_DIR_MODE))
        .map_err(|e| io_error(desk, e))?;
    write_system_config(desk, admin)?;
    line(
        io.out,
        &s.cat.f(
            "install.done",
            &[("bin", &bin.display()), ("group", &group)],
        ),
    )?;
    line(io.out, &s.cat.f("install.then", &[("command", &next)]))?;
    line(io.out, s.cat.t("install.warning"))
}

/// Sets `db` and `admin` in the system config, keeping whatever else it
/// holds: only that login may create the enforced desk (whoever ran
/// `init` first would otherwise be its admin).
fn write_system_config(desk: &Path, admin: &str) -> Result<()> {
    let path = Path::new(SYSTEM_CONFIG);
    let old = std::fs::read_to_string(path).unwrap_or_default();
    let key = |l: &str, k: &str| {
        let l = l.trim_start();
        l.strip_prefix(k)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    };
    let mut lines: Vec<String> = old
        .lines()
        .filter(|l| !key(l, "db") && !key(l, "admin"))
        .map(String::from)
        .collect();
    lines.insert(0, format!("admin = {admin:?}"));
    lines.insert(0, format!("db = {:?}", desk.display().to_string()));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
    }
    std::fs::write(path, lines.join("\n") + "\n").map_err(|e| io_error(path, e))
}

fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

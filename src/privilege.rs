//! Enforced team mode. Installed setgid to a data group its members are not
//! in (`tdesk install-setgid`), tdesk is the only way into the desk: the
//! files belong to that group and nobody else may read them. In this mode
//! tdesk ignores desk paths from the command line, the environment and the
//! user's config (only the system config names the desk), and every child
//! process — the editor, the notify hook — runs without the group.

use std::os::unix::process::CommandExt;
use std::process::Command;

/// Whether this process runs with a group it was not started with
/// (setgid), i.e. in enforced team mode.
pub fn enforced() -> bool {
    // SAFETY: getgid and getegid have no preconditions and cannot fail.
    unsafe { libc::getegid() != libc::getgid() }
}

/// Makes `cmd` run with the caller's own group only: real, effective and
/// saved group ids all set back to the real one, so the child cannot take
/// the data group back.
pub fn drop_group_for(cmd: &mut Command) {
    if !enforced() {
        return;
    }
    // SAFETY: getgid cannot fail.
    let gid = unsafe { libc::getgid() };
    // SAFETY: the closure runs in the child between fork and exec and only
    // makes the async-signal-safe setresgid system call.
    unsafe {
        cmd.pre_exec(move || {
            if libc::setresgid(gid, gid, gid) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

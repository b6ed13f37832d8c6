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

/// The data group of enforced mode (the effective group this process was
/// started with), or `None` outside it. Asked outside [`as_member`].
pub fn data_group() -> Option<libc::gid_t> {
    // SAFETY: getegid cannot fail.
    enforced().then(|| unsafe { libc::getegid() })
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

/// Runs `f` with this thread's effective group set to the real one (the
/// member's own), and puts the data group back afterwards. Every path a
/// member names — a file to import, a place to save to, their config — is
/// opened inside this, so the kernel checks it against the member's own
/// rights: a setgid tdesk never lends its data group to such a path
/// (`tdesk attachment add 2 /srv/desk/desk.db` must fail exactly as
/// `cat /srv/desk/desk.db` does). Outside enforced mode it just runs `f`.
///
/// Only this thread changes: the kernel keeps credentials per thread and
/// the raw system call (unlike glibc's `setresgid`, which changes every
/// thread) leaves the TUI's worker threads inside the desk.
pub fn as_member<T>(f: impl FnOnce() -> std::io::Result<T>) -> std::io::Result<T> {
    if !enforced() {
        return f();
    }
    // SAFETY: getgid and getegid cannot fail.
    let (real, data) = unsafe { (libc::getgid(), libc::getegid()) };
    set_thread_egid(real)?;
    let out = f();
    // Back to the data group: allowed, because it is still the saved gid.
    // Should that ever fail, the thread merely stays without the group.
    set_thread_egid(data)?;
    out
}

/// [`as_member`] for work that fails with the desk's own errors.
pub fn as_member_for<T>(f: impl FnOnce() -> crate::error::Result<T>) -> crate::error::Result<T> {
    let mut out = None;
    as_member(|| {
        out = Some(f());
        Ok(())
    })
    .map_err(|e| crate::error::Error::Io {
        path: "(member's rights)".into(),
        message: e.to_string(),
    })?;
    out.unwrap_or_else(|| Err(crate::error::Error::Database("not run".into())))
}

/// Sets the effective group id of the calling thread only.
#[cfg(target_os = "linux")]
fn set_thread_egid(gid: libc::gid_t) -> std::io::Result<()> {
    let keep = libc::gid_t::MAX; // (gid_t)-1: leave real and saved as they are
    // SAFETY: setresgid takes three integers and touches no memory of ours.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_setresgid,
            libc::c_long::from(keep),
            libc::c_long::from(gid),
            libc::c_long::from(keep),
        )
    };
    if rc != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// Elsewhere the group is per process: setegid is the closest there is.
#[cfg(not(target_os = "linux"))]
fn set_thread_egid(gid: libc::gid_t) -> std::io::Result<()> {
    // SAFETY: setegid takes an integer and touches no memory of ours.
    if unsafe { libc::setegid(gid) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// Gives up the data group for good (real, effective and saved group ids
/// all the member's own): for commands that never open the team desk,
/// such as the demo desk in the member's home.
pub fn drop_group_for_good() -> std::io::Result<()> {
    if !enforced() {
        return Ok(());
    }
    // SAFETY: getgid cannot fail; setresgid touches no memory of ours and
    // runs before any thread is started.
    let gid = unsafe { libc::getgid() };
    if unsafe { libc::setresgid(gid, gid, gid) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_enforced_mode_member_files_are_opened_as_is() {
        // The test binary is not setgid: nothing to drop, f runs once.
        assert!(!enforced());
        let mut ran = 0;
        let out = as_member(|| {
            ran += 1;
            Ok(7)
        })
        .expect("runs");
        assert_eq!((out, ran), (7, 1));
        let err =
            as_member::<()>(|| Err(std::io::Error::other("boom"))).expect_err("passes errors");
        assert_eq!(err.to_string(), "boom");
    }
}

//! Who is at the keyboard: the account name of the process's real uid.
//! `$USER`, `$LOGNAME` and config are never consulted — they are trivially forged.

use std::ffi::CStr;

/// The current Unix account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub login: String,
    /// The GECOS full name, or the login when there is none.
    pub display_name: String,
}

impl Identity {
    /// Looks up the real uid in the system's user database.
    pub fn current() -> Self {
        // SAFETY: getuid has no preconditions and cannot fail.
        let uid = unsafe { libc::getuid() };
        lookup(uid).unwrap_or_else(|| Identity {
            login: format!("uid{uid}"),
            display_name: format!("uid{uid}"),
        })
    }
}

/// Reads the passwd entry of `uid` with the re-entrant `getpwuid_r`.
fn lookup(uid: libc::uid_t) -> Option<Identity> {
    read_passwd(&|pwd, buf, len, result| {
        // SAFETY: the pointers come from read_passwd and are valid for the call.
        unsafe { libc::getpwuid_r(uid, pwd, buf, len, result) }
    })
}

type PasswdCall<'a> =
    dyn Fn(*mut libc::passwd, *mut libc::c_char, usize, *mut *mut libc::passwd) -> libc::c_int + 'a;

/// Runs a re-entrant passwd lookup, growing the buffer on ERANGE.
fn read_passwd(call: &PasswdCall<'_>) -> Option<Identity> {
    let mut buf = vec![0 as libc::c_char; 4096];
    loop {
        // SAFETY: passwd is plain old data; zeroed is a valid (empty) value.
        let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        let rc = call(&mut pwd, buf.as_mut_ptr(), buf.len(), &mut result);
        if rc == libc::ERANGE && buf.len() < 1 << 20 {
            buf.resize(buf.len() * 2, 0);
            continue;
        }
        if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
            return None;
        }
        // SAFETY: getpwuid_r succeeded, so pw_name (and pw_gecos if non-null) point
        // to NUL-terminated strings inside buf.
        let login = unsafe { CStr::from_ptr(pwd.pw_name) }
            .to_string_lossy()
            .into_owned();
        let gecos = if pwd.pw_gecos.is_null() {
            String::new()
        } else {
            // SAFETY: as above.
            unsafe { CStr::from_ptr(pwd.pw_gecos) }
                .to_string_lossy()
                .into_owned()
        };
        let full_name = gecos.split(',').next().unwrap_or("").trim().to_string();
        let display_name = if full_name.is_empty() {
            login.clone()
        } else {
            full_name
        };
        return Some(Identity {
            login,
            display_name,
        });
    }
}

/// Whether a Unix account with this login exists on this machine.
pub fn account_exists(login: &str) -> bool {
    lookup_login(login).is_some()
}

/// The passwd entry for an account name, if there is one.
pub fn lookup_login(login: &str) -> Option<Identity> {
    let name = std::ffi::CString::new(login).ok()?;
    read_passwd(&|pwd, buf, len, result| {
        // SAFETY: valid pointers; name is NUL-terminated.
        unsafe { libc::getpwnam_r(name.as_ptr(), pwd, buf, len, result) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn current_identity_names_an_existing_account() {
        let real = Identity::current();
        assert!(!real.login.is_empty());
        // The login comes from the uid, so it names an existing account.
        assert!(account_exists(&real.login) || real.login.starts_with("uid"));
        assert!(!account_exists("no-such-user-tdesk-test"));
    }
}

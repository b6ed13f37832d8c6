//! The desk on disk, outside SQLite: a desk named by its directory, and a
//! team desk's directory set up so every member of its group can write the
//! database and the `-wal`/`-shm` files SQLite makes next to it, whoever
//! created them. SQLite creates new files 0644 whatever the umask, and
//! without a setgid directory they take the creator's group; the next agent
//! then gets "attempt to write a readonly database". So the directory is
//! group-owned with the setgid bit (2770) and the database is created 0660
//! before SQLite ever opens it (SQLite gives `-wal`/`-shm` the mode of the
//! database file). Also the checks `tdesk doctor` runs on those modes.

use std::ffi::{CStr, CString};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The database file inside a desk directory.
pub const DESK_FILE: &str = "desk.db";

/// Mode of a team desk directory: group-owned, setgid, no access for others.
pub const SHARED_DIR_MODE: u32 = 0o2770;
/// Mode of the database and its `-wal`/`-shm` files in a team desk.
pub const SHARED_FILE_MODE: u32 = 0o660;

/// A desk named by a directory means the database inside it.
pub fn desk_file(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.join(DESK_FILE)
    } else {
        path.to_path_buf()
    }
}

fn io_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// Creates (or repairs) a team desk directory owned by `group` (default:
/// the caller's primary group) and its database file; returns the file.
pub fn create_shared(dir: &Path, group: Option<&str>) -> Result<PathBuf> {
    let gid = match group {
        Some(name) => group_id(name).ok_or_else(|| Error::UnknownGroup(name.to_string()))?,
        // SAFETY: getegid has no preconditions and cannot fail.
        None => unsafe { libc::getegid() },
    };
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
    let meta = std::fs::metadata(dir).map_err(|e| io_error(dir, e))?;
    // A directory prepared by root (`install-setgid`) is right already and
    // not ours to change.
    if meta.gid() != gid || meta.mode() & 0o7777 != SHARED_DIR_MODE {
        std::os::unix::fs::chown(dir, None, Some(gid)).map_err(|e| io_error(dir, e))?;
        // Set after chown: changing the group may clear the setgid bit.
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(SHARED_DIR_MODE))
            .map_err(|e| io_error(dir, e))?;
    }
    let db = dir.join(DESK_FILE);
    for path in desk_files(&db) {
        if path == db {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .mode(SHARED_FILE_MODE)
                .open(&path)
                .map_err(|e| io_error(&path, e))?;
        } else if !path.exists() {
            continue;
        }
        std::os::unix::fs::chown(&path, None, Some(gid)).map_err(|e| io_error(&path, e))?;
        // The umask may have taken the group bits off at creation.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(SHARED_FILE_MODE))
            .map_err(|e| io_error(&path, e))?;
    }
    Ok(db)
}

/// The group that owns a directory.
pub fn dir_group(dir: &Path) -> Result<libc::gid_t> {
    Ok(std::fs::metadata(dir).map_err(|e| io_error(dir, e))?.gid())
}

/// The database and every file SQLite and tdesk keep beside it (the WAL,
/// the shared-memory index, and the presence heartbeats with theirs).
fn desk_files(db: &Path) -> [PathBuf; 6] {
    [
        db.to_path_buf(),
        sibling(db, "-wal"),
        sibling(db, "-shm"),
        sibling(db, "-presence"),
        sibling(db, "-presence-wal"),
        sibling(db, "-presence-shm"),
    ]
}

/// `desk.db` → `desk.db-wal`.
pub fn sibling(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Something `tdesk doctor` found about the files of a desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileFinding {
    /// The desk directory is shared with `group`, as it should be.
    SharedDir { dir: PathBuf, group: String },
    /// A personal desk: only its owner uses it, nothing to check.
    PersonalDir { dir: PathBuf },
    /// The shared directory lacks the setgid bit or group rwx.
    DirMode { dir: PathBuf, mode: u32 },
    /// A file of a shared desk is not readable and writable by the group.
    FileMode { path: PathBuf, mode: u32 },
    /// A file of a shared desk belongs to another group than its directory.
    FileGroup {
        path: PathBuf,
        group: String,
        want: String,
    },
}

impl FileFinding {
    pub fn is_problem(&self) -> bool {
        matches!(
            self,
            FileFinding::DirMode { .. }
                | FileFinding::FileMode { .. }
                | FileFinding::FileGroup { .. }
        )
    }
}

/// Checks the modes and groups of the desk at `db` and its directory. A
/// directory with the setgid bit or group write access is taken as shared.
pub fn check_files(db: &Path) -> Result<Vec<FileFinding>> {
    let dir = match db.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) => d.to_path_buf(),
        None => PathBuf::from("."),
    };
    let meta = std::fs::metadata(&dir).map_err(|e| io_error(&dir, e))?;
    let mode = meta.mode() & 0o7777;
    if mode & 0o2000 == 0 && mode & 0o020 == 0 {
        return Ok(vec![FileFinding::PersonalDir { dir }]);
    }
    let want = group_name(meta.gid());
    let mut out = vec![FileFinding::SharedDir {
        dir: dir.clone(),
        group: want.clone(),
    }];
    if mode & SHARED_DIR_MODE != SHARED_DIR_MODE {
        out.push(FileFinding::DirMode { dir, mode });
    }
    for path in desk_files(db) {
        let Ok(file) = std::fs::metadata(&path) else {
            continue;
        };
        let mode = file.mode() & 0o7777;
        if mode & 0o060 != 0o060 {
            out.push(FileFinding::FileMode {
                path: path.clone(),
                mode,
            });
        }
        if file.gid() != meta.gid() {
            out.push(FileFinding::FileGroup {
                path,
                group: group_name(file.gid()),
                want: want.clone(),
            });
        }
    }
    Ok(out)
}

/// The id of a group by name.
pub fn group_id(name: &str) -> Option<libc::gid_t> {
    let name = CString::new(name).ok()?;
    read_group(&|grp, buf, len, result| {
        // SAFETY: valid pointers from read_group; name is NUL-terminated.
        unsafe { libc::getgrnam_r(name.as_ptr(), grp, buf, len, result) }
    })
    .map(|(gid, _)| gid)
}

/// The name of a group by id (the number when it has none).
pub fn group_name(gid: libc::gid_t) -> String {
    read_group(&|grp, buf, len, result| {
        // SAFETY: valid pointers from read_group.
        unsafe { libc::getgrgid_r(gid, grp, buf, len, result) }
    })
    .map(|(_, name)| name)
    .unwrap_or_else(|| gid.to_string())
}

type GroupCall<'a> =
    dyn Fn(*mut libc::group, *mut libc::c_char, usize, *mut *mut libc::group) -> libc::c_int + 'a;

/// Runs a re-entrant group lookup, growing the buffer on ERANGE.
fn read_group(call: &GroupCall<'_>) -> Option<(libc::gid_t, String)> {
    let mut buf = vec![0 as libc::c_char; 4096];
    loop {
        // SAFETY: group is plain old data; zeroed is a valid (empty) value.
        let mut grp: libc::group = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::group = std::ptr::null_mut();
        let rc = call(&mut grp, buf.as_mut_ptr(), buf.len(), &mut result);
        if rc == libc::ERANGE && buf.len() < 1 << 20 {
            buf.resize(buf.len() * 2, 0);
            continue;
        }
        if rc != 0 || result.is_null() || grp.gr_name.is_null() {
            return None;
        }
        // SAFETY: the lookup succeeded, so gr_name points to a NUL-terminated
        // string inside buf.
        let name = unsafe { CStr::from_ptr(grp.gr_name) }
            .to_string_lossy()
            .into_owned();
        return Some((grp.gr_gid, name));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_desk_is_setgid_group_writable_and_passes_its_own_check() {
        let dir = tempfile::tempdir().expect("tempdir");
        let desk = dir.path().join("team");
        // Even under a strict umask, the modes come out right.
        // SAFETY: umask only changes this process's file creation mask.
        let old = unsafe { libc::umask(0o077) };
        let db = create_shared(&desk, None);
        // SAFETY: as above.
        unsafe { libc::umask(old) };
        let db = db.expect("created");
        assert_eq!(db, desk.join(DESK_FILE));
        let dir_mode = std::fs::metadata(&desk).expect("dir").mode() & 0o7777;
        assert_eq!(dir_mode, SHARED_DIR_MODE);
        let file_mode = std::fs::metadata(&db).expect("db").mode() & 0o777;
        assert_eq!(file_mode, SHARED_FILE_MODE);
        let findings = check_files(&db).expect("check");
        assert!(findings.iter().all(|f| !f.is_problem()), "{findings:?}");
        assert!(matches!(findings[0], FileFinding::SharedDir { .. }));
        // A file that lost its group bits is named with its mode.
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let findings = check_files(&db).expect("check");
        assert!(
            findings
                .iter()
                .any(|f| matches!(f, FileFinding::FileMode { mode: 0o644, .. })),
            "{findings:?}"
        );
        assert_eq!(desk_file(&desk), db, "a directory names its database");
    }

    #[test]
    fn an_unknown_group_is_refused_by_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = create_shared(&dir.path().join("x"), Some("no-such-group-tdesk"))
            .expect_err("unknown group");
        assert!(matches!(err, Error::UnknownGroup(ref g) if g == "no-such-group-tdesk"));
        assert!(group_id("root").is_some() || group_id("wheel").is_some());
    }
}

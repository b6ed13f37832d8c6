//! The desk on disk, outside SQLite: a desk named by its directory, and a
//! team desk's directory set up so every member of its group can write the
//! database and the `-wal`/`-shm` files SQLite makes next to it, whoever
//! created them. SQLite creates new files 0644 whatever the umask, and
//! without a setgid directory they take the creator's group; the next agent
//! then gets "attempt to write a readonly database". So the directory is
//! group-owned with the setgid bit and the database is created 0660 before
//! SQLite ever opens it (SQLite gives `-wal`/`-shm` the mode of the
//! database file). A personal desk is the opposite: 0600 in a 0700 directory.
//!
//! Members of a team desk can create files in its directory, so nothing
//! here follows a symbolic link or trusts a name it did not make: files are
//! created with `O_EXCL|O_NOFOLLOW`, changed through their descriptor, and
//! every desk file is checked to be a plain file before SQLite opens it.
//! Also the checks `tdesk doctor` runs on those modes and files.

use std::ffi::{CStr, CString};
use std::fs::File;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The database file inside a desk directory.
pub const DESK_FILE: &str = "desk.db";
/// The attachment store inside a desk directory.
pub const ATTACHMENTS_DIR: &str = "attachments";

/// Mode of a team desk directory: group-owned, setgid (new files take the
/// group), sticky (only a file's owner may remove or rename it, so no member
/// can swap a desk file for a link of their own), no access for others.
pub const SHARED_DIR_MODE: u32 = 0o3770;
/// Mode of the database and its `-wal`/`-shm` files in a team desk.
pub const SHARED_FILE_MODE: u32 = 0o660;
/// Mode of a personal desk's directory and database.
pub const PRIVATE_DIR_MODE: u32 = 0o700;
pub const PRIVATE_FILE_MODE: u32 = 0o600;

/// A desk named by a directory means the database inside it.
pub fn desk_file(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.join(DESK_FILE)
    } else {
        path.to_path_buf()
    }
}

/// Whether two paths name the same existing directory or file.
pub fn same_place(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The directory a desk file is in.
pub fn desk_dir(db: &Path) -> PathBuf {
    match db.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(d) => d.to_path_buf(),
        None => PathBuf::from("."),
    }
}

fn io_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// Opens `path` for writing without following a link, creating it with
/// `mode` when `create` is set and it is missing; refuses anything but a
/// plain file with one name.
pub fn open_plain(path: &Path, create: bool, mode: u32) -> Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options
        .read(true)
        .write(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .mode(mode);
    let file = match options.open(path) {
        Ok(f) => f,
        Err(e) if create && e.kind() == std::io::ErrorKind::NotFound => options
            .create_new(true)
            .open(path)
            .map_err(|e| unsafe_or_io(path, e))?,
        Err(e) => return Err(unsafe_or_io(path, e)),
    };
    let meta = file.metadata().map_err(|e| io_error(path, e))?;
    if !meta.file_type().is_file() || meta.nlink() > 1 {
        return Err(Error::UnsafeDeskFile(path.display().to_string()));
    }
    Ok(file)
}

/// ELOOP from `O_NOFOLLOW` (ENOTDIR with `O_DIRECTORY`) means a link, or
/// something else, stands where a desk file or directory should.
fn unsafe_or_io(path: &Path, e: std::io::Error) -> Error {
    if matches!(e.raw_os_error(), Some(libc::ELOOP | libc::ENOTDIR)) {
        Error::UnsafeDeskFile(path.display().to_string())
    } else {
        io_error(path, e)
    }
}

/// Gives an open desk file `gid` (when set) and `mode`, by descriptor.
fn set_owner_mode(file: &File, path: &Path, gid: Option<libc::gid_t>, mode: u32) -> Result<()> {
    let meta = file.metadata().map_err(|e| io_error(path, e))?;
    if gid.is_none_or(|g| g == meta.gid()) && meta.mode() & 0o7777 == mode {
        return Ok(()); // right already: nothing a non-owner could not do
    }
    if let Some(gid) = gid {
        std::os::unix::fs::fchown(file, None, Some(gid)).map_err(|e| io_error(path, e))?;
    }
    // After chown: changing the group may clear set-id bits.
    file.set_permissions(std::fs::Permissions::from_mode(mode))
        .map_err(|e| io_error(path, e))
}

/// Creates (or repairs) a team desk directory owned by `group` (default:
/// the caller's primary group) and its database file; returns the file.
pub fn create_shared(dir: &Path, group: Option<&str>) -> Result<PathBuf> {
    let gid = match group {
        Some(name) => group_id(name).ok_or_else(|| Error::UnknownGroup(name.to_string()))?,
        // SAFETY: getegid has no preconditions and cannot fail.
        None => unsafe { libc::getegid() },
    };
    let enforced = crate::privilege::enforced();
    if !enforced {
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
    }
    // Changed through a descriptor of the directory itself, never by a path
    // whose parts someone could swap meanwhile.
    let handle = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_DIRECTORY | libc::O_NOFOLLOW)
        .open(dir)
        .map_err(|e| unsafe_or_io(dir, e))?;
    let meta = handle.metadata().map_err(|e| io_error(dir, e))?;
    // A directory prepared by root (`install-setgid`) is right already and
    // not ours to change; in enforced mode nothing is changed with the
    // data group, only checked.
    if meta.gid() != gid || meta.mode() & 0o7777 != SHARED_DIR_MODE {
        if enforced {
            return Err(Error::DeskDirNotReady(dir.display().to_string()));
        }
        set_owner_mode(&handle, dir, Some(gid), SHARED_DIR_MODE)?;
    }
    let db = dir.join(DESK_FILE);
    for path in desk_files(&db) {
        let file = match open_plain(&path, path == db, SHARED_FILE_MODE) {
            Ok(f) => f,
            Err(Error::Io { .. }) if path != db => continue,
            Err(e) => return Err(e),
        };
        // The umask may have taken the group bits off at creation.
        set_owner_mode(&file, &path, Some(gid), SHARED_FILE_MODE)?;
    }
    Ok(db)
}

/// Creates a personal desk's directory (0700) and database file (0600)
/// when they are missing, so nobody else can read the desk.
pub fn create_private(db: &Path) -> Result<()> {
    let dir = desk_dir(db);
    if !dir.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(PRIVATE_DIR_MODE)
            .create(&dir)
            .map_err(|e| io_error(&dir, e))?;
    }
    open_plain(db, true, PRIVATE_FILE_MODE).map(drop)
}

/// A desk named by path must be there: missing is [`Error::NoDesk`], and a
/// directory the caller may not enter is [`Error::NoAccess`], not "missing".
pub fn require_existing(db: &Path) -> Result<()> {
    match std::fs::metadata(db) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(Error::NoDesk(db.display().to_string()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            Err(Error::NoAccess(db.display().to_string()))
        }
        Err(e) => Err(io_error(db, e)),
    }
}

/// Refuses to open a desk whose files include a link, a device, a fifo or
/// a file with a second name: SQLite would write the desk into whatever
/// they point to. Missing files are fine (SQLite makes them).
pub fn check_desk_files(db: &Path) -> Result<()> {
    // SQLite's files only: the presence file is checked where it is opened,
    // and a bad one costs "who else is here", not the desk.
    for path in &desk_files(db)[..4] {
        match std::fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_file() && m.nlink() == 1 => {}
            Ok(_) => return Err(Error::UnsafeDeskFile(path.display().to_string())),
            Err(_) => {}
        }
    }
    Ok(())
}

/// Mode for a new directory under a desk directory: the group's and the
/// setgid and sticky bits on a team desk, the owner's only otherwise —
/// never anything for others.
pub fn subdir_mode(desk_dir: &Path) -> u32 {
    match std::fs::metadata(desk_dir) {
        Ok(m) if is_shared_mode(m.mode()) => SHARED_DIR_MODE,
        _ => PRIVATE_DIR_MODE,
    }
}

/// Mode for a new file under a desk directory (see [`subdir_mode`]).
pub fn file_mode(desk_dir: &Path) -> u32 {
    match std::fs::metadata(desk_dir) {
        Ok(m) if is_shared_mode(m.mode()) => 0o640,
        _ => PRIVATE_FILE_MODE,
    }
}

/// The desk file's own mode (for a copy kept beside it), else what a new
/// desk file in its directory gets.
pub fn desk_file_mode(db: &Path) -> u32 {
    std::fs::metadata(db).map_or_else(|_| file_mode(&desk_dir(db)), |m| m.mode() & 0o777)
}

/// A directory with the setgid bit or group write access is taken as shared.
fn is_shared_mode(mode: u32) -> bool {
    mode & 0o2000 != 0 || mode & 0o020 != 0
}

/// Whether only this account could have written the desk at `db`: it owns
/// the file and its directory and nobody else may write either. Only then
/// may a program named in the desk's data (the mail command) be run.
pub fn only_mine(db: &Path) -> bool {
    // SAFETY: geteuid cannot fail.
    let me = unsafe { libc::geteuid() };
    let mine = |p: &Path| {
        std::fs::symlink_metadata(p).is_ok_and(|m| m.uid() == me && m.mode() & 0o022 == 0)
    };
    !crate::privilege::enforced() && mine(db) && mine(&desk_dir(db))
}

/// The group that owns a directory.
pub fn dir_group(dir: &Path) -> Result<libc::gid_t> {
    Ok(std::fs::metadata(dir).map_err(|e| io_error(dir, e))?.gid())
}

/// The database and every file SQLite and tdesk keep beside it (the WAL,
/// the shared-memory index, the rollback journal, and the presence
/// heartbeats with theirs).
fn desk_files(db: &Path) -> [PathBuf; 8] {
    [
        db.to_path_buf(),
        sibling(db, "-wal"),
        sibling(db, "-shm"),
        sibling(db, "-journal"),
        sibling(db, "-presence"),
        sibling(db, "-presence-wal"),
        sibling(db, "-presence-shm"),
        sibling(db, "-presence-journal"),
    ]
}

/// What `tdesk restore` keeps of the desk it replaced: `desk.db-before-restore-…`.
pub const BEFORE_RESTORE: &str = "-before-restore-";

fn kept_before_restore(db: &Path, path: &Path) -> bool {
    let (Some(name), Some(db)) = (path.file_name(), db.file_name()) else {
        return false;
    };
    let prefix = format!("{}{BEFORE_RESTORE}", db.to_string_lossy());
    name.to_string_lossy().starts_with(&prefix)
}

/// Whether `path` is on a file system mounted read-only.
pub fn read_only_fs(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: statvfs is plain old data that statvfs only writes into,
    // given a NUL-terminated path.
    unsafe {
        let mut st: libc::statvfs = std::mem::zeroed();
        libc::statvfs(c.as_ptr(), &mut st) == 0 && st.f_flag & libc::ST_RDONLY != 0
    }
}

/// The kind of network file system `dir` is on, if it is one (by the
/// file system's magic number).
pub fn network_fs(dir: &Path) -> Option<&'static str> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    // SAFETY: statfs is plain old data (all zeroes is valid) that statfs
    // only writes into, given a NUL-terminated path.
    let kind = unsafe {
        let mut st: libc::statfs = std::mem::zeroed();
        if libc::statfs(c.as_ptr(), &mut st) != 0 {
            return None;
        }
        st.f_type as i64 & 0xFFFF_FFFF
    };
    network_fs_kind(kind)
}

/// Network file systems by their statfs magic number.
fn network_fs_kind(magic: i64) -> Option<&'static str> {
    match magic {
        0x6969 => Some("NFS"),
        0x517B | 0xFF53_4D42 | 0xFE53_4D42 => Some("SMB/CIFS"),
        0x0102_1997 => Some("9p"),
        0x6573_5546 => Some("FUSE"),
        0x00C3_6400 => Some("Ceph"),
        0x5346_414F => Some("AFS"),
        0x0BD0_0BD0 => Some("Lustre"),
        _ => None,
    }
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
    /// The shared directory lacks the setgid or sticky bit or group rwx.
    DirMode { dir: PathBuf, mode: u32 },
    /// A file of a shared desk is not readable and writable by the group.
    FileMode { path: PathBuf, mode: u32 },
    /// A file of a shared desk belongs to another group than its directory.
    FileGroup {
        path: PathBuf,
        group: String,
        want: String,
    },
    /// A symbolic link, device, fifo or hard-linked file in the desk's
    /// directory: tdesk makes none, so someone else put it there.
    Unsafe { path: PathBuf },
    /// The desk is on a network file system, where SQLite's locks do not
    /// hold: two members' writes can corrupt it.
    NetworkFs { dir: PathBuf, kind: &'static str },
    /// A file tdesk does not make, in the desk's directory.
    Foreign { path: PathBuf },
    /// A directory of the attachment store others may use.
    OpenDir { path: PathBuf, mode: u32 },
    /// A personal desk others may read or write (`chmod 600` fixes it).
    PrivateOpen { path: PathBuf, mode: u32 },
}

impl FileFinding {
    pub fn is_problem(&self) -> bool {
        !matches!(
            self,
            FileFinding::SharedDir { .. } | FileFinding::PersonalDir { .. }
        )
    }
}

/// Checks the modes and groups of the desk at `db` and its directory, and
/// looks for links and strangers among its files.
pub fn check_files(db: &Path) -> Result<Vec<FileFinding>> {
    let dir = desk_dir(db);
    let meta = std::fs::metadata(&dir).map_err(|e| io_error(&dir, e))?;
    let mode = meta.mode() & 0o7777;
    let mut out = Vec::new();
    if let Some(kind) = network_fs(&dir) {
        out.push(FileFinding::NetworkFs {
            dir: dir.clone(),
            kind,
        });
    }
    if !is_shared_mode(mode) {
        out.push(FileFinding::PersonalDir { dir: dir.clone() });
        if let Ok(m) = std::fs::symlink_metadata(db)
            && m.mode() & 0o077 != 0
        {
            out.push(FileFinding::PrivateOpen {
                path: db.to_path_buf(),
                mode: m.mode() & 0o7777,
            });
        }
        // Only its owner writes there: nothing to look for.
        return Ok(out);
    }
    let want = group_name(meta.gid());
    out.push(FileFinding::SharedDir {
        dir: dir.clone(),
        group: want.clone(),
    });
    if mode & SHARED_DIR_MODE != SHARED_DIR_MODE || mode & 0o007 != 0 {
        out.push(FileFinding::DirMode {
            dir: dir.clone(),
            mode,
        });
    }
    for path in desk_files(db) {
        let Ok(file) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if !file.file_type().is_file() {
            continue; // reported by strangers()
        }
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
    out.extend(strangers(db));
    Ok(out)
}

/// Links, special files and names tdesk does not make, in the desk's
/// directory and its attachment store (two levels: `ab/abcdef…`).
fn strangers(db: &Path) -> Vec<FileFinding> {
    let dir = desk_dir(db);
    let ours: Vec<PathBuf> = desk_files(db).into();
    let attachments = dir.join(ATTACHMENTS_DIR);
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if path == attachments && meta.file_type().is_dir() {
            out.extend(attachment_strangers(&path));
        } else if !meta.file_type().is_file() || meta.nlink() > 1 {
            out.push(FileFinding::Unsafe { path });
        } else if !ours.contains(&path) && !kept_before_restore(db, &path) {
            out.push(FileFinding::Foreign { path });
        }
    }
    out.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    out
}

fn attachment_strangers(root: &Path) -> Vec<FileFinding> {
    let mut out = Vec::new();
    if let Ok(m) = std::fs::symlink_metadata(root)
        && m.mode() & 0o007 != 0
    {
        out.push(FileFinding::OpenDir {
            path: root.to_path_buf(),
            mode: m.mode() & 0o7777,
        });
    }
    let Ok(fans) = std::fs::read_dir(root) else {
        return out;
    };
    for fan in fans.flatten() {
        let path = fan.path();
        match std::fs::symlink_metadata(&path) {
            // Others may not write (or read) in the store.
            Ok(m) if m.file_type().is_dir() && m.mode() & 0o007 != 0 => {
                out.push(FileFinding::OpenDir {
                    path: path.clone(),
                    mode: m.mode() & 0o7777,
                });
            }
            Ok(m) if m.file_type().is_dir() => {}
            _ => {
                out.push(FileFinding::Unsafe { path });
                continue;
            }
        }
        let Ok(files) = std::fs::read_dir(&path) else {
            continue;
        };
        for file in files.flatten() {
            let path = file.path();
            let plain = std::fs::symlink_metadata(&path)
                .is_ok_and(|m| m.file_type().is_file() && m.nlink() == 1);
            if !plain {
                out.push(FileFinding::Unsafe { path });
            }
        }
    }
    out
}

/// A directory of the desk's, held open so that what is done inside it
/// happens there and nowhere else: every step below it is opened relative
/// to it with `O_NOFOLLOW`, so no link swapped in by a member (for a name
/// or a whole directory) is ever followed.
pub struct DirHandle {
    dir: File,
    path: PathBuf,
}

fn c_name(name: &str) -> Result<CString> {
    if name.is_empty() || name.contains('/') || name == "." || name == ".." {
        return Err(Error::UnsafeDeskFile(name.to_string()));
    }
    CString::new(name).map_err(|_| Error::UnsafeDeskFile(name.to_string()))
}

/// A descriptor returned by an `*at` call, or the error it set.
fn owned(fd: libc::c_int) -> std::io::Result<File> {
    if fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: a fresh descriptor from openat that nothing else owns.
    Ok(unsafe { <File as std::os::fd::FromRawFd>::from_raw_fd(fd) })
}

impl DirHandle {
    /// Opens a desk directory itself (its path is the desk's own).
    pub fn open(path: &Path) -> Result<Self> {
        let dir = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_DIRECTORY | libc::O_NOFOLLOW)
            .open(path)
            .map_err(|e| unsafe_or_io(path, e))?;
        Ok(Self {
            dir,
            path: path.to_path_buf(),
        })
    }

    fn fd(&self) -> libc::c_int {
        std::os::fd::AsRawFd::as_raw_fd(&self.dir)
    }

    /// Where `name` is, for messages.
    pub fn path_of(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    /// The directory `name` inside this one, made with `mode` (after the
    /// umask, set again) when `create` and it is missing. A link, a file or
    /// anything else in its place is refused.
    pub fn subdir(&self, name: &str, mode: u32, create: bool) -> Result<DirHandle> {
        let c = c_name(name)?;
        let path = self.path_of(name);
        let flags = libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC;
        // SAFETY: openat/mkdirat on a descriptor we hold and a NUL-terminated name.
        let first = owned(unsafe { libc::openat(self.fd(), c.as_ptr(), flags) });
        let dir = match first {
            Ok(dir) => dir,
            Err(e) if create && e.kind() == std::io::ErrorKind::NotFound => {
                // SAFETY: as above.
                let made = unsafe { libc::mkdirat(self.fd(), c.as_ptr(), mode as libc::mode_t) };
                if made == 0 {
                    // SAFETY: as above.
                    let dir = owned(unsafe { libc::openat(self.fd(), c.as_ptr(), flags) })
                        .map_err(|e| unsafe_or_io(&path, e))?;
                    let _ = dir.set_permissions(std::fs::Permissions::from_mode(mode));
                    dir
                } else {
                    // Made meanwhile by someone else: fine if a directory.
                    // SAFETY: as above.
                    owned(unsafe { libc::openat(self.fd(), c.as_ptr(), flags) })
                        .map_err(|e| unsafe_or_io(&path, e))?
                }
            }
            Err(e) => return Err(unsafe_or_io(&path, e)),
        };
        Ok(DirHandle { dir, path })
    }

    /// Whether something (anything, a link too) has the name `name` here.
    pub fn has(&self, name: &str) -> bool {
        let Ok(c) = c_name(name) else { return false };
        // SAFETY: stat is plain old data (all zeroes is a valid value), and
        // fstatat only writes into it, given a descriptor we hold.
        unsafe {
            let mut st: libc::stat = std::mem::zeroed();
            libc::fstatat(self.fd(), c.as_ptr(), &mut st, libc::AT_SYMLINK_NOFOLLOW) == 0
        }
    }

    /// Opens the plain file `name` here for reading: not a link, not a
    /// special file, not a file with a second name.
    pub fn read_file(&self, name: &str) -> Result<Vec<u8>> {
        use std::io::Read;
        let c = c_name(name)?;
        let path = self.path_of(name);
        let flags = libc::O_RDONLY | libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC;
        // SAFETY: openat on a descriptor we hold and a NUL-terminated name.
        let mut file = owned(unsafe { libc::openat(self.fd(), c.as_ptr(), flags) })
            .map_err(|e| unsafe_or_io(&path, e))?;
        let meta = file.metadata().map_err(|e| io_error(&path, e))?;
        if !meta.file_type().is_file() || meta.nlink() > 1 {
            return Err(Error::UnsafeDeskFile(path.display().to_string()));
        }
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(|e| io_error(&path, e))?;
        Ok(bytes)
    }

    /// Writes `bytes` to a new file `name` here (it must not exist), with
    /// `mode`, flushed to disk.
    pub fn write_new(&self, name: &str, bytes: &[u8], mode: u32) -> Result<()> {
        use std::io::Write;
        let c = c_name(name)?;
        let path = self.path_of(name);
        let flags =
            libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_NOFOLLOW | libc::O_CLOEXEC;
        // SAFETY: openat on a descriptor we hold and a NUL-terminated name.
        let mut file =
            owned(unsafe { libc::openat(self.fd(), c.as_ptr(), flags, mode as libc::c_uint) })
                .map_err(|e| unsafe_or_io(&path, e))?;
        let written = file
            .write_all(bytes)
            .and_then(|()| file.set_permissions(std::fs::Permissions::from_mode(mode)))
            .and_then(|()| file.sync_all());
        written.map_err(|e| io_error(&path, e))
    }

    /// Renames `from` to `to`, both here.
    pub fn rename(&self, from: &str, to: &str) -> Result<()> {
        let (a, b) = (c_name(from)?, c_name(to)?);
        // SAFETY: renameat on descriptors we hold and NUL-terminated names.
        let rc = unsafe { libc::renameat(self.fd(), a.as_ptr(), self.fd(), b.as_ptr()) };
        if rc != 0 {
            return Err(io_error(&self.path_of(to), std::io::Error::last_os_error()));
        }
        Ok(())
    }

    /// Removes the file `name` here, quietly.
    pub fn remove(&self, name: &str) {
        if let Ok(c) = c_name(name) {
            // SAFETY: unlinkat on a descriptor we hold and a NUL-terminated name.
            unsafe { libc::unlinkat(self.fd(), c.as_ptr(), 0) };
        }
    }
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
    fn network_file_systems_are_named_and_local_ones_are_not() {
        assert_eq!(network_fs_kind(0x6969), Some("NFS"));
        assert_eq!(network_fs_kind(0xFF53_4D42), Some("SMB/CIFS"));
        assert_eq!(network_fs_kind(0x0102_1997), Some("9p"));
        assert_eq!(network_fs_kind(0x6573_5546), Some("FUSE"));
        assert_eq!(network_fs_kind(0xEF53), None, "ext4");
        assert_eq!(network_fs_kind(0x0102_1994), None, "tmpfs");
    }

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

    #[test]
    fn a_link_planted_as_a_desk_file_is_refused_and_its_target_untouched() {
        let dir = tempfile::tempdir().expect("tempdir");
        let desk = dir.path().join("team");
        let db = create_shared(&desk, None).expect("created");
        let victim = dir.path().join("victim_aliases");
        std::fs::write(&victim, b"alias ls='ls'\n").expect("victim");
        std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        let presence = sibling(&db, "-presence");
        std::os::unix::fs::symlink(&victim, &presence).expect("plant");
        // Opening, creating or repairing never goes through the link.
        let err = open_plain(&presence, true, SHARED_FILE_MODE).expect_err("a link");
        assert!(matches!(err, Error::UnsafeDeskFile(_)), "{err:?}");
        // It costs presence, not the desk: SQLite's own files are fine.
        check_desk_files(&db).expect("the desk still opens");
        let wal = sibling(&db, "-wal");
        std::os::unix::fs::symlink(&victim, &wal).expect("plant a WAL");
        assert!(matches!(
            check_desk_files(&db),
            Err(Error::UnsafeDeskFile(_))
        ));
        std::fs::remove_file(&wal).expect("unplant");
        assert!(matches!(
            create_shared(&desk, None),
            Err(Error::UnsafeDeskFile(_))
        ));
        let mode = std::fs::metadata(&victim).expect("victim").mode() & 0o777;
        assert_eq!(mode, 0o600, "the link's target kept its mode");
        assert_eq!(std::fs::read(&victim).expect("victim"), b"alias ls='ls'\n");
        // Doctor names the link, and a file tdesk does not make.
        std::fs::write(desk.join("notes.txt"), b"x").expect("stranger");
        let findings = check_files(&db).expect("check");
        assert!(
            findings.contains(&FileFinding::Unsafe {
                path: presence.clone()
            }),
            "{findings:?}"
        );
        assert!(
            findings.contains(&FileFinding::Foreign {
                path: desk.join("notes.txt")
            }),
            "{findings:?}"
        );
        // A hard link to someone else's file counts as unsafe too.
        std::fs::hard_link(&victim, &wal).expect("hard link");
        assert!(matches!(
            check_desk_files(&db),
            Err(Error::UnsafeDeskFile(_))
        ));
    }

    #[test]
    fn a_personal_desk_is_private_to_its_owner() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("new").join("desk.db");
        create_private(&db).expect("created");
        let mode = |p: &Path| std::fs::metadata(p).expect("meta").mode() & 0o7777;
        assert_eq!(mode(&db), PRIVATE_FILE_MODE);
        assert_eq!(mode(&desk_dir(&db)), PRIVATE_DIR_MODE);
        assert!(only_mine(&db));
        assert_eq!(subdir_mode(&desk_dir(&db)), PRIVATE_DIR_MODE);
        // Opened again, it stays as it is.
        create_private(&db).expect("again");
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o664)).expect("chmod");
        assert!(!only_mine(&db), "a group-writable desk is not only mine");
        let findings = check_files(&db).expect("check");
        assert!(
            findings
                .iter()
                .any(|f| matches!(f, FileFinding::PrivateOpen { mode: 0o664, .. })),
            "{findings:?}"
        );
    }

    #[test]
    fn a_directory_swapped_for_a_link_is_never_written_through() {
        let dir = tempfile::tempdir().expect("tempdir");
        let desk = dir.path().join("desk");
        std::fs::create_dir(&desk).expect("desk");
        let elsewhere = dir.path().join("victim_home");
        std::fs::create_dir(&elsewhere).expect("victim");
        // A member plants the store (or one of its fan directories) as a link.
        std::os::unix::fs::symlink(&elsewhere, desk.join(ATTACHMENTS_DIR)).expect("plant");
        let handle = DirHandle::open(&desk).expect("desk dir");
        let err = handle
            .subdir(ATTACHMENTS_DIR, 0o700, true)
            .err()
            .expect("a link is not a directory of the desk's");
        assert!(matches!(err, Error::UnsafeDeskFile(_)), "{err:?}");
        std::fs::remove_file(desk.join(ATTACHMENTS_DIR)).expect("unplant");
        let store = handle.subdir(ATTACHMENTS_DIR, 0o700, true).expect("made");
        std::os::unix::fs::symlink(&elsewhere, desk.join(ATTACHMENTS_DIR).join("7e"))
            .expect("plant a fan");
        assert!(store.subdir("7e", 0o700, true).is_err());
        // Files: a link in a file's place is refused, reads and writes alike.
        let fan = store.subdir("ab", 0o700, true).expect("fan");
        std::os::unix::fs::symlink(elsewhere.join("x"), desk.join(ATTACHMENTS_DIR).join("ab/f"))
            .expect("plant a file");
        assert!(fan.write_new("f", b"evil", 0o600).is_err());
        assert!(fan.read_file("f").is_err());
        fan.write_new("g", b"good", 0o600).expect("a new file");
        fan.rename("g", "h").expect("renamed");
        assert_eq!(fan.read_file("h").expect("read"), b"good");
        assert!(
            fan.subdir("../x", 0o700, true).is_err(),
            "one name, never a path"
        );
        assert_eq!(std::fs::read_dir(&elsewhere).expect("victim").count(), 0);
    }
}

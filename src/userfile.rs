//! Files the member names — to import, to check, to attach, to save to —
//! and the member's own config. Every one is opened as the member
//! ([`crate::privilege::as_member`]): in enforced team mode the kernel
//! checks it against the member's own rights, never the data group's, so
//! no command can read or overwrite a desk file for them. Reads are capped
//! (a device or a runaway file gets a clear error, not all the memory);
//! writes go to a new file beside the target and are renamed in, never
//! through a symbolic link and never over an existing file unless asked.
//!
//! Nothing else in the crate opens a path a member named: the architecture
//! test holds every module but this one and the desk's own file code
//! (`deskdir`, `store`, the attachment store) to that.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::privilege::as_member;

/// Largest text file read whole: a config, rule, policy or workflow file.
pub const TEXT_LIMIT: u64 = 4 << 20;
/// Largest single e-mail message (a 25 MiB attachment is ~34 MB as base64).
pub const MESSAGE_LIMIT: u64 = 64 << 20;
/// Largest spreadsheet or JSON document imported in one go.
pub const TABLE_LIMIT: u64 = 1 << 30;

fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// Reads a file whole, refusing one larger than `limit` bytes without
/// reading past it (`/dev/urandom` is refused after `limit`, not at 3 GB).
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let mut file = open(path)?;
    // A device has no size: the cap of one message, not of a spreadsheet.
    let device = file.metadata().is_ok_and(|m| !m.file_type().is_file());
    let limit = if device {
        limit.min(MESSAGE_LIMIT)
    } else {
        limit
    };
    read_capped(&mut file, limit).map_err(|e| match e {
        Capped::TooLarge => Error::FileTooLarge {
            path: path.display().to_string(),
            max: limit,
        },
        Capped::Io(e) => io_error(path, e),
    })
}

/// Reads a UTF-8 text file of at most [`TEXT_LIMIT`] bytes.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = read(path, TEXT_LIMIT)?;
    String::from_utf8(bytes).map_err(|_| Error::NotUtf8(path.display().to_string()))
}

/// Like [`read_text`], but a missing file is `None` (only a missing one:
/// a file the member may not read is an error, not "no file").
pub fn read_text_if_exists(path: &Path) -> Result<Option<String>> {
    if as_member(|| std::fs::symlink_metadata(path))
        .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
    {
        return Ok(None);
    }
    match open(path) {
        Err(e) => Err(e),
        Ok(mut file) => {
            let bytes = read_capped(&mut file, TEXT_LIMIT).map_err(|e| match e {
                Capped::TooLarge => Error::FileTooLarge {
                    path: path.display().to_string(),
                    max: TEXT_LIMIT,
                },
                Capped::Io(e) => io_error(path, e),
            })?;
            String::from_utf8(bytes)
                .map(Some)
                .map_err(|_| Error::NotUtf8(path.display().to_string()))
        }
    }
}

/// Whether something exists at `path` for the member (a dangling link counts).
pub fn exists(path: &Path) -> bool {
    as_member(|| std::fs::symlink_metadata(path)).is_ok()
}

/// Opens a file for reading, as the member. Never blocks on a fifo (or
/// a socket), and never hands over one of the desk's own files: in
/// enforced mode a file of the data group is refused even when the member
/// reaches it (a desk file they happen to own, through `/proc/self/fd`).
pub fn open(path: &Path) -> Result<File> {
    let data_group = crate::privilege::data_group();
    let file = as_member(|| {
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(path)
    })
    .map_err(|e| io_error(path, e))?;
    let meta = file.metadata().map_err(|e| io_error(path, e))?;
    let kind = meta.file_type();
    if !(kind.is_file() || kind.is_char_device() || kind.is_block_device()) {
        return Err(Error::NotAFile(path.display().to_string()));
    }
    if data_group.is_some_and(|gid| gid == meta.gid()) {
        return Err(Error::DeskFileNamed(path.display().to_string()));
    }
    // Reads block as usual from here on.
    // SAFETY: fcntl on a descriptor we own, with plain integer arguments.
    unsafe {
        let fd = file.as_raw_fd();
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags >= 0 {
            libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK);
        }
    }
    Ok(file)
}

/// Why a capped read stopped.
pub enum Capped {
    TooLarge,
    Io(std::io::Error),
}

/// Reads `reader` to its end, or stops with `TooLarge` past `limit` bytes.
pub fn read_capped(reader: &mut dyn Read, limit: u64) -> std::result::Result<Vec<u8>, Capped> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(Capped::Io)?;
    if bytes.len() as u64 > limit {
        return Err(Capped::TooLarge);
    }
    Ok(bytes)
}

/// The entries of a directory, by name.
pub fn list_dir(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = as_member(|| {
        std::fs::read_dir(dir)?
            .map(|e| e.map(|e| e.path()))
            .collect::<std::io::Result<Vec<_>>>()
    })
    .map_err(|e| io_error(dir, e))?;
    let mut paths = entries;
    paths.sort();
    Ok(paths)
}

/// Whether `path` is a regular file (not following a final symbolic link).
pub fn is_plain_file(path: &Path) -> bool {
    as_member(|| std::fs::symlink_metadata(path)).is_ok_and(|m| m.file_type().is_file())
}

/// Creates an empty file that did not exist, mode 0600, as the member;
/// never through a link, never over anything already there.
pub fn create_empty_private(path: &Path) -> Result<()> {
    as_member(|| {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .custom_flags(libc::O_NOFOLLOW)
            .mode(0o600)
            .open(path)
    })
    .map(drop)
    .map_err(|e| io_error(path, e))
}

/// Makes a new folder (not there before), mode 0700, as the member: a
/// place nobody else can put a file into.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    as_member(|| std::fs::DirBuilder::new().mode(0o700).create(dir)).map_err(|e| io_error(dir, e))
}

/// Removes a folder of the member's and what is in it, quietly.
pub fn remove_dir_all(dir: &Path) {
    let _ = as_member(|| std::fs::remove_dir_all(dir));
}

/// Creates folders (and parents) readable by the member alone, as the
/// member; an existing link in the way is refused, not followed.
pub fn create_private_dir_all(dir: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if as_member(|| std::fs::symlink_metadata(dir)).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(Error::NotAFile(dir.display().to_string()));
    }
    as_member(|| {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    })
    .map_err(|e| io_error(dir, e))
}

/// Gives `from` the name `to` unless something has that name already
/// (no replacing: a file made there meanwhile is kept).
pub fn rename_new(from: &Path, to: &Path) -> Result<()> {
    as_member(|| std::fs::hard_link(from, to)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Error::FileExists(to.display().to_string())
        } else {
            io_error(to, e)
        }
    })?;
    remove(from);
    Ok(())
}

/// The member's own plain files in `dir` (no links, no folders, nothing
/// of anyone else's).
pub fn own_plain_files(dir: &Path) -> Result<Vec<PathBuf>> {
    // SAFETY: getuid cannot fail.
    let me = unsafe { libc::getuid() };
    Ok(list_dir(dir)?
        .into_iter()
        .filter(|p| {
            as_member(|| std::fs::symlink_metadata(p))
                .is_ok_and(|m| m.file_type().is_file() && m.uid() == me)
        })
        .collect())
}

/// Whether `path` is a folder the member can reach.
pub fn is_dir(path: &Path) -> bool {
    as_member(|| std::fs::metadata(path)).is_ok_and(|m| m.is_dir())
}

/// Renames within the member's own files (a Maildir's new/ → cur/).
pub fn rename(from: &Path, to: &Path) -> Result<()> {
    as_member(|| std::fs::rename(from, to)).map_err(|e| io_error(to, e))
}

/// Removes a file of the member's, quietly (a temporary file, say).
pub fn remove(path: &Path) {
    let _ = as_member(|| std::fs::remove_file(path));
}

/// Creates (or empties) a file to write a log to, such as `TDESK_TRACE`.
pub fn create_log(path: &Path) -> Result<File> {
    as_member(|| File::create(path)).map_err(|e| io_error(path, e))
}

/// Creates a directory and its parents.
pub fn create_dir_all(dir: &Path) -> Result<()> {
    as_member(|| std::fs::create_dir_all(dir)).map_err(|e| io_error(dir, e))
}

/// Whether an existing file at the target is replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    /// Refused with [`Error::FileExists`] (also for a symbolic link).
    Never,
    /// Replaced — the link itself, never the file a link points to.
    Replace,
}

/// A file being written (mode 0600: it holds customers' data): a new file
/// beside its target, renamed over it by
/// [`NewFile::finish`]; dropped unfinished, it is removed, so a failed or
/// killed write never leaves half a file under the target's name.
pub struct NewFile {
    file: Option<File>,
    tmp: PathBuf,
    target: PathBuf,
    overwrite: Overwrite,
}

/// The open desk: its directory (device, inode, path), its database's file
/// name, and whether the whole directory is the desk's (a team desk).
#[derive(Clone)]
struct OpenDesk {
    dev: u64,
    ino: u64,
    dir: PathBuf,
    db: std::ffi::OsString,
    whole_dir: bool,
}

static DESK: std::sync::Mutex<Option<OpenDesk>> = std::sync::Mutex::new(None);

/// The attachment store's name in the desk directory (as `deskdir` names it).
const ATTACHMENTS: &str = "attachments";

/// Marks where the open desk lives, so no file a member writes lands on a
/// desk file (`desk.db`, `desk.db-wal`, `-shm`, `-journal`, the presence
/// file), in the attachment store, or anywhere in a team desk's own
/// directory, where a member's file could lock the others out.
pub fn protect_desk(db: &Path, whole_dir: bool) {
    let dir = match db.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if let (Ok(meta), Some(name)) = (std::fs::metadata(dir), db.file_name()) {
        let mut desk = DESK
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *desk = Some(OpenDesk {
            dev: meta.dev(),
            ino: meta.ino(),
            dir: dir.to_path_buf(),
            db: name.to_os_string(),
            whole_dir,
        });
    }
}

/// Refuses a target that is (or could become) a desk file, one in the
/// attachment store, or any in a team desk's directory.
pub fn refuse_desk_target(target: &Path) -> Result<()> {
    let desk = DESK
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    let Some(desk) = desk else {
        return Ok(());
    };
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let identity = |p: &Path| {
        as_member(|| std::fs::metadata(p))
            .ok()
            .map(|m| (m.dev(), m.ino()))
    };
    let Some(here) = identity(dir) else {
        return Ok(()); // the write itself will say why it cannot go there
    };
    let refused = || Err(Error::DeskDirTarget(target.display().to_string()));
    // Anywhere in the attachment store, however the path reaches it.
    let store = identity(&desk.dir.join(ATTACHMENTS));
    let real = as_member(|| std::fs::canonicalize(dir)).unwrap_or_else(|_| dir.to_path_buf());
    if store.is_some() && real.ancestors().any(|a| identity(a) == store) {
        return refused();
    }
    if here != (desk.dev, desk.ino) {
        return Ok(());
    }
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let db = desk.db.to_string_lossy();
    let desk_file = name == *db || name.starts_with(&format!("{db}-")) || name == ATTACHMENTS;
    if desk.whole_dir || desk_file {
        return refused();
    }
    Ok(())
}

/// Starts writing `target`.
pub fn create(target: &Path, overwrite: Overwrite) -> Result<NewFile> {
    refuse_desk_target(target)?;
    if overwrite == Overwrite::Never && exists(target) {
        return Err(Error::FileExists(target.display().to_string()));
    }
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let dir = target.parent().unwrap_or(Path::new(""));
    for attempt in 0u32.. {
        let tmp = dir.join(format!(".{name}.{}.{attempt}.part", std::process::id()));
        let opened = as_member(|| {
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .custom_flags(libc::O_NOFOLLOW)
                // Customers' data: readable by the member alone.
                .mode(0o600)
                .open(&tmp)
        });
        match opened {
            Ok(file) => {
                return Ok(NewFile {
                    file: Some(file),
                    tmp,
                    target: target.to_path_buf(),
                    overwrite,
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {}
            Err(e) => return Err(io_error(target, e)),
        }
    }
    Err(Error::FileExists(target.display().to_string()))
}

impl NewFile {
    /// Flushes to disk and puts the file in place.
    pub fn finish(mut self) -> Result<()> {
        let Some(file) = self.file.take() else {
            return Ok(());
        };
        file.sync_all().map_err(|e| io_error(&self.target, e))?;
        drop(file);
        let (tmp, target) = (self.tmp.clone(), self.target.clone());
        let placed = as_member(|| match self.overwrite {
            Overwrite::Replace => std::fs::rename(&tmp, &target),
            // A hard link is made only where no name is: no race with a
            // file (or link) that appeared after the check in `create`.
            Overwrite::Never => std::fs::hard_link(&tmp, &target).or_else(|e| {
                if e.kind() == std::io::ErrorKind::AlreadyExists {
                    return Err(e);
                }
                // File systems without hard links (FAT): check, then rename.
                match std::fs::symlink_metadata(&target) {
                    Ok(_) => Err(std::io::ErrorKind::AlreadyExists.into()),
                    Err(_) => std::fs::rename(&tmp, &target),
                }
            }),
        });
        match placed {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                Err(Error::FileExists(target.display().to_string()))
            }
            Err(e) => Err(io_error(&target, e)),
        }
        // Drop removes the temporary name (already gone after a rename).
    }
}

impl Write for NewFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.file.as_mut() {
            Some(f) => f.write(buf),
            None => Err(std::io::ErrorKind::BrokenPipe.into()),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self.file.as_mut() {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for NewFile {
    fn drop(&mut self) {
        self.file.take();
        let tmp = self.tmp.clone();
        let _ = as_member(|| std::fs::remove_file(&tmp));
    }
}

/// Files named by a member to send with a reply, read whole: (file name,
/// bytes). A file that cannot be read, or is larger than `limit`, stops
/// the reply with its path.
pub fn read_files(paths: &[PathBuf], limit: u64) -> Result<Vec<(String, Vec<u8>)>> {
    paths
        .iter()
        .map(|path| {
            let bytes = read(path, limit)?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "file".into());
            Ok((name, bytes))
        })
        .collect()
}

/// Copies `bytes` to a new private directory (0700) in the temporary
/// directory, as `name`, for a program of the member's to open: the copy is
/// theirs, so the program needs no right to the desk and cannot change the
/// stored original.
pub fn private_copy(name: &str, bytes: &[u8]) -> Result<PathBuf> {
    use std::os::unix::fs::DirBuilderExt;
    let base = std::env::temp_dir();
    forget_old_copies(&base);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    for attempt in 0u32..100 {
        let dir = base.join(format!("tdesk-{}-{nanos:x}-{attempt}", std::process::id()));
        match as_member(|| std::fs::DirBuilder::new().mode(0o700).create(&dir)) {
            Ok(()) => {
                // The name is stored data (another member, an import): only
                // its last part, so it cannot climb out of the new directory.
                let path = dir.join(crate::interchange::mail::safe_file_name(name));
                write(&path, bytes, Overwrite::Never)?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(io_error(&dir, e)),
        }
    }
    Err(Error::FileExists(base.display().to_string()))
}

/// Private copies start with this in the temporary directory.
const COPY_PREFIX: &str = "tdesk-open-";

/// Removes the member's private copies older than a day: the programs
/// they were opened with are long done with them, and customers' files
/// should not pile up in the temporary directory.
fn forget_old_copies(base: &Path) {
    let day = std::time::Duration::from_secs(24 * 3600);
    // SAFETY: geteuid cannot fail.
    let me = unsafe { libc::geteuid() };
    let _ = as_member(|| {
        for entry in std::fs::read_dir(base)?.flatten() {
            let old_copy = entry.file_name().to_string_lossy().starts_with(COPY_PREFIX)
                && std::fs::symlink_metadata(entry.path()).is_ok_and(|m| {
                    m.file_type().is_dir()
                        && m.uid() == me
                        && m.modified().ok().and_then(|t| t.elapsed().ok()) > Some(day)
                });
            if old_copy {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
        Ok(())
    });
}

/// Writes `bytes` to `target` whole (see [`create`]).
pub fn write(target: &Path, bytes: &[u8], overwrite: Overwrite) -> Result<()> {
    let mut file = create(target, overwrite)?;
    file.write_all(bytes).map_err(|e| io_error(target, e))?;
    file.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn a_read_stops_at_its_limit_with_a_clear_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("big");
        std::fs::write(&path, vec![b'x'; 1001]).expect("write");
        assert_eq!(read(&path, 1001).expect("at the limit").len(), 1001);
        let err = read(&path, 1000).expect_err("over the limit");
        assert!(
            matches!(err, Error::FileTooLarge { max: 1000, .. }),
            "{err:?}"
        );
        // A device without end is refused after the limit, not read forever.
        let err = read(Path::new("/dev/zero"), 4096).expect_err("endless");
        assert!(matches!(err, Error::FileTooLarge { .. }), "{err:?}");
    }

    #[test]
    fn saving_never_overwrites_or_follows_a_link_unless_told() {
        let dir = tempfile::tempdir().expect("tempdir");
        let victim = dir.path().join("victim");
        std::fs::write(&victim, b"keep me").expect("victim");
        let link = dir.path().join("out");
        symlink(&victim, &link).expect("link");
        let err = write(&link, b"new", Overwrite::Never).expect_err("a link is there");
        assert!(matches!(err, Error::FileExists(_)), "{err:?}");
        let err = write(&victim, b"new", Overwrite::Never).expect_err("a file is there");
        assert!(matches!(err, Error::FileExists(_)), "{err:?}");
        // Replacing replaces the link itself; what it pointed to is untouched.
        write(&link, b"new", Overwrite::Replace).expect("replace");
        assert_eq!(std::fs::read(&victim).expect("victim"), b"keep me");
        assert_eq!(std::fs::read(&link).expect("out"), b"new");
        assert!(
            !std::fs::symlink_metadata(&link)
                .expect("out")
                .file_type()
                .is_symlink()
        );
        // A dangling link counts as taken too.
        let dangling = dir.path().join("dangling");
        symlink(dir.path().join("nowhere"), &dangling).expect("link");
        assert!(write(&dangling, b"x", Overwrite::Never).is_err());
        assert!(!dir.path().join("nowhere").exists());
        // Nothing is left behind but the files asked for.
        let names: Vec<_> = list_dir(dir.path()).expect("list");
        assert_eq!(names.len(), 3, "{names:?}");
    }

    #[test]
    fn a_fifo_or_a_directory_is_refused_at_once_not_waited_on() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("fifo");
        let name = std::ffi::CString::new(fifo.to_string_lossy().as_bytes()).expect("name");
        // SAFETY: mkfifo reads a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        assert!(matches!(read(&fifo, 100), Err(Error::NotAFile(_))));
        assert!(matches!(read_text(dir.path()), Err(Error::NotAFile(_))));
        assert!(matches!(
            read_text_if_exists(&fifo),
            Err(Error::NotAFile(_))
        ));
        assert_eq!(
            read_text_if_exists(&dir.path().join("none")).expect("missing"),
            None
        );
    }

    #[test]
    fn a_private_copy_stays_in_its_own_directory_whatever_its_name() {
        for evil in [
            "/home/victim/.bash_profile",
            "../../../x",
            "..",
            "a/../../b",
        ] {
            let path = private_copy(evil, b"data").expect("copied");
            let dir = path.parent().expect("its directory");
            assert!(
                dir.parent() == Some(std::env::temp_dir().as_path()),
                "{evil:?} landed at {}",
                path.display()
            );
            assert_eq!(std::fs::read(&path).expect("copy"), b"data");
            std::fs::remove_dir_all(dir).expect("clean up");
        }
    }

    #[test]
    fn an_unfinished_file_leaves_nothing_behind() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("export.csv");
        {
            let mut f = create(&target, Overwrite::Replace).expect("create");
            f.write_all(b"half").expect("write");
        }
        assert!(list_dir(dir.path()).expect("list").is_empty());
        write(&target, b"whole", Overwrite::Never).expect("write");
        assert_eq!(std::fs::read(&target).expect("read"), b"whole");
    }
}

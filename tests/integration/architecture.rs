//! The house rule: front ends are clients of the service. `cli/` and `tui/`
//! must never use the store or rusqlite directly.

use std::path::Path;

use crate::common::rust_files;

#[test]
fn front_ends_never_import_the_store_or_rusqlite() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offenders = Vec::new();
    for front in ["cli", "tui"] {
        let files = rust_files(&src.join(front));
        assert!(!files.is_empty(), "no files under src/{front}");
        for file in files {
            let text = std::fs::read_to_string(&file).expect("read");
            for (n, line) in text.lines().enumerate() {
                if line.contains("crate::store")
                    || line.contains("rusqlite")
                    || line.contains("tdesk::store")
                {
                    offenders.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "front ends touching the store:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn pure_modules_do_no_io_and_read_no_clock() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offenders = Vec::new();
    for pure in ["domain", "workflow", "text", "sla", "rules", "interchange"] {
        for file in rust_files(&src.join(pure)) {
            let text = std::fs::read_to_string(&file).expect("read");
            for (n, line) in text.lines().enumerate() {
                let bad = [
                    "Utc::now",
                    "Local::now",
                    "std::fs",
                    "rusqlite",
                    "std::net",
                    "crate::store",
                    "crate::service",
                ];
                if bad.iter().any(|b| line.contains(b)) {
                    offenders.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "IO in pure modules:\n{}",
        offenders.join("\n")
    );
}

/// Enforced team mode hangs on this: a path a member names is opened only
/// by `userfile` (as the member), and the desk's own files only by the
/// desk's own code. Any other module that opens, reads, writes, lists,
/// renames or changes files by path fails here, so a new command cannot
/// quietly lend the desk's group to a member's path.
#[test]
fn only_the_file_edges_touch_files_by_path() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    // The desk's own files, member files, and root's set-up.
    let allowed = [
        "userfile.rs",
        "deskdir.rs",
        "store/",
        "service/attachments.rs",
        "config/mod.rs",
        "cli/install.rs",
    ];
    // A fixed path of the kernel's, not a member's.
    let exceptions = [
        ("tui/trace.rs", "\"/proc/self/status\""),
        // The type only; creating it goes through userfile.
        ("tui/trace.rs", "use std::fs::File;"),
    ];
    let touching = [
        "std::fs",
        " fs::",
        "(fs::",
        "File::",
        "OpenOptions",
        "DirBuilder",
        "hard_link",
        "canonicalize",
        "symlink_metadata",
    ];
    let mut offenders = Vec::new();
    for file in rust_files(&src) {
        let rel = file
            .strip_prefix(&src)
            .expect("under src")
            .to_string_lossy()
            .into_owned();
        if allowed.iter().any(|a| rel.starts_with(a)) || rel.ends_with("tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("read");
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("#[cfg(test)]") {
                break; // test modules come last and use temporary files
            }
            let excepted = exceptions
                .iter()
                .any(|(f, needle)| rel == *f && line.contains(needle));
            if !excepted && touching.iter().any(|t| line.contains(t)) {
                offenders.push(format!("src/{rel}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "files touched outside userfile/deskdir/store (open member paths with \
         crate::userfile, as the member):\n{}",
        offenders.join("\n")
    );
}

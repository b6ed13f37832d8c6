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

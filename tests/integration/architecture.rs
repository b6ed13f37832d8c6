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

/// The field names errors carry (`InvalidValue::new("shift", …)`,
/// `field: "format"`, `"field.title"`) are looked up in the catalogs; one
/// without a label would show as `??` ("Unknown ?? …").
#[test]
fn every_field_an_error_names_has_a_label_in_both_languages() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut named = std::collections::BTreeSet::new();
    for file in rust_files(&root.join("src")) {
        let text = std::fs::read_to_string(&file).expect("read");
        for marker in ["InvalidValue::new(", "field: ", "\"field."] {
            for (at, _) in text.match_indices(marker) {
                let rest = text[at + marker.len()..].trim_start();
                let Some(rest) = rest
                    .strip_prefix('"')
                    .or(marker.ends_with('.').then_some(rest))
                else {
                    continue; // a variable, not a name
                };
                let rest = rest.strip_prefix("field.").unwrap_or(rest);
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    named.insert(name);
                }
            }
        }
    }
    assert!(
        named.contains("priority") && named.contains("timezone"),
        "{named:?}"
    );
    for lang in ["en", "zh-CN"] {
        let path = root.join(format!("assets/i18n/{lang}.toml"));
        let catalog: toml::Table = std::fs::read_to_string(&path)
            .expect("catalog")
            .parse()
            .expect("catalog parses");
        let fields = catalog["field"].as_table().expect("[field] section");
        let missing: Vec<&String> = named.iter().filter(|n| !fields.contains_key(*n)).collect();
        assert!(missing.is_empty(), "{lang}: no label for {missing:?}");
    }
}

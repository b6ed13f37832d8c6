//! The house rule: front ends are clients of the service. `cli/` and `tui/`
//! must never use the store or rusqlite directly.

use std::path::Path;

use crate::common::rust_files;

/// The `use` statements of a file, each as one line with blanks removed
/// (`use crate::{store, service::Desk};` → `usecrate::{store,service::Desk};`),
/// with the line it starts on, and whether it is a re-export (`pub use`).
fn use_statements(text: &str) -> Vec<(usize, bool, String)> {
    let mut found = Vec::new();
    let mut current: Option<(usize, bool, String)> = None;
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if current.is_none() {
            let public = trimmed.starts_with("pub use ") || trimmed.starts_with("pub(crate) use ");
            if trimmed.starts_with("use ") || public {
                current = Some((n + 1, public, String::new()));
            }
        }
        if let Some((_, _, text)) = &mut current {
            text.extend(trimmed.chars().filter(|c| !c.is_whitespace()));
            if trimmed.ends_with(';') {
                found.extend(current.take());
            }
        }
    }
    found
}

/// The paths a `use` statement names, braces expanded:
/// `crate::{store::{Reader, Writer}, service}` → `crate::store::Reader`,
/// `crate::store::Writer`, `crate::service`.
fn use_paths(statement: &str) -> Vec<String> {
    let body = statement
        .trim_start_matches("pub(crate)")
        .trim_start_matches("pub")
        .trim_start_matches("use")
        .trim_end_matches(';');
    expand("", body)
}

fn expand(prefix: &str, tree: &str) -> Vec<String> {
    let Some(open) = tree.find('{') else {
        return vec![format!("{prefix}{tree}")];
    };
    let head = format!("{prefix}{}", &tree[..open]);
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| expand(&head, p))
        .collect()
}

#[test]
fn use_statements_are_read_whole_with_braces_expanded() {
    let text =
        "use crate::{\n    store::{Reader, Writer},\n    service::Desk,\n};\npub use super::x;\n";
    let uses = use_statements(text);
    assert_eq!(uses.len(), 2);
    assert_eq!(
        use_paths(&uses[0].2),
        [
            "crate::store::Reader",
            "crate::store::Writer",
            "crate::service::Desk"
        ]
    );
    assert!(uses[1].1, "a re-export");
}

/// `file:line: statement` for each `use` in `files` (re-exports only when
/// `public_only`) with a path `bad` holds for.
fn offending_uses(
    files: &[std::path::PathBuf],
    public_only: bool,
    bad: impl Fn(&str) -> bool,
) -> Vec<String> {
    let mut offenders = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).expect("read");
        for (n, public, statement) in use_statements(&text) {
            if (public || !public_only) && use_paths(&statement).iter().any(|p| bad(p)) {
                offenders.push(format!("{}:{n}: {statement}", file.display()));
            }
        }
    }
    offenders
}

/// Whether a used path reaches `module` (`crate::store`, `tdesk::store::X`,
/// `super::super::store`) or the crate `rusqlite`.
fn reaches(path: &str, module: &str) -> bool {
    let path = path.trim_start_matches("::");
    let mut segments = path
        .split("::")
        .skip_while(|s| matches!(*s, "crate" | "tdesk" | "super" | "self"));
    segments.next() == Some(module) || path.starts_with(&format!("{module}::")) || path == module
}

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
                // Paths written out in code, not only in `use`.
                if line.contains("crate::store")
                    || line.contains("rusqlite")
                    || line.contains("tdesk::store")
                {
                    offenders.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
        offenders.extend(offending_uses(&rust_files(&src.join(front)), false, |p| {
            reaches(p, "store") || reaches(p, "rusqlite")
        }));
    }
    assert!(
        offenders.is_empty(),
        "front ends touching the store:\n{}",
        offenders.join("\n")
    );
}

/// Nothing passes the store on: a `pub use` of a store type outside the
/// store would hand it to the front ends through the service.
#[test]
fn no_module_re_exports_the_store() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let store = src.join("store");
    let files: Vec<_> = rust_files(&src)
        .into_iter()
        .filter(|f| !f.starts_with(&store))
        .collect();
    let offenders = offending_uses(&files, true, |p| {
        reaches(p, "store") || reaches(p, "rusqlite")
    });
    assert!(
        offenders.is_empty(),
        "store re-exported:\n{}",
        offenders.join("\n")
    );
}

/// The two front ends are siblings: the TUI never reaches into the command
/// line (what both need — the session, opening the desk — is in `session`),
/// and the command line uses the TUI only to check a key map file.
#[test]
fn the_tui_never_uses_the_command_line() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let tui = rust_files(&src.join("tui"));
    let cli = rust_files(&src.join("cli"));
    let mut offenders = offending_uses(&tui, false, |p| p.starts_with("crate::cli"));
    offenders.extend(offending_uses(&cli, false, |p| {
        p.starts_with("crate::tui") && !p.starts_with("crate::tui::keymap")
    }));
    for file in &tui {
        let text = std::fs::read_to_string(file).expect("read");
        if text.contains("crate::cli::") {
            offenders.push(format!("{}: names crate::cli", file.display()));
        }
    }
    for file in &cli {
        let text = std::fs::read_to_string(file).expect("read");
        for (n, line) in text.lines().enumerate() {
            if line.contains("crate::tui::") && !line.contains("crate::tui::keymap") {
                offenders.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "front ends reaching into each other:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn pure_modules_do_no_io_and_read_no_clock() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offenders = Vec::new();
    for pure in [
        "domain",
        "workflow",
        "text",
        "sla",
        "rules",
        "interchange",
        "metrics",
    ] {
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

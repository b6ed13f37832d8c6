//! Catalog completeness: both languages parse, have the same keys and the
//! same placeholders, and every key the code uses exists.

use super::*;
use std::collections::BTreeSet;
use std::path::Path;

fn keys(source: &str) -> BTreeSet<String> {
    flatten_source(source).into_keys().collect()
}

fn placeholders(s: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = s;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        out.insert(after[..end].to_string());
        rest = &after[end + 1..];
    }
    out
}

#[test]
fn both_catalogs_parse_and_are_not_empty() {
    assert!(EN.parse::<toml::Table>().is_ok(), "en.toml parses");
    assert!(ZH_CN.parse::<toml::Table>().is_ok(), "zh-CN.toml parses");
    assert!(keys(EN).len() > 100);
}

#[test]
fn english_and_chinese_have_the_same_keys() {
    let en = keys(EN);
    let zh = keys(ZH_CN);
    let missing: Vec<_> = en.difference(&zh).collect();
    let extra: Vec<_> = zh.difference(&en).collect();
    assert!(missing.is_empty(), "missing in zh-CN: {missing:?}");
    assert!(extra.is_empty(), "only in zh-CN: {extra:?}");
}

#[test]
fn translations_keep_every_placeholder() {
    let en = flatten_source(EN);
    let zh = flatten_source(ZH_CN);
    for (k, v) in &en {
        let theirs = zh.get(k).map(|s| placeholders(s)).unwrap_or_default();
        assert_eq!(placeholders(v), theirs, "placeholders differ for {k}");
    }
}

/// Collects every string literal in src/ that looks like `section.key` where
/// `section` is a top-level table of the catalog.
fn used_keys(dir: &Path, sections: &BTreeSet<String>, out: &mut BTreeSet<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            used_keys(&path, sections, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            // Canned-reply variables (customer dot name) look like keys.
            let text: String = text
                .lines()
                .filter(|l| !l.ends_with("// template variable"))
                .collect::<Vec<_>>()
                .join("\n");
            for literal in text.split('"').skip(1).step_by(2) {
                let Some((section, rest)) = literal.split_once('.') else {
                    continue;
                };
                let plain = |s: &str| {
                    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                };
                if sections.contains(section) && plain(rest) {
                    out.insert(literal.to_string());
                }
            }
        }
    }
}

#[test]
fn every_key_the_code_uses_exists() {
    let sections: BTreeSet<String> = EN
        .parse::<toml::Table>()
        .map(|t| t.keys().cloned().collect())
        .unwrap_or_default();
    let mut used = BTreeSet::new();
    used_keys(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &sections,
        &mut used,
    );
    assert!(
        used.len() > 200,
        "found only {} keys; scanner broken?",
        used.len()
    );
    let en = keys(EN);
    let missing: Vec<_> = used.iter().filter(|k| !en.contains(*k)).collect();
    assert!(
        missing.is_empty(),
        "keys used in code but missing from en.toml: {missing:?}"
    );
}

#[test]
fn lookup_falls_back_and_fills_placeholders() {
    let zh = Catalog::new(Lang::ZhCn);
    assert_eq!(zh.t("no.such.key"), "??");
    let en = Catalog::new(Lang::En);
    assert_eq!(
        en.f("error.ticket_not_found", &[("id", &7)]),
        "Ticket #7 not found."
    );
}

#[test]
fn language_detection_order() {
    let env = |k: &str| match k {
        "LANG" => Some("zh_CN.UTF-8".to_string()),
        _ => None,
    };
    assert_eq!(Lang::detect(None, None, env), Lang::ZhCn);
    assert_eq!(Lang::detect(Some("en"), None, env), Lang::En);
    assert_eq!(Lang::detect(None, Some("en-GB"), env), Lang::En);
    assert_eq!(Lang::detect(Some("xx"), None, env), Lang::ZhCn);
    assert_eq!(Lang::detect(None, None, |_| None), Lang::En);
    let c_all = |k: &str| (k == "LC_ALL").then(|| "C".to_string());
    assert_eq!(Lang::detect(None, None, c_all), Lang::En);
}

#[test]
fn keys_built_at_run_time_exist() {
    use crate::domain::{Channel, Priority, Role, SortKey, Tier};
    let en = keys(EN);
    let mut wanted: Vec<String> = Vec::new();
    wanted.extend(
        Priority::ALL
            .iter()
            .map(|p| format!("priority.{}", p.as_str())),
    );
    wanted.extend(
        Channel::ALL
            .iter()
            .map(|c| format!("channel.{}", c.as_str())),
    );
    wanted.extend(Tier::ALL.iter().map(|t| format!("tier.{}", t.as_str())));
    wanted.extend(Role::ALL.iter().map(|r| format!("role.{}", r.as_str())));
    wanted.extend(
        SortKey::ALL
            .iter()
            .map(|k| format!("field.{}", crate::tui::app::sort_field(*k))),
    );
    wanted.extend(
        crate::domain::ChangeKind::ALL
            .iter()
            .map(|k| format!("change.{}", k.as_str())),
    );
    wanted.extend(Role::ALL.iter().map(|r| format!("role_a.{}", r.as_str())));
    for r in ["assignee", "resolution", "reason", "acceptance"] {
        wanted.push(format!("refusal.needs_{r}"));
    }
    for f in [
        "title",
        "description",
        "priority",
        "type",
        "category",
        "channel",
        "team",
        "tag",
        "resolution",
    ] {
        wanted.push(format!("field.{f}"));
    }
    let missing: Vec<_> = wanted.iter().filter(|k| !en.contains(*k)).collect();
    assert!(missing.is_empty(), "missing: {missing:?}");
}

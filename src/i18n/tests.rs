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

/// Collects string literals passed to `.t("…")`, `.f("…"` and `tr_key("…")` in src/.
fn used_keys(dir: &Path, out: &mut BTreeSet<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            used_keys(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for marker in [".t(\"", ".f(\"", "key: \"", "_key(\""] {
                for (i, _) in text.match_indices(marker) {
                    let rest = &text[i + marker.len()..];
                    if let Some(end) = rest.find('"') {
                        let key = &rest[..end];
                        if key.contains('.') && !key.contains(' ') && !key.contains('{') {
                            out.insert(key.to_string());
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn every_key_the_code_uses_exists() {
    let mut used = BTreeSet::new();
    used_keys(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut used);
    assert!(used.len() > 50, "found only {} keys; scanner broken?", used.len());
    let en = keys(EN);
    let missing: Vec<_> = used.iter().filter(|k| !en.contains(*k)).collect();
    assert!(missing.is_empty(), "keys used in code but missing from en.toml: {missing:?}");
}

#[test]
fn lookup_falls_back_and_fills_placeholders() {
    let zh = Catalog::new(Lang::ZhCn);
    assert_eq!(zh.t("no.such.key"), "no.such.key");
    let en = Catalog::new(Lang::En);
    assert_eq!(en.f("error.ticket_not_found", &[("id", &7)]), "Ticket #7 not found.");
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

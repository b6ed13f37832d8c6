//! Markdown made readable in a terminal: headings, bullets, numbered
//! steps, quotes and code kept as such; `**bold**` and `` `code` `` marks
//! dropped; links as `text <url>`. Lines are wrapped to a width by display
//! columns (CJK counts two), with bullets' text hanging under itself.
//! Pure; the text is sanitised.

use crate::text::{sanitize_line, width, wrap};

/// What a rendered line is, for its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Heading,
    Text,
    Quote,
    Code,
    Blank,
}

/// One rendered line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MdLine {
    pub kind: LineKind,
    pub text: String,
}

/// Inline marks removed: `**a**` → `a`, `` `b` `` → `b`, `[t](u)` → `t <u>`.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(r) = rest.strip_prefix("**").or_else(|| rest.strip_prefix("__")) {
            rest = r;
            continue;
        }
        if c == '`' {
            rest = &rest[1..];
            continue;
        }
        if c == '['
            && let Some(close) = rest.find("](")
            && let Some(end) = rest[close..].find(')')
        {
            let label = &rest[1..close];
            let url = &rest[close + 2..close + end];
            out.push_str(&format!("{label} <{url}>"));
            rest = &rest[close + end + 1..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    sanitize_line(&out).into_owned()
}

/// A numbered step's marker (`1.` or `1)`), if the line starts with one.
fn step_marker(line: &str) -> Option<(&str, &str)> {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    let (num, rest) = line.split_at(digits);
    let rest = rest
        .strip_prefix(". ")
        .or_else(|| rest.strip_prefix(") "))?;
    Some((num, rest))
}

/// Renders `markdown` into lines at most `cols` wide.
pub fn render(markdown: &str, cols: usize) -> Vec<MdLine> {
    let cols = cols.max(8);
    let mut out: Vec<MdLine> = Vec::new();
    let mut in_code = false;
    let push_wrapped = |out: &mut Vec<MdLine>, kind, first: &str, hang: &str, text: &str| {
        let room = cols.saturating_sub(width(first)).max(4);
        for (i, l) in wrap(text, room).into_iter().enumerate() {
            let lead = if i == 0 { first } else { hang };
            out.push(MdLine {
                kind,
                text: format!("{lead}{l}"),
            });
        }
    };
    for raw in markdown.lines() {
        let line = raw.trim_end();
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            out.push(MdLine {
                kind: LineKind::Code,
                text: crate::text::truncate(&format!("  {}", sanitize_line(line)), cols),
            });
            continue;
        }
        let trimmed = line.trim_start();
        let indent = " ".repeat((line.len() - trimmed.len()).min(6));
        if trimmed.is_empty() {
            if out.last().is_some_and(|l| l.kind != LineKind::Blank) {
                out.push(MdLine {
                    kind: LineKind::Blank,
                    text: String::new(),
                });
            }
        } else if let Some(h) = trimmed.strip_prefix('#') {
            let text = inline(h.trim_start_matches('#').trim());
            push_wrapped(&mut out, LineKind::Heading, "", "", &text);
        } else if let Some(item) = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
            .or_else(|| trimmed.strip_prefix("+ "))
        {
            let first = format!("{indent}• ");
            let hang = " ".repeat(width(&first));
            push_wrapped(&mut out, LineKind::Text, &first, &hang, &inline(item));
        } else if let Some((num, item)) = step_marker(trimmed) {
            let first = format!("{indent}{num}. ");
            let hang = " ".repeat(width(&first));
            push_wrapped(&mut out, LineKind::Text, &first, &hang, &inline(item));
        } else if let Some(q) = trimmed.strip_prefix('>') {
            push_wrapped(&mut out, LineKind::Quote, "│ ", "│ ", &inline(q.trim()));
        } else if trimmed.chars().all(|c| matches!(c, '-' | '*' | '_')) && trimmed.len() >= 3 {
            out.push(MdLine {
                kind: LineKind::Blank,
                text: "─".repeat(cols.min(40)),
            });
        } else {
            push_wrapped(&mut out, LineKind::Text, &indent, &indent, &inline(trimmed));
        }
    }
    while out.last().is_some_and(|l| l.kind == LineKind::Blank) {
        out.pop();
    }
    out
}

/// Headings of the parts of an article that are for agents only.
const AGENTS_ONLY: &[&str] = &[
    "for agents",
    "agents only",
    "internal",
    "internal notes",
    "客服须知",
    "仅限客服",
    "内部",
    "内部说明",
];

/// What of an article may go to a customer: everything but the sections
/// headed "For agents" / "客服须知" (down to the next heading of the same
/// or a higher level).
pub fn for_customers(markdown: &str) -> String {
    let level = |line: &str| line.chars().take_while(|c| *c == '#').count();
    let mut skipping: Option<usize> = None;
    let mut out = Vec::new();
    for line in markdown.lines() {
        let l = level(line.trim_start());
        if l > 0 {
            if skipping.is_some_and(|s| l <= s) {
                skipping = None;
            }
            let title = line.trim_start().trim_start_matches('#').trim();
            let title = title.trim_end_matches([':', '：']).to_lowercase();
            if skipping.is_none() && AGENTS_ONLY.contains(&title.as_str()) {
                skipping = Some(l);
            }
        }
        if skipping.is_none() {
            out.push(line);
        }
    }
    out.join("\n").trim_end().to_string()
}

/// An article's facts in one line: id · language · visibility · category ·
/// author, updated · how often it helped (sanitised).
pub fn article_facts<Tz: chrono::TimeZone>(
    wf: &crate::workflow::Workflow,
    cat: &crate::i18n::Catalog,
    a: &crate::domain::Article,
    tz: &Tz,
) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let mut facts = vec![
        a.slug.clone(),
        a.lang.clone(),
        cat.t(&format!("visibility.{}", a.visibility.as_str()))
            .to_string(),
    ];
    if let Some(c) = &a.category {
        facts.push(super::category_label(wf, cat, Some(c.as_str())));
    }
    facts.push(cat.f(
        "kb.byline",
        &[
            ("author", &a.author),
            ("at", &super::local_time(a.updated_at, tz)),
            ("helpful", &a.helpful),
        ],
    ));
    if !a.updated_by.is_empty() && a.updated_by != a.author {
        facts.push(cat.f("kb.changed_by", &[("login", &a.updated_by)]));
    }
    sanitize_line(&facts.join(" · ")).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(md: &str, cols: usize) -> Vec<String> {
        render(md, cols).into_iter().map(|l| l.text).collect()
    }

    #[test]
    fn marks_go_and_structure_stays() {
        let md = "## Who pays duty\n\n- **DDP:** paid at checkout\n1. Send us the `receipt`\n> quoted\n\nSee [the guide](https://example.com/g).";
        assert_eq!(
            texts(md, 80),
            [
                "Who pays duty",
                "",
                "• DDP: paid at checkout",
                "1. Send us the receipt",
                "│ quoted",
                "",
                "See the guide <https://example.com/g>."
            ]
        );
        assert_eq!(render(md, 80)[0].kind, LineKind::Heading);
    }

    #[test]
    fn wrapped_bullets_hang_and_chinese_is_measured_by_columns() {
        let lines = texts("- 包裹在海关滞留通常需要两到七个工作日", 14);
        assert!(lines.iter().all(|l| width(l) <= 14), "{lines:?}");
        assert!(
            lines[0].starts_with("• ") && lines[1].starts_with("  "),
            "{lines:?}"
        );
    }

    #[test]
    fn the_agents_part_never_goes_to_a_customer() {
        let md = "Intro\n\n## Steps\n\n1. Do it\n\n## For agents\n\n- VIP may skip\n### Detail\nmore\n\n## Contact\n\nMail us";
        assert_eq!(
            for_customers(md),
            "Intro\n\n## Steps\n\n1. Do it\n\n## Contact\n\nMail us"
        );
        assert_eq!(for_customers("说明\n## 客服须知：\n内部"), "说明");
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let lines = texts("# \u{1b}[31mred\n- \u{7}bell", 40);
        assert!(
            lines.iter().all(|l| !l.chars().any(char::is_control)),
            "{lines:?}"
        );
    }
}

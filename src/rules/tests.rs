//! The routing of a cross-border seller's desk, checked scenario by
//! scenario against the rules as a person reads them.

use super::*;

const RULES: &str = r#"
[[rule]]
name = "vip first"
when = { tier = "vip" }
then = { priority = "P1", tags = ["vip"] }

[[rule]]
name = "customs in Chinese"
when = { words = ["customs", "清关", "海关"], language = "zh" }
then = { team = "cn", assign = "least-loaded", tags = ["customs"], stop = true }

[[rule]]
name = "customs"
when = { words = ["customs", "清关", "海关"] }
then = { team = "eu", assign = "least-loaded", tags = ["customs"], stop = true }

[[rule]]
name = "Chinese speakers"
when = { language = "zh" }
then = { team = "cn", assign = "round-robin", stop = true }

[[rule]]
name = "marketplace refunds"
when = { channel = "marketplace", category = "refund/*" }
then = { team = "eu", assign = "emma", stop = true }

[[rule]]
name = "German speakers"
when = { language = "de" }
then = { team = "eu", assign = "round-robin", stop = true }

[[rule]]
name = "account problems"
when = { category = "account" }
then = { team = "na", assign = "least-loaded", stop = true }

[[rule]]
name = "everything else"
then = { team = "na", assign = "round-robin" }
"#;

fn agent(login: &str, team: &str, langs: &[&str], load: i64, last: i64) -> Agent {
    Agent {
        login: login.into(),
        team: Some(team.into()),
        active: true,
        on_shift: true,
        languages: langs.iter().map(|s| s.to_string()).collect(),
        load,
        last_routed: last,
    }
}

fn roster() -> Vec<Agent> {
    vec![
        agent("li.na", "cn", &["zh"], 3, 4),
        agent("zhang.wei", "cn", &["zh", "en"], 1, 9),
        Agent {
            on_shift: false,
            ..agent("chen.jie", "cn", &["zh"], 0, 1)
        },
        agent("emma", "eu", &["en", "de"], 2, 6),
        agent("lucas", "eu", &["en", "fr"], 0, 8),
        agent("anna", "eu", &["de"], 5, 2),
        agent("mike", "na", &["en"], 1, 7),
        agent("sofia", "na", &["en", "es"], 1, 3),
        Agent {
            active: false,
            ..agent("james", "na", &["en"], 0, 0)
        },
    ]
}

/// The rules as a person reads them, written out without the engine.
fn expected(f: &Facts) -> (Option<&'static str>, &'static str, Priority) {
    let text = f.text.to_lowercase();
    let customs = ["customs", "清关", "海关"].iter().any(|w| text.contains(w));
    let lang = f.language.as_deref().unwrap_or("");
    let cat = f.category.as_deref().unwrap_or("");
    let priority = if f.tier == Some(Tier::Vip) {
        Priority::P1
    } else {
        f.priority.unwrap_or(Priority::P2)
    };
    let (team, who) = if customs && lang == "zh" {
        // least loaded Chinese speaker on shift in cn: zhang.wei (1) over li.na (3)
        ("cn", "zhang.wei")
    } else if customs {
        // least loaded in eu, speaking the language when someone does
        match lang {
            "de" => ("eu", "emma"),
            "fr" => ("eu", "lucas"),
            _ => ("eu", "lucas"),
        }
    } else if lang == "zh" {
        // round robin: routed longest ago among cn on shift: li.na (4) before zhang.wei (9)
        ("cn", "li.na")
    } else if f.channel == Some(Channel::Marketplace)
        && (cat == "refund" || cat.starts_with("refund/"))
    {
        ("eu", "emma")
    } else if lang == "de" {
        // round robin among German speakers: anna (2) before emma (6)
        ("eu", "anna")
    } else if cat == "account" || cat.starts_with("account/") {
        // least loaded in na: mike and sofia both 1; sofia routed longer ago
        ("na", "sofia")
    } else {
        // round robin in na: sofia (3) before mike (7); Spanish: only sofia
        ("na", "sofia")
    };
    (Some(team), who, priority)
}

#[test]
fn two_hundred_and_more_scenarios_route_to_the_expected_agent() {
    let rules = RuleSet::parse(RULES).expect("rules");
    let roster = roster();
    let languages = [
        None,
        Some("zh"),
        Some("zh-CN"),
        Some("en"),
        Some("de"),
        Some("fr"),
        Some("es"),
    ];
    let channels = [
        Channel::Email,
        Channel::Marketplace,
        Channel::Chat,
        Channel::Phone,
    ];
    let categories = [
        None,
        Some("refund/partial"),
        Some("logistics/delay"),
        Some("account/login"),
    ];
    let texts = [
        "Where is my parcel?",
        "Parcel stuck in customs",
        "包裹在海关滞留两周",
    ];
    let tiers = [None, Some(Tier::Vip)];
    let mut scenarios = 0;
    let mut wrong = Vec::new();
    for lang in languages {
        for channel in channels {
            for category in categories {
                for text in texts {
                    for tier in tiers {
                        let f = Facts {
                            kind: "after-sales".into(),
                            category: category.map(String::from),
                            channel: Some(channel),
                            priority: Some(Priority::P2),
                            tier,
                            language: lang.map(String::from),
                            text: text.into(),
                            ..Facts::default()
                        };
                        // Normalise zh-CN to zh for the reading above.
                        let plain = Facts {
                            language: lang.map(|l| l.split('-').next().unwrap_or(l).to_string()),
                            ..f.clone()
                        };
                        let (team, who, priority) = expected(&plain);
                        let got = rules.route(&f, &roster);
                        scenarios += 1;
                        if got.team.as_deref() != team
                            || got.assignee.as_deref() != Some(who)
                            || got.priority != Some(priority)
                        {
                            wrong.push(format!(
                                "{lang:?} {channel:?} {category:?} {text:?} {tier:?}: got {:?}/{:?}/{:?}, want {team:?}/{who}/{priority:?}",
                                got.team, got.assignee, got.priority
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(scenarios >= 200, "{scenarios} scenarios");
    assert!(
        wrong.is_empty(),
        "{} of {scenarios} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn the_trace_says_which_rule_matched_and_why_the_others_did_not() {
    let rules = RuleSet::parse(RULES).expect("rules");
    let f = Facts {
        kind: "after-sales".into(),
        language: Some("de".into()),
        text: "Wrong size".into(),
        channel: Some(Channel::Email),
        ..Facts::default()
    };
    let out = rules.route(&f, &roster());
    assert_eq!(out.applied, vec!["German speakers"]);
    let customs = &out.trace[2];
    assert!(!customs.matched && !customs.checks[0].held);
    assert!(out.trace[7].skipped, "stopped before the catch-all");
}

#[test]
fn nobody_able_means_no_assignee_and_off_shift_or_inactive_agents_are_skipped() {
    let mut roster = roster();
    for a in roster
        .iter_mut()
        .filter(|a| a.team.as_deref() == Some("na"))
    {
        a.on_shift = false;
    }
    assert_eq!(pick(&Assign::RoundRobin, Some("na"), None, &roster), None);
    assert_eq!(
        pick(&Assign::LeastLoaded, Some("cn"), Some("zh"), &roster),
        Some("zhang.wei".into()),
        "chen.jie has no load but is off shift"
    );
}

#[test]
fn every_problem_of_a_rule_file_is_named_with_its_line() {
    let src = "[[rule]]\nname = \"a\"\nwhen = { channel = \"pigeon\", priority = \"P7\" }\nthen = { team = \"x\" }\n[[rule]]\nname = \"a\"\nthen = {}\n";
    let errors = RuleSet::parse(src).expect_err("broken");
    let got: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.key)).collect();
    assert_eq!(
        got,
        vec![
            (3, "rules.unknown_channel"),
            (3, "rules.unknown_priority"),
            (6, "rules.bad_name"),
            (7, "rules.no_action"),
        ]
    );
}

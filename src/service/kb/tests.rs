//! Knowledge-base tests: search in Chinese, pinyin and mixed text; the
//! suggestion quality on the labelled set; files in and out.

use std::sync::Arc;

use serde::Deserialize;

use super::*;
use crate::interchange::kb::parse_article;
use crate::service::{Clock, DEMO_ARTICLES, FixedClock, Identity};

fn desk() -> Desk {
    let clock: Arc<dyn Clock> = Arc::new(FixedClock::new(chrono::DateTime::UNIX_EPOCH));
    let who = Identity {
        login: "alice".into(),
        display_name: "Alice".into(),
    };
    let mut desk = Desk::open_in_memory(&who, clock).expect("desk");
    let files: Vec<(String, String)> = DEMO_ARTICLES
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    desk.kb_import(&files).expect("demo articles");
    desk
}

fn slugs(hits: &[KbHit]) -> Vec<&str> {
    hits.iter().map(|h| h.article.slug.as_str()).collect()
}

#[test]
fn search_finds_chinese_pinyin_english_and_mixed_words() {
    let d = desk();
    let zh = d.kb_search("清关", None).expect("search");
    assert_eq!(
        slugs(&zh).first(),
        Some(&"customs-delay"),
        "{:?}",
        slugs(&zh)
    );
    let pinyin = d.kb_search("tuikuan", None).expect("pinyin");
    assert!(
        slugs(&pinyin).contains(&"refund-timing"),
        "{:?}",
        slugs(&pinyin)
    );
    let en = d.kb_search("duty DDP", Some("en")).expect("english");
    assert_eq!(slugs(&en).first(), Some(&"customs-delay"));
    assert!(en.iter().all(|h| h.article.lang == "en"));
    let mixed = d.kb_search("PayPal 支付", None).expect("mixed");
    assert_eq!(
        slugs(&mixed).first(),
        Some(&"payment-failed"),
        "{:?}",
        slugs(&mixed)
    );
    assert!(d.kb_search("zzzz-nothing", None).expect("none").is_empty());
}

#[derive(Deserialize)]
struct Labelled {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    lang: String,
    title: String,
    description: String,
    category: Option<String>,
    expected: String,
}

/// The share of labelled tickets whose right article is among the three
/// suggested; the goal is 80 %.
#[test]
fn the_right_article_is_in_the_top_three_for_most_labelled_tickets() {
    let set: Labelled =
        toml::from_str(include_str!("../../../tests/fixtures/kb_labelled.toml")).expect("set");
    let articles: Vec<Article> = DEMO_ARTICLES
        .iter()
        .map(|(_, text)| {
            let doc = parse_article(text).expect("article");
            Article {
                slug: doc.id,
                lang: doc.lang,
                title: doc.title,
                body: doc.body,
                category: doc.category.and_then(|c| Category::parse(&c).ok()),
                tags: doc.tags,
                visibility: Visibility::Shareable,
                author: String::new(),
                created_at: chrono::DateTime::UNIX_EPOCH,
                updated_at: chrono::DateTime::UNIX_EPOCH,
                updated_by: String::new(),
                helpful: 0,
                tickets: Vec::new(),
            }
        })
        .collect();
    let mut found = 0;
    let mut first = 0;
    let mut blind = 0;
    let mut missed = Vec::new();
    for c in &set.case {
        let text = TicketText {
            title: &c.title,
            description: &c.description,
            category: c.category.as_deref(),
            language: Some(&c.lang),
        };
        // The same ticket before anyone gave it a category.
        let unfiled = TicketText {
            category: None,
            ..text.clone()
        };
        if slugs(&rank(&articles, &unfiled, SUGGESTIONS)).contains(&c.expected.as_str()) {
            blind += 1;
        }
        let hits = rank(&articles, &text, SUGGESTIONS);
        assert!(hits.iter().all(|h| same_language(&h.article.lang, &c.lang)));
        let got = slugs(&hits);
        if got.first() == Some(&c.expected.as_str()) {
            first += 1;
        }
        if got.contains(&c.expected.as_str()) {
            found += 1;
        } else {
            missed.push(format!("{} → {:?} (wanted {})", c.title, got, c.expected));
        }
    }
    let share = found as f64 / set.case.len() as f64;
    println!(
        "top-3: {found}/{} ({:.0} %), first: {first}, top-3 without categories: {blind}; missed: {missed:#?}",
        set.case.len(),
        share * 100.0
    );
    assert!(set.case.len() >= 60);
    assert!(share >= 0.8, "top-3 {share:.2}: {missed:#?}");
}

#[test]
fn export_then_import_changes_nothing_and_bad_files_write_nothing() {
    let mut d = desk();
    let files = d.kb_export().expect("export");
    assert_eq!(files.len(), DEMO_ARTICLES.len());
    let again = d.kb_import(&files).expect("import");
    assert_eq!(
        again,
        KbImportReport {
            added: 0,
            updated: 0,
            unchanged: files.len()
        }
    );
    let mut broken = files.clone();
    broken.push((
        "new.en.md".into(),
        "+++\nid = \"new\"\nlang = \"en\"\ntitle = \"New\"\n+++\nBody".into(),
    ));
    broken.push(("bad.md".into(), "no front matter".into()));
    let err = d.kb_import(&broken).expect_err("a bad file");
    assert!(matches!(err, Error::FileLine { line: 1, .. }), "{err:?}");
    assert!(d.kb_article("new", None).is_err(), "nothing written");
}

#[test]
fn drafting_from_a_ticket_carries_its_resolution_record() {
    let mut d = desk();
    d.set_automations("", "none").expect("no automations");
    let id = d
        .create_ticket(crate::domain::NewTicket {
            title: "Parcel stuck at customs".into(),
            category: Category::parse("logistics/customs").ok(),
            ..Default::default()
        })
        .expect("ticket");
    d.assign(id, Some("alice"), None).expect("take");
    let opts = crate::service::MoveOptions {
        note: Some("Sent the invoice to the carrier".into()),
        cause: Some("logistics".into()),
        prevention: Some("Invoice attached to every parcel".into()),
        ..Default::default()
    };
    d.move_ticket(id, "resolved", &opts).expect("resolve");
    let draft = d.kb_draft(None, None, Some(id)).expect("draft");
    let doc = parse_article(&draft).expect("reads");
    assert_eq!(doc.tickets, [id]);
    assert!(doc.body.contains("Sent the invoice") && doc.body.contains("Invoice attached"));
    assert!(doc.body.contains("Logistics"), "{}", doc.body);
    let saved = d.kb_add(&draft, "draft").expect("saved");
    assert_eq!(
        saved.category.as_ref().map(Category::as_str),
        Some("logistics/customs")
    );
    d.kb_solved(id, &saved.slug).expect("solved");
    assert_eq!(
        d.detail(id).expect("d").ticket.closure.solved_by.as_deref(),
        Some(saved.slug.as_str())
    );
}

#[test]
fn suggestions_follow_the_customers_language() {
    let d = desk();
    let articles = d.store.reader().kb_articles().expect("articles");
    let zh = TicketText {
        title: "退款什么时候到账",
        description: "退货已经签收一周了,钱还没退回来",
        category: None,
        language: None,
    };
    let hits = rank(&articles, &zh, 3);
    assert!(
        slugs(&hits).contains(&"refund-timing"),
        "{:?}",
        slugs(&hits)
    );
    assert!(hits.iter().all(|h| h.article.lang == "zh-CN"));
    // A German customer: no German articles, so English ones.
    let de = TicketText {
        language: Some("de"),
        ..zh
    };
    assert!(
        rank(&articles, &de, 3)
            .iter()
            .all(|h| h.article.lang == "en")
    );
}

#[test]
fn members_write_their_own_internal_articles_and_supervisors_the_rest() {
    use crate::domain::Role;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("desk.db");
    let clock: Arc<dyn Clock> = Arc::new(FixedClock::new(chrono::DateTime::UNIX_EPOCH));
    let who = |l: &str| Identity {
        login: l.into(),
        display_name: l.into(),
    };
    let (mut alice, _) = Desk::create(&path, &who("alice"), clock.clone()).expect("alice");
    alice.add_user("bob", None, Role::Agent, None).expect("bob");
    let (mut bob, _) = Desk::open(&path, &who("bob"), clock).expect("bob");
    let file = |id: &str, extra: &str| {
        format!(
            "+++\nid = \"{id}\"\nlang = \"en\"\ntitle = \"Refund rules\"\nauthor = \"alice\"\nhelpful = 99\nupdated = \"2019-05-05T00:00:00Z\"\n{extra}+++\nBody"
        )
    };
    // Bob's own article: his name, no borrowed count, today's date.
    let a = bob.kb_add(&file("bobs", ""), "f").expect("add");
    assert_eq!((a.author.as_str(), a.helpful), ("bob", 0));
    assert_ne!(a.updated_at.format("%Y").to_string(), "2019");
    assert!(matches!(
        bob.kb_add(&file("bobs", ""), "f"),
        Err(Error::ArticleExists(_))
    ));
    bob.kb_edit("bobs", &file("bobs", "").replace("Body", "New body"), "f")
        .expect("his own");
    let wrong = bob.kb_edit("bobs", &file("other", ""), "f");
    assert!(
        matches!(wrong, Err(Error::ArticleIdChanged { .. })),
        "{wrong:?}"
    );
    let blank = bob.kb_edit("bobs", &file("bobs", "").replace("Body", " "), "f");
    assert!(matches!(blank, Err(Error::Empty(_))), "{blank:?}");
    // Alice's article, anything shareable, imports and removal: supervisors.
    alice.kb_add(&file("alices", ""), "f").expect("alice adds");
    let forbidden = |r: Result<Article>| matches!(r, Err(Error::Forbidden { .. }));
    assert!(forbidden(bob.kb_edit("alices", &file("alices", ""), "f")));
    assert!(forbidden(
        bob.kb_add(&file("shared", "visibility = \"shareable\"\n"), "f")
    ));
    assert!(matches!(
        bob.kb_import(&[("f.md".into(), file("imp", ""))]),
        Err(Error::Forbidden { .. })
    ));
    assert!(matches!(
        bob.kb_remove("bobs", None),
        Err(Error::Forbidden { .. })
    ));
    // A supervisor's import restores a team's folder: authors and times as
    // filed; how often an article helped is this desk's own count.
    alice
        .kb_import(&[("f.md".into(), file("imp", ""))])
        .expect("import");
    let a = alice.kb_article("imp", None).expect("article");
    assert_eq!((a.author.as_str(), a.helpful), ("alice", 0));
    assert_eq!(a.updated_at.format("%Y").to_string(), "2019");
    assert_eq!(a.updated_by, "alice");
}

#[test]
fn an_article_helped_with_each_accepted_ticket_once() {
    let mut d = desk();
    d.set_automations("", "none").expect("no automations");
    let id = d
        .create_ticket(crate::domain::NewTicket {
            title: "Refund missing".into(),
            ..Default::default()
        })
        .expect("ticket");
    d.assign(id, Some("alice"), None).expect("take");
    let resolve = |d: &mut Desk| {
        let opts = crate::service::MoveOptions {
            note: Some("Refunded".into()),
            cause: Some("payment".into()),
            ..Default::default()
        };
        d.move_ticket(id, "resolved", &opts).expect("resolve");
        d.move_ticket(id, "pending_acceptance", &Default::default())
            .expect("ask");
    };
    let helped = |d: &Desk| {
        d.kb_article("refund-timing", Some("en"))
            .expect("a")
            .helpful
    };
    resolve(&mut d);
    d.kb_solved(id, "refund-timing").expect("solved");
    d.accept(id, Some(5), Some("thanks"), None).expect("accept");
    assert_eq!(helped(&d), 1);
    d.undo(None).expect("undo the acceptance");
    assert_eq!(helped(&d), 0, "no longer accepted");
    d.accept(id, Some(5), Some("thanks"), None).expect("again");
    assert_eq!(helped(&d), 1, "the same ticket counts once");
}

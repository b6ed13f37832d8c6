//! Store tests on in-memory and temporary databases.

use chrono::{TimeZone, Utc};

use super::*;
use crate::domain::{Channel, ListRequest, Priority, Query, Role, SortKey, Ticket, User};

fn t0() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0)
        .single()
        .expect("valid time")
}

fn ticket(title: &str, description: &str) -> Ticket {
    Ticket {
        id: 0,
        title: title.into(),
        description: description.into(),
        status: "new".into(),
        priority: Priority::P2,
        kind: "inquiry".into(),
        category: None,
        channel: Channel::Email,
        customer_id: None,
        assignee: None,
        team: None,
        tags: vec!["refund".into()],
        custom: Default::default(),
        resolution: None,
        accepted_at: None,
        rating: None,
        closure: Default::default(),
        created_at: t0(),
        updated_at: t0(),
        first_response_at: None,
        resolved_at: None,
        closed_at: None,
        version: 1,
        due_at: None,
        risk_at: None,
    }
}

fn insert(store: &mut Store, t: &Ticket) -> i64 {
    store.write(|w| w.insert_ticket(t)).expect("insert")
}

fn search(store: &Store, q: &str) -> Vec<i64> {
    let req = ListRequest {
        query: Query::parse(q).expect("query"),
        sort: SortKey::Number,
        dir: crate::domain::SortDir::Asc,
        limit: 100,
        offset: 0,
        group: None,
        backwards: false,
    };
    store
        .reader()
        .list(&req, &["new"])
        .expect("list")
        .into_iter()
        .map(|r| r.id)
        .collect()
}

#[test]
fn new_store_is_at_the_current_schema_version() {
    let store = Store::open_in_memory().expect("open");
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
    assert_eq!(store.integrity_check().expect("check"), "ok");
}

#[test]
fn stale_version_update_is_refused_and_changes_nothing() {
    let mut store = Store::open_in_memory().expect("open");
    let id = insert(&mut store, &ticket("Parcel late", ""));
    let update = TicketUpdate {
        title: Some("Parcel very late".into()),
        ..TicketUpdate::default()
    };
    assert!(
        store
            .write(|w| w.update_ticket(id, 1, &update, t0()))
            .expect("write")
    );
    let stale = TicketUpdate {
        title: Some("Overwrite".into()),
        ..TicketUpdate::default()
    };
    assert!(
        !store
            .write(|w| w.update_ticket(id, 1, &stale, t0()))
            .expect("write")
    );
    let t = store.reader().ticket(id).expect("read").expect("exists");
    assert_eq!((t.title.as_str(), t.version), ("Parcel very late", 2));
    assert_eq!(t.tags, vec!["refund".to_string()]);
}

#[test]
fn full_text_finds_chinese_long_and_short_terms_and_comments() {
    let mut store = Store::open_in_memory().expect("open");
    let a = insert(&mut store, &ticket("申请退款:商品与描述不符", "面料不一样"));
    let b = insert(
        &mut store,
        &ticket("Parcel stuck in customs", "order #A10293"),
    );
    let c = insert(&mut store, &ticket("Login problem", ""));
    store
        .write(|w| w.insert_comment(c, "li.na", "客户说验证码收不到", false, t0()))
        .expect("comment");
    assert_eq!(search(&store, "商品与描述"), vec![a]);
    assert_eq!(
        search(&store, "退款"),
        vec![a],
        "two-character query falls back to LIKE"
    );
    assert_eq!(search(&store, "customs"), vec![b]);
    assert_eq!(search(&store, "CUSTOMS"), vec![b], "case-insensitive");
    assert_eq!(search(&store, "验证码"), vec![c], "comments are searched");
    assert_eq!(search(&store, "-customs"), vec![a, c]);
    assert_eq!(search(&store, "\"50%_off\""), Vec::<i64>::new());
}

#[test]
fn search_index_follows_title_edits() {
    let mut store = Store::open_in_memory().expect("open");
    let id = insert(&mut store, &ticket("Wrong size", ""));
    let update = TicketUpdate {
        title: Some("尺码偏小".into()),
        ..TicketUpdate::default()
    };
    store
        .write(|w| w.update_ticket(id, 1, &update, t0()))
        .expect("update");
    assert!(search(&store, "Wrong size").is_empty());
    assert_eq!(search(&store, "尺码偏小"), vec![id]);
}

/// A "created" event on ticket `id`.
fn created_event(id: i64) -> NewEvent<'static> {
    NewEvent {
        ticket: Some(id),
        actor: "a",
        at: t0(),
        kind: crate::domain::EventKind::Created,
        field: None,
        old: None,
        new: Some("new"),
        change: None,
    }
}

#[test]
fn audit_log_is_append_only() {
    let mut store = Store::open_in_memory().expect("open");
    let id = insert(&mut store, &ticket("x", ""));
    store
        .write(|w| w.append_event(&created_event(id)))
        .expect("append");
    let err = store
        .write(|w| {
            w.tx.execute("UPDATE events SET actor = 'mallory'", [])?;
            Ok(())
        })
        .expect_err("update refused");
    assert!(err.to_string().contains("append-only"), "{err}");
    assert!(
        store
            .write(|w| Ok(w.tx.execute("DELETE FROM events", [])?))
            .is_err()
    );
    assert_eq!(store.reader().events(id).expect("events")[0].actor, "a");
}

#[test]
fn a_failed_write_rolls_back_everything() {
    let mut store = Store::open_in_memory().expect("open");
    let result: Result<()> = store.write(|w| {
        w.insert_ticket(&ticket("first", ""))?;
        Err(crate::Error::Empty("field.title"))
    });
    assert!(result.is_err());
    assert_eq!(store.reader().ticket_count().expect("count"), 0);
}

#[test]
fn events_are_numbered_upwards_across_writes_and_a_failed_write_takes_none() {
    let mut store = Store::open_in_memory().expect("open");
    let event = created_event;
    let first = store
        .write(|w| {
            let id = w.insert_ticket(&ticket("one", ""))?;
            let a = w.append_event(&event(id))?;
            let b = w.append_event(&event(id))?;
            assert_eq!(w.last_event_id()?, b);
            Ok((a, b))
        })
        .expect("write");
    assert_eq!(first.1, first.0 + 1);
    let failed: Result<()> = store.write(|w| {
        w.append_event(&event(1))?;
        Err(crate::Error::Empty("field.title"))
    });
    assert!(failed.is_err());
    assert_eq!(store.reader().last_event_id().expect("last"), first.1);
    let next = store.write(|w| w.append_event(&event(1))).expect("write");
    assert_eq!(
        next,
        first.1 + 1,
        "numbers go on where the last commit left them"
    );
}

#[test]
fn users_are_listed_admins_first() {
    let mut store = Store::open_in_memory().expect("open");
    for (login, role) in [
        ("zed", Role::Agent),
        ("amy", Role::Admin),
        ("bob", Role::Supervisor),
    ] {
        let u = User {
            login: login.into(),
            display_name: login.into(),
            role,
            team: None,
            active: true,
            level: crate::domain::Level::default(),
        };
        store.write(|w| w.insert_user(&u, t0())).expect("insert");
    }
    let logins: Vec<String> = store
        .reader()
        .users()
        .expect("users")
        .into_iter()
        .map(|u| u.login)
        .collect();
    assert_eq!(logins, ["amy", "bob", "zed"]);
}

#[test]
fn a_database_from_a_newer_tdesk_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("desk.db");
    Store::open(&path, crate::store::OpenMode::Create).expect("create");
    Store::execute_raw(
        &path,
        &format!("PRAGMA user_version = {}", SCHEMA_VERSION + 1),
    )
    .expect("bump");
    let err = Store::open(&path, crate::store::OpenMode::Create)
        .err()
        .expect("newer schema is refused");
    assert_eq!(
        err,
        crate::Error::NewerSchema {
            found: SCHEMA_VERSION + 1,
            supported: SCHEMA_VERSION
        }
    );
}

#[test]
fn partitioned_reads_give_exactly_the_sorted_order_every_way() {
    use crate::domain::{GroupBy, SortDir};
    let mut store = Store::open_in_memory().expect("store");
    let states = [
        "new",
        "in_progress",
        "waiting_customer",
        "closed",
        "legacy_state",
    ];
    let people = [None, Some("ann"), Some("bob")];
    for login in ["ann", "bob"] {
        let u = User {
            login: login.into(),
            display_name: login.into(),
            role: Role::Agent,
            team: None,
            active: true,
            level: crate::domain::Level::default(),
        };
        store.write(|w| w.insert_user(&u, t0())).expect("user");
    }
    for i in 0..60u32 {
        let words = ["parcel refund", "customs hold", "refund at customs"][(i % 3) as usize];
        let mut t = ticket(&format!("T{}", (i * 7) % 13), words);
        t.status = states[(i % 5) as usize].into();
        t.priority = Priority::ALL[(i % 4) as usize];
        t.assignee = people[(i % 3) as usize].map(String::from);
        t.team = people[((i / 3) % 3) as usize].map(String::from);
        // Ties on purpose: several tickets share an update time.
        t.updated_at = t0() + chrono::Duration::minutes(i64::from((i * 11) % 17));
        insert(&mut store, &t);
    }
    // "legacy_state" is not in the workflow: it must come after the known ones.
    let order = ["new", "in_progress", "waiting_customer", "closed"];
    let groups = [
        None,
        Some(GroupBy::State),
        Some(GroupBy::Priority),
        Some(GroupBy::Assignee),
    ];
    let reader = store.reader();
    for sort in SortKey::ALL {
        for dir in [SortDir::Asc, SortDir::Desc] {
            for group in groups {
                for query in [
                    "",
                    "-status:closed",
                    "priority:P0|P2",
                    "status:new|closed|legacy_state priority:P0..P2",
                    "refund",
                    "customs refund -parcel status:new|closed",
                    "-customs",
                ] {
                    let all = ListRequest {
                        query: Query::parse(query).expect("query"),
                        sort,
                        dir,
                        limit: 100,
                        offset: 0,
                        group,
                        backwards: false,
                    };
                    let ids = |rows: Vec<crate::domain::TicketRow>| -> Vec<i64> {
                        rows.into_iter().map(|r| r.id).collect()
                    };
                    let sorted = ids(reader.list_sorting(&all, &order).expect("sorted"));
                    let read = ids(reader.list(&all, &order).expect("read"));
                    let case = format!("{sort:?} {dir:?} {group:?} {query:?}");
                    assert_eq!(read, sorted, "{case}");
                    // A window in the middle, forwards and backwards.
                    let window = ListRequest {
                        offset: 7,
                        limit: 9,
                        ..all.clone()
                    };
                    let want: Vec<i64> = sorted.iter().skip(7).take(9).copied().collect();
                    assert_eq!(
                        ids(reader.list(&window, &order).expect("w")),
                        want,
                        "{case}"
                    );
                    let n = sorted.len();
                    if n >= 16 {
                        let backwards = ListRequest {
                            offset: n - 16,
                            limit: 9,
                            backwards: true,
                            ..all.clone()
                        };
                        let mut got = ids(reader.list(&backwards, &order).expect("b"));
                        got.reverse();
                        assert_eq!(got, sorted[7..16].to_vec(), "{case} backwards");
                    }
                }
            }
        }
    }
}

#[test]
fn customers_of_a_bulk_load_get_their_address_and_number_as_handles() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("old.db");
    Store::create_at_version(&path, 16).expect("old desk");
    // What the demo loader of that version left: the address and number on
    // the customer row only, the number written with spaces.
    Store::execute_raw(
        &path,
        "INSERT INTO customers (name, email, phone, tier, created_at, name_pinyin) \
         VALUES ('Lena', 'lena@example.de', '+49 170 1234567', 'normal', 0, '')",
    )
    .expect("raw customer");
    let store = Store::open(&path, OpenMode::Existing).expect("migrated");
    let r = store.reader();
    assert!(
        r.customer_by_handle("email", "lena@example.de")
            .expect("read")
            .is_some()
    );
    assert!(
        r.customer_by_handle("phone", "+491701234567")
            .expect("read")
            .is_some()
    );
}

#[test]
fn per_ticket_reads_reuse_their_prepared_statements() {
    let mut store = Store::open_in_memory().expect("store");
    let ids: Vec<i64> = (0..4)
        .map(|i| insert(&mut store, &ticket(&format!("t{i}"), "")))
        .collect();
    for &id in &ids {
        let r = store.reader();
        r.ticket(id).expect("ticket");
        r.events(id).expect("events");
        r.watchers(id).expect("watchers");
        r.comments(id).expect("comments");
        r.attachments(id).expect("attachments");
        r.ticket_mail(id).expect("outbox");
        r.message_ids(id).expect("mail");
        r.escalations(id).expect("escalations");
    }
    let cache = [
        "SELECT tag FROM ticket_tags WHERE ticket_id = +?1 ORDER BY tag".to_string(),
        "SELECT login FROM watches WHERE ticket_id = +?1 ORDER BY login".to_string(),
        "SELECT step FROM escalations WHERE ticket_id = +?1 ORDER BY step".to_string(),
        format!(
            "SELECT {} FROM events WHERE ticket_id = +?1 ORDER BY id",
            rows::EVENT_COLUMNS
        ),
        format!(
            "SELECT {} FROM comments WHERE ticket_id = +?1 ORDER BY id",
            rows::COMMENT_COLUMNS
        ),
    ];
    for sql in cache {
        let stmt = store.conn.prepare_cached(&sql).expect("cached");
        assert_eq!(
            stmt.get_status(rusqlite::StatementStatus::RePrepare),
            0,
            "{sql} was prepared again"
        );
    }
}

#[test]
fn tickets_indexed_after_a_deferred_chunk_are_found_once_and_later_ones_at_once() {
    let mut store = Store::open_in_memory().expect("store");
    let ids = store
        .write(|w| {
            w.defer_search_index()?;
            let a = w.insert_ticket(&ticket("Parcel stuck in customs", "清关延误"))?;
            let b = w.insert_ticket(&ticket("Wrong size", "EU 38 runs small"))?;
            w.index_new_tickets(&[a, b])?;
            Ok(vec![a, b])
        })
        .expect("chunk");
    assert_eq!(search(&store, "customs"), vec![ids[0]]);
    assert_eq!(search(&store, "清关"), vec![ids[0]]);
    assert_eq!(search(&store, "small"), vec![ids[1]]);
    // Indexing one by one is back on.
    let c = insert(&mut store, &ticket("Customs again", ""));
    assert_eq!(search(&store, "customs"), vec![ids[0], c]);
    let integrity: String = store
        .conn
        .query_row(
            "INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1) RETURNING 'ok'",
            [],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| e.to_string());
    assert_eq!(integrity, "ok");
}

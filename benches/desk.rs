//! In-process benchmarks of what a user waits for: the first page of a
//! filter or a search, a key press through to a drawn frame, a write.
//!
//! The desk is `TDESK_BENCH_DB` (make one with `tdesk demo`; scripts/bench.sh
//! does, at 100k and 1M tickets) or, by default, a 2,000-ticket demo desk
//! built in a temporary directory, which is what CI runs to prove the
//! benchmarks still work (`cargo test --benches` runs each once).

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use chrono::Utc;
use divan::Bencher;
use tdesk::domain::{ListRequest, Query, SortDir, SortKey};
use tdesk::i18n::{Catalog, Lang};
use tdesk::service::{Desk, Identity, MoveOptions, SystemClock};
use tdesk::tui::harness::Harness;

fn main() {
    divan::main();
    let _ = std::fs::remove_dir_all(scratch_dir());
}

/// Where the default desk is built; removed when the benchmarks end.
fn scratch_dir() -> PathBuf {
    std::env::temp_dir().join(format!("tdesk-bench-{}", std::process::id()))
}

/// The desk every benchmark opens (built once when not given).
fn desk_path() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        if let Some(path) = std::env::var_os("TDESK_BENCH_DB") {
            return PathBuf::from(path);
        }
        let dir = scratch_dir();
        std::fs::create_dir_all(&dir).expect("bench dir");
        let path = dir.join("desk.db");
        let (mut desk, _) = Desk::create(&path, &who(), Arc::new(SystemClock)).expect("desk");
        desk.load_demo(2_000, 42).expect("demo");
        path
    })
}

fn who() -> Identity {
    // Whoever made the desk with `tdesk demo` is its first admin.
    Identity::current()
}

fn open() -> Desk {
    Desk::open(desk_path(), &who(), Arc::new(SystemClock))
        .expect("open the bench desk")
        .0
}

fn first_page(query: Query, sort: SortKey) -> ListRequest {
    ListRequest {
        query,
        sort,
        dir: SortDir::Desc,
        limit: 50,
        offset: 0,
        group: None,
        backwards: false,
    }
}

/// Filters on indexed fields: the list's first page, as the TUI loads it.
#[divan::bench(args = [
    "status:open",
    "priority:P0",
    "team:eu",
    "assignee:agent12.eu",
    "status:open priority:P0..P1 team:cn",
    "created:<7d",
    "updated:<2h",
    "due:today",
    "sla:at-risk",
    "tag:refund",
])]
fn filter(bencher: Bencher, text: &str) {
    let desk = open();
    let query = desk.parse_query(text).expect("query");
    bencher.bench_local(|| {
        desk.list(&first_page(query.clone(), SortKey::Updated))
            .expect("list")
    });
}

/// Full-text search, first page newest first: trigram index for 3+
/// characters, a scan for 1–2 characters, pinyin keys and initials.
#[divan::bench(args = [
    "refund",
    "customs",
    "parcel never",
    "退款申请",
    "海关滞留",
    "退款",
    "tuikuan",
    "tk",
])]
fn search(bencher: Bencher, text: &str) {
    let desk = open();
    let query = desk.parse_query(text).expect("query");
    bencher.bench_local(|| desk.search(&query, 50).expect("search"));
}

/// A key press in the TUI through to the drawn frame, at 120x40.
#[divan::bench(args = ["j", "pagedown", "G", "g", "tab", "enter"])]
fn key_to_frame(bencher: Bencher, key: &str) {
    let mut h = Harness::with_worker(open(), Catalog::new(Lang::En), (120, 40), Utc::now())
        .expect("harness");
    h.settle();
    let back = match key {
        "G" => "g",
        "g" => "G",
        "enter" => "esc",
        "pagedown" => "pageup",
        _ => "",
    };
    bencher.bench_local(|| {
        h.press(key);
        h.draw();
        h.press(back);
    });
}

/// Opening a desk to the first drawn frame (the list's first window; counts
/// and the board arrive later from the worker).
#[divan::bench]
fn first_frame(bencher: Bencher) {
    bencher.bench_local(|| {
        let mut h = Harness::with_worker(open(), Catalog::new(Lang::En), (120, 40), Utc::now())
            .expect("harness");
        h.draw();
        h
    });
}

/// A new ticket, and a status change, each a whole transaction with history.
#[divan::bench]
fn add_and_move(bencher: Bencher) {
    let mut desk = open();
    bencher.bench_local(|| {
        let id = desk
            .create_ticket(tdesk::domain::NewTicket {
                title: "Bench: where is my parcel?".into(),
                ..Default::default()
            })
            .expect("add");
        desk.move_ticket(
            id,
            "closed",
            &MoveOptions {
                note: Some("bench".into()),
                ..Default::default()
            },
        )
        .expect("move");
    });
}

/// Counting a whole filter (off the input path, on the worker).
#[divan::bench(args = ["", "status:open"])]
fn count(bencher: Bencher, text: &str) {
    let desk = open();
    let query = desk.parse_query(text).expect("query");
    bencher.bench_local(|| desk.count(&query).expect("count"));
}

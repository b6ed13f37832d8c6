//! A fixture desk of six tickets whose figures are worked out by hand in
//! the comments: the expected values are not computed by the code under test.

use chrono::{FixedOffset, TimeZone, Utc};

use super::*;

fn h(day: u32, hour: u32) -> i64 {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0)
        .single()
        .expect("valid")
        .timestamp_millis()
}

struct Desk {
    names: Names,
    facts: Vec<Fact>,
}

fn blank(names: &mut Names, id: i64, created: i64) -> Fact {
    Fact {
        id,
        created,
        status: names.id("closed"),
        standing: Standing::Closed,
        priority: 2,
        kind: names.id("question"),
        category: None,
        channel: names.id("email"),
        customer: None,
        country: None,
        tier: None,
        assignee: None,
        team: None,
        first_response: None,
        resolved: None,
        closed: None,
        response_secs: None,
        resolve_secs: None,
        response_late: false,
        resolve_late: false,
        replies: 0,
        reopens: 0,
        reopened: None,
        rating: None,
        accepted: None,
        accepted_by: None,
        with_article: false,
        cause: None,
        due: None,
    }
}

/// Week 47 of 2026 is 16–22 November; week 46 the one before.
fn desk() -> Desk {
    let mut n = Names::default();
    let ann = n.id("ann");
    let (customs, delay, defect) = (
        n.id("logistics/customs"),
        n.id("logistics/delay"),
        n.id("product/defect"),
    );
    let (eu, cn) = (n.id("eu"), n.id("cn"));
    let mut facts = Vec::new();
    // 1: answered in 1 h, solved in 6 h (one reply, with an article), rated 5.
    let mut t = blank(&mut n, 1, h(16, 9));
    t.category = Some(customs);
    t.customer = Some(100);
    t.team = Some(eu);
    t.assignee = Some(ann);
    (t.first_response, t.response_secs) = (Some(h(16, 10)), Some(3600));
    (t.resolved, t.resolve_secs) = (Some(h(16, 15)), Some(21_600));
    t.closed = Some(h(17, 9));
    t.replies = 1;
    (t.accepted, t.rating, t.accepted_by) = (Some(h(17, 9)), Some(5), Some(n.id("customer")));
    t.cause = Some(n.id("logistics"));
    t.with_article = true;
    facts.push(t);
    // 2: both clocks late, reopened once, accepted by silence.
    let mut t = blank(&mut n, 2, h(17, 9));
    t.category = Some(delay);
    t.customer = Some(100);
    t.team = Some(eu);
    t.assignee = Some(ann);
    (t.first_response, t.response_secs) = (Some(h(17, 13)), Some(14_400));
    (t.resolved, t.resolve_secs) = (Some(h(19, 9)), Some(108_000));
    (t.response_late, t.resolve_late) = (true, true);
    t.closed = Some(h(20, 9));
    (t.replies, t.reopens, t.reopened) = (3, 1, Some(h(18, 9)));
    (t.accepted, t.accepted_by) = (Some(h(20, 9)), Some(n.id("silence")));
    t.cause = Some(n.id("logistics"));
    facts.push(t);
    // 3: the same customer and category as 1 two days later; open, breached.
    let mut t = blank(&mut n, 3, h(18, 9));
    (t.status, t.standing) = (n.id("in_progress"), Standing::Open);
    t.category = Some(customs);
    t.customer = Some(100);
    t.team = Some(eu);
    t.assignee = Some(n.id("bob"));
    (t.first_response, t.response_secs) = (Some(h(18, 9) + 1_800_000), Some(1800));
    t.due = Some(h(25, 0));
    facts.push(t);
    // 4: created the week before, solved late in week 47.
    let mut t = blank(&mut n, 4, h(10, 9));
    (t.status, t.standing) = (n.id("resolved"), Standing::Resolved);
    t.category = Some(defect);
    t.customer = Some(200);
    t.team = Some(cn);
    t.assignee = Some(n.id("cai"));
    (t.first_response, t.response_secs) = (Some(h(10, 10)), Some(3600));
    (t.resolved, t.resolve_secs, t.resolve_late) = (Some(h(18, 10)), Some(50_000), true);
    t.replies = 1;
    t.cause = Some(n.id("product-defect"));
    facts.push(t);
    // 5: created the week before, still new, due tomorrow.
    let mut t = blank(&mut n, 5, h(12, 9));
    (t.status, t.standing) = (n.id("new"), Standing::Open);
    t.category = Some(defect);
    t.customer = Some(300);
    t.team = Some(cn);
    t.due = Some(h(26, 0));
    facts.push(t);
    // 6: a chat late on Sunday, nobody's yet.
    let mut t = blank(&mut n, 6, h(22, 23));
    (t.status, t.standing) = (n.id("new"), Standing::Open);
    t.channel = n.id("chat");
    facts.push(t);
    Desk { names: n, facts }
}

fn metrics() -> Metrics {
    let d = desk();
    let utc = FixedOffset::east_opt(0).expect("valid");
    let period = Period::parse_week("2026-W47", utc).expect("valid");
    compute(&d.facts, &d.names, &Spec::new(period, h(25, 12)))
}

#[test]
fn volume_counts_what_happened_in_the_week_and_the_backlog_at_its_end() {
    let m = metrics();
    let c = &m.current;
    // Created 1, 2, 3, 6; answered 1, 2, 3; solved 1, 2, 4; closed 1, 2;
    // reopened 2; open at the end: 3, 5, 6.
    assert_eq!(
        (
            c.created,
            c.first_responded,
            c.solved,
            c.closed,
            c.reopened,
            c.backlog_end
        ),
        (4, 3, 3, 2, 1, 3)
    );
    // Week 46: created 4 and 5, answered 4, nothing solved; open at its end 4 and 5.
    let b = &m.before;
    assert_eq!(
        (b.created, b.first_responded, b.solved, b.backlog_end),
        (2, 1, 0, 2)
    );
    assert_eq!(b.reopen_rate, None, "nothing solved: no rate, not zero");
}

#[test]
fn speed_is_median_mean_and_p90_of_business_seconds() {
    let c = metrics().current;
    // Responses 1800, 3600, 14400.
    assert_eq!(
        (c.response.median, c.response.mean, c.response.p90),
        (Some(3600), Some(6600), Some(14_400))
    );
    // Solutions 21600, 50000, 108000: mean 59866.67.
    assert_eq!(
        (c.resolution.median, c.resolution.mean, c.resolution.p90),
        (Some(50_000), Some(59_866), Some(108_000))
    );
    assert_eq!(c.response_attainment, Some(2.0 / 3.0));
    assert_eq!(c.resolve_attainment, Some(1.0 / 3.0));
    // Wall clock: answered within 2 h: 1 (1 h) and 3 (30 min); solved
    // within 24 h: only 1.
    assert_eq!(c.response_within_goal, Some(2.0 / 3.0));
    assert_eq!(c.solved_within_goal, Some(1.0 / 3.0));
}

#[test]
fn quality_counts_reopens_one_touch_repeats_ratings_and_articles() {
    let c = metrics().current;
    assert_eq!(c.reopen_rate, Some(1.0 / 3.0));
    assert_eq!(c.one_touch, Some(2.0 / 3.0), "1 and 4 had one reply");
    assert_eq!(c.repeat_ratio, Some(1.0 / 3.0), "3 repeats 1");
    assert_eq!(c.csat_distribution, [0, 0, 0, 0, 1]);
    assert_eq!(c.csat_average, Some(5.0));
    assert_eq!((c.accepted_by_customer, c.accepted_by_silence), (1, 1));
    assert_eq!(c.with_article, Some(1.0 / 3.0));
    assert_eq!(metrics().before.repeat_ratio, Some(0.0));
}

#[test]
fn the_backlog_now_is_by_state_and_age() {
    let m = metrics();
    let states: Vec<(&str, u64)> = m
        .backlog_states
        .iter()
        .map(|c| (c.key.as_str(), c.count))
        .collect();
    assert_eq!(states, [("new", 2), ("in_progress", 1)]);
    // On the 25th at noon: 3 is 171 h old, 5 is 13 days, 6 is 61 h.
    let ages: Vec<u64> = m.backlog_ages.iter().map(|c| c.count).collect();
    assert_eq!(ages, [0, 1, 0, 2, 0]);
}

#[test]
fn pareto_rows_are_sorted_with_cumulative_shares() {
    let m = metrics();
    let cats: Vec<(&str, u64, f64)> = m
        .pareto_categories
        .iter()
        .map(|r| (r.key.as_str(), r.count, r.cumulative))
        .collect();
    assert_eq!(cats, [("logistics", 3, 0.75), ("none", 1, 1.0)]);
    let causes: Vec<(&str, u64)> = m
        .pareto_causes
        .iter()
        .map(|r| (r.key.as_str(), r.count))
        .collect();
    assert_eq!(causes, [("logistics", 2), ("product-defect", 1)]);
    assert_eq!(m.pareto_causes[0].share, 2.0 / 3.0);
}

#[test]
fn agents_and_teams_get_their_own_rows() {
    let m = metrics();
    let agents: Vec<(&str, u64, u64)> = m
        .agents
        .iter()
        .map(|r| (r.key.as_str(), r.handled, r.open))
        .collect();
    assert_eq!(agents, [("ann", 2, 0), ("cai", 1, 0), ("bob", 0, 1)]);
    let ann = &m.agents[0];
    assert_eq!(
        (ann.response.median, ann.resolution.median),
        (Some(3600), Some(21_600))
    );
    assert_eq!(
        (ann.attainment, ann.csat, ann.reopened),
        (Some(0.5), Some(5.0), 1)
    );
    assert_eq!(m.agents[1].attainment, Some(0.0));
    let teams: Vec<(&str, u64, u64)> = m
        .teams
        .iter()
        .map(|r| (r.key.as_str(), r.handled, r.open))
        .collect();
    assert_eq!(teams, [("eu", 2, 1), ("cn", 1, 1)]);
}

#[test]
fn breakdowns_series_and_ticket_lists() {
    let m = metrics();
    let channel = &m.breakdowns[0];
    assert_eq!(channel.dimension, "channel");
    let rows: Vec<(&str, u64, u64, u64)> = channel
        .rows
        .iter()
        .map(|r| (r.key.as_str(), r.created, r.solved, r.open))
        .collect();
    assert_eq!(rows, [("email", 3, 3, 2), ("chat", 1, 0, 1)]);
    assert_eq!(m.daily.len(), 30);
    let last = m.daily.last().expect("days");
    assert_eq!((last.date.as_str(), last.created), ("2026-11-22", 1));
    let day = |d: &str| m.daily.iter().find(|r| r.date == d).expect("day");
    assert_eq!(
        (day("2026-11-16").created, day("2026-11-16").solved),
        (1, 1)
    );
    assert_eq!(day("2026-11-17").csat, Some(5.0));
    let worst: Vec<(i64, bool)> = m.worst.iter().map(|t| (t.id, t.breached)).collect();
    assert_eq!(worst, [(3, true), (5, false), (6, false)]);
    let soon: Vec<i64> = m.at_risk.iter().map(|t| t.id).collect();
    assert_eq!(soon, [5]);
}

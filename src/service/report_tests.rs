//! What reports read is kept in the writing transaction: after any sequence
//! of changes, hours apart, the clock outcomes stored on a ticket equal a
//! recomputation from its history; and reports are scoped by role.

use chrono::Duration;

use super::sla::{clocks, stored_outcomes};
use super::tests::{act_strategy, desk, new_ticket, perform};

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]

    #[test]
    fn stored_clock_outcomes_equal_a_recomputation(
        acts in proptest::collection::vec((act_strategy(), 0i64..900), 1..20),
        undo_at in proptest::option::of(0usize..20),
    ) {
        let (mut desk, clock) = desk();
        let id = desk.create_ticket(new_ticket("Parcel late")).expect("ticket");
        for (i, (act, minutes)) in acts.iter().enumerate() {
            clock.advance(Duration::minutes(*minutes));
            let _ = perform(&mut desk, id, act);
            if undo_at == Some(i) {
                let _ = desk.undo(None);
            }
        }
        let reader = desk.store.reader();
        let ticket = reader.ticket(id).expect("read").expect("ticket");
        let fresh = clocks(&reader, &desk.sla, &ticket, desk.clock.now()).expect("clocks");
        proptest::prop_assert_eq!(
            reader.stored_outcomes(id).expect("stored"),
            stored_outcomes(&fresh.outcomes),
            "after {:?}", acts
        );
    }
}

/// A desk from before reports kept clock outcomes: the report works them
/// out from the history and gives the same figures, and says it did.
#[test]
fn outcomes_missing_from_an_older_desk_are_worked_out_the_same() {
    use super::tests::resolution;
    let (mut desk, clock) = desk();
    let mut ids = Vec::new();
    for title in ["Parcel late", "Refund missing", "Wrong size"] {
        let id = desk.create_ticket(new_ticket(title)).expect("ticket");
        desk.assign(id, Some("alice"), None).expect("assign");
        ids.push(id);
    }
    clock.advance(Duration::minutes(50));
    for &id in &ids[..2] {
        desk.comment(id, "We are on it.", false).expect("reply");
    }
    clock.advance(Duration::hours(3));
    desk.move_ticket(ids[0], "resolved", &resolution("Found it"))
        .expect("resolve");
    let period = crate::metrics::Period::last_days(
        desk.clock.now().timestamp_millis(),
        7,
        chrono::FixedOffset::east_opt(0).expect("utc"),
    );
    let stored = desk.report(period).expect("report");
    assert_eq!(stored.outcomes_computed, 0);
    assert_eq!(stored.metrics.current.first_responded, 2);
    for &id in &ids {
        desk.store
            .write(|w| w.set_clock_outcomes(id, None, None, 0))
            .expect("forget");
    }
    let worked_out = desk.report(period).expect("report");
    assert_eq!(worked_out.outcomes_computed, 2, "two answered, one solved");
    assert_eq!(worked_out.outcomes_missing, 0);
    assert_eq!(worked_out.metrics.current, stored.metrics.current);
}

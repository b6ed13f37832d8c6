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

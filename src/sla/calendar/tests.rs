use super::*;
use proptest::prelude::*;

/// Zones with DST on both hemispheres, a 30-minute DST shift, a 45-minute
/// offset, and none at all.
const ZONES: [Tz; 8] = [
    Tz::UTC,
    Tz::Europe__Berlin,
    Tz::America__New_York,
    Tz::Asia__Shanghai,
    Tz::Australia__Lord_Howe,
    Tz::America__Sao_Paulo,
    Tz::Pacific__Chatham,
    Tz::America__Santiago,
];

/// Days around DST changes in 2026 (and ordinary days).
const AROUND: [(i32, u32, u32); 8] = [
    (2026, 3, 8),
    (2026, 3, 29),
    (2026, 4, 5),
    (2026, 9, 6),
    (2026, 9, 27),
    (2026, 10, 25),
    (2026, 11, 1),
    (2026, 7, 15),
];

fn t(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .expect("valid")
}

fn office(tz: Tz) -> Calendar {
    let day = vec![(9 * 60, 18 * 60)];
    Calendar {
        tz,
        week: [
            day.clone(),
            day.clone(),
            day.clone(),
            day.clone(),
            day,
            Vec::new(),
            Vec::new(),
        ],
        holidays: BTreeSet::new(),
        always: false,
    }
}

/// The definition, one minute at a time.
fn reference_minutes(cal: &Calendar, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    let mut n = 0;
    let mut m = from;
    while m < to {
        if cal.is_open(m) {
            n += 1;
        }
        m += Duration::minutes(1);
    }
    n
}

#[test]
fn an_office_day_counts_nine_hours_and_skips_the_weekend() {
    let berlin = office(Tz::Europe__Berlin);
    // Friday 2026-11-20 16:00 Berlin (15:00 UTC) + 4 business hours → Monday 11:00.
    let due = berlin
        .add_business(t(2026, 11, 20, 15, 0), Duration::hours(4))
        .expect("due");
    assert_eq!(due, t(2026, 11, 23, 10, 0));
    assert_eq!(
        berlin.business_between(t(2026, 11, 20, 0, 0), t(2026, 11, 21, 0, 0)),
        Duration::hours(9)
    );
}

#[test]
fn a_holiday_and_a_dst_change_are_counted_as_the_wall_clock_shows() {
    let mut ny = office(Tz::America__New_York);
    // Sunday 2026-03-08 skips 02:00–03:00; a 24/7-like schedule sees 23 hours.
    ny.week = std::array::from_fn(|_| vec![(0, 24 * 60)]);
    assert_eq!(
        ny.business_between(t(2026, 3, 8, 5, 0), t(2026, 3, 9, 4, 0)),
        Duration::hours(23)
    );
    // And 2026-11-01 repeats 01:00–02:00: 25 hours.
    assert_eq!(
        ny.business_between(t(2026, 11, 1, 4, 0), t(2026, 11, 2, 5, 0)),
        Duration::hours(25)
    );
    let mut berlin = office(Tz::Europe__Berlin);
    berlin
        .holidays
        .insert(NaiveDate::from_ymd_opt(2026, 12, 25).expect("date"));
    assert_eq!(
        berlin.business_between(t(2026, 12, 24, 0, 0), t(2026, 12, 26, 0, 0)),
        Duration::hours(9),
        "Christmas Day is off"
    );
}

#[test]
fn no_opening_hours_never_reach_a_due_time_and_always_is_plain_time() {
    let closed = Calendar {
        week: Default::default(),
        ..office(Tz::UTC)
    };
    assert_eq!(
        closed.add_business(t(2026, 1, 1, 0, 0), Duration::hours(1)),
        None
    );
    let always = Calendar::always();
    assert_eq!(
        always.add_business(t(2026, 1, 1, 0, 0), Duration::minutes(90)),
        Some(t(2026, 1, 1, 1, 30))
    );
}

/// Found by the property test: around Santiago's DST change the offset
/// search halved into fractions of a second, and due times came out a few
/// milliseconds early.
#[test]
fn due_times_near_an_offset_change_are_exact() {
    let mut week: [Vec<Opening>; 7] = Default::default();
    week[5] = vec![(0, 1395)];
    let cal = Calendar {
        tz: Tz::America__Santiago,
        week,
        holidays: BTreeSet::new(),
        always: false,
    };
    let from = t(2026, 4, 5, 0, 1);
    for minutes in 1..=180 {
        let amount = Duration::minutes(minutes);
        if let Some(due) = cal.add_business(from, amount) {
            assert_eq!(due.timestamp_subsec_nanos(), 0, "{due}");
            assert_eq!(cal.business_between(from, due), amount);
        }
    }
}

fn calendar() -> impl Strategy<Value = Calendar> {
    let opening = (0u32..95, 1u32..96).prop_map(|(s, len)| (s * 15, ((s + len).min(96)) * 15));
    let day = proptest::collection::vec(opening, 0..3).prop_map(|mut v| {
        v.sort_unstable();
        // Disjoint: merge overlapping or touching intervals.
        let mut out: Vec<Opening> = Vec::new();
        for (s, e) in v {
            match out.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => out.push((s, e)),
            }
        }
        out
    });
    (
        0..ZONES.len(),
        proptest::array::uniform7(day),
        proptest::collection::btree_set(0i64..20, 0..3),
    )
        .prop_map(|(zone, week, holidays)| Calendar {
            tz: ZONES[zone],
            week,
            holidays: holidays
                .into_iter()
                .filter_map(|d| {
                    NaiveDate::from_ymd_opt(2026, 3, 1).map(|b| b + Duration::days(d * 11))
                })
                .collect(),
            always: false,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The engine agrees with the minute-by-minute definition over random
    /// calendars and intervals around DST changes, and a due time is the
    /// first instant at which exactly that much business time has passed.
    #[test]
    fn the_engine_matches_the_minute_by_minute_reference(
        cal in calendar(),
        around in 0..AROUND.len(),
        start in -2_880i64..2_880,
        span in 0i64..4_320,
        fraction in 0.0f64..1.0,
    ) {
        let (y, m, d) = AROUND[around];
        let from = t(y, m, d, 0, 0) + Duration::minutes(start);
        let to = from + Duration::minutes(span);
        let want = reference_minutes(&cal, from, to);
        prop_assert_eq!(cal.business_between(from, to), Duration::minutes(want));
        let amount = Duration::minutes((want as f64 * fraction) as i64 + 1);
        if let Some(due) = cal.add_business(from, amount) {
            prop_assert_eq!(cal.business_between(from, due), amount);
            prop_assert!(cal.is_open(due - Duration::minutes(1)), "the last minute before the due time counts");
        } else {
            prop_assert!(amount > Duration::minutes(want));
        }
    }
}

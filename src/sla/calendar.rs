//! Business-hours calendars: which instants count toward an SLA clock.
//!
//! An instant is business time when, read on the wall clock of the
//! calendar's time zone, its day is not a holiday and its time of day falls
//! in one of that weekday's opening intervals; a 24/7 calendar counts every
//! instant. That definition is checked minute by minute against the engine
//! by property tests, across DST changes.
//!
//! The engine walks UTC time in stretches of constant UTC offset: within a
//! stretch the wall clock runs evenly, so the opening hours map to UTC by
//! one subtraction, and an hour skipped or repeated by a DST change is
//! counted exactly as the wall clock shows it.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

/// Minutes since local midnight: `[start, end)`, `end` at most 24 h.
pub type Opening = (u32, u32);

/// When a team works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    pub tz: Tz,
    /// Opening intervals per weekday, Monday first, each sorted and disjoint.
    pub week: [Vec<Opening>; 7],
    /// Local dates with no business hours.
    pub holidays: BTreeSet<NaiveDate>,
    /// Round the clock: every instant counts, holidays included.
    pub always: bool,
}

/// How far ahead the engine looks for business time before giving up (a
/// calendar with no opening hours at all never reaches a due time).
const HORIZON_DAYS: i64 = 3 * 366;
/// Offsets are probed this far apart; no zone changes its offset twice
/// within this span.
const PROBE: Duration = Duration::hours(6);

impl Calendar {
    /// Every instant, in UTC.
    pub fn always() -> Self {
        Self {
            tz: Tz::UTC,
            week: Default::default(),
            holidays: BTreeSet::new(),
            always: true,
        }
    }

    /// Business time between `from` and `to` (zero when `to` is not later).
    pub fn business_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
        if to <= from {
            return Duration::zero();
        }
        if self.always {
            return to - from;
        }
        let mut total = Duration::zero();
        self.walk(from, Some(to), |start, end| {
            total += end - start;
            true
        });
        total
    }

    /// The instant at which `amount` of business time has passed since
    /// `from`; `None` when the calendar has no such time within three years.
    pub fn add_business(&self, from: DateTime<Utc>, amount: Duration) -> Option<DateTime<Utc>> {
        if amount <= Duration::zero() {
            return Some(from);
        }
        if self.always {
            return Some(from + amount);
        }
        let mut left = amount;
        let mut due = None;
        self.walk(from, None, |start, end| {
            let span = end - start;
            if span >= left {
                due = Some(start + left);
                return false;
            }
            left -= span;
            true
        });
        due
    }

    /// Calls `visit` with each business interval in `[from, to)` (or up to
    /// the horizon), in time order, until it returns false.
    fn walk(
        &self,
        from: DateTime<Utc>,
        to: Option<DateTime<Utc>>,
        mut visit: impl FnMut(DateTime<Utc>, DateTime<Utc>) -> bool,
    ) {
        let limit = to.unwrap_or(from + Duration::days(HORIZON_DAYS));
        let mut t = from;
        while t < limit {
            let offset = self.offset_at(t);
            let stretch_end = self.next_change(t, limit);
            // Wall-clock time runs evenly in [t, stretch_end).
            let local_from = t.naive_utc() + offset;
            let local_to = stretch_end.naive_utc() + offset;
            let mut more = true;
            self.local_openings(local_from, local_to, |a, b| {
                let (start, end) = (utc(a - offset), utc(b - offset));
                more = visit(start, end);
                more
            });
            if !more {
                return;
            }
            t = stretch_end;
        }
    }

    fn offset_at(&self, t: DateTime<Utc>) -> Duration {
        let secs = self
            .tz
            .offset_from_utc_datetime(&t.naive_utc())
            .fix()
            .local_minus_utc();
        Duration::seconds(i64::from(secs))
    }

    /// The first instant after `t` (at most `limit`) with another offset.
    fn next_change(&self, t: DateTime<Utc>, limit: DateTime<Utc>) -> DateTime<Utc> {
        let offset = self.offset_at(t);
        let mut lo = t;
        loop {
            let hi = (lo + PROBE).min(limit);
            if self.offset_at(hi) != offset {
                return self.bisect(lo, hi, offset);
            }
            if hi >= limit {
                return limit;
            }
            lo = hi;
        }
    }

    /// The first second in `(lo, hi]` whose offset is not `offset`.
    fn bisect(
        &self,
        mut lo: DateTime<Utc>,
        mut hi: DateTime<Utc>,
        offset: Duration,
    ) -> DateTime<Utc> {
        while hi - lo > Duration::seconds(1) {
            let mid = lo + Duration::seconds((hi - lo).num_seconds() / 2);
            if self.offset_at(mid) == offset {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        hi
    }

    /// Opening intervals of local wall-clock time within `[from, to)`, in order.
    fn local_openings(
        &self,
        from: NaiveDateTime,
        to: NaiveDateTime,
        mut visit: impl FnMut(NaiveDateTime, NaiveDateTime) -> bool,
    ) {
        let mut day = from.date();
        while day.and_time(chrono::NaiveTime::MIN) < to {
            if !self.holidays.contains(&day) {
                let weekday = day.weekday().num_days_from_monday() as usize;
                for &(s, e) in &self.week[weekday] {
                    let midnight = day.and_time(chrono::NaiveTime::MIN);
                    let a = (midnight + Duration::minutes(i64::from(s))).max(from);
                    let b = (midnight + Duration::minutes(i64::from(e))).min(to);
                    if a < b && !visit(a, b) {
                        return;
                    }
                }
            }
            match day.succ_opt() {
                Some(next) => day = next,
                None => return,
            }
        }
    }

    /// Whether the instant `t` is business time: the definition itself,
    /// for tests and for showing whether a team is working now.
    pub fn is_open(&self, t: DateTime<Utc>) -> bool {
        if self.always {
            return true;
        }
        let local = t.with_timezone(&self.tz).naive_local();
        let day = local.date();
        if self.holidays.contains(&day) {
            return false;
        }
        let minutes = local
            .time()
            .signed_duration_since(chrono::NaiveTime::MIN)
            .num_minutes();
        let weekday = day.weekday().num_days_from_monday() as usize;
        self.week[weekday]
            .iter()
            .any(|&(s, e)| minutes >= i64::from(s) && minutes < i64::from(e))
    }
}

fn utc(naive: NaiveDateTime) -> DateTime<Utc> {
    Utc.from_utc_datetime(&naive)
}

#[cfg(test)]
mod tests;

//! The stretch of time a report covers, in the reader's time zone: a run of
//! days ending now, an ISO week, a calendar month or a range of dates, and
//! the one before it to compare with.

use chrono::{Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Utc, Weekday};

const DAY_MS: i64 = 86_400_000;

/// How a period was chosen (and so how it steps back and forth).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "days")]
pub enum PeriodKind {
    /// The last `n` days up to an instant (the dashboard's).
    Days(u32),
    Week,
    Month,
    /// Dates from `--since` to `--until`.
    Range,
}

/// A half-open interval of instants, `[start, end)`, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Period {
    pub start: i64,
    pub end: i64,
    #[serde(flatten)]
    pub kind: PeriodKind,
    /// The reader's offset from UTC: days begin at their midnight.
    #[serde(skip)]
    pub offset: FixedOffset,
}

/// Why a period could not be read: the field (`week`, `month`, `date`,
/// `range`) and the text given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodError {
    pub field: &'static str,
    pub value: String,
}

fn bad(field: &'static str, value: &str) -> PeriodError {
    PeriodError {
        field,
        value: value.to_string(),
    }
}

/// Years a period may name: enough for any desk, and far enough inside
/// what dates can hold that stepping back and forth never overflows.
const YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

/// The longest run of days (ten years).
pub const MAX_DAYS: u32 = 3660;

fn in_years(date: NaiveDate) -> Option<NaiveDate> {
    YEARS.contains(&date.year()).then_some(date)
}

fn midnight(date: NaiveDate, offset: FixedOffset) -> i64 {
    let local = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    offset
        .from_local_datetime(&local)
        .single()
        .map_or(0, |t| t.with_timezone(&Utc).timestamp_millis())
}

fn local_date(ms: i64, offset: FixedOffset) -> NaiveDate {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&offset)
        .date_naive()
}

impl Period {
    /// The `days` days up to `now` (today so far and the days before it).
    pub fn last_days(now: i64, days: u32, offset: FixedOffset) -> Self {
        let today = local_date(now, offset);
        let days = days.clamp(1, MAX_DAYS);
        let first = today - Duration::days(i64::from(days) - 1);
        Self {
            start: midnight(first, offset),
            // Up to and including now.
            end: now + 1,
            kind: PeriodKind::Days(days),
            offset,
        }
    }

    /// ISO week `2026-W47` (Monday to Monday).
    pub fn parse_week(text: &str, offset: FixedOffset) -> Result<Self, PeriodError> {
        let (year, week) = text
            .trim()
            .split_once(['-', ' '])
            .and_then(|(y, w)| {
                let w = w.trim_start_matches(['W', 'w']);
                Some((y.parse::<i32>().ok()?, w.parse::<u32>().ok()?))
            })
            .ok_or_else(|| bad("week", text))?;
        let monday = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)
            .and_then(in_years)
            .ok_or_else(|| bad("week", text))?;
        Ok(Self::week_of(monday, offset))
    }

    /// The ISO week holding `date`.
    pub fn week_of(date: NaiveDate, offset: FixedOffset) -> Self {
        let monday = date - Duration::days(i64::from(date.weekday().num_days_from_monday()));
        Self {
            start: midnight(monday, offset),
            end: midnight(monday + Duration::days(7), offset),
            kind: PeriodKind::Week,
            offset,
        }
    }

    /// The last whole ISO week before the one holding `now`.
    pub fn last_week(now: i64, offset: FixedOffset) -> Self {
        Self::week_of(local_date(now, offset) - Duration::days(7), offset)
    }

    /// Whether the period has not begun at `now` (nothing can be in it).
    pub fn in_future(&self, now: i64) -> bool {
        self.start > now
    }

    /// Calendar month `2026-11`.
    pub fn parse_month(text: &str, offset: FixedOffset) -> Result<Self, PeriodError> {
        let first = text
            .trim()
            .split_once('-')
            .and_then(|(y, m)| NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1))
            .and_then(in_years)
            .ok_or_else(|| bad("month", text))?;
        Ok(Self::month_of(first, offset))
    }

    fn month_of(date: NaiveDate, offset: FixedOffset) -> Self {
        let first = date.with_day(1).unwrap_or(date);
        let next = first
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(first);
        Self {
            start: midnight(first, offset),
            end: midnight(next, offset),
            kind: PeriodKind::Month,
            offset,
        }
    }

    /// The calendar month holding `now`.
    pub fn this_month(now: i64, offset: FixedOffset) -> Self {
        Self::month_of(local_date(now, offset), offset)
    }

    /// From the first instant of `since` to the end of `until` (inclusive
    /// dates, `YYYY-MM-DD`); without `until`, up to `now`.
    pub fn parse_range(
        since: &str,
        until: Option<&str>,
        now: i64,
        offset: FixedOffset,
    ) -> Result<Self, PeriodError> {
        let date = |t: &str| {
            NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d")
                .ok()
                .and_then(in_years)
                .ok_or_else(|| bad("date", t))
        };
        let start = midnight(date(since)?, offset);
        if start > now {
            return Err(bad("future", since));
        }
        // Up to the end of `until`, or now if that is sooner: nothing has
        // happened later, and comparing with whole days before needs the
        // days that have been.
        let end = match until {
            Some(u) => midnight(date(u)? + Duration::days(1), offset).min(now + 1),
            None => now + 1,
        };
        if end <= start {
            return Err(bad("range", &format!("{since} – {}", until.unwrap_or(""))));
        }
        Ok(Self {
            start,
            end,
            kind: PeriodKind::Range,
            offset,
        })
    }

    pub fn contains(&self, t: i64) -> bool {
        self.start <= t && t < self.end
    }

    pub fn contains_opt(&self, t: Option<i64>) -> bool {
        t.is_some_and(|t| self.contains(t))
    }

    /// Whole days the period spans (a run up to now counts today).
    fn days(&self) -> i64 {
        let first = local_date(self.start, self.offset);
        let last = local_date((self.end - 1).max(self.start), self.offset);
        (last - first).num_days() + 1
    }

    /// The period just before this one, for comparison: the week or month
    /// before, else as many whole days, midnight to midnight, ending where
    /// this one starts (so its label says exactly what it holds).
    pub fn previous(&self) -> Self {
        let first = local_date(self.start, self.offset);
        match self.kind {
            PeriodKind::Week => Self::week_of(first - Duration::days(7), self.offset),
            PeriodKind::Month => Self::month_of(first - Duration::days(1), self.offset),
            PeriodKind::Days(_) | PeriodKind::Range => Self {
                start: midnight(first - Duration::days(self.days()), self.offset),
                end: self.start,
                ..*self
            },
        }
    }

    /// The period after this one, never past `now` (a run of days ends now).
    pub fn next(&self, now: i64) -> Self {
        let last = local_date(self.end - 1, self.offset);
        let next = match self.kind {
            PeriodKind::Week => Self::week_of(last + Duration::days(1), self.offset),
            PeriodKind::Month => Self::month_of(last + Duration::days(1), self.offset),
            PeriodKind::Days(_) | PeriodKind::Range => Self {
                start: midnight(last + Duration::days(1), self.offset),
                end: midnight(last + Duration::days(1 + self.days()), self.offset),
                ..*self
            },
        };
        if next.start >= now {
            return *self;
        }
        match next.kind {
            PeriodKind::Days(n) if next.end >= now => Self::last_days(now, n, self.offset),
            _ => next,
        }
    }

    /// A short name: `2026-W47`, `2026-11`, `2026-11-01 – 2026-11-07`.
    pub fn label(&self) -> String {
        let first = local_date(self.start, self.offset);
        let last = local_date((self.end - 1).max(self.start), self.offset);
        match self.kind {
            PeriodKind::Week => {
                let w = first.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
            PeriodKind::Month => first.format("%Y-%m").to_string(),
            _ if first == last => first.format("%Y-%m-%d").to_string(),
            _ => format!("{} – {}", first.format("%Y-%m-%d"), last.format("%Y-%m-%d")),
        }
    }

    /// The local midnight that begins the day holding `t`.
    pub fn day_start(&self, t: i64) -> i64 {
        midnight(local_date(t, self.offset), self.offset)
    }

    /// The first instant of the day `days` before the day holding `t`.
    pub fn days_before(&self, t: i64, days: i64) -> i64 {
        midnight(
            local_date(t, self.offset) - Duration::days(days),
            self.offset,
        )
    }

    /// The local date of `t`, as `YYYY-MM-DD`.
    pub fn date(&self, t: i64) -> String {
        local_date(t, self.offset).format("%Y-%m-%d").to_string()
    }

    pub(super) const DAY: i64 = DAY_MS;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(y: i32, m: u32, d: u32) -> i64 {
        Utc.with_ymd_and_hms(y, m, d, 0, 0, 0)
            .single()
            .expect("valid")
            .timestamp_millis()
    }

    fn utc() -> FixedOffset {
        FixedOffset::east_opt(0).expect("valid")
    }

    #[test]
    fn an_iso_week_runs_monday_to_monday_and_steps_to_its_neighbours() {
        let w = Period::parse_week("2026-W47", utc()).expect("week");
        assert_eq!((w.start, w.end), (ms(2026, 11, 16), ms(2026, 11, 23)));
        assert_eq!(w.label(), "2026-W47");
        assert_eq!(w.previous().label(), "2026-W46");
        assert_eq!(w.next(ms(2030, 1, 1)).label(), "2026-W48");
        assert_eq!(Period::parse_week("2026-47", utc()), Ok(w));
        assert!(Period::parse_week("2026-W54", utc()).is_err());
        assert!(Period::parse_week("week 47", utc()).is_err());
    }

    #[test]
    fn a_week_begins_at_the_readers_midnight() {
        let beijing = FixedOffset::east_opt(8 * 3600).expect("valid");
        let w = Period::parse_week("2026-W47", beijing).expect("week");
        assert_eq!(w.start, ms(2026, 11, 16) - 8 * 3_600_000);
    }

    #[test]
    fn months_know_their_length_and_the_month_before() {
        let m = Period::parse_month("2026-03", utc()).expect("month");
        assert_eq!((m.start, m.end), (ms(2026, 3, 1), ms(2026, 4, 1)));
        let before = m.previous();
        assert_eq!((before.start, before.end), (ms(2026, 2, 1), ms(2026, 3, 1)));
        assert_eq!(before.label(), "2026-02");
        assert!(Period::parse_month("2026-13", utc()).is_err());
    }

    #[test]
    fn a_range_includes_its_last_date_and_compares_with_as_long_before() {
        let now = ms(2026, 11, 29);
        let r = Period::parse_range("2026-11-01", Some("2026-11-07"), now, utc()).expect("range");
        assert_eq!((r.start, r.end), (ms(2026, 11, 1), ms(2026, 11, 8)));
        assert_eq!(r.label(), "2026-11-01 – 2026-11-07");
        assert_eq!(r.previous().start, ms(2026, 10, 25));
        assert_eq!(r.previous().label(), "2026-10-25 – 2026-10-31");
        assert!(Period::parse_range("2026-11-07", Some("2026-11-01"), now, utc()).is_err());
        assert!(Period::parse_range("1 Nov", None, now, utc()).is_err());
        // Never past now; never starting after it.
        let open =
            Period::parse_range("2026-11-20", Some("2027-01-31"), now, utc()).expect("range");
        assert_eq!(open.end, now + 1);
        assert_eq!(open.label(), "2026-11-20 – 2026-11-29");
        let future = Period::parse_range("2026-12-01", None, now, utc());
        assert_eq!(future.map_err(|e| e.field), Err("future"));
        // Found by the fuzzer: years far before year 1 overflowed the step back.
        assert!(Period::parse_range("-221230-1-01", Some(" -5-1-01"), now, utc()).is_err());
        assert!(Period::parse_week("-5-W01", utc()).is_err());
        assert!(Period::parse_month("10000-01", utc()).is_err());
    }

    #[test]
    fn the_last_days_end_now_and_never_step_into_the_future() {
        let now = ms(2026, 11, 29) + 10 * 3_600_000;
        let p = Period::last_days(now, 7, utc());
        assert_eq!((p.start, p.end), (ms(2026, 11, 23), now + 1));
        assert_eq!(p.next(now), p);
        let back = p.previous();
        // Whole days before, midnight to midnight, as its label says.
        assert_eq!((back.start, back.end), (ms(2026, 11, 16), ms(2026, 11, 23)));
        assert_eq!(back.label(), "2026-11-16 – 2026-11-22");
        assert_eq!(back.next(now), p);
        assert_eq!(back.previous().label(), "2026-11-09 – 2026-11-15");
        assert_eq!(back.previous().next(now), back);
        assert_eq!(Period::last_week(now, utc()).label(), "2026-W47");
    }
}

#[cfg(test)]
mod properties {
    use super::*;

    proptest::proptest! {
        /// Whatever a member types, parsing never panics, and a period that
        /// parses is non-empty and meets the one before and after it.
        #[test]
        fn typed_periods_never_panic_and_touch_their_neighbours(
            a in "\\PC{0,12}|[0-9]{4}-W?[0-9]{1,2}|[0-9]{4}-[0-9]{2}(-[0-9]{2})?",
            b in "\\PC{0,12}|[0-9]{4}-[0-9]{2}-[0-9]{2}",
            hours in -12i32..14,
        ) {
            let offset = FixedOffset::east_opt(hours * 3600).expect("offset");
            let now = 1_795_000_000_000;
            for p in [
                Period::parse_week(&a, offset),
                Period::parse_month(&a, offset),
                Period::parse_range(&a, Some(&b), now, offset),
                Period::parse_range(&a, None, now, offset),
            ]
            .into_iter()
            .flatten()
            {
                proptest::prop_assert!(p.start < p.end);
                proptest::prop_assert_eq!(p.previous().end, p.start);
                if p.end < now {
                    proptest::prop_assert_eq!(p.next(now).start, p.end);
                }
            }
        }
    }
}

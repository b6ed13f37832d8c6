//! Times as people type them in queries and deadlines: relative ages (`7d`,
//! `2h`), named days (`today`, `yesterday`, 今天, 昨天), dates and ranges.
//! Parsing is pure; turning a spec into instants needs `now` and the user's zone.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};

/// A comparison in front of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
}

/// A calendar day, named or absolute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Day {
    /// Days from today: 0 today, -1 yesterday, 1 tomorrow.
    Relative(i64),
    Date(NaiveDate),
}

/// A parsed time condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeSpec {
    /// By age: `7d` or `<7d` is younger than 7 days, `>7d` older.
    Age { cmp: Cmp, seconds: i64 },
    /// By day: `today`, `>2026-11-01`, `<=yesterday`.
    OnDay { cmp: Cmp, day: Day },
    /// Days from .. to, both included: `2026-11-01..2026-11-07`.
    Days(Day, Day),
    /// Before now (for deadlines): `overdue`.
    Overdue,
}

fn split_cmp(text: &str) -> (Cmp, &str) {
    for (p, c) in [
        ("<=", Cmp::Le),
        (">=", Cmp::Ge),
        ("<", Cmp::Lt),
        (">", Cmp::Gt),
        ("=", Cmp::Eq),
    ] {
        if let Some(rest) = text.strip_prefix(p) {
            return (c, rest);
        }
    }
    (Cmp::Eq, text)
}

/// `90s`, `30m`, `2h`, `7d`, `2w` → seconds.
pub fn parse_duration(text: &str) -> Option<i64> {
    let unit_at = text.find(|c: char| !c.is_ascii_digit())?;
    let (n, unit) = text.split_at(unit_at);
    let n: i64 = n.parse().ok().filter(|n| *n <= 100_000)?;
    let per = match unit {
        "s" => 1,
        "m" | "min" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => return None,
    };
    Some(n * per)
}

fn parse_day(text: &str) -> Option<Day> {
    match text.to_lowercase().as_str() {
        "today" | "今天" | "今日" => Some(Day::Relative(0)),
        "yesterday" | "昨天" | "昨日" => Some(Day::Relative(-1)),
        "tomorrow" | "明天" | "明日" => Some(Day::Relative(1)),
        other => NaiveDate::parse_from_str(other, "%Y-%m-%d")
            .ok()
            .map(Day::Date),
    }
}

/// The accepted forms, for error hints.
pub const TIME_HINT: &str =
    "7d, <2h, >30d, today, yesterday, 今天, 2026-11-01, >2026-11-01, 2026-11-01..2026-11-07";

impl TimeSpec {
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("overdue") || t == "逾期" {
            return Some(TimeSpec::Overdue);
        }
        if let Some((a, b)) = t.split_once("..") {
            return Some(TimeSpec::Days(parse_day(a)?, parse_day(b)?));
        }
        let (cmp, rest) = split_cmp(t);
        if let Some(seconds) = parse_duration(rest) {
            let cmp = if cmp == Cmp::Eq { Cmp::Lt } else { cmp };
            return Some(TimeSpec::Age { cmp, seconds });
        }
        parse_day(rest).map(|day| TimeSpec::OnDay { cmp, day })
    }

    /// The half-open range `[from, to)` this spec selects.
    pub fn bounds(
        &self,
        now: DateTime<Utc>,
        tz: &FixedOffset,
    ) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        let start = |d: Day| day_start(d, now, tz);
        let next = |d: Day| day_start(d, now, tz) + Duration::days(1);
        match *self {
            TimeSpec::Overdue => (None, Some(now)),
            TimeSpec::Age { cmp, seconds } => {
                let edge = now - Duration::seconds(seconds);
                match cmp {
                    // Younger than the age: after the edge.
                    Cmp::Lt | Cmp::Le | Cmp::Eq => (Some(edge), None),
                    Cmp::Gt | Cmp::Ge => (None, Some(edge)),
                }
            }
            TimeSpec::OnDay { cmp, day } => match cmp {
                Cmp::Eq => (Some(start(day)), Some(next(day))),
                Cmp::Lt => (None, Some(start(day))),
                Cmp::Le => (None, Some(next(day))),
                Cmp::Gt => (Some(next(day)), None),
                Cmp::Ge => (Some(start(day)), None),
            },
            TimeSpec::Days(a, b) => {
                let (a, b) = if start(a) <= start(b) { (a, b) } else { (b, a) };
                (Some(start(a)), Some(next(b)))
            }
        }
    }
}

/// Midnight starting `day` in the user's zone, as UTC.
fn day_start(day: Day, now: DateTime<Utc>, tz: &FixedOffset) -> DateTime<Utc> {
    let date = match day {
        Day::Relative(n) => now.with_timezone(tz).date_naive() + Duration::days(n),
        Day::Date(d) => d,
    };
    tz.from_local_datetime(&date.and_time(NaiveTime::MIN))
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now)
}

/// A deadline as typed: `2d` (from now), `tomorrow` or `2026-11-25` (the end
/// of that day: 23:59, so it reads as that day, not the next one's 00:00),
/// `2026-11-25 14:00` (local time).
pub fn parse_deadline(text: &str, now: DateTime<Utc>, tz: &FixedOffset) -> Option<DateTime<Utc>> {
    let t = text.trim().trim_start_matches('+');
    if let Some(secs) = parse_duration(t) {
        return Some(now + Duration::seconds(secs));
    }
    if let Some(day) = parse_day(t) {
        return Some(day_start(day, now, tz) + Duration::days(1) - Duration::minutes(1));
    }
    let local = chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M").ok()?;
    tz.from_local_datetime(&local)
        .single()
        .map(|d| d.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 15, 30, 0)
            .single()
            .expect("valid")
    }

    fn utc(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0)
            .single()
            .expect("valid")
    }

    fn zone(hours: i32) -> FixedOffset {
        FixedOffset::east_opt(hours * 3600).expect("offset")
    }

    #[test]
    fn ages_compare_by_how_long_ago() {
        let tz = zone(0);
        let young = TimeSpec::parse("7d").expect("spec");
        assert_eq!(
            young.bounds(now(), &tz),
            (Some(now() - Duration::days(7)), None)
        );
        let old = TimeSpec::parse(">2h").expect("spec");
        assert_eq!(
            old.bounds(now(), &tz),
            (None, Some(now() - Duration::hours(2)))
        );
    }

    #[test]
    fn today_follows_the_users_zone() {
        // 15:30 UTC is 23:30 in Shanghai: "today" there began at 16:00 UTC the day before.
        let shanghai = zone(8);
        let today = TimeSpec::parse("今天").expect("spec");
        assert_eq!(
            today.bounds(now(), &shanghai),
            (Some(utc(2026, 11, 19, 16)), Some(utc(2026, 11, 20, 16)))
        );
        let yesterday = TimeSpec::parse("yesterday").expect("spec");
        assert_eq!(
            yesterday.bounds(now(), &zone(0)),
            (Some(utc(2026, 11, 19, 0)), Some(utc(2026, 11, 20, 0)))
        );
    }

    #[test]
    fn dates_and_ranges_cover_whole_days() {
        let tz = zone(0);
        let after = TimeSpec::parse(">2026-11-01").expect("spec");
        assert_eq!(after.bounds(now(), &tz), (Some(utc(2026, 11, 2, 0)), None));
        let range = TimeSpec::parse("2026-11-07..2026-11-01").expect("spec");
        assert_eq!(
            range.bounds(now(), &tz),
            (Some(utc(2026, 11, 1, 0)), Some(utc(2026, 11, 8, 0)))
        );
        assert_eq!(
            TimeSpec::parse("overdue").map(|s| s.bounds(now(), &tz)),
            Some((None, Some(now())))
        );
    }

    #[test]
    fn nonsense_is_rejected() {
        for bad in ["", "7x", "soon", "2026-13-01", "d7", ">", "99999999d"] {
            assert_eq!(TimeSpec::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn deadlines_from_now_days_or_local_times() {
        let tz = zone(8);
        assert_eq!(
            parse_deadline("2d", now(), &tz),
            Some(now() + Duration::days(2))
        );
        // The end of that day in the member's zone, shown as 23:59 of it.
        assert_eq!(
            parse_deadline("2026-11-25", now(), &tz),
            Some(utc(2026, 11, 25, 16) - Duration::minutes(1))
        );
        assert_eq!(
            parse_deadline("2026-11-25 14:00", now(), &tz),
            Some(utc(2026, 11, 25, 6))
        );
        assert_eq!(parse_deadline("whenever", now(), &tz), None);
    }
}

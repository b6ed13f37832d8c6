//! A distribution of durations: how many, median, mean and 90th percentile
//! (nearest rank: a value that occurred, never an interpolation).

/// Seconds summarised; each figure `None` when there is nothing to summarise.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Dist {
    pub count: u64,
    pub median: Option<i64>,
    pub mean: Option<i64>,
    pub p90: Option<i64>,
}

impl Dist {
    pub fn of(mut values: Vec<i64>) -> Self {
        if values.is_empty() {
            return Self::default();
        }
        values.sort_unstable();
        let n = values.len();
        let rank = |p: f64| values[((p * n as f64).ceil() as usize).clamp(1, n) - 1];
        let sum: i128 = values.iter().map(|&v| i128::from(v)).sum();
        Self {
            count: n as u64,
            median: Some(rank(0.5)),
            mean: Some((sum / n as i128) as i64),
            p90: Some(rank(0.9)),
        }
    }
}

/// `part / whole`, or nothing to say when `whole` is zero.
pub fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_picks_values_that_occurred() {
        let d = Dist::of(vec![50, 10, 40, 20, 30]);
        assert_eq!(
            (d.count, d.median, d.mean, d.p90),
            (5, Some(30), Some(30), Some(50))
        );
        let even = Dist::of(vec![1, 2, 3, 4]);
        assert_eq!((even.median, even.p90), (Some(2), Some(4)));
        assert_eq!(Dist::of(vec![]), Dist::default());
        assert_eq!(share(1, 0), None);
    }
}

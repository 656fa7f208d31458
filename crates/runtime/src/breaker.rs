//! The dead-letter circuit breaker: stops a stage, loudly, when too many records fail as bad, so
//! a bad deploy cannot quietly dead-letter the whole stream (Sentry's consumers do the same).
use std::collections::VecDeque;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BreakerConfig {
    /// Trip after this many bad records in a row (0 disables the check).
    pub max_consecutive: u32,
    /// Trip when the share of bad records among the last `window` exceeds this (1.0 disables).
    pub max_ratio: f64,
    pub window: usize,
    /// The ratio is only judged once the window holds at least this many records.
    pub min_records: usize,
}

impl Default for BreakerConfig {
    fn default() -> Self {
        BreakerConfig {
            max_consecutive: 100,
            max_ratio: 0.5,
            window: 1000,
            min_records: 100,
        }
    }
}

#[derive(Debug)]
pub struct Breaker {
    config: BreakerConfig,
    recent: VecDeque<bool>,
    bad_in_window: usize,
    consecutive: u32,
}

impl Breaker {
    pub fn new(config: BreakerConfig) -> Self {
        Breaker {
            config,
            recent: VecDeque::with_capacity(config.window.min(1 << 16)),
            bad_in_window: 0,
            consecutive: 0,
        }
    }

    /// Records one outcome; returns why the breaker trips, if it does.
    pub fn record(&mut self, bad: bool) -> Option<String> {
        if bad {
            self.consecutive += 1;
        } else {
            self.consecutive = 0;
        }
        if self.config.window > 0 {
            self.recent.push_back(bad);
            if bad {
                self.bad_in_window += 1;
            }
            while self.recent.len() > self.config.window {
                if self.recent.pop_front() == Some(true) {
                    self.bad_in_window -= 1;
                }
            }
        }
        if self.config.max_consecutive > 0 && self.consecutive >= self.config.max_consecutive {
            return Some(format!(
                "{} consecutive bad records (limit {})",
                self.consecutive, self.config.max_consecutive
            ));
        }
        let n = self.recent.len();
        if self.config.max_ratio < 1.0 && n >= self.config.min_records.max(1) {
            let ratio = self.bad_in_window as f64 / n as f64;
            if ratio > self.config.max_ratio {
                return Some(format!(
                    "{} of the last {} records dead-lettered ({:.0}%, limit {:.0}%)",
                    self.bad_in_window,
                    n,
                    ratio * 100.0,
                    self.config.max_ratio * 100.0
                ));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trips_on_consecutive_bad_records() {
        let mut b = Breaker::new(BreakerConfig {
            max_consecutive: 3,
            max_ratio: 1.0,
            window: 10,
            min_records: 1,
        });
        assert!(b.record(true).is_none());
        assert!(b.record(true).is_none());
        assert!(b.record(false).is_none());
        assert!(b.record(true).is_none());
        assert!(b.record(true).is_none());
        assert!(b.record(true).unwrap().contains("3 consecutive"));
    }

    #[test]
    fn trips_on_ratio_only_after_min_records() {
        let mut b = Breaker::new(BreakerConfig {
            max_consecutive: 0,
            max_ratio: 0.6,
            window: 10,
            min_records: 6,
        });
        // bad, ok alternating: at most 4 of 7 (57%) is not above the limit.
        for i in 0..20 {
            assert!(b.record(i % 2 == 0).is_none(), "at {i}");
        }
        let mut tripped = None;
        for _ in 0..6 {
            tripped = tripped.or(b.record(true));
        }
        assert!(tripped.unwrap().contains("of the last 10"));
    }

    #[test]
    fn a_few_bad_records_early_do_not_trip() {
        let mut b = Breaker::new(BreakerConfig::default());
        for _ in 0..10 {
            assert!(b.record(true).is_none());
        }
    }
}

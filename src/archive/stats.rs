//! Reply statistics of one correspondent, as addressee and as sender, by year:
//! letters, requests, how they were answered (on time, late, when no term was
//! set), days to reply (median and 90th percentile) and what is open now.
//!
//! Everything follows the one timing model of [`super::status`]: a request
//! counts under the year of its own date, and "now" is the build date.
//!
//! Percentiles use the nearest-rank method: the p-th percentile of n sorted
//! values is the value at rank ⌈p·n/100⌉ (1-based). The median is the 50th
//! percentile by that rule, so it is always a number of days that occurred
//! (of 4, 9, 20, 31 days it is 9, not 14.5). The share answered on time counts
//! the requests with a deadline that are settled: answered with a known day,
//! or overdue now; an awaited request whose term runs yet counts for neither.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Archive, ArchivedLetter, CorrespondentIx, LetterIx, RequestCounts, Status};

/// The nearest-rank percentile `p` (1–100) of `sorted` (ascending).
pub fn percentile(sorted: &[i64], p: u32) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p as usize * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

/// `part` of `whole` as a whole percentage, halves rounded up; `None` of nothing.
pub fn percent(part: usize, whole: usize) -> Option<usize> {
    (whole > 0).then(|| (200 * part + whole) / (2 * whole))
}

/// The figures of one group of letters (a year, or all of them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct ReplyStats {
    pub letters: usize,
    /// Letters that ask for an answer.
    pub requests: usize,
    /// The requests by status now.
    pub status: RequestCounts,
    /// Answered requests whose answer came by the deadline.
    pub on_time: usize,
    /// Answered requests whose answer came after the deadline.
    pub late: usize,
    /// Requests with a deadline that are settled: answered with a known day, or overdue.
    pub settled: usize,
    /// Days to reply of the answered requests (both days known), ascending.
    pub days: Vec<i64>,
}

impl ReplyStats {
    fn add(&mut self, l: &ArchivedLetter) {
        self.letters += 1;
        let Some(status) = l.status else { return };
        self.requests += 1;
        self.status.add(status);
        match (status, l.timing.days_late) {
            (Status::Answered, Some(0)) => self.on_time += 1,
            (Status::Answered, Some(_)) => self.late += 1,
            _ => {}
        }
        if status == Status::Overdue || (status == Status::Answered && l.timing.days_late.is_some())
        {
            self.settled += 1;
        }
        if let Some(d) = l.timing.days_to_reply {
            self.days.push(d);
        }
    }

    fn finish(&mut self) {
        self.days.sort_unstable();
    }

    /// Answered requests with no deadline or no day to compare with.
    pub fn answered_untimed(&self) -> usize {
        self.status.answered - self.on_time - self.late
    }

    pub fn median_days(&self) -> Option<i64> {
        percentile(&self.days, 50)
    }

    pub fn p90_days(&self) -> Option<i64> {
        percentile(&self.days, 90)
    }

    /// The share of settled requests answered on time, in whole percent.
    pub fn on_time_percent(&self) -> Option<usize> {
        percent(self.on_time, self.settled)
    }
}

/// One side of a correspondent's letters (received or sent): by year and in all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct SideStats {
    /// Years with at least one letter, oldest first.
    pub years: Vec<(i32, ReplyStats)>,
    pub total: ReplyStats,
}

impl SideStats {
    /// Tallies letters by the year of their date.
    pub fn of<'a>(letters: impl IntoIterator<Item = &'a ArchivedLetter>) -> SideStats {
        let mut years: BTreeMap<i32, ReplyStats> = BTreeMap::new();
        let mut total = ReplyStats::default();
        for l in letters {
            years.entry(l.letter.date.year()).or_default().add(l);
            total.add(l);
        }
        let mut years: Vec<(i32, ReplyStats)> = years.into_iter().collect();
        for (_, s) in &mut years {
            s.finish();
        }
        total.finish();
        SideStats { years, total }
    }

    pub fn is_empty(&self) -> bool {
        self.total.letters == 0
    }
}

/// A correspondent's statistics: the letters addressed to them (and how they
/// answered), and the letters they sent (and how those were answered).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct CorrespondentStats {
    pub as_addressee: SideStats,
    pub as_sender: SideStats,
}

impl Archive {
    /// The reply statistics of correspondent `c`.
    pub fn correspondent_stats(&self, c: CorrespondentIx) -> CorrespondentStats {
        let corr = &self.correspondents[c];
        let side = |list: &[LetterIx]| SideStats::of(list.iter().map(|&l| &self.letters[l]));
        CorrespondentStats {
            as_addressee: side(&corr.received),
            as_sender: side(&corr.sent),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{letter, link, question, reply};
    use super::*;

    #[test]
    fn nearest_rank_takes_a_value_that_occurred() {
        assert_eq!(percentile(&[], 50), None);
        assert_eq!(percentile(&[7], 50), Some(7));
        assert_eq!(percentile(&[7], 90), Some(7));
        // n = 4: median rank ⌈2⌉ = 2, 90th ⌈3.6⌉ = 4.
        assert_eq!(percentile(&[4, 9, 20, 31], 50), Some(9));
        assert_eq!(percentile(&[4, 9, 20, 31], 90), Some(31));
        // n = 5: median rank ⌈2.5⌉ = 3, 90th ⌈4.5⌉ = 5.
        assert_eq!(percentile(&[1, 2, 3, 4, 5], 50), Some(3));
        assert_eq!(percentile(&[1, 2, 3, 4, 5], 90), Some(5));
        // n = 10: 90th rank 9 exactly.
        let ten: Vec<i64> = (1..=10).collect();
        assert_eq!(percentile(&ten, 90), Some(9));
        assert_eq!(percentile(&ten, 100), Some(10));
    }

    #[test]
    fn percentages_round_half_up() {
        assert_eq!(percent(0, 0), None);
        assert_eq!(percent(1, 3), Some(33));
        assert_eq!(percent(2, 3), Some(67));
        assert_eq!(percent(1, 8), Some(13)); // 12.5
        assert_eq!(percent(3, 3), Some(100));
    }

    #[test]
    fn a_correspondents_requests_are_counted_by_year_as_addressee_and_sender() {
        // Today is 28 November 2026. The committee asks the minister four times:
        // - 1/A 2025-01-06, due 2025-01-20, answered 2025-01-16: 10 days, on time.
        // - 2/A 2025-03-03, due 2025-03-17, answered 2025-04-02: 30 days, 16 late.
        // - 3/A 2026-02-02, no deadline, answered 2026-02-06: 4 days.
        // - 4/A 2026-10-01, due 2026-11-01, open: overdue by 27 days.
        // - 5/A 2026-11-20, due 2026-12-01: awaiting.
        // plus 6/A, a plain letter in 2026 that asks for nothing.
        let (a, _) = link(vec![
            question("1", "A", "2025-01-06", "2025-01-20"),
            reply("1", "B", "2025-01-16", "kind: answer\nin_reply_to: A"),
            question("2", "A", "2025-03-03", "2025-03-17"),
            reply("2", "B", "2025-04-02", "kind: answer\nin_reply_to: A"),
            letter("3", "A", "2026-02-02", "kind: question"),
            reply("3", "B", "2026-02-06", "kind: answer\nin_reply_to: A"),
            question("4", "A", "2026-10-01", "2026-11-01"),
            question("5", "A", "2026-11-20", "2026-12-01"),
            letter("6", "A", "2026-05-01", "kind: letter"),
        ]);
        let minister = a
            .correspondents
            .iter()
            .position(|c| c.name == "Minister")
            .unwrap();
        let stats = a.correspondent_stats(minister).as_addressee;
        let years: Vec<i32> = stats.years.iter().map(|(y, _)| *y).collect();
        assert_eq!(years, [2025, 2026]);
        let y2025 = &stats.years[0].1;
        assert_eq!((y2025.letters, y2025.requests), (2, 2));
        assert_eq!((y2025.on_time, y2025.late, y2025.settled), (1, 1, 2));
        assert_eq!(y2025.days, [10, 30]);
        // Median of [10, 30]: rank ⌈1⌉ = 1 → 10; 90th: rank ⌈1.8⌉ = 2 → 30.
        assert_eq!(
            (y2025.median_days(), y2025.p90_days()),
            (Some(10), Some(30))
        );
        assert_eq!(y2025.on_time_percent(), Some(50));
        let y2026 = &stats.years[1].1;
        assert_eq!((y2026.letters, y2026.requests), (4, 3));
        assert_eq!(
            y2026.status,
            RequestCounts {
                answered: 1,
                awaiting: 1,
                overdue: 1
            }
        );
        // 3/A has no deadline and 5/A's term runs: only the overdue 4/A is settled.
        assert_eq!(
            (y2026.on_time, y2026.settled, y2026.answered_untimed()),
            (0, 1, 1)
        );
        assert_eq!(y2026.on_time_percent(), Some(0));
        let total = &stats.total;
        assert_eq!(
            (total.letters, total.requests, total.status.open()),
            (6, 5, 2)
        );
        // Days [4, 10, 30]: median rank 2 → 10, 90th rank ⌈2.7⌉ = 3 → 30.
        assert_eq!(
            (total.median_days(), total.p90_days()),
            (Some(10), Some(30))
        );
        // On time 1 of 3 settled (1/A on time, 2/A late, 4/A overdue): 33 %.
        assert_eq!(total.on_time_percent(), Some(33));
        // The minister sent the three answers, which ask for nothing.
        let sent = a.correspondent_stats(minister).as_sender;
        assert_eq!((sent.total.letters, sent.total.requests), (3, 0));
        assert_eq!(sent.total.median_days(), None);
        // The committee's side mirrors it: its requests, answered by the minister.
        let committee = a
            .correspondents
            .iter()
            .position(|c| c.name == "Commissie")
            .unwrap();
        let asked = a.correspondent_stats(committee).as_sender;
        assert_eq!(asked.total, stats.total);
    }
}

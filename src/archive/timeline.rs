//! A dossier's exchange over time: who wrote to whom and when, each
//! request's term, and the stretch an answer was or is late.
//!
//! Every correspondent of the dossier's letters is a lane, in the order they
//! first write or are written to. A request waits on the lanes of its
//! addressees from its date to its deadline; from the deadline until the
//! answer (or, while it is overdue, until today) it is late.

use chrono::NaiveDate;

use super::{Archive, CorrespondentIx, DossierIx, LetterIx, Status};

/// The timeline of one dossier.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Timeline {
    /// The first day shown: the first letter's.
    pub start: NaiveDate,
    /// The last day shown: the last letter, deadline or answer, or today while a request is open.
    pub end: NaiveDate,
    /// Correspondents in the order they first appear.
    pub lanes: Vec<CorrespondentIx>,
    /// In date order.
    pub letters: Vec<TimelineLetter>,
}

/// One letter on the timeline. Lanes are indices into [`Timeline::lanes`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TimelineLetter {
    pub letter: LetterIx,
    /// Its date; a date known only to the month or year stands at its start.
    pub on: NaiveDate,
    pub from: Vec<usize>,
    pub to: Vec<usize>,
    /// For a request with a deadline: the deadline.
    pub deadline: Option<NaiveDate>,
    /// For a request: until when it waited, or waits (today, or the answer).
    pub waited_until: Option<NaiveDate>,
    /// A late stretch: from the day after the deadline to the answer, or to today.
    pub late: Option<(NaiveDate, NaiveDate)>,
}

impl Archive {
    /// The timeline of dossier `d`'s own letters.
    pub fn timeline(&self, d: DossierIx) -> Timeline {
        let mut lanes: Vec<CorrespondentIx> = Vec::new();
        let mut lane_of = |c: CorrespondentIx| match lanes.iter().position(|&x| x == c) {
            Some(i) => i,
            None => {
                lanes.push(c);
                lanes.len() - 1
            }
        };
        let mut letters: Vec<TimelineLetter> = Vec::new();
        for &ix in &self.dossiers[d].letters {
            let l = &self.letters[ix];
            let from = l.from.iter().map(|&c| lane_of(c)).collect();
            let to = l.to.iter().map(|&c| lane_of(c)).collect();
            let on = l.letter.date.start();
            let waited_until = match l.status {
                Some(Status::Answered) => l.timing.answered_on,
                Some(_) => Some(self.today.max(on)),
                None => None,
            };
            let late = match (l.deadline, waited_until) {
                (Some(due), Some(until)) if until > due => due.succ_opt().map(|d| (d, until)),
                _ => None,
            };
            letters.push(TimelineLetter {
                letter: ix,
                on,
                from,
                to,
                deadline: l.deadline.filter(|_| l.status.is_some()),
                waited_until,
                late,
            });
        }
        letters.sort_by_key(|t| (t.on, t.letter));
        let start = letters.iter().map(|t| t.on).min().unwrap_or(self.today);
        let end = letters
            .iter()
            .flat_map(|t| [Some(t.on), t.deadline, t.waited_until])
            .flatten()
            .max()
            .unwrap_or(start);
        Timeline {
            start,
            end,
            lanes,
            letters,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{find, link, question, reply};
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn requests_wait_until_answered_and_are_late_past_their_deadline() {
        // Today is 28 November 2026.
        let (a, _) = link(vec![
            question("1", "A", "2025-01-06", "2025-01-20"),
            reply("1", "B", "2025-02-03", "kind: answer\nin_reply_to: A"),
            question("1", "C", "2026-10-01", "2026-11-01"),
            question("1", "D", "2026-11-20", "2026-12-10"),
        ]);
        let t = a.timeline(0);
        let names: Vec<&str> = t
            .lanes
            .iter()
            .map(|&c| a.correspondents[c].name.as_str())
            .collect();
        assert_eq!(names, ["Commissie", "Minister"]);
        assert_eq!(t.start, day("2025-01-06"));
        // D's deadline is the last day shown, past today.
        assert_eq!(t.end, day("2026-12-10"));
        let of = |id: &str| {
            let ix = find(&a, "1", id);
            t.letters.iter().find(|l| l.letter == ix).unwrap()
        };
        let asked = of("A");
        assert_eq!((asked.from.clone(), asked.to.clone()), (vec![0], vec![1]));
        assert_eq!(asked.waited_until, Some(day("2025-02-03")));
        // Due 20 January, answered 3 February: late from the 21st.
        assert_eq!(asked.late, Some((day("2025-01-21"), day("2025-02-03"))));
        let answer = of("B");
        assert_eq!((answer.from.clone(), answer.to.clone()), (vec![1], vec![0]));
        assert_eq!(
            (answer.deadline, answer.waited_until, answer.late),
            (None, None, None)
        );
        assert_eq!(
            of("C").late,
            Some((day("2026-11-02"), day("2026-11-28"))),
            "overdue: late until today"
        );
        let waiting = of("D");
        assert_eq!(waiting.waited_until, Some(day("2026-11-28")));
        assert_eq!(waiting.late, None);
    }
}

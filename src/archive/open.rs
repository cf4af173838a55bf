//! What is still open: requests awaiting an answer or overdue, most overdue
//! first and grouped by the addressee who owes the answer; and the status
//! changes (became overdue, answered) that the `/open/` feed announces.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};

use super::{Archive, CorrespondentIx, LetterIx, Status};

/// The open requests addressed to one correspondent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenGroup {
    pub addressee: CorrespondentIx,
    /// Most overdue first.
    pub letters: Vec<LetterIx>,
    pub overdue: usize,
}

/// A change of a request's status, on the day it happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusChange {
    pub letter: LetterIx,
    pub change: Change,
    pub on: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// The day after the deadline passed without an answer.
    BecameOverdue,
    Answered,
}

impl Change {
    pub fn name(self) -> &'static str {
        match self {
            Change::BecameOverdue => "overdue",
            Change::Answered => "answered",
        }
    }
}

impl Archive {
    /// Every awaiting and overdue request, most overdue first: overdue by
    /// days late (most first), then awaiting by days left (fewest first), then
    /// those without a deadline, oldest first.
    pub fn open_requests(&self) -> Vec<LetterIx> {
        let mut open: Vec<LetterIx> = (0..self.letters.len())
            .filter(|&i| {
                matches!(
                    self.letters[i].status,
                    Some(Status::Awaiting | Status::Overdue)
                )
            })
            .collect();
        open.sort_by_key(|&i| {
            let l = &self.letters[i];
            let urgency = match (l.timing.days_late, l.timing.days_left) {
                (Some(late), _) if l.status == Some(Status::Overdue) => (0, -late),
                (_, Some(left)) => (1, left),
                _ => (2, 0),
            };
            (urgency, l.letter.date.start(), i)
        });
        open
    }

    /// The open requests grouped by addressee; a request to two addressees is
    /// in both groups. Groups follow their most overdue request.
    pub fn open_by_addressee(&self) -> Vec<OpenGroup> {
        let mut groups: Vec<OpenGroup> = Vec::new();
        let mut group_of: HashMap<CorrespondentIx, usize> = HashMap::new();
        for l in self.open_requests() {
            let overdue = self.letters[l].status == Some(Status::Overdue);
            for &c in &self.letters[l].to {
                let g = *group_of.entry(c).or_insert_with(|| {
                    groups.push(OpenGroup {
                        addressee: c,
                        letters: Vec::new(),
                        overdue: 0,
                    });
                    groups.len() - 1
                });
                if groups[g].letters.last() != Some(&l) {
                    groups[g].letters.push(l);
                    groups[g].overdue += usize::from(overdue);
                }
            }
        }
        groups
    }

    /// Status changes up to today, newest first: each request that became
    /// overdue (the day after its deadline, whether answered later or not)
    /// and each answer.
    pub fn status_changes(&self) -> Vec<StatusChange> {
        let mut changes = Vec::new();
        for (ix, l) in self.letters.iter().enumerate() {
            let Some(status) = l.status else { continue };
            let late = l.timing.days_late.is_some_and(|d| d > 0);
            if let Some(due) = l.deadline
                && (status == Status::Overdue || (status == Status::Answered && late))
            {
                changes.push(StatusChange {
                    letter: ix,
                    change: Change::BecameOverdue,
                    on: due + Duration::days(1),
                });
            }
            if let Some(on) = l.timing.answered_on {
                changes.push(StatusChange {
                    letter: ix,
                    change: Change::Answered,
                    on,
                });
            }
        }
        changes.retain(|c| c.on <= self.today);
        changes.sort_by_key(|c| {
            (
                std::cmp::Reverse(c.on),
                std::cmp::Reverse(c.letter),
                c.change.name(),
            )
        });
        changes
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{find, letter, link, reply};
    use super::*;

    #[test]
    fn open_requests_are_most_overdue_first_and_grouped_by_addressee() {
        let (a, _) = link(vec![
            letter(
                "1",
                "A",
                "2026-09-01",
                "kind: question\nreply_due: 2026-09-12",
            ),
            letter(
                "1",
                "B",
                "2026-10-01",
                "kind: question\nreply_due: 2026-11-01",
            ),
            letter(
                "2",
                "A",
                "2026-11-01",
                "kind: question\nreply_due: 2026-12-03",
            ),
            letter("2", "B", "2026-11-20", "kind: question"),
            letter(
                "2",
                "C",
                "2026-11-02",
                "kind: question\nreply_due: 2026-11-30",
            ),
            reply(
                "3",
                "A",
                "2026-08-01",
                "kind: question\nreply_due: 2026-10-01",
            ),
            letter(
                "3",
                "B",
                "2026-01-01",
                "kind: question\nreply_due: 2026-01-10",
            ),
            reply("3", "C", "2026-01-05", "kind: answer\nin_reply_to: B"),
        ]);
        let ids = |list: &[LetterIx]| -> Vec<String> {
            list.iter()
                .map(|&l| format!("{}/{}", a.letters[l].letter.dossier, a.letters[l].letter.id))
                .collect()
        };
        // Today is 28 November 2026: 1/A 77 days late, 3/A 58, 1/B 27; 2/C due in
        // 2 days, 2/A in 5; 2/B has no deadline.
        assert_eq!(
            ids(&a.open_requests()),
            ["1/A", "3/A", "1/B", "2/C", "2/A", "2/B"]
        );
        let groups = a.open_by_addressee();
        let named: Vec<(&str, Vec<String>, usize)> = groups
            .iter()
            .map(|g| {
                (
                    a.correspondents[g.addressee].name.as_str(),
                    ids(&g.letters),
                    g.overdue,
                )
            })
            .collect();
        let strings = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            named,
            [
                ("Minister", strings(&["1/A", "1/B", "2/C", "2/A", "2/B"]), 2),
                ("Commissie", strings(&["3/A"]), 1),
            ]
        );
        assert_eq!(a.letters[find(&a, "3", "B")].status, Some(Status::Answered));
    }

    #[test]
    fn status_changes_are_dated_and_newest_first() {
        let (a, _) = link(vec![
            letter(
                "1",
                "A",
                "2024-12-19",
                "kind: question\nreply_due: 2025-01-30",
            ),
            reply("1", "B", "2025-03-04", "kind: answer\nin_reply_to: A"),
            letter(
                "2",
                "A",
                "2026-09-01",
                "kind: question\nreply_due: 2026-09-12",
            ),
            letter(
                "3",
                "A",
                "2026-11-01",
                "kind: question\nreply_due: 2026-12-03",
            ),
            letter(
                "4",
                "A",
                "2026-01-01",
                "kind: question\nreply_due: 2026-02-01",
            ),
            reply("4", "B", "2026-01-20", "kind: answer\nin_reply_to: A"),
        ]);
        let seen: Vec<(String, &str, String)> = a
            .status_changes()
            .iter()
            .map(|c| {
                let l = &a.letters[c.letter].letter;
                (
                    format!("{}/{}", l.dossier, l.id),
                    c.change.name(),
                    c.on.to_string(),
                )
            })
            .collect();
        let expected = [
            ("2/A", "overdue", "2026-09-13"),
            ("4/A", "answered", "2026-01-20"),
            ("1/A", "answered", "2025-03-04"),
            ("1/A", "overdue", "2025-01-31"),
        ]
        .map(|(a, b, c)| (a.to_string(), b, c.to_string()));
        assert_eq!(seen, expected);
    }
}

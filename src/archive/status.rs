//! Reply status and timing: is a request answered, still awaited, or overdue,
//! and by how many days?
//!
//! One timing model serves every page, feed and export: the deadline after
//! postponements, the day of the first answer, and three day counts —
//! `days_to_reply` (dagtekening to answer), `days_late` (past the deadline,
//! answered or not) and `days_left` (until the deadline of an open request),
//! all counted against the build date (`--today`).

use chrono::NaiveDate;
use serde::Serialize;

use crate::letter::Kind;

/// The state of a request for an answer, relative to the build date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Answered,
    Awaiting,
    Overdue,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Answered => "answered",
            Status::Awaiting => "awaiting",
            Status::Overdue => "overdue",
        }
    }
}

/// A letter that replies to a request, as far as the status needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Response {
    pub kind: Kind,
    /// The reply's dagtekening when known to the day.
    pub date: Option<NaiveDate>,
    /// Its own `reply_due`: for a postponement, the moved deadline.
    pub reply_due: Option<NaiveDate>,
    /// Whether it comes from (one of) the request's addressees.
    pub from_addressee: bool,
}

impl Response {
    /// Only the addressee answers, and a postponement or reminder never does:
    /// a committee's own reminder or follow-up question is no answer.
    pub fn answers(&self) -> bool {
        self.from_addressee && !matches!(self.kind, Kind::Postponement | Kind::Reminder)
    }
}

/// When a request was or is to be answered, in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Timing {
    /// The day of the first answer, when known to the day.
    pub answered_on: Option<NaiveDate>,
    /// Days from the dagtekening to the first answer.
    pub days_to_reply: Option<i64>,
    /// Days past the deadline: of the answer (0 when on time), or, while
    /// unanswered, until today. `None` without a deadline or while awaiting.
    pub days_late: Option<i64>,
    /// Days until the deadline of a request still awaited (0 on the day itself).
    pub days_left: Option<i64>,
}

/// The deadline after postponements: an uitstelbericht with its own term moves it.
pub fn effective_deadline(own: Option<NaiveDate>, responses: &[Response]) -> Option<NaiveDate> {
    responses
        .iter()
        .filter(|r| r.kind == Kind::Postponement)
        .filter_map(|r| r.reply_due)
        .max()
        .or(own)
}

/// Whether a letter of this kind with this own deadline asks for an answer.
pub fn asks_for_answer(kind: Kind, own_due: Option<NaiveDate>) -> bool {
    // A postponement's own `reply_due` is the moved deadline of the request it answers.
    kind != Kind::Postponement && (kind.requests_reply() || own_due.is_some())
}

/// The status and timing of one request.
pub struct Request<'a> {
    pub kind: Kind,
    /// The dagtekening when known to the day.
    pub date: Option<NaiveDate>,
    pub own_due: Option<NaiveDate>,
    /// Its replies, in date order.
    pub responses: &'a [Response],
}

impl Request<'_> {
    /// The status and timing, or `None` when the letter asks for nothing.
    pub fn assess(&self, today: NaiveDate) -> Option<(Status, Timing)> {
        if !asks_for_answer(self.kind, self.own_due) {
            return None;
        }
        let deadline = effective_deadline(self.own_due, self.responses);
        let mut answers = self.responses.iter().filter(|r| r.answers()).peekable();
        if answers.peek().is_some() {
            let answered_on = answers.filter_map(|r| r.date).min();
            let timing = Timing {
                answered_on,
                days_to_reply: days_between(self.date, answered_on),
                days_late: days_between(deadline, answered_on).map(|d| d.max(0)),
                days_left: None,
            };
            return Some((Status::Answered, timing));
        }
        match deadline {
            Some(due) if today > due => Some((
                Status::Overdue,
                Timing {
                    days_late: Some((today - due).num_days()),
                    ..Timing::default()
                },
            )),
            Some(due) => Some((
                Status::Awaiting,
                Timing {
                    days_left: Some((due - today).num_days()),
                    ..Timing::default()
                },
            )),
            None => Some((Status::Awaiting, Timing::default())),
        }
    }
}

fn days_between(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Option<i64> {
    Some((to? - from?).num_days())
}

/// An exchange is as open as its most open request.
pub fn exchange_status(statuses: impl Iterator<Item = Option<Status>>) -> Option<Status> {
    statuses.flatten().max()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn reply(kind: Kind, date: NaiveDate, due: Option<NaiveDate>) -> Response {
        Response {
            kind,
            date: Some(date),
            reply_due: due,
            from_addressee: true,
        }
    }

    fn question(date: NaiveDate, due: Option<NaiveDate>, responses: &[Response]) -> Request<'_> {
        Request {
            kind: Kind::Question,
            date: Some(date),
            own_due: due,
            responses,
        }
    }

    fn status_on(req: &Request<'_>, today: NaiveDate) -> Option<Status> {
        req.assess(today).map(|(s, _)| s)
    }

    #[test]
    fn a_question_past_its_deadline_is_overdue_by_the_days_since() {
        let q = question(d(1, 1), Some(d(1, 13)), &[]);
        let (status, timing) = q.assess(d(1, 14)).unwrap();
        assert_eq!(status, Status::Overdue);
        assert_eq!(timing.days_late, Some(1));
        let (status, timing) = q.assess(d(1, 8)).unwrap();
        assert_eq!(status, Status::Awaiting);
        assert_eq!((timing.days_left, timing.days_late), (Some(5), None));
        assert_eq!(q.assess(d(1, 13)).unwrap().1.days_left, Some(0));
        let letter = Request {
            kind: Kind::Letter,
            ..question(d(1, 1), None, &[])
        };
        assert!(letter.assess(d(1, 14)).is_none());
        let postponement = Request {
            kind: Kind::Postponement,
            ..question(d(1, 1), Some(d(1, 13)), &[])
        };
        assert!(postponement.assess(d(1, 14)).is_none());
    }

    #[test]
    fn a_late_answer_counts_days_to_reply_and_days_past_the_deadline() {
        // Asked 19 December 2024, due 30 January 2025, answered 4 March 2025.
        let asked = NaiveDate::from_ymd_opt(2024, 12, 19).unwrap();
        let due = NaiveDate::from_ymd_opt(2025, 1, 30).unwrap();
        let answered = NaiveDate::from_ymd_opt(2025, 3, 4).unwrap();
        let replies = [reply(Kind::Answer, answered, None)];
        let (status, timing) = question(asked, Some(due), &replies)
            .assess(d(11, 28))
            .unwrap();
        assert_eq!(status, Status::Answered);
        assert_eq!(timing.answered_on, Some(answered));
        assert_eq!(timing.days_to_reply, Some(75));
        assert_eq!(timing.days_late, Some(33));
        assert_eq!(timing.days_left, None);
    }

    #[test]
    fn an_answer_on_time_is_zero_days_late() {
        let replies = [reply(Kind::Answer, d(1, 10), None)];
        let timing = question(d(1, 1), Some(d(1, 13)), &replies)
            .assess(d(3, 1))
            .unwrap()
            .1;
        assert_eq!((timing.days_to_reply, timing.days_late), (Some(9), Some(0)));
        let no_deadline = question(d(1, 1), None, &replies).assess(d(3, 1)).unwrap().1;
        assert_eq!(no_deadline.days_late, None);
    }

    #[test]
    fn a_reminder_or_a_letter_from_the_same_side_does_not_answer() {
        let reminder = [reply(Kind::Reminder, d(1, 20), Some(d(2, 1)))];
        let q = question(d(1, 1), Some(d(1, 13)), &reminder);
        assert_eq!(status_on(&q, d(1, 25)), Some(Status::Overdue));
        let follow_up = [Response {
            from_addressee: false,
            ..reply(Kind::Question, d(1, 20), None)
        }];
        let q = question(d(1, 1), Some(d(1, 13)), &follow_up);
        assert_eq!(status_on(&q, d(1, 25)), Some(Status::Overdue));
        let stranger = [Response {
            from_addressee: false,
            ..reply(Kind::Answer, d(1, 20), None)
        }];
        let q = question(d(1, 1), Some(d(1, 13)), &stranger);
        assert_eq!(status_on(&q, d(1, 25)), Some(Status::Overdue));
    }

    #[test]
    fn a_postponement_moves_the_deadline_but_does_not_answer() {
        let replies = [reply(Kind::Postponement, d(1, 10), Some(d(2, 10)))];
        let q = question(d(1, 1), Some(d(1, 13)), &replies);
        assert_eq!(status_on(&q, d(2, 1)), Some(Status::Awaiting));
        assert_eq!(q.assess(d(2, 1)).unwrap().1.days_left, Some(9));
        assert_eq!(status_on(&q, d(2, 11)), Some(Status::Overdue));
        let answered = [
            reply(Kind::Postponement, d(1, 10), None),
            reply(Kind::Answer, d(2, 20), None),
        ];
        let q = question(d(1, 1), Some(d(1, 13)), &answered);
        assert_eq!(status_on(&q, d(3, 1)), Some(Status::Answered));
    }

    #[test]
    fn the_first_answer_counts_and_a_partial_date_gives_no_days() {
        let replies = [
            reply(Kind::Answer, d(2, 1), None),
            reply(Kind::Answer, d(3, 1), None),
        ];
        let timing = question(d(1, 1), None, &replies).assess(d(4, 1)).unwrap().1;
        assert_eq!(timing.days_to_reply, Some(31));
        let undated = [Response {
            date: None,
            ..reply(Kind::Answer, d(2, 1), None)
        }];
        let (status, timing) = question(d(1, 1), None, &undated).assess(d(4, 1)).unwrap();
        assert_eq!(status, Status::Answered);
        assert_eq!(timing.days_to_reply, None);
    }

    #[test]
    fn exchange_takes_the_most_open_status() {
        let s = [Some(Status::Answered), None, Some(Status::Overdue)];
        assert_eq!(exchange_status(s.into_iter()), Some(Status::Overdue));
    }
}

//! Reply status: is a request answered, still awaited, or overdue?

use chrono::NaiveDate;
use serde::Serialize;

use crate::letter::Kind;

/// The state of a request for an answer, relative to the build date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
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

/// What a letter's replies say about it.
pub struct Replies<'a> {
    /// Kinds of the letters that reply, in date order, with their own deadlines.
    pub kinds: &'a [(Kind, Option<NaiveDate>)],
}

/// The deadline after postponements: an uitstelbericht with its own term moves it.
pub fn effective_deadline(own: Option<NaiveDate>, replies: &Replies<'_>) -> Option<NaiveDate> {
    replies
        .kinds
        .iter()
        .filter(|(k, _)| *k == Kind::Postponement)
        .filter_map(|(_, due)| *due)
        .max()
        .or(own)
}

/// The status of one letter, or `None` when it asks for nothing.
pub fn letter_status(
    kind: Kind,
    own_due: Option<NaiveDate>,
    replies: &Replies<'_>,
    today: NaiveDate,
) -> Option<Status> {
    // A postponement's own `reply_due` is the moved deadline of the request it answers.
    let asks = kind != Kind::Postponement && (kind.requests_reply() || own_due.is_some());
    if !asks {
        return None;
    }
    let answered = replies
        .kinds
        .iter()
        .any(|(k, _)| !matches!(k, Kind::Postponement | Kind::Reminder));
    if answered {
        return Some(Status::Answered);
    }
    match effective_deadline(own_due, replies) {
        Some(due) if today > due => Some(Status::Overdue),
        _ => Some(Status::Awaiting),
    }
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

    #[test]
    fn a_question_past_its_deadline_is_overdue() {
        let none = Replies { kinds: &[] };
        assert_eq!(
            letter_status(Kind::Question, Some(d(1, 13)), &none, d(1, 14)),
            Some(Status::Overdue)
        );
        assert_eq!(
            letter_status(Kind::Question, Some(d(1, 13)), &none, d(1, 13)),
            Some(Status::Awaiting)
        );
        assert_eq!(letter_status(Kind::Letter, None, &none, d(1, 14)), None);
        assert_eq!(
            letter_status(Kind::Postponement, Some(d(1, 13)), &none, d(1, 14)),
            None
        );
    }

    #[test]
    fn a_postponement_moves_the_deadline_but_does_not_answer() {
        let replies = Replies {
            kinds: &[(Kind::Postponement, Some(d(2, 10)))],
        };
        assert_eq!(
            letter_status(Kind::Question, Some(d(1, 13)), &replies, d(2, 1)),
            Some(Status::Awaiting)
        );
        assert_eq!(
            letter_status(Kind::Question, Some(d(1, 13)), &replies, d(2, 11)),
            Some(Status::Overdue)
        );
        let answered = Replies {
            kinds: &[(Kind::Postponement, None), (Kind::Answer, None)],
        };
        assert_eq!(
            letter_status(Kind::Question, Some(d(1, 13)), &answered, d(3, 1)),
            Some(Status::Answered)
        );
    }

    #[test]
    fn exchange_takes_the_most_open_status() {
        let s = [Some(Status::Answered), None, Some(Status::Overdue)];
        assert_eq!(exchange_status(s.into_iter()), Some(Status::Overdue));
    }
}

use std::path::Path;

use super::*;
use crate::letter::parse_letter;

/// A letter from the committee to the minister.
pub(crate) fn letter(dossier: &str, id: &str, date: &str, extra: &str) -> Letter {
    written("Commissie", "Minister", dossier, id, date, extra)
}

/// A question from the committee to the minister, due on `due`.
pub(crate) fn question(dossier: &str, id: &str, date: &str, due: &str) -> Letter {
    letter(
        dossier,
        id,
        date,
        &format!("kind: question\nreply_due: {due}"),
    )
}

/// A letter from the minister to the committee.
pub(crate) fn reply(dossier: &str, id: &str, date: &str, extra: &str) -> Letter {
    written("Minister", "Commissie", dossier, id, date, extra)
}

fn written(from: &str, to: &str, dossier: &str, id: &str, date: &str, extra: &str) -> Letter {
    let text = format!(
        "---\ndossier: \"{dossier}\"\nletter: \"{id}\"\ndate: {date}\nfrom: {{ name: \"{from}\" }}\nto: {{ name: \"{to}\" }}\n{extra}\n---\nTekst.\n"
    );
    let (l, problems) = parse_letter(
        Path::new(&format!("content/{dossier}/{id}.md")),
        text.as_bytes(),
    );
    assert!(problems.is_empty(), "{problems:?}");
    l.unwrap()
}

pub(crate) fn link(letters: Vec<Letter>) -> (Archive, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let options = LinkOptions {
        default_chamber: Some(Chamber::I),
        today: NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
    };
    let archive = Archive::link(
        Loaded {
            letters,
            dossier_infos: Vec::new(),
        },
        &options,
        &mut diagnostics,
    );
    (archive, diagnostics)
}

pub(crate) fn find(a: &Archive, dossier: &str, id: &str) -> LetterIx {
    a.letters
        .iter()
        .position(|l| l.letter.dossier == dossier && l.letter.id == id)
        .unwrap()
}

#[test]
fn replies_link_both_ways_and_form_one_exchange_across_dossiers() {
    let (a, d) = link(vec![
        letter(
            "36521",
            "C",
            "2025-11-19",
            "kind: question\nreply_due: 2025-12-17",
        ),
        reply("36521", "D", "2025-12-16", "in_reply_to: C\nkind: answer"),
        letter("36600", "A", "2026-01-05", "in_reply_to: \"36521/D\""),
        letter("36521", "E", "2026-02-01", ""),
    ]);
    assert!(d.is_empty(), "{d}");
    let (c, dd, x) = (
        find(&a, "36521", "C"),
        find(&a, "36521", "D"),
        find(&a, "36600", "A"),
    );
    assert_eq!(a.letters[dd].replies_to, vec![c]);
    assert_eq!(a.letters[c].replied_by, vec![dd]);
    assert_eq!(a.letters[c].answers, vec![dd]);
    assert_eq!(a.letters[x].replies_to, vec![dd]);
    let e = &a.exchanges[a.letters[c].exchange];
    assert_eq!(e.letters, vec![c, dd, x]);
    assert_eq!(e.url, "dossiers/36521/exchanges/c/");
    assert_eq!(a.letters[x].exchange, a.letters[c].exchange);
    assert_eq!(a.exchanges.len(), 2);
    let other = &a.dossiers[a.letters[x].dossier];
    assert_eq!(other.exchanges, vec![a.letters[c].exchange]);
    assert_eq!(a.letters[c].status, Some(Status::Answered));
}

#[test]
fn reply_cycles_do_not_hang() {
    let (a, _) = link(vec![
        letter("1", "A", "2025-01-01", "in_reply_to: B"),
        letter("1", "B", "2025-01-02", "in_reply_to: A"),
    ]);
    assert_eq!(a.exchanges.len(), 1);
    assert_eq!(a.exchanges[0].letters.len(), 2);
}

#[test]
fn one_correspondent_across_dossiers_and_tags_ignore_case() {
    let (a, _) = link(vec![
        letter("1", "A", "2025-01-01", "tags: [\"Asielketen \", ombudsman]"),
        letter("2", "A", "2025-02-01", "tags: [asielketen]"),
    ]);
    assert_eq!(a.correspondents.len(), 2);
    let minister = a
        .correspondents
        .iter()
        .find(|c| c.name == "Minister")
        .unwrap();
    assert_eq!(minister.received.len(), 2);
    assert_eq!(a.tags.len(), 2);
    assert_eq!(a.tags[0].slug, "asielketen");
    assert_eq!(a.tags[0].letters.len(), 2);
}

#[test]
fn duplicate_ids_and_missing_targets_are_reported() {
    let (a, d) = link(vec![
        letter("1", "A", "2025-01-01", ""),
        letter("1", "A", "2025-01-02", ""),
        letter("1", "B", "2025-01-03", "in_reply_to: Z"),
    ]);
    assert_eq!(d.error_count(), 1, "{d}");
    assert_eq!(d.warning_count(), 1, "{d}");
    let b = find(&a, "1", "B");
    assert_eq!(a.letters[b].unresolved_replies, vec!["Z".to_string()]);
}

#[test]
fn a_reply_older_than_its_question_is_a_warning() {
    let (_, d) = link(vec![
        letter("1", "A", "2025-05-01", ""),
        letter("1", "B", "2025-04-01", "in_reply_to: A"),
    ]);
    let w: Vec<_> = d.iter().collect();
    assert_eq!(w.len(), 1);
    assert!(w[0].message.contains("dated later"), "{}", w[0].message);
    assert_eq!(w[0].line(), Some(4));
}

#[test]
fn letters_in_a_dossier_follow_date_then_natural_id() {
    assert_eq!(natural_cmp("B", "AA"), Ordering::Less);
    assert_eq!(natural_cmp("2", "10"), Ordering::Less);
    assert_eq!(natural_cmp("31700 VI", "36521"), Ordering::Less);
    let (a, _) = link(vec![
        letter("1", "B", "1877-02", ""),
        letter("1", "A", "1877-02-03", ""),
    ]);
    assert_eq!(a.letters[0].letter.id, "B");
    assert_eq!(a.letters[0].next, Some(1));
    assert_eq!(a.letters[1].prev, Some(0));
}

#[test]
fn citation_uses_site_chamber_and_derived_session() {
    let (a, _) = link(vec![letter("36521", "C", "2025-11-19", "")]);
    assert_eq!(
        a.letters[0].citation.as_deref(),
        Some("Kamerstukken I 2025/26, 36521, C")
    );
}

#[test]
fn clashing_urls_are_errors() {
    let (_, d) = link(vec![
        letter("1", "K_1", "2025-01-01", ""),
        letter("1", "K-1", "2025-01-02", ""),
    ]);
    assert_eq!(d.error_count(), 1, "{d}");
}

#[test]
fn ids_that_give_no_url_are_errors_once() {
    let (_, d) = link(vec![
        letter("1", "—", "2025-01-01", "aliases: [\"oud/a\", \"oud/b\"]"),
        letter("1", "exchanges", "2025-01-02", ""),
    ]);
    let messages: Vec<_> = d.iter().map(|x| x.message.clone()).collect();
    assert_eq!(
        messages
            .iter()
            .filter(|m| m.contains("cannot be used in a URL"))
            .count(),
        2,
        "{messages:?}"
    );
}

/// A letter with its own sender, addressee and body.
fn letter_between(dossier: &str, id: &str, date: &str, from: &str, to: &str, body: &str) -> Letter {
    let text = format!(
        "---\ndossier: \"{dossier}\"\nletter: \"{id}\"\ndate: {date}\nfrom: {{ name: \"{from}\" }}\nto: {{ name: \"{to}\" }}\n---\n{body}\n"
    );
    let (l, problems) = parse_letter(
        Path::new(&format!("content/{dossier}/{id}.md")),
        text.as_bytes(),
    );
    assert!(problems.is_empty(), "{problems:?}");
    l.unwrap()
}

#[test]
fn citations_and_dated_mentions_link_letters_both_ways() {
    let (a, _) = link(vec![
        letter_between(
            "36521",
            "A",
            "2025-11-19",
            "Minister",
            "Commissie",
            "Brief.",
        ),
        letter_between(
            "36521",
            "B",
            "2025-12-01",
            "Commissie",
            "Minister",
            "Naar aanleiding van uw brief van 19 november 2025 (Kamerstuk 36 521, nr. 9).",
        ),
        letter_between(
            "36521",
            "C",
            "2025-12-20",
            "Minister",
            "Commissie",
            "Zie Kamerstukken I 2025/26, 36521, A1 en Kamerstukken I 2025/26, 36521, B, en mijn brief van 19 november 2025.",
        ),
    ]);
    let (la, lb, lc) = (
        find(&a, "36521", "A"),
        find(&a, "36521", "B"),
        find(&a, "36521", "C"),
    );
    assert_eq!(a.letters[lb].cites, [la]);
    assert_eq!(
        a.letters[lc].cites,
        [la, lb],
        "a glued footnote number is no part of the id"
    );
    assert_eq!(a.letters[la].cited_by, [lb, lc]);
    assert_eq!(a.letters[lb].cited_by, [lc]);
}

#[test]
fn a_dated_mention_is_left_alone_when_ambiguous_or_from_the_wrong_side() {
    let (a, _) = link(vec![
        letter_between("1", "A", "2025-11-19", "Minister", "Commissie", "Een."),
        letter_between("1", "B", "2025-11-19", "Minister", "Commissie", "Twee."),
        letter_between("1", "C", "2025-11-20", "Commissie", "Minister", "Drie."),
        letter_between(
            "1",
            "D",
            "2025-12-01",
            "Commissie",
            "Minister",
            "Uw brief van 19 november 2025; uw brief van 20 november 2025; de brief van 20 november 2025.",
        ),
        letter_between(
            "2",
            "A",
            "2025-11-20",
            "Minister",
            "Commissie",
            "Ander dossier.",
        ),
    ]);
    let (c, d) = (find(&a, "1", "C"), find(&a, "1", "D"));
    // Two letters of 19 November: ambiguous. On 20 November only the committee itself
    // wrote in this dossier: not "uw brief", but "de brief" finds it.
    assert_eq!(a.letters[d].cites, [c]);
}

#[test]
fn a_thread_puts_each_letter_under_the_letter_it_answers() {
    // A asks; B postpones; D reminds; C answers A after B; E answers D.
    let (a, _) = link(vec![
        letter("1", "A", "2025-01-01", ""),
        letter("1", "B", "2025-01-10", "in_reply_to: A"),
        letter("1", "C", "2025-02-01", "in_reply_to: A"),
        letter("2", "D", "2025-01-20", "in_reply_to: \"1/B\""),
        letter("1", "E", "2025-03-01", "in_reply_to: \"2/D\""),
    ]);
    let ex = &a.exchanges[a.letters[find(&a, "1", "A")].exchange];
    let shape: Vec<(String, Option<String>, usize)> = ex
        .thread(&a)
        .iter()
        .map(|p| {
            (
                a.letters[p.letter].letter.id.clone(),
                p.parent.map(|q| a.letters[q].letter.id.clone()),
                p.depth,
            )
        })
        .collect();
    let s = |x: &str| x.to_string();
    assert_eq!(
        shape,
        [
            (s("A"), None, 0),
            (s("B"), Some(s("A")), 1),
            (s("D"), Some(s("B")), 2),
            (s("E"), Some(s("D")), 3),
            (s("C"), Some(s("A")), 1),
        ]
    );
}

#[test]
fn a_thread_of_a_reply_cycle_holds_every_letter_once() {
    let (a, _) = link(vec![
        letter("1", "A", "2025-01-01", "in_reply_to: B"),
        letter("1", "B", "2025-01-02", "in_reply_to: A"),
        letter("1", "C", "2025-01-03", "in_reply_to: B"),
    ]);
    let ex = &a.exchanges[a.letters[find(&a, "1", "C")].exchange];
    let thread = ex.thread(&a);
    assert_eq!(thread.len(), 3);
    assert_eq!(thread[0].parent, None);
    let mut seen: Vec<LetterIx> = thread.iter().map(|p| p.letter).collect();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), 3);
}

#[test]
fn a_reminder_from_the_same_side_does_not_answer_and_lateness_is_in_days() {
    let (a, d) = link(vec![
        letter(
            "1",
            "B",
            "2024-12-19",
            "kind: question\nreply_due: 2025-01-30",
        ),
        letter(
            "1",
            "C",
            "2025-02-11",
            "in_reply_to: B\nkind: reminder\nreply_due: 2025-03-04",
        ),
        reply("1", "D", "2025-03-04", "in_reply_to: [B, C]\nkind: answer"),
        letter(
            "2",
            "A",
            "2026-09-01",
            "kind: question\nreply_due: 2026-09-12",
        ),
        letter("2", "B", "2026-09-13", "in_reply_to: A\nkind: reminder"),
        letter(
            "3",
            "A",
            "2026-11-01",
            "kind: question\nreply_due: 2026-12-03",
        ),
    ]);
    assert!(d.is_empty(), "{d}");
    let (b, c, dd) = (find(&a, "1", "B"), find(&a, "1", "C"), find(&a, "1", "D"));
    assert_eq!(a.letters[b].replied_by, vec![c, dd]);
    assert_eq!(a.letters[b].answers, vec![dd]);
    assert_eq!(a.letters[b].status, Some(Status::Answered));
    let t = a.letters[b].timing;
    assert_eq!(t.answered_on, NaiveDate::from_ymd_opt(2025, 3, 4));
    assert_eq!((t.days_to_reply, t.days_late), (Some(75), Some(33)));
    // The reminder asks too, and was answered on its own deadline.
    assert_eq!(a.letters[c].timing.days_late, Some(0));
    // Chased but never answered: overdue since 12 September 2026, today is 28 November.
    let chased = find(&a, "2", "A");
    assert_eq!(a.letters[chased].status, Some(Status::Overdue));
    assert!(a.letters[chased].answers.is_empty());
    assert_eq!(a.letters[chased].timing.days_late, Some(77));
    let open = find(&a, "3", "A");
    assert_eq!(a.letters[open].status, Some(Status::Awaiting));
    assert_eq!(a.letters[open].timing.days_left, Some(5));
}

#[test]
fn an_answer_from_someone_not_addressed_is_a_warning_and_no_answer() {
    let (a, d) = link(vec![
        letter("1", "A", "2025-01-01", "kind: question"),
        written(
            "Gemeente",
            "Commissie",
            "1",
            "B",
            "2025-02-01",
            "in_reply_to: A\nkind: answer",
        ),
    ]);
    let w: Vec<_> = d.iter().collect();
    assert_eq!(w.len(), 1, "{d}");
    assert!(w[0].message.contains("does not come from its addressee"));
    assert_eq!(
        (w[0].path.to_str(), w[0].line()),
        (Some("content/1/B.md"), Some(7))
    );
    let q = find(&a, "1", "A");
    assert_eq!(a.letters[q].status, Some(Status::Awaiting));
}

#[test]
fn the_same_office_or_body_answers_for_the_addressee() {
    let mut asked = letter("1", "A", "2025-01-01", "kind: question");
    let mut answered = written(
        "B. Nieuw",
        "Commissie",
        "1",
        "B",
        "2025-02-01",
        "in_reply_to: A",
    );
    asked.to[0].role = Some("Minister van X".into());
    answered.from[0].role = Some("minister van x".into());
    let (a, d) = link(vec![asked, answered]);
    assert!(d.is_empty(), "{d}");
    assert_eq!(a.letters[0].status, Some(Status::Answered));
}

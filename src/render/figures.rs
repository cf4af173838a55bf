//! Figures drawn at build time: the geometry of inline SVG charts, computed
//! here and drawn by the theme's templates (`partials/figure-bars.html`,
//! `partials/figure-timeline.html`), which escape every text.
//!
//! Each figure has a title, a description that says its numbers in words,
//! and stands beside a table with the same numbers: the picture is for the
//! eye, the table for screen readers, print and copying. Colours come from
//! the theme's CSS classes (`fig-…`), so dark mode and print restyle them;
//! lateness is also drawn thicker, so it does not rest on colour alone.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::archive::{CorrespondentStats, ReplyStats, SideStats, Timeline};
use crate::letter::LetterDate;

use super::Renderer;

/// A number for an SVG attribute: one decimal at most, so output stays small and stable.
fn n(v: f64) -> String {
    let s = format!("{v:.1}");
    match s.strip_suffix(".0") {
        Some(whole) => whole.to_string(),
        None => s,
    }
}

/// A tick on an axis: where, and what it says.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Tick {
    pub x: String,
    pub label: String,
}

/// What every figure has: its names, its size, its plot area and its axis
/// (`partials/figure.html` draws it around the figure's own marks).
#[derive(Serialize, Debug)]
pub struct Frame {
    /// The figure's id, prefixed `pk-fig-`; its caption, title and description add `-c`, `-t`, `-d`.
    pub id: String,
    pub title: String,
    pub desc: String,
    pub width: u32,
    pub height: u32,
    /// The plot runs from `plot_x` to `plot_end`; row and lane labels end at `label_x`.
    pub plot_x: u32,
    pub plot_end: u32,
    pub label_x: u32,
    /// Grid lines run from `grid_top` to the axis at `axis_y`; tick labels stand on `tick_y`.
    pub grid_top: u32,
    pub axis_y: u32,
    pub tick_y: u32,
    pub ticks: Vec<Tick>,
}

impl Frame {
    /// A frame `width` wide whose plot starts at `plot_x` and is `plot` wide, with the axis at `axis_y`.
    fn new(names: [String; 3], width: u32, plot_x: u32, plot: u32, axis: (u32, u32)) -> Frame {
        let [id, title, desc] = names;
        let (grid_top, axis_y) = axis;
        Frame {
            id,
            title,
            desc,
            width,
            height: axis_y + 26,
            plot_x,
            plot_end: plot_x + plot,
            label_x: plot_x - 10,
            grid_top,
            axis_y,
            tick_y: axis_y + 18,
            ticks: Vec::new(),
        }
    }
}

/// A horizontal bar chart: one row per year (and a total), each row a stack of segments.
#[derive(Serialize, Debug)]
pub struct BarFigure {
    #[serde(flatten)]
    pub frame: Frame,
    pub bar_height: u32,
    pub rows: Vec<BarRow>,
    /// The segment classes in stacking order with their names, for the legend.
    pub legend: Vec<LegendItem>,
}

#[derive(Serialize, Debug)]
pub struct BarRow {
    pub label: String,
    pub y: u32,
    pub text_y: u32,
    pub segments: Vec<Segment>,
    /// The row's numbers in short, after the bar.
    pub value: String,
    pub value_x: String,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Segment {
    pub class: &'static str,
    pub x: String,
    pub width: String,
}

#[derive(Serialize, Debug)]
pub struct LegendItem {
    pub class: &'static str,
    pub label: String,
}

const BAR_WIDTH: u32 = 640;
const BAR_LABEL: u32 = 96;
const BAR_PLOT: u32 = 420;
const ROW: u32 = 30;
const BAR: u32 = 18;
const TOP: u32 = 8;

/// A round step for an axis up to `max`: 1, 2 or 5 times a power of ten, at most five ticks.
pub fn tick_step(max: i64) -> i64 {
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if max <= 5 * step * m {
                return step * m;
            }
        }
        step *= 10;
    }
}

/// One bar per row: `values` are the stacked segment sizes, in the order of `classes`.
struct BarInput {
    label: String,
    values: Vec<i64>,
    value: String,
}

fn bar_figure(
    id: String,
    title: String,
    desc: String,
    classes: &[(&'static str, String)],
    rows: Vec<BarInput>,
) -> BarFigure {
    let max = rows
        .iter()
        .map(|r| r.values.iter().sum::<i64>())
        .max()
        .unwrap_or(0)
        .max(1);
    let step = tick_step(max);
    let top = (max + step - 1) / step * step;
    let scale = f64::from(BAR_PLOT) / top as f64;
    let x_of = |v: i64| f64::from(BAR_LABEL) + v as f64 * scale;
    let mut out = Vec::with_capacity(rows.len());
    for (i, row) in rows.into_iter().enumerate() {
        let y = TOP + i as u32 * ROW;
        let mut at = 0;
        let mut segments = Vec::new();
        for (&v, &(class, _)) in row.values.iter().zip(classes) {
            if v > 0 {
                segments.push(Segment {
                    class,
                    x: n(x_of(at)),
                    width: n(v as f64 * scale),
                });
            }
            at += v;
        }
        out.push(BarRow {
            label: row.label,
            y,
            text_y: y + BAR - 4,
            segments,
            value: row.value,
            value_x: n(x_of(at) + 6.0),
        });
    }
    let axis_y = TOP + out.len() as u32 * ROW;
    let ticks = (0..=top / step)
        .map(|k| Tick {
            x: n(x_of(k * step)),
            label: (k * step).to_string(),
        })
        .collect();
    let mut frame = Frame::new(
        [id, title, desc],
        BAR_WIDTH,
        BAR_LABEL,
        BAR_PLOT,
        (0, axis_y),
    );
    frame.ticks = ticks;
    BarFigure {
        frame,
        bar_height: BAR,
        rows: out,
        legend: classes
            .iter()
            .map(|(class, label)| LegendItem {
                class,
                label: label.clone(),
            })
            .collect(),
    }
}

/// One row of a statistics table: a year or the total.
#[derive(Serialize, Debug)]
pub struct StatsRow {
    pub label: String,
    pub letters: usize,
    pub requests: usize,
    pub answered: usize,
    pub on_time: usize,
    pub late: usize,
    pub untimed: usize,
    pub awaiting: usize,
    pub overdue: usize,
    pub open: usize,
    pub settled: usize,
    pub median: Option<i64>,
    pub p90: Option<i64>,
    pub on_time_percent: Option<usize>,
    /// The same three as the table writes them ("–" when there is none).
    pub median_text: String,
    pub p90_text: String,
    pub share_text: String,
}

impl StatsRow {
    fn new(r: &Renderer<'_>, label: String, s: &ReplyStats) -> StatsRow {
        let none = r.t.get("stats_no_value");
        let text = |v: Option<i64>| v.map_or_else(|| none.to_string(), |v| v.to_string());
        let share_text = s.on_time_percent().map_or_else(
            || none.to_string(),
            |p| {
                r.t.fill(
                    "stats_share",
                    &[
                        ("percent", &p.to_string()),
                        ("on_time", &s.on_time.to_string()),
                        ("settled", &s.settled.to_string()),
                    ],
                )
            },
        );
        StatsRow {
            median_text: text(s.median_days()),
            p90_text: text(s.p90_days()),
            share_text,
            label,
            letters: s.letters,
            requests: s.requests,
            answered: s.status.answered,
            on_time: s.on_time,
            late: s.late,
            untimed: s.answered_untimed(),
            awaiting: s.status.awaiting,
            overdue: s.status.overdue,
            open: s.status.open(),
            settled: s.settled,
            median: s.median_days(),
            p90: s.p90_days(),
            on_time_percent: s.on_time_percent(),
        }
    }
}

/// One side of a correspondent's statistics (as addressee, as sender) as the page shows it.
#[derive(Serialize, Debug)]
pub struct SideView {
    /// `addressee` or `sender`.
    pub side: &'static str,
    pub heading: String,
    pub intro: String,
    pub table_caption: String,
    pub rows: Vec<StatsRow>,
    pub total: StatsRow,
    pub requests_figure: Option<BarFigure>,
    pub days_figure: Option<BarFigure>,
}

/// The statistics page's two sides.
pub fn stats_sides(r: &Renderer<'_>, name: &str, stats: &CorrespondentStats) -> Vec<SideView> {
    [
        ("addressee", &stats.as_addressee),
        ("sender", &stats.as_sender),
    ]
    .into_iter()
    .filter(|(_, s)| !s.is_empty())
    .map(|(side, s)| side_view(r, name, side, s))
    .collect()
}

fn side_view(r: &Renderer<'_>, name: &str, side: &'static str, s: &SideStats) -> SideView {
    let t = &r.t;
    let key = |k: &str| format!("stats_{side}_{k}");
    let total_label = t.get("stats_total").to_string();
    let rows: Vec<StatsRow> = s
        .years
        .iter()
        .map(|(y, st)| StatsRow::new(r, y.to_string(), st))
        .collect();
    let total = StatsRow::new(r, total_label, &s.total);
    // The figures show each year, and the total too when there is more than one year.
    let mut shown: Vec<&StatsRow> = rows.iter().collect();
    if rows.len() > 1 {
        shown.push(&total);
    }
    let requests_figure = (s.total.requests > 0).then(|| {
        let classes = [
            ("fig-ontime", t.get("stats_on_time").to_string()),
            ("fig-answered-late", t.get("stats_late").to_string()),
            ("fig-answered", t.get("stats_untimed").to_string()),
            ("fig-awaiting", t.get("stats_awaiting").to_string()),
            ("fig-overdue", t.get("stats_overdue").to_string()),
        ];
        let inputs = shown
            .iter()
            .map(|row| BarInput {
                label: row.label.clone(),
                values: [
                    row.on_time,
                    row.late,
                    row.untimed,
                    row.awaiting,
                    row.overdue,
                ]
                .map(|v| v as i64)
                .to_vec(),
                value: row.requests.to_string(),
            })
            .collect();
        let desc = shown
            .iter()
            .map(|row| {
                t.fill(
                    "stats_requests_desc_row",
                    &[
                        ("label", &row.label),
                        ("requests", &row.requests.to_string()),
                        ("on_time", &row.on_time.to_string()),
                        ("late", &row.late.to_string()),
                        ("untimed", &row.untimed.to_string()),
                        ("awaiting", &row.awaiting.to_string()),
                        ("overdue", &row.overdue.to_string()),
                    ],
                )
            })
            .collect::<Vec<_>>()
            .join(" ");
        bar_figure(
            format!("pk-fig-{side}-requests"),
            t.fill(&key("requests_title"), &[("name", name)]),
            desc,
            &classes,
            inputs,
        )
    });
    let timed: Vec<&&StatsRow> = shown.iter().filter(|row| row.median.is_some()).collect();
    let days_figure = (!timed.is_empty()).then(|| {
        let classes = [
            ("fig-median", t.get("stats_median").to_string()),
            ("fig-p90", t.get("stats_p90").to_string()),
        ];
        let inputs = timed
            .iter()
            .map(|row| {
                let (median, p90) = (row.median.unwrap_or(0), row.p90.unwrap_or(0));
                BarInput {
                    label: row.label.clone(),
                    values: vec![median, p90 - median],
                    value: format!("{median} / {p90}"),
                }
            })
            .collect();
        let desc = timed
            .iter()
            .map(|row| {
                t.fill(
                    "stats_days_desc_row",
                    &[
                        ("label", &row.label),
                        ("median", &row.median.unwrap_or(0).to_string()),
                        ("p90", &row.p90.unwrap_or(0).to_string()),
                    ],
                )
            })
            .collect::<Vec<_>>()
            .join(" ");
        bar_figure(
            format!("pk-fig-{side}-days"),
            t.fill(&key("days_title"), &[("name", name)]),
            desc,
            &classes,
            inputs,
        )
    });
    SideView {
        side,
        heading: t.get(&key("heading")).to_string(),
        intro: t.fill(&key("intro"), &[("name", name)]),
        table_caption: t.fill(&key("table"), &[("name", name)]),
        rows,
        total,
        requests_figure,
        days_figure,
    }
}

/// A dossier's timeline as an SVG: a lane per correspondent, each letter a
/// line from its sender (a dot) to its addressees (rings), each request's
/// wait a thin bar on its addressees' lanes, a late stretch a thick one.
#[derive(Serialize, Debug)]
pub struct TimelineFigure {
    #[serde(flatten)]
    pub frame: Frame,
    pub lanes: Vec<Lane>,
    pub letters: Vec<LetterMark>,
    pub waits: Vec<Stretch>,
    pub lates: Vec<Stretch>,
    pub deadlines: Vec<DeadlineMark>,
    /// Where today stands, when it is inside the time shown.
    pub today_x: Option<String>,
}

#[derive(Serialize, Debug)]
pub struct Lane {
    pub label: String,
    pub y: u32,
    pub text_y: u32,
}

#[derive(Serialize, Debug)]
pub struct LetterMark {
    pub x: String,
    pub y1: u32,
    pub y2: u32,
    pub senders: Vec<u32>,
    pub addressees: Vec<u32>,
}

#[derive(Serialize, Debug, PartialEq)]
pub struct Stretch {
    pub x: String,
    pub y: u32,
    pub width: String,
    pub height: u32,
}

#[derive(Serialize, Debug)]
pub struct DeadlineMark {
    pub x: String,
    pub y1: u32,
    pub y2: u32,
}

const LINE_WIDTH: u32 = 720;
const LINE_LABEL: u32 = 200;
const LINE_PLOT: u32 = 490;
const LANE: u32 = 48;
const LANE_TOP: u32 = 24;
/// Lane labels longer than this are cut with an ellipsis (the table has the whole name).
const LANE_CHARS: usize = 22;

fn short_name(name: &str) -> String {
    if name.chars().count() <= LANE_CHARS {
        return name.to_string();
    }
    let cut: String = name.chars().take(LANE_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

/// Ticks along a time axis from `start` to `end`: months (every 1, 2, 3 or
/// 6) for a short span, at most four as their labels are long ("september
/// 2025"); else whole years (every 1, 2, 5 or 10), at most eight.
fn time_ticks(r: &Renderer<'_>, start: NaiveDate, end: NaiveDate) -> Vec<(NaiveDate, String)> {
    let months = |d: NaiveDate| d.year() * 12 + d.month0() as i32;
    let span = months(end) - months(start);
    let step = [1, 2, 3, 6, 12, 24, 60, 120]
        .into_iter()
        .find(|&s| span / s < if s < 12 { 4 } else { 8 })
        .unwrap_or(240);
    let mut m = months(start) + 1;
    m += (step - m.rem_euclid(step)) % step;
    let mut out = Vec::new();
    while m <= months(end) {
        let (year, month) = (m.div_euclid(12), m.rem_euclid(12) as u32 + 1);
        if let Some(d) = NaiveDate::from_ymd_opt(year, month, 1) {
            let label = if step >= 12 {
                year.to_string()
            } else {
                r.t.date(LetterDate::Month { year, month })
            };
            out.push((d, label));
        }
        m += step;
    }
    out
}

/// The timeline figure of a dossier, or `None` when it has no letters.
pub fn timeline_figure(r: &Renderer<'_>, title: String, t: &Timeline) -> Option<TimelineFigure> {
    if t.letters.is_empty() {
        return None;
    }
    let a = r.archive;
    let span = (t.end - t.start).num_days().max(1) as f64;
    let x_of = |d: NaiveDate| {
        n(f64::from(LINE_LABEL) + (d - t.start).num_days() as f64 / span * f64::from(LINE_PLOT))
    };
    let lane_y = |lane: usize| LANE_TOP + lane as u32 * LANE + LANE / 2;
    let lanes = t
        .lanes
        .iter()
        .enumerate()
        .map(|(i, &c)| Lane {
            label: short_name(&a.correspondents[c].name),
            y: lane_y(i),
            text_y: lane_y(i) + 5,
        })
        .collect();
    let mut letters = Vec::new();
    let (mut waits, mut lates, mut deadlines) = (Vec::new(), Vec::new(), Vec::new());
    let mut late_count = 0;
    for l in &t.letters {
        let ys: Vec<u32> = l.from.iter().chain(&l.to).map(|&i| lane_y(i)).collect();
        letters.push(LetterMark {
            x: x_of(l.on),
            y1: ys.iter().copied().min().unwrap_or(0),
            y2: ys.iter().copied().max().unwrap_or(0),
            senders: l.from.iter().map(|&i| lane_y(i)).collect(),
            addressees: l.to.iter().map(|&i| lane_y(i)).collect(),
        });
        late_count += usize::from(l.late.is_some());
        for &lane in &l.to {
            let y = lane_y(lane);
            if let Some(until) = l.waited_until {
                let wait_end = l.deadline.map_or(until, |d| d.min(until));
                waits.push(Stretch {
                    x: x_of(l.on),
                    y: y + 9,
                    height: 3,
                    width: n(((wait_end - l.on).num_days().max(0) as f64 / span
                        * f64::from(LINE_PLOT))
                    .max(1.0)),
                });
            }
            if let Some(due) = l.deadline {
                deadlines.push(DeadlineMark {
                    x: x_of(due),
                    y1: y + 5,
                    y2: y + 21,
                });
            }
            if let (Some((_, to)), Some(due)) = (l.late, l.deadline) {
                lates.push(Stretch {
                    x: x_of(due),
                    y: y + 7,
                    height: 8,
                    width: n(((to - due).num_days() as f64 / span * f64::from(LINE_PLOT)).max(2.0)),
                });
            }
        }
    }
    let axis_y = LANE_TOP + t.lanes.len() as u32 * LANE;
    let ticks = time_ticks(r, t.start, t.end)
        .into_iter()
        .map(|(d, label)| Tick { x: x_of(d), label })
        .collect();
    let names: Vec<&str> = t
        .lanes
        .iter()
        .map(|&c| a.correspondents[c].name.as_str())
        .collect();
    let desc = r.t.fill(
        "timeline_desc",
        &[
            ("letters", &t.letters.len().to_string()),
            ("names", &names.join("; ")),
            ("start", &r.t.day(t.start)),
            ("end", &r.t.day(t.end)),
            ("late", &late_count.to_string()),
        ],
    );
    let today = a.today;
    let mut frame = Frame::new(
        ["pk-fig-timeline".into(), title, desc],
        LINE_WIDTH,
        LINE_LABEL,
        LINE_PLOT,
        (16, axis_y),
    );
    frame.ticks = ticks;
    Some(TimelineFigure {
        frame,
        lanes,
        letters,
        waits,
        lates,
        deadlines,
        today_x: (t.start <= today && today <= t.end).then(|| x_of(today)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_steps_are_round_and_at_most_five() {
        assert_eq!(tick_step(1), 1);
        assert_eq!(tick_step(5), 1);
        assert_eq!(tick_step(6), 2);
        assert_eq!(tick_step(11), 5);
        assert_eq!(tick_step(30), 10);
        assert_eq!(tick_step(77), 20);
        assert_eq!(tick_step(400), 100);
    }

    #[test]
    fn bars_stack_their_segments_and_skip_empty_ones() {
        let classes = [("a", "A".to_string()), ("b", "B".to_string())];
        let f = bar_figure(
            "pk-fig-x".into(),
            "t".into(),
            "d".into(),
            &classes,
            vec![
                BarInput {
                    label: "2025".into(),
                    values: vec![2, 3],
                    value: "5".into(),
                },
                BarInput {
                    label: "2026".into(),
                    values: vec![0, 1],
                    value: "1".into(),
                },
            ],
        );
        // Max 5, step 1: the axis runs 0..5 over 420 units, 84 a unit.
        assert_eq!(f.frame.ticks.len(), 6);
        assert_eq!(
            f.rows[0].segments,
            [
                Segment {
                    class: "a",
                    x: "96".into(),
                    width: "168".into()
                },
                Segment {
                    class: "b",
                    x: "264".into(),
                    width: "252".into()
                },
            ]
        );
        assert_eq!(f.rows[1].segments.len(), 1);
        assert_eq!(f.rows[1].segments[0].x, "96");
        assert_eq!(f.frame.height, TOP + 2 * ROW + 26);
    }

    #[test]
    fn short_names_keep_their_start() {
        assert_eq!(short_name("Minister"), "Minister");
        let long = "mr. drs. J.E. de Vries-Öztürk van Hoogeveld";
        let s = short_name(long);
        assert!(s.ends_with('…') && s.chars().count() <= LANE_CHARS, "{s}");
    }
}

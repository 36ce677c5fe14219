//! The months a question is about, read once. Every question about a month starts here:
//! the CLI's `kpis`, `scores` and `report`, the app's dashboard, accounts list and
//! explanation, the board report (`overview`, `explain`, `trends`, `report`).
//!
//! [`Window::open`] resolves the month (the one asked for, else the latest month with
//! data), reads the settings once and loads the data of the [`Span`] the question needs in
//! one read of the store. [`year`] computes the months M−12..M of such data on two
//! threads; the dashboard and the board report both go through it, so their numbers agree
//! with each other and with `kpis` month by month.

use crate::error::Result;
use crate::kpi::{self, Activity, KpiReport};
use crate::model::Data;
use crate::month::Month;
use crate::score::{self, ScoreReport};
use crate::settings::Settings;
use crate::store::Store;

/// Months before M in a year's view: trends, sparklines, an account's score history, and
/// "same month last year" (M−12).
pub const YEAR: i32 = 12;

/// Which months' usage rows a question reads. Usage is the one big table; every other
/// dataset is always read in full, and coverage always comes from all rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Span {
    /// M−1..M: the month's KPIs and scores (M−1 for the month-over-month KPIs and the
    /// previous lights).
    Month,
    /// M−12..M in full: every KPI of each of the 13 months (the dashboard's cards with
    /// their sparklines and comparisons).
    Year,
    /// M−12..M, the usage rows of M−11..M−2 only counted for the CS score
    /// (`Data::usage_counts`): the board report, whose trend reads only the company
    /// numbers of those months.
    Trend,
    /// M−11..M, the usage rows of M−11..M−1 only counted: an account's score over 12
    /// months.
    Scores,
}

impl Span {
    /// The data of this span around `month`, in one read of the store.
    pub fn load(self, store: &Store, month: Month) -> Result<Data> {
        let lean =
            |from: i32, to: i32| -> Vec<Month> { (from..=to).map(|k| month.plus(k)).collect() };
        match self {
            Span::Month => store.load_months(month.plus(-1), month),
            Span::Year => store.load_months(month.plus(-YEAR), month),
            Span::Trend => store.load_months_lean(month.plus(-YEAR), month, &lean(1 - YEAR, -2)),
            Span::Scores => {
                store.load_months_lean(month.plus(1 - YEAR), month, &lean(1 - YEAR, -1))
            }
        }
    }
}

/// The month of a question with the settings and data to answer it.
pub struct Window {
    pub settings: Settings,
    /// The month asked for, else the latest month with data; `None` when the store holds
    /// no data at all.
    pub month: Option<Month>,
    /// The data of the span around `month` (empty without a month).
    pub data: Data,
}

impl Window {
    /// Resolves the month, reads the settings, and loads `span` around the month.
    pub fn open(store: &Store, month: Option<Month>, span: Span) -> Result<Window> {
        let month = match month {
            Some(m) => Some(m),
            None => store.latest_month()?,
        };
        let settings = store.settings()?;
        let data = match month {
            Some(m) => span.load(store, m)?,
            None => Data::default(),
        };
        Ok(Window {
            settings,
            month,
            data,
        })
    }
}

/// The months M−12..M as a year's view needs them, computed by [`year`].
pub struct Year<T, X> {
    /// M's scores, with names and previous lights.
    pub scores: ScoreReport,
    /// Every KPI of M, of M−1 and of M−12 (same month last year).
    pub kpis: KpiReport,
    pub previous: KpiReport,
    pub year_ago: KpiReport,
    /// M−11..M−2, oldest first, as the caller's `between` computed them.
    pub between: Vec<T>,
    /// What the caller's `then` gave for M's scores.
    pub then: X,
}

/// Computes M (scored with names and previous lights, all KPIs), M−1 and M−12 (all KPIs)
/// and `between(m)` of each month M−11..M−2, on the calling thread and one more.
/// `then(scores of M)` runs as soon as M is scored, on the thread that scored it, while
/// the other months are computed (the board report writes its accounts sheet there).
///
/// Each month is computed on its own (largest task first); which thread computes it does
/// not change its numbers, and they are those of `kpi::compute`/`score::compute` for that
/// month.
pub fn year<T: Send, X: Send>(
    data: &Data,
    act: &Activity,
    month: Month,
    s: &Settings,
    between: impl Fn(Month) -> T + Sync,
    then: impl FnOnce(&ScoreReport) -> X + Send,
) -> Year<T, X> {
    let then = std::sync::Mutex::new(Some(then));
    enum Out<T, X> {
        Now(Box<(ScoreReport, KpiReport, KpiReport, Option<X>)>),
        YearAgo(KpiReport),
        Between(T),
    }
    let middle: Vec<i32> = ((1 - YEAR)..=-2).collect();
    let outs = on_two_threads(2 + middle.len(), |i| match i {
        0 => {
            // M−1's lights are M's previous lights
            let before = score::compute_unnamed(data, act, month.plus(-1), s);
            let scores = score::compute_after(data, act, month, s, &before);
            // task 0 runs once: `then` is there to take
            let then = then.lock().ok().and_then(|mut f| f.take());
            let extra = then.map(|f| f(&scores));
            let kpis = kpi::compute_with(data, act, month, s, &scores);
            let previous = kpi::compute_with(data, act, month.plus(-1), s, &before);
            Out::Now(Box::new((scores, kpis, previous, extra)))
        }
        1 => {
            let m = month.plus(-YEAR);
            let scores = score::compute_unnamed(data, act, m, s);
            Out::YearAgo(kpi::compute_with(data, act, m, s, &scores))
        }
        _ => Out::Between(between(month.plus(middle[i - 2]))),
    });
    let (mut now, mut year_ago, mut middle) = (None, None, Vec::new());
    for out in outs {
        match out {
            Out::Now(b) => now = Some(*b),
            Out::YearAgo(k) => year_ago = Some(k),
            Out::Between(v) => middle.push(v),
        }
    }
    let (Some((scores, kpis, previous, Some(then))), Some(year_ago)) = (now, year_ago) else {
        unreachable!("tasks 0 and 1 always run, task 0 with `then`");
    };
    Year {
        scores,
        kpis,
        previous,
        year_ago,
        between: middle,
        then,
    }
}

/// Every KPI of month `m` (the company's score KPIs from an unnamed scoring): what
/// `kpi::compute` gives for `m` on the same data.
pub fn all_kpis(data: &Data, act: &Activity, m: Month, s: &Settings) -> KpiReport {
    let scores = score::compute_unnamed(data, act, m, s);
    kpi::compute_with(data, act, m, s, &scores)
}

/// `f(0)`, …, `f(n − 1)` in that order, computed on the calling thread and one more: each
/// takes the next index until none is left.
pub(crate) fn on_two_threads<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if i >= n {
                return done;
            }
            done.push((i, f(i)));
        }
    };
    let mut done = std::thread::scope(|scope| {
        let helper = scope.spawn(work);
        let mut mine = work();
        mine.extend(
            helper
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        );
        mine
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, x)| x).collect()
}

//! # Demo data: a believable SaaS company, generated deterministically
//!
//! Used by the app on first start (so a CS manager sees real numbers before importing
//! anything) and by benchmarks at large scale. Every file is a canonical CSV of one of the
//! eleven dataset kinds of `datasets.md` (header = the canonical field ids).
//!
//! How it works: a hidden [`World`] is built first from the seed: the accounts with their
//! segment, plan, owner, a hidden *health* (0..1, drifting over the window) and their MRR per
//! month (expansions, contractions, churn, a few reactivations). Every dataset kind is then
//! derived from that world with its own sub-seed, so a kind's output does not depend on which
//! other kinds were generated before it. Health drives everything a CS manager looks at:
//! churn risk, NPS, usage days, feature breadth, tickets, touchpoints.
//!
//! Pure and deterministic: no clock, no environment, no hash-map iteration order in output.
//! Usage is streamed row by row (memory is bounded by accounts × months, not by rows).

use crate::model::Kind;
use crate::month::Month;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::io;

/// What every account id of the sample company starts with (`DEMO-10001`): no real
/// export's ids do, so the sample's accounts never merge with the user's.
pub const SAMPLE_PREFIX: &str = "DEMO-";

/// What to generate. `Default`: 120 accounts, 18 months ending 2026-10, seed 42,
/// 150,000 usage rows (about one row per active user-day; the natural
/// volume of ~380k rows made the first start take 3 s instead of about 1 s).
#[derive(Clone, Debug)]
pub struct DemoOptions {
    pub accounts: usize,
    /// Length of the data window in months (at least 1).
    pub months: u32,
    /// Last month of the window (the "current" month of the demo).
    pub last_month: Month,
    pub seed: u64,
    /// Target total usage rows; `None` = what the accounts produce naturally.
    pub usage_rows: Option<usize>,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            accounts: 120,
            months: 18,
            last_month: Month::new(2026, 10).expect("valid month"),
            seed: 42,
            usage_rows: Some(150_000),
        }
    }
}

/// One generated file: a canonical CSV (UTF-8, comma-separated, header = the canonical
/// field ids of datasets.md, ISO dates `2026-10-31`, datetimes `2026-10-31 14:05:00`,
/// months `2026-10`, numbers with a dot decimal point, empty cell = missing).
#[derive(Clone, Debug)]
pub struct DemoFile {
    pub kind: Kind,
    /// e.g. `demo-accounts.csv`
    pub file_name: String,
    pub csv: Vec<u8>,
}

/// All eleven kinds, in `Kind::ALL` order. Same options → byte-identical output.
pub fn generate(opts: &DemoOptions) -> Vec<DemoFile> {
    let world = World::build(opts);
    Kind::ALL
        .iter()
        .map(|&kind| {
            let mut csv = Vec::new();
            world
                .write(kind, opts, &mut csv)
                .expect("writing CSV into memory cannot fail");
            DemoFile {
                kind,
                file_name: format!("demo-{}.csv", kind.id()),
                csv,
            }
        })
        .collect()
}

/// Streams one kind's CSV to a writer (used by benchmarks for 1M+ usage rows without
/// holding it all in memory).
pub fn write_kind(opts: &DemoOptions, kind: Kind, out: &mut dyn io::Write) -> io::Result<()> {
    World::build(opts).write(kind, opts, out)
}

/// Writes the company's exports into `dir`, one canonical CSV per kind, named after the
/// month they were made at the end of (`sample-2026-11-tickets.csv`), and returns their
/// paths in `Kind::ALL` order. The month is `opts.last_month`: a later month gives next
/// month's exports, which overlap the earlier ones (a CS manager's monthly routine).
pub fn export(
    opts: &DemoOptions,
    dir: &std::path::Path,
) -> crate::error::Result<Vec<std::path::PathBuf>> {
    use std::io::Write as _;
    let failed = |file: &std::path::Path, e: io::Error| crate::error::Error::CannotWrite {
        file: file.to_path_buf(),
        reason: e.kind(),
    };
    std::fs::create_dir_all(dir).map_err(|e| failed(dir, e))?;
    let world = World::build(opts);
    let mut paths = Vec::new();
    for kind in Kind::ALL {
        let path = dir.join(format!("sample-{}-{}.csv", opts.last_month, kind.id()));
        paths.push(path.clone());
        let written = std::fs::File::create(&path).and_then(|file| {
            let mut out = io::BufWriter::new(file);
            world.write(kind, opts, &mut out)?;
            out.flush()
        });
        if let Err(e) = written {
            // nothing half-written: the files of this export so far go again
            for p in &paths {
                let _ = std::fs::remove_file(p);
            }
            return Err(failed(&path, e));
        }
    }
    Ok(paths)
}

/// Imports the generated company through the normal import path, one batch per kind,
/// marked as demo data (so the app can offer to clear it). All in the store's transactions.
pub fn load(
    store: &mut crate::store::Store,
    opts: &DemoOptions,
) -> crate::error::Result<Vec<crate::store::ImportedBatch>> {
    // a demo with other options replaces the earlier one instead of adding to it
    store.clear(true)?;
    let mut out = Vec::new();
    for f in generate(opts) {
        let import_opts = crate::import::Options {
            kind: Some(f.kind),
            ..Default::default()
        };
        out.extend(store.import_bytes(
            std::path::Path::new(&f.file_name),
            &f.csv,
            &import_opts,
            true,
            crate::store::Origin::Demo,
        )?);
    }
    Ok(out)
}

/// The demo company the app shows on first start.
pub fn load_default(store: &mut crate::store::Store) -> crate::error::Result<()> {
    load(store, &DemoOptions::default()).map(|_| ())
}

/// The canonical header of each kind (all fields of `datasets.md`, in its order).
fn header(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Accounts => &[
            "account_id",
            "name",
            "segment",
            "plan",
            "owner",
            "region",
            "start_date",
            "churn_date",
            "renewal_date",
            "seats",
            "mrr",
            "onboarded_date",
        ],
        Kind::Revenue => &["account_id", "month", "mrr", "currency"],
        Kind::Renewals => &["account_id", "due_date", "outcome", "amount"],
        Kind::Surveys => &[
            "response_id",
            "account_id",
            "date",
            "nps",
            "csat",
            "ces",
            "comment",
        ],
        Kind::Tickets => &[
            "ticket_id",
            "account_id",
            "created_at",
            "first_response_at",
            "first_response_minutes",
            "resolved_at",
            "contacts",
            "first_contact_resolution",
            "channel",
        ],
        Kind::Usage => &[
            "account_id",
            "user_id",
            "date",
            "sessions",
            "session_seconds",
            "feature",
        ],
        Kind::Touchpoints => &["account_id", "date", "type", "owner"],
        Kind::Campaigns => &[
            "date",
            "channel",
            "name",
            "sent",
            "delivered",
            "opened",
            "clicked",
            "converted",
            "unsubscribed",
            "page_views",
            "sessions",
            "bounces",
            "exits",
            "duration_seconds",
            "likes",
            "shares",
            "comments",
            "clicks",
            "registrations",
            "attendees",
            "interactions",
        ],
        Kind::Costs => &["month", "type", "category", "amount"],
        Kind::Leads => &["lead_id", "created_date", "converted_date", "type"],
        Kind::Orders => &["order_id", "account_id", "date", "amount"],
    }
}

// ---------------------------------------------------------------------------------------
// Seeds and small random helpers (no rand_distr: only what is needed, all deterministic)
// ---------------------------------------------------------------------------------------

/// SplitMix64 finaliser: a good 64-bit mixer for deriving seeds.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn sub_seed(seed: u64, salt: u64) -> u64 {
    mix(seed ^ mix(salt.wrapping_mul(0xA24B_AED4_963E_E407)))
}

/// A stateless uniform number in [0, 1) for (seed, a, b, salt): used for values that
/// several kinds must agree on without sharing a random stream.
fn unit(seed: u64, a: usize, b: usize, salt: u64) -> f64 {
    let h = mix(seed ^ mix((a as u64) ^ mix((b as u64) ^ (mix(salt) << 1))));
    (h >> 11) as f64 / (1u64 << 53) as f64
}

const SALT_WORLD: u64 = 1;
const SALT_KIND: u64 = 100;

fn kind_seed(seed: u64, kind: Kind) -> u64 {
    let idx = Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0) as u64;
    sub_seed(seed, SALT_KIND + idx)
}

fn rng_for(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

fn chance(rng: &mut ChaCha8Rng, p: f64) -> bool {
    rng.random::<f64>() < p
}

fn uniform(rng: &mut ChaCha8Rng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * rng.random::<f64>()
}

/// Standard normal, approximated by the Irwin–Hall sum of four uniforms (bounded ±3.5σ,
/// which is what we want for believable data anyway).
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let s: f64 = (0..4).map(|_| rng.random::<f64>()).sum();
    (s - 2.0) * 3f64.sqrt()
}

/// Poisson for small means (Knuth).
fn poisson(rng: &mut ChaCha8Rng, mean: f64) -> u32 {
    if mean <= 0.0 {
        return 0;
    }
    let limit = (-mean).exp();
    let mut k = 0;
    let mut p = rng.random::<f64>();
    while p > limit && k < 200 {
        k += 1;
        p *= rng.random::<f64>();
    }
    k
}

/// Picks an index by weights.
fn pick_weighted(rng: &mut ChaCha8Rng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut r = rng.random::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if r < *w {
            return i;
        }
        r -= w;
    }
    weights.len() - 1
}

fn pick<'a>(rng: &mut ChaCha8Rng, items: &[&'a str]) -> &'a str {
    items[rng.random_range(0..items.len())]
}

// ---------------------------------------------------------------------------------------
// Dates and formatting
// ---------------------------------------------------------------------------------------

fn month_at(first: Month, mi: usize) -> Month {
    first.plus(mi as i32)
}

/// The yearly anniversary of `start` in `year` (29 Feb → 28 Feb).
fn anniversary(start: NaiveDate, year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, start.month(), start.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, start.month(), 28))
        .expect("valid anniversary")
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// A random day of month `m`, not before `lo`, preferring working days.
fn workday_in(rng: &mut ChaCha8Rng, m: Month, lo: NaiveDate) -> NaiveDate {
    let first = m.first_day().max(lo);
    let span = (m.last_day() - first).num_days().max(0);
    let mut d = first;
    for _ in 0..6 {
        d = first + Duration::days(rng.random_range(0..=span));
        if !is_weekend(d) {
            break;
        }
    }
    d
}

/// Seconds into a working day: mostly 08:00–18:00, a few in the evening.
fn office_time(rng: &mut ChaCha8Rng) -> u32 {
    if chance(rng, 0.08) {
        rng.random_range(18 * 3600..22 * 3600)
    } else {
        rng.random_range(7 * 3600 + 1800..18 * 3600)
    }
}

fn datetime(d: NaiveDate, secs: u32) -> NaiveDateTime {
    d.and_hms_opt(0, 0, 0).expect("midnight") + Duration::seconds(i64::from(secs))
}

fn fmt_datetime(dt: NaiveDateTime) -> String {
    dt.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// Money in cents as a canonical number: `1200` or `1249.50`.
fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.abs();
    if c % 100 == 0 {
        format!("{sign}{}", c / 100)
    } else {
        format!("{sign}{}.{:02}", c / 100, c % 100)
    }
}

/// Rounds cents to whole euros.
fn whole_euros(cents: f64) -> i64 {
    (cents / 100.0).round() as i64 * 100
}

fn push_2digits(s: &mut String, v: u32) {
    s.push(char::from(b'0' + (v / 10 % 10) as u8));
    s.push(char::from(b'0' + (v % 10) as u8));
}

fn opt_date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// Word lists
// ---------------------------------------------------------------------------------------

const OWNERS: [&str; 5] = [
    "Anna Becker",
    "Jonas Weber",
    "Lena Hoffmann",
    "Markus Schneider",
    "Sophie Wagner",
];
/// The CSM whose accounts are more often neglected (a story the data tells).
const BUSY_OWNER: usize = 3;

const PLANS: [&str; 4] = ["Starter", "Professional", "Business", "Enterprise"];
/// List price per seat and month, in cents.
const PLAN_SEAT_PRICE: [i64; 4] = [3500, 5900, 8900, 11900];

const FEATURES: [&str; 10] = [
    "dashboard",
    "reports",
    "export",
    "alerts",
    "workflows",
    "integrations",
    "api",
    "admin",
    "automations",
    "mobile",
];

struct NameStyle {
    first: &'static [&'static str],
    second: &'static [&'static str],
    industry: &'static [&'static str],
    legal: &'static [(&'static str, f64)],
}

const DE_FIRST: &[&str] = &[
    "Nord", "Alpen", "Berg", "Sonnen", "Wald", "Stern", "Blau", "Hoch", "Fels", "Rhein", "Donau",
    "Eichen", "Linden", "Falken", "Adler", "Kristall", "Silber", "Gold", "Tal", "See", "Bären",
    "Hirsch", "Licht", "Feld", "Wiesen", "Brücken", "Quell", "Morgen", "Weit", "Klar", "Ost",
    "West", "Süd", "Buchen", "Tannen", "Fluss",
];
const DE_SECOND: &[&str] = &[
    "wind", "blick", "hof", "werk", "stein", "tal", "haus", "feld", "brunn", "quelle", "bau",
    "form", "punkt", "weg", "mark", "burg", "licht", "kraft", "netz", "logik", "grund", "kamp",
];
const DE_INDUSTRY: &[&str] = &[
    "Logistik",
    "Maschinenbau",
    "Software",
    "Medizintechnik",
    "Handel",
    "Versicherung",
    "Energie",
    "Bau",
    "Consulting",
    "Immobilien",
    "Pharma",
    "Elektronik",
    "Textil",
    "Druck",
    "Gastronomie",
    "Holding",
    "Systeme",
    "Digital",
    "Technik",
    "Finanz",
    "Spedition",
    "Verpackung",
];
const DE_LEGAL: &[(&str, f64)] = &[
    ("GmbH", 0.55),
    ("AG", 0.2),
    ("GmbH & Co. KG", 0.15),
    ("KG", 0.05),
    ("SE", 0.05),
];

const EN_FIRST: &[&str] = &[
    "Bright", "Blue", "Silver", "North", "Oak", "Stone", "Clear", "Swift", "Red", "Green", "Iron",
    "Cloud", "Summit", "River", "Harbor", "Pioneer", "Crown", "Maple", "Falcon", "Beacon",
    "Golden", "High", "True", "Sky",
];
const EN_SECOND: &[&str] = &[
    "line", "stone", "gate", "field", "bridge", "wave", "point", "path", "works", "way", "spring",
    "ridge", "view", "port", "light", "craft", "mark", "wood", "forge", "shore",
];
const EN_INDUSTRY: &[&str] = &[
    "Analytics",
    "Logistics",
    "Health",
    "Retail",
    "Systems",
    "Labs",
    "Solutions",
    "Partners",
    "Media",
    "Foods",
    "Energy",
    "Software",
    "Capital",
    "Digital",
    "Engineering",
    "Consulting",
    "Insurance",
    "Robotics",
    "Travel",
    "Group",
];
const UK_LEGAL: &[(&str, f64)] = &[("Ltd", 0.8), ("plc", 0.1), ("LLP", 0.1)];
const US_LEGAL: &[(&str, f64)] = &[("Inc.", 0.6), ("LLC", 0.3), ("Corp.", 0.1)];

const NL_FIRST: &[&str] = &[
    "Zee", "Duin", "Polder", "Molen", "Tulp", "Water", "Brug", "Haven", "Licht", "Vlak", "Dijk",
    "Oost", "Noord", "Kaas", "Klok",
];
const NL_SECOND: &[&str] = &[
    "land", "stad", "werk", "veld", "berg", "mond", "poort", "wijk", "hof", "kracht", "zicht",
    "kade",
];
const NL_LEGAL: &[(&str, f64)] = &[("B.V.", 0.8), ("N.V.", 0.2)];

const NO_FIRST: &[&str] = &[
    "Fjord", "Norr", "Sol", "Is", "Skog", "Havs", "Berg", "Ljus", "Vind", "Sjö", "Ek", "Ör", "Älv",
    "Sten",
];
const NO_SECOND: &[&str] = &[
    "vik", "dal", "berg", "strand", "holm", "lund", "borg", "gård", "ström", "by", "näs", "fors",
];
const NO_LEGAL: &[(&str, f64)] = &[("AB", 0.4), ("AS", 0.3), ("Oy", 0.15), ("ApS", 0.15)];

const FR_FIRST: &[&str] = &[
    "Belle", "Mont", "Clair", "Beau", "Vert", "Rive", "Ciel", "Lumi", "Soleil", "Pierre", "Grand",
    "Haut",
];
const FR_SECOND: &[&str] = &[
    "vue", "mont", "rive", "val", "champ", "lys", "roche", "pont", "fleur", "ciel", "bois", "port",
];
const FR_INDUSTRY: &[&str] = &[
    "Conseil",
    "Logistique",
    "Santé",
    "Services",
    "Technologies",
    "Industries",
    "Solutions",
    "Numérique",
    "Distribution",
    "Énergie",
];
const FR_LEGAL: &[(&str, f64)] = &[("SAS", 0.6), ("SARL", 0.25), ("SA", 0.15)];

const STYLE_DE: NameStyle = NameStyle {
    first: DE_FIRST,
    second: DE_SECOND,
    industry: DE_INDUSTRY,
    legal: DE_LEGAL,
};
const STYLE_CH: NameStyle = NameStyle {
    first: DE_FIRST,
    second: DE_SECOND,
    industry: DE_INDUSTRY,
    legal: &[("AG", 0.7), ("GmbH", 0.3)],
};
const STYLE_UK: NameStyle = NameStyle {
    first: EN_FIRST,
    second: EN_SECOND,
    industry: EN_INDUSTRY,
    legal: UK_LEGAL,
};
const STYLE_US: NameStyle = NameStyle {
    first: EN_FIRST,
    second: EN_SECOND,
    industry: EN_INDUSTRY,
    legal: US_LEGAL,
};
const STYLE_NL: NameStyle = NameStyle {
    first: NL_FIRST,
    second: NL_SECOND,
    industry: EN_INDUSTRY,
    legal: NL_LEGAL,
};
const STYLE_NO: NameStyle = NameStyle {
    first: NO_FIRST,
    second: NO_SECOND,
    industry: EN_INDUSTRY,
    legal: NO_LEGAL,
};
const STYLE_FR: NameStyle = NameStyle {
    first: FR_FIRST,
    second: FR_SECOND,
    industry: FR_INDUSTRY,
    legal: FR_LEGAL,
};

/// (region label, weight, name style). DACH is split so Swiss companies are mostly "AG".
const REGIONS: &[(&str, f64, &NameStyle)] = &[
    ("DACH", 0.40, &STYLE_DE),
    ("DACH", 0.10, &STYLE_CH),
    ("Benelux", 0.12, &STYLE_NL),
    ("Nordics", 0.10, &STYLE_NO),
    ("UK & Ireland", 0.13, &STYLE_UK),
    ("France", 0.09, &STYLE_FR),
    ("North America", 0.06, &STYLE_US),
];

fn company_name(rng: &mut ChaCha8Rng, style: &NameStyle, taken: &mut HashSet<String>) -> String {
    for _ in 0..64 {
        let stem = format!("{}{}", pick(rng, style.first), pick(rng, style.second));
        let legal_w: Vec<f64> = style.legal.iter().map(|l| l.1).collect();
        let legal = style.legal[pick_weighted(rng, &legal_w)].0;
        let name = if chance(rng, 0.4) {
            format!("{stem} {} {legal}", pick(rng, style.industry))
        } else {
            format!("{stem} {legal}")
        };
        if taken.insert(name.clone()) {
            return name;
        }
    }
    // Very large demos only: the word lists are exhausted for this style.
    let stem = format!("{}{}", pick(rng, style.first), pick(rng, style.second));
    let legal = style.legal[0].0;
    let mut k = 2;
    loop {
        let name = format!("{stem} {k} {legal}");
        if taken.insert(name.clone()) {
            return name;
        }
        k += 1;
    }
}

// ---------------------------------------------------------------------------------------
// The hidden world
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Segment {
    Smb,
    Mid,
    Enterprise,
}

impl Segment {
    fn label(self) -> &'static str {
        match self {
            Segment::Smb => "SMB",
            Segment::Mid => "Mid-Market",
            Segment::Enterprise => "Enterprise",
        }
    }
}

struct Account {
    id: String,
    /// `demo-10001.example`, the domain of its users' ids
    domain: String,
    name: String,
    segment: Segment,
    plan: usize,
    owner: usize,
    region: &'static str,
    start: NaiveDate,
    churn: Option<NaiveDate>,
    renewal: NaiveDate,
    onboarded: Option<NaiveDate>,
    /// Hidden health at the start of the window and its drift over the window.
    h0: f64,
    trend: f64,
    neglected: bool,
    /// Buys add-ons and services now and then.
    buyer: bool,
    /// MRR in cents per window month; 0 = not active.
    mrr: Vec<i64>,
    /// Licensed seats per window month; 0 = not active.
    seats: Vec<u32>,
    current_mrr: i64,
    current_seats: u32,
    /// Dates the account churned at a renewal (outcome `churned`), including churns that
    /// were later reactivated.
    renewal_churns: Vec<NaiveDate>,
}

struct World {
    seed: u64,
    first: Month,
    months: usize,
    accounts: Vec<Account>,
}

struct Proto {
    draw: usize,
    segment: Segment,
    h0: f64,
    trend: f64,
    region: usize,
    start: NaiveDate,
    seats: u32,
    plan: usize,
    seat_price: i64,
    owner: usize,
    neglected: bool,
    buyer: bool,
    onboard_days: i64,
    onboard_missing: bool,
}

impl World {
    fn build(opts: &DemoOptions) -> World {
        let months = opts.months.max(1) as usize;
        let first = opts.last_month.plus(1 - months as i32);
        let window_start = first.first_day();
        let window_end = opts.last_month.last_day();
        let wseed = sub_seed(opts.seed, SALT_WORLD);
        let mut rng = rng_for(wseed);
        let n = opts.accounts;
        let n_new = (n as f64 * 0.45).round() as usize;

        let region_w: Vec<f64> = REGIONS.iter().map(|r| r.1).collect();
        let mut protos = Vec::with_capacity(n);
        for draw in 0..n {
            let segment = match rng.random::<f64>() {
                r if r < 0.55 => Segment::Smb,
                r if r < 0.87 => Segment::Mid,
                _ => Segment::Enterprise,
            };
            let h0 = match rng.random::<f64>() {
                r if r < 0.62 => uniform(&mut rng, 0.65, 1.0),
                r if r < 0.86 => uniform(&mut rng, 0.35, 0.65),
                _ => uniform(&mut rng, 0.08, 0.35),
            };
            let trend = match rng.random::<f64>() {
                r if r < 0.15 => -uniform(&mut rng, 0.2, 0.45),
                r if r < 0.25 => uniform(&mut rng, 0.1, 0.25),
                _ => uniform(&mut rng, -0.05, 0.05),
            };
            let region = pick_weighted(&mut rng, &region_w);
            // The first n_new draws start inside the window, stratified over its months so
            // that (almost) every month has new customers; the rest started up to 4 years
            // before it.
            let start = if draw < n_new {
                // Every month gets at least one new customer (when there are enough), the
                // rest arrive at a slowly growing pace.
                let mi = if draw < months {
                    draw
                } else {
                    let u = rng.random::<f64>();
                    let pos = if chance(&mut rng, 0.5) { u } else { u.sqrt() };
                    ((pos * months as f64) as usize).min(months - 1)
                };
                let m = month_at(first, mi);
                m.first_day() + Duration::days(rng.random_range(0..i64::from(m.days())))
            } else {
                window_start - Duration::days(rng.random_range(1..=4 * 365))
            };
            let (seats, plan, discount) = match segment {
                Segment::Smb => (
                    rng.random_range(3..=10),
                    usize::from(chance(&mut rng, 0.4)),
                    if chance(&mut rng, 0.7) { 1.0 } else { 0.9 },
                ),
                Segment::Mid => (
                    rng.random_range(10..=35),
                    1 + usize::from(chance(&mut rng, 0.45)),
                    uniform(&mut rng, 0.85, 1.0),
                ),
                Segment::Enterprise => (
                    rng.random_range(35..=100),
                    2 + usize::from(chance(&mut rng, 0.65)),
                    uniform(&mut rng, 0.7, 0.9),
                ),
            };
            let seat_price = (PLAN_SEAT_PRICE[plan] as f64 * discount).round() as i64;
            let owner = if segment == Segment::Enterprise {
                if chance(&mut rng, 0.5) {
                    0
                } else {
                    1
                }
            } else {
                rng.random_range(0..OWNERS.len())
            };
            let neglected = chance(&mut rng, if owner == BUSY_OWNER { 0.4 } else { 0.08 });
            let buyer = chance(&mut rng, 0.35);
            let onboard_days = (5.0
                + rng.random::<f64>().powi(2) * 30.0
                + (1.0 - h0) * 20.0 * rng.random::<f64>())
            .round() as i64;
            let onboard_missing = chance(&mut rng, 0.07);
            protos.push(Proto {
                draw,
                segment,
                h0,
                trend,
                region,
                start,
                seats,
                plan,
                seat_price,
                owner,
                neglected,
                buyer,
                onboard_days,
                onboard_missing,
            });
        }
        // Account numbers are handed out at signup: ids follow start dates.
        protos.sort_by_key(|p| (p.start, p.draw));

        let mut taken = HashSet::new();
        let mut accounts = Vec::with_capacity(n);
        for (i, p) in protos.iter().enumerate() {
            let number = 10001 + i;
            let name = company_name(&mut rng, REGIONS[p.region].2, &mut taken);
            let mut acct = Account {
                // a prefix no real export uses: the sample company never shares an account
                // with the user's data (README "The sample company")
                id: format!("{SAMPLE_PREFIX}{number}"),
                domain: format!("demo-{number}.example"),
                name,
                segment: p.segment,
                plan: p.plan,
                owner: p.owner,
                region: REGIONS[p.region].0,
                start: p.start,
                churn: None,
                renewal: p.start,
                onboarded: None,
                h0: p.h0,
                trend: p.trend,
                neglected: p.neglected,
                buyer: p.buyer,
                mrr: vec![0; months],
                seats: vec![0; months],
                current_mrr: 0,
                current_seats: p.seats,
                renewal_churns: Vec::new(),
            };
            let onboarded = p.start + Duration::days(p.onboard_days);
            if !p.onboard_missing && onboarded <= window_end {
                acct.onboarded = Some(onboarded);
            }
            accounts.push(acct);
        }
        let mut world = World {
            seed: wseed,
            first,
            months,
            accounts,
        };
        for (i, p) in protos.iter().enumerate() {
            world.simulate(i, p, &mut rng);
        }
        world
    }

    /// Hidden health of account `a` in window month `mi`, 0.02..=1.
    fn health(&self, a: usize, mi: usize) -> f64 {
        let acct = &self.accounts[a];
        let t = mi as f64 / (self.months.max(2) - 1) as f64;
        let noise = (unit(self.seed, a, mi, 7) - 0.5) * 0.12;
        (acct.h0 + acct.trend * t + noise).clamp(0.02, 1.0)
    }

    fn is_active(&self, a: usize, mi: usize) -> bool {
        self.accounts[a].mrr[mi] > 0
    }

    /// MRR path month by month: churn (mostly at renewals, driven by health), a few
    /// reactivations, expansions and contractions, occasional price increases.
    fn simulate(&mut self, a: usize, p: &Proto, rng: &mut ChaCha8Rng) {
        enum State {
            Active,
            Paused { until: usize, mrr_factor: f64 },
            Gone,
        }
        let months = self.months;
        let first = self.first;
        let start = p.start;
        let start_idx = (Month::of(start).index() - first.index()).max(0) as usize;
        let mut seats = p.seats;
        let mut seat_price = p.seat_price;
        let mut state = State::Active;
        let mut reactivated = false;
        let mut churn_date = None;
        let mut renewal_churns = Vec::new();
        let mut mrr = vec![0i64; months];
        let mut seat_hist = vec![0u32; months];
        for mi in start_idx..months {
            let m = month_at(first, mi);
            let h = self.health(a, mi);
            let renewal_month = m.month() == start.month() && m.year() > start.year();
            match state {
                State::Gone => break,
                State::Paused { until, mrr_factor } => {
                    if mi < until {
                        continue;
                    }
                    state = State::Active;
                    reactivated = true;
                    churn_date = None;
                    seats = ((f64::from(seats) * mrr_factor).round() as u32).max(1);
                }
                State::Active if mi > start_idx && mi > 0 => {
                    let months_in = (m.index() - Month::of(start).index()) as f64;
                    let mut hazard = 0.004 + 0.09 * (1.0 - h).powi(2);
                    hazard *= if renewal_month { 6.0 } else { 0.55 };
                    if months_in < 3.0 && !renewal_month {
                        hazard *= 0.2;
                    }
                    if chance(rng, hazard) {
                        let date = if renewal_month {
                            let d = anniversary(start, m.year());
                            renewal_churns.push(d);
                            d
                        } else {
                            workday_in(rng, m, start + Duration::days(1))
                        };
                        churn_date = Some(date);
                        state = if !reactivated && mi + 3 < months && chance(rng, 0.15) {
                            State::Paused {
                                until: mi + rng.random_range(2..=6),
                                mrr_factor: uniform(rng, 0.6, 1.0),
                            }
                        } else {
                            State::Gone
                        };
                        continue;
                    }
                    let p_exp = 0.03 * (0.3 + h);
                    let p_con = 0.02 * (1.3 - h);
                    let r = rng.random::<f64>();
                    if r < p_exp {
                        let add = (f64::from(seats) * uniform(rng, 0.1, 0.35)).round() as u32;
                        seats += add.max(1);
                    } else if r < p_exp + p_con {
                        let cut = (f64::from(seats) * uniform(rng, 0.1, 0.3)).round() as u32;
                        seats = seats.saturating_sub(cut.max(1)).max(1);
                    }
                    if renewal_month && chance(rng, 0.3) {
                        seat_price = (seat_price as f64 * 1.05).round() as i64;
                    }
                }
                State::Active => {}
            }
            mrr[mi] = whole_euros(f64::from(seats) * seat_price as f64);
            seat_hist[mi] = seats;
        }
        // A reactivation that would only happen after the window: the account stays churned.
        let acct = &mut self.accounts[a];
        acct.churn = churn_date;
        acct.renewal_churns = renewal_churns;
        if let Some(last) = (0..months).rev().find(|&mi| mrr[mi] > 0) {
            acct.current_mrr = mrr[last];
            acct.current_seats = seat_hist[last];
        }
        acct.mrr = mrr;
        acct.seats = seat_hist;
        // Next renewal: for customers the first anniversary from the current month on,
        // for churned ones the contract end they left at.
        let from = acct
            .churn
            .unwrap_or_else(|| month_at(first, months - 1).first_day());
        let mut y = start.year() + 1;
        while anniversary(start, y) < from {
            y += 1;
        }
        acct.renewal = anniversary(start, y);
    }

    fn write(&self, kind: Kind, opts: &DemoOptions, out: &mut dyn io::Write) -> io::Result<()> {
        let mut w = csv::WriterBuilder::new()
            .buffer_capacity(1 << 16)
            .from_writer(out);
        w.write_record(header(kind))?;
        let mut rng = rng_for(kind_seed(opts.seed, kind));
        match kind {
            Kind::Accounts => self.write_accounts(&mut w)?,
            Kind::Revenue => self.write_revenue(&mut w)?,
            Kind::Renewals => self.write_renewals(&mut w)?,
            Kind::Surveys => self.write_surveys(&mut w, &mut rng)?,
            Kind::Tickets => self.write_tickets(&mut w, &mut rng)?,
            Kind::Usage => self.write_usage(&mut w, kind_seed(opts.seed, kind), opts.usage_rows)?,
            Kind::Touchpoints => self.write_touchpoints(&mut w, &mut rng)?,
            Kind::Campaigns => self.write_campaigns(&mut w, &mut rng, opts.accounts)?,
            Kind::Costs => self.write_costs(&mut w, &mut rng, opts.accounts)?,
            Kind::Leads => self.write_leads(&mut w, &mut rng, opts.accounts)?,
            Kind::Orders => self.write_orders(&mut w, &mut rng)?,
        }
        w.flush()
    }

    fn window_end(&self) -> NaiveDate {
        month_at(self.first, self.months - 1).last_day()
    }

    // -- accounts, revenue, renewals: straight from the world ---------------------------

    fn write_accounts<W: io::Write>(&self, w: &mut csv::Writer<W>) -> io::Result<()> {
        for a in &self.accounts {
            w.write_record([
                a.id.as_str(),
                &a.name,
                a.segment.label(),
                PLANS[a.plan],
                OWNERS[a.owner],
                a.region,
                &a.start.to_string(),
                &opt_date(a.churn),
                &a.renewal.to_string(),
                &a.current_seats.to_string(),
                &money(a.current_mrr),
                &opt_date(a.onboarded),
            ])?;
        }
        Ok(())
    }

    fn write_revenue<W: io::Write>(&self, w: &mut csv::Writer<W>) -> io::Result<()> {
        for a in &self.accounts {
            for (mi, &cents) in a.mrr.iter().enumerate() {
                if cents > 0 {
                    let m = month_at(self.first, mi).to_string();
                    w.write_record([a.id.as_str(), &m, &money(cents), "EUR"])?;
                }
            }
        }
        Ok(())
    }

    fn write_renewals<W: io::Write>(&self, w: &mut csv::Writer<W>) -> io::Result<()> {
        let window_start = self.first.first_day();
        let window_end = self.window_end();
        let horizon = month_at(self.first, self.months + 2).last_day();
        let last = self.months - 1;
        let mut rows: Vec<(NaiveDate, usize, &'static str, i64)> = Vec::new();
        for (ai, a) in self.accounts.iter().enumerate() {
            let mut y = a.start.year() + 1;
            loop {
                let due = anniversary(a.start, y);
                y += 1;
                if due > horizon {
                    break;
                }
                if due < window_start {
                    continue;
                }
                if due > window_end {
                    // The pipeline: upcoming renewals of current customers.
                    if a.mrr[last] > 0 {
                        rows.push((due, ai, "open", 12 * a.current_mrr));
                    }
                    continue;
                }
                let mi = (Month::of(due).index() - self.first.index()) as usize;
                if a.renewal_churns.contains(&due) {
                    let before = if mi > 0 { a.mrr[mi - 1] } else { a.current_mrr };
                    rows.push((due, ai, "churned", 12 * before));
                } else if a.mrr[mi] > 0 {
                    let outcome = if mi == last && due.day() > 20 {
                        "open"
                    } else {
                        "renewed"
                    };
                    rows.push((due, ai, outcome, 12 * a.mrr[mi]));
                }
            }
        }
        rows.sort_by_key(|r| (r.0, r.1));
        for (due, ai, outcome, amount) in rows {
            w.write_record([
                self.accounts[ai].id.as_str(),
                &due.to_string(),
                outcome,
                &money(amount),
            ])?;
        }
        Ok(())
    }

    // -- surveys ---------------------------------------------------------------------------

    fn write_surveys<W: io::Write>(
        &self,
        w: &mut csv::Writer<W>,
        rng: &mut ChaCha8Rng,
    ) -> io::Result<()> {
        struct Resp {
            date: NaiveDate,
            account: Option<usize>,
            seq: usize,
            nps: i64,
            csat: Option<i64>,
            ces: Option<i64>,
            comment: Option<&'static str>,
        }
        let mut rows = Vec::new();
        for (ai, a) in self.accounts.iter().enumerate() {
            let mean = match a.segment {
                Segment::Smb => 0.25,
                Segment::Mid => 0.45,
                Segment::Enterprise => 0.9,
            };
            for mi in 0..self.months {
                if !self.is_active(ai, mi) {
                    continue;
                }
                let h = self.health(ai, mi);
                let m = month_at(self.first, mi);
                for _ in 0..poisson(rng, mean) {
                    let date = workday_in(rng, m, a.start);
                    let nps = (3.4 + 7.2 * h + 1.3 * normal(rng)).round().clamp(0.0, 10.0) as i64;
                    let csat = chance(rng, 0.55).then(|| {
                        (1.2 + 4.0 * h + 0.7 * normal(rng)).round().clamp(1.0, 5.0) as i64
                    });
                    let ces = chance(rng, 0.35).then(|| {
                        (1.5 + 5.5 * h + 1.0 * normal(rng)).round().clamp(1.0, 7.0) as i64
                    });
                    let p_comment = if nps <= 6 { 0.45 } else { 0.18 };
                    let comment = chance(rng, p_comment).then(|| {
                        let list = match nps {
                            0..=6 => DETRACTOR_COMMENTS,
                            7 | 8 => PASSIVE_COMMENTS,
                            _ => PROMOTER_COMMENTS,
                        };
                        pick(rng, list)
                    });
                    let account = (!chance(rng, 0.05)).then_some(ai);
                    let seq = rows.len();
                    rows.push(Resp {
                        date,
                        account,
                        seq,
                        nps,
                        csat,
                        ces,
                        comment,
                    });
                }
            }
        }
        rows.sort_by_key(|r| (r.date, r.account.unwrap_or(usize::MAX), r.seq));
        let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        for (i, r) in rows.iter().enumerate() {
            w.write_record([
                format!("R-{}", 100001 + i).as_str(),
                r.account.map_or("", |ai| self.accounts[ai].id.as_str()),
                &r.date.to_string(),
                &r.nps.to_string(),
                &opt(r.csat),
                &opt(r.ces),
                r.comment.unwrap_or(""),
            ])?;
        }
        Ok(())
    }

    // -- tickets ---------------------------------------------------------------------------

    fn write_tickets<W: io::Write>(
        &self,
        w: &mut csv::Writer<W>,
        rng: &mut ChaCha8Rng,
    ) -> io::Result<()> {
        struct Ticket {
            created: NaiveDateTime,
            account: usize,
            seq: usize,
            first_minutes: i64,
            resolved: Option<NaiveDateTime>,
            contacts: u32,
            channel: &'static str,
        }
        let end = datetime(self.window_end(), 86399);
        let mut rows = Vec::new();
        for (ai, a) in self.accounts.iter().enumerate() {
            let base = match a.segment {
                Segment::Smb => 0.35,
                Segment::Mid => 0.9,
                Segment::Enterprise => 2.2,
            };
            for mi in 0..self.months {
                if !self.is_active(ai, mi) {
                    continue;
                }
                let h = self.health(ai, mi);
                let m = month_at(self.first, mi);
                for _ in 0..poisson(rng, base * (0.6 + 1.2 * (1.0 - h))) {
                    let day = workday_in(rng, m, a.start);
                    let created = datetime(day, office_time(rng));
                    let channel =
                        ["email", "chat", "phone"][pick_weighted(rng, &[0.6, 0.28, 0.12])];
                    let weekend = is_weekend(day);
                    let first_minutes = match channel {
                        "phone" => f64::from(rng.random_range(1..=6u32)),
                        "chat" => (4.0 * (0.8 * normal(rng)).exp()).round().clamp(1.0, 60.0),
                        _ => (150.0 * (1.0 * normal(rng)).exp() * if weekend { 6.0 } else { 1.0 })
                            .round()
                            .clamp(3.0, 2880.0),
                    } as i64;
                    let contacts = 1 + pick_weighted(rng, &[0.42, 0.28, 0.15, 0.09, 0.06]) as u32;
                    let median_hours = if contacts == 1 {
                        if channel == "email" {
                            3.0
                        } else {
                            0.4
                        }
                    } else {
                        7.0 * f64::from(contacts)
                    };
                    let hours = (median_hours * (0.9 * normal(rng)).exp()).min(24.0 * 30.0);
                    let resolved = created
                        + Duration::minutes(first_minutes)
                        + Duration::seconds((hours * 3600.0).round() as i64);
                    let resolved = (resolved <= end && !chance(rng, 0.02)).then_some(resolved);
                    let seq = rows.len();
                    rows.push(Ticket {
                        created,
                        account: ai,
                        seq,
                        first_minutes,
                        resolved,
                        contacts,
                        channel,
                    });
                }
            }
        }
        rows.sort_by_key(|t| (t.created, t.account, t.seq));
        for (i, t) in rows.iter().enumerate() {
            let first_at = t.created + Duration::minutes(t.first_minutes);
            let fcr = match t.resolved {
                Some(_) if t.contacts <= 1 => "true",
                Some(_) => "false",
                None => "",
            };
            w.write_record([
                format!("T-{}", 50001 + i).as_str(),
                &self.accounts[t.account].id,
                &fmt_datetime(t.created),
                &fmt_datetime(first_at),
                &t.first_minutes.to_string(),
                &t.resolved.map(fmt_datetime).unwrap_or_default(),
                &t.contacts.to_string(),
                fcr,
                t.channel,
            ])?;
        }
        Ok(())
    }

    // -- usage -----------------------------------------------------------------------------

    /// What account `a` does in month `mi`; shared by the sizing pass and the writing pass,
    /// so it is computed from stateless noise, not from a random stream.
    fn usage_plan(&self, useed: u64, a: usize, mi: usize) -> Option<UsagePlan> {
        let acct = &self.accounts[a];
        if acct.mrr[mi] == 0 {
            return None;
        }
        let h = self.health(a, mi);
        // At-risk accounts sometimes do not log in at all for a month.
        if unit(useed, a, mi, 1) < 0.4 * (1.0 - h).powi(3) {
            return None;
        }
        let m = month_at(self.first, mi);
        let day_lo = if Month::of(acct.start) == m {
            acct.start.day()
        } else {
            1
        };
        let avail = m.days() - day_lo + 1;
        // Active days: at-risk 2–8, middling 8–15, healthy 15–22.
        let base = if h < 0.35 {
            2.0 + (h - 0.05).max(0.0) / 0.3 * 6.0
        } else if h < 0.65 {
            8.0 + (h - 0.35) / 0.3 * 7.0
        } else {
            15.0 + (h - 0.65) / 0.35 * 7.0
        };
        let days = (base + (unit(useed, a, mi, 2) - 0.5) * 4.0).clamp(1.0, 23.0);
        let days = ((days * f64::from(avail) / f64::from(m.days())).round() as u32).clamp(1, avail);
        let seats = acct.seats[mi].max(1);
        let adoption = (0.2 + 0.75 * h + (unit(useed, a, mi, 3) - 0.5) * 0.16).clamp(0.05, 1.0);
        let users = ((f64::from(seats) * adoption).round() as u32).clamp(1, seats);
        let features = ((2.0 + (8.0 * h).round()) as usize).clamp(2, FEATURES.len());
        Some(UsagePlan {
            day_lo,
            days,
            users,
            share: 0.12 + 0.33 * h,
            burst: 1.2 + 1.2 * h,
            features,
        })
    }

    fn write_usage<W: io::Write>(
        &self,
        w: &mut csv::Writer<W>,
        useed: u64,
        target: Option<usize>,
    ) -> io::Result<()> {
        // Pass 1: natural row counts per account-month (bounded: accounts × months floats).
        let n = self.months;
        let mut natural = vec![0f64; self.accounts.len() * n];
        for a in 0..self.accounts.len() {
            for mi in 0..n {
                if let Some(p) = self.usage_plan(useed, a, mi) {
                    natural[a * n + mi] = p.natural_rows();
                }
            }
        }
        let total: f64 = natural.iter().sum();
        let factor = match target {
            Some(t) if total > 0.0 => t as f64 / total,
            Some(_) => 0.0,
            None => 1.0,
        };

        // Pass 2: stream rows, account by account, month by month, sorted by time within.
        let mut carry = 0.0;
        let mut rows: Vec<UsageRow> = Vec::new();
        let mut weekdays: Vec<u8> = Vec::with_capacity(31);
        let mut weekends: Vec<u8> = Vec::with_capacity(31);
        let mut chosen: Vec<u8> = Vec::with_capacity(31);
        let mut user_ids: Vec<String> = Vec::new();
        let mut stamp = String::new();
        let mut secs = String::new();
        for (a, acct) in self.accounts.iter().enumerate() {
            let mut rng = rng_for(sub_seed(useed, a as u64));
            user_ids.clear();
            // Feature order of this account: dashboard and reports first, the rest shuffled.
            let mut order: [u8; FEATURES.len()] = std::array::from_fn(|i| i as u8);
            for i in 2..order.len() {
                let j = rng.random_range(i..order.len());
                order.swap(i, j);
            }
            for mi in 0..n {
                let want = natural[a * n + mi] * factor + carry;
                let count = want.floor().max(0.0);
                carry = want - count;
                let count = count as usize;
                if count == 0 {
                    continue;
                }
                let Some(plan) = self.usage_plan(useed, a, mi) else {
                    continue;
                };
                let m = month_at(self.first, mi);
                // The account's active days: working days first.
                weekdays.clear();
                weekends.clear();
                for d in plan.day_lo..=m.days() {
                    let date = m.first_day() + Duration::days(i64::from(d - 1));
                    if is_weekend(date) {
                        weekends.push(d as u8);
                    } else {
                        weekdays.push(d as u8);
                    }
                }
                chosen.clear();
                for list in [&mut weekdays, &mut weekends] {
                    let take = (plan.days as usize - chosen.len()).min(list.len());
                    for i in 0..take {
                        let j = rng.random_range(i..list.len());
                        list.swap(i, j);
                    }
                    chosen.extend_from_slice(&list[..take]);
                }
                let n_days = chosen.len().max(1);
                let users = plan.users as usize;
                let cover = n_days.max(users);
                let extra_p = (plan.burst - 1.0) / plan.burst;
                rows.clear();
                let mut burst = 0usize;
                while rows.len() < count {
                    // The first bursts cover every active day and every active user once.
                    let (day, u) = if burst < cover {
                        (chosen[burst % n_days], burst % users)
                    } else {
                        let skew = rng.random::<f64>().powi(2);
                        (
                            chosen[rng.random_range(0..n_days)],
                            ((skew * users as f64) as usize).min(users - 1),
                        )
                    };
                    burst += 1;
                    let mut t = office_time(&mut rng);
                    loop {
                        let dur = (300.0 * (0.9 * normal(&mut rng)).exp()).clamp(15.0, 7200.0);
                        let f = (rng.random::<f64>().powf(1.6) * plan.features as f64) as usize;
                        rows.push(UsageRow {
                            day,
                            secs: t.min(86399),
                            user: u as u32,
                            duration: dur.round() as u32,
                            feature: order[f.min(plan.features - 1)],
                        });
                        if rows.len() >= count || !chance(&mut rng, extra_p) {
                            break;
                        }
                        t += dur as u32 + rng.random_range(60..2400);
                    }
                }
                rows.sort_unstable_by_key(|r| (r.day, r.secs, r.user, r.feature, r.duration));
                let prefix = m.to_string();
                while user_ids.len() < users {
                    user_ids.push(format!("u{:02}@{}", user_ids.len() + 1, acct.domain));
                }
                for r in &rows {
                    stamp.clear();
                    stamp.push_str(&prefix);
                    stamp.push('-');
                    push_2digits(&mut stamp, u32::from(r.day));
                    stamp.push(' ');
                    push_2digits(&mut stamp, r.secs / 3600);
                    stamp.push(':');
                    push_2digits(&mut stamp, r.secs / 60 % 60);
                    stamp.push(':');
                    push_2digits(&mut stamp, r.secs % 60);
                    secs.clear();
                    let _ = write!(secs, "{}", r.duration);
                    w.write_record([
                        acct.id.as_str(),
                        &user_ids[r.user as usize],
                        &stamp,
                        "1",
                        &secs,
                        FEATURES[r.feature as usize],
                    ])?;
                }
            }
        }
        Ok(())
    }

    // -- touchpoints -----------------------------------------------------------------------

    fn write_touchpoints<W: io::Write>(
        &self,
        w: &mut csv::Writer<W>,
        rng: &mut ChaCha8Rng,
    ) -> io::Result<()> {
        const TYPES: [&str; 4] = ["E-Mail", "Call", "Meeting", "Training"];
        let mut rows: Vec<(NaiveDate, usize, usize, &'static str, usize)> = Vec::new();
        for (ai, a) in self.accounts.iter().enumerate() {
            let base = match a.segment {
                Segment::Smb => 0.45,
                Segment::Mid => 0.8,
                Segment::Enterprise => 1.3,
            };
            let care = if a.neglected { 0.25 } else { 1.0 };
            let qbr_phase = ai % 3;
            for mi in 0..self.months {
                if !self.is_active(ai, mi) {
                    continue;
                }
                let m = month_at(self.first, mi);
                let h = self.health(ai, mi);
                let onboarding = (m.index() - Month::of(a.start).index()) < 2;
                // CSMs call unhappy customers a bit more often (unless they neglect them).
                let mean = base * care * (if onboarding { 2.0 } else { 1.0 }) * (1.3 - 0.4 * h);
                let mut push = |rng: &mut ChaCha8Rng, kind: &'static str| {
                    let date = workday_in(rng, m, a.start);
                    let owner = if chance(rng, 0.05) {
                        rng.random_range(0..OWNERS.len())
                    } else {
                        a.owner
                    };
                    let seq = rows.len();
                    rows.push((date, ai, seq, kind, owner));
                };
                for _ in 0..poisson(rng, mean) {
                    let tw = if onboarding {
                        [0.25, 0.25, 0.15, 0.35]
                    } else {
                        [0.38, 0.3, 0.24, 0.08]
                    };
                    let kind = TYPES[pick_weighted(rng, &tw)];
                    push(rng, kind);
                }
                let qbr_p = match a.segment {
                    Segment::Smb => 0.0,
                    Segment::Mid => 0.5,
                    Segment::Enterprise => 0.85,
                } * care;
                if m.month() as usize % 3 == qbr_phase && chance(rng, qbr_p) {
                    push(rng, "QBR");
                }
            }
        }
        rows.sort_by_key(|r| (r.0, r.1, r.2));
        for (date, ai, _, kind, owner) in rows {
            w.write_record([
                self.accounts[ai].id.as_str(),
                &date.to_string(),
                kind,
                OWNERS[owner],
            ])?;
        }
        Ok(())
    }

    // -- campaigns -------------------------------------------------------------------------

    fn customers(&self, mi: usize) -> usize {
        (0..self.accounts.len())
            .filter(|&a| self.is_active(a, mi))
            .count()
    }

    fn new_customers(&self, mi: usize) -> usize {
        let m = month_at(self.first, mi);
        self.accounts
            .iter()
            .filter(|a| Month::of(a.start) == m)
            .count()
    }

    fn write_campaigns<W: io::Write>(
        &self,
        w: &mut csv::Writer<W>,
        rng: &mut ChaCha8Rng,
        accounts: usize,
    ) -> io::Result<()> {
        const MONTHS_DE: [&str; 12] = [
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ];
        const EMAILS: [(&str, f64); 6] = [
            ("Webinar-Einladung", 0.32),
            ("Onboarding-Tipps", 0.45),
            ("Renewal-Reminder", 0.5),
            ("Feature-Spotlight", 0.3),
            ("Kundenumfrage", 0.35),
            ("Case Study", 0.24),
        ];
        const PAGES: [(&str, f64); 5] = [
            ("Startseite", 1.0),
            ("Preise", 0.35),
            ("Funktionen", 0.45),
            ("Blog", 0.6),
            ("Hilfe-Center", 0.8),
        ];
        const POSTS: [&str; 6] = [
            "LinkedIn – Produkt-Update",
            "LinkedIn – Kundenstory",
            "LinkedIn – Team-Einblick",
            "Instagram – Behind the Scenes",
            "X – Release Notes",
            "LinkedIn – Webinar-Teaser",
        ];
        const EVENTS: [&str; 6] = [
            "Webinar: Dashboards in 15 Minuten",
            "Anwendertreffen München",
            "Webinar: Workflows automatisieren",
            "Kundentag Zürich",
            "Webinar: API & Integrationen",
            "Roundtable Wien",
        ];
        let scale = (accounts as f64 / 120.0).max(0.01);
        let social_scale = scale.powf(0.6);
        for mi in 0..self.months {
            let m = month_at(self.first, mi);
            let customers = self.customers(mi) as f64;
            let month_name = format!("{} {}", MONTHS_DE[m.month() as usize - 1], m.year());
            let mut rec = |date: NaiveDate, channel: &str, name: &str, cols: &[(usize, u64)]| {
                let mut cells = vec![String::new(); 21];
                cells[0] = date.to_string();
                cells[1] = channel.to_string();
                cells[2] = name.to_string();
                for &(i, v) in cols {
                    cells[i] = v.to_string();
                }
                w.write_record(&cells)
            };
            let r = |x: f64| x.round().max(0.0) as u64;
            // Email: a newsletter, a product update and one rotating campaign.
            let audience = customers * 14.0 + 900.0 * scale;
            let rotating = EMAILS[mi % EMAILS.len()];
            let campaigns = [
                (format!("Newsletter {month_name}"), audience, 0.27),
                (
                    format!("Produkt-Update {month_name}"),
                    customers * 14.0,
                    0.38,
                ),
                (
                    format!("{} {month_name}", rotating.0),
                    customers * 6.0 + 200.0 * scale,
                    rotating.1,
                ),
            ];
            for (name, size, open) in campaigns {
                let date = workday_in(rng, m, m.first_day());
                let sent = r(size * uniform(rng, 0.92, 1.05)).max(1);
                let delivered = r(sent as f64 * uniform(rng, 0.965, 0.992));
                let opened = r(delivered as f64 * open * uniform(rng, 0.85, 1.15));
                let clicked = r(delivered as f64 * open * uniform(rng, 0.08, 0.2));
                let converted = r(clicked as f64 * uniform(rng, 0.04, 0.18));
                let unsub = r(delivered as f64 * uniform(rng, 0.001, 0.005));
                rec(
                    date,
                    "email",
                    &name,
                    &[
                        (3, sent),
                        (4, delivered),
                        (5, opened),
                        (6, clicked),
                        (7, converted),
                        (8, unsub),
                    ],
                )?;
            }
            // Web: monthly figures per page, dated on the 1st.
            for (page, weight) in PAGES {
                let views = r(6000.0 * scale * weight * uniform(rng, 0.85, 1.2));
                let sessions = r(views as f64 / uniform(rng, 1.5, 2.6));
                let bounces = r(sessions as f64 * uniform(rng, 0.3, 0.6));
                let exits = r((views as f64 * uniform(rng, 0.2, 0.45)).min(sessions as f64));
                let duration = r(sessions as f64 * uniform(rng, 60.0, 240.0));
                rec(
                    m.first_day(),
                    "web",
                    page,
                    &[
                        (9, views),
                        (10, sessions),
                        (11, bounces),
                        (12, exits),
                        (13, duration),
                    ],
                )?;
            }
            // Social: three or four posts.
            for k in 0..(3 + usize::from(chance(rng, 0.5))) {
                let post = POSTS[(mi + 2 * k) % POSTS.len()];
                let date = workday_in(rng, m, m.first_day());
                let reach = social_scale * uniform(rng, 0.5, 2.0);
                rec(
                    date,
                    "social",
                    post,
                    &[
                        (14, r(120.0 * reach)),
                        (15, r(14.0 * reach)),
                        (16, r(9.0 * reach)),
                        (17, r(85.0 * reach)),
                    ],
                )?;
            }
            // Event: one a month (webinars, user groups, a customer day).
            let event = EVENTS[mi % EVENTS.len()];
            let date = workday_in(rng, m, m.first_day());
            let registrations = r((40.0 + customers * 0.5) * social_scale * uniform(rng, 0.7, 1.4));
            let attendees = r(registrations as f64 * uniform(rng, 0.4, 0.75));
            let interactions = r(attendees as f64 * uniform(rng, 0.6, 2.5));
            rec(
                date,
                "event",
                event,
                &[(18, registrations), (19, attendees), (20, interactions)],
            )?;
        }
        Ok(())
    }

    // -- costs -----------------------------------------------------------------------------

    fn write_costs<W: io::Write>(
        &self,
        w: &mut csv::Writer<W>,
        rng: &mut ChaCha8Rng,
        accounts: usize,
    ) -> io::Result<()> {
        let scale = (accounts as f64 / 120.0).max(0.01);
        for mi in 0..self.months {
            let m = month_at(self.first, mi);
            let customers = self.customers(mi) as f64;
            let new = self.new_customers(mi) as f64;
            let event_month = matches!(m.month(), 3 | 6 | 9 | 11);
            let mut items: Vec<(&str, &str, f64)> = vec![
                ("retention", "CS-Team Gehälter", customers * 190.0),
                ("retention", "Support-Team", customers * 85.0),
                (
                    "retention",
                    "Onboarding-Programm",
                    1500.0 * scale + new * 900.0,
                ),
                ("retention", "CS-Software & Tools", 1400.0 * scale),
                ("acquisition", "Vertrieb", 24000.0 * scale + new * 4500.0),
                ("acquisition", "Marketing Kampagnen", 9000.0 * scale),
                ("acquisition", "Online-Werbung", 6000.0 * scale),
            ];
            if event_month {
                items.push(("retention", "Kundenevents", 4000.0 * scale));
                items.push(("acquisition", "Messen & Events", 12000.0 * scale));
            }
            for (kind, category, amount) in items {
                let cents = whole_euros(amount * 100.0 * uniform(rng, 0.95, 1.05));
                w.write_record([m.to_string().as_str(), kind, category, &money(cents)])?;
            }
        }
        Ok(())
    }

    // -- leads -----------------------------------------------------------------------------

    fn write_leads<W: io::Write>(
        &self,
        w: &mut csv::Writer<W>,
        rng: &mut ChaCha8Rng,
        accounts: usize,
    ) -> io::Result<()> {
        let scale = accounts as f64 / 120.0;
        let end = self.window_end();
        let mut rows: Vec<(NaiveDate, usize, Option<NaiveDate>, bool)> = Vec::new();
        for mi in 0..self.months {
            let m = month_at(self.first, mi);
            // Slow growth of the funnel over the window.
            let grow = 1.0 + 0.3 * mi as f64 / self.months as f64;
            let count = (30.0 * scale * grow * uniform(rng, 0.8, 1.2)).round() as usize;
            for _ in 0..count {
                let created =
                    m.first_day() + Duration::days(rng.random_range(0..i64::from(m.days())));
                let trial = chance(rng, 0.4);
                let converted = if trial {
                    chance(rng, 0.25).then(|| created + Duration::days(rng.random_range(7..=21)))
                } else {
                    chance(rng, 0.1).then(|| created + Duration::days(rng.random_range(3..=30)))
                };
                let converted = converted.filter(|d| *d <= end);
                let seq = rows.len();
                rows.push((created, seq, converted, trial));
            }
        }
        rows.sort_by_key(|r| (r.0, r.1));
        for (i, (created, _, converted, trial)) in rows.iter().enumerate() {
            w.write_record([
                format!("L-{}", 20001 + i).as_str(),
                &created.to_string(),
                &opt_date(*converted),
                if *trial { "trial" } else { "lead" },
            ])?;
        }
        Ok(())
    }

    // -- orders ----------------------------------------------------------------------------

    fn write_orders<W: io::Write>(
        &self,
        w: &mut csv::Writer<W>,
        rng: &mut ChaCha8Rng,
    ) -> io::Result<()> {
        let mut rows: Vec<(NaiveDate, usize, usize, i64)> = Vec::new();
        for (ai, a) in self.accounts.iter().enumerate() {
            let p = if a.buyer { 0.14 } else { 0.012 };
            let size = match a.segment {
                Segment::Smb => 1.0,
                Segment::Mid => 2.0,
                Segment::Enterprise => 4.0,
            };
            for mi in 0..self.months {
                if !self.is_active(ai, mi) || !chance(rng, p) {
                    continue;
                }
                let m = month_at(self.first, mi);
                let date = workday_in(rng, m, a.start);
                let cents: i64 = match pick_weighted(rng, &[0.3, 0.2, 0.25, 0.1, 0.15]) {
                    // Zusatzmodul (monthly list price × 12, prepaid)
                    0 => [49_000, 99_000, 149_000][rng.random_range(0..3)],
                    // Schulungspaket
                    1 => 149_000,
                    // Beratungstage à 1.200 €
                    2 => 120_000 * rng.random_range(1..=5),
                    // Datenmigration
                    3 => whole_euros(uniform(rng, 2500.0, 8000.0) * 100.0),
                    // Zusatzspeicher, with VAT-style cents
                    _ => [19_050, 38_100, 59_050][rng.random_range(0..3)],
                };
                let cents = (cents as f64 * size).round() as i64;
                let seq = rows.len();
                rows.push((date, ai, seq, cents));
            }
        }
        rows.sort_by_key(|r| (r.0, r.1, r.2));
        for (i, (date, ai, _, cents)) in rows.iter().enumerate() {
            w.write_record([
                format!("O-{}", 70001 + i).as_str(),
                &self.accounts[*ai].id,
                &date.to_string(),
                &money(*cents),
            ])?;
        }
        Ok(())
    }
}

struct UsagePlan {
    /// First day of the month the account may have usage (its start day in the start month).
    day_lo: u32,
    days: u32,
    users: u32,
    /// Share of the account's active days a user is active on.
    share: f64,
    /// Mean sessions per active user-day.
    burst: f64,
    /// How many of the account's features (in its own order) it uses.
    features: usize,
}

impl UsagePlan {
    fn natural_rows(&self) -> f64 {
        f64::from(self.users) * f64::from(self.days) * self.share * self.burst
    }
}

struct UsageRow {
    day: u8,
    secs: u32,
    user: u32,
    duration: u32,
    feature: u8,
}

const PROMOTER_COMMENTS: &[&str] = &[
    "Super Support, schnelle Antworten!",
    "Das neue Dashboard spart uns jede Woche Stunden.",
    "Great product, our team loves the reports.",
    "=great support",
    "+1 für die neuen Workflows",
    "Onboarding war hervorragend organisiert.",
    "Very intuitive, easy to roll out to new colleagues.",
    "Unsere CSM ist immer erreichbar – danke!",
    "The API integration worked out of the box.",
    "Beste Entscheidung des Jahres.",
];

const PASSIVE_COMMENTS: &[&str] = &[
    "Gutes Tool, aber die Exporte könnten flexibler sein.",
    "Solid, but pricing is getting steep for us.",
    "Insgesamt zufrieden, manchmal etwas langsam.",
    "Would like more integrations (e.g. HubSpot).",
    "Die Schulung war gut, die Doku könnte besser sein.",
    "- Mobile App fehlt noch",
    "Works fine. Reporting could be more customizable.",
    "+ gute Reports, - umständliche Rechteverwaltung",
];

const DETRACTOR_COMMENTS: &[&str] = &[
    "-- too slow",
    "Ladezeiten sind seit Wochen inakzeptabel.",
    "Support antwortet zu spät, Tickets bleiben liegen.",
    "We are evaluating alternatives.",
    "Zu teuer für das, was wir tatsächlich nutzen.",
    "Export bricht bei großen Datenmengen ab.",
    "Since the last update several reports are broken.",
    "Keine Rückmeldung auf unsere Feature-Wünsche.",
    "-- Login-Probleme seit dem Update",
    "=(  nothing works after the migration",
    "@Support: bitte endlich melden!",
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn read(file: &DemoFile) -> (Vec<String>, Vec<Vec<String>>) {
        let mut r = csv::Reader::from_reader(file.csv.as_slice());
        let header = r
            .headers()
            .expect("header")
            .iter()
            .map(str::to_string)
            .collect();
        let rows = r
            .records()
            .map(|rec| rec.expect("record").iter().map(str::to_string).collect())
            .collect();
        (header, rows)
    }

    fn small() -> DemoOptions {
        DemoOptions {
            accounts: 60,
            ..DemoOptions::default()
        }
    }

    #[test]
    fn an_export_that_fails_leaves_none_of_its_files() {
        let dir = tempfile::tempdir().unwrap();
        let opts = small();
        // the revenue file cannot be written: a folder has its name
        std::fs::create_dir(
            dir.path()
                .join(format!("sample-{}-revenue.csv", opts.last_month)),
        )
        .unwrap();
        let e = export(&opts, dir.path()).unwrap_err();
        assert_eq!(e.code(), "cannot_write", "{e:?}");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(left, [format!("sample-{}-revenue.csv", opts.last_month)]);
        // and into an empty folder: all eleven, each with its kind's header
        let dir = tempfile::tempdir().unwrap();
        let files = export(&opts, dir.path()).unwrap();
        assert_eq!(files.len(), Kind::ALL.len());
        let revenue = std::fs::read_to_string(&files[1]).unwrap();
        assert!(
            revenue.starts_with("account_id,month,mrr,currency\n"),
            "{revenue:.80}"
        );
    }

    #[test]
    fn deterministic_and_seed_dependent() {
        let a = generate(&small());
        let b = generate(&small());
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.csv, y.csv, "{} differs between runs", x.kind);
        }
        let c = generate(&DemoOptions { seed: 7, ..small() });
        for (x, y) in a.iter().zip(&c) {
            assert_ne!(x.csv, y.csv, "{} does not depend on the seed", x.kind);
        }
        // write_kind streams exactly what generate returns, in any order.
        for kind in [Kind::Orders, Kind::Usage, Kind::Accounts] {
            let mut out = Vec::new();
            write_kind(&small(), kind, &mut out).expect("write");
            let file = a.iter().find(|f| f.kind == kind).expect("kind");
            assert_eq!(out, file.csv);
        }
    }

    #[test]
    fn all_kinds_with_canonical_headers() {
        let expected: [(&str, &str); 11] = [
            ("accounts", "account_id,name,segment,plan,owner,region,start_date,churn_date,renewal_date,seats,mrr,onboarded_date"),
            ("revenue", "account_id,month,mrr,currency"),
            ("renewals", "account_id,due_date,outcome,amount"),
            ("surveys", "response_id,account_id,date,nps,csat,ces,comment"),
            ("tickets", "ticket_id,account_id,created_at,first_response_at,first_response_minutes,resolved_at,contacts,first_contact_resolution,channel"),
            ("usage", "account_id,user_id,date,sessions,session_seconds,feature"),
            ("touchpoints", "account_id,date,type,owner"),
            ("campaigns", "date,channel,name,sent,delivered,opened,clicked,converted,unsubscribed,page_views,sessions,bounces,exits,duration_seconds,likes,shares,comments,clicks,registrations,attendees,interactions"),
            ("costs", "month,type,category,amount"),
            ("leads", "lead_id,created_date,converted_date,type"),
            ("orders", "order_id,account_id,date,amount"),
        ];
        let files = generate(&DemoOptions::default());
        assert_eq!(files.len(), 11);
        for ((file, kind), (id, head)) in files.iter().zip(Kind::ALL).zip(expected) {
            assert_eq!(file.kind, kind);
            assert_eq!(kind.id(), id);
            assert_eq!(file.file_name, format!("demo-{id}.csv"));
            let (header, rows) = read(file);
            assert_eq!(header.join(","), head, "{id}");
            assert!(!rows.is_empty(), "{id} has no rows");
            assert!(rows.iter().all(|r| r.len() == header.len()));
        }
    }

    fn parse_date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|_| panic!("bad date {s:?}"))
    }

    #[test]
    fn revenue_is_consistent_with_accounts() {
        let opts = DemoOptions::default();
        let files = generate(&opts);
        let first = opts.last_month.plus(1 - opts.months as i32);
        let (_, accounts) = read(&files[0]);
        let (_, revenue) = read(&files[1]);
        let mut info = BTreeMap::new();
        for a in &accounts {
            let churn = (!a[7].is_empty()).then(|| Month::of(parse_date(&a[7])));
            info.insert(a[0].clone(), (Month::of(parse_date(&a[6])), churn));
        }
        assert_eq!(info.len(), opts.accounts, "account ids are unique");
        let names: std::collections::BTreeSet<_> = accounts.iter().map(|a| &a[1]).collect();
        assert_eq!(names.len(), opts.accounts, "names are unique");
        let mut last_by_account: BTreeMap<String, Month> = BTreeMap::new();
        for r in &revenue {
            let m = Month::parse(&r[1]).expect("month");
            assert!(first <= m && m <= opts.last_month, "{m} outside the window");
            let (start, churn) = info[&r[0]];
            assert!(m >= start, "{} has revenue before its start", r[0]);
            if let Some(c) = churn {
                assert!(m < c, "{} has revenue in/after its churn month", r[0]);
            }
            assert!(r[2].parse::<f64>().expect("mrr") > 0.0);
            last_by_account.insert(r[0].clone(), m);
        }
        // Churned accounts have their last revenue month before the churn month, active ones
        // have revenue in the last month; every account appears.
        for (id, (_, churn)) in &info {
            let last = last_by_account.get(id).expect("every account has revenue");
            match churn {
                Some(c) => assert!(*last < *c),
                None => assert_eq!(*last, opts.last_month, "{id} active without revenue"),
            }
        }
        // Realism: new customers in most months, some churn, some reactivations.
        let mut active: BTreeMap<Month, Vec<&str>> = BTreeMap::new();
        for r in &revenue {
            active
                .entry(Month::parse(&r[1]).expect("month"))
                .or_default()
                .push(&r[0]);
        }
        let months: Vec<Month> = active.keys().copied().collect();
        let mut new_months = 0;
        for w in months.windows(2) {
            let prev = &active[&w[0]];
            let new = active[&w[1]]
                .iter()
                .filter(|id| info[**id].0 == w[1])
                .count();
            if new > 0 {
                new_months += 1;
            }
            assert!(prev.len() > 50);
        }
        assert!(
            new_months >= 14,
            "new customers in only {new_months} months"
        );
    }

    #[test]
    fn usage_rows_scale_to_target() {
        let opts = DemoOptions {
            accounts: 2000,
            usage_rows: Some(200_000),
            ..DemoOptions::default()
        };
        let mut out = Vec::new();
        write_kind(&opts, Kind::Usage, &mut out).expect("write");
        let rows = out.iter().filter(|&&b| b == b'\n').count() - 1;
        assert!(
            (190_000..=210_000).contains(&rows),
            "{rows} usage rows for a target of 200000"
        );
    }

    #[test]
    fn every_value_parses() {
        let opts = small();
        let first = opts.last_month.plus(1 - opts.months as i32);
        for file in generate(&opts) {
            let (header, rows) = read(&file);
            for row in &rows {
                for (field, value) in header.iter().zip(row) {
                    let f = field.as_str();
                    let required = matches!(
                        (file.kind, f),
                        (
                            _,
                            "account_id" | "month" | "date" | "created_date" | "amount"
                        ) | (Kind::Revenue, "mrr")
                            | (Kind::Renewals, "due_date" | "outcome")
                            | (Kind::Tickets, "ticket_id" | "created_at")
                            | (Kind::Usage, "user_id")
                            | (Kind::Campaigns, "channel")
                            | (Kind::Costs, "type")
                            | (Kind::Leads, "lead_id")
                            | (Kind::Orders, "order_id")
                    ) && !(file.kind == Kind::Surveys && f == "account_id");
                    if value.is_empty() {
                        assert!(!required, "{}: {f} is empty", file.kind);
                        continue;
                    }
                    assert_eq!(value.trim(), value, "{f}: stray whitespace");
                    match f {
                        "start_date" | "churn_date" | "renewal_date" | "onboarded_date"
                        | "due_date" | "created_date" | "converted_date" => {
                            parse_date(value);
                        }
                        "date" if file.kind == Kind::Usage => {
                            NaiveDateTime::parse_from_str(value, "%Y-%m-%d %H:%M:%S")
                                .expect("usage datetime");
                        }
                        "date" => {
                            let d = parse_date(value);
                            if file.kind != Kind::Renewals {
                                assert!(Month::of(d) >= first && Month::of(d) <= opts.last_month);
                            }
                        }
                        "created_at" | "first_response_at" | "resolved_at" => {
                            NaiveDateTime::parse_from_str(value, "%Y-%m-%d %H:%M:%S")
                                .expect("ticket datetime");
                        }
                        "month" => {
                            let m = Month::parse(value).expect("month");
                            assert!(m >= first && m <= opts.last_month);
                        }
                        "mrr" | "amount" | "session_seconds" | "first_response_minutes" => {
                            let v: f64 = value.parse().expect("number");
                            assert!(v >= 0.0 && v.is_finite(), "{f} = {value}");
                        }
                        "nps" => assert!((0..=10).contains(&value.parse::<i64>().expect("nps"))),
                        "csat" => assert!((1..=5).contains(&value.parse::<i64>().expect("csat"))),
                        "ces" => assert!((1..=7).contains(&value.parse::<i64>().expect("ces"))),
                        "contacts" => {
                            assert!((1..=5).contains(&value.parse::<i64>().expect("contacts")))
                        }
                        "seats" | "sessions" | "sent" | "delivered" | "opened" | "clicked"
                        | "converted" | "unsubscribed" | "page_views" | "bounces" | "exits"
                        | "duration_seconds" | "likes" | "shares" | "comments" | "clicks"
                        | "registrations" | "attendees" | "interactions" => {
                            value.parse::<u64>().expect("count");
                        }
                        "first_contact_resolution" => assert!(value == "true" || value == "false"),
                        "outcome" => {
                            assert!(["renewed", "churned", "open"].contains(&value.as_str()))
                        }
                        "type" if file.kind == Kind::Costs => {
                            assert!(value == "retention" || value == "acquisition")
                        }
                        "type" if file.kind == Kind::Leads => {
                            assert!(value == "trial" || value == "lead")
                        }
                        "channel" if file.kind == Kind::Tickets => {
                            assert!(["email", "chat", "phone"].contains(&value.as_str()))
                        }
                        "channel" => {
                            assert!(["email", "web", "social", "event"].contains(&value.as_str()))
                        }
                        _ => {}
                    }
                }
            }
        }
    }

    #[test]
    fn formula_looking_comments_are_present() {
        let files = generate(&DemoOptions::default());
        let (_, surveys) = read(&files[3]);
        let risky = surveys
            .iter()
            .filter(|r| r[6].starts_with(['=', '-', '+', '@']))
            .count();
        assert!(risky > 0, "no formula-looking comment in the default demo");
    }

    #[test]
    fn tiny_and_empty_companies_work() {
        for (accounts, months) in [(0, 18), (1, 1), (3, 2), (25, 40)] {
            let opts = DemoOptions {
                accounts,
                months,
                ..DemoOptions::default()
            };
            let files = generate(&opts);
            assert_eq!(files.len(), 11);
            let (_, accts) = read(&files[0]);
            assert_eq!(accts.len(), accounts);
            let mut out = Vec::new();
            write_kind(
                &DemoOptions {
                    usage_rows: Some(1000),
                    ..opts
                },
                Kind::Usage,
                &mut out,
            )
            .expect("write");
        }
    }

    /// `cargo test --release -p cspulse-engine demo::tests::summary -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn summary() {
        let opts = DemoOptions::default();
        let t = std::time::Instant::now();
        let files = generate(&opts);
        println!("generate(default): {:?}", t.elapsed());
        for f in &files {
            let rows = f.csv.iter().filter(|&&b| b == b'\n').count() - 1;
            println!(
                "{:12} {:>8} rows {:>10} bytes",
                f.kind.id(),
                rows,
                f.csv.len()
            );
        }
        let big = DemoOptions {
            accounts: 10_000,
            usage_rows: Some(1_000_000),
            ..DemoOptions::default()
        };
        let t = std::time::Instant::now();
        let mut sink = CountingSink::default();
        write_kind(&big, Kind::Usage, &mut sink).expect("write");
        println!(
            "usage 10k accounts / 1M rows: {:?}, {} rows, {} bytes",
            t.elapsed(),
            sink.lines - 1,
            sink.bytes
        );
    }

    #[derive(Default)]
    struct CountingSink {
        bytes: usize,
        lines: usize,
    }

    impl io::Write for CountingSink {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.bytes += buf.len();
            self.lines += buf.iter().filter(|&&b| b == b'\n').count();
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
}

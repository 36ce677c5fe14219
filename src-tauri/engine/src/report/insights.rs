//! The board report's answers to the board's next questions (`insights.md`): the
//! Segments sheet (every dimension with two groups or more: the compact table and bar
//! charts of MRR at risk and logo churn by group), the Renewals sheet (totals by light and
//! the list), the Score check sheet (the backtest in plain words), the coverage block of
//! the Definitions sheet, and the CS lead's notes. Texts in both languages are here.

use super::{header_row, light_label, page_setup, sheet_title, Ctx, Sheet};
use crate::error::{Lang, Result};
pub(crate) use crate::insights::backtest::Observed;
use crate::insights::backtest::{self, Backtest, BacktestStatus};
use crate::insights::breakdown::{self, Breakdown, Dim};
use crate::insights::coverage::{self, Coverage};
use crate::insights::renewals::{self, Outlook};
use crate::model::Data;
use crate::month::Month;
use crate::score::Light;
use crate::settings::{Component, Settings};
use crate::store::{Note, NoteKey, Store};
use crate::trends::Insights;
use rust_xlsxwriter::{
    Chart, ChartFont, ChartFormat, ChartLegendPosition, ChartSolidFill, ChartType, Worksheet,
    XlsxError,
};

/// What the report's insight sheets read, computed once per report.
#[derive(Default)]
pub struct Extras {
    /// One breakdown per dimension with two groups or more.
    pub breakdowns: Vec<Breakdown>,
    pub outlook: Option<Outlook>,
    /// The backtest at the setting's horizon.
    pub backtest: Option<Backtest>,
    pub coverage: Option<Coverage>,
    /// The month's notes.
    pub notes: Vec<Note>,
}

impl Extras {
    /// Everything from the store and the report's data (`data`: the report's window,
    /// which holds M and M−1 in full).
    pub fn load(
        store: &Store,
        data: &Data,
        ins: &Insights,
        s: &Settings,
        lang: Lang,
        notes: Vec<Note>,
    ) -> Result<Extras> {
        Self::load_observed(store, data, ins, s, lang, notes, Observed::default())
    }

    /// As [`Extras::load`], with the backtest's observation months at horizon 3 that the
    /// trend has scored already (`observed`, see `trends::compute_observing`).
    pub(crate) fn load_observed(
        store: &Store,
        data: &Data,
        ins: &Insights,
        s: &Settings,
        lang: Lang,
        notes: Vec<Note>,
        observed: Observed,
    ) -> Result<Extras> {
        let month = ins.month;
        let scores = &ins.scores;
        // the report's data holds M−14..M (usage counted where the score needs only
        // counts): the backtest at horizon 3 reads it as it is
        let (bt3, breakdowns) = std::thread::scope(|scope| {
            let bt3 = scope
                .spawn(|| backtest::compute_reusing(data, month, renewals::HORIZON, s, observed));
            let breakdowns: Vec<Breakdown> = Dim::ALL
                .iter()
                .filter_map(|&d| {
                    breakdown::compute(breakdown_data(data, month), month, s, scores, d, lang).ok()
                })
                .collect();
            let bt3 = bt3.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
            (bt3, breakdowns)
        });
        let bt = if s.backtest_horizon == renewals::HORIZON {
            bt3.clone()
        } else {
            let d = backtest::load(store, month, s.backtest_horizon)?;
            backtest::compute(&d, month, s.backtest_horizon, s)
        };
        Ok(Extras {
            breakdowns,
            outlook: Some(renewals::compute(data, month, s, scores, &bt3)),
            backtest: Some(bt),
            coverage: Some(coverage::compute(data, month, scores)),
            notes,
        })
    }

    /// The note of `key`, if any.
    pub fn note(&self, key: &NoteKey) -> Option<&Note> {
        note(&self.notes, key)
    }
}

/// What a breakdown of `month` reads of the report's data: every dataset, usage rows of
/// M−1 and M only (the others' usage is not in a group's KPIs of M).
fn breakdown_data(data: &Data, month: Month) -> Data {
    let from = month.plus(-1).first_day();
    Data {
        accounts: data.accounts.clone(),
        revenue: data.revenue.clone(),
        renewals: data.renewals.clone(),
        surveys: data.surveys.clone(),
        tickets: data.tickets.clone(),
        usage: data
            .usage
            .iter()
            .filter(|u| u.date >= from)
            .cloned()
            .collect(),
        touchpoints: data.touchpoints.clone(),
        orders: data.orders.clone(),
        coverage: data.coverage.clone(),
        ..Data::default()
    }
}

/// The note of `key` among `notes`.
pub fn note<'a>(notes: &'a [Note], key: &NoteKey) -> Option<&'a Note> {
    let k = key.text();
    notes.iter().find(|n| n.key == k)
}

/// A note as printed (an account's action, a KPI's note, the summary): the text, then
/// owner and due date when given.
pub fn action_text(n: &Note) -> String {
    let mut extra: Vec<String> = Vec::new();
    if let Some(o) = &n.owner {
        extra.push(o.clone());
    }
    if let Some(d) = n.due_date {
        extra.push(d.to_string());
    }
    if extra.is_empty() {
        n.text.clone()
    } else {
        format!("{} ({})", n.text, extra.join(", "))
    }
}

/// The texts of these sheets in one language.
pub struct Tx {
    pub sheets: [&'static str; 3],
    pub dims: [&'static str; 4],
    pub seg_title: &'static str,
    pub seg_cols: [&'static str; 20],
    pub chart_risk: &'static str,
    pub chart_churn: &'static str,
    pub no_dims: &'static str,
    pub ren_title: &'static str,
    pub ren_totals: &'static str,
    pub ren_total_cols: [&'static str; 3],
    pub not_scored: &'static str,
    pub value_at_risk: &'static str,
    pub value_watch: &'static str,
    pub expected_value: &'static str,
    /// How the expected value is reached (printed after it).
    pub expected_how: &'static str,
    pub expected_none: &'static str,
    pub ren_cols: [&'static str; 8],
    pub check_title: &'static str,
    pub check_months: &'static str,
    pub check_cols: [&'static str; 7],
    pub lift: &'static str,
    pub lift_none: &'static str,
    pub auc: &'static str,
    pub auc_none: &'static str,
    pub insufficient: &'static str,
    pub comp_title: &'static str,
    pub comp_cols: [&'static str; 2],
    pub cov_title: &'static str,
    pub cov_score: &'static str,
    pub cov_cols: [&'static str; 2],
    pub no_data: &'static str,
    pub notes_title: &'static str,
    pub note: &'static str,
    pub action: &'static str,
}

pub const EN: Tx = Tx {
    sheets: ["Segments", "Renewals", "Score check"],
    dims: ["By segment", "By owner", "By plan", "By region"],
    seg_title: "Where the numbers come from",
    seg_cols: [
        "Group", "Accounts", "MRR", "New MRR", "Expansion", "Contraction", "Churned MRR",
        "Logo churn", "Revenue churn", "NDR", "GRR", "NPS", "CSAT", "Tickets", "Stickiness",
        "CS score", "Green", "Yellow", "Red", "MRR at risk",
    ],
    chart_risk: "MRR at risk by group",
    chart_churn: "Logo churn rate by group (%)",
    no_dims: "No dimension has two groups or more: import an accounts list with segment, owner, plan or region.",
    ren_title: "Renewals due in the next three months",
    ren_totals: "By light",
    ren_total_cols: ["Light", "Renewals", "Value"],
    not_scored: "not scored",
    value_at_risk: "Value at risk (red)",
    value_watch: "Value to watch (yellow)",
    expected_value: "Expected value",
    expected_how: "after each light's churn rate within 3 months in the past (backtest)",
    expected_none: "not known: the backtest has too little history",
    ren_cols: ["Due", "Account", "Name", "Owner", "Value", "Light", "CS score", "Biggest lever"],
    check_title: "Does the score work? Churn by light in the past",
    check_months: "Observation months {a} – {b} ({n}); churn counted within {h} months of each",
    check_cols: ["Light", "Observations", "Churned", "Churn rate", "MRR", "MRR churned", "Revenue churn"],
    lift: "Lift: red accounts churned {x}× as often as green ones.",
    lift_none: "Lift: not defined (a light has no observations, or green accounts never churned).",
    auc: "AUC {p} %: the score ranks a churner below a retained customer {p} % of the time; 50 % would be chance, 100 % perfect.",
    auc_none: "AUC: not defined (no churner or no retained customer observed).",
    insufficient: "Too little history for a verdict: {a} accounts observed (30 needed), {c} churned (5 needed). The counts are shown; lift and AUC are not.",
    comp_title: "Which signal predicts churn here (AUC per component)",
    comp_cols: ["Component", "AUC"],
    cov_title: "How much of the picture the numbers stand on",
    cov_score: "The CS score is based on {p} % of the signals (mean over scored accounts).",
    cov_cols: ["Component / dataset", "Share of accounts"],
    no_data: "no data",
    notes_title: "The CS lead's summary",
    note: "Note",
    action: "Action",
};

pub const DE: Tx = Tx {
    sheets: ["Segmente", "Verlängerungen", "Score-Prüfung"],
    dims: ["Nach Segment", "Nach Betreuer", "Nach Tarif", "Nach Region"],
    seg_title: "Woher die Zahlen kommen",
    seg_cols: [
        "Gruppe", "Kunden", "MRR", "Neu-MRR", "Expansion", "Kontraktion", "Abgewand. MRR",
        "Kundenabw.", "Umsatzabw.", "NDR", "GRR", "NPS", "CSAT", "Tickets", "Stickiness",
        "CS-Score", "Grün", "Gelb", "Rot", "MRR gefährdet",
    ],
    chart_risk: "Gefährdeter MRR nach Gruppe",
    chart_churn: "Kundenabwanderung nach Gruppe (%)",
    no_dims: "Keine Dimension hat zwei oder mehr Gruppen: Importieren Sie eine Kundenliste mit Segment, Betreuer, Tarif oder Region.",
    ren_title: "Fällige Verlängerungen der nächsten drei Monate",
    ren_totals: "Nach Ampel",
    ren_total_cols: ["Ampel", "Verlängerungen", "Wert"],
    not_scored: "ohne Score",
    value_at_risk: "Gefährdeter Wert (rot)",
    value_watch: "Zu beobachten (gelb)",
    expected_value: "Erwarteter Wert",
    expected_how: "nach der Abwanderungsrate je Ampel binnen 3 Monaten in der Vergangenheit (Rückblick)",
    expected_none: "nicht bekannt: Der Rückblick hat zu wenig Verlauf",
    ren_cols: ["Fällig", "Kunde", "Name", "Betreuer", "Wert", "Ampel", "CS-Score", "Größter Hebel"],
    check_title: "Funktioniert der Score? Abwanderung je Ampel in der Vergangenheit",
    check_months: "Beobachtungsmonate {a} – {b} ({n}); Abwanderung binnen {h} Monaten gezählt",
    check_cols: ["Ampel", "Beobachtungen", "Abgewandert", "Abwanderungsrate", "MRR", "MRR abgewandert", "Umsatzabwanderung"],
    lift: "Lift: Rote Kunden wanderten {x}-mal so oft ab wie grüne.",
    lift_none: "Lift: nicht definiert (eine Ampel ohne Beobachtungen, oder grüne Kunden wanderten nie ab).",
    auc: "AUC {p} %: Der Score stuft einen abwandernden Kunden in {p} % der Fälle niedriger ein als einen bleibenden; 50 % wäre Zufall, 100 % perfekt.",
    auc_none: "AUC: nicht definiert (kein abgewanderter oder kein gebliebener Kunde beobachtet).",
    insufficient: "Zu wenig Verlauf für ein Urteil: {a} Kunden beobachtet (30 nötig), {c} abgewandert (5 nötig). Die Zahlen stehen da; Lift und AUC nicht.",
    comp_title: "Welches Signal hier Abwanderung vorhersagt (AUC je Bestandteil)",
    comp_cols: ["Bestandteil", "AUC"],
    cov_title: "Auf wie viel des Bildes die Zahlen stehen",
    cov_score: "Der CS-Score beruht auf {p} % der Signale (Mittel über die bewerteten Kunden).",
    cov_cols: ["Bestandteil / Datensatz", "Anteil der Kunden"],
    no_data: "keine Daten",
    notes_title: "Zusammenfassung der CS-Leitung",
    note: "Notiz",
    action: "Maßnahme",
};

pub fn tx(lang: Lang) -> &'static Tx {
    match lang {
        Lang::De => &DE,
        Lang::En => &EN,
    }
}

/// The KPI of each Segments column after group and accounts (`health_*` are the split).
const SEG_KPIS: [&str; 18] = [
    "mrr",
    "mrr_new",
    "mrr_expansion",
    "mrr_contraction",
    "mrr_churned",
    "logo_churn_rate",
    "revenue_churn_rate",
    "ndr",
    "grr",
    "nps",
    "csat",
    "tickets_created",
    "stickiness",
    "cs_score",
    "health_green",
    "health_yellow",
    "health_red",
    "mrr_at_risk",
];

fn section(ws: &mut Worksheet, ctx: &Ctx, r: u32, title: &str, cols: u16) -> Result<(), XlsxError> {
    ws.write_string_with_format(r, 0, title, &ctx.st.section)?;
    for c in 1..cols {
        ws.write_blank(r, c, &ctx.st.section)?;
    }
    Ok(())
}

fn fmt(ctx: &Ctx, id: &str) -> rust_xlsxwriter::Format {
    let st = &ctx.st;
    match id {
        "mrr" | "mrr_new" | "mrr_expansion" | "mrr_contraction" | "mrr_churned" | "mrr_at_risk" => {
            st.money.clone()
        }
        "nps" => st.nps.clone(),
        "tickets_created" => st.count.clone(),
        "cs_score" => st.score.clone(),
        _ => st.percent.clone(),
    }
}

/// `v` with `decimals` decimals in the language's style.
fn num_text(lang: Lang, v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    match lang {
        Lang::De => s.replace('.', ","),
        Lang::En => s,
    }
}

/// The Segments sheet.
pub(crate) fn segments(ws: &mut Worksheet, ctx: &Ctx, names: &[String]) -> Result<(), XlsxError> {
    let x = tx(ctx.t.lang);
    let name = &names[9];
    ws.set_name(name)?;
    page_setup(ws, ctx, name, None)?;
    ws.set_column_width(0, 22)?;
    for c in 1..20u16 {
        ws.set_column_width(c, if c == 1 { 8.0 } else { 10.5 })?;
    }
    sheet_title(ws, ctx, x.seg_title)?;
    let mut r = 3;
    // the last row with a cell or a chart on it: the print area ends there (the blank
    // rows after the last chart were printed on an empty page of their own)
    let mut end = r;
    if ctx.extras.breakdowns.is_empty() {
        ws.write_string_with_format(r, 0, x.no_dims, &ctx.st.note_line)?;
        r += 1;
    }
    // each dimension on a page of its own: the table with its two charts (printed all on
    // one, LibreOffice let the charts run onto an extra blank page)
    let mut breaks = Vec::new();
    for b in &ctx.extras.breakdowns {
        if r > 3 {
            breaks.push(r);
        }
        section(ws, ctx, r, x.dims[b.by as usize], 20)?;
        r += 1;
        ws.set_row_height(r, 28)?;
        let numeric: Vec<usize> = (1..20).collect();
        header_row(ws, ctx, r, &x.seg_cols, &numeric)?;
        let header = r;
        r += 1;
        let first = r;
        for g in &b.groups {
            ws.user_text(r, 0, &g.key, ctx, false)?;
            ws.write_number_with_format(r, 1, g.accounts as f64, &ctx.st.count)?;
            for (i, id) in SEG_KPIS.iter().enumerate() {
                let v = g.kpis.iter().find(|k| k.id == *id).and_then(|k| k.value);
                ws.opt_num(r, 2 + i as u16, v, &fmt(ctx, id))?;
            }
            r += 1;
        }
        let last = r - 1;
        // bar charts of MRR at risk and logo churn by group, side by side under the table
        for (slot, (col, title)) in [(19u16, x.chart_risk), (7u16, x.chart_churn)]
            .into_iter()
            .enumerate()
        {
            let mut c = Chart::new(ChartType::Bar);
            c.title()
                .set_name(title)
                .set_font(ChartFont::new().set_size(10).set_bold());
            c.legend().set_hidden();
            c.legend().set_position(ChartLegendPosition::Bottom);
            c.x_axis().set_font(ChartFont::new().set_size(8));
            c.y_axis().set_font(ChartFont::new().set_size(8));
            c.add_series()
                .set_name((name.as_str(), header, col))
                .set_categories((name.as_str(), first, 0, last, 0))
                .set_values((name.as_str(), first, col, last, col))
                .set_format(ChartFormat::new().set_solid_fill(
                    ChartSolidFill::new().set_color(if slot == 0 { 0xC0392B } else { 0xE67E22 }),
                ))
                .set_gap(60);
            let h = (60 + 22 * b.groups.len() as u32).clamp(140, 320);
            c.set_width(480).set_height(h);
            ws.insert_chart_with_offset(r + 1, if slot == 0 { 0 } else { 8 }, &c, 0, 0)?;
            if slot == 1 {
                // rows are 20 px high: the chart ends in row r + 1 + h / 20
                end = r + 1 + h / 20;
                r += 2 + h.div_ceil(20);
            }
        }
        r += 1;
    }
    if !breaks.is_empty() {
        ws.set_page_breaks(&breaks)?;
    }
    ws.set_print_area(0, 0, end, 19)?;
    Ok(())
}

fn light_name(ctx: &Ctx, l: Option<Light>) -> &'static str {
    match l {
        None => tx(ctx.t.lang).not_scored,
        l => light_label(ctx.t, l),
    }
}

/// The Renewals sheet.
pub(crate) fn renewals(ws: &mut Worksheet, ctx: &Ctx, names: &[String]) -> Result<(), XlsxError> {
    let (x, st) = (tx(ctx.t.lang), &ctx.st);
    let name = &names[10];
    ws.set_name(name)?;
    page_setup(ws, ctx, name, None)?;
    for (c, w) in [12.0, 15.0, 28.0, 18.0, 14.0, 11.0, 10.0, 20.0]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *w)?;
    }
    sheet_title(ws, ctx, x.ren_title)?;
    let mut r = 3;
    let Some(o) = &ctx.extras.outlook else {
        return Ok(());
    };
    section(ws, ctx, r, x.ren_totals, 8)?;
    r += 1;
    header_row(ws, ctx, r, &x.ren_total_cols, &[1, 2])?;
    r += 1;
    for (l, d) in [
        (Some(Light::Green), &o.lights.green),
        (Some(Light::Yellow), &o.lights.yellow),
        (Some(Light::Red), &o.lights.red),
        (None, &o.lights.not_scored),
    ] {
        ws.write_string_with_format(r, 0, light_name(ctx, l), &st.text)?;
        ws.write_number_with_format(r, 1, d.count as f64, &st.count)?;
        ws.write_number_with_format(r, 2, d.value, &st.money)?;
        r += 1;
    }
    // the label over the two columns before the value (one column cut the longer ones
    // off at the value), how the expected value is reached after it
    for (label, v, how) in [
        (x.value_at_risk, Some(o.value_at_risk), None),
        (x.value_watch, Some(o.value_watch), None),
        (x.expected_value, o.expected_value, Some(x.expected_how)),
    ] {
        ws.merge_range(r, 0, r, 1, label, &st.bold)?;
        match v {
            Some(v) => {
                ws.write_number_with_format(r, 2, v, &st.money_bold)?;
                if let Some(how) = how {
                    ws.write_string_with_format(r, 3, how, &st.note_line)?;
                }
            }
            None => {
                ws.write_string_with_format(r, 2, x.expected_none, &st.note_line)?;
            }
        };
        r += 1;
    }
    r += 1;
    section(ws, ctx, r, x.ren_title, 8)?;
    r += 1;
    ws.set_repeat_rows(r, r)?;
    header_row(ws, ctx, r, &x.ren_cols, &[4, 6])?;
    super::indent_headers(ws, ctx, r, &x.ren_cols, &[5, 7])?;
    r += 1;
    if o.renewals.is_empty() {
        ws.write_string_with_format(r, 0, ctx.t.none, &st.note_line)?;
        r += 1;
    }
    for d in &o.renewals {
        ws.date(r, 0, &d.due_date.to_string(), &st.date)?;
        ws.user_text(r, 1, &d.account_id, ctx, false)?;
        ws.user_text(r, 2, d.name.as_deref().unwrap_or(""), ctx, false)?;
        ws.user_text(r, 3, d.owner.as_deref().unwrap_or(""), ctx, false)?;
        ws.write_number_with_format(r, 4, d.value, &st.money)?;
        ws.write_string_with_format(r, 5, light_name(ctx, d.light), &st.indent)?;
        ws.opt_num(r, 6, d.score, &st.score)?;
        if let Some(c) = d.lever {
            ws.write_string_with_format(r, 7, ctx.t.components[c as usize], &st.indent)?;
        }
        r += 1;
    }
    ws.set_print_area(0, 0, r - 1, 7)?;
    Ok(())
}

/// The Score check sheet: the backtest in plain words.
pub(crate) fn score_check(
    ws: &mut Worksheet,
    ctx: &Ctx,
    names: &[String],
) -> Result<(), XlsxError> {
    let (x, st, lang) = (tx(ctx.t.lang), &ctx.st, ctx.t.lang);
    let name = &names[11];
    ws.set_name(name)?;
    page_setup(ws, ctx, name, None)?;
    for (c, w) in [22.0, 14.0, 12.0, 14.0, 16.0, 16.0, 16.0]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *w)?;
    }
    sheet_title(ws, ctx, x.check_title)?;
    let mut r = 3;
    let Some(b) = &ctx.extras.backtest else {
        return Ok(());
    };
    let months = x
        .check_months
        .replace(
            "{a}",
            b.observation_months.first().map_or("—", |s| s.as_str()),
        )
        .replace(
            "{b}",
            b.observation_months.last().map_or("—", |s| s.as_str()),
        )
        .replace("{n}", &b.observation_months.len().to_string())
        .replace("{h}", &b.horizon.to_string());
    ws.write_string_with_format(r, 0, &months, &st.note_line)?;
    r += 2;
    header_row(ws, ctx, r, &x.check_cols, &[1, 2, 3, 4, 5, 6])?;
    r += 1;
    for l in [Light::Green, Light::Yellow, Light::Red] {
        let o = b.lights.get(l);
        ws.write_string_with_format(r, 0, light_label(ctx.t, Some(l)), &st.text)?;
        ws.write_number_with_format(r, 1, o.observations as f64, &st.count)?;
        ws.write_number_with_format(r, 2, o.churned as f64, &st.count)?;
        ws.opt_num(r, 3, o.churn_rate, &st.percent)?;
        ws.write_number_with_format(r, 4, o.mrr, &st.money)?;
        ws.write_number_with_format(r, 5, o.mrr_churned, &st.money)?;
        ws.opt_num(r, 6, o.revenue_churn_rate, &st.percent)?;
        r += 1;
    }
    r += 1;
    let lines: Vec<String> = if b.status == BacktestStatus::Insufficient {
        vec![x
            .insufficient
            .replace("{a}", &b.accounts_observed.to_string())
            .replace("{c}", &b.accounts_churned.to_string())]
    } else {
        vec![
            match b.lift {
                Some(l) => x.lift.replace("{x}", &num_text(lang, l, 1)),
                None => x.lift_none.into(),
            },
            match b.auc {
                // a whole percent, as the app says it and the AUC cells show it
                Some(a) => x.auc.replace("{p}", &num_text(lang, a * 100.0, 0)),
                None => x.auc_none.into(),
            },
        ]
    };
    for l in lines {
        ws.set_row_height(r, 30)?;
        ws.merge_range(r, 0, r, 6, &l, &st.wrap)?;
        r += 1;
    }
    if b.status == BacktestStatus::Ok {
        r += 1;
        section(ws, ctx, r, x.comp_title, 7)?;
        r += 1;
        header_row(ws, ctx, r, &x.comp_cols, &[1])?;
        r += 1;
        for c in Component::ALL {
            ws.write_string_with_format(r, 0, ctx.t.components[c as usize], &st.text)?;
            ws.opt_num(r, 1, b.components.get(c), &st.auc)?;
            r += 1;
        }
    }
    ws.set_print_area(0, 0, r - 1, 6)?;
    Ok(())
}

/// The coverage block of the Definitions sheet, from row `r`; the next free row.
pub(crate) fn coverage_block(ws: &mut Worksheet, ctx: &Ctx, mut r: u32) -> Result<u32, XlsxError> {
    let (x, st) = (tx(ctx.t.lang), &ctx.st);
    let Some(c) = &ctx.extras.coverage else {
        return Ok(r);
    };
    section(ws, ctx, r, x.cov_title, 6)?;
    r += 1;
    if let Some(p) = c.score {
        let line = x.cov_score.replace("{p}", &format!("{p:.0}"));
        ws.write_string_with_format(r, 0, &line, &st.note_line)?;
        r += 1;
    }
    header_row(ws, ctx, r, &x.cov_cols, &[1])?;
    r += 1;
    for cc in &c.components {
        ws.write_string_with_format(r, 0, ctx.t.components[cc.component as usize], &st.text)?;
        ws.opt_num(r, 1, cc.share, &st.percent)?;
        r += 1;
    }
    for d in &c.datasets {
        let i = crate::model::Kind::ALL
            .iter()
            .position(|k| *k == d.dataset)
            .unwrap_or(0);
        ws.write_string_with_format(r, 0, ctx.t.dataset_names[i], &st.text)?;
        match d.share {
            Some(v) => ws.write_number_with_format(r, 1, v, &st.percent)?,
            None => ws.write_string_with_format(r, 1, x.no_data, &st.note_line)?,
        };
        r += 1;
    }
    Ok(r)
}

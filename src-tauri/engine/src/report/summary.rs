//! Sheet 1, the summary: the CS score with its light, the health split, MRR at risk and
//! the KPI table grouped as on the dashboard.

use super::text::{kpi_text, Texts};
use super::{header_row, light_colours, light_label, page_setup, sheet_title, Ctx, Sheet};
use crate::error::Lang;
use crate::kpi::{catalogue, Group, Kpi, Status, Unit};
use crate::settings::{Direction, TargetStatus};
use rust_xlsxwriter::{
    ConditionalFormatCell, ConditionalFormatCellRule, ConditionalFormatText,
    ConditionalFormatTextRule, Worksheet, XlsxError,
};

/// Row of the KPI table's header (0-based), for tests and the print titles.
pub const KPI_HEADER_ROW: u32 = 15;

pub(crate) fn write(ws: &mut Worksheet, ctx: &Ctx, names: &[String]) -> Result<(), XlsxError> {
    let (t, st, ins) = (ctx.t, &ctx.st, ctx.ins);
    ws.set_name(&names[0])?;
    page_setup(ws, ctx, &names[0], Some(KPI_HEADER_ROW))?;
    for (c, w) in [38.0, 15.0, 15.0, 14.0, 15.0, 12.0, 17.0, 62.0]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *w)?;
    }
    sheet_title(ws, ctx, t.title)?;
    let generated = t
        .generated
        .replace("{month}", &ctx.month_label)
        .replace("{batches}", &ctx.batches.len().to_string());
    ws.write_string_with_format(2, 0, &generated, &st.note_line)?;
    // the CS lead's executive summary, at the top (as text, never a formula)
    if let Some(n) = ctx.extras.note(&crate::store::NoteKey::Summary) {
        // with its author (owner) and date when given
        let full = super::insights::action_text(n);
        let text = super::cut_to_cell(&full, t.cut).unwrap_or(full);
        let f = if super::looks_like_formula(&text) {
            &st.wrap_quoted
        } else {
            &st.wrap
        };
        ws.set_row_height(
            3,
            super::wrapped_height(&text, 200.0)
                .unwrap_or(15.0)
                .max(15.0),
        )?;
        ws.merge_range(3, 0, 3, 7, &text, f)?;
    }

    // the CS score with its light
    let s = &ins.scores;
    let scored = s.split.green + s.split.yellow + s.split.red;
    ws.set_row_height(4, 36)?;
    ws.write_string_with_format(4, 0, t.cs_score, &st.big_label)?;
    ws.opt_num(4, 1, s.cs_score, &st.big_score)?;
    let light = s.cs_score.map(|v| crate::score::light(v, ctx.settings));
    ws.write_string_with_format(4, 2, light_label(t, light), &st.big_label)?;
    ws.write_string_with_format(
        4,
        3,
        format!("{} · {scored} {}", t.of_100, t.accounts_scored),
        &st.note_line,
    )?;
    let (g, y) = (ctx.settings.threshold_green, ctx.settings.threshold_yellow);
    for (rule, f) in [
        (
            ConditionalFormatCellRule::GreaterThanOrEqualTo(g),
            &st.green,
        ),
        (ConditionalFormatCellRule::Between(y, g), &st.yellow),
        (ConditionalFormatCellRule::LessThan(y), &st.red),
    ] {
        ws.add_conditional_format(
            4,
            1,
            4,
            1,
            &ConditionalFormatCell::new().set_rule(rule).set_format(f),
        )?;
    }
    light_colours(ws, ctx, (4, 2, 4, 2), t.lights)?;

    // the health split
    ws.write_string_with_format(6, 0, t.health_split, &st.section)?;
    for c in 1..5 {
        ws.write_blank(6, c, &st.section)?;
    }
    header_row(
        ws,
        ctx,
        7,
        &[t.light, t.accounts, t.share, t.mrr, t.share_mrr],
        &[1, 2, 3, 4],
    )?;
    let total_mrr = s.split.mrr_green + s.split.mrr_yellow + s.split.mrr_red;
    let share = |n: f64, of: f64| (of > 0.0).then(|| n / of * 100.0);
    let rows = [
        (t.lights[0], s.split.green, s.split.mrr_green),
        (t.lights[1], s.split.yellow, s.split.mrr_yellow),
        (t.lights[2], s.split.red, s.split.mrr_red),
    ];
    let has_mrr = s.accounts.iter().any(|a| a.mrr.is_some());
    for (i, (label, n, mrr)) in rows.iter().enumerate() {
        let r = 8 + i as u32;
        ws.write_string_with_format(r, 0, *label, &st.text)?;
        ws.write_number_with_format(r, 1, *n as f64, &st.count)?;
        ws.opt_num(r, 2, share(*n as f64, scored as f64), &st.percent)?;
        ws.opt_num(r, 3, has_mrr.then_some(*mrr), &st.money)?;
        ws.opt_num(r, 4, share(*mrr, total_mrr), &st.percent)?;
    }
    light_colours(ws, ctx, (8, 0, 10, 0), t.lights)?;
    ws.write_string_with_format(11, 0, t.total, &st.bold)?;
    ws.write_number_with_format(11, 1, scored as f64, &st.count)?;
    ws.opt_num(11, 3, has_mrr.then_some(total_mrr), &st.money_bold)?;
    ws.write_string_with_format(12, 0, t.mrr_at_risk, &st.bold)?;
    ws.opt_num(12, 1, ins.kpis.value("mrr_at_risk"), &st.money_bold)?;

    // the KPI table
    ws.write_string_with_format(KPI_HEADER_ROW - 1, 0, t.kpi_table, &st.section)?;
    for c in 1..8 {
        ws.write_blank(KPI_HEADER_ROW - 1, c, &st.section)?;
    }
    ws.set_row_height(KPI_HEADER_ROW, 28)?;
    header_row(ws, ctx, KPI_HEADER_ROW, &t.kpi_cols, &[1, 2, 3, 4])?;
    let mut r = KPI_HEADER_ROW + 1;
    for (gi, group) in Group::ALL.iter().enumerate() {
        let kpis: Vec<&Kpi> = catalogue::KPIS
            .iter()
            .filter(|c| c.group == *group)
            .filter_map(|c| ins.kpis.get(c.id))
            .collect();
        if kpis.is_empty() {
            continue;
        }
        ws.write_string_with_format(r, 0, t.groups[gi], &st.group)?;
        for c in 1..8 {
            ws.write_blank(r, c, &st.group)?;
        }
        r += 1;
        for k in kpis {
            kpi_row(ws, ctx, r, k)?;
            r += 1;
        }
    }
    let last = r - 1;
    for (label, f) in t.status.iter().zip([&st.green, &st.yellow, &st.red]) {
        ws.add_conditional_format(
            KPI_HEADER_ROW + 1,
            6,
            last,
            6,
            &ConditionalFormatText::new()
                .set_rule(ConditionalFormatTextRule::BeginsWith((*label).to_owned()))
                .set_format(f),
        )?;
    }
    ws.set_print_area(0, 0, last, 7)?;
    Ok(())
}

fn kpi_row(
    ws: &mut rust_xlsxwriter::Worksheet,
    ctx: &Ctx,
    r: u32,
    k: &Kpi,
) -> Result<(), XlsxError> {
    let (t, st, ins) = (ctx.t, &ctx.st, ctx.ins);
    let unit = catalogue::get(&k.id).map_or(Unit::Decimal, |c| c.unit);
    let (name, _) = kpi_text(t.lang, &k.id);
    ws.write_string_with_format(r, 0, name, &st.text)?;
    let f = st.value(unit);
    let prev = ins.kpis_previous.value(&k.id);
    ws.opt_num(r, 1, k.value, f)?;
    ws.opt_num(r, 2, prev, f)?;
    let change = match (k.value, prev) {
        (Some(a), Some(b)) => Some(a - b),
        _ => None,
    };
    ws.opt_num(r, 3, change, st.change(unit))?;
    ws.opt_num(r, 4, ins.kpis_year_ago.value(&k.id), f)?;
    match ctx.settings.kpi_target(&k.id) {
        Some(target) => {
            let sign = match target.direction {
                Direction::Higher => t.higher,
                Direction::Lower => t.lower,
            };
            ws.write_string_with_format(
                r,
                5,
                format!("{sign} {}", fmt_unit(t, unit, target.target)),
                &st.center,
            )?;
        }
        None if k.id == "cs_score" || k.id == "cs_score_unweighted" => {
            ws.write_string_with_format(
                r,
                5,
                format!(
                    "{} {}",
                    t.higher,
                    fmt_num(t.lang, ctx.settings.threshold_green, 0)
                ),
                &st.center,
            )?;
        }
        None => {}
    }
    if let Some(status) = k.value.and_then(|v| ctx.settings.kpi_status(&k.id, v)) {
        let label = match status {
            TargetStatus::Met => t.status[0],
            TargetStatus::Near => t.status[1],
            TargetStatus::Missed => t.status[2],
        };
        ws.write_string_with_format(r, 6, label, &st.text)?;
    }
    let note = match k.status {
        Status::Ok => None,
        Status::Undefined => Some(t.undefined.to_owned()),
        Status::NoData => Some(needs_text(t, &k.needs)),
    };
    if note.is_some() {
        ws.write_string_with_format(r, 1, "—", &st.center)?;
    }
    // the CS lead's note on this KPI, before the report's own
    let lead = ctx
        .extras
        .note(&crate::store::NoteKey::Kpi(k.id.clone()))
        .map(super::insights::action_text);
    match (lead, note) {
        (Some(l), n) => {
            let text = match n {
                Some(n) => format!("{l} — {n}"),
                None => l,
            };
            ws.user_text(r, 7, &text, ctx, false)?;
        }
        (None, Some(n)) => {
            ws.write_string_with_format(r, 7, &n, &st.note_line)?;
        }
        (None, None) => {}
    }
    Ok(())
}

/// "No data: import ticket data to see this." from a KPI's `needs`.
pub(crate) fn needs_text(t: &Texts, needs: &[String]) -> String {
    let previous = needs.iter().any(|n| n.ends_with(".previous_month"));
    let mut what: Vec<String> = Vec::new();
    for n in needs {
        let (kind, field) = n.split_once('.').unwrap_or((n, ""));
        let name = crate::Kind::parse(kind)
            .and_then(|k| crate::Kind::ALL.iter().position(|x| *x == k))
            .map_or(kind.to_owned(), |i| t.datasets[i].to_owned());
        let item = if field.is_empty() || field == "previous_month" {
            name
        } else {
            format!("{name} ({field})")
        };
        if !what.contains(&item) {
            what.push(item);
        }
    }
    let sep = if t.lang == Lang::De { " oder " } else { " or " };
    let template = if previous { t.needs_previous } else { t.needs };
    template.replace("{what}", &what.join(sep))
}

/// A number with `decimals` decimals in the language's style (1,234.5 / 1.234,5).
pub(crate) fn fmt_num(lang: Lang, v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let (thousands, point) = if lang == Lang::De {
        ('.', ',')
    } else {
        (',', '.')
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(thousands);
        }
        grouped.push(c);
    }
    let sign = if v < 0.0 && s.chars().any(|c| c != '0' && c != '.') {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}{point}{frac}")
    }
}

/// A target in the KPI's unit: "99.0%", "4.0 h", "3.0×".
pub(crate) fn fmt_unit(t: &Texts, unit: Unit, v: f64) -> String {
    let n = |d| fmt_num(t.lang, v, d);
    match unit {
        Unit::Percent => format!("{}%", n(1)),
        Unit::Hours => format!("{} {}", n(1), t.hours),
        Unit::Minutes => format!("{} {}", n(1), t.minutes),
        Unit::Days => format!("{} {}", n(0), t.days),
        Unit::Ratio => format!("{}×", n(1)),
        Unit::Count | Unit::Money => n(0),
        Unit::Nps | Unit::Score | Unit::Decimal => n(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_both_styles() {
        assert_eq!(fmt_num(Lang::En, 1234.56, 1), "1,234.6");
        assert_eq!(fmt_num(Lang::De, 1234.56, 1), "1.234,6");
        assert_eq!(fmt_num(Lang::En, -10.0, 0), "-10");
        assert_eq!(fmt_num(Lang::En, 99.0, 1), "99.0");
    }

    #[test]
    fn needs_say_what_to_import() {
        let t = &super::super::text::EN;
        assert_eq!(
            needs_text(t, &["tickets".into()]),
            "No data: import ticket data to see this."
        );
        assert!(needs_text(t, &["revenue.previous_month".into()]).contains("month before"));
    }
}

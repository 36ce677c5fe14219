//! Reference sheets: definitions (every KPI's formula, the score's weights, targets and
//! thresholds as used, data coverage) and data lineage (every import batch).

use super::style::{W_DEF, W_KPI};
use super::summary::{fmt_num, fmt_unit};
use super::text::kpi_text;
use super::{header_row, page_setup, sheet_title, wrapped_height, Ctx, Sheet};
use crate::kpi::{catalogue, Group, Unit};
use crate::model::Kind;
use crate::settings::{Component, Direction};
use crate::trends::TREND_MONTHS;
use rust_xlsxwriter::{Worksheet, XlsxError};

fn section(ws: &mut Worksheet, ctx: &Ctx, r: u32, title: &str, cols: u16) -> Result<(), XlsxError> {
    ws.write_string_with_format(r, 0, title, &ctx.st.section)?;
    for c in 1..cols {
        ws.write_blank(r, c, &ctx.st.section)?;
    }
    Ok(())
}

pub(crate) fn definitions(
    ws: &mut Worksheet,
    ctx: &Ctx,
    names: &[String],
) -> Result<(), XlsxError> {
    let (t, st, s) = (ctx.t, &ctx.st, ctx.settings);
    let name = &names[7];
    ws.set_name(name)?;
    page_setup(ws, ctx, name, Some(4))?;
    for (c, w) in [34.0, W_KPI, 22.0, W_DEF, 12.0, 12.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    sheet_title(ws, ctx, t.defs_title)?;
    let mut r = 3;
    section(ws, ctx, r, t.kpi_table, 6)?;
    r += 1;
    ws.set_row_height(r, 28)?;
    ws.headers(r, 0, &t.def_cols, &st.header)?;
    r += 1;
    for (gi, group) in Group::ALL.into_iter().enumerate() {
        for info in catalogue::KPIS.iter().filter(|c| c.group == group) {
            let (id, unit) = (&info.id, &info.unit);
            let (kpi, def) = kpi_text(t.lang, id);
            if let Some(h) = wrapped_height(def, W_DEF) {
                ws.set_row_height(r, h)?;
            }
            ws.write_string_with_format(r, 0, t.groups[gi], &st.wrap)?;
            ws.write_string_with_format(r, 1, kpi, &st.wrap)?;
            ws.write_string_with_format(r, 2, *id, &st.wrap)?;
            ws.write_string_with_format(r, 3, def, &st.wrap)?;
            if let Some(target) = s.kpi_target(id) {
                let sign = match target.direction {
                    Direction::Higher => t.higher,
                    Direction::Lower => t.lower,
                };
                let v = format!("{sign} {}", fmt_unit(t, *unit, target.target));
                ws.write_string_with_format(r, 4, &v, &st.wrap)?;
                let tol = match unit {
                    Unit::Percent => format!("{} {}", fmt_num(t.lang, target.tolerance, 1), t.pp),
                    _ => fmt_unit(t, *unit, target.tolerance),
                };
                ws.write_string_with_format(r, 5, &tol, &st.wrap)?;
            } else if *id == "cs_score" || *id == "cs_score_unweighted" {
                let v = format!("{} {}", t.higher, fmt_num(t.lang, s.threshold_green, 0));
                ws.write_string_with_format(r, 4, &v, &st.wrap)?;
                let y = format!("{} {}", t.higher, fmt_num(t.lang, s.threshold_yellow, 0));
                ws.write_string_with_format(r, 5, &y, &st.wrap)?;
            }
            r += 1;
        }
    }

    // the score as computed
    r += 1;
    section(ws, ctx, r, t.weights_title, 6)?;
    r += 1;
    header_row(ws, ctx, r, &t.weight_cols, &[1, 2])?;
    r += 1;
    let total: f64 = s.weights.iter().sum();
    for (i, c) in Component::ALL.iter().enumerate() {
        ws.write_string_with_format(r, 0, t.components[i], &st.text)?;
        ws.write_number_with_format(r, 1, s.weight(*c), &st.decimal)?;
        ws.opt_num(
            r,
            2,
            (total > 0.0).then(|| s.weight(*c) / total * 100.0),
            &st.percent,
        )?;
        r += 1;
    }
    for (i, v) in [
        s.threshold_green,
        s.threshold_yellow,
        s.target_usage_days,
        s.target_touchpoints,
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(r, 0, t.settings_rows[i], &st.text)?;
        ws.write_number_with_format(r, 1, *v, &st.decimal)?;
        r += 1;
    }

    // which data fed the report
    r += 1;
    section(ws, ctx, r, t.coverage_title, 6)?;
    r += 1;
    let m = ctx.ins.month;
    let span_note = format!(
        "{} {} · {} {} – {} · {} {}, {}",
        t.month,
        super::month_label(t, m),
        t.sheets[1],
        super::month_label(t, m.plus(1 - TREND_MONTHS)),
        super::month_label(t, m),
        t.kpi_cols[2],
        super::month_label(t, m.plus(-1)),
        super::month_label(t, m.plus(-12)),
    );
    ws.write_string_with_format(r, 0, &span_note, &st.note_line)?;
    r += 1;
    ws.set_row_height(r, 28)?;
    header_row(ws, ctx, r, &t.coverage_cols, &[3])?;
    r += 1;
    for (i, kind) in Kind::ALL.iter().enumerate() {
        let rows: i64 = ctx
            .batches
            .iter()
            .filter(|b| b.kind == *kind)
            .map(|b| b.rows_imported)
            .sum();
        let span = ctx.data.coverage.span(*kind);
        ws.write_string_with_format(r, 0, t.dataset_names[i], &st.text)?;
        match span {
            Some((a, b)) => {
                ws.write_string_with_format(r, 1, super::month_label(t, a), &st.text)?;
                ws.write_string_with_format(r, 2, super::month_label(t, b), &st.text)?;
            }
            None => {
                ws.write_string_with_format(r, 1, "—", &st.text)?;
                ws.write_string_with_format(r, 2, "—", &st.text)?;
            }
        }
        ws.write_number_with_format(r, 3, rows as f64, &st.count)?;
        let covers = match kind {
            Kind::Accounts => rows > 0,
            k => ctx.data.coverage.covers(*k, m),
        };
        ws.write_string_with_format(r, 4, if covers { t.yes } else { t.no }, &st.text)?;
        r += 1;
    }
    r += 1;
    r = super::insights::coverage_block(ws, ctx, r)?;
    ws.set_print_area(0, 0, r - 1, 5)?;
    Ok(())
}

pub(crate) fn lineage(ws: &mut Worksheet, ctx: &Ctx, names: &[String]) -> Result<(), XlsxError> {
    let (t, st) = (ctx.t, &ctx.st);
    let name = &names[8];
    ws.set_name(name)?;
    const HEADER: u32 = 3;
    page_setup(ws, ctx, name, Some(HEADER))?;
    for (c, w) in [
        8.0, 28.0, 14.0, 12.0, 66.0, 11.0, 11.0, 19.0, 9.0, 8.0, 18.0, 12.0,
    ]
    .iter()
    .enumerate()
    {
        ws.set_column_width(c as u16, *w)?;
    }
    sheet_title(ws, ctx, t.lineage_title)?;
    // three lines: "Rows superseded by later imports" in its narrow column
    ws.set_row_height(HEADER, 40)?;
    header_row(ws, ctx, HEADER, &t.lineage_cols, &[0, 5, 6, 8, 11])?;
    let mut r = HEADER + 1;
    for b in ctx.batches {
        ws.write_number_with_format(r, 0, b.batch_id as f64, &st.int)?;
        ws.user_text(r, 1, &b.file, ctx, false)?;
        match &b.sheet {
            Some(s) => ws.user_text(r, 2, s, ctx, false)?,
            None => {
                ws.write_blank(r, 2, &st.text)?;
            }
        }
        ws.write_string_with_format(r, 3, b.kind.id(), &st.text)?;
        ws.write_string_with_format(r, 4, &b.sha256, &st.text)?;
        ws.write_number_with_format(r, 5, b.rows_imported as f64, &st.count)?;
        ws.write_number_with_format(r, 6, b.rows_skipped as f64, &st.count)?;
        ws.user_text(
            r,
            7,
            &b.imported_at.replace('T', " ").replace('Z', ""),
            ctx,
            false,
        )?;
        ws.write_number_with_format(r, 8, b.header_row as f64, &st.int)?;
        ws.user_text(r, 9, &b.source, ctx, false)?;
        let mode = match b.overlap {
            crate::model::Overlap::Supersede => t.overlap_modes[0],
            crate::model::Overlap::Add => t.overlap_modes[1],
        };
        ws.write_string_with_format(r, 10, mode, &st.text)?;
        ws.write_number_with_format(r, 11, b.superseded_rows as f64, &st.count)?;
        r += 1;
    }
    let last = r.saturating_sub(1).max(HEADER);
    ws.set_freeze_panes(HEADER + 1, 0)?;
    ws.autofilter(HEADER, 0, last, 11)?;
    Ok(())
}

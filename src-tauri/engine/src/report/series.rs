//! Sheets of numbers over time: trends (with native charts), the MRR bridge (table and
//! waterfall chart) and the cohorts (with a colour scale).

use super::style::{self, BLUE, DOWN, NAVY, ORANGE, TEAL, UP};
use super::{header_row, page_setup, sheet_title, Ctx, Sheet};
use crate::month::Month;
use crate::trends::{COHORTS, TREND_KPIS};
use rust_xlsxwriter::{
    Chart, ChartFont, ChartFormat, ChartLegendPosition, ChartLine, ChartMarker, ChartMarkerType,
    ChartSolidFill, ChartType, ConditionalFormat3ColorScale, ConditionalFormatType, Worksheet,
    XlsxError,
};

/// First data row of the trend table (0-based; its header is the row before).
pub const TREND_FIRST_ROW: u32 = 4;
/// First row of the bridge table's steps.
pub const BRIDGE_FIRST_ROW: u32 = 4;

fn short_month(ctx: &Ctx, m: Month) -> String {
    let name: String = ctx.t.months[m.month() as usize - 1]
        .chars()
        .take(3)
        .collect();
    format!("{name} {}", m.year())
}

fn chart_base(kind: ChartType, title: &str) -> Chart {
    let mut c = Chart::new(kind);
    c.title()
        .set_name(title)
        .set_font(ChartFont::new().set_size(11).set_bold())
        .set_format(ChartFormat::new().set_no_border());
    c.legend()
        .set_position(ChartLegendPosition::Bottom)
        .set_font(ChartFont::new().set_size(8));
    c.x_axis().set_font(ChartFont::new().set_size(8));
    c.y_axis().set_font(ChartFont::new().set_size(8));
    c.set_width(305).set_height(250);
    c
}

pub(crate) fn trends(ws: &mut Worksheet, ctx: &Ctx, names: &[String]) -> Result<(), XlsxError> {
    let (t, st) = (ctx.t, &ctx.st);
    let name = &names[1];
    ws.set_name(name)?;
    page_setup(ws, ctx, name, None)?;
    ws.set_column_width(0, 12)?;
    for c in 1..=8 {
        ws.set_column_width(c, 13.5)?;
    }
    sheet_title(ws, ctx, t.trends_title)?;
    let mut cols = vec![t.month];
    cols.extend(t.trend_cols);
    ws.set_row_height(TREND_FIRST_ROW - 1, 28)?;
    header_row(
        ws,
        ctx,
        TREND_FIRST_ROW - 1,
        &cols,
        &[1, 2, 3, 4, 5, 6, 7, 8],
    )?;
    let formats = [
        &st.money,
        &st.percent,
        &st.percent,
        &st.percent,
        &st.percent,
        &st.nps,
        &st.percent,
        &st.score,
    ];
    for (i, p) in ctx.ins.trend.iter().enumerate() {
        let r = TREND_FIRST_ROW + i as u32;
        ws.write_string_with_format(r, 0, short_month(ctx, p.month), &st.text)?;
        for (j, v) in p.values.iter().enumerate() {
            ws.opt_num(r, 1 + j as u16, *v, formats[j])?;
        }
    }
    let last = TREND_FIRST_ROW + ctx.ins.trend.len().max(1) as u32 - 1;
    debug_assert_eq!(TREND_KPIS.len(), 8);

    let line = |chart: &mut Chart, col: u16, colour: u32| {
        chart
            .add_series()
            .set_name((name.as_str(), TREND_FIRST_ROW - 1, col))
            .set_categories((name.as_str(), TREND_FIRST_ROW, 0, last, 0))
            .set_values((name.as_str(), TREND_FIRST_ROW, col, last, col))
            .set_format(
                ChartFormat::new().set_line(ChartLine::new().set_color(colour).set_width(2.25)),
            )
            .set_marker(
                ChartMarker::new()
                    .set_type(ChartMarkerType::Circle)
                    .set_size(5)
                    .set_format(
                        ChartFormat::new()
                            .set_solid_fill(ChartSolidFill::new().set_color(colour))
                            .set_line(ChartLine::new().set_color(colour)),
                    ),
            );
    };

    let mut mrr = chart_base(ChartType::Column, t.chart_mrr);
    mrr.add_series()
        .set_name((name.as_str(), TREND_FIRST_ROW - 1, 1))
        .set_categories((name.as_str(), TREND_FIRST_ROW, 0, last, 0))
        .set_values((name.as_str(), TREND_FIRST_ROW, 1, last, 1))
        .set_format(ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(BLUE)))
        .set_gap(60);
    mrr.y_axis().set_num_format(&st.money_axis);
    mrr.legend().set_hidden();

    let mut churn = chart_base(ChartType::Line, t.chart_churn);
    line(&mut churn, 2, ORANGE);
    line(&mut churn, 3, DOWN);
    churn.y_axis().set_num_format(&st.percent_axis);

    let mut retention = chart_base(ChartType::Line, t.chart_retention);
    line(&mut retention, 4, BLUE);
    line(&mut retention, 5, TEAL);
    retention.y_axis().set_num_format(&st.percent_axis);

    let mut voice = chart_base(ChartType::Line, t.chart_voice);
    line(&mut voice, 6, NAVY);
    line(&mut voice, 7, ORANGE);

    let mut score = chart_base(ChartType::Line, t.chart_score);
    line(&mut score, 8, TEAL);
    score.y_axis().set_min(0).set_max(100);
    score.legend().set_hidden();

    // two rows of three charts under the table, one landscape page in all
    let top = last + 2;
    for (i, chart) in [&mrr, &churn, &retention, &voice, &score]
        .iter()
        .enumerate()
    {
        let (row, slot) = (top + 13 * (i as u32 / 3), i as u32 % 3);
        ws.insert_chart_with_offset(row, 0, chart, 315 * slot, 0)?;
    }
    ws.set_print_fit_to_pages(1, 1);
    // down to the second row of charts' end (250 px: 12.5 rows of 20 px)
    ws.set_print_area(0, 0, top + 13 + 12, 9)?;
    Ok(())
}

pub(crate) fn bridge(ws: &mut Worksheet, ctx: &Ctx, names: &[String]) -> Result<(), XlsxError> {
    let (t, st) = (ctx.t, &ctx.st);
    let name = &names[2];
    ws.set_name(name)?;
    page_setup(ws, ctx, name, None)?;
    ws.set_column_width(0, 28)?;
    ws.set_column_width(1, 16)?;
    ws.set_column_width(2, 3)?;
    sheet_title(
        ws,
        ctx,
        &format!("{} – {}", t.bridge_title, ctx.month_label),
    )?;
    let Some(b) = &ctx.ins.bridge else {
        ws.write_string_with_format(3, 0, t.no_bridge, &st.note)?;
        return Ok(());
    };
    header_row(ws, ctx, BRIDGE_FIRST_ROW - 1, &[t.mrr, t.amount], &[1])?;
    // the waterfall's helper series, hidden columns K..N
    let (hb, hup, hdown, htotal) = (10u16, 11u16, 12u16, 13u16);
    for c in [hb, hup, hdown, htotal] {
        ws.set_column_hidden(c)?;
    }
    ws.write_string(BRIDGE_FIRST_ROW - 1, hb, t.bridge_helper[0])?;
    ws.write_string(BRIDGE_FIRST_ROW - 1, hup, t.bridge_helper[1])?;
    ws.write_string(BRIDGE_FIRST_ROW - 1, hdown, t.bridge_helper[2])?;
    ws.write_string(BRIDGE_FIRST_ROW - 1, htotal, t.total)?;
    let steps = [
        (b.start, 0),
        (b.new, 1),
        (b.expansion, 1),
        (b.reactivation, 1),
        (-b.contraction, -1),
        (-b.churned, -1),
        (b.end, 0),
    ];
    let mut running = 0.0;
    for (i, (amount, kind)) in steps.iter().enumerate() {
        let r = BRIDGE_FIRST_ROW + i as u32;
        let total = *kind == 0;
        let label_f = if total { &st.bold } else { &st.text };
        let f = if total {
            &st.money_bold
        } else {
            &st.change_money
        };
        ws.write_string_with_format(r, 0, t.bridge_steps[i], label_f)?;
        ws.write_number_with_format(r, 1, *amount + 0.0, f)?;
        let (base, up, down, tot) = match kind {
            0 => {
                running = *amount;
                (0.0, 0.0, 0.0, *amount)
            }
            1 => {
                let base = running;
                running += amount;
                (base, *amount, 0.0, 0.0)
            }
            _ => {
                running += amount;
                (running, 0.0, -amount, 0.0)
            }
        };
        for (c, v) in [(hb, base), (hup, up), (hdown, down), (htotal, tot)] {
            ws.write_number(r, c, v + 0.0)?;
        }
    }
    let last = BRIDGE_FIRST_ROW + 6;
    let mut chart = chart_base(
        ChartType::ColumnStacked,
        &format!("{} – {}", t.bridge_title, ctx.month_label),
    );
    let cats = (name.as_str(), BRIDGE_FIRST_ROW, 0, last, 0);
    for (col, fill) in [
        (hb, None),
        (htotal, Some(NAVY)),
        (hup, Some(UP)),
        (hdown, Some(DOWN)),
    ] {
        let mut format = ChartFormat::new();
        match fill {
            None => format.set_no_fill().set_no_border(),
            Some(c) => format.set_solid_fill(ChartSolidFill::new().set_color(c)),
        };
        chart
            .add_series()
            .set_name((name.as_str(), BRIDGE_FIRST_ROW - 1, col))
            .set_categories(cats)
            .set_values((name.as_str(), BRIDGE_FIRST_ROW, col, last, col))
            .set_format(&mut format)
            .set_gap(50);
    }
    chart.legend().set_hidden();
    chart.y_axis().set_num_format(&st.money_axis);
    // start the axis near the lowest bar so that the movements are visible
    let low = [b.start, b.end, b.start - b.contraction - b.churned]
        .into_iter()
        .fold(f64::INFINITY, f64::min);
    if low.is_finite() && low > 0.0 {
        let step = 10f64.powf((low * 0.8).log10().floor());
        chart.y_axis().set_min((low * 0.8 / step).floor() * step);
    }
    chart.show_hidden_data();
    chart.set_width(640).set_height(330);
    ws.insert_chart_with_offset(last + 2, 0, &chart, 0, 0)?;
    // down to the chart's end (330 px: 16.5 rows of 20 px)
    ws.set_print_area(0, 0, last + 2 + 16, 8)?;
    Ok(())
}

pub(crate) fn cohorts(ws: &mut Worksheet, ctx: &Ctx, names: &[String]) -> Result<(), XlsxError> {
    let (t, st) = (ctx.t, &ctx.st);
    let name = &names[6];
    ws.set_name(name)?;
    page_setup(ws, ctx, name, None)?;
    ws.set_column_width(0, 13)?;
    ws.set_column_width(1, 9)?;
    ws.set_column_width(2, 13)?;
    for c in 3..=(3 + COHORTS as u16) {
        ws.set_column_width(c, 7.5)?;
    }
    sheet_title(ws, ctx, t.cohorts_title)?;
    let cohorts = &ctx.ins.cohorts;
    let mut r = 3;
    for (title, revenue, (low, mid, high)) in [
        (t.cohort_logo, false, (60, 85, 100)),
        (t.cohort_revenue, true, (60, 90, 110)),
    ] {
        ws.write_string_with_format(r, 0, title, &st.section)?;
        for c in 1..=(3 + COHORTS as u16) {
            ws.write_blank(r, c, &st.section)?;
        }
        r += 1;
        ws.write_string_with_format(r, 3, t.months_since, &st.note_line)?;
        r += 1;
        header_row(ws, ctx, r, &t.cohort_cols, &[1, 2])?;
        for k in 0..=COHORTS {
            ws.write_number_with_format(r, 3 + k as u16, k as f64, &st.header_num)?;
        }
        r += 1;
        let first = r;
        if cohorts.is_empty() {
            ws.write_string_with_format(r, 0, t.none, &st.note_line)?;
            r += 1;
        }
        for c in cohorts {
            ws.write_string_with_format(r, 0, short_month(ctx, c.start), &st.text)?;
            ws.write_number_with_format(r, 1, c.accounts as f64, &st.count)?;
            ws.opt_num(r, 2, c.start_mrr, &st.money)?;
            let values = if revenue { &c.revenue } else { &c.logo };
            for (k, v) in values.iter().enumerate().take(COHORTS as usize + 1) {
                ws.opt_num(r, 3 + k as u16, *v, &st.pct_int)?;
            }
            r += 1;
        }
        if r > first && !cohorts.is_empty() {
            ws.add_conditional_format(
                first,
                3,
                r - 1,
                3 + COHORTS as u16,
                &ConditionalFormat3ColorScale::new()
                    .set_minimum(ConditionalFormatType::Number, low)
                    .set_midpoint(ConditionalFormatType::Number, mid)
                    .set_maximum(ConditionalFormatType::Number, high)
                    .set_minimum_color(style::RED_FILL)
                    .set_midpoint_color(style::YELLOW_FILL)
                    .set_maximum_color(style::GREEN_FILL),
            )?;
        }
        r += 1;
    }
    ws.set_print_area(0, 0, r - 2, 3 + COHORTS as u16)?;
    Ok(())
}

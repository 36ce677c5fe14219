//! Sheets that list accounts and comments: every scored account, movers & risks, and the
//! voice of the customer. Imported text (ids, names, owners, comments) goes through
//! [`Sheet::user_text`].

use super::style::{W_COMMENT, W_ID, W_LIGHT, W_NAME, W_NUM, W_OWNER};
use super::{
    header_row, indent_headers, light_colours, light_label, page_setup, sheet_title,
    wrapped_height, Ctx, Page, Sheet,
};
use crate::score::ScoreReport;
use crate::settings::Component;
use crate::trends::AccountLine;
use rust_xlsxwriter::{
    ConditionalFormat3ColorScale, ConditionalFormatCustomIcon, ConditionalFormatIconSet,
    ConditionalFormatIconType, ConditionalFormatType, Worksheet, XlsxError,
};

/// Header row of the accounts sheet (0-based); data starts on the next row.
pub const ACCOUNTS_HEADER_ROW: u32 = 3;
/// At most this many lines per list on the movers & risks sheet.
pub const LIST_MAX: usize = 50;

/// The accounts sheet: it reads only the scores of M, so it can be written before the
/// other months are computed.
pub(crate) fn accounts(
    ws: &mut Worksheet,
    ctx: &Page,
    s: &ScoreReport,
    names: &[String],
    notes: &[crate::store::Note],
) -> Result<(), XlsxError> {
    let (t, st) = (ctx.t, &ctx.st);
    let name = &names[3];
    ws.set_name(name)?;
    page_setup(ws, ctx, name, Some(ACCOUNTS_HEADER_ROW))?;
    let widths = [
        W_ID, W_NAME, W_OWNER, 12.0, W_NUM, 9.0, W_LIGHT, W_LIGHT, 9.0, 9.0, 9.0, 10.5, 11.0, 11.0,
        40.0,
    ];
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    sheet_title(ws, ctx, t.sheets[3])?;
    let mut cols: Vec<&str> = t.account_cols.to_vec();
    cols.extend(t.components);
    cols.push(super::insights::tx(t.lang).action);
    ws.set_row_height(ACCOUNTS_HEADER_ROW, 28)?;
    header_row(
        ws,
        ctx,
        ACCOUNTS_HEADER_ROW,
        &cols,
        &[4, 5, 8, 9, 10, 11, 12, 13],
    )?;
    let mut r = ACCOUNTS_HEADER_ROW + 1;
    for a in &s.accounts {
        ws.user_text(r, 0, &a.account_id, ctx, false)?;
        opt_text(ws, r, 1, a.name.as_deref(), ctx)?;
        opt_text(ws, r, 2, a.owner.as_deref(), ctx)?;
        opt_text(ws, r, 3, a.segment.as_deref(), ctx)?;
        ws.opt_num(r, 4, a.mrr, &st.money)?;
        ws.opt_num(r, 5, a.score, &st.score)?;
        let light = match a.score {
            Some(_) => light_label(t, a.light),
            None => t.insufficient,
        };
        ws.write_string_with_format(r, 6, light, &st.text)?;
        ws.write_string_with_format(r, 7, light_label(t, a.previous_light), &st.text)?;
        for (i, c) in Component::ALL.iter().enumerate() {
            ws.opt_num(r, 8 + i as u16, a.components.get(*c), &st.score)?;
        }
        if !notes.is_empty() {
            action_cell(ws, ctx, r, 14, notes, &a.account_id)?;
        }
        r += 1;
    }
    let last = r.saturating_sub(1).max(ACCOUNTS_HEADER_ROW);
    ws.set_freeze_panes(ACCOUNTS_HEADER_ROW + 1, 2)?;
    ws.autofilter(ACCOUNTS_HEADER_ROW, 0, last, 14)?;
    if last > ACCOUNTS_HEADER_ROW {
        let first = ACCOUNTS_HEADER_ROW + 1;
        score_icons(ws, ctx, (first, 5, last, 5))?;
        light_colours(ws, ctx, (first, 6, last, 7), t.lights)?;
        ws.add_conditional_format(
            first,
            8,
            last,
            13,
            &ConditionalFormat3ColorScale::new()
                .set_minimum(ConditionalFormatType::Number, 0)
                .set_midpoint(ConditionalFormatType::Number, 50)
                .set_maximum(ConditionalFormatType::Number, 100)
                .set_minimum_color(super::style::RED_FILL)
                .set_midpoint_color(super::style::YELLOW_FILL)
                .set_maximum_color(super::style::GREEN_FILL),
        )?;
    }
    Ok(())
}

/// The CS lead's action for `account_id` in column `c`, as text (never a formula).
fn action_cell(
    ws: &mut Worksheet,
    ctx: &Page,
    r: u32,
    c: u16,
    notes: &[crate::store::Note],
    account_id: &str,
) -> Result<(), XlsxError> {
    let key = crate::store::NoteKey::Account(account_id.to_owned());
    if let Some(n) = super::insights::note(notes, &key) {
        ws.user_text(r, c, &super::insights::action_text(n), ctx, false)?;
    }
    Ok(())
}

/// Traffic-light icons on score cells, at the thresholds of the settings.
fn score_icons(
    ws: &mut Worksheet,
    ctx: &Page,
    (r1, c1, r2, c2): (u32, u16, u32, u16),
) -> Result<(), XlsxError> {
    let icons = [
        ConditionalFormatCustomIcon::new(),
        ConditionalFormatCustomIcon::new()
            .set_rule(ConditionalFormatType::Number, ctx.settings.threshold_yellow),
        ConditionalFormatCustomIcon::new()
            .set_rule(ConditionalFormatType::Number, ctx.settings.threshold_green),
    ];
    ws.add_conditional_format(
        r1,
        c1,
        r2,
        c2,
        &ConditionalFormatIconSet::new()
            .set_icon_type(ConditionalFormatIconType::ThreeTrafficLights)
            .set_icons(&icons),
    )?;
    Ok(())
}

fn opt_text(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    text: Option<&str>,
    ctx: &Page,
) -> Result<(), XlsxError> {
    match text {
        Some(s) => ws.user_text(r, c, s, ctx, false),
        None => {
            ws.write_blank(r, c, &ctx.st.text)?;
            Ok(())
        }
    }
}

/// A section title spanning `cols` columns.
fn section(ws: &mut Worksheet, ctx: &Ctx, r: u32, title: &str, cols: u16) -> Result<(), XlsxError> {
    ws.write_string_with_format(r, 0, title, &ctx.st.section)?;
    for c in 1..cols {
        ws.write_blank(r, c, &ctx.st.section)?;
    }
    Ok(())
}

/// "… and N more" under a list that was cut at [`LIST_MAX`].
fn more(ws: &mut Worksheet, ctx: &Ctx, r: u32, total: usize) -> Result<u32, XlsxError> {
    if total > LIST_MAX {
        let text = ctx.t.more.replace("{n}", &(total - LIST_MAX).to_string());
        ws.write_string_with_format(r, 0, &text, &ctx.st.note_line)?;
        return Ok(r + 1);
    }
    Ok(r)
}

pub(crate) fn movers(ws: &mut Worksheet, ctx: &Ctx, names: &[String]) -> Result<(), XlsxError> {
    let (t, st, ins) = (ctx.t, &ctx.st, ctx.ins);
    let name = &names[4];
    ws.set_name(name)?;
    page_setup(ws, ctx, name, None)?;
    for (c, w) in [
        12.0, W_ID, W_NAME, W_OWNER, W_NUM, W_NUM, W_LIGHT, W_LIGHT, 40.0,
    ]
    .iter()
    .enumerate()
    {
        ws.set_column_width(c as u16, *w)?;
    }
    sheet_title(ws, ctx, t.sheets[4])?;
    let mut r = 3;

    // lights that changed
    section(ws, ctx, r, t.movers_title, 8)?;
    r += 1;
    let action = super::insights::tx(t.lang).action;
    let notes = &ctx.extras.notes;
    let mut cols = vec![""];
    cols.extend(t.movers_cols);
    cols.push(action);
    header_row(ws, ctx, r, &cols, &[4, 5])?;
    indent_headers(ws, ctx, r, &cols, &[6, 7, 8])?;
    r += 1;
    let first = r;
    if ins.movers.is_empty() {
        ws.write_string_with_format(r, 0, t.none, &st.note_line)?;
        r += 1;
    }
    for a in ins.movers.iter().take(LIST_MAX) {
        let arrow = match (a.previous_light, a.light) {
            (Some(p), Some(n)) if rank(n) < rank(p) => "▼",
            _ => "▲",
        };
        ws.write_string_with_format(r, 0, arrow, &st.center)?;
        account_cells(ws, ctx, r, 1, a, false)?;
        ws.opt_num(r, 4, a.mrr, &st.money)?;
        ws.opt_num(r, 5, a.score, &st.score)?;
        ws.write_string_with_format(r, 6, light_label(t, a.previous_light), &st.indent)?;
        ws.write_string_with_format(r, 7, light_label(t, a.light), &st.indent)?;
        action_cell(ws, ctx, r, 8, notes, &a.account_id)?;
        r += 1;
    }
    light_colours(ws, ctx, (first, 6, r - 1, 7), t.lights)?;
    r = more(ws, ctx, r, ins.movers.len())? + 1;

    // red accounts by MRR
    section(ws, ctx, r, t.red_title, 8)?;
    r += 1;
    let mut cols = vec![""];
    cols.extend(t.red_cols);
    cols.push(action);
    header_row(ws, ctx, r, &cols, &[5, 6])?;
    indent_headers(ws, ctx, r, &cols, &[7])?;
    r += 1;
    if ins.red.is_empty() {
        ws.write_string_with_format(r, 0, t.none, &st.note_line)?;
        r += 1;
    }
    for (i, a) in ins.red.iter().take(LIST_MAX).enumerate() {
        ws.write_number_with_format(r, 0, (i + 1) as f64, &st.center)?;
        account_cells(ws, ctx, r, 1, a, false)?;
        opt_text(ws, r, 4, a.segment.as_deref(), ctx)?;
        ws.opt_num(r, 5, a.mrr, &st.money)?;
        ws.opt_num(r, 6, a.score, &st.score)?;
        action_cell(ws, ctx, r, 7, notes, &a.account_id)?;
        r += 1;
    }
    r = more(ws, ctx, r, ins.red.len())? + 1;

    // renewals due in the next 90 days
    section(ws, ctx, r, t.renewals_title, 8)?;
    r += 1;
    header_row(ws, ctx, r, &t.renewal_cols, &[4, 5])?;
    indent_headers(ws, ctx, r, &t.renewal_cols, &[6])?;
    r += 1;
    let first = r;
    if ins.renewals.is_empty() {
        ws.write_string_with_format(r, 0, t.none, &st.note_line)?;
        r += 1;
    }
    for d in ins.renewals.iter().take(LIST_MAX) {
        ws.date(r, 0, &d.due_date, &st.date)?;
        account_cells(ws, ctx, r, 1, &d.account, false)?;
        ws.opt_num(r, 4, d.amount, &st.money)?;
        ws.opt_num(r, 5, d.account.mrr, &st.money)?;
        ws.write_string_with_format(r, 6, light_label(t, d.account.light), &st.indent)?;
        let outcome = match d.outcome.as_str() {
            "renewed" => t.outcomes[1],
            "churned" => t.outcomes[2],
            _ => t.outcomes[0],
        };
        ws.write_string_with_format(r, 7, outcome, &st.text)?;
        r += 1;
    }
    light_colours(ws, ctx, (first, 6, r - 1, 6), t.lights)?;
    r = more(ws, ctx, r, ins.renewals.len())?;
    // through the Action column (I) of the movers, down to the last written row
    ws.set_print_area(0, 0, r - 1, 8)?;
    Ok(())
}

fn rank(l: crate::score::Light) -> u8 {
    match l {
        crate::score::Light::Red => 0,
        crate::score::Light::Yellow => 1,
        crate::score::Light::Green => 2,
    }
}

/// Account id, name, owner from column `c` on.
fn account_cells(
    ws: &mut Worksheet,
    ctx: &Ctx,
    r: u32,
    c: u16,
    a: &AccountLine,
    _segment: bool,
) -> Result<(), XlsxError> {
    ws.user_text(r, c, &a.account_id, ctx, false)?;
    opt_text(ws, r, c + 1, a.name.as_deref(), ctx)?;
    opt_text(ws, r, c + 2, a.owner.as_deref(), ctx)?;
    Ok(())
}

pub(crate) fn voice(ws: &mut Worksheet, ctx: &Ctx, names: &[String]) -> Result<(), XlsxError> {
    let (t, st, ins) = (ctx.t, &ctx.st, ctx.ins);
    let name = &names[5];
    ws.set_name(name)?;
    page_setup(ws, ctx, name, None)?;
    for (c, w) in [12.0, W_ID, W_NAME, 6.0, W_COMMENT].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    sheet_title(ws, ctx, t.voice_title)?;
    let mut r = 3;
    for (title, detractors) in [(t.detractors_title, true), (t.others_title, false)] {
        section(ws, ctx, r, title, 5)?;
        r += 1;
        header_row(ws, ctx, r, &t.comment_cols, &[3])?;
        r += 1;
        let list: Vec<_> = ins
            .comments
            .iter()
            .filter(|c| c.detractor == detractors)
            .collect();
        if list.is_empty() {
            ws.write_string_with_format(r, 0, t.none, &st.note_line)?;
            r += 1;
        }
        for c in list {
            if let Some(h) = wrapped_height(&c.text, W_COMMENT) {
                ws.set_row_height(r, h)?;
            }
            ws.date(r, 0, &c.date, &st.date)?;
            opt_text(ws, r, 1, c.account_id.as_deref(), ctx)?;
            opt_text(ws, r, 2, c.name.as_deref(), ctx)?;
            ws.opt_num(r, 3, c.nps.map(|n| n as f64), &st.int)?;
            ws.user_text(r, 4, &c.text, ctx, true)?;
            r += 1;
        }
        r += 1;
    }
    ws.set_print_area(0, 0, r - 2, 4)?;
    Ok(())
}

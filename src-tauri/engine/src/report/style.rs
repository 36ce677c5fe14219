//! Every format, colour and number format of the board report, in one place.

use super::text::Texts;
use crate::error::Lang;
use crate::kpi::Unit;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder};

pub const NAVY: u32 = 0x1F3864;
pub const GREY: u32 = 0x595959;
pub const LIGHT_GREY: u32 = 0xF2F2F2;
pub const RULE: u32 = 0xBFBFBF;
/// Chart colours: MRR, second series, third series.
pub const BLUE: u32 = 0x2E75B6;
pub const ORANGE: u32 = 0xED7D31;
pub const TEAL: u32 = 0x2A9D8F;
/// Traffic lights: fill and font (Excel's own "good / neutral / bad" pairs).
pub const GREEN_FILL: u32 = 0xC6EFCE;
pub const GREEN_FONT: u32 = 0x006100;
pub const YELLOW_FILL: u32 = 0xFFEB9C;
pub const YELLOW_FONT: u32 = 0x9C5700;
pub const RED_FILL: u32 = 0xFFC7CE;
pub const RED_FONT: u32 = 0x9C0006;
/// Solid chart colours for increases and decreases.
pub const UP: u32 = 0x70AD47;
pub const DOWN: u32 = 0xC00000;

pub const FONT: &str = "Calibri";

/// Column widths (characters).
pub const W_ID: f64 = 13.0;
pub const W_NAME: f64 = 30.0;
pub const W_OWNER: f64 = 18.0;
pub const W_NUM: f64 = 13.0;
pub const W_LIGHT: f64 = 11.0;
pub const W_KPI: f64 = 38.0;
pub const W_NOTE: f64 = 50.0;
pub const W_COMMENT: f64 = 70.0;
pub const W_DEF: f64 = 70.0;

pub struct Styles {
    pub title: Format,
    pub subtitle: Format,
    pub section: Format,
    pub header: Format,
    pub header_num: Format,
    /// Header and text of a text column right of a right-aligned number: one indent, so
    /// the two never touch.
    pub header_indent: Format,
    pub indent: Format,
    pub group: Format,
    pub text: Format,
    /// The same with Excel's quote prefix: imported text that starts like a formula.
    pub text_quoted: Format,
    pub wrap: Format,
    pub wrap_quoted: Format,
    /// Top-aligned, for cells next to wrapped text.
    pub top: Format,
    pub note: Format,
    /// A one-line note (no wrapping: it may run into empty cells to its right).
    pub note_line: Format,
    pub center: Format,
    pub bold: Format,
    pub big_score: Format,
    pub big_label: Format,
    pub date: Format,
    pub datetime: Format,
    pub int: Format,
    pub pct_plain: Format,
    pub pct_int: Format,
    /// A share kept as a fraction (0.78) shown as a whole percent (78%): the backtest's
    /// AUC, as the app shows it.
    pub auc: Format,
    pub money: Format,
    pub money_bold: Format,
    pub percent: Format,
    pub count: Format,
    pub decimal: Format,
    pub ratio: Format,
    pub nps: Format,
    pub score: Format,
    pub hours: Format,
    pub minutes: Format,
    pub days: Format,
    pub change_money: Format,
    pub change_percent: Format,
    pub change_count: Format,
    pub change_decimal: Format,
    pub change_nps: Format,
    pub change_score: Format,
    pub change_hours: Format,
    pub change_minutes: Format,
    pub change_days: Format,
    pub green: Format,
    pub yellow: Format,
    pub red: Format,
    /// Number formats for chart axes.
    pub money_axis: String,
    pub percent_axis: String,
}

/// The display symbol of an ISO currency code, before (`true`) or after the amount.
fn currency(code: &str, lang: Lang) -> (String, bool) {
    let symbol = match code {
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        "JPY" => "¥",
        other => other,
    };
    let before = lang == Lang::En && symbol.chars().count() == 1;
    (symbol.replace('"', ""), before)
}

impl Styles {
    pub fn new(t: &Texts, currency_code: &str) -> Styles {
        let base = Format::new().set_font_name(FONT).set_font_size(10);
        let num = |f: &str| base.clone().set_num_format(f);
        let (sym, before) = currency(currency_code, t.lang);
        let money_fmt = if before {
            format!("\"{sym}\"#,##0;-\"{sym}\"#,##0;\"{sym}\"0")
        } else {
            format!("#,##0 \"{sym}\";-#,##0 \"{sym}\";0 \"{sym}\"")
        };
        let money_change = if before {
            format!("+\"{sym}\"#,##0;-\"{sym}\"#,##0;\"{sym}\"0")
        } else {
            format!("+#,##0 \"{sym}\";-#,##0 \"{sym}\";0 \"{sym}\"")
        };
        let signed = |f: &str| format!("+{f};-{f};{f}");
        let unit = |u: &str| format!("0.0\" {u}\"");
        let fill = |bg: u32, fg: u32| {
            Format::new()
                .set_background_color(Color::RGB(bg))
                .set_font_color(Color::RGB(fg))
        };
        Styles {
            title: base
                .clone()
                .set_font_size(18)
                .set_bold()
                .set_font_color(Color::RGB(NAVY)),
            subtitle: base.clone().set_italic().set_font_color(Color::RGB(GREY)),
            section: base
                .clone()
                .set_font_size(12)
                .set_bold()
                .set_font_color(Color::RGB(NAVY))
                .set_border_bottom(FormatBorder::Thin)
                .set_border_bottom_color(Color::RGB(NAVY)),
            header: base
                .clone()
                .set_bold()
                .set_font_color(Color::White)
                .set_background_color(Color::RGB(NAVY))
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter),
            header_num: base
                .clone()
                .set_bold()
                .set_font_color(Color::White)
                .set_background_color(Color::RGB(NAVY))
                .set_text_wrap()
                .set_align(FormatAlign::Right)
                .set_align(FormatAlign::VerticalCenter),
            header_indent: base
                .clone()
                .set_bold()
                .set_font_color(Color::White)
                .set_background_color(Color::RGB(NAVY))
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter)
                .set_indent(1),
            indent: base.clone().set_indent(1),
            group: base
                .clone()
                .set_bold()
                .set_font_color(Color::RGB(NAVY))
                .set_background_color(Color::RGB(LIGHT_GREY))
                .set_border_top(FormatBorder::Thin)
                .set_border_top_color(Color::RGB(RULE)),
            text: base.clone(),
            text_quoted: base.clone().set_quote_prefix(),
            wrap: base.clone().set_text_wrap(),
            wrap_quoted: base.clone().set_text_wrap().set_quote_prefix(),
            top: base.clone().set_align(FormatAlign::Top),
            note: base
                .clone()
                .set_italic()
                .set_font_color(Color::RGB(GREY))
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            note_line: base.clone().set_italic().set_font_color(Color::RGB(GREY)),
            center: base.clone().set_align(FormatAlign::Center),
            bold: base.clone().set_bold(),
            big_score: base
                .clone()
                .set_font_size(28)
                .set_bold()
                .set_num_format("0.0")
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            big_label: base
                .clone()
                .set_font_size(12)
                .set_bold()
                .set_font_color(Color::RGB(NAVY))
                .set_align(FormatAlign::VerticalCenter),
            date: num(if t.lang == Lang::De {
                "dd.mm.yyyy"
            } else {
                "yyyy-mm-dd"
            })
            .set_align(FormatAlign::Left),
            datetime: num(if t.lang == Lang::De {
                "dd.mm.yyyy hh:mm"
            } else {
                "yyyy-mm-dd hh:mm"
            }),
            int: num("0"),
            pct_plain: num("0.0\\%"),
            pct_int: num("0\\%"),
            auc: num("0%"),
            money: num(&money_fmt),
            money_bold: num(&money_fmt).set_bold(),
            percent: num("0.0\\%"),
            count: num("#,##0"),
            decimal: num("#,##0.0"),
            ratio: num("0.0\"×\""),
            nps: num("+0.0;-0.0;0.0"),
            score: num("0.0"),
            hours: num(&unit(t.hours)),
            minutes: num(&unit(t.minutes)),
            days: num(&unit(t.days)),
            change_money: num(&money_change),
            change_percent: num(&signed(&format!("0.0\" {}\"", t.pp))),
            change_count: num(&signed("#,##0")),
            change_decimal: num(&signed("#,##0.0")),
            change_nps: num(&signed("0.0")),
            change_score: num(&signed("0.0")),
            change_hours: num(&signed(&unit(t.hours))),
            change_minutes: num(&signed(&unit(t.minutes))),
            change_days: num(&signed(&unit(t.days))),
            green: fill(GREEN_FILL, GREEN_FONT),
            yellow: fill(YELLOW_FILL, YELLOW_FONT),
            red: fill(RED_FILL, RED_FONT),
            money_axis: money_fmt,
            percent_axis: "0\\%".into(),
        }
    }

    /// The format of a KPI value in `unit`.
    pub fn value(&self, unit: Unit) -> &Format {
        match unit {
            Unit::Money => &self.money,
            Unit::Percent => &self.percent,
            Unit::Count => &self.count,
            Unit::Decimal => &self.decimal,
            Unit::Ratio => &self.ratio,
            Unit::Nps => &self.nps,
            Unit::Score => &self.score,
            Unit::Hours => &self.hours,
            Unit::Minutes => &self.minutes,
            Unit::Days => &self.days,
        }
    }

    /// The format of a change of a KPI in `unit` (percent KPIs change in points).
    pub fn change(&self, unit: Unit) -> &Format {
        match unit {
            Unit::Money => &self.change_money,
            Unit::Percent => &self.change_percent,
            Unit::Count => &self.change_count,
            Unit::Decimal | Unit::Ratio => &self.change_decimal,
            Unit::Nps => &self.change_nps,
            Unit::Score => &self.change_score,
            Unit::Hours => &self.change_hours,
            Unit::Minutes => &self.change_minutes,
            Unit::Days => &self.change_days,
        }
    }
}

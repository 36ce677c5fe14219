//! # Exports straight from the tools (`sources.md`)
//!
//! The mechanisms that let CS Pulse read what Salesforce, HubSpot, Stripe, Zendesk,
//! Typeform, Mixpanel, GA4, Zoom, Shopify … export, as pure functions with no knowledge of
//! how the import pipeline is wired (files, sheets, the store):
//!
//! - [`identity`] — one customer under many names (§1): names normalised, e-mails and URLs
//!   to domains, resolution `account_id → alias → domain → name` over an index built once,
//!   ambiguity refused, unmatched values grouped, similar names proposed (never applied);
//!   which header texts are other tools' ids.
//! - [`billing`] — invoice and subscription lines → MRR per account-month (§5).
//! - [`vocab`] — the tools' own words for coded fields (§4): Salesforce stages, survey
//!   answer labels, lead types; helpdesk Good/Bad is kept apart from CSAT.
//! - [`units`] — units from headers (durations, business hours), cents, rates over a base
//!   (§4). The value parsers themselves (Unix times, `Oct 03, 2026 09:30 am`, `hh:mm:ss`,
//!   money with ISO codes) live in [`crate::import::convert`], next to the ones they extend.
//! - [`wrapping`] — what surrounds the table (§3): title/filter/comment blocks, footers,
//!   two header rows, grouped values filled down, subtotal rows, line-item continuation rows.
//!
//! They live in their own folder rather than inside `import/` because they are the
//! contract's mechanisms (`sources.md` §1–§5), used by the import, by import profiles and by
//! the link step alike, and because `import/` is being reorganised around them.

pub mod billing;
pub mod identity;
pub mod units;
pub mod vocab;
pub mod wrapping;

/// Lowercase, umlauts spelled out (ä = ae, as `datasets.md` matches headers), other accents
/// dropped; every run of characters that are not letters or digits becomes one space.
/// `"Schön & Partner GmbH & Co. KG"` → `"schoen partner gmbh co kg"`.
pub fn fold_words(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        let spelled: &str = match c {
            'ä' | 'Ä' => "ae",
            'ö' | 'Ö' => "oe",
            'ü' | 'Ü' => "ue",
            'ß' | 'ẞ' => "ss",
            _ => "",
        };
        if !spelled.is_empty() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.push_str(spelled);
            continue;
        }
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.push(c.to_ascii_lowercase());
            continue;
        }
        if c.is_ascii() {
            gap = true;
            continue;
        }
        // other letters: decomposed, accents dropped (é → e, å → a, ø stays ø)
        let mut any = false;
        for d in std::iter::once(c).nfd() {
            if unicode_normalization::char::is_combining_mark(d) {
                continue;
            }
            if d.is_alphanumeric() {
                if !any && gap && !out.is_empty() {
                    out.push(' ');
                }
                any = true;
                gap = false;
                out.extend(d.to_lowercase());
            }
        }
        if !any {
            gap = true;
        }
    }
    out
}

/// Test helpers: the research's fixtures (`tests/fixtures/tools/`) as rows of cells, the way
/// the CSV and workbook readers give them (CSV: every cell text).
#[cfg(test)]
pub(crate) mod fixtures {
    use crate::import::convert::FileCell;

    pub fn path(rel: &str) -> String {
        format!(
            "{}/../../tests/fixtures/tools/{rel}",
            env!("CARGO_MANIFEST_DIR")
        )
    }

    pub fn text(s: &str) -> FileCell {
        if s.is_empty() {
            FileCell::Empty
        } else {
            FileCell::Text(s.into())
        }
    }

    pub fn csv_rows(rel: &str) -> Vec<Vec<FileCell>> {
        let bytes = std::fs::read(path(rel)).expect(rel);
        let text = String::from_utf8(bytes).expect("utf-8");
        let text = text.trim_start_matches('\u{feff}');
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.expect("row").iter().map(text_cell).collect())
            .collect()
    }

    fn text_cell(s: &str) -> FileCell {
        text(s)
    }

    /// The first sheet of a workbook, from A1.
    pub fn xlsx_rows(rel: &str) -> Vec<Vec<FileCell>> {
        use calamine::{open_workbook_auto, Data, Reader};
        let mut wb = open_workbook_auto(path(rel)).expect(rel);
        let name = wb.sheet_names()[0].clone();
        let range = wb.worksheet_range(&name).expect("sheet");
        range
            .rows()
            .map(|r| {
                r.iter()
                    .map(|d| match d {
                        Data::Empty => FileCell::Empty,
                        Data::String(s) => text(s),
                        Data::Float(f) => FileCell::Number(*f),
                        Data::Int(i) => FileCell::Number(*i as f64),
                        Data::Bool(b) => FileCell::Bool(*b),
                        Data::DateTime(dt) => dt
                            .as_datetime()
                            .map(FileCell::DateTime)
                            .unwrap_or(FileCell::Empty),
                        other => FileCell::Text(other.to_string()),
                    })
                    .collect()
            })
            .collect()
    }

    /// The values of the column headed `header` in a CSV fixture (header in row 1).
    pub fn csv_column(rel: &str, header: &str) -> Vec<String> {
        let rows = csv_rows(rel);
        let i = rows[0]
            .iter()
            .position(|c| c.display() == header)
            .expect(header);
        rows[1..]
            .iter()
            .map(|r| r.get(i).map(FileCell::display).unwrap_or_default())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::fold_words;
    use super::identity::{alias_column, AccountLinks, AliasColumn, By, Directory, Resolution};
    use super::wrapping::{self, FillDown};
    use crate::import::convert::FileCell;

    /// The research's company end to end through the mechanisms: the Salesforce formatted
    /// accounts report (title/filter block, owner written once per group, subtotals,
    /// footer, tool-id columns) gives the accounts and their aliases; every other tool's
    /// customer column then resolves as EXPECTED.md says.
    #[test]
    fn one_company_named_differently_by_every_tool() {
        let rows = xlsx_rows("salesforce/Salesforce_Accounts_formatted.xlsx");
        let h = wrapping::header_like(&rows).expect("header");
        let end = wrapping::footer_start(&rows, h);
        let head: Vec<String> = rows[h].iter().map(FileCell::display).collect();
        let col = |n: &str| head.iter().position(|x| x == n).expect(n);
        let alias_cols: Vec<usize> = head
            .iter()
            .enumerate()
            .filter(|(i, t)| {
                *i != col("Account ID") && matches!(alias_column(t), Some(AliasColumn::Known(_)))
            })
            .map(|(i, _)| i)
            .collect();
        assert_eq!(alias_cols.len(), 4, "{head:?}");
        let grouped = wrapping::grouped_columns(&rows, h + 1, end);
        assert_eq!(grouped, vec![col("Account Owner")]);
        let mut fill = FillDown::new(grouped);
        let mut accounts = Vec::new();
        let mut owners = std::collections::BTreeMap::<String, usize>::new();
        for r in &rows[h + 1..end] {
            let mut cells = r.clone();
            if wrapping::totals_label(&cells).is_some() {
                fill.end_group();
                continue;
            }
            fill.row(&mut cells);
            *owners
                .entry(cells[col("Account Owner")].display())
                .or_default() += 1;
            accounts.push(AccountLinks {
                account_id: cells[col("Account ID")].display(),
                name: cells[col("Account Name")].display(),
                domain: Some(cells[col("Website")].display()),
                aliases: alias_cols.iter().map(|&i| cells[i].display()).collect(),
            });
        }
        assert_eq!(accounts.len(), 10);
        let owners: Vec<(&str, usize)> = owners.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        assert_eq!(
            owners,
            vec![("Anna Becker", 3), ("Jonas Weber", 4), ("Lea Schmidt", 3)]
        );

        let dir = Directory::build(&accounts);
        let names = |rel: &str, header: &str| -> (Vec<Option<String>>, Vec<(String, usize)>) {
            let values = csv_column(rel, header);
            let r = dir.resolve_column(values.iter().map(String::as_str));
            let linked = (0..r.len())
                .map(|i| match r.get(i) {
                    Resolution::Account { index, .. } => Some(fold_words(dir.name(*index))),
                    _ => None,
                })
                .collect();
            let unmatched = r
                .unmatched
                .iter()
                .map(|u| (u.value.clone(), u.rows))
                .collect();
            (linked, unmatched)
        };
        // Zendesk: organization names; ticket 1005 has none
        let (z, un) = names("zendesk/Zendesk_tickets.csv", "Organization");
        assert_eq!(z.iter().filter(|x| x.is_some()).count(), 8);
        assert_eq!(z[0].as_deref(), Some("mueller gmbh"));
        assert_eq!(z[4].as_deref(), Some("brightpath ltd"));
        assert_eq!(z[8].as_deref(), Some("schoen partner gmbh co kg"));
        assert!(z[5].is_none() && un.is_empty());
        // Typeform: e-mails → domains; the gmail address is listed, not matched
        let (t, un) = names("typeform/Typeform_NPS_responses.csv", "email");
        assert_eq!(t.iter().filter(|x| x.is_some()).count(), 9);
        assert_eq!(un, vec![("max.peters@gmail.com".to_owned(), 1)]);
        // Delighted: the gmx address likewise
        let (_, un) = names("delighted/Delighted_CES_responses.csv", "Email");
        assert_eq!(un, vec![("random.user@gmx.de".to_owned(), 1)]);
        // Mixpanel: workspace ids are aliases; ws_9999 (1 row) is unmatched
        let values = csv_column("mixpanel/Mixpanel_events.csv", "workspace_id");
        let r = dir.resolve_column(values.iter().map(String::as_str));
        assert_eq!(r.linked_by(By::Alias), 24);
        assert_eq!(r.unmatched.len(), 1);
        assert_eq!(
            (r.unmatched[0].value.as_str(), r.unmatched[0].rows),
            ("ws_9999", 1)
        );
        // Shopify: typed billing companies, Müller under two spellings
        let (s, _) = names("shopify/Shopify_orders_export.csv", "Billing Company");
        let linked: Vec<&str> = s.iter().flatten().map(String::as_str).collect();
        assert_eq!(
            linked,
            vec![
                "mueller gmbh",
                "mueller gmbh",
                "nordwind logistik ag",
                "acme analytics inc"
            ]
        );
    }

    #[test]
    fn words_are_folded_as_datasets_md_matches_headers() {
        assert_eq!(
            fold_words("Schön & Partner GmbH & Co. KG"),
            "schoen partner gmbh co kg"
        );
        assert_eq!(fold_words("MÜLLER GMBH"), "mueller gmbh");
        assert_eq!(fold_words("Café Lumière SARL"), "cafe lumiere sarl");
        assert_eq!(fold_words("  Acme Analytics, Inc. "), "acme analytics inc");
        assert_eq!(fold_words("Straße"), "strasse");
        assert_eq!(fold_words(""), "");
    }
}

/// User data never panics the mechanisms: any text through every parser and rule.
#[cfg(test)]
mod never_panic {
    use super::*;
    use crate::import::convert::{self, DurationUnit, FileCell, SlashOrder};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]
        #[test]
        fn any_text_through_every_rule(
            // any text, and text made of the characters the parsers look at
            s in prop_oneof!["\\PC{0,40}", "[0-9a-zA-Z:+./@ ,'#%()€äüß-]{0,30}"],
            n in any::<f64>(),
        ) {
            let d = identity::Directory::build(&[identity::AccountLinks {
                account_id: "A".into(),
                name: s.clone(),
                domain: Some(s.clone()),
                aliases: vec![s.clone()],
            }]);
            let _ = d.resolve(&s);
            let _ = d.proposals(&s, 3);
            let _ = identity::alias_column(&s);
            let _ = identity::domain_of(&s);
            let cell = FileCell::Text(s.clone());
            let _ = convert::date_time(&cell, SlashOrder::MonthFirst);
            let _ = convert::date_time(&FileCell::Number(n), SlashOrder::DayFirst);
            let _ = convert::month(&cell, SlashOrder::DayFirst);
            let _ = convert::number(&cell);
            let _ = convert::money_currency(&s);
            let _ = convert::duration_seconds(&cell, DurationUnit::Minutes);
            let _ = convert::duration_seconds(&FileCell::Number(n), DurationUnit::Hours);
            let _ = units::duration_unit(&s);
            let _ = units::rate_column(&s);
            let _ = billing::status(&s);
            let _ = billing::line_type(&s);
            let _ = billing::interval_unit(&s);
            let _ = vocab::csat_labels().get(&s);
            let _ = vocab::ces_labels([s.as_str()]);
            let _ = vocab::helpdesk_rating(&s);
            let row = vec![cell.clone(), FileCell::Empty, FileCell::Text(format!("#{s}"))];
            let rows = vec![row.clone(), vec![FileCell::Text(s.clone()), cell.clone()], row];
            let _ = wrapping::header_like(&rows);
            let _ = wrapping::preamble(&rows, 1);
            let _ = wrapping::footer(&rows, 0);
            let _ = wrapping::section_start(&rows, 0);
            let _ = wrapping::combined_header(&rows, 1);
            let _ = wrapping::grouped_columns(&rows, 0, 3);
            let _ = wrapping::line_item_records(&rows, 0, 3, 0, &[1, 2]);
            // a name key holds letters and digits only (whitespace and punctuation ignored)
            let k = identity::name_key(&s);
            prop_assert!(k.chars().all(|c| c.is_alphanumeric()));
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::fold_words;

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

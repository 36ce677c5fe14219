//! Import profiles (`sources.md` §6): what was decided for a file (kind, sheet, header row,
//! mapping, date order, overlap mode, per table) saved under the file's **signature** and
//! applied to the next file with that signature without questions.
//!
//! - The signature is the file's shape: per table, its sheet name and header texts,
//!   normalised (as header keys, without digits, without month columns: next month's export
//!   of the same report has the same signature). It is what [`inspect`](super::inspect)
//!   finds with no options.
//! - The format is versioned JSON ([`PROFILE_VERSION`]); every field but `version`, `name`
//!   and `signature` has a default, so later fields (constants, units, vocabularies,
//!   identity answers) are added without breaking older profiles. A profile from a newer
//!   CS Pulse is refused by name rather than half applied.
//! - Profiles live in the database (table `profiles`, migration 0005: in backups, untouched
//!   by undo); [`BUILT_IN`] is for saved-format profiles shipped with CS Pulse (none yet:
//!   the tools' exports are recognised by their header shape in
//!   [`super::builtin`], which the import tries when no profile applied choices), read by the
//!   same matching after the user's own.

use super::convert::SlashOrder;
use super::fields::header_key;
use super::{Input, Options, TableOptions};
use crate::error::{Error, Lang, Result};
use crate::model::{Kind, Overlap};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The version of the profile format this CS Pulse writes and reads (and every older one).
pub const PROFILE_VERSION: u32 = 1;

/// Profiles in the saved format that come with CS Pulse, matched after the user's own
/// (none: the tools' built-in profiles are [`super::builtin::BUILT_IN`], matched by header).
pub const BUILT_IN: &[fn() -> Profile] = &[];

/// One import profile.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Profile {
    /// The format's version ([`PROFILE_VERSION`]).
    pub version: u32,
    /// The name the user sees and renames (unique).
    pub name: String,
    /// The file shape it applies to (see the module documentation).
    pub signature: String,
    /// Comes with CS Pulse (cannot be renamed or deleted).
    #[serde(default)]
    pub built_in: bool,
    /// When it was saved and last used (UTC, `YYYY-MM-DDTHH:MM:SSZ`; `null`: never used).
    #[serde(default)]
    pub saved_at: String,
    #[serde(default)]
    pub used_at: Option<String>,
    /// What was decided for the file.
    #[serde(default)]
    pub choices: Choices,
}

/// What a profile applies: the import's options as the user chose them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default)]
pub struct Choices {
    pub kind: Option<Kind>,
    pub sheet: Option<String>,
    pub header_row: Option<u32>,
    /// `FIELD=COLUMN` pairs.
    pub map: Vec<String>,
    /// `FIELD=VALUE` constants (`--set`).
    pub set: Vec<String>,
    /// `FIELD:LABEL=VALUE`: the tool's words the user assigned (`--value`).
    pub values: Vec<String>,
    /// `dmy` or `mdy`.
    pub date_order: Option<String>,
    pub overlap: Overlap,
    /// Choices per table of a workbook.
    pub tables: Vec<ProfileTable>,
}

/// What was chosen for one table.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default)]
pub struct ProfileTable {
    pub sheet: Option<String>,
    pub kind: Option<Kind>,
    pub header_row: Option<u32>,
    pub map: Vec<String>,
    pub date_order: Option<String>,
    pub skip: bool,
}

fn order_id(o: Option<SlashOrder>) -> Option<String> {
    o.map(|o| match o {
        SlashOrder::DayFirst => "dmy".to_owned(),
        SlashOrder::MonthFirst => "mdy".to_owned(),
    })
}

fn order_of(o: Option<&str>) -> Option<SlashOrder> {
    match o {
        Some("dmy") => Some(SlashOrder::DayFirst),
        Some("mdy") => Some(SlashOrder::MonthFirst),
        _ => None,
    }
}

impl Choices {
    /// The choices in `opts` (the budget is not a choice).
    pub fn of(opts: &Options) -> Choices {
        Choices {
            kind: opts.kind,
            sheet: opts.sheet.clone(),
            header_row: opts.header_row,
            map: opts.map.clone(),
            set: opts.set.clone(),
            values: opts.values.clone(),
            date_order: order_id(opts.date_order),
            overlap: opts.overlap,
            tables: opts
                .tables
                .iter()
                .map(|t| ProfileTable {
                    sheet: t.sheet.clone(),
                    kind: t.kind,
                    header_row: t.header_row,
                    map: t.map.clone(),
                    date_order: order_id(t.date_order),
                    skip: t.skip,
                })
                .collect(),
        }
    }

    /// Did the user decide how to read the file (kind, sheet, header row, mapping, date
    /// order)? Only then is a profile worth saving. The overlap mode alone makes none: a
    /// one-off "add" must not silently add every later file of the same shape.
    pub fn any(&self) -> bool {
        Choices {
            overlap: Overlap::default(),
            ..self.clone()
        } != Choices::default()
    }

    /// `opts` with these choices; what `opts` itself chose wins (a flag beside a profile).
    pub fn apply(&self, opts: &Options) -> Options {
        let mut o = opts.clone();
        o.kind = o.kind.or(self.kind);
        o.sheet = o.sheet.or_else(|| self.sheet.clone());
        o.header_row = o.header_row.or(self.header_row);
        if o.map.is_empty() {
            o.map = self.map.clone();
        }
        if o.set.is_empty() {
            o.set = self.set.clone();
        }
        // the user's words add up: a new answer beside the remembered ones
        for v in &self.values {
            if !o.values.contains(v) {
                o.values.push(v.clone());
            }
        }
        o.date_order = o.date_order.or(order_of(self.date_order.as_deref()));
        if o.overlap == Overlap::default() {
            o.overlap = self.overlap;
        }
        if o.tables.is_empty() {
            o.tables = self
                .tables
                .iter()
                .map(|t| TableOptions {
                    sheet: t.sheet.clone(),
                    kind: t.kind,
                    header_row: t.header_row,
                    map: t.map.clone(),
                    date_order: order_of(t.date_order.as_deref()),
                    skip: t.skip,
                })
                .collect();
        }
        o
    }
}

/// A sheet name or header text as the signature holds it: a header key without digits.
fn normalised(text: &str) -> String {
    header_key(text)
        .chars()
        .filter(|c| !c.is_ascii_digit())
        .collect()
}

/// The signature of the file at `path`: per table the sheet and the header texts the
/// import finds with no options, normalised; month columns and blank headers left out.
pub fn signature(path: &Path, input: Input) -> Result<String> {
    let inspection = super::inspect(path, input, &Options::default(), Lang::En)?;
    Ok(signature_of(&inspection))
}

/// The signature of a file from its inspection with no options (the desktop app has that
/// inspection from its worker process already: [`signature`] reads the file for it).
pub fn signature_of(inspection: &super::Inspection) -> String {
    let tables: Vec<String> = inspection
        .tables
        .iter()
        .map(|t| {
            let headers: Vec<String> = t
                .columns
                .iter()
                .filter(|c| !t.month_columns.contains(c))
                .filter(|c| !super::convert::is_month_name(c))
                .filter(|c| {
                    super::convert::month(
                        &super::convert::FileCell::Text((*c).clone()),
                        SlashOrder::DayFirst,
                    )
                    .is_none()
                })
                .map(|c| normalised(c))
                .filter(|c| !c.is_empty())
                .collect();
            format!(
                "{}:{}",
                t.sheet.as_deref().map(normalised).unwrap_or_default(),
                headers.join("|")
            )
        })
        .collect();
    tables.join("\n")
}

impl Profile {
    /// A new profile of `choices` for files with `signature`.
    pub fn new(name: &str, signature: String, choices: Choices, now: &str) -> Profile {
        Profile {
            version: PROFILE_VERSION,
            name: name.to_owned(),
            signature,
            built_in: false,
            saved_at: now.to_owned(),
            used_at: None,
            choices,
        }
    }

    /// The profile as a JSON file's text (what `profiles export` writes).
    pub fn to_json(&self) -> String {
        let mut p = self.clone();
        p.built_in = false;
        p.used_at = None;
        serde_json::to_string_pretty(&p).unwrap_or_default()
    }

    /// A profile from a JSON file's text (`file`: for the error message).
    pub fn from_json(text: &str, file: &Path) -> Result<Profile> {
        let bad = |detail: String| Error::BadProfile {
            file: file.into(),
            detail,
        };
        let p: Profile = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
        if p.version == 0 || p.version > PROFILE_VERSION {
            return Err(bad(format!(
                "format version {}, this CS Pulse reads up to {PROFILE_VERSION}",
                p.version
            )));
        }
        if p.name.trim().is_empty() {
            return Err(bad("no name".into()));
        }
        if p.signature.is_empty() {
            return Err(bad("no signature".into()));
        }
        Ok(Profile {
            built_in: false,
            used_at: None,
            ..p
        })
    }

    /// A profile from a JSON file.
    pub fn read(file: &Path) -> Result<Profile> {
        let text = std::fs::read_to_string(file).map_err(|e| Error::BadProfile {
            file: file.into(),
            detail: e.to_string(),
        })?;
        Profile::from_json(&text, file)
    }
}

/// A profile's name for a file: its name without the extension and the digits of dates
/// (`MRR_Okt_2026.xlsx` → `MRR_Okt`).
pub fn name_for(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let cut: String = stem
        .chars()
        .filter(|c| !c.is_ascii_digit())
        .collect::<String>()
        .trim_matches(|c: char| c == '_' || c == '-' || c == ' ' || c == '.')
        .to_owned();
    if cut.is_empty() {
        "profile".into()
    } else {
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_round_trip_through_options() {
        let c = Choices {
            kind: Some(Kind::Orders),
            map: vec!["order_id=Id".into()],
            date_order: Some("dmy".into()),
            overlap: Overlap::Add,
            ..Choices::default()
        };
        let o = c.apply(&Options::default());
        assert_eq!(o.kind, Some(Kind::Orders));
        assert_eq!(o.date_order, Some(SlashOrder::DayFirst));
        assert_eq!(Choices::of(&o), c);
        assert!(c.any());
        assert!(!Choices::of(&Options::default()).any());
        let add_only = Choices {
            overlap: Overlap::Add,
            ..Choices::default()
        };
        assert!(!add_only.any(), "the overlap mode alone is no profile");
    }

    #[test]
    fn a_newer_format_is_refused() {
        let p = Profile::new(
            "x",
            "a:b".into(),
            Choices::default(),
            "2026-12-07T10:00:00Z",
        );
        let text = p.to_json().replace("\"version\": 1", "\"version\": 9");
        assert!(Profile::from_json(&text, Path::new("x.json")).is_err());
        assert_eq!(
            Profile::from_json(&p.to_json(), Path::new("x.json")).unwrap(),
            p
        );
    }

    #[test]
    fn names_drop_dates() {
        assert_eq!(name_for(Path::new("/x/MRR_Okt_2026.xlsx")), "MRR_Okt");
        assert_eq!(name_for(Path::new("2026-10.csv")), "profile");
    }
}

//! The CS lead's notes (`insights.md` §7), kept with the month in their own table: no
//! import batch owns them, so imports, undo and purges leave them alone.

use super::Store;
use crate::error::{Error, Result};
use crate::month::Month;
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

/// What a note is about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NoteKey {
    /// The month's executive summary.
    Summary,
    /// A note on one KPI (its id in the catalogue).
    Kpi(String),
    /// An action for one account.
    Account(String),
}

impl NoteKey {
    /// `summary`, `kpi:ID` (a KPI of the catalogue) or `account:ID`.
    pub fn parse(text: &str) -> Result<NoteKey> {
        let t = text.trim();
        let bad = || Error::BadNoteKey(text.to_owned());
        if t == "summary" {
            return Ok(NoteKey::Summary);
        }
        if let Some(id) = t.strip_prefix("kpi:") {
            return crate::kpi::catalogue::get(id.trim())
                .map(|k| NoteKey::Kpi(k.id.to_owned()))
                .ok_or_else(bad);
        }
        match t.strip_prefix("account:").map(str::trim) {
            Some(id) if !id.is_empty() => Ok(NoteKey::Account(id.to_owned())),
            _ => Err(bad()),
        }
    }

    pub fn text(&self) -> String {
        match self {
            NoteKey::Summary => "summary".into(),
            NoteKey::Kpi(id) => format!("kpi:{id}"),
            NoteKey::Account(id) => format!("account:{id}"),
        }
    }
}

/// One note as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Note {
    /// `YYYY-MM`
    pub month: String,
    /// `summary`, `kpi:ID` or `account:ID`
    pub key: String,
    pub text: String,
    /// An action's owner and due date (accounts' actions only, both optional).
    pub owner: Option<String>,
    #[ts(type = "string | null")]
    pub due_date: Option<NaiveDate>,
}

impl Note {
    pub fn key(&self) -> Option<NoteKey> {
        NoteKey::parse(&self.key).ok()
    }
}

impl Store {
    /// The notes of `month` (every month's when `None`), by month and key.
    pub fn notes(&self, month: Option<Month>) -> Result<Vec<Note>> {
        let mut stmt = self.conn.prepare(
            "SELECT month, key, text, owner, due_date FROM notes
              WHERE ?1 IS NULL OR month = ?1 ORDER BY month, key",
        )?;
        let rows = stmt.query_map([month.map(|m| m.to_string())], |r| {
            Ok(Note {
                month: r.get(0)?,
                key: r.get(1)?,
                text: r.get(2)?,
                owner: r.get(3)?,
                due_date: r
                    .get::<_, Option<String>>(4)?
                    .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One note, if there is one.
    pub fn note(&self, month: Month, key: &NoteKey) -> Result<Option<Note>> {
        Ok(self
            .conn
            .query_row(
                "SELECT text, owner, due_date FROM notes WHERE month = ?1 AND key = ?2",
                params![month.to_string(), key.text()],
                |r| {
                    Ok(Note {
                        month: month.to_string(),
                        key: key.text(),
                        text: r.get(0)?,
                        owner: r.get(1)?,
                        due_date: r
                            .get::<_, Option<String>>(2)?
                            .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                    })
                },
            )
            .optional()?)
    }

    /// Writes a note (replacing the one with the same month and key); an empty text
    /// clears it. Owner and due date are kept with every note (an action's owner, the
    /// summary's author) and printed with it. An action for an account id that no live
    /// accounts or revenue import holds is refused ([`Error::UnknownAccount`]).
    pub fn set_note(
        &mut self,
        month: Month,
        key: &NoteKey,
        text: &str,
        owner: Option<&str>,
        due_date: Option<NaiveDate>,
    ) -> Result<()> {
        let text = text.trim();
        if text.is_empty() {
            self.clear_note(month, key)?;
            return Ok(());
        }
        if let NoteKey::Account(id) = key {
            if !self.knows_account(id)? {
                return Err(Error::UnknownAccount(id.clone()));
            }
        }
        let owner = owner
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(str::to_owned);
        let due = due_date.map(|d| d.to_string());
        self.short_write(|tx| {
            tx.execute(
                "INSERT INTO notes(month, key, text, owner, due_date) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(month, key) DO UPDATE SET text = excluded.text,
                     owner = excluded.owner, due_date = excluded.due_date",
                params![month.to_string(), key.text(), text, owner, due],
            )?;
            Ok(())
        })
    }

    /// Is `account_id` a customer CS Pulse knows: in a live batch of the accounts list or
    /// of revenue (the two datasets that make a customer)?
    pub fn knows_account(&self, account_id: &str) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM accounts a JOIN batches b ON b.id = a.batch_id
                             WHERE a.account_id = ?1 AND b.state = 'live')
                 OR EXISTS(SELECT 1 FROM revenue r JOIN batches b ON b.id = r.batch_id
                             WHERE r.account_id = ?1 AND b.state = 'live')",
            [account_id],
            |r| r.get(0),
        )?)
    }

    /// Removes a note; `false` when there was none.
    pub fn clear_note(&mut self, month: Month, key: &NoteKey) -> Result<bool> {
        self.short_write(|tx| {
            Ok(tx.execute(
                "DELETE FROM notes WHERE month = ?1 AND key = ?2",
                params![month.to_string(), key.text()],
            )? > 0)
        })
    }
}

//! A batch's stored issues in the user's language (the import history's "Skipped" number,
//! `batch_issues`).

use super::{Batch, Store};
use crate::error::{Lang, Result};
use serde::{Deserialize, Serialize};

/// One stored issue with its reason in the user's language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct IssueLine {
    pub sheet: Option<String>,
    /// The row number as the user sees it in Excel (or the text file's line).
    pub row: u32,
    pub column: String,
    pub value: String,
    pub reason: String,
}

/// A batch with the issues stored with it.
#[derive(Clone, Debug, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct BatchIssues {
    pub batch: Batch,
    /// The first 10,000 of the batch's table (`batch.rows_skipped` counts every skipped row).
    pub issues: Vec<IssueLine>,
}

/// The issues of `batch_id` with reasons in `lang`.
pub fn batch_issues(store: &Store, batch_id: i64, lang: Lang) -> Result<BatchIssues> {
    let batch = store.batch(batch_id)?;
    let issues = store
        .batch_issues(batch_id)?
        .into_iter()
        .map(|i| IssueLine {
            sheet: i.sheet,
            row: i.row,
            column: i.column,
            value: i.value,
            reason: lang.pick(i.reason, i.reason_de),
        })
        .collect();
    Ok(BatchIssues { batch, issues })
}

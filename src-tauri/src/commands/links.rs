//! The link step (`sources.md` §1): a value an import could not match to a customer
//! (another tool's id, a company name, an e-mail domain) is linked to an account once, or
//! marked "not a customer"; every later import uses the answer. Thin calls to the engine's
//! `Store::link_book`, `link`, `unlink` and `unmatched_proposals`.

use crate::db::Db;
use crate::error::{ui_lang, CommandError};
use crate::guard::{blocking, guard};
use cspulse_engine::store::{Link, LinkBook, ProposedAccount};
use tauri::{AppHandle, Manager as _, Runtime};

/// How many similar accounts the step proposes for a value.
const PROPOSALS: usize = 5;

/// The accounts a value can be linked to (the user's own, with their other names) and the
/// answers given so far.
#[tauri::command]
pub async fn link_book<R: Runtime>(
    app: AppHandle<R>,
    lang: Option<String>,
) -> Result<LinkBook, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("link_book", lang, || {
            let db = app.state::<Db>();
            let book = db.lock(lang)?.link_book();
            book.map_err(|e| CommandError::new(&e, lang))
        })
    })
    .await
}

/// Accounts with names like `value`, best first: proposals the user confirms or not;
/// nothing is linked by asking.
#[tauri::command]
pub async fn link_proposals<R: Runtime>(
    app: AppHandle<R>,
    value: String,
    lang: Option<String>,
) -> Result<Vec<ProposedAccount>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("link_proposals", lang, || {
            let db = app.state::<Db>();
            let found = db.lock(lang)?.unmatched_proposals(&value, PROPOSALS);
            found.map_err(|e| CommandError::new(&e, lang))
        })
    })
    .await
}

/// Stores the user's answer: `value` is the account `account_id`, or (`null`) not a
/// customer. The engine refuses an empty value (`empty_link_value`) and an account no
/// import holds (`no_such_account`). Answers with the answer as stored.
#[tauri::command]
pub async fn link_value<R: Runtime>(
    app: AppHandle<R>,
    value: String,
    account_id: Option<String>,
    lang: Option<String>,
) -> Result<Link, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("link_value", lang, || {
            let db = app.state::<Db>();
            let linked = db.lock(lang)?.link(&value, account_id.as_deref());
            linked.map_err(|e| CommandError::new(&e, lang))
        })
    })
    .await
}

/// Forgets the answer for `value` (the next import lists it as unmatched again); whether
/// there was one.
#[tauri::command]
pub async fn unlink_value<R: Runtime>(
    app: AppHandle<R>,
    value: String,
    lang: Option<String>,
) -> Result<bool, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("unlink_value", lang, || {
            let db = app.state::<Db>();
            let removed = db.lock(lang)?.unlink(&value);
            removed.map_err(|e| CommandError::new(&e, lang))
        })
    })
    .await
}

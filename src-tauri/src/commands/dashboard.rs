//! The dashboard, the accounts list and an account's explanation of a month (the latest when
//! none is asked for), from the engine's `overview` and `explain`.

use crate::db::Db;
use crate::error::{ui_lang, CommandError};
use crate::guard::{blocking, guard};
use cspulse_engine::error::{Error, Lang};
use cspulse_engine::explain::{self, AccountList, Explanation};
use cspulse_engine::overview::{self, Dashboard};
use cspulse_engine::Month;
use tauri::{AppHandle, Manager as _, Runtime};

/// `YYYY-MM` from the UI, or `None` for "the latest month with data".
pub(crate) fn parse_month(
    month: Option<String>,
    lang: Lang,
) -> Result<Option<Month>, CommandError> {
    month
        .map(|m| Month::parse(&m).ok_or(Error::BadMonth(m)))
        .transpose()
        .map_err(|e| CommandError::new(&e, lang))
}

/// The dashboard of `month` (`YYYY-MM`; the latest month with data when absent): company
/// CS score and light, the light split, MRR at risk, every KPI as a card (value, last month,
/// same month last year, 12-month sparkline, target status), the MRR bridge, cohorts and
/// movers. `lang` (`de`/`en`) is the language of error messages.
#[tauri::command]
pub async fn get_dashboard<R: Runtime>(
    app: AppHandle<R>,
    month: Option<String>,
    lang: Option<String>,
) -> Result<Dashboard, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("get_dashboard", lang, || {
            let month = parse_month(month, lang)?;
            let db = app.state::<Db>();
            let store = db.lock(lang)?;
            // the page's first question was answered while the window started (db.rs)
            if let Some(first) = month
                .is_none()
                .then(|| db.take_first_dashboard(&store))
                .flatten()
            {
                return Ok(first);
            }
            overview::dashboard(&store, month).map_err(|e| CommandError::new(&e, lang))
        })
    })
    .await
}

/// Every account active in `month` with score, light, components, MRR, owner and segment.
#[tauri::command]
pub async fn list_accounts<R: Runtime>(
    app: AppHandle<R>,
    month: Option<String>,
    lang: Option<String>,
) -> Result<AccountList, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("list_accounts", lang, || {
            let month = parse_month(month, lang)?;
            let db = app.state::<Db>();
            let store = db.lock(lang)?;
            explain::accounts(&store, month).map_err(|e| CommandError::new(&e, lang))
        })
    })
    .await
}

/// Why `account_id` has its score in `month`: each component with its raw input, weight,
/// share, points and possible gain, the best lever, and the score's 12-month history.
#[tauri::command]
pub async fn explain_account<R: Runtime>(
    app: AppHandle<R>,
    account_id: String,
    month: Option<String>,
    lang: Option<String>,
) -> Result<Explanation, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("explain_account", lang, || {
            let month = parse_month(month, lang)?;
            let db = app.state::<Db>();
            let store = db.lock(lang)?;
            explain::explain(&store, &account_id, month).map_err(|e| CommandError::new(&e, lang))
        })
    })
    .await
}

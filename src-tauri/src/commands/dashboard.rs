use crate::db::Db;
use crate::error::{ui_lang, CommandError};
use crate::guard::guard;
use cspulse_engine::error::Error;
use cspulse_engine::overview::{self, Dashboard};
use cspulse_engine::Month;

/// The first window's data: company CS score, traffic-light split and the KPIs of `month`
/// (`YYYY-MM`; the latest month with data when absent). The UI calls it on start and when
/// the user picks another month; `lang` (`de`/`en`) is the language of error messages.
#[tauri::command]
pub async fn get_dashboard(
    db: tauri::State<'_, Db>,
    month: Option<String>,
    lang: Option<String>,
) -> Result<Dashboard, CommandError> {
    let lang = ui_lang(lang.as_deref());
    guard("get_dashboard", lang, || {
        let month = month
            .map(|m| Month::parse(&m).ok_or(Error::BadMonth(m)))
            .transpose()
            .map_err(|e| CommandError::new(&e, lang))?;
        let store = db.lock(lang)?;
        overview::dashboard(&store, month).map_err(|e| CommandError::new(&e, lang))
    })
}

//! Import profiles in Settings: list, rename, delete, export to and import from JSON. Thin
//! calls to the engine's `Store::profiles`, `rename_profile`, `delete_profile`,
//! `add_profile`, `Profile::to_json` and `Profile::read`. The JSON files are chosen in the
//! native dialogs shown by Rust: the page never names a path.

use crate::db::Db;
use crate::error::{ui_lang, CommandError};
use crate::files::{Dialogs, OpenFor, SaveAs};
use crate::guard::{blocking, guard};
use cspulse_engine::import::profile::Profile;
use tauri::{AppHandle, Manager as _, Runtime};

fn engine_error(e: &cspulse_engine::Error, lang: cspulse_engine::error::Lang) -> CommandError {
    CommandError::new(e, lang)
}

/// The user's profiles by name, then the built-in ones.
#[tauri::command]
pub async fn list_profiles<R: Runtime>(
    app: AppHandle<R>,
    lang: Option<String>,
) -> Result<Vec<Profile>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("list_profiles", lang, || {
            let db = app.state::<Db>();
            let profiles = db.lock(lang)?.profiles();
            profiles.map_err(|e| engine_error(&e, lang))
        })
    })
    .await
}

/// Renames one of the user's profiles (`profile_exists` when the new name is taken or
/// blank, `no_such_profile` for a built-in one). Answers with the renamed profile.
#[tauri::command]
pub async fn rename_profile<R: Runtime>(
    app: AppHandle<R>,
    name: String,
    new_name: String,
    lang: Option<String>,
) -> Result<Profile, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("rename_profile", lang, || {
            let db = app.state::<Db>();
            let renamed = db.lock(lang)?.rename_profile(&name, &new_name);
            renamed.map_err(|e| engine_error(&e, lang))
        })
    })
    .await
}

/// Deletes one of the user's profiles: the next file of its shape is read with the
/// detection again. Answers with the profile as it was.
#[tauri::command]
pub async fn delete_profile<R: Runtime>(
    app: AppHandle<R>,
    name: String,
    lang: Option<String>,
) -> Result<Profile, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("delete_profile", lang, || {
            let db = app.state::<Db>();
            let deleted = db.lock(lang)?.delete_profile(&name);
            deleted.map_err(|e| engine_error(&e, lang))
        })
    })
    .await
}

/// Writes a profile as JSON where the user says in the native save dialog; the file's path
/// for showing, `null` when the dialog was cancelled.
#[tauri::command]
pub async fn export_profile<R: Runtime>(
    app: AppHandle<R>,
    name: String,
    lang: Option<String>,
) -> Result<Option<String>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("export_profile", lang, || {
            let profile = {
                let db = app.state::<Db>();
                let p = db.lock(lang)?.profile(&name);
                p.map_err(|e| engine_error(&e, lang))?
            };
            let file_name = format!("{}.json", file_stem(&profile.name));
            let Some(out) = app
                .state::<Dialogs>()
                .save(&app, SaveAs::Profile, &file_name, lang)
            else {
                return Ok(None);
            };
            std::fs::write(&out, profile.to_json() + "\n").map_err(|e| {
                engine_error(
                    &cspulse_engine::Error::CannotWrite {
                        file: out.clone(),
                        reason: e.kind(),
                    },
                    lang,
                )
            })?;
            log::info!("exported an import profile");
            Ok(Some(out.to_string_lossy().into_owned()))
        })
    })
    .await
}

/// Adds a profile from a JSON file the user chooses in the native open dialog
/// (`bad_profile` when it is none, `profile_exists` when the name is taken); `null` when
/// the dialog was cancelled.
#[tauri::command]
pub async fn import_profile<R: Runtime>(
    app: AppHandle<R>,
    lang: Option<String>,
) -> Result<Option<Profile>, CommandError> {
    let lang = ui_lang(lang.as_deref());
    blocking(lang, move || {
        guard("import_profile", lang, || {
            let Some(path) = app
                .state::<Dialogs>()
                .open(&app, OpenFor::Profile, lang)
                .into_iter()
                .next()
            else {
                return Ok(None);
            };
            let profile = Profile::read(&path).map_err(|e| engine_error(&e, lang))?;
            let db = app.state::<Db>();
            db.lock(lang)?
                .add_profile(&profile)
                .map_err(|e| engine_error(&e, lang))?;
            log::info!("imported an import profile");
            Ok(Some(profile))
        })
    })
    .await
}

/// A profile's name as a file name: characters that a file system refuses become `_`.
fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_control() || r#"/\:*?"<>|"#.contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let stem = stem.trim().trim_matches('.').to_string();
    if stem.is_empty() {
        "profile".into()
    } else {
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::file_stem;

    #[test]
    fn a_profile_name_becomes_a_file_name_without_separators() {
        assert_eq!(file_stem("Zendesk tickets"), "Zendesk tickets");
        assert_eq!(
            file_stem("MRR 10/2026: Controller"),
            "MRR 10_2026_ Controller"
        );
        assert_eq!(file_stem(" .. "), "profile");
    }
}

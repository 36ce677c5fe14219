//! What the About dialog shows: name, version, license, copyright, identifier, and every
//! third-party component in the app with its version and license.
//!
//! The version comes from `Cargo.toml` alone (`tauri.conf.json` has none, so Tauri takes the
//! crate's). The third-party list is `src-tauri/third_party.json`, written by
//! `scripts/third-party` from `cargo metadata` (the Rust crates the app is built from, for
//! every platform) and `ui/package-lock.json` (the page's production npm packages); a test
//! fails when it no longer matches `Cargo.lock` and `package-lock.json`.

use crate::error::{ui_lang, CommandError};
use crate::guard::guard;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime};

/// The app's copyright line. The same as `bundle.copyright` in tauri.conf.json (which Tauri
/// keeps for the installers only, not in the running app); `tests/app/desktop.rs` checks.
pub const COPYRIGHT: &str = "Copyright © 2026 CS Pulse team";

/// The committed list of third-party components (see the module's documentation).
pub const THIRD_PARTY_JSON: &str = include_str!("../../third_party.json");

/// One third-party component the app contains.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ThirdParty {
    /// `rust` (a crate) or `npm` (a package of the page).
    pub ecosystem: String,
    pub name: String,
    pub version: String,
    /// An SPDX expression (`MIT OR Apache-2.0`), or where the license text is when the
    /// component names no SPDX license.
    pub license: String,
}

/// The app as the About dialog shows it.
#[derive(Clone, Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct AppInfo {
    /// `CS Pulse`.
    pub name: String,
    /// The app's version (`Cargo.toml`), e.g. `0.1.0`.
    pub version: String,
    /// The app's license (SPDX), `MIT`.
    pub license: String,
    pub copyright: String,
    /// The bundle identifier, `app.cspulse.desktop`.
    pub identifier: String,
    /// Every third-party component, Rust crates first, each group by name.
    pub third_party: Vec<ThirdParty>,
}

/// The committed third-party list; `None` when it cannot be read (a test prevents that).
pub fn third_party() -> Option<Vec<ThirdParty>> {
    serde_json::from_str(THIRD_PARTY_JSON).ok()
}

/// Name, version, license, copyright and identifier of the app, and its third-party
/// components with their versions and licenses (for the About dialog).
#[tauri::command]
pub async fn app_info<R: Runtime>(
    app: AppHandle<R>,
    lang: Option<String>,
) -> Result<AppInfo, CommandError> {
    let lang = ui_lang(lang.as_deref());
    guard("app_info", lang, || {
        let config = app.config();
        let bundle = &config.bundle;
        Ok(AppInfo {
            name: app.package_info().name.clone(),
            version: app.package_info().version.to_string(),
            license: bundle
                .license
                .clone()
                .unwrap_or_else(|| env!("CARGO_PKG_LICENSE").to_owned()),
            copyright: COPYRIGHT.to_owned(),
            identifier: config.identifier.clone(),
            third_party: third_party().ok_or_else(|| CommandError::internal(lang))?,
        })
    })
}

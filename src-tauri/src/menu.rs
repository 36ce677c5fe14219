//! The native menu bar, in German or English: File (Import…, Board report…, Settings…, Quit),
//! Edit (the system's cut/copy/paste/select all, which text fields on macOS need) and Help
//! (About CS Pulse); on macOS the first menu is the application menu with About, Settings… and
//! Quit, as the system expects, and a Window menu.
//!
//! Quitting is done here. Every other item is an action of the page: it is sent to the channel
//! the page registered with `watch_menu`, as `{ event: "import" | "export" | "settings" |
//! "about" }`, so the page opens the import flow, the report dialog, the settings or the About
//! dialog. The language is the `language` setting, else the system's (the rule the page
//! follows); changing the setting relabels the menu in place ([`refresh`]).

use crate::db::Db;
use crate::error::{ui_lang, CommandError};
use crate::guard::guard;
use cspulse_engine::lang::{self, Lang};
use serde::Serialize;
use std::cell::RefCell;
use std::sync::{Mutex, PoisonError};
use tauri::ipc::Channel;
use tauri::menu::{
    Menu, MenuBuilder, MenuId, MenuItemBuilder, MenuItemKind, PredefinedMenuItem, SubmenuBuilder,
};
use tauri::{AppHandle, Manager, Runtime};

/// A menu item the page acts on (sent to the channel of `watch_menu`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "event", rename_all = "snake_case")]
#[ts(export)]
pub enum MenuEvent {
    /// File → Import… (Ctrl/Cmd+O): pick files and start the import flow.
    Import,
    /// File → Board report… (Ctrl/Cmd+E): the report dialog.
    Export,
    /// File → Settings… (Ctrl/Cmd+,; on macOS in the application menu).
    Settings,
    /// Help → About CS Pulse: version, license, third-party licenses (`app_info`).
    About,
}

impl MenuEvent {
    /// The menu item id of each event (and of Quit, handled here).
    const ITEMS: [(&'static str, MenuEvent); 4] = [
        ("import", MenuEvent::Import),
        ("export", MenuEvent::Export),
        ("settings", MenuEvent::Settings),
        ("about", MenuEvent::About),
    ];

    /// The event of a menu item id; `None` for Quit and the system's own items.
    pub fn from_id(id: &str) -> Option<MenuEvent> {
        Self::ITEMS.iter().find(|(i, _)| *i == id).map(|(_, e)| *e)
    }
}

const QUIT: &str = "quit";

/// Where menu clicks go (the channel of the last `watch_menu`), and the label of each menu
/// entry by id, for relabelling it in place when the language changes.
#[derive(Default)]
pub struct Menus {
    channel: Mutex<Option<Channel<MenuEvent>>>,
    labels: Mutex<Labels>,
}

/// Every label of the menu in one language.
pub struct Texts {
    pub file: &'static str,
    pub import: &'static str,
    pub export: &'static str,
    pub settings: &'static str,
    pub quit: &'static str,
    pub edit: &'static str,
    pub undo: &'static str,
    pub redo: &'static str,
    pub cut: &'static str,
    pub copy: &'static str,
    pub paste: &'static str,
    pub select_all: &'static str,
    pub window: &'static str,
    pub minimize: &'static str,
    pub zoom: &'static str,
    pub help: &'static str,
    pub about: &'static str,
    pub services: &'static str,
    pub hide: &'static str,
    pub hide_others: &'static str,
    pub show_all: &'static str,
}

/// The labels; `&` marks the access key (Alt+letter) on Windows and Linux, macOS drops it.
pub fn texts(lang: Lang) -> Texts {
    match lang {
        Lang::En => Texts {
            file: "&File",
            import: "&Import…",
            export: "Board &report…",
            settings: "&Settings…",
            quit: "&Quit CS Pulse",
            edit: "&Edit",
            undo: "Undo",
            redo: "Redo",
            cut: "Cu&t",
            copy: "&Copy",
            paste: "&Paste",
            select_all: "Select &all",
            window: "Window",
            minimize: "Minimize",
            zoom: "Zoom",
            help: "&Help",
            about: "&About CS Pulse",
            services: "Services",
            hide: "Hide CS Pulse",
            hide_others: "Hide Others",
            show_all: "Show All",
        },
        Lang::De => Texts {
            file: "&Datei",
            import: "&Importieren…",
            export: "&Vorstandsbericht…",
            settings: "&Einstellungen…",
            quit: "CS Pulse &beenden",
            edit: "&Bearbeiten",
            undo: "Widerrufen",
            redo: "Wiederholen",
            cut: "&Ausschneiden",
            copy: "&Kopieren",
            paste: "E&infügen",
            select_all: "Alles aus&wählen",
            window: "Fenster",
            minimize: "Im Dock ablegen",
            zoom: "Zoomen",
            help: "&Hilfe",
            about: "Ü&ber CS Pulse",
            services: "Dienste",
            hide: "CS Pulse ausblenden",
            hide_others: "Andere ausblenden",
            show_all: "Alle einblenden",
        },
    }
}

/// The language of the menu: the one rule (`cspulse_engine::lang::decide`) on the
/// `language` setting and the system's language (the system's alone when the database cannot
/// be read).
pub fn lang_of(db: &Db) -> Lang {
    let setting = db
        .lock(Lang::En)
        .ok()
        .and_then(|store| store.settings().ok())
        .map(|s| s.language);
    lang::decide(None, setting.as_deref(), lang::system_tag().as_deref())
}

/// Which text of [`Texts`] an entry shows.
type Label = fn(&Texts) -> &'static str;

/// The label of each menu entry, by its id.
type Labels = Vec<(MenuId, Label)>;

/// The menu bar in `lang`, and the label of each entry by its id (for [`relabel`]).
pub fn build<R: Runtime, M: Manager<R>>(app: &M, lang: Lang) -> tauri::Result<(Menu<R>, Labels)> {
    let t = texts(lang);
    let mac = cfg!(target_os = "macos");
    let labels: RefCell<Labels> = RefCell::new(Vec::new());
    let item = |id: &str, label: Label, keys: Option<&str>| {
        let mut b = MenuItemBuilder::with_id(id, label(&t));
        if let Some(keys) = keys {
            b = b.accelerator(keys);
        }
        let built = b.build(app)?;
        labels.borrow_mut().push((built.id().clone(), label));
        Ok::<_, tauri::Error>(built)
    };
    let import = item("import", |t| t.import, Some("CmdOrCtrl+O"))?;
    let export = item("export", |t| t.export, Some("CmdOrCtrl+E"))?;
    let settings = item("settings", |t| t.settings, Some("CmdOrCtrl+Comma"))?;
    let quit = item(QUIT, |t| t.quit, Some("CmdOrCtrl+Q"))?;
    let about = item("about", |t| t.about, None)?;
    let predefined = |made: PredefinedMenuItem<R>, label: Label| {
        labels.borrow_mut().push((made.id().clone(), label));
        made
    };
    let cut = predefined(PredefinedMenuItem::cut(app, Some(t.cut))?, |t| t.cut);
    let copy = predefined(PredefinedMenuItem::copy(app, Some(t.copy))?, |t| t.copy);
    let paste = predefined(PredefinedMenuItem::paste(app, Some(t.paste))?, |t| t.paste);
    let select_all = predefined(
        PredefinedMenuItem::select_all(app, Some(t.select_all))?,
        |t| t.select_all,
    );
    let sep = || PredefinedMenuItem::separator(app);

    let mut file = SubmenuBuilder::with_id(app, "menu-file", t.file)
        .item(&import)
        .item(&export);
    if !mac {
        file = file.item(&sep()?).item(&settings).item(&sep()?).item(&quit);
    }
    let mut edit = SubmenuBuilder::with_id(app, "menu-edit", t.edit);
    if mac {
        // GTK has no undo/redo items (the page's fields handle Ctrl+Z themselves)
        let undo = predefined(PredefinedMenuItem::undo(app, Some(t.undo))?, |t| t.undo);
        let redo = predefined(PredefinedMenuItem::redo(app, Some(t.redo))?, |t| t.redo);
        edit = edit.item(&undo).item(&redo).item(&sep()?);
    }
    let edit = edit
        .item(&cut)
        .item(&copy)
        .item(&paste)
        .item(&sep()?)
        .item(&select_all)
        .build()?;
    let file = file.build()?;
    labels.borrow_mut().push((file.id().clone(), |t| t.file));
    labels.borrow_mut().push((edit.id().clone(), |t| t.edit));

    let menu = if mac {
        let services = predefined(PredefinedMenuItem::services(app, Some(t.services))?, |t| {
            t.services
        });
        let hide = predefined(PredefinedMenuItem::hide(app, Some(t.hide))?, |t| t.hide);
        let hide_others = predefined(
            PredefinedMenuItem::hide_others(app, Some(t.hide_others))?,
            |t| t.hide_others,
        );
        let show_all = predefined(PredefinedMenuItem::show_all(app, Some(t.show_all))?, |t| {
            t.show_all
        });
        let minimize = predefined(PredefinedMenuItem::minimize(app, Some(t.minimize))?, |t| {
            t.minimize
        });
        let zoom = predefined(PredefinedMenuItem::maximize(app, Some(t.zoom))?, |t| t.zoom);
        let application = SubmenuBuilder::new(app, "CS Pulse")
            .item(&about)
            .item(&sep()?)
            .item(&settings)
            .item(&sep()?)
            .item(&services)
            .item(&sep()?)
            .item(&hide)
            .item(&hide_others)
            .item(&show_all)
            .item(&sep()?)
            .item(&quit)
            .build()?;
        let window = SubmenuBuilder::with_id(app, "menu-window", t.window)
            .item(&minimize)
            .item(&zoom)
            .build()?;
        labels
            .borrow_mut()
            .push((window.id().clone(), |t| t.window));
        MenuBuilder::new(app)
            .items(&[&application, &file, &edit, &window])
            .build()?
    } else {
        let help = SubmenuBuilder::with_id(app, "menu-help", t.help)
            .item(&about)
            .build()?;
        labels.borrow_mut().push((help.id().clone(), |t| t.help));
        MenuBuilder::new(app)
            .items(&[&file, &edit, &help])
            .build()?
    };
    Ok((menu, labels.into_inner()))
}

/// Relabels the menu bar in the language of the `language` setting (after it changed). The
/// entries keep their ids, shortcuts and place; only their texts change.
pub fn refresh<R: Runtime>(app: &AppHandle<R>) {
    let menus = app.state::<Menus>();
    // the labels are locked before the setting is read: of two refreshes (the one at start
    // and one after a change), the one that reads the later setting relabels last
    let labels = menus.labels.lock().unwrap_or_else(PoisonError::into_inner);
    relabel(app, &labels, lang_of(&app.state::<Db>()));
}

/// The menu at start: built in the system's language at once, without waiting for the
/// database (which opens on its own thread while the window starts, db.rs), and relabelled
/// in the `language` setting's language once it is open.
pub fn set_at_start<R: Runtime>(app: &AppHandle<R>) {
    let system = Lang::system();
    match build(app, system).and_then(|(menu, labels)| {
        app.set_menu(menu)?;
        Ok(labels)
    }) {
        Ok(labels) => {
            *app.state::<Menus>()
                .labels
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = labels;
        }
        Err(_) => {
            log::error!("could not set the menu");
            return;
        }
    }
    let app = app.clone();
    let waiting = std::thread::Builder::new()
        .name("menu-language".into())
        .spawn(move || refresh(&app));
    if waiting.is_err() {
        log::warn!("the menu stays in the system's language");
    }
}

/// Sets every entry's text in `lang`.
fn relabel<R: Runtime>(app: &AppHandle<R>, labels: &Labels, lang: Lang) {
    let t = texts(lang);
    let Some(menu) = app.menu() else { return };
    let mut failed = false;
    for (id, label) in labels.iter() {
        let text = label(&t);
        let done = match find(&menu.items().unwrap_or_default(), id) {
            Some(MenuItemKind::MenuItem(i)) => i.set_text(text),
            Some(MenuItemKind::Submenu(s)) => s.set_text(text),
            Some(MenuItemKind::Predefined(p)) => p.set_text(text),
            Some(MenuItemKind::Check(c)) => c.set_text(text),
            Some(MenuItemKind::Icon(i)) => i.set_text(text),
            None => Ok(()),
        };
        failed |= done.is_err();
    }
    if failed {
        log::error!("could not relabel the menu");
    } else {
        log::info!("menu in {lang:?}");
    }
}

/// The entry `id` among `items` and their submenus.
fn find<R: Runtime>(items: &[MenuItemKind<R>], id: &MenuId) -> Option<MenuItemKind<R>> {
    items.iter().find_map(|item| {
        if item.id() == id {
            return Some(item.clone());
        }
        item.as_submenu()
            .and_then(|s| find(&s.items().unwrap_or_default(), id))
    })
}

/// A click on a menu item (or its shortcut): Quit ends the app (the window state is saved on
/// the way out); the page's items go to its channel.
pub fn clicked<R: Runtime>(app: &AppHandle<R>, id: &str) {
    if id == QUIT {
        log::info!("quit from the menu");
        app.exit(0);
        return;
    }
    let Some(event) = MenuEvent::from_id(id) else {
        return;
    };
    let menus = app.state::<Menus>();
    let channel = menus.channel.lock().unwrap_or_else(PoisonError::into_inner);
    match channel.as_ref() {
        Some(c) => {
            let _ = c.send(event);
        }
        None => log::warn!("menu item {id} clicked before the page listened"),
    }
}

/// Reports clicks on the menu's page actions (Import…, Board report…, Settings…, About) to
/// `on_event` from now on, replacing an earlier channel.
#[tauri::command]
pub async fn watch_menu(
    menus: tauri::State<'_, Menus>,
    on_event: Channel<MenuEvent>,
    lang: Option<String>,
) -> Result<(), CommandError> {
    let lang = ui_lang(lang.as_deref());
    guard("watch_menu", lang, || {
        *menus.channel.lock().unwrap_or_else(PoisonError::into_inner) = Some(on_event);
        Ok(())
    })
}

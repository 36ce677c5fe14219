// The window: top bar (brand, screens, month, report), the demo banner, and the screen of
// the route (#/, #/accounts[?by=…&kind=…&group=…], #/accounts/<id>, #/renewals, #/data[/<kind>], #/import,
// #/settings, #/score-check). Files dropped
// anywhere on the window open the import screen with them.
import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import {
  ConfirmProvider,
  ErrorBanner,
  Loading,
  TextsContext,
  useAsync,
  useTexts,
  type Async,
  type Undone,
} from "./components/common";
import { formatMonth } from "./format";
import { initTexts, systemTag, type Texts } from "./i18n";
import {
  explainAccount,
  getDashboard,
  getRenewals,
  listGroupAccounts,
  getSettings,
  listAccounts,
  takeBack,
  watchFileDrops,
  watchMenu,
  type ChosenFile,
  type CommandError,
  type Dashboard as DashboardData,
  type GroupFilter,
  type SettingEntry,
} from "./ipc";
import { AccountPage } from "./screens/AccountPage";
import { Accounts } from "./screens/Accounts";
import { Dashboard } from "./screens/Dashboard";
import { DataBrowser } from "./screens/DataBrowser";
import { ExportDialog } from "./screens/ExportDialog";
import { ImportScreen } from "./screens/Import";
import { ImportQueue } from "./queue";
import { Settings } from "./screens/Settings";
import { ScoreCheck } from "./screens/ScoreCheck";
import logoUrl from "../../icons/icon.svg?url";
import { DemoBanner } from "./screens/DemoBanner";
import { takeFirstDashboard } from "./startup";
import { AboutDialog } from "./screens/About";
import { RenewalsScreen } from "./screens/Renewals";
import { groupHref, groupOfQuery } from "./board";
import { saveLeftDrafts, watchLeaving } from "./notes";

export type Screen = "dashboard" | "accounts" | "renewals" | "data" | "import" | "settings" | "score-check";

export interface Route {
  screen: Screen;
  /** The account of #/accounts/<id>, the dataset of #/data/<kind>. */
  arg: string | null;
  query: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const [path = "", search = ""] = hash.replace(/^#\/?/, "").split("?");
  const [first = "", ...rest] = path.split("/");
  const screens: Screen[] = ["accounts", "renewals", "data", "import", "settings", "score-check"];
  const screen = (screens as string[]).includes(first) ? (first as Screen) : "dashboard";
  const arg = rest.length ? decodeURIComponent(rest.join("/")) : null;
  return { screen, arg, query: new URLSearchParams(search) };
}

function useRoute(): Route {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return parseRoute(hash);
}

export function go(path: string): void {
  location.hash = path;
}

/** Loads the language the user chose in the settings (else the system's) and shows the app. */
export function App(props: { initial: Texts; first?: DashboardData | null }) {
  const [texts, setTexts] = useState(props.initial);
  const current = useRef(texts);
  current.current = texts;
  const [settings, setSettings] = useState<SettingEntry[] | null>(null);
  const applySettings = useCallback(async (entries: SettingEntry[]) => {
    setSettings(entries);
    const choice = entries.find((e) => e.key === "language")?.value ?? "auto";
    // "auto" follows the system language the app started with
    const wanted = choice === "de" || choice === "en" ? choice : props.initial.lang;
    if (wanted === current.current.lang) return;
    setTexts(wanted === props.initial.lang ? props.initial : await initTexts(systemTag(), wanted));
  }, []);
  useEffect(() => {
    getSettings(texts.lang).then(applySettings, () => setSettings([]));
  }, []);
  return (
    <TextsContext.Provider value={texts}>
      <ConfirmProvider>
        <Shell settings={settings} onSettings={(e) => void applySettings(e)} first={props.first ?? null} />
      </ConfirmProvider>
    </TextsContext.Provider>
  );
}

function Shell(props: {
  settings: SettingEntry[] | null;
  onSettings: (e: SettingEntry[]) => void;
  /** The latest month's dashboard, when it came with the start (startup.ts). */
  first: DashboardData | null;
}) {
  const texts = useTexts();
  const { t, lang } = texts;
  const route = useRoute();
  // another screen starts at its top (the hash route keeps the window's scroll otherwise)
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [route.screen]);
  const [month, setMonth] = useState<string | null>(null);
  // bumped after an import, undo, restore or setting change: every screen reloads
  const [version, setVersion] = useState(0);
  const [exporting, setExporting] = useState(false);
  // the month the report dialog opens with when the import screen asked for it
  const [reportFor, setReportFor] = useState<string | null>(null);
  // the import screen's files and answers: kept here, so that they survive a look elsewhere
  const queue = useRef<ImportQueue | null>(null);
  queue.current ??= new ImportQueue();
  const [about, setAbout] = useState(false);
  const [pickRequest, setPickRequest] = useState(0);
  const [dropped, setDropped] = useState<ChosenFile[]>([]);
  const changed = useCallback(() => setVersion((v) => v + 1), []);
  // what was just undone, with a way to take it back (until the next import)
  const [undone, setUndone] = useState<Undone | null>(null);
  const [undoError, setUndoError] = useState<CommandError | null>(null);
  const [takenBack, setTakenBack] = useState(0);
  const wasUndone = (u: Undone) => {
    setUndone(u);
    setUndoError(null);
    changed();
  };
  const takeItBack = async () => {
    if (!undone) return;
    try {
      await takeBack(undone.batchIds, lang);
      setUndone(null);
      setUndoError(null);
      setTakenBack((n) => n + 1);
      changed();
    } catch (e) {
      setUndone(null);
      setUndoError(e as CommandError);
    }
  };

  const dash = useAsync(
    () => takeFirstDashboard(month, lang) ?? getDashboard(month, lang),
    [month, version, lang],
    props.first,
  );
  // read by the menu's handler, which is set up once
  const hasMonths = useRef(false);
  hasMonths.current = (dash.data?.months.length ?? 0) > 0;

  useEffect(() => {
    // notes: saved when the window is hidden or closed; drafts a closed window left, now
    watchLeaving();
    void saveLeftDrafts(lang);
  }, []);

  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    // files dropped anywhere on the window open the import screen with them
    watchFileDrops((e) => {
      if (e.event === "drop") {
        setDragging(false);
        if (e.files.length > 0) {
          setDropped(e.files);
          go("/import");
        }
      } else setDragging(e.event === "enter");
    }, lang).catch(() => {});
  }, []);

  useEffect(() => {
    // the native menu's page actions (its Quit is handled in Rust)
    watchMenu((e) => {
      if (e.event === "import") {
        go("/import");
        setPickRequest((n) => n + 1);
      } else if (e.event === "export") {
        // like the toolbar's button: no report without a month with data
        if (hasMonths.current) setExporting(true);
      }
      else if (e.event === "settings") go("/settings");
      else setAbout(true);
    }, lang).catch(() => {});
  }, []);

  const months = dash.data?.months ?? [];
  const shownMonth = dash.data?.month ?? null;
  const nav: { screen: Screen; href: string; label: string }[] = [
    { screen: "dashboard", href: "#/", label: t("nav.dashboard") },
    { screen: "accounts", href: "#/accounts", label: t("nav.accounts") },
    { screen: "data", href: "#/data", label: t("nav.data") },
    { screen: "import", href: "#/import", label: t("nav.import") },
    { screen: "settings", href: "#/settings", label: t("nav.settings") },
  ];
  const showMonth =
    route.screen === "dashboard" || route.screen === "accounts" || route.screen === "renewals" || route.screen === "score-check";

  return (
    <>
      <header class="topbar">
        <div class="brand">
          <img class="logo" src={logoUrl} alt="" width="28" height="28" />
          <h1>{t("app.title")}</h1>
        </div>
        <nav aria-label={t("nav.label")}>
          <ul class="tabs">
            {nav.map((n) => (
              <li key={n.screen}>
                <a href={n.href} aria-current={route.screen === n.screen ? "page" : undefined} data-testid={`nav-${n.screen}`}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="top-actions">
          {showMonth && months.length > 0 && (
            <label class="month-picker">
              <span>{t("app.month")}</span>
              <select id="month" value={shownMonth ?? ""} onChange={(e) => setMonth(e.currentTarget.value)}>
                {[...months]
                  .sort()
                  .reverse()
                  .map((m) => (
                    <option key={m} value={m}>
                      {formatMonth(m, texts.locale)}
                    </option>
                  ))}
              </select>
            </label>
          )}
          <button
            type="button"
            class="primary"
            disabled={months.length === 0}
            onClick={() => setExporting(true)}
            data-testid="open-export"
          >
            {t("export.open")}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {undone && (
          <div class="banner notice" role="status" data-testid="undone-notice">
            <span>
              <strong>{undone.message}</strong> <span class="small">{t("undone.until")}</span>
            </span>
            <span class="grow" />
            <button type="button" onClick={() => void takeItBack()} data-testid="take-back">
              {t("undone.takeBack")}
            </button>
            <button type="button" class="ghost" onClick={() => setUndone(null)} aria-label={t("common.close")}>
              ×
            </button>
          </div>
        )}
        {undoError && <ErrorBanner error={undoError} onClose={() => setUndoError(null)} />}
        {dash.data?.is_demo && <DemoBanner onCleared={wasUndone} />}
        {route.screen === "dashboard" && (
          <Screen state={dash}>
            {(d) => (
              <Dashboard
                data={d}
                version={version}
                onAccount={(id) => go(`/accounts/${encodeURIComponent(id)}`)}
                onGroup={(g) => go(groupHref(g))}
              />
            )}
          </Screen>
        )}
        {route.screen === "accounts" && route.arg === null && (
          <AccountsRoute
            month={month}
            version={version}
            moversOnly={route.query.get("movers") === "1"}
            group={groupOfQuery(route.query)}
          />
        )}
        {route.screen === "renewals" && <RenewalsRoute month={month} version={version} currency={dash.data?.currency ?? "EUR"} />}
        {route.screen === "accounts" && route.arg !== null && (
          <AccountRoute id={route.arg} month={month} version={version} />
        )}
        {route.screen === "score-check" && <ScoreCheck month={month} version={version} />}
        {route.screen === "data" && <DataBrowser kind={route.arg} version={version} />}
        {route.screen === "import" && (
          <ImportScreen
            queue={queue.current}
            months={months}
            onReport={(m) => {
              setReportFor(m);
              setExporting(true);
            }}
            dropped={dropped}
            dragging={dragging}
            onDroppedTaken={() => setDropped([])}
            onChanged={changed}
            onImported={() => setUndone(null)}
            onUndone={wasUndone}
            version={takenBack}
            pickRequest={pickRequest}
            onPickTaken={() => setPickRequest(0)}
          />
        )}
        {route.screen === "settings" &&
          (props.settings === null ? (
            <Loading />
          ) : (
            <Settings
              entries={props.settings}
              onChanged={(e) => {
                props.onSettings(e);
                changed();
              }}
              onRestored={() => {
                void getSettings(lang).then(props.onSettings);
                changed();
              }}
              onAbout={() => setAbout(true)}
            />
          ))}
      </main>
      {exporting && (
        <ExportDialog
          months={months}
          month={reportFor ?? shownMonth}
          onClose={() => {
            setExporting(false);
            setReportFor(null);
          }}
        />
      )}
      {about && <AboutDialog onClose={() => setAbout(false)} />}
    </>
  );
}


/** Loading, error with retry, or the data. */
function Screen<T>(props: { state: Async<T>; children: (data: T) => ComponentChildren }) {
  const { data, error, reload } = props.state;
  if (error && !data) return <ErrorBanner error={error} onRetry={reload} />;
  if (!data) return <Loading />;
  return (
    <>
      {error && <ErrorBanner error={error} onRetry={reload} />}
      {props.children(data)}
    </>
  );
}

function AccountsRoute(props: { month: string | null; version: number; moversOnly: boolean; group: GroupFilter | null }) {
  const { lang } = useTexts();
  const g = props.group;
  const state = useAsync(
    () => (g ? listGroupAccounts(props.month, g, lang) : listAccounts(props.month, lang)),
    [props.month, props.version, lang, g?.by, g?.kind, g?.key],
  );
  return (
    <Screen state={state}>
      {(d) => (
        <Accounts
          key={g ? `${g.by}|${g.kind}|${g.key}` : "all"}
          data={d}
          moversOnly={props.moversOnly}
          group={g}
          onClearGroup={() => go("/accounts")}
          onOpen={(id) => go(`/accounts/${encodeURIComponent(id)}`)}
        />
      )}
    </Screen>
  );
}

function RenewalsRoute(props: { month: string | null; version: number; currency: string }) {
  const { lang } = useTexts();
  const state = useAsync(() => getRenewals(props.month, lang), [props.month, props.version, lang]);
  return (
    <Screen state={state}>
      {(o) => (
        <RenewalsScreen
          outlook={o}
          currency={props.currency}
          onAccount={(id) => go(`/accounts/${encodeURIComponent(id)}`)}
        />
      )}
    </Screen>
  );
}

function AccountRoute(props: { id: string; month: string | null; version: number }) {
  const { lang } = useTexts();
  const state = useAsync(() => explainAccount(props.id, props.month, lang), [props.id, props.month, props.version, lang]);
  return (
    <Screen state={state}>
      {(d) => <AccountPage data={d} onBack={() => (history.length > 1 ? history.back() : go("/accounts"))} />}
    </Screen>
  );
}

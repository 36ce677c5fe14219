// The only module that talks to the Rust side (and the only importer of @tauri-apps/api and
// the dialog plugin). Every command's types come from ./bindings, generated from the Rust
// types by ts-rs (CI fails when they are stale). Every rejection is a `CommandError`.
import { invoke } from "@tauri-apps/api/core";
import { open, save } from "@tauri-apps/plugin-dialog";
import type { AccountList } from "./bindings/AccountList";
import type { AppInfo } from "./bindings/AppInfo";
import type { MenuEvent } from "./bindings/MenuEvent";
import type { CommandError } from "./bindings/CommandError";
import type { Dashboard } from "./bindings/Dashboard";
import type { Explanation } from "./bindings/Explanation";
import type { SettingEntry } from "./bindings/SettingEntry";
import type { Written } from "./bindings/Written";

export type { AccountList } from "./bindings/AccountList";
export type { AppInfo } from "./bindings/AppInfo";
export type { MenuEvent } from "./bindings/MenuEvent";
export type { ThirdParty } from "./bindings/ThirdParty";
export type { AccountLine } from "./bindings/AccountLine";
export type { AccountScore } from "./bindings/AccountScore";
export type { Cohort } from "./bindings/Cohort";
export type { CommandError } from "./bindings/CommandError";
export type { Component } from "./bindings/Component";
export type { Dashboard } from "./bindings/Dashboard";
export type { Explanation } from "./bindings/Explanation";
export type { Kpi } from "./bindings/Kpi";
export type { KpiCard } from "./bindings/KpiCard";
export type { LightSplit } from "./bindings/LightSplit";
export type { MrrBridge } from "./bindings/MrrBridge";
export type { Part } from "./bindings/Part";
export type { SettingEntry } from "./bindings/SettingEntry";
export type { Written } from "./bindings/Written";

/** Every rejection as `{code, message}`: Rust sends that shape; anything else is wrapped. */
export function toCommandError(e: unknown): CommandError {
  if (typeof e === "object" && e !== null && "code" in e && "message" in e) {
    const { code, message } = e as Record<string, unknown>;
    return { code: String(code), message: String(message) };
  }
  return { code: "ipc", message: e instanceof Error ? e.message : String(e) };
}

export function isCommandError(e: unknown): e is CommandError {
  return typeof e === "object" && e !== null && "code" in e && "message" in e;
}

/** Calls a command; a rejection becomes a `CommandError`. */
export async function call<T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toCommandError(e);
  }
}

/** Company CS score, light split, KPI cards, bridge, cohorts and movers of `month`. */
export const getDashboard = (month: string | null, lang: string) =>
  call<Dashboard>("get_dashboard", { month, lang });

export const listAccounts = (month: string | null, lang: string) =>
  call<AccountList>("list_accounts", { month, lang });

export const explainAccount = (accountId: string, month: string | null, lang: string) =>
  call<Explanation>("explain_account", { accountId, month, lang });

export const getSettings = (lang: string) => call<SettingEntry[]>("get_settings", { lang });
export const setSetting = (key: string, value: string, lang: string) =>
  call<SettingEntry[]>("set_setting", { key, value, lang });
export const resetSettings = (lang: string) => call<SettingEntry[]>("reset_settings", { lang });

export const exportReport = (month: string | null, reportLang: string, path: string, lang: string) =>
  call<Written>("export_report", { month, reportLang, path, lang });

export const backupDatabase = (path: string, lang: string) => call<null>("backup_database", { path, lang });
export const restoreDatabase = (path: string, lang: string) =>
  call<string | null>("restore_database", { path, lang });

// --- native dialogs -------------------------------------------------------------------
// The end-to-end tests cannot click in a native file dialog. They queue the answers in
// `window.__cspulsePicks` (see tests/e2e); the page could call the commands with any
// path anyway, so this seam grants nothing new.
declare global {
  interface Window {
    __cspulsePicks?: (string | string[] | null)[];
  }
}

function queued(): { value: string | string[] | null } | null {
  const picks = window.__cspulsePicks;
  return picks && picks.length > 0 ? { value: picks.shift() ?? null } : null;
}

export interface FileFilter {
  name: string;
  extensions: string[];
}

/** Files to import, chosen in the native open dialog; `[]` when cancelled. */
export async function pickFiles(title: string, filters: FileFilter[]): Promise<string[]> {
  const q = queued();
  if (q) return q.value === null ? [] : Array.isArray(q.value) ? q.value : [q.value];
  const chosen = await open({ title, multiple: true, directory: false, filters });
  if (chosen === null) return [];
  return Array.isArray(chosen) ? chosen : [chosen];
}

/** One file to read (a backup), or `null` when cancelled. */
export async function pickFile(title: string, filters: FileFilter[]): Promise<string | null> {
  const q = queued();
  if (q) return Array.isArray(q.value) ? (q.value[0] ?? null) : q.value;
  const chosen = await open({ title, multiple: false, directory: false, filters });
  return typeof chosen === "string" ? chosen : null;
}

/** Where to save, or `null` when cancelled. */
export async function pickSavePath(title: string, defaultPath: string, filters: FileFilter[]): Promise<string | null> {
  const q = queued();
  if (q) return Array.isArray(q.value) ? (q.value[0] ?? null) : q.value;
  return (await save({ title, defaultPath, filters })) ?? null;
}

// --- data browser ---------------------------------------------------------------------
export type { Cell } from "./bindings/Cell";
export type { Column } from "./bindings/Column";
export type { DatasetInfo } from "./bindings/DatasetInfo";
export type { Filter } from "./bindings/Filter";
export type { FilterOp } from "./bindings/FilterOp";
export type { Query } from "./bindings/Query";
export type { Row } from "./bindings/Row";
import type { DatasetInfo } from "./bindings/DatasetInfo";
import type { Page } from "./bindings/Page";
import type { Query } from "./bindings/Query";
import type { OpenedView } from "./bindings/OpenedView";

export const browseDatasets = (lang: string) => call<DatasetInfo[]>("browse_datasets", { lang });
export const browseOpen = (kind: string, query: Query, lang: string) =>
  call<OpenedView>("browse_open", { kind, query, lang });
export const browsePage = (viewId: number, offset: number, limit: number, lang: string) =>
  call<Page>("browse_page", { viewId, offset, limit, lang });
export const browseClose = (viewId: number) => call<null>("browse_close", { viewId });


// --- drag and drop ---------------------------------------------------------------------
import type { FileDropEvent } from "./bindings/FileDropEvent";

/** Files dragged onto the window (the OS tells Rust where they live; the page only sees
 * that something was dropped). One listener: a later call replaces the earlier one. */
export function watchFileDrops(onEvent: (e: FileDropEvent) => void, lang: string): Promise<null> {
  const channel = new Channel<FileDropEvent>();
  channel.onmessage = onEvent;
  return call<null>("watch_file_drops", { onEvent: channel, lang });
}

// --- import ---------------------------------------------------------------------------
import { Channel } from "@tauri-apps/api/core";
import type { Batch } from "./bindings/Batch";
import type { BatchIssues } from "./bindings/BatchIssues";
import type { ImportEvent } from "./bindings/ImportEvent";
import type { ImportOptions } from "./bindings/ImportOptions";
import type { Imported } from "./bindings/Imported";
import type { Inspection } from "./bindings/Inspection";
import type { SavedIssues } from "./bindings/SavedIssues";
export type { Batch } from "./bindings/Batch";
export type { FileDropEvent } from "./bindings/FileDropEvent";
export type { ImportEvent } from "./bindings/ImportEvent";
export type { ImportOptions } from "./bindings/ImportOptions";
export type { Imported } from "./bindings/Imported";
export type { Inspection } from "./bindings/Inspection";
export type { IssueLine } from "./bindings/IssueLine";
export type { TableChoice } from "./bindings/TableChoice";
export type { TablePreview } from "./bindings/TablePreview";

/** The file's tables with the user's choices applied (kind, header row, mapping …);
 * problems come back as data beside each table. */
export const inspectFile = (path: string, options: ImportOptions, lang: string) =>
  call<Inspection>("inspect_file", { path, options, lang });

/** Imports `path` with `options` (all tables in one transaction); `onEvent` gets
 * started / progress (about ten a second) / committing. */
export function importFile(
  path: string,
  options: ImportOptions,
  replace: boolean,
  lang: string,
  onEvent: (e: ImportEvent) => void,
): Promise<Imported> {
  const channel = new Channel<ImportEvent>();
  channel.onmessage = onEvent;
  return call<Imported>("import_file", { path, options, replace, onEvent: channel, lang });
}

/** `true`: stopped, nothing written; `false`: too late (committing) or unknown. */
export const cancelImport = (importId: number, lang: string) => call<boolean>("cancel_import", { importId, lang });
export const listBatches = (lang: string) => call<Batch[]>("list_batches", { lang });
export const undoBatch = (batchId: number, lang: string) => call<Batch>("undo_batch", { batchId, lang });
export const batchIssues = (batchId: number, lang: string) => call<BatchIssues>("batch_issues", { batchId, lang });
export const saveIssues = (batchId: number, path: string, lang: string) =>
  call<SavedIssues>("save_issues", { batchId, path, lang });
export const clearDemo = (lang: string) => call<number>("clear_demo", { lang });

// --- the app ---------------------------------------------------------------------------

/** Name, version, license, copyright and the third-party components (About dialog). */
export const appInfo = (lang: string) => call<AppInfo>("app_info", { lang });

/** Clicks on the native menu's page actions (Import…, Board report…, Settings…, About). One
 * listener: a later call replaces the earlier one. */
export function watchMenu(onEvent: (e: MenuEvent) => void, lang: string): Promise<null> {
  const channel = new Channel<MenuEvent>();
  channel.onmessage = onEvent;
  return call<null>("watch_menu", { onEvent: channel, lang });
}

// The only module that talks to the Rust side (and the only importer of @tauri-apps/api).
// Every command's types come from ./bindings, generated from the Rust types by ts-rs (CI
// fails when they are stale). Every rejection is a `CommandError`.
//
// The page never names a file by its path: the file dialogs are shown by Rust, and a file the
// user chose (in a dialog, by dropping it, or by opening the app with it) comes back as a
// `ChosenFile` whose `token` the commands take. Save targets never reach the page at all: the
// commands that write ask the user where, in the native save dialog.
import { invoke } from "@tauri-apps/api/core";
import type { AccountList } from "./bindings/AccountList";
import type { AppInfo } from "./bindings/AppInfo";
import type { MenuEvent } from "./bindings/MenuEvent";
import type { CommandError } from "./bindings/CommandError";
import type { Dashboard } from "./bindings/Dashboard";
import type { Explanation } from "./bindings/Explanation";
import type { SettingEntry } from "./bindings/SettingEntry";
import type { Written } from "./bindings/Written";

export type { AccountList } from "./bindings/AccountList";
export type { ChosenFile } from "./bindings/ChosenFile";
import type { ChosenFile } from "./bindings/ChosenFile";
export type { AppInfo } from "./bindings/AppInfo";
export type { MenuEvent } from "./bindings/MenuEvent";
export type { ThirdParty } from "./bindings/ThirdParty";
export type { AccountLine } from "./bindings/AccountLine";
export type { AccountScore } from "./bindings/AccountScore";
export type { Cohort } from "./bindings/Cohort";
export type { CommandError } from "./bindings/CommandError";
export type { Code } from "./bindings/Code";
import type { Code } from "./bindings/Code";
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
    // the app sends only its own codes (`Code`: the engine's `ErrorCode` or the app's
    // `AppCode`, generated from Rust); the UI switches on them
    return { code: String(code) as Code, message: String(message) };
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

/** Saves several settings at once (`KEY=VALUE`, what the preview showed); none is saved
 * when one is refused. */
export const applySettings = (changes: string[], lang: string) =>
  call<SettingEntry[]>("apply_settings", { changes, lang });

// --- the score's trust (insights.md §2, §3) ------------------------------------------
export type { Backtest } from "./bindings/Backtest";
export type { BacktestStatus } from "./bindings/BacktestStatus";
export type { LightOutcome } from "./bindings/LightOutcome";
export type { LightOutcomes } from "./bindings/LightOutcomes";
export type { MethodAucs } from "./bindings/MethodAucs";
export type { Preview } from "./bindings/Preview";
export type { LightChange } from "./bindings/LightChange";
export type { LightMove } from "./bindings/LightMove";
export type { BeforeAfter } from "./bindings/BeforeAfter";
export type { Coverage } from "./bindings/Coverage";
export type { Components } from "./bindings/Components";
import type { Backtest } from "./bindings/Backtest";
import type { Preview } from "./bindings/Preview";
/** Would the score have seen the churn coming? The backtest of `month` (latest when null)
 * at `horizon` months (1–12; the setting when null), both methods' AUC side by side;
 * `null` without data. */
export const getBacktest = (month: string | null, horizon: number | null, lang: string) =>
  call<Backtest | null>("get_backtest", { month, horizon, lang });
/** What `changes` (`KEY=VALUE`) would do, before → after; writes nothing. */
export const previewSettings = (changes: string[], month: string | null, lang: string) =>
  call<Preview | null>("preview_settings", { changes, month, lang });

// --- the board's questions (insights.md §1, §6, §7) ------------------------------------
export type { Breakdown } from "./bindings/Breakdown";
export type { BreakdownAnswer } from "./bindings/BreakdownAnswer";
export type { BreakdownGroup } from "./bindings/BreakdownGroup";
export type { Dim } from "./bindings/Dim";
export type { GroupFilter } from "./bindings/GroupFilter";
export type { GroupKind } from "./bindings/GroupKind";
export type { Outlook } from "./bindings/Outlook";
export type { DueRenewal } from "./bindings/DueRenewal";
export type { Due } from "./bindings/Due";
export type { Note } from "./bindings/Note";
export type { TargetStatus } from "./bindings/TargetStatus";
import type { BreakdownAnswer } from "./bindings/BreakdownAnswer";
import type { Dim } from "./bindings/Dim";
import type { GroupFilter } from "./bindings/GroupFilter";
import type { Outlook } from "./bindings/Outlook";
import type { Note } from "./bindings/Note";
/** The KPIs of `month` per group of `by` (the first dimension offered when null or not
 * offered), with each KPI's target status per group. */
export const getBreakdown = (month: string | null, by: Dim | null, lang: string) =>
  call<BreakdownAnswer>("get_breakdown", { month, by, lang });
/** The accounts of one breakdown group, as `listAccounts` lists them. */
export const listGroupAccounts = (month: string | null, group: GroupFilter, lang: string) =>
  call<AccountList>("list_group_accounts", { month, group, lang });
/** What renews in the three months after `month` (the latest when null); `null` without data. */
export const getRenewals = (month: string | null, lang: string) => call<Outlook | null>("get_renewals", { month, lang });
/** The notes of `month` (summary, `kpi:ID`, `account:ID`). */
export const getNotes = (month: string, lang: string) => call<Note[]>("get_notes", { month, lang });
/** Writes a note (an empty text removes it); the note as stored, `null` when removed. */
export const setNote = (
  month: string,
  key: string,
  text: string,
  owner: string | null,
  dueDate: string | null,
  lang: string,
) => call<Note | null>("set_note", { month, key, text, owner, dueDate, lang });

/** Asks where to save (native dialog, shown by Rust) and writes the board report there;
 * `null` when the user cancelled the dialog. */
export const exportReport = (month: string | null, reportLang: string, lang: string) =>
  call<Written | null>("export_report", { month, reportLang, lang });

/** Asks where to save (native dialog) and writes a backup there: its path for showing, or
 * `null` when cancelled. */
export const backupDatabase = (lang: string) => call<string | null>("backup_database", { lang });
/** A backup to restore, chosen in the native open dialog, or `null` when cancelled. */
export const chooseBackup = (lang: string) => call<ChosenFile | null>("choose_backup", { lang });
/** Replaces all data with the chosen backup; the safety copy's path, or `null`. */
export const restoreDatabase = (file: ChosenFile, lang: string) =>
  call<string | null>("restore_database", { file: file.token, lang });

/** Files to import, chosen in the native open dialog; `[]` when cancelled. */
export const chooseImportFiles = (lang: string) => call<ChosenFile[]>("choose_import_files", { lang });

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

/** Files dragged onto the window or opened with the app, as tokens and names (the OS tells
 * Rust where they live; the page never learns it). One listener: a later call replaces the
 * earlier one. */
export function watchFileDrops(onEvent: (e: FileDropEvent) => void, lang: string): Promise<null> {
  const channel = new Channel<FileDropEvent>();
  channel.onmessage = onEvent;
  return call<null>("watch_file_drops", { onEvent: channel, lang });
}

// --- import ---------------------------------------------------------------------------
import { Channel } from "@tauri-apps/api/core";
import type { Batch } from "./bindings/Batch";
import type { BatchIssues } from "./bindings/BatchIssues";
import type { BillingLine } from "./bindings/BillingLine";
import type { ImportEvent } from "./bindings/ImportEvent";
import type { ImportOptions } from "./bindings/ImportOptions";
import type { Imported } from "./bindings/Imported";
import type { Inspection } from "./bindings/Inspection";
import type { SavedIssues } from "./bindings/SavedIssues";
export type { Batch } from "./bindings/Batch";
import type { TableOverlap } from "./bindings/TableOverlap";
export type { TableOverlap } from "./bindings/TableOverlap";
export type { BatchOverlap } from "./bindings/BatchOverlap";
export type { Overlap } from "./bindings/Overlap";
export type { Kind } from "./bindings/Kind";
export type { SkippedSheet } from "./bindings/SkippedSheet";
export type { Choices } from "./bindings/Choices";
export type { ProfileTable } from "./bindings/ProfileTable";
export type { DateOrder } from "./bindings/DateOrder";
export type { FileDropEvent } from "./bindings/FileDropEvent";
export type { ImportEvent } from "./bindings/ImportEvent";
export type { ImportOptions } from "./bindings/ImportOptions";
export type { Imported } from "./bindings/Imported";
export type { Inspection } from "./bindings/Inspection";
export type { IssueLine } from "./bindings/IssueLine";
export type { TableChoice } from "./bindings/TableChoice";
export type { TablePreview } from "./bindings/TablePreview";

/** The file's tables with the user's choices applied (kind, header row, mapping …);
 * problems come back as data beside each table. Only the latest call for a file is
 * answered; an earlier one that has not finished is refused with `superseded`. */
export const inspectFile = (file: ChosenFile, options: ImportOptions, lang: string) =>
  call<Inspection>("inspect_file", { file: file.token, options, lang });

/** Imports `file` with `options` (all tables in one transaction); `onEvent` gets
 * started / reading / progress (about ten a second) / committing. */
export function importFile(
  file: ChosenFile,
  options: ImportOptions,
  replace: boolean,
  lang: string,
  onEvent: (e: ImportEvent) => void,
): Promise<Imported> {
  const channel = new Channel<ImportEvent>();
  channel.onmessage = onEvent;
  return call<Imported>("import_file", { file: file.token, options, replace, onEvent: channel, lang });
}

/** `true`: stopped, nothing written; `false`: too late (committing) or unknown. */
export const cancelImport = (importId: number, lang: string) => call<boolean>("cancel_import", { importId, lang });
export const listBatches = (lang: string) => call<Batch[]>("list_batches", { lang });
/** Undoes a batch (its rows leave every screen; `takeBack` until the next import). */
export const undoBatch = (batchId: number, lang: string) => call<Batch>("undo_batch", { batchId, lang });
export const batchIssues = (batchId: number, lang: string) => call<BatchIssues>("batch_issues", { batchId, lang });
/** The billing lines an import's revenue rows were derived from (sources.md §5). */
export const billingLines = (batchId: number, lang: string) => call<BillingLine[]>("billing_lines", { batchId, lang });
/** Asks where to save (native dialog) and writes the batch's issues there; `null` when
 * cancelled. */
export const saveIssues = (batchId: number, lang: string) => call<SavedIssues | null>("save_issues", { batchId, lang });
/** Which earlier imports the file overlaps, per table it would import with `options` (and
 * what `options.overlap` would do there). Reads the file, writes nothing; only the latest
 * call for a file is answered (`superseded`). */
export const importOverlaps = (file: ChosenFile, options: ImportOptions, lang: string) =>
  call<TableOverlap[]>("import_overlaps", { file: file.token, options, lang });
/** The earlier import of exactly this file (same bytes), or `null`. */
export const alreadyImported = (file: ChosenFile, sheet: string | null, lang: string) =>
  call<Batch | null>("already_imported", { file: file.token, sheet, lang });
/** The import profile saved for the file's shape, or `null`. */
export const findProfile = (file: ChosenFile, lang: string) => call<Profile | null>("find_profile", { file: file.token, lang });
/** Whether the sample company is among the data. */
export const hasSample = (lang: string) => call<boolean>("has_sample", { lang });
/** Removes the sample company from what the app shows; the ids of the batches undone. */
export const clearDemo = (lang: string) => call<number[]>("clear_demo", { lang });
/** Brings back batches just undone or cleared (until the next import; then `undo_gone`). */
export const takeBack = (batchIds: number[], lang: string) => call<Batch[]>("take_back", { batchIds, lang });

// --- import profiles (Settings) ------------------------------------------------------------
import type { Profile } from "./bindings/Profile";
export type { Profile } from "./bindings/Profile";
export const listProfiles = (lang: string) => call<Profile[]>("list_profiles", { lang });
export const renameProfile = (name: string, newName: string, lang: string) =>
  call<Profile>("rename_profile", { name, newName, lang });
export const deleteProfile = (name: string, lang: string) => call<Profile>("delete_profile", { name, lang });
/** Asks where to save (native dialog) and writes the profile as JSON; the path, or `null`. */
export const exportProfile = (name: string, lang: string) => call<string | null>("export_profile", { name, lang });
/** Asks for a profile file (native dialog) and adds it; the profile, or `null` when cancelled. */
export const importProfile = (lang: string) => call<Profile | null>("import_profile", { lang });

// --- the link step: values an import matched to no customer ------------------------------
import type { Link } from "./bindings/Link";
import type { LinkBook } from "./bindings/LinkBook";
import type { ProposedAccount } from "./bindings/ProposedAccount";
export type { AccountLinks } from "./bindings/AccountLinks";
export type { Link, LinkBook, ProposedAccount };
export type { LinkReport } from "./bindings/LinkReport";
export type { UnmatchedValue } from "./bindings/UnmatchedValue";
/** The user's accounts with their other names, and the answers given so far. */
export const linkBook = (lang: string) => call<LinkBook>("link_book", { lang });
/** Accounts with names like `value`, best first (nothing is linked by asking). */
export const linkProposals = (value: string, lang: string) => call<ProposedAccount[]>("link_proposals", { value, lang });
/** `value` is the account `accountId`, or (`null`) not a customer; used by every later import. */
export const linkValue = (value: string, accountId: string | null, lang: string) =>
  call<Link>("link_value", { value, accountId, lang });
/** Forgets the answer for `value`. */
export const unlinkValue = (value: string, lang: string) => call<boolean>("unlink_value", { value, lang });

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

// The import wizard's logic, pure so Vitest covers it.
import type { Batch, BatchOverlap, Choices, DateOrder, ImportOptions, Kind, Overlap, Profile, ProfileTable, SkippedSheet, TableChoice, TableOverlap, TablePreview } from "./ipc";

/** The field each column is read from now (as the last inspection says). */
export function fieldOfColumn(t: TablePreview): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of t.fields) if (f.column !== null && f.column_index !== null) out.set(f.column, f.field);
  return out;
}

/** The mapping after the user says column `column` holds `field` ("" = nothing): the field
 * moves to that column, and whatever field the column held before is unmapped. */
export function chooseColumn(
  map: Record<string, string>,
  current: Map<string, string>,
  column: string,
  field: string,
): Record<string, string> {
  const next = { ...map };
  const before = current.get(column);
  if (before && before !== field) next[before] = "";
  if (field) next[field] = column;
  return next;
}

/** A table's key among the file's choices: its sheet, or "" for a text file's one table. */
export const tableKey = (sheet: string | null | undefined): string => sheet ?? "";

/** The options of one import: every table with its own choices (a CSV's one table has
 * `sheet: null`). */
export function importOptions(choices: Record<string, TableChoice>): ImportOptions {
  const tables = Object.values(choices).filter(decides);
  return tables.length ? { tables } : {};
}

/** One earlier import a table of the file overlaps, as the wizard lists it. */
export interface OverlapLine {
  /** The file's sheet (`null`: a text file's one table). */
  sheet: string | null;
  kind: Kind;
  batch: BatchOverlap;
}

/** Every earlier import the file overlaps, table by table (oldest first within a table);
 * empty when the file has nothing in common with what was imported before. */
export function overlapLines(tables: TableOverlap[]): OverlapLine[] {
  return tables.flatMap((t) => t.overlaps.map((batch) => ({ sheet: t.sheet, kind: t.kind, batch })));
}

/** Is this the user's first own import while the sample company is still there? Then the
 * wizard asks (once) whether the import replaces it. */
export function asksAboutSample(hasSample: boolean, batches: Batch[]): boolean {
  return hasSample && !batches.some((b) => b.source === "file");
}

/** The options of one import with the file-wide answers: what happens where it overlaps
 * earlier imports, and whether it replaces the sample company. */
export function fileOptions(
  choices: Record<string, TableChoice>,
  overlap: Overlap,
  replaceSample: boolean,
  /** The profile the choices came from, unchanged. */
  profile: string | null = null,
): ImportOptions {
  return { ...importOptions(choices), overlap, ...(replaceSample ? { replace_sample: true } : {}), ...(profile ? { profile } : {}) };
}

/** The sheets left out only because their kind is a question, with the kinds they could be
 * (the user answers by choosing one; nothing is imported on a guess). */
export function uncertainSheets(skipped: SkippedSheet[]): { sheet: string; candidates: Kind[] }[] {
  return skipped.filter((s) => s.reason === "kind_uncertain" && s.candidates.length > 0).map((s) => ({ sheet: s.sheet, candidates: s.candidates }));
}

/** What a column's header cell says it becomes: the field mapped to it, else what the import
 * makes of it by itself (a month column of a wide revenue sheet: "Okt 2026 → MRR"), else
 * `null` (not imported). */
export function columnRole(table: TablePreview, index: number, current: Map<string, string>): { field: string } | { label: string } | null {
  const col = table.columns[index];
  const field = col === undefined ? undefined : current.get(col);
  if (field) return { field };
  const label = table.column_labels[index];
  return label ? { label } : null;
}

/** The kinds a profile reads, in its order (the file-wide kind, then each table's). */
export function profileKinds(p: Profile): Kind[] {
  const out: Kind[] = [];
  for (const k of [p.choices.kind, ...p.choices.tables.filter((t) => !t.skip).map((t) => t.kind)]) if (k && !out.includes(k)) out.push(k);
  return out;
}

const ORDER: Record<string, DateOrder> = { dmy: "day_first", mdy: "month_first" };
const pairsToMap = (pairs: string[]): Record<string, string> =>
  Object.fromEntries(
    pairs.map((p) => {
      const at = p.indexOf("=");
      return at < 0 ? [p, ""] : [p.slice(0, at), p.slice(at + 1)];
    }),
  );

/** The wizard's options from a profile's choices (the file-wide ones and each table's). */
export function profileOptions(c: Choices): ImportOptions {
  const out: ImportOptions = { overlap: c.overlap };
  if (c.kind) out.kind = c.kind;
  if (c.sheet) out.sheet = c.sheet;
  if (c.header_row !== null) out.header_row = c.header_row;
  if (c.map.length) out.map = pairsToMap(c.map);
  if (c.date_order && ORDER[c.date_order]) out.date_order = ORDER[c.date_order];
  if (c.tables.length) out.tables = c.tables.map((t) => profileTable(t));
  return out;
}

function profileTable(t: ProfileTable): TableChoice {
  const out: TableChoice = { sheet: t.sheet };
  if (t.kind) out.kind = t.kind;
  if (t.header_row !== null) out.header_row = t.header_row;
  if (t.map.length) out.map = pairsToMap(t.map);
  if (t.date_order && ORDER[t.date_order]) out.date_order = ORDER[t.date_order];
  if (t.skip) out.skip = true;
  return out;
}

/** The user's words a profile remembers (`FIELD:WORD=VALUE`), as a table choice holds them. */
export function profileValues(values: string[]): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const v of values) {
    const colon = v.indexOf(":");
    const eq = v.lastIndexOf("=");
    if (colon < 1 || eq < colon) continue;
    (out[v.slice(0, colon)] ??= {})[v.slice(colon + 1, eq)] = v.slice(eq + 1);
  }
  return out;
}

/** What a profile chose for one table (`sheet`; `null`: a text file's table): its entry, else
 * the file-wide choices; `{sheet}` when it chose nothing. The words it remembers go with
 * every table (each names its field). */
export function profileChoice(c: Choices, sheet: string | null): TableChoice {
  // (a profile saved before words were remembered has none)
  const words = c.values ?? [];
  const withWords = (t: TableChoice): TableChoice => (words.length ? { ...t, values: profileValues(words) } : t);
  return withWords(profileChoiceOf(c, sheet));
}

function profileChoiceOf(c: Choices, sheet: string | null): TableChoice {
  const entry = c.tables.find((t) => t.sheet === sheet);
  if (entry) return profileTable(entry);
  const wide = profileOptions({ ...c, tables: [], sheet: null });
  const out: TableChoice = { sheet };
  if (wide.kind) out.kind = wide.kind;
  if (wide.header_row != null) out.header_row = wide.header_row;
  if (wide.map) out.map = wide.map;
  if (wide.date_order) out.date_order = wide.date_order;
  return out;
}

/** Does a table choice decide anything (else it is left out of the import's options, so
 * an import without choices uses the profile of the file's shape, and saves none)? */
export function decides(c: TableChoice): boolean {
  return (
    c.kind != null ||
    c.header_row != null ||
    Object.keys(c.map ?? {}).length > 0 ||
    c.date_order != null ||
    !!c.skip ||
    Object.keys(c.values ?? {}).length > 0
  );
}

// --- the review of many files (issue 16): one row per file, "Import all" ----------------

/** Where a file of the review stands. */
export type FileStatus =
  /** being read (or compared with earlier imports) */
  | "reading"
  /** a table cannot be imported until the user answers (its kind, a column, …) */
  | "needs_answer"
  /** imported already (same bytes): left out of "Import all" unless "replace" is ticked */
  | "already"
  /** nothing left to import (every table left out) */
  | "nothing"
  | "ready"
  | "importing"
  | "imported"
  /** the import failed or was cancelled (the row says why) */
  | "failed";

/** A file's status from what the review knows about it. */
export function fileStatus(s: {
  reading: boolean;
  /** tables to import (not left out) */
  importing: number;
  /** a table to import is blocked by a problem */
  blocked: boolean;
  /** imported before (same bytes), and "replace" not ticked */
  already: boolean;
  running: boolean;
  imported: boolean;
  failed: boolean;
}): FileStatus {
  if (s.imported) return "imported";
  if (s.running) return "importing";
  if (s.reading) return "reading";
  if (s.blocked) return "needs_answer";
  if (s.importing === 0) return "nothing";
  if (s.already) return "already";
  if (s.failed) return "failed";
  return "ready";
}

/** Does "Import all" take the file: ready, or tried before and failed (or cancelled)? */
export function importable(status: FileStatus): boolean {
  return status === "ready" || status === "failed";
}

/** The first and last month (`YYYY-MM`) over a file's tables, or `null` when none is dated. */
export function monthsOf(tables: { months: [string, string] | null }[]): [string, string] | null {
  let first: string | null = null;
  let last: string | null = null;
  for (const t of tables) {
    if (!t.months) continue;
    const [a, z] = t.months;
    if (first === null || a < first) first = a;
    if (last === null || z > last) last = z;
  }
  return first !== null && last !== null ? [first, last] : null;
}

/** The month the board report after an import is for: the latest month with data (the
 * dashboard's months) within the months the imported files reach, else the latest month
 * with data; `null` when there is no month with data. */
export function reportMonth(imported: ([string, string] | null)[], available: string[]): string | null {
  const months = [...available].sort();
  const covered = months.filter((m) => imported.some((r) => r !== null && r[0] <= m && m <= r[1]));
  if (covered.length) return covered[covered.length - 1]!;
  return months.length ? months[months.length - 1]! : null;
}

/** "Import all": how far it is, 0..=1 — `done` files finished of `total`, the current one at
 * `current` (0..=1). */
export function overallFraction(done: number, total: number, current: number): number {
  if (total <= 0) return 0;
  return Math.min(1, Math.max(0, (done + Math.min(1, Math.max(0, current))) / total));
}

/** The rows a file's tables hold, and whether the count is exact (else an estimate). */
export function fileRows(tables: { data_rows: number | null; data_rows_exact: boolean }[]): { rows: number; exact: boolean } | null {
  if (!tables.length || tables.some((t) => t.data_rows === null)) return null;
  return { rows: tables.reduce((n, t) => n + (t.data_rows ?? 0), 0), exact: tables.every((t) => t.data_rows_exact) };
}

/** What the overlap with earlier imports comes to, for the file's row: records in common
 * and of those changed, over all its tables and earlier imports; `null` when none. */
export function overlapTotals(tables: TableOverlap[]): { rows: number; changed: number; imports: number } | null {
  const lines = overlapLines(tables);
  if (!lines.length) return null;
  return {
    rows: lines.reduce((n, l) => n + l.batch.rows, 0),
    changed: lines.reduce((n, l) => n + l.batch.changed, 0),
    imports: new Set(lines.map((l) => l.batch.batch_id)).size,
  };
}

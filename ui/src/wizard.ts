// The import wizard's logic, pure so Vitest covers it.
import type { ImportOptions, TableChoice, TablePreview } from "./ipc";

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
  return { tables: Object.values(choices) };
}

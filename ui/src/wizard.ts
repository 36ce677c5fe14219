// The import wizard's logic, pure so Vitest covers it.
import type { TablePreview } from "./ipc";

/** The user's column choices (column → field, "" = ignore) as `FIELD=COLUMN` overrides. A
 * field chosen for two columns keeps the last choice. */
export function mappingOverrides(chosen: Record<string, string>): string[] {
  const byField = new Map<string, string>();
  for (const [column, field] of Object.entries(chosen)) {
    if (field) byField.set(field, column);
  }
  return [...byField].map(([field, column]) => `${field}=${column}`);
}

export interface TableProblems {
  /** Required fields without a column: the import would refuse the table. */
  missing: string[];
  /** The headers match no kind: the user must choose one. */
  unknownKind: boolean;
}

export function tableProblems(t: TablePreview): TableProblems {
  return { missing: t.missing, unknownKind: !t.recognised };
}

// The only module that talks to the Rust side (and the only importer of @tauri-apps/api).
import { invoke } from "@tauri-apps/api/core";
import type { CommandError } from "./bindings/CommandError";
import type { Dashboard } from "./bindings/Dashboard";

export type { CommandError } from "./bindings/CommandError";
export type { Dashboard } from "./bindings/Dashboard";
export type { Kpi } from "./bindings/Kpi";
export type { LightSplit } from "./bindings/LightSplit";

/** Company CS score, traffic-light split and the KPIs of `month` (latest when null). */
export async function getDashboard(month: string | null, lang: string): Promise<Dashboard> {
  try {
    return await invoke<Dashboard>("get_dashboard", { month, lang });
  } catch (e) {
    throw toCommandError(e);
  }
}

/** Every rejection as `{code, message}`: Rust sends that shape; anything else is wrapped. */
export function toCommandError(e: unknown): CommandError {
  if (typeof e === "object" && e !== null && "code" in e && "message" in e) {
    const { code, message } = e as Record<string, unknown>;
    return { code: String(code), message: String(message) };
  }
  return { code: "ipc", message: e instanceof Error ? e.message : String(e) };
}

// The CS lead's notes as the page keeps them while they are typed (insights.md §7): every
// keystroke is kept at once as a draft in the page's local storage (synchronous, so a
// window closed mid-typing loses nothing), saved to the database after a short pause, on
// leaving the field, when the window is hidden or closed, and — for a draft that was still
// waiting when the app ended — on the next start. A draft is removed once the database
// holds what it says.
import { setNote, type Note } from "./ipc";

const PREFIX = "cspulse.noteDraft:";

export interface Draft {
  month: string;
  key: string;
  text: string;
  owner: string | null;
  due: string | null;
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

const id = (month: string, key: string) => `${PREFIX}${month}|${key}`;

export function keepDraft(d: Draft): void {
  try {
    storage()?.setItem(id(d.month, d.key), JSON.stringify(d));
  } catch {
    // storage full or off: the debounced save still runs
  }
}

export function readDraft(month: string, key: string): Draft | null {
  const raw = storage()?.getItem(id(month, key));
  if (!raw) return null;
  try {
    const d = JSON.parse(raw) as Draft;
    return typeof d.text === "string" ? d : null;
  } catch {
    return null;
  }
}

/** Removes the draft if it is still `saved` (a newer one typed meanwhile stays). */
export function dropDraft(saved: Draft): void {
  const now = readDraft(saved.month, saved.key);
  if (now && now.text === saved.text && now.owner === saved.owner && now.due === saved.due) {
    storage()?.removeItem(id(saved.month, saved.key));
  }
}

export function allDrafts(): Draft[] {
  const s = storage();
  if (!s) return [];
  const out: Draft[] = [];
  for (let i = 0; i < s.length; i++) {
    const k = s.key(i);
    if (!k?.startsWith(PREFIX)) continue;
    const [month = "", key = ""] = k.slice(PREFIX.length).split("|");
    const d = readDraft(month, key);
    if (d) out.push(d);
  }
  return out;
}

export async function saveDraft(d: Draft, lang: string): Promise<Note | null> {
  const note = await setNote(d.month, d.key, d.text, d.owner, d.due, lang);
  dropDraft(d);
  return note;
}

/** Saves the drafts a closed window left behind; those refused stay (and show in their
 * field). The number saved. */
export async function saveLeftDrafts(lang: string): Promise<number> {
  let saved = 0;
  for (const d of allDrafts()) {
    try {
      await saveDraft(d, lang);
      saved++;
    } catch {
      // kept: the field shows it with the reason when it is opened
    }
  }
  return saved;
}

// every field with a pending save registers its flush here
const pending = new Set<() => void>();

export function registerFlush(flush: () => void): () => void {
  pending.add(flush);
  return () => pending.delete(flush);
}

/** Saves every pending note now (leaving the page, hiding or closing the window). */
export function flushAll(): void {
  for (const f of [...pending]) f();
}

let watching = false;

/** Flushes on `beforeunload`, `pagehide` and when the window is hidden; once per page. */
export function watchLeaving(): void {
  if (watching) return;
  watching = true;
  window.addEventListener("beforeunload", flushAll);
  window.addEventListener("pagehide", flushAll);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") flushAll();
  });
}

/** The pause after the last keystroke before a note is saved. */
export const SAVE_AFTER_MS = 600;

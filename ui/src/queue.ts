// The import screen's queue of files, held by the window (app.tsx) rather than by the
// screen: the files waiting, what the user answered for each, their results and a running
// "Import all" survive a look at the dashboard and back (issue 16).
import type { ChosenFile, Imported, Kind, Overlap, TableChoice } from "./ipc";
import type { FileStatus } from "./wizard";

/** What the review remembers of one file while the screen is closed. */
export interface CardMemory {
  /** Kinds the user gave: a sheet left out as a question (by name), or a table (`tableKey`). */
  answered: Record<string, Kind>;
  kindAnswers: Record<string, Kind>;
  /** Each table's choices as last reported by its block. */
  choices: Record<string, TableChoice>;
  overlap: Overlap | null;
  replace: boolean;
  useProfile: boolean;
  results: Imported | null;
  /** The months the file's rows reach, as compared before its import. */
  months: [string, string] | null;
  /** The file's details are open. */
  open: boolean;
}

/** A file's part in "Import all": its status now and how to import it. */
export interface CardHandle {
  /** As last drawn (while the screen is left, as it was then). */
  status: FileStatus;
  /** Its row is on the screen (else `status` may be out of date). */
  shown: boolean;
  name: string;
  /** The first and last month its rows reach (`YYYY-MM`), when known. */
  months: [string, string] | null;
  /** Imports the file with the choices shown; `replaceSample`: this import replaces the
   * sample company. Resolves `true` when it was imported. */
  run: (replaceSample: boolean, onFraction: (f: number) => void) => Promise<boolean>;
  cancel: () => void;
}

/** "Import all" while it runs. */
export interface QueueRun {
  done: number;
  total: number;
  current: string | null;
  fraction: number;
  cancelled: boolean;
}

export class ImportQueue {
  files: ChosenFile[] = [];
  memory = new Map<string, Partial<CardMemory>>();
  handles = new Map<string, CardHandle>();
  /** The answer to "should your data replace the sample company?" (yes unless changed). */
  replaceSample = true;
  run: QueueRun | null = null;
  private listeners = new Set<() => void>();

  /** Adds files not yet in the queue (the same file again has the same token). */
  add(more: ChosenFile[]): void {
    const fresh = more.filter((f, i) => !this.files.some((g) => g.token === f.token) && more.findIndex((g) => g.token === f.token) === i);
    if (!fresh.length) return;
    this.files = [...this.files, ...fresh];
    this.notify();
  }

  remove(token: string): void {
    this.files = this.files.filter((f) => f.token !== token);
    this.memory.delete(token);
    this.handles.delete(token);
    this.notify();
  }

  mem(token: string): Partial<CardMemory> {
    let m = this.memory.get(token);
    if (!m) {
      m = {};
      this.memory.set(token, m);
    }
    return m;
  }

  remember<K extends keyof CardMemory>(token: string, key: K, value: CardMemory[K]): void {
    if (!this.files.some((f) => f.token === token)) return;
    this.mem(token)[key] = value;
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  notify(): void {
    for (const fn of [...this.listeners]) fn();
  }
}

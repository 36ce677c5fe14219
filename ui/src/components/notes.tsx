// A note field that saves itself (insights.md §7): the summary box, a KPI card's note, an
// account's action with its owner and due date. "Saving …" / "Saved" / the reason it was
// refused beside it; see ../notes.ts for how nothing typed is lost.
import { useEffect, useRef, useState } from "preact/hooks";
import type { CommandError, Note } from "../ipc";
import { SAVE_AFTER_MS, keepDraft, readDraft, registerFlush, saveDraft, type Draft } from "../notes";
import { useTexts } from "./common";

type State = "idle" | "typing" | "saving" | "saved" | "error";

export function NoteField(props: {
  month: string;
  noteKey: string;
  note: Note | null;
  label: string;
  placeholder?: string;
  rows?: number;
  /** An account's action: owner and due date beside the text. */
  action?: boolean;
  testid: string;
  /** Called with the note as stored (`null`: removed). */
  onSaved?: (note: Note | null) => void;
}) {
  const { t, lang } = useTexts();
  const stored: Draft = {
    month: props.month,
    key: props.noteKey,
    text: props.note?.text ?? "",
    owner: props.note?.owner ?? null,
    due: props.note?.due_date ?? null,
  };
  // a draft a closed window left behind wins over what is stored
  const [draft, setDraft] = useState<Draft>(() => readDraft(props.month, props.noteKey) ?? stored);
  const [state, setState] = useState<State>("idle");
  const [error, setError] = useState<CommandError | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(draft);
  const first = useRef(draft);
  const dirty = useRef(false);
  const chain = useRef<Promise<unknown>>(Promise.resolve());

  const save = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (!dirty.current) return;
    dirty.current = false;
    const d = latest.current;
    setState("saving");
    // one save at a time, in the order typed
    chain.current = chain.current.then(() =>
      saveDraft(d, lang).then(
        (note) => {
          if (!dirty.current) setState("saved");
          setError(null);
          props.onSaved?.(note);
        },
        (e: CommandError) => {
          setState("error");
          setError(e);
        },
      ),
    );
  };
  const saveRef = useRef(save);
  saveRef.current = save;

  useEffect(() => {
    const off = registerFlush(() => saveRef.current());
    // a left-behind draft differing from the database is saved at once (the field as first
    // shown: the effect may run only after the first keystroke)
    const d = first.current;
    if (!dirty.current && (d.text !== stored.text || d.owner !== stored.owner || d.due !== stored.due)) {
      dirty.current = true;
      saveRef.current();
    }
    return () => {
      saveRef.current();
      off();
    };
  }, []);

  const change = (patch: Partial<Draft>) => {
    const d = { ...latest.current, ...patch };
    latest.current = d;
    dirty.current = true;
    keepDraft(d);
    setDraft(d);
    setState("typing");
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => saveRef.current(), SAVE_AFTER_MS);
  };

  const status =
    state === "saving" ? t("notes.saving") : state === "saved" ? t("notes.saved") : state === "typing" ? t("notes.typing") : "";
  return (
    <div class={`note-field${props.action ? " action" : ""}`} data-testid={props.testid}>
      <label class="note-text">
        <span class="note-label">{props.label}</span>
        <textarea
          rows={props.rows ?? 3}
          value={draft.text}
          placeholder={props.placeholder}
          onInput={(e) => change({ text: e.currentTarget.value })}
          onBlur={() => saveRef.current()}
          data-testid={`${props.testid}-text`}
        />
      </label>
      {props.action && (
        <div class="note-extra">
          <label>
            <span>{t("notes.owner")}</span>
            <input
              type="text"
              value={draft.owner ?? ""}
              onInput={(e) => change({ owner: e.currentTarget.value || null })}
              onBlur={() => saveRef.current()}
              data-testid={`${props.testid}-owner`}
            />
          </label>
          <label>
            <span>{t("notes.due")}</span>
            <input
              type="date"
              value={draft.due ?? ""}
              onInput={(e) => change({ due: e.currentTarget.value || null })}
              onBlur={() => saveRef.current()}
              data-testid={`${props.testid}-due`}
            />
          </label>
        </div>
      )}
      <p class={`note-status small ${state}`} role="status" aria-live="polite" data-testid={`${props.testid}-status`}>
        {state === "error" && error ? t("notes.failed", { reason: error.message }) : status}
      </p>
    </div>
  );
}

// Pieces every screen uses: the texts context, loading and error states, the light dot,
// a modal dialog, and `useAsync` for "load this from Rust and show it".
import { createContext, type ComponentChildren } from "preact";
import { useCallback, useContext, useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { Light } from "../format";
import type { Texts } from "../i18n";
import { toCommandError, type CommandError } from "../ipc";

export const TextsContext = createContext<Texts | null>(null);

export function useTexts(): Texts {
  const texts = useContext(TextsContext);
  if (!texts) throw new Error("TextsContext is missing");
  return texts;
}

export interface Async<T> {
  data: T | null;
  error: CommandError | null;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` when `deps` change; keeps the last data while reloading (no flashing). An
 * answer that arrives after a newer request started is dropped. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[], initial?: T | null): Async<T> {
  const [state, setState] = useState<{ data: T | null; error: CommandError | null; loading: boolean }>(() => ({
    data: initial ?? null,
    error: null,
    loading: initial == null,
  }));
  // data the caller already has is not loaded again until the deps change
  const given = useRef(initial != null);
  const seq = useRef(0);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (given.current) {
      given.current = false;
      return;
    }
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => mine === seq.current && setState({ data, error: null, loading: false }),
      (e: unknown) => mine === seq.current && setState((s) => ({ ...s, error: toCommandError(e), loading: false })),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

/** What went wrong in plain words, what to do next, and a way to try again. */
export function ErrorBanner(props: { error: CommandError; onRetry?: () => void; onClose?: () => void }) {
  const { t } = useTexts();
  const { error } = props;
  const message = error.code === "ipc" ? t("error.ipc") : error.message;
  return (
    <div class="banner error" role="alert" data-testid="error-banner" data-code={error.code}>
      <strong>{t("error.title")}</strong>
      <span class="message">{message}</span>
      <span class="code">({error.code})</span>
      <span class="grow" />
      {props.onRetry && (
        <button type="button" onClick={props.onRetry}>
          {t("error.retry")}
        </button>
      )}
      {props.onClose && (
        <button type="button" class="ghost" onClick={props.onClose} aria-label={t("common.close")}>
          ×
        </button>
      )}
    </div>
  );
}

export function Loading(props: { label?: string }) {
  const { t } = useTexts();
  return (
    <p class="loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {props.label ?? t("app.loading")}
    </p>
  );
}

export function LightDot(props: { light: Light | null; label?: boolean }) {
  const { t } = useTexts();
  if (!props.light) return <span class="muted">—</span>;
  return (
    <span class={`light-tag light-${props.light}`}>
      <span class={`dot light-${props.light}`} aria-hidden="true" />
      {props.label === false ? <span class="sr-only">{t(`light.${props.light}`)}</span> : t(`light.${props.light}`)}
    </span>
  );
}

/** A modal dialog: focus moves in, Escape closes, the page behind is inert. */
export function Modal(props: { title: string; onClose: () => void; children: ComponentChildren; testid?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const { t } = useTexts();
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>("select, input, button:not(.close)");
    (first ?? ref.current)?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") props.onClose();
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      before?.focus?.();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <div class="modal-backdrop" onClick={(e) => e.target === e.currentTarget && props.onClose()}>
      <div
        class="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="modal-title"
        ref={ref}
        tabIndex={-1}
        data-testid={props.testid}
      >
        <header>
          <h2 id="modal-title">{props.title}</h2>
          <button type="button" class="ghost close" onClick={props.onClose} aria-label={t("common.close")}>
            ×
          </button>
        </header>
        {props.children}
      </div>
    </div>
  );
}

/** What a confirmation asks: the action with its object ("Undo import of kunden.xlsx: 320
 * rows"), what it does, and the label of the button that does it. */
export interface ConfirmRequest {
  title: string;
  message: string;
  /** The button that does it, named as the action ("Undo import"). */
  confirm: string;
}

type Ask = (request: ConfirmRequest) => Promise<boolean>;
const ConfirmContext = createContext<Ask | null>(null);

/** `confirm(request)`: shows the in-page confirmation and resolves `true` only when the user
 * clicks its action; Cancel, Escape, a click beside it, or another confirmation resolve
 * `false`. Every destructive action asks through it (never `window.confirm`, which a plugin
 * may replace with something that does not wait). */
export function useConfirm(): Ask {
  const ask = useContext(ConfirmContext);
  if (!ask) throw new Error("ConfirmProvider is missing");
  return ask;
}

/** Holds the one confirmation that can be open at a time, for everything inside it. */
export function ConfirmProvider(props: { children: ComponentChildren }) {
  const [pending, setPending] = useState<{ request: ConfirmRequest; answer: (yes: boolean) => void } | null>(null);
  const current = useRef(pending);
  current.current = pending;
  const ask = useCallback<Ask>(
    (request) =>
      new Promise<boolean>((resolve) => {
        // a second question answers the first with "no"
        current.current?.answer(false);
        const entry = {
          request,
          answer: (yes: boolean) => {
            setPending((p) => (p === entry ? null : p));
            resolve(yes);
          },
        };
        current.current = entry;
        setPending(entry);
      }),
    [],
  );
  return (
    <ConfirmContext.Provider value={ask}>
      {props.children}
      {pending && <ConfirmDialog key={pending.request.title} request={pending.request} onAnswer={pending.answer} />}
    </ConfirmContext.Provider>
  );
}

/** The confirmation itself: focus starts on Cancel (Enter does not destroy by accident),
 * Tab stays between its two buttons, Escape and a click on the backdrop cancel, and focus
 * goes back where it was. */
export function ConfirmDialog(props: { request: ConfirmRequest; onAnswer: (yes: boolean) => void }) {
  const { t } = useTexts();
  const cancel = useRef<HTMLButtonElement>(null);
  const ok = useRef<HTMLButtonElement>(null);
  const answer = useRef(props.onAnswer);
  answer.current = props.onAnswer;
  // focused as soon as it is in the document, before the next key press can reach the page
  useLayoutEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    cancel.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        // the confirmation is answered, not a dialog beneath it
        e.preventDefault();
        e.stopPropagation();
        answer.current(false);
      } else if (e.key === "Tab") {
        e.preventDefault();
        (document.activeElement === cancel.current ? ok.current : cancel.current)?.focus();
      }
    };
    document.addEventListener("keydown", onKey, true);
    return () => {
      document.removeEventListener("keydown", onKey, true);
      before?.focus?.();
    };
  }, []);
  return (
    <div class="modal-backdrop confirm-backdrop" onClick={(e) => e.target === e.currentTarget && props.onAnswer(false)}>
      <div
        class="modal confirm"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="confirm-title"
        aria-describedby="confirm-message"
        data-testid="confirm-dialog"
      >
        <h2 id="confirm-title">{props.request.title}</h2>
        <p id="confirm-message">{props.request.message}</p>
        <div class="buttons end">
          <button type="button" ref={cancel} onClick={() => props.onAnswer(false)} data-testid="confirm-cancel">
            {t("common.cancel")}
          </button>
          <button type="button" ref={ok} class="danger" onClick={() => props.onAnswer(true)} data-testid="confirm-ok">
            {props.request.confirm}
          </button>
        </div>
      </div>
    </div>
  );
}

/** What was just undone (an import, the sample data), for the "Take back" notice. */
export interface Undone {
  /** What the notice says ("Import of kunden.xlsx undone."). */
  message: string;
  batchIds: number[];
}

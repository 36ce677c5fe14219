// Pieces every screen uses: the texts context, loading and error states, the light dot,
// a modal dialog, and `useAsync` for "load this from Rust and show it".
import { createContext, type ComponentChildren } from "preact";
import { useCallback, useContext, useEffect, useRef, useState } from "preact/hooks";
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

// Settings: score weights, thresholds, targets, method and peers, money, language, KPI
// targets. A change that moves scores (weights, lights, score targets, method, peers, the
// score check's horizon) is first tried out: the preview shows its effect, Apply saves it,
// Cancel leaves everything untouched. The others are saved (validated by the engine) and
// everything recomputes at once. Plus backup/restore.
import { useEffect, useRef, useState } from "preact/hooks";
import { ErrorBanner, LightDot, Loading, useConfirm, useTexts } from "../components/common";
import {
  applySettings,
  backupDatabase,
  previewSettings,
  type Preview,
  chooseBackup,
  resetSettings,
  restoreDatabase,
  setSetting,
  type CommandError,
  type SettingEntry,
} from "../ipc";
import { formatter, kpiLabel } from "../present";
import { changeList, formatAuc, formatLift, isPreviewed } from "../trust";
import { Profiles } from "./Profiles";

/** How a setting is shown: `percent` keys are stored as fractions (1 = 100 %). */
const PERCENT_KEYS = new Set(["gross_margin"]);

export function toShown(key: string, value: string): string {
  if (!PERCENT_KEYS.has(key)) return value;
  const n = Number(value);
  return Number.isFinite(n) ? String(Math.round(n * 100 * 1e6) / 1e6) : value;
}

export function toStored(key: string, shown: string): string {
  const text = shown.trim().replace(",", ".");
  if (!PERCENT_KEYS.has(key)) return text;
  const n = Number(text);
  return Number.isFinite(n) && text !== "" ? String(n / 100) : text;
}

export function Settings(props: {
  entries: SettingEntry[];
  onChanged: (entries: SettingEntry[]) => void;
  onRestored: () => void;
  /** Opens the About dialog (version, licenses). */
  onAbout?: () => void;
}) {
  const texts = useTexts();
  const { t, lang } = texts;
  const [error, setError] = useState<CommandError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ask = useConfirm();
  const byKey = new Map(props.entries.map((e) => [e.key, e]));
  // changes tried out but not saved (KEY → stored value); `generation` remounts the
  // inputs so that Cancel and Apply show the saved values again
  const [pending, setPending] = useState<Record<string, string>>({});
  const [generation, setGeneration] = useState(0);
  const saved = new Map(props.entries.map((e) => [e.key, e.value]));
  const changes = changeList(
    pending,
    saved,
    props.entries.map((e) => e.key),
  );
  const current = (key: string) => pending[key] ?? byKey.get(key)?.value ?? "";

  const save = async (key: string, shown: string) => {
    const entry = byKey.get(key);
    const value = toStored(key, shown);
    if (!entry) return;
    if (isPreviewed(key)) {
      setNotice(null);
      setPending((p) => {
        const next = { ...p };
        if (value === entry.value) delete next[key];
        else next[key] = value;
        return next;
      });
      return;
    }
    if (value === entry.value) return;
    try {
      const next = await setSetting(key, value, lang);
      setError(null);
      setNotice(t("settings.saved"));
      props.onChanged(next);
    } catch (e) {
      setError(e as CommandError);
    }
  };

  const field = (key: string, opts: { suffix?: string; type?: "number" | "text"; step?: string; label?: string } = {}) => {
    const e = byKey.get(key);
    if (!e) return null;
    const id = `setting-${key.replace(/\W/g, "-")}`;
    return (
      <div class={`field${key in pending ? " pending" : ""}`} key={`${key}=${e.value}#${generation}`}>
        <label for={id}>{opts.label ?? t(`settings.keys.${key.replace(/\./g, "_")}`)}</label>
        <span class="input-with-suffix">
          <input
            id={id}
            data-testid={id}
            type={opts.type ?? "number"}
            step={opts.step ?? "any"}
            inputMode={opts.type === "text" ? "text" : "decimal"}
            defaultValue={toShown(key, e.value)}
            onChange={(ev) => void save(key, ev.currentTarget.value)}
            onKeyDown={(ev) => ev.key === "Enter" && (ev.currentTarget as HTMLInputElement).blur()}
          />
          {opts.suffix && <span class="suffix">{opts.suffix}</span>}
        </span>
        {e.value !== e.default && (
          <span class="muted small">{t("settings.default", { value: toShown(key, e.default) })}</span>
        )}
      </div>
    );
  };

  const weights = ["usage", "adoption", "sentiment", "engagement", "satisfaction", "account_health"];
  const weightSum = weights.reduce((s, c) => s + Number(byKey.get(`weight.${c}`)?.value ?? 0), 0);
  const targets = props.entries.filter((e) => e.key.startsWith("kpi_target."));

  const reset = async () => {
    const changed = props.entries.filter((e) => e.value !== e.default).length;
    const yes = await ask({
      title: t("settings.resetConfirmTitle"),
      message: t("settings.resetConfirm", { count: changed }),
      confirm: t("settings.resetConfirmButton"),
    });
    if (!yes) return;
    try {
      props.onChanged(await resetSettings(lang));
      setPending({});
      setGeneration((g) => g + 1);
      setNotice(t("settings.resetDone"));
      setError(null);
    } catch (e) {
      setError(e as CommandError);
    }
  };

  const backup = async () => {
    setBusy(true);
    try {
      const path = await backupDatabase(lang);
      if (path) setNotice(t("settings.backupDone", { path }));
      setError(null);
    } catch (e) {
      setError(e as CommandError);
    } finally {
      setBusy(false);
    }
  };

  const restore = async () => {
    let file;
    try {
      file = await chooseBackup(lang);
    } catch (e) {
      setError(e as CommandError);
      return;
    }
    if (!file) return;
    const yes = await ask({
      title: t("settings.restoreConfirmTitle", { file: file.name }),
      message: t("settings.restoreConfirm"),
      confirm: t("settings.restoreConfirmButton"),
    });
    if (!yes) return;
    setBusy(true);
    try {
      const kept = await restoreDatabase(file, lang);
      setNotice(kept ? t("settings.restoreDone", { kept }) : t("settings.restoreDoneEmpty"));
      setError(null);
      props.onRestored();
    } catch (e) {
      setError(e as CommandError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="settings" aria-labelledby="settings-title">
      <div class="toolbar">
        <h2 id="settings-title">{t("settings.title")}</h2>
        <span class="grow" />
        <span class="muted small" role="status" aria-live="polite" data-testid="settings-status">
          {notice}
        </span>
        <button type="button" onClick={() => void reset()} data-testid="settings-reset">
          {t("settings.reset")}
        </button>
      </div>
      {error && <ErrorBanner error={error} onClose={() => setError(null)} />}
      {changes.length > 0 && (
        <PreviewPanel
          changes={changes}
          onApplied={(next) => {
            setPending({});
            setGeneration((g) => g + 1);
            setNotice(t("preview.applied"));
            props.onChanged(next);
          }}
          onCancel={() => {
            setPending({});
            setGeneration((g) => g + 1);
            setNotice(t("preview.cancelled"));
          }}
        />
      )}
      <div class="settings-grid">
        <fieldset class="card">
          <legend>{t("settings.weights")}</legend>
          <p class="muted small">{t("settings.weightsHint", { sum: weightSum })}</p>
          {weights.map((c) => field(`weight.${c}`, { label: t(`component.${c}`) }))}
        </fieldset>
        <fieldset class="card">
          <legend>{t("settings.lights")}</legend>
          {field("threshold.green")}
          {field("threshold.yellow")}
          {field("target.usage_days", { suffix: t("unit.days") })}
          {field("target.touchpoints")}
        </fieldset>
        <fieldset class="card">
          <legend>{t("settings.method")}</legend>
          <p class="muted small">{t("settings.methodHint")}</p>
          <div class={`field${"score.method" in pending ? " pending" : ""}`}>
            <label for="setting-score-method">{t("settings.keys.score_method")}</label>
            <select
              id="setting-score-method"
              data-testid="setting-score-method"
              value={current("score.method")}
              onChange={(e) => void save("score.method", e.currentTarget.value)}
            >
              <option value="targets">{t("settings.methodTargets")}</option>
              <option value="percentile">{t("settings.methodPercentile")}</option>
            </select>
          </div>
          <div class={`field${"score.peers" in pending ? " pending" : ""}`}>
            <label for="setting-score-peers">{t("settings.keys.score_peers")}</label>
            <select
              id="setting-score-peers"
              data-testid="setting-score-peers"
              value={current("score.peers")}
              disabled={current("score.method") !== "percentile"}
              onChange={(e) => void save("score.peers", e.currentTarget.value)}
            >
              <option value="all">{t("settings.peersAll")}</option>
              <option value="segment">{t("settings.peersSegment")}</option>
            </select>
          </div>
          {field("backtest.horizon", { step: "1", suffix: t("trust.monthsUnit") })}
          <p class="small">
            <a href="#/score-check" data-testid="settings-score-check">
              {t("trust.open")}
            </a>
          </p>
        </fieldset>
        <fieldset class="card">
          <legend>{t("settings.money")}</legend>
          {field("currency", { type: "text" })}
          {field("gross_margin", { suffix: "%" })}
          {field("lifetime_years", { suffix: t("settings.years") })}
          {field("company_name", { type: "text" })}
        </fieldset>
        <fieldset class="card">
          <legend>{t("settings.language")}</legend>
          <div class="field">
            <label for="setting-language">{t("settings.keys.language")}</label>
            <select
              id="setting-language"
              data-testid="setting-language"
              value={byKey.get("language")?.value ?? "auto"}
              onChange={(e) => void save("language", e.currentTarget.value)}
            >
              <option value="auto">{t("settings.langAuto")}</option>
              <option value="de">Deutsch</option>
              <option value="en">English</option>
            </select>
          </div>
          <h3>{t("settings.data")}</h3>
          <p class="muted small">{t("settings.backupHint")}</p>
          <div class="buttons">
            <button type="button" disabled={busy} onClick={() => void backup()} data-testid="backup">
              {t("settings.backup")}
            </button>
            <button type="button" disabled={busy} onClick={() => void restore()} data-testid="restore">
              {t("settings.restore")}
            </button>
          </div>
          {props.onAbout && (
            <p>
              <button type="button" class="link" onClick={props.onAbout} data-testid="open-about">
                {t("about.open")}
              </button>
            </p>
          )}
        </fieldset>
        <fieldset class="card wide">
          <legend>{t("settings.targets")}</legend>
          <p class="muted small">{t("settings.targetsHint")}</p>
          <div class="target-grid">
            {targets.map((e) => {
              const id = e.key.slice("kpi_target.".length);
              const dir = e.direction === "lower" ? t("settings.atMost") : t("settings.atLeast");
              return field(e.key, { label: `${kpiLabel(id, texts)} (${dir})` });
            })}
          </div>
        </fieldset>
        <Profiles />
      </div>
    </section>
  );
}

/** What the pending changes would do: company score, AUC and lift before → after, the
 * accounts changing light (counts and list); Apply saves them all, Cancel forgets them. */
function PreviewPanel(props: {
  changes: string[];
  onApplied: (entries: SettingEntry[]) => void;
  onCancel: () => void;
}) {
  const texts = useTexts();
  const { t, lang } = texts;
  const [preview, setPreview] = useState<Preview | null | undefined>(undefined);
  const [error, setError] = useState<CommandError | null>(null);
  const [applying, setApplying] = useState(false);
  const seq = useRef(0);
  const key = props.changes.join("\n");
  useEffect(() => {
    const mine = ++seq.current;
    setPreview(undefined);
    setError(null);
    // typing in a field sends one question, not one per key stroke
    const timer = setTimeout(() => {
      previewSettings(props.changes, null, lang).then(
        (p) => mine === seq.current && setPreview(p),
        (e: unknown) => mine === seq.current && setError(e as CommandError),
      );
    }, 250);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, lang]);
  const apply = async () => {
    setApplying(true);
    try {
      props.onApplied(await applySettings(props.changes, lang));
    } catch (e) {
      setError(e as CommandError);
    } finally {
      setApplying(false);
    }
  };
  const fmt = formatter(texts, "EUR");
  const score = (v: number | null) => (v === null ? "—" : fmt(v, "score"));
  const auc = (v: number | null) => (v === null ? "—" : formatAuc(v, texts));
  const lift = (v: number | null) => (v === null ? "—" : `${formatLift(v, texts)}\u00a0×`);
  const light = (l: string | null) => (l === null ? t("preview.notScored") : t(`light.${l}`));
  const shown = 50;
  return (
    <section class="card preview" aria-labelledby="preview-title" data-testid="preview">
      <header class="card-head">
        <h2 id="preview-title">{t("preview.title")}</h2>
        <span class="muted small">{t("preview.pending", { count: props.changes.length })}</span>
      </header>
      {error && <ErrorBanner error={error} />}
      {preview === undefined && !error && <Loading label={t("preview.computing")} />}
      {preview === null && <p class="muted">{t("preview.noData")}</p>}
      {preview && (
        <div class="preview-body">
          <table class="before-after" data-testid="preview-figures">
            <thead>
              <tr>
                <th scope="col">{t("preview.what")}</th>
                <th scope="col" class="num">{t("preview.before")}</th>
                <th scope="col" class="num">{t("preview.after")}</th>
              </tr>
            </thead>
            <tbody>
              <tr data-testid="preview-score">
                <th scope="row">{t("preview.score")}</th>
                <td class="num">{score(preview.cs_score.before)}</td>
                <td class="num">{score(preview.cs_score.after)}</td>
              </tr>
              <tr data-testid="preview-auc">
                <th scope="row">{t("preview.auc")}</th>
                <td class="num">{auc(preview.auc.before)}</td>
                <td class="num">{auc(preview.auc.after)}</td>
              </tr>
              <tr data-testid="preview-lift">
                <th scope="row">{t("preview.lift")}</th>
                <td class="num">{lift(preview.lift.before)}</td>
                <td class="num">{lift(preview.lift.after)}</td>
              </tr>
            </tbody>
          </table>
          <div class="preview-moves" data-testid="preview-moves">
            <h3>{t("preview.moves")}</h3>
            {preview.moves.length === 0 ? (
              <p class="muted">{t("preview.noMoves")}</p>
            ) : (
              <>
                <ul>
                  {preview.moves.map((m) => (
                    <li key={`${m.before}-${m.after}`}>
                      {t("preview.move", { count: m.count, from: light(m.before), to: light(m.after) })}
                    </li>
                  ))}
                </ul>
                <table class="preview-changes" data-testid="preview-changes">
                  <thead>
                    <tr>
                      <th scope="col">{t("preview.account")}</th>
                      <th scope="col">{t("preview.before")}</th>
                      <th scope="col">{t("preview.after")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {preview.changes.slice(0, shown).map((c) => (
                      <tr key={c.account_id}>
                        <th scope="row">{c.name ?? c.account_id}</th>
                        <td>
                          <LightDot light={c.before} /> <span class="muted small">{score(c.score_before)}</span>
                        </td>
                        <td>
                          <LightDot light={c.after} /> <span class="muted small">{score(c.score_after)}</span>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {preview.changes.length > shown && (
                  <p class="muted small">{t("preview.more", { count: preview.changes.length - shown })}</p>
                )}
              </>
            )}
          </div>
        </div>
      )}
      <div class="buttons end">
        <button type="button" onClick={props.onCancel} data-testid="preview-cancel">
          {t("preview.cancel")}
        </button>
        <button
          type="button"
          class="primary"
          disabled={applying || error !== null || preview === undefined}
          onClick={() => void apply()}
          data-testid="preview-apply"
        >
          {t("preview.apply")}
        </button>
      </div>
    </section>
  );
}

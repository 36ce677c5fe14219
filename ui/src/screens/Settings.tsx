// Settings: score weights, thresholds, targets, money, language, KPI targets; each change is
// saved (validated by the engine) and everything recomputes at once. Plus backup/restore.
import { useState } from "preact/hooks";
import { ErrorBanner, useConfirm, useTexts } from "../components/common";
import {
  backupDatabase,
  chooseBackup,
  resetSettings,
  restoreDatabase,
  setSetting,
  type CommandError,
  type SettingEntry,
} from "../ipc";
import { kpiLabel } from "../present";
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

  const save = async (key: string, shown: string) => {
    const entry = byKey.get(key);
    const value = toStored(key, shown);
    if (!entry || value === entry.value) return;
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
      <div class="field" key={`${key}=${e.value}`}>
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

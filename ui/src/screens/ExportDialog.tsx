// The board report: month and language, then where to save; the same workbook as
// `cspulse report`.
import { useState } from "preact/hooks";
import { formatMonth } from "../format";
import { ErrorBanner, Modal, useTexts } from "../components/common";
import { exportReport, type CommandError, type Written } from "../ipc";

export function ExportDialog(props: { months: string[]; month: string | null; onClose: () => void }) {
  const texts = useTexts();
  const { t } = texts;
  const newest = [...props.months].sort().reverse();
  const [month, setMonth] = useState(props.month ?? newest[0] ?? "");
  const [reportLang, setReportLang] = useState<string>(texts.lang);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CommandError | null>(null);
  const [done, setDone] = useState<Written | null>(null);

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      // Rust asks where to save (native dialog); null: the user cancelled it
      setDone(await exportReport(month || null, reportLang, texts.lang));
    } catch (e) {
      setError(e as CommandError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={t("export.title")} onClose={props.onClose} testid="export-dialog">
      {done ? (
        <div class="export-done" data-testid="export-done">
          <p>{t("export.done", { count: done.sheets.length })}</p>
          <p class="path">{done.file}</p>
          <div class="buttons end">
            <button type="button" class="primary" onClick={props.onClose}>
              {t("common.close")}
            </button>
          </div>
        </div>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run();
          }}
        >
          <p class="muted">{t("export.intro")}</p>
          <div class="field">
            <label for="export-month">{t("app.month")}</label>
            <select id="export-month" value={month} onChange={(e) => setMonth(e.currentTarget.value)}>
              {newest.map((m) => (
                <option key={m} value={m}>
                  {formatMonth(m, texts.locale)}
                </option>
              ))}
            </select>
          </div>
          <fieldset class="field inline">
            <legend>{t("export.lang")}</legend>
            {(["de", "en"] as const).map((l) => (
              <label key={l} class="check">
                <input type="radio" name="report-lang" value={l} checked={reportLang === l} onChange={() => setReportLang(l)} />
                <span>{l === "de" ? "Deutsch" : "English"}</span>
              </label>
            ))}
          </fieldset>
          {error && <ErrorBanner error={error} />}
          <div class="buttons end">
            <button type="button" onClick={props.onClose}>
              {t("common.cancel")}
            </button>
            <button type="submit" class="primary" disabled={busy || !month} data-testid="export-save">
              {busy ? t("export.busy") : t("export.save")}
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}

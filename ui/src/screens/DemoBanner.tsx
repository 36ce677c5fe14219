// First run: the sample company is announced, with the way to one's own data and a
// one-click way to clear the sample.
import { useState } from "preact/hooks";
import { numberFormat } from "../format";
import { ErrorBanner, useConfirm, useTexts, type Undone } from "../components/common";
import { clearDemo, listBatches, type CommandError } from "../ipc";

export function DemoBanner(props: { onCleared: (undone: Undone) => void }) {
  const texts = useTexts();
  const { t, lang } = texts;
  const [error, setError] = useState<CommandError | null>(null);
  const [busy, setBusy] = useState(false);
  const ask = useConfirm();
  const clear = async () => {
    let demo;
    try {
      demo = (await listBatches(lang)).filter((b) => b.source === "demo");
    } catch (e) {
      setError(e as CommandError);
      return;
    }
    const rows = demo.reduce((n, b) => n + b.rows_imported, 0);
    const yes = await ask({
      title: t("demo.clearConfirmTitle", {
        count: demo.length,
        rows: numberFormat(texts.locale).format(rows),
      }),
      message: t("demo.clearConfirm"),
      confirm: t("demo.clear"),
    });
    if (!yes) return;
    setBusy(true);
    try {
      const batchIds = await clearDemo(lang);
      props.onCleared({ message: t("undone.demo"), batchIds });
    } catch (e) {
      setError(e as CommandError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <div class="banner demo" role="note" data-testid="demo-banner">
        <strong>{t("app.demo")}</strong>
        <span>{t("app.demoDetail")}</span>
        <span class="grow" />
        <a class="button primary" href="#/import">
          {t("demo.import")}
        </a>
        <button type="button" disabled={busy} onClick={() => void clear()} data-testid="clear-demo">
          {t("demo.clear")}
        </button>
      </div>
      {error && <ErrorBanner error={error} onClose={() => setError(null)} />}
    </>
  );
}

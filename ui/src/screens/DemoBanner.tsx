// First run: the sample company is announced, with the way to one's own data and a
// one-click way to clear the sample.
import { useState } from "preact/hooks";
import { ErrorBanner, useTexts } from "../components/common";
import { clearDemo, type CommandError } from "../ipc";

export function DemoBanner(props: { onCleared: () => void }) {
  const { t, lang } = useTexts();
  const [error, setError] = useState<CommandError | null>(null);
  const [busy, setBusy] = useState(false);
  const clear = async () => {
    if (!window.confirm(t("demo.clearConfirm"))) return;
    setBusy(true);
    try {
      await clearDemo(lang);
      props.onCleared();
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

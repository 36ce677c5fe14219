// The first window's controller: fetch, render, re-render on a month change.
import type { Texts } from "./i18n";
import { getDashboard, toCommandError } from "./ipc";
import { renderDashboard, renderError, renderLoading } from "./view/dashboard";

/** Loads and shows the dashboard of `month` (the latest when null); errors become a banner. */
export async function start(root: HTMLElement, texts: Texts): Promise<void> {
  let cleanup = () => {};
  const show = async (month: string | null): Promise<void> => {
    cleanup();
    cleanup = () => {};
    if (!root.hasChildNodes()) renderLoading(root, texts);
    try {
      const dashboard = await getDashboard(month, texts.lang);
      cleanup = renderDashboard(root, dashboard, texts, { onMonth: (m) => void show(m) });
      if (month) document.getElementById("month")?.focus();
    } catch (e) {
      renderError(root, toCommandError(e), texts, () => void show(month));
    }
  };
  await show(null);
}

// The first window: demo banner, company CS score, traffic-light split, KPIs by group.
import type { Texts } from "../i18n";
import type { CommandError, Dashboard } from "../ipc";
import { formatMonth } from "../format";
import { groupKpis } from "../kpis";
import { describeKpi, describeScore, splitRows } from "../present";
import { mountSplitChart } from "./chart";
import { h } from "./dom";

export interface DashboardActions {
  /** The user picked another month. */
  onMonth: (month: string) => void;
}

function monthPicker(d: Dashboard, texts: Texts, actions: DashboardActions): HTMLElement | null {
  if (d.months.length === 0) return null;
  const select = h("select", { id: "month", "aria-label": texts.t("app.month") });
  // Newest first: the month a user most likely wants next to the current one.
  for (const m of [...d.months].sort().reverse()) {
    select.append(h("option", { value: m, selected: m === d.month }, formatMonth(m, texts.locale)));
  }
  select.addEventListener("change", () => actions.onMonth(select.value));
  return h("label", { class: "month-picker" }, h("span", {}, texts.t("app.month")), select);
}

function scoreCard(d: Dashboard, texts: Texts): HTMLElement {
  const s = describeScore(d, texts);
  return h(
    "section",
    { class: `card score ${s.light ? `light-${s.light}` : "light-none"}`, "aria-labelledby": "score-title" },
    h("h2", { id: "score-title" }, texts.t("score.title")),
    h(
      "p",
      { class: "score-line" },
      h("span", { class: "score-value", "data-testid": "cs-score" }, s.value),
      d.cs_score !== null && h("span", { class: "score-of" }, texts.t("score.of")),
    ),
    s.lightLabel
      ? h("p", { class: "light-pill" }, h("span", { class: "dot", "aria-hidden": "true" }), s.lightLabel)
      : h("p", { class: "muted" }, texts.t("score.none")),
    h("p", { class: "muted" }, s.accounts),
    s.unweighted && h("p", { class: "muted small", title: texts.t("score.weightedHint") }, s.unweighted),
  );
}

function splitCard(d: Dashboard, texts: Texts, cleanups: (() => void)[]): HTMLElement {
  const rows = splitRows(d, texts);
  const chart = h("div", { class: "chart", role: "img", "aria-label": texts.t("split.chartLabel") });
  const table = h(
    "table",
    { class: "split-table" },
    h(
      "thead",
      {},
      h("tr", {}, h("th", { scope: "col" }, ""), h("th", { scope: "col" }, texts.t("split.accounts")), h("th", { scope: "col" }, texts.t("split.mrr"))),
    ),
    h(
      "tbody",
      {},
      ...rows.map((r) =>
        h(
          "tr",
          { "data-testid": `split-${r.light}` },
          h("th", { scope: "row" }, h("span", { class: `dot light-${r.light}`, "aria-hidden": "true" }), r.label),
          h("td", {}, r.accounts),
          h("td", {}, r.mrr),
        ),
      ),
    ),
  );
  const card = h("section", { class: "card split", "aria-labelledby": "split-title" }, h("h2", { id: "split-title" }, texts.t("split.title")), chart, table);
  // The chart is decoration over the table: if it cannot draw, the numbers are still there.
  queueMicrotask(() => {
    try {
      cleanups.push(
        mountSplitChart(chart, d.split, {
          accounts: texts.t("split.accounts"),
          mrr: texts.t("split.mrr"),
          light: { green: texts.t("light.green"), yellow: texts.t("light.yellow"), red: texts.t("light.red") },
          ariaLabel: texts.t("split.chartLabel"),
          tooltip: (light, bar) => {
            const row = rows.find((r) => r.light === light);
            return `${row?.label ?? light}: ${bar === "mrr" ? row?.mrr : row?.accounts}`;
          },
        }),
      );
    } catch (e) {
      console.warn("chart unavailable", e);
      chart.remove();
    }
  });
  return card;
}

function kpiSection(d: Dashboard, texts: Texts): HTMLElement {
  const groups = groupKpis(d.kpis).map(({ group, kpis }) =>
    h(
      "section",
      { class: "card kpi-group", "aria-labelledby": `group-${group}` },
      h("h3", { id: `group-${group}` }, texts.t(`group.${group}`)),
      h(
        "dl",
        {},
        ...kpis.map((kpi) => {
          const k = describeKpi(kpi, texts, d.currency);
          // undefined: "—" with a tooltip (hover and keyboard focus); no_data: the import it needs, in plain sight.
          const value =
            kpi.status === "undefined"
              ? h("dd", { class: "value", tabindex: 0, "aria-label": `${k.value} ${k.hint}`, "data-tip": k.hint }, k.value)
              : h("dd", { class: "value" }, k.value);
          return h(
            "div",
            { class: `kpi ${kpi.status}`, "data-testid": `kpi-${kpi.id}` },
            h("dt", {}, k.label),
            value,
            kpi.status === "no_data" && h("dd", { class: "need" }, k.hint),
          );
        }),
      ),
    ),
  );
  const month = d.month ? formatMonth(d.month, texts.locale) : "";
  return h(
    "section",
    { class: "kpis", "aria-labelledby": "kpis-title" },
    h("h2", { id: "kpis-title" }, texts.t("kpi.title", { month })),
    h("div", { class: "kpi-grid" }, ...groups),
  );
}

/** Replaces `root`'s content with the dashboard; returns a cleanup for the next render. */
export function renderDashboard(root: HTMLElement, d: Dashboard, texts: Texts, actions: DashboardActions): () => void {
  const cleanups: (() => void)[] = [];
  root.replaceChildren(
    shell(
      texts,
      monthPicker(d, texts, actions),
      d.is_demo &&
        h(
          "div",
          { class: "banner demo", role: "note", "data-testid": "demo-banner" },
          h("strong", {}, texts.t("app.demo")),
          h("span", {}, texts.t("app.demoDetail")),
        ),
      h("div", { class: "summary" }, scoreCard(d, texts), splitCard(d, texts, cleanups)),
      kpiSection(d, texts),
    ),
  );
  return () => cleanups.forEach((c) => c());
}

export function renderLoading(root: HTMLElement, texts: Texts): void {
  root.replaceChildren(shell(texts, null, h("p", { class: "loading", role: "status" }, texts.t("app.loading"))));
}

/** A plain-language message instead of a blank window, with a way to try again. */
export function renderError(root: HTMLElement, error: CommandError, texts: Texts, retry: () => void): void {
  const message = error.code === "ipc" ? texts.t("error.ipc") : error.message;
  const button = h("button", { type: "button" }, texts.t("error.retry"));
  button.addEventListener("click", retry);
  root.replaceChildren(
    shell(
      texts,
      null,
      h(
        "div",
        { class: "banner error", role: "alert", "data-testid": "error-banner" },
        h("strong", {}, texts.t("error.title")),
        h("span", {}, message),
        h("code", { class: "code" }, error.code),
        button,
      ),
    ),
  );
  button.focus();
}

function shell(texts: Texts, tools: HTMLElement | null, ...content: (HTMLElement | false | null)[]): HTMLElement {
  const logo = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  logo.setAttribute("viewBox", "0 0 32 32");
  logo.setAttribute("aria-hidden", "true");
  logo.setAttribute("class", "logo");
  logo.innerHTML =
    '<rect x="1" y="1" width="30" height="30" rx="7" fill="#17607a"/>' +
    '<polyline points="5,17 11,17 13,12 16,22 19,9 21,17 26,17" fill="none" stroke="#fff" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round"/>';
  return h(
    "div",
    { class: "layout" },
    h("header", { class: "topbar" }, h("div", { class: "brand" }, logo, h("h1", {}, texts.t("app.title"))), tools),
    h("main", { id: "main", tabindex: -1 }, ...content),
  );
}

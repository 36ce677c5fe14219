// The dashboard's breakdown (insights.md §1): a switch by segment / owner / plan / region
// and a compact table, groups as rows (accounts, MRR and its movements, churn, NDR, GRR,
// NPS, CSAT, tickets, stickiness, CS score, health split, MRR at risk), sortable, each cell
// with its light where the KPI has a target; a group's name opens its accounts.
//
// The dashboard asks for the breakdown (`useBreakdown`) and hands it to this card and to the
// KPI cards, whose "by segment" bars show the same groups.
import { useMemo, useState } from "preact/hooks";
import { BREAKDOWN_COLUMNS, columnValue, groupKpi, sortBreakdown, type BreakdownColumn } from "../board";
import { ErrorBanner, useAsync, useTexts, type Async } from "../components/common";
import { getBreakdown, type BreakdownAnswer, type BreakdownGroup, type Dim, type GroupFilter } from "../ipc";
import { unitOf } from "../kpis";
import { formatter, kpiLabel } from "../present";

/** The month's breakdown by the dimension the user chose (the first one offered until then). */
export function useBreakdown(month: string | null, version: number, lang: string) {
  const [by, setBy] = useState<Dim | null>(null);
  const state = useAsync<BreakdownAnswer | null>(
    () => (month === null ? Promise.resolve(null) : getBreakdown(month, by, lang)),
    [month, by, lang, version],
  );
  return { state, setBy };
}

export function BreakdownCard(props: {
  state: Async<BreakdownAnswer | null>;
  onBy: (d: Dim) => void;
  currency: string;
  onGroup: (g: GroupFilter) => void;
}) {
  const texts = useTexts();
  const { t } = texts;
  const { state, onBy: setBy } = props;
  const [sort, setSort] = useState<{ col: BreakdownColumn | null; desc: boolean }>({ col: null, desc: true });
  const answer = state.data;
  const rows = useMemo(() => (answer ? sortBreakdown(answer, sort.col, sort.desc) : []), [answer, sort]);
  const fmt = formatter(texts, props.currency);
  const shownBy = answer?.breakdown?.by ?? null;

  const header = (col: BreakdownColumn) => {
    const active = sort.col === col;
    const label = t(`breakdown.col.${col}`);
    const full = col === "accounts" ? t("breakdown.accountsFull") : col === "health" ? t("breakdown.healthFull") : kpiLabel(col, texts);
    return (
      <th scope="col" key={col} class="num" aria-sort={active ? (sort.desc ? "descending" : "ascending") : "none"}>
        <button
          type="button"
          class="sort"
          title={full}
          data-testid={`bd-sort-${col}`}
          onClick={() => setSort({ col, desc: active ? !sort.desc : true })}
        >
          {label}
          <span aria-hidden="true">{active ? (sort.desc ? " ▼" : " ▲") : ""}</span>
        </button>
      </th>
    );
  };

  const cell = (g: BreakdownGroup, targets: Record<string, string | undefined>, col: BreakdownColumn) => {
    if (col === "accounts") return <td key={col} class="num">{fmt(g.accounts, "count")}</td>;
    if (col === "health") {
      const parts = (["green", "yellow", "red"] as const).map((l) => groupKpi(g, `health_${l}`));
      if (parts.every((p) => p === null)) return <td key={col} class="num muted">—</td>;
      return (
        <td key={col} class="num health-split" title={t("breakdown.healthFull")}>
          {(["green", "yellow", "red"] as const).map((l, i) => (
            <span key={l} class="hs">
              <span class={`dot light-${l}`} aria-hidden="true" />
              <span class="sr-only">{t(`light.${l}`)} </span>
              {parts[i] === null ? "—" : fmt(parts[i] as number, "count")}
            </span>
          ))}
        </td>
      );
    }
    const v = columnValue(g, col);
    const status = targets[col];
    return (
      <td key={col} class={`num${status ? ` status-${status}` : ""}`} data-status={status}>
        {status && <span class={`dot target-${status}`} aria-hidden="true" />}
        {v === null ? "—" : fmt(v, unitOf(col))}
        {status && <span class="sr-only"> ({t(`target.${status}`)})</span>}
      </td>
    );
  };

  return (
    <section class="card breakdown" aria-labelledby="breakdown-title" data-testid="breakdown">
      <header class="card-head">
        <h2 id="breakdown-title">{t("breakdown.title")}</h2>
        {answer && answer.offered.length > 0 && (
          <div class="segmented" role="group" aria-label={t("breakdown.by")}>
            {answer.offered.map((d) => (
              <button
                type="button"
                key={d}
                aria-pressed={shownBy === d}
                onClick={() => setBy(d)}
                data-testid={`bd-by-${d}`}
              >
                {t(`breakdown.dim.${d}`)}
              </button>
            ))}
          </div>
        )}
      </header>
      {state.error && <ErrorBanner error={state.error} onRetry={state.reload} />}
      {answer && !answer.breakdown && <p class="muted">{t("breakdown.none")}</p>}
      {answer?.breakdown && (
        <div class="table-scroll">
          <table class="breakdown-table" data-testid="breakdown-table">
            <thead>
              <tr>
                <th scope="col">{t(`breakdown.dim.${answer.breakdown.by}`)}</th>
                {BREAKDOWN_COLUMNS.map(header)}
              </tr>
            </thead>
            <tbody>
              {rows.map(({ group: g, targets }) => (
                <tr key={`${g.kind}:${g.key}`} data-testid="bd-row">
                  <th scope="row">
                    <button
                      type="button"
                      class="link"
                      title={t("breakdown.open", { group: g.key })}
                      onClick={() => props.onGroup({ by: answer.breakdown!.by, kind: g.kind, key: g.key })}
                      data-testid="bd-group"
                    >
                      {g.key}
                    </button>
                  </th>
                  {BREAKDOWN_COLUMNS.map((c) => cell(g, targets, c))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {answer?.breakdown && <p class="muted small">{t("breakdown.hint")}</p>}
    </section>
  );
}

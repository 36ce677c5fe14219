// "Does the score work?" (insights.md §2): the backtest of a month on this company's own
// history. Churn rate by light as bars with counts, lift and AUC in plain words, each
// component's AUC, both scoring methods side by side, a horizon switch (1–12 months, not
// saved), and what an `insufficient` backtest is missing.
import { useState } from "preact/hooks";
import { ErrorBanner, Loading, useAsync, useTexts } from "../components/common";
import { formatMonth } from "../format";
import { getBacktest, type Backtest } from "../ipc";
import {
  COMPONENTS,
  aucWords,
  churnBars,
  formatAuc,
  formatRate,
  liftWords,
  missingWords,
  observedWords,
  verdict,
} from "../trust";

export function ScoreCheck(props: { month: string | null; version: number }) {
  const { t, lang } = useTexts();
  // null: the setting backtest.horizon
  const [horizon, setHorizon] = useState<number | null>(null);
  const state = useAsync(() => getBacktest(props.month, horizon, lang), [props.month, horizon, props.version, lang]);
  const b = state.data;
  return (
    <section class="score-check" aria-labelledby="score-check-title" data-testid="score-check">
      <div class="toolbar">
        <h2 id="score-check-title">{t("trust.title")}</h2>
        <span class="grow" />
        <label class="horizon">
          <span>{t("trust.horizon")}</span>
          <select
            data-testid="horizon"
            value={String(horizon ?? b?.horizon ?? 3)}
            onChange={(e) => setHorizon(Number(e.currentTarget.value))}
          >
            {Array.from({ length: 12 }, (_, i) => i + 1).map((h) => (
              <option key={h} value={String(h)}>
                {t("trust.months", { count: h })}
              </option>
            ))}
          </select>
        </label>
      </div>
      {state.error && <ErrorBanner error={state.error} onRetry={state.reload} />}
      {state.loading && <Loading />}
      {!state.loading && !state.error && b === null && (
        <p class="card muted" data-testid="score-check-none">
          {t("trust.none")}
        </p>
      )}
      {b && <BacktestView b={b} />}
    </section>
  );
}

function BacktestView({ b }: { b: Backtest }) {
  const texts = useTexts();
  const { t } = texts;
  const observed = observedWords(b, texts);
  const missing = missingWords(b, texts);
  const lift = liftWords(b, texts);
  const auc = aucWords(b, texts);
  return (
    <>
      <p class="muted">
        {formatMonth(b.month, texts.locale)} · {t("trust.intro", { count: b.horizon })}
      </p>
      {observed ? (
        <p data-testid="observed">{observed}</p>
      ) : (
        <p class="muted" data-testid="observed">
          {t("trust.noMonths", { count: b.horizon })}
        </p>
      )}
      {missing && (
        <div class="banner notice-warn" role="status" data-testid="insufficient">
          {missing}
        </div>
      )}
      <div class="trust-grid">
        <section class="card" aria-labelledby="churn-title" data-testid="churn-by-light">
          <h2 id="churn-title">{t("trust.churnTitle")}</h2>
          <ul class="churn-bars" aria-label={t("trust.churnLabel")}>
            {churnBars(b).map((bar) => (
              <li key={bar.light} data-testid={`churn-${bar.light}`}>
                <span class="churn-light">
                  <span class={`dot light-${bar.light}`} aria-hidden="true" />
                  {t(`light.${bar.light}`)}
                </span>
                <span class="churn-track">
                  <span class={`churn-fill light-${bar.light}`} style={{ width: `${bar.width}%` }} />
                </span>
                <span class="churn-rate num">{bar.rate === null ? "—" : formatRate(bar.rate, texts)}</span>
                <span class="churn-count muted small">
                  {bar.observations === 0
                    ? t("trust.noObservations")
                    : t("trust.churnRow", { churned: bar.churned, observations: bar.observations })}
                </span>
              </li>
            ))}
          </ul>
          {lift && (
            <p class="trust-words" data-testid="lift">
              {lift}
            </p>
          )}
        </section>
        <section class="card" aria-labelledby="auc-title" data-testid="auc-card">
          <h2 id="auc-title">{t("trust.chance")}</h2>
          {b.auc !== null && b.status === "ok" && (
            <p class={`auc-value verdict-${verdict(b.auc)}`}>
              <strong>{formatAuc(b.auc, texts)}</strong> <span>{t(`trust.verdict.${verdict(b.auc)}`)}</span>
            </p>
          )}
          {auc && (
            <p class="trust-words" data-testid="auc">
              {auc}
            </p>
          )}
          {b.auc_by_method && (
            <>
              <h3>{t("trust.methodsTitle")}</h3>
              <p class="small" data-testid="methods">
                {t("trust.methods", {
                  targets: b.auc_by_method.targets === null ? "—" : formatAuc(b.auc_by_method.targets, texts),
                  percentile: b.auc_by_method.percentile === null ? "—" : formatAuc(b.auc_by_method.percentile, texts),
                })}
              </p>
            </>
          )}
        </section>
      </div>
      <section class="card" aria-labelledby="components-title">
        <h2 id="components-title">{t("trust.componentsTitle")}</h2>
        <p class="muted small">{t("trust.componentsHint")}</p>
        <table class="parts" data-testid="component-aucs">
          <thead>
            <tr>
              <th scope="col">{t("explain.component")}</th>
              <th scope="col" class="num">
                {t("trust.chance")}
              </th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {COMPONENTS.map((c) => {
              const v = b.components[c];
              return (
                <tr key={c} data-testid={`auc-${c}`}>
                  <th scope="row">{t(`component.${c}`)}</th>
                  <td class="num">
                    {v === null ? "—" : <span class="bar" style={{ "--w": `${v * 100}%` }}>{formatAuc(v, texts)}</span>}
                  </td>
                  <td class="muted">
                    {v === null
                      ? b.status === "insufficient"
                        ? ""
                        : t("trust.componentNone")
                      : t(`trust.verdict.${verdict(v)}`)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </>
  );
}

// One account's score, explained: each component with its raw input, weight, share and
// points, the component whose improvement lifts the score most, and 12 months of history.
import { useMemo } from "preact/hooks";
import { formatMonth } from "../format";
import type { Explanation, Part } from "../ipc";
import { formatter } from "../present";
import { EChart, scoreHistoryOption } from "../components/charts";
import { LightDot, useAsync, useTexts } from "../components/common";
import { NoteField } from "../components/notes";
import { getNotes, linkBook } from "../ipc";
import type { Texts } from "../i18n";
import { formatShare } from "../trust";

/** The raw input behind a component in words ("12 of 20 active days"). */
export function rawInput(part: Part, e: Explanation, texts: Texts): string {
  const { t } = texts;
  const inp = e.account.inputs;
  const fmt = formatter(texts, e.currency);
  const n = (v: number) => fmt(v, "count");
  switch (part.component) {
    case "usage":
      return inp.active_days === null ? "" : t("explain.usage", { days: n(inp.active_days), target: n(e.target_usage_days) });
    case "adoption":
      return inp.users === null || inp.seats === null
        ? ""
        : t("explain.adoption", { users: n(inp.users), seats: n(inp.seats) });
    case "sentiment":
      return inp.nps === null ? "" : t("explain.sentiment", { nps: fmt(inp.nps, "nps"), count: inp.nps_responses });
    case "engagement":
      return inp.touchpoints_90d === null
        ? ""
        : t("explain.engagement", { count: inp.touchpoints_90d, target: n(e.target_touchpoints) });
    case "satisfaction":
      return inp.csat_responses > 0
        ? t("explain.csat", { count: inp.csat_responses })
        : t("explain.ces", { count: inp.ces_responses });
    case "account_health":
      return inp.mrr === null || inp.mrr_base === null || inp.mrr_base_month === null
        ? ""
        : t("explain.health", {
            now: fmt(inp.mrr, "money"),
            base: fmt(inp.mrr_base, "money"),
            month: formatMonth(inp.mrr_base_month, texts.locale),
          });
  }
}

export function AccountPage(props: { data: Explanation; onBack: () => void }) {
  const texts = useTexts();
  const { t } = texts;
  const e = props.data;
  const a = e.account;
  const fmt = formatter(texts, e.currency);
  const score = (v: number | null) => (v === null ? "—" : fmt(v, "score"));
  const history = useMemo(
    () =>
      scoreHistoryOption(
        e.history.map((p) => formatMonth(p.month, texts.locale)),
        e.history.map((p) => (p.score === null ? null : Math.round(p.score * 10) / 10)),
        { green: e.threshold_green, yellow: e.threshold_yellow },
      ),
    [e],
  );
  const best = e.parts.find((p) => p.component === e.best);
  const actionKey = `account:${a.account_id}`;
  const notes = useAsync(() => getNotes(e.month, texts.lang).then((n) => n ?? []), [e.month, a.account_id]);
  // what other files call the account (domain, other tools' ids, values the user linked)
  const book = useAsync(() => linkBook(texts.lang), [a.account_id]);
  const links = book.data?.accounts?.find((l) => l.account_id === a.account_id);
  const otherNames = links ? [...(links.domain ? [links.domain] : []), ...links.aliases] : [];
  const dataset = (need: string) => {
    const [kind, field] = need.split(".");
    const name = texts.i18n.exists(`dataset.${kind}`) ? t(`dataset.${kind}`) : kind;
    return field ? `${name} (${field})` : name;
  };
  return (
    <section class="account-page" aria-labelledby="account-title" data-testid="account-page">
      <div class="toolbar">
        <button type="button" onClick={props.onBack}>
          ← {t("accounts.back")}
        </button>
        <h2 id="account-title">{a.name ?? a.account_id}</h2>
        <span class="muted">
          {a.account_id}
          {a.segment ? ` · ${a.segment}` : ""}
          {a.owner ? ` · ${a.owner}` : ""}
        </span>
        {otherNames.length > 0 && (
          <span class="muted small" data-testid="account-aliases">
            {t("accounts.alsoCalled", { names: otherNames.join(", ") })}
          </span>
        )}
      </div>
      <div class="summary account-summary">
        <section class={`card score ${a.light ? `light-${a.light}` : "light-none"}`}>
          <h2>{t("explain.score", { month: formatMonth(e.month, texts.locale) })}</h2>
          <p class="score-line">
            <span class="score-value" data-testid="account-score">
              {score(a.score)}
            </span>
            {a.score !== null && <span class="score-of">{t("score.of")}</span>}
          </p>
          <p>
            <LightDot light={a.light} />
            {a.previous_light && a.previous_light !== a.light && (
              <span class="muted small"> {t("explain.was", { light: t(`light.${a.previous_light}`) })}</span>
            )}
          </p>
          <p class="muted">{a.mrr === null ? "" : `MRR ${fmt(a.mrr, "money")}`}</p>
          {a.coverage !== null && (
            <p class="muted small" data-testid="account-coverage">
              {t("coverage.account", {
                value: formatShare(a.coverage, texts),
                present: e.parts.filter((p) => p.value !== null).length,
              })}
            </p>
          )}
          <p class="muted small" data-testid="account-method">
            {e.method === "percentile" ? t(`method.percentile_${e.peers}`) : t("method.targets")}
          </p>
        </section>
        <section class="card lever" data-testid="best-lever">
          <h2>{t("explain.leverTitle")}</h2>
          {best && best.gain !== null ? (
            <>
              <p class="lever-name">{t(`component.${best.component}`)}</p>
              <p>
                {t("explain.lever", {
                  component: t(`component.${best.component}`),
                  points: fmt(best.gain, "score"),
                })}
              </p>
              <p class="muted small">{rawInput(best, e, texts)}</p>
            </>
          ) : (
            <p class="muted">{a.score === null ? t("explain.noScore") : t("explain.allFull")}</p>
          )}
        </section>
        <section class="card history">
          <h2>{t("explain.history")}</h2>
          <EChart class="chart mid" option={history} label={t("explain.history")} />
        </section>
      </div>
      <section class="card action-note" aria-labelledby="action-title">
        <h2 id="action-title">{t("notes.actionTitle", { month: formatMonth(e.month, texts.locale) })}</h2>
        {notes.data ? (
          <NoteField
            key={`${e.month}|${actionKey}`}
            month={e.month}
            noteKey={actionKey}
            note={notes.data.find((n) => n.key === actionKey) ?? null}
            label={t("notes.actionLabel")}
            placeholder={best && best.gain !== null ? t("notes.actionPlaceholder", { component: t(`component.${best.component}`) }) : undefined}
            rows={2}
            action
            testid="account-action"
          />
        ) : (
          <p class="muted">{t("app.loading")}</p>
        )}
      </section>
      <section class="card">
        <h2>{t("explain.partsTitle")}</h2>
        <table class="parts" data-testid="parts">
          <thead>
            <tr>
              <th scope="col">{t("explain.component")}</th>
              <th scope="col">{t("explain.input")}</th>
              <th scope="col" class="num">
                {e.method === "percentile" ? t("method.percentileColumn") : t("explain.value")}
              </th>
              <th scope="col" class="num">
                {t("explain.weight")}
              </th>
              <th scope="col" class="num">
                {t("explain.share")}
              </th>
              <th scope="col" class="num">
                {t("explain.points")}
              </th>
              <th scope="col" class="num">
                {t("explain.gain")}
              </th>
            </tr>
          </thead>
          <tbody>
            {e.parts.map((p) => (
              <tr key={p.component} class={p.component === e.best ? "best" : ""} data-testid={`part-${p.component}`}>
                <th scope="row">{t(`component.${p.component}`)}</th>
                <td>
                  {p.value === null
                    ? t("explain.missing", { what: (p.needs ?? []).map(dataset).join(", ") })
                    : rawInput(p, e, texts)}
                </td>
                <td class="num">
                  {p.value === null ? "—" : (
                    <span class="bar" style={{ "--w": `${p.value}%` }}>
                      {score(p.value)}
                    </span>
                  )}
                </td>
                <td class="num">{fmt(p.weight, "decimal")}</td>
                <td class="num">{p.share === null ? "—" : fmt(p.share, "percent")}</td>
                <td class="num">{score(p.points)}</td>
                <td class="num">{p.gain === null ? "—" : `+${score(p.gain)}`}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={5}>
                {t("explain.total")}
              </th>
              <td class="num">
                <strong>{score(a.score)}</strong>
              </td>
              <td />
            </tr>
          </tfoot>
        </table>
        <p class="muted small">{t("explain.how")}</p>
      </section>
    </section>
  );
}

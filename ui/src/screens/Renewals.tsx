// The renewal outlook (insights.md §6): the dashboard's card (due in the next three months:
// count and value by light, value at risk, expected value) and the Renewals screen (the
// list: account, due date, value, light, score, owner, biggest lever; sortable; a row
// opens the account).
import { useMemo, useState } from "preact/hooks";
import { sortRenewals, type RenewalSort } from "../board";
import { LightDot, useTexts } from "../components/common";
import { formatDate, type Light } from "../format";
import type { Texts } from "../i18n";
import type { Outlook } from "../ipc";
import { formatter } from "../present";

const ROWS: (Light | "not_scored")[] = ["green", "yellow", "red", "not_scored"];

function period(o: Outlook, texts: Texts): string {
  return texts.t("renewals.period", { from: formatDate(o.from, texts.locale), to: formatDate(o.to, texts.locale) });
}

/** Why there is no expected value, in plain words. */
function noExpected(o: Outlook, texts: Texts): string {
  return o.status === "insufficient" ? texts.t("renewals.expectedInsufficient") : texts.t("renewals.expectedUndefined");
}

export function RenewalsCard(props: { outlook: Outlook | null; loading?: boolean; currency: string }) {
  const texts = useTexts();
  const { t } = texts;
  const o = props.outlook;
  const money = formatter(texts, props.currency);
  return (
    <section class="card renewals-card" aria-labelledby="renewals-title" data-testid="renewals-card">
      <h2 id="renewals-title">{t("renewals.cardTitle")}</h2>
      {!o ? (
        <p class="muted">{props.loading ? t("app.loading") : t("renewals.none")}</p>
      ) : (
        <>
          <p class="muted small">{period(o, texts)}</p>
          <table class="split-table">
            <thead>
              <tr>
                <th scope="col" />
                <th scope="col">{t("renewals.count")}</th>
                <th scope="col">{t("renewals.value")}</th>
              </tr>
            </thead>
            <tbody>
              {ROWS.map((l) => (
                <tr key={l} data-testid={`due-${l}`}>
                  <th scope="row">
                    {l === "not_scored" ? (
                      <span class="dot light-none" aria-hidden="true" />
                    ) : (
                      <span class={`dot light-${l}`} aria-hidden="true" />
                    )}
                    {l === "not_scored" ? t("renewals.notScored") : t(`light.${l}`)}
                  </th>
                  <td>{money(o.lights[l].count, "count")}</td>
                  <td>{money(o.lights[l].value, "money")}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="at-risk" data-testid="value-at-risk">
            <span>{t("renewals.atRisk")}</span>
            <strong>{money(o.value_at_risk, "money")}</strong>
          </p>
          <p class="at-risk expected" data-testid="expected-value">
            <span title={t("renewals.expectedHint")}>{t("renewals.expected")}</span>
            <strong>{o.expected_value === null ? "—" : money(o.expected_value, "money")}</strong>
          </p>
          {o.expected_value === null && <p class="muted small">{noExpected(o, texts)}</p>}
          <a class="small" href="#/renewals" data-testid="open-renewals">
            {t("renewals.all", { count: o.renewals.length })}
          </a>
        </>
      )}
    </section>
  );
}

export function RenewalsScreen(props: { outlook: Outlook | null; currency: string; onAccount: (id: string) => void }) {
  const texts = useTexts();
  const { t } = texts;
  const o = props.outlook;
  const [sort, setSort] = useState<{ key: RenewalSort; desc: boolean }>({ key: "due_date", desc: false });
  const rows = useMemo(
    () => (o ? sortRenewals(o.renewals, sort.key, sort.desc, texts.locale) : []),
    [o, sort, texts.locale],
  );
  const money = formatter(texts, props.currency);
  const cols: { key: RenewalSort; label: string; num?: boolean }[] = [
    { key: "account", label: t("renewals.account") },
    { key: "due_date", label: t("renewals.due") },
    { key: "value", label: t("renewals.value"), num: true },
    { key: "light", label: t("renewals.light") },
    { key: "score", label: t("renewals.score"), num: true },
    { key: "owner", label: t("renewals.owner") },
    { key: "lever", label: t("renewals.lever") },
  ];
  return (
    <section class="renewals" aria-labelledby="renewals-screen-title" data-testid="renewals-screen">
      <div class="toolbar">
        <a class="button" href="#/">
          ← {t("nav.dashboard")}
        </a>
        <h2 id="renewals-screen-title">{t("renewals.title")}</h2>
        {o && <span class="muted">{period(o, texts)}</span>}
        <span class="grow" />
        {o && (
          <span class="muted" data-testid="renewals-total">
            {t("renewals.total", { count: o.renewals.length, value: money(o.renewals.reduce((s, r) => s + r.value, 0), "money") })}
          </span>
        )}
      </div>
      {!o || o.renewals.length === 0 ? (
        <p class="card muted">{o ? t("renewals.noneDue") : t("renewals.none")}</p>
      ) : (
        <div class="card table-scroll">
          <table class="renewals-table" data-testid="renewals-table">
            <thead>
              <tr>
                {cols.map((c) => {
                  const active = sort.key === c.key;
                  return (
                    <th
                      scope="col"
                      key={c.key}
                      class={c.num ? "num" : ""}
                      aria-sort={active ? (sort.desc ? "descending" : "ascending") : "none"}
                    >
                      <button
                        type="button"
                        class="sort"
                        data-testid={`rn-sort-${c.key}`}
                        onClick={() => setSort({ key: c.key, desc: active ? !sort.desc : c.key === "value" })}
                      >
                        {c.label}
                        <span aria-hidden="true">{active ? (sort.desc ? " ▼" : " ▲") : ""}</span>
                      </button>
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.account_id}-${r.due_date}`} data-testid="renewal-row">
                  <th scope="row">
                    <button type="button" class="link" title={r.account_id} onClick={() => props.onAccount(r.account_id)}>
                      {r.name ?? r.account_id}
                    </button>
                  </th>
                  <td>{formatDate(r.due_date, texts.locale)}</td>
                  <td class="num">{money(r.value, "money")}</td>
                  <td>{r.light ? <LightDot light={r.light} /> : <span class="muted">{t("renewals.notScored")}</span>}</td>
                  <td class="num">{r.score === null ? "—" : money(r.score, "score")}</td>
                  <td>{r.owner ?? ""}</td>
                  <td>{r.lever ? t(`component.${r.lever}`) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

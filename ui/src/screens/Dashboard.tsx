// The dashboard of a month: the company CS score with its light, the green/yellow/red split
// by accounts and by MRR, MRR at risk, the movers, every KPI as a card (value, change vs last
// month and last year, sparkline, target), the MRR bridge and the cohort heatmap.
import { useEffect, useLayoutEffect, useMemo, useState } from "preact/hooks";
import { numberFormat, formatMonth, type Light } from "../format";
import { groupKpis, unitOf } from "../kpis";
import type { BreakdownAnswer, Cohort, Dashboard as DashboardData, Dim, KpiCard, MrrBridge } from "../ipc";
import { describeKpi, describeScore, formatChange, formatter, goodDirection, splitRows } from "../present";
import { EChart, bridgeOption, cohortOption, sparkOption, splitOption } from "../components/charts";
import { useTexts } from "../components/common";
import { formatShare } from "../trust";
import { groupBars, kpiCoverage, type GroupBar } from "../board";
import { ErrorBanner, useAsync } from "../components/common";
import { NoteField } from "../components/notes";
import { getNotes, getRenewals, type GroupFilter, type Note } from "../ipc";
import { BreakdownCard, useBreakdown } from "./Breakdown";
import { RenewalsCard } from "./Renewals";

declare global {
  interface Window {
    /** When the first dashboard was on screen (performance.now()): read by bench/cold_start.mjs. */
    __cspulseRendered?: number;
  }
}

let firstRender = true;

export function Dashboard(props: {
  data: DashboardData;
  onAccount: (id: string) => void;
  onGroup: (g: GroupFilter) => void;
  version: number;
}) {
  const d = props.data;
  if (firstRender) {
    firstRender = false;
    performance.mark("cspulse:dashboard-render");
  }
  useLayoutEffect(() => {
    performance.mark("cspulse:dashboard-committed");
  }, []);
  useEffect(() => {
    performance.mark("cspulse:dashboard-in-dom");
    // after the browser painted it
    requestAnimationFrame(() => {
      window.__cspulseRendered ??= performance.now();
    });
  }, []);
  const texts = useTexts();
  const { t, lang } = texts;
  const month = d.month;
  const notes = useAsync(
    () => (month === null ? Promise.resolve([]) : getNotes(month, lang).then((n) => n ?? [])),
    [month, props.version],
  );
  const outlook = useAsync(
    () => (month === null ? Promise.resolve(null) : getRenewals(month, lang)),
    [month, props.version, lang],
  );
  const breakdown = useBreakdown(month, props.version, lang);
  const noteOf = useMemo(() => {
    const m = new Map<string, Note>();
    for (const n of notes.data ?? []) m.set(n.key, n);
    return m;
  }, [notes.data]);
  if (d.month === null) {
    return (
      <section class="card empty" data-testid="no-data">
        <h2>{t("dashboard.emptyTitle")}</h2>
        <p>{t("dashboard.empty")}</p>
        <a class="button primary" href="#/import">
          {t("nav.import")}
        </a>
      </section>
    );
  }
  return (
    <>
      <div class="summary">
        <ScoreCard d={d} />
        <SplitCard d={d} />
        <MoversCard d={d} onAccount={props.onAccount} notes={notes.data ? noteOf : null} />
      </div>
      <div class="two-col board-row">
        <section class="card summary-note" aria-labelledby="summary-note-title">
          <h2 id="summary-note-title">{t("notes.summaryTitle", { month: formatMonth(d.month, texts.locale) })}</h2>
          {notes.data ? (
            <NoteField
              key={`${d.month}|summary`}
              month={d.month}
              noteKey="summary"
              note={noteOf.get("summary") ?? null}
              label={t("notes.summaryLabel")}
              placeholder={t("notes.summaryPlaceholder")}
              rows={6}
              testid="summary-note"
            />
          ) : (
            <p class="muted">{t("app.loading")}</p>
          )}
        </section>
        <div class="renewals-slot">
          {outlook.error && <ErrorBanner error={outlook.error} onRetry={outlook.reload} />}
          <RenewalsCard outlook={outlook.data} loading={outlook.loading} currency={d.currency} />
        </div>
      </div>
      <BreakdownCard state={breakdown.state} onBy={breakdown.setBy} currency={d.currency} onGroup={props.onGroup} />
      <KpiSection d={d} notes={notes.data ? noteOf : null} breakdown={breakdown.state.data} />
      <div class="two-col">
        <BridgeCard bridge={d.bridge} currency={d.currency} month={d.month} />
        <CohortCard cohorts={d.cohorts} />
      </div>
    </>
  );
}

function ScoreCard({ d }: { d: DashboardData }) {
  const texts = useTexts();
  const s = describeScore(d, texts);
  return (
    <section class={`card score ${s.light ? `light-${s.light}` : "light-none"}`} aria-labelledby="score-title">
      <h2 id="score-title">{texts.t("score.title")}</h2>
      <p class="score-line">
        <span class="score-value" data-testid="cs-score">
          {s.value}
        </span>
        {d.cs_score !== null && <span class="score-of">{texts.t("score.of")}</span>}
      </p>
      {s.lightLabel ? (
        <p class="light-pill">
          <span class="dot" aria-hidden="true" />
          {s.lightLabel}
        </p>
      ) : (
        <p class="muted">{texts.t("score.none")}</p>
      )}
      <p class="muted">{s.accounts}</p>
      {s.unweighted && (
        <p class="muted small" title={texts.t("score.weightedHint")}>
          {s.unweighted}
        </p>
      )}
      {d.coverage?.score != null && (
        <p class="muted small" title={texts.t("coverage.hint")} data-testid="score-coverage">
          {texts.t("coverage.score", { value: formatShare(d.coverage.score, texts) })}
        </p>
      )}
      <p class="muted small">
        {texts.t("score.thresholds", {
          green: formatter(texts, d.currency)(d.threshold_green, "score"),
          yellow: formatter(texts, d.currency)(d.threshold_yellow, "score"),
        })}
      </p>
      <p class="small">
        <a href="#/score-check" data-testid="open-score-check">
          {texts.t("trust.open")}
        </a>
      </p>
    </section>
  );
}

function SplitCard({ d }: { d: DashboardData }) {
  const texts = useTexts();
  const { t } = texts;
  const rows = splitRows(d, texts);
  const money = formatter(texts, d.currency);
  const option = useMemo(() => {
    const s = d.split;
    const counts = { green: s.green, yellow: s.yellow, red: s.red };
    const mrr = { green: s.mrr_green, yellow: s.mrr_yellow, red: s.mrr_red };
    return splitOption(counts, mrr, {
      accounts: t("split.accounts"),
      mrr: t("split.mrr"),
      light: { green: t("light.green"), yellow: t("light.yellow"), red: t("light.red") },
      tooltip: (l: Light, bar) => {
        const row = rows.find((r) => r.light === l);
        return `${t(`light.${l}`)}: ${bar === "mrr" ? row?.mrr : row?.accounts}`;
      },
    });
  }, [d]);
  return (
    <section class="card split" aria-labelledby="split-title">
      <h2 id="split-title">{t("split.title")}</h2>
      <EChart option={option} label={t("split.chartLabel")} />
      <table class="split-table">
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col">{t("split.accounts")}</th>
            <th scope="col">{t("split.mrr")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr data-testid={`split-${r.light}`} key={r.light}>
              <th scope="row">
                <span class={`dot light-${r.light}`} aria-hidden="true" />
                {r.label}
              </th>
              <td>{r.accounts}</td>
              <td>{r.mrr}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="at-risk" data-testid="mrr-at-risk">
        <span>{t("split.atRisk")}</span>
        <strong>{d.mrr_at_risk === null ? "—" : money(d.mrr_at_risk, "money")}</strong>
      </p>
    </section>
  );
}

function MoversCard(props: { d: DashboardData; onAccount: (id: string) => void; notes: Map<string, Note> | null }) {
  const texts = useTexts();
  const { t } = texts;
  const money = formatter(texts, props.d.currency);
  const movers = props.d.movers;
  // the movers whose action field the user opened (one with a stored action shows it anyway)
  const [open, setOpen] = useState<Set<string>>(() => new Set());
  return (
    <section class="card movers" aria-labelledby="movers-title" data-testid="movers">
      <h2 id="movers-title">{t("movers.title", { count: movers.length })}</h2>
      {movers.length === 0 ? (
        <p class="muted">{t("movers.none")}</p>
      ) : (
        <ul class="mover-list">
          {movers.slice(0, 8).map((m) => (
            <li key={m.account_id}>
              <div class="mover-row">
                <button type="button" class="link" onClick={() => props.onAccount(m.account_id)}>
                  {m.name ?? m.account_id}
                </button>
                <span class="move" aria-label={t("movers.from", { from: t(`light.${m.previous_light}`), to: t(`light.${m.light}`) })}>
                  <span class={`dot light-${m.previous_light}`} aria-hidden="true" />→
                  <span class={`dot light-${m.light}`} aria-hidden="true" />
                </span>
                <span class="num muted">{m.mrr === null ? "" : money(m.mrr, "money")}</span>
                {props.notes && props.d.month && !open.has(m.account_id) && !props.notes.has(`account:${m.account_id}`) && (
                  <button
                    type="button"
                    class="link mover-action-add"
                    onClick={() => setOpen((o) => new Set(o).add(m.account_id))}
                    aria-label={t("notes.moverAdd", { name: m.name ?? m.account_id })}
                    title={t("notes.moverAdd", { name: m.name ?? m.account_id })}
                    data-testid={`mover-action-add-${m.account_id}`}
                  >
                    ✎
                  </button>
                )}
              </div>
              {props.notes && props.d.month && (open.has(m.account_id) || props.notes.has(`account:${m.account_id}`)) && (
                <MoverAction
                  id={m.account_id}
                  month={props.d.month}
                  note={props.notes.get(`account:${m.account_id}`) ?? null}
                  name={m.name ?? m.account_id}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      {movers.length > 8 && (
        <a class="small" href="#/accounts?movers=1">
          {t("movers.all", { count: movers.length })}
        </a>
      )}
    </section>
  );
}

function KpiSection({
  d,
  notes,
  breakdown,
}: {
  d: DashboardData;
  notes: Map<string, Note> | null;
  breakdown: BreakdownAnswer | null;
}) {
  const texts = useTexts();
  const groups = groupKpis(d.cards);
  return (
    <section class="kpis" aria-labelledby="kpis-title">
      <h2 id="kpis-title">{texts.t("kpi.title", { month: formatMonth(d.month ?? "", texts.locale) })}</h2>
      {groups.map((g) => (
        <section class="kpi-group" key={g.group} aria-labelledby={`group-${g.group}`} data-testid={`group-${g.group}`}>
          <h3 id={`group-${g.group}`}>{texts.t(`group.${g.group}`)}</h3>
          <div class="kpi-cards">
            {g.kpis.map((k) => (
              <KpiTile
                key={k.id}
                card={k}
                currency={d.currency}
                month={d.month ?? ""}
                coverage={kpiCoverage(k.id, d.coverage)}
                notes={notes}
                groups={k.status === "ok" ? groupBars(breakdown, k.id) : null}
              />
            ))}
          </div>
        </section>
      ))}
    </section>
  );
}

function KpiTile(props: {
  card: KpiCard;
  currency: string;
  month: string;
  coverage: number | null;
  notes: Map<string, Note> | null;
  /** The card's value per group of the dashboard's breakdown, when it can be compared. */
  groups: { by: Dim; bars: GroupBar[] } | null;
}) {
  const { card, currency } = props;
  const [byGroup, setByGroup] = useState(false);
  const showGroups = byGroup && props.groups !== null;
  const texts = useTexts();
  const { t } = texts;
  const unit = unitOf(card.id);
  const shown = describeKpi(card, texts, currency);
  const good = goodDirection(card.id, card.target?.direction);
  const vsMonth = formatChange(card.value, card.previous, unit, texts, currency);
  const vsYear = formatChange(card.value, card.year_ago, unit, texts, currency);
  const tone = (before: number | null) => {
    if (card.value === null || before === null || good === null || card.value === before) return "flat";
    return (card.value > before) === (good === "up") ? "better" : "worse";
  };
  const spark = useMemo(() => sparkOption(card.spark, good), [card]);
  const hasSpark = card.spark.filter((v) => v !== null).length >= 2;
  const format = formatter(texts, currency);
  return (
    <article class={`kpi-card ${card.status}`} data-testid={`kpi-${card.id}`} tabIndex={0} aria-label={shown.label}>
      <header>
        <h4>{shown.label}</h4>
        {card.target_status && card.target && (
          <span
            class={`target ${card.target_status}`}
            title={t("target.is", { value: format(card.target.target, unit) })}
            data-testid="target"
          >
            {t(`target.${card.target_status}`)}
          </span>
        )}
      </header>
      <p class="value" data-tip={shown.hint}>
        {shown.value}
      </p>
      {card.status === "ok" ? (
        <>
          <dl class="changes">
            <div class={tone(card.previous)}>
              <dt>{t("kpi.vsMonth")}</dt>
              <dd>{vsMonth ?? "—"}</dd>
            </div>
            <div class={tone(card.year_ago)}>
              <dt>{t("kpi.vsYear")}</dt>
              <dd>{vsYear ?? "—"}</dd>
            </div>
          </dl>
          {props.groups && (
            <button
              type="button"
              class="link small by-group"
              aria-pressed={showGroups}
              onClick={() => setByGroup(!byGroup)}
              data-testid="kpi-by-group"
            >
              {t(`breakdown.cardBy.${props.groups.by}`)}
            </button>
          )}
          {showGroups && props.groups ? (
            <GroupBars bars={props.groups.bars} unit={unit} label={t("breakdown.cardBars", { what: shown.label, by: t(`breakdown.dim.${props.groups.by}`) })} format={format} />
          ) : (
            hasSpark && <EChart class="spark" option={spark} renderer="svg" lazy label={t("kpi.spark", { what: shown.label })} />
          )}
        </>
      ) : (
        <p class="need">{shown.hint}</p>
      )}
      {props.coverage !== null && card.status === "ok" && (
        <p class="coverage muted small" title={t("coverage.cardHint")} data-testid="kpi-coverage">
          {t("coverage.card", { value: formatShare(props.coverage, texts) })}
        </p>
      )}
      {props.notes && <KpiNote id={card.id} month={props.month} note={props.notes.get(`kpi:${card.id}`) ?? null} label={shown.label} />}
    </article>
  );
}

/** A KPI's value per group as small bars (HTML, so the numbers are text beside them): the
 * bar's length is the value's size against the largest; a negative value's bar is hatched;
 * the group's target status colours it where the KPI has a target. */
function GroupBars(props: {
  bars: GroupBar[];
  unit: ReturnType<typeof unitOf>;
  label: string;
  format: ReturnType<typeof formatter>;
}) {
  return (
    <ul class="group-bars" aria-label={props.label} data-testid="group-bars">
      {props.bars.map((b) => (
        <li key={b.key} data-testid="group-bar">
          <span class="group-name" title={b.key}>
            {b.key}
          </span>
          <span class="bar-track" aria-hidden="true">
            <span
              class={`bar${b.value < 0 ? " negative" : ""}${b.status ? ` target-${b.status}` : ""}`}
              style={{ width: `${Math.max(b.share * 100, b.value === 0 ? 0 : 2).toFixed(1)}%` }}
            />
          </span>
          <span class="group-value">{props.format(b.value, props.unit)}</span>
        </li>
      ))}
    </ul>
  );
}

/** A mover's next step (the account's action, as on its page), with owner and due date:
 * shown when there is one or the user opened it with the row's ✎ (a line per mover would
 * make the card twice as tall). */
function MoverAction(props: { id: string; month: string; note: Note | null; name: string }) {
  const { t } = useTexts();
  return (
    <div class="mover-action">
      <NoteField
        key={`${props.month}|account:${props.id}`}
        month={props.month}
        noteKey={`account:${props.id}`}
        note={props.note}
        label={t("notes.moverLabel", { name: props.name })}
        rows={1}
        action
        testid={`mover-action-${props.id}`}
      />
    </div>
  );
}

/** A KPI's note: shown when there is one, else a small "Add a note" that opens the field. */
function KpiNote(props: { id: string; month: string; note: Note | null; label: string }) {
  const { t } = useTexts();
  const [open, setOpen] = useState(props.note !== null);
  if (!open) {
    return (
      <button type="button" class="link small add-note" onClick={() => setOpen(true)} data-testid={`kpi-note-add-${props.id}`}>
        + {t("notes.add")}
      </button>
    );
  }
  return (
    <NoteField
      key={`${props.month}|kpi:${props.id}`}
      month={props.month}
      noteKey={`kpi:${props.id}`}
      note={props.note}
      label={t("notes.kpiLabel")}
      rows={2}
      testid={`kpi-note-${props.id}`}
    />
  );
}

function BridgeCard(props: { bridge: MrrBridge | null; currency: string; month: string }) {
  const texts = useTexts();
  const { t } = texts;
  const b = props.bridge;
  const money = formatter(texts, props.currency);
  const option = useMemo(() => {
    if (!b) return null;
    return bridgeOption(
      [
        { label: t("bridge.start"), value: b.start, kind: "total" },
        { label: t("bridge.new"), value: b.new, kind: "up" },
        { label: t("bridge.expansion"), value: b.expansion, kind: "up" },
        { label: t("bridge.reactivation"), value: b.reactivation, kind: "up" },
        { label: t("bridge.contraction"), value: b.contraction, kind: "down" },
        { label: t("bridge.churned"), value: b.churned, kind: "down" },
        { label: t("bridge.end"), value: b.end, kind: "total" },
      ],
      (v) => money(v, "money"),
    );
  }, [b]);
  return (
    <section class="card bridge" aria-labelledby="bridge-title" data-testid="bridge">
      <h2 id="bridge-title">{t("bridge.title", { month: formatMonth(props.month, texts.locale) })}</h2>
      {b && option ? (
        <>
          <EChart class="chart tall" lazy option={option} label={t("bridge.title", { month: props.month })} />
          <table class="bridge-table">
            <tbody>
              {(["start", "new", "expansion", "reactivation", "contraction", "churned", "end"] as const).map((k) => (
                <tr key={k} data-testid={`bridge-${k}`}>
                  <th scope="row">{t(`bridge.${k}`)}</th>
                  <td>{(k === "contraction" || k === "churned" ? "−" : "") + money(b[k], "money")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <p class="muted">{t("bridge.none")}</p>
      )}
    </section>
  );
}

function CohortCard({ cohorts }: { cohorts: Cohort[] }) {
  const texts = useTexts();
  const { t } = texts;
  const [by, setBy] = useState<"logo" | "revenue">("logo");
  const option = useMemo(() => {
    if (cohorts.length === 0) return null;
    const rows = cohorts.map((c) => formatMonth(c.start, texts.locale));
    const cols = Math.max(...cohorts.map((c) => c.logo.length));
    const cells: [number, number, number][] = [];
    cohorts.forEach((c, r) =>
      (by === "logo" ? c.logo : c.revenue).forEach((v, k) => {
        if (v !== null) cells.push([k, r, v]);
      }),
    );
    return cohortOption(rows, cols, cells, {
      since: (k) => t("cohorts.since", { count: k }),
      cell: (r, k, v) =>
        t("cohorts.cell", {
          start: rows[r],
          count: k,
          value: numberFormat(texts.locale, { maximumFractionDigits: 1 }).format(v),
        }),
    });
  }, [cohorts, by]);
  return (
    <section class="card cohorts" aria-labelledby="cohorts-title" data-testid="cohorts">
      <header class="card-head">
        <h2 id="cohorts-title">{t("cohorts.title")}</h2>
        <div class="segmented" role="group" aria-label={t("cohorts.by")}>
          <button type="button" aria-pressed={by === "logo"} onClick={() => setBy("logo")}>
            {t("cohorts.logo")}
          </button>
          <button type="button" aria-pressed={by === "revenue"} onClick={() => setBy("revenue")}>
            {t("cohorts.revenue")}
          </button>
        </div>
      </header>
      {option ? (
        <EChart class="chart heat" lazy option={option} label={t("cohorts.title")} />
      ) : (
        <p class="muted">{t("cohorts.none")}</p>
      )}
    </section>
  );
}


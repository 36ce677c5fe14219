// Offline review of every imported dataset: search, sort, filter, by import batch. Rows are
// paged from SQLite by Rust (a view holds the matching row ids; a page is fetched by id), and
// only the rows in view are in the DOM, so a 1M-row usage table scrolls smoothly.
import { numberFormat } from "../format";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { ErrorBanner, Loading, useAsync, useTexts } from "../components/common";
import { useVirtualRows } from "../components/virtual";
import {
  billingLines,
  browseClose,
  browseDatasets,
  browseOpen,
  browsePage,
  type Cell,
  type Column,
  type CommandError,
  type DatasetInfo,
  type Filter,
  type FilterOp,
  type Query,
  type Row,
} from "../ipc";
import type { BillingLine } from "../ipc/bindings/BillingLine";
import { go } from "../app";
import { fieldLabel } from "../present";

const PAGE = 100;

export function DataBrowser(props: { kind: string | null; version: number }) {
  const texts = useTexts();
  const { t, lang } = texts;
  const sets = useAsync(() => browseDatasets(lang), [props.version, lang]);
  if (sets.error && !sets.data) return <ErrorBanner error={sets.error} onRetry={sets.reload} />;
  if (!sets.data) return <Loading />;
  const list = sets.data;
  if (list.length === 0) {
    return (
      <section class="card empty">
        <h2>{t("data.emptyTitle")}</h2>
        <p>{t("data.empty")}</p>
        <a class="button primary" href="#/import">
          {t("nav.import")}
        </a>
      </section>
    );
  }
  const current = list.find((d) => d.kind === props.kind) ?? list[0];
  return (
    <section class="data-browser" aria-labelledby="data-title">
      <div class="toolbar">
        <h2 id="data-title">{t("data.title")}</h2>
        <label>
          <span>{t("data.dataset")}</span>
          <select
            value={current.kind}
            data-testid="data-kind"
            onChange={(e) => go(`/data/${e.currentTarget.value}`)}
          >
            {list.map((d) => (
              <option key={d.kind} value={d.kind}>
                {t(`datasetName.${d.kind}`)} ({numberFormat(texts.locale).format(d.rows)})
              </option>
            ))}
          </select>
        </label>
      </div>
      <Table key={`${current.kind}/${props.version}`} dataset={current} />
    </section>
  );
}

function Table(props: { dataset: DatasetInfo }) {
  const texts = useTexts();
  const { t, lang } = texts;
  const ds = props.dataset;
  const [search, setSearch] = useState("");
  const [typed, setTyped] = useState("");
  const [sort, setSort] = useState<Query["sort"]>(undefined);
  const [filters, setFilters] = useState<Filter[]>([]);
  const [batch, setBatch] = useState<number | undefined>(undefined);
  // a billing export's batch: its lines instead of the MRR rows derived from them
  const [lines, setLines] = useState(false);
  const billed = ds.batches.find((b) => b.id === batch && b.billing_lines > 0);
  const [view, setView] = useState<{ id: number; total: number } | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const [opening, setOpening] = useState(false);
  const [reopen, setReopen] = useState(0);
  const pages = useRef(new Map<number, Row[] | "loading">());
  const [, setLoaded] = useState(0);

  // search as you type, without a query per keystroke
  useEffect(() => {
    const timer = setTimeout(() => setSearch(typed), 250);
    return () => clearTimeout(timer);
  }, [typed]);

  const query: Query = useMemo(
    () => ({ search: search.trim() || undefined, sort, filters, batch }),
    [search, sort, filters, batch],
  );

  useEffect(() => {
    let alive = true;
    let opened: number | null = null;
    setOpening(true);
    browseOpen(ds.kind, query, lang).then(
      (v) => {
        opened = v.view_id;
        if (!alive) {
          void browseClose(v.view_id).catch(() => {});
          return;
        }
        pages.current = new Map();
        setView({ id: v.view_id, total: v.total });
        setError(null);
        setOpening(false);
      },
      (e: CommandError) => {
        if (alive) {
          setError(e);
          setOpening(false);
        }
      },
    );
    return () => {
      alive = false;
      if (opened !== null) void browseClose(opened).catch(() => {});
    };
  }, [ds.kind, query, reopen]);

  const total = view?.total ?? 0;
  const { ref, head, onScroll, items, total: height, virtualizer } = useVirtualRows(total);

  // fetch the pages the visible rows fall in
  useEffect(() => {
    if (!view) return;
    const wanted = new Set(items.map((i) => Math.floor(i.index / PAGE)));
    for (const p of wanted) {
      if (pages.current.has(p)) continue;
      pages.current.set(p, "loading");
      browsePage(view.id, p * PAGE, PAGE, lang).then(
        (page) => {
          pages.current.set(p, page.rows);
          setLoaded((n) => n + 1);
        },
        (e: CommandError) => {
          pages.current.delete(p);
          if (e.code === "view_stale") setReopen((n) => n + 1);
          else setError(e);
        },
      );
    }
  }, [view, items.length ? items[0].index : -1, items.length ? items[items.length - 1].index : -1]);

  useEffect(() => virtualizer.scrollToOffset(0), [view?.id]);

  const columns = ds.columns;
  const label = (c: Column) => fieldLabel(ds.kind, c.id, texts);
  const fmtNum = numberFormat(texts.locale, { maximumFractionDigits: 6 });
  const show = (c: Cell, col: Column): string => {
    if (c === null) return "";
    if (typeof c === "boolean") return c ? t("data.yes") : t("data.no");
    if (typeof c === "number") return col.lineage ? String(c) : fmtNum.format(c);
    return c;
  };
  const rowAt = (index: number): Row | null => {
    const page = pages.current.get(Math.floor(index / PAGE));
    return Array.isArray(page) ? (page[index % PAGE] ?? null) : null;
  };
  const toggleSort = (c: Column) =>
    setSort((s) => (s?.column === c.id ? (s.descending ? undefined : { column: c.id, descending: true }) : { column: c.id, descending: false }));
  const template = `repeat(${columns.length}, minmax(120px, 1fr))`;

  return (
    <>
      <div class="toolbar">
        <input
          type="search"
          value={typed}
          placeholder={t("data.search")}
          aria-label={t("data.search")}
          onInput={(e) => setTyped(e.currentTarget.value)}
          data-testid="data-search"
        />
        <label>
          <span>{t("data.batch")}</span>
          <select
            data-testid="data-batch"
            value={batch === undefined ? "" : String(batch)}
            onChange={(e) => setBatch(e.currentTarget.value === "" ? undefined : Number(e.currentTarget.value))}
          >
            <option value="">{t("data.allBatches")}</option>
            {ds.batches.map((b) => (
              <option key={b.id} value={String(b.id)}>
                #{b.id} {b.file}
                {b.sheet ? ` · ${b.sheet}` : ""}
              </option>
            ))}
          </select>
        </label>
        {billed && (
          <button type="button" class="secondary" aria-pressed={lines} onClick={() => setLines((l) => !l)} data-testid="billing-lines">
            {lines
              ? t("data.billing.hide")
              : t("data.billing.show", { count: billed.billing_lines, formatted: numberFormat(texts.locale).format(billed.billing_lines) })}
          </button>
        )}
        <FilterAdder columns={columns} label={label} onAdd={(f) => setFilters((fs) => [...fs, f])} />
        <span class="grow" />
        <span class="muted" role="status" aria-live="polite" data-testid="data-count">
          {opening ? t("data.opening") : t("data.rows", { count: total, formatted: numberFormat(texts.locale).format(total) })}
        </span>
      </div>
      {filters.length > 0 && (
        <ul class="chips" aria-label={t("data.filters")}>
          {filters.map((f, i) => (
            <li key={i}>
              {label(columns.find((c) => c.id === f.column) ?? { id: f.column, type: "text", lineage: false })}{" "}
              {t(`data.op.${f.op}`)} {f.value ?? ""}
              <button
                type="button"
                class="ghost"
                aria-label={t("data.removeFilter")}
                onClick={() => setFilters((fs) => fs.filter((_, j) => j !== i))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && <ErrorBanner error={error} onRetry={() => setReopen((n) => n + 1)} onClose={() => setError(null)} />}
      {billed && lines ? (
        <BillingLines batch={billed.id} />
      ) : (
      <div class="vtable data-table" role="table" aria-label={t(`datasetName.${ds.kind}`)} aria-rowcount={total + 1}>
        <div role="rowgroup" class="vhead" ref={head}>
          <div role="row" class="vrow" style={{ gridTemplateColumns: template }}>
            {columns.map((c) => (
              <div
                role="columnheader"
                key={c.id}
                class={c.type === "number" ? "c-num" : "c-text"}
                aria-sort={sort?.column === c.id ? (sort.descending ? "descending" : "ascending") : "none"}
              >
                <button type="button" class="sort" onClick={() => toggleSort(c)} title={c.id} data-testid={`col-${c.id}`}>
                  {label(c)}
                  <span aria-hidden="true">{sort?.column === c.id ? (sort.descending ? " ▼" : " ▲") : ""}</span>
                </button>
              </div>
            ))}
          </div>
        </div>
        <div class="vbody" ref={ref} onScroll={onScroll} role="rowgroup" tabIndex={0} data-testid="data-scroll" aria-label={t("data.rowsLabel")}>
          <div style={{ height: `${height}px`, position: "relative", minWidth: "100%" }}>
            {items.map((item) => {
              const row = rowAt(item.index);
              return (
                <div
                  role="row"
                  key={item.index}
                  class={`vrow${row ? "" : " pending"}`}
                  aria-rowindex={item.index + 2}
                  style={{ transform: `translateY(${item.start}px)`, gridTemplateColumns: template }}
                  data-testid="data-row"
                >
                  {row
                    ? row.cells.map((cell, i) => {
                        const col = columns[i];
                        const text = col ? show(cell, col) : "";
                        return (
                          <div role="cell" key={i} class={typeof cell === "number" ? "c-num" : "c-text"} title={text.length > 24 ? text : undefined}>
                            {text}
                          </div>
                        );
                      })
                    : columns.map((c) => <div role="cell" key={c.id} class="c-text skeleton" />)}
                </div>
              );
            })}
          </div>
          {view && total === 0 && <p class="muted pad">{t("data.noRows")}</p>}
        </div>
      </div>
      )}
    </>
  );
}

/** The lines of a billing export, each with what it made: MRR over its months, or why not. */
function BillingLines(props: { batch: number }) {
  const texts = useTexts();
  const { t, lang } = texts;
  const state = useAsync(() => billingLines(props.batch, lang), [props.batch, lang]);
  if (state.error) return <ErrorBanner error={state.error} />;
  if (!state.data) return <Loading />;
  const money = numberFormat(texts.locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const made = (l: BillingLine) =>
    l.not_mrr
      ? t(`data.billing.notMrr.${l.not_mrr}`)
      : t("data.billing.perMonth", { count: l.months, months: l.months, amount: money.format(l.mrr_per_month ?? 0) });
  return (
    <div class="table-scroll">
      <table class="breakdown-table billing-table" data-testid="billing-table">
        <caption>{t("data.billing.title", { id: props.batch })}</caption>
        <thead>
          <tr>
            <th class="num">{t("data.billing.row")}</th>
            <th>{t("data.billing.customer")}</th>
            <th class="num">{t("data.billing.amount")}</th>
            <th>{t("data.billing.period")}</th>
            <th>{t("data.billing.counts")}</th>
          </tr>
        </thead>
        <tbody>
          {state.data.map((l) => (
            <tr key={l.row} class={l.not_mrr ? "muted" : ""} data-testid="billing-line">
              <td class="num">{l.row}</td>
              <td>{l.customer}</td>
              <td class="num">
                {l.amount === null ? "" : money.format(l.amount)} {l.currency ?? ""}
              </td>
              <td>{l.period_start ? `${l.period_start} → ${l.period_end ?? ""}` : ""}</td>
              <td>{made(l)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const OPS: FilterOp[] = ["equals", "contains", "at_least", "at_most", "is_empty", "not_empty"];

function FilterAdder(props: { columns: Column[]; label: (c: Column) => string; onAdd: (f: Filter) => void }) {
  const { t } = useTexts();
  const [column, setColumn] = useState(props.columns[0]?.id ?? "");
  const [op, setOp] = useState<FilterOp>("equals");
  const [value, setValue] = useState("");
  const col = props.columns.find((c) => c.id === column);
  const ops = OPS.filter((o) => {
    if (!col) return true;
    if (o === "contains") return col.type === "text" || col.type === "date";
    if (o === "at_least" || o === "at_most") return col.type === "number" || col.type === "date";
    return true;
  });
  const needsValue = op !== "is_empty" && op !== "not_empty";
  return (
    <form
      class="filter-adder"
      onSubmit={(e) => {
        e.preventDefault();
        if (needsValue && value.trim() === "") return;
        props.onAdd({ column, op, value: needsValue ? value.trim() : undefined });
        setValue("");
      }}
    >
      <select aria-label={t("data.column")} value={column} onChange={(e) => setColumn(e.currentTarget.value)}>
        {props.columns.map((c) => (
          <option key={c.id} value={c.id}>
            {props.label(c)}
          </option>
        ))}
      </select>
      <select aria-label={t("data.condition")} value={op} onChange={(e) => setOp(e.currentTarget.value as FilterOp)}>
        {ops.map((o) => (
          <option key={o} value={o}>
            {t(`data.op.${o}`)}
          </option>
        ))}
      </select>
      {needsValue && (
        <input
          aria-label={t("data.value")}
          value={value}
          onInput={(e) => setValue(e.currentTarget.value)}
          placeholder={col?.type === "date" ? "2026-10" : ""}
        />
      )}
      <button type="submit">{t("data.addFilter")}</button>
    </form>
  );
}

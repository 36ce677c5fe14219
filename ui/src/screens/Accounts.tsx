// All accounts of the month: score, light, the six components, MRR, owner, segment; sort by
// any column, filter by light/owner/segment/movers, search; a row opens the explanation.
import { useMemo, useState } from "preact/hooks";
import { COMPONENTS, NO_FILTER, distinct, filterAccounts, sortAccounts, type AccountFilter, type SortKey } from "../accounts";
import { LightDot, useTexts } from "../components/common";
import { useVirtualRows } from "../components/virtual";
import type { AccountList, GroupFilter } from "../ipc";
import { formatter } from "../present";

export function Accounts(props: {
  data: AccountList;
  onOpen: (id: string) => void;
  moversOnly?: boolean;
  /** The breakdown group the list is limited to (from the dashboard). */
  group?: GroupFilter | null;
  onClearGroup?: () => void;
}) {
  const texts = useTexts();
  const { t } = texts;
  const all = props.data.accounts;
  const [filter, setFilter] = useState<AccountFilter>({ ...NO_FILTER, moversOnly: !!props.moversOnly });
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: "score", desc: false });
  const rows = useMemo(
    () => sortAccounts(filterAccounts(all, filter), sort.key, sort.desc, texts.locale),
    [all, filter, sort, texts.locale],
  );
  const owners = useMemo(() => distinct(all, (a) => a.owner, texts.locale), [all]);
  const segments = useMemo(() => distinct(all, (a) => a.segment, texts.locale), [all]);
  const fmt = formatter(texts, props.data.currency);
  const { ref, head, onScroll, items, total } = useVirtualRows(rows.length);
  const set = (patch: Partial<AccountFilter>) => setFilter((f) => ({ ...f, ...patch }));

  const columns: { key: SortKey; label: string; cls: string }[] = [
    { key: "name", label: t("accounts.account"), cls: "c-name" },
    { key: "score", label: t("accounts.score"), cls: "c-num" },
    ...COMPONENTS.map((c) => ({ key: c as SortKey, label: t(`component.${c}`), cls: "c-num c-comp" })),
    { key: "mrr", label: "MRR", cls: "c-num" },
    { key: "owner", label: t("accounts.owner"), cls: "c-text" },
    { key: "segment", label: t("accounts.segment"), cls: "c-text" },
  ];
  const header = (c: (typeof columns)[number]) => {
    const active = sort.key === c.key;
    return (
      <div
        role="columnheader"
        class={c.cls}
        key={c.key}
        aria-sort={active ? (sort.desc ? "descending" : "ascending") : "none"}
      >
        <button
          type="button"
          class="sort"
          data-testid={`sort-${c.key}`}
          onClick={() => setSort({ key: c.key, desc: active ? !sort.desc : c.key === "mrr" })}
        >
          {c.label}
          <span aria-hidden="true">{active ? (sort.desc ? " ▼" : " ▲") : ""}</span>
        </button>
      </div>
    );
  };
  const num = (v: number | null) => (v === null ? "—" : fmt(v, "score"));
  return (
    <section class="accounts" aria-labelledby="accounts-title">
      <div class="toolbar">
        <h2 id="accounts-title">{t("accounts.title")}</h2>
        {props.group && (
          <span class="chip" data-testid="group-filter">
            {t("accounts.inGroup", { dim: t(`breakdown.dim.${props.group.by}`), group: props.group.key })}
            <button type="button" class="ghost" onClick={props.onClearGroup} aria-label={t("accounts.allGroups")} title={t("accounts.allGroups")} data-testid="clear-group">
              ×
            </button>
          </span>
        )}
        <input
          type="search"
          placeholder={t("accounts.search")}
          aria-label={t("accounts.search")}
          value={filter.search}
          onInput={(e) => set({ search: e.currentTarget.value })}
          data-testid="accounts-search"
        />
        <label>
          <span>{t("accounts.light")}</span>
          <select value={filter.light} onChange={(e) => set({ light: e.currentTarget.value as AccountFilter["light"] })}>
            <option value="all">{t("accounts.all")}</option>
            <option value="green">{t("light.green")}</option>
            <option value="yellow">{t("light.yellow")}</option>
            <option value="red">{t("light.red")}</option>
            <option value="none">{t("accounts.noScore")}</option>
          </select>
        </label>
        <label>
          <span>{t("accounts.owner")}</span>
          <select value={filter.owner} onChange={(e) => set({ owner: e.currentTarget.value })}>
            <option value="">{t("accounts.all")}</option>
            {owners.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t("accounts.segment")}</span>
          <select value={filter.segment} onChange={(e) => set({ segment: e.currentTarget.value })}>
            <option value="">{t("accounts.all")}</option>
            {segments.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
        <label class="check">
          <input type="checkbox" checked={filter.moversOnly} onChange={(e) => set({ moversOnly: e.currentTarget.checked })} />
          <span>{t("accounts.movers")}</span>
        </label>
        <span class="grow" />
        <span class="muted" data-testid="accounts-count" aria-live="polite">
          {t("accounts.count", { shown: rows.length, total: all.length })}
        </span>
      </div>
      <div class="vtable accounts-table" role="table" aria-label={t("accounts.title")} aria-rowcount={rows.length + 1}>
        <div role="rowgroup" class="vhead" ref={head}>
          <div role="row" class="vrow">
            {columns.map(header)}
          </div>
        </div>
        <div class="vbody" ref={ref} onScroll={onScroll} role="rowgroup" tabIndex={0} aria-label={t("accounts.rows")}>
          <div style={{ height: `${total}px`, position: "relative" }}>
            {items.map((item) => {
              const a = rows[item.index];
              if (!a) return null;
              return (
                <div
                  role="row"
                  key={a.account_id}
                  class="vrow"
                  aria-rowindex={item.index + 2}
                  style={{ transform: `translateY(${item.start}px)` }}
                  data-testid="account-row"
                >
                  <div role="cell" class="c-name">
                    <button type="button" class="link" onClick={() => props.onOpen(a.account_id)} title={a.account_id}>
                      {a.name ?? a.account_id}
                    </button>
                  </div>
                  <div role="cell" class="c-num score-cell">
                    <LightDot light={a.light} label={false} />
                    <strong>{num(a.score)}</strong>
                  </div>
                  {COMPONENTS.map((c) => (
                    <div role="cell" class="c-num c-comp" key={c}>
                      {num(a.components[c])}
                    </div>
                  ))}
                  <div role="cell" class="c-num">
                    {a.mrr === null ? "—" : fmt(a.mrr, "money")}
                  </div>
                  <div role="cell" class="c-text">
                    {a.owner ?? ""}
                  </div>
                  <div role="cell" class="c-text">
                    {a.segment ?? ""}
                  </div>
                </div>
              );
            })}
          </div>
          {rows.length === 0 && <p class="muted pad">{t("accounts.none")}</p>}
        </div>
      </div>
    </section>
  );
}

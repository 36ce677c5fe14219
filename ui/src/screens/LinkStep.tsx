// The link step (sources.md §1): after an import, the values of its customer column that
// matched no account (another tool's id, a company name, a private e-mail) or several, with
// their rows left out. The user says once who each is — a proposed account, any account
// found by name or id, or "not a customer" — and CS Pulse keeps the answer for every later
// import; "Import again" reads the file once more with the answers. Proposals are shown,
// never applied unasked.
import { useMemo, useState } from "preact/hooks";
import { ErrorBanner, useAsync, useTexts } from "../components/common";
import { numberFormat } from "../format";
import { linkBook, linkValue, unlinkValue, type CommandError, type Link, type LinkReport } from "../ipc";
import type { ImportedBatch } from "../ipc/bindings/ImportedBatch";

/** How many values the step lists at first (the most rows first); the rest on request. */
export const SHOWN_AT_FIRST = 12;

/** One value to answer for: unmatched (with proposals) or fitting several accounts. */
export interface Question {
  value: string;
  rows: number;
  firstRow: number;
  freeMail: boolean;
  /** Proposed or candidate accounts: id and, where known, name. */
  offers: { account_id: string; name: string | null }[];
  ambiguous: boolean;
}

/** The values of a report the user can answer, most rows first. */
export function questions(report: LinkReport | null): Question[] {
  if (!report) return [];
  const out: Question[] = [
    ...report.unmatched.map((u) => ({
      value: u.value,
      rows: u.rows,
      firstRow: u.first_row,
      freeMail: u.free_mail,
      offers: u.proposals.map((p) => ({ account_id: p.account_id, name: p.name })),
      ambiguous: false,
    })),
    ...report.ambiguous.map((a) => ({
      value: a.value,
      rows: a.rows,
      firstRow: a.first_row,
      freeMail: false,
      offers: a.candidates.map((id) => ({ account_id: id, name: null })),
      ambiguous: true,
    })),
  ];
  return out.sort((x, y) => y.rows - x.rows || x.value.localeCompare(y.value));
}

/** An account typed or picked in the search field: the text shown for it is "name · id";
 * a bare id or an exact name (when only one account has it) works too. */
export function accountOf(text: string, accounts: { account_id: string; name: string }[]): string | null {
  const t = text.trim();
  if (!t) return null;
  const shown = accounts.find((a) => `${a.name} · ${a.account_id}` === t);
  if (shown) return shown.account_id;
  const byId = accounts.find((a) => a.account_id === t);
  if (byId) return byId.account_id;
  const byName = accounts.filter((a) => a.name.trim().toLowerCase() === t.toLowerCase());
  return byName.length === 1 ? byName[0]!.account_id : null;
}

export function LinkStep(props: { batch: ImportedBatch; onImportAgain?: () => void; busy?: boolean }) {
  const texts = useTexts();
  const { t, lang } = texts;
  const nf = numberFormat(texts.locale);
  const all = useMemo(() => questions(props.batch.links), [props.batch]);
  const book = useAsync(() => (all.length > 0 ? linkBook(lang) : Promise.resolve(null)), [props.batch.batch_id, lang]);
  // the answers given here (value → link); `null`: taken back
  const [given, setGiven] = useState<Record<string, Link | null>>({});
  const [error, setError] = useState<CommandError | null>(null);
  const [more, setMore] = useState(false);
  if (all.length === 0) return null;
  const accounts = book.data?.accounts ?? [];
  const nameOf = (id: string) => accounts.find((a) => a.account_id === id)?.name ?? id;
  const stored = (value: string): Link | null => {
    if (value in given) return given[value] ?? null;
    return book.data?.links.find((l) => l.value === value.trim()) ?? null;
  };
  const answer = async (value: string, accountId: string | null) => {
    try {
      const link = await linkValue(value, accountId, lang);
      setGiven((g) => ({ ...g, [value]: link }));
      setError(null);
    } catch (e) {
      setError(e as CommandError);
    }
  };
  const takeBack = async (value: string) => {
    try {
      await unlinkValue(value, lang);
      setGiven((g) => ({ ...g, [value]: null }));
      setError(null);
    } catch (e) {
      setError(e as CommandError);
    }
  };
  const rows = all.reduce((n, q) => n + q.rows, 0);
  const answered = Object.values(given).filter((l) => l !== null).length;
  const shown = more ? all : all.slice(0, SHOWN_AT_FIRST);
  const listId = `link-accounts-${props.batch.batch_id}`;
  return (
    <section class="link-step" data-testid="link-step" aria-labelledby={`link-title-${props.batch.batch_id}`}>
      <h3 id={`link-title-${props.batch.batch_id}`}>
        {t("links.title", { count: all.length, values: nf.format(all.length), rows: nf.format(rows) })}
      </h3>
      <p class="muted small">{t("links.hint", { column: props.batch.links?.column ?? "" })}</p>
      {error && <ErrorBanner error={error} onClose={() => setError(null)} />}
      {book.error && <ErrorBanner error={book.error} onRetry={book.reload} />}
      {book.data && accounts.length === 0 && <p class="warn small">{t("links.noAccounts")}</p>}
      <datalist id={listId}>
        {accounts.map((a) => (
          <option key={a.account_id} value={`${a.name} · ${a.account_id}`} />
        ))}
      </datalist>
      <ul class="link-list">
        {shown.map((q) => {
          const link = stored(q.value);
          return (
            <li key={q.value} data-testid="link-value" data-value={q.value}>
              <div class="link-what">
                <code>{q.value}</code>{" "}
                <span class="muted small">
                  {t("links.rows", { count: q.rows, rows: nf.format(q.rows), first: q.firstRow })}
                  {q.ambiguous && ` · ${t("links.ambiguous")}`}
                  {q.freeMail && ` · ${t("links.freeMail")}`}
                </span>
              </div>
              {link ? (
                <div class="link-answer" data-testid="link-answer">
                  <span class="ok">
                    {link.account_id === null
                      ? t("links.notCustomerGiven")
                      : t("links.linkedTo", { name: nameOf(link.account_id), id: link.account_id })}
                  </span>{" "}
                  <button type="button" class="link small" onClick={() => void takeBack(q.value)} data-testid="link-change">
                    {t("links.change")}
                  </button>
                </div>
              ) : (
                <div class="link-choices">
                  {q.offers.map((o) => (
                    <button
                      type="button"
                      key={o.account_id}
                      class="small"
                      onClick={() => void answer(q.value, o.account_id)}
                      data-testid="link-offer"
                      title={t("links.offerHint")}
                    >
                      {t(q.ambiguous ? "links.candidate" : "links.offer", { name: o.name ?? nameOf(o.account_id), id: o.account_id })}
                    </button>
                  ))}
                  <AccountSearch
                    listId={listId}
                    label={t("links.search", { value: q.value })}
                    placeholder={t("links.searchShort")}
                    onPick={(text) => {
                      const id = accountOf(text, accounts);
                      if (id) void answer(q.value, id);
                      return id !== null;
                    }}
                    invalid={t("links.searchNone")}
                  />
                  <button type="button" class="small" onClick={() => void answer(q.value, null)} data-testid="link-not-customer">
                    {t("links.notCustomer")}
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {!more && all.length > SHOWN_AT_FIRST && (
        <button type="button" class="link small" onClick={() => setMore(true)} data-testid="link-more">
          {t("links.more", { count: all.length - SHOWN_AT_FIRST })}
        </button>
      )}
      {(props.batch.links?.values_not_listed ?? 0) > 0 && (
        <p class="muted small">{t("links.notListed", { count: props.batch.links!.values_not_listed })}</p>
      )}
      {answered > 0 && props.onImportAgain && (
        <p class="link-again">
          <button type="button" class="primary" disabled={props.busy} onClick={props.onImportAgain} data-testid="import-again">
            {t("links.importAgain", { count: answered })}
          </button>{" "}
          <span class="muted small">{t("links.importAgainHint")}</span>
        </p>
      )}
    </section>
  );
}

/** A field to find an account by name or id (the browser's list of suggestions); Enter or
 * leaving the field links the value when the text names one account. */
function AccountSearch(props: {
  listId: string;
  label: string;
  placeholder: string;
  invalid: string;
  onPick: (text: string) => boolean;
}) {
  const [text, setText] = useState("");
  const [bad, setBad] = useState(false);
  const pick = () => {
    if (!text.trim()) return;
    const ok = props.onPick(text);
    setBad(!ok);
    if (ok) setText("");
  };
  return (
    <span class="link-search">
      <input
        type="search"
        list={props.listId}
        value={text}
        aria-label={props.label}
        placeholder={props.placeholder}
        aria-invalid={bad}
        onInput={(e) => {
          setText(e.currentTarget.value);
          setBad(false);
        }}
        onChange={pick}
        onKeyDown={(e) => {
          if (e.key === "Enter") pick();
        }}
        data-testid="link-search"
      />
      {bad && (
        <span class="warn small" role="alert">
          {props.invalid}
        </span>
      )}
    </span>
  );
}

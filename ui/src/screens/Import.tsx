// The import wizard: drop files on the window or pick them; for each file and sheet the
// detected kind, header row and column mapping with the first rows, all changeable (the
// file is read again with each choice); problems that block a table are named beside it;
// then one import per file (all its tables in one transaction) with a progress bar, rows/s
// and cancel; the validation issues afterwards (savable as a spreadsheet); and the import
// history with lineage and undo.
import { numberFormat, dateFormat } from "../format";
import { Fragment } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { formatMonth } from "../format";
import type { CardMemory, ImportQueue } from "../queue";
import { ErrorBanner, Loading, useAsync, useConfirm, useTexts, type Undone } from "../components/common";
import {
  alreadyImported,
  batchIssues,
  findProfile,
  cancelImport,
  hasSample,
  importOverlaps,
  chooseImportFiles,
  importFile,
  inspectFile,
  listBatches,
  saveIssues,
  undoBatch,
  type Batch,
  type ChosenFile,
  type CommandError,
  type Imported,
  type ImportEvent,
  type Kind,
  type Overlap,
  type TableChoice,
  type TablePreview,
} from "../ipc";
import { fieldLabel } from "../present";
import {
  asksAboutSample,
  chooseColumn,
  columnRole,
  fieldOfColumn,
  fileOptions,
  fileRows,
  fileStatus,
  importable,
  importOptions,
  monthsOf,
  overallFraction,
  overlapTotals,
  reportMonth,
  profileChoice,
  profileOptions,
  overlapLines,
  tableKey,
  uncertainSheets,
} from "../wizard";
import { LinkStep, questions } from "./LinkStep";

const KINDS = ["accounts", "revenue", "renewals", "surveys", "tickets", "usage", "touchpoints", "campaigns", "costs", "leads", "orders"] as const;

export function ImportScreen(props: {
  /** The queue of files, held by the window so that it survives leaving the screen. */
  queue: ImportQueue;
  /** Files dropped on the window or opened with the app, as Rust handed them over. */
  dropped: ChosenFile[];
  dragging: boolean;
  onDroppedTaken: () => void;
  onChanged: () => void;
  /** An import committed (what was undone before can no longer be taken back). */
  onImported?: () => void;
  /** A batch was undone: the notice offers to take it back. */
  onUndone?: (undone: Undone) => void;
  /** Bumped when something was taken back: the history reloads. */
  version?: number;
  /** Bumped by the menu's Import…: opens the file dialog (once: `onPickTaken` resets it). */
  pickRequest?: number;
  onPickTaken?: () => void;
  /** The months the dashboard has data for (the board report's choices). */
  months?: string[];
  /** "Board report for <month>": opens the report dialog for that month. */
  onReport?: (month: string) => void;
}) {
  const texts = useTexts();
  const { t, lang } = texts;
  const queue = props.queue;
  // the queue lives outside the screen: draw again when it changes
  const [, redraw] = useState(0);
  useEffect(() => queue.subscribe(() => redraw((n) => n + 1)), [queue]);
  const files = queue.files;
  const [historyVersion, setHistoryVersion] = useState(0);
  const [error, setError] = useState<CommandError | null>(null);

  useEffect(() => {
    if (props.dropped.length) {
      queue.add(props.dropped);
      props.onDroppedTaken();
    }
  }, [props.dropped]);

  const pick = async () => {
    try {
      queue.add(await chooseImportFiles(lang));
      setError(null);
    } catch (e) {
      setError(e as CommandError);
    }
  };
  useEffect(() => {
    if (props.pickRequest) {
      props.onPickTaken?.();
      void pick();
    }
  }, [props.pickRequest]);
  const changed = () => {
    setHistoryVersion((v) => v + 1);
    props.onChanged();
  };
  const imported = () => {
    changed();
    props.onImported?.();
  };

  // the first own import asks, once for all files, whether it replaces the sample company
  const sample = useAsync(
    () => Promise.all([hasSample(lang), listBatches(lang)]).then(([has, batches]) => asksAboutSample(has, batches)),
    [lang, historyVersion, props.version, files.length > 0],
  );
  const asksSample = sample.data === true && files.length > 0;

  // a file's status as its row now shows it (not yet drawn again after the screen came back: reading)
  const statuses = files.map((f) => {
    const h = queue.handles.get(f.token);
    return h?.shown ? h.status : "reading";
  });
  const ready = files.filter((_, i) => importable(statuses[i]!));
  const waiting = statuses.filter((s) => s === "needs_answer").length;
  const done = statuses.filter((s) => s === "imported").length;
  const run = queue.run;

  const importAll = async () => {
    if (queue.run) return;
    const order = ready.map((f) => f.token);
    queue.run = { done: 0, total: order.length, current: null, fraction: 0, cancelled: false };
    queue.notify();
    let replaceSample = asksSample && queue.replaceSample;
    try {
      for (const token of order) {
        const r = queue.run;
        if (r.cancelled) break;
        const h = queue.handles.get(token);
        if (h && importable(h.status)) {
          r.current = h.name;
          r.fraction = 0;
          queue.notify();
          const ok = await h.run(replaceSample, (f) => {
            r.fraction = f;
            queue.notify();
          });
          if (ok) {
            replaceSample = false;
            imported();
          }
        }
        r.done += 1;
        queue.notify();
      }
    } finally {
      queue.run = null;
      queue.notify();
    }
  };
  const cancelAll = () => {
    if (!queue.run) return;
    queue.run.cancelled = true;
    const current = files.find((f) => queue.handles.get(f.token)?.status === "importing");
    if (current) queue.handles.get(current.token)?.cancel();
    queue.notify();
  };

  // after an import: the board report of the month the files reach
  const importedMonths = files.filter((f) => queue.memory.get(f.token)?.results).map((f) => queue.handles.get(f.token)?.months ?? null);
  const month = done > 0 && !run ? reportMonth(importedMonths, props.months ?? []) : null;
  const nf = numberFormat(texts.locale, { maximumFractionDigits: 0 });

  return (
    <section class="import" aria-labelledby="import-title">
      <div class="toolbar">
        <h2 id="import-title">{t("import.title")}</h2>
      </div>
      <div class={`dropzone${props.dragging ? " over" : ""}`} data-testid="dropzone">
        <strong>{t("import.drop")}</strong>
        <span class="muted">{t("import.formats")}</span>
        <button type="button" class="primary" onClick={() => void pick()} data-testid="pick-files">
          {t("import.pick")}
        </button>
      </div>
      {error && <ErrorBanner error={error} onClose={() => setError(null)} />}
      {files.length > 0 && (
        <section class="card review" aria-labelledby="review-title" data-testid="review">
          <div class="review-head">
            <h2 id="review-title">
              {t("import.reviewTitle", { count: files.length })}{" "}
              <span class="muted small" data-testid="review-summary">
                {t("import.reviewSummary", { ready: ready.length, waiting, done })}
              </span>
            </h2>
            <span class="grow" />
            {month && (
              <button type="button" onClick={() => props.onReport?.(month)} data-testid="board-report">
                {t("import.boardReport", { month: formatMonth(month, texts.locale) })}
              </button>
            )}
            {run ? (
              <button type="button" onClick={cancelAll} disabled={run.cancelled} data-testid="cancel-all">
                {t("common.cancel")}
              </button>
            ) : (
              <button type="button" class="primary" disabled={ready.length === 0} onClick={() => void importAll()} data-testid="import-all">
                {t("import.importAll", { count: ready.length })}
              </button>
            )}
          </div>
          {asksSample && !run && (
            <fieldset class="choice sample-question" data-testid="sample-question">
              <legend>{t("import.sampleQuestion")}</legend>
              <label class="check">
                <input
                  type="radio"
                  name="sample-replace"
                  checked={queue.replaceSample}
                  onChange={() => {
                    queue.replaceSample = true;
                    queue.notify();
                  }}
                  data-testid="sample-replace"
                />
                <span>{t("import.sampleReplace")}</span>
              </label>
              <label class="check">
                <input
                  type="radio"
                  name="sample-replace"
                  checked={!queue.replaceSample}
                  onChange={() => {
                    queue.replaceSample = false;
                    queue.notify();
                  }}
                  data-testid="sample-keep"
                />
                <span>{t("import.sampleKeep")}</span>
              </label>
            </fieldset>
          )}
          {/* always there, so that nothing below moves when an import starts or ends */}
          <div class="review-progress" data-testid="import-all-progress" aria-live="polite">
            <progress max={1} value={run ? overallFraction(run.done, run.total, run.fraction) : done > 0 ? 1 : 0} />
            <span class="muted small">
              {run
                ? t(run.cancelled ? "import.allCancelling" : "import.allProgress", {
                    n: nf.format(Math.min(run.done + 1, run.total)),
                    total: nf.format(run.total),
                    file: run.current ?? "",
                  })
                : done > 0
                  ? t("import.allDone", { count: done })
                  : waiting > 0
                    ? t("import.allWaiting", { count: waiting })
                    : ""}
            </span>
          </div>
          <div class="review-list" role="list">
            {files.map((f) => (
              <FileCard
                key={f.token}
                file={f}
                queue={queue}
                onRemove={() => queue.remove(f.token)}
              />
            ))}
          </div>
        </section>
      )}
      <History version={historyVersion + (props.version ?? 0)} onChanged={changed} onUndone={props.onUndone} />
    </section>
  );
}

/** One file of the review: a row (kind, months, rows, overlap, status or the question to
 * answer) and its details (each table as detected, adjustable), imported by "Import all". */
function FileCard(props: { file: ChosenFile; queue: ImportQueue; onRemove: () => void }) {
  const texts = useTexts();
  const { t, lang } = texts;
  const { queue, file } = props;
  const token = file.token;
  const mem = queue.mem(token);
  // state that outlives the screen: kept in the queue as well
  const remembered = <K extends keyof CardMemory>(key: K, initial: CardMemory[K]) => {
    const [v, set] = useState<CardMemory[K]>(() => (mem[key] as CardMemory[K] | undefined) ?? initial);
    const update = (next: CardMemory[K] | ((prev: CardMemory[K]) => CardMemory[K])) => {
      const value = typeof next === "function" ? (next as (p: CardMemory[K]) => CardMemory[K])((queue.mem(token)[key] as CardMemory[K] | undefined) ?? initial) : next;
      queue.remember(token, key, value);
      set(value);
    };
    return [v, update] as const;
  };
  // sheets left out because their kind is a question, once the user answered it
  const [answered, setAnswered] = remembered("answered", {});
  // tables whose kind was a question, answered in the file's row
  const [kindAnswers, setKindAnswers] = remembered("kindAnswers", {});
  const answers: TableChoice[] = Object.entries(answered).map(([sheet, kind]) => ({ sheet, kind }));
  // the profile saved for the file's shape: its choices are the starting point ("change"
  // goes back to the detection)
  const found = useAsync(() => findProfile(file, lang).catch(() => null), [token, lang]);
  const [useProfile, setUseProfile] = remembered("useProfile", true);
  const profile = useProfile && !found.loading ? (found.data ?? null) : null;
  const base = profile ? profileOptions(profile.choices) : {};
  const withAnswers = answers.length ? { ...base, tables: [...(base.tables ?? []), ...answers] } : base;
  const info = useAsync(
    () => (found.loading ? new Promise<never>(() => {}) : inspectFile(file, withAnswers, lang)),
    [token, lang, JSON.stringify(answered), found.loading, profile?.name ?? ""],
  );
  const detected = (sheet: string | null): TableChoice => {
    const k = tableKey(sheet);
    if (profile) return profileChoice(profile.choices, sheet);
    if (kindAnswers[k]) return { sheet, kind: kindAnswers[k] };
    return sheet !== null && answered[sheet] ? { sheet, kind: answered[sheet] } : { sheet };
  };
  const [choices, setChoices] = remembered("choices", {});
  // what a table starts from: the user's choices kept from before, else what was detected
  const initialChoice = (sheet: string | null): TableChoice => {
    const kept = choices[tableKey(sheet)];
    return kept && !kindAnswers[tableKey(sheet)] ? kept : detected(sheet);
  };
  const [blocked, setBlocked] = useState<Record<string, boolean>>({});
  const [replace, setReplace] = remembered("replace", false);
  const [overlapChoice, setOverlap] = remembered("overlap", null);
  const overlap: Overlap = overlapChoice ?? profile?.choices.overlap ?? "supersede";
  const before = useAsync(() => alreadyImported(file, null, lang), [token, lang]);
  const [results, setResults] = remembered("results", null);
  // one file alone shows its details at once; of many, each row opens its own
  const [open, setOpen] = remembered("open", queue.files.length === 1);
  const [error, setError] = useState<CommandError | null>(null);
  const [running, setRunning] = useState<{ id: number | null; progress: ImportEvent | null; committing: boolean } | null>(null);
  const runningId = useRef<number | null>(null);

  const tables = info.data?.tables ?? [];
  const importing = tables.filter((tb) => !choices[tableKey(tb.sheet)]?.skip);
  // every table has been read with its choices and none is blocked
  const settled = !info.loading && tables.every((tb) => tableKey(tb.sheet) in blocked);
  const isBlocked = Object.values(blocked).some(Boolean);
  const ready = settled && importing.length > 0 && !isBlocked;
  // what the file overlaps among earlier imports, read again when the choices settle
  const choiceKey = JSON.stringify(choices);
  const compare = ready && !before.data && !results;
  // the answer names what it was asked for: for one render after the choices settle, the
  // data is still that of the question before
  const overlapKey = JSON.stringify([choiceKey, compare]);
  const overlaps = useAsync(
    () => (compare ? importOverlaps(file, importOptions(choices), lang) : Promise.resolve([])).then((list) => ({ key: overlapKey, list })),
    [token, lang, overlapKey],
  );
  const overlapsCurrent = overlaps.data?.key === overlapKey;
  const overlapList = overlaps.data?.list ?? [];
  const lines = overlapLines(overlapList);
  const totals = overlapTotals(overlapList);
  // once imported, the months it reached as compared before (nothing is compared after)
  const [importedMonths, setImportedMonths] = remembered("months", null);
  const months = results ? importedMonths : monthsOf(overlapList);
  const rows = fileRows(importing);
  // the profile's choices as they were: the import records its use instead of saving new ones
  const profileKept =
    profile !== null && tables.every((tb) => JSON.stringify(choices[tableKey(tb.sheet)] ?? null) === JSON.stringify(detected(tb.sheet)));
  const status = fileStatus({
    reading: !!info.error || !info.data || !settled || before.loading || (compare && !overlapsCurrent && !overlaps.error),
    importing: importing.length,
    blocked: isBlocked || !!info.error,
    already: !!before.data && !replace,
    running: running !== null,
    imported: results !== null,
    failed: error !== null,
  });

  // `again`: the file once more over its own import (after the link step's answers)
  const run = async (replaceSample: boolean, onFraction: (f: number) => void, again = false): Promise<boolean> => {
    setError(null);
    setRunning({ id: null, progress: null, committing: false });
    try {
      const done = await importFile(file, fileOptions(choices, overlap, replaceSample, profileKept ? profile!.name : null), replace || again, lang, (e) => {
        if (e.event === "started") runningId.current = e.import_id;
        if (e.event === "progress") onFraction(e.file_fraction);
        setRunning((r) => {
          if (!r) return r;
          if (e.event === "started") return { ...r, id: e.import_id };
          if (e.event === "committing") return { ...r, committing: true };
          return { ...r, progress: e };
        });
      });
      setImportedMonths(months);
      setResults(done);
      return true;
    } catch (e) {
      setError(e as CommandError);
      return false;
    } finally {
      runningId.current = null;
      setRunning(null);
    }
  };
  // "Import all" reaches the file through the queue (also after the screen was left)
  queue.handles.set(token, {
    status,
    shown: true,
    name: file.name,
    months,
    run,
    cancel: () => {
      if (runningId.current !== null) void cancelImport(runningId.current, lang);
    },
  });
  // the queue's counts follow this file's status
  useEffect(() => queue.notify(), [status]);
  // once the screen is left, what it knew of the file may be out of date when it is back
  useEffect(
    () => () => {
      const h = queue.handles.get(token);
      if (h) h.shown = false;
    },
    [],
  );

  const progress = running?.progress?.event === "progress" ? running.progress : null;
  const nf = numberFormat(texts.locale, { maximumFractionDigits: 0 });
  const day = (iso: string) => dateFormat(texts.locale, { dateStyle: "medium" }).format(new Date(iso));
  // each table's kind as it will be imported: the user's choice, else what was recognised
  const kinds = [...new Set(importing.map((tb) => choices[tableKey(tb.sheet)]?.kind ?? tb.kind).filter((k): k is Kind => k != null))];
  // the question the row asks: a table's kind, else a sheet left out as a question
  const kindQuestion = (() => {
    for (const tb of importing) {
      const p = tb.problems.find((x) => x.code === "kind_uncertain" && x.kinds.length > 0);
      if (p && !kindAnswers[tableKey(tb.sheet)]) return { table: true, sheet: tb.sheet, kinds: p.kinds };
    }
    return null;
  })();
  const problemTable = importing.find((tb) => tb.problems.length > 0) ?? null;
  const problem = problemTable?.problems[0] ?? null;
  const answerKind = (k: Kind) => {
    if (!kindQuestion) return;
    setKindAnswers((a) => ({ ...a, [tableKey(kindQuestion.sheet)]: k }));
    setChoices((c) => {
      const next = { ...c };
      delete next[tableKey(kindQuestion.sheet)];
      return next;
    });
  };

  return (
    <article class={`review-item file-card status-${status}`} role="listitem" data-testid="file-card" data-status={status} data-file={file.name}>
      <div class="review-row">
        <span class="review-name">
          <strong title={file.folder}>{file.name}</strong>
          {tables.length > 1 && <span class="muted small"> · {t("import.tables", { count: importing.length })}</span>}
        </span>
        <span class="review-kind" data-testid="row-kind">
          {kinds.map((k) => t(`datasetName.${k}`)).join(", ") || "—"}
        </span>
        <span class="review-months muted small" data-testid="row-months">
          {months ? monthRange(months, texts.locale) : ""}
        </span>
        <span class="review-rows num small" data-testid="row-rows">
          {rows ? t(rows.exact ? "import.rowsExact" : "import.rowsAbout", { count: rows.rows, formatted: nf.format(rows.rows) }) : ""}
        </span>
        <span class="review-overlap small" data-testid="overlap-summary">
          {totals
            ? t(overlap === "add" ? "import.rowOverlapAdd" : "import.rowOverlapReplace", {
                count: totals.rows,
                rows: nf.format(totals.rows),
                changed: nf.format(totals.changed),
              })
            : ""}
        </span>
        <span class="review-status small" data-testid="row-status">
          {status === "reading" && !info.error && <span class="muted">{t("import.reading")}</span>}
          {info.error && <span class="warn">{info.error.message}</span>}
          {status === "needs_answer" && !info.error &&
            (kindQuestion ? (
              <span class="warn" data-testid="row-question">
                {t("import.rowKindQuestion")}
                <KindChoices kinds={kindQuestion.kinds} onChoose={answerKind} testid="row-kind-choice" />
              </span>
            ) : (
              <span class="warn" data-testid="row-question">
                {problem?.code === "missing_required_field"
                  ? t("import.missing", {
                      fields: problem.fields.map((f) => (problemTable?.kind ? fieldLabel(problemTable.kind, f, texts) : f)).join(", "),
                    })
                  : (problem?.message ?? t("import.rowNeedsAnswer"))}{" "}
                {!open && (
                  <button type="button" class="link" onClick={() => setOpen(true)} data-testid="row-answer">
                    {t("import.rowAnswer")}
                  </button>
                )}
              </span>
            ))}
          {status === "ready" && <span class="ok">{t("import.rowReady")}</span>}
          {status === "nothing" && <span class="muted">{t("import.rowNothing")}</span>}
          {status === "already" && before.data && (
            <span class="muted" data-testid="row-already">
              {t("import.rowAlready", { when: day(before.data.imported_at) })}
            </span>
          )}
          {status === "importing" && (
            <span>
              {running?.committing
                ? t("import.committing")
                : t("import.rowImporting", { percent: nf.format(Math.round((progress?.file_fraction ?? 0) * 100)) })}
            </span>
          )}
          {status === "imported" && results && (
            <span class="ok" data-testid="row-imported">
              ✓ {t("import.rowImported", { count: results.batches.reduce((n, b) => n + b.rows_imported, 0), rows: nf.format(results.batches.reduce((n, b) => n + b.rows_imported, 0)) })}
            </span>
          )}
          {status === "imported" && results && results.batches.some((b) => questions(b.links).length > 0) && (
            <span class="warn small" data-testid="row-unlinked">
              {" "}
              · {t("links.rowNote", { count: results.batches.reduce((n, b) => n + questions(b.links).length, 0) })}
            </span>
          )}
          {status === "failed" && error && (
            <span class="warn" data-testid="row-failed">
              {error.code === "cancelled" ? t("import.cancelled") : error.message}
            </span>
          )}
        </span>
        <span class="review-actions">
          <button type="button" class="link" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="row-details">
            {t(open ? "import.rowHide" : "import.rowShow")}
          </button>
          {/* kept in place (only hidden) while importing or once imported: nothing slides under the cursor */}
          <button
            type="button"
            class="ghost"
            style={results || running ? { visibility: "hidden" } : undefined}
            disabled={!!results || !!running}
            onClick={props.onRemove}
            aria-label={t("import.remove")}
            data-testid="row-remove"
          >
            ×
          </button>
        </span>
      </div>
      <div class="review-detail" hidden={!open} data-testid="row-detail">
        <span class="muted small path">{file.folder}</span>
        {info.error && <ErrorBanner error={info.error} onRetry={info.reload} />}
        {!info.data && !info.error && <Loading label={t("import.reading")} />}
        {results && (
          <Results
            results={results}
            onImportAgain={() => {
              setReplace(true);
              void run(false, () => {}, true);
            }}
            busy={running !== null}
          />
        )}
        {results?.profile && (
          <p class="muted small" data-testid="result-profile">
            {t("import.profileImported", { name: results.profile })} <a href="#/settings">{t("import.profileChange")}</a>
          </p>
        )}
        {results?.profile_saved && (
          <p class="muted small" data-testid="result-profile-saved">
            {t("import.profileSaved", { name: results.profile_saved })} <a href="#/settings">{t("import.profileChange")}</a>
          </p>
        )}
        {info.data && !results && (
          <>
            {info.data.skipped_sheets.length > 0 && (
              <ul class="muted small" data-testid="skipped-sheets">
                {info.data.skipped_sheets.map((s) => (
                  <li key={s.sheet}>
                    {t("import.skipped", {
                      sheet: s.sheet,
                      reason: texts.i18n.exists(`import.skip.${s.reason}`) ? t(`import.skip.${s.reason}`) : s.reason,
                    })}
                  </li>
                ))}
              </ul>
            )}
            {uncertainSheets(info.data.skipped_sheets).map((u) => (
              <div class="field inline warn small" key={u.sheet} data-testid="sheet-kind-question">
                <span>{t("import.sheetKindQuestion", { sheet: u.sheet })}</span>
                <KindChoices kinds={u.candidates} onChoose={(k) => setAnswered((a) => ({ ...a, [u.sheet]: k }))} />
              </div>
            ))}
            {before.data && (
              <div class="notice small" role="status" data-testid="already-imported">
                {t("import.alreadyNotice", {
                  when: dateFormat(texts.locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(before.data.imported_at)),
                  file: before.data.file,
                })}
                <label class="check">
                  <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.currentTarget.checked)} data-testid="replace" />
                  <span>{t("import.replace")}</span>
                </label>
              </div>
            )}
            {profile && (
              <p class="notice small" role="status" data-testid="profile-used">
                {t("import.profileUsed", { name: profile.name })}{" "}
                <button
                  type="button"
                  class="link"
                  onClick={() => {
                    setUseProfile(false);
                    setChoices({});
                    setBlocked({});
                  }}
                  data-testid="profile-change"
                >
                  {t("import.profileChange")}
                </button>
              </p>
            )}
            {tables.map((table) => (
              <TableBlock
                key={`${tableKey(table.sheet)}|${profile?.name ?? ""}|${kindAnswers[tableKey(table.sheet)] ?? ""}`}
                file={file}
                initial={table}
                initialChoice={initialChoice(table.sheet)}
                several={tables.length > 1}
                onChoice={(c, ok) => {
                  setChoices((all) => ({ ...all, [tableKey(table.sheet)]: c }));
                  setBlocked((all) => ({ ...all, [tableKey(table.sheet)]: !ok && !c.skip }));
                }}
              />
            ))}
            {lines.length > 0 && (
              <div class="overlap-box" data-testid="overlaps">
                <ul>
                  {lines.map((l) => (
                    <li key={`${l.sheet ?? ""}-${l.batch.batch_id}`} data-testid="overlap-line">
                      {t("import.overlapLine", {
                        kind: t(`datasetName.${l.kind}`),
                        when: day(l.batch.imported_at),
                        file: l.batch.file + (l.batch.sheet ? ` · ${l.batch.sheet}` : ""),
                        count: l.batch.rows,
                        rows: nf.format(l.batch.rows),
                        changed: nf.format(l.batch.changed),
                      })}{" "}
                      <strong>{t(overlap === "add" ? "import.overlapAdded" : "import.overlapReplaced")}</strong>
                    </li>
                  ))}
                </ul>
                <fieldset class="choice">
                  <legend class="small muted">{t("import.overlapQuestion")}</legend>
                  <label class="check">
                    <input
                      type="radio"
                      name={`overlap-${token}`}
                      checked={overlap === "supersede"}
                      onChange={() => setOverlap("supersede")}
                      data-testid="overlap-supersede"
                    />
                    <span>{t("import.overlapSupersede")}</span>
                  </label>
                  <label class="check">
                    <input type="radio" name={`overlap-${token}`} checked={overlap === "add"} onChange={() => setOverlap("add")} data-testid="overlap-add" />
                    <span>{t("import.overlapAdd")}</span>
                  </label>
                </fieldset>
              </div>
            )}
            {compare && !overlapsCurrent && !overlaps.error && <p class="muted small">{t("import.overlapReading")}</p>}
            {overlaps.error && overlaps.error.code !== "superseded" && <ErrorBanner error={overlaps.error} onRetry={overlaps.reload} />}
            {running && (
              <div class="progress" data-testid="import-progress">
                <progress max={1} value={progress?.file_fraction ?? 0} />
                <span class="muted small">
                  {running.committing
                    ? t("import.committing")
                    : progress
                      ? t("import.progress", { rows: nf.format(progress.rows), speed: nf.format(progress.rows_per_second) })
                      : t("import.starting")}
                </span>
              </div>
            )}
            {error && error.code !== "cancelled" && <ErrorBanner error={error} />}
          </>
        )}
      </div>
    </article>
  );
}

/** "Okt 2026" or "Sep 2026 – Nov 2026". */
function monthRange([a, z]: [string, string], locale: string): string {
  return a === z ? formatMonth(a, locale) : `${formatMonth(a, locale)} – ${formatMonth(z, locale)}`;
}

/** One table: kind, header row, a field per column, the first rows; what blocks it. */
function TableBlock(props: {
  file: ChosenFile;
  initial: TablePreview;
  several: boolean;
  /** What was chosen for it before the user touched it: a profile's choices, or the kind
   * the user gave a sheet that was left out as a question. */
  initialChoice?: TableChoice;
  onChoice: (c: TableChoice, ok: boolean) => void;
}) {
  const texts = useTexts();
  const { t, lang } = texts;
  const sheet = props.initial.sheet;
  const [choice, setChoice] = useState<TableChoice>(props.initialChoice ?? { sheet });
  const changed =
    choice.kind != null ||
    choice.header_row != null ||
    Object.keys(choice.map ?? {}).length > 0 ||
    !!choice.date_order ||
    Object.keys(choice.values ?? {}).length > 0;
  const key = JSON.stringify(choice);
  const shown = useAsync(
    () =>
      changed
        ? inspectFile(props.file, { sheet: sheet ?? undefined, tables: [choice] }, lang).then(
            (i) => i.tables.find((x) => x.sheet === sheet) ?? props.initial,
          )
        : Promise.resolve(props.initial),
    // a new reading of the file (a profile dropped, a sheet's kind answered) too
    [key, props.initial],
  );
  const table = shown.data ?? props.initial;
  const ok = !shown.loading && !shown.error && table.problems.length === 0;
  useEffect(() => props.onChoice(choice, ok), [key, ok]);
  const set = (patch: Partial<TableChoice>) => setChoice((c) => ({ ...c, ...patch }));
  const current = fieldOfColumn(table);
  const label = (f: string) => (table.kind ? fieldLabel(table.kind, f, texts) : f);
  const id = `t-${tableKey(sheet).replace(/\W/g, "_")}`;

  return (
    <section class="table-block" data-testid="table-block" data-kind={table.kind ?? ""}>
      <div class="table-controls">
        {sheet !== null && <strong>{t("import.sheet", { sheet })}</strong>}
        {props.several && (
          <label class="check">
            <input type="checkbox" checked={!choice.skip} onChange={(e) => set({ skip: !e.currentTarget.checked })} />
            <span>{t("import.include")}</span>
          </label>
        )}
        <div class="field">
          <label for={`${id}-kind`}>{t("import.kind")}</label>
          <select
            id={`${id}-kind`}
            data-testid="table-kind"
            value={table.kind ?? ""}
            onChange={(e) => set({ kind: (e.currentTarget.value || null) as TableChoice["kind"], map: {} })}
          >
            {table.kind === null && <option value="">{t("import.chooseKind")}</option>}
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`datasetName.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`${id}-header`}>{t("import.headerRow")}</label>
          <input
            id={`${id}-header`}
            type="number"
            min={1}
            value={table.header_row}
            onChange={(e) => {
              const n = Number(e.currentTarget.value);
              if (Number.isInteger(n) && n >= 1) set({ header_row: n, map: {} });
            }}
          />
        </div>
        {table.data_rows !== null && (
          <span class="muted small">
            {t(table.data_rows_exact ? "import.rowsExact" : "import.rowsAbout", {
              count: table.data_rows,
              formatted: numberFormat(texts.locale).format(table.data_rows),
            })}
          </span>
        )}
        {shown.loading && <span class="muted small">{t("import.updating")}</span>}
      </div>
      {table.unknown_words.length > 0 && (
        <div class="notice small unknown-words" data-testid="unknown-words">
          <p>{t("import.words.title")}</p>
          {table.unknown_words.map((w) => (
            <label key={`${w.field}/${w.word}`} class="word" data-testid="unknown-word" data-word={w.word}>
              <span>{t("import.words.word", { word: w.word, column: w.column, count: w.rows })}</span>
              <select
                value={choice.values?.[w.field]?.[w.word] ?? ""}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  const values = { ...(choice.values ?? {}) };
                  const words = { ...(values[w.field] ?? {}) };
                  if (v) words[w.word] = v;
                  else delete words[w.word];
                  values[w.field] = words;
                  set({ values });
                }}
              >
                <option value="">{t("import.words.choose")}</option>
                {w.choices.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
          ))}
        </div>
      )}
      {(table.profile || table.notes.length > 0) && (
        <div class="muted small table-notes" data-testid="table-notes">
          {table.profile && <p>{t("import.recognisedAs", { name: table.profile })}</p>}
          {table.notes.length > 0 && (
            <ul>
              {table.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {/* superseded: a newer reading of this table is on its way */}
      {shown.error && shown.error.code !== "superseded" && <ErrorBanner error={shown.error} />}
      {table.problems.map((p) => (
        <p
          class="problems"
          role="alert"
          key={p.code + p.fields.join()}
          data-testid={p.code === "unknown_kind" || p.code === "kind_uncertain" ? "kind-problem" : "mapping-problem"}
        >
          {p.code === "missing_required_field"
            ? t("import.missing", { fields: p.fields.map(label).join(", ") })
            : p.message}
          {p.code === "kind_uncertain" && p.kinds.length > 0 && (
            <KindChoices kinds={p.kinds} onChoose={(k) => set({ kind: k, map: {} })} />
          )}
        </p>
      ))}
      {table.assumptions.map((a) => (
        <div class="field inline warn small" key={a.column}>
          <span>{t("import.dateQuestion", { column: a.column, example: a.example })}</span>
          <select
            aria-label={t("import.dateQuestion", { column: a.column, example: a.example })}
            value={choice.date_order ?? a.assumed}
            onChange={(e) => set({ date_order: e.currentTarget.value as TableChoice["date_order"] })}
          >
            <option value="day_first">{t("import.dayFirst")}</option>
            <option value="month_first">{t("import.monthFirst")}</option>
          </select>
        </div>
      ))}
      {table.problems.length === 0 && table.issues.length > 0 && (
        <p class="warn small">{t("import.previewIssues", { count: table.issues.length })}</p>
      )}
      <div class="preview-wrap">
        <table class="preview" data-testid="preview">
          <thead>
            <tr>
              <th scope="col" class="muted">
                {t("import.row")}
              </th>
              {table.columns.map((col, j) => {
                const field = current.get(col) ?? "";
                const role = columnRole(table, j, current);
                const becomes = role && "label" in role ? role.label : null;
                return (
                  <th key={col} scope="col" class={field || becomes ? "mapped" : "unmapped"}>
                    <span class="col-name">{col}</span>
                    <select
                      aria-label={t("import.mapColumn", { column: col })}
                      data-testid={`map-${col}`}
                      value={field}
                      disabled={table.kind === null}
                      onChange={(e) => set({ map: chooseColumn(choice.map ?? {}, current, col, e.currentTarget.value) })}
                    >
                      <option value="">{becomes ?? t("import.ignore")}</option>
                      {table.fields.map((f) => (
                        <option key={f.field} value={f.field}>
                          {label(f.field)}
                          {f.required ? " *" : ""}
                        </option>
                      ))}
                    </select>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <tr key={row.row}>
                <td class="muted">{row.row}</td>
                {table.columns.map((col, j) => (
                  <td key={col} class={current.has(col) || table.column_labels[j] ? "mapped" : "unmapped"} title={row.cells[j] ?? ""}>
                    {row.cells[j] ?? ""}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The kinds a table could be, as buttons: the user's answer to the kind question. */
function KindChoices(props: { kinds: Kind[]; onChoose: (k: Kind) => void; testid?: string }) {
  const { t } = useTexts();
  return (
    <span class="kind-choices">
      {props.kinds.map((k) => (
        <button type="button" key={k} onClick={() => props.onChoose(k)} data-testid={`${props.testid ?? "kind-choice"}-${k}`}>
          {t(`datasetName.${k}`)}
        </button>
      ))}
    </span>
  );
}

function Results(props: { results: Imported; onImportAgain?: () => void; busy?: boolean }) {
  const texts = useTexts();
  const { t } = texts;
  return (
    <div data-testid="import-results">
      {props.results.batches.map((b) => (
        <div key={b.batch_id} class="result">
          <p>
            <span class="ok">✓ </span>
            {t("import.done", {
              kind: t(`datasetName.${b.kind}`),
              rows: numberFormat(texts.locale).format(b.rows_imported),
            })}
            {b.rows_skipped > 0 && <span class="warn"> {t("import.skippedRows", { count: b.rows_skipped })}</span>}
          </p>
          {b.overlaps.map((o) => (
            <p class="muted small" key={o.batch_id} data-testid="result-overlap">
              {t(b.overlap === "add" ? "import.resultAdded" : "import.resultReplaced", {
                count: o.rows,
                rows: numberFormat(texts.locale).format(o.rows),
                when: dateFormat(texts.locale, { dateStyle: "medium" }).format(new Date(o.imported_at)),
                file: o.file + (o.sheet ? ` · ${o.sheet}` : ""),
              })}
            </p>
          ))}
          <LinkStep batch={b} onImportAgain={props.onImportAgain} busy={props.busy} />
          {b.rows_skipped > 0 && <Issues batchId={b.batch_id} />}
        </div>
      ))}
    </div>
  );
}

/** The validation issues of a batch: row, column, value, reason; savable as a spreadsheet. */
function Issues(props: { batchId: number }) {
  const texts = useTexts();
  const { t, lang } = texts;
  const issues = useAsync(() => batchIssues(props.batchId, lang), [props.batchId, lang]);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const save = async () => {
    try {
      const done = await saveIssues(props.batchId, lang);
      if (done) setSaved(done.file);
      setError(null);
    } catch (e) {
      setError(e as CommandError);
    }
  };
  if (!issues.data) return issues.error ? <ErrorBanner error={issues.error} /> : <Loading />;
  const list = issues.data.issues;
  return (
    <div class="issues-block">
      <div class="toolbar">
        <strong>{t("import.issuesTitle", { count: list.length })}</strong>
        <button type="button" onClick={() => void save()} data-testid="save-issues">
          {t("import.saveIssues")}
        </button>
        {saved && (
          <span class="muted small" data-testid="issues-saved">
            {t("import.savedTo", { path: saved })}
          </span>
        )}
      </div>
      {error && <ErrorBanner error={error} />}
      <div class="preview-wrap">
        <table class="issues" data-testid="issues">
          <thead>
            <tr>
              <th scope="col">{t("import.row")}</th>
              <th scope="col">{t("import.column")}</th>
              <th scope="col">{t("import.value")}</th>
              <th scope="col">{t("import.reason")}</th>
            </tr>
          </thead>
          <tbody>
            {list.slice(0, 500).map((i, n) => (
              <tr key={n}>
                <td>
                  {i.sheet ? `${i.sheet} · ` : ""}
                  {i.row}
                </td>
                <td>{i.column}</td>
                <td>{i.value}</td>
                <td>{i.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Every import with its lineage; undo removes exactly its rows. */
function History(props: { version: number; onChanged: () => void; onUndone?: (undone: Undone) => void }) {
  const texts = useTexts();
  const { t, lang } = texts;
  const batches = useAsync(() => listBatches(lang), [props.version, lang]);
  const [error, setError] = useState<CommandError | null>(null);
  // the batch whose problems are opened below its row
  const [opened, setOpened] = useState<number | null>(null);
  const ask = useConfirm();
  const nf = numberFormat(texts.locale);
  const undo = async (b: Batch) => {
    const yes = await ask({
      title: t("import.undoConfirmTitle", {
        file: b.source === "demo" ? t("import.demoSource") : b.file,
        sheet: b.source === "demo" ? ` · ${t(`datasetName.${b.kind}`)}` : b.sheet ? ` · ${b.sheet}` : "",
        count: b.rows_imported,
        rows: nf.format(b.rows_imported),
      }),
      message: t("import.undoConfirm", { kind: t(`datasetName.${b.kind}`) }),
      confirm: t("import.undoConfirmButton"),
    });
    if (!yes) return;
    try {
      await undoBatch(b.batch_id, lang);
      setError(null);
      props.onChanged();
      const what =
        b.source === "demo" ? `${t("import.demoSource")} · ${t(`datasetName.${b.kind}`)}` : `${b.file}${b.sheet ? ` · ${b.sheet}` : ""}`;
      props.onUndone?.({ message: t("undone.batch", { file: what }), batchIds: [b.batch_id] });
    } catch (e) {
      setError(e as CommandError);
    }
  };
  const when = (iso: string) =>
    dateFormat(texts.locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
  return (
    <section class="card" aria-labelledby="history-title">
      <h2 id="history-title">{t("import.history")}</h2>
      {error && <ErrorBanner error={error} onClose={() => setError(null)} />}
      {!batches.data ? (
        batches.error ? <ErrorBanner error={batches.error} onRetry={batches.reload} /> : <Loading />
      ) : batches.data.length === 0 ? (
        <p class="muted">{t("import.noHistory")}</p>
      ) : (
        <div class="preview-wrap">
          <table class="history" data-testid="history">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t("import.file")}</th>
                <th scope="col">{t("import.kind")}</th>
                <th scope="col" class="num">
                  {t("import.rows")}
                </th>
                <th scope="col" class="num">
                  {t("import.skippedCol")}
                </th>
                <th scope="col">{t("import.when")}</th>
                <th scope="col">SHA-256</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {[...batches.data].reverse().map((b) => (
                <Fragment key={b.batch_id}>
                <tr data-testid="history-row" data-batch={b.batch_id}>
                  <td>{b.batch_id}</td>
                  <td title={b.file_path}>
                    {b.source === "demo" ? t("import.demoSource") : b.file}
                    {b.sheet ? ` · ${b.sheet}` : ""}
                  </td>
                  <td>{t(`datasetName.${b.kind}`)}</td>
                  <td class="num">{numberFormat(texts.locale).format(b.rows_imported)}</td>
                  <td class="num">
                    {b.issue_count > 0 ? (
                      <button
                        type="button"
                        class="link"
                        aria-expanded={opened === b.batch_id}
                        title={t("import.historyIssues", { count: b.issue_count })}
                        onClick={() => setOpened(opened === b.batch_id ? null : b.batch_id)}
                        data-testid={`history-issues-${b.batch_id}`}
                      >
                        {b.rows_skipped}
                      </button>
                    ) : (
                      b.rows_skipped
                    )}
                  </td>
                  <td>{when(b.imported_at)}</td>
                  <td title={b.sha256}>
                    <code>{b.sha256.slice(0, 10)}…</code>
                  </td>
                  <td>
                    <button type="button" onClick={() => void undo(b)} data-testid={`undo-${b.batch_id}`}>
                      {t("import.undo")}
                    </button>
                  </td>
                </tr>
                {opened === b.batch_id && (
                  <tr class="history-issues">
                    <td colSpan={8}>
                      <Issues batchId={b.batch_id} />
                    </td>
                  </tr>
                )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

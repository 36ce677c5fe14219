// The import wizard: drop files on the window or pick them; for each file and sheet the
// detected kind, header row and column mapping with a preview of the first rows, all of
// which the user can change; then import with a progress bar (rows/s) and cancel; the
// validation issues afterwards (savable as a spreadsheet); and the import history with
// lineage and undo.
import { useEffect, useState } from "preact/hooks";
import { ErrorBanner, Loading, useAsync, useTexts } from "../components/common";
import {
  batchIssues,
  cancelImport,
  importFile,
  inspectFile,
  listBatches,
  onFileDrop,
  pickFiles,
  pickSavePath,
  saveIssues,
  undoBatch,
  type Batch,
  type CommandError,
  type ImportChoices,
  type Imported,
  type Inspection,
  type Progress,
  type TablePreview,
} from "../ipc";
import { fieldLabel } from "../present";
import { mappingOverrides, tableProblems } from "../wizard";

const KINDS = ["accounts", "revenue", "renewals", "surveys", "tickets", "usage", "touchpoints", "campaigns", "costs", "leads", "orders"];

export function ImportScreen(props: { dropped: string[]; onDroppedTaken: () => void; onChanged: () => void }) {
  const texts = useTexts();
  const { t } = texts;
  const [files, setFiles] = useState<string[]>([]);
  const [over, setOver] = useState(false);
  const [historyVersion, setHistoryVersion] = useState(0);

  const add = (paths: string[]) => setFiles((fs) => [...fs, ...paths.filter((p) => !fs.includes(p))]);
  useEffect(() => {
    if (props.dropped.length) {
      add(props.dropped);
      props.onDroppedTaken();
    }
  }, [props.dropped]);
  useEffect(() => {
    let stop: (() => void) | null = null;
    onFileDrop(() => {}, setOver)
      .then((u) => (stop = u))
      .catch(() => {});
    return () => stop?.();
  }, []);

  const pick = async () =>
    add(
      await pickFiles(t("import.pickTitle"), [
        { name: t("import.spreadsheets"), extensions: ["xlsx", "xlsm", "xlsb", "xls", "ods", "csv", "txt", "tsv"] },
      ]),
    );
  const changed = () => {
    setHistoryVersion((v) => v + 1);
    props.onChanged();
  };

  return (
    <section class="import" aria-labelledby="import-title">
      <div class="toolbar">
        <h2 id="import-title">{t("import.title")}</h2>
      </div>
      <div class={`dropzone${over ? " over" : ""}`} data-testid="dropzone">
        <strong>{t("import.drop")}</strong>
        <span class="muted">{t("import.formats")}</span>
        <button type="button" class="primary" onClick={() => void pick()} data-testid="pick-files">
          {t("import.pick")}
        </button>
      </div>
      {files.map((f) => (
        <FileCard key={f} path={f} onDone={changed} onRemove={() => setFiles((fs) => fs.filter((x) => x !== f))} />
      ))}
      <History version={historyVersion} onChanged={changed} />
    </section>
  );
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** One file: its tables as detected, adjustable, then imported. */
function FileCard(props: { path: string; onDone: () => void; onRemove: () => void }) {
  const texts = useTexts();
  const { t, lang } = texts;
  const [options, setOptions] = useState<Record<string, ImportChoices>>({});
  const [blocked, setBlocked] = useState<Record<string, boolean>>({});
  const [replace, setReplace] = useState(false);
  const info = useAsync(() => inspectFile(props.path, {}, lang), [props.path, lang]);
  const [results, setResults] = useState<Imported[] | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const [running, setRunning] = useState<{ id: string; progress: Progress | null } | null>(null);

  const tables = info.data?.tables ?? [];
  const run = async () => {
    setError(null);
    const done: Imported[] = [];
    try {
      // one import per table, with that table's choices (a CSV has one table)
      for (const table of tables) {
        const opts = { ...(options[table.sheet ?? ""] ?? {}), sheet: table.sheet ?? undefined, replace };
        const id = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
        setRunning({ id, progress: null });
        done.push(await importFile(props.path, id, opts, lang, (p) => setRunning({ id, progress: p })));
      }
      setResults(done);
      props.onDone();
    } catch (e) {
      const err = e as CommandError;
      if (done.length) {
        setResults(done);
        props.onDone();
      }
      setError(err);
    } finally {
      setRunning(null);
    }
  };

  return (
    <article class="card file-card" data-testid="file-card">
      <header>
        <h3>{baseName(props.path)}</h3>
        <span class="muted small path">{props.path}</span>
        <span class="grow" />
        {!results && !running && (
          <button type="button" class="ghost" onClick={props.onRemove} aria-label={t("import.remove")}>
            ×
          </button>
        )}
      </header>
      {info.error && <ErrorBanner error={info.error} onRetry={info.reload} />}
      {!info.data && !info.error && <Loading label={t("import.reading")} />}
      {info.data && !results && (
        <>
          {info.data.skipped_sheets.length > 0 && (
            <ul class="muted small" data-testid="skipped-sheets">
              {info.data.skipped_sheets.map((s) => (
                <li key={s.sheet}>{t("import.skipped", { sheet: s.sheet, reason: t(`import.skip.${s.reason}`) })}</li>
              ))}
            </ul>
          )}
          {tables.map((table) => (
            <TableBlock
              key={table.sheet ?? ""}
              path={props.path}
              initial={table}
              onOptions={(o, ok) => {
                setOptions((all) => ({ ...all, [table.sheet ?? ""]: o }));
                setBlocked((all) => ({ ...all, [table.sheet ?? ""]: !ok }));
              }}
            />
          ))}
          {running ? (
            <div class="progress" data-testid="import-progress">
              <progress max={1} value={running.progress?.fraction ?? 0} />
              <span class="muted small">
                {running.progress
                  ? t("import.progress", {
                      rows: new Intl.NumberFormat(texts.locale).format(running.progress.rows),
                      speed: new Intl.NumberFormat(texts.locale, { maximumFractionDigits: 0 }).format(running.progress.rows_per_second),
                    })
                  : t("import.starting")}
              </span>
              <div>
                <button type="button" onClick={() => void cancelImport(running.id)} data-testid="cancel-import">
                  {t("common.cancel")}
                </button>
              </div>
            </div>
          ) : (
            <div class="buttons end">
              {error?.code === "already_imported" && (
                <label class="check">
                  <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.currentTarget.checked)} />
                  <span>{t("import.replace")}</span>
                </label>
              )}
              <button type="button" class="primary" disabled={tables.length === 0 || Object.values(blocked).some(Boolean)} onClick={() => void run()} data-testid="start-import">
                {t("import.start", { count: tables.length })}
              </button>
            </div>
          )}
          {error && <ErrorBanner error={error} />}
        </>
      )}
      {results && <Results results={results} />}
    </article>
  );
}

/** One table: kind, header row, mapping (a dropdown per column) and the first rows. */
function TableBlock(props: { path: string; initial: TablePreview; onOptions: (o: ImportChoices, ok: boolean) => void }) {
  const texts = useTexts();
  const { t, lang } = texts;
  const [kind, setKind] = useState<string>(props.initial.recognised ? props.initial.kind : "");
  const [headerRow, setHeaderRow] = useState(props.initial.header_row);
  const [map, setMap] = useState<Record<string, string>>({});
  const opts: ImportChoices = {
    sheet: props.initial.sheet ?? undefined,
    // a placeholder kind (not recognised) counts as a choice once the user picks it
    kind: kind !== "" && (kind !== props.initial.kind || !props.initial.recognised) ? kind : undefined,
    header_row: headerRow !== props.initial.header_row ? headerRow : undefined,
    map: mappingOverrides(map),
  };
  const key = JSON.stringify(opts);
  const shown = useAsync(
    () =>
      key === JSON.stringify({ sheet: props.initial.sheet ?? undefined, map: [] })
        ? Promise.resolve<Inspection>({ tables: [props.initial], skipped_sheets: [], file_name: "" })
        : inspectFile(props.path, opts, lang),
    [key],
  );
  const table = shown.data?.tables.find((x) => (x.sheet ?? null) === (props.initial.sheet ?? null)) ?? props.initial;
  const problems = tableProblems(table);
  const ok = !shown.loading && !shown.error && problems.missing.length === 0 && !problems.unknownKind;
  useEffect(() => props.onOptions(opts, ok), [key, ok]);
  const fieldOf = new Map(table.mapping.map((m) => [m.column, m.field]));
  const label = (f: string) => fieldLabel(table.kind, f, texts);

  return (
    <section class="table-block" data-testid="table-block" data-kind={table.kind}>
      <div class="table-controls">
        {table.sheet && <strong>{t("import.sheet", { sheet: table.sheet })}</strong>}
        <div class="field">
          <label for={`kind-${table.sheet ?? ""}`}>{t("import.kind")}</label>
          <select
            id={`kind-${table.sheet ?? ""}`}
            data-testid="table-kind"
            value={kind}
            onChange={(e) => {
              setKind(e.currentTarget.value);
              setMap({});
            }}
          >
            {kind === "" && <option value="">{t("import.chooseKind")}</option>}
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`datasetName.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`header-${table.sheet ?? ""}`}>{t("import.headerRow")}</label>
          <input
            id={`header-${table.sheet ?? ""}`}
            type="number"
            min={1}
            value={headerRow}
            onChange={(e) => {
              const n = Number(e.currentTarget.value);
              if (Number.isInteger(n) && n >= 1) {
                setHeaderRow(n);
                setMap({});
              }
            }}
          />
        </div>
        {shown.loading && <span class="muted small">{t("import.updating")}</span>}
      </div>
      {shown.error && <ErrorBanner error={shown.error} />}
      {problems.unknownKind && (
        <p class="problems" role="alert" data-testid="kind-problem">
          {t("import.unknownKind")}
        </p>
      )}
      {!problems.unknownKind && problems.missing.length > 0 && (
        <p class="problems" role="alert" data-testid="mapping-problem">
          {t("import.missing", { fields: problems.missing.map(label).join(", ") })}
        </p>
      )}
      <div class="preview-wrap">
        <table class="preview" data-testid="preview">
          <thead>
            <tr>
              {table.columns.map((col) => {
                const field = fieldOf.get(col) ?? "";
                return (
                  <th key={col} class={field ? "mapped" : "unmapped"}>
                    <span class="col-name">{col}</span>
                    <select
                      aria-label={t("import.mapColumn", { column: col })}
                      data-testid={`map-${col}`}
                      value={field}
                      onChange={(e) => setMap((m) => ({ ...m, [col]: e.currentTarget.value }))}
                    >
                      <option value="">{t("import.ignore")}</option>
                      {table.fields.map((f) => (
                        <option key={f.id} value={f.id}>
                          {label(f.id)}
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
            {table.preview.map((row, i) => (
              <tr key={i}>
                {table.columns.map((col, j) => (
                  <td key={col} class={fieldOf.has(col) ? "mapped" : "unmapped"} title={row[j] ?? ""}>
                    {row[j] ?? ""}
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

function Results(props: { results: Imported[] }) {
  const texts = useTexts();
  const { t } = texts;
  return (
    <div data-testid="import-results">
      {props.results.flatMap((r) =>
        r.batches.map((b) => (
          <div key={b.batch_id} class="result">
            <p>
              <span class="ok">✓ </span>
              {t("import.done", {
                kind: t(`datasetName.${b.kind}`),
                rows: new Intl.NumberFormat(texts.locale).format(b.rows_imported),
              })}
              {b.rows_skipped > 0 && (
                <span class="warn"> {t("import.skippedRows", { count: b.rows_skipped })}</span>
              )}
            </p>
            {b.rows_skipped > 0 && <Issues batchId={b.batch_id} />}
          </div>
        )),
      )}
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
    const path = await pickSavePath(t("import.saveIssuesTitle"), `issues-${props.batchId}.xlsx`, [
      { name: "Excel", extensions: ["xlsx"] },
    ]);
    if (!path) return;
    try {
      await saveIssues(props.batchId, path, lang);
      setSaved(path);
      setError(null);
    } catch (e) {
      setError(e as CommandError);
    }
  };
  if (!issues.data) return issues.error ? <ErrorBanner error={issues.error} /> : <Loading />;
  const list = issues.data;
  return (
    <div class="issues-block">
      <div class="toolbar">
        <strong>{t("import.issuesTitle", { count: list.length })}</strong>
        <button type="button" onClick={() => void save()} data-testid="save-issues">
          {t("import.saveIssues")}
        </button>
        {saved && <span class="muted small">{t("import.savedTo", { path: saved })}</span>}
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
                <td>{lang === "de" ? i.reason_de : i.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Every import with its lineage; undo removes exactly its rows. */
function History(props: { version: number; onChanged: () => void }) {
  const texts = useTexts();
  const { t, lang } = texts;
  const batches = useAsync(() => listBatches(lang), [props.version, lang]);
  const [error, setError] = useState<CommandError | null>(null);
  const undo = async (b: Batch) => {
    if (!window.confirm(t("import.undoConfirm", { file: b.file, rows: b.rows_imported }))) return;
    try {
      await undoBatch(b.batch_id, lang);
      setError(null);
      props.onChanged();
    } catch (e) {
      setError(e as CommandError);
    }
  };
  const when = (iso: string) =>
    new Intl.DateTimeFormat(texts.locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
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
                <th scope="col" class="num">{t("import.rows")}</th>
                <th scope="col" class="num">{t("import.skippedCol")}</th>
                <th scope="col">{t("import.when")}</th>
                <th scope="col">SHA-256</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {[...batches.data].reverse().map((b) => (
                <tr key={b.batch_id}>
                  <td>{b.batch_id}</td>
                  <td>
                    {b.source === "demo" ? t("import.demoSource") : b.file}
                    {b.sheet ? ` · ${b.sheet}` : ""}
                  </td>
                  <td>{t(`datasetName.${b.kind}`)}</td>
                  <td class="num">{new Intl.NumberFormat(texts.locale).format(b.rows_imported)}</td>
                  <td class="num">{b.rows_skipped}</td>
                  <td>{when(b.imported_at)}</td>
                  <td title={b.sha256}>
                    <code>{b.sha256.slice(0, 10)}…</code>
                  </td>
                  <td>
                    <button type="button" onClick={() => void undo(b)}>
                      {t("import.undo")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

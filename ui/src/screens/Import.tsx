// The import wizard: drop files on the window or pick them; for each file and sheet the
// detected kind, header row and column mapping with the first rows, all changeable (the
// file is read again with each choice); problems that block a table are named beside it;
// then one import per file (all its tables in one transaction) with a progress bar, rows/s
// and cancel; the validation issues afterwards (savable as a spreadsheet); and the import
// history with lineage and undo.
import { numberFormat, dateFormat } from "../format";
import { useEffect, useState } from "preact/hooks";
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
  importOptions,
  profileChoice,
  profileOptions,
  overlapLines,
  tableKey,
  uncertainSheets,
} from "../wizard";

const KINDS = ["accounts", "revenue", "renewals", "surveys", "tickets", "usage", "touchpoints", "campaigns", "costs", "leads", "orders"] as const;

export function ImportScreen(props: {
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
}) {
  const { t, lang } = useTexts();
  const [files, setFiles] = useState<ChosenFile[]>([]);
  const [historyVersion, setHistoryVersion] = useState(0);
  const [error, setError] = useState<CommandError | null>(null);

  // the same file again has the same token
  const add = (more: ChosenFile[]) =>
    setFiles((fs) => [...fs, ...more.filter((f) => !fs.some((g) => g.token === f.token))]);
  useEffect(() => {
    if (props.dropped.length) {
      add(props.dropped);
      props.onDroppedTaken();
    }
  }, [props.dropped]);

  const pick = async () => {
    try {
      add(await chooseImportFiles(lang));
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
      {files.map((f) => (
        <FileCard
          key={f.token}
          file={f}
          version={historyVersion}
          onDone={imported}
          onRemove={() => setFiles((fs) => fs.filter((x) => x.token !== f.token))}
        />
      ))}
      <History version={historyVersion + (props.version ?? 0)} onChanged={changed} onUndone={props.onUndone} />
    </section>
  );
}

/** One file: its tables as detected, adjustable, then imported together. */
function FileCard(props: {
  file: ChosenFile;
  /** Bumped by every import and undo: whether the sample question is still open is asked again. */
  version: number;
  onDone: () => void;
  onRemove: () => void;
}) {
  const texts = useTexts();
  const { t, lang } = texts;
  // sheets left out because their kind is a question, once the user answered it
  const [answered, setAnswered] = useState<Record<string, Kind>>({});
  const answers: TableChoice[] = Object.entries(answered).map(([sheet, kind]) => ({ sheet, kind }));
  // the profile saved for the file's shape: its choices are the starting point ("change"
  // goes back to the detection)
  const found = useAsync(() => findProfile(props.file, lang).catch(() => null), [props.file.token, lang]);
  const [useProfile, setUseProfile] = useState(true);
  const profile = useProfile && !found.loading ? (found.data ?? null) : null;
  const base = profile ? profileOptions(profile.choices) : {};
  const withAnswers = answers.length ? { ...base, tables: [...(base.tables ?? []), ...answers] } : base;
  const info = useAsync(
    () => (found.loading ? new Promise<never>(() => {}) : inspectFile(props.file, withAnswers, lang)),
    [props.file.token, lang, JSON.stringify(answered), found.loading, profile?.name ?? ""],
  );
  const initialChoice = (sheet: string | null): TableChoice =>
    profile ? profileChoice(profile.choices, sheet) : sheet !== null && answered[sheet] ? { sheet, kind: answered[sheet] } : { sheet };
  const [choices, setChoices] = useState<Record<string, TableChoice>>({});
  const [blocked, setBlocked] = useState<Record<string, boolean>>({});
  const [replace, setReplace] = useState(false);
  const [overlap, setOverlap] = useState<Overlap>("supersede");
  useEffect(() => setOverlap(profile?.choices.overlap ?? "supersede"), [profile?.name ?? ""]);
  const [replaceSample, setReplaceSample] = useState(true);
  const before = useAsync(() => alreadyImported(props.file, null, lang), [props.file.token, lang]);
  const sample = useAsync(
    () => Promise.all([hasSample(lang), listBatches(lang)]).then(([has, batches]) => asksAboutSample(has, batches)),
    // another card's import answers the question for this one too
    [props.file.token, lang, props.version],
  );
  const [results, setResults] = useState<Imported | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const [running, setRunning] = useState<{ id: number | null; progress: ImportEvent | null; committing: boolean } | null>(null);

  const tables = info.data?.tables ?? [];
  const importing = tables.filter((tb) => !choices[tableKey(tb.sheet)]?.skip);
  // every table has been read with its choices and none is blocked
  const ready =
    !info.loading &&
    importing.length > 0 &&
    tables.every((tb) => tableKey(tb.sheet) in blocked) &&
    !Object.values(blocked).some(Boolean);
  // what the file overlaps among earlier imports, read again when the choices settle
  const choiceKey = JSON.stringify(choices);
  const overlaps = useAsync(
    () => (ready && !before.data ? importOverlaps(props.file, importOptions(choices), lang) : Promise.resolve([])),
    [props.file.token, lang, choiceKey, ready, !!before.data],
  );
  const lines = overlapLines(overlaps.data ?? []);
  // the profile's choices as they were: the import records its use instead of saving new ones
  const profileKept =
    profile !== null && tables.every((tb) => JSON.stringify(choices[tableKey(tb.sheet)] ?? null) === JSON.stringify(initialChoice(tb.sheet)));
  const run = async () => {
    setError(null);
    setRunning({ id: null, progress: null, committing: false });
    try {
      const done = await importFile(props.file, fileOptions(choices, overlap, sample.data === true && replaceSample, profileKept ? profile!.name : null), replace, lang, (e) =>
        setRunning((r) => {
          if (!r) return r;
          if (e.event === "started") return { ...r, id: e.import_id };
          if (e.event === "committing") return { ...r, committing: true };
          return { ...r, progress: e };
        }),
      );
      setResults(done);
      props.onDone();
    } catch (e) {
      setError(e as CommandError);
    } finally {
      setRunning(null);
    }
  };
  const progress = running?.progress?.event === "progress" ? running.progress : null;
  const nf = numberFormat(texts.locale, { maximumFractionDigits: 0 });

  return (
    <article class="card file-card" data-testid="file-card">
      <header>
        <h3>{props.file.name}</h3>
        <span class="muted small path">{props.file.folder}</span>
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
            <p class="notice small" role="status" data-testid="already-imported">
              {t("import.alreadyNotice", {
                when: dateFormat(texts.locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(before.data.imported_at)),
                file: before.data.file,
              })}
            </p>
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
              key={`${tableKey(table.sheet)}|${profile?.name ?? ""}`}
              file={props.file}
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
                      when: dateFormat(texts.locale, { dateStyle: "medium" }).format(new Date(l.batch.imported_at)),
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
                    name={`overlap-${props.file.token}`}
                    checked={overlap === "supersede"}
                    onChange={() => setOverlap("supersede")}
                    data-testid="overlap-supersede"
                  />
                  <span>{t("import.overlapSupersede")}</span>
                </label>
                <label class="check">
                  <input
                    type="radio"
                    name={`overlap-${props.file.token}`}
                    checked={overlap === "add"}
                    onChange={() => setOverlap("add")}
                    data-testid="overlap-add"
                  />
                  <span>{t("import.overlapAdd")}</span>
                </label>
              </fieldset>
            </div>
          )}
          {overlaps.loading && ready && !before.data && <p class="muted small">{t("import.overlapReading")}</p>}
          {overlaps.error && overlaps.error.code !== "superseded" && <ErrorBanner error={overlaps.error} onRetry={overlaps.reload} />}
          {sample.data === true && (
            <fieldset class="choice sample-question" data-testid="sample-question">
              <legend>{t("import.sampleQuestion")}</legend>
              <label class="check">
                <input
                  type="radio"
                  name={`sample-${props.file.token}`}
                  checked={replaceSample}
                  onChange={() => setReplaceSample(true)}
                  data-testid="sample-replace"
                />
                <span>{t("import.sampleReplace")}</span>
              </label>
              <label class="check">
                <input
                  type="radio"
                  name={`sample-${props.file.token}`}
                  checked={!replaceSample}
                  onChange={() => setReplaceSample(false)}
                  data-testid="sample-keep"
                />
                <span>{t("import.sampleKeep")}</span>
              </label>
            </fieldset>
          )}
          {running ? (
            <div class="progress" data-testid="import-progress">
              <progress max={1} value={progress?.file_fraction ?? 0} />
              <span class="muted small" aria-live="polite">
                {running.committing
                  ? t("import.committing")
                  : progress
                    ? t("import.progress", { rows: nf.format(progress.rows), speed: nf.format(progress.rows_per_second) })
                    : t("import.starting")}
              </span>
              <div>
                <button
                  type="button"
                  disabled={running.id === null || running.committing}
                  onClick={() => running.id !== null && void cancelImport(running.id, lang)}
                  data-testid="cancel-import"
                >
                  {t("common.cancel")}
                </button>
              </div>
            </div>
          ) : (
            <div class="buttons end">
              {(error?.code === "already_imported" || before.data) && (
                <label class="check">
                  <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.currentTarget.checked)} />
                  <span>{t("import.replace")}</span>
                </label>
              )}
              <button
                type="button"
                class="primary"
                disabled={!ready || (!!before.data && !replace)}
                onClick={() => void run()}
                data-testid="start-import"
              >
                {t("import.start", { count: importing.length })}
              </button>
            </div>
          )}
          {error?.code === "already_imported" ? (
            <p class="notice small" role="status">
              {t("import.alreadyImported")}
            </p>
          ) : error && (
            <ErrorBanner
              error={
                error.code === "cancelled"
                    ? { ...error, message: t("import.cancelled") }
                    : error
              }
            />
          )}
        </>
      )}
      {results && <Results results={results} />}
      {results?.profile && (
        <p class="muted small" data-testid="result-profile">
          {t("import.profileImported", { name: results.profile })}{" "}
          <a href="#/settings">{t("import.profileChange")}</a>
        </p>
      )}
      {results?.profile_saved && (
        <p class="muted small" data-testid="result-profile-saved">
          {t("import.profileSaved", { name: results.profile_saved })}{" "}
          <a href="#/settings">{t("import.profileChange")}</a>
        </p>
      )}
    </article>
  );
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
  const changed = choice.kind != null || choice.header_row != null || Object.keys(choice.map ?? {}).length > 0 || !!choice.date_order;
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
function KindChoices(props: { kinds: Kind[]; onChoose: (k: Kind) => void }) {
  const { t } = useTexts();
  return (
    <span class="kind-choices">
      {props.kinds.map((k) => (
        <button type="button" key={k} onClick={() => props.onChoose(k)} data-testid={`kind-choice-${k}`}>
          {t(`datasetName.${k}`)}
        </button>
      ))}
    </span>
  );
}

function Results(props: { results: Imported }) {
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
                <tr key={b.batch_id} data-testid="history-row" data-batch={b.batch_id}>
                  <td>{b.batch_id}</td>
                  <td title={b.file_path}>
                    {b.source === "demo" ? t("import.demoSource") : b.file}
                    {b.sheet ? ` · ${b.sheet}` : ""}
                  </td>
                  <td>{t(`datasetName.${b.kind}`)}</td>
                  <td class="num">{numberFormat(texts.locale).format(b.rows_imported)}</td>
                  <td class="num">{b.rows_skipped}</td>
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
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

// Import profiles in Settings: what the user decided for a file shape (kind, sheet, header
// row, mapping, date order, overlap), applied to the next file of that shape. Listed with
// the kinds they read and when they were last used; the user's own can be renamed, deleted
// and exported; a profile file can be added. The JSON files are chosen in Rust's native
// dialogs: the page never names a path.
import { useState } from "preact/hooks";
import { ErrorBanner, Loading, useAsync, useConfirm, useTexts } from "../components/common";
import { deleteProfile, exportProfile, importProfile, listProfiles, renameProfile, type CommandError, type Profile } from "../ipc";
import { dateFormat } from "../format";
import { profileKinds } from "../wizard";

export function Profiles() {
  const texts = useTexts();
  const { t, lang } = texts;
  const [version, setVersion] = useState(0);
  const list = useAsync(() => listProfiles(lang), [version, lang]);
  const [error, setError] = useState<CommandError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ name: string; value: string } | null>(null);
  const ask = useConfirm();
  const done = (message: string) => {
    setError(null);
    setNotice(message);
    setVersion((v) => v + 1);
  };
  const attempt = async (action: () => Promise<void>) => {
    try {
      await action();
    } catch (e) {
      setNotice(null);
      setError(e as CommandError);
    }
  };
  const rename = (p: Profile, value: string) =>
    attempt(async () => {
      const next = value.trim();
      if (!next || next === p.name) return setEditing(null);
      const renamed = await renameProfile(p.name, next, lang);
      setEditing(null);
      done(t("profiles.renamed", { name: renamed.name }));
    });
  const remove = (p: Profile) =>
    attempt(async () => {
      const yes = await ask({
        title: t("profiles.deleteConfirmTitle", { name: p.name }),
        message: t("profiles.deleteConfirm"),
        confirm: t("profiles.delete"),
      });
      if (!yes) return;
      await deleteProfile(p.name, lang);
      done(t("profiles.deleted", { name: p.name }));
    });
  const exportOne = (p: Profile) =>
    attempt(async () => {
      const path = await exportProfile(p.name, lang);
      if (path) done(t("profiles.exported", { path }));
    });
  const add = () =>
    attempt(async () => {
      const p = await importProfile(lang);
      if (p) done(t("profiles.added", { name: p.name }));
    });
  const when = (iso: string | null) => (iso ? dateFormat(texts.locale, { dateStyle: "medium" }).format(new Date(iso)) : t("profiles.never"));

  return (
    <fieldset class="card wide" data-testid="profiles">
      <legend>{t("profiles.title")}</legend>
      <p class="muted small">{t("profiles.hint")}</p>
      {error && <ErrorBanner error={error} onClose={() => setError(null)} />}
      {notice && (
        <p class="notice small" role="status" data-testid="profiles-status">
          {notice}
        </p>
      )}
      {!list.data ? (
        list.error ? <ErrorBanner error={list.error} onRetry={list.reload} /> : <Loading />
      ) : (
        <div class="preview-wrap">
          <table class="history">
            <thead>
              <tr>
                <th scope="col">{t("profiles.name")}</th>
                <th scope="col">{t("profiles.kinds")}</th>
                <th scope="col">{t("profiles.used")}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {list.data.map((p) => (
                <tr key={p.name} data-testid="profile-row" data-name={p.name}>
                  <td>
                    {editing?.name === p.name ? (
                      <input
                        aria-label={t("profiles.newName", { name: p.name })}
                        data-testid="profile-new-name"
                        value={editing.value}
                        onInput={(e) => setEditing({ name: p.name, value: e.currentTarget.value })}
                        onKeyDown={(e) => {
                          if (e.key === "Enter") void rename(p, editing.value);
                          if (e.key === "Escape") setEditing(null);
                        }}
                      />
                    ) : (
                      p.name
                    )}
                    {p.built_in && <span class="muted small"> · {t("profiles.builtIn")}</span>}
                  </td>
                  <td>{profileKinds(p).map((k) => t(`datasetName.${k}`)).join(", ") || "—"}</td>
                  <td>{when(p.used_at)}</td>
                  <td class="buttons">
                    {!p.built_in &&
                      (editing?.name === p.name ? (
                        <button type="button" onClick={() => void rename(p, editing.value)} data-testid="profile-save-name">
                          {t("profiles.saveName")}
                        </button>
                      ) : (
                        <button type="button" onClick={() => setEditing({ name: p.name, value: p.name })} data-testid="profile-rename">
                          {t("profiles.rename")}
                        </button>
                      ))}
                    <button type="button" onClick={() => void exportOne(p)} data-testid="profile-export">
                      {t("profiles.export")}
                    </button>
                    {!p.built_in && (
                      <button type="button" onClick={() => void remove(p)} data-testid="profile-delete">
                        {t("profiles.delete")}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="buttons">
        <button type="button" onClick={() => void add()} data-testid="profile-import">
          {t("profiles.import")}
        </button>
      </div>
    </fieldset>
  );
}

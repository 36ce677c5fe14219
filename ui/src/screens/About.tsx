// The About dialog: name, version, license and copyright of the app, and every third-party
// component it is built from with its version and license (app_info; from the native menu's
// Help → About and from the settings screen).
import { useMemo, useState } from "preact/hooks";
import { ErrorBanner, Loading, Modal, useAsync, useTexts } from "../components/common";
import { appInfo, type ThirdParty } from "../ipc";
import logoUrl from "../../../icons/icon.svg?url";

/** The components whose name or license contains `query` (any case). */
export function filterThirdParty(all: ThirdParty[], query: string): ThirdParty[] {
  const q = query.trim().toLowerCase();
  if (!q) return all;
  return all.filter((c) => c.name.toLowerCase().includes(q) || c.license.toLowerCase().includes(q));
}

export function AboutDialog(props: { onClose: () => void }) {
  const { t, lang } = useTexts();
  const info = useAsync(() => appInfo(lang), [lang]);
  const [query, setQuery] = useState("");
  const shown = useMemo(() => filterThirdParty(info.data?.third_party ?? [], query), [info.data, query]);
  return (
    <Modal title={t("about.title")} onClose={props.onClose} testid="about">
      {info.error && <ErrorBanner error={info.error} onRetry={info.reload} />}
      {!info.data && !info.error && <Loading />}
      {info.data && (
        <div class="about">
          <div class="about-head">
            <img src={logoUrl} alt="" width="56" height="56" />
            <div>
              <p class="about-name">{info.data.name}</p>
              <p data-testid="about-version">{t("about.version", { version: info.data.version })}</p>
              <p class="muted small" data-testid="about-license">
                {t("about.license", { license: info.data.license })} · {info.data.copyright}
              </p>
            </div>
          </div>
          <p>{t("about.tagline")}</p>
          <h3>{t("about.thirdParty", { count: info.data.third_party.length })}</h3>
          <p class="muted small">{t("about.thirdPartyHint")}</p>
          <input
            type="search"
            class="about-search"
            placeholder={t("about.search")}
            aria-label={t("about.search")}
            value={query}
            onInput={(e) => setQuery(e.currentTarget.value)}
          />
          <div class="about-list" tabIndex={0}>
            <table data-testid="third-party">
              <thead>
                <tr>
                  <th scope="col">{t("about.name")}</th>
                  <th scope="col">{t("about.componentVersion")}</th>
                  <th scope="col">{t("about.componentLicense")}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((c) => (
                  <tr key={`${c.ecosystem}/${c.name}/${c.version}`}>
                    <td>
                      {c.name} <span class="muted small">{t(`about.ecosystem.${c.ecosystem}`)}</span>
                    </td>
                    <td class="num">{c.version}</td>
                    <td>{c.license}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {shown.length === 0 && <p class="muted">{t("about.none")}</p>}
          </div>
        </div>
      )}
    </Modal>
  );
}

// German or English: the language setting, else the system language (as Rust reads it for the
// CLI and the menu: `window.__CSPULSE_SYSTEM_LOCALE__`, set before the page's scripts run;
// navigator.language only outside the app, in tests and the browser); English otherwise.
import i18next, { type i18n } from "i18next";
import { de } from "./locales/de";
import { en } from "./locales/en";

export type Lang = "de" | "en";

declare global {
  interface Window {
    /** The system's locale as Rust reads it (`src-tauri/src/lib.rs`, `system_locale_script`). */
    __CSPULSE_SYSTEM_LOCALE__?: string | null;
  }
}

/** The system's language tag: Rust's (the one rule of `cspulse_engine::lang`), else the web
 * view's. */
export function systemTag(): string | undefined {
  return window.__CSPULSE_SYSTEM_LOCALE__ ?? navigator.language;
}

export function pickLang(tag: string | undefined): Lang {
  return tag?.toLowerCase().startsWith("de") ? "de" : "en";
}

/** The locale for numbers and dates: the system's own when it is of the chosen language
 * (de-AT, en-GB), else the language itself. */
export function pickLocale(tag: string | undefined, lang: Lang): string {
  return tag && pickLang(tag) === lang && tag.includes("-") ? tag : lang === "de" ? "de-DE" : "en-US";
}

export interface Texts {
  i18n: i18n;
  lang: Lang;
  locale: string;
  t: i18n["t"];
}

/** The texts of the system language (`tag`), or of `choice` when the user chose one in the
 * settings (`de`/`en`; `auto` follows the system). */
export async function initTexts(
  tag: string | undefined = systemTag(),
  choice: string = "auto",
): Promise<Texts> {
  const lang = choice === "de" || choice === "en" ? choice : pickLang(tag);
  const instance = i18next.createInstance();
  await instance.init({
    lng: lang,
    fallbackLng: "en",
    resources: { en: { translation: en }, de: { translation: de } },
    interpolation: { escapeValue: false }, // the DOM is built with textContent, never innerHTML
    showSupportNotice: false,
  });
  document.documentElement.lang = lang;
  return { i18n: instance, lang, locale: pickLocale(tag, lang), t: instance.t.bind(instance) };
}

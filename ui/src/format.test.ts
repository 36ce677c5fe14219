import { describe, expect, it } from "vitest";
import { formatList, formatMoney, formatMonth, formatValue, neededDatasets, scoreLight } from "./format";

const labels = { hours: "h", minutes: "min", days: "days" };
const nbsp = "\u00a0";

describe("formatValue", () => {
  it("shows percent KPIs with one decimal and a spaced percent sign, in the locale", () => {
    expect(formatValue(12.345, "percent", "en-US", "EUR", labels)).toBe(`12.3${nbsp}%`);
    expect(formatValue(12.345, "percent", "de-DE", "EUR", labels)).toBe(`12,3${nbsp}%`);
    expect(formatValue(100, "percent", "en-US", "EUR", labels)).toBe(`100.0${nbsp}%`);
  });

  it("shows money in the data's currency, whole units from 100 up", () => {
    expect(formatValue(48210.5, "money", "en-US", "EUR", labels)).toBe("€48,211");
    expect(formatValue(48210.5, "money", "de-DE", "EUR", labels)).toBe(`48.211${nbsp}€`);
    expect(formatValue(42.5, "money", "en-US", "USD", labels)).toBe("$42.50");
    expect(formatValue(0, "money", "en-US", "EUR", labels)).toBe("€0");
  });

  it("falls back to number and text when the currency is not an ISO code", () => {
    expect(formatMoney(1234, "en-US", "Euro")).toBe(`1,234${nbsp}Euro`);
  });

  it("shows counts whole, NPS signed, durations with their unit", () => {
    expect(formatValue(1234, "count", "de-DE", "EUR", labels)).toBe("1.234");
    expect(formatValue(40, "nps", "en-US", "EUR", labels)).toBe("+40");
    expect(formatValue(-12.4, "nps", "en-US", "EUR", labels)).toBe("-12");
    expect(formatValue(0, "nps", "en-US", "EUR", labels)).toBe("0");
    expect(formatValue(4.25, "hours", "en-US", "EUR", labels)).toBe(`4.3${nbsp}h`);
    expect(formatValue(3.5, "ratio", "en-US", "EUR", labels)).toBe(`3.5${nbsp}×`);
  });
});

describe("no_data hints", () => {
  it("names each needed dataset once, also for dataset.field needs", () => {
    expect(neededDatasets(["usage", "accounts.seats", "usage.user_id"])).toEqual(["usage", "accounts"]);
    expect(neededDatasets(undefined)).toEqual([]);
  });

  it("joins names as the language does", () => {
    expect(formatList(["survey", "usage"], "en-US")).toBe("survey and usage");
    expect(formatList(["Umfragedaten", "Nutzungsdaten"], "de-DE")).toBe("Umfragedaten und Nutzungsdaten");
  });
});

describe("formatMonth", () => {
  it("names the month in the locale", () => {
    expect(formatMonth("2026-10", "en-US")).toBe("October 2026");
    expect(formatMonth("2026-03", "de-DE")).toBe("März 2026");
    expect(formatMonth("garbage", "en-US")).toBe("garbage");
  });
});

describe("scoreLight", () => {
  it("takes the engine's light when there is one", () => {
    expect(scoreLight(95, "red")).toBe("red");
  });
  it("uses the default thresholds otherwise", () => {
    expect(scoreLight(70, null)).toBe("green");
    expect(scoreLight(69.9, null)).toBe("yellow");
    expect(scoreLight(40, null)).toBe("yellow");
    expect(scoreLight(39.9, null)).toBe("red");
    expect(scoreLight(null, null)).toBeNull();
  });
});

describe("the page's language follows the one rule of the app", () => {
  it("takes the system's locale as Rust reads it, before the web view's", async () => {
    const { initTexts, systemTag } = await import("./i18n");
    window.__CSPULSE_SYSTEM_LOCALE__ = "de-AT";
    try {
      expect(systemTag()).toBe("de-AT");
      const texts = await initTexts();
      expect(texts.lang).toBe("de");
      expect(texts.locale).toBe("de-AT");
      // the setting still wins over the system
      expect((await initTexts(undefined, "en")).lang).toBe("en");
    } finally {
      delete window.__CSPULSE_SYSTEM_LOCALE__;
    }
    // outside the app (no value from Rust): the web view's language
    expect(systemTag()).toBe(navigator.language);
  });
});

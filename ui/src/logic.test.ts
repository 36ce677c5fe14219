import { describe, expect, it } from "vitest";
import type { Batch, Choices, TablePreview } from "./ipc";
import { filterAccounts, NO_FILTER, sortAccounts } from "./accounts";
import { account } from "./test/fixtures";
import { asksAboutSample, chooseColumn, columnRole, decides, fileOptions, importOptions, overlapLines, profileChoice, profileOptions, profileValues, uncertainSheets } from "./wizard";
import { toShown, toStored } from "./screens/Settings";
import { formatChange, goodDirection } from "./present";
import { initTexts } from "./i18n";

const rows = [
  account("C", { name: "Zeta", score: null, light: null, mrr: 50 }),
  account("A", { name: "Älpler AG", score: 80, light: "green", previous_light: "green", mrr: null }),
  account("B", { name: "Beta", score: 30, light: "red", previous_light: "yellow", mrr: 900, owner: "Jan" }),
];

describe("accounts table", () => {
  it("sorts numbers numerically with missing values last in both directions", () => {
    expect(sortAccounts(rows, "score", false, "en").map((a) => a.account_id)).toEqual(["B", "A", "C"]);
    expect(sortAccounts(rows, "score", true, "en").map((a) => a.account_id)).toEqual(["A", "B", "C"]);
    expect(sortAccounts(rows, "mrr", true, "en").map((a) => a.account_id)).toEqual(["B", "C", "A"]);
  });
  it("sorts names by the locale's rules (Ä with A)", () => {
    expect(sortAccounts(rows, "name", false, "de").map((a) => a.name)).toEqual(["Älpler AG", "Beta", "Zeta"]);
  });
  it("filters by light, owner, movers and accent-free search", () => {
    expect(filterAccounts(rows, { ...NO_FILTER, light: "red" }).map((a) => a.account_id)).toEqual(["B"]);
    expect(filterAccounts(rows, { ...NO_FILTER, light: "none" }).map((a) => a.account_id)).toEqual(["C"]);
    expect(filterAccounts(rows, { ...NO_FILTER, owner: "Jan" }).map((a) => a.account_id)).toEqual(["B"]);
    expect(filterAccounts(rows, { ...NO_FILTER, moversOnly: true }).map((a) => a.account_id)).toEqual(["B"]);
    expect(filterAccounts(rows, { ...NO_FILTER, search: "alpler" }).map((a) => a.account_id)).toEqual(["A"]);
  });
});

describe("import wizard mapping", () => {
  it("moves a field to the chosen column and unmaps the column's old field", () => {
    const current = new Map([["Kunde", "name"], ["MRR", "mrr"]]);
    expect(chooseColumn({}, current, "Kunde", "account_id")).toEqual({ name: "", account_id: "Kunde" });
    expect(chooseColumn({ account_id: "Kunde" }, current, "MRR", "")).toEqual({ account_id: "Kunde", mrr: "" });
    expect(chooseColumn({}, current, "Kunde", "name")).toEqual({ name: "Kunde" });
  });
  it("imports every table with its own choices in one call", () => {
    expect(importOptions({ "": { sheet: null, kind: "revenue" } })).toEqual({ tables: [{ sheet: null, kind: "revenue" }] });
  });
});

describe("settings values", () => {
  it("shows the gross margin in percent and stores a fraction; accepts a decimal comma", () => {
    expect(toShown("gross_margin", "0.8")).toBe("80");
    expect(toStored("gross_margin", "75,5")).toBe("0.755");
    expect(toStored("weight.usage", " 30 ")).toBe("30");
  });
});

describe("changes", () => {
  it("writes percentage points for percent KPIs and money for money", async () => {
    const en = await initTexts("en-US");
    expect(formatChange(2.5, 3, "percent", en, "EUR")).toBe("−0.5\u00a0pp");
    expect(formatChange(1200, 1000, "money", en, "EUR")).toBe("+€200");
    expect(formatChange(1, null, "count", en, "EUR")).toBeNull();
    const de = await initTexts("de-DE");
    expect(formatChange(2.5, 1, "percent", de, "EUR")).toBe("+1,5\u00a0Pp.");
  });
  it("knows which way is good", () => {
    expect(goodDirection("logo_churn_rate", null)).toBe("down");
    expect(goodDirection("grr", "higher")).toBe("up");
    expect(goodDirection("tickets_created", null)).toBeNull();
  });
});

describe("the monthly routine in the wizard", () => {
  const earlier = (batch_id: number, rows: number) => ({ batch_id, file: `f${batch_id}.csv`, sheet: null, imported_at: "2026-11-07T10:47:00Z", rows, changed: 1 });
  it("lists every earlier import each table overlaps, and nothing when there is none", () => {
    const lines = overlapLines([
      { sheet: "MRR", kind: "revenue", rows: 10, overlap: "supersede", period: null, months: null, overlaps: [earlier(1, 5), earlier(2, 3)] },
      { sheet: "Tickets", kind: "tickets", rows: 4, overlap: "supersede", period: null, months: null, overlaps: [] },
    ]);
    expect(lines.map((l) => [l.sheet, l.kind, l.batch.batch_id, l.batch.rows])).toEqual([
      ["MRR", "revenue", 1, 5],
      ["MRR", "revenue", 2, 3],
    ]);
    expect(overlapLines([])).toEqual([]);
  });
  it("asks about the sample company only before the first own import", () => {
    const demo = { source: "demo" } as Batch;
    const own = { source: "file" } as Batch;
    expect(asksAboutSample(true, [demo])).toBe(true);
    expect(asksAboutSample(true, [demo, own])).toBe(false);
    expect(asksAboutSample(false, [])).toBe(false);
  });
  it("sends the overlap choice with every import and replace_sample only when chosen", () => {
    const none = { "": { sheet: null } };
    const kind = { "": { sheet: null, kind: "orders" as const } };
    // a table the user decided nothing for is left out: the profile of the file's shape applies
    expect(fileOptions(none, "add", false)).toEqual({ overlap: "add" });
    expect(fileOptions(kind, "supersede", true)).toEqual({ tables: [{ sheet: null, kind: "orders" }], overlap: "supersede", replace_sample: true });
    expect(fileOptions(kind, "supersede", false, "Shop orders")).toEqual({ tables: [{ sheet: null, kind: "orders" }], overlap: "supersede", profile: "Shop orders" });
  });
  it("turns a profile's choices into the wizard's options, per table and file-wide", () => {
    const choices: Choices = {
      kind: null,
      sheet: null,
      header_row: null,
      map: [],
      date_order: null,
      overlap: "add",
      set: [],
      values: [],
      tables: [
        { sheet: "MRR", kind: "revenue", header_row: 3, map: ["account_id=Kunde", "name="], date_order: "dmy", skip: false },
        { sheet: "Hinweise", kind: null, header_row: null, map: [], date_order: null, skip: true },
      ],
    };
    expect(profileOptions(choices)).toEqual({
      overlap: "add",
      tables: [
        { sheet: "MRR", kind: "revenue", header_row: 3, map: { account_id: "Kunde", name: "" }, date_order: "day_first" },
        { sheet: "Hinweise", skip: true },
      ],
    });
    expect(profileChoice(choices, "MRR")).toEqual({ sheet: "MRR", kind: "revenue", header_row: 3, map: { account_id: "Kunde", name: "" }, date_order: "day_first" });
    expect(profileChoice(choices, "Other")).toEqual({ sheet: "Other" });
    const wide: Choices = { ...choices, kind: "tickets", map: ["ticket_id=Id"], date_order: "mdy", tables: [] };
    expect(profileChoice(wide, null)).toEqual({ sheet: null, kind: "tickets", map: { ticket_id: "Id" }, date_order: "month_first" });
    expect(decides({ sheet: null })).toBe(false);
    expect(decides({ sheet: null, map: {} })).toBe(false);
    expect(decides({ sheet: "A", skip: true })).toBe(true);
  });
  it("asks the kind of sheets left out as a question, not of notes or hidden sheets", () => {
    expect(
      uncertainSheets([
        { sheet: "Hinweise", reason: "no_table", headers: [], candidates: [] },
        { sheet: "Export", reason: "kind_uncertain", headers: ["Id", "Created at"], candidates: ["tickets", "orders"] },
        { sheet: "Alt", reason: "hidden", headers: [], candidates: [] },
      ]),
    ).toEqual([{ sheet: "Export", candidates: ["tickets", "orders"] }]);
  });
  it("labels a month column by what it becomes, and a mapped column by its field", () => {
    const table = {
      columns: ["Kunde", "Okt 2026", "Notiz"],
      column_labels: [null, "Okt 2026 → MRR", null],
    } as unknown as TablePreview;
    const current = new Map([["Kunde", "account_id"]]);
    expect(columnRole(table, 0, current)).toEqual({ field: "account_id" });
    expect(columnRole(table, 1, current)).toEqual({ label: "Okt 2026 → MRR" });
    expect(columnRole(table, 2, current)).toBeNull();
  });
});

describe("the user's words a profile remembers", () => {
  it("go back to each table's choice by field, words with colons or equals signs kept whole", () => {
    expect(profileValues(["outcome:Vertrag läuft weiter=renewed", "csat:Top: 5 Sterne=5", "broken"])).toEqual({
      outcome: { "Vertrag läuft weiter": "renewed" },
      csat: { "Top: 5 Sterne": "5" },
    });
    const c: Choices = {
      kind: "renewals",
      sheet: null,
      header_row: null,
      map: [],
      date_order: null,
      overlap: "supersede",
      set: [],
      values: ["outcome:Gekündigt=churned"],
      tables: [],
    };
    expect(profileChoice(c, null)).toEqual({ sheet: null, kind: "renewals", values: { outcome: { Gekündigt: "churned" } } });
    expect(decides({ sheet: null, values: { outcome: { Gekündigt: "churned" } } })).toBe(true);
  });
});

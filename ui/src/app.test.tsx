import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { render, screen, fireEvent, waitFor, cleanup } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// happy-dom has no canvas: charts are decoration over numbers the screens also show as text
vi.mock("./components/charts", async (actual) => ({
  ...(await actual<typeof import("./components/charts")>()),
  EChart: (p: { label: string; testid?: string }) => <div role="img" aria-label={p.label} data-testid={p.testid} />,
}));
import { App, parseRoute } from "./app";
import { initTexts } from "./i18n";
import { sampleDashboard, sampleExplanation, account } from "./test/fixtures";
import type { SettingEntry, TablePreview } from "./ipc";

const nbsp = "\u00a0";
const settings = (usage = "25"): SettingEntry[] => [
  { key: "weight.usage", value: usage, default: "25", direction: null },
  { key: "language", value: "auto", default: "auto", direction: null },
];

type Handler = (cmd: string, args: Record<string, unknown>) => unknown;
let calls: { cmd: string; args: Record<string, unknown> }[];
function mock(extra: Handler = () => undefined) {
  calls = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    const answer = extra(cmd, a);
    if (answer !== undefined) return answer;
    if (cmd === "get_dashboard") return sampleDashboard();
    if (cmd === "get_settings") return settings();
    if (cmd === "plugin:event|listen") return 1;
    return null;
  });
}

async function start(hash = "#/", tag = "en-US") {
  location.hash = hash;
  render(<App initial={await initTexts(tag)} />);
  await screen.findByTestId(hash === "#/" ? "cs-score" : "nav-dashboard");
}

beforeEach(() => {
  location.hash = "#/";
  // happy-dom lays nothing out: give the virtualised tables a screenful to fill
  HTMLElement.prototype.getBoundingClientRect = () =>
    ({ x: 0, y: 0, top: 0, left: 0, width: 1000, height: 600, right: 1000, bottom: 600, toJSON: () => ({}) }) as DOMRect;
  Object.defineProperty(HTMLElement.prototype, "offsetHeight", { configurable: true, get: () => 600 });
  Object.defineProperty(HTMLElement.prototype, "offsetWidth", { configurable: true, get: () => 1000 });
  Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => 600 });
  Object.defineProperty(HTMLElement.prototype, "clientWidth", { configurable: true, get: () => 1000 });
});
afterEach(() => {
  cleanup();
  clearMocks();
});

describe("routes", () => {
  it("reads screens and their argument from the hash", () => {
    expect(parseRoute("#/").screen).toBe("dashboard");
    expect(parseRoute("#/accounts/ACME%2F1")).toMatchObject({ screen: "accounts", arg: "ACME/1" });
    expect(parseRoute("#/accounts?movers=1").query.get("movers")).toBe("1");
    expect(parseRoute("#/nonsense").screen).toBe("dashboard");
  });
});

describe("the dashboard", () => {
  it("shows the score, the demo banner and KPI cards with changes, targets and hints", async () => {
    mock();
    await start();
    expect(screen.getByTestId("cs-score").textContent).toBe("66.2");
    expect(screen.getByTestId("demo-banner").textContent).toContain("Sample data — import your own");
    const mrr = screen.getByTestId("kpi-mrr");
    expect(mrr.querySelector(".value")?.textContent).toBe("€48,211");
    expect(mrr.textContent).toContain("+€1,211"); // vs last month
    const churn = screen.getByTestId("kpi-logo_churn_rate");
    expect(churn.textContent).toContain(`2.5${nbsp}%`);
    expect(churn.textContent).toContain(`−0.5${nbsp}pp`);
    expect(churn.querySelector(".target")?.textContent).toBe("Off target");
    expect(churn.querySelector(".changes .better")).not.toBeNull(); // churn fell: better
    expect(screen.getByTestId("kpi-nps").textContent).toContain("On target");
    expect(screen.getByTestId("kpi-stickiness").textContent).toContain("Import usage data to see this");
    expect(screen.getByTestId("kpi-ndr").textContent).toContain("for the month before");
    expect(screen.getByTestId("mrr-at-risk").textContent).toContain("€4,211");
    expect(screen.getByTestId("bridge-end").textContent).toContain("€48,211");
    expect(screen.getByTestId("movers").textContent).toContain("Beta GmbH");
    expect(calls.find((c) => c.cmd === "get_dashboard")?.args).toEqual({ month: null, lang: "en" });
  });

  it("speaks German with German number formats", async () => {
    mock();
    await start("#/", "de-DE");
    expect(screen.getByTestId("cs-score").textContent).toBe("66,2");
    expect(screen.getByTestId("kpi-mrr").querySelector(".value")?.textContent).toBe(`48.211${nbsp}€`);
    expect(screen.getByTestId("kpi-logo_churn_rate").textContent).toContain(`2,5${nbsp}%`);
    expect(screen.getByTestId("nav-accounts").textContent).toBe("Kunden");
  });

  it("shows a plain error with a retry instead of a blank window", async () => {
    let fail = true;
    mock((cmd) => {
      if (cmd === "get_dashboard" && fail) throw { code: "database_unusable", message: "Die Datenbank ist beschädigt." };
    });
    location.hash = "#/";
    render(<App initial={await initTexts("en-US")} />);
    const banner = await screen.findByTestId("error-banner");
    expect(banner.textContent).toContain("Die Datenbank ist beschädigt.");
    fail = false;
    fireEvent.click(screen.getByText("Try again"));
    await screen.findByTestId("cs-score");
  });
});

describe("settings", () => {
  it("saves a weight on Apply and recomputes the dashboard", async () => {
    let usage = "25";
    mock((cmd, a) => {
      if (cmd === "apply_settings") {
        usage = String((a.changes as string[])[0]).split("=")[1] ?? "";
        return settings(usage);
      }
      if (cmd === "preview_settings") return null;
      if (cmd === "get_settings") return settings(usage);
    });
    await start("#/settings");
    const input = (await screen.findByTestId("setting-weight-usage")) as HTMLInputElement;
    const before = calls.filter((c) => c.cmd === "get_dashboard").length;
    fireEvent.change(input, { target: { value: "40" } });
    // a weight is tried out first (no data here to try it on) and saved on Apply
    await screen.findByText(/There is no data to try it on/);
    expect(calls.some((c) => c.cmd === "set_setting" || c.cmd === "apply_settings")).toBe(false);
    fireEvent.click(screen.getByTestId("preview-apply"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "apply_settings")).toBe(true));
    expect(calls.find((c) => c.cmd === "apply_settings")?.args).toMatchObject({ changes: ["weight.usage=40"] });
    await waitFor(() => expect(calls.filter((c) => c.cmd === "get_dashboard").length).toBeGreaterThan(before));
    expect(await screen.findByText("Default: 25")).toBeTruthy();
  });

  it("lists import profiles, renames and deletes the user's own, exports and adds through Rust's dialogs", async () => {
    const profile = (name: string, built_in = false) => ({
      version: 1,
      name,
      signature: "tickets:id|created",
      built_in,
      saved_at: "2026-11-07T10:47:00Z",
      used_at: built_in ? null : "2026-12-01T09:00:00Z",
      choices: { kind: "tickets" as const, sheet: null, header_row: null, map: [], date_order: null, overlap: "supersede" as const, tables: [] },
    });
    let names = ["Zendesk tickets"];
    mock((cmd, a) => {
      if (cmd === "list_profiles") return [...names.map((n) => profile(n)), profile("Stripe MRR", true)];
      if (cmd === "rename_profile") {
        names = names.map((n) => (n === a.name ? String(a.newName) : n));
        return profile(String(a.newName));
      }
      if (cmd === "delete_profile") {
        names = names.filter((n) => n !== a.name);
        return profile(String(a.name));
      }
      if (cmd === "export_profile") return "/home/u/Zendesk.json";
      if (cmd === "import_profile") {
        names = [...names, "HubSpot leads"];
        return profile("HubSpot leads");
      }
    });
    await start("#/settings");
    const rows = await screen.findAllByTestId("profile-row");
    expect(rows.map((r) => r.getAttribute("data-name"))).toEqual(["Zendesk tickets", "Stripe MRR"]);
    expect(rows[0]!.textContent).toContain("Tickets");
    // a built-in profile can be exported, not renamed or deleted
    expect(rows[1]!.querySelector("[data-testid=profile-delete]")).toBeNull();
    expect(rows[1]!.querySelector("[data-testid=profile-rename]")).toBeNull();

    fireEvent.click(rows[0]!.querySelector("[data-testid=profile-rename]")!);
    fireEvent.input(await screen.findByTestId("profile-new-name"), { target: { value: "Helpdesk" } });
    fireEvent.click(screen.getByTestId("profile-save-name"));
    await waitFor(() => expect(screen.getAllByTestId("profile-row")[0]!.getAttribute("data-name")).toBe("Helpdesk"));
    expect(calls.find((c) => c.cmd === "rename_profile")?.args).toMatchObject({ name: "Zendesk tickets", newName: "Helpdesk" });

    fireEvent.click(screen.getAllByTestId("profile-export")[0]!);
    await waitFor(() => expect(screen.getByTestId("profiles-status").textContent).toContain("/home/u/Zendesk.json"));
    expect(calls.find((c) => c.cmd === "export_profile")?.args).toMatchObject({ name: "Helpdesk" });

    fireEvent.click(screen.getByTestId("profile-import"));
    await waitFor(() => expect(screen.getAllByTestId("profile-row").map((r) => r.getAttribute("data-name"))).toContain("HubSpot leads"));
    // the page never hands Rust a path
    expect(calls.find((c) => c.cmd === "import_profile")?.args).toEqual({ lang: "en" });

    fireEvent.click(screen.getAllByTestId("profile-delete")[0]!);
    fireEvent.click(await screen.findByTestId("confirm-ok"));
    await waitFor(() => expect(screen.getAllByTestId("profile-row").map((r) => r.getAttribute("data-name"))).not.toContain("Helpdesk"));
  });
});

describe("accounts", () => {
  it("lists, searches and opens an account's explanation", async () => {
    mock((cmd) => {
      if (cmd === "list_accounts")
        return {
          month: "2026-10",
          months: ["2026-10"],
          currency: "EUR",
          accounts: [account("A-1", { name: "Acme AG", score: 80, light: "green" }), account("B-2", { name: "Müller KG", score: 30, light: "red" })],
        };
      if (cmd === "explain_account") return sampleExplanation();
    });
    await start("#/accounts");
    await screen.findByText("Acme AG");
    expect(screen.getByTestId("accounts-count").textContent).toBe("2 of 2");
    fireEvent.input(screen.getByTestId("accounts-search"), { target: { value: "muller" } });
    await waitFor(() => expect(screen.getByTestId("accounts-count").textContent).toBe("1 of 2"));
    fireEvent.click(screen.getByText("Müller KG"));
    await waitFor(() => expect(location.hash).toBe("#/accounts/B-2"));
    const page = await screen.findByTestId("account-page");
    expect(page.textContent).toContain("Acme AG");
    expect(screen.getByTestId("part-usage").textContent).toContain("10 of 20 active days this month");
    expect(screen.getByTestId("part-adoption").textContent).toContain("2 active users of 4 seats");
    expect(screen.getByTestId("best-lever").textContent).toContain("Bringing Usage to 100 would add 12.5 points");
  });
});

describe("the import wizard", () => {
  const fields = (idColumn: string | null) => [
    { field: "account_id", required: true, required_one_of: false, type: "text", column: idColumn, column_index: idColumn ? 0 : null },
    { field: "name", required: false, required_one_of: false, type: "text", column: idColumn ? null : "Kunde", column_index: idColumn ? null : 0 },
    { field: "mrr", required: false, required_one_of: false, type: "number", column: "MRR", column_index: 2 },
  ];
  const table = (mapped: boolean): TablePreview => ({
    profile: null,
    notes: [],
    unknown_words: [],
    sheet: null,
    kind: "accounts",
    kind_chosen: false,
    header_row: 1,
    columns: ["Kunde", "Firma", "MRR"],
    fields: fields(mapped ? "Kunde" : null),
    month_columns: [],
    column_labels: [null, null, null],
    rows_above: [],
    rows: [{ row: 2, cells: ["K-1", "Acme", "100"] }],
    data_rows: 1,
    data_rows_exact: true,
    assumptions: [],
    issues: [],
    problems: mapped
      ? []
      : [{ code: "missing_required_field", message: "Account ID fehlt", fields: ["account_id"], column: null, kinds: [] }],
  });
  it("shows the mapping, names the missing column and re-reads the file with the user's choice", async () => {
    mock((cmd, a) => {
      if (cmd === "inspect_file") {
        const tables = ((a.options as { tables?: { map?: Record<string, string> }[] }).tables ?? []);
        const mapped = tables.some((t) => t.map?.account_id === "Kunde");
        return { file: "kunden.csv", workbook: false, skipped_sheets: [], tables: [table(mapped)] };
      }
      if (cmd === "list_batches") return [];
      // the dialog is Rust's: the page gets a token and a name, never a path
      if (cmd === "choose_import_files") return [{ token: "f1-abc", name: "kunden.csv", folder: "/tmp" }];
      if (cmd === "plugin:event|listen") return 1;
    });
    location.hash = "#/import";
    render(<App initial={await initTexts("en-US")} />);
    fireEvent.click(await screen.findByTestId("pick-files"));
    expect((await screen.findByTestId("mapping-problem")).textContent).toContain("Choose a column for: Account ID");
    await waitFor(() => expect((screen.getByTestId("import-all") as HTMLButtonElement).disabled).toBe(true));
    expect((screen.getByTestId("map-Kunde") as HTMLSelectElement).value).toBe("name");
    fireEvent.change(screen.getByTestId("map-Kunde"), { target: { value: "account_id" } });
    await waitFor(() => expect(screen.queryByTestId("mapping-problem")).toBeNull());
    const last = calls.filter((c) => c.cmd === "inspect_file").slice(-1)[0];
    expect(last?.args.file).toBe("f1-abc");
    expect(calls.some((c) => "path" in c.args)).toBe(false);
    // the column's old field is unmapped, the new one mapped
    expect(last?.args.options).toMatchObject({ tables: [{ sheet: null, map: { name: "", account_id: "Kunde" } }] });
    await waitFor(() => expect((screen.getByTestId("import-all") as HTMLButtonElement).disabled).toBe(false), { timeout: 5000 });
    expect(screen.getByTestId("preview").textContent).toContain("Acme");
  });

  it("asks what a word of the file means, re-reads it with the answer and imports with it", async () => {
    const word = { field: "outcome", column: "Stage", word: "Vertrag läuft weiter", rows: 2, choices: ["renewed", "churned", "open"] };
    mock((cmd, a) => {
      if (cmd === "inspect_file") {
        const tables = (a.options as { tables?: { values?: Record<string, Record<string, string>> }[] }).tables ?? [];
        const answered = tables.some((t) => t.values?.outcome?.["Vertrag läuft weiter"] === "renewed");
        return {
          file: "renewals.csv",
          workbook: false,
          skipped_sheets: [],
          tables: [{ ...table(true), kind: "renewals", unknown_words: answered ? [] : [word] }],
        };
      }
      if (cmd === "list_batches") return [];
      if (cmd === "choose_import_files") return [{ token: "f1-abc", name: "renewals.csv", folder: "/tmp" }];
      if (cmd === "plugin:event|listen") return 1;
    });
    location.hash = "#/import";
    render(<App initial={await initTexts("en-US")} />);
    fireEvent.click(await screen.findByTestId("pick-files"));
    const asked = await screen.findByTestId("unknown-word");
    expect(asked.querySelector("span")?.textContent).toBe("“Vertrag läuft weiter” in Stage (2 rows shown)");
    const select = asked.querySelector("select") as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).toEqual(["", "renewed", "churned", "open"]);
    fireEvent.change(select, { target: { value: "renewed" } });
    await waitFor(() => expect(screen.queryByTestId("unknown-words")).toBeNull());
    const last = calls.filter((c) => c.cmd === "inspect_file").slice(-1)[0];
    expect(last?.args.options).toMatchObject({ tables: [{ sheet: null, values: { outcome: { "Vertrag läuft weiter": "renewed" } } }] });
  });

  it("says which tool's export it recognised and how it will read it, before anything is imported", async () => {
    const note =
      "A billing export: MRR is derived from its lines, each line's net amount ('amount_excluding_tax') spread over the months of its service period (period_start → period_end); void, draft and one-time lines do not count, credits reduce MRR. Amounts are in cents (minor units of the currency).";
    mock((cmd) => {
      if (cmd === "inspect_file")
        return {
          file: "lines.csv",
          workbook: false,
          skipped_sheets: [],
          tables: [{ ...table(true), kind: "revenue", profile: "Stripe invoice line items", notes: [note] }],
        };
      if (cmd === "list_batches") return [];
      if (cmd === "choose_import_files") return [{ token: "f1-abc", name: "lines.csv", folder: "/tmp" }];
      if (cmd === "plugin:event|listen") return 1;
    });
    location.hash = "#/import";
    render(<App initial={await initTexts("en-US")} />);
    fireEvent.click(await screen.findByTestId("pick-files"));
    const notes = await screen.findByTestId("table-notes");
    expect(notes.querySelector("p")?.textContent).toBe("Recognised as the export “Stripe invoice line items”.");
    expect([...notes.querySelectorAll("li")].map((l) => l.textContent)).toEqual([note]);
  });

  const overlapping = [
    {
      sheet: null,
      kind: "tickets" as const,
      rows: 60,
      overlap: "supersede" as const,
      period: null,
      months: ["2026-10", "2026-12"] as [string, string],
      overlaps: [{ batch_id: 7, file: "tickets.csv", sheet: null, imported_at: "2026-11-07T10:47:00Z", rows: 50, changed: 12 }],
    },
  ];
  const imported = (overlap: "supersede" | "add") => ({
    batches: [
      {
        overlaps: overlapping[0]!.overlaps,
        issues: [],
        issues_not_listed: 0,
        assumptions: [],
        batch_id: 8,
        file: "tickets-dec.csv",
        file_path: "tickets-dec.csv",
        sheet: null,
        kind: "tickets",
        rows_imported: 60,
        rows_skipped: 0,
        issue_count: 0,
        sha256: "ab",
        imported_at: "2026-12-07T10:00:00Z",
        mapping: {},
        source: "file",
        overlap,
        superseded_rows: 0,
        period: null,
      },
    ],
    skipped_sheets: [],
    profile: null,
    profile_saved: null,
  });

  it("shows the overlap with an earlier import before importing, and sends the user's choice", async () => {
    mock((cmd, a) => {
      if (cmd === "inspect_file") return { file: "tickets-dec.csv", workbook: false, skipped_sheets: [], tables: [table(true)] };
      if (cmd === "import_overlaps") return overlapping;
      if (cmd === "import_file") return imported((a.options as { overlap?: "add" | "supersede" }).overlap ?? "supersede");
      if (cmd === "list_batches") return [];
      if (cmd === "has_sample") return false;
      if (cmd === "choose_import_files") return [{ token: "f2-abc", name: "tickets-dec.csv", folder: "/tmp" }];
    });
    location.hash = "#/import";
    render(<App initial={await initTexts("en-US")} />);
    fireEvent.click(await screen.findByTestId("pick-files"));
    await waitFor(() => expect((screen.getByTestId("import-all") as HTMLButtonElement).disabled).toBe(false), { timeout: 5000 });
    const line = await screen.findByTestId("overlap-line");
    expect(line.textContent).toContain("overlaps the import of Nov 7, 2026 (tickets.csv): 50 records, 12 with other values");
    expect(line.textContent).toContain("they will be replaced");
    // the file's row says it in short, with its months
    expect(screen.getByTestId("overlap-summary").textContent).toBe("50 records as in earlier imports (12 changed) — replaced");
    expect(screen.getByTestId("row-months").textContent).toBe("October 2026 – December 2026");
    expect(screen.getByTestId("row-kind").textContent).toBe("Accounts");
    expect(screen.queryByTestId("sample-question")).toBeNull();
    fireEvent.click(screen.getByTestId("overlap-add"));
    await waitFor(() => expect(screen.getByTestId("overlap-line").textContent).toContain("will be added"));
    fireEvent.click(screen.getByTestId("import-all"));
    await screen.findByTestId("import-results");
    const sent = calls.find((c) => c.cmd === "import_file");
    // no choices made: no table entries (the profile of the file's shape would apply), no sample question
    expect(sent?.args.options).toEqual({ overlap: "add" });
    const asked = calls.find((c) => c.cmd === "import_overlaps");
    expect(asked?.args.file).toBe("f2-abc");
    expect(screen.getByTestId("result-overlap").textContent).toContain("beside 50 overlapping records");
  });

  it("reads a file with the profile saved for its shape, imports it without questions and offers to change", async () => {
    const saved = {
      version: 1,
      name: "Shop orders",
      signature: ":id|created at",
      built_in: false,
      saved_at: "2026-11-07T10:47:00Z",
      used_at: null,
      choices: { kind: "orders" as const, sheet: null, header_row: null, map: [], date_order: null, overlap: "supersede" as const, tables: [] },
    };
    const uncertain: TablePreview = {
      ...table(true),
      kind: null,
      problems: [{ code: "kind_uncertain", message: "This could be tickets or orders.", fields: [], column: null, kinds: ["tickets", "orders"] }],
    };
    mock((cmd, a) => {
      if (cmd === "find_profile") return saved;
      if (cmd === "inspect_file") {
        const o = a.options as { kind?: string; tables?: { kind?: string }[] };
        const orders = o.kind === "orders" || (o.tables ?? []).some((t) => t.kind === "orders");
        return { file: "orders.csv", workbook: false, skipped_sheets: [], tables: [orders ? { ...table(true), kind: "orders", kind_chosen: true } : uncertain] };
      }
      if (cmd === "import_overlaps") return [];
      if (cmd === "import_file") return { batches: [], skipped_sheets: [], profile: "Shop orders", profile_saved: null };
      if (cmd === "list_batches") return [];
      if (cmd === "choose_import_files") return [{ token: "f5-abc", name: "orders.csv", folder: "/tmp" }];
    });
    location.hash = "#/import";
    render(<App initial={await initTexts("en-US")} />);
    fireEvent.click(await screen.findByTestId("pick-files"));
    expect((await screen.findByTestId("profile-used")).textContent).toContain("Read with the profile “Shop orders”");
    await waitFor(() => expect((screen.getByTestId("import-all") as HTMLButtonElement).disabled).toBe(false), { timeout: 5000 });
    expect(screen.queryByTestId("kind-problem")).toBeNull();
    fireEvent.click(screen.getByTestId("import-all"));
    expect((await screen.findByTestId("result-profile")).textContent).toContain("Imported with the profile “Shop orders” — change");
    expect(calls.find((c) => c.cmd === "import_file")?.args.options).toMatchObject({ profile: "Shop orders", tables: [{ sheet: null, kind: "orders" }] });
  });

  it("goes back to the detection when the user changes a profile's reading", async () => {
    const saved = {
      version: 1,
      name: "Shop orders",
      signature: "",
      built_in: false,
      saved_at: "2026-11-07T10:47:00Z",
      used_at: null,
      choices: { kind: "orders" as const, sheet: null, header_row: null, map: [], date_order: null, overlap: "supersede" as const, tables: [] },
    };
    mock((cmd, a) => {
      if (cmd === "find_profile") return saved;
      if (cmd === "inspect_file") {
        const o = a.options as { kind?: string; tables?: { kind?: string }[] };
        const orders = o.kind === "orders" || (o.tables ?? []).some((t) => t.kind === "orders");
        return { file: "orders.csv", workbook: false, skipped_sheets: [], tables: [orders ? { ...table(true), kind: "orders", kind_chosen: true } : table(true)] };
      }
      if (cmd === "list_batches") return [];
      if (cmd === "choose_import_files") return [{ token: "f6-abc", name: "orders.csv", folder: "/tmp" }];
    });
    location.hash = "#/import";
    render(<App initial={await initTexts("en-US")} />);
    fireEvent.click(await screen.findByTestId("pick-files"));
    await waitFor(() => expect(screen.getByTestId("table-block").getAttribute("data-kind")).toBe("orders"));
    fireEvent.click(screen.getByTestId("profile-change"));
    await waitFor(() => expect(screen.getByTestId("table-block").getAttribute("data-kind")).toBe("accounts"));
    expect(screen.queryByTestId("profile-used")).toBeNull();
  });

  it("asks at the first own import whether it replaces the sample company", async () => {
    mock((cmd) => {
      if (cmd === "inspect_file") return { file: "kunden.csv", workbook: false, skipped_sheets: [], tables: [table(true)] };
      if (cmd === "import_overlaps") return [];
      if (cmd === "import_file") return { batches: [], skipped_sheets: [], profile: null, profile_saved: null };
      if (cmd === "list_batches") return [];
      if (cmd === "has_sample") return true;
      if (cmd === "choose_import_files") return [{ token: "f3-abc", name: "kunden.csv", folder: "/tmp" }];
    });
    location.hash = "#/import";
    render(<App initial={await initTexts("de-DE")} />);
    fireEvent.click(await screen.findByTestId("pick-files"));
    expect((await screen.findByTestId("sample-question")).textContent).toContain("Sollen Ihre Daten sie ersetzen?");
    expect((screen.getByTestId("sample-replace") as HTMLInputElement).checked).toBe(true);
    await waitFor(() => expect((screen.getByTestId("import-all") as HTMLButtonElement).disabled).toBe(false), { timeout: 5000 });
    fireEvent.click(screen.getByTestId("import-all"));
    await screen.findByTestId("import-results");
    expect(calls.find((c) => c.cmd === "import_file")?.args.options).toMatchObject({ replace_sample: true, overlap: "supersede" });
  });

  it("asks about the sample company once: another file waiting is not asked again after the first import", async () => {
    let own = false;
    mock((cmd, a) => {
      if (cmd === "inspect_file") return { file: "x.csv", workbook: false, skipped_sheets: [], tables: [table(true)] };
      if (cmd === "import_overlaps") return [];
      if (cmd === "import_file") {
        own = true;
        return { batches: [], skipped_sheets: [], profile: null, profile_saved: null, file: a.file };
      }
      if (cmd === "list_batches") return own ? [{ ...imported("supersede").batches[0] }] : [];
      if (cmd === "has_sample") return !own;
      if (cmd === "choose_import_files")
        return [
          { token: "f7-a", name: "a.csv", folder: "/tmp" },
          { token: "f7-b", name: "b.csv", folder: "/tmp" },
        ];
    });
    location.hash = "#/import";
    render(<App initial={await initTexts("en-US")} />);
    fireEvent.click(await screen.findByTestId("pick-files"));
    // one question for all the files waiting
    await waitFor(() => expect(screen.getAllByTestId("sample-question")).toHaveLength(1));
    await waitFor(() => expect(screen.getByTestId("import-all").textContent).toBe("Import all (2 files)"));
    fireEvent.click(screen.getByTestId("import-all"));
    await waitFor(() => expect(screen.getAllByTestId("row-imported")).toHaveLength(2));
    await waitFor(() => expect(screen.queryAllByTestId("sample-question")).toHaveLength(0));
    // the first import replaces the sample company; the second has nothing left to replace
    const sent = calls.filter((c) => c.cmd === "import_file");
    expect(sent.map((c) => c.args.file)).toEqual(["f7-a", "f7-b"]);
    expect(sent.map((c) => (c.args.options as { replace_sample?: boolean }).replace_sample ?? false)).toEqual([true, false]);
  });

  it("asks the kind when the headers do not tell, and shows an earlier import of the same file calmly", async () => {
    const uncertain: TablePreview = {
      ...table(true),
      kind: null,
      problems: [{ code: "kind_uncertain", message: "This could be tickets or orders.", fields: [], column: null, kinds: ["tickets", "orders"] }],
    };
    mock((cmd, a) => {
      if (cmd === "inspect_file") {
        const chosen = ((a.options as { tables?: { kind?: string }[] }).tables ?? []).some((t) => t.kind === "orders");
        return { file: "export.csv", workbook: false, skipped_sheets: [], tables: [chosen ? { ...table(true), kind: "orders", kind_chosen: true } : uncertain] };
      }
      if (cmd === "already_imported") return { ...imported("supersede").batches[0], file: "export.csv", imported_at: "2026-12-07T10:47:00Z" };
      if (cmd === "list_batches") return [];
      if (cmd === "choose_import_files") return [{ token: "f4-abc", name: "export.csv", folder: "/tmp" }];
    });
    location.hash = "#/import";
    render(<App initial={await initTexts("en-US")} />);
    fireEvent.click(await screen.findByTestId("pick-files"));
    const notice = await screen.findByTestId("already-imported");
    expect(notice.textContent).toContain("Already imported on Dec 7, 2026");
    expect(notice.textContent).toContain("(export.csv) — nothing new");
    expect(screen.queryByRole("alert", { name: /went wrong/ })).toBeNull();
    await screen.findByTestId("kind-problem");
    // not importable until the kind is answered; nothing is compared with a guessed kind
    expect((screen.getByTestId("import-all") as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId("kind-choice-orders"));
    await waitFor(() => expect(screen.queryByTestId("kind-problem")).toBeNull());
    // the row names the kind chosen (the first reading recognised none)
    await waitFor(() => expect(screen.getByTestId("row-kind").textContent).toBe("Orders"));
    const last = calls.filter((c) => c.cmd === "inspect_file").slice(-1)[0];
    expect(last?.args.options).toMatchObject({ tables: [{ sheet: null, kind: "orders" }] });
    // the same bytes again: importing needs "replace" ticked
    expect((screen.getByTestId("import-all") as HTMLButtonElement).disabled).toBe(true);
    await waitFor(() => expect(screen.getByTestId("row-already").textContent).toBe("Already imported on Dec 7, 2026 — nothing new"));
    expect(calls.some((c) => c.cmd === "import_overlaps")).toBe(false);
  });
});

describe("the review of many files", () => {
  // each file is read, compared and answered in several round trips: on a busy machine more than 1 s
  const slow = { timeout: 5000 };
  const preview = (kind: "orders" | "tickets" | null, rows = 1): TablePreview => ({
    profile: null,
    notes: [],
    unknown_words: [],
    sheet: null,
    kind,
    kind_chosen: kind !== null,
    header_row: 1,
    columns: ["Id", "Created at"],
    fields: [],
    month_columns: [],
    column_labels: [null, null],
    rows_above: [],
    rows: [{ row: 2, cells: ["1", "2026-10-01"] }],
    data_rows: rows,
    data_rows_exact: true,
    assumptions: [],
    issues: [],
    problems: kind ? [] : [{ code: "kind_uncertain", message: "This could be tickets or orders.", fields: [], column: null, kinds: ["tickets", "orders"] }],
  });
  const months: Record<string, [string, string]> = { "t-a": ["2026-08", "2026-08"], "t-b": ["2026-07", "2026-09"] };

  it("answers a file's question in its row, keeps the queue while the user looks at the dashboard, imports all and offers the month's report", async () => {
    mock((cmd, a) => {
      if (cmd === "inspect_file") {
        if (a.file === "t-a") return { file: "a.csv", workbook: false, skipped_sheets: [], tables: [preview("tickets", 50)] };
        const chosen = ((a.options as { tables?: { kind?: string }[] }).tables ?? []).some((t) => t.kind === "orders");
        return { file: "b.csv", workbook: false, skipped_sheets: [], tables: [preview(chosen ? "orders" : null, 7)] };
      }
      if (cmd === "import_overlaps")
        return [{ sheet: null, kind: a.file === "t-a" ? "tickets" : "orders", rows: 1, overlap: "supersede", period: null, months: months[a.file as string], overlaps: [] }];
      if (cmd === "import_file") return { batches: [], skipped_sheets: [], profile: null, profile_saved: null };
      if (cmd === "list_batches") return [];
      if (cmd === "has_sample") return false;
      if (cmd === "choose_import_files")
        return [
          { token: "t-a", name: "a.csv", folder: "/tmp" },
          { token: "t-b", name: "b.csv", folder: "/tmp" },
        ];
    });
    await start("#/import");
    fireEvent.click(screen.getByTestId("pick-files"));
    await waitFor(() => expect(screen.getAllByTestId("file-card").map((c) => c.getAttribute("data-status"))).toEqual(["ready", "needs_answer"]), slow);
    await waitFor(() => expect(screen.getByTestId("review-summary").textContent).toBe("1 ready · 1 with a question · 0 imported"), slow);
    expect(screen.getByTestId("import-all").textContent).toBe("Import 1 file");
    expect(screen.getAllByTestId("row-months")[0]!.textContent).toBe("August 2026");
    expect(screen.getAllByTestId("row-rows")[0]!.textContent).toBe("50 rows");

    // a look at the dashboard and back: the files are still there
    location.hash = "#/";
    window.dispatchEvent(new HashChangeEvent("hashchange"));
    await screen.findByTestId("cs-score");
    expect(screen.queryByTestId("review")).toBeNull();
    location.hash = "#/import";
    window.dispatchEvent(new HashChangeEvent("hashchange"));
    await waitFor(() => expect(screen.getAllByTestId("file-card")).toHaveLength(2), slow);

    // the question is answered in the file's row
    const row = screen.getAllByTestId("file-card")[1]!;
    await waitFor(() => expect(row.querySelector('[data-testid="row-question"]')?.textContent).toContain("What does it hold?"), slow);
    fireEvent.click(row.querySelector('[data-testid="row-kind-choice-orders"]')!);
    await waitFor(() => expect(screen.getByTestId("import-all").textContent).toBe("Import all (2 files)"), slow);
    expect(calls.filter((c) => c.cmd === "inspect_file" && c.args.file === "t-b").slice(-1)[0]?.args.options).toMatchObject({
      tables: [{ sheet: null, kind: "orders" }],
    });

    // and the answer too survives a look elsewhere
    location.hash = "#/";
    window.dispatchEvent(new HashChangeEvent("hashchange"));
    await screen.findByTestId("cs-score");
    location.hash = "#/import";
    window.dispatchEvent(new HashChangeEvent("hashchange"));
    await waitFor(() => expect(screen.getByTestId("import-all").textContent).toBe("Import all (2 files)"), slow);

    fireEvent.click(screen.getByTestId("import-all"));
    await waitFor(() => expect(screen.getAllByTestId("row-imported")).toHaveLength(2), slow);
    expect(calls.filter((c) => c.cmd === "import_file").map((c) => c.args.file)).toEqual(["t-a", "t-b"]);
    expect(calls.find((c) => c.cmd === "import_file" && c.args.file === "t-b")?.args.options).toMatchObject({ tables: [{ sheet: null, kind: "orders" }] });
    await waitFor(() => expect(screen.getByTestId("review-summary").textContent).toBe("0 ready · 0 with a question · 2 imported"), slow);
    // the files reach September 2026 (the data, the sample dashboard's months, October)
    const report = await screen.findByTestId("board-report");
    expect(report.textContent).toBe("Board report for September 2026 …");
    // an imported file's row still says its months
    expect(screen.getAllByTestId("row-months")[1]!.textContent).toBe("July 2026 – September 2026");
    fireEvent.click(report);
    await screen.findByTestId("export-dialog");
    // the dialog opens with that month
    expect((screen.getByTestId("export-dialog").querySelector("select") as HTMLSelectElement).value).toBe("2026-09");
  });
});

describe("the data browser", () => {
  it("pages rows from Rust, sorts by a column and searches", async () => {
    const columns = [
      { id: "account_id", type: "text", lineage: false },
      { id: "date", type: "date", lineage: false },
      { id: "sessions", type: "number", lineage: false },
    ];
    mock((cmd, a) => {
      if (cmd === "browse_datasets")
        return [{ kind: "usage", rows: 1_000_000, columns, batches: [{ id: 7, file: "usage.csv", sheet: null, rows: 1_000_000, imported_at: "2026-11-01T10:00:00Z" }] }];
      if (cmd === "browse_open") return { view_id: 3, total: (a.query as { search?: string }).search ? 2 : 1_000_000, columns };
      if (cmd === "browse_page") {
        const offset = a.offset as number;
        return {
          total: 1_000_000,
          rows: Array.from({ length: a.limit as number }, (_, i) => ({
            row_id: offset + i + 1,
            cells: [`ACC-${offset + i}`, "2026-10-01", 1234.5],
          })),
        };
      }
    });
    await start("#/data");
    await screen.findByText("ACC-0");
    expect(screen.getByTestId("data-count").textContent).toBe("1,000,000 rows");
    expect(screen.getAllByText("1,234.5").length).toBeGreaterThan(5);
    const page = calls.find((c) => c.cmd === "browse_page");
    expect(page?.args).toMatchObject({ viewId: 3, offset: 0, limit: 100 });
    fireEvent.click(screen.getByTestId("col-date"));
    await waitFor(() =>
      expect(calls.filter((c) => c.cmd === "browse_open").slice(-1)[0]?.args.query).toMatchObject({ sort: { column: "date", descending: false } }),
    );
    fireEvent.input(screen.getByTestId("data-search"), { target: { value: "acc-1" } });
    await waitFor(() => expect(screen.getByTestId("data-count").textContent).toBe("2 rows"));
    expect(calls.filter((c) => c.cmd === "browse_open").slice(-1)[0]?.args.query).toMatchObject({ search: "acc-1" });
  });

  it("shows a billing export's lines beside the MRR rows derived from them", async () => {
    const columns = [
      { id: "account_id", type: "text", lineage: false },
      { id: "month", type: "date", lineage: false },
      { id: "mrr", type: "number", lineage: false },
    ];
    const batch = (id: number, file: string, lines: number) => ({
      id,
      file,
      sheet: null,
      rows: 3,
      superseded: 0,
      overlap: "supersede",
      imported_at: "2026-11-01T10:00:00Z",
      billing_lines: lines,
    });
    mock((cmd, a) => {
      if (cmd === "browse_datasets")
        return [{ kind: "revenue", rows: 6, columns, batches: [batch(4, "mrr.xlsx", 0), batch(5, "stripe_lines.csv", 3)] }];
      if (cmd === "browse_open") return { view_id: 1, total: 3, columns };
      if (cmd === "browse_page") return { total: 3, rows: [{ row_id: 1, cells: ["A-1", "2026-10", 1500] }] };
      if (cmd === "billing_lines") {
        expect(a.batchId).toBe(5);
        return [
          { row: 2, customer: "cus_A", amount: 18000, currency: "EUR", period_start: "2026-03-15", period_end: "2027-03-15", status: "counts", line_type: "recurring", not_mrr: null, months: 12, mrr_per_month: 1500 },
          { row: 3, customer: "cus_B", amount: 450, currency: "EUR", period_start: "2026-10-01", period_end: "2026-11-01", status: "void", line_type: "recurring", not_mrr: "void", months: 0, mrr_per_month: null },
          { row: 4, customer: "cus_C", amount: 1500, currency: "EUR", period_start: null, period_end: null, status: "counts", line_type: "one_time", not_mrr: "one_time", months: 0, mrr_per_month: null },
        ];
      }
    });
    await start("#/data");
    await screen.findByText("A-1");
    // an import that is no billing export offers no lines
    const select = screen.getByRole("combobox", { name: "Import" }) as HTMLSelectElement;
    fireEvent.change(select, { target: { value: "4" } });
    await waitFor(() => expect(calls.filter((c) => c.cmd === "browse_open").slice(-1)[0]?.args.query).toMatchObject({ batch: 4 }));
    expect(screen.queryByTestId("billing-lines")).toBeNull();
    fireEvent.change(select, { target: { value: "5" } });
    const toggle = await screen.findByTestId("billing-lines");
    expect(toggle.textContent).toBe("Show the 3 billing lines");
    fireEvent.click(toggle);
    const rows = await screen.findAllByTestId("billing-line");
    expect(rows.map((r) => r.textContent)).toEqual([
      "2cus_A18,000.00 EUR2026-03-15 → 2027-03-151,500.00 a month for 12 months",
      "3cus_B450.00 EUR2026-10-01 → 2026-11-01not MRR: void invoice",
      "4cus_C1,500.00 EURnot MRR: one-time charge",
    ]);
    expect(screen.getByTestId("billing-lines").textContent).toBe("Show the MRR rows");
    fireEvent.click(screen.getByTestId("billing-lines"));
    await waitFor(() => expect(screen.queryByTestId("billing-table")).toBeNull());
  });
});

import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TextsContext } from "./components/common";
import { initTexts } from "./i18n";
import type { LinkReport } from "./ipc";
import type { ImportedBatch } from "./ipc/bindings/ImportedBatch";
import { accountOf, LinkStep, questions, SHOWN_AT_FIRST } from "./screens/LinkStep";
import { App } from "./app";
import { sampleDashboard, sampleExplanation } from "./test/fixtures";

vi.mock("./components/charts", async (actual) => ({
  ...(await actual<typeof import("./components/charts")>()),
  EChart: (p: { label: string }) => <div role="img" aria-label={p.label} />,
}));

const report = (over: Partial<LinkReport> = {}): LinkReport => ({
  column: "Organization",
  by_account_id: 10,
  by_alias: 2,
  by_domain: 1,
  by_name: 5,
  links: [],
  unmatched: [
    { value: "Nordwind", rows: 3, first_row: 7, free_mail: false, proposals: [{ account_id: "K-1", name: "Nordwind GmbH", similarity: 0.93 }] },
    { value: "jane@gmail.com", rows: 1, first_row: 12, free_mail: true, proposals: [] },
  ],
  ambiguous: [{ value: "acme.com", rows: 5, first_row: 2, by: "domain", candidates: ["K-2", "K-3"] }],
  not_a_customer: 0,
  values_not_listed: 0,
  ...over,
});

const batch = (links: LinkReport | null): ImportedBatch =>
  ({ batch_id: 4, file: "tickets.csv", kind: "tickets", rows_imported: 18, rows_skipped: 9, links }) as unknown as ImportedBatch;

const accounts = [
  { account_id: "K-1", name: "Nordwind GmbH", domain: null, aliases: [] },
  { account_id: "K-2", name: "Acme AG", domain: "acme.com", aliases: [] },
  { account_id: "K-3", name: "Acme Inc.", domain: "acme.com", aliases: ["cus_9"] },
  { account_id: "K-4", name: "Acme Inc.", domain: null, aliases: [] },
];

let calls: { cmd: string; args: Record<string, unknown> }[] = [];
function mock() {
  calls = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    if (cmd === "link_book") return { accounts, links: [] };
    if (cmd === "link_value") return { value: a.value, account_id: a.accountId ?? null, linked_at: "2026-12-07T10:00:00Z" };
    if (cmd === "unlink_value") return true;
    return null;
  });
}

async function show(b: ImportedBatch, onImportAgain = () => {}, tag = "en-US") {
  const texts = await initTexts(tag);
  render(
    <TextsContext.Provider value={texts}>
      <LinkStep batch={b} onImportAgain={onImportAgain} />
    </TextsContext.Provider>,
  );
}

afterEach(() => {
  cleanup();
  clearMocks();
});

describe("the link step's logic", () => {
  it("lists unmatched and ambiguous values, most rows first, with their offers", () => {
    const q = questions(report());
    expect(q.map((x) => [x.value, x.rows, x.ambiguous])).toEqual([
      ["acme.com", 5, true],
      ["Nordwind", 3, false],
      ["jane@gmail.com", 1, false],
    ]);
    expect(q[0]!.offers.map((o) => o.account_id)).toEqual(["K-2", "K-3"]);
    expect(q[2]!.freeMail).toBe(true);
    expect(questions(null)).toEqual([]);
    expect(questions(report({ unmatched: [], ambiguous: [] }))).toEqual([]);
  });

  it("finds the account a search names: the suggestion's text, an id, or a name only one account has", () => {
    expect(accountOf("Nordwind GmbH · K-1", accounts)).toBe("K-1");
    expect(accountOf(" K-3 ", accounts)).toBe("K-3");
    expect(accountOf("acme ag", accounts)).toBe("K-2");
    // two accounts are called Acme Inc.: not guessed
    expect(accountOf("Acme Inc.", accounts)).toBeNull();
    expect(accountOf("Nobody", accounts)).toBeNull();
    expect(accountOf("  ", accounts)).toBeNull();
  });
});

describe("the link step", () => {
  it("links a value to a proposed account, one found by search, marks one not a customer, and offers to import again", async () => {
    mock();
    const again = vi.fn();
    await show(batch(report()), again);
    expect(screen.getByTestId("link-step").querySelector("h3")?.textContent).toBe(
      "3 customers in this file were not found: their 9 rows were not imported",
    );
    await waitFor(() => expect(calls.some((c) => c.cmd === "link_book")).toBe(true));
    const values = () => screen.getAllByTestId("link-value");
    expect(values().map((v) => v.getAttribute("data-value"))).toEqual(["acme.com", "Nordwind", "jane@gmail.com"]);
    // nothing is linked unasked
    expect(calls.some((c) => c.cmd === "link_value")).toBe(false);
    expect(screen.queryByTestId("import-again")).toBeNull();

    // the proposal for Nordwind
    const nordwind = values()[1]!;
    const offer = nordwind.querySelector<HTMLButtonElement>("[data-testid=link-offer]")!;
    expect(offer.textContent).toBe("Is it Nordwind GmbH (K-1)?");
    fireEvent.click(offer);
    await waitFor(() => expect(nordwind.querySelector("[data-testid=link-answer]")?.textContent).toContain("→ Nordwind GmbH (K-1)"));
    expect(calls.find((c) => c.cmd === "link_value")?.args).toMatchObject({ value: "Nordwind", accountId: "K-1" });

    // acme.com fits two accounts: found by the search instead
    const acme = values()[0]!;
    const search = acme.querySelector<HTMLInputElement>("[data-testid=link-search]")!;
    fireEvent.input(search, { target: { value: "Acme Inc." } });
    fireEvent.keyDown(search, { key: "Enter" });
    expect(acme.textContent).toContain("No single account has this name or id.");
    fireEvent.input(search, { target: { value: "Acme Inc. · K-3" } });
    fireEvent.keyDown(search, { key: "Enter" });
    await waitFor(() => expect(acme.querySelector("[data-testid=link-answer]")?.textContent).toContain("→ Acme Inc. (K-3)"));

    // a private address: not a customer; then changed back
    const jane = values()[2]!;
    fireEvent.click(jane.querySelector("[data-testid=link-not-customer]")!);
    await waitFor(() => expect(jane.querySelector("[data-testid=link-answer]")?.textContent).toContain("Not a customer"));
    expect(calls.filter((c) => c.cmd === "link_value").slice(-1)[0]?.args).toMatchObject({ value: "jane@gmail.com", accountId: null });
    fireEvent.click(jane.querySelector("[data-testid=link-change]")!);
    await waitFor(() => expect(jane.querySelector("[data-testid=link-not-customer]")).not.toBeNull());
    expect(calls[calls.length - 1]).toMatchObject({ cmd: "unlink_value", args: { value: "jane@gmail.com" } });

    const button = screen.getByTestId("import-again");
    expect(button.textContent).toBe("Import the file again with these 2 answers");
    fireEvent.click(button);
    expect(again).toHaveBeenCalledTimes(1);
  });

  it("shows nothing when every value was linked, and lists the first values only", async () => {
    mock();
    await show(batch(report({ unmatched: [], ambiguous: [] })));
    expect(screen.queryByTestId("link-step")).toBeNull();
    cleanup();
    const many = Array.from({ length: SHOWN_AT_FIRST + 3 }, (_, i) => ({
      value: `V${String(i).padStart(2, "0")}`,
      rows: 1,
      first_row: i + 2,
      free_mail: false,
      proposals: [],
    }));
    await show(batch(report({ unmatched: many, ambiguous: [] })), () => {}, "de-DE");
    expect(screen.getAllByTestId("link-value")).toHaveLength(SHOWN_AT_FIRST);
    expect(screen.getByTestId("link-step").querySelector("h3")?.textContent).toBe(
      "15 Kunden aus dieser Datei wurden nicht gefunden: ihre 15 Zeilen wurden nicht importiert",
    );
    fireEvent.click(screen.getByTestId("link-more"));
    expect(screen.getAllByTestId("link-value")).toHaveLength(SHOWN_AT_FIRST + 3);
  });
});

describe("the account page", () => {
  it("says what other files call the account: its domain and the values linked to it", async () => {
    const e = sampleExplanation();
    mockIPC((cmd) => {
      if (cmd === "get_dashboard") return sampleDashboard();
      if (cmd === "get_settings") return [{ key: "language", value: "auto", default: "auto", direction: null }];
      if (cmd === "explain_account") return e;
      if (cmd === "get_notes") return [];
      if (cmd === "link_book")
        return {
          accounts: [{ account_id: e.account.account_id, name: "x", domain: "alpha.example", aliases: ["cus_42", "Alpha"] }],
          links: [],
        };
      if (cmd === "plugin:event|listen") return 1;
      return null;
    });
    location.hash = `#/accounts/${e.account.account_id}`;
    render(<App initial={await initTexts("en-US")} />);
    const names = await screen.findByTestId("account-aliases");
    expect(names.textContent).toBe("In other files also: alpha.example, cus_42, Alpha");
  });
});

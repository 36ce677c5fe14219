// The review of many files (issue 16): each file's status, months, rows and overlap as its
// row shows them, the month of the board report afterwards, and the queue that outlives
// the import screen.
import { describe, expect, it, vi } from "vitest";
import type { TableOverlap } from "./ipc";
import { ImportQueue } from "./queue";
import { fileRows, fileStatus, importable, monthsOf, overallFraction, overlapTotals, reportMonth } from "./wizard";

const base = { reading: false, importing: 1, blocked: false, already: false, running: false, imported: false, failed: false };

describe("the review of many files", () => {
  it("gives each file one status, the import's outcome first and a question before readiness", () => {
    expect(fileStatus(base)).toBe("ready");
    expect(fileStatus({ ...base, reading: true })).toBe("reading");
    expect(fileStatus({ ...base, blocked: true })).toBe("needs_answer");
    // a file read again while blocked still asks
    expect(fileStatus({ ...base, blocked: true, already: true })).toBe("needs_answer");
    expect(fileStatus({ ...base, already: true })).toBe("already");
    expect(fileStatus({ ...base, importing: 0 })).toBe("nothing");
    expect(fileStatus({ ...base, failed: true })).toBe("failed");
    expect(fileStatus({ ...base, running: true, reading: true })).toBe("importing");
    expect(fileStatus({ ...base, imported: true, running: true })).toBe("imported");
    // Import all takes the ready files and tries a failed (or cancelled) one again; never
    // one that waits for an answer, was imported before or is imported
    const all = ["reading", "needs_answer", "already", "nothing", "ready", "importing", "imported", "failed"] as const;
    expect(all.filter(importable)).toEqual(["ready", "failed"]);
  });

  it("spans a file's months over its tables and leaves undated tables out", () => {
    expect(monthsOf([])).toBeNull();
    expect(monthsOf([{ months: null }])).toBeNull();
    expect(
      monthsOf([{ months: ["2026-09", "2026-10"] }, { months: null }, { months: ["2026-08", "2026-09"] }, { months: ["2026-10", "2026-11"] }]),
    ).toEqual(["2026-08", "2026-11"]);
  });

  it("counts a file's rows over its tables, exact only when every table's count is", () => {
    expect(fileRows([])).toBeNull();
    expect(fileRows([{ data_rows: 10, data_rows_exact: true }, { data_rows: null, data_rows_exact: false }])).toBeNull();
    expect(fileRows([{ data_rows: 10, data_rows_exact: true }, { data_rows: 5, data_rows_exact: true }])).toEqual({ rows: 15, exact: true });
    expect(fileRows([{ data_rows: 10, data_rows_exact: true }, { data_rows: 9000, data_rows_exact: false }])).toEqual({ rows: 9010, exact: false });
  });

  it("sums the overlap of a file's tables with earlier imports for its row", () => {
    const earlier = (batch_id: number, rows: number, changed: number) => ({ batch_id, file: "x.csv", sheet: null, imported_at: "2026-11-07T10:47:00Z", rows, changed });
    const table = (overlaps: ReturnType<typeof earlier>[]): TableOverlap => ({ sheet: null, kind: "tickets", rows: 50, overlap: "supersede", period: null, months: null, overlaps });
    expect(overlapTotals([])).toBeNull();
    expect(overlapTotals([table([])])).toBeNull();
    expect(overlapTotals([table([earlier(1, 20, 5), earlier(2, 3, 0)]), table([earlier(1, 7, 1)])])).toEqual({ rows: 30, changed: 6, imports: 2 });
  });

  it("offers the board report for the latest month with data that the imported files reach", () => {
    const months = ["2026-09", "2026-10", "2026-11"];
    expect(reportMonth([["2026-09", "2026-10"], null, ["2026-10", "2026-10"]], months)).toBe("2026-10");
    // a file reaching beyond the data (next year's renewals) still covers its last month with data
    expect(reportMonth([["2026-10", "2027-03"]], months)).toBe("2026-11");
    expect(reportMonth([["2026-01", "2026-09"]], months)).toBe("2026-09");
    // files without dates, or none within the data: the latest month with data
    expect(reportMonth([null], months)).toBe("2026-11");
    expect(reportMonth([["2025-01", "2025-03"]], months)).toBe("2026-11");
    expect(reportMonth([["2026-10", "2026-10"]], [])).toBeNull();
  });

  it("shows the overall progress of Import all over files, clamped", () => {
    expect(overallFraction(0, 0, 0.5)).toBe(0);
    expect(overallFraction(0, 4, 0)).toBe(0);
    expect(overallFraction(1, 4, 0.5)).toBeCloseTo(0.375);
    expect(overallFraction(4, 4, 0)).toBe(1);
    expect(overallFraction(3, 4, 1.7)).toBe(1);
  });
});

describe("the import queue", () => {
  const file = (token: string) => ({ token, name: `${token}.csv`, folder: "/tmp" });

  it("takes each file once, also within one drop, and tells its listeners", () => {
    const q = new ImportQueue();
    const heard = vi.fn();
    const stop = q.subscribe(heard);
    q.add([file("a"), file("b"), file("a")]);
    q.add([file("b"), file("c")]);
    expect(q.files.map((f) => f.token)).toEqual(["a", "b", "c"]);
    expect(heard).toHaveBeenCalledTimes(2);
    // nothing new: nobody is told
    q.add([file("c")]);
    expect(heard).toHaveBeenCalledTimes(2);
    stop();
    q.add([file("d")]);
    expect(heard).toHaveBeenCalledTimes(2);
  });

  it("remembers a file's answers until it is removed, and nothing for files not in it", () => {
    const q = new ImportQueue();
    q.add([file("a"), file("b")]);
    q.remember("a", "answered", { Export: "orders" });
    q.remember("a", "overlap", "add");
    q.remember("zz", "open", true);
    expect(q.mem("a")).toEqual({ answered: { Export: "orders" }, overlap: "add" });
    expect(q.memory.has("zz")).toBe(false);
    q.remove("a");
    expect(q.files.map((f) => f.token)).toEqual(["b"]);
    expect(q.memory.has("a")).toBe(false);
  });
});

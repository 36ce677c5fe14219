// Every chart of the app, drawn by ECharts (tree-shaken to what is used). A chart is
// decoration over numbers that are also shown as text or in a table next to it: if it
// cannot draw (no canvas in tests), the screen still says everything.
//
// ECharts is most of the page's script, so it is loaded on its own after the numbers are on
// screen (echarts-setup.ts): a cold start parses only what the first frame needs.
import type { ECharts, EChartsCoreOption } from "echarts/core";
import { useEffect, useRef } from "preact/hooks";
import type { Light } from "../format";

type Lib = typeof import("./echarts-setup");
let lib: Lib | null = null;
let loading: Promise<Lib> | null = null;
const loadLib = (): Promise<Lib> =>
  (loading ??= import("./echarts-setup").then((m) => {
    lib = m;
    return m;
  }));

export const LIGHT_FILL: Record<Light, string> = { green: "#2e9e55", yellow: "#f0b429", red: "#d64545" };
const ACCENT = "#17607a";
const FONT = "system-ui, sans-serif";

type Option = EChartsCoreOption;

// Charts are drawn one per animation frame, after the numbers are on screen: a screen with
// a dozen charts shows its numbers at once and fills in its charts right after, instead of
// waiting for all of them (WebKitGTK draws each in tens of milliseconds).
const queue: (() => void)[] = [];
let running = false;
function enqueue(draw: () => void): void {
  queue.push(draw);
  if (running) return;
  running = true;
  const step = () => {
    const next = queue.shift();
    if (!next) {
      running = false;
      performance.mark("cspulse:charts-drawn");
      return;
    }
    next();
    requestAnimationFrame(step);
  };
  // two frames on, so that the frame with the numbers is painted before ECharts is parsed
  requestAnimationFrame(() =>
    requestAnimationFrame(() =>
      loadLib().then(step, () => {
        // the chart module did not load: the numbers beside the charts still say everything
        queue.length = 0;
        running = false;
      }),
    ),
  );
}

/** A div that holds one chart; `lazy` draws it only once it scrolls into view. */
export function EChart(props: {
  option: Option;
  class?: string;
  label: string;
  renderer?: "canvas" | "svg";
  lazy?: boolean;
  testid?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let resize: ResizeObserver | null = null;
    let seen: IntersectionObserver | null = null;
    let alive = true;
    const draw = () => {
      if (!alive || !el.isConnected || !lib) return;
      try {
        chart.current ??= lib.echarts.init(el, undefined, { renderer: props.renderer ?? "canvas" });
        chart.current.setOption({ animation: false, textStyle: { fontFamily: FONT }, ...props.option }, true);
        if (!resize && typeof ResizeObserver !== "undefined") {
          resize = new ResizeObserver(() => chart.current?.resize());
          resize.observe(el);
        }
      } catch {
        // no canvas (tests) or a chart bug: the numbers are shown beside it anyway
      }
    };
    if (props.lazy && typeof IntersectionObserver !== "undefined" && !chart.current) {
      seen = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          seen?.disconnect();
          enqueue(draw);
        }
      });
      seen.observe(el);
    } else if (chart.current) {
      draw(); // new numbers for a chart already drawn
    } else {
      enqueue(draw);
    }
    return () => {
      alive = false;
      seen?.disconnect();
      resize?.disconnect();
    };
  }, [props.option]);
  useEffect(
    () => () => {
      chart.current?.dispose();
      chart.current = null;
    },
    [],
  );
  return <div ref={ref} class={props.class ?? "chart"} role="img" aria-label={props.label} data-testid={props.testid} />;
}

/** Green/yellow/red as two 100 % bars: by number of accounts and by MRR. */
export function splitOption(
  counts: Record<Light, number>,
  mrr: Record<Light, number>,
  text: { accounts: string; mrr: string; light: Record<Light, string>; tooltip: (l: Light, bar: "accounts" | "mrr") => string },
): Option {
  const lights: Light[] = ["green", "yellow", "red"];
  const total = (r: Record<Light, number>) => r.green + r.yellow + r.red;
  const share = (part: number, whole: number) => (whole > 0 ? (part / whole) * 100 : 0);
  return {
    grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: "value", max: 100, show: false },
    yAxis: {
      type: "category",
      inverse: true,
      data: [text.accounts, text.mrr],
      axisTick: { show: false },
      axisLine: { show: false },
      axisLabel: { color: "#3d4451", fontSize: 13 },
    },
    tooltip: {
      trigger: "item",
      renderMode: "richText",
      formatter: (p: { seriesIndex?: number; dataIndex?: number }) =>
        text.tooltip(lights[p.seriesIndex ?? 0], p.dataIndex === 1 ? "mrr" : "accounts"),
    },
    series: lights.map((l) => ({
      name: text.light[l],
      type: "bar",
      stack: "split",
      barWidth: 24,
      itemStyle: { color: LIGHT_FILL[l], borderColor: "#fff", borderWidth: 1 },
      data: [share(counts[l], total(counts)), share(mrr[l], total(mrr))],
    })),
  };
}

/** A 12-month sparkline; gaps where a month has no value. */
export function sparkOption(values: (number | null)[], good: "up" | "down" | null): Option {
  const defined = values.filter((v): v is number => v !== null);
  const last = values[values.length - 1];
  const first = defined[0];
  const rising = last !== null && first !== undefined && last >= first;
  const color = good === null ? ACCENT : (good === "up") === rising ? "#2e7d4f" : "#b3261e";
  return {
    grid: { left: 2, right: 2, top: 3, bottom: 3 },
    xAxis: { type: "category", show: false, data: values.map((_, i) => i), boundaryGap: false },
    yAxis: { type: "value", show: false, scale: true },
    series: [
      {
        type: "line",
        data: values,
        showSymbol: false,
        connectNulls: false,
        lineStyle: { width: 1.6, color },
        areaStyle: { color, opacity: 0.08 },
        silent: true,
      },
    ],
  };
}

/** The MRR bridge as a waterfall: invisible bases carry the floating steps. */
export function bridgeOption(
  steps: { label: string; value: number; kind: "total" | "up" | "down" }[],
  format: (v: number) => string,
): Option {
  let level = 0;
  const base: number[] = [];
  const up: (number | string)[] = [];
  const down: (number | string)[] = [];
  const totals: (number | string)[] = [];
  for (const s of steps) {
    if (s.kind === "total") {
      level = s.value;
      base.push(0);
      totals.push(s.value);
      up.push("-");
      down.push("-");
    } else if (s.kind === "up") {
      base.push(level);
      up.push(s.value);
      down.push("-");
      totals.push("-");
      level += s.value;
    } else {
      level -= s.value;
      base.push(level);
      down.push(s.value);
      up.push("-");
      totals.push("-");
    }
  }
  const label = { show: true, position: "top", fontSize: 11, color: "#3d4451", formatter: (p: { value: number | string }) => (typeof p.value === "number" ? format(p.value) : "") };
  return {
    grid: { left: 8, right: 8, top: 24, bottom: 4, containLabel: true },
    xAxis: { type: "category", data: steps.map((s) => s.label), axisTick: { show: false }, axisLabel: { interval: 0, fontSize: 12 } },
    yAxis: { type: "value", axisLabel: { formatter: (v: number) => format(v) }, splitLine: { lineStyle: { color: "#eef0f3" } } },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      renderMode: "richText",
      formatter: (ps: { dataIndex: number }[]) => {
        const s = steps[ps[0]?.dataIndex ?? 0];
        return s ? `${s.label}: ${s.kind === "down" ? "−" : ""}${format(s.value)}` : "";
      },
    },
    series: [
      { type: "bar", stack: "b", data: base, itemStyle: { color: "transparent" }, silent: true, barWidth: "55%" },
      { type: "bar", stack: "b", data: totals, itemStyle: { color: ACCENT }, label },
      { type: "bar", stack: "b", data: up, itemStyle: { color: "#2e9e55" }, label },
      { type: "bar", stack: "b", data: down, itemStyle: { color: "#d64545" }, label },
    ],
  };
}

/** Cohort retention: start months down, months since start across, % as colour. */
export function cohortOption(
  rows: string[],
  cols: number,
  cells: [number, number, number][],
  text: { since: (k: number) => string; cell: (row: number, col: number, v: number) => string },
): Option {
  return {
    grid: { left: 8, right: 8, top: 8, bottom: 40, containLabel: true },
    xAxis: { type: "category", data: Array.from({ length: cols }, (_, k) => text.since(k)), splitArea: { show: true }, axisLabel: { fontSize: 11 } },
    yAxis: { type: "category", data: rows, inverse: true, splitArea: { show: true }, axisLabel: { fontSize: 11 } },
    visualMap: {
      min: 0,
      max: 100,
      calculable: false,
      orient: "horizontal",
      left: "center",
      bottom: 0,
      itemHeight: 120,
      inRange: { color: ["#fbe6e4", "#fdf1d3", "#e3f4e8", "#2e9e55"] },
      text: ["100 %", "0 %"],
    },
    tooltip: {
      renderMode: "richText",
      formatter: (p: { value: [number, number, number] }) => text.cell(p.value[1], p.value[0], p.value[2]),
    },
    series: [
      {
        type: "heatmap",
        data: cells,
        label: { show: true, fontSize: 10, formatter: (p: { value: [number, number, number] }) => Math.round(p.value[2]).toString() },
      },
    ],
  };
}

/** An account's score over 12 months, with the light bands behind it. */
export function scoreHistoryOption(
  months: string[],
  scores: (number | null)[],
  thresholds: { green: number; yellow: number },
): Option {
  return {
    grid: { left: 8, right: 16, top: 12, bottom: 4, containLabel: true },
    xAxis: { type: "category", data: months, boundaryGap: false, axisLabel: { fontSize: 11 } },
    yAxis: { type: "value", min: 0, max: 100, splitLine: { lineStyle: { color: "#eef0f3" } } },
    tooltip: { trigger: "axis", renderMode: "richText" },
    series: [
      {
        type: "line",
        data: scores,
        connectNulls: false,
        symbolSize: 6,
        lineStyle: { width: 2.2, color: ACCENT },
        itemStyle: { color: ACCENT },
        markArea: {
          silent: true,
          data: [
            [{ yAxis: thresholds.green, itemStyle: { color: "rgba(46,158,85,0.08)" } }, { yAxis: 100 }],
            [{ yAxis: thresholds.yellow, itemStyle: { color: "rgba(240,180,41,0.10)" } }, { yAxis: thresholds.green }],
            [{ yAxis: 0, itemStyle: { color: "rgba(214,69,69,0.07)" } }, { yAxis: thresholds.yellow }],
          ],
        },
      },
    ],
  };
}

// The traffic-light split as two 100 % bars (accounts, MRR), ECharts tree-shaken to bars.
import { BarChart } from "echarts/charts";
import { AriaComponent, GridComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import type { LightSplit } from "../ipc";
import type { Light } from "../format";

echarts.use([BarChart, GridComponent, TooltipComponent, AriaComponent, CanvasRenderer]);

export const LIGHT_FILL: Record<Light, string> = { green: "#2e9e55", yellow: "#f0b429", red: "#d64545" };

export interface SplitChartText {
  accounts: string;
  mrr: string;
  light: Record<Light, string>;
  ariaLabel: string;
  /** Tooltip line for one light and bar, e.g. "Green: 12 (40.0 %)". */
  tooltip: (light: Light, bar: "accounts" | "mrr") => string;
}

/** Draws the chart into `el`; returns a function that disposes it. */
export function mountSplitChart(el: HTMLElement, split: LightSplit, text: SplitChartText): () => void {
  const chart = echarts.init(el, undefined, { renderer: "canvas" });
  const count = split.green + split.yellow + split.red;
  const mrr = split.mrr_green + split.mrr_yellow + split.mrr_red;
  const share = (part: number, whole: number) => (whole > 0 ? (part / whole) * 100 : 0);
  const lights: Light[] = ["green", "yellow", "red"];
  const accountsOf: Record<Light, number> = { green: split.green, yellow: split.yellow, red: split.red };
  const mrrOf: Record<Light, number> = { green: split.mrr_green, yellow: split.mrr_yellow, red: split.mrr_red };
  chart.setOption({
    animation: false,
    aria: { enabled: true, label: { description: text.ariaLabel } },
    textStyle: { fontFamily: "system-ui, sans-serif" },
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
    series: lights.map((light) => ({
      name: text.light[light],
      type: "bar",
      stack: "split",
      barWidth: 26,
      itemStyle: { color: LIGHT_FILL[light], borderColor: "#ffffff", borderWidth: 1 },
      data: [share(accountsOf[light], count), share(mrrOf[light], mrr)],
    })),
  });
  const resize = new ResizeObserver(() => chart.resize());
  resize.observe(el);
  return () => {
    resize.disconnect();
    chart.dispose();
  };
}

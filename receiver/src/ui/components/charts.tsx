import { formatDate } from "../format.js";
import { type ChartKind, labelAnchor, labelIndices, niceMax } from "./chart-scale.js";

/** One bucket of a time series. */
export interface ChartPoint {
  /** Bucket start, ISO 8601. */
  start: string;
  value: number | null;
  /** A bucket clipped by the window (its first or last): drawn lighter, since its count covers less time. */
  partial?: boolean;
}

export interface ChartSeries {
  name: string;
  points: readonly ChartPoint[];
}

interface ChartProps {
  id: string;
  title: string;
  /** The figure over the whole window, shown large above the chart. */
  headline: string;
  /** One sentence saying what is drawn, for screen readers and the tooltip. */
  description: string;
  format: (value: number) => string;
  kind?: ChartKind;
  /** Said in place of the plot when there is nothing to draw. */
  emptyText?: string;
}

const WIDTH = 640;
const HEIGHT = 210;
const LEFT = 64;
const RIGHT = 12;
const TOP = 12;
const BOTTOM = 28;
const TICKS = 4;
const PLOT_W = WIDTH - LEFT - RIGHT;
const PLOT_H = HEIGHT - TOP - BOTTOM;
const NO_DATA = "No data in this window";

/** The baseline and period labels of a chart with nothing to draw, and a line saying so. */
function NoData(props: { points: readonly ChartPoint[]; text: string }) {
  const y = TOP + PLOT_H;
  return (
    <g>
      <line class="axis" x1={LEFT} x2={WIDTH - RIGHT} y1={y} y2={y} />
      <text class="no-data" x={LEFT + PLOT_W / 2} y={TOP + PLOT_H / 2} text-anchor="middle">
        {props.text}
      </text>
      <PeriodLabels points={props.points} />
    </g>
  );
}

/**
 * Up to seven period labels under the plot. Every other one is `minor` (a narrow chart leaves those out);
 * the first and last sit flush with the plot's edges when centring them on their bars would cut them off.
 */
function PeriodLabels(props: { points: readonly ChartPoint[] }) {
  const labels = [...labelIndices(props.points.length, 7)].sort((a, b) => a - b);
  const slot = PLOT_W / Math.max(props.points.length, 1);
  return (
    <>
      {labels.map((i, rank) => {
        const point = props.points[i];
        if (!point) return null;
        const anchor = labelAnchor(i, props.points.length, slot, { left: LEFT, right: RIGHT });
        const x = LEFT + slot * i + (anchor === "start" ? 0 : anchor === "end" ? slot : slot / 2);
        const minor = labels.length > 4 && rank % 2 === 1 && rank < labels.length - 1;
        return (
          <text class={minor ? "x-label minor" : "x-label"} x={x} y={HEIGHT - 8} text-anchor={anchor}>
            {formatDate(point.start).slice(5)}
          </text>
        );
      })}
    </>
  );
}

/** The class of the value label of tick `i`: a narrow chart keeps only the middle and top ones. */
function valueLabelClass(i: number): string {
  return i === TICKS ? "y-label y-top" : i === TICKS / 2 ? "y-label y-mid" : "y-label";
}

function Axes(props: { max: number; points: readonly ChartPoint[]; format: (value: number) => string }) {
  return (
    <g>
      {Array.from({ length: TICKS + 1 }, (_, i) => {
        const value = (props.max / TICKS) * i;
        const y = TOP + PLOT_H - (PLOT_H * i) / TICKS;
        return (
          <g>
            <line class={i === 0 ? "axis" : "grid"} x1={LEFT} x2={WIDTH - RIGHT} y1={y} y2={y} />
            <text class={valueLabelClass(i)} x={LEFT - 6} y={y + 4} text-anchor="end">
              {props.format(value)}
            </text>
          </g>
        );
      })}
      <PeriodLabels points={props.points} />
    </g>
  );
}

function DataTable(props: {
  series: readonly ChartSeries[];
  format: (value: number) => string;
  title: string;
}) {
  const first = props.series[0];
  if (!first) return null;
  return (
    <details>
      <summary>Data table</summary>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">{props.title} per period</caption>
          <thead>
            <tr>
              <th scope="col">Period from</th>
              {props.series.map((series) => (
                <th scope="col" class="num">
                  {series.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {first.points.map((point, i) => (
              <tr>
                <th scope="row">{formatDate(point.start)}</th>
                {props.series.map((series) => {
                  const value = series.points[i]?.value ?? null;
                  return <td class="num">{value === null ? "—" : props.format(value)}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

function Frame(props: ChartProps & { series: readonly ChartSeries[]; children: unknown; legend: boolean }) {
  return (
    <figure class="chart card" id={props.id}>
      <figcaption>
        <h3 id={`${props.id}-title`}>{props.title}</h3>
        <p class="headline">{props.headline}</p>
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${props.id}-title ${props.id}-desc`}
        preserveAspectRatio="xMidYMid meet"
      >
        <desc id={`${props.id}-desc`}>{props.description}</desc>
        {props.children}
      </svg>
      {props.legend ? (
        <ul class="chart-legend">
          {props.series.map((series, i) => (
            <li>
              <span class={`swatch${i > 0 ? " swatch-2" : ""}`} aria-hidden="true" />
              {series.name}
            </li>
          ))}
        </ul>
      ) : null}
      <DataTable series={props.series} format={props.format} title={props.title} />
    </figure>
  );
}

/** Bars per bucket, drawn on the server as inline SVG. */
export function BarChart(props: ChartProps & { points: readonly ChartPoint[]; seriesName: string }) {
  const values = props.points.map((point) => point.value ?? 0);
  const max = niceMax(Math.max(0, ...values), TICKS, props.kind);
  const slot = PLOT_W / Math.max(props.points.length, 1);
  const width = Math.max(2, slot * 0.7);
  const series = [{ name: props.seriesName, points: props.points }];
  // Buckets without a value, or counts that are all zero, leave nothing to draw.
  const empty = props.points.every(
    (point) => point.value === null || (props.kind === "count" && point.value === 0),
  );
  if (empty) {
    return (
      <Frame {...props} series={series} legend={false}>
        <NoData points={props.points} text={props.emptyText ?? NO_DATA} />
      </Frame>
    );
  }
  return (
    <Frame {...props} series={series} legend={false}>
      <Axes max={max} points={props.points} format={props.format} />
      {props.points.map((point, i) => {
        const value = point.value ?? 0;
        const height = (PLOT_H * value) / max;
        return (
          <rect
            class={point.partial ? "bar partial" : "bar"}
            x={LEFT + slot * i + (slot - width) / 2}
            y={TOP + PLOT_H - height}
            width={width}
            height={Math.max(height, value > 0 ? 1 : 0)}
          >
            <title>{`${formatDate(point.start)}: ${point.value === null ? "no data" : props.format(value)}${point.partial ? " (part of the period only)" : ""}`}</title>
          </rect>
        );
      })}
    </Frame>
  );
}

/** One or two lines over the buckets; a bucket without a value leaves a gap. */
export function LineChart(props: ChartProps & { series: readonly ChartSeries[] }) {
  const values = props.series.flatMap((series) =>
    series.points.flatMap((p) => (p.value === null ? [] : [p.value])),
  );
  const max = niceMax(Math.max(0, ...values), TICKS, props.kind);
  const first = props.series[0]?.points ?? [];
  const slot = PLOT_W / Math.max(first.length, 1);
  const x = (i: number) => LEFT + slot * i + slot / 2;
  const y = (value: number) => TOP + PLOT_H - (PLOT_H * value) / max;
  if (values.length === 0) {
    return (
      <Frame {...props} series={props.series} legend={false}>
        <NoData points={first} text={props.emptyText ?? NO_DATA} />
      </Frame>
    );
  }
  return (
    <Frame {...props} series={props.series} legend={props.series.length > 1}>
      <Axes max={max} points={first} format={props.format} />
      {props.series.map((series, s) => {
        const segments: string[][] = [[]];
        series.points.forEach((point, i) => {
          if (point.value === null) segments.push([]);
          else segments[segments.length - 1]?.push(`${x(i).toFixed(1)},${y(point.value).toFixed(1)}`);
        });
        return (
          <g>
            {segments
              .filter((segment) => segment.length > 1)
              .map((segment) => (
                <polyline class={`line${s > 0 ? " line-2" : ""}`} points={segment.join(" ")} />
              ))}
            {s === 0
              ? series.points.map((point, i) =>
                  point.value === null ? null : (
                    <circle class="dot" cx={x(i)} cy={y(point.value)} r={3.5}>
                      <title>{`${formatDate(point.start)}: ${props.format(point.value)}`}</title>
                    </circle>
                  ),
                )
              : null}
          </g>
        );
      })}
    </Frame>
  );
}

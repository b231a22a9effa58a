const HOUR = 3_600_000;
const DURATION_STEPS: readonly [number, ...number[]] = [
  60_000,
  5 * 60_000,
  15 * 60_000,
  30 * 60_000,
  HOUR,
  2 * HOUR,
  6 * HOUR,
  12 * HOUR,
  24 * HOUR,
  2 * 24 * HOUR,
  7 * 24 * HOUR,
];

/** What a chart's values are: any number (a ratio), a whole count, or milliseconds. */
export type ChartKind = "number" | "count" | "duration";

/**
 * The smallest "round" number at or above `max` that splits into `ticks` equal round steps: 1, 2, 2.5
 * or 5 × 10ⁿ for numbers and ratios; whole numbers for counts; whole minutes, hours or days for
 * durations. With nothing above zero the axis still reads well: up to 1, to `ticks`, to `ticks` minutes.
 *
 * @example niceMax(7.3, 4) // 8
 */
export function niceMax(max: number, ticks: number, kind: ChartKind = "number"): number {
  const floor = kind === "duration" ? DURATION_STEPS[0] * ticks : kind === "count" ? ticks : 1;
  if (!(max > 0)) return floor;
  if (kind === "count" && max <= ticks) return ticks;
  const rough = max / ticks;
  if (kind === "duration") {
    const step = DURATION_STEPS.find((candidate) => candidate >= rough);
    return (step ?? Math.ceil(rough / (7 * 24 * HOUR)) * 7 * 24 * HOUR) * ticks;
  }
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= rough) ?? rough;
  return (kind === "count" ? Math.ceil(step) : step) * ticks;
}

/**
 * Indices of at most `count` labels among `length` points, an equal whole number of points apart and
 * counted back from the last (the latest period is always labelled; the first only when the step lands
 * on it), so that the labels read as a regular scale.
 *
 * @example [...labelIndices(14, 7)] // [1, 3, 5, 7, 9, 11, 13]
 */
export function labelIndices(length: number, count: number): Set<number> {
  if (count <= 0) return new Set();
  if (length <= count) return new Set(Array.from({ length }, (_, i) => i));
  // The smallest whole step that leaves at most `count` labels.
  const step = Math.floor((length - 1) / count) + 1;
  const indices = new Set<number>();
  for (let i = length - 1; i >= 0; i -= step) indices.add(i);
  return indices;
}

/** A period label's width in the drawing's units at the largest size a chart draws it ("11-28"). */
const LABEL_WIDTH = 60;

/**
 * How the period label of point `index` (of `length`, in slots `slot` wide) is anchored: centred on its
 * slot, or, for the first or last one when centring it would cross the drawing's edge (`margin` is the
 * room left and right of the plot), flush with the plot's start or end so that it is not cut off.
 *
 * @example labelAnchor(364, 365, 1.5, { left: 64, right: 12 }) // "end"
 */
export function labelAnchor(
  index: number,
  length: number,
  slot: number,
  margin: { left: number; right: number },
): "start" | "middle" | "end" {
  const half = LABEL_WIDTH / 2;
  if (index === length - 1 && slot / 2 + margin.right < half) return "end";
  if (index === 0 && slot / 2 + margin.left < half) return "start";
  return "middle";
}

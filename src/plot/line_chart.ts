/**
 * Training and return curves as a rasterised line chart (no text: the series take the colours of
 * `SERIES_COLORS` in order, and the grid marks quarters of each axis).
 *
 * @module
 */
import { checkFinite, checkOptions, checkPositiveInt, fmtValue } from "../_check.ts";
import { encodePng } from "./png.ts";

/** Options of `lineChart()`. */
export interface LineChartOptions {
  /** Curves by name, drawn in key order; point `i` sits at x = i. Non-finite points leave gaps. */
  series: Record<string, ArrayLike<number>>;
  /** Image width in pixels, >= 64 (default 640). */
  width?: number;
  /** Image height in pixels, >= 48 (default 400). */
  height?: number;
  /** Bottom of the y axis (default: the smallest finite value). */
  yMin?: number;
  /** Top of the y axis (default: the largest finite value). */
  yMax?: number;
}

/** The colours of the series in key order (matplotlib's tab10), as `[red, green, blue]`. */
export const SERIES_COLORS: readonly (readonly [number, number, number])[] = [
  [31, 119, 180],
  [255, 127, 14],
  [44, 160, 44],
  [214, 39, 40],
  [148, 103, 189],
  [140, 86, 75],
  [227, 119, 194],
  [127, 127, 127],
  [188, 189, 34],
  [23, 190, 207],
];

/** Margins of the plot area: room for the tick marks. */
const LEFT = 24, RIGHT = 12, TOP = 12, BOTTOM = 20;
const GRID = 225, AXIS = 96, TICK = 4;

/**
 * Draws each series as a 2-pixel line over a white RGB canvas with a light grid at quarters of
 * each axis and dark axes on the left and bottom.
 *
 * @param options See {@linkcode LineChartOptions}.
 * @returns The PNG file's bytes (RGB, `width x height`).
 * @throws {TypeError} On an unknown option, or `series` not an object of number arrays.
 * @throws {RangeError} When the size is too small, no series holds a finite value, or `yMin >=
 *   yMax`.
 *
 * @example
 * ```ts
 * import { lineChart } from "@dendrite/dendrite/plot";
 * import { decode } from "fast-png";
 * import assert from "node:assert/strict";
 * const png = lineChart({ series: { loss: [2.3, 1.1, 0.6, 0.4] }, width: 200, height: 120 });
 * const image = decode(png);
 * assert.deepEqual([image.width, image.height, image.channels], [200, 120, 3]);
 * ```
 */
export function lineChart(options: LineChartOptions): Uint8Array {
  const fn = "lineChart";
  const o = checkOptions(options, ["series", "width", "height", "yMin", "yMax"], fn);
  const width = checkPositiveInt(o.width ?? 640, "width", fn);
  const height = checkPositiveInt(o.height ?? 400, "height", fn);
  if (width < 64 || height < 48) {
    throw new RangeError(
      `Cannot run ${fn}(): options "width" and "height" must be at least 64 and 48: got ${width} and ${height}`,
    );
  }
  const series = o.series;
  if (typeof series !== "object" || series === null || Array.isArray(series)) {
    throw new TypeError(
      `Cannot run ${fn}(): option "series" must be an object of named number arrays: got ${
        fmtValue(series)
      }`,
    );
  }
  const curves = Object.entries(series as Record<string, unknown>).map(([name, values]) => {
    if (typeof values !== "object" || values === null || !("length" in values)) {
      throw new TypeError(
        `Cannot run ${fn}(): series "${name}" must be an array of numbers: got ${fmtValue(values)}`,
      );
    }
    return Array.from(values as ArrayLike<number>, Number);
  });
  const finite = curves.flat().filter(Number.isFinite);
  if (finite.length === 0) {
    throw new RangeError(`Cannot run ${fn}(): option "series" must hold a finite value: got none`);
  }
  let lo = o.yMin === undefined
    ? finite.reduce((a, b) => Math.min(a, b))
    : checkFinite(o.yMin, "yMin", fn);
  let hi = o.yMax === undefined
    ? finite.reduce((a, b) => Math.max(a, b))
    : checkFinite(o.yMax, "yMax", fn);
  if (o.yMin !== undefined && o.yMax !== undefined && lo >= hi) {
    throw new RangeError(
      `Cannot run ${fn}(): option "yMin" must be below "yMax": got ${lo} and ${hi}`,
    );
  }
  if (lo >= hi) [lo, hi] = o.yMin === undefined ? [hi - 1, hi] : [lo, lo + 1];

  const pixels = new Uint8Array(width * height * 3).fill(255);
  const x0 = LEFT, x1 = width - RIGHT - 1, y0 = TOP, y1 = height - BOTTOM - 1;
  const set = (x: number, y: number, rgb: readonly number[], clip: boolean) => {
    if (clip && (x < x0 || x > x1 || y < y0 || y > y1)) return;
    if (x < 0 || x >= width || y < 0 || y >= height) return;
    pixels.set(rgb, (y * width + x) * 3);
  };
  const grey = (v: number) => [v, v, v];
  for (let q = 0; q <= 4; q++) {
    const gx = Math.round(x0 + (q / 4) * (x1 - x0)), gy = Math.round(y0 + (q / 4) * (y1 - y0));
    for (let y = y0; y <= y1 + TICK; y++) set(gx, y, grey(y > y1 ? AXIS : GRID), false);
    for (let x = x0 - TICK; x <= x1; x++) set(x, gy, grey(x < x0 ? AXIS : GRID), false);
  }
  for (let y = y0; y <= y1; y++) set(x0, y, grey(AXIS), false);
  for (let x = x0; x <= x1; x++) set(x, y1, grey(AXIS), false);

  const points = Math.max(...curves.map((c) => c.length));
  const px = (i: number) =>
    Math.round(points === 1 ? (x0 + x1) / 2 : x0 + (i / (points - 1)) * (x1 - x0));
  const py = (v: number) => Math.round(y1 - ((v - lo) / (hi - lo)) * (y1 - y0));
  curves.forEach((curve, s) => {
    const rgb = SERIES_COLORS[s % SERIES_COLORS.length];
    const brush = (x: number, y: number) => {
      for (let dy = 0; dy < 2; dy++) for (let dx = 0; dx < 2; dx++) set(x + dx, y + dy, rgb, true);
    };
    curve.forEach((v, i) => {
      if (!Number.isFinite(v)) return;
      const prev = curve[i - 1];
      if (i === 0 || !Number.isFinite(prev)) brush(px(i), py(v));
      else line(px(i - 1), py(prev), px(i), py(v), brush);
    });
  });
  return encodePng(pixels, { width, height, channels: 3 });
}

/** Bresenham's line from (xa, ya) to (xb, yb), both ends included. */
function line(
  xa: number,
  ya: number,
  xb: number,
  yb: number,
  plot: (x: number, y: number) => void,
) {
  const dx = Math.abs(xb - xa), dy = -Math.abs(yb - ya);
  const sx = xa < xb ? 1 : -1, sy = ya < yb ? 1 : -1;
  let err = dx + dy;
  for (;;) {
    plot(xa, ya);
    if (xa === xb && ya === yb) return;
    const e2 = 2 * err;
    if (e2 >= dy) {
      err += dy;
      xa += sx;
    }
    if (e2 <= dx) {
      err += dx;
      ya += sy;
    }
  }
}

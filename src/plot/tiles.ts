/**
 * Images as a grid of tiles (filters, digits, reconstructions beside inputs), rendered to PNG.
 *
 * @module
 */
import { checkOneOf, checkOptions, checkPositiveInt, fmtValue } from "../_check.ts";
import { Tensor } from "../tensor.ts";
import { encodePng } from "./png.ts";

/** Images as a tensor (`[n, ...]`, read with `dataSync()`) or as flat values. */
export type ImageValues = Tensor | ArrayLike<number>;

/**
 * How values become grey levels: `"none"` maps [0, 1] to black..white (clamped), `"tile"`
 * stretches each tile's own min..max to black..white (first-layer filters), `"all"` stretches the
 * min..max of all tiles together.
 */
export type Normalize = "none" | "tile" | "all";

/** The look of every tile: shared by `tileGrid()` and `imageRows()`. */
export interface TileOptions {
  /** Tile height in pixels (before `scale`). */
  height: number;
  /** Tile width in pixels (before `scale`). */
  width: number;
  /** Values per pixel: 1 grey, 3 RGB (interleaved, `[n, height, width, 3]`); default 1. */
  channels?: 1 | 3;
  /** Black pixels between tiles and around the grid (default 1). */
  pad?: number;
  /** Integer magnification of each pixel (default 1). */
  scale?: number;
  /** See {@linkcode Normalize}; default `"none"`. */
  normalize?: Normalize;
}

/** Options of `tileGrid()`: the tile look, and the grid's shape. */
export interface TileGridOptions extends TileOptions {
  /** Rows of tiles (default: enough for `cols`). */
  rows?: number;
  /** Columns of tiles (default: `ceil(sqrt(n))`, or enough for `rows`). */
  cols?: number;
}

const TILE_KEYS = ["height", "width", "channels", "pad", "scale", "normalize"] as const;

/** The values as a Float32Array (a tensor read synchronously), with a typed error otherwise. */
export function imageValues(images: unknown, arg: string, fn: string): ArrayLike<number> {
  if (images instanceof Tensor) {
    if (images.dtype !== "float32") {
      throw new TypeError(
        `Cannot run ${fn}(): argument "${arg}" must be a float32 tensor: got ${fmtValue(images)}`,
      );
    }
    return images.dataSync();
  }
  if (
    typeof images !== "object" || images === null ||
    typeof (images as ArrayLike<number>).length !== "number"
  ) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "${arg}" must be a Tensor or an array of numbers: got ${
        fmtValue(images)
      }`,
    );
  }
  return images as ArrayLike<number>;
}

function nonNegativeInt(value: unknown, arg: string, fn: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new RangeError(
      `Cannot run ${fn}(): option "${arg}" must be an integer >= 0: got ${fmtValue(value)}`,
    );
  }
  return value;
}

/** Grey levels 0..255 of `values`, normalised per `normalize` over groups of `tileSize`. */
function toBytes(values: ArrayLike<number>, tileSize: number, normalize: Normalize, fn: string) {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new RangeError(
        `Cannot run ${fn}(): the images must hold finite values: got ${values[i]} at index ${i}`,
      );
    }
  }
  const group = normalize === "tile" ? tileSize : values.length;
  for (let start = 0; start < values.length; start += group) {
    let lo = 0, hi = 1;
    if (normalize !== "none") {
      lo = Infinity;
      hi = -Infinity;
      for (let i = start; i < start + group; i++) {
        lo = Math.min(lo, values[i]);
        hi = Math.max(hi, values[i]);
      }
    }
    const span = hi > lo ? hi - lo : 1;
    for (let i = start; i < start + group; i++) {
      out[i] = Math.round(255 * Math.min(1, Math.max(0, (values[i] - lo) / span)));
    }
  }
  return out;
}

/**
 * Renders `n` images of `height x width` as one PNG grid of tiles, row by row (the first-layer
 * filters of a network: `normalize: "tile"`; digits in [0, 1]: the default).
 *
 * @param images `[n, height * width * channels]` values (a tensor on a CPU backend, or an array;
 *   on webgpu pass `await t.data()`).
 * @param options See {@linkcode TileGridOptions}.
 * @returns The PNG file's bytes: `cols * width * scale + (cols + 1) * pad` pixels wide, and the
 *   same down.
 * @throws {TypeError} On an unknown option or a value of the wrong type.
 * @throws {RangeError} When the sizes do not divide the values, the grid is too small, or a value
 *   is not finite.
 *
 * @example
 * ```ts
 * import { tileGrid } from "@dendrite/dendrite/plot";
 * import assert from "node:assert/strict";
 * const png = tileGrid(new Float32Array(6 * 4), { height: 2, width: 2, cols: 3 });
 * assert.deepEqual([...png.subarray(1, 4)], [80, 78, 71]); // "PNG"
 * ```
 */
export function tileGrid(images: ImageValues, options: TileGridOptions): Uint8Array {
  const fn = "tileGrid";
  const o = checkOptions(options, [...TILE_KEYS, "rows", "cols"], fn);
  const values = imageValues(images, "images", fn);
  const height = checkPositiveInt(o.height, "height", fn);
  const width = checkPositiveInt(o.width, "width", fn);
  const channels = o.channels ?? 1;
  if (channels !== 1 && channels !== 3) {
    throw new RangeError(
      `Cannot run ${fn}(): option "channels" must be 1 or 3: got ${fmtValue(channels)}`,
    );
  }
  const pad = nonNegativeInt(o.pad ?? 1, "pad", fn);
  const scale = checkPositiveInt(o.scale ?? 1, "scale", fn);
  const normalize = checkOneOf(o.normalize ?? "none", ["none", "tile", "all"], "normalize", fn);
  const tileSize = height * width * channels;
  const n = values.length / tileSize;
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "images" must hold a positive multiple of height * width * channels = ${tileSize} values: got ${values.length}`,
    );
  }
  const cols = o.cols === undefined
    ? (o.rows === undefined
      ? Math.ceil(Math.sqrt(n))
      : Math.ceil(n / checkPositiveInt(o.rows, "rows", fn)))
    : checkPositiveInt(o.cols, "cols", fn);
  const rows = o.rows === undefined ? Math.ceil(n / cols) : checkPositiveInt(o.rows, "rows", fn);
  if (rows * cols < n) {
    throw new RangeError(
      `Cannot run ${fn}(): a grid of rows * cols = ${rows} * ${cols} must hold all ${n} images`,
    );
  }
  const grey = toBytes(values, tileSize, normalize, fn);
  const th = height * scale, tw = width * scale;
  const outW = cols * tw + (cols + 1) * pad, outH = rows * th + (rows + 1) * pad;
  const pixels = new Uint8Array(outW * outH * channels);
  for (let t = 0; t < n; t++) {
    const y0 = pad + Math.floor(t / cols) * (th + pad), x0 = pad + (t % cols) * (tw + pad);
    for (let y = 0; y < th; y++) {
      const src = t * tileSize + Math.floor(y / scale) * width * channels;
      const dst = ((y0 + y) * outW + x0) * channels;
      for (let x = 0; x < tw; x++) {
        for (let c = 0; c < channels; c++) {
          pixels[dst + x * channels + c] = grey[src + Math.floor(x / scale) * channels + c];
        }
      }
    }
  }
  return encodePng(pixels, { width: outW, height: outH, channels });
}

/**
 * Renders sets of images as rows of one grid: row `r` holds the images of `rows[r]` (inputs in
 * the first row, their reconstructions in the second, say).
 *
 * @param rows Each `[n, height * width * channels]` values, the same `n` for every row.
 * @param options The tile look, as in `tileGrid()`.
 * @returns The PNG file's bytes (`rows.length` rows of `n` tiles).
 * @throws {TypeError} When `rows` is not a non-empty array, or on bad options.
 * @throws {RangeError} When the rows hold different numbers of values.
 *
 * @example
 * ```ts
 * import { imageRows } from "@dendrite/dendrite/plot";
 * import { decode } from "fast-png";
 * import assert from "node:assert/strict";
 * const png = imageRows([new Float32Array(8), new Float32Array(8).fill(1)], { height: 2, width: 2 });
 * const { width, height } = decode(png);
 * assert.deepEqual([width, height], [7, 7]);
 * ```
 */
export function imageRows(rows: readonly ImageValues[], options: TileOptions): Uint8Array {
  const fn = "imageRows";
  checkOptions(options, TILE_KEYS, fn);
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "rows" must be a non-empty array of image sets: got ${
        fmtValue(rows)
      }`,
    );
  }
  const sets = rows.map((r, i) => imageValues(r, `rows[${i}]`, fn));
  const length = sets[0].length;
  const bad = sets.findIndex((s) => s.length !== length);
  if (bad >= 0) {
    throw new RangeError(
      `Cannot run ${fn}(): every row must hold as many values as rows[0] (${length}): rows[${bad}] holds ${
        sets[bad].length
      }`,
    );
  }
  const all = new Float32Array(length * sets.length);
  sets.forEach((s, i) => all.set(s, i * length));
  const tileSize = checkPositiveInt(options.height, "height", fn) *
    checkPositiveInt(options.width, "width", fn) * (options.channels === 3 ? 3 : 1);
  const cols = length / tileSize;
  if (!Number.isInteger(cols) || cols < 1) {
    throw new RangeError(
      `Cannot run ${fn}(): each row must hold a positive multiple of height * width * channels = ${tileSize} values: got ${length}`,
    );
  }
  return tileGrid(all, { ...options, rows: sets.length, cols });
}

/**
 * Pictures as PNG bytes, behind the subpath export `@dendrite/dendrite/plot` so that the core
 * module graph (`mod.ts`) holds no npm package: the encoder is the npm package `fast-png`.
 * Tile grids of images (digits, first-layer filters), rows of images side by side (inputs beside
 * reconstructions), and line charts (training curves). Write the bytes with `Deno.writeFile`.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import { tileGrid } from "@dendrite/dendrite/plot";
 * import { decode } from "fast-png";
 * import assert from "node:assert/strict";
 * const filters = dn.randomNormal([16, 25], { seed: 1 }); // 16 filters of 5x5
 * const png = tileGrid(filters, { height: 5, width: 5, normalize: "tile", scale: 2 });
 * const image = decode(png); // 4 x 4 tiles of 10 x 10 pixels, 1-pixel gaps
 * assert.deepEqual([image.width, image.height], [45, 45]);
 * filters.dispose();
 * ```
 *
 * @module
 */
export { encodePng } from "./src/plot/png.ts";
export type { EncodePngOptions } from "./src/plot/png.ts";
export { imageRows, tileGrid } from "./src/plot/tiles.ts";
export type { ImageValues, Normalize, TileGridOptions, TileOptions } from "./src/plot/tiles.ts";
export { lineChart, SERIES_COLORS } from "./src/plot/line_chart.ts";
export type { LineChartOptions } from "./src/plot/line_chart.ts";

/**
 * The PNG pictures of `plot.ts`: each decodes (with the same npm library) to the stated size, and
 * its pixels are the values placed there: tiles with their normalisation and scale, rows of
 * images, line charts' axes and curves; bad input throws typed errors.
 */
import { decode } from "fast-png";
import * as dn from "../../mod.ts";
import { encodePng, imageRows, lineChart, SERIES_COLORS, tileGrid } from "../../plot.ts";
import { assertEquals, assertThrows } from "../_util/assert.ts";

function pixel(png: Uint8Array, x: number, y: number): number[] {
  const image = decode(png);
  const c = image.channels;
  return [...image.data.subarray((y * image.width + x) * c, (y * image.width + x + 1) * c)];
}

Deno.test("encodePng() round-trips RGB pixels through fast-png's decoder", () => {
  const pixels = Uint8Array.from({ length: 5 * 3 * 3 }, (_, i) => (i * 37) % 256);
  const image = decode(encodePng(pixels, { width: 5, height: 3, channels: 3 }));
  assertEquals([image.width, image.height, image.channels, image.depth], [5, 3, 3, 8]);
  assertEquals([...image.data], [...pixels]);
});

Deno.test("tileGrid() places each tile after the padding, clamped to [0, 1] by default", () => {
  // 3 tiles of 2x2, in a grid of 2 columns: 2 rows; pad 1 => width 2*2+3 = 7, height 7.
  const values = Float32Array.from([0, 0.5, 1, 2, -1, 0.25, 0.75, 1, 1, 1, 1, 1]);
  const png = tileGrid(values, { height: 2, width: 2, cols: 2 });
  const image = decode(png);
  assertEquals([image.width, image.height, image.channels], [7, 7, 1]);
  const at = (x: number, y: number) => image.data[y * 7 + x];
  assertEquals([at(1, 1), at(2, 1), at(1, 2), at(2, 2)], [0, 128, 255, 255]);
  assertEquals([at(4, 1), at(5, 1), at(4, 2), at(5, 2)], [0, 64, 191, 255]);
  assertEquals([at(1, 4), at(2, 5)], [255, 255]);
  assertEquals([at(0, 0), at(3, 1), at(4, 4), at(6, 6)], [0, 0, 0, 0]); // padding and empty tile
});

Deno.test("tileGrid() with normalize 'tile' stretches each tile's min..max, and scales pixels", () => {
  using filters = dn.tensor([[-2, 0, 2, 4], [10, 10, 10, 11]]);
  const png = tileGrid(filters, { height: 2, width: 2, normalize: "tile", scale: 3, pad: 2 });
  const image = decode(png); // 2 columns of 6x6 tiles: 2*6 + 3*2 = 18 wide, 6 + 2*2 = 10 high
  assertEquals([image.width, image.height], [18, 10]);
  const at = (x: number, y: number) => image.data[y * 18 + x];
  assertEquals([at(2, 2), at(4, 4), at(5, 2), at(2, 5), at(7, 7)], [0, 0, 85, 170, 255]);
  assertEquals([at(10, 2), at(15, 7)], [0, 255]);
  const all = decode(tileGrid(filters, { height: 2, width: 2, normalize: "all", pad: 0 }));
  // First pixel row: tile 0's [-2, 0] then tile 1's [10, 10], as (v + 2) / 13 * 255.
  assertEquals([...all.data.subarray(0, 4)], [0, 39, 235, 235]);
});

Deno.test("tileGrid() draws RGB tiles with channels 3", () => {
  const png = tileGrid([1, 0, 0, 0, 0, 1], { height: 1, width: 2, channels: 3, pad: 0 });
  assertEquals(pixel(png, 0, 0), [255, 0, 0]);
  assertEquals(pixel(png, 1, 0), [0, 0, 255]);
});

Deno.test("imageRows() puts each set of images on its own row", () => {
  const inputs = new Float32Array(3 * 4).fill(1);
  const outputs = new Float32Array(3 * 4).fill(0.5);
  const png = imageRows([inputs, outputs], { height: 2, width: 2 });
  const image = decode(png);
  assertEquals([image.width, image.height], [10, 7]);
  assertEquals([pixel(png, 1, 1)[0], pixel(png, 8, 2)[0], pixel(png, 1, 4)[0]], [255, 255, 128]);
});

Deno.test("lineChart() draws axes and a flat curve at the height of its value", () => {
  const png = lineChart({ series: { a: [0, 0, 0], b: [1, 1, 1] }, width: 100, height: 60 });
  const image = decode(png);
  assertEquals([image.width, image.height, image.channels], [100, 60, 3]);
  // Plot area x in [24, 87], y in [12, 39]: b (max) on the top row, a (min) on the bottom axis.
  assertEquals(pixel(png, 50, 12), [...SERIES_COLORS[1]]);
  assertEquals(pixel(png, 50, 39), [...SERIES_COLORS[0]]);
  assertEquals(pixel(png, 24, 25), [96, 96, 96]); // the y axis
  assertEquals(pixel(png, 50, 50), [255, 255, 255]);
  const gap = lineChart({ series: { a: [0, NaN, 1] }, width: 100, height: 60, yMin: 0, yMax: 2 });
  const column = Array.from({ length: 28 }, (_, y) => pixel(gap, 60, 12 + y).join());
  assertEquals(column.includes(SERIES_COLORS[0].join()), false); // no line over the missing point
  assertEquals(pixel(gap, 87, 26), [...SERIES_COLORS[0]]);
});

Deno.test("plot functions throw typed errors on bad input", () => {
  assertThrows(
    () => tileGrid(new Float32Array(5), { height: 2, width: 2 }),
    RangeError,
    "multiple",
  );
  assertThrows(() => tileGrid([0, NaN, 0, 0], { height: 2, width: 2 }), RangeError, "finite");
  assertThrows(() => tileGrid("x" as never, { height: 2, width: 2 }), TypeError, "images");
  assertThrows(
    () => tileGrid(new Float32Array(12), { height: 2, width: 2, rows: 1, cols: 2 }),
    RangeError,
    "hold all 3 images",
  );
  assertThrows(
    () => tileGrid(new Float32Array(4), { height: 2, width: 2, normalise: "tile" } as never),
    TypeError,
    '"normalise" is not known',
  );
  assertThrows(
    () => tileGrid(new Float32Array(4), { height: 2, width: 2, normalize: "max" as never }),
    TypeError,
    "normalize",
  );
  assertThrows(
    () => imageRows([[0, 0, 0, 0], [0]], { height: 2, width: 2 }),
    RangeError,
    "rows[1]",
  );
  assertThrows(() => lineChart({ series: { a: [NaN] } }), RangeError, "finite");
  assertThrows(() => lineChart({ series: { a: [1] }, width: 10 }), RangeError, "at least 64");
  assertThrows(() => lineChart({ series: { a: [1] }, yMin: 2, yMax: 1 }), RangeError, "yMin");
  assertThrows(() => encodePng(new Uint8Array(3), { width: 2, height: 2 }), RangeError, "4 bytes");
});

/**
 * The PNG writers of examples/denoising_autoencoder.ts: the filter grid and the rows of digits
 * decode (with the encoder's own npm package) to the sizes the README shows, and their pixels are
 * the kernel's columns (min-max stretched per tile) and the digits.
 */
import { decode } from "fast-png";
import { digitRowsPng, filtersPng } from "../../examples/denoising_autoencoder.ts";
import { assertEquals } from "../_util/assert.ts";

Deno.test("filtersPng() draws 100 kernel columns as 28x28 tiles, 10 per row, 2-pixel gaps", () => {
  const units = 120;
  const kernel = new Float32Array(784 * units);
  for (let i = 0; i < 784; i++) {
    for (let j = 0; j < units; j++) kernel[i * units + j] = j === 0 ? i : -j;
  }
  kernel[5 * units + 1] = 10; // filter 1: one bright pixel at (0, 5) on a flat background
  const image = decode(filtersPng(kernel, units));
  assertEquals([image.width, image.height, image.channels], [302, 302, 1]);
  const at = (x: number, y: number) => image.data[y * 302 + x];
  assertEquals([at(2, 2), at(29, 29)], [0, 255]); // filter 0: a ramp from 0 to 783
  assertEquals([at(32 + 5, 2), at(32 + 6, 2)], [255, 0]); // filter 1, column 5 of row 0
  assertEquals([at(0, 0), at(30, 10), at(301, 301)], [0, 0, 0]);
});

Deno.test("digitRowsPng() puts each set of digits on a row, magnified twice", () => {
  const digits = new Float32Array(12 * 784).fill(1);
  const image = decode(digitRowsPng([digits, new Float32Array(12 * 784)]));
  assertEquals([image.width, image.height], [12 * 56 + 13 * 2, 2 * 56 + 3 * 2]);
  assertEquals([image.data[2 * image.width + 2], image.data[60 * image.width + 2]], [255, 0]);
});

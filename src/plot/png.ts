/**
 * PNG encoding through the npm package `fast-png` (pure JS, deflate by `fflate`), with the
 * boundary checks in the house style. Reached only through the subpath export `./plot`.
 *
 * @module
 */
import { encode } from "fast-png";
import { checkOptions, checkPositiveInt, fmtValue } from "../_check.ts";

/** Options of `encodePng()`. */
export interface EncodePngOptions {
  /** Image width in pixels. */
  width: number;
  /** Image height in pixels. */
  height: number;
  /** Samples per pixel: 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA (default 1). */
  channels?: 1 | 2 | 3 | 4;
}

/**
 * Encodes 8-bit pixels, row-major and interleaved (`[height, width, channels]`), as PNG bytes.
 *
 * @param pixels `height * width * channels` bytes.
 * @param options `width`, `height`, `channels` (default 1).
 * @returns The PNG file's bytes.
 * @throws {TypeError} When `pixels` is not a Uint8Array or an option is unknown.
 * @throws {RangeError} When the sizes are not positive integers or do not match `pixels`.
 */
export function encodePng(pixels: Uint8Array, options: EncodePngOptions): Uint8Array {
  const fn = "encodePng";
  const o = checkOptions(options, ["width", "height", "channels"], fn);
  if (!(pixels instanceof Uint8Array)) {
    throw new TypeError(
      `Cannot run ${fn}(): argument "pixels" must be a Uint8Array: got ${fmtValue(pixels)}`,
    );
  }
  const width = checkPositiveInt(o.width, "width", fn);
  const height = checkPositiveInt(o.height, "height", fn);
  const channels = o.channels ?? 1;
  if (channels !== 1 && channels !== 2 && channels !== 3 && channels !== 4) {
    throw new RangeError(
      `Cannot run ${fn}(): option "channels" must be 1, 2, 3 or 4: got ${fmtValue(channels)}`,
    );
  }
  if (pixels.length !== width * height * channels) {
    throw new RangeError(
      `Cannot run ${fn}(): argument "pixels" must hold width * height * channels = ${width} * ${height} * ${channels} = ${
        width * height * channels
      } bytes: got ${pixels.length}`,
    );
  }
  return encode({ width, height, data: pixels, channels, depth: 8 });
}

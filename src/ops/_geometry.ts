/**
 * Window geometry shared by convolution and pooling (TensorFlow's rules): validation of the
 * padding name (STYLE C14), and the output size and leading padding along one axis.
 *
 * @module
 */
import { checkOneOf } from "../_check.ts";

/** `"valid"` (windows inside the input) or `"same"` (output = ⌈input / stride⌉). */
export type Padding = "valid" | "same";

const PADDINGS: readonly Padding[] = ["valid", "same"];

/** Throws unless `padding` is `"valid"` or `"same"`. */
export function checkPadding(padding: unknown, fn: string): Padding {
  return checkOneOf(padding, PADDINGS, "padding", fn);
}

/**
 * Output size and leading padding along one axis: with the effective window `e = (w - 1)·d + 1`,
 * `"valid"` gives `⌈(size - e + 1) / stride⌉` (-1 when the window does not fit) and no padding;
 * `"same"` gives `⌈size / stride⌉` and pads `max((out - 1)·stride + e - size, 0)`, the smaller
 * half before.
 */
export function windowAxis(
  size: number,
  window: number,
  stride: number,
  dilation: number,
  padding: Padding,
): { out: number; before: number } {
  const effective = (window - 1) * dilation + 1;
  if (padding === "valid") {
    return { out: size < effective ? -1 : Math.ceil((size - effective + 1) / stride), before: 0 };
  }
  const out = Math.ceil(size / stride);
  return { out, before: Math.floor(Math.max((out - 1) * stride + effective - size, 0) / 2) };
}

/**
 * Dtype conversion, mirroring assembly/cast.ts: storage seen as `array<u32>` words; float32 and
 * int32 take one word per element, bool one byte (four elements to a word). A program writing
 * bool computes one whole output word per invocation (no two invocations share a word); one
 * reading bool extracts its byte. float32 to int32 truncates toward zero and saturates, NaN to 0
 * (decided on the bits: WGSL may assume floats are finite); anything to bool is `x != 0` (NaN to
 * 1, again on the bits).
 *
 * @module
 */
import type { DType } from "../../backend.ts";
import { linearDispatch, linearWorkgroup, type WgslProgram } from "../program.ts";

/** Conversion between two different dtypes over `n` elements. */
export interface CastParams {
  from: DType;
  to: DType;
  n: number;
}

/** WGSL: whether element `e` of `x` (of dtype `from`) is non-zero, decided on its bits. */
function nonzero(from: DType): string {
  if (from === "float32") return "(x[e] & 0x7fffffffu) != 0u";
  if (from === "int32") return "x[e] != 0u";
  return "((x[e >> 2u] >> ((e & 3u) * 8u)) & 0xffu) != 0u";
}

/** WGSL: element `gi` of `x` (float32 or int32 bits) converted to the other numeric dtype. */
function numeric(from: DType): string {
  if (from === "int32") return "bitcast<u32>(f32(bitcast<i32>(x[gi])))";
  // float32 -> int32: NaN (exponent all ones, mantissa non-zero) to 0, saturating at the range.
  return `select(bitcast<u32>(i32(clamp(bitcast<f32>(x[gi]), -2147483648.0, 2147483520.0))),
    select(0x7fffffffu, 0x80000000u, (x[gi] >> 31u) == 1u),
    (x[gi] & 0x7f800000u) == 0x7f800000u || abs(bitcast<f32>(x[gi])) >= 2147483648.0)`;
}

/** `y = cast(x)`. */
export const castProgram: WgslProgram<CastParams> = {
  key: ({ from, to }) => `cast_${from}_${to}`,
  bindings: [
    { name: "x", access: "read", type: "array<u32>" },
    { name: "y", access: "read_write", type: "array<u32>" },
  ],
  uniforms: { n: "u32" },
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) =>
    linearDispatch(p.to === "bool" ? Math.ceil(p.n / 4) : p.n, wg, limits),
  body: ({ from, to }) => {
    if (to === "bool") {
      return `  if (gi * 4u >= u.n) { return; }
  var word = 0u;
  for (var j = 0u; j < 4u; j++) {
    let e = gi * 4u + j;
    if (e < u.n && ${nonzero(from)}) { word |= 1u << (j * 8u); }
  }
  y[gi] = word;`;
    }
    if (from === "bool") {
      const one = to === "float32" ? "0x3f800000u" : "1u";
      return `  if (gi >= u.n) { return; }
  let e = gi;
  y[gi] = select(0u, ${one}, ${nonzero("bool")});`;
    }
    // A NaN float32 gives 0, not the saturated value: the bits decide before the select above.
    const body = from === "float32"
      ? `select(${numeric(from)}, 0u, (x[gi] & 0x7fffffffu) > 0x7f800000u)`
      : numeric(from);
    return `  if (gi >= u.n) { return; }\n  y[gi] = ${body};`;
  },
};

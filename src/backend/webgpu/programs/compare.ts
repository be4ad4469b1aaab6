/**
 * Comparisons, logic and select, mirroring assembly/compare.ts. Storage is seen as `array<u32>`
 * words: float32 and int32 take one word per element, bool one byte (four elements to a word). A
 * program writing bool computes one whole output word (four elements) per invocation, so no two
 * invocations share a word; one reading bool extracts its byte. Each element finds its operands
 * through the 4-D broadcast plan (`d1 d2 d3` and element strides, 0 broadcasting).
 *
 * NaN: WGSL lets implementations assume finite floats, so NaN is decided on the bits (exponent all
 * ones, mantissa non-zero) before comparing: NaN is unequal to everything and neither greater nor
 * less, as on the CPU backends.
 *
 * @module
 */
import type { CompareOp, DType } from "../../backend.ts";
import { linearDispatch, linearWorkgroup, type WgslProgram } from "../program.ts";

const PLAN = {
  n: "u32",
  d1: "u32",
  d2: "u32",
  d3: "u32",
  a0: "u32",
  a1: "u32",
  a2: "u32",
  a3: "u32",
  b0: "u32",
  b1: "u32",
  b2: "u32",
  b3: "u32",
} as const;

/** WGSL: element `e` of the u32 words `w` (bool bytes when `dtype` is bool). */
function element(w: string, e: string, dtype: DType): string {
  return dtype === "bool" ? `((${w}[${e} >> 2u] >> ((${e} & 3u) * 8u)) & 0xffu)` : `${w}[${e}]`;
}

/** WGSL: `p op q` as a bool, `p`/`q` the raw u32 words (or bool bytes) of the operands. */
function compareExpr(op: CompareOp, dtype: DType): string {
  if (op === "logicalAnd") return "(p & q) != 0u";
  if (op === "logicalOr") return "(p | q) != 0u";
  if (op === "logicalXor") return "(p ^ q) != 0u";
  const sym = {
    equal: "==",
    notEqual: "!=",
    greater: ">",
    greaterEqual: ">=",
    less: "<",
    lessEqual: "<=",
  }[op];
  if (dtype === "bool") return `p ${sym} q`;
  if (dtype === "int32") return `bitcast<i32>(p) ${sym} bitcast<i32>(q)`;
  const ordered = "!(is_nan(p) || is_nan(q))";
  const cmp = `bitcast<f32>(p) ${op === "notEqual" ? "==" : sym} bitcast<f32>(q)`;
  return op === "notEqual" ? `!(${ordered} && ${cmp})` : `${ordered} && ${cmp}`;
}

/** WGSL: the flat indices `ia`, `ib` (and `ic` with condition strides) of output element `e`. */
function indices(e: string, cond: boolean): string {
  return `let i3 = ${e} % u.d3;
    var r = ${e} / u.d3;
    let i2 = r % u.d2;
    r = r / u.d2;
    let i1 = r % u.d1;
    let i0 = r / u.d1;
    let ia = i0 * u.a0 + i1 * u.a1 + i2 * u.a2 + i3 * u.a3;
    let ib = i0 * u.b0 + i1 * u.b1 + i2 * u.b2 + i3 * u.b3;${
    cond ? "\n    let ic = i0 * u.c0 + i1 * u.c1 + i2 * u.c2 + i3 * u.c3;" : ""
  }`;
}

/** `y = a op b` as bool over operands of `dtype`: four output elements per invocation. */
export const vcompareBcast: WgslProgram<{ op: CompareOp; dtype: DType; n: number }> = {
  key: ({ op, dtype }) => `${dtype}_v${op}_bcast`,
  bindings: [
    { name: "a", access: "read", type: "array<u32>" },
    { name: "b", access: "read", type: "array<u32>" },
    { name: "y", access: "read_write", type: "array<u32>" },
  ],
  uniforms: PLAN,
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) => linearDispatch(Math.ceil(p.n / 4), wg, limits),
  helpers: () => "fn is_nan(v: u32) -> bool { return (v & 0x7fffffffu) > 0x7f800000u; }",
  body: ({ op, dtype }) => /* wgsl */ `
  if (gi * 4u >= u.n) { return; }
  var word = 0u;
  for (var j = 0u; j < 4u; j++) {
    let e = gi * 4u + j;
    if (e >= u.n) { break; }
    ${indices("e", false)}
    let p = ${element("a", "ia", dtype)};
    let q = ${element("b", "ib", dtype)};
    if (${compareExpr(op, dtype)}) { word |= 1u << (j * 8u); }
  }
  y[gi] = word;`,
};

/**
 * `y = cond ? a : b` with `cond` bool and `a`, `b`, `y` of `dtype`: one element per invocation
 * (4-byte dtypes, moved as bits) or one word of four bool elements.
 */
export const vselectBcast: WgslProgram<{ dtype: DType; n: number }> = {
  key: ({ dtype }) => (dtype === "bool" ? "x8_vselect_bcast" : "x32_vselect_bcast"),
  bindings: [
    { name: "c", access: "read", type: "array<u32>" },
    { name: "a", access: "read", type: "array<u32>" },
    { name: "b", access: "read", type: "array<u32>" },
    { name: "y", access: "read_write", type: "array<u32>" },
  ],
  uniforms: { ...PLAN, c0: "u32", c1: "u32", c2: "u32", c3: "u32" },
  workgroupSize: linearWorkgroup,
  dispatch: (p, wg, limits) =>
    linearDispatch(p.dtype === "bool" ? Math.ceil(p.n / 4) : p.n, wg, limits),
  body: ({ dtype }) => {
    if (dtype !== "bool") {
      return /* wgsl */ `
  if (gi >= u.n) { return; }
  ${indices("gi", true)}
  y[gi] = select(b[ib], a[ia], ${element("c", "ic", "bool")} != 0u);`;
    }
    return /* wgsl */ `
  if (gi * 4u >= u.n) { return; }
  var word = 0u;
  for (var j = 0u; j < 4u; j++) {
    let e = gi * 4u + j;
    if (e >= u.n) { break; }
    ${indices("e", true)}
    let v = select(${element("b", "ib", "bool")}, ${element("a", "ia", "bool")}, ${
      element("c", "ic", "bool")
    } != 0u);
    word |= v << (j * 8u);
  }
  y[gi] = word;`;
  },
};

/**
 * Raw-kernel tests of assembly/compare.ts against tests/_reference/compare.ts, on the release
 * (plain, shared, portable) and debug builds (STYLE C8-C10): every compare op code over f32, i32
 * and bool operands, and select over 4-byte and 1-byte elements, for broadcasts (row, column,
 * scalar on either side, both sides, middle, transposed) with row lengths around the 16-element
 * step (1, 3, 15, 16, 17, 33, 129). Results are exact (a comparison and a choice round nothing);
 * a run split into row ranges must give the bytes of a single call; guards fence every buffer.
 */
import { assertEquals } from "../_util/assert.ts";
import { ODD_CUTS, pieces, type Range } from "../_util/kernel_checks.ts";
import { type KernelHarness, kernelHarnesses } from "../_util/kernels.ts";
import { randomF32, rng } from "../_util/rng.ts";
import { COMPARE, type CompareName, walk4 } from "../_reference/compare.ts";
import { COMPARE_CODE } from "../../src/backend/elementwise_codes.ts";

const harnesses = await kernelHarnesses();

type Kind = "f32" | "i32" | "u8";

/** A broadcast case: output dims and the element strides of each operand (0 broadcasts). */
interface Case {
  what: string;
  dims: number[];
  strides: number[][];
}

/** Two-operand broadcasts of an m x n output. */
function pairCases(m: number, n: number): Case[] {
  const full = [0, 0, n, 1], row = [0, 0, 0, 1], col = [0, 0, 1, 0], one = [0, 0, 0, 0];
  const d = [1, 1, m, n];
  return [
    { what: `[${m},${n}] op [${m},${n}]`, dims: d, strides: [full, full] },
    { what: `[${m},${n}] op row`, dims: d, strides: [full, row] },
    { what: `[${m},${n}] op column`, dims: d, strides: [full, col] },
    { what: `[${m},${n}] op scalar`, dims: d, strides: [full, one] },
    { what: `scalar op [${m},${n}]`, dims: d, strides: [one, full] },
    { what: `column op row`, dims: d, strides: [col, row] },
    { what: `[${n},${m}]^T op [${m},${n}]`, dims: d, strides: [[0, 0, 1, m], full] },
    {
      what: `[2,3,${m},${n}] op [2,1,${m},${n}]`,
      dims: [2, 3, m, n],
      strides: [[3 * m * n, m * n, n, 1], [m * n, 0, n, 1]],
    },
  ];
}

const SHAPES = [[1, 1], [2, 3], [3, 15], [2, 16], [4, 17], [3, 33], [2, 129]];

/** Elements needed to read every offset of a stride pattern. */
const extent = (dims: number[], s: number[]) =>
  1 + dims.reduce((acc, d, k) => acc + (d - 1) * s[k], 0);

const F32_SPECIAL = [NaN, 0, -0, Infinity, -Infinity, 1, -1, 0.5];

/** Seeded operand values of `kind`, with many ties (and, for f32, NaN, ±0, ±Infinity). */
function values(kind: Kind, n: number, seed: number): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const v = r();
    if (kind === "u8") return v > 0 ? 1 : 0;
    if (kind === "i32") return i % 7 === 0 ? (v > 0 ? 2147483647 : -2147483648) : Math.round(v * 3);
    return i % 5 === 0
      ? F32_SPECIAL[(i / 5) % F32_SPECIAL.length]
      : Math.fround(Math.round(v * 3) / 2);
  });
}

/** Writes `vals` as `kind` elements into fresh guarded memory; returns the byte pointer. */
function put(h: KernelHarness, kind: Kind, vals: number[]): number {
  const p = h.f32(kind === "u8" ? Math.ceil(vals.length / 4) : vals.length);
  const buf = h.memory.buffer;
  if (kind === "u8") new Uint8Array(buf, p, vals.length).set(vals);
  else if (kind === "i32") new Int32Array(buf, p, vals.length).set(vals);
  else new Float32Array(buf, p, vals.length).set(vals);
  return p;
}

/** Runs `call(y, begin, end)` whole and split over `rows` into fresh outputs; returns the bytes. */
function run(
  h: KernelHarness,
  bytes: number,
  rows: number,
  call: (y: number, b: number, e: number) => void,
): number[] {
  const once = (ranges: Range[]) => {
    const y = h.f32(Math.ceil(bytes / 4), new Float32Array(Math.ceil(bytes / 4)).fill(NaN));
    for (const [b, e] of ranges) {
      call(y, b, e);
      h.checkGuards();
    }
    return Array.from(new Uint8Array(h.memory.buffer, y, bytes));
  };
  const whole = once([[0, rows]]);
  assertEquals(
    once(pieces(rows, ...ODD_CUTS)),
    whole,
    `split ranges give other bytes on ${h.name}`,
  );
  return whole;
}

const OPS_OF: Record<Kind, CompareName[]> = {
  f32: ["equal", "notEqual", "greater", "greaterEqual", "less", "lessEqual"],
  i32: ["equal", "notEqual", "greater", "greaterEqual", "less", "lessEqual"],
  u8: Object.keys(COMPARE) as CompareName[],
};

for (const kind of ["f32", "i32", "u8"] as Kind[]) {
  for (const op of OPS_OF[kind]) {
    Deno.test(`${kind}_vcompare_bcast() ${op} matches the reference for every broadcast`, () => {
      for (const [m, n] of SHAPES) {
        for (const c of pairCases(m, n)) {
          const a = values(kind, extent(c.dims, c.strides[0]), m * 31 + n);
          const b = values(kind, extent(c.dims, c.strides[1]), m * 37 + n + 1);
          const expected = Array.from(
            walk4(c.dims, c.strides, (ia, ib) => COMPARE[op](a[ia], b[ib])),
          );
          const rows = c.dims[0] * c.dims[1] * c.dims[2];
          for (const h of harnesses) {
            const pa = put(h, kind, a), pb = put(h, kind, b);
            const got = run(h, expected.length, rows, (y, lo, hi) => {
              h.k[`${kind}_vcompare_bcast`](
                COMPARE_CODE[op],
                pa,
                pb,
                y,
                ...c.dims,
                ...c.strides[0],
                ...c.strides[1],
                lo,
                hi,
              );
            });
            assertEquals(got, expected, `${kind} ${op} [${h.name}] ${c.what}`);
            h.reset();
          }
        }
      }
    });
  }
}

/** Three-operand broadcasts of an m x n output: condition, a, b. */
function selectCases(m: number, n: number): Case[] {
  const full = [0, 0, n, 1], row = [0, 0, 0, 1], col = [0, 0, 1, 0], one = [0, 0, 0, 0];
  const d = [1, 1, m, n];
  return [
    { what: "all [m,n]", dims: d, strides: [full, full, full] },
    { what: "condition row", dims: d, strides: [row, full, full] },
    { what: "condition scalar", dims: d, strides: [one, full, full] },
    { what: "b scalar", dims: d, strides: [full, full, one] },
    { what: "a scalar, b column", dims: d, strides: [full, one, col] },
    { what: "condition column, a row, b [m,n]", dims: d, strides: [col, row, full] },
    { what: "transposed a", dims: d, strides: [full, [0, 0, 1, m], full] },
    {
      what: "[2,3,m,n] with condition [2,1,m,n]",
      dims: [2, 3, m, n],
      strides: [[m * n, 0, n, 1], [3 * m * n, m * n, n, 1], [0, 0, n, 1]],
    },
  ];
}

for (const [kernel, kind] of [["x32_vselect_bcast", "f32"], ["x8_vselect_bcast", "u8"]] as const) {
  Deno.test(`${kernel}() picks a where the condition holds, else b, for every broadcast`, () => {
    for (const [m, n] of SHAPES) {
      for (const c of selectCases(m, n)) {
        const cond = values("u8", extent(c.dims, c.strides[0]), m + 7 * n);
        const a = kind === "u8"
          ? values("u8", extent(c.dims, c.strides[1]), m * 3 + n)
          : Array.from(randomF32(extent(c.dims, c.strides[1]), m * 3 + n));
        const b = kind === "u8"
          ? values("u8", extent(c.dims, c.strides[2]), m * 5 + n)
          : Array.from(randomF32(extent(c.dims, c.strides[2]), m * 5 + n)).map((v, i) =>
            i % 3 ? v : NaN
          );
        const width = kind === "u8" ? 1 : 4;
        const rows = c.dims[0] * c.dims[1] * c.dims[2];
        for (const h of harnesses) {
          const pc = put(h, "u8", cond), pa = put(h, kind, a), pb = put(h, kind, b);
          const ref = walk4(c.dims, c.strides, (ic, ia, ib) => (cond[ic] ? ia : -1 - ib));
          const src = (o: number) => (o >= 0 ? pa + o * width : pb + (-1 - o) * width);
          const expected = Array.from(ref).flatMap((o) =>
            Array.from(new Uint8Array(h.memory.buffer, src(o), width))
          );
          const got = run(h, expected.length, rows, (y, lo, hi) => {
            h.k[kernel](
              pc,
              pa,
              pb,
              y,
              ...c.dims,
              ...c.strides[0],
              ...c.strides[1],
              ...c.strides[2],
              lo,
              hi,
            );
          });
          assertEquals(got, expected, `${kernel} [${h.name}] ${c.what} ${m}x${n}`);
          h.reset();
        }
      }
    }
  });
}

Deno.test("f32_vcompare_bcast() debug build rejects an unknown op code", () => {
  const h = harnesses.find((x) => x.name === "debug")!;
  const p = h.f32(4);
  let message = "";
  try {
    h.k.f32_vcompare_bcast(6, p, p, p, 1, 1, 1, 4, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1);
  } catch (e) {
    message = (e as Error).message;
  }
  assertEquals(message.includes("Kernel precondition failed"), true, message);
  h.reset();
});

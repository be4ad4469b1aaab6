/**
 * The strided copy (assembly/strided.ts and the backends' `stridedCopy`) against its definition,
 * `y[yOffset + Σ i·yStrides] = x[xOffset + Σ i·xStrides]`, on random bit patterns (NaN payloads
 * included), for 4-byte and 1-byte elements: every inner-loop path (long and short contiguous
 * runs, broadcast, reverse, gathers of transposes), blocks written into a larger y (concat, pad;
 * bool neighbours sharing a word), six dimensions. Raw kernels: release and debug builds, guard
 * regions around every buffer, and element-range splits (cutting rows) that must give the bytes of
 * one call.
 * Backends (wasm, webgpu when an adapter exists): y's bytes outside the copy must not change.
 */
import { assertEquals } from "../_util/assert.ts";
import { kernelHarnesses } from "../_util/kernels.ts";
import { rng } from "../_util/rng.ts";
import { testBackends } from "../_util/backends.ts";
import type { StridedCopyPlan } from "../../src/backend/backend.ts";

interface Case {
  label: string;
  dims: number[];
  xStrides: number[];
  yStrides: number[];
  xOffset: number;
  yOffset: number;
  /** Elements of x and of y. */
  xSize: number;
  ySize: number;
}

const rowMajor = (shape: number[]) =>
  shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));

/** A block of shape `dims` at `begin` of a row-major `outer` array (concat, pad). */
function block(label: string, dims: number[], outer: number[], begin: number[]): Case {
  const ys = rowMajor(outer);
  return {
    label,
    dims,
    xStrides: rowMajor(dims),
    yStrides: ys,
    xOffset: 0,
    yOffset: begin.reduce((a, b, d) => a + b * ys[d], 0),
    xSize: dims.reduce((a, b) => a * b, 1),
    ySize: outer.reduce((a, b) => a * b, 1),
  };
}

/** `x` of shape `xShape` permuted by `perm` into a contiguous y. */
function permuted(label: string, xShape: number[], perm: number[]): Case {
  const xs = rowMajor(xShape), dims = perm.map((p) => xShape[p]);
  const size = xShape.reduce((a, b) => a * b, 1);
  return {
    label,
    dims,
    xStrides: perm.map((p) => xs[p]),
    yStrides: rowMajor(dims),
    xOffset: 0,
    yOffset: 0,
    xSize: size,
    ySize: size,
  };
}

const CASES: Case[] = [
  block("one long run", [1000], [1000], [0]),
  block("long rows (memory.copy)", [3, 100], [3, 100], [0, 0]),
  block("short rows (v128, tail)", [17, 3], [17, 3], [0, 0]),
  block("concat block, first", [4, 3], [4, 7], [0, 0]),
  block("concat block, second", [4, 4], [4, 7], [0, 3]),
  block("concat of 1-wide columns", [33, 1], [33, 3], [0, 1]),
  block("pad interior", [5, 17, 3], [7, 19, 5], [1, 1, 1]),
  {
    label: "slice of [5, 7, 9]",
    dims: [2, 3, 4],
    xStrides: [63, 9, 1],
    yStrides: [12, 4, 1],
    xOffset: 63 + 2 * 9 + 3,
    yOffset: 0,
    xSize: 315,
    ySize: 24,
  },
  {
    label: "broadcast along rows",
    dims: [4, 33],
    xStrides: [1, 0],
    yStrides: [33, 1],
    xOffset: 0,
    yOffset: 0,
    xSize: 4,
    ySize: 132,
  },
  {
    label: "broadcast along columns",
    dims: [5, 17],
    xStrides: [0, 1],
    yStrides: [17, 1],
    xOffset: 0,
    yOffset: 0,
    xSize: 17,
    ySize: 85,
  },
  {
    label: "reverse",
    dims: [3, 17],
    xStrides: [17, -1],
    yStrides: [17, 1],
    xOffset: 16,
    yOffset: 0,
    xSize: 51,
    ySize: 51,
  },
  {
    label: "strided slice, steps -2 and 3",
    dims: [3, 4],
    xStrides: [-2 * 13, 3],
    yStrides: [4, 1],
    xOffset: 6 * 13 + 1,
    yOffset: 0,
    xSize: 7 * 13,
    ySize: 12,
  },
  permuted("2-D transpose", [17, 33], [1, 0]),
  permuted("3-D transpose", [4, 5, 3], [2, 0, 1]),
  permuted("6-D permutation", [2, 3, 1, 2, 4, 5], [4, 1, 5, 0, 3, 2]),
  {
    label: "tile [2, 3] by [3, 2]",
    dims: [3, 2, 2, 3],
    xStrides: [0, 3, 0, 1],
    yStrides: [12, 6, 3, 1],
    xOffset: 0,
    yOffset: 0,
    xSize: 6,
    ySize: 36,
  },
];

/** Random bytes (any float bit pattern, NaN payloads included). */
function randomBytes(n: number, seed: number): Uint8Array {
  const r = rng(seed);
  return Uint8Array.from({ length: n }, () => Math.floor((r() + 1) * 128) & 255);
}

/** The definition, on bytes: `y` gets every element the plan copies. */
function reference(x: Uint8Array, y: Uint8Array, c: Case, eb: number): Uint8Array {
  const out = y.slice();
  const total = c.dims.reduce((a, b) => a * b, 1);
  for (let flat = 0; flat < total; flat++) {
    let t = flat, xi = c.xOffset, yi = c.yOffset;
    for (let d = c.dims.length - 1; d >= 0; d--) {
      const i = t % c.dims[d];
      t = Math.floor(t / c.dims[d]);
      xi += i * c.xStrides[d];
      yi += i * c.yStrides[d];
    }
    for (let b = 0; b < eb; b++) out[yi * eb + b] = x[xi * eb + b];
  }
  return out;
}

const pad6 = (v: number[], fill: number) => [...new Array(6 - v.length).fill(fill), ...v];

const harnesses = await kernelHarnesses();

for (const eb of [4, 1] as const) {
  const kernel = eb === 4 ? "x32_strided_copy" : "x8_strided_copy";
  for (const c of CASES) {
    Deno.test(`${kernel}() copies ${c.label} as the definition does, in any range split`, () => {
      const xBytes = randomBytes(c.xSize * eb, c.xSize + eb);
      const yBytes = randomBytes(c.ySize * eb, c.ySize + 7);
      const expected = Array.from(reference(xBytes, yBytes, c, eb));
      const dims = pad6(c.dims, 1);
      const total = dims.reduce((a, b) => a * b, 1);
      const mid = Math.floor(total / 2);
      const pieces = (step: number) =>
        Array.from(
          { length: Math.ceil(total / step) },
          (_, p): [number, number] => [p * step, Math.min(total, (p + 1) * step)],
        );
      const splits: [number, number][][] = [[[0, total]], [[0, mid], [mid, total]], pieces(7)];
      for (const h of harnesses) {
        const units = (bytes: Uint8Array) =>
          new Float32Array(bytes.buffer.slice(0, Math.ceil(bytes.length / 4) * 4));
        const padded = (bytes: Uint8Array) => {
          const p = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
          p.set(bytes);
          return units(p);
        };
        const px = h.f32(Math.ceil(c.xSize * eb / 4), padded(xBytes));
        for (const ranges of splits) {
          const yUnits = padded(yBytes);
          const py = h.f32(yUnits.length, yUnits);
          for (const [b, e] of ranges) {
            h.k[kernel](
              px + c.xOffset * eb,
              py + c.yOffset * eb,
              ...(dims as [number, number, number, number, number, number]),
              ...(pad6(c.xStrides, 0) as [number, number, number, number, number, number]),
              ...(pad6(c.yStrides, 0) as [number, number, number, number, number, number]),
              b,
              e,
            );
            h.checkGuards();
          }
          const got = Array.from(new Uint8Array(h.memory.buffer, py, c.ySize * eb));
          assertEquals(got, expected, `${kernel} [${h.name}] ${c.label} split ${ranges.length}`);
        }
        h.reset();
      }
    });
  }
}

/** Units of guard before and after y's region in the backend tests. */
const GUARD_UNITS = 4;

for (const { name, backend } of await testBackends()) {
  for (const eb of [4, 1] as const) {
    Deno.test(`stridedCopy() on ${name} with ${eb}-byte elements matches the definition and keeps y's other bytes`, async () => {
      for (const c of CASES) {
        const xBytes = randomBytes(Math.ceil(c.xSize * eb / 4) * 4, c.xSize + 3);
        const yUnits = Math.ceil(c.ySize * eb / 4) + 2 * GUARD_UNITS;
        const yBytes = randomBytes(yUnits * 4, c.ySize + 11);
        const x = backend.alloc(xBytes.length / 4), y = backend.alloc(yUnits);
        backend.write(x, new Float32Array(xBytes.buffer));
        backend.write(y, new Float32Array(yBytes.buffer));
        const shifted = { ...c, yOffset: c.yOffset + GUARD_UNITS * 4 / eb };
        const plan: StridedCopyPlan = { ...shifted, elementBytes: eb };
        backend.stridedCopy(x, y, plan);
        const got = new Uint8Array((await backend.read(y, yUnits)).buffer);
        const want = reference(xBytes, yBytes, shifted, eb);
        assertEquals(Array.from(got), Array.from(want), `${name} ${eb}-byte ${c.label}`);
        backend.free(x);
        backend.free(y);
      }
    });
  }
}

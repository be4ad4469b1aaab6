/**
 * The op suite's cases for the shape ops built on the strided copy: slice, stridedSlice, concat,
 * stack, unstack, split, pad, tile, expandDims, squeeze, reverse, broadcastTo, transpose. Copies
 * are exact (default tolerance), on every dtype; float32 cases are gradient-checked (copies have
 * no kinks). Shapes straddle the kernel's short-row (16 floats) and SIMD widths: 1, 3, 17, 33.
 * The references are tests/_reference/shape.ts (index maps); stridedSlice's maps are written out
 * per case.
 *
 * @module
 */
import * as dn from "../../../../mod.ts";
import * as ref from "../../../_reference/shape.ts";
import type { CaseDType, OpCase } from "../case.ts";

const DTYPES: CaseDType[] = ["float32", "int32", "bool"];
const grad = (dtype: CaseDType) => dtype === "float32";

function sliceCases(): OpCase[] {
  const specs: [number[], number | number[], number | number[] | undefined, number[]][] = [
    [[33], 1, 17, [17]],
    [[3, 17], [1, 2], [2, -1], [2, 15]],
    [[17, 3, 33], [2, 0, 5], [3, -1, 17], [3, 3, 17]],
    [[17, 33], 16, undefined, [1, 33]],
    [[4, 33], [0, 0], [4, 33], [4, 33]],
    [[2, 3, 1, 4, 2, 3], [1, 1, 0, 1, 0, 1], [1, 2, 1, 3, 2, 2], [1, 2, 1, 3, 2, 2]],
    [[3, 5], [1, 2], [0, 2], [0, 2]],
  ];
  return DTYPES.flatMap((dtype) =>
    specs.map(([shape, begin, sz, out]): OpCase => {
      const b = typeof begin === "number" ? [begin, ...shape.slice(1).map(() => 0)] : begin;
      return {
        op: "slice",
        label: `${dtype} [${shape}] begin ${JSON.stringify(begin)} size ${JSON.stringify(sz)}`,
        inputs: [{ shape, dtype }],
        run: (x) => dn.slice(x, begin, sz),
        reference: ([x]) => ({ shape: out, dtype, values: ref.slice(x, shape, b, out) }),
        grad: grad(dtype),
      };
    })
  );
}

/** Each spec with its index map written out by hand from TensorFlow's semantics. */
function stridedSliceCases(): OpCase[] {
  const specs: {
    label: string;
    shape: number[];
    args: Parameters<typeof dn.stridedSlice> extends [unknown, ...infer R] ? R : never;
    out: number[];
    from: (o: number[]) => number[];
  }[] = [
    { label: "[1:3] of [5]", shape: [5], args: [[1], [3]], out: [2], from: (o) => [o[0] + 1] },
    {
      label: "[::-2] of [5] (masks)",
      shape: [5],
      args: [[0], [0], [-2], 1, 1],
      out: [3],
      from: (o) => [4 - 2 * o[0]],
    },
    {
      label: "[0:2, 3:0:-2] of [2, 4]",
      shape: [2, 4],
      args: [[0, 3], [2, 0], [1, -2]],
      out: [2, 2],
      from: (o) => [o[0], 3 - 2 * o[1]],
    },
    {
      label: "[-1, :] shrinks the first axis of [3, 4]",
      shape: [3, 4],
      args: [[-1, 0], [0, 0], [1, 1], 0, 2, 0, 0, 1],
      out: [4],
      from: (o) => [2, o[0]],
    },
    {
      label: "[..., 1] of [2, 3, 4] (ellipsis, shrink)",
      shape: [2, 3, 4],
      args: [[0, 1], [0, 2], [1, 1], 0, 0, 1, 0, 2],
      out: [2, 3],
      from: (o) => [o[0], o[1], 1],
    },
    {
      label: "[None, 1:, ::3] of [3, 7] (new axis)",
      shape: [3, 7],
      args: [[0, 1, 0], [0, 3, 0], [1, 1, 3], 0, 4, 0, 1],
      out: [1, 2, 3],
      from: (o) => [1 + o[1], 3 * o[2]],
    },
    {
      label: "begin and end clamped: [-10:10] of [3, 2] (implied ellipsis)",
      shape: [3, 2],
      args: [[-10], [10]],
      out: [3, 2],
      from: (o) => o,
    },
    { label: "empty: [3:1] of [5]", shape: [5], args: [[3], [1]], out: [0], from: (o) => o },
    {
      label: "[1:, ::-1, ::5] of [3, 17, 33] edge shape",
      shape: [3, 17, 33],
      args: [[1, 0, 0], [0, 0, 0], [1, -1, 5], 6, 7],
      out: [2, 17, 7],
      from: (o) => [o[0] + 1, 16 - o[1], o[2] * 5],
    },
  ];
  return DTYPES.flatMap((dtype) =>
    specs.map((s): OpCase => ({
      op: "stridedSlice",
      label: `${dtype} ${s.label}`,
      inputs: [{ shape: s.shape, dtype }],
      run: (x) => dn.stridedSlice(x, ...s.args),
      reference: ([x]) => ({
        shape: s.out,
        dtype,
        values: ref.mapIndex(x, s.shape, s.out, s.from),
      }),
      grad: grad(dtype),
    }))
  );
}

function concatCases(): OpCase[] {
  const specs: [number[][], number][] = [
    [[[3, 17], [3, 1], [3, 33]], 1],
    [[[3, 17], [3, 1], [3, 33]], -1],
    [[[1, 3], [17, 3], [33, 3]], 0],
    [[[2, 3, 4], [2, 1, 4], [2, 17, 4]], 1],
    [[[3, 1], [3, 3], [3, 2]], 1],
    [[[4, 0], [4, 3]], 1],
    [[[5]], 0],
  ];
  return DTYPES.flatMap((dtype) =>
    specs.map(([shapes, axis]): OpCase => {
      const ax = axis < 0 ? axis + shapes[0].length : axis;
      const out = [...shapes[0]];
      out[ax] = shapes.reduce((a, s) => a + s[ax], 0);
      return {
        op: "concat",
        label: `${dtype} ${shapes.map((s) => `[${s}]`).join(" + ")} along ${axis}`,
        inputs: shapes.map((shape) => ({ shape, dtype })),
        run: (...xs) => dn.concat(xs, axis),
        reference: (xs) => ({ shape: out, dtype, values: ref.concat(xs, shapes, ax) }),
        grad: grad(dtype),
      };
    })
  );
}

function stackCases(): OpCase[] {
  const specs: [number[], number, number][] = [[[3, 17], 3, 0], [[3, 17], 2, 1], [[17], 3, -1], [
    [],
    4,
    0,
  ]];
  return DTYPES.flatMap((dtype) =>
    specs.map(([shape, n, axis]): OpCase => {
      const ax = axis < 0 ? axis + shape.length + 1 : axis;
      const one = [...shape.slice(0, ax), 1, ...shape.slice(ax)];
      const out = [...one];
      out[ax] = n;
      return {
        op: "stack",
        label: `${dtype} ${n} x [${shape}] along ${axis}`,
        inputs: Array.from({ length: n }, () => ({ shape, dtype })),
        run: (...xs) => dn.stack(xs, axis),
        reference: (xs) => ({
          shape: out,
          dtype,
          values: ref.concat(xs, xs.map(() => one), ax),
        }),
        grad: grad(dtype),
      };
    })
  );
}

function unstackAndSplitCases(): OpCase[] {
  const cases: OpCase[] = [];
  for (const dtype of DTYPES) {
    for (
      const [shape, axis] of [[[3, 17], 0], [[3, 17], 1], [[2, 3, 4], -1]] as [number[], number][]
    ) {
      const ax = axis < 0 ? axis + shape.length : axis;
      const part = shape.filter((_, d) => d !== ax);
      const size1 = shape.map((n, d) => (d === ax ? 1 : n));
      cases.push({
        op: "unstack",
        label: `${dtype} [${shape}] along ${axis}`,
        inputs: [{ shape, dtype }],
        run: (x) => dn.unstack(x, axis),
        reference: ([x]) =>
          Array.from({ length: shape[ax] }, (_, i) => ({
            shape: part,
            dtype,
            values: ref.slice(x, shape, shape.map((_, d) => (d === ax ? i : 0)), size1),
          })),
        grad: grad(dtype),
      });
    }
    const splits: [number[], number | number[], number, number[]][] = [
      [[17, 3], [1, -1, 3], 0, [1, 13, 3]],
      [[3, 33], 3, 1, [11, 11, 11]],
      [[3, 33], [17, 16], -1, [17, 16]],
      [[4], [0, 4], 0, [0, 4]],
    ];
    for (const [shape, how, axis, sizes] of splits) {
      const ax = axis < 0 ? axis + shape.length : axis;
      cases.push({
        op: "split",
        label: `${dtype} [${shape}] by ${JSON.stringify(how)} along ${axis}`,
        inputs: [{ shape, dtype }],
        run: (x) => dn.split(x, how, axis),
        reference: ([x]) => {
          let at = 0;
          return sizes.map((s) => {
            const box = shape.map((n, d) => (d === ax ? s : n));
            const begin = shape.map((_, d) => (d === ax ? at : 0));
            at += s;
            return { shape: box, dtype, values: ref.slice(x, shape, begin, box) };
          });
        },
        grad: grad(dtype),
      });
    }
  }
  return cases;
}

function padTileCases(): OpCase[] {
  const cases: OpCase[] = [];
  const constant: Record<CaseDType, number> = { float32: 2.5, int32: -7, bool: 1 };
  const pads: [number[], number[][]][] = [
    [[3, 17], [[1, 2], [0, 3]]],
    [[17], [[16, 1]]],
    [[2, 3, 33], [[0, 0], [1, 1], [3, 0]]],
    [[3, 1], [[0, 0], [1, 2]]],
    [[0, 3], [[1, 0], [0, 1]]],
  ];
  const tiles: [number[], number[]][] = [
    [[3, 1], [1, 17]],
    [[1, 3], [33, 1]],
    [[17], [3]],
    [[2, 3, 4], [2, 1, 3]],
    [[3, 2], [0, 2]],
    [[2, 1, 3, 1], [1, 3, 2, 2]],
  ];
  for (const dtype of DTYPES) {
    for (const [shape, paddings] of pads) {
      for (const value of [0, constant[dtype]]) {
        cases.push({
          op: "pad",
          label: `${dtype} [${shape}] by ${JSON.stringify(paddings)} with ${value}`,
          inputs: [{ shape, dtype }],
          run: (x) => dn.pad(x, paddings as [number, number][], value),
          reference: ([x]) => ({
            shape: shape.map((n, d) => paddings[d][0] + n + paddings[d][1]),
            dtype,
            values: ref.pad(x, shape, paddings, value),
          }),
          grad: grad(dtype),
        });
      }
    }
    for (const [shape, reps] of tiles) {
      cases.push({
        op: "tile",
        label: `${dtype} [${shape}] by [${reps}]`,
        inputs: [{ shape, dtype }],
        run: (x) => dn.tile(x, reps),
        reference: ([x]) => ({
          shape: shape.map((n, d) => n * reps[d]),
          dtype,
          values: ref.tile(x, shape, reps),
        }),
        grad: grad(dtype),
      });
    }
  }
  return cases;
}

function viewCases(): OpCase[] {
  const cases: OpCase[] = [];
  for (const dtype of DTYPES) {
    for (
      const [shape, axis, out] of [[[3, 17], 0, [1, 3, 17]], [[3, 17], -1, [3, 17, 1]], [[17], 1, [
        17,
        1,
      ]], [[], 0, [1]]] as [number[], number, number[]][]
    ) {
      cases.push({
        op: "expandDims",
        label: `${dtype} [${shape}] at ${axis}`,
        inputs: [{ shape, dtype }],
        run: (x) => dn.expandDims(x, axis),
        reference: ([x]) => ({ shape: out, dtype, values: x }),
        grad: grad(dtype),
      });
    }
    for (
      const [shape, axis, out] of [
        [[1, 3, 1, 17], undefined, [3, 17]],
        [[1, 3, 1, 17], [-2], [1, 3, 17]],
        [[1, 1], 0, [1]],
        [[1], undefined, []],
      ] as [number[], number | number[] | undefined, number[]][]
    ) {
      cases.push({
        op: "squeeze",
        label: `${dtype} [${shape}] axis ${JSON.stringify(axis)}`,
        inputs: [{ shape, dtype }],
        run: (x) => dn.squeeze(x, axis),
        reference: ([x]) => ({ shape: out, dtype, values: x }),
        grad: grad(dtype),
      });
    }
  }
  return cases;
}

function permuteCases(): OpCase[] {
  const cases: OpCase[] = [];
  const reverses: [number[], number | number[] | undefined, number[]][] = [
    [[33], undefined, [0]],
    [[3, 17], 1, [1]],
    [[3, 17], -2, [0]],
    [[2, 3, 17], [0, 2], [0, 2]],
    [[17, 1], undefined, [0, 1]],
  ];
  const broadcasts: [number[], number[]][] = [
    [[3], [17, 3]],
    [[3, 1], [2, 3, 33]],
    [[], [3, 17]],
    [[1, 17], [1, 17]],
    [[2, 1, 3], [2, 4, 3]],
  ];
  const transposes: [number[], number[] | undefined][] = [
    [[17, 33], undefined],
    [[3, 17, 33], [2, 0, 1]],
    [[3, 17, 33], [0, 2, 1]],
    [[2, 3, 4, 5], [3, 1, 0, 2]],
    [[1, 17], [1, 0]],
    [[2, 3, 1, 2, 3, 2, 2], [6, 5, 4, 3, 2, 1, 0]],
  ];
  for (const dtype of DTYPES) {
    for (const [shape, axis, axes] of reverses) {
      cases.push({
        op: "reverse",
        label: `${dtype} [${shape}] axis ${JSON.stringify(axis)}`,
        inputs: [{ shape, dtype }],
        run: (x) => dn.reverse(x, axis),
        reference: ([x]) => ({ shape, dtype, values: ref.reverse(x, shape, axes) }),
        grad: grad(dtype),
      });
    }
    for (const [shape, to] of broadcasts) {
      cases.push({
        op: "broadcastTo",
        label: `${dtype} [${shape}] to [${to}]`,
        inputs: [{ shape, dtype }],
        run: (x) => dn.broadcastTo(x, to),
        reference: ([x]) => ({ shape: to, dtype, values: ref.broadcastTo(x, shape, to) }),
        grad: grad(dtype),
      });
    }
    for (const [shape, perm] of transposes) {
      const p = perm ?? shape.map((_, d) => shape.length - 1 - d);
      cases.push({
        op: "transpose",
        label: `${dtype} [${shape}] perm ${JSON.stringify(perm)}`,
        inputs: [{ shape, dtype }],
        run: (x) => dn.transpose(x, perm),
        reference: ([x]) => ({
          shape: p.map((d) => shape[d]),
          dtype,
          values: ref.transpose(x, shape, p),
        }),
        grad: grad(dtype),
      });
    }
  }
  return cases;
}

export const CASES: OpCase[] = [
  ...sliceCases(),
  ...stridedSliceCases(),
  ...concatCases(),
  ...stackCases(),
  ...unstackAndSplitCases(),
  ...padTileCases(),
  ...viewCases(),
  ...permuteCases(),
];

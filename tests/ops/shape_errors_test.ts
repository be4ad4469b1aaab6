/**
 * Bad input to the shape ops throws a typed error naming the function, the argument, what was
 * expected and what came (STYLE C14), before anything reaches a backend.
 */
import * as dn from "../../mod.ts";
import { assertThrows } from "../_util/assert.ts";

type Thrown = [call: () => unknown, type: ErrorConstructor, fragment: string];

const x = dn.zeros([2, 3]);
const int = dn.zeros([2, 3], "int32");
const disposed = dn.zeros([2]);
disposed.dispose();

const CASES: Record<string, Thrown[]> = {
  slice: [
    [() => dn.slice(disposed, 0), TypeError, 'slice(): argument "x" is a disposed tensor'],
    [() => dn.slice(x, [0.5]), TypeError, 'slice(): argument "begin" must be an array of integers'],
    [() => dn.slice(x, [0, 0, 0]), RangeError, 'argument "begin" must have at most 2 entries'],
    [() => dn.slice(x, [3, 0]), RangeError, 'argument "begin" must lie in x [2, 3]: got 3'],
    [() => dn.slice(x, [-1, 0]), RangeError, 'argument "begin" must lie in x [2, 3]: got -1'],
    [() => dn.slice(x, [1, 1], [2, 1]), RangeError, 'argument "size" must keep the box in x'],
    [() => dn.slice(x, [0, 0], [-2, 1]), RangeError, "got -2 from begin 0 in dimension 0"],
    [
      () => (dn.slice as (...a: unknown[]) => unknown)(x, 0, 1, 2),
      TypeError,
      "slice(): it takes at most 3 arguments",
    ],
  ],
  stridedSlice: [
    [() => dn.stridedSlice(x, [0], [1, 2]), RangeError, 'arguments "begin", "end" and "strides"'],
    [() => dn.stridedSlice(x, [0], [1], [0]), RangeError, 'argument "strides" must be non-zero'],
    [
      () => dn.stridedSlice(x, [0, 0], [1, 1], [1, 1], 0, 0, 3),
      RangeError,
      '"ellipsisMask" may set at most one bit: got 3',
    ],
    [
      () => dn.stridedSlice(x, [0, 0, 0], [1, 1, 1]),
      RangeError,
      "names more dimensions than x [2, 3]",
    ],
    [
      () => dn.stridedSlice(x, [5], [6], [1], 0, 0, 0, 0, 1),
      RangeError,
      '"begin" must index dimension 0 of x [2, 3] where shrinkAxisMask drops it: got 5',
    ],
    [
      () => dn.stridedSlice(x, [0], [1], [1], -1),
      TypeError,
      '"beginMask" must be a non-negative integer bit mask',
    ],
  ],
  concat: [
    [
      () => dn.concat([]),
      TypeError,
      'concat(): argument "xs" must be a non-empty array of tensors',
    ],
    [() => dn.concat(x as never), TypeError, 'argument "xs" must be a non-empty array'],
    [
      () => dn.concat([x, dn.zeros([3, 3])], 1),
      RangeError,
      "must match xs[0] [2, 3] in every dimension but axis 1: got [3, 3] at xs[1]",
    ],
    [() => dn.concat([x, dn.zeros([2, 3, 1])]), RangeError, "got [2, 3, 1] at xs[1]"],
    [
      () => dn.concat([x, int]),
      TypeError,
      "must have the dtype of xs[0] (float32): got int32 at xs[1]",
    ],
    [
      () => dn.concat([x], 2),
      RangeError,
      'concat(): argument "axis" must be an integer in [-2, 2): got 2',
    ],
    [() => dn.concat([dn.zeros([])]), RangeError, "rank >= 1"],
    [() => dn.concat([x, disposed]), TypeError, '"xs[1]" is a disposed tensor'],
  ],
  stack: [
    [
      () => dn.stack([x, dn.zeros([3, 2])]),
      RangeError,
      'stack(): every tensor of "xs" must have the shape of xs[0] [2, 3]: got [3, 2] at xs[1]',
    ],
    [() => dn.stack([x], 3), RangeError, 'argument "axis" must be an integer in [-3, 3): got 3'],
    [() => dn.stack([x, int]), TypeError, "got int32 at xs[1]"],
  ],
  unstack: [
    [() => dn.unstack(dn.zeros([])), TypeError, 'unstack(): argument "x" must have rank >= 1'],
    [() => dn.unstack(x, -3), RangeError, 'argument "axis" must be an integer in [-2, 2): got -3'],
  ],
  split: [
    [
      () => dn.split(x, 2, 1),
      RangeError,
      "must be a positive integer dividing axis 1 of x [2, 3] (extent 3): got 2",
    ],
    [() => dn.split(x, [1, 1], 1), RangeError, "sum to axis 1 of x [2, 3] (extent 3): got [1, 1]"],
    [() => dn.split(x, [-1, -1, 3], 1), RangeError, "at most one -1"],
    [() => dn.split(x, [1, 5, -1], 1), RangeError, "got [1, 5, -1]"],
    [
      () => dn.split(x, "2" as never),
      TypeError,
      'argument "numOrSizeSplits" must be an array of integers',
    ],
  ],
  pad: [
    [
      () => dn.pad(x, [[0, 0]]),
      RangeError,
      'pad(): argument "paddings" must hold one pair per dimension of x [2, 3]: got 1 pairs',
    ],
    [() => dn.pad(x, [[0, 0], [0, -1]]), RangeError, '"paddings" must hold non-negative integers'],
    [
      () => dn.pad(x, [0, 1] as never),
      TypeError,
      '"paddings" must be an array of [before, after] pairs',
    ],
    [
      () => dn.pad(int, [[0, 0], [1, 1]], 0.5),
      RangeError,
      '"constantValue" must be an integer in the int32 range for a int32 tensor: got 0.5',
    ],
    [
      () => dn.pad(dn.zeros([2], "bool"), [[1, 1]], 2),
      RangeError,
      '"constantValue" must be 0 or 1 for a bool tensor: got 2',
    ],
  ],
  tile: [
    [
      () => dn.tile(x, [2]),
      RangeError,
      'tile(): argument "reps" must have 2 entries, one per dimension of x [2, 3]: got [2]',
    ],
    [() => dn.tile(x, [1, -1]), RangeError, '"reps" must hold non-negative integers: got [1, -1]'],
    [() => dn.tile(x, [1, 1.5]), TypeError, '"reps" must be an array of integers'],
  ],
  expandDims: [
    [
      () => dn.expandDims(x, 3),
      RangeError,
      'expandDims(): argument "axis" must be an integer in [-3, 3): got 3',
    ],
  ],
  squeeze: [
    [
      () => dn.squeeze(x, 0),
      RangeError,
      'squeeze(): argument "axis" must name dimensions of extent 1 of x [2, 3]: got axis 0 of extent 2',
    ],
    [() => dn.squeeze(dn.zeros([1, 1]), [0, -2]), RangeError, "must not repeat an axis"],
    [() => dn.squeeze(x, 2), RangeError, "must hold integers in [-2, 2): got [2]"],
  ],
  reverse: [
    [
      () => dn.reverse(x, 2),
      RangeError,
      'reverse(): argument "axis" must hold integers in [-2, 2): got [2]',
    ],
    [() => dn.reverse(x, [1, 1]), RangeError, "must not repeat an axis"],
  ],
  broadcastTo: [
    [
      () => dn.broadcastTo(x, [3]),
      RangeError,
      'broadcastTo(): x [2, 3] must broadcast to argument "shape"',
    ],
    [() => dn.broadcastTo(x, [4, 3, 3, 1]), RangeError, "got [4, 3, 3, 1]"],
    [() => dn.broadcastTo(x, [2, -3]), RangeError, '"shape" must hold non-negative integers'],
  ],
  transpose: [
    [
      () => dn.transpose(x, [0, 0]),
      RangeError,
      'transpose(): argument "perm" must be a permutation of 0..1 for x [2, 3]: got [0, 0]',
    ],
    [() => dn.transpose(x, [1, 0, 2]), RangeError, "got [1, 0, 2]"],
    [() => dn.transpose(x, [-1, 0]), RangeError, "got [-1, 0]"],
    [() => dn.transpose(x, 1 as never), TypeError, '"perm" must be an array of integers'],
  ],
};

for (const [fn, cases] of Object.entries(CASES)) {
  Deno.test(`${fn}() rejects bad input naming the argument, what it expects and what came`, () => {
    for (const [call, type, fragment] of cases) assertThrows(call, type, fragment);
  });
}

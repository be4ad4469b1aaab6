/**
 * `gather()` (and `gatherND()`) on webgpu, where indices cannot be read back synchronously: the
 * forward and its scatter-add gradient match wasm (bit for bit: copies and additions in index
 * order) and the float64 definitions, and a bad index is checked on the device: the gather writes
 * zeros for it, the scatter-add skips it, and the next read rejects with a RangeError, once (the
 * flag resets).
 * Shapes are tiny (llvmpipe). Skipped without an adapter, failed instead under
 * `DENDRITE_REQUIRE_WEBGPU=1`.
 */
import * as dn from "../../mod.ts";
import { assert, assertEquals, assertRejects } from "../_util/assert.ts";
import { assertClose, Tol } from "../_util/assert_close.ts";
import { testWebgpu } from "../_util/backends.ts";
import { randomF32 } from "../_util/rng.ts";

const { backend: gpu } = await testWebgpu();

/** One gather problem: a `[rows, cols]` table, indices of `shape`, output weights for the loss. */
interface Case {
  rows: number;
  cols: number;
  shape: number[];
  indices: number[];
}

const CASES: Case[] = [
  { rows: 1, cols: 1, shape: [1], indices: [0] },
  { rows: 5, cols: 3, shape: [2, 3], indices: [4, 0, 4, 2, 4, 1] },
  { rows: 7, cols: 4, shape: [9], indices: [2, 0, 5, 3, 1, 6, 4, 2, 0] },
  { rows: 3, cols: 17, shape: [2, 2, 2], indices: [2, 2, 0, 1, 2, 0, 0, 2] },
];

const table = (c: Case) => randomF32(c.rows * c.cols, c.rows + 10 * c.cols);
const weights = (c: Case) => randomF32(c.indices.length * c.cols, c.cols + 10 * c.rows);

/** `y = gather(table, indices)` and `d sum(y · weights) / d table` in float64. */
function reference(c: Case): { y: Float64Array; dTable: Float64Array } {
  const t = table(c), w = weights(c);
  const y = new Float64Array(c.indices.length * c.cols), dTable = new Float64Array(t.length);
  c.indices.forEach((r, i) => {
    for (let j = 0; j < c.cols; j++) {
      y[i * c.cols + j] = t[r * c.cols + j];
      dTable[r * c.cols + j] += w[i * c.cols + j];
    }
  });
  return { y, dTable };
}

/** The same on `backend`, through `dn.gather` and `dn.valueAndGrads`. */
async function run(c: Case): Promise<{ y: Float32Array; dTable: Float32Array }> {
  using t = dn.tensor(Float32Array.from(table(c)), [c.rows, c.cols]);
  using idx = dn.tensor(Float32Array.from(c.indices), c.shape);
  using w = dn.tensor(Float32Array.from(weights(c)), [...c.shape, c.cols]);
  using y = dn.gather(t, idx);
  const out = dn.valueAndGrads((x) => dn.sum(dn.mul(dn.gather(x, idx), w)))([t]);
  using _value = out.value;
  using dTable = out.grads[0];
  return { y: await y.data(), dTable: await dTable.data() };
}

async function runAll(backend: "wasm" | "webgpu") {
  await dn.ready({ backend });
  const results = [];
  for (const c of CASES) results.push(await run(c));
  return results;
}

Deno.test({
  name:
    "gather() on webgpu and its scatter-add gradient match wasm and float64 with repeated indices",
  ignore: gpu === null,
  fn: async () => {
    try {
      const wasm = await runAll("wasm"), webgpu = await runAll("webgpu");
      CASES.forEach((c, k) => {
        const what = `rows ${c.rows} cols ${c.cols} indices [${c.shape}]`;
        const want = reference(c);
        assertClose(webgpu[k].y, want.y, Tol.exact, `gather ${what} vs float64`);
        assertClose(webgpu[k].y, wasm[k].y, Tol.exact, `gather ${what} vs wasm`);
        assertClose(webgpu[k].dTable, want.dTable, Tol.dot(c.indices.length), `grad ${what}`);
        assertClose(webgpu[k].dTable, wasm[k].dTable, Tol.exact, `grad ${what} vs wasm`);
      });
    } finally {
      await dn.ready({ backend: "wasm" });
    }
  },
});

Deno.test({
  name:
    "gather() on webgpu rejects the next read for an index outside [0, rows), once, reading no row for it",
  ignore: gpu === null,
  fn: async () => {
    await dn.ready({ backend: "webgpu" });
    try {
      using t = dn.tensor([[1, 2], [3, 4], [5, 6]]);
      using w = dn.tensor([[10, 20], [30, 40], [50, 60]]);
      for (const bad of [3, -1, 1.5, NaN]) {
        using idx = dn.tensor([2, bad, 0]);
        const out = dn.valueAndGrads((x) => dn.sum(dn.mul(dn.gather(x, idx), w)))([t]);
        using value = out.value;
        using dTable = out.grads[0];
        const err = await assertRejects(
          () => value.data(),
          RangeError,
          'Cannot run gather(): argument "indices" must hold integers in [0, 3)',
        );
        assert(err.message.includes("at flat position 1"), `index ${bad}: ${err.message}`);
        assert(err.message.includes("checked on the GPU"), `index ${bad}: ${err.message}`);
        // The flag was reset: later reads work; the bad row was neither read nor scattered to.
        assertEquals([...(await value.data())], [10 * 5 + 20 * 6 + 50 * 1 + 60 * 2]);
        assertEquals([...(await dTable.data())], [50, 60, 0, 0, 10, 20]);
        using y = dn.gather(t, idx);
        await assertRejects(() => y.data(), RangeError, 'argument "indices"');
        assertEquals([...(await y.data())], [5, 6, 0, 0, 1, 2]);
      }
    } finally {
      await dn.ready({ backend: "wasm" });
    }
  },
});

Deno.test({
  name:
    "gather() on webgpu reports the first bad index of the first bad call at the next read of any tensor",
  ignore: gpu === null,
  fn: async () => {
    await dn.ready({ backend: "webgpu" });
    try {
      using t = dn.tensor([[1, 2], [3, 4], [5, 6]]);
      using first = dn.tensor([0, 1, 7, 9]), second = dn.tensor([-5, 0]);
      using a = dn.gather(t, first), b = dn.gather(t, second);
      using other = dn.tensor([42]);
      const err = await assertRejects(() => other.data(), RangeError, "[0, 3): got");
      assert(err.message.includes("at flat position 2"), err.message);
      assertEquals([...(await other.data())], [42]);
      assertEquals([...(await a.data()), ...(await b.data())], [
        1,
        2,
        3,
        4,
        0,
        0,
        0,
        0,
        0,
        0,
        1,
        2,
      ]);
      using tall = dn.zeros([10, 1]), ten = dn.tensor([[4], [10]]);
      using c = dn.gather(tall, ten);
      using empty = dn.tensor(new Float32Array(0), [0]);
      await assertRejects(() => empty.data(), RangeError, "[0, 10): got");
      assertEquals([...(await c.data())], [0, 0]);
    } finally {
      await dn.ready({ backend: "wasm" });
    }
  },
});

Deno.test({
  name:
    "gatherND() on webgpu rejects the next read for a component out of range, even one naming a valid row",
  ignore: gpu === null,
  fn: async () => {
    await dn.ready({ backend: "webgpu" });
    try {
      using x = dn.tensor([[1, 2, 3], [4, 5, 6]]);
      // [0, 4] would be flat row 4 = [1, 1] of the 2 x 3 grid: the clamped row plus the penalty
      // puts it out of range instead.
      for (const bad of [[0, 4], [-1, 2], [2, 0]]) {
        using idx = dn.tensor([[1, 1], bad], [2, 2], "int32");
        using y = dn.gatherND(x, idx);
        await assertRejects(() => y.data(), RangeError, 'argument "indices"');
        assertEquals([...(await y.data())], [5, 0]);
      }
      using good = dn.tensor([[1, 2], [0, 0]], [2, 2], "int32");
      using z = dn.gatherND(x, good);
      assertEquals([...(await z.data())], [6, 1]);
    } finally {
      await dn.ready({ backend: "wasm" });
    }
  },
});

/**
 * `lstm()`, `gru()` and `simpleRnn()` through the public ops: forward against the float64
 * equations of tests/_reference/recurrent.ts on seeded configurations (odd batch, units, steps and
 * features that straddle the kernels' 8-wide, 4-wide and scalar paths; returnSequences on and
 * off; goBackwards; initial states; with and without bias), BPTT gradients with respect to the
 * input, kernel, recurrent kernel, bias and initial states by central differences (STYLE C12),
 * truncated BPTT against a stop-gradient reference, and the typed errors (C14).
 *
 * Forward tolerance (STYLE C9): each step's preactivation is an f32 sum of K = F + u + 1
 * products (|x|, |w| <= 1 so each term is <= 1 in size), then a few f32 ops and the <= 3 ulp
 * sigmoid/tanh; the state's error is carried to the next step through contractive cells (|σ'| <=
 * 1/4, |tanh'| <= 1 with weights of size 0.5), so it grows at most linearly over the T steps:
 * Tol.dot(T·(K + 8)) (the + 8 covers the activations and the cell update).
 */
import * as dn from "../../mod.ts";
import { gru, lstm, type RecurrentOptions, simpleRnn } from "../../src/ops/recurrent.ts";
import {
  type Cell,
  GATE_COUNT,
  type RecurrentWeights,
  type SequenceConfig,
  sequenceReference,
} from "../_reference/recurrent.ts";
import { assertEquals, assertThrows } from "../_util/assert.ts";
import { assertClose, Tol } from "../_util/assert_close.ts";
import { gradcheck, gradInput } from "../_util/gradcheck.ts";
import { randomF32 } from "../_util/rng.ts";

const OPS = { lstm, gru, simpleRnn };

interface Case {
  b: number;
  t: number;
  f: number;
  u: number;
  seq?: boolean;
  back?: boolean;
  init?: boolean;
  noBias?: boolean;
  act?: dn.Activation;
}

/** Twelve configurations per cell (see the header). */
const CASES: Case[] = [
  { b: 1, t: 1, f: 1, u: 1 },
  { b: 3, t: 7, f: 5, u: 3, seq: true },
  { b: 2, t: 5, f: 3, u: 4, back: true },
  { b: 5, t: 13, f: 17, u: 9, seq: true, back: true },
  { b: 1, t: 9, f: 2, u: 17, init: true },
  { b: 3, t: 3, f: 1, u: 8, seq: true, init: true, back: true },
  { b: 7, t: 4, f: 9, u: 5, noBias: true, act: "relu" },
  { b: 2, t: 11, f: 4, u: 12, seq: true, act: "sigmoid" },
  { b: 4, t: 2, f: 33, u: 7, back: true, init: true, act: "linear" },
  { b: 1, t: 17, f: 3, u: 2, seq: true, noBias: true },
  { b: 6, t: 6, f: 6, u: 16, seq: true, back: true },
  { b: 3, t: 5, f: 7, u: 33, init: true },
];

function name(cell: Cell, c: Case): string {
  const flags = ["seq", "back", "init", "noBias"].filter((k) => c[k as keyof Case]).join(",");
  return `${cell} B=${c.b} T=${c.t} F=${c.f} u=${c.u}${c.act ? ` ${c.act}` : ""}${
    flags ? ` [${flags}]` : ""
  }`;
}

/** Seeded f32 values in [-scale, scale]. */
function values(n: number, seed: number, scale = 1): Float64Array {
  return randomF32(n, seed).map((v) => Math.fround(v * scale));
}

function weightsFor(cell: Cell, c: Case, seed: number): RecurrentWeights {
  const g = GATE_COUNT[cell] * c.u;
  return {
    kernel: values(c.f * g, seed, 0.5),
    recurrentKernel: values(c.u * g, seed + 1, 0.5),
    bias: c.noBias ? null : values(cell === "gru" ? 2 * g : g, seed + 2, 0.5),
  };
}

function configOf(cell: Cell, c: Case, init: Float64Array[] | undefined): SequenceConfig {
  return {
    cell,
    batch: c.b,
    steps: c.t,
    features: c.f,
    units: c.u,
    activation: cell === "simpleRnn" ? c.act : undefined,
    goBackwards: c.back,
    returnSequences: c.seq,
    initialState: init,
  };
}

for (const cell of ["lstm", "gru", "simpleRnn"] as const) {
  Deno.test(`${cell}() matches the float64 equations on 12 seeded configurations`, () => {
    CASES.forEach((c, n) => {
      const seed = 100 * n + 7;
      const x = values(c.b * c.t * c.f, seed);
      const w = weightsFor(cell, c, seed + 10);
      const g = GATE_COUNT[cell] * c.u;
      const init = c.init
        ? Array.from(
          { length: cell === "lstm" ? 2 : 1 },
          (_, k) => values(c.b * c.u, seed + 20 + k),
        )
        : undefined;
      const want = sequenceReference(x, w, configOf(cell, c, init));
      dn.tidy(() => {
        const options: RecurrentOptions = {
          bias: w.bias
            ? dn.tensor(Float32Array.from(w.bias), cell === "gru" ? [2, g] : [g])
            : undefined,
          initialState: init?.map((s) => dn.tensor(Float32Array.from(s), [c.b, c.u])),
          returnSequences: c.seq,
          goBackwards: c.back,
          returnState: true,
          activation: cell === "simpleRnn" ? c.act : undefined,
        };
        const { output, states } = OPS[cell](
          dn.tensor(Float32Array.from(x), [c.b, c.t, c.f]),
          dn.tensor(Float32Array.from(w.kernel), [c.f, g]),
          dn.tensor(Float32Array.from(w.recurrentKernel), [c.u, g]),
          options,
        );
        assertEquals(output.shape, c.seq ? [c.b, c.t, c.u] : [c.b, c.u]);
        const tol = Tol.dot(c.t * (c.f + c.u + 9));
        assertClose(output.dataSync(), want.output, tol, `${name(cell, c)} output`);
        states.forEach((s, k) =>
          assertClose(s.dataSync(), want.states[k], tol, `${name(cell, c)} state ${k}`)
        );
      });
    });
  });
}

/** Configurations for the gradient checks: every option on somewhere, small enough for f64 BPTT. */
const GRAD_CASES: Case[] = [
  { b: 2, t: 4, f: 3, u: 5, seq: true },
  { b: 3, t: 5, f: 2, u: 3, back: true, init: true },
  { b: 1, t: 6, f: 4, u: 9, seq: true, back: true, init: true, act: "sigmoid" },
  { b: 2, t: 3, f: 5, u: 4, act: "relu" },
];

interface Loss {
  /** Dendrite's loss: sum of r ⊙ output plus the final states weighted the same way. */
  f: (...xs: dn.Tensor[]) => dn.Tensor;
  /** The same in float64 from the reference. */
  ref: (xs: Float64Array[]) => number;
}

/** `L = Σ r·output + Σ q_k·state_k` for the given cell, case and truncation. */
function lossOf(cell: Cell, c: Case, truncate?: number, base?: Float64Array[]): Loss {
  const nStates = cell === "lstm" ? 2 : 1;
  const outSize = c.seq ? c.b * c.t * c.u : c.b * c.u;
  const r = values(outSize, 999);
  const q = Array.from({ length: nStates }, (_, k) => values(c.b * c.u, 555 + k));
  const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  };
  const split = (xs: Float64Array[]) => ({
    x: xs[0],
    w: { kernel: xs[1], recurrentKernel: xs[2], bias: xs[3] },
    init: c.init ? xs.slice(4) : undefined,
  });
  return {
    f: (x, kernel, rec, bias, ...init) => {
      const { output, states } = OPS[cell](x, kernel, rec, {
        bias,
        initialState: c.init ? init : undefined,
        returnSequences: c.seq,
        goBackwards: c.back,
        returnState: true,
        truncate,
        activation: cell === "simpleRnn" ? c.act : undefined,
      });
      let loss = dn.sum(dn.mul(output, dn.tensor(Float32Array.from(r), output.shape)));
      states.forEach((s, k) => {
        loss = dn.add(loss, dn.sum(dn.mul(s, dn.tensor(Float32Array.from(q[k]), s.shape))));
      });
      return loss;
    },
    ref: (xs) => {
      const { x, w, init } = split(xs);
      const cfg = configOf(cell, c, init);
      if (truncate !== undefined && base) {
        // Stop-gradient at chunk boundaries: the state entering a boundary step comes from the
        // unperturbed inputs, so the difference quotient sees only the flows truncation keeps.
        const b = split(base);
        const frozen = sequenceReference(b.x, b.w, configOf(cell, c, b.init)).entering;
        cfg.stop = { every: truncate, frozen };
      }
      const run = sequenceReference(x, w, cfg);
      return dot(r, run.output) + run.states.reduce((s, st, k) => s + dot(q[k], st), 0);
    },
  };
}

function gradInputs(cell: Cell, c: Case, seed: number) {
  const g = GATE_COUNT[cell] * c.u;
  const inputs = [
    gradInput([c.b, c.t, c.f], seed),
    gradInput([c.f, g], seed + 1, -0.5, 0.5),
    gradInput([c.u, g], seed + 2, -0.5, 0.5),
    gradInput(cell === "gru" ? [2, g] : [g], seed + 3, -0.5, 0.5),
  ];
  if (c.init) {
    for (let k = 0; k < (cell === "lstm" ? 2 : 1); k++) {
      inputs.push(gradInput([c.b, c.u], seed + 4 + k));
    }
  }
  return inputs;
}

for (const cell of ["lstm", "gru", "simpleRnn"] as const) {
  Deno.test(`${cell}() BPTT gradients of x, kernels, bias and initial states match central differences`, () => {
    GRAD_CASES.forEach((c, n) => {
      const inputs = gradInputs(cell, c, 31 * n + 3);
      const { f, ref } = lossOf(cell, c);
      gradcheck(name(cell, c), f, ref, inputs, { maxChecks: 48 });
    });
  });

  Deno.test(`${cell}() with truncate keeps only the gradient flows inside each chunk`, () => {
    const cases: [Case, number][] = [
      [{ b: 2, t: 7, f: 3, u: 5 }, 3],
      [{ b: 3, t: 6, f: 2, u: 4, seq: true, back: true, init: true }, 2],
      [{ b: 1, t: 5, f: 4, u: 3, seq: true }, 5],
    ];
    cases.forEach(([c, truncate], n) => {
      const inputs = gradInputs(cell, c, 17 * n + 5);
      const { f, ref } = lossOf(cell, c, truncate, inputs.map((i) => i.data));
      gradcheck(`${name(cell, c)} truncate ${truncate}`, f, ref, inputs, { maxChecks: 48 });
    });
  });
}

Deno.test("lstm() with truncate N and returnSequences false leaves earlier steps without gradient", () => {
  const [b, t, f, u, n] = [2, 9, 3, 4, 3];
  const x = dn.tensor(Float32Array.from(values(b * t * f, 1)), [b, t, f]);
  const k = dn.tensor(Float32Array.from(values(f * 4 * u, 2, 0.5)), [f, 4 * u]);
  const r = dn.tensor(Float32Array.from(values(u * 4 * u, 3, 0.5)), [u, 4 * u]);
  const [dx] = dn.grads((x) => dn.sum(lstm(x, k, r, { truncate: n }).output))([x]);
  const g = dx.dataSync();
  for (let bi = 0; bi < b; bi++) {
    for (let s = 0; s < t; s++) {
      const row = g.subarray((bi * t + s) * f, (bi * t + s + 1) * f);
      const zero = row.every((v) => v === 0);
      assertEquals(
        zero,
        s < t - n,
        `batch ${bi} step ${s}: gradient ${zero ? "zero" : "non-zero"}`,
      );
    }
  }
  for (const v of [x, k, r, dx]) v.dispose();
});

Deno.test("lstm(), gru() and simpleRnn() throw typed errors naming the bad argument", () => {
  dn.tidy(() => {
    const x = dn.zeros([2, 3, 4]);
    const k = dn.zeros([4, 20]), r = dn.zeros([5, 20]);
    assertThrows(() => lstm(dn.zeros([2, 4]), k, r), TypeError, 'argument "x" must have rank 3');
    assertThrows(() => lstm(dn.zeros([2, 3, 4, 1]), k, r), TypeError, "got rank 4");
    assertThrows(
      () => lstm(dn.zeros([2, 3, 7]), k, r),
      RangeError,
      'feature sizes of "x" [2, 3, 7] and "kernel" [4, 20] must match: got 7 and 4',
    );
    assertThrows(
      () => lstm(x, dn.zeros([4, 16]), r),
      RangeError,
      'argument "kernel" must have shape [4, 20]',
    );
    assertThrows(
      () => gru(x, dn.zeros([4, 15]), r),
      RangeError,
      'argument "recurrentKernel" must have shape [5, 15]',
    );
    assertThrows(
      () => lstm(x, k, r, { initialState: [dn.zeros([2, 5]), dn.zeros([3, 5])] }),
      RangeError,
      'argument "initialState[1]" must have shape [2, 5] ([batch, units]): got [3, 5]',
    );
    assertThrows(
      () => lstm(x, k, r, { initialState: [dn.zeros([2, 5])] }),
      TypeError,
      'argument "initialState" must be an array of 2 tensors',
    );
    assertThrows(
      () => gru(x, dn.zeros([4, 15]), dn.zeros([5, 15]), { initialState: [dn.zeros([2, 5, 1])] }),
      TypeError,
      "initialState[0]",
    );
    assertThrows(
      () => lstm(x, k, r, { bias: dn.zeros([21]) }),
      RangeError,
      'argument "bias" must have shape [20]',
    );
    assertThrows(
      () => gru(x, dn.zeros([4, 15]), dn.zeros([5, 15]), { bias: dn.zeros([15]) }),
      TypeError,
      'argument "bias" must have rank 2',
    );
    assertThrows(
      () => lstm(x, k, r, { truncate: 0 }),
      RangeError,
      'argument "truncate" must be a positive integer',
    );
    assertThrows(
      () => lstm(x, k, r, { returnSequences: 1 as unknown as boolean }),
      TypeError,
      '"returnSequences" must be a boolean',
    );
    assertThrows(
      () => simpleRnn(x, dn.zeros([4, 5]), dn.zeros([5, 5]), { activation: "softmax" as "tanh" }),
      TypeError,
      'argument "activation" must be one of',
    );
    assertThrows(
      () => lstm(dn.zeros([2, 0, 4]), k, r),
      RangeError,
      "at least one sample and one step",
    );
    assertThrows(
      () => lstm(x, "k" as unknown as dn.Tensor, r),
      TypeError,
      'argument "kernel" must be a Tensor',
    );
  });
});

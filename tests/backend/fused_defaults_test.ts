/**
 * The fused primitives' defaults (src/backend/fused_defaults.ts) against the wasm backend's fused
 * kernels: each case runs once through `fused(wasm)` (the kernels) and once through `fused(core)`,
 * where `core` is the same wasm backend with every fused method hidden (so the defaults run), and
 * compares every buffer afterwards (outputs and in-place state alike).
 *
 * Tolerances: the defaults round after every product in the kernels' order, so affine, axpy,
 * clip, the optimizer steps, the dropout mask and the sequence copies are bit for bit equal. The
 * gate defaults use the core's sigmoid and tanh where the gate kernels use their own
 * approximations; each side is within the gate kernels' float64-reference tolerance
 * (tests/kernels/recurrent_test.ts: 16 ε forward, 64 ε backward), so they are within twice that
 * of each other. sumSquares sums in another order: Tol.dot(n).
 */
import { assert, assertEquals } from "../_util/assert.ts";
import { assertClose, Tol, type Tolerance } from "../_util/assert_close.ts";
import { randomF32 } from "../_util/rng.ts";
import type {
  Activation,
  Backend,
  CompleteBackend,
  FusedBackend,
  Storage,
} from "../../src/backend/backend.ts";
import { fused, FUSED_PRIMITIVES, hasOwn } from "../../src/backend/fused_defaults.ts";
import { WasmBackend } from "../../src/backend/wasm/wasm_backend.ts";
import type { WebGpuBackend } from "../../src/backend/webgpu/webgpu_backend.ts";

const EPS32 = 2 ** -24;
const FWD: Tolerance = { rel: 2 * 16 * EPS32, abs: 2 * 16 * EPS32 };
const BWD: Tolerance = { rel: 2 * 64 * EPS32, abs: 2 * 64 * EPS32 };

const wasm = new WasmBackend("plain");

/** The wasm backend without any fused method: its core only. */
function coreOnly(be: WasmBackend): Backend {
  const hidden = new Set<PropertyKey>(FUSED_PRIMITIVES);
  return new Proxy(be, {
    get(target, key) {
      if (hidden.has(key)) return undefined;
      const v = Reflect.get(target, key, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  }) as Backend;
}

const core = coreOnly(wasm);

/** One call of a fused primitive on storages filled with `inputs`. */
interface Case {
  name: string;
  inputs: ArrayLike<number>[];
  tol: Tolerance;
  run(f: FusedBackend, s: Storage[]): void;
}

/** Runs `c` on `be` and reads every storage back. */
function runOn(be: Backend, c: Case): Float32Array[] {
  const s = c.inputs.map((v) => {
    const st = be.alloc(v.length);
    be.write(st, Float32Array.from(v));
    return st;
  });
  c.run(fused(be), s);
  const out = s.map((st, i) => be.readSync(st, c.inputs[i].length));
  for (const st of s) be.free(st);
  return out;
}

function check(c: Case): void {
  const own = runOn(wasm, c), def = runOn(core, c);
  own.forEach((o, i) => assertClose(def[i], o, c.tol, `${c.name}: buffer ${i}`));
}

/** `n` values in [lo, hi], rounded to f32. */
const rand = (n: number, seed: number, lo = -1, hi = 1) =>
  randomF32(n, seed).map((v) => Math.fround(lo + ((v + 1) / 2) * (hi - lo)));
const zeros = (n: number) => new Float64Array(n);

const SIZES = [1, 7, 33, 130];
const ROWS: [batch: number, units: number][] = [[1, 1], [3, 4], [5, 9], [2, 17]];

Deno.test("fused() resolves a backend's own kernels, and the defaults on a core-only backend", () => {
  for (const name of FUSED_PRIMITIVES) {
    assert(hasOwn(wasm, name), `wasm has its own ${name}`);
    assert(!hasOwn(core, name), `the core-only backend lacks ${name}`);
  }
  assertEquals(fused(wasm), fused(wasm));
  assertEquals(FUSED_PRIMITIVES.length, 14);
});

Deno.test("supports() takes the Backend's method names only", () => {
  const be: Backend = wasm;
  assert(be.supports("gemm") && be.supports("lstmGates") && be.supports("readSync"));
  // @ts-expect-error: not a primitive
  be.supports("lstmGate");
  // @ts-expect-error: `name` is no method
  be.supports("name");
  // The shipped backends implement every fused primitive themselves (a compile-time check).
  const complete: (b: WasmBackend | WebGpuBackend) => CompleteBackend = (b) => b;
  assert(complete(wasm) === wasm);
});

Deno.test("defaults of affine, axpy, clip equal the wasm kernels bit for bit", () => {
  for (const n of SIZES) {
    check({
      name: `affine ${n}`,
      inputs: [rand(n, 1, -3, 3), zeros(n)],
      tol: Tol.exact,
      run: (f, [x, y]) => f.affine(x, y, n, 1.7, -0.3),
    });
    check({
      name: `axpy ${n}`,
      inputs: [rand(n, 2), rand(n, 3)],
      tol: Tol.exact,
      run: (f, [x, y]) => f.axpy(x, y, n, -0.45),
    });
    const x = rand(n, 4, -2, 2);
    if (n > 3) x[2] = NaN;
    check({
      name: `clip ${n}`,
      inputs: [x, zeros(n)],
      tol: Tol.exact,
      run: (f, [x, y]) => f.clip(x, y, n, -0.5, 0.75),
    });
  }
});

Deno.test("the default of rbmUpdate matches the wasm kernel within rounding", () => {
  // The kernel sums each batch row's positive and negative products together (fma), the default
  // by two GEMMs and a difference: at most 2·batch terms of size <= 1 differ by rounding.
  for (const [batch, visible, hidden] of [[1, 1, 1], [3, 5, 9], [9, 13, 6]]) {
    const [nv, nh, nw] = [batch * visible, batch * hidden, visible * hidden];
    check({
      name: `rbmUpdate ${batch}x${visible}x${hidden}`,
      inputs: [
        rand(nv, 20, 0, 1),
        rand(nh, 21, 0, 1),
        rand(nv, 22, 0, 1),
        rand(nh, 23, 0, 1),
        rand(nw, 24),
        rand(nw, 25),
        rand(visible, 26),
        rand(visible, 27),
        rand(hidden, 28),
        rand(hidden, 29),
      ],
      tol: FWD,
      run: (f, [vPos, hPos, vNeg, hNeg, w, wVel, vBias, vBiasVel, hBias, hBiasVel]) =>
        f.rbmUpdate({
          vPos,
          hPos,
          vNeg,
          hNeg,
          batch,
          visible,
          hidden,
          w,
          wVel,
          vBias,
          vBiasVel,
          hBias,
          hBiasVel,
          lr: 0.1,
          momentum: 0.5,
          weightDecay: 0.01,
        }),
    });
  }
});

Deno.test("the default of sumSquares matches the wasm kernel within Tol.dot(n)", () => {
  for (const n of SIZES) {
    const x = wasm.alloc(n);
    wasm.write(x, Float32Array.from(rand(n, 5, -3, 3)));
    const own = fused(wasm).sumSquares(x, n), def = fused(core).sumSquares(x, n);
    assertClose([def], [own], Tol.dot(n), `sumSquares ${n}`);
    wasm.free(x);
  }
});

Deno.test("defaults of the optimizer steps equal the wasm kernels bit for bit", () => {
  for (const n of SIZES) {
    const w = rand(n, 6), g = rand(n, 7), m = rand(n, 8), v = rand(n, 9, 0, 1);
    for (const [momentum, nesterov] of [[0, false], [0.9, false], [0.9, true]] as const) {
      check({
        name: `sgd ${n} momentum ${momentum} nesterov ${nesterov}`,
        inputs: [w, g, m],
        tol: Tol.exact,
        run: (f, [w, g, v]) =>
          f.optimizerStep({ op: "sgd", w, g, v, lr: 0.01, momentum, nesterov }, n),
      });
    }
    check({
      name: `adam ${n}`,
      inputs: [w, g, m, v],
      tol: Tol.exact,
      run: (f, [w, g, m, v]) =>
        f.optimizerStep(
          { op: "adam", w, g, m, v, lrT: 0.003, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
          n,
        ),
    });
    check({
      name: `rmsprop ${n}`,
      inputs: [w, g, v],
      tol: Tol.exact,
      run: (f, [w, g, ms]) =>
        f.optimizerStep({ op: "rmsprop", w, g, ms, lr: 0.001, rho: 0.9, epsilon: 1e-7 }, n),
    });
  }
});

Deno.test("the default of dropoutMask equals the wasm kernel bit for bit", () => {
  for (const n of [...SIZES, 1000]) {
    for (const seed of [0, 7, 0xffffffff]) {
      check({
        name: `dropoutMask ${n} seed ${seed}`,
        inputs: [zeros(n)],
        tol: Tol.exact,
        run: (f, [y]) => f.dropoutMask(y, n, seed, 0.3, 1 / 0.7),
      });
    }
  }
});

Deno.test("the default of sequenceTranspose equals the wasm kernel both ways, reversed or not", () => {
  for (const [batch, steps, inner] of [[1, 1, 1], [3, 4, 5], [2, 7, 3]]) {
    const n = batch * steps * inner;
    for (const toTimeMajor of [true, false]) {
      for (const reverse of [false, true]) {
        check({
          name: `sequenceTranspose ${batch}x${steps}x${inner} ${toTimeMajor} ${reverse}`,
          inputs: [rand(n, 10), zeros(n)],
          tol: Tol.exact,
          run: (f, [x, y]) => f.sequenceTranspose(x, y, batch, steps, inner, toTimeMajor, reverse),
        });
      }
    }
  }
});

Deno.test("defaults of lstmGates and its backward match the wasm kernels", () => {
  for (const [batch, units] of ROWS) {
    const n = batch * units, n4 = 4 * n;
    check({
      name: `lstmGates ${batch}x${units}`,
      inputs: [
        rand(n4, 11, -2, 2),
        rand(n4, 12, -2, 2),
        rand(n, 13),
        zeros(n),
        zeros(n),
        zeros(n4),
      ],
      tol: FWD,
      run: (f, [xw, hu, cPrev, c, h, gates]) =>
        f.lstmGates({ batch, units, xw, hu, cPrev, c, h, gates }),
    });
    check({
      name: `lstmGates in place ${batch}x${units}`,
      inputs: [rand(n4, 14, -2, 2), rand(n4, 15, -2, 2), rand(n, 16), zeros(n)],
      tol: FWD,
      run: (f, [xw, hu, c, h]) => f.lstmGates({ batch, units, xw, hu, cPrev: c, c, h, gates: xw }),
    });
    const gates = rand(n4, 17, 0, 1);
    check({
      name: `lstmGatesBackward ${batch}x${units}`,
      inputs: [rand(n, 18), rand(n, 19), gates, rand(n, 20), rand(n, 21), zeros(n4)],
      tol: BWD,
      run: (f, [dh, dc, gates, cPrev, c, dz]) =>
        f.lstmGatesBackward({ batch, units, dh, dc, gates, cPrev, c, dz }),
    });
  }
});

Deno.test("defaults of gruGates and its backward match the wasm kernels", () => {
  for (const [batch, units] of ROWS) {
    const n = batch * units, n3 = 3 * n, n4 = 4 * n;
    check({
      name: `gruGates ${batch}x${units}`,
      inputs: [rand(n3, 22, -2, 2), rand(n3, 23, -2, 2), rand(n, 24), zeros(n), zeros(n4)],
      tol: FWD,
      run: (f, [xw, hu, hPrev, h, saved]) => f.gruGates({ batch, units, xw, hu, hPrev, h, saved }),
    });
    for (const withPrev of [true, false]) {
      check({
        name: `gruGatesBackward ${batch}x${units} dhPrev ${withPrev}`,
        inputs: [rand(n, 25), rand(n4, 26, 0, 1), rand(n, 27), zeros(n3), zeros(n3), rand(n, 28)],
        tol: BWD,
        run: (f, [dh, saved, hPrev, dxw, dhu, dhPrev]) =>
          f.gruGatesBackward({
            batch,
            units,
            dh,
            saved,
            hPrev,
            dxw,
            dhu,
            dhPrev: withPrev ? dhPrev : null,
          }),
      });
    }
  }
});

Deno.test("defaults of rnnGates and its backward match the wasm kernels for every activation", () => {
  const acts: Activation[] = ["linear", "relu", "sigmoid", "tanh"];
  for (const [batch, units] of ROWS) {
    const n = batch * units;
    for (const act of acts) {
      check({
        name: `rnnGates ${act} ${batch}x${units}`,
        inputs: [rand(n, 29, -2, 2), rand(n, 30, -2, 2), zeros(n)],
        tol: FWD,
        run: (f, [xw, hu, h]) => f.rnnGates(xw, hu, h, act, batch, units),
      });
      const h = rand(n, 31, act === "relu" || act === "sigmoid" ? 0 : -1, 1);
      check({
        name: `rnnGatesBackward ${act} ${batch}x${units}`,
        inputs: [rand(n, 32), h, zeros(n)],
        tol: BWD,
        run: (f, [dh, h, dz]) => f.rnnGatesBackward(dh, h, dz, act, batch, units),
      });
    }
  }
});

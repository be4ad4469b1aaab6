/**
 * The defaults of the fused primitives ({@linkcode FusedBackend}), each composed from the core
 * primitives only ({@linkcode CoreBackend}), and `fused()`, through which ops call them: the
 * backend's own kernel when it has one, else the default here. A new backend can so come up with
 * the core alone and add fused kernels one at a time (as burn's op traits do).
 *
 * The defaults compute the same formulas as the kernels in assembly/ (rounding after every
 * product, the same operand order), with the core's own elementwise functions, so they differ
 * from a fused kernel only where the kernel uses another algorithm (the gates' sigmoid and tanh,
 * `sumSquares`' summation order) or fma. Gate kernels work on rows of `k·units` made of k gate
 * blocks; the defaults first copy those into gate-major `[k, batch, units]` buffers through a
 * strided `binary` (`x·1`, exact), so every gate is one contiguous block.
 *
 * @module
 */
import type {
  Activation,
  Backend,
  BroadcastPlan,
  CoreBackend,
  FusedBackend,
  FusedPrimitive,
  GruGatesArgs,
  GruGatesBackwardArgs,
  LstmGatesArgs,
  LstmGatesBackwardArgs,
  Storage,
  UnaryOp,
} from "./backend.ts";

/** A default: the fused primitive's arguments after the backend it composes on. */
type Default<K extends FusedPrimitive> = (
  be: CoreBackend,
  ...args: Parameters<FusedBackend[K]>
) => ReturnType<FusedBackend[K]>;

/** `n` elements of `a` op `b`, both contiguous. */
const flat = (n: number): BroadcastPlan => ({
  dims: [1, 1, 1, n],
  aStrides: [0, 0, 0, 1],
  bStrides: [0, 0, 0, 1],
});

/** `n` elements of `a` op the scalar `b`. */
const byScalar = (n: number): BroadcastPlan => ({
  dims: [1, 1, 1, n],
  aStrides: [0, 0, 0, 1],
  bStrides: [0, 0, 0, 0],
});

/** The scalar `a` op `n` elements of `b`. */
const scalarBy = (n: number): BroadcastPlan => ({
  dims: [1, 1, 1, n],
  aStrides: [0, 0, 0, 0],
  bStrides: [0, 0, 0, 1],
});

/**
 * Temporaries of one default call: scalars and buffers, freed together by `done()`. Freeing while
 * recorded work still reads them is safe on every backend (webgpu keeps the order of its pool).
 */
class Scratch {
  readonly #held: Storage[] = [];
  constructor(readonly be: CoreBackend) {}

  buffer(size: number): Storage {
    const s = this.be.alloc(size);
    this.#held.push(s);
    return s;
  }

  scalar(value: number): Storage {
    const s = this.buffer(1);
    this.be.fill(s, value, 1);
    return s;
  }

  /** Window `k` of `size` floats of `s`. */
  block(s: Storage, k: number, size: number): Storage {
    return this.be.subarray(s, k * size, size);
  }

  done(): void {
    for (const s of this.#held) this.be.free(s);
  }
}

/** `y = a·b` elementwise over `n`. */
function mul(be: CoreBackend, a: Storage, b: Storage, y: Storage, n: number): void {
  be.binary("mul", a, b, y, flat(n));
}

/** `y = 1 - x` over `n` (`one` a scalar holding 1). */
function oneMinus(be: CoreBackend, one: Storage, x: Storage, y: Storage, n: number): void {
  be.binary("sub", one, x, y, scalarBy(n));
}

/**
 * Copies `x` viewed as `[rows, k, units]` (k gate blocks per row) to gate-major `[k, rows, units]`
 * (`toGateMajor`), or back. A strided `x·1`: exact, NaN and -0 kept.
 */
function regroup(
  s: Scratch,
  x: Storage,
  y: Storage,
  rows: number,
  k: number,
  units: number,
  toGateMajor: boolean,
): void {
  const n = rows * units;
  const plan: BroadcastPlan = toGateMajor
    ? { dims: [1, k, rows, units], aStrides: [0, units, k * units, 1], bStrides: [0, 0, 0, 0] }
    : { dims: [1, rows, k, units], aStrides: [0, units, n, 1], bStrides: [0, 0, 0, 0] };
  s.be.binary("mul", x, s.scalar(1), y, plan);
}

/** The lowbias32 integer hash of assembly/random.ts. */
function mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** The mask of assembly/random.ts computed in JS (integer steps: the same bits) and written. */
const dropoutMask: Default<"dropoutMask"> = (be, y, size, seed, rate, keep) => {
  const s = mix(seed >>> 0), r = Math.fround(rate);
  const mask = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const u = (mix((i ^ s) >>> 0) >>> 8) * 2 ** -24;
    mask[i] = u < r ? 0 : keep;
  }
  be.write(y, mask);
};

const affine: Default<"affine"> = (be, x, y, size, scale, shift) => {
  if (size === 0) return;
  const s = new Scratch(be);
  be.binary("mul", x, s.scalar(scale), y, byScalar(size));
  be.binary("add", y, s.scalar(shift), y, byScalar(size));
  s.done();
};

/** `max(x, lo)` is a max-reduction over `[x, lo]` stacked; `min(t, hi) = -max(-t, -hi)`. */
const clip: Default<"clip"> = (be, x, y, size, lo, hi) => {
  if (size === 0) return;
  const s = new Scratch(be);
  const stack = s.buffer(2 * size), low = s.block(stack, 0, size), high = s.block(stack, 1, size);
  be.copy(x, 0, stack, 0, size);
  be.fill(high, lo, size);
  be.reduce("max", stack, y, 1, 2, size, 1);
  be.unary("neg", y, low, size);
  be.fill(high, -hi, size);
  be.reduce("max", stack, y, 1, 2, size, 1);
  be.unary("neg", y, y, size);
  s.done();
};

const axpy: Default<"axpy"> = (be, x, y, size, a) => {
  if (size === 0) return;
  const s = new Scratch(be);
  const ax = s.buffer(size);
  be.binary("mul", x, s.scalar(a), ax, byScalar(size));
  be.binary("add", y, ax, y, flat(size));
  s.done();
};

/**
 * The CD statistics by two GEMMs (`vPosᵀ·hPos` and `vNegᵀ·hNeg`, then their difference: the
 * kernel sums positive and negative terms together, so the two differ by rounding), the biases'
 * by a subtraction and a column sum; then the momentum step of assembly/rbm.ts, op by op.
 */
const rbmUpdate: Default<"rbmUpdate"> = (be, p) => {
  const { batch, visible, hidden } = p;
  if (batch === 0) return;
  const s = new Scratch(be), scale = 1 / batch;
  const scaled = (x: Storage, c: number, y: Storage, n: number) =>
    be.binary("mul", x, s.scalar(c), y, byScalar(n));
  const momentumStep = (g: Storage, w: Storage, vel: Storage, n: number, decay: number) => {
    const t = s.buffer(n);
    if (decay !== 0) {
      scaled(w, decay, t, n);
      be.binary("sub", g, t, g, flat(n));
    }
    scaled(g, p.lr, g, n);
    scaled(vel, p.momentum, vel, n);
    be.binary("add", vel, g, vel, flat(n));
    be.binary("add", w, vel, w, flat(n));
  };
  const n = visible * hidden;
  if (n > 0) {
    const pos = s.buffer(n), neg = s.buffer(n);
    const stats = (v: Storage, h: Storage, c: Storage) =>
      be.gemm({
        a: v,
        b: h,
        c,
        m: visible,
        n: hidden,
        k: batch,
        transA: true,
        transB: false,
        bias: null,
        activation: "linear",
        beta: 0,
      });
    stats(p.vPos, p.hPos, pos);
    stats(p.vNeg, p.hNeg, neg);
    be.binary("sub", pos, neg, pos, flat(n));
    scaled(pos, scale, pos, n);
    momentumStep(pos, p.w, p.wVel, n, p.weightDecay);
  }
  const bias = (pos: Storage, neg: Storage, units: number, b: Storage, vel: Storage) => {
    if (units === 0) return;
    const d = s.buffer(batch * units), g = s.buffer(units);
    be.binary("sub", pos, neg, d, flat(batch * units));
    be.reduce("sum", d, g, 1, batch, units, 1);
    scaled(g, scale, g, units);
    momentumStep(g, b, vel, units, 0);
  };
  bias(p.vPos, p.vNeg, visible, p.vBias, p.vBiasVel);
  bias(p.hPos, p.hNeg, hidden, p.hBias, p.hBiasVel);
  s.done();
};

/** Read back and summed in float64 in index order (so it needs `readSync`). */
const sumSquares: Default<"sumSquares"> = (be, x, size) => {
  const v = be.readSync(x, size);
  let sum = 0;
  for (let i = 0; i < size; i++) sum += v[i] * v[i];
  return sum;
};

/** The steps of assembly/optim.ts, one core call per operation. */
const optimizerStep: Default<"optimizerStep"> = (be, step, size) => {
  if (size === 0) return;
  const s = new Scratch(be), f = Math.fround, n = size;
  const t = s.buffer(n), u = s.buffer(n);
  const scaled = (x: Storage, c: number, y: Storage) =>
    be.binary("mul", x, s.scalar(c), y, byScalar(n));
  const { w, g } = step;
  if (step.op === "sgd") {
    scaled(g, step.lr, t); // lr·g
    if (step.momentum === 0) be.binary("sub", w, t, w, flat(n));
    else {
      const v = step.v!;
      scaled(v, step.momentum, v);
      be.binary("sub", v, t, v, flat(n));
      if (step.nesterov) {
        scaled(v, step.momentum, u);
        be.binary("sub", u, t, u, flat(n));
        be.binary("add", w, u, w, flat(n));
      } else be.binary("add", w, v, w, flat(n));
    }
  } else if (step.op === "adam") {
    const { m, v } = step;
    scaled(m, step.beta1, m);
    scaled(g, f(1 - f(step.beta1)), t);
    be.binary("add", m, t, m, flat(n));
    mul(be, g, g, t, n);
    scaled(t, f(1 - f(step.beta2)), t);
    scaled(v, step.beta2, v);
    be.binary("add", v, t, v, flat(n));
    scaled(m, step.lrT, t);
    descend(be, s, w, t, v, u, step.epsilon, n);
  } else {
    const { ms } = step;
    mul(be, g, g, t, n);
    scaled(t, f(1 - f(step.rho)), t);
    scaled(ms, step.rho, ms);
    be.binary("add", ms, t, ms, flat(n));
    scaled(g, step.lr, t);
    descend(be, s, w, t, ms, u, step.epsilon, n);
  }
  s.done();
};

/** `w -= step / (sqrt(second) + eps)`; `step` is overwritten, `tmp` is scratch. */
function descend(
  be: CoreBackend,
  s: Scratch,
  w: Storage,
  step: Storage,
  second: Storage,
  tmp: Storage,
  eps: number,
  n: number,
): void {
  be.unary("sqrt", second, tmp, n);
  be.binary("add", tmp, s.scalar(eps), tmp, byScalar(n));
  be.binary("div", step, tmp, step, flat(n));
  be.binary("sub", w, step, w, flat(n));
}

/** `i, f, g, o` from `xw + hu`; `c = f·cPrev + i·g`, `h = o·tanh(c)` (recurrent.ts's equations). */
const lstmGates: Default<"lstmGates"> = (be, p: LstmGatesArgs) => {
  const n = p.batch * p.units;
  if (n === 0) return;
  const s = new Scratch(be);
  const z = s.buffer(4 * n), t = s.buffer(2 * n);
  const [i, f, g, o] = [0, 1, 2, 3].map((k) => s.block(z, k, n));
  const [fc, ig] = [0, 1].map((k) => s.block(t, k, n));
  const gateMajor: BroadcastPlan = {
    dims: [1, 4, p.batch, p.units],
    aStrides: [0, p.units, 4 * p.units, 1],
    bStrides: [0, p.units, 4 * p.units, 1],
  };
  be.binary("add", p.xw, p.hu, z, gateMajor);
  be.unary("sigmoid", i, i, n);
  be.unary("sigmoid", f, f, n);
  be.unary("tanh", g, g, n);
  be.unary("sigmoid", o, o, n);
  mul(be, f, p.cPrev, fc, n);
  mul(be, i, g, ig, n);
  be.binary("add", fc, ig, fc, flat(n));
  be.unary("tanh", fc, ig, n);
  mul(be, o, ig, p.h, n);
  be.copy(fc, 0, p.c, 0, n); // c may be cPrev and gates may be xw: both are written last
  regroup(s, z, p.gates, p.batch, 4, p.units, false);
  s.done();
};

/** assembly/recurrent.ts's f32_lstm_gates_bwd, one core call per operation. */
const lstmGatesBackward: Default<"lstmGatesBackward"> = (be, p: LstmGatesBackwardArgs) => {
  const n = p.batch * p.units;
  if (n === 0) return;
  const s = new Scratch(be), one = s.scalar(1);
  const gm = s.buffer(4 * n), dz = s.buffer(4 * n), tc = s.buffer(n), dC = s.buffer(n);
  const a = s.buffer(n), b = s.buffer(n);
  const [i, f, g, o] = [0, 1, 2, 3].map((k) => s.block(gm, k, n));
  const dzk = (k: number) => s.block(dz, k, n);
  regroup(s, p.gates, gm, p.batch, 4, p.units, true);
  be.unary("tanh", p.c, tc, n);
  // dC = dc + dh·o·(1 - tanh²(c))
  mul(be, p.dh, o, a, n);
  mul(be, tc, tc, b, n);
  oneMinus(be, one, b, b, n);
  mul(be, a, b, a, n);
  be.binary("add", p.dc, a, dC, flat(n));
  /** `dz_k = (x·y)·(1 - v)·w`, in the kernel's order: `(x·y)·(w·(1 - v))`. */
  const gate = (k: number, x: Storage, y: Storage, v: Storage, w: Storage | null) => {
    mul(be, x, y, a, n);
    if (w) {
      oneMinus(be, one, v, b, n);
      mul(be, w, b, b, n);
    } else {
      mul(be, v, v, b, n);
      oneMinus(be, one, b, b, n);
    }
    mul(be, a, b, dzk(k), n);
  };
  gate(0, dC, g, i, i);
  gate(1, dC, p.cPrev, f, f);
  gate(2, dC, i, g, null);
  gate(3, p.dh, tc, o, o);
  mul(be, dC, f, p.dc, n);
  regroup(s, dz, p.dz, p.batch, 4, p.units, false);
  s.done();
};

/** `z, r` from `xw + hu`; `ĥ = tanh(xw_h + r·hu_h)`; `h = z·hPrev + (1 - z)·ĥ`. */
const gruGates: Default<"gruGates"> = (be, p: GruGatesArgs) => {
  const { batch, units } = p, n = batch * units;
  if (n === 0) return;
  const s = new Scratch(be);
  // saved, gate-major: z, r, ĥ, hu_h.
  const sv = s.buffer(4 * n), xh = s.buffer(n), a = s.buffer(n);
  const [z, r, hh, uh] = [0, 1, 2, 3].map((k) => s.block(sv, k, n));
  // Gate blocks of [batch, 3·units] rows, gate-major; b strided alike, or a scalar.
  const rows = (k: number, bToo: boolean): BroadcastPlan => ({
    dims: [1, k, batch, units],
    aStrides: [0, units, 3 * units, 1],
    bStrides: bToo ? [0, units, 3 * units, 1] : [0, 0, 0, 0],
  });
  be.binary("add", p.xw, p.hu, s.block(sv, 0, 2 * n), rows(2, true));
  be.unary("sigmoid", s.block(sv, 0, 2 * n), s.block(sv, 0, 2 * n), 2 * n);
  const third = (x: Storage) => be.subarray(x, 2 * units, (3 * batch - 2) * units);
  const one = s.scalar(1);
  be.binary("mul", third(p.hu), one, uh, rows(1, false));
  be.binary("mul", third(p.xw), one, xh, rows(1, false));
  mul(be, r, uh, hh, n);
  be.binary("add", xh, hh, hh, flat(n));
  be.unary("tanh", hh, hh, n);
  mul(be, z, p.hPrev, a, n);
  oneMinus(be, one, z, xh, n);
  mul(be, xh, hh, xh, n);
  be.binary("add", a, xh, p.h, flat(n));
  regroup(s, sv, p.saved, batch, 4, units, false);
  s.done();
};

/** assembly/recurrent.ts's f32_gru_gates_bwd, one core call per operation. */
const gruGatesBackward: Default<"gruGatesBackward"> = (be, p: GruGatesBackwardArgs) => {
  const { batch, units } = p, n = batch * units;
  if (n === 0) return;
  const s = new Scratch(be), one = s.scalar(1);
  const sv = s.buffer(4 * n), d = s.buffer(3 * n), a = s.buffer(n), b = s.buffer(n);
  const [z, r, hh, uh] = [0, 1, 2, 3].map((k) => s.block(sv, k, n));
  const [dz, dr, dhh] = [0, 1, 2].map((k) => s.block(d, k, n));
  regroup(s, p.saved, sv, batch, 4, units, true);
  // dz = (dh·(hPrev - ĥ))·(z·(1 - z))
  be.binary("sub", p.hPrev, hh, a, flat(n));
  mul(be, p.dh, a, a, n);
  oneMinus(be, one, z, b, n);
  mul(be, z, b, b, n);
  mul(be, a, b, dz, n);
  // dĥ = (dh·(1 - z))·(1 - ĥ²)
  oneMinus(be, one, z, a, n);
  mul(be, p.dh, a, a, n);
  mul(be, hh, hh, b, n);
  oneMinus(be, one, b, b, n);
  mul(be, a, b, dhh, n);
  // dr = (dĥ·hu_h)·(r·(1 - r))
  mul(be, dhh, uh, a, n);
  oneMinus(be, one, r, b, n);
  mul(be, r, b, b, n);
  mul(be, a, b, dr, n);
  regroup(s, d, p.dxw, batch, 3, units, false);
  mul(be, dhh, r, dhh, n);
  regroup(s, d, p.dhu, batch, 3, units, false);
  if (p.dhPrev) {
    mul(be, p.dh, z, a, n);
    be.binary("add", p.dhPrev, a, p.dhPrev, flat(n));
  }
  s.done();
};

/** The unary op of a simple RNN activation, or null for linear. */
function rnnUnary(activation: Activation): (UnaryOp & ("relu" | "sigmoid" | "tanh")) | null {
  if (activation === "linear") return null;
  if (activation === "relu" || activation === "sigmoid" || activation === "tanh") {
    return activation;
  }
  throw new TypeError(
    `Cannot run rnnGates(): activation "${activation}" has no default composed from the core primitives`,
  );
}

const rnnGates: Default<"rnnGates"> = (be, xw, hu, h, activation, batch, units) => {
  const n = batch * units, op = rnnUnary(activation);
  if (n === 0) return;
  be.binary("add", xw, hu, h, flat(n));
  if (op) be.unary(op, h, h, n);
};

/** relu's derivative from its output equals the one from its input (`h > 0` iff `z > 0`). */
const rnnGatesBackward: Default<"rnnGatesBackward"> = (be, dh, h, dz, activation, batch, units) => {
  const n = batch * units, op = rnnUnary(activation);
  if (n === 0) return;
  if (op) be.unaryBackward(op, dh, h, dz, n);
  else be.copy(dh, 0, dz, 0, n);
};

/** A row permutation: one `gather` over an int32 index list written from JS. */
const sequenceTranspose: Default<"sequenceTranspose"> = (
  be,
  x,
  y,
  batch,
  steps,
  inner,
  toTimeMajor,
  reverse,
) => {
  const rows = batch * steps;
  if (rows * inner === 0) return;
  const index = new Int32Array(rows);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < steps; t++) {
      const u = reverse ? steps - 1 - t : t; // batch-major step t <-> time-major step u
      if (toTimeMajor) index[u * batch + b] = b * steps + t;
      else index[b * steps + t] = u * batch + b;
    }
  }
  const s = new Scratch(be), idx = s.buffer(rows);
  be.write(idx, new Float32Array(index.buffer));
  be.gather(x, idx, y, { outer: 1, len: rows, inner, n: rows, floatIndices: false });
  s.done();
};

/** Every fused primitive's default (the mapped type keeps the list exhaustive). */
export const FUSED_DEFAULTS: { readonly [K in FusedPrimitive]: Default<K> } = {
  dropoutMask,
  rbmUpdate,
  affine,
  optimizerStep,
  clip,
  axpy,
  sumSquares,
  lstmGates,
  lstmGatesBackward,
  gruGates,
  gruGatesBackward,
  rnnGates,
  rnnGatesBackward,
  sequenceTranspose,
};

/** The fused primitives' names. */
export const FUSED_PRIMITIVES = Object.keys(FUSED_DEFAULTS) as readonly FusedPrimitive[];

const resolved = new WeakMap<Backend, FusedBackend>();

/**
 * The fused primitives of `be`: its own kernel where it has one, else the default composed from
 * its core (resolved once per backend).
 *
 * @param be The backend.
 * @returns Every fused primitive, callable.
 */
export function fused(be: Backend): FusedBackend {
  let f = resolved.get(be);
  if (!f) {
    const table: Record<string, unknown> = {};
    for (const name of FUSED_PRIMITIVES) {
      const own = be[name] as ((...args: unknown[]) => unknown) | undefined;
      const fallback = FUSED_DEFAULTS[name] as (b: CoreBackend, ...args: unknown[]) => unknown;
      table[name] = own ? own.bind(be) : (...args: unknown[]) => fallback(be, ...args);
    }
    f = table as unknown as FusedBackend;
    resolved.set(be, f);
  }
  return f;
}

/** Whether `be` runs `name` with its own kernel (not a default). */
export function hasOwn(be: Backend, name: FusedPrimitive): boolean {
  return typeof be[name] === "function";
}

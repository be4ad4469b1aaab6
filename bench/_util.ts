/**
 * Helpers shared by the `bench/*_bench.ts` files (STYLE C15).
 *
 * `deno bench` reports time per iteration but offers no hook to derive a rate from its own
 * numbers, so a bench that wants GFLOP/s wraps its function with {@linkcode timed}: each call the
 * bench runner makes (warm-up included) is timed with `performance.now()`, and when the process
 * unloads a table of the median time and `flops / median` is printed under the `deno bench`
 * table. Both tables therefore come from the same calls in the same process; the median keeps the
 * warm-up calls and stray GC pauses from moving the rate. The group name also states the work per
 * call, so the `deno bench` table can be checked by hand. A/B files can also ask for an
 * interleaved pass ({@linkcode comparePaired}), which is the number to quote for "x faster than
 * the baseline" on a machine shared with other work, together with the same ratio between the
 * fastest fifth of each side's calls ({@linkcode QUIET}).
 *
 * @module
 */
import type { Backend } from "../src/backend/backend.ts";

/** Deterministic values in [-1, 1) times `scale` (an LCG), so every run uses the same inputs. */
export function values(size: number, seed: number, scale = 1): Float32Array {
  const out = new Float32Array(size);
  let s = seed >>> 0;
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 31 - 1) * scale;
  }
  return out;
}

/** A GEMM of random m x k and k x n operands on backend `b`, as a function to time. */
export function backendGemm(b: Backend, m: number, n: number, k: number): () => void {
  const [a, bb, c] = [b.alloc(m * k), b.alloc(k * n), b.alloc(m * n)];
  b.write(a, values(m * k, 1 + m));
  b.write(bb, values(k * n, 2 + n));
  return () =>
    b.gemm({
      a,
      b: bb,
      c,
      m,
      n,
      k,
      transA: false,
      transB: false,
      bias: null,
      activation: "linear",
      beta: 0,
    });
}

/**
 * Throws when dendrite's and tfjs's results are not the same computation. A sanity check that a
 * bench compares like with like (layout, shape), not an accuracy test (tests/ does that): with
 * inputs below 1 in magnitude every output is a sum of at most `k` terms below 1, and 1e-5·k is
 * far above float32 summation-order noise.
 */
export function checkAgree(
  what: string,
  got: Float32Array,
  want: ArrayLike<number>,
  k: number,
): void {
  const tol = 1e-5 * k;
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
  if (!(worst <= tol) || got.length !== want.length) {
    throw new Error(`${what}: dendrite and tfjs disagree: max |diff| ${worst} > ${tol}`);
  }
}

/** Floating-point operations of one `[m, k] · [k, n]` product: a multiply and an add per term. */
export function gemmFlops(m: number, n: number, k: number): number {
  return 2 * m * n * k;
}

/** Rate in GFLOP/s of `flops` operations done in `ms` milliseconds. */
export function gflops(flops: number, ms: number): number {
  return flops / (ms * 1e6);
}

/** `deno bench` group name for a GEMM shape, e.g. `"gemm 64x512x784 (0.051 GFLOP)"`. */
export function gemmGroup(m: number, n: number, k: number): string {
  return `gemm ${m}x${n}x${k} (${(gemmFlops(m, n, k) / 1e9).toFixed(3)} GFLOP)`;
}

/** One row of {@linkcode printTable}: column name to cell. */
export type Row = Record<string, string | number>;

/**
 * Prints `rows` as a Markdown table; columns are the keys of all rows in first-seen order (a row
 * without a key shows an empty cell), and columns whose cells are all numeric are right-aligned.
 */
export function printTable(rows: readonly Row[], title?: string): void {
  if (rows.length === 0) return;
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cells = rows.map((r) => cols.map((c) => String(r[c] ?? "")));
  const width = cols.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const right = cols.map((_, i) => cells.every((r) => r[i] !== "" && !isNaN(Number(r[i]))));
  const line = (r: string[]) =>
    `| ${r.map((s, i) => right[i] ? s.padStart(width[i]) : s.padEnd(width[i])).join(" | ")} |`;
  const out = [line(cols), `| ${width.map((w) => "-".repeat(w)).join(" | ")} |`];
  for (const r of cells) out.push(line(r));
  if (title) out.unshift("", title);
  console.log(out.join("\n"));
}

interface Series {
  group: string;
  name: string;
  flops: number;
  fn: () => void;
  ms: number[];
}

const series: Series[] = [];
let pairedRounds = 0;
let pairedRoundMs = 50;

/**
 * Wraps `fn` so that every call is timed and reported, at unload, as GFLOP/s.
 *
 * @param group The `deno bench` group the function runs in.
 * @param name The `deno bench` name of the function.
 * @param flops Floating-point operations done by one call.
 * @param fn The function to time; it must finish its work before returning (read results back).
 * @returns `fn`, timed.
 */
export function timed(group: string, name: string, flops: number, fn: () => void): () => void {
  if (series.length === 0) globalThis.addEventListener("unload", report);
  const s: Series = { group, name, flops, fn, ms: [] };
  series.push(s);
  return () => {
    const t0 = performance.now();
    fn();
    s.ms.push(performance.now() - t0);
  };
}

/**
 * Asks for a second, interleaved pass at unload: for each group that ran two or more functions,
 * `rounds` rounds call each function in turn for at least `roundMs` milliseconds, and the table
 * gives each function's median GFLOP/s and its median per-round speed relative to the group's
 * first function (the baseline), then the QUIET quantile of its single calls and that quantile's
 * ratio to the baseline's.
 *
 * `deno bench` runs one function to completion before the next, so on a shared or throttling
 * machine a slow spell can land on one side of a comparison; alternating rounds spread it over
 * both. Use it for A-vs-B files (GEMM against tfjs), not for single-implementation files.
 */
export function comparePaired(rounds = 10, roundMs = 50): void {
  pairedRounds = rounds;
  pairedRoundMs = roundMs;
}

/**
 * The quantile of single-call times the "p20" columns give: the time a call takes when the host
 * leaves the process alone. On the shared 2-vCPU VM, other work takes one of the two cores for
 * seconds at a time, unannounced; a two-thread call run then takes about as long as one thread's
 * call, so medians move with the host's load (a LeNet-5 step on 2 threads: p20 3.9-4.0 ms,
 * median 4.9-5.2 ms in the same runs; on 1 thread p20 6.8-7.0 ms, median 7.0-7.4 ms). Both sides
 * of a ratio use the same quantile, of calls interleaved round by round.
 */
export const QUIET = 0.2;

/** Column label of the QUIET quantile ("p20"). */
export const QUIET_LABEL = `p${Math.round(QUIET * 100)}`;

/** The `q` quantile of `xs` (nearest rank, 0 <= q <= 1). */
export function quantile(xs: readonly number[], q: number): number {
  const s = xs.toSorted((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/** The median of `xs` (the mean of the middle two for an even count). */
export function median(xs: number[]): number {
  const s = xs.toSorted((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** A function timed in rounds: each round's mean call time, and every call's time. */
export interface Rounds {
  /** Milliseconds per call, one entry per round. */
  means: number[];
  /** Milliseconds of every single call, all rounds together. */
  calls: number[];
}

/** Empty {@linkcode Rounds}. */
export function rounds(): Rounds {
  return { means: [], calls: [] };
}

/** Times one round into `into`: calls `fn` for at least `budgetMs` (and at least once). */
export function timeRound(into: Rounds, fn: () => void, budgetMs: number): void {
  const t0 = performance.now();
  let t = t0, calls = 0;
  do {
    fn();
    const now = performance.now();
    into.calls.push(now - t);
    t = now;
    calls++;
  } while (t - t0 < budgetMs);
  into.means.push((t - t0) / calls);
}

function report(): void {
  const ran = series.filter((s) => s.ms.length > 0);
  printTable(
    ran.map((s) => {
      const ms = median(s.ms);
      return {
        group: s.group,
        name: s.name,
        calls: s.ms.length,
        "median ms": ms.toFixed(4),
        "GFLOP/s": gflops(s.flops, ms).toFixed(2),
      };
    }),
    "GFLOP/s (median of the timed calls above)",
  );
  if (pairedRounds === 0) return;
  const rows: Row[] = [];
  for (const group of new Set(ran.map((s) => s.group))) {
    const members = ran.filter((s) => s.group === group);
    if (members.length < 2) continue;
    const timed = members.map(rounds);
    for (let r = 0; r < pairedRounds; r++) {
      members.forEach((s, i) => timeRound(timed[i], s.fn, pairedRoundMs));
    }
    const ms = timed.map((t) => t.means);
    const quiet = timed.map((t) => quantile(t.calls, QUIET));
    members.forEach((s, i) => {
      rows.push({
        group,
        name: s.name,
        "median ms": median(ms[i]).toFixed(4),
        "GFLOP/s": gflops(s.flops, median(ms[i])).toFixed(2),
        "x baseline": median(ms[i].map((t, r) => ms[0][r] / t)).toFixed(2),
        [`${QUIET_LABEL} ms`]: quiet[i].toFixed(4),
        [`x baseline, ${QUIET_LABEL}`]: (quiet[0] / quiet[i]).toFixed(2),
      });
    });
  }
  printTable(
    rows,
    `Interleaved pass: ${pairedRounds} rounds of >= ${pairedRoundMs} ms per function; ` +
      `${QUIET_LABEL}: ${QUIET} quantile of single calls`,
  );
}

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
 * the baseline" on a machine shared with other work; given a core probe (bench/_cores.ts), it
 * also gives that ratio over the rounds the machine ran on two free cores.
 *
 * @module
 */
import type { CoreProbe } from "./_cores.ts";

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
let pairedProbe: CoreProbe | null = null;

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
 * first function (the baseline).
 *
 * `deno bench` runs one function to completion before the next, so on a shared or throttling
 * machine a slow spell can land on one side of a comparison; alternating rounds spread it over
 * both. Use it for A-vs-B files (GEMM against tfjs), not for single-implementation files.
 *
 * With `probe`, each round is bracketed by core probes and the table adds each function's median
 * ratio over the rounds that probed at TWO_FREE_CORES or more (threads against one thread: a round
 * run while two threads of pure FMA work ran at one thread's rate measures the host, not the
 * code).
 */
export function comparePaired(rounds = 10, roundMs = 50, probe?: CoreProbe): void {
  pairedRounds = rounds;
  pairedRoundMs = roundMs;
  pairedProbe = probe ?? null;
}

/**
 * Least probe scaling (bench/_cores.ts) before and after a round for the round to count as run on
 * two free cores. Quiet minutes on the 2-core VM probe at 1.75-2.0; a busy one at about 1.0.
 */
export const TWO_FREE_CORES = 1.7;

/**
 * Probes the cores around one round: the smaller scaling of the probes before and after `round`,
 * or NaN without a probe.
 */
export function probed(probe: CoreProbe | null, round: () => void): number {
  const before = probe?.scaling() ?? NaN;
  round();
  return Math.min(before, probe?.scaling() ?? NaN);
}

/**
 * The median of per-round `ratios` over the rounds whose `cores` probe reached TWO_FREE_CORES,
 * as "1.84 (7/10)", or "" when no round was probed.
 */
export function onTwoFreeCores(ratios: number[], cores: number[]): string {
  if (cores.every(Number.isNaN)) return "";
  const kept = ratios.filter((_, r) => cores[r] >= TWO_FREE_CORES);
  return `${kept.length ? median(kept).toFixed(2) : "-"} (${kept.length}/${ratios.length})`;
}

/** The median of `xs` (the mean of the middle two for an even count). */
export function median(xs: number[]): number {
  const s = xs.toSorted((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** Milliseconds per call of `fn`, calling it for at least `budgetMs` (and at least once). */
export function msPerCall(fn: () => void, budgetMs: number): number {
  let calls = 0;
  const t0 = performance.now();
  let t = t0;
  do {
    fn();
    calls++;
    t = performance.now();
  } while (t - t0 < budgetMs);
  return (t - t0) / calls;
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
    const ms = members.map(() => [] as number[]);
    const cores: number[] = [];
    for (let r = 0; r < pairedRounds; r++) {
      cores.push(probed(pairedProbe, () => {
        members.forEach((s, i) => ms[i].push(msPerCall(s.fn, pairedRoundMs)));
      }));
    }
    members.forEach((s, i) => {
      const ratios = ms[i].map((t, r) => ms[0][r] / t);
      const row: Row = {
        group,
        name: s.name,
        "median ms": median(ms[i]).toFixed(4),
        "GFLOP/s": gflops(s.flops, median(ms[i])).toFixed(2),
        "x baseline": median(ratios).toFixed(2),
      };
      if (pairedProbe) row["x baseline, two free cores"] = i ? onTwoFreeCores(ratios, cores) : "";
      rows.push(row);
    });
  }
  printTable(
    rows,
    `Interleaved pass: ${pairedRounds} rounds of >= ${pairedRoundMs} ms per function` +
      (pairedProbe ? `; two free cores: probe >= ${TWO_FREE_CORES} before and after` : ""),
  );
}

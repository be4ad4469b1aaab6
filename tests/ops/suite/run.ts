/**
 * The op suite's runner (STYLE C11): every file in `cases/` (read at run time, so new files join
 * without an edit here) exports `CASES: OpCase[]` (case.ts); each backend's test file
 * (wasm_test.ts, threads_test.ts, webgpu_test.ts: one process each under `deno test --parallel`)
 * calls `dn.ready()` once and registers one `Deno.test` per case with {@linkcode registerSuite}.
 * Each test checks, on the active backend:
 *
 * - forward: every output's shape, dtype and values against the float64 reference, within the
 *   case's `tol` (webgpu: `webgpuTol`, see case.ts); NaN matches NaN;
 * - gradient (cases with `grad`): central differences of the reference, see _grad.ts;
 * - memory: as many live tensors after the case (inputs and results disposed) as before.
 *
 * An `exclude` entry skips the case on that backend and prints its reason; one naming a backend
 * the suite does not run on fails, as does a case whose `op` is not a mod.ts export.
 *
 * @module
 */
import * as dn from "../../../mod.ts";
import { assertClose, Tol, type Tolerance } from "../../_util/assert_close.ts";
import type { CaseOutput, OpCase, SuiteBackend } from "./case.ts";
import { allInputValues, inputTensors, sizeOf } from "./_inputs.ts";
import { analyticGrads, checkGrads, gradPositions, gradWeights } from "./_grad.ts";

/** The backends the suite runs on. */
export const SUITE_BACKENDS: readonly SuiteBackend[] = ["wasm", "threads", "webgpu"];

/** One case with the file it came from and its test name. */
export interface SuiteCase {
  file: string;
  case: OpCase;
  /** `"<op>() <label> [<file>]"`. */
  name: string;
}

/** The suite's cases, and the case files that could not be loaded with the error. */
export interface Suite {
  cases: SuiteCase[];
  broken: { file: string; error: string }[];
}

/**
 * Every case of every file in `cases/` (files starting with `_` are helpers, not case lists). A
 * file that fails to import or exports no `CASES` array is reported in `broken` (its test fails)
 * without keeping the other files from running.
 */
export async function loadSuite(): Promise<Suite> {
  const dir = new URL("./cases/", import.meta.url);
  const files: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile && e.name.endsWith(".ts") && !e.name.startsWith("_")) files.push(e.name);
  }
  const suite: Suite = { cases: [], broken: [] };
  for (const file of files.sort()) {
    try {
      const mod = await import(new URL(file, dir).href);
      if (!Array.isArray(mod.CASES)) throw new Error("it exports no CASES array");
      for (const c of mod.CASES as OpCase[]) {
        suite.cases.push({ file, case: c, name: `${c.op}() ${c.label} [${file}]` });
      }
    } catch (e) {
      suite.broken.push({ file, error: (e as Error).message });
    }
  }
  return suite;
}

/** What a case computed on a backend: the outputs and the analytic gradients, as read back. */
export interface Outcome {
  outputs: { shape: number[]; dtype: string; values: Float32Array | Int32Array | Uint8Array }[];
  grads: Float32Array[];
}

/** Problems with a case's declaration (unknown backends excluded, `op` not exported), or []. */
function declarationProblems(c: OpCase): string[] {
  const problems = Object.keys(c.exclude ?? {})
    .filter((b) => !SUITE_BACKENDS.includes(b as SuiteBackend))
    .map((b) => `"exclude" names "${b}", which is not one of ${SUITE_BACKENDS.join(", ")}`);
  let at: unknown = dn;
  for (const part of c.op.split(".")) at = (at as Record<string, unknown> | undefined)?.[part];
  if (typeof at !== "function") {
    problems.push(`"op" "${c.op}" is not a function exported by mod.ts`);
  }
  return problems;
}

/**
 * Runs `c` on the active backend: forward, then (with `grad`) the analytic gradients, reading
 * every result back and disposing every tensor it made.
 */
export async function evaluate(
  c: OpCase,
  values: Float64Array[],
  want: CaseOutput[],
): Promise<Outcome> {
  const xs = inputTensors(c, values);
  try {
    const ys = [c.run(...xs)].flat();
    const outputs: Outcome["outputs"] = [];
    try {
      for (const y of ys) {
        outputs.push({ shape: [...y.shape], dtype: y.dtype, values: await y.data<dn.DType>() });
      }
    } finally {
      for (const y of ys) if (!xs.includes(y) && !y.isDisposed) y.dispose();
    }
    const positions = gradPositions(c);
    const grads = positions.length === 0
      ? []
      : await analyticGrads(c, xs, positions, gradWeights(c, want), want.map((o) => o.shape));
    return { outputs, grads };
  } finally {
    for (const x of xs) x.dispose();
  }
}

/** The forward bound of `c` on `backend` for an output of `dtype` (see case.ts). */
export function tolerance(c: OpCase, backend: SuiteBackend, dtype: string): Tolerance {
  if (dtype !== "float32") return Tol.exact;
  const tol = c.tol ?? Tol.exact;
  if (backend !== "webgpu") return tol;
  return c.webgpuTol ??
    { abs: Math.max(tol.abs, Tol.gpu.abs), rel: Math.max(tol.rel, Tol.gpu.rel) };
}

/** Throws unless `got` matches the reference outputs `want` (count, shape, dtype, values). */
function checkForward(c: OpCase, backend: SuiteBackend, got: Outcome, want: CaseOutput[]): void {
  if (got.outputs.length !== want.length) {
    throw new Error(`run() gave ${got.outputs.length} outputs, the reference ${want.length}`);
  }
  want.forEach((w, k) => {
    const g = got.outputs[k], dtype = w.dtype ?? "float32", what = `output ${k}`;
    if (g.shape.join() !== w.shape.join()) {
      throw new Error(`${what}: shape [${g.shape}], expected [${w.shape}]`);
    }
    if (g.dtype !== dtype) throw new Error(`${what}: dtype ${g.dtype}, expected ${dtype}`);
    if (w.values.length !== sizeOf(w.shape)) {
      throw new Error(`${what}: the reference gave ${w.values.length} values for [${w.shape}]`);
    }
    assertClose(g.values, w.values, tolerance(c, backend, dtype), `${what} [${w.shape}]`);
  });
}

/** The reference's outputs on copies of `values` (a reference may not write its inputs). */
export function referenceOutputs(c: OpCase, values: Float64Array[]): CaseOutput[] {
  return [c.reference(values.map((v) => Float64Array.from(v)))].flat();
}

/**
 * Runs `c` on the active backend and checks forward, gradient and memory; returns what it
 * computed (the threads suite compares it with wasm bit for bit).
 */
export async function checkCase(c: OpCase, backend: SuiteBackend): Promise<Outcome> {
  const before = dn.memory().numTensors;
  const values = allInputValues(c);
  const want = referenceOutputs(c, values);
  const got = await evaluate(c, values, want);
  checkForward(c, backend, got, want);
  if (got.grads.length > 0) {
    checkGrads(c, values, gradPositions(c), gradWeights(c, want), got.grads);
  }
  const after = dn.memory().numTensors;
  if (after !== before) throw new Error(`${after - before} tensors leaked (${before} -> ${after})`);
  return got;
}

/** Options of {@linkcode registerSuite}. */
export interface RegisterOptions {
  /** Why the whole suite is skipped on this backend (e.g. no WebGPU adapter), or undefined. */
  skip?: string;
  /** A further check of each case's outcome (the threads suite's bitwise comparison). */
  also?: (c: SuiteCase, outcome: Outcome) => void;
}

/** Registers one `Deno.test` per case for `backend` (already made active by the caller). */
export function registerSuite(
  backend: SuiteBackend,
  { cases, broken }: Suite,
  options: RegisterOptions = {},
): void {
  for (const { file, error } of broken) {
    Deno.test(`op suite case file cases/${file} loads on ${backend}`, () => {
      throw new Error(`cases/${file} cannot be loaded: ${error}`);
    });
  }
  for (const sc of cases) {
    const name = `${sc.name} on ${backend}`;
    const problems = declarationProblems(sc.case);
    if (problems.length > 0) {
      Deno.test(name, () => {
        throw new Error(`case declaration: ${problems.join("; ")}`);
      });
      continue;
    }
    const excluded = sc.case.exclude?.[backend];
    if (excluded !== undefined) console.log(`op suite: ${name} excluded: ${excluded}`);
    Deno.test({
      name,
      ignore: excluded !== undefined || options.skip !== undefined,
      fn: async () => {
        try {
          const outcome = await checkCase(sc.case, backend);
          options.also?.(sc, outcome);
        } catch (e) {
          throw new Error(`${name}: ${(e as Error).message}`, { cause: e });
        }
      },
    });
  }
}

/**
 * The op suite (run.ts) on the threads backend, bit for bit against wasm (ARCHITECTURE principle
 * 5, STYLE C9 `Tol.exact`). Every case first runs on the single-thread wasm backend, whose
 * outputs and gradients are kept as bytes; then the threads backend starts with 3 threads and
 * thresholds off (`splitAlways`: every kernel call whose range can be split is split, whatever
 * its size, so range edges fall inside these small shapes), and each case's test runs the usual
 * checks (reference, gradient, memory) and compares every byte with the wasm run.
 */
import * as dn from "../../../mod.ts";
import { activeBackend } from "../../../src/backend/select.ts";
import type { ThreadsBackend } from "../../../src/backend/threads/threads_backend.ts";
import { allInputValues } from "./_inputs.ts";
import {
  evaluate,
  loadSuite,
  type Outcome,
  referenceOutputs,
  registerSuite,
  type SuiteCase,
} from "./run.ts";

const THREADS = 3;
const suite = await loadSuite();

await dn.ready({ backend: "wasm" });
const onWasm = new Map<SuiteCase, Outcome | string>();
for (const sc of suite.cases) {
  if (sc.case.exclude?.threads !== undefined || sc.case.exclude?.wasm !== undefined) continue;
  try {
    const values = allInputValues(sc.case);
    onWasm.set(sc, await evaluate(sc.case, values, referenceOutputs(sc.case, values)));
  } catch (e) {
    onWasm.set(sc, `failed on wasm: ${(e as Error).message}`);
  }
}

const info = await dn.ready({ backend: "threads", threads: THREADS });
const threads = info.name === "threads" ? activeBackend() as ThreadsBackend : null;
await threads?.restart({ threads: THREADS, splitAlways: true });
const runsBefore = threads?.poolForTest?.runs ?? 0;

/** The bytes of a typed array. */
const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** The first element where `got` and `want` differ in any bit, described, or null. */
function firstDifference(what: string, got: ArrayBufferView, want: ArrayBufferView): string | null {
  const g = bytes(got), w = bytes(want);
  if (g.length !== w.length) return `${what}: ${g.length} bytes, wasm ${w.length}`;
  const width = (got as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  for (let i = 0; i < g.length; i++) {
    if (g[i] !== w[i]) {
      const e = Math.floor(i / width);
      return `${what}[${e}]: ${(got as unknown as number[])[e]} on threads, ${
        (want as unknown as number[])[e]
      } on wasm (bits differ)`;
    }
  }
  return null;
}

/** Throws unless the threads outcome equals the wasm one bit for bit. */
function sameAsWasm(sc: SuiteCase, got: Outcome): void {
  if (dn.backend().name !== "threads") {
    throw new Error(`expected the threads backend, running on: ${dn.backend().reason}`);
  }
  const want = onWasm.get(sc);
  if (want === undefined) return;
  if (typeof want === "string") throw new Error(want);
  const diffs = [
    ...got.outputs.map((o, k) => firstDifference(`output ${k}`, o.values, want.outputs[k].values)),
    ...got.grads.map((g, k) => firstDifference(`gradient ${k}`, g, want.grads[k])),
  ].filter((d) => d !== null);
  if (diffs.length > 0) throw new Error(`threads differ from wasm: ${diffs.join("; ")}`);
}

registerSuite("threads", suite, { also: sameAsWasm });

Deno.test("the op suite on threads split kernel calls across the workers", () => {
  const runs = threads?.poolForTest?.runs ?? 0;
  if (!(runs > runsBefore)) {
    throw new Error(
      `no kernel call was split (pool runs ${runsBefore} -> ${runs}): ${info.reason}`,
    );
  }
});

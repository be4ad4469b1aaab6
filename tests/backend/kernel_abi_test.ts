/**
 * The generated kernel ABI table (src/backend/wasm/kernel_abi.generated.ts) against the kernel
 * module itself, the thread splits against the table, and the activation codes against the
 * kernels' constants (STYLE C2: the host names each kernel argument once).
 */
import { ACT_CODE, ACTIVATIONS } from "../../src/backend/activations.ts";
import { type Args, SPLITS } from "../../src/backend/threads/splits.ts";
import {
  createMemory,
  instantiateKernels,
  KERNEL_ABI,
  kernelModule,
  type KernelName,
} from "../../src/backend/wasm/module.ts";
import { assert, assertEquals } from "../_util/assert.ts";

interface Entry {
  args: readonly string[];
  types: readonly string[];
  result: string;
  ranges: readonly (readonly [string, string])[];
  scratch: string | null;
}
const table = KERNEL_ABI as unknown as Readonly<Record<string, Entry>>;
const names = Object.keys(table);

Deno.test("the ABI table lists every kernel export with the wasm function's arity", () => {
  for (const variant of ["plain", "portable"] as const) {
    const memory = createMemory(variant, 16);
    const exports = instantiateKernels(kernelModule(variant), memory);
    const functions = WebAssembly.Module.exports(kernelModule(variant))
      .filter((e) => e.kind === "function").map((e) => e.name);
    assertEquals([...functions].sort(), [...names].sort(), `${variant}: exports vs table`);
    const arity = functions.filter((n) => exports[n].length !== table[n].args.length)
      .map((n) => `${n}: wasm ${exports[n].length}, table ${table[n].args.length}`);
    assertEquals(arity, [], `${variant}: argument counts`);
  }
});

Deno.test("each table entry is consistent: types per argument, ranges adjacent, scratch a pointer", () => {
  const bad: string[] = [];
  for (const [name, e] of Object.entries(table)) {
    if (e.types.length !== e.args.length) bad.push(`${name}: types`);
    if (new Set(e.args).size !== e.args.length) bad.push(`${name}: repeated argument names`);
    for (const [begin, end] of e.ranges) {
      const i = e.args.indexOf(begin);
      if (i < 0 || e.args[i + 1] !== end) bad.push(`${name}: range ${begin}, ${end}`);
      if (e.types[i] !== "i32" || e.types[i + 1] !== "i32") bad.push(`${name}: range types`);
    }
    if (e.scratch !== null && e.types[e.args.indexOf(e.scratch)] !== "usize") {
      bad.push(`${name}: scratch is not a pointer`);
    }
  }
  assertEquals(bad, []);
  assertEquals(table.f32_gemm.ranges, [["rowBegin", "rowEnd"], ["colBegin", "colEnd"]]);
  assertEquals(table.f32_gemm.scratch, "scratch");
});

/** A call of `name` with every argument 3 and each range [0, 64). */
function sampleArgs(name: string): number[] {
  const e = table[name];
  const args = e.args.map(() => 3);
  for (const [b, end] of e.ranges) {
    args[e.args.indexOf(b)] = 0;
    args[e.args.indexOf(end)] = 64;
  }
  return args;
}

Deno.test("every split names a kernel of the table, takes scratch exactly where the table does", () => {
  const bad: string[] = [];
  for (const [name, split] of Object.entries(SPLITS)) {
    const e = table[name];
    if (!e) {
      bad.push(`${name}: not in the table`);
      continue;
    }
    const want = e.scratch === null ? -1 : e.args.indexOf(e.scratch);
    if ((split.scratch?.index ?? -1) !== want) bad.push(`${name}: scratch`);
    // A name a work formula reads that the kernel does not take reads undefined: NaN.
    const work = split.work(sampleArgs(name));
    if (!Number.isFinite(work) || work <= 0) bad.push(`${name}: work ${work}`);
  }
  assertEquals(bad, []);
});

Deno.test("split pieces change only a [begin, end) pair of the table and tile it in order", () => {
  const bad: string[] = [];
  for (const [name, split] of Object.entries(SPLITS)) {
    const args: Args = sampleArgs(name);
    const plan = split.plan(args, 4, 0);
    if (!plan) continue;
    const e = table[name];
    const changed = new Set<number>();
    for (const piece of plan.pieces) {
      piece.forEach((v, i) => v !== args[i] && changed.add(i));
    }
    const pair = e.ranges.find(([b, end]) =>
      [...changed].every((i) => i === e.args.indexOf(b) || i === e.args.indexOf(end))
    );
    if (!pair) {
      bad.push(`${name}: changes ${[...changed].map((i) => e.args[i]).join(", ")}`);
      continue;
    }
    const [b, end] = pair.map((a) => e.args.indexOf(a));
    let at = 0;
    for (const piece of plan.pieces) {
      if (piece[b] !== at || piece[end] <= piece[b]) bad.push(`${name}: piece at ${piece[b]}`);
      at = piece[end];
    }
    if (at !== 64) bad.push(`${name}: pieces end at ${at}`);
  }
  assertEquals(bad, []);
  assert(SPLITS.f32_gemm.plan(sampleArgs("f32_gemm"), 4, 0), "f32_gemm splits");
});

Deno.test("splits.ts reads no kernel argument by a numeric index", async () => {
  const source = await Deno.readTextFile(
    new URL("../../src/backend/threads/splits.ts", import.meta.url),
  );
  const numeric = source.split("\n").filter((l) => /\[\s*-?\d+\s*\]|\bat\(/.test(l));
  assertEquals(numeric, []);
});

Deno.test("ACT_CODE equals the kernels' ACT_* constants, and ACTIVATIONS lists every code", async () => {
  const dir = new URL("../../assembly/", import.meta.url);
  const found: string[] = [];
  for await (const f of Deno.readDir(dir)) {
    const text = await Deno.readTextFile(new URL(f.name, dir));
    for (const m of text.matchAll(/const ACT_([A-Z]+)\s*=\s*(\d+)/g)) {
      const name = m[1].toLowerCase() as keyof typeof ACT_CODE;
      if (ACT_CODE[name] !== Number(m[2])) found.push(`${f.name}: ACT_${m[1]} = ${m[2]}`);
    }
  }
  assertEquals(found, [], "codes that differ from ACT_CODE");
  assertEquals([...ACTIVATIONS].sort(), Object.keys(ACT_CODE).sort());
  assertEquals(ACTIVATIONS.map((a) => ACT_CODE[a]), [0, 1, 2, 3]);
});

// Type-level: the table's names are the KernelName union (a misspelt name does not compile).
const _gemm: KernelName = "f32_gemm";

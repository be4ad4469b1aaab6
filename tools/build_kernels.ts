/**
 * Compiles `assembly/` with the pinned AssemblyScript compiler and writes the wasm bytes, base64
 * encoded, into `src/backend/wasm/kernels.generated.js` (STYLE C4), so that importing `mod.ts`
 * needs no build step and no permission flag; and writes the kernels' ABI table, every export's
 * argument names read from its AssemblyScript signature, into
 * `src/backend/wasm/kernel_abi.generated.ts` (STYLE C2: the host names each argument once).
 *
 *   deno task build            rebuild both generated modules (and build/kernels.debug.wasm)
 *   deno task build --check    rebuild in memory and fail when either committed module is stale
 *
 * The header stamps a sha256 of every input and of the compiler version, so a stale check can
 * name the input that changed. The module is JavaScript (typed by the hand-written
 * `kernels.d.ts`): Deno loads its 0.45 MB of strings in 4 ms against 11 ms as TypeScript, which
 * it first looks up in its transpile cache, a third of importing `mod.ts` in a cold process.
 *
 * @module
 */
import asc from "assemblyscript/asc";
import { encodeBase64 } from "./_base64.ts";
import { applyBodyPatch, bodyPatch } from "../src/backend/wasm/code_patch.ts";

const ROOT = new URL("../", import.meta.url);
const GENERATED = new URL("src/backend/wasm/kernels.generated.js", ROOT);
const ABI = new URL("src/backend/wasm/kernel_abi.generated.ts", ROOT);
const DEBUG_WASM = new URL("build/kernels.debug.wasm", ROOT);

/**
 * The text of every input file as first read in this process: every target of one build (and the
 * input hashes) sees the same sources even when assembly/ is edited while the build runs (a build
 * takes minutes; the shared and plain builds must differ only in their memory flag).
 */
const sources = new Map<string, string | null>();

/** asc's file reader over {@linkcode sources}. */
async function readSource(name: string, baseDir: string): Promise<string | null> {
  const path = new URL(name, new URL(baseDir.endsWith("/") ? baseDir : `${baseDir}/`, "file:///"))
    .pathname;
  if (!sources.has(path)) sources.set(path, await Deno.readTextFile(path).catch(() => null));
  return sources.get(path)!;
}

/** Compiles one asconfig target and returns the wasm bytes; throws with asc's diagnostics. */
export async function compileTarget(target: string): Promise<Uint8Array> {
  const outputs = new Map<string, Uint8Array>();
  let diagnostics = "";
  const sink = { write: (s: string | Uint8Array) => void (diagnostics += String(s)) };
  const { error } = await asc.main([
    "assembly/index.ts",
    "--config",
    "asconfig.json",
    "--target",
    target,
    "--outFile",
    "kernels.wasm",
    "--baseDir",
    ROOT.pathname,
  ], {
    stdout: sink,
    stderr: sink,
    readFile: readSource,
    // asc's default writeFile swallows errors under Deno: keep outputs in memory instead.
    writeFile: (name: string, contents: Uint8Array | string) => {
      outputs.set(
        name,
        typeof contents === "string" ? new TextEncoder().encode(contents) : contents,
      );
    },
  });
  const wasm = outputs.get("kernels.wasm");
  if (error || !wasm) {
    throw new Error(
      `Cannot compile kernels for target "${target}": ${
        error?.message ?? "no output"
      }\n${diagnostics}`,
    );
  }
  return wasm;
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** sha256 of each input file (assembly sources, asconfig.json) and of the compiler version. */
async function inputHashes(): Promise<Record<string, string>> {
  const files = ["asconfig.json"];
  for await (const entry of Deno.readDir(new URL("assembly/", ROOT))) {
    if (entry.isFile && entry.name.endsWith(".ts")) files.push(`assembly/${entry.name}`);
  }
  files.sort();
  const hashes: Record<string, string> = { asc: asc.version };
  for (const f of files) {
    const text = await readSource(f, ROOT.pathname) ?? "";
    hashes[f] = (await sha256(new TextEncoder().encode(text))).slice(0, 16);
  }
  return hashes;
}

/** The two generated modules: the kernel builds and the ABI table. */
async function render(): Promise<{ kernels: string; abi: string }> {
  const hashes = await inputHashes();
  const shared = await compileTarget("release");
  const plain = await compileTarget("release-plain");
  const portable = await compileTarget("release-portable");
  const stamp = Object.entries(hashes).map(([k, v]) => `//   ${k}: ${v}`).join("\n");
  const flag = memoryFlagOffset(shared, plain);
  const patch = portablePatch(plain, portable);
  const hash = await sha256(new TextEncoder().encode(stamp));
  return {
    kernels: kernelsSource(hash, stamp, shared, patch, flag),
    abi: await renderAbi(shared),
  };
}

function kernelsSource(
  hash: string,
  stamp: string,
  shared: Uint8Array,
  patch: Uint8Array,
  flag: number,
): string {
  return `// @generated by tools/build_kernels.ts from assembly/*.ts and asconfig.json -- do not edit
// source-hash: sha256:${hash}
// inputs:
${stamp}
// deno-lint-ignore-file
// deno-fmt-ignore-file
// @ts-self-types="./kernels.d.ts"

/**
 * Release kernels (SIMD and relaxed SIMD) over a shared memory, for the worker pool. The build over
 * a plain memory, for one thread, is the same bytes but for the memory import's limits flag.
 */
export const KERNELS_WASM_SHARED = "${encodeBase64(shared)}";

/** Byte offset of that flag (0x03 shared with a maximum; 0x01 plain with a maximum). */
export const MEMORY_FLAG_OFFSET = ${flag};

/**
 * The build over a plain memory without relaxed SIMD (mul + add for FMA), for engines without
 * relaxed SIMD, as the function bodies in which it differs from the plain build (code_patch.ts).
 */
export const KERNELS_PORTABLE_PATCH = "${encodeBase64(patch)}";
`;
}

/**
 * The body patch from the plain build to the portable one, checked to rebuild the portable bytes
 * exactly (else both builds would have to ship whole).
 */
function portablePatch(plain: Uint8Array, portable: Uint8Array): Uint8Array {
  const patch = bodyPatch(plain, portable);
  const rebuilt = applyBodyPatch(plain, patch);
  if (rebuilt.length !== portable.length || rebuilt.some((b, i) => b !== portable[i])) {
    throw new Error("Cannot ship the portable kernel build as a patch: the rebuilt bytes differ");
  }
  return patch;
}

/**
 * The one byte where the shared and plain builds differ, the memory import's limits flag; throws
 * if they differ anywhere else (then both builds would have to ship).
 */
function memoryFlagOffset(shared: Uint8Array, plain: Uint8Array): number {
  const diffs: number[] = [];
  for (let i = 0; i < Math.max(shared.length, plain.length); i++) {
    if (shared[i] !== plain[i]) diffs.push(i);
  }
  if (diffs.length !== 1 || shared[diffs[0]] !== 0x03 || plain[diffs[0]] !== 0x01) {
    throw new Error(
      `Cannot derive the plain kernel build from the shared one: they differ at ${diffs.length} bytes (${
        diffs.slice(0, 5).join(", ")
      }), expected only the memory limits flag (0x03 -> 0x01)`,
    );
  }
  return diffs[0];
}

/** One kernel export as its AssemblyScript signature declares it. */
export interface KernelSignature {
  name: string;
  /** Argument names, in order. */
  args: string[];
  /** Their AssemblyScript types (usize, i32, u32, f32, f64). */
  types: string[];
  result: string;
  /** `[begin, end)` argument pairs: `begin`/`end` or `<x>Begin`/`<x>End`, adjacent. */
  ranges: [string, string][];
  /** The caller-owned scratch argument (named `scratch`), or null. */
  scratch: string | null;
}

/** Strips `//` and block comments (the kernel sources have no strings that contain them). */
const stripComments = (text: string) =>
  text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");

/**
 * The exported kernels' signatures, in `assembly/index.ts` order: `export * from "./f"` takes
 * every `export function` of f.ts, `export { a, b } from "./f"` the ones named. Throws for a
 * signature it cannot read, or for an argument ending in Begin/begin without its End next to it.
 */
export async function kernelSignatures(): Promise<KernelSignature[]> {
  // The sources this build compiled ({@linkcode sources}), not whatever assembly/ holds now.
  const read = async (f: string) => await readSource(`assembly/${f}`, ROOT.pathname) ?? "";
  const index = stripComments(await read("index.ts"));
  const out: KernelSignature[] = [];
  for (const m of index.matchAll(/export\s+(\*|\{([^}]*)\})\s+from\s+"\.\/([\w/]+)"/g)) {
    const wanted = m[1] === "*" ? null : m[2].split(",").map((n) => n.trim()).filter(Boolean);
    const source = stripComments(await read(`${m[3]}.ts`));
    const found = new Map<string, KernelSignature>();
    for (
      const f of source.matchAll(/^export function (\w+)\s*\(([^)]*)\)\s*:\s*(\w+)/gm)
    ) {
      const params = f[2].split(",").map((p) => p.trim()).filter(Boolean);
      const args: string[] = [], types: string[] = [];
      for (const p of params) {
        const pm = /^(\w+)\s*:\s*(\w+)$/.exec(p);
        if (!pm) throw new Error(`Cannot read argument "${p}" of ${f[1]} in assembly/${m[3]}.ts`);
        args.push(pm[1]);
        types.push(pm[2]);
      }
      found.set(f[1], { name: f[1], args, types, result: f[3], ...rangesAndScratch(f[1], args) });
    }
    for (const name of wanted ?? found.keys()) {
      const sig = found.get(name);
      if (!sig) throw new Error(`assembly/index.ts exports ${name}, not found in ${m[3]}.ts`);
      out.push(sig);
    }
  }
  return out;
}

function rangesAndScratch(
  name: string,
  args: string[],
): Pick<KernelSignature, "ranges" | "scratch"> {
  const ranges: [string, string][] = [];
  for (let i = 0; i < args.length; i++) {
    const begin = /^(begin|(\w+)Begin)$/.exec(args[i]);
    if (!begin) continue;
    const end = begin[2] ? `${begin[2]}End` : "end";
    if (args[i + 1] !== end) {
      throw new Error(
        `${name}: argument ${args[i]} must be followed by ${end} (a [begin, end) range)`,
      );
    }
    ranges.push([args[i], end]);
  }
  return { ranges, scratch: args.includes("scratch") ? "scratch" : null };
}

/** The source of `kernel_abi.generated.ts`; throws unless it lists exactly the wasm's functions. */
async function renderAbi(wasm: Uint8Array): Promise<string> {
  const sigs = await kernelSignatures();
  const exported = WebAssembly.Module.exports(
    new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>),
  )
    .filter((e) => e.kind === "function").map((e) => e.name).sort();
  const parsed = sigs.map((s) => s.name).sort();
  if (exported.join() !== parsed.join()) {
    throw new Error(
      `The export signatures read from assembly/ (${parsed.length}) do not match the module's functions (${exported.length}): ${
        [
          ...exported.filter((n) => !parsed.includes(n)),
          ...parsed.filter((n) => !exported.includes(n)),
        ]
          .join(", ")
      }`,
    );
  }
  const hashes = await inputHashes();
  const stamp = Object.entries(hashes).filter(([k]) => k.startsWith("assembly/"))
    .map(([k, v]) => `//   ${k}: ${v}`).join("\n");
  const q = (s: string) => JSON.stringify(s);
  const list = (xs: string[]) => `[${xs.map(q).join(", ")}]`;
  const rows = sigs.map((s) =>
    `  ${s.name}: {\n    args: ${list(s.args)},\n    types: ${list(s.types)},\n` +
    `    result: ${q(s.result)},\n    ranges: [${s.ranges.map(list).join(", ")}],\n` +
    `    scratch: ${s.scratch ? q(s.scratch) : "null"},\n  },`
  ).join("\n");
  const jsType = (t: string) => t === "void" ? "void" : "number";
  const methods = sigs.map((s) =>
    `  ${s.name}(${s.args.map((a) => `${a}: number`).join(", ")}): ${jsType(s.result)};`
  ).join("\n");
  return `// @generated by tools/build_kernels.ts from the export signatures in assembly/*.ts -- do not edit
// source-hash: sha256:${await sha256(new TextEncoder().encode(stamp))}
// inputs:
${stamp}
// deno-lint-ignore-file
// deno-fmt-ignore-file

/**
 * The kernel ABI, declared once (STYLE C2): for every export of the kernel module, its argument
 * names and AssemblyScript types in order, its result, its \`[begin, end)\` argument pairs (a
 * \`begin\`/\`end\` or \`<x>Begin\`/\`<x>End\` pair, adjacent) and its caller-owned scratch argument
 * (named \`scratch\`). Read arguments by name through \`argIndex()\` in module.ts.
 *
 * @module
 */

/** Every kernel export's arguments, range pairs and scratch argument, by export name. */
export const KERNEL_ABI = {
${rows}
} as const;

/** The name of a kernel export. */
export type KernelName = keyof typeof KERNEL_ABI;

/** The argument names of kernel export \`N\`. */
export type KernelArg<N extends KernelName> = (typeof KERNEL_ABI)[N]["args"][number];

/** The kernel exports with their argument names: pointers, sizes and flags are all numbers here. */
export interface KernelExports {
${methods}
}
`;
}

function staleInputs(committed: string, fresh: string): string[] {
  const parse = (text: string) =>
    new Map(
      [...text.matchAll(/^\/\/ {3}(\S+): (\S+)$/gm)].map((m) => [m[1], m[2]] as [string, string]),
    );
  const [a, b] = [parse(committed), parse(fresh)];
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k));
}

/** Whether both generated modules already carry the stamp of the current inputs. */
async function upToDate(): Promise<boolean> {
  const hashes = await inputHashes();
  const want = new Map(Object.entries(hashes));
  for (const url of [GENERATED, ABI]) {
    const text = await Deno.readTextFile(url).catch(() => "");
    const got = new Map(
      [...text.matchAll(/^\/\/ {3}(\S+): (\S+)$/gm)].map((m) => [m[1], m[2]] as [string, string]),
    );
    // The ABI table stamps the assembly sources only.
    const keys = [...want.keys()].filter((k) => url !== ABI || k.startsWith("assembly/"));
    if (got.size !== keys.length || keys.some((k) => got.get(k) !== want.get(k))) return false;
  }
  return true;
}

if (import.meta.main) {
  // Builds queue on a lock file (several builds at once only slow each other down); one that
  // finds the outputs already built from the same inputs has nothing to do.
  if (!Deno.args.includes("--check")) {
    await Deno.mkdir(new URL("build/", ROOT), { recursive: true });
    const lock = await Deno.open(new URL("build/.build-lock", ROOT), { create: true, write: true });
    await lock.lock(true);
    if (!Deno.args.includes("--force") && await upToDate()) {
      console.log("kernels and their ABI table are already built from these inputs");
      Deno.exit(0);
    }
  }
  const fresh = await render();
  const outputs: [URL, string][] = [[GENERATED, fresh.kernels], [ABI, fresh.abi]];
  if (Deno.args.includes("--check")) {
    let stale = false;
    for (const [url, text] of outputs) {
      const committed = await Deno.readTextFile(url).catch(() => "");
      if (committed === text) continue;
      stale = true;
      const changed = staleInputs(committed, text);
      const file = url.pathname.slice(ROOT.pathname.length);
      console.error(
        `Kernels are stale: ${file} does not match a fresh build` +
          (changed.length
            ? ` (changed inputs: ${changed.join(", ")})`
            : " (same inputs, different output)") +
          `; run "deno task build" and commit the result`,
      );
    }
    if (stale) Deno.exit(1);
    console.log("kernels and their ABI table are fresh");
  } else {
    for (const [url, text] of outputs) await Deno.writeTextFile(url, text);
    await Deno.mkdir(new URL("build/", ROOT), { recursive: true });
    await Deno.writeFile(DEBUG_WASM, await compileTarget("debug"));
    console.log(
      `wrote ${GENERATED.pathname} (${fresh.kernels.length} chars), ${ABI.pathname} and ${DEBUG_WASM.pathname}`,
    );
  }
}

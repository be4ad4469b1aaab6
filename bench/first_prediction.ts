/**
 * Process start to first prediction, as a served edge function sees it: fresh processes (no
 * permission flag) that import `mod.ts`, call `ready()`, load a 784-128-10 MLP embedded as base64
 * bytes in a JavaScript module, and predict one sample. Prints the median over the runs of the child's
 * own clock at the prediction (`performance.now()`, from its time origin) and of the parent's wall
 * time per process, for the default backend (no `ready()` call), "wasm" and "auto", interleaved,
 * and whether "auto" started any worker; importing `mod.ts` from source, and importing the
 * minified bundle of it that `deno bundle --minify mod.ts` writes (what an edge deployment ships).
 *
 *   deno run -A bench/first_prediction.ts [runs]
 *
 * @module
 */
import * as dn from "../mod.ts";
import { fileURLToPath } from "node:url";
import { encodeBase64 } from "../tools/_base64.ts";
import { median, printTable } from "./_util.ts";

const runs = Number(Deno.args[0] ?? 15);
const mod = JSON.stringify(new URL("../mod.ts", import.meta.url).href);
const select = JSON.stringify(new URL("../src/backend/select.ts", import.meta.url).href);

dn.setSeed(1);
const mlp = dn.sequential([
  dn.layers.dense({ units: 128, activation: "relu", inputShape: [784] }),
  dn.layers.dense({ units: 10, activation: "softmax" }),
]);
const modelB64 = encodeBase64(mlp.toBytes());

type Variant = `${"source" | "bundle"} ${"default" | "wasm" | "auto"}`;
const VARIANTS: Variant[] = [
  "source default",
  "source wasm",
  "source auto",
  "bundle default",
  "bundle auto",
];

/** The child script: imports mod.ts (or the minified bundle of it), readies, loads, predicts. */
function child(variant: Variant): string {
  const [from, request] = variant.split(" ");
  const source = from === "source";
  return `
import * as dn from ${source ? mod : JSON.stringify("./dendrite.min.js")};
${source ? `import { activeBackend } from ${select};` : ""}
import { MODEL } from "./model.js";
${request === "default" ? "" : `await dn.ready({ backend: "${request}" });`}
const model = await dn.loadModel(Uint8Array.fromBase64(MODEL));
const x = dn.tensor(new Float32Array(784).fill(0.5), [1, 784]);
const y = await model.predict(x).data();
const t = performance.now();
if (!(y.length === 10 && Math.abs(y.reduce((a, b) => a + b) - 1) < 1e-5)) throw new Error("bad output");
${
    source
      ? `const b = activeBackend();
const workers = b.name === "threads" && (b.threads > 1 || b.pendingStart?.started === true);`
      : "const workers = null;"
  }
console.log(JSON.stringify({ t, workers }));
`;
}

const dir = await Deno.makeTempDir();
// The model ships as a JavaScript module: Deno loads a 0.5 MB string from a .js file several
// milliseconds faster than from a .ts one, which it looks up in its transpile cache first.
await Deno.writeTextFile(`${dir}/model.js`, `export const MODEL = "${modelB64}";\n`);
// What an edge deployment ships: one minified file (see the README's deploy notes).
const bundled = await new Deno.Command(Deno.execPath(), {
  args: [
    "bundle",
    "--minify",
    "--quiet",
    fileURLToPath(new URL("../mod.ts", import.meta.url)),
    "-o",
    `${dir}/dendrite.min.js`,
  ],
}).output();
if (!bundled.success) throw new Error(new TextDecoder().decode(bundled.stderr));
const files = Object.fromEntries(
  await Promise.all(VARIANTS.map(async (v) => {
    const file = `${dir}/${v.replace(" ", "_")}.ts`;
    await Deno.writeTextFile(file, child(v));
    return [v, file];
  })),
);
// One untimed run each: deno's module cache (type stripping) is then warm, as on a deployed server.
for (const v of VARIANTS) await runChild(v);

async function runChild(
  v: string,
): Promise<{ t: number; workers: boolean | null; wall: number }> {
  const start = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", files[v]],
  }).output();
  const wall = performance.now() - start;
  if (!out.success) throw new Error(`${v} failed: ${new TextDecoder().decode(out.stderr)}`);
  return { ...JSON.parse(new TextDecoder().decode(out.stdout)), wall };
}

const results: Record<string, { t: number[]; wall: number[]; workers: number | null }> = {};
for (let r = 0; r < runs; r++) {
  for (const v of VARIANTS) {
    const { t, workers, wall } = await runChild(v);
    const e = results[v] ??= { t: [], wall: [], workers: workers === null ? null : 0 };
    e.t.push(t);
    e.wall.push(wall);
    if (workers) e.workers!++;
  }
}
await Deno.remove(dir, { recursive: true });
printTable(
  VARIANTS.map((v) => ({
    "import, backend": v,
    "start to prediction, median ms": median(results[v].t).toFixed(1),
    "process wall, median ms": median(results[v].wall).toFixed(1),
    "runs that started workers": results[v].workers === null
      ? "-"
      : `${results[v].workers}/${runs}`,
  })),
  `Process start to first prediction (784-128-10 MLP, one sample), ${runs} fresh processes each`,
);

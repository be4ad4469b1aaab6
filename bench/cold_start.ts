/**
 * Cold start, as an edge function sees it: fresh `deno eval` processes that import `mod.ts`,
 * start the default wasm backend and run one small matmul (none of it needs a permission; see
 * tests/ops/no_permissions_test.ts). Prints the median of each phase over the runs.
 *
 *   deno run -A bench/cold_start.ts [runs]
 *
 * @module
 */
import { median, printTable } from "./_util.ts";

const runs = Number(Deno.args[0] ?? 9);
const modUrl = new URL("../mod.ts", import.meta.url).href;
const child = `
const t0 = performance.now();
const dn = await import(${JSON.stringify(modUrl)});
const t1 = performance.now();
dn.backend();
const t2 = performance.now();
const a = dn.tensor([[1, 2], [3, 4]]);
const c = dn.matmul(a, a);
c.dataSync();
const t3 = performance.now();
console.log(JSON.stringify([t1 - t0, t2 - t1, t3 - t2]));
`;
const phases: number[][] = [[], [], []];
const walls: number[] = [];
for (let r = 0; r < runs; r++) {
  const start = performance.now();
  const out = await new Deno.Command(Deno.execPath(), { args: ["eval", child] }).output();
  walls.push(performance.now() - start);
  if (!out.success) throw new Error(`child failed: ${new TextDecoder().decode(out.stderr)}`);
  const times = JSON.parse(new TextDecoder().decode(out.stdout)) as number[];
  times.forEach((t, i) => phases[i].push(t));
}
printTable([
  { phase: "import mod.ts", "median ms": median(phases[0]).toFixed(1) },
  {
    phase: "start the wasm backend (decode, compile, memory)",
    "median ms": median(phases[1]).toFixed(1),
  },
  { phase: "first tensor, matmul and read", "median ms": median(phases[2]).toFixed(1) },
  { phase: "whole process (deno eval), wall", "median ms": median(walls).toFixed(1) },
], `Cold start, median of ${runs} fresh processes`);

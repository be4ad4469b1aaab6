/**
 * Pipeline cache keyed by program key + workgroup size (WebGPT's `${name}_${settings}`). Pipelines
 * are created on first use, synchronously, inside `pushErrorScope("validation")`; the scope and
 * `getCompilationInfo()` resolve later, so their verdict is kept as a pending check that the
 * backend awaits before any readback (and rethrows on every later dispatch once known). A failure
 * throws an `Error` naming the program key, the WGSL line and its text. `DENDRITE_DEBUG=wgsl`
 * prints the source of every new pipeline.
 *
 * @module
 */
import { type ProgramLimits, type Vec3, type WgslProgram, wgslSource } from "./program.ts";

/** A created pipeline and its bind group layout. */
export interface CachedPipeline {
  key: string;
  pipeline: GPUComputePipeline;
  layout: GPUBindGroupLayout;
  wg: Vec3;
}

function debugWgsl(): boolean {
  try {
    return (Deno.env.get("DENDRITE_DEBUG") ?? "").split(",").includes("wgsl");
  } catch {
    return false; // no --allow-env: debugging output stays off
  }
}

/** Formats a compilation message with the WGSL line it points at. */
function describe(key: string, source: string, m: { lineNum: number; message: string }): string {
  const line = source.split("\n")[m.lineNum - 1]?.trim() ?? "";
  return `Cannot compile WGSL program "${key}": line ${m.lineNum}: ${m.message}${
    line ? `\n  ${m.lineNum} | ${line}` : ""
  }`;
}

/** Pipelines of one device. */
export class PipelineCache {
  readonly #device: GPUDevice;
  readonly #limits: ProgramLimits;
  readonly #cache = new Map<string, CachedPipeline>();
  readonly #pending: Promise<void>[] = [];
  #failure: Error | null = null;
  readonly #debug = debugWgsl();

  constructor(device: GPUDevice) {
    this.#device = device;
    this.#limits = device.limits;
  }

  /** Number of pipelines created. */
  get size(): number {
    return this.#cache.size;
  }

  /** The pipeline of `program` specialised by `p`, created on first use. */
  get<P>(program: WgslProgram<P>, p: P): CachedPipeline {
    if (this.#failure) throw this.#failure;
    const wg = program.workgroupSize(this.#limits, p);
    const key = `${program.key(p)}@${wg.join("x")}`;
    const hit = this.#cache.get(key);
    if (hit) return hit;
    const source = wgslSource(program, p, wg);
    if (this.#debug) console.error(`// DENDRITE_DEBUG=wgsl: new pipeline "${key}"\n${source}`);
    const device = this.#device;
    device.pushErrorScope("validation");
    const module = device.createShaderModule({ label: key, code: source });
    const entries: GPUBindGroupLayoutEntry[] = program.bindings.map((b, i) => ({
      binding: i,
      visibility: GPUShaderStage.COMPUTE,
      buffer: { type: b.access === "read" ? "read-only-storage" : "storage" },
    }));
    entries.push({
      binding: program.bindings.length,
      visibility: GPUShaderStage.COMPUTE,
      buffer: { type: "uniform" },
    });
    const layout = device.createBindGroupLayout({ label: key, entries });
    const pipeline = device.createComputePipeline({
      label: key,
      layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: "main" },
    });
    const scope = device.popErrorScope();
    const check = Promise.all([module.getCompilationInfo(), scope]).then(([info, error]) => {
      const first = info.messages.find((m) => m.type === "error");
      if (first) throw new Error(describe(key, source, first));
      if (error) {
        const at = /:(\d+):\d+/.exec(error.message);
        throw new Error(
          at
            ? describe(key, source, { lineNum: Number(at[1]), message: error.message })
            : `Cannot create WGSL pipeline "${key}": ${error.message}`,
        );
      }
    }).catch((e: Error) => {
      this.#failure ??= e;
      this.#cache.delete(key);
    });
    this.#pending.push(check);
    const entry = { key, pipeline, layout, wg };
    this.#cache.set(key, entry);
    return entry;
  }

  /** Waits for the compilation checks of new pipelines; throws the first failure. */
  async check(): Promise<void> {
    if (this.#pending.length) await Promise.all(this.#pending.splice(0));
    if (this.#failure) throw this.#failure;
  }
}

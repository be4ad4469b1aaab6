/**
 * Raw-kernel test harness: the release kernels (plain, shared and portable builds) and a debug build with
 * asserts on, each over its own memory, plus an arena with NaN-payload guard regions around every
 * buffer (STYLE C2, C10).
 */
import { compileTarget } from "../../tools/build_kernels.ts";
import {
  createMemory,
  instantiateKernels,
  kernelModule,
  type Kernels,
  type KernelVariant,
} from "../../src/backend/wasm/module.ts";

/** Floats of guard before and after every arena buffer (ggml's sentinel size). */
const GUARD = 1024;
/** A quiet NaN with a payload no kernel produces. */
const GUARD_BITS = 0x7fc0beef;

/** One instantiated kernel build and a bump arena over its memory. */
export interface KernelHarness {
  readonly name: string;
  readonly k: Kernels;
  readonly memory: WebAssembly.Memory;
  /** Allocates `n` floats (filled from `init` if given) between guard regions; returns a byte pointer. */
  f32(n: number, init?: ArrayLike<number>): number;
  /** A copy of `n` floats at `ptr`. */
  read(ptr: number, n: number): Float32Array;
  /** Throws when any guard region was written. */
  checkGuards(): void;
  /** Frees everything allocated so far. */
  reset(): void;
}

let debugModule: Promise<WebAssembly.Module> | undefined;

function harness(name: string, module: WebAssembly.Module, variant: KernelVariant): KernelHarness {
  const memory = createMemory(variant, 64);
  const k = instantiateKernels(module, memory);
  const base = (k.heap_base() + 63) & ~63;
  let top = base;
  const guards: number[] = [];
  const u32 = () => new Uint32Array(memory.buffer);
  const ensure = (bytes: number) => {
    const need = Math.ceil(bytes / 65536) - memory.buffer.byteLength / 65536;
    if (need > 0) memory.grow(need);
  };
  const guard = () => {
    ensure(top + GUARD * 4);
    u32().fill(GUARD_BITS, top >> 2, (top >> 2) + GUARD);
    guards.push(top);
    top += GUARD * 4;
  };
  return {
    name,
    k,
    memory,
    f32(n, init) {
      if (guards.length === 0) guard();
      const ptr = top;
      top += Math.ceil((n * 4) / 64) * 64;
      ensure(top);
      const view = new Float32Array(memory.buffer, ptr, n);
      if (init) view.set(init);
      else view.fill(0);
      guard();
      return ptr;
    },
    read: (ptr, n) => new Float32Array(memory.buffer, ptr, n).slice(),
    checkGuards() {
      const view = u32();
      for (const g of guards) {
        for (let i = g >> 2; i < (g >> 2) + GUARD; i++) {
          if (view[i] !== GUARD_BITS) {
            throw new Error(`guard region at byte ${g} was overwritten at float ${i - (g >> 2)}`);
          }
        }
      }
    },
    reset() {
      top = base;
      guards.length = 0;
    },
  };
}

/**
 * The release kernels over a plain memory, over a shared memory, the portable build (no relaxed
 * SIMD) and the debug build.
 */
export async function kernelHarnesses(): Promise<KernelHarness[]> {
  debugModule ??= compileTarget("debug").then((bytes) =>
    new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>)
  );
  return [
    harness("release", kernelModule("plain"), "plain"),
    harness("release-shared", kernelModule("shared"), "shared"),
    harness("release-portable", kernelModule("portable"), "portable"),
    harness("debug", await debugModule, "plain"),
  ];
}

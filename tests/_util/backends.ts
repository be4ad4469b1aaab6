/**
 * The backends the conformance suite runs on (STYLE C11): wasm always (the release build and the
 * portable one without relaxed SIMD, which engines lacking it get), webgpu when the runtime
 * offers an adapter (software ones such as llvmpipe included: they run the same WGSL). Without an
 * adapter the webgpu suite is skipped with the reason printed, unless `DENDRITE_REQUIRE_WEBGPU=1`
 * (set by .ci/run, where Mesa's llvmpipe is installed): then a failing test says so, because a
 * skipped GPU suite must not look green.
 */
import type { CompleteBackend } from "../../src/backend/backend.ts";
import { sharedMemorySupported } from "../../src/backend/wasm/module.ts";
import { WasmBackend } from "../../src/backend/wasm/wasm_backend.ts";
import { probeAdapter } from "../../src/backend/webgpu/device.ts";
import { WebGpuBackend } from "../../src/backend/webgpu/webgpu_backend.ts";

/** A backend under test. */
export interface TestBackend {
  name: "wasm" | "wasm-portable" | "webgpu";
  backend: CompleteBackend;
}

/** Whether CI demands the webgpu suite (`DENDRITE_REQUIRE_WEBGPU=1`). */
export function webgpuRequired(): boolean {
  try {
    return Deno.env.get("DENDRITE_REQUIRE_WEBGPU") === "1";
  } catch {
    return false;
  }
}

let gpu: Promise<{ backend: WebGpuBackend | null; why: string }> | null = null;

/**
 * A WebGPU backend of its own for this test module (software adapters accepted), or null with the
 * reason. Registers a failing test when none exists and `DENDRITE_REQUIRE_WEBGPU=1`.
 */
export function testWebgpu(): Promise<{ backend: WebGpuBackend | null; why: string }> {
  gpu ??= (async () => {
    const probe = await probeAdapter();
    if (probe.adapter === null) {
      if (webgpuRequired()) {
        Deno.test("webgpu adapter exists (DENDRITE_REQUIRE_WEBGPU=1)", () => {
          throw new Error(`DENDRITE_REQUIRE_WEBGPU=1 but no WebGPU adapter: ${probe.why}`);
        });
      } else console.log(`webgpu tests skipped: ${probe.why}`);
      return { backend: null, why: probe.why };
    }
    return { backend: await WebGpuBackend.start(), why: "" };
  })();
  return gpu;
}

/** wasm (release and portable builds), and webgpu when an adapter exists (see the module doc). */
export async function testBackends(): Promise<TestBackend[]> {
  const wasm = new WasmBackend(sharedMemorySupported() ? "shared" : "plain");
  const list: TestBackend[] = [
    { name: "wasm", backend: wasm },
    { name: "wasm-portable", backend: new WasmBackend("portable") },
  ];
  const { backend } = await testWebgpu();
  if (backend) {
    list.push({ name: "webgpu", backend });
  }
  return list;
}

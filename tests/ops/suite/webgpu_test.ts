/**
 * The op suite (run.ts) on the WebGPU backend (software adapters such as llvmpipe included): every
 * case of `cases/` against its float64 reference within its webgpu bound (case.ts `webgpuTol`),
 * gradients by central differences, no tensor leaked. Without an adapter the suite is skipped with
 * the reason printed, unless `DENDRITE_REQUIRE_WEBGPU=1` (tests/_util/backends.ts): then it fails.
 */
import * as dn from "../../../mod.ts";
import { probeAdapter } from "../../../src/backend/webgpu/device.ts";
import { webgpuRequired } from "../../_util/backends.ts";
import { loadSuite, registerSuite } from "./run.ts";

const probe = await probeAdapter();
let skip: string | undefined;
if (probe.adapter === null) {
  skip = `no WebGPU adapter: ${probe.why}`;
  if (webgpuRequired()) {
    Deno.test("webgpu adapter exists for the op suite (DENDRITE_REQUIRE_WEBGPU=1)", () => {
      throw new Error(`DENDRITE_REQUIRE_WEBGPU=1 but ${skip}`);
    });
  } else console.log(`op suite on webgpu skipped: ${skip}`);
} else {
  await dn.ready({ backend: "webgpu" });
}
registerSuite("webgpu", await loadSuite(), { skip });

/**
 * The PyTorch-shaped MLP, CNN and LSTM run by `InferenceSession` on every backend: wasm first,
 * then threads (3 threads, every kernel call split) bit for bit equal to it, and webgpu (when an
 * adapter exists) within float32 rounding; the shape arithmetic and If's condition are read back
 * asynchronously there.
 */
import * as dn from "@dendrite/dendrite";
import { InferenceSession } from "@dendrite/dendrite/onnx";
import { activeBackend } from "../../src/backend/select.ts";
import type { ThreadsBackend } from "../../src/backend/threads/threads_backend.ts";
import { probeAdapter } from "../../src/backend/webgpu/device.ts";
import { assertEquals } from "../_util/assert.ts";
import { assertClose } from "../_util/assert_close.ts";
import { webgpuRequired } from "../_util/backends.ts";
import { uniform } from "./_models.ts";
import { pytorchCnn, pytorchLstm, pytorchMlp } from "./_pytorch.ts";

const MODELS: [string, Uint8Array, number[]][] = [
  ["mlp", pytorchMlp(), [3, 1, 28, 28]],
  ["cnn", pytorchCnn(), [2, 1, 16, 16]],
  ["lstm", pytorchLstm(), [3, 7, 8]],
];

/** Every output of every model on the active backend, read back. */
async function run(): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (const [, bytes, shape] of MODELS) {
    const session = await InferenceSession.create(bytes);
    const x = dn.tensor(uniform(shape.reduce((a, b) => a * b, 1), 1, 0, 1), shape);
    for (let i = 0; i < 2; i++) {
      const outputs = await session.run({ input: x });
      for (const t of Object.values(outputs)) {
        out.push(await t.data() as Float32Array);
        t.dispose();
      }
    }
    x.dispose();
    session.release();
  }
  return out;
}

await dn.ready({ backend: "wasm" });
const onWasm = await run();

Deno.test("InferenceSession on threads equals wasm bit for bit", async () => {
  const info = await dn.ready({ backend: "threads", threads: 3 });
  assertEquals(info.name, "threads");
  await (activeBackend() as ThreadsBackend).restart({ threads: 3, splitAlways: true });
  const got = await run();
  got.forEach((x, i) => assertEquals(x, onWasm[i], `output ${i} differs`));
});

const probe = await probeAdapter();
Deno.test({
  name: "InferenceSession on webgpu matches wasm within float32 rounding",
  ignore: probe.adapter === null && !webgpuRequired(),
  async fn() {
    await dn.ready({ backend: "webgpu" });
    const got = await run();
    got.forEach((x, i) => {
      const scale = onWasm[i].reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      assertClose(x, onWasm[i], { rel: 1e-4, abs: 1e-4 * scale }, `output ${i}`);
    });
  },
});

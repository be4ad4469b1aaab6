/**
 * The webgpu backend through the public API: selection (`ready()`, software adapters, "auto"),
 * async reads, the typed errors (dataSync, tensors from another backend, sumSquares for clipNorm,
 * a lost device, no adapter), and that ops chain on the GPU and give the wasm answers.
 * Skipped without an adapter, failed instead under `DENDRITE_REQUIRE_WEBGPU=1` (tests/_util/backends.ts).
 */
import * as dn from "../../mod.ts";
import { activeBackend } from "../../src/backend/select.ts";
import { isSoftwareAdapter } from "../../src/backend/webgpu/device.ts";
import { PipelineCache } from "../../src/backend/webgpu/pipelines.ts";
import type { WgslProgram } from "../../src/backend/webgpu/program.ts";
import type { WebGpuBackend } from "../../src/backend/webgpu/webgpu_backend.ts";
import { assert, assertEquals, assertRejects, assertThrows } from "../_util/assert.ts";
import { assertClose, Tol } from "../_util/assert_close.ts";
import { testWebgpu } from "../_util/backends.ts";

const { backend: probe } = await testWebgpu();
const ignore = probe === null;

Deno.test({
  name: 'ready({ backend: "webgpu" }) takes the adapter and says whether it is software',
  ignore,
  fn: async () => {
    const info = await dn.ready({ backend: "webgpu" });
    assertEquals(info.name, "webgpu");
    const gpu = activeBackend() as WebGpuBackend;
    assert(info.reason.includes(gpu.description), info.reason);
    assertEquals(/software/.test(info.reason), gpu.software);
    // Called again, it keeps the same device (tensors stay valid).
    await dn.ready({ backend: "webgpu" });
    assert(activeBackend() === gpu, "ready() twice reuses the device");
    await dn.ready({ backend: "wasm" });
  },
});

Deno.test({
  name: 'ready({ backend: "auto" }) never takes a software (fallback) adapter',
  ignore,
  fn: async () => {
    const info = await dn.ready({ backend: "auto" });
    const adapter = await navigator.gpu.requestAdapter();
    if (isSoftwareAdapter(adapter?.info)) assert(info.name !== "webgpu", info.reason);
    await dn.ready({ backend: "wasm" });
  },
});

Deno.test({
  name: "ops on webgpu chain on the GPU and match the wasm backend",
  ignore,
  fn: async () => {
    const x = [[1, -2, 3], [-4, 5, -6]], w = [[0.5, -1], [2, 0.25], [-1.5, 1]];
    const run = async () => {
      const y = dn.tidy(() => {
        const h = dn.matmul(dn.tensor(x), dn.tensor(w), {
          bias: dn.tensor([0.1, -0.2]),
          activation: "tanh",
        });
        return dn.softmax(dn.add(dn.mul(h, 3), dn.sum(h, 0)));
      });
      const out = await y.data();
      y.dispose();
      return out;
    };
    await dn.ready({ backend: "wasm" });
    const expected = await run();
    await dn.ready({ backend: "webgpu" });
    assertClose(await run(), Float64Array.from(expected), Tol.gpu, "chained ops on webgpu vs wasm");
    await dn.ready({ backend: "wasm" });
  },
});

Deno.test({
  name: "dataSync() on webgpu throws a TypeError pointing to await tensor.data()",
  ignore,
  fn: async () => {
    await dn.ready({ backend: "webgpu" });
    using t = dn.tensor([1, 2, 3]);
    assertThrows(() => t.dataSync(), TypeError, "use await tensor.data() on the webgpu backend");
    assertEquals([...await t.data()], [1, 2, 3]);
    await dn.ready({ backend: "wasm" });
  },
});

Deno.test({
  name: "a tensor created on another backend is rejected with a TypeError naming both backends",
  ignore,
  fn: async () => {
    await dn.ready({ backend: "wasm" });
    using onWasm = dn.tensor([1, 2]);
    await dn.ready({ backend: "webgpu" });
    using onGpu = dn.tensor([3, 4]);
    assertThrows(
      () => dn.add(onWasm, onGpu),
      TypeError,
      'created on backend "wasm" while backend "webgpu"',
    );
    // Moving it explicitly works.
    using moved = dn.tensor(await onWasm.data(), onWasm.shape);
    using sum = dn.add(moved, onGpu);
    assertEquals([...await sum.data()], [4, 6]);
    await dn.ready({ backend: "wasm" });
    assertThrows(
      () => dn.relu(onGpu),
      TypeError,
      'created on backend "webgpu" while backend "wasm"',
    );
  },
});

Deno.test({
  name: "clipNorm on webgpu clips on the device like wasm; sumSquares itself stays unsupported",
  ignore,
  fn: async () => {
    const train = async (backend: "wasm" | "webgpu") => {
      await dn.ready({ backend });
      dn.setSeed(3);
      const model = dn.sequential([dn.layers.dense({ units: 2, inputShape: [3] })]);
      model.compile({
        optimizer: dn.optimizers.sgd({ learningRate: 0.5, clipNorm: 0.1 }),
        loss: "meanSquaredError",
      });
      using x = dn.tensor([[1, 2, 3], [-1, 0.5, 2], [3, -2, 1], [0, 1, -1]]);
      using y = dn.tensor([[10, -10], [5, 5], [-8, 2], [1, 1]]);
      await model.fit(x, y, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
      const weights = await Promise.all(model.getWeights().map((w) => w.data()));
      model.dispose();
      return weights;
    };
    const cpu = await train("wasm");
    const gpu = await train("webgpu");
    cpu.forEach((w, i) =>
      w.forEach((v, j) =>
        assert(
          Math.abs(v - gpu[i][j]) <= 1e-5 + 1e-4 * Math.abs(v),
          `weight ${i}[${j}]: ${gpu[i][j]} vs ${v}`,
        )
      )
    );
    await dn.ready({ backend: "webgpu" });
    const gpuBackend = activeBackend() as WebGpuBackend;
    assert(!gpuBackend.supports("sumSquares"), "supports() is honest");
    assert(!gpuBackend.supports("readSync"), "reads are asynchronous on webgpu");
    assert(
      gpuBackend.supports("conv2d") && gpuBackend.supports("lstmGates"),
      "supports(conv2d, lstmGates)",
    );
    await dn.ready({ backend: "wasm" });
  },
});

Deno.test({
  name: "a lost device is reported as BackendUnavailableError and ready() starts a new one",
  ignore,
  fn: async () => {
    await dn.ready({ backend: "webgpu" });
    const gpu = activeBackend() as WebGpuBackend;
    const t = dn.tensor([1, 2, 3]);
    gpu.destroy();
    await gpu.device.lost;
    assertThrows(() => dn.relu(t), dn.BackendUnavailableError, "the GPU device was lost");
    await assertRejects(() => t.data(), dn.BackendUnavailableError, "call ready(");
    t.dispose(); // freeing after the loss is harmless
    await dn.ready({ backend: "webgpu" });
    assert(activeBackend() !== gpu, "a new device");
    using u = dn.relu(dn.tensor([-1, 2]));
    assertEquals([...await u.data()], [0, 2]);
    await dn.ready({ backend: "wasm" });
  },
});

Deno.test({
  name:
    'ready({ backend: "webgpu" }) rejects with BackendUnavailableError when there is no adapter',
  ignore,
  fn: async () => {
    await dn.ready({ backend: "wasm" });
    const gpu = navigator.gpu as GPU & { requestAdapter: GPU["requestAdapter"] };
    const original = gpu.requestAdapter;
    Object.defineProperty(gpu, "requestAdapter", {
      value: () => Promise.resolve(null),
      configurable: true,
    });
    try {
      await assertRejects(
        () => dn.ready({ backend: "webgpu" }),
        dn.BackendUnavailableError,
        "requestAdapter() returned null",
      );
      assertEquals((await dn.ready({ backend: "auto" })).name === "webgpu", false);
    } finally {
      Object.defineProperty(gpu, "requestAdapter", { value: original, configurable: true });
      delete (gpu as { requestAdapter?: unknown }).requestAdapter;
    }
    await dn.ready({ backend: "wasm" });
  },
});

Deno.test({
  name: "a WGSL program that does not compile throws an Error naming its key and line",
  ignore,
  fn: async () => {
    const cache = new PipelineCache(probe!.device);
    const broken: WgslProgram<null> = {
      key: () => "f32_broken",
      bindings: [{ name: "y", access: "read_write" }],
      uniforms: { n: "u32" },
      workgroupSize: () => [64, 1, 1],
      dispatch: () => [1, 1, 1],
      body: () => "  y[gi] = undefined_name;",
    };
    cache.get(broken, null);
    const error = await cache.check().then(() => null, (e: Error) => e);
    assert(error instanceof Error, "check() rejects");
    assert(/"f32_broken@64x1x1"/.test(error.message), error.message);
    assert(
      /line \d+/.test(error.message) && error.message.includes("undefined_name"),
      error.message,
    );
    assertThrows(() => cache.get(broken, null), Error, "f32_broken");
  },
});

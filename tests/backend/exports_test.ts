import {
  kernelModule,
  type KernelVariant,
  relaxedSimdSupported,
} from "../../src/backend/wasm/module.ts";
import { assert, assertEquals } from "../_util/assert.ts";

/** `<dtype>_<family>...`: f32, i32, u8 (bool), or x32/x8 for kernels that move bits of a size. */
const NAME = /^(f32|i32|u8|x32|x8)_[a-z0-9]+(_[a-z0-9]+)*$/;

Deno.test("kernel module exports only <dtype>_<family> names plus heap_base", () => {
  for (const variant of ["plain", "shared", "portable"] as const) {
    const names = WebAssembly.Module.exports(kernelModule(variant)).map((e) => e.name);
    const bad = names.filter((n) => n !== "heap_base" && n !== "memory" && !NAME.test(n));
    assertEquals(bad, [], `${variant} build exports names outside the convention`);
    assert(names.includes("heap_base"), "heap_base is exported");
  }
});

Deno.test("plain, shared and portable kernel builds export the same functions", () => {
  const list = (v: KernelVariant) =>
    WebAssembly.Module.exports(kernelModule(v)).map((e) => e.name).sort();
  assertEquals(list("plain"), list("shared"));
  assertEquals(list("plain"), list("portable"));
});

Deno.test("this engine runs relaxed SIMD, so the default backends use the fused builds", () => {
  // Deno's V8 has shipped relaxed SIMD since 11.4; the probe must say so, or every backend here
  // would quietly run the portable kernels.
  assert(relaxedSimdSupported(), "the relaxed SIMD probe module does not validate");
});

Deno.test("kernel module imports only the memory and abort", () => {
  const imports = WebAssembly.Module.imports(kernelModule("plain")).map((i) =>
    `${i.module}.${i.name}`
  );
  assert(imports.every((i) => i === "env.memory" || i === "env.abort"), imports.join(", "));
});

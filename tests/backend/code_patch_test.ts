/**
 * The portable kernel build ships as a body patch over the plain one (code_patch.ts): the rebuilt
 * module validates and runs, differs from the plain one only in function bodies, and bad patches
 * throw.
 */
import { applyBodyPatch, bodyPatch } from "../../src/backend/wasm/code_patch.ts";
import { kernelModule } from "../../src/backend/wasm/module.ts";
import { assert, assertEquals, assertThrows } from "../_util/assert.ts";

/** A module of `bodies.length` functions `() -> i32`, each returning its constant. */
function module(constants: number[]): Uint8Array {
  const body = (c: number) => [0x00, 0x41, c & 0x3f, 0x0b]; // no locals, i32.const c, end
  const code = constants.flatMap((c) => [4, ...body(c)]);
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    0x01,
    0x05,
    0x01,
    0x60,
    0x00,
    0x01,
    0x7f, // type () -> i32
    0x03,
    1 + constants.length,
    constants.length,
    ...constants.map(() => 0),
    0x07,
    0x05,
    0x01,
    0x01,
    0x66,
    0x00,
    constants.length - 1, // export "f": the last function
    0x0a,
    1 + code.length,
    constants.length,
    ...code,
  ]);
}

Deno.test("a body patch rebuilds the target module exactly, and only bodies differ", () => {
  const base = module([1, 2, 3]), target = module([1, 9, 30]);
  const patch = bodyPatch(base, target);
  assertEquals([...applyBodyPatch(base, patch)], [...target]);
  assert(patch.length < target.length);
  const f = new WebAssembly.Instance(new WebAssembly.Module(applyBodyPatch(base, patch))).exports
    .f as () => number;
  assertEquals(f(), 30);
  assertEquals(bodyPatch(base, base).length, 0);
  assertThrows(
    () => bodyPatch(base, module([1, 2])),
    Error,
    "differ outside their function bodies",
  );
  assertThrows(() => applyBodyPatch(base, Uint8Array.from([7, 1, 0])), RangeError, "malformed");
});

Deno.test("the portable kernel build, rebuilt from the plain one, compiles with the same exports", () => {
  const names = (m: WebAssembly.Module) => WebAssembly.Module.exports(m).map((e) => e.name);
  assertEquals(names(kernelModule("portable")), names(kernelModule("plain")));
});

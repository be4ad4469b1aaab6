/**
 * Dtypes at the boundary: `tensor()` infers and checks them as TF.js does, `data()` returns the
 * typed array of each, bool storage takes one byte per element, float-only ops reject other
 * dtypes by name, and `cast` converts (its kernel is checked per backend in
 * tests/backend/cast_test.ts).
 */
import * as dn from "../../mod.ts";
import { assertEquals, assertInstanceOf, assertThrows } from "../_util/assert.ts";

await dn.ready({ backend: "wasm" });

Deno.test("tensor() infers float32, int32 and bool as TF.js does", () => {
  dn.tidy(() => {
    assertEquals(dn.tensor([1.5, 2]).dtype, "float32");
    assertEquals(dn.tensor(Int32Array.from([1, 2])).dtype, "int32");
    assertEquals(dn.tensor(Uint8Array.from([1, 2])).dtype, "int32");
    assertEquals(dn.tensor([[true], [false]]).dtype, "bool");
    assertEquals(dn.tensor(true).dtype, "bool");
    assertEquals(dn.tensor([1, 0], [2], "bool").dtype, "bool");
  });
});

Deno.test("data() and dataSync() return the typed array of the dtype", async () => {
  using f = dn.tensor([1.5, -2]);
  using i = dn.tensor([7, -2147483648, 2147483647], [3], "int32");
  using b = dn.tensor([true, false, true, true, false]);
  assertInstanceOf(await f.data(), Float32Array);
  const iv = i.dataSync<"int32">();
  assertInstanceOf(iv, Int32Array);
  assertEquals([...iv], [7, -2147483648, 2147483647]);
  const bv = await b.data<"bool">();
  assertInstanceOf(bv, Uint8Array);
  assertEquals([...bv], [1, 0, 1, 1, 0]);
  assertEquals(bv.length, 5);
});

Deno.test("bool values are stored as bytes: 0 or 1 from any non-zero value", () => {
  using b = dn.tensor([2, 0, -1, NaN], [4], "bool");
  assertEquals([...b.dataSync<"bool">()], [1, 0, 1, 1]);
  const before = dn.memory().numBytes;
  using _bools = dn.zeros([4096], "bool");
  assertEquals(dn.memory().numBytes - before, 4096);
  using _ints = dn.zeros([4096], "int32");
  assertEquals(dn.memory().numBytes - before, 4096 + 4 * 4096);
});

Deno.test("fill(), zeros() and ones() take a dtype", () => {
  dn.tidy(() => {
    assertEquals([...dn.fill([3], -5, "int32").dataSync<"int32">()], [-5, -5, -5]);
    assertEquals([...dn.ones([5], "bool").dataSync<"bool">()], [1, 1, 1, 1, 1]);
    assertEquals([...dn.zeros([2], "int32").dataSync<"int32">()], [0, 0]);
    assertEquals(dn.ones([2], "int32").dtype, "int32");
  });
});

Deno.test("int32 values must be integers in range: no silent truncation", () => {
  assertThrows(() => dn.tensor([1.5], [1], "int32"), RangeError, "integers in [-2^31, 2^31)");
  assertThrows(() => dn.tensor([2 ** 31], [1], "int32"), RangeError, "at index 0");
  assertThrows(() => dn.fill([2], 0.5, "int32"), RangeError, "int32");
  assertThrows(() => dn.tensor([1], [1], "float64" as dn.DType), TypeError, '"dtype"');
  assertThrows(() => dn.zeros([1], "complex64" as dn.DType), TypeError, "complex64");
});

Deno.test("float-only ops reject int32 and bool tensors by name", () => {
  using i = dn.tensor([1, 2], [2], "int32");
  using b = dn.tensor([true, false]);
  assertThrows(() => dn.exp(i), TypeError, 'exp(): argument "x" must be a float32 tensor');
  assertThrows(() => dn.softmax(b), TypeError, "got a bool tensor");
  assertThrows(() => dn.matmul(i, i), TypeError, "dn.cast");
});

Deno.test("cast() converts between every pair of dtypes", () => {
  dn.tidy(() => {
    const f = dn.tensor([1.9, -1.9, 0, NaN, 3e9, -3e9]);
    assertEquals([...dn.cast(f, "int32").dataSync<"int32">()], [
      1,
      -1,
      0,
      0,
      2147483647,
      -2147483648,
    ]);
    assertEquals([...dn.cast(f, "bool").dataSync<"bool">()], [1, 1, 0, 1, 1, 1]);
    const i = dn.tensor([3, 0, -16777217], [3], "int32");
    assertEquals([...dn.cast(i, "float32").dataSync()], [3, 0, -16777216]);
    assertEquals([...dn.cast(i, "bool").dataSync<"bool">()], [1, 0, 1]);
    const b = dn.tensor([true, false, true]);
    assertEquals([...dn.cast(b, "int32").dataSync<"int32">()], [1, 0, 1]);
    assertEquals([...dn.cast(b, "float32").dataSync()], [1, 0, 1]);
    assertEquals(dn.cast(b, "bool").dtype, "bool");
  });
});

Deno.test("cast() passes the gradient through float32 to float32 only", () => {
  using x = dn.tensor([1, 2]);
  const [g] = dn.grads((t: dn.Tensor) => dn.sum(dn.mul(dn.cast(t, "float32"), 3)))([x]);
  assertEquals([...g.dataSync()], [3, 3]);
  g.dispose();
});

Deno.test("cast() rejects bad arguments", () => {
  using x = dn.tensor([1]);
  assertThrows(() => dn.cast(x, "int" as dn.DType), TypeError, 'cast(): argument "dtype"');
  assertThrows(() => dn.cast([1] as unknown as dn.Tensor, "int32"), TypeError, '"x"');
  assertThrows(
    () => (dn.cast as (...a: unknown[]) => dn.Tensor)(x, "int32", true),
    TypeError,
    "cast",
  );
});

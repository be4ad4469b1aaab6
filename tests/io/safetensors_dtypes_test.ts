/**
 * decodeSafetensors() on hand-made files of every dtype PyTorch writes: known bit patterns
 * (half-precision subnormals, infinities, NaN, -0; bfloat16; float64 out of float32's range;
 * integer extremes) come back as the float32 values they denote, at any alignment.
 */
import assert from "node:assert/strict";
import { decodeSafetensors } from "../../src/io/safetensors.ts";
import { assertThrows } from "../_util/assert.ts";

type Writer = (view: DataView, at: number, value: number | bigint) => void;

const WRITERS: Record<string, [number, Writer]> = {
  F64: [8, (v, at, x) => v.setFloat64(at, x as number, true)],
  F16: [2, (v, at, x) => v.setUint16(at, x as number, true)],
  BF16: [2, (v, at, x) => v.setUint16(at, x as number, true)],
  I64: [8, (v, at, x) => v.setBigInt64(at, x as bigint, true)],
  U64: [8, (v, at, x) => v.setBigUint64(at, x as bigint, true)],
  I32: [4, (v, at, x) => v.setInt32(at, x as number, true)],
  U32: [4, (v, at, x) => v.setUint32(at, x as number, true)],
  I16: [2, (v, at, x) => v.setInt16(at, x as number, true)],
  U16: [2, (v, at, x) => v.setUint16(at, x as number, true)],
  I8: [1, (v, at, x) => v.setInt8(at, x as number)],
  U8: [1, (v, at, x) => v.setUint8(at, x as number)],
  BOOL: [1, (v, at, x) => v.setUint8(at, x as number)],
};

/** A safetensors file with one tensor per entry, in order, written by DataView. */
function file(tensors: [name: string, dtype: string, values: (number | bigint)[]][]): Uint8Array {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, dtype, values] of tensors) {
    const size = WRITERS[dtype][0] * values.length;
    header[name] = { dtype, shape: [values.length], data_offsets: [offset, offset + size] };
    offset += size;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const [, dtype, values] of tensors) {
    const [size, write] = WRITERS[dtype];
    for (const x of values) {
      write(view, at, x);
      at += size;
    }
  }
  return out;
}

function decoded(bytes: Uint8Array, name: string): number[] {
  return [...decodeSafetensors(bytes).tensors.get(name)!.data];
}

Deno.test("decodeSafetensors() reads F16 bit patterns as their values: normals, subnormals, extremes, infinities, NaN, -0", () => {
  const bits = [0x3c00, 0xc000, 0x7bff, 0x0001, 0x03ff, 0x0400, 0x3555, 0x7c00, 0xfc00, 0x8000];
  const values = decoded(file([["h", "F16", bits]]), "h");
  assert.deepEqual(values, [
    1,
    -2,
    65504,
    2 ** -24,
    1023 * 2 ** -24,
    2 ** -14,
    Math.fround(0.333251953125),
    Infinity,
    -Infinity,
    -0,
  ]);
  assert.ok(Object.is(values[9], -0));
  assert.ok(Number.isNaN(decoded(file([["n", "F16", [0x7e00]]]), "n")[0]));
});

Deno.test("decodeSafetensors() reads BF16 as the top half of float32", () => {
  const values = decoded(
    file([["b", "BF16", [0x3f80, 0xc040, 0x4049, 0x7f80, 0x0001, 0x8000]]]),
    "b",
  );
  assert.deepEqual(values, [1, -3, 3.140625, Infinity, 2 ** -133, -0]);
});

Deno.test("decodeSafetensors() rounds F64 to float32, out-of-range values to infinity", () => {
  const xs = [0.1, 1.5, -1e300, 2 ** -149, 1 / 3];
  assert.deepEqual(decoded(file([["d", "F64", xs]]), "d"), [
    Math.fround(0.1),
    1.5,
    -Infinity,
    2 ** -149,
    Math.fround(1 / 3),
  ]);
});

Deno.test("decodeSafetensors() reads the integer dtypes and BOOL as float32 values", () => {
  const bytes = file([
    ["i8", "I8", [-128, -1, 0, 127]],
    ["u8", "U8", [0, 1, 255]],
    ["i16", "I16", [-32768, 32767]],
    ["u16", "U16", [65535]],
    ["i32", "I32", [-(2 ** 31), 16777217]],
    ["u32", "U32", [4294967295]],
    ["i64", "I64", [-5n, 2n ** 40n]],
    ["u64", "U64", [2n ** 64n - 1n]],
    ["bool", "BOOL", [0, 1, 1]],
  ]);
  assert.deepEqual(decoded(bytes, "i8"), [-128, -1, 0, 127]);
  assert.deepEqual(decoded(bytes, "u8"), [0, 1, 255]);
  assert.deepEqual(decoded(bytes, "i16"), [-32768, 32767]);
  assert.deepEqual(decoded(bytes, "u16"), [65535]);
  assert.deepEqual(decoded(bytes, "i32"), [-(2 ** 31), 16777216]); // 2^24 + 1 rounds
  assert.deepEqual(decoded(bytes, "u32"), [4294967296]);
  assert.deepEqual(decoded(bytes, "i64"), [-5, 2 ** 40]);
  assert.deepEqual(decoded(bytes, "u64"), [2 ** 64]);
  assert.deepEqual(decoded(bytes, "bool"), [0, 1, 1]);
});

Deno.test("decodeSafetensors() reads F64 and F16 tensors at odd byte offsets", () => {
  const bytes = file([["pad", "U8", [7, 8, 9]], ["d", "F64", [-2.5, 4]], ["h", "F16", [0x3c00]]]);
  assert.deepEqual(decoded(bytes, "d"), [-2.5, 4]);
  assert.deepEqual(decoded(bytes, "h"), [1]);
});

Deno.test("decodeSafetensors() rejects a half-precision tensor whose bytes do not fit its shape", () => {
  const bytes = file([["h", "F16", [0x3c00, 0x3c00]]]);
  const text = new TextDecoder().decode(bytes).replace('"shape":[2]', '"shape":[3]');
  assertThrows(
    () => decodeSafetensors(new TextEncoder().encode(text)),
    RangeError,
    "2 bytes per F16 element",
  );
});

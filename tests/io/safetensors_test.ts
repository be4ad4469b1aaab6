import assert from "node:assert/strict";
import { parseSafetensorsMetadata } from "@huggingface/hub";
import { decodeSafetensors, encodeSafetensors } from "../../src/io/safetensors.ts";

/** Builds a file from a header string (padded to 8 bytes) and `dataBytes` bytes of data. */
function file(header: string | object, dataBytes: number): Uint8Array {
  const json = typeof header === "string" ? header : JSON.stringify(header);
  const padded = json.padEnd(Math.ceil(json.length / 8) * 8, " ");
  const out = new Uint8Array(8 + padded.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded.length), true);
  out.set(new TextEncoder().encode(padded), 8);
  return out;
}

const f32 = (shape: number[], data_offsets: number[]) => ({ dtype: "F32", shape, data_offsets });

function rejects(bytes: Uint8Array, cls: ErrorConstructor, fragment: string): void {
  assert.throws(() => decodeSafetensors(bytes), (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${e}`);
    assert.match(e.message, /^Cannot decode safetensors in decodeSafetensors\(\): /);
    assert.ok(e.message.includes(fragment), `"${e.message}" lacks "${fragment}"`);
    assert.ok(!e.message.endsWith("."));
    return true;
  });
}

Deno.test("encodeSafetensors() round trips through decodeSafetensors() bitwise", () => {
  const special = new Float32Array(8);
  const bits = new Uint32Array(special.buffer);
  // Quiet NaN, NaN with payload, negative NaN, -0, +-inf, the smallest subnormal, max float.
  bits.set([0x7fc00000, 0x7fa12345, 0xffc00001, 0x80000000, 0x7f800000, 0xff800000, 1, 0x7f7fffff]);
  const scalar = new Float32Array([Math.PI]);
  const view = new Float32Array(new Float32Array([9, 1, 2, 3, 4, 5, 6]).buffer, 4, 6);
  const bytes = encodeSafetensors([
    { name: "special", shape: [2, 4], data: special },
    { name: "scalar", shape: [], data: scalar },
    { name: "empty", shape: [3, 0], data: new Float32Array(0) },
    { name: "10", shape: [6], data: view },
  ], { format: "pt", note: "ünïcode ✓" });
  assert.equal((bytes.length - 4 * 15) % 8, 0); // 15 floats after an 8-byte aligned start
  const out = decodeSafetensors(bytes);
  assert.deepEqual(out.metadata, { format: "pt", note: "ünïcode ✓" });
  assert.deepEqual([...out.tensors.keys()].sort(), ["10", "empty", "scalar", "special"]);
  const back = new Uint32Array(out.tensors.get("special")!.data.buffer);
  assert.deepEqual([...back], [...bits]);
  assert.deepEqual(out.tensors.get("special")!.shape, [2, 4]);
  assert.deepEqual(out.tensors.get("scalar"), { shape: [], data: scalar });
  assert.deepEqual(out.tensors.get("empty"), { shape: [3, 0], data: new Float32Array(0) });
  assert.deepEqual(out.tensors.get("10"), {
    shape: [6],
    data: new Float32Array([1, 2, 3, 4, 5, 6]),
  });
});

Deno.test("encodeSafetensors() writes the data section 8-byte aligned in the given order", () => {
  for (const name of ["a", "ab", "abc", "abcd", "abcdefgh"]) {
    const bytes = encodeSafetensors([
      { name, shape: [1], data: new Float32Array([1]) },
      { name: "0", shape: [1], data: new Float32Array([2]) },
    ]);
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    assert.equal(n % 8, 0);
    assert.equal(bytes.length, 8 + n + 8);
    assert.deepEqual(new Float32Array(bytes.slice(8 + n).buffer), new Float32Array([1, 2]));
  }
});

Deno.test("encodeSafetensors() matches a hand-computed layout byte for byte", () => {
  // The same bytes as the reference Python writer (safetensors 0.8.0) produces for this input.
  const json = '{"__metadata__":{"k":"v"},' +
    '"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},' +
    '"b":{"dtype":"F32","shape":[1,1],"data_offsets":[8,12]}} ';
  assert.equal(json.length, 136);
  const expected = new Uint8Array([
    ...[136, 0, 0, 0, 0, 0, 0, 0],
    ...new TextEncoder().encode(json),
    ...[0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0], // 1, -2
    ...[0x00, 0x00, 0x00, 0x3f], // 0.5
  ]);
  const bytes = encodeSafetensors([
    { name: "a", shape: [2], data: new Float32Array([1, -2]) },
    { name: "b", shape: [1, 1], data: new Float32Array([0.5]) },
  ], { k: "v" });
  assert.deepEqual(bytes, expected);
});

Deno.test("encodeSafetensors() writes an empty tensor list that decodes to nothing", () => {
  const bytes = encodeSafetensors([]);
  assert.deepEqual([...bytes], [8, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x7d, 32, 32, 32, 32, 32, 32]);
  const out = decodeSafetensors(bytes);
  assert.deepEqual(out.metadata, {});
  assert.equal(out.tensors.size, 0);
});

Deno.test("decodeSafetensors() copies tensors at unaligned offsets of a subarray", () => {
  const bytes = encodeSafetensors([
    { name: "a", shape: [1], data: new Float32Array([7]) },
    { name: "b", shape: [3], data: new Float32Array([1, 2, 3]) },
  ]);
  const shifted = new Uint8Array(bytes.length + 3);
  shifted.set(bytes, 3);
  const out = decodeSafetensors(shifted.subarray(3));
  assert.deepEqual(out.tensors.get("b")?.data, new Float32Array([1, 2, 3]));
  shifted.fill(0);
  assert.deepEqual(out.tensors.get("a")?.data, new Float32Array([7]));
  // Offsets need not be multiples of 4 once the header length is odd.
  const odd = file('{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', 4);
  new DataView(odd.buffer).setFloat32(odd.length - 4, -1.5, true);
  assert.deepEqual(decodeSafetensors(odd).tensors.get("x")?.data, new Float32Array([-1.5]));
});

Deno.test("encodeSafetensors() rejects invalid tensors", () => {
  const d = new Float32Array(2);
  const cases: [unknown[], ErrorConstructor, string][] = [
    [[{ name: "w", shape: [3], data: d }], RangeError, `must match "data": got 3 and 2 elements`],
    [
      [{ name: "w", shape: [2], data: d }, { name: "w", shape: [2], data: d }],
      RangeError,
      "unique",
    ],
    [[{ name: "", shape: [2], data: d }], RangeError, "non-empty"],
    [[{ name: "__metadata__", shape: [2], data: d }], RangeError, "__metadata__"],
    [[{ name: "w", shape: [-2], data: d }], RangeError, "non-negative integers: got -2"],
    [[{ name: "w", shape: [2], data: [0, 0] }], TypeError, "must be a Float32Array"],
    [[{ name: 1, shape: [2], data: d }], TypeError, `"name" must be a string`],
  ];
  for (const [tensors, cls, fragment] of cases) {
    assert.throws(
      () => encodeSafetensors(tensors as never),
      (e: Error) =>
        e instanceof cls && e.message.includes(fragment) &&
        e.message.startsWith("Cannot encode safetensors in encodeSafetensors(): tensor "),
    );
  }
  assert.throws(() => encodeSafetensors([], { k: 1 } as never), TypeError);
});

Deno.test("decodeSafetensors() rejects a file shorter than the 8-byte length", () => {
  rejects(new Uint8Array(0), RangeError, "got 0 bytes");
  rejects(new Uint8Array(7), RangeError, "at least the 8-byte header length: got 7 bytes");
});

Deno.test("decodeSafetensors() rejects data cut short", () => {
  const bytes = encodeSafetensors([{ name: "w", shape: [4], data: new Float32Array(4) }]);
  rejects(bytes.subarray(0, bytes.length - 1), RangeError, `"data_offsets" [0, 16] exceed the 15`);
  rejects(bytes.subarray(0, 20), RangeError, "header length");
});

Deno.test("decodeSafetensors() rejects a header length larger than the file", () => {
  const bytes = file("{}", 0);
  new DataView(bytes.buffer).setBigUint64(0, 9n, true);
  rejects(bytes, RangeError, "header length 9 exceeds the 8 bytes after the length");
});

Deno.test("decodeSafetensors() rejects a huge header length fast without allocating", () => {
  const bytes = file("{}", 96);
  new DataView(bytes.buffer).setBigUint64(0, 2n ** 63n - 1n, true);
  const start = performance.now();
  rejects(bytes, RangeError, "header length 9223372036854775807 exceeds the 104 bytes");
  new DataView(bytes.buffer).setBigUint64(0, 2n ** 64n - 1n, true);
  rejects(bytes, RangeError, "header length 18446744073709551615 exceeds");
  assert.ok(performance.now() - start < 50);
  assert.throws(
    () => decodeSafetensors(file("{}", 0), { maxHeaderBytes: 7 }),
    (e: Error) => e instanceof RangeError && e.message.includes(`"options.maxHeaderBytes" 7`),
  );
});

Deno.test("decodeSafetensors() rejects a header that is not JSON", () => {
  rejects(file('{"a": ', 0), SyntaxError, "header must be UTF-8 JSON");
  const bad = file("{}", 0);
  bad[9] = 0xff; // invalid UTF-8
  rejects(bad, SyntaxError, "header must be UTF-8 JSON");
});

Deno.test("decodeSafetensors() rejects a header that is not an object", () => {
  rejects(file("[1, 2]", 0), TypeError, "header must be a JSON object: got an array");
  rejects(file("null", 0), TypeError, "got null");
  rejects(file({ __metadata__: [] }, 0), TypeError, `"__metadata__" must be an object`);
  rejects(file({ __metadata__: { k: 1 } }, 0), TypeError, `value of "k" must be a string`);
  rejects(file({ w: 3 }, 0), TypeError, `tensor "w" must be an object: got number`);
});

Deno.test("decodeSafetensors() rejects dtypes it cannot convert to float32", () => {
  rejects(file({ h: { ...f32([2], [0, 2]), dtype: "F8_E4M3" } }, 2), TypeError, `tensor "h"`);
  rejects(
    file({ h: { ...f32([2], [0, 2]), dtype: "F8_E4M3" } }, 2),
    TypeError,
    `got string "F8_E4M3"`,
  );
  rejects(file({ c: { ...f32([1], [0, 8]), dtype: "C64" } }, 8), TypeError, `"C64"`);
  rejects(
    file({ i: { ...f32([1], [0, 4]), dtype: "I64" } }, 4),
    RangeError,
    "8 bytes per I64 element",
  );
  rejects(file({ i: { shape: [1], data_offsets: [0, 4] } }, 4), TypeError, "got undefined");
});

Deno.test("decodeSafetensors() rejects negative or fractional shapes", () => {
  rejects(file({ w: f32([-1], [0, 0]) }, 0), RangeError, "non-negative integers: got -1");
  rejects(file({ w: f32([1.5], [0, 6]) }, 6), RangeError, "got 1.5");
  rejects(file({ w: f32([2 ** 53], [0, 0]) }, 0), RangeError, "got 9007199254740992");
  rejects(
    file({ w: { ...f32([], [0, 4]), shape: "2" } }, 4),
    TypeError,
    `"shape" must be an array`,
  );
  rejects(file({ w: { ...f32([], [0, 4]), shape: ["2"] } }, 4), TypeError, "must hold numbers");
});

Deno.test("decodeSafetensors() rejects offsets out of range", () => {
  rejects(file({ w: f32([1], [0, 4]) }, 2), RangeError, "exceed the 2-byte data section");
  rejects(file({ w: f32([1], [-4, 0]) }, 4), RangeError, "0 <= begin <= end: got [-4, 0]");
  rejects(file({ w: f32([0], [4, 0]) }, 4), RangeError, "got [4, 0]");
  rejects(file({ w: f32([1], [0, 2 ** 40]) }, 4), RangeError, "[0, 1099511627776] exceed the 4");
  rejects(file({ w: f32([1], [0, 2 ** 60]) }, 4), RangeError, "integers with 0 <= begin <= end");
  rejects(file({ w: f32([1], [0]) }, 4), TypeError, `"data_offsets" must be two numbers`);
  rejects(file({ w: f32([1], ["0", "4"] as never) }, 4), TypeError, "two numbers");
});

Deno.test("decodeSafetensors() rejects offsets that do not match the shape size", () => {
  rejects(file({ w: f32([2, 2], [0, 12]) }, 12), RangeError, "got 12 bytes for 4 elements");
  // A product beyond 2^53 cannot be mistaken for a small span.
  const big = 2 ** 26;
  rejects(file({ w: f32([big, big, big], [0, 4]) }, 4), RangeError, "4 bytes for");
  rejects(file({ w: f32([1e300 as never, 0], [0, 4]) }, 4), RangeError, "got 1e+300");
});

Deno.test("decodeSafetensors() rejects overlapping offsets", () => {
  const header = { a: f32([2], [0, 8]), b: f32([2], [4, 12]) };
  rejects(file(header, 12), RangeError, `tensor "b" at [4, 12] overlaps tensor "a" at [0, 8]`);
  rejects(file({ a: f32([1], [0, 4]), b: f32([1], [0, 4]) }, 4), RangeError, "overlaps");
});

Deno.test("decodeSafetensors() rejects gaps and trailing bytes in the data section", () => {
  const header = { a: f32([1], [0, 4]), b: f32([1], [8, 12]) };
  rejects(
    file(header, 12),
    RangeError,
    `tensor "b" at [8, 12] leaves a gap of 4 bytes after byte 4`,
  );
  rejects(file({ a: f32([1], [4, 8]) }, 8), RangeError, "gap of 4 bytes after byte 0");
  rejects(file({ a: f32([1], [0, 4]) }, 5), RangeError, "tensors cover 4 of the 5 bytes");
});

Deno.test("decodeSafetensors() accepts zero-size tensors anywhere and __proto__ keys", () => {
  const header = { z: f32([0], [4, 4]), a: f32([1], [0, 4]), __proto__x: f32([0], [0, 0]) };
  const out = decodeSafetensors(file(header, 4));
  assert.deepEqual([...out.tensors.keys()], ["z", "a", "__proto__x"]);
  const meta = decodeSafetensors(file('{"__metadata__":{"__proto__":"p"}}', 0)).metadata;
  assert.equal(Object.getPrototypeOf(meta), Object.prototype);
  assert.equal(Object.getOwnPropertyDescriptor(meta, "__proto__")?.value, "p");
});

Deno.test("encodeSafetensors() output is read by the @huggingface/hub header parser", async () => {
  const bytes = encodeSafetensors([
    { name: "w", shape: [3, 2], data: new Float32Array(6).fill(0.5) },
    { name: "b", shape: [0], data: new Float32Array(0) },
    { name: "s", shape: [], data: new Float32Array([1]) },
    { name: "10", shape: [5], data: new Float32Array(5) },
  ], { format: "pt" });
  // Serves `bytes` as a Hub file for the parser's ranged GET requests, entirely in memory.
  const serve = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = String(input instanceof Request ? input.url : input);
    if (!url.endsWith("/model.safetensors")) {
      return Promise.resolve(new Response(null, { status: 404 }));
    }
    const range = /bytes=(\d+)-(\d*)/.exec(new Headers(init?.headers).get("Range") ?? "");
    const from = Number(range?.[1] ?? 0);
    const to = Math.min(range?.[2] ? Number(range[2]) : Infinity, bytes.length - 1);
    const headers = { "Content-Range": `bytes ${from}-${to}/${bytes.length}`, ETag: '"x"' };
    return Promise.resolve(new Response(bytes.slice(from, to + 1), { status: 206, headers }));
  };
  const parsed = await parseSafetensorsMetadata({
    repo: "dendrite/test",
    path: "model.safetensors",
    fetch: serve,
    computeParametersCount: true,
  });
  assert.equal(parsed.sharded, false);
  if (parsed.sharded) return;
  const { __metadata__, ...tensors } = parsed.header;
  assert.deepEqual(__metadata__, { format: "pt" });
  assert.deepEqual(tensors, {
    w: { dtype: "F32", shape: [3, 2], data_offsets: [0, 24] },
    b: { dtype: "F32", shape: [0], data_offsets: [24, 24] },
    s: { dtype: "F32", shape: [], data_offsets: [24, 28] },
    10: { dtype: "F32", shape: [5], data_offsets: [28, 48] },
  });
  assert.deepEqual(parsed.parameterCount, { F32: 11 }); // the Hub leaves scalars out of the count
});

/**
 * Reader and writer for the safetensors format: an 8-byte little-endian u64 header length `N`,
 * `N` bytes of UTF-8 JSON header, then the raw little-endian tensor data. The writer writes F32;
 * the reader also takes the dtypes PyTorch saves (`F64`, `F16`, `BF16`, `I64`, `I32`, `I16`,
 * `I8`, `U64`, `U32`, `U16`, `U8`, `BOOL`), converted to float32 (integers above 2^24 round, as
 * any float32 does).
 *
 * The reader treats its input as hostile: every size and offset is checked against the bytes that
 * are actually there before anything is allocated, so a malformed file throws a `RangeError`,
 * `TypeError` or `SyntaxError` instead of crashing, hanging or exhausting memory.
 *
 * @module
 */

/** One named tensor to write with {@linkcode encodeSafetensors}. */
export interface SafetensorsEntry {
  /** Tensor name: non-empty, unique in the file, not `"__metadata__"`. */
  readonly name: string;
  /** Dimensions, outermost first; `[]` is a scalar. */
  readonly shape: readonly number[];
  /** Row-major values; `data.length` equals the product of `shape`. */
  readonly data: Float32Array;
}

/** Options for {@linkcode decodeSafetensors}. */
export interface DecodeSafetensorsOptions {
  /** Largest JSON header accepted, in bytes (default 100,000,000 as in the reference reader). */
  readonly maxHeaderBytes?: number;
}

/** What {@linkcode decodeSafetensors} returns: the `__metadata__` strings and the tensors. */
export interface DecodedSafetensors {
  /** The `__metadata__` object of the header, or `{}` when absent. */
  metadata: Record<string, string>;
  /** Tensors by name, in header order; each `data` is a fresh copy, not a view of the input. */
  tensors: Map<string, { shape: number[]; data: Float32Array }>;
}

const DEFAULT_MAX_HEADER_BYTES = 100_000_000;

/** Bytes per element of each dtype the reader converts to float32. */
const DTYPE_BYTES: Readonly<Record<string, number>> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U64: 8,
  U32: 4,
  U16: 2,
  U8: 1,
  BOOL: 1,
};

/** An IEEE 754 half-precision bit pattern as a number (subnormals, infinities and NaN kept). */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1, exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** A tensor's little-endian bytes (any alignment) as float32 values. */
function toFloat32(bytes: Uint8Array, dtype: string): Float32Array {
  const raw = new Uint8Array(bytes.length);
  raw.set(bytes); // aligned copy; hosts are little-endian like the format
  const buffer = raw.buffer;
  switch (dtype) {
    case "F32":
      return new Float32Array(buffer);
    case "F16":
      return Float32Array.from(new Uint16Array(buffer), halfToFloat);
    case "BF16": {
      const halves = new Uint16Array(buffer), out = new Uint32Array(halves.length);
      for (let i = 0; i < halves.length; i++) out[i] = halves[i] << 16;
      return new Float32Array(out.buffer);
    }
    case "I64":
      return Float32Array.from(new BigInt64Array(buffer), Number);
    case "U64":
      return Float32Array.from(new BigUint64Array(buffer), Number);
    case "BOOL":
      return Float32Array.from(raw, (v) => v === 0 ? 0 : 1);
  }
  const Views = { F64: Float64Array, I32: Int32Array, I16: Int16Array, I8: Int8Array };
  const Unsigned = { U32: Uint32Array, U16: Uint16Array, U8: Uint8Array };
  const View = { ...Views, ...Unsigned }[dtype as "F64"];
  return Float32Array.from(new View(buffer));
}
const ENCODE = "Cannot encode safetensors in encodeSafetensors()";
const DECODE = "Cannot decode safetensors in decodeSafetensors()";

type ErrorClass = RangeErrorConstructor | TypeErrorConstructor | SyntaxErrorConstructor;

function fmtShape(shape: readonly unknown[]): string {
  return `[${shape.map((d) => typeof d === "number" ? String(d) : JSON.stringify(d)).join(", ")}]`;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "string" ? `string ${JSON.stringify(value)}` : typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Element count of a validated shape; a zero dimension wins over an overflow to Infinity. */
function product(shape: readonly number[]): number {
  return shape.includes(0) ? 0 : shape.reduce((a, b) => a * b, 1);
}

function checkShape(
  shape: unknown,
  fail: (cls: ErrorClass, detail: string) => Error,
): number[] {
  if (!Array.isArray(shape)) {
    throw fail(TypeError, `"shape" must be an array: got ${typeName(shape)}`);
  }
  for (const d of shape) {
    if (typeof d !== "number") {
      throw fail(TypeError, `"shape" ${fmtShape(shape)} must hold numbers: got ${typeName(d)}`);
    }
    if (!Number.isSafeInteger(d) || d < 0) {
      throw fail(
        RangeError,
        `"shape" ${fmtShape(shape)} must hold non-negative integers: got ${d}`,
      );
    }
  }
  return shape as number[];
}

/**
 * Serializes F32 tensors to safetensors bytes, in the given order, with the header padded with
 * spaces so that the data section starts 8-byte aligned (as the reference writer does).
 *
 * @param tensors The tensors to write; each `data` is row-major with `shape` (`[]` for a scalar).
 * @param metadata Optional string pairs stored as the header's `__metadata__` object.
 * @returns The file contents: 8-byte length, padded JSON header, then the tensors' bytes.
 * @throws {TypeError} If `tensors` is not an array, a name is not a string, a `data` is not a
 * `Float32Array`, or a metadata value is not a string.
 * @throws {RangeError} If a name is empty, repeated or `"__metadata__"`, a shape holds something
 * other than non-negative integers, or a shape's product differs from `data.length`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeSafetensors, encodeSafetensors } from "./safetensors.ts";
 *
 * const bytes = encodeSafetensors([{ name: "w", shape: [2, 1], data: new Float32Array([1, 2]) }]);
 * const out = decodeSafetensors(bytes);
 * assert.deepEqual(out.tensors.get("w"), { shape: [2, 1], data: new Float32Array([1, 2]) });
 * ```
 */
export function encodeSafetensors(
  tensors: ReadonlyArray<SafetensorsEntry>,
  metadata?: Record<string, string>,
): Uint8Array {
  if (!Array.isArray(tensors)) {
    throw new TypeError(`${ENCODE}: "tensors" must be an array: got ${typeName(tensors)}`);
  }
  // The header is assembled by hand so that it lists tensors in the given order even when names
  // look like integers (a JS object would move those first).
  const parts: string[] = [];
  if (metadata !== undefined) {
    if (!isPlainObject(metadata)) {
      throw new TypeError(`${ENCODE}: "metadata" must be an object: got ${typeName(metadata)}`);
    }
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value === "string") continue;
      const detail = `value of "${key}" must be a string: got ${typeName(value)}`;
      throw new TypeError(`${ENCODE}: "metadata" ${detail}`);
    }
    parts.push(`"__metadata__":${JSON.stringify(metadata)}`);
  }
  const seen = new Set<string>();
  let offset = 0;
  tensors.forEach((t, i) => {
    const where = `tensor ${i}`;
    const fail = (cls: ErrorClass, detail: string) => new cls(`${ENCODE}: ${where} ${detail}`);
    if (typeof t?.name !== "string") {
      throw fail(TypeError, `"name" must be a string: got ${typeName(t?.name)}`);
    }
    if (t.name === "" || t.name === "__metadata__") {
      throw fail(RangeError, `"name" must be non-empty and not "__metadata__": got "${t.name}"`);
    }
    if (seen.has(t.name)) throw fail(RangeError, `"name" must be unique: got "${t.name}" twice`);
    seen.add(t.name);
    const shape = checkShape(t.shape, (cls, detail) => fail(cls, `"${t.name}" ${detail}`));
    if (!(t.data instanceof Float32Array)) {
      throw fail(TypeError, `"${t.name}" "data" must be a Float32Array: got ${typeName(t.data)}`);
    }
    const count = product(shape);
    if (count !== t.data.length) {
      const detail = `must match "data": got ${count} and ${t.data.length} elements`;
      throw fail(RangeError, `"${t.name}" "shape" ${fmtShape(shape)} ${detail}`);
    }
    const info = { dtype: "F32", shape, data_offsets: [offset, offset + 4 * count] };
    parts.push(`${JSON.stringify(t.name)}:${JSON.stringify(info)}`);
    offset += 4 * count;
  });
  const json = new TextEncoder().encode(`{${parts.join(",")}}`);
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const t of tensors) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

/**
 * Parses safetensors bytes, validating the whole header first and copying each tensor out of
 * `bytes` (any alignment) as float32: `F32` as is; `F64`, `F16`, `BF16` and the integer dtypes
 * (`I64`, `I32`, `I16`, `I8`, `U64`, `U32`, `U16`, `U8`, `BOOL` as 0/1) converted.
 *
 * @param bytes The file contents.
 * @param options `maxHeaderBytes` caps the JSON header size (default 100,000,000).
 * @returns The `__metadata__` strings and a map from tensor name to shape and a copy of its data.
 * @throws {RangeError} If the file is shorter than 8 bytes, the header length exceeds the file or
 * `maxHeaderBytes`, a shape holds negative or fractional sizes, or the data offsets fall outside the
 * data section, disagree with the shape, overlap, or leave gaps or trailing bytes.
 * @throws {TypeError} If `bytes` is not a `Uint8Array`, the header is not a JSON object, an entry or
 * `__metadata__` has the wrong type, or a tensor's dtype is none of the above (`F8_E4M3`,
 * `C64` ...).
 * @throws {SyntaxError} If the header is not valid UTF-8 JSON.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeSafetensors, encodeSafetensors } from "./safetensors.ts";
 *
 * const bytes = encodeSafetensors([], { format: "pt" });
 * assert.deepEqual(decodeSafetensors(bytes, { maxHeaderBytes: 1024 }).metadata, { format: "pt" });
 * assert.throws(() => decodeSafetensors(bytes.subarray(0, 4)), RangeError);
 * ```
 */
export function decodeSafetensors(
  bytes: Uint8Array,
  options: DecodeSafetensorsOptions = {},
): DecodedSafetensors {
  const fail = (cls: ErrorClass, detail: string) => new cls(`${DECODE}: ${detail}`);
  if (!(bytes instanceof Uint8Array)) {
    throw fail(TypeError, `"bytes" must be a Uint8Array: got ${typeName(bytes)}`);
  }
  const maxHeaderBytes = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  if (!Number.isSafeInteger(maxHeaderBytes) || maxHeaderBytes < 0) {
    throw fail(
      RangeError,
      `"options.maxHeaderBytes" must be a non-negative integer: got ${maxHeaderBytes}`,
    );
  }
  if (bytes.length < 8) {
    throw fail(
      RangeError,
      `"bytes" must hold at least the 8-byte header length: got ${bytes.length} bytes`,
    );
  }
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(bytes.length - 8)) {
    throw fail(
      RangeError,
      `header length ${n} exceeds the ${bytes.length - 8} bytes after the length in "bytes"`,
    );
  }
  if (n > BigInt(maxHeaderBytes)) {
    throw fail(RangeError, `header length ${n} exceeds "options.maxHeaderBytes" ${maxHeaderBytes}`);
  }
  const dataStart = 8 + Number(n);
  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, dataStart)),
    );
  } catch (e) {
    throw fail(SyntaxError, `header must be UTF-8 JSON: ${(e as Error).message}`);
  }
  if (!isPlainObject(header)) {
    throw fail(TypeError, `header must be a JSON object: got ${typeName(header)}`);
  }
  const metadata = checkMetadata(header.__metadata__, fail);
  const dataLength = bytes.length - dataStart;
  const entries = Object.entries(header).filter(([name]) => name !== "__metadata__")
    .map(([name, info]) => checkEntry(name, info, dataLength, fail));
  checkCoverage(entries, dataLength, fail);
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const { name, shape, dtype, begin, end } of entries) {
    tensors.set(name, {
      shape,
      data: toFloat32(bytes.subarray(dataStart + begin, dataStart + end), dtype),
    });
  }
  return { metadata, tensors };
}

type Fail = (cls: ErrorClass, detail: string) => Error;

function checkMetadata(value: unknown, fail: Fail): Record<string, string> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) {
    throw fail(TypeError, `"__metadata__" must be an object: got ${typeName(value)}`);
  }
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== "string") {
      throw fail(
        TypeError,
        `"__metadata__" value of "${key}" must be a string: got ${typeName(v)}`,
      );
    }
  }
  return Object.fromEntries(Object.entries(value as Record<string, string>));
}

interface Entry {
  name: string;
  shape: number[];
  dtype: string;
  begin: number;
  end: number;
}

function checkEntry(name: string, info: unknown, dataLength: number, outer: Fail): Entry {
  const fail: Fail = (cls, detail) => outer(cls, `tensor "${name}" ${detail}`);
  if (!isPlainObject(info)) throw fail(TypeError, `must be an object: got ${typeName(info)}`);
  const dtype = info.dtype;
  if (typeof dtype !== "string" || !Object.hasOwn(DTYPE_BYTES, dtype)) {
    throw fail(
      TypeError,
      `must have a dtype of ${Object.keys(DTYPE_BYTES).join(", ")}: got ${typeName(dtype)}`,
    );
  }
  const size = DTYPE_BYTES[dtype];
  const shape = checkShape(info.shape, fail);
  const offsets = info.data_offsets;
  if (
    !Array.isArray(offsets) || offsets.length !== 2 || offsets.some((o) => typeof o !== "number")
  ) {
    throw fail(TypeError, `"data_offsets" must be two numbers: got ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as number[];
  if (!Number.isSafeInteger(begin) || !Number.isSafeInteger(end) || begin < 0 || begin > end) {
    throw fail(
      RangeError,
      `"data_offsets" must be integers with 0 <= begin <= end: got [${begin}, ${end}]`,
    );
  }
  if (end > dataLength) {
    throw fail(
      RangeError,
      `"data_offsets" [${begin}, ${end}] exceed the ${dataLength}-byte data section`,
    );
  }
  const count = product(shape);
  if (count * size !== end - begin) {
    throw fail(
      RangeError,
      `"data_offsets" [${begin}, ${end}] must span ${size} bytes per ${dtype} element of "shape" ${
        fmtShape(shape)
      }: got ${end - begin} bytes for ${count} elements`,
    );
  }
  return { name, shape, dtype, begin, end };
}

/** Offsets must tile the data section exactly: no overlap, no gap, no trailing bytes. */
function checkCoverage(entries: readonly Entry[], dataLength: number, fail: Fail): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let prev: Entry | undefined;
  for (const e of sorted) {
    const at = prev?.end ?? 0;
    const where = `tensor "${e.name}" at [${e.begin}, ${e.end}]`;
    if (e.begin < at) {
      throw fail(RangeError, `${where} overlaps tensor "${prev?.name}" at [${prev?.begin}, ${at}]`);
    }
    if (e.begin > at) {
      throw fail(RangeError, `${where} leaves a gap of ${e.begin - at} bytes after byte ${at}`);
    }
    prev = e;
  }
  const covered = prev?.end ?? 0;
  if (covered !== dataLength) {
    throw fail(
      RangeError,
      `tensors cover ${covered} of the ${dataLength} bytes of the data section`,
    );
  }
}

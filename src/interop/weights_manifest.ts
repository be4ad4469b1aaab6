/**
 * The `weightsManifest` of a TF.js `model.json`: groups of weights, each group stored as the
 * concatenation of its shard files. Everything is checked before a shard is read: paths stay
 * inside the model's folder, dtypes are float32, dimensions are non-negative integers whose
 * byte size is computed without overflow, and names are unique.
 *
 * @module
 */
import { fmtShape, fmtValue } from "../_check.ts";
import type { Fail } from "./keras_config.ts";

/** One weight of the manifest: where its float32 values sit in its group's bytes. */
export interface WeightSpec {
  name: string;
  shape: number[];
  group: number;
  /** Byte offset in the group's concatenated shards. */
  offset: number;
  bytes: number;
}

/** The parsed manifest: each group's shard paths and total bytes, and the weights. */
export interface Manifest {
  groups: { paths: string[]; bytes: number }[];
  weights: WeightSpec[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** A shard path: relative, inside the model's folder, no scheme. */
function checkPath(p: unknown, where: string, fail: Fail): string {
  if (
    typeof p !== "string" || p === "" || p.startsWith("/") || p.includes("\\") ||
    /^[a-z][a-z0-9+.-]*:/i.test(p) || p.split("/").some((s) => s === ".." || s === "")
  ) {
    fail(
      TypeError,
      `${where} must be a relative path inside the model's folder: got ${fmtValue(p)}`,
    );
  }
  return p;
}

function checkDims(shape: unknown, where: string, fail: Fail): number[] {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    fail(RangeError, `${where} "shape" must hold non-negative integers: got ${fmtValue(shape)}`);
  }
  return shape as number[];
}

const WEIGHT_KEYS = new Set(["name", "shape", "dtype", "group"]);

/** Parses and checks `weightsManifest`; `fail` throws the caller's typed error. */
export function parseManifest(manifest: unknown, fail: Fail): Manifest {
  if (!Array.isArray(manifest)) {
    fail(TypeError, `"weightsManifest" must be a list of groups: got ${fmtValue(manifest)}`);
  }
  const groups: Manifest["groups"] = [];
  const weights: WeightSpec[] = [];
  const names = new Set<string>();
  manifest.forEach((g: unknown, gi) => {
    const where = `"weightsManifest[${gi}]"`;
    if (!isObject(g) || !Array.isArray(g.paths) || !Array.isArray(g.weights)) {
      fail(TypeError, `${where} must be { paths, weights }: got ${fmtValue(g)}`);
    }
    const paths = g.paths.map((p, i) => checkPath(p, `${where}.paths[${i}]`, fail));
    let offset = 0;
    g.weights.forEach((w: unknown, wi) => {
      const at = `${where}.weights[${wi}]`;
      if (!isObject(w) || typeof w.name !== "string") {
        fail(TypeError, `${at} must be { name, shape, dtype }: got ${fmtValue(w)}`);
      }
      const extra = Object.keys(w).find((k) => !WEIGHT_KEYS.has(k));
      if (extra !== undefined) {
        fail(
          TypeError,
          `${at} ("${w.name}") key "${extra}" is not supported (quantized weights are not)`,
        );
      }
      if (w.dtype !== "float32") {
        fail(TypeError, `${at} ("${w.name}") "dtype" must be "float32": got ${fmtValue(w.dtype)}`);
      }
      if (names.has(w.name)) fail(RangeError, `weight "${w.name}" is listed twice`);
      names.add(w.name);
      const shape = checkDims(w.shape, `${at} ("${w.name}")`, fail);
      let bytes = 4;
      for (const d of shape) bytes *= d;
      if (!Number.isSafeInteger(offset + bytes)) {
        fail(RangeError, `${at} ("${w.name}") shape ${fmtShape(shape)} is too large`);
      }
      weights.push({ name: w.name, shape, group: gi, offset, bytes });
      offset += bytes;
    });
    groups.push({ paths, bytes: offset });
  });
  return { groups, weights };
}

/**
 * A group's bytes from its shards, each read by `read` after `size` (when given) says the
 * shards hold exactly the manifest's bytes, so a short shard fails before anything is read.
 */
export async function groupBytes(
  group: Manifest["groups"][number],
  gi: number,
  read: (path: string) => Promise<Uint8Array>,
  size: ((path: string) => Promise<number>) | undefined,
  fail: Fail,
): Promise<Uint8Array> {
  const mismatch = (got: number) =>
    fail(
      RangeError,
      `the shards of "weightsManifest[${gi}]" (${
        group.paths.join(", ")
      }) must hold the ${group.bytes} bytes its weights take: got ${got}`,
    );
  if (size) {
    let total = 0;
    for (const p of group.paths) total += await size(p);
    if (total !== group.bytes) mismatch(total);
  }
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const p of group.paths) {
    const part = await read(p);
    total += part.length;
    if (total > group.bytes) mismatch(total);
    parts.push(part);
  }
  if (total !== group.bytes) mismatch(total);
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

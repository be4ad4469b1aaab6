/**
 * WGSL programs as small declarative objects (STYLE C5): a cache key, storage bindings, uniform
 * fields, a workgroup size chosen from the device limits, a dispatch size, and the body of `main`.
 * `wgslSource()` assembles the shader: the uniform struct, the bindings, `WG_X/WG_Y/WG_Z`
 * constants, the builtins (`gid`, `lid`, `wid`, `nwg`) and `gi`, the flat invocation index of a
 * 1-D launch spread over x and y (more than 65 535 workgroups are dispatched as a 2-D grid).
 *
 * @module
 */

/** Scalar types a uniform field may have. */
export type UniformType = "u32" | "i32" | "f32";

/** A storage binding: its WGSL name, whether the program writes it, and its WGSL type. */
export interface Binding {
  name: string;
  access: "read" | "read_write";
  /** The WGSL type of the binding; `array<f32>` (tensor storage) when absent. */
  type?: string;
}

/** Workgroup dimensions. */
export type Vec3 = [number, number, number];

/** The device limits programs size themselves from. */
export interface ProgramLimits {
  maxComputeInvocationsPerWorkgroup: number;
  maxComputeWorkgroupSizeX: number;
  maxComputeWorkgroupsPerDimension: number;
}

/** A compute program with specialisation parameters `P`. */
export interface WgslProgram<P> {
  /** Pipeline cache key: the family name plus every specialisation that changes the WGSL. */
  key(p: P): string;
  /** Storage bindings, in binding order; the uniform struct `u` is bound after them. */
  bindings: readonly Binding[];
  /** Uniform fields, in struct order. */
  uniforms: Readonly<Record<string, UniformType>>;
  /** Workgroup size for these limits (part of the cache key). */
  workgroupSize(limits: ProgramLimits, p: P): Vec3;
  /** Workgroups to dispatch. */
  dispatch(p: P, wg: Vec3, limits: ProgramLimits): Vec3;
  /** Module-scope WGSL placed before `main` (helper functions, workgroup arrays). */
  helpers?(p: P, wg: Vec3): string;
  /** Statements of `main`. */
  body(p: P, wg: Vec3): string;
}

/** The largest 1-D workgroup the limits allow, capped at 256. */
export function linearWorkgroup(limits: ProgramLimits): Vec3 {
  return [
    Math.min(256, limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX),
    1,
    1,
  ];
}

/** Workgroups covering `n` invocations of a 1-D program, as a 2-D grid when x would overflow. */
export function linearDispatch(n: number, wg: Vec3, limits: ProgramLimits): Vec3 {
  const groups = Math.max(1, Math.ceil(n / wg[0]));
  const maxX = limits.maxComputeWorkgroupsPerDimension;
  if (groups <= maxX) return [groups, 1, 1];
  return [maxX, Math.ceil(groups / maxX), 1];
}

/** Workgroups covering `n` work items, one workgroup each, as a 2-D grid when x would overflow. */
export function groupDispatch(n: number, limits: ProgramLimits): Vec3 {
  const maxX = limits.maxComputeWorkgroupsPerDimension;
  const groups = Math.max(1, n);
  return groups <= maxX ? [groups, 1, 1] : [maxX, Math.ceil(groups / maxX), 1];
}

/** Bytes of the uniform struct (4 per field, rounded up to 16). */
export function uniformBytes(uniforms: Readonly<Record<string, UniformType>>): number {
  return Math.max(16, Math.ceil((Object.keys(uniforms).length * 4) / 16) * 16);
}

/** Packs uniform `values` in struct order. */
export function packUniforms(
  uniforms: Readonly<Record<string, UniformType>>,
  values: Readonly<Record<string, number>>,
  key: string,
): Uint8Array {
  const bytes = new Uint8Array(uniformBytes(uniforms));
  const view = new DataView(bytes.buffer);
  let at = 0;
  for (const [name, type] of Object.entries(uniforms)) {
    const v = values[name];
    if (typeof v !== "number") {
      throw new TypeError(`Cannot dispatch WGSL program "${key}": uniform "${name}" is missing`);
    }
    if (type === "f32") view.setFloat32(at, v, true);
    else if (type === "u32") view.setUint32(at, v >>> 0, true);
    else view.setInt32(at, v | 0, true);
    at += 4;
  }
  return bytes;
}

/** The full WGSL source of `program` specialised by `p`. */
export function wgslSource<P>(program: WgslProgram<P>, p: P, wg: Vec3): string {
  const fields = Object.entries(program.uniforms);
  const struct = fields.length === 0
    ? "struct U { _pad: u32 }"
    : `struct U {\n${fields.map(([n, t]) => `  ${n}: ${t},`).join("\n")}\n}`;
  const bindings = program.bindings.map((b, i) =>
    `@group(0) @binding(${i}) var<storage, ${b.access}> ${b.name}: ${b.type ?? "array<f32>"};`
  );
  return [
    struct,
    ...bindings,
    `@group(0) @binding(${program.bindings.length}) var<uniform> u: U;`,
    `const WG_X: u32 = ${wg[0]}u;`,
    `const WG_Y: u32 = ${wg[1]}u;`,
    `const WG_Z: u32 = ${wg[2]}u;`,
    program.helpers?.(p, wg) ?? "",
    `@compute @workgroup_size(${wg.join(", ")})`,
    "fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,",
    "        @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {",
    "  let gi = gid.x + gid.y * nwg.x * WG_X;",
    "  let wi = wid.x + wid.y * nwg.x;",
    program.body(p, wg),
    "}",
    "",
  ].join("\n");
}

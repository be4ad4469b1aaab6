/**
 * Types of `kernels.generated.js`, the base64 kernel builds that `tools/build_kernels.ts` writes.
 *
 * @module
 */

/** Release kernels (SIMD and relaxed SIMD) over a shared memory, for the worker pool. */
export declare const KERNELS_WASM_SHARED: string;
/**
 * Byte offset of the memory import's limits flag in those bytes: 0x03 (shared, with a maximum);
 * the build over a plain memory is the same bytes with 0x01 there.
 */
export declare const MEMORY_FLAG_OFFSET: number;
/**
 * The build over a plain memory without relaxed SIMD (mul + add for FMA), for engines without
 * relaxed SIMD: the function bodies in which it differs from the plain build (`code_patch.ts`).
 */
export declare const KERNELS_PORTABLE_PATCH: string;

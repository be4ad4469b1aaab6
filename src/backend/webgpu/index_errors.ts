/**
 * The device-side check of gather's indices. The op checks indices on the host before any kernel
 * runs (ARCHITECTURE principle 8), but WebGPU cannot read them back synchronously, so there the
 * gather kernel checks each index itself: it writes zeros for an index that is not an integer in
 * `[0, rows)` (never reading out of bounds) and records the error in this small per-device flag
 * buffer. The backend copies the flag out in the same submit as the data of the next read, clears
 * it there, and that read throws {@linkcode indexError}'s RangeError.
 *
 * The flag is three u32 words, all zero when no error was recorded (so `clearBuffer` resets it):
 *
 * - word 0: `~call` of the first bad gather since the flag was last copied out. Calls are numbered
 *   from 0 in recording order; `atomicMax` of the complement keeps the smallest, and dispatches
 *   run in order, so a later bad call never overwrites an earlier one.
 * - word 1: `~position` of the first bad flat index of that call (`atomicMax` of the complement;
 *   only invocations of the call that owns word 0 write it, so it is deterministic).
 * - word 2: `rows` of that call (every writer stores the same value).
 *
 * @module
 */
import { STORAGE_USAGE } from "./buffers.ts";

/** u32 words of the flag. */
export const INDEX_ERROR_WORDS = 3;
/** Bytes of the flag, as copied into a readback staging buffer after the data. */
export const INDEX_ERROR_BYTES = INDEX_ERROR_WORDS * 4;

/** The error flag of one device and the numbering of the gather calls that report into it. */
export class IndexErrorFlag {
  /** The flag buffer (storage, zero-initialised by WebGPU). */
  readonly buffer: GPUBuffer;
  #calls = 0;

  constructor(device: GPUDevice) {
    this.buffer = device.createBuffer({ size: INDEX_ERROR_BYTES, usage: STORAGE_USAGE });
  }

  /** Whether a gather was recorded since the flag was last taken (else it is known to be clear). */
  get pending(): boolean {
    return this.#calls > 0;
  }

  /** The number of the next gather call (its `call` uniform). */
  nextCall(): number {
    return this.#calls++;
  }

  /**
   * Records copying the flag into `staging` at byte `offset`, then clearing it; calls recorded
   * afterwards are numbered from 0 again and report into the cleared flag.
   */
  take(encoder: GPUCommandEncoder, staging: GPUBuffer, offset: number): void {
    encoder.copyBufferToBuffer(this.buffer, 0, staging, offset, INDEX_ERROR_BYTES);
    encoder.clearBuffer(this.buffer);
    this.#calls = 0;
  }
}

/** The RangeError the copied flag `words` describe, or null when they record none. */
export function indexError(words: Uint32Array): RangeError | null {
  if (words.length < INDEX_ERROR_WORDS || words[0] === 0) return null;
  const position = ~words[1] >>> 0, rows = words[2];
  return new RangeError(
    `Cannot run gather(): argument "indices" must hold integers in [0, ${rows}): got a fractional, negative, NaN or too large value at flat position ${position} (checked on the GPU by the webgpu backend, which reports it at the first read after the gather() call; the output rows of bad indices are zeros)`,
  );
}

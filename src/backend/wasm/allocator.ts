/**
 * A first-fit free-list allocator over a `WebAssembly.Memory`, handing out 64-byte aligned blocks
 * (cache lines; SIMD loads need 16). Freed blocks coalesce with their neighbours and a freed block
 * at the top lowers the top again, so repeated allocate/free cycles of the same sizes reuse the
 * same memory and the memory stays flat. Grows the memory on demand.
 *
 * @module
 */
import { MAX_PAGES } from "./module.ts";

const ALIGN = 64;
const PAGE = 65536;

/** Allocator over one memory, from `base` upwards. */
export class Allocator {
  readonly #memory: WebAssembly.Memory;
  /** Free blocks, sorted by offset: [offset, bytes] pairs. */
  readonly #free: Array<[number, number]> = [];
  readonly #sizes = new Map<number, number>();
  #top: number;
  /** The memory's byte length when last read. */
  #seen = 0;

  /** Manages `memory` from byte `base` on. */
  constructor(memory: WebAssembly.Memory, base: number) {
    this.#memory = memory;
    this.#top = Math.ceil(base / ALIGN) * ALIGN;
  }

  /** Bytes handed out and not yet freed. */
  get liveBytes(): number {
    let sum = 0;
    for (const bytes of this.#sizes.values()) sum += bytes;
    return sum;
  }

  /** Allocates `bytes` (rounded up to 64) and returns the byte offset. */
  alloc(bytes: number): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    for (let i = 0; i < this.#free.length; i++) {
      const [offset, free] = this.#free[i];
      if (free < size) continue;
      if (free === size) this.#free.splice(i, 1);
      else this.#free[i] = [offset + size, free - size];
      this.#sizes.set(offset, size);
      return offset;
    }
    const offset = this.#top;
    this.#ensure(offset + size);
    this.#top = offset + size;
    this.#sizes.set(offset, size);
    return offset;
  }

  /** Frees the block at `offset`. */
  free(offset: number): void {
    const size = this.#sizes.get(offset);
    if (size === undefined) throw new Error(`Cannot free block at ${offset}: it is not allocated`);
    this.#sizes.delete(offset);
    let lo = 0, hi = this.#free.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#free[mid][0] < offset) lo = mid + 1;
      else hi = mid;
    }
    let start = offset, bytes = size, at = lo, remove = 0;
    const prev = this.#free[lo - 1];
    if (prev && prev[0] + prev[1] === start) {
      start = prev[0];
      bytes += prev[1];
      at = lo - 1;
      remove++;
    }
    const next = this.#free[lo];
    if (next && offset + size === next[0]) {
      bytes += next[1];
      remove++;
    }
    if (start + bytes === this.#top) {
      this.#top = start;
      this.#free.splice(at, remove);
    } else {
      this.#free.splice(at, remove, [start, bytes]);
    }
  }

  #ensure(end: number): void {
    // The memory only grows: below the size last seen, no need to ask it.
    if (end <= this.#seen) return;
    const have = this.#seen = this.#memory.buffer.byteLength;
    if (end <= have) return;
    const pages = Math.ceil((end - have) / PAGE);
    if (have / PAGE + pages > MAX_PAGES) {
      throw new RangeError(
        `Cannot allocate ${end - this.#top} bytes of wasm memory: the limit is ${
          MAX_PAGES * PAGE
        } bytes and ${this.liveBytes} are in use`,
      );
    }
    // Grow with headroom so a sequence of growing tensors does not grow page by page.
    const want = Math.min(MAX_PAGES - have / PAGE, Math.max(pages, Math.ceil(have / PAGE / 4)));
    this.#memory.grow(want);
  }
}

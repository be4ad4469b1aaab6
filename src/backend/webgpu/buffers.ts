/**
 * GPU buffer pool and readback. Buffers are created in size classes (four per power of two, so at
 * most 25% slack) and kept, per class and usage, when released: training allocates the same
 * shapes every step, so after the first step no buffer is created. Uniform values of all
 * dispatches recorded between two submits are packed into one arena and written once per submit.
 *
 * @module
 */

/** Usage of tensor storage: bound to compute programs, copied to and from. */
export const STORAGE_USAGE = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC |
  GPUBufferUsage.COPY_DST;
/** Usage of readback staging buffers. */
export const READBACK_USAGE = GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST;
const UNIFORM_USAGE = GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST;

/** The byte size a request of `bytes` is rounded up to: 256 bytes, then 4 classes per octave. */
export function sizeClass(bytes: number): number {
  if (bytes <= 256) return 256;
  const octave = 2 ** Math.floor(Math.log2(bytes - 1));
  const step = Math.max(256, octave / 4);
  return Math.ceil(bytes / step) * step;
}

/** Pool of buffers keyed by size class and usage. */
export class BufferPool {
  readonly #device: GPUDevice;
  readonly #free = new Map<string, GPUBuffer[]>();
  #bytes = 0;

  constructor(device: GPUDevice) {
    this.#device = device;
  }

  /** Bytes of all buffers the pool created and has not destroyed (in use or kept). */
  get bytes(): number {
    return this.#bytes;
  }

  /** A buffer of at least `bytes` with `usage`, reused when one is free. */
  acquire(bytes: number, usage: number): GPUBuffer {
    const size = sizeClass(bytes);
    const reuse = this.#free.get(`${size}:${usage}`)?.pop();
    if (reuse) return reuse;
    const buffer = this.#device.createBuffer({ size, usage });
    this.#bytes += size;
    return buffer;
  }

  /** Returns `buffer` for reuse; the caller must not touch it again. */
  release(buffer: GPUBuffer): void {
    const key = `${buffer.size}:${buffer.usage}`;
    const list = this.#free.get(key);
    if (list) list.push(buffer);
    else this.#free.set(key, [buffer]);
  }

  /** Destroys every kept (free) buffer. Only call with no recorded work referring to them. */
  trim(): void {
    for (const list of this.#free.values()) {
      for (const b of list) {
        this.#bytes -= b.size;
        b.destroy();
      }
    }
    this.#free.clear();
  }
}

/**
 * Uniform values of the dispatches recorded since the last submit, each in its own aligned slot
 * of a chunk buffer. `flush()` writes the used bytes (queue.writeBuffer, ordered before the submit
 * that follows) and recycles the chunks; a chunk is never rewritten while recorded work that reads
 * it is unsubmitted, since the queue runs writes and submits in order.
 */
export class UniformArena {
  static readonly CHUNK = 1 << 16;
  readonly #device: GPUDevice;
  readonly #align: number;
  readonly #chunks: { buffer: GPUBuffer; data: Uint8Array<ArrayBuffer> }[] = [];
  #chunk = 0;
  #used = 0;

  constructor(device: GPUDevice) {
    this.#device = device;
    this.#align = device.limits.minUniformBufferOffsetAlignment;
  }

  /** Copies `bytes` into a slot; returns the binding resource. */
  push(bytes: Uint8Array): GPUBufferBinding {
    const size = Math.max(16, bytes.byteLength);
    if (this.#used + size > UniformArena.CHUNK) {
      this.#chunk++;
      this.#used = 0;
    }
    if (this.#chunk === this.#chunks.length) {
      this.#chunks.push({
        buffer: this.#device.createBuffer({ size: UniformArena.CHUNK, usage: UNIFORM_USAGE }),
        data: new Uint8Array(UniformArena.CHUNK),
      });
    }
    const c = this.#chunks[this.#chunk];
    const offset = this.#used;
    c.data.set(bytes, offset);
    this.#used = Math.ceil((offset + size) / this.#align) * this.#align;
    return { buffer: c.buffer, offset, size };
  }

  /** Whether anything was pushed since the last flush. */
  get pending(): boolean {
    return this.#chunk > 0 || this.#used > 0;
  }

  /** Writes the pushed values to their chunks; call right before submitting. */
  flush(queue: GPUQueue): void {
    for (let i = 0; i <= this.#chunk && i < this.#chunks.length; i++) {
      const used = i < this.#chunk ? UniformArena.CHUNK : this.#used;
      if (used > 0) queue.writeBuffer(this.#chunks[i].buffer, 0, this.#chunks[i].data, 0, used);
    }
    this.#chunk = 0;
    this.#used = 0;
  }

  /** Bytes of the chunk buffers. */
  get bytes(): number {
    return this.#chunks.length * UniformArena.CHUNK;
  }
}

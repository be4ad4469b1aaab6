/**
 * Tensor: a shape and a reference to float32 storage owned by one backend (ARCHITECTURE
 * principle 1). Tensors that share storage (a reshape) count references; the storage is freed
 * when the last of them is disposed. A `FinalizationRegistry` frees storage of tensors that were
 * garbage collected undisposed, as a safety net only.
 *
 * @module
 */
import type { Backend, Storage } from "./backend/backend.ts";

/** Element types. Only float32 exists today. */
export type DType = "float32";

/** Storage shared by tensors, with a reference count. */
class Shared {
  refs = 1;
  constructor(readonly backend: Backend, readonly storage: Storage) {}
}

/** The backend ops run on, told by select.ts (which imports this module, not the reverse). */
let opsBackend: (() => Backend) | null = null;

/** Sets where {@linkcode Tensor.storage} looks up the active backend (select.ts calls it). */
export function setOpsBackend(source: () => Backend): void {
  opsBackend = source;
}

let liveTensors = 0;
const liveStorages = new Set<Shared>();

function release(shared: Shared): void {
  if (--shared.refs === 0) {
    liveStorages.delete(shared);
    shared.backend.free(shared.storage);
  }
}

const registry = new FinalizationRegistry<Shared>((shared) => {
  liveTensors--;
  release(shared);
});

/** An n-dimensional array of float32 values. */
export class Tensor {
  /** Dimensions, outermost first. */
  readonly shape: readonly number[];
  /** Number of elements: the product of the shape. */
  readonly size: number;
  /** Element type. */
  readonly dtype: DType = "float32";
  #shared: Shared | null;

  /**
   * Wraps storage; ops create tensors, users call `dn.tensor()`. With `viewOf`, the new tensor
   * shares that tensor's storage (a reshape) instead of taking `storage`.
   */
  constructor(shape: readonly number[], backend: Backend, storage: Storage, viewOf?: Tensor) {
    this.shape = Object.freeze([...shape]);
    this.size = shape.reduce((a, b) => a * b, 1);
    if (viewOf) {
      this.#shared = viewOf.#live("reshape");
      this.#shared.refs++;
    } else {
      this.#shared = new Shared(backend, storage);
      liveStorages.add(this.#shared);
    }
    liveTensors++;
    registry.register(this, this.#shared, this);
  }

  /** A new tensor of `shape` over the same storage (a view; both must be disposed). */
  static view(of: Tensor, shape: readonly number[]): Tensor {
    return new Tensor(shape, of.backend, of.storage, of);
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** Whether `dispose()` was called. */
  get isDisposed(): boolean {
    return this.#shared === null;
  }

  /**
   * The backend storage, for ops and backends, not for users. Throws a TypeError if disposed, or
   * if the tensor lives on another backend than the active one (a wasm tensor after
   * `ready({ backend: "webgpu" })`, or the reverse): storage is never copied between backends
   * behind the user's back (ARCHITECTURE principle 1).
   *
   * @internal
   */
  get storage(): Storage {
    const shared = this.#live("storage");
    const active = opsBackend?.();
    if (active && active !== shared.backend) {
      throw new TypeError(
        `Cannot use a tensor of shape [${
          this.shape.join(", ")
        }] created on backend "${shared.backend.name}" while backend "${active.name}" is active: create tensors after ready(), or move it with dn.tensor(await t.data(), t.shape)`,
      );
    }
    return shared.storage;
  }

  /**
   * The backend holding the storage, for ops and backends, not for users.
   *
   * @internal
   */
  get backend(): Backend {
    return this.#live("backend").backend;
  }

  /** Copies the values out, row-major. */
  data(): Promise<Float32Array> {
    if (arguments.length > 0) noArguments(`data`, arguments);
    const shared = this.#live("data");
    return shared.backend.read(shared.storage, this.size);
  }

  /** Copies the values out synchronously (CPU backends). */
  dataSync(): Float32Array {
    if (arguments.length > 0) noArguments(`dataSync`, arguments);
    const shared = this.#live("dataSync");
    return shared.backend.readSync(shared.storage, this.size);
  }

  /** Frees the storage (once no other view uses it). Calling it twice is harmless. */
  dispose(): void {
    if (arguments.length > 0) noArguments(`dispose`, arguments);
    if (!this.#shared) return;
    registry.unregister(this);
    liveTensors--;
    release(this.#shared);
    this.#shared = null;
  }

  /** `using t = dn.tensor(...)` disposes at the end of the scope. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** Short description: shape and dtype. */
  toString(): string {
    if (arguments.length > 0) noArguments(`toString`, arguments);
    return `Tensor(shape=[${this.shape.join(", ")}], dtype=${this.dtype}${
      this.isDisposed ? ", disposed" : ""
    })`;
  }

  #live(method: string): Shared {
    if (!this.#shared) {
      throw new TypeError(
        `Cannot call ${method}() on a disposed tensor: shape [${this.shape.join(", ")}]`,
      );
    }
    return this.#shared;
  }
}

/**
 * Live tensor count and the float32 bytes of their distinct storages (with `backend`: the bytes
 * of the storages on that backend only).
 */
export function tensorMemory(backend?: Backend): { numTensors: number; numBytes: number } {
  let numBytes = 0;
  for (const s of liveStorages) {
    if (!backend || s.backend === backend) numBytes += s.storage.size * 4;
  }
  return { numTensors: liveTensors, numBytes };
}

/** Throws for arguments passed to a Tensor method that takes none. */
function noArguments(method: string, args: ArrayLike<unknown>): never {
  throw new TypeError(
    `Cannot run Tensor.${method}(): it takes no arguments: got ${args.length}`,
  );
}

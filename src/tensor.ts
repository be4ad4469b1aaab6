/**
 * Tensor: a shape and a reference to float32 storage owned by one backend (ARCHITECTURE
 * principle 1). Tensors that share storage (a reshape) count references; the storage is freed
 * when the last of them is disposed. A `FinalizationRegistry` frees storage of tensors that were
 * garbage collected undisposed, as a safety net only.
 *
 * @module
 */
import { type Backend, type DType, type Storage, storageUnits } from "./backend/backend.ts";

export type { DType };
export { storageUnits };

/** The typed array `data()` and `dataSync()` return for each dtype (as TF.js's `DataTypeMap`). */
export interface DataTypeMap {
  /** float32 values. */
  float32: Float32Array;
  /** int32 values. */
  int32: Int32Array;
  /** bool values as bytes, 0 or 1. */
  bool: Uint8Array;
}

/** The 4-byte units of `values` (a typed array of `dtype`, bool bytes zero-padded to a unit). */
export function toUnits(values: DataTypeMap[DType]): Float32Array {
  if (values instanceof Float32Array) return values;
  if (values instanceof Int32Array) {
    return new Float32Array(values.buffer, values.byteOffset, values.length);
  }
  const padded = new Uint8Array(Math.ceil(values.length / 4) * 4);
  padded.set(values);
  return new Float32Array(padded.buffer);
}

/** The `n` elements of `dtype` held by the 4-byte `units` read from storage. */
export function fromUnits<D extends DType>(
  units: Float32Array,
  dtype: D,
  n: number,
): DataTypeMap[D] {
  if (dtype === "float32") return units as DataTypeMap[D];
  if (dtype === "int32") {
    return new Int32Array(units.buffer, units.byteOffset, n) as DataTypeMap[D];
  }
  return new Uint8Array(units.buffer, units.byteOffset, n) as DataTypeMap[D];
}

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
/** Bytes of the live storages, by backend: kept as they change, so `tensorMemory` is O(1). */
const liveBytes = new Map<Backend, number>();
let liveBytesTotal = 0;

function countBytes(shared: Shared, sign: 1 | -1): void {
  const bytes = sign * shared.storage.size * 4;
  liveBytes.set(shared.backend, (liveBytes.get(shared.backend) ?? 0) + bytes);
  liveBytesTotal += bytes;
}

function release(shared: Shared): void {
  if (--shared.refs === 0) {
    countBytes(shared, -1);
    shared.backend.free(shared.storage);
  }
}

const registry = new FinalizationRegistry<Shared>((shared) => {
  liveTensors--;
  release(shared);
});

/** An n-dimensional array of float32, int32 or bool values. */
export class Tensor {
  /** Dimensions, outermost first. */
  readonly shape: readonly number[];
  /** Number of elements: the product of the shape. */
  readonly size: number;
  /** Element type. */
  readonly dtype: DType;
  #shared: Shared | null;

  /**
   * Wraps storage; ops create tensors, users call `dn.tensor()`. With `viewOf`, the new tensor
   * shares that tensor's storage (a reshape) and dtype instead of taking `storage`; otherwise
   * `dtype` (default float32) says what the storage holds.
   */
  constructor(
    shape: readonly number[],
    backend: Backend,
    storage: Storage,
    viewOf?: Tensor,
    dtype: DType = "float32",
  ) {
    const dims = shape.slice();
    let size = 1;
    for (let i = 0; i < dims.length; i++) size *= dims[i];
    this.shape = Object.freeze(dims);
    this.size = size;
    this.dtype = viewOf ? viewOf.dtype : dtype;
    if (viewOf) {
      this.#shared = viewOf.#live("reshape");
      this.#shared.refs++;
    } else {
      this.#shared = new Shared(backend, storage);
      countBytes(this.#shared, 1);
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

  /**
   * Copies the values out, row-major: a `Float32Array`, an `Int32Array` (int32) or a
   * `Uint8Array` of 0 and 1 (bool). Name the dtype for the precise type:
   * `await mask.data<"bool">()`.
   */
  data<D extends DType = "float32">(): Promise<DataTypeMap[D]> {
    if (arguments.length > 0) noArguments(`data`, arguments);
    const shared = this.#live("data");
    const units = shared.backend.read(shared.storage, storageUnits(this.dtype, this.size));
    if (this.dtype === "float32") return units as Promise<DataTypeMap[D]>;
    return units.then((u) => fromUnits(u, this.dtype as D, this.size));
  }

  /** Copies the values out synchronously (CPU backends); typed as {@linkcode Tensor.data}. */
  dataSync<D extends DType = "float32">(): DataTypeMap[D] {
    if (arguments.length > 0) noArguments(`dataSync`, arguments);
    const shared = this.#live("dataSync");
    const units = shared.backend.readSync(shared.storage, storageUnits(this.dtype, this.size));
    return fromUnits(units, this.dtype as D, this.size);
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
 * Live tensor count and the bytes of their distinct storages (with `backend`: the bytes
 * of the storages on that backend only).
 */
export function tensorMemory(backend?: Backend): { numTensors: number; numBytes: number } {
  const numBytes = backend ? liveBytes.get(backend) ?? 0 : liveBytesTotal;
  return { numTensors: liveTensors, numBytes };
}

/** Throws for arguments passed to a Tensor method that takes none. */
function noArguments(method: string, args: ArrayLike<unknown>): never {
  throw new TypeError(
    `Cannot run Tensor.${method}(): it takes no arguments: got ${args.length}`,
  );
}

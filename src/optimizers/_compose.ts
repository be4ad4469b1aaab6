/**
 * Elementwise steps over raw storages of `n` floats, for the optimizers composed from the
 * backend's primitives (`unary`, `binary`, `affine`, `axpy`) rather than a fused kernel of their
 * own: they run on every backend, and on threads bit for bit as on wasm (each primitive is).
 *
 * @module
 */
import type { Backend, BinaryOp, BroadcastPlan, Storage, UnaryOp } from "../backend/backend.ts";
import { fused } from "../backend/fused_defaults.ts";

/** The elementwise ops of one update on storages of `n` floats. */
export interface Steps {
  /** `y = op(x)`. */
  unary(op: UnaryOp, x: Storage, y: Storage): void;
  /** `y = a op b`, elementwise. */
  binary(op: BinaryOp, a: Storage, b: Storage, y: Storage): void;
  /** `y = x·scale + shift`. */
  affine(x: Storage, y: Storage, scale: number, shift: number): void;
  /** `y += a·x`. */
  axpy(x: Storage, y: Storage, a: number): void;
}

/**
 * Runs `body` with the steps over `n` floats on `backend` and `count` scratch storages, freed
 * afterwards.
 */
export function withSteps(
  backend: Backend,
  n: number,
  count: number,
  body: (steps: Steps, scratch: Storage[]) => void,
): void {
  const plan: BroadcastPlan = {
    dims: [1, 1, 1, n],
    aStrides: [0, 0, 0, 1],
    bStrides: [0, 0, 0, 1],
  };
  const f = fused(backend);
  const scratch = Array.from({ length: count }, () => backend.alloc(n));
  try {
    body({
      unary: (op, x, y) => backend.unary(op, x, y, n),
      binary: (op, a, b, y) => backend.binary(op, a, b, y, plan),
      affine: (x, y, scale, shift) => f.affine(x, y, n, scale, shift),
      axpy: (x, y, a) => f.axpy(x, y, n, a),
    }, scratch);
  } finally {
    for (const s of scratch) backend.free(s);
  }
}

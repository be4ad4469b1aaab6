/**
 * Scopes for intermediate tensors (ARCHITECTURE principle 3): `tidy(fn)` disposes every tensor
 * created while `fn` runs, except the ones it returns and the ones passed to `keep()`.
 *
 * @module
 */
import { checkArity, fmtValue } from "./_check.ts";
import { Tensor } from "./tensor.ts";

const scopes: Set<Tensor>[] = [];

/** Registers a tensor made by an op with the innermost scope (ops call this; users do not). */
export function track<T extends Tensor>(t: T): T {
  scopes[scopes.length - 1]?.add(t);
  return t;
}

/**
 * Keeps a tensor alive past the end of the enclosing `tidy()`.
 *
 * @param t A tensor created inside a `tidy()` callback.
 * @returns `t`.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const kept: dn.Tensor[] = [];
 * dn.tidy(() => {
 *   kept.push(dn.keep(dn.ones([2])));
 *   dn.ones([3]); // disposed at the end of the scope
 * });
 * assert.equal(kept[0].isDisposed, false);
 * ```
 */
export function keep<T extends Tensor>(t: T): T {
  checkArity(arguments, ["t"], "keep");
  if (!(t instanceof Tensor)) {
    throw new TypeError(`Cannot run keep(): argument "t" must be a tensor: got ${fmtValue(t)}`);
  }
  for (const scope of scopes) scope.delete(t);
  return t;
}

function collect(value: unknown, into: Set<Tensor>): void {
  if (value instanceof Tensor) into.add(value);
  else if (Array.isArray(value)) { for (const v of value) collect(v, into); }
  else if (value && typeof value === "object") {
    for (const v of Object.values(value)) collect(v, into);
  }
}

/**
 * Runs `fn` and disposes every tensor it created, except those it returns (alone, in an array
 * or in an object) and those passed to `keep()`. Scopes nest. When `fn` throws, every tensor it
 * created (and did not `keep()`) is disposed before the error propagates.
 *
 * @param fn A synchronous function.
 * @returns What `fn` returned.
 * @throws {TypeError} When `fn` returns a promise: tensors of an async callback cannot be scoped.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const before = dn.memory().numTensors;
 * const y = dn.tidy(() => dn.sum(dn.square(dn.tensor([1, 2, 3]))));
 * assert.deepEqual([...y.dataSync()], [14]);
 * assert.equal(dn.memory().numTensors, before + 1);
 * ```
 */
export function tidy<T>(fn: () => T): T {
  checkArity(arguments, ["fn"], "tidy");
  if (typeof fn !== "function") {
    throw new TypeError(`Cannot run tidy(): argument "fn" must be a function: got ${fmtValue(fn)}`);
  }
  // The tensors of the result, found once (a promise is refused, whether or not fn made tensors).
  let kept: Set<Tensor> | undefined;
  const keptOf = (result: T): Set<Tensor> => {
    if (result instanceof Promise) {
      throw new TypeError(
        'Cannot run tidy(): argument "fn" must be synchronous: got an async function',
      );
    }
    const set = new Set<Tensor>();
    collect(result, set);
    return set;
  };
  const result = scoped(fn, (r, t) => (kept ??= keptOf(r)).has(t));
  kept ??= keptOf(result);
  return result;
}

/**
 * `tidy` without its argument checks, for the library's own hot loops (a model's layers, an ONNX
 * plan's steps): runs `fn`, then keeps each tensor it created for which `keeps(result, t)` holds
 * and disposes the others (`keeps` may throw, as tidy does for a promise: all are disposed then).
 *
 * @internal
 */
export function scoped<T>(fn: () => T, keeps: (result: T, t: Tensor) => boolean): T {
  const scope = new Set<Tensor>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (error) {
    // A callback that throws returns nothing, so nothing it created outlives the scope.
    scopes.pop();
    for (const t of scope) t.dispose();
    throw error;
  }
  scopes.pop();
  // Every decision first (a throwing `keeps` disposes all), then act on them in the same order.
  const keep: boolean[] = [];
  try {
    for (const t of scope) keep.push(keeps(result, t));
  } catch (error) {
    for (const t of scope) t.dispose();
    throw error;
  }
  let i = 0;
  for (const t of scope) {
    if (keep[i++]) track(t);
    else t.dispose();
  }
  return result;
}

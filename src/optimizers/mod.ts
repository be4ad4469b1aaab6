/**
 * Optimizers with Keras semantics and TF.js names: {@linkcode sgd}, {@linkcode adam},
 * {@linkcode rmsprop}, {@linkcode adagrad}, {@linkcode adadelta}, {@linkcode adamax},
 * {@linkcode nadam}, {@linkcode adamw}, with learning-rate schedules (`schedules.exponentialDecay`,
 * `schedules.stepDecay`, `schedules.cosineDecay`, as Keras `optimizers.schedules`) and gradient
 * clipping (`clipNorm`, `clipValue`). Updates run in place: SGD, Adam, AdamW and RMSprop in the
 * backend's fused kernels, the others composed from its elementwise primitives.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * // Minimise sum((w - 3)²).
 * const w = dn.tensor([0, 10]);
 * const opt = dn.optimizers.sgd({ learningRate: 0.1 });
 * const loss = (w: dn.Tensor) => dn.sum(dn.square(dn.sub(w, 3)));
 * for (let i = 0; i < 100; i++) {
 *   dn.tidy(() => opt.applyGradients([w], dn.grads(loss)([w])));
 * }
 * assert.ok(w.dataSync().every((x) => Math.abs(x - 3) < 1e-4));
 * opt.dispose();
 * ```
 *
 * @module
 */
export { Optimizer } from "./optimizer.ts";
export type { ClipOptions, LearningRate } from "./optimizer.ts";
export { SGD, sgd } from "./sgd.ts";
export type { SgdOptions } from "./sgd.ts";
export { Adam, adam } from "./adam.ts";
export type { AdamOptions } from "./adam.ts";
export { RMSprop, rmsprop } from "./rmsprop.ts";
export type { RmspropOptions } from "./rmsprop.ts";
export { Adagrad, adagrad } from "./adagrad.ts";
export type { AdagradOptions } from "./adagrad.ts";
export { Adadelta, adadelta } from "./adadelta.ts";
export type { AdadeltaOptions } from "./adadelta.ts";
export { Adamax, adamax } from "./adamax.ts";
export type { AdamaxOptions } from "./adamax.ts";
export { Nadam, nadam } from "./nadam.ts";
export type { NadamOptions } from "./nadam.ts";
export { AdamW, adamw } from "./adamw.ts";
export type { AdamWOptions } from "./adamw.ts";
export * as schedules from "./schedules.ts";
export type { LearningRateSchedule, SerializedConfig } from "./schedules.ts";
export { fromConfig } from "./from_config.ts";

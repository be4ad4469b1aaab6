/**
 * Serving models: a dynamic batcher that runs concurrent one-example `predict` calls as one
 * batched `model.predict`.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const model = dn.sequential([dn.layers.dense({ units: 1, inputShape: [2] })]);
 * await using b = dn.serving.batcher(model, { maxBatchSize: 4 });
 * assert.equal((await b.predict([0, 0])).length, 1);
 * ```
 *
 * @module
 */
export { Batcher, batcher } from "./batcher.ts";
export type { BatcherCloseOptions, BatcherOptions, BatcherStats, BatchModel } from "./batcher.ts";

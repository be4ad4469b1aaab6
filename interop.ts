/**
 * Models trained elsewhere, behind the subpath export `@dendrite/dendrite/interop` so that the
 * core module graph (`mod.ts`) stays small: TF.js Layers / Keras models (`model.json` and weight
 * shards) loaded and saved, and safetensors files from PyTorch (float16, bfloat16, float64 and
 * integer tensors read as float32) mapped onto our layers' weights.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import { encodeLayersModel, loadLayersModel } from "@dendrite/dendrite/interop";
 * import assert from "node:assert/strict";
 * const model = dn.sequential([dn.layers.dense({ units: 1, inputShape: [2] })]);
 * const { modelJson, weightData } = encodeLayersModel(model);
 * const copy = await loadLayersModel({ modelJson, weights: { "group1-shard1of1.bin": weightData } });
 * assert.deepEqual(copy.predict(dn.ones([1, 2])).shape, [1, 1]);
 * ```
 *
 * @module
 */
export { encodeLayersModel, loadLayersModel, saveLayersModel } from "./src/interop/layers_model.ts";
export type { EncodedLayersModel, LayersModelFiles } from "./src/interop/layers_model.ts";
export type { LoadModelOptions } from "./src/models/io.ts";
export { loadStateDict } from "./src/interop/state_dict.ts";
export type { StateDictModule, StateDictTensor } from "./src/interop/state_dict.ts";
export { decodeSafetensors } from "./src/io/safetensors.ts";
export type { DecodedSafetensors, DecodeSafetensorsOptions } from "./src/io/safetensors.ts";

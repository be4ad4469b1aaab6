/**
 * Saving a model as ONE safetensors file (read back by `loadModel()` in io.ts): weights as F32
 * tensors named `<layer>/<weight>`, the topology and the training config as JSON strings in
 * `__metadata__`. Imports `LayersModel` as a type only, so layers_model.ts can import this module.
 *
 * @module
 */
import { encodeSafetensors } from "../io/safetensors.ts";
import type { LayersModel } from "./layers_model.ts";

/** The `format` entry of the metadata (checked by `loadModel()`). */
export const FORMAT = "dendrite.sequential";
const FORMAT_VERSION = "1";

/** The model's bytes: weights, topology, and training config when compiled by name. */
export function modelToBytes(model: LayersModel): Uint8Array {
  model.buildAll();
  const entries = model.weights.map((w) => ({
    name: w.name,
    shape: w.value.shape,
    data: w.value.dataSync(),
  }));
  // `{ className, ...config }`: a Sequential's is `{ className, name, layers }`.
  const topology = { className: model.className, ...model.getConfig() };
  const metadata: Record<string, string> = {
    format: FORMAT,
    format_version: FORMAT_VERSION,
    topology: JSON.stringify(topology),
  };
  const c = model.compiled;
  if (c?.saved) {
    metadata.training_config = JSON.stringify({
      ...c.saved,
      optimizer: c.optimizer.getConfig(),
    });
  }
  return encodeSafetensors(entries, metadata);
}

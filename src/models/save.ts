/**
 * Saving a model as ONE safetensors file (read back by `loadModel()` in io.ts): weights as F32
 * tensors named `<layer>/<weight>`, the topology and the training config as JSON strings in
 * `__metadata__`. Imports `Sequential` as a type only, so sequential.ts can import this module.
 *
 * @module
 */
import { encodeSafetensors } from "../io/safetensors.ts";
import type { Sequential } from "./sequential.ts";

/** The `format` entry of the metadata (checked by `loadModel()`). */
export const FORMAT = "dendrite.sequential";
const FORMAT_VERSION = "1";

/** The model's bytes: weights, topology, and training config when compiled by name. */
export function modelToBytes(model: Sequential): Uint8Array {
  model.build();
  const entries = model.layers.flatMap((layer) =>
    layer.weights.map((w) => ({
      name: `${layer.name}/${w.name}`,
      shape: w.value.shape,
      data: w.value.dataSync(),
    }))
  );
  const topology = {
    className: "Sequential",
    layers: model.layers.map((l) => ({ className: l.className, config: l.getConfig() })),
  };
  const metadata: Record<string, string> = {
    format: FORMAT,
    format_version: FORMAT_VERSION,
    topology: JSON.stringify(topology),
  };
  const c = model.compiled;
  if (c?.lossName && c.metricNames.length === c.metrics.length) {
    metadata.training_config = JSON.stringify({
      loss: c.lossName,
      metrics: c.metricNames,
      optimizer: c.optimizer.getConfig(),
    });
  }
  return encodeSafetensors(entries, metadata);
}

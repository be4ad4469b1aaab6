/**
 * A model's weights alone as one safetensors file (Keras's `save_weights` / `load_weights`):
 * written in `model.weights` order under their `<layer>/<weight>` names, read back by position
 * with every count and shape checked, so that a checkpoint restores into the same architecture
 * even when its layers were named differently.
 *
 * @module
 */
import { fmtShape } from "../_check.ts";
import { activeBackend } from "../backend/select.ts";
import { decodeSafetensors, encodeSafetensors } from "../io/safetensors.ts";
import type { LayersModel } from "./layers_model.ts";

/** The `format` entry of a weights-only file's metadata. */
const WEIGHTS_FORMAT = "dendrite.weights";

/** The model's weights as safetensors bytes (no topology, no training config). */
export function weightsToBytes(model: LayersModel): Uint8Array {
  model.buildAll();
  const entries = model.weights.map((w) => ({
    name: w.name,
    shape: w.value.shape,
    data: w.value.dataSync(),
  }));
  return encodeSafetensors(entries, { format: WEIGHTS_FORMAT });
}

/**
 * Writes the weights of `bytes` (from `weightsToBytes`) into `model`, in order; nothing is
 * written unless every count and shape matches.
 */
export function weightsFromBytes(model: LayersModel, bytes: Uint8Array, fn: string): void {
  const fail = (Err: typeof RangeError | typeof TypeError, what: string): never => {
    throw new Err(`Cannot run ${fn}(): ${what}`);
  };
  const { metadata, tensors } = decodeSafetensors(bytes);
  if (metadata.format !== WEIGHTS_FORMAT) {
    fail(
      TypeError,
      `the file must be written by saveWeights() ("__metadata__.format" "${WEIGHTS_FORMAT}"): got ${
        metadata.format === undefined ? "no format" : `"${metadata.format}"`
      }${metadata.format === "dendrite.sequential" ? " (a whole model: use dn.loadModel)" : ""}`,
    );
  }
  model.buildAll();
  const weights = model.weights, saved = [...tensors];
  if (saved.length !== weights.length) {
    fail(
      RangeError,
      `the file must hold ${weights.length} weights (the model's): got ${saved.length}`,
    );
  }
  weights.forEach((w, i) => {
    const [name, t] = saved[i];
    if (t.shape.join() !== w.value.shape.join()) {
      fail(
        RangeError,
        `weight ${i} ("${w.name}") must have shape ${
          fmtShape(w.value.shape)
        }: the file's "${name}" has ${fmtShape(t.shape)}`,
      );
    }
  });
  const backend = activeBackend();
  weights.forEach((w, i) => backend.write(w.value.storage, saved[i][1].data));
}

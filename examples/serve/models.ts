/**
 * The server's two models, restored from the base64 safetensors bytes embedded in
 * `models.generated.js` (written by `train_models.ts`): no file is read, so serving needs only
 * `--allow-net`.
 *
 * @module
 */
import * as dn from "../../mod.ts";
import { ACCURACY, LENET_BASE64, MLP_BASE64 } from "./models.generated.js";

/** Names of the served models. */
export type ModelName = "mlp" | "lenet";

/** The served model names, in route order. */
export const MODEL_NAMES: readonly ModelName[] = ["mlp", "lenet"];

/** The bytes of a base64 string (`Uint8Array.fromBase64` where the runtime has it: 20x faster). */
export function fromBase64(text: string): Uint8Array {
  const native = (Uint8Array as { fromBase64?: (text: string) => Uint8Array }).fromBase64;
  if (native) return native(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Held-out accuracy of each embedded model when it was trained. */
export const accuracy: Readonly<Record<ModelName, number>> = ACCURACY;

/** Fresh copies of both embedded models (the caller disposes them). */
export async function loadEmbeddedModels(): Promise<Record<ModelName, dn.Sequential>> {
  return {
    mlp: await dn.loadModel(fromBase64(MLP_BASE64)),
    lenet: await dn.loadModel(fromBase64(LENET_BASE64)),
  };
}

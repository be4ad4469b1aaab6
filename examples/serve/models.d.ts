/**
 * Types of `models.generated.js`, which `train_models.ts` writes.
 *
 * @module
 */

/** Held-out accuracy of each embedded model, as measured when it was trained. */
export declare const ACCURACY: { mlp: number; lenet: number };
/** The 784-128-10 MLP (relu, softmax) as base64 safetensors bytes (`model.toBytes()`). */
export declare const MLP_BASE64: string;
/** LeNet-5 (input 784, reshaped to 28x28x1) as base64 safetensors bytes (`model.toBytes()`). */
export declare const LENET_BASE64: string;

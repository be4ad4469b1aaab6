/**
 * Rebuilds layers from saved Keras-style configs: `{ className, config }`.
 *
 * @module
 */
import { fmtValue } from "../_check.ts";
import { Activation, Dropout, Flatten, Reshape } from "./basic.ts";
import { Conv2D } from "./conv2d.ts";
import { Dense } from "./dense.ts";
import { DenseTied } from "./dense_tied.ts";
import { rememberMade } from "./_config_refs.ts";
import type { Layer } from "./layer.ts";
import { AveragePooling2D, MaxPooling2D } from "./pooling.ts";
import { GRU, LSTM, SimpleRNN } from "./recurrent.ts";
import { Bidirectional, setWrappedLayerFactory, TimeDistributed } from "./wrappers.ts";
import { Embedding } from "./embedding.ts";
import { BatchNormalization, LayerNormalization } from "./normalization.ts";
import { GaussianDropout, GaussianNoise, MaskingNoise } from "./noise.ts";
import { Cropping2D, Permute, RepeatVector, UpSampling2D, ZeroPadding2D } from "./reshaping.ts";
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from "./global_pooling.ts";
import { ELU, LeakyReLU, ReLU, Softmax } from "./activation_layers.ts";
import { Conv1D, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D } from "./conv_more.ts";
import { Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract } from "./merge.ts";

// deno-lint-ignore no-explicit-any
const CLASSES: Record<string, new (config: any) => Layer> = {
  Dense,
  DenseTied,
  Conv2D,
  Activation,
  Dropout,
  Flatten,
  Reshape,
  MaxPooling2D,
  AveragePooling2D,
  SimpleRNN,
  LSTM,
  GRU,
  Bidirectional,
  TimeDistributed,
  Embedding,
  BatchNormalization,
  LayerNormalization,
  GaussianNoise,
  GaussianDropout,
  MaskingNoise,
  UpSampling2D,
  ZeroPadding2D,
  Cropping2D,
  RepeatVector,
  Permute,
  GlobalAveragePooling2D,
  GlobalMaxPooling2D,
  ReLU,
  LeakyReLU,
  ELU,
  Softmax,
  Conv1D,
  Conv2DTranspose,
  DepthwiseConv2D,
  SeparableConv2D,
  Concatenate,
  Add,
  Subtract,
  Multiply,
  Average,
  Maximum,
  Minimum,
  Dot,
};

/** A layer from its class name and config; throws a TypeError for unknown classes. */
export function layerFromConfig(className: unknown, config: unknown, fn: string): Layer {
  const cls = typeof className === "string" ? CLASSES[className] : undefined;
  if (!cls || !Object.hasOwn(CLASSES, className as string)) {
    throw new TypeError(
      `Cannot run ${fn}(): layer class must be one of ${Object.keys(CLASSES).join(", ")}: got ${
        fmtValue(className)
      }`,
    );
  }
  if (config === null || typeof config !== "object") {
    throw new TypeError(
      `Cannot run ${fn}(): config of a ${className} layer must be an object: got ${
        fmtValue(config)
      }`,
    );
  }
  const layer = new cls(config);
  rememberMade(layer);
  return layer;
}

// Wrappers rebuild their inner layer through this registry (installed here to avoid an import cycle).
setWrappedLayerFactory(layerFromConfig);

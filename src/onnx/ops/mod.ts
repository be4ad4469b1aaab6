/**
 * Every ONNX operator we run, by op type (default domain only).
 *
 * @module
 */
import type { KernelBuilder } from "../_kernel.ts";
import { ELEMENTWISE } from "./elementwise.ts";
import { EXTRA } from "./extra.ts";
import { CONTROL } from "./control.ts";
import { CONV } from "./conv.ts";
import { DENSE } from "./dense.ts";
import { POOL } from "./pool.ts";
import { REDUCE } from "./reduce.ts";
import { RNN } from "./rnn.ts";
import { SHAPE } from "./shape.ts";

/** The kernel builders by ONNX op type. */
export const OPERATORS: Record<string, KernelBuilder> = {
  ...ELEMENTWISE,
  ...EXTRA,
  ...DENSE,
  ...CONV,
  ...CONTROL,
  ...POOL,
  ...REDUCE,
  ...RNN,
  ...SHAPE,
};

/** The public elementwise ops by their reference names (tests/_reference/elementwise.ts). */
import * as dn from "../../mod.ts";
import type { BinaryName, UnaryName } from "../_reference/elementwise.ts";

/** `dn.relu` ... `dn.abs` by name. */
export const UNARY_OPS: Record<UnaryName, (x: dn.Tensor) => dn.Tensor> = {
  relu: dn.relu,
  sigmoid: dn.sigmoid,
  tanh: dn.tanh,
  exp: dn.exp,
  log: dn.log,
  neg: dn.neg,
  sqrt: dn.sqrt,
  square: dn.square,
  abs: dn.abs,
};

/** `dn.add`, `dn.sub`, `dn.mul`, `dn.div` by name. */
export const BINARY_OPS: Record<
  BinaryName,
  (a: dn.Tensor | number, b: dn.Tensor | number) => dn.Tensor
> = { add: dn.add, sub: dn.sub, mul: dn.mul, div: dn.div };

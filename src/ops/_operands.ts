/**
 * The operands of the broadcasting elementwise ops (arithmetic, comparisons, logic, `where`):
 * tensors, or JS numbers and booleans made into scalars, brought to one dtype by TF.js's
 * promotion (bool < int32 < float32). A number beside a tensor takes the tensor's dtype when it
 * is an int32-range integer (int32 beside bool), else float32; two numbers are float32; a boolean
 * is a bool scalar.
 *
 * @module
 */
import { checkTensor, fmtValue } from "../_check.ts";
import type { DType, Tensor } from "../tensor.ts";
import { cast } from "./cast.ts";
import { tensor } from "./creation.ts";

/** A tensor-like operand: a tensor, a number, or (for ops that take bool) a boolean. */
export type Operand = Tensor | number | boolean;

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2 };

/** The dtype of `a` and `b` combined, as TF.js's `upcastType`. */
export function upcast(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The dtype a JS number or boolean takes beside a tensor of `other` (null: beside none). */
function scalarDType(x: number | boolean, other: DType | null): DType {
  if (typeof x === "boolean") return "bool";
  const int = Number.isInteger(x) && x >= -2147483648 && x <= 2147483647;
  return int && other !== null && other !== "float32" ? "int32" : "float32";
}

/**
 * The operands as tensors of one dtype, and the tensors made here (scalars, casts) that the
 * caller disposes once the op has run. `accepts` are the dtypes the op takes for tensor
 * arguments (TypeError naming `fn` and the argument otherwise); numbers are allowed only when it
 * takes a numeric dtype, booleans only when it takes bool.
 */
export function operands(
  args: readonly (readonly [name: string, value: unknown])[],
  fn: string,
  accepts: readonly DType[],
): { tensors: Tensor[]; dtype: DType; owned: Tensor[] } {
  const numbers = accepts.includes("float32") || accepts.includes("int32");
  let joint: DType | null = null;
  for (const [name, x] of args) {
    if (typeof x === "number" && numbers || typeof x === "boolean" && accepts.includes("bool")) {
      continue;
    }
    if (typeof x !== "object" || x === null) {
      const what = ["a Tensor", numbers && "a number", accepts.includes("bool") && "a boolean"]
        .filter(Boolean);
      throw new TypeError(
        `Cannot run ${fn}(): argument "${name}" must be ${
          what.length === 1 ? what[0] : `${what.slice(0, -1).join(", ")} or ${what.at(-1)}`
        }: got ${fmtValue(x)}`,
      );
    }
    checkTensor(x, name, fn, accepts);
    joint = joint === null ? x.dtype : upcast(joint, x.dtype);
  }
  let dtype = joint;
  for (const [, x] of args) {
    if (typeof x !== "object") {
      const d = scalarDType(x as number | boolean, joint);
      dtype = dtype === null ? d : upcast(dtype, d);
    }
  }
  const to = dtype ?? "float32";
  const owned: Tensor[] = [];
  const tensors = args.map(([, x]) => {
    if (typeof x !== "object") {
      const t = tensor(x as number | boolean, [], to);
      owned.push(t);
      return t;
    }
    const t = x as Tensor;
    if (t.dtype === to) return t;
    const c = cast(t, to);
    owned.push(c);
    return c;
  });
  return { tensors, dtype: to, owned };
}

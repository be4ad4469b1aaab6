/**
 * If: both branches are planned as subgraphs at load (a constant condition plans only the branch
 * it picks); at run time the condition is read on the host and the planner runs one branch.
 *
 * @module
 */
import type { KernelBuilder } from "../_kernel.ts";

/** If by ONNX op type. */
export const CONTROL: Record<string, KernelBuilder> = {
  If: (ctx) => {
    const then = ctx.graph("then_branch");
    const otherwise = ctx.graph("else_branch");
    for (const [name, g] of [["then_branch", then], ["else_branch", otherwise]] as const) {
      if (g.outputs.length !== ctx.node.outputs.length) {
        throw new RangeError(
          `Cannot load ONNX model: ${name} of ${ctx.where} must have ${ctx.node.outputs.length} outputs: got ${g.outputs.length}`,
        );
      }
    }
    return {
      run: () => {
        throw new TypeError(`Cannot run ONNX model: ${ctx.where} runs through its branches`);
      },
      host: [0],
      branches: { cond: 0, then, else: otherwise },
    };
  },
};

/**
 * Reverse-mode automatic differentiation. While a gradient is being computed, every op whose
 * inputs depend on a watched tensor records a node: its inputs, its output, the tensors its
 * backward needs (kept alive by views) and the backward function, written beside the forward in
 * `src/ops/` (STYLE C7). Backward functions run with recording off, so they are plain op calls.
 *
 * @module
 */
import { Tensor } from "../tensor.ts";
import { tidy, track } from "../scope.ts";

/**
 * Gradients of the inputs of an op from the gradient of its output; null where none flows.
 * `needs[i]` is false when input i leads to no requested gradient (a model's data, a constant):
 * its gradient would be dropped, so an expensive backward returns null there instead of computing
 * it (the first layer's input gradient: conv2d's dx was 1.7 ms of a 9.5 ms LeNet step).
 */
export type Backward = (
  dy: Tensor,
  saved: readonly Tensor[],
  needs: readonly boolean[],
) => ReadonlyArray<Tensor | null>;

interface Node {
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  readonly saved: Tensor[];
  readonly backward: Backward;
}

let nodes: Node[] | null = null;
const watched = new Set<Tensor>();

/**
 * Records `output = op(inputs)` when a gradient is being computed and an input depends on a
 * watched tensor; returns `output` either way.
 */
export function record(
  output: Tensor,
  inputs: readonly Tensor[],
  backward: Backward,
  save: readonly Tensor[] = [],
): Tensor {
  if (nodes === null || !inputs.some((t) => watched.has(t))) return output;
  nodes.push({ inputs, output, saved: save.map((t) => Tensor.view(t, t.shape)), backward });
  watched.add(output);
  return output;
}

/** Whether a gradient is being computed, so that ops record (`predict` then records too). */
export function recording(): boolean {
  return nodes !== null;
}

/** Runs `fn` without recording ops (metrics computed during a training step). */
export function withoutRecording<T>(fn: () => T): T {
  const saved = nodes;
  nodes = null;
  try {
    return fn();
  } finally {
    nodes = saved;
  }
}

/**
 * Runs `f`, then back-propagates from its result (seeded with `dy`, or ones) to `xs`.
 * Every intermediate is disposed (also when `f` throws); the value and the gradients are
 * returned as new tensors owned by the caller, one gradient per `x` (zeros where `x` does not
 * influence the value).
 */
export function gradients(
  f: () => Tensor,
  xs: readonly Tensor[],
  dy: Tensor | undefined,
  fn: string,
  ops: {
    fill: (shape: readonly number[], value: number) => Tensor;
    add: (a: Tensor, b: Tensor) => Tensor;
  },
): { value: Tensor; grads: Tensor[] } {
  if (nodes !== null) {
    throw new TypeError(
      `Cannot run ${fn}(): gradients cannot be nested in another gradient computation`,
    );
  }
  const tape: Node[] = [];
  nodes = tape;
  for (const x of xs) watched.add(x);
  try {
    return tidy(() => {
      const value = f();
      if (!(value instanceof Tensor)) {
        throw new TypeError(
          `Cannot run ${fn}(): argument "f" must return a Tensor: got ${typeof value}`,
        );
      }
      nodes = null;
      if (dy && dy.shape.join() !== value.shape.join()) {
        throw new RangeError(
          `Cannot run ${fn}(): argument "dy" must have the shape of the value [${value.shape}]: got [${dy.shape}]`,
        );
      }
      const grads = new Map<Tensor, Tensor>([[value, dy ?? ops.fill(value.shape, 1)]]);
      for (let i = tape.length - 1; i >= 0; i--) {
        const node = tape[i];
        const g = grads.get(node.output);
        if (!g) continue;
        const needs = node.inputs.map((input) => watched.has(input));
        const inputGrads = node.backward(g, node.saved, needs);
        node.inputs.forEach((input, j) => {
          const gi = inputGrads[j];
          if (!gi || !watched.has(input)) return;
          const prev = grads.get(input);
          grads.set(input, prev ? ops.add(prev, gi) : gi);
        });
      }
      // Fresh views, so the caller owns exactly what is returned even when f returns an input or
      // a captured tensor, or one tensor is the gradient of several inputs (add) or is dy itself.
      const own = (t: Tensor) => track(Tensor.view(t, t.shape));
      return {
        value: own(value),
        grads: xs.map((x) => {
          const g = grads.get(x);
          return g ? own(g) : ops.fill(x.shape, 0);
        }),
      };
    });
  } finally {
    nodes = null;
    watched.clear();
    for (const node of tape) for (const s of node.saved) s.dispose();
  }
}

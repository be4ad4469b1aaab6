/**
 * Graph structure, before any kernel is built: the operators a graph (and its subgraphs) uses
 * that we lack, an execution order (iterative depth-first search: cycles, undefined inputs and
 * values produced twice are RangeErrors), and the enclosing values a node's subgraphs read.
 *
 * @module
 */
import type { Graph, Node } from "./_proto.ts";
import { OPERATORS } from "./ops/mod.ts";

/** Every op type a graph and its subgraphs use that we do not run. */
export function unsupported(graph: Graph, into: Set<string>): Set<string> {
  for (const node of graph.nodes) {
    if (node.domain && node.domain !== "ai.onnx") into.add(`${node.domain}:${node.opType}`);
    else if (!(node.opType in OPERATORS)) into.add(node.opType);
    for (const a of node.attrs.values()) {
      if (a && typeof a === "object" && "nodes" in a) unsupported(a, into);
    }
  }
  return into;
}

/** The nodes in an order where each runs after the producers of its inputs. */
export function order(graph: Graph, known: (name: string) => boolean): Node[] {
  const producer = new Map<string, Node>();
  for (const node of graph.nodes) {
    for (const out of node.outputs) {
      if (out && producer.has(out)) {
        throw new RangeError(
          `Cannot load ONNX model: value "${out}" is produced by two nodes ("${
            producer.get(out)!.name
          }" and "${node.name}")`,
        );
      }
      if (out) producer.set(out, node);
    }
  }
  const done = new Set<Node>();
  const visiting = new Set<Node>();
  const sorted: Node[] = [];
  const visit = (start: Node) => {
    // Iterative depth-first search: a deep chain must not overflow the call stack.
    const stack: [Node, number][] = [[start, 0]];
    visiting.add(start);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [node, i] = top;
      const deps = [...node.inputs, ...freeNames(node)];
      if (i < deps.length) {
        top[1]++;
        const name = deps[i];
        if (!name || (known(name) && !producer.has(name))) continue;
        const p = producer.get(name);
        if (!p) {
          throw new RangeError(
            `Cannot load ONNX model: input "${name}" of node "${node.name}" is neither a graph input, an initializer nor the output of a node`,
          );
        }
        if (done.has(p)) continue;
        if (visiting.has(p)) {
          throw new RangeError(
            `Cannot load ONNX model: the graph has a cycle through node "${p.name}" (${p.opType})`,
          );
        }
        visiting.add(p);
        stack.push([p, 0]);
      } else {
        stack.pop();
        visiting.delete(node);
        done.add(node);
        sorted.push(node);
      }
    }
  };
  for (const node of graph.nodes) if (!done.has(node)) visit(node);
  return sorted;
}

/** The outer-scope names a node's subgraphs read. */
export function freeNames(node: Node): string[] {
  const names: string[] = [];
  for (const a of node.attrs.values()) {
    if (!a || typeof a !== "object" || !("nodes" in a)) continue;
    const defined = new Set([...a.initializers.keys(), ...a.inputs.map((i) => i.name)]);
    for (const n of a.nodes) for (const o of n.outputs) defined.add(o);
    for (const n of a.nodes) {
      for (const i of [...n.inputs, ...freeNames(n)]) if (i && !defined.has(i)) names.push(i);
    }
  }
  return names;
}

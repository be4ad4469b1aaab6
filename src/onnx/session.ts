/**
 * `InferenceSession`: ONNX Runtime's JavaScript API shape over Dendrite's kernels.
 *
 * @module
 */
import { checkArity, fmtShape, fmtValue } from "../_check.ts";
import { Tensor } from "../tensor.ts";
import { Plan } from "./_plan.ts";
import { decodeModel, type ValueInfo } from "./_proto.ts";

/** Options of `InferenceSession.create()` (none yet: an unknown key is an error). */
export type SessionOptions = Record<string, never>;

/** The outputs of `session.run()`, by output name. */
export type OnnxOutputs = Record<string, Tensor>;

async function readSource(source: Uint8Array | ArrayBuffer | string | URL): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (typeof source === "string" || source instanceof URL) {
    const url = source instanceof URL ? source : undefined;
    if (url && url.protocol !== "file:") {
      const response = await fetch(url);
      if (!response.ok) {
        throw new TypeError(
          `Cannot load ONNX model: fetching "${url.href}" failed: ${response.status} ${response.statusText}`,
        );
      }
      return new Uint8Array(await response.arrayBuffer());
    }
    return await Deno.readFile(source);
  }
  throw new TypeError(
    `Cannot run InferenceSession.create(): argument "source" must be bytes (Uint8Array, ArrayBuffer), a path or a URL: got ${
      fmtValue(source)
    }`,
  );
}

/**
 * A loaded ONNX model, run with Dendrite's kernels on the current backend (`dn.ready()`), with
 * ONNX Runtime Web's API: `InferenceSession.create(model)`, `inputNames`, `outputNames`,
 * `await session.run({ name: tensor })` returning the outputs by name.
 *
 * Dtypes: float tensors (float32, float16, double) run as float32, integer ones (int64 included)
 * as int32, bool as bool. Every operator, attribute and weight is checked when the model loads.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import { InferenceSession } from "@dendrite/dendrite/onnx";
 * import assert from "node:assert/strict";
 * const session = await InferenceSession.create(await Deno.readFile("tests/onnx/testdata/relu.onnx"));
 * assert.deepEqual(session.inputNames, ["x"]);
 * const { y } = await session.run({ x: dn.tensor([[-1, 2]]) });
 * assert.deepEqual([...(await y.data())], [0, 2]);
 * session.release();
 * ```
 */
export class InferenceSession {
  /** The names of the graph inputs to feed, in graph order. */
  readonly inputNames: readonly string[];
  /** The names of the graph outputs `run()` returns, in graph order. */
  readonly outputNames: readonly string[];
  readonly #inputs: ValueInfo[];
  readonly #plan: Plan;
  #released = false;

  private constructor(inputs: ValueInfo[], outputs: string[], plan: Plan) {
    this.#inputs = inputs;
    this.inputNames = inputs.map((i) => i.name);
    this.outputNames = outputs;
    this.#plan = plan;
  }

  /**
   * Loads an ONNX model: decodes it, checks every operator and weight, folds its constant
   * (shape) subgraphs and converts weights to Dendrite's layouts, once.
   *
   * @param source The model's bytes, or a path or URL to read them from.
   * @param options None yet (ONNX Runtime's session options do not apply).
   * @returns The session.
   * @throws {SyntaxError} When the bytes are not a valid ONNX ModelProto.
   * @throws {UnsupportedOperatorError} When the model uses operators Dendrite lacks (all listed).
   * @throws {TypeError} On unsupported dtypes, attributes or non-constant weights.
   * @throws {RangeError} On tensors whose data does not match their dims, cycles, undefined
   *   inputs, or an opset outside 11 to 21.
   */
  static async create(
    source: Uint8Array | ArrayBuffer | string | URL,
    options: SessionOptions = {},
  ): Promise<InferenceSession> {
    checkArity(arguments, ["source", "options"], "InferenceSession.create");
    if (options === null || typeof options !== "object" || Object.keys(options).length) {
      throw new TypeError(
        `Cannot run InferenceSession.create(): argument "options" takes no keys yet: got ${
          fmtValue(options)
        }`,
      );
    }
    const bytes = await readSource(source);
    const model = decodeModel(bytes);
    const plan = await Plan.build(model.graph, model.opset, new Set(), bytes.length);
    return new InferenceSession(
      model.graph.inputs,
      plan.outputs.map((_, i) => model.graph.outputs[i].name),
      plan,
    );
  }

  /**
   * Runs the model.
   *
   * @param feeds One tensor per input name (the caller keeps ownership).
   * @returns One new tensor per output name (the caller disposes them).
   * @throws {TypeError} When an input is missing, unknown, not a live tensor, or of the wrong
   *   dtype or rank.
   * @throws {RangeError} When a fixed dimension of an input does not match the model's.
   */
  async run(feeds: Record<string, Tensor>): Promise<OnnxOutputs> {
    checkArity(arguments, ["feeds"], "session.run");
    if (this.#released) throw new TypeError("Cannot run session.run(): the session was released");
    if (feeds === null || typeof feeds !== "object") {
      throw new TypeError(
        `Cannot run session.run(): argument "feeds" must be an object of tensors by input name: got ${
          fmtValue(feeds)
        }`,
      );
    }
    for (const name of Object.keys(feeds)) {
      if (!this.inputNames.includes(name)) {
        throw new TypeError(
          `Cannot run session.run(): "${name}" is not an input of the model (inputs: ${
            this.inputNames.join(", ")
          })`,
        );
      }
    }
    const env = new Map<string, Tensor>();
    for (const info of this.#inputs) env.set(info.name, checkFeed(feeds[info.name], info));
    const outputs = await this.#plan.run(env);
    const result: OnnxOutputs = {};
    this.outputNames.forEach((name, i) => (result[name] = outputs[i]));
    return result;
  }

  /** Frees the model's weights; the session cannot run afterwards. */
  release(): void {
    if (!this.#released) this.#plan.dispose();
    this.#released = true;
  }
}

function checkFeed(t: unknown, info: ValueInfo): Tensor {
  const what = `input "${info.name}"`;
  if (!(t instanceof Tensor) || t.isDisposed) {
    throw new TypeError(
      `Cannot run session.run(): ${what} must be a live tensor: got ${fmtValue(t)}`,
    );
  }
  if (info.dtype && t.dtype !== info.dtype) {
    throw new TypeError(
      `Cannot run session.run(): ${what} must have dtype ${info.dtype}: got ${t.dtype}`,
    );
  }
  if (info.dims) {
    const ok = t.rank === info.dims.length &&
      info.dims.every((d, i) => typeof d === "string" || d === t.shape[i]);
    if (!ok) {
      const want = `[${info.dims.map((d) => (typeof d === "string" ? d : String(d))).join(", ")}]`;
      throw new (t.rank === info.dims.length ? RangeError : TypeError)(
        `Cannot run session.run(): ${what} must have shape ${want}: got ${fmtShape(t.shape)}`,
      );
    }
  }
  return t;
}

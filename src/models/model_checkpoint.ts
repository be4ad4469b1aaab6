/**
 * The `modelCheckpoint` callback.
 *
 * @module
 */
import { checkArity, checkOptions, fmtValue } from "../_check.ts";
import type { Callback, Logs } from "./callbacks.ts";
import { monitoredValue, monitorSign } from "./_monitor.ts";
import type { Sequential } from "./sequential.ts";

/** Options of {@linkcode modelCheckpoint}. */
export interface ModelCheckpointOptions {
  /**
   * Where to save (as `model.save()`); `{epoch}` (1-based) and `{<logged name>}` are replaced,
   * optionally formatted as `{epoch:02d}` or `{val_loss:.4f}` (Keras's placeholders).
   */
  filepath: string;
  /** The logged value that decides the best epoch (default `"val_loss"`). */
  monitor?: string;
  /** Save only when the monitored value improves on the best so far (default false). */
  saveBestOnly?: boolean;
  /** `"min"`, `"max"` or `"auto"` (default: max for accuracies, else min). */
  mode?: "min" | "max" | "auto";
  /** Save the weights alone (`model.saveWeights`, read by `loadWeights`; default false). */
  saveWeightsOnly?: boolean;
  /**
   * `"epoch"` (default): check and save at the end of every epoch; a positive integer `n`: at
   * the end of every `n`-th batch (counted across epochs), monitoring the batch's logs, with
   * `{batch}` (1-based, within the epoch) available in `filepath`.
   */
  saveFreq?: "epoch" | number;
}

/** `filepath` with Keras's placeholders replaced (`batch` 0-based, or null at an epoch's end). */
function formatPath(
  filepath: string,
  epoch: number,
  batch: number | null,
  logs: Logs,
  fn: string,
): string {
  const values: Logs = { ...logs, epoch: epoch + 1 };
  if (batch === null) delete values.batch;
  else values.batch = batch + 1;
  return filepath.replace(
    /\{(\w+)(?::(0?)(\d*)(?:\.(\d+))?([df]))?\}/g,
    (_, key, zero, width, digits, kind) => {
      if (!(key in values)) {
        throw new RangeError(
          `Cannot run ${fn}(): placeholder "{${key}}" of "filepath" is not logged: got ${
            Object.keys(values).join(", ")
          }`,
        );
      }
      const v = values[key];
      const text = kind === "f"
        ? v.toFixed(Number(digits || 6))
        : kind === "d"
        ? String(Math.round(v))
        : String(v);
      return width ? text.padStart(Number(width), zero ? "0" : " ") : text;
    },
  );
}

class ModelCheckpoint implements Callback {
  readonly #filepath: string;
  readonly #monitor: string;
  readonly #saveBestOnly: boolean;
  readonly #sign: number;
  readonly #weightsOnly: boolean;
  readonly #freq: "epoch" | number;
  #model: Sequential | null = null;
  #best = Infinity;
  #epoch = 0;
  #batches = 0;

  constructor(options: ModelCheckpointOptions) {
    const fn = "modelCheckpoint";
    checkOptions(
      options,
      ["filepath", "monitor", "saveBestOnly", "mode", "saveWeightsOnly", "saveFreq"],
      fn,
    );
    if (typeof options?.filepath !== "string" || options.filepath === "") {
      throw new TypeError(
        `Cannot run ${fn}(): option "filepath" must be a non-empty string: got ${
          fmtValue(options?.filepath)
        }`,
      );
    }
    this.#filepath = options.filepath;
    this.#monitor = options.monitor ?? "val_loss";
    if (typeof this.#monitor !== "string") {
      throw new TypeError(
        `Cannot run ${fn}(): option "monitor" must be a string: got ${fmtValue(this.#monitor)}`,
      );
    }
    this.#saveBestOnly = checkFlag(options.saveBestOnly, "saveBestOnly", fn);
    this.#weightsOnly = checkFlag(options.saveWeightsOnly, "saveWeightsOnly", fn);
    this.#sign = monitorSign(options.mode, this.#monitor, fn);
    const freq = options.saveFreq ?? "epoch";
    if (freq !== "epoch" && !(Number.isInteger(freq) && (freq as number) > 0)) {
      throw new TypeError(
        `Cannot run ${fn}(): option "saveFreq" must be "epoch" or a positive integer (batches): got ${
          fmtValue(freq)
        }`,
      );
    }
    this.#freq = freq;
  }

  setModel(model: Sequential): void {
    this.#model = model;
  }

  onTrainBegin(): void {
    this.#best = Infinity;
    this.#batches = 0;
  }

  onEpochBegin(epoch: number): void {
    this.#epoch = epoch;
  }

  async onBatchEnd(batch: number, logs: Logs): Promise<void> {
    if (this.#freq !== "epoch" && ++this.#batches % this.#freq === 0) {
      await this.#save(this.#epoch, batch, logs);
    }
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    if (this.#freq === "epoch") await this.#save(epoch, null, logs);
  }

  async #save(epoch: number, batch: number | null, logs: Logs): Promise<void> {
    const fn = "modelCheckpoint";
    if (this.#saveBestOnly) {
      const score = this.#sign * monitoredValue(logs, this.#monitor, fn);
      if (!(score < this.#best)) return;
      this.#best = score;
    }
    const path = formatPath(this.#filepath, epoch, batch, logs, fn);
    if (this.#weightsOnly) await this.#model!.saveWeights(path);
    else await this.#model!.save(path);
  }
}

/** A boolean option, false when absent. */
function checkFlag(value: unknown, name: string, fn: string): boolean {
  if (value !== undefined && typeof value !== "boolean") {
    throw new TypeError(
      `Cannot run ${fn}(): option "${name}" must be a boolean: got ${fmtValue(value)}`,
    );
  }
  return value ?? false;
}

/**
 * Saves the model after every epoch, or only when a monitored value improves (Keras
 * `ModelCheckpoint`): the saved file is the best model so far, loadable with `dn.loadModel`.
 * Writing needs `--allow-write`.
 *
 * @param options `filepath` (with `{epoch}`, `{batch}` and logged-value placeholders), `monitor`
 *   (`"val_loss"`), `saveBestOnly` (false), `mode` (`"auto"`), `saveWeightsOnly` (false: whole
 *   models for `dn.loadModel`; true: weights for `model.loadWeights`), `saveFreq` (`"epoch"`, or
 *   every `n` batches).
 * @returns A callback for `fit({ callbacks })`.
 * @throws {TypeError} When an option is unknown or of the wrong type.
 * @throws {RangeError} During `fit()`, when the monitored value or a placeholder is not logged.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const model = dn.sequential([dn.layers.dense({ units: 1, inputShape: [1] })]);
 * model.compile({ optimizer: "sgd", loss: "mse" });
 * const x = dn.tensor([[1], [2]]);
 * await model.fit(x, x, {
 *   epochs: 2,
 *   verbose: 0,
 *   callbacks: [dn.callbacks.modelCheckpoint({ filepath: `${dir}/best.safetensors`, monitor: "loss", saveBestOnly: true })],
 * });
 * const best = await dn.loadModel(`${dir}/best.safetensors`);
 * assert.equal(best.layers.length, 1);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function modelCheckpoint(options: ModelCheckpointOptions): Callback {
  checkArity(arguments, ["options"], "modelCheckpoint");
  return new ModelCheckpoint(options);
}

/**
 * The `csvLogger` callback.
 *
 * @module
 */
import { checkArity, checkOptions, fmtValue } from "../_check.ts";
import type { Callback, Logs } from "./callbacks.ts";

/** Options of {@linkcode csvLogger}. */
export interface CsvLoggerOptions {
  /** The file to write. */
  filename: string;
  /** Between fields (default `","`). */
  separator?: string;
  /** Add to an existing file, without a second header (default false: overwrite). */
  append?: boolean;
}

class CsvLogger implements Callback {
  readonly #filename: string;
  readonly #separator: string;
  readonly #append: boolean;
  #keys: string[] | null = null;
  #headerDue = true;

  constructor(options: CsvLoggerOptions) {
    const fn = "csvLogger";
    checkOptions(options, ["filename", "separator", "append"], fn);
    for (
      const [arg, value] of [["filename", options?.filename], [
        "separator",
        options?.separator ?? ",",
      ]]
    ) {
      if (typeof value !== "string" || value === "") {
        throw new TypeError(
          `Cannot run ${fn}(): option "${arg}" must be a non-empty string: got ${fmtValue(value)}`,
        );
      }
    }
    this.#filename = options.filename;
    this.#separator = options.separator ?? ",";
    this.#append = options.append ?? false;
    if (typeof this.#append !== "boolean") {
      throw new TypeError(
        `Cannot run ${fn}(): option "append" must be a boolean: got ${fmtValue(this.#append)}`,
      );
    }
  }

  async onTrainBegin(): Promise<void> {
    this.#keys = null;
    let existing = 0;
    if (this.#append) {
      existing = await Deno.stat(this.#filename).then((s) => s.size, (e) => {
        if (e instanceof Deno.errors.NotFound) return 0;
        throw e;
      });
    }
    this.#headerDue = existing === 0;
    if (!this.#append) await Deno.writeTextFile(this.#filename, "");
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    this.#keys ??= Object.keys(logs).sort();
    const sep = this.#separator;
    let text = "";
    if (this.#headerDue) {
      text += ["epoch", ...this.#keys].join(sep) + "\n";
      this.#headerDue = false;
    }
    text += [epoch, ...this.#keys.map((k) => k in logs ? String(logs[k]) : "NA")].join(sep) + "\n";
    await Deno.writeTextFile(this.#filename, text, { append: true });
  }
}

/**
 * Writes one line per epoch to a CSV file (Keras `CSVLogger`): a header `epoch` and the logged
 * names in sorted order, then the epoch (from 0) and its values; a value missing from a later
 * epoch is written `NA`. Writing needs `--allow-write` (and `--allow-read` to append).
 *
 * @param options `filename`, `separator` (`","`), `append` (false).
 * @returns A callback for `fit({ callbacks })`.
 * @throws {TypeError} When an option is unknown or of the wrong type.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * const file = await Deno.makeTempFile({ suffix: ".csv" });
 * const model = dn.sequential([dn.layers.dense({ units: 1, inputShape: [1] })]);
 * model.compile({ optimizer: "sgd", loss: "mse" });
 * const x = dn.tensor([[1], [2]]);
 * await model.fit(x, x, { epochs: 2, verbose: 0, callbacks: [dn.callbacks.csvLogger({ filename: file })] });
 * const lines = (await Deno.readTextFile(file)).trim().split("\n");
 * assert.deepEqual([lines[0], lines.length], ["epoch,loss", 3]);
 * await Deno.remove(file);
 * ```
 */
export function csvLogger(options: CsvLoggerOptions): Callback {
  checkArity(arguments, ["options"], "csvLogger");
  return new CsvLogger(options);
}

/**
 * An RBM as ONE safetensors file: the tensors `w`, `vBias`, `hBias` and the configuration as JSON
 * in `__metadata__` (`format` "dendrite.rbm"), as save.ts does for layer models. Decoding checks
 * the file against the configuration before anything is allocated.
 *
 * @module
 */
import { fmtShape, fmtValue } from "../_check.ts";
import { decodeSafetensors, encodeSafetensors } from "../io/safetensors.ts";

const FORMAT = "dendrite.rbm";
const NAMES = ["w", "vBias", "hBias"] as const;

/** What an RBM file holds. */
interface RbmConfig {
  visibleUnits: number;
  hiddenUnits: number;
  visibleType: "bernoulli" | "gaussian";
}

/** The bytes of an RBM with `config` and the data of `[w, vBias, hBias]`. */
export function encodeRbm(config: RbmConfig, data: Float32Array[]): Uint8Array {
  const shapes = shapesOf(config);
  return encodeSafetensors(
    data.map((d, i) => ({ name: NAMES[i], shape: shapes[i], data: d })),
    { format: FORMAT, format_version: "1", config: JSON.stringify(config) },
  );
}

function shapesOf(c: RbmConfig): number[][] {
  return [[c.visibleUnits, c.hiddenUnits], [c.visibleUnits], [c.hiddenUnits]];
}

/**
 * The configuration (checked by `check`, which throws for a bad one) and the data of an RBM file.
 */
export function decodeRbm<C extends RbmConfig>(
  bytes: Uint8Array,
  check: (config: unknown) => C,
  fn: string,
): { config: C; data: Float32Array[]; shapes: number[][] } {
  const { metadata, tensors } = decodeSafetensors(bytes);
  if (metadata.format !== FORMAT) {
    throw new TypeError(
      `Cannot run ${fn}(): "__metadata__.format" must be "${FORMAT}": got ${
        fmtValue(metadata.format)
      }`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(metadata.config ?? "");
  } catch {
    throw new TypeError(
      `Cannot run ${fn}(): "__metadata__.config" must be JSON: got ${fmtValue(metadata.config)}`,
    );
  }
  const config = check(parsed);
  const shapes = shapesOf(config);
  const data = NAMES.map((name, i) => {
    const t = tensors.get(name);
    if (!t || fmtShape(t.shape) !== fmtShape(shapes[i])) {
      throw new RangeError(
        `Cannot run ${fn}(): tensor "${name}" must have shape ${fmtShape(shapes[i])}: got ${
          t ? fmtShape(t.shape) : "none"
        }`,
      );
    }
    return t.data;
  });
  return { config, data, shapes };
}

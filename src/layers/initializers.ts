/**
 * Weight initialisers with TF.js names and Keras formulas, by name (`"heNormal"`) or as objects
 * with options (`dn.initializers.varianceScaling({ scale: 2 })`, initializer_factories.ts).
 * Fans of a `[in, out]` kernel are `fanIn = in`, `fanOut = out`; of a conv kernel `[..., in, out]`
 * they are multiplied by the receptive field size. Draws come from the layer's generator (the
 * global one, `dn.setSeed`) unless the initialiser has a `seed` of its own.
 *
 * @module
 */
import { checkOneOf, fmtValue } from "../_check.ts";
import type { Random } from "../random.ts";
import { drawsSkipped, InitializerSpec } from "./_initializer_spec.ts";
import * as init from "./initializer_factories.ts";

export {
  drawsSkipped,
  InitializerSpec,
  orthogonalValues,
  withoutDraws,
} from "./_initializer_spec.ts";
export type { Distribution, FanMode } from "./_initializer_spec.ts";

/** Initialiser names (TF.js's; `leCunNormal`/`leCunUniform` are accepted for the lecun ones). */
export type InitializerName =
  | "glorotUniform"
  | "glorotNormal"
  | "heNormal"
  | "heUniform"
  | "lecunNormal"
  | "lecunUniform"
  | "randomNormal"
  | "randomUniform"
  | "truncatedNormal"
  | "orthogonal"
  | "varianceScaling"
  | "constant"
  | "zeros"
  | "ones";

/** An initialiser: a name (its default options) or an object made by `dn.initializers`. */
export type Initializer = InitializerName | InitializerSpec;

/** Each name's initialiser with its default options. */
const BY_NAME: Readonly<Record<InitializerName, () => InitializerSpec>> = {
  glorotUniform: () => init.glorotUniform(),
  glorotNormal: () => init.glorotNormal(),
  heNormal: () => init.heNormal(),
  heUniform: () => init.heUniform(),
  lecunNormal: () => init.lecunNormal(),
  lecunUniform: () => init.lecunUniform(),
  randomNormal: () => init.randomNormal(),
  randomUniform: () => init.randomUniform(),
  truncatedNormal: () => init.truncatedNormal(),
  orthogonal: () => init.orthogonal(),
  varianceScaling: () => init.varianceScaling(),
  constant: () => init.constant(),
  zeros: () => init.zeros(),
  ones: () => init.ones(),
};

/** All initialiser names, for validation. */
export const INITIALIZERS: readonly InitializerName[] = Object.freeze(
  Object.keys(BY_NAME) as InitializerName[],
);

/** The factory of each Keras class name, to rebuild a saved `{ className, config }`. */
const BY_CLASS: Readonly<Record<string, (config: never) => InitializerSpec>> = {
  GlorotUniform: init.glorotUniform,
  GlorotNormal: init.glorotNormal,
  HeNormal: init.heNormal,
  HeUniform: init.heUniform,
  LecunNormal: init.lecunNormal,
  LecunUniform: init.lecunUniform,
  RandomNormal: init.randomNormal,
  RandomUniform: init.randomUniform,
  TruncatedNormal: init.truncatedNormal,
  Orthogonal: init.orthogonal,
  VarianceScaling: init.varianceScaling,
  Constant: init.constant,
  Zeros: init.zeros,
  Ones: init.ones,
};

/** The spellings accepted for a name, to their canonical name. */
const ALIASES: Readonly<Record<string, InitializerName>> = {
  leCunNormal: "lecunNormal",
  leCunUniform: "lecunUniform",
};

/**
 * Checks an initialiser argument: a name, an initialiser object, or a saved
 * `{ className, config }` (rebuilt by its factory, which checks the config). Returns the name or
 * the object.
 */
export function checkInitializer(value: unknown, arg: string, fn: string): Initializer {
  if (value instanceof InitializerSpec) return value;
  if (typeof value === "string" && Object.hasOwn(ALIASES, value)) return ALIASES[value];
  if (value !== null && typeof value === "object" && "className" in value) {
    const { className, config } = value as { className: unknown; config?: unknown };
    if (typeof className === "string" && Object.hasOwn(BY_CLASS, className)) {
      return BY_CLASS[className]((config ?? {}) as never);
    }
    throw new TypeError(
      `Cannot run ${fn}(): argument "${arg}.className" must be one of ${
        Object.keys(BY_CLASS).map((k) => `"${k}"`).join(", ")
      }: got ${fmtValue(className)}`,
    );
  }
  return checkOneOf(value, INITIALIZERS, arg, fn);
}

/** An initialiser as a layer's config stores it: its name, or `{ className, config }`. */
export function initializerConfig(
  value: Initializer,
): InitializerName | { className: string; config: Record<string, unknown> } {
  return typeof value === "string" ? value : value.getConfig();
}

/** Values for a weight of `shape` drawn by `value` from `rng`. */
export function initialValues(
  value: Initializer,
  shape: readonly number[],
  rng: Random,
  fn: string,
): Float32Array {
  const checked = checkInitializer(value, "kernelInitializer", fn);
  if (typeof checked !== "string") return checked.values(shape, rng);
  if (checked === "zeros" || drawsSkipped()) {
    return new Float32Array(shape.reduce((a, b) => a * b, 1));
  }
  return BY_NAME[checked]().values(shape, rng);
}

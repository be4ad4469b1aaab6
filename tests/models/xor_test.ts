/**
 * The classic acceptance check: a 2-4-1 sigmoid network learns XOR from every seed, with the
 * settings a Keras user would pick (full batch, SGD with momentum 0.9 or Adam, cross-entropy).
 */
import * as dn from "../../mod.ts";
import { assert, assertEquals } from "../_util/assert.ts";

const EPOCHS = 2_000;
const OPTIMIZERS = [
  ["sgd lr 0.5 momentum 0.9", () => dn.optimizers.sgd({ learningRate: 0.5, momentum: 0.9 })],
  ["adam lr 0.05", () => dn.optimizers.adam({ learningRate: 0.05 })],
] as const;

for (const [name, optimizer] of OPTIMIZERS) {
  Deno.test(`a 2-4-1 sigmoid network learns XOR within ${EPOCHS} epochs for 10 of 10 seeds (${name})`, async () => {
    using x = dn.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
    using y = dn.tensor([[0], [1], [1], [0]]);
    const failures: string[] = [];
    for (let seed = 0; seed < 10; seed++) {
      dn.setSeed(seed);
      const model = dn.sequential([
        dn.layers.dense({ units: 4, activation: "sigmoid", inputShape: [2] }),
        dn.layers.dense({ units: 1, activation: "sigmoid" }),
      ]);
      model.compile({ optimizer: optimizer(), loss: "binaryCrossentropy", metrics: ["accuracy"] });
      const history = await model.fit(x, y, { epochs: EPOCHS, batchSize: 4, verbose: 0 });
      assertEquals(history.epoch.length, EPOCHS);
      using p = model.predict(x);
      const labels = [...p.dataSync()].map((v) => (v > 0.5 ? 1 : 0));
      const [loss, accuracy] = await model.evaluate(x, y);
      if (labels.join() !== "0,1,1,0" || accuracy !== 1) {
        failures.push(`seed ${seed}: predictions ${[...p.dataSync()]}, loss ${loss}`);
      }
      model.dispose();
    }
    assert(failures.length === 0, `XOR not learned:\n${failures.join("\n")}`);
  });
}

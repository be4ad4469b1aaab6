/**
 * `loadModel()` builds its layers without drawing initial values (they are overwritten from the
 * file): the seeded generator is where it was, and every weight equals the file's.
 */
import * as dn from "../../mod.ts";
import { assertEquals } from "../_util/assert.ts";

Deno.test("loadModel() draws no initial values: the seeded generator does not move", async () => {
  dn.setSeed(3);
  const model = dn.sequential([
    dn.layers.dense({ units: 16, activation: "relu", inputShape: [12] }),
    dn.layers.dense({ units: 3 }),
  ]);
  const rnn = dn.sequential([dn.layers.lstm({ units: 5, inputShape: [3, 2] })]);
  const bytes = [model.toBytes(), rnn.toBytes()];
  dn.setSeed(7);
  const expected = await dn.randomUniform([32]).data();
  dn.setSeed(7);
  const copies = [await dn.loadModel(bytes[0]), await dn.loadModel(bytes[1])];
  assertEquals([...await dn.randomUniform([32]).data()], [...expected]);
  for (const [i, original] of [model, rnn].entries()) {
    const a = original.getWeights(), b = copies[i].getWeights();
    assertEquals(b.length, a.length);
    for (let w = 0; w < a.length; w++) assertEquals([...b[w].dataSync()], [...a[w].dataSync()]);
    copies[i].dispose();
    original.dispose();
  }
});

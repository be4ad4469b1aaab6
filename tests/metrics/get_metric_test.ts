import * as dn from "../../mod.ts";
import { assertEquals, assertThrows } from "../_util/assert.ts";

const { losses, metrics } = dn;

Deno.test("getMetric() resolves accuracy by the loss, as Keras does", () => {
  for (const name of ["accuracy", "acc"]) {
    assertEquals(metrics.getMetric(name, "categoricalCrossentropy"), metrics.categoricalAccuracy);
    assertEquals(metrics.getMetric(name, "categorical_crossentropy"), metrics.categoricalAccuracy);
    assertEquals(
      metrics.getMetric(name, losses.sparseCategoricalCrossentropy),
      metrics.sparseCategoricalAccuracy,
    );
    assertEquals(metrics.getMetric(name, "binaryCrossentropy"), metrics.binaryAccuracy);
    assertEquals(metrics.getMetric(name, "mse"), metrics.binaryAccuracy);
    assertEquals(metrics.getMetric(name), metrics.binaryAccuracy);
  }
});

Deno.test("getMetric() resolves the other names and passes functions through", () => {
  assertEquals(metrics.getMetric("mse"), metrics.meanSquaredError);
  assertEquals(metrics.getMetric("meanSquaredError"), losses.meanSquaredError);
  assertEquals(metrics.getMetric("categorical_accuracy"), metrics.categoricalAccuracy);
  assertEquals(metrics.getMetric("sparseCategoricalAccuracy"), metrics.sparseCategoricalAccuracy);
  assertEquals(
    metrics.getMetric("binaryAccuracy", "categoricalCrossentropy"),
    metrics.binaryAccuracy,
  );
  const custom = (t: dn.Tensor, p: dn.Tensor) => dn.mean(dn.sub(p, t));
  assertEquals(metrics.getMetric(custom), custom);
});

Deno.test("getMetric() rejects unknown metric and loss names", () => {
  assertThrows(
    () => metrics.getMetric("auc"),
    TypeError,
    'Cannot run getMetric(): argument "identifier" must be one of "accuracy", "acc"',
  );
  assertThrows(
    () => metrics.getMetric("accuracy", "hingeLoss"),
    TypeError,
    'Cannot run getMetric(): argument "loss" must be one of "meanSquaredError"',
  );
});

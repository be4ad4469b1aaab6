/**
 * A restricted Boltzmann machine 784-256 trained by CD-1 on the 8,000 bundled MNIST training
 * digits. Prints, per epoch, the training reconstruction error and, on the 2,000 held-out digits,
 * the reconstruction error and the mean pseudo-likelihood (scikit-learn's `score_samples`, on the
 * digits binarised at 0.5); writes to docs/img/:
 *
 *   rbm_mnist_filters.png          the first 100 hidden units' weights as 28x28 tiles
 *   rbm_mnist_reconstructions.png  held-out digits (top row) and their reconstructions (bottom)
 *   rbm_mnist_training.png         the training and held-out reconstruction error per epoch
 *
 *   deno run -A examples/rbm_mnist.ts [epochs=20]
 */
import * as dn from "../mod.ts";
import { mnist } from "../datasets.ts";
import { imageRows, lineChart, tileGrid } from "../plot.ts";

const epochs = Number(Deno.args[0] ?? 20);

// A long stall timeout: on a loaded machine a worker may wait its turn for a core.
await dn.ready({ backend: "auto", stallTimeoutMs: 10_000 });
dn.setSeed(0);
const { xTrain, xTest } = await mnist();
const binaryTest = dn.cast(dn.greater(xTest, 0.5), "float32");
const r = dn.rbm({ visibleUnits: 784, hiddenUnits: 256 });

/** Mean squared error between `x` and its reconstruction. */
function reconstructionError(x: dn.Tensor): number {
  return dn.tidy(() => dn.mean(dn.squaredDifference(x, r.reconstruct(x))).dataSync()[0]);
}

const heldOut: number[] = [];
const started = performance.now();
const history = await r.fit(xTrain, {
  epochs,
  batchSize: 64,
  learningRate: 0.05,
  momentum: 0.5,
  weightDecay: 2e-4,
  verbose: 0,
  callbacks: {
    onEpochEnd(epoch, logs) {
      heldOut.push(reconstructionError(xTest));
      const pl = dn.tidy(() => dn.mean(r.pseudoLikelihood(binaryTest, { seed: 0 })).dataSync()[0]);
      console.log(
        `epoch ${epoch + 1}/${epochs}: train reconstruction error ${logs.loss.toFixed(4)}, ` +
          `held-out ${heldOut.at(-1)!.toFixed(4)}, held-out pseudo-likelihood ${pl.toFixed(2)}`,
      );
    },
  },
});
console.log(`${dn.backend().name}: ${((performance.now() - started) / 1000).toFixed(0)} s`);

const img = new URL("../docs/img/", import.meta.url);
await Deno.mkdir(img, { recursive: true });
const [w] = r.parameters;
const filters = dn.tidy(() => dn.slice(dn.transpose(w), [0, 0], [100, 784]));
await Deno.writeFile(
  new URL("rbm_mnist_filters.png", img),
  tileGrid(filters, { height: 28, width: 28, cols: 10, normalize: "tile" }),
);
const inputs = dn.slice(xTest, [0, 0], [12, 784]);
const recon = r.reconstruct(inputs);
await Deno.writeFile(
  new URL("rbm_mnist_reconstructions.png", img),
  imageRows([inputs, recon], { height: 28, width: 28, scale: 2 }),
);
await Deno.writeFile(
  new URL("rbm_mnist_training.png", img),
  lineChart({
    series: { "train reconstruction error": history.history.loss, "held-out": heldOut },
    yMin: 0,
  }),
);
console.log("wrote docs/img/rbm_mnist_{filters,reconstructions,training}.png");
for (const t of [filters, inputs, recon, binaryTest, xTrain, xTest]) t.dispose();
r.dispose();
await dn.shutdown();

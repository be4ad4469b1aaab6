/**
 * TF.js Layers models on disk for the interop tests: TF.js `IOHandler`s that write a model the
 * way `tf.io` file saving does (`model.json` with `weightsManifest`, one `.bin` shard) and read
 * one back from a folder.
 */
import type * as tf from "@tensorflow/tfjs-core";

type Artifacts = {
  modelTopology: unknown;
  weightSpecs: unknown[];
  weightData: ArrayBuffer;
};

/** An IOHandler saving to `dir/model.json` and `dir/weights.bin`. */
export function tfjsSaveTo(dir: string): tf.io.IOHandler {
  return {
    save: async (a: tf.io.ModelArtifacts) => {
      const artifacts = a as unknown as Artifacts;
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: "layers-model",
        generatedBy: "TensorFlow.js tfjs-layers",
        convertedBy: null,
        weightsManifest: [{ paths: ["weights.bin"], weights: artifacts.weightSpecs }],
      };
      await Deno.writeTextFile(`${dir}/model.json`, JSON.stringify(modelJson));
      await Deno.writeFile(`${dir}/weights.bin`, new Uint8Array(artifacts.weightData));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    },
  };
}

/** An IOHandler loading `dir/model.json` and the shards its manifest names. */
export function tfjsLoadFrom(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(await Deno.readTextFile(`${dir}/model.json`));
      const groups = json.weightsManifest as { paths: string[]; weights: unknown[] }[];
      const parts = await Promise.all(
        groups.flatMap((g) => g.paths).map((p) => Deno.readFile(`${dir}/${p}`)),
      );
      const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        data.set(p, at);
        at += p.length;
      }
      return {
        modelTopology: json.modelTopology,
        weightSpecs: groups.flatMap((g) => g.weights),
        weightData: data.buffer,
      } as unknown as tf.io.ModelArtifacts;
    },
  };
}

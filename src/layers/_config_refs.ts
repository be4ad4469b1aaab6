/**
 * The layers `layerFromConfig` made most recently, by name: how a layer whose config names
 * another layer (a tied decoder names its encoder) finds it again when `loadModel` or
 * `cloneModel` rebuilds a model. Both rebuild layers in dependency order (a Sequential's order,
 * a graph's topological order, nested models before the ones that read them), so the layer a
 * config names was made just before, from the same file or clone.
 *
 * @module
 */
import type { Layer } from "./layer.ts";

const made = new Map<string, WeakRef<Layer>>();

/** Records a layer `layerFromConfig` just made. */
export function rememberMade(layer: Layer): void {
  made.set(layer.name, new WeakRef(layer));
}

/** The live layer of that name that `layerFromConfig` made last, if any. */
export function lastMade(name: string): Layer | undefined {
  return made.get(name)?.deref();
}

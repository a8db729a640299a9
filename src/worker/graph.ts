/**
 * Eager, layer-by-layer execution of a functional layers model between two cut points. Grad-CAM
 * needs the network split at meta.gradcamLayer: image -> activations, and activations -> logits
 * as a function tf.grad can differentiate. Running the model's own layers (shared weights) avoids
 * building sub-models whose dispose() would free weights the classifier still uses.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

type Layer = LayersModel['layers'][number];

/** Names of the layers feeding `layer` (models loaded from model.json call each layer once). */
function inboundNames(layer: Layer): string[] {
  return layer.inboundNodes[0]?.inboundLayers.map((l) => l.name) ?? [];
}

/** The name of the model's only input layer and output layer. */
export function endpoints(model: LayersModel): { input: string; output: string } {
  const input = model.inputLayers[0]?.name;
  const output = model.outputLayers[0]?.name;
  if (!input || !output || model.inputLayers.length > 1 || model.outputLayers.length > 1) {
    throw new Error('expected a model with one input and one output');
  }
  return { input, output };
}

/**
 * Computes `target` from tensors already `known` (layer name -> output), applying in model order
 * every layer whose inputs are all known. Throws when `target` cannot be reached from them, e.g.
 * a skip connection that jumps over the cut. Call inside tf.tidy: intermediates are not freed.
 */
export function runLayers(
  model: LayersModel,
  known: ReadonlyMap<string, tf.Tensor>,
  target: string,
): tf.Tensor {
  const values = new Map(known);
  for (const layer of model.layers) {
    if (values.has(layer.name)) continue;
    const inputs = inboundNames(layer).map((name) => values.get(name));
    if (inputs.length === 0 || inputs.some((t) => t === undefined)) continue;
    const ready = inputs as tf.Tensor[];
    const out = layer.apply(ready.length === 1 ? (ready[0] as tf.Tensor) : ready);
    if (!(out instanceof tf.Tensor)) throw new Error(`layer ${layer.name} gave no single tensor`);
    values.set(layer.name, out);
    if (layer.name === target) return out;
  }
  const found = values.get(target);
  if (!found) throw new Error(`layer ${target} cannot be computed from ${[...known.keys()]}`);
  return found;
}

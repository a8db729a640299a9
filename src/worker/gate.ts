/**
 * The not-a-skin-spot gate's files for one model, as the worker needs them: ood.json (what to
 * measure) and ood.bin (the training features' statistics), the latter checked against the sha256
 * in meta.json like a weight shard, and a damaged cached copy fetched again once.
 */
import type { ModelMeta } from '../shared/meta';
import { parseOod, type OodSpec } from '../shared/ood';
import { readFeatureStats, type FeatureStats } from './ood';
import { fetchVerified } from './weights';

export interface Gate {
  readonly spec: OodSpec;
  readonly stats: FeatureStats;
  /** ood.bin, when its cached copy was damaged and downloaded again. */
  readonly repaired: readonly string[];
}

/**
 * Why a model without a gate is not loaded: the page refuses it first (with these words), but
 * the worker holds the same line, so no path can classify a photo the gate never saw.
 */
export function gateMissing(meta: ModelMeta): string {
  return `${meta.id} ships no not-a-skin-spot statistics (no "ood" in meta.json)`;
}

export async function loadGate(modelUrl: string, meta: ModelMeta): Promise<Gate> {
  const ood = meta.ood;
  if (!ood) throw new Error(gateMissing(meta));
  const url = new URL(ood.path, modelUrl).href;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const spec = parseOod(await response.json());
  // meta.json's hash is the one that was checked at export: ood.json must name the same file.
  if (spec.file.path !== ood.data.path || spec.file.sha256 !== ood.data.sha256) {
    throw new Error(`${ood.path} and meta.json name different statistics files`);
  }
  if (meta.featureLayer !== undefined && meta.featureLayer !== spec.featureLayer) {
    throw new Error(`${ood.path} measures ${spec.featureLayer}, meta.json ${meta.featureLayer}`);
  }
  const [bytes, fixed] = await fetchVerified(
    new URL(ood.data.path, modelUrl).href,
    ood.data.sha256,
  );
  return {
    spec,
    stats: readFeatureStats(spec, bytes),
    repaired: fixed ? [ood.data.path] : [],
  };
}

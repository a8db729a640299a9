/** Where a model's files live on our origin, and fetching its validated meta.json. */
import { parseCard, type ModelCard } from '../card/model-card';
import { parseMeta, type ModelMeta } from '../../shared/meta';
import { parseOod, type OodSpec } from '../../shared/ood';
import type { ShippedModel } from './choices';

/** Absolute URL of a file of model `id` (the worker resolves URLs against its own location). */
export function modelFileUrl(id: string, file: string): string {
  return new URL(`${import.meta.env.BASE_URL}model/${id}/${file}`, location.href).href;
}

export async function fetchMeta(id: string, signal?: AbortSignal): Promise<ModelMeta> {
  const response = await fetch(modelFileUrl(id, 'meta.json'), signal ? { signal } : {});
  if (!response.ok) throw new Error(`meta.json of ${id}: HTTP ${response.status}`);
  const meta = parseMeta(await response.json());
  if (meta.id !== id) throw new Error(`meta.json of ${id} says id ${meta.id}`);
  return meta;
}

/** The model ships no not-a-skin-spot gate: the app does not analyse photos with it. */
export class GateUnavailableError extends Error {
  override name = 'GateUnavailableError';
  constructor(readonly modelId: string) {
    super(
      `This model (${modelId}) comes without its "not a skin spot" check, so DermLens will not ` +
        'analyse photos with it: it could not tell a photo of something else from a skin spot. ' +
        'Choose another model.',
    );
  }
}

/**
 * The model's not-a-skin-spot gate (ood.json): the thresholds and skin box the page judges with.
 * The worker reads the same file, and the statistics it names, for the feature distance.
 */
export async function fetchGate(meta: ModelMeta, signal?: AbortSignal): Promise<OodSpec> {
  if (!meta.ood) throw new GateUnavailableError(meta.id);
  const response = await fetch(modelFileUrl(meta.id, meta.ood.path), signal ? { signal } : {});
  if (!response.ok) throw new Error(`${meta.ood.path} of ${meta.id}: HTTP ${response.status}`);
  const gate = parseOod(await response.json());
  if (gate.file.sha256 !== meta.ood.data.sha256) {
    throw new Error(`${meta.ood.path} of ${meta.id} does not match its meta.json`);
  }
  return gate;
}

/** The model's card.json (test metrics written by training's evaluate), validated. */
export async function fetchCard(id: string, signal?: AbortSignal): Promise<ModelCard> {
  const response = await fetch(modelFileUrl(id, 'card.json'), signal ? { signal } : {});
  if (!response.ok) throw new Error(`card.json of ${id}: HTTP ${response.status}`);
  const card = parseCard(await response.json());
  if (card.modelId !== id) throw new Error(`card.json of ${id} says model ${card.modelId}`);
  return card;
}

/** The models this build ships, with their role (decided at build time from model/<id>/meta.json). */
export const SHIPPED_MODEL_INFO: readonly ShippedModel[] = __SHIPPED_MODELS__;

/** Ids of the shipped models, the accurate one first. */
export const SHIPPED_MODELS: readonly string[] = SHIPPED_MODEL_INFO.map((m) => m.id);

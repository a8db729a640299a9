/** Where a model's files live on our origin, and fetching its validated meta.json. */
import { parseCard, type ModelCard } from '../card/model-card';
import { parseMeta, type ModelMeta } from '../../shared/meta';
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

/**
 * Model files fetched by us (not by TF.js) so every weight shard (and the gate's statistics) is
 * checked against the sha256 in meta.json before it is used. A cached shard that fails is dropped from Cache Storage,
 * fetched again from the network once, checked again, and the good copy put back in the cache.
 */
import type { io } from '@tensorflow/tfjs-core';
import type { ModelMeta } from '../shared/meta';

interface WeightsGroup {
  readonly paths: readonly string[];
  readonly weights: io.WeightsManifestEntry[];
}
interface ModelJson {
  readonly modelTopology: object;
  readonly weightsManifest: readonly WeightsGroup[];
  readonly format?: string;
  readonly generatedBy?: string;
  readonly convertedBy?: string | null;
}

export interface VerifiedModel {
  readonly artifacts: io.ModelArtifacts;
  /** Shards whose cached copy was damaged and was replaced by a fresh download. */
  readonly repaired: readonly string[];
}

async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function fetchBytes(url: string, init?: RequestInit): Promise<Response> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response;
}

/** Removes every cached copy of `url` (Workbox keys carry a ?__WB_REVISION__ query). */
async function discardCached(url: string): Promise<{ cache: Cache; key: Request }[]> {
  const removed: { cache: Cache; key: Request }[] = [];
  if (typeof caches === 'undefined') return removed;
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const key of await cache.keys(url, { ignoreSearch: true })) {
      await cache.delete(key);
      removed.push({ cache, key });
    }
  }
  return removed;
}

/**
 * One file (a weight shard, the gate's ood.bin), verified; re-fetched from the network once when
 * the (cached) copy is wrong. Returns its bytes and whether it had to be repaired.
 */
export async function fetchVerified(
  url: string,
  expected: string,
): Promise<[ArrayBuffer, boolean]> {
  const bytes = await (await fetchBytes(url)).arrayBuffer();
  if ((await sha256Hex(bytes)) === expected) return [bytes, false];
  const removed = await discardCached(url);
  let fresh: Response;
  try {
    fresh = await fetchBytes(url, { cache: 'reload' });
  } catch {
    throw new Error(
      'The copy of the model saved on this device was damaged and could not be downloaded ' +
        'again. Connect to the internet once and reload.',
    );
  }
  const again = await fresh.clone().arrayBuffer();
  if ((await sha256Hex(again)) !== expected) {
    throw new Error(`A model file (${url}) does not match its checksum, even freshly downloaded.`);
  }
  // Put the good copy back under the keys the service worker looks up, so offline use works.
  await Promise.all(removed.map(({ cache, key }) => cache.put(key, fresh.clone())));
  return [again, true];
}

/** Fetches model.json and every shard (verified), ready for tf.io.fromMemory. */
export async function fetchVerifiedModel(
  modelUrl: string,
  meta: ModelMeta,
  onProgress: (fraction: number) => void,
): Promise<VerifiedModel> {
  const model = (await (await fetchBytes(modelUrl)).json()) as ModelJson;
  const sums = new Map(meta.weights.map((w) => [w.path, w.sha256]));
  const paths = model.weightsManifest.flatMap((g) => g.paths);
  const parts: ArrayBuffer[] = [];
  const repaired: string[] = [];
  for (const [i, path] of paths.entries()) {
    const expected = sums.get(path);
    if (!expected) throw new Error(`meta.json has no sha256 for weight file ${path}`);
    const [bytes, fixed] = await fetchVerified(new URL(path, modelUrl).href, expected);
    parts.push(bytes);
    if (fixed) repaired.push(path);
    onProgress((i + 1) / paths.length);
  }
  const weightData = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    weightData.set(new Uint8Array(part), offset);
    offset += part.byteLength;
  }
  return {
    artifacts: {
      modelTopology: model.modelTopology,
      weightSpecs: model.weightsManifest.flatMap((g) => g.weights),
      weightData: weightData.buffer,
      ...(model.format ? { format: model.format } : {}),
      ...(model.generatedBy ? { generatedBy: model.generatedBy } : {}),
    },
    repaired,
  };
}

import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ModelMeta } from '../../src/shared/meta';
import { fetchVerifiedModel } from '../../src/worker/weights';

const MODEL = 'http://app.test/model/m/model.json';
const SHARD = 'http://app.test/model/m/group1-shard1of1.bin';
const good = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
const bad = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 9]);
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

const modelJson = {
  modelTopology: { class_name: 'Sequential' },
  format: 'layers-model',
  weightsManifest: [
    { paths: ['group1-shard1of1.bin'], weights: [{ name: 'w', shape: [2], dtype: 'float32' }] },
  ],
};
const meta = {
  id: 'm',
  weights: [{ path: 'group1-shard1of1.bin', bytes: 8, sha256: sha(good) }],
} as unknown as ModelMeta;

/** Cache Storage with one cache holding the (damaged) shard under a Workbox-style key. */
function fakeCaches(cached: Uint8Array) {
  const key = new Request(`${SHARD}?__WB_REVISION__=abc`);
  const entries = new Map<string, Response>([[key.url, new Response(cached.slice())]]);
  const cache = {
    keys: async (url: string) =>
      [...entries.keys()].filter((k) => k.split('?')[0] === url).map((k) => new Request(k)),
    delete: async (req: Request) => entries.delete(req.url),
    put: async (req: Request, res: Response) => void entries.set(req.url, res),
  };
  vi.stubGlobal('caches', { keys: async () => ['precache'], open: async () => cache });
  return { entries, key };
}

/** The network as the worker sees it: the cache first (as the service worker serves it). */
function fakeFetch(entries: Map<string, Response>, network: Uint8Array | 'offline') {
  const calls: string[] = [];
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    calls.push(`${url} ${init?.cache ?? 'default'}`);
    if (url === MODEL) return Response.json(modelJson);
    const cached = [...entries].find(([k]) => k.startsWith(url))?.[1];
    if (cached) return cached.clone();
    if (network === 'offline') throw new TypeError('Failed to fetch');
    return new Response(network.slice());
  });
  return calls;
}

afterEach(() => vi.unstubAllGlobals());

describe('fetchVerifiedModel', () => {
  it('passes good shards straight through, in manifest order', async () => {
    const { entries } = fakeCaches(good);
    fakeFetch(entries, good);
    const progress: number[] = [];
    const { artifacts, repaired } = await fetchVerifiedModel(MODEL, meta, (f) => progress.push(f));
    expect(repaired).toEqual([]);
    expect(new Uint8Array(artifacts.weightData as ArrayBuffer)).toEqual(good);
    expect(artifacts.weightSpecs).toEqual(modelJson.weightsManifest[0]!.weights);
    expect(progress).toEqual([1]);
  });

  it('a damaged cached shard: dropped, fetched again once, put back good, reported', async () => {
    const { entries, key } = fakeCaches(bad);
    const calls = fakeFetch(entries, good);
    const { artifacts, repaired } = await fetchVerifiedModel(MODEL, meta, () => undefined);
    expect(repaired).toEqual(['group1-shard1of1.bin']);
    expect(new Uint8Array(artifacts.weightData as ArrayBuffer)).toEqual(good);
    expect(calls.filter((c) => c.startsWith(SHARD))).toEqual([
      `${SHARD} default`,
      `${SHARD} reload`,
    ]);
    const repairedCopy = new Uint8Array(await entries.get(key.url)!.arrayBuffer());
    expect(repairedCopy).toEqual(good);
  });

  it('still wrong from the network: refuses to load the model', async () => {
    const { entries } = fakeCaches(bad);
    fakeFetch(entries, bad);
    await expect(fetchVerifiedModel(MODEL, meta, () => undefined)).rejects.toThrow(
      /does not match its checksum, even freshly downloaded/,
    );
  });

  it('damaged and offline: says to connect once and reload', async () => {
    const { entries } = fakeCaches(bad);
    fakeFetch(entries, 'offline');
    await expect(fetchVerifiedModel(MODEL, meta, () => undefined)).rejects.toThrow(
      /could not be downloaded again\. Connect to the internet once/,
    );
  });

  it('a shard meta.json does not list is refused', async () => {
    const { entries } = fakeCaches(good);
    fakeFetch(entries, good);
    const noSums = { ...meta, weights: [] } as ModelMeta;
    await expect(fetchVerifiedModel(MODEL, noSums, () => undefined)).rejects.toThrow(/no sha256/);
  });
});

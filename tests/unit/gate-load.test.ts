import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ModelMeta } from '../../src/shared/meta';
import { loadGate } from '../../src/worker/gate';

const BASE = 'http://app.test/model/m/';
const MODEL = `${BASE}model.json`;
const BIN = `${BASE}ood.bin`;

// 1 class, 2 channels, 1 kept direction: 2 + (2 + 1) * 1 = 5 float32 values.
const stats = new Float32Array([1, 2, /* basis */ 1, 0, /* variance */ 4]);
const good = new Uint8Array(stats.buffer);
const bad = good.slice();
bad[0] = (bad[0] as number) ^ 1;
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

const oodJson = (sha256 = sha(good)) => ({
  featureLayer: 'pool',
  classes: 1,
  channels: 2,
  components: 1,
  residualVariance: 0.5,
  skinBox: { cb: [77, 127], cr: [133, 173] },
  thresholds: { maxDistance: 10, maxEnergy: -1, minSkinFraction: 0.2 },
  file: { path: 'ood.bin', bytes: 20, sha256 },
});

const meta = {
  id: 'm',
  featureLayer: 'pool',
  ood: { path: 'ood.json', data: { path: 'ood.bin', bytes: 20, sha256: sha(good) } },
} as unknown as ModelMeta;

/**
 * The network as the worker sees it: ood.json, and ood.bin first from a cache entry (as the
 * service worker would serve it), then from the network.
 */
function serve(json: object, cached: Uint8Array, network: Uint8Array) {
  const key = new Request(`${BIN}?__WB_REVISION__=1`);
  const entries = new Map<string, Response>([[key.url, new Response(cached.slice())]]);
  const cache = {
    keys: async (url: string) =>
      [...entries.keys()].filter((k) => k.split('?')[0] === url).map((k) => new Request(k)),
    delete: async (req: Request) => entries.delete(req.url),
    put: async (req: Request, res: Response) => void entries.set(req.url, res),
  };
  vi.stubGlobal('caches', { keys: async () => ['precache'], open: async () => cache });
  vi.stubGlobal('fetch', async (url: string) => {
    if (url === `${BASE}ood.json`) return Response.json(json);
    const hit = [...entries].find(([k]) => k.startsWith(url))?.[1];
    if (hit) return hit.clone();
    if (url === BIN) return new Response(network.slice());
    return new Response(null, { status: 404 });
  });
}

afterEach(() => vi.unstubAllGlobals());

describe("the worker's gate files", () => {
  it('reads ood.json and the checked statistics it names', async () => {
    serve(oodJson(), good, good);
    const gate = await loadGate(MODEL, meta);
    expect(gate.spec.thresholds).toEqual({ maxDistance: 10, maxEnergy: -1, minSkinFraction: 0.2 });
    expect(Array.from(gate.stats.classMeans)).toEqual([1, 2]);
    expect(Array.from(gate.stats.variances)).toEqual([4]);
    expect(gate.repaired).toEqual([]);
  });

  it('a damaged cached ood.bin is fetched again once and reported as repaired', async () => {
    serve(oodJson(), bad, good);
    const gate = await loadGate(MODEL, meta);
    expect(Array.from(gate.stats.classMeans)).toEqual([1, 2]);
    expect(gate.repaired).toEqual(['ood.bin']);
  });

  it('refuses statistics that are wrong even freshly downloaded', async () => {
    serve(oodJson(), bad, bad);
    await expect(loadGate(MODEL, meta)).rejects.toThrow(/does not match its checksum/);
  });

  it('refuses an ood.json that names other statistics than meta.json, or another layer', async () => {
    serve(oodJson('0'.repeat(64)), good, good);
    await expect(loadGate(MODEL, meta)).rejects.toThrow(/name different statistics files/);
    serve(oodJson(), good, good);
    const other = { ...meta, featureLayer: 'pool_2' } as ModelMeta;
    await expect(loadGate(MODEL, other)).rejects.toThrow(/measures pool, meta.json pool_2/);
  });

  it('a model without a gate is not loaded', async () => {
    const bare = { id: 'bare' } as ModelMeta;
    await expect(loadGate(MODEL, bare)).rejects.toThrow(/bare ships no not-a-skin-spot/);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BackendName } from '../../src/shared/backends';
import type { ModelMeta } from '../../src/shared/meta';
import type { InferenceClient, LoadedModel } from '../../src/lib/inference/client';
import { ModelEngine } from '../../src/lib/inference/engine';
import { GateUnavailableError } from '../../src/lib/inference/models';
import { oodJson, serve, TTA_ON } from './fixtures/model-files';

/** An inference client that loads at once (or when released) and records what it is asked. */
function fakeClients() {
  const made: { forced: BackendName | null; onRestart: (r: string) => void; calls: unknown[][] }[] =
    [];
  let hold: Promise<void> = Promise.resolve();
  const measured: (boolean | undefined)[] = [];
  const factory = (forced: BackendName | null, onRestart: (r: string) => void) => {
    const calls: unknown[][] = [];
    made.push({ forced, onRestart, calls });
    return {
      async load(
        _url: string,
        meta: ModelMeta,
        options: { onProgress?: (f: number) => void; measureTta?: boolean },
      ) {
        calls.push(['load', meta.id]);
        measured.push(options.measureTta);
        await hold;
        options.onProgress?.(1);
        return {
          modelId: meta.id,
          backend: forced ?? 'wasm',
          ttaCost: { ratio: 3 },
        } as LoadedModel;
      },
      async classify(modelId: string, _input: Float32Array, options: object) {
        calls.push(['classify', modelId, options]);
        return { modelId };
      },
      async explain(modelId: string, inputId: number, classIndex: number) {
        calls.push(['explain', modelId, inputId, classIndex]);
        return { classIndex };
      },
      dispose: () => calls.push(['dispose']),
    } as unknown as InferenceClient;
  };
  return { made, factory, measured, holdLoads: (p: Promise<void>) => (hold = p) };
}

describe('ModelEngine', () => {
  beforeEach(() => vi.stubGlobal('location', new URL('https://app.test/')));
  afterEach(() => vi.unstubAllGlobals());

  it("loads a model with its meta and its card's TTA default, reporting progress", async () => {
    vi.stubGlobal('fetch', serve({ m: TTA_ON }));
    const { made, factory } = fakeClients();
    const progress: number[] = [];
    const engine = new ModelEngine(null, null, { onProgress: (f) => progress.push(f) }, factory);
    const model = await engine.load('m');
    expect(model.meta.id).toBe('m');
    expect(model.gate.thresholds).toEqual(oodJson.thresholds);
    expect(model.gate.skinBox).toEqual(oodJson.skinBox);
    expect(model.ttaDefault).toEqual(TTA_ON);
    expect(progress).toEqual([1]);
    expect(engine.isActive(model)).toBe(true);
    expect(await engine.model()).toBe(model);
    expect(made).toHaveLength(1);
  });

  it("asks the load to time TTA only where it may be on (the card's default, the person's choice)", async () => {
    vi.stubGlobal('fetch', serve({ on: TTA_ON, off: { ...TTA_ON, on: false } }));
    const { factory, measured } = fakeClients();
    await new ModelEngine(null, null, {}, factory).load('on');
    await new ModelEngine(null, null, {}, factory).load('off');
    await new ModelEngine(null, true, {}, factory).load('off');
    await new ModelEngine(null, false, {}, factory).load('on');
    expect(measured).toEqual([true, false, true, false]);
  });

  it('refuses a model without its not-a-skin-spot gate, before its weights, saying why', async () => {
    vi.stubGlobal('fetch', serve({}, true, ['bare']));
    const { made, factory } = fakeClients();
    const engine = new ModelEngine(null, null, {}, factory);
    const load = engine.load('bare');
    await expect(load).rejects.toBeInstanceOf(GateUnavailableError);
    await expect(load).rejects.toThrow(/without its "not a skin spot" check/);
    await expect(engine.model()).rejects.toBeInstanceOf(GateUnavailableError);
    expect(made[0]!.calls.filter((c) => c[0] === 'load')).toEqual([]);
  });

  it("refuses a gate whose ood.json does not match meta.json's statistics file", async () => {
    const served = serve({});
    vi.stubGlobal('fetch', async (url: string) =>
      url.endsWith('ood.json')
        ? Response.json({ ...oodJson, file: { ...oodJson.file, sha256: 'd'.repeat(64) } })
        : served(url),
    );
    const engine = new ModelEngine(null, null, {}, fakeClients().factory);
    await expect(engine.load('m')).rejects.toThrow(/does not match its meta.json/);
  });

  it('loads a model whose card cannot be read, without a TTA default', async () => {
    vi.stubGlobal('fetch', serve({}));
    const engine = new ModelEngine(null, null, {}, fakeClients().factory);
    expect((await engine.load('m')).ttaDefault).toBeNull();
  });

  it('classifies with TTA as set (or automatic), Grad-CAM where the model has its layer, and the framings', async () => {
    vi.stubGlobal('fetch', serve({ m: TTA_ON }));
    const { made, factory } = fakeClients();
    const engine = new ModelEngine(null, null, {}, factory);
    const model = await engine.load('m');
    const signal = new AbortController().signal;
    const framings = [new Float32Array(3), new Float32Array(3)];
    await engine.classify(model, new Float32Array(3), signal, framings); // automatic: card on, 3x here
    engine.ttaChoice = false;
    await engine.classify(model, new Float32Array(3), signal);
    const asked = made[0]!.calls.filter((c) => c[0] === 'classify').map((c) => c[2]);
    expect(asked).toEqual([
      { signal, framings, tta: true, gradcam: true },
      { signal, framings: [], tta: false, gradcam: true },
    ]);
  });

  it('explains a class of the input the worker kept for a prediction', async () => {
    vi.stubGlobal('fetch', serve({}));
    const { made, factory } = fakeClients();
    const engine = new ModelEngine(null, null, {}, factory);
    await engine.load('m');
    const prediction = { modelId: 'm', inputId: 12 } as Parameters<typeof engine.explain>[0];
    await engine.explain(prediction, 3);
    expect(made[0]!.calls.at(-1)).toEqual(['explain', 'm', 12, 3]);
  });

  it('makes the newest load the active one, even if an older one finishes later', async () => {
    vi.stubGlobal('fetch', serve({}));
    const { factory, holdLoads } = fakeClients();
    const engine = new ModelEngine(null, null, {}, factory);
    let release = (): void => undefined;
    holdLoads(new Promise<void>((r) => (release = r)));
    const older = engine.load('old');
    const newer = engine.load('new');
    release();
    const [a, b] = await Promise.all([older, newer]);
    expect(engine.isActive(a)).toBe(false);
    expect(engine.isActive(b)).toBe(true);
    expect(await engine.model()).toBe(b);
  });

  it('a forced backend stops the worker; the next load starts one with that backend first', async () => {
    vi.stubGlobal('fetch', serve({}));
    const { made, factory } = fakeClients();
    const engine = new ModelEngine(null, null, {}, factory);
    const first = await engine.load('m');
    engine.setBackend('webgl');
    expect(made[0]!.calls.at(-1)).toEqual(['dispose']);
    expect(engine.isActive(first)).toBe(false);
    await expect(engine.model()).rejects.toThrow(/No model/);
    const again = await engine.load('m');
    expect(made.map((m) => m.forced)).toEqual([null, 'webgl']);
    expect(again.loaded.backend).toBe('webgl');
  });

  it('passes on that the worker was restarted after a crash', async () => {
    vi.stubGlobal('fetch', serve({}));
    const { made, factory } = fakeClients();
    let restarts = 0;
    const engine = new ModelEngine(null, null, { onRestart: () => restarts++ }, factory);
    await engine.load('m');
    made[0]!.onRestart('worker error: boom');
    expect(restarts).toBe(1);
  });
});

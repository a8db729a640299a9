/**
 * Quick successive changes of TTA, backend and model while a photo is analysed, through the real
 * scanner, model engine and inference client (only the worker and the served files are fakes):
 * no change may surface as an error, and the last settings' answer is the one that stays.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BackendName } from '../../src/shared/backends';
import { InferenceClient } from '../../src/lib/inference/client';
import { ModelEngine } from '../../src/lib/inference/engine';
import { centreSquare } from '../../src/lib/image/preprocess';
import { Scanner, type ScanOutcome } from '../../src/lib/scan/scanner';
import { findSpotHere } from '../../src/lib/scan/spot-step';
import { FakeWorker, loadedReply, predictionReply, type Script } from './fixtures/fake-worker';
import { serve } from './fixtures/model-files';
import { drawSpot } from './quality-draw';

/**
 * A worker on the first backend of its plan that answers each prediction a few ticks later (so
 * changes land while it runs), echoing the backend, the model and whether TTA was asked for.
 */
const slowWorker: Script = (() => {
  let backend: BackendName = 'cpu';
  return (req, reply) => {
    if (req.type === 'load') {
      backend = req.plan.candidates[0] ?? 'cpu';
      reply(loadedReply(req, backend));
    } else if (req.type === 'predict') {
      const at = backend;
      const answer = {
        probabilities: [0.4, 0.6],
        logits: [0, 0.4],
        malignantRisk: 0.4,
        tta: req.tta,
      };
      setTimeout(() => reply(predictionReply(req, at, answer)), 5);
    }
  };
})();

/**
 * The app's scan state reduced to what it does with the engine and the scanner on each change
 * (src/lib/state/scan.svelte.ts): the same calls, in the same order, without the screen.
 */
function app() {
  const workers: FakeWorker[] = [];
  const engine = new ModelEngine(
    null,
    null,
    {},
    (forced) =>
      new InferenceClient({
        createWorker: () => {
          const worker = new FakeWorker(slowWorker);
          workers.push(worker);
          return worker as unknown as Worker;
        },
        forced,
        wasmPath: '/tfjs-wasm/',
      }),
  );
  const scanner = new Scanner(
    engine,
    async () => {
      throw new Error('pixels only');
    },
    findSpotHere,
  );
  const outcomes: ScanOutcome[] = [];
  const shown = async (pending: Promise<ScanOutcome> | null): Promise<void> => {
    if (pending) outcomes.push(await pending);
  };
  let modelId = 'accurate';
  const load = (): Promise<unknown> => engine.load(modelId).catch(() => undefined);
  return {
    engine,
    workers,
    outcomes,
    async photo(): Promise<void> {
      await load();
      const rgba = drawSpot(200, 60);
      const crop = await scanner.scan({ kind: 'pixels', rgba, startedAt: 0 });
      if (crop.kind !== 'crop') throw new Error(`expected the crop step, got ${crop.kind}`);
      await shown(scanner.useCrop(centreSquare(rgba.width, rgba.height)));
    },
    setTta(on: boolean): Promise<void> {
      engine.ttaChoice = on;
      return shown(scanner.rerun());
    },
    async setBackend(backend: BackendName): Promise<void> {
      engine.setBackend(backend);
      await load();
      await shown(scanner.rerun());
    },
    async setModel(id: string): Promise<void> {
      modelId = id;
      await load();
      await shown(scanner.rerun());
    },
  };
}

describe('quick changes of TTA, backend and model while a photo is analysed', () => {
  beforeEach(() => {
    vi.stubGlobal('location', new URL('https://app.test/'));
    vi.stubGlobal('fetch', serve({}));
  });
  afterEach(() => vi.unstubAllGlobals());

  it('TTA on, backend, TTA off, backend, with no waits: no failure, the last settings answer', async () => {
    const a = app();
    await a.photo();
    expect(a.outcomes.map((o) => o.kind)).toEqual(['result']);
    // Each change starts before the previous one's answer: the person taps through the settings.
    const changes = [a.setTta(true), a.setBackend('webgl'), a.setTta(false), a.setBackend('cpu')];
    await Promise.all(changes);
    const kinds = a.outcomes.map((o) => o.kind);
    expect(kinds).not.toContain('failed');
    const last = [...a.outcomes].reverse().find((o) => o.kind !== 'superseded');
    expect(last).toBe(a.outcomes.at(-1));
    expect(last?.kind).toBe('result');
    if (last?.kind !== 'result') return;
    expect(last.result.prediction.backend).toBe('cpu');
    expect(last.result.prediction.tta).toBe(false);
    // Every replaced worker was stopped; one runs now.
    expect(a.workers.filter((w) => !w.terminated)).toHaveLength(1);
  });

  it('a model switch among backend and TTA changes: the last model, backend and TTA answer', async () => {
    const a = app();
    await a.photo();
    const changes = [
      a.setBackend('wasm'),
      a.setModel('fast'),
      a.setTta(true),
      a.setBackend('webgl'),
      a.setModel('accurate'),
    ];
    await Promise.all(changes);
    expect(a.outcomes.map((o) => o.kind)).not.toContain('failed');
    const last = a.outcomes.at(-1);
    expect(last?.kind).toBe('result');
    if (last?.kind !== 'result') return;
    expect(last.result.prediction).toMatchObject({
      modelId: 'accurate',
      backend: 'webgl',
      tta: true,
    });
  });

  it('a backend change while a prediction runs: that one is superseded (no "inference client disposed"), the rerun answers', async () => {
    const a = app();
    await a.photo();
    const rerun = a.setTta(true); // its prediction is now in the old worker
    await new Promise((r) => setTimeout(r, 1));
    await a.setBackend('cpu');
    await rerun;
    const kinds = a.outcomes.map((o) => o.kind);
    expect(kinds).toEqual(['result', 'superseded', 'result']);
  });
});

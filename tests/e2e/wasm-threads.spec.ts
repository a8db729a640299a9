/**
 * The wasm backend computes on more than one thread wherever the device has more than one core
 * (src/worker/wasm-threads.ts: tfjs-backend-wasm alone would take one thread on a 2-core device),
 * and its answers are plain JS's.
 */
import { expect, test } from '@playwright/test';
import type {} from '../../src/lib/testhooks-api';
import { shippedModels } from '../../build/assets';
import { openWithTestHooks } from './support/page';

test.describe.configure({ timeout: 300_000 });

test('wasm runs on two or more threads on a multi-core device, with plain JS answers', async ({
  page,
}) => {
  const model = shippedModels('dist/model')[0]!;
  const seen = new Map<string, { threads: number | null; probabilities: number[] }>();
  for (const backend of ['wasm', 'cpu'] as const) {
    await openWithTestHooks(page, `backend=${backend}&model=${model}`);
    const out = await page.evaluate(async (model) => {
      const hooks = window.dermlensTest!;
      const loaded = await hooks.load(model);
      const n = Number(model.split('-').pop());
      const rgb = Array.from({ length: n * n * 3 }, (_, i) => (i * 53 + (i % 7) * 11) % 256);
      const p = await hooks.classifyUint8(model, rgb);
      return {
        backend: loaded.backend,
        threads: loaded.threads,
        probabilities: [...p.probabilities],
        cores: navigator.hardwareConcurrency,
        isolated: crossOriginIsolated,
      };
    }, model);
    expect(out.backend, `forced ${backend}`).toBe(backend);
    if (backend === 'wasm') {
      // Threads need cross-origin isolation (SharedArrayBuffer); the app is served with it.
      expect(out.isolated).toBe(true);
      const label = `wasm threads on ${out.cores} logical cores`;
      if (out.cores < 2) expect(out.threads, label).toBe(1);
      else {
        expect(out.threads, label).toBeGreaterThanOrEqual(2);
        expect(out.threads, label).toBeLessThanOrEqual(Math.max(2, Math.min(4, out.cores / 2)));
      }
    } else {
      expect(out.threads).toBe(1);
    }
    seen.set(backend, out);
  }
  const wasm = seen.get('wasm')!.probabilities;
  const cpu = seen.get('cpu')!.probabilities;
  const diff = Math.max(...wasm.map((p, i) => Math.abs(p - cpu[i]!)));
  expect(diff, 'max |p_wasm - p_cpu|').toBeLessThanOrEqual(1e-4);
});

import { expect, test } from '@playwright/test';
import type {} from '../../src/lib/testhooks-api';
import { openWithTestHooks } from './support/page';
import { BACKENDS } from '../../src/shared/backends';
import { shippedModels } from '../../build/assets';
import { BASE_FLAGS, CHROMIUM, WEBGPU_FLAGS } from './support/browser';

// Grad-CAM through each backend's own gradient kernels; WebGPU and WebGL run in software here.
test.use({ launchOptions: { executablePath: CHROMIUM, args: [...BASE_FLAGS, ...WEBGPU_FLAGS] } });
test.describe.configure({ timeout: 600_000 });

for (const model of shippedModels('dist/model')) {
  test(`${model}: Grad-CAM agrees on webgpu, webgl, wasm and cpu within 2e-2`, async ({ page }) => {
    const maps = new Map<string, number[]>();
    for (const backend of BACKENDS) {
      await openWithTestHooks(page, `backend=${backend}&model=${model}`);
      const out = await page.evaluate(async (model) => {
        const hooks = window.dermlensTest!;
        const loaded = await hooks.load(model);
        const n = Number(model.split('-').pop());
        const rgb = Array.from({ length: n * n * 3 }, (_, i) => (i * 37 + (i % 5) * 13) % 256);
        // The second call is timed: the first compiles the gradient kernels.
        await hooks.classifyUint8(model, rgb, { gradcam: true });
        const p = await hooks.classifyUint8(model, rgb, { gradcam: true });
        return { backend: loaded.backend, map: Array.from(p.heatmap!.values), ms: p.heatmap!.ms };
      }, model);
      expect(out.backend, `forced ${backend}`).toBe(backend);
      console.log(`${model} Grad-CAM on ${backend}: ${out.ms.toFixed(1)} ms`);
      maps.set(backend, out.map);
    }
    const reference = maps.get('cpu')!;
    for (const [backend, map] of maps) {
      const diff = Math.max(...map.map((v, i) => Math.abs(v - reference[i]!)));
      console.log(`${model} Grad-CAM ${backend} vs cpu: max |diff| ${diff.toExponential(1)}`);
      expect(diff, `max |cam - cam_cpu| on ${backend}`).toBeLessThanOrEqual(2e-2);
    }
  });
}

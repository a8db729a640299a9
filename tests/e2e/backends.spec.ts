import { expect, test, type Page } from '@playwright/test';
import { BACKENDS, type BackendName } from '../../src/shared/backends';
import { BASE_FLAGS, CHROMIUM, WEBGPU_FLAGS } from './support/browser';
import { spotPng } from './support/images';
import { acceptCrop, readResult, type RenderedResult, upload, waitForModel } from './support/page';
import { shippedModels } from '../../build/assets';
import { readFileSync } from 'node:fs';

// WebGPU runs on SwiftShader with these flags (see ../shared/PLATFORM.md); WebGL is software too.
test.use({ launchOptions: { executablePath: CHROMIUM, args: [...BASE_FLAGS, ...WEBGPU_FLAGS] } });

/** Made inside each test: spotPng skips or fails the test when ../shared/data is absent. */
const image = (): Buffer => spotPng(600, 450, 3);

// Four backends in a row, two of them software GPUs (WebGPU's first call compiles for seconds).
test.describe.configure({ timeout: 600_000 });

/**
 * TTA as the model's card has it by default, set explicitly: left on "automatic", each backend
 * decides by its own measured cost, so one backend may average 8 views while another does not
 * (CI saw exactly that for the fast model: 0.017 apart, wasm with TTA against cpu without).
 */
function cardTta(model: string): boolean {
  const card = JSON.parse(readFileSync(`dist/model/${model}/card.json`, 'utf8')) as {
    tta: { default: { on: boolean } };
  };
  return card.tta.default.on;
}

async function classifyWith(page: Page, backend: BackendName, model: string, tta: boolean) {
  await page.goto(`./?backend=${backend}&model=${model}&tta=${tta ? 1 : 0}`);
  await waitForModel(page);
  await upload(page, 'spot.png', image());
  await acceptCrop(page);
  await expect(page.getByTestId('result')).toHaveAttribute('data-tta', String(tta));
  return readResult(page, model);
}

// The models of the build under test (vite build copies model/<id>/ into dist/model/<id>/).
for (const model of shippedModels('dist/model')) {
  test(`${model}: webgpu, webgl, wasm and cpu agree within 1e-2`, async ({ page }) => {
    const results = new Map<BackendName, RenderedResult>();
    const tta = cardTta(model);
    for (const backend of BACKENDS) {
      const result = await classifyWith(page, backend, model, tta);
      expect(result.backend, `forced ${backend} ran on ${result.backend}`).toBe(backend);
      results.set(backend, result);
    }
    const reference = results.get('cpu') as RenderedResult;
    for (const [backend, result] of results) {
      expect(result.top1, `top-1 on ${backend}`).toBe(reference.top1);
      const diff = Math.max(
        ...result.probabilities.map((p, i) => Math.abs(p - reference.probabilities[i]!)),
      );
      expect(diff, `max |p - p_cpu| on ${backend}`).toBeLessThanOrEqual(1e-2);
    }
  });
}

test('automatic choice skips software GPUs (SwiftShader) in favour of wasm', async ({ page }) => {
  await page.goto('./');
  await waitForModel(page);
  // The status line says "ready" in plain words; the backend is told in Advanced.
  await expect(page.getByTestId('model-ready')).not.toContainText('wasm');
  await page.getByText('Advanced').click();
  await expect(page.getByTestId('running-on')).toHaveAttribute('data-backend', 'wasm');
  await expect(page.getByTestId('running-on')).toContainText('Running on wasm');
  await expect(page.getByText(/Skipped webgpu: software renderer/)).toBeVisible();
  await expect(page.getByText(/Skipped webgl: software renderer/)).toBeVisible();
});

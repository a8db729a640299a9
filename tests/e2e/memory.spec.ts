import { expect, test } from '@playwright/test';
import type {} from '../../src/lib/testhooks-api';
import { openWithTestHooks } from './support/page';

test('no tensors leak in the worker across 20 predictions', async ({ page }) => {
  await openWithTestHooks(page);
  const counts = await page.evaluate(async () => {
    const hooks = window.dermlensTest!;
    const model = (
      await hooks.load(
        document.querySelector<HTMLInputElement>('input[name="model"]:checked')!.value,
      )
    ).modelId;
    await hooks.time(model, 1); // first real call: anything lazily created is in place now
    const before = (await hooks.memory()).numTensors;
    await hooks.time(model, 20);
    const after = (await hooks.memory()).numTensors;
    return { before, after };
  });
  expect(counts.before).toBeGreaterThan(0); // the model's weights
  expect(counts.after).toBe(counts.before);
});

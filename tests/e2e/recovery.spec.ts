/**
 * Failures the app must recover from, each leaving the history intact: a full disk when saving or
 * importing, an old tab holding the database, the worker crashing mid-prediction, a damaged
 * cached model.
 */
import { expect, test, type Page } from '@playwright/test';
import type {} from '../../src/lib/testhooks-api';
import { spotPng } from './support/images';
import {
  acceptCrop,
  openWithTestHooks,
  readResult,
  upload,
  waitForModel,
  waitForOffline,
} from './support/page';

const items = (page: Page) => page.getByTestId('history-item');

async function classifyAndSave(page: Page, seed: number): Promise<void> {
  await upload(page, `spot-${seed}.png`, spotPng(300, 260, seed));
  await acceptCrop(page);
  await readResult(page);
  await page.getByRole('button', { name: 'Save to history' }).click();
}

test('storage full when saving or importing: a clear message, the earlier scans are kept', async ({
  page,
}) => {
  // Chromium 156 headless ignores CDP Storage.overrideQuotaForOrigin (the estimate does not
  // change), so the browser's QuotaExceededError is raised where IndexedDB would raise it:
  // add() when saving, put() when importing.
  await page.addInitScript(() => {
    for (const method of ['add', 'put'] as const) {
      const write = IDBObjectStore.prototype[method];
      IDBObjectStore.prototype[method] = function (this: IDBObjectStore, ...args) {
        if ((window as unknown as { diskFull?: boolean }).diskFull) {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        }
        return write.apply(this, args);
      } as typeof write;
    }
  });
  await page.goto('./');
  await waitForModel(page);
  await classifyAndSave(page, 41);
  await expect(items(page)).toHaveCount(1);

  await page.evaluate(() => ((window as unknown as { diskFull: boolean }).diskFull = true));
  await classifyAndSave(page, 42);
  await expect(page.getByTestId('history-error')).toContainText('storage is full');
  await expect(page.getByTestId('history-error')).toContainText('earlier scans are all still here');
  await expect(page.getByTestId('saved')).toBeHidden();
  await expect(items(page)).toHaveCount(1);

  await page.evaluate(() => ((window as unknown as { diskFull: boolean }).diskFull = false));
  await page.getByRole('button', { name: 'Save to history' }).click(); // space freed: try again
  await expect(page.getByTestId('saved')).toBeVisible();
  await expect(items(page)).toHaveCount(2);
  await page.reload();
  await expect(items(page)).toHaveCount(2);

  // Importing the exported history into an emptied database, with the disk full again.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export all (file)' }).click(),
  ]);
  await page.getByRole('button', { name: 'Delete all…' }).click();
  await page.getByRole('button', { name: 'Yes, delete all' }).click();
  await expect(items(page)).toHaveCount(0);
  await page.evaluate(() => ((window as unknown as { diskFull: boolean }).diskFull = true));
  await page.getByTestId('import-input').setInputFiles(await download.path());
  const message = page.getByTestId('import-message');
  await expect(message).toContainText('Not imported: this device’s storage is full');
  await expect(message).toContainText('import the file again'); // not "press Save again"
  await expect(items(page)).toHaveCount(0);
});

test('an old tab holding the database: told to close it, then it carries on; newer tab wins', async ({
  page,
  context,
}) => {
  // The "old tab": version 1 of the database with one scan, open, and (like a careless old
  // version) not closing itself when asked. It runs on a plain file of our origin.
  await page.goto('./robots.txt');
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('dermlens', 1);
        open.onupgradeneeded = () => {
          const scans = open.result.createObjectStore('scans', { keyPath: 'id' });
          scans.createIndex('by-time', 'createdAt');
          scans.put({
            id: 'from-v1',
            createdAt: Date.UTC(2026, 0, 2),
            thumbnail: new Blob([], { type: 'image/jpeg' }),
            modelId: 'ham10000-28',
            modelVersion: '1.0.0',
            labels: ['akiec', 'bcc', 'bkl', 'df', 'mel', 'nv', 'vasc'],
            labelNames: {},
            malignant: ['akiec', 'bcc', 'mel'],
            probabilities: [0.05, 0.05, 0.1, 0.05, 0.05, 0.65, 0.05],
            malignantRisk: 0.15,
            band: 'low',
            backend: 'wasm',
            timings: { inferenceMs: 1, totalMs: 50 },
            note: 'saved by version 1',
          });
        };
        open.onsuccess = () => {
          (window as unknown as { oldDb: IDBDatabase }).oldDb = open.result;
          resolve();
        };
        open.onerror = () => reject(open.error);
      }),
  );

  const app = await context.newPage();
  await app.goto('./');
  const history = app.getByTestId('history');
  await expect(history).toHaveAttribute('data-status', 'blocked');
  await expect(app.getByTestId('history-problem')).toContainText('another DermLens tab');
  await waitForModel(app); // classifying is not held up by the database

  await page.evaluate(() => (window as unknown as { oldDb: IDBDatabase }).oldDb.close());
  await expect(history).toHaveAttribute('data-status', 'ready');
  await expect(items(app)).toHaveCount(1); // the v1 scan, migrated to v2
  await items(app).getByRole('button', { name: 'Open' }).click();
  await expect(app.getByTestId('scan-detail')).toContainText('saved by version 1');

  // Now the app is the old tab: a newer version opening the database must not hang on it.
  const newer = await page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('dermlens', 99);
        open.onsuccess = () => (open.result.close(), resolve(open.result.version));
        open.onerror = () => reject(open.error);
      }),
  );
  expect(newer).toBe(99);
  await expect(history).toHaveAttribute('data-status', 'closed');
  await expect(app.getByTestId('history-problem')).toContainText('Reload this page');
});

test('the worker crashing mid-prediction: restarted, retried once, answered', async ({ page }) => {
  await openWithTestHooks(page);
  await waitForModel(page);
  await classifyAndSave(page, 43);
  await expect(items(page)).toHaveCount(1);

  await page.evaluate(() => window.dermlensTest!.crashNextPrediction());
  await upload(page, 'again.png', spotPng(280, 280, 44));
  await expect(page.getByTestId('saved')).toBeHidden(); // the saved result made way
  await acceptCrop(page);
  const result = await readResult(page);
  expect(result.probabilities).toHaveLength(7);
  await expect(page.getByTestId('notice')).toContainText('stopped unexpectedly');
  await expect(page.getByTestId('status').getByRole('alert')).toHaveCount(0);
  await expect(items(page)).toHaveCount(1);
});

test('a cached model that fails its sha256: discarded, fetched again, said so', async ({
  page,
}) => {
  await page.goto('./');
  await waitForOffline(page);
  await waitForModel(page);
  await classifyAndSave(page, 45);
  // The save must have landed before the reload below, or the reload can cut it off.
  await expect(page.getByTestId('saved')).toBeVisible();
  await expect(items(page)).toHaveCount(1);
  const model = await page.locator('input[name="model"]:checked').getAttribute('value');

  // Flip one byte of every cached weight shard of the model in use.
  const damaged = await page.evaluate(async (id) => {
    let n = 0;
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const key of await cache.keys()) {
        if (!key.url.includes(`/model/${id}/`) || !key.url.includes('.bin')) continue;
        const response = (await cache.match(key))!;
        const bytes = new Uint8Array(await response.arrayBuffer());
        const middle = bytes.length >> 1;
        bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
        await cache.put(key, new Response(bytes, { headers: response.headers }));
        n++;
      }
    }
    return n;
  }, model);
  expect(damaged).toBeGreaterThan(0);

  await page.reload();
  await waitForModel(page);
  await expect(page.getByTestId('notice')).toContainText('damaged');
  await upload(page, 'after.png', spotPng(300, 300, 46));
  await expect(page.getByTestId('saved')).toBeHidden();
  await acceptCrop(page);
  expect((await readResult(page)).probabilities).toHaveLength(7);

  // The cache holds a good copy again: its bytes match meta.json.
  const ok = await page.evaluate(async (id) => {
    const meta = (await (await fetch(`model/${id}/meta.json`)).json()) as {
      weights: { path: string; sha256: string }[];
    };
    for (const w of meta.weights) {
      const cached = await caches.match(`model/${id}/${w.path}`, { ignoreSearch: true });
      if (!cached) return `${w.path} not cached`;
      const digest = new Uint8Array(
        await crypto.subtle.digest('SHA-256', await cached.arrayBuffer()),
      );
      const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
      if (hex !== w.sha256) return `${w.path} still damaged`;
    }
    return 'ok';
  }, model);
  expect(ok).toBe('ok');
  await expect(items(page)).toHaveCount(1);
});

/**
 * The privacy promise, checked on the wire: a whole session (open, install, camera, upload, a
 * photo refused as not a skin spot and cropped again, every backend, save into a new spot, export,
 * import, delete and undo, a re-check reminder added to the calendar, a new scan of the spot,
 * offline reload) makes requests only to our own origin, none with a body, and opens no WebSocket;
 * and the page's CSP stops a cross-origin fetch by itself.
 */
import { expect, test, type Page, type Request } from '@playwright/test';
import { BACKENDS } from '../../src/shared/backends';
import { BASE_FLAGS, CHROMIUM, fakeCameraFlags, PORT, WEBGPU_FLAGS } from './support/browser';
import { CAMERA_Y4M } from './support/fixtures';
import { spotPng, notASpotPng } from './support/images';
import { expectRefused, pastQualityCheck } from './support/not-a-spot';
import {
  acceptCrop,
  readResult,
  upload,
  waitForModel,
  waitForOffline,
  watchErrors,
} from './support/page';
import { seedV2 } from './support/seed';

test.use({
  launchOptions: {
    executablePath: CHROMIUM,
    args: [...BASE_FLAGS, ...WEBGPU_FLAGS, ...fakeCameraFlags(CAMERA_Y4M)],
  },
});

// Four backends, two of them software GPUs, on a slow shared machine.
test.describe.configure({ timeout: 600_000 });

interface Seen {
  readonly url: string;
  readonly method: string;
  readonly bodyBytes: number;
  readonly fromServiceWorker: boolean;
}

/** Our origin, or a URL that names no server at all (data:) or our origin's blob: store. */
function staysHome(url: string, origin: string): boolean {
  const u = new URL(url);
  if (u.protocol === 'data:') return true;
  if (u.protocol === 'blob:') return new URL(u.pathname).origin === origin;
  return u.origin === origin;
}

test('a whole session: every request stays on our origin, none carries a body, no WebSocket', async ({
  page,
  context,
}) => {
  const seen: Seen[] = [];
  const sockets: string[] = [];
  const record = (r: Request): void => {
    seen.push({
      url: r.url(),
      method: r.method(),
      bodyBytes: r.postDataBuffer()?.length ?? 0,
      fromServiceWorker: r.serviceWorker() !== null,
    });
  };
  context.on('request', record); // pages, their workers and the service worker
  const errors = watchErrors(page); // CSP violations (page or worker) are console errors
  const watchSockets = (p: Page): void => void p.on('websocket', (ws) => sockets.push(ws.url()));
  watchSockets(page);
  context.on('page', watchSockets);

  await page.goto('./');
  await waitForOffline(page);
  await waitForModel(page);

  // Install DermLens: the browser's own prompt (a stub here), nothing fetched for it.
  await page.evaluate(() =>
    window.dispatchEvent(
      Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
        prompt: () => Promise.resolve(),
      }),
    ),
  );
  await page.getByRole('button', { name: 'Install DermLens' }).click();
  await expect(page.getByRole('button', { name: 'Install DermLens' })).toHaveCount(0);

  // Camera capture.
  await page.getByRole('button', { name: 'Take a photo' }).click();
  const video = page.getByLabel('Camera preview');
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Capture' }).click();
  await acceptCrop(page);
  await readResult(page);

  // A photo that is not a skin spot: refused on the device, nothing sent for it.
  await upload(page, 'flat.png', notASpotPng('flat', 640, 480));
  await acceptCrop(page);
  await pastQualityCheck(page);
  await expectRefused(page);
  // Cropped again and judged again, still on the device.
  await page.getByTestId('not-a-spot-recrop').click();
  await acceptCrop(page);
  await pastQualityCheck(page);
  await expectRefused(page);

  // Upload, then every backend.
  await upload(page, 'spot.png', spotPng(400, 300, 51));
  await acceptCrop(page);
  await readResult(page);
  await page.getByText('Advanced').click();
  for (const backend of BACKENDS) {
    await page.getByLabel('Compute backend').selectOption(backend);
    await waitForModel(page);
    await upload(page, `spot-${backend}.png`, spotPng(400, 300, 52));
    await acceptCrop(page);
    await expect(page.getByTestId('result')).toHaveAttribute('data-backend', backend);
    await readResult(page);
  }

  // Save into a new spot, and export.
  await page.getByTestId('spot-choice').selectOption({ label: 'New spot…' });
  await page.getByLabel('Name of the spot').fill('Privacy check');
  await page.getByRole('button', { name: 'Save to history' }).click();
  await expect(page.getByTestId('saved')).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export all (file)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.json$/);
  // Import it back: read in the page, nothing sent.
  await page.getByTestId('import-input').setInputFiles(await download.path());
  await expect(page.getByTestId('import-message')).toContainText('2 already here');

  // Delete and undo: the photo is kept in the page meanwhile, nowhere else.
  const saved = page.getByTestId('history-item');
  await saved.getByRole('button', { name: /^Delete/ }).click();
  await expect(saved).toHaveCount(0);
  await page.getByTestId('undo-bar').getByRole('button', { name: 'Undo' }).click();
  await expect(saved).toHaveCount(1);

  // A re-check reminder: the calendar file is made in the page and downloaded from a blob: URL.
  await page
    .getByTestId('saved')
    .getByRole('link', { name: /See the timeline/ })
    .click();
  await page.getByLabel('Re-check reminder').selectOption({ label: 'Every month' });
  const [ics] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Add to calendar' }).click(),
  ]);
  expect(ics.suggestedFilename()).toBe('dermlens-recheck-privacy-check.ics');

  // A new scan of that spot, saved into it.
  await page.getByRole('link', { name: 'New scan of this spot' }).click();
  await upload(page, 'again.png', spotPng(400, 300, 54));
  await acceptCrop(page);
  await readResult(page);
  await page.getByRole('button', { name: 'Save to history' }).click();
  await expect(page.getByTestId('saved')).toContainText('See the timeline of “Privacy check”');

  // Offline reload: still answers, history still there.
  await context.setOffline(true);
  await page.reload();
  await waitForModel(page);
  await upload(page, 'offline.png', spotPng(300, 300, 53));
  await acceptCrop(page);
  await readResult(page);
  await expect(page.getByTestId('history-item')).toHaveCount(2);
  await context.setOffline(false);

  const origin = new URL(page.url()).origin;
  expect(seen.length).toBeGreaterThan(10);
  // The service worker's own fetches (precaching) are in the record too.
  expect(seen.some((s) => s.fromServiceWorker)).toBe(true);
  expect(seen.filter((s) => !staysHome(s.url, origin))).toEqual([]);
  expect(seen.filter((s) => s.bodyBytes > 0 || !['GET', 'HEAD'].includes(s.method))).toEqual([]);
  expect(sockets).toEqual([]);
  expect(errors).toEqual([]);
});

// The report for a doctor, in its own session: opened from a scan and a spot, shared, printed.
test('the report for a doctor: opened, shared and printed, every request stays on our origin', async ({
  page,
  context,
}) => {
  // A phone's share sheet, stubbed: it takes the file, as a real one would hand it on.
  await page.addInitScript(() => {
    const handed: string[] = [];
    Object.assign(window, { handed });
    Object.defineProperty(Navigator.prototype, 'canShare', {
      configurable: true,
      value: () => true,
    });
    Object.defineProperty(Navigator.prototype, 'share', {
      configurable: true,
      value: async (data: ShareData) => void handed.push(...(data.files ?? []).map((f) => f.name)),
    });
  });
  const spot = { id: 'spot-p', name: 'Right calf', createdAt: 1e12 };
  const p = [0.05, 0.05, 0.1, 0.05, 0.1, 0.6, 0.05];
  await seedV2(
    page,
    [spot],
    [
      { id: 'p1', createdAt: 1e12, lesionId: spot.id, probabilities: p, modelId: 'derm-lite0-128' },
      {
        id: 'p2',
        createdAt: 1.1e12,
        lesionId: spot.id,
        probabilities: p,
        modelId: 'derm-lite0-128',
      },
    ],
  );
  const seen: Seen[] = [];
  const sockets: string[] = [];
  context.on('request', (r) =>
    seen.push({
      url: r.url(),
      method: r.method(),
      bodyBytes: r.postDataBuffer()?.length ?? 0,
      fromServiceWorker: r.serviceWorker() !== null,
    }),
  );
  page.on('websocket', (ws) => sockets.push(ws.url()));
  const errors = watchErrors(page);

  await page.goto('./');
  await page.getByTestId('history-item').first().getByRole('button', { name: 'Open' }).click();
  await page.getByRole('link', { name: 'Report for your doctor' }).click();
  await expect(page.getByTestId('report-entry')).toHaveCount(1);
  for (const where of ['scan', 'spot']) {
    if (where === 'spot') {
      await page.goto(`./#/spots/${spot.id}`);
      await page.getByRole('link', { name: 'Report for your doctor' }).click();
      await expect(page.getByTestId('report-entry')).toHaveCount(2);
    }
    await page.getByRole('button', { name: 'Share the report (image)' }).click();
    await expect(page.getByTestId('share-status')).toHaveText('Report shared.');
    await page.emulateMedia({ media: 'print' });
    expect((await page.pdf({ preferCSSPageSize: true })).length).toBeGreaterThan(10_000);
    await page.emulateMedia({ media: 'screen' });
  }
  const handed = await page.evaluate(() => (window as unknown as { handed: string[] }).handed);
  expect(handed).toEqual([
    expect.stringMatching(/^dermlens-report-scan-[\d-]+\.png$/),
    expect.stringMatching(/^dermlens-report-right-calf-[\d-]+\.png$/),
  ]);

  const origin = new URL(page.url()).origin;
  expect(seen.length).toBeGreaterThan(5);
  expect(seen.filter((s) => !staysHome(s.url, origin))).toEqual([]);
  expect(seen.filter((s) => s.bodyBytes > 0 || !['GET', 'HEAD'].includes(s.method))).toEqual([]);
  expect(sockets).toEqual([]);
  expect(errors).toEqual([]);
});

test('the CSP is in the page and blocks a cross-origin fetch from it', async ({ page }) => {
  const workerScript = page.waitForResponse(/\/assets\/inference\.worker-[\w-]+\.js$/);
  await page.goto('./');
  const csp = await page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .getAttribute('content');
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("connect-src 'self'");
  // 'wasm-unsafe-eval' only where WebAssembly is compiled: the worker, by its own header.
  expect(csp).not.toContain('wasm-unsafe-eval');
  const workerCsp = (await workerScript).headers()['content-security-policy'] ?? '';
  expect(workerCsp).toContain("'wasm-unsafe-eval'");
  expect(workerCsp).toContain("connect-src 'self'");
  await waitForModel(page);

  // localhost is another origin than 127.0.0.1, and the same server would answer it: only the
  // policy stands in the way.
  const other = `http://localhost:${PORT}/robots.txt`;
  const outcome = await page.evaluate(async (url) => {
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      violations.push(`${e.effectiveDirective} ${e.blockedURI}`),
    );
    const fetched = await fetch(url).then(
      () => 'fetched',
      (e: unknown) => `rejected: ${e instanceof Error ? e.name : String(e)}`,
    );
    await new Promise((r) => setTimeout(r, 100)); // the violation event is queued
    return { fetched, violations };
  }, other);
  expect(outcome.fetched).toBe('rejected: TypeError');
  expect(outcome.violations).toEqual([`connect-src ${other}`]);

  // The inference worker's own policy: WebAssembly and blob: thread workers allowed (TF.js
  // wasm needs both), a cross-origin fetch refused there too.
  const worker = page.workers().find((w) => w.url().includes('/assets/inference.worker-'));
  expect(worker).toBeDefined();
  const inWorker = await worker!.evaluate(async (url) => {
    const empty = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]); // "\0asm", version 1
    const wasm = await WebAssembly.compile(empty).then(
      () => 'compiled',
      () => 'refused',
    );
    const source = URL.createObjectURL(new Blob(['postMessage(1)'], { type: 'text/javascript' }));
    const thread = await new Promise<string>((resolve) => {
      const w = new Worker(source);
      w.onmessage = () => resolve('ran');
      w.onerror = () => resolve('refused');
    });
    const fetched = await fetch(url).then(
      () => 'fetched',
      () => 'refused',
    );
    return { wasm, thread, fetched };
  }, other);
  expect(inWorker).toEqual({ wasm: 'compiled', thread: 'ran', fetched: 'refused' });
});

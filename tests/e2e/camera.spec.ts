import { expect, test } from '@playwright/test';
import { BASE_FLAGS, CHROMIUM, fakeCameraFlags } from './support/browser';
import { CAMERA_Y4M } from './support/fixtures';
import { spotPng } from './support/images';
import { SPOT_FILL_SIDE } from '../../src/lib/image/spot/margin';
import {
  acceptCrop,
  readResult,
  screenshotPath,
  upload,
  waitForModel,
  watchErrors,
} from './support/page';

// Chromium's fake camera plays the video the global setup drew; permission is auto-granted.
test.use({
  launchOptions: {
    executablePath: CHROMIUM,
    args: [...BASE_FLAGS, ...fakeCameraFlags(CAMERA_Y4M)],
  },
});

test.describe('camera', () => {
  test('capture from the (fake) rear camera -> crop step -> result; the shutter in view on a phone', async ({
    page,
  }) => {
    const errors = watchErrors(page);
    await page.goto('./');
    await waitForModel(page);
    await page.getByRole('button', { name: 'Take a photo' }).click();
    const video = page.getByLabel('Camera preview');
    await expect(video).toBeVisible();
    await expect
      .poll(() => video.evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 30_000 })
      .toBe(640);
    // On a 412 x 915 phone the viewfinder and the shutter are in view together, no scrolling,
    // and the shutter has the focus (Enter takes the photo).
    const shutter = page.getByRole('button', { name: 'Capture' });
    await expect(shutter).toBeFocused();
    const box = (await shutter.boundingBox())!;
    const viewport = page.viewportSize()!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
    const finder = (await video.boundingBox())!;
    expect(finder.y).toBeGreaterThanOrEqual(0);
    // The framing circle is SPOT_FILL_SIDE of the square: the size a spot should have.
    const ring = page.getByTestId('framing-circle');
    expect(Number(await ring.getAttribute('r'))).toBeCloseTo(50 * SPOT_FILL_SIDE, 5);
    await page.screenshot({ path: screenshotPath('camera.png') });

    await shutter.click();
    await acceptCrop(page);
    const result = await readResult(page);
    expect(result.probabilities).toHaveLength(7);
    await expect(video).toBeHidden(); // the stream is stopped after the shot
    expect(errors).toEqual([]);
  });

  test('camera refused: a clear message and the file route stays', async ({ page }) => {
    await page.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = () =>
        Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    });
    await page.goto('./');
    await waitForModel(page);
    await upload(page, 'kept.png', spotPng(300, 300, 12));
    await acceptCrop(page);
    await readResult(page);
    await page.getByRole('button', { name: 'Save to history' }).click();
    await expect(page.getByTestId('history-item')).toHaveCount(1);
    await page.getByRole('button', { name: 'Take a photo' }).click();
    await expect(
      page.getByRole('alert').filter({ hasText: 'Camera access was refused' }),
    ).toBeVisible();
    await page.getByRole('button', { name: 'Close camera' }).click();
    await expect(page.getByRole('button', { name: 'Choose a file' })).toBeVisible();
    await expect(page.getByTestId('history-item')).toHaveCount(1); // the history is untouched
  });
});

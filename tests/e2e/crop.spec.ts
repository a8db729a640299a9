/**
 * The crop step, on a 412 x 915 phone: a spot far away in a large photo is found and cropped by
 * default, and gets its close-up's risk band, in view at once; the square moved and resized with
 * the keyboard only, and with a mouse; "Use the whole photo"; no WCAG violations.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { resolve } from 'node:path';
import { cropBox, intersection } from '../../src/lib/image/spot/crop';
import { sharedData } from '../shared-data';
import { farPhoto, parseCrop, type FarPhoto } from './support/far';
import { encodePng } from '../../build/png';
import { prng } from '../../scripts/quality/degrade';
import { spotPng } from './support/images';
import {
  acceptCrop,
  readResult,
  screenshotPath,
  upload,
  useWholePhoto,
  waitForModel,
  watchErrors,
} from './support/page';

/**
 * A melanoma from the HAM10000 test split: its close-up is rated High by the shipped models, and
 * its far-away copy below, analysed as a whole (the centre square), was rated Low before the crop
 * step, as in issue 10 (checked with the scan path in Node while choosing it).
 */
const CLOSE_UP = 'ISIC_0026360.jpg';

/** The close-up small, up and to the right, in a 1200 x 1600 photo of skin. */
function far(dir: string): FarPhoto {
  return farPhoto(resolve(dir, CLOSE_UP), 300, 820, 470);
}

function hamDir(): string | null {
  const ham = sharedData('ham10000/images', 'the crop step on a far-away copy of a real photo');
  test.skip(ham.path === null, ham.skipped ?? '');
  return ham.path;
}

/** 300 x 400 pixels of plain skin tone with grain: nothing stands out. */
function plainSkin(): Buffer {
  const rand = prng(9);
  const rgba = new Uint8Array(300 * 400 * 4);
  for (let i = 0; i < rgba.length; i += 4) {
    const grain = (rand() - 0.5) * 16;
    rgba.set([214 + grain, 164 + grain, 138 + grain, 255], i);
  }
  return encodePng(rgba, 300, 400);
}

/**
 * Mean RGB of a band of the analysed square as the next panel shows it: the result, the quality
 * check, or the not-a-skin-spot refusal (plain skin may be refused), whichever came.
 */
async function analysedMean(
  page: Page,
  band: { x0: number; x1: number; y0: number; y1: number },
): Promise<number[]> {
  const canvas = page
    .locator(
      '[data-testid="result"] canvas, [data-testid="quality-gate"] canvas, ' +
        '[data-testid="not-a-spot"] canvas',
    )
    .first();
  await expect(canvas).toBeVisible();
  return canvas.evaluate((c: HTMLCanvasElement, b) => {
    const x = Math.floor(b.x0 * c.width);
    const y = Math.floor(b.y0 * c.height);
    const w = Math.ceil((b.x1 - b.x0) * c.width);
    const h = Math.ceil((b.y1 - b.y0) * c.height);
    const data = c.getContext('2d')!.getImageData(x, y, w, h).data;
    const sum = [0, 0, 0];
    for (let i = 0; i < data.length; i += 4) for (let k = 0; k < 3; k++) sum[k]! += data[i + k]!;
    return sum.map((v) => v / (data.length / 4));
  }, band);
}

/** The crop step's square now. */
async function cropNow(page: Page) {
  return parseCrop(await page.getByTestId('crop-step').getAttribute('data-crop'));
}

/** Whether an element lies entirely inside the 412 x 915 viewport. */
async function inViewport(page: Page, testId: string): Promise<boolean> {
  const box = await page.getByTestId(testId).boundingBox();
  const size = page.viewportSize();
  if (!box || !size) return false;
  return (
    box.y >= 0 && box.x >= 0 && box.y + box.height <= size.height && box.x + box.width <= size.width
  );
}

test('a spot far away in a large photo: cropped by default, its close-up\u2019s band, in view at once', async ({
  page,
}) => {
  const dir = hamDir();
  if (!dir) return;
  const errors = watchErrors(page);
  const photo = far(dir);
  await page.goto('./');
  await waitForModel(page);

  // The close-up first: the band the far-away copy must get too.
  await upload(page, 'close-up.jpg', photo.closeUp, 'image/jpeg');
  await acceptCrop(page);
  const close = page.getByTestId('result');
  await readResult(page);
  const closeBand = await close.getAttribute('data-band');
  expect(closeBand).toMatch(/^(medium|high)$/);
  // A close-up fills the photo: no "photographed from afar" hint.
  const afarHint = page.getByTestId('input-warning').filter({ hasText: 'photographed from afar' });
  await expect(afarHint).toHaveCount(0);

  await upload(page, 'far.jpg', photo.far, 'image/jpeg');
  const step = page.getByTestId('crop-step');
  await expect(step).toHaveAttribute('data-found', 'true');
  await expect(step).toContainText('around the spot the app found');
  // The proposal is on the spot: it lies within where the close-up's square was put, framed
  // tighter than that square (a spot from afar gets FAR_SPOT_FILL_SIDE, margin.ts), not a speck.
  const proposed = await cropNow(page);
  const box = cropBox(proposed);
  expect(intersection(box, photo.square) / (box.width * box.height)).toBeGreaterThan(0.9);
  expect(proposed.side).toBeGreaterThan(0.4 * photo.square.width);
  expect(proposed.side).toBeLessThan(photo.square.width);
  expect(await inViewport(page, 'crop-accept')).toBe(true);
  await page.screenshot({ path: screenshotPath('crop-step.png') });

  await acceptCrop(page); // Enter on the focused "Analyse this square"
  await readResult(page);
  await expect(page.getByTestId('result')).toHaveAttribute('data-band', closeBand ?? '');
  // The spot was small in the photo: the result asks for a closer one (afar.ts).
  await expect(afarHint).toBeVisible();
  // The answer is where the eye is: the risk band in view, focus on it, no scrolling needed.
  expect(await inViewport(page, 'risk')).toBe(true);
  await expect(page.getByTestId('risk')).toBeFocused();
  await page.screenshot({ path: screenshotPath('result.png') });

  // Saved, the scan's picture is the crop: the spot in its middle, skin at its corners.
  await page.getByRole('button', { name: 'Save to history' }).click();
  const thumbnail = page.getByTestId('history-item').first().locator('img');
  await expect(thumbnail).toBeVisible();
  const { middle, corners } = await thumbnail.evaluate(async (img: HTMLImageElement) => {
    await img.decode();
    const c = new OffscreenCanvas(img.naturalWidth, img.naturalHeight);
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const mean = (x: number, y: number, w: number, h: number): number => {
      const d = ctx.getImageData(x, y, w, h).data;
      let sum = 0;
      for (let i = 0; i < d.length; i += 4) sum += d[i]! + d[i + 1]! + d[i + 2]!;
      return sum / (d.length / 4) / 3;
    };
    const s = c.width;
    const q = Math.floor(s / 8);
    return {
      middle: mean(3 * q, 3 * q, 2 * q, 2 * q),
      corners: (mean(0, 0, q, q) + mean(s - q, 0, q, q) + mean(0, s - q, q, q)) / 3,
    };
  });
  expect(middle).toBeLessThan(corners - 20);
  expect(errors).toEqual([]);
});

test('keyboard only: arrows move the square, + and - resize it, Enter analyses that square', async ({
  page,
}) => {
  const dir = hamDir();
  if (!dir) return;
  const photo = far(dir);
  await page.goto('./');
  await waitForModel(page);
  await upload(page, 'far.jpg', photo.far, 'image/jpeg');
  await expect(page.getByTestId('crop-accept')).toBeFocused();
  const start = await cropNow(page);
  const step = Math.round(start.side * 0.1);

  // A tenth of the side per press (to the pixel: the square keeps whole pixels).
  await page.keyboard.press('ArrowDown');
  const down = await cropNow(page);
  expect(down.x0).toBe(start.x0);
  expect(Math.abs(down.y0 - (start.y0 + step))).toBeLessThanOrEqual(1);
  await page.keyboard.press('ArrowUp');
  expect(Math.abs((await cropNow(page)).y0 - start.y0)).toBeLessThanOrEqual(1);
  await page.keyboard.press('+');
  const smaller = await cropNow(page);
  expect(smaller.side).toBe(Math.round(start.side / 1.25));
  await page.keyboard.press('-');
  expect(Math.abs((await cropNow(page)).side - start.side)).toBeLessThanOrEqual(1);
  // Tab reaches the zoom buttons, and Enter on them resizes too; focus goes back to analyse.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Zoom in (smaller square)' })).toBeFocused();
  await page.keyboard.press('Enter');
  expect((await cropNow(page)).side).toBeLessThan(start.side);
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByTestId('crop-accept')).toBeFocused();

  // Off the spot, onto plain skin at the far left (Shift moves by half a side): that square is
  // what gets analysed, so the preview holds no dark spot.
  for (let i = 0; i < 20; i++) await page.keyboard.press('Shift+ArrowLeft');
  const moved = await cropNow(page);
  expect(moved.x0).toBe(0);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('crop-step')).toBeHidden();
  const centre = await analysedMean(page, { x0: 0.3, x1: 0.7, y0: 0.3, y1: 0.7 });
  expect(Math.min(...centre)).toBeGreaterThan(100);
});

test('a mouse: tap the spot to centre the square, drag it, scroll to resize', async ({ page }) => {
  await page.goto('./');
  await waitForModel(page);
  await upload(page, 'spot.png', spotPng(640, 480, 7));
  const square = page.getByTestId('crop-square');
  const box = (await square.boundingBox())!;
  // Smaller first (the zoom button), so the square has room to move both ways.
  const zoomIn = page.getByRole('button', { name: 'Zoom in (smaller square)' });
  await zoomIn.click();
  await zoomIn.click();
  const start = await cropNow(page);
  expect(start.side).toBeLessThan(400);
  const scale = box.width / 640; // screen pixels per photo pixel

  // A tap (click) at the top-left corner region puts the square's centre there (clamped).
  await page.mouse.click(box.x + 5, box.y + 5);
  const tapped = await cropNow(page);
  expect(tapped).toEqual({ x0: 0, y0: 0, side: start.side });

  // A drag moves it by the pointer's way, in photo pixels.
  await page.mouse.move(box.x + 20, box.y + 20);
  await page.mouse.down();
  await page.mouse.move(box.x + 20 + 40 * scale, box.y + 20 + 10 * scale, { steps: 4 });
  await page.mouse.up();
  const dragged = await cropNow(page);
  expect(Math.abs(dragged.x0 - 40)).toBeLessThanOrEqual(2);
  expect(Math.abs(dragged.y0 - 10)).toBeLessThanOrEqual(2);

  // The wheel: down makes the square larger, up smaller.
  await page.mouse.move(box.x + box.width / 3, box.y + box.height / 3);
  await page.mouse.wheel(0, 200);
  await expect.poll(async () => (await cropNow(page)).side).toBeGreaterThan(dragged.side);
  const larger = (await cropNow(page)).side;
  await page.mouse.wheel(0, -400);
  await expect.poll(async () => (await cropNow(page)).side).toBeLessThan(larger);
  await acceptCrop(page, 'click');
  // The square now sits wherever the moves left it, perhaps on plain skin or half the spot: the
  // photo goes on to the checks, and is answered, held by the quality check or refused.
  const outcome = page
    .getByTestId('result')
    .or(page.getByTestId('quality-hint'))
    .or(page.getByTestId('not-a-spot'));
  await expect(outcome.first()).toBeVisible();
});

test('"Use the whole photo" analyses the centre square, not the proposal', async ({ page }) => {
  const dir = hamDir();
  if (!dir) return;
  const photo = far(dir);
  await page.goto('./');
  await waitForModel(page);
  await upload(page, 'far.jpg', photo.far, 'image/jpeg');
  await expect(page.getByTestId('crop-step')).toHaveAttribute('data-found', 'true');
  await useWholePhoto(page);
  // The spot is off-centre and small: the middle of what is analysed is plain skin. The photo
  // is held by the quality check, refused as no spot, or answered: each shows that square.
  const centre = await analysedMean(page, { x0: 0.35, x1: 0.65, y0: 0.35, y1: 0.65 });
  expect(Math.min(...centre)).toBeGreaterThan(100);
});

test('no clear spot: said gently, the centre square proposed; cancel drops the photo', async ({
  page,
}) => {
  await page.goto('./');
  await waitForModel(page);
  // Plain skin tone, no spot.
  await upload(page, 'skin.png', plainSkin());
  const step = page.getByTestId('crop-step');
  await expect(step).toHaveAttribute('data-found', 'false');
  await expect(step).toContainText('No clear spot stood out');
  expect(await cropNow(page)).toEqual({ x0: 0, y0: 50, side: 300 });
  await step.getByRole('button', { name: 'Cancel' }).click();
  await expect(step).toBeHidden();
  await expect(page.getByRole('button', { name: 'Take a photo' })).toBeFocused();
  await expect(page.getByTestId('result')).toHaveCount(0);
  await expect(page.getByTestId('status')).toHaveAttribute('data-busy', 'idle');
});

test('no WCAG 2.1 A/AA violations on the crop step', async ({ page }) => {
  await page.goto('./');
  await waitForModel(page);
  await upload(page, 'spot.png', spotPng(400, 300, 12));
  await expect(page.getByTestId('crop-step')).toBeVisible();
  const scan = () =>
    new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  expect((await scan().analyze()).violations).toEqual([]);
  await upload(page, 'skin.png', plainSkin());
  await expect(page.getByTestId('crop-step')).toHaveAttribute('data-found', 'false');
  expect((await scan().analyze()).violations).toEqual([]);
});

test('the spot worker runs under a policy that lets it fetch nothing', async ({ page }) => {
  await page.goto('./');
  await upload(page, 'spot.png', spotPng(400, 300, 12));
  await expect(page.getByTestId('crop-step')).toBeVisible();
  const url = await page.evaluate(
    () =>
      performance
        .getEntriesByType('resource')
        .map((e) => e.name)
        .find((name) => /\/assets\/spot\.worker-[\w-]+\.js$/.test(name)) ?? '',
  );
  expect(url).not.toBe('');
  const response = await page.request.get(url);
  expect(response.headers()['content-security-policy']).toBe("default-src 'none'");
});

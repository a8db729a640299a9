import { expect, test, type Page } from '@playwright/test';
import { watchErrors } from './support/page';

const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/**
 * Fires a synthetic beforeinstallprompt (as Chromium does when the app is installable) whose
 * prompt() is a stub that counts its calls; answers whether the page kept it (preventDefault).
 */
function offerInstall(page: Page, outcome: 'accepted' | 'dismissed' = 'accepted') {
  return page.evaluate((outcome) => {
    const w = window as unknown as { prompts: number };
    w.prompts = 0;
    const event = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
      prompt: () => {
        w.prompts++;
        return Promise.resolve();
      },
      userChoice: Promise.resolve({ outcome }),
    });
    window.dispatchEvent(event);
    return event.defaultPrevented;
  }, outcome);
}

const prompts = (page: Page) =>
  page.evaluate(() => (window as unknown as { prompts: number }).prompts);

test('Install DermLens: shown when the browser offers it, opens its dialog, gone once installed', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto('./');
  const button = page.getByRole('button', { name: 'Install DermLens' });
  await expect(page.getByRole('heading', { name: 'DermLens', level: 1 })).toBeVisible();
  await expect(button).toHaveCount(0); // nothing to offer until the browser says so
  // Kept for our button (the browser's own mini-infobar is suppressed).
  expect(await offerInstall(page)).toBe(true);
  await expect(button).toBeVisible();
  await expect(button).toBeInViewport(); // in the header: seen without scrolling on a phone
  await button.click();
  expect(await prompts(page)).toBe(1);
  // The event serves once: the button goes, whatever the person chose in the dialog.
  await expect(button).toHaveCount(0);

  // The browser offers it again (e.g. the dialog was dismissed); installing takes it away.
  await offerInstall(page, 'dismissed');
  await expect(button).toBeVisible();
  await page.evaluate(() => window.dispatchEvent(new Event('appinstalled')));
  await expect(button).toHaveCount(0);
  expect(await prompts(page)).toBe(0); // not prompted by the new event: only by a click
  expect(errors).toEqual([]);
});

test('Install DermLens: keyboard reachable, with a visible focus ring', async ({ page }) => {
  await page.goto('./');
  await offerInstall(page);
  const button = page.getByRole('button', { name: 'Install DermLens' });
  await expect(button).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(button).toBeFocused(); // the first stop on the page, beside the title
  await expect(button).toHaveCSS('outline-style', 'solid');
  await page.keyboard.press('Enter');
  expect(await prompts(page)).toBe(1);
});

test('opened from the home screen (standalone): no install offer, even if an event comes', async ({
  page,
}) => {
  // Playwright cannot emulate display-mode; the page's own media query answers "standalone".
  await page.addInitScript(() => {
    const original = window.matchMedia.bind(window);
    window.matchMedia = (query: string) =>
      query.includes('display-mode: standalone')
        ? ({ ...original(query), matches: true, media: query } as MediaQueryList)
        : original(query);
  });
  await page.goto('./');
  await expect(page.getByRole('heading', { name: 'DermLens', level: 1 })).toBeVisible();
  await offerInstall(page);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
  await expect(page.getByRole('button', { name: 'Install DermLens' })).toHaveCount(0);
});

test.describe('on an iPhone (no beforeinstallprompt in iOS browsers)', () => {
  test.use({ userAgent: IPHONE_SAFARI, hasTouch: true, isMobile: true });

  test('Install DermLens shows the Share, then Add to Home Screen steps', async ({ page }) => {
    await page.goto('./');
    const button = page.getByRole('button', { name: 'Install DermLens' });
    await expect(button).toBeVisible();
    await expect(button).toHaveAttribute('aria-expanded', 'false');
    await expect(page.getByTestId('install-steps')).toHaveCount(0);
    await button.click();
    await expect(button).toHaveAttribute('aria-expanded', 'true');
    const steps = page.getByTestId('install-steps');
    await expect(steps).toBeVisible();
    await expect(steps).toContainText(/tap Share .*then Add to Home Screen/);
    await button.click();
    await expect(steps).toHaveCount(0);
  });

  test('opened from the home screen (navigator.standalone): no steps offered', async ({ page }) => {
    await page.addInitScript(() =>
      Object.defineProperty(Navigator.prototype, 'standalone', { get: () => true }),
    );
    await page.goto('./');
    await expect(page.getByRole('heading', { name: 'DermLens', level: 1 })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Install DermLens' })).toHaveCount(0);
  });
});

import { expect, test, type Page } from '@playwright/test';
import { waitForModel, waitForOffline } from './support/page';

/**
 * Sums the page's layout shifts (those not caused by the person's input, as CLS counts them) from
 * the very first paint: the observer is installed before any of the page's scripts run.
 */
async function recordShifts(page: Page): Promise<void> {
  await page.addInitScript(() => {
    interface Shift extends PerformanceEntry {
      readonly value: number;
      readonly hadRecentInput: boolean;
      readonly sources?: readonly { node?: Node | null }[];
    }
    const w = window as unknown as { shifts: { value: number; nodes: string[] }[] };
    w.shifts = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as Shift[]) {
        if (entry.hadRecentInput) continue;
        const nodes = (entry.sources ?? []).map((s) => {
          const node = s.node;
          return node instanceof Element
            ? `${node.tagName.toLowerCase()}.${node.className}`
            : String(node?.nodeName);
        });
        w.shifts.push({ value: entry.value, nodes });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

const shifts = (page: Page) =>
  page.evaluate(
    () => (window as unknown as { shifts: { value: number; nodes: string[] }[] }).shifts,
  );

test('the home page does not jump while it loads: layout shift sum < 0.01', async ({ page }) => {
  await recordShifts(page);
  await page.goto('./');
  // Everything that appears while loading: the model's progress then "ready", the offline copy's
  // progress then "ready offline".
  await waitForModel(page);
  await waitForOffline(page);
  // One more frame, so a shift caused by the last change is reported.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 100))));
  const all = await shifts(page);
  const sum = all.reduce((s, e) => s + e.value, 0);
  expect(sum, `shifts: ${JSON.stringify(all)}`).toBeLessThan(0.01);
});

test('a reload with everything cached does not jump either', async ({ page }) => {
  await page.goto('./');
  await waitForModel(page);
  await waitForOffline(page);
  await recordShifts(page);
  await page.reload();
  await waitForModel(page);
  await waitForOffline(page);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 100))));
  const all = await shifts(page);
  const sum = all.reduce((s, e) => s + e.value, 0);
  expect(sum, `shifts: ${JSON.stringify(all)}`).toBeLessThan(0.01);
});

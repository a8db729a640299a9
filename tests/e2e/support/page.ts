/** Shared page helpers: error watching, uploading, reading the rendered result. */
import { expect, type Page } from '@playwright/test';
import type {} from '../../../src/lib/testhooks-api';
import { HOOKS_PORT } from './browser';

/** Collects page errors, console errors and CSP violations; a clean run has none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}

export interface RenderedResult {
  readonly top1: string;
  readonly backend: string;
  readonly model: string;
  readonly probabilities: number[];
}

/** Waits for a result (optionally from a given model) and reads its data attributes. */
export async function readResult(page: Page, model?: string): Promise<RenderedResult> {
  const result = page.getByTestId('result');
  await expect(result).toBeVisible();
  if (model) await expect(result).toHaveAttribute('data-model', model);
  await expect(result).toHaveAttribute('data-total-ms', /\d/);
  const attr = async (name: string): Promise<string> => (await result.getAttribute(name)) ?? '';
  return {
    top1: await attr('data-top1'),
    backend: await attr('data-backend'),
    model: await attr('data-model'),
    probabilities: JSON.parse(await attr('data-probabilities')) as number[],
  };
}

/** Uploads a file through the file picker, as a person would. */
export async function upload(page: Page, name: string, buffer: Buffer, mimeType = 'image/png') {
  await page.getByTestId('file-input').setInputFiles({ name, mimeType, buffer });
}

/**
 * Opens the e2e build (the app with its test hooks compiled in) on ?testhooks and waits for
 * window.dermlensTest; `query` adds settings, e.g. 'backend=wasm&model=ham10000-28'.
 */
export async function openWithTestHooks(page: Page, query = ''): Promise<void> {
  await page.goto(`http://127.0.0.1:${HOOKS_PORT}/?testhooks${query ? `&${query}` : ''}`);
  await page.waitForFunction(() => window.dermlensTest !== undefined);
}

/** Waits until the model is loaded and warmed up (the status line says so). */
export async function waitForModel(page: Page): Promise<void> {
  await expect(page.getByTestId('model-ready')).toBeVisible({ timeout: 150_000 });
}

/**
 * Where a screenshot goes: docs/screenshots/ (the README's pictures) when UPDATE_SCREENSHOTS is
 * set (`npm run screenshots`), else test-results/, so a normal test run changes no tracked file.
 */
export function screenshotPath(name: string): string {
  return process.env['UPDATE_SCREENSHOTS']
    ? `docs/screenshots/${name}`
    : `test-results/screenshots/${name}`;
}

/** Waits until the service worker has saved the app and the models ("Ready offline"). */
export async function waitForOffline(page: Page): Promise<void> {
  await expect(page.getByTestId('offline-status')).toHaveAttribute('data-status', 'ready', {
    timeout: 120_000,
  });
}

/**
 * Lets a photo through the quality gate with "Analyse anyway", after checking the gate named
 * `problems` (space-separated codes, e.g. 'blurred far'). For test images that the gate holds
 * back: drawn ones are smooth at the model's resolution, so they read as blurred.
 */
export async function analyseAnyway(page: Page, problems: string | RegExp): Promise<void> {
  const gate = page.getByTestId('quality-gate');
  await expect(gate).toHaveAttribute('data-problems', problems);
  await gate.getByRole('button', { name: 'Analyse anyway' }).click();
  await expect(gate).toBeHidden();
}

/**
 * Passes the crop step that follows every photo: checks that "Analyse this square" has the focus
 * (accepting is the default) and accepts with Enter, or with a click.
 */
export async function acceptCrop(page: Page, how: 'enter' | 'click' = 'enter'): Promise<void> {
  const step = page.getByTestId('crop-step');
  await expect(step).toBeVisible();
  const accept = step.getByTestId('crop-accept');
  if (how === 'enter') {
    await expect(accept).toBeFocused();
    await page.keyboard.press('Enter');
  } else {
    await accept.click();
  }
  await expect(step).toBeHidden();
}

/** Chooses "Use the whole photo" at the crop step: the centre square, as before the crop step. */
export async function useWholePhoto(page: Page): Promise<void> {
  const step = page.getByTestId('crop-step');
  await step.getByRole('button', { name: 'Use the whole photo' }).click();
  await expect(step).toBeHidden();
}

/**
 * The production build (dist/) carries no test hook: no window.dermlensTest, no test channel to the
 * worker, no crash on request. The e2e build (dist-e2e/, same sources with __TEST_HOOKS__) is the
 * control: each marker is found there, in the page's chunk and the worker's, so a marker that
 * stopped matching the hook code would fail here instead of passing vacuously. Source maps are left
 * out: they hold the original source text, the build-time-removed branches included.
 */
import { expect, test } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Strings only the test hooks contain (property, channel and message names survive minifying). */
const PAGE_MARKERS = ['dermlensTest', 'dermlens-test-hooks', 'crash-next-prediction'];
const WORKER_MARKERS = ['dermlens-test-hooks', 'crash-next-prediction', '(test hook)'];

/** Every built file but source maps, as text, by path. */
function builtFiles(dir: string): Map<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile() && !f.name.endsWith('.map'))
    .map((f) => join(f.parentPath, f.name));
  return new Map(files.map((f) => [f, readFileSync(f, 'latin1')]));
}

const holding = (files: Map<string, string>, marker: string): string[] =>
  [...files].filter(([, text]) => text.includes(marker)).map(([path]) => path);

test('the production build holds no test hook; the e2e build does (the control)', () => {
  const production = builtFiles('dist');
  expect(production.size).toBeGreaterThan(10);
  for (const marker of new Set([...PAGE_MARKERS, ...WORKER_MARKERS])) {
    expect(holding(production, marker), `"${marker}" in dist/`).toEqual([]);
  }

  const e2e = builtFiles('dist-e2e');
  for (const marker of PAGE_MARKERS) {
    expect(
      holding(e2e, marker).some((f) => /assets[\\/]testhooks-/.test(f)),
      marker,
    ).toBe(true);
  }
  for (const marker of WORKER_MARKERS) {
    const inWorker = holding(e2e, marker).some((f) => /assets[\\/]inference\.worker-/.test(f));
    expect(inWorker, marker).toBe(true);
  }
});

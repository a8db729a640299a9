/**
 * `npm run lighthouse`: Lighthouse (mobile preset: a mid-range phone, simulated slow 4G and 4x
 * CPU slowdown) against `vite preview` of the production build (dist/, built first by the npm
 * script), a few runs, each in a fresh Chromium profile (a first visit). Writes the median and
 * every run's performance and accessibility scores and layout shift (CLS) to
 * bench/lighthouse.json. A measurement, not a test: nothing here passes or fails on a score.
 *
 * Environment: LIGHTHOUSE_RUNS (default 3), LIGHTHOUSE_PORT (default 4181), CHROME_PATH (default
 * /usr/bin/chromium).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
const PORT = Number(process.env.LIGHTHOUSE_PORT ?? 4181);
const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const URL_UNDER_TEST = `http://127.0.0.1:${PORT}/`;
const OUT = 'bench/lighthouse.json';
// See ../shared/PLATFORM.md: without the networking flags Chromium tries to reach Google hosts.
const CHROME_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-dev-shm-usage',
].join(' ');

/** Runs a command to its end; rejects on a non-zero exit. */
function run(command, args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, ...env },
    });
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`)),
    );
  });
}

/** Waits until the preview server answers. */
async function waitFor(url, ms = 60_000) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error(`${url} did not answer within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** One Lighthouse run: its JSON report, reduced to what we record. */
async function lighthouseOnce(dir, i) {
  const path = join(dir, `run-${i}.json`);
  await run(
    'node_modules/.bin/lighthouse',
    [
      URL_UNDER_TEST,
      '--output=json',
      `--output-path=${path}`,
      '--only-categories=performance,accessibility',
      `--chrome-flags=${CHROME_FLAGS}`,
      '--quiet',
    ],
    { CHROME_PATH: CHROME },
  );
  const report = JSON.parse(readFileSync(path, 'utf8'));
  const audit = (id) => report.audits[id]?.numericValue ?? null;
  return {
    performance: report.categories.performance.score,
    accessibility: report.categories.accessibility.score,
    cls: audit('cumulative-layout-shift'),
    fcpMs: audit('first-contentful-paint'),
    lcpMs: audit('largest-contentful-paint'),
    tbtMs: audit('total-blocking-time'),
    speedIndexMs: audit('speed-index'),
    lighthouseVersion: report.lighthouseVersion,
    userAgent: report.environment?.hostUserAgent ?? null,
    formFactor: report.configSettings.formFactor,
    throttling: report.configSettings.throttlingMethod,
    warnings: report.runWarnings ?? [],
  };
}

const server = spawn(
  'node_modules/.bin/vite',
  ['preview', '--port', String(PORT), '--strictPort', '--host', '127.0.0.1'],
  { stdio: 'ignore' },
);
const dir = mkdtempSync(join(tmpdir(), 'dermlens-lighthouse-'));
try {
  await waitFor(URL_UNDER_TEST);
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    // Under load Lighthouse now and then fails to record a trace (NO_NAVSTART): that run is
    // tried once more; it says nothing about the page.
    runs.push(await lighthouseOnce(dir, i).catch(() => lighthouseOnce(dir, i)));
    const r = runs.at(-1);
    console.log(
      `run ${i + 1}/${RUNS}: performance ${r.performance}, accessibility ${r.accessibility}, CLS ${r.cls}`,
    );
  }
  const first = runs[0];
  const summary = {
    measuredAt: new Date().toISOString(),
    url: URL_UNDER_TEST,
    build: 'dist/ (vite build), served by vite preview',
    lighthouseVersion: first.lighthouseVersion,
    formFactor: first.formFactor,
    throttling: first.throttling,
    chromium: first.userAgent,
    runs: runs.length,
    median: {
      performance: median(runs.map((r) => r.performance)),
      accessibility: median(runs.map((r) => r.accessibility)),
      cls: median(runs.map((r) => r.cls)),
      fcpMs: median(runs.map((r) => r.fcpMs)),
      lcpMs: median(runs.map((r) => r.lcpMs)),
      tbtMs: median(runs.map((r) => r.tbtMs)),
      speedIndexMs: median(runs.map((r) => r.speedIndexMs)),
    },
    each: runs.map((r) => ({
      performance: r.performance,
      accessibility: r.accessibility,
      cls: r.cls,
      fcpMs: r.fcpMs,
      lcpMs: r.lcpMs,
      tbtMs: r.tbtMs,
      speedIndexMs: r.speedIndexMs,
      warnings: r.warnings,
    })),
  };
  writeFileSync(OUT, `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`wrote ${OUT}: ${JSON.stringify(summary.median)}`);
} finally {
  server.kill();
  rmSync(dir, { recursive: true, force: true });
}

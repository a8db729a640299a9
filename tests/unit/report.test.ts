import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shippedModels } from '../../build/assets';
import { parseCard } from '../../src/lib/card/model-card';
import { chartGeometry } from '../../src/lib/report/chart';
import {
  reportFileName,
  scanReport,
  spotReport,
  type ReportOptions,
} from '../../src/lib/report/content';
import { fitScale, layoutReport, MARGIN, PAGE_WIDTH, type Op } from '../../src/lib/report/layout';
import { earlierVersionAbout, modelAbout, retiredAbout } from '../../src/lib/report/model-lines';
import { wrap } from '../../src/lib/report/wrap';
import { href, parseHash } from '../../src/lib/state/route.svelte';
import type { ScanRecord, SpotRecord } from '../../src/lib/storage/schema';
import { DISCLAIMER } from '../../src/ui/text';

const LABELS = ['akiec', 'bcc', 'bkl', 'df', 'mel', 'nv', 'vasc'];
const NAMES = {
  akiec: 'Actinic keratosis',
  bcc: 'Basal cell carcinoma',
  bkl: 'Benign keratosis',
  df: 'Dermatofibroma',
  mel: 'Melanoma',
  nv: 'Melanocytic nevus',
  vasc: 'Vascular lesion',
};
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 1, 3, 10);

function scan(id: string, createdAt: number, probabilities: number[], o: Partial<ScanRecord> = {}) {
  const risk = (probabilities[0] ?? 0) + (probabilities[1] ?? 0) + (probabilities[4] ?? 0);
  return {
    id,
    createdAt,
    thumbnail: new Blob(),
    modelId: 'derm-lite0-128',
    modelVersion: '2.0.0',
    labels: LABELS,
    labelNames: NAMES,
    malignant: ['akiec', 'bcc', 'mel'],
    probabilities,
    malignantRisk: risk,
    band: risk >= 0.8 ? 'high' : risk >= 0.2 ? 'medium' : 'low',
    backend: 'wasm',
    timings: { inferenceMs: 20, totalMs: 100 },
    ...o,
  } satisfies ScanRecord;
}

const options: ReportOptions = {
  now: T0 + 100 * DAY,
  formatDate: (ms) => new Date(ms).toISOString().slice(0, 16),
  modelName: (s) => `model ${s.modelId}`,
};
const P1 = [0.02, 0.03, 0.1, 0.05, 0.12, 0.63, 0.05];
const P2 = [0.05, 0.05, 0.1, 0.02, 0.3, 0.45, 0.03];

describe('report content', () => {
  it('one scan: every class in plain words, most probable first, band and details', () => {
    const s = scan('a', T0, P1, {
      bodySite: 'Back',
      note: 'itches',
      quality: ['blurred'],
      reframedBand: 'medium',
    });
    const report = scanReport(s, [], options);
    expect(report.kind).toBe('scan');
    expect(report.about).toEqual(['One photo of a skin spot, taken 2026-02-03T10:00.']);
    const [entry] = report.entries;
    expect(entry?.date).toBe('2026-02-03T10:00');
    expect(entry?.risk).toBe('Malignant risk: Low (17%)');
    expect(entry?.classes.map((c) => c.text)).toEqual([
      'Melanocytic nevus: 63%',
      'Melanoma: 12%',
      'Benign keratosis: 10%',
      'Dermatofibroma: 5%',
      'Vascular lesion: 5%',
      'Basal cell carcinoma: 3%',
      'Actinic keratosis: 2%',
    ]);
    expect(entry?.classes.filter((c) => c.malignant).map((c) => c.label)).toEqual([
      'mel',
      'bcc',
      'akiec',
    ]);
    expect(entry?.details).toEqual([
      'Body site: Back',
      'Note: itches',
      'Photo: blurred (less reliable)',
      'Not a settled answer: framed a little tighter or wider, the photo read Medium',
      'Analysed on this device by: model derm-lite0-128',
    ]);
    expect(report.disclaimer).toBe(DISCLAIMER);
    expect(report.footer).toBe(
      'Made on 2026-05-14T10:00 with DermLens, on this device: nothing was uploaded.',
    );
  });

  it('a spot: scans oldest first whatever order they come in, its place and span', () => {
    const spot: SpotRecord = {
      id: 's',
      name: 'Left shoulder mole',
      createdAt: T0 - DAY,
      location: { view: 'back', x: 0.3, y: 0.2 },
      note: 'since childhood',
    };
    const report = spotReport(spot, [scan('b', T0 + 30 * DAY, P2), scan('a', T0, P1)], [], options);
    expect(report.entries.map((e) => e.id)).toEqual(['a', 'b']);
    expect(report.entries.map((e) => e.risk)).toEqual([
      'Malignant risk: Low (17%)',
      'Malignant risk: Medium (40%)',
    ]);
    expect(report.about[0]).toBe(
      'Skin spot “Left shoulder mole”, followed over time. 2 scans, from 2026-02-03T10:00 to ' +
        '2026-03-05T10:00.',
    );
    expect(report.about[1]).toMatch(/^Where: .+ \(back\)$/);
    expect(report.about[2]).toBe('Note: since childhood');
    expect(spotReport({ ...spot, location: undefined }, [], [], options).about).toEqual([
      'Skin spot “Left shoulder mole”, followed over time. No scans saved in it yet.',
      'Note: since childhood',
    ]);
  });

  it('file names: ASCII words and dashes, the local day', () => {
    const at = new Date(2026, 1, 3, 23, 30).getTime();
    expect(reportFileName('Left shoulder mole', at)).toBe(
      'dermlens-report-left-shoulder-mole-2026-02-03.png',
    );
    expect(reportFileName('Épaule – grain de beauté!', at)).toBe(
      'dermlens-report-epaule-grain-de-beaute-2026-02-03.png',
    );
    expect(reportFileName('???', at, 'pdf')).toBe('dermlens-report-2026-02-03.pdf');
    expect(reportFileName('a'.repeat(30) + ' ' + 'b'.repeat(30), at)).toBe(
      `dermlens-report-${'a'.repeat(30)}-${'b'.repeat(9)}-2026-02-03.png`,
    );
  });

  it('routes: #/scans/<id>/report and #/spots/<id>/report', () => {
    expect(parseHash('#/scans/ab-1/report')).toEqual({ page: 'scan-report', id: 'ab-1' });
    expect(parseHash('#/spots/ab-1/report')).toEqual({ page: 'spot-report', id: 'ab-1' });
    expect(parseHash('#/spots/ab-1')).toEqual({ page: 'spot', id: 'ab-1' });
    expect(parseHash('#/scans/<x>/report').page).toBe('scan');
    expect(parseHash(href('scan-report', 'x1'))).toEqual({ page: 'scan-report', id: 'x1' });
    expect(parseHash(href('spot-report', 'x2'))).toEqual({ page: 'spot-report', id: 'x2' });
  });
});

describe('the model in two lines', () => {
  it.each(shippedModels('model'))('%s: the numbers are the card’s', (id) => {
    const raw: unknown = JSON.parse(readFileSync(join('model', id, 'card.json'), 'utf8'));
    const card = parseCard(raw);
    const about = modelAbout(card);
    const domain = card.phone ?? card.test;
    const sens = Math.round(100 * domain.malignant.threshold.sensitivity);
    const flagged = Math.round(100 * (1 - domain.malignant.threshold.specificity));
    expect(about.limits).toContain(`rated ${sens} as medium or high risk`);
    expect(about.limits).toContain(`(so it missed ${100 - sens})`);
    expect(about.limits).toContain(`it rated ${flagged} that high`);
    const tested = domain.malignant.positives + domain.malignant.negatives;
    expect(about.limits).toContain(`(${tested} test photos`);
    expect(about.what).toContain(`(${(card.parameters / 1e6).toFixed(2)} M parameters`);
    expect(about.what).toContain(`${card.inputSize}×${card.inputSize} pixel input`);
    expect(about.what).toContain(`${card.labels.length} lesion types`);
    expect(about.what).toContain(`(${id})`);
  });

  it("an earlier version of a shipped model: said so, not today's numbers", () => {
    const about = earlierVersionAbout('derm-lite0-128', '2.0.0', '3.0.0');
    expect(about.limits).toBeNull();
    expect(about.what).toMatch(
      /derm-lite0-128 v2\.0\.0\) was an earlier version; this app now has v3\.0\.0/,
    );
  });

  it('a retired model: said so, no numbers', () => {
    const about = retiredAbout('ham10000-128');
    expect(about.limits).toBeNull();
    expect(about.what).toMatch(/ham10000-128\) is no longer part of this app/);
  });
});

describe('word wrap', () => {
  const measure = (t: string) => t.length * 10;
  it('breaks between words within the width, keeps line breaks, cuts a too-long word', () => {
    expect(wrap('one two three four', 90, measure)).toEqual(['one two', 'three', 'four']);
    expect(wrap('a\nb c', 100, measure)).toEqual(['a', 'b c']);
    expect(wrap('x abcdefghijkl y', 50, measure)).toEqual(['x', 'abcde', 'fghij', 'kl y']);
    expect(wrap('', 50, measure)).toEqual(['']);
  });
});

describe('the PNG layout', () => {
  const measure = (t: string, font: string) => t.length * (font === 'title' ? 24 : 14);
  const spot: SpotRecord = { id: 's', name: 'Mole', createdAt: T0 };
  const scans = [scan('a', T0, P1), scan('b', T0 + 10 * DAY, P2), scan('c', T0 + 40 * DAY, P1)];
  const models = [{ modelId: 'm', what: 'What it is. '.repeat(12), limits: 'Limits. '.repeat(12) }];
  const layout = layoutReport(spotReport(spot, scans, models, options), measure);
  const texts = layout.ops.filter((o): o is Extract<Op, { kind: 'text' }> => o.kind === 'text');

  it('keeps every line within the margins and the page', () => {
    for (const t of texts) {
      expect(t.x).toBeGreaterThanOrEqual(MARGIN);
      expect(t.x + measure(t.text, t.font)).toBeLessThanOrEqual(PAGE_WIDTH - MARGIN);
      expect(t.y).toBeLessThan(layout.height - MARGIN);
    }
    expect(layout.width).toBe(PAGE_WIDTH);
  });

  it('draws every class of every scan, one photo per scan below the last, and the chart', () => {
    const all = texts.map((t) => t.text);
    for (const e of spotReport(spot, scans, models, options).entries) {
      for (const c of e.classes) {
        expect(all).toContain(c.malignant ? `${c.text} (malignant type)` : c.text);
      }
    }
    const photos = layout.ops.filter((o) => o.kind === 'photo');
    expect(photos.map((p) => p.entry)).toEqual([0, 1, 2]);
    photos.slice(1).forEach((p, i) => expect(p.y).toBeGreaterThanOrEqual(photos[i]!.y + p.size));
    const chart = layout.ops.find((o) => o.kind === 'chart');
    expect(chart?.chart.points).toHaveLength(3);
    expect(all).toContain('Not a diagnosis.');
    expect(all.at(-1)).toMatch(/^Made on/);
  });

  it('no chart for a single scan', () => {
    const one = layoutReport(scanReport(scan('a', T0, P1), models, options), measure);
    expect(one.ops.some((o) => o.kind === 'chart')).toBe(false);
    expect(one.height).toBeLessThan(layout.height);
  });

  it('chart: x by time, y by risk, evenly spaced when the times are equal', () => {
    const box = { x: 100, y: 50, width: 400, height: 200 };
    const points = chartGeometry(
      [
        { createdAt: 0, malignantRisk: 0 },
        { createdAt: 30, malignantRisk: 0.5 },
        { createdAt: 40, malignantRisk: 1 },
      ],
      box,
    ).points;
    expect(points).toEqual([
      { x: 100, y: 250 },
      { x: 400, y: 150 },
      { x: 500, y: 50 },
    ]);
    const same = chartGeometry(
      [0.2, 0.4].map((r) => ({ createdAt: 7, malignantRisk: r })),
      box,
    );
    expect(same.points.map((p) => p.x)).toEqual([100, 500]);
    expect(same.grid.map((g) => g.label)).toEqual(['0%', '50%', '100%']);
  });

  it('scales a page down to what canvases allow', () => {
    expect(fitScale(1240, 3000)).toBe(1);
    const s = fitScale(1240, 20_000);
    expect(1240 * s * 20_000 * s).toBeLessThanOrEqual(16_777_216 + 1);
    expect(fitScale(1240, 40_000, Infinity)).toBeCloseTo(32_767 / 40_000, 9);
  });
});

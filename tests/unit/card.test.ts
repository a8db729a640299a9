import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shippedModels } from '../../build/assets';
import {
  earlierStageLines,
  lastRunLine,
  reproductionLine,
  trainingSecondsInAll,
  soupLine,
  parseCard,
  weightFormat,
  type ModelCard,
} from '../../src/lib/card/model-card';
import { plainSummaries } from '../../src/lib/card/plain';
import { barLayout, cellShade, formatReported } from '../../src/lib/card/draw';

const ids = shippedModels('model');

describe('card.json', () => {
  it.each(ids)('%s: the shipped card parses and is self-consistent', (id) => {
    const card = parseCard(JSON.parse(readFileSync(join('model', id, 'card.json'), 'utf8')));
    expect(card.modelId).toBe(id);
    const total = card.test.confusionMatrix.flat().reduce((a, b) => a + b, 0);
    expect(total).toBe(card.test.n);
    expect(card.reliability.after.reduce((a, b) => a + b.count, 0)).toBe(card.test.n);
    // The automatic TTA setting the app reads: evaluate's rule applied to evaluate's measurement.
    const tta = card.tta?.default;
    expect(tta?.latency.ratio).toBeCloseTo(tta!.latency.ttaMs / tta!.latency.singleMs, 9);
    expect(tta?.on).toBe(tta!.latency.ratio <= tta!.maxLatencyRatio);
  });

  it('names the first missing field', () => {
    expect(() => parseCard({ modelId: 'x' })).toThrow(/"inputSize" must be a number/);
    const raw = JSON.parse(readFileSync(join('model', ids[0] ?? '', 'card.json'), 'utf8'));
    raw.test.confusionMatrix = [[1]];
    expect(() => parseCard(raw)).toThrow(/7 x 7/);
    const tta = JSON.parse(readFileSync(join('model', ids[0] ?? '', 'card.json'), 'utf8'));
    tta.tta.default.on = 'yes';
    expect(() => parseCard(tta)).toThrow(/"tta.default.on" must be true or false/);
    tta.tta.default.on = false;
    tta.tta.default.latency.ratio = null;
    expect(() => parseCard(tta)).toThrow(/"tta.default.latency.ratio" must be a number/);
  });
});

describe('the weight format in words', () => {
  it('names one format, or counts the uint8 tensors of a mixed export', () => {
    expect(weightFormat({ quantization: { shipped: 'float16' } })).toBe('float16');
    expect(weightFormat({})).toBe('float32');
    const mixed = {
      shipped: 'mixed',
      mixedPlan: { uint8Weights: ['conv_3/kernel', 'conv_9/kernel'] },
    };
    expect(weightFormat({ quantization: mixed })).toBe(
      'mixed (2 weight tensors as uint8, the rest float16)',
    );
    const one = { shipped: 'mixed', mixedPlan: { uint8Weights: ['logits_90/kernel'] } };
    expect(weightFormat({ quantization: one })).toBe(
      'mixed (1 weight tensor as uint8, the rest float16)',
    );
    // A plan is recorded even when another format ships: only the shipped one is told.
    expect(weightFormat({ quantization: { ...mixed, shipped: 'uint8' } })).toBe('uint8');
  });

  it('names the earlier stages of a model made in stages, and nothing for one run', () => {
    const stages = [
      { run: 'p1-f0', hardware: 'NVIDIA H200 (CUDA)', epochs: 5, trainSeconds: 132.8 },
      { run: 'p3-fast', hardware: null, epochs: 1, trainSeconds: 20, imagesPerSecond: 15.8 },
    ];
    expect(earlierStageLines({ earlierStages: stages })).toEqual([
      'p1-f0: 5 epochs, 2 min on NVIDIA H200 (CUDA)',
      'p3-fast: 1 epoch, 1 min, 16 training images per second',
    ]);
    const shifted = {
      run: 'bp02-q05',
      epochs: 12,
      trainSeconds: 1886,
      priorShift: { fromPower: 0.2, toPower: 0.5 },
    };
    expect(earlierStageLines({ earlierStages: [shifted] })).toEqual([
      'bp02-q05: 12 epochs, 31 min (trained at class balance 0.2, its answers then read at 0.5: logit adjustment, Menon et al. 2021)',
    ]);
    expect(earlierStageLines({ earlierStages: [] })).toBeNull();
    expect(earlierStageLines({ earlierStages: null })).toBeNull();
    expect(earlierStageLines({})).toBeNull();
  });

  it('adds the earlier stages to the time in all, except for a weight average (already their sum)', () => {
    const earlierStages = [
      { run: 'p1-f0', epochs: 5, trainSeconds: 132.8 },
      { run: 'p3-fast', epochs: 13, trainSeconds: 167.9 },
    ];
    expect(trainingSecondsInAll({ seconds: 1135, earlierStages })).toBeCloseTo(1435.7, 6);
    expect(trainingSecondsInAll({ seconds: 1135, earlierStages: null })).toBe(1135);
    const soup = { ingredients: ['p1-f0', 'p3-fast'] };
    expect(trainingSecondsInAll({ seconds: 300.7, earlierStages, soup })).toBe(300.7);
  });

  it('says where and how fast the last run trained, leaving out what its log lacks', () => {
    const run = {
      seconds: 1135,
      hardware: 'AMD EPYC (2 cores)',
      epochsRun: 3,
      imagesPerSecond: 20.6,
    };
    expect(lastRunLine(run)).toBe(
      '19 min on AMD EPYC (2 cores), 3 epochs, 21 training images per second',
    );
    expect(lastRunLine({ ...run, epochsRun: 0, imagesPerSecond: null })).toBe(
      '19 min on AMD EPYC (2 cores)',
    );
  });

  it('names the ingredients of a weight average, and nothing for a trained network', () => {
    expect(soupLine({ soup: { ingredients: ['a', 'b', 'c'] } })).toBe(
      'the weights of a, b and c averaged weight by weight (a "model soup", Wortsman et al. 2022)',
    );
    expect(soupLine({ soup: { ingredients: ['a', 'b'] } })).toContain('of a and b averaged');
    expect(soupLine({ soup: { ingredients: [] } })).toBeNull();
    expect(soupLine({ soup: null })).toBeNull();
    expect(soupLine({})).toBeNull();
  });

  it("keeps a card's earlier stages through parsing", () => {
    const raw = JSON.parse(readFileSync(join('model', ids[0]!, 'card.json'), 'utf8'));
    const stage = {
      run: 'p1-f0',
      hardware: 'NVIDIA H200 (CUDA)',
      epochs: 5,
      trainSeconds: 132.8,
      imagesPerSecond: 635.7,
    };
    raw.training.earlierStages = [stage];
    expect(earlierStageLines(parseCard(raw).training)).toEqual([
      'p1-f0: 5 epochs, 2 min on NVIDIA H200 (CUDA), 636 training images per second',
    ]);
  });
});

describe('a timed reproduction on the card', () => {
  const reproduction = {
    command: 'npm run train:fast',
    machine: '2 cores, AMD EPYC 7B13',
    started: '2026-12-08T07:20:00Z',
    totalSeconds: 6725,
    measured: true,
    made: {
      dermoscopic: { accuracy: 0.7912, balancedAccuracy: 0.6011, macroAuc: 0.9388 },
      phone: { balancedAccuracy: 0.5213, malignantAuc: 0.8668 },
    },
  };

  it('says how long the command took from scratch and what the network it made scored', () => {
    expect(reproductionLine({ reproduction })).toBe(
      'npm run train:fast from scratch on 2 cores, AMD EPYC 7B13: 1 h 52 min in all (started ' +
        '2026-12-08); the network it made: dermoscopic test ACC 0.79, balanced 0.60, macro AUC ' +
        '0.94; phone photos balanced 0.52, malignant AUC 0.87.',
    );
  });

  it('says a measured run was resumed, and how its stopped epochs were counted', () => {
    const resumed = reproductionLine({ reproduction: { ...reproduction, stops: 2, made: null } });
    expect(resumed).toBe(
      'npm run train:fast from scratch on 2 cores, AMD EPYC 7B13: 1 h 52 min in all, resumed ' +
        'after 2 stops (epochs finished before a stop count by their own logged times) (started ' +
        '2026-12-08).',
    );
    expect(reproductionLine({ reproduction: { ...reproduction, stops: 1 } })).toContain(
      'resumed after a stop (',
    );
    expect(reproductionLine({ reproduction: { ...reproduction, stops: 0 } })).not.toContain(
      'resumed',
    );
  });

  it('calls a total with an untimed stop a lower bound, and says nothing without a reproduction', () => {
    const cut = reproductionLine({
      reproduction: { ...reproduction, measured: false, stops: 1, made: null },
    });
    expect(cut).toBe(
      'npm run train:fast on 2 cores, AMD EPYC 7B13: at least 1 h 52 min in all (a lower bound: ' +
        'a stopped stage went untimed, or a stage began from epochs run before) (started 2026-12-08).',
    );
    expect(reproductionLine({ reproduction: { ...reproduction, totalSeconds: 1500 } })).toContain(
      ': 25 min in all',
    );
    // 7,195 s rounds to 120 minutes: whole hours read without "0 min"
    expect(reproductionLine({ reproduction: { ...reproduction, totalSeconds: 7195 } })).toContain(
      ': 2 h in all',
    );
    expect(reproductionLine({ reproduction: null })).toBeNull();
    expect(reproductionLine({})).toBeNull();
  });

  it('refuses a reproduction record without its time', () => {
    const raw = JSON.parse(readFileSync(join('model', ids[0]!, 'card.json'), 'utf8'));
    raw.training.reproduction = { ...reproduction, totalSeconds: 'two hours' };
    expect(() => parseCard(raw)).toThrow('training.reproduction.totalSeconds');
    raw.training.reproduction = { ...reproduction, stops: -1 };
    expect(() => parseCard(raw)).toThrow('training.reproduction.stops');
    raw.training.reproduction = reproduction;
    expect(reproductionLine(parseCard(raw).training)).toContain('1 h 52 min');
  });
});

describe('drawing helpers', () => {
  it('formats a published number, a range, or nothing', () => {
    expect(formatReported(0.8123)).toBe('81.2%');
    expect(formatReported([0.82, 0.83])).toBe('82.0–83.0%');
    expect(formatReported(null)).toBe('–');
    expect(formatReported(0.947, 'auc')).toBe('0.947');
  });

  it('shades a confusion-matrix cell by its share of the row', () => {
    expect(cellShade(0, 10)).toBe(0);
    expect(cellShade(10, 10)).toBe(1);
    expect(cellShade(3, 0)).toBe(0);
  });

  it('places reliability bars on a 0..1 square, skipping empty bins', () => {
    const bars = barLayout(
      [
        { low: 0, high: 0.5, count: 0, confidence: null, accuracy: null },
        { low: 0.5, high: 1, count: 4, confidence: 0.8, accuracy: 0.5 },
      ],
      100,
    );
    expect(bars).toEqual([{ x: 50, width: 50, y: 50, height: 50, gapY: 20, count: 4 }]);
  });
});

describe('the plain summary', () => {
  const point = (sensitivity: number, specificity: number) => ({
    value: 0.3,
    sensitivity,
    specificity,
  });
  const metrics = (
    sensitivity: number,
    specificity: number,
    positives: number,
    negatives: number,
  ) => ({
    malignant: {
      positives,
      negatives,
      threshold: point(sensitivity, specificity),
      high: point(0.5, 0.99),
    },
  });
  it('says per 100 cancers and 100 harmless spots what was rated medium or high, phone photos first', () => {
    const card = {
      test: metrics(0.913, 0.824, 149, 1078),
      phone: {
        ...metrics(0.905, 0.7, 77, 27),
        classesPresent: ['akiec', 'bcc', 'bkl', 'mel', 'nv'],
      },
    } as unknown as ModelCard;
    const [phone, derm] = plainSummaries(card);
    expect(phone?.domain).toBe('phone');
    expect(phone?.sentence).toBe(
      'Of 100 skin cancers in testing on phone photos, it rated 91 as medium or high risk (so it missed 9); ' +
        'of 100 harmless spots it rated 30 that high.',
    );
    expect([derm?.cancersFlagged, derm?.harmlessFlagged, derm?.cancers, derm?.harmless]).toEqual([
      91, 18, 149, 1078,
    ]);
  });
  it('has only the dermoscopic line for a card without phone photos', () => {
    const card = { test: metrics(0.5, 0.5, 2, 2) } as unknown as ModelCard;
    expect(plainSummaries(card).map((s) => s.domain)).toEqual(['dermoscopic']);
  });
});

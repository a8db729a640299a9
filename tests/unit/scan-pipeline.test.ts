import { describe, expect, it } from 'vitest';
import type { OodSpec } from '../../src/shared/ood';
import { centreSquare, preprocessRgba, toModelInput } from '../../src/lib/image/preprocess';
import { ANALYSIS_SIZE, measureCrop } from '../../src/lib/image/quality/metrics';
import {
  checkQuality,
  framedInputs,
  judgedSize,
  modelInput,
  modelRgb,
  notASpot,
  preparePhoto,
  PREVIEW_SIZE,
  qualityGate,
  scanResult,
  type Photo,
} from '../../src/lib/scan/pipeline';
import { scanRecord } from '../../src/lib/scan/record';
import { reframedHint } from '../../src/lib/scan/steadiness';
import { LABELS, meta, prediction } from './fixtures/classification';
import { drawSpot, grey } from './quality-draw';

const photoOf = (rgba: Photo['rgba'], original = { width: rgba.width, height: rgba.height }) => ({
  rgba,
  original,
});

/** A 300 x 200 photo: skin, and a dark spot centred in its right-hand 200 x 200 square. */
function offCentreSpot(): Photo {
  const spot = drawSpot(200, 70);
  const data = new Uint8ClampedArray(300 * 200 * 4);
  for (let y = 0; y < 200; y++) {
    for (let x = 0; x < 300; x++) {
      const from = x >= 100 ? (y * 200 + (x - 100)) * 4 : (y * 200 + 5) * 4; // skin edge
      data.set(spot.data.subarray(from, from + 4), (y * 300 + x) * 4);
    }
  }
  return photoOf({ data, width: 300, height: 200 });
}

describe('scan pipeline: photo -> crop -> quality check -> model input', () => {
  it('prepares the centre square by default: analysis and preview crops, their metrics', () => {
    const photo = photoOf(drawSpot(200, 60));
    const prepared = preparePhoto(photo);
    expect(prepared.crop).toEqual(centreSquare(200, 200));
    expect(prepared.analysis).toEqual(preprocessRgba(photo.rgba, ANALYSIS_SIZE));
    expect(prepared.preview).toHaveLength(PREVIEW_SIZE * PREVIEW_SIZE * 3);
    expect(prepared.metrics).toEqual(measureCrop(prepared.analysis));
  });

  it('takes a proposed crop instead (the spot finder’s seam), for every step after it', () => {
    const photo = offCentreSpot();
    const centred = preparePhoto(photo);
    const onSpot = preparePhoto(photo, { x0: 100, y0: 0, side: 200 });
    expect(onSpot.analysis).toEqual(preprocessRgba(photo.rgba, ANALYSIS_SIZE, onSpot.crop));
    // The spot fills the proposed crop; the centre square cuts it and adds skin.
    expect(onSpot.metrics.coverage).toBeGreaterThan(centred.metrics.coverage);
    expect(modelInput(onSpot, 28)).toEqual(
      toModelInput(preprocessRgba(photo.rgba, 28, { x0: 100, y0: 0, side: 200 })),
    );
  });

  it('judges "small" on the photo for the centre square, on the crop for a proposed one', () => {
    const big = photoOf(drawSpot(200, 60), { width: 1000, height: 1000 }); // decoded at 1/5
    expect(judgedSize(preparePhoto(big))).toEqual({ width: 1000, height: 1000 });
    expect(judgedSize(preparePhoto(big, { x0: 10, y0: 10, side: 20 }))).toEqual({
      width: 100,
      height: 100,
    });
    const wide = photoOf(grey(300, 200, () => 128));
    expect(judgedSize(preparePhoto(wide))).toEqual({ width: 300, height: 200 });
  });

  it('passes a good photo, and words each problem for the model input size', () => {
    expect(checkQuality(preparePhoto(photoOf(drawSpot(200, 60))), 128)).toEqual({
      problems: [],
      hints: [],
    });
    const tiny = preparePhoto(photoOf(drawSpot(100, 30)));
    const check = checkQuality(tiny, 128);
    expect(check.problems).toContain('small');
    expect(check.hints[check.problems.indexOf('small')]).toMatch(
      /only 100 × 100 pixels.*128 × 128/,
    );
    // The 28 model looks at 28 x 28: a 100 px photo is not small for it.
    expect(checkQuality(tiny, 28).problems).not.toContain('small');
  });

  it('holds a photo with its preview, its problems and their hints', () => {
    const prepared = preparePhoto(photoOf(drawSpot(100, 30)));
    const check = checkQuality(prepared, 128);
    expect(qualityGate(prepared, check)).toEqual({ ...check, preview: prepared.preview });
  });

  it("reuses the analysis crop as the 128 model's input, and makes other sizes from the photo", () => {
    const photo = photoOf(drawSpot(200, 60));
    const prepared = preparePhoto(photo);
    expect(modelInput(prepared, 128)).toEqual(toModelInput(prepared.analysis));
    const small = modelInput(prepared, 28);
    expect(small).toHaveLength(28 * 28 * 3);
    expect(small).toEqual(toModelInput(preprocessRgba(photo.rgba, 28)));
    expect(Math.max(...small)).toBeLessThanOrEqual(1);
  });
});

describe('scan pipeline: prediction -> result -> stored record', () => {
  const prepared = preparePhoto(photoOf(drawSpot(100, 30)));
  const check = checkQuality(prepared, 128);

  it('makes the result to show: the preview, the findings as warnings, the heat map, not timed', () => {
    const result = scanResult(prediction, meta, prepared, check);
    expect(result).toEqual({
      prediction,
      meta,
      preview: prepared.preview,
      totalMs: null,
      quality: check.problems,
      warnings: check.hints,
      reframedBand: null,
      heatmap: prediction.heatmap,
    });
  });

  it('says the band is near a boundary when the crop framed tighter or wider reads a higher band', () => {
    // Shown: medium (0.3, between 0.2 and 0.5). A framing at 0.6 reads high: the hint names it.
    const higher = scanResult({ ...prediction, framedRisks: [0.1, 0.6] }, meta, prepared, check);
    expect(higher.warnings).toEqual([...check.hints, reframedHint('high')]);
    expect(higher.reframedBand).toBe('high');
    // Saved, the scan keeps it (history and report say so); a steady one stores nothing.
    expect(scanRecord(higher, { bodySite: '', note: '', spotId: null }, new Blob())).toMatchObject({
      band: 'medium',
      reframedBand: 'high',
    });
    expect(reframedHint('high')).toContain('reads High');
    // Framings that read lower or the same add nothing: that would only soften the warning.
    for (const framedRisks of [[0.1, 0.45], [0.05, 0.1], []]) {
      const steady = scanResult({ ...prediction, framedRisks }, meta, prepared, check);
      expect(steady.warnings, String(framedRisks)).toEqual(check.hints);
      const record = scanRecord(steady, { bodySite: '', note: '', spotId: null }, new Blob());
      expect(record).not.toHaveProperty('reframedBand');
    }
  });

  it('stores what the person saves: model, labels, risk band, timings, findings, details', () => {
    const result = { ...scanResult(prediction, meta, prepared, check), totalMs: 140 };
    const thumbnail = new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' });
    const details = { bodySite: 'Back', note: '  since May ', spotId: 'spot-1' };
    expect(scanRecord(result, details, thumbnail)).toEqual({
      thumbnail,
      modelId: 'ham10000-128',
      modelVersion: '2.0.0',
      labels: LABELS,
      labelNames: meta.labelNames,
      malignant: ['akiec', 'bcc', 'mel'],
      probabilities: prediction.probabilities,
      malignantRisk: 0.3,
      band: 'medium', // 0.3 is between this model's 0.2 and 0.5
      backend: 'wasm',
      timings: { inferenceMs: 12, totalMs: 140 },
      quality: check.problems,
      bodySite: 'Back',
      note: 'since May',
      spotId: 'spot-1',
    });
  });

  it('leaves out what was not given: no findings, no body site, a blank note, no spot', () => {
    const clean = checkQuality(preparePhoto(photoOf(drawSpot(200, 60))), 128);
    const result = scanResult(prediction, meta, prepared, clean);
    const record = scanRecord(result, { bodySite: '', note: '   ', spotId: null }, new Blob());
    for (const field of ['quality', 'bodySite', 'note', 'spotId']) {
      expect(record, field).not.toHaveProperty(field);
    }
    expect(record.timings).toEqual({ inferenceMs: 12, totalMs: null });
  });
});

describe('scan pipeline: the not-a-skin-spot check on a prediction', () => {
  const gate = {
    skinBox: { cb: [77, 127], cr: [133, 173] },
    thresholds: { maxDistance: 50, maxEnergy: -2, minSkinFraction: 0.5 },
  } as unknown as OodSpec;
  const spot = preparePhoto(photoOf(drawSpot(200, 60)));

  it("measures the skin share on the model's own input, at the model's size", () => {
    expect(modelRgb(spot, 128)).toBe(spot.analysis);
    expect(modelRgb(spot, 28)).toEqual(preprocessRgba(spot.photo.rgba, 28));
    expect(modelInput(spot, 28)).toEqual(toModelInput(modelRgb(spot, 28)));
  });

  const clean = { problems: [], hints: [] };

  it('lets a skin photo with near features through; refuses far features with the preview', () => {
    expect(notASpot(prediction, gate, modelRgb(spot, 128), spot, clean, [])).toBeNull();
    const far = { ...prediction, featureDistance: 51 };
    expect(notASpot(far, gate, modelRgb(spot, 128), spot, clean, [])).toEqual({
      preview: spot.preview,
      reasons: ['unlike-training-photos'],
      photoProblems: [],
      fromAfar: false,
    });
  });

  it('says a refused crop that is small in the photo was taken from afar, as a result would', () => {
    const far = { ...prediction, featureDistance: 51 };
    const large = photoOf(drawSpot(1000, 60));
    // A 150 px crop of a 1000 px photo: 0.15 of its short side, under AFAR_CROP_SHARE.
    const small = preparePhoto(large, { x0: 425, y0: 425, side: 150 });
    expect(notASpot(far, gate, modelRgb(small, 128), small, clean, [])?.fromAfar).toBe(true);
    const whole = preparePhoto(large);
    expect(notASpot(far, gate, modelRgb(whole, 128), whole, clean, [])?.fromAfar).toBe(false);
    // When the quality check already says the spot is small in the crop, that line says it.
    const farInCrop = { problems: ['far' as const], hints: ['far'] };
    expect(notASpot(far, gate, modelRgb(small, 128), small, farInCrop, [])?.fromAfar).toBe(false);
  });

  it("carries the quality check's problems of a photo analysed anyway into its refusal", () => {
    const blurred = { problems: ['blurred' as const], hints: ['blurred'] };
    const far = { ...prediction, featureDistance: 51 };
    expect(notASpot(far, gate, modelRgb(spot, 128), spot, blurred, [])?.photoProblems).toEqual([
      'blurred',
    ]);
    // A photo that passes is never refused because of its quality alone.
    expect(notASpot(prediction, gate, modelRgb(spot, 128), spot, blurred, [])).toBeNull();
  });

  it('refuses a photo with too little skin, and names every reason that applies', () => {
    const plain = preparePhoto(photoOf(grey(200, 200, () => 128)));
    expect(notASpot(prediction, gate, modelRgb(plain, 128), plain, clean, [])?.reasons).toEqual([
      'too-little-skin',
    ]);
    const far = { ...prediction, featureDistance: 1e6 };
    expect(notASpot(far, gate, modelRgb(plain, 128), plain, clean, [])?.reasons).toEqual([
      'unlike-training-photos',
      'too-little-skin',
    ]);
  });

  describe('with a tighter framing named by ood.json', () => {
    const framedGate = { ...gate, tighterFraming: 0.8 } as OodSpec;
    const framings = framedInputs(spot, 128);
    const far = { ...prediction, featureDistance: 51 };
    const near = { distance: 10, energy: -6 };

    it('lets the crop through when its tighter framing looks like a skin spot', () => {
      const framed = { ...far, framedEvidence: [near, { distance: 99, energy: -6 }] };
      expect(notASpot(framed, framedGate, modelRgb(spot, 128), spot, clean, framings)).toBeNull();
      // The same answer for a gate that reads the crop alone is a refusal.
      expect(notASpot(framed, gate, modelRgb(spot, 128), spot, clean, framings)).not.toBeNull();
    });

    it('reads the 0.8 framing, not the wider one', () => {
      const wider = { ...far, framedEvidence: [{ distance: 99, energy: -6 }, near] };
      expect(
        notASpot(wider, framedGate, modelRgb(spot, 128), spot, clean, framings)?.reasons,
      ).toEqual(['unlike-training-photos']);
    });

    it("measures the skin share on the framing's own input", () => {
      const plain = preparePhoto(photoOf(grey(200, 200, () => 128)));
      const skinny = framedInputs(spot, 128);
      const bothNear = { ...prediction, framedEvidence: [near, near] };
      // A grey crop whose tighter framing is skin passes the skin check; grey in both does not.
      const mixed = [skinny[0] as Float32Array, framedInputs(plain, 128)[1] as Float32Array];
      expect(notASpot(bothNear, framedGate, modelRgb(plain, 128), plain, clean, mixed)).toBeNull();
      expect(
        notASpot(bothNear, framedGate, modelRgb(plain, 128), plain, clean, framedInputs(plain, 128))
          ?.reasons,
      ).toEqual(['too-little-skin']);
    });

    it('fails loudly when the framing it names was not predicted', () => {
      const none = { ...far, framedEvidence: [] };
      expect(() => notASpot(none, framedGate, modelRgb(spot, 128), spot, clean, [])).toThrow(
        /0.8 framing/,
      );
    });
  });
});

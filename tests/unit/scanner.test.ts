import { describe, expect, it } from 'vitest';
import type { ModelMeta } from '../../src/shared/meta';
import type { OodSpec } from '../../src/shared/ood';
import type { Prediction } from '../../src/shared/protocol';
import { ImageInputError } from '../../src/lib/image/problems';
import type { ActiveModel } from '../../src/lib/inference/engine';
import { GateUnavailableError } from '../../src/lib/inference/models';
import { modelInput, preparePhoto } from '../../src/lib/scan/pipeline';
import {
  Scanner,
  type ImageSource,
  type ScanEngine,
  type ScanOutcome,
} from '../../src/lib/scan/scanner';
import { findSpotHere, type DisplayCopier, type SpotFinder } from '../../src/lib/scan/spot-step';
import { FRAMINGS } from '../../src/lib/scan/steadiness';
import { framedInput } from '../../src/lib/image/framed';
import { centreSquare } from '../../src/lib/image/preprocess';
import { cropBox, iou } from '../../src/lib/image/spot/crop';
import { farCopy } from '../../src/lib/image/spot/far';
import { drawSpot, grey } from './quality-draw';

/** The not-a-skin-spot gate's thresholds and skin box (the maths it uses is tested elsewhere). */
const GATE = {
  skinBox: { cb: [77, 127], cr: [133, 173] },
  thresholds: { maxDistance: 100, maxEnergy: 0, minSkinFraction: 0.3 },
} as unknown as OodSpec;

const model = (inputSize: number): ActiveModel =>
  ({
    meta: { id: `m${inputSize}`, inputSize, risk: { threshold: 0.2, high: 0.5 } } as ModelMeta,
    gate: GATE,
    loaded: {} as ActiveModel['loaded'],
    ttaDefault: null,
  }) as ActiveModel;

/** The model engine as the scanner sees it; predictions wait until `answer()` is called. */
class FakeEngine implements ScanEngine {
  active: ActiveModel | null = model(128);
  loadError: Error | null = null;
  /** The feature distance the worker reports (the gate's threshold here is 100). */
  distance = 10;
  readonly inputs: Float32Array[] = [];
  /** Called on each model() request (1, 2, ...) after the model it answers is fixed. */
  onModel: ((call: number) => void) | null = null;
  private calls = 0;
  private pending: (() => void)[] = [];
  private failures: ((error: Error) => void)[] = [];

  model(): Promise<ActiveModel> {
    const active = this.active;
    this.onModel?.(++this.calls);
    if (this.loadError) return Promise.reject(this.loadError);
    return active ? Promise.resolve(active) : Promise.reject(new Error('none'));
  }
  isActive(m: ActiveModel): boolean {
    return m === this.active;
  }
  /** The framings sent with each prediction. */
  readonly framings: (readonly Float32Array[])[] = [];
  classify(
    m: ActiveModel,
    input: Float32Array,
    signal: AbortSignal,
    framings: readonly Float32Array[],
  ): Promise<Prediction> {
    this.inputs.push(input);
    this.framings.push(framings);
    return new Promise((resolve, reject) => {
      signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      this.failures.push(reject);
      const featureDistance = this.distance;
      const prediction = { modelId: m.meta.id, inputId: 1, probabilities: [0.3, 0.7] };
      // An energy well inside the threshold: these tests steer the gate with the distance and the photo.
      const energy = -10;
      this.pending.push(() =>
        resolve({
          ...prediction,
          featureDistance,
          energy,
          framedRisks: [],
          // Every framing reads as the crop: the gate's answer is the crop's, tighter framing or not.
          framedEvidence: framings.map(() => ({ distance: featureDistance, energy })),
        } as unknown as Prediction),
      );
    });
  }
  /** Answers every prediction asked for so far, after letting the scanner reach its request. */
  async answer(): Promise<void> {
    await new Promise((r) => setTimeout(r, 0));
    for (const answer of this.pending.splice(0)) answer();
    this.failures = [];
  }
  /** Fails every prediction asked for so far with `error`, as the worker would. */
  async fail(error: Error): Promise<void> {
    await new Promise((r) => setTimeout(r, 0));
    for (const fail of this.failures.splice(0)) fail(error);
    this.pending = [];
  }
}

const pixels = (size: number, radius: number): ImageSource => ({
  kind: 'pixels',
  rgba: drawSpot(size, radius),
  startedAt: 0,
});

/**
 * The scanner with its crop step answered at once by "use the whole photo" (the centre square),
 * the crop every test below was written for; the crop step has its own tests at the end.
 */
class WholePhotoScanner extends Scanner {
  override async scan(source: ImageSource): Promise<ScanOutcome> {
    const outcome = await super.scan(source);
    if (outcome.kind !== 'crop') return outcome;
    const { width, height } = outcome.proposal.size;
    return (await this.useCrop(centreSquare(width, height))) ?? { kind: 'superseded' };
  }
}

/** A decoder for the tests' blobs: empty and 'broken' ones fail, others give a 100 px photo. */
function decoder(decoded: Blob[]) {
  return async (blob: Blob) => {
    decoded.push(blob);
    if (blob.size === 0) throw new ImageInputError('empty');
    if (blob.type === 'broken') throw new Error('no canvas');
    // A huge photo decoded small: 100 px here would be "small" if judged by the decoded copy.
    return { rgba: drawSpot(100, 30), original: { width: 4000, height: 4000 } };
  };
}

function setup() {
  const engine = new FakeEngine();
  const decoded: Blob[] = [];
  const scanner = new WholePhotoScanner(engine, decoder(decoded), findSpotHere);
  return { engine, scanner, decoded };
}

describe('Scanner: photo -> result, around the model engine', () => {
  it('classifies a clean photo at once: the crop at the model input size, then the result', async () => {
    const { engine, scanner } = setup();
    const scanning = scanner.scan(pixels(200, 60));
    await engine.answer();
    const outcome = await scanning;
    expect(outcome.kind).toBe('result');
    if (outcome.kind !== 'result') return;
    expect(outcome.result.quality).toEqual([]);
    expect(outcome.result.prediction.modelId).toBe('m128');
    expect(engine.inputs[0]).toEqual(
      modelInput(
        preparePhoto({ rgba: drawSpot(200, 60), original: { width: 200, height: 200 } }),
        128,
      ),
    );
  });

  it('decodes a file first, and judges its size by the original, not the decoded copy', async () => {
    const { engine, scanner, decoded } = setup();
    const blob = new Blob([new Uint8Array([1])], { type: 'image/jpeg' });
    const scanning = scanner.scan({ kind: 'blob', blob, startedAt: 0 });
    await engine.answer();
    const outcome = await scanning;
    expect(outcome.kind === 'result' && outcome.result.quality).toEqual([]);
    expect(decoded).toEqual([blob]);
  });

  it('holds a photo with problems at the gate; "analyse anyway" classifies it, warnings kept', async () => {
    const { engine, scanner } = setup();
    const held = await scanner.scan(pixels(100, 30));
    expect(held.kind).toBe('held');
    if (held.kind !== 'held') return;
    expect(held.gate.problems).toContain('small');
    expect(engine.inputs).toHaveLength(0); // nothing predicted before the person chooses
    expect(scanner.rerun()).toBeNull(); // a model or TTA change does not skip the gate
    const anyway = scanner.analyseAnyway();
    await engine.answer();
    const outcome = await anyway;
    expect(outcome?.kind === 'result' && outcome.result.warnings).toEqual(held.gate.hints);
    expect(scanner.analyseAnyway()).toBeNull(); // nothing held any more
  });

  it('"retake" forgets the held photo: nothing to analyse or rerun', async () => {
    const { scanner } = setup();
    expect((await scanner.scan(pixels(100, 30))).kind).toBe('held');
    scanner.retake();
    expect(scanner.analyseAnyway()).toBeNull();
    expect(scanner.rerun()).toBeNull();
  });

  it('checks "small" against the model that is loading: 100 px is small for 128, not for 28', async () => {
    const { engine, scanner } = setup();
    engine.active = model(28);
    const scanning = scanner.scan(pixels(100, 30));
    await engine.answer();
    const outcome = await scanning;
    expect(outcome.kind === 'result' && outcome.result.quality).toEqual([]);
    expect(engine.inputs[0]).toHaveLength(28 * 28 * 3);
  });

  it('runs the last photo again for a new model, from its prepared crop', async () => {
    const { engine, scanner } = setup();
    const first = scanner.scan(pixels(200, 60));
    await engine.answer();
    await first;
    engine.active = model(28);
    const again = scanner.rerun();
    await engine.answer();
    const outcome = await again;
    expect(outcome?.kind === 'result' && outcome.result.meta.id).toBe('m28');
    expect(engine.inputs.map((i) => i.length)).toEqual([128 * 128 * 3, 28 * 28 * 3]);
  });

  it('a newer photo supersedes the one being classified: its answer is dropped', async () => {
    const { engine, scanner } = setup();
    const older = scanner.scan(pixels(200, 60));
    await new Promise((r) => setTimeout(r, 0)); // the older photo's prediction is in flight
    const newer = scanner.scan(pixels(200, 50));
    expect(await older).toEqual({ kind: 'superseded' });
    await engine.answer();
    expect((await newer).kind).toBe('result');
  });

  it('a model switched while the photo waited for it: superseded (the switch runs it again)', async () => {
    const { engine, scanner } = setup();
    // The 2nd request is the prediction's: the model it waits for is replaced meanwhile.
    engine.onModel = (call) => {
      if (call === 2) engine.active = model(28);
    };
    const scanning = scanner.scan(pixels(200, 60));
    await engine.answer();
    expect(await scanning).toEqual({ kind: 'superseded' });
    expect(engine.inputs).toHaveLength(0);
  });

  it('a prediction whose model was replaced while it ran (another backend): superseded, not failed', async () => {
    const { engine, scanner } = setup();
    const first = scanner.scan(pixels(200, 60));
    await engine.answer();
    await first;
    const rerun = scanner.rerun();
    await new Promise((r) => setTimeout(r, 0)); // its prediction is in flight
    engine.active = model(128); // a new backend: the same model loaded again, a new ActiveModel
    await engine.fail(new Error('the worker was stopped'));
    expect(await rerun).toEqual({ kind: 'superseded' });
  });

  it('a prediction dropped as aborted (its client replaced) is superseded, never a failure', async () => {
    const { engine, scanner } = setup();
    const first = scanner.scan(pixels(200, 60));
    await engine.answer();
    await first;
    const rerun = scanner.rerun();
    await engine.fail(new DOMException('The inference client was replaced', 'AbortError'));
    expect(await rerun).toEqual({ kind: 'superseded' });
  });

  it('quick reruns (TTA, backend, TTA...): every one but the last is superseded, the last answers', async () => {
    const { engine, scanner } = setup();
    const first = scanner.scan(pixels(200, 60));
    await engine.answer();
    await first;
    const reruns = [scanner.rerun(), scanner.rerun()];
    engine.active = model(28); // another backend or model, while both wait
    reruns.push(scanner.rerun(), scanner.rerun());
    await engine.answer();
    const outcomes = await Promise.all(reruns);
    expect(outcomes.slice(0, 3)).toEqual([
      { kind: 'superseded' },
      { kind: 'superseded' },
      { kind: 'superseded' },
    ]);
    const last = outcomes[3];
    expect(last?.kind === 'result' && last.result.meta.id).toBe('m28');
  });

  it('says why a file cannot be used, and why reading or classifying failed', async () => {
    const { engine, scanner } = setup();
    expect(await scanner.scan({ kind: 'blob', blob: new Blob([]), startedAt: 0 })).toEqual({
      kind: 'unreadable',
      message: new ImageInputError('empty').message,
    });
    const broken = new Blob([new Uint8Array([1])], { type: 'broken' });
    expect(await scanner.scan({ kind: 'blob', blob: broken, startedAt: 0 })).toEqual({
      kind: 'failed',
      message: 'This image could not be read: no canvas',
    });
    engine.loadError = new Error('HTTP 404');
    // The check falls back to the analysis size; the prediction then needs the model.
    expect(await scanner.scan(pixels(200, 60))).toEqual({
      kind: 'failed',
      message: 'Classification failed: HTTP 404',
    });
  });
});

describe('Scanner: the not-a-skin-spot check, after the prediction and before any result', () => {
  /** Scans `source` with the worker reporting `distance`, answering the prediction. */
  async function scanned(source: ImageSource, distance: number) {
    const { engine, scanner } = setup();
    engine.distance = distance;
    const scanning = scanner.scan(source);
    await engine.answer();
    return { engine, scanner, outcome: await scanning };
  }

  it('refuses a photo far from the training photos: the refusal only, no result, no number', async () => {
    const { engine, outcome } = await scanned(pixels(200, 60), 250);
    expect(engine.inputs).toHaveLength(1); // judged on the worker's answer for this photo
    expect(outcome.kind).toBe('not-a-spot');
    if (outcome.kind !== 'not-a-spot') return;
    expect(outcome.refusal.reasons).toEqual(['unlike-training-photos']);
    const preview = preparePhoto({
      rgba: drawSpot(200, 60),
      original: { width: 200, height: 200 },
    }).preview;
    expect(outcome.refusal.preview).toEqual(preview);
    // Nothing of the prediction travels on: no result object, no probability, no risk.
    expect(Object.keys(outcome).sort()).toEqual(['kind', 'refusal']);
    // What the photo check found travels (it is the photo's, not the prediction's).
    expect(Object.keys(outcome.refusal).sort()).toEqual([
      'fromAfar',
      'photoProblems',
      'preview',
      'reasons',
    ]);
  });

  it('refuses a photo with too little skin in the model input, however close its features', async () => {
    // Flat blue: no skin tone at all (a screen, the sky). The quality check holds it first (dark,
    // no spot); "analyse anyway" must not get past the gate as the flower photo did.
    const blue = grey(200, 200, () => 0);
    for (let i = 0; i < blue.data.length; i += 4) blue.data.set([40, 60, 200], i);
    const { engine, scanner, outcome } = await scanned(
      { kind: 'pixels', rgba: blue, startedAt: 0 },
      1,
    );
    expect(outcome.kind).toBe('held');
    const anyway = scanner.analyseAnyway();
    await engine.answer();
    const refused = await anyway;
    expect(refused?.kind === 'not-a-spot' && refused.refusal.reasons).toEqual(['too-little-skin']);
  });

  it('lets a skin-spot photo within the thresholds through to the result', async () => {
    const { outcome } = await scanned(pixels(200, 60), 100);
    expect(outcome.kind).toBe('result');
  });

  it('refuses a NaN distance (broken features) rather than showing a result', async () => {
    const { outcome } = await scanned(pixels(200, 60), Number.NaN);
    expect(outcome.kind === 'not-a-spot' && outcome.refusal.reasons).toEqual([
      'unlike-training-photos',
    ]);
  });

  it('"retake" forgets a refused photo; another model judges it again', async () => {
    const refused = await scanned(pixels(200, 60), 250);
    expect(refused.outcome.kind).toBe('not-a-spot');
    // A model switch re-runs the refused photo, and that model's gate decides.
    refused.engine.active = model(28);
    refused.engine.distance = 5;
    const again = refused.scanner.rerun();
    await refused.engine.answer();
    expect((await again)?.kind).toBe('result');

    const { scanner } = await scanned(pixels(200, 60), 250);
    scanner.retake();
    expect(scanner.rerun()).toBeNull();
    expect(scanner.analyseAnyway()).toBeNull();
  });

  it('a photo held by the quality check and analysed anyway still meets the gate', async () => {
    const { engine, scanner } = setup();
    engine.distance = 250;
    expect((await scanner.scan(pixels(100, 30))).kind).toBe('held');
    const anyway = scanner.analyseAnyway();
    await engine.answer();
    expect((await anyway)?.kind).toBe('not-a-spot');
  });

  it('a model without a gate: says why it will not analyse, predicts nothing', async () => {
    const { engine, scanner } = setup();
    engine.loadError = new GateUnavailableError('bare');
    const outcome = await scanner.scan(pixels(200, 60));
    expect(outcome).toEqual({ kind: 'failed', message: new GateUnavailableError('bare').message });
    expect(engine.inputs).toHaveLength(0);
  });
});

/** A 600 x 800 photo of skin with the drawn spot small and off-centre (up and to the right). */
const far = farCopy(drawSpot(200, 60), {
  width: 600,
  height: 800,
  side: 150,
  centre: { x: 420, y: 250 },
});
const farSource: ImageSource = { kind: 'pixels', rgba: far.image, startedAt: 0 };

describe('Scanner: the crop step between the photo and its analysis', () => {
  const plainSkin: ImageSource = { kind: 'pixels', rgba: drawSpot(300, 0), startedAt: 0 };

  function cropSetup(findSpot: SpotFinder = findSpotHere) {
    const engine = new FakeEngine();
    return { engine, scanner: new Scanner(engine, decoder([]), findSpot) };
  }

  it('a new photo stops at the crop step with the proposal: nothing measured or predicted', async () => {
    const { engine, scanner } = cropSetup();
    const outcome = await scanner.scan(farSource);
    expect(outcome.kind).toBe('crop');
    if (outcome.kind !== 'crop') return;
    const { proposal } = outcome;
    expect(proposal.size).toEqual({ width: 600, height: 800 });
    expect(proposal.spot.found).toBe(true);
    expect(iou(cropBox(proposal.crop), far.square)).toBeGreaterThan(0.3);
    expect(proposal.display).toBeNull(); // no display copy in Node
    expect(engine.inputs).toHaveLength(0);
    expect(scanner.rerun()).toBeNull();
    expect(scanner.analyseAnyway()).toBeNull();
  });

  it('the accepted crop is what the quality check and the model see', async () => {
    const { engine, scanner } = cropSetup();
    const outcome = await scanner.scan(farSource);
    if (outcome.kind !== 'crop') throw new Error(outcome.kind);
    const crop = outcome.proposal.crop;
    const using = scanner.useCrop(crop);
    await engine.answer();
    const done = await using;
    expect(done?.kind).toBe('result');
    const photo = { rgba: far.image, original: { width: 600, height: 800 } };
    expect(engine.inputs[0]).toEqual(modelInput(preparePhoto(photo, crop), 128));
    // With it, the same crop framed 20% tighter and 25% wider, for the steadiness check.
    expect(engine.framings[0]).toEqual(
      FRAMINGS.map((scale) => framedInput(photo.rgba, crop, scale, 128)),
    );
    expect(engine.framings[0]?.[1]).not.toEqual(engine.inputs[0]);
    expect(scanner.useCrop(crop)).toBeNull(); // the crop step is over
  });

  it('no clear spot: the centre square is proposed, and said to be a guess', async () => {
    const { scanner } = cropSetup();
    const outcome = await scanner.scan(plainSkin);
    if (outcome.kind !== 'crop') throw new Error(outcome.kind);
    expect(outcome.proposal.spot.found).toBe(false);
    expect(outcome.proposal.crop).toEqual(centreSquare(300, 300));
  });

  it('"cancel" forgets the photo: its crop can no longer be analysed', async () => {
    const { engine, scanner } = cropSetup();
    const outcome = await scanner.scan(farSource);
    if (outcome.kind !== 'crop') throw new Error(outcome.kind);
    scanner.cancelCrop();
    expect(scanner.useCrop(outcome.proposal.crop)).toBeNull();
    expect(engine.inputs).toHaveLength(0);
  });

  it('a newer photo replaces the one at the crop step', async () => {
    const { scanner } = cropSetup();
    const older = await scanner.scan(farSource);
    if (older.kind !== 'crop') throw new Error(older.kind);
    const newer = await scanner.scan(plainSkin);
    expect(newer.kind === 'crop' && newer.proposal.size).toEqual({ width: 300, height: 300 });
    const { scanner: other } = cropSetup();
    const first = other.scan(farSource);
    const second = other.scan(plainSkin);
    expect(await first).toEqual({ kind: 'superseded' }); // replaced while its spot was looked for
    expect((await second).kind).toBe('crop');
  });

  it('a new photo at the crop step takes the last result away from a change of model', async () => {
    const { engine, scanner } = cropSetup();
    const first = await scanner.scan(farSource);
    if (first.kind !== 'crop') throw new Error(first.kind);
    const using = scanner.useCrop(first.proposal.crop);
    await engine.answer();
    expect((await using)?.kind).toBe('result');
    expect((await scanner.scan(plainSkin)).kind).toBe('crop');
    expect(scanner.rerun()).toBeNull(); // the old result would read as this photo's
  });

  it('a crop outside the photo, or a spot finder that fails, is said in words', async () => {
    const { scanner } = cropSetup();
    await scanner.scan(farSource);
    const outside = await scanner.useCrop({ x0: 500, y0: 0, side: 200 });
    expect(outside?.kind).toBe('failed');
    const broken = cropSetup(() => Promise.reject(new Error('worker gone')));
    expect(await broken.scanner.scan(farSource)).toEqual({
      kind: 'failed',
      message: 'This image could not be read: worker gone',
    });
  });
});

describe('Scanner: "crop again" after a refused or held square', () => {
  const photo = { rgba: far.image, original: { width: 600, height: 800 } };
  const whole = centreSquare(600, 800);

  /** A scanner whose crop step got "use the whole photo", refused by the gate (distance 250). */
  async function refused(displayCopy?: DisplayCopier) {
    const engine = new FakeEngine();
    const scanner = new Scanner(engine, decoder([]), findSpotHere, displayCopy);
    const first = await scanner.scan(farSource);
    if (first.kind !== 'crop') throw new Error(first.kind);
    engine.distance = 250;
    const using = scanner.useCrop(whole);
    await engine.answer();
    expect((await using)?.kind).toBe('not-a-spot');
    return { engine, scanner, proposal: first.proposal };
  }

  it('brings the photo back at the crop step from the refused square; a tighter one is judged anew', async () => {
    const { engine, scanner, proposal } = await refused();
    const again = await scanner.recrop();
    expect(again?.kind).toBe('crop');
    if (again?.kind !== 'crop') return;
    expect(again.proposal).toEqual({ ...proposal, crop: whole, again: 'refused' });
    expect(scanner.rerun()).toBeNull(); // the refused square is no longer the last photo's answer
    // The square round the spot this time, and the gate passes it: that square is what is judged.
    const tighter = proposal.crop;
    expect(tighter.side).toBeLessThan(whole.side);
    engine.distance = 10;
    const using = scanner.useCrop(tighter);
    await engine.answer();
    expect((await using)?.kind).toBe('result');
    expect(engine.inputs).toHaveLength(2);
    expect(engine.inputs[1]).toEqual(modelInput(preparePhoto(photo, tighter), 128));
    expect(await scanner.recrop()).toBeNull(); // the last photo has a result, nothing refused
  });

  it('after a square held by the photo check too: the square chosen then is checked anew', async () => {
    const { engine, scanner } = setup();
    // 100 px: "small" for the 128 px model, so the photo check holds it.
    const held = await scanner.scan(pixels(100, 30));
    expect(held.kind).toBe('held');
    const again = await scanner.recrop();
    if (again?.kind !== 'crop') throw new Error(String(again?.kind));
    expect(again.proposal.again).toBe('held');
    expect(again.proposal.crop).toEqual(centreSquare(100, 100));
    expect(scanner.analyseAnyway()).toBeNull(); // the held square no longer waits
    const checked = await scanner.useCrop(again.proposal.crop);
    expect(checked?.kind === 'held' && checked.gate.problems).toContain('small');
    expect(engine.inputs).toHaveLength(0); // nothing predicted for a held square
  });

  it('only after a refused or held square: not after a result, a retake, or with no photo', async () => {
    const engine = new FakeEngine();
    const scanner = new Scanner(engine, decoder([]), findSpotHere);
    expect(scanner.recrop()).toBeNull();
    const first = await scanner.scan(farSource);
    if (first.kind !== 'crop') throw new Error(first.kind);
    expect(scanner.recrop()).toBeNull(); // at the crop step itself
    const using = scanner.useCrop(first.proposal.crop);
    await engine.answer();
    expect((await using)?.kind).toBe('result');
    expect(scanner.recrop()).toBeNull();

    const { scanner: retaken } = await refused();
    retaken.retake();
    expect(retaken.recrop()).toBeNull();
  });

  it('"cancel" at the crop step again forgets the photo; a newer photo or "retake" supersedes its display copy', async () => {
    const { engine, scanner } = await refused();
    const again = await scanner.recrop();
    if (again?.kind !== 'crop') throw new Error(String(again?.kind));
    scanner.cancelCrop();
    expect(scanner.useCrop(again.proposal.crop)).toBeNull();
    expect(engine.inputs).toHaveLength(1);

    // The display copy is made while a newer photo comes in: it is closed, the old photo dropped.
    let release: () => void = () => undefined;
    const closed: boolean[] = [];
    const bitmap = { close: () => closed.push(true) } as unknown as ImageBitmap;
    const slow: DisplayCopier = () =>
      new Promise((resolve) => {
        release = () => resolve(bitmap);
      });
    const late = await refused(slow);
    const pending = late.scanner.recrop();
    const newer = late.scanner.scan(farSource);
    release();
    expect(await pending).toEqual({ kind: 'superseded' });
    expect(closed).toEqual([true]);
    expect((await newer).kind).toBe('crop');

    // "Retake" pressed while it is made: the crop step never comes up, nothing waits there.
    const retaken = await refused(slow);
    const dropped = retaken.scanner.recrop();
    retaken.scanner.retake();
    release();
    expect(await dropped).toEqual({ kind: 'superseded' });
    expect(closed).toEqual([true, true]);
    expect(retaken.scanner.useCrop(whole)).toBeNull();
  });

  it('a display copy that fails is said in words', async () => {
    const { scanner } = await refused(() => Promise.reject(new Error('no memory')));
    expect(await scanner.recrop()).toEqual({
      kind: 'failed',
      message: 'The photo could not be shown again: no memory',
    });
  });
});

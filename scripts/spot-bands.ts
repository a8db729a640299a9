/**
 * Does cropping to the spot give a far-away photo its close-up's answer? (npm run spot:bands)
 * For close-ups (HAM10000 test-split images, PAD-UFES-20 phone photos) shrunk off-centre into a
 * 1200 x 1600 frame of skin (farCopy, placed as in spot-fill.ts), it runs the app's scan path in
 * Node: findSpot -> the proposed crop -> preparePhoto / modelInput (src/lib/scan/pipeline.ts, the
 * app's preprocessing) -> the shipped accurate model in TF.js (wasm backend, as the app here; one
 * view: no TTA) -> softmax(logits / T) -> malignant risk -> risk band at the model's thresholds.
 * It compares:
 * - the crop with where the close-up was put (IoU with its centre square);
 * - the far copy's band with the close-up's own (its centre square, as the model was trained),
 *   and with the centre square of the frame (the app before the crop step);
 * - every copy that gets a LOWER band than its close-up: whether the app would have said so
 *   (the photo-quality check's hints on the crop, no clear spot found, taken from afar, or a
 *   higher band when the crop is framed tighter or wider: steadiness.ts);
 * - how often the not-a-skin-spot gate (the model's ood.json, the worker's maths, with the tighter
 *   framing ood.json may name, as pipeline.gateEvidence) refuses the close-up and the far copy: a refused photo shows no band, so it counts as neither the same
 *   band nor a lower one.
 * Writes docs/spot-bands-report.json (`npm run spot:bands:fast`: the fast model's,
 * docs/spot-bands-fast-report.json). Reads ../shared/data; writes no image. A quick trial:
 * SPOT_BANDS_HAM=20 SPOT_BANDS_PAD=20 SPOT_BANDS_REPORT=/tmp/bands.json npm run spot:bands.
 * To choose between candidate models on held-out photos only: SPOT_BANDS_PAD_FOLD=select (one of
 * the PAD-UFES-20 folds in training/splits; HAM10000 is then left out) and SPOT_BANDS_MODEL_DIR /
 * SPOT_BANDS_MODEL (a model exported outside model/); SPOT_BANDS_PLACEMENTS=5 gives each photo five
 * far copies instead of one, for less noise on a small fold.
 * For analyses: SPOT_BANDS_DUMP=<file> writes every copy's answers (class probabilities, gate,
 * hints, crop and where the close-up's square went); SPOT_BANDS_CROP=placed crops each far copy
 * exactly where its close-up's centre square went (an oracle no finder can know: how much of the
 * change is the crop's); SPOT_BANDS_HAM_SPLIT picks the DermaMNIST-C split of the HAM10000 sample;
 * SPOT_BANDS_FILL / SPOT_BANDS_FAR_FILL try other margins (FAR_FILL 'none': SPOT_BANDS_FILL for
 * every crop, as before the far margin); SPOT_BANDS_DRAW=n makes a fresh draw of far copies, to
 * judge on copies nobody has looked at what was chosen on the report's.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { basename, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { softmax } from '../src/shared/math';
import { parseMeta, type ModelMeta } from '../src/shared/meta';
import { malignantRisk, riskBand, type RiskBand } from '../src/shared/risk';
import { centreSquare, type SquareCrop } from '../src/lib/image/preprocess';
import { cropBox, iou, type PixelBox } from '../src/lib/image/spot/crop';
import { AFAR_CROP_SHARE, cropShare } from '../src/lib/image/spot/afar';
import { farCopy } from '../src/lib/image/spot/far';
import { findSpot } from '../src/lib/image/spot/find';
import { FAR_SPOT_FILL_SIDE, SPOT_FILL_SIDE } from '../src/lib/image/spot/margin';
import {
  checkQuality,
  framedInputs,
  modelInput,
  preparePhoto,
  type Photo,
  type PreparedPhoto,
} from '../src/lib/scan/pipeline';
import {
  eitherFraming,
  notASpotReasons,
  skinFraction,
  type GateEvidence,
} from '../src/lib/gate/not-a-spot';
import { parseOod, type OodSpec, type OodThresholds } from '../src/shared/ood';
import { forward, withFeatures } from '../src/worker/classifier';
import { featureDistance, readFeatureStats, type FeatureStats } from '../src/worker/ood';
import { proposedCrop } from '../src/lib/scan/spot-step';
import { higherBandWhenReframed } from '../src/lib/scan/steadiness';
import { loadNodeModel } from '../tests/unit/tfjs-node-model';
import { prng } from './quality/degrade';
import { framedInput } from '../src/lib/image/framed';
import {
  decode,
  farPlacements,
  FRAME,
  type FarPlacement,
  HAM,
  hamIds,
  PAD,
  padFiles,
  quartiles,
  ROOT,
  round,
  SEED,
  share,
} from './spot-data';

/**
 * What the far copies keep round the spot (SPOT_BANDS_SURROUND, far.ts): 'faded' (default, the
 * inscribed ellipse only) or 'kept' (the whole close-up, as a photo from further away; its own
 * report, docs/spot-bands-kept-report.json).
 */
const SURROUND = ((): 'faded' | 'kept' => {
  const value = process.env['SPOT_BANDS_SURROUND'] ?? 'faded';
  if (value !== 'faded' && value !== 'kept')
    throw new Error("SPOT_BANDS_SURROUND must be 'faded' or 'kept'");
  return value;
})();
const OUT = resolve(
  process.env['SPOT_BANDS_REPORT'] ??
    join(ROOT, `docs/spot-bands${SURROUND === 'kept' ? '-kept' : ''}-report.json`),
);
const HAM_COUNT = Number(process.env['SPOT_BANDS_HAM'] ?? 200);
const PAD_LIMIT = Number(process.env['SPOT_BANDS_PAD'] ?? Infinity);
const MODEL_DIR = resolve(process.env['SPOT_BANDS_MODEL_DIR'] ?? join(ROOT, 'model'));
/** Only the PAD-UFES-20 photos of this fold of training/splits/pad_ufes_20.csv (default: all). */
const PAD_FOLD = process.env['SPOT_BANDS_PAD_FOLD'];
/** The crop margin to try (default: the app's, SPOT_FILL_SIDE). */
const FILL = Number(process.env['SPOT_BANDS_FILL'] ?? SPOT_FILL_SIDE);
/** Where to write every copy's answers, for analyses (SPOT_BANDS_DUMP; none by default). */
const DUMP = process.env['SPOT_BANDS_DUMP'];
/** SPOT_BANDS_CROP=placed: crop each far copy where its close-up's centre square went (an oracle). */
const PLACED_CROP = process.env['SPOT_BANDS_CROP'] === 'placed';
/** The DermaMNIST-C split of the HAM10000 sample (SPOT_BANDS_HAM_SPLIT, default test). */
const HAM_SPLIT = process.env['SPOT_BANDS_HAM_SPLIT'] ?? 'test';
/** The margin for a spot from afar (SPOT_BANDS_FAR_FILL; 'none': FILL for every crop). */
const FAR_FILL = ((): number | null => {
  const value = process.env['SPOT_BANDS_FAR_FILL'];
  if (value === 'none') return null;
  return value === undefined ? FAR_SPOT_FILL_SIDE : Number(value);
})();
/**
 * Framings whose answers are averaged (SPOT_BANDS_VIEWS, e.g. "0.8,1,1.25": crop sides relative
 * to the proposed crop, src/lib/image/framed.ts); default "1", the app's one view. The gate always judges
 * the view at 1, as the app does.
 */
const VIEWS = (process.env['SPOT_BANDS_VIEWS'] ?? '1').split(',').map(Number);
/**
 * Far copies of each close-up (SPOT_BANDS_PLACEMENTS, default 1). The first is always spot-fill's
 * placement; the others come from a second seeded stream, so that comparing models on one small
 * fold (98 PAD-UFES-20 selection photos) rests on more copies: on one copy each, two runs of one
 * recipe differed by 9 points of band agreement (training/EXPERIMENTS.md, eighteenth session).
 */
const PLACEMENTS = Number(process.env['SPOT_BANDS_PLACEMENTS'] ?? 1);
/**
 * A fresh draw of far copies (SPOT_BANDS_DRAW=n, default 0: the report's copies): placement
 * streams and frame seeds of their own, so that a threshold fitted on the report's copies can be
 * judged on copies nobody has looked at (training/EXPERIMENTS.md, thirty-fourth session).
 */
const DRAW = Number(process.env['SPOT_BANDS_DRAW'] ?? 0);
if (!Number.isInteger(DRAW) || DRAW < 0)
  throw new Error('SPOT_BANDS_DRAW must be a whole number >= 0');
if (!Number.isInteger(PLACEMENTS) || PLACEMENTS < 1)
  throw new Error('SPOT_BANDS_PLACEMENTS must be a whole number >= 1');
if (!VIEWS.includes(1) || VIEWS.some((v) => !(v > 0)))
  throw new Error('SPOT_BANDS_VIEWS must include 1');
/** Same-band share the issue asks for. */
const TARGET = 0.85;
const BAND_RANK: Record<RiskBand, number> = { low: 0, medium: 1, high: 2 };

/** The shipped model whose meta says role "accurate" (else the largest input), or MODEL_ID's. */
function accurateModel(): { dir: string; meta: ModelMeta } {
  const ids = readdirSync(MODEL_DIR).filter((id) => existsSync(join(MODEL_DIR, id, 'meta.json')));
  const metas = ids.map((id) =>
    parseMeta(JSON.parse(readFileSync(join(MODEL_DIR, id, 'meta.json'), 'utf8'))),
  );
  const wanted = process.env['SPOT_BANDS_MODEL'];
  const meta = wanted
    ? metas.find((m) => m.id === wanted)
    : (metas.find((m) => m.role === 'accurate') ??
      [...metas].sort((a, b) => b.inputSize - a.inputSize)[0]);
  if (!meta) throw new Error(`no model${wanted ? ` ${wanted}` : ''} in ${MODEL_DIR}`);
  return { dir: join(MODEL_DIR, meta.id), meta };
}

interface Answer {
  readonly risk: number;
  readonly band: RiskBand;
  readonly top1: string;
  /** Whether the not-a-skin-spot gate refuses it (the app then shows no band at all). */
  readonly refused: boolean;
  /** The class probabilities (softmax at the model's temperature). */
  readonly p: readonly number[];
  /** The gate's evidence on this input alone. */
  readonly evidence: GateEvidence;
}

/** One answer from several framings of one input: mean probabilities, the gate of the view at 1. */
function averaged(views: readonly Answer[], meta: ModelMeta): Answer {
  const p = meta.labels.map(
    (_, k) => views.reduce((sum, a) => sum + (a.p[k] ?? 0), 0) / views.length,
  );
  const risk = malignantRisk(p, meta);
  const top = p.indexOf(Math.max(...p));
  const own = views[VIEWS.indexOf(1)] as Answer;
  return {
    risk,
    band: riskBand(risk, meta.risk),
    top1: meta.labels[top] ?? '?',
    refused: own.refused,
    p,
    evidence: own.evidence,
  };
}

/** The model with its gate: the worker's two-output network and the statistics it measures. */
interface Gated {
  readonly net: LayersModel;
  readonly spec: OodSpec;
  readonly stats: FeatureStats;
}

function loadGated(model: LayersModel, dir: string): Gated {
  const spec = parseOod(JSON.parse(readFileSync(join(dir, 'ood.json'), 'utf8')));
  const bin = readFileSync(join(dir, spec.file.path));
  const stats = readFeatureStats(
    spec,
    bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
  );
  return { net: withFeatures(model, spec), spec, stats };
}

/** The model's answer for each input, as the app computes it (one view, no TTA). */
function answers(gated: Gated, meta: ModelMeta, inputs: Float32Array[]): Answer[] {
  const n = meta.inputSize;
  const batch = new Float32Array(inputs.length * n * n * 3);
  inputs.forEach((x, i) => batch.set(x, i * n * n * 3));
  const x = tf.tensor4d(batch, [inputs.length, n, n, 3]);
  const [features, logits, energy] = forward(gated.net, x, false);
  const rows = logits.arraySync();
  const pooled = features.dataSync() as Float32Array;
  const energies = energy.dataSync();
  tf.dispose([x, features, logits, energy]);
  const channels = gated.spec.channels;
  return rows.map((row, i) => {
    const p = softmax(row, meta.temperature);
    const risk = malignantRisk(p, meta);
    const top = p.indexOf(Math.max(...p));
    // The skin share on the model's input as uint8, as the page measures it (pipeline.notASpot).
    const rgb = Uint8Array.from(inputs[i] as Float32Array, (v) => Math.round(v * 255));
    const evidence = {
      distance: featureDistance(gated.stats, pooled.subarray(i * channels, (i + 1) * channels)),
      energy: energies[i] as number,
      skinFraction: skinFraction(rgb, gated.spec.skinBox),
    };
    const refused = notASpotReasons(evidence, gated.spec.thresholds).length > 0;
    return {
      risk,
      band: riskBand(risk, meta.risk),
      top1: meta.labels[top] ?? '?',
      refused,
      p,
      evidence,
    };
  });
}

interface Copy {
  readonly image: string;
  readonly found: boolean;
  readonly reason: string | null;
  readonly iou: number;
  /** The accepted crop, and where the close-up's own centre square went (frame pixels). */
  readonly crop: SquareCrop;
  readonly square: PixelBox;
  readonly closeUp: Answer;
  /** The close-up as the app would analyse it: with the crop the finder proposes on it. */
  readonly closeUpInApp: Answer;
  /** The far copy with the finder's crop (the crop step's default, accepted as is). */
  readonly cropped: Answer;
  /** The far copy's centre square: the app before the crop step. */
  readonly centre: Answer;
  /** The photo-quality check's problems on the accepted crop. */
  readonly quality: readonly string[];
  /** The accepted crop's side over the frame's short side (afar.ts). */
  readonly share: number;
  /** The higher band the far copy's crop reads framed tighter or wider (steadiness.ts), if any. */
  readonly reframedHigher: RiskBand | null;
  /** The same for the close-up as the app would crop it. */
  readonly closeUpReframedHigher: RiskBand | null;
  /** The same for the close-up as the app would crop it. */
  readonly closeUpShare: number;
  /** How the close-up was blended into the frame (far.ts): by the surround, and its border. */
  readonly mask: 'ellipse' | 'rectangle';
}

/** Whether a PAD-UFES-20 photo file is in `fold` of the committed patient-grouped folds (all if unset). */
function padFold(fold: string | undefined): (file: string) => boolean {
  if (!fold) return () => true;
  const ids = new Set(
    readFileSync(join(ROOT, 'training/splits/pad_ufes_20.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','))
      .filter((row) => row[2] === fold)
      .map((row) => row[0] as string),
  );
  if (ids.size === 0) throw new Error(`no PAD-UFES-20 fold "${fold}" in training/splits`);
  return (file) => ids.has(basename(file).replace(/\.[^.]+$/, ''));
}

/** One close-up: its own answer, and its far copy's with the proposed crop and the centre square. */
function measure(file: string, where: FarPlacement, gated: Gated, meta: ModelMeta): Copy {
  const closeUp = decode(file);
  const { side, centre, seed } = where;
  const copy = farCopy(closeUp, { ...FRAME, side, centre, seed, surround: SURROUND });
  const spot = findSpot(copy.image, { fill: FILL, farFill: FAR_FILL });
  const size = { ...FRAME };
  // SPOT_BANDS_CROP=placed: the square where the close-up's own centre square went (an oracle
  // crop no finder can know; it says how much of the change is the finder's framing).
  const crop = PLACED_CROP
    ? { x0: copy.square.x, y0: copy.square.y, side: copy.square.width }
    : proposedCrop(spot, size);
  const photo: Photo = { rgba: copy.image, original: { ...FRAME } };
  const cropped = preparePhoto(photo, crop);
  const own: Photo = {
    rgba: closeUp,
    original: { width: closeUp.width, height: closeUp.height },
  };
  const closeUpCrop = proposedCrop(findSpot(closeUp, { fill: FILL, farFill: FAR_FILL }), closeUp);
  const n = meta.inputSize;
  /** The model's inputs for every view of one prepared crop (the view at 1 exactly as the app's). */
  const views = (prepared: PreparedPhoto): Float32Array[] =>
    VIEWS.map((v) =>
      v === 1 ? modelInput(prepared, n) : framedInput(prepared.photo.rgba, prepared.crop, v, n),
    );
  const crops: PreparedPhoto[] = [
    preparePhoto(own),
    preparePhoto(own, closeUpCrop),
    cropped,
    preparePhoto(photo, centreSquare(FRAME.width, FRAME.height)),
  ];
  // The app's steadiness check (steadiness.ts): the accepted crops framed tighter and wider.
  const framed = [crops[1], cropped].flatMap((prepared) =>
    framedInputs(prepared as PreparedPhoto, n),
  );
  // The gate's tighter framing of each crop, when ood.json names one (the app's pipeline.gateEvidence).
  const framing = gated.spec.tighterFraming;
  const tighter = framing
    ? crops.map((prepared) => framedInput(prepared.photo.rgba, prepared.crop, framing, n))
    : [];
  const flat = answers(gated, meta, [...crops.flatMap(views), ...framed, ...tighter]);
  const tighterAnswers = flat.splice(flat.length - tighter.length, tighter.length);
  const [closeAnswer, inAppAnswer, croppedAnswer, centreAnswer] = crops.map((_, i) => {
    const answer = averaged(flat.slice(i * VIEWS.length, (i + 1) * VIEWS.length), meta);
    const framedAnswer = tighterAnswers[i];
    if (!framedAnswer) return answer;
    const evidence = eitherFraming(answer.evidence, framedAnswer.evidence);
    return {
      ...answer,
      refused: notASpotReasons(evidence, gated.spec.thresholds).length > 0,
      evidence,
    };
  }) as [Answer, Answer, Answer, Answer];
  const framedRisks = flat.slice(crops.length * VIEWS.length).map((a) => a.risk);
  const half = framedRisks.length / 2;
  const higher = (a: Answer, risks: number[]) => higherBandWhenReframed(a.band, risks, meta.risk);
  return {
    image: basename(file),
    found: spot.found,
    reason: spot.found ? null : spot.reason,
    iou: iou(cropBox(crop), copy.square),
    crop,
    square: copy.square,
    closeUp: closeAnswer,
    closeUpInApp: inAppAnswer,
    cropped: croppedAnswer,
    centre: centreAnswer,
    quality: checkQuality(cropped, n).problems,
    share: cropShare(crop, FRAME.width, FRAME.height),
    closeUpShare: cropShare(closeUpCrop, closeUp.width, closeUp.height),
    reframedHigher: higher(croppedAnswer, framedRisks.slice(half)),
    closeUpReframedHigher: higher(inAppAnswer, framedRisks.slice(0, half)),
    mask: copy.mask,
  };
}

/** The p-th percentile (0-100) by the nearest rank. */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** Whether both answers were shown (neither refused by the not-a-skin-spot gate). */
const both = (a: Answer, b: Answer): boolean => !a.refused && !b.refused;

const lower = (a: Answer, reference: Answer): boolean =>
  BAND_RANK[a.band] < BAND_RANK[reference.band];

/** Share of the inputs each check of the gate alone would refuse (a refusal can have several). */
function refusedByCheck(evidence: readonly GateEvidence[], t: OodThresholds) {
  return {
    distance: share(evidence.map((e) => !(e.distance <= t.maxDistance))),
    energy: share(evidence.map((e) => !(e.energy <= t.maxEnergy))),
    skinShare: share(evidence.map((e) => !(e.skinFraction >= t.minSkinFraction))),
  };
}

function summarise(copies: readonly Copy[], afarShare: number, thresholds: OodThresholds) {
  /** Whether the result carries the "taken from afar" hint (afar.ts) at that threshold. */
  const afar = (c: Copy): boolean => c.share < afarShare;
  /** Any hint: the quality check's, no clear spot, taken from afar, or a higher band reframed. */
  const hinted = (c: Copy): boolean =>
    c.quality.length > 0 || !c.found || afar(c) || c.reframedHigher !== null;
  // A refused photo shows no band: it is neither the same band nor a lower one.
  const shown = (c: Copy): boolean => both(c.cropped, c.closeUp);
  const drops = copies.filter((c) => shown(c) && lower(c.cropped, c.closeUp));
  const bands = (pick: (c: Copy) => Answer) => {
    const counts: Record<string, number> = {};
    for (const c of copies) {
      const key = `${c.closeUp.band}->${pick(c).band}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  };
  return {
    copies: copies.length,
    pastedWhole: share(copies.map((c) => c.mask === 'rectangle')),
    found: share(copies.map((c) => c.found)),
    cropIouWithPlacedSquare: quartiles(copies.map((c) => c.iou)),
    cropIouAtLeast05: share(copies.map((c) => c.iou >= 0.5)),
    closeUpBands: {
      low: copies.filter((c) => c.closeUp.band === 'low').length,
      medium: copies.filter((c) => c.closeUp.band === 'medium').length,
      high: copies.filter((c) => c.closeUp.band === 'high').length,
    },
    sameBand: share(copies.map((c) => shown(c) && c.cropped.band === c.closeUp.band)),
    sameTop1: share(copies.map((c) => shown(c) && c.cropped.top1 === c.closeUp.top1)),
    refused: {
      closeUp: share(copies.map((c) => c.closeUp.refused)),
      closeUpInApp: share(copies.map((c) => c.closeUpInApp.refused)),
      cropped: share(copies.map((c) => c.cropped.refused)),
      centreSquare: share(copies.map((c) => c.centre.refused)),
      croppedByCheck: refusedByCheck(
        copies.map((c) => c.cropped.evidence),
        thresholds,
      ),
      closeUpByCheck: refusedByCheck(
        copies.map((c) => c.closeUp.evidence),
        thresholds,
      ),
    },
    lowerBand: drops.length,
    higherBand: copies.filter((c) => shown(c) && lower(c.closeUp, c.cropped)).length,
    lowerBandWithQualityHint: drops.filter((c) => c.quality.length > 0).length,
    lowerBandWithNoClearSpot: drops.filter((c) => !c.found).length,
    lowerBandWithAfarHint: drops.filter(afar).length,
    lowerBandWithReframedHint: drops.filter((c) => c.reframedHigher !== null).length,
    lowerBandOnlyReframedHint: drops.filter(
      (c) => c.reframedHigher !== null && c.quality.length === 0 && c.found && !afar(c),
    ).length,
    lowerBandWithoutAnyHint: drops.filter((c) => !hinted(c)).length,
    afarHinted: share(copies.map(afar)),
    reframedHinted: {
      closeUpsInApp: share(
        copies.filter((c) => !c.closeUpInApp.refused).map((c) => c.closeUpReframedHigher !== null),
      ),
      farCopies: share(
        copies.filter((c) => !c.cropped.refused).map((c) => c.reframedHigher !== null),
      ),
    },
    cropShare: quartiles(copies.map((c) => c.share)),
    closeUpCropShare: quartiles(copies.map((c) => c.closeUpShare)),
    closeUpsUnderAfarShare: share(copies.map((c) => c.closeUpShare < afarShare)),
    transitions: bands((c) => c.cropped),
    riskDifference: quartiles(copies.map((c) => c.cropped.risk - c.closeUp.risk)),
    vsCloseUpInApp: {
      sameBand: share(
        copies.map(
          (c) => both(c.cropped, c.closeUpInApp) && c.cropped.band === c.closeUpInApp.band,
        ),
      ),
      lowerBand: copies.filter(
        (c) => both(c.cropped, c.closeUpInApp) && lower(c.cropped, c.closeUpInApp),
      ).length,
    },
    baselineCentreSquare: {
      sameBand: share(
        copies.map((c) => both(c.centre, c.closeUp) && c.centre.band === c.closeUp.band),
      ),
      lowerBand: copies.filter((c) => both(c.centre, c.closeUp) && lower(c.centre, c.closeUp))
        .length,
      transitions: bands((c) => c.centre),
    },
    lowerBandCases: drops.map((c) => ({
      image: c.image,
      closeUp: { band: c.closeUp.band, risk: round(c.closeUp.risk), top1: c.closeUp.top1 },
      cropped: { band: c.cropped.band, risk: round(c.cropped.risk), top1: c.cropped.top1 },
      found: c.found,
      reason: c.reason,
      cropIou: round(c.iou),
      qualityHints: c.quality,
      afar: afar(c),
      reframedHigher: c.reframedHigher,
      cropShare: round(c.share),
    })),
  };
}

async function main(): Promise<void> {
  for (const dir of [HAM, PAD]) if (!existsSync(dir)) throw new Error(`missing ${dir}`);
  const { dir, meta } = accurateModel();
  const model = await loadNodeModel(dir);
  const gated = loadGated(model, dir);
  // The wasm backend, as the app uses on this machine: ~25x faster than plain JS here.
  setWasmPaths(`${join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist')}/`);
  const backend = (await tf.setBackend('wasm').catch(() => false)) ? 'wasm' : 'cpu';
  if (backend === 'cpu') await tf.setBackend('cpu');
  const pad = padFiles(PAD_LIMIT);
  const ham = hamIds(HAM_SPLIT, HAM_COUNT).map((id) => join(HAM, 'images', `${id}.jpg`));
  console.log(`model ${meta.id} v${meta.version}: ${ham.length} HAM10000, ${pad.length} PAD`);
  // The same placements as spot-fill's far-away copies (its seed, its order of draws) for each
  // photo's first copy; any further copies from a second stream (farPlacements).
  const first = prng(SEED + 1 + 1000 * DRAW);
  const more = prng(SEED + 2 + 1000 * DRAW);
  const t0 = performance.now();
  const inFold = padFold(PAD_FOLD);
  const run = (files: string[], keep: (file: string) => boolean = () => true): Copy[] => {
    const places = farPlacements(files.length, PLACEMENTS, first, more).map((copies) =>
      copies.map((where) => ({ ...where, seed: where.seed + 10_000_000 * DRAW })),
    );
    return files.flatMap((file, k) => {
      if (!keep(file)) return [];
      if (k % 50 === 0) console.log(`  ${basename(file)} (${k + 1}/${files.length})`);
      return (places[k] ?? []).map((where) => measure(file, where, gated, meta));
    });
  };
  // With a PAD fold chosen HAM10000 is left out, but its placements are drawn all the same.
  const hamCopies = run(ham, () => !PAD_FOLD);
  const padCopies = run(pad, inFold);
  const all = [...hamCopies, ...padCopies];
  if (DUMP)
    writeFileSync(
      DUMP,
      JSON.stringify(
        all.map((c) => ({
          image: c.image,
          share: c.share,
          closeUpShare: c.closeUpShare,
          found: c.found,
          iou: c.iou,
          crop: c.crop,
          square: c.square,
          quality: c.quality,
          reframedHigher: c.reframedHigher,
          closeUp: c.closeUp,
          closeUpInApp: c.closeUpInApp,
          cropped: c.cropped,
        })),
      ),
    );
  // Everything below is counted at the app's afar share (afar.ts; spot-afar.test.ts).
  const chosen = AFAR_CROP_SHARE;
  const { lowerBandCases, ...overall } = summarise(all, chosen, gated.spec.thresholds);
  const report = {
    generatedBy: 'npm run spot:bands (scripts/spot-bands.ts)',
    model: {
      id: meta.id,
      version: meta.version,
      role: meta.role ?? null,
      inputSize: meta.inputSize,
      risk: meta.risk,
      tta: false,
      ...(VIEWS.length > 1 ? { views: VIEWS } : {}),
    },
    ...(PLACEMENTS > 1 ? { placementsPerPhoto: PLACEMENTS } : {}),
    fill: FILL,
    farFill: FAR_FILL,
    surround: SURROUND,
    definition:
      'Each close-up shrunk off-centre into a 1200x1600 frame of skin (farCopy, the placements ' +
      "of spot-fill's far-away copies). " +
      (SURROUND === 'kept'
        ? 'Surround kept: the whole close-up pasted, feathered only at its outer 5%, with its ' +
          'real skin round the spot, except where more than 2% of its border is near-black ' +
          "(then the ellipse; 'pastedWhole' gives the share pasted whole). "
        : 'Surround faded: only the ellipse inscribed in the close-up is kept, opaque inside 0.8 ' +
          'of it, the rest faded into the plain frame. ') +
      "Reference: the close-up's own centre square. 'cropped': " +
      "the far copy with the crop the crop step proposes (the finder's, at least 128 px) and a person " +
      "accepts it; 'vsCloseUpInApp': compared with the close-up as the app itself would crop it " +
      "(the finder's crop on the close-up); 'baselineCentreSquare': the far copy's centre " +
      'square, as the app did before the crop step. ' +
      'Preprocessing and quality check are the app\u2019s (pipeline.ts); one view, no TTA. ' +
      "A lower band 'with a hint' is one where the photo-quality check flagged the crop or " +
      'the finder said no clear spot stood out (the crop step says so), or the crop share was under ' +
      'the app\u2019s afar share (afar, below; the result asks for a closer photo), or the crop framed ' +
      '0.8x or 1.25x read a higher band than the one shown (the result says the answer is ' +
      "not settled, steadiness.ts; 'reframedHinted' gives how often close-ups and far copies get " +
      'that hint). The not-a-skin-spot ' +
      "gate runs on every input as in the app; a refused photo shows no band, so 'sameBand' and " +
      "'lowerBand' count only copies whose close-up and far copy were both shown ('refused' gives the shares).",
    target: { sameBand: TARGET, lowerBandWithoutAnyHint: 0 },
    ...(DRAW ? { draw: DRAW } : {}),
    afar: {
      rule:
        'First 0.33, from the close-ups alone (the largest crop share, crop side / photo short ' +
        'side, that at most 3% of them fell below); then fitted on these far copies (the smallest ' +
        'share over every lower band with no hint of either shipped model at 0.33) and accepted ' +
        'on a fresh draw (src/lib/image/spot/afar.ts; training/EXPERIMENTS.md, thirty-fourth ' +
        'session).',
      chosen,
      closeUpsHinted: share(all.map((c) => c.closeUpShare < chosen)),
      farCopiesHinted: share(all.map((c) => c.share < chosen)),
      closeUpShareByPercentile: Object.fromEntries(
        [1, 2, 3, 5, 10].map((p) => [
          `p${p}`,
          round(
            percentile(
              all.map((c) => c.closeUpShare),
              p,
            ),
          ),
        ]),
      ),
    },
    all: { ...overall, lowerBandCases: lowerBandCases.length },
    ham10000: {
      split: 'DermaMNIST-C test, seeded random sample',
      ...summarise(hamCopies, chosen, gated.spec.thresholds),
    },
    padUfes20: {
      split: PAD_FOLD
        ? `the ${PAD_FOLD} fold of training/splits/pad_ufes_20.csv`
        : 'all photos in ../shared/data/pad-ufes-20',
      ...summarise(padCopies, chosen, gated.spec.thresholds),
    },
    run: {
      seconds: round((performance.now() - t0) / 1000, 1),
      where: `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, TF.js ${tf.version_core} ${backend}`,
      loadAverage: round(loadavg()[0] ?? 0, 2),
    },
  };
  writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);
  const a = report.all;
  console.log(
    `same band ${a.sameBand} (centre square: ${a.baselineCentreSquare.sameBand}); lower ` +
      `${a.lowerBand} (${a.lowerBandWithoutAnyHint} without a hint); refused ${a.refused.cropped} ` +
      `(close-ups ${a.refused.closeUp}); IoU median ` +
      `${a.cropIouWithPlacedSquare.median}; afar share ${chosen}; wrote ${OUT}`,
  );
}

await main();

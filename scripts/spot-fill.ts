/**
 * Measures the spot finder on the training images and on far-away copies of them (npm run
 * spot:fill), and writes docs/spot-fill-report.json:
 * - fill: how much of the crop the model trains on (the centre square) the finder's spot fills,
 *   as bounding-box side / crop side and area / crop area, on HAM10000 train-split images and
 *   the PAD-UFES-20 phone photos; the crop margin SPOT_FILL_SIDE (src/lib/image/spot/margin.ts)
 *   is the HAM10000 median side fill, rounded to 2 decimals;
 * - far: test-split close-ups and the PAD photos shrunk off-centre into a 1200 x 1600 frame of
 *   skin (farCopy), the overlap of the proposed crop with where the close-up went;
 * - timing: the finder on a 12 MP photo.
 * Reads ../shared/data (override: HAM10000_DIR, PAD_UFES_DIR); writes no image anywhere. A quick
 * trial: SPOT_FILL_IMAGES=50 SPOT_FAR_IMAGES=20 SPOT_PAD_IMAGES=30 SPOT_REPORT=/tmp/r.json.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { centreSquare, type RgbaImage } from '../src/lib/image/preprocess';
import { cropBox, cropRgba, iou, type PixelBox } from '../src/lib/image/spot/crop';
import { farCopy } from '../src/lib/image/spot/far';
import { findSpot, LONG_SIDE, MIN_CONTRAST } from '../src/lib/image/spot/find';
import { FAR_SPOT_FILL_SIDE } from '../src/lib/image/spot/margin';
import { prng } from './quality/degrade';
import {
  CLOSE_UP_SHARE,
  decode,
  FRAME,
  HAM,
  hamIds,
  OFFSET_SHARE,
  PAD,
  padFiles,
  placement,
  quantile,
  quartiles,
  ROOT,
  round,
  SEED,
  share,
} from './spot-data';

const OUT = resolve(process.env['SPOT_REPORT'] ?? join(ROOT, 'docs/spot-fill-report.json'));
const HAM_FILL = Number(process.env['SPOT_FILL_IMAGES'] ?? 1000);
const HAM_FAR = Number(process.env['SPOT_FAR_IMAGES'] ?? 200);
/** PAD photos used (all by default; fewer for a quick trial run). */
const PAD_LIMIT = Number(process.env['SPOT_PAD_IMAGES'] ?? Infinity);
const TIMING_RUNS = 20;

interface Fill {
  readonly verdict: string;
  readonly side: number | null;
  readonly area: number | null;
}

/** The finder on the centre square (what training feeds the model): how much the spot fills. */
function fillOf(image: RgbaImage): Fill {
  const square = centreSquare(image.width, image.height);
  const result = findSpot(cropRgba(image, square));
  const verdict = result.found ? 'found' : result.reason;
  if (!result.spot) return { verdict, side: null, area: null };
  const { box, area } = result.spot;
  return {
    verdict,
    side: Math.min(1, Math.max(box.width, box.height) / square.side),
    area: Math.min(1, area / square.side ** 2),
  };
}

function summariseFill(fills: readonly Fill[]) {
  const measured = fills.filter((f) => f.side !== null);
  const verdicts: Record<string, number> = {};
  for (const f of fills) verdicts[f.verdict] = (verdicts[f.verdict] ?? 0) + 1;
  return {
    images: fills.length,
    verdicts,
    measured: measured.length,
    sideFill: quartiles(measured.map((f) => f.side as number)),
    areaFill: quartiles(measured.map((f) => f.area as number)),
  };
}

interface Far {
  readonly found: boolean;
  readonly iouCloseUpProposal: number;
  readonly iouSquare: number;
  readonly iouRect: number;
  readonly iouCentreSquare: number;
  readonly hit: boolean;
  readonly sideRatio: number;
  readonly ms: number;
}

/** One far-away copy at a seeded size and place, and how well the proposed crop finds it. */
function farOf(image: RgbaImage, k: number, fill: number, rand: () => number): Far {
  const { side, centre } = placement(rand);
  const copy = farCopy(image, { ...FRAME, side, centre, seed: k + 1 });
  const t0 = performance.now();
  const result = findSpot(copy.image, { fill });
  const ms = performance.now() - t0;
  const crop = cropBox(result.crop);
  const middle = (b: PixelBox): [number, number] => [b.x + b.width / 2, b.y + b.height / 2];
  const [mx, my] = middle(copy.rect);
  return {
    found: result.found,
    iouCloseUpProposal: iou(crop, closeUpProposal(image, copy.rect, fill)),
    iouSquare: iou(crop, copy.square),
    iouRect: iou(crop, copy.rect),
    iouCentreSquare: iou(cropBox(centreSquare(FRAME.width, FRAME.height)), copy.square),
    hit: crop.x <= mx && mx < crop.x + crop.width && crop.y <= my && my < crop.y + crop.height,
    sideRatio: result.crop.side / copy.square.width,
    ms,
  };
}

/**
 * The crop the finder proposes on the close-up's own centre square, carried into the frame where
 * the close-up went (the whole square when it finds no spot there): what a perfect far-away finder
 * would propose, so that the overlap with it leaves out how much skin each close-up has round
 * its spot.
 */
function closeUpProposal(closeUp: RgbaImage, rect: PixelBox, fill: number): PixelBox {
  const square = centreSquare(closeUp.width, closeUp.height);
  const k = rect.width / closeUp.width;
  const result = findSpot(cropRgba(closeUp, square), { fill });
  const local = result.found ? result.crop : { x0: 0, y0: 0, side: square.side };
  return {
    x: rect.x + (square.x0 + local.x0) * k,
    y: rect.y + (square.y0 + local.y0) * k,
    width: local.side * k,
    height: local.side * k,
  };
}

function summariseFar(fars: readonly Far[]) {
  return {
    copies: fars.length,
    found: share(fars.map((f) => f.found)),
    iouWithCentreSquareOfCloseUp: quartiles(fars.map((f) => f.iouSquare)),
    iouAtLeast05: share(fars.map((f) => f.iouSquare >= 0.5)),
    iouWithCloseUpProposal: quartiles(fars.map((f) => f.iouCloseUpProposal)),
    iouWithCloseUpProposalAtLeast05: share(fars.map((f) => f.iouCloseUpProposal >= 0.5)),
    iouWithWholeCloseUp: quartiles(fars.map((f) => f.iouRect)),
    cropHoldsCloseUpCentre: share(fars.map((f) => f.hit)),
    cropSideOverCloseUpSquare: quartiles(fars.map((f) => f.sideRatio)),
    baselineCentreSquareIou: quartiles(fars.map((f) => f.iouCentreSquare)),
    finderMs1200x1600: quartiles(fars.map((f) => f.ms)),
  };
}

function timing(closeUp: RgbaImage) {
  const big = farCopy(closeUp, {
    width: 4000,
    height: 3000,
    side: 700,
    centre: { x: 2600, y: 1200 },
    seed: 7,
  }).image;
  for (let i = 0; i < 3; i++) findSpot(big);
  const ms: number[] = [];
  for (let i = 0; i < TIMING_RUNS; i++) {
    const t0 = performance.now();
    findSpot(big);
    ms.push(performance.now() - t0);
  }
  const sorted = ms.sort((a, b) => a - b);
  return {
    image: '4000x3000 RGBA (a far-away copy of a HAM10000 test image)',
    runs: TIMING_RUNS,
    p50Ms: round(quantile(sorted, 0.5), 1),
    p95Ms: round(quantile(sorted, 0.95), 1),
    where: `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, main thread`,
    loadAverage: round(loadavg()[0] ?? 0, 2),
  };
}

function main(): void {
  for (const dir of [HAM, PAD]) if (!existsSync(dir)) throw new Error(`missing ${dir}`);
  const pad = padFiles(PAD_LIMIT);

  console.log(`fill: ${HAM_FILL} HAM10000 train images, ${pad.length} PAD-UFES-20 photos`);
  const hamFill = summariseFill(
    hamIds('train', HAM_FILL).map((id) => fillOf(decode(join(HAM, 'images', `${id}.jpg`)))),
  );
  const padFill = summariseFill(pad.map((file) => fillOf(decode(file))));
  const fill = round(hamFill.sideFill.median, 2);

  console.log(`far-away copies: ${HAM_FAR} HAM10000 test images, ${pad.length} PAD photos`);
  const rand = prng(SEED + 1);
  const testIds = hamIds('test', HAM_FAR);
  const hamFar = summariseFar(
    testIds.map((id, k) => farOf(decode(join(HAM, 'images', `${id}.jpg`)), k, fill, rand)),
  );
  const padFar = summariseFar(pad.map((file, k) => farOf(decode(file), k, fill, rand)));

  console.log('timing on 12 MP');
  const report = {
    generatedBy: 'npm run spot:fill (scripts/spot-fill.ts)',
    finder: { longSide: LONG_SIDE, minContrast: MIN_CONTRAST },
    fill: {
      definition:
        "The finder run on each image's centre square (the crop training feeds the model); " +
        "side = the spot's bounding-box long side / square side, area = spot area / square area " +
        '(both capped at 1). Measured over the images where it returned a region (found, ' +
        "'fills-frame', or 'unclear': its best guess); 'verdicts' counts all.",
      ham10000: { split: 'DermaMNIST-C train, seeded random sample', ...hamFill },
      padUfes20: { split: 'all photos in ../shared/data/pad-ufes-20', ...padFill },
    },
    margin: {
      constant: 'SPOT_FILL_SIDE (src/lib/image/spot/margin.ts)',
      value: fill,
      rule: 'the HAM10000 median side fill, rounded to 2 decimals: both shipped models were trained on HAM10000',
      far: FAR_SPOT_FILL_SIDE,
      farRule:
        'FAR_SPOT_FILL_SIDE: when the crop at the margin, as the crop step proposes it, is under the ' +
        'afar share (afar.ts), the crop is made again round the same box at this margin (chosen on ' +
        'far copies of held-out phone photos, training/EXPERIMENTS.md thirty-second session)',
    },
    far: {
      definition:
        `Each close-up shrunk to a long side of ${CLOSE_UP_SHARE.join('-')} of the frame width ` +
        `and pasted ${OFFSET_SHARE.join('-')} of the half-size off-centre (seeded) into a ` +
        `${FRAME.width}x${FRAME.height} frame of its own border's skin colour with shading and ` +
        'grain (src/lib/image/spot/far.ts); crop = findSpot with the margins above (the centre ' +
        "square when it finds none). IoU with the close-up's centre square (what the model saw in " +
        'training), with the crop the finder proposes on the close-up itself carried into the ' +
        'frame (the same spot found far away as close up, whatever margin the close-up had), and ' +
        'with the whole pasted close-up; baseline: the centre square of the frame, as today.',
      ham10000: { split: 'DermaMNIST-C test, seeded random sample', ...hamFar },
      padUfes20: padFar,
    },
    timing: timing(decode(join(HAM, 'images', `${testIds[0]}.jpg`))),
  };
  writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${OUT}`);
}

main();

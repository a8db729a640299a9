/**
 * What the spot scripts (spot-fill.ts, spot-bands.ts) share: where ../shared/data is, reading its
 * JPEGs, the seeded image samples, where a far-away copy goes, and small statistics.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import jpeg from 'jpeg-js';
import type { RgbaImage } from '../src/lib/image/preprocess';
import { prng } from './quality/degrade';

export const ROOT = resolve(import.meta.dirname, '..');
const DATA = join(ROOT, '../shared/data');
export const HAM = resolve(process.env['HAM10000_DIR'] ?? join(DATA, 'ham10000'));
export const PAD = resolve(process.env['PAD_UFES_DIR'] ?? join(DATA, 'pad-ufes-20'));
/** Seed of the image samples (spot-fill's far-away copies use SEED + 1 for their placement). */
export const SEED = 11;
/** The frame far-away copies go into: a phone photo held upright. */
export const FRAME = { width: 1200, height: 1600 } as const;
/** The close-up's long side in the frame, as a share of the frame's width. */
export const CLOSE_UP_SHARE = [0.15, 0.3] as const;
/** How far off-centre the close-up's centre goes, as a share of the frame's half-size. */
export const OFFSET_SHARE = [0.15, 0.35] as const;

export const decode = (file: string): RgbaImage => {
  const raw = jpeg.decode(readFileSync(file), { useTArray: true, maxMemoryUsageInMB: 1024 });
  return { data: raw.data, width: raw.width, height: raw.height };
};

/** `count` image ids of one DermaMNIST-C split, in a seeded random order. */
export function hamIds(split: string, count: number): string[] {
  const ids = readFileSync(join(ROOT, 'training/splits/dermamnist_c.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','))
    .filter((row) => row[1] === split)
    .map((row) => row[0] as string);
  const rand = prng(SEED);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [ids[i], ids[j]] = [ids[j] as string, ids[i] as string];
  }
  return ids.slice(0, count);
}

/** The PAD-UFES-20 photos, sorted by file name, at most `limit`. */
export function padFiles(limit = Infinity): string[] {
  const [header, ...rows] = readFileSync(join(PAD, 'metadata.csv'), 'utf8').trim().split('\n');
  const column = (header ?? '').split(',').indexOf('img_id');
  const files = rows.map((row) => join(PAD, 'images', row.split(',')[column] as string)).sort();
  return files.slice(0, limit);
}

/** A far-away copy's size and place in FRAME (three draws of `rand`, in this order). */
export function placement(rand: () => number): {
  side: number;
  centre: { x: number; y: number };
} {
  const side = FRAME.width * (CLOSE_UP_SHARE[0] + (CLOSE_UP_SHARE[1] - CLOSE_UP_SHARE[0]) * rand());
  const angle = 2 * Math.PI * rand();
  const offset = OFFSET_SHARE[0] + (OFFSET_SHARE[1] - OFFSET_SHARE[0]) * rand();
  return {
    side,
    centre: {
      x: FRAME.width / 2 + (Math.cos(angle) * offset * FRAME.width) / 2,
      y: FRAME.height / 2 + (Math.sin(angle) * offset * FRAME.height) / 2,
    },
  };
}

export const round = (v: number, digits = 3): number => Number(v.toFixed(digits));

/** Quantile by linear interpolation between order statistics. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const p = (sorted.length - 1) * q;
  const i = Math.floor(p);
  const lo = sorted[i] as number;
  return lo + ((sorted[Math.min(i + 1, sorted.length - 1)] as number) - lo) * (p - i);
}

export function quartiles(values: readonly number[]): {
  p25: number;
  median: number;
  p75: number;
} {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p25: round(quantile(sorted, 0.25)),
    median: round(quantile(sorted, 0.5)),
    p75: round(quantile(sorted, 0.75)),
  };
}

export const share = (flags: readonly boolean[]): number =>
  round(flags.filter(Boolean).length / Math.max(1, flags.length));

/** One far-away copy: where it goes in FRAME and the seed of its frame's grain and blotches. */
export interface FarPlacement {
  readonly side: number;
  readonly centre: { readonly x: number; readonly y: number };
  readonly seed: number;
}

/**
 * Where the far copies of `photos` close-ups go, `perPhoto` copies each. Copy 0 of photo i is
 * spot-fill's (the i-th placement of `first`, frame seed i + 1), so one copy a photo reproduces
 * the earlier reports; copies j > 0 come from `more` (frame seed j * 100000 + i + 1). Every photo
 * draws its placements whether it is measured or not, so a fold's copies do not depend on which
 * other photos are left out.
 */
export function farPlacements(
  photos: number,
  perPhoto: number,
  first: () => number,
  more: () => number,
): FarPlacement[][] {
  if (!Number.isInteger(perPhoto) || perPhoto < 1) throw new Error('perPhoto must be >= 1');
  return Array.from({ length: photos }, (_, i) => {
    const copies = [{ ...placement(first), seed: i + 1 }];
    for (let j = 1; j < perPhoto; j += 1)
      copies.push({ ...placement(more), seed: j * 100_000 + i + 1 });
    return copies;
  });
}

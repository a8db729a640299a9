/**
 * The body outline's geometry: one hand-drawn silhouette (front and back share it), named
 * regions to place a spot without a pointer and to describe where a marker is, and the marker's
 * keyboard moves. Coordinates of a place are in [0, 1] across and down the outline. Pure.
 */
import type { BodyLocation } from '../storage/schema';

export type View = BodyLocation['view'];

/** The outline's drawing box: 100 across, 200 down. */
export const WIDTH = 100;
export const HEIGHT = 200;

/** The viewer's-right half of the body below the head, neck to crotch, as drawn. */
// prettier-ignore
const HALF: readonly (readonly [number, number])[] = [
  [55, 26], [56, 31], [69, 35], [75, 41], [79, 68], [83, 96], [87, 106], [86, 118],
  [81, 117], [79, 106], [75, 97], [71, 72], [67, 50], [66, 76], [69, 96], [67, 130],
  [65, 160], [64, 183], [70, 190], [69, 194], [53, 194], [53, 184], [53, 140], [50, 106],
];

/** The silhouette below the head: the half, then its mirror image back up. */
export const BODY_PATH = ((): string => {
  const right = HALF.map(([x, y]) => `${x} ${y}`);
  const left = [...HALF].reverse().map(([x, y]) => `${WIDTH - x} ${y}`);
  return `M ${[...right, ...left].join(' L ')} Z`;
})();
export const HEAD = { cx: 50, cy: 14, r: 11 } as const;

export interface Region {
  readonly name: string;
  readonly at: BodyLocation;
}

/** Parts drawn on the viewer's left (x < 50) and middle, in drawing units. */
// prettier-ignore
const PARTS: readonly (readonly [string, number, number])[] = [
  ['head', 50, 14], ['neck', 50, 29], ['shoulder', 31, 38], ['upper arm', 25, 56],
  ['forearm', 19, 84], ['hand', 15, 111], ['chest', 41, 47], ['belly', 50, 72],
  ['hip', 34, 95], ['groin', 50, 101], ['thigh', 40, 125], ['knee', 39, 150],
  ['lower leg', 38, 170], ['foot', 38, 190],
];
const BACK_NAMES: Readonly<Record<string, string>> = {
  head: 'back of the head',
  neck: 'back of the neck',
  chest: 'upper back',
  belly: 'lower back',
  groin: 'tailbone',
  hip: 'buttock',
  thigh: 'back of the thigh',
  knee: 'back of the knee',
  'lower leg': 'calf',
  foot: 'heel',
};

/** Named places on one view; "left" and "right" are the person's own. */
export function regions(view: View): Region[] {
  // Seen from the front, the person's right side is on the viewer's left; from the back, not.
  const near = view === 'front' ? 'right' : 'left';
  const far = view === 'front' ? 'left' : 'right';
  return PARTS.flatMap(([part, x, y]) => {
    const name = view === 'back' ? (BACK_NAMES[part] ?? part) : part;
    const at = (px: number): BodyLocation => ({ view, x: px / WIDTH, y: y / HEIGHT });
    if (x === 50) return [{ name: cap(name), at: at(x) }];
    return [
      { name: cap(`${near} ${name}`), at: at(x) },
      { name: cap(`${far} ${name}`), at: at(WIDTH - x) },
    ];
  });
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** The named region closest to a place (distances in drawing units). */
export function nearestRegion(location: BodyLocation): Region {
  const d = (r: Region): number =>
    Math.hypot((r.at.x - location.x) * WIDTH, (r.at.y - location.y) * HEIGHT);
  return regions(location.view).reduce((best, r) => (d(r) < d(best) ? r : best));
}

/** "Left shoulder (back)". */
export const describe = (location: BodyLocation): string =>
  `${nearestRegion(location).name} (${location.view})`;

const clamp = (v: number): number => Math.min(1, Math.max(0, v));

/** The marker moved by an arrow key: 2% of the outline per press, 10% with Shift. */
export function nudge(location: BodyLocation, key: string, big = false): BodyLocation | null {
  const step = big ? 0.1 : 0.02;
  const [dx, dy] =
    key === 'ArrowLeft'
      ? [-step, 0]
      : key === 'ArrowRight'
        ? [step, 0]
        : key === 'ArrowUp'
          ? [0, -step / 2]
          : key === 'ArrowDown'
            ? [0, step / 2]
            : [0, 0];
  if (dx === 0 && dy === 0) return null;
  const round = (v: number): number => Math.round(clamp(v) * 1000) / 1000;
  return { view: location.view, x: round(location.x + dx), y: round(location.y + dy) };
}

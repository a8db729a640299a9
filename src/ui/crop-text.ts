/** Words of the crop step: what the square is, what to do, and where it is (for screen readers). */
import type { SquareCrop } from '../lib/image/preprocess';
import type { PhotoSize } from '../lib/image/spot/adjust';

export const CROP_TEXT = {
  found:
    'The square is around the spot the app found. If it is right, analyse it; if not, move the ' +
    'square onto the spot.',
  notFound:
    'No clear spot stood out, so the middle of the photo is proposed. If the spot is elsewhere, ' +
    'tap it or move the square onto it.',
  fillsFrame: 'The spot seems to fill most of the photo, so the middle of the photo is proposed.',
  refused:
    'This square was not analysed: it did not look like a close-up of a skin spot. Make it ' +
    'smaller, round the spot and a little skin, then analyse it again.',
  held:
    'The photo check had doubts about this square. If the spot is small in it, make it smaller, ' +
    'round the spot and a little skin, then analyse it again.',
  help:
    'Drag the square or tap the spot; pinch or scroll to resize. Keys: arrows move, + and − ' +
    'resize, Enter analyses. The spot should about fill the dashed circle.',
} as const;

/** Where the square is, in words: its size and centre as shares of the photo. */
export function cropPlace(crop: SquareCrop, size: PhotoSize): string {
  const pct = (v: number): string => `${Math.round(v * 100)}%`;
  const across = (crop.x0 + crop.side / 2) / size.width;
  const down = (crop.y0 + crop.side / 2) / size.height;
  return (
    `Square ${pct(crop.side / Math.min(size.width, size.height))} of the photo's short side, ` +
    `centred ${pct(across)} across and ${pct(down)} down.`
  );
}

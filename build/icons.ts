/** App icons drawn in code at build time (no downloaded or hand-made binaries in the repo). */
import { encodePng } from './png.ts';

const BG: readonly [number, number, number] = [15, 76, 92]; // deep teal
const RING: readonly [number, number, number] = [240, 248, 250];
const SPOT: readonly [number, number, number] = [150, 90, 60];

/**
 * A lens (ring) around a skin spot. `safe` shrinks the drawing into the central safe zone that
 * maskable icons need (80% circle), so launchers can crop it to any shape.
 */
export function drawIcon(size: number, safe: boolean): Uint8Array {
  const rgba = new Uint8Array(size * size * 4);
  const c = size / 2;
  const scale = safe ? 0.72 : 0.9;
  const outer = (size / 2) * scale;
  const inner = outer * 0.78;
  const spot = outer * 0.38;
  const samples = 4; // supersampling per axis, for smooth edges
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const dx = x + (sx + 0.5) / samples - c;
          const dy = y + (sy + 0.5) / samples - c;
          const d = Math.hypot(dx, dy);
          const col = d < spot ? SPOT : d > inner && d < outer ? RING : BG;
          r += col[0];
          g += col[1];
          b += col[2];
        }
      }
      const n = samples * samples;
      const o = (y * size + x) * 4;
      rgba[o] = Math.round(r / n);
      rgba[o + 1] = Math.round(g / n);
      rgba[o + 2] = Math.round(b / n);
      rgba[o + 3] = 255;
    }
  }
  return rgba;
}

export interface IconFile {
  readonly fileName: string;
  readonly source: Buffer;
}

export function iconFiles(): IconFile[] {
  const icon = (name: string, size: number, safe: boolean): IconFile => ({
    fileName: `icons/${name}`,
    source: encodePng(drawIcon(size, safe), size, size),
  });
  return [
    icon('icon-192.png', 192, false),
    icon('icon-512.png', 512, false),
    icon('maskable-512.png', 512, true),
    icon('apple-touch-icon.png', 180, true),
  ];
}

/** Writes a Y4M (YUV4MPEG2, 4:2:0) video for Chromium's fake camera from drawn RGBA frames. */
import { writeFileSync } from 'node:fs';
import type { Drawn } from './images';

/** BT.601 full-range RGB -> YUV; fine for a test pattern. */
function yuv(r: number, g: number, b: number): [number, number, number] {
  const y = 0.299 * r + 0.587 * g + 0.114 * b;
  const u = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
  const v = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
  const clamp = (x: number): number => Math.max(0, Math.min(255, Math.round(x)));
  return [clamp(y), clamp(u), clamp(v)];
}

function frame(image: Drawn): Buffer {
  const { width: w, height: h, rgba } = image;
  const ys = Buffer.alloc(w * h);
  const us = Buffer.alloc((w / 2) * (h / 2));
  const vs = Buffer.alloc((w / 2) * (h / 2));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 4;
      const [Y, U, V] = yuv(rgba[o] as number, rgba[o + 1] as number, rgba[o + 2] as number);
      ys[y * w + x] = Y;
      if (y % 2 === 0 && x % 2 === 0) {
        us[(y / 2) * (w / 2) + x / 2] = U;
        vs[(y / 2) * (w / 2) + x / 2] = V;
      }
    }
  }
  return Buffer.concat([Buffer.from('FRAME\n'), ys, us, vs]);
}

/** The same image repeated: Chromium loops the file, so a few frames are enough. */
export function writeY4m(path: string, image: Drawn, frames = 5, fps = 10): void {
  const header = `YUV4MPEG2 W${image.width} H${image.height} F${fps}:1 Ip A1:1 C420jpeg\n`;
  const one = frame(image);
  writeFileSync(
    path,
    Buffer.concat([Buffer.from(header), ...Array.from({ length: frames }, () => one)]),
  );
}

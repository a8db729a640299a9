/** Files the tests generate before Chromium starts (launch flags need their paths). */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FIXTURE_DIR = join(tmpdir(), 'dermlens-e2e');
export const CAMERA_Y4M = join(FIXTURE_DIR, 'camera.y4m');
/** A fake camera filming something that is not a skin spot (a colour gradient). */
export const NOT_A_SPOT_Y4M = join(FIXTURE_DIR, 'not-a-spot.y4m');

export function ensureFixtureDir(): void {
  mkdirSync(FIXTURE_DIR, { recursive: true });
}

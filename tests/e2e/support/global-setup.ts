/** Generates the fake camera's video before any browser starts. */
import { CAMERA_Y4M, ensureFixtureDir, NOT_A_SPOT_Y4M } from './fixtures';
import { drawLesion, drawNotASpot } from './images';
import { writeY4m } from './y4m';

export default function globalSetup(): void {
  ensureFixtureDir();
  // Seed 15: a drawn lesion the not-a-skin-spot gate passes with a wide margin (the camera specs
  // are about the camera, and some drawn lesions sit near the gate's energy threshold).
  writeY4m(CAMERA_Y4M, drawLesion(640, 480, 15));
  writeY4m(NOT_A_SPOT_Y4M, drawNotASpot('gradient', 640, 480));
}

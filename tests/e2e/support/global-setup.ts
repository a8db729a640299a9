/** Generates the fake camera's video before any browser starts. */
import { CAMERA_Y4M, ensureFixtureDir, NOT_A_SPOT_Y4M } from './fixtures';
import { sharedData } from '../../shared-data';
import { drawNotASpot } from './images';
import { spotImageFrom } from './spot-photos';
import { writeY4m } from './y4m';

export default function globalSetup(): void {
  ensureFixtureDir();
  // A real close-up (the gate rightly refuses drawn spots); without ../shared/data the camera
  // specs that need it skip (outside CI) or fail (in CI) through their own spotPng calls.
  const ham = sharedData('ham10000/images', "the fake camera's spot video");
  if (ham.path) writeY4m(CAMERA_Y4M, spotImageFrom(ham.path, 640, 480, 2));
  writeY4m(NOT_A_SPOT_Y4M, drawNotASpot('gradient', 640, 480));
}

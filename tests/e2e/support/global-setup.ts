/** Generates the fake camera's video before any browser starts. */
import { CAMERA_Y4M, ensureFixtureDir } from './fixtures';
import { drawLesion } from './images';
import { writeY4m } from './y4m';

export default function globalSetup(): void {
  ensureFixtureDir();
  writeY4m(CAMERA_Y4M, drawLesion(640, 480, 11));
}

/**
 * The one way a test finds ../shared/data (the HAM10000 images, never part of this repository).
 * Outside CI a missing folder skips the test and says so. In CI (CI set, as CI services do) the
 * data is always provisioned, so a missing folder is a broken path, not a reason to skip: it fails
 * the test with a message naming the folder.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const SHARED_DATA = resolve(import.meta.dirname, '../../shared/data');

/** A folder of ../shared/data that is there, or why the test that needs it is skipped. */
export type SharedData =
  | { readonly path: string; readonly skipped: null }
  | { readonly path: null; readonly skipped: string };

/** Whether this run is CI's: CI=true (or any value but "false"/"0"/empty). */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env['CI']?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}

/**
 * `../shared/data/<folder>` if it exists. If not: in CI throws (the test fails with the reason);
 * elsewhere logs and returns the skip reason. `needs` says what goes untested, e.g. "the quality
 * gate on real photos".
 */
export function sharedData(
  folder: string,
  needs: string,
  env: NodeJS.ProcessEnv = process.env,
): SharedData {
  const path = resolve(SHARED_DATA, folder);
  if (existsSync(path)) return { path, skipped: null };
  const missing = `${path} not found (../shared/data is absent)`;
  if (inCi(env)) {
    throw new Error(
      `${missing}: CI must provide it, so ${needs} fails here rather than skip and hide a broken path.`,
    );
  }
  const skipped = `${missing}: skipping ${needs}.`;
  console.warn(skipped);
  return { path: null, skipped };
}

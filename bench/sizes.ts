/** Gzip sizes of built files: what a server sending gzip would transfer for each URL. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const cache = new Map<string, number>();

/** Gzip (level 6, the usual server default) size of dist/<path>; 0 if not a built file. */
export function gzipBytes(path: string): number {
  const known = cache.get(path);
  if (known !== undefined) return known;
  let size: number;
  try {
    size = gzipSync(readFileSync(join('dist', path)), { level: 6 }).length;
  } catch {
    size = 0; // not a built file (e.g. a blob: URL)
  }
  cache.set(path, size);
  return size;
}

/** Sums gzip sizes of URLs, split into the app shell and each model (model/<id>/...). */
export function splitBytes(urls: Iterable<string>): {
  shell: number;
  models: Record<string, number>;
} {
  const models: Record<string, number> = {};
  let shell = 0;
  for (const url of new Set(urls)) {
    const path = decodeURIComponent(new URL(url).pathname).replace(/^\//, '') || 'index.html';
    const bytes = gzipBytes(path);
    const model = /^model\/([^/]+)\//.exec(path)?.[1];
    if (model) models[model] = (models[model] ?? 0) + bytes;
    else shell += bytes;
  }
  return { shell, models };
}

/** Is everything needed to classify offline in the service worker's cache? */
import { modelFileUrl } from '../inference/models';

export interface CachedFile {
  readonly url: string;
  /** Weight for progress: the file's size when meta.json says it, else 1. */
  readonly bytes: number;
}

/** The shell page plus every file of each shipped model (model.json lists its shards). */
export async function offlineFiles(modelIds: readonly string[]): Promise<CachedFile[]> {
  const files: CachedFile[] = [{ url: new URL('index.html', document.baseURI).href, bytes: 1 }];
  for (const id of modelIds) {
    const [model, meta] = await Promise.all(
      ['model.json', 'meta.json'].map(async (f) => (await fetch(modelFileUrl(id, f))).json()),
    );
    const sizes = new Map<string, number>(
      ((meta as { weights?: { path: string; bytes: number }[] }).weights ?? []).map((w) => [
        w.path,
        w.bytes,
      ]),
    );
    const shards = ((model as { weightsManifest?: { paths: string[] }[] }).weightsManifest ?? [])
      .flatMap((g) => g.paths)
      .map((p) => ({ url: modelFileUrl(id, p), bytes: sizes.get(p) ?? 1 }));
    files.push(
      { url: modelFileUrl(id, 'model.json'), bytes: 1 },
      { url: modelFileUrl(id, 'meta.json'), bytes: 1 },
      ...shards,
    );
  }
  return files;
}

/** Fraction (by bytes) of `files` already in Cache Storage; Workbox adds ?__WB_REVISION__. */
export async function cachedFraction(files: readonly CachedFile[]): Promise<number> {
  let total = 0;
  let done = 0;
  for (const file of files) {
    total += file.bytes;
    if (await caches.match(file.url, { ignoreSearch: true })) done += file.bytes;
  }
  return total === 0 ? 1 : done / total;
}

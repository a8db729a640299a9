/**
 * Seeds the history database as the PREVIOUS version (v2) wrote it, with raw IndexedDB calls that
 * mirror v2's migration code (stores, key paths, indexes), on a page of our origin that does not
 * open the database itself (robots.txt), before the app is loaded.
 * Thumbnails are 224x224 JPEGs (quality 0.85), as the app saves them.
 */
import type { Page } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { spotPng } from './images';

/**
 * The version the build under test ships of model `id`, else 1.0.0 (a retired model's): a seeded
 * scan of a shipped model is one that this very network made, unless the seed says otherwise.
 */
function shippedVersion(id: string): string {
  const meta = `dist/model/${id}/meta.json`;
  if (!existsSync(meta)) return '1.0.0';
  return (JSON.parse(readFileSync(meta, 'utf8')) as { version: string }).version;
}

export const LABELS = ['akiec', 'bcc', 'bkl', 'df', 'mel', 'nv', 'vasc'];
const NAMES = {
  akiec: 'Actinic keratosis',
  bcc: 'Basal cell carcinoma',
  bkl: 'Benign keratosis',
  df: 'Dermatofibroma',
  mel: 'Melanoma',
  nv: 'Mole (naevus)',
  vasc: 'Vascular lesion',
};

export interface SeedScan {
  readonly id: string;
  readonly createdAt: number;
  readonly probabilities: readonly number[];
  /** v2's (and still the database's) name for the scan's spot. */
  readonly lesionId?: string;
  readonly modelId?: string;
  /** Default: the version of modelId that this build ships (1.0.0 for a retired model). */
  readonly modelVersion?: string;
  readonly note?: string;
  readonly bodySite?: string;
}
export interface SeedSpot {
  readonly id: string;
  readonly name: string;
  readonly createdAt: number;
  readonly bodySite?: string;
}

/** A v2 scan record (without its thumbnail, made in the page as v2 made it: a JPEG blob). */
export function v2Scan(s: SeedScan) {
  const risk = (s.probabilities[0] ?? 0) + (s.probabilities[1] ?? 0) + (s.probabilities[4] ?? 0);
  return {
    id: s.id,
    createdAt: s.createdAt,
    modelId: s.modelId ?? 'ham10000-128',
    modelVersion: s.modelVersion ?? shippedVersion(s.modelId ?? 'ham10000-128'),
    labels: LABELS,
    labelNames: NAMES,
    malignant: ['akiec', 'bcc', 'mel'],
    probabilities: s.probabilities,
    malignantRisk: risk,
    band: risk >= 0.5 ? 'high' : risk >= 0.2 ? 'medium' : 'low',
    backend: 'wasm',
    timings: { inferenceMs: 20, totalMs: 150 },
    ...(s.lesionId ? { lesionId: s.lesionId } : {}),
    ...(s.note ? { note: s.note } : {}),
    ...(s.bodySite ? { bodySite: s.bodySite } : {}),
  };
}

export async function seedV2(
  page: Page,
  spots: readonly SeedSpot[],
  scans: readonly SeedScan[],
): Promise<void> {
  await page.goto('./robots.txt');
  const records = scans.map((s, i) => ({
    ...v2Scan(s),
    png: spotPng(224, 224, 40 + i).toString('base64'),
  }));
  await page.evaluate(
    async ({ lesions, records }) => {
      const done = (r: IDBRequest | IDBTransaction) =>
        new Promise<void>((resolve, reject) => {
          if (r instanceof IDBTransaction) {
            r.oncomplete = () => resolve();
            r.onerror = () => reject(r.error);
          } else {
            r.onsuccess = () => resolve();
            r.onerror = () => reject(r.error);
          }
        });
      const jpegs = await Promise.all(
        records.map(async ({ png }) => {
          const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
          const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
          const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
          canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
          return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
        }),
      );
      const open = indexedDB.open('dermlens', 2);
      open.onupgradeneeded = (event) => {
        // v2's migrate(): case 0, then case 1.
        const db = open.result;
        const tx = open.transaction as IDBTransaction;
        if (event.oldVersion < 1) {
          db.createObjectStore('scans', { keyPath: 'id' }).createIndex('by-time', 'createdAt');
        }
        db.createObjectStore('lesions', { keyPath: 'id' }).createIndex('by-time', 'createdAt');
        tx.objectStore('scans').createIndex('by-lesion', 'lesionId');
      };
      await done(open);
      const db = open.result;
      const tx = db.transaction(['scans', 'lesions'], 'readwrite');
      for (const l of lesions) tx.objectStore('lesions').put(l);
      records.forEach(({ png: _png, ...r }, i) =>
        tx.objectStore('scans').put({ ...r, thumbnail: jpegs[i] }),
      );
      await done(tx);
      db.close();
    },
    { lesions: spots, records },
  );
}

/** Reads every record of a store through raw IndexedDB (thumbnails as base64 bytes). */
export function readStore(page: Page, store: 'scans' | 'lesions') {
  return page.evaluate(async (store) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('dermlens');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const all = await new Promise<Record<string, unknown>[]>((resolve, reject) => {
      const req = db.transaction(store).objectStore(store).getAll();
      req.onsuccess = () => resolve(req.result as Record<string, unknown>[]);
      req.onerror = () => reject(req.error);
    });
    const version = db.version;
    db.close();
    const out: Record<string, unknown>[] = [];
    for (const r of all) {
      const t = r['thumbnail'];
      if (t instanceof Blob) {
        const bytes = new Uint8Array(await t.arrayBuffer());
        out.push({ ...r, thumbnail: `${t.type}:${btoa(String.fromCharCode(...bytes))}` });
      } else out.push(r);
    }
    return { version, records: out };
  }, store);
}

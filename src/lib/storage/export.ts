/**
 * Export of the whole history to one JSON file the person keeps: thumbnails become data URLs,
 * so the file stands alone. It is built and downloaded in the page (a blob: URL), never sent.
 */
import {
  DB_VERSION,
  toStoredScan,
  type ScanRecord,
  type SpotRecord,
  type StoredScan,
} from './schema';

/** A scan as the file holds it: as stored (its spot under `lesionId`), the photo a data URL. */
export interface ExportedScan extends Omit<StoredScan, 'thumbnail'> {
  /** data:image/jpeg;base64,... */
  readonly thumbnail: string;
}

/** Spots are plain data already. */
export type ExportedSpot = SpotRecord;

/**
 * Format 3 (this version): scans and spots, the spots under the on-disk name `lesions` (see
 * schema.ts); a scan in a spot has no body site of its own (site.ts), a spot may have a re-check
 * interval. Format 1 (before spots) and format 2 (body sites in two places) still import.
 */
export interface HistoryExport {
  readonly app: 'DermLens';
  readonly format: 3;
  readonly schemaVersion: number;
  readonly exportedAt: string;
  readonly lesions: readonly ExportedSpot[];
  readonly scans: readonly ExportedScan[];
}

/** A Blob as a data: URL (no FileReader, so it also runs in Node for the unit tests). */
export async function blobToDataUrl(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  const CHUNK = 0x8000; // String.fromCharCode's argument count is limited
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return `data:${blob.type || 'application/octet-stream'};base64,${btoa(binary)}`;
}

export async function historyExport(
  scans: readonly ScanRecord[],
  spots: readonly SpotRecord[],
  now = new Date(),
): Promise<HistoryExport> {
  const exported = await Promise.all(
    scans.map(async (s) => ({ ...toStoredScan(s), thumbnail: await blobToDataUrl(s.thumbnail) })),
  );
  return {
    app: 'DermLens',
    format: 3,
    schemaVersion: DB_VERSION,
    exportedAt: now.toISOString(),
    lesions: [...spots],
    scans: exported,
  };
}

/** The Blob a data: URL holds (the inverse of blobToDataUrl). */
export function dataUrlToBlob(url: string): Blob {
  const comma = url.indexOf(',');
  const type = url.slice(5, url.indexOf(';'));
  const bytes = Uint8Array.from(atob(url.slice(comma + 1)), (c) => c.charCodeAt(0));
  return new Blob([bytes], { type });
}

export function exportFileName(now = new Date()): string {
  return `dermlens-history-${now.toISOString().slice(0, 10)}.json`;
}

/** Saves a Blob as a file through a temporary blob: link (same origin, no request leaves). */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked after the click has been handled: the download has its own reference by then.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

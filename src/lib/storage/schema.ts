/**
 * The history database's schema (typed for idb) and its migrations: one step per version, run
 * from the version the database had up to the newest, so any earlier database is brought up
 * to date in one upgrade.
 */
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { BackendName } from '../../shared/backends';
import type { RiskBand } from '../../shared/risk';
import type { QualityProblem } from '../image/quality/gate';
import { upgradeToV4 } from './upgrade-v4';

export const DB_NAME = 'dermlens';
/**
 * v1: scans. v2: spots (store `lesions`: a named spot followed over time) + the scan's spot. v3: a
 * compound index [spot, createdAt] on scans, so a spot's timeline is one ordered index range
 * instead of a read-and-sort of all its scans; spots gain an optional place on the body outline
 * and a note. v4: one place for where a spot is (see upgrade-v4.ts): a scan in a spot keeps no
 * body site of its own (its old one becomes `legacyBodySite`), nor does a spot (its place is
 * `location`); spots gain an optional re-check interval.
 */
export const DB_VERSION = 4;

/**
 * Names on disk. Before the code said "spot" for a spot followed over time it said "lesion", and
 * what it wrote kept that word: the IndexedDB store `lesions`, the scans' indexes `by-lesion` and
 * `by-lesion-time`, a scan's `lesionId`, and the history file's `lesions` and `lesionId`. Renaming
 * them would need a migration of every database and a new file format, for nothing the person
 * sees; so they stay. The code reaches the database's names only through these constants and
 * toStoredScan / fromStoredScan; the history file has the stored records' shape, so its schema
 * (history-file.ts) and export.ts spell the same two names.
 */
export const SPOT_STORE = 'lesions';
export const SCANS_BY_SPOT = 'by-lesion';
export const SCANS_BY_SPOT_TIME = 'by-lesion-time';

/** One saved result. Only written when the person presses Save. */
export interface ScanRecord {
  /** Random UUID: stable across export/import, unlike an auto-increment key. */
  readonly id: string;
  /** Milliseconds since the epoch, when the photo was analysed. */
  readonly createdAt: number;
  /** The analysed centre crop (JPEG), as the model saw it but larger. */
  readonly thumbnail: Blob;
  readonly modelId: string;
  readonly modelVersion: string;
  /** Labels in the order of `probabilities` (the model's output order at the time). */
  readonly labels: readonly string[];
  readonly labelNames: Readonly<Record<string, string>>;
  /** Labels counted in the malignant risk. */
  readonly malignant: readonly string[];
  readonly probabilities: readonly number[];
  readonly malignantRisk: number;
  /** The risk band shown at the time (thresholds belong to that model version). */
  readonly band: RiskBand;
  readonly backend: BackendName;
  readonly timings: { readonly inferenceMs: number; readonly totalMs: number | null };
  /** Where on the body, as picked from a short list; only for a scan in no spot (v4). */
  readonly bodySite?: string;
  /**
   * v4: a scan in a spot takes its place from the spot; the body site it had been given before
   * is kept here, unchanged (it may disagree with the spot's place). Only on a scan in a spot.
   */
  readonly legacyBodySite?: string;
  readonly note?: string;
  /** v2: the spot this scan belongs to (issue 5); stored as `lesionId`. */
  readonly spotId?: string;
  /**
   * What the photo-quality check found (absent: nothing, or saved before the check existed).
   * An optional field: no migration needed.
   */
  readonly quality?: readonly QualityProblem[];
  /**
   * The higher band the crop read when framed a little tighter or wider (scan/steadiness.ts):
   * the band shown was not settled. Absent: it held, or saved before the check existed. An
   * optional field: no migration needed.
   */
  readonly reframedBand?: RiskBand;
}

/** Where a spot is on the app's body outline: which side, and a point in [0, 1] x [0, 1]. */
export interface BodyLocation {
  readonly view: 'front' | 'back';
  readonly x: number;
  readonly y: number;
}

/** A scan as stored, and as the history file holds it: its spot under the on-disk name. */
export type StoredScan = Omit<ScanRecord, 'spotId'> & { readonly lesionId?: string };

export function toStoredScan({ spotId, ...rest }: ScanRecord): StoredScan {
  return spotId === undefined ? rest : { ...rest, lesionId: spotId };
}

export function fromStoredScan({ lesionId, ...rest }: StoredScan): ScanRecord {
  return lesionId === undefined ? rest : { ...rest, spotId: lesionId };
}

/** How often a spot is to be looked at again, in months. */
export const RECHECK_MONTHS = [1, 3, 6, 12] as const;
export type RecheckMonths = (typeof RECHECK_MONTHS)[number];

/** A spot on the body followed over time, named by the person ("left shoulder mole"). */
export interface SpotRecord {
  /** Random UUID, like a scan's. */
  readonly id: string;
  readonly name: string;
  readonly createdAt: number;
  /** v3: the marker on the body outline: the one place that says where the spot is (v4). */
  readonly location?: BodyLocation;
  /** v3: free text. */
  readonly note?: string;
  /** v4: the v2 field `bodySite`, renamed and kept as it was (`location` says where it is). */
  readonly legacyBodySite?: string;
  /** v4: remind the person to scan it again this many months after its latest scan. */
  readonly recheckMonths?: RecheckMonths;
}

export interface HistorySchema extends DBSchema {
  scans: {
    key: string;
    value: StoredScan;
    indexes: {
      'by-time': number;
      [SCANS_BY_SPOT]: string;
      [SCANS_BY_SPOT_TIME]: [string, number];
    };
  };
  [SPOT_STORE]: {
    key: string;
    value: SpotRecord;
    indexes: { 'by-time': number };
  };
}

export type UpgradeTx = IDBPTransaction<
  HistorySchema,
  StoreNames<HistorySchema>[],
  'versionchange'
>;

/**
 * Runs every step after `oldVersion`, in order. This is the classic falling-through switch on
 * oldVersion, written as a loop over one-step cases because the project's tsconfig rejects
 * fall-through (`noFallthroughCasesInSwitch`); the behaviour is the same.
 */
export function migrate(db: IDBPDatabase<HistorySchema>, oldVersion: number, tx: UpgradeTx): void {
  for (let version = oldVersion; version < DB_VERSION; version++) {
    switch (version) {
      case 0: {
        const scans = db.createObjectStore('scans', { keyPath: 'id' });
        scans.createIndex('by-time', 'createdAt');
        break;
      }
      case 1: {
        const spots = db.createObjectStore(SPOT_STORE, { keyPath: 'id' });
        spots.createIndex('by-time', 'createdAt');
        tx.objectStore('scans').createIndex(SCANS_BY_SPOT, 'lesionId');
        break;
      }
      case 2: {
        // Scans in no spot (no lesionId) are simply left out of this index (no key), as intended.
        tx.objectStore('scans').createIndex(SCANS_BY_SPOT_TIME, ['lesionId', 'createdAt']);
        break;
      }
      case 3: {
        upgradeToV4(tx);
        break;
      }
      default:
        throw new Error(`no migration from version ${version}`);
    }
  }
}

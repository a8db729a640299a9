/**
 * The history database's schema (typed for idb) and its migrations: one step per version, run
 * from the version the database had up to the newest, so any earlier database is brought up
 * to date in one upgrade.
 */
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { BackendName } from '../../shared/backends';
import type { RiskBand } from '../../shared/risk';
import type { QualityProblem } from '../image/quality/gate';

export const DB_NAME = 'dermlens';
/**
 * v1: scans. v2: lesions (a named spot followed over time) + scan.lesionId. v3: a compound index
 * [lesionId, createdAt] on scans, so a spot's timeline is one ordered index range instead of a
 * read-and-sort of all its scans; lesions gain an optional place on the body outline and a note.
 */
export const DB_VERSION = 3;

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
  readonly bodySite?: string;
  readonly note?: string;
  /** v2: the lesion this scan belongs to (issue 5). */
  readonly lesionId?: string;
  /**
   * What the photo-quality check found (absent: nothing, or saved before the check existed).
   * An optional field: no migration needed.
   */
  readonly quality?: readonly QualityProblem[];
}

/** Where a spot is on the app's body outline: which side, and a point in [0, 1] x [0, 1]. */
export interface BodyLocation {
  readonly view: 'front' | 'back';
  readonly x: number;
  readonly y: number;
}

/** A spot on the body followed over time, named by the person ("left shoulder mole"). */
export interface LesionRecord {
  /** Random UUID, like a scan's. */
  readonly id: string;
  readonly name: string;
  readonly bodySite?: string;
  readonly createdAt: number;
  /** v3: the marker on the body outline. */
  readonly location?: BodyLocation;
  /** v3: free text. */
  readonly note?: string;
}

export interface HistorySchema extends DBSchema {
  scans: {
    key: string;
    value: ScanRecord;
    indexes: { 'by-time': number; 'by-lesion': string; 'by-lesion-time': [string, number] };
  };
  lesions: {
    key: string;
    value: LesionRecord;
    indexes: { 'by-time': number };
  };
}

type UpgradeTx = IDBPTransaction<HistorySchema, StoreNames<HistorySchema>[], 'versionchange'>;

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
        const lesions = db.createObjectStore('lesions', { keyPath: 'id' });
        lesions.createIndex('by-time', 'createdAt');
        tx.objectStore('scans').createIndex('by-lesion', 'lesionId');
        break;
      }
      case 2: {
        // Scans without a lesionId are simply left out of this index (no key), as intended.
        tx.objectStore('scans').createIndex('by-lesion-time', ['lesionId', 'createdAt']);
        break;
      }
      default:
        throw new Error(`no migration from version ${version}`);
    }
  }
}

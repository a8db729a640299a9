/** A result becomes the record the history stores: what the person saves, nothing more. Pure. */
import { riskBand } from '../../shared/risk';
import type { NewScan } from '../storage/scans';
import type { ScanResult } from './pipeline';

/** What the person adds when saving. */
export interface RecordDetails {
  /** A body site from the list, or '' for none. */
  readonly bodySite: string;
  /** Free text; blank (after trimming) means none. */
  readonly note: string;
  /** The spot the scan goes into, if any (an existing spot's id). */
  readonly spotId: string | null;
}

/**
 * The stored form of a result: the model's identity and labels (so it stays readable after the
 * model is retired), the probabilities, the risk band at that model's thresholds, timings, the
 * quality findings when it was analysed anyway, the higher band a reframing read (if one did),
 * and the person's details. `thumbnail` is the preview as a JPEG (made in the page: canvas work
 * is not pure).
 */
export function scanRecord(result: ScanResult, details: RecordDetails, thumbnail: Blob): NewScan {
  const { prediction, meta } = result;
  const note = details.note.trim();
  return {
    thumbnail,
    modelId: meta.id,
    modelVersion: meta.version,
    labels: meta.labels,
    labelNames: meta.labelNames,
    malignant: meta.malignant,
    probabilities: prediction.probabilities,
    malignantRisk: prediction.malignantRisk,
    band: riskBand(prediction.malignantRisk, meta.risk),
    backend: prediction.backend,
    timings: { inferenceMs: prediction.inferenceMs, totalMs: result.totalMs },
    ...(result.quality.length ? { quality: [...result.quality] } : {}),
    ...(result.reframedBand ? { reframedBand: result.reframedBand } : {}),
    ...(details.bodySite ? { bodySite: details.bodySite } : {}),
    ...(note ? { note } : {}),
    ...(details.spotId ? { spotId: details.spotId } : {}),
  };
}

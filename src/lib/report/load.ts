/**
 * Gathers what a report needs from the history and the shipped model cards: the records, their
 * photos, and the two lines about each model that made them.
 */
import { errorText } from '../../shared/errors';
import { modelName } from '../inference/choices';
import { fetchCard, SHIPPED_MODEL_INFO } from '../inference/models';
import type { Stores } from '../state/history.svelte';
import type { ScanRecord, SpotRecord } from '../storage/schema';
import { formatTime } from '../../ui/text';
import { REPORT_TITLE, reportFileName, scanReport, spotReport, type Report } from './content';
import { earlierVersionAbout, modelAbout, retiredAbout, type ModelAbout } from './model-lines';

export interface ReportData {
  readonly report: Report;
  /** Oldest first, as the report's entries. */
  readonly scans: readonly ScanRecord[];
  readonly spot: SpotRecord | null;
  /** The shared file's name. */
  readonly fileName: string;
  /** The page's title while the report is shown: a saved PDF's name and title. */
  readonly title: string;
}

/** One block per model (id and version) that made these scans, in the order they first appear. */
async function aboutModels(
  scans: readonly ScanRecord[],
  signal?: AbortSignal,
): Promise<ModelAbout[]> {
  const made = new Map(scans.map((s) => [`${s.modelId} ${s.modelVersion}`, s]));
  return Promise.all(
    [...made.values()].map(async ({ modelId: id, modelVersion: version }) => {
      const current = SHIPPED_MODEL_INFO.find((m) => m.id === id);
      if (!current) return retiredAbout(id);
      // Today's card describes today's network, not the one that made an older scan.
      if (current.version !== version) return earlierVersionAbout(id, version, current.version);
      try {
        return modelAbout(await fetchCard(id, signal));
      } catch (e) {
        if (signal?.aborted) throw e;
        // The report is still worth having without the card's numbers; say why they are missing.
        return {
          modelId: id,
          what: `The model (${id}): its test results could not be read (${errorText(e)}).`,
          limits: null,
        };
      }
    }),
  );
}

const options = (now: number) => ({
  now,
  modelName: (s: ScanRecord) => modelName(s.modelId, s.modelVersion, SHIPPED_MODEL_INFO),
});

/** The report for saved scan `id`, or null when there is no such scan. */
export async function loadScanReport(
  stores: Stores,
  id: string,
  now: number,
  signal?: AbortSignal,
): Promise<ReportData | null> {
  const scan = await stores.scans.get(id);
  if (!scan) return null;
  return {
    report: scanReport(scan, await aboutModels([scan], signal), options(now)),
    scans: [scan],
    spot: null,
    fileName: reportFileName('scan', now),
    title: `${REPORT_TITLE}: scan of ${formatTime(scan.createdAt)}`,
  };
}

/** The report for spot `id` and its timeline, or null when there is no such spot. */
export async function loadSpotReport(
  stores: Stores,
  id: string,
  now: number,
  signal?: AbortSignal,
): Promise<ReportData | null> {
  const spot = await stores.spots.get(id);
  if (!spot) return null;
  const scans = await stores.spots.timeline(id);
  return {
    report: spotReport(spot, scans, await aboutModels(scans, signal), options(now)),
    scans,
    spot,
    fileName: reportFileName(spot.name, now),
    title: `${REPORT_TITLE}: ${spot.name}`,
  };
}

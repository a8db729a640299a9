/**
 * What a report for a doctor says, built once from the stored records and the model card: the
 * HTML page (and so its print) and the shared PNG draw the same words from it. Pure.
 */
import type { RiskBand } from '../../shared/risk';
import { rankClasses } from '../../shared/risk';
import { BAND_TITLE, DISCLAIMER, formatTime, percent } from '../../ui/text';
import { qualityNote } from '../image/quality/text';
import { reframedNote } from '../scan/steadiness';
import type { ScanRecord, SpotRecord } from '../storage/schema';
import { describe } from '../tracking/body';
import type { ModelAbout } from './model-lines';

/** One class of one scan, in plain words ("Melanoma: 12%"). */
export interface ReportClass {
  readonly label: string;
  readonly text: string;
  readonly probability: number;
  /** Counted in the malignant risk (mel, bcc, akiec). */
  readonly malignant: boolean;
}

/** One saved scan as the report shows it. */
export interface ReportEntry {
  readonly id: string;
  readonly createdAt: number;
  readonly date: string;
  /** The stored photo (the analysed square, JPEG). */
  readonly photo: Blob;
  readonly band: RiskBand;
  readonly malignantRisk: number;
  /** "Malignant risk: Medium (23%)". */
  readonly risk: string;
  /** Most probable first. */
  readonly classes: readonly ReportClass[];
  /** Body site, note, photo problems, the model that made it: each one line, only those known. */
  readonly details: readonly string[];
}

export interface Report {
  readonly kind: 'scan' | 'spot';
  readonly title: string;
  /** What the report is about, and when it was made: a few short lines. */
  readonly about: readonly string[];
  /** Oldest first. */
  readonly entries: readonly ReportEntry[];
  /** What each model that made these scans is and its limits, from its card. */
  readonly models: readonly ModelAbout[];
  readonly disclaimer: string;
  readonly footer: string;
}

export interface ReportOptions {
  /** When the report is made (ms since the epoch). */
  readonly now: number;
  /** How a time is written; the app's own format unless a test fixes one. */
  readonly formatDate?: (ms: number) => string;
  /** How a scan names the model that made it (modelName with the shipped models). */
  readonly modelName: (scan: ScanRecord) => string;
}

export const REPORT_TITLE = 'DermLens report for your doctor';
export const DISCLAIMER_TITLE = 'Not a diagnosis.';
/** Section headings, the same on the page, on paper and in the PNG. */
export const HEADINGS = {
  chart: 'Malignant risk over time',
  scans: (count: number): string => (count === 1 ? 'The scan' : 'The scans, oldest first'),
  model: (count: number): string => (count > 1 ? 'About the models' : 'About the model'),
} as const;
/** Said after a class counted in the malignant risk. */
export const MALIGNANT_TAG = 'malignant type';

export function reportEntry(
  scan: ScanRecord,
  formatDate: (ms: number) => string,
  modelName: string,
): ReportEntry {
  const classes = rankClasses(scan.probabilities, scan).map((c) => ({
    label: c.label,
    text: `${scan.labelNames[c.label] ?? c.label}: ${percent(c.probability)}`,
    probability: c.probability,
    malignant: c.malignant,
  }));
  const quality = qualityNote(scan.quality);
  const details = [
    scan.bodySite ? `Body site: ${scan.bodySite}` : null,
    scan.note ? `Note: ${scan.note}` : null,
    quality ? `${quality} (less reliable)` : null,
    scan.reframedBand ? reframedNote(scan.reframedBand) : null,
    `Analysed on this device by: ${modelName}`,
  ].filter((line): line is string => line !== null);
  return {
    id: scan.id,
    createdAt: scan.createdAt,
    date: formatDate(scan.createdAt),
    photo: scan.thumbnail,
    band: scan.band,
    malignantRisk: scan.malignantRisk,
    risk: `Malignant risk: ${BAND_TITLE[scan.band]} (${percent(scan.malignantRisk)})`,
    classes,
    details,
  };
}

function common(
  entries: readonly ReportEntry[],
  models: readonly ModelAbout[],
  options: ReportOptions,
  formatDate: (ms: number) => string,
) {
  return {
    entries,
    models,
    disclaimer: DISCLAIMER,
    footer: `Made on ${formatDate(options.now)} with DermLens, on this device: nothing was uploaded.`,
  };
}

/** The report for one saved scan. */
export function scanReport(
  scan: ScanRecord,
  models: readonly ModelAbout[],
  options: ReportOptions,
): Report {
  const formatDate = options.formatDate ?? formatTime;
  const entry = reportEntry(scan, formatDate, options.modelName(scan));
  return {
    kind: 'scan',
    title: REPORT_TITLE,
    about: [`One photo of a skin spot, taken ${entry.date}.`],
    ...common([entry], models, options, formatDate),
  };
}

/** The report for a spot followed over time: its scans oldest first. */
export function spotReport(
  spot: SpotRecord,
  timeline: readonly ScanRecord[],
  models: readonly ModelAbout[],
  options: ReportOptions,
): Report {
  const formatDate = options.formatDate ?? formatTime;
  const scans = [...timeline].sort((a, b) => a.createdAt - b.createdAt);
  const entries = scans.map((s) => reportEntry(s, formatDate, options.modelName(s)));
  const first = entries[0];
  const last = entries.at(-1);
  const span =
    !first || !last
      ? 'No scans saved in it yet.'
      : entries.length === 1
        ? `1 scan, ${first.date}.`
        : `${entries.length} scans, from ${first.date} to ${last.date}.`;
  // The outline's marker is where a spot is (the v2 field `bodySite` is on its way out).
  const where = spot.location ? describe(spot.location) : null;
  return {
    kind: 'spot',
    title: REPORT_TITLE,
    about: [
      `Skin spot “${spot.name}”, followed over time. ${span}`,
      ...(where ? [`Where: ${where}`] : []),
      ...(spot.note ? [`Note: ${spot.note}`] : []),
    ],
    ...common(entries, models, options, formatDate),
  };
}

/**
 * The shared file's name: "dermlens-report-left-shoulder-mole-2026-02-03.png". Only ASCII
 * letters, digits and dashes: share targets (mail, chat apps) handle other names unevenly.
 */
export function reportFileName(label: string, now: number, extension = 'png'): string {
  const slug = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  // The person's own calendar day, not UTC's.
  const d = new Date(now);
  const day = [d.getFullYear(), d.getMonth() + 1, d.getDate()]
    .map((n) => String(n).padStart(2, '0'))
    .join('-');
  return `dermlens-report-${slug ? `${slug}-` : ''}${day}.${extension}`;
}

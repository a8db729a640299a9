/**
 * What a new model version gained and lost against the one it replaced, on the same test folds.
 * The export writes the replaced version's metrics into card.json (`previous`); a version that
 * trades one domain for another must say so on its model page, not only in the experiment log.
 */

/** The metrics compared, as card.json names them. */
export const COMPARED = ['accuracy', 'balancedAccuracy', 'macroAuc', 'malignantAuc'] as const;
export type ComparedMetric = (typeof COMPARED)[number];

export type ComparedMetrics = Partial<Record<ComparedMetric, number | null>>;

/** card.json's `previous`: the replaced version and its test metrics per domain. */
export interface PreviousVersion {
  readonly version: string;
  readonly test: ComparedMetrics;
  readonly phone: ComparedMetrics | null;
}

export type Domain = 'phone' | 'dermoscopic';

export interface VersionChange {
  readonly domain: Domain;
  readonly metric: ComparedMetric;
  readonly before: number;
  readonly after: number;
  /** Judged on the three decimals the page shows: smaller moves are noise on these folds. */
  readonly change: 'higher' | 'lower' | 'the same';
}

export const METRIC_WORDS: Readonly<Record<ComparedMetric, string>> = {
  accuracy: 'accuracy',
  balancedAccuracy: 'balanced accuracy',
  macroAuc: 'macro AUC',
  malignantAuc: 'malignant AUC',
};

const DOMAIN_WORDS: Readonly<Record<Domain, string>> = {
  phone: 'phone photos',
  dermoscopic: 'dermoscopic images',
};

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The card's `previous` block if it is well formed, else null (cards before it have none). */
export function previousVersion(raw: unknown): PreviousVersion | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const p = raw as Partial<PreviousVersion>;
  if (typeof p.version !== 'string' || typeof p.test !== 'object' || p.test === null) return null;
  return { version: p.version, test: p.test, phone: p.phone ?? null };
}

/**
 * Each metric both versions report, phone photos first (the app's main case), then dermoscopic.
 * `now` holds this card's own test blocks.
 */
export function versionChanges(
  previous: PreviousVersion,
  now: { readonly test: ComparedMetrics; readonly phone?: ComparedMetrics | null },
): VersionChange[] {
  const pairs: [Domain, ComparedMetrics | null, ComparedMetrics | null | undefined][] = [
    ['phone', previous.phone, now.phone],
    ['dermoscopic', previous.test, now.test],
  ];
  const changes: VersionChange[] = [];
  for (const [domain, before, after] of pairs) {
    if (!before || !after) continue;
    for (const metric of COMPARED) {
      const b = before[metric];
      const a = after[metric];
      if (!isNumber(b) || !isNumber(a)) continue;
      const delta = Math.round(a * 1000) - Math.round(b * 1000);
      const change = delta > 0 ? 'higher' : delta < 0 ? 'lower' : 'the same';
      changes.push({ domain, metric, before: b, after: a, change });
    }
  }
  return changes;
}

/** One plain sentence: what went down (said first: it is what a person must know), then what went up. */
export function changeSummary(version: string, changes: readonly VersionChange[]): string {
  const words = (c: VersionChange): string =>
    `${METRIC_WORDS[c.metric]} on ${DOMAIN_WORDS[c.domain]} (${c.before.toFixed(3)} → ${c.after.toFixed(3)})`;
  const list = (items: string[]): string =>
    items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
  const lower = changes.filter((c) => c.change === 'lower').map(words);
  const higher = changes.filter((c) => c.change === 'higher').map(words);
  const parts: string[] = [];
  if (lower.length) parts.push(`Lower than version ${version}: ${list(lower)}.`);
  if (higher.length) parts.push(`Higher: ${list(higher)}.`);
  if (!parts.length) return `The same as version ${version} on every test metric.`;
  return parts.join(' ');
}

/** The models the app offers; which of them a build ships is decided at build time. */
export interface ModelChoice {
  readonly id: string;
  readonly key: 'fast' | 'accurate';
  readonly label: string;
  readonly description: string;
}

export const MODEL_CHOICES: readonly ModelChoice[] = [
  {
    id: 'ham10000-128',
    key: 'accurate',
    label: 'Accurate',
    description: '128 x 128 input, slower',
  },
  { id: 'ham10000-28', key: 'fast', label: 'Fast', description: '28 x 28 input, very quick' },
];

export const DEFAULT_MODEL_ID = 'ham10000-128';

/** The preferred model if shipped, else the first shipped one (128 may not be trained yet). */
export function resolveModelId(
  preferred: string | null,
  shipped: readonly string[],
): string | null {
  if (preferred && shipped.includes(preferred)) return preferred;
  if (shipped.includes(DEFAULT_MODEL_ID)) return DEFAULT_MODEL_ID;
  const known = MODEL_CHOICES.find((m) => shipped.includes(m.id));
  return known?.id ?? shipped[0] ?? null;
}

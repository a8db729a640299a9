/**
 * The models the app offers, built from the shipped metas (their role and input size), never from
 * hard-coded ids: a new export replaces a model without touching the app, and scans saved by a
 * model that is no longer shipped stay readable, labelled as made by a retired model.
 */
export interface ShippedModel {
  readonly id: string;
  /** meta.json's role: "accurate", "fast", or "other" when a model was exported without one. */
  readonly role: string;
  readonly inputSize: number;
  /** meta.json's version: a saved scan of another version was made by a different network. */
  readonly version: string;
}

export interface ModelChoice {
  readonly id: string;
  readonly role: string;
  readonly label: string;
  readonly description: string;
}

const WORDS: Readonly<Record<string, { label: string; description: string }>> = {
  accurate: { label: 'Accurate', description: 'looks closer, a little slower' },
  fast: { label: 'Fast', description: 'very quick, less accurate' },
};

export function modelChoices(shipped: readonly ShippedModel[]): ModelChoice[] {
  return shipped.map((m) => ({
    id: m.id,
    role: m.role,
    label: WORDS[m.role]?.label ?? m.id,
    // Plain words: a model without a role is described in Advanced (its input size, version).
    description: WORDS[m.role]?.description ?? 'another model in this version',
  }));
}

/** The plain name of a shipped model's role ("Accurate", "Fast"), or null for any other. */
export function roleLabel(id: string, shipped: readonly ShippedModel[]): string | null {
  const role = shipped.find((m) => m.id === id)?.role;
  return role === undefined ? null : (WORDS[role]?.label ?? null);
}

/** The preferred model if shipped, else the first shipped one (the build lists the accurate one first). */
export function resolveModelId(
  preferred: string | null,
  shipped: readonly string[],
): string | null {
  if (preferred && shipped.includes(preferred)) return preferred;
  return shipped[0] ?? null;
}

/** Whether this app ships the very network (id and version) that made a saved scan. */
export function isShippedVersion(
  id: string,
  version: string,
  shipped: readonly ShippedModel[],
): boolean {
  return shipped.some((m) => m.id === id && m.version === version);
}

/** How a saved scan names the model that made it, saying so when that model is no longer shipped. */
export function modelName(id: string, version: string, shipped: readonly ShippedModel[]): string {
  const current = shipped.find((m) => m.id === id);
  if (!current)
    return `${id} v${version} (a retired model; today's models may score it differently)`;
  const label = WORDS[current.role]?.label;
  const named = label ? `${label} model (${id} v${version})` : `${id} v${version}`;
  return current.version === version
    ? named
    : `${named}, an earlier version (this app has v${current.version})`;
}

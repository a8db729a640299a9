/**
 * What the model that made a report's scans is, and its limits, in two lines taken from its
 * card (never typed by hand): the numbers a doctor needs to weigh its risk band. Pure.
 */
import type { ModelCard } from '../card/model-card';
import { plainSummaries } from '../card/plain';

export interface ModelAbout {
  readonly modelId: string;
  /** What it is: network, size, what it learned from. */
  readonly what: string;
  /** How often it missed cancers and flagged harmless spots in testing (null: no card). */
  readonly limits: string | null;
}

/** The dataset's name without its parenthesised description ("HAM10000 (dermoscopic …)"). */
const shortName = (dataset: string): string => dataset.split(' (')[0]?.trim() || dataset;

export function modelAbout(card: ModelCard): ModelAbout {
  const learned = card.data.phone
    ? `${shortName(card.data.dataset)} dermoscopic images and ${shortName(card.data.phone.dataset)}`
    : `${shortName(card.data.dataset)} dermoscopic images only (no phone photos)`;
  const millions = (card.parameters / 1e6).toFixed(2);
  // Phone photos first: that is how DermLens is used (plainSummaries puts them first).
  const summary = plainSummaries(card)[0];
  return {
    modelId: card.modelId,
    what:
      `The model (${card.modelId}): a ${card.architecture} network (${millions} M parameters, ` +
      `${card.inputSize}×${card.inputSize} pixel input) trained on ${learned}; it knows ` +
      `${card.labels.length} lesion types.`,
    limits: summary
      ? `${summary.sentence} (${summary.cancers + summary.harmless} test photos, used for nothing else.)`
      : null,
  };
}

/** An earlier version of a model the app still ships: today's card is another network's. */
export function earlierVersionAbout(modelId: string, version: string, current: string): ModelAbout {
  return {
    modelId,
    what:
      `The model (${modelId} v${version}) was an earlier version; this app now has v${current}, ` +
      `so the earlier version's test results cannot be shown here.`,
    limits: null,
  };
}

/** A model this version of the app no longer ships: no card to quote. */
export function retiredAbout(modelId: string): ModelAbout {
  return {
    modelId,
    what: `The model (${modelId}) is no longer part of this app, so its test results cannot be shown here.`,
    limits: null,
  };
}

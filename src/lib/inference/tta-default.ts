/**
 * Whether TTA is on when the person leaves it on "Automatic". The default comes from the model's
 * card.json, where `evaluate` decided it from the cost it measured (on only if the 8 views cost at
 * most `maxLatencyRatio` single predictions); the device's own measurement, taken after warm-up,
 * can still turn it off where it is slower than that. Pure.
 */
import type { TtaDefault } from '../card/model-card';
import { TTA_MAX_RATIO } from '../../shared/tta';

/** Whether TTA is on: as the person set it (true/false), else automatic (null). */
export function ttaOn(
  choice: boolean | null,
  card: TtaDefault | null,
  deviceRatio: number | null,
): boolean {
  return choice ?? automaticTta(card, deviceRatio);
}

/**
 * Whether a load should warm up and time TTA's 8 views: where TTA may be on. Off by the
 * person's choice, or automatic with a card whose default is off, it stays off whatever it
 * costs here, so the load skips that work (about 0.7 s of the accurate model's on wasm here).
 */
export function needsTtaCost(choice: boolean | null, card: TtaDefault | null): boolean {
  if (choice !== null) return choice;
  return card?.on ?? true;
}

export function automaticTta(card: TtaDefault | null, deviceRatio: number | null): boolean {
  if (deviceRatio === null) return false; // not measured yet: the model is still loading
  // A card without a default (older training code, or not readable): the device decides alone.
  if (!card) return deviceRatio <= TTA_MAX_RATIO;
  return card.on && deviceRatio <= card.maxLatencyRatio;
}

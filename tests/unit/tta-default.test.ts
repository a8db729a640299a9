import { describe, expect, it } from 'vitest';
import type { TtaDefault } from '../../src/lib/card/model-card';
import { automaticTta, needsTtaCost, ttaOn } from '../../src/lib/inference/tta-default';

const card = (on: boolean, maxLatencyRatio = 4): TtaDefault => ({
  on,
  maxLatencyRatio,
  latency: { singleMs: 2, ttaMs: on ? 6 : 14, ratio: on ? 3 : 7, measuredOn: 'test' },
  rule: 'test',
});

describe('automatic TTA', () => {
  it('follows the card: off where the card says off, however cheap it is here', () => {
    expect(automaticTta(card(false), 1.5)).toBe(false);
  });

  it('card on: on where this device is within the limit, off above it', () => {
    expect(automaticTta(card(true), 4)).toBe(true);
    expect(automaticTta(card(true), 4.01)).toBe(false);
    expect(automaticTta(card(true, 6), 5)).toBe(true); // the card's limit, not a constant
  });

  it('off while the model is loading (nothing measured yet)', () => {
    expect(automaticTta(card(true), null)).toBe(false);
  });

  it('a card without a default: the device decides alone, up to 4x', () => {
    expect(automaticTta(null, 3.9)).toBe(true);
    expect(automaticTta(null, 7.7)).toBe(false);
  });
});

describe('TTA on or off', () => {
  it("is the person's choice when they made one, else automatic", () => {
    expect(ttaOn(true, card(false), 9)).toBe(true);
    expect(ttaOn(false, card(true), 1)).toBe(false);
    expect(ttaOn(null, card(true), 3)).toBe(true);
    expect(ttaOn(null, card(true), null)).toBe(false);
  });
});

describe("whether a load times TTA's 8 views", () => {
  it('only where TTA may be on: chosen on, or automatic with a default that is on or unknown', () => {
    expect(needsTtaCost(true, card(false))).toBe(true);
    expect(needsTtaCost(false, card(true))).toBe(false);
    expect(needsTtaCost(null, card(true))).toBe(true);
    expect(needsTtaCost(null, card(false))).toBe(false); // stays off whatever it costs here
    expect(needsTtaCost(null, null)).toBe(true); // no card: the device decides, so it measures
  });
  it('never leaves automatic undecided where it could be on', () => {
    for (const choice of [null, true, false]) {
      for (const c of [card(true), card(false), null]) {
        // Not measured means a null ratio: then automatic must be off for this choice and card.
        if (!needsTtaCost(choice, c)) expect(ttaOn(choice, c, null)).toBe(false);
      }
    }
  });
});

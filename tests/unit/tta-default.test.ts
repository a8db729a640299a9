import { describe, expect, it } from 'vitest';
import type { TtaDefault } from '../../src/lib/card/model-card';
import { automaticTta, ttaOn } from '../../src/lib/inference/tta-default';

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

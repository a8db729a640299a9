import { describe, expect, it } from 'vitest';
import { KeptInput } from '../../src/worker/kept-input';

describe("the worker's kept input (for Grad-CAM of another class)", () => {
  it("gives back the last prediction's input, by its request id and model", () => {
    const kept = new KeptInput();
    const input = new Float32Array([1, 2, 3]);
    kept.keep(7, 'm', input);
    expect(kept.get(7, 'm')).toBe(input);
    expect(kept.get(7, 'm')).toBe(input); // as often as the person picks a class
  });

  it('refuses an older prediction, another model, or nothing kept (a restarted worker)', () => {
    const kept = new KeptInput();
    expect(() => kept.get(1, 'm')).toThrow(/no longer held.*analyse it again/);
    kept.keep(1, 'm', new Float32Array(3));
    kept.keep(2, 'm', new Float32Array(3));
    expect(() => kept.get(1, 'm')).toThrow(/no longer held/);
    expect(() => kept.get(2, 'other')).toThrow(/no longer held/);
  });
});

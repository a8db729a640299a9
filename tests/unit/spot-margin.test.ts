/** The crop margin constant, the measurement report it comes from and the doc agree. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAR_SPOT_FILL_SIDE, SPOT_FILL_SIDE } from '../../src/lib/image/spot/margin';

const ROOT = resolve(import.meta.dirname, '../..');
const read = (path: string): string => readFileSync(resolve(ROOT, path), 'utf8');

interface Quartiles {
  readonly p25: number;
  readonly median: number;
  readonly p75: number;
}
interface Report {
  readonly fill: Record<
    'ham10000' | 'padUfes20',
    { readonly images: number; readonly sideFill: Quartiles; readonly areaFill: Quartiles }
  >;
  readonly margin: { readonly value: number; readonly far: number };
}

describe('spot fill margin', () => {
  const report = JSON.parse(read('docs/spot-fill-report.json')) as Report;

  it("SPOT_FILL_SIDE is the report's margin: the HAM10000 median side fill, rounded", () => {
    expect(SPOT_FILL_SIDE).toBe(report.margin.value);
    expect(report.margin.value).toBe(Number(report.fill.ham10000.sideFill.median.toFixed(2)));
    expect(report.fill.ham10000.images).toBeGreaterThanOrEqual(1000);
  });

  it("the numbers quoted where the constant is defined and in the doc are the report's", () => {
    const { ham10000, padUfes20 } = report.fill;
    const quoted = [
      ham10000.sideFill.median,
      ham10000.sideFill.p25,
      ham10000.sideFill.p75,
      padUfes20.sideFill.median,
      padUfes20.sideFill.p25,
      padUfes20.sideFill.p75,
    ].map((v) => v.toFixed(3));
    const source = read('src/lib/image/spot/margin.ts');
    const doc = read('docs/spot-fill.md');
    for (const v of quoted) {
      expect(source).toContain(v);
      expect(doc).toContain(v);
    }
    expect(doc).toContain(`SPOT_FILL_SIDE = ${SPOT_FILL_SIDE}`);
  });

  it('the far margin is tighter, a framing the training images have, and the report and doc say it', () => {
    expect(report.margin.far).toBe(FAR_SPOT_FILL_SIDE);
    expect(FAR_SPOT_FILL_SIDE).toBeGreaterThan(SPOT_FILL_SIDE);
    // Under HAM10000's upper quartile of fill: a quarter of its training images are framed tighter.
    expect(FAR_SPOT_FILL_SIDE).toBeLessThan(report.fill.ham10000.sideFill.p75);
    expect(read('docs/spot-fill.md')).toContain(`FAR_SPOT_FILL_SIDE = ${FAR_SPOT_FILL_SIDE}`);
  });
});

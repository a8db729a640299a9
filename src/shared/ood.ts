/**
 * ood.json: the not-a-skin-spot gate of one model (written by training's `gate` and `export`
 * stages). The worker reads the feature statistics (ood.bin, checked against its sha256 like the
 * weights) to measure how far a photo's features are from the training photos; the page compares
 * that distance and the photo's skin share with the thresholds chosen on held-out data.
 */
export interface OodThresholds {
  /** Refuse when the squared feature distance is above this. */
  readonly maxDistance: number;
  /** Refuse when the logits' free energy (-logsumexp) is above this. */
  readonly maxEnergy: number;
  /** Refuse when less than this share of the model's input is skin-coloured. */
  readonly minSkinFraction: number;
}

export interface OodSpec {
  /** The layer whose output is measured: pooled [null, C], or [null, h, w, C] that the worker averages. */
  readonly featureLayer: string;
  readonly classes: number;
  readonly channels: number;
  readonly components: number;
  readonly residualVariance: number;
  readonly skinBox: {
    readonly cb: readonly [number, number];
    readonly cr: readonly [number, number];
  };
  readonly thresholds: OodThresholds;
  /**
   * The crop framed this much tighter (one of steadiness.ts FRAMINGS) is judged too, and each
   * check takes the more skin-spot-like evidence of the two (not-a-spot.ts eitherFraming); absent:
   * the crop alone.
   */
  readonly tighterFraming?: number;
  readonly file: { readonly path: string; readonly bytes: number; readonly sha256: string };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isCount = (v: unknown): v is number => isNumber(v) && Number.isInteger(v) && v > 0;

function pair(v: unknown, what: string): readonly [number, number] {
  if (!Array.isArray(v) || v.length !== 2 || !v.every(isNumber)) {
    throw new Error(`ood.json: ${what} must be [low, high]`);
  }
  return [v[0] as number, v[1] as number];
}

function need<T>(obj: Json, key: string, ok: (v: unknown) => v is T, what: string): T {
  const v = obj[key];
  if (!ok(v)) throw new Error(`ood.json: "${key}" must be ${what}`);
  return v;
}

/** Validates parsed ood.json; throws naming the first bad field (a broken export). */
export function parseOod(raw: unknown): OodSpec {
  if (!isObject(raw)) throw new Error('ood.json: not an object');
  const thresholds = need(raw, 'thresholds', isObject, 'an object');
  const skinBox = need(raw, 'skinBox', isObject, 'an object');
  const file = need(raw, 'file', isObject, 'an object');
  const spec: OodSpec = {
    featureLayer: need(
      raw,
      'featureLayer',
      (v): v is string => typeof v === 'string' && v !== '',
      'a layer name',
    ),
    classes: need(raw, 'classes', isCount, 'a count'),
    channels: need(raw, 'channels', isCount, 'a count'),
    components: need(raw, 'components', isCount, 'a count'),
    residualVariance: need(raw, 'residualVariance', isNumber, 'a number'),
    skinBox: { cb: pair(skinBox['cb'], 'skinBox.cb'), cr: pair(skinBox['cr'], 'skinBox.cr') },
    thresholds: {
      maxDistance: need(
        thresholds,
        'maxDistance',
        (v): v is number => typeof v === 'number',
        'a number',
      ),
      // A check training found no use for comes as 1e300 (JSON has no Infinity): it never refuses.
      maxEnergy: need(thresholds, 'maxEnergy', isNumber, 'a number'),
      minSkinFraction: need(thresholds, 'minSkinFraction', isNumber, 'a number'),
    },
    file: {
      path: need(
        file,
        'path',
        (v): v is string => typeof v === 'string' && v !== '',
        'a file name',
      ),
      bytes: need(file, 'bytes', isCount, 'a count'),
      sha256: need(
        file,
        'sha256',
        (v): v is string => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v),
        'a sha256',
      ),
    },
  };
  const framing = raw['tighterFraming'];
  if (framing !== undefined) {
    if (!isNumber(framing) || !(framing > 0 && framing < 1)) {
      throw new Error('ood.json: "tighterFraming" must be a number between 0 and 1');
    }
    Object.assign(spec, { tighterFraming: framing });
  }
  const floats = spec.classes * spec.channels + (spec.channels + 1) * spec.components;
  if (spec.file.bytes !== 4 * floats) {
    throw new Error(
      `ood.json: ${spec.file.path} should hold ${floats} float32 values, not ${spec.file.bytes} bytes`,
    );
  }
  if (!(spec.residualVariance > 0)) throw new Error('ood.json: residualVariance must be > 0');
  return spec;
}

/**
 * How far a photo's pooled features (at the depth ood.json names) are from the training photos: the minimum over classes of
 * the squared Mahalanobis distance with one shared covariance, whitened along its top principal
 * directions and isotropic (the mean leftover variance) in the rest. The same maths as
 * training/dermlens_train/ood.py (FeatureStats.distance), on the statistics in ood.bin.
 */
import type { OodSpec } from '../shared/ood';

export interface FeatureStats {
  readonly classes: number;
  readonly channels: number;
  readonly components: number;
  /** classes x channels, row-major. */
  readonly classMeans: Float32Array;
  /** channels x components, row-major. */
  readonly basis: Float32Array;
  readonly variances: Float32Array;
  readonly residualVariance: number;
}

/** ood.bin (float32 little-endian: class means, basis, variances) as typed views. */
export function readFeatureStats(spec: OodSpec, bytes: ArrayBuffer): FeatureStats {
  if (bytes.byteLength !== spec.file.bytes) {
    throw new Error(`${spec.file.path}: ${bytes.byteLength} bytes, expected ${spec.file.bytes}`);
  }
  const { classes, channels, components } = spec;
  const all = new Float32Array(bytes.slice(0));
  const meansEnd = classes * channels;
  const basisEnd = meansEnd + channels * components;
  return {
    classes,
    channels,
    components,
    classMeans: all.subarray(0, meansEnd),
    basis: all.subarray(meansEnd, basisEnd),
    variances: all.subarray(basisEnd, basisEnd + components),
    residualVariance: spec.residualVariance,
  };
}

/** Squared distance of one feature vector to the nearest class (float64 accumulation). */
export function featureDistance(stats: FeatureStats, features: Float32Array): number {
  const { classes, channels, components, classMeans, basis, variances } = stats;
  if (features.length !== channels)
    throw new Error(`expected ${channels} features, got ${features.length}`);
  const centred = new Float64Array(channels);
  const projected = new Float64Array(components);
  let best = Infinity;
  for (let c = 0; c < classes; c++) {
    let norm = 0;
    for (let i = 0; i < channels; i++) {
      const v = (features[i] as number) - (classMeans[c * channels + i] as number);
      centred[i] = v;
      norm += v * v;
    }
    projected.fill(0);
    for (let i = 0; i < channels; i++) {
      const v = centred[i] as number;
      const row = i * components;
      for (let k = 0; k < components; k++)
        projected[k] = (projected[k] as number) + v * (basis[row + k] as number);
    }
    let whitened = 0;
    let inPlane = 0;
    for (let k = 0; k < components; k++) {
      const p = projected[k] as number;
      whitened += (p * p) / (variances[k] as number);
      inPlane += p * p;
    }
    const residual = Math.max(norm - inPlane, 0);
    best = Math.min(best, whitened + residual / stats.residualVariance);
  }
  return best;
}

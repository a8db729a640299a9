/** meta.json: the train/serve contract of one exported model (see model/README.md). */
export interface WeightFile {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface ModelMeta {
  readonly id: string;
  readonly version: string;
  readonly inputSize: number;
  /** Output order of the network's logits. */
  readonly labels: readonly string[];
  readonly labelNames: Readonly<Record<string, string>>;
  /** Labels whose probabilities add up to the malignant risk. */
  readonly malignant: readonly string[];
  readonly temperature: number;
  readonly risk: { readonly threshold: number; readonly high: number };
  readonly gradcamLayer?: string;
  readonly weights: readonly WeightFile[];
  readonly quantization?: string;
  /** "accurate" or "fast": what the app offers the model as. */
  readonly role?: string;
  /** The global-average-pool layer whose output the not-a-spot gate measures. */
  readonly featureLayer?: string;
  /** The gate's description (ood.json) and its statistics file, hash-checked like the weights. */
  readonly ood?: { readonly path: string; readonly data: WeightFile };
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function field<T>(obj: Json, key: string, ok: (v: unknown) => v is T, what: string): T {
  const v = obj[key];
  if (!ok(v)) throw new Error(`meta.json: "${key}" must be ${what}, got ${JSON.stringify(v)}`);
  return v;
}

const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);

/** Validates parsed meta.json; throws an Error naming the first bad field (a broken export). */
export function parseMeta(raw: unknown): ModelMeta {
  if (!isObject(raw)) throw new Error('meta.json: not an object');
  const labels = field(raw, 'labels', isStringArray, 'a list of labels');
  const labelNames = field(raw, 'labelNames', isObject, 'an object');
  const malignant = field(raw, 'malignant', isStringArray, 'a list of labels');
  const risk = field(raw, 'risk', isObject, 'an object');
  const threshold = field(risk, 'threshold', isNumber, 'a number');
  const high = field(risk, 'high', isNumber, 'a number');
  const temperature = field(raw, 'temperature', isNumber, 'a number');
  const inputSize = field(raw, 'inputSize', isNumber, 'a number');
  const weights = raw['weights'] ?? [];

  if (new Set(labels).size !== labels.length) throw new Error('meta.json: duplicate labels');
  const unknown = malignant.filter((m) => !labels.includes(m));
  if (unknown.length) throw new Error(`meta.json: malignant labels not in labels: ${unknown}`);
  if (!(temperature > 0)) throw new Error('meta.json: temperature must be > 0');
  if (!(threshold > 0 && threshold <= high && high <= 1)) {
    throw new Error('meta.json: need 0 < risk.threshold <= risk.high <= 1');
  }
  if (!Number.isInteger(inputSize) || inputSize < 1) throw new Error('meta.json: bad inputSize');
  if (!Array.isArray(weights)) throw new Error('meta.json: "weights" must be a list');

  const names: Record<string, string> = {};
  for (const label of labels) {
    const name = labelNames[label];
    names[label] = typeof name === 'string' && name ? name : label;
  }
  const gradcamLayer = raw['gradcamLayer'];
  const quantization = raw['quantization'];
  const role = raw['role'];
  const featureLayer = raw['featureLayer'];
  const ood = isObject(raw['ood']) ? raw['ood'] : null;
  const oodData = ood && isObject(ood['data']) ? ood['data'] : null;
  if (
    ood &&
    (!isString(ood['path']) ||
      !oodData ||
      !isString(oodData['path']) ||
      !isString(oodData['sha256']))
  ) {
    throw new Error('meta.json: "ood" must name ood.json and its data file with a sha256');
  }
  return {
    id: field(raw, 'id', isString, 'a string'),
    version: isString(raw['version']) ? raw['version'] : '0',
    inputSize,
    labels,
    labelNames: names,
    malignant,
    temperature,
    risk: { threshold, high },
    weights: weights.filter(isObject).map((w) => ({
      path: String(w['path']),
      bytes: Number(w['bytes']),
      sha256: String(w['sha256']),
    })),
    ...(isString(gradcamLayer) ? { gradcamLayer } : {}),
    ...(isString(quantization) ? { quantization } : {}),
    ...(isString(role) ? { role } : {}),
    ...(isString(featureLayer) ? { featureLayer } : {}),
    ...(ood && oodData
      ? {
          ood: {
            path: String(ood['path']),
            data: {
              path: String(oodData['path']),
              bytes: Number(oodData['bytes']),
              sha256: String(oodData['sha256']),
            },
          },
        }
      : {}),
  };
}

/** card.json: the test-split evaluation `training evaluate` writes for one model (the app renders it). */

export interface ClassMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
  readonly auc: number;
}

export interface OperatingPoint {
  readonly value: number;
  readonly sensitivity: number;
  readonly specificity: number;
}

export interface TestMetrics {
  readonly accuracy: number;
  readonly balancedAccuracy: number;
  readonly macroAuc: number;
  readonly macroF1: number;
  readonly perClass: Readonly<Record<string, ClassMetrics>>;
  /** Rows: true class, columns: predicted class, both in card.labels order. */
  readonly confusionMatrix: readonly (readonly number[])[];
  readonly n: number;
  readonly malignant: {
    readonly positives: number;
    readonly negatives: number;
    readonly threshold: OperatingPoint;
    readonly high: OperatingPoint;
  };
  readonly ece: { readonly before: number; readonly after: number };
}

/** One bin of a reliability diagram; confidence/accuracy are null for an empty bin. */
export interface ReliabilityBin {
  readonly low: number;
  readonly high: number;
  readonly count: number;
  readonly confidence: number | null;
  readonly accuracy: number | null;
}

/** A published result to compare with: a number or a [low, high] range; null = not reported. */
export type Reported = number | readonly [number, number] | null;

export interface Baseline {
  readonly name: string;
  readonly accuracy: Reported;
  readonly macroAuc: Reported;
  readonly lesionDisjoint: boolean;
  readonly source: string;
}

/** A published phone-photo (PAD-UFES-20) result; none of them splits by patient. */
export interface PhoneBaseline {
  readonly name: string;
  readonly accuracy?: number;
  readonly balancedAccuracy?: number;
  readonly macroAuc?: number;
  readonly patientDisjoint: boolean;
  readonly source: string;
}

/** The test metrics of the phone-photo fold, over the classes those photos have. */
export interface PhoneMetrics extends TestMetrics {
  readonly classesPresent: readonly string[];
  readonly malignantAuc: number | null;
}

export interface ModelCard {
  readonly modelId: string;
  /** "accurate" or "fast" (cards written before roles have none). */
  readonly role?: string;
  readonly date: string;
  readonly inputSize: number;
  readonly architecture: string;
  readonly parameters: number;
  readonly labels: readonly string[];
  readonly data: {
    readonly dataset: string;
    readonly split: string;
    readonly fit: number;
    readonly selection: number;
    readonly test: number;
    readonly licence: string;
    readonly phone?: {
      readonly dataset: string;
      readonly folds: string;
      readonly fit: number;
      readonly selection: number;
      readonly test: number;
      readonly patients: { readonly fit: number; readonly select: number; readonly test: number };
    };
  };
  readonly test: TestMetrics & { readonly malignantAuc?: number | null };
  /** The same metrics on our PAD-UFES-20 test fold (phone photos). */
  readonly phone?: PhoneMetrics;
  readonly phoneBaselines?: readonly PhoneBaseline[];
  readonly tta?: {
    readonly views: number;
    readonly test: TestMetrics;
    readonly accuracyGain: number;
    readonly macroAucGain: number;
    /** The automatic setting, decided by `evaluate` from the latency it measured. */
    readonly default?: TtaDefault;
  };
  readonly reliability: {
    readonly before: readonly ReliabilityBin[];
    readonly after: readonly ReliabilityBin[];
  };
  readonly calibration: { readonly temperature: number };
  readonly training: {
    readonly seconds: number;
    readonly hardware: string;
    readonly epochsRun?: number;
    readonly command?: string;
    readonly imagesPerSecond?: number | null;
    readonly pretrained?: string | null;
    /** A model made in stages: the runs before the last one (its teachers, the run it continued). */
    readonly earlierStages?: readonly TrainingStage[] | null;
    /** A weight average of trained runs ("model soup"): its ingredients; seconds is then their sum. */
    readonly soup?: { readonly ingredients: readonly string[] } | null;
    /** A timed `npm run train:<role>` from scratch (devtools reproduction): its time, what it made. */
    readonly reproduction?: Reproduction | null;
  };
  readonly baselines: readonly Baseline[];
  readonly intendedUse: string;
  /** The replaced version's test metrics (export writes it; read with previousVersion in compare.ts). */
  readonly previous?: unknown;
  readonly quantization?: {
    readonly shipped?: string;
    /** With "mixed": the weights stored as uint8 (the rest float16), chosen by training. */
    readonly mixedPlan?: { readonly uint8Weights?: readonly string[] };
  };
}

export interface Reproduction {
  readonly command: string;
  readonly machine: string;
  /** ISO time the first call started. */
  readonly started: string;
  readonly totalSeconds: number;
  /**
   * False when a stopped call's epochs went untimed or a stage began from earlier epochs: the
   * total is then a lower bound.
   */
  readonly measured: boolean;
  /** Calls stopped and continued with --resume (their finished epochs count by their own times). */
  readonly stops?: number;
  readonly made?: {
    readonly dermoscopic: {
      readonly accuracy: number;
      readonly balancedAccuracy: number;
      readonly macroAuc: number;
    };
    readonly phone?: { readonly balancedAccuracy: number; readonly malignantAuc: number } | null;
  } | null;
}

export interface TrainingStage {
  readonly run: string;
  readonly hardware?: string | null;
  readonly epochs: number;
  readonly trainSeconds: number;
  /** Its median training throughput, where its log recorded one. */
  readonly imagesPerSecond?: number | null;
  /** Trained at one class-balance power, read under another's class prior (logit adjustment). */
  readonly priorShift?: { readonly fromPower: number; readonly toPower: number } | null;
}

/**
 * The earlier stages of a model made in stages, one line each for the card's Training section
 * ("p1-f0: 5 epochs, 2 min on NVIDIA H200 (CUDA), 640 training images per second"), or null for a
 * model trained in one run. Without them the section would credit the whole model to its last,
 * short stage.
 */
export function earlierStageLines(
  training: Pick<ModelCard['training'], 'earlierStages'>,
): readonly string[] | null {
  const stages = training.earlierStages;
  if (!Array.isArray(stages) || stages.length === 0) return null;
  return stages.map((stage) => {
    const where = stage.hardware ? ` on ${stage.hardware}` : '';
    const epochs = `${stage.epochs} epoch${stage.epochs === 1 ? '' : 's'}`;
    const rate = stage.imagesPerSecond
      ? `, ${Math.round(stage.imagesPerSecond)} training images per second`
      : '';
    const shift = stage.priorShift
      ? ` (trained at class balance ${stage.priorShift.fromPower}, its answers then read at ${stage.priorShift.toPower}: logit adjustment, Menon et al. 2021)`
      : '';
    return `${stage.run}: ${epochs}, ${Math.max(1, Math.round(stage.trainSeconds / 60))} min${where}${rate}${shift}`;
  });
}

/**
 * The run the card's network comes from, in words: "19 min on AMD EPYC (2 cores), 3 epochs, 21
 * training images per second" (epochs and rate where its log has them).
 */
export function lastRunLine(
  training: Pick<ModelCard['training'], 'seconds' | 'hardware' | 'epochsRun' | 'imagesPerSecond'>,
): string {
  const epochs = training.epochsRun ? `, ${training.epochsRun} epochs` : '';
  const rate = training.imagesPerSecond
    ? `, ${Math.round(training.imagesPerSecond)} training images per second`
    : '';
  return `${Math.round(training.seconds / 60)} min on ${training.hardware}${epochs}${rate}`;
}

/**
 * How long the whole model took to train: a weight average's seconds are already the sum of its
 * runs; a network trained last after earlier stages (a distilled student's teachers) adds them.
 */
export function trainingSecondsInAll(
  training: Pick<ModelCard['training'], 'seconds' | 'earlierStages' | 'soup'>,
): number {
  if (training.soup?.ingredients?.length) return training.seconds;
  const earlier = Array.isArray(training.earlierStages) ? training.earlierStages : [];
  return earlier.reduce((sum, stage) => sum + stage.trainSeconds, training.seconds);
}

const hoursAndMinutes = (seconds: number): string => {
  const total = Math.round(seconds / 60);
  const hours = Math.floor(total / 60);
  if (!hours) return `${total} min`;
  // "2 h", not "2 h 0 min"
  return total % 60 ? `${hours} h ${total % 60} min` : `${hours} h`;
};

/**
 * A timed reproduction in words ("`npm run train:fast` from scratch on 2 cores, AMD EPYC: 1 h 52 min
 * in all (started 2026-12-08); the network it made: dermoscopic test ACC 0.79, balanced 0.60, macro
 * AUC 0.94; phone photos balanced 0.52, malignant AUC 0.87"), or null when none was recorded. The
 * shipped network itself was made in stages elsewhere; this line says what the command costs on
 * an ordinary machine and how close its result comes.
 */
export function reproductionLine(
  training: Pick<ModelCard['training'], 'reproduction'>,
): string | null {
  const run = training.reproduction;
  if (!run) return null;
  const time = `${run.measured ? '' : 'at least '}${hoursAndMinutes(run.totalSeconds)}`;
  const day = run.started.slice(0, 10);
  const made = run.made
    ? `; the network it made: dermoscopic test ACC ${run.made.dermoscopic.accuracy.toFixed(2)}, balanced ${run.made.dermoscopic.balancedAccuracy.toFixed(2)}, macro AUC ${run.made.dermoscopic.macroAuc.toFixed(2)}` +
      (run.made.phone
        ? `; phone photos balanced ${run.made.phone.balancedAccuracy.toFixed(2)}, malignant AUC ${run.made.phone.malignantAuc.toFixed(2)}`
        : '')
    : '';
  // Not measured: a stopped call's epochs went untimed or a stage began from epochs run before
  // the timing, so the sum is a lower bound and the run was not wholly from scratch. A measured
  // run may have been stopped and resumed: the epochs finished before a stop count by the seconds
  // each logged, which is what one unstopped run would have spent on them.
  const how = run.measured ? 'from scratch on' : 'on';
  const stops = run.stops ?? 0;
  const caveat = !run.measured
    ? ' (a lower bound: a stopped stage went untimed, or a stage began from epochs run before)'
    : stops > 0
      ? `, resumed after ${stops === 1 ? 'a stop' : `${stops} stops`} (epochs finished before a stop count by their own logged times)`
      : '';
  return `${run.command} ${how} ${run.machine}: ${time} in all${caveat} (started ${day})${made}.`;
}

/**
 * For a weight average of trained runs, its last step in words ("the weights of a, b and c
 * averaged"), or null for a network trained as it ships.
 */
export function soupLine(training: Pick<ModelCard['training'], 'soup'>): string | null {
  const names = training.soup?.ingredients;
  if (!Array.isArray(names) || names.length === 0) return null;
  const list =
    names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `the weights of ${list} averaged weight by weight (a "model soup", Wortsman et al. 2022)`;
}

/**
 * How the shipped weights are stored, in words for the card's Training section: "float16", or
 * for a mixed export how many weight tensors are uint8 (the rest are float16).
 */
export function weightFormat(card: Pick<ModelCard, 'quantization'>): string {
  const shipped = card.quantization?.shipped ?? 'float32';
  const uint8 = card.quantization?.mixedPlan?.uint8Weights;
  if (shipped !== 'mixed' || !Array.isArray(uint8)) return shipped;
  const n = uint8.length;
  return `mixed (${n} weight tensor${n === 1 ? '' : 's'} as uint8, the rest float16)`;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value at a dotted path of a parsed JSON object, or undefined. */
function at(raw: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (isObject(v) ? v[k] : undefined), raw);
}

export interface TtaDefault {
  readonly on: boolean;
  /** TTA stays off where its 8 views cost more than this many single predictions. */
  readonly maxLatencyRatio: number;
  readonly latency: {
    readonly singleMs: number;
    readonly ttaMs: number;
    readonly ratio: number;
    readonly measuredOn: string;
  };
  readonly rule: string;
}

const NUMBERS = [
  'inputSize',
  'parameters',
  'data.test',
  'test.accuracy',
  'test.balancedAccuracy',
  'test.macroAuc',
  'test.n',
  'test.malignant.threshold.sensitivity',
  'test.malignant.threshold.specificity',
  'test.malignant.high.sensitivity',
  'test.malignant.high.specificity',
  'test.ece.before',
  'test.ece.after',
  'calibration.temperature',
  'training.seconds',
];
/** Checked only when the card has a phone block (cards written before phone training have none). */
const PHONE_NUMBERS = [
  'phone.n',
  'phone.accuracy',
  'phone.balancedAccuracy',
  'phone.macroAuc',
  'phone.malignant.positives',
  'phone.malignant.negatives',
  'phone.malignant.threshold.sensitivity',
  'phone.malignant.threshold.specificity',
  'phone.malignant.high.sensitivity',
  'phone.malignant.high.specificity',
];
const STRINGS = ['modelId', 'data.dataset', 'data.licence', 'training.hardware', 'intendedUse'];
const LISTS = ['labels', 'test.confusionMatrix', 'reliability.before', 'reliability.after'];

/**
 * Checks the fields the model card page draws, then types the object. A card from another
 * version of `training` fails here with the field's name instead of drawing NaN.
 */
export function parseCard(raw: unknown): ModelCard {
  const bad = (path: string, what: string): Error =>
    new Error(`card.json: "${path}" must be ${what}, got ${JSON.stringify(at(raw, path))}`);
  for (const p of NUMBERS) if (!Number.isFinite(at(raw, p))) throw bad(p, 'a number');
  for (const p of STRINGS) if (typeof at(raw, p) !== 'string') throw bad(p, 'a string');
  for (const p of LISTS) if (!Array.isArray(at(raw, p))) throw bad(p, 'a list');
  const card = raw as ModelCard;
  const k = card.labels.length;
  const matrix = card.test.confusionMatrix;
  if (matrix.length !== k || matrix.some((row) => !Array.isArray(row) || row.length !== k)) {
    throw new Error(`card.json: confusionMatrix must be ${k} x ${k}`);
  }
  if (!Array.isArray(card.baselines)) throw bad('baselines', 'a list');
  if (at(raw, 'phone') !== undefined) {
    for (const p of PHONE_NUMBERS) if (!Number.isFinite(at(raw, p))) throw bad(p, 'a number');
    if (!Array.isArray(at(raw, 'phone.classesPresent')))
      throw bad('phone.classesPresent', 'a list');
  }
  const reproduction = at(raw, 'training.reproduction');
  if (reproduction !== undefined && reproduction !== null) {
    if (!Number.isFinite(at(raw, 'training.reproduction.totalSeconds')))
      throw bad('training.reproduction.totalSeconds', 'a number');
    for (const p of ['command', 'machine', 'started']) {
      const path = `training.reproduction.${p}`;
      if (typeof at(raw, path) !== 'string') throw bad(path, 'a string');
    }
    if (typeof at(raw, 'training.reproduction.measured') !== 'boolean')
      throw bad('training.reproduction.measured', 'true or false');
    const stops = at(raw, 'training.reproduction.stops');
    if (stops !== undefined && !(Number.isInteger(stops) && (stops as number) >= 0))
      throw bad('training.reproduction.stops', 'a whole number');
  }
  if (at(raw, 'tta.default') !== undefined) {
    if (typeof at(raw, 'tta.default.on') !== 'boolean')
      throw bad('tta.default.on', 'true or false');
    for (const p of ['maxLatencyRatio', 'latency.singleMs', 'latency.ttaMs', 'latency.ratio']) {
      const path = `tta.default.${p}`;
      if (!Number.isFinite(at(raw, path))) throw bad(path, 'a number');
    }
  }
  return card;
}

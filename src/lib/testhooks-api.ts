/** The contract of window.dermlensTest, shared by the app and the tests (types only). */
import type { Prediction } from '../shared/protocol';
import type { ClassifyOptions, LoadedModel, MemoryInfo } from './inference/client';

export interface DermlensTestHooks {
  /** Decodes image file bytes (base64) and preprocesses them: uint8 RGB, size*size*3. */
  preprocess(base64: string, size: number): Promise<number[]>;
  /** Loads a model in the app's worker (the app's backend choice applies). */
  load(modelId: string): Promise<LoadedModel>;
  /** Classifies an already preprocessed uint8 RGB tensor (optionally with TTA / Grad-CAM). */
  classifyUint8(
    modelId: string,
    rgb: readonly number[],
    options?: ClassifyOptions,
  ): Promise<Prediction>;
  /** Wall-clock ms of `runs` predictions on a fixed input, after load and warm-up. */
  time(modelId: string, runs: number, options?: ClassifyOptions): Promise<number[]>;
  /** Wall-clock ms of `runs` photo-quality checks (crop + metrics) of one decoded image file. */
  timeQualityCheck(base64: string, runs: number): Promise<number[]>;
  /**
   * The spot finder on a drawn 4000 x 3000 photo, `runs` times each way: on the page's thread,
   * and in the spot worker (request to reply, pixels transferred both ways), without and with
   * the display copy the crop step shows. `maxFrameGapMs`: the longest time between two frames
   * of the page while each way ran (how long the page could not paint).
   */
  timeSpotFinder(runs: number): Promise<Record<SpotFinderWay, SpotFinderTiming>>;
  /**
   * The not-a-skin-spot check of model `modelId`, `runs` times: the worker's part (the feature
   * distance to the training photos, src/worker/ood.ts, on the model's ood.bin; timed here on the
   * page's thread, the same code the worker runs after each prediction) and the page's part (the
   * skin share of the 128 x 128 crop and the decision rule).
   */
  timeNotASpotCheck(modelId: string, runs: number): Promise<NotASpotTiming>;
  memory(): Promise<MemoryInfo>;
  /** Makes the worker crash in the middle of the next prediction (the app must recover). */
  crashNextPrediction(): Promise<void>;
}

export type SpotFinderWay = 'mainThread' | 'worker' | 'workerWithDisplay';

export interface SpotFinderTiming {
  /** Wall-clock ms of each run. */
  readonly ms: number[];
  readonly maxFrameGapMs: number;
}

export interface NotASpotTiming {
  readonly featureDistanceMs: number[];
  readonly skinShareAndRuleMs: number[];
}

declare global {
  interface Window {
    dermlensTest?: DermlensTestHooks;
  }
}

/**
 * The inference worker's message protocol, both directions. Imported by the UI side and the
 * worker side; it holds only types and pure helpers (no DOM, no TF.js).
 */
import { assertNever } from './assert';
import type { BackendName } from './backends';
import type { ModelMeta } from './meta';

export type RequestId = number;

/** How the worker should pick its backend (once, on the first load). */
export interface BackendPlan {
  /** Backends to try, best first. */
  readonly candidates: readonly BackendName[];
  /** Skip a GPU backend that is really a software renderer (SwiftShader): wasm beats it. */
  readonly skipSoftware: boolean;
  /** Absolute URL prefix of the tfjs-backend-wasm .wasm files on our own origin. */
  readonly wasmPath: string;
}

export type WorkerRequest =
  | {
      readonly type: 'load';
      readonly id: RequestId;
      readonly modelUrl: string;
      readonly meta: ModelMeta;
      readonly plan: BackendPlan;
      /**
       * Whether to warm up the 8-view batch and time it against one view. Only where TTA may
       * be on: it took about 0.7 s of the accurate model's load in wasm on a 2-core machine.
       */
      readonly measureTta: boolean;
    }
  | {
      readonly type: 'predict';
      readonly id: RequestId;
      readonly modelId: string;
      /** float32 [1, N, N, 3] RGB in [0, 1], NHWC, flattened. */
      readonly input: Float32Array;
      /** Average the logits over the 8 flips/90-degree turns (test-time augmentation). */
      readonly tta: boolean;
      /** Also compute Grad-CAM for the predicted top class. */
      readonly gradcam: boolean;
      /**
       * The same crop framed tighter and wider (scan/steadiness.ts), each like `input`: their
       * malignant risks come back as Prediction.framedRisks. Not kept, never explained.
       */
      readonly framings: readonly Float32Array[];
    }
  | {
      /**
       * Grad-CAM for a class the person picked, on the input of an earlier prediction: the worker
       * keeps the last one, so the page does not hold or send it again.
       */
      readonly type: 'explain';
      readonly id: RequestId;
      readonly modelId: string;
      /** The prediction whose input to explain (its Prediction.inputId). */
      readonly inputId: RequestId;
      readonly classIndex: number;
    }
  | { readonly type: 'memory'; readonly id: RequestId };

export interface SkippedBackend {
  readonly backend: BackendName;
  readonly reason: string;
}

export interface LoadTimings {
  /** Choosing and initialising the backend (done once per worker). */
  readonly backendMs: number;
  /** Fetch + parse of model.json and weights. */
  readonly loadMs: number;
  /** The warm-up prediction on zeros (shader compilation on GPU backends). */
  readonly warmupMs: number;
}

/** TTA's latency on the active backend, measured once per model after warm-up. */
export interface TtaCost {
  readonly singleMs: number;
  /** One batch of the 8 views, averaged. */
  readonly ttaMs: number;
  /** ttaMs / singleMs: the page compares it with TTA's limit (shared/tta.ts, or the card's). */
  readonly ratio: number;
}

/** A Grad-CAM heat map at the feature map's resolution (the UI upsamples it for display). */
export interface HeatMap {
  /** Index in meta.labels of the class it explains. */
  readonly classIndex: number;
  readonly width: number;
  readonly height: number;
  /** Row-major, width * height values in [0, 1] (1 = the strongest evidence for the class). */
  readonly values: Float32Array;
  readonly ms: number;
}

export interface Prediction {
  readonly modelId: string;
  /** Names this prediction's input for a later 'explain' (the id of the request that carried it). */
  readonly inputId: RequestId;
  readonly backend: BackendName;
  /** softmax(logits / meta.temperature), in meta.labels order. */
  readonly probabilities: readonly number[];
  readonly logits: readonly number[];
  readonly malignantRisk: number;
  /**
   * The not-a-skin-spot gate's evidence: squared distance of the pooled features (at the depth ood.json names) of
   * the input as given (never a TTA view) to the nearest class of the training photos, measured
   * with the model's ood.bin. The page compares it with ood.json's threshold before it shows any
   * of the numbers above.
   */
  readonly featureDistance: number;
  /** The gate's other evidence: -logsumexp of the logits of the input as given (never a TTA view). */
  readonly energy: number;
  readonly inferenceMs: number;
  /** Whether the logits are the mean over the 8 TTA views. */
  readonly tta: boolean;
  /** The malignant risk of each of the request's framings (TTA as for the input), in order. */
  readonly framedRisks: readonly number[];
  /** The gate's evidence (as featureDistance and energy) of each of the request's framings, in order. */
  readonly framedEvidence: readonly { readonly distance: number; readonly energy: number }[];
  /** Grad-CAM of the top class, when asked for. */
  readonly heatmap: HeatMap | null;
}

export type WorkerResponse =
  /** Model download progress, and the backend being tried (the client blames it on a crash). */
  | {
      readonly type: 'progress';
      readonly id: RequestId;
      readonly backend: BackendName;
      readonly fraction: number;
    }
  | {
      readonly type: 'loaded';
      readonly id: RequestId;
      readonly modelId: string;
      readonly backend: BackendName;
      /** CPU threads the backend computes on (wasm's pool; 1 for plain JS; null on a GPU). */
      readonly threads: number | null;
      readonly skipped: readonly SkippedBackend[];
      readonly timings: LoadTimings;
      /** Weight files whose cached copy failed its sha256 and were downloaded again. */
      readonly repaired: readonly string[];
      /** null: not measured (the load was asked not to: TTA stays off unless turned on). */
      readonly ttaCost: TtaCost | null;
    }
  | { readonly type: 'prediction'; readonly id: RequestId; readonly prediction: Prediction }
  | { readonly type: 'heatmap'; readonly id: RequestId; readonly heatmap: HeatMap }
  | {
      readonly type: 'memory';
      readonly id: RequestId;
      readonly backend: BackendName | null;
      readonly numTensors: number;
      readonly numBytes: number;
    }
  | { readonly type: 'error'; readonly id: RequestId; readonly message: string }
  /** The worker cannot go on (e.g. GPU device lost): the client restarts it on the next backend. */
  | { readonly type: 'fatal'; readonly backend: BackendName | null; readonly message: string };

/** Objects to transfer (not copy) with a request. */
export function transferables(request: WorkerRequest): Transferable[] {
  switch (request.type) {
    case 'predict':
      return [request.input.buffer, ...request.framings.map((f) => f.buffer)];
    case 'explain':
    case 'load':
    case 'memory':
      return [];
    default:
      return assertNever(request, 'request');
  }
}

/** The request id a response answers, or null for messages not tied to one request. */
export function responseId(response: WorkerResponse): RequestId | null {
  switch (response.type) {
    case 'progress':
    case 'loaded':
    case 'prediction':
    case 'heatmap':
    case 'memory':
    case 'error':
      return response.id;
    case 'fatal':
      return null;
    default:
      return assertNever(response, 'response');
  }
}

/**
 * Typed bridge to the inference worker: request ids, one request at a time (queued), AbortSignal,
 * and recovery: when the worker dies or its GPU is lost, start a new one without that backend,
 * reload the models and retry the request once. The UI imports only this and shared types.
 */
import { backendCandidates, type BackendName } from '../../shared/backends';
import type { ModelMeta } from '../../shared/meta';
import type {
  BackendPlan,
  HeatMap,
  Prediction,
  RequestId,
  WorkerRequest,
  WorkerResponse,
} from '../../shared/protocol';
import { responseId, transferables } from '../../shared/protocol';

export interface ClientOptions {
  readonly createWorker: () => Worker;
  /** A backend to try first (URL parameter or setting); null = automatic choice. */
  readonly forced: BackendName | null;
  readonly wasmPath: string;
  /** Told when a crashed worker is replaced (the request in flight is retried once). */
  readonly onRestart?: (reason: string) => void;
}

/** What the worker answers to a load, without the envelope. */
export type LoadedModel = Omit<Extract<WorkerResponse, { type: 'loaded' }>, 'type' | 'id'>;

/** What a classification computes besides the plain logits. */
export interface ClassifyOptions {
  /** Mean over the 8 flips/turns (see TtaCost for its price). */
  readonly tta?: boolean;
  /** Grad-CAM of the top class. */
  readonly gradcam?: boolean;
  /** The crop framed tighter and wider, each like the input: their risks in framedRisks. */
  readonly framings?: readonly Float32Array[];
}

export interface MemoryInfo {
  readonly backend: BackendName | null;
  readonly numTensors: number;
  readonly numBytes: number;
}

interface CallOptions {
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((fraction: number) => void) | undefined;
}

interface LoadOptions extends CallOptions {
  /** Warm up and time TTA's 8-view batch (default true; see the load request). */
  readonly measureTta?: boolean | undefined;
}

/** The worker died (or lost its GPU) while a request was in flight. */
export class WorkerCrashError extends Error {
  override name = 'WorkerCrashError';
}

type Final = Exclude<WorkerResponse, { type: 'progress' } | { type: 'fatal' } | { type: 'error' }>;

interface Pending {
  readonly resolve: (response: Final) => void;
  readonly reject: (error: Error) => void;
  readonly onProgress: ((fraction: number) => void) | undefined;
}

type Request = WorkerRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

function abortError(message = 'The operation was aborted.'): DOMException {
  return new DOMException(message, 'AbortError');
}

/** Why calls fail once the client is disposed: replaced (another backend), not broken. */
const DISPOSED = 'The inference client was replaced; this call was dropped.';

export class InferenceClient {
  private worker: Worker | null = null;
  private nextId: RequestId = 1;
  private readonly pending = new Map<RequestId, Pending>();
  private readonly excluded = new Set<BackendName>();
  /** The backend the worker runs on, or the one it is trying (blamed if the worker dies). */
  private backend: BackendName | null = null;
  /** Every model asked for, to load it again in a restarted worker. */
  private readonly known = new Map<
    string,
    { modelUrl: string; meta: ModelMeta; measureTta: boolean }
  >();
  /** Models loaded in the current worker. */
  private readonly loaded = new Set<string>();
  private tail: Promise<unknown> = Promise.resolve();
  /** Set by dispose(): no call is sent, and no worker started, from then on. */
  private disposed = false;

  constructor(private readonly options: ClientOptions) {}

  /** Loads a model (the first load also picks the backend). */
  load(modelUrl: string, meta: ModelMeta, options: LoadOptions = {}): Promise<LoadedModel> {
    this.known.set(meta.id, { modelUrl, meta, measureTta: options.measureTta ?? true });
    return this.enqueue(options.signal, async () => {
      const response = await this.call(() => this.loadRequest(meta.id), options);
      if (response.type !== 'loaded') throw new Error(`unexpected ${response.type}`);
      const { modelId, backend, threads, skipped, timings, repaired, ttaCost } = response;
      return { modelId, backend, threads, skipped, timings, repaired, ttaCost };
    });
  }

  /** Classifies one float32 N x N x 3 input with a loaded model. */
  classify(
    modelId: string,
    input: Float32Array,
    options: CallOptions & ClassifyOptions = {},
  ): Promise<Prediction> {
    const tta = options.tta ?? false;
    const gradcam = options.gradcam ?? false;
    const framings = options.framings ?? [];
    return this.enqueue(options.signal, async () => {
      // Copies are transferred, so the inputs stay usable for a retry after a crash.
      const response = await this.call(
        () => ({
          type: 'predict',
          modelId,
          input: input.slice(),
          tta,
          gradcam,
          framings: framings.map((f) => f.slice()),
        }),
        options,
        modelId,
      );
      if (response.type !== 'prediction') throw new Error(`unexpected ${response.type}`);
      return response.prediction;
    });
  }

  /**
   * Grad-CAM for class `classIndex` (index in meta.labels) of a prediction's input, which the
   * worker kept (`prediction.inputId`); fails once a newer prediction or a restart replaced it.
   */
  explain(
    modelId: string,
    inputId: RequestId,
    classIndex: number,
    options: CallOptions = {},
  ): Promise<HeatMap> {
    return this.enqueue(options.signal, async () => {
      const response = await this.call(
        () => ({ type: 'explain', modelId, inputId, classIndex }),
        options,
        modelId,
      );
      if (response.type !== 'heatmap') throw new Error(`unexpected ${response.type}`);
      return response.heatmap;
    });
  }

  /** TF.js memory in the worker (numTensors must not grow across predictions). */
  memory(): Promise<MemoryInfo> {
    return this.enqueue(undefined, async () => {
      const response = await this.call(() => ({ type: 'memory' }), {});
      if (response.type !== 'memory') throw new Error(`unexpected ${response.type}`);
      const { backend, numTensors, numBytes } = response;
      return { backend, numTensors, numBytes };
    });
  }

  /**
   * Stops the worker for good (the person chose another backend: a new client takes over). Calls
   * in flight or queued end as aborted, like a superseded request, never as a failure: nothing
   * went wrong with them, their answer is simply no longer wanted.
   */
  dispose(): void {
    this.disposed = true;
    this.stop(abortError(DISPOSED));
  }

  private plan(): BackendPlan {
    return {
      candidates: backendCandidates(this.options.forced, this.excluded),
      // A forced backend is what the person (or a test) asked for, software or not.
      skipSoftware: this.options.forced === null,
      wasmPath: this.options.wasmPath,
    };
  }

  /** Runs calls one after another; an aborted call is dropped before it reaches the worker. */
  private enqueue<T>(signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
    if (this.disposed) return Promise.reject(abortError(DISPOSED));
    if (signal?.aborted) return Promise.reject(abortError());
    const result = this.tail.then(() => {
      // Queued behind a call that was running when the client was disposed: never sent.
      if (this.disposed) throw abortError(DISPOSED);
      if (signal?.aborted) throw abortError();
      return run();
    });
    this.tail = result.catch(() => undefined);
    return result;
  }

  /**
   * Sends a request; after a crash restarts the worker on the next backend, loads the model the
   * request needs again, and retries once. `make` builds a fresh request for each attempt (the
   * plan changes after a crash, and transferred buffers cannot be sent twice).
   */
  private async call(
    make: () => Request,
    options: CallOptions,
    needsModel?: string,
  ): Promise<Final> {
    for (let attempt = 0; ; attempt++) {
      try {
        if (needsModel !== undefined && !this.loaded.has(needsModel)) {
          if (!this.known.has(needsModel)) throw new Error(`model ${needsModel} was never loaded`);
          await this.send(this.loadRequest(needsModel), { signal: options.signal });
        }
        return await this.send(make(), options);
      } catch (error) {
        const retry = error instanceof WorkerCrashError && attempt === 0;
        if (!retry || this.plan().candidates.length === 0) throw error;
        this.options.onRestart?.(error.message);
      }
    }
  }

  private loadRequest(modelId: string): Request {
    const model = this.known.get(modelId);
    if (!model) throw new Error(`unknown model ${modelId}`);
    const { modelUrl, meta, measureTta } = model;
    return { type: 'load', modelUrl, meta, plan: this.plan(), measureTta };
  }

  private send(request: Request, options: CallOptions): Promise<Final> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    const message = { ...request, id } as WorkerRequest;
    return new Promise<Final>((resolve, reject) => {
      const { signal } = options;
      const onAbort = (): void => {
        // The worker finishes the job anyway; its answer will find no pending id and be dropped.
        this.pending.delete(id);
        reject(abortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (r) => (done(), resolve(r)),
        reject: (e) => (done(), reject(e)),
        onProgress: options.onProgress,
      });
      worker.postMessage(message, transferables(message));
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // A call that was between two messages (a reload, then its prediction) when disposed.
    if (this.disposed) throw abortError(DISPOSED);
    if (this.plan().candidates.length === 0) {
      throw new Error('Every backend failed on this device.');
    }
    const worker = this.options.createWorker();
    worker.addEventListener('message', (e: MessageEvent<WorkerResponse>) => this.receive(e.data));
    worker.addEventListener('error', (e: ErrorEvent) => {
      e.preventDefault();
      this.crash(`worker error: ${e.message || 'unknown'}`, this.backend);
    });
    worker.addEventListener('messageerror', () => this.crash('worker message error', this.backend));
    this.worker = worker;
    return worker;
  }

  private receive(response: WorkerResponse): void {
    if (response.type === 'fatal') {
      this.crash(response.message, response.backend ?? this.backend);
      return;
    }
    const id = responseId(response);
    const pending = id === null ? undefined : this.pending.get(id);
    if (!pending || id === null) return; // stale: its caller aborted
    switch (response.type) {
      case 'progress':
        this.backend = response.backend;
        pending.onProgress?.(response.fraction);
        return;
      case 'error':
        this.pending.delete(id);
        pending.reject(new Error(response.message));
        return;
      default:
        if (response.type === 'loaded') {
          this.backend = response.backend;
          this.loaded.add(response.modelId);
        }
        this.pending.delete(id);
        pending.resolve(response);
    }
  }

  /** The worker cannot go on: blame its backend, drop it, fail what was in flight. */
  private crash(message: string, backend: BackendName | null): void {
    if (backend) this.excluded.add(backend);
    this.stop(new WorkerCrashError(message));
  }

  private stop(error: Error): void {
    this.worker?.terminate();
    this.worker = null;
    this.backend = null;
    this.loaded.clear();
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(error);
  }
}

import { describe, expect, it } from 'vitest';
import { InferenceClient, WorkerCrashError } from '../../src/lib/inference/client';
import type { BackendName } from '../../src/shared/backends';
import type { ModelMeta } from '../../src/shared/meta';
import type { WorkerRequest, WorkerResponse } from '../../src/shared/protocol';

type Reply = (r: WorkerResponse) => void;
type Script = (request: WorkerRequest, reply: Reply, worker: FakeWorker) => void;

/** A stand-in for the inference worker: a script decides how it answers each request. */
class FakeWorker extends EventTarget {
  readonly received: WorkerRequest[] = [];
  terminated = false;
  constructor(private readonly script: Script) {
    super();
  }
  postMessage(request: WorkerRequest): void {
    this.received.push(request);
    queueMicrotask(() => this.script(request, (r) => this.emit(r), this));
  }
  emit(response: WorkerResponse): void {
    if (!this.terminated) this.dispatchEvent(new MessageEvent('message', { data: response }));
  }
  crash(): void {
    this.dispatchEvent(Object.assign(new Event('error'), { message: 'boom' }));
  }
  terminate(): void {
    this.terminated = true;
  }
}

const meta = { id: 'm', version: '1', inputSize: 2 } as ModelMeta;
const input = new Float32Array(12);

/** A well-behaved worker on the first candidate backend; `crashOn` makes predictions die. */
function healthy(crashOn: (backend: BackendName) => boolean = () => false): Script {
  let backend: BackendName = 'cpu';
  return (req, reply, worker) => {
    switch (req.type) {
      case 'load':
        backend = req.plan.candidates[0] ?? 'cpu';
        reply({ type: 'progress', id: req.id, backend, fraction: 1 });
        reply({
          type: 'loaded',
          id: req.id,
          modelId: req.meta.id,
          backend,
          skipped: [],
          timings: { backendMs: 0, loadMs: 0, warmupMs: 0 },
          repaired: [],
          ttaCost: { singleMs: 1, ttaMs: 3, ratio: 3 },
        });
        return;
      case 'predict':
        if (crashOn(backend)) return worker.crash();
        reply({
          type: 'prediction',
          id: req.id,
          prediction: {
            modelId: req.modelId,
            inputId: req.id,
            backend,
            probabilities: [1],
            logits: [0],
            malignantRisk: 0,
            featureDistance: 1,
            energy: -5,
            inferenceMs: 1,
            tta: false,
            heatmap: null,
          },
        });
        return;
      case 'explain':
        reply({
          type: 'heatmap',
          id: req.id,
          heatmap: {
            classIndex: req.classIndex,
            width: 1,
            height: 1,
            values: new Float32Array([req.inputId]),
            ms: 1,
          },
        });
        return;
      case 'memory':
        reply({ type: 'memory', id: req.id, backend, numTensors: 7, numBytes: 0 });
    }
  };
}

function setup(script: Script, forced: BackendName | null = null) {
  const workers: FakeWorker[] = [];
  const restarts: string[] = [];
  const client = new InferenceClient({
    onRestart: (reason) => restarts.push(reason),
    createWorker: () => {
      const w = new FakeWorker(script);
      workers.push(w);
      return w as unknown as Worker;
    },
    forced,
    wasmPath: '/tfjs-wasm/',
  });
  return { client, workers, restarts };
}

describe('InferenceClient', () => {
  it('loads, classifies and reports memory with increasing request ids', async () => {
    const { client, workers } = setup(healthy());
    const progress: number[] = [];
    const loaded = await client.load('/m/model.json', meta, {
      onProgress: (f) => progress.push(f),
    });
    expect(loaded.backend).toBe('webgpu');
    expect(progress).toEqual([1]);
    expect((await client.classify('m', input)).backend).toBe('webgpu');
    expect((await client.memory()).numTensors).toBe(7);
    expect(workers).toHaveLength(1);
    expect(workers[0]?.received.map((r) => r.id)).toEqual([1, 2, 3]);
  });

  it('asks for TTA and Grad-CAM, and explains a class of the input the worker kept', async () => {
    const { client, workers } = setup(healthy());
    await client.load('/m/model.json', meta);
    const prediction = await client.classify('m', input, { tta: true, gradcam: true });
    const map = await client.explain('m', prediction.inputId, 4);
    expect(map.classIndex).toBe(4);
    const [, predict, explain] = workers[0]?.received ?? [];
    expect(predict).toMatchObject({ type: 'predict', tta: true, gradcam: true });
    // A transferred copy: the caller's input stays usable (for a retry after a crash).
    expect(predict?.type === 'predict' && predict.input).not.toBe(input);
    expect(input.byteLength).toBe(48);
    // The explanation names the prediction, and carries no pixels.
    expect(explain).toEqual({ type: 'explain', id: 3, modelId: 'm', inputId: 2, classIndex: 4 });
    expect(map.values).toEqual(new Float32Array([prediction.inputId]));
  });

  it('passes a forced backend first and does not skip software renderers then', async () => {
    const { client, workers } = setup(healthy(), 'webgl');
    await client.load('/m/model.json', meta);
    const load = workers[0]?.received[0];
    expect(load?.type === 'load' && load.plan).toMatchObject({
      candidates: ['webgl', 'webgpu', 'wasm', 'cpu'],
      skipSoftware: false,
    });
  });

  it('drops the answer of an aborted call and keeps serving later ones', async () => {
    let hold: (() => void) | null = null;
    const base = healthy();
    const { client } = setup((req, reply, w) => {
      if (req.type === 'predict' && !hold) hold = () => base(req, reply, w);
      else base(req, reply, w);
    });
    await client.load('/m/model.json', meta);
    const controller = new AbortController();
    const first = client.classify('m', input, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 0));
    controller.abort();
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    (hold as unknown as () => void)(); // the stale answer arrives: ignored
    await expect(client.classify('m', input)).resolves.toMatchObject({ modelId: 'm' });
  });

  it('never sends a call that was aborted while queued', async () => {
    const { client, workers } = setup(healthy());
    const controller = new AbortController();
    const load = client.load('/m/model.json', meta);
    const queued = client.classify('m', input, { signal: controller.signal });
    controller.abort();
    await load;
    await expect(queued).rejects.toMatchObject({ name: 'AbortError' });
    expect(workers[0]?.received.map((r) => r.type)).toEqual(['load']);
  });

  it('restarts a crashed worker without its backend, reloads the model, retries once', async () => {
    const { client, workers } = setup(healthy((b) => b === 'webgpu'));
    await client.load('/m/model.json', meta);
    const prediction = await client.classify('m', input);
    expect(prediction.backend).toBe('webgl');
    expect(workers).toHaveLength(2);
    expect(workers[0]?.terminated).toBe(true);
    const reload = workers[1]?.received[0];
    expect(reload?.type === 'load' && reload.plan.candidates).toEqual(['webgl', 'wasm', 'cpu']);
  });

  it('says it restarted when a prediction crashed the worker, and retries that one only', async () => {
    let crashed = false;
    const base = healthy();
    const { client, workers, restarts } = setup((req, reply, w) => {
      if (req.type === 'predict' && !crashed) {
        crashed = true;
        w.crash();
      } else base(req, reply, w);
    });
    await client.load('/m/model.json', meta);
    expect((await client.classify('m', input)).probabilities).toEqual([1]);
    expect((await client.classify('m', input)).probabilities).toEqual([1]);
    expect(restarts).toEqual(['worker error: boom']);
    expect(workers.map((w) => w.received.map((r) => r.type))).toEqual([
      ['load', 'predict'],
      ['load', 'predict', 'predict'],
    ]);
  });

  it('gives up after the retry also crashes', async () => {
    const { client, workers } = setup(healthy(() => true));
    await client.load('/m/model.json', meta);
    await expect(client.classify('m', input)).rejects.toBeInstanceOf(WorkerCrashError);
    expect(workers).toHaveLength(2);
  });

  it('treats a lost GPU device (fatal message) like a crash', async () => {
    let lost = false;
    const base = healthy();
    const { client } = setup((req, reply, w) => {
      if (req.type === 'predict' && !lost) {
        lost = true;
        reply({ type: 'fatal', backend: 'webgpu', message: 'GPU device lost' });
      } else base(req, reply, w);
    });
    await client.load('/m/model.json', meta);
    expect((await client.classify('m', input)).backend).toBe('webgl');
  });

  it('reports worker errors without restarting', async () => {
    const { client, workers } = setup((req, reply) =>
      reply({ type: 'error', id: req.id, message: 'No backend could run the model' }),
    );
    await expect(client.load('/m/model.json', meta)).rejects.toThrow('No backend');
    expect(workers).toHaveLength(1);
  });
});

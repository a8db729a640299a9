import { describe, expect, it } from 'vitest';
import { InferenceClient, WorkerCrashError } from '../../src/lib/inference/client';
import type { BackendName } from '../../src/shared/backends';
import type { ModelMeta } from '../../src/shared/meta';
import { FakeWorker, healthy, type Script } from './fixtures/fake-worker';

const meta = { id: 'm', version: '1', inputSize: 2 } as ModelMeta;
const input = new Float32Array(12);

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
    const framings = [new Float32Array(12).fill(0.2), new Float32Array(12).fill(0.7)];
    const prediction = await client.classify('m', input, { tta: true, gradcam: true, framings });
    expect(prediction.framedRisks).toHaveLength(2); // one risk per framing
    const map = await client.explain('m', prediction.inputId, 4);
    expect(map.classIndex).toBe(4);
    const [, predict, explain] = workers[0]?.received ?? [];
    expect(predict).toMatchObject({ type: 'predict', tta: true, gradcam: true, framings });
    // Transferred copies: the caller's input and framings stay usable (for a retry after a crash).
    expect(predict?.type === 'predict' && predict.input).not.toBe(input);
    expect(predict?.type === 'predict' && predict.framings[0]).not.toBe(framings[0]);
    expect(input.byteLength).toBe(48);
    expect(framings[1]?.byteLength).toBe(48);
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

  it('dispose drops the call in flight and the queued ones as aborted, and starts no worker again', async () => {
    let held = false;
    const base = healthy();
    const { client, workers } = setup((req, reply, w) => {
      if (req.type === 'predict' && !held)
        held = true; // never answered: in flight at dispose
      else base(req, reply, w);
    });
    await client.load('/m/model.json', meta);
    const inFlight = client.classify('m', input);
    const queued = client.explain('m', 1, 0);
    await new Promise((r) => setTimeout(r, 0));
    client.dispose();
    // Aborted (superseded by the client that replaces this one), not failed.
    await expect(inFlight).rejects.toMatchObject({ name: 'AbortError' });
    await expect(queued).rejects.toMatchObject({ name: 'AbortError' });
    await expect(client.classify('m', input)).rejects.toMatchObject({ name: 'AbortError' });
    expect(workers).toHaveLength(1);
    expect(workers[0]?.terminated).toBe(true);
    expect(workers[0]?.received.map((r) => r.type)).toEqual(['load', 'predict']);
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

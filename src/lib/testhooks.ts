/**
 * window.dermlensTest: entry points for the e2e tests and the benchmark, installed only on
 * ?testhooks. They run the app's own pipeline (decode, preprocess, worker), nothing test-only.
 */
import type { Prediction } from '../shared/protocol';
import { decodeBlob } from './image/decode';
import { preprocessRgba, toModelInput } from './image/preprocess';
import type { LoadedModel, MemoryInfo } from './inference/client';
import { fetchMeta, modelFileUrl } from './inference/models';
import { scan } from './state/scan.svelte';

export interface DermlensTestHooks {
  /** Decodes image file bytes (base64) and preprocesses them: uint8 RGB, size*size*3. */
  preprocess(base64: string, size: number): Promise<number[]>;
  /** Loads a model in the app's worker (the app's backend choice applies). */
  load(modelId: string): Promise<LoadedModel>;
  /** Classifies an already preprocessed uint8 RGB tensor. */
  classifyUint8(modelId: string, rgb: readonly number[]): Promise<Prediction>;
  /** Wall-clock ms of `runs` predictions on a fixed input, after load and warm-up. */
  time(modelId: string, runs: number): Promise<number[]>;
  memory(): Promise<MemoryInfo>;
}

declare global {
  interface Window {
    dermlensTest?: DermlensTestHooks;
  }
}

function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

async function client(): Promise<NonNullable<ReturnType<typeof scan.inference>>> {
  if (!scan.inference()) await scan.loadModel();
  const c = scan.inference();
  if (!c) throw new Error('no inference client');
  return c;
}

export function installTestHooks(): void {
  window.dermlensTest = {
    async preprocess(base64, size) {
      const rgba = await decodeBlob(new Blob([bytesOf(base64)]));
      return Array.from(preprocessRgba(rgba, size));
    },
    async load(modelId) {
      const meta = await fetchMeta(modelId);
      return (await client()).load(modelFileUrl(modelId, 'model.json'), meta);
    },
    async classifyUint8(modelId, rgb) {
      return (await client()).classify(modelId, toModelInput(Uint8Array.from(rgb)));
    },
    async time(modelId, runs) {
      const meta = await fetchMeta(modelId);
      const c = await client();
      await c.load(modelFileUrl(modelId, 'model.json'), meta);
      const n = meta.inputSize;
      const input = toModelInput(Uint8Array.from({ length: n * n * 3 }, (_, i) => (i * 37) % 256));
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        await c.classify(modelId, input);
        times.push(performance.now() - t0);
      }
      return times;
    },
    memory: async () => (await client()).memory(),
  };
}

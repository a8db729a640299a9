/**
 * window.dermlensTest: entry points for the e2e tests and the benchmark, in the e2e build only
 * (__TEST_HOOKS__) and installed on ?testhooks. They run the app's own pipeline (decode,
 * preprocess, worker); the one test-only behaviour, a worker crash on request, goes to the worker's
 * own test hooks over the test channel.
 */
import { decodeBlob } from './image/decode';
import { preprocessRgba, toModelInput } from './image/preprocess';
import { measureImage } from './image/quality/metrics';
import './testhooks-api'; // window.dermlensTest's type
import type { InferenceClient } from './inference/client';
import { fetchMeta, modelFileUrl } from './inference/models';
import { scan } from './state/scan.svelte';
import { TEST_CHANNEL, type TestAck, type TestCommand } from '../shared/test-channel';

/** Sends a command to the worker's test hooks and waits until it is in force there. */
function tellWorker(command: TestCommand): Promise<void> {
  const channel = new BroadcastChannel(TEST_CHANNEL);
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      channel.close();
      reject(new Error(`the worker did not acknowledge ${command.type}`));
    }, 10_000);
    channel.onmessage = (event: MessageEvent<TestAck>) => {
      if (event.data.type !== 'armed' || event.data.command !== command.type) return;
      clearTimeout(timer);
      channel.close();
      resolve();
    };
    channel.postMessage(command);
  });
}

function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/** The app's inference client, once the app's model has loaded (its worker is running then). */
async function client(): Promise<InferenceClient> {
  await scan.whenLoaded();
  return scan.inference();
}

export function installTestHooks(): void {
  window.dermlensTest = {
    async preprocess(base64, size) {
      const { rgba } = await decodeBlob(new Blob([bytesOf(base64)]));
      return Array.from(preprocessRgba(rgba, size));
    },
    async load(modelId) {
      const meta = await fetchMeta(modelId);
      return (await client()).load(modelFileUrl(modelId, 'model.json'), meta);
    },
    async classifyUint8(modelId, rgb, options = {}) {
      return (await client()).classify(modelId, toModelInput(Uint8Array.from(rgb)), options);
    },
    async time(modelId, runs, options = {}) {
      const meta = await fetchMeta(modelId);
      const c = await client();
      await c.load(modelFileUrl(modelId, 'model.json'), meta);
      const n = meta.inputSize;
      const input = toModelInput(Uint8Array.from({ length: n * n * 3 }, (_, i) => (i * 37) % 256));
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        await c.classify(modelId, input, options);
        times.push(performance.now() - t0);
      }
      return times;
    },
    async timeQualityCheck(base64, runs) {
      const { rgba } = await decodeBlob(new Blob([bytesOf(base64)]));
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        measureImage(rgba);
        times.push(performance.now() - t0);
      }
      return times;
    },
    memory: async () => (await client()).memory(),
    async crashNextPrediction() {
      await client(); // the worker exists (and listens) once the client has loaded a model
      await tellWorker({ type: 'crash-next-prediction' });
    },
  };
}

/**
 * window.dermlensTest: entry points for the e2e tests and the benchmark, in the e2e build only
 * (__TEST_HOOKS__) and installed on ?testhooks. They run the app's own pipeline (decode,
 * preprocess, worker); the one test-only behaviour, a worker crash on request, goes to the worker's
 * own test hooks over the test channel.
 */
import { decodeBlob } from './image/decode';
import { preprocessRgba, toModelInput } from './image/preprocess';
import { measureImage } from './image/quality/metrics';
import { SpotWorkerClient } from './image/spot/client';
import { findSpot } from './image/spot/find';
import type { RgbaImage } from './image/preprocess';
import type { NotASpotTiming, SpotFinderTiming, SpotFinderWay } from './testhooks-api'; // and window.dermlensTest's type
import type { InferenceClient } from './inference/client';
import { fetchGate, fetchMeta, modelFileUrl } from './inference/models';
import { notASpotReasons, skinFraction } from './gate/not-a-spot';
import { centreSquare } from './image/preprocess';
import { featureDistance, readFeatureStats } from '../worker/ood';
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

/** A phone-sized photo drawn here: skin, a darker spot up and to the right, as RGBA. */
function drawnPhoto(width: number, height: number): ImageData {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.fillStyle = '#d29a7a';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#4a2a1c';
  ctx.beginPath();
  ctx.ellipse(width * 0.65, height * 0.4, width * 0.04, width * 0.035, 0.3, 0, 2 * Math.PI);
  ctx.fill();
  return ctx.getImageData(0, 0, width, height);
}

/** Counts the page's frames until stopped; answers the longest gap between two, in ms. */
function watchFrames(): { stop(): Promise<number> } {
  let last = performance.now();
  let longest = 0;
  let running = true;
  const tick = (now: number): void => {
    longest = Math.max(longest, now - last);
    last = now;
    if (running) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  return {
    stop: () =>
      new Promise((resolve) =>
        requestAnimationFrame((now) => {
          running = false;
          resolve(Math.max(longest, now - last));
        }),
      ),
  };
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
    async timeNotASpotCheck(modelId, runs): Promise<NotASpotTiming> {
      const meta = await fetchMeta(modelId);
      const gate = await fetchGate(meta);
      const bytes = await (await fetch(modelFileUrl(modelId, gate.file.path))).arrayBuffer();
      const stats = readFeatureStats(gate, bytes);
      const features = Float32Array.from({ length: stats.channels }, (_, i) =>
        Math.abs(Math.sin(i)),
      );
      const photo = drawnPhoto(1200, 1600);
      const rgb = preprocessRgba(photo, 128, centreSquare(photo.width, photo.height));
      const timed = (work: () => unknown): number[] =>
        Array.from({ length: runs + 1 }, () => {
          const t0 = performance.now();
          work();
          return performance.now() - t0;
        }).slice(1); // the first run compiles the code
      return {
        featureDistanceMs: timed(() => featureDistance(stats, features)),
        skinShareAndRuleMs: timed(() =>
          notASpotReasons(
            { distance: 0, energy: -10, skinFraction: skinFraction(rgb, gate.skinBox) },
            gate.thresholds,
          ),
        ),
      };
    },
    async timeSpotFinder(runs) {
      const photo = drawnPhoto(4000, 3000);
      const spots = new SpotWorkerClient();
      let image: RgbaImage = photo;
      const ways: Record<SpotFinderWay, () => Promise<unknown>> = {
        mainThread: async () => findSpot(image),
        worker: async () => (image = (await spots.find(image, 0)).image),
        workerWithDisplay: async () => {
          const found = await spots.find(image);
          found.display?.close();
          image = found.image;
        },
      };
      const out = {} as Record<SpotFinderWay, SpotFinderTiming>;
      for (const way of Object.keys(ways) as SpotFinderWay[]) {
        await ways[way](); // warm-up: the worker started, the code compiled
        const frames = watchFrames();
        const ms: number[] = [];
        for (let i = 0; i < runs; i++) {
          const t0 = performance.now();
          await ways[way]();
          ms.push(performance.now() - t0);
          // A frame between runs, so the gap measured is one run's, not all of them back to back.
          await new Promise((resolve) => requestAnimationFrame(resolve));
        }
        out[way] = { ms, maxFrameGapMs: await frames.stop() };
      }
      spots.dispose();
      return out;
    },
    memory: async () => (await client()).memory(),
    async crashNextPrediction() {
      await client(); // the worker exists (and listens) once the client has loaded a model
      await tellWorker({ type: 'crash-next-prediction' });
    },
  };
}

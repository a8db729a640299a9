/** Inference worker entry: decodes requests, runs them one at a time, answers by request id. */
import { assertNever } from '../shared/assert';
import { errorText } from '../shared/errors';
import type { WorkerRequest, WorkerResponse } from '../shared/protocol';
import { Session } from './session';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function post(response: WorkerResponse): void {
  scope.postMessage(response);
}

const session = new Session((backend, message) => post({ type: 'fatal', backend, message }));

/**
 * Test hook: dies while a prediction runs, as a real crash would look to the page (an uncaught
 * error, the request never answered). The client must restart the worker and retry once.
 */
function crashDuring(work: Promise<unknown>): Promise<never> {
  work.catch(() => undefined);
  setTimeout(() => {
    throw new Error('worker crashed during a prediction (test hook)');
  }, 0);
  return new Promise<never>(() => undefined);
}

async function handle(request: WorkerRequest): Promise<void> {
  switch (request.type) {
    case 'load': {
      const loaded = await session.load(
        request.modelUrl,
        request.meta,
        request.plan,
        (backend, fraction) => post({ type: 'progress', id: request.id, backend, fraction }),
      );
      post({ type: 'loaded', id: request.id, modelId: request.meta.id, ...loaded });
      return;
    }
    case 'predict': {
      const { tta, gradcam } = request;
      const options = { tta, gradcam };
      if (request.crashForTest) {
        return crashDuring(session.predict(request.modelId, request.input, options));
      }
      const prediction = await session.predict(request.modelId, request.input, options);
      post({ type: 'prediction', id: request.id, prediction });
      return;
    }
    case 'explain': {
      const heatmap = await session.explain(request.modelId, request.input, request.classIndex);
      post({ type: 'heatmap', id: request.id, heatmap });
      return;
    }
    case 'memory':
      post({ type: 'memory', id: request.id, ...session.memory() });
      return;
    default:
      assertNever(request, 'request');
  }
}

// Requests run strictly in order: TF.js state (backend, models) is not safe to interleave.
let queue: Promise<void> = Promise.resolve();

scope.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  queue = queue.then(() =>
    handle(request).catch((error: unknown) => {
      post({ type: 'error', id: request.id, message: errorText(error) });
    }),
  );
};

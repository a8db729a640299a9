/** Inference worker entry: decodes requests, runs them one at a time, answers by request id. */
import { assertNever } from '../shared/assert';
import { errorText } from '../shared/errors';
import type { WorkerRequest, WorkerResponse } from '../shared/protocol';
import { Session } from './session';
import { withTestHooks, type Handler } from './testhooks';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function post(response: WorkerResponse): void {
  scope.postMessage(response);
}

const session = new Session((backend, message) => post({ type: 'fatal', backend, message }));

async function handle(request: WorkerRequest): Promise<void> {
  switch (request.type) {
    case 'load': {
      const loaded = await session.load(
        request.modelUrl,
        request.meta,
        request.plan,
        request.measureTta,
        (backend, fraction) => post({ type: 'progress', id: request.id, backend, fraction }),
      );
      post({ type: 'loaded', id: request.id, modelId: request.meta.id, ...loaded });
      return;
    }
    case 'predict': {
      const { tta, gradcam, framings } = request;
      const { id, modelId, input } = request;
      const prediction = await session.predict(id, modelId, input, { tta, gradcam, framings });
      post({ type: 'prediction', id: request.id, prediction });
      return;
    }
    case 'explain': {
      const heatmap = await session.explain(request.modelId, request.inputId, request.classIndex);
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

// The e2e build's test hooks wrap the handler; a production build drops this line and the module.
const run: Handler = __TEST_HOOKS__ ? withTestHooks(handle, session) : handle;

// Requests run strictly in order: TF.js state (backend, models) is not safe to interleave.
let queue: Promise<void> = Promise.resolve();

scope.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  queue = queue.then(() =>
    run(request).catch((error: unknown) => {
      post({ type: 'error', id: request.id, message: errorText(error) });
    }),
  );
};

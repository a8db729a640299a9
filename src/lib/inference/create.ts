/** Builds the app's inference client: the real module worker, wasm files from our origin. */
import type { BackendName } from '../../shared/backends';
import { InferenceClient } from './client';

export function createInferenceClient(
  forced: BackendName | null,
  onRestart?: (reason: string) => void,
): InferenceClient {
  return new InferenceClient({
    createWorker: () =>
      new Worker(new URL('../../worker/inference.worker.ts', import.meta.url), {
        type: 'module',
        name: 'dermlens-inference',
      }),
    forced,
    wasmPath: new URL(`${import.meta.env.BASE_URL}tfjs-wasm/`, location.href).href,
    ...(onRestart ? { onRestart } : {}),
  });
}

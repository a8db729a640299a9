/**
 * Test-only behaviour of the inference worker, compiled in only where __TEST_HOOKS__ is true (the
 * e2e build); tests/e2e/production-bundle.spec.ts checks that the production build has none of it.
 */
import type { WorkerRequest } from '../shared/protocol';
import { TEST_CHANNEL, type TestAck, type TestCommand } from '../shared/test-channel';
import type { Session } from './session';

export type Handler = (request: WorkerRequest) => Promise<void>;

/**
 * Dies while a prediction runs, as a real crash looks to the page: an uncaught error, the request
 * never answered. The client must restart the worker and retry once.
 */
function crashDuring(work: Promise<unknown>): Promise<never> {
  work.catch(() => undefined);
  setTimeout(() => {
    throw new Error('worker crashed during a prediction (test hook)');
  }, 0);
  return new Promise<never>(() => undefined);
}

/** `handle`, plus the commands of the test channel: "crash during the next prediction". */
export function withTestHooks(handle: Handler, session: Session): Handler {
  let crashNext = false;
  const channel = new BroadcastChannel(TEST_CHANNEL);
  channel.onmessage = (event: MessageEvent<TestCommand>) => {
    if (event.data.type !== 'crash-next-prediction') return;
    crashNext = true;
    channel.postMessage({ type: 'armed', command: event.data.type } satisfies TestAck);
  };
  return (request) => {
    if (request.type !== 'predict' || !crashNext) return handle(request);
    crashNext = false;
    const { id, modelId, input, tta, gradcam, framings } = request;
    return crashDuring(session.predict(id, modelId, input, { tta, gradcam, framings }));
  };
}

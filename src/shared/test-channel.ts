/**
 * Test hooks' line to the inference worker: a BroadcastChannel beside the worker protocol, so the
 * protocol the app ships has no test messages. Only the test-hook modules (page and worker) import
 * this, and only builds with __TEST_HOOKS__ include them (vite.config.ts).
 */
export const TEST_CHANNEL = 'dermlens-test-hooks';

export type TestCommand = { readonly type: 'crash-next-prediction' };

/** The worker's answer: the command is in force from its next request on. */
export type TestAck = { readonly type: 'armed'; readonly command: TestCommand['type'] };

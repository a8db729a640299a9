import { describe, expect, expectTypeOf, it } from 'vitest';
import { assertNever } from '../../src/shared/assert';
import {
  responseId,
  transferables,
  type WorkerRequest,
  type WorkerResponse,
} from '../../src/shared/protocol';
import { BACKENDS, backendCandidates, isBackendName } from '../../src/shared/backends';

const plan = { candidates: BACKENDS, skipSoftware: true, wasmPath: '/tfjs-wasm/' };

describe('protocol exhaustiveness', () => {
  it('lists every request and response type (a new one fails to compile here)', () => {
    // Record<Union, true> must name every member and nothing else: the compiler checks both.
    const requests: Record<WorkerRequest['type'], true> = {
      load: true,
      predict: true,
      explain: true,
      memory: true,
    };
    const responses: Record<WorkerResponse['type'], true> = {
      progress: true,
      loaded: true,
      prediction: true,
      heatmap: true,
      memory: true,
      error: true,
      fatal: true,
    };
    expect(Object.keys(requests)).toHaveLength(4);
    expect(Object.keys(responses)).toHaveLength(7);
    expectTypeOf<Parameters<typeof assertNever>[0]>().toEqualTypeOf<never>();
  });

  it('assertNever throws on a value the switch did not expect', () => {
    expect(() => assertNever('surprise' as never, 'request')).toThrow(/Unexpected request/);
  });

  it('answers the request id of every response except fatal', () => {
    const responses: WorkerResponse[] = [
      { type: 'progress', id: 1, backend: 'wasm', fraction: 0.5 },
      {
        type: 'loaded',
        id: 2,
        modelId: 'm',
        backend: 'wasm',
        threads: 2,
        skipped: [],
        timings: { backendMs: 1, loadMs: 2, warmupMs: 3 },
        repaired: [],
        ttaCost: { singleMs: 1, ttaMs: 3, ratio: 3 },
      },
      {
        type: 'prediction',
        id: 3,
        prediction: {
          modelId: 'm',
          inputId: 3,
          backend: 'cpu',
          probabilities: [1],
          logits: [0],
          malignantRisk: 0,
          featureDistance: 1,
          energy: -5,
          inferenceMs: 1,
          tta: false,
          framedRisks: [],
          framedEvidence: [],
          heatmap: null,
        },
      },
      { type: 'memory', id: 4, backend: null, numTensors: 0, numBytes: 0 },
      { type: 'error', id: 5, message: 'x' },
      {
        type: 'heatmap',
        id: 6,
        heatmap: { classIndex: 0, width: 1, height: 1, values: new Float32Array(1), ms: 1 },
      },
    ];
    expect(responses.map(responseId)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(responseId({ type: 'fatal', backend: 'webgpu', message: 'lost' })).toBeNull();
  });

  it("transfers a prediction's input and framings' buffers and nothing else (an explanation sends no input)", () => {
    const input = new Float32Array(12);
    const framings = [new Float32Array(12), new Float32Array(12)];
    const predict = { type: 'predict', id: 1, modelId: 'm', input, tta: true, gradcam: true };
    expect(transferables({ ...predict, framings: [] } as WorkerRequest)).toEqual([input.buffer]);
    const transferred = transferables({ ...predict, framings } as WorkerRequest);
    expect(transferred).toEqual([input.buffer, framings[0]?.buffer, framings[1]?.buffer]);
    expect(new Set(transferred).size).toBe(3);
    const explain = { type: 'explain', id: 4, modelId: 'm', inputId: 1, classIndex: 2 } as const;
    expect(transferables(explain)).toEqual([]);
    expect(transferables({ type: 'memory', id: 2 })).toEqual([]);
    const meta = {} as never;
    expect(
      transferables({ type: 'load', id: 3, modelUrl: '/m', meta, plan, measureTta: true }),
    ).toEqual([]);
  });
});

describe('backend candidates', () => {
  it('tries webgpu, webgl, wasm, cpu by default', () => {
    expect(backendCandidates(null)).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
  });

  it('puts a forced backend first and keeps the others as fallbacks', () => {
    expect(backendCandidates('wasm')).toEqual(['wasm', 'webgpu', 'webgl', 'cpu']);
  });

  it('leaves out backends that crashed', () => {
    expect(backendCandidates(null, new Set(['webgpu', 'webgl'] as const))).toEqual(['wasm', 'cpu']);
    expect(backendCandidates('cpu', new Set(['cpu'] as const))).toEqual([
      'webgpu',
      'webgl',
      'wasm',
    ]);
  });

  it('recognises backend names', () => {
    expect(isBackendName('webgl')).toBe(true);
    expect(isBackendName('tensorflow')).toBe(false);
    expect(isBackendName(null)).toBe(false);
  });
});

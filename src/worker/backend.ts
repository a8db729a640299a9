/** TF.js backend registration (each backend imported here, inside the worker) and GPU probing. */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../shared/backends';
import { threadedBuildHelps } from './wasm-build';

/**
 * Imports a backend's package, which registers it with tfjs-core. WebGPU must be imported inside
 * the worker itself (tfjs#7914); the wasm binaries come from our own origin, never a CDN.
 */
export async function registerBackend(name: BackendName, wasmPath: string): Promise<void> {
  switch (name) {
    case 'webgpu':
      await import('@tensorflow/tfjs-backend-webgpu');
      return;
    case 'webgl':
      await import('@tensorflow/tfjs-backend-webgl');
      return;
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      wasm.setWasmPaths(wasmPath);
      // One thread either way on a device with fewer than 4 cores: skip the threaded binary's
      // pool of 8 workers there (wasm-build.ts). The flag is read when the backend initialises.
      if (!threadedBuildHelps(navigator.hardwareConcurrency)) {
        tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      }
      return;
    }
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      return;
  }
}

/** Renderer names of software rasterisers: a "GPU" backend on them is slower than wasm. */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render driver|lavapipe/i;

interface GpuAdapterInfoLike {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
  readonly isFallbackAdapter?: boolean;
}
interface GpuAdapterLike {
  readonly info?: GpuAdapterInfoLike;
  readonly isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}

/** The renderer's name when the GPU backend would run on a software rasteriser, else null. */
export async function softwareRenderer(name: BackendName): Promise<string | null> {
  if (name === 'webgpu') {
    const gpu = (navigator as unknown as { gpu?: GpuLike }).gpu;
    const adapter = await gpu?.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return null;
    const info = adapter.info ?? {};
    const text = [info.vendor, info.architecture, info.device, info.description].join(' ');
    if (adapter.isFallbackAdapter || info.isFallbackAdapter || SOFTWARE_RENDERER.test(text)) {
      return text.trim() || 'fallback adapter';
    }
    return null;
  }
  if (name === 'webgl') {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) return null;
    // Chromium exposes the unmasked renderer through RENDERER too; ask the extension anyway.
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return SOFTWARE_RENDERER.test(renderer) ? renderer : null;
  }
  return null;
}

/** Resolves when the active WebGPU device is lost (driver reset, GPU process crash). */
export function onDeviceLost(listener: (message: string) => void): void {
  const backend = tf.backend() as unknown as {
    device?: { lost?: Promise<{ message: string }> };
  };
  void backend.device?.lost?.then((info) => listener(`GPU device lost: ${info.message}`));
}

/** Makes `name` the active backend; throws with a reason when it cannot initialise. */
export async function activateBackend(name: BackendName, wasmPath: string): Promise<void> {
  await registerBackend(name, wasmPath);
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`${name} did not initialise`);
  await tf.ready();
}

/**
 * The CPU threads the active backend computes on: the wasm backend's thread pool, 1 for plain
 * JS, null for the GPU backends.
 */
export async function computeThreads(name: BackendName): Promise<number | null> {
  if (name === 'cpu') return 1;
  if (name !== 'wasm') return null;
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  return wasm.getThreadsCount();
}

/** Drops a backend that failed or lost, freeing what it holds. */
export function discardBackend(name: BackendName): void {
  try {
    tf.removeBackend(name);
  } catch {
    // Nothing to free: it never initialised.
  }
}

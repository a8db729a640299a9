/** Chromium launch flags for this machine (see ../shared/PLATFORM.md) and the app's test URL. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Without the networking flags Chromium tries to reach Google hosts and fails noisily. */
export const BASE_FLAGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/** WebGPU on SwiftShader (software): slow, but runs the WebGPU code path. */
export const WEBGPU_FLAGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--enable-unsafe-swiftshader',
];

/** A fake camera: Chromium's test pattern, or the given .y4m/.mjpeg file. */
export function fakeCameraFlags(file?: string): string[] {
  return [
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    ...(file ? [`--use-file-for-fake-video-capture=${file}`] : []),
  ];
}

export const PORT = Number(process.env['E2E_PORT'] ?? 4317);

/**
 * The same app built with its test hooks (`npm run build:e2e` -> dist-e2e/, see vite.config.ts),
 * served beside the production build: only the specs that drive window.dermlensTest use it.
 */
export const HOOKS_PORT = PORT + 1;

/// <reference types="vitest/config" />
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { dermlensAssets } from './build/assets.ts';
import { tfjsWasmMinifyFix } from './build/wasm-fix.ts';

/**
 * Cross-origin isolation (COOP + COEP) lets the wasm backend use threads (SharedArrayBuffer).
 * Production hosts must send the same headers; the service worker keeps the cached copies' ones.
 */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const E2E_MODE = 'e2e';

/** A throwaway model folder for development only; real builds serve model/. */
const modelDir = process.env['DERMLENS_MODEL_DIR'] ?? 'model';

/**
 * `vite build` is the production build (dist/). `vite build --mode e2e` (npm run build:e2e) is the
 * same app with its test hooks compiled in (dist-e2e/), for the e2e specs and the benchmark that
 * drive window.dermlensTest; `__TEST_HOOKS__` is false elsewhere, so the minifier drops every hook
 * and tests/e2e/production-bundle.spec.ts checks that dist/ holds none of them.
 */
export default defineConfig(({ mode }) => ({
  define: { __TEST_HOOKS__: JSON.stringify(mode === E2E_MODE) },
  plugins: [
    svelte(),
    tfjsWasmMinifyFix(),
    dermlensAssets({ modelDir }),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false, // src/lib/pwa registers it, in production builds only
      manifest: {
        name: 'DermLens: skin spot screening aid',
        short_name: 'DermLens',
        description:
          'Photographs a skin spot and estimates, on the device, how it resembles 7 lesion types.',
        start_url: '.',
        scope: '.',
        display: 'standalone',
        orientation: 'portrait',
        background_color: '#f7fafb',
        theme_color: '#0f4c5c',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          {
            src: 'icons/maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
        ],
      },
      includeManifestIcons: false, // they are generated into the bundle, globbed below
      workbox: {
        globPatterns: ['**/*.{html,js,css,wasm,png,svg,webmanifest,json,bin}'],
        // TF.js weight shards can exceed Workbox's 2 MB default and would be skipped silently.
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
        clientsClaim: true,
      },
    }),
  ],
  // The worker's own plugins: it bundles tfjs-backend-wasm, which needs the fix above.
  worker: { format: 'es', plugins: () => [tfjsWasmMinifyFix()] },
  build: {
    target: 'es2022',
    sourcemap: true,
    outDir: mode === E2E_MODE ? 'dist-e2e' : 'dist',
  },
  server: { headers: isolation },
  preview: { port: 4173, strictPort: true, headers: isolation },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    // The 2-core CI machine also builds and runs browsers: real-photo and TF.js tests that take a
    // second alone can take many under load. A harness limit, not a speed check (bench does that).
    testTimeout: 60_000,
  },
}));

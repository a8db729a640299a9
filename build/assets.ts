/**
 * Vite plugin for the files the app serves from its own origin: the shipped models (model/<id>/),
 * the tfjs-backend-wasm binaries (tfjs-wasm/), the icons (drawn here), and the page's CSP.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { Connect, Plugin } from 'vite';
import { iconFiles } from './icons.ts';

export interface ServedFile {
  /** Path under the site root, e.g. model/ham10000-28/model.json. */
  readonly url: string;
  readonly read: () => Buffer;
}

/** Model ids in `modelDir` that have an exported model.json and meta.json. */
export function shippedModels(modelDir: string): string[] {
  if (!existsSync(modelDir)) return [];
  return readdirSync(modelDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .filter((id) => ['model.json', 'meta.json'].every((f) => existsSync(join(modelDir, id, f))))
    .sort();
}

/** What the build tells the page about one shipped model (from its meta.json). */
export interface ShippedModel {
  readonly id: string;
  /** "accurate" or "fast" (meta.json's role); "other" for a model exported without one. */
  readonly role: string;
  readonly inputSize: number;
}

const ROLE_ORDER = ['accurate', 'fast'];

/** The shipped models with their role and input size, the accurate one first (the default). */
export function shippedModelInfo(modelDir: string): ShippedModel[] {
  const rank = (role: string): number =>
    ROLE_ORDER.includes(role) ? ROLE_ORDER.indexOf(role) : 99;
  return shippedModels(modelDir)
    .map((id) => {
      const meta = JSON.parse(readFileSync(join(modelDir, id, 'meta.json'), 'utf8')) as {
        role?: unknown;
        inputSize?: unknown;
        version?: unknown;
      };
      const role = typeof meta.role === 'string' ? meta.role : 'other';
      const version = typeof meta.version === 'string' ? meta.version : '';
      return { id, role, inputSize: Number(meta.inputSize), version };
    })
    .sort((a, b) => rank(a.role) - rank(b.role) || a.id.localeCompare(b.id));
}

/** What the app needs of one model: topology, weights (from the manifest), meta and card. */
function modelFiles(modelDir: string, id: string): ServedFile[] {
  const dir = join(modelDir, id);
  const manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
    weightsManifest?: { paths: string[] }[];
  };
  const weights = (manifest.weightsManifest ?? []).flatMap((group) => group.paths);
  // ood.json + ood.bin: the not-a-skin-spot gate's thresholds and feature statistics.
  const names = ['model.json', 'meta.json', 'card.json', 'ood.json', 'ood.bin', ...weights];
  return names
    .filter((name) => existsSync(join(dir, name)))
    .map((name) => ({ url: `model/${id}/${name}`, read: () => readFileSync(join(dir, name)) }));
}

function wasmFiles(): ServedFile[] {
  const require = createRequire(import.meta.url);
  const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  return readdirSync(dist)
    .filter((name) => name.endsWith('.wasm'))
    .map((name) => ({ url: `tfjs-wasm/${name}`, read: () => readFileSync(join(dist, name)) }));
}

function allFiles(modelDir: string): ServedFile[] {
  const icons = iconFiles().map((icon) => ({ url: icon.fileName, read: () => icon.source }));
  const models = shippedModels(modelDir).flatMap((id) => modelFiles(modelDir, id));
  return [...models, ...wasmFiles(), ...icons];
}

/**
 * The page's Content Security Policy: our own origin only; blob:/data: images are our own
 * previews and saved thumbnails. No 'wasm-unsafe-eval': the page never compiles WebAssembly,
 * only the inference worker does, and a worker's policy comes from its own response headers
 * (WORKER_CSP), not from the page's meta tag. Added only to builds, because the dev server
 * injects inline styles and scripts for hot reload.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "img-src 'self' blob: data:",
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/**
 * The inference worker's policy, sent as a header with its script: 'wasm-unsafe-eval' to
 * compile the TF.js wasm backend, and blob: because that backend starts its threads as blob:
 * workers that load its script from a blob: URL. connect-src 'self' holds here too.
 */
export const WORKER_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
].join('; ');

/** Built inference worker scripts: assets/inference.worker-<hash>.js. */
export const WORKER_SCRIPT = /\/assets\/inference\.worker-[\w-]+\.js$/;

/**
 * The spot worker's policy: nothing at all. It is one self-contained script that only computes on
 * the pixels it is sent, so it may not fetch, import or start anything.
 */
export const SPOT_WORKER_CSP = "default-src 'none'";

/** Built spot worker scripts: assets/spot.worker-<hash>.js. */
export const SPOT_WORKER_SCRIPT = /\/assets\/spot\.worker-[\w-]+\.js$/;

const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
};

export function dermlensAssets(options: { modelDir: string }): Plugin {
  const modelDir = resolve(options.modelDir);
  return {
    name: 'dermlens-assets',
    config: () => ({
      define: { __SHIPPED_MODELS__: JSON.stringify(shippedModelInfo(modelDir)) },
    }),
    configureServer(server) {
      const handler: Connect.NextHandleFunction = (req, res, next) => {
        const path = decodeURIComponent((req.url ?? '').split('?')[0] ?? '').replace(/^\//, '');
        const file = allFiles(modelDir).find((f) => f.url === path);
        if (!file) return next();
        const ext = path.slice(path.lastIndexOf('.'));
        res.setHeader('Content-Type', TYPES[ext] ?? 'application/octet-stream');
        res.end(file.read());
      };
      server.middlewares.use(handler);
    },
    configurePreviewServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '').split('?')[0] ?? '';
        if (WORKER_SCRIPT.test(path)) res.setHeader('Content-Security-Policy', WORKER_CSP);
        if (SPOT_WORKER_SCRIPT.test(path)) {
          res.setHeader('Content-Security-Policy', SPOT_WORKER_CSP);
        }
        next();
      });
    },
    generateBundle() {
      for (const file of allFiles(modelDir)) {
        this.emitFile({ type: 'asset', fileName: file.url, source: file.read() });
      }
    },
    transformIndexHtml: {
      order: 'post',
      handler: (html, ctx) =>
        ctx.server
          ? html
          : html.replace(
              '<meta charset="UTF-8" />',
              `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`,
            ),
    },
  };
}

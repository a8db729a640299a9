/**
 * Makes tfjs-backend-wasm's threaded module survive minification (tfjs#4253, tfjs#4539).
 * TF.js starts its pthreads from `factory.toString()`, i.e. the function's source without the
 * closure that declares `_scriptDir`; the source guards that with `typeof _scriptDir !==
 * "undefined"`, but the minifier knows the variable is declared and folds the guard to
 * `e !== void 0`, which throws "e is not defined" in every pthread. In a module worker
 * `_scriptDir` is always undefined (no document.currentScript, no __filename), so the guard is
 * replaced by its value there: false.
 */
import type { Plugin } from 'vite';

const FILE = /tfjs-backend-wasm[\\/]wasm-out[\\/]tfjs-backend-wasm-threaded-simd\.js$/;
const GUARD = 'typeof _scriptDir !== "undefined" && _scriptDir';

export function tfjsWasmMinifyFix(): Plugin {
  return {
    name: 'tfjs-wasm-minify-fix',
    enforce: 'pre',
    transform(code, id) {
      if (!FILE.test(id.split('?')[0] ?? '')) return null;
      if (!code.includes(GUARD)) {
        this.error(`${id}: expected "${GUARD}"; tfjs changed, re-check this workaround`);
      }
      return { code: code.replace(GUARD, 'false'), map: null };
    },
  };
}

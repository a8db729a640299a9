// Runs scripts/spot-fill.ts through Vite's module runner, so it uses the app's own TS spot finder
// unchanged (Node 20 cannot run TypeScript by itself).
import { runnerImport } from 'vite';

await runnerImport(new URL('./spot-fill.ts', import.meta.url).pathname, {
  configFile: false,
  logLevel: 'error',
});

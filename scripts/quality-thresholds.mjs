// Runs scripts/quality-thresholds.ts through Vite's module runner, so it uses the app's own TS
// metric code unchanged (Node 20 cannot run TypeScript by itself).
import { runnerImport } from 'vite';

await runnerImport(new URL('./quality-thresholds.ts', import.meta.url).pathname, {
  configFile: false,
  logLevel: 'error',
});

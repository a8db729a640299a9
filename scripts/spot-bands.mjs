// Runs scripts/spot-bands.ts through Vite's module runner, so it uses the app's own TS scan path
// unchanged (Node 20 cannot run TypeScript by itself).
import { runnerImport } from 'vite';

await runnerImport(new URL('./spot-bands.ts', import.meta.url).pathname, {
  configFile: false,
  logLevel: 'error',
});

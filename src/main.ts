/** App entry: mounts the UI, registers the service worker (production), exposes test hooks. */
import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { pwa } from './lib/state/pwa.svelte';
import { testHooksEnabled } from './lib/settings';

const target = document.getElementById('app');
if (!target) throw new Error('#app missing from index.html');
mount(App, { target });
pwa.start();

if (testHooksEnabled()) {
  // Loaded only on ?testhooks, so normal visits never fetch it.
  void import('./lib/testhooks').then((m) => m.installTestHooks());
}

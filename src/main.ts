/**
 * App entry: mounts the UI, registers the service worker (production), listens for the install
 * prompt, test hooks (e2e build).
 */
import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { install } from './lib/state/install.svelte';
import { pwa } from './lib/state/pwa.svelte';
import { testHooksEnabled } from './lib/settings';

const target = document.getElementById('app');
if (!target) throw new Error('#app missing from index.html');
mount(App, { target });
pwa.start();
install.start();

// Only the e2e build has test hooks (a production build drops this block), and even there they
// are loaded only on ?testhooks, so normal visits never fetch them.
if (__TEST_HOOKS__ && testHooksEnabled()) {
  void import('./lib/testhooks').then((m) => m.installTestHooks());
}

/**
 * The "Install DermLens" offer: the browser's install prompt kept for a click on our button
 * (Chromium), or the Share-menu instructions (iOS); gone once installed or opened installed.
 */
import {
  browserFacts,
  initialOffer,
  isStandalone,
  type BeforeInstallPromptEvent,
} from '../pwa/install';

export type InstallOffer = 'none' | 'prompt' | 'ios-instructions';

class InstallState {
  offer = $state<InstallOffer>('none');
  private event: BeforeInstallPromptEvent | null = null;

  /** Listens for the browser's install events; call once, at start-up. */
  start(win: Window = window): void {
    const facts = browserFacts(win);
    this.offer = initialOffer(facts);
    if (isStandalone(facts)) return;
    win.addEventListener('beforeinstallprompt', (e) => {
      // Kept for our button instead of the browser's own mini-infobar.
      e.preventDefault();
      this.event = e as BeforeInstallPromptEvent;
      this.offer = 'prompt';
    });
    win.addEventListener('appinstalled', () => {
      this.event = null;
      this.offer = 'none';
    });
  }

  /** Shows the browser's install dialog. The event serves once: the button goes either way. */
  async prompt(): Promise<void> {
    const event = this.event;
    if (!event) return;
    this.event = null;
    this.offer = 'none';
    await event.prompt();
  }
}

export const install = new InstallState();

/**
 * How this browser can install DermLens: its own prompt (Chromium's beforeinstallprompt), the
 * Share menu (iOS and iPadOS, where no prompt exists), or not at all / already installed. Pure:
 * the facts about the browser are passed in, so they can be tested without one.
 */

/** Chromium's install prompt event (not in TypeScript's DOM types). */
export interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<unknown>;
  readonly userChoice?: Promise<{ readonly outcome: 'accepted' | 'dismissed' }>;
}

/** What the page knows about where it runs. */
export interface BrowserFacts {
  readonly userAgent: string;
  readonly maxTouchPoints: number;
  /** matchMedia('(display-mode: standalone)').matches: opened from the home screen. */
  readonly displayStandalone: boolean;
  /** iOS Safari's own flag for a page opened from the home screen. */
  readonly iosStandalone: boolean;
}

/**
 * iPhone, iPod or iPad. iPadOS 13+ says "Macintosh" by default; unlike a Mac it has a touch
 * screen (https://developer.apple.com/forums/thread/119186).
 */
export function isIos(facts: Pick<BrowserFacts, 'userAgent' | 'maxTouchPoints'>): boolean {
  if (/iPhone|iPad|iPod/.test(facts.userAgent)) return true;
  return /Macintosh/.test(facts.userAgent) && facts.maxTouchPoints > 1;
}

/** Already installed and opened from the home screen: nothing to offer. */
export function isStandalone(facts: BrowserFacts): boolean {
  return facts.displayStandalone || facts.iosStandalone;
}

/**
 * What to offer before any prompt event arrives: the Share-menu instructions on iOS (its browsers
 * never fire beforeinstallprompt), else nothing until the browser says it can install.
 */
export function initialOffer(facts: BrowserFacts): 'none' | 'ios-instructions' {
  if (isStandalone(facts)) return 'none';
  return isIos(facts) ? 'ios-instructions' : 'none';
}

/** The facts of the running browser. */
export function browserFacts(win: Window): BrowserFacts {
  const nav = win.navigator as Navigator & { standalone?: boolean };
  return {
    userAgent: nav.userAgent,
    maxTouchPoints: nav.maxTouchPoints,
    displayStandalone: win.matchMedia?.('(display-mode: standalone)').matches ?? false,
    iosStandalone: nav.standalone === true,
  };
}

import { describe, expect, it } from 'vitest';
import { initialOffer, isIos, isStandalone, type BrowserFacts } from '../../src/lib/pwa/install';

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const IPAD_AS_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
const ANDROID =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';

const facts = (over: Partial<BrowserFacts>): BrowserFacts => ({
  userAgent: ANDROID,
  maxTouchPoints: 5,
  displayStandalone: false,
  iosStandalone: false,
  ...over,
});

describe('installing DermLens: what the browser allows', () => {
  it('knows iOS and iPadOS (which says Macintosh, with a touch screen), not a Mac or Android', () => {
    expect(isIos({ userAgent: IPHONE, maxTouchPoints: 5 })).toBe(true);
    expect(isIos({ userAgent: IPAD_AS_MAC, maxTouchPoints: 5 })).toBe(true);
    expect(isIos({ userAgent: IPAD_AS_MAC, maxTouchPoints: 0 })).toBe(false);
    expect(isIos({ userAgent: ANDROID, maxTouchPoints: 5 })).toBe(false);
  });

  it('is standalone when opened from the home screen, by either signal', () => {
    expect(isStandalone(facts({}))).toBe(false);
    expect(isStandalone(facts({ displayStandalone: true }))).toBe(true);
    expect(isStandalone(facts({ userAgent: IPHONE, iosStandalone: true }))).toBe(true);
  });

  it('offers the Share-menu steps on iOS only, and nothing once installed', () => {
    expect(initialOffer(facts({ userAgent: IPHONE }))).toBe('ios-instructions');
    expect(initialOffer(facts({ userAgent: IPHONE, iosStandalone: true }))).toBe('none');
    // Elsewhere the browser's own beforeinstallprompt decides (install.svelte.ts).
    expect(initialOffer(facts({}))).toBe('none');
  });
});

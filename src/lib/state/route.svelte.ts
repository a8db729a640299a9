/**
 * Which page is shown, from the URL hash (#/model-card): hash routing works offline from the
 * service worker's cached index.html, needs no server rewrites, and keeps the back button.
 */
export type Page = 'scan' | 'model-card';

const pageOf = (hash: string): Page => (hash === '#/model-card' ? 'model-card' : 'scan');

class Route {
  page = $state<Page>(pageOf(globalThis.location?.hash ?? ''));

  constructor() {
    globalThis.addEventListener?.('hashchange', () => {
      this.page = pageOf(location.hash);
      globalThis.scrollTo?.(0, 0);
    });
  }
}

export const route = new Route();

/** The link to a page. */
export const href = (page: Page): string => (page === 'model-card' ? '#/model-card' : '#/');

/** Moving the focus where the person's attention goes after an action that removes or adds things. */

/**
 * Focuses the first element matching `selector` once it is on the page: after a route change or
 * a list update it may be a few frames away. Gives up after about half a second.
 */
export function focusWhenShown(selector: string, tries = 30): void {
  const element = document.querySelector<HTMLElement>(selector);
  if (element) element.focus();
  else if (tries > 0) requestAnimationFrame(() => focusWhenShown(selector, tries - 1));
}

/** A selector for the element with this data-id (ids are UUIDs, but escaped all the same). */
export const byDataId = (id: string): string => `[data-id="${CSS.escape(id)}"]`;

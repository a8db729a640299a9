/** Moving the focus where the person's attention goes after an action that removes or adds things. */
import { tick } from 'svelte';

/**
 * Focuses the first element matching `selector` once it is on the page: after a route change or
 * a list update it may be a few frames away. Gives up after about half a second.
 */
export function focusWhenShown(selector: string, tries = 30): void {
  const element = document.querySelector<HTMLElement>(selector);
  if (element) element.focus();
  else if (tries > 0) requestAnimationFrame(() => focusWhenShown(selector, tries - 1));
}

/** The photo input's first button: where a photo is taken or chosen. */
const PHOTO_INPUT = '[aria-labelledby="input-title"] button';

/**
 * Back at the photo input (a retake, a cancelled crop), the focus goes to where the next photo is
 * taken or chosen, once the view has changed.
 */
export async function focusPhotoInput(): Promise<void> {
  await tick();
  document.querySelector<HTMLElement>(PHOTO_INPUT)?.focus();
}

/** A selector for the element with this data-id (ids are UUIDs, but escaped all the same). */
export const byDataId = (id: string): string => `[data-id="${CSS.escape(id)}"]`;

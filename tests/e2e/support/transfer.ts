/** Drop and paste, as the page receives them: a file in a DataTransfer, fired inside the page. */
import type { Page } from '@playwright/test';

/** Fires `type` (drop on the input section, or paste on the window) with one image file. */
export async function fire(
  page: Page,
  type: 'drop' | 'paste',
  bytes: Buffer,
  mime = 'image/png',
): Promise<void> {
  await page.evaluate(
    ([kind, base64, type]) => {
      const data = new DataTransfer();
      const file = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      data.items.add(new File([file], `image.${type.split('/')[1]}`, { type }));
      if (kind === 'drop') {
        const zone = document.querySelector('section.input') as HTMLElement;
        zone.dispatchEvent(
          new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }),
        );
        zone.dispatchEvent(
          new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }),
        );
      } else {
        window.dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: data, cancelable: true }),
        );
      }
    },
    [type, bytes.toString('base64'), mime] as const,
  );
}

/**
 * Handing the report file to the phone's share sheet (Web Share Level 2). Only the file goes,
 * and only where the person sends it: nothing is uploaded by the app.
 */

/** Whether this browser can share files (a probe file of the report's type). */
export function canShareFiles(nav: Navigator = navigator): boolean {
  if (typeof nav.canShare !== 'function' || typeof nav.share !== 'function') return false;
  try {
    return nav.canShare({ files: [new File([], 'report.png', { type: 'image/png' })] });
  } catch {
    return false;
  }
}

export type ShareOutcome = 'shared' | 'cancelled';

/**
 * Opens the share sheet with the file. Closing the sheet without choosing is not an error
 * (AbortError); anything else is thrown with a message the person can act on.
 */
export async function shareFile(
  file: File,
  title: string,
  nav: Navigator = navigator,
): Promise<ShareOutcome> {
  if (!nav.canShare({ files: [file] })) {
    throw new Error('This browser cannot share this file. Use “Print or save as PDF” instead.');
  }
  try {
    await nav.share({ files: [file], title });
    return 'shared';
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') return 'cancelled';
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(`Could not share the report (${why}). Use “Print or save as PDF” instead.`, {
      cause: e,
    });
  }
}

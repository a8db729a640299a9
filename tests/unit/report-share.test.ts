import { describe, expect, it } from 'vitest';
import { canShareFiles, shareFile } from '../../src/lib/report/share';

/** A navigator with only what Web Share needs, answering as told. */
function nav(canShare?: (d: ShareData) => boolean, share?: (d: ShareData) => Promise<void>) {
  return { ...(canShare ? { canShare } : {}), ...(share ? { share } : {}) } as Navigator;
}
const file = new File([new Uint8Array([0x89, 0x50])], 'r.png', { type: 'image/png' });

describe('sharing the report file', () => {
  it('offers Share only where files can be shared', () => {
    expect(canShareFiles(nav())).toBe(false);
    expect(canShareFiles(nav(() => true))).toBe(false); // no share()
    expect(
      canShareFiles(
        nav(
          (d) => !d.files,
          async () => {},
        ),
      ),
    ).toBe(false); // Level 1 only
    const throwing = () => {
      throw new TypeError('files not supported');
    };
    expect(canShareFiles(nav(throwing, async () => {}))).toBe(false);
    expect(
      canShareFiles(
        nav(
          (d) => d.files?.[0]?.type === 'image/png',
          async () => {},
        ),
      ),
    ).toBe(true);
  });

  it('hands over exactly the file; closing the sheet is not an error; a refusal is explained', async () => {
    const handed: ShareData[] = [];
    const ok = nav(
      () => true,
      async (d) => void handed.push(d),
    );
    expect(await shareFile(file, 'Report', ok)).toBe('shared');
    expect(handed).toEqual([{ files: [file], title: 'Report' }]);

    const abort = async () => {
      throw new DOMException('Share canceled', 'AbortError');
    };
    expect(
      await shareFile(
        file,
        'Report',
        nav(() => true, abort),
      ),
    ).toBe('cancelled');

    const denied = async () => {
      throw new DOMException('Permission denied', 'NotAllowedError');
    };
    await expect(
      shareFile(
        file,
        'Report',
        nav(() => true, denied),
      ),
    ).rejects.toThrow(
      /Could not share the report \(Permission denied\)\. Use “Print or save as PDF” instead\./,
    );
    await expect(
      shareFile(
        file,
        'Report',
        nav(
          () => false,
          async () => {},
        ),
      ),
    ).rejects.toThrow(/cannot share this file/);
  });
});

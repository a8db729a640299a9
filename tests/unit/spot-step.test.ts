/** The scan path's spot-finding step around the spot worker: its answer, its failures. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SpotWorkerError, type FoundSpot } from '../../src/lib/image/spot/client';
import { findSpot } from '../../src/lib/image/spot/find';
import { displaySize } from '../../src/lib/image/spot/protocol';
import {
  defaultDisplayCopier,
  findSpotHere,
  proposedCrop,
  spotFinderInWorker,
} from '../../src/lib/scan/spot-step';
import type { RgbaImage } from '../../src/lib/image/preprocess';
import { drawSpot } from './quality-draw';

const photo = { rgba: drawSpot(120, 30), original: { width: 1200, height: 1200 } };

describe('displaySize', () => {
  it('shrinks to the long side, keeps the shape, never enlarges', () => {
    expect(displaySize(4000, 3000, 1280)).toEqual({ width: 1280, height: 960 });
    expect(displaySize(3000, 4000, 1280)).toEqual({ width: 960, height: 1280 });
    expect(displaySize(300, 200, 1280)).toEqual({ width: 300, height: 200 });
    expect(displaySize(5000, 1, 1280)).toEqual({ width: 1280, height: 1 });
  });
});

describe('the spot-finding step', () => {
  it('here: the finder on the photo itself, no display copy', async () => {
    const found = await findSpotHere(photo);
    expect(found.photo).toBe(photo);
    expect(found.spot).toEqual(findSpot(photo.rgba));
    expect(found.display).toBeNull();
  });

  it("in the worker: the worker's answer, and the photo with the pixels it handed back", async () => {
    const back: RgbaImage = { ...photo.rgba, data: new Uint8ClampedArray(photo.rgba.data) };
    const client = {
      find: async (image: RgbaImage): Promise<FoundSpot> => ({
        result: findSpot(image),
        image: back,
        display: null,
        findMs: 1,
      }),
    };
    const found = await spotFinderInWorker(client)(photo);
    expect(found.photo.rgba).toBe(back);
    expect(found.photo.original).toEqual(photo.original);
    expect(found.spot.found).toBe(true);
  });

  it('a worker that died with the pixels: says so, and to take the photo again', async () => {
    const client = {
      find: () =>
        Promise.reject(new SpotWorkerError('The spot finder stopped: out of memory', null)),
    };
    await expect(spotFinderInWorker(client)(photo)).rejects.toThrow(
      'The spot finder stopped: out of memory. Please take or choose the photo again.',
    );
  });
});

describe('the display copy made on the page ("Crop again", and the worker\'s fallback)', () => {
  /** createImageBitmap and ImageData as a page has them, recording what they were given. */
  function stubbedPage() {
    const given: { data: Uint8ClampedArray; width: number; height: number; options: object }[] = [];
    class FakeImageData {
      constructor(
        readonly data: Uint8ClampedArray,
        readonly width: number,
        readonly height: number,
      ) {}
    }
    vi.stubGlobal('ImageData', FakeImageData);
    vi.stubGlobal('createImageBitmap', (image: FakeImageData, options: object) => {
      given.push({ data: image.data, width: image.width, height: image.height, options });
      return Promise.resolve({ close: () => undefined });
    });
    return given;
  }
  afterEach(() => vi.unstubAllGlobals());

  it('none in Node', async () => {
    expect(await defaultDisplayCopier()(photo.rgba)).toBeNull();
  });

  it('at most DISPLAY_LONG_SIDE, from a view of the pixels: a 12 MP photo is not copied here', async () => {
    const given = stubbedPage();
    const width = 4000;
    const height = 3000;
    const data = new Uint8Array(width * height * 4);
    expect(await defaultDisplayCopier()({ data, width, height })).not.toBeNull();
    const [call] = given;
    expect(call?.options).toEqual({
      resizeWidth: 1280,
      resizeHeight: 960,
      resizeQuality: 'medium',
    });
    expect(call?.data.buffer).toBe(data.buffer); // the same memory, viewed as clamped bytes
    expect(call?.data.length).toBe(data.length);
  });

  it('a photo in a shared buffer (which ImageData refuses) is copied', async () => {
    const given = stubbedPage();
    const data = new Uint8Array(new SharedArrayBuffer(8 * 4));
    data[5] = 7;
    await defaultDisplayCopier()({ data, width: 4, height: 2 });
    expect(given[0]?.data.buffer).toBeInstanceOf(ArrayBuffer);
    expect(given[0]?.data[5]).toBe(7);
  });
});

describe('the proposed crop', () => {
  it("is the finder's where it is large enough, else grown to the analysis size (128)", () => {
    const big = drawSpot(600, 60);
    const found = findSpot(big);
    expect(proposedCrop(found, big)).toEqual(found.crop);
    expect(found.crop.side).toBeGreaterThan(128);
    // A small close-up (a dermatoscope's 200 x 150): the finder's square is under 128 px.
    const small = drawSpot(150, 30);
    const spot = findSpot(small);
    expect(spot.crop.side).toBeLessThan(128);
    const crop = proposedCrop(spot, small);
    expect(crop.side).toBe(128);
    expect(Math.abs(crop.x0 + 64 - (spot.crop.x0 + spot.crop.side / 2))).toBeLessThanOrEqual(1);
  });
});

/**
 * The page's side of the spot worker: one worker started on first use and kept (it is small and
 * stateless), requests matched to replies by id, the photo's pixel buffer transferred there and
 * back. If the worker dies, pending requests fail and the next one starts a new worker.
 */
import { errorText } from '../../../shared/errors';
import type { RgbaImage } from '../preprocess';
import type { SpotResult } from './find';
import { DISPLAY_LONG_SIDE, type FindSpotReply, type FindSpotRequest } from './protocol';

/** The finder's answer, the photo (its pixels back from the worker) and its display copy. */
export interface FoundSpot {
  readonly result: SpotResult;
  /** The same photo: the pixels the request handed over, readable again. */
  readonly image: RgbaImage;
  readonly display: ImageBitmap | null;
  /** Time in findSpot itself, ms (without the messages). */
  readonly findMs: number;
}

interface Pending {
  readonly width: number;
  readonly height: number;
  readonly resolve: (found: FoundSpot) => void;
  readonly reject: (error: Error) => void;
}

/** Thrown when the worker failed: the photo's pixels may be lost with it (read it again). */
export class SpotWorkerError extends Error {
  constructor(
    message: string,
    /** The photo's pixels when the worker handed them back, else null. */
    readonly image: RgbaImage | null,
  ) {
    super(message);
    this.name = 'SpotWorkerError';
  }
}

/**
 * A buffer that can be transferred and holds exactly the image's bytes: the image's own when it
 * does (a decoded photo's ImageData), else a copy (a view into a larger or shared buffer).
 */
function ownBuffer(image: RgbaImage): ArrayBuffer {
  const { data } = image;
  const buffer = data.buffer;
  const exact =
    buffer instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === buffer.byteLength;
  return exact ? buffer : new Uint8ClampedArray(data).buffer;
}

export class SpotWorkerClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /**
   * Finds the spot in `image` in the worker. The image's pixels are transferred: until this
   * settles, `image.data` is empty; use the returned `image` afterwards.
   */
  find(image: RgbaImage, displayLongSide = DISPLAY_LONG_SIDE): Promise<FoundSpot> {
    const worker = this.start();
    const id = this.nextId++;
    const pixels = ownBuffer(image);
    const request: FindSpotRequest = {
      id,
      type: 'find',
      width: image.width,
      height: image.height,
      pixels,
      displayLongSide,
    };
    return new Promise<FoundSpot>((resolve, reject) => {
      this.pending.set(id, { width: image.width, height: image.height, resolve, reject });
      worker.postMessage(request, [pixels]);
    });
  }

  /** Stops the worker; pending requests fail. */
  dispose(): void {
    this.fail('The spot finder was stopped.');
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('../../../spot-worker/spot.worker.ts', import.meta.url), {
      type: 'module',
      name: 'spot',
    });
    worker.onmessage = (event: MessageEvent<FindSpotReply>) => this.settle(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.fail(`The spot finder stopped: ${event.message || 'unknown error'}`);
    };
    worker.onmessageerror = () => this.fail('The spot finder sent an unreadable reply.');
    this.worker = worker;
    return worker;
  }

  private settle(reply: FindSpotReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    const image: RgbaImage = {
      data: new Uint8ClampedArray(reply.pixels),
      width: pending.width,
      height: pending.height,
    };
    if (reply.type === 'found') {
      pending.resolve({
        result: reply.result,
        image,
        display: reply.display,
        findMs: reply.findMs,
      });
    } else {
      pending.reject(new SpotWorkerError(`The spot finder failed: ${reply.message}`, image));
    }
  }

  private fail(message: string): void {
    this.worker?.terminate();
    this.worker = null;
    const error = new SpotWorkerError(message, null);
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

/** The error's words and, when the worker handed them back, the photo's pixels. */
export function spotWorkerFailure(error: unknown): { message: string; image: RgbaImage | null } {
  return {
    message: errorText(error),
    image: error instanceof SpotWorkerError ? error.image : null,
  };
}

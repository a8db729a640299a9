/**
 * The spot worker: runs the spot finder (src/lib/image/spot/find.ts) off the page's thread, since
 * on a 12 MP photo it costs more than a frame (docs/spot-fill.md), and makes the small copy of the
 * photo the crop step shows. Stateless: one request, one reply, the pixel buffer handed back.
 */
import { errorText } from '../shared/errors';
import { findSpot } from '../lib/image/spot/find';
import { displaySize, type FindSpotReply, type FindSpotRequest } from '../lib/image/spot/protocol';

// The webworker lib types `self` as any worker's scope; this one is a dedicated worker.
const scope = self as unknown as DedicatedWorkerGlobalScope;

function reply(message: FindSpotReply, transfer: Transferable[]): void {
  scope.postMessage(message, transfer);
}

/** The photo shrunk for display (the browser's resampling: it is only looked at). */
async function displayCopy(
  data: Uint8ClampedArray<ArrayBuffer>,
  width: number,
  height: number,
  longSide: number,
): Promise<ImageBitmap | null> {
  if (longSide <= 0) return null;
  const size = displaySize(width, height, longSide);
  return createImageBitmap(new ImageData(data, width, height), {
    resizeWidth: size.width,
    resizeHeight: size.height,
    resizeQuality: 'medium',
  });
}

async function handle(request: FindSpotRequest): Promise<void> {
  const { id, width, height, pixels } = request;
  try {
    const data = new Uint8ClampedArray(pixels);
    const t0 = performance.now();
    const result = findSpot({ data, width, height });
    const findMs = performance.now() - t0;
    const display = await displayCopy(data, width, height, request.displayLongSide);
    reply(
      { id, type: 'found', result, pixels, display, findMs },
      display ? [pixels, display] : [pixels],
    );
  } catch (error) {
    reply({ id, type: 'failed', message: errorText(error), pixels }, [pixels]);
  }
}

scope.onmessage = (event: MessageEvent<FindSpotRequest>) => void handle(event.data);

/**
 * The input of the worker's last prediction, kept so that Grad-CAM of another class (the person
 * picks it on the result) needs no second copy of the photo from the page. One input: only the
 * result on screen can be explained, and a newer prediction replaces it.
 */
import type { RequestId } from '../shared/protocol';

export class KeptInput {
  private last: {
    readonly id: RequestId;
    readonly modelId: string;
    readonly input: Float32Array;
  } | null = null;

  keep(id: RequestId, modelId: string, input: Float32Array): void {
    this.last = { id, modelId, input };
  }

  /** The input of prediction `id` by `modelId`; throws if a newer one (or a restart) replaced it. */
  get(id: RequestId, modelId: string): Float32Array {
    const last = this.last;
    if (!last || last.id !== id || last.modelId !== modelId) {
      throw new Error('This photo is no longer held by the analysis engine: analyse it again.');
    }
    return last.input;
  }
}

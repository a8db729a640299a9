/**
 * Test-time augmentation: the 8 dihedral views (flips and 90-degree turns) of training's
 * inference.view(): bit 0 flips width, bit 1 flips height, bit 2 swaps height and width, in
 * that order. The app averages the logits over all 8, as `evaluate` did for card.json's tta.
 */
import * as tf from '@tensorflow/tfjs-core';

export const VIEWS = 8;

/** View `index` (0..7) of NHWC images. */
export function view(x: tf.Tensor4D, index: number): tf.Tensor4D {
  let v = x;
  if (index & 1) v = tf.reverse(v, 2);
  if (index & 2) v = tf.reverse(v, 1);
  if (index & 4) v = tf.transpose(v, [0, 2, 1, 3]);
  return v;
}

/** [n, N, N, 3] -> [8n, N, N, 3], view-major, to run as one batch. */
export function allViews(x: tf.Tensor4D): tf.Tensor4D {
  return tf.concat(
    Array.from({ length: VIEWS }, (_, i) => view(x, i)),
    0,
  );
}

/** Mean over the views of logits [8n, C] computed on allViews(x): [n, C]. */
export function meanOverViews(logits: tf.Tensor2D, n: number): tf.Tensor2D {
  const [, classes] = logits.shape;
  return tf.mean(tf.reshape(logits, [VIEWS, n, classes]), 0) as tf.Tensor2D;
}

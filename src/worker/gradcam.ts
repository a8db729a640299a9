/**
 * Grad-CAM (Selvaraju et al. 2017) on meta.gradcamLayer, exactly as training/dermlens_train/
 * gradcam.py computes the reference: cam = relu(sum_k alpha_k * A_k), alpha_k = spatial mean of
 * d logit_c / d A_k, divided by its maximum (all zeros if that is 0), at the feature map's size.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { endpoints, runLayers } from './graph';

// A type alias, not an interface: tf.tidy accepts it as a TensorContainer (implicit index).
export type GradCamTensors = {
  /** [n, classes] */
  readonly logits: tf.Tensor2D;
  /** [n, h, w] in [0, 1] */
  readonly cam: tf.Tensor3D;
  /** [n] int32: the class each map explains. */
  readonly classes: tf.Tensor1D;
};

/**
 * Grad-CAM for a batch of NHWC images; `classes` null = each image's top-1 class. Synchronous so
 * that callers can wrap it in tf.tidy; the returned tensors are theirs to dispose.
 */
export function gradCamTensors(
  model: LayersModel,
  layerName: string,
  images: tf.Tensor4D,
  classes: readonly number[] | null,
): GradCamTensors {
  const { input, output } = endpoints(model);
  const activations = runLayers(model, new Map([[input, images]]), layerName) as tf.Tensor4D;
  const head = (a: tf.Tensor): tf.Tensor2D =>
    runLayers(model, new Map([[layerName, a]]), output) as tf.Tensor2D;
  const logits = head(activations);
  const numClasses = logits.shape[1];
  const chosen =
    classes === null ? tf.argMax(logits, 1) : tf.tensor1d(classes.map(Math.trunc), 'int32');
  // Chained tensor methods (x.toFloat()) are not registered with tfjs-core alone: use tf.* ops.
  // A constant one-hot mask: sum_i logit[i, c_i] has gradient d logit_c / dA for each image.
  const mask = tf.cast(tf.oneHot(tf.cast(chosen, 'int32'), numClasses), 'float32');
  const gradients = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(head(a), mask)))(activations);
  const alpha = tf.mean(gradients, [1, 2], true);
  const cam = tf.relu(tf.sum(tf.mul(alpha, activations), 3)) as tf.Tensor3D;
  const peak = tf.max(cam, [1, 2], true);
  const normalised = tf.where(
    tf.broadcastTo(tf.greater(peak, 0), cam.shape),
    tf.div(cam, tf.maximum(peak, 1e-12)),
    tf.zerosLike(cam),
  ) as tf.Tensor3D;
  return { logits, cam: normalised, classes: tf.cast(chosen, 'int32') as tf.Tensor1D };
}

/** One heat map, read back from the backend. */
export interface HeatMapData {
  readonly classIndex: number;
  readonly width: number;
  readonly height: number;
  /** Row-major, height * width values in [0, 1]. */
  readonly values: Float32Array;
  readonly logits: Float32Array;
}

/** Grad-CAM of one image [1, N, N, 3]; frees every tensor it made (callers own `image`). */
export async function gradCam(
  model: LayersModel,
  layerName: string,
  image: tf.Tensor4D,
  classIndex: number | null,
): Promise<HeatMapData> {
  const out = tf.tidy(() =>
    gradCamTensors(model, layerName, image, classIndex === null ? null : [classIndex]),
  );
  try {
    const [values, logits, classes] = await Promise.all([
      out.cam.data(),
      out.logits.data(),
      out.classes.data(),
    ]);
    const [, height, width] = out.cam.shape;
    return {
      classIndex: classes[0] ?? 0,
      width,
      height,
      values: values as Float32Array,
      logits: logits as Float32Array,
    };
  } finally {
    tf.dispose([out.cam, out.logits, out.classes]);
  }
}

/**
 * The `relu6` activation of saved Keras layers as one Relu6 kernel.
 *
 * tfjs-layers computes it as `minimum(6, relu(x))` (its `Relu6` activation class). Conv2D layers
 * never run that code: they pass the activation's name to a fused convolution. DepthwiseConv2D
 * layers do, and the wasm backend runs `Minimum` against a scalar as a broadcasting binary op
 * without SIMD: in Node (wasm, one thread) that Minimum took 15 of the accurate model's 32 ms.
 * `tf.relu6` is one unary kernel on every backend, and `min(max(x, 0), 6)` equals
 * `minimum(6, relu(x))` for every float, so outputs do not change by a bit (tests/unit/relu6.test.ts).
 *
 * Registering a class under the same name replaces tfjs-layers' entry in the serialization map
 * that model.json's `"activation": "relu6"` is looked up in, so it must run after tfjs-layers is
 * imported (it is, by this module) and before a model is loaded.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';

class SingleKernelRelu6 extends tf.serialization.Serializable {
  static readonly className = 'relu6';

  override getClassName(): string {
    return SingleKernelRelu6.className;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {};
  }

  /** tfjs-layers calls `apply(x, axis)` on an activation; relu6 has no axis. */
  apply(x: tf.Tensor): tf.Tensor {
    return tf.relu6(x);
  }
}

let registered = false;

/** Makes every layers model loaded afterwards run `relu6` as one kernel (idempotent). */
export function useSingleKernelRelu6(): void {
  if (registered) return;
  tf.serialization.registerClass(SingleKernelRelu6);
  registered = true;
}

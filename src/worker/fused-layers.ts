/**
 * Conv2D and DepthwiseConv2D layers whose `relu6` runs inside the convolution kernel.
 *
 * tfjs-layers fuses a Conv2D's bias and its activation into one kernel only for linear, relu and
 * elu; a `relu6` layer runs the convolution, then a second kernel. A DepthwiseConv2D never fuses:
 * convolution, bias add and activation are three kernels. The accurate model (EfficientNet-Lite0)
 * has 34 Conv2D and 16 DepthwiseConv2D layers with relu6, so one prediction ran 49 kernels more
 * than it needs. Measured in Node (wasm, one thread, the shipped accurate model): p50 16.2 ms
 * unfused, 14.7 ms fused, logits equal within 6e-7.
 *
 * `tf.fused.*` falls back to the unfused ops while gradients are recorded (tfjs-core's
 * `shouldFuse`: no fused gradient for relu6), so Grad-CAM differentiates the same network.
 * Registering a class under a layer's class name replaces tfjs-layers' entry in the serialization
 * map that model.json's `"class_name"` is looked up in (as relu6.ts does for the activation).
 */
import * as tf from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';

type Conv2DLayer = ReturnType<typeof layers.conv2d>;
type DepthwiseLayer = ReturnType<typeof layers.depthwiseConv2d>;
type Constructor<T> = new (...args: never[]) => T;
interface Variable {
  read(): tf.Tensor;
}

/** tfjs-layers exports factories, not the classes: take them from a throwaway instance. */
function classOf<T extends object>(instance: T): Constructor<T> {
  return (Object.getPrototypeOf(instance) as { constructor: Constructor<T> }).constructor;
}

const Conv2D = classOf<Conv2DLayer>(layers.conv2d({ filters: 1, kernelSize: 1 }));
const DepthwiseConv2D = classOf<DepthwiseLayer>(layers.depthwiseConv2d({ kernelSize: 1 }));

/** The fields of tfjs-layers' convolution layers that the fused call reads (protected there). */
interface ConvFields {
  readonly rank: number;
  readonly strides: number[];
  readonly padding: string;
  readonly dataFormat: string;
  readonly dilationRate: number[];
  readonly activation: { getClassName(): string };
  readonly bias: Variable | null;
}

const FUSED_ACTIVATIONS = new Set(['relu6', 'relu', 'linear']);

/** One fused kernel's arguments, or null when the layer is not one the fused ops can run. */
function fusedArgs(layer: ConvFields): {
  strides: [number, number];
  pad: 'same' | 'valid';
  dilations: [number, number];
  activation: 'relu6' | 'relu' | 'linear';
} | null {
  const activation = layer.activation.getClassName();
  const nhwc = layer.dataFormat === 'channelsLast';
  if (layer.rank !== 2 || !nhwc || !FUSED_ACTIVATIONS.has(activation)) return null;
  if (layer.padding !== 'same' && layer.padding !== 'valid') return null;
  return {
    strides: [layer.strides[0]!, layer.strides[1]!],
    pad: layer.padding,
    dilations: [layer.dilationRate[0]!, layer.dilationRate[1]!],
    activation: activation as 'relu6' | 'relu' | 'linear',
  };
}

function one(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor4D {
  return (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
}

export class FusedConv2D extends (Conv2D as Constructor<Conv2DLayer>) {
  static readonly className = 'Conv2D';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) {
    const fields = this as unknown as ConvFields & { kernel: Variable };
    const args = fusedArgs(fields);
    if (!args) return super.call(inputs, kwargs);
    return tf.tidy(() =>
      tf.fused.conv2d({
        x: one(inputs),
        filter: fields.kernel.read() as tf.Tensor4D,
        bias: fields.bias?.read(),
        dataFormat: 'NHWC',
        ...args,
      }),
    );
  }
}

export class FusedDepthwiseConv2D extends (DepthwiseConv2D as Constructor<DepthwiseLayer>) {
  static readonly className = 'DepthwiseConv2D';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) {
    const fields = this as unknown as ConvFields & { depthwiseKernel: Variable };
    const args = fusedArgs(fields);
    if (!args) return super.call(inputs, kwargs);
    return tf.tidy(() =>
      tf.fused.depthwiseConv2d({
        x: one(inputs),
        filter: fields.depthwiseKernel.read() as tf.Tensor4D,
        bias: fields.bias?.read(),
        dataFormat: 'NHWC',
        ...args,
      }),
    );
  }
}

let registered = false;

/** Makes every layers model loaded afterwards run its convolutions fused (idempotent). */
export function useFusedConvolutions(): void {
  if (registered) return;
  tf.serialization.registerClass(
    FusedConv2D as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
  );
  tf.serialization.registerClass(
    FusedDepthwiseConv2D as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
  );
  registered = true;
}

import { createRandom, GatedError, shapeSize, type Tensor, tensor, uniformArray } from '@gated/core';

/** The gradients of a linear head's parameters and input. */
export interface LinearHeadGradients {
  /** [outputs, inputs] */
  readonly weight: Float32Array;
  /** [outputs] */
  readonly bias: Float32Array;
  /** Same shape as the forward's input. */
  readonly x: Tensor;
}

/** y = x·Wᵀ + b over the last axis, PyTorch's `nn.Linear(inputs, outputs)`: `weight` [outputs,
 * inputs] row-major and `bias` [outputs], the names of its `state_dict`. The arrays are the
 * parameters themselves: an optimizer updates them in place. */
export class LinearHead {
  readonly weight: Float32Array;
  readonly bias: Float32Array;

  constructor(
    readonly inputs: number,
    readonly outputs: number,
    parameters?: { weight: Float32Array; bias: Float32Array },
  ) {
    for (const [name, value] of [
      ['inputs', inputs],
      ['outputs', outputs],
    ] as const) {
      if (!Number.isInteger(value) || value < 1) {
        throw new GatedError('INVALID_INPUT', `head.${name}: expected an integer ≥ 1, received ${value}`);
      }
    }
    const weight = parameters?.weight ?? new Float32Array(outputs * inputs);
    const bias = parameters?.bias ?? new Float32Array(outputs);
    if (!(weight instanceof Float32Array) || weight.length !== outputs * inputs) {
      throw new GatedError(
        'INVALID_WEIGHTS',
        `head.weight: expected a Float32Array of shape [${outputs}, ${inputs}], received ${weight?.length} values`,
      );
    }
    if (!(bias instanceof Float32Array) || bias.length !== outputs) {
      throw new GatedError(
        'INVALID_WEIGHTS',
        `head.bias: expected a Float32Array of shape [${outputs}], received ${bias?.length} values`,
      );
    }
    this.weight = weight;
    this.bias = bias;
  }

  /** PyTorch's default initialisation of `nn.Linear` (kaiming_uniform with a = √5 for the
   * weight, which is U(−1/√inputs, 1/√inputs), and the same bound for the bias), seeded. */
  static init(inputs: number, outputs: number, options: { seed?: number } = {}): LinearHead {
    const random = createRandom(options.seed ?? 0);
    const bound = 1 / Math.sqrt(inputs);
    const weight = uniformArray(outputs * inputs, -bound, bound, random);
    const bias = uniformArray(outputs, -bound, bound, random);
    return new LinearHead(inputs, outputs, { weight, bias });
  }

  /** The parameters by their `nn.Linear` names. */
  parameters(): Record<string, Float32Array> {
    return { weight: this.weight, bias: this.bias };
  }

  /** x [..., inputs] → y [..., outputs]. */
  forward(x: Tensor): Tensor {
    const rows = this.rowsOf(x, 'x');
    const { inputs: I, outputs: O, weight, bias } = this;
    const y = new Float32Array(rows * O);
    for (let r = 0; r < rows; r++) {
      const xr = r * I;
      for (let o = 0; o < O; o++) {
        let sum = bias[o];
        const wo = o * I;
        for (let i = 0; i < I; i++) sum += x.data[xr + i] * weight[wo + i];
        y[r * O + o] = sum;
      }
    }
    return tensor(y, [...x.shape.slice(0, -1), O]);
  }

  /** Given the forward's input x and ∂L/∂y, the gradients of weight, bias and x. */
  backward(x: Tensor, dy: Tensor): LinearHeadGradients {
    const rows = this.rowsOf(x, 'x');
    const { inputs: I, outputs: O, weight } = this;
    if (dy.data.length !== rows * O) {
      throw new GatedError(
        'INVALID_INPUT',
        `dy: expected ${rows} rows of ${O} values (the forward's output shape), received ${dy.data.length} values`,
      );
    }
    const dW = new Float64Array(O * I);
    const db = new Float64Array(O);
    const dx = new Float64Array(rows * I);
    for (let r = 0; r < rows; r++) {
      for (let o = 0; o < O; o++) {
        const g = dy.data[r * O + o];
        if (g === 0) continue;
        db[o] += g;
        const wo = o * I;
        for (let i = 0; i < I; i++) {
          dW[wo + i] += g * x.data[r * I + i];
          dx[r * I + i] += g * weight[wo + i];
        }
      }
    }
    return {
      weight: Float32Array.from(dW),
      bias: Float32Array.from(db),
      x: tensor(Float32Array.from(dx), [...x.shape]),
    };
  }

  private rowsOf(x: Tensor, argument: string): number {
    const last = x.shape[x.shape.length - 1];
    if (x.shape.length === 0 || last !== this.inputs || x.data.length !== shapeSize(x.shape)) {
      throw new GatedError(
        'INVALID_INPUT',
        `${argument}: expected shape [..., ${this.inputs}], received [${x.shape.join(', ')}]`,
      );
    }
    return x.data.length / this.inputs;
  }
}

/**
 * Topological (population) code shared by the topological spikers: each signal element x_i is
 * represented by `resolution` virtual units laid along [0, π], and unit r fires at a rate given
 * by a bump centred on x_i's position. Dimensions with `glue` = 1 are rings (circular variables).
 *
 * Spark: spark/nn/interfaces/input/topological.py. Spark accepts 1-D signals only; here any
 * signal shape works and the output has shape signal.shape + (resolution,).
 */
import { field } from '../../core/config/field.ts';
import { ConfigError } from '../../core/errors.ts';
import type { Module } from '../../core/module.ts';
import { resolveParam } from '../../core/params.ts';
import { type Shape, shapeSize } from '../../core/shape.ts';

export const topologicalFields = {
  glue: field.array(0, 'Per signal dimension (or one value for all): 1 glues the two ends of its range into a ring, 0 keeps them apart.', {
    validators: ['binary'],
  }),
  mins: field.array(0, 'Lower end of the range of each signal dimension (or one value for all).'),
  maxs: field.array(1, 'Upper end of the range of each signal dimension (or one value for all).'),
  resolution: field.int(64, 'Virtual units per signal dimension.', { validators: ['positive'] }),
  sigma: field.float(1 / 32, 'Width of the bump; it enters as exp(−u²/(2σ)), so it acts as a variance.', {
    symbol: 'σ',
    validators: ['positive'],
  }),
};

export const topologicalEquations = `x_i = (signal_i − mins_i)/(maxs_i − mins_i)
space_r = r·π/(resolution − 1),   r = 0 … resolution − 1
u_ir = glue_i ? sin(space_r + π·x_i) : tanh(space_r − π·x_i)
rate_ir = exp(−u_ir²/(2σ))
Not glued, the bump peaks at space_r = π·x_i; glued, it peaks at space_r ≡ π − π·x_i (mod π),
so the direction is reversed and units 0 and resolution − 1 stand for the same point (Spark's formula).`;

export class TopologicalCode {
  readonly n: number;
  readonly resolution: number;
  readonly outputShape: Shape;
  /** Rate of every virtual unit in [0, 1], element i's units at i·resolution + r. */
  readonly rate: Float32Array;
  private readonly glue: Uint8Array;
  private readonly mins: Float32Array;
  private readonly invRange: Float32Array;
  private readonly space: Float32Array;
  private readonly a: number;
  /** The signal `rate` was computed from (controllers often hold a signal for many steps). */
  private readonly last: Float32Array;
  private valid = false;

  constructor(module: Module, signalShape: Shape) {
    const n = (this.n = shapeSize(signalShape));
    const res = (this.resolution = module.config.values.resolution as number);
    this.outputShape = [...signalShape, res];
    // Scalars, per-element arrays and trailing-axis vectors (one value per column) are accepted.
    this.glue = Uint8Array.from(resolveParam(module, 'glue', signalShape), (g) => (g ? 1 : 0));
    this.mins = resolveParam(module, 'mins', signalShape);
    const maxs = resolveParam(module, 'maxs', signalShape);
    this.invRange = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const range = maxs[i] - this.mins[i];
      if (range === 0) {
        throw new ConfigError([
          {
            path: `${module.path ? `${module.path}.` : ''}maxs`,
            message: `equals mins (${this.mins[i]}) for signal element ${i}; the range maxs − mins must be non-zero`,
          },
        ]);
      }
      this.invRange[i] = 1 / range;
    }
    this.space = new Float32Array(res);
    for (let r = 0; r < res; r++) this.space[r] = res === 1 ? 0 : (r * Math.PI) / (res - 1);
    this.a = 0.5 / (module.config.values.sigma as number);
    this.rate = new Float32Array(n * res);
    this.last = new Float32Array(n);
  }

  /** Fills `rate` from the signal; false if there was nothing to do (the signal of the last call). */
  compute(signal: Float32Array): boolean {
    const { n, resolution: res, glue, mins, invRange, space, a, rate, last } = this;
    let same = this.valid;
    for (let i = 0; same && i < n; i++) same = Object.is(signal[i], last[i]);
    if (same) return false;
    last.set(signal.subarray(0, n));
    this.valid = true;
    for (let i = 0; i < n; i++) {
      const phase = Math.PI * (signal[i] - mins[i]) * invRange[i];
      const base = i * res;
      if (glue[i]) {
        for (let r = 0; r < res; r++) {
          const u = Math.sin(space[r] + phase);
          rate[base + r] = Math.exp(-a * u * u);
        }
      } else {
        for (let r = 0; r < res; r++) {
          const u = Math.tanh(space[r] - phase);
          rate[base + r] = Math.exp(-a * u * u);
        }
      }
    }
    return true;
  }
}

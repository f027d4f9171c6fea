/**
 * Delays base: ports `in_spikes` → `out_spikes`, `kernel` property (delays in steps).
 *
 * Delays are drawn in steps from 1 to B = ceil(max_delay/dt) (Spark forces the initializer's
 * scale to B+1 and min_value to 1). A delay of d steps delivers d steps later. Spark's ring buffer
 * turns d = B into zero delay; `compat: 'spark'` reproduces that (see docs/compat.md).
 * Spark: spark/nn/components/delays/base.py.
 */
import { field, moduleBaseFields } from '../../core/config/field.ts';
import { initializer } from '../../core/config/config.ts';
import { Module } from '../../core/module.ts';
import type { InputPortDecl, OutputPortDecl, PropertyDecl } from '../../core/port.ts';
import { resolveParam } from '../../core/params.ts';
import type { Shape } from '../../core/shape.ts';

export const delayBaseFields = {
  ...moduleBaseFields,
  max_delay: field.float(8.0, 'Largest delay.', { unit: 'ms', validators: ['positive'] }),
  delays: field.array(() => initializer('uniform_initializer'), 'Delay of each connection (an initializer; its range is forced to 1..B steps).', {
    init: true,
  }),
};

export const delayInputs: Record<string, InputPortDecl> = {
  in_spikes: { payload: 'spike_array', description: 'Spikes to delay.' },
};
export const delayOutputs: Record<string, OutputPortDecl> = {
  out_spikes: { payload: 'spike_array', description: 'Spikes arriving this step.' },
};
export const delayProperties: Record<string, PropertyDecl> = {
  kernel: { payload: 'integer_array', description: 'Delay of each connection, in steps.' },
};

export abstract class Delays extends Module {
  static readonly category = 'delay' as const;
  static readonly inputs = delayInputs;
  static readonly outputs = delayOutputs;
  static readonly properties = delayProperties;

  /** B = ceil(max_delay/dt): the largest delay in steps. */
  bufferSteps = 0;

  /**
   * Draws delays d in 1..B steps (the `kernel` property, as in Spark) and returns them with the
   * latency of each: d, or d mod B under Spark compat (Spark's ring buffer emits d = B at once).
   */
  protected drawLatencies(shape: Shape): { delays: Uint16Array; latency: Uint16Array } {
    this.bufferSteps = Math.max(1, Math.ceil(this.cfg('max_delay') / this.dt - 1e-9));
    const B = this.bufferSteps;
    const raw = resolveParam(this, 'delays', shape, { scale: B + 1, min_value: 1, max_value: B, dtype: 'uint8' });
    const delays = new Uint16Array(raw.length);
    const latency = new Uint16Array(raw.length);
    const spark = this.compat === 'spark';
    for (let i = 0; i < raw.length; i++) {
      const d = Math.min(B, Math.max(1, Math.floor(raw[i])));
      delays[i] = d;
      latency[i] = spark ? d % B : d;
    }
    return { delays, latency };
  }
}

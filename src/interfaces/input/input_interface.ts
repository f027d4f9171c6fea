/**
 * Input interface base: float signal → spikes. Port `signal` (float_array, expected in [0, 1]
 * for rate codes) → `spikes`. Spark: spark/nn/interfaces/input/base.py.
 */
import { Module } from '../../core/module.ts';
import type { FloatArray, SpikeArray } from '../../core/payload.ts';
import type { InputPortDecl, OutputPortDecl, PropertyDecl } from '../../core/port.ts';

export const inputInterfaceInputs: Record<string, InputPortDecl> = {
  signal: { payload: 'float_array', description: 'Signal to encode (rates expect values in [0, 1]).' },
};
export const inputInterfaceOutputs: Record<string, OutputPortDecl> = {
  spikes: { payload: 'spike_array', description: 'Encoded spikes.' },
};

export abstract class InputInterface extends Module {
  static readonly category = 'input' as const;
  static readonly inputs = inputInterfaceInputs;
  static readonly outputs = inputInterfaceOutputs;
  static readonly properties: Record<string, PropertyDecl> = {};

  protected signal!: Float32Array;
  protected spikes!: SpikeArray;

  protected override connect(): void {
    this.signal = (this.in.signal as FloatArray).data;
  }
}

/**
 * TopologicalLinearSpiker: population code (see topological_code.ts) whose virtual units are
 * LinearSpiker integrate-to-threshold units driven by their bump rate.
 * Spark: spark/nn/interfaces/input/topological.py (TopologicalLinearSpiker). Spark computes
 * this variant's constants without dt, unlike its LinearSpiker; that form keeps the firing rate
 * independent of dt, and both agree at dt = 1 (docs/compat.md).
 */
import { moduleBaseFields } from '../../core/config/field.ts';
import type { ConfigSchema } from '../../core/config/schema.ts';
import { type Payload, type PortSpec, SpikeArray } from '../../core/payload.ts';
import { InputInterface } from './input_interface.ts';
import { LinearUnits, linearSpikerEquations, linearSpikerFields } from './linear_spiker.ts';
import { TopologicalCode, topologicalEquations, topologicalFields } from './topological_code.ts';

export class TopologicalLinearSpiker extends InputInterface {
  static readonly type: string = 'topological_linear_spiker';
  static readonly schema: ConfigSchema = {
    type: 'topological_linear_spiker_config',
    classRef: 'topological_linear_spiker',
    fields: { ...moduleBaseFields, ...topologicalFields, ...linearSpikerFields },
  };
  static readonly summary = 'Population code: a Gaussian-like bump over virtual units per signal value, integrate-to-threshold spikes.';
  static readonly reference = 'Spark: spark/nn/interfaces/input/topological.py';
  static readonly equations = `${topologicalEquations}
Each virtual unit is a LinearSpiker unit with signal = rate_ir:
${linearSpikerEquations}`;

  code!: TopologicalCode;
  units!: LinearUnits;

  protected setup(inputSpecs: Record<string, PortSpec>): Record<string, Payload> {
    this.code = new TopologicalCode(this, inputSpecs.signal.shape);
    this.units = new LinearUnits(this, this.code.rate.length, 'topological', (k, a) => this.track(k, a));
    return { spikes: new SpikeArray(this.code.outputShape) };
  }

  protected override connect(): void {
    super.connect();
    this.spikes = this.out.spikes as SpikeArray;
  }

  step(): void {
    const changed = this.code.compute(this.signal);
    this.units.step(this.code.rate, this.spikes, !changed);
  }

  reset(): void {
    this.units?.reset();
    this.spikes?.clear();
  }
}

/**
 * ExponentialIntegrator: spikes → `num_outputs` smoothed signals. Units are split into groups
 * (the first N mod K groups get one extra unit; optionally shuffled, or given by `output_map`);
 * each step the group spike counts x_k feed a trace.
 *
 * smooth_trace (Spark's default): a rise–decay trace, out = z_decay − z_rise with
 *   z_rise  ← e^{−dt/τ_r'} z_rise  + (1000/f_sat)/(dt·τ·n_k)·x_k,  τ_r' = τ·10/(τ + 10)
 *   z_decay ← e^{−dt/10} z_decay + x_k/10
 * Otherwise a single trace z ← e^{−dt/τ} z + (1000/f_sat)/(dt·τ·n_k)·x_k.
 * `normalize` (ours) outputs the group rate as a fraction of f_sat in [0, 1]: an exponential
 * moving average of x_k/n_k over τ, divided by dt·f_sat/1000. Spark's smoothed trace is not
 * normalised and turns negative for groups under ~15 units (docs/compat.md).
 * Spark: spark/nn/interfaces/output/exponential.py, spark/core/tracers.py.
 */
import { field, moduleBaseFields } from '../../core/config/field.ts';
import type { ConfigSchema } from '../../core/config/schema.ts';
import { ConfigError } from '../../core/errors.ts';
import { Module } from '../../core/module.ts';
import { FloatArray, type Payload, type PortSpec, type SpikeArray } from '../../core/payload.ts';
import { flattenNumeric } from '../../core/config/tensor.ts';
import { shapeSize } from '../../core/shape.ts';

export class ExponentialIntegrator extends Module {
  static readonly type: string = 'exponential_integrator';
  static readonly category = 'output' as const;
  static readonly schema: ConfigSchema = {
    type: 'exponential_integrator_config',
    classRef: 'exponential_integrator',
    fields: {
      ...moduleBaseFields,
      num_outputs: field.int(undefined, 'Number of output signals (groups of units).', { validators: ['positive'] }),
      saturation_freq: field.float(50, 'Group rate that maps to an output of about 1.', { unit: 'Hz', validators: ['positive'] }),
      tau: field.float(5, 'Time constant of the trace (rise time when smoothed).', { unit: 'ms', validators: ['positive'] }),
      output_map: field.array(null, 'Group index of each input unit (overrides the automatic grouping).', { nullable: true }),
      shuffle: field.bool(true, 'Assign units to groups in a random order.'),
      smooth_trace: field.bool(true, "Spark's rise–decay trace instead of a single exponential."),
      normalize: field.bool(false, 'Output the group rate as a fraction of saturation_freq, in [0, 1] (spark-snn extension).'),
    },
  };
  static readonly inputs = { spikes: { payload: 'spike_array' as const, description: 'Spikes to decode.' } };
  static readonly outputs = { signal: { payload: 'float_array' as const, description: 'One smoothed value per group.' } };
  static readonly properties = {};
  static readonly summary = 'Decodes grouped spike counts into smoothed signals.';
  static readonly reference = 'Spark: spark/nn/interfaces/output/exponential.py';
  static readonly equations = `groups: n = N div K, the first N mod K groups get n + 1 units (shuffled by the seed, or output_map)
x_k = number of spikes in group k this step,  n_k = size of group k
smooth_trace (Spark's default; τ_d = 10 ms fixed):
  z_r ← exp(−dt/τ_r)·z_r + (1000/f_sat)/(dt·τ·n_k)·x_k,   τ_r = τ·τ_d/(τ + τ_d)
  z_d ← exp(−dt/τ_d)·z_d + x_k/τ_d
  out_k = z_d − z_r   (steady state ≈ x_k·(1.0508 − 15.43/n_k) with the defaults; negative for n_k < ~15)
single trace: out_k ← exp(−dt/τ)·out_k + (1000/f_sat)/(dt·τ·n_k)·x_k
normalize (ours): z_k ← a·z_k + (1 − a)·x_k/n_k,  a = exp(−dt/τ);  out_k = min(1, z_k/(dt·f_sat/1000))`;

  k = 0;
  /** Group of each input unit. */
  groupOf!: Int32Array;
  counts!: Int32Array;
  private x!: Float32Array;
  private zRise!: Float32Array;
  private zDecay!: Float32Array;
  private riseDecay!: Float32Array;
  private riseScale!: Float32Array;
  private decayDecay = 0;
  private decayScale = 0;
  private signal!: Float32Array;
  private spikes!: SpikeArray;
  private mode: 'smooth' | 'single' | 'normalized' = 'smooth';

  protected setup(inputSpecs: Record<string, PortSpec>): Record<string, Payload> {
    const n = shapeSize(inputSpecs.spikes.shape);
    const k = (this.k = this.cfg('num_outputs'));
    const map = this.config.values.output_map;
    this.groupOf = new Int32Array(n);
    if (map !== null && map !== undefined) {
      const flat = flattenNumeric(map) ?? [];
      if (flat.length !== n || flat.some((g) => !Number.isInteger(g) || g < 0 || g >= k)) {
        throw new ConfigError([
          { path: `${this.path ? `${this.path}.` : ''}output_map`, message: `must list ${n} group indices in 0..${k - 1}, one per input unit` },
        ]);
      }
      this.groupOf.set(flat);
    } else {
      const base = Math.floor(n / k);
      const rem = n % k;
      let u = 0;
      for (let g = 0; g < k; g++) for (let c = 0; c < base + (g < rem ? 1 : 0); c++) this.groupOf[u++] = g;
      if (this.cfg<boolean>('shuffle')) this.rng.shuffle(this.groupOf);
    }
    this.counts = new Int32Array(k);
    for (const g of this.groupOf) this.counts[g]++;
    const tau = this.cfg('tau');
    const sat = this.cfg('saturation_freq');
    this.mode = this.cfg<boolean>('normalize') ? 'normalized' : this.cfg<boolean>('smooth_trace') ? 'smooth' : 'single';
    this.x = new Float32Array(k);
    this.zRise = this.track('trace_rise', new Float32Array(k));
    this.zDecay = this.track('trace_decay', new Float32Array(k));
    const cnt = Array.from(this.counts, (c) => Math.max(c, 1));
    if (this.mode === 'smooth') {
      const tauRise = (tau * 10) / (tau + 10);
      this.riseDecay = new Float32Array(k).fill(Math.exp(-this.dt / tauRise));
      this.riseScale = Float32Array.from(cnt, (c) => 1000 / sat / (this.dt * tau * c));
      this.decayDecay = Math.exp(-this.dt / 10);
      this.decayScale = 1 / 10;
    } else if (this.mode === 'single') {
      this.riseDecay = new Float32Array(k).fill(Math.exp(-this.dt / tau));
      this.riseScale = Float32Array.from(cnt, (c) => 1000 / sat / (this.dt * tau * c));
    } else {
      // EMA of the fraction of the group spiking, scaled so a rate of f_sat gives 1.
      const a = Math.exp(-this.dt / tau);
      this.riseDecay = new Float32Array(k).fill(a);
      this.riseScale = Float32Array.from(cnt, (c) => (1 - a) / (c * ((this.dt * sat) / 1000)));
    }
    const out = new FloatArray([k]);
    this.signal = out.data;
    return { signal: out };
  }

  protected override connect(): void {
    this.spikes = this.in.spikes as SpikeArray;
  }

  step(): void {
    const { x, groupOf, spikes, zRise, zDecay, riseDecay, riseScale, signal, k } = this;
    x.fill(0);
    for (let c = 0; c < spikes.count; c++) x[groupOf[spikes.indices[c]]] += 1;
    for (let g = 0; g < k; g++) {
      zRise[g] = riseDecay[g] * zRise[g] + riseScale[g] * x[g];
      if (this.mode === 'smooth') {
        zDecay[g] = this.decayDecay * zDecay[g] + this.decayScale * x[g];
        signal[g] = zDecay[g] - zRise[g];
      } else {
        signal[g] = this.mode === 'normalized' ? Math.min(1, zRise[g]) : zRise[g];
      }
    }
  }

  reset(): void {
    this.zRise.fill(0);
    this.zDecay.fill(0);
    this.signal.fill(0);
  }
}
